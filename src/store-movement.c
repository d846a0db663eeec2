/*
 * store-movement.c: SQL of the movements area (store-movement.h):
 * movements and versions, the scoring snapshot, ratings, targets and
 * pledges. Rows stream to callbacks; nothing is buffered here.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codemap.h"
#include "import-kinds.h"
#include "movement.h"
#include "store-movement.h"
#include "store-int.h"
#include "store.h"
#include "util.h"




/*
 * Stream the rows of a bound statement: fmt has one letter per column,
 * 'i' to the next i[], 'd' to d, 't' to the next t[].
 */
static int
stream(struct store *st, struct store_stmt *s, const char *fmt, mv_row_fn fn,
    void *arg, struct err *e)
{
	struct mv_row r;
	int rc;

	store_stream(s);	/* PostgreSQL: chunks, not the whole result */
	while ((rc = store_step(s)) == STORE_ROW) {
		int ni = 0, nt = 0;

		memset(&r, 0, sizeof r);
		for (int c = 0; fmt[c]; c++)
			switch (fmt[c]) {
			case 'i':
				r.i[ni++] = store_col_int(s, c);
				break;
			case 'd':
				r.d = store_col_double(s, c);
				break;
			default:
				r.t[nt++] = store_col_text(s, c);
				break;
			}
		if (fn(arg, &r, e) != 0) {
			store_reset(s);
			return -1;
		}
	}
	store_reset(s);
	return rc == STORE_DONE ? 0 : store_err(st, e);
}

/* Prepare, bind up to two values ('i' int, 't' text), stream. */
static int
query(struct store *st, const char *sql, const char *fmt, const char *bt,
    int64_t i1, const char *t1, int64_t i2, const char *t2, mv_row_fn fn,
    void *arg, struct err *e)
{
	struct store_stmt *s = store_prepare_err(st, sql, e);

	if (s == NULL)
		return -1;
	for (int b = 0; bt[b]; b++) {
		if (bt[b] == 'i')
			store_bind_int(s, b + 1, b == 0 ? i1 : i2);
		else
			store_bind_text(s, b + 1, b == 0 ? t1 : t2);
	}
	return stream(st, s, fmt, fn, arg, e);
}

/* ---- movements and versions ---- */

static const char Q_UNIT_ID[] =
    "SELECT u.id FROM units u JOIN subjects s ON s.id = u.id WHERE s.code = $1";

int
store_movement_unit_id(struct store *st, const char *code, int64_t *id,
    struct err *e)
{
	struct store_stmt *s = store_prepare_err(st, Q_UNIT_ID, e);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, code);
	rc = store_step(s);
	if (rc == STORE_ROW)
		*id = store_col_int(s, 0);
	store_reset(s);
	if (rc == STORE_ERR)
		return store_err(st, e);
	return rc == STORE_ROW ? 0 : 1;
}

static const char Q_MV_LATEST[] =
    "SELECT m.id, m.version, v.source FROM movements m "
    "JOIN movement_versions v ON v.movement_id = m.id AND v.version = m.version "
    "WHERE m.code = $1";
static const char Q_MV_INSERT[] =
    "INSERT INTO movements (code, version, name_vi, name_en, kind, start_date, "
    "end_date, scope_id, subjects, group_by) VALUES ($1, 1, $2, $3, $4, $5, $6, "
    "$7, $8, $9) RETURNING id";
static const char Q_MV_UPDATE[] =
    "UPDATE movements SET version = $2, name_vi = $3, name_en = $4, kind = $5, "
    "start_date = $6, end_date = $7, scope_id = $8, subjects = $9, "
    "group_by = $10 WHERE id = $1";
static const char Q_MV_VERSION[] =
    "INSERT INTO movement_versions (movement_id, version, loaded_at, source) "
    "VALUES ($1, $2, $3, $4)";
static const char Q_MV_CRIT_DEL[] =
    "DELETE FROM movement_criteria WHERE movement_id = $1";
static const char Q_MV_CRIT_INS[] =
    "INSERT INTO movement_criteria (movement_id, pos, code, metric, weight, "
    "scoring) VALUES ($1, $2, $3, $4, $5, $6)";

static void
bind_header(struct store_stmt *s, int at, const struct movement *m,
    int64_t scope)
{
	char d1[11], d2[11];

	date_format(m->start, d1);
	date_format(m->end, d2);
	store_bind_text(s, at, m->name_vi);
	store_bind_opt(s, at + 1, m->name_en);
	store_bind_text(s, at + 2, mv_kind_name(m->kind));
	store_bind_text(s, at + 3, d1);
	store_bind_text(s, at + 4, d2);
	store_bind_int(s, at + 5, scope);
	store_bind_text(s, at + 6, m->subjects == MV_PEOPLE ? "person" : "unit");
	store_bind_text(s, at + 7, mv_group_name(m->group_by));
}

