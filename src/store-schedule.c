/*
 * store-schedule.c: SQL behind the schedule snapshot (store-schedule.h).
 * Streaming scans: units, tasks (id order), links, then progress: from
 * the maintained totals plus the rows of recent days (see "Progress from
 * the maintained totals"), or in full (key order, so each task's rows
 * arrive by day and fold in one pass). On
 * SQLite, big snapshots load on two threads (see load_parallel), the
 * progress folded inside SQLite by store_fold.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "par.h"
#include "schedule.h"
#include "store-schedule.h"
#include "store.h"
#include "util.h"

static int
load_units(struct store *st, struct sched_snap *s, struct err *e)
{
	static const char q[] = "SELECT u.id, s.code, u.parent_id "
	    "FROM units u JOIN subjects s ON s.id = u.id ORDER BY u.id";
	struct store_stmt *h = store_prepare(st, q);
	int64_t *parent = NULL;
	size_t cap = 0, i;
	int rc;

	if (h == NULL)
		return store_err(st, e);
	while ((rc = store_step(h)) == STORE_ROW) {
		i = sched_add_unit(s, store_col_int(h, 0), store_col_text(h, 1));
		grow(&parent, &cap, i + 1, sizeof *parent);
		parent[i] = store_col_isnull(h, 2) ? 0 : store_col_int(h, 2);
	}
	store_reset(h);
	if (rc != STORE_DONE) {
		free(parent);
		return store_err(st, e);
	}
	for (i = 0; i < s->nunits; i++)
		s->unit_parent[i] = parent[i] ? (int32_t)sched_unit_index(s,
		    parent[i]) : -1;
	free(parent);
	return 0;
}

static int
load_tasks(struct store *st, struct sched_snap *s, struct err *e)
{
	static const char q[] = "SELECT id, code, name, unit_id, quantity, "
	    "start, due, product, customer, hard FROM tasks ORDER BY id";
	struct store_stmt *h = store_prepare(st, q);
	int rc;

	if (h == NULL)
		return store_err(st, e);
	while ((rc = store_step(h)) == STORE_ROW) {
		int32_t start, due;
		const char *code = store_col_text(h, 1);

		if (date_parse(store_col_text(h, 5), &start) != 0 ||
		    date_parse(store_col_text(h, 6), &due) != 0) {
			err_at(e, ERR_USER, NULL, 0, 0, "start/due", "%s %s: %s",
			    TR("nhiệm vụ", "task"), code, TR("ngày không hợp lệ "
			    "trong cơ sở dữ liệu", "bad date in the database"));
			store_reset(h);
			return -1;
		}
		(void)sched_add_task(s, store_col_int(h, 0), code,
		    store_col_text(h, 2),
		    (int32_t)sched_unit_index(s, store_col_int(h, 3)),
		    store_col_double(h, 4), start, due, store_col_text(h, 7),
		    store_col_text(h, 8), (int)store_col_int(h, 9));
	}
	store_reset(h);
	return rc == STORE_DONE ? 0 : store_err(st, e);
}

/* Links as raw ids (tasks may still be loading in another thread). */
struct raw_links {
	int64_t		*t, *d;
	int32_t		*lag;
	size_t		 n, ct, cd, cl;
};

static void
link_add(struct raw_links *l, int64_t t, int64_t d, int32_t lag)
{
	grow(&l->t, &l->ct, l->n + 1, sizeof *l->t);
	grow(&l->d, &l->cd, l->n + 1, sizeof *l->d);
	grow(&l->lag, &l->cl, l->n + 1, sizeof *l->lag);
	l->t[l->n] = t;
	l->d[l->n] = d;
	l->lag[l->n++] = lag;
}

