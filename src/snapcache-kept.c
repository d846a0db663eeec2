/*
 * snapcache-kept.c: the answers a server keeps while their stamps hold
 * (snapcache-kept.h).
 * One mutex a set; a copy in at each put, a copy out at each hit.
 */
#include <stdlib.h>
#include <string.h>

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

int
kept_get(struct kept_set *k, const char *code, int year,
    const struct elig_stamp *es, const struct mv_stamp *ms, void **out,
    size_t *n, int *aux)
{
	int hit = 0;

	pthread_mutex_lock(&k->mu);
	for (int i = 0; k->on && !hit && i < k->nslot; i++) {
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
		hit = 1;
	}
	pthread_mutex_unlock(&k->mu);
	if (hit)
		metrics_snapshot(k->metric, 0);
	return hit;
}

void
kept_put(struct kept_set *k, const char *code, int year,
    const struct elig_stamp *es, const struct mv_stamp *ms, const void *v,
    size_t n, int aux)
{
	struct kept_slot *s;
	int i;

	metrics_snapshot(k->metric, 1);
	if (strlen(code) >= sizeof s->code || n > k->max)
		return;
	pthread_mutex_lock(&k->mu);
	if (!k->on) {
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
