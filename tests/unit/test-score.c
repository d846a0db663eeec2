/*
 * test-score.c: the pure scoring engine (movement-score.h) on hand-made
 * movements: every scoring form and its edges, vetoes, ranks, ties,
 * pro-rata standing, ratings.
 */
#include "testutil.h"

#include <math.h>

#include "movement.h"
#include "movement-score.h"

static const char YAML[] =
    "code: T\n"
    "name: Test\n"
    "kind: campaign\n"
    "start: 2025-01-01\n"
    "end: 2025-01-10\n"
    "scope: Z\n"
    "subjects: unit\n"
    "criteria:\n"
    "  - code: out\n"
    "    metric: output\n"
    "    weight: 40\n"
    "    scoring: {ratio: {cap: 1.2}}\n"
    "  - code: def\n"
    "    metric: defects\n"
    "    better: lower\n"
    "    weight: 20\n"
    "    scoring: {bands: [[0, 1.0], [2, 0.5], [5, 0.2]]}\n"
    "  - code: waste\n"
    "    metric: waste\n"
    "    better: lower\n"
    "    weight: 40\n"
    "    scoring: {ratio: {cap: 1.0}}\n"
    "  - code: safety\n"
    "    metric: \"@serious_incidents\"\n"
    "    veto: {max: 0, rating_cap: HTNV}\n";

enum { OUT, DEF, WASTE, SAFETY };

static struct movement mv;

static int
setup(void **state)
{
	struct err e;

	(void)state;
	if (movement_parse("t.yaml", YAML, sizeof YAML - 1, &mv, &e) != 0)
		fail_msg("parse: %s", e.msg);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	movement_free(&mv);
	return 0;
}

#define CELL(s, p, c) ((p) * (s)->nc + (c))

/* One participant with targets for out and waste. */
static void
one(struct score_set *s, double out, double def, double waste)
{
	score_init(s, &mv, 1);
	s->target[CELL(s, 0, OUT)] = 100;
	s->target[CELL(s, 0, WASTE)] = 10;
	score_add(s, 0, OUT, out);
	score_add(s, 0, DEF, def);
	score_add(s, 0, WASTE, waste);
	score_put(s, 0, SAFETY, 0);
	score_run(s);
}

static void
test_ratio_capped(void **state)
{
	struct score_set s;

	(void)state;
	one(&s, 150, 0, 10);	/* 1.5 capped to 1.2 */
	assert_true(fabs(s.points[CELL(&s, 0, OUT)] - 48) < 1e-9);
	assert_int_equal(s.reason[CELL(&s, 0, OUT)], SR_CAPPED);
	/* 48 + 20 + 40 over 100: 108, not clipped (the contract) */
	assert_true(fabs(s.score[0] - 108) < 1e-9);
	score_free(&s);
	one(&s, 50, 0, 10);	/* half the target: half the weight */
	assert_true(fabs(s.points[CELL(&s, 0, OUT)] - 20) < 1e-9);
	assert_int_equal(s.reason[CELL(&s, 0, OUT)], SR_OK);
	assert_true(fabs(s.score[0] - 80) < 1e-9);
	score_free(&s);
}

static void
test_bands(void **state)
{
	struct score_set s;

	(void)state;
	one(&s, 100, 2, 10);	/* 2 <= 2: half */
	assert_true(fabs(s.points[CELL(&s, 0, DEF)] - 10) < 1e-9);
	score_free(&s);
	one(&s, 100, 5, 10);	/* last band */
	assert_true(fabs(s.points[CELL(&s, 0, DEF)] - 4) < 1e-9);
	score_free(&s);
	one(&s, 100, 6, 10);	/* past the last band: 0 */
	assert_true(s.points[CELL(&s, 0, DEF)] == 0);
	assert_int_equal(s.reason[CELL(&s, 0, DEF)], SR_PAST_BANDS);
	score_free(&s);
}

static void
test_lower_is_better(void **state)
{
	struct score_set s;

	(void)state;
	one(&s, 100, 0, 20);	/* twice the allowed waste: half */
	assert_true(fabs(s.points[CELL(&s, 0, WASTE)] - 20) < 1e-9);
	score_free(&s);
	one(&s, 100, 0, 5);	/* half the allowed waste: capped at 1.0 */
	assert_true(fabs(s.points[CELL(&s, 0, WASTE)] - 40) < 1e-9);
	score_free(&s);
	one(&s, 100, 0, 0);	/* none at all: the cap */
	assert_true(fabs(s.points[CELL(&s, 0, WASTE)] - 40) < 1e-9);
	score_free(&s);
}

static void
test_missing_target(void **state)
{
	struct score_set s;

	(void)state;
	score_init(&s, &mv, 1);
	s.target[CELL(&s, 0, WASTE)] = 10;	/* no target for out */
	score_add(&s, 0, OUT, 1000);
	score_add(&s, 0, WASTE, 10);
	score_run(&s);
	assert_true(isnan(s.points[CELL(&s, 0, OUT)]));
	assert_int_equal(s.reason[CELL(&s, 0, OUT)], SR_MISSING_TARGET);
	assert_true(isnan(s.teff[CELL(&s, 0, OUT)]));
	/* not guessed: the score rests on def (20) and waste (40) only */
	assert_true(fabs(s.score[0] - 100) < 1e-9);
	assert_int_equal(s.met_all[0], 0);
	score_free(&s);
}

