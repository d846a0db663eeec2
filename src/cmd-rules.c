/*
 * cmd-rules.c: thidua rules load FILE | thidua rules show [CODE]
 * [--rule-set CODE] [--year Y] | thidua rules list | thidua rules diff A B.
 * load validates the whole file before storing it as a version; show
 * prints the rule set in force (or the one named) readably, or one award
 * of it; list shows every set with the days it is in force; diff what
 * changed from set A to set B, award by award.
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

#include <jansson.h>

#include "cmd.h"
#include "rules.h"
#include "store-rules.h"
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

struct listed {
	char	 code[33], effective[11];
};
struct listing {
	struct listed	*v;
	size_t		 n, cap;
};

static int
list_row(void *arg, const char *code, const char *effective)
{
	struct listing *l = arg;

	grow(&l->v, &l->cap, l->n + 1, sizeof *l->v);
	snprintf(l->v[l->n].code, sizeof l->v[0].code, "%s", code);
	snprintf(l->v[l->n].effective, sizeof l->v[0].effective, "%s", effective);
	l->n++;
	return 0;
}

/* Each set, in force from its effective day to the day before the next. */
static int
do_list(struct cli *cli, struct err *e)
{
	struct listing l = { NULL, 0, 0 };
	json_t *arr = cli->format == FMT_JSON ? json_array() : NULL;

	if (store_rules_each(cli->st, list_row, &l, e) != 0) {
		free(l.v);
		json_decref(arr);
		return -1;
	}
	if (arr == NULL)
		printf("%-12s %-10s %s\n", TR("bộ quy tắc", "rule set"),
		    TR("từ ngày", "from"), TR("đến ngày", "until"));
	for (size_t i = 0; i < l.n; i++) {
		char until[11] = "";
		int32_t d;

		for (size_t j = i + 1; j < l.n; j++)
			if (strcmp(l.v[j].effective, l.v[i].effective) > 0 &&
			    date_parse(l.v[j].effective, &d) == 0) {
				date_format(d - 1, until);
				break;
			}
		if (arr != NULL)
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s?}",
			    "rule_set", l.v[i].code, "effective", l.v[i].effective,
			    "until", until[0] ? until : NULL));
		else
			printf("%-12s %-10s %s\n", l.v[i].code, l.v[i].effective,
			    until[0] ? until : "—");
	}
	if (arr != NULL) {
		json_t *doc = json_pack("{s:o}", "rule_sets", arr);
		char *s = json_dumps(doc, JSON_COMPACT);

		puts(s);
		free(s);
		json_decref(doc);
	}
	free(l.v);
	return 0;
}

static int
do_diff(struct cli *cli, int n, char **argv, struct err *e)
{
	struct ruleset *a, *b;
	struct sb out;

	if (n != 3)
		return err_set(e, ERR_USAGE, "%s", TR("cách dùng: thidua rules diff A B",
		    "usage: thidua rules diff A B"));
	if ((a = rules_for_year(cli->st, 0, argv[1], e)) == NULL)
		return -1;
	if ((b = rules_for_year(cli->st, 0, argv[2], e)) == NULL) {
		rules_free(a);
		return -1;
	}
	sb_init(&out);
	rules_diff(a, b, &out);
	fputs(out.s, stdout);
	sb_free(&out);
	rules_free(a);
	rules_free(b);
	return 0;
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
	if (n == 1 && strcmp(argv[1], "list") == 0)
		return do_list(cli, e);
	if (n >= 1 && strcmp(argv[1], "diff") == 0)
		return do_diff(cli, n, argv + 1, e);
	return err_set(e, ERR_USAGE, "%s", TR("cách dùng: thidua rules load TỆP | "
	    "thidua rules show [MÃ] [--rule-set MÃ] [--year NĂM] | "
	    "thidua rules list | thidua rules diff A B",
	    "usage: thidua rules load FILE | thidua rules show [CODE] "
	    "[--rule-set CODE] [--year YEAR] | thidua rules list | "
	    "thidua rules diff A B"));
}

const struct cmd cmd_rules = {
	"rules",
	"load FILE | show [CODE] [--rule-set CODE] [--year Y] | list | diff A B",
	"nạp hoặc xem bộ quy tắc thi đua, khen thưởng",
	"load or show a rule set",
	CMD_DB,
	exec
};
