/*
 * schedule-snap.c: building the schedule snapshot (struct sched_snap):
 * flat per-task arrays, a text arena, the unit list, progress folded in
 * one pass (rows of a task in day order), and the predecessor CSR.
 * Pure: no I/O; the store fills it (store-schedule.c), tests too.
 */
#include <stdlib.h>
#include <string.h>

#include "schedule.h"
#include "util.h"

void
sched_snap_init(struct sched_snap *s, int32_t as_of, int window)
{
	memset(s, 0, sizeof *s);
	s->as_of = as_of;
	s->window = window > 0 ? window : SCHED_WINDOW;
	s->poff = xcalloc(1, sizeof *s->poff);
	(void)sched_text(s, "");
}

void
sched_snap_free(struct sched_snap *s)
{
	free(s->id);
	free(s->code);
	free(s->name);
	free(s->product);
	free(s->customer);
	free(s->unit);
	free(s->qty);
	free(s->start);
	free(s->due);
	free(s->hard);
	free(s->done);
	free(s->win);
	free(s->first_day);
	free(s->finish_day);
	free(s->poff);
	free(s->pred);
	free(s->lag);
	free(s->unit_id);
	free(s->unit_parent);
	free(s->unit_code);
	free(s->text);
	memset(s, 0, sizeof *s);
}

uint32_t
sched_text(struct sched_snap *s, const char *str)
{
	size_t len = strlen(str), off;

	if (len == 0 && s->tlen > 0)
		return 0;
	grow(&s->text, &s->tcap, s->tlen + len + 1, 1);
	off = s->tlen;
	memcpy(s->text + off, str, len + 1);
	s->tlen += len + 1;
	return (uint32_t)off;
}

/* Grow every per-task array to hold n tasks. */
static void
task_reserve(struct sched_snap *s, size_t n)
{
	size_t c = s->cap ? s->cap : 64;

	if (n <= s->cap)
		return;
	while (c < n)
		c *= 2;
#define R(a) s->a = xrealloc(s->a, c * sizeof *s->a)
	R(id); R(code); R(name); R(product); R(customer); R(unit); R(qty);
	R(start); R(due); R(hard); R(done); R(win); R(first_day);
	R(finish_day);
#undef R
	s->cap = c;
}

size_t
sched_add_task(struct sched_snap *s, int64_t id, const char *code,
    const char *name, int32_t unit, double qty, int32_t start, int32_t due,
    const char *product, const char *customer, int hard)
{
	size_t i = s->n;

	task_reserve(s, i + 1);
	s->id[i] = id;
	s->code[i] = sched_text(s, code);
	s->name[i] = sched_text(s, name ? name : "");
	s->product[i] = sched_text(s, product ? product : "");
	s->customer[i] = sched_text(s, customer ? customer : "");
	s->unit[i] = unit;
	s->qty[i] = qty;
	s->start[i] = start;
	s->due[i] = due;
	s->hard[i] = hard != 0;
	s->done[i] = 0;
	s->win[i] = 0;
	s->first_day[i] = SCHED_NONE;
	s->finish_day[i] = SCHED_NONE;
	s->n = i + 1;
	return i;
}

size_t
sched_add_unit(struct sched_snap *s, int64_t id, const char *code)
{
	size_t i = s->nunits, c = s->ucap;

	if (i + 1 > s->ucap) {
		c = c ? c * 2 : 16;
		s->unit_id = xrealloc(s->unit_id, c * sizeof *s->unit_id);
		s->unit_parent = xrealloc(s->unit_parent,
		    c * sizeof *s->unit_parent);
		s->unit_code = xrealloc(s->unit_code, c * sizeof *s->unit_code);
		s->ucap = c;
	}
	s->unit_id[i] = id;
	s->unit_parent[i] = -1;
	s->unit_code[i] = sched_text(s, code);
	s->nunits = i + 1;
	return i;
}

/* Binary search in an ascending id array. */
static long
find_id(const int64_t *a, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && a[lo] == id ? (long)lo : -1;
}

long
sched_task_index(const struct sched_snap *s, int64_t id)
{
	/* Ids are usually dense: try the direct guess first. */
	if (s->n > 0 && id >= s->id[0] && (uint64_t)(id - s->id[0]) < s->n &&
	    s->id[id - s->id[0]] == id)
		return (long)(id - s->id[0]);
	return find_id(s->id, s->n, id);
}

long
sched_unit_index(const struct sched_snap *s, int64_t id)
{
	return find_id(s->unit_id, s->nunits, id);
}

void
sched_fold_row(const struct sched_fold *f, size_t i, int32_t day, double qty)
{
	double eps = 1e-9 * (f->qty[i] > 1 ? f->qty[i] : 1);

	if (day > f->as_of)
		return;
	f->done[i] += qty;
	if (day > f->as_of - f->window)
		f->win[i] += qty;
	if (f->first[i] == SCHED_NONE || day < f->first[i])
		f->first[i] = day;
	if (f->finish[i] == SCHED_NONE && f->done[i] >= f->qty[i] - eps)
		f->finish[i] = day;
}

void
sched_progress_add(struct sched_snap *s, size_t i, int32_t day, double qty)
{
	const struct sched_fold f = { s->qty, s->done, s->win, s->first_day,
	    s->finish_day, s->as_of, s->window };

	sched_fold_row(&f, i, day, qty);
}

void
sched_set_links(struct sched_snap *s, size_t nl, const uint32_t *task,
    const uint32_t *dep, const int32_t *lag)
{
	size_t i;
	uint32_t *fill;

	free(s->poff);
	free(s->pred);
	free(s->lag);
	s->poff = xcalloc(s->n + 1, sizeof *s->poff);
	s->pred = xmalloc((nl ? nl : 1) * sizeof *s->pred);
	s->lag = xmalloc((nl ? nl : 1) * sizeof *s->lag);
	for (i = 0; i < nl; i++)
		s->poff[task[i] + 1]++;
	for (i = 0; i < s->n; i++)
		s->poff[i + 1] += s->poff[i];
	fill = xmalloc((s->n + 1) * sizeof *fill);
	memcpy(fill, s->poff, (s->n + 1) * sizeof *fill);
	for (i = 0; i < nl; i++) {
		uint32_t k = fill[task[i]]++;

		s->pred[k] = dep[i];
		s->lag[k] = lag[i];
	}
	free(fill);
	s->nlinks = nl;
}
