/*
 * store-pg.c: the PostgreSQL backend of the statement driver (libpq).
 * Statements are prepared server-side once per connection; parameters
 * and results travel as text. Bulk loads use COPY FROM STDIN. A statement
 * marked with store_stream() is run through a cursor and fetched in
 * chunks of PG_CHUNK rows, so a scan of millions of rows never holds them
 * all in the client.
 *
 * A lost connection (PostgreSQL restarted, the network cut) is mended
 * before the next statement, never in the middle of a transaction: a
 * read run on its own is retried once on a fresh connection; a statement
 * inside a transaction fails, and so does everything until the caller
 * rolls back, with a message of ours (never libpq's text); a COMMIT whose
 * answer was lost says that its outcome is unknown. store_conn_lost()
 * tells the server to answer 503. Each connection runs with
 * synchronous_commit = on and a statement_timeout (PG_TIMEOUT unless the
 * URL sets one). libpq is opened with the first connection
 * (store-pg-lib.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <endian.h>
#include <libpq-fe.h>

#include "store-int.h"
#include "store-pg-lib.h"
#include "util.h"

#define PG_MAXPARAM 64
#define PG_CHUNK 10000
#define PG_TIMEOUT "300s"

struct pg {
	PGconn	*conn;
	int	 nprep;		/* names statements s1, s2, ... */
	int	 gen;		/* connection generation: bumped by a reset */
	char	 err[512];
};

/*
 * This thread met a lost connection since store_conn_lost_clear(); and
 * lost it inside a transaction (until the ROLLBACK, or the next request:
 * a thread uses one connection).
 */
static _Thread_local int tl_lost, tl_broken;

int
store_conn_lost(void)
{
	return tl_lost;
}

void
store_conn_lost_clear(void)
{
	tl_lost = 0;
	tl_broken = 0;
}

struct pg_stmt {
	struct store_stmt	 base;
	char			 name[16];
	int			 gen;	/* prepared on this generation */
	int			 nparams;
	char			*vals[PG_MAXPARAM];
	PGresult		*res;
	int			 row;	/* current row, -1 before the first */
	int			 ran;
	int			 cursor;	/* a cursor is open (streaming) */
	int			 own_txn;	/* ... in a transaction begun for it */
	int			 last;		/* the chunk in res is the last */
};

struct pg_bulk {
	struct store	*st;		/* must be first (store.c) */
	int		 ncols;
	struct sb	 buf;
	int		 failed;
	int		 binary;	/* typed: COPY (FORMAT binary) */
	char		 types[PG_MAXPARAM + 1];
};

/* A binary COPY's buffer goes to the server at this size: small enough
 * that the server works on one part while the caller makes the next. */
#define PG_COPY_FLUSH (64u << 10)

static struct pg *
pg(struct store *st)
{
	return st->impl;
}

static void
seterr(struct store *st, const char *msg)
{
	snprintf(pg(st)->err, sizeof pg(st)->err, "%s", msg ? msg : "");
	/* Drop libpq's trailing newline. */
	size_t n = strlen(pg(st)->err);
	while (n && (pg(st)->err[n - 1] == '\n'))
		pg(st)->err[--n] = '\0';
}

static void
pg_close(struct store *st)
{
	PQfinish(pg(st)->conn);
	free(pg(st));
}

static const char *
pg_errmsg(struct store *st)
{
	return pg(st)->err;
}

static int session_settings(struct store *);
static void quiet(void *, const PGresult *);

/* Our message for a lost connection; -1. */
static int
lost(struct store *st, int commit)
{
	tl_lost = 1;
	snprintf(pg(st)->err, sizeof pg(st)->err, "%s", commit ?
	    TR("mất kết nối tới PostgreSQL khi ghi: không rõ dữ liệu đã được "
	    "lưu hay chưa, hãy kiểm tra lại trước khi gửi lại",
	    "lost the connection to PostgreSQL while committing: whether the "
	    "write was saved is unknown; check before sending it again") :
	    TR("mất kết nối tới PostgreSQL, hãy thử lại sau",
	    "lost the connection to PostgreSQL; try again later"));
	return -1;
}

