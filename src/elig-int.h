/*
 * elig-int.h: private to the eligibility engine (elig.c, elig-run.c,
 * elig-svc.c). The clause evaluator works in two modes: fast (verdicts
 * only) and explaining (the same decisions, plus text, evidence and what
 * is missing, written into per-depth scratch buffers).
 */
#ifndef THIDUA_ELIG_INT_H
#define THIDUA_ELIG_INT_H

#include <string.h>

#include "elig.h"
#include "util.h"

#define ELIG_MAXBASED	16
#define ELIG_MAXDEPTH	8
#define ELIG_SEP	'\x1f'	/* separates items in xbuf.miss */

/* A string and its length (names written many times, without strlen). */
struct lit {
	const char	*s;
	size_t		 n;
};
#define LIT(s)		{ (s), sizeof(s) - 1 }

/*
 * One clause's explanation: a sentence, evidence items, missing items.
 * Evidence is only shown for the root's clauses (depth 1), so it is only
 * built there, its items joined by ectx.evsep: ready to be written out.
 * A clause whose explanation was remembered points to it (memo) instead
 * of copying it: read an explanation through xb_of(), before the next
 * clause is evaluated. A remembered explanation also keeps the clause as
 * the writer wrote it the first time (shown; empty until then).
 */
struct xbuf {
	struct sb	 text, ev, miss;
	int		 nev, nmiss;
	struct xbuf	*memo;
	struct sb	 shown;
};

struct ectx {
	struct elig_run	*r;
	int		 a;		/* the award evaluated */
	size_t		 s;		/* the subject */
	int		 explain;	/* fill xb[] */
	uint32_t	 based[ELIG_MAXBASED];
	int		 nbased;
	long long	 nclauses;	/* evaluations by this context */
	struct xbuf	 xb[ELIG_MAXDEPTH];
	struct lit	 evsep;		/* between evidence items */
	struct lit	 aw[RULES_MAX_AWARDS];	/* award codes */
	struct lit	 rating[RT__MAX];	/* rating names */
	struct lit	 clause[CL__MAX];	/* clause kind names */
	struct lit	 verdict[EV_HELD + 1];	/* verdict names */
	struct {			/* where the last tenure clause explained */
		size_t	 m0, m1;	/* wrote the months (in xbuf text), */
		size_t	 j0, r0;	/* the joining day (ev) and the day the
					 * months are reached (miss); SIZE_MAX none */
	}		 tenure;
	struct {			/* the last since_award year found: */
		size_t	 s;		/* for this subject (SIZE_MAX none), */
		int	 a, award, y;	/* award evaluated, since_award */
	}		 since;
	struct wmemo	*wmemo;		/* explained rating/award clauses (elig.c) */
};

/*
 * The slots of a thread's direct-mapped table (the class keys, the
 * explanations it remembers) for a run over nsubj subjects: one for each
 * per of them, a power of two from lo to hi. Each table is written as
 * allocated (xcalloc_touched); at 10,000 people the tables sized for a
 * million were a third of a run's page faults, its slots mostly unused.
 */
static inline unsigned
elig_slots(size_t nsubj, size_t per, unsigned lo, unsigned hi)
{
	unsigned n = lo;

	while (n < hi && n < nsubj / per)
		n <<= 1;
	return n;
}

/* Evaluate clause ci at depth d (explanations into c->xb[d]). 1 ok, 0 not. */
int	 elig_eval(struct ectx *, int ci, int d);
/*
 * The key of clause ci's explanation at depth d for c's subject when
 * explaining (c->explain set): at most max words into key that determine
 * its sentence, evidence, missing items and outcome, so that the same key
 * means the same explanation within one run, format and language; their
 * number, or -1 when no such key is known for this kind or subject.
 */
int	 elig_key(struct ectx *, int ci, int d, uint64_t *key, int max);
/*
 * Result classes (elig-class.c): a table per engine thread (thread of
 * nthread), whose keys may leave a person's root tenure clause a hole
 * (holes: not for CSV, whose clauses are one quoted field).
 * eclass_decide() evaluates c's subject for award c->a (*ok, and c->based
 * as elig_eval leaves it), or takes the outcome of its class: the class
 * id among the award's (the low bit set when it has a hole) or 0 when it
 * has none. A NULL table only evaluates.
 */
struct eclass;
struct eclass	*eclass_new(int thread, int nthread, int holes, size_t nsubj);
void		 eclass_free(struct eclass *);
uint16_t	 eclass_decide(struct eclass *, struct ectx *c, int *ok);
/* How many outcomes the table took from a class. */
long long	 eclass_hits(const struct eclass *);
/* The index among the root's clauses of award a's hole (a class id's low
 * bit), or -1. */
