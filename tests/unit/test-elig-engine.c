/*
 * test-elig-engine.c: the eligibility engine (elig_run over a struct
 * elig_snap) fed from the in-memory snapshot builder (snapbuild.h), no
 * SQL: each key clause at its edges, verdicts and the reasons written
 * out (elig_write's JSON). One test checks that the builder lays out a
 * snapshot as the store's loader does: the same rows imported into
 * SQLite give the very same JSON document.
 */
#include "testutil.h"
#include <jansson.h>

#include "elig.h"
#include "import.h"
#include "import-kinds.h"
#include "rules.h"
#include "snapbuild.h"

#define RHEAD "rule_set: t\neffective: 2020-01-01\n" \
	"ratings: {HTXSNV: 90, HTTNV: 70, HTNV: 50}\nawards:\n"
#define AWARD(code, subj, extra, req) "  - code: " code "\n" \
	"    name: {vi: a, en: b}\n    family: title\n    subject: " subj "\n" \
	"    level: base\n    basis: x\n" extra "    require:\n" req

/* A rule set, its snapshot and a run over it. */
struct eng {
	struct ruleset	*rs;
	struct elig_snap sn;
	struct elig_run	 r;
	json_t		*doc;	/* the last result written (explain()) */
};

static void
run(struct eng *g, struct snb *b, const char *yaml, int year)
{
	struct err e;

	memset(g, 0, sizeof *g);
	memset(&e, 0, sizeof e);
	g_lang = LANG_VI;	/* (a failed test may have left English) */
	g->rs = snb_rules(yaml);
	snb_build(b, g->rs, year, &g->sn);
	if (elig_run(&g->r, g->rs, &g->sn, -1, 1, &e) != 0)
		fail_msg("elig_run: %s", e.msg);
}

static void
done(struct eng *g)
{
	json_decref(g->doc);
	elig_run_free(&g->r);
	elig_snap_free(&g->sn);
	rules_free(g->rs);
}

static const char *
verdict(struct eng *g, const char *subj, const char *award)
{
	long s = snb_subject(&g->sn, subj);
	int a = rules_award_index(g->rs, award);

	if (s < 0 || a < 0)
		fail_msg("no %s or %s", subj, award);
	return elig_verdict_names[g->r.verdict[(size_t)s * g->rs->naward + a]];
}

#define EXPECT(g, subj, award, v) do { \
	const char *got_ = verdict((g), (subj), (award)); \
	if (strcmp(got_, (v)) != 0) \
		fail_msg("%s %s: %s, expected %s", (subj), (award), got_, (v)); \
} while (0)

/* The result object of (subj, award) as elig_write's JSON writes it. */
static json_t *
explain(struct eng *g, const char *subj, const char *award)
{
	long s = snb_subject(&g->sn, subj);
	int a = rules_award_index(g->rs, award);
	json_error_t je;
	struct sb out;

	assert_true(s >= 0 && a >= 0);
	sb_init(&out);
	assert_int_equal(elig_write(&g->r, ELIG_JSON, s, a, 0, NULL, 0, 0, &out,
	    NULL, NULL), 0);
	json_decref(g->doc);
	if ((g->doc = json_loads(out.s, 0, &je)) == NULL)
		fail_msg("bad JSON: %s\n%s", je.text, out.s);
	sb_free(&out);
	assert_int_equal(json_array_size(json_object_get(g->doc, "results")), 1);
	return json_array_get(json_object_get(g->doc, "results"), 0);
}

#define SAYS(g, subj, award, needle) do { \
	json_t *r_ = explain((g), (subj), (award)); \
	if (!test_says(r_, (needle))) { \
		char *t_ = json_dumps(r_, JSON_INDENT(1)); \
		fail_msg("%s %s does not say \"%s\":\n%s", (subj), (award), \
		    (needle), t_); \
	} \
} while (0)

/* A factory: Z with two workshops A and B, and a military battalion M. */
static struct snb *
factory(void)
{
	struct snb *b = snb_new();

	snb_unit(b, "Z", NULL, "enterprise", 0);
	snb_unit(b, "A", "Z", "workshop", 0);
	snb_unit(b, "B", "Z", "workshop", 0);
	snb_unit(b, "M", "Z", "workshop", 1);
	return b;
}

/*
 * Ratings: a streak of consecutive years, broken by a KHTNV, by a rating
 * below the minimum or by a missing year; min_count within a window.
 */
