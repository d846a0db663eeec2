/*
 * store-exemplar.c: SQL for the exemplar register, adoptions and the
 * window snapshot the discovery and maintenance engine reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "par.h"
#include "store.h"
#include "store-elig.h"
#include "store-exemplar.h"
#include "util.h"


static int
rating_num(const char *r)
{
	static const char *const t[] = { "HTXSNV", "HTTNV", "HTNV", "KHTNV" };

	for (int i = 0; i < 4; i++)
		if (strcmp(t[i], r) == 0)
			return i + 1;
	return 0;
}

/* ---- the register ---- */

static const char Q_SUBJECT[] = "SELECT id, kind FROM subjects WHERE code = $1";
static const char Q_EX_INS[] =
    "INSERT INTO exemplars (subject_id, field, reason, since, min_rating, award) "
    "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
static const char Q_AD_INS[] =
    "INSERT INTO exemplar_adoptions (exemplar_id, unit_id, adopted_on, practice) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (exemplar_id, unit_id) DO UPDATE "
    "SET adopted_on = excluded.adopted_on, practice = excluded.practice";
static const char Q_EX_EXISTS[] = "SELECT 1 FROM exemplars WHERE id = $1";

/* Subject id of CODE (kind 'u'/'p' in *kind), 0 when none, -1 error. */
static int64_t
subject(struct store *st, const char *code, char *kind, struct err *e)
{
	struct store_stmt *s = store_prepare(st, Q_SUBJECT);
	int64_t id = 0;
	int rc;

	if (s == NULL)
		return store_err(st, e);
	store_bind_text(s, 1, code);
	if ((rc = store_step(s)) == STORE_ROW) {
		id = store_col_int(s, 0);
		*kind = store_col_text(s, 1)[0];
	}
	store_reset(s);
	return rc < 0 ? store_err(st, e) : id;
}

int
store_exemplar_add(struct store *st, const struct exemplar_new *x, int64_t *id,
    struct err *e)
{
	struct store_stmt *s;
	char kind = 0;
	int64_t sid;
	int rc;

	if ((sid = subject(st, x->subject, &kind, e)) < 0)
		return -1;
	if (sid == 0)
		return err_at(e, ERR_NOTFOUND, NULL, 0, 0, "subject", "%s: %s",
		    x->subject, TR("không có đơn vị hay người mang mã này",
		    "no unit or person with this code"));
	if ((s = store_prepare(st, Q_EX_INS)) == NULL)
		return store_err(st, e);
	store_bind_int(s, 1, sid);
	store_bind_text(s, 2, x->field);
	store_bind_text(s, 3, x->reason);
	store_bind_int(s, 4, x->since);
	store_bind_text(s, 5, x->min_rating ? x->min_rating : "HTTNV");
	store_bind_opt(s, 6, x->award);
	rc = store_step(s);
	if (rc == STORE_ROW)
		*id = store_col_int(s, 0);
	store_reset(s);
	if (rc == STORE_CONSTRAINT)
		return err_at(e, ERR_CONFLICT, NULL, 0, 0, "field", "%s / %s: %s",
		    x->subject, x->field, TR("đã là điển hình trong lĩnh vực này",
		    "already an exemplar in this field"));
	return rc == STORE_ROW ? 0 : store_err(st, e);
}

int
store_exemplar_adopt(struct store *st, int64_t id, const char *unit,
    const char *date, const char *practice, struct err *e)
{
	struct store_stmt *s;
	char kind = 0;
	int64_t uid;
	int rc;

	if ((s = store_prepare(st, Q_EX_EXISTS)) == NULL)
		return store_err(st, e);
	store_bind_int(s, 1, id);
	rc = store_step(s);
	store_reset(s);
	if (rc < 0)
		return store_err(st, e);
	if (rc != STORE_ROW)
		return err_set(e, ERR_NOTFOUND, "%lld: %s", (long long)id,
		    TR("không có điển hình này", "no such exemplar"));
	if ((uid = subject(st, unit, &kind, e)) < 0)
		return -1;
	if (uid == 0 || kind != 'u')
		return err_at(e, ERR_NOTFOUND, NULL, 0, 0, "unit", "%s: %s",
		    unit, TR("không có đơn vị này", "no such unit"));
	if ((s = store_prepare(st, Q_AD_INS)) == NULL)
		return store_err(st, e);
	store_bind_int(s, 1, id);
	store_bind_int(s, 2, uid);
	store_bind_text(s, 3, date);
	store_bind_opt(s, 4, practice);
	return store_run(s) == STORE_DONE ? 0 : store_err(st, e);
}

