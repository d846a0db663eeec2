/*
 * test-movement.c: movements end to end below the CLI: YAML validation
 * with FILE:LINE:COLUMN, then on both backends loading and versioning,
 * participants, records inside the dates, built-in metrics, vetoes
 * through the unit tree, pro-rata standing, ratings with provenance,
 * recognition, scores for the rules engine, targets/pledges kinds.
 */
#include "testutil.h"

#include <jansson.h>
#include <math.h>

#include "collate.h"
#include "import.h"
#include "movement.h"

/* ---- YAML validation (no database) ---- */

static const char GOOD[] =
    "code: M1\n"				/* 1 */
    "name: {vi: \"Thi đua\", en: Emulation}\n"	/* 2 */
    "kind: campaign\n"				/* 3 */
    "start: 2025-01-01\n"			/* 4 */
    "end: 2025-03-31\n"				/* 5 */
    "scope: Z\n"				/* 6 */
    "subjects: unit\n"				/* 7 */
    "group_by: bloc\n"				/* 8 */
    "criteria:\n"				/* 9 */
    "  - code: out\n"				/* 10 */
    "    metric: output\n"			/* 11 */
    "    weight: 40\n"				/* 12 */
    "    scoring: {ratio: {cap: 1.2}}\n";	/* 13 */

/* Parse GOOD with one line replaced (1-based), expecting an error. */
static void
expect_error(int line, const char *text, long want_line, long want_col,
    const char *field)
{
	char buf[2048];
	const char *p = GOOD;
	struct movement m;
	struct err e;
	size_t len = 0;

	for (int l = 1; *p; l++) {
		const char *nl = strchr(p, '\n');
		size_t n = (size_t)(nl - p) + 1;

		if (l == line)
			len += (size_t)snprintf(buf + len, sizeof buf - len, "%s", text);
		else {
			memcpy(buf + len, p, n);
			len += n;
		}
		p += n;
	}
	buf[len] = '\0';
	err_clear(&e);
	if (movement_parse("m.yaml", buf, len, &m, &e) == 0)
		fail_msg("accepted: %s", text);
	assert_int_equal(e.kind, ERR_USER);
	assert_string_equal(e.file, "m.yaml");
	if (want_line)
		assert_int_equal(e.line, want_line);
	if (want_col)
		assert_int_equal(e.col, want_col);
	if (field)
		assert_string_equal(e.field, field);
}

static void
test_yaml_good(void **state)
{
	struct movement m;
	struct err e;

	(void)state;
	if (movement_parse("m.yaml", GOOD, sizeof GOOD - 1, &m, &e) != 0)
		fail_msg("%s", e.msg);
	assert_string_equal(m.code, "M1");
	assert_string_equal(m.name_en, "Emulation");
	assert_int_equal(m.kind, MV_CAMPAIGN);
	assert_int_equal(m.group_by, MV_GROUP_BLOC);
	assert_int_equal(m.ncrit, 1);
	assert_true(fabs(m.crit[0].cap - 1.2) < 1e-12);
	assert_true(m.thr[0] == 90 && m.thr[1] == 70 && m.thr[2] == 50);
	movement_free(&m);
}

static void
test_yaml_errors(void **state)
{
	(void)state;
	expect_error(8, "colour: red\n", 8, 1, "colour");		/* unknown key */
	expect_error(12, "    weight: heavy\n", 12, 13, "weight");	/* wrong type */
	expect_error(12, "    weight: 0\n", 12, 13, "weight");	/* bad weight */
	expect_error(4, "start: 2025-02-30\n", 4, 8, "start");	/* bad date */
	expect_error(5, "end: 2024-12-31\n", 5, 6, "end");		/* before start */
	expect_error(3, "kind: sprint\n", 3, 7, "kind");		/* bad enum */
	expect_error(12, "    wait: 40\n", 12, 5, "wait");		/* unknown criterion key */
	expect_error(12, "\n", 0, 0, "weight");			/* scored, no weight */
	expect_error(13, "    scoring: {bands: [[0, 1], [5, 0.5], [2, 0]]}\n",
	    13, 0, "bands");						/* bands out of order */
	expect_error(13, "    scoring: {bands: [[0, 1.5]]}\n", 13, 0, "bands");
	expect_error(11, "    metric: \"@nonsense\"\n", 11, 0, "metric");
	expect_error(1, "code: \"bad code!\"\n", 1, 0, "code");
	expect_error(7, "\n", 0, 0, "subjects");			/* missing key */
	expect_error(2, "name: [unclosed\n", 0, 0, NULL);		/* YAML syntax */
}

