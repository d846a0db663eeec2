/*
 * store-import.c: SQL behind the foundation's import kinds: one write and
 * one export per kind, the code maps the validator needs, and the checks
 * that look at the database (unit parent cycles, task-link cycles).
 * Writes run inside the importer's transaction; exports stream rows in
 * key order with values formatted the same way on both backends.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import-kinds.h"
#include "store-import.h"
#include "store-int.h"
#include "store-unit.h"
#include "store.h"
#include "util.h"

/* ---- small helpers ---- */

/* True when the store's one-row answer to sql is true ('t'). */
static int
ask_true(struct store *st, const char *sql, struct err *e)
{
	struct store_stmt *s = store_prepare_err(st, sql, e);
	int yes;

	if (s == NULL)
		return -1;
	if (store_step(s) != STORE_ROW) {
		store_reset(s);
		return store_err(st, e);
	}
	yes = store_col_int(s, 0) != 0 || store_col_text(s, 0)[0] == 't';
	store_reset(s);
	return yes;
}




static int64_t
ival(const char *v, int64_t def)
{
	int64_t x;

	return v && parse_i64(v, &x) == 0 ? x : def;
}

/* An optional cell as COPY takes it: NULL when empty. */
static const char *
opt_cell(const char *v)
{
	return v != NULL && *v != '\0' ? v : NULL;
}

static void
bind_int_or_null(struct store_stmt *s, int i, const char *v)
{
	if (v == NULL)
		store_bind_null(s, i);
	else
		store_bind_int(s, i, ival(v, 0));
}

static void
bind_num(struct store_stmt *s, int i, const char *v)
{
	double d = 0;

	if (v == NULL)
		store_bind_null(s, i);
	else {
		parse_double(v, &d);
		store_bind_double(s, i, d);
	}
}

static int64_t
subject_id(const struct batch *b, const char *code)
{
	int64_t id = 0;

	codemap_get(&b->refs->subjects, code, &id, NULL);
	return id;
}

static int64_t
task_id(const struct batch *b, const char *code)
{
	int64_t id = 0;

	codemap_get(&b->refs->tasks, code, &id, NULL);
	return id;
}

/*
 * Write every row with one statement whose parameters follow the batch's
 * columns in order, one letter each: i integer, I optional integer,
 * n number, d date as a day number, t text, o optional text (NULL when
 * empty), s subject id (code), k task id (code).
 */
/* Bind row r's first strlen(spec) values as $1.. (letters: write_rows). */
static void
bind_row(struct store_stmt *s, const struct batch *b, size_t r,
    const char *spec)
{
	for (int c = 0; spec[c]; c++) {
		const char *v = batch_val(b, r, c);
		int32_t day = 0;

		switch (spec[c]) {
		case 'i': store_bind_int(s, c + 1, ival(v, 0)); break;
		case 'I': bind_int_or_null(s, c + 1, v); break;
		case 'n': bind_num(s, c + 1, v); break;
		case 'd':
			date_parse(v, &day);
			store_bind_int(s, c + 1, day);
			break;
		case 't': store_bind_text(s, c + 1, v); break;
		case 'o': store_bind_opt(s, c + 1, v); break;
		case 's': store_bind_int(s, c + 1, subject_id(b, v)); break;
		case 'k': store_bind_int(s, c + 1, task_id(b, v)); break;
		}
	}
}

static int write_rows(struct store *, const struct batch *, const char *,
    const char *, struct err *);

/*
 * A kind whose rows are each one upsert (write_rows). On PostgreSQL a
 * batch of STAGED_MIN rows or more goes instead by COPY into a staging
 * table, its columns seq (the row's index) and c1, c2, … (the upsert's
 * parameters as bound, by the same letters), and is written by one
 * statement, merge: a round trip a row, each running the tables'
 * statement triggers, made 50,000 units or 20,000 discipline rows take
 * seconds. A merge keeps, of rows with the same key, the last (as row by
 * row, each later one updates every column the earlier wrote) and writes
 * them in the order their keys first appear (new ids as row by row).
 */
struct upsert {
	const char	*row;		/* one row's upsert, $1 … as spec (NULL:
					 * the kind writes its rows itself and
					 * stages by write_staged) */
	const char	*spec;		/* bind_row's letters ('-': a column
					 * not staged, NULL; 'x': cell's) */
	const char	*stage;		/* the staging table */
	const char	*merge;		/* from the staging table */
	/* an 'x' column's value for row r, in buf or NULL (the kind's rule) */
	const char	*(*cell)(const struct batch *, size_t r, int c,
			    char *buf, size_t len);
};

/* (the kept row of each key and where the key first appears: merge's FROM) */
#define STAGED_LAST(key) \
    "(SELECT DISTINCT ON (" key ") *, MIN(seq) OVER (PARTITION BY " key \
    ") AS first FROM %s ORDER BY " key ", seq DESC) x ORDER BY first "

#define STAGED_MIN	32
/* the merges' sorts and hash tables in memory for this transaction (4 MB
 * by default: a million codes or rows went to disk in batches), never
 * less than the setting */
static const char Q_STAGED_WORK_MEM[] =
    "SELECT set_config('work_mem', GREATEST(pg_size_bytes("
    "current_setting('work_mem')) / 1024, 262144)::text || 'kB', true)";
#define STAGED_MAXCOLS	12

/* Row r's value of column c by its letter (bind_row's), as COPY text in
 * buf (NULL: none). */
static const char *
staged_val(const struct upsert *u, const struct batch *b, size_t r, int c,
    char *buf, size_t len)
{
	const char *v = batch_val(b, r, c);
	char spec = u->spec[c];
	int32_t day = 0;
	double d = 0;

	switch (spec) {
	case '-':	/* a column staged otherwise (NULL here) */
		return NULL;
	case 'x':
		return u->cell(b, r, c, buf, len);
	case 'I':
	case 'n':
	case 'o':
		if (v == NULL || *v == '\0')
			return NULL;
		break;
	}
	switch (spec) {
	case 'i': case 'I': snprintf(buf, len, "%lld", (long long)ival(v, 0)); break;
	case 'n':
		parse_double(v, &d);
		snprintf(buf, len, "%.17g", d);
		break;
	case 'd':
		date_parse(v, &day);
		snprintf(buf, len, "%ld", (long)day);
		break;
	case 's': snprintf(buf, len, "%lld", (long long)subject_id(b, v)); break;
	case 'k': snprintf(buf, len, "%lld", (long long)task_id(b, v)); break;
	default: return v;	/* t, o */
	}
	return buf;
}

/* u's batch b by COPY into its staging table, then its merge: 0 or -1. */
static int
write_staged(struct store *st, const struct batch *b, const struct upsert *u,
    struct err *e)
{
	static const char *const cname[STAGED_MAXCOLS + 1] = { "seq", "c1", "c2",
	    "c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10", "c11", "c12" };
	char sql[512], merge[1024], buf[STAGED_MAXCOLS + 1][40];
	const char *v[STAGED_MAXCOLS + 1];
	int n = (int)strlen(u->spec), len;
	struct store_bulk *bk;

	if (n > STAGED_MAXCOLS)
		abort();	/* (a kind wider than the table: a bug) */
	len = snprintf(sql, sizeof sql, "CREATE TEMP TABLE IF NOT EXISTS %s "
	    "(seq BIGINT", u->stage);
	for (int c = 0; c < n; c++)
		len += snprintf(sql + len, sizeof sql - (size_t)len, ", c%d %s",
		    c + 1, strchr("iIdsk", u->spec[c]) ? "BIGINT" :
		    strchr("nx", u->spec[c]) ? "DOUBLE PRECISION" : "TEXT");
	snprintf(sql + len, sizeof sql - (size_t)len, ") ON COMMIT DROP");
	if (store_exec(st, sql) != 0)
		return store_err(st, e);
	snprintf(sql, sizeof sql, "DELETE FROM %s", u->stage);
	if (store_exec(st, sql) != 0 ||
	    (bk = store_bulk_begin(st, u->stage, cname, n + 1)) == NULL)
		return store_err(st, e);
	for (size_t r = 0; r < b->nrows; r++) {
		snprintf(buf[0], sizeof buf[0], "%zu", r);
		v[0] = buf[0];
		for (int c = 0; c < n; c++)
			v[c + 1] = staged_val(u, b, r, c, buf[c + 1],
			    sizeof buf[c + 1]);
		if (store_bulk_row(bk, v) != 0) {
			store_bulk_end(bk);
			return store_err(st, e);
		}
	}
	/* (a temporary table has no statistics: without them the planner
	 * took a million rows of 200,000 tasks for a few, and probed an
	 * index once a task) */
	snprintf(sql, sizeof sql, "ANALYZE %s", u->stage);
	if (store_bulk_end(bk) != 0 || store_exec(st, sql) != 0 ||
	    store_exec(st, Q_STAGED_WORK_MEM) != 0)
		return store_err(st, e);
	snprintf(merge, sizeof merge, u->merge, u->stage);
	return store_exec(st, merge) != 0 ? store_err(st, e) : 0;
}

static int
write_upsert(struct store *st, const struct batch *b, const struct upsert *u,
    struct err *e)
{
	if (store_backend(st) == STORE_PG && b->nrows >= STAGED_MIN)
		return write_staged(st, b, u, e);
	return write_rows(st, b, u->row, u->spec, e);
}

static int
write_rows(struct store *st, const struct batch *b, const char *sql,
    const char *spec, struct err *e)
{
	for (size_t r = 0; r < b->nrows; r++) {
		struct store_stmt *s = store_prepare_err(st, sql, e);

		if (s == NULL)
			return -1;
		bind_row(s, b, r, spec);
		if (store_run_err(st, s, e) != 0)
			return -1;
	}
	return 0;
}

/*
 * Stream a query's rows as export values. fmt has one letter per column:
 * t text, i integer, n number (%.15g), d day number → YYYY-MM-DD. The np
 * parameters pv, each not NULL, are bound as text to $1, $2, …
 */
static int
export_sql_pv(struct store *st, const char *sql, const char *fmt,
    const char *const *pv, int np, int (*row)(void *, const char *const *),
    void *data, struct err *e)
{
	struct store_stmt *s = store_prepare_err(st, sql, e);
	int ncol = (int)strlen(fmt), rc;
	char num[16][40];
	const char *vals[16];

	if (s == NULL)
		return -1;
	for (int i = 0; i < np; i++)
		if (pv[i] != NULL)
			store_bind_text(s, i + 1, pv[i]);
	store_stream(s);	/* PostgreSQL: chunks, not the whole table */
	while ((rc = store_step(s)) == STORE_ROW) {
		for (int i = 0; i < ncol; i++) {
			if (store_col_isnull(s, i)) {
				vals[i] = NULL;
				continue;
			}
			switch (fmt[i]) {
			case 'i':
				snprintf(num[i], sizeof num[i], "%lld",
				    (long long)store_col_int(s, i));
				vals[i] = num[i];
				break;
			case 'n':
				snprintf(num[i], sizeof num[i], "%.15g",
				    store_col_double(s, i));
				vals[i] = num[i];
				break;
			case 'd':
				date_format((int32_t)store_col_int(s, i), num[i]);
				vals[i] = num[i];
				break;
			default:
				vals[i] = store_col_text(s, i);
				if (*vals[i] == '\0')
					vals[i] = NULL;
			}
		}
		if (row(data, vals) != 0) {
			store_reset(s);
			return err_set(e, ERR_SYSTEM, "%s",
			    TR("không ghi được kết quả", "cannot write output"));
		}
	}
	store_reset(s);
	return rc == STORE_DONE ? 0 : store_err(st, e);
}

/* The same with one parameter ($1) or none. */
static int
export_sql_p(struct store *st, const char *sql, const char *fmt,
    const char *param, int (*row)(void *, const char *const *), void *data,
    struct err *e)
{
	return export_sql_pv(st, sql, fmt, &param, param != NULL, row, data, e);
}

static int
export_sql(struct store *st, const char *sql, const char *fmt,
    int (*row)(void *, const char *const *), void *data, struct err *e)
{
	return export_sql_p(st, sql, fmt, NULL, row, data, e);
}

/* ---- code maps ---- */

static const char Q_SUBJECTS[] = "SELECT code, id, kind FROM subjects";
static const char Q_TASKS[] = "SELECT code, id FROM tasks";
static const char Q_INNOVATIONS[] = "SELECT code, id FROM innovations";

static int
load_map(struct store *st, const char *sql, struct codemap *m, struct err *e)
{
	struct store_stmt *s = store_prepare_err(st, sql, e);
	int rc;

	if (s == NULL)
		return -1;
	while ((rc = store_step(s)) == STORE_ROW) {
		int tag = store_ncols(s) > 2 ? store_col_text(s, 2)[0] : 0;

		codemap_put(m, store_col_text(s, 0), store_col_int(s, 1), tag);
	}
	store_reset(s);
	return rc == STORE_DONE ? 0 : store_err(st, e);
}

int store_load_subjects(struct store *st, struct codemap *m, struct err *e)
{ return load_map(st, Q_SUBJECTS, m, e); }
int store_load_tasks(struct store *st, struct codemap *m, struct err *e)
{ return load_map(st, Q_TASKS, m, e); }
int store_load_innovations(struct store *st, struct codemap *m, struct err *e)
{ return load_map(st, Q_INNOVATIONS, m, e); }

/*
 * Only the subjects of codes (n, repeats allowed), into m: a batch of a
 * few rows need not read a million codes (issue 22: 0.35 s of the 0.5 s
 * a workshop's 1,000 ratings took at a million people). SUBJECTS_AT_ONCE
 * codes a query, each asked once: on PostgreSQL a query is a round trip,
 * and one a code made 20,000 people (23,000 codes with their units) take
 * 2 s, nearly all of it waiting.
 */
#define SUBJECTS_AT_ONCE	64	/* (store-pg.c's most parameters) */

static char q_subjects_in[32 + 64 + SUBJECTS_AT_ONCE * 6];
static pthread_once_t q_subjects_once = PTHREAD_ONCE_INIT;

/* "... WHERE code IN ($1, ..., $SUBJECTS_AT_ONCE)", made once: the
 * statement cache knows a statement by its text's address. */
static void
q_subjects_make(void)
{
	size_t len = (size_t)snprintf(q_subjects_in, sizeof q_subjects_in,
	    "SELECT code, id, kind FROM subjects WHERE code IN (");

	for (int i = 1; i <= SUBJECTS_AT_ONCE; i++)
		len += (size_t)snprintf(q_subjects_in + len,
		    sizeof q_subjects_in - len, i > 1 ? ", $%d" : "$%d", i);
	snprintf(q_subjects_in + len, sizeof q_subjects_in - len, ")");
}

int
store_load_subjects_of(struct store *st, const char *const *codes, size_t n,
    struct codemap *m, struct err *e)
{
	struct store_stmt *s;
	struct codemap asked;
	int rc = STORE_DONE, own = !store_in_txn(st);

	pthread_once(&q_subjects_once, q_subjects_make);
	if ((s = store_prepare_err(st, q_subjects_in, e)) == NULL)
		return -1;
	/* one read transaction for them all, not one per query (each took
	 * SQLite's WAL read lock and looked at the file again: 3 syscalls a
	 * code, a third of a workshop's 1,000 ratings imported at a million
	 * people) */
	if (own && store_begin_read(st) != 0)
		return store_err(st, e);
	codemap_init(&asked);
	for (size_t i = 0; i < n && rc != STORE_ERR;) {
		int k = 0;

		for (; i < n && k < SUBJECTS_AT_ONCE; i++) {
			if (codemap_get(m, codes[i], NULL, NULL) ||
			    codemap_get(&asked, codes[i], NULL, NULL))
				continue;
			codemap_put(&asked, codes[i], 0, 0);
			store_bind_text(s, ++k, codes[i]);
		}
		if (k == 0)
			break;
		for (int j = k + 1; j <= SUBJECTS_AT_ONCE; j++)
			store_bind_null(s, j);	/* (IN … NULL: no row) */
		while ((rc = store_step(s)) == STORE_ROW)
			codemap_put(m, store_col_text(s, 0), store_col_int(s, 1),
			    store_col_text(s, 2)[0]);
		store_reset(s);
	}
	codemap_free(&asked);
	if (rc == STORE_ERR) {
		store_err(st, e);
		if (own)
			store_rollback(st);
		return -1;
	}
	if (own && store_commit(st) != 0)
		return store_err(st, e);
	return 0;
}

/* Insert a subject if new; its id goes into the batch's map. */
static const char Q_SUBJ_INS[] =
    "INSERT INTO subjects (code, kind) VALUES ($1, $2) "
    "ON CONFLICT (code) DO NOTHING";
static const char Q_SUBJ_ID[] = "SELECT id FROM subjects WHERE code = $1";

static int
ensure_subject(struct store *st, const struct batch *b, const char *code,
    const char *kind, int64_t *id, struct err *e)
{
	struct store_stmt *s;

	if (codemap_get(&b->refs->subjects, code, id, NULL))
		return 0;
	if ((s = store_prepare_err(st, Q_SUBJ_INS, e)) == NULL)
		return -1;
	store_bind_text(s, 1, code);
	store_bind_text(s, 2, kind);
	if (store_run_err(st, s, e) != 0 || (s = store_prepare_err(st, Q_SUBJ_ID, e)) == NULL)
		return -1;
	store_bind_text(s, 1, code);
	if (store_step(s) != STORE_ROW) {
		store_reset(s);
		return store_err(st, e);
	}
	*id = store_col_int(s, 0);
	store_reset(s);
	codemap_put(&b->refs->subjects, code, *id, kind[0]);
	return 0;
}

/* ---- units ---- */

static const char Q_UNIT_UPSERT[] =
    "INSERT INTO units (id, name, parent_id, kind, bloc, military) "
    "VALUES ($1, $2, $3, COALESCE($4, 'other'), $5, COALESCE($6, "
    "(SELECT u.military FROM units u WHERE u.id = $3), 0)) "
    "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
    "parent_id = excluded.parent_id, kind = excluded.kind, "
    "bloc = excluded.bloc, military = excluded.military";
