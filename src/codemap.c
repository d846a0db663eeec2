/*
 * codemap.c: open-addressing hash map from codes to ids (FNV-1a hash,
 * linear probing, keys in one arena).
 */
#include <stdlib.h>
#include <string.h>

#include "codemap.h"
#include "util.h"

static uint32_t
hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h ? h : 1;
}

void
codemap_init(struct codemap *m)
{
	memset(m, 0, sizeof *m);
}

void
codemap_free(struct codemap *m)
{
	free(m->ents);
	free(m->arena);
	memset(m, 0, sizeof *m);
}

static struct codemap_ent *
find(const struct codemap *m, const char *key, uint32_t h)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	for (i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		struct codemap_ent *e = &m->ents[i];

		if (e->off == 0)
			return e;
		if (e->hash == h && strcmp(m->arena + e->off - 1, key) == 0)
			return e;
	}
}

static void
rehash(struct codemap *m)
{
	struct codemap_ent *old = m->ents;
	size_t oldcap = m->cap, i;

	m->cap = oldcap ? oldcap * 2 : 64;
	m->ents = xcalloc(m->cap, sizeof *m->ents);
	for (i = 0; i < oldcap; i++) {
		size_t j;

		if (old[i].off == 0)
			continue;
		for (j = old[i].hash & (m->cap - 1); m->ents[j].off;
		    j = (j + 1) & (m->cap - 1))
			;
		m->ents[j] = old[i];
	}
	free(old);
}

void
codemap_put(struct codemap *m, const char *key, int64_t id, int tag)
{
	uint32_t h = hash(key);
	struct codemap_ent *e;
	size_t len;

	if ((m->n + 1) * 2 > m->cap)
		rehash(m);
	e = find(m, key, h);
	if (e->off == 0) {
		len = strlen(key) + 1;
		if (m->alen + len > m->acap) {
			m->acap = m->acap ? m->acap * 2 : 4096;
			while (m->alen + len > m->acap)
				m->acap *= 2;
			m->arena = xrealloc(m->arena, m->acap);
		}
		memcpy(m->arena + m->alen, key, len);
		e->off = (uint32_t)m->alen + 1;
		e->hash = h;
		m->alen += len;
		m->n++;
	}
	e->id = id;
	e->tag = tag;
}

int
codemap_get(const struct codemap *m, const char *key, int64_t *id, int *tag)
{
	struct codemap_ent *e = find(m, key, hash(key));

	if (e == NULL || e->off == 0)
		return 0;
	if (id)
		*id = e->id;
	if (tag)
		*tag = e->tag;
	return 1;
}
