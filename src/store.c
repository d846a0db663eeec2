/*
 * store.c: backend selection, the prepared-statement cache, migrations
 * and the thin public wrappers of store.h.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store-grant.h"
#include "store-int.h"
#include "util.h"

static int gen_flush(struct store *);
static unsigned gens_of(const char *sql);
static int gen_wrote(struct store *, unsigned gens);
static int gen_bump(struct store *, const char *, struct err *);

int
store_open(const char *target, struct store **out, struct err *e)
{
	struct store *st = xcalloc(1, sizeof *st);
	int rc;

	if (strncmp(target, "postgres://", 11) == 0 ||
	    strncmp(target, "postgresql://", 13) == 0) {
		st->backend = STORE_PG;
		rc = store_pg_open(target, st, e);
	} else {
		st->backend = STORE_SQLITE;
		rc = store_sqlite_open(target, st, e);
	}
	if (rc != 0) {
		free(st);
		return -1;
	}
	*out = st;
	return 0;
}

void
store_close(struct store *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < st->nslots; i++)
		if (st->slots[i].stmt)
			st->ops->finalize(st->slots[i].stmt);
	free(st->slots);
	st->ops->close(st);
	free(st);
}

enum store_backend
store_backend(const struct store *st)
{
	return st->backend;
}

const char *
store_errmsg(struct store *st)
{
	return st->ops->errmsg(st);
}

int
store_exec(struct store *st, const char *sql)
{
	unsigned gens = gens_of(sql);

	if (st->ops->exec(st, sql) != 0)
		return -1;
	return gens != 0 ? gen_wrote(st, gens) : 0;
}

int
store_begin(struct store *st)
{
	return st->ops->exec(st, st->backend == STORE_SQLITE ?
	    "BEGIN IMMEDIATE" : "BEGIN");
}

int
store_begin_read(struct store *st)
{
	return st->ops->exec(st, st->backend == STORE_SQLITE ? "BEGIN" :
	    "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

static int elig_log_trim(struct store *);
static int subject_log_trim(struct store *);
static int records_log_trim(struct store *);
static int targets_log_trim(struct store *);

int
store_commit(struct store *st)
{
	unsigned written = st->gen_written;

	st->gen_written = 0;
	if (st->ngen_pending > 0 && gen_flush(st) != 0)
		return -1;
	if ((written & 1u) && st->backend == STORE_SQLITE &&
	    elig_log_trim(st) != 0)
		return -1;	/* (bit 0: "elig", gen_names below) */
	if ((written & 8u) && st->backend == STORE_SQLITE &&
	    subject_log_trim(st) != 0)
		return -1;	/* (bit 3: "elig-base") */
	if ((written & 2u) && st->backend == STORE_SQLITE &&
	    records_log_trim(st) != 0)
		return -1;	/* (bit 1: "records") */
	if ((written & 4u) && st->backend == STORE_SQLITE &&
	    targets_log_trim(st) != 0)
		return -1;	/* (bit 2: "targets") */
	return st->ops->exec(st, "COMMIT");
}

int
store_rollback(struct store *st)
{
	st->ngen_pending = 0;
	st->gen_written = 0;
	return st->ops->exec(st, "ROLLBACK");
}

static size_t
slot_of(const char *sql, size_t n)
{
	uintptr_t h = (uintptr_t)sql;

	h ^= h >> 17;
	h *= 0x9E3779B97F4A7C15ull;
	return (size_t)(h >> 20) & (n - 1);
}

static void
cache_grow(struct store *st)
{
	struct stmt_slot *old = st->slots;
	size_t oldn = st->nslots, i;

	st->nslots = oldn ? oldn * 2 : 64;
	st->slots = xcalloc(st->nslots, sizeof *st->slots);
	for (i = 0; i < oldn; i++) {
		size_t j;

		if (old[i].sql == NULL)
			continue;
		j = slot_of(old[i].sql, st->nslots);
		while (st->slots[j].sql)
			j = (j + 1) & (st->nslots - 1);
		st->slots[j] = old[i];
	}
	free(old);
}