int
store_movement_save(struct store *st, const struct movement *m, int64_t scope,
    const char *source, int *version, int *added, struct err *e)
{
	static const char *const scoring[] = { "ratio", "bands", "veto" };
	struct store_stmt *s;
	int64_t id = 0;
	int rc, same = 0;
	char now[32];
	time_t t = time(NULL);

	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	*version = 0;
	*added = 0;
	if ((s = store_prepare_err(st, Q_MV_LATEST, e)) == NULL)
		return -1;
	store_bind_text(s, 1, m->code);
	if ((rc = store_step(s)) == STORE_ROW) {
		id = store_col_int(s, 0);
		*version = (int)store_col_int(s, 1);
		same = strcmp(store_col_text(s, 2), source) == 0;
	}
	store_reset(s);
	if (rc == STORE_ERR)
		return store_err(st, e);
	if (same)
		return 0;
	if (id == 0) {
		if ((s = store_prepare_err(st, Q_MV_INSERT, e)) == NULL)
			return -1;
		store_bind_text(s, 1, m->code);
		bind_header(s, 2, m, scope);
		if ((rc = store_step(s)) == STORE_ROW)
			id = store_col_int(s, 0);
		store_reset(s);
		if (rc != STORE_ROW)
			return store_err(st, e);
		*version = 1;
	} else {
		if ((s = store_prepare_err(st, Q_MV_UPDATE, e)) == NULL)
			return -1;
		store_bind_int(s, 1, id);
		store_bind_int(s, 2, ++*version);
		bind_header(s, 3, m, scope);
		if (store_run_err(st, s, e) != 0)
			return -1;
	}
	if ((s = store_prepare_err(st, Q_MV_VERSION, e)) == NULL)
		return -1;
	store_bind_int(s, 1, id);
	store_bind_int(s, 2, *version);
	store_bind_text(s, 3, now);
	store_bind_text(s, 4, source);
	if (store_run_err(st, s, e) != 0 || (s = store_prepare_err(st, Q_MV_CRIT_DEL, e)) == NULL)
		return -1;
	store_bind_int(s, 1, id);
	if (store_run_err(st, s, e) != 0)
		return -1;
	for (size_t c = 0; c < m->ncrit; c++) {
		if ((s = store_prepare_err(st, Q_MV_CRIT_INS, e)) == NULL)
			return -1;
		store_bind_int(s, 1, id);
		store_bind_int(s, 2, (int64_t)c);
		store_bind_text(s, 3, m->crit[c].code);
		store_bind_text(s, 4, m->crit[c].metric);
		store_bind_double(s, 5, m->crit[c].weight);
		store_bind_text(s, 6, scoring[m->crit[c].scoring]);
		if (store_run_err(st, s, e) != 0)
			return -1;
	}
	*added = 1;
	return 0;
}

int
store_movement_source(struct store *st, const char *code, int64_t *id,
    char **source, int *version, struct err *e)
{
	struct store_stmt *s = store_prepare_err(st, Q_MV_LATEST, e);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, code);
	if ((rc = store_step(s)) == STORE_ROW) {
		*id = store_col_int(s, 0);
		*version = (int)store_col_int(s, 1);
		*source = xstrdup(store_col_text(s, 2));
	}
	store_reset(s);
	if (rc == STORE_ERR)
		return store_err(st, e);
	if (rc != STORE_ROW)
		return err_at(e, ERR_NOTFOUND, NULL, 0, 0, "movement", "%s '%s'",
		    TR("không có phong trào", "no such movement"), code);
	return 0;
}

static const char Q_MV_LIST[] =
    "SELECT m.version, m.code, m.name_vi, m.name_en, m.kind, m.start_date, "
    "m.end_date, s.code, m.subjects FROM movements m "
    "JOIN subjects s ON s.id = m.scope_id ORDER BY m.start_date, m.code";

int
store_movement_list(struct store *st, mv_row_fn fn, void *arg, struct err *e)
{
	return query(st, Q_MV_LIST, "itttttttt", "", 0, NULL, 0, NULL, fn, arg, e);
}

static const char Q_MV_REGULAR[] =
    "SELECT code FROM movements WHERE kind = 'regular' "
    "AND end_date >= $1 AND end_date <= $2 ORDER BY code";

int
store_movement_regular(struct store *st, int year, mv_row_fn fn, void *arg,
    struct err *e)
{
	char a[16], b[16];

	snprintf(a, sizeof a, "%04d-01-01", year);
	snprintf(b, sizeof b, "%04d-12-31", year);
	return query(st, Q_MV_REGULAR, "t", "tt", 0, a, 0, b, fn, arg, e);
}

/* ---- the scoring snapshot ---- */

static const char Q_MAX_SUBJECT[] = "SELECT COALESCE(MAX(id), 0) FROM subjects";

int
store_movement_max_subject(struct store *st, int64_t *max, struct err *e)
{
	struct store_stmt *s = store_prepare_err(st, Q_MAX_SUBJECT, e);
	int rc;

	if (s == NULL)
		return -1;
	if ((rc = store_step(s)) == STORE_ROW)
		*max = store_col_int(s, 0);
	store_reset(s);
	return rc == STORE_ROW ? 0 : store_err(st, e);
}

static const char Q_UNITS[] =
    "SELECT u.id, COALESCE(u.parent_id, 0), s.code, u.bloc, u.name "
    "FROM units u JOIN subjects s ON s.id = u.id ORDER BY u.id";
/* A person's unit in a movement is the one of the movement's period: the
 * last stay begun by its end and not ended before its start (the transfer
 * history), else people.unit_id. */
static const char Q_PEOPLE[] =
    "SELECT p.id, COALESCE((SELECT pu.unit_id FROM person_units pu "
    "WHERE pu.person_id = p.id AND pu.from_date <= $1 AND "
    "(pu.to_date IS NULL OR pu.to_date > $2) ORDER BY pu.from_date DESC "
    "LIMIT 1), p.unit_id), s.code, p.name FROM people p "
    "JOIN subjects s ON s.id = p.id ORDER BY p.id";