/* The stored unit $1, and the military mark of $2 (the parent it will
 * have), which an empty military cell takes. */
static const char Q_UNIT_CUR[] =
    "SELECT u.name, u.parent_id, u.kind, u.bloc, u.military, "
    "(SELECT p.military FROM units p WHERE p.id = $2) "
    "FROM units u WHERE u.id = $1";
static const char Q_UNIT_PARENTS[] =
    "SELECT s.code, p.code FROM units u JOIN subjects s ON s.id = u.id "
    "LEFT JOIN subjects p ON p.id = u.parent_id";

/* Index of the batch row defining unit CODE, or -1. */
static long
batch_row_of(const struct codemap *rows, const char *code)
{
	int64_t r;

	return codemap_get(rows, code, &r, NULL) ? (long)r : -1;
}

/*
 * 1 when row r would leave unit id (parent pid, 0: none) as stored: the
 * same name, parent, kind (empty: other), bloc and military mark (empty:
 * the parent's, else 0), as Q_UNIT_UPSERT would write them. 0 when not
 * or new, -1 with e set. (Re-importing the tree as it is then writes
 * nothing: no generation moves, no snapshot is made again.)
 */
static int
unit_as_stored(struct store *st, const struct batch *b, size_t r, int64_t id,
    int64_t pid, struct err *e)
{
	struct store_stmt *s = store_prepare_err(st, Q_UNIT_CUR, e);
	const char *kind = batch_val(b, r, 3), *bloc = batch_val(b, r, 4);
	const char *mil = batch_val(b, r, 5);
	int rc, same = 0;

	if (s == NULL)
		return -1;
	store_bind_int(s, 1, id);
	store_bind_int(s, 2, pid);
	if ((rc = store_step(s)) == STORE_ROW)
		same = strcmp(store_col_text(s, 0), batch_val(b, r, 1)) == 0 &&
		    (store_col_isnull(s, 1) ? pid == 0 : store_col_int(s, 1) == pid) &&
		    strcmp(store_col_text(s, 2), kind ? kind : "other") == 0 &&
		    strcmp(store_col_text(s, 3), bloc ? bloc : "") == 0 &&
		    store_col_int(s, 4) == (mil ? ival(mil, 0) :
		    store_col_isnull(s, 5) ? 0 : store_col_int(s, 5));
	store_reset(s);
	return rc == STORE_ERR ? store_err(st, e) : same;
}

static int
write_unit_row(struct store *st, const struct batch *b, size_t r,
    const struct codemap *rows, char *done, struct err *e)
{
	const char *code = batch_val(b, r, 0), *parent = batch_val(b, r, 2);
	struct store_stmt *s;
	int64_t id, pid = 0;
	long pr;
	int same, known;

	if (done[r])
		return 0;
	done[r] = 1;	/* cycles were refused by store_import_check_units */
	if (parent && (pr = batch_row_of(rows, parent)) >= 0 &&
	    write_unit_row(st, b, (size_t)pr, rows, done, e) != 0)
		return -1;
	/* (a code the map has not is new: no stored row to compare) */
	known = codemap_get(&b->refs->subjects, code, NULL, NULL);
	if (ensure_subject(st, b, code, "unit", &id, e) != 0)
		return -1;
	if (parent)
		pid = subject_id(b, parent);
	if (known && (same = unit_as_stored(st, b, r, id, pid, e)) != 0)
		return same < 0 ? -1 : 0;	/* as stored: nothing written */
	if ((s = store_prepare_err(st, Q_UNIT_UPSERT, e)) == NULL)
		return -1;
	store_bind_int(s, 1, id);
	store_bind_text(s, 2, batch_val(b, r, 1));
	if (parent)
		store_bind_int(s, 3, pid);
	else
		store_bind_null(s, 3);
	store_bind_opt(s, 4, batch_val(b, r, 3));
	store_bind_opt(s, 5, batch_val(b, r, 4));
	bind_int_or_null(s, 6, batch_val(b, r, 5));
	return store_run_err(st, s, e);
}

/*
 * On PostgreSQL a batch of STAGED_MIN units or more is written by a few
 * statements, not three round trips a unit (50,000 units took 25 s): the
 * new codes inserted as subjects in one statement, in the order row by
 * row would (parents first: the same ids), the stored units of the batch
 * and of their parents read in one query, and in that order each row's
 * military mark worked out and compared with the stored row here (as
 * unit_as_stored does); the rows that change go by COPY into a staging
 * table and are upserted by one statement.
 */
static const char Q_UNITS_NEW[] =
    "INSERT INTO subjects (code, kind) SELECT c, 'unit' FROM "
    "unnest($1::text[]) WITH ORDINALITY AS t (c, o) ORDER BY o "
    "ON CONFLICT (code) DO NOTHING";
static const char Q_UNITS_IDS[] =
    "SELECT code, id, kind FROM subjects WHERE code = ANY ($1::text[])";
static const char Q_UNITS_STORED[] =
    "SELECT s.code, u.name, u.parent_id, u.kind, u.bloc, u.military "
    "FROM units u JOIN subjects s ON s.id = u.id WHERE u.id = ANY ($1::bigint[])";
static const char Q_UNITS_STAGE[] =
    "CREATE TEMP TABLE IF NOT EXISTS stage_units (seq BIGINT, id BIGINT, "
    "name TEXT, parent_id BIGINT, kind TEXT, bloc TEXT, military BIGINT) "
    "ON COMMIT DROP";
static const char Q_UNITS_STAGE_EMPTY[] = "DELETE FROM stage_units";
static const char *const stage_units_cols[] = { "seq", "id", "name",
    "parent_id", "kind", "bloc", "military" };
static const char Q_UNITS_MERGE[] =
    "INSERT INTO units (id, name, parent_id, kind, bloc, military) "
    "SELECT id, name, parent_id, COALESCE(kind, 'other'), bloc, military "
    "FROM stage_units ORDER BY seq "
    "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
    "parent_id = excluded.parent_id, kind = excluded.kind, "
    "bloc = excluded.bloc, military = excluded.military";

/* A unit as stored (Q_UNITS_STORED's row). */
struct unit_row {
	char	*name, *kind, *bloc;	/* bloc "" when NULL */
	int64_t	 parent;		/* 0: none */
	int64_t	 military;
};

/* Row r, then the rows before it that it needs (its parent's, first). */
static void
unit_order(const struct batch *b, size_t r, const struct codemap *rows,
    char *done, size_t *order, size_t *n)
{
	const char *parent = batch_val(b, r, 2);
	long pr;

	if (done[r])
		return;
	done[r] = 1;	/* cycles were refused by store_import_check_units */
	if (parent && (pr = batch_row_of(rows, parent)) >= 0)
		unit_order(b, (size_t)pr, rows, done, order, n);
	order[(*n)++] = r;
}

/* An array literal of n quoted texts or integers (ids NULL: texts). */
static void
pg_array(struct sb *a, const char *const *txt, const int64_t *ids, size_t n)
{
	sb_reset(a);
	sb_putc(a, '{');
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			sb_putc(a, ',');
		if (ids != NULL) {
			sb_printf(a, "%lld", (long long)ids[i]);
			continue;
		}
		sb_putc(a, '"');
		for (const char *p = txt[i]; *p; p++) {
			if (*p == '"' || *p == '\\')
				sb_putc(a, '\\');
			sb_putc(a, *p);
		}
		sb_putc(a, '"');
	}
	sb_putc(a, '}');
}

/* Run sql with the array a as $1; each row into m (code, id, kind's
 * first letter), or, with stored set, into stored[] by the row's index in
 * rows (code → row). 0 or -1. */
static int
units_query(struct store *st, const char *sql, const struct sb *a,
    struct codemap *m, const struct codemap *rows, struct unit_row *stored,
    char *has, struct err *e)
{
	struct store_stmt *s = store_prepare_err(st, sql, e);
	int64_t r;
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, a->s);
	while ((rc = store_step(s)) == STORE_ROW) {
		if (m != NULL) {
			codemap_put(m, store_col_text(s, 0), store_col_int(s, 1),
			    store_col_text(s, 2)[0]);
			continue;
		}
		if (!codemap_get(rows, store_col_text(s, 0), &r, NULL) || has[r])
			continue;
		has[r] = 1;
		stored[r].name = xstrdup(store_col_text(s, 1));
		stored[r].parent = store_col_isnull(s, 2) ? 0 : store_col_int(s, 2);
		stored[r].kind = xstrdup(store_col_text(s, 3));
		stored[r].bloc = xstrdup(store_col_text(s, 4));
		stored[r].military = store_col_int(s, 5);
	}
	store_reset(s);
	return rc == STORE_ERR ? store_err(st, e) : 0;
}

static int
write_units_staged(struct store *st, const struct batch *b,
    const struct codemap *rows, struct err *e)
{
	size_t n = b->nrows, k = 0, nnew = 0, nid = 0;
	size_t *order = xmalloc(n * sizeof *order);
	char *done = xcalloc(n + 1, 1), *known = xcalloc(n + 1, 1);
	char *has = NULL;
	const char **fresh = xmalloc(n * sizeof *fresh);
	int64_t *ids = xmalloc(2 * n * sizeof *ids), *mil = xmalloc(n * sizeof *mil);
	struct unit_row *stored = NULL;
	struct codemap at;	/* code → batch row, then stored code → slot */
	struct store_bulk *bk;
	struct sb a;
	int rc = -1;

	sb_init(&a);
	codemap_init(&at);
	for (size_t r = 0; r < n; r++)
		unit_order(b, r, rows, done, order, &k);
	for (size_t i = 0; i < n; i++) {
		const char *code = batch_val(b, order[i], 0);

		known[order[i]] = codemap_get(&b->refs->subjects, code, NULL, NULL);
		if (!known[order[i]])
			fresh[nnew++] = code;
	}
	if (nnew > 0) {
		struct store_stmt *s;

		pg_array(&a, fresh, NULL, nnew);
		if ((s = store_prepare_err(st, Q_UNITS_NEW, e)) == NULL)
			goto out;
		store_bind_text(s, 1, a.s);
		if (store_run_err(st, s, e) != 0 ||
		    units_query(st, Q_UNITS_IDS, &a, &b->refs->subjects, NULL,
		    NULL, NULL, e) != 0)
			goto out;
	}
	/* the stored units of the batch, and every parent named (slots n on
	 * for parents outside it) */
	stored = xcalloc(2 * n, sizeof *stored);
	has = xcalloc(2 * n, 1);
	for (size_t r = 0; r < n; r++) {
		const char *parent = batch_val(b, r, 2);

		codemap_put(&at, batch_val(b, r, 0), (int64_t)r, 0);
		if (known[r])
			ids[nid++] = subject_id(b, batch_val(b, r, 0));
		if (parent && batch_row_of(rows, parent) < 0 &&
		    !codemap_get(&at, parent, NULL, NULL)) {
			codemap_put(&at, parent, (int64_t)(n + r), 0);
			ids[nid++] = subject_id(b, parent);
		}
	}
	pg_array(&a, NULL, ids, nid);
	if (nid > 0 && units_query(st, Q_UNITS_STORED, &a, NULL, &at, stored,
	    has, e) != 0)
		goto out;
	if (store_exec(st, Q_UNITS_STAGE) != 0 ||
	    store_exec(st, Q_UNITS_STAGE_EMPTY) != 0 ||
	    (bk = store_bulk_begin(st, "stage_units", stage_units_cols, 7)) == NULL) {
		store_err(st, e);
		goto out;
	}
	k = 0;
	for (size_t i = 0; i < n; i++) {
		size_t r = order[i];
		const char *parent = batch_val(b, r, 2), *kind = batch_val(b, r, 3);
		const char *bloc = batch_val(b, r, 4), *m = batch_val(b, r, 5);
		int64_t id = subject_id(b, batch_val(b, r, 0));
		int64_t pid = parent ? subject_id(b, parent) : 0, slot;
		char seq[24], sid[24], spid[24], smil[24];
		const char *v[7];
		int same;

		/* the military mark as Q_UNIT_UPSERT takes it: the cell, else
		 * the parent's as it is by then (written before, or stored) */
		if (m != NULL)
			mil[r] = ival(m, 0);
		else if (parent == NULL || !codemap_get(&at, parent, &slot, NULL))
			mil[r] = 0;
		else
			mil[r] = (size_t)slot < n ? mil[slot] :
			    has[slot] ? stored[slot].military : 0;
		same = known[r] && has[r] &&
		    strcmp(stored[r].name, batch_val(b, r, 1)) == 0 &&
		    stored[r].parent == pid &&
		    strcmp(stored[r].kind, kind ? kind : "other") == 0 &&
		    strcmp(stored[r].bloc, bloc ? bloc : "") == 0 &&
		    stored[r].military == mil[r];
		if (same)
			continue;	/* as stored: nothing written */
		snprintf(seq, sizeof seq, "%zu", i);
		snprintf(sid, sizeof sid, "%lld", (long long)id);
		snprintf(spid, sizeof spid, "%lld", (long long)pid);
		snprintf(smil, sizeof smil, "%lld", (long long)mil[r]);
		v[0] = seq;
		v[1] = sid;
		v[2] = batch_val(b, r, 1);
		v[3] = parent ? spid : NULL;
		v[4] = opt_cell(kind);
		v[5] = opt_cell(bloc);
		v[6] = smil;
		if (store_bulk_row(bk, v) != 0) {
			store_bulk_end(bk);
			store_err(st, e);
			goto out;
		}
		k++;
	}
	if (store_bulk_end(bk) != 0) {
		store_err(st, e);
		goto out;
	}
	rc = k == 0 || store_exec(st, Q_UNITS_MERGE) == 0 ? 0 : store_err(st, e);
out:
	for (size_t r = 0; stored != NULL && r < 2 * n; r++) {
		free(stored[r].name);
		free(stored[r].kind);
		free(stored[r].bloc);
	}
	free(stored);
	free(has);
	free(order);
	free(done);
	free(known);
	free(fresh);
	free(ids);
	free(mil);
	codemap_free(&at);
	sb_free(&a);
	return rc;
}

int
store_write_units(struct store *st, const struct batch *b, struct err *e)
{
	struct codemap rows;
	char *done;
	int rc = 0, twice = 0;

	codemap_init(&rows);
	for (size_t r = 0; r < b->nrows; r++) {
		twice |= codemap_get(&rows, batch_val(b, r, 0), NULL, NULL);
		codemap_put(&rows, batch_val(b, r, 0), (int64_t)r, 0);
	}
	/* (a unit on two rows goes row by row: the second updates the first) */
	if (store_backend(st) == STORE_PG && b->nrows >= STAGED_MIN && !twice) {
		rc = write_units_staged(st, b, &rows, e);
		codemap_free(&rows);
		return rc;
	}
	done = xcalloc(b->nrows + 1, 1);
	for (size_t r = 0; r < b->nrows && rc == 0; r++)
		rc = write_unit_row(st, b, r, &rows, done, e);
	codemap_free(&rows);
	free(done);
	return rc;
}

/*
 * Each kind's export is its FROM part (the columns, the tables joined)
 * and its TAIL (conditions, order), so that the rows of a unit's subtree
 * (store_export_unit) are the same query with the subtree joined between.
 */
#define UNITS_FROM \
    "SELECT s.code, u.name, p.code, u.kind, u.bloc, u.military " \
    "FROM units u JOIN subjects s ON s.id = u.id " \
    "LEFT JOIN subjects p ON p.id = u.parent_id "
#define UNITS_TAIL "ORDER BY s.code"
static const char Q_UNITS_EXPORT[] = UNITS_FROM UNITS_TAIL;

int
store_export_units(struct store *st, int (*row)(void *, const char *const *),
    void *d, struct err *e)
{
	return export_sql(st, Q_UNITS_EXPORT, "ttttti", row, d, e);
}

/*
 * A unit's parent must be a unit (in the database or this batch), not
 * itself, and the parent links after this import must form a tree.
 */