static int
load_links_raw(struct store *st, struct raw_links *l, struct err *e)
{
	static const char q[] = "SELECT task_id, depends_on, lag_days "
	    "FROM task_links";
	struct store_stmt *h = store_prepare(st, q);
	int rc;

	if (h == NULL)
		return store_err(st, e);
	while ((rc = store_step(h)) == STORE_ROW)
		link_add(l, store_col_int(h, 0), store_col_int(h, 1),
		    (int32_t)store_col_int(h, 2));
	store_reset(h);
	return rc == STORE_DONE ? 0 : store_err(st, e);
}

/* Map raw links to task indexes and build the CSR; frees l. */
static void
links_to_snap(struct sched_snap *s, struct raw_links *l)
{
	uint32_t *a = xmalloc((l->n ? l->n : 1) * sizeof *a);
	uint32_t *b = xmalloc((l->n ? l->n : 1) * sizeof *b);
	size_t i, k = 0;

	for (i = 0; i < l->n; i++) {
		long x = sched_task_index(s, l->t[i]);
		long y = sched_task_index(s, l->d[i]);

		if (x < 0 || y < 0)
			continue;	/* cannot happen with foreign keys */
		a[k] = (uint32_t)x;
		b[k] = (uint32_t)y;
		l->lag[k++] = l->lag[i];
	}
	sched_set_links(s, k, a, b, l->lag);
	free(a);
	free(b);
	free(l->t);
	free(l->d);
	free(l->lag);
	memset(l, 0, sizeof *l);
}

static int
load_progress(struct store *st, struct sched_snap *s, struct err *e)
{
	static const char q[] = "SELECT task_id, day, quantity FROM progress "
	    "WHERE day <= $1 ORDER BY task_id, day";
	struct store_stmt *h = store_prepare(st, q);
	int64_t last = INT64_MIN;
	long i = -1;
	int rc;

	if (h == NULL)
		return store_err(st, e);
	store_bind_int(h, 1, s->as_of);
	while ((rc = store_step(h)) == STORE_ROW) {
		int64_t id = store_col_int(h, 0);

		if (id != last) {
			i = sched_task_index(s, id);
			last = id;
		}
		if (i >= 0)
			sched_progress_add(s, (size_t)i,
			    (int32_t)store_col_int(h, 1),
			    store_col_double(h, 2));
	}
	store_reset(h);
	return rc == STORE_DONE ? 0 : store_err(st, e);
}

/* ---- Progress from the maintained totals (migration 0008) ----
 *
 * Per task, progress_totals holds the sum, count, first day and finish
 * day of all its rows; only the rows of recent days (day > as_of -
 * window, through the covering index progress_by_day) are read. Then
 * done(as_of) = total - (those rows) + (those up to as_of), folded in
 * day order from that base, gives the very numbers of the full scan
 * when the task's quantities are whole, non-negative and small
 * (inexact = 0: every sum is exact in any order, the running total only
 * grows) and its quantity is whole too (c >= qty - eps is c >= qty).
 * A task for which that does not hold, or whose finish came before the
 * recent rows and was stored for another quantity, is re-read alone;
 * when many are, or as_of is far in the past (many rows after it), the
 * full scan runs instead. THIDUA_SCHED_FULLSCAN=1 forces the full scan
 * (tests compare both).
 */
#define FAST_MAX_LAG	60	/* days as_of may lie before the last row */
#define FAST_QTY_MAX	1e6
#define FAST_ROWS_MAX	1000000

struct fast {
	double		*tot;		/* total of all rows */
	int64_t		*rows;		/* -1: no totals row */
	double		*rsum;		/* sum of the recent rows (all days) */
	int64_t		*rcnt;
	uint8_t		*again;		/* re-read alone */
	uint32_t	*ri;		/* recent rows in (day, task) order */
	int32_t		*rday;
	double		*rq;
	size_t		 nr, c1, c2, c3;
};

