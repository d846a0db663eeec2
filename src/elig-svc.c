/*
 * elig-svc.c: writing verdicts (JSON as in the contract, a readable
 * table, CSV) with their explanations, into a struct sb or streamed to
 * a file (the class texts written in place, not copied); and the service
 * functions elig_json(), elig_stream() and elig_verdict() that load,
 * evaluate and write.
 */
#include <sys/uio.h>

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codemap.h"
#include "elig-int.h"
#include "metrics.h"
#include "movement.h"
#include "par.h"
#include "snapcache-elig.h"
#include "store-elig.h"
#include "store-movement.h"
#include "store-rules.h"
#include "store.h"
#include "util.h"

/*
 * A JSON string from our own text. Explanations are built only from our
 * templates, numbers and codes (validated [A-Za-z0-9._-] on import and
 * in rule files), so nothing in them needs escaping.
 */
static void
put_jstr(struct sb *b, const char *s, size_t n)
{
	elig_putc(b, '"');
	elig_putn(b, s, n);
	elig_putc(b, '"');
}

/* A '\x1f'-separated list as a JSON array, or joined with sep. */
static void
put_list(struct sb *b, const struct sb *items, int json, const char *sep)
{
	const char *p = items->s, *end = items->s + items->len;

	if (json)
		elig_putc(b, '[');
	while (items->len > 0 && p <= end) {
		const char *q = memchr(p, ELIG_SEP, end - p);

		if (q == NULL)
			q = end;
		if (p != items->s)
			elig_puts(b, json ? "," : sep);
		if (json)
			put_jstr(b, p, q - p);
		else
			elig_putn(b, p, q - p);
		p = q + 1;
	}
	if (json)
		elig_putc(b, ']');
}

struct result {
	struct sb	 clauses;	/* CSV: the clauses' text */
	struct sb	 miss;		/* items joined by msep */
	struct sb	 based;		/* items joined by bsep */
	struct sb	 line;		/* scratch */
	int		 nmiss, nbased;
	struct lit	 msep, bsep;	/* list_seps of the format */
	size_t		*mstart;	/* nmiss: where each missing item starts */
	size_t		 mcap;
	struct lit	 code;		/* the subject's code */
	struct sb	 open;		/* how each of its results opens (open_results) */
	/*
	 * JSON: the text between a result's subject code and its clauses
	 * per subject kind (unit, person), award and verdict; the opening
	 * of a clause up to its text per clause kind and ok (json_heads).
	 */
	struct sb	 heads;
	struct lit	 rhead[2][RULES_MAX_AWARDS][EV_HELD + 1];
	struct lit	 chead[CL__MAX][2];
	/*
	 * The hole of a class's text (see write_one): the root's tenure
	 * clause hole (-1 none), whether it is met (hok), where explain()
	 * wrote its months (ht0 .. ht1) and joining day (hj0) in the output,
	 * the index of its missing item (hmi, -1 none) and where the day the
	 * months are reached landed in it (hr, set by write_rest).
	 */
	int		 hole, hmi, hok, hmonths;	/* hmonths: its min_months */
	size_t		 ht0, ht1, hj0, hr, hrin;	/* hrin: in the item */
};

/* Fill res->rhead and res->chead for the rule set and names of c. */
static void
json_heads(struct result *res, const struct ectx *c)
{
	size_t off[2 * RULES_MAX_AWARDS * (EV_HELD + 1) + 2 * CL__MAX + 1], n = 0;
	struct sb *b = &res->heads;
	int na = c->r->rs->naward;

	sb_reset(b);
	for (int k = 0; k < 2; k++)
		for (int a = 0; a < na; a++)
			for (int v = 0; v <= EV_HELD; v++) {
				off[n++] = b->len;
				PUT_LIT(b, "\",\"subject_kind\":\"");
				if (k)
					PUT_LIT(b, "person");
				else
					PUT_LIT(b, "unit");
				PUT_LIT(b, "\",\"award\":\"");
				PUT_L(b, c->aw[a]);
				PUT_LIT(b, "\",\"verdict\":\"");
				PUT_L(b, c->verdict[v]);
				PUT_LIT(b, "\",\"clauses\":[");
			}
	for (int k = 0; k < CL__MAX; k++)
		for (int ok = 0; ok < 2; ok++) {
			off[n++] = b->len;
			PUT_LIT(b, "{\"clause\":\"");
			PUT_L(b, c->clause[k]);
			if (ok)
				PUT_LIT(b, "\",\"ok\":true,\"text\":\"");
			else
				PUT_LIT(b, "\",\"ok\":false,\"text\":\"");
		}
	off[n] = b->len;
	/* the buffer has stopped moving: point into it */
	n = 0;
	for (int k = 0; k < 2; k++)
		for (int a = 0; a < na; a++)
			for (int v = 0; v <= EV_HELD; v++, n++)
				res->rhead[k][a][v] = (struct lit){ b->s + off[n], off[n + 1] - off[n] };
	for (int k = 0; k < CL__MAX; k++)
		for (int ok = 0; ok < 2; ok++, n++)
			res->chead[k][ok] = (struct lit){ b->s + off[n], off[n + 1] - off[n] };
}

static void
list_item(struct sb *b, int *n, struct lit sep)
{
	if ((*n)++ > 0)
		PUT_L(b, sep);
}

/* Start a missing item; returns the buffer to write it into. */
static struct sb *
miss_item(struct result *res)
{
	if ((size_t)res->nmiss >= res->mcap)
		grow(&res->mstart, &res->mcap, res->nmiss + 1, sizeof *res->mstart);
	list_item(&res->miss, &res->nmiss, res->msep);
	res->mstart[res->nmiss - 1] = res->miss.len;
	return &res->miss;
}

static int
has_missing(const struct result *res, const char *p, size_t n)
{
	for (int j = 0; j < res->nmiss; j++) {
		size_t a = res->mstart[j], z = j + 1 < res->nmiss ?
		    res->mstart[j + 1] - res->msep.n : res->miss.len;

		if (z - a == n && memcmp(res->miss.s + a, p, n) == 0)
			return 1;
	}
	return 0;
}

static void
quota_note(struct elig_run *r, struct ectx *c, int v, struct result *res)
{
	const struct raward *aw = &r->rs->awards[c->a];
	int32_t sc = elig_scope(r->sn, c->s, aw->quota_scope);
	struct sb *b = &res->line;

	if (sc < 0 || r->qrank[c->a] == NULL)
		return;
	sb_reset(b);
	PUT_TR(b, "Chỉ tiêu ", "Quota ");
	elig_put_int(b, (long long)aw->quota_pct);
	PUT_TR(b, " % của ", " % of ");
	elig_put_int(b, r->qn[c->a][sc]);
	PUT_TR(b, " trong ", " in ");
	elig_puts(b, r->sn->arena + r->sn->code[sc]);
	PUT_TR(b, ": tối đa ", ": at most ");
	elig_put_int(b, r->qcap[c->a][sc]);
	PUT_TR(b, ", xếp hạng ", ", ranked ");
	elig_put_int(b, r->qrank[c->a][c->s]);
	if (v == EV_OVER_QUOTA) {
		struct sb *m = miss_item(res);

		PUT_TR(m, "vượt chỉ tiêu: ", "over the quota: ");
		elig_putn(m, b->s, b->len);
	}
}

/* Append each missing item unless the result has it already. */
static void
add_missing(struct result *res, const struct sb *items)
{
	const char *p = items->s, *end = items->s + items->len;

	while (p < end) {
		const char *q = memchr(p, ELIG_SEP, end - p);

		if (q == NULL)
			q = end;
		if (!has_missing(res, p, q - p))
			elig_putn(miss_item(res), p, q - p);
		p = q + 1;
	}
}

/*
 * What joins the items of a result's lists per format. JSON and the table
 * get them joined as they will be printed ("a","b" between the brackets;
 * "a; b"); CSV keeps '\x1f', joined by put_list (as elig_verdict does).
 */
static const struct list_seps {
	struct lit	 miss, based, ev;
} list_seps[] = {
	[ELIG_JSON] = { LIT("\",\""), LIT("\",\""), LIT("\",\"") },
	[ELIG_TABLE] = { LIT("; "), LIT(", "), LIT("; ") },
	[ELIG_CSV] = { LIT("\x1f"), LIT("\x1f"), LIT("; ") },	/* (no evidence) */
};

