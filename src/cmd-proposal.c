/*
 * cmd-proposal.c: thidua proposal list [--year Y]
 *                 thidua proposal show ID
 *                 thidua proposal submit|review ID
 *                 thidua proposal return ID --reason TEXT
 *                 thidua proposal attach ID PATH [--subject CODE]
 * Reads proposals and moves them through their states (award.h).
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "award.h"
#include "util.h"

static const struct {
	const char		*name;
	enum proposal_action	 a;
} acts[] = {
	{ "submit", PA_SUBMIT }, { "review", PA_REVIEW }, { "return", PA_RETURN },
};

static int
exec_proposal(struct cli *cli, int argc, char **argv, struct err *e)
{
	long year = 0;
	const char *reason = NULL, *subject = NULL;
	const struct opt opts[] = {
		{ "year", OPT_INT, &year },
		{ "reason", OPT_STR, &reason },
		{ "subject", OPT_STR, &subject },
		{ NULL, 0, NULL }
	};
	struct sb b;
	int64_t id = 0;
	int n, rc = -1;

	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0)
		return -1;
	if (n >= 2 && (parse_i64(argv[2], &id) != 0 || id <= 0))
		return err_at(e, ERR_USAGE, NULL, 0, 0, "ID", "%s '%s'",
		    TR("số tờ trình không hợp lệ", "invalid proposal number"),
		    argv[2]);
	sb_init(&b);
	if (n == 1 && strcmp(argv[1], "list") == 0)
		rc = proposal_list_json(cli->st, (int)year, &b, e);
	else if (n == 2 && strcmp(argv[1], "show") == 0)
		rc = proposal_json(cli->st, id, &b, e);
	else if (n == 3 && strcmp(argv[1], "attach") == 0) {
		if ((rc = proposal_attach(cli->st, id, subject, argv[3], e)) == 0)
			rc = proposal_json(cli->st, id, &b, e);
	} else if (n == 2) {
		for (size_t i = 0; i < sizeof acts / sizeof acts[0]; i++)
			if (strcmp(argv[1], acts[i].name) == 0) {
				rc = proposal_act(cli->st, id, acts[i].a,
				    reason, e);
				if (rc == 0)
					rc = proposal_json(cli->st, id, &b, e);
				goto out;
			}
		goto usage;
	} else
		goto usage;
out:
	if (rc == 0)
		proposal_print(stdout, b.s, cli->format == FMT_JSON);
	sb_free(&b);
	return rc;
usage:
	sb_free(&b);
	return err_set(e, ERR_USAGE, "%s: thidua proposal list|show ID|submit "
	    "ID|review ID|return ID --reason TEXT|attach ID PATH",
	    TR("cách dùng", "usage"));
}

const struct cmd cmd_proposal = {
	"proposal", "list | show ID | submit ID | review ID | return ID --reason TEXT | attach ID PATH",
	"xem và chuyển trạng thái tờ trình", "read proposals and move them along",
	CMD_DB, exec_proposal
};