/* ---- the database ---- */

static const char UNITS[] =
    "code,name,parent,kind,bloc\n"
    "Z,Công ty,,enterprise,\n"
    "A,Phân xưởng A,Z,workshop,sx\n"
    "B,Phân xưởng B,Z,workshop,sx\n"
    "C,Phòng C,Z,department,cq\n"
    "A1,Tổ A1,A,team,\n"
    "X,Ngoài,,other,\n";
static const char PEOPLE[] =
    "code,name,unit,category,joined\n"
    "P1,Nguyễn Văn Bình,A,employee,2010-01-01\n"
    "P2,Trần Thị An,A,employee,2010-01-01\n"
    "P3,Lê Văn An,B,employee,2010-01-01\n"
    "P4,Phạm Thị Ánh,X,employee,2010-01-01\n";
static const char RECORDS[] =
    "subject,metric,date,value\n"
    "A,output,2025-01-15,60\n"
    "A,output,2025-03-15,60\n"
    "A,output,2024-12-31,1000\n"		/* before the movement */
    "A,output,2025-04-01,1000\n"		/* after it */
    "B,output,2025-02-01,50\n"
    "C,output,2025-02-01,10\n"
    "X,output,2025-02-01,10000\n";
static const char INCIDENTS[] =
    "unit,date,severity\n"
    "A1,2025-02-10,serious\n"		/* in A's subtree */
    "B,2025-05-10,serious\n";		/* after the movement */
static const char INNOV[] =
    "code,kind,title,year,level,authors\n"
    "I1,initiative,Cải tiến,2025,base,P1;P2\n"
    "I2,initiative,Khác,2024,base,P1\n";
static const char TARGETS[] =
    "movement,subject,criterion,target\n"
    "M1,A,out,100\n"
    "M1,B,out,100\n"
    "M1,X,out,10\n";			/* outside the scope: not a participant */
static const char MV[] =
    "code: M1\n"
    "name: {vi: \"Thi đua\", en: Emulation}\n"
    "kind: campaign\n"
    "start: 2025-01-01\n"
    "end: 2025-03-31\n"
    "scope: Z\n"
    "subjects: unit\n"
    "group_by: all\n"
    "criteria:\n"
    "  - code: out\n"
    "    metric: output\n"
    "    weight: 40\n"
    "    scoring: {ratio: {cap: 1.2}}\n"
    "  - code: safety\n"
    "    metric: \"@serious_incidents\"\n"
    "    veto: {max: 0, rating_cap: HTNV}\n"
    "  - code: ideas\n"
    "    metric: \"@innovations\"\n"
    "    weight: 10\n"
    "    scoring: {bands: [[1, 1.0]]}\n";

static void
import(struct store *st, const char *kind, const char *csv)
{
	struct import_report rep;
	struct import_opts o = { .dry_run = 0 };
	struct err e;

	memset(&rep, 0, sizeof rep);
	if (import_csv_buffer(st, kind_find(kind), kind, csv, strlen(csv), &o,
	    &rep, &e) != 0)
		fail_msg("import %s: %s / %s", kind, rep.nerr ? rep.errs[0].msg :
		    "", e.msg);
}

static struct store *
seeded(int backend)
{
	struct store *st = test_open(backend);
	struct err e;

	import(st, "units", UNITS);
	import(st, "people", PEOPLE);
	import(st, "records", RECORDS);
	import(st, "incidents", INCIDENTS);
	import(st, "innovations", INNOV);
	if (movement_load_buffer(st, "m1.yaml", MV, sizeof MV - 1, &e) != 0)
		fail_msg("load: %s", e.msg);
	import(st, "targets", TARGETS);
	return st;
}

