/*
 * schedule.c: the forecast engine. One pass over the tasks in
 * topological order (Kahn over the predecessor CSR): each task's finish
 * is forecast from its own pace (or its plan) once its start date and
 * its upstream tasks (plus lag) allow; the slip of an upstream task
 * moves it; the tasks whose own slip started the chain are its
 * caused_by, and the inverse relation, restricted to tasks pushed past
 * their due date, is each origin's impacts. Rules: docs/schedule.md.
 * Pure: flat arrays in, flat arrays out.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "schedule.h"
#include "util.h"

/* Forecasts further out than this are "no finite forecast". */
#define HORIZON_DAYS	(366 * 200)

static const char *const status_names[SCHED__NSTATUS] = {
	"done", "late", "stalled", "at_risk", "on_track"
};
static const char *const basis_names[SCHED__NBASIS] = {
	"done", "pace", "plan", "no_pace"
};

const char *
sched_status_name(enum sched_status s)
{
	return status_names[s];
}

const char *
sched_basis_name(enum sched_basis b)
{
	return basis_names[b];
}

static int32_t
max32(int32_t a, int32_t b)
{
	return a > b ? a : b;
}

/* a + k days, saturating at SCHED_NEVER. */
static int32_t
day_add(int32_t a, int64_t k)
{
	int64_t r;

	if (a == SCHED_NEVER)
		return SCHED_NEVER;
	r = (int64_t)a + k;
	return r >= SCHED_NEVER ? SCHED_NEVER : (int32_t)r;
}

/* Last day of `remaining` work done at `pace` per day from `begin`. */
static int32_t
forecast(int32_t begin, double remaining, double pace)
{
	double days;

	if (begin == SCHED_NEVER || !(pace > 0))
		return SCHED_NEVER;
	days = ceil(remaining / pace - 1e-9);
	if (days < 1)
		days = 1;
	if (days > HORIZON_DAYS)
		return SCHED_NEVER;
	return day_add(begin, (int64_t)days - 1);
}

/* Linear plan: the share of the quantity due by the end of as_of. */
static double
planned_to_date(double q, int32_t start, int32_t due, int32_t as_of)
{
	int64_t dur = (int64_t)due - start + 1, el = (int64_t)as_of - start + 1;

	if (el <= 0)
		return 0;
	if (dur <= 0 || el >= dur)
		return q;
	return q * (double)el / (double)dur;
}

/*
 * Kahn's algorithm; ties taken in index order, so the order is
 * deterministic. -1 when a cycle remains (then a cycle is named).
 */