void
store_import_check_units(struct import_ctx *c, struct store *st,
    const struct batch *b)
{
	struct codemap parent, idx;
	struct store_stmt *s;
	struct err e;
	const char **codes = NULL, **par = NULL;
	size_t n = 0, cap = 0, capp = 0;
	char *color;

	codemap_init(&parent);
	codemap_init(&idx);
	for (size_t r = 0; r < b->nrows; r++) {
		const char *code = batch_val(b, r, 0), *p = batch_val(b, r, 2);
		int tag;

		if (code == NULL)
			continue;
		if (codemap_get(&b->refs->subjects, code, NULL, &tag) && tag == 'p')
			import_error(c, b, r, 0, "'%s' %s", code,
			    TR("đã là mã của một cá nhân (mã đơn vị và cá nhân "
			    "dùng chung một không gian)", "is already a person's "
			    "code (unit and person codes share one namespace)"));
		if (p && strcmp(p, code) == 0)
			import_error(c, b, r, 2, "%s", TR("đơn vị không thể là "
			    "cấp trên của chính nó", "a unit cannot be its own parent"));
	}
	/* Graph: database links overlaid by this batch. */
	if ((s = store_prepare(st, Q_UNIT_PARENTS)) == NULL)
		return;
	while (store_step(s) == STORE_ROW) {
		const char *code = store_col_text(s, 0), *p = store_col_text(s, 1);

		grow(&codes, &cap, n + 1, sizeof *codes);
		grow(&par, &capp, n + 1, sizeof *par);
		codes[n] = xstrdup(code);
		par[n] = *p ? xstrdup(p) : NULL;
		codemap_put(&idx, code, (int64_t)n, 0);
		n++;
	}
	store_reset(s);
	for (size_t r = 0; r < b->nrows; r++) {
		const char *code = batch_val(b, r, 0), *p = batch_val(b, r, 2);
		int64_t i;
		int tag;

		if (code == NULL)
			continue;
		if (p && batch_row_of(&idx, p) < 0) {
			int inbatch = 0;

			for (size_t q = 0; q < b->nrows && !inbatch; q++)
				inbatch = batch_val(b, q, 0) &&
				    strcmp(batch_val(b, q, 0), p) == 0;
			if (!inbatch) {
				if (codemap_get(&b->refs->subjects, p, NULL, &tag) &&
				    tag == 'p')
					import_error(c, b, r, 2, "'%s' %s", p,
					    TR("là mã cá nhân, không phải đơn vị",
					    "is a person, not a unit"));
				else
					import_error(c, b, r, 2, "%s '%s'",
					    TR("không có đơn vị mã", "no unit with code"), p);
			}
		}
		if (codemap_get(&idx, code, &i, NULL)) {
			free((char *)par[i]);
			par[i] = p ? xstrdup(p) : NULL;
		} else {
			grow(&codes, &cap, n + 1, sizeof *codes);
			grow(&par, &capp, n + 1, sizeof *par);
			codes[n] = xstrdup(code);
			par[n] = p ? xstrdup(p) : NULL;
			codemap_put(&idx, code, (int64_t)n, 0);
			n++;
		}
	}
	(void)e;
	/* Walk up from every node; 0 new, 1 on the current path, 2 finished. */
	color = xcalloc(n + 1, 1);
	for (size_t start = 0; start < n; start++) {
		size_t v = start;
		int64_t next;

		while (color[v] == 0) {
			color[v] = 1;
			if (par[v] == NULL || !codemap_get(&idx, par[v], &next, NULL))
				break;
			v = (size_t)next;
		}
		if (color[v] == 1 && par[v] && codemap_get(&idx, par[v], NULL, NULL)) {
			/* v is on a cycle: name its members. */
			struct sb m;
			size_t u = v;
			long row = -1;

			sb_init(&m);
			do {
				int64_t nx;

				sb_printf(&m, "%s%s", m.len ? " → " : "", codes[u]);
				for (size_t q = 0; q < b->nrows && row < 0; q++)
					if (batch_val(b, q, 0) &&
					    strcmp(batch_val(b, q, 0), codes[u]) == 0)
						row = (long)q;
				codemap_get(&idx, par[u], &nx, NULL);
				u = (size_t)nx;
			} while (u != v);
			sb_printf(&m, " → %s", codes[v]);
			import_error(c, b, row >= 0 ? (size_t)row : 0, 2, "%s: %s",
			    TR("quan hệ cấp trên tạo thành vòng",
			    "parent links form a cycle"), m.s);
			sb_free(&m);
		}
		/* Mark the whole path finished. */
		for (v = start; color[v] == 1;) {
			color[v] = 2;
			if (par[v] == NULL || !codemap_get(&idx, par[v], &next, NULL))
				break;
			v = (size_t)next;
		}
	}
	for (size_t i = 0; i < n; i++) {
		free((char *)codes[i]);
		free((char *)par[i]);
	}
	free(codes);
	free(par);
	free(color);
	codemap_free(&parent);
	codemap_free(&idx);
}

/* ---- people ---- */

/* (On PostgreSQL, batches of ratings, awards and people from STAGED_MIN
 * rows go by COPY into a staging table too; fewer go row by row.) */

static const char Q_PERSON_CUR[] =
    "SELECT unit_id, name, category, joined, left_on, sex FROM people "
    "WHERE id = $1";
static const char Q_PERSON_UPSERT[] =
    "INSERT INTO people (id, name, unit_id, category, joined, left_on, sex) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO UPDATE SET "
    "name = excluded.name, unit_id = excluded.unit_id, "
    "category = excluded.category, joined = excluded.joined, "
    "left_on = excluded.left_on, sex = excluded.sex";
static const char Q_STAY_CLOSE[] =
    "UPDATE person_units SET to_date = $2 WHERE person_id = $1 AND to_date IS NULL";
static const char Q_STAY_OPEN[] =
    "INSERT INTO person_units (person_id, unit_id, from_date) VALUES ($1, $2, $3) "
    "ON CONFLICT (person_id, from_date) DO UPDATE SET unit_id = excluded.unit_id, "
    "to_date = NULL";

/*
 * On PostgreSQL a batch of people goes by COPY into a staging table and is
 * written by five set-based statements, the same writes as row by row
 * (below): four or five round trips a row made a million people take
 * 270 s. Each staged row gets its subject id, whether the person was
 * stored and in which unit, and the day a new stay opens (NULL: the same
 * unit, no new stay); the people are upserted, the stays they leave
 * closed on that day and the new ones opened. A batch naming a person
 * twice goes row by row: the second row's stay depends on the first's.
 * (Dates are checked YYYY-MM-DD: compared as bytes, as strcmp below.)
 */
static const char Q_PEOPLE_STAGE[] =
    "CREATE TEMP TABLE IF NOT EXISTS stage_people (seq BIGINT, code TEXT, "
    "name TEXT, unit_id BIGINT, category TEXT, joined TEXT, left_on TEXT, "
    "sex TEXT, moved TEXT) ON COMMIT DROP";
static const char Q_PEOPLE_STAGE_EMPTY[] = "DELETE FROM stage_people";
static const char *const stage_people_cols[] = { "seq", "code", "name",
    "unit_id", "category", "joined", "left_on", "sex", "moved" };
/* (codes not stored yet: an anti-join, not a million conflicts) */
static const char Q_PEOPLE_NEW_CODES[] =
    "SELECT EXISTS (SELECT 1 FROM stage_people s WHERE NOT EXISTS "
    "(SELECT 1 FROM subjects j WHERE j.code = s.code))";
static const char Q_PEOPLE_SUBJECTS[] =
    "INSERT INTO subjects (code, kind) SELECT s.code, 'person' "
    "FROM stage_people s WHERE NOT EXISTS (SELECT 1 FROM subjects j "
    "WHERE j.code = s.code) ORDER BY s.seq ON CONFLICT (code) DO NOTHING";
static const char Q_PEOPLE_RESOLVED_DROP[] =
    "DROP TABLE IF EXISTS stage_people_r";
/* Each row with its id, whether stored (existed), whether anything of it
 * changed, and the day its new stay opens (NULL: none). */
static const char Q_PEOPLE_RESOLVE[] =
    "CREATE TEMP TABLE stage_people_r ON COMMIT DROP AS "
    "SELECT s.seq, j.id, s.name, s.unit_id, s.category, s.joined, s.left_on, "
    "s.sex, p.id IS NOT NULL AS existed, "
    "(p.id IS NULL OR (p.name, p.unit_id, p.category, p.joined, p.left_on, "
    "p.sex) IS DISTINCT FROM (s.name, s.unit_id, s.category, s.joined, "
    "s.left_on, s.sex)) AS changed, "
    "CASE WHEN p.id IS NULL THEN s.joined "
    "WHEN p.unit_id = s.unit_id THEN NULL "
    "ELSE GREATEST(COALESCE(s.moved, $1) COLLATE \"C\", "
    "s.joined COLLATE \"C\") END AS from_date "
    "FROM stage_people s JOIN subjects j ON j.code = s.code "
    "LEFT JOIN people p ON p.id = j.id";
/* (a row as stored is not written again: no new version, no index entry;
 * a batch of rows all as stored writes nothing, so no generation moves
 * and every snapshot stays current) */
static const char Q_PEOPLE_ANY_CHANGE[] =
    "SELECT EXISTS (SELECT 1 FROM stage_people_r WHERE changed "
    "OR from_date IS NOT NULL)";
static const char Q_PEOPLE_MERGE[] =
    "INSERT INTO people (id, name, unit_id, category, joined, left_on, sex) "
    "SELECT id, name, unit_id, category, joined, left_on, sex "
    "FROM stage_people_r WHERE changed ORDER BY seq "
    "ON CONFLICT (id) DO UPDATE SET "
    "name = excluded.name, unit_id = excluded.unit_id, "
    "category = excluded.category, joined = excluded.joined, "
    "left_on = excluded.left_on, sex = excluded.sex";
static const char Q_PEOPLE_CLOSE[] =
    "UPDATE person_units u SET to_date = s.from_date FROM stage_people_r s "
    "WHERE s.existed AND s.from_date IS NOT NULL AND u.person_id = s.id "
    "AND u.to_date IS NULL";
static const char Q_PEOPLE_OPEN[] =
    "INSERT INTO person_units (person_id, unit_id, from_date) "
    "SELECT id, unit_id, from_date FROM stage_people_r "
    "WHERE from_date IS NOT NULL ORDER BY seq "
    "ON CONFLICT (person_id, from_date) DO UPDATE SET "
    "unit_id = excluded.unit_id, to_date = NULL";

/*
 * A first load of many people (none stored, PEOPLE_BARE_MIN rows or more)
 * writes people and person_units without their foreign keys and their
 * indexes but the unique ones, made again before the commit (each key
 * checked in one pass, each index built in one sort): checked a row at a
 * time the keys took 45 of the 58 s a million people took, and the two
 * indexes of people's units 4 of the 10 s left to people. As for the records'
 * key (below), the tables are locked for the transaction; when they are
 * busy, filled meanwhile or not ours to alter, the keys stay and the rows
 * are checked one by one.
 */
#define PEOPLE_BARE_MIN	20000
#define PEOPLE_FKS_MAX	16

struct people_fks {
	int	 n;
	char	*add[PEOPLE_FKS_MAX];	/* ADD CONSTRAINT …, CREATE INDEX … */
};

static const char Q_PEOPLE_NONE[] = "SELECT NOT EXISTS (SELECT 1 FROM people)";
static const char Q_PEOPLE_SAVE[] = "SAVEPOINT people_keys";
static const char Q_PEOPLE_UNDO[] = "ROLLBACK TO SAVEPOINT people_keys";
static const char Q_PEOPLE_LOCK[] =
    "LOCK TABLE people, person_units IN ACCESS EXCLUSIVE MODE NOWAIT";
/* (the foreign keys, then the indexes but the unique ones: each dropped,
 * then made again, in one sort, at the end) */
static const char Q_PEOPLE_FKS[] =
    "SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, "
    "conname), format('ALTER TABLE %s ADD CONSTRAINT %I %s', "
    "conrelid::regclass, conname, pg_get_constraintdef(oid)) "
    "FROM pg_constraint WHERE contype = 'f' AND conrelid IN "
    "('people'::regclass, 'person_units'::regclass) "
    "UNION ALL SELECT format('DROP INDEX %s', indexrelid::regclass), "
    "pg_get_indexdef(indexrelid) FROM pg_index WHERE NOT indisunique AND "
    "indrelid IN ('people'::regclass, 'person_units'::regclass)";

static void
people_fks_free(struct people_fks *k)
{
	for (int i = 0; i < k->n; i++)
		free(k->add[i]);
	k->n = 0;
}

/* Drop the keys and indexes (k then holds how to make them again), after
 * the lock. */
static int
people_fks_drop(struct store *st, struct people_fks *k)
{
	struct store_stmt *s = store_prepare(st, Q_PEOPLE_FKS);
	char *drop[PEOPLE_FKS_MAX];
	int nd = 0, rc;

	if (s == NULL)
		return -1;
	while ((rc = store_step(s)) == STORE_ROW && nd < PEOPLE_FKS_MAX) {
		drop[nd++] = xstrdup(store_col_text(s, 0));
		k->add[k->n++] = xstrdup(store_col_text(s, 1));
	}
	store_reset(s);
	rc = rc == STORE_ERR || nd == PEOPLE_FKS_MAX ? -1 : 0;
	for (int i = 0; i < nd; i++) {
		if (rc == 0 && store_exec(st, drop[i]) != 0)
			rc = -1;
		free(drop[i]);
	}
	return rc;
}

/* Keys off for a first load of b (k says which), or left on: 0, or -1. */
static int
people_bare_begin(struct store *st, const struct batch *b,
    struct people_fks *k, struct err *e)
{
	int none;

	k->n = 0;
	if (b->nrows < PEOPLE_BARE_MIN)
		return 0;
	if ((none = ask_true(st, Q_PEOPLE_NONE, e)) <= 0)
		return none;	/* people stored (0), or a failure (-1) */
	if (store_exec(st, Q_PEOPLE_SAVE) != 0)
		return store_err(st, e);
	if (store_exec(st, Q_PEOPLE_LOCK) != 0 ||
	    (none = ask_true(st, Q_PEOPLE_NONE, e)) <= 0 ||
	    people_fks_drop(st, k) != 0) {
		/* busy, filled meanwhile, or not ours to alter */
		err_clear(e);
		people_fks_free(k);
		return store_exec(st, Q_PEOPLE_UNDO) != 0 ? store_err(st, e) : 0;
	}
	return 0;
}

/* The keys made again, every row checked: 0, or -1 (k freed). */
static int
people_bare_end(struct store *st, struct people_fks *k, struct err *e)
{
	int rc = 0;

	for (int i = 0; i < k->n && rc == 0; i++)
		if (store_exec(st, k->add[i]) != 0)
			rc = store_err(st, e);
	people_fks_free(k);
	return rc;
}

/* Whether some person's code is on two rows of b. */
static int
people_repeat(const struct batch *b)
{
	struct codemap seen;
	int twice = 0;

	codemap_init(&seen);
	for (size_t r = 0; r < b->nrows && !twice; r++) {
		twice = codemap_get(&seen, batch_val(b, r, 0), NULL, NULL);
		codemap_put(&seen, batch_val(b, r, 0), 0, 0);
	}
	codemap_free(&seen);
	return twice;
}

static int
write_people_staged(struct store *st, const struct batch *b,
    const char *today, struct err *e)
{
	static const char *const sql[] = { Q_PEOPLE_MERGE, Q_PEOPLE_CLOSE,
	    Q_PEOPLE_OPEN };
	struct store_bulk *bk;
	struct store_stmt *s;
	char seq[24], unit[24];
	const char *v[9] = { seq };
	struct people_fks fks;
	int any;

	if (store_exec(st, Q_PEOPLE_STAGE) != 0 ||
	    store_exec(st, Q_PEOPLE_STAGE_EMPTY) != 0 ||
	    (bk = store_bulk_begin(st, "stage_people", stage_people_cols, 9)) == NULL)
		return store_err(st, e);
	for (size_t r = 0; r < b->nrows; r++) {
		snprintf(seq, sizeof seq, "%zu", r);
		snprintf(unit, sizeof unit, "%lld",
		    (long long)subject_id(b, batch_val(b, r, 2)));
		v[1] = batch_val(b, r, 0);
		v[2] = batch_val(b, r, 1);
		v[3] = unit;
		v[4] = batch_val(b, r, 3);
		v[5] = batch_val(b, r, 4);
		v[6] = opt_cell(batch_val(b, r, 5));
		v[7] = opt_cell(batch_val(b, r, 7));
		v[8] = opt_cell(batch_val(b, r, 6));
		if (store_bulk_row(bk, v) != 0) {
			store_bulk_end(bk);
			return store_err(st, e);
		}
	}
	if (store_bulk_end(bk) != 0 || store_exec(st, Q_STAGED_WORK_MEM) != 0)
		return store_err(st, e);
	if ((any = ask_true(st, Q_PEOPLE_NEW_CODES, e)) < 0 ||
	    (any && store_exec(st, Q_PEOPLE_SUBJECTS) != 0) ||
	    store_exec(st, Q_PEOPLE_RESOLVED_DROP) != 0)
		return any < 0 ? -1 : store_err(st, e);
	if ((s = store_prepare_err(st, Q_PEOPLE_RESOLVE, e)) == NULL)
		return -1;
	store_bind_text(s, 1, today);
	if (store_run_err(st, s, e) != 0 ||
	    (any = ask_true(st, Q_PEOPLE_ANY_CHANGE, e)) < 0)
		return -1;
	if (!any)
		return 0;
	if (people_bare_begin(st, b, &fks, e) != 0)
		return -1;
	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++)
		if (store_exec(st, sql[i]) != 0) {
			people_fks_free(&fks);
			return store_err(st, e);
		}
	return people_bare_end(st, &fks, e);
}

/* Whether row r's name, category, days and sex are the stored person's
 * (Q_PERSON_CUR's row; an empty cell is a NULL, read as ""). */
static int
as_stored(struct store_stmt *s, const struct batch *b, size_t r)
{
	static const int col[] = { 1, 3, 4, 5, 7 };	/* the row's cells */

	for (size_t i = 0; i < sizeof col / sizeof col[0]; i++) {
		const char *v = batch_val(b, r, col[i]);

		if (strcmp(store_col_text(s, (int)i + 1), v ? v : "") != 0)
			return 0;
	}
	return 1;
}

int
store_write_people(struct store *st, const struct batch *b, struct err *e)
{
	char today[11];

	date_format(date_today(), today);
	if (store_backend(st) == STORE_PG && b->nrows >= STAGED_MIN &&
	    !people_repeat(b))
		return write_people_staged(st, b, today, e);
	for (size_t r = 0; r < b->nrows; r++) {
		const char *code = batch_val(b, r, 0), *joined = batch_val(b, r, 4);
		const char *moved = batch_val(b, r, 6);
		int64_t id, unit = subject_id(b, batch_val(b, r, 2)), prev = 0;
		int existed = 0, same = 0;
		struct store_stmt *s;

		if (ensure_subject(st, b, code, "person", &id, e) != 0)
			return -1;
		if ((s = store_prepare_err(st, Q_PERSON_CUR, e)) == NULL)
			return -1;
		store_bind_int(s, 1, id);
		if (store_step(s) == STORE_ROW) {
			existed = 1;
			prev = store_col_int(s, 0);
			same = prev == unit && as_stored(s, b, r);
		}
		store_reset(s);
		if (same)
			continue;	/* as stored: nothing written, nothing logged */
		if ((s = store_prepare_err(st, Q_PERSON_UPSERT, e)) == NULL)
			return -1;
		store_bind_int(s, 1, id);
		store_bind_text(s, 2, batch_val(b, r, 1));
		store_bind_int(s, 3, unit);
		store_bind_text(s, 4, batch_val(b, r, 3));
		store_bind_text(s, 5, joined);
		store_bind_opt(s, 6, batch_val(b, r, 5));
		store_bind_opt(s, 7, batch_val(b, r, 7));
		if (store_run_err(st, s, e) != 0)
			return -1;
		if (existed && prev == unit)
			continue;
		/* A new stay: from the transfer date (default today), or joined. */
		{
			const char *from = !existed ? joined : moved ? moved : today;

			if (strcmp(from, joined) < 0)
				from = joined;
			if (existed) {
				if ((s = store_prepare_err(st, Q_STAY_CLOSE, e)) == NULL)
					return -1;
				store_bind_int(s, 1, id);
				store_bind_text(s, 2, from);
				if (store_run_err(st, s, e) != 0)
					return -1;
			}
			if ((s = store_prepare_err(st, Q_STAY_OPEN, e)) == NULL)
				return -1;
			store_bind_int(s, 1, id);
			store_bind_int(s, 2, unit);
			store_bind_text(s, 3, from);
			if (store_run_err(st, s, e) != 0)
				return -1;
		}
	}
	return 0;
}

