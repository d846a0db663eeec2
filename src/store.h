/*
 * store.h: the only door to the database.
 *
 * Two backends sit behind it: SQLite (the embedded default, a file path)
 * and PostgreSQL (a postgres:// or postgresql:// URL). Callers outside the
 * store never write SQL: they call named operations declared in the
 * store-*.h headers (store-org.h, ...), which are implemented in store-*.c
 * on top of the small statement driver below. SQL text lives only in
 * src/store*.c and sql/.
 *
 * SQL placeholders are written $1, $2, ... for both backends (the SQLite
 * driver rewrites them to ?1, ?2). Dates are TEXT 'YYYY-MM-DD' on both.
 *
 * Ownership: store_open() returns a handle freed by store_close().
 * Statements from store_prepare() are cached in the handle and freed with
 * it; never free them yourself. Text returned by store_col_text() is valid
 * until the next store_step() or store_reset() on that statement.
 *
 * A handle is used by one thread at a time.
 */
#ifndef THIDUA_STORE_H
#define THIDUA_STORE_H

#include <stdint.h>
#include <stdio.h>

#include "err.h"

struct store;
struct store_stmt;

enum store_rc {
	STORE_DONE = 0,		/* statement finished, no (more) rows */
	STORE_ROW = 1,		/* a row is ready */
	STORE_ERR = -1,		/* hard error; store_errmsg() says why */
	STORE_CONSTRAINT = -2	/* unique/foreign-key/check violation */
};

enum store_backend { STORE_SQLITE, STORE_PG };

/* Open TARGET (file path or URL). Does not migrate. */
int		 store_open(const char *target, struct store **, struct err *);
void		 store_close(struct store *);
enum store_backend store_backend(const struct store *);
const char	*store_errmsg(struct store *);
/* This thread lost its PostgreSQL connection (or could not make one)
 * since the last clear: the server answers 503 (store-pg.c). */
int		 store_conn_lost(void);
void		 store_conn_lost_clear(void);

/* Create or upgrade the schema to the newest migration. */
int		 store_migrate(struct store *, struct err *);
/* Newest applied migration number, 0 for an empty database, -1 on error. */
int		 store_schema_version(struct store *);
/* The newest migration this build knows for the store's backend. */
int		 store_schema_latest(const struct store *);

/*
 * Transactions. begin/commit/rollback return 0 or -1. store_begin takes
 * the write lock at once on SQLite (BEGIN IMMEDIATE); store_begin_read
 * opens a read-only snapshot (SQLite: from the first read on).
 */
int		 store_begin(struct store *);
int		 store_begin_read(struct store *);
int		 store_commit(struct store *);
int		 store_rollback(struct store *);

/* Run SQL without parameters or results (DDL, pragmas). 0 or -1. */
int		 store_exec(struct store *, const char *sql);

/*
 * Prepare SQL (cached by the address of the string: pass string literals
 * or static const char * only). Parameters are bound by 1-based index and
 * copied. store_step() runs the statement on its first call.
 */
struct store_stmt *store_prepare(struct store *, const char *sql);
void		 store_bind_null(struct store_stmt *, int);
void		 store_bind_int(struct store_stmt *, int, int64_t);
void		 store_bind_double(struct store_stmt *, int, double);
void		 store_bind_text(struct store_stmt *, int, const char *);
/* Bind text, or NULL when s is NULL or empty. */
void		 store_bind_opt(struct store_stmt *, int, const char *);
int		 store_step(struct store_stmt *);
int		 store_col_isnull(struct store_stmt *, int);
int64_t		 store_col_int(struct store_stmt *, int);
double		 store_col_double(struct store_stmt *, int);
const char	*store_col_text(struct store_stmt *, int);	/* "" for NULL */
int		 store_ncols(struct store_stmt *);
/* Finish the statement and clear bindings so it can run again. */
void		 store_reset(struct store_stmt *);

/*
 * A hint before the first step of a scan that may return many rows: on
 * PostgreSQL the rows are fetched through a cursor in chunks (inside the
 * caller's transaction, else in one of its own that ends with the scan),
 * so memory stays bounded instead of holding the whole result; SQLite
 * streams anyway. Lasts until store_reset().
 */
