/*
 * test-store-conformance.c: one conformance suite for the store, run on
 * both backends (SQLite, then PostgreSQL at $THIDUA_TEST_PG), area by
 * area: imports and the named writes read back through the named
 * exports; transactions (a rollback leaves nothing); the statement
 * cache; streamed scans of a real table past PostgreSQL's cursor chunk;
 * generations bumped by writes (and not by reads or rollbacks); the
 * audit trail and the ledger append-only (UPDATE and DELETE refused);
 * the ledger's chain appended and verified; accounts, sessions and
 * tokens; a backup restored; rule sets, the eligibility snapshot and the
 * API's reads (the same JSON text); unique and foreign-key
 * violations reported as errors, the handle still usable. Each area
 * writes a digest of what it read back; the two backends' digests must
 * be equal. Without $THIDUA_TEST_PG (a binary run by hand) the
 * PostgreSQL half is skipped, saying so; under `make test` it is set.
 */
#include "testutil.h"

#include "audit.h"
#include "award-ledger.h"
#include "elig.h"
#include "import-kinds.h"
#include "import.h"
#include "rules.h"
#include "store-audit.h"
#include "store-auth.h"
#include "store-award.h"
#include "store-elig.h"
#include "store-movement.h"
#include "store-rules.h"
#include "store-unit.h"

/* A fresh database: its target (to open a second connection) and handle. */
struct db {
	char		*target;
	struct store	*st;
};

/* Backends to run: 2, or 1 when no PostgreSQL was given. */
static int
backends(void)
{
	static int said;
	const char *pg = getenv("THIDUA_TEST_PG");

	if (pg != NULL && *pg != '\0')
		return 2;
	if (!said++)
		fprintf(stderr, "test-store-conformance: THIDUA_TEST_PG is not set: "
		    "PostgreSQL skipped\n");
	return 1;
}

static void
db_open(struct db *d, int backend)
{
	struct err e;

	d->target = test_db_target(backend);
	if (store_open(d->target, &d->st, &e) != 0)
		fail_msg("open %s: %s", d->target, e.msg);
	if (store_migrate(d->st, &e) != 0)
		fail_msg("migrate: %s", e.msg);
	assert_int_equal(store_backend(d->st), backend == 0 ? STORE_SQLITE : STORE_PG);
}

/* A second connection to the same database. */
static struct store *
db_again(const struct db *d)
{
	struct store *st;
	struct err e;

	if (store_open(d->target, &st, &e) != 0)
		fail_msg("open again: %s", e.msg);
	return st;
}

static void
db_close(struct db *d)
{
	store_close(d->st);
	free(d->target);
}

/*
 * Run area(db, digest) on each backend; the digests must be equal
 * (what the two backends read back is the same).
 */
static void
on_both(void (*area)(struct db *, struct sb *), const char *name)
{
	struct sb dig[TEST_BACKENDS];
	int n = backends();

	for (int b = 0; b < n; b++) {
		struct db d;

		sb_init(&dig[b]);
		db_open(&d, b);
		area(&d, &dig[b]);
		db_close(&d);
		assert_true(dig[b].len > 0);
	}
	if (n == 2 && strcmp(dig[0].s, dig[1].s) != 0)
		fail_msg("%s: SQLite and PostgreSQL differ:\n--- SQLite\n%s\n--- PostgreSQL\n%s",
		    name, dig[0].s, dig[1].s);
	for (int b = 0; b < n; b++)
		sb_free(&dig[b]);
}

/* Import CSV text; the import report's first error (or "") into err. */
static int
import(struct store *st, const char *kind, const char *csv,
    struct import_report *rep)
{
	struct import_opts o;
	struct err e;

	memset(&o, 0, sizeof o);
	memset(&e, 0, sizeof e);
	memset(rep, 0, sizeof *rep);
	return import_csv_buffer(st, kind_find(kind), kind, csv, strlen(csv), &o,
	    rep, &e);
}

static void
seed(struct store *st, const char *kind, const char *csv)
{
	struct import_report rep;

	if (import(st, kind, csv, &rep) != 0 || rep.nerr != 0)
		fail_msg("seed %s: %s", kind, rep.nerr ? rep.errs[0].msg : "");
	assert_true(rep.written > 0);
}

static const char UNITS[] =
    "code,name,parent,kind,military\n"
    "Z,Nhà máy Z121,,enterprise,0\nA,Phân xưởng A,Z,workshop,0\n"
    "B,Phân xưởng B,Z,workshop,0\nM,Tiểu đoàn M,Z,workshop,1\nT,Tổ T,A,team,0\n";
static const char PEOPLE[] =
    "code,name,unit,category,joined,left,sex\n"
    "P1,Nguyễn Thị Ánh,A,employee,2000-01-01,,female\n"
    "P2,Trần Văn Bình,T,employee,2025-07-02,,male\n"
    "P3,Lê Cường,M,officer,1995-03-01,,\n"
    "P4,Phạm Dũng,B,defence_worker,2010-01-01,2024-06-30,\n";

/* ---- exports: a digest of every non-stamp column of a kind ---- */

struct dump {
	const struct kind *k;
	struct sb	*out;
	long		 rows;
};

static int
dump_row(void *arg, const char *const *v)
{
	struct dump *d = arg;

	for (int c = 0; c < d->k->ncols; c++) {
		if (d->k->cols[c].flags & COL_STAMP)
			continue;	/* who and when imported: not the data */
		sb_puts(d->out, c ? "|" : "");
		sb_puts(d->out, v[c] != NULL ? v[c] : "∅");
	}
	sb_putc(d->out, '\n');
	d->rows++;
	return 0;
}

/* Every row of kind's export into out; their number. */
static long
export(struct store *st, const char *kind, struct sb *out)
{
	struct dump d = { kind_find(kind), out, 0 };
	struct err e;

	assert_non_null(d.k);
	sb_printf(out, "[%s]\n", kind);
	if (d.k->export(st, dump_row, &d, &e) != 0)
		fail_msg("export %s: %s", kind, e.msg);
	return d.rows;
}

