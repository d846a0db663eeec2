/*
 * elig-class.c: result classes. For an award, most subjects get word for
 * word the same result after their code (the same verdict, clauses,
 * evidence and missing items), because everything it says follows from a
 * few facts that the clause keys hold (elig_key in elig.c). The engine
 * works out each result's key once, as it decides the verdict: subjects
 * whose keys are equal share a class, whose outcome is evaluated once,
 * and the writer formats each class once and copies it for the others
 * (elig-svc.c). So neither the engine nor the writer repeats, per
 * subject, what a few thousand classes already say.
 *
 * A result's key is what result_key() writes from elig_key(), clause by
 * clause; the engine gets the same words faster from a program compiled
 * per award and kind of subject (struct kprog), and when the words that
 * depend on the subject fit in 64 bits, from those bits alone (packed).
 * THIDUA_CHECK_KEYS=1 checks every key against result_key().
 *
 * Each engine thread keeps its own tables (direct-mapped caches of keys,
 * compared in full; the hash only picks the slot): a class id is only
 * ever given to keys equal to the one it was made for, and equal keys met
 * by two threads, or again after an eviction, get two ids, which costs
 * the writer a second formatting, nothing else. Ids are per award, 16
 * bits, the lowest telling whether the class leaves a person's tenure
 * clause a hole (the writer fills in each person's months and days).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elig-int.h"

#define ECLASS_MIN	2048	/* slots: elig_slots(subjects, ECLASS_PER, …) */
#define ECLASS_MAX	8192
#define ECLASS_PER	32
#define ECLASS_KEY	96
#define ECLASS_TRIAL	4096	/* lookups before judging an award */

struct eslot {
	uint64_t	 h;		/* 0: empty */
	uint16_t	 id;
	int		 ok;		/* the outcome of the root clause */
	int		 n, cap;	/* key words, allocated */
	uint64_t	*key;
};

/*
 * A result's key, compiled per award and subject kind into steps that
 * write the same words result_key() does (THIDUA_CHECK_KEYS=1 compares
 * them for every result), without asking elig_key() for what is the same
 * for every subject: a window without since_award, the head of an
 * any/all/not, whether a person's tenure is met.
 */
enum kop {
	KO_CALL,	/* elig_key() of clause ci at depth d */
	KO_VALUES,	/* word, then the years' values from year index yi
			 * (and, for an `ever` clause, what came before them) */
	KO_SINCE,	/* word when the subject never held the since_award
			 * award (the window's none), else KO_CALL */
	KO_INNOV,	/* word when none of the subject's innovations counts
			 * (by year from yi, level, kind), else no key */
	KO_HOLE,	/* whether a person served min_months */
	KO_WORD,	/* word */
	KO_NODISC,	/* word, no key when the subject has a discipline record */
};

#define KPROG_STEPS	24
#define PSLOTS		2048	/* a packed program's table */

/*
 * When a program's steps that depend on the subject (the years' values,
 * whether tenure is met) fit together in 64 bits, the key is those bits
 * (packed): every other word of it is the same for every subject of the
 * award and kind. Its classes are then found in a table of the program's
 * own by one word.
 */
struct pslot {
	uint64_t	 v;
	uint16_t	 id;
	uint8_t		 ok, used;
};

struct kprog {
	int		 state;		/* 0 not compiled, 1 steps, 2 result_key(), 3 no key */
	int		 nstep;
	int		 packed;	/* the steps' bits fit in a word */
	struct kstep {
		uint8_t			 op, d;
		uint8_t			 bits;	/* packed: bits of the subject's */
		uint8_t			 ebits;	/* of them, ever's (after the values') */
		int16_t			 yi;
		int			 ci, min_months;
		uint64_t		 word;
		const struct rclause	*cl;
	}		 step[KPROG_STEPS];
	struct pslot	*tab;		/* packed: PSLOTS, allocated on first use */
	uint64_t	**tabkey;	/* THIDUA_CHECK_KEYS: each slot's whole key */
};

struct eclass {
	size_t		 ever_s;	/* the subject whose ledger's awards */
	uint64_t	 ever;		/* of every year ever is (since_never) */
	int		 thread, nthread;
	int		 holes;		/* may leave a tenure clause a hole */
	int		 check;		/* THIDUA_CHECK_KEYS: compare with result_key() */
	struct kprog	 prog[RULES_MAX_AWARDS][2];	/* by award, unit/person */
	struct {
		unsigned	 next;	/* classes made */
		unsigned	 tries, hits;
		int		 off;	/* results rarely repeat: no key */
	}		 aw[RULES_MAX_AWARDS];
	unsigned	 nslot;		/* a power of two */
	struct eslot	 slot[];
};