static const char Q_TARGETS[] =
    "SELECT subject_id, criterion, target FROM targets WHERE movement_id = $1 "
    "ORDER BY subject_id, criterion";
static const char Q_METRICS[] = "SELECT id, code FROM metrics";

int
store_movement_units(struct store *st, mv_row_fn fn, void *arg, struct err *e)
{
	return query(st, Q_UNITS, "iittt", "", 0, NULL, 0, NULL, fn, arg, e);
}

/*
 * On SQLite the same as two ordered streams merged here: the people, and
 * the stays of the period in (person, start) order, of which each
 * person's last is the one Q_PEOPLE's subquery picks (the key is (person,
 * start): no two stays of a person begin the same day). The subquery was
 * a program of its own run a person: 0.3 s of every evaluation at a
 * million people, stays or none. (PostgreSQL streams one result at a time
 * on a connection: it keeps Q_PEOPLE.)
 */
static const char Q_PEOPLE_ONLY[] =
    "SELECT p.id, p.unit_id, s.code, p.name FROM people p "
    "JOIN subjects s ON s.id = p.id ORDER BY p.id";
static const char Q_STAYS_OF[] =
    "SELECT person_id, unit_id FROM person_units WHERE from_date <= $1 AND "
    "(to_date IS NULL OR to_date > $2) ORDER BY person_id, from_date";

static int
people_merged(struct store *st, const char *s0, const char *s1,
    mv_row_fn fn, void *arg, struct err *e)
{
	struct store_stmt *p, *u;
	struct mv_row r;
	int rc, ru, stop = 0;

	if ((u = store_prepare_err(st, Q_STAYS_OF, e)) == NULL)
		return -1;
	if ((p = store_prepare_err(st, Q_PEOPLE_ONLY, e)) == NULL) {
		store_reset(u);
		return -1;
	}
	store_bind_text(u, 1, s1);
	store_bind_text(u, 2, s0);
	ru = store_step(u);
	while ((rc = store_step(p)) == STORE_ROW) {
		int64_t id = store_col_int(p, 0), unit = store_col_int(p, 1);

		while (ru == STORE_ROW && store_col_int(u, 0) < id)
			ru = store_step(u);
		for (; ru == STORE_ROW && store_col_int(u, 0) == id;
		    ru = store_step(u))
			unit = store_col_int(u, 1);
		if (ru != STORE_ROW && ru != STORE_DONE)
			break;
		memset(&r, 0, sizeof r);
		r.i[0] = id;
		r.i[1] = unit;
		r.t[0] = store_col_text(p, 2);
		r.t[1] = store_col_text(p, 3);
		if (fn(arg, &r, e) != 0) {
			stop = 1;
			break;
		}
	}
	if (stop)
		rc = -1;
	else if (rc != STORE_DONE || (ru != STORE_ROW && ru != STORE_DONE))
		rc = store_err(st, e);	/* (either step failed) */
	else
		rc = 0;
	store_reset(p);
	store_reset(u);
	return rc;
}

int
store_movement_people(struct store *st, int32_t start, int32_t end,
    mv_row_fn fn, void *arg, struct err *e)
{
	char s0[11], s1[11];

	date_format(start, s0);
	date_format(end, s1);
	if (store_backend(st) == STORE_SQLITE)
		return people_merged(st, s0, s1, fn, arg, e);
	return query(st, Q_PEOPLE, "iitt", "tt", 0, s1, 0, s0, fn, arg, e);
}

int
store_movement_targets(struct store *st, int64_t mv, mv_row_fn fn, void *arg,
    struct err *e)
{
	return query(st, Q_TARGETS, "itd", "i", mv, NULL, 0, NULL, fn, arg, e);
}

static const char Q_TARGETS_RANGE[] =
    "SELECT subject_id, criterion, target FROM targets WHERE movement_id = $1 "
    "AND subject_id >= $2 AND subject_id < $3 ORDER BY subject_id, criterion";
/* (one MIN or MAX a subquery: SQLite reads the key's ends for each, where
 * one query with both scanned the movement's targets, 10M rows and 0.9 s
 * of every cold evaluation at a million people) */
static const char Q_TARGET_SPAN[] =
    "SELECT COALESCE((SELECT MIN(subject_id) FROM targets "
    "WHERE movement_id = $1), 0), COALESCE((SELECT MAX(subject_id) "
    "FROM targets WHERE movement_id = $1), 0)";

int
store_movement_targets_range(struct store *st, int64_t mv, int64_t lo,
    int64_t hi, mv_row_fn fn, void *arg, struct err *e)
{
	struct store_stmt *s = store_prepare_err(st, Q_TARGETS_RANGE, e);

	if (s == NULL)
		return -1;
	store_bind_int(s, 1, mv);
	store_bind_int(s, 2, lo);
	store_bind_int(s, 3, hi);
	return stream(st, s, "itd", fn, arg, e);
}

int
store_movement_target_span(struct store *st, int64_t mv, int64_t *lo,
    int64_t *hi, struct err *e)
{
	struct store_stmt *s = store_prepare_err(st, Q_TARGET_SPAN, e);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_int(s, 1, mv);
	if ((rc = store_step(s)) == STORE_ROW) {
		*lo = store_col_int(s, 0);
		*hi = store_col_int(s, 1);
	}
	store_reset(s);
	return rc == STORE_ROW ? 0 : store_err(st, e);
}