/* ---- imports, named writes and reads ---- */

static void
area_import(struct db *d, struct sb *dig)
{
	struct store *st = d->st;
	struct import_report rep;
	struct award_subject s;
	struct err e;
	struct sb x;

	seed(st, "units", UNITS);
	seed(st, "people", PEOPLE);
	seed(st, "ratings", "year,subject,rating\n2024,P1,HTXSNV\n2025,P1,HTTNV\n"
	    "2025,P2,HTNV\n2025,A,HTXSNV\n2025,Z,HTTNV\n");
	seed(st, "innovations", "code,kind,title,year,level,authors,benefit\n"
	    "SK-1,initiative,Cải tiến máy tiện,2025,base,P1;P2,2000000\n"
	    "SK-2,research,Đề tài,2024,ministry,P1,\n");
	seed(st, "awards", "year,subject,award,decision,date,based_on\n"
	    "2024,P1,CSTDCS,12/QĐ,2024-12-20,SK-2\n2024,A,TTLDTT,,,\n");
	seed(st, "discipline", "subject,form,from,to\nP3,reprimand,2025-02-01,2025-08-01\n"
	    "P2,pending,2025-12-01,\n");
	seed(st, "incidents", "unit,date,severity,description\nT,2025-04-01,serious,Cháy nhỏ\n");
	seed(st, "service", "person,from,to,kind,coefficient\n"
	    "P3,1995-03-01,2004-12-31,regular,1\nP3,2005-01-01,,hardship,2\n");
	assert_int_equal(export(st, "units", dig), 5);
	assert_int_equal(export(st, "people", dig), 4);
	assert_int_equal(export(st, "ratings", dig), 5);
	assert_int_equal(export(st, "innovations", dig), 2);
	assert_int_equal(export(st, "awards", dig), 2);
	assert_int_equal(export(st, "discipline", dig), 2);
	assert_int_equal(export(st, "incidents", dig), 1);
	assert_int_equal(export(st, "service", dig), 2);
	/* text round-trips byte for byte (UTF-8 names) */
	assert_non_null(strstr(dig->s, "P1|Nguyễn Thị Ánh|A|employee|2000-01-01|"));
	assert_non_null(strstr(dig->s, "SK-1|initiative|Cải tiến máy tiện|2025|base|"));
	/* an import replaces rows by key: one changed, one added */
	seed(st, "ratings", "year,subject,rating\n2025,P1,HTXSNV\n2025,P3,HTTNV\n");
	sb_init(&x);
	assert_int_equal(export(st, "ratings", &x), 6);
	assert_non_null(strstr(x.s, "2025|P1|HTXSNV"));
	assert_null(strstr(x.s, "2025|P1|HTTNV"));
	sb_puts(dig, x.s);
	sb_free(&x);
	/* a batch with a bad row is refused whole, reported, nothing written */
	assert_int_not_equal(import(st, "people", "code,name,unit,category,joined\n"
	    "P8,Tám,A,employee,2020-01-01\nP9,Chín,NOPE,employee,2020-01-01\n", &rep), 0);
	assert_true(rep.nerr > 0);
	assert_int_equal(rep.written, 0);
	sb_printf(dig, "refused: line %ld field %s\n", rep.errs[0].line, rep.errs[0].field);
	assert_int_equal(store_award_subject(st, "P8", &s, &e), 0);
	/* the named reads */
	assert_int_equal(store_award_subject(st, "P2", &s, &e), 1);
	assert_string_equal(s.kind, "person");
	assert_string_equal(s.unit, "T");
	assert_string_equal(s.name, "Trần Văn Bình");
	sb_printf(dig, "subject %s %s %s %s %s\n", s.code, s.kind, s.name, s.category,
	    s.unit);
	assert_int_equal(store_award_subject(st, "T", &s, &e), 1);
	assert_string_equal(s.kind, "unit");
	assert_int_equal(store_award_root_unit(st, &s, &e), 1);
	assert_string_equal(s.code, "Z");
	assert_int_equal(store_award_subject(st, "NOPE", &s, &e), 0);
}

static void
test_import(void **state)
{
	(void)state;
	on_both(area_import, "import");
}

/* ---- transactions ---- */

static int
count_award_row(void *arg, const struct award_row *r)
{
	struct sb *out = arg;

	sb_printf(out, "%d %s %s %s %s\n", r->year, r->s.code, r->award, r->decision,
	    r->date);
	return 0;
}

static long
awards_of(struct store *st, int year, struct sb *out)
{
	struct sb tmp;
	struct err e;
	long n = 0;

	sb_init(&tmp);
	assert_int_equal(store_award_each(st, year, year, count_award_row, &tmp, &e), 0);
	for (const char *p = tmp.s; *p; p++)
		n += *p == '\n';
	if (out != NULL)
		sb_puts(out, tmp.s);
	sb_free(&tmp);
	return n;
}

