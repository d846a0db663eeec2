/*
 * test-store.c: the storage driver's conformance suite, run against both
 * backends: migrations, statements, NULLs, constraints, transactions and
 * bulk loading behave the same on SQLite and PostgreSQL.
 */
#include <sqlite3.h>

#include "testutil.h"

static const char Q_INS_SUBJ[] = "INSERT INTO subjects (code, kind) VALUES ($1, $2)";
static const char Q_SEL_SUBJ[] = "SELECT code, kind, id FROM subjects ORDER BY code";
static const char Q_COUNT[] = "SELECT COUNT(*) FROM subjects";
static const char Q_ECHO[] = "SELECT $1, $2, $3, $1";

static int64_t
count(struct store *st)
{
	struct store_stmt *s = store_prepare(st, Q_COUNT);
	int64_t n;

	assert_non_null(s);
	assert_int_equal(store_step(s), STORE_ROW);
	n = store_col_int(s, 0);
	store_reset(s);
	return n;
}

/*
 * A streamed scan (store_stream) returns every row in order across the
 * PostgreSQL cursor's chunks (10,000 rows), inside the caller's
 * transaction or in its own, which ends with the scan or at an early
 * reset: rows written afterwards are committed at once, as usual.
 */
static const char Q_SERIES[] =
    "WITH RECURSIVE t (g) AS (SELECT 1 WHERE $1 >= 1 UNION ALL "
    "SELECT g + 1 FROM t WHERE g < $1) "
    "SELECT g, g * 2 FROM t WHERE g > $2 ORDER BY g";

static const char Q_CURSORS[] =
    "SELECT COUNT(*) FROM pg_cursors WHERE statement LIKE 'DECLARE %'";

static void
scan(struct store *st, int64_t n, int64_t skip, int64_t stop)
{
	struct store_stmt *s = store_prepare(st, Q_SERIES), *c;
	int64_t k = skip, rc;

	assert_non_null(s);
	store_bind_int(s, 1, n);
	store_bind_int(s, 2, skip);
	store_stream(s);
	while ((rc = store_step(s)) == STORE_ROW) {
		k++;
		assert_int_equal(store_col_int(s, 0), k);
		assert_int_equal(store_col_int(s, 1), 2 * k);
		if (k == 1 && store_backend(st) == STORE_PG) {
			/* the rows come through a cursor on this connection */
			assert_non_null(c = store_prepare(st, Q_CURSORS));
			assert_int_equal(store_step(c), STORE_ROW);
			assert_int_equal(store_col_int(c, 0), 1);
			store_reset(c);
		}
		if (k == stop)
			break;
	}
	assert_int_equal(k, stop ? stop : n);
	if (!stop)
		assert_int_equal(rc, STORE_DONE);
	store_reset(s);
}

static void
test_stream(void **state)
{
	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		char *target = test_db_target(b);
		struct store *st, *other;
		struct store_stmt *s;
		struct err e;

		assert_int_equal(store_open(target, &st, &e), 0);
		assert_int_equal(store_migrate(st, &e), 0);
		assert_int_equal(store_open(target, &other, &e), 0);
		scan(st, 25001, 0, 0);		/* three chunks, the last short */
		scan(st, 20000, 0, 0);		/* exactly two: an empty third */
		scan(st, 30000, 12345, 0);	/* parameters reach the cursor */
		scan(st, 0, 0, 0);		/* nothing */
		scan(st, 25001, 0, 10500);	/* stopped in the second chunk */
		/* the scans' own transactions are over: a write is seen at once */
		s = store_prepare(st, Q_INS_SUBJ);
		store_bind_text(s, 1, "S1");
		store_bind_text(s, 2, "unit");
		assert_int_equal(store_run(s), 0);
		assert_int_equal(count(other), 1);
		/* inside the caller's transaction, which it leaves open */
		assert_int_equal(store_begin(st), 0);
		scan(st, 25001, 0, 0);
		s = store_prepare(st, Q_INS_SUBJ);
		store_bind_text(s, 1, "S2");
		store_bind_text(s, 2, "unit");
		assert_int_equal(store_run(s), 0);
		assert_int_equal(count(other), 1);
		assert_int_equal(store_commit(st), 0);
		assert_int_equal(count(other), 2);
		store_close(other);
		store_close(st);
		free(target);
	}
}

/*
 * SQLite keeps no memory statistics for us: with them on (its default)
 * every allocation of every connection takes one process-wide mutex, and
 * the eligibility snapshot's two loading connections spent a cold load
 * at 10,000 people handing it to each other (11,000 futex calls).
 */
