/*
 * demo.c: the generator of the Z121 demo (illustrative data). One seeded
 * PRNG (xorshift64*) drives every choice, so the output depends only on
 * the run date. The organisation, people, ratings and awards, innovations,
 * discipline, incidents, indicators, key tasks with progress, records and
 * movements are written as the import kinds' CSV and the movements' YAML;
 * demo-load.c loads them. Award history follows the default rule set's
 * criteria year by year (CONTRACT.md), so eligibility on the demo is
 * plausible. Text is our own; facts follow the article (docs/demo.md).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "demo.h"
#include "demo-int.h"

#define MAXP	1700
#define MAXU	64
#define MAXIN	1200
#define SHOP_UNIT(s) (1 + 4 * (s))	/* unit index of workshop s */

enum { K_UNITS, K_PEOPLE, K_INNOV, K_INNOV_DET, K_RATINGS, K_AWARDS,
	K_DISC, K_INCID, K_IND, K_IND_T, K_TASKS, K_LINKS, K_PROGRESS,
	K_RECORDS, K__N };
static const char *const kind_names[K__N] = { "units", "people",
    "innovations", "innovation-details", "ratings", "awards", "discipline",
    "incidents", "indicators", "indicator-targets", "tasks", "task-links",
    "progress", "records" };
static const char *const headers[K__N] = {
	"code,name,parent,kind,bloc,military\n",
	"code,name,unit,category,joined\n",
	"code,kind,title,year,level,authors,benefit\n",
	"code,recognised_on,scope,unit,shares\n",
	"year,subject,rating\n",
	"year,subject,award,decision,date,based_on\n",
	"subject,form,from,to\n",
	"unit,date,severity,description\n",
	"year,unit,indicator,value\n",
	"year,unit,indicator,target\n",
	"code,name,unit,quantity,start,due,product,customer,hard\n",
	"task,depends_on,lag_days\n",
	"task,date,quantity\n",
	"subject,metric,date,value\n",
};

enum cat { C_OFFICER, C_PROSOLDIER, C_WORKER, C_EMPLOYEE };
static const char *const cat_names[] = { "officer", "professional_soldier",
    "defence_worker", "employee" };
static const char *const rating_names[] = { "", "HTXSNV", "HTTNV", "HTNV",
    "KHTNV" };

/* Flags per person-year. */
#define F_BASE		0x01	/* LDTT or CSTT */
#define F_CSTDCS	0x02
#define F_BKBQP		0x04
#define F_CSTDTQ	0x08
#define F_DISC		0x10	/* discipline overlaps the year */

struct unit {
	char	 code[16];
	int	 parent;		/* index, -1 for the root */
	int	 shop;			/* workshop index, -1 */
	int	 military;
	int	 kind;			/* 0 enterprise, 1 workshop, 2 team, 3 dept, 4 union */
	double	 q;
};

struct person {
	char	 code[12];
	int	 unit;
	enum cat cat;
	int32_t	 joined;
	double	 q;
};

struct innov {
	char	 code[20];
	int	 kind;			/* 0 initiative, 1 research, 2 mechanisation */
	int	 level;			/* 0 base, 1 ministry, 2 national */
	int	 year;
	int	 shop;
	int32_t	 recognised;
	int	 author[4];
	int	 na;
	int	 used;			/* a CSTDCS rests on it */
};

struct gen {
	uint64_t	 s;
	struct demo_data *d;
	struct sb	*k;		/* d->csv, indexed by K_* */
	int		 y0, y1, ny;
	int32_t		 today;
	struct unit	 u[MAXU];
	int		 nu;
	struct person	*p;
	int		 np;
	uint8_t		*rating;	/* np × ny: 1..4, 0 not rated */
	uint8_t		*flag;		/* np × ny: F_* */
	int16_t		*first_in;	/* np × ny: first innovation authored, -1 */
	uint8_t		*nin, *nmin;	/* np × ny: innovations, of ministry level+ */
	struct innov	*in;
	int		 nin_all;
	/* each past year's first (hard) task, the target of a raid */
	char		 raid_name[DEMO_MAXMV][128];
	int32_t		 raid_start[DEMO_MAXMV];
	int		 raid_shop[DEMO_MAXMV];
	long		 decision;
};

/* ---- randomness ---- */

static uint64_t
rnd(struct gen *g)
{
	g->s ^= g->s >> 12;
	g->s ^= g->s << 25;
	g->s ^= g->s >> 27;
	return g->s * 0x2545F4914F6CDD1Dull;
}

static double
unif(struct gen *g)
{
	return (double)(rnd(g) >> 11) / 9007199254740992.0;
}

static int
irange(struct gen *g, int lo, int hi)
{
	return lo + (int)(rnd(g) % (uint64_t)(hi - lo + 1));
}

static size_t
listlen(const char *const *l)
{
	size_t n = 0;

	while (l[n])
		n++;
	return n;
}

static const char *
pick(struct gen *g, const char *const *l)
{
	return l[rnd(g) % listlen(l)];
}

/* ---- small writers ---- */

static void
date_put(struct sb *b, int32_t day)
{
	char buf[11];

	date_format(day, buf);
	sb_puts(b, buf);
}

static void
row_count(struct gen *g, int k)
{
	g->d->rows[k]++;
}

static int
idx(const struct gen *g, int p, int y)
{
	return p * g->ny + (y - g->y0);
}

/* ---- organisation ---- */

static int
add_unit(struct gen *g, const char *code, const char *name, int parent,
    int kind, const char *bloc, int military, int shop)
{
	static const char *const kinds[] = { "enterprise", "workshop", "team",
	    "department", "union" };	/* by struct unit's kind */
	struct unit *u = &g->u[g->nu];
	struct sb *b = &g->k[K_UNITS];

	snprintf(u->code, sizeof u->code, "%s", code);
	u->parent = parent;
	u->kind = kind;
	u->military = military;
	u->shop = shop;
	u->q = 0.35 + 0.5 * unif(g);
	sb_csv_field(b, code);
	sb_putc(b, ',');
	sb_csv_field(b, name);
	sb_printf(b, ",%s,%s,%s,%d\n", parent >= 0 ? g->u[parent].code : "",
	    kinds[kind],
	    bloc ? bloc : "", military);
	row_count(g, K_UNITS);
	return g->nu++;
}

