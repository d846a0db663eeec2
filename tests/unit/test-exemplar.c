/*
 * test-exemplar.c: discovery and maintenance of advanced examples: the
 * pure rules on hand-made subjects, then the services over a small
 * hand-made organisation on both backends (register, adopt, discover,
 * check).
 */
#include "testutil.h"
#include "exemplar.h"
#include "import.h"

static struct ex_subject
good(void)
{
	struct ex_subject s;

	memset(&s, 0, sizeof s);
	snprintf(s.code, sizeof s.code, "P1");
	for (int y = 0; y < EX_WINDOW; y++)
		s.rating[y] = y == 1 ? 2 : 1;	/* HTXSNV, HTTNV, HTXSNV */
	s.innovations = 1;
	return s;
}

static void
test_assess(void **state)
{
	struct ex_subject s = good();
	struct ex_verdict v;

	(void)state;
	exemplar_assess(&s, 0, &v);
	assert_true(v.candidate);
	assert_true(v.nreason >= 3);
	s.innovations = 0;		/* no recognised innovation */
	exemplar_assess(&s, 0, &v);
	assert_false(v.candidate);
	s = good();
	s.rating[2] = 2;		/* only one excellent year */
	exemplar_assess(&s, 0, &v);
	assert_false(v.candidate);
	s = good();
	s.rating[0] = 3;		/* a year below HTTNV */
	exemplar_assess(&s, 0, &v);
	assert_false(v.candidate);
	s = good();
	s.discipline[0] = 1;
	exemplar_assess(&s, 0, &v);
	assert_false(v.candidate);
	s = good();
	s.serious[1] = 1;
	exemplar_assess(&s, 0, &v);
	assert_false(v.candidate);
	/* with movement ranks: top 3 every year is what counts */
	s = good();
	for (int y = 0; y < EX_WINDOW; y++) {
		s.have_rank[y] = 1;
		s.rank[y] = 2;
	}
	exemplar_assess(&s, 1, &v);
	assert_true(v.candidate);
	s.rank[1] = 4;
	exemplar_assess(&s, 1, &v);
	assert_false(v.candidate);
}

static void
test_keeps(void **state)
{
	struct ex_subject s = good();
	struct ex_verdict v;

	(void)state;
	assert_int_equal(exemplar_keeps(&s, 2, 0, &v), EX_OK);
	s.rating[2] = 3;		/* slipped this year */
	assert_int_equal(exemplar_keeps(&s, 2, 0, &v), EX_SLIPPING);
	assert_true(v.nreason >= 1);
	s.rating[1] = 3;		/* and the year before */
	assert_int_equal(exemplar_keeps(&s, 2, 0, &v), EX_LAPSED);
	s = good();
	assert_int_equal(exemplar_keeps(&s, 2, 1, &v), EX_LAPSED);	/* no award */
	s.award_held[1] = s.award_held[2] = 1;
	assert_int_equal(exemplar_keeps(&s, 2, 1, &v), EX_OK);
	s.serious[2] = 1;
	assert_int_equal(exemplar_keeps(&s, 2, 1, &v), EX_SLIPPING);
}

static void
load(struct store *st, const char *kind, const char *csv)
{
	struct import_report rep;
	struct import_opts o = { .dry_run = 0 };
	struct err e;

	memset(&rep, 0, sizeof rep);
	if (import_csv_buffer(st, kind_find(kind), kind, csv, strlen(csv), &o,
	    &rep, &e) != 0)
		fail_msg("%s: %s", kind, rep.nerr ? rep.errs[0].msg : e.msg);
}

