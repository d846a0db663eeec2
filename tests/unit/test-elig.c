/*
 * test-elig.c: the eligibility engine end to end on SQLite and
 * PostgreSQL: each clause kind at its boundaries (70 % vs 69.9 %, tenure
 * one day short, a streak broken by KHTNV, since_award, held, a quota cap
 * with ties, campaign and revoked awards, one achievement one award,
 * members over person_units history), and the same document from the
 * threaded engine and writer as from one-subject queries.
 */
#include "testutil.h"
#include <jansson.h>

#include "elig.h"
#include "import.h"
#include "rules.h"

static struct store *
setup(int b, const char *yaml)
{
	struct store *st = test_open(b);
	struct err e;
	int changed;

	if (yaml == NULL) {
		if (rules_init_default(st, NULL, &e) != 0)
			fail_msg("default rules: %s", e.msg);
	} else {
		char *path = xasprintf("%s/rules-%d-%d.yaml",
		    getenv("THIDUA_TEST_TMP") ? getenv("THIDUA_TEST_TMP") : "/tmp",
		    (int)getpid(), b);
		FILE *f = fopen(path, "w");

		assert_non_null(f);
		fputs(yaml, f);
		fclose(f);
		if (rules_load_file(st, path, &changed, NULL, &e) != 0)
			fail_msg("rules: %s:%ld:%ld %s", e.file, e.line, e.col, e.msg);
		unlink(path);
		free(path);
	}
	return st;
}

static void
expect(struct store *st, int year, const char *subj, const char *award,
    const char *verdict)
{
	struct elig_verdict v;
	struct err e;

	if (elig_verdict(st, year, subj, award, NULL, &v, &e) != 0)
		fail_msg("%s %s: %s", subj, award, e.msg);
	if (strcmp(v.verdict, verdict) != 0)
		fail_msg("%s %s: %s, expected %s (%s)", subj, award, v.verdict,
		    verdict, v.reasons);
	elig_verdict_free(&v);
}

/* The result object of (subject, award) in the year's JSON; caller decrefs root. */
static json_t *
result(struct store *st, int year, const char *subj, const char *award,
    json_t **root)
{
	struct elig_query q = { .year = year, .subject = subj, .award = award };
	struct sb out;
	struct err e;
	json_error_t je;

	sb_init(&out);
	if (elig_json(st, &q, &out, &e) != 0)
		fail_msg("%s", e.msg);
	if ((*root = json_loads(out.s, 0, &je)) == NULL)
		fail_msg("bad JSON: %s", je.text);
	sb_free(&out);
	assert_int_equal(json_array_size(json_object_get(*root, "results")), 1);
	return json_array_get(json_object_get(*root, "results"), 0);
}

static const char UNITS[] =
    "code,name,parent,kind,military\n"
    "Z,Z121,,enterprise,0\nA,Phân xưởng A,Z,workshop,0\nB,Phân xưởng B,Z,workshop,0\n"
    "C,Tổ C,Z,team,0\nM,Tiểu đoàn M,Z,workshop,1\n";

static void
test_tenure_boundary(void **state)
{
	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = setup(b, NULL);

		test_seed(st, "units", UNITS);
		test_seed(st, "people", "code,name,unit,category,joined\n"
		    "E1,An,A,employee,2025-07-01\nE2,Bình,A,employee,2025-07-02\n"
		    "S1,Cường,M,officer,2025-04-01\nS2,Dũng,M,defence_worker,2025-04-02\n");
		test_seed(st, "ratings", "year,subject,rating\n2025,E1,HTTNV\n2025,E2,HTTNV\n"
		    "2025,S1,HTTNV\n2025,S2,HTXSNV\n");
		expect(st, 2025, "E1", "LDTT", "eligible");
		expect(st, 2025, "E2", "LDTT", "ineligible");
		{
			struct elig_verdict v;
			struct err e;

			assert_int_equal(elig_verdict(st, 2025, "E2", "LDTT", NULL, &v, &e), 0);
			assert_non_null(strstr(v.reasons, "cần đủ 6 tháng công tác"));
			assert_non_null(strstr(v.reasons, "\nneeds 6 months of service"));
			assert_int_equal(v.nbased_on, 0);
			elig_verdict_free(&v);
			assert_int_equal(elig_verdict(st, 2025, "S1", "LDTT", NULL, &v, &e), -1);
			assert_int_equal(e.kind, ERR_NOTFOUND);
		}
		expect(st, 2025, "S1", "CSTT", "eligible");
		expect(st, 2025, "S2", "CSTT", "ineligible");
		{
			json_t *root, *r;

			g_lang = LANG_EN;
			r = result(st, 2025, "E2", "LDTT", &root);
			assert_true(test_says(r, "5 months (needs 6)"));
			assert_true(test_says(r, "reached on 2026-01-02"));
			json_decref(root);
			g_lang = LANG_VI;
		}
		store_close(st);
	}
}