static const char Q_EX_ROWS[] =
    "SELECT x.id, s.code, s.kind, COALESCE(u.name, p.name, ''), x.field, "
    "x.reason, x.since, x.min_rating, COALESCE(x.award, ''), "
    "(SELECT COUNT(*) FROM exemplar_adoptions a WHERE a.exemplar_id = x.id) "
    "FROM exemplars x JOIN subjects s ON s.id = x.subject_id "
    "LEFT JOIN units u ON u.id = s.id LEFT JOIN people p ON p.id = s.id "
    "WHERE $1 = 0 OR x.id = $1 ORDER BY x.id";

int
store_exemplar_rows(struct store *st, int64_t id, struct ex_row **out,
    size_t *n, struct err *e)
{
	struct store_stmt *s = store_prepare(st, Q_EX_ROWS);
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (s == NULL)
		return store_err(st, e);
	store_bind_int(s, 1, id);
	while ((rc = store_step(s)) == STORE_ROW) {
		struct ex_row *r;

		grow(out, &cap, *n + 1, sizeof **out);
		r = &(*out)[(*n)++];
		memset(r, 0, sizeof *r);
		r->id = store_col_int(s, 0);
		snprintf(r->subject, sizeof r->subject, "%s", store_col_text(s, 1));
		r->is_unit = store_col_text(s, 2)[0] == 'u';
		snprintf(r->name, sizeof r->name, "%s", store_col_text(s, 3));
		snprintf(r->field, sizeof r->field, "%s", store_col_text(s, 4));
		snprintf(r->reason, sizeof r->reason, "%s", store_col_text(s, 5));
		r->since = (int)store_col_int(s, 6);
		snprintf(r->min_rating, sizeof r->min_rating, "%s",
		    store_col_text(s, 7));
		snprintf(r->award, sizeof r->award, "%s", store_col_text(s, 8));
		r->adoptions = (long)store_col_int(s, 9);
	}
	store_reset(s);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
		return store_err(st, e);
	}
	return 0;
}

static const char Q_ADOPTIONS[] =
    "SELECT s.code, u.name, a.adopted_on, COALESCE(a.practice, '') "
    "FROM exemplar_adoptions a JOIN subjects s ON s.id = a.unit_id "
    "JOIN units u ON u.id = a.unit_id WHERE a.exemplar_id = $1 "
    "ORDER BY a.adopted_on, s.code";

int
store_exemplar_adoptions(struct store *st, int64_t id, struct ex_adoption **out,
    size_t *n, struct err *e)
{
	struct store_stmt *s = store_prepare(st, Q_ADOPTIONS);
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (s == NULL)
		return store_err(st, e);
	store_bind_int(s, 1, id);
	while ((rc = store_step(s)) == STORE_ROW) {
		struct ex_adoption *a;

		grow(out, &cap, *n + 1, sizeof **out);
		a = &(*out)[(*n)++];
		snprintf(a->unit, sizeof a->unit, "%s", store_col_text(s, 0));
		snprintf(a->name, sizeof a->name, "%s", store_col_text(s, 1));
		snprintf(a->adopted_on, sizeof a->adopted_on, "%s",
		    store_col_text(s, 2));
		snprintf(a->practice, sizeof a->practice, "%s",
		    store_col_text(s, 3));
	}
	store_reset(s);
	return rc < 0 ? store_err(st, e) : 0;
}

static const char Q_RATING[] =
    "SELECT r.rating FROM ratings r JOIN subjects s ON s.id = r.subject_id "
    "WHERE s.code = $1 AND r.year = $2";

int
store_exemplar_rating(struct store *st, const char *subj, int year,
    struct err *e)
{
	struct store_stmt *s = store_prepare(st, Q_RATING);
	int rc, v = 0;

	if (s == NULL)
		return store_err(st, e);
	store_bind_text(s, 1, subj);
	store_bind_int(s, 2, year);
	if ((rc = store_step(s)) == STORE_ROW)
		v = rating_num(store_col_text(s, 0));
	store_reset(s);
	return rc < 0 ? store_err(st, e) : v;
}

/* ---- the window snapshot ---- */

/*
 * The window's rows name their subject by id (no join to subjects per
 * row): an array from id to the subject's place (idmap, like the
 * eligibility snapshot's) finds it. At a million people the window took
 * 10 s when each row was joined to its code and the code hashed.
 */
static const char Q_W_MAXID[] = "SELECT COALESCE(MAX(id), 0) FROM subjects";
#define SQL_W_SUBJECTS \
    "SELECT s.id, s.code, s.kind, COALESCE(u.name, p.name, ''), " \
    "COALESCE(p.unit_id, u.parent_id, 0) FROM subjects s " \
    "LEFT JOIN units u ON u.id = s.id LEFT JOIN people p ON p.id = s.id "