struct store_stmt *
store_prepare(struct store *st, const char *sql)
{
	struct store_stmt *s;
	size_t j;

	if (st->nused * 2 >= st->nslots)
		cache_grow(st);
	j = slot_of(sql, st->nslots);
	while (st->slots[j].sql) {
		if (st->slots[j].sql == sql) {
			st->ops->reset(st->slots[j].stmt);
			return st->slots[j].stmt;
		}
		j = (j + 1) & (st->nslots - 1);
	}
	if ((s = st->ops->prepare(st, sql)) == NULL)
		return NULL;
	s->st = st;
	s->sql = sql;
	s->gens = gens_of(sql);
	st->slots[j].sql = sql;
	st->slots[j].stmt = s;
	st->nused++;
	return s;
}

void store_bind_null(struct store_stmt *s, int i)
{ s->st->ops->bind(s, i, BIND_NULL, 0, 0, NULL); }
void store_bind_int(struct store_stmt *s, int i, int64_t v)
{ s->st->ops->bind(s, i, BIND_INT, v, 0, NULL); }
void store_bind_double(struct store_stmt *s, int i, double v)
{ s->st->ops->bind(s, i, BIND_DOUBLE, 0, v, NULL); }
void store_bind_text(struct store_stmt *s, int i, const char *v)
{ s->st->ops->bind(s, i, v ? BIND_TEXT : BIND_NULL, 0, 0, v); }

void
store_bind_opt(struct store_stmt *s, int i, const char *v)
{
	if (v == NULL || *v == '\0')
		store_bind_null(s, i);
	else
		store_bind_text(s, i, v);
}

int
store_step(struct store_stmt *s)
{
	int rc = s->st->ops->step(s);

	/* a write of a table some derived copy depends on: see gen_wrote */
	if (s->gens != 0 && rc >= 0 && gen_wrote(s->st, s->gens) != 0)
		return STORE_ERR;
	return rc;
}

int store_col_isnull(struct store_stmt *s, int i) { return s->st->ops->col_isnull(s, i); }
int64_t store_col_int(struct store_stmt *s, int i) { return s->st->ops->col_int(s, i); }
double store_col_double(struct store_stmt *s, int i) { return s->st->ops->col_double(s, i); }
const char *store_col_text(struct store_stmt *s, int i) { return s->st->ops->col_text(s, i); }
int store_ncols(struct store_stmt *s) { return s->st->ops->ncols(s); }
void store_reset(struct store_stmt *s) { s->st->ops->reset(s); s->stream = 0; }
void store_stream(struct store_stmt *s) { s->stream = 1; }

int
store_run(struct store_stmt *s)
{
	int rc;

	while ((rc = store_step(s)) == STORE_ROW)
		;
	store_reset(s);
	return rc;
}

int
store_err(struct store *st, struct err *e)
{
	return err_set(e, ERR_SYSTEM, "%s: %s", TR("lỗi cơ sở dữ liệu",
	    "database error"), store_errmsg(st));
}

int
store_run_err(struct store *st, struct store_stmt *s, struct err *e)
{
	int rc = store_run(s);

	if (rc == STORE_DONE)
		return 0;
	if (rc == STORE_CONSTRAINT)
		return err_set(e, ERR_CONFLICT, "%s: %s", TR("xung đột dữ liệu",
		    "conflicting data"), store_errmsg(st));
	return store_err(st, e);
}

struct store_stmt *
store_prepare_err(struct store *st, const char *sql, struct err *e)
{
	struct store_stmt *s = store_prepare(st, sql);

	if (s == NULL)
		store_err(st, e);
	return s;
}

struct store_bulk *
store_bulk_begin(struct store *st, const char *table, const char *const *cols,
    int ncols)
{
	char sql[96];
	unsigned gens;

	/* (a bulk load straight into a tracked table counts as its write) */
	snprintf(sql, sizeof sql, "INSERT INTO %s", table);
	if ((gens = gens_of(sql)) != 0 && gen_wrote(st, gens) != 0)
		return NULL;
	return st->ops->bulk_begin(st, table, cols, ncols);
}