static void
test_rating_streak(void **state)
{
	static const char Y[] = RHEAD
	    AWARD("R3", "person", "", "      - rating: {min: HTTNV, consecutive_years: 3}\n")
	    AWARD("X2", "person", "", "      - rating: {min: HTXSNV, min_count: 2, within_years: 3}\n");
	static const char *const rt[][4] = {	/* code, 2023, 2024, 2025 */
		{ "P1", "HTTNV", "KHTNV", "HTXSNV" },
		{ "P2", "HTTNV", "HTXSNV", "HTTNV" },
		{ "P3", "HTNV", "HTTNV", "HTTNV" },
		{ "P4", "HTTNV", "HTTNV", NULL },
		{ "P5", "HTXSNV", "HTTNV", "HTXSNV" },
		{ "P6", NULL, "HTTNV", "HTXSNV" },
	};
	struct snb *b = factory();
	struct eng g;

	(void)state;
	for (size_t i = 0; i < sizeof rt / sizeof rt[0]; i++) {
		snb_person(b, rt[i][0], "A", "employee", "2010-01-01");
		for (int y = 0; y < 3; y++)
			if (rt[i][y + 1] != NULL)
				snb_rating(b, rt[i][0], 2023 + y, rt[i][y + 1]);
	}
	snb_rating(b, "P6", 2022, "HTXSNV");	/* out of the 3 years */
	run(&g, b, Y, 2025);
	EXPECT(&g, "P1", "R3", "ineligible");
	EXPECT(&g, "P2", "R3", "eligible");
	EXPECT(&g, "P3", "R3", "ineligible");
	EXPECT(&g, "P4", "R3", "ineligible");
	EXPECT(&g, "P5", "R3", "eligible");
	EXPECT(&g, "P1", "X2", "ineligible");
	EXPECT(&g, "P5", "X2", "eligible");
	EXPECT(&g, "P6", "X2", "ineligible");
	g_lang = LANG_EN;
	SAYS(&g, "P1", "R3", "2024: KHTNV");
	SAYS(&g, "P1", "R3", "1 consecutive years up to 2025 (needs 3)");
	SAYS(&g, "P1", "R3", "needs a rating ≥ HTTNV in 2026–2027 to make 3 consecutive years");
	SAYS(&g, "P3", "R3", "2023: HTNV");
	g_lang = LANG_VI;
	done(&g);
	/* the same rows a year later: P2's streak goes on only with 2026 */
	snb_rating(b, "P2", 2026, "HTTNV");
	run(&g, b, Y, 2026);
	EXPECT(&g, "P2", "R3", "eligible");
	EXPECT(&g, "P5", "R3", "ineligible");	/* no 2026 rating */
	done(&g);
	snb_free(b);
}

/*
 * `ever`: a rating or an award of any year up to the evaluated one,
 * before the 12-year window too (the snapshot's ever bits); the
 * once-only pattern `not: award: {code: ITSELF, ever: true}`.
 */
static void
test_ever_once(void **state)
{
	static const char Y[] = RHEAD
	    AWARD("EV", "person", "", "      - rating: {min: HTXSNV, ever: true}\n")
	    AWARD("S", "person", "    once: true\n",
		"      - tenure: {min_months: 12}\n"
		"      - not:\n          - award: {code: S, ever: true}\n");
	struct snb *b = factory();
	struct eng g;

	(void)state;
	for (int i = 1; i <= 5; i++) {
		char code[8];

		snprintf(code, sizeof code, "P%d", i);
		snb_person(b, code, "A", "employee", "1995-01-01");
		snb_rating(b, code, 2025, "HTTNV");
	}
	snb_rating(b, "P1", 2005, "HTXSNV");	/* before the window (2014-) */
	snb_rating(b, "P2", 2020, "HTXSNV");
	snb_rating(b, "P3", 2005, "HTTNV");
	snb_rating(b, "P5", 2026, "HTXSNV");	/* after the year: not yet */
	snb_award(b, "P1", 2005, "S", NULL);	/* before the window */
	snb_award(b, "P2", 2020, "S", NULL);
	snb_award(b, "P4", 2025, "S", NULL);	/* this year's ledger */
	snb_award(b, "P5", 2026, "S", NULL);
	run(&g, b, Y, 2025);
	EXPECT(&g, "P1", "EV", "eligible");
	EXPECT(&g, "P2", "EV", "eligible");
	EXPECT(&g, "P3", "EV", "ineligible");
	EXPECT(&g, "P5", "EV", "ineligible");
	EXPECT(&g, "P1", "S", "ineligible");
	EXPECT(&g, "P2", "S", "ineligible");
	EXPECT(&g, "P3", "S", "eligible");
	EXPECT(&g, "P4", "S", "ineligible");
	EXPECT(&g, "P5", "S", "eligible");
	g_lang = LANG_EN;
	SAYS(&g, "P1", "S", "S: 1 time(s) in any year up to 2025");
	SAYS(&g, "P1", "EV", "any year up to 2025");
	g_lang = LANG_VI;
	done(&g);
	snb_free(b);
}

/*
 * since_award: only the years after the latest award of the code count,
 * this year's verdicts of earlier awards included; never held: fails.
 */