static const char Q_W_SUBJECTS[] = SQL_W_SUBJECTS "ORDER BY s.code";
/* (EXW_INNOVATORS: every unit, for the subtrees' incidents, and the
 * window's authors, found by id and sorted: at a million people 215,000
 * subjects of 1,050,000, 0.37 s against 0.5 s for a scan of every code
 * testing each, and 1.25 s for all of them) */
static const char Q_W_INNOVATORS[] = SQL_W_SUBJECTS
    "WHERE s.id IN (SELECT id FROM units UNION SELECT a.person_id "
    "FROM innovations i JOIN innovation_authors a ON a.innovation_id = i.id "
    "WHERE i.year BETWEEN $1 AND $2) ORDER BY s.code";
/* (+r.year, +a.year: the table read in its order, not through the key's
 * year, whose every row is then a random read of the table for the
 * rating or award: at a million people, three years of ten, 2.56 s
 * against 1.42 s for the ratings, 1.59 s against 0.99 s for the awards;
 * the scan stays ahead while the window is over about a quarter of the
 * years kept) */
static const char Q_W_RATINGS[] =
    "SELECT r.subject_id, r.year, r.rating FROM ratings r "
    "WHERE +r.year BETWEEN $1 AND $2";
static const char Q_W_AWARDS[] =
    "SELECT a.subject_id, a.year, a.award FROM awards a "
    "WHERE +a.year BETWEEN $1 AND $2 AND a.revoked = 0";
/* (EXW_REGISTERED: every unit, for the subtrees' incidents, and the
 * register's subjects, whose rows alone are read, by their index: a
 * check read every subject's window, 1.8 s at a million people, for the
 * few it looks at) */
static const char Q_W_REGISTERED[] = SQL_W_SUBJECTS
    "WHERE s.id IN (SELECT id FROM units UNION SELECT subject_id "
    "FROM exemplars) ORDER BY s.code";
static const char Q_W_REG_RATINGS[] =
    "SELECT r.subject_id, r.year, r.rating FROM ratings r "
    "WHERE r.subject_id IN (SELECT subject_id FROM exemplars) "
    "AND r.year BETWEEN $1 AND $2";
static const char Q_W_REG_AWARDS[] =
    "SELECT a.subject_id, a.year, a.award FROM awards a "
    "WHERE a.subject_id IN (SELECT subject_id FROM exemplars) "
    "AND a.year BETWEEN $1 AND $2 AND a.revoked = 0";
/* The window's queries by whom it is read for (enum exw_who). */
static const struct window_sql {
	const char	*subjects, *ratings, *awards;
	int		 years;		/* subjects binds the window's years */
} window_sql[] = {
	[EXW_ALL] = { Q_W_SUBJECTS, Q_W_RATINGS, Q_W_AWARDS, 0 },
	[EXW_INNOVATORS] = { Q_W_INNOVATORS, Q_W_RATINGS, Q_W_AWARDS, 1 },
	[EXW_REGISTERED] = { Q_W_REGISTERED, Q_W_REG_RATINGS, Q_W_REG_AWARDS,
	    0 },
};
/* one row per authorship and per innovation of a unit, counted here (a
 * GROUP BY read the authors through the person's index: 0.86 s against
 * 0.12 s at a million people) */
static const char Q_W_INNOV[] =
    "SELECT a.person_id FROM innovations i "
    "JOIN innovation_authors a ON a.innovation_id = i.id "
    "WHERE i.year BETWEEN $1 AND $2 "
    "UNION ALL SELECT i.unit_id FROM innovations i "
    "WHERE i.unit_id IS NOT NULL AND i.year BETWEEN $1 AND $2";
static const char Q_W_DISC[] =
    "SELECT d.subject_id, d.from_date, COALESCE(d.to_date, '9999-12-31') "
    "FROM discipline d";
static const char Q_W_INCID[] =
    "SELECT i.unit_id, i.date FROM incidents i WHERE i.severity = 'serious'";

struct win {
	struct ex_subject *v;
	int64_t		*up;	/* person: their unit's id; unit: its parent's; 0 */
	size_t		 n, cap;
	int32_t		*idmap;	/* subject id -> its place in v, or -1 */
	int64_t		 maxid;
	int		 y0;
};

static int
year_of(const char *date)
{
	return atoi(date);
}

/* The place in v of the subject whose id is id, or -1. */
static long
find(const struct win *w, int64_t id)
{
	return id > 0 && id <= w->maxid ? (long)w->idmap[id] : -1;
}