#define RHEAD "rule_set: t\neffective: 2020-01-01\nratings: {HTXSNV: 90, HTTNV: 70, HTNV: 50}\nawards:\n"
#define RAWARD(code, subj, extra, req) "  - code: " code "\n    name: {vi: a, en: b}\n" \
	"    family: title\n    subject: " subj "\n    level: base\n    basis: x\n" extra \
	"    require:\n" req

static void
test_members_pct_boundary(void **state)
{
	static const char Y[] = RHEAD
	    RAWARD("U70", "unit", "", "      - members: {rating_min: HTTNV, min_pct: 70}\n")
	    RAWARD("U50", "unit", "", "      - members: {rating_min: HTTNV, over_pct: 50}\n");

	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = setup(b, Y);
		struct sb p, r;

		test_seed(st, "units", UNITS);
		sb_init(&p);
		sb_init(&r);
		sb_puts(&p, "code,name,unit,category,joined\n");
		sb_puts(&r, "year,subject,rating\n");
		for (int i = 0; i < 10; i++) {
			sb_printf(&p, "A%03d,Người A%d,A,employee,2010-01-01\n", i, i);
			sb_printf(&r, "2025,A%03d,%s\n", i, i < 7 ? "HTTNV" : "HTNV");
		}
		for (int i = 0; i < 1000; i++) {
			sb_printf(&p, "B%04d,Người B%d,B,employee,2010-01-01\n", i, i);
			sb_printf(&r, "2025,B%04d,%s\n", i, i < 699 ? "HTXSNV" : "KHTNV");
		}
		sb_puts(&p, "C1,Một,C,employee,2010-01-01\nC2,Hai,C,employee,2010-01-01\n");
		sb_puts(&r, "2025,C1,HTTNV\n2025,C2,HTNV\n");
		test_seed(st, "people", p.s);
		test_seed(st, "ratings", r.s);
		sb_free(&p);
		sb_free(&r);
		expect(st, 2025, "A", "U70", "eligible");
		expect(st, 2025, "B", "U70", "ineligible");
		expect(st, 2025, "Z", "U70", "ineligible");	/* 707/1012 */
		expect(st, 2025, "C", "U50", "ineligible");	/* 50 % is not > 50 % */
		expect(st, 2025, "A", "U50", "eligible");
		{
			json_t *root, *x;

			x = result(st, 2025, "A", "U70", &root);
			assert_true(test_says(x, "7/10 = 70.0 % ≥ 70.0 %"));
			json_decref(root);
			x = result(st, 2025, "B", "U70", &root);
			assert_true(test_says(x, "699/1000 = 69.9 % < 70.0 %"));
			assert_true(test_says(x, "cần thêm 1 thành viên"));
			json_decref(root);
		}
		store_close(st);
	}
}

static void
test_streak_broken(void **state)
{
	static const char Y[] = RHEAD
	    RAWARD("R3", "person", "", "      - rating: {min: HTTNV, consecutive_years: 3}\n");

	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = setup(b, Y);
		json_t *root, *r;

		test_seed(st, "units", UNITS);
		test_seed(st, "people", "code,name,unit,category,joined\n"
		    "P1,An,A,employee,2010-01-01\nP2,Bình,A,employee,2010-01-01\n");
		test_seed(st, "ratings", "year,subject,rating\n2023,P1,HTTNV\n2024,P1,KHTNV\n"
		    "2025,P1,HTXSNV\n2023,P2,HTTNV\n2024,P2,HTXSNV\n2025,P2,HTTNV\n");
		expect(st, 2025, "P1", "R3", "ineligible");
		expect(st, 2025, "P2", "R3", "eligible");
		g_lang = LANG_EN;
		r = result(st, 2025, "P1", "R3", &root);
		assert_true(test_says(r, "2024: KHTNV"));
		assert_true(test_says(r, "needs a rating ≥ HTTNV in 2026–2027 to make 3 consecutive years"));
		json_decref(root);
		g_lang = LANG_VI;
		store_close(st);
	}
}