static void
gen_units(struct gen *g)
{
	int root = add_unit(g, "Z121", "Nhà máy Z121 (dữ liệu minh họa)", -1,
	    0, NULL, 1, -1);

	g->u[root].q = 0.85;
	for (int s = 0; s < DEMO_NSHOPS; s++) {
		const struct demo_shop *sh = &demo_shops[s];
		int w = add_unit(g, sh->code, sh->name, root, 1, sh->bloc,
		    sh->military, s);

		for (int t = 1; t <= 3; t++) {
			char code[16], name[160];

			snprintf(code, sizeof code, "%s-T%d", sh->code, t);
			snprintf(name, sizeof name, "Tổ sản xuất %d – %s", t,
			    sh->code);
			add_unit(g, code, name, w, 2, sh->bloc, sh->military, s);
		}
	}
	for (int i = 0; i < DEMO_NDEPTS; i++)
		add_unit(g, demo_depts[i].code, demo_depts[i].name, root, 3,
		    "co-quan", 1, -1);
	add_unit(g, "CD", "Công đoàn Nhà máy Z121", root, 4, "doan-the", 0, -1);
	add_unit(g, "DTN", "Đoàn Thanh niên Nhà máy Z121", root, 4, "doan-the",
	    0, -1);
	/* A4 leads (workshop s is unit 1 + 4 s, its teams follow it). */
	g->u[SHOP_UNIT(3)].q = 0.9;
}

/* ---- people ---- */

static enum cat
draw_cat(struct gen *g, const struct unit *u)
{
	/* officer, professional soldier, defence worker (percent cut-offs) */
	static const int office[3] = { 35, 60, 90 }, mil[3] = { 3, 13, 83 },
	    eco[3] = { 2, 7, 47 };
	const int *t = u->kind == 3 || u->kind == 0 ? office :
	    u->military ? mil : eco;
	int x = irange(g, 0, 99);

	return x < t[0] ? C_OFFICER : x < t[1] ? C_PROSOLDIER :
	    x < t[2] ? C_WORKER : C_EMPLOYEE;
}

static void
person_name(struct gen *g, char *out, size_t sz)
{
	int female = unif(g) < 0.38, tot = 0, x, i;

	for (i = 0; demo_family[i]; i++)
		tot += demo_family_weight[i];
	x = irange(g, 0, tot - 1);
	for (i = 0; x >= demo_family_weight[i]; i++)
		x -= demo_family_weight[i];
	snprintf(out, sz, "%s %s %s", demo_family[i],
	    pick(g, female ? demo_middle_f : demo_middle_m),
	    pick(g, female ? demo_given_f : demo_given_m));
}

static void
add_people(struct gen *g, int unit, int n)
{
	struct sb *b = &g->k[K_PEOPLE];

	for (int i = 0; i < n && g->np < MAXP; i++) {
		struct person *p = &g->p[g->np];
		char name[96];
		int y;

		snprintf(p->code, sizeof p->code, "P%04d", g->np + 1);
		p->unit = unit;
		p->cat = draw_cat(g, &g->u[unit]);
		/* Hire years spread over 1986 .. this year; a few are new. */
		if (unif(g) < 0.025)
			p->joined = g->today - irange(g, 20, 200);
		else {
			y = irange(g, 1986, g->y1 - 1);
			p->joined = date_from_ymd(y, irange(g, 1, 12),
			    irange(g, 1, 28));
		}
		p->q = 0.5 * g->u[unit].q + 0.5 * (unif(g) + unif(g) +
		    unif(g)) / 3;
		person_name(g, name, sizeof name);
		sb_printf(b, "%s,", p->code);
		sb_csv_field(b, name);
		sb_printf(b, ",%s,%s,", g->u[unit].code, cat_names[p->cat]);
		date_put(b, p->joined);
		sb_putc(b, '\n');
		row_count(g, K_PEOPLE);
		g->np++;
	}
}

static void
gen_people(struct gen *g)
{
	for (int i = 0; i < g->nu; i++) {
		const struct unit *u = &g->u[i];
		int n = u->kind == 0 ? 12 : u->kind == 1 ? 5 :
		    u->kind == 2 ? irange(g, 42, 52) : u->kind == 3 ?
		    irange(g, 18, 30) : 0;

		add_people(g, i, n);
	}
}

/* ---- innovations ---- */

static int
active(const struct gen *g, int p, int year)
{
	return g->p[p].joined <= date_from_ymd(year, 6, 30);
}

static int
draw_author(struct gen *g, int year, int shop)
{
	for (int tries = 0; tries < 5000; tries++) {
		int p = irange(g, 0, g->np - 1);
		const struct unit *u = &g->u[g->p[p].unit];
		double q = g->p[p].q;

		if (!active(g, p, year) || q < 0.5)
			continue;
		if (shop >= 0 && u->shop != shop && unif(g) < 0.8)
			continue;
		if (unif(g) < q * q * q)
			return p;
	}
	return irange(g, 0, g->np - 1);
}

/*
 * One of the 48 defence semi-finished products: 8 families × 6 types;
 * family f makes types f % 4 + 3 + 4 k (k = 0..5), e.g. primer type 07.
 */
static void
defence_name(struct gen *g, char *out, size_t sz, int *shop)
{
	size_t n = 0;
	int f;

	while (demo_defence[n].name)
		n++;
	f = (int)(rnd(g) % n);
	snprintf(out, sz, demo_defence[f].name, f % 4 + 3 + 4 * irange(g, 0, 5));
	*shop = demo_defence[f].shop;
}

static void
product_name(struct gen *g, char *out, size_t sz, int *shop)
{
	if (unif(g) < 0.6)
		defence_name(g, out, sz, shop);
	else {
		size_t n = 0;
		int f;

		while (demo_civil[n].name)
			n++;
		f = (int)(rnd(g) % n);
		snprintf(out, sz, "%s", demo_civil[f].name);
		*shop = demo_civil[f].shop;
	}
}