struct store_bulk *
store_bulk_begin_typed(struct store *st, const char *table,
    const char *const *cols, const char *types, int ncols)
{
	char sql[96];
	unsigned gens;

	if (st->ops->bulk_begin_typed == NULL)	/* (callers ask PostgreSQL only) */
		return NULL;
	snprintf(sql, sizeof sql, "INSERT INTO %s", table);
	if ((gens = gens_of(sql)) != 0 && gen_wrote(st, gens) != 0)
		return NULL;
	return st->ops->bulk_begin_typed(st, table, cols, types, ncols);
}

int
store_bulk_cells(struct store_bulk *b, const union store_cell *v)
{
	struct store *st = *(struct store **)b;

	return st->ops->bulk_cells(b, v);
}

void
store_bulk_abort(struct store_bulk *b)
{
	struct store *st = *(struct store **)b;

	st->ops->bulk_abort(b);
}

int
store_bulk_row(struct store_bulk *b, const char *const *vals)
{
	/* The backend's bulk struct starts with its store pointer. */
	struct store *st = *(struct store **)b;

	return st->ops->bulk_row(b, vals);
}

int
store_bulk_end(struct store_bulk *b)
{
	struct store *st = *(struct store **)b;

	return st->ops->bulk_end(b);
}

static const char SQL_VERSION[] =
    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
static const char SQL_MIGRATED[] =
    "INSERT INTO schema_migrations (version, name, applied_at) "
    "VALUES ($1, $2, $3)";

int
store_schema_version(struct store *st)
{
	struct store_stmt *s;
	int v = -1;

	if (!st->ops->table_exists(st, "schema_migrations"))
		return 0;
	if ((s = store_prepare(st, SQL_VERSION)) == NULL)
		return -1;
	if (store_step(s) == STORE_ROW)
		v = (int)store_col_int(s, 0);
	store_reset(s);
	return v;
}

int
store_schema_latest(const struct store *st)
{
	const struct migration *m;
	int v = 0;

	m = st->backend == STORE_PG ? migrations_pg : migrations_sqlite;
	for (; m->sql; m++)
		if (m->version > v)
			v = m->version;
	return v;
}

int
store_migrate(struct store *st, struct err *e)
{
	const struct migration *m;
	int cur;
	char today[11];

	if ((cur = store_schema_version(st)) < 0)
		return err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
	/* A serving role (docs/postgresql.md) never tries DDL. */
	if (store_grant_schema_check(st, cur, e) != 0)
		return -1;
	if (!st->ops->table_exists(st, "schema_migrations") &&
	    store_exec(st, "CREATE TABLE schema_migrations ("
	    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
	    "applied_at TEXT NOT NULL)") != 0)
		return err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
	date_format(date_today(), today);
	m = st->backend == STORE_PG ? migrations_pg : migrations_sqlite;
	for (; m->sql; m++) {
		struct store_stmt *s;

		if (m->version <= cur)
			continue;
		if (store_begin(st) != 0)
			return err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
		/* (the driver's own exec: a migration's DDL and data are no
		 * write of the tables' generations, which it may not have
		 * yet) */
		if (st->ops->exec(st, m->sql) != 0) {
			err_set(e, ERR_SYSTEM, "migration %s: %s", m->name,
			    store_errmsg(st));
			store_rollback(st);
			return -1;
		}
		if ((s = store_prepare(st, SQL_MIGRATED)) != NULL) {
			store_bind_int(s, 1, m->version);
			store_bind_text(s, 2, m->name);
			store_bind_text(s, 3, today);
		}
		if (s == NULL || store_run(s) != STORE_DONE ||
		    store_commit(st) != 0) {
			err_set(e, ERR_SYSTEM, "migration %s: %s", m->name,
			    store_errmsg(st));
			store_rollback(st);
			return -1;
		}
	}
	return 0;
}

/* ---- generations (store.h) ---- */

static const char Q_GEN_GET[] = "SELECT n FROM generations WHERE name = $1";
static const char Q_GEN_BUMP_SQLITE[] =
    "UPDATE generations SET n = random() WHERE name = $1";
static const char Q_GEN_BUMP_PG[] =
    "UPDATE generations SET n = (random() * 9.0e18)::bigint WHERE name = $1";

