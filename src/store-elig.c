/*
 * store-elig.c: the eligibility snapshot loader (store-elig.h): one
 * streamed pass per table into the flat arrays of struct elig_snap, the
 * same SQL on both backends. On SQLite the innovations, awards, authors
 * and service periods (the side tasks) load beside the rest on a second
 * connection (side_thread, on a worker of par.h): the innovations from
 * the start, the others once the subjects are mapped, and whichever
 * connection is free first takes the next (struct side).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "codemap.h"
#include "par.h"
#include "store.h"
#include "store-elig.h"
#include "store-search.h"
#include "util.h"

static const char Q_MAXID[] = "SELECT COALESCE(MAX(id), 0) FROM subjects";
static const char Q_CODES[] = "SELECT id, code FROM subjects";
static const char Q_UNITS[] =
    "SELECT id, id, parent_id, kind, military FROM units ORDER BY id";
static const char Q_PEOPLE[] =
    "SELECT id, id, unit_id, category, joined, left_on, sex FROM people "
    "WHERE joined <= $1 AND (left_on IS NULL OR left_on >= $2) ORDER BY id";
/* (a rebase of people: the same with each code, and one person by id) */
static const char Q_UNITS_CODED[] =
    "SELECT u.id, s.code, u.parent_id, u.kind, u.military FROM units u "
    "JOIN subjects s ON s.id = u.id ORDER BY u.id";
#define SQL_PEOPLE_CODED \
    "SELECT p.id, s.code, p.unit_id, p.category, p.joined, p.left_on, p.sex " \
    "FROM people p JOIN subjects s ON s.id = p.id " \
    "WHERE p.joined <= $1 AND (p.left_on IS NULL OR p.left_on >= $2) "
static const char Q_PEOPLE_CODED[] = SQL_PEOPLE_CODED "ORDER BY p.id";
static const char Q_PERSON[] = SQL_PEOPLE_CODED "AND p.id = $3";
static const char Q_PERSON_STAYS[] =
    "SELECT unit_id FROM person_units WHERE from_date <= $1 "
    "AND (to_date IS NULL OR to_date > $2) AND person_id = $3 "
    "ORDER BY from_date";
static const char Q_STAYS[] =
    "SELECT person_id, unit_id FROM person_units "
    "WHERE from_date <= $1 AND (to_date IS NULL OR to_date > $2) "
    "ORDER BY person_id, from_date";
/* (the years after the snapshot's are passed over in C: a comparison
 * less per row for SQLite, ~5% of the scan, and there are few such) */
static const char Q_RATINGS[] =
    "SELECT year, subject_id, rating FROM ratings";
static const char Q_INNOV[] =
    "SELECT id, code, kind, year, level, COALESCE(benefit, 0) FROM innovations "
    "WHERE year >= $1 AND year <= $2 ORDER BY id";
static const char Q_AUTHORS[] =
    "SELECT innovation_id, person_id FROM innovation_authors";
static const char Q_AWARDS[] =
    "SELECT year, subject_id, award, based_on FROM awards WHERE revoked = 0";
/* (a rebase: only the window's awards resting on innovations, by the
 * partial index awards_based) */
static const char Q_BASED[] =
    "SELECT year, subject_id, award, based_on FROM awards "
    "WHERE year >= $1 AND year <= $2 AND revoked = 0 "
    "AND based_on IS NOT NULL AND based_on <> ''";
static const char Q_SERVICE[] =
    "SELECT person_id, from_date, to_date, kind, coefficient FROM service "
    "WHERE from_date <= $1 ORDER BY person_id, from_date";
static const char Q_DISC[] =
    "SELECT subject_id, form, from_date, to_date FROM discipline "
    "WHERE from_date <= $1 AND (to_date IS NULL OR to_date >= $2)";
static const char Q_INC[] =
    "SELECT unit_id, date, severity FROM incidents "
    "WHERE date >= $1 AND date <= $2 ORDER BY unit_id, date";

/*
 * What the side tasks share, and what they leave for the end of the load
 * (finish_side), so that none waits for another: the innovations' and the
 * service kinds' codes go into arenas of their own (the subjects' codes
 * fill the snapshot's meanwhile), the authors keep the innovation's
 * database id, and the awards resting on innovations keep their codes.
 */
struct side {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	int		 ready;		/* subjects mapped: 1; failed: -1 */
	int		 next;		/* the next task to take (atomic) */
	int64_t		*innov_id;	/* innovation index → db id (sorted) */
	uint32_t	*codeof;	/* subjects.id → code offset in the
					   arena (units and people take theirs
					   at the end) */
	int64_t		 maxid;
	struct elig_snap icodes, skinds;	/* (their arenas only) */
	uint32_t	*akey;		/* authors: person index */
	int64_t		*aval;		/* and innovations.id */
	size_t		 na, acap, acap2;
	uint64_t	*bbit;		/* awards resting on innovations: the
					   award's bit */
	uint32_t	*boff;		/* and its codes, in btext */
	size_t		 nb, bcap, bcap2;
	struct elig_snap btext;		/* (its arena only) */
	const struct side_task *tasks;	/* side_tasks or rebase_tasks */
	int		 ntask;
};

struct loader {
	struct store	*st;
	const struct ruleset *rs;
	struct elig_snap *sn;
	int32_t		*idmap;		/* subjects.id → subject index, -1 */
	int64_t		 maxid;
	struct side	*sd;
	char		 d_lo[11], d_end[11], d_ystart[11];
	int		 y_lo;
	const struct elig_from *from;	/* a rebase (store-elig.h), or NULL */
	int64_t		 seq;		/* the log's last row the load sees */
	int64_t		*ids;		/* a rebase of people: the subjects
					   subject_log names since the copy */
	size_t		 nids;
	int		 coded;		/* units and people read with their
					   codes (no side load of every code) */
	int32_t		*umap;		/* a rebase of people: the copy's unit
					   index → this one's, -1 */
	int32_t		*pold;		/* and each person's in the copy, -1
					   when read again (NULL: all were) */
	struct err	*e;
};

static int32_t
subj(struct loader *L, int64_t id)
{
	return id > 0 && id <= L->maxid ? L->idmap[id] : -1;
}

/* Every subject's code, once, into the arena (no join per row later):
 * a side task, beside the units and people, which take theirs from it
 * at the end (finish_side). */
static int
load_codes(struct loader *L)
{
	struct store_stmt *s = store_prepare(L->st, Q_CODES);
	uint32_t *codeof;
	int rc;

	if (s == NULL)
		return store_err(L->st, L->e);
	codeof = L->sd->codeof = xcalloc((size_t)L->maxid + 1, sizeof *codeof);
	elig_snap_code(L->sn, "");	/* offset 0: the empty code */
	store_stream(s);	/* PostgreSQL: chunks, not the whole table */
	while ((rc = store_step(s)) == STORE_ROW) {
		int64_t id = store_col_int(s, 0);

		if (id > 0 && id <= L->maxid)
			codeof[id] = elig_snap_code(L->sn, store_col_text(s, 1));
	}
	store_reset(s);
	return rc < 0 ? store_err(L->st, L->e) : 0;
}

static int
date_or(const char *s, int32_t dflt)
{
	int32_t d;

	return *s != '\0' && date_parse(s, &d) == 0 ? d : dflt;
}