/*
 * Before a statement: a connection found dead outside a transaction is
 * re-established (prepared statements then re-prepared lazily: gen).
 * 0, or -1 (still down, or lost inside the caller's transaction).
 */
static int
mend(struct store *st)
{
	struct pg *p = pg(st);

	if (tl_broken)
		return lost(st, 0);
	if (PQstatus(p->conn) == CONNECTION_OK)
		return 0;
	PQreset(p->conn);
	if (PQstatus(p->conn) != CONNECTION_OK)
		return lost(st, 0);
	p->gen++;
	PQsetNoticeReceiver(p->conn, quiet, NULL);
	if (session_settings(st) != 0)
		return lost(st, 0);
	return 0;
}

/* After a failed call: was it the connection? Then note it (in a
 * transaction: broken until the caller rolls back). */
static int
gone(struct store *st, int was_idle)
{
	if (PQstatus(pg(st)->conn) == CONNECTION_OK)
		return 0;
	if (!was_idle)
		tl_broken = 1;
	return 1;
}

static int
is_word(const char *sql, const char *w)
{
	size_t n = strlen(w);

	while (*sql == ' ' || *sql == '\t' || *sql == '\n')
		sql++;
	return strncasecmp(sql, w, n) == 0 && (sql[n] == '\0' ||
	    sql[n] == ' ' || sql[n] == '\n' || sql[n] == ';');
}

