/*
 * cmd-propose.c: thidua propose --year Y --award CODE [--subject CODE]…
 *     [--movement CODE] [--override TEXT] [--attach [CODE=]PATH]…
 *     [--rule-set CODE]
 * Creates a proposal (draft) with its candidates and dossiers; a subject
 * that is not eligible is refused with its reasons unless --override
 * gives a written justification. JSON: {"proposal": ID, "candidates": [...]}.
 */
#include <inttypes.h>
#include <stdio.h>

#include "cmd.h"
#include "award.h"
#include "util.h"

static int
exec_propose(struct cli *cli, int argc, char **argv, struct err *e)
{
	long year = 0;
	const char *award = NULL, *movement = NULL, *override = NULL;
	const char *rule_set = NULL, *received = NULL;
	struct opt_list subj = { { 0 }, 0 }, att = { { 0 }, 0 };
	const struct opt opts[] = {
		{ "year", OPT_INT, &year },
		{ "award", OPT_STR, &award },
		{ "subject", OPT_LIST, &subj },
		{ "movement", OPT_STR, &movement },
		{ "override", OPT_STR, &override },
		{ "attach", OPT_LIST, &att },
		{ "rule-set", OPT_STR, &rule_set },
		{ "received", OPT_STR, &received },
		{ NULL, 0, NULL }
	};
	struct propose_req r;
	struct sb b;
	int64_t id;
	int n, rc;

	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0)
		return -1;
	if (n != 0 || year < 1900 || year > 2999 || award == NULL)
		return err_set(e, ERR_USAGE, "%s: thidua propose --year Y "
		    "--award CODE [--subject CODE]... [--override TEXT] "
		    "[--received DATE]", TR("cách dùng", "usage"));
	r = (struct propose_req){ (int)year, award, movement, subj.v, subj.n,
	    override, att.v, att.n, rule_set, NULL, received };
	if (proposal_create(cli->st, &r, &id, e) != 0)
		return -1;
	sb_init(&b);
	if ((rc = proposal_json(cli->st, id, &b, e)) == 0)
		proposal_print(stdout, b.s, cli->format == FMT_JSON);
	sb_free(&b);
	return rc;
}

const struct cmd cmd_propose = {
	"propose", "--year Y --award CODE [--subject CODE]... [--override TEXT] "
	    "[--received DATE]",
	"lập tờ trình đề nghị khen thưởng kèm hồ sơ",
	"draw up an award proposal with its dossiers",
	CMD_DB, exec_propose
};
