/*
 * h-search.c: GET /api/v1/search, what the web app's pickers ask as the
 * user types. q is matched against codes and names folded (textnorm.h:
 * case and accents optional, so "nguyen thi lan" finds "Nguyễn Thị Lan";
 * every word of q must appear). type picks what is searched:
 *   subject (default) units and people; unit; person: within the
 *            caller's scope (a scoped role sees its subtree only);
 *   metric   the record metrics that movements' criteria score
 *            (movement=CODE: that movement's only), with the criterion;
 *   award    the awards of the rule set in force for year (default: this
 *            year).
 * Items are ranked: the code itself, a code beginning with q, a name
 * beginning with q, a word of the name beginning with q, anything else;
 * within a rank in Vietnamese order (ICU "vi", collate.h).
 * {"items":[{"type","code","name","unit"?,"movement"?}],"total":N}
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "collate.h"
#include "http.h"
#include "metrics.h"
#include "movement.h"
#include "rules.h"
#include "store.h"
#include "store-movement.h"
#include "store-search.h"
#include "store-unit.h"
#include "textnorm.h"

/* What a request searches: a bit each. */
enum { S_UNIT = 1, S_PERSON = 2, S_METRIC = 4, S_AWARD = 8 };

static const struct { const char *name; unsigned bits; } types[] = {
	{ "subject", S_UNIT | S_PERSON }, { "unit", S_UNIT },
	{ "person", S_PERSON }, { "metric", S_METRIC }, { "award", S_AWARD },
};

static const char *const tnames[] = { "unit", "person", "metric", "award" };

struct hit {
	int		 type;		/* index into tnames */
	int		 rank;		/* 0 best */
	char		*code, *name, *extra;	/* extra: unit or movement code */
};

struct ctx {
	struct req	*r;
	char		*fq;		/* folded query */
	char		**words;	/* its words */
	int		 nwords;
	struct hit	*hits;
	size_t		 n, cap;
	size_t		 total;		/* every match (hits: the first limit) */
};

static void
add(struct ctx *c, int type, int rank, const char *code, const char *name,
    const char *extra)
{
	struct hit *h;

	grow(&c->hits, &c->cap, c->n + 1, sizeof *c->hits);
	h = &c->hits[c->n++];
	h->type = type;
	h->rank = rank;
	h->code = xstrdup(code);
	h->name = xstrdup(name ? name : "");
	h->extra = extra ? xstrdup(extra) : NULL;
}

/*
 * The folded index of units and people that subject, unit and person
 * searches scan: every code and name folded once (units, then people, in
 * id order: "load order"), each unit numbered in a depth-first walk of
 * the tree so that "inside the caller's subtree" is two comparisons. A
 * query's hits of one rank are put in Vietnamese name order (ties in load
 * order) by collate_order when they are few; when many (a short q at a
 * million people), by every item's place in name order, computed once
 * per base by the first query that needs it.
 *
 * How it follows writes. On SQLite (migration 0016; PostgreSQL 0024) every write of
 * subjects, units, people or stays, by whoever, logs the subject's id in
 * subject_log (store-search.h); a search reads the log after the index's
 * last row (one indexed read when nothing changed). The subjects written
 * (up to SX_CHANGES of them) make a new version sharing the folded base:
 * their base items are marked gone and their rows read again into a small
 * overlay (d, in id order, strings in da), about 0.1 ms a subject; a unit
 * written also changes the version's own copy of the units (u: the
 * base's, same indexes, then the units new since) and numbers the tree
 * again (a few ms for 50,000 units): items name their unit by its index
 * there, never by its number. A log emptied past the index (another
 * history), too many changes or the day changing (a stay's unit depends
 * on it) build it again whole (2-5 s at a million people). Without the
 * log (a database before those) it is built again whenever the
 * "elig-base" generation changes (store.h). A version is shared by every
 * server thread (a count of users; the last frees it, and the last
 * version frees its base). Strings live in arenas; items hold offsets.
 */
#define SX_CHANGES	65536
#define SX_NEW_UNITS	1024	/* units new since the base, at most */
#define SX_NONE		UINT32_MAX
#define SX_DA		((size_t)1 << 62)	/* a unit's code in da */

struct sx_item {
	int64_t		 id;		/* the subject's */
	size_t		 code, name, fcode, fname;	/* offsets in its arena */
	uint32_t	 uix;		/* the version's unit (u[]): a unit's
					   own, a person's; SX_NONE: none */
	unsigned char	 type;		/* 0 unit, 1 person */
};

struct sx_unit {
	int64_t		 id, parent;
	size_t		 code, name;	/* base arena; code | SX_DA: da */
	uint32_t	 pre, post;	/* inside: pre <= x.pre < post */
	unsigned char	 dead;		/* deleted since the base */
};

