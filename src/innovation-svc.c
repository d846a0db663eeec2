/*
 * innovation-svc.c: the innovation register's services, whose documents
 * the CLI (`thidua report innovations`, `thidua innovation show`) and
 * its HTTP twin both print: load the register from the store, count it
 * with the engine (innovation.c), and render the report and one
 * innovation as JSON, table or CSV. See innovation.h.
 */
#include <stdlib.h>
#include <string.h>

#include "growth.h"
#include "innovation.h"
#include "snapcache-kept.h"
#include "store-innovation.h"
#include "util.h"

/* ---- rendering ---- */

static void
group_json(struct sb *b, const struct innov_group *g, int with_key)
{
	sb_putc(b, '{');
	if (with_key) {
		sb_puts(b, "\"key\":");
		sb_json_str(b, g->key);
		sb_putc(b, ',');
	}
	sb_printf(b, "\"count\":%ld,\"by_kind\":{\"initiative\":%ld,"
	    "\"research\":%ld,\"mechanisation\":%ld},\"benefit\":%lld,"
	    "\"with_awards\":%ld}", g->count, g->by_kind[IK_INITIATIVE],
	    g->by_kind[IK_RESEARCH], g->by_kind[IK_MECHANISATION],
	    (long long)g->benefit, g->with_awards);
}

static void
innov_json(struct sb *b, const struct innov *v)
{
	sb_puts(b, "{\"code\":");
	sb_json_str(b, v->code);
	sb_printf(b, ",\"kind\":\"%s\",\"title\":", rules_ikind_names[v->kind]);
	sb_json_str(b, v->title);
	sb_printf(b, ",\"year\":%d,\"level\":\"%s\",\"recognised_on\":",
	    v->year, innov_level_name(v->level));
	if (v->recognised_on[0])
		sb_json_str(b, v->recognised_on);
	else
		sb_puts(b, "null");
	sb_puts(b, ",\"scope\":");
	if (v->scope)
		sb_json_str(b, v->scope);
	else
		sb_puts(b, "null");
	sb_puts(b, ",\"unit\":");
	if (v->unit[0])
		sb_json_str(b, v->unit);
	else
		sb_puts(b, "null");
	if (v->have_benefit)
		sb_printf(b, ",\"benefit\":%lld", (long long)v->benefit);
	else
		sb_puts(b, ",\"benefit\":null");
	sb_puts(b, ",\"authors\":[");
	for (size_t a = 0; a < v->nauthors; a++) {
		sb_puts(b, a ? ",{\"person\":" : "{\"person\":");
		sb_json_str(b, v->authors[a].person);
		sb_puts(b, ",\"name\":");
		sb_json_str(b, v->authors[a].name);
		if (v->authors[a].share > 0)
			sb_printf(b, ",\"share\":%g}", v->authors[a].share);
		else
			sb_puts(b, ",\"share\":null}");
	}
	sb_puts(b, "],\"awards\":[");
	for (size_t a = 0; a < v->nawards; a++) {
		sb_printf(b, "%s{\"year\":%d,\"subject\":", a ? "," : "",
		    v->awards[a].year);
		sb_json_str(b, v->awards[a].subject);
		sb_puts(b, ",\"award\":");
		sb_json_str(b, v->awards[a].award);
		sb_putc(b, '}');
	}
	sb_puts(b, "]}");
}

static void
innov_line(struct sb *b, const struct innov *v)
{
	sb_printf(b, "%-12s %d %-13s %-8s %-8s %s\n", v->code, v->year,
	    rules_ikind_names[v->kind], innov_level_name(v->level),
	    v->unit[0] ? v->unit : "-", v->title);
	sb_printf(b, "    %s:", TR("tác giả", "authors"));
	for (size_t a = 0; a < v->nauthors; a++) {
		sb_printf(b, " %s %s", v->authors[a].person, v->authors[a].name);
		if (v->authors[a].share > 0)
			sb_printf(b, " (%g%%)", v->authors[a].share);
		sb_putc(b, a + 1 < v->nauthors ? ';' : ' ');
	}
	sb_putc(b, '\n');
	if (v->recognised_on[0] || v->scope || v->have_benefit) {
		sb_printf(b, "    %s: %s; %s: %s; %s: ",
		    TR("công nhận", "recognised"),
		    v->recognised_on[0] ? v->recognised_on : "-",
		    TR("phạm vi áp dụng", "applied in"), v->scope ? v->scope : "-",
		    TR("làm lợi (đồng)", "benefit (VND)"));
		if (v->have_benefit)
			sb_printf(b, "%lld\n", (long long)v->benefit);
		else
			sb_puts(b, "-\n");
	}
	for (size_t a = 0; a < v->nawards; a++)
		sb_printf(b, "    %s: %s %s %d\n", TR("là căn cứ khen thưởng",
		    "basis of award"), v->awards[a].award, v->awards[a].subject,
		    v->awards[a].year);
}