int
store_movement_metrics(struct store *st, mv_row_fn fn, void *arg, struct err *e)
{
	return query(st, Q_METRICS, "it", "", 0, NULL, 0, NULL, fn, arg, e);
}

static const char Q_RECORDS[] =
    "SELECT subject_id, metric_id, day, value FROM records "
    "WHERE day >= $1 AND day <= $2 ORDER BY subject_id, metric_id, day";

int
store_movement_records(struct store *st, int32_t from, int32_t to,
    void (*fn)(void *, int64_t, int64_t, int32_t, double), void *arg,
    struct err *e)
{
	struct store_stmt *s = store_prepare_err(st, Q_RECORDS, e);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_int(s, 1, from);
	store_bind_int(s, 2, to);
	store_stream(s);
	while ((rc = store_step(s)) == STORE_ROW)
		fn(arg, store_col_int(s, 0), store_col_int(s, 1),
		    (int32_t)store_col_int(s, 2), store_col_double(s, 3));
	store_reset(s);
	return rc == STORE_DONE ? 0 : store_err(st, e);
}

static const char Q_RECORDS_DUMP[] =
    "SELECT subject_id, metric_id, day, value FROM records "
    "WHERE subject_id >= $1 AND subject_id < $2 "
    "ORDER BY subject_id, metric_id, day";

static const char Q_RLOG_TAG[] = "SELECT tag FROM records_log WHERE seq = $1";
static const char Q_RLOG_SUBJECTS[] =
    "SELECT DISTINCT subject_id FROM records_log WHERE seq > $1 "
    "ORDER BY subject_id";
static const char Q_RECORDS_OF[] =
    "SELECT metric_id, day, value FROM records WHERE subject_id = $1 "
    "ORDER BY metric_id, day";

/* A table's generation and its log's last row, as *t. */
static int
table_stamp(struct store *st, const char *table, const char *log,
    struct mv_rec_stamp *t, struct err *e)
{
	memset(t, 0, sizeof *t);
	if (store_generation(st, table, &t->gen, e) != 0)
		return -1;
	return store_log_last(st, log, &t->seq, &t->tag, e);
}

int
store_movement_records_stamp(struct store *st, struct mv_rec_stamp *t,
    struct err *e)
{
	return table_stamp(st, "records", "records_log", t, e);
}

/*
 * Whether a log (q: its tag at seq $1) still holds row seq with tag tag:
 * 1, 0 when not (trimmed, or another history), -1 with e.
 */
static int
log_holds(struct store *st, const char *q, int64_t seq, int64_t tag,
    struct err *e)
{
	struct store_stmt *s = store_prepare_err(st, q, e);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_int(s, 1, seq);
	rc = store_step(s);
	if (rc == STORE_ERR) {
		store_reset(s);
		return store_err(st, e);
	}
	rc = rc == STORE_ROW && store_col_int(s, 0) == tag;
	store_reset(s);
	return rc;
}

/* The body of store_movement_records_since, inside a transaction. */
static int
records_since(struct store *st, const struct mv_rec_stamp *had, int64_t max,
    struct mv_rec_stamp *now, void (*subject)(void *, int64_t),
    int (*row)(void *, int64_t, int64_t, int32_t, double), void *arg,
    struct err *e)
{
	struct store_stmt *s, *r;
	int rc, enough = 0;

	if (store_movement_records_stamp(st, now, e) != 0)
		return -1;
	if (had->seq == 0 || now->seq == 0 || now->seq < had->seq ||
	    now->seq - had->seq > max)
		return 0;
	if ((rc = log_holds(st, Q_RLOG_TAG, had->seq, had->tag, e)) <= 0)
		return rc;	/* trimmed, or another history */
	if ((s = store_prepare_err(st, Q_RLOG_SUBJECTS, e)) == NULL ||
	    (r = store_prepare_err(st, Q_RECORDS_OF, e)) == NULL)
		return -1;
	store_bind_int(s, 1, had->seq);
	while ((rc = store_step(s)) == STORE_ROW) {
		int64_t sid = store_col_int(s, 0);

		subject(arg, sid);
		store_bind_int(r, 1, sid);
		while (!enough && (rc = store_step(r)) == STORE_ROW)
			enough = row(arg, sid, store_col_int(r, 0),
			    (int32_t)store_col_int(r, 1), store_col_double(r, 2));
		store_reset(r);
		if (enough || rc != STORE_DONE)
			break;
	}
	store_reset(s);
	if (enough)
		return 0;
	return rc == STORE_DONE ? 1 : store_err(st, e);
}

int
store_movement_records_since(struct store *st, const struct mv_rec_stamp *had,
    int64_t max, struct mv_rec_stamp *now, void (*subject)(void *, int64_t),
    int (*row)(void *, int64_t, int64_t, int32_t, double), void *arg,
    struct err *e)
{
	int rc;

	if (store_in_txn(st))
		return records_since(st, had, max, now, subject, row, arg, e);
	if (store_begin_read(st) != 0)
		return store_err(st, e);
	rc = records_since(st, had, max, now, subject, row, arg, e);
	if (rc < 0) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st) == 0 ? rc : store_err(st, e);
}

