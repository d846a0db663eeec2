/*
 * cmd-rules.c: thidua rules load FILE | thidua rules show [CODE]
 * [--rule-set CODE] [--year Y]. load validates the whole file before
 * storing it as a version; show prints the rule set in force (or the
 * one named) readably, or one award of it.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "rules.h"
#include "util.h"

static int
do_load(struct cli *cli, int n, char **argv, struct err *e)
{
	struct ruleset *rs = NULL;
	int changed;
	char eff[11];

	if (n != 2)
		return err_set(e, ERR_USAGE, "%s", TR("cách dùng: thidua rules load TỆP",
		    "usage: thidua rules load FILE"));
	if (rules_load_file(cli->st, argv[1], &changed, &rs, e) != 0)
		return -1;
	date_format(rs->effective, eff);
	fprintf(stderr, "%s: %s %s (%s %s, %d %s)\n", argv[1],
	    changed ? TR("đã nạp bộ quy tắc", "loaded rule set") :
	    TR("không đổi, đã có bộ quy tắc", "unchanged, already have rule set"),
	    rs->code, TR("hiệu lực", "effective"), eff, rs->naward,
	    TR("danh hiệu", "awards"));
	rules_free(rs);
	return 0;
}

static int
do_show(struct cli *cli, int n, char **argv, const char *set, long year,
    struct err *e)
{
	struct ruleset *rs;
	struct sb b;
	int rc;

	if (n > 2)
		return err_set(e, ERR_USAGE, "%s", TR("cách dùng: thidua rules show [MÃ]",
		    "usage: thidua rules show [CODE]"));
	if (year == 0) {
		int y, m, d;

		date_to_ymd(date_today(), &y, &m, &d);
		year = y;
	}
	if ((rs = rules_for_year(cli->st, (int)year, set, e)) == NULL)
		return -1;
	sb_init(&b);
	rc = rules_show(rs, n == 2 ? argv[1] : NULL, &b, e);
	if (rc == 0)
		fputs(b.s, stdout);
	sb_free(&b);
	rules_free(rs);
	return rc;
}

static int
exec(struct cli *cli, int argc, char **argv, struct err *e)
{
	const char *set = NULL;
	long year = 0;
	int n;
	const struct opt opts[] = {
		{ "rule-set", OPT_STR, &set },
		{ "year", OPT_INT, &year },
		{ NULL, 0, NULL }
	};

	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0)
		return -1;
	if (n >= 1 && strcmp(argv[1], "load") == 0)
		return do_load(cli, n, argv + 1, e);
	if (n >= 1 && strcmp(argv[1], "show") == 0)
		return do_show(cli, n, argv + 1, set, year, e);
	return err_set(e, ERR_USAGE, "%s", TR("cách dùng: thidua rules load TỆP | "
	    "thidua rules show [MÃ] [--rule-set MÃ] [--year NĂM]",
	    "usage: thidua rules load FILE | thidua rules show [CODE] "
	    "[--rule-set CODE] [--year YEAR]"));
}

const struct cmd cmd_rules = {
	"rules",
	"load FILE | show [CODE] [--rule-set CODE] [--year Y]",
	"nạp hoặc xem bộ quy tắc thi đua, khen thưởng",
	"load or show a rule set",
	CMD_DB,
	exec
};
