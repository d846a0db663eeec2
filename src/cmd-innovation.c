/*
 * cmd-innovation.c: thidua innovation show CODE
 * One entry of the innovation register: kind, level, recognition date,
 * applied scope, unit, benefit, authors with their shares, and the awards
 * that rest on it. The register as a whole is `thidua report innovations`;
 * entries are written with `thidua import innovations` and
 * `thidua import innovation-details` (docs/indicators.md).
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "innovation.h"
#include "util.h"

static int
exec(struct cli *cli, int argc, char **argv, struct err *e)
{
	struct sb b;
	int n;

	if ((n = opt_parse(cli, argc - 1, argv + 1, NULL, e)) < 0)
		return -1;
	if (n != 2 || strcmp(argv[1], "show") != 0)
		return err_set(e, ERR_USAGE, "%s: innovation show CODE",
		    TR("cách dùng", "usage"));
	sb_init(&b);
	if (innovation_show(cli->st, argv[2], cli->format == FMT_JSON, &b,
	    e) != 0) {
		sb_free(&b);
		return -1;
	}
	fwrite(b.s, 1, b.len, stdout);
	sb_free(&b);
	return 0;
}

const struct cmd cmd_innovation = {
	"innovation", "show CODE",
	"xem một sáng kiến, đề tài hoặc công trình trong sổ",
	"show one entry of the innovation register",
	CMD_DB, exec
};