static const char Q_TLOG_TAG[] = "SELECT tag FROM targets_log WHERE seq = $1";
static const char Q_TLOG_SUBJECTS[] =
    "SELECT DISTINCT subject_id FROM targets_log WHERE seq > $1 "
    "AND movement_id = $2 ORDER BY subject_id";
static const char Q_TARGETS_OF[] =
    "SELECT criterion, target FROM targets WHERE movement_id = $1 "
    "AND subject_id = $2 ORDER BY criterion";

int
store_movement_targets_stamp(struct store *st, struct mv_rec_stamp *t,
    struct err *e)
{
	return table_stamp(st, "targets", "targets_log", t, e);
}

/* The body of store_movement_targets_since, inside a transaction. */
static int
targets_since(struct store *st, int64_t mv, int64_t seq, int64_t tag,
    int64_t max, int (*subject)(void *, int64_t),
    int (*row)(void *, int64_t, const char *, double), void *arg,
    struct err *e)
{
	struct store_stmt *s, *r;
	int64_t last, ltag;
	int rc, enough = 0;

	if (store_log_last(st, "targets_log", &last, &ltag, e) != 0)
		return -1;
	if (seq == 0 || last < seq || last - seq > max)
		return 0;
	if ((rc = log_holds(st, Q_TLOG_TAG, seq, tag, e)) <= 0)
		return rc;	/* trimmed, another history, or another copy's */
	if ((s = store_prepare_err(st, Q_TLOG_SUBJECTS, e)) == NULL ||
	    (r = store_prepare_err(st, Q_TARGETS_OF, e)) == NULL)
		return -1;
	store_bind_int(s, 1, seq);
	store_bind_int(s, 2, mv);
	while (!enough && (rc = store_step(s)) == STORE_ROW) {
		int64_t sid = store_col_int(s, 0);

		if ((enough = subject(arg, sid)) != 0)
			break;
		store_bind_int(r, 1, mv);	/* (store_reset clears them) */
		store_bind_int(r, 2, sid);
		while (!enough && (rc = store_step(r)) == STORE_ROW)
			enough = row(arg, sid, store_col_text(r, 0),
			    store_col_double(r, 1));
		store_reset(r);
		if (rc == STORE_ERR)
			break;
	}
	store_reset(s);
	if (enough)
		return 0;
	return rc == STORE_DONE ? 1 : store_err(st, e);
}

int
store_movement_targets_since(struct store *st, int64_t mv, int64_t seq,
    int64_t tag, int64_t max, int (*subject)(void *, int64_t),
    int (*row)(void *, int64_t, const char *, double), void *arg,
    struct err *e)
{
	int rc;

	if (store_in_txn(st))
		return targets_since(st, mv, seq, tag, max, subject, row, arg, e);
	if (store_begin_read(st) != 0)
		return store_err(st, e);
	rc = targets_since(st, mv, seq, tag, max, subject, row, arg, e);
	if (rc < 0) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st) == 0 ? rc : store_err(st, e);
}

int
store_movement_records_dump(struct store *st, int64_t lo, int64_t hi,
    struct mv_rec_stamp *at,
    void (*fn)(void *, int64_t, int64_t, int32_t, double), void *arg,
    struct err *e)
{
	struct store_stmt *s;
	int rc;

	if (store_begin_read(st) != 0)
		return store_err(st, e);
	if (store_movement_records_stamp(st, at, e) != 0 ||
	    (s = store_prepare_err(st, Q_RECORDS_DUMP, e)) == NULL) {
		store_rollback(st);
		return -1;
	}
	store_bind_int(s, 1, lo);
	store_bind_int(s, 2, hi);
	while ((rc = store_step(s)) == STORE_ROW)
		fn(arg, store_col_int(s, 0), store_col_int(s, 1),
		    (int32_t)store_col_int(s, 2), store_col_double(s, 3));
	store_reset(s);
	if (rc != STORE_DONE) {
		store_err(st, e);
		store_rollback(st);
		return -1;
	}
	return store_commit(st) == 0 ? 0 : store_err(st, e);
}

static const char Q_INCIDENTS[] =
    "SELECT unit_id, CASE WHEN severity = 'serious' THEN 1 ELSE 0 END "
    "FROM incidents WHERE date >= $1 AND date <= $2";
static const char Q_INNOVATIONS[] =
    "SELECT i.id, a.person_id FROM innovations i "
    "JOIN innovation_authors a ON a.innovation_id = i.id "
    "WHERE i.year >= $1 AND i.year <= $2 ORDER BY i.id";
static const char Q_DISCIPLINE[] =
    "SELECT subject_id FROM discipline WHERE form <> 'pending' "
    "AND from_date >= $1 AND from_date <= $2";

int
store_movement_incidents(struct store *st, const char *from, const char *to,
    mv_row_fn fn, void *arg, struct err *e)
{
	return query(st, Q_INCIDENTS, "ii", "tt", 0, from, 0, to, fn, arg, e);
}

int
store_movement_innovations(struct store *st, int y1, int y2, mv_row_fn fn,
    void *arg, struct err *e)
{
	return query(st, Q_INNOVATIONS, "ii", "ii", y1, NULL, y2, NULL, fn, arg, e);
}

int
store_movement_discipline(struct store *st, const char *from, const char *to,
    mv_row_fn fn, void *arg, struct err *e)
{
	return query(st, Q_DISCIPLINE, "i", "tt", 0, from, 0, to, fn, arg, e);
}