/* Counts of 2014–2019 from the article: 85 research projects, 38 works. */
static const int research_n[6] = { 13, 14, 14, 15, 14, 15 };
static const int mech_n[6] = { 5, 6, 6, 7, 7, 7 };

static void
add_innov(struct gen *g, int year, int kind, int seq)
{
	static const char *const pre[] = { "SK", "DT", "CKH" };
	static const char *const kinds[] = { "initiative", "research",
	    "mechanisation" };
	static const char *const levels[] = { "base", "ministry", "national" };
	struct innov *v = &g->in[g->nin_all];
	char prod[128], title[256];
	const char *tpl;
	struct sb *b = &g->k[K_INNOV], *db = &g->k[K_INNOV_DET];
	double x = unif(g);
	int shop, share[4], left = 100;
	int64_t benefit;

	if (g->nin_all >= MAXIN)
		return;
	snprintf(v->code, sizeof v->code, "%s-%d-%03d", pre[kind], year, seq);
	v->kind = kind;
	v->year = year;
	v->level = kind == 1 ? (x < 0.06 ? 2 : x < 0.3 ? 1 : 0) :
	    kind == 2 ? (x < 0.15 ? 1 : 0) : (x < 0.05 ? 1 : 0);
	if (kind == 2 || unif(g) < 0.5) {
		snprintf(prod, sizeof prod, "%s", pick(g, demo_stages));
		shop = irange(g, 0, DEMO_NSHOPS - 1);
	} else
		product_name(g, prod, sizeof prod, &shop);
	v->shop = shop;
	tpl = pick(g, kind == 0 ? demo_init_t : kind == 1 ? demo_research_t :
	    demo_mech_t);
	snprintf(title, sizeof title, tpl, prod);
	v->na = kind == 0 ? irange(g, 1, 2) : irange(g, 2, 4);
	for (int a = 0; a < v->na; a++) {
		int p, dup;

		do {
			p = draw_author(g, year, shop);
			dup = 0;
			for (int j = 0; j < a; j++)
				dup |= v->author[j] == p;
		} while (dup);
		v->author[a] = p;
	}
	/* The first author holds 40–60 %, the others split the rest. */
	for (int a = 0; a < v->na; a++) {
		share[a] = a + 1 == v->na ? left : a == 0 ? irange(g, 40, 60) :
		    left / (v->na - a);
		left -= share[a];
	}
	v->recognised = date_from_ymd(year, irange(g, 5, 12), irange(g, 1, 28));
	if (v->recognised > g->today)
		v->recognised = g->today - irange(g, 1, 20);
	benefit = kind == 0 ? irange(g, 30, 450) : kind == 2 ?
	    irange(g, 400, 4800) : irange(g, 150, 2500);
	benefit *= 1000000;
	sb_printf(b, "%s,%s,", v->code, kinds[kind]);
	sb_csv_field(b, title);
	sb_printf(b, ",%d,%s,", year, levels[v->level]);
	for (int a = 0; a < v->na; a++)
		sb_printf(b, "%s%s", a ? ";" : "", g->p[v->author[a]].code);
	if (kind == 1 && unif(g) < 0.3)
		sb_puts(b, ",\n");	/* benefit not assessed yet */
	else
		sb_printf(b, ",%lld\n", (long long)benefit);
	row_count(g, K_INNOV);
	sb_printf(db, "%s,", v->code);
	date_put(db, v->recognised);
	sb_putc(db, ',');
	sb_csv_field(db, v->level == 0 ? (unif(g) < 0.5 ?
	    demo_shops[shop].name : "Toàn Nhà máy Z121") : v->level == 1 ?
	    "Các nhà máy thuộc Tổng cục CNQP" : "Toàn quốc");
	sb_printf(db, ",%s,", demo_shops[shop].code);
	for (int a = 0; a < v->na; a++)
		sb_printf(db, "%s%d", a ? ";" : "", share[a]);
	sb_putc(db, '\n');
	row_count(g, K_INNOV_DET);
	for (int a = 0; a < v->na; a++) {
		int i = idx(g, v->author[a], year);

		if (g->first_in[i] < 0)
			g->first_in[i] = (int16_t)g->nin_all;
		g->nin[i]++;
		if (v->level > 0)
			g->nmin[i]++;
	}
	g->nin_all++;
}

static void
gen_innovations(struct gen *g)
{
	for (int y = g->y0; y <= g->y1; y++) {
		int k = y - g->y0, seq = 1;
		int nr = k < 6 ? research_n[k] : irange(g, 10, 14);
		int nm = k < 6 ? mech_n[k] : irange(g, 4, 7);
		int ni = y == g->y1 ? 24 : irange(g, 28, 40);

		for (int i = 0; i < nr; i++)
			add_innov(g, y, 1, seq++);
		seq = 1;
		for (int i = 0; i < nm; i++)
			add_innov(g, y, 2, seq++);
		seq = 1;
		for (int i = 0; i < ni; i++)
			add_innov(g, y, 0, seq++);
	}
}

/* ---- ratings, discipline, awards ---- */

static int
draw_rating(struct gen *g, double q)
{
	double s = 0.7 * q + 0.3 * unif(g);

	return s > 0.66 ? 1 : s > 0.36 ? 2 : s > 0.15 ? 3 : 4;
}