/* Mark a serious incident of YEAR on the unit of id and its ancestors. */
static void
mark_up(struct win *w, int64_t id, int year)
{
	long i = find(w, id);

	for (int hops = 0; i >= 0 && hops < 64; hops++) {
		w->v[i].serious[year - w->y0] = 1;
		i = find(w, w->up[i]);
	}
}

/* The rows of the window but its ratings and awards (struct hist). */
static int
load_rows(struct store *st, struct win *w, const char *sql, int bind,
    struct err *e)
{
	struct store_stmt *s = store_prepare(st, sql);
	int rc;

	if (s == NULL)
		return store_err(st, e);
	if (bind) {
		store_bind_int(s, 1, w->y0);
		store_bind_int(s, 2, w->y0 + EX_WINDOW - 1);
	}
	while ((rc = store_step(s)) == STORE_ROW) {
		long i = find(w, store_col_int(s, 0));
		int y;

		if (i < 0)
			continue;
		if (sql == Q_W_INNOV) {
			w->v[i].innovations++;
		} else if (sql == Q_W_DISC) {
			int f = year_of(store_col_text(s, 1));
			int t = year_of(store_col_text(s, 2));

			for (y = 0; y < EX_WINDOW; y++)
				if (f <= w->y0 + y && t >= w->y0 + y)
					w->v[i].discipline[y] = 1;
		} else {
			y = year_of(store_col_text(s, 1));
			if (y >= w->y0 && y < w->y0 + EX_WINDOW)
				mark_up(w, store_col_int(s, 0), y);
		}
	}
	store_reset(s);
	return rc < 0 ? store_err(st, e) : 0;
}

/*
 * The window's ratings and awards by subject id, EX_WINDOW a subject
 * (the subjects' places are not known until their query, ordered by
 * code, is read): read on a second connection while the first reads the
 * subjects, then put in place. The two scans are most of the window: at
 * a million people 3.8 s for the window read on one connection.
 */
struct hist {
	struct store	*st;
	int64_t		 maxid;
	int		 y0;
	const char *const *awards;
	int		 nawards;
	const struct window_sql *q;
	uint8_t		*rating;	/* (maxid + 1) × EX_WINDOW */
	uint64_t	*held;
	struct err	 e;
	int		 rc;
};

/* The window's ratings (awards 0) or awards into h. 0 or -1. */
static int
hist_rows(struct hist *h, int awards)
{
	struct store_stmt *s = store_prepare(h->st, awards ? h->q->awards :
	    h->q->ratings);
	int rc;

	if (s == NULL)
		return store_err(h->st, &h->e);
	store_bind_int(s, 1, h->y0);
	store_bind_int(s, 2, h->y0 + EX_WINDOW - 1);
	while ((rc = store_step(s)) == STORE_ROW) {
		int64_t id = store_col_int(s, 0);
		int y = (int)store_col_int(s, 1) - h->y0;
		const char *a = store_col_text(s, 2);
		size_t k;

		if (id <= 0 || id > h->maxid || y < 0 || y >= EX_WINDOW)
			continue;
		k = (size_t)id * EX_WINDOW + (size_t)y;
		if (!awards) {
			h->rating[k] = (uint8_t)rating_num(a);
			continue;
		}
		for (int j = 0; j < h->nawards; j++)
			if (strcmp(h->awards[j], a) == 0)
				h->held[k] |= 1ull << j;
	}
	store_reset(s);
	return rc < 0 ? store_err(h->st, &h->e) : 0;
}

static void *
hist_thread(void *arg)
{
	struct hist *h = arg;

	/* (the awards only when some are asked: discovery asks none) */
	h->rc = hist_rows(h, 0) != 0 || (h->nawards > 0 &&
	    hist_rows(h, 1) != 0) ? -1 : 0;
	return NULL;
}

/* h's rows into w's subjects. */
static void
hist_put(const struct hist *h, struct win *w)
{
	for (int64_t id = 1; id <= h->maxid; id++) {
		int32_t i = w->idmap[id];

		if (i < 0)
			continue;
		for (int y = 0; y < EX_WINDOW; y++) {
			size_t k = (size_t)id * EX_WINDOW + (size_t)y;

			w->v[i].rating[y] = h->rating[k];
			w->v[i].held[y] = h->nawards > 0 ? h->held[k] : 0;
		}
	}
}

