/*
 * cmd-eligibility.c: thidua eligibility --year Y [--subject CODE]
 * [--award CODE] [--rule-set CODE] [--timing] [--format json|table|csv]
 * Verdicts with their reasons (elig.h); --timing prints the snapshot
 * load, evaluation and writing times to stderr.
 */
#include <stdio.h>

#include "cmd.h"
#include "elig.h"
#include "util.h"

static int
exec(struct cli *cli, int argc, char **argv, struct err *e)
{
	static const enum elig_out fmts[] = { [FMT_TABLE] = ELIG_TABLE,
	    [FMT_JSON] = ELIG_JSON, [FMT_CSV] = ELIG_CSV };
	long year = 0;
	int timing = 0, n;
	const char *as_of = NULL;
	char code[33];
	struct elig_query q = { .year = 0 };
	struct elig_timing t = { 0, 0, 0, 0, 0, 0 };
	const struct opt opts[] = {
		{ "year", OPT_INT, &year },
		{ "subject", OPT_STR, &q.subject },
		{ "award", OPT_STR, &q.award },
		{ "rule-set", OPT_STR, &q.rule_set },
		{ "as-of", OPT_STR, &as_of },
		{ "timing", OPT_FLAG, &timing },
		{ NULL, 0, NULL }
	};

	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0)
		return -1;
	if (n > 0)
		return err_set(e, ERR_USAGE, "%s: %s", TR("thừa tham số",
		    "unexpected argument"), argv[1]);
	if (as_of != NULL) {
		/* the rule set in force on that day (--rule-set still forces one) */
		int32_t d;
		int y, m, dd;

		if (date_parse(as_of, &d) != 0)
			return err_at(e, ERR_USAGE, NULL, 0, 0, "--as-of", "%s",
			    TR("cần một ngày YYYY-MM-DD", "a date YYYY-MM-DD is needed"));
		date_to_ymd(d, &y, &m, &dd);
		if (year == 0)
			year = y;
		if (q.rule_set == NULL) {
			char day[11];

			date_format(d, day);
			if (rules_code_on(cli->st, day, code, e) != 0)
				return -1;
			q.rule_set = code;
		}
	}
	if (year < 1900 || year > 9999)
		return err_at(e, ERR_USAGE, NULL, 0, 0, "--year", "%s",
		    TR("cần --year NĂM (1900–9999)", "--year YEAR is needed (1900–9999)"));
	if (cli->format == FMT_XLSX)
		return err_set(e, ERR_USAGE, "--format: %s", TR("lệnh này nhận "
		    "table, json hoặc csv", "this command takes table, json or csv"));
	q.year = (int)year;
	if (elig_stream(cli->st, &q, fmts[cli->format], stdout, &t, e) != 0)
		return -1;
	if (timing)
		fprintf(stderr, "timing: load=%.3fs eval=%.3fs write=%.3fs "
		    "results=%lld (%.1fM/s, %.1f%% from their class) "
		    "clauses=%lld (%.1fM/s)\n", t.load, t.eval, t.write, t.results,
		    t.eval > 0 ? t.results / t.eval / 1e6 : 0.0,
		    t.results > 0 ? 100.0 * t.shared / t.results : 0.0, t.clauses,
		    t.eval > 0 ? t.clauses / t.eval / 1e6 : 0.0);
	return 0;
}

const struct cmd cmd_eligibility = {
	"eligibility",
	"--year Y [--subject CODE] [--award CODE] [--rule-set CODE] [--as-of DATE] "
	    "[--timing] "
	    "[--format json|table|csv]",
	"xét điều kiện danh hiệu, hình thức khen thưởng, kèm lý do",
	"award eligibility verdicts with their reasons",
	CMD_DB,
	exec
};
