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
#include <stdlib.h>
#include <string.h>

#include "collate.h"
#include "http.h"
#include "movement.h"
#include "rules.h"
#include "store-movement.h"
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

struct unit_row {
	int64_t		 id, parent;
	char		*code, *name;
	int		 in;		/* -1 unknown, 0 outside, 1 inside the scope */
};

struct ctx {
	struct req	*r;
	char		*fq;		/* folded query */
	char		**words;	/* its words */
	int		 nwords;
	struct hit	*hits;
	size_t		 n, cap;
	struct unit_row	*units;
	size_t		 nunits, ucap;
};

/* Rank of code/name against the query, or -1 when it does not match. */
static int
rank_of(const struct ctx *c, const char *code, const char *name)
{
	char *fc = text_fold(code), *fn = text_fold(name ? name : "");
	size_t ql = strlen(c->fq);
	int rank = -1, all = 1;

	for (int w = 0; w < c->nwords && all; w++)
		all = strstr(fn, c->words[w]) != NULL ||
		    strstr(fc, c->words[w]) != NULL;
	if (ql == 0)
		rank = 4;
	else if (strcmp(fc, c->fq) == 0)
		rank = 0;
	else if (strncmp(fc, c->fq, ql) == 0)
		rank = 1;
	else if (strncmp(fn, c->fq, ql) == 0)
		rank = 2;
	else if (all) {
		const char *p = strstr(fn, c->fq);

		rank = p && (p == fn || p[-1] == ' ') ? 3 : 4;
		if (p == NULL)
			rank = 4;
	}
	free(fc);
	free(fn);
	return rank;
}

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

static int
by_id(const void *x, const void *y)
{
	const struct unit_row *a = x, *b = y;

	return (a->id > b->id) - (a->id < b->id);
}

/* The unit row of id (units sorted by id), or NULL. */
static struct unit_row *
unit_by_id(struct ctx *c, int64_t id)
{
	struct unit_row key = { .id = id };

	return bsearch(&key, c->units, c->nunits, sizeof *c->units, by_id);
}

/* Is unit id inside the caller's scope? Walks up, remembering answers. */
static int
inside(struct ctx *c, int64_t id)
{
	struct unit_row *u = unit_by_id(c, id);

	if (c->r->scope_root == 0)
		return 1;
	if (u == NULL)
		return 0;
	if (u->in < 0) {
		if (u->id == c->r->scope_root)
			u->in = 1;
		else if (u->parent == 0 || u->parent == u->id)
			u->in = 0;
		else {
			u->in = 0;	/* a cycle ends here */
			u->in = inside(c, u->parent);
		}
	}
	return u->in;
}

static int
on_unit(void *arg, const struct mv_row *row, struct err *e)
{
	struct ctx *c = arg;
	struct unit_row *u;

	(void)e;
	grow(&c->units, &c->ucap, c->nunits + 1, sizeof *c->units);
	u = &c->units[c->nunits++];
	u->id = row->i[0];
	u->parent = row->i[1];
	u->code = xstrdup(row->t[0]);
	u->name = xstrdup(row->t[2] ? row->t[2] : "");
	u->in = -1;
	return 0;
}

/* The units in scope that match. */
static void
match_units(struct ctx *c)
{
	for (size_t i = 0; i < c->nunits; i++) {
		const struct unit_row *u = &c->units[i];
		int rank;

		if (inside(c, u->id) && (rank = rank_of(c, u->code, u->name)) >= 0)
			add(c, 0, rank, u->code, u->name, NULL);
	}
}

static int
on_person(void *arg, const struct mv_row *row, struct err *e)
{
	struct ctx *c = arg;
	struct unit_row *u;
	int rank;

	(void)e;
	if (!inside(c, row->i[1]))
		return 0;
	if ((rank = rank_of(c, row->t[0], row->t[1])) < 0)
		return 0;
	u = unit_by_id(c, row->i[1]);
	add(c, 1, rank, row->t[0], row->t[1], u ? u->code : NULL);
	return 0;
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

int
h_search(struct req *r)
{
	struct ctx c;
	unsigned bits = 0;
	long long limit = r->a.limit ? r->a.limit : 20;
	int rc = 0;

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
	if ((bits & (S_UNIT | S_PERSON)) &&
	    store_movement_units(r->st, on_unit, &c, &r->e) != 0)
		rc = -1;
	if (c.nunits)
		qsort(c.units, c.nunits, sizeof *c.units, by_id);
	if (rc == 0 && (bits & S_UNIT))
		match_units(&c);
	if (rc == 0 && (bits & S_PERSON) &&
	    store_movement_people(r->st, date_today(), date_today(), on_person,
	    &c, &r->e) != 0)
		rc = -1;
	if (rc == 0 && (bits & S_METRIC) &&
	    store_movement_list(r->st, on_movement, &c, &r->e) != 0)
		rc = -1;
	if (rc == 0 && (bits & S_AWARD) && awards(&c, &r->e) != 0)
		rc = -1;
	if (rc == 0) {
		order(&c);
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
		sb_printf(&r->out, "],\"total\":%zu}", c.n);
	}
	for (size_t i = 0; i < c.n; i++) {
		free(c.hits[i].code);
		free(c.hits[i].name);
		free(c.hits[i].extra);
	}
	for (size_t i = 0; i < c.nunits; i++) {
		free(c.units[i].code);
		free(c.units[i].name);
	}
	for (int i = 0; i < c.nwords; i++)
		free(c.words[i]);
	free(c.words);
	free(c.units);
	free(c.hits);
	free(c.fq);
	return rc == 0 ? 200 : -1;
}