static const struct {
	const char	*log, *sql;
} log_last[] = {
	{ "elig_log",
	    "SELECT seq, tag FROM elig_log ORDER BY seq DESC LIMIT 1" },
	{ "records_log",
	    "SELECT seq, tag FROM records_log ORDER BY seq DESC LIMIT 1" },
	{ "targets_log",
	    "SELECT seq, tag FROM targets_log ORDER BY seq DESC LIMIT 1" },
	{ "subject_log",
	    "SELECT seq, tag FROM subject_log ORDER BY seq DESC LIMIT 1" },
};

int
store_log_last(struct store *st, const char *log, int64_t *seq,
    int64_t *tag, struct err *e)
{
	struct store_stmt *s;
	size_t i;
	int rc;

	*seq = *tag = 0;
	for (i = 0; i < sizeof log_last / sizeof log_last[0] &&
	    strcmp(log_last[i].log, log) != 0; i++)
		;
	if (i == sizeof log_last / sizeof log_last[0])
		return err_set(e, ERR_SYSTEM, "store_log_last: %s", log);
	/* (PostgreSQL has elig_log from migration 0023 and subject_log from
	 * 0024, no records_log or targets_log: found once a connection, as
	 * the stamp is read at every request) */
	if (st->backend == STORE_SQLITE) {
		if (!st->ops->table_exists(st, log))
			return 0;
	} else if (!(st->logs >> i & 1)) {
		if (strcmp(log, "records_log") == 0 ||
		    strcmp(log, "targets_log") == 0 ||
		    !st->ops->table_exists(st, log))
			return 0;
		st->logs |= 1u << i;
	}
	if ((s = store_prepare_err(st, log_last[i].sql, e)) == NULL)
		return -1;
	if ((rc = store_step(s)) == STORE_ROW) {
		*seq = store_col_int(s, 0);
		*tag = store_col_int(s, 1);
	}
	store_reset(s);
	return rc == STORE_ERR ? store_err(st, e) : 0;
}

int
store_generation(struct store *st, const char *table, int64_t *n,
    struct err *e)
{
	struct store_stmt *s = store_prepare_err(st, Q_GEN_GET, e);
	int rc;

	st->gen_written = 0;	/* (a copy may be made at this stamp: see
				   gen_wrote) */
	if (s == NULL)
		return -1;
	store_bind_text(s, 1, table);
	if ((rc = store_step(s)) == STORE_ROW)
		*n = store_col_int(s, 0);
	store_reset(s);
	if (rc == STORE_ERR)
		return store_err(st, e);
	if (rc != STORE_ROW)
		return err_set(e, ERR_SYSTEM, "%s: %s", TR("không có thế hệ của bảng",
		    "no generation for table"), table);
	return 0;
}

static int
gen_bump_now(struct store *st, const char *table, struct err *e)
{
	struct store_stmt *s = store_prepare_err(st, store_backend(st) == STORE_PG ?
	    Q_GEN_BUMP_PG : Q_GEN_BUMP_SQLITE, e);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, table);
	return store_run_err(st, s, e);
}

/*
 * On PostgreSQL inside a transaction the bump waits for the commit
 * (store_commit writes the pending ones, in name order): a generation's
 * row is then locked only for the commit's moment, and two servers'
 * write batches cannot deadlock on it (one holding a generation, waiting
 * for a row the other holds). SQLite has one writer: at once.
 */
static int
gen_bump(struct store *st, const char *table, struct err *e)
{
	int i;

	if (store_backend(st) != STORE_PG || !st->ops->in_txn(st))
		return gen_bump_now(st, table, e);
	for (i = 0; i < st->ngen_pending; i++)
		if (strcmp(st->gen_pending[i], table) == 0)
			return 0;
	if (st->ngen_pending == (int)(sizeof st->gen_pending /
	    sizeof st->gen_pending[0]) || strlen(table) >= sizeof
	    st->gen_pending[0])
		return gen_bump_now(st, table, e);
	snprintf(st->gen_pending[st->ngen_pending++], sizeof st->gen_pending[0],
	    "%s", table);
	return 0;
}