/* How the table and CSV write a clause: between clauses, the marks, evidence. */
static const struct text_form {
	struct lit	 sep, yes, no;
	int		 ev;
} text_forms[] = {
	[ELIG_TABLE] = { LIT("\n"), LIT("    ✓ "), LIT("    ✗ "), 1 },
	[ELIG_CSV] = { LIT(" | "), LIT("✓ "), LIT("✗ "), 0 },
};

/*
 * A clause as the format writes it, from its explanation x; where its
 * text and evidence start into at[0], at[1] (SIZE_MAX: not shown).
 */
static void
put_clause(const struct result *res, enum elig_out fmt, int kind, int ok,
    const struct xbuf *x, struct sb *b, size_t at[2])
{
	at[1] = SIZE_MAX;
	if (fmt == ELIG_JSON) {
		/* {"clause":"K","ok":B,"text":"T","evidence":["E","F"]} */
		PUT_L(b, res->chead[kind][ok]);
		at[0] = b->len;
		elig_putn(b, x->text.s, x->text.len);
		PUT_LIT(b, "\",\"evidence\":[");
		if (x->nev > 0) {
			elig_putc(b, '"');
			at[1] = b->len;
			elig_putn(b, x->ev.s, x->ev.len);
			elig_putc(b, '"');
		}
		PUT_LIT(b, "]}");
	} else {
		const struct text_form *f = &text_forms[fmt];

		PUT_L(b, ok ? f->yes : f->no);
		at[0] = b->len;
		elig_putn(b, x->text.s, x->text.len);
		if (x->nev > 0 && f->ev) {
			PUT_LIT(b, " [");
			at[1] = b->len;
			elig_putn(b, x->ev.s, x->ev.len);
			elig_putc(b, ']');
		}
	}
}

/*
 * Explain subject s for award a: the clauses (a JSON array body or text
 * lines) appended to cl (res->clauses, or straight into the output), what
 * is missing and what the verdict rests on into res.
 */
static void
explain(struct elig_run *r, struct ectx *c, enum elig_out fmt, struct result *res,
    struct sb *cl)
{
	const struct ruleset *rs = r->rs;
	const struct rclause *root = &rs->cl[rs->awards[c->a].root];
	const struct elig_snap *sn = r->sn;
	int v = r->verdict[c->s * rs->naward + c->a];
	struct sb *b = cl;

	elig_reset(&res->miss);
	elig_reset(&res->based);
	res->nmiss = res->nbased = 0;
	res->msep = list_seps[fmt].miss;
	res->bsep = list_seps[fmt].based;
	c->evsep = list_seps[fmt].ev;
	c->nbased = 0;
	c->explain = 1;
	for (int i = 0; i < root->nkid; i++) {
		int ci = rs->kids[root->kid0 + i];
		int ok = elig_eval(c, ci, 1);
		const struct xbuf *x = xb_of(c, 1);
		struct xbuf *memo = c->xb[1].memo;
		size_t at, tat[2] = { SIZE_MAX, SIZE_MAX };

		if (i > 0 && fmt == ELIG_JSON)
			elig_putc(b, ',');
		else if (i > 0)
			PUT_L(b, text_forms[fmt].sep);
		at = b->len;
		if (memo != NULL && memo->shown.len > 0)
			/* written before: the same clause, ok and explanation */
			elig_putn(b, memo->shown.s, memo->shown.len);
		else
			put_clause(res, fmt, rs->cl[ci].kind, ok, x, b, tat);
		if (memo != NULL && memo->shown.len == 0)
			elig_putn(&memo->shown, b->s + at, b->len - at);
		if (i == res->hole) {
			/* (the tenure clause just explained: c->tenure) */
			res->hmi = -1;
			res->hok = ok && tat[1] != SIZE_MAX;
			res->ht0 = tat[0] + c->tenure.m0;
			res->ht1 = tat[0] + c->tenure.m1;
			res->hj0 = tat[1] + c->tenure.j0;
			res->hrin = c->tenure.r0;
			res->hmonths = rs->cl[ci].min_months;
			if (!ok && tat[1] != SIZE_MAX && x->nmiss == 1 &&
			    !has_missing(res, x->miss.s, x->miss.len))
				res->hmi = res->nmiss;
		}
		if (!ok && x->nmiss > 0)
			add_missing(res, &x->miss);
	}
	c->explain = 0;
	if (v == EV_HELD) {
		const struct elig_disc *d = elig_held(sn, c->s);
		char day[11];

		date_format(d->from, day);
		b = miss_item(res);
		PUT_TR(b, "chờ kết luận vụ việc đang xem xét (từ ",
		    "waiting for the open case to close (since ");
		elig_putn(b, day, 10);
		elig_putc(b, ')');
	}
	if (rs->awards[c->a].has_quota && (v == EV_ELIGIBLE || v == EV_OVER_QUOTA))
		quota_note(r, c, v, res);
	if (v == EV_ELIGIBLE)
		for (int j = 0; j < c->nbased; j++) {
			list_item(&res->based, &res->nbased, res->bsep);
			elig_puts(&res->based, sn->arena + sn->icode[c->based[j]]);
		}
}

/* Pad a table column to width bytes, as printf's %-Ns would. */
static void
put_padded(struct sb *b, struct lit s, size_t width)
{
	static const char spaces[] = "                ";

	PUT_L(b, s);
	for (size_t n = s.n; n < width; n += sizeof spaces - 1)
		elig_putn(b, spaces, width - n < sizeof spaces - 1 ? width - n :
		    sizeof spaces - 1);
}

/* A JSON array of a result's list (items already joined by "," quotes). */
static void
put_jlist(struct sb *b, const struct sb *items)
{
	if (items->len == 0) {
		PUT_LIT(b, "[]");
		return;
	}
	PUT_LIT(b, "[\"");
	elig_putn(b, items->s, items->len);
	PUT_LIT(b, "\"]");
}

static const struct lit verdict_vi[] = { LIT(""), LIT("ĐỦ ĐIỀU KIỆN"),
	LIT("chưa đủ điều kiện"), LIT("vượt chỉ tiêu"), LIT("tạm dừng xét") };

/* Where the hole's reached day lands when the missing items are written at base. */
static void
hole_item(struct result *res, size_t base)
{
	if (res->hole >= 0 && res->hmi >= 0 && res->hrin != SIZE_MAX)
		res->hr = base + res->mstart[res->hmi] + res->hrin;
}

/* A result after its subject's code (see write_one) into out. */
static void
write_rest(struct elig_run *r, struct ectx *c, enum elig_out fmt,
    struct result *res, struct sb *out)
{
	const struct elig_snap *sn = r->sn;
	struct lit award = c->aw[c->a];
	int vi = r->verdict[c->s * r->rs->naward + c->a];

	if (fmt == ELIG_JSON) {
		PUT_L(out, res->rhead[c->s >= sn->nunit][c->a][vi]);
		explain(r, c, fmt, res, out);
		PUT_LIT(out, "],\"based_on\":");
		put_jlist(out, &res->based);
		PUT_LIT(out, ",\"missing\":");
		hole_item(res, out->len + 2);	/* after [" */
		put_jlist(out, &res->miss);
		elig_putc(out, '}');
	} else if (fmt == ELIG_CSV) {
		const char *f[3] = { c->s < sn->nunit ? "unit" : "person",
		    award.s, c->verdict[vi].s };

		sb_reset(&res->clauses);
		explain(r, c, fmt, res, &res->clauses);
		for (int i = 0; i < 3; i++) {
			sb_csv_field(out, f[i]);
			elig_putc(out, ',');
		}
		sb_reset(&res->line);
		put_list(&res->line, &res->based, 0, ";");
		sb_csv_field(out, res->line.s);
		elig_putc(out, ',');
		sb_reset(&res->line);
		put_list(&res->line, &res->miss, 0, "; ");
		sb_csv_field(out, res->line.s);
		elig_putc(out, ',');
		sb_csv_field(out, res->clauses.s);
		PUT_LIT(out, "\r\n");
	} else {
		put_padded(out, award, 8);
		elig_putc(out, ' ');
		PUT_L(out, g_lang == LANG_EN ? c->verdict[vi] : verdict_vi[vi]);
		elig_putc(out, '\n');
		explain(r, c, fmt, res, out);
		elig_putc(out, '\n');
		if (res->nbased) {
			PUT_TR(out, "    ⇒ dựa trên: ", "    ⇒ based on: ");
			elig_putn(out, res->based.s, res->based.len);
			elig_putc(out, '\n');
		}
		if (res->nmiss) {
			PUT_TR(out, "    ⇒ còn thiếu: ", "    ⇒ missing: ");
			hole_item(res, out->len);
			elig_putn(out, res->miss.s, res->miss.len);
			elig_putc(out, '\n');
		}
	}
}