static void
gen_discipline(struct gen *g)
{
	struct sb *b = &g->k[K_DISC];
	int pending = 0;

	for (int p = 0; p < g->np; p++)
		for (int y = g->y0; y < g->y1; y++) {
			int32_t from, to;
			int y2, m, d;

			if (!active(g, p, y) || unif(g) > 0.003)
				continue;
			from = date_from_ymd(y, irange(g, 1, 11), irange(g, 1, 28));
			to = from + 365;
			sb_printf(b, "%s,reprimand,", g->p[p].code);
			date_put(b, from);
			sb_putc(b, ',');
			date_put(b, to);
			sb_putc(b, '\n');
			row_count(g, K_DISC);
			date_to_ymd(to, &y2, &m, &d);
			for (int yy = y; yy <= y2 && yy <= g->y1; yy++)
				g->flag[idx(g, p, yy)] |= F_DISC;
		}
	/* Two open cases this year: their verdicts are held. */
	for (int p = 0; p < g->np && pending < 2; p += 97) {
		if (g->p[p].q < 0.55 || !active(g, p, g->y1))
			continue;
		sb_printf(b, "%s,pending,", g->p[p].code);
		date_put(b, g->today - 40 - 20 * pending);
		sb_puts(b, ",\n");
		row_count(g, K_DISC);
		pending++;
	}
}

static int
months_by_year_end(int32_t joined, int year)
{
	int y, m, d;

	date_to_ymd(joined, &y, &m, &d);
	return (year - y) * 12 + (12 - m) + (d == 1 ? 1 : 0);
}

static void
award(struct gen *g, int year, const char *subject, const char *code,
    const char *by, int32_t date, const char *based_on)
{
	struct sb *b = &g->k[K_AWARDS];

	sb_printf(b, "%d,%s,%s,%ld/QĐ-%s,", year, subject, code,
	    ++g->decision % 900 + 100, by);
	date_put(b, date);
	sb_printf(b, ",%s\n", based_on ? based_on : "");
	row_count(g, K_AWARDS);
}

/* Initiatives by person p in years y-1..y that no CSTDCS rests on. */
static int
free_initiatives(const struct gen *g, int p, int y)
{
	int n = 0;

	for (int k = 0; k < g->nin_all; k++) {
		const struct innov *v = &g->in[k];

		if (v->kind != 0 || v->used || v->year < y - 1 || v->year > y)
			continue;
		for (int a = 0; a < v->na; a++)
			n += v->author[a] == p;
	}
	return n;
}

/* Ratings, LĐTT/CSTT and CSTĐCS of every person for year y. */
static void
person_year_titles(struct gen *g, int y)
{
	struct sb *b = &g->k[K_RATINGS];

	for (int p = 0; p < g->np; p++) {
		const struct person *pp = &g->p[p];
		int i = idx(g, p, y), r, months;

		if (pp->joined > date_from_ymd(y, 12, 31) || pp->joined > g->today)
			continue;
		r = draw_rating(g, pp->q);
		if (g->flag[i] & F_DISC && r < 3)
			r = 3;
		g->rating[i] = (uint8_t)r;
		sb_printf(b, "%d,%s,%s\n", y, pp->code, rating_names[r]);
		row_count(g, K_RATINGS);
		if (y == g->y1)
			continue;	/* this year is not decided yet */
		months = months_by_year_end(pp->joined, y);
		if (r > 2 || (g->flag[i] & F_DISC) ||
		    months < (pp->cat == C_EMPLOYEE ? 6 : 9))
			continue;
		g->flag[i] |= F_BASE;
		award(g, y, pp->code, pp->cat == C_EMPLOYEE ? "LDTT" : "CSTT",
		    "Z121", date_from_ymd(y, 12, 26), NULL);
		if (r == 1 || g->nin[i] > 0) {
			struct innov *v = r == 1 ? NULL : &g->in[g->first_in[i]];

			g->flag[i] |= F_CSTDCS;
			if (v)
				v->used = 1;
			award(g, y, pp->code, "CSTDCS", "Z121",
			    date_from_ymd(y, 12, 28), v ? v->code : NULL);
		}
	}
}

/*
 * The higher awards of year y, once every CSTĐCS of the year is known.
 * BKBQP (yearly path): CSTĐCS, or HTXSNV, in both of the last two years,
 * and two initiatives in them on which no CSTĐCS rests. CSTĐTQ: CSTĐCS
 * three years running and an innovation of ministry level in them.
 */
static void
person_year_higher(struct gen *g, int y)
{
	for (int p = 0; p < g->np && y > g->y0; p++) {
		const struct person *pp = &g->p[p];
		int i = idx(g, p, y), f = g->flag[i], f1 = g->flag[i - 1];

		if (((f & F_CSTDCS && f1 & F_CSTDCS) ||
		    (g->rating[i] == 1 && g->rating[i - 1] == 1)) &&
		    !(f1 & F_BKBQP) &&
		    (y - 1 == g->y0 || !(g->flag[i - 2] & F_BKBQP)) &&
		    free_initiatives(g, p, y) >= 2) {
			g->flag[i] |= F_BKBQP;
			award(g, y, pp->code, "BKBQP", "BQP",
			    date_from_ymd(y + 1, 3, 20), NULL);
		}
		if (y >= g->y0 + 2 && f & F_CSTDCS && f1 & F_CSTDCS &&
		    g->flag[i - 2] & F_CSTDCS &&
		    g->nmin[i] + g->nmin[i - 1] + g->nmin[i - 2] > 0 &&
		    !(f1 & F_CSTDTQ) && !(g->flag[i - 2] & F_CSTDTQ)) {
			int y2 = g->nmin[i] ? y : g->nmin[i - 1] ? y - 1 : y - 2;

			g->flag[i] |= F_CSTDTQ;
			award(g, y, pp->code, "CSTDTQ", "BQP",
			    date_from_ymd(y + 1, 4, 10),
			    g->in[g->first_in[idx(g, p, y2)]].code);
		}
	}
}

static void
gen_person_history(struct gen *g)
{
	for (int y = g->y0; y <= g->y1; y++) {
		person_year_titles(g, y);
		if (y < g->y1)
			person_year_higher(g, y);
	}
}

/* Is unit u inside the subtree of a? */
static int
under(const struct gen *g, int u, int a)
{
	for (; u >= 0; u = g->u[u].parent)
		if (u == a)
			return 1;
	return 0;
}