/* What the versions of an index share: everything folded at the build. */
struct sx_base {
	int		 refs;		/* versions holding it (atomic) */
	struct sb	 arena;
	struct sx_item	*it;		/* units by id, then people by id */
	size_t		 n, cap;
	size_t		 nunits;	/* it[0 .. nunits) are the units */
	struct sx_unit	*u;		/* sorted by id, as built */
	size_t		 nu, ucap;
	pthread_mutex_t	 omu;		/* guards pos */
	size_t		*pos;		/* each item's place in name order,
					   NULL until a query needs it */
	uint32_t	*umap;		/* while building: unit id - umin to
					   its index, when the ids are dense */
	int64_t		 umin;
	size_t		 uspan;
};

/* One version: the base, less the items gone, plus the overlay. */
struct sx {
	struct sx_base	*b;
	int64_t		 gen;		/* "elig-base" (without the log) */
	int32_t		 day;
	int		 logged;	/* mark is subject_log's last row read */
	struct search_mark mark;	/* (read and written under sx_mu) */
	int		 users;		/* requests holding it, +1 while current */
	struct sx_unit	*u;		/* the base's units, then new ones */
	size_t		 nu;
	uint64_t	*gone;		/* base items replaced or deleted (bits) */
	struct sx_item	*d;		/* subjects written since the base, by id */
	size_t		 nd, dcap;
	struct sb	 da;		/* their strings */
};

static pthread_mutex_t sx_mu = PTHREAD_MUTEX_INITIALIZER;
static struct sx *sx_cur;

static size_t
ar_str(struct sb *a, const char *s)
{
	size_t at = a->len;

	sb_puts(a, s ? s : "");
	sb_putc(a, '\0');
	return at;
}

static size_t
ar_fold(struct sb *a, const char *s)
{
	char *f = text_fold(s ? s : "");
	size_t at = ar_str(a, f);

	free(f);
	return at;
}

#define SX(b, off) ((b)->arena.s + (off))

/* Item i of a version (base items first, then the overlay's) and its text. */
static const struct sx_item *
it_at(const struct sx *x, size_t i)
{
	return i < x->b->n ? &x->b->it[i] : &x->d[i - x->b->n];
}

static const char *
it_str(const struct sx *x, size_t i, size_t off)
{
	return (i < x->b->n ? x->b->arena.s : x->da.s) + off;
}

static int
it_gone(const struct sx *x, size_t i)
{
	return x->gone != NULL && (x->gone[i / 64] >> (i % 64) & 1);
}

/* A unit's code. */
static const char *
u_code(const struct sx *x, const struct sx_unit *u)
{
	return u->code & SX_DA ? x->da.s + (u->code & ~SX_DA) :
	    x->b->arena.s + u->code;
}

static int
sx_by_id(const void *a, const void *b)
{
	const struct sx_unit *p = a, *q = b;

	return (p->id > q->id) - (p->id < q->id);
}

/* Index of unit id among units u[0 .. n) sorted by id, or SX_NONE. */
static uint32_t
unit_ix(const struct sx_unit *u, size_t n, int64_t id)
{
	struct sx_unit key = { .id = id };
	const struct sx_unit *p = bsearch(&key, u, n, sizeof *u, sx_by_id);

	return p ? (uint32_t)(p - u) : SX_NONE;
}

/* The version's live unit of that id, or SX_NONE. */
static uint32_t
vunit(const struct sx *x, int64_t id)
{
	uint32_t k = unit_ix(x->u, x->b->nu, id);

	if (k != SX_NONE && !x->u[k].dead)
		return k;
	for (size_t j = x->b->nu; j < x->nu; j++)
		if (x->u[j].id == id && !x->u[j].dead)
			return (uint32_t)j;
	return SX_NONE;
}

