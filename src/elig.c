/*
 * elig.c: the eligibility engine. Pure C over struct elig_snap: every
 * clause kind of the contract, evaluated per (subject, award) in the
 * rule set's dependency order, with quotas and holds. The same evaluator
 * explains itself (text, evidence, missing) when asked, so the printed
 * reasons are exactly the ones that decided the verdict.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "elig-int.h"
#include "par.h"

const char *const elig_verdict_names[] = { "", "eligible", "ineligible",
	"over_quota", "held" };

static struct lit
lit_of(const char *s)
{
	return (struct lit){ s, strlen(s) };
}

uint32_t
elig_snap_code(struct elig_snap *sn, const char *code)
{
	size_t n = strlen(code) + 1;
	uint32_t off = (uint32_t)sn->alen;

	grow(&sn->arena, &sn->acap, sn->alen + n, 1);
	memcpy(sn->arena + sn->alen, code, n);
	sn->alen += n;
	return off;
}

/* A copy's mapping unmapped (par_later: when its file was replaced since,
 * this frees the file, page by page). */
struct unmap {
	void	*map;
	size_t	 len;
};

static void
unmap_later(void *arg)
{
	struct unmap *u = arg;

	munmap(u->map, u->len);
	free(u);
}

void
elig_snap_free(struct elig_snap *sn)
{
	void *v[] = { sn->arena, sn->code, sn->rating, sn->hist, sn->parent,
	    sn->ukind, sn->military, sn->category, sn->joined, sn->left,
	    sn->home, sn->stay_off, sn->stay, sn->icode, sn->iyear, sn->ilevel,
	    sn->ikind, sn->ibenefit, sn->iused, sn->auth_off, sn->auth,
	    sn->disc_off, sn->disc, sn->inc, sn->dir_off, sn->dir, sn->ext_off,
	    sn->ext, sn->sub_off, sn->sub, sn->nmem, sn->joined_ymd, sn->authp,
	    sn->held, sn->hist_y, sn->joined_text, sn->ever, sn->ever_rt,
	    sn->sex, sn->svc_off, sn->svc, sn->sid };

	if (sn->join != NULL)
		sn->join(sn->join_arg);	/* (the copy's writer reads them) */
	for (size_t i = 0; sn->map == NULL && i < sizeof v / sizeof v[0]; i++)
		free(v[i]);
	if (sn->map != NULL) {
		struct unmap *u = xmalloc(sizeof *u);

		*u = (struct unmap){ sn->map, sn->maplen };
		par_later(unmap_later, u);
	}
	for (int i = 0; i < sn->nown; i++)
		free(sn->own[i]);
	for (int i = 0; i < sn->nscores; i++) {
		free(sn->scores[i].score);
		free(sn->scores[i].rank);
	}
	free(sn->scores);
	memset(sn, 0, sizeof *sn);
}