static void
test_sqlite_no_memstatus(void **state)
{
	struct store *st = test_open(0);

	(void)state;
	assert_int_equal(store_backend(st), STORE_SQLITE);
	assert_int_equal(count(st), 0);
	assert_true(sqlite3_memory_used() == 0);
	assert_true(sqlite3_memory_highwater(0) == 0);
	store_close(st);
}

/*
 * store_read_once(st, 1) holds SQLite's page cache to 1 MiB, and
 * store_read_once(st, 0) gives the handle back what it had, the 64 MiB
 * it opens with or what store_expect_rows raised it to.
 */
static int64_t
cache_size(struct store *st)
{
	struct store_stmt *s = store_prepare(st, "PRAGMA cache_size");
	int64_t n;

	assert_non_null(s);
	assert_int_equal(store_step(s), STORE_ROW);
	n = store_col_int(s, 0);
	store_reset(s);
	return n;
}

static void
test_sqlite_read_once(void **state)
{
	struct store *st = test_open(0);

	(void)state;
	assert_int_equal(cache_size(st), -65536);
	store_read_once(st, 1);
	assert_int_equal(cache_size(st), -1024);
	store_read_once(st, 0);
	assert_int_equal(cache_size(st), -65536);
	store_expect_rows(st, 200000);
	store_read_once(st, 1);
	store_read_once(st, 1);
	assert_int_equal(cache_size(st), -1024);
	store_read_once(st, 0);
	assert_int_equal(cache_size(st), -200000);
	store_expect_rows(st, 0);
	assert_int_equal(cache_size(st), -65536);
	store_close(st);
}

static void
test_migrate_idempotent(void **state)
{
	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = test_open(b);
		struct err e;
		int v = store_schema_version(st);

		assert_true(v >= 1);
		assert_int_equal(store_migrate(st, &e), 0);
		assert_int_equal(store_schema_version(st), v);
		store_close(st);
	}
}

static void
test_bind_and_read(void **state)
{
	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = test_open(b);
		struct store_stmt *s = store_prepare(st, Q_ECHO);

		assert_non_null(s);
		store_bind_text(s, 1, "Nguyễn Văn Á");
		store_bind_int(s, 2, 42);
		store_bind_null(s, 3);
		assert_int_equal(store_step(s), STORE_ROW);
		assert_string_equal(store_col_text(s, 0), "Nguyễn Văn Á");
		assert_int_equal(store_col_int(s, 1), 42);
		assert_true(store_col_isnull(s, 2));
		assert_string_equal(store_col_text(s, 2), "");
		assert_string_equal(store_col_text(s, 3), "Nguyễn Văn Á");
		assert_int_equal(store_step(s), STORE_DONE);
		store_reset(s);
		/* The cached statement runs again with new values. */
		s = store_prepare(st, Q_ECHO);
		store_bind_text(s, 1, "x");
		store_bind_int(s, 2, -7);
		store_bind_double(s, 3, 2.5);
		assert_int_equal(store_step(s), STORE_ROW);
		assert_int_equal(store_col_int(s, 1), -7);
		assert_true(store_col_double(s, 2) == 2.5);
		store_reset(s);
		store_close(st);
	}
}

static void
test_constraint_and_rollback(void **state)
{
	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = test_open(b);
		struct store_stmt *s;

		assert_int_equal(store_begin(st), 0);
		s = store_prepare(st, Q_INS_SUBJ);
		store_bind_text(s, 1, "A1");
		store_bind_text(s, 2, "unit");
		assert_int_equal(store_run(s), STORE_DONE);
		assert_int_equal(store_commit(st), 0);

		assert_int_equal(store_begin(st), 0);
		s = store_prepare(st, Q_INS_SUBJ);
		store_bind_text(s, 1, "B1");
		store_bind_text(s, 2, "person");
		assert_int_equal(store_run(s), STORE_DONE);
		s = store_prepare(st, Q_INS_SUBJ);
		store_bind_text(s, 1, "A1");	/* duplicate code */
		store_bind_text(s, 2, "person");
		assert_int_equal(store_run(s), STORE_CONSTRAINT);
		assert_int_equal(store_rollback(st), 0);
		assert_int_equal(count(st), 1);

		s = store_prepare(st, Q_INS_SUBJ);
		store_bind_text(s, 1, "C1");
		store_bind_text(s, 2, "robot");	/* CHECK constraint */
		assert_int_equal(store_run(s), STORE_CONSTRAINT);
		assert_int_equal(count(st), 1);
		store_close(st);
	}
}