static long
find(const struct mv_eval *ev, const char *code)
{
	for (size_t p = 0; p < ev->n; p++)
		if (strcmp(MV_TEXT(ev, ev->code[p]), code) == 0)
			return (long)p;
	return -1;
}

static void
test_evaluate(void **state)
{
	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = seeded(b);
		struct mv_eval ev;
		struct err e;
		long a, bb;

		if (mv_eval_run(st, "M1", NULL, &ev, &e) != 0)
			fail_msg("eval: %s", e.msg);
		/* participants: in Z's subtree with a target (not X, not C) */
		assert_int_equal(ev.n, 2);
		a = find(&ev, "A");
		bb = find(&ev, "B");
		assert_true(a >= 0 && bb >= 0);
		/* records outside the dates are ignored */
		assert_true(fabs(ev.s.acc[(size_t)a * ev.s.nc + 0] - 120) < 1e-9);
		/* A: out capped at 1.2 → 48, one innovation (I1) → 10: 58 of
		 * 50, 116, not clipped (the contract's 100 × Σ points / Σ weights) */
		assert_true(fabs(ev.s.acc[(size_t)a * ev.s.nc + 2] - 1) < 1e-9);
		assert_true(fabs(ev.s.score[a] - 116) < 1e-9);
		/* but a serious incident in A1 (A's subtree) vetoes A */
		assert_int_equal(ev.s.vetoed[a], 1);
		assert_int_equal(ev.s.rating[a], RATING_HTNV);
		assert_int_equal(ev.s.rank[a], 2);
		assert_int_equal(ev.s.rank[bb], 1);
		/* B: 50/100 → 20 of 40, no innovation → 0 of 10 = 40 */
		assert_true(fabs(ev.s.score[bb] - 40) < 1e-9);
		assert_int_equal(ev.s.vetoed[bb], 0);
		mv_eval_free(&ev);

		/* mid-campaign standing: targets pro rata */
		if (mv_eval_run(st, "M1", "2025-01-31", &ev, &e) != 0)
			fail_msg("eval: %s", e.msg);
		assert_int_equal(ev.provisional, 1);
		bb = find(&ev, "B");
		assert_true(fabs(ev.s.teff[(size_t)bb * ev.s.nc] - 100 * 31.0 / 90) < 1e-9);
		assert_true(ev.s.acc[(size_t)bb * ev.s.nc] == 0);	/* Feb record not yet */
		mv_eval_free(&ev);
		store_close(st);
	}
}

static void
test_json_contract(void **state)
{
	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = seeded(b);
		struct sb o;
		struct err e;
		json_t *doc, *r, *c;
		json_error_t je;

		sb_init(&o);
		assert_int_equal(evaluate_json(st, "M1", NULL, NULL, NULL, NULL,
		    &o, &e), 0);
		doc = json_loads(o.s, 0, &je);
		assert_non_null(doc);
		assert_string_equal(json_string_value(json_object_get(doc, "movement")), "M1");
		assert_string_equal(json_string_value(json_object_get(doc, "as_of")), "2025-03-31");
		r = json_array_get(json_object_get(doc, "results"), 0);
		assert_string_equal(json_string_value(json_object_get(r, "subject")), "B");
		assert_true(json_is_string(json_object_get(r, "group")));
		assert_true(json_is_number(json_object_get(r, "score")));
		assert_int_equal(json_integer_value(json_object_get(r, "rank")), 1);
		assert_string_equal(json_string_value(json_object_get(r, "rating")), "KHTNV");
		assert_true(json_is_false(json_object_get(r, "vetoed")));
		c = json_array_get(json_object_get(r, "criteria"), 0);
		assert_string_equal(json_string_value(json_object_get(c, "criterion")), "out");
		assert_true(json_number_value(json_object_get(c, "actual")) == 50);
		assert_true(json_number_value(json_object_get(c, "target")) == 100);
		assert_true(json_number_value(json_object_get(c, "points")) == 20);
		json_decref(doc);
		sb_free(&o);
		/* unknown movement */
		sb_init(&o);
		assert_int_equal(evaluate_json(st, "NOPE", NULL, NULL, NULL, NULL,
		    &o, &e), -1);
		assert_int_equal(e.kind, ERR_NOTFOUND);
		sb_free(&o);
		store_close(st);
	}
}