/* ---- ratings ---- */

static const char Q_RATINGS[] =
    "SELECT subject_id, rating, source, source_ref FROM ratings WHERE year = $1";
static const char Q_RATING_PUT[] =
    "INSERT INTO ratings (year, subject_id, rating, source, source_ref) "
    "VALUES ($1, $2, $3, 'movement', $4) ON CONFLICT (year, subject_id) DO "
    "UPDATE SET rating = excluded.rating, source = excluded.source, "
    "source_ref = excluded.source_ref";

int
store_movement_ratings(struct store *st, int year, mv_row_fn fn, void *arg,
    struct err *e)
{
	return query(st, Q_RATINGS, "ittt", "i", year, NULL, 0, NULL, fn, arg, e);
}

int
store_movement_rating_put(struct store *st, int year, int64_t subject,
    const char *rating, const char *code, struct err *e)
{
	struct store_stmt *s = store_prepare_err(st, Q_RATING_PUT, e);

	if (s == NULL)
		return -1;
	store_bind_int(s, 1, year);
	store_bind_int(s, 2, subject);
	store_bind_text(s, 3, rating);
	store_bind_text(s, 4, code);
	return store_run_err(st, s, e);
}

/* ---- pledges and criteria ---- */

static const char Q_PLEDGES[] =
    "SELECT subject_id, award, by_date, note FROM pledges WHERE movement_id = $1";
static const char Q_CRITERIA[] =
    "SELECT m.id, m.scope_id, m.code, c.code, m.subjects FROM movements m "
    "JOIN movement_criteria c ON c.movement_id = m.id";

int
store_movement_pledges(struct store *st, int64_t mv, mv_row_fn fn, void *arg,
    struct err *e)
{
	return query(st, Q_PLEDGES, "ittt", "i", mv, NULL, 0, NULL, fn, arg, e);
}

int
store_movement_criteria(struct store *st, mv_row_fn fn, void *arg,
    struct err *e)
{
	return query(st, Q_CRITERIA, "iittt", "", 0, NULL, 0, NULL, fn, arg, e);
}

/* ---- import kinds: targets and pledges (columns in movement-kinds.c) ---- */

static int
on_mv_id(void *arg, const struct mv_row *r, struct err *e)
{
	(void)e;
	codemap_put(arg, r->t[0], r->i[0], 0);
	return 0;
}

/* Movement code → id of every movement. */
static int
mv_ids(struct store *st, struct codemap *m, struct err *e)
{
	codemap_init(m);
	if (store_movement_criteria(st, on_mv_id, m, e) != 0) {
		codemap_free(m);
		return -1;
	}
	return 0;
}

static int64_t
batch_subject(const struct batch *b, const char *code)
{
	int64_t id = 0;

	codemap_get(&b->refs->subjects, code, &id, NULL);
	return id;
}

static const char Q_TARGET_UPSERT[] =
    "INSERT INTO targets (movement_id, subject_id, criterion, target) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (movement_id, subject_id, criterion) "
    "DO UPDATE SET target = excluded.target";
static const char Q_PLEDGE_UPSERT[] =
    "INSERT INTO pledges (movement_id, subject_id, award, by_date, note) "
    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (movement_id, subject_id) "
    "DO UPDATE SET award = excluded.award, by_date = excluded.by_date, "
    "note = excluded.note";

/*
 * Targets and pledges on PostgreSQL: a statement per row is a round trip
 * per row (minutes for a million targets, or a ministry's pledges), so
 * the rows go by COPY into a staging table and one set-based upsert; a
 * key repeated in the file keeps its last row, as the row-by-row form
 * does. (Pledges so from PLEDGES_STAGED_MIN rows; a few go row by row.)
 */
static const char Q_TARGETS_STAGE[] =
    "CREATE TEMP TABLE IF NOT EXISTS stage_targets (seq BIGINT, "
    "movement_id BIGINT, subject_id BIGINT, criterion TEXT, "
    "target DOUBLE PRECISION) ON COMMIT DROP";
static const char Q_TARGETS_MERGE[] =
    "INSERT INTO targets (movement_id, subject_id, criterion, target) "
    "SELECT DISTINCT ON (movement_id, subject_id, criterion) movement_id, "
    "subject_id, criterion, target FROM stage_targets "
    "ORDER BY movement_id, subject_id, criterion, seq DESC "
    "ON CONFLICT (movement_id, subject_id, criterion) "
    "DO UPDATE SET target = excluded.target";
static const char *const stage_targets_cols[] = { "seq", "movement_id",
    "subject_id", "criterion", "target" };
static const char Q_PLEDGES_STAGE[] =
    "CREATE TEMP TABLE IF NOT EXISTS stage_pledges (seq BIGINT, "
    "movement_id BIGINT, subject_id BIGINT, award TEXT, by_date TEXT, "
    "note TEXT) ON COMMIT DROP";
static const char Q_PLEDGES_MERGE[] =
    "INSERT INTO pledges (movement_id, subject_id, award, by_date, note) "
    "SELECT DISTINCT ON (movement_id, subject_id) movement_id, subject_id, "
    "award, by_date, note FROM stage_pledges "
    "ORDER BY movement_id, subject_id, seq DESC "
    "ON CONFLICT (movement_id, subject_id) DO UPDATE SET "
    "award = excluded.award, by_date = excluded.by_date, note = excluded.note";