/*
 * The tables whose writes replace a generation (migrations 0009, 0010,
 * 0014, 0018: every table the eligibility snapshot reads is "elig"'s,
 * and all but ratings and awards "elig-base"'s too, whose rows reach the
 * snapshot's copy through elig_log instead: snapcache-elig.h;
 * the movements' definitions are "movement-defs"'s), so that no writer
 * has to remember to: a statement's SQL is read once, when
 * it is prepared (store_exec's at each call), for the tables it names
 * after INSERT [OR …] INTO, REPLACE INTO, UPDATE [OR …] and DELETE FROM.
 */
enum { GEN_ELIG = 1, GEN_RECORDS = 2, GEN_TARGETS = 4, GEN_BASE = 8,
	GEN_DEFS = 16,
	GEN_FORGET = 1 << 30 };	/* ROLLBACK TO: see gen_wrote */
static const char *const gen_names[] = { "elig", "records", "targets",
	"elig-base", "movement-defs" };
static const struct {
	const char	*table;
	unsigned	 gens;
} gen_tables[] = {
	{ "records", GEN_RECORDS }, { "targets", GEN_TARGETS },
	{ "subjects", GEN_ELIG | GEN_BASE }, { "units", GEN_ELIG | GEN_BASE },
	{ "people", GEN_ELIG | GEN_BASE },
	{ "person_units", GEN_ELIG | GEN_BASE }, { "ratings", GEN_ELIG },
	{ "awards", GEN_ELIG }, { "innovations", GEN_ELIG | GEN_BASE },
	{ "innovation_authors", GEN_ELIG | GEN_BASE },
	{ "discipline", GEN_ELIG | GEN_BASE },
	{ "incidents", GEN_ELIG | GEN_BASE }, { "service", GEN_ELIG | GEN_BASE },
	/* (0018: what movement scores rest on besides records and targets) */
	{ "movements", GEN_DEFS }, { "movement_versions", GEN_DEFS },
	{ "movement_criteria", GEN_DEFS }, { "pledges", GEN_DEFS },
	{ "metrics", GEN_DEFS },
};

static unsigned
gens_of_table(const char *t)
{
	for (size_t i = 0; i < sizeof gen_tables / sizeof gen_tables[0]; i++)
		if (strcmp(gen_tables[i].table, t) == 0)
			return gen_tables[i].gens;
	return 0;
}

/*
 * The next word of SQL from *p into w (lower case; a quoted name without
 * its quotes, a dotted name's last part): 1, or 0 at the end. String
 * literals and punctuation are skipped.
 */
static int
sql_word(const char **p, char *w, size_t size)
{
	const char *s = *p;
	size_t n = 0;

	for (;;) {
		if (*s == '\0')
			return 0;
		if (*s == '\'') {
			for (s++; *s != '\0' && (*s != '\'' || *++s == '\'');
			    s++)
				;
			continue;
		}
		if (isalnum((unsigned char)*s) || *s == '_' || *s == '"')
			break;
		s++;
	}
	while (isalnum((unsigned char)*s) || *s == '_' || *s == '"' ||
	    *s == '.') {
		if (*s == '.')
			n = 0;
		else if (*s != '"' && n + 1 < size)
			w[n++] = (char)tolower((unsigned char)*s);
		s++;
	}
	w[n] = '\0';
	*p = s;
	return 1;
}

static unsigned
gens_of(const char *sql)
{
	enum { ANY, TABLE, UPDATE, UPDATE_OR, DELETE } state = ANY;
	unsigned gens = 0;
	char w[64];
	const char *p = sql;

	/* ROLLBACK TO [SAVEPOINT] undoes the generations replaced since */
	if (sql_word(&p, w, sizeof w) && strcmp(w, "rollback") == 0 &&
	    sql_word(&p, w, sizeof w) && strcmp(w, "to") == 0)
		return GEN_FORGET;
	while (sql_word(&sql, w, sizeof w)) {
		switch (state) {
		case TABLE:
			gens |= gens_of_table(w);
			state = ANY;
			continue;
		case UPDATE:	/* (not ON UPDATE …: no table is named set) */
			state = strcmp(w, "or") == 0 ? UPDATE_OR : ANY;
			if (state == ANY)
				gens |= gens_of_table(w);
			continue;
		case UPDATE_OR:
			state = TABLE;
			continue;
		case DELETE:
			state = ANY;
			if (strcmp(w, "from") == 0) {
				state = TABLE;
				continue;
			}
			break;
		case ANY:
			break;
		}
		if (strcmp(w, "into") == 0)
			state = TABLE;
		else if (strcmp(w, "update") == 0)
			state = UPDATE;
		else if (strcmp(w, "delete") == 0)
			state = DELETE;
	}
	return gens;
}