/* 1 when the totals path applies, 0 when not, -1 on error. */
static int
fast_fits(struct store *st, const struct sched_snap *s, struct err *e)
{
	static const char q[] = "SELECT MAX(last_day) FROM progress_totals";
	const char *env = getenv("THIDUA_SCHED_FULLSCAN");
	struct store_stmt *h;
	int fit = 1;

	if (env != NULL && *env != '\0' && strcmp(env, "0") != 0)
		return 0;
	if ((h = store_prepare(st, q)) == NULL)
		return store_err(st, e);
	if (store_step(h) == STORE_ROW && !store_col_isnull(h, 0))
		fit = (int64_t)s->as_of >= store_col_int(h, 0) - FAST_MAX_LAG;
	store_reset(h);
	return fit;
}

static int
fast_totals(struct store *st, struct sched_snap *s, struct fast *f,
    struct err *e)
{
	static const char q[] = "SELECT task_id, total, first_day, rows, "
	    "inexact, finish_day, finish_qty FROM progress_totals";
	struct store_stmt *h = store_prepare(st, q);
	int rc;

	if (h == NULL)
		return store_err(st, e);
	while ((rc = store_step(h)) == STORE_ROW) {
		long i = sched_task_index(s, store_col_int(h, 0));
		double qty;

		if (i < 0)
			continue;
		qty = s->qty[i];
		f->tot[i] = store_col_double(h, 1);
		f->rows[i] = store_col_int(h, 3);
		if (!store_col_isnull(h, 2) && store_col_int(h, 2) <= s->as_of)
			s->first_day[i] = (int32_t)store_col_int(h, 2);
		if (store_col_int(h, 4) != 0 || f->rows[i] > FAST_ROWS_MAX ||
		    qty != (double)(int64_t)qty || qty > FAST_QTY_MAX ||
		    qty < -FAST_QTY_MAX)
			f->again[i] = 1;
		else if (!store_col_isnull(h, 6) &&
		    store_col_double(h, 6) == qty && !store_col_isnull(h, 5))
			s->finish_day[i] = (int32_t)store_col_int(h, 5);
	}
	store_reset(h);
	return rc == STORE_DONE ? 0 : store_err(st, e);
}

static int
fast_recent(struct store *st, struct sched_snap *s, struct fast *f,
    struct err *e)
{
	static const char q[] = "SELECT task_id, day, quantity FROM progress "
	    "WHERE day > $1 ORDER BY day, task_id";
	struct store_stmt *h = store_prepare(st, q);
	int rc;

	if (h == NULL)
		return store_err(st, e);
	store_bind_int(h, 1, (int64_t)s->as_of - s->window);
	while ((rc = store_step(h)) == STORE_ROW) {
		long i = sched_task_index(s, store_col_int(h, 0));
		double v = store_col_double(h, 2);

		if (i < 0)
			continue;
		grow(&f->ri, &f->c1, f->nr + 1, sizeof *f->ri);
		grow(&f->rday, &f->c2, f->nr + 1, sizeof *f->rday);
		grow(&f->rq, &f->c3, f->nr + 1, sizeof *f->rq);
		f->ri[f->nr] = (uint32_t)i;
		f->rday[f->nr] = (int32_t)store_col_int(h, 1);
		f->rq[f->nr++] = v;
		f->rsum[i] += v;
		f->rcnt[i]++;
	}
	store_reset(h);
	return rc == STORE_DONE ? 0 : store_err(st, e);
}

/* Tasks marked again: all their rows, alone; 0 or -1. */
static int
fast_again(struct store *st, struct sched_snap *s, const struct fast *f,
    struct err *e)
{
	static const char q[] = "SELECT day, quantity FROM progress "
	    "WHERE task_id = $1 ORDER BY day";
	size_t i;
	int rc = STORE_DONE;

	for (i = 0; i < s->n && rc == STORE_DONE; i++) {
		struct store_stmt *h;

		if (!f->again[i])
			continue;
		if ((h = store_prepare(st, q)) == NULL)
			return store_err(st, e);
		s->done[i] = s->win[i] = 0;
		s->first_day[i] = s->finish_day[i] = SCHED_NONE;
		store_bind_int(h, 1, s->id[i]);
		while ((rc = store_step(h)) == STORE_ROW)
			sched_progress_add(s, i, (int32_t)store_col_int(h, 0),
			    store_col_double(h, 1));
		store_reset(h);
	}
	return rc == STORE_DONE ? 0 : store_err(st, e);
}