static void
test_no_data_is_zero(void **state)
{
	struct score_set s;

	(void)state;
	score_init(&s, &mv, 1);
	s.target[CELL(&s, 0, OUT)] = 100;
	s.target[CELL(&s, 0, WASTE)] = 10;
	score_run(&s);
	/* sum of nothing is 0; 0 waste is perfect, 0 defects is band 1 */
	assert_true(s.points[CELL(&s, 0, OUT)] == 0);
	assert_true(fabs(s.score[0] - 60) < 1e-9);
	score_free(&s);
}

static void
test_veto_ranks_last(void **state)
{
	struct score_set s;

	(void)state;
	score_init(&s, &mv, 3);
	for (size_t p = 0; p < 3; p++) {
		s.target[CELL(&s, p, OUT)] = 100;
		s.target[CELL(&s, p, WASTE)] = 10;
		score_add(&s, p, WASTE, 10);
	}
	score_add(&s, 0, OUT, 120);	/* best, but vetoed */
	score_add(&s, 1, OUT, 10);
	score_add(&s, 2, OUT, 50);
	score_put(&s, 0, SAFETY, 1);
	score_put(&s, 1, SAFETY, 0);
	score_put(&s, 2, SAFETY, 0);
	score_run(&s);
	assert_int_equal(s.vetoed[0], 1);
	assert_int_equal(s.veto_crit[0], SAFETY);
	assert_int_equal(s.rank[0], 3);
	assert_int_equal(s.rank[2], 1);
	assert_int_equal(s.rank[1], 2);
	/* score 100 would be HTXSNV; the veto caps it at HTNV */
	assert_true(s.score[0] >= 90);
	assert_int_equal(s.rating[0], RATING_HTNV);
	assert_int_equal(s.met_all[0], 0);
	assert_int_equal(s.reason[CELL(&s, 0, SAFETY)], SR_VETO);
	score_free(&s);
}

static void
test_ties_and_groups(void **state)
{
	struct score_set s;

	(void)state;
	score_init(&s, &mv, 4);
	for (size_t p = 0; p < 4; p++) {
		s.target[CELL(&s, p, OUT)] = 100;
		score_add(&s, p, OUT, 80);
		s.group[p] = p < 2 ? 1 : 0;
	}
	score_run(&s);
	/* equal scores: the lower index (code order) ranks first */
	assert_int_equal(s.rank[0], 1);
	assert_int_equal(s.rank[1], 2);
	assert_int_equal(s.rank[2], 1);
	assert_int_equal(s.rank[3], 2);
	/* order: group 0 first */
	assert_int_equal(s.order[0], 2);
	assert_int_equal(s.order[2], 0);
	score_free(&s);
}

static void
test_prorata(void **state)
{
	struct score_set s;

	(void)state;
	score_init(&s, &mv, 1);
	s.prorata = 0.5;	/* half the campaign elapsed */
	s.target[CELL(&s, 0, OUT)] = 100;
	s.target[CELL(&s, 0, WASTE)] = 10;
	score_add(&s, 0, OUT, 50);
	score_add(&s, 0, WASTE, 5);
	score_run(&s);
	assert_true(fabs(s.teff[CELL(&s, 0, OUT)] - 50) < 1e-9);
	assert_true(fabs(s.points[CELL(&s, 0, OUT)] - 40) < 1e-9);	/* on pace */
	assert_int_equal(s.met_all[0], 1);
	score_free(&s);
}

static void
test_aggregates(void **state)
{
	static const char y[] =
	    "code: A\nname: A\nkind: thematic\nstart: 2025-01-01\n"
	    "end: 2025-12-31\nscope: Z\nsubjects: person\ncriteria:\n"
	    "  - {code: a, metric: m, aggregate: avg, weight: 1, scoring: {ratio: {}}}\n"
	    "  - {code: b, metric: m, aggregate: min, weight: 1, scoring: {ratio: {}}}\n"
	    "  - {code: c, metric: m, aggregate: max, weight: 1, scoring: {ratio: {}}}\n"
	    "  - {code: d, metric: m, aggregate: last, weight: 1, scoring: {ratio: {}}}\n"
	    "  - {code: e, metric: m, aggregate: count, weight: 1, scoring: {ratio: {}}}\n";
	struct movement m;
	struct score_set s;
	struct err e;
	const double want[5] = { 4, 2, 6, 6, 3 };

	(void)state;
	if (movement_parse("a.yaml", y, sizeof y - 1, &m, &e) != 0)
		fail_msg("%s", e.msg);
	score_init(&s, &m, 1);
	for (size_t c = 0; c < 5; c++) {
		s.target[c] = 1;
		score_add(&s, 0, c, 4);
		score_add(&s, 0, c, 2);
		score_add(&s, 0, c, 6);
	}
	score_run(&s);
	for (size_t c = 0; c < 5; c++)
		assert_true(fabs(s.acc[c] - want[c]) < 1e-9);
	score_free(&s);
	movement_free(&m);
}

static void
test_rating_thresholds(void **state)
{
	(void)state;
	assert_int_equal(score_rating(mv.thr, 90), RATING_HTXSNV);
	assert_int_equal(score_rating(mv.thr, 89.99), RATING_HTTNV);
	assert_int_equal(score_rating(mv.thr, 50), RATING_HTNV);
	assert_int_equal(score_rating(mv.thr, 49.99), RATING_KHTNV);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ratio_capped),
		cmocka_unit_test(test_bands),
		cmocka_unit_test(test_lower_is_better),
		cmocka_unit_test(test_missing_target),
		cmocka_unit_test(test_no_data_is_zero),
		cmocka_unit_test(test_veto_ranks_last),
		cmocka_unit_test(test_ties_and_groups),
		cmocka_unit_test(test_prorata),
		cmocka_unit_test(test_aggregates),
		cmocka_unit_test(test_rating_thresholds),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