static void
test_load_versions(void **state)
{
	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = seeded(b);
		struct err e;
		struct sb o;
		json_t *doc;
		char *v2 = xstrdup(MV), *p;
		static const char bad[] = "code: M2\nname: x\nkind: regular\n"
		    "start: 2025-01-01\nend: 2025-12-31\nscope: NOWHERE\n"
		    "subjects: unit\ncriteria:\n  - {code: a, metric: m, weight: 1, "
		    "scoring: {ratio: {}}}\n";

		/* identical text: no new version; changed text: version 2 */
		assert_int_equal(movement_load_buffer(st, "m1.yaml", MV, sizeof MV - 1, &e), 0);
		p = strstr(v2, "weight: 40");
		memcpy(p, "weight: 30", 10);
		assert_int_equal(movement_load_buffer(st, "m1.yaml", v2, strlen(v2), &e), 0);
		sb_init(&o);
		assert_int_equal(movement_show_json(st, "M1", &o, &e), 0);
		doc = json_loads(o.s, 0, NULL);
		assert_int_equal(json_integer_value(json_object_get(doc, "version")), 2);
		json_decref(doc);
		sb_free(&o);
		free(v2);
		/* unknown scope unit: file:line:col, nothing stored */
		assert_int_equal(movement_load_buffer(st, "m2.yaml", bad, sizeof bad - 1, &e), -1);
		assert_int_equal(e.line, 6);
		assert_int_equal(e.col, 8);
		assert_string_equal(e.field, "scope");
		sb_init(&o);
		assert_int_equal(movement_show_json(st, "M2", &o, &e), -1);
		assert_int_equal(e.kind, ERR_NOTFOUND);
		sb_free(&o);
		store_close(st);
	}
}

static void
test_rate(void **state)
{
	static const char Y[] =
	    "code: R\nname: R\nkind: regular\nstart: 2025-01-01\nend: 2025-12-31\n"
	    "scope: Z\nsubjects: unit\ncriteria:\n"
	    "  - {code: out, metric: output, weight: 1, scoring: {ratio: {}}}\n";
	static const char T[] = "movement,subject,criterion,target\n"
	    "R,A,out,100\nR,B,out,50\nR,C,out,10\n";
	static const char HAND[] = "year,subject,rating,source\n"
	    "2025,A,KHTNV,hand\n2025,B,HTNV,import\n";

	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = seeded(b);
		struct err e;
		struct sb o;
		json_t *doc, *r;
		size_t i;

		assert_int_equal(movement_load_buffer(st, "r.yaml", Y, sizeof Y - 1, &e), 0);
		import(st, "targets", T);
		import(st, "ratings", HAND);
		sb_init(&o);
		assert_int_equal(rate_json(st, "R", 2024, 0, NULL, &o, &e), -1);
		assert_int_equal(e.kind, ERR_USER);
		assert_int_equal(rate_json(st, "M1", 2025, 0, NULL, &o, &e), -1);	/* campaign */
		assert_int_equal(rate_json(st, "R", 2025, 1, NULL, &o, &e), 0);
		doc = json_loads(o.s, 0, NULL);
		json_array_foreach(json_object_get(doc, "results"), i, r) {
			const char *s = json_string_value(json_object_get(r, "subject"));
			const char *a = json_string_value(json_object_get(r, "action"));

			if (strcmp(s, "A") == 0)
				assert_string_equal(a, "kept");
			if (strcmp(s, "B") == 0)
				assert_string_equal(a, "change");
			if (strcmp(s, "C") == 0)
				assert_string_equal(a, "new");
		}
		json_decref(doc);
		sb_reset(&o);
		/* applied: the second run finds B and C the same, A still kept */
		assert_int_equal(rate_json(st, "R", 2025, 0, NULL, &o, &e), 0);
		doc = json_loads(o.s, 0, NULL);
		r = json_object_get(doc, "counts");
		assert_int_equal(json_integer_value(json_object_get(r, "same")), 2);
		assert_int_equal(json_integer_value(json_object_get(r, "kept")), 1);
		json_decref(doc);
		sb_free(&o);
		/* the rules engine's view: regular movements ending in 2025 */
		{
			struct subject_score *sc;
			size_t n;

			assert_int_equal(movement_scores(st, "regular", 2025, &sc, &n, &e), 0);
			assert_int_equal(n, 3);
			for (size_t i = 0; i < n; i++)
				assert_string_equal(sc[i].movement, "R");
			free(sc);
			assert_int_equal(movement_scores(st, "regular", 2024, &sc, &n, &e), 0);
			assert_int_equal(n, 0);
			free(sc);
		}
		store_close(st);
	}
}