/* Resolve 0 bounds to the register's years and load it: with every
 * author when rows are shown, else only what the groups by `by` read. */
static int
load(struct store *st, int *from, int *to, enum innov_by by, int rows,
    struct innov_snap *sn, struct err *e)
{
	enum innov_authors authors = rows ? INNOV_AUTHORS :
	    by == IB_UNIT ? INNOV_FIRST_UNIT : INNOV_NO_AUTHORS;
	int f, t;

	memset(sn, 0, sizeof *sn);
	if (store_innovation_years(st, &f, &t, e) != 0)
		return -1;
	if (*from == 0)
		*from = f ? f : 1900;
	if (*to == 0)
		*to = t ? t : *from;
	if (*to < *from)
		return err_set(e, ERR_USAGE, "--from %d --to %d: %s", *from,
		    *to, TR("năm đầu sau năm cuối", "first year after last"));
	return store_innovation_load(st, *from, *to, NULL, authors, sn, e);
}

/* Drop the authors and award subjects sc does not keep. */
static int
innov_scope(struct innov_snap *sn, const struct scope_filter *sc, struct err *e)
{
	for (size_t i = 0; sc != NULL && i < sn->n; i++) {
		struct innov *v = &sn->v[i];
		size_t k = 0;
		int in;

		for (size_t a = 0; a < v->nauthors; a++) {
			if ((in = scope_keeps(sc, v->authors[a].person, e)) < 0)
				return -1;
			if (in)
				v->authors[k++] = v->authors[a];
			else
				free(v->authors[a].name);
		}
		v->nauthors = k;
		k = 0;
		for (size_t a = 0; a < v->nawards; a++) {
			if ((in = scope_keeps(sc, v->awards[a].subject, e)) < 0)
				return -1;
			if (in)
				v->awards[k++] = v->awards[a];
		}
		v->nawards = k;
	}
	return 0;
}

/*
 * The server keeps the last summaries (no rows) it wrote (innovation_keep,
 * snapcache-kept.h): the same for every caller (the groups count the whole
 * register, and a summary has no author to hide), in no language (codes
 * and numbers), current while the eligibility tables' stamp holds (every
 * write of innovations, their authors, awards and units replaces it). At
 * a million people a summary took 0.6-1.4 s at each visit of the
 * exemplars page; a kept one is a copy.
 */
static struct kept_set summaries_kept = KEPT_SET(1, 4, 1 << 20, "innov-kept");

void
innovation_keep(int on)
{
	kept_on(&summaries_kept, on);
}

static int	innovations_doc(struct store *, int, int, enum innov_by,
		    const struct scope_filter *, int, struct sb *, struct err *);

int
innovations_json(struct store *st, int from, int to, enum innov_by by,
    const struct scope_filter *sc, int rows, struct sb *b, struct err *e)
{
	struct elig_stamp es;
	char key[48];
	char *doc;
	size_t n, at = b->len;
	int on = !rows && kept_stamp(&summaries_kept, st, &es, NULL);

	/* (the stamp before the document: never newer than its data) */
	snprintf(key, sizeof key, "%d:%d:%d", from, to, (int)by);
	if (on && kept_get(&summaries_kept, key, 0, &es, NULL, (void **)&doc,
	    &n, NULL)) {
		sb_putn(b, doc, n);
		free(doc);
		return 0;
	}
	if (innovations_doc(st, from, to, by, sc, rows, b, e) != 0)
		return -1;
	if (on)
		kept_put(&summaries_kept, key, 0, &es, NULL, b->s + at,
		    b->len - at, 0);
	return 0;
}

