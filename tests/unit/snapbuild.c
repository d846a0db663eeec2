/*
 * snapbuild.c: builds an eligibility snapshot in memory for the engine's
 * tests (snapbuild.h). The rows are kept as given; snb_build() selects
 * and lays them out as the store's loader (store-rules.c) does for one
 * year: units in the order given, then the people serving during the
 * year, the 12-year window of ratings and awards (older ones as `ever`),
 * innovations of the window, service up to the year's end, discipline
 * overlapping the window, incidents of the window sorted by unit.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "snapbuild.h"
#include "util.h"

struct snb_unit { char *code, *parent; int kind, military; };
struct snb_person { char *code, *unit; int cat; int32_t joined, left; uint8_t sex; };
struct snb_pair { char *a, *b; };	/* stay (person, unit); author (innovation, person) */
struct snb_rating { char *subj; int year, rt; };
struct snb_award { char *subj, *award, *based_on; int year; };
struct snb_innov { char *code; int year, kind, level; int64_t benefit; };
struct snb_svc { char *person, *kind; int32_t from, to; double coef; };
struct snb_disc { char *subj; int form; int32_t from, to; };
struct snb_inc { char *unit; int32_t day; int sev; };
struct snb_score { char *movement, *subj; double score; int rank; };

#define VEC(T, name) T *name; size_t n_##name, c_##name
struct snb {
	VEC(struct snb_unit, unit);
	VEC(struct snb_person, person);
	VEC(struct snb_pair, stay);
	VEC(struct snb_pair, author);
	VEC(struct snb_rating, rating);
	VEC(struct snb_award, award);
	VEC(struct snb_innov, innov);
	VEC(struct snb_svc, svc);
	VEC(struct snb_disc, disc);
	VEC(struct snb_inc, inc);
	VEC(struct snb_score, score);
};
/* Append a zeroed element to vector name of b; evaluates to it. */
#define PUSH(b, name) (grow(&(b)->name, &(b)->c_##name, (b)->n_##name + 1, \
	sizeof *(b)->name), memset(&(b)->name[(b)->n_##name], 0, sizeof *(b)->name), \
	&(b)->name[(b)->n_##name++])

static int32_t
day_of(const char *s, int32_t open)
{
	int32_t d;

	if (s == NULL || *s == '\0')
		return open;
	if (date_parse(s, &d) != 0)
		fail_msg("snapbuild: bad date %s", s);
	return d;
}

static int
name_of(const char *const *names, int n, const char *s, const char *what)
{
	int i = rules_name_index(names, n, s);

	if (i < 0)
		fail_msg("snapbuild: unknown %s %s", what, s);
	return i;
}

struct snb *
snb_new(void)
{
	return xcalloc(1, sizeof(struct snb));
}

void
snb_free(struct snb *b)
{
	if (b == NULL)
		return;
	for (size_t i = 0; i < b->n_unit; i++) {
		free(b->unit[i].code);
		free(b->unit[i].parent);
	}
	for (size_t i = 0; i < b->n_person; i++) {
		free(b->person[i].code);
		free(b->person[i].unit);
	}
	for (size_t i = 0; i < b->n_stay; i++) {
		free(b->stay[i].a);
		free(b->stay[i].b);
	}
	for (size_t i = 0; i < b->n_author; i++) {
		free(b->author[i].a);
		free(b->author[i].b);
	}
	for (size_t i = 0; i < b->n_rating; i++)
		free(b->rating[i].subj);
	for (size_t i = 0; i < b->n_award; i++) {
		free(b->award[i].subj);
		free(b->award[i].award);
		free(b->award[i].based_on);
	}
	for (size_t i = 0; i < b->n_innov; i++)
		free(b->innov[i].code);
	for (size_t i = 0; i < b->n_svc; i++) {
		free(b->svc[i].person);
		free(b->svc[i].kind);
	}
	for (size_t i = 0; i < b->n_disc; i++)
		free(b->disc[i].subj);
	for (size_t i = 0; i < b->n_inc; i++)
		free(b->inc[i].unit);
	for (size_t i = 0; i < b->n_score; i++) {
		free(b->score[i].movement);
		free(b->score[i].subj);
	}
	free(b->unit);
	free(b->person);
	free(b->stay);
	free(b->author);
	free(b->rating);
	free(b->award);
	free(b->innov);
	free(b->svc);
	free(b->disc);
	free(b->inc);
	free(b->score);
	free(b);
}

void
snb_unit(struct snb *b, const char *code, const char *parent, const char *kind,
    int military)
{
	struct snb_unit *u = PUSH(b, unit);

	u->code = xstrdup(code);
	u->parent = parent != NULL ? xstrdup(parent) : NULL;
	u->kind = name_of(rules_ukind_names, UK__MAX, kind, "unit kind");
	u->military = military != 0;
}

void
snb_person(struct snb *b, const char *code, const char *unit,
    const char *category, const char *joined)
{
	struct snb_person *p = PUSH(b, person);

	p->code = xstrdup(code);
	p->unit = xstrdup(unit);
	p->cat = name_of(rules_category_names, CAT__MAX, category, "category");
	p->joined = day_of(joined, 0);
	p->left = ELIG_NODAY;
}

static struct snb_person *
person_named(struct snb *b, const char *code)
{
	for (size_t i = 0; i < b->n_person; i++)
		if (strcmp(b->person[i].code, code) == 0)
			return &b->person[i];
	fail_msg("snapbuild: no person %s", code);
	return NULL;
}

void
snb_left(struct snb *b, const char *person, const char *day)
{
	person_named(b, person)->left = day_of(day, ELIG_NODAY);
}

void
snb_sex(struct snb *b, const char *person, char sex)
{
	person_named(b, person)->sex = sex == 'f' ? 2 : sex == 'm' ? 1 : 0;
}

void
snb_stay(struct snb *b, const char *person, const char *unit)
{
	struct snb_pair *s = PUSH(b, stay);

	s->a = xstrdup(person);
	s->b = xstrdup(unit);
}

void
snb_rating(struct snb *b, const char *subject, int year, const char *rating)
{
	struct snb_rating *r = PUSH(b, rating);

	r->subj = xstrdup(subject);
	r->year = year;
	r->rt = name_of(rules_rating_names, RT__MAX, rating, "rating");
	if (r->rt == RT_NONE)
		fail_msg("snapbuild: rating %s", rating);
}

void
snb_award(struct snb *b, const char *subject, int year, const char *award,
    const char *based_on)
{
	struct snb_award *a = PUSH(b, award);

	a->subj = xstrdup(subject);
	a->award = xstrdup(award);
	a->based_on = xstrdup(based_on != NULL ? based_on : "");
	a->year = year;
}

void
snb_innovation(struct snb *b, const char *code, int year, const char *kind,
    const char *level, int64_t benefit)
{
	struct snb_innov *i = PUSH(b, innov);

	i->code = xstrdup(code);
	i->year = year;
	i->kind = name_of(rules_ikind_names, IK__MAX, kind, "innovation kind");
	i->level = name_of(rules_level_names, LV__MAX, level, "level");
	i->benefit = benefit;
}

void
snb_author(struct snb *b, const char *innovation, const char *person)
{
	struct snb_pair *a = PUSH(b, author);

	a->a = xstrdup(innovation);
	a->b = xstrdup(person);
}

void
snb_service(struct snb *b, const char *person, const char *from,
    const char *to, const char *kind, double coef)
{
	struct snb_svc *v = PUSH(b, svc);

	v->person = xstrdup(person);
	v->kind = xstrdup(kind);
	v->from = day_of(from, 0);
	v->to = day_of(to, ELIG_NODAY);
	v->coef = coef;
}

void
snb_discipline(struct snb *b, const char *subject, const char *form,
    const char *from, const char *to)
{
	struct snb_disc *d = PUSH(b, disc);

	d->subj = xstrdup(subject);
	d->form = name_of(rules_dform_names, DF__MAX, form, "discipline form");
	d->from = day_of(from, 0);
	d->to = day_of(to, ELIG_NODAY);
}

void
snb_incident(struct snb *b, const char *unit, const char *day,
    const char *severity)
{
	struct snb_inc *x = PUSH(b, inc);

	x->unit = xstrdup(unit);
	x->day = day_of(day, 0);
	if (strcmp(severity, "serious") == 0)
		x->sev = SEV_SERIOUS;
	else if (strcmp(severity, "minor") == 0)
		x->sev = SEV_MINOR;
	else
		fail_msg("snapbuild: severity %s", severity);
}

void
snb_score(struct snb *b, const char *movement, const char *subject,
    double score, int rank)
{
	struct snb_score *s = PUSH(b, score);

	s->movement = xstrdup(movement);
	s->subj = xstrdup(subject);
	s->score = score;
	s->rank = rank;
}

long
snb_subject(const struct elig_snap *sn, const char *code)
{
	for (size_t s = 0; s < sn->nsubj; s++)
		if (strcmp(sn->arena + sn->code[s], code) == 0)
			return (long)s;
	return -1;
}

/* The subject index of code, failing the test when there is none. */
static long
must_subject(const struct elig_snap *sn, const char *code)
{
	long s = snb_subject(sn, code);

	if (s < 0)
		fail_msg("snapbuild: no subject %s in the year", code);
	return s;
}

static long
innov_index(const struct snb *b, const struct elig_snap *sn, const int32_t *map,
    const char *code)
{
	for (size_t i = 0; i < b->n_innov; i++)
		if (map[i] >= 0 && strcmp(sn->arena + sn->icode[map[i]], code) == 0)
			return map[i];
	return -1;
}

/* The scores of each movement the rule set names, as elig-svc.c loads them. */
static void
build_scores(const struct snb *b, const struct ruleset *rs, struct elig_snap *sn)
{
	const char *names[RULES_MAX_AWARDS + 1];
	int nn = rules_score_movements(rs, names);

	if (nn == 0)
		return;
	sn->scores = xcalloc(nn, sizeof *sn->scores);
	sn->nscores = nn;
	for (int i = 0; i < nn; i++) {
		struct elig_scores *sc = &sn->scores[i];

		snprintf(sc->movement, sizeof sc->movement, "%s", names[i]);
		sc->available = 1;
		for (size_t k = 0; k < b->n_score; k++) {
			long s;

			if (strcmp(b->score[k].movement, names[i]) != 0 ||
			    (s = snb_subject(sn, b->score[k].subj)) < 0)
				continue;
			if (sc->score == NULL) {
				sc->score = xmalloc((sn->nsubj + 1) * sizeof *sc->score);
				sc->rank = xcalloc(sn->nsubj + 1, sizeof *sc->rank);
				for (size_t x = 0; x < sn->nsubj; x++)
					sc->score[x] = NAN;
			}
			sc->score[s] = b->score[k].score;
			sc->rank[s] = b->score[k].rank;
		}
	}
}

static int
svc_cmp(const void *x, const void *y)
{
	const struct elig_svc *a = x, *b = y;

	return (a->from > b->from) - (a->from < b->from);
}

void
snb_build(struct snb *b, const struct ruleset *rs, int year, struct elig_snap *sn)
{
	int y_lo = year - ELIG_NY + 1;
	int32_t d_lo = date_from_ymd(y_lo, 1, 1), d_ystart = date_from_ymd(year, 1, 1),
	    d_end = date_from_ymd(year, 12, 31);
	int32_t *imap;
	size_t *pb, n, k;

	memset(sn, 0, sizeof *sn);
	sn->year = year;
	elig_snap_code(sn, "");	/* offset 0: the empty code */
	/* units, in the order given */
	sn->nunit = b->n_unit;
	sn->code = xcalloc(b->n_unit + b->n_person + 1, sizeof *sn->code);
	sn->parent = xcalloc(sn->nunit + 1, sizeof *sn->parent);
	sn->ukind = xcalloc(sn->nunit + 1, 1);
	sn->military = xcalloc(sn->nunit + 1, 1);
	for (size_t u = 0; u < b->n_unit; u++) {
		sn->code[u] = elig_snap_code(sn, b->unit[u].code);
		sn->ukind[u] = (uint8_t)b->unit[u].kind;
		sn->military[u] = (uint8_t)b->unit[u].military;
	}
	sn->nsubj = sn->nunit;
	for (size_t u = 0; u < b->n_unit; u++)
		sn->parent[u] = b->unit[u].parent == NULL ? -1 :
		    (int32_t)must_subject(sn, b->unit[u].parent);
	/* the people serving during the year */
	sn->category = xcalloc(b->n_person + 1, 1);
	sn->sex = xcalloc(b->n_person + 1, 1);
	sn->joined = xcalloc(b->n_person + 1, sizeof *sn->joined);
	sn->left = xcalloc(b->n_person + 1, sizeof *sn->left);
	sn->home = xcalloc(b->n_person + 1, sizeof *sn->home);
	pb = xcalloc(b->n_person + 1, sizeof *pb);	/* person → builder's row */
	n = 0;
	for (size_t i = 0; i < b->n_person; i++) {
		const struct snb_person *p = &b->person[i];
		long h;

		if (p->joined > d_end || p->left < d_ystart)
			continue;
		if ((h = snb_subject(sn, p->unit)) < 0 || h >= (long)sn->nunit)
			fail_msg("snapbuild: %s: no unit %s", p->code, p->unit);
		sn->code[sn->nunit + n] = elig_snap_code(sn, p->code);
		sn->category[n] = (uint8_t)p->cat;
		sn->sex[n] = p->sex;
		sn->joined[n] = p->joined;
		sn->left[n] = p->left;
		sn->home[n] = (int32_t)h;
		pb[n] = i;
		n++;
	}
	sn->nperson = n;
	sn->nsubj = sn->nunit + n;
	/* stays of the year, in person order; the last is the home */
	sn->stay_off = xcalloc(sn->nperson + 1, sizeof *sn->stay_off);
	sn->stay = xcalloc(b->n_stay + 1, sizeof *sn->stay);
	k = 0;
	for (size_t p = 0; p < sn->nperson; p++) {
		const char *code = b->person[pb[p]].code;	/* (the arena moves) */

		for (size_t i = 0; i < b->n_stay; i++) {
			long u;

			if (strcmp(b->stay[i].a, code) != 0)
				continue;
			u = must_subject(sn, b->stay[i].b);
			if (u >= (long)sn->nunit)
				fail_msg("snapbuild: stay in %s, not a unit", b->stay[i].b);
			sn->stay[k++] = (int32_t)u;
			sn->home[p] = (int32_t)u;
		}
		sn->stay_off[p + 1] = (uint32_t)k;
	}
	/* ratings: the window's years, and before it what was ever had */
	sn->rating = xcalloc(sn->nsubj * ELIG_NY + 1, 1);
	sn->ever_rt = xcalloc(sn->nsubj + 1, 1);
	for (size_t i = 0; i < b->n_rating; i++) {
		const struct snb_rating *r = &b->rating[i];
		long x = snb_subject(sn, r->subj);
		int yi = r->year - y_lo;

		if (x < 0 || r->year > year)
			continue;
		if (yi >= 0)
			sn->rating[(size_t)x * ELIG_NY + yi] = (uint8_t)r->rt;
		else
			sn->ever_rt[x] |= (uint8_t)(1u << r->rt);
	}
	/* innovations of the window, in the order given */
	imap = xmalloc((b->n_innov + 1) * sizeof *imap);
	sn->icode = xcalloc(b->n_innov + 1, sizeof *sn->icode);
	sn->iyear = xcalloc(b->n_innov + 1, sizeof *sn->iyear);
	sn->ilevel = xcalloc(b->n_innov + 1, 1);
	sn->ikind = xcalloc(b->n_innov + 1, 1);
	sn->ibenefit = xcalloc(b->n_innov + 1, sizeof *sn->ibenefit);
	n = 0;
	for (size_t i = 0; i < b->n_innov; i++) {
		const struct snb_innov *v = &b->innov[i];

		imap[i] = -1;
		if (v->year < y_lo || v->year > year)
			continue;
		imap[i] = (int32_t)n;
		sn->icode[n] = elig_snap_code(sn, v->code);
		sn->iyear[n] = (int16_t)v->year;
		sn->ilevel[n] = (uint8_t)v->level;
		sn->ikind[n] = (uint8_t)v->kind;
		sn->ibenefit[n] = v->benefit;
		n++;
	}
	sn->ninnov = n;
	sn->iused = xcalloc(n + 1, sizeof *sn->iused);
	/* authorships, in person order */
	sn->auth_off = xcalloc(sn->nperson + 1, sizeof *sn->auth_off);
	sn->auth = xcalloc(b->n_author + 1, sizeof *sn->auth);
	k = 0;
	for (size_t p = 0; p < sn->nperson; p++) {
		const char *code = b->person[pb[p]].code;	/* (the arena moves) */

		for (size_t i = 0; i < b->n_author; i++) {
			long x;

			if (strcmp(b->author[i].b, code) != 0 ||
			    (x = innov_index(b, sn, imap, b->author[i].a)) < 0)
				continue;
			sn->auth[k++] = (uint32_t)x;
		}
		sn->auth_off[p + 1] = (uint32_t)k;
	}
	/* awards: the window by year, before it `ever`; campaigns never count */
	sn->hist = xcalloc(sn->nsubj * ELIG_NY + 1, sizeof *sn->hist);
	sn->ever = xcalloc(sn->nsubj + 1, sizeof *sn->ever);
	for (size_t i = 0; i < b->n_award; i++) {
		const struct snb_award *a = &b->award[i];
		long x = snb_subject(sn, a->subj);
		int yi = a->year - y_lo, ai = rules_award_index(rs, a->award);
		uint64_t bit;

		if (ai < 0)
			fail_msg("snapbuild: award %s is not in the rule set", a->award);
		if (x < 0 || a->year > year || rs->awards[ai].campaign)
			continue;
		bit = (uint64_t)1 << ai;
		if (yi < 0) {
			sn->ever[x] |= bit;
			continue;
		}
		sn->hist[(size_t)x * ELIG_NY + yi] |= bit;
		for (const char *s = a->based_on; *s != '\0';) {
			size_t len = strcspn(s, ";");
			char code[64];
			long v;

			if (len > 0 && len < sizeof code) {
				memcpy(code, s, len);
				code[len] = '\0';
				if ((v = innov_index(b, sn, imap, code)) >= 0)
					sn->iused[v] |= bit;
			}
			s += len + (s[len] == ';');
		}
	}
	free(imap);
	/* service up to the year's end, in person order, by from */
	sn->svc_off = xcalloc(sn->nperson + 1, sizeof *sn->svc_off);
	sn->svc = xcalloc(b->n_svc + 1, sizeof *sn->svc);
	k = 0;
	for (size_t p = 0; p < sn->nperson; p++) {
		const char *code = b->person[pb[p]].code;	/* (the arena moves) */
		size_t k0 = k;

		for (size_t i = 0; i < b->n_svc; i++) {
			const struct snb_svc *v = &b->svc[i];

			if (strcmp(v->person, code) != 0 || v->from > d_end)
				continue;
			sn->svc[k].from = v->from;
			sn->svc[k].to = v->to;
			sn->svc[k].kind = elig_snap_code(sn, v->kind);
			sn->svc[k].coef = (float)v->coef;
			k++;
		}
		qsort(sn->svc + k0, k - k0, sizeof *sn->svc, svc_cmp);
		sn->svc_off[p + 1] = (uint32_t)k;
	}
	/* discipline overlapping the window, by subject */
	sn->disc_off = xcalloc(sn->nsubj + 1, sizeof *sn->disc_off);
	sn->disc = xcalloc(b->n_disc + 1, sizeof *sn->disc);
	k = 0;
	for (size_t s = 0; s < sn->nsubj; s++) {
		const char *code = s < sn->nunit ? b->unit[s].code :
		    b->person[pb[s - sn->nunit]].code;

		for (size_t i = 0; i < b->n_disc; i++) {
			const struct snb_disc *d = &b->disc[i];

			if (strcmp(d->subj, code) != 0 || d->from > d_end || d->to < d_lo)
				continue;
			sn->disc[k].from = d->from;
			sn->disc[k].to = d->to;
			sn->disc[k].form = (uint8_t)d->form;
			k++;
		}
		sn->disc_off[s + 1] = (uint32_t)k;
	}
	/* incidents of the window, by unit, by day */
	sn->inc = xcalloc(b->n_inc + 1, sizeof *sn->inc);
	for (size_t u = 0; u < sn->nunit; u++) {
		size_t k0 = sn->ninc;

		for (size_t i = 0; i < b->n_inc; i++) {
			const struct snb_inc *x = &b->inc[i];

			if (strcmp(x->unit, b->unit[u].code) != 0 || x->day < d_lo ||
			    x->day > d_end)
				continue;
			sn->inc[sn->ninc].unit = (int32_t)u;
			sn->inc[sn->ninc].day = x->day;
			sn->inc[sn->ninc].severity = (uint8_t)x->sev;
			sn->ninc++;
		}
		for (size_t i = k0 + 1; i < sn->ninc; i++)	/* by day */
			for (size_t j = i; j > k0 && sn->inc[j - 1].day > sn->inc[j].day; j--) {
				struct elig_incident t = sn->inc[j];

				sn->inc[j] = sn->inc[j - 1];
				sn->inc[j - 1] = t;
			}
	}
	free(pb);
	build_scores(b, rs, sn);
	elig_snap_derive(sn);
}

struct ruleset *
snb_rules(const char *yaml)
{
	struct ruleset *rs;
	struct err e;

	memset(&e, 0, sizeof e);
	if ((rs = rules_parse("test.yaml", yaml, strlen(yaml), &e)) == NULL)
		fail_msg("rules: %ld:%ld %s", e.line, e.col, e.msg);
	return rs;
}