static void
test_scores_recognition_pledges(void **state)
{
	static const char PL[] = "movement,subject,award,by,note\n"
	    "M1,A,GK,2025-03-31,\n";
	static const char BADPL[] = "movement,subject,award,by,note\n"
	    "M1,P1,GK,,\n";

	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = seeded(b);
		struct subject_score *sc;
		struct recognition *rc;
		size_t n;
		struct err e;
		struct sb o;
		json_t *doc;
		struct import_report rep;
		struct import_opts opt = { .dry_run = 0 };

		assert_int_equal(movement_scores(st, "M1", 0, &sc, &n, &e), 0);
		assert_int_equal(n, 2);
		for (size_t i = 0; i < n; i++)
			assert_string_equal(sc[i].movement, "M1");
		free(sc);
		assert_int_equal(movement_recognition(st, "M1", NULL, 1, &rc, &n, &e), 0);
		assert_int_equal(n, 1);		/* B: top of the only group */
		assert_string_equal(rc[0].subject, "B");
		free(rc);
		import(st, "pledges", PL);
		sb_init(&o);
		assert_int_equal(pledges_json(st, "M1", &o, &e), 0);
		doc = json_loads(o.s, 0, NULL);
		assert_int_equal(json_array_size(json_object_get(doc, "registered")), 1);
		/* Z, B, C, A1 have not registered (X is outside the scope) */
		assert_int_equal(json_array_size(json_object_get(doc, "missing")), 4);
		json_decref(doc);
		sb_free(&o);
		/* a person in a movement of units is refused, naming the column */
		memset(&rep, 0, sizeof rep);
		assert_int_equal(import_csv_buffer(st, kind_find("pledges"), "p.csv",
		    BADPL, sizeof BADPL - 1, &opt, &rep, &e), -1);
		assert_true(rep.nerr >= 1);
		assert_string_equal(rep.errs[0].field, "subject");
		store_close(st);
	}
}

static void
test_people_and_collation(void **state)
{
	static const char Y[] =
	    "code: P\nname: P\nkind: thematic\nstart: 2025-01-01\nend: 2025-12-31\n"
	    "scope: Z\nsubjects: person\ngroup_by: parent\ncriteria:\n"
	    "  - {code: ideas, metric: \"@innovations\", weight: 1, scoring: {ratio: {}}}\n";
	static const char T[] = "movement,subject,criterion,target\n"
	    "P,P1,ideas,1\nP,P2,ideas,1\nP,P3,ideas,1\nP,P4,ideas,1\n";
	const char *names[] = { "Nguyễn Văn Bình", "Trần Thị An", "Lê Văn An",
	    "Phạm Thị Ánh" };
	size_t ord[4];

	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = seeded(b);
		struct mv_eval ev;
		struct err e;
		long p1, p3;

		assert_int_equal(movement_load_buffer(st, "p.yaml", Y, sizeof Y - 1, &e), 0);
		import(st, "targets", T);
		if (mv_eval_run(st, "P", NULL, &ev, &e) != 0)
			fail_msg("%s", e.msg);
		assert_int_equal(ev.n, 3);		/* P4's unit X is outside */
		p1 = find(&ev, "P1");
		p3 = find(&ev, "P3");
		/* P1 authored I1 (2025) and I2 (2024: outside) */
		assert_true(ev.s.acc[(size_t)p1 * ev.s.nc] == 1);
		assert_true(ev.s.acc[(size_t)p3 * ev.s.nc] == 0);
		assert_string_equal(MV_TEXT(&ev, ev.gname[ev.s.group[p1]]), "A");
		mv_eval_free(&ev);
		store_close(st);
	}
	/* given name first: An (Lê), An (Trần), Ánh, Bình */
	assert_int_equal(collate_order(names, 4, ord), 0);
	assert_int_equal(ord[0], 2);
	assert_int_equal(ord[1], 1);
	assert_int_equal(ord[2], 3);
	assert_int_equal(ord[3], 0);
}