static int
topo(const struct sched_snap *s, uint32_t *order, struct err *e)
{
	size_t n = s->n, i, head = 0, tail = 0;
	uint32_t *indeg = xcalloc(n ? n : 1, sizeof *indeg);
	uint32_t *soff = xcalloc(n + 1, sizeof *soff);
	uint32_t *succ = xmalloc((s->nlinks ? s->nlinks : 1) * sizeof *succ);
	uint32_t *fill;
	int rc = 0;

	for (i = 0; i < n; i++)
		for (uint32_t k = s->poff[i]; k < s->poff[i + 1]; k++) {
			soff[s->pred[k] + 1]++;
			indeg[i]++;
		}
	for (i = 0; i < n; i++)
		soff[i + 1] += soff[i];
	fill = xmalloc((n + 1) * sizeof *fill);
	memcpy(fill, soff, (n + 1) * sizeof *fill);
	for (i = 0; i < n; i++)
		for (uint32_t k = s->poff[i]; k < s->poff[i + 1]; k++)
			succ[fill[s->pred[k]]++] = (uint32_t)i;
	free(fill);
	for (i = 0; i < n; i++)
		if (indeg[i] == 0)
			order[tail++] = (uint32_t)i;
	while (head < tail) {
		uint32_t v = order[head++];

		for (uint32_t k = soff[v]; k < soff[v + 1]; k++)
			if (--indeg[succ[k]] == 0)
				order[tail++] = succ[k];
	}
	if (tail < n) {
		/* Walk unfinished predecessors from a blocked task until a
		 * task repeats: that walk's tail is a cycle. */
		uint32_t *seen = xcalloc(n, sizeof *seen);
		struct sb b;
		uint32_t v = 0, step = 1, w;

		while (indeg[v] == 0)
			v++;
		while (seen[v] == 0) {
			seen[v] = step++;
			for (uint32_t k = s->poff[v]; k < s->poff[v + 1]; k++)
				if (indeg[s->pred[k]] != 0) {
					v = s->pred[k];
					break;
				}
		}
		sb_init(&b);
		w = v;
		do {
			sb_printf(&b, "%s%s", b.len ? " <- " : "",
			    s->text + s->code[w]);
			for (uint32_t k = s->poff[w]; k < s->poff[w + 1]; k++)
				if (indeg[s->pred[k]] != 0 &&
				    seen[s->pred[k]] != 0) {
					w = s->pred[k];
					break;
				}
		} while (w != v && b.len < 800);
		sb_printf(&b, " <- %s", s->text + s->code[v]);
		rc = err_set(e, ERR_USER, "%s: %s", TR("liên kết nhiệm vụ tạo "
		    "thành vòng", "task links form a cycle"), b.s);
		sb_free(&b);
		free(seen);
	}
	free(indeg);
	free(soff);
	free(succ);
	return rc;
}

/* Scratch state for building caused_by lists without per-task malloc. */
struct causes {
	uint32_t	*stamp;		/* stamp[x] == i+1: x already in i's list */
	size_t		 cap;
};

static void
cause_push(struct sched_result *r, struct causes *c, size_t i, uint32_t x)
{
	if (c->stamp[x] == i + 1)
		return;
	if (r->clen[i] >= SCHED_CAUSE_MAX) {
		r->cmore[i] = 1;
		return;
	}
	c->stamp[x] = (uint32_t)(i + 1);
	grow(&r->cause, &c->cap, r->ncause + 1, sizeof *r->cause);
	r->cause[r->ncause++] = x;
	r->clen[i]++;
}

/* What binding predecessor p passes on to i: itself if its own pace made
 * it slip, then the origins of its own delay. */
static void
cause_from(struct sched_result *r, struct causes *c, size_t i, uint32_t p)
{
	if (r->own_slip[p])
		cause_push(r, c, i, p);
	for (uint32_t k = 0; k < r->clen[p]; k++)
		cause_push(r, c, i, r->cause[r->coff[p] + k]);
	if (r->cmore[p])
		r->cmore[i] = 1;
}

static void
result_alloc(struct sched_result *r, size_t n)
{
	size_t m = n ? n : 1;

	memset(r, 0, sizeof *r);
	r->n = n;
	r->order = xmalloc(m * sizeof *r->order);
	r->fin = xmalloc(m * sizeof *r->fin);
	r->own_fin = xmalloc(m * sizeof *r->own_fin);
	r->begin = xmalloc(m * sizeof *r->begin);
	r->planned = xmalloc(m * sizeof *r->planned);
	r->pace = xmalloc(m * sizeof *r->pace);
	r->status = xmalloc(m);
	r->basis = xmalloc(m);
	r->own_slip = xcalloc(m, 1);
	r->coff = xcalloc(m, sizeof *r->coff);
	r->clen = xcalloc(m, 1);
	r->cmore = xcalloc(m, 1);
	r->ioff = xcalloc(n + 1, sizeof *r->ioff);
}

void
sched_result_free(struct sched_result *r)
{
	free(r->order);
	free(r->fin);
	free(r->own_fin);
	free(r->begin);
	free(r->planned);
	free(r->pace);
	free(r->status);
	free(r->basis);
	free(r->own_slip);
	free(r->coff);
	free(r->clen);
	free(r->cmore);
	free(r->cause);
	free(r->ioff);
	free(r->imp);
	memset(r, 0, sizeof *r);
}