static void
area_tx(struct db *d, struct sb *dig)
{
	struct store *st = d->st, *st2;
	struct award_subject p1, p2;
	struct err e;

	seed(st, "units", UNITS);
	seed(st, "people", PEOPLE);
	assert_int_equal(store_award_subject(st, "P1", &p1, &e), 1);
	assert_int_equal(store_award_subject(st, "P2", &p2, &e), 1);
	/* rolled back: nothing */
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_award_put(st, 2025, p1.id, "LDTT", "1/QĐ", "2025-12-01",
	    NULL, &e), 0);
	assert_int_equal(store_award_put(st, 2025, p2.id, "LDTT", "1/QĐ", "2025-12-01",
	    NULL, &e), 0);
	assert_int_equal(awards_of(st, 2025, NULL), 2);	/* seen inside */
	assert_int_equal(store_rollback(st), 0);
	assert_int_equal(awards_of(st, 2025, NULL), 0);
	/* a failed statement inside, then rollback: nothing either */
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_award_put(st, 2025, p1.id, "LDTT", "2/QĐ", "2025-12-02",
	    NULL, &e), 0);
	assert_int_equal(store_award_put(st, 2025, 999999, "LDTT", "2/QĐ", "2025-12-02",
	    NULL, &e), -1);
	assert_int_equal(e.kind, ERR_CONFLICT);
	assert_int_equal(store_rollback(st), 0);
	assert_int_equal(awards_of(st, 2025, NULL), 0);
	/* committed: there, and seen by another connection */
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_award_put(st, 2025, p1.id, "LDTT", "3/QĐ", "2025-12-03",
	    NULL, &e), 0);
	st2 = db_again(d);
	assert_int_equal(awards_of(st2, 2025, NULL), 0);	/* not yet */
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(awards_of(st2, 2025, dig), 1);
	/* a read transaction sees one state */
	assert_int_equal(store_begin_read(st2), 0);
	assert_int_equal(awards_of(st2, 2025, NULL), 1);
	assert_int_equal(store_commit(st2), 0);
	store_close(st2);
	/* an import is its own transaction: a refused batch leaves nothing */
	{
		struct import_report rep;

		assert_int_not_equal(import(st, "ratings", "year,subject,rating\n"
		    "2025,P1,HTTNV\n2025,NOPE,HTTNV\n", &rep), 0);
		assert_int_equal(rep.written, 0);
	}
	{
		struct sb x;

		sb_init(&x);
		assert_int_equal(export(st, "ratings", &x), 0);
		sb_free(&x);
	}
	sb_puts(dig, "tx ok\n");
}

static void
test_transactions(void **state)
{
	(void)state;
	on_both(area_tx, "transactions");
}

/* ---- the statement cache ---- */

static const char Q_CODES[] = "SELECT code FROM subjects WHERE code >= $1 ORDER BY code";
static const char Q_CODES2[] = "SELECT code FROM subjects WHERE code >= $1 ORDER BY code";
static const char Q_BAD[] = "SELECT no_such_column FROM subjects";

static void
area_cache(struct db *d, struct sb *dig)
{
	struct store *st = d->st;
	struct store_stmt *s, *s2;

	seed(st, "units", UNITS);
	s = store_prepare(st, Q_CODES);
	assert_non_null(s);
	assert_ptr_equal(store_prepare(st, Q_CODES), s);	/* cached by address */
	s2 = store_prepare(st, Q_CODES2);
	assert_non_null(s2);
	assert_ptr_not_equal(s2, s);
	/* half a scan, reset, again with another binding */
	store_bind_text(s, 1, "A");
	assert_int_equal(store_step(s), STORE_ROW);
	assert_string_equal(store_col_text(s, 0), "A");
	store_reset(s);
	store_bind_text(s, 1, "M");
	for (int rc; (rc = store_step(s)) != STORE_DONE;) {
		assert_int_equal(rc, STORE_ROW);
		sb_printf(dig, "%s ", store_col_text(s, 0));
	}
	store_reset(s);
	sb_putc(dig, '\n');
	assert_non_null(strstr(dig->s, "M T Z"));
	/* two cached statements open at once */
	store_bind_text(s, 1, "");
	store_bind_text(s2, 1, "T");
	assert_int_equal(store_step(s), STORE_ROW);
	assert_int_equal(store_step(s2), STORE_ROW);
	assert_string_equal(store_col_text(s, 0), "A");
	assert_string_equal(store_col_text(s2, 0), "T");
	store_reset(s);
	store_reset(s2);
	/* a statement that cannot prepare: NULL, a message; the handle goes on */
	assert_null(store_prepare(st, Q_BAD));
	assert_true(*store_errmsg(st) != '\0');
	assert_null(store_prepare(st, Q_BAD));
	store_bind_text(s, 1, "Z");
	assert_int_equal(store_step(s), STORE_ROW);
	assert_string_equal(store_col_text(s, 0), "Z");
	assert_int_equal(store_step(s), STORE_DONE);
	store_reset(s);
	/* a cached statement survives a rolled-back transaction */
	assert_int_equal(store_begin(st), 0);
	store_bind_text(s, 1, "T");
	assert_int_equal(store_step(s), STORE_ROW);
	store_reset(s);
	assert_int_equal(store_rollback(st), 0);
	store_bind_text(s, 1, "T");
	assert_int_equal(store_step(s), STORE_ROW);
	assert_string_equal(store_col_text(s, 0), "T");
	store_reset(s);
	sb_puts(dig, "cache ok\n");
}

static void
test_statement_cache(void **state)
{
	(void)state;
	on_both(area_cache, "statement cache");
}

/* ---- streamed scans of a real table ---- */

#define NPEOPLE	2100
#define NYEARS	5	/* 10,500 ratings: past one 10,000-row chunk */

static const char Q_RATINGS[] =
    "SELECT r.year, s.code, r.rating FROM ratings r JOIN subjects s "
    "ON s.id = r.subject_id ORDER BY r.year, s.code";

/* Stream the ratings; stop after `stop` rows (0: all). Rows and a checksum. */
static long
stream_ratings(struct store *st, long stop, uint64_t *sum)
{
	struct store_stmt *s = store_prepare(st, Q_RATINGS);
	long n = 0;
	int rc;

	assert_non_null(s);
	*sum = 1469598103934665603ull;
	store_stream(s);
	while ((rc = store_step(s)) == STORE_ROW) {
		for (const char *p = store_col_text(s, 1); *p; p++)
			*sum = (*sum ^ (uint8_t)*p) * 1099511628211ull;
		*sum = (*sum ^ (uint64_t)store_col_int(s, 0)) * 1099511628211ull;
		*sum = (*sum ^ (uint8_t)store_col_text(s, 2)[2]) * 1099511628211ull;
		if (++n == stop)
			break;
	}
	assert_true(rc == STORE_ROW || rc == STORE_DONE);
	store_reset(s);
	return n;
}