/* Enough participants for the split scan (SQLite): same sums as by hand. */
static void
test_many_participants(void **state)
{
	static const char Y[] =
	    "code: BIG\nname: B\nkind: campaign\nstart: 2025-01-01\nend: 2025-12-31\n"
	    "scope: Z\nsubjects: person\ncriteria:\n"
	    "  - {code: s, metric: q, weight: 1, scoring: {ratio: {cap: 2}}}\n"
	    "  - {code: l, metric: q, aggregate: last, weight: 1, scoring: {ratio: {}}}\n";
	enum { NP = 5000 };

	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = seeded(b);
		struct sb pe, tg, rc;
		struct mv_eval ev;
		struct err e;

		sb_init(&pe);
		sb_init(&tg);
		sb_init(&rc);
		sb_puts(&pe, "code,name,unit,category,joined\n");
		sb_puts(&tg, "movement,subject,criterion,target\n");
		sb_puts(&rc, "subject,metric,date,value\n");
		for (int i = 0; i < NP; i++) {
			sb_printf(&pe, "Q%05d,Người %d,%s,employee,2010-01-01\n", i, i,
			    i % 2 ? "A1" : "C");
			sb_printf(&tg, "BIG,Q%05d,s,%d\nBIG,Q%05d,l,1\n", i, 10 + i % 7, i);
			sb_printf(&rc, "Q%05d,q,2024-12-31,1000\n", i);
			sb_printf(&rc, "Q%05d,q,2025-03-01,%d\n", i, i % 5);
			sb_printf(&rc, "Q%05d,q,2025-07-01,%d\n", i, i % 3);
		}
		import(st, "people", pe.s);
		assert_int_equal(movement_load_buffer(st, "big.yaml", Y, sizeof Y - 1, &e), 0);
		import(st, "targets", tg.s);
		import(st, "records", rc.s);
		if (mv_eval_run(st, "BIG", NULL, &ev, &e) != 0)
			fail_msg("%s", e.msg);
		assert_int_equal(ev.n, NP);
		for (size_t p = 0; p < ev.n; p++) {
			int i = atoi(MV_TEXT(&ev, ev.code[p]) + 1);

			assert_true(ev.s.acc[p * 2] == i % 5 + i % 3);
			assert_true(ev.s.acc[p * 2 + 1] == i % 3);	/* the last */
			assert_true(ev.s.teff[p * 2] == 10 + i % 7);
		}
		/* written to a file (two formatting threads) = built in memory */
		{
			struct sb mem, chunk;
			FILE *f = tmpfile();
			char *buf;
			long len;

			sb_init(&mem);
			sb_init(&chunk);
			assert_non_null(f);
			assert_int_equal(mv_eval_json(&ev, &mem, NULL), 0);
			assert_int_equal(mv_eval_json(&ev, &chunk, f), 0);
			len = ftell(f);
			assert_int_equal(len, (long)mem.len);
			buf = xmalloc((size_t)len);
			rewind(f);
			assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
			assert_memory_equal(buf, mem.s, (size_t)len);
			free(buf);
			fclose(f);
			sb_free(&mem);
			sb_free(&chunk);
		}
		mv_eval_free(&ev);
		sb_free(&pe);
		sb_free(&tg);
		sb_free(&rc);
		store_close(st);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_yaml_good),
		cmocka_unit_test(test_yaml_errors),
		cmocka_unit_test(test_evaluate),
		cmocka_unit_test(test_json_contract),
		cmocka_unit_test(test_load_versions),
		cmocka_unit_test(test_rate),
		cmocka_unit_test(test_scores_recognition_pledges),
		cmocka_unit_test(test_people_and_collation),
		cmocka_unit_test(test_many_participants),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