/* A copy of src into dst of size bytes, cut as snprintf would. */
static void
copy_cut(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int
store_exemplar_window(struct store *st, int y0, enum exw_who who,
    const char *const *awards, int nawards, struct ex_subject **out,
    size_t *n, struct err *e)
{
	struct store_stmt *s;
	struct store *st2 = NULL;
	struct elig_stamp stamp;
	struct err ignored;
	struct par_job job;
	struct hist h;
	struct win w;
	int rc, own = !store_in_txn(st), threaded = 0;

	memset(&w, 0, sizeof w);
	memset(&h, 0, sizeof h);
	w.y0 = y0;
	if (nawards > 64)
		nawards = 64;	/* (held has 64 bits; callers ask fewer) */
	/* one read transaction: every query sees the same commit */
	if (own && store_begin_read(st) != 0)
		return store_err(st, e);
	if ((s = store_prepare(st, Q_W_MAXID)) == NULL ||
	    store_step(s) != STORE_ROW) {
		if (s != NULL)
			store_reset(s);
		rc = store_err(st, e);
		goto out;
	}
	w.maxid = store_col_int(s, 0);
	store_reset(s);
	h = (struct hist){ .st = st, .maxid = w.maxid, .y0 = y0,
	    .awards = awards, .nawards = nawards,
	    .q = &window_sql[who] };
	h.rating = xcalloc(((size_t)w.maxid + 1) * EX_WINDOW, 1);
	if (nawards > 0)
		h.held = xcalloc(((size_t)w.maxid + 1) * EX_WINDOW,
		    sizeof *h.held);
	if (own && store_backend(st) == STORE_SQLITE &&
	    store_elig_stamp(st, &stamp, &ignored) == 0 &&
	    (st2 = store_elig_reader(st, &stamp)) != NULL) {
		h.st = st2;
		threaded = par_start(&job, hist_thread, &h) == 0;
	}
	if ((s = store_prepare(st, window_sql[who].subjects)) == NULL) {
		rc = store_err(st, e);
		if (threaded)
			par_join(&job);	/* (before st2 is closed) */
		goto out;
	}
	if (window_sql[who].years) {
		store_bind_int(s, 1, y0);
		store_bind_int(s, 2, y0 + EX_WINDOW - 1);
	}
	w.idmap = xmalloc((size_t)(w.maxid + 1) * sizeof *w.idmap);
	memset(w.idmap, 0xff, (size_t)(w.maxid + 1) * sizeof *w.idmap);
	/* at most one subject per id: zeroed pages the kernel gives as they
	 * are written, no copy as the array grows */
	w.v = xcalloc((size_t)w.maxid + 1, sizeof *w.v);
	w.up = xcalloc((size_t)w.maxid + 1, sizeof *w.up);
	while ((rc = store_step(s)) == STORE_ROW) {
		struct ex_subject *x;
		int64_t id = store_col_int(s, 0);

		if (id <= 0 || id > w.maxid || w.n > (size_t)w.maxid)
			continue;	/* (written after MAX(id) was read) */
		x = &w.v[w.n];
		copy_cut(x->code, sizeof x->code, store_col_text(s, 1));
		x->is_unit = store_col_text(s, 2)[0] == 'u';
		copy_cut(x->name, sizeof x->name, store_col_text(s, 3));
		w.up[w.n] = store_col_int(s, 4);
		w.idmap[id] = (int32_t)w.n;
		w.n++;
	}
	store_reset(s);
	if (rc < 0)
		rc = store_err(st, e);
	else
		rc = 0;
	if (threaded)
		par_join(&job);
	else {
		h.st = st;	/* (no second connection: here, after) */
		if (rc == 0)
			hist_thread(&h);
	}
	if (rc == 0 && h.rc != 0) {
		*e = h.e;
		rc = -1;
	}
	if (rc == 0) {
		hist_put(&h, &w);
		if ((rc = load_rows(st, &w, Q_W_INNOV, 1, e)) == 0 &&
		    (rc = load_rows(st, &w, Q_W_DISC, 0, e)) == 0)
			rc = load_rows(st, &w, Q_W_INCID, 0, e);
	}
	/* A person's unit's subtree: copy the unit's incident flags. */
	for (size_t i = 0; rc == 0 && i < w.n; i++) {
		long u;

		if (w.v[i].is_unit || (u = find(&w, w.up[i])) < 0)
			continue;
		memcpy(w.v[i].serious, w.v[u].serious, sizeof w.v[i].serious);
	}
out:
	if (st2 != NULL) {
		store_rollback(st2);
		store_close(st2);
	}
	if (own) {
		if (rc == 0)
			store_commit(st);
		else
			store_rollback(st);
	}
	free(h.rating);
	free(h.held);
	free(w.idmap);
	free(w.up);
	if (rc != 0) {
		free(w.v);
		return -1;
	}
	*out = w.v;
	*n = w.n;
	return 0;
}
