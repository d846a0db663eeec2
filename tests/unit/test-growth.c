/*
 * test-growth.c: the growth maths (ratio, CAGR, year over year, "rising
 * every year") on hand-made series, and the growth report over a real
 * database on both backends (indicators and targets through the import).
 */
#include <math.h>

#include "testutil.h"
#include "growth.h"
#include "import.h"

static void
test_ratio_cagr(void **state)
{
	double v[5] = { 100, 105, 111, 118, 127 };
	unsigned char h[5] = { 1, 1, 1, 1, 1 };
	struct growth_yoy y[4];
	struct growth_calc c;

	(void)state;
	growth_compute(v, h, 2014, 2018, y, &c);
	assert_true(c.have_ratio);
	assert_true(fabs(c.ratio - 1.27) < 1e-12);
	assert_true(fabs(c.cagr - (pow(1.27, 0.25) - 1)) < 1e-12);
	assert_true(fabs(c.cagr - 0.0616) < 0.0001);
	assert_int_equal(c.nyoy, 4);
	assert_int_equal(y[0].year, 2015);
	assert_true(fabs(y[0].ratio - 1.05) < 1e-12);
	assert_int_equal(y[3].year, 2018);
	assert_true(c.rising);
}

static void
test_dip_breaks_rising(void **state)
{
	double v[4] = { 100, 110, 108, 130 };
	unsigned char h[4] = { 1, 1, 1, 1 };
	struct growth_yoy y[3];
	struct growth_calc c;

	(void)state;
	growth_compute(v, h, 2020, 2023, y, &c);
	assert_true(fabs(c.ratio - 1.3) < 1e-12);
	assert_false(c.rising);
	assert_false(y[1].rose);
	assert_true(y[0].rose && y[2].rose);
	/* a flat year is not a rise either */
	v[2] = 110;
	growth_compute(v, h, 2020, 2023, y, &c);
	assert_false(c.rising);
}

static void
test_missing_years(void **state)
{
	double v[3] = { 0, 120, 150 };
	unsigned char h[3] = { 0, 1, 1 };
	struct growth_yoy y[2];
	struct growth_calc c;

	(void)state;
	growth_compute(v, h, 2014, 2016, y, &c);
	assert_false(c.have_ratio);	/* first year unknown */
	assert_false(c.rising);
	assert_int_equal(c.nyoy, 1);	/* only 2016 over 2015 */
	assert_int_equal(y[0].year, 2016);
	h[0] = 1;			/* a zero base gives no ratio */
	growth_compute(v, h, 2014, 2016, y, &c);
	assert_false(c.have_ratio);
	/* a single year: ratio 1, CAGR 0, not "rising" */
	growth_compute(v + 2, h + 2, 2016, 2016, y, &c);
	assert_true(c.have_ratio);
	assert_true(fabs(c.ratio - 1) < 1e-12 && c.cagr == 0);
	assert_false(c.rising);
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
		fail_msg("%s: %s %s", kind, rep.nerr ? rep.errs[0].msg : e.msg,
		    rep.nerr ? rep.errs[0].field : "");
}

static void
test_report_db(void **state)
{
	(void)state;
	for (int be = 0; be < TEST_BACKENDS; be++) {
		struct store *st = test_open(be);
		struct growth_report r;
		struct sb b;
		struct err e;

		load(st, "units", "code,name,parent,kind\nZ,Nhà máy,,enterprise\n"
		    "W,Phân xưởng,Z,workshop\n");
		load(st, "indicators", "year,unit,indicator,value\n"
		    "2014,Z,turnover,100\n2015,Z,turnover,90\n2016,Z,turnover,130\n"
		    "2014,Z,zeta,5\n2016,Z,zeta,10\n"
		    "2014,Z,production_value,200\n2016,Z,production_value,254\n"
		    "2014,W,turnover,1\n");
		load(st, "indicator-targets", "year,unit,indicator,target\n"
		    "2016,Z,turnover,125\n2016,Z,production_value,260\n");
		assert_int_equal(growth_build(st, 2014, 2016, NULL, &r, &e), 0);
		assert_string_equal(r.unit, "Z");
		assert_int_equal(r.nind, 3);
		/* named indicators first, in their documented order */
		assert_string_equal(r.ind[0].code, "production_value");
		assert_string_equal(r.ind[1].code, "turnover");
		assert_string_equal(r.ind[2].code, "zeta");
		assert_true(fabs(r.ind[0].calc.ratio - 1.27) < 1e-9);
		assert_false(r.ind[1].calc.rising);	/* 2015 dipped */
		assert_true(fabs(r.ind[1].calc.ratio - 1.3) < 1e-9);
		assert_int_equal(r.ind[1].ntargets, 1);
		assert_true(r.ind[1].targets[0].met);
		assert_true(fabs(r.ind[1].targets[0].attainment - 1.04) < 1e-9);
		assert_false(r.ind[0].targets[0].met);
		growth_report_free(&r);
		sb_init(&b);
		assert_int_equal(growth_json(st, 2014, 2016, "Z", &b, &e), 0);
		assert_non_null(strstr(b.s, "\"indicator\":\"production_value\","));
		assert_non_null(strstr(b.s, "\"ratio\":1.27,\"cagr\":0.1269"));
		sb_free(&b);
		sb_init(&b);
		assert_int_equal(growth_json(st, 2014, 2016, "NOPE", &b, &e), -1);
		assert_int_equal(e.kind, ERR_NOTFOUND);
		assert_int_equal(growth_json(st, 2016, 2014, NULL, &b, &e), -1);
		assert_int_equal(e.kind, ERR_USAGE);
		sb_free(&b);
		store_close(st);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ratio_cagr),
		cmocka_unit_test(test_dip_breaks_rising),
		cmocka_unit_test(test_missing_years),
		cmocka_unit_test(test_report_db),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
