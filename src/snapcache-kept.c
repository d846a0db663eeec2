/*
 * snapcache-kept.c: the answers a server keeps while their stamps hold
 * (snapcache-kept.h).
 * One mutex a set; a copy in at each put, a copy out at each hit.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "metrics.h"
#include "snapcache-kept.h"
#include "snapcache-elig.h"
#include "util.h"

void
kept_on(struct kept_set *k, int on)
{
	pthread_mutex_lock(&k->mu);
	k->on = on;
	for (int i = 0; !on && i < k->nslot; i++) {
		free(k->slot[i].v);
		memset(&k->slot[i], 0, sizeof k->slot[i]);
	}
	for (int i = 0; !on && i < KEPT_SLOTS; i++)
		k->making[i].on = 0;
	pthread_cond_broadcast(&k->cv);	/* (waiters: made by each now) */
	pthread_mutex_unlock(&k->mu);
}

int
kept_is_on(struct kept_set *k)
{
	int on;

	pthread_mutex_lock(&k->mu);
	on = k->on;
	pthread_mutex_unlock(&k->mu);
	return on;
}

int
kept_stamps(struct store *st, struct elig_stamp *es, struct mv_stamp *ms)
{
	if (ms != NULL) {
		mv_stamp_read(st, ms);
		if (!ms->ok)
			return -1;
	}
	return elig_cache_stamp(st, es);
}

int
kept_stamp(struct kept_set *k, struct store *st, struct elig_stamp *es,
    struct mv_stamp *ms)
{
	return kept_is_on(k) && kept_stamps(st, es, ms) == 0;
}

/* Whether m is the making of code and year at these stamps. */
static int
making_is(const struct kept_making *m, const char *code, int year,
    const struct elig_stamp *es, const struct mv_stamp *ms)
{
	return m->on && m->year == year && strcmp(m->code, code) == 0 &&
	    elig_stamp_same(&m->elig, es) && m->with_mv == (ms != NULL) &&
	    (ms == NULL || mv_stamp_same(&m->mv, ms));
}

/* A copy of the answer kept, under k->mu: 1, else 0. */
static int
find_kept(struct kept_set *k, const char *code, int year,
    const struct elig_stamp *es, const struct mv_stamp *ms, void **out,
    size_t *n, int *aux)
{
	for (int i = 0; k->on && i < k->nslot; i++) {
		const struct kept_slot *s = &k->slot[i];

		if (s->v == NULL || s->year != year ||
		    strcmp(s->code, code) != 0 ||
		    !elig_stamp_same(&s->elig, es) || s->with_mv != (ms != NULL) ||
		    (ms != NULL && !mv_stamp_same(&s->mv, ms)))
			continue;
		*out = xmalloc((s->n + 1) * k->size);
		if (s->n > 0)
			memcpy(*out, s->v, s->n * k->size);
		*n = s->n;
		if (aux != NULL)
			*aux = s->aux;
		return 1;
	}
	return 0;
}

int
kept_get(struct kept_set *k, const char *code, int year,
    const struct elig_stamp *es, const struct mv_stamp *ms, void **out,
    size_t *n, int *aux)
{
	struct timespec until;
	int hit, busy = 1;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += KEPT_WAIT_S;
	pthread_mutex_lock(&k->mu);
	while (!(hit = find_kept(k, code, year, es, ms, out, n, aux)) &&
	    k->on && k->once && busy && strlen(code) < sizeof k->making[0].code) {
		int free_at = -1;

		busy = 0;
		for (int i = 0; i < KEPT_SLOTS && !busy; i++) {
			busy = making_is(&k->making[i], code, year, es, ms);
			if (!k->making[i].on && free_at < 0)
				free_at = i;
		}
		if (!busy) {	/* this caller makes it */
			if (free_at >= 0) {
				struct kept_making *m = &k->making[free_at];

				m->on = 1;
				m->year = year;
				snprintf(m->code, sizeof m->code, "%s", code);
				m->elig = *es;
				m->with_mv = ms != NULL;
				if (ms != NULL)
					m->mv = *ms;
			}
			break;
		}
		if (pthread_cond_timedwait(&k->cv, &k->mu, &until) != 0)
			busy = 0;	/* (given up: made here too) */
	}
	pthread_mutex_unlock(&k->mu);
	if (hit)
		metrics_snapshot(k->metric, 0);
	return hit;
}

/* The making of code and year over (under k->mu). */
static void
made(struct kept_set *k, const char *code, int year)
{
	for (int i = 0; k->once && i < KEPT_SLOTS; i++)
		if (k->making[i].on && k->making[i].year == year &&
		    strcmp(k->making[i].code, code) == 0)
			k->making[i].on = 0;
	pthread_cond_broadcast(&k->cv);
}

void
kept_drop(struct kept_set *k, const char *code, int year)
{
	pthread_mutex_lock(&k->mu);
	made(k, code, year);
	pthread_mutex_unlock(&k->mu);
}

void
kept_put(struct kept_set *k, const char *code, int year,
    const struct elig_stamp *es, const struct mv_stamp *ms, const void *v,
    size_t n, int aux)
{
	struct kept_slot *s;
	int i;

	metrics_snapshot(k->metric, 1);
	pthread_mutex_lock(&k->mu);
	made(k, code, year);
	if (!k->on || strlen(code) >= sizeof s->code || n > k->max) {
		pthread_mutex_unlock(&k->mu);
		return;
	}
	for (i = 0; i < k->nslot; i++)	/* its own place, else the next */
		if (k->slot[i].v != NULL && k->slot[i].year == year &&
		    strcmp(k->slot[i].code, code) == 0)
			break;
	if (i == k->nslot)
		i = (int)(k->next++ % (unsigned)k->nslot);
	s = &k->slot[i];
	free(s->v);
	snprintf(s->code, sizeof s->code, "%s", code);
	s->year = year;
	s->aux = aux;
	s->elig = *es;
	s->with_mv = ms != NULL;
	if (ms != NULL)
		s->mv = *ms;
	else
		memset(&s->mv, 0, sizeof s->mv);
	s->v = xmalloc((n + 1) * k->size);
	if (n > 0)	/* (v may be NULL when there is none) */
		memcpy(s->v, v, n * k->size);
	s->n = n;
	pthread_mutex_unlock(&k->mu);
}