static void
area_stream(struct db *d, struct sb *dig)
{
	static const char *const rt[] = { "HTXSNV", "HTTNV", "HTNV", "KHTNV" };
	struct store *st = d->st, *st2;
	struct award_subject p;
	struct sb csv;
	uint64_t sum, sum2;
	struct err e;

	seed(st, "units", UNITS);
	sb_init(&csv);
	sb_puts(&csv, "code,name,unit,category,joined\n");
	for (int i = 0; i < NPEOPLE; i++)
		sb_printf(&csv, "N%05d,Người %d,%c,employee,2010-01-01\n", i, i,
		    "ABT"[i % 3]);
	seed(st, "people", csv.s);
	sb_reset(&csv);
	sb_puts(&csv, "year,subject,rating\n");
	for (int y = 2021; y < 2021 + NYEARS; y++)
		for (int i = 0; i < NPEOPLE; i++)
			sb_printf(&csv, "%d,N%05d,%s\n", y, i, rt[(i + y) % 4]);
	seed(st, "ratings", csv.s);
	sb_free(&csv);
	/* whole, outside a transaction and inside a read transaction */
	assert_int_equal(stream_ratings(st, 0, &sum), NPEOPLE * NYEARS);
	assert_int_equal(store_begin_read(st), 0);
	assert_int_equal(stream_ratings(st, 0, &sum2), NPEOPLE * NYEARS);
	assert_int_equal(store_commit(st), 0);
	assert_true(sum == sum2);
	sb_printf(dig, "stream %d rows, sum %016llx\n", NPEOPLE * NYEARS,
	    (unsigned long long)sum);
	/* stopped early past the first chunk: the scan's own transaction
	 * ends, a write afterwards is committed at once */
	assert_int_equal(stream_ratings(st, 10001, &sum2), 10001);
	assert_int_equal(store_award_subject(st, "N00001", &p, &e), 1);
	assert_int_equal(store_award_put(st, 2025, p.id, "LDTT", "9/QĐ", "2025-12-09",
	    NULL, &e), 0);
	st2 = db_again(d);
	assert_int_equal(awards_of(st2, 2025, dig), 1);
	store_close(st2);
}

static void
test_stream(void **state)
{
	(void)state;
	on_both(area_stream, "stream");
}

/* ---- generations ---- */

static int64_t
gen(struct store *st, const char *table)
{
	int64_t g;
	struct err e;

	if (store_generation(st, table, &g, &e) != 0)
		fail_msg("generation %s: %s", table, e.msg);
	return g;
}

static void
area_generations(struct db *d, struct sb *dig)
{
	struct store *st = d->st, *st2;
	struct award_subject p;
	struct err e;
	int64_t g0, g1, r0;
	struct sb x;

	seed(st, "units", UNITS);
	g0 = gen(st, "elig");
	r0 = gen(st, "records");
	assert_int_equal(gen(st, "elig"), g0);	/* reading changes nothing */
	seed(st, "people", PEOPLE);
	g1 = gen(st, "elig");
	assert_true(g1 != g0);
	sb_init(&x);
	export(st, "people", &x);	/* nor does an export */
	sb_free(&x);
	assert_true(gen(st, "elig") == g1);
	/* a rolled-back write leaves the stamp */
	assert_int_equal(store_award_subject(st, "P1", &p, &e), 1);
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_award_put(st, 2025, p.id, "LDTT", "1", "2025-12-01", NULL,
	    &e), 0);
	assert_int_equal(store_rollback(st), 0);
	assert_true(gen(st, "elig") == g1);
	/* (PostgreSQL keeps a transaction's bumps for its commit: a rollback
	 * drops them, an empty transaction after it writes none) */
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_commit(st), 0);
	assert_true(gen(st, "elig") == g1);
	/* a committed one changes it, for other connections too */
	assert_int_equal(store_award_put(st, 2025, p.id, "LDTT", "1", "2025-12-01", NULL,
	    &e), 0);
	st2 = db_again(d);
	assert_true(gen(st2, "elig") == gen(st, "elig"));
	assert_true(gen(st, "elig") != g1);
	/* each stamp its own tables: records are not the snapshot's */
	assert_true(gen(st, "records") == r0);
	seed(st, "records", "subject,metric,date,value\nA,output,2025-03-01,12.5\n");
	assert_true(gen(st, "records") != r0);
	/* a write through any store function bumps its tables' stamp (the
	 * store sees the statement's table; no writer calls a bump) */
	g1 = gen(st, "elig");
	seed(st, "ratings", "year,subject,rating\n2024,P1,HTTNV\n");
	assert_true(gen(st, "elig") != g1);
	assert_true(gen(st2, "elig") == gen(st, "elig"));
	store_close(st2);
	sb_puts(dig, "generations ok\n");
}

static void
test_generations(void **state)
{
	(void)state;
	on_both(area_generations, "generations");
}

/* ---- append-only: audit and ledger ---- */

static int
audit_row(void *arg, const struct audit_row *r)
{
	struct sb *out = arg;

	sb_printf(out, "%lld %s %s %s %s %s %s %s\n", (long long)r->at, r->actor,
	    r->address, r->action, r->kind, r->subject, r->before ? r->before : "∅",
	    r->after ? r->after : "∅");
	return 0;
}

static const char Q_AUDIT_N[] = "SELECT COUNT(*) FROM audit";
static const char Q_AUDIT_UPD[] = "UPDATE audit SET actor = 'mallory'";
static const char Q_AUDIT_DEL[] = "DELETE FROM audit";
static const char Q_LEDGER_UPD[] = "UPDATE ledger SET amount = 0";
static const char Q_LEDGER_DEL[] = "DELETE FROM ledger WHERE seq = 1";