static int
raw_exec(struct store *st, const char *sql)
{
	PGresult *r = PQexec(pg(st)->conn, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
	    PQresultStatus(r) == PGRES_TUPLES_OK;

	if (!ok)
		seterr(st, PQresultErrorMessage(r));
	PQclear(r);
	return ok ? 0 : -1;
}

static int
pg_exec(struct store *st, const char *sql)
{
	struct pg *p = pg(st);
	/* the whole transaction's ROLLBACK, not one to a savepoint */
	int idle, rollback = is_word(sql, "ROLLBACK") &&
	    strcasestr(sql, " TO ") == NULL;

	if (rollback && tl_broken) {	/* the transaction died with it */
		tl_broken = 0;
		return 0;
	}
	if (mend(st) != 0)
		return -1;
	idle = PQtransactionStatus(p->conn) == PQTRANS_IDLE;
	if (raw_exec(st, sql) == 0)
		return 0;
	if (!gone(st, idle))
		return -1;
	if (rollback) {
		tl_broken = 0;
		return 0;
	}
	/* A BEGIN (or SET) run on its own did nothing yet: try once more. */
	if (idle && !is_word(sql, "COMMIT") && !is_word(sql, "END") &&
	    mend(st) == 0 && raw_exec(st, sql) == 0)
		return 0;
	return lost(st, is_word(sql, "COMMIT") || is_word(sql, "END"));
}

static int
count_params(const char *sql)
{
	int max = 0;
	char q = 0;

	for (const char *p = sql; *p; p++) {
		if (q) {
			if (*p == q)
				q = 0;
		} else if (*p == '\'' || *p == '"')
			q = *p;
		else if (*p == '$' && p[1] >= '0' && p[1] <= '9') {
			int n = atoi(p + 1);
			if (n > max)
				max = n;
		}
	}
	return max;
}

static struct store_stmt *
pg_prepare(struct store *st, const char *sql)
{
	struct pg_stmt *s;
	PGresult *r;

	s = xcalloc(1, sizeof *s);
	s->nparams = count_params(sql);
	if (s->nparams > PG_MAXPARAM) {
		seterr(st, "too many parameters");
		free(s);
		return NULL;
	}
	snprintf(s->name, sizeof s->name, "s%d", ++pg(st)->nprep);
	for (int tries = 0;; tries++) {
		int idle;

		if (mend(st) != 0) {
			free(s);
			return NULL;
		}
		s->gen = pg(st)->gen;
		idle = PQtransactionStatus(pg(st)->conn) == PQTRANS_IDLE;
		r = PQprepare(pg(st)->conn, s->name, sql, 0, NULL);
		if (PQresultStatus(r) == PGRES_COMMAND_OK)
			break;
		seterr(st, PQresultErrorMessage(r));
		PQclear(r);
		/* Preparing changes nothing: once more on a fresh connection. */
		if (!gone(st, idle) || !idle || tries) {
			if (PQstatus(pg(st)->conn) != CONNECTION_OK)
				lost(st, 0);
			free(s);
			return NULL;
		}
	}
	PQclear(r);
	s->row = -1;
	return &s->base;
}

/* Prepare s again on a connection re-established since it was. */
static int
reprepare(struct pg_stmt *s)
{
	struct store *st = s->base.st;
	PGresult *r;
	int ok;

	if (s->gen == pg(st)->gen)
		return 0;
	r = PQprepare(pg(st)->conn, s->name, s->base.sql, 0, NULL);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		seterr(st, PQresultErrorMessage(r));
	PQclear(r);
	if (ok)
		s->gen = pg(st)->gen;
	return ok ? 0 : -1;
}

/* A statement that only reads (retried once on a fresh connection). */
static int
reads_only(const char *sql)
{
	return is_word(sql, "SELECT") || (is_word(sql, "WITH") &&
	    strcasestr(sql, "INSERT") == NULL && strcasestr(sql, "UPDATE") ==
	    NULL && strcasestr(sql, "DELETE") == NULL);
}

static void
clear_vals(struct pg_stmt *s)
{
	for (int i = 0; i < s->nparams; i++) {
		free(s->vals[i]);
		s->vals[i] = NULL;
	}
}

/* Close a streaming statement's cursor and the transaction it began. */
static void
cursor_close(struct pg_stmt *s, int ok)
{
	struct store *st = s->base.st;
	char sql[32];

	if (s->cursor) {
		snprintf(sql, sizeof sql, "CLOSE c%s", s->name);
		PQclear(PQexec(pg(st)->conn, sql));
		s->cursor = 0;
	}
	if (s->own_txn) {
		PQclear(PQexec(pg(st)->conn, ok ? "COMMIT" : "ROLLBACK"));
		s->own_txn = 0;
	}
}

static void
pg_reset(struct store_stmt *b)
{
	struct pg_stmt *s = (struct pg_stmt *)b;

	cursor_close(s, 1);
	PQclear(s->res);
	s->res = NULL;
	s->row = -1;
	s->ran = 0;
	s->last = 0;
	clear_vals(s);
}

static void
pg_finalize(struct store_stmt *b)
{
	struct pg_stmt *s = (struct pg_stmt *)b;

	pg_reset(b);
	free(s);
}

static void
pg_bind(struct store_stmt *b, int i, enum bind_type t, int64_t iv, double dv,
    const char *sv)
{
	struct pg_stmt *s = (struct pg_stmt *)b;

	if (i < 1 || i > s->nparams)
		return;
	free(s->vals[i - 1]);
	switch (t) {
	case BIND_NULL:   s->vals[i - 1] = NULL; break;
	case BIND_INT:    s->vals[i - 1] = xasprintf("%lld", (long long)iv); break;
	case BIND_DOUBLE: s->vals[i - 1] = xasprintf("%.17g", dv); break;
	case BIND_TEXT:   s->vals[i - 1] = xstrdup(sv); break;
	}
}

/* The rc of a failed result, with the message kept. */
static int
failed(struct store *st, PGresult *r)
{
	const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);

	seterr(st, PQresultErrorMessage(r));
	return state && strncmp(state, "23", 2) == 0 ? STORE_CONSTRAINT : STORE_ERR;
}

/* The next chunk of a streaming statement into s->res. */
static int
fetch(struct pg_stmt *s)
{
	struct store *st = s->base.st;
	char sql[48];

	PQclear(s->res);
	snprintf(sql, sizeof sql, "FETCH %d FROM c%s", PG_CHUNK, s->name);
	s->res = PQexec(pg(st)->conn, sql);
	s->row = -1;
	if (PQresultStatus(s->res) != PGRES_TUPLES_OK) {
		int rc = failed(st, s->res);

		if (gone(st, !s->own_txn)) {
			rc = lost(st, 0);
			if (s->own_txn)
				tl_broken = 0;
		}
		cursor_close(s, 0);
		return rc;
	}
	s->last = PQntuples(s->res) < PG_CHUNK;
	return 0;
}