static int
load_units(struct loader *L)
{
	struct elig_snap *sn = L->sn;
	struct store_stmt *s = store_prepare(L->st,
	    L->coded ? Q_UNITS_CODED : Q_UNITS);
	int64_t *par = NULL;
	size_t cap = 0, pcap = 0;
	int rc;

	if (s == NULL)
		return store_err(L->st, L->e);
	store_stream(s);	/* PostgreSQL: chunks, not the whole table */
	while ((rc = store_step(s)) == STORE_ROW) {
		size_t i = sn->nunit++;
		int k;

		grow(&sn->code, &cap, sn->nunit, sizeof *sn->code);
		grow(&par, &pcap, sn->nunit, sizeof *par);
		sn->sid = xrealloc(sn->sid, cap * sizeof *sn->sid);
		sn->sid[i] = store_col_int(s, 0);
		sn->code[i] = L->coded ? elig_snap_code(sn, store_col_text(s, 1)) :
		    0;	/* (finish_side) */
		par[i] = store_col_isnull(s, 2) ? 0 : store_col_int(s, 2);
		k = rules_name_index(rules_ukind_names, UK__MAX,
		    store_col_text(s, 3));
		sn->ukind = xrealloc(sn->ukind, cap);
		sn->military = xrealloc(sn->military, cap);
		sn->ukind[i] = k < 0 ? UK_OTHER : k;
		sn->military[i] = store_col_int(s, 4) != 0;
		if (store_col_int(s, 0) <= L->maxid)
			L->idmap[store_col_int(s, 0)] = (int32_t)i;
	}
	store_reset(s);
	if (rc < 0) {
		free(par);
		return store_err(L->st, L->e);
	}
	sn->parent = xmalloc((sn->nunit + 1) * sizeof *sn->parent);
	for (size_t i = 0; i < sn->nunit; i++)
		sn->parent[i] = subj(L, par[i]);
	free(par);
	return 0;
}

/* Grow the people's arrays to cap (the subjects' to nunit + cap). */
static void
people_cap(struct elig_snap *sn, size_t cap)
{
	sn->category = xrealloc(sn->category, cap + 1);
	sn->sex = xrealloc(sn->sex, cap + 1);
	sn->joined = xrealloc(sn->joined, (cap + 1) * sizeof(int32_t));
	sn->left = xrealloc(sn->left, (cap + 1) * sizeof(int32_t));
	sn->home = xrealloc(sn->home, (cap + 1) * sizeof(int32_t));
	sn->code = xrealloc(sn->code, (sn->nunit + cap + 1) * sizeof *sn->code);
	sn->sid = xrealloc(sn->sid, (sn->nunit + cap + 1) * sizeof *sn->sid);
}

/* Person n from a row of Q_PEOPLE's columns (or Q_PEOPLE_CODED's,
 * Q_PERSON's: column 1 the code). */
static void
person_row(struct loader *L, struct store_stmt *s, size_t n)
{
	struct elig_snap *sn = L->sn;
	const char *x;
	int k;

	sn->sid[sn->nunit + n] = store_col_int(s, 0);
	sn->code[sn->nunit + n] = L->coded ?
	    elig_snap_code(sn, store_col_text(s, 1)) : 0;	/* (finish_side) */
	sn->home[n] = subj(L, store_col_int(s, 2));
	k = rules_name_index(rules_category_names, CAT__MAX, store_col_text(s, 3));
	sn->category[n] = k < 0 ? CAT_EMPLOYEE : k;
	sn->joined[n] = date_or(store_col_text(s, 4), 0);
	sn->left[n] = date_or(store_col_text(s, 5), ELIG_NODAY);
	x = store_col_text(s, 6);
	sn->sex[n] = x[0] == 'f' ? 2 : x[0] == 'm' ? 1 : 0;
	if (store_col_int(s, 0) <= L->maxid)
		L->idmap[store_col_int(s, 0)] = (int32_t)(sn->nunit + n);
}

static int
load_people(struct loader *L)
{
	struct elig_snap *sn = L->sn;
	struct store_stmt *s = store_prepare(L->st,
	    L->coded ? Q_PEOPLE_CODED : Q_PEOPLE);
	size_t cap = 0, n = 0;
	int rc;

	if (s == NULL)
		return store_err(L->st, L->e);
	store_bind_text(s, 1, L->d_end);
	store_bind_text(s, 2, L->d_ystart);
	store_stream(s);	/* PostgreSQL: chunks, not the whole table */
	while ((rc = store_step(s)) == STORE_ROW) {
		if (n + 1 > cap)
			people_cap(sn, cap = cap ? cap * 2 : 1024);
		person_row(L, s, n++);
	}
	store_reset(s);
	if (rc < 0)
		return store_err(L->st, L->e);
	sn->nperson = n;
	sn->nsubj = sn->nunit + n;
	return 0;
}

static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* L->ids in id order, each once. */
static void
people_written(struct loader *L)
{
	size_t k = 0;

	if (L->nids > 1)
		qsort(L->ids, L->nids, sizeof *L->ids, cmp_id);
	for (size_t i = 0; i < L->nids; i++)
		if (k == 0 || L->ids[i] != L->ids[k - 1])
			L->ids[k++] = L->ids[i];
	L->nids = k;
}

/*
 * A rebase's people (L->from, L->ids): the copy's, less and plus those
 * subject_log names since it, each read again by id (Q_PERSON), in id
 * order, both lists being in it; the others carried from the copy, their
 * units by the copy's index mapped to this one's (L->umap). L->pold keeps
 * where each came from, for the stays. When a unit of the copy is gone,
 * every person is read (load_people).
 */
static int
carry_people(struct loader *L)
{
	struct elig_snap *sn = L->sn;
	const struct elig_snap *o = L->from->sn;
	const int64_t *osid = o->sid + o->nunit;
	struct store_stmt *s;
	const int64_t *ids = L->ids;
	size_t nid, n = 0, k = 0, i = 0;
	int rc = 0;

	L->umap = xmalloc((o->nunit + 1) * sizeof *L->umap);
	for (size_t u = 0, j = 0; u < o->nunit; u++) {
		while (j < sn->nunit && sn->sid[j] < o->sid[u])
			j++;
		L->umap[u] = j < sn->nunit && sn->sid[j] == o->sid[u] ?
		    (int32_t)j : -1;
	}
	for (size_t u = 0; u < o->nunit; u++)
		if (L->umap[u] < 0)
			return load_people(L);
	people_written(L);
	nid = L->nids;
	if ((s = store_prepare(L->st, Q_PERSON)) == NULL)
		return store_err(L->st, L->e);
	people_cap(sn, o->nperson + nid);
	L->pold = xmalloc((o->nperson + nid + 1) * sizeof *L->pold);
	while (rc == 0 && (k < o->nperson || i < nid)) {
		int64_t had = k < o->nperson ? osid[k] : INT64_MAX;
		int64_t id = i < nid ? ids[i] : INT64_MAX;

		if (id <= had) {	/* written since: read again */
			k += id == had;
			i++;
			store_bind_text(s, 1, L->d_end);
			store_bind_text(s, 2, L->d_ystart);
			store_bind_int(s, 3, id);
			if ((rc = store_step(s)) == STORE_ROW) {
				person_row(L, s, n);
				L->pold[n++] = -1;
			}
			store_reset(s);
			rc = rc < 0 ? store_err(L->st, L->e) : 0;
			continue;
		}
		sn->sid[sn->nunit + n] = had;
		sn->code[sn->nunit + n] =
		    elig_snap_code(sn, o->arena + o->code[o->nunit + k]);
		sn->home[n] = o->home[k] >= 0 ? L->umap[o->home[k]] : -1;
		sn->category[n] = o->category[k];
		sn->joined[n] = o->joined[k];
		sn->left[n] = o->left[k];
		sn->sex[n] = o->sex[k];
		if (had <= L->maxid)
			L->idmap[had] = (int32_t)(sn->nunit + n);
		L->pold[n++] = (int32_t)k++;
	}
	sn->nperson = n;
	sn->nsubj = sn->nunit + n;
	return rc;
}

