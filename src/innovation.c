/*
 * innovation.c: the innovation register's engine: the names of kinds,
 * levels and groupings, and the count of a snapshot by year, kind, level
 * or unit (pure: arrays in, groups out). The services are in
 * innovation-svc.c. See innovation.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codemap.h"
#include "innovation.h"
#include "util.h"

static const char *const levels[IL__N] = { "base", "ministry", "national" };
static const char *const bys[IB__N] = { "year", "kind", "level", "unit" };

const char *innov_kind_name(enum ikind k) { return rules_ikind_names[k]; }
const char *innov_level_name(enum innov_level l) { return levels[l]; }
const char *innov_by_name(enum innov_by b) { return bys[b]; }

int
innov_by_parse(const char *s)
{
	for (int i = 0; i < IB__N; i++)
		if (strcmp(bys[i], s) == 0)
			return i;
	return -1;
}

void
innov_snap_free(struct innov_snap *sn)
{
	for (size_t i = 0; i < sn->n; i++) {
		struct innov *v = &sn->v[i];

		free(v->title);
		free(v->scope);
		for (size_t a = 0; a < v->nauthors; a++)
			free(v->authors[a].name);
		free(v->authors);
		free(v->awards);
	}
	free(sn->v);
	memset(sn, 0, sizeof *sn);
}

/* The group key of v and its sort rank (natural order for enums). */
static void
group_key(const struct innov *v, enum innov_by by, char key[33], int *rank)
{
	switch (by) {
	case IB_YEAR:
		snprintf(key, 33, "%d", v->year);
		*rank = v->year;
		break;
	case IB_KIND:
		snprintf(key, 33, "%s", rules_ikind_names[v->kind]);
		*rank = v->kind;
		break;
	case IB_LEVEL:
		snprintf(key, 33, "%s", levels[v->level]);
		*rank = v->level;
		break;
	default:
		snprintf(key, 33, "%s", v->unit[0] ? v->unit : "-");
		*rank = 0;
		break;
	}
}

struct ranked {
	struct innov_group g;
	int	 rank;
};

static int
ranked_cmp(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return strcmp(x->g.key, y->g.key);
}

static void
add_to(struct innov_group *g, const struct innov *v)
{
	g->count++;
	g->by_kind[v->kind]++;
	if (v->have_benefit)
		g->benefit += v->benefit;
	if (v->nawards > 0)
		g->with_awards++;
}

void
innov_group(const struct innov_snap *sn, int from, int to, enum innov_by by,
    struct innov_group **out, size_t *n, struct innov_group *total)
{
	struct ranked *r = NULL;
	size_t nr = 0, cap = 0;
	struct codemap at;	/* key -> its group in r (units: 50,000 keys) */

	codemap_init(&at);
	memset(total, 0, sizeof *total);
	snprintf(total->key, sizeof total->key, "total");
	for (size_t i = 0; i < sn->n; i++) {
		const struct innov *v = &sn->v[i];
		char key[33];
		int rank;
		int64_t k;

		if (v->year < from || v->year > to)
			continue;
		group_key(v, by, key, &rank);
		if (!codemap_get(&at, key, &k, NULL)) {
			grow(&r, &cap, nr + 1, sizeof *r);
			memset(&r[nr], 0, sizeof r[nr]);
			memcpy(r[nr].g.key, key, sizeof key);
			r[nr].rank = rank;
			codemap_put(&at, key, k = (int64_t)nr++, 0);
		}
		add_to(&r[k].g, v);
		add_to(total, v);
	}
	if (nr > 0)
		qsort(r, nr, sizeof *r, ranked_cmp);
	*out = xcalloc(nr ? nr : 1, sizeof **out);
	for (size_t k = 0; k < nr; k++)
		(*out)[k] = r[k].g;
	*n = nr;
	free(r);
	codemap_free(&at);
}