#define PEOPLE_COLS \
    "SELECT s.code, p.name, u.code, p.category, p.joined, p.left_on, NULL, " \
    "p.sex "
#define PEOPLE_FROM PEOPLE_COLS "FROM people p JOIN subjects s ON s.id = p.id " \
    "JOIN subjects u ON u.id = p.unit_id "
#define PEOPLE_TAIL "ORDER BY s.code"
static const char Q_PEOPLE_EXPORT[] = PEOPLE_FROM PEOPLE_TAIL;

int
store_export_people(struct store *st, int (*row)(void *, const char *const *),
    void *d, struct err *e)
{
	return export_sql(st, Q_PEOPLE_EXPORT, "tttttttt", row, d, e);
}

void
store_import_check_people(struct import_ctx *c, struct store *st,
    const struct batch *b)
{
	(void)st;
	for (size_t r = 0; r < b->nrows; r++) {
		const char *code = batch_val(b, r, 0), *left = batch_val(b, r, 5);
		const char *joined = batch_val(b, r, 4);
		int tag;

		if (code == NULL)
			continue;
		if (codemap_get(&b->refs->subjects, code, NULL, &tag) && tag == 'u')
			import_error(c, b, r, 0, "'%s' %s", code,
			    TR("đã là mã của một đơn vị (mã đơn vị và cá nhân "
			    "dùng chung một không gian)", "is already a unit's "
			    "code (unit and person codes share one namespace)"));
		if (left && joined && strcmp(left, joined) < 0)
			import_error(c, b, r, 5, "%s", TR("ngày nghỉ trước ngày vào",
			    "left before joining"));
	}
}

/* ---- ratings, awards, discipline, incidents, indicators ---- */

static const char Q_RATING_UPSERT[] =
    "INSERT INTO ratings (year, subject_id, rating, source) "
    "VALUES ($1, $2, $3, COALESCE($4, 'import')) "
    "ON CONFLICT (year, subject_id) DO UPDATE SET rating = excluded.rating, "
    "source = excluded.source, source_ref = NULL";


/*
 * On PostgreSQL a batch of ratings goes by COPY into a staging table and
 * is merged by one statement (the last of a key's rows wins, as row by
 * row): with a round trip a row (82 µs), a year's ratings of a million
 * people took 86 s, 18 s so. (SQLite has no round trip: row by row.)
 */
static const char Q_RATINGS_STAGE[] =
    "CREATE TEMP TABLE IF NOT EXISTS stage_ratings (seq BIGINT, year BIGINT, "
    "subject_id BIGINT, rating TEXT, source TEXT) ON COMMIT DROP";
static const char Q_RATINGS_STAGE_EMPTY[] = "DELETE FROM stage_ratings";
static const char Q_RATINGS_MERGE[] =
    "INSERT INTO ratings (year, subject_id, rating, source) "
    "SELECT DISTINCT ON (year, subject_id) year, subject_id, rating, "
    "COALESCE(source, 'import') FROM stage_ratings "
    "ORDER BY year, subject_id, seq DESC "
    "ON CONFLICT (year, subject_id) DO UPDATE SET rating = excluded.rating, "
    "source = excluded.source, source_ref = NULL";
static const char *const stage_ratings_cols[] = { "seq", "year", "subject_id",
    "rating", "source" };

/*
 * Batch b into the staging table made by create (emptied first, as a
 * transaction may stage twice): seq, year, subject id, then row cells 2
 * onwards, one a column left (the first as given, the others NULL when
 * empty). 0 or -1.
 */
#define STAGE_COLS	8	/* a staging table's columns, at most */

static int
stage_batch(struct store *st, const struct batch *b, const char *create,
    const char *empty, const char *table, const char *const *cols, int ncols,
    struct err *e)
{
	struct store_bulk *bk;
	char seq[24], year[24], sid[24];
	const char *v[STAGE_COLS] = { seq, year, sid };

	if (ncols > STAGE_COLS)
		abort();	/* (a caller's table wider than v: a bug) */
	if (store_exec(st, create) != 0 || store_exec(st, empty) != 0 ||
	    (bk = store_bulk_begin(st, table, cols, ncols)) == NULL)
		return store_err(st, e);
	for (size_t r = 0; r < b->nrows; r++) {
		snprintf(seq, sizeof seq, "%zu", r);
		snprintf(year, sizeof year, "%lld",
		    (long long)ival(batch_val(b, r, 0), 0));
		snprintf(sid, sizeof sid, "%lld",
		    (long long)subject_id(b, batch_val(b, r, 1)));
		for (int c = 3; c < ncols; c++)
			v[c] = c == 3 ? batch_val(b, r, c - 1) :
			    opt_cell(batch_val(b, r, c - 1));
		if (store_bulk_row(bk, v) != 0) {
			store_bulk_end(bk);
			return store_err(st, e);
		}
	}
	return store_bulk_end(bk) != 0 ? store_err(st, e) : 0;
}

int
store_write_ratings(struct store *st, const struct batch *b, struct err *e)
{
	if (store_backend(st) != STORE_PG || b->nrows < STAGED_MIN)
		return write_rows(st, b, Q_RATING_UPSERT, "isto", e);
	if (stage_batch(st, b, Q_RATINGS_STAGE, Q_RATINGS_STAGE_EMPTY,
	    "stage_ratings", stage_ratings_cols, 5, e) != 0)
		return -1;
	return store_exec(st, Q_RATINGS_MERGE) != 0 ? store_err(st, e) : 0;
}

#define RATINGS_COLS "SELECT r.year, s.code, r.rating, r.source "
#define RATINGS_FROM RATINGS_COLS \
    "FROM ratings r JOIN subjects s ON s.id = r.subject_id "
#define RATINGS_TAIL "ORDER BY r.year, s.code"
#define SQL_RATINGS_EXPORT RATINGS_FROM RATINGS_TAIL
static const char Q_RATINGS_EXPORT[] = SQL_RATINGS_EXPORT;

int
store_export_ratings(struct store *st, int (*row)(void *, const char *const *),
    void *d, struct err *e)
{
	return export_sql(st, Q_RATINGS_EXPORT, "itt" "t", row, d, e);
}

/*
 * An imported row never replaces one the ledger wrote (check_awards
 * refuses a different one first; an identical one is left as it is), and
 * a row read back unchanged keeps the stamp of the import that brought it.
 */
#define AWARD_ON_CONFLICT \
    "ON CONFLICT (year, subject_id, award) " \
    "DO UPDATE SET decision = excluded.decision, " \
    "decided_on = excluded.decided_on, based_on = excluded.based_on, " \
    "imported_by = excluded.imported_by, imported_at = excluded.imported_at, " \
    "import_file = excluded.import_file, " \
    "import_sha256 = excluded.import_sha256 " \
    "WHERE awards.source = 'import' AND awards.revoked = 0 AND (" \
    "awards.decision IS DISTINCT FROM excluded.decision OR " \
    "awards.decided_on IS DISTINCT FROM excluded.decided_on OR " \
    "awards.based_on IS DISTINCT FROM excluded.based_on)"
static const char Q_AWARD_UPSERT[] =
    "INSERT INTO awards (year, subject_id, award, decision, decided_on, "
    "based_on, source, imported_by, imported_at, import_file, import_sha256) "
    "VALUES ($1, $2, $3, $4, $5, $6, 'import', $7, $8, $9, $10) "
    AWARD_ON_CONFLICT;

/* The same as the ratings' on PostgreSQL: staged, then one merge with
 * Q_AWARD_UPSERT's rule, the import's stamp its parameters. */
static const char Q_AWARDS_STAGE[] =
    "CREATE TEMP TABLE IF NOT EXISTS stage_awards (seq BIGINT, year BIGINT, "
    "subject_id BIGINT, award TEXT, decision TEXT, decided_on TEXT, "
    "based_on TEXT) ON COMMIT DROP";
static const char Q_AWARDS_STAGE_EMPTY[] = "DELETE FROM stage_awards";
static const char Q_AWARDS_MERGE[] =
    "INSERT INTO awards (year, subject_id, award, decision, decided_on, "
    "based_on, source, imported_by, imported_at, import_file, import_sha256) "
    "SELECT DISTINCT ON (year, subject_id, award) year, subject_id, award, "
    "decision, decided_on, based_on, 'import', $1, $2, $3, $4 "
    "FROM stage_awards ORDER BY year, subject_id, award, seq DESC "
    AWARD_ON_CONFLICT;
static const char *const stage_awards_cols[] = { "seq", "year", "subject_id",
    "award", "decision", "decided_on", "based_on" };

static int
write_awards_staged(struct store *st, const struct batch *b, struct err *e)
{
	struct store_stmt *s;

	if (stage_batch(st, b, Q_AWARDS_STAGE, Q_AWARDS_STAGE_EMPTY,
	    "stage_awards", stage_awards_cols, 7, e) != 0)
		return -1;
	if ((s = store_prepare(st, Q_AWARDS_MERGE)) == NULL)
		return store_err(st, e);
	store_bind_text(s, 1, b->stamp.by);
	store_bind_text(s, 2, b->stamp.at);
	store_bind_text(s, 3, b->source);
	store_bind_opt(s, 4, b->stamp.sha256[0] ? b->stamp.sha256 : NULL);
	return store_run_err(st, s, e);
}

int
store_write_awards(struct store *st, const struct batch *b, struct err *e)
{
	if (store_backend(st) == STORE_PG && b->nrows >= STAGED_MIN)
		return write_awards_staged(st, b, e);
	for (size_t r = 0; r < b->nrows; r++) {
		struct store_stmt *s = store_prepare_err(st, Q_AWARD_UPSERT, e);

		if (s == NULL)
			return -1;
		bind_row(s, b, r, "istooo");
		store_bind_text(s, 7, b->stamp.by);
		store_bind_text(s, 8, b->stamp.at);
		store_bind_text(s, 9, b->source);
		store_bind_opt(s, 10, b->stamp.sha256[0] ? b->stamp.sha256 : NULL);
		if (store_run_err(st, s, e) != 0)
			return -1;
	}
	return 0;
}

#define AWARDS_COLS \
    "SELECT a.year, s.code, a.award, a.decision, a.decided_on, a.based_on, " \
    "a.source, a.imported_by, a.imported_at, a.import_file, a.import_sha256 "
#define AWARDS_FROM AWARDS_COLS \
    "FROM awards a JOIN subjects s ON s.id = a.subject_id "
#define AWARDS_TAIL "WHERE a.revoked = 0 ORDER BY a.year, s.code, a.award"
#define SQL_AWARDS_EXPORT AWARDS_FROM AWARDS_TAIL
static const char Q_AWARDS_EXPORT[] = SQL_AWARDS_EXPORT;

int
store_export_awards(struct store *st, int (*row)(void *, const char *const *),
    void *d, struct err *e)
{
	return export_sql(st, Q_AWARDS_EXPORT, "itttt" "t" "ttttt", row, d, e);
}

static const char Q_AWARDS_DECIDED[] =
    "SELECT a.year, s.code, a.award, COALESCE(a.decision, ''), "
    "COALESCE(a.decided_on, ''), COALESCE(a.based_on, ''), a.revoked "
    "FROM awards a JOIN subjects s ON s.id = a.subject_id "
    "WHERE a.source = 'ledger' OR a.revoked = 1";

int
store_import_awards_decided_each(struct store *st,
    int (*fn)(void *, const struct award_decided *), void *arg, struct err *e)
{
	struct store_stmt *s = store_prepare_err(st, Q_AWARDS_DECIDED, e);
	struct award_decided a;
	int rc;

	if (s == NULL)
		return -1;
	while ((rc = store_step(s)) == STORE_ROW) {
		a.year = (int)store_col_int(s, 0);
		a.subject = store_col_text(s, 1);
		a.award = store_col_text(s, 2);
		a.decision = store_col_text(s, 3);
		a.date = store_col_text(s, 4);
		a.based_on = store_col_text(s, 5);
		a.revoked = (int)store_col_int(s, 6);
		if (fn(arg, &a) != 0)
			break;
	}
	store_reset(s);
	return rc == STORE_ERR ? store_err(st, e) : 0;
}

static const char Q_DISC_UPSERT[] =
    "INSERT INTO discipline (subject_id, form, from_date, to_date) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (subject_id, form, from_date) "
    "DO UPDATE SET to_date = excluded.to_date";

static const struct upsert U_DISC = { Q_DISC_UPSERT, "stto", "stage_discipline",
    "INSERT INTO discipline (subject_id, form, from_date, to_date) "
    "SELECT c1, c2, c3, c4 FROM " STAGED_LAST("c1, c2, c3")
    "ON CONFLICT (subject_id, form, from_date) "
    "DO UPDATE SET to_date = excluded.to_date", NULL };

int
store_write_discipline(struct store *st, const struct batch *b, struct err *e)
{
	return write_upsert(st, b, &U_DISC, e);
}

#define DISC_FROM \
    "SELECT s.code, d.form, d.from_date, d.to_date FROM discipline d " \
    "JOIN subjects s ON s.id = d.subject_id "
#define DISC_TAIL "ORDER BY s.code, d.form, d.from_date"
#define SQL_DISC_EXPORT DISC_FROM DISC_TAIL
static const char Q_DISC_EXPORT[] = SQL_DISC_EXPORT;

int
store_export_discipline(struct store *st, int (*row)(void *, const char *const *),
    void *d, struct err *e)
{
	return export_sql(st, Q_DISC_EXPORT, "tttt", row, d, e);
}

void
store_import_check_discipline(struct import_ctx *c, struct store *st,
    const struct batch *b)
{
	(void)st;
	for (size_t r = 0; r < b->nrows; r++) {
		const char *to = batch_val(b, r, 3), *from = batch_val(b, r, 2);

		if (to && from && strcmp(to, from) < 0)
			import_error(c, b, r, 3, "%s", TR("ngày kết thúc trước ngày "
			    "bắt đầu", "ends before it starts"));
	}
}

/* ---- service history (issue 19) ---- */

static const char Q_SERVICE_UPSERT[] =
    "INSERT INTO service (person_id, from_date, to_date, kind, coefficient) "
    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (person_id, from_date) "
    "DO UPDATE SET to_date = excluded.to_date, kind = excluded.kind, "
    "coefficient = excluded.coefficient";

/* The coefficient a kind's months count with when the row gives none. */
static double
service_default_coef(const char *kind)
{
	return kind != NULL && strcmp(kind, "hardship") == 0 ? 2.0 : 1.0;
}

/* Row r's coefficient (the cell, else its kind's), as text. */
static const char *
service_coef(const struct batch *b, size_t r, int c, char *buf, size_t len)
{
	double coef = service_default_coef(batch_val(b, r, 3));

	if (batch_val(b, r, c) != NULL)
		parse_double(batch_val(b, r, c), &coef);
	snprintf(buf, len, "%.17g", coef);
	return buf;
}

static const struct upsert U_SERVICE = { NULL, "stotx",
    "stage_service",
    "INSERT INTO service (person_id, from_date, to_date, kind, coefficient) "
    "SELECT c1, c2, c3, c4, c5 FROM " STAGED_LAST("c1, c2")
    "ON CONFLICT (person_id, from_date) DO UPDATE SET to_date = "
    "excluded.to_date, kind = excluded.kind, coefficient = excluded.coefficient",
    service_coef };

int
store_write_service(struct store *st, const struct batch *b, struct err *e)
{
	if (store_backend(st) == STORE_PG && b->nrows >= STAGED_MIN)
		return write_staged(st, b, &U_SERVICE, e);
	for (size_t r = 0; r < b->nrows; r++) {
		struct store_stmt *s = store_prepare_err(st, Q_SERVICE_UPSERT, e);
		const char *cf = batch_val(b, r, 4);
		double coef = service_default_coef(batch_val(b, r, 3));

		if (s == NULL)
			return -1;
		if (cf != NULL)
			parse_double(cf, &coef);
		store_bind_int(s, 1, subject_id(b, batch_val(b, r, 0)));
		store_bind_text(s, 2, batch_val(b, r, 1));
		store_bind_opt(s, 3, batch_val(b, r, 2));
		store_bind_text(s, 4, batch_val(b, r, 3));
		store_bind_double(s, 5, coef);
		if (store_run_err(st, s, e) != 0)
			return -1;
	}
	return 0;
}

#define SERVICE_FROM \
    "SELECT s.code, v.from_date, v.to_date, v.kind, v.coefficient FROM service v " \
    "JOIN subjects s ON s.id = v.person_id "
#define SERVICE_TAIL "ORDER BY s.code, v.from_date"
#define SQL_SERVICE_EXPORT SERVICE_FROM SERVICE_TAIL
static const char Q_SERVICE_EXPORT[] = SQL_SERVICE_EXPORT;

int
store_export_service(struct store *st, int (*row)(void *, const char *const *),
    void *d, struct err *e)
{
	return export_sql(st, Q_SERVICE_EXPORT, "ttttn", row, d, e);
}