/* The item of subject id among it[lo .. hi) (in id order), or where it goes. */
static size_t
item_find(const struct sx_item *it, size_t lo, size_t hi, int64_t id)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (it[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
sx_on_unit(void *arg, const struct mv_row *row, struct err *e)
{
	struct sx_base *b = arg;
	struct sx_unit *u;

	(void)e;
	grow(&b->u, &b->ucap, b->nu + 1, sizeof *b->u);
	u = &b->u[b->nu++];
	memset(u, 0, sizeof *u);
	u->id = row->i[0];
	u->parent = row->i[1];
	u->code = ar_str(&b->arena, row->t[0]);
	u->name = ar_str(&b->arena, row->t[2]);
	u->pre = u->post = SX_NONE;
	return 0;
}

/* Fill *it: code and name into arena a (with their folded forms). */
static void
item_fill(struct sx_item *it, struct sb *a, int type, int64_t id,
    const char *code, const char *name, uint32_t uix)
{
	it->id = id;
	it->type = (unsigned char)type;
	it->uix = uix;
	it->code = ar_str(a, code);
	it->name = ar_str(a, name);
	it->fcode = ar_fold(a, code);
	it->fname = ar_fold(a, name);
}

static int
sx_on_person(void *arg, const struct mv_row *row, struct err *e)
{
	struct sx_base *b = arg;

	(void)e;
	grow(&b->it, &b->cap, b->n + 1, sizeof *b->it);
	item_fill(&b->it[b->n++], &b->arena, 1, row->i[0], row->t[0],
	    row->t[1], b->umap == NULL ? unit_ix(b->u, b->nu, row->i[1]) :
	    row->i[1] >= b->umin && (uint64_t)(row->i[1] - b->umin) <
	    b->uspan ? b->umap[row->i[1] - b->umin] : SX_NONE);
	return 0;
}

/*
 * Number the version's live units depth-first from the roots (a parent
 * not among them).
 */
static void
sx_walk(struct sx *x)
{
	size_t n = x->nu;
	size_t *first = xcalloc(n + 2, sizeof *first), *kid, *stack, *next;
	size_t *pos, top = 0;
	uint32_t seq = 0;

	kid = xmalloc((n + 1) * sizeof *kid);
	stack = xmalloc((n + 1) * sizeof *stack);
	next = xmalloc((n + 1) * sizeof *next);	/* parent index */
	pos = xmalloc((n + 1) * sizeof *pos);	/* next child to visit */
	/* children of unit k: kid[first[k] .. first[k + 1]) (counting sort) */
	for (size_t i = 0; i < n; i++) {
		uint32_t p = x->u[i].parent && x->u[i].parent != x->u[i].id ?
		    vunit(x, x->u[i].parent) : SX_NONE;

		x->u[i].pre = x->u[i].post = SX_NONE;
		next[i] = p != SX_NONE && !x->u[i].dead ? p : SIZE_MAX;
		if (next[i] != SIZE_MAX)
			first[next[i] + 2]++;
	}
	for (size_t k = 2; k < n + 2; k++)
		first[k] += first[k - 1];
	for (size_t i = 0; i < n; i++)
		if (next[i] != SIZE_MAX)
			kid[first[next[i] + 1]++] = i;
	/* now first[k] .. first[k + 1] are unit k's children */
	for (size_t r = 0; r < n; r++) {
		if (next[r] != SIZE_MAX || x->u[r].dead)
			continue;
		x->u[r].pre = seq++;
		stack[top] = r;
		pos[top++] = first[r];
		while (top > 0) {
			size_t k = stack[top - 1];

			if (pos[top - 1] < first[k + 1]) {
				size_t c = kid[pos[top - 1]++];

				if (x->u[c].pre != SX_NONE)
					continue;
				x->u[c].pre = seq++;
				stack[top] = c;
				pos[top++] = first[c];
			} else {
				x->u[k].post = seq;
				top--;
			}
		}
	}
	free(first);
	free(kid);
	free(stack);
	free(next);
	free(pos);
}

static void
sx_base_free(struct sx_base *b)
{
	sb_free(&b->arena);
	free(b->it);
	free(b->u);
	free(b->pos);
	pthread_mutex_destroy(&b->omu);
	free(b);
}

static void
sx_free(struct sx *x)
{
	if (x == NULL)
		return;
	if (x->b != NULL && __atomic_sub_fetch(&x->b->refs, 1,
	    __ATOMIC_ACQ_REL) == 0)
		sx_base_free(x->b);
	free(x->u);
	free(x->gone);
	free(x->d);
	sb_free(&x->da);
	free(x);
}

/* A version of base b with nu units to copy from u (and room for one more). */
static struct sx *
sx_new(struct sx_base *b, const struct sx_unit *u, size_t nu)
{
	struct sx *x = xcalloc(1, sizeof *x);

	x->b = b;
	__atomic_add_fetch(&b->refs, 1, __ATOMIC_ACQ_REL);
	x->u = xmalloc((nu + 1) * sizeof *x->u);
	if (nu > 0)
		memcpy(x->u, u, nu * sizeof *x->u);
	x->nu = nu;
	sb_init(&x->da);
	sb_putc(&x->da, '\0');
	return x;
}

static struct sx *
sx_build(struct store *st, int64_t gen, int32_t day, struct err *e)
{
	struct sx_base *b = xcalloc(1, sizeof *b);
	struct sx *x;
	int rc;

	pthread_mutex_init(&b->omu, NULL);
	sb_init(&b->arena);
	sb_putc(&b->arena, '\0');	/* offset 0: "" */
	if (store_movement_units(st, sx_on_unit, b, e) != 0) {
		sx_base_free(b);
		return NULL;
	}
	qsort(b->u, b->nu, sizeof *b->u, sx_by_id);
	b->it = xmalloc((b->nu + 1) * sizeof *b->it);
	b->cap = b->nu + 1;
	for (size_t i = 0; i < b->nu; i++) {
		/* (copies: item_fill appends to the arena they are in) */
		char *code = xstrdup(SX(b, b->u[i].code)),
		    *name = xstrdup(SX(b, b->u[i].name));

		item_fill(&b->it[b->n++], &b->arena, 0, b->u[i].id, code, name,
		    (uint32_t)i);
		free(code);
		free(name);
	}
	b->nunits = b->n;
	x = sx_new(b, b->u, b->nu);
	x->gen = gen;
	x->day = day;
	sx_walk(x);
	/* a person's unit by a table, not a search (0.7 of 5 s at a million
	 * people), when the units' ids are dense enough */
	if (b->nu > 0 && (uint64_t)(b->u[b->nu - 1].id - b->u[0].id) <
	    16 * (uint64_t)b->nu + 1024) {
		b->umin = b->u[0].id;
		b->uspan = (size_t)(b->u[b->nu - 1].id - b->umin) + 1;
		b->umap = xmalloc(b->uspan * sizeof *b->umap);
		memset(b->umap, 0xff, b->uspan * sizeof *b->umap);
		for (size_t i = 0; i < b->nu; i++)
			b->umap[b->u[i].id - b->umin] = (uint32_t)i;
	}
	rc = store_movement_people(st, day, day, sx_on_person, b, e);
	free(b->umap);
	b->umap = NULL;
	if (rc != 0) {
		sx_free(x);
		return NULL;
	}
	return x;
}

static int
by_id64(const void *a, const void *b)
{
	int64_t p = *(const int64_t *)a, q = *(const int64_t *)b;

	return (p > q) - (p < q);
}

/* Subject id's items leave the version (base: marked gone; overlay: out). */
static void
sx_forget(struct sx *x, int64_t id)
{
	const struct sx_base *b = x->b;
	size_t j;

	j = item_find(b->it, 0, b->nunits, id);
	if (j < b->nunits && b->it[j].id == id)
		x->gone[j / 64] |= (uint64_t)1 << (j % 64);
	j = item_find(b->it, b->nunits, b->n, id);
	if (j < b->n && b->it[j].id == id)
		x->gone[j / 64] |= (uint64_t)1 << (j % 64);
	j = item_find(x->d, 0, x->nd, id);
	if (j < x->nd && x->d[j].id == id)
		memmove(&x->d[j], &x->d[j + 1], (x->nd-- - j - 1) * sizeof *x->d);
}

/* Subject id as written into the overlay (after sx_forget). */
static void
sx_overlay(struct sx *x, int type, int64_t id, const char *code,
    const char *name, uint32_t uix)
{
	size_t j = item_find(x->d, 0, x->nd, id);

	grow(&x->d, &x->dcap, x->nd + 1, sizeof *x->d);
	memmove(&x->d[j + 1], &x->d[j], (x->nd - j) * sizeof *x->d);
	x->nd++;
	item_fill(&x->d[j], &x->da, type, id, code, name, uix);
}

/* A subject written, as read again. */
struct sx_chg {
	int64_t		 id, link;	/* a person's unit, a unit's parent */
	char		*code, *name;
	int		 kind;		/* 'p', 'u', 0: none now */
};

/* The units of the changes into the version's u[]: 0, or 1: build again. */
static int
sx_apply_units(struct sx *x, struct sx_chg *c, size_t n, int *walk)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t k = vunit(x, c[i].id);

		if (c[i].kind != 'u' && k == SX_NONE)
			continue;	/* a person's, or nobody's */
		if (c[i].kind == 'p')
			return 1;	/* a unit become a person */
		*walk = 1;
		sx_forget(x, c[i].id);
		if (c[i].kind == 0) {
			x->u[k].dead = 1;
			continue;
		}
		if (k == SX_NONE) {
			if (x->nu - x->b->nu >= SX_NEW_UNITS)
				return 1;
			x->u = xrealloc(x->u, (x->nu + 1) * sizeof *x->u);
			k = (uint32_t)x->nu++;
			memset(&x->u[k], 0, sizeof x->u[k]);
			x->u[k].id = c[i].id;
		}
		x->u[k].parent = c[i].link;
		x->u[k].code = ar_str(&x->da, c[i].code) | SX_DA;
		sx_overlay(x, 0, c[i].id, c[i].code, c[i].name, k);
	}
	return 0;
}