static void
test_since_award(void **state)
{
	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = setup(b, NULL);
		struct sb r;

		test_seed(st, "units", UNITS);
		test_seed(st, "people", "code,name,unit,category,joined\n"
		    "P1,An,A,employee,2000-01-01\nP2,Bình,A,employee,2000-01-01\n"
		    "P3,Cúc,A,employee,2000-01-01\n");
		sb_init(&r);
		sb_puts(&r, "year,subject,rating\n");
		for (int y = 2017; y <= 2025; y++)
			for (int p = 1; p <= 3; p++)
				sb_printf(&r, "%d,P%d,HTTNV\n", y, p);
		test_seed(st, "ratings", r.s);
		sb_free(&r);
		test_seed(st, "awards", "year,subject,award\n"
		    "2019,P1,BKBQP\n2018,P1,CSTDCS\n2019,P1,CSTDCS\n2021,P1,CSTDCS\n2022,P1,CSTDCS\n"
		    "2019,P2,BKBQP\n2021,P2,CSTDCS\n2022,P2,CSTDCS\n2023,P2,CSTDCS\n"
		    "2019,P3,BKBQP\n2017,P3,CSTDCS\n2018,P3,CSTDCS\n2019,P3,CSTDCS\n"
		    "2020,P3,CSTDCS\n2021,P3,CSTDCS\n2022,P3,BKBQP\n");
		expect(st, 2025, "P1", "BKTTG", "ineligible");	/* 2 CSTDCS after 2019 */
		expect(st, 2025, "P2", "BKTTG", "eligible");
		expect(st, 2025, "P3", "BKTTG", "ineligible");	/* latest BKBQP 2022 */
		{
			json_t *root, *x = result(st, 2025, "P3", "BKTTG", &root);

			assert_true(test_says(x, "tính sau BKBQP 2022"));
			assert_true(test_says(x, "cần thêm 3 lần CSTDCS"));
			json_decref(root);
		}
		store_close(st);
	}
}

static void
test_held_and_discipline(void **state)
{
	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = setup(b, NULL);

		test_seed(st, "units", UNITS);
		test_seed(st, "people", "code,name,unit,category,joined\n"
		    "P1,An,A,employee,2010-01-01\nP2,Bình,A,employee,2010-01-01\n"
		    "P3,Cúc,A,employee,2010-01-01\nP4,Dư,A,employee,2010-01-01\n");
		test_seed(st, "ratings", "year,subject,rating\n2025,P1,HTTNV\n2025,P2,HTTNV\n"
		    "2025,P3,HTTNV\n2025,P4,HTTNV\n");
		test_seed(st, "discipline", "subject,form,from,to\n"
		    "P1,pending,2025-11-01,\nP2,pending,2025-03-01,2025-06-01\n"
		    "P3,reprimand,2024-06-01,2025-01-15\nP4,pending,2025-10-01,2026-02-01\n");
		expect(st, 2025, "P1", "LDTT", "held");
		expect(st, 2025, "P1", "GK", "held");
		expect(st, 2025, "P2", "LDTT", "eligible");
		expect(st, 2025, "P3", "LDTT", "ineligible");
		expect(st, 2025, "P4", "LDTT", "held");	/* closes after the year */
		expect(st, 2024, "P3", "GK", "ineligible");	/* not rated in 2024 */
		store_close(st);
	}
}