static void
test_bulk(void **state)
{
	static const char *const cols[] = { "code", "kind" };

	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = test_open(b);
		struct store_bulk *bk;
		struct store_stmt *s;
		char code[16];

		assert_int_equal(store_begin(st), 0);
		bk = store_bulk_begin(st, "subjects", cols, 2);
		assert_non_null(bk);
		for (int i = 0; i < 1000; i++) {
			const char *v[2] = { code, i % 2 ? "unit" : "person" };

			snprintf(code, sizeof code, "S%04d", i);
			assert_int_equal(store_bulk_row(bk, v), 0);
		}
		{
			const char *v[2] = { "Tab\there", "unit" };
			assert_int_equal(store_bulk_row(bk, v), 0);
		}
		assert_int_equal(store_bulk_end(bk), 0);
		assert_int_equal(store_commit(st), 0);
		assert_int_equal(count(st), 1001);
		s = store_prepare(st, Q_SEL_SUBJ);
		assert_int_equal(store_step(s), STORE_ROW);
		assert_string_equal(store_col_text(s, 0), "S0000");
		assert_string_equal(store_col_text(s, 1), "person");
		store_reset(s);
		store_close(st);
	}
}

/*
 * Generations: the driver replaces a table's stamp when a statement
 * writes it (prepared or store_exec), at once outside a transaction and
 * with the transaction inside one (gone with its rollback), again after
 * a write that follows a read of the stamp; reads and other tables leave
 * it alone.
 */
static int64_t
gen(struct store *st, const char *name)
{
	struct err e;
	int64_t n = 0;

	assert_int_equal(store_generation(st, name, &n, &e), 0);
	return n;
}

static void
insert_subject(struct store *st, const char *code)
{
	struct store_stmt *s = store_prepare(st, Q_INS_SUBJ);

	store_bind_text(s, 1, code);
	store_bind_text(s, 2, "unit");
	assert_int_equal(store_run(s), STORE_DONE);
}

static void
test_generations(void **state)
{
	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = test_open(b);
		int64_t e0 = gen(st, "elig"), r0 = gen(st, "records"), e1, e2;

		insert_subject(st, "G1");
		e1 = gen(st, "elig");
		assert_true(e1 != e0);
		assert_true(gen(st, "records") == r0);
		(void)count(st);	/* a read */
		assert_true(gen(st, "elig") == e1);

		assert_int_equal(store_begin(st), 0);
		insert_subject(st, "G2");
		if (store_backend(st) == STORE_SQLITE) {
			/* a copy made at this stamp inside the transaction is
			 * out of date after the next write */
			e2 = gen(st, "elig");
			assert_true(e2 != e1);
			insert_subject(st, "G3");
			assert_true(gen(st, "elig") != e2);
		}
		assert_int_equal(store_rollback(st), 0);
		assert_true(gen(st, "elig") == e1);

		assert_int_equal(store_begin(st), 0);
		insert_subject(st, "G2");
		insert_subject(st, "G3");
		assert_int_equal(store_commit(st), 0);
		e2 = gen(st, "elig");
		assert_true(e2 != e1);

		assert_int_equal(store_exec(st, "UPDATE subjects SET kind = kind"), 0);
		assert_true(gen(st, "elig") != e2);
		assert_true(gen(st, "records") == r0);
		store_close(st);
	}
}

/*
 * A job rolled back to its savepoint (the server's writer: a savepoint a
 * job in a batch) undoes, on SQLite, the generation it replaced; a later
 * job's write in the same transaction must replace it again, or copies
 * made before the batch would pass for current after it.
 */
static void
test_generations_savepoint(void **state)
{
	static const char Q_ROLLBACK_TO[] = "ROLLBACK TO SAVEPOINT job";

	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = test_open(b);
		int64_t e0 = gen(st, "elig");
		struct store_stmt *s;

		assert_int_equal(store_begin(st), 0);
		assert_int_equal(store_exec(st, "SAVEPOINT job"), 0);
		insert_subject(st, "S1");
		assert_non_null(s = store_prepare(st, Q_ROLLBACK_TO));
		assert_int_equal(store_run(s), STORE_DONE);
		assert_int_equal(store_exec(st, "RELEASE SAVEPOINT job"), 0);
		insert_subject(st, "S2");
		assert_int_equal(store_commit(st), 0);
		assert_int_equal(count(st), 1);
		assert_true(gen(st, "elig") != e0);
		store_close(st);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrate_idempotent),
		cmocka_unit_test(test_bind_and_read),
		cmocka_unit_test(test_constraint_and_rollback),
		cmocka_unit_test(test_bulk),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_generations),
		cmocka_unit_test(test_generations_savepoint),
		cmocka_unit_test(test_sqlite_no_memstatus),
		cmocka_unit_test(test_sqlite_read_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