/* Declare the cursor of a streaming statement and fetch its first chunk. */
static int
cursor_open(struct pg_stmt *s)
{
	struct store *st = s->base.st;
	PGresult *r;
	char *sql;
	int rc;

	if (mend(st) != 0)
		return STORE_ERR;
	if (PQtransactionStatus(pg(st)->conn) == PQTRANS_IDLE) {
		if (pg_exec(st, "BEGIN") != 0)
			return STORE_ERR;
		s->own_txn = 1;
	}
	sql = xasprintf("DECLARE c%s NO SCROLL CURSOR FOR %s", s->name, s->base.sql);
	r = PQexecParams(pg(st)->conn, sql, s->nparams, NULL,
	    (const char *const *)s->vals, NULL, NULL, 0);
	free(sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		rc = failed(st, r);
		if (gone(st, !s->own_txn)) {
			rc = lost(st, 0);
			s->own_txn = 0;
			tl_broken = 0;
		}
		PQclear(r);
		cursor_close(s, 0);
		return rc;
	}
	PQclear(r);
	s->cursor = 1;
	return fetch(s);
}

static int
pg_step(struct store_stmt *b)
{
	struct pg_stmt *s = (struct pg_stmt *)b;
	struct store *st = b->st;
	int rc;

	if (!s->ran) {
		s->ran = 1;
		if (b->stream) {
			if ((rc = cursor_open(s)) != 0)
				return rc;
		} else {
			ExecStatusType t;
			int idle, tries = 0;

			for (;;) {
				int sent = 0;

				if (mend(st) != 0)
					return STORE_ERR;
				idle = PQtransactionStatus(pg(st)->conn) ==
				    PQTRANS_IDLE;
				if (reprepare(s) == 0) {
					sent = 1;
					PQclear(s->res);
					s->res = PQexecPrepared(pg(st)->conn,
					    s->name, s->nparams,
					    (const char *const *)s->vals, NULL,
					    NULL, 0);
					t = PQresultStatus(s->res);
					if (t == PGRES_TUPLES_OK ||
					    t == PGRES_COMMAND_OK)
						break;
					if (!gone(st, idle))
						return failed(st, s->res);
					PQclear(s->res);
					s->res = NULL;
				} else if (!gone(st, idle))
					return STORE_ERR;
				/* On its own, not yet run or only reading: once
				 * more, on a fresh connection. */
				if (!idle || (sent && !reads_only(b->sql)) ||
				    tries++)
					return lost(st, sent && idle &&
					    !reads_only(b->sql));
			}
		}
	}
	for (;;) {
		if (s->res == NULL)
			return STORE_DONE;
		if (s->row + 1 < PQntuples(s->res)) {
			s->row++;
			return STORE_ROW;
		}
		if (!s->cursor)
			return STORE_DONE;
		if (s->last) {
			/* the scan is over: release the cursor and transaction now */
			cursor_close(s, 1);
			return STORE_DONE;
		}
		if ((rc = fetch(s)) != 0)
			return rc;
	}
}

static int
pg_col_isnull(struct store_stmt *b, int i)
{
	struct pg_stmt *s = (struct pg_stmt *)b;

	return PQgetisnull(s->res, s->row, i);
}

static const char *
pg_col_text(struct store_stmt *b, int i)
{
	struct pg_stmt *s = (struct pg_stmt *)b;

	return PQgetvalue(s->res, s->row, i);
}

static int64_t
pg_col_int(struct store_stmt *b, int i)
{
	const char *v = pg_col_text(b, i);

	if (*v == 't')		/* boolean true */
		return 1;
	return strtoll(v, NULL, 10);
}

static double
pg_col_double(struct store_stmt *b, int i)
{
	return strtod(pg_col_text(b, i), NULL);
}

static int
pg_ncols(struct store_stmt *b)
{
	struct pg_stmt *s = (struct pg_stmt *)b;

	return s->res ? PQnfields(s->res) : 0;
}

static int
pg_table_exists(struct store *st, const char *name)
{
	const char *vals[1] = { name };
	PGresult *r = PQexecParams(pg(st)->conn,
	    "SELECT 1 FROM pg_tables WHERE schemaname = current_schema() "
	    "AND tablename = $1", 1, NULL, vals, NULL, NULL, 0);
	int found = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0;

	PQclear(r);
	return found;
}