void
store_import_check_service(struct import_ctx *c, struct store *st,
    const struct batch *b)
{
	(void)st;
	for (size_t r = 0; r < b->nrows; r++) {
		const char *from = batch_val(b, r, 1), *to = batch_val(b, r, 2);
		const char *cf = batch_val(b, r, 4);
		double v;

		if (to && from && strcmp(to, from) < 0)
			import_error(c, b, r, 2, "%s", TR("ngày kết thúc trước ngày "
			    "bắt đầu", "ends before it starts"));
		if (cf && (parse_double(cf, &v) != 0 || v < 0 || v > 10))
			import_error(c, b, r, 4, "%s", TR("hệ số phải từ 0 đến 10",
			    "the coefficient must be between 0 and 10"));
	}
}

static const char Q_INCIDENT_UPSERT[] =
    "INSERT INTO incidents (unit_id, date, severity, description) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (unit_id, date) DO UPDATE SET "
    "severity = excluded.severity, description = excluded.description";

static const struct upsert U_INCIDENT = { Q_INCIDENT_UPSERT, "stto",
    "stage_incidents",
    "INSERT INTO incidents (unit_id, date, severity, description) "
    "SELECT c1, c2, c3, c4 FROM " STAGED_LAST("c1, c2")
    "ON CONFLICT (unit_id, date) DO UPDATE SET "
    "severity = excluded.severity, description = excluded.description",
    NULL };

int
store_write_incidents(struct store *st, const struct batch *b, struct err *e)
{
	return write_upsert(st, b, &U_INCIDENT, e);
}

#define INCIDENTS_FROM \
    "SELECT s.code, i.date, i.severity, i.description FROM incidents i " \
    "JOIN subjects s ON s.id = i.unit_id "
#define INCIDENTS_TAIL "ORDER BY s.code, i.date"
#define SQL_INCIDENTS_EXPORT INCIDENTS_FROM INCIDENTS_TAIL
static const char Q_INCIDENTS_EXPORT[] = SQL_INCIDENTS_EXPORT;

int
store_export_incidents(struct store *st, int (*row)(void *, const char *const *),
    void *d, struct err *e)
{
	return export_sql(st, Q_INCIDENTS_EXPORT, "tttt", row, d, e);
}

static const char Q_INDICATOR_UPSERT[] =
    "INSERT INTO indicators (year, unit_id, indicator, value) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (year, unit_id, indicator) "
    "DO UPDATE SET value = excluded.value";

static const struct upsert U_INDICATOR = { Q_INDICATOR_UPSERT, "istn",
    "stage_indicators",
    "INSERT INTO indicators (year, unit_id, indicator, value) "
    "SELECT c1, c2, c3, c4 FROM " STAGED_LAST("c1, c2, c3")
    "ON CONFLICT (year, unit_id, indicator) DO UPDATE SET "
    "value = excluded.value", NULL };

int
store_write_indicators(struct store *st, const struct batch *b, struct err *e)
{
	return write_upsert(st, b, &U_INDICATOR, e);
}

static const char Q_INDICATORS_EXPORT[] =
    "SELECT i.year, s.code, i.indicator, i.value FROM indicators i "
    "JOIN subjects s ON s.id = i.unit_id ORDER BY i.year, s.code, i.indicator";

int
store_export_indicators(struct store *st, int (*row)(void *, const char *const *),
    void *d, struct err *e)
{
	return export_sql(st, Q_INDICATORS_EXPORT, "ittn", row, d, e);
}

/* ---- innovations ---- */

static const char Q_INNOV_UPSERT[] =
    "INSERT INTO innovations (code, kind, title, year, level, benefit) "
    "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO UPDATE SET "
    "kind = excluded.kind, title = excluded.title, year = excluded.year, "
    "level = excluded.level, benefit = excluded.benefit RETURNING id";
static const char Q_AUTHORS_DEL[] =
    "DELETE FROM innovation_authors WHERE innovation_id = $1";
static const char Q_AUTHOR_INS[] =
    "INSERT INTO innovation_authors (innovation_id, person_id, pos) "
    "VALUES ($1, $2, $3) ON CONFLICT (innovation_id, person_id) DO NOTHING";

/*
 * On PostgreSQL a batch of STAGED_MIN innovations or more is written by
 * four statements, not two round trips an innovation and one an author
 * (20,000 innovations of two authors took 9 s): the innovations merged as
 * write_staged merges (the last row of a code wins, new ids in the order
 * codes first appear), then the authors of every innovation named
 * replaced by those of its last row, each person once, in their order.
 */
static const struct upsert U_INNOV = { NULL, "tttit-I",
    "stage_innovations",
    "INSERT INTO innovations (code, kind, title, year, level, benefit) "
    "SELECT c1, c2, c3, c4, c5, c7 FROM " STAGED_LAST("c1")
    "ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, "
    "title = excluded.title, year = excluded.year, level = excluded.level, "
    "benefit = excluded.benefit", NULL };
static const char Q_AUTHORS_STAGE[] =
    "CREATE TEMP TABLE IF NOT EXISTS stage_authors (seq BIGINT, "
    "person_id BIGINT, pos BIGINT) ON COMMIT DROP";
static const char Q_AUTHORS_STAGE_EMPTY[] = "DELETE FROM stage_authors";
static const char *const stage_authors_cols[] = { "seq", "person_id", "pos" };
static const char Q_AUTHORS_DEL_STAGED[] =
    "DELETE FROM innovation_authors a USING innovations i "
    "WHERE a.innovation_id = i.id AND i.code IN "
    "(SELECT c1 FROM stage_innovations)";
static const char Q_AUTHORS_INS_STAGED[] =
    "INSERT INTO innovation_authors (innovation_id, person_id, pos) "
    "SELECT i.id, a.person_id, a.pos FROM stage_authors a "
    "JOIN (SELECT c1, MAX(seq) AS seq FROM stage_innovations GROUP BY c1) l "
    "ON l.seq = a.seq JOIN innovations i ON i.code = l.c1 "
    "ORDER BY a.seq, a.pos ON CONFLICT (innovation_id, person_id) DO NOTHING";

static int
write_innovations_staged(struct store *st, const struct batch *b,
    struct err *e)
{
	struct store_bulk *bk;

	if (write_staged(st, b, &U_INNOV, e) != 0)
		return -1;
	if (store_exec(st, Q_AUTHORS_STAGE) != 0 ||
	    store_exec(st, Q_AUTHORS_STAGE_EMPTY) != 0 ||
	    (bk = store_bulk_begin(st, "stage_authors", stage_authors_cols, 3)) == NULL)
		return store_err(st, e);
	for (size_t r = 0; r < b->nrows; r++) {
		char buf[1024], *p, *save = NULL, seq[24], pid[24], pos[24];
		const char *v[3] = { seq, pid, pos };
		int k = 0;

		snprintf(seq, sizeof seq, "%zu", r);
		snprintf(buf, sizeof buf, "%s", batch_val(b, r, 5));
		for (p = strtok_r(buf, ";", &save); p; p = strtok_r(NULL, ";", &save)) {
			snprintf(pid, sizeof pid, "%lld", (long long)subject_id(b, p));
			snprintf(pos, sizeof pos, "%d", k++);
			if (store_bulk_row(bk, v) != 0) {
				store_bulk_end(bk);
				return store_err(st, e);
			}
		}
	}
	if (store_bulk_end(bk) != 0 || store_exec(st, Q_AUTHORS_DEL_STAGED) != 0 ||
	    store_exec(st, Q_AUTHORS_INS_STAGED) != 0)
		return store_err(st, e);
	return 0;
}

int
store_write_innovations(struct store *st, const struct batch *b, struct err *e)
{
	if (store_backend(st) == STORE_PG && b->nrows >= STAGED_MIN)
		return write_innovations_staged(st, b, e);
	for (size_t r = 0; r < b->nrows; r++) {
		struct store_stmt *s = store_prepare_err(st, Q_INNOV_UPSERT, e);
		char buf[1024], *p, *save = NULL;
		int64_t id;
		int pos = 0;

		if (s == NULL)
			return -1;
		store_bind_text(s, 1, batch_val(b, r, 0));
		store_bind_text(s, 2, batch_val(b, r, 1));
		store_bind_text(s, 3, batch_val(b, r, 2));
		store_bind_int(s, 4, ival(batch_val(b, r, 3), 0));
		store_bind_text(s, 5, batch_val(b, r, 4));
		bind_int_or_null(s, 6, batch_val(b, r, 6));
		if (store_step(s) != STORE_ROW) {
			store_reset(s);
			return store_err(st, e);
		}
		id = store_col_int(s, 0);
		store_reset(s);
		if ((s = store_prepare_err(st, Q_AUTHORS_DEL, e)) == NULL)
			return -1;
		store_bind_int(s, 1, id);
		if (store_run_err(st, s, e) != 0)
			return -1;
		snprintf(buf, sizeof buf, "%s", batch_val(b, r, 5));
		for (p = strtok_r(buf, ";", &save); p; p = strtok_r(NULL, ";", &save)) {
			if ((s = store_prepare_err(st, Q_AUTHOR_INS, e)) == NULL)
				return -1;
			store_bind_int(s, 1, id);
			store_bind_int(s, 2, subject_id(b, p));
			store_bind_int(s, 3, pos++);
			if (store_run_err(st, s, e) != 0)
				return -1;
		}
	}
	return 0;
}

#define INNOV_FROM_SQLITE \
    "SELECT i.code, i.kind, i.title, i.year, i.level, " \
    "(SELECT group_concat(code, ';') FROM (SELECT s.code AS code FROM " \
    "innovation_authors a JOIN subjects s ON s.id = a.person_id " \
    "WHERE a.innovation_id = i.id ORDER BY a.pos)), i.benefit " \
    "FROM innovations i "
#define INNOV_FROM_PG \
    "SELECT i.code, i.kind, i.title, i.year, i.level, " \
    "(SELECT string_agg(s.code, ';' ORDER BY a.pos) FROM " \
    "innovation_authors a JOIN subjects s ON s.id = a.person_id " \
    "WHERE a.innovation_id = i.id), i.benefit " \
    "FROM innovations i "
#define INNOV_TAIL "ORDER BY i.code"
#define SQL_INNOV_EXPORT_SQLITE INNOV_FROM_SQLITE INNOV_TAIL
static const char Q_INNOV_EXPORT_SQLITE[] = SQL_INNOV_EXPORT_SQLITE;
#define SQL_INNOV_EXPORT_PG INNOV_FROM_PG INNOV_TAIL
static const char Q_INNOV_EXPORT_PG[] = SQL_INNOV_EXPORT_PG;

int
store_export_innovations(struct store *st, int (*row)(void *, const char *const *),
    void *d, struct err *e)
{
	return export_sql(st, store_backend(st) == STORE_PG ? Q_INNOV_EXPORT_PG :
	    Q_INNOV_EXPORT_SQLITE, "tttitti", row, d, e);
}

/* ---- records: metrics resolved once, ids bound directly ---- */

static const char Q_METRIC_INS[] =
    "INSERT INTO metrics (code) VALUES ($1) ON CONFLICT (code) DO NOTHING";
static const char Q_METRICS[] = "SELECT code, id FROM metrics";
static const char Q_RECORD_UPSERT[] =
    "INSERT INTO records (subject_id, metric_id, day, value) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (subject_id, metric_id, day) "
    "DO UPDATE SET value = excluded.value";
static const char Q_RECORDS_MERGE_UNIQUE[] =
    "INSERT INTO records (subject_id, metric_id, day, value) "
    "SELECT subject_id, metric_id, day, value FROM stage_records "
    "ON CONFLICT (subject_id, metric_id, day) DO UPDATE SET value = excluded.value";
static const char Q_RECORDS_MERGE[] =
    "INSERT INTO records (subject_id, metric_id, day, value) "
    "SELECT DISTINCT ON (subject_id, metric_id, day) subject_id, metric_id, "
    "day, value FROM stage_records ORDER BY subject_id, metric_id, day, seq DESC "
    "ON CONFLICT (subject_id, metric_id, day) DO UPDATE SET value = excluded.value";

#define RECORDS_CHUNK 64

/* The multi-row form of Q_RECORD_UPSERT, built once (stable address). */
static const char *
records_chunk_sql(void)
{
	static char sql[RECORDS_CHUNK * 40 + 256];

	if (sql[0] == '\0') {
		size_t n = (size_t)snprintf(sql, sizeof sql, "INSERT INTO records "
		    "(subject_id, metric_id, day, value) VALUES ");
		for (int k = 0; k < RECORDS_CHUNK; k++)
			n += (size_t)snprintf(sql + n, sizeof sql - n,
			    "%s($%d, $%d, $%d, $%d)", k ? ", " : "", 4 * k + 1,
			    4 * k + 2, 4 * k + 3, 4 * k + 4);
		snprintf(sql + n, sizeof sql - n, " ON CONFLICT (subject_id, "
		    "metric_id, day) DO UPDATE SET value = excluded.value");
	}
	return sql;
}

static int
metric_ids(struct store *st, const struct batch *b, int col, struct codemap *m,
    struct err *e)
{
	struct codemap seen;

	codemap_init(&seen);
	for (size_t r = 0; r < b->nrows; r++) {
		const char *code = batch_val(b, r, col);
		struct store_stmt *s;

		if (codemap_get(&seen, code, NULL, NULL))
			continue;
		codemap_put(&seen, code, 0, 0);
		if ((s = store_prepare_err(st, Q_METRIC_INS, e)) == NULL || (store_bind_text(s,
		    1, code), store_run_err(st, s, e)) != 0) {
			codemap_free(&seen);
			return -1;
		}
	}
	codemap_free(&seen);
	return load_map(st, Q_METRICS, m, e);
}

static void *records_stream_begin(struct store *, const struct batch *,
    struct err *);
static int records_stream_rows(void *, size_t, size_t, struct err *);
static int records_stream_end(void *, int, struct err *);

/*
 * SQLite: a big write with a log's triggers off (store-int.h). The logs
 * let a columnar copy be brought up to date (docs/movements.md); a write
 * that makes the copy again anyway gains nothing from a log row per row
 * written (a million for a million-row file). Within the import's
 * transaction, so all or nothing with it: the triggers are dropped, the
 * rows written, the triggers made again from the text sqlite_master held,
 * and the log emptied down to one row of a new tag at its last seq (as
 * the store's trims do), so that any copy is made again whole. Writes of
 * fewer than QUIET_MIN rows keep the triggers (a schema change makes every
 * other connection prepare its statements again).
 *
 * records: a load into an empty table (a deployment's first import of its
 * history; bench import-records-sqlite): a copy of an empty table has
 * nothing to bring up to date. targets: a write naming more subjects than
 * a movement's copy is brought up to date with (movement-eval.c: 4,096;
 * counted as the (movement, subject) pairs that change from row to row).
 */
#define QUIET_MIN	4096

const struct store_quiet_kind store_quiet_records = {
	"records_log",
	"SELECT NOT EXISTS (SELECT 1 FROM records)",
	"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND "
	"tbl_name = 'records' AND substr(name, 1, 12) = 'records_log_' "
	"ORDER BY name",
	/* the last row kept, of a new tag: no copy's stamp matches it now */
	"UPDATE records_log SET tag = random() "
	"WHERE seq = (SELECT MAX(seq) FROM records_log)",
	"DELETE FROM records_log WHERE seq < (SELECT MAX(seq) FROM records_log)",
};

const struct store_quiet_kind store_quiet_targets = {
	"targets_log",
	NULL,
	"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND "
	"tbl_name = 'targets' AND substr(name, 1, 12) = 'targets_log_' "
	"ORDER BY name",
	"UPDATE targets_log SET tag = random() "
	"WHERE seq = (SELECT MAX(seq) FROM targets_log)",
	"DELETE FROM targets_log WHERE seq < (SELECT MAX(seq) FROM targets_log)",
};

void
store_quiet_free(struct store_quiet *q)
{
	for (int i = 0; i < q->n; i++) {
		free(q->name[i]);
		free(q->sql[i]);
	}
	q->n = 0;
}

int
store_quiet_begin(struct store *st, const struct store_quiet_kind *k,
    size_t nrows, struct store_quiet *q, struct err *e)
{
	struct store_stmt *s;
	int none = 1, rc;

	q->n = 0;
	if (store_backend(st) != STORE_SQLITE || nrows < QUIET_MIN ||
	    !store_table_exists(st, k->log))
		return 0;
	if (k->none != NULL) {
		if ((s = store_prepare_err(st, k->none, e)) == NULL)
			return -1;
		if ((rc = store_step(s)) == STORE_ROW)
			none = store_col_int(s, 0) != 0;
		store_reset(s);
		if (rc == STORE_ERR)
			return store_err(st, e);
	}
	if (!none)
		return 0;
	if ((s = store_prepare_err(st, k->triggers, e)) == NULL)
		return -1;
	while ((rc = store_step(s)) == STORE_ROW && q->n < STORE_QUIET_MAX) {
		q->name[q->n] = xstrdup(store_col_text(s, 0));
		q->sql[q->n++] = xstrdup(store_col_text(s, 1));
	}
	store_reset(s);
	if (rc == STORE_ERR) {
		store_quiet_free(q);
		return store_err(st, e);
	}
	for (int i = 0; i < q->n; i++) {
		char drop[160];

		snprintf(drop, sizeof drop, "DROP TRIGGER \"%s\"", q->name[i]);
		if (store_exec(st, drop) != 0) {
			store_quiet_free(q);
			return store_err(st, e);
		}
	}
	return 0;
}

int
store_quiet_end(struct store *st, const struct store_quiet_kind *k,
    struct store_quiet *q, struct err *e)
{
	int rc = 0;

	for (int i = 0; i < q->n && rc == 0; i++)
		if (store_exec(st, q->sql[i]) != 0)
			rc = store_err(st, e);
	if (rc == 0 && q->n > 0 && (store_exec(st, k->retag) != 0 ||
	    store_exec(st, k->cut) != 0))
		rc = store_err(st, e);
	store_quiet_free(q);
	return rc;
}