static void
gen_unit_history(struct gen *g, const uint8_t *serious)
{
	struct sb *b = &g->k[K_RATINGS];

	for (int u = 1; u < g->nu; u++) {
		const struct unit *un = &g->u[u];

		if (un->kind == 4)
			continue;
		for (int y = g->y0; y <= g->y1; y++) {
			int r = draw_rating(g, 0.35 + 0.65 * un->q), n = 0,
			    base = 0, rated = 0, cs = 0;

			sb_printf(b, "%d,%s,%s\n", y, un->code, rating_names[r]);
			row_count(g, K_RATINGS);
			if (y == g->y1)
				continue;
			for (int p = 0; p < g->np; p++) {
				int i = idx(g, p, y);

				if (!g->rating[i] || !under(g, g->p[p].unit, u))
					continue;
				n++;
				base += (g->flag[i] & F_BASE) != 0;
				rated += g->rating[i] <= 3;
				cs += (g->flag[i] & F_CSTDCS) != 0;
			}
			if (n == 0 || r > 2 || base * 2 <= n)
				continue;
			if (r == 1 && rated == n && base * 10 >= n * 7 && cs > 0 &&
			    !serious[u * g->ny + (y - g->y0)])
				award(g, y, un->code, un->military ? "DVQT" :
				    "TTLDXS", "Z121", date_from_ymd(y, 12, 29),
				    NULL);
			else
				award(g, y, un->code, un->military ? "DVTT" :
				    "TTLDTT", "Z121", date_from_ymd(y, 12, 29),
				    NULL);
		}
	}
}

/* The enterprise's own record: the article's recognitions. */
static void
gen_enterprise(struct gen *g)
{
	struct sb *b = &g->k[K_RATINGS];

	for (int y = g->y0; y <= g->y1; y++) {
		int r = y <= 2019 || y % 3 == 0 ? 1 : 2;

		sb_printf(b, "%d,Z121,%s\n", y, rating_names[r]);
		row_count(g, K_RATINGS);
		if (y < g->y1 && (y == 2015 || y == 2018))
			award(g, y, "Z121", "DVQT", "TCCNQP",
			    date_from_ymd(y + 1, 1, 10), NULL);
		else if (y < g->y1)
			award(g, y, "Z121", "DVTT", "TCCNQP",
			    date_from_ymd(y + 1, 1, 10), NULL);
	}
	/* Two General Department flags, a Ministry certificate of merit,
	 * and the 2016 Second-Class Defence Medal. */
	award(g, 2015, "Z121", "CTDTC", "TCCNQP", date_from_ymd(2016, 1, 15),
	    NULL);
	award(g, 2018, "Z121", "CTDTC", "TCCNQP", date_from_ymd(2019, 1, 16),
	    NULL);
	award(g, 2017, "Z121", "BKBQP", "BQP", date_from_ymd(2018, 2, 2), NULL);
	award(g, 2016, "Z121", "HCBVTQ2", "CTN", date_from_ymd(2016, 12, 20),
	    NULL);
}

/* ---- incidents ---- */

static void
gen_incidents(struct gen *g, uint8_t *serious)
{
	struct sb *b = &g->k[K_INCID];

	for (int y = g->y0; y <= g->y1; y++)
		for (int s = 0; s < DEMO_NSHOPS; s++) {
			int32_t day;

			if (unif(g) > 0.25)
				continue;
			day = date_from_ymd(y, irange(g, 1, 12), irange(g, 1, 28));
			if (day > g->today)
				continue;
			sb_printf(b, "%s,", demo_shops[s].code);
			date_put(b, day);
			sb_puts(b, ",minor,");
			sb_csv_field(b, "Sự cố nhỏ, không thiệt hại về "
			    "người (minh họa)");
			sb_putc(b, '\n');
			row_count(g, K_INCID);
		}
	/* One serious incident this year in A6: no TTLĐXS there. */
	sb_puts(b, "A6,");
	date_put(b, g->today - 75);
	sb_puts(b, ",serious,");
	sb_csv_field(b, "Cháy cục bộ tại khu nhũ hóa, đã khắc phục "
	    "(minh họa)");
	sb_putc(b, '\n');
	row_count(g, K_INCID);
	for (int u = 0; u < g->nu; u++)
		if (under(g, SHOP_UNIT(5), u))
			serious[u * g->ny + (g->y1 - g->y0)] = 1;
}

/* ---- indicators ---- */

struct indic {
	const char	*code;
	double		 base;		/* 2014 value */
	double		 ratio;		/* 2018 / 2014 (the article) */
};

static void
gen_indicators(struct gen *g)
{
	/* Values in VND million; average income in VND thousand a month. */
	static const struct indic ind[] = {
		{ "production_value", 1200000, 1.27 },
		{ "turnover", 1100000, 1.19 },
		{ "value_added", 300000, 1.15 },
		{ "budget_payment", 60000, 1.29 },
		{ "average_income", 8000, 1.10 },
	};
	/* Exports 2014–2018: about VND 160 billion in all. */
	static const double exports[5] = { 25000, 28500, 31000, 35500, 39500 };
	/* Share of the 2014–2018 growth in each year: rising every year. */
	static const double w[4] = { 0.22, 0.24, 0.26, 0.28 };
	struct sb *b = &g->k[K_IND], *t = &g->k[K_IND_T];

	for (size_t k = 0; k < sizeof ind / sizeof ind[0] + 1; k++) {
		const char *code = k < 5 ? ind[k].code : "export_value";
		double v = k < 5 ? ind[k].base : exports[0], prev = v;

		for (int y = g->y0; y <= g->y1; y++) {
			int i = y - 2014;

			if (k == 5 && i < 5)
				v = exports[i];
			else if (i == 4)
				v = ind[k].base * ind[k].ratio;
			else if (i > 0 && i < 4)
				v = round(prev * exp(log(ind[k].ratio) * w[i - 1]));
			else if (i > 4)
				v = round(prev * (y == 2020 ? 0.96 :
				    1.03 + 0.04 * unif(g)));
			sb_printf(b, "%d,Z121,%s,%.15g\n", y, code, v);
			row_count(g, K_IND);
			sb_printf(t, "%d,Z121,%s,%.15g\n", y, code,
			    round(v / (1.01 + 0.05 * unif(g))));
			row_count(g, K_IND_T);
			prev = v;
		}
	}
}