/*
 * Texts of result classes (elig-class.c), remembered by each writer
 * thread: the result after the subject's code, formatted for the first
 * subject of its class met and copied for the others. By award, an
 * array by class id (ids are dense, at most 16 bits). Only results whose
 * text is their class's: not a quota's eligible or over-quota verdict
 * (its rank), not an open case.
 */

/*
 * A class's text. With a hole (a person's tenure clause), the first
 * subject's months served are at t0 .. t1 of the text, its joining day
 * at j0 and the day it reaches the months at r0 (SIZE_MAX: met), each
 * written anew for every subject: nothing else of the clause, its
 * missing item or the rest of the result depends on the subject (the
 * class holds whether it is met).
 */
struct ctext {
	int		 hole;		/* the root's clause index, -1 none */
	int		 min_months;	/* the hole's */
	size_t		 t0, t1, j0, r0;
	size_t		 len;
	char		 s[];
};

struct texts {
	struct ctext	**t[RULES_MAX_AWARDS];	/* by class id, NULL: none yet */
	size_t		 n[RULES_MAX_AWARDS];	/* allocated */
	int		 hole[RULES_MAX_AWARDS];	/* eclass_hole_kid */
	int		 naward;
};

/* The text of award a's class id, or NULL. */
static const struct ctext *
text_of(const struct texts *m, int a, uint32_t id)
{
	return id < m->n[a] ? m->t[a][id] : NULL;
}

static struct texts *
texts_new(const struct ruleset *rs)
{
	struct texts *m = xcalloc(1, sizeof *m);

	m->naward = rs->naward;
	for (int a = 0; a < rs->naward; a++)
		m->hole[a] = eclass_hole_kid(rs, a);
	return m;
}

static void
texts_free(struct texts *m)
{
	for (int a = 0; m != NULL && a < m->naward; a++) {
		for (size_t i = 0; i < m->n[a]; i++)
			free(m->t[a][i]);
		free(m->t[a]);
	}
	free(m);
}

/*
 * Remember the text of class id (len bytes at s), with the hole res
 * describes (offsets in s) when hole >= 0.
 */
static void
texts_put(struct texts *m, int a, uint32_t id, const char *s, size_t len,
    int hole, const struct result *res, size_t at)
{
	struct ctext *e;

	if (id >= m->n[a]) {
		size_t n = m->n[a];

		grow(&m->t[a], &m->n[a], id + 1, sizeof *m->t[a]);
		memset(m->t[a] + n, 0, (m->n[a] - n) * sizeof *m->t[a]);
	}
	free(m->t[a][id]);
	e = m->t[a][id] = xmalloc(sizeof *e + len);
	e->len = len;
	memcpy(e->s, s, len);
	e->hole = hole;
	if (hole >= 0) {
		e->min_months = res->hmonths;
		e->t0 = res->ht0 - at;
		e->t1 = res->ht1 - at;
		e->j0 = res->hj0 - at;
		/* (a range's "over" item has no day in it) */
		e->r0 = res->hmi >= 0 && res->hrin != SIZE_MAX ? res->hr - at : SIZE_MAX;
	}
}

/*
 * A chunk of the document as formatted: its own bytes (b) and, when the
 * document goes to a file, the class texts it shows in place (not copied
 * into b: on the bench they are 4.8 GB). seg lists the pieces in order,
 * ready for writev; a piece of b points into it, and when b moves (grows)
 * those pieces are moved with it (base: where b was).
 */
#define SEG_MIN		256	/* shorter pieces of class texts are copied */

struct chunk {
	struct sb	 b;
	struct iovec	*seg;
	size_t		 nseg, cap;
	size_t		 mark;	/* b's bytes from mark on are in no seg yet */
	const char	*base;	/* b.s when the last seg was added */
	int		 inplace;	/* class texts shown in place */
};

static void
chunk_seg(struct chunk *ch, const char *s, size_t len)
{
	if (ch->nseg == ch->cap)
		grow(&ch->seg, &ch->cap, ch->nseg + 1, sizeof *ch->seg);
	ch->seg[ch->nseg++] = (struct iovec){ (void *)s, len };
}

/*
 * b's bytes since the last piece become one; first, if b moved since the
 * last piece, its pieces follow it. (A piece of a class text never lies
 * where b was: the texts it shows were there before b moved.)
 */
static void
chunk_cut(struct chunk *ch)
{
	if (ch->b.s != ch->base) {
		uintptr_t lo = (uintptr_t)ch->base, hi = lo + ch->mark;

		for (size_t i = 0; i < ch->nseg; i++) {
			uintptr_t p = (uintptr_t)ch->seg[i].iov_base;

			if (p >= lo && p < hi)
				ch->seg[i].iov_base = ch->b.s + (p - lo);
		}
		ch->base = ch->b.s;
	}
	if (ch->b.len > ch->mark)
		chunk_seg(ch, ch->b.s + ch->mark, ch->b.len - ch->mark);
	ch->mark = ch->b.len;
}

/* n bytes at s, which outlive the chunk: in place or copied. */
static void
chunk_ref(struct chunk *ch, const char *s, size_t n)
{
	if (!ch->inplace || n < SEG_MIN) {
		elig_putn(&ch->b, s, n);
		return;
	}
	chunk_cut(ch);
	chunk_seg(ch, s, n);
}

static void
chunk_reset(struct chunk *ch)
{
	sb_reset(&ch->b);
	ch->nseg = ch->mark = 0;
	ch->base = ch->b.s;
}

/*
 * Write class text e for c's subject: the text, with this subject's
 * months, joining day and the day it reaches the months in the hole.
 */
static void
text_write(struct elig_run *r, struct ectx *c, const struct ctext *e,
    struct chunk *ch)
{
	struct sb *out = &ch->b;
	size_t p, at;
	int months;

	if (e->hole < 0) {
		chunk_ref(ch, e->s, e->len);
		return;
	}
	p = c->s - r->sn->nunit;
	at = e->j0 + 10;
	months = elig_months(r, p);
	chunk_ref(ch, e->s, e->t0);
	elig_put_int(out, months < 0 ? 0 : months);
	elig_putn(out, e->s + e->t1, e->j0 - e->t1);
	elig_putn(out, elig_joined_text(r, p), 10);
	if (e->r0 != SIZE_MAX) {
		char day[11];

		elig_putn(out, e->s + at, e->r0 - at);
		elig_reach_text(r, p, e->min_months, day);
		elig_putn(out, day, 10);
		at = e->r0 + 10;
	}
	chunk_ref(ch, e->s + at, e->len - at);
}

/* The class of c's subject's result whose text is its class's, or 0. */
static uint32_t
text_class(const struct elig_run *r, const struct ectx *c)
{
	size_t i = c->s * r->rs->naward + c->a;
	int v = r->verdict[i];

	if (v != EV_INELIGIBLE && (v != EV_ELIGIBLE || r->rs->awards[c->a].has_quota))
		return 0;
	return r->cls[i];
}

/*
 * How each result of the subject res->code opens, into res->open, once
 * per subject: its code as the format opens a result (JSON results always
 * start with ",\n{": whoever emits the very first result of the document
 * drops the comma).
 */
static void
open_results(struct result *res, enum elig_out fmt)
{
	struct sb *out = &res->open;

	elig_reset(out);
	if (fmt == ELIG_JSON) {
		PUT_LIT(out, ",\n{\"subject\":\"");
		PUT_L(out, res->code);
	} else if (fmt == ELIG_CSV) {
		sb_csv_field(out, res->code.s);
		elig_putc(out, ',');
	} else {
		put_padded(out, res->code, 12);
		elig_putc(out, ' ');
	}
}