int
store_write_records(struct store *st, const struct batch *b, struct err *e)
{
	struct codemap metrics;
	struct store_quiet quiet = { .n = 0 };
	int rc = -1;

	if (store_backend(st) == STORE_PG) {
		/* the whole batch through the streaming writer, as one run */
		void *w = records_stream_begin(st, b, e);

		if (w == NULL)
			return -1;
		if (records_stream_rows(w, 0, b->nrows, e) != 0) {
			records_stream_end(w, 0, e);
			return -1;
		}
		return records_stream_end(w, 1, e);
	}
	codemap_init(&metrics);
	if (metric_ids(st, b, 1, &metrics, e) != 0 ||
	    store_quiet_begin(st, &store_quiet_records, b->nrows, &quiet, e) != 0)
		goto out;
	/*
	 * SQLite: RECORDS_CHUNK rows per statement (rows of one statement
	 * are applied in order, so a repeated key updates like a re-import),
	 * then one row per statement for the rest.
	 */
	for (size_t r = 0; r < b->nrows;) {
		int chunk = b->nrows - r >= RECORDS_CHUNK ? RECORDS_CHUNK : 1;
		struct store_stmt *s = store_prepare_err(st, chunk > 1 ? records_chunk_sql() :
		    Q_RECORD_UPSERT, e);

		if (s == NULL)
			goto out;
		for (int k = 0; k < chunk; k++, r++) {
			int64_t mid = 0;
			int32_t day = 0;
			double v = 0;

			codemap_get(&metrics, batch_val(b, r, 1), &mid, NULL);
			date_parse(batch_val(b, r, 2), &day);
			parse_double(batch_val(b, r, 3), &v);
			store_bind_int(s, 4 * k + 1, subject_id(b, batch_val(b, r, 0)));
			store_bind_int(s, 4 * k + 2, mid);
			store_bind_int(s, 4 * k + 3, day);
			store_bind_double(s, 4 * k + 4, v);
		}
		if (store_run_err(st, s, e) != 0)
			goto out;
	}
	rc = store_quiet_end(st, &store_quiet_records, &quiet, e);
out:
	store_quiet_free(&quiet);
	codemap_free(&metrics);
	return rc;
}

/* ---- records on PostgreSQL: binary COPY while the rows are checked ---- */

/*
 * One (subject, metric) pair of the import: the days it already has in
 * the database (lo..hi; none when lo > hi) and the last day sent straight
 * to the table. A row goes straight into records by binary COPY when its
 * day is outside lo..hi (no stored row has its key) and after `last` (no
 * earlier row of this import has it: the usual, date-ordered file); any
 * other row goes to the staging table, merged at the end by one
 * INSERT … ON CONFLICT in which the file's later row wins, as in a
 * re-import. The importer hands the rows over a run at a time: a run
 * with pairs or metrics not seen yet ends the COPY, asks the pairs'
 * stored days (two index probes a pair) and adds the metrics, then
 * starts the next COPY.
 *
 * One savepoint, taken before the first write: a key another writer
 * stored since its pair's days were read (or that an earlier write of the
 * caller's transaction holds) fails a COPY; then everything written is
 * undone back to it, the metrics are added again and every row, those
 * handed over so far and the rest, goes through the staging table. (One
 * savepoint, not one a COPY: a transaction with more than 64
 * subtransactions slows every other session's snapshots.)
 *
 * A load into an empty table (the first import of a deployment's
 * history) of at least RECORDS_REBUILD_MIN rows in its first run builds
 * the key once instead: records locked (NOWAIT: a session reading it
 * keeps the path above), found empty, its key dropped, every row sent by
 * one COPY with no stored days to ask, and the key built again from the
 * sorted rows before the staged ones are merged. Inserting a million rows
 * into the key one by one costs the server about 0.65 s of its 1.0 s;
 * building it once costs about 0.3 s (Q_RECORDS_SORT_MEM). Readers
 * of records wait for the import's commit meanwhile (the table they would
 * read is empty); a failed build, like any failure, undoes it all.
 */
struct rpair {
	int64_t	 sid, mid;
	int64_t	 lo, hi, last;
};

struct rstream {
	struct store		*st;
	const struct batch	*b;
	struct codemap		 metrics;	/* code → metric id */
	struct rpair		*pairs;		/* open addressing; sid 0 = empty */
	size_t			 cap, n;
	/* the previous row's codes and pair (files come grouped); reset
	 * at each run, as the batch's values may have moved */
	const char		*csub, *cmet;
	int64_t			 csid, cmid;
	struct rpair		*cur;
	struct store_bulk	*direct;	/* the open COPY into records */
	size_t			 done;		/* rows handed over and placed */
	int			 staging_only;	/* a COPY met a stored key */
	int			 rebuild;	/* the key dropped: built at end */
	int			 started;	/* the first run was handed over */
	union store_cell	*staged;	/* 5 cells a row: staging_cols */
	size_t			 nstaged, capstaged;
};

static const char Q_RECORDS_SAVE[] = "SAVEPOINT records_copy";
static const char Q_RECORDS_KEEP[] = "RELEASE SAVEPOINT records_copy";
static const char Q_RECORDS_UNDO[] = "ROLLBACK TO SAVEPOINT records_copy";
/* The empty-table load (above): rows of a first run that make it pay. */
#define RECORDS_REBUILD_MIN 10000
static const char Q_RECORDS_EMPTY[] =
    "SELECT NOT EXISTS (SELECT 1 FROM records)";
static const char Q_RECORDS_LOCK[] =
    "LOCK TABLE records IN ACCESS EXCLUSIVE MODE NOWAIT";
static const char Q_RECORDS_DROP_KEY[] =
    "ALTER TABLE records DROP CONSTRAINT records_pkey";
/*
 * Room to sort the key in memory (about 80 bytes a row; $1 rows), never
 * less than the session's, and no parallel workers, for the rest of the
 * transaction: rows copied in a file's usual order come presorted, which
 * one process sorts almost for free, while workers each write their part
 * to temporary files for the leader to merge (1M rows: 0.31 s of CPU
 * alone, 0.42-0.47 s with two workers, and no sooner on two cores).
 */
static const char Q_RECORDS_SORT_MEM[] =
    "SELECT set_config('maintenance_work_mem', GREATEST(pg_size_bytes("
    "current_setting('maintenance_work_mem')) / 1024, LEAST($1::bigint / 8, "
    "1048576))::text || 'kB', true), "
    "set_config('max_parallel_maintenance_workers', '0', true)";
static const char Q_RECORDS_ADD_KEY[] =
    "ALTER TABLE records ADD CONSTRAINT records_pkey "
    "PRIMARY KEY (subject_id, metric_id, day)";
/* The stored days of each pair: two index probes. */
static const char Q_RECORDS_RANGES[] =
    "SELECT p.s, p.m, (SELECT min(day) FROM records r WHERE r.subject_id = "
    "p.s AND r.metric_id = p.m), (SELECT max(day) FROM records r WHERE "
    "r.subject_id = p.s AND r.metric_id = p.m) "
    "FROM unnest($1::bigint[], $2::bigint[]) AS p(s, m)";
static const char Q_RECORDS_STAGE_BIN[] =
    "CREATE TEMP TABLE stage_records (seq BIGINT, subject_id BIGINT, "
    "metric_id BIGINT, day BIGINT, value DOUBLE PRECISION) ON COMMIT DROP";
static const char *const direct_cols[] = { "subject_id", "metric_id", "day",
    "value" };
static const char *const staging_cols[] = { "seq", "subject_id", "metric_id",
    "day", "value" };

static size_t
rpair_slot(const struct rpair *t, size_t cap, int64_t sid, int64_t mid)
{
	uint64_t h = ((uint64_t)sid * 0x9E3779B97F4A7C15u) ^
	    ((uint64_t)mid * 0xC2B2AE3D27D4EB4Fu);
	size_t i = (size_t)(h >> 17) & (cap - 1);

	while (t[i].sid != 0 && (t[i].sid != sid || t[i].mid != mid))
		i = (i + 1) & (cap - 1);
	return i;
}

/* The pair's entry, or NULL when absent (*fresh: added, days unknown). */
static struct rpair *
rpair_get(struct rstream *w, int64_t sid, int64_t mid, int *fresh)
{
	size_t i;

	if (2 * (w->n + 1) > w->cap) {
		struct rpair *old = w->pairs;
		size_t oldcap = w->cap;

		w->cap = w->cap ? 2 * w->cap : 256;
		w->pairs = xcalloc(w->cap, sizeof *w->pairs);
		for (size_t k = 0; k < oldcap; k++)
			if (old[k].sid != 0)
				w->pairs[rpair_slot(w->pairs, w->cap, old[k].sid,
				    old[k].mid)] = old[k];
		free(old);
		w->cur = NULL;
	}
	i = rpair_slot(w->pairs, w->cap, sid, mid);
	if (w->pairs[i].sid == 0) {
		w->pairs[i] = (struct rpair){ sid, mid, INT64_MAX, INT64_MIN,
		    INT64_MIN };
		w->n++;
		*fresh = 1;
	}
	return &w->pairs[i];
}

/* Row r's subject and metric ids (0 when unknown). */
static void
rstream_ids(struct rstream *w, size_t r, int64_t *sid, int64_t *mid)
{
	const char *s = batch_val(w->b, r, 0), *m = batch_val(w->b, r, 1);

	if (w->csub == NULL || strcmp(s, w->csub) != 0) {
		w->csid = 0;
		codemap_get(&w->b->refs->subjects, s, &w->csid, NULL);
		w->csub = s;
		w->cur = NULL;
	}
	if (w->cmet == NULL || strcmp(m, w->cmet) != 0) {
		w->cmid = 0;
		codemap_get(&w->metrics, m, &w->cmid, NULL);
		w->cmet = m;
		w->cur = NULL;
	}
	*sid = w->csid;
	*mid = w->cmid;
}

static void
rstream_forget(struct rstream *w)
{
	w->csub = w->cmet = NULL;
	w->cur = NULL;
}

static void
stage(struct rstream *w, size_t r, int64_t sid, int64_t mid, int64_t day,
    double v)
{
	union store_cell *c;

	grow(&w->staged, &w->capstaged, 5 * (w->nstaged + 1), sizeof *w->staged);
	c = &w->staged[5 * w->nstaged++];
	c[0].i = (int64_t)r;
	c[1].i = sid;
	c[2].i = mid;
	c[3].i = day;
	c[4].n = v;
}

/* A date the importer checked (YYYY-MM-DD, a real day) as a day number:
 * only its digits are read again. */
static int32_t
checked_day(const char *v)
{
	if (v == NULL || strlen(v) != 10)
		return 0;
	return date_from_ymd((v[0] - '0') * 1000 + (v[1] - '0') * 100 +
	    (v[2] - '0') * 10 + (v[3] - '0'), (v[5] - '0') * 10 + (v[6] - '0'),
	    (v[8] - '0') * 10 + (v[9] - '0'));
}

/* Row r's cells (its values checked): subject, metric, day, value. */
static void
row_cells(struct rstream *w, size_t r, union store_cell c[4])
{
	rstream_ids(w, r, &c[0].i, &c[1].i);
	c[2].i = checked_day(batch_val(w->b, r, 2));
	c[3].n = 0;
	parse_double(batch_val(w->b, r, 3), &c[3].n);
}

static int add_metrics(struct rstream *, size_t, size_t, int *, struct err *);

/*
 * End the open COPY. A key met: back to the savepoint, the metrics added
 * again, every row placed so far into the staging table.
 */
static int
copy_finish(struct rstream *w, struct err *e)
{
	int rc, added;

	if (w->direct == NULL)
		return 0;
	rc = store_bulk_end(w->direct);
	w->direct = NULL;
	if (rc == 0)
		return 0;
	if (rc != STORE_CONSTRAINT || store_exec(w->st, Q_RECORDS_UNDO) != 0)
		return store_err(w->st, e);
	w->staging_only = 1;
	w->rebuild = 0;		/* the key is back with the savepoint */
	w->nstaged = 0;
	codemap_free(&w->metrics);
	codemap_init(&w->metrics);
	if (load_map(w->st, Q_METRICS, &w->metrics, e) != 0 ||
	    add_metrics(w, 0, w->done, &added, e) != 0)
		return -1;
	rstream_forget(w);
	for (size_t r = 0; r < w->done; r++) {
		union store_cell c[4];

		row_cells(w, r, c);
		stage(w, r, c[0].i, c[1].i, c[2].i, c[3].n);
	}
	rstream_forget(w);
	return 0;
}

/* Metric codes of rows from..to not yet stored: added, the map reloaded. */
static int
add_metrics(struct rstream *w, size_t from, size_t to, int *added,
    struct err *e)
{
	const char *prev = NULL;

	*added = 0;
	for (size_t r = from; r < to; r++) {
		const char *code = batch_val(w->b, r, 1);
		struct store_stmt *s;

		if (prev && strcmp(prev, code) == 0)
			continue;
		prev = code;
		if (codemap_get(&w->metrics, code, NULL, NULL))
			continue;
		if (!*added && copy_finish(w, e) != 0)
			return -1;
		*added = 1;
		if ((s = store_prepare_err(w->st, Q_METRIC_INS, e)) == NULL)
			return -1;
		store_bind_text(s, 1, code);
		if (store_run_err(w->st, s, e) != 0)
			return -1;
		codemap_put(&w->metrics, code, 0, 0);	/* (asked once) */
	}
	return *added ? load_map(w->st, Q_METRICS, &w->metrics, e) : 0;
}

/* The stored days of the pairs rows from..to bring. */
static int
add_pairs(struct rstream *w, size_t from, size_t to, struct err *e)
{
	struct store_stmt *s;
	struct sb sids, mids;
	int rc;

	if (w->staging_only || w->rebuild)
		return 0;	/* (rebuild: nothing stored but this import's) */
	sb_init(&sids);
	sb_init(&mids);
	rstream_forget(w);
	for (size_t r = from; r < to; r++) {
		int64_t sid, mid;
		int fresh = 0;

		rstream_ids(w, r, &sid, &mid);
		if (w->cur != NULL)
			continue;
		w->cur = rpair_get(w, sid, mid, &fresh);
		if (fresh) {
			sb_printf(&sids, "%c%lld", sids.len ? ',' : '{',
			    (long long)sid);
			sb_printf(&mids, "%c%lld", mids.len ? ',' : '{',
			    (long long)mid);
		}
	}
	rstream_forget(w);
	if (sids.len == 0) {
		sb_free(&sids);
		sb_free(&mids);
		return 0;
	}
	sb_putc(&sids, '}');
	sb_putc(&mids, '}');
	if (copy_finish(w, e) != 0 ||
	    (s = store_prepare_err(w->st, Q_RECORDS_RANGES, e)) == NULL) {
		sb_free(&sids);
		sb_free(&mids);
		return -1;
	}
	store_bind_text(s, 1, sids.s);
	store_bind_text(s, 2, mids.s);
	while ((rc = store_step(s)) == STORE_ROW) {
		struct rpair *p;

		if (store_col_isnull(s, 2))
			continue;
		p = &w->pairs[rpair_slot(w->pairs, w->cap, store_col_int(s, 0),
		    store_col_int(s, 1))];
		p->lo = store_col_int(s, 2);
		p->hi = store_col_int(s, 3);
	}
	store_reset(s);
	sb_free(&sids);
	sb_free(&mids);
	return rc == STORE_DONE ? 0 : store_err(w->st, e);
}

static void
rstream_free(struct rstream *w)
{
	if (w->direct)
		store_bulk_abort(w->direct);
	codemap_free(&w->metrics);
	free(w->pairs);
	free(w->staged);
	free(w);
}

static int
records_stream_wants(struct store *st)
{
	return store_backend(st) == STORE_PG;
}

static void *
records_stream_begin(struct store *st, const struct batch *b, struct err *e)
{
	struct rstream *w = xcalloc(1, sizeof *w);

	w->st = st;
	w->b = b;
	codemap_init(&w->metrics);
	if (store_exec(st, Q_RECORDS_SAVE) != 0) {
		store_err(st, e);
		rstream_free(w);
		return NULL;
	}
	if (load_map(st, Q_METRICS, &w->metrics, e) != 0) {
		rstream_free(w);
		return NULL;
	}
	return w;
}

/*
 * The empty-table load (above), when the first run is big enough: 0 with
 * w->rebuild set or not, -1 on a failure of the transaction. Nothing is
 * written yet: a refusal goes back to the savepoint, lock included.
 */
static int
try_rebuild(struct rstream *w, size_t rows, struct err *e)
{
	int empty;

	if (rows < RECORDS_REBUILD_MIN)
		return 0;
	if ((empty = ask_true(w->st, Q_RECORDS_EMPTY, e)) <= 0)
		return empty;	/* stored rows: the key stays */
	if (store_exec(w->st, Q_RECORDS_LOCK) != 0 ||
	    (empty = ask_true(w->st, Q_RECORDS_EMPTY, e)) <= 0 ||
	    store_exec(w->st, Q_RECORDS_DROP_KEY) != 0) {
		/* busy, filled meanwhile, or not ours to alter */
		err_clear(e);
		return store_exec(w->st, Q_RECORDS_UNDO) != 0 ?
		    store_err(w->st, e) : 0;
	}
	w->rebuild = 1;
	return 0;
}

