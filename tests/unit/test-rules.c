/*
 * test-rules.c: rule-set parsing and validation (no database): the
 * default set loads with the right dependency order; every kind of bad
 * input is refused with its line, column and reason.
 */
#include "testutil.h"
#include "rules.h"

static struct ruleset *
parse(const char *y, struct err *e)
{
	return rules_parse("t.yaml", y, strlen(y), e);
}

static int
pos(const struct ruleset *rs, const char *code)
{
	int a = rules_award_index(rs, code);

	for (int i = 0; i < rs->naward; i++)
		if (rs->order[i] == a)
			return i;
	return -1;
}

static void
test_default_set(void **state)
{
	struct err e;
	struct ruleset *rs;
	static const char *const codes[] = { "LDTT", "CSTT", "CSTDCS", "CSTDTQ",
	    "CSTDTQG", "TTLDTT", "DVTT", "TTLDXS", "DVQT", "CTDTC", "GK", "BKBQP",
	    "BKTTG", "HCLD3", "HCBVTQ3", "HCQKQT", "HCCSVV3", "HCCSVV2", "HCCSVV1" };

	(void)state;
	rs = rules_parse("vn-2022.yaml", rules_default_yaml, rules_default_yaml_len, &e);
	if (rs == NULL)
		fail_msg("%s:%ld:%ld %s", e.file, e.line, e.col, e.msg);
	assert_string_equal(rs->code, "vn-2022");
	assert_int_equal(rs->naward, 19);
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		int a = rules_award_index(rs, codes[i]);

		assert_true(a >= 0);
		assert_non_null(rs->awards[a].name_vi);
		assert_non_null(rs->awards[a].name_en);
		assert_true(strlen(rs->awards[a].basis) > 5);
	}
	/* dependency order: this year's LDTT feeds CSTDCS, which feeds the rest */
	assert_true(pos(rs, "LDTT") < pos(rs, "CSTDCS"));
	assert_true(pos(rs, "CSTT") < pos(rs, "CSTDCS"));
	assert_true(pos(rs, "CSTDCS") < pos(rs, "CSTDTQ"));
	assert_true(pos(rs, "CSTDTQ") < pos(rs, "CSTDTQG"));
	assert_true(pos(rs, "CSTDCS") < pos(rs, "TTLDXS"));
	assert_true(pos(rs, "LDTT") < pos(rs, "TTLDTT"));
	assert_true(pos(rs, "TTLDXS") < pos(rs, "CTDTC"));
	assert_true(pos(rs, "BKBQP") < pos(rs, "BKTTG"));
	assert_true(pos(rs, "BKTTG") < pos(rs, "HCLD3"));
	assert_true(rs->awards[rules_award_index(rs, "CSTDCS")].cash == 1.0);
	assert_true(rs->awards[rules_award_index(rs, "CSTDCS")].ballot_pct == 90);
	assert_true(rs->awards[rules_award_index(rs, "LDTT")].ballot_pct == -1);
	rules_free(rs);
}

#define HEAD "rule_set: t\neffective: 2024-01-01\nratings: {HTXSNV: 90, HTTNV: 70, HTNV: 50}\nawards:\n"
#define AWARD(code, req) "  - code: " code "\n    name: {vi: a, en: b}\n    family: title\n" \
	"    subject: person\n    level: base\n    basis: x\n    require:\n" req