/* The pace the forecast uses and what it rests on. */
static enum sched_basis
pace_of(const struct sched_snap *s, size_t i, double *pace)
{
	int32_t from;
	double eps = 1e-9 * (s->qty[i] > 1 ? s->qty[i] : 1);

	if (s->done[i] <= eps) {
		int64_t dur = (int64_t)s->due[i] - s->start[i] + 1;

		*pace = s->qty[i] / (double)(dur > 0 ? dur : 1);
		return SCHED_B_PLAN;
	}
	/* The window, or the days since the first progress if fewer. */
	from = max32(s->as_of - s->window + 1, s->first_day[i]);
	*pace = s->win[i] / (double)(s->as_of - from + 1);
	return *pace > 0 ? SCHED_B_PACE : SCHED_B_NO_PACE;
}

/*
 * When link k (task i depends on p) lets i begin: the day after p
 * finishes plus the lag. A plan in which i starts earlier than that
 * (i works from p's first deliveries) keeps its planned overlap: then
 * p's slip shifts i's start by as many days, and no more.
 */
static int32_t
pred_ready(const struct sched_snap *s, const struct sched_result *r,
    size_t i, uint32_t k)
{
	uint32_t p = s->pred[k];
	int32_t after = day_add(r->fin[p], (int64_t)s->lag[k] + 1);
	int32_t shifted = r->fin[p] > s->due[p] ? day_add(s->start[i],
	    r->fin[p] == SCHED_NEVER ? SCHED_NEVER :
	    (int64_t)r->fin[p] - s->due[p]) : s->start[i];

	return after < shifted ? after : shifted;
}

/* The same had p finished by its due date at the latest. */
static int32_t
pred_ready_planned(const struct sched_snap *s, const struct sched_result *r,
    size_t i, uint32_t k)
{
	uint32_t p = s->pred[k];
	int32_t after = day_add(r->fin[p] < s->due[p] ? r->fin[p] : s->due[p],
	    (int64_t)s->lag[k] + 1);

	return after < s->start[i] ? after : s->start[i];
}

/* One task, its predecessors already done. */
static void
run_task(const struct sched_snap *s, struct sched_result *r,
    struct causes *c, size_t i)
{
	double q = s->qty[i], eps = 1e-9 * (q > 1 ? q : 1), pace = 0;
	int32_t ready = SCHED_NONE, plan_ready = SCHED_NONE, plan_begin;
	int32_t f, own, crit_r = SCHED_NONE;
	int64_t u;
	long crit = -1;
	uint32_t k;

	/* Upstream: when it lets this task begin, as forecast and had no
	 * upstream slipped (each finishing by its due date at the latest). */
	for (k = s->poff[i]; k < s->poff[i + 1]; k++) {
		int32_t rp = pred_ready(s, r, i, k);
		int32_t np = pred_ready_planned(s, r, i, k);

		ready = max32(ready, rp);
		plan_ready = max32(plan_ready, np);
		if (crit < 0 || rp > crit_r) {
			crit = s->pred[k];
			crit_r = rp;
		}
	}
	plan_begin = max32(s->start[i], plan_ready);
	r->planned[i] = planned_to_date(q, s->start[i], s->due[i], s->as_of);