static const char *const stage_pledges_cols[] = { "seq", "movement_id",
    "subject_id", "award", "by_date", "note" };
#define PLEDGES_STAGED_MIN	32

/*
 * b's rows (movement, subject, then the kind's cells) by COPY into the
 * staging table create makes (table, its ncols columns: seq, the ids,
 * the cells as given), emptied first, then merge: 0 or -1.
 */
static int
stage_kind(struct store *st, const struct batch *b, const char *create,
    const char *table, const char *const *cols, int ncols, const char *merge,
    struct err *e)
{
	struct store_bulk *bk;
	struct codemap ids;
	char f[3][32], empty[64];
	const char *v[8] = { f[0], f[1], f[2] };
	int rc = -1;

	if (ncols > 8)
		abort();	/* (a kind wider than v: a bug) */
	if (mv_ids(st, &ids, e) != 0)
		return -1;
	snprintf(empty, sizeof empty, "DELETE FROM %s", table);
	if (store_exec(st, create) != 0 || store_exec(st, empty) != 0 ||
	    (bk = store_bulk_begin(st, table, cols, ncols)) == NULL) {
		store_err(st, e);
		goto out;
	}
	for (size_t r = 0; r < b->nrows; r++) {
		int64_t mv = 0;

		codemap_get(&ids, batch_val(b, r, 0), &mv, NULL);
		snprintf(f[0], sizeof f[0], "%zu", r);
		snprintf(f[1], sizeof f[1], "%lld", (long long)mv);
		snprintf(f[2], sizeof f[2], "%lld",
		    (long long)batch_subject(b, batch_val(b, r, 1)));
		for (int c = 3; c < ncols; c++)
			v[c] = batch_val(b, r, c - 1);
		if (store_bulk_row(bk, v) != 0) {
			store_bulk_end(bk);
			store_err(st, e);
			goto out;
		}
	}
	if (store_bulk_end(bk) != 0 || store_exec(st, merge) != 0) {
		store_err(st, e);
		goto out;
	}
	rc = 0;
out:
	codemap_free(&ids);
	return rc;
}

static int
targets_copy(struct store *st, const struct batch *b, struct err *e)
{
	return stage_kind(st, b, Q_TARGETS_STAGE, "stage_targets",
	    stage_targets_cols, 5, Q_TARGETS_MERGE, e);
}

/* Rows are (movement, subject, then ncols - 2 values bound as text/number). */
static int
write_kind(struct store *st, const struct batch *b, const char *sql,
    const char *types, struct err *e)
{
	struct codemap ids;
	int rc = 0;

	if (mv_ids(st, &ids, e) != 0)
		return -1;
	for (size_t r = 0; rc == 0 && r < b->nrows; r++) {
		struct store_stmt *s = store_prepare_err(st, sql, e);
		int64_t mv = 0;

		if (s == NULL) {
			rc = -1;
			break;
		}
		codemap_get(&ids, batch_val(b, r, 0), &mv, NULL);
		store_bind_int(s, 1, mv);
		store_bind_int(s, 2, batch_subject(b, batch_val(b, r, 1)));
		for (int c = 0; types[c]; c++) {
			const char *v = batch_val(b, r, c + 2);
			double d = 0;

			if (types[c] == 'n' && v != NULL) {
				parse_double(v, &d);
				store_bind_double(s, c + 3, d);
			} else
				store_bind_opt(s, c + 3, v);
		}
		rc = store_run_err(st, s, e);
	}
	codemap_free(&ids);
	return rc;
}