/* ---- key tasks and progress ---- */

static void
task_row(struct gen *g, const char *code, const char *name, const char *unit,
    double qty, int32_t start, int32_t due, const char *cust, int hard)
{
	struct sb *b = &g->k[K_TASKS];

	sb_printf(b, "%s,", code);
	sb_csv_field(b, name);
	sb_printf(b, ",%s,%.15g,", unit, qty);
	date_put(b, start);
	sb_putc(b, ',');
	date_put(b, due);
	sb_putc(b, ',');
	sb_csv_field(b, name);
	sb_putc(b, ',');
	sb_csv_field(b, cust);
	sb_printf(b, ",%d\n", hard);
	row_count(g, K_TASKS);
}

static void
link_row(struct gen *g, const char *task, const char *dep, int lag)
{
	sb_printf(&g->k[K_LINKS], "%s,%s,%d\n", task, dep, lag);
	row_count(g, K_LINKS);
}

/* Progress every STEP days from START at PACE a day, up to QTY and
 * before STOP. Returns the quantity done. */
static double
progress(struct gen *g, const char *task, double qty, int32_t start,
    int32_t stop, double pace, int step)
{
	struct sb *b = &g->k[K_PROGRESS];
	double done = 0;

	for (int32_t d = start + step - 1; d < stop && done < qty; d += step) {
		double q = pace * step * (0.85 + 0.3 * unif(g));

		if (done + q > qty)
			q = qty - done;
		q = round(q);
		if (q <= 0)
			q = qty - done;
		sb_printf(b, "%s,", task);
		date_put(b, d);
		sb_printf(b, ",%.15g\n", q);
		row_count(g, K_PROGRESS);
		done += q;
	}
	return done;
}

static int
ncivil(void)
{
	int n = 0;

	while (demo_civil[n].name)
		n++;
	return n;
}

static void
gen_past_tasks(struct gen *g)
{
	for (int y = g->y0; y < g->y1; y++)
		for (int k = 0; k < 10; k++) {
			char code[24], prev[24], name[128];
			const char *cust;
			int shop, dur = irange(g, 60, 110);
			int32_t start = date_from_ymd(y, 1, 6) + k * 32;
			double qty, pace;

			if (k % 3 == 2) {
				const struct demo_family *f =
				    &demo_civil[(y + k) % ncivil()];

				snprintf(name, sizeof name, "%s", f->name);
				shop = f->shop;
				cust = pick(g, demo_civil_customers);
				qty = irange(g, 40, 400);
			} else {
				defence_name(g, name, sizeof name, &shop);
				cust = pick(g, demo_customers);
				qty = irange(g, 20, 200) * 100;
			}
			snprintf(code, sizeof code, "T%d-%02d", y, k + 1);
			if (k == 0) {
				snprintf(g->raid_name[y - g->y0],
				    sizeof g->raid_name[0], "%s", name);
				g->raid_start[y - g->y0] = start;
				g->raid_shop[y - g->y0] = shop;
			}
			task_row(g, code, name, demo_shops[shop].code, qty,
			    start, start + dur, cust, k % 4 == 0);
			pace = qty / dur * (unif(g) < 0.15 ? 0.88 : 1.08);
			progress(g, code, qty, start, start + 3 * dur, pace, 7);
			if (k > 0 && k % 3 == 1) {
				snprintf(prev, sizeof prev, "T%d-%02d", y, k);
				link_row(g, code, prev, 3);
			}
		}
}

/* This year's tasks, relative to today: see docs/demo.md. */
static void
gen_current_tasks(struct gen *g)
{
	int32_t t = g->today;
	char c[12][24];
	int y = g->y1;

	for (int i = 0; i < 12; i++)
		snprintf(c[i], sizeof c[i], "K%d-%02d", y, i + 1);
	/* 1: hard, at risk, holds up 2 and 3 (Z113's order). */
	task_row(g, c[0], "Bán thành phẩm mồi nổ loại 07", "A1", 12000,
	    t - 75, t + 21, "Z113", 1);
	progress(g, c[0], 12000, t - 75, t, 80, 1);
	task_row(g, c[1], "Bán thành phẩm kíp nổ loại 05 (lắp từ mồi nổ "
	    "loại 07)", "A2", 10000, t + 10, t + 45, "Z113", 1);
	link_row(g, c[1], c[0], 2);
	task_row(g, c[2], "Giao bán thành phẩm kíp nổ loại 05 cho Nhà máy "
	    "Z113 theo hợp đồng", "P-KH", 1, t + 46, t + 50, "Z113", 0);
	link_row(g, c[2], c[1], 1);
	/* 4: stalled for three weeks. */
	task_row(g, c[3], "Bán thành phẩm thuốc gợi nổ loại 11", "A3", 6000,
	    t - 60, t + 30, "Z129", 0);
	progress(g, c[3], 6000, t - 60, t - 21, 70, 2);
	/* 5: late. */
	task_row(g, c[4], "Dây nổ chịu nước", "A4", 900, t - 90, t - 5,
	    "Tổng công ty than (minh họa)", 0);
	progress(g, c[4], 830, t - 90, t, 10, 3);
	/* 6–9: on track. */
	task_row(g, c[5], "Thuốc nổ nhũ tương năng lượng cao", "A6", 500,
	    t - 40, t + 40, "Công ty khai thác mỏ (minh họa)", 0);
	progress(g, c[5], 500, t - 40, t, 7.5, 2);
	task_row(g, c[6], "Pháo hoa tầm cao (đơn hàng Tết)", "A7", 3000,
	    t - 30, t + 45, "Ban tổ chức lễ hội (minh họa)", 0);
	progress(g, c[6], 3000, t - 30, t, 48, 1);
	task_row(g, c[7], "Bán thành phẩm dây cháy chậm loại 05", "A4", 8000,
	    t - 50, t + 35, "Z115", 1);
	progress(g, c[7], 8000, t - 50, t, 105, 1);
	task_row(g, c[8], "Bán thành phẩm hạt lửa loại 12", "A1", 5000,
	    t - 20, t + 60, "Z127", 0);
	progress(g, c[8], 5000, t - 20, t, 70, 1);
	/* 10: done earlier this year. */
	task_row(g, c[9], "Kíp nổ vi sai phi điện", "A2", 2000, t - 200,
	    t - 120, "Khách hàng xuất khẩu (minh họa)", 0);
	progress(g, c[9], 2000, t - 200, t - 110, 30, 3);
	/* 11–12: not started yet, waiting for 8. */
	task_row(g, c[10], "Bán thành phẩm dây nổ quốc phòng loại 06", "A4",
	    4000, t + 20, t + 80, "Z183", 0);
	link_row(g, c[10], c[7], 0);
	task_row(g, c[11], "Thuốc nổ công nghiệp AD1", "A5", 300, t + 5,
	    t + 70, "Công ty xi măng (minh họa)", 0);
}

