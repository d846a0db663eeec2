/*
 * cmd-decide.c: thidua decide ID --number NO --date DATE --signer NAME
 * A numbered decision for the candidates of proposal ID that passed;
 * appends them to the award ledger (decision_make in award.h).
 */
#include <stdio.h>

#include "cmd.h"
#include "award.h"
#include "util.h"

static int
exec_decide(struct cli *cli, int argc, char **argv, struct err *e)
{
	const char *number = NULL, *date = NULL, *signer = NULL;
	const struct opt opts[] = {
		{ "number", OPT_STR, &number },
		{ "date", OPT_STR, &date },
		{ "signer", OPT_STR, &signer },
		{ NULL, 0, NULL }
	};
	struct decide_req r;
	struct sb b;
	int64_t id;
	int n, rc;

	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0)
		return -1;
	if (n != 1)
		return err_set(e, ERR_USAGE, "%s: thidua decide ID --number NO "
		    "--date DATE --signer NAME", TR("cách dùng", "usage"));
	if (parse_i64(argv[1], &id) != 0 || id <= 0)
		return err_at(e, ERR_USAGE, NULL, 0, 0, "ID", "%s '%s'",
		    TR("số tờ trình không hợp lệ", "invalid proposal number"),
		    argv[1]);
	r = (struct decide_req){ id, number, date, signer };
	sb_init(&b);
	if ((rc = decision_make(cli->st, &r, &b, e)) == 0)
		proposal_print(stdout, b.s, cli->format == FMT_JSON);
	sb_free(&b);
	return rc;
}

const struct cmd cmd_decide = {
	"decide", "ID --number NO --date DATE --signer NAME",
	"ra quyết định khen thưởng và ghi vào sổ khen thưởng",
	"issue the award decision and append it to the ledger",
	CMD_DB, exec_decide
};