static void
test_since_award(void **state)
{
	static const char Y[] = RHEAD
	    AWARD("C", "person", "", "      - rating: {min: HTXSNV}\n")
	    AWARD("K", "person", "", "      - rating: {min: HTXSNV, consecutive_years: 12}\n")
	    AWARD("T", "person", "", "      - award: {code: C, min_count: 3, since_award: K}\n");
	struct snb *b = factory();
	struct eng g;

	(void)state;
	for (int i = 1; i <= 5; i++) {
		char code[8];

		snprintf(code, sizeof code, "P%d", i);
		snb_person(b, code, "A", "employee", "2000-01-01");
		snb_rating(b, code, 2025, i == 5 ? "HTXSNV" : "HTTNV");
		if (i != 4)
			snb_award(b, code, 2019, "K", NULL);
	}
	snb_award(b, "P1", 2018, "C", NULL);
	snb_award(b, "P1", 2019, "C", NULL);
	snb_award(b, "P1", 2021, "C", NULL);
	snb_award(b, "P1", 2022, "C", NULL);
	snb_award(b, "P2", 2021, "C", NULL);
	snb_award(b, "P2", 2022, "C", NULL);
	snb_award(b, "P2", 2023, "C", NULL);
	for (int y = 2017; y <= 2021; y++)
		snb_award(b, "P3", y, "C", NULL);
	snb_award(b, "P3", 2022, "K", NULL);
	snb_award(b, "P4", 2021, "C", NULL);
	snb_award(b, "P4", 2022, "C", NULL);
	snb_award(b, "P4", 2023, "C", NULL);
	snb_award(b, "P5", 2021, "C", NULL);
	snb_award(b, "P5", 2022, "C", NULL);
	run(&g, b, Y, 2025);
	EXPECT(&g, "P1", "T", "ineligible");	/* 2 after 2019 */
	EXPECT(&g, "P2", "T", "eligible");
	EXPECT(&g, "P3", "T", "ineligible");	/* none after K 2022 */
	EXPECT(&g, "P4", "T", "ineligible");	/* never held K */
	EXPECT(&g, "P5", "C", "eligible");
	EXPECT(&g, "P5", "T", "eligible");	/* 2021, 2022 and this year's C */
	SAYS(&g, "P3", "T", "tính sau K 2022");
	SAYS(&g, "P3", "T", "cần thêm 3 lần C");
	done(&g);
	snb_free(b);
}

/*
 * Tenure: from the joining day (one day short), from service periods
 * summed or continuous (a run broken by a day), a range (max_months),
 * coefficients by kind (the rows' and the clause's), thresholds by sex.
 */
static void
test_tenure(void **state)
{
	static const char Y[] = RHEAD
	    AWARD("T6", "person", "", "      - tenure: {min_months: 6}\n")
	    AWARD("RNG", "person", "", "      - tenure: {min_months: 120, max_months: 179, continuous: true}\n")
	    AWARD("SUM", "person", "", "      - tenure: {min_months: 240}\n")
	    AWARD("CONT", "person", "", "      - tenure: {min_months: 240, continuous: true}\n")
	    AWARD("CF", "person", "", "      - tenure: {min_months: 120}\n")
	    AWARD("CF1", "person", "", "      - tenure: {min_months: 120, coefficients: {hardship: 1}}\n")
	    AWARD("CF3", "person", "", "      - tenure: {min_months: 120, coefficients: {hardship: 3}}\n")
	    AWARD("FEM", "person", "", "      - tenure: {min_months: 240, female_min_months: 200}\n");
	struct snb *b = factory();
	struct eng g;

	(void)state;
	snb_person(b, "E1", "A", "employee", "2025-07-01");
	snb_person(b, "E2", "A", "employee", "2025-07-02");
	snb_person(b, "S1", "A", "employee", "2012-01-01");
	snb_service(b, "S1", "2012-01-01", NULL, "regular", 1);		/* 168 */
	snb_person(b, "S2", "A", "employee", "2010-01-01");
	snb_service(b, "S2", "2010-01-01", NULL, "regular", 1);		/* 192 */
	snb_person(b, "S3", "A", "employee", "2000-01-01");
	snb_service(b, "S3", "2015-01-01", NULL, "regular", 1);		/* 132 */
	snb_service(b, "S3", "2000-01-01", "2009-12-31", "regular", 1);	/* + 120 */
	snb_person(b, "S4", "A", "employee", "2000-01-01");
	snb_service(b, "S4", "2000-01-01", "2009-12-31", "regular", 1);
	snb_service(b, "S4", "2010-01-01", NULL, "regular", 1);		/* one run: 312 */
	snb_person(b, "S5", "A", "employee", "2000-01-01");
	snb_service(b, "S5", "2000-01-01", "2009-12-30", "regular", 1);
	snb_service(b, "S5", "2010-01-01", NULL, "regular", 1);		/* broken: 192 */
	snb_person(b, "H1", "A", "employee", "2018-01-01");
	snb_service(b, "H1", "2018-01-01", "2019-12-31", "hardship", 2);	/* 48 */
	snb_service(b, "H1", "2020-01-01", NULL, "regular", 1);		/* + 72 */
	snb_person(b, "H2", "A", "employee", "2018-01-01");
	snb_service(b, "H2", "2018-01-01", "2019-12-31", "hardship", 1.5);	/* 36 */
	snb_service(b, "H2", "2020-01-01", NULL, "regular", 1);		/* + 72 */
	snb_person(b, "F1", "A", "employee", "2009-01-01");	/* 204 */
	snb_sex(b, "F1", 'f');
	snb_person(b, "M1", "A", "employee", "2009-01-01");
	snb_sex(b, "M1", 'm');
	snb_person(b, "L1", "A", "employee", "2000-01-01");
	snb_left(b, "L1", "2024-12-31");	/* not serving in 2025 */
	run(&g, b, Y, 2025);
	assert_int_equal(snb_subject(&g.sn, "L1"), -1);
	EXPECT(&g, "E1", "T6", "eligible");
	EXPECT(&g, "E2", "T6", "ineligible");
	EXPECT(&g, "S1", "RNG", "eligible");
	EXPECT(&g, "S2", "RNG", "ineligible");	/* over the range */
	EXPECT(&g, "S3", "RNG", "eligible");	/* the last run: 132 */
	EXPECT(&g, "S3", "SUM", "eligible");	/* 252 */
	EXPECT(&g, "S1", "SUM", "ineligible");
	EXPECT(&g, "S3", "CONT", "ineligible");
	EXPECT(&g, "S4", "CONT", "eligible");
	EXPECT(&g, "S5", "CONT", "ineligible");
	EXPECT(&g, "S5", "SUM", "eligible");	/* 311 summed */
	EXPECT(&g, "H1", "CF", "eligible");
	EXPECT(&g, "H2", "CF", "ineligible");
	EXPECT(&g, "H1", "CF1", "ineligible");	/* the clause's 1 overrides 2 */
	EXPECT(&g, "H2", "CF3", "eligible");	/* 108 + 72 */
	EXPECT(&g, "F1", "FEM", "eligible");
	EXPECT(&g, "M1", "FEM", "ineligible");
	g_lang = LANG_EN;
	SAYS(&g, "E2", "T6", "5 months (needs 6)");
	SAYS(&g, "E2", "T6", "reached on 2026-01-02");
	SAYS(&g, "S3", "CONT", "continuous, from 2015-01-01");
	SAYS(&g, "H1", "CF", "with coefficients");
	g_lang = LANG_VI;
	done(&g);
	snb_free(b);
}

