/*
 * cmd-check.c: thidua check
 * The storage's integrity check, the ledger's chain and the migration
 * state (check.h); exit 1 naming the fault when any fails.
 */
#include <stdio.h>

#include "check.h"
#include "cmd.h"
#include "util.h"

static int
exec_check(struct cli *cli, int argc, char **argv, struct err *e)
{
	struct check_report r;
	struct sb out;
	int n;

	if ((n = opt_parse(cli, argc - 1, argv + 1, NULL, e)) < 0)
		return -1;
	if (n > 0)
		return err_set(e, ERR_USAGE, "%s: %s", argv[1],
		    TR("đối số thừa", "unexpected argument"));
	if (check_run(cli->st, &r, e) != 0)
		return -1;
	sb_init(&out);
	if (cli->format == FMT_JSON)
		check_json(&r, &out);
	else
		check_text(&r, &out);
	fputs(out.s, stdout);
	sb_free(&out);
	for (int i = 0; i < r.n; i++)
		if (!r.c[i].ok)
			return err_set(e, ERR_USER, "%s: %s", r.c[i].name,
			    r.c[i].detail);
	return 0;
}

const struct cmd cmd_check = {
	"check", "",
	"kiểm tra cơ sở dữ liệu: toàn vẹn, chuỗi sổ khen thưởng, phiên bản lược đồ",
	"check the database: integrity, the ledger's chain, the schema version",
	CMD_DB, exec_check
};