/*
 * One result into out: its opening (res->open), then the rest: its
 * class's text when m (NULL: none) remembers it, else written and
 * remembered.
 */
static void
write_one(struct elig_run *r, struct ectx *c, enum elig_out fmt,
    struct result *res, struct texts *m, struct chunk *ch)
{
	struct sb *out = &ch->b;
	uint32_t id = m != NULL ? text_class(r, c) : 0;
	const struct ctext *e;
	size_t at;

	if (res->open.len <= 32 && out->len + 33 < out->cap) {
		/* (a fixed 32 bytes, not a call: res->open holds at least 64
		 * and out has room past the bytes that count) */
		memcpy(out->s + out->len, res->open.s, 32);
		out->len += res->open.len;
		out->s[out->len] = '\0';
	} else
		elig_putn(out, res->open.s, res->open.len);
	if (id != 0 && (e = text_of(m, c->a, id)) != NULL) {
		text_write(r, c, e, ch);
		return;
	}
	res->hole = id & 1 ? m->hole[c->a] : -1;
	res->hmi = -1;
	res->hok = 1;
	at = out->len;
	write_rest(r, c, fmt, res, out);
	/* (a hole's unmet clause must have one missing item of its own) */
	if (id != 0 && res->nbased == 0 && (res->hole < 0 || res->hok || res->hmi >= 0))
		texts_put(m, c->a, id, out->s + at, out->len - at, res->hole, res, at);
	res->hole = -1;
}

static void
result_init(struct result *res)
{
	memset(res, 0, sizeof *res);
	sb_init(&res->clauses);
	sb_init(&res->miss);
	sb_init(&res->based);
	sb_init(&res->line);
	sb_init(&res->heads);
	sb_init(&res->open);
	res->hole = res->hmi = -1;
}

static void
result_free(struct result *res)
{
	sb_free(&res->clauses);
	sb_free(&res->miss);
	sb_free(&res->based);
	sb_free(&res->line);
	sb_free(&res->heads);
	sb_free(&res->open);
	free(res->mstart);
}

/*
 * The writer's shared state. Subjects are cut into chunks (about
 * ELIG_CHUNK_RESULTS results: fewer subjects when each has many awards
 * listed, more when few, so that a chunk is never so quick to format that
 * the threads spend their time handing chunks over);
 * each writer thread takes the next chunk to format, formats it into the
 * slot of that chunk and marks it ready; whichever thread finds the next
 * chunk in order (turn) ready emits it, and every ready one after it.
 * So the document is the same whatever the number of threads, and a
 * thread waits only when it is ELIG_SLOTS chunks ahead of the output.
 * The threads' class texts live until the last chunk is emitted.
 */
#define ELIG_CHUNK_RESULTS	2048
#define ELIG_THREADS	2
#define ELIG_SLOTS	4

struct writer_thread {
	struct writer	*w;
	struct texts	*memo;
	struct par_job	 job;
};

struct writer {
	struct elig_run	*r;
	enum elig_out	 fmt;
	int		 award;
	unsigned	 verdicts;	/* listed (bits), 0 all */
	const uint8_t	*keep;		/* subjects listed, NULL all */
	size_t		 s0, s1;
	struct sb	*out;
	int		(*put)(struct iovec *, int, void *);
	void		*arg;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	size_t		 next;		/* the next chunk to format */
	size_t		 turn;		/* the next chunk to emit */
	int		 emitting;	/* a thread is emitting (mu released) */
	struct chunk	 slot[ELIG_SLOTS];	/* chunk k is formatted in slot k % ELIG_SLOTS */
	uint8_t		 ready[ELIG_SLOTS];
	int		 first;		/* no result emitted yet */
	int		 rc;
	int		 nthr;
	enum lang	 lang;		/* g_lang is per thread */
	int		 alist[2][RULES_MAX_AWARDS];	/* awards listed, by kind */
	int		 alen[2];			/* (unit, person) in order */
	size_t		 chunk;		/* subjects in a chunk */
	struct writer_thread t[ELIG_THREADS];
};

/* What w->out holds to the output; 0 or -1. */
static int
put_out(struct writer *w)
{
	struct iovec v = { w->out->s, w->out->len };

	if (w->put == NULL || w->out->len == 0)
		return 0;
	if (w->put(&v, 1, w->arg) != 0)
		return -1;
	sb_reset(w->out);
	return 0;
}

/* Emit one chunk; w->rc. Called by the emitting thread, mu released. */
static int
emit_one(struct writer *w, struct chunk *ch)
{
	if (ch->nseg == 0)
		return 0;
	if (w->fmt == ELIG_JSON && w->first) {	/* the comma */
		ch->seg[0].iov_base = (char *)ch->seg[0].iov_base + 1;
		ch->seg[0].iov_len--;
	}
	w->first = 0;
	if (w->put == NULL) {
		for (size_t i = 0; i < ch->nseg; i++)
			elig_putn(w->out, ch->seg[i].iov_base, ch->seg[i].iov_len);
		return 0;
	}
	if (put_out(w) != 0)
		return -1;
	for (size_t i = 0; i < ch->nseg; i += IOV_MAX) {
		size_t n = ch->nseg - i < IOV_MAX ? ch->nseg - i : IOV_MAX;

		if (w->put(ch->seg + i, (int)n, w->arg) != 0)
			return -1;
	}
	return 0;
}

/*
 * Chunk k is ready: emit it and the ready chunks after it if it is the
 * turn's and no thread is emitting. Called and returns with mu held.
 */
static void
chunk_ready(struct writer *w, size_t k)
{
	w->ready[k % ELIG_SLOTS] = 1;
	if (w->emitting)
		return;
	w->emitting = 1;
	while (w->rc == 0 && w->ready[w->turn % ELIG_SLOTS]) {
		struct chunk *ch = &w->slot[w->turn % ELIG_SLOTS];
		int rc;

		pthread_mutex_unlock(&w->mu);
		rc = emit_one(w, ch);
		pthread_mutex_lock(&w->mu);
		if (rc != 0)
			w->rc = rc;	/* the output failed: every later chunk is skipped */
		w->ready[w->turn % ELIG_SLOTS] = 0;
		w->turn++;
		pthread_cond_broadcast(&w->cv);
	}
	w->emitting = 0;
}

/*
 * Ask for what writing subject s will read: its code, the texts of its
 * classes (scattered over the memory of a thread's texts) and, when one
 * of its results has none and is explained anew, its ratings, ledger and
 * innovations. The misses then overlap with writing the subjects before
 * it instead of stalling each result.
 */
static void
prefetch_subject(const struct writer *w, const struct texts *m, size_t s)
{
	const struct elig_run *r = w->r;
	const struct elig_snap *sn = r->sn;
	int na = r->rs->naward, fresh = 0, kind = s >= sn->nunit;

	__builtin_prefetch(sn->arena + sn->code[s]);
	for (int j = 0; j < w->alen[kind]; j++) {
		int a = w->alist[kind][j];
		const struct ctext *e = text_of(m, a, r->cls[s * na + a]);

		if (e != NULL) {
			__builtin_prefetch(e);
			__builtin_prefetch((const char *)e + 64);
		} else
			fresh |= r->verdict[s * na + a] != EV_NA;
	}
	if (!fresh)
		return;
	__builtin_prefetch(&sn->rating[s * ELIG_NY]);
	__builtin_prefetch(&sn->hist[s * ELIG_NY]);
	__builtin_prefetch(&sn->hist[s * ELIG_NY + 8]);
	for (uint32_t k = s >= sn->nunit ? sn->auth_off[s - sn->nunit] : 0;
	    s >= sn->nunit && k < sn->auth_off[s - sn->nunit + 1]; k++) {
		uint32_t i = sn->auth[k];

		__builtin_prefetch(&sn->iyear[i]);
		__builtin_prefetch(&sn->ilevel[i]);
		__builtin_prefetch(&sn->ikind[i]);
		__builtin_prefetch(&sn->ibenefit[i]);
		__builtin_prefetch(&sn->iused[i]);
		__builtin_prefetch(&sn->icode[i]);
		__builtin_prefetch(&r->inow[i]);
	}
}