	if (s->done[i] >= q - eps) {
		/* Done: the actual finish; the upstream delay is the wait it
		 * imposed before the finish. */
		f = s->finish_day[i] != SCHED_NONE ? s->finish_day[i] :
		    s->start[i];
		u = (int64_t)(ready < f ? ready : f) - (plan_begin < f ?
		    plan_begin : f);
		if (u < 0)
			u = 0;
		own = (int32_t)(f - u);
		r->begin[i] = max32(s->start[i], ready < f ? ready : f);
		r->basis[i] = SCHED_B_DONE;
		r->status[i] = SCHED_DONE;
	} else {
		enum sched_basis b = pace_of(s, i, &pace);
		double rem = q - s->done[i];
		int32_t begin = max32(max32(s->as_of + 1, s->start[i]), ready);

		f = forecast(begin, rem, pace);
		if (ready == SCHED_NEVER) {
			/* The upstream never delivers: had it delivered on
			 * time, the task would have worked since plan_begin. */
			own = forecast(max32(s->as_of + 1, plan_begin), rem,
			    pace);
			if (own != SCHED_NEVER && plan_begin <= s->as_of)
				own -= s->as_of + 1 - plan_begin;
		} else {
			u = ready > plan_begin ? (int64_t)ready - plan_begin : 0;
			own = f == SCHED_NEVER ? SCHED_NEVER :
			    (int32_t)((int64_t)f - u);
		}
		r->begin[i] = begin;
		r->basis[i] = b;
		if (s->due[i] < s->as_of)
			r->status[i] = SCHED_LATE;
		else if (max32(s->start[i], ready) <= s->as_of - s->window &&
		    s->win[i] <= eps)
			r->status[i] = SCHED_STALLED;
		else if (f > s->due[i])
			r->status[i] = SCHED_AT_RISK;
		else
			r->status[i] = SCHED_ON_TRACK;
	}
	r->fin[i] = f;
	r->own_fin[i] = own;
	r->pace[i] = pace;
	r->own_slip[i] = own > s->due[i];

	/* Moved by upstream: the binding predecessors (those that let it
	 * begin last; several on a tie) pass on their causes. An upstream
	 * task that is late but not the last to deliver moves nothing; a
	 * done task that finished on time was not moved. */
	r->coff[i] = (uint32_t)r->ncause;
	if (f > own && crit >= 0 && crit_r > plan_begin &&
	    (r->status[i] != SCHED_DONE || f > s->due[i]))
		for (k = s->poff[i]; k < s->poff[i + 1]; k++)
			if (pred_ready(s, r, i, k) == crit_r)
				cause_from(r, c, i, s->pred[k]);
}

/* impacts = the inverse of caused_by over tasks pushed past their due. */
static void
build_impacts(const struct sched_snap *s, struct sched_result *r)
{
	size_t n = s->n, j;
	uint32_t *fill;

	for (j = 0; j < n; j++) {
		uint32_t i = r->order[j];

		if (r->fin[i] > s->due[i])
			for (uint32_t k = 0; k < r->clen[i]; k++)
				r->ioff[r->cause[r->coff[i] + k] + 1]++;
	}
	for (j = 0; j < n; j++)
		r->ioff[j + 1] += r->ioff[j];
	r->imp = xmalloc((r->ioff[n] ? r->ioff[n] : 1) * sizeof *r->imp);
	fill = xmalloc((n + 1) * sizeof *fill);
	memcpy(fill, r->ioff, (n + 1) * sizeof *fill);
	for (j = 0; j < n; j++) {
		uint32_t i = r->order[j];

		if (r->fin[i] > s->due[i])
			for (uint32_t k = 0; k < r->clen[i]; k++)
				r->imp[fill[r->cause[r->coff[i] + k]]++] = i;
	}
	free(fill);
}

int
sched_run(const struct sched_snap *s, struct sched_result *r, struct err *e)
{
	struct causes c;
	size_t j;

	result_alloc(r, s->n);
	if (topo(s, r->order, e) != 0) {
		sched_result_free(r);
		return -1;
	}
	c.stamp = xcalloc(s->n ? s->n : 1, sizeof *c.stamp);
	c.cap = 0;
	for (j = 0; j < s->n; j++)
		run_task(s, r, &c, r->order[j]);
	free(c.stamp);
	build_impacts(s, r);
	return 0;
}

long
sched_slip(const struct sched_snap *s, const struct sched_result *r, size_t i)
{
	if (r->fin[i] == SCHED_NEVER)
		return -1;
	return r->fin[i] > s->due[i] ? (long)r->fin[i] - s->due[i] : 0;
}