static int
innovations_doc(struct store *st, int from, int to, enum innov_by by,
    const struct scope_filter *sc, int rows, struct sb *b, struct err *e)
{
	struct innov_snap sn;
	struct innov_group *g, total;
	size_t n;

	if (load(st, &from, &to, by, rows, &sn, e) != 0) {
		innov_snap_free(&sn);
		return -1;
	}
	/* The groups count the whole register; the rows lose their outsiders. */
	innov_group(&sn, from, to, by, &g, &n, &total);
	if (innov_scope(&sn, sc, e) != 0) {
		free(g);
		innov_snap_free(&sn);
		return -1;
	}
	sb_printf(b, "{\"from\":%d,\"to\":%d,\"by\":\"%s\",\"total\":", from,
	    to, innov_by_name(by));
	group_json(b, &total, 0);
	sb_puts(b, ",\"groups\":[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_putc(b, ',');
		group_json(b, &g[i], 1);
	}
	sb_puts(b, rows ? "],\"innovations\":[" : "]");
	for (size_t i = 0; rows && i < sn.n; i++) {
		if (i)
			sb_putc(b, ',');
		innov_json(b, &sn.v[i]);
	}
	sb_puts(b, rows ? "]}\n" : "}\n");
	free(g);
	innov_snap_free(&sn);
	return 0;
}

int
innovations_text(struct store *st, int from, int to, enum innov_by by,
    int list, int csv, struct sb *b, struct err *e)
{
	struct innov_snap sn;
	struct innov_group *g, total;
	size_t n;

	if (load(st, &from, &to, by, list && !csv, &sn, e) != 0) {
		innov_snap_free(&sn);
		return -1;
	}
	innov_group(&sn, from, to, by, &g, &n, &total);
	if (csv)
		sb_printf(b, "%s,count,initiative,research,mechanisation,"
		    "benefit,with_awards\n", innov_by_name(by));
	else {
		sb_printf(b, "%s %d–%d (%s %s)\n", TR("Sổ sáng kiến, đề tài, "
		    "công trình", "Innovation register"), from, to,
		    TR("theo", "by"), innov_by_name(by));
		const char *h[6] = { TR("số", "count"),
		    TR("sáng kiến", "initiat."), TR("đề tài", "research"),
		    TR("CKH-TĐH", "mechan."), TR("làm lợi (đồng)",
		    "benefit (VND)"), TR("có khen", "awarded") };

		sb_printf(b, "%-14s %*s %*s %*s %*s %*s %*s\n",
		    innov_by_name(by), growth_colw(h[0], 6), h[0],
		    growth_colw(h[1], 9), h[1], growth_colw(h[2], 8), h[2],
		    growth_colw(h[3], 9), h[3], growth_colw(h[4], 18), h[4],
		    growth_colw(h[5], 8), h[5]);
	}
	for (size_t i = 0; i <= n; i++) {
		const struct innov_group *x = i < n ? &g[i] : &total;
		const char *key = i < n ? x->key : TR("tổng", "total");

		if (csv && i == n)
			break;
		sb_printf(b, csv ? "%*s,%ld,%ld,%ld,%ld,%lld,%ld\n" :
		    "%-*s %6ld %9ld %8ld %9ld %18lld %8ld\n",
		    csv ? 0 : growth_colw(key, 14), key, x->count,
		    x->by_kind[IK_INITIATIVE], x->by_kind[IK_RESEARCH],
		    x->by_kind[IK_MECHANISATION], (long long)x->benefit,
		    x->with_awards);
	}
	if (list && !csv)
		for (size_t i = 0; i < sn.n; i++)
			innov_line(b, &sn.v[i]);
	free(g);
	innov_snap_free(&sn);
	return 0;
}

int
innovation_show(struct store *st, const char *code, int json, struct sb *b,
    struct err *e)
{
	struct innov_snap sn;
	int rc = 0;

	memset(&sn, 0, sizeof sn);
	if (store_innovation_load(st, 0, 9999, code, INNOV_AUTHORS, &sn, e) != 0)
		rc = -1;
	else if (sn.n == 0)
		rc = err_at(e, ERR_NOTFOUND, NULL, 0, 0, "code", "%s: %s", code,
		    TR("không có sáng kiến/đề tài mã này",
		    "no innovation with this code"));
	else if (json) {
		innov_json(b, &sn.v[0]);
		sb_putc(b, '\n');
	} else
		innov_line(b, &sn.v[0]);
	innov_snap_free(&sn);
	return rc;
}