static void *
write_chunks(void *arg)
{
	struct writer_thread *t = arg;
	struct writer *w = t->w;
	struct elig_run *r = w->r;
	int na = r->rs->naward;
	struct ectx c;
	struct result res;
	struct texts *memo = t->memo = texts_new(r->rs);

	g_lang = w->lang;
	elig_ectx_init(&c, r);
	result_init(&res);
	json_heads(&res, &c);
	pthread_mutex_lock(&w->mu);
	for (;;) {
		size_t k = w->next, a0 = w->s0 + k * w->chunk, a1 = a0 + w->chunk;
		struct chunk ch;	/* the slot's, here while formatted (no shared line) */

		if (a0 >= w->s1 || w->rc != 0)
			break;
		w->next++;
		while (k >= w->turn + ELIG_SLOTS && w->rc == 0)
			pthread_cond_wait(&w->cv, &w->mu);	/* the slot is still out */
		ch = w->slot[k % ELIG_SLOTS];
		pthread_mutex_unlock(&w->mu);
		if (a1 > w->s1)
			a1 = w->s1;
		chunk_reset(&ch);
		for (size_t s = a0; s < a1; s++) {
			const char *code = r->sn->arena + r->sn->code[s];

			if (w->keep != NULL && !w->keep[s])
				continue;
			res.code = (struct lit){ code, strlen(code) };
			open_results(&res, w->fmt);
			if (s + 2 < w->s1)
				prefetch_subject(w, memo, s + 2);
			for (int j = 0, kind = s >= r->sn->nunit; j < w->alen[kind]; j++) {
				int a = w->alist[kind][j], v = r->verdict[s * na + a];

				if (v == EV_NA || (w->verdicts != 0 && !(w->verdicts >> v & 1)))
					continue;
				c.a = a;
				c.s = s;
				write_one(r, &c, w->fmt, &res, memo, &ch);
			}
		}
		chunk_cut(&ch);
		pthread_mutex_lock(&w->mu);
		w->slot[k % ELIG_SLOTS] = ch;
		chunk_ready(w, k);
	}
	pthread_mutex_unlock(&w->mu);
	result_free(&res);
	elig_ectx_free(&c);
	return NULL;
}

/*
 * With a verdict filter, the JSON says how many results of each verdict
 * there are among the subjects and awards selected, listed or not:
 * ,"counts":{"eligible":N,"ineligible":N,"over_quota":N,"held":N}
 */
static void
put_counts(const struct writer *w, struct sb *out)
{
	const struct elig_run *r = w->r;
	int na = r->rs->naward;
	long long n[EV_HELD + 1] = { 0 };

	for (size_t s = w->s0; s < w->s1; s++) {
		if (w->keep != NULL && !w->keep[s])
			continue;
		for (int a = 0; a < na; a++)
			if (w->award < 0 || a == w->award)
				n[r->verdict[s * na + a]]++;
	}
	PUT_LIT(out, ",\"counts\":{");
	for (int v = EV_ELIGIBLE; v <= EV_HELD; v++) {
		if (v > EV_ELIGIBLE)
			elig_putc(out, ',');
		put_jstr(out, elig_verdict_names[v], strlen(elig_verdict_names[v]));
		elig_putc(out, ':');
		elig_put_int(out, n[v]);
	}
	elig_putc(out, '}');
}

/*
 * Narrow w's subjects to those with a result listed (its verdict asked,
 * its subject kept) from the offset-th, limit of them (limit 0: every one
 * after offset): 1 when a later one has one too.
 */
static int
window_subjects(struct writer *w, long offset, long limit)
{
	const struct elig_run *r = w->r;
	int na = r->rs->naward;
	long n = 0;

	for (size_t s = w->s0; s < w->s1; s++) {
		int kind = s >= r->sn->nunit, listed = 0;

		if (w->keep != NULL && !w->keep[s])
			continue;
		for (int j = 0; j < w->alen[kind] && !listed; j++) {
			int v = r->verdict[s * na + w->alist[kind][j]];

			listed = v != EV_NA && (w->verdicts == 0 ||
			    (w->verdicts >> v & 1));
		}
		if (!listed)
			continue;
		if (n == offset)
			w->s0 = s;	/* the first one listed */
		if (limit > 0 && n == offset + limit) {
			w->s1 = s;
			return 1;
		}
		n++;
	}
	if (n <= offset)
		w->s0 = w->s1;	/* none left */
	return 0;
}

int
elig_write(struct elig_run *r, enum elig_out fmt, long subject, int award,
    unsigned verdicts, const uint8_t *keep, long offset, long limit,
    struct sb *out, int (*put)(struct iovec *, int, void *), void *arg)
{
	const struct elig_snap *sn = r->sn;
	struct writer w = { .r = r, .fmt = fmt, .award = award,
	    .verdicts = verdicts, .keep = keep, .out = out,
	    .put = put, .arg = arg, .first = 1, .nthr = 1, .lang = g_lang };
	int per;

	w.s0 = subject >= 0 ? (size_t)subject : 0;
	w.s1 = subject >= 0 ? (size_t)subject + 1 : sn->nsubj;
	for (int a = 0; a < r->rs->naward; a++)
		for (int kind = 0; kind < 2; kind++)
			if ((award < 0 || a == award) &&
			    (r->rs->awards[a].subject & (kind ? 1 : 2)))
				w.alist[kind][w.alen[kind]++] = a;
	/* no award listed for a kind: none of its subjects is gone through */
	if (w.alen[0] == 0 && w.s0 < sn->nunit)
		w.s0 = w.s1 < sn->nunit ? w.s1 : sn->nunit;
	if (w.alen[1] == 0 && w.s1 > sn->nunit)
		w.s1 = w.s0 > sn->nunit ? w.s0 : sn->nunit;
	pthread_mutex_init(&w.mu, NULL);
	pthread_cond_init(&w.cv, NULL);
	for (int i = 0; i < ELIG_SLOTS; i++) {
		sb_init(&w.slot[i].b);
		w.slot[i].inplace = put != NULL;
	}
	if (fmt == ELIG_JSON) {
		PUT_LIT(out, "{\"year\":");
		elig_put_int(out, sn->year);
		PUT_LIT(out, ",\"rule_set\":");
		put_jstr(out, r->rs->code, strlen(r->rs->code));
		if (verdicts != 0)
			put_counts(&w, out);
	}
	if (limit > 0 || offset > 0) {
		int more = window_subjects(&w, offset, limit);

		if (fmt == ELIG_JSON)
			elig_puts(out, more ? ",\"more\":true" : ",\"more\":false");
	}
	if (fmt == ELIG_JSON)
		PUT_LIT(out, ",\"results\":[");
	else if (fmt == ELIG_CSV)
		PUT_LIT(out, "subject,subject_kind,award,verdict,based_on,missing,clauses\r\n");
	per = w.alen[1] > w.alen[0] ? w.alen[1] : w.alen[0];	/* results a subject */
	w.chunk = ELIG_CHUNK_RESULTS / (per > 0 ? per : 1);
	if (w.s1 - w.s0 > 4 * w.chunk)
		w.nthr = ELIG_THREADS;
	for (int i = 0; i < w.nthr; i++) {
		w.t[i].w = &w;
		/* thread 0 is this one; fall back to fewer if one cannot start */
		if (i > 0 && par_start(&w.t[i].job, write_chunks, &w.t[i]) != 0)
			w.nthr = i;
	}
	write_chunks(&w.t[0]);
	for (int i = 1; i < w.nthr; i++)
		par_join(&w.t[i].job);
	for (int i = 0; i < w.nthr; i++)
		texts_free(w.t[i].memo);
	pthread_mutex_destroy(&w.mu);
	pthread_cond_destroy(&w.cv);
	for (int i = 0; i < ELIG_SLOTS; i++) {
		sb_free(&w.slot[i].b);
		free(w.slot[i].seg);
	}
	if (fmt == ELIG_JSON)
		elig_puts(out, w.first ? "]}\n" : "\n]}\n");
	if (w.rc == 0 && put_out(&w) != 0)
		w.rc = -1;
	return w.rc;
}

/* ---- service ---- */

/*
 * Scores of each movement the rule set names (and "regular" for quotas),
 * per subject of sn (read only): *n of them, NULL when none.
 */
