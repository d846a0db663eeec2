/*
 * cmd-ballot.c: thidua ballot ID --members N --yes K [--present P]
 *     [--written W] [--subject CODE]
 * Records the council's secret-ballot count for one candidate or all;
 * only counts are kept (ballot_record in award.h).
 */
#include <stdio.h>

#include "cmd.h"
#include "award.h"
#include "util.h"

static int
exec_ballot(struct cli *cli, int argc, char **argv, struct err *e)
{
	long members = 0, yes = -1, present = -1, written = 0;
	const char *subject = NULL;
	const struct opt opts[] = {
		{ "members", OPT_INT, &members },
		{ "yes", OPT_INT, &yes },
		{ "present", OPT_INT, &present },
		{ "written", OPT_INT, &written },
		{ "subject", OPT_STR, &subject },
		{ NULL, 0, NULL }
	};
	struct ballot_req r;
	struct sb b;
	int64_t id;
	int n, rc;

	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0)
		return -1;
	if (n != 1 || yes < 0 || members <= 0)
		return err_set(e, ERR_USAGE, "%s: thidua ballot ID --members N "
		    "--yes K [--present P] [--written W] [--subject CODE]",
		    TR("cách dùng", "usage"));
	if (parse_i64(argv[1], &id) != 0 || id <= 0)
		return err_at(e, ERR_USAGE, NULL, 0, 0, "ID", "%s '%s'",
		    TR("số tờ trình không hợp lệ", "invalid proposal number"),
		    argv[1]);
	r = (struct ballot_req){ id, subject, members, present, yes, written };
	sb_init(&b);
	if ((rc = ballot_record(cli->st, &r, &b, e)) == 0)
		proposal_print(stdout, b.s, cli->format == FMT_JSON);
	sb_free(&b);
	return rc;
}

const struct cmd cmd_ballot = {
	"ballot", "ID --members N --yes K [--present P] [--written W] [--subject CODE]",
	"ghi kết quả bỏ phiếu kín của Hội đồng (chỉ số phiếu)",
	"record the council's secret-ballot count (counts only)",
	CMD_DB, exec_ballot
};