static void
test_quota_ties(void **state)
{
	static const char Y[] = RHEAD
	    RAWARD("Q", "person", "    quota: {max_pct: 50, of: members, scope: enterprise}\n",
	    "      - rating: {min: HTTNV}\n")
	    RAWARD("QA", "person", "    quota: {max_pct: 34, of: {award: Q}, scope: workshop}\n",
	    "      - award: {code: Q}\n");

	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = setup(b, Y);

		test_seed(st, "units", UNITS);
		test_seed(st, "people", "code,name,unit,category,joined\n"
		    "P4,An,A,employee,2010-01-01\nP2,Bình,A,employee,2010-01-01\n"
		    "P3,Cúc,A,employee,2010-01-01\nP1,Dư,A,employee,2010-01-01\n"
		    "P5,Én,B,employee,2010-01-01\n");
		test_seed(st, "ratings", "year,subject,rating\n2025,P1,HTTNV\n2025,P2,HTTNV\n"
		    "2025,P3,HTXSNV\n2025,P4,HTTNV\n2025,P5,KHTNV\n");
		/* 5 members, cap floor(2.5) = 2; equal scores: code order */
		expect(st, 2025, "P1", "Q", "eligible");
		expect(st, 2025, "P2", "Q", "eligible");
		expect(st, 2025, "P3", "Q", "over_quota");
		expect(st, 2025, "P4", "Q", "over_quota");
		expect(st, 2025, "P5", "Q", "ineligible");
		/* over_quota does not feed QA; cap of A: floor(34 % × 2) = 0 */
		expect(st, 2025, "P3", "QA", "ineligible");
		expect(st, 2025, "P1", "QA", "over_quota");
		{
			json_t *root, *x = result(st, 2025, "P3", "Q", &root);

			assert_true(test_says(x, "vượt chỉ tiêu"));
			json_decref(root);
		}
		store_close(st);
	}
}

static void
test_campaign_and_revoked(void **state)
{
	static const char Y[] = RHEAD
	    RAWARD("C", "person", "    campaign: true\n", "      - rating: {min: HTTNV}\n")
	    RAWARD("R", "person", "", "      - rating: {min: HTXSNV}\n")
	    RAWARD("X", "person", "", "      - award: {code: [C, R], min_count: 1, within_years: 3}\n");

	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = setup(b, Y);

		test_seed(st, "units", UNITS);
		test_seed(st, "people", "code,name,unit,category,joined\n"
		    "P1,An,A,employee,2010-01-01\nP2,Bình,A,employee,2010-01-01\n"
		    "P3,Cúc,A,employee,2010-01-01\nP4,Dư,A,employee,2010-01-01\n");
		test_seed(st, "ratings", "year,subject,rating\n2025,P4,HTTNV\n");
		test_seed(st, "awards", "year,subject,award\n2024,P1,C\n2024,P2,R\n2024,P3,R\n");
		assert_int_equal(store_exec(st, "UPDATE awards SET revoked = 1 "
		    "WHERE award = 'R' AND year = 2024 AND subject_id = "
		    "(SELECT id FROM subjects WHERE code = 'P2')"), 0);
		expect(st, 2025, "P1", "X", "ineligible");	/* campaign award */
		expect(st, 2025, "P2", "X", "ineligible");	/* revoked */
		expect(st, 2025, "P3", "X", "eligible");
		expect(st, 2025, "P4", "C", "eligible");
		expect(st, 2025, "P4", "X", "ineligible");	/* this year's C */
		store_close(st);
	}
}

static void
test_one_achievement_one_award(void **state)
{
	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = setup(b, NULL);
		json_t *root, *x;

		test_seed(st, "units", UNITS);
		test_seed(st, "people", "code,name,unit,category,joined\n"
		    "P1,An,A,employee,2010-01-01\nP2,Bình,A,employee,2010-01-01\n");
		test_seed(st, "ratings", "year,subject,rating\n2024,P1,HTTNV\n2025,P1,HTTNV\n"
		    "2024,P2,HTXSNV\n2025,P2,HTXSNV\n");
		test_seed(st, "innovations", "code,kind,title,year,level,authors\n"
		    "SK1,initiative,Một,2024,base,P1\nSK2,initiative,Hai,2025,base,P1\n"
		    "SK3,initiative,Ba,2024,base,P2\nSK4,research,Bốn,2025,base,P2\n");
		test_seed(st, "awards", "year,subject,award,decision,date,based_on\n"
		    "2024,P1,CSTDCS,QD1,2024-12-01,SK1\n2024,P2,CSTDCS,QD2,2024-12-01,\n");
		/* P1: CSTDCS 2025 rests on SK2, 2024's on SK1: nothing left */
		expect(st, 2025, "P1", "CSTDCS", "eligible");
		expect(st, 2025, "P1", "BKBQP", "ineligible");
		x = result(st, 2025, "P1", "CSTDCS", &root);
		assert_string_equal(json_string_value(json_array_get(
		    json_object_get(x, "based_on"), 0)), "SK2");
		json_decref(root);
		x = result(st, 2025, "P1", "BKBQP", &root);
		assert_true(test_says(x, "SK1: đã dùng cho CSTDCS"));
		assert_true(test_says(x, "SK2: đã dùng cho CSTDCS"));
		json_decref(root);
		/* P2: CSTDCS by the HTXSNV path (preferred), SK3 + SK4 free */
		expect(st, 2025, "P2", "BKBQP", "eligible");
		x = result(st, 2025, "P2", "CSTDCS", &root);
		assert_int_equal(json_array_size(json_object_get(x, "based_on")), 0);
		json_decref(root);
		x = result(st, 2025, "P2", "BKBQP", &root);
		assert_int_equal(json_array_size(json_object_get(x, "based_on")), 2);
		json_decref(root);
		store_close(st);
	}
}