static void
fast_free(struct fast *f)
{
	free(f->tot);
	free(f->rows);
	free(f->rsum);
	free(f->rcnt);
	free(f->again);
	free(f->ri);
	free(f->rday);
	free(f->rq);
}

/* Progress of the loaded tasks s from the totals; 0 or -1. */
static int
load_progress_fast(struct store *st, struct sched_snap *s, struct err *e)
{
	struct fast f;
	size_t i, n = s->n ? s->n : 1, nagain = 0;
	int rc;

	memset(&f, 0, sizeof f);
	f.tot = xcalloc(n, sizeof *f.tot);
	f.rows = xcalloc(n, sizeof *f.rows);
	f.rsum = xcalloc(n, sizeof *f.rsum);
	f.rcnt = xcalloc(n, sizeof *f.rcnt);
	f.again = xcalloc(n, sizeof *f.again);
	if (fast_totals(st, s, &f, e) != 0 || fast_recent(st, s, &f, e) != 0) {
		fast_free(&f);
		return -1;
	}
	for (i = 0; i < s->n; i++) {
		double q = s->qty[i], eps = 1e-9 * (q > 1 ? q : 1);

		if (f.rcnt[i] > f.rows[i])
			f.again[i] = 1;	/* rows without totals */
		if (f.again[i]) {
			nagain++;
			continue;
		}
		s->done[i] = f.tot[i] - f.rsum[i];
		if (f.rows[i] == f.rcnt[i])
			s->finish_day[i] = SCHED_NONE;	/* the fold finds it */
		else if (s->done[i] < q - eps)
			s->finish_day[i] = SCHED_NONE;	/* not before the rows */
		else if (s->finish_day[i] == SCHED_NONE) {
			f.again[i] = 1;	/* finish stored for another quantity */
			nagain++;
		}
	}
	if (nagain > 1000 && nagain > s->n / 50) {
		fast_free(&f);
		for (i = 0; i < s->n; i++) {
			s->done[i] = s->win[i] = 0;
			s->first_day[i] = s->finish_day[i] = SCHED_NONE;
		}
		return load_progress(st, s, e);
	}
	for (i = 0; i < f.nr; i++)
		if (!f.again[f.ri[i]])
			sched_progress_add(s, f.ri[i], f.rday[i], f.rq[i]);
	rc = nagain ? fast_again(st, s, &f, e) : 0;
	fast_free(&f);
	return rc;
}

/* ---- SQLite: two loader threads, each on its own read connection ----
 *
 * SQLite scans one table at about 10 M rows/s per core, so a big
 * snapshot loads on both cores: jobs (tasks, links, then progress in
 * chunks of task ids) go to whichever thread is free. A progress chunk
 * first reads its tasks' quantities, then folds its rows inside SQLite
 * through an aggregate function (no row crosses the API), into arrays
 * indexed by task id - smallest id. Used when task ids are dense and no
 * transaction is open on the caller's connection (other connections
 * would not see its changes).
 */
#define PAR_THREADS	2
#define PAR_CHUNKS	64

struct par {
	char		*path;		/* (store_sqlite_path's) */
	struct sched_snap *s;
	int64_t		 lo;		/* smallest task id */
	size_t		 span;		/* largest - smallest + 1 */
	double		*qty, *done, *win;
	int32_t		*first, *finish;
	struct raw_links links;
	int		 fast;		/* progress from the totals, later */
	atomic_int	 next;
	atomic_int	 failed;
	struct err	 err;		/* the first failure */
	pthread_mutex_t	 mu;
};

struct worker {
	struct par	*p;
	struct sched_fold f;
	struct err	 e;
};

