/*
 * elig-class.c: result classes. For an award, most subjects get word for
 * word the same result after their code (the same verdict, clauses,
 * evidence and missing items), because everything it says follows from a
 * few facts that the clause keys hold (elig_key in elig.c). The engine
 * works out each result's key once, as it decides the verdict: subjects
 * whose keys are equal share a class, whose outcome is evaluated once,
 * and the writer formats each class once and copies it for the others
 * (elig-out.c). So neither the engine nor the writer repeats, per
 * subject, what a few thousand classes already say.
 *
 * Each engine thread keeps its own table (a direct-mapped cache of keys,
 * compared in full; the hash only picks the slot): a class id is only
 * ever given to keys equal to the one it was made for, and equal keys met
 * by two threads, or again after an eviction, get two ids, which costs
 * the writer a second formatting, nothing else.
 */
#include <stdlib.h>
#include <string.h>

#include "elig-int.h"

#define ECLASS_SLOTS	8192
#define ECLASS_KEY	96
#define ECLASS_TRIAL	4096	/* lookups before judging an award */

struct eslot {
	uint64_t	 h;		/* 0: empty */
	uint16_t	 id;
	int		 ok;		/* the outcome of the root clause */
	int		 n, cap;	/* key words, allocated */
	uint64_t	*key;
};

struct eclass {
	int		 thread, nthread;
	int		 holes;		/* may leave a tenure clause a hole */
	struct {
		unsigned	 next;	/* classes made */
		unsigned	 tries, hits;
		int		 off;	/* results rarely repeat: no key */
	}		 aw[RULES_MAX_AWARDS];
	struct eslot	 slot[ECLASS_SLOTS];
};

struct eclass *
eclass_new(int thread, int nthread, int holes)
{
	struct eclass *t = xcalloc(1, sizeof *t);

	t->thread = thread;
	t->nthread = nthread;
	t->holes = holes;
	return t;
}

long long
eclass_hits(const struct eclass *t)
{
	long long n = 0;

	for (int a = 0; t != NULL && a < RULES_MAX_AWARDS; a++)
		n += t->aw[a].hits;
	return n;
}

void
eclass_free(struct eclass *t)
{
	for (int i = 0; t != NULL && i < ECLASS_SLOTS; i++)
		free(t->slot[i].key);
	free(t);
}

int
eclass_hole_kid(const struct ruleset *rs, int a)
{
	const struct rclause *root = &rs->cl[rs->awards[a].root];

	for (int i = 0; i < root->nkid; i++)
		if (rs->cl[rs->kids[root->kid0 + i]].kind == CL_TENURE)
			return i;
	return -1;
}

/*
 * The key of c's subject's result for award c->a into key: its length, or
 * -1 when the result has none. A person's first tenure clause at the root
 * is left a hole when holes are allowed: the key then holds only whether
 * it is met (*hole set), and the writer writes each subject's own clause
 * and missing item into the class's text, so people who joined on
 * different days still share the rest of their result.
 */
static int
result_key(struct eclass *t, struct ectx *c, uint64_t *key, int *hole)
{
	const struct ruleset *rs = c->r->rs;
	const struct rclause *root = &rs->cl[rs->awards[c->a].root];
	int person = c->s >= c->r->sn->nunit, n = 1;

	*hole = 0;
	key[0] = (uint64_t)c->a << 1 | (uint64_t)person;
	for (int i = 0; i < root->nkid && n >= 0; i++) {
		int ci = rs->kids[root->kid0 + i], k;

		if (!*hole && t->holes && person && rs->cl[ci].kind == CL_TENURE &&
		    n < ECLASS_KEY) {
			/* (whether a hole is left follows from the award and
			 * the subject kind, so this word is read as one) */
			*hole = 1;
			key[n++] = (uint64_t)elig_eval(c, ci, 1);
			continue;
		}
		c->explain = 1;
		k = n < ECLASS_KEY ? elig_key(c, ci, 1, key + n, ECLASS_KEY - n) : -1;
		c->explain = 0;
		if (k < 0)
			return -1;
		n += k;
	}
	return n;
}

/*
 * Each word mixed on its own with its position (so the products do not
 * wait on each other), then summed: equal keys only collide by chance,
 * not because two words' changes cancel.
 */
static uint64_t
key_hash(const uint64_t *key, int n)
{
	uint64_t h = (uint64_t)n;

	for (int i = 0; i < n; i++) {
		uint64_t x = (key[i] ^ ((uint64_t)i * 0x9e3779b97f4a7c15u)) *
		    0xbf58476d1ce4e5b9u;

		h += (x ^ x >> 31) * 0x94d049bb133111ebu;
	}
	return (h ^ h >> 29) | 1;
}

static int
same_key(const struct eslot *e, const uint64_t *key, int n)
{
	return e->n == n && elig_same_words(e->key, key, n);
}

uint16_t
eclass_decide(struct eclass *t, struct ectx *c, int *ok)
{
	const struct raward *aw = &c->r->rs->awards[c->a];
	uint64_t key[ECLASS_KEY], h;
	struct eslot *e;
	uint32_t id;
	int n, hole;

	if (t == NULL || t->aw[c->a].off ||
	    (n = result_key(t, c, key, &hole)) < 0) {
		*ok = elig_eval(c, aw->root, 0);
		return 0;
	}
	h = key_hash(key, n);
	e = &t->slot[h % ECLASS_SLOTS];
	if (e->h == h && same_key(e, key, n)) {
		t->aw[c->a].hits++;
		*ok = e->ok;
		return e->id;
	}
	if (++t->aw[c->a].tries == ECLASS_TRIAL)
		t->aw[c->a].off = t->aw[c->a].hits < ECLASS_TRIAL / 4;
	*ok = elig_eval(c, aw->root, 0);
	if (c->nbased > 0)
		return 0;	/* (a keyed result rests on no innovation) */
	if (e->cap < n) {
		free(e->key);
		e->cap = n < 24 ? 24 : n;
		e->key = xmalloc(e->cap * sizeof *e->key);
	}
	memcpy(e->key, key, n * sizeof *key);
	e->n = n;
	e->h = h;
	e->ok = *ok;
	/* ids, per award: never 0, distinct between threads, the hole in the
	 * low bit; past 16 bits, none (the writer writes such results anew) */
	id = ((++t->aw[c->a].next * (uint32_t)t->nthread + (uint32_t)t->thread) << 1) |
	    (uint32_t)hole;
	e->id = id <= UINT16_MAX ? (uint16_t)id : 0;
	return e->id;
}