/* COPY TABLE (COLS) FROM STDIN [binary]: the load, or NULL. */
static struct pg_bulk *
copy_begin(struct store *st, const char *table, const char *const *cols,
    int ncols, int binary)
{
	struct pg_bulk *b;
	struct sb q;
	PGresult *r;
	int i;

	if (mend(st) != 0)
		return NULL;
	sb_init(&q);
	sb_printf(&q, "COPY %s (", table);
	for (i = 0; i < ncols; i++)
		sb_printf(&q, "%s%s", i ? ", " : "", cols[i]);
	sb_puts(&q, binary ? ") FROM STDIN (FORMAT binary)" : ") FROM STDIN");
	r = PQexec(pg(st)->conn, q.s);
	sb_free(&q);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		seterr(st, PQresultErrorMessage(r));
		if (gone(st, 0))
			lost(st, 0);
		PQclear(r);
		return NULL;
	}
	PQclear(r);
	b = xcalloc(1, sizeof *b);
	b->st = st;
	b->ncols = ncols;
	b->binary = binary;
	sb_init(&b->buf);
	return b;
}

static struct store_bulk *
pg_bulk_begin(struct store *st, const char *table, const char *const *cols,
    int ncols)
{
	return (struct store_bulk *)copy_begin(st, table, cols, ncols, 0);
}

/*
 * Binary COPY: the signature, no flags, no header extension; then per
 * row a 16-bit field count and each field as a 32-bit length and its
 * bytes, big-endian (int8 and float8 are 8 bytes); -1 as a count ends.
 */
static const char copy_signature[19] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0";

static struct store_bulk *
pg_bulk_begin_typed(struct store *st, const char *table,
    const char *const *cols, const char *types, int ncols)
{
	struct pg_bulk *b;

	if (ncols > PG_MAXPARAM || (int)strlen(types) != ncols ||
	    strspn(types, "in") != (size_t)ncols) {
		seterr(st, "typed bulk load: bad column types");
		return NULL;
	}
	if ((b = copy_begin(st, table, cols, ncols, 1)) == NULL)
		return NULL;
	memcpy(b->types, types, (size_t)ncols + 1);
	sb_putn(&b->buf, copy_signature, sizeof copy_signature);
	return (struct store_bulk *)b;
}

static int
flush_copy(struct pg_bulk *b)
{
	if (b->buf.len == 0)
		return 0;
	if (PQputCopyData(pg(b->st)->conn, b->buf.s, (int)b->buf.len) != 1) {
		seterr(b->st, PQerrorMessage(pg(b->st)->conn));
		b->failed = 1;
		return -1;
	}
	sb_reset(&b->buf);
	return 0;
}

static int
pg_bulk_row(struct store_bulk *bb, const char *const *vals)
{
	struct pg_bulk *b = (struct pg_bulk *)bb;

	for (int i = 0; i < b->ncols; i++) {
		if (i)
			sb_putc(&b->buf, '\t');
		if (vals[i] == NULL) {
			sb_puts(&b->buf, "\\N");
			continue;
		}
		for (const char *p = vals[i]; *p; p++) {
			switch (*p) {
			case '\\': sb_puts(&b->buf, "\\\\"); break;
			case '\t': sb_puts(&b->buf, "\\t"); break;
			case '\n': sb_puts(&b->buf, "\\n"); break;
			case '\r': sb_puts(&b->buf, "\\r"); break;
			default:   sb_putc(&b->buf, *p);
			}
		}
	}
	sb_putc(&b->buf, '\n');
	if (b->buf.len >= (1u << 20))
		return flush_copy(b);
	return 0;
}

static int
pg_bulk_cells(struct store_bulk *bb, const union store_cell *v)
{
	struct pg_bulk *b = (struct pg_bulk *)bb;
	unsigned char row[2 + PG_MAXPARAM * 12], *p = row;

	*p++ = (unsigned char)(b->ncols >> 8);
	*p++ = (unsigned char)b->ncols;
	for (int i = 0; i < b->ncols; i++) {
		uint32_t len = htobe32(8);
		uint64_t x;

		if (b->types[i] == 'n')
			memcpy(&x, &v[i].n, 8);
		else
			x = (uint64_t)v[i].i;
		x = htobe64(x);
		memcpy(p, &len, 4);
		memcpy(p + 4, &x, 8);
		p += 12;
	}
	sb_putn(&b->buf, (const char *)row, (size_t)(p - row));
	if (b->buf.len >= PG_COPY_FLUSH)
		return flush_copy(b);
	return 0;
}