/*
 * Discipline: a form the clause names during the year vetoes; one it
 * does not name, or one outside the year, does not; a pending case open
 * at the year's end holds every verdict of the subject.
 */
static void
test_discipline(void **state)
{
	static const char Y[] = RHEAD
	    AWARD("ND", "person", "", "      - rating: {min: HTTNV}\n"
		"      - no_discipline: {forms: [reprimand, warning, demotion, dismissal]}\n")
	    AWARD("NR", "person", "", "      - rating: {min: HTTNV}\n"
		"      - no_discipline: {forms: [reprimand]}\n");
	struct snb *b = factory();
	struct eng g;

	(void)state;
	for (int i = 1; i <= 7; i++) {
		char code[8];

		snprintf(code, sizeof code, "D%d", i);
		snb_person(b, code, "A", "employee", "2010-01-01");
		snb_rating(b, code, 2025, "HTTNV");
	}
	snb_discipline(b, "D1", "reprimand", "2025-03-01", "2025-09-01");
	snb_discipline(b, "D2", "pending", "2025-11-01", NULL);
	snb_discipline(b, "D3", "pending", "2025-03-01", "2025-06-01");
	snb_discipline(b, "D4", "reprimand", "2023-01-01", "2023-06-01");
	snb_discipline(b, "D5", "warning", "2025-02-01", "2025-03-01");
	snb_discipline(b, "D6", "pending", "2025-10-01", "2026-02-01");
	run(&g, b, Y, 2025);
	EXPECT(&g, "D1", "ND", "ineligible");
	EXPECT(&g, "D2", "ND", "held");
	EXPECT(&g, "D2", "NR", "held");
	EXPECT(&g, "D3", "ND", "eligible");
	EXPECT(&g, "D4", "ND", "eligible");
	EXPECT(&g, "D5", "ND", "ineligible");
	EXPECT(&g, "D5", "NR", "eligible");
	EXPECT(&g, "D6", "ND", "held");
	EXPECT(&g, "D7", "ND", "eligible");
	g_lang = LANG_EN;
	SAYS(&g, "D1", "ND", "reprimand");
	g_lang = LANG_VI;
	done(&g);
	snb_free(b);
}

/*
 * Quotas: the eligible subjects ranked in the scope unit by the regular
 * movement's score, ties by code, no score last; past floor(pct × N)
 * of the members they are over_quota.
 */
static void
test_quota(void **state)
{
	static const char Y[] = RHEAD
	    AWARD("Q", "person", "    quota: {max_pct: 50, of: members, scope: enterprise}\n",
		"      - rating: {min: HTTNV}\n");
	struct snb *b = factory();
	struct eng g;

	(void)state;
	for (int i = 1; i <= 5; i++) {
		char code[8];

		snprintf(code, sizeof code, "P%d", i);
		snb_person(b, code, i == 5 ? "B" : "A", "employee", "2010-01-01");
		snb_rating(b, code, 2025, i == 5 ? "HTNV" : "HTTNV");
	}
	snb_score(b, "regular", "P1", 75, 2);
	snb_score(b, "regular", "P2", 90, 1);
	snb_score(b, "regular", "P3", 75, 2);
	snb_score(b, "other", "P4", 100, 1);	/* not the regular movement */
	run(&g, b, Y, 2025);
	EXPECT(&g, "P2", "Q", "eligible");
	EXPECT(&g, "P1", "Q", "eligible");	/* ties with P3, first by code */
	EXPECT(&g, "P3", "Q", "over_quota");
	EXPECT(&g, "P4", "Q", "over_quota");	/* no score: last */
	EXPECT(&g, "P5", "Q", "ineligible");	/* a member, not eligible */
	g_lang = LANG_EN;
	SAYS(&g, "P3", "Q", "Quota 50 % of 5 in Z: at most 2, ranked 3");
	SAYS(&g, "P4", "Q", "ranked 4");
	g_lang = LANG_VI;
	done(&g);
	snb_free(b);
}