static const struct bad {
	const char	*yaml;
	long		 line, col;
	const char	*needle;	/* in the English message */
} bad[] = {
	{ HEAD "colour: red\n", 5, 1, "unknown key: colour" },
	{ HEAD AWARD("A", "      - rating: {min: HTTNV}\n") "    colour: red\n", 13, 5,
	    "unknown key for an award: colour" },
	{ HEAD AWARD("A", "      - ratting: {min: HTTNV}\n"), 12, 9, "unknown clause kind: ratting" },
	{ HEAD AWARD("A", "      - tenure: {min_months: six}\n"), 12, 30, "a whole number is expected" },
	{ HEAD AWARD("A", "      - rating: {min: GOOD}\n"), 12, 23, "invalid value: GOOD" },
	{ HEAD AWARD("A", "      - rating: {min: HTTNV, colour: 1}\n"), 12, 30,
	    "unknown key for this clause: colour" },
	{ HEAD AWARD("A", "      - award: {code: NOPE}\n"), 12, 23, "unknown award code: NOPE" },
	{ HEAD AWARD("A", "      - award: {code: B}\n") AWARD("B", "      - award: {code: A}\n"),
	    5, 11, "cycle between awards: A → B → A" },
	{ HEAD AWARD("A", "      - rating: {min: HTTNV\n"), 13, 1, "invalid YAML" },
	{ HEAD AWARD("A", "      - rating: {min: HTTNV, consecutive_years: 2, min_count: 1}\n"),
	    12, 9, "exclude each other" },
	{ HEAD AWARD("A", "      - members: {award: A, rating_min: HTNV, min_pct: 5}\n"),
	    12, 9, "exactly one of rating_min, award" },
	{ HEAD AWARD("A", "      - rating: {min: HTTNV, consecutive_years: 30}\n"), 12, 49,
	    "value out of range" },
	{ "rule_set: t\neffective: 2024-13-01\nratings: {}\nawards: []\n", 2, 12, "invalid date" },
};

static void
test_refusals(void **state)
{
	(void)state;
	g_lang = LANG_EN;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct err e;
		struct ruleset *rs = parse(bad[i].yaml, &e);

		if (rs != NULL)
			fail_msg("case %zu accepted", i);
		if (strstr(e.msg, bad[i].needle) == NULL || e.line != bad[i].line ||
		    e.col != bad[i].col)
			fail_msg("case %zu: got %s:%ld:%ld %s", i, e.file, e.line, e.col, e.msg);
		assert_string_equal(e.file, "t.yaml");
		assert_int_equal(e.kind, ERR_USER);
	}
	g_lang = LANG_VI;
}

static void
test_own_history_is_no_cycle(void **state)
{
	struct err e;
	struct ruleset *rs = parse(HEAD AWARD("A", "      - not:\n          - award: {code: A, "
	    "min_count: 1, within_years: 12}\n"), &e);

	(void)state;
	if (rs == NULL)
		fail_msg("%s", e.msg);
	rules_free(rs);
}

/* Every problem of a file in one pass: the first located, the rest after. */
static void
test_all_problems_listed(void **state)
{
	struct err e;
	struct ruleset *rs;

	(void)state;
	g_lang = LANG_EN;
	rs = parse(HEAD AWARD("A", "      - rating: {min: HTTNV, foo: 1}\n"
	    "      - tenure: {min_months: abc, continuous: maybe}\n")
	    AWARD("B", "      - award: {code: ZZ, ever: true}\n"), &e);
	assert_null(rs);
	assert_int_equal(e.line, 12);
	assert_non_null(strstr(e.msg, "unknown key for this clause: foo"));
	assert_non_null(strstr(e.msg, "\nt.yaml:13:30: min_months: a whole number is expected: abc"));
	assert_non_null(strstr(e.msg, "continuous: true or false is expected: maybe"));
	assert_non_null(strstr(e.msg, "code: unknown award code: ZZ"));
	g_lang = LANG_VI;
}

/* ever excludes windows; a range's max is at least its min. */
static void
test_ever_and_ranges(void **state)
{
	struct err e;
	struct ruleset *rs;

	(void)state;
	rs = parse(HEAD AWARD("A", "      - not: {award: {code: A, ever: true}}\n"
	    "      - tenure: {min_months: 120, max_months: 179, continuous: true,"
	    " coefficients: {hardship: 2}}\n"), &e);
	if (rs == NULL)
		fail_msg("%s", e.msg);
	assert_int_equal(rs->cl[rs->kids[rs->cl[rs->awards[0].root].kid0 + 1]].max_months, 179);
	rules_free(rs);
	assert_null(parse(HEAD AWARD("A", "      - award: {code: A, ever: true, within_years: 3}\n"), &e));
	assert_null(parse(HEAD AWARD("A", "      - tenure: {min_months: 120, max_months: 100}\n"), &e));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_set),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_own_history_is_no_cycle),
		cmocka_unit_test(test_all_problems_listed),
		cmocka_unit_test(test_ever_and_ranges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