static int load_stays(struct loader *);

/*
 * A rebase's stays: a person carried keeps the copy's (their units
 * mapped), one read again has theirs read again by id (the last its home,
 * as load_stays); without L->pold, load_stays.
 */
static int
carry_stays(struct loader *L)
{
	struct elig_snap *sn = L->sn;
	const struct elig_snap *o = L->from->sn;
	struct store_stmt *s;
	size_t cap = 0, n = 0;
	int rc = 0;

	if (L->pold == NULL)
		return load_stays(L);
	if ((s = store_prepare(L->st, Q_PERSON_STAYS)) == NULL)
		return store_err(L->st, L->e);
	sn->stay_off = xcalloc(sn->nperson + 1, sizeof *sn->stay_off);
	for (size_t p = 0; p < sn->nperson && rc == 0; p++) {
		int32_t k = L->pold[p];

		if (k >= 0) {
			uint32_t j0 = o->stay_off[k], j1 = o->stay_off[k + 1];

			grow(&sn->stay, &cap, n + (j1 - j0) + 1, sizeof *sn->stay);
			for (uint32_t j = j0; j < j1; j++)
				sn->stay[n++] = L->umap[o->stay[j]];
		} else {
			store_bind_text(s, 1, L->d_end);
			store_bind_text(s, 2, L->d_ystart);
			store_bind_int(s, 3, sn->sid[sn->nunit + p]);
			while ((rc = store_step(s)) == STORE_ROW) {
				int32_t u = subj(L, store_col_int(s, 0));

				if (u < 0 || u >= (int32_t)sn->nunit)
					continue;
				grow(&sn->stay, &cap, n + 1, sizeof *sn->stay);
				sn->stay[n++] = u;
				sn->home[p] = u;	/* the last stay of the year */
			}
			store_reset(s);
			rc = rc < 0 ? store_err(L->st, L->e) : 0;
		}
		sn->stay_off[p + 1] = (uint32_t)n;
	}
	return rc;
}

/* Stays of the year, in person order: the CSR fills as rows arrive. */
static int
load_stays(struct loader *L)
{
	struct elig_snap *sn = L->sn;
	struct store_stmt *s = store_prepare(L->st, Q_STAYS);
	size_t cap = 0, n = 0;
	int rc;

	if (s == NULL)
		return store_err(L->st, L->e);
	sn->stay_off = xcalloc(sn->nperson + 1, sizeof *sn->stay_off);
	store_bind_text(s, 1, L->d_end);
	store_bind_text(s, 2, L->d_ystart);
	store_stream(s);	/* PostgreSQL: chunks, not the whole table */
	while ((rc = store_step(s)) == STORE_ROW) {
		int32_t p = subj(L, store_col_int(s, 0)),
		    u = subj(L, store_col_int(s, 1));

		if (p < (int32_t)sn->nunit || u < 0 || u >= (int32_t)sn->nunit)
			continue;
		p -= (int32_t)sn->nunit;
		grow(&sn->stay, &cap, n + 1, sizeof *sn->stay);
		sn->stay[n++] = u;
		sn->stay_off[p + 1]++;
		sn->home[p] = u;	/* the last stay of the year */
	}
	store_reset(s);
	if (rc < 0)
		return store_err(L->st, L->e);
	for (size_t p = 0; p < sn->nperson; p++)
		sn->stay_off[p + 1] += sn->stay_off[p];
	return 0;
}

/* One row of ratings (year index yi) into subject x's (-1: none). */
static void
put_rating(struct elig_snap *sn, int32_t x, int yi, const char *r)
{
	/* HTXSNV, HTTNV, HTNV, KHTNV: the third letter tells them apart. */
	int v = r[0] == 'K' ? RT_KHTNV : r[2] == 'X' ? RT_HTXSNV :
	    r[2] == 'T' ? RT_HTTNV : RT_HTNV;

	if (x >= 0 && yi >= 0 && yi < ELIG_NY)
		sn->rating[(size_t)x * ELIG_NY + yi] = (uint8_t)v;
	else if (x >= 0 && yi < 0)	/* before the window: ever */
		sn->ever_rt[x] |= (uint8_t)(1u << v);
}

static int
load_ratings(struct loader *L)
{
	struct elig_snap *sn = L->sn;
	struct store_stmt *s = store_prepare(L->st, Q_RATINGS);
	int rc;

	if (s == NULL)
		return store_err(L->st, L->e);
	sn->rating = xcalloc(sn->nsubj * ELIG_NY + 1, 1);
	sn->ever_rt = xcalloc(sn->nsubj + 1, 1);
	store_stream(s);	/* PostgreSQL: chunks, not the whole table */
	while ((rc = store_step(s)) == STORE_ROW)
		put_rating(sn, subj(L, store_col_int(s, 1)),
		    (int)store_col_int(s, 0) - L->y_lo, store_col_text(s, 2));
	store_reset(s);
	return rc < 0 ? store_err(L->st, L->e) : 0;
}

static int
load_innovations(struct loader *L)
{
	struct elig_snap *sn = L->sn;
	struct store_stmt *s = store_prepare(L->st, Q_INNOV);
	size_t cap = 0, n = 0;
	int rc;

	if (s == NULL)
		return store_err(L->st, L->e);
	store_bind_int(s, 1, L->y_lo);
	store_bind_int(s, 2, sn->year);
	store_stream(s);	/* PostgreSQL: chunks, not the whole table */
	while ((rc = store_step(s)) == STORE_ROW) {
		int k;

		if (n + 1 > cap) {
			cap = cap ? cap * 2 : 1024;
			L->sd->innov_id = xrealloc(L->sd->innov_id,
			    cap * sizeof(int64_t));
			sn->icode = xrealloc(sn->icode, cap * sizeof(uint32_t));
			sn->iyear = xrealloc(sn->iyear, cap * sizeof(int16_t));
			sn->ilevel = xrealloc(sn->ilevel, cap);
			sn->ikind = xrealloc(sn->ikind, cap);
			sn->ibenefit = xrealloc(sn->ibenefit,
			    cap * sizeof(int64_t));
		}
		L->sd->innov_id[n] = store_col_int(s, 0);
		sn->icode[n] = elig_snap_code(&L->sd->icodes,
		    store_col_text(s, 1));
		k = rules_name_index(rules_ikind_names, IK__MAX,
		    store_col_text(s, 2));
		sn->ikind[n] = k < 0 ? 0 : k;
		sn->iyear[n] = (int16_t)store_col_int(s, 3);
		k = rules_name_index(rules_level_names, LV__MAX,
		    store_col_text(s, 4));
		sn->ilevel[n] = k < 0 ? LV_BASE : k;
		sn->ibenefit[n] = store_col_int(s, 5);
		n++;
	}
	store_reset(s);
	if (rc < 0)
		return store_err(L->st, L->e);
	sn->ninnov = n;
	sn->iused = xcalloc(n + 1, sizeof *sn->iused);
	return 0;
}