/* ---- records and movements ---- */

static void
record(struct gen *g, const char *subject, const char *metric, int32_t day,
    double v)
{
	struct sb *b = &g->k[K_RECORDS];

	sb_printf(b, "%s,%s,", subject, metric);
	date_put(b, day);
	sb_printf(b, ",%.15g\n", v);
	row_count(g, K_RECORDS);
}

static void
target(struct gen *g, const char *mv, const char *subject, const char *crit,
    double v)
{
	sb_printf(&g->d->targets, "%s,%s,%s,%.15g\n", mv, subject, crit, v);
	g->d->ntargets++;
}

static const char mv_regular[] =
    "code: TDQT-%d\n"
    "name: {vi: \"Thi đua Quyết thắng năm %d (minh họa)\", "
    "en: \"Determined to Win %d (illustrative)\"}\n"
    "kind: regular\nstart: %d-01-01\nend: %d-12-31\nscope: Z121\n"
    "subjects: unit\ngroup_by: bloc\ncriteria:\n"
    "  - code: output\n"
    "    name: {vi: \"Hoàn thành kế hoạch sản lượng\", en: \"Output plan\"}\n"
    "    metric: output\n    aggregate: sum\n    better: higher\n"
    "    weight: 50\n    scoring: {ratio: {cap: 1.2}}\n"
    "  - code: quality\n"
    "    name: {vi: \"Chất lượng: số lô không đạt\", en: \"Rejected lots\"}\n"
    "    metric: defects\n    aggregate: sum\n    better: lower\n"
    "    weight: 25\n    scoring: {bands: [[6, 1.0], [12, 0.6], [20, 0.3]]}\n"
    "  - code: ontime\n"
    "    name: {vi: \"Giao hàng đúng hạn (%%)\", en: \"On-time delivery (%%)\"}\n"
    "    metric: ontime\n    aggregate: avg\n    better: higher\n"
    "    weight: 25\n    scoring: {ratio: {cap: 1.05}}\n"
    "  - code: safety\n"
    "    name: {vi: \"Không để xảy ra sự cố nghiêm trọng\", "
    "en: \"No serious incident\"}\n"
    "    metric: \"@serious_incidents\"\n    aggregate: count\n"
    "    veto: {max: 0, rating_cap: KHTNV}\n";

static const char mv_theme[] =
    "code: %s-%d\n"
    "name: {vi: \"%s năm %d (minh họa)\", en: \"%s %d (illustrative)\"}\n"
    "kind: thematic\nstart: %d-01-01\nend: %d-12-31\nscope: Z121\n"
    "subjects: unit\ngroup_by: all\ncriteria:\n"
    "  - code: %s\n"
    "    name: {vi: \"%s\", en: \"%s\"}\n"
    "    metric: %s\n    aggregate: sum\n    better: higher\n"
    "    weight: 100\n    scoring: {ratio: {cap: 1.5}}\n";

static const char mv_raid[] =
    "code: %s\n"
    "name: {vi: \"Đợt thi đua đột kích: %s (minh họa)\", "
    "en: \"Raid campaign: %s (illustrative)\"}\n"
    "kind: campaign\nstart: %s\nend: %s\nscope: %s\n"
    "subjects: unit\ngroup_by: parent\ncriteria:\n"
    "  - code: raid_output\n"
    "    name: {vi: \"Sản lượng của đợt\", en: \"Output of the raid\"}\n"
    "    metric: raid_output\n    aggregate: sum\n    better: higher\n"
    "    weight: 100\n    scoring: {ratio: {cap: 1.2}}\n";

static struct sb *new_mv(struct gen *, const char *);

/* A raid campaign on workshop SHOP's teams from START to END, with
 * records every three days up to today and a target per team. */
static void
raid(struct gen *g, const char *code, const char *vi, const char *en,
    int32_t start, int32_t end, int shop)
{
	struct sb *b = new_mv(g, code);
	char from[11], to[11];

	date_format(start, from);
	date_format(end, to);
	sb_printf(b, mv_raid, code, vi, en, from, to, demo_shops[shop].code);
	for (int tm = 1; tm <= 3; tm++) {
		char team[16];

		snprintf(team, sizeof team, "%s-T%d", demo_shops[shop].code, tm);
		for (int32_t d = start; d < end && d < g->today; d += 3)
			record(g, team, "raid_output", d,
			    70 + 10 * tm + irange(g, 0, 20));
		target(g, code, team, "raid_output", 1500);
	}
}

static struct sb *
new_mv(struct gen *g, const char *code)
{
	struct demo_data *d = g->d;

	snprintf(d->mv_code[d->nmv], sizeof d->mv_code[0], "%s", code);
	return &d->mv_yaml[d->nmv++];
}