static void
fold_step(void *arg, struct store_vals *v)
{
	struct worker *w = arg;
	uint64_t off = (uint64_t)(store_val_int(v, 0) - w->p->lo);

	if (off < w->p->span)
		sched_fold_row(&w->f, off, (int)store_val_int(v, 1),
		    store_val_double(v, 2));
}

static void
link_step(void *arg, struct store_vals *v)
{
	struct raw_links *l = &((struct worker *)arg)->p->links;

	link_add(l, store_val_int(v, 0), store_val_int(v, 1),
	    (int)store_val_int(v, 2));
}

/* Progress of tasks with ids in [lo, hi). */
static int
job_chunk(struct store *st, struct worker *w, int64_t lo, int64_t hi)
{
	static const char qq[] = "SELECT id, quantity FROM tasks "
	    "WHERE id >= $1 AND id < $2";
	/* Rows after as_of are skipped by the fold (cheaper than in SQL). */
	static const char qp[] = "SELECT thidua_sched_fold(task_id, day, "
	    "quantity) FROM progress WHERE task_id >= $1 AND task_id < $2";
	struct par *p = w->p;
	struct store_stmt *h;
	int rc;

	if (hi > p->lo + (int64_t)p->span)
		hi = p->lo + (int64_t)p->span;
	if (lo >= hi)
		return 0;
	if ((h = store_prepare(st, qq)) == NULL)
		return store_err(st, &w->e);
	store_bind_int(h, 1, lo);
	store_bind_int(h, 2, hi);
	while ((rc = store_step(h)) == STORE_ROW)
		p->qty[store_col_int(h, 0) - p->lo] = store_col_double(h, 1);
	store_reset(h);
	if (rc != STORE_DONE)
		return store_err(st, &w->e);
	if ((h = store_prepare(st, qp)) == NULL)
		return store_err(st, &w->e);
	store_bind_int(h, 1, lo);
	store_bind_int(h, 2, hi);
	while ((rc = store_step(h)) == STORE_ROW)
		;
	store_reset(h);
	return rc == STORE_DONE ? 0 : store_err(st, &w->e);
}

/* All links, folded inside SQLite into p->links (one job does them). */
static int
job_links(struct store *st, struct worker *w)
{
	static const char q[] = "SELECT thidua_sched_link(task_id, "
	    "depends_on, lag_days) FROM task_links";
	struct store_stmt *h = store_prepare(st, q);
	int rc;

	if (h == NULL)
		return store_err(st, &w->e);
	while ((rc = store_step(h)) == STORE_ROW)
		;
	store_reset(h);
	return rc == STORE_DONE ? 0 : store_err(st, &w->e);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct par *p = w->p;
	struct store *st;
	int64_t step = (int64_t)(p->span + PAR_CHUNKS - 1) / PAR_CHUNKS;
	int j, rc = 0;

	err_clear(&w->e);
	if (store_open(p->path, &st, &w->e) != 0) {
		rc = -1;
		goto out;
	}
	if (store_fold(st, "thidua_sched_fold", 3, fold_step, w, &w->e) != 0 ||
	    store_fold(st, "thidua_sched_link", 3, link_step, w, &w->e) != 0) {
		rc = -1;
		goto close;
	}
	while (rc == 0 && !atomic_load(&p->failed) &&
	    (j = atomic_fetch_add(&p->next, 1)) < (p->fast ? 2 :
	    PAR_CHUNKS + 2)) {
		if (j == 0)
			rc = load_tasks(st, p->s, &w->e);
		else if (j == 1)
			rc = job_links(st, w);
		else
			rc = job_chunk(st, w, p->lo + (j - 2) * step,
			    p->lo + (j - 1) * step);
	}
close:
	store_close(st);
out:
	if (rc != 0) {
		pthread_mutex_lock(&p->mu);
		if (!atomic_exchange(&p->failed, 1))
			p->err = w->e;
		pthread_mutex_unlock(&p->mu);
	}
	return NULL;
}