/*
 * The next version of old after the subjects ids were written: 0 with
 * *out; 1 when it must be built again instead (too many changes, a unit
 * become a person); -1 with e filled. ids is sorted here.
 */
static int
sx_apply(struct store *st, const struct sx *old, int64_t *ids, size_t nids,
    struct sx **out, struct err *e)
{
	struct sx_base *b = old->b;
	struct sx *x = sx_new(b, old->u, old->nu);
	struct sx_chg *c = xcalloc(nids + 1, sizeof *c);
	size_t words = (b->n + 63) / 64 + 1, n = 0;
	char day[11];
	int rc = 0, walk = 0;

	*out = NULL;
	date_format(old->day, day);
	x->gen = old->gen;
	x->day = old->day;
	x->logged = 1;
	x->gone = xcalloc(words, sizeof *x->gone);
	if (old->gone)
		memcpy(x->gone, old->gone, words * sizeof *x->gone);
	x->dcap = old->nd + 1;
	x->d = xmalloc(x->dcap * sizeof *x->d);
	if (old->nd > 0)
		memcpy(x->d, old->d, old->nd * sizeof *x->d);
	x->nd = old->nd;
	sb_reset(&x->da);
	sb_putn(&x->da, old->da.s, old->da.len);
	qsort(ids, nids, sizeof *ids, by_id64);
	for (size_t i = 0; i < nids && rc == 0; i++) {
		if (i > 0 && ids[i] == ids[i - 1])
			continue;
		c[n].id = ids[i];
		if ((c[n].kind = store_search_subject(st, ids[i], day,
		    &c[n].code, &c[n].name, &c[n].link, e)) < 0)
			rc = -1;
		n++;
	}
	/* the units first: a person may have moved into a new one */
	if (rc == 0)
		rc = sx_apply_units(x, c, n, &walk);
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (c[i].kind == 'u' || vunit(old, c[i].id) != SX_NONE)
			continue;
		sx_forget(x, c[i].id);
		if (c[i].kind == 'p')
			sx_overlay(x, 1, c[i].id, c[i].code, c[i].name,
			    vunit(x, c[i].link));
	}
	for (size_t i = 0; i < n; i++) {
		free(c[i].code);
		free(c[i].name);
	}
	free(c);
	if (rc == 0 && x->nd > SX_CHANGES)
		rc = 1;
	if (rc != 0) {
		sx_free(x);
		return rc;
	}
	if (walk)
		sx_walk(x);
	*out = x;
	return 0;
}