static int
records_stream_rows(void *arg, size_t from, size_t to, struct err *e)
{
	struct rstream *w = arg;
	int added;

	rstream_forget(w);
	if (!w->started) {
		w->started = 1;
		if (!w->staging_only && try_rebuild(w, to - from, e) != 0)
			return -1;
	}
	if (add_metrics(w, from, to, &added, e) != 0 ||
	    add_pairs(w, from, to, e) != 0)
		return -1;
	if (w->direct == NULL && !w->staging_only && (w->direct =
	    store_bulk_begin_typed(w->st, "records", direct_cols, "iiin",
	    4)) == NULL)
		return store_err(w->st, e);
	for (size_t r = from; r < to; r++) {
		union store_cell c[4];
		struct rpair *p;
		int fresh = 0;

		row_cells(w, r, c);
		if (w->staging_only) {
			stage(w, r, c[0].i, c[1].i, c[2].i, c[3].n);
			continue;
		}
		if (w->cur == NULL)
			w->cur = rpair_get(w, c[0].i, c[1].i, &fresh);
		p = w->cur;
		if (c[2].i > p->last && (c[2].i < p->lo || c[2].i > p->hi)) {
			p->last = c[2].i;
			if (store_bulk_cells(w->direct, c) != 0)
				return store_err(w->st, e);
		} else
			stage(w, r, c[0].i, c[1].i, c[2].i, c[3].n);
	}
	w->done = to;
	return 0;
}

/* True when no two staged rows share a key (then no DISTINCT ON sort). */
static int
staged_unique(const struct rstream *w)
{
	struct rpair *set;
	size_t cap = 16, i;
	int unique = 1;

	while (cap < 2 * w->nstaged)
		cap *= 2;
	set = xcalloc(cap, sizeof *set);
	for (size_t k = 0; k < w->nstaged && unique; k++) {
		const union store_cell *c = &w->staged[5 * k];
		uint64_t h = ((uint64_t)c[1].i * 0x9E3779B97F4A7C15u) ^
		    ((uint64_t)c[2].i * 0xC2B2AE3D27D4EB4Fu) ^
		    ((uint64_t)c[3].i * 0x165667B19E3779F9u);

		for (i = (size_t)(h >> 17) & (cap - 1); set[i].sid != 0;
		    i = (i + 1) & (cap - 1))
			if (set[i].sid == c[1].i && set[i].mid == c[2].i &&
			    set[i].lo == c[3].i) {
				unique = 0;
				break;
			}
		set[i] = (struct rpair){ c[1].i, c[2].i, c[3].i, 0, 0 };
	}
	free(set);
	return unique;
}

/* The staged rows: COPY into the staging table, one merge. */
static int
merge_staged(struct rstream *w, struct err *e)
{
	struct store_bulk *bk;

	if (w->nstaged == 0)
		return 0;
	if (store_exec(w->st, Q_RECORDS_STAGE_BIN) != 0 ||
	    (bk = store_bulk_begin_typed(w->st, "stage_records", staging_cols,
	    "iiiin", 5)) == NULL)
		return store_err(w->st, e);
	for (size_t k = 0; k < w->nstaged; k++)
		if (store_bulk_cells(bk, &w->staged[5 * k]) != 0) {
			store_bulk_abort(bk);
			return store_err(w->st, e);
		}
	if (store_bulk_end(bk) != 0 || store_exec(w->st, staged_unique(w) ?
	    Q_RECORDS_MERGE_UNIQUE : Q_RECORDS_MERGE) != 0)
		return store_err(w->st, e);
	return 0;
}

/* The key dropped by try_rebuild, built again from the rows copied. */
static int
build_key(struct rstream *w, struct err *e)
{
	struct store_stmt *s;

	if (!w->rebuild)
		return 0;
	if ((s = store_prepare_err(w->st, Q_RECORDS_SORT_MEM, e)) == NULL)
		return -1;
	store_bind_int(s, 1, (int64_t)w->done);
	if (store_step(s) != STORE_ROW) {
		store_reset(s);
		return store_err(w->st, e);
	}
	store_reset(s);
	if (store_exec(w->st, Q_RECORDS_ADD_KEY) != 0)
		return store_err(w->st, e);
	w->rebuild = 0;
	return 0;
}

static int
records_stream_end(void *arg, int ok, struct err *e)
{
	struct rstream *w = arg;
	int rc = -1;

	if (ok && copy_finish(w, e) == 0 && build_key(w, e) == 0 &&
	    merge_staged(w, e) == 0)
		rc = store_exec(w->st, Q_RECORDS_KEEP) != 0 ?
		    store_err(w->st, e) : 0;
	rstream_free(w);
	return rc;
}

const struct kind_stream store_records_stream = {
	.wants = records_stream_wants,
	.begin = records_stream_begin,
	.rows = records_stream_rows,
	.end = records_stream_end,
};

static const char Q_RECORDS_EXPORT[] =
    "SELECT s.code, m.code, r.day, r.value FROM records r "
    "JOIN subjects s ON s.id = r.subject_id JOIN metrics m ON m.id = r.metric_id "
    "ORDER BY s.code, m.code, r.day";

int
store_export_records(struct store *st, int (*row)(void *, const char *const *),
    void *d, struct err *e)
{
	return export_sql(st, Q_RECORDS_EXPORT, "ttdn", row, d, e);
}

/* ---- tasks, links, progress ---- */

static const char Q_TASK_UPSERT[] =
    "INSERT INTO tasks (code, name, unit_id, quantity, start, due, product, "
    "customer, hard) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, COALESCE($9, 0)) "
    "ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
    "unit_id = excluded.unit_id, quantity = excluded.quantity, "
    "start = excluded.start, due = excluded.due, product = excluded.product, "
    "customer = excluded.customer, hard = excluded.hard";

static const struct upsert U_TASK = { Q_TASK_UPSERT, "ttsnttooI", "stage_tasks",
    "INSERT INTO tasks (code, name, unit_id, quantity, start, due, product, "
    "customer, hard) SELECT c1, c2, c3, c4, c5, c6, c7, c8, COALESCE(c9, 0) "
    "FROM " STAGED_LAST("c1")
    "ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
    "unit_id = excluded.unit_id, quantity = excluded.quantity, "
    "start = excluded.start, due = excluded.due, product = excluded.product, "
    "customer = excluded.customer, hard = excluded.hard", NULL };

int
store_write_tasks(struct store *st, const struct batch *b, struct err *e)
{
	return write_upsert(st, b, &U_TASK, e);
}

static const char Q_TASKS_EXPORT[] =
    "SELECT t.code, t.name, s.code, t.quantity, t.start, t.due, t.product, "
    "t.customer, t.hard FROM tasks t JOIN subjects s ON s.id = t.unit_id "
    "ORDER BY t.code";

int
store_export_tasks(struct store *st, int (*row)(void *, const char *const *),
    void *d, struct err *e)
{
	return export_sql(st, Q_TASKS_EXPORT, "tttntttti", row, d, e);
}

void
store_import_check_tasks(struct import_ctx *c, struct store *st,
    const struct batch *b)
{
	(void)st;
	for (size_t r = 0; r < b->nrows; r++) {
		const char *start = batch_val(b, r, 4), *due = batch_val(b, r, 5);
		const char *qty = batch_val(b, r, 3);
		double q = 0;

		if (start && due && strcmp(due, start) < 0)
			import_error(c, b, r, 5, "%s", TR("hạn hoàn thành trước ngày "
			    "bắt đầu", "due before it starts"));
		if (qty && parse_double(qty, &q) == 0 && q <= 0)
			import_error(c, b, r, 3, "%s", TR("số lượng phải lớn hơn 0",
			    "quantity must be greater than 0"));
	}
}

static const char Q_LINK_UPSERT[] =
    "INSERT INTO task_links (task_id, depends_on, lag_days) VALUES ($1, $2, "
    "COALESCE($3, 0)) ON CONFLICT (task_id, depends_on) DO UPDATE SET "
    "lag_days = excluded.lag_days";

static const struct upsert U_LINK = { Q_LINK_UPSERT, "kkI", "stage_links",
    "INSERT INTO task_links (task_id, depends_on, lag_days) "
    "SELECT c1, c2, COALESCE(c3, 0) FROM " STAGED_LAST("c1, c2")
    "ON CONFLICT (task_id, depends_on) DO UPDATE SET "
    "lag_days = excluded.lag_days", NULL };

int
store_write_task_links(struct store *st, const struct batch *b, struct err *e)
{
	return write_upsert(st, b, &U_LINK, e);
}

static const char Q_LINKS_EXPORT[] =
    "SELECT t.code, d.code, l.lag_days FROM task_links l "
    "JOIN tasks t ON t.id = l.task_id JOIN tasks d ON d.id = l.depends_on "
    "ORDER BY t.code, d.code";
static const char Q_LINKS_ALL[] =
    "SELECT task_id, depends_on FROM task_links";

int
store_export_task_links(struct store *st, int (*row)(void *, const char *const *),
    void *d, struct err *e)
{
	return export_sql(st, Q_LINKS_EXPORT, "tti", row, d, e);
}

/*
 * Links after this import must not form a cycle: depth-first search over
 * the database's links plus the batch's, naming the tasks on a cycle.
 */
static int
edge_cmp(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;

	return x[0] < y[0] ? -1 : x[0] > y[0];
}

void
store_import_check_task_links(struct import_ctx *c, struct store *st,
    const struct batch *b)
{
	struct store_stmt *s;
	int64_t (*edges)[2] = NULL, maxid = 0;
	size_t n = 0, cap = 0, *first, i;
	unsigned char *color;
	int64_t *stack, *path;
	size_t *iter;

	for (size_t r = 0; r < b->nrows; r++)
		if (batch_val(b, r, 0) && batch_val(b, r, 1) &&
		    strcmp(batch_val(b, r, 0), batch_val(b, r, 1)) == 0)
			import_error(c, b, r, 1, "%s", TR("nhiệm vụ không thể phụ "
			    "thuộc chính nó", "a task cannot depend on itself"));
	if ((s = store_prepare(st, Q_LINKS_ALL)) == NULL)
		return;
	while (store_step(s) == STORE_ROW) {
		grow(&edges, &cap, n + 1, sizeof *edges);
		edges[n][0] = store_col_int(s, 0);
		edges[n][1] = store_col_int(s, 1);
		n++;
	}
	store_reset(s);
	for (size_t r = 0; r < b->nrows; r++) {
		const char *t = batch_val(b, r, 0), *d = batch_val(b, r, 1);

		if (t == NULL || d == NULL || task_id(b, t) == 0 || task_id(b, d) == 0)
			continue;
		grow(&edges, &cap, n + 1, sizeof *edges);
		edges[n][0] = task_id(b, t);
		edges[n][1] = task_id(b, d);
		n++;
	}
	for (i = 0; i < n; i++) {
		if (edges[i][0] > maxid) maxid = edges[i][0];
		if (edges[i][1] > maxid) maxid = edges[i][1];
	}
	if (n > 0)
		qsort(edges, n, sizeof *edges, edge_cmp);
	first = xcalloc((size_t)maxid + 2, sizeof *first);
	for (i = 0; i < n; i++)
		first[edges[i][0] + 1]++;
	for (i = 1; i <= (size_t)maxid + 1; i++)
		first[i] += first[i - 1];
	color = xcalloc((size_t)maxid + 1, 1);
	stack = xcalloc((size_t)maxid + 1, sizeof *stack);
	path = stack;
	iter = xcalloc((size_t)maxid + 1, sizeof *iter);
	for (int64_t root = 1; root <= maxid; root++) {
		size_t depth = 0;

		if (color[root])
			continue;
		stack[depth++] = root;
		color[root] = 1;
		iter[root] = first[root];
		while (depth) {
			int64_t v = stack[depth - 1];

			if (iter[v] < first[v + 1]) {
				int64_t w = edges[iter[v]++][1];

				if (color[w] == 0) {
					color[w] = 1;
					iter[w] = first[w];
					stack[depth++] = w;
				} else if (color[w] == 1) {
					/* Cycle: from w up the stack to v. */
					struct sb m;
					size_t k = depth;
					struct codemap_ent *ce;

					while (k > 0 && path[k - 1] != w)
						k--;
					sb_init(&m);
					for (size_t j = k - 1; j < depth; j++)
						for (size_t q = 0; q < b->refs->tasks.cap; q++) {
							ce = &b->refs->tasks.ents[q];
							if (ce->off && ce->id == path[j]) {
								sb_printf(&m, "%s → ", b->refs->tasks.arena + ce->off - 1);
								break;
							}
						}
					for (size_t q = 0; q < b->refs->tasks.cap; q++) {
						ce = &b->refs->tasks.ents[q];
						if (ce->off && ce->id == w) {
							sb_puts(&m, b->refs->tasks.arena + ce->off - 1);
							break;
						}
					}
					import_error(c, b, 0, -1, "%s: %s",
					    TR("liên kết tạo thành vòng phụ thuộc",
					    "links close a dependency cycle"), m.s);
					sb_free(&m);
				}
			} else {
				color[v] = 2;
				depth--;
			}
		}
	}
	free(edges);
	free(first);
	free(color);
	free(stack);
	free(iter);
}

static const char Q_PROGRESS_UPSERT[] =
    "INSERT INTO progress (task_id, day, quantity) VALUES ($1, $2, $3) "
    "ON CONFLICT (task_id, day) DO UPDATE SET quantity = excluded.quantity";

static const struct upsert U_PROGRESS = { Q_PROGRESS_UPSERT, "kdn",
    "stage_progress",
    "INSERT INTO progress (task_id, day, quantity) "
    "SELECT c1, c2, c3 FROM " STAGED_LAST("c1, c2")
    "ON CONFLICT (task_id, day) DO UPDATE SET "
    "quantity = excluded.quantity", NULL };

/*
 * progress_totals (migration 0008, which says what each column means)
 * stays exact: after the rows are upserted, each task the batch touched
 * gets its totals recomputed from its rows, in the same transaction.
 */
static const char Q_PROGRESS_TOTALS[] =
    "INSERT INTO progress_totals (task_id, total, first_day, last_day, "
    "rows, inexact, finish_day, finish_qty) SELECT task_id, SUM(quantity), MIN(day), MAX(day), "
    "COUNT(*), SUM(CASE WHEN quantity = ROUND(quantity) AND "
    "quantity >= 0 AND quantity < 1e9 THEN 0 ELSE 1 END), "
    "(SELECT MIN(day) FROM (SELECT day, SUM(quantity) OVER (ORDER BY day) "
    "AS c FROM progress WHERE task_id = $1) x "
    "WHERE c >= (SELECT quantity FROM tasks WHERE id = $1)), "
    "(SELECT quantity FROM tasks WHERE id = $1) FROM progress "
    "WHERE task_id = $1 GROUP BY task_id ON CONFLICT (task_id) DO UPDATE "
    "SET total = excluded.total, first_day = excluded.first_day, "
    "last_day = excluded.last_day, rows = excluded.rows, "
    "inexact = excluded.inexact, finish_day = excluded.finish_day, "
    "finish_qty = excluded.finish_qty";

/* The same for every task of a staged batch (write_staged's table), in
 * one statement on PostgreSQL: a round trip a task made a day's progress
 * of thousands of tasks take seconds. The day each task's quantity is
 * reached comes from one running sum over all of them (a query a task,
 * as above, took 8.8 of the 18 s of a million rows of 200,000 tasks). */
static const char Q_PROGRESS_TOTALS_STAGED[] =
    "INSERT INTO progress_totals (task_id, total, first_day, last_day, "
    "rows, inexact, finish_day, finish_qty) SELECT p.task_id, SUM(p.quantity), "
    "MIN(p.day), MAX(p.day), COUNT(*), SUM(CASE WHEN p.quantity = "
    "ROUND(p.quantity) AND p.quantity >= 0 AND p.quantity < 1e9 THEN 0 ELSE 1 END), "
    "MIN(p.day) FILTER (WHERE p.c >= t.quantity), t.quantity "
    "FROM (SELECT task_id, day, quantity, SUM(quantity) OVER (PARTITION BY "
    "task_id ORDER BY day) AS c FROM progress WHERE task_id IN "
    "(SELECT c1 FROM stage_progress)) p JOIN tasks t ON t.id = p.task_id "
    "GROUP BY p.task_id, t.quantity ON CONFLICT (task_id) DO UPDATE "
    "SET total = excluded.total, first_day = excluded.first_day, "
    "last_day = excluded.last_day, rows = excluded.rows, "
    "inexact = excluded.inexact, finish_day = excluded.finish_day, "
    "finish_qty = excluded.finish_qty";

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int
store_write_progress(struct store *st, const struct batch *b, struct err *e)
{
	int64_t *ids;
	size_t r, n = 0;
	int rc = 0;

	if (write_upsert(st, b, &U_PROGRESS, e) != 0)
		return -1;
	if (store_backend(st) == STORE_PG && b->nrows >= STAGED_MIN)
		return store_exec(st, Q_PROGRESS_TOTALS_STAGED) != 0 ?
		    store_err(st, e) : 0;	/* (staged: every task at once) */
	ids = xmalloc((b->nrows ? b->nrows : 1) * sizeof *ids);
	for (r = 0; r < b->nrows; r++)
		ids[r] = task_id(b, batch_val(b, r, 0));
	qsort(ids, b->nrows, sizeof *ids, cmp_i64);
	for (r = 0; r < b->nrows; r++)
		if (n == 0 || ids[r] != ids[n - 1])
			ids[n++] = ids[r];
	for (r = 0; r < n && rc == 0; r++) {
		struct store_stmt *s = store_prepare_err(st, Q_PROGRESS_TOTALS, e);

		if (s == NULL) {
			rc = -1;
			break;
		}
		store_bind_int(s, 1, ids[r]);
		rc = store_run_err(st, s, e);
	}
	free(ids);
	return rc;
}

static const char Q_PROGRESS_EXPORT[] =
    "SELECT t.code, p.day, p.quantity FROM progress p "
    "JOIN tasks t ON t.id = p.task_id ORDER BY t.code, p.day";

int
store_export_progress(struct store *st, int (*row)(void *, const char *const *),
    void *d, struct err *e)
{
	return export_sql(st, Q_PROGRESS_EXPORT, "tdn", row, d, e);
}

/*
 * One subject's rows of a kind: the kind's export query narrowed to the
 * rows whose subject (person, unit) code is code (innovations: those it
 * is an author of). The planner pushes the
 * condition into the query, so the subject's index is used instead of a
 * scan of the table (a person's ratings among ten million).
 */