/*
 * A statement wrote tables of those generations: replace their stamps.
 * Outside a transaction at once; inside one through
 * gen_bump (SQLite: at once; PostgreSQL: at the commit),
 * once for the writes that follow each other: a generation replaced in
 * the transaction is replaced again only after its stamp was read on
 * this handle (a copy made inside the transaction is stamped with what
 * it read, so a later write must change that). 0, or -1 with the
 * handle's message.
 */
static int
gen_wrote(struct store *st, unsigned gens)
{
	struct err e;
	int txn = st->ops->in_txn(st);

	/* outside a transaction, or after a ROLLBACK TO that may have undone
	 * SQLite's replacements, every generation is replaced again */
	if (!txn || (gens & GEN_FORGET))
		st->gen_written = 0;
	for (size_t i = 0; i < sizeof gen_names / sizeof gen_names[0]; i++) {
		unsigned bit = 1u << i;

		if (!(gens & bit) || (st->gen_written & bit))
			continue;
		if ((txn ? gen_bump(st, gen_names[i], &e) :
		    gen_bump_now(st, gen_names[i], &e)) != 0)
			return -1;
		if (txn)
			st->gen_written |= bit;
	}
	return 0;
}

/*
 * SQLite's elig_log (migration 0014: triggers append a row per row of
 * ratings or awards written) is emptied at the commit of a transaction
 * that wrote the snapshot's tables once it holds more than
 * ELIG_LOG_KEEP rows (a copy is brought up to date from at most 50,000:
 * store-elig.h), keeping one row at the last seq so that seq goes on
 * growing. A DELETE without WHERE drops the table's pages at once; a
 * trigger cutting the log row by row cost more than the log itself
 * (1.4 of 3.0 s CPU for a million ratings updated). PostgreSQL's (migration
 * 0023) is cut by its own triggers, under its lock. 0, or -1.
 */
#define ELIG_LOG_KEEP	131072

/*
 * The span (last seq less first) and last seq of log table by sql, which
 * asks one MIN or MAX a subquery: SQLite reads the b-tree's end for each,
 * while one query asking both scans the whole log, at every commit of a
 * POST. 1 read, 0 no such table (before its migration), or -1.
 */
static int
log_span(struct store *st, const char *table, const char *sql, int64_t *span,
    int64_t *last)
{
	struct store_stmt *s;

	*span = *last = 0;
	if (!st->ops->table_exists(st, table))
		return 0;
	if ((s = store_prepare(st, sql)) == NULL)
		return -1;
	if (store_step(s) == STORE_ROW) {
		*span = store_col_int(s, 0);
		*last = store_col_int(s, 1);
	}
	store_reset(s);
	return 1;
}

static const char Q_LOG_SPAN[] =
    "SELECT COALESCE((SELECT MAX(seq) FROM elig_log) - "
    "(SELECT MIN(seq) FROM elig_log), 0), "
    "COALESCE((SELECT MAX(seq) FROM elig_log), 0)";
static const char Q_LOG_CLEAR[] = "DELETE FROM elig_log";
static const char Q_LOG_MARK[] =
    "INSERT INTO elig_log (seq, tbl, subject_id, year) VALUES ($1, 'r', 0, 0)";

/*
 * Log table (its span, clearing and one-row marking statements) emptied
 * down to one row at its last seq, with a new tag, once it spans more
 * than keep rows. 0, or -1.
 */
