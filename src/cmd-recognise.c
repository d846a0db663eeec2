/*
 * cmd-recognise.c: thidua recognise --movement CODE [--top N] [--award GK]
 *     --number NO --date DATE --signer NAME [-o CERTS.pdf] [--split DIR]
 * Prompt recognition at a campaign's end: its top performers become a
 * campaign-linked proposal, a decision and printable certificates the
 * same day (recognise_run in award.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "award-pdf.h"
#include "award.h"
#include "util.h"

static int
exec_recognise(struct cli *cli, int argc, char **argv, struct err *e)
{
	static char output[] = "--output";
	long top = 0;
	const char *out = NULL, *split = NULL;
	struct recognise_req r = { NULL, 0, NULL, NULL, NULL, NULL };
	const struct opt opts[] = {
		{ "movement", OPT_STR, &r.movement },
		{ "top", OPT_INT, &top },
		{ "award", OPT_STR, &r.award },
		{ "number", OPT_STR, &r.number },
		{ "date", OPT_STR, &r.date },
		{ "signer", OPT_STR, &r.signer },
		{ "output", OPT_STR, &out },
		{ "split", OPT_STR, &split },
		{ NULL, 0, NULL }
	};
	struct doc_decision d;
	struct sb b;
	int64_t id = 0;
	int n, rc;

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-o") == 0)
			argv[i] = output;
	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0)
		return -1;
	if (n != 0 || r.movement == NULL || top < 0)
		return err_set(e, ERR_USAGE, "%s: thidua recognise --movement "
		    "CODE [--top N] --number NO --date DATE --signer NAME "
		    "[-o FILE] [--split DIR]", TR("cách dùng", "usage"));
	r.top = (int)top;
	sb_init(&b);
	rc = recognise_run(cli->st, &r, &id, &b, e);
	if (rc == 0 && (out || split)) {
		if ((rc = decision_doc_load(cli->st, id, NULL, &d, e)) == 0) {
			rc = pdf_certificates(&d, out, split, e);
			doc_decision_free(&d);
		}
	}
	if (rc == 0)
		proposal_print(stdout, b.s, cli->format == FMT_JSON);
	sb_free(&b);
	return rc;
}

const struct cmd cmd_recognise = {
	"recognise", "--movement CODE [--top N] --number NO --date DATE --signer NAME [-o FILE]",
	"khen thưởng kịp thời người dẫn đầu đợt thi đua",
	"prompt recognition of a campaign's top performers",
	CMD_DB, exec_recognise
};