/* Make x the current version (sx_mu held). */
static void
sx_set(struct sx *x)
{
	if (sx_cur && --sx_cur->users == 0)
		sx_free(sx_cur);
	sx_cur = x;
	x->users = 1;
}

/* The index current for the store's data, held for the caller (sx_drop). */
static struct sx *
sx_get(struct store *st, struct err *e)
{
	int32_t day = date_today();
	struct search_mark m, now;
	int64_t gen = 0, *ids = NULL;
	size_t nids = 0;
	struct sx *x = NULL, *cur;
	int logged = -1, rc;

	/* one thread builds or follows; the others wait for it */
	pthread_mutex_lock(&sx_mu);
	cur = sx_cur;
	if (cur && cur->logged && cur->day == day) {
		if ((rc = store_search_changes(st, &cur->mark, SX_CHANGES, &ids,
		    &nids, &now, e)) < 0)
			goto fail;
		if (rc == 0 && nids == 0) {
			cur->mark = now;
			x = cur;
			metrics_snapshot("search", 0);
		} else if (rc == 0) {
			if ((rc = sx_apply(st, cur, ids, nids, &x, e)) < 0)
				goto fail;
			if (rc == 0) {
				x->mark = now;
				sx_set(x);
				metrics_snapshot("search", 0);	/* (followed) */
			}
		}
	}
	if (x == NULL) {
		/* the log's place (or the stamp) before the rows: a write
		 * landing between makes the next search read it again */
		if ((logged = store_search_mark(st, &m, e)) < 0 || (!logged &&
		    store_generation(st, "elig-base", &gen, e) != 0))
			goto fail;
		if (cur && !logged && !cur->logged && cur->gen == gen &&
		    cur->day == day) {
			x = cur;
			metrics_snapshot("search", 0);
		} else {
			metrics_snapshot("search", 1);
			if ((x = sx_build(st, gen, day, e)) == NULL)
				goto fail;
			x->logged = logged;
			x->mark = m;
			sx_set(x);
		}
	}
	x->users++;
	pthread_mutex_unlock(&sx_mu);
	free(ids);
	return x;
fail:
	pthread_mutex_unlock(&sx_mu);
	free(ids);
	return NULL;
}

static void
sx_drop(struct sx *x)
{
	int last;

	pthread_mutex_lock(&sx_mu);
	last = --x->users == 0;
	pthread_mutex_unlock(&sx_mu);
	if (last)
		sx_free(x);
}

int
h_search_warm(struct store *st, struct err *e)
{
	struct sx *x = sx_get(st, e);

	if (x == NULL)
		return -1;
	sx_drop(x);
	return 0;
}

void
h_search_free(void)
{
	pthread_mutex_lock(&sx_mu);
	if (sx_cur && --sx_cur->users == 0)
		sx_free(sx_cur);
	sx_cur = NULL;
	pthread_mutex_unlock(&sx_mu);
}

/* Rank of a folded code and name against the query, or -1: no match. */
static int
rank_folded(const struct ctx *c, const char *fc, const char *fn)
{
	size_t ql = strlen(c->fq);
	int all = 1;

	for (int w = 0; w < c->nwords && all; w++)
		all = strstr(fn, c->words[w]) != NULL ||
		    strstr(fc, c->words[w]) != NULL;
	if (ql == 0)
		return 4;
	if (strcmp(fc, c->fq) == 0)
		return 0;
	if (strncmp(fc, c->fq, ql) == 0)
		return 1;
	if (strncmp(fn, c->fq, ql) == 0)
		return 2;
	if (all) {
		const char *p = strstr(fn, c->fq);

		return p && (p == fn || p[-1] == ' ') ? 3 : 4;
	}
	return -1;
}