const char elig_digit_pairs[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* Any integer: digits written in place, two at a time (into buf when out is full). */
void
elig_put_int_any(struct sb *b, long long v)
{
	static const unsigned long long pow10[] = { 1e1, 1e2, 1e3, 1e4, 1e5, 1e6,
	    1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19 };
	const char *pairs = elig_digit_pairs;
	char buf[24], *p;
	unsigned long long u = v < 0 ? -(unsigned long long)v : (unsigned long long)v;
	size_t n = 1 + (v < 0);
	int inplace;

	/* the number of digits by comparisons, not divisions */
	for (size_t k = 0; k < sizeof pow10 / sizeof pow10[0] && u >= pow10[k]; k++)
		n++;
	inplace = b->len + n < b->cap;
	p = (inplace ? b->s + b->len : buf) + n;
	while (u >= 100) {
		unsigned d = (unsigned)(u % 100) * 2;

		u /= 100;
		*--p = pairs[d + 1];
		*--p = pairs[d];
	}
	if (u >= 10) {
		*--p = pairs[u * 2 + 1];
		*--p = pairs[u * 2];
	} else
		*--p = (char)('0' + u);
	if (v < 0)
		*--p = '-';
	if (inplace) {
		b->len += n;
		b->s[b->len] = '\0';
	} else
		sb_putn(b, buf, n);
}

/* One decimal: 71.4 */
static void
put_dec1(struct sb *b, double v)
{
	long long t = llround(v * 10);

	elig_put_int(b, t / 10);
	elig_putc(b, '.');
	elig_putc(b, (char)('0' + (t < 0 ? -t : t) % 10));
}

static void
put_years(struct sb *b, int lo, int hi)
{
	elig_put_int(b, lo);
	if (hi != lo) {
		PUT_LIT(b, "–");
		elig_put_int(b, hi);
	}
}

/* The awards of mask m, in the rule set's order: "LDTT/CSTT". */
static void
put_awards(const struct ectx *c, struct sb *b, uint64_t m)
{
	m &= c->r->rs->naward < 64 ? ((uint64_t)1 << c->r->rs->naward) - 1 : ~(uint64_t)0;
	for (int first = 1; m != 0; m &= m - 1, first = 0) {
		if (!first)
			elig_putc(b, '/');
		PUT_L(b, c->aw[__builtin_ctzll(m)]);
	}
}

void
elig_item_begin(struct sb *b, int *n)
{
	if ((*n)++ > 0)
		elig_putc(b, ELIG_SEP);
}

/* Evidence is shown for the root's clauses only (see struct xbuf). */
#define SHOW_EV(c, d)	((c)->explain && (d) == 1)

static struct sb *
ev_item(struct ectx *c, int d)
{
	struct xbuf *x = &c->xb[d];

	if (x->nev++ > 0)
		PUT_L(&x->ev, c->evsep);
	return &x->ev;
}

#define EV(c, d)	ev_item((c), (d))
#define MISS(c, d)	(elig_item_begin(&(c)->xb[d].miss, &(c)->xb[d].nmiss), &(c)->xb[d].miss)
#define TXT(c, d)	(&(c)->xb[d].text)

/* ---- facts about a subject ---- */

static int
y0_of(const struct elig_snap *sn)
{
	return sn->year - ELIG_NY + 1;
}

static int
rating_at(const struct elig_snap *sn, size_t s, int y)
{
	int yi = y - y0_of(sn);

	return yi < 0 || yi >= ELIG_NY ? RT_NONE : sn->rating[s * ELIG_NY + yi];
}

/* Awards of mask held in year y: the ledger, plus this year's verdicts
 * of the awards evaluated before the current one. */
static uint64_t
holds(const struct ectx *c, size_t s, int y, uint64_t mask)
{
	const struct elig_snap *sn = c->r->sn;
	int yi = y - y0_of(sn);
	uint64_t h;

	if (yi < 0 || yi >= ELIG_NY)
		return 0;
	h = sn->hist[s * ELIG_NY + yi];
	if (y == sn->year)
		h |= c->r->now[s] & c->r->rs->before[c->a];
	return h & mask;
}

static int
is_person(const struct elig_snap *sn, size_t s)
{
	return s >= sn->nunit;
}

const struct elig_disc *
elig_held(const struct elig_snap *sn, size_t s)
{
	int32_t end;

	if (sn->disc_off[s] == sn->disc_off[s + 1])
		return NULL;	/* (most subjects: no record at all) */
	end = date_from_ymd(sn->year, 12, 31);
	for (uint32_t i = sn->disc_off[s]; i < sn->disc_off[s + 1]; i++) {
		const struct elig_disc *d = &sn->disc[i];

		if (d->form == DF_PENDING && d->from <= end && d->to > end)
			return d;
	}
	return NULL;
}

/* ---- windows (rating, award, innovations) ---- */

struct window {
	int	 lo;		/* first year counted */
	int	 since;		/* year of the since_award award, 0 none */
	int	 mode;		/* 0 this year, 1 consecutive, 2 count */
	int	 need;		/* years in a row, or count */
};

/* 0 when since_award names an award the subject never held. */
static int
window_of(struct ectx *c, const struct rclause *cl, struct window *w)
{
	const struct elig_snap *sn = c->r->sn;
	int Y = sn->year, y0 = y0_of(sn), n;

	w->since = 0;
	w->mode = cl->consecutive ? 1 :
	    (cl->min_count || cl->within || cl->since_award || cl->ever) ? 2 : 0;
	w->need = cl->consecutive ? cl->consecutive : cl->min_count ? cl->min_count : 1;
	n = cl->consecutive ? cl->consecutive : cl->within ? cl->within :
	    w->mode == 2 ? ELIG_NY : 1;
	w->lo = Y - n + 1 < y0 ? y0 : Y - n + 1;
	if (cl->since_award) {
		uint64_t bit = (uint64_t)1 << (cl->since_award - 1);
		int y;

		/* the latest year, remembered for the subject's other clauses */
		if (c->since.s == c->s && c->since.a == c->a &&
		    c->since.award == cl->since_award)
			y = c->since.y;
		else {
			for (y = Y; y >= y0 && !holds(c, c->s, y, bit); y--)
				;
			c->since.s = c->s;
			c->since.a = c->a;
			c->since.award = cl->since_award;
			c->since.y = y;
		}
		if (y < y0)
			return 0;
		w->since = y;
		if (w->lo < y + 1)
			w->lo = y + 1;
	}
	return 1;
}

static void
no_since(struct ectx *c, const struct rclause *cl, int d)
{
	struct lit code = c->aw[cl->since_award - 1];
	struct sb *b = TXT(c, d);

	PUT_TR(b, "Chưa có ", "No ");
	PUT_L(b, code);
	PUT_TR(b, " trong ", " held in ");
	put_years(b, y0_of(c->r->sn), c->r->sn->year);
	b = MISS(c, d);
	PUT_TR(b, "cần có ", "needs ");
	PUT_L(b, code);
	PUT_TR(b, " trước", " first");
}

static void
since_note(struct ectx *c, const struct rclause *cl, const struct window *w,
    struct sb *b)
{
	if (!w->since)
		return;
	PUT_TR(b, " (tính sau ", " (counted after ");
	PUT_L(b, c->aw[cl->since_award - 1]);
	elig_putc(b, ' ');
	elig_put_int(b, w->since);
	elig_putc(b, ')');
}

/* The thing a rating/award clause asks for, for sentences. */
static void
put_what(struct ectx *c, const struct rclause *cl, struct sb *b, int lower)
{
	if (cl->kind == CL_RATING) {
		if (lower)
			PUT_TR(b, "xếp loại ≥ ", "a rating ≥ ");
		else
			PUT_TR(b, "Xếp loại ≥ ", "Rating ≥ ");
		PUT_L(b, c->rating[cl->min]);
	} else
		put_awards(c, b, cl->awards);
}

static int
year_ok(struct ectx *c, const struct rclause *cl, int y)
{
	if (cl->kind == CL_RATING)
		return rating_at(c->r->sn, c->s, y) >= cl->min;
	return holds(c, c->s, y, cl->awards) != 0;
}

/* "2024: HTTNV" or "2024: CSTDCS" or "2024: —" */
static void
put_year_value(struct ectx *c, const struct rclause *cl, int y, struct sb *b)
{
	elig_put_int(b, y);
	PUT_LIT(b, ": ");
	if (cl->kind == CL_RATING) {
		int r = rating_at(c->r->sn, c->s, y);

		if (r)
			PUT_L(b, c->rating[r]);
		else
			PUT_TR(b, "chưa xếp loại", "not rated");
	} else {
		uint64_t h = holds(c, c->s, y, cl->awards);

		if (h)
			put_awards(c, b, h);
		else
			PUT_TR(b, "không có", "none");
	}
}

/*
 * For an `ever` clause: what the subject had before the snapshot's
 * window that the clause asks for (award bits of its mask, or the rating
 * bits at or above its min), 0 for none.
 */
static uint64_t
ever_before(const struct ectx *c, const struct rclause *cl)
{
	const struct elig_snap *sn = c->r->sn;

	if (!cl->ever)
		return 0;
	if (cl->kind == CL_RATING)
		return (uint64_t)(sn->ever_rt[c->s] >> cl->min) << cl->min;
	return sn->ever[c->s] & cl->awards;
}

uint64_t
elig_key_ever(const struct ectx *c, const struct rclause *cl)
{
	return ever_before(c, cl);
}

/* rating and award clauses (see cl_windowed) */
static int
windowed(struct ectx *c, const struct rclause *cl, int d)
{
	int Y = c->r->sn->year, ok, cnt = 0, y;
	uint64_t before = ever_before(c, cl);
	struct window w;
	struct sb *b;

	if (!window_of(c, cl, &w)) {
		if (c->explain)
			no_since(c, cl, d);
		return 0;
	}
	if (w.mode == 1) {
		for (y = Y; y >= w.lo && year_ok(c, cl, y); y--)
			cnt++;
	} else
		for (y = w.lo; y <= Y; y++)
			cnt += year_ok(c, cl, y);
	cnt += before != 0;	/* (ever: one more, before the window) */
	ok = cnt >= w.need;
	if (!c->explain)
		return ok;
	b = TXT(c, d);
	if (w.mode == 0) {
		if (cl->kind == CL_RATING)
			PUT_TR(b, "Xếp loại năm ", "Rating ");
		else
			PUT_TR(b, "Danh hiệu năm ", "Awards ");
		put_year_value(c, cl, Y, b);
		PUT_TR(b, " (cần ", " (needs ");
		put_what(c, cl, b, 1);
		elig_putc(b, ')');
		if (SHOW_EV(c, d))
			put_year_value(c, cl, Y, EV(c, d));
		if (!ok) {
			b = MISS(c, d);
			PUT_TR(b, "cần ", "needs ");
			put_what(c, cl, b, 1);
			PUT_TR(b, " năm ", " in ");
			elig_put_int(b, Y);
		}
		return ok;
	}
	put_what(c, cl, b, 0);
	if (w.mode == 1) {
		PUT_TR(b, " liên tục ", ": ");
		elig_put_int(b, cnt);
		PUT_TR(b, " năm đến ", " consecutive years up to ");
		elig_put_int(b, Y);
		PUT_TR(b, " (cần ", " (needs ");
		elig_put_int(b, w.need);
		elig_putc(b, ')');
		since_note(c, cl, &w, b);
		for (y = Y - w.need + 1 < w.lo ? w.lo : Y - w.need + 1;
		    SHOW_EV(c, d) && y <= Y; y++)
			put_year_value(c, cl, y, EV(c, d));
		if (!ok) {
			b = MISS(c, d);
			PUT_TR(b, "cần ", "needs ");
			put_what(c, cl, b, 1);
			PUT_TR(b, " các năm ", " in ");
			put_years(b, Y + 1, Y + w.need - cnt);
			PUT_TR(b, " để đủ ", " to make ");
			elig_put_int(b, w.need);
			PUT_TR(b, " năm liên tục", " consecutive years");
		}
		return ok;
	}
	PUT_LIT(b, ": ");
	elig_put_int(b, cnt);
	if (cl->ever) {
		PUT_TR(b, " lần từ trước đến ", " time(s) in any year up to ");
		elig_put_int(b, Y);
	} else {
		PUT_TR(b, " lần trong ", " time(s) in ");
		if (w.lo <= Y)
			put_years(b, w.lo, Y);
		else
			PUT_TR(b, "(không còn năm nào)", "(no year left)");
	}
	PUT_TR(b, " (cần ", " (needs ");
	elig_put_int(b, w.need);
	elig_putc(b, ')');
	since_note(c, cl, &w, b);
	if (before != 0 && SHOW_EV(c, d)) {
		b = EV(c, d);
		PUT_TR(b, "trước ", "before ");
		elig_put_int(b, w.lo);
		PUT_LIT(b, ": ");
		if (cl->kind == CL_RATING)
			PUT_L(b, c->rating[63 - __builtin_clzll(before)]);
		else
			put_awards(c, b, before);
	}
	for (y = w.lo; SHOW_EV(c, d) && y <= Y; y++)
		if (year_ok(c, cl, y))
			put_year_value(c, cl, y, EV(c, d));
	if (!ok) {
		b = MISS(c, d);
		PUT_TR(b, "cần thêm ", "needs ");
		if (g_lang == LANG_VI) {
			elig_put_int(b, w.need - cnt);
			PUT_LIT(b, " lần ");
			put_what(c, cl, b, 1);
		} else {
			put_what(c, cl, b, 1);
			elig_putc(b, ' ');
			elig_put_int(b, w.need - cnt);
			PUT_LIT(b, " more time(s)");
		}
		if (w.mode == 2 && cl->within) {
			PUT_TR(b, " trong ", " within ");
			put_years(b, w.lo, Y);
		}
	}
	return ok;
}

static void
xbuf_init(struct xbuf *x)
{
	sb_init(&x->text);
	sb_init(&x->ev);
	sb_init(&x->miss);
	sb_init(&x->shown);
}

static void
xbuf_free(struct xbuf *x)
{
	sb_free(&x->text);
	sb_free(&x->ev);
	sb_free(&x->miss);
	sb_free(&x->shown);
}

/*
 * Explanations of rating and award clauses, remembered by each context:
 * the sentence, evidence and what is missing depend only on the clause,
 * the window (first year, year of the since_award award) and each year's
 * value in it, which many subjects share. A direct-mapped table: a key
 * takes the slot its hash names from whatever was there. Its slots:
 * elig_slots(subjects, WMEMO_PER, WMEMO_MIN, WMEMO_MAX).
 */
#define WMEMO_MIN	1024
#define WMEMO_MAX	4096
#define WMEMO_PER	64
#define WMEMO_KEY	(ELIG_NY + 2)	/* head, years, ever */

struct wmemo {
	enum lang	 lang;		/* what the explanations were written for */
	struct lit	 evsep;
	unsigned	 nslot;
	struct wslot {
		uint64_t	 key[WMEMO_KEY];
		int		 nkey;	/* 0: empty */
		int		 ok;
		struct xbuf	 x;	/* buffers allocated on first use */
	}		 slot[];	/* nslot, a power of two */
};

/* A key's first word: the clause, and whether it shows evidence. */
static uint64_t
key_head(struct ectx *c, const struct rclause *cl, int d)
{
	return (uint64_t)(cl - c->r->rs->cl) << 1 | SHOW_EV(c, d);
}

/*
 * The first word of a windowed clause's key: its head, then its window
 * for c's subject (first year and year of the since_award award, as
 * offsets in the snapshot's years; all ones when since_award was never
 * held: 0 returned then, else 1).
 */
static int
clause_key(struct ectx *c, const struct rclause *cl, int d, uint64_t *key,
    struct window *w)
{
	int y0 = y0_of(c->r->sn);

	key[0] = key_head(c, cl, d) << 32;
	if (!window_of(c, cl, w)) {
		key[0] |= 0xffffffffu;
		return 0;
	}
	key[0] |= (uint64_t)(w->lo - y0) << 16 | (uint64_t)(w->since ? w->since - y0 + 1 : 0);
	return 1;
}

/* The key of rating/award clause cl for c's subject into key; its length. */
static int
windowed_key(struct ectx *c, const struct rclause *cl, int d, uint64_t *key)
{
	struct window w;

	int n;

	if (!clause_key(c, cl, d, key, &w))
		return 1;
	n = 1 + elig_key_values(c, cl, w.lo - y0_of(c->r->sn), key + 1);
	if (cl->ever)	/* (its length follows from the clause) */
		key[n++] = ever_before(c, cl);
	return n;
}

int
elig_key_fixed(struct ectx *c, int ci, int d, uint64_t *word, int *yi)
{
	const struct rclause *cl = &c->r->rs->cl[ci];
	struct window w;
	int explain = c->explain;

	/* (an `ever` rating or award clause's window does not depend on the
	 * subject either; its key ends with one word more, elig_key_ever) */
	if ((cl->kind != CL_RATING && cl->kind != CL_AWARD &&
	    cl->kind != CL_INNOVATIONS) || cl->since_award ||
	    (cl->ever && cl->kind == CL_INNOVATIONS))
		return 0;
	c->explain = 1;		/* (keys are of explanations) */
	clause_key(c, cl, d, word, &w);	/* (no since_award: the subject's is not read) */
	c->explain = explain;
	*yi = w.lo - y0_of(c->r->sn);
	return 1;
}

static struct wslot *
wmemo_slot(struct ectx *c, const uint64_t *key, int n)
{
	struct wmemo *m = c->wmemo;
	uint64_t h = 0xcbf29ce484222325u;

	if (m == NULL) {
		unsigned n = elig_slots(c->r->sn->nsubj, WMEMO_PER, WMEMO_MIN,
		    WMEMO_MAX);

		m = c->wmemo = xcalloc_touched(1, sizeof *m + n * sizeof *m->slot);
		m->nslot = n;
	}
	if (m->lang != g_lang || m->evsep.s != c->evsep.s) {
		for (unsigned i = 0; i < m->nslot; i++)
			m->slot[i].nkey = 0;
		m->lang = g_lang;
		m->evsep = c->evsep;
	}
	for (int i = 0; i < n; i++)
		h = (h ^ key[i]) * 0x100000001b3u;
	return &m->slot[(h ^ h >> 29) & (m->nslot - 1)];
}

static void
copy_sb(struct sb *to, const struct sb *from)
{
	elig_reset(to);
	elig_putn(to, from->s, from->len);
}

/* Remember an explanation (from is no view: it was just written). */
static void
copy_xbuf(struct xbuf *to, const struct xbuf *from)
{
	copy_sb(&to->text, &from->text);
	copy_sb(&to->ev, &from->ev);
	copy_sb(&to->miss, &from->miss);
	to->nev = from->nev;
	to->nmiss = from->nmiss;
	elig_reset(&to->shown);
}

static int
same_key(const struct wslot *m, const uint64_t *key, int n)
{
	return m->nkey == n && elig_same_words(m->key, key, n);
}

typedef int (*clause_fn)(struct ectx *, const struct rclause *, int);

/*
 * Explain clause cl by fn, or point to the explanation remembered under
 * key (n words), which must hold everything the explanation depends on.
 */
static int
remembered(struct ectx *c, const struct rclause *cl, int d, const uint64_t *key,
    int n, clause_fn fn)
{
	struct xbuf *x = &c->xb[d];
	struct wslot *m = wmemo_slot(c, key, n);

	if (!same_key(m, key, n)) {
		if (m->x.text.s == NULL)
			xbuf_init(&m->x);
		m->ok = fn(c, cl, d);
		memcpy(m->key, key, n * sizeof *key);
		m->nkey = n;
		copy_xbuf(&m->x, x);
	}
	x->memo = &m->x;
	return m->ok;
}

static int
cl_windowed(struct ectx *c, const struct rclause *cl, int d)
{
	uint64_t key[WMEMO_KEY];

	if (!c->explain)
		return windowed(c, cl, d);
	return remembered(c, cl, d, key, windowed_key(c, cl, d, key), windowed);
}

static struct lit
level_name(int lv)
{
	static const struct lit name[2][LV__MAX] = {
		{ LIT(""), LIT("cơ sở"), LIT("bộ"), LIT("toàn quốc") },
		{ LIT(""), LIT("base"), LIT("ministry"), LIT("national") },
	};

	return name[g_lang == LANG_EN][lv];
}

/*
 * What an innovations clause counts, by its kinds: every kind (no kinds
 * given, or all of them) reads "Sáng kiến, đề tài" / "Innovations";
 * otherwise the kinds are named, so that two alternatives of an `any`
 * (initiatives or mechanisation / research) read differently. As a noun
 * after a count (missing: "cần thêm 1 …") when after_count.
 */
static const struct kind_words {
	struct lit	 vi, vi_first, en, en_first;	/* _first: opening a sentence */
} kind_words[IK__MAX] = {
	[IK_INITIATIVE] = { LIT("sáng kiến"), LIT("Sáng kiến"), LIT("initiatives"),
	    LIT("Initiatives") },
	[IK_RESEARCH] = { LIT("đề tài khoa học"), LIT("Đề tài khoa học"),
	    LIT("research projects"), LIT("Research projects") },
	[IK_MECHANISATION] = { LIT("cơ giới hoá"), LIT("Cơ giới hoá"),
	    LIT("mechanisation works"), LIT("Mechanisation works") },
};

static void
put_kinds(struct sb *b, unsigned kinds, int after_count)
{
	static const struct lit sep[] = { LIT(" or "), LIT("/"), LIT(", ") };
	const unsigned all = (1u << IK__MAX) - 1;
	int en = g_lang == LANG_EN, n = 0;

	if (kinds == 0 || (kinds & all) == all) {
		if (after_count)
			PUT_TR(b, "sáng kiến/đề tài", "more innovation(s)");
		else
			PUT_TR(b, "Sáng kiến, đề tài", "Innovations");
		return;
	}
	if (after_count && en)
		PUT_LIT(b, "more innovation(s) (");
	for (int k = 0; k < IK__MAX; k++) {
		const struct kind_words *w = &kind_words[k];

		if (!((kinds >> k) & 1))
			continue;
		if (n++ > 0)
			PUT_L(b, sep[en ? 0 : after_count ? 1 : 2]);
		if (n == 1 && !after_count)
			PUT_L(b, en ? w->en_first : w->vi_first);
		else
			PUT_L(b, en ? w->en : w->vi);
	}
	if (after_count && en)
		elig_putc(b, ')');
}

/* Whether innovation i counts for innovations clause cl in window w. */
static int
innov_fits(const struct elig_snap *sn, const struct rclause *cl,
    const struct window *w, uint32_t i)
{
	return sn->iyear[i] >= w->lo && sn->iyear[i] <= sn->year &&
	    sn->ilevel[i] >= cl->min &&
	    (!cl->kinds || ((cl->kinds >> sn->ikind[i]) & 1)) &&
	    sn->ibenefit[i] >= cl->min_benefit;
}

/* Whether any innovation c's subject authored counts for cl in window w. */
static int
innov_any_fits(const struct ectx *c, const struct rclause *cl, const struct window *w)
{
	const struct elig_snap *sn = c->r->sn;
	size_t p = c->s - sn->nunit;

	if (!is_person(sn, c->s))
		return 0;
	if (cl->min_benefit == 0)	/* (the packed copy) */
		return elig_authp_fits(c, cl, w->lo - y0_of(sn));
	for (uint32_t k = sn->auth_off[p]; k < sn->auth_off[p + 1]; k++)
		if (innov_fits(sn, cl, w, sn->auth[k]))
			return 1;
	return 0;
}

static int
innovations(struct ectx *c, const struct rclause *cl, int d)
{
	const struct elig_snap *sn = c->r->sn;
	const struct ruleset *rs = c->r->rs;
	int Y = sn->year, cnt = 0, ok, base0 = c->nbased;
	uint64_t used_mask = cl->unused_by;
	struct window w;
	struct sb *b;
	uint32_t i0 = 0, i1 = 0;

	if (!window_of(c, cl, &w)) {
		if (c->explain)
			no_since(c, cl, d);
		return 0;
	}
	if (is_person(sn, c->s)) {
		i0 = sn->auth_off[c->s - sn->nunit];
		i1 = sn->auth_off[c->s - sn->nunit + 1];
	}
	for (uint32_t k = i0; SHOW_EV(c, d) && k < i1; k++)
		__builtin_prefetch(sn->arena + sn->icode[sn->auth[k]]);	/* (overlapping) */
	for (uint32_t k = i0; k < i1; k++) {
		uint32_t i;
		uint64_t used;

		/* the packed copy in the person's order (one array read in a
		 * row) when it can tell, not four scattered ones */
		if (cl->min_benefit == 0 ?
		    !elig_authp_fit(sn->authp[k], cl, w.lo - y0_of(sn)) :
		    !innov_fits(sn, cl, &w, sn->auth[k]))
			continue;
		i = sn->auth[k];
		used = used_mask == 0 ? 0 :	/* (two scattered reads spared) */
		    (sn->iused[i] | (c->r->inow[i] & rs->before[c->a])) & used_mask;
		if (used) {
			if (SHOW_EV(c, d)) {
				b = EV(c, d);
				elig_puts(b, sn->arena + sn->icode[i]);
				PUT_TR(b, ": đã dùng cho ", ": already used for ");
				put_awards(c, b, used);
			}
			continue;
		}
		if (cnt < cl->min_count && c->nbased < ELIG_MAXBASED)
			c->based[c->nbased++] = i;
		cnt++;
		if (SHOW_EV(c, d)) {
			b = EV(c, d);
			elig_puts(b, sn->arena + sn->icode[i]);
			PUT_LIT(b, " (");
			elig_put_int(b, sn->iyear[i]);
			PUT_LIT(b, ", ");
			PUT_L(b, level_name(sn->ilevel[i]));
			elig_putc(b, ')');
		}
	}
	ok = cnt >= cl->min_count;
	if (!ok)
		c->nbased = base0;
	if (!c->explain)
		return ok;
	b = TXT(c, d);
	put_kinds(b, cl->kinds, 0);
	PUT_TR(b, " cấp ", " at ");
	PUT_L(b, level_name(cl->min));
	PUT_TR(b, " trở lên trong ", " level or above in ");
	put_years(b, w.lo, Y);
	if (cl->min_benefit) {
		PUT_TR(b, ", làm lợi ≥ ", ", benefit ≥ ");
		elig_put_int(b, cl->min_benefit);
		PUT_TR(b, " đ", " VND");
	}
	if (used_mask) {
		PUT_TR(b, ", chưa dùng cho ", ", not used for ");
		put_awards(c, b, used_mask);
	}
	PUT_LIT(b, ": ");
	elig_put_int(b, cnt);
	PUT_TR(b, " (cần ", " (needs ");
	elig_put_int(b, cl->min_count);
	elig_putc(b, ')');
	since_note(c, cl, &w, b);
	if (!ok) {
		b = MISS(c, d);
		PUT_TR(b, "cần thêm ", "needs ");
		elig_put_int(b, cl->min_count - cnt);
		elig_putc(b, ' ');
		put_kinds(b, cl->kinds, 1);
		PUT_TR(b, " cấp ", " at ");
		PUT_L(b, level_name(cl->min));
		PUT_TR(b, " trở lên trong ", " level or above in ");
		put_years(b, w.lo, Y);
		if (used_mask) {
			PUT_TR(b, " chưa dùng cho ", " not used for ");
			put_awards(c, b, used_mask);
		}
	}
	return ok;
}

/* No innovation of the subject counts: the clause and its window (see cl_innovations). */
static int
key_innovations(struct ectx *c, const struct rclause *cl, int d, uint64_t *key, int max)
{
	struct window w;

	if (max < 1 || (clause_key(c, cl, d, key, &w) && innov_any_fits(c, cl, &w)))
		return -1;
	return 1;
}

/*
 * Innovations clauses: a subject none of whose innovations counts for the
 * clause (every unit, most people: none authored, or none of the level,
 * kind or years asked) gets the same explanation for the same clause and
 * window; innovations that do not count are not mentioned.
 */
static int
cl_innovations(struct ectx *c, const struct rclause *cl, int d)
{
	uint64_t key[1];

	if (!c->explain || key_innovations(c, cl, d, key, 1) < 0)
		return innovations(c, cl, d);
	return remembered(c, cl, d, key, 1, innovations);
}

static void
put_date(struct sb *b, int32_t day)
{
	char buf[11];

	date_format(day, buf);
	elig_putn(b, buf, 10);
}

void
elig_reach_text(const struct elig_run *r, size_t p, int min_months, char day[11])
{
	int ym = (int)(r->sn->joined_ymd[p] >> 5), dd = (int)(r->sn->joined_ymd[p] & 31);
	int tm = ym % 12 + min_months, y = ym / 12 + tm / 12, m = tm % 12 + 1;

	if (dd <= 28)	/* (every month has the day) */
		date_format_ymd(y, m, dd, day);
	else
		date_format(date_from_ymd(y, m, 1) + dd - 1, day);
}

/* Whole months from day f to day t (t exclusive). */
static int
months_between(int32_t f, int32_t t)
{
	int fy, fm, fd, ty, tm, td;

	date_to_ymd(f, &fy, &fm, &fd);
	date_to_ymd(t, &ty, &tm, &td);
	return (ty - fy) * 12 + (tm - fm) - (td < fd);
}

/* The coefficient period v's months count with under clause cl. */
static double
svc_coef(const struct elig_snap *sn, const struct rclause *cl,
    const struct elig_svc *v)
{
	for (int i = 0; i < cl->ncoef; i++)
		if (strcmp(cl->coef[i].kind, sn->arena + v->kind) == 0)
			return cl->coef[i].coef;
	return v->coef;
}

/*
 * Months person p served up to the year's end under tenure clause cl,
 * from the service periods: each period's whole months times its
 * coefficient, summed; with continuous, only the last unbroken run of
 * periods (each starting at most a day after the one before ends).
 * *first: the index of the run's first period counted.
 */
static int
svc_months(const struct elig_snap *sn, size_t p, const struct rclause *cl,
    uint32_t *first)
{
	int32_t cap = date_from_ymd(sn->year + 1, 1, 1), prev = INT32_MIN;
	double acc = 0;

	*first = sn->svc_off[p];
	for (uint32_t i = sn->svc_off[p]; i < sn->svc_off[p + 1]; i++) {
		const struct elig_svc *v = &sn->svc[i];
		int32_t t = v->to == ELIG_NODAY || v->to >= cap ? cap : v->to + 1;

		if (v->from >= t)
			continue;
		if (cl->continuous && prev != INT32_MIN && v->from > prev) {
			acc = 0;	/* a break: the run starts again */
			*first = i;
		}
		acc += months_between(v->from, t) * svc_coef(sn, cl, v);
		if (t > prev)
			prev = t;
	}
	return (int)(acc + 1e-9);
}

static int
has_service(const struct elig_snap *sn, size_t p)
{
	return sn->svc_off[p] < sn->svc_off[p + 1];
}

/* Clause cl's bounds for person p (thresholds by sex where it sets them). */
static void
tenure_bounds(const struct elig_snap *sn, size_t p, const struct rclause *cl,
    int *lo, int *hi)
{
	int female = sn->sex[p] == 2;

	*lo = female && cl->f_min_months ? cl->f_min_months : cl->min_months;
	*hi = female && cl->f_max_months ? cl->f_max_months : cl->max_months;
}

/*
 * A tenure clause that reads service periods, a range or thresholds by
 * sex (the simple one, below, reads only the joining day).
 */
static int
tenure_full(struct ectx *c, const struct rclause *cl, int d, size_t p)
{
	const struct elig_snap *sn = c->r->sn;
	int svc = has_service(sn, p), months, lo, hi, ok;
	uint32_t first = 0;
	char day[11];
	struct sb *b;

	months = svc ? svc_months(sn, p, cl, &first) : elig_months(c->r, p);
	if (months < 0)
		months = 0;
	tenure_bounds(sn, p, cl, &lo, &hi);
	ok = months >= lo && (hi == 0 || months <= hi);
	if (!c->explain)
		return ok;
	c->tenure.m0 = c->tenure.m1 = 0;	/* (a hole only without service) */
	c->tenure.j0 = c->tenure.r0 = SIZE_MAX;
	b = TXT(c, d);
	PUT_TR(b, "Thời gian công tác đến hết năm ", "Service up to the end of ");
	elig_put_int(b, sn->year);
	if (svc) {
		if (cl->continuous)
			PUT_TR(b, " (liên tục, từ ", " (continuous, from ");
		else
			PUT_TR(b, " (cộng các giai đoạn, từ ", " (periods summed, from ");
		date_format(sn->svc[first].from, day);
		elig_putn(b, day, 10);
		PUT_TR(b, ", có hệ số)", ", with coefficients)");
	}
	PUT_LIT(b, ": ");
	c->tenure.m0 = b->len;
	elig_put_int(b, months);
	c->tenure.m1 = b->len;
	PUT_TR(b, " tháng (cần ", " months (needs ");
	elig_put_int(b, lo);
	if (hi) {
		PUT_TR(b, " đến ", " to ");
		elig_put_int(b, hi);
	}
	elig_putc(b, ')');
	if (SHOW_EV(c, d)) {
		if (!svc) {
			b = EV(c, d);
			PUT_TR(b, "vào ngày ", "joined ");
			c->tenure.j0 = b->len;
			elig_putn(b, elig_joined_text(c->r, p), 10);
		}
		for (uint32_t i = first; svc && i < sn->svc_off[p + 1]; i++) {
			const struct elig_svc *v = &sn->svc[i];

			if (v->from > date_from_ymd(sn->year, 12, 31))
				continue;
			b = EV(c, d);
			date_format(v->from, day);
			elig_putn(b, day, 10);
			PUT_LIT(b, "–");
			if (v->to != ELIG_NODAY) {
				date_format(v->to, day);
				elig_putn(b, day, 10);
			}
			elig_putc(b, ' ');
			elig_puts(b, sn->arena + v->kind);
			PUT_LIT(b, " ×");
			put_dec1(b, svc_coef(sn, cl, v));
		}
	}
	if (months < lo) {
		b = MISS(c, d);
		PUT_TR(b, "cần đủ ", "needs ");
		elig_put_int(b, lo);
		PUT_TR(b, " tháng công tác", " months of service");
		if (!svc) {
			PUT_TR(b, " (đủ từ ngày ", " (reached on ");
			elig_reach_text(c->r, p, lo, day);
			c->tenure.r0 = b->len;
			elig_putn(b, day, 10);
			elig_putc(b, ')');
		}
	} else if (!ok) {
		b = MISS(c, d);
		PUT_TR(b, "thời gian công tác quá ", "service exceeds ");
		elig_put_int(b, hi);
		PUT_TR(b, " tháng (khung của hạng khác)",
		    " months (another class's range)");
	}
	return ok;
}

static int
cl_tenure(struct ectx *c, const struct rclause *cl, int d)
{
	const struct elig_snap *sn = c->r->sn;
	int months, ok;
	size_t p;
	struct sb *b;

	if (!is_person(sn, c->s)) {
		if (c->explain)
			PUT_TR(TXT(c, d), "Không áp dụng cho đơn vị",
			    "Does not apply to a unit");
		return 1;
	}
	p = c->s - sn->nunit;
	if (has_service(sn, p) || !rules_tenure_simple(cl) || cl->max_months)
		return tenure_full(c, cl, d, p);
	months = elig_months(c->r, p);
	ok = months >= cl->min_months;
	if (!c->explain)
		return ok;
	b = TXT(c, d);
	PUT_TR(b, "Thời gian công tác đến hết năm ", "Service up to the end of ");
	elig_put_int(b, sn->year);
	PUT_LIT(b, ": ");
	c->tenure.m0 = b->len;
	elig_put_int(b, months < 0 ? 0 : months);
	c->tenure.m1 = b->len;
	PUT_TR(b, " tháng (cần ", " months (needs ");
	elig_put_int(b, cl->min_months);
	elig_putc(b, ')');
	c->tenure.j0 = SIZE_MAX;
	if (SHOW_EV(c, d)) {
		b = EV(c, d);
		PUT_TR(b, "vào ngày ", "joined ");
		c->tenure.j0 = b->len;
		elig_putn(b, elig_joined_text(c->r, p), 10);
	}
	c->tenure.r0 = SIZE_MAX;
	if (!ok) {
		char day[11];

		b = MISS(c, d);
		PUT_TR(b, "cần đủ ", "needs ");
		elig_put_int(b, cl->min_months);
		PUT_TR(b, " tháng công tác (đủ từ ngày ", " months of service (reached on ");
		elig_reach_text(c->r, p, cl->min_months, day);
		c->tenure.r0 = b->len;
		elig_putn(b, day, 10);
		elig_putc(b, ')');
	}
	return ok;
}

static struct lit
form_name(int f)
{
	static const struct lit vi[DF__MAX] = { LIT("đang xem xét kỷ luật"),
	    LIT("khiển trách"), LIT("cảnh cáo"), LIT("giáng chức/hạ bậc"),
	    LIT("cách chức/buộc thôi việc") };

	if (g_lang == LANG_EN)
		return lit_of(rules_dform_names[f]);
	return vi[f];
}

static void
put_forms(struct sb *b, unsigned forms)
{
	int first = 1;

	if (forms == (((1u << DF__MAX) - 1) & ~(1u << DF_PENDING))) {
		PUT_TR(b, "từ khiển trách trở lên", "reprimand or worse");
		return;
	}

	for (int f = 0; f < DF__MAX; f++)
		if ((forms >> f) & 1) {
			if (!first)
				PUT_LIT(b, ", ");
			PUT_L(b, form_name(f));
			first = 0;
		}
}

static int
cl_no_discipline(struct ectx *c, const struct rclause *cl, int d)
{
	const struct elig_snap *sn = c->r->sn;
	int Y = sn->year, lo = Y - (cl->within ? cl->within : 1) + 1, hit = 0;
	int32_t start = date_from_ymd(lo, 1, 1), end = date_from_ymd(Y, 12, 31);
	struct sb *b;

	for (uint32_t i = sn->disc_off[c->s]; i < sn->disc_off[c->s + 1]; i++) {
		const struct elig_disc *x = &sn->disc[i];

		if (!((cl->forms >> x->form) & 1) || x->from > end || x->to < start)
			continue;
		hit++;
		if (!c->explain)
			return 0;
		if (SHOW_EV(c, d)) {
			b = EV(c, d);
			PUT_L(b, form_name(x->form));
			PUT_TR(b, " từ ", " from ");
			put_date(b, x->from);
			if (x->to != ELIG_NODAY) {
				PUT_TR(b, " đến ", " to ");
				put_date(b, x->to);
			}
		}
		b = MISS(c, d);
		PUT_L(b, form_name(x->form));
		PUT_TR(b, " (từ ", " (from ");
		put_date(b, x->from);
		PUT_TR(b, ") trùng thời gian xét ", ") overlaps ");
		put_years(b, lo, Y);
	}
	if (!c->explain)
		return 1;
	b = TXT(c, d);
	if (hit)
		PUT_TR(b, "Có kỷ luật (", "Disciplined (");
	else
		PUT_TR(b, "Không bị kỷ luật (", "No discipline (");
	put_forms(b, cl->forms);
	PUT_TR(b, ") trong ", ") in ");
	put_years(b, lo, Y);
	return !hit;
}

static int
is_ancestor(const struct elig_snap *sn, int32_t anc, int32_t u)
{
	for (int k = 0; u >= 0 && k < 64; k++, u = sn->parent[u])
		if (u == anc)
			return 1;
	return 0;
}

static int
cl_no_incident(struct ectx *c, const struct rclause *cl, int d)
{
	const struct elig_snap *sn = c->r->sn;
	int Y = sn->year, lo = Y - (cl->within ? cl->within : 1) + 1, cnt = 0;
	int32_t u = is_person(sn, c->s) ? sn->home[c->s - sn->nunit] : (int32_t)c->s;
	int32_t d0 = date_from_ymd(lo, 1, 1), d1 = date_from_ymd(Y + 1, 1, 1);
	int sub = !is_person(sn, c->s);
	struct sb *b;

	if (u >= 0 && sub) {
		for (int y = lo; y <= Y; y++)
			for (int sv = cl->severity; sv <= SEV_SERIOUS; sv++)
				cnt += c->r->inc_sub[((size_t)u * ELIG_NY + (y - y0_of(sn))) * 2 + sv - 1];
	} else if (u >= 0) {
		for (size_t i = 0; i < sn->ninc; i++)
			cnt += sn->inc[i].unit == u && sn->inc[i].day >= d0 &&
			    sn->inc[i].severity >= cl->severity;
	}
	if (!c->explain)
		return cnt == 0;
	b = TXT(c, d);
	if (cnt == 0)
		PUT_TR(b, "Không có sự cố an toàn", "No safety incident");
	else {
		elig_put_int(b, cnt);
		PUT_TR(b, " sự cố an toàn", " safety incident(s)");
	}
	elig_puts(b, cl->severity == SEV_SERIOUS ? TR(" nghiêm trọng", " (serious)") : "");
	elig_puts(b, sub ? TR(" trong đơn vị và cấp dưới, ", " in the unit and below, ") :
	    TR(" tại đơn vị, ", " in the unit, "));
	put_years(b, lo, Y);
	for (size_t i = 0, shown = 0; SHOW_EV(c, d) && cnt > 0 && i < sn->ninc &&
	    shown < 5; i++) {
		if (sn->inc[i].day < d0 || sn->inc[i].day >= d1 ||
		    sn->inc[i].severity < cl->severity ||
		    !(sub ? is_ancestor(sn, u, sn->inc[i].unit) : sn->inc[i].unit == u))
			continue;
		b = EV(c, d);
		elig_puts(b, sn->arena + sn->code[sn->inc[i].unit]);
		elig_putc(b, ' ');
		put_date(b, sn->inc[i].day);
		elig_puts(b, sn->inc[i].severity == SEV_SERIOUS ?
		    TR(" (nghiêm trọng)", " (serious)") : TR(" (nhẹ)", " (minor)"));
		shown++;
	}
	if (cnt > 0) {
		b = MISS(c, d);
		PUT_TR(b, "không được có sự cố an toàn", "no safety incident allowed");
		elig_puts(b, cl->severity == SEV_SERIOUS ? TR(" nghiêm trọng", " (serious)") : "");
		PUT_TR(b, " trong ", " in ");
		put_years(b, lo, Y);
	}
	return cnt == 0;
}

static int
member_meets(struct ectx *c, const struct rclause *cl, size_t m)
{
	if (cl->m_rating != RT_NONE)
		return rating_at(c->r->sn, m, c->r->sn->year) >= cl->m_rating;
	return holds(c, m, c->r->sn->year, cl->awards) != 0;
}

/*
 * Unit u's members, list by list (see struct elig_run): j from
 * r->sn->sub_off[u] (a subtree unit's own list) to r->sn->sub_off[u + 1] (the
 * unit's moved members), into a .. z.
 */
static void
member_list(const struct elig_run *r, int32_t u, uint32_t j,
    const uint32_t **a, const uint32_t **z)
{
	if (j < r->sn->sub_off[u + 1]) {
		int32_t v = r->sn->sub[j];

		*a = r->sn->dir + r->sn->dir_off[v];
		*z = r->sn->dir + r->sn->dir_off[v + 1];
	} else {
		*a = r->sn->ext + r->sn->ext_off[u];
		*z = r->sn->ext + r->sn->ext_off[u + 1];
	}
}

/* How many members of unit u meet cl (when they were not counted before). */
static long
count_members(struct ectx *c, const struct rclause *cl, int32_t u)
{
	const struct elig_run *r = c->r;
	long k = 0;

	for (uint32_t j = r->sn->sub_off[u]; j <= r->sn->sub_off[u + 1]; j++) {
		const uint32_t *a, *z;

		for (member_list(r, u, j, &a, &z); a < z; a++)
			k += member_meets(c, cl, *a);
	}
	return k;
}

/*
 * The first (at most 5) members of unit u in the people's order that do
 * not meet cl, into out: each list is in that order, so it is read only
 * while below the fifth found so far. meets: the clause's counted bytes,
 * or NULL to ask member_meets.
 */
static int
first_not_meeting(struct ectx *c, const struct rclause *cl, const uint8_t *meets,
    int32_t u, uint32_t out[5])
{
	const struct elig_run *r = c->r;
	int n = 0;

	for (uint32_t j = r->sn->sub_off[u]; j <= r->sn->sub_off[u + 1]; j++) {
		const uint32_t *a, *z;

		for (member_list(r, u, j, &a, &z); a < z && (n < 5 || *a < out[4]); a++) {
			int i;

			if (meets != NULL ? meets[*a] : member_meets(c, cl, *a))
				continue;
			for (i = n < 5 ? n : 4; i > 0 && out[i - 1] > *a; i--)
				out[i] = out[i - 1];
			out[i] = *a;
			n += n < 5;
		}
	}
	return n;
}

static int
cl_members(struct ectx *c, const struct rclause *cl, int d)
{
	const struct elig_snap *sn = c->r->sn;
	long n = 0, k = 0, need;
	int ok;
	struct sb *b;

	if (!is_person(sn, c->s)) {
		/* the count of the evaluation, remembered for the explanation */
		int32_t *memk = c->r->memk ? c->r->memk[cl - c->r->rs->cl] : NULL;

		n = c->r->sn->nmem[c->s];
		/* (atomic: writers sharing a kept evaluation, elig-svc.c, may
		 * both count a unit evaluation did not and store the same) */
		if (memk != NULL && __atomic_load_n(&memk[c->s],
		    __ATOMIC_RELAXED) > 0)
			k = __atomic_load_n(&memk[c->s], __ATOMIC_RELAXED) - 1;
		else {
			k = count_members(c, cl, (int32_t)c->s);
			if (memk != NULL)
				__atomic_store_n(&memk[c->s], (int32_t)k + 1,
				    __ATOMIC_RELAXED);
		}
	}
	switch (cl->m_mode) {
	case MM_MIN_PCT:
		need = (long)ceil(cl->m_value * n / 100 - 1e-9);
		ok = n > 0 && k >= need;
		break;
	case MM_OVER_PCT:
		need = (long)floor(cl->m_value * n / 100 + 1e-9) + 1;
		ok = n > 0 && k >= need;
		break;
	default:
		need = (long)cl->m_value;
		ok = k >= need;
		break;
	}
	if (!c->explain)
		return ok;
	b = TXT(c, d);
	PUT_TR(b, "Thành viên ", "Members ");
	if (cl->m_rating != RT_NONE) {
		PUT_TR(b, "xếp loại ≥ ", "rated ≥ ");
		PUT_L(b, c->rating[cl->m_rating]);
	} else {
		PUT_TR(b, "đạt ", "holding ");
		put_awards(c, b, cl->awards);
	}
	PUT_TR(b, " năm ", " in ");
	elig_put_int(b, sn->year);
	PUT_LIT(b, ": ");
	elig_put_int(b, k);
	elig_putc(b, '/');
	elig_put_int(b, n);
	if (cl->m_mode != MM_MIN_COUNT && n > 0) {
		PUT_LIT(b, " = ");
		put_dec1(b, 100.0 * k / n);
		PUT_LIT(b, " %");
		elig_puts(b, ok ? (cl->m_mode == MM_MIN_PCT ? " ≥ " : " > ") :
		    (cl->m_mode == MM_MIN_PCT ? " < " : " ≤ "));
		put_dec1(b, cl->m_value);
		PUT_LIT(b, " %");
	} else if (cl->m_mode == MM_MIN_COUNT) {
		PUT_TR(b, " (cần ≥ ", " (needs ≥ ");
		elig_put_int(b, need);
		elig_putc(b, ')');
	} else
		PUT_TR(b, " (không có thành viên được xếp loại)",
		    " (no rated member)");
	if (!ok) {
		const uint8_t *meets = c->r->meets != NULL ?
		    c->r->meets[cl - c->r->rs->cl] : NULL;	/* (counted for it) */
		uint32_t first[5];
		int shown = SHOW_EV(c, d) && !is_person(sn, c->s) ?
		    first_not_meeting(c, cl, meets, (int32_t)c->s, first) : 0;

		for (int i = 0; i < shown; i++)	/* (the misses overlap) */
			__builtin_prefetch(sn->arena + sn->code[first[i]]);
		for (int i = 0; i < shown; i++) {
			b = EV(c, d);
			PUT_TR(b, "chưa đạt: ", "not met: ");
			elig_puts(b, sn->arena + sn->code[first[i]]);
		}
		b = MISS(c, d);
		PUT_TR(b, "cần thêm ", "needs ");
		elig_put_int(b, need - k > 0 ? need - k : 1);
		PUT_TR(b, " thành viên ", " more member(s) ");
		if (cl->m_rating != RT_NONE) {
			PUT_TR(b, "xếp loại ≥ ", "rated ≥ ");
			PUT_L(b, c->rating[cl->m_rating]);
		} else {
			PUT_TR(b, "đạt ", "holding ");
			put_awards(c, b, cl->awards);
		}
	}
	return ok;
}

static const struct elig_scores *
scores_of(const struct elig_snap *sn, const char *movement)
{
	for (int i = 0; i < sn->nscores; i++)
		if (strcmp(sn->scores[i].movement, movement) == 0)
			return &sn->scores[i];
	return NULL;
}

static int
cl_score(struct ectx *c, const struct rclause *cl, int d)
{
	const struct elig_scores *sc = scores_of(c->r->sn, cl->movement);
	double v = sc && sc->score != NULL ? sc->score[c->s] : NAN;
	int rank = sc && sc->rank != NULL ? sc->rank[c->s] : 0, ok;
	struct sb *b;

	if (isnan(v))
		ok = 0;
	else if (cl->max_rank)
		ok = rank > 0 && rank <= cl->max_rank;
	else
		ok = v >= cl->min_points - 1e-9;
	if (!c->explain)
		return ok;
	b = TXT(c, d);
	if (isnan(v)) {
		PUT_TR(b, "Không có điểm trong phong trào ", "No score in the movement ");
		elig_puts(b, cl->movement);
		elig_putc(b, ' ');
		elig_put_int(b, c->r->sn->year);
		if (sc == NULL || !sc->available)
			elig_puts(b, TR(" (chưa có mô-đun phong trào)",
			    " (the movements module is absent)"));
		b = MISS(c, d);
		PUT_TR(b, "cần điểm trong phong trào ", "needs a score in the movement ");
		elig_puts(b, cl->movement);
		return 0;
	}
	PUT_TR(b, "Phong trào ", "Movement ");
	elig_puts(b, cl->movement);
	PUT_TR(b, ": điểm ", ": score ");
	put_dec1(b, v);
	PUT_TR(b, ", hạng ", ", rank ");
	elig_put_int(b, rank);
	PUT_TR(b, " (cần ", " (needs ");
	if (cl->max_rank) {
		PUT_TR(b, "hạng ≤ ", "rank ≤ ");
		elig_put_int(b, cl->max_rank);
	} else {
		PUT_TR(b, "điểm ≥ ", "score ≥ ");
		put_dec1(b, cl->min_points);
	}
	elig_putc(b, ')');
	if (!ok) {
		b = MISS(c, d);
		if (cl->max_rank) {
			PUT_TR(b, "cần đạt hạng ", "needs rank ");
			elig_put_int(b, cl->max_rank);
			PUT_TR(b, " trở lên", " or better");
		} else {
			PUT_TR(b, "cần thêm ", "needs ");
			put_dec1(b, cl->min_points - v);
			PUT_TR(b, " điểm", " more points");
		}
	}
	return ok;
}

/* any / all / not: children at depth d + 1, summarised at depth d. */
static int
cl_logic(struct ectx *c, const struct rclause *cl, int d)
{
	const struct ruleset *rs = c->r->rs;
	int base0 = c->nbased, nkeep = -1, nok = 0, ok;
	uint32_t keep[ELIG_MAXBASED];
	struct sb *b;

	if (d + 1 >= ELIG_MAXDEPTH)
		return 0;
	if (c->explain && cl->kind == CL_ANY)
		PUT_TR(TXT(c, d), "Ít nhất một trong các điều kiện", "At least one of");
	else if (c->explain && cl->kind == CL_ALL)
		PUT_TR(TXT(c, d), "Tất cả các điều kiện", "All of");
	else if (c->explain)
		PUT_TR(TXT(c, d), "Không được thỏa điều kiện", "None of");
	for (int i = 0; i < cl->nkid; i++) {
		int kok;
		const struct xbuf *x;

		if (cl->kind == CL_ANY)
			c->nbased = base0;
		kok = elig_eval(c, rs->kids[cl->kid0 + i], d + 1);
		x = xb_of(c, d + 1);
		nok += kok;
		if (cl->kind == CL_ANY && kok && (nkeep < 0 || (nkeep > 0 && c->nbased == base0))) {
			nkeep = c->nbased - base0;
			memcpy(keep, c->based + base0, nkeep * sizeof *keep);
		}
		if (c->explain) {
			if (SHOW_EV(c, d)) {
				b = EV(c, d);
				if (kok)
					PUT_LIT(b, "✓ ");
				else
					PUT_LIT(b, "✗ ");
				elig_putn(b, x->text.s, x->text.len);
			}
			if (!kok && x->nmiss > 0 && cl->kind == CL_ANY) {
				/* one requirement: "a; or b" */
				const char *p = x->miss.s, *end = p + x->miss.len, *q;

				b = &c->xb[d].miss;
				if (c->xb[d].nmiss++ > 0)
					PUT_TR(b, "; hoặc ", "; or ");
				while ((q = memchr(p, ELIG_SEP, end - p)) != NULL) {
					elig_putn(b, p, q - p);
					PUT_LIT(b, "; ");
					p = q + 1;
				}
				elig_putn(b, p, end - p);
				c->xb[d].nmiss = 1;
			} else if (!kok && x->nmiss > 0 && cl->kind == CL_ALL) {
				b = MISS(c, d);
				elig_putn(b, x->miss.s, x->miss.len);
				c->xb[d].nmiss += x->nmiss - 1;
			}
		} else if (cl->kind == CL_ANY && kok && nkeep == 0)
			break;	/* a path without innovations: the preferred one */
		else if (cl->kind != CL_ANY && !kok)
			break;
	}
	if (cl->kind == CL_ANY) {
		c->nbased = base0;
		ok = nkeep >= 0;
		if (ok) {
			memcpy(c->based + base0, keep, nkeep * sizeof *keep);
			c->nbased = base0 + nkeep;
		}
	} else if (cl->kind == CL_ALL) {
		ok = nok == cl->nkid;
		if (!ok)
			c->nbased = base0;
	} else {
		c->nbased = base0;
		ok = nok < cl->nkid;
		if (!ok && c->explain) {
			b = MISS(c, d);
			PUT_TR(b, "không được thỏa: ", "must not meet: ");
			elig_putn(b, xb_of(c, d + 1)->text.s, xb_of(c, d + 1)->text.len);
		}
	}
	return ok;
}

/*
 * ---- keys: what a clause's explanation depends on ----
 * elig_key() gives, for the kinds whose explanation is fully determined
 * by a few words, those words; results are sorted into classes by them
 * (elig-class.c). A kind, or a subject, whose explanation depends on
 * more (the subject's own innovations, discipline records, members,
 * scores, incidents) has no key: -1.
 */
typedef int (*key_fn)(struct ectx *, const struct rclause *, int d,
    uint64_t *key, int max);

static int
key_windowed(struct ectx *c, const struct rclause *cl, int d, uint64_t *key, int max)
{
	return max < WMEMO_KEY ? -1 : windowed_key(c, cl, d, key);
}

/* The joining day (the year is the run's). */
static int
key_tenure(struct ectx *c, const struct rclause *cl, int d, uint64_t *key, int max)
{
	const struct elig_snap *sn = c->r->sn;

	size_t p = c->s - sn->nunit;

	if (max < 2 || (is_person(sn, c->s) && has_service(sn, p)))
		return -1;	/* (service periods: explained anew) */
	key[0] = key_head(c, cl, d);
	key[1] = !is_person(sn, c->s) ? UINT64_MAX : (uint32_t)sn->joined[p] |
	    (rules_tenure_simple(cl) ? 0 : (uint64_t)sn->sex[p] << 32);
	return 2;
}

/* A subject with no discipline record at all. */
static int
key_no_discipline(struct ectx *c, const struct rclause *cl, int d, uint64_t *key, int max)
{
	const struct elig_snap *sn = c->r->sn;

	if (max < 1 || sn->disc_off[c->s] < sn->disc_off[c->s + 1])
		return -1;
	key[0] = key_head(c, cl, d);
	return 1;
}

/*
 * any / all / not: the clause, then each child's key (each child's key
 * has a length its clause and first word determine, so none is needed).
 */
static int
key_logic(struct ectx *c, const struct rclause *cl, int d, uint64_t *key, int max)
{
	int n = 1;

	if (max < 1 || d + 1 >= ELIG_MAXDEPTH)
		return -1;
	key[0] = key_head(c, cl, d);
	for (int i = 0; i < cl->nkid; i++) {
		int k = n < max ? elig_key(c, c->r->rs->kids[cl->kid0 + i], d + 1,
		    key + n, max - n) : -1;

		if (k < 0)
			return -1;
		n += k;
	}
	return n;
}

/*
 * A subject without a score in the clause's movement: its sentence names
 * only the movement, the year and whether the module is there.
 */
static int
key_score(struct ectx *c, const struct rclause *cl, int d, uint64_t *key, int max)
{
	const struct elig_scores *sc = scores_of(c->r->sn, cl->movement);

	if (max < 1 || (sc != NULL && sc->score != NULL && !isnan(sc->score[c->s])))
		return -1;
	key[0] = key_head(c, cl, d);
	return 1;
}

static const key_fn key_fns[CL__MAX] = {
	[CL_RATING] = key_windowed, [CL_AWARD] = key_windowed,
	[CL_INNOVATIONS] = key_innovations, [CL_TENURE] = key_tenure,
	[CL_NO_DISCIPLINE] = key_no_discipline, [CL_SCORE] = key_score,
	[CL_ANY] = key_logic, [CL_ALL] = key_logic, [CL_NOT] = key_logic,
};

int
elig_key(struct ectx *c, int ci, int d, uint64_t *key, int max)
{
	const struct rclause *cl = &c->r->rs->cl[ci];
	key_fn fn = key_fns[cl->kind];

	return fn != NULL ? fn(c, cl, d, key, max) : -1;
}

static const clause_fn clause_fns[CL__MAX] = {
	[CL_RATING] = cl_windowed, [CL_AWARD] = cl_windowed,
	[CL_INNOVATIONS] = cl_innovations, [CL_TENURE] = cl_tenure,
	[CL_NO_DISCIPLINE] = cl_no_discipline, [CL_NO_INCIDENT] = cl_no_incident,
	[CL_MEMBERS] = cl_members, [CL_SCORE] = cl_score,
	[CL_ANY] = cl_logic, [CL_ALL] = cl_logic, [CL_NOT] = cl_logic,
};

int
elig_eval(struct ectx *c, int ci, int d)
{
	const struct rclause *cl = &c->r->rs->cl[ci];

	c->nclauses++;
	if (c->explain) {
		struct xbuf *x = &c->xb[d];

		elig_reset(&x->text);
		elig_reset(&x->ev);
		elig_reset(&x->miss);
		x->nev = x->nmiss = 0;
		x->memo = NULL;
	}
	return clause_fns[cl->kind](c, cl, d);
}

void
elig_ectx_init(struct ectx *c, struct elig_run *r)
{
	memset(c, 0, sizeof *c);
	c->r = r;
	c->evsep = (struct lit)LIT("\x1f");
	c->since.s = SIZE_MAX;
	for (int a = 0; a < r->rs->naward; a++)
		c->aw[a] = lit_of(r->rs->awards[a].code);
	for (int i = 0; i < RT__MAX; i++)
		c->rating[i] = lit_of(rules_rating_names[i]);
	for (int i = 0; i < CL__MAX; i++)
		c->clause[i] = lit_of(rules_clause_names[i]);
	for (int i = 0; i <= EV_HELD; i++)
		c->verdict[i] = lit_of(elig_verdict_names[i]);
	for (int d = 0; d < ELIG_MAXDEPTH; d++)
		xbuf_init(&c->xb[d]);
}

void
elig_ectx_free(struct ectx *c)
{
	for (unsigned i = 0; c->wmemo != NULL && i < c->wmemo->nslot; i++)
		if (c->wmemo->slot[i].x.text.s != NULL)
			xbuf_free(&c->wmemo->slot[i].x);
	free(c->wmemo);
	for (int d = 0; d < ELIG_MAXDEPTH; d++)
		xbuf_free(&c->xb[d]);
}