static void
gen_movements(struct gen *g)
{
	static const struct {
		const char *code, *vi, *en, *crit, *cvi, *cen, *metric;
	} themes[] = {
		{ "LDGST", "Lao động giỏi, lao động sáng tạo",
		  "Excellent Labour, Creative Labour", "initiatives",
		  "Sáng kiến được công nhận", "Recognised initiatives",
		  "initiatives" },
		{ "TTST", "Tuổi trẻ sáng tạo", "Creative Youth", "youth_works",
		  "Công trình thanh niên", "Youth works", "youth_works" },
	};

	for (int y = g->y0; y <= g->y1; y++) {
		char mv[24];
		struct sb *b;

		snprintf(mv, sizeof mv, "TDQT-%d", y);
		b = new_mv(g, mv);
		sb_printf(b, mv_regular, y, y, y, y, y);
		for (int s = 0; s < DEMO_NSHOPS; s++) {
			const char *code = demo_shops[s].code;
			double plan = 900 + 150 * s;
			double q = g->u[1 + 4 * s].q;

			for (int m = 1; m <= 12; m++) {
				int32_t day = date_from_ymd(y, m, 28);
				double v;

				if (day > g->today)
					break;
				v = round(plan * (0.9 + 0.25 * q + 0.1 * unif(g)));
				record(g, code, "output", day, v);
				record(g, code, "defects", day,
				    (double)irange(g, 0, q > 0.7 ? 1 : 2));
				record(g, code, "ontime", day,
				    round(1000 * (0.88 + 0.12 * q +
				    0.02 * unif(g))) / 10);
			}
			target(g, mv, code, "output", plan * 12);
			target(g, mv, code, "ontime", 95);
		}
		for (size_t k = 0; k < 2; k++) {
			snprintf(mv, sizeof mv, "%s-%d", themes[k].code, y);
			b = new_mv(g, mv);
			sb_printf(b, mv_theme, themes[k].code, y, themes[k].vi, y,
			    themes[k].en, y, y, y, themes[k].crit,
			    themes[k].cvi, themes[k].cen, themes[k].metric);
			for (int s = 0; s < DEMO_NSHOPS; s++) {
				int n = 0;

				for (int i = 0; i < g->nin_all; i++)
					n += g->in[i].year == y &&
					    g->in[i].shop == s && (k == 0 ?
					    g->in[i].kind == 0 : g->in[i].kind != 0);
				if (k == 1)
					n = n + irange(g, 0, 2);
				if (date_from_ymd(y, 12, 15) <= g->today || n > 0)
					record(g, demo_shops[s].code,
					    themes[k].metric, date_from_ymd(y,
					    12, 15) <= g->today ?
					    date_from_ymd(y, 12, 15) : g->today - 1,
					    n);
				target(g, mv, demo_shops[s].code,
				    themes[k].crit, k ? 2 : 3);
			}
		}
	}
	for (int y = g->y0; y < g->y1; y++) {
		char code[24], en[64];

		snprintf(code, sizeof code, "DK-%d-01", y);
		snprintf(en, sizeof en, "key task T%d-01", y);
		raid(g, code, g->raid_name[y - g->y0], en, g->raid_start[y - g->y0],
		    g->raid_start[y - g->y0] + 45, g->raid_shop[y - g->y0]);
	}
	{
		char code[24];

		snprintf(code, sizeof code, "DK-%d-MN07", g->y1);
		raid(g, code, "mồi nổ loại 07 cho Z113", "primer type 07 for "
		    "Z113", g->today - 30, g->today + 21, 0);
	}
}

/* ---- driver ---- */

void
demo_generate(int32_t today, struct demo_data *d)
{
	struct gen g;
	int y, m, dd;
	uint8_t *serious;

	memset(d, 0, sizeof *d);
	memset(&g, 0, sizeof g);
	date_to_ymd(today, &y, &m, &dd);
	g.s = 0x5A121C0FFEEull;		/* the seed */
	g.d = d;
	g.k = d->csv;
	g.today = today;
	g.y0 = DEMO_FIRST_YEAR;
	g.y1 = y < DEMO_FIRST_YEAR + 6 ? DEMO_FIRST_YEAR + 6 : y;
	if (g.y1 > DEMO_LAST_YEAR)
		g.y1 = DEMO_LAST_YEAR;
	g.ny = g.y1 - g.y0 + 1;
	d->from = g.y0;
	d->to = g.y1;
	d->today = today;
	d->nkinds = K__N;
	for (int k = 0; k < K__N; k++) {
		d->kind[k] = kind_names[k];
		sb_init(&d->csv[k]);
		sb_puts(&d->csv[k], headers[k]);
	}
	for (size_t i = 0; i < DEMO_MAXMV; i++)
		sb_init(&d->mv_yaml[i]);
	sb_init(&d->targets);
	sb_puts(&d->targets, "movement,subject,criterion,target\n");
	g.p = xcalloc(MAXP, sizeof *g.p);
	g.rating = xcalloc((size_t)MAXP * g.ny, 1);
	g.flag = xcalloc((size_t)MAXP * g.ny, 1);
	g.nin = xcalloc((size_t)MAXP * g.ny, 1);
	g.nmin = xcalloc((size_t)MAXP * g.ny, 1);
	g.first_in = xmalloc((size_t)MAXP * g.ny * sizeof *g.first_in);
	for (size_t i = 0; i < (size_t)MAXP * g.ny; i++)
		g.first_in[i] = -1;
	g.in = xcalloc(MAXIN, sizeof *g.in);
	serious = xcalloc((size_t)MAXU * g.ny, 1);

	gen_units(&g);
	gen_people(&g);
	gen_innovations(&g);
	gen_discipline(&g);
	gen_incidents(&g, serious);
	gen_person_history(&g);
	gen_unit_history(&g, serious);
	gen_enterprise(&g);
	gen_indicators(&g);
	gen_past_tasks(&g);
	gen_current_tasks(&g);
	gen_movements(&g);

	free(serious);
	free(g.in);
	free(g.first_in);
	free(g.nmin);
	free(g.nin);
	free(g.flag);
	free(g.rating);
	free(g.p);
}

void
demo_data_free(struct demo_data *d)
{
	for (size_t k = 0; k < DEMO_MAXKINDS; k++)
		sb_free(&d->csv[k]);
	for (size_t i = 0; i < DEMO_MAXMV; i++)
		sb_free(&d->mv_yaml[i]);
	sb_free(&d->targets);
	memset(d, 0, sizeof *d);
}