/* `all` nested in `any`, and the award's own implicit `all`. */
static void
test_all_any(void **state)
{
	static const char Y[] = RHEAD
	    AWARD("AA", "person", "",
		"      - any:\n"
		"          - all:\n"
		"              - rating: {min: HTXSNV}\n"
		"              - tenure: {min_months: 24}\n"
		"          - innovations: {min_level: ministry}\n")
	    AWARD("A2", "person", "", "      - rating: {min: HTTNV}\n"
		"      - tenure: {min_months: 24}\n");
	struct snb *b = factory();
	struct eng g;

	(void)state;
	snb_person(b, "A1", "A", "employee", "2010-01-01");
	snb_rating(b, "A1", 2025, "HTXSNV");
	snb_person(b, "A2", "A", "employee", "2025-01-01");
	snb_rating(b, "A2", 2025, "HTXSNV");
	snb_person(b, "A3", "A", "employee", "2010-01-01");
	snb_rating(b, "A3", 2025, "HTTNV");
	snb_person(b, "A4", "A", "employee", "2025-01-01");
	snb_rating(b, "A4", 2025, "HTTNV");
	snb_innovation(b, "SK-1", 2025, "initiative", "ministry", 0);
	snb_author(b, "SK-1", "A4");
	snb_innovation(b, "SK-2", 2025, "initiative", "base", 0);
	snb_author(b, "SK-2", "A3");
	run(&g, b, Y, 2025);
	EXPECT(&g, "A1", "AA", "eligible");
	EXPECT(&g, "A2", "AA", "ineligible");	/* half of the all */
	EXPECT(&g, "A3", "AA", "ineligible");	/* a base-level one only */
	EXPECT(&g, "A4", "AA", "eligible");
	EXPECT(&g, "A1", "A2", "eligible");
	EXPECT(&g, "A2", "A2", "ineligible");
	EXPECT(&g, "A3", "A2", "eligible");
	g_lang = LANG_EN;
	SAYS(&g, "A2", "AA", "✗ All of");
	SAYS(&g, "A2", "AA", "needs 24 months of service (reached on 2027-01-01)");
	g_lang = LANG_VI;
	{
		json_t *r = explain(&g, "A4", "AA"), *on = json_object_get(r, "based_on");

		assert_int_equal(json_array_size(on), 1);
		assert_string_equal(json_string_value(json_array_get(on, 0)), "SK-1");
		r = explain(&g, "A1", "AA");
		assert_int_equal(json_array_size(json_object_get(r, "based_on")), 0);
	}
	done(&g);
	snb_free(b);
}

/*
 * Innovations: min_benefit at its edge, the year's window, co-authors,
 * and unused_by (one achievement, one award).
 */
static void
test_min_benefit(void **state)
{
	static const char Y[] = RHEAD
	    AWARD("IB", "person", "", "      - innovations: {min_level: base, min_benefit: 1000000, within_years: 1}\n")
	    AWARD("I2Y", "person", "", "      - innovations: {min_level: base, min_benefit: 1000000, within_years: 2}\n")
	    AWARD("IU", "person", "", "      - innovations: {min_level: base, unused_by: [IB]}\n");
	struct snb *b = factory();
	struct eng g;

	(void)state;
	for (int i = 1; i <= 5; i++) {
		char code[8];

		snprintf(code, sizeof code, "I%d", i);
		snb_person(b, code, "A", "employee", "2010-01-01");
	}
	snb_innovation(b, "SK-1", 2025, "initiative", "base", 1000000);
	snb_author(b, "SK-1", "I1");
	snb_author(b, "SK-1", "I4");
	snb_innovation(b, "SK-2", 2025, "research", "national", 999999);
	snb_author(b, "SK-2", "I2");
	snb_innovation(b, "SK-3", 2024, "initiative", "base", 5000000);
	snb_author(b, "SK-3", "I3");
	snb_innovation(b, "SK-4", 2025, "mechanisation", "base", 500);
	snb_author(b, "SK-4", "I5");
	snb_award(b, "I5", 2025, "IB", "SK-4");	/* the ledger rests IB on it */
	run(&g, b, Y, 2025);
	EXPECT(&g, "I1", "IB", "eligible");
	EXPECT(&g, "I2", "IB", "ineligible");
	EXPECT(&g, "I3", "IB", "ineligible");	/* last year's */
	EXPECT(&g, "I3", "I2Y", "eligible");
	EXPECT(&g, "I2", "I2Y", "ineligible");
	EXPECT(&g, "I4", "IB", "eligible");	/* a co-author */
	EXPECT(&g, "I1", "IU", "ineligible");	/* IB rests on SK-1 this run */
	EXPECT(&g, "I2", "IU", "eligible");
	EXPECT(&g, "I5", "IB", "ineligible");	/* (not by this run) */
	EXPECT(&g, "I5", "IU", "ineligible");	/* the ledger's IB rests on SK-4 */
	SAYS(&g, "I5", "IU", "SK-4: đã dùng cho IB");
	{
		json_t *on = json_object_get(explain(&g, "I1", "IB"), "based_on");

		assert_int_equal(json_array_size(on), 1);
		assert_string_equal(json_string_value(json_array_get(on, 0)), "SK-1");
	}
	done(&g);
	snb_free(b);
}