static int
same_text(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

/*
 * Targets on SQLite: row by row; a write of more than 4,096 (movement,
 * subject) pairs (counted where they change from row to row) with
 * targets_log's triggers off, every movement's targets copy then made
 * again whole (store-int.h: store_quiet_begin): a copy is brought up to
 * date with at most 4,096 subjects (movement-eval.c), and the log would
 * take a row per target (a million targets: 4.6 s to import, 3.2 s so).
 */
static int
targets_sqlite(struct store *st, const struct batch *b, struct err *e)
{
	struct store_quiet quiet = { .n = 0 };
	size_t pairs = 0;
	int rc;

	for (size_t r = 0; r < b->nrows; r++)
		pairs += r == 0 || !same_text(batch_val(b, r, 0), batch_val(b, r - 1, 0)) ||
		    !same_text(batch_val(b, r, 1), batch_val(b, r - 1, 1));
	if (store_quiet_begin(st, &store_quiet_targets, pairs, &quiet, e) != 0)
		return -1;
	if ((rc = write_kind(st, b, Q_TARGET_UPSERT, "tn", e)) == 0)
		rc = store_quiet_end(st, &store_quiet_targets, &quiet, e);
	store_quiet_free(&quiet);
	return rc;
}

int
store_write_targets(struct store *st, const struct batch *b, struct err *e)
{
	if (store_backend(st) == STORE_PG)
		return targets_copy(st, b, e);
	return targets_sqlite(st, b, e);
}

int
store_write_pledges(struct store *st, const struct batch *b, struct err *e)
{
	if (store_backend(st) == STORE_PG && b->nrows >= PLEDGES_STAGED_MIN)
		return stage_kind(st, b, Q_PLEDGES_STAGE, "stage_pledges",
		    stage_pledges_cols, 6, Q_PLEDGES_MERGE, e);
	return write_kind(st, b, Q_PLEDGE_UPSERT, "ttt", e);
}

static const char Q_TARGETS_EXPORT[] =
    "SELECT m.code, s.code, t.criterion, t.target FROM targets t "
    "JOIN movements m ON m.id = t.movement_id "
    "JOIN subjects s ON s.id = t.subject_id ORDER BY m.code, s.code, t.criterion";
static const char Q_PLEDGES_EXPORT[] =
    "SELECT m.code, s.code, p.award, p.by_date, p.note FROM pledges p "
    "JOIN movements m ON m.id = p.movement_id "
    "JOIN subjects s ON s.id = p.subject_id ORDER BY m.code, s.code";

/* Stream an export query; 'n' columns are numbers (%.15g), others text. */
static int
export_rows(struct store *st, const char *sql, const char *fmt,
    int (*row)(void *, const char *const *), void *arg, struct err *e)
{
	struct store_stmt *s = store_prepare_err(st, sql, e);
	const char *v[8];
	char num[32];
	int rc;

	if (s == NULL)
		return -1;
	store_stream(s);
	while ((rc = store_step(s)) == STORE_ROW) {
		for (int c = 0; fmt[c]; c++) {
			v[c] = store_col_isnull(s, c) ? NULL : store_col_text(s, c);
			if (fmt[c] == 'n' && v[c] != NULL) {
				snprintf(num, sizeof num, "%.15g", store_col_double(s, c));
				v[c] = num;
			}
		}
		if (row(arg, v) != 0) {
			store_reset(s);
			return err_set(e, ERR_SYSTEM, "%s", TR("không ghi được",
			    "cannot write"));
		}
	}
	store_reset(s);
	return rc == STORE_DONE ? 0 : store_err(st, e);
}

int
store_export_targets(struct store *st, int (*row)(void *, const char *const *),
    void *arg, struct err *e)
{
	return export_rows(st, Q_TARGETS_EXPORT, "tttn", row, arg, e);
}

int
store_export_pledges(struct store *st, int (*row)(void *, const char *const *),
    void *arg, struct err *e)
{
	return export_rows(st, Q_PLEDGES_EXPORT, "ttttt", row, arg, e);
}

/* ---- one record (POST /api/v1/records, the single-object path) ---- */

static const char SQL_SUBJECT_ID[] = "SELECT id FROM subjects WHERE code = $1";
static const char SQL_METRIC_ADD[] =
    "INSERT INTO metrics (code) VALUES ($1) ON CONFLICT (code) DO NOTHING";
static const char SQL_METRIC_ID[] = "SELECT id FROM metrics WHERE code = $1";
static const char SQL_RECORD_GET[] =
    "SELECT value FROM records WHERE subject_id = $1 AND metric_id = $2 "
    "AND day = $3";
static const char SQL_RECORD_PUT[] =
    "INSERT INTO records (subject_id, metric_id, day, value) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (subject_id, metric_id, day) "
    "DO UPDATE SET value = excluded.value";

/* A one-integer lookup by text: 1 found, 0 not, -1 error. */
static int
id_of(struct store *st, const char *sql, const char *code, int64_t *id,
    struct err *e)
{
	struct store_stmt *s;
	int rc;

	if ((s = store_prepare(st, sql)) == NULL)
		return store_err(st, e);
	store_bind_text(s, 1, code);
	rc = store_step(s);
	if (rc == STORE_ROW)
		*id = store_col_int(s, 0);
	store_reset(s);
	if (rc == STORE_ERR)
		return store_err(st, e);
	return rc == STORE_ROW;
}

int
store_movement_record_put(struct store *st, const char *subject,
    const char *metric, int32_t day, double value, int *missing, int *had,
    double *before, struct err *e)
{
	struct store_stmt *s;
	int64_t sid, mid;
	int rc;

	*missing = *had = 0;
	if ((rc = id_of(st, SQL_SUBJECT_ID, subject, &sid, e)) <= 0) {
		*missing = rc == 0;
		return rc;
	}
	if ((rc = id_of(st, SQL_METRIC_ID, metric, &mid, e)) < 0)
		return -1;
	if (rc == 0) {
		if ((s = store_prepare(st, SQL_METRIC_ADD)) == NULL)
			return store_err(st, e);
		store_bind_text(s, 1, metric);
		if (store_run(s) != STORE_DONE)
			return store_err(st, e);
		if (id_of(st, SQL_METRIC_ID, metric, &mid, e) != 1)
			return store_err(st, e);
	}
	if ((s = store_prepare(st, SQL_RECORD_GET)) == NULL)
		return store_err(st, e);
	store_bind_int(s, 1, sid);
	store_bind_int(s, 2, mid);
	store_bind_int(s, 3, day);
	if ((rc = store_step(s)) == STORE_ROW) {
		*had = 1;
		*before = store_col_double(s, 0);
	}
	store_reset(s);
	if (rc == STORE_ERR)
		return store_err(st, e);
	if ((s = store_prepare(st, SQL_RECORD_PUT)) == NULL)
		return store_err(st, e);
	store_bind_int(s, 1, sid);
	store_bind_int(s, 2, mid);
	store_bind_int(s, 3, day);
	store_bind_double(s, 4, value);
	if (store_run(s) != STORE_DONE)
		return store_err(st, e);
	return 0;
}