static int64_t
count_of(struct store *st, const char *sql)
{
	struct store_stmt *s = store_prepare(st, sql);
	int64_t n;

	assert_non_null(s);
	assert_int_equal(store_step(s), STORE_ROW);
	n = store_col_int(s, 0);
	store_reset(s);
	return n;
}

/* A write the store must refuse: a negative rc, the handle still usable. */
static void
refused(struct store *st, const char *sql, struct sb *dig)
{
	struct store_stmt *s = store_prepare(st, sql);
	int rc;

	assert_non_null(s);
	rc = store_run(s);
	assert_true(rc < 0);
	sb_printf(dig, "refused %.20s\n", sql);
	assert_int_equal(store_exec(st, sql), -1);
}

static void
area_audit(struct db *d, struct sb *dig)
{
	struct store *st = d->st;
	struct audit_row r = { 0, 1764800000, "tester", "127.0.0.1", "update",
	    "units", "Z", "{\"name\":\"a\"}", "{\"name\":\"b\"}" };
	struct sb x;
	struct err e;
	long total = 0;
	int64_t n;

	assert_int_equal(store_audit_insert(st, &r, &e), 0);
	r.at++;
	r.before = NULL;
	r.action = "create";
	assert_int_equal(store_audit_insert(st, &r, &e), 0);
	audit_context("thử", "10.0.0.1");
	assert_int_equal(audit_record(st, "delete", "units", "Y", "{}", NULL, &e), 0);
	audit_context(NULL, NULL);
	n = count_of(st, Q_AUDIT_N);
	assert_int_equal(n, 3);
	sb_init(&x);
	assert_int_equal(store_audit_each(st, 0, "Z", 10, 0, &total, audit_row, &x,
	    &e), 0);
	assert_int_equal(total, 2);
	/* newest first */
	assert_true(strstr(x.s, "create") < strstr(x.s, "update"));
	sb_puts(dig, x.s);
	refused(st, Q_AUDIT_UPD, dig);
	refused(st, Q_AUDIT_DEL, dig);
	assert_int_equal(count_of(st, Q_AUDIT_N), n);
	sb_reset(&x);
	assert_int_equal(store_audit_each(st, 0, "Z", 10, 0, &total, audit_row, &x,
	    &e), 0);
	assert_null(strstr(x.s, "mallory"));
	/* refused inside a transaction too; the rollback keeps the rest */
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_exec(st, Q_AUDIT_DEL), -1);
	assert_int_equal(store_rollback(st), 0);
	assert_int_equal(count_of(st, Q_AUDIT_N), n);
	sb_free(&x);
}

static void
test_audit_append_only(void **state)
{
	(void)state;
	on_both(area_audit, "audit");
}

static int
ledger_row(void *arg, const struct ledger_entry *l)
{
	struct sb *out = arg;

	sb_printf(out, "%lld %s %s %d %s %s %lld %lld %s %s\n", (long long)l->seq,
	    l->kind, l->decision, l->year, l->subject, l->award,
	    (long long)l->amount, (long long)l->ref, l->prev_hash, l->hash);
	return 0;
}

static void
area_ledger(struct db *d, struct sb *dig)
{
	static const char *const aw[] = { "LDTT", "CSTDCS", "GK" };
	struct store *st = d->st;
	struct ledger_entry l, l1, l2;
	struct ledger_check c;
	struct ledger_head h;
	struct err e;

	seed(st, "units", UNITS);
	seed(st, "people", PEOPLE);
	assert_int_equal(ledger_head_get(st, &h, &e), 0);
	assert_int_equal(h.seq, 0);
	/* appended in a transaction */
	assert_int_equal(store_begin(st), 0);
	for (int i = 0; i < 3; i++) {
		test_ledger_entry(&l, "P1", aw[i], 702000 * (i + 1));
		assert_int_equal(ledger_append(st, &l, &e), 0);
		assert_int_equal(l.seq, i + 1);
	}
	assert_int_equal(store_commit(st), 0);
	/* an append rolled back leaves the head */
	assert_int_equal(store_begin(st), 0);
	test_ledger_entry(&l, "P2", "GK", 1);
	assert_int_equal(ledger_append(st, &l, &e), 0);
	assert_int_equal(store_rollback(st), 0);
	assert_int_equal(ledger_head_get(st, &h, &e), 0);
	assert_int_equal(h.seq, 3);
	/* read back, chained */
	assert_int_equal(store_award_ledger_get(st, 1, &l1, &e), 1);
	assert_int_equal(store_award_ledger_get(st, 2, &l2, &e), 1);
	assert_int_equal(store_award_ledger_get(st, 9, &l, &e), 0);
	assert_string_equal(l1.prev_hash,
	    "0000000000000000000000000000000000000000000000000000000000000000");
	assert_string_equal(l2.prev_hash, l1.hash);
	assert_string_equal(l1.signer, "Giám đốc Trần Văn Bình");
	{
		char hx[AWARD_HASH];

		ledger_hash(&l2, hx);
		assert_string_equal(hx, l2.hash);
	}
	assert_int_equal(ledger_verify(st, &c, &e), 0);
	assert_int_equal(c.entries, 3);
	assert_int_equal(c.bad_seq, 0);
	assert_string_equal(c.head, h.hash);
	/* append-only on both backends */
	refused(st, Q_LEDGER_UPD, dig);
	refused(st, Q_LEDGER_DEL, dig);
	/* a revocation is one more entry; the chain stays whole */
	{
		struct ledger_revocation rv = { 2, "khai sai", "2026-01-05", NULL, NULL };

		assert_int_equal(ledger_revoke(st, &rv, &l, &e), 0);
		assert_string_equal(l.kind, "revoke");
		assert_int_equal(l.ref, 2);
		assert_int_equal(l.amount, -1404000);
		assert_int_equal(store_award_ledger_revoked(st, 2, &e), 1);
		assert_int_equal(store_award_ledger_revoked(st, 1, &e), 0);
		assert_int_equal(ledger_revoke(st, &rv, &l, &e), -1);	/* twice */
	}
	assert_int_equal(ledger_verify(st, &c, &e), 0);
	assert_int_equal(c.entries, 4);
	assert_int_equal(c.bad_seq, 0);
	/* the same content hashes the same on both backends */
	assert_int_equal(store_award_ledger_each(st, NULL, NULL, ledger_row, dig, &e), 0);
}