static void
test_services(void **state)
{
	(void)state;
	for (int be = 0; be < TEST_BACKENDS; be++) {
		struct store *st = test_open(be);
		struct exemplar_new x = { "P1", "Sáng kiến", "Nhiều sáng kiến",
		    NULL, 2024, "HTTNV" };
		struct sb b;
		struct err e;
		int64_t id, id2;
		int warn;

		load(st, "units", "code,name,parent,kind\nZ,Nhà máy,,enterprise\n"
		    "A,Phân xưởng A,Z,workshop\nB,Phân xưởng B,Z,workshop\n");
		load(st, "people", "code,name,unit,category,joined\n"
		    "P1,Nguyễn Văn An,A,defence_worker,2010-01-01\n"
		    "P2,Trần Thị Bình,A,employee,2010-01-01\n"
		    "P3,Lê Văn Cường,B,employee,2010-01-01\n");
		load(st, "ratings", "year,subject,rating\n"
		    "2023,P1,HTXSNV\n2024,P1,HTTNV\n2025,P1,HTXSNV\n"
		    "2023,P2,HTXSNV\n2024,P2,HTXSNV\n2025,P2,HTXSNV\n"
		    "2023,P3,HTXSNV\n2024,P3,HTXSNV\n2025,P3,HTXSNV\n"
		    "2024,B,HTTNV\n2026,B,HTXSNV\n"
		    "2025,A,HTXSNV\n2026,A,HTNV\n");
		load(st, "innovations", "code,kind,title,year,level,authors\n"
		    "SK1,initiative,Cải tiến,2024,base,P1\n"
		    "SK2,initiative,Cải tiến 2,2025,base,P3\n");
		/* P2 has no innovation; P3 is disciplined in the window */
		load(st, "discipline", "subject,form,from,to\n"
		    "P3,reprimand,2024-03-01,2024-09-01\n");
		sb_init(&b);
		assert_int_equal(exemplar_discover(st, 2025, 1, NULL, &b, &e), 0);
		assert_non_null(strstr(b.s, "\"basis\":\"ratings\""));
		assert_non_null(strstr(b.s, "\"subject\":\"P1\""));
		assert_null(strstr(b.s, "\"subject\":\"P2\""));
		assert_null(strstr(b.s, "\"subject\":\"P3\""));
		assert_non_null(strstr(b.s, "\"registered\":false"));
		sb_free(&b);
		assert_int_equal(exemplar_add(st, &x, &id, &e), 0);
		assert_int_equal(exemplar_add(st, &x, &id2, &e), -1);
		assert_int_equal(e.kind, ERR_CONFLICT);
		x.subject = "NOPE";
		x.field = "Khác";
		assert_int_equal(exemplar_add(st, &x, &id2, &e), -1);
		assert_int_equal(e.kind, ERR_NOTFOUND);
		x.subject = "A";
		x.field = "An toàn";
		x.min_rating = "HTXSNV";
		assert_int_equal(exemplar_add(st, &x, &id2, &e), 0);
		assert_int_equal(exemplar_adopt(st, id, "B", "2025-04-01",
		    "Đồ gá", &e), 0);
		assert_int_equal(exemplar_adopt(st, id, "P2", "2025-04-01",
		    NULL, &e), -1);
		assert_int_equal(exemplar_adopt(st, id, "B", "2025-02-30",
		    NULL, &e), -1);
		assert_int_equal(e.kind, ERR_USAGE);
		sb_init(&b);
		assert_int_equal(exemplar_show(st, id, 1, &b, &e), 0);
		assert_non_null(strstr(b.s, "\"before\":{\"year\":2024,"
		    "\"rating\":\"HTTNV\""));
		assert_non_null(strstr(b.s, "\"after\":{\"year\":2026,"
		    "\"rating\":\"HTXSNV\""));
		sb_reset(&b);
		/* 2026: P1 has no rating (slipping); A is HTNV after HTXSNV */
		assert_int_equal(exemplar_check(st, 2026, 1, &b, &warn, &e), 0);
		assert_int_equal(warn, 2);
		assert_non_null(strstr(b.s, "\"status\":\"slipping\""));
		sb_reset(&b);
		assert_int_equal(exemplar_check(st, 2025, 1, &b, &warn, &e), 0);
		assert_int_equal(warn, 0);	/* both keep it in 2025 */
		sb_free(&b);
		store_close(st);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_assess),
		cmocka_unit_test(test_keeps),
		cmocka_unit_test(test_services),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