/* 1 when the parallel path applies, with p->path, p->lo and p->span. */
static int
par_fits(struct store *st, struct par *p, struct err *e)
{
	static const char q[] = "SELECT count(*), min(id), max(id) FROM tasks";
	struct store_stmt *h;
	int64_t n = 0, lo = 0, hi = -1;

	if (store_backend(st) != STORE_SQLITE || store_in_txn(st) ||
	    (p->path = store_sqlite_path(st)) == NULL)
		return 0;
	if ((h = store_prepare(st, q)) == NULL)
		return store_err(st, e);
	if (store_step(h) == STORE_ROW && !store_col_isnull(h, 1)) {
		n = store_col_int(h, 0);
		lo = store_col_int(h, 1);
		hi = store_col_int(h, 2);
	}
	store_reset(h);
	if (n == 0 || (uint64_t)(hi - lo) >= 4 * (uint64_t)n + 1024)
		return 0;
	p->lo = lo;
	p->span = (size_t)(hi - lo + 1);
	return 1;
}

static int
load_parallel(struct par *p, struct err *e)
{
	struct sched_snap *s = p->s;
	struct worker w[PAR_THREADS];
	size_t i, span = p->span;
	int rc = 0;

	p->qty = xcalloc(span, sizeof *p->qty);
	p->done = xcalloc(span, sizeof *p->done);
	p->win = xcalloc(span, sizeof *p->win);
	p->first = xmalloc(span * sizeof *p->first);
	p->finish = xmalloc(span * sizeof *p->finish);
	for (i = 0; i < span; i++)
		p->first[i] = p->finish[i] = SCHED_NONE;
	atomic_init(&p->next, 0);
	atomic_init(&p->failed, 0);
	pthread_mutex_init(&p->mu, NULL);
	for (int t = 0; t < PAR_THREADS; t++) {
		const struct sched_fold f = { p->qty, p->done, p->win,
		    p->first, p->finish, s->as_of, s->window };

		w[t].p = p;
		w[t].f = f;
	}
	par_run(worker_main, w, sizeof *w,
	    PAR_THREADS);	/* (this thread takes part) */
	pthread_mutex_destroy(&p->mu);
	if (atomic_load(&p->failed)) {
		*e = p->err;
		rc = -1;
	} else {
		for (i = 0; i < s->n && !p->fast; i++) {
			size_t off = (size_t)(s->id[i] - p->lo);

			if (off >= span)
				continue;	/* added while loading */
			s->done[i] = p->done[off];
			s->win[i] = p->win[off];
			s->first_day[i] = p->first[off];
			s->finish_day[i] = p->finish[off];
		}
		links_to_snap(s, &p->links);
	}
	free(p->links.t);
	free(p->links.d);
	free(p->links.lag);
	free(p->qty);
	free(p->done);
	free(p->win);
	free(p->first);
	free(p->finish);
	return rc;
}

int
store_schedule_load(struct store *st, struct sched_snap *s, struct err *e)
{
	struct raw_links l;
	struct par p;
	int fit;

	memset(&p, 0, sizeof p);
	memset(&l, 0, sizeof l);
	p.s = s;
	if (load_units(st, s, e) != 0 || (fit = par_fits(st, &p, e)) < 0 ||
	    (p.fast = fast_fits(st, s, e)) < 0) {
		free(p.path);
		return -1;
	}
	if (fit) {
		fit = load_parallel(&p, e);
		free(p.path);
		if (fit != 0)
			return -1;
		return p.fast ? load_progress_fast(st, s, e) : 0;
	}
	free(p.path);
	if (load_tasks(st, s, e) != 0 || load_links_raw(st, &l, e) != 0) {
		free(l.t);
		free(l.d);
		free(l.lag);
		return -1;
	}
	links_to_snap(s, &l);
	return p.fast ? load_progress_fast(st, s, e) : load_progress(st, s, e);
}