/*
 * An innovation this year's award A rests on for one author does not count
 * for award B (unused_by: A) of a co-author, even when A and B follow each
 * other in the rule set (the engine must have decided every A before it
 * asks any B).
 */
static void
test_unused_by_across_coauthors(void **state)
{
	static const char Y[] = RHEAD
	    RAWARD("A", "person", "", "      - rating: {min: HTXSNV}\n"
	    "      - innovations: {min_level: base, min_count: 1}\n")
	    RAWARD("B", "person", "", "      - innovations: {min_level: base, "
	    "min_count: 1, unused_by: [A]}\n");

	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = setup(b, Y);
		json_t *root, *x;

		test_seed(st, "units", UNITS);
		test_seed(st, "people", "code,name,unit,category,joined\n"
		    "P1,An,A,employee,2010-01-01\nP2,Bình,A,employee,2010-01-01\n"
		    "P3,Cúc,A,employee,2010-01-01\n");
		test_seed(st, "ratings", "year,subject,rating\n2025,P1,HTTNV\n"
		    "2025,P2,HTXSNV\n2025,P3,HTTNV\n");
		/* SK1 by P1 and P2 (P2's A rests on it), SK2 by P3 alone */
		test_seed(st, "innovations", "code,kind,title,year,level,authors\n"
		    "SK1,initiative,Một,2025,base,P1;P2\n"
		    "SK2,initiative,Hai,2025,base,P3\n");
		expect(st, 2025, "P2", "A", "eligible");
		expect(st, 2025, "P1", "A", "ineligible");
		expect(st, 2025, "P1", "B", "ineligible");
		x = result(st, 2025, "P1", "B", &root);
		assert_true(test_says(x, "SK1: đã dùng cho A"));
		json_decref(root);
		expect(st, 2025, "P3", "B", "eligible");
		store_close(st);
	}
}

static void
test_members_history(void **state)
{
	static const char Y[] = RHEAD
	    RAWARD("U", "unit", "", "      - members: {rating_min: HTTNV, min_count: 2}\n");

	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = setup(b, Y);

		test_seed(st, "units", UNITS);
		test_seed(st, "people", "code,name,unit,category,joined\n"
		    "P1,An,A,employee,2010-01-01\nP2,Bình,B,employee,2010-01-01\n"
		    "P3,Cúc,B,employee,2010-01-01\n");
		/* P1 moves from A to B in mid-2025: a member of both that year */
		test_seed(st, "people", "code,name,unit,category,joined,moved\n"
		    "P1,An,B,employee,2010-01-01,2025-07-01\n");
		test_seed(st, "ratings", "year,subject,rating\n2025,P1,HTTNV\n2025,P2,HTTNV\n"
		    "2025,P3,HTNV\n2026,P1,HTTNV\n2026,P2,HTTNV\n");
		expect(st, 2025, "B", "U", "eligible");	/* P1, P2 */
		expect(st, 2025, "A", "U", "ineligible");	/* P1 only */
		expect(st, 2025, "Z", "U", "eligible");	/* counted once */
		expect(st, 2026, "A", "U", "ineligible");	/* P1 left A */
		expect(st, 2026, "B", "U", "eligible");
		store_close(st);
	}
}