/* Hits of one rank up to this many are ordered by their own names. */
#define FEW_HITS 4096

/* Each base item's place in name order (computed once, by the first caller). */
static const size_t *
sx_positions(struct sx_base *x)
{
	pthread_mutex_lock(&x->omu);
	if (x->pos == NULL) {
		const char **names = xmalloc((x->n + 1) * sizeof *names);
		size_t *ord = xmalloc((x->n + 1) * sizeof *ord);
		size_t *pos = xmalloc((x->n + 1) * sizeof *pos);

		for (size_t i = 0; i < x->n; i++)
			names[i] = SX(x, x->it[i].name);
		collate_order(names, x->n, ord);
		for (size_t j = 0; j < x->n; j++)
			pos[ord[j]] = j;
		free(names);
		free(ord);
		x->pos = pos;
	}
	pthread_mutex_unlock(&x->omu);
	return x->pos;
}

static int
by_pos(const void *a, const void *b, void *arg)
{
	const size_t *pos = arg, pa = pos[*(const size_t *)a],
	    pb = pos[*(const size_t *)b];

	return (pa > pb) - (pa < pb);
}

/* Load order: units before people, then by id. */
static int
by_load(const void *a, const void *b, void *arg)
{
	const struct sx_item *p = it_at(arg, *(const size_t *)a),
	    *q = it_at(arg, *(const size_t *)b);

	if (p->type != q->type)
		return p->type - q->type;
	return (p->id > q->id) - (p->id < q->id);
}

/* Name order of items i and j as collate_order puts them (ties: load). */
static int
by_name(const struct sx *x, size_t i, size_t j)
{
	int c = collate_cmp(it_str(x, i, it_at(x, i)->name),
	    it_str(x, j, it_at(x, j)->name));

	return c != 0 ? c : by_load(&i, &j, (void *)x);
}

/* Put the n hits (item indexes, in load order) in name order by their names. */
static void
order_few(struct sx *x, size_t *hits, size_t n)
{
	const char **names = xmalloc((n + 1) * sizeof *names);
	size_t *ord = xmalloc((n + 1) * sizeof *ord);
	size_t *tmp = xmalloc((n + 1) * sizeof *tmp);

	for (size_t j = 0; j < n; j++)
		names[j] = it_str(x, hits[j], it_at(x, hits[j])->name);
	collate_order(names, n, ord);
	for (size_t j = 0; j < n; j++)
		tmp[j] = hits[ord[j]];
	memcpy(hits, tmp, n * sizeof *hits);
	free(names);
	free(ord);
	free(tmp);
}

/*
 * Put the n hits in name order (ties in load order): the base's hits
 * first, then the overlay's (item indexes from b->n), as the scan found
 * them. Many: the base's by their places, the overlay's (few) each
 * put in among them by a binary search.
 */