/* The first of the n ids (sorted) not below id. */
static size_t
innov_lower(const int64_t *innov_id, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (innov_id[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Pairs (key, value) → CSR by key: off[nkey + 1], vals. */
static void
csr_build(const uint32_t *key, const void *val, size_t n, size_t vsz,
    size_t nkey, uint32_t **off, void **vals)
{
	uint32_t *o = xcalloc(nkey + 2, sizeof *o);
	char *v = xmalloc(n * vsz + 1);

	for (size_t i = 0; i < n; i++)
		o[key[i] + 2]++;
	for (size_t k = 0; k < nkey; k++)
		o[k + 2] += o[k + 1];
	for (size_t i = 0; i < n; i++)
		memcpy(v + (size_t)o[key[i] + 1]++ * vsz,
		    (const char *)val + i * vsz, vsz);
	*off = o;
	*vals = v;
}

/* The authors of people in the snapshot, by innovations.id: their
 * innovations may still be loading (finish_side maps them). */
static int
load_authors(struct loader *L)
{
	struct elig_snap *sn = L->sn;
	struct side *sd = L->sd;
	struct store_stmt *s = store_prepare(L->st, Q_AUTHORS);
	int rc;

	if (s == NULL)
		return store_err(L->st, L->e);
	store_stream(s);	/* PostgreSQL: chunks, not the whole table */
	while ((rc = store_step(s)) == STORE_ROW) {
		int32_t p = subj(L, store_col_int(s, 1));

		if (p < (int32_t)sn->nunit)
			continue;
		grow(&sd->akey, &sd->acap, sd->na + 1, sizeof *sd->akey);
		grow(&sd->aval, &sd->acap2, sd->na + 1, sizeof *sd->aval);
		sd->akey[sd->na] = (uint32_t)(p - (int32_t)sn->nunit);
		sd->aval[sd->na++] = store_col_int(s, 0);
	}
	store_reset(s);
	return rc < 0 ? store_err(L->st, L->e) : 0;
}

/* Awards whose codes count (campaign awards never do) into *m. */
static void
award_codes(const struct ruleset *rs, struct codemap *m)
{
	codemap_init(m);
	for (int a = 0; a < rs->naward; a++)
		if (!rs->awards[a].campaign)
			codemap_put(m, rs->awards[a].code, a, 0);
}

/* One row of awards (year index yi) into subject x's history, or before
 * the window its "ever" (no innovation counts there); its bit, or 0 when
 * it does not count. */
static uint64_t
put_award(struct elig_snap *sn, const struct codemap *acodes, int32_t x,
    int yi, const char *award)
{
	uint64_t bit;
	int64_t a;

	if (x < 0 || yi >= ELIG_NY || !codemap_get(acodes, award, &a, NULL))
		return 0;
	bit = (uint64_t)1 << a;
	if (yi < 0)
		sn->ever[x] |= bit;
	else
		sn->hist[(size_t)x * ELIG_NY + yi] |= bit;
	return bit;
}

/* An award (its bit) resting on the innovations of codes: their "used"
 * marks are set by finish_side, once every innovation is known. */
static void
based_add(struct side *sd, uint64_t bit, const char *codes)
{
	grow(&sd->bbit, &sd->bcap, sd->nb + 1, sizeof *sd->bbit);
	grow(&sd->boff, &sd->bcap2, sd->nb + 1, sizeof *sd->boff);
	sd->bbit[sd->nb] = bit;
	sd->boff[sd->nb++] = elig_snap_code(&sd->btext, codes);
}

static int
load_awards(struct loader *L)
{
	struct elig_snap *sn = L->sn;
	struct side *sd = L->sd;
	struct store_stmt *s = store_prepare(L->st, Q_AWARDS);
	struct codemap acodes;
	int rc;

	if (s == NULL)
		return store_err(L->st, L->e);
	award_codes(L->rs, &acodes);
	sn->hist = xcalloc(sn->nsubj * ELIG_NY + 1, sizeof *sn->hist);
	sn->ever = xcalloc(sn->nsubj + 1, sizeof *sn->ever);
	store_stream(s);	/* PostgreSQL: chunks, not the whole table */
	while ((rc = store_step(s)) == STORE_ROW) {
		int32_t x = subj(L, store_col_int(s, 1));
		int yi = (int)store_col_int(s, 0) - L->y_lo;
		const char *b;
		uint64_t bit;

		if ((bit = put_award(sn, &acodes, x, yi,
		    store_col_text(s, 2))) == 0 || yi < 0 ||
		    *(b = store_col_text(s, 3)) == '\0')
			continue;
		based_add(sd, bit, b);
	}
	store_reset(s);
	codemap_free(&acodes);
	return rc < 0 ? store_err(L->st, L->e) : 0;
}

/*
 * A rebase's awards: of the window's awards only those resting on
 * innovations, for their "used" marks (finish_side), as load_awards keeps
 * them; each subject's history is carried from the copy (load_carried).
 */
static int
load_based(struct loader *L)
{
	struct elig_snap *sn = L->sn;
	struct side *sd = L->sd;
	struct store_stmt *s = store_prepare(L->st, Q_BASED);
	struct codemap acodes;
	int rc;

	if (s == NULL)
		return store_err(L->st, L->e);
	award_codes(L->rs, &acodes);
	store_bind_int(s, 1, L->y_lo);
	store_bind_int(s, 2, sn->year);
	while ((rc = store_step(s)) == STORE_ROW) {
		int64_t a;

		if (subj(L, store_col_int(s, 1)) < 0 ||
		    !codemap_get(&acodes, store_col_text(s, 2), &a, NULL))
			continue;
		based_add(sd, (uint64_t)1 << a, store_col_text(s, 3));
	}
	store_reset(s);
	codemap_free(&acodes);
	return rc < 0 ? store_err(L->st, L->e) : 0;
}

/* Service periods up to the year's end, in person order, then by from. */
static int
load_service(struct loader *L)
{
	struct elig_snap *sn = L->sn;
	struct store_stmt *s = store_prepare(L->st, Q_SERVICE);
	uint32_t *key = NULL;
	struct elig_svc *val = NULL;
	size_t cap = 0, cap2 = 0, n = 0;
	int rc;

	if (s == NULL)
		return store_err(L->st, L->e);
	store_bind_text(s, 1, L->d_end);
	store_stream(s);	/* PostgreSQL: chunks, not the whole table */
	while ((rc = store_step(s)) == STORE_ROW) {
		int32_t x = subj(L, store_col_int(s, 0));

		if (x < (int32_t)sn->nunit)
			continue;
		grow(&key, &cap, n + 1, sizeof *key);
		grow(&val, &cap2, n + 1, sizeof *val);
		key[n] = (uint32_t)(x - (int32_t)sn->nunit);
		val[n].from = date_or(store_col_text(s, 1), 0);
		val[n].to = date_or(store_col_text(s, 2), ELIG_NODAY);
		val[n].kind = elig_snap_code(&L->sd->skinds,
		    store_col_text(s, 3));
		val[n].coef = (float)store_col_double(s, 4);
		n++;
	}
	store_reset(s);
	if (rc >= 0)
		csr_build(key, val, n, sizeof *val, sn->nperson, &sn->svc_off,
		    (void **)&sn->svc);
	free(key);
	free(val);
	return rc < 0 ? store_err(L->st, L->e) : 0;
}

static int
load_discipline(struct loader *L)
{
	struct elig_snap *sn = L->sn;
	struct store_stmt *s = store_prepare(L->st, Q_DISC);
	uint32_t *key = NULL;
	struct elig_disc *val = NULL;
	size_t cap = 0, cap2 = 0, n = 0;
	int rc;

	if (s == NULL)
		return store_err(L->st, L->e);
	store_bind_text(s, 1, L->d_end);
	store_bind_text(s, 2, L->d_lo);
	store_stream(s);	/* PostgreSQL: chunks, not the whole table */
	while ((rc = store_step(s)) == STORE_ROW) {
		int32_t x = subj(L, store_col_int(s, 0));
		int f = rules_name_index(rules_dform_names, DF__MAX,
		    store_col_text(s, 1));

		if (x < 0 || f < 0)
			continue;
		grow(&key, &cap, n + 1, sizeof *key);
		grow(&val, &cap2, n + 1, sizeof *val);
		key[n] = (uint32_t)x;
		val[n].form = (uint8_t)f;
		val[n].from = date_or(store_col_text(s, 2), 0);
		val[n].to = date_or(store_col_text(s, 3), ELIG_NODAY);
		n++;
	}
	store_reset(s);
	if (rc >= 0)
		csr_build(key, val, n, sizeof *val, sn->nsubj, &sn->disc_off,
		    (void **)&sn->disc);
	free(key);
	free(val);
	return rc < 0 ? store_err(L->st, L->e) : 0;
}

static int
load_incidents(struct loader *L)
{
	struct elig_snap *sn = L->sn;
	struct store_stmt *s = store_prepare(L->st, Q_INC);
	size_t cap = 0;
	int rc;

	if (s == NULL)
		return store_err(L->st, L->e);
	store_bind_text(s, 1, L->d_lo);
	store_bind_text(s, 2, L->d_end);
	store_stream(s);	/* PostgreSQL: chunks, not the whole table */
	while ((rc = store_step(s)) == STORE_ROW) {
		int32_t u = subj(L, store_col_int(s, 0));

		if (u < 0 || u >= (int32_t)sn->nunit)
			continue;
		grow(&sn->inc, &cap, sn->ninc + 1, sizeof *sn->inc);
		sn->inc[sn->ninc].unit = u;
		sn->inc[sn->ninc].day = date_or(store_col_text(s, 1), 0);
		sn->inc[sn->ninc].severity =
		    strcmp(store_col_text(s, 2), "serious") == 0 ?
		    SEV_SERIOUS : SEV_MINOR;
		sn->ninc++;
	}
	store_reset(s);
	return rc < 0 ? store_err(L->st, L->e) : 0;
}

/* ---- stamps (store-elig.h) ---- */


int
store_elig_stamp(struct store *st, struct elig_stamp *t, struct err *e)
{
	memset(t, 0, sizeof *t);
	if (store_generation(st, "elig", &t->gen, e) != 0 ||
	    store_generation(st, "elig-base", &t->base, e) != 0)
		return -1;
	/* (PostgreSQL's logs: migrations 0023 and 0024) */
	if (store_log_last(st, "elig_log", &t->seq, &t->tag, e) != 0)
		return -1;
	return store_log_last(st, "subject_log", &t->sseq, &t->stag, e);
}

/*
 * A second read connection on the same SQLite file that sees exactly the
 * same commit as st. st is in a plain read transaction (no write lock:
 * the writers go on meanwhile), its snapshot fixed by reading the stamp,
 * so a commit may land before st2's own snapshot is fixed. Every write
 * the snapshot depends on changes that stamp in its own transaction
 * (snapcache-elig.h: the "elig" generation, and the last row of elig_log
 * for ratings and awards), so st2 reading the same stamp sees the same
 * data as st. A different stamp: NULL, and everything is loaded on st
 * (slower, never inconsistent).
 */
struct store *
store_elig_reader(struct store *st, const struct elig_stamp *stamp)
{
	struct store *st2 = NULL;
	char *path = store_sqlite_path(st);
	struct elig_stamp now;
	struct err e;
	int ok = 0;

	if (path != NULL && store_open(path, &st2, &e) == 0) {
		store_read_once(st2, 1);	/* (closed after the load) */
		if (store_begin_read(st2) == 0)
			ok = store_elig_stamp(st2, &now, &e) == 0 &&
			    memcmp(&now, stamp, sizeof now) == 0;
	}
	free(path);
	if (!ok && st2 != NULL) {
		store_rollback(st2);
		store_close(st2);
		st2 = NULL;
	}
	return st2;
}

/*
 * The side tasks, in the order they are taken. The innovations need no
 * subject and start at once; the others wait until the people are
 * mapped (side_ready). Each writes only its own members of the snapshot
 * and of struct side (the arena is the subjects' meanwhile).
 */
static const struct side_task {
	int	(*fn)(struct loader *);
	int	 needs_subjects;
} side_tasks[] = {
	{ load_innovations, 0 }, { load_codes, 0 }, { load_awards, 1 },
	{ load_authors, 1 }, { load_service, 1 },
}, rebase_tasks[] = {	/* the awards' history carried (load_carried) */
	{ load_innovations, 0 }, { load_codes, 0 }, { load_based, 1 },
	{ load_authors, 1 }, { load_service, 1 },
}, people_tasks[] = {	/* and the codes read with the units and people */
	{ load_innovations, 0 }, { load_based, 1 }, { load_authors, 1 },
	{ load_service, 1 },
};
#define NSIDE(t)	((int)(sizeof t / sizeof t[0]))

/* The subjects are mapped (ok 1) or will never be (ok -1). */
static void
side_ready(struct side *sd, int ok)
{
	pthread_mutex_lock(&sd->mu);
	sd->ready = ok;
	pthread_cond_broadcast(&sd->cv);
	pthread_mutex_unlock(&sd->mu);
}

/* Take and run side tasks until none is left: 0 or -1 (e filled). */
static int
side_run(struct loader *L)
{
	struct side *sd = L->sd;
	int t, ready;

	while ((t = __atomic_fetch_add(&sd->next, 1, __ATOMIC_ACQ_REL)) <
	    sd->ntask) {
		if (sd->tasks[t].needs_subjects) {
			pthread_mutex_lock(&sd->mu);
			while (sd->ready == 0)
				pthread_cond_wait(&sd->cv, &sd->mu);
			ready = sd->ready;
			pthread_mutex_unlock(&sd->mu);
			if (ready < 0)
				return 0;	/* (the first connection failed) */
		}
		if (sd->tasks[t].fn(L) != 0)
			return -1;
	}
	return 0;
}

struct side_job {
	struct loader	 L;
	struct err	 e;
	int		 rc;
};

static void *
side_thread(void *arg)
{
	struct side_job *j = arg;

	j->rc = side_run(&j->L);
	return NULL;
}

/* An arena of a side task appended to the snapshot's: where it starts. */
static uint32_t
arena_append(struct elig_snap *sn, const struct elig_snap *part)
{
	uint32_t base = (uint32_t)sn->alen;

	if (part->alen > 0) {
		grow(&sn->arena, &sn->acap, sn->alen + part->alen, 1);
		memcpy(sn->arena + sn->alen, part->arena, part->alen);
		sn->alen += part->alen;
	}
	return base;
}

/* What the side tasks left for the end: their codes into the arena, the
 * authors' innovations by index, the innovations awards rest on marked. */
static void
finish_side(struct elig_snap *sn, struct side *sd)
{
	uint32_t base = arena_append(sn, &sd->icodes), *val;
	size_t n = 0;

	for (size_t x = 0; sd->codeof != NULL && x < sn->nsubj; x++)
		sn->code[x] = sn->sid[x] > 0 && sn->sid[x] <= sd->maxid ?
		    sd->codeof[sn->sid[x]] : 0;	/* (the same ids: subj) */

	for (size_t i = 0; i < sn->ninnov; i++)
		sn->icode[i] += base;
	base = arena_append(sn, &sd->skinds);
	for (size_t k = 0; sn->svc_off != NULL && k < sn->svc_off[sn->nperson]; k++)
		sn->svc[k].kind += base;
	/* the authors, in their order, less those of no innovation here;
	 * they come by innovations.id (SQLite's key order), so the index is
	 * found by walking on from the last one, by halving when not */
	val = xmalloc((sd->na + 1) * sizeof *val);
	for (size_t k = 0, j = 0; k < sd->na; k++) {
		int64_t id = sd->aval[k];
		long i;

		if (k > 0 && id < sd->aval[k - 1])
			j = 0;	/* (another order: PostgreSQL) */
		if (j < sn->ninnov && sd->innov_id[j] < id &&
		    (j + 8 >= sn->ninnov || sd->innov_id[j + 8] >= id))
			while (j < sn->ninnov && sd->innov_id[j] < id)
				j++;
		else if (j >= sn->ninnov || sd->innov_id[j] < id)
			j = (size_t)innov_lower(sd->innov_id, sn->ninnov, id);
		i = j < sn->ninnov && sd->innov_id[j] == id ? (long)j : -1;
		if (i >= 0) {
			sd->akey[n] = sd->akey[k];
			val[n++] = (uint32_t)i;
		}
	}
	csr_build(sd->akey, val, n, sizeof *val, sn->nperson, &sn->auth_off,
	    (void **)&sn->auth);
	free(val);
	if (sd->nb > 0) {
		struct codemap icodes;

		codemap_init(&icodes);
		for (size_t i = 0; i < sn->ninnov; i++)
			codemap_put(&icodes, sn->arena + sn->icode[i], (int64_t)i, 0);
		for (size_t k = 0; k < sd->nb; k++)
			for (const char *b = sd->btext.arena + sd->boff[k]; *b != '\0';) {
				char code[64];
				size_t len = strcspn(b, ";");
				int64_t i;

				if (len > 0 && len < sizeof code) {
					memcpy(code, b, len);
					code[len] = '\0';
					if (codemap_get(&icodes, code, &i, NULL))
						sn->iused[i] |= sd->bbit[k];
				}
				b += len + (b[len] == ';');
			}
		codemap_free(&icodes);
	}
}

static void
side_free(struct side *sd)
{
	pthread_mutex_destroy(&sd->mu);
	pthread_cond_destroy(&sd->cv);
	free(sd->innov_id);
	free(sd->codeof);
	free(sd->icodes.arena);
	free(sd->skinds.arena);
	free(sd->akey);
	free(sd->aval);
	free(sd->bbit);
	free(sd->boff);
	free(sd->btext.arena);
}

/*
 * THIDUA_TEST_LOAD_PAUSE_MS: sleep that long inside the load's read
 * transaction, standing in for the seconds a million people take, so a
 * test on a small database can show that writers go on meanwhile
 * (tests/api/test_api_cold_report.py). Unset: nothing.
 */
static void
test_pause(void)
{
	test_pause_env("THIDUA_TEST_LOAD_PAUSE_MS");
}

static int log_covers(struct store *, const struct elig_stamp *,
    const struct elig_stamp *, struct err *);
static int load_carried(struct loader *);

/*
 * Whether a rebase may carry the copy's people too, and which subjects
 * were written since (L->ids): subject_log still holds the copy's row
 * (not cut since, not another history) and at most STORE_ELIG_DELTA_MAX
 * rows came after it, as the search index reads it (store-search.h; in
 * the load's read transaction, so up to the stamp's row). 1, 0, -1.
 */
static int
people_ok(struct loader *L, const struct elig_from *from, struct err *e)
{
	const struct search_mark had = { from->had.sseq, from->had.stag };
	struct search_mark now;
	int rc;

	if (had.seq <= 0)
		return 0;	/* (no log when the copy was made) */
	rc = store_search_changes(L->st, &had, STORE_ELIG_DELTA_MAX, &L->ids,
	    &L->nids, &now, e);
	return rc < 0 ? -1 : rc == 0;
}

/*
 * Whether from's copy can be rebased onto the commit stamp names (st in
 * its read transaction): the same year, store ids kept, and the log
 * holding every row of ratings and awards written since it. 1, 0, -1.
 */
static int
rebase_ok(struct store *st, const struct elig_from *from, int year,
    const struct elig_stamp *stamp, struct err *e)
{
	const struct elig_snap *o = from->sn;

	if (o->year != year || (o->sid == NULL && o->nsubj > 0) ||
	    from->had.seq > stamp->seq ||
	    stamp->seq - from->had.seq > STORE_ELIG_DELTA_MAX)
		return 0;
	return log_covers(st, &from->had, stamp, e);
}

int
store_elig_snapshot(struct store *st, const struct ruleset *rs, int year,
    struct elig_snap *sn, struct elig_stamp *stamp, struct elig_from *from,
    struct err *e)
{
	/* in order; the side tasks run on a second connection meanwhile, or
	 * here after them (ready: the subjects are mapped after this many) */
	static int (*const steps[])(struct loader *) = {
		load_units, load_people, load_stays, load_ratings,
		load_discipline, load_incidents,
	}, (*const rebase_steps[])(struct loader *) = {
		load_units, load_people, load_stays, load_carried,
		load_discipline, load_incidents,
	}, (*const people_steps[])(struct loader *) = {
		load_units, carry_people, carry_stays, load_carried,
		load_discipline, load_incidents,
	};
	int (*const *step)(struct loader *) = steps;
	const size_t nstep = sizeof steps / sizeof steps[0];
	const size_t ready_at = 2;
	struct side sd;
	struct loader L = { .st = st, .rs = rs, .sn = sn, .sd = &sd, .e = e };
	struct store_stmt *s;
	struct store *st2;
	struct side_job job;
	struct err ignored;
	struct par_job tid;
	struct elig_stamp own;
	int rc = 0, threaded = 0;

	memset(sn, 0, sizeof *sn);
	memset(&sd, 0, sizeof sd);
	sd.tasks = side_tasks;
	sd.ntask = NSIDE(side_tasks);
	if (from != NULL)
		from->used = 0;
	pthread_mutex_init(&sd.mu, NULL);
	pthread_cond_init(&sd.cv, NULL);
	sn->year = year;
	L.y_lo = year - ELIG_NY + 1;
	snprintf(L.d_lo, sizeof L.d_lo, "%04d-01-01", L.y_lo);
	snprintf(L.d_ystart, sizeof L.d_ystart, "%04d-01-01", year);
	snprintf(L.d_end, sizeof L.d_end, "%04d-12-31", year);
	/*
	 * A read transaction, not the write lock: on SQLite (WAL) it sees one
	 * commit for the whole load and the writers are never held up by it
	 * (a cold report used to stall every POST for its whole load). The
	 * stamp is its first read, so it names the commit the load sees.
	 */
	if (store_begin_read(st) != 0) {
		side_free(&sd);
		return store_err(st, e);
	}
	st2 = NULL;
	store_read_once(st, 1);
	if (stamp != NULL) {
		if (store_elig_stamp(st, stamp, e) != 0) {
			rc = -1;
			goto out;
		}
		st2 = store_elig_reader(st, stamp);
	} else if (store_backend(st) == STORE_SQLITE &&
	    store_elig_stamp(st, &own, &ignored) == 0)
		st2 = store_elig_reader(st, &own);
	if (from != NULL && stamp != NULL) {
		if ((rc = rebase_ok(st, from, year, stamp, e)) < 0)
			goto out;
		if (rc == 1) {
			L.from = from;
			L.seq = stamp->seq;
			step = rebase_steps;
			sd.tasks = rebase_tasks;
			sd.ntask = NSIDE(rebase_tasks);
			from->used = 1;
			if ((rc = people_ok(&L, from, e)) < 0)
				goto out;
		}
		if (rc == 1) {
			L.coded = 1;
			elig_snap_code(sn, "");	/* offset 0: the empty code */
			step = people_steps;
			sd.tasks = people_tasks;
			sd.ntask = NSIDE(people_tasks);
			from->used = 2;
		}
		rc = 0;
	}
	test_pause();
	if ((s = store_prepare(st, Q_MAXID)) == NULL ||
	    store_step(s) != STORE_ROW) {
		if (s != NULL)
			store_reset(s);
		rc = store_err(st, e);
		goto out;
	}
	L.maxid = sd.maxid = store_col_int(s, 0);
	store_reset(s);
	L.idmap = xmalloc((size_t)(L.maxid + 1) * sizeof *L.idmap);
	memset(L.idmap, 0xff, (size_t)(L.maxid + 1) * sizeof *L.idmap);
	job.L = L;
	job.L.st = st2;
	job.L.e = &job.e;
	job.rc = 0;
	if (st2 != NULL && par_start(&tid, side_thread, &job) == 0)
		threaded = 1;
	for (size_t i = 0; i < nstep && rc == 0; i++) {
		if ((rc = step[i](&L)) != 0)
			break;
		if (i + 1 == ready_at)
			side_ready(&sd, 1);
	}
	if (sd.ready == 0)
		side_ready(&sd, -1);	/* (failed before) */
	if (rc == 0)
		rc = side_run(&L);	/* what the second connection left */
	if (threaded) {
		par_join(&tid);
		if (rc == 0 && job.rc != 0) {
			*e = job.e;
			rc = -1;
		}
	}
	if (rc == 0)
		finish_side(sn, &sd);
out:
	if (rc == 0)
		store_commit(st);
	else
		store_rollback(st);
	store_read_once(st, 0);
	if (st2 != NULL) {
		store_rollback(st2);
		store_close(st2);
	}
	free(L.idmap);
	free(L.umap);
	free(L.pold);
	free(L.ids);
	side_free(&sd);
	if (rc != 0)
		elig_snap_free(sn);
	return rc;
}

/* ---- a snapshot brought up to date by the log (store-elig.h) ---- */

static const char Q_LOG_TAG[] = "SELECT tag FROM elig_log WHERE seq = $1";
static const char Q_LOG_FIRST[] = "SELECT COALESCE(MIN(seq), 1) FROM elig_log";
static const char Q_LOG_SINCE[] =
    "SELECT tbl, subject_id, year, based FROM elig_log "
    "WHERE seq > $1 AND seq <= $2";
static const char Q_SUBJ_RATINGS[] =
    "SELECT year, rating FROM ratings WHERE subject_id = $1 AND year <= $2";
static const char Q_SUBJ_AWARDS[] =
    "SELECT year, award FROM awards "
    "WHERE subject_id = $1 AND year <= $2 AND revoked = 0";

/* The subject whose store id is id (units, then people, each in id
 * order), or -1 when the snapshot has none. */
static int32_t
find_subject(const struct elig_snap *sn, int64_t id)
{
	const size_t from[2] = { 0, sn->nunit }, to[2] = { sn->nunit, sn->nsubj };

	for (int r = 0; r < 2; r++) {
		size_t lo = from[r], hi = to[r];

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (sn->sid[mid] < id)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < to[r] && sn->sid[lo] == id)
			return (int32_t)lo;
	}
	return -1;
}

/* One int of a one-row query with one int parameter (or none: p < 0). */
static int
one_int(struct store *st, const char *sql, int64_t p, int64_t *v,
    struct err *e)
{
	struct store_stmt *s = store_prepare_err(st, sql, e);
	int rc;

	if (s == NULL)
		return -1;
	if (p >= 0)
		store_bind_int(s, 1, p);
	if ((rc = store_step(s)) == STORE_ROW)
		*v = store_col_int(s, 0);
	store_reset(s);
	if (rc == STORE_ERR)
		return store_err(st, e);
	return rc == STORE_ROW ? 1 : 0;
}

/* Whether the log holds every row after had's: 1, 0, or -1. */
static int
log_covers(struct store *st, const struct elig_stamp *had,
    const struct elig_stamp *now, struct err *e)
{
	int64_t v = 0;
	int rc;

	if (had->seq > now->seq)
		return 0;	/* another history (a restored backup) */
	if (had->seq > 0) {
		rc = one_int(st, Q_LOG_TAG, had->seq, &v, e);
		return rc < 0 ? -1 : rc == 1 && v == had->tag;
	}
	rc = one_int(st, Q_LOG_FIRST, -1, &v, e);
	return rc < 0 ? -1 : rc == 1 && v <= 1;
}

/* Subject x's rows of sql (year, text) read again into its history. */
static int
reread(struct store *st, const char *sql, struct elig_snap *sn, int32_t x,
    const struct codemap *acodes, struct err *e)
{
	struct store_stmt *s = store_prepare_err(st, sql, e);
	const int y_lo = sn->year - ELIG_NY + 1;
	int rc;

	if (s == NULL)
		return -1;
	store_bind_int(s, 1, sn->sid[x]);
	store_bind_int(s, 2, sn->year);
	while ((rc = store_step(s)) == STORE_ROW) {
		int yi = (int)store_col_int(s, 0) - y_lo;

		if (acodes == NULL)
			put_rating(sn, x, yi, store_col_text(s, 1));
		else
			put_award(sn, acodes, x, yi, store_col_text(s, 1));
	}
	store_reset(s);
	return rc == STORE_ERR ? store_err(st, e) : 0;
}

enum { CH_RATINGS = 1, CH_AWARDS = 2 };

/* Read the log after had's row: which subjects changed (ch[x]) into xs;
 * 1 when a row cannot be applied alone (an award resting on
 * innovations: their "used" marks are everyone's) unless based (a rebase
 * reads those marks whole), else 0, or -1. */
static int
read_log(struct store *st, const struct elig_snap *sn, int64_t from,
    int64_t to, int based, uint8_t *ch, uint32_t **xs, size_t *nx,
    struct err *e)
{
	struct store_stmt *s = store_prepare_err(st, Q_LOG_SINCE, e);
	const int y_lo = sn->year - ELIG_NY + 1;
	size_t cap = 0;
	int rc = 0, whole = 0;

	if (s == NULL)
		return -1;
	store_bind_int(s, 1, from);
	store_bind_int(s, 2, to);
	while (!whole && (rc = store_step(s)) == STORE_ROW) {
		int a = store_col_text(s, 0)[0] == 'a';
		int64_t year = store_col_int(s, 2);
		int32_t x;

		if (year > sn->year)
			continue;	/* after the snapshot's year: not read */
		if (!based && a && store_col_int(s, 3) != 0 && year >= y_lo) {
			whole = 1;
			break;
		}
		if ((x = find_subject(sn, store_col_int(s, 1))) < 0)
			continue;	/* not in the snapshot: not read */
		if (ch[x] == 0) {
			grow(xs, &cap, *nx + 1, sizeof **xs);
			(*xs)[(*nx)++] = (uint32_t)x;
		}
		ch[x] |= a ? CH_AWARDS : CH_RATINGS;
	}
	store_reset(s);
	if (!whole && rc == STORE_ERR)
		return store_err(st, e);
	return whole;
}

/* Subject x's ratings (ch & CH_RATINGS) and awards (CH_AWARDS) read
 * again from the store into its rows. 0 or -1. */
static int
reread_subject(struct store *st, struct elig_snap *sn, uint32_t x, int ch,
    const struct codemap *acodes, struct err *e)
{
	int rc = 0;

	if (ch & CH_RATINGS) {
		memset(sn->rating + (size_t)x * ELIG_NY, RT_NONE, ELIG_NY);
		sn->ever_rt[x] = 0;
		rc = reread(st, Q_SUBJ_RATINGS, sn, (int32_t)x, NULL, e);
	}
	if ((ch & CH_AWARDS) && rc == 0) {
		memset(sn->hist + (size_t)x * ELIG_NY, 0,
		    ELIG_NY * sizeof *sn->hist);
		sn->ever[x] = 0;
		rc = reread(st, Q_SUBJ_AWARDS, sn, (int32_t)x, acodes, e);
	}
	return rc;
}

/*
 * A rebase's ratings and awards (L->from, store_elig_snapshot): each
 * subject's rows of the copy, found by store id (units, then people, each
 * in id order in both), so that the two largest tables are not read; the
 * rows of a subject the copy has not (a person new to the year, or the
 * copy's year) and of each the log names since the copy, read again by
 * index, as store_elig_delta does. On the first connection, in the load's
 * read transaction, after the people.
 */
static int
load_carried(struct loader *L)
{
	struct elig_snap *sn = L->sn;
	const struct elig_snap *o = L->from->sn;
	const size_t lo[2] = { 0, sn->nunit }, hi[2] = { sn->nunit, sn->nsubj };
	const size_t olo[2] = { 0, o->nunit }, ohi[2] = { o->nunit, o->nsubj };
	uint8_t *ch = xcalloc(sn->nsubj + 1, 1);
	uint32_t *xs = NULL;
	size_t nx = 0;
	struct codemap acodes;
	int rc;

	sn->rating = xcalloc(sn->nsubj * ELIG_NY + 1, 1);
	sn->ever_rt = xcalloc(sn->nsubj + 1, 1);
	sn->hist = xcalloc(sn->nsubj * ELIG_NY + 1, sizeof *sn->hist);
	sn->ever = xcalloc(sn->nsubj + 1, sizeof *sn->ever);
	for (int r = 0; r < 2; r++)
		for (size_t x = lo[r], j = olo[r]; x < hi[r]; x++) {
			while (j < ohi[r] && o->sid[j] < sn->sid[x])
				j++;
			if (j == ohi[r] || o->sid[j] != sn->sid[x]) {
				ch[x] = CH_RATINGS | CH_AWARDS;
				continue;
			}
			memcpy(sn->rating + x * ELIG_NY, o->rating + j * ELIG_NY,
			    ELIG_NY);
			memcpy(sn->hist + x * ELIG_NY, o->hist + j * ELIG_NY,
			    ELIG_NY * sizeof *sn->hist);
			sn->ever[x] = o->ever[j];
			sn->ever_rt[x] = o->ever_rt[j];
		}
	rc = read_log(L->st, sn, L->from->had.seq, L->seq, 1, ch, &xs, &nx,
	    L->e);
	free(xs);	/* (ch names them, and the new ones) */
	award_codes(L->rs, &acodes);
	for (size_t x = 0; x < sn->nsubj && rc == 0; x++)
		if (ch[x] != 0)
			rc = reread_subject(L->st, sn, (uint32_t)x, ch[x], &acodes,
			    L->e);
	codemap_free(&acodes);
	free(ch);
	return rc < 0 ? -1 : 0;
}

int
store_elig_delta(struct store *st, const struct ruleset *rs,
    struct elig_snap *sn, const struct elig_stamp *had,
    struct elig_stamp *now, struct elig_delta *d, struct err *e)
{
	struct codemap acodes;
	uint8_t *ch = NULL;
	uint32_t *xs = NULL;
	size_t nx = 0;
	int rc;

	memset(d, 0, sizeof *d);
	if (sn->sid == NULL && sn->nsubj > 0)
		return 1;
	if (store_begin_read(st) != 0)
		return store_err(st, e);
	if ((rc = store_elig_stamp(st, now, e)) != 0)
		goto out;
	rc = 1;
	if (now->base != had->base ||
	    now->seq - had->seq > STORE_ELIG_DELTA_MAX)
		goto out;
	if ((rc = log_covers(st, had, now, e)) <= 0) {
		rc = rc < 0 ? -1 : 1;
		goto out;
	}
	ch = xcalloc(sn->nsubj + 1, 1);
	if ((rc = read_log(st, sn, had->seq, now->seq, 0, ch, &xs, &nx, e)) != 0)
		goto out;
	award_codes(rs, &acodes);
	for (size_t i = 0; i < nx && rc == 0; i++) {
		uint32_t x = xs[i];
		uint8_t *row = sn->rating + (size_t)x * ELIG_NY;
		int had_rating = row[ELIG_NY - 1] != RT_NONE;

		rc = reread_subject(st, sn, x, ch[x], &acodes, e);
		if ((row[ELIG_NY - 1] != RT_NONE) != had_rating)
			d->members = 1;
		/* derived: the ledger of the year in a column */
		if (ch[x] & CH_AWARDS)
			sn->hist_y[x] = sn->hist[(size_t)x * ELIG_NY + ELIG_NY - 1];
	}
	codemap_free(&acodes);
	d->rows = now->seq - had->seq;
	d->subjects = nx;
out:
	if (rc < 0)
		store_rollback(st);
	else
		store_commit(st);
	free(ch);
	free(xs);
	return rc;
}