void		 store_stream(struct store_stmt *);

/* Run a statement to completion expecting no rows: 0, or the negative rc. */
int		 store_run(struct store_stmt *);

/*
 * The same with a struct err, for store-*.c: store_err() fills e with the
 * backend's last message as a system error and returns -1;
 * store_run_err() is 0 when done, else -1 (ERR_CONFLICT for a constraint
 * violation); store_prepare_err() is NULL with e filled.
 */
int		 store_err(struct store *, struct err *);
int		 store_run_err(struct store *, struct store_stmt *, struct err *);
struct store_stmt *store_prepare_err(struct store *, const char *sql,
		     struct err *);
/* In a store-*.c function returning int: s prepared, or return -1. */
#define STORE_PREP(s, st, sql, e) \
	if (((s) = store_prepare((st), (sql))) == NULL) \
		return store_err((st), (e))

/* A column's text into a fixed buffer (truncated; NULL becomes ""). */
static inline void
store_copy(char *dst, size_t sz, const char *src)
{
	snprintf(dst, sz, "%s", src ? src : "");
}

/*
 * Generations (migration 0009): a random stamp per table, replaced by
 * every write of that table in the writer's transaction, so that a
 * derived copy made at one stamp is current while the stamp is the same.
 * Stamps: "records", "targets" (one table each), "elig" (every table
 * the eligibility snapshot reads: subjects, units, people, person_units,
 * ratings, awards, innovations, innovation_authors, discipline,
 * incidents, service; migration 0010) and "elig-base" (the same but
 * ratings and awards, which reach the snapshot's copy through SQLite's
 * elig_log instead; migration 0014). The driver replaces them itself
 * when a statement (store_step, store_exec, store_bulk_begin) writes
 * one of those tables: no writer has to remember to. store_generation
 * reads one: 0, or -1 with e filled.
 */
int		 store_generation(struct store *, const char *table, int64_t *,
		     struct err *);
/*
 * The last row of one of SQLite's write logs, "elig_log" (0014),
 * "records_log" (0015), "subject_log" (0016) or "targets_log" (0025):
 * its seq and tag, both 0 when the log is empty or absent (PostgreSQL,
 * an older schema). A copy stamped with them is current while they stay.
 * 0, or -1 with e filled.
 */
int		 store_log_last(struct store *, const char *log, int64_t *seq,
		     int64_t *tag, struct err *);

/* The file behind a SQLite store (malloc'd), or NULL (PostgreSQL, memory). */
char		*store_sqlite_path(struct store *);
/* 1 inside a transaction, 0 in autocommit. */
int		 store_in_txn(struct store *);
/* Whether the database has table (a migration's, say). */
int		 store_table_exists(struct store *, const char *table);

/*
 * Folding rows inside SQLite (no row crosses the API): an aggregate SQL
 * function NAME(a1, ..., aN) on this connection whose every row calls
 * fn(arg, v), the row's values read by store_val_int/double(v, k) (k
 * from 0), and which returns NULL. SQLite only (the caller's statements
 * name it); 0, or -1 with e filled.
 */
struct store_vals;
typedef void	 store_fold_fn(void *arg, struct store_vals *);
int		 store_fold(struct store *, const char *name, int nargs,
		     store_fold_fn *, void *arg, struct err *);
int64_t		 store_val_int(struct store_vals *, int k);
double		 store_val_double(struct store_vals *, int k);

/*
 * Backup and restore (docs/operations.md). store_backup writes a
 * consistent copy of the database to PATH while it is in use: SQLite's
 * online backup API (one self-contained file), or pg_dump's custom format
 * of the current schema on PostgreSQL. store_restore replaces the
 * database's content with a backup (SQLite: page by page; PostgreSQL:
 * pg_restore in one transaction). target is the database's --db text.
 * Both write through a temporary file or a transaction: nothing half-done.
 */
int		 store_backup(struct store *, const char *target, const char *path,
		    struct err *);
int		 store_restore(struct store *, const char *target, const char *path,
		    struct err *);
/* SQLite's PRAGMA integrity_check: 1 ok, 0 with detail filled, -1 error;
 * PostgreSQL: 1 (the server checks its own pages). */