static int
log_trim_to_one(struct store *st, const char *table, const char *span_sql,
    const char *clear, const char *mark, int64_t keep)
{
	struct store_stmt *s;
	int64_t span, last;
	int rc = log_span(st, table, span_sql, &span, &last);

	if (rc <= 0 || span <= keep)
		return rc < 0 ? -1 : 0;
	if (st->ops->exec(st, clear) != 0 ||
	    (s = store_prepare(st, mark)) == NULL)
		return -1;
	store_bind_int(s, 1, last);
	return store_run(s) == STORE_DONE ? 0 : -1;
}

static int
elig_log_trim(struct store *st)
{
	return log_trim_to_one(st, "elig_log", Q_LOG_SPAN, Q_LOG_CLEAR,
	    Q_LOG_MARK, ELIG_LOG_KEEP);
}

/*
 * SQLite's subject_log (migration 0016: the subjects whose units, people
 * or stays rows were written, for the search index: h-search.c) likewise,
 * at the commit of a transaction that wrote "elig-base"'s tables, but
 * down to its last SLOG_TAIL rows, not one: an index a few writes behind
 * when a small write empties a log grown long (by bulk writes or writers
 * outside the store) still follows it instead of being built again. A
 * range of the key: 0.18 s for 131,072 rows, 90 ms of CPU for 860,000.
 * 0, or -1.
 */
#define SLOG_TAIL	4096

static const char Q_SLOG_SPAN[] =
    "SELECT COALESCE((SELECT MAX(seq) FROM subject_log) - "
    "(SELECT MIN(seq) FROM subject_log), 0), "
    "COALESCE((SELECT MAX(seq) FROM subject_log), 0)";
static const char Q_SLOG_CUT[] = "DELETE FROM subject_log WHERE seq <= $1";

static int
subject_log_trim(struct store *st)
{
	struct store_stmt *s;
	int64_t span, last;
	int rc = log_span(st, "subject_log", Q_SLOG_SPAN, &span, &last);

	if (rc <= 0 || span <= ELIG_LOG_KEEP)
		return rc < 0 ? -1 : 0;
	if ((s = store_prepare(st, Q_SLOG_CUT)) == NULL)
		return -1;
	store_bind_int(s, 1, last - SLOG_TAIL);
	return store_run(s) == STORE_DONE ? 0 : -1;
}

/*
 * SQLite's records_log (migration 0015: triggers append the subject of
 * every records row written) is emptied the same way at the commit of a
 * transaction that wrote records once it holds more than
 * RECORDS_LOG_KEEP rows: a columnar copy further behind is made again
 * whole (movement-eval.c). The row kept takes a new tag, so a copy made
 * at the last seq is made again too (rare: it needs the log full). 0, -1.
 */
#define RECORDS_LOG_KEEP	1048576

static const char Q_RLOG_SPAN[] =
    "SELECT COALESCE((SELECT MAX(seq) FROM records_log) - "
    "(SELECT MIN(seq) FROM records_log), 0), "
    "COALESCE((SELECT MAX(seq) FROM records_log), 0)";
static const char Q_RLOG_CLEAR[] = "DELETE FROM records_log";
static const char Q_RLOG_MARK[] =
    "INSERT INTO records_log (seq, subject_id) VALUES ($1, 0)";

static int
records_log_trim(struct store *st)
{
	return log_trim_to_one(st, "records_log", Q_RLOG_SPAN, Q_RLOG_CLEAR,
	    Q_RLOG_MARK, RECORDS_LOG_KEEP);
}

/*
 * SQLite's targets_log (migration 0025: triggers append the movement and
 * subject of every targets row written) likewise, at the commit of a
 * transaction that wrote targets: a movement's targets copy further
 * behind is made again whole (movement-eval.c).
 */
static const char Q_TLOG_SPAN[] =
    "SELECT COALESCE((SELECT MAX(seq) FROM targets_log) - "
    "(SELECT MIN(seq) FROM targets_log), 0), "
    "COALESCE((SELECT MAX(seq) FROM targets_log), 0)";
static const char Q_TLOG_CLEAR[] = "DELETE FROM targets_log";
static const char Q_TLOG_MARK[] =
    "INSERT INTO targets_log (seq, movement_id, subject_id) VALUES ($1, 0, 0)";