static void
test_ledger(void **state)
{
	(void)state;
	on_both(area_ledger, "ledger");
}

/* ---- constraint violations ---- */

static const char Q_INS_SUBJ[] = "INSERT INTO subjects (code, kind) VALUES ($1, 'unit')";
static const char Q_INS_PERSON_FK[] =
    "INSERT INTO people (id, unit_id, name, category, joined) "
    "VALUES ($1, 999999, 'x', 'employee', '2020-01-01')";

static void
area_refusals(struct db *d, struct sb *dig)
{
	struct store *st = d->st;
	struct store_stmt *s;
	struct import_report rep;
	struct award_subject p;
	int64_t prop;
	struct err e;

	seed(st, "units", UNITS);
	seed(st, "people", PEOPLE);
	/* unique: the driver's own code, and ERR_CONFLICT with a struct err */
	assert_non_null(s = store_prepare(st, Q_INS_SUBJ));
	store_bind_text(s, 1, "Z");
	assert_int_equal(store_run(s), STORE_CONSTRAINT);
	store_bind_text(s, 1, "Z");
	memset(&e, 0, sizeof e);
	assert_int_equal(store_run_err(st, s, &e), -1);
	assert_int_equal(e.kind, ERR_CONFLICT);
	/* foreign key */
	assert_int_equal(store_award_subject(st, "P1", &p, &e), 1);
	assert_non_null(s = store_prepare(st, Q_INS_PERSON_FK));
	store_bind_int(s, 1, p.id);
	assert_int_equal(store_run(s), STORE_CONSTRAINT);
	assert_int_equal(store_award_put(st, 2025, 999999, "LDTT", "1", "2025-12-01",
	    NULL, &e), -1);
	assert_int_equal(e.kind, ERR_CONFLICT);
	/* through the named proposal operations */
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_award_proposal_insert(st, 2025, "LDTT", NULL, "2025-12-01T00:00:00Z",
	    &prop, &e), 0);
	assert_int_equal(store_award_candidate_insert(st, prop, p.id, "eligible", "{}", "{}",
	    "", NULL, &e), 0);
	assert_int_equal(store_commit(st), 0);
	assert_int_equal(store_award_candidate_insert(st, prop, p.id, "eligible", "{}", "{}",
	    "", NULL, &e), -1);
	assert_int_equal(e.kind, ERR_CONFLICT);
	assert_int_equal(store_award_candidate_insert(st, prop + 100, p.id, "eligible", "{}",
	    "{}", "", NULL, &e), -1);
	assert_int_equal(e.kind, ERR_CONFLICT);
	/* imports report, and write nothing */
	assert_int_not_equal(import(st, "units", "code,name,parent,kind\n"
	    "X1,x,Z,team\nX2,y,NOPE,team\n", &rep), 0);
	assert_true(rep.nerr > 0);
	assert_int_equal(rep.written, 0);
	sb_printf(dig, "unknown parent: line %ld field %s\n", rep.errs[0].line,
	    rep.errs[0].field);
	assert_int_not_equal(import(st, "discipline", "subject,form,from,to\n"
	    "P1,reprimand,2025-01-01,2025-02-01\nNOPE,reprimand,2025-01-01,\n", &rep), 0);
	assert_true(rep.nerr > 0);
	sb_printf(dig, "unknown: line %ld field %s\n", rep.errs[0].line,
	    rep.errs[0].field);
	/* the handle goes on after every refusal */
	assert_int_equal(store_award_subject(st, "X1", &p, &e), 0);
	assert_int_equal(store_award_subject(st, "P1", &p, &e), 1);
	{
		struct sb x;

		sb_init(&x);
		assert_int_equal(export(st, "discipline", &x), 0);
		sb_free(&x);
	}
	sb_puts(dig, "refusals ok\n");
}

static void
test_refusals(void **state)
{
	(void)state;
	on_both(area_refusals, "refusals");
}

/* ---- accounts, sessions, tokens, failures ---- */

static int
account_row(void *arg, const struct account *a)
{
	sb_printf(arg, "%s %s %s %d\n", a->login, a->role, a->unit, a->disabled);
	return 0;
}