/* Scores: min_points at its edge, max_rank, no score at all. */
static void
test_min_points(void **state)
{
	static const char Y[] = RHEAD
	    AWARD("SP", "person", "", "      - score: {movement: M1, min_points: 80}\n")
	    AWARD("SR", "person", "", "      - score: {movement: M1, max_rank: 1}\n");
	struct snb *b = factory();
	struct eng g;

	(void)state;
	for (int i = 1; i <= 4; i++) {
		char code[8];

		snprintf(code, sizeof code, "S%d", i);
		snb_person(b, code, "A", "employee", "2010-01-01");
	}
	snb_score(b, "M1", "S1", 85, 1);
	snb_score(b, "M1", "S2", 79.5, 3);
	snb_score(b, "M1", "S4", 80, 2);
	snb_score(b, "M2", "S3", 99, 1);
	run(&g, b, Y, 2025);
	EXPECT(&g, "S1", "SP", "eligible");
	EXPECT(&g, "S2", "SP", "ineligible");
	EXPECT(&g, "S3", "SP", "ineligible");
	EXPECT(&g, "S4", "SP", "eligible");
	EXPECT(&g, "S1", "SR", "eligible");
	EXPECT(&g, "S4", "SR", "ineligible");
	g_lang = LANG_EN;
	SAYS(&g, "S3", "SP", "No score in the movement M1 2025");
	g_lang = LANG_VI;
	done(&g);
	snb_free(b);
}

/*
 * Units: members meeting a rating (a person who moved counts in both
 * units), serious incidents in the subtree, military units only.
 */
static void
test_units(void **state)
{
	static const char Y[] = RHEAD
	    AWARD("U70", "unit", "", "      - members: {rating_min: HTTNV, min_pct: 70}\n"
		"      - no_incident: {severity: serious}\n")
	    AWARD("MIL", "unit", "    military: true\n", "      - no_incident: {severity: minor}\n");
	struct snb *b = factory();
	struct eng g;

	(void)state;
	for (int i = 0; i < 10; i++) {
		char code[8];

		snprintf(code, sizeof code, "A%d", i);
		snb_person(b, code, "A", "employee", "2010-01-01");
		snb_rating(b, code, 2025, i < 7 ? "HTTNV" : "HTNV");
	}
	for (int i = 0; i < 3; i++) {
		char code[8];

		snprintf(code, sizeof code, "B%d", i);
		snb_person(b, code, "B", "employee", "2010-01-01");
		snb_rating(b, code, 2025, i < 2 ? "HTTNV" : "HTNV");
	}
	snb_person(b, "MV", "B", "employee", "2010-01-01");	/* moved A → B */
	snb_stay(b, "MV", "A");
	snb_stay(b, "MV", "B");
	snb_rating(b, "MV", 2025, "HTXSNV");
	snb_person(b, "M0", "M", "officer", "2010-01-01");
	snb_rating(b, "M0", 2025, "HTTNV");
	snb_incident(b, "A", "2025-05-12", "minor");
	snb_incident(b, "M", "2025-06-01", "serious");
	snb_incident(b, "B", "2024-06-01", "serious");	/* last year */
	run(&g, b, Y, 2025);
	EXPECT(&g, "A", "U70", "eligible");	/* 8/11 */
	EXPECT(&g, "B", "U70", "eligible");	/* 3/4 with MV */
	EXPECT(&g, "M", "U70", "ineligible");	/* a serious incident */
	EXPECT(&g, "Z", "U70", "ineligible");	/* M's incident is in its subtree */
	EXPECT(&g, "M", "MIL", "ineligible");
	assert_string_equal(verdict(&g, "A", "MIL"), "");	/* not military */
	SAYS(&g, "A", "U70", "8/11");
	done(&g);
	snb_free(b);
}

/*
 * Many subjects under the default rule set: the verdicts are the same
 * whatever the run is asked for (results classed with holes for JSON or
 * not for CSV; stopping after one award), and the JSON written twice
 * from one run is the same text.
 */