static struct elig_scores *
scores_read(struct store *st, const struct ruleset *rs,
    const struct elig_snap *sn, int *nout)
{
	struct codemap subj;
	const char *names[RULES_MAX_AWARDS + 1];
	int nn = rules_score_movements(rs, names), filled = 0;
	struct elig_scores *all;

	*nout = nn;
	if (nn == 0)
		return NULL;
	all = xcalloc(nn, sizeof *all);
	codemap_init(&subj);	/* filled on the first movement with scores */
	for (int i = 0; i < nn; i++) {
		struct elig_scores *sc = &all[i];
		struct subject_score *v = NULL;
		size_t n = 0;
		struct err e;

		snprintf(sc->movement, sizeof sc->movement, "%s", names[i]);
		sc->available = 1;
		if (movement_scores(st, names[i], sn->year, &v, &n, &e) != 0 || n == 0) {
			free(v);
			continue;	/* (no score: the arrays stay NULL) */
		}
		sc->score = xmalloc((sn->nsubj + 1) * sizeof *sc->score);
		sc->rank = xcalloc(sn->nsubj + 1, sizeof *sc->rank);
		for (size_t s = 0; s < sn->nsubj; s++)
			sc->score[s] = NAN;
		if (!filled) {
			for (size_t s = 0; s < sn->nsubj; s++)
				codemap_put(&subj, sn->arena + sn->code[s], (int64_t)s, 0);
			filled = 1;
		}
		for (size_t k = 0; k < n; k++) {
			int64_t s;

			if (codemap_get(&subj, v[k].subject, &s, NULL)) {
				sc->score[s] = v[k].score;
				sc->rank[s] = v[k].rank;
			}
		}
		free(v);
	}
	codemap_free(&subj);
	return all;
}

static void
load_scores(struct store *st, const struct ruleset *rs, struct elig_snap *sn)
{
	sn->scores = scores_read(st, rs, sn, &sn->nscores);
}

/* Whether scores a (na) and b (nb) of nsubj subjects are the same. */
static int
scores_same(const struct elig_scores *a, int na, const struct elig_scores *b,
    int nb, size_t nsubj)
{
	if (na != nb)
		return 0;
	for (int i = 0; i < na; i++) {
		if (strcmp(a[i].movement, b[i].movement) != 0 ||
		    a[i].available != b[i].available ||
		    (a[i].score == NULL) != (b[i].score == NULL) ||
		    (a[i].rank == NULL) != (b[i].rank == NULL))
			return 0;
		if (a[i].score != NULL && memcmp(a[i].score, b[i].score,
		    nsubj * sizeof *a[i].score) != 0)
			return 0;
		if (a[i].rank != NULL && memcmp(a[i].rank, b[i].rank,
		    nsubj * sizeof *a[i].rank) != 0)
			return 0;
	}
	return 1;
}

static void
scores_free(struct elig_scores *v, int n)
{
	for (int i = 0; i < n; i++) {
		free(v[i].score);
		free(v[i].rank);
	}
	free(v);
}

/*
 * An evaluation: the rule set, the snapshot and the verdicts of a year,
 * made for one request, or kept by a server for the next ones (below).
 * Read only once made: requests that share one each write their own
 * document from it (elig_write: the class texts are each writer
 * thread's own).
 */
struct core {
	struct ruleset	*rs;
	struct elig_snap sn;
	struct elig_run	 run;
	int		 year, award, holes;
	struct elig_stamp stamp;	/* what sn was read at (kept ones) */
	struct mv_stamp	 scored;	/* what its scores were read at
					 * (movement.h) */
	int		 refs;		/* holders (keep_mu) */
};

/*
 * A server keeps its last evaluations (elig_keep) and a request takes one
 * when it is current: the same year, award and kind of output (holes: not
 * CSV), a rule set of the same text (its hash), the snapshot's stamp now
 * what it was read at (snapcache-elig.h: any write of a table the
 * snapshot reads through thidua, and of ratings or awards by anyone,
 * changes it), and the movement scores the same as those it was
 * evaluated with: known by their stamp (struct mv_stamp) when that is
 * unchanged, else read again and compared. Anything else makes a new one,
 * which replaces
 * the kept one of its year, award and output. At a million people a
 * request for one subject evaluated every subject each time (0.4-0.9 s);
 * a kept evaluation answers in milliseconds. On PostgreSQL the stamp is
 * the generations and the last row of migration 0023's log
 * (snapcache-elig.h: migration 0022's and 0023's triggers see another
 * program's writes).
 */
#define KEEP_MAX	4
static pthread_mutex_t keep_mu = PTHREAD_MUTEX_INITIALIZER;
static struct core *kept[KEEP_MAX];
static unsigned keep_next;
static int keep_on;

static void
core_free(void *arg)
{
	struct core *c = arg;

	elig_run_free(&c->run);
	elig_snap_free(&c->sn);
	rules_free(c->rs);
	free(c);
}

static void
core_release(struct core *c)
{
	int n;

	if (c == NULL)
		return;
	pthread_mutex_lock(&keep_mu);
	n = --c->refs;
	pthread_mutex_unlock(&keep_mu);
	if (n > 0)
		return;
	/* (a copy of its snapshot still being written, elig_cache_beside:
	 * waited for off the time of the request that let it go) */
	if (c->sn.join != NULL)
		par_later(core_free, c);
	else
		core_free(c);
}

void
elig_keep(int on)
{
	struct core *old[KEEP_MAX];

	pthread_mutex_lock(&keep_mu);
	keep_on = on;
	for (int i = 0; i < KEEP_MAX; i++) {
		old[i] = on ? NULL : kept[i];
		if (!on)
			kept[i] = NULL;
	}
	pthread_mutex_unlock(&keep_mu);
	for (int i = 0; i < KEEP_MAX; i++)
		core_release(old[i]);
}

/* A kept evaluation current for rs, year, award and holes at stamp now,
 * with one more holder; NULL when there is none. */
static struct core *
core_find(struct store *st, const struct ruleset *rs, int year, int award,
    int holes, const struct elig_stamp *now)
{
	struct core *c = NULL;
	struct elig_scores *sc;
	struct mv_stamp	 ss, had;
	int n, same;

	/* (one of every award answers for one award too: what comes after
	 * an award in the rule set's order never changes its verdicts, see
	 * elig_run; the one of that award alone is preferred) */
	pthread_mutex_lock(&keep_mu);
	for (int pass = 0; pass < 2 && c == NULL; pass++)
		for (int i = 0; i < KEEP_MAX && c == NULL; i++)
			if (kept[i] != NULL && kept[i]->year == year &&
			    kept[i]->award == (pass == 0 ? award : -1) &&
			    kept[i]->holes == holes &&
			    kept[i]->rs->text_hash == rs->text_hash &&
			    elig_stamp_same(&kept[i]->stamp, now)) {
				c = kept[i];
				c->refs++;
				had = c->scored;
			}
	pthread_mutex_unlock(&keep_mu);
	if (c == NULL)
		return NULL;
	mv_stamp_read(st, &ss);
	if (mv_stamp_same(&had, &ss)) {
		metrics_snapshot("elig-scores", 0);
		return c;
	}
	metrics_snapshot("elig-scores", 1);	/* (read again, compared) */
	sc = scores_read(st, rs, &c->sn, &n);
	same = scores_same(sc, n, c->sn.scores, c->sn.nscores, c->sn.nsubj);
	scores_free(sc, n);
	if (!same) {
		core_release(c);
		return NULL;
	}
	pthread_mutex_lock(&keep_mu);	/* (the same scores at this stamp) */
	c->scored = ss;
	pthread_mutex_unlock(&keep_mu);
	return c;
}

/*
 * Evaluations being made to be kept (under keep_mu): a request that finds
 * none kept waits while one it could be answered from is being made (the
 * same year, kind of output, rule set text and stamp, of its award or of
 * every award) instead of making the same one beside it, then takes it.
 * So the warm-up after writes (h-warm.c) and a request arriving
 * meanwhile do the work once (at a million people each was 1-2 s of
 * the same load and evaluation, on a 2-core machine side by side). A
 * wait is given up after MAKING_WAIT_S (the request then makes its own);
 * past MAKING_MAX at once, the others are simply made side by side.
 */
