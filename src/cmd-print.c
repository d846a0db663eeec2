/*
 * cmd-print.c: printable documents of a decided proposal.
 *   thidua print decision ID [-o FILE] [--place P] [--title T] [--above B]
 *   thidua print certificates ID [-o FILE] [--split DIR] [...]
 *   thidua print list ID -o FILE.xlsx
 * and `thidua report awards --year Y [--from Y0] --format xlsx -o FILE`
 * (report_awards_cmd, called by the report dispatcher in cmd-report.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "award-pdf.h"
#include "award.h"
#include "util.h"
#include "award-xlsx.h"

/* Accept the short "-o FILE" as "--output FILE". */
static void
short_o(int argc, char **argv)
{
	static char output[] = "--output";

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-o") == 0)
			argv[i] = output;
}

static int
exec_print(struct cli *cli, int argc, char **argv, struct err *e)
{
	const char *out = NULL, *split = NULL;
	struct doc_opts o = { NULL, NULL, NULL };
	const struct opt opts[] = {
		{ "output", OPT_STR, &out },
		{ "split", OPT_STR, &split },
		{ "place", OPT_STR, &o.place },
		{ "title", OPT_STR, &o.title },
		{ "above", OPT_STR, &o.above },
		{ NULL, 0, NULL }
	};
	struct doc_decision d;
	char defpath[64];
	int64_t id;
	int n, rc;

	short_o(argc, argv);
	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0)
		return -1;
	if (n != 2 || parse_i64(argv[2], &id) != 0 || id <= 0 ||
	    (strcmp(argv[1], "decision") && strcmp(argv[1], "certificates") &&
	    strcmp(argv[1], "list")))
		return err_set(e, ERR_USAGE, "%s: thidua print decision|"
		    "certificates|list ID [-o FILE] [--split DIR]",
		    TR("cách dùng", "usage"));
	if (decision_doc_load(cli->st, id, &o, &d, e) != 0)
		return -1;
	if (out == NULL && !(argv[1][0] == 'c' && split)) {
		snprintf(defpath, sizeof defpath, "%s-%" PRId64 ".%s", argv[1],
		    id, argv[1][0] == 'l' ? "xlsx" : "pdf");
		out = defpath;
	}
	if (argv[1][0] == 'd')
		rc = pdf_decision(&d, out, e);
	else if (argv[1][0] == 'l')
		rc = xlsx_decision(&d, out, e);
	else
		rc = pdf_certificates(&d, out, split, e);
	if (rc == 0 && out)
		printf("%s: %s (%zu %s)\n", TR("Đã ghi", "Written"), out, d.n,
		    TR("người/tập thể", "recipients"));
	if (rc == 0 && split)
		printf("%s: %s/ (%zu %s)\n", TR("Đã ghi", "Written"), split, d.n,
		    TR("tệp", "files"));
	doc_decision_free(&d);
	return rc;
}

const struct cmd cmd_print = {
	"print", "decision|certificates|list ID [-o FILE] [--split DIR]",
	"in quyết định, giấy khen (PDF) và danh sách (XLSX)",
	"print the decision, the certificates (PDF) and the list (XLSX)",
	CMD_DB, exec_print
};

int
report_awards_cmd(struct cli *cli, int argc, char **argv, struct err *e)
{
	long year = 0, from = 0;
	const char *out = NULL;
	const struct opt opts[] = {
		{ "year", OPT_INT, &year },
		{ "from", OPT_INT, &from },
		{ "output", OPT_STR, &out },
		{ NULL, 0, NULL }
	};
	struct sb b;
	int n, rc;

	short_o(argc, argv);
	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0)
		return -1;
	if (n != 0 || year < 1900 || year > 2999 ||
	    (cli->format == FMT_XLSX && out == NULL))
		return err_set(e, ERR_USAGE, "%s: thidua report awards --year Y "
		    "[--from Y0] [--format xlsx -o FILE | --format json]",
		    TR("cách dùng", "usage"));
	if (from <= 0 || from > year)
		from = year - 4;
	if (cli->format == FMT_XLSX) {
		if ((rc = xlsx_awards(cli->st, (int)year, (int)from, out, e)) == 0)
			printf("%s: %s\n", TR("Đã ghi", "Written"), out);
		return rc;
	}
	sb_init(&b);
	if ((rc = awards_json(cli->st, (int)year, &b, e)) == 0)
		proposal_print(stdout, b.s, cli->format == FMT_JSON);
	sb_free(&b);
	return rc;
}