static int
targets_log_trim(struct store *st)
{
	return log_trim_to_one(st, "targets_log", Q_TLOG_SPAN, Q_TLOG_CLEAR,
	    Q_TLOG_MARK, RECORDS_LOG_KEEP);
}

/* Write the transaction's pending bumps, in name order; 0 or -1. */
static int
gen_flush(struct store *st)
{
	struct err e;
	int n = st->ngen_pending, rc = 0;

	st->ngen_pending = 0;
	qsort(st->gen_pending, (size_t)n, sizeof st->gen_pending[0],
	    (int (*)(const void *, const void *))strcmp);
	for (int i = 0; i < n && rc == 0; i++)
		rc = gen_bump_now(st, st->gen_pending[i], &e);
	return rc;
}

static const char Q_DB_FILE[] =
    "SELECT file FROM pragma_database_list WHERE name = 'main'";

char *
store_sqlite_path(struct store *st)
{
	struct store_stmt *s;
	char *path = NULL;

	if (store_backend(st) != STORE_SQLITE || (s = store_prepare(st, Q_DB_FILE)) == NULL)
		return NULL;
	if (store_step(s) == STORE_ROW && *store_col_text(s, 0))
		path = xstrdup(store_col_text(s, 0));
	store_reset(s);
	return path;
}

int
store_in_txn(struct store *st)
{
	return st->ops->in_txn(st);
}

int
store_table_exists(struct store *st, const char *table)
{
	return st->ops->table_exists(st, table);
}

int
store_backup(struct store *st, const char *target, const char *path,
    struct err *e)
{
	return st->ops->backup(st, target, path, e);
}

int
store_restore(struct store *st, const char *target, const char *path,
    struct err *e)
{
	return st->ops->restore(st, target, path, e);
}

int
store_integrity(struct store *st, char *detail, size_t sz, struct err *e)
{
	struct store_stmt *s;
	int rc, ok = 1;

	detail[0] = '\0';
	if (store_backend(st) != STORE_SQLITE)
		return 1;
	if ((s = store_prepare_err(st, "PRAGMA integrity_check", e)) == NULL)
		return -1;
	while ((rc = store_step(s)) == STORE_ROW) {
		const char *v = store_col_text(s, 0);

		if (strcmp(v, "ok") != 0) {
			ok = 0;
			if (detail[0] == '\0')
				snprintf(detail, sz, "%s", v);
		}
	}
	store_reset(s);
	return rc == STORE_ERR ? store_err(st, e) : ok;
}

static const char Q_HOLDS[] =
    "SELECT (SELECT COUNT(*) FROM subjects) + (SELECT COUNT(*) FROM ledger) "
    "+ (SELECT COUNT(*) FROM accounts)";

long
store_holds_data(struct store *st, struct err *e)
{
	struct store_stmt *s;
	long n = 0;
	int rc;

	if (store_schema_version(st) <= 0)
		return 0;
	if ((s = store_prepare_err(st, Q_HOLDS, e)) == NULL)
		return -1;
	if ((rc = store_step(s)) == STORE_ROW)
		n = (long)store_col_int(s, 0);
	store_reset(s);
	return rc == STORE_ROW ? n : store_err(st, e);
}

static const char Q_REPLICA[] =
    "SELECT pg_is_in_recovery(), COALESCE(to_char("
    "COALESCE(pg_last_xact_replay_timestamp(), now()) AT TIME ZONE 'UTC', "
    "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), '')";

int
store_replica_as_of(struct store *st, char *as_of, size_t sz, struct err *e)
{
	struct store_stmt *s;
	int rc, standby = 0;

	as_of[0] = '\0';
	if (store_backend(st) != STORE_PG)
		return 0;
	if ((s = store_prepare_err(st, Q_REPLICA, e)) == NULL)
		return -1;
	if ((rc = store_step(s)) == STORE_ROW) {
		standby = store_col_int(s, 0) != 0 ||
		    strcmp(store_col_text(s, 0), "t") == 0;
		snprintf(as_of, sz, "%s", store_col_text(s, 1));
	}
	store_reset(s);
	return rc == STORE_ROW ? standby : store_err(st, e);
}