static void
area_accounts(struct db *d, struct sb *dig)
{
	struct store *st = d->st;
	struct account a, got;
	int64_t id, id2, tok, created, seen, oldest, newest;
	char csrf[65];
	long n;
	struct err e;

	seed(st, "units", UNITS);
	memset(&a, 0, sizeof a);
	strcpy(a.login, "lan");
	strcpy(a.pwhash, "$argon2id$x");
	strcpy(a.role, "officer");	/* not a role: the CHECK refuses it */
	strcpy(a.unit, "A");
	assert_int_equal(store_auth_account_insert(st, &a, 1000, &id, &e), -1);
	sb_printf(dig, "bad role: error kind %d\n", (int)e.kind);
	strcpy(a.role, "commander");
	assert_int_equal(store_auth_account_insert(st, &a, 1000, &id, &e), 0);
	strcpy(a.login, "minh");
	strcpy(a.role, "admin");
	a.unit[0] = '\0';
	assert_int_equal(store_auth_account_insert(st, &a, 1000, &id2, &e), 0);
	assert_true(id2 != id);
	/* refusals: a login taken, a unit unknown */
	assert_int_equal(store_auth_account_insert(st, &a, 1000, &id2, &e), -1);
	assert_int_equal(e.kind, ERR_CONFLICT);
	strcpy(a.login, "other");
	strcpy(a.unit, "NOPE");
	assert_int_equal(store_auth_account_insert(st, &a, 1000, &id2, &e), -1);
	assert_int_equal(e.kind, ERR_NOTFOUND);
	assert_int_equal(store_auth_account_count(st, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(store_auth_account_get(st, "lan", &got, &e), 1);
	assert_int_equal(got.id, id);
	assert_string_equal(got.unit, "A");
	assert_string_equal(got.pwhash, "$argon2id$x");
	assert_int_equal(store_auth_account_get(st, "nobody", &got, &e), 0);
	assert_int_equal(store_auth_account_each(st, account_row, dig, &e), 0);
	/* sessions */
	assert_int_equal(store_auth_session_insert(st, "h1", id, "c1", 2000,
	    "127.0.0.1", &e), 0);
	assert_int_equal(store_auth_session_get(st, "h1", &got, csrf, &created,
	    &seen, &e), 1);
	assert_string_equal(got.login, "lan");
	assert_string_equal(csrf, "c1");
	assert_int_equal(created, 2000);
	assert_int_equal(store_auth_session_touch(st, "h1", 2500, &e), 0);
	assert_int_equal(store_auth_session_get(st, "h1", &got, csrf, &created,
	    &seen, &e), 1);
	assert_int_equal(seen, 2500);
	assert_int_equal(store_auth_session_insert(st, "h1", id, "c2", 2000,
	    "x", &e), -1);
	assert_int_equal(store_auth_session_count(st, &n, &e), 0);
	assert_int_equal(n, 1);
	/* a disabled account's session no longer counts */
	assert_int_equal(store_auth_account_set(st, id, "$argon2id$y", 1, &e),
	    0);
	assert_int_equal(store_auth_session_get(st, "h1", &got, csrf, &created,
	    &seen, &e), 0);
	assert_int_equal(store_auth_account_set(st, id, "$argon2id$y", 0, &e),
	    0);
	assert_int_equal(store_auth_session_delete(st, "h1", &e), 0);
	assert_int_equal(store_auth_session_get(st, "h1", &got, csrf, &created,
	    &seen, &e), 0);
	/* tokens: until they expire or are revoked */
	assert_int_equal(store_auth_token_insert(st, id, "t1", 3000, 4000, &tok,
	    &e), 0);
	assert_int_equal(store_auth_token_get(st, "t1", 3999, &got, &e), 1);
	assert_string_equal(got.login, "lan");
	assert_int_equal(store_auth_token_get(st, "t1", 4001, &got, &e), 0);
	assert_int_equal(store_auth_token_revoke(st, tok, NULL, &e), 1);
	assert_int_equal(store_auth_token_get(st, "t1", 3500, &got, &e), 0);
	assert_int_equal(store_auth_token_revoke(st, 0, "none", &e), 0);
	/* failed logins counted by key and time */
	assert_int_equal(store_auth_fail_insert(st, "ip:1", 100, &e), 0);
	assert_int_equal(store_auth_fail_insert(st, "ip:1", 200, &e), 0);
	assert_int_equal(store_auth_fail_insert(st, "ip:2", 300, &e), 0);
	assert_int_equal(store_auth_fail_count(st, "ip:1", 0, &n, &oldest,
	    &newest, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(oldest, 100);
	assert_int_equal(newest, 200);
	assert_int_equal(store_auth_fail_count(st, "ip:1", 150, &n, &oldest,
	    &newest, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_auth_fail_clear(st, "ip:1", &e), 0);
	assert_int_equal(store_auth_fail_count(st, "ip:1", 0, &n, &oldest,
	    &newest, &e), 0);
	assert_int_equal(n, 0);
	sb_puts(dig, "accounts ok\n");
}

static void
test_accounts(void **state)
{
	(void)state;
	on_both(area_accounts, "accounts");
}

/* ---- backup and restore ---- */

static void
area_backup(struct db *d, struct sb *dig)
{
	struct store *st = d->st;
	const char *tmp = getenv("THIDUA_TEST_TMP");
	char *path = xasprintf("%s/backup-%d-%d", tmp ? tmp : "/tmp", (int)getpid(),
	    (int)store_backend(st));
	struct ledger_entry l;
	struct ledger_check c;
	struct sb before, after;
	struct err e;

	seed(st, "units", UNITS);
	seed(st, "people", PEOPLE);
	assert_int_equal(store_begin(st), 0);
	test_ledger_entry(&l, "P1", "LDTT", 702000);
	assert_int_equal(ledger_append(st, &l, &e), 0);
	assert_int_equal(store_commit(st), 0);
	sb_init(&before);
	export(st, "people", &before);
	assert_int_equal(store_award_ledger_each(st, NULL, NULL, ledger_row, &before, &e), 0);
	if (store_backup(st, d->target, path, &e) != 0)
		fail_msg("backup: %s", e.msg);
	/* changes after the backup, then the backup restored: gone */
	seed(st, "people", "code,name,unit,category,joined\nP9,Chín,A,employee,2020-01-01\n");
	assert_int_equal(store_begin(st), 0);
	test_ledger_entry(&l, "P9", "GK", 1);
	assert_int_equal(ledger_append(st, &l, &e), 0);
	assert_int_equal(store_commit(st), 0);
	if (store_restore(st, d->target, path, &e) != 0)
		fail_msg("restore: %s", e.msg);
	store_close(st);
	d->st = st = db_again(d);	/* (a fresh connection sees the restored data) */
	sb_init(&after);
	export(st, "people", &after);
	assert_int_equal(store_award_ledger_each(st, NULL, NULL, ledger_row, &after, &e), 0);
	assert_string_equal(after.s, before.s);
	assert_int_equal(ledger_verify(st, &c, &e), 0);
	assert_int_equal(c.entries, 1);
	assert_int_equal(c.bad_seq, 0);
	sb_puts(dig, after.s);
	sb_free(&before);
	sb_free(&after);
	unlink(path);
	free(path);
}

static void
test_backup_restore(void **state)
{
	(void)state;
	on_both(area_backup, "backup");
}

/* ---- rule sets, the eligibility snapshot and the API's reads ---- */

static int
rules_row(void *arg, const char *code, const char *effective)
{
	sb_printf(arg, "rules %s %s\n", code, effective);
	return 0;
}

static void
area_reads(struct db *d, struct sb *dig)
{
	static const char Y1[] = "rule_set: t\neffective: 2020-01-01\n"
	    "ratings: {HTXSNV: 90, HTTNV: 70, HTNV: 50}\nawards:\n"
	    "  - code: LDTT\n    name: {vi: a, en: b}\n    family: title\n"
	    "    subject: person\n    level: base\n    basis: x\n"
	    "    require:\n      - rating: {min: HTTNV}\n";
	struct store *st = d->st;
	struct ruleset *rs;
	struct elig_snap sn;
	char *yaml;
	int changed, missing, had;
	double before;
	struct elig_stamp gen1;
	struct err e;
	struct sb x;

	seed(st, "units", UNITS);
	seed(st, "people", PEOPLE);
	seed(st, "ratings", "year,subject,rating\n2024,P1,HTXSNV\n2025,P1,HTTNV\n"
	    "2025,P2,HTNV\n2025,A,HTXSNV\n2010,P3,HTTNV\n");
	seed(st, "innovations", "code,kind,title,year,level,authors,benefit\n"
	    "SK-1,initiative,x,2025,base,P1;P2,2000000\nSK-2,research,y,2022,ministry,P1,\n");
	seed(st, "awards", "year,subject,award,decision,date,based_on\n"
	    "2025,P1,LDTT,1/QĐ,2025-12-20,SK-1\n");
	/* rule sets: stored once, the same text again changes nothing */
	assert_int_equal(store_rules_put(st, "t", "2020-01-01", Y1, &changed, &e), 0);
	assert_int_equal(changed, 1);
	assert_int_equal(store_rules_put(st, "t", "2020-01-01", Y1, &changed, &e), 0);
	assert_int_equal(changed, 0);
	assert_non_null(yaml = store_rules_get(st, "2025-06-01", NULL, &e));
	assert_string_equal(yaml, Y1);
	free(yaml);
	assert_null(store_rules_get(st, "2019-12-31", NULL, &e));
	assert_int_equal(e.kind, ERR_NOTFOUND);
	assert_int_equal(store_rules_each(st, rules_row, dig, &e), 0);
	/* the eligibility snapshot as the loader streams it */
	rs = rules_parse("t", Y1, strlen(Y1), &e);
	assert_non_null(rs);
	assert_int_equal(store_elig_snapshot(st, rs, 2025, &sn, &gen1, NULL, &e), 0);
	assert_true(gen1.gen == gen(st, "elig"));
	assert_true(gen1.base == gen(st, "elig-base"));
	assert_int_equal(sn.nunit, 5);
	assert_int_equal(sn.nperson, 3);	/* P4 left in 2024 */
	assert_int_equal(sn.ninnov, 2);
	for (size_t i = 0; i < sn.nsubj; i++)
		sb_printf(dig, "%s:%d%d ", sn.arena + sn.code[i],
		    sn.rating[i * ELIG_NY + ELIG_NY - 1],
		    sn.rating[i * ELIG_NY + ELIG_NY - 2]);
	sb_printf(dig, "ever_rt(P3)=%u iused(SK-1)=%llx\n",
	    sn.ever_rt[sn.nunit + 2], (unsigned long long)sn.iused[0]);
	assert_true(sn.ever_rt[sn.nunit + 2] == 1u << RT_HTTNV);	/* 2010 */
	assert_string_equal(sn.arena + sn.icode[0], "SK-1");
	assert_true(sn.iused[0] == 1);	/* LDTT (award 0) rests on it */
	assert_true(sn.iused[1] == 0);
	elig_snap_free(&sn);
	rules_free(rs);
	/* the API's reads: the same JSON text on both backends */
	sb_init(&x);
	assert_int_equal(store_unit_json(st, "A", &x, &e), 1);
	sb_printf(dig, "%s\n", x.s);
	assert_non_null(strstr(x.s, "\"children\""));
	sb_reset(&x);
	assert_int_equal(store_unit_summary_json(st, "Z", &x, &e), 1);
	sb_printf(dig, "%s\n", x.s);
	sb_reset(&x);
	assert_int_equal(store_unit_json(st, "NOPE", &x, &e), 0);
	sb_free(&x);
	/* a record written, replaced, or refused for an unknown subject */
	assert_int_equal(store_begin(st), 0);
	assert_int_equal(store_movement_record_put(st, "A", "output", 20000,
	    12.5, &missing, &had, &before, &e), 0);
	assert_int_equal(missing, 0);
	assert_int_equal(had, 0);
	assert_int_equal(store_movement_record_put(st, "A", "output", 20000,
	    13.25, &missing, &had, &before, &e), 0);
	assert_int_equal(had, 1);
	assert_true(before == 12.5);
	assert_int_equal(store_movement_record_put(st, "NOPE", "output", 20000,
	    1, &missing, &had, &before, &e), 0);
	assert_int_equal(missing, 1);
	assert_int_equal(store_commit(st), 0);
	sb_init(&x);
	assert_int_equal(export(st, "records", &x), 1);
	sb_puts(dig, x.s);
	sb_free(&x);
}

static void
test_reads(void **state)
{
	(void)state;
	on_both(area_reads, "reads");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import),
		cmocka_unit_test(test_transactions),
		cmocka_unit_test(test_statement_cache),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_generations),
		cmocka_unit_test(test_audit_append_only),
		cmocka_unit_test(test_ledger),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_accounts),
		cmocka_unit_test(test_backup_restore),
		cmocka_unit_test(test_reads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