int		 eclass_hole_kid(const struct ruleset *, int a);

/* Whether n words of keys a and b are equal (a loop: keys are a few
 * words, less than a call to memcmp). */
static inline int
elig_same_words(const uint64_t *a, const uint64_t *b, int n)
{
	int i;

	for (i = 0; i < n && a[i] == b[i]; i++)
		;
	return i == n;
}

/*
 * For a rating, award or innovations clause ci without since_award: the
 * first word of its key at depth d, the same for every subject, and the
 * index (in the snapshot's years) of its window's first year; 1, or 0
 * for any other clause.
 */
int	 elig_key_fixed(struct ectx *, int ci, int d, uint64_t *word, int *yi);

/*
 * The last word of an `ever` rating/award clause cl's key for c's
 * subject: what it had before the snapshot's years that the clause asks
 * for (award bits of the clause's mask, or rating bits at or above its
 * minimum; 0 none).
 */
uint64_t elig_key_ever(const struct ectx *, const struct rclause *);

/*
 * The words after the first of rating/award clause cl's key for c's
 * subject, its window starting at year index yi, into key; their number
 * (at most ELIG_NY). Each year's value, packed: a rating in 4 bits, the
 * awards of the clause held as the bits of its mask, shifted down (bits
 * outside the mask are 0), as many years to a word as fit. Their number
 * follows from the clause and the window, so keys of one clause never
 * run into what follows them.
 */
/*
 * How award mask m's bits are packed: shifted down by *shift, in the
 * width returned (bits outside the mask are 0 then).
 */
static inline int
elig_mask_width(uint64_t m, int *shift)
{
	*shift = m != 0 ? __builtin_ctzll(m) : 0;
	return m >> *shift ? 64 - __builtin_clzll(m >> *shift) : 1;
}

static inline int
elig_key_values(const struct ectx *c, const struct rclause *cl, int yi,
    uint64_t *key)
{
	const struct elig_snap *sn = c->r->sn;
	const uint64_t *row = sn->hist + c->s * ELIG_NY;
	int n = 0, bits = 0, shift, width;
	uint64_t v = 0;

	if (cl->kind == CL_RATING) {
		const uint8_t *rt = sn->rating + c->s * ELIG_NY;

		for (; yi < ELIG_NY; yi++)
			v = v << 4 | rt[yi];
		key[0] = v;
		return 1;
	}
	width = elig_mask_width(cl->awards, &shift);
	if (yi >= ELIG_NY) {
		key[0] = 0;	/* (no year left in the window) */
		return 1;
	}
	for (; yi < ELIG_NY; yi++) {
		if (bits + width > 64) {
			key[n++] = v;
			v = 0;
			bits = 0;
		}
		v = (width < 64 ? v << width : 0) | (row[yi] & cl->awards) >> shift;
		bits += width;
	}
	/* this year's decisions of earlier awards: the last year, lowest bits */
	key[n++] = v | (c->r->now[c->s] & c->r->rs->before[c->a] & cl->awards) >> shift;
	return n;
}

/* Person p's joining day as text (10 bytes, no NUL). */
static inline const char *
elig_joined_text(const struct elig_run *r, size_t p)
{
	return r->sn->joined_text + p * 10;
}
/* The day person p reaches min_months of service, as text. */
void	 elig_reach_text(const struct elig_run *, size_t p, int min_months,
	    char day[11]);

/*
 * An innovation's year, level and kind packed for the authorships of a
 * snapshot (sn->authp, derived with it): the year as an index in the snapshot's years (0 ..
 * ELIG_NY - 1; 0xff when outside them) in the low byte, the level in
 * the next, the kind in the third, whether its benefit is at least 0 in
 * bit 24. So an innovations clause without min_benefit asks whether
 * any of a person's innovations counts from one array in the person's
 * order, not four scattered ones.
 */
static inline uint32_t
elig_authp(const struct elig_snap *sn, uint32_t i)
{
	int yi = sn->iyear[i] - (sn->year - ELIG_NY + 1);

	return (uint32_t)(yi < 0 || yi >= ELIG_NY ? 0xff : yi) |
	    (uint32_t)sn->ilevel[i] << 8 | (uint32_t)sn->ikind[i] << 16 |
	    (uint32_t)(sn->ibenefit[i] >= 0) << 24;
}

/*
 * Whether the innovation packed in x (elig_authp) counts for innovations
 * clause cl (without min_benefit) in a window from year index yi.
 */
static inline int
elig_authp_fit(uint32_t x, const struct rclause *cl, int yi)
{
	return (int)(x & 0xff) >= yi && (x & 0xff) < ELIG_NY &&
	    (int)(x >> 8 & 0xff) >= cl->min && (x >> 24 & 1) &&
	    (!cl->kinds || (cl->kinds >> (x >> 16 & 0xff) & 1));
}