static void
test_runs_agree(void **state)
{
	static const char *const rt[] = { "HTXSNV", "HTTNV", "HTNV", "KHTNV" };
	struct snb *b = factory();
	struct eng g;
	struct elig_run r2;
	struct err e;
	size_t cells;
	int a;

	(void)state;
	snb_unit(b, "T1", "A", "team", 0);
	snb_unit(b, "T2", "B", "team", 0);
	for (int i = 0; i < 3000; i++) {
		static const char *const units[] = { "A", "B", "M", "T1", "T2" };
		static const char *const cat[] = { "employee", "defence_worker",
		    "officer", "employee", "professional_soldier" };
		char code[16], joined[11];

		snprintf(code, sizeof code, "N%04d", i);
		snprintf(joined, sizeof joined, "%04d-%02d-%02d", 1990 + i % 36,
		    1 + i % 12, 1 + i % 28);
		snb_person(b, code, units[i % 5], cat[i % 5], joined);
		for (int y = 2016; y <= 2025; y++)
			if ((i + y) % 7 != 0)
				snb_rating(b, code, y, rt[(i * 3 + y) % 11 % 4]);
		if (i % 9 == 0)
			snb_award(b, code, 2021 + i % 4, "CSTDCS", NULL);
		if (i % 13 == 0) {
			char sk[16];

			snprintf(sk, sizeof sk, "SK-%d", i);
			snb_innovation(b, sk, 2024 + i % 2, i % 2 ? "initiative" : "research",
			    "base", i * 1000);
			snb_author(b, sk, code);
		}
		if (i % 97 == 0)
			snb_discipline(b, code, i % 2 ? "pending" : "warning", "2025-05-01", NULL);
	}
	for (int y = 2016; y <= 2025; y++) {
		snb_rating(b, "A", y, "HTXSNV");
		snb_rating(b, "B", y, "HTTNV");
		snb_rating(b, "T1", y, rt[y % 4]);
	}
	run(&g, b, rules_default_yaml, 2025);
	cells = g.sn.nsubj * (size_t)g.rs->naward;
	memset(&e, 0, sizeof e);
	assert_int_equal(elig_run(&r2, g.rs, &g.sn, -1, 0, &e), 0);
	assert_memory_equal(r2.verdict, g.r.verdict, cells);
	elig_run_free(&r2);
	a = rules_award_index(g.rs, "CSTDCS");
	assert_true(a >= 0);
	assert_int_equal(elig_run(&r2, g.rs, &g.sn, a, 1, &e), 0);
	for (size_t s = 0; s < g.sn.nsubj; s++)
		assert_int_equal(r2.verdict[s * g.rs->naward + a],
		    g.r.verdict[s * g.rs->naward + a]);
	elig_run_free(&r2);
	{
		long n[EV_HELD + 1] = { 0 };

		for (size_t i = 0; i < cells; i++)
			n[g.r.verdict[i]]++;
		assert_true(n[EV_ELIGIBLE] > 100);	/* a mix, not all one */
		assert_true(n[EV_INELIGIBLE] > 100);
		assert_true(n[EV_HELD] > 0);
	}
	{
		struct sb x, y;

		sb_init(&x);
		sb_init(&y);
		assert_int_equal(elig_write(&g.r, ELIG_JSON, -1, -1, 0, NULL, 0, 0, &x, NULL,
		    NULL), 0);
		assert_int_equal(elig_write(&g.r, ELIG_JSON, -1, -1, 0, NULL, 0, 0, &y, NULL,
		    NULL), 0);
		assert_true(x.len > 100000);
		assert_string_equal(x.s, y.s);
		sb_free(&x);
		sb_free(&y);
	}
	done(&g);
	snb_free(b);
}

/*
 * The builder lays out a snapshot as the store's loader does: the same
 * rows under the default rule set, built here and imported into SQLite
 * (elig_json loads them), give the same document byte for byte.
 */