struct eclass *
eclass_new(int thread, int nthread, int holes, size_t nsubj)
{
	unsigned n = elig_slots(nsubj, ECLASS_PER, ECLASS_MIN, ECLASS_MAX);
	struct eclass *t = xcalloc_touched(1, sizeof *t + n * sizeof *t->slot);

	t->nslot = n;
	t->thread = thread;
	t->nthread = nthread;
	t->holes = holes;
	t->check = getenv("THIDUA_CHECK_KEYS") != NULL;
	t->ever_s = SIZE_MAX;
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
	for (unsigned i = 0; t != NULL && i < t->nslot; i++)
		free(t->slot[i].key);
	for (int a = 0; t != NULL && a < RULES_MAX_AWARDS; a++)
		for (int k = 0; k < 2; k++) {
			struct kprog *p = &t->prog[a][k];

			for (int i = 0; p->tabkey != NULL && i < PSLOTS; i++)
				free(p->tabkey[i]);
			free(p->tabkey);
			free(p->tab);
		}
	free(t);
}

int
eclass_hole_kid(const struct ruleset *rs, int a)
{
	const struct rclause *root = &rs->cl[rs->awards[a].root];

	for (int i = 0; i < root->nkid; i++)
		if (rs->cl[rs->kids[root->kid0 + i]].kind == CL_TENURE &&
		    rules_tenure_simple(&rs->cl[rs->kids[root->kid0 + i]]))
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
		    rules_tenure_simple(&rs->cl[ci]) && n < ECLASS_KEY) {
			if (elig_has_service(c->r, c->s - c->r->sn->nunit))
				return -1;	/* (no hole: explained anew) */
			/* (whether a hole is left follows from the award and
			 * the subject kind, so this word is read as one) */
			*hole = 1;
			key[n++] = elig_tenure_state(c->r, c->s - c->r->sn->nunit,
			    &rs->cl[ci]);
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

/* The head word of clause ci at depth d, as key_head() writes it in keys. */
static uint64_t
head_word(int ci, int d)
{
	return (uint64_t)ci << 1 | (d == 1);
}

/*
 * Steps for clause ci at depth d into p, its key at most *room words
 * long: 1, or 0 when the clause has no key (p->state 3) or the steps do
 * not fit (p->state 2).
 */
static int
compile_clause(struct kprog *p, struct ectx *c, int ci, int d, int *room)
{
	const struct ruleset *rs = c->r->rs;
	const struct rclause *cl = &rs->cl[ci];
	struct kstep *st = &p->step[p->nstep];
	int words = 1, yi;

	if (p->nstep >= KPROG_STEPS) {
		p->state = 2;
		return 0;
	}
	p->nstep++;
	*st = (struct kstep){ .op = KO_CALL, .d = (uint8_t)d, .ci = ci, .cl = cl };
	switch (cl->kind) {
	case CL_RATING:
	case CL_AWARD:
		if (elig_key_fixed(c, ci, d, &st->word, &yi)) {
			st->op = KO_VALUES;
			st->yi = (int16_t)yi;
		} else if (cl->since_award) {
			/* (the key clause_key writes when it was never held) */
			st->op = KO_SINCE;
			st->word = head_word(ci, d) << 32 | 0xffffffffu;
		}
		words = 1 + ELIG_NY + (cl->ever != 0);
		break;
	case CL_INNOVATIONS:
		if (cl->min_benefit == 0 && elig_key_fixed(c, ci, d, &st->word, &yi)) {
			st->op = KO_INNOV;
			st->yi = (int16_t)yi;
		}
		break;
	case CL_TENURE:
		words = 2;
		break;
	case CL_SCORE:
		break;	/* (a key when the subject has no score) */
	case CL_NO_DISCIPLINE:
		st->op = KO_NODISC;
		st->word = head_word(ci, d);
		break;
	case CL_ANY:
	case CL_ALL:
	case CL_NOT:
		if (d + 1 >= ELIG_MAXDEPTH) {
			p->state = 3;
			return 0;
		}
		st->op = KO_WORD;
		st->word = head_word(ci, d);
		for (int i = 0; i < cl->nkid; i++)
			if (!compile_clause(p, c, rs->kids[cl->kid0 + i], d + 1, room))
				return 0;
		break;
	default:
		p->state = 3;	/* (members, incidents: no key) */
		return 0;
	}
	if ((*room -= words) < 0) {
		p->state = 2;
		return 0;
	}
	return 1;
}

/* Whether program p's key packs into a word (p->packed, each step's bits). */
static void
compile_packed(struct kprog *p)
{
	int bits = 0;

	p->packed = 1;
	for (struct kstep *st = p->step; st < p->step + p->nstep; st++) {
		const struct rclause *cl = st->cl;
		int years = ELIG_NY - st->yi, width, shift;

		switch (st->op) {
		case KO_VALUES:
			width = cl->kind == CL_RATING ? 4 :
			    elig_mask_width(cl->awards, &shift);
			/* ever: rating bits (8), or the mask's awards shifted down */
			st->ebits = (uint8_t)(!cl->ever ? 0 : cl->kind == CL_RATING ?
			    8 : elig_mask_width(cl->awards, &shift));
			if (years * width >= 64)
				p->packed = 0;	/* (a word or more: see elig_key_values) */
			else
				st->bits = (uint8_t)((years > 0 ? years * width : 0) +
				    st->ebits);
			break;
		case KO_CALL:
			p->packed = 0;
			break;
		default:
			break;	/* (KO_HOLE: 1 bit; the others: none, or no key) */
		}
		bits += st->bits;
	}
	if (bits > 64)
		p->packed = 0;
}

/*
 * Compile the key of award c->a for c's kind of subject: steps (state 1),
 * or result_key() itself when they do not fit (a long rule: 2), or no
 * key (3). The room left keeps every elig_key() call of result_key()
 * within its bounds, so both write the same words.
 */
static void
compile(struct eclass *t, struct kprog *p, struct ectx *c, int person)
{
	const struct ruleset *rs = c->r->rs;
	const struct rclause *root = &rs->cl[rs->awards[c->a].root];
	int room = ECLASS_KEY - 1, hole = 0;

	p->nstep = 0;
	p->state = 1;
	for (int i = 0; i < root->nkid && p->state == 1; i++) {
		int ci = rs->kids[root->kid0 + i];

		if (hole || !t->holes || !person || rs->cl[ci].kind != CL_TENURE ||
		    !rules_tenure_simple(&rs->cl[ci]))
			compile_clause(p, c, ci, 1, &room);
		else if (p->nstep >= KPROG_STEPS || --room < 0)
			p->state = 2;
		else {
			hole = 1;
			p->step[p->nstep++] = (struct kstep){ .op = KO_HOLE,
			    .ci = ci, .min_months = rs->cl[ci].min_months,
			    .cl = &rs->cl[ci], .bits = rs->cl[ci].max_months ? 2 : 1 };
		}
	}
	if (p->state == 1)
		compile_packed(p);
}

/*
 * Whether c's subject never held the since_award award of clause cl in
 * the snapshot's years, this year's decisions of earlier awards included
 * (as window_of looks for it).
 */
static int
since_never(struct eclass *t, const struct ectx *c, const struct rclause *cl)
{
	if (t->ever_s != c->s) {
		const uint64_t *row = c->r->sn->hist + c->s * ELIG_NY;
		uint64_t m = 0;

		for (int yi = 0; yi < ELIG_NY; yi++)
			m |= row[yi];
		t->ever_s = c->s;
		t->ever = m;
	}
	return !((t->ever | (c->r->now[c->s] & c->r->rs->before[c->a])) >>
	    (cl->since_award - 1) & 1);
}

/* Whether c's subject has a discipline record (no key then). */
static int
has_discipline(const struct ectx *c)
{
	return c->r->sn->disc_off[c->s] < c->r->sn->disc_off[c->s + 1];
}

/* A value wider than its step's bits (a bug): said, and no key. */
static int
overflow(const struct ectx *c)
{
	fprintf(stderr, "thidua: packed key of %s for award %s: a value "
	    "wider than its bits\n", c->r->sn->arena + c->r->sn->code[c->s],
	    c->r->rs->awards[c->a].code);
	if (getenv("THIDUA_CHECK_KEYS") != NULL)
		abort();
	return -1;
}

/*
 * Run packed program p for c's subject: its bits into *v; 0, or -1 no
 * key, or -2 when its key is not packed (a since_award award held: see
 * decide_words).
 */
static int
run_packed(struct eclass *t, const struct kprog *p, struct ectx *c, uint64_t *v,
    int *hole)
{
	uint64_t x = 0, w;

	*hole = 0;
	for (const struct kstep *st = p->step; st < p->step + p->nstep; st++)
		switch (st->op) {
		case KO_VALUES: {
			int vbits = st->bits - st->ebits, shift;

			if (vbits > 0) {
				elig_key_values(c, st->cl, st->yi, &w);
				if ((w >> vbits) != 0)
					return overflow(c);	/* (never: compile_packed counts them) */
				x = x << vbits | w;
			}
			if (st->ebits > 0) {
				w = elig_key_ever(c, st->cl);
				if (st->cl->kind == CL_AWARD) {
					elig_mask_width(st->cl->awards, &shift);
					w >>= shift;
				}
				if ((w >> st->ebits) != 0)
					return overflow(c);
				x = x << st->ebits | w;
			}
			break;
		}
		case KO_INNOV:
			if (elig_authp_fits(c, st->cl, st->yi))
				return -1;
			break;
		case KO_HOLE:
			if (elig_has_service(c->r, c->s - c->r->sn->nunit))
				return -1;
			*hole = 1;
			x = x << st->bits | elig_tenure_state(c->r,
			    c->s - c->r->sn->nunit, st->cl);
			break;
		case KO_NODISC:
			if (has_discipline(c))
				return -1;
			break;
		case KO_SINCE:
			if (!since_never(t, c, st->cl))
				return -2;
			break;
		default:
			break;
		}
	*v = x;
	return 0;
}

/* Run program p for c's subject (see result_key). */
static int
run_prog(struct eclass *t, const struct kprog *p, struct ectx *c, int person,
    uint64_t *key, int *hole)
{
	const struct elig_snap *sn = c->r->sn;
	size_t pi = c->s - sn->nunit;
	int n = 1, k;

	*hole = 0;
	key[0] = (uint64_t)c->a << 1 | (uint64_t)person;
	for (const struct kstep *st = p->step; st < p->step + p->nstep; st++)
		switch (st->op) {
		case KO_VALUES:
			key[n++] = st->word;
			n += elig_key_values(c, st->cl, st->yi, key + n);
			if (st->cl->ever)
				key[n++] = elig_key_ever(c, st->cl);
			break;
		case KO_INNOV:
			if (elig_authp_fits(c, st->cl, st->yi))
				return -1;
			key[n++] = st->word;
			break;
		case KO_SINCE:
			if (since_never(t, c, st->cl)) {
				key[n++] = st->word;
				break;
			}
			/* FALLTHROUGH */
		case KO_CALL:
			c->explain = 1;
			k = elig_key(c, st->ci, st->d, key + n, ECLASS_KEY - n);
			c->explain = 0;
			if (k < 0)
				return -1;
			n += k;
			break;
		case KO_HOLE:
			if (elig_has_service(c->r, pi))
				return -1;
			*hole = 1;
			key[n++] = elig_tenure_state(c->r, pi, st->cl);
			break;
		case KO_NODISC:
			if (has_discipline(c))
				return -1;
			/* FALLTHROUGH */
		case KO_WORD:
			key[n++] = st->word;
			break;
		}
	return n;
}

/* The key of c's subject's result (see result_key), by its award's program. */
static int
key_of(struct eclass *t, struct kprog *p, struct ectx *c, int person,
    uint64_t *key, int *hole)
{
	int n, n2, hole2;
	uint64_t key2[ECLASS_KEY];

	if (p->state == 3)
		return -1;
	if (p->state == 2)
		return result_key(t, c, key, hole);
	n = run_prog(t, p, c, person, key, hole);
	if (t->check) {
		n2 = result_key(t, c, key2, &hole2);
		if (n2 != n || (n >= 0 && (hole2 != *hole ||
		    !elig_same_words(key, key2, n)))) {
			fprintf(stderr, "thidua: key of %s for award %s: %d words, "
			    "result_key %d\n", c->r->sn->arena + c->r->sn->code[c->s],
			    c->r->rs->awards[c->a].code, n, n2);
			abort();
		}
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

/* A new class of award a with hole bit hole: its id (0 past 16 bits). */
static uint16_t
new_id(struct eclass *t, int a, int hole)
{
	/* ids, per award: never 0, distinct between threads, the hole in the
	 * low bit; past 16 bits, none (the writer writes such results anew) */
	uint32_t id = ((++t->aw[a].next * (uint32_t)t->nthread + (uint32_t)t->thread) << 1) |
	    (uint32_t)hole;

	return id <= UINT16_MAX ? (uint16_t)id : 0;
}

/* c's result evaluated outside any class: 0, its outcome in *ok. */
static uint16_t
no_class(struct ectx *c, int *ok)
{
	*ok = elig_eval(c, c->r->rs->awards[c->a].root, 0);
	return 0;
}

/*
 * c's result for a key not met before, evaluated (*ok): whether it may
 * make a class (a keyed result rests on no innovation). An award whose
 * lookups mostly miss stops being keyed after a trial.
 */
static int
evaluate_new(struct eclass *t, struct ectx *c, int *ok)
{
	if (++t->aw[c->a].tries == ECLASS_TRIAL)
		t->aw[c->a].off = t->aw[c->a].hits < ECLASS_TRIAL / 4;
	*ok = elig_eval(c, c->r->rs->awards[c->a].root, 0);
	return c->nbased == 0;
}

/* THIDUA_CHECK_KEYS: a packed word stands for one whole key. */
static void
check_packed(struct eclass *t, struct kprog *p, struct ectx *c, int person,
    size_t i, int hit)
{
	uint64_t key[ECLASS_KEY];
	int hole, n = key_of(t, p, c, person, key, &hole);

	if (p->tabkey == NULL)
		p->tabkey = xcalloc(PSLOTS, sizeof *p->tabkey);
	if (!hit || p->tabkey[i] == NULL) {
		free(p->tabkey[i]);
		p->tabkey[i] = xmalloc((n + 1) * sizeof *key);
		p->tabkey[i][0] = (uint64_t)n;
		memcpy(p->tabkey[i] + 1, key, n * sizeof *key);
	} else if (p->tabkey[i][0] != (uint64_t)n ||
	    !elig_same_words(p->tabkey[i] + 1, key, n)) {
		fprintf(stderr, "thidua: packed key of %s for award %s stands "
		    "for two keys\n", c->r->sn->arena + c->r->sn->code[c->s],
		    c->r->rs->awards[c->a].code);
		abort();
	}
}

/* eclass_decide() by the key's words. */
static uint16_t
decide_words(struct eclass *t, struct kprog *p, struct ectx *c, int person,
    int *ok)
{
	uint64_t key[ECLASS_KEY], h;
	struct eslot *e;
	int n, hole;

	if ((n = key_of(t, p, c, person, key, &hole)) < 0)
		return no_class(c, ok);
	h = key_hash(key, n);
	e = &t->slot[h & (t->nslot - 1)];
	if (e->h == h && same_key(e, key, n)) {
		t->aw[c->a].hits++;
		*ok = e->ok;
		return e->id;
	}
	if (!evaluate_new(t, c, ok))
		return 0;
	if (e->cap < n) {
		free(e->key);
		e->cap = n < 24 ? 24 : n;
		e->key = xmalloc(e->cap * sizeof *e->key);
	}
	memcpy(e->key, key, n * sizeof *key);
	e->n = n;
	e->h = h;
	e->ok = *ok;
	e->id = new_id(t, c->a, hole);
	return e->id;
}

/* eclass_decide() for a packed program. */
static uint16_t
decide_packed(struct eclass *t, struct kprog *p, struct ectx *c, int person,
    int *ok)
{
	uint64_t v = 0;
	struct pslot *e;
	size_t i;
	int hole;

	switch (run_packed(t, p, c, &v, &hole)) {
	case -1:
		return no_class(c, ok);
	case -2:
		return decide_words(t, p, c, person, ok);
	}
	if (p->tab == NULL)
		p->tab = xcalloc_touched(PSLOTS, sizeof *p->tab);
	i = (size_t)((v * 0x9e3779b97f4a7c15u) >> 53) % PSLOTS;	/* (11 bits) */
	e = &p->tab[i];
	if (e->used && e->v == v) {
		t->aw[c->a].hits++;
		if (t->check)
			check_packed(t, p, c, person, i, 1);
		*ok = e->ok;
		return e->id;
	}
	if (!evaluate_new(t, c, ok))
		return 0;
	if (t->check)
		check_packed(t, p, c, person, i, 0);
	e->v = v;
	e->used = 1;
	e->ok = (uint8_t)*ok;
	e->id = new_id(t, c->a, hole);
	return e->id;
}

uint16_t
eclass_decide(struct eclass *t, struct ectx *c, int *ok)
{
	struct kprog *p;
	int person = c->s >= c->r->sn->nunit;

	if (t == NULL || t->aw[c->a].off)
		return no_class(c, ok);
	p = &t->prog[c->a][person];
	if (p->state == 0)
		compile(t, p, c, person);
	if (p->state == 1 && p->packed)
		return decide_packed(t, p, c, person, ok);
	return decide_words(t, p, c, person, ok);
}