/*
 * Past a few thousand subjects the engine evaluates on two threads (each
 * taking 312 subjects at a time here) and the writer formats chunks of
 * 157 subjects on two threads (2048 results / 13 person awards; 5 units
 * come first): the whole year's document must parse and hold, for
 * subjects around the chunk boundaries, exactly the results a
 * one-subject query gives.
 */
static void
test_threads_same_document(void **state)
{
	static const int pick[] = { 0, 1, 58, 59, 60, 122, 123, 151, 152, 153,
	    245, 250, 251, 252, 260, 306, 307, 308, 309, 310, 466, 467, 506, 507,
	    618, 619, 2497, 2498, 2499, 2500, 4679, 4680, 4999 };
	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = setup(b, NULL);
		struct elig_query q = { .year = 2025 };
		struct sb p, r, out;
		struct err e;
		json_error_t je;
		json_t *all, *res;

		test_seed(st, "units", UNITS);
		sb_init(&p);
		sb_init(&r);
		sb_puts(&p, "code,name,unit,category,joined\n");
		sb_puts(&r, "year,subject,rating\n");
		for (int i = 0; i < 5000; i++) {
			sb_printf(&p, "P%04d,Người %d,%c,employee,20%02d-03-01\n", i, i,
			    "ABC"[i % 3], 10 + i % 16);
			for (int y = 2021; y <= 2025; y++)
				sb_printf(&r, "%d,P%04d,%s\n", y, i,
				    (i + y) % 7 == 0 ? "HTNV" : (i + y) % 3 ? "HTTNV" : "HTXSNV");
		}
		test_seed(st, "people", p.s);
		test_seed(st, "ratings", r.s);
		sb_free(&p);
		sb_free(&r);
		sb_init(&out);
		if (elig_json(st, &q, &out, &e) != 0)
			fail_msg("%s", e.msg);
		if ((all = json_loads(out.s, 0, &je)) == NULL)
			fail_msg("bad JSON: %s", je.text);
		sb_free(&out);
		res = json_object_get(all, "results");
		assert_true(json_array_size(res) > 5000);
		{
			/* people in id (= code) order, whichever thread wrote them */
			const char *last = "";
			size_t i;
			json_t *x;

			json_array_foreach(res, i, x) {
				const char *c = json_string_value(json_object_get(x, "subject"));

				if (c[0] == 'P' && strcmp(c, last) < 0)
					fail_msg("%s after %s", c, last);
				if (c[0] == 'P')
					last = c;
			}
		}
		for (size_t k = 0; k < sizeof pick / sizeof pick[0]; k++) {
			char code[8];
			struct elig_query one = { .year = 2025, .subject = code };
			json_t *doc, *mine, *x;
			size_t i, n = 0;

			snprintf(code, sizeof code, "P%04d", pick[k]);
			sb_init(&out);
			if (elig_json(st, &one, &out, &e) != 0)
				fail_msg("%s: %s", code, e.msg);
			doc = json_loads(out.s, 0, &je);
			assert_non_null(doc);
			sb_free(&out);
			mine = json_object_get(doc, "results");
			assert_true(json_array_size(mine) > 0);
			json_array_foreach(res, i, x) {
				if (strcmp(json_string_value(json_object_get(x, "subject")), code) != 0)
					continue;
				if (!json_equal(x, json_array_get(mine, n)))
					fail_msg("%s: result %zu differs", code, n);
				n++;
			}
			assert_int_equal(n, json_array_size(mine));
			json_decref(doc);
		}
		json_decref(all);
		store_close(st);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tenure_boundary),
		cmocka_unit_test(test_members_pct_boundary),
		cmocka_unit_test(test_streak_broken),
		cmocka_unit_test(test_since_award),
		cmocka_unit_test(test_held_and_discipline),
		cmocka_unit_test(test_quota_ties),
		cmocka_unit_test(test_campaign_and_revoked),
		cmocka_unit_test(test_one_achievement_one_award),
		cmocka_unit_test(test_unused_by_across_coauthors),
		cmocka_unit_test(test_members_history),
		cmocka_unit_test(test_threads_same_document),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