int		 store_integrity(struct store *, char *detail, size_t, struct err *);
/*
 * A PostgreSQL standby's state: 1 when it is one (in recovery), 0 when
 * not; as_of gets the time of the last commit it has replayed (a primary:
 * now), UTC ISO 8601. -1 with e set when it does not answer.
 */
int		 store_replica_as_of(struct store *, char *as_of, size_t,
		    struct err *);
/*
 * The server's writer and its checkpoints (SQLite; PostgreSQL: both do
 * nothing and return 0). store_wal_hook: the handle no longer copies the
 * WAL back into the database file at its commits (SQLite's autocheckpoint)
 * but calls fn(arg, frames) after each, with the frames the WAL holds.
 * store_checkpoint: a PASSIVE checkpoint on this handle (another
 * connection than the writer's: it never waits for the writer, nor the
 * writer for it); *frames gets what the WAL holds, *done how many of them
 * are in the database file. 0, or -1 with e set.
 */
int		 store_wal_hook(struct store *, void (*fn)(void *, int frames),
		    void *arg);
int		 store_checkpoint(struct store *, int *frames, int *done,
		    struct err *);
/*
 * A write of about rows rows follows on this handle: on SQLite its page
 * cache may grow to 1 KiB a row (at most 1 GiB, never under the 64 MiB it
 * opens with) until store_expect_rows(st, 0) puts it back. A load bigger
 * than the cache spilled dirty pages to the WAL before its commit, many of
 * them more than once (a million people imported: 18-19 s, 14.6-15.6 s
 * so, 165 MiB more at the peak). The cache grows only as pages are read
 * or written. Nothing on PostgreSQL.
 */
void		 store_expect_rows(struct store *, size_t rows);
/*
 * Reads that take each page about once follow on this handle (a
 * snapshot's load, a scan of a range): on SQLite its page cache is held
 * to 1 MiB until store_read_once(st, 0) gives it back what it had (the
 * 64 MiB it opens with, or what store_expect_rows set). A full cache is no help to them (the next write by any
 * connection makes SQLite drop it) and costs its filling: at a million
 * people the eligibility load's two connections grew 64 MiB each, a
 * page at a time (30,000 mprotect calls, each taking the process's
 * address space lock, and as many page faults): 0.05 s of a cold load's
 * 2.2 s and 73 MiB of its peak. Nothing on PostgreSQL.
 */
void		 store_read_once(struct store *, int on);
/* Units, people, ledger entries and accounts stored (0 for an empty or
 * uninitialised database), or -1 with e set. */
long		 store_holds_data(struct store *, struct err *);

/*
 * Bulk load (import, benchmarks): rows are written into a staging table
 * with the given columns. PostgreSQL uses COPY FROM STDIN; SQLite one
 * prepared INSERT. Values are text (NULL for an empty optional cell).
 * Use inside a transaction.
 */
struct store_bulk;
struct store_bulk *store_bulk_begin(struct store *, const char *table,
		     const char *const *cols, int ncols);
int		 store_bulk_row(struct store_bulk *, const char *const *vals);
int		 store_bulk_end(struct store_bulk *);	/* 0 or -1; frees */

/*
 * Typed bulk load, values never printed as text: TYPES has one letter a
 * column, 'i' a 64-bit integer (BIGINT), 'n' a double (DOUBLE PRECISION).
 * PostgreSQL: COPY (FORMAT binary); other backends answer NULL. A row is ncols cells, .i or .n by the
 * column's letter. store_bulk_end then answers 0, STORE_CONSTRAINT (a
 * key already there: the transaction must roll back, or back to a
 * savepoint taken before the load) or -1; store_bulk_abort ends the load
 * with nothing written, the transaction to be rolled back too.
 */
union store_cell {
	int64_t	 i;
	double	 n;
};
struct store_bulk *store_bulk_begin_typed(struct store *, const char *table,
		     const char *const *cols, const char *types, int ncols);
int		 store_bulk_cells(struct store_bulk *, const union store_cell *);
void		 store_bulk_abort(struct store_bulk *);	/* frees */

#endif /* THIDUA_STORE_H */
