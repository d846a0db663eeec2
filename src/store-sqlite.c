/*
 * store-sqlite.c: the SQLite backend of the statement driver.
 * WAL, foreign keys on, synchronous=FULL, a busy timeout. Placeholders
 * $N in the shared SQL are rewritten to ?N before preparing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pthread.h>
#include <sqlite3.h>

#include "store-int.h"
#include "util.h"

struct lite_stmt {
	struct store_stmt	 base;
	sqlite3_stmt		*s;
};

struct lite_bulk {
	struct store	*st;		/* must be first (store.c) */
	sqlite3_stmt	*ins;
	int		 ncols;
};

static sqlite3 *
db(struct store *st)
{
	return st->impl;
}

static void
lite_close(struct store *st)
{
	sqlite3_close_v2(db(st));
}

static const char *
lite_errmsg(struct store *st)
{
	return sqlite3_errmsg(db(st));
}

static int
lite_exec(struct store *st, const char *sql)
{
	return sqlite3_exec(db(st), sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* Rewrite $N to ?N outside quoted strings and identifiers. */
static char *
rewrite(const char *sql)
{
	char *out = xstrdup(sql), *p;
	char q = 0;

	for (p = out; *p; p++) {
		if (q) {
			if (*p == q)
				q = 0;
		} else if (*p == '\'' || *p == '"')
			q = *p;
		else if (*p == '$' && p[1] >= '0' && p[1] <= '9')
			*p = '?';
	}
	return out;
}

static struct store_stmt *
lite_prepare(struct store *st, const char *sql)
{
	struct lite_stmt *s = xcalloc(1, sizeof *s);
	char *q = rewrite(sql);
	int rc;

	rc = sqlite3_prepare_v3(db(st), q, -1, SQLITE_PREPARE_PERSISTENT,
	    &s->s, NULL);
	free(q);
	if (rc != SQLITE_OK) {
		free(s);
		return NULL;
	}
	return &s->base;
}

static void
lite_finalize(struct store_stmt *b)
{
	struct lite_stmt *s = (struct lite_stmt *)b;

	sqlite3_finalize(s->s);
	free(s);
}

static void
lite_bind(struct store_stmt *b, int i, enum bind_type t, int64_t iv, double dv,
    const char *sv)
{
	sqlite3_stmt *s = ((struct lite_stmt *)b)->s;

	switch (t) {
	case BIND_NULL:   sqlite3_bind_null(s, i); break;
	case BIND_INT:    sqlite3_bind_int64(s, i, iv); break;
	case BIND_DOUBLE: sqlite3_bind_double(s, i, dv); break;
	case BIND_TEXT:   sqlite3_bind_text(s, i, sv, -1, SQLITE_TRANSIENT); break;
	}
}

static int
lite_step(struct store_stmt *b)
{
	int rc = sqlite3_step(((struct lite_stmt *)b)->s);

	if (rc == SQLITE_ROW)
		return STORE_ROW;
	if (rc == SQLITE_DONE)
		return STORE_DONE;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return STORE_CONSTRAINT;
	return STORE_ERR;
}

static int
lite_col_isnull(struct store_stmt *b, int i)
{
	return sqlite3_column_type(((struct lite_stmt *)b)->s, i) ==
	    SQLITE_NULL;
}

static int64_t
lite_col_int(struct store_stmt *b, int i)
{
	return sqlite3_column_int64(((struct lite_stmt *)b)->s, i);
}

static double
lite_col_double(struct store_stmt *b, int i)
{
	return sqlite3_column_double(((struct lite_stmt *)b)->s, i);
}

static const char *
lite_col_text(struct store_stmt *b, int i)
{
	const unsigned char *t =
	    sqlite3_column_text(((struct lite_stmt *)b)->s, i);

	return t ? (const char *)t : "";
}

static int
lite_ncols(struct store_stmt *b)
{
	return sqlite3_column_count(((struct lite_stmt *)b)->s);
}

static void
lite_reset(struct store_stmt *b)
{
	sqlite3_stmt *s = ((struct lite_stmt *)b)->s;

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

static int
lite_table_exists(struct store *st, const char *name)
{
	sqlite3_stmt *s;
	int found = 0;

	if (sqlite3_prepare_v2(db(st), "SELECT 1 FROM sqlite_master WHERE "
	    "type = 'table' AND name = ?1", -1, &s, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	found = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	return found;
}

static struct store_bulk *
lite_bulk_begin(struct store *st, const char *table, const char *const *cols,
    int ncols)
{
	struct lite_bulk *b;
	struct sb q;
	int i;

	sb_init(&q);
	sb_printf(&q, "INSERT INTO %s (", table);
	for (i = 0; i < ncols; i++)
		sb_printf(&q, "%s%s", i ? ", " : "", cols[i]);
	sb_puts(&q, ") VALUES (");
	for (i = 0; i < ncols; i++)
		sb_printf(&q, "%s?%d", i ? ", " : "", i + 1);
	sb_puts(&q, ")");
	b = xcalloc(1, sizeof *b);
	b->st = st;
	b->ncols = ncols;
	if (sqlite3_prepare_v2(db(st), q.s, -1, &b->ins, NULL) != SQLITE_OK) {
		sb_free(&q);
		free(b);
		return NULL;
	}
	sb_free(&q);
	return (struct store_bulk *)b;
}

static int
lite_bulk_row(struct store_bulk *bb, const char *const *vals)
{
	struct lite_bulk *b = (struct lite_bulk *)bb;
	int i, rc;

	for (i = 0; i < b->ncols; i++) {
		if (vals[i] == NULL)
			sqlite3_bind_null(b->ins, i + 1);
		else
			sqlite3_bind_text(b->ins, i + 1, vals[i], -1,
			    SQLITE_STATIC);
	}
	rc = sqlite3_step(b->ins);
	sqlite3_reset(b->ins);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
lite_bulk_end(struct store_bulk *bb)
{
	struct lite_bulk *b = (struct lite_bulk *)bb;

	sqlite3_finalize(b->ins);
	free(b);
	return 0;
}

/*
 * Copy every page of `from` into `to` with SQLite's online backup API: a
 * consistent snapshot (one read transaction; in WAL mode writers go on).
 */
static int
copy_db(sqlite3 *from, sqlite3 *to, const char *what, struct err *e)
{
	sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
	int rc;

	if (b == NULL)
		return err_set(e, ERR_SYSTEM, "%s: %s", what, sqlite3_errmsg(to));
	do {
		rc = sqlite3_backup_step(b, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(50);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		return err_set(e, ERR_SYSTEM, "%s: %s", what, sqlite3_errstr(rc));
	return 0;
}

static int
lite_backup(struct store *st, const char *target, const char *path,
    struct err *e)
{
	sqlite3 *to = NULL;
	char tmp[4096];
	int rc;

	(void)target;
	snprintf(tmp, sizeof tmp, "%s.part", path);
	unlink(tmp);
	if (sqlite3_open_v2(tmp, &to, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		err_set(e, ERR_USER, "%s: %s", path, to ? sqlite3_errmsg(to) :
		    "cannot open");
		sqlite3_close_v2(to);
		return -1;
	}
	rc = copy_db(db(st), to, path, e);
	/* A backup is one self-contained file: no WAL beside it. */
	if (rc == 0 && sqlite3_exec(to, "PRAGMA journal_mode=DELETE",
	    NULL, NULL, NULL) != SQLITE_OK)
		rc = err_set(e, ERR_SYSTEM, "%s: %s", path, sqlite3_errmsg(to));
	if (sqlite3_close(to) != SQLITE_OK && rc == 0)
		rc = err_set(e, ERR_SYSTEM, "%s: %s", path, "close");
	if (rc == 0 && rename(tmp, path) != 0)
		rc = err_set(e, ERR_SYSTEM, "%s: %s", path, strerror(errno));
	if (rc != 0)
		unlink(tmp);
	return rc;
}

static int
lite_restore(struct store *st, const char *target, const char *path,
    struct err *e)
{
	sqlite3 *from = NULL;
	int rc;

	(void)target;
	if (sqlite3_open_v2(path, &from, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK || sqlite3_exec(from, "SELECT 1 FROM sqlite_master "
	    "LIMIT 1", NULL, NULL, NULL) != SQLITE_OK) {
		err_set(e, ERR_USER, "%s: %s", path, from ? sqlite3_errmsg(from) :
		    "cannot open");
		sqlite3_close_v2(from);
		return -1;
	}
	rc = copy_db(from, db(st), path, e);
	sqlite3_close_v2(from);
	/* The copy carries the backup's journal mode: WAL again. */
	if (rc == 0 && sqlite3_exec(db(st), "PRAGMA journal_mode=WAL",
	    NULL, NULL, NULL) != SQLITE_OK)
		rc = err_set(e, ERR_SYSTEM, "%s", sqlite3_errmsg(db(st)));
	return rc;
}

static int
lite_in_txn(struct store *st)
{
	return !sqlite3_get_autocommit(db(st));
}

/* ---- store_fold (store.h) ---- */

struct fold {
	store_fold_fn	*fn;
	void		*arg;
};

static void
fold_step(sqlite3_context *cx, int argc, sqlite3_value **v)
{
	const struct fold *f = sqlite3_user_data(cx);

	(void)argc;
	f->fn(f->arg, (struct store_vals *)v);
}

static void
fold_final(sqlite3_context *cx)
{
	sqlite3_result_null(cx);
}

int
store_fold(struct store *st, const char *name, int nargs, store_fold_fn *fn,
    void *arg, struct err *e)
{
	struct fold *f;

	if (store_backend(st) != STORE_SQLITE)
		return err_set(e, ERR_SYSTEM, "%s: %s", name,
		    TR("chỉ có trên SQLite", "SQLite only"));
	f = xmalloc(sizeof *f);
	f->fn = fn;
	f->arg = arg;
	/* (f is freed with the function: by SQLite, at its replacement or
	 * the connection's close) */
	if (sqlite3_create_function_v2(db(st), name, nargs, SQLITE_UTF8, f,
	    NULL, fold_step, fold_final, free) != SQLITE_OK)
		return store_err(st, e);
	return 0;
}

int64_t
store_val_int(struct store_vals *v, int k)
{
	return sqlite3_value_int64(((sqlite3_value **)v)[k]);
}

double
store_val_double(struct store_vals *v, int k)
{
	return sqlite3_value_double(((sqlite3_value **)v)[k]);
}

static const struct store_ops lite_ops = {
	.close = lite_close,
	.errmsg = lite_errmsg,
	.exec = lite_exec,
	.prepare = lite_prepare,
	.finalize = lite_finalize,
	.bind = lite_bind,
	.step = lite_step,
	.col_isnull = lite_col_isnull,
	.col_int = lite_col_int,
	.col_double = lite_col_double,
	.col_text = lite_col_text,
	.ncols = lite_ncols,
	.reset = lite_reset,
	.table_exists = lite_table_exists,
	.bulk_begin = lite_bulk_begin,
	.bulk_row = lite_bulk_row,
	.bulk_end = lite_bulk_end,
	.backup = lite_backup,
	.restore = lite_restore,
	.in_txn = lite_in_txn,
};

/*
 * Before the first connection: no memory statistics. With them on (the
 * library's default) every allocation of every connection takes one
 * process-wide mutex, and two connections loading side by side (the
 * eligibility snapshot's) spent their time handing it to each other:
 * 11,000 futex calls for a cold load at 10,000 people. Nothing here reads
 * sqlite3_memory_used().
 */
static void
lite_config(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* The page cache a handle opens with (KiB, as text), and the most a big
 * write may give it (store_expect_rows). */
#define LITE_CACHE_KIB		"65536"
#define LITE_CACHE_KIB_MIN	65536
#define LITE_CACHE_KIB_MAX	1048576
/* ... and while its pages are read once (store_read_once) */
#define LITE_CACHE_KIB_ONCE	"1024"

void
store_expect_rows(struct store *st, size_t rows)
{
	char sql[64];
	size_t kib = rows < LITE_CACHE_KIB_MIN ? LITE_CACHE_KIB_MIN :
	    rows > LITE_CACHE_KIB_MAX ? LITE_CACHE_KIB_MAX : rows;

	if (st->backend != STORE_SQLITE)
		return;
	snprintf(sql, sizeof sql, "PRAGMA cache_size=-%zu", kib);
	sqlite3_exec(st->impl, sql, NULL, NULL, NULL);	/* (a hint: no failure) */
}

void
store_read_once(struct store *st, int on)
{
	sqlite3_stmt *s;
	char sql[64];

	if (st->backend != STORE_SQLITE)
		return;
	if (on) {
		/* (what the handle had: store_expect_rows may have raised it) */
		if (st->cache_kept == 0 && sqlite3_prepare_v2(st->impl,
		    "PRAGMA cache_size", -1, &s, NULL) == SQLITE_OK) {
			if (sqlite3_step(s) == SQLITE_ROW)
				st->cache_kept = sqlite3_column_int64(s, 0);
			sqlite3_finalize(s);
		}
		sqlite3_exec(st->impl, "PRAGMA cache_size=-" LITE_CACHE_KIB_ONCE,
		    NULL, NULL, NULL);
		return;
	}
	if (st->cache_kept != 0)
		snprintf(sql, sizeof sql, "PRAGMA cache_size=%lld",
		    (long long)st->cache_kept);
	else
		snprintf(sql, sizeof sql, "PRAGMA cache_size=-%s", LITE_CACHE_KIB);
	st->cache_kept = 0;
	sqlite3_exec(st->impl, sql, NULL, NULL, NULL);	/* (a hint: no failure) */
}

int
store_sqlite_open(const char *path, struct store *st, struct err *e)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	sqlite3 *h = NULL;

	pthread_once(&once, lite_config);
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		err_set(e, ERR_SYSTEM, "%s: %s", path,
		    h ? sqlite3_errmsg(h) : "cannot open");
		sqlite3_close_v2(h);
		return -1;
	}
	sqlite3_busy_timeout(h, 10000);
	if (sqlite3_exec(h, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
	    "PRAGMA synchronous=FULL; PRAGMA cache_size=-" LITE_CACHE_KIB,
	    NULL, NULL, NULL) != SQLITE_OK) {
		err_set(e, ERR_SYSTEM, "%s: %s", path, sqlite3_errmsg(h));
		sqlite3_close_v2(h);
		return -1;
	}
	st->impl = h;
	st->ops = &lite_ops;
	return 0;
}

/* ---- the server's checkpoints (store.h) ---- */

struct wal_hook {
	void	(*fn)(void *, int);
	void	*arg;
};
static struct wal_hook wal_hook_of;	/* one writer per process */

static int
wal_hook_cb(void *arg, sqlite3 *h, const char *name, int frames)
{
	struct wal_hook *w = arg;

	(void)h;
	(void)name;
	w->fn(w->arg, frames);
	return SQLITE_OK;
}

int
store_wal_hook(struct store *st, void (*fn)(void *, int), void *arg)
{
	if (st->backend != STORE_SQLITE)
		return 0;
	wal_hook_of.fn = fn;
	wal_hook_of.arg = arg;
	/* (replaces the autocheckpoint, itself a WAL hook) */
	sqlite3_wal_hook(db(st), wal_hook_cb, &wal_hook_of);
	return 0;
}

int
store_checkpoint(struct store *st, int *frames, int *done, struct err *e)
{
	int rc;

	*frames = *done = 0;
	if (st->backend != STORE_SQLITE)
		return 0;
	rc = sqlite3_wal_checkpoint_v2(db(st), NULL, SQLITE_CHECKPOINT_PASSIVE,
	    frames, done);
	/* BUSY: another process is checkpointing; the next call will. */
	if (rc != SQLITE_OK && rc != SQLITE_BUSY)
		return err_set(e, ERR_SYSTEM, "checkpoint: %s",
		    sqlite3_errmsg(db(st)));
	return 0;
}
