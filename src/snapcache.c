/*
 * snapcache.c: the generation check of derived copies and the copies
 * kept in memory (snapcache.h). The copies beside a SQLite file are
 * snapcache-elig.c and snapcache-col.c.
 */
#include <stdlib.h>

#include "snapcache.h"
#include "store.h"

struct snapcache_ent {
	int64_t	 stamp;
	char	*doc;
};

int
snapcache_stamp(struct store *st, const char *gen, int64_t *stamp,
    struct err *e)
{
	return store_generation(st, gen, stamp, e);
}

int
snapcache_mem_get(struct snapcache_mem *m, const char *key, int64_t stamp,
    struct sb *out)
{
	int64_t i;
	int hit = 0;

	pthread_rwlock_rdlock(&m->mu);
	if (m->ent != NULL && codemap_get(&m->idx, key, &i, NULL) &&
	    snapcache_current(m->ent[i].stamp, stamp)) {
		sb_puts(out, m->ent[i].doc);
		hit = 1;
	}
	pthread_rwlock_unlock(&m->mu);
	return hit;
}

/* Everything dropped (the lock held, or no other thread about). */
static void
clear(struct snapcache_mem *m)
{
	if (m->ent == NULL)
		return;
	for (size_t i = 0; i < m->n; i++)
		free(m->ent[i].doc);
	free(m->ent);
	m->ent = NULL;
	m->n = 0;
	codemap_free(&m->idx);
}

void
snapcache_mem_put(struct snapcache_mem *m, const char *key, int64_t stamp,
    const char *doc)
{
	int64_t i;

	pthread_rwlock_wrlock(&m->mu);
	if (m->ent == NULL || m->n >= m->max) {
		clear(m);
		codemap_init(&m->idx);
		m->ent = xcalloc(m->max, sizeof *m->ent);
	}
	if (!codemap_get(&m->idx, key, &i, NULL)) {
		i = (int64_t)m->n++;
		codemap_put(&m->idx, key, i, 0);
	}
	free(m->ent[i].doc);
	m->ent[i].doc = xstrdup(doc);
	m->ent[i].stamp = stamp;
	pthread_rwlock_unlock(&m->mu);
}

void
snapcache_mem_free(struct snapcache_mem *m)
{
	pthread_rwlock_wrlock(&m->mu);
	clear(m);
	pthread_rwlock_unlock(&m->mu);
}