#define MAKING_MAX	8
#define MAKING_WAIT_S	60
static struct making {
	int		 on, year, award, holes;
	uint64_t	 hash;
	struct elig_stamp stamp;
} making[MAKING_MAX];
static pthread_cond_t making_cv = PTHREAD_COND_INITIALIZER;

static int
making_fits(const struct making *m, const struct ruleset *rs, int year,
    int award, int holes, const struct elig_stamp *now)
{
	return m->on && m->year == year && m->holes == holes &&
	    (m->award == award || m->award < 0) && m->hash == rs->text_hash &&
	    elig_stamp_same(&m->stamp, now);
}

/* Wait while an evaluation this one could be answered from is made. */
static void
making_wait(const struct ruleset *rs, int year, int award, int holes,
    const struct elig_stamp *now)
{
	struct timespec until;
	int busy = 1;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += MAKING_WAIT_S;
	pthread_mutex_lock(&keep_mu);
	while (busy) {
		busy = 0;
		for (int i = 0; i < MAKING_MAX && !busy; i++)
			busy = making_fits(&making[i], rs, year, award, holes, now);
		if (busy && pthread_cond_timedwait(&making_cv, &keep_mu,
		    &until) != 0)
			busy = 0;	/* (given up: made here too) */
	}
	pthread_mutex_unlock(&keep_mu);
}

/* This one is being made: its slot + 1, or 0 when all are taken. */
static int
making_add(const struct ruleset *rs, int year, int award, int holes,
    const struct elig_stamp *now)
{
	int k = 0;

	pthread_mutex_lock(&keep_mu);
	for (int i = 0; i < MAKING_MAX && k == 0; i++)
		if (!making[i].on) {
			making[i] = (struct making){ 1, year, award, holes,
			    rs->text_hash, *now };
			k = i + 1;
		}
	pthread_mutex_unlock(&keep_mu);
	return k;
}

/* Made (or given up): the waiters look again. */
static void
making_end(int *k)
{
	if (*k == 0)
		return;
	pthread_mutex_lock(&keep_mu);
	making[*k - 1].on = 0;
	pthread_cond_broadcast(&making_cv);
	pthread_mutex_unlock(&keep_mu);
	*k = 0;
}

/* Keep c (stamped) in place of the kept one of its year, award and holes,
 * else of the oldest. */
static void
core_keep(struct core *c)
{
	struct core *old = NULL;
	int i;

	pthread_mutex_lock(&keep_mu);
	if (keep_on) {
		for (i = 0; i < KEEP_MAX; i++)
			if (kept[i] != NULL && kept[i]->year == c->year &&
			    kept[i]->award == c->award && kept[i]->holes == c->holes)
				break;
		for (int k = 0; i == KEEP_MAX && k < KEEP_MAX; k++)
			if (kept[k] == NULL)
				i = k;
		if (i == KEEP_MAX)
			i = (int)(keep_next++ % KEEP_MAX);
		old = kept[i];
		kept[i] = c;
		c->refs++;
	}
	pthread_mutex_unlock(&keep_mu);
	core_release(old);
}

struct prepared {
	struct core	*c;
	long		 subject;
	int		 award;
	unsigned	 verdicts;	/* the query's filters (elig_query) */
	uint8_t		*keep;		/* nsubj, or NULL: every subject */
	int		 making;	/* its making's slot + 1, or 0 */
};

static void
prepared_free(struct prepared *p)
{
	making_end(&p->making);
	core_release(p->c);
	free(p->keep);
	memset(p, 0, sizeof *p);
}

/* Where s's subject is in sn, or -1. */
static long
subject_at(const struct elig_snap *sn, const char *code)
{
	for (size_t s = 0; s < sn->nsubj; s++)
		if (strcmp(sn->arena + sn->code[s], code) == 0)
			return (long)s;
	return -1;
}

/*
 * The subjects of unit code's subtree marked (elig_query's unit): the
 * unit and its sub-units (sn->sub), and the people whose unit during the
 * year (home) is one of them. NULL (e filled) when code is no unit of sn.
 */
static uint8_t *
keep_subtree(const struct elig_snap *sn, const char *code, int year,
    struct err *e)
{
	long u = subject_at(sn, code);
	uint8_t *keep;

	if (u < 0 || (size_t)u >= sn->nunit) {
		err_at(e, ERR_NOTFOUND, NULL, 0, 0, "unit", "%s: %s %d", code,
		    TR("không có đơn vị này trong năm", "no such unit in"), year);
		return NULL;
	}
	keep = xcalloc(sn->nsubj + 1, 1);
	for (uint32_t k = sn->sub_off[u]; k < sn->sub_off[u + 1]; k++)
		keep[sn->sub[k]] = 1;
	for (size_t p = 0; p < sn->nperson; p++)
		keep[sn->nunit + p] = sn->home[p] >= 0 && keep[sn->home[p]];
	return keep;
}

/*
 * keep (the unit's marks, or all 1) narrowed to the subjects the query's
 * scope keeps, asked once for all their store ids (keep_ids) instead of
 * keep per subject (0.6 s at a million people). 0 or -1 (e filled).
 */
static int
keep_by_ids(const struct elig_snap *sn, const struct elig_query *q,
    uint8_t *keep, struct err *e)
{
	int64_t *ids = NULL, top;
	uint8_t *in;
	size_t n = 0;

	if (q->keep_ids(q->keep_arg, &ids, &n, e) != 0)
		return -1;
	top = n > 0 ? ids[n - 1] : 0;
	in = xcalloc((size_t)top / 8 + 1, 1);
	for (size_t i = 0; i < n; i++)
		if (ids[i] > 0)
			in[ids[i] / 8] |= (uint8_t)(1u << (ids[i] % 8));
	for (size_t s = 0; s < sn->nsubj; s++)
		keep[s] = keep[s] && sn->sid[s] > 0 && sn->sid[s] <= top &&
		    (in[sn->sid[s] / 8] >> (sn->sid[s] % 8) & 1);
	free(in);
	free(ids);
	return 0;
}

/*
 * p->keep (the unit's marks, or NULL: every subject) narrowed to what the
 * query's keep keeps: of one subject asked only it, else every subject at
 * once by its store id when the scope can say them all (keep_ids), else
 * subject by subject. 0 or -1 (e filled).
 */
static int
keep_scope(const struct elig_snap *sn, const struct elig_query *q,
    struct prepared *p, struct err *e)
{
	if (p->keep == NULL) {
		p->keep = xmalloc(sn->nsubj + 1);
		memset(p->keep, 1, sn->nsubj + 1);
	}
	if (p->subject >= 0) {	/* (only it is written) */
		int k = p->keep[p->subject];

		memset(p->keep, 0, sn->nsubj + 1);
		p->keep[p->subject] = (uint8_t)k;
	} else if (q->keep_ids != NULL && sn->sid != NULL)
		return keep_by_ids(sn, q, p->keep, e);
	for (size_t s = 0; s < sn->nsubj; s++) {
		int k;

		if (!p->keep[s])
			continue;	/* (out of the unit, or not asked) */
		if ((k = q->keep(q->keep_arg, sn->arena + sn->code[s], e)) < 0)
			return -1;
		p->keep[s] = (uint8_t)k;
	}
	return 0;
}

/* elig_cache_load() as a par_aside() job: in the server, at the
 * background's priority, so that the writes users wait on go first. */
struct load_job {
	struct store		*st;
	const struct ruleset	*rs;
	int			 year, rc;
	struct elig_snap	*sn;
	struct err		*e;
};

static void *
load_main(void *arg)
{
	struct load_job *j = arg;

	j->rc = elig_cache_load(j->st, j->rs, j->year, j->sn, j->e);
	return NULL;
}

static int
prepare(struct store *st, const struct elig_query *q, enum elig_out fmt,
    struct prepared *p, struct elig_timing *t, struct err *e)
{
	double t0 = mono_s(), t1;
	struct ruleset *rs;
	struct elig_stamp now = { 0, 0, 0, 0, 0, 0 };
	struct core *c = NULL;
	int holes = fmt != ELIG_CSV, stamped;

