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
#include "movement.h"
#include "rules.h"
#include "store.h"
#include "store-movement.h"
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
 * load order), each unit numbered in a depth-first walk of the tree so
 * that "inside the caller's subtree" is two comparisons. A query's hits
 * of one rank are put in Vietnamese name order (ties in load order) by
 * collate_order when they are few; when many (a short q at a million
 * people), by every item's place in name order, computed once per index
 * by the first query that needs it. Built by the
 * first search after the "elig-base" generation (store.h: subjects,
 * units, people, person_units and the rest, but not ratings or awards,
 * which it does not read: a year-end's ratings leave it be) or the day
 * changes, then shared by
 * every server thread until the next one (a count of users; the last
 * frees it). Strings live in one arena; items hold offsets into it.
 */
struct sx_item {
	size_t		 code, name, fcode, fname;	/* arena offsets */
	size_t		 unit;		/* a person's unit code; 0: none */
	uint32_t	 pre;		/* the unit's walk number (a person's
					   unit's); UINT32_MAX: not in a tree */
	unsigned char	 type;		/* 0 unit, 1 person */
};

struct sx_unit {
	int64_t		 id, parent;
	size_t		 code, name;
	uint32_t	 pre, post;	/* inside: pre <= x.pre < post */
};

struct sx {
	int64_t		 gen;
	int32_t		 day;
	int		 users;		/* requests holding it, +1 while current */
	struct sb	 arena;
	struct sx_item	*it;
	size_t		 n, cap;
	struct sx_unit	*u;		/* sorted by id */
	size_t		 nu, ucap;
	pthread_mutex_t	 omu;		/* guards pos */
	size_t		*pos;		/* each item's place in name order,
					   NULL until a query needs it */
};

static pthread_mutex_t sx_mu = PTHREAD_MUTEX_INITIALIZER;
static struct sx *sx_cur;

static size_t
sx_str(struct sx *x, const char *s)
{
	size_t at = x->arena.len;

	sb_puts(&x->arena, s ? s : "");
	sb_putc(&x->arena, '\0');
	return at;
}

static size_t
sx_fold(struct sx *x, const char *s)
{
	char *f = text_fold(s ? s : "");
	size_t at = sx_str(x, f);

	free(f);
	return at;
}

#define SX(x, off) ((x)->arena.s + (off))

static int
sx_by_id(const void *a, const void *b)
{
	const struct sx_unit *p = a, *q = b;

	return (p->id > q->id) - (p->id < q->id);
}

static struct sx_unit *
sx_unit(struct sx *x, int64_t id)
{
	struct sx_unit key = { .id = id };

	return bsearch(&key, x->u, x->nu, sizeof *x->u, sx_by_id);
}

static int
sx_on_unit(void *arg, const struct mv_row *row, struct err *e)
{
	struct sx *x = arg;
	struct sx_unit *u;

	(void)e;
	grow(&x->u, &x->ucap, x->nu + 1, sizeof *x->u);
	u = &x->u[x->nu++];
	u->id = row->i[0];
	u->parent = row->i[1];
	u->code = sx_str(x, row->t[0]);
	u->name = sx_str(x, row->t[2]);
	u->pre = u->post = UINT32_MAX;
	return 0;
}

static struct sx_item *
sx_add(struct sx *x, int type, size_t code, size_t name, size_t unit,
    uint32_t pre)
{
	struct sx_item *it;

	grow(&x->it, &x->cap, x->n + 1, sizeof *x->it);
	it = &x->it[x->n++];
	it->type = (unsigned char)type;
	it->code = code;
	it->name = name;
	it->unit = unit;
	it->pre = pre;
	it->fcode = sx_fold(x, SX(x, code));
	it->fname = sx_fold(x, SX(x, name));
	return it;
}

static int
sx_on_person(void *arg, const struct mv_row *row, struct err *e)
{
	struct sx *x = arg;
	const struct sx_unit *u = sx_unit(x, row->i[1]);

	(void)e;
	sx_add(x, 1, sx_str(x, row->t[0]), sx_str(x, row->t[1]),
	    u ? u->code : 0, u ? u->pre : UINT32_MAX);
	return 0;
}

/* Number the units depth-first from the roots (a parent not among them). */
static void
sx_walk(struct sx *x)
{
	size_t *first = xcalloc(x->nu + 2, sizeof *first), *kid, *stack, *next;
	size_t *pos, top = 0;
	uint32_t seq = 0;

	kid = xmalloc((x->nu + 1) * sizeof *kid);
	stack = xmalloc((x->nu + 1) * sizeof *stack);
	next = xmalloc((x->nu + 1) * sizeof *next);	/* parent index */
	pos = xmalloc((x->nu + 1) * sizeof *pos);	/* next child to visit */
	/* children of unit k: kid[first[k] .. first[k + 1]) (counting sort) */
	for (size_t i = 0; i < x->nu; i++) {
		struct sx_unit *p = x->u[i].parent && x->u[i].parent !=
		    x->u[i].id ? sx_unit(x, x->u[i].parent) : NULL;

		next[i] = p ? (size_t)(p - x->u) : SIZE_MAX;
		if (p)
			first[next[i] + 2]++;
	}
	for (size_t k = 2; k < x->nu + 2; k++)
		first[k] += first[k - 1];
	for (size_t i = 0; i < x->nu; i++)
		if (next[i] != SIZE_MAX)
			kid[first[next[i] + 1]++] = i;
	/* now first[k] .. first[k + 1] are unit k's children */
	for (size_t r = 0; r < x->nu; r++) {
		if (next[r] != SIZE_MAX)
			continue;
		x->u[r].pre = seq++;
		stack[top] = r;
		pos[top++] = first[r];
		while (top > 0) {
			size_t k = stack[top - 1];

			if (pos[top - 1] < first[k + 1]) {
				size_t c = kid[pos[top - 1]++];

				if (x->u[c].pre != UINT32_MAX)
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
sx_free(struct sx *x)
{
	if (x == NULL)
		return;
	sb_free(&x->arena);
	free(x->it);
	free(x->u);
	free(x->pos);
	pthread_mutex_destroy(&x->omu);
	free(x);
}

static struct sx *
sx_build(struct store *st, int64_t gen, int32_t day, struct err *e)
{
	struct sx *x = xcalloc(1, sizeof *x);

	x->gen = gen;
	x->day = day;
	pthread_mutex_init(&x->omu, NULL);
	sb_init(&x->arena);
	sb_putc(&x->arena, '\0');	/* offset 0: "" (no unit) */
	if (store_movement_units(st, sx_on_unit, x, e) != 0) {
		sx_free(x);
		return NULL;
	}
	qsort(x->u, x->nu, sizeof *x->u, sx_by_id);
	sx_walk(x);
	for (size_t i = 0; i < x->nu; i++)
		sx_add(x, 0, x->u[i].code, x->u[i].name, 0, x->u[i].pre);
	if (store_movement_people(st, day, day, sx_on_person, x, e) != 0) {
		sx_free(x);
		return NULL;
	}
	return x;
}

/* The index current for the store's data, held for the caller (sx_drop). */
static struct sx *
sx_get(struct store *st, struct err *e)
{
	int64_t gen;
	int32_t day = date_today();
	struct sx *x;

	if (store_generation(st, "elig-base", &gen, e) != 0)
		return NULL;
	pthread_mutex_lock(&sx_mu);
	if (sx_cur == NULL || sx_cur->gen != gen || sx_cur->day != day) {
		/* one thread builds; the others wait for it, not build again */
		if ((x = sx_build(st, gen, day, e)) == NULL) {
			pthread_mutex_unlock(&sx_mu);
			return NULL;
		}
		if (sx_cur && --sx_cur->users == 0)
			sx_free(sx_cur);
		sx_cur = x;
		x->users = 1;
	}
	x = sx_cur;
	x->users++;
	pthread_mutex_unlock(&sx_mu);
	return x;
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

/* Each item's place in name order (computed once, by the first caller). */
static const size_t *
sx_positions(struct sx *x)
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

/* Put the n hits (item indexes, in load order) in name order. */
static void
sx_order(struct sx *x, size_t *hits, size_t n)
{
	if (n <= FEW_HITS) {
		const char **names = xmalloc((n + 1) * sizeof *names);
		size_t *ord = xmalloc((n + 1) * sizeof *ord);
		size_t *tmp = xmalloc((n + 1) * sizeof *tmp);

		for (size_t j = 0; j < n; j++)
			names[j] = SX(x, x->it[hits[j]].name);
		collate_order(names, n, ord);
		for (size_t j = 0; j < n; j++)
			tmp[j] = hits[ord[j]];
		memcpy(hits, tmp, n * sizeof *hits);
		free(names);
		free(ord);
		free(tmp);
	} else
		qsort_r(hits, n, sizeof *hits, by_pos, (void *)sx_positions(x));
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
		const struct sx_unit *root = sx_unit(x, c->r->scope_root);

		lo = root && root->pre != UINT32_MAX ? root->pre : 1;
		hi = root && root->pre != UINT32_MAX ? root->post : 0;
	}
	for (size_t i = 0; i < x->n; i++) {
		const struct sx_item *it = &x->it[i];
		int rank;

		if (!(bits & (it->type ? S_PERSON : S_UNIT)))
			continue;
		if (c->r->scope_root != 0 && (it->pre == UINT32_MAX ||
		    it->pre < lo || it->pre >= hi))
			continue;
		if ((rank = rank_folded(c, SX(x, it->fcode), SX(x, it->fname))) < 0)
			continue;
		c->total++;
		grow(&hit[rank], &cap[rank], nhit[rank] + 1, sizeof *hit[rank]);
		hit[rank][nhit[rank]++] = i;
	}
	for (int k = 0; k < 5; k++) {
		if ((long long)c->n < limit && nhit[k] > 0) {
			sx_order(x, hit[k], nhit[k]);
			for (size_t j = 0; j < nhit[k] && (long long)c->n < limit; j++) {
				const struct sx_item *it = &x->it[hit[k][j]];

				add(c, it->type, k, SX(x, it->code), SX(x, it->name),
				    it->unit ? SX(x, it->unit) : NULL);
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