/*
 * The narrowed exports below (of a subject, of a unit's subtree, of a
 * year): per kind, its query ($1 the one parameter, bound as text), the
 * PostgreSQL spelling where it differs, and the columns' formats
 * (export_sql_p). NULL: the kind has no such export.
 */
struct kind_sql {
	const char	*kind, *sql, *sql_pg, *fmt;	/* sql_pg NULL: sql */
};
#define KIND_SQL_OF(t, kind) kind_sql_of((t), sizeof (t) / sizeof (t)[0], (kind))

static const struct kind_sql *
kind_sql_of(const struct kind_sql *t, size_t n, const char *kind)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].kind, kind) == 0)
			return &t[i];
	return NULL;
}

static int
kind_sql_run(struct store *st, const struct kind_sql *k, const char *param,
    int (*row)(void *, const char *const *), void *d, struct err *e)
{
	return export_sql_p(st, store_backend(st) == STORE_PG && k->sql_pg ?
	    k->sql_pg : k->sql, k->fmt, param, row, d, e);
}

#define OF_SUBJECT(q) "SELECT * FROM (" q ") x WHERE x.code = $1"
/* innovations: those the person is an author of */
#define OF_AUTHOR(q) "SELECT * FROM (" q ") x WHERE x.code IN (SELECT " \
    "i.code FROM innovations i JOIN innovation_authors a ON " \
    "a.innovation_id = i.id JOIN subjects s ON s.id = a.person_id " \
    "WHERE s.code = $1)"
static const struct kind_sql of_subject[] = {
	{ "ratings", OF_SUBJECT(SQL_RATINGS_EXPORT), NULL, "itt" "t" },
	{ "awards", OF_SUBJECT(SQL_AWARDS_EXPORT), NULL, "itttt" "t" "ttttt" },
	{ "discipline", OF_SUBJECT(SQL_DISC_EXPORT), NULL, "tttt" },
	{ "service", OF_SUBJECT(SQL_SERVICE_EXPORT), NULL, "ttttn" },
	{ "incidents", OF_SUBJECT(SQL_INCIDENTS_EXPORT), NULL, "tttt" },
	{ "innovations", OF_AUTHOR(SQL_INNOV_EXPORT_SQLITE),
	    OF_AUTHOR(SQL_INNOV_EXPORT_PG), "tttitti" },
};

int
store_export_subject(struct store *st, const char *kind, const char *code,
    int (*row)(void *, const char *const *), void *d, struct err *e)
{
	const struct kind_sql *k = KIND_SQL_OF(of_subject, kind);

	return k != NULL ? kind_sql_run(st, k, code, row, d, e) : 1;
}

static const char Q_PERSON_EXPORT_ONE[] = PEOPLE_FROM "WHERE s.code = $1";

int
store_export_about(struct store *st, const char *kind, const char *code,
    int (*row)(void *, const char *const *), void *d, struct err *e)
{
	if (strcmp(kind, "people") == 0)
		return export_sql_p(st, Q_PERSON_EXPORT_ONE, "tttttttt", code,
		    row, d, e);
	return store_export_subject(st, kind, code, row, d, e);
}

/*
 * The rows of a unit's subtree: the kind's export with the subtree
 * (STORE_SQL_SUBTREE) joined on the column that places a row in the unit
 * tree, read through the subtree's indexes instead of a scan of the
 * table. A workshop's innovations at a million people: 6.9 s -> 0.2 s.
 */
#define IN_SUBJ(col) "JOIN subj ON subj.id = " col " "
#define IN_SUB(col) "JOIN sub ON sub.id = " col " "
#define BY_AUTHOR "WHERE i.id IN (SELECT a.innovation_id FROM " \
    "innovation_authors a JOIN subj ON subj.id = a.person_id) "
#define OF_UNIT(from, join, tail) STORE_SQL_SUBTREE from join tail
static const struct kind_sql of_unit[] = {
	{ "units", OF_UNIT(UNITS_FROM, IN_SUB("u.id"), UNITS_TAIL), NULL,
	    "ttttti" },
	{ "people", OF_UNIT(PEOPLE_FROM, IN_SUBJ("p.id"), PEOPLE_TAIL),
	    NULL, "tttttttt" },
	{ "ratings", OF_UNIT(RATINGS_FROM, IN_SUBJ("r.subject_id"),
	    RATINGS_TAIL), NULL, "itt" "t" },
	{ "awards", OF_UNIT(AWARDS_FROM, IN_SUBJ("a.subject_id"),
	    AWARDS_TAIL), NULL, "itttt" "t" "ttttt" },
	{ "discipline", OF_UNIT(DISC_FROM, IN_SUBJ("d.subject_id"),
	    DISC_TAIL), NULL, "tttt" },
	{ "service", OF_UNIT(SERVICE_FROM, IN_SUBJ("v.person_id"),
	    SERVICE_TAIL), NULL, "ttttn" },
	{ "incidents", OF_UNIT(INCIDENTS_FROM, IN_SUB("i.unit_id"),
	    INCIDENTS_TAIL), NULL, "tttt" },
	{ "innovations", OF_UNIT(INNOV_FROM_SQLITE, BY_AUTHOR, INNOV_TAIL),
	    OF_UNIT(INNOV_FROM_PG, BY_AUTHOR, INNOV_TAIL), "tttitti" },
};

/*
 * Whether the subtree of unit is small enough to be read through its
 * indexes: at most a quarter of the units. A larger one (the root) is read
 * faster by the scan the caller falls back to: at a million people, the
 * root's ratings of a year took 6.4 s by the year's key and 20.6 s joined
 * to its million subjects. 1, 0, -1 with e set. (59 ms at the root of
 * 50,000 units, a few ms for a workshop.)
 */
static int
subtree_small(struct store *st, int64_t unit, struct err *e)
{
	int64_t in, all;

	if (store_subtree_units(st, unit, &in, &all, e) != 0)
		return -1;
	return in * 4 <= all;
}

/*
 * The same narrowed to a year ($2), of awards also to an award ($3): at a
 * million people a commander's ratings of one year read their subtree's
 * ten years and sorted them (1.1 million rows for 110,000 people) to
 * keep one year's in C.
 */
#define OF_UNIT_YEAR(cols, t, a, cond, order) STORE_SQL_SUBTREE cols \
    "FROM subj CROSS JOIN " t " CROSS JOIN subjects s WHERE " a \
    ".subject_id = subj.id AND " a ".year = $2 AND s.id = " a ".subject_id" \
    cond " ORDER BY " order
/* (CROSS JOIN: the subtree's subjects first, each looked up in the
 * table's subject index with the year. Left to itself SQLite read the
 * year's ratings of everyone through migration 0019's (year, rating)
 * index and kept the subtree's: a commander's 113,000 of a million
 * people's ratings of a year took 2.0 s, 0.5 s this way.) */
static const struct kind_sql of_unit_year[] = {
	{ "ratings", OF_UNIT_YEAR(RATINGS_COLS, "ratings r", "r", "",
	    "r.year, s.code"), NULL, "itt" "t" },
	{ "awards", OF_UNIT_YEAR(AWARDS_COLS, "awards a", "a",
	    " AND a.revoked = 0", "a.year, s.code, a.award"), NULL,
	    "itttt" "t" "ttttt" },
	{ "awards+award", OF_UNIT_YEAR(AWARDS_COLS, "awards a", "a",
	    " AND a.revoked = 0 AND a.award = $3", "a.year, s.code, a.award"),
	    NULL, "itttt" "t" "ttttt" },
};

int
store_export_unit(struct store *st, const char *kind, int64_t unit, int year,
    const char *award, int (*row)(void *, const char *const *), void *d,
    struct err *e)
{
	const struct kind_sql *k = KIND_SQL_OF(of_unit, kind), *ky = NULL;
	char id[24], y[16];
	int rc, np = 2;

	if (k == NULL)
		return 1;
	if ((rc = subtree_small(st, unit, e)) <= 0)
		return rc < 0 ? -1 : 1;
	snprintf(id, sizeof id, "%lld", (long long)unit);
	snprintf(y, sizeof y, "%d", year);
	if (year > 0 && award != NULL && strcmp(kind, "awards") == 0) {
		ky = KIND_SQL_OF(of_unit_year, "awards+award");
		np = 3;
	} else if (year > 0)
		ky = KIND_SQL_OF(of_unit_year, kind);
	if (ky != NULL)
		return export_sql_pv(st, ky->sql, ky->fmt,
		    (const char *[]){ id, y, award }, np, row, d, e);
	return kind_sql_run(st, k, id, row, d, e);
}

/*
 * One year's rows of awards or ratings, through the primary key (year
 * first) instead of a scan of every year; of awards, also of one award
 * only ($2), whose rows alone are then joined and sorted (at a million
 * people a year's CSTĐCS: 2.4 s as a year's 895,000 awards kept in C).
 */
#define OF_YEAR(q) "SELECT * FROM (" q ") x WHERE x.year = $1"
#define OF_YEAR_AWARD(q) OF_YEAR(q) " AND x.award = $2"
static const struct kind_sql of_year[] = {
	{ "ratings", OF_YEAR(SQL_RATINGS_EXPORT), NULL, "itt" "t" },
	{ "awards", OF_YEAR(SQL_AWARDS_EXPORT), NULL, "itttt" "t" "ttttt" },
};
static const struct kind_sql of_year_award =
	{ "awards", OF_YEAR_AWARD(SQL_AWARDS_EXPORT), NULL, "itttt" "t" "ttttt" };

int
store_export_year(struct store *st, const char *kind, int year,
    const char *award, int (*row)(void *, const char *const *), void *d,
    struct err *e)
{
	const struct kind_sql *k = KIND_SQL_OF(of_year, kind);
	char y[16];

	if (k == NULL)
		return 1;
	snprintf(y, sizeof y, "%d", year);
	if (award != NULL && strcmp(kind, of_year_award.kind) == 0)
		return export_sql_pv(st, of_year_award.sql, of_year_award.fmt,
		    (const char *[]){ y, award }, 2, row, d, e);
	return kind_sql_run(st, k, y, row, d, e);
}

/*
 * store_page's queries, by kind and filter: the count (the table's rows,
 * or the year's from its key: a row's subject always exists, foreign
 * keys; of awards less the revoked, migration 0020's index), the page by
 * probing (of a year: the subjects in code order, each looked up in the
 * kind's subject index: CROSS JOIN keeps SQLite to that order, which
 * needs no sort and stops at the page's end) and the page by sorting (the
 * export's query, with only offset + limit of its rows kept; SQLite
 * reads people and units in the subjects' code order already). The year
 * is $1 and the award $2 where the entry takes them; the page's LIMIT and
 * OFFSET follow. (Each SQL a constant: the statement cache knows a
 * statement by its SQL's address.)
 */
#define PAGE1 " LIMIT CAST($1 AS BIGINT) OFFSET CAST($2 AS BIGINT)"
#define PAGE2 " LIMIT CAST($2 AS BIGINT) OFFSET CAST($3 AS BIGINT)"
#define PAGE3 " LIMIT CAST($3 AS BIGINT) OFFSET CAST($4 AS BIGINT)"
#define PROBE(cols, t, where, order) cols "FROM subjects s CROSS JOIN " t \
    " WHERE " where " ORDER BY " order
#define AWARDS_NET(w) "SELECT (SELECT COUNT(*) FROM awards WHERE " w ") - " \
    "(SELECT COUNT(*) FROM awards WHERE " w " AND revoked <> 0)"
static const struct page_sql {
	const char	*kind;
	int		 unit, year, award;	/* the filters it takes */
	const char	*fmt;			/* the rows' (the export's) */
	const char	*count, *probe, *sort;
} page_sql[] = {
	{ "people", 0, 0, 0, "tttttttt", "SELECT COUNT(*) FROM people", NULL,
	    PEOPLE_FROM PEOPLE_TAIL PAGE1 },
	/* (ORDER BY an expression of the code, the same order: PostgreSQL
	 * otherwise walked every subject in code order for the first units,
	 * a million people first at a million people, 1.0 s; it sorts the
	 * 50,000 units now, 0.05 s. SQLite's plan is the same either way) */
	{ "units", 0, 0, 0, "ttttti", "SELECT COUNT(*) FROM units", NULL,
	    UNITS_FROM "ORDER BY s.code || ''" PAGE1 },
	{ "ratings", 0, 1, 0, "itt" "t",
	    "SELECT COUNT(*) FROM ratings WHERE year = $1",
	    PROBE(RATINGS_COLS, "ratings r", "r.subject_id = s.id AND "
	    "r.year = $1", "s.code") PAGE2,
	    OF_YEAR(SQL_RATINGS_EXPORT) PAGE2 },
	{ "awards", 0, 1, 0, "itttt" "t" "ttttt", AWARDS_NET("year = $1"),
	    PROBE(AWARDS_COLS, "awards a", "a.subject_id = s.id AND "
	    "a.year = $1 AND a.revoked = 0", "s.code, a.award") PAGE2,
	    OF_YEAR(SQL_AWARDS_EXPORT) PAGE2 },
	{ "awards", 0, 1, 1, "itttt" "t" "ttttt",
	    AWARDS_NET("year = $1 AND award = $2"),
	    PROBE(AWARDS_COLS, "awards a", "a.subject_id = s.id AND "
	    "a.year = $1 AND a.award = $2 AND a.revoked = 0", "s.code, a.award")
	    PAGE3,
	    OF_YEAR_AWARD(SQL_AWARDS_EXPORT) PAGE3 },
	{ "people", 1, 0, 0, "tttttttt",
	    STORE_SQL_SUBTREE "SELECT COUNT(*) FROM people p "
	    "WHERE p.unit_id IN (SELECT id FROM sub)",
	    STORE_SQL_SUBTREE PROBE(PEOPLE_COLS, "people p CROSS JOIN "
	    "subjects u", "p.id = s.id AND u.id = p.unit_id AND p.unit_id IN "
	    "(SELECT id FROM sub)", "s.code") PAGE2,
	    OF_UNIT(PEOPLE_FROM, IN_SUBJ("p.id"), PEOPLE_TAIL) PAGE2 },
};

/* One number a query answers: 0, -1 with e set. */
static int
page_number(struct store *st, const char *sql, const char *const *pv, int np,
    int64_t *n, struct err *e)
{
	struct store_stmt *s = store_prepare_err(st, sql, e);
	int rc;

	if (s == NULL)
		return -1;
	for (int i = 0; i < np; i++)
		store_bind_text(s, i + 1, pv[i]);
	if ((rc = store_step(s)) == STORE_ROW)
		*n = store_col_int(s, 0);
	store_reset(s);
	return rc == STORE_ROW ? 0 : store_err(st, e);
}

static const char Q_SUBJECTS_TOP[] = "SELECT COALESCE(MAX(id), 0) FROM subjects";

/*
 * The rows offset .. offset + limit of a list, each to row(d, vals), and
 * the whole list's length in *total, read in one snapshot: the first page
 * of a year's ratings at a million people read and sorted the year's
 * million rows to show 25 (2.4 s), a page of people read them all (1 s).
 * A year's list is probed when the page's end lies near the start of a
 * list dense among the subjects ((offset + limit) x subjects <= 4 total²:
 * the subjects a probe passes, against the rows a sort reads, each ~4
 * times a probe's cost; the last page of a year's million ratings: 0.5 s
 * probed, 1.8 s sorted), sorted otherwise (deep pages of rare awards).
 * A subtree's people (unit) the same, through its units, when it is
 * small (store_export_unit): a commander's first page of 110,000 people
 * at a million took 0.4 s, 0.09 s so. (Not a subtree's ratings or awards
 * of a year: the subtree's subjects gathered for the count and again for
 * the page cost more than reading its rows, 0.65 s against 0.27 s for a
 * commander's CSTĐCS at a million people.)
 */
int
store_page(struct store *st, const char *kind, int64_t unit, int year,
    const char *award, int64_t offset, int64_t limit,
    int (*row)(void *, const char *const *), void *d, int64_t *total,
    struct err *e)
{
	const struct page_sql *q = NULL;
	char id[24], y[16], lim[24], off[24];
	const char *pv[5];
	int64_t nsubj = 0;
	int np = 0, own, rc;

	for (size_t i = 0; i < sizeof page_sql / sizeof page_sql[0]; i++)
		if (strcmp(page_sql[i].kind, kind) == 0 &&
		    page_sql[i].unit == (unit != 0) &&
		    page_sql[i].year == (year > 0) &&
		    page_sql[i].award == (award != NULL))
			q = &page_sql[i];
	if (q == NULL)
		return 1;	/* (another filter: the caller's) */
	snprintf(id, sizeof id, "%lld", (long long)unit);
	snprintf(y, sizeof y, "%d", year);
	snprintf(lim, sizeof lim, "%lld", (long long)limit);
	snprintf(off, sizeof off, "%lld", (long long)offset);
	if (q->unit)
		pv[np++] = id;
	if (q->year)
		pv[np++] = y;
	if (q->award)
		pv[np++] = award;
	if ((own = !store_in_txn(st)) && store_begin_read(st) != 0)
		return store_err(st, e);
	/* (a big subtree: the caller scans, as store_export_unit says) */
	if (q->unit && (rc = subtree_small(st, unit, e)) <= 0) {
		if (own)
			store_rollback(st);
		return rc < 0 ? -1 : 1;
	}
	rc = page_number(st, q->count, pv, np, total, e);
	if (rc == 0 && *total > offset && q->probe != NULL)
		rc = page_number(st, Q_SUBJECTS_TOP, NULL, 0, &nsubj, e);
	if (rc == 0 && *total > offset) {
		int probe = q->probe != NULL && ((double)offset + (double)limit) *
		    (double)nsubj <= 4 * (double)*total * (double)*total;

		pv[np] = lim;
		pv[np + 1] = off;
		rc = export_sql_pv(st, probe ? q->probe : q->sort, q->fmt, pv,
		    np + 2, row, d, e);
	}
	if (own) {
		if (rc != 0)
			store_rollback(st);
		else if (store_commit(st) != 0)
			return store_err(st, e);
	}
	return rc;
}