/*
 * Whether any innovation c's subject authored counts for innovations
 * clause cl (without min_benefit) in a window from year index yi, by
 * the snapshot's sn->authp.
 */
static inline int
elig_authp_fits(const struct ectx *c, const struct rclause *cl, int yi)
{
	const struct elig_snap *sn = c->r->sn;
	size_t p = c->s - sn->nunit;

	if (c->s < sn->nunit)
		return 0;	/* (units author nothing) */
	for (uint32_t j = sn->auth_off[p]; j < sn->auth_off[p + 1]; j++)
		if (elig_authp_fit(c->r->sn->authp[j], cl, yi))
			return 1;
	return 0;
}

/* Whole months person p served from joining to the first day after the year. */
static inline int
elig_months(const struct elig_run *r, size_t p)
{
	int ym = (int)(r->sn->joined_ymd[p] >> 5), dd = (int)(r->sn->joined_ymd[p] & 31);

	return (r->sn->year + 1 - ym / 12) * 12 + (1 - (ym % 12 + 1)) - (1 < dd);
}

/*
 * A hole's word for simple tenure clause cl and person p (no service
 * rows): 0 under min_months, 1 within, 2 over max_months.
 */
static inline uint64_t
elig_tenure_state(const struct elig_run *r, size_t p, const struct rclause *cl)
{
	int m = elig_months(r, p);

	return m < cl->min_months ? 0 : cl->max_months && m > cl->max_months ? 2 : 1;
}

/* Whether person p has service periods (tenure reads them, no hole). */
static inline int
elig_has_service(const struct elig_run *r, size_t p)
{
	return r->sn->svc_off[p] < r->sn->svc_off[p + 1];
}

/* The explanation of the clause last evaluated at depth d. */
static inline const struct xbuf *
xb_of(const struct ectx *c, int d)
{
	return c->xb[d].memo != NULL ? c->xb[d].memo : &c->xb[d];
}
/* The open pending discipline that holds s, or NULL. */
const struct elig_disc *elig_held(const struct elig_snap *, size_t s);
#define ELIG_EVAL_THREADS	2
/* The quota scope unit of s for award aw, or -1. */
int32_t	 elig_scope(const struct elig_snap *, size_t s, int ukind);
void	 elig_ectx_init(struct ectx *, struct elig_run *);
void	 elig_ectx_free(struct ectx *);
/* Append an item to a '\x1f'-separated list. */
void	 elig_item_begin(struct sb *, int *n);
void	 elig_put_int_any(struct sb *, long long);
extern const char elig_digit_pairs[201];	/* "00" "01" ... "99" */

/*
 * Fast appends for the hot path: inline when the buffer has room (the
 * common case), literals without strlen, one byte inline.
 */
static inline void
elig_putn(struct sb *b, const char *s, size_t n)
{
	if (b->len + n < b->cap) {
		memcpy(b->s + b->len, s, n);
		b->len += n;
		b->s[b->len] = '\0';
	} else
		sb_putn(b, s, n);
}
static inline void
elig_puts(struct sb *b, const char *s)
{
	elig_putn(b, s, strlen(s));
}
#define PUT_LIT(b, lit)		elig_putn((b), (lit), sizeof(lit) - 1)
#define PUT_L(b, l)		elig_putn((b), (l).s, (l).n)
#define PUT_TR(b, vi, en)	(g_lang == LANG_EN ? PUT_LIT(b, en) : PUT_LIT(b, vi))
static inline void
elig_reset(struct sb *b)
{
	b->len = 0;
	b->s[0] = '\0';
}
static inline void
elig_putc(struct sb *b, char c)
{
	if (b->len + 1 < b->cap) {
		b->s[b->len++] = c;
		b->s[b->len] = '\0';
	} else
		sb_putc(b, c);
}

/* An integer; inline for 0 .. 9999 (years, counts, months). */
static inline void
elig_put_int(struct sb *b, long long v)
{
	const char *pairs = elig_digit_pairs;
	unsigned u = (unsigned)v;
	char *p;

	if (v < 0 || v > 9999 || b->len + 4 >= b->cap) {
		elig_put_int_any(b, v);
		return;
	}
	b->len += 1 + (u >= 10) + (u >= 100) + (u >= 1000);
	p = b->s + b->len;
	*p = '\0';
	if (u >= 100) {
		unsigned d = u % 100 * 2;

		u /= 100;
		*--p = pairs[d + 1];
		*--p = pairs[d];
	}
	if (u >= 10) {
		*--p = pairs[u * 2 + 1];
		*--p = pairs[u * 2];
	} else
		*--p = (char)('0' + u);
}

#endif