	memset(p, 0, sizeof *p);
	p->subject = -1;
	p->award = -1;
	if (q->year < 1900 || q->year > 9999)
		return err_at(e, ERR_USAGE, NULL, 0, 0, "year", "%s",
		    TR("năm không hợp lệ", "invalid year"));
	if ((rs = rules_for_year(st, q->year, q->rule_set, e)) == NULL)
		return -1;
	if (q->award != NULL && (p->award = rules_award_index(rs, q->award)) < 0) {
		err_at(e, ERR_NOTFOUND, NULL, 0, 0, "award", "%s: %s %s", q->award,
		    TR("không có trong bộ quy tắc", "is not in the rule set"), rs->code);
		rules_free(rs);
		return -1;
	}
	/* (the stamp before the snapshot: a write between the two makes the
	 * stamp of a kept evaluation older than its data, so that it is
	 * never current, never the other way round) */
	pthread_mutex_lock(&keep_mu);
	stamped = keep_on;
	pthread_mutex_unlock(&keep_mu);
	stamped = stamped && elig_cache_stamp(st, &now) == 0;
	if (stamped)
		making_wait(rs, q->year, p->award, holes, &now);
	if (stamped && (c = core_find(st, rs, q->year, p->award, holes,
	    &now)) != NULL) {
		rules_free(rs);
		metrics_snapshot("elig-kept", 0);
	} else {
		struct load_job lj;

		if (stamped)
			metrics_snapshot("elig-kept", 1);
		c = xcalloc(1, sizeof *c);
		c->refs = 1;
		c->rs = rs;
		c->year = q->year;
		c->award = p->award;
		c->holes = holes;
		c->stamp = now;
		if (stamped)
			p->making = making_add(rs, q->year, p->award, holes, &now);
		lj = (struct load_job){ st, rs, q->year, -1, &c->sn, e };
		par_aside(load_main, &lj);
		if (lj.rc != 0) {
			making_end(&p->making);
			rules_free(rs);
			free(c);
			return -1;
		}
	}
	p->c = c;
	if (q->subject != NULL &&
	    (p->subject = subject_at(&c->sn, q->subject)) < 0) {
		err_at(e, ERR_NOTFOUND, NULL, 0, 0, "subject", "%s: %s %d",
		    q->subject, TR("không có đơn vị hoặc người đang công tác trong năm",
		    "no unit, or no person serving in"), q->year);
		prepared_free(p);
		return -1;
	}
	p->verdicts = q->verdicts;
	if (q->unit != NULL && (p->keep = keep_subtree(&c->sn, q->unit,
	    q->year, e)) == NULL) {
		prepared_free(p);
		return -1;
	}
	if (q->keep != NULL && keep_scope(&c->sn, q, p, e) != 0) {
		prepared_free(p);
		return -1;
	}
	t1 = mono_s();
	/* made here (calloc'd: not evaluated yet): evaluated, and kept */
	if (c->run.rs == NULL) {
		if (stamped)	/* (before the scores: never newer than them) */
			mv_stamp_read(st, &c->scored);
		load_scores(st, rs, &c->sn);
		t1 = mono_s();
		elig_run(&c->run, rs, &c->sn, p->award, holes, e);
		if (stamped)
			core_keep(c);
		making_end(&p->making);
	}
	if (t != NULL) {
		t->load = t1 - t0;
		t->eval = mono_s() - t1;
		t->clauses = c->run.nclauses;
		t->results = c->run.nresults;
		t->shared = c->run.nshared;
	}
	return 0;
}

int
elig_json(struct store *st, const struct elig_query *q, struct sb *out,
    struct err *e)
{
	struct prepared p;

	if (prepare(st, q, ELIG_JSON, &p, NULL, e) != 0)
		return -1;
	elig_write(&p.c->run, ELIG_JSON, p.subject, p.award, p.verdicts, p.keep,
	    q->offset, q->limit, out, NULL, NULL);
	prepared_free(&p);
	return 0;
}

/* All n pieces to file descriptor *arg (writev, again after a short write). */
static int
write_fd(struct iovec *iov, int n, void *arg)
{
	int fd = *(int *)arg;

	while (n > 0) {
		ssize_t k = writev(fd, iov, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		for (; n > 0 && (size_t)k >= iov->iov_len; iov++, n--)
			k -= (ssize_t)iov->iov_len;
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + k;
			iov->iov_len -= (size_t)k;
		}
	}
	return 0;
}

int
elig_stream(struct store *st, const struct elig_query *q, enum elig_out fmt,
    FILE *f, struct elig_timing *t, struct err *e)
{
	struct prepared p;
	struct sb out;
	double t0;
	int rc, fd;

	if (prepare(st, q, fmt, &p, t, e) != 0)
		return -1;
	t0 = mono_s();
	sb_init(&out);
	rc = fflush(f) == 0 ? 0 : -1;
	fd = fileno(f);
	if (rc == 0)
		rc = elig_write(&p.c->run, fmt, p.subject, p.award, p.verdicts, p.keep,
		    q->offset, q->limit, &out, write_fd, &fd);
	sb_free(&out);
	if (t != NULL)
		t->write = mono_s() - t0;
	prepared_free(&p);
	if (rc != 0)
		return err_set(e, ERR_SYSTEM, "%s", TR("không ghi được kết quả",
		    "cannot write the results"));
	return 0;
}

int
elig_verdict(struct store *st, int year, const char *subject, const char *award,
    const char *rule_set, struct elig_verdict *out, struct err *e)
{
	struct elig_query q = { .year = year, .subject = subject,
	    .award = award, .rule_set = rule_set };
	struct prepared p;
	struct ectx c;
	struct result res;
	struct sb lines;
	int v;

	memset(out, 0, sizeof *out);
	if (subject == NULL || award == NULL)
		return err_set(e, ERR_USAGE, "%s", TR("cần đối tượng và danh hiệu",
		    "a subject and an award are needed"));
	if (prepare(st, &q, ELIG_JSON, &p, NULL, e) != 0)
		return -1;
	v = p.c->run.verdict[p.subject * p.c->rs->naward + p.award];
	if (v == EV_NA) {
		prepared_free(&p);
		return err_set(e, ERR_NOTFOUND, "%s: %s %s", subject,
		    TR("không thuộc diện xét", "is not a candidate for"), award);
	}
	snprintf(out->verdict, sizeof out->verdict, "%s", elig_verdict_names[v]);
	elig_ectx_init(&c, &p.c->run);
	result_init(&res);
	c.a = p.award;
	c.s = (size_t)p.subject;
	sb_init(&lines);
	{
		/* the reasons in both languages: Vietnamese, then English */
		enum lang save = g_lang;

		for (int l = 0; l < 2; l++) {
			g_lang = l == 0 ? LANG_VI : LANG_EN;
			sb_reset(&res.clauses);
			explain(&p.c->run, &c, ELIG_CSV, &res, &res.clauses);
			if (l > 0)
				sb_putc(&lines, '\n');
			if (res.nmiss > 0)
				put_list(&lines, &res.miss, 0, "; ");
			else
				elig_putn(&lines, res.clauses.s, res.clauses.len);
		}
		g_lang = save;
	}
	out->reasons = xstrdup(lines.s);
	out->nbased_on = res.nbased;
	out->based_on = xcalloc(res.nbased + 1, sizeof *out->based_on);
	for (int j = 0; j < c.nbased && v == EV_ELIGIBLE; j++)
		out->based_on[j] = xstrdup(p.c->sn.arena +
		    p.c->sn.icode[c.based[j]]);
	sb_free(&lines);
	result_free(&res);
	elig_ectx_free(&c);
	prepared_free(&p);
	return 0;
}

void
elig_verdict_free(struct elig_verdict *v)
{
	for (size_t i = 0; i < v->nbased_on; i++)
		free(v->based_on[i]);
	free(v->based_on);
	free(v->reasons);
	memset(v, 0, sizeof *v);
}

long
elig_verdict_mask(const char *list)
{
	long mask = 0;

	for (const char *p = list; ; ) {
		size_t n = strcspn(p, ",");
		int v;

		for (v = EV_ELIGIBLE; v <= EV_HELD; v++)
			if (strlen(elig_verdict_names[v]) == n &&
			    strncmp(elig_verdict_names[v], p, n) == 0)
				break;
		if (v > EV_HELD)
			return -1;
		mask |= 1L << v;
		if (p[n] == '\0')
			return mask;
		p += n + 1;
	}
}