/* End the COPY: 0, STORE_CONSTRAINT or -1 (the message kept); frees. */
static int
copy_end(struct pg_bulk *b, const char *abort)
{
	struct store *st = b->st;
	PGresult *r;
	int rc = 0;

	if (abort == NULL && b->binary)
		sb_putn(&b->buf, "\377\377", 2);
	if (abort == NULL && flush_copy(b) != 0)
		rc = -1;
	if (PQputCopyEnd(pg(st)->conn, abort ? abort : b->failed ?
	    "aborted" : NULL) != 1)
		rc = -1;
	while ((r = PQgetResult(pg(st)->conn)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && abort == NULL) {
			rc = failed(st, r);
			if (rc != STORE_CONSTRAINT)
				rc = -1;
		}
		PQclear(r);
	}
	if (rc == 0 && b->failed)
		rc = -1;
	if (rc != 0 && gone(st, 0)) {
		lost(st, 0);
		rc = -1;
	}
	sb_free(&b->buf);
	free(b);
	return rc;
}

static int
pg_bulk_end(struct store_bulk *bb)
{
	return copy_end((struct pg_bulk *)bb, NULL);
}

static void
pg_bulk_abort(struct store_bulk *bb)
{
	copy_end((struct pg_bulk *)bb, "import refused");
}

static int
pg_in_txn(struct store *st)
{
	return PQtransactionStatus(pg(st)->conn) != PQTRANS_IDLE;
}

static const struct store_ops pg_ops = {
	.close = pg_close,
	.errmsg = pg_errmsg,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.bind = pg_bind,
	.step = pg_step,
	.col_isnull = pg_col_isnull,
	.col_int = pg_col_int,
	.col_double = pg_col_double,
	.col_text = pg_col_text,
	.ncols = pg_ncols,
	.reset = pg_reset,
	.table_exists = pg_table_exists,
	.bulk_begin = pg_bulk_begin,
	.bulk_row = pg_bulk_row,
	.bulk_end = pg_bulk_end,
	.bulk_begin_typed = pg_bulk_begin_typed,
	.bulk_cells = pg_bulk_cells,
	.bulk_abort = pg_bulk_abort,
	.backup = pg_dump_backup,	/* store-pg-dump.c */
	.restore = pg_dump_restore,
	.in_txn = pg_in_txn,
};

static void
quiet(void *arg, const PGresult *r)
{
	(void)arg;
	(void)r;
}

/*
 * Per connection: durable commits, a bound on a statement's time, and
 * thidua.writer, which tells migration 0022's triggers that this session
 * replaces the generations itself (store.c).
 */
static int
session_settings(struct store *st)
{
	return raw_exec(st, "SET client_min_messages = warning") != 0 ||
	    raw_exec(st, "SET synchronous_commit = on") != 0 ||
	    raw_exec(st, "SET thidua.writer = 'on'") != 0 ||
	    raw_exec(st, "SELECT set_config('statement_timeout', '"
	    PG_TIMEOUT "', false) WHERE current_setting('statement_timeout') "
	    "= '0'") != 0 ? -1 : 0;
}

int
store_pg_open(const char *url, struct store *st, struct err *e)
{
	PGconn *c;
	struct pg *p;

	if (pq_lib_load(e) != 0)
		return -1;
	c = PQconnectdb(url);
	if (PQstatus(c) != CONNECTION_OK) {
		tl_lost = 1;
		err_set(e, ERR_SYSTEM, "PostgreSQL: %s", PQerrorMessage(c));
		PQfinish(c);
		return -1;
	}
	PQsetNoticeReceiver(c, quiet, NULL);
	p = xcalloc(1, sizeof *p);
	p->conn = c;
	st->impl = p;
	st->ops = &pg_ops;
	if (session_settings(st) != 0) {
		err_set(e, ERR_SYSTEM, "PostgreSQL: %s", p->err);
		pg_close(st);
		return -1;
	}
	return 0;
}