static void
sx_order(struct sx *x, size_t *hits, size_t n)
{
	size_t nb = 0, *tmp, at = 0, k = 0;

	while (nb < n && hits[nb] < x->b->n)
		nb++;
	if (nb < n)
		qsort_r(hits, n, sizeof *hits, by_load, x);
	if (n <= FEW_HITS) {
		order_few(x, hits, n);
		return;
	}
	if (nb == n) {
		qsort_r(hits, n, sizeof *hits, by_pos,
		    (void *)sx_positions(x->b));
		return;
	}
	/* (by_load put the units first: split base and overlay again) */
	tmp = xmalloc((n + 1) * sizeof *tmp);
	for (size_t j = 0, a = 0, d = nb; j < n; j++)
		if (hits[j] < x->b->n)
			tmp[a++] = hits[j];
		else
			tmp[d++] = hits[j];
	memcpy(hits, tmp, n * sizeof *hits);
	qsort_r(hits, nb, sizeof *hits, by_pos, (void *)sx_positions(x->b));
	order_few(x, hits + nb, n - nb);
	for (size_t j = nb; j < n; j++) {
		size_t lo = at, hi = nb;

		while (lo < hi) {	/* the first base hit after it */
			size_t mid = lo + (hi - lo) / 2;

			if (by_name(x, hits[mid], hits[j]) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		while (at < lo)
			tmp[k++] = hits[at++];
		tmp[k++] = hits[j];
	}
	while (at < nb)
		tmp[k++] = hits[at++];
	memcpy(hits, tmp, n * sizeof *hits);
	free(tmp);
}

/* Item i (base or overlay) against the query: its rank, or -1. */
static int
sx_rank(const struct ctx *c, const struct sx *x, size_t i, unsigned bits,
    uint32_t lo, uint32_t hi)
{
	const struct sx_item *it = it_at(x, i);

	if (!(bits & (it->type ? S_PERSON : S_UNIT)))
		return -1;
	if (c->r->scope_root != 0) {
		uint32_t pre = it->uix == SX_NONE ? SX_NONE :
		    x->u[it->uix].pre;

		if (pre == SX_NONE || pre < lo || pre >= hi)
			return -1;
	}
	return rank_folded(c, it_str(x, i, it->fcode), it_str(x, i, it->fname));
}

/*
 * Units and people (bits) inside the caller's subtree that match, the
 * first `limit` of them in result order (rank, then name) as hits;
 * c->total every match.
 */
static int
match_subjects(struct ctx *c, unsigned bits, long long limit)
{
	struct sx *x = sx_get(c->r->st, &c->r->e);
	size_t *hit[5] = { NULL }, nhit[5] = { 0 }, cap[5] = { 0 };
	uint32_t lo = 0, hi = UINT32_MAX;

	if (x == NULL)
		return -1;
	if (c->r->scope_root != 0) {
		uint32_t k = vunit(x, c->r->scope_root);
		const struct sx_unit *root = k == SX_NONE ? NULL : &x->u[k];

		lo = root && root->pre != UINT32_MAX ? root->pre : 1;
		hi = root && root->pre != UINT32_MAX ? root->post : 0;
	}
	for (size_t i = 0; i < x->b->n + x->nd; i++) {
		int rank;

		if (i < x->b->n && it_gone(x, i))
			continue;
		if ((rank = sx_rank(c, x, i, bits, lo, hi)) < 0)
			continue;
		c->total++;
		grow(&hit[rank], &cap[rank], nhit[rank] + 1, sizeof *hit[rank]);
		hit[rank][nhit[rank]++] = i;
	}
	for (int k = 0; k < 5; k++) {
		if ((long long)c->n < limit && nhit[k] > 0) {
			sx_order(x, hit[k], nhit[k]);
			for (size_t j = 0; j < nhit[k] && (long long)c->n < limit; j++) {
				size_t i = hit[k][j];
				const struct sx_item *it = it_at(x, i);

				add(c, it->type, k, it_str(x, i, it->code),
				    it_str(x, i, it->name),
				    it->type == 1 && it->uix != SX_NONE ?
				    u_code(x, &x->u[it->uix]) : NULL);
			}
		}
		free(hit[k]);
	}
	sx_drop(x);
	return 0;
}

/* Rank of code/name (not folded yet) against the query, or -1. */
static int
rank_of(const struct ctx *c, const char *code, const char *name)
{
	char *fc = text_fold(code), *fn = text_fold(name ? name : "");
	int rank = rank_folded(c, fc, fn);

	free(fc);
	free(fn);
	return rank;
}

static int
on_movement(void *arg, const struct mv_row *row, struct err *e)
{
	struct ctx *c = arg;
	struct movement m;

	if (c->r->a.movement && strcmp(c->r->a.movement, row->t[0]) != 0)
		return 0;
	if (movement_get(c->r->st, row->t[0], &m, e) != 0)
		return -1;
	for (size_t i = 0; i < m.ncrit; i++) {
		const struct criterion *k = &m.crit[i];
		const char *name = g_lang == LANG_EN && k->name_en ? k->name_en :
		    k->name_vi ? k->name_vi : k->code;
		int rank, dup = 0;

		if (k->metric[0] == '@' || k->metric[0] == '\0')
			continue;	/* built-in: not entered as records */
		for (size_t j = 0; j < c->n && !dup; j++)
			dup = c->hits[j].type == 2 &&
			    strcmp(c->hits[j].code, k->metric) == 0;
		if (!dup && (rank = rank_of(c, k->metric, name)) >= 0)
			add(c, 2, rank, k->metric, name, m.code);
	}
	movement_free(&m);
	return 0;
}

static int
awards(struct ctx *c, struct err *e)
{
	int year = c->r->a.year;
	struct ruleset *rs;

	if (year == 0) {
		int m, d;

		date_to_ymd(date_today(), &year, &m, &d);
	}
	if ((rs = rules_for_year(c->r->st, year, NULL, e)) == NULL)
		return e->kind == ERR_NOTFOUND ? 0 : -1;
	for (int i = 0; i < rs->naward; i++) {
		const struct raward *a = &rs->awards[i];
		const char *name = g_lang == LANG_EN && a->name_en ? a->name_en :
		    a->name_vi;
		int rank = rank_of(c, a->code, name);

		if (rank >= 0)
			add(c, 3, rank, a->code, name, rs->code);
	}
	rules_free(rs);
	return 0;
}

static int
by_rank(const void *x, const void *y)
{
	const struct hit *a = x, *b = y;

	return a->rank - b->rank;
}

/* Order c->hits by rank, then Vietnamese name order within a rank. */
static void
order(struct ctx *c)
{
	const char **names = xmalloc((c->n + 1) * sizeof *names);
	size_t *ord = xmalloc((c->n + 1) * sizeof *ord);
	struct hit *sorted = xmalloc((c->n + 1) * sizeof *sorted);

	for (size_t i = 0; i < c->n; i++)
		names[i] = c->hits[i].name;
	collate_order(names, c->n, ord);
	for (size_t i = 0; i < c->n; i++)
		sorted[i] = c->hits[ord[i]];
	/* a stable pass by rank keeps the name order inside each rank */
	for (size_t i = 1; i < c->n; i++)
		for (size_t j = i; j > 0 && by_rank(&sorted[j - 1], &sorted[j]) > 0; j--) {
			struct hit t = sorted[j];

			sorted[j] = sorted[j - 1];
			sorted[j - 1] = t;
		}
	free(c->hits);
	c->hits = sorted;
	free(names);
	free(ord);
}

static void
split_words(struct ctx *c)
{
	char *p, *save, *buf = xstrdup(c->fq);

	c->words = xmalloc((strlen(c->fq) / 2 + 2) * sizeof *c->words);
	for (p = strtok_r(buf, " ", &save); p; p = strtok_r(NULL, " ", &save))
		c->words[c->nwords++] = xstrdup(p);
	free(buf);
}

/*
 * codes=A,B,C: those subjects by code, in that order, with the names a
 * page shows beside them (store_subject_brief_json); codes unknown or
 * outside the caller's subtree are left out.
 */
static int
by_codes(struct req *r)
{
	char *buf = xstrdup(r->a.codes), *p, *save;
	int n = 0, rc = 0;
	size_t mark;

	sb_puts(&r->out, "{\"items\":[");
	for (p = strtok_r(buf, ",", &save); p && rc >= 0;
	    p = strtok_r(NULL, ",", &save)) {
		if (r->scope_root != 0 && (rc = auth_code_in(r->st,
		    r->scope_root, 'u', p, NULL, &r->e)) <= 0)
			continue;
		mark = r->out.len;
		if (n)
			sb_putc(&r->out, ',');
		if ((rc = store_subject_brief_json(r->st, p, &r->out,
		    &r->e)) == 1)
			n++;
		else
			r->out.len = mark;	/* not found: nothing written */
	}
	free(buf);
	if (rc < 0)
		return -1;
	sb_printf(&r->out, "],\"total\":%d}", n);
	return 200;
}

int
h_search(struct req *r)
{
	struct ctx c;
	unsigned bits = 0;
	long long limit = r->a.limit ? r->a.limit : 20;
	int rc = 0;

	if (r->a.codes)
		return by_codes(r);
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcmp(r->a.type ? r->a.type : "subject", types[i].name) == 0)
			bits = types[i].bits;
	if (bits == 0)
		return http_error(r, 400, "bad_input", "type", "%s: %s",
		    TR("loại tìm kiếm không hợp lệ", "not a search type"),
		    "subject, unit, person, metric, award");
	memset(&c, 0, sizeof c);
	c.r = r;
	c.fq = text_fold(r->a.q ? r->a.q : "");
	split_words(&c);
	if ((bits & (S_UNIT | S_PERSON)) && match_subjects(&c, bits, limit) != 0)
		rc = -1;
	if (rc == 0 && (bits & S_METRIC) &&
	    store_movement_list(r->st, on_movement, &c, &r->e) != 0)
		rc = -1;
	if (rc == 0 && (bits & S_AWARD) && awards(&c, &r->e) != 0)
		rc = -1;
	if (rc == 0) {
		if (!(bits & (S_UNIT | S_PERSON))) {
			order(&c);	/* subjects come in order already */
			c.total = c.n;
		}
		sb_puts(&r->out, "{\"items\":[");
		for (size_t i = 0; i < c.n && (long long)i < limit; i++) {
			const struct hit *h = &c.hits[i];

			sb_printf(&r->out, "%s{\"type\":\"%s\",\"code\":", i ? "," : "",
			    tnames[h->type]);
			sb_json_str(&r->out, h->code);
			sb_puts(&r->out, ",\"name\":");
			sb_json_str(&r->out, h->name);
			if (h->extra) {
				sb_puts(&r->out, h->type == 1 ? ",\"unit\":" :
				    h->type == 2 ? ",\"movement\":" : ",\"rule_set\":");
				sb_json_str(&r->out, h->extra);
			}
			sb_putc(&r->out, '}');
		}
		sb_printf(&r->out, "],\"total\":%zu}", c.total);
	}
	for (size_t i = 0; i < c.n; i++) {
		free(c.hits[i].code);
		free(c.hits[i].name);
		free(c.hits[i].extra);
	}
	for (int i = 0; i < c.nwords; i++)
		free(c.words[i]);
	free(c.words);
	free(c.hits);
	free(c.fq);
	return rc == 0 ? 200 : -1;
}