static void
test_same_as_store(void **state)
{
	struct store *st = test_open(0);
	struct snb *b = snb_new();
	struct elig_query q = { .year = 2025 };
	struct sb want;
	struct eng g;
	struct err e;

	(void)state;
	if (rules_init_default(st, NULL, &e) != 0)
		fail_msg("default rules: %s", e.msg);
	test_seed(st, "units", "code,name,parent,kind,military\n"
	    "Z,Z121,,enterprise,0\nA,A,Z,workshop,0\nB,B,Z,workshop,0\n"
	    "M,M,Z,workshop,1\nT,T,A,team,0\n");
	snb_unit(b, "Z", NULL, "enterprise", 0);
	snb_unit(b, "A", "Z", "workshop", 0);
	snb_unit(b, "B", "Z", "workshop", 0);
	snb_unit(b, "M", "Z", "workshop", 1);
	snb_unit(b, "T", "A", "team", 0);
	test_seed(st, "people", "code,name,unit,category,joined,left,sex\n"
	    "P1,a,A,employee,2000-01-01,,female\nP2,b,T,employee,2025-07-02,,\n"
	    "P3,c,M,officer,1995-03-01,,male\nP4,d,B,defence_worker,2010-01-01,,\n"
	    "P5,e,B,employee,2001-01-01,2024-06-30,\nP6,f,A,employee,2005-01-01,,\n");
	snb_person(b, "P1", "A", "employee", "2000-01-01");
	snb_sex(b, "P1", 'f');
	snb_person(b, "P2", "T", "employee", "2025-07-02");
	snb_person(b, "P3", "M", "officer", "1995-03-01");
	snb_sex(b, "P3", 'm');
	snb_person(b, "P4", "B", "defence_worker", "2010-01-01");
	snb_person(b, "P5", "B", "employee", "2001-01-01");
	snb_left(b, "P5", "2024-06-30");
	snb_person(b, "P6", "A", "employee", "2005-01-01");
	{
		static const char *const rt[] = { "HTXSNV", "HTTNV", "HTNV", "KHTNV" };
		const char *subj[] = { "P1", "P2", "P3", "P4", "P5", "P6", "A", "B", "M", "T", "Z" };
		struct sb csv;

		sb_init(&csv);
		sb_puts(&csv, "year,subject,rating\n");
		for (int y = 2005; y <= 2025; y++)
			for (size_t i = 0; i < sizeof subj / sizeof subj[0]; i++) {
				const char *r = rt[(y * 7 + i * 3) % 5 % 4];

				if ((y + i) % 6 == 0)
					continue;
				sb_printf(&csv, "%d,%s,%s\n", y, subj[i], r);
				snb_rating(b, subj[i], y, r);
			}
		test_seed(st, "ratings", csv.s);
		sb_free(&csv);
	}
	test_seed(st, "innovations", "code,kind,title,year,level,authors,benefit\n"
	    "SK-1,initiative,x,2025,base,P1;P6,2000000\nSK-2,research,y,2024,ministry,P1,\n"
	    "SK-3,mechanisation,z,2025,base,P4,500\n");
	snb_innovation(b, "SK-1", 2025, "initiative", "base", 2000000);
	snb_author(b, "SK-1", "P1");
	snb_author(b, "SK-1", "P6");
	snb_innovation(b, "SK-2", 2024, "research", "ministry", 0);
	snb_author(b, "SK-2", "P1");
	snb_innovation(b, "SK-3", 2025, "mechanisation", "base", 500);
	snb_author(b, "SK-3", "P4");
	test_seed(st, "awards", "year,subject,award,decision,date,based_on\n"
	    "2005,P3,HCCSVV3,,,\n2019,P1,BKBQP,,,\n2021,P1,CSTDCS,,,\n2022,P1,CSTDCS,,,\n"
	    "2023,P1,CSTDCS,,,\n2024,P1,CSTDCS,,,SK-2\n2024,A,TTLDTT,,,\n");
	snb_award(b, "P3", 2005, "HCCSVV3", NULL);
	snb_award(b, "P1", 2019, "BKBQP", NULL);
	snb_award(b, "P1", 2021, "CSTDCS", NULL);
	snb_award(b, "P1", 2022, "CSTDCS", NULL);
	snb_award(b, "P1", 2023, "CSTDCS", NULL);
	snb_award(b, "P1", 2024, "CSTDCS", "SK-2");
	snb_award(b, "A", 2024, "TTLDTT", NULL);
	test_seed(st, "service", "person,from,to,kind,coefficient\n"
	    "P3,1995-03-01,2004-12-31,regular,1\nP3,2005-01-01,2007-12-31,hardship,2\n"
	    "P3,2008-01-01,,regular,1\n");
	snb_service(b, "P3", "1995-03-01", "2004-12-31", "regular", 1);
	snb_service(b, "P3", "2005-01-01", "2007-12-31", "hardship", 2);
	snb_service(b, "P3", "2008-01-01", NULL, "regular", 1);
	test_seed(st, "discipline", "subject,form,from,to\n"
	    "P4,reprimand,2025-02-01,2025-08-01\nP6,pending,2025-12-01,\n");
	snb_discipline(b, "P4", "reprimand", "2025-02-01", "2025-08-01");
	snb_discipline(b, "P6", "pending", "2025-12-01", NULL);
	test_seed(st, "incidents", "unit,date,severity\nT,2025-04-01,serious\nB,2025-03-01,minor\n");
	snb_incident(b, "T", "2025-04-01", "serious");
	snb_incident(b, "B", "2025-03-01", "minor");

	sb_init(&want);
	if (elig_json(st, &q, &want, &e) != 0)
		fail_msg("elig_json: %s", e.msg);
	run(&g, b, rules_default_yaml, 2025);
	{
		struct sb got;

		sb_init(&got);
		assert_int_equal(elig_write(&g.r, ELIG_JSON, -1, -1, 0, NULL, 0, 0, &got,
		    NULL, NULL), 0);
		assert_true(want.len > 1000);
		if (strcmp(got.s, want.s) != 0) {
			size_t i = 0;

			while (got.s[i] == want.s[i])
				i++;
			fail_msg("the documents differ at %zu:\nbuilt: %.300s\nstore: %.300s",
			    i, got.s + (i > 100 ? i - 100 : 0), want.s + (i > 100 ? i - 100 : 0));
		}
		sb_free(&got);
	}
	sb_free(&want);
	done(&g);
	snb_free(b);
	store_close(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rating_streak),
		cmocka_unit_test(test_ever_once),
		cmocka_unit_test(test_since_award),
		cmocka_unit_test(test_tenure),
		cmocka_unit_test(test_discipline),
		cmocka_unit_test(test_quota),
		cmocka_unit_test(test_all_any),
		cmocka_unit_test(test_min_benefit),
		cmocka_unit_test(test_min_points),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_runs_agree),
		cmocka_unit_test(test_same_as_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
