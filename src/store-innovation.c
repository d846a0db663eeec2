/*
 * store-innovation.c: SQL for the innovation register: loading the
 * register into a snapshot (innovations, authors with shares, awards that
 * rest on them) and the innovation-details import kind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codemap.h"
#include "store.h"
#include "store-innovation.h"
#include "util.h"


static int
enum_index(const char *const *names, const char *s)
{
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return 0;
}

static const char *const kind_names[] = { "initiative", "research",
    "mechanisation", NULL };
static const char *const level_names[] = { "base", "ministry", "national",
    NULL };

static const char Q_INNOV[] =
    "SELECT i.code, i.kind, i.title, i.year, i.level, i.recognised_on, "
    "i.scope, u.code, i.benefit FROM innovations i "
    "LEFT JOIN subjects u ON u.id = i.unit_id "
    "WHERE i.year BETWEEN $1 AND $2 AND ($3 = '' OR i.code = $3) "
    "ORDER BY i.year, i.code";
static const char Q_AUTHORS[] =
    "SELECT i.code, s.code, p.name, COALESCE(sh.share, 0), pu.code "
    "FROM innovation_authors a JOIN innovations i ON i.id = a.innovation_id "
    "JOIN subjects s ON s.id = a.person_id JOIN people p ON p.id = a.person_id "
    "JOIN subjects pu ON pu.id = p.unit_id "
    "LEFT JOIN innovation_shares sh ON sh.innovation_id = a.innovation_id "
    "AND sh.person_id = a.person_id "
    "WHERE i.year BETWEEN $1 AND $2 AND ($3 = '' OR i.code = $3) "
    "ORDER BY i.code, a.pos";
/* the unit an innovation without one is counted under: its first author's */
static const char Q_FIRST_UNIT[] =
    "SELECT i.code, pu.code FROM innovations i "
    "JOIN innovation_authors a ON a.innovation_id = i.id "
    "JOIN people p ON p.id = a.person_id "
    "JOIN subjects pu ON pu.id = p.unit_id "
    "WHERE i.unit_id IS NULL AND i.year BETWEEN $1 AND $2 "
    "AND ($3 = '' OR i.code = $3) AND a.pos = (SELECT MIN(x.pos) "
    "FROM innovation_authors x WHERE x.innovation_id = i.id)";
static const char Q_BASED[] =
    "SELECT a.year, s.code, a.award, a.based_on FROM awards a "
    "JOIN subjects s ON s.id = a.subject_id "
    "WHERE a.based_on IS NOT NULL AND a.based_on <> '' AND a.revoked = 0 "
    "ORDER BY a.year, s.code, a.award";

static struct store_stmt *
query(struct store *st, const char *sql, int from, int to, const char *code)
{
	struct store_stmt *s = store_prepare(st, sql);

	if (s == NULL)
		return NULL;
	store_bind_int(s, 1, from);
	store_bind_int(s, 2, to);
	store_bind_text(s, 3, code ? code : "");
	return s;
}

static int
load_innovations(struct store *st, int from, int to, const char *code,
    struct innov_snap *sn, struct codemap *idx, struct err *e)
{
	struct store_stmt *s = query(st, Q_INNOV, from, to, code);
	int rc;

	if (s == NULL)
		return store_err(st, e);
	while ((rc = store_step(s)) == STORE_ROW) {
		struct innov *v;

		grow(&sn->v, &sn->cap, sn->n + 1, sizeof *sn->v);
		v = &sn->v[sn->n];
		memset(v, 0, sizeof *v);
		snprintf(v->code, sizeof v->code, "%s", store_col_text(s, 0));
		v->kind = enum_index(kind_names, store_col_text(s, 1));
		v->title = xstrdup(store_col_text(s, 2));
		v->year = (int)store_col_int(s, 3);
		v->level = enum_index(level_names, store_col_text(s, 4));
		snprintf(v->recognised_on, sizeof v->recognised_on, "%s",
		    store_col_text(s, 5));
		if (!store_col_isnull(s, 6))
			v->scope = xstrdup(store_col_text(s, 6));
		snprintf(v->unit, sizeof v->unit, "%s", store_col_text(s, 7));
		if ((v->have_benefit = !store_col_isnull(s, 8)))
			v->benefit = store_col_int(s, 8);
		codemap_put(idx, v->code, (int64_t)sn->n, 0);
		sn->n++;
	}
	store_reset(s);
	return rc < 0 ? store_err(st, e) : 0;
}

static int
load_authors(struct store *st, int from, int to, const char *code,
    struct innov_snap *sn, const struct codemap *idx, struct err *e)
{
	struct store_stmt *s = query(st, Q_AUTHORS, from, to, code);
	int rc;

	if (s == NULL)
		return store_err(st, e);
	while ((rc = store_step(s)) == STORE_ROW) {
		int64_t i;
		struct innov *v;
		struct innov_author *a;

		if (!codemap_get(idx, store_col_text(s, 0), &i, NULL))
			continue;
		v = &sn->v[i];
		v->authors = xrealloc(v->authors, (v->nauthors + 1) *
		    sizeof *v->authors);
		a = &v->authors[v->nauthors++];
		snprintf(a->person, sizeof a->person, "%s", store_col_text(s, 1));
		a->name = xstrdup(store_col_text(s, 2));
		a->share = store_col_double(s, 3);
		if (v->unit[0] == '\0')
			snprintf(v->unit, sizeof v->unit, "%s",
			    store_col_text(s, 4));
	}
	store_reset(s);
	return rc < 0 ? store_err(st, e) : 0;
}

static int
load_first_units(struct store *st, int from, int to, const char *code,
    struct innov_snap *sn, const struct codemap *idx, struct err *e)
{
	struct store_stmt *s = query(st, Q_FIRST_UNIT, from, to, code);
	int rc;

	if (s == NULL)
		return store_err(st, e);
	while ((rc = store_step(s)) == STORE_ROW) {
		int64_t i;

		if (codemap_get(idx, store_col_text(s, 0), &i, NULL) &&
		    sn->v[i].unit[0] == '\0')
			snprintf(sn->v[i].unit, sizeof sn->v[i].unit, "%s",
			    store_col_text(s, 1));
	}
	store_reset(s);
	return rc < 0 ? store_err(st, e) : 0;
}

static int
load_awards(struct store *st, struct innov_snap *sn, const struct codemap *idx,
    struct err *e)
{
	struct store_stmt *s = store_prepare(st, Q_BASED);
	int rc;

	if (s == NULL)
		return store_err(st, e);
	while ((rc = store_step(s)) == STORE_ROW) {
		char buf[1024], *p, *save = NULL;

		snprintf(buf, sizeof buf, "%s", store_col_text(s, 3));
		for (p = strtok_r(buf, ";", &save); p;
		    p = strtok_r(NULL, ";", &save)) {
			int64_t i;
			struct innov *v;
			struct innov_award *a;

			if (!codemap_get(idx, p, &i, NULL))
				continue;
			v = &sn->v[i];
			v->awards = xrealloc(v->awards, (v->nawards + 1) *
			    sizeof *v->awards);
			a = &v->awards[v->nawards++];
			a->year = (int)store_col_int(s, 0);
			snprintf(a->subject, sizeof a->subject, "%s",
			    store_col_text(s, 1));
			snprintf(a->award, sizeof a->award, "%s",
			    store_col_text(s, 2));
		}
	}
	store_reset(s);
	return rc < 0 ? store_err(st, e) : 0;
}

int
store_innovation_load(struct store *st, int from, int to, const char *code,
    enum innov_authors authors, struct innov_snap *sn, struct err *e)
{
	struct codemap idx;
	int rc;

	codemap_init(&idx);
	rc = load_innovations(st, from, to, code, sn, &idx, e);
	if (rc == 0 && authors == INNOV_AUTHORS)
		rc = load_authors(st, from, to, code, sn, &idx, e);
	else if (rc == 0 && authors == INNOV_FIRST_UNIT)
		rc = load_first_units(st, from, to, code, sn, &idx, e);
	if (rc == 0)
		rc = load_awards(st, sn, &idx, e);
	codemap_free(&idx);
	return rc;
}

static const char Q_YEARS[] = "SELECT MIN(year), MAX(year) FROM innovations";

int
store_innovation_years(struct store *st, int *from, int *to, struct err *e)
{
	struct store_stmt *s = store_prepare(st, Q_YEARS);
	int rc;

	if (s == NULL)
		return store_err(st, e);
	*from = *to = 0;
	if ((rc = store_step(s)) == STORE_ROW && !store_col_isnull(s, 0)) {
		*from = (int)store_col_int(s, 0);
		*to = (int)store_col_int(s, 1);
	}
	store_reset(s);
	return rc < 0 ? store_err(st, e) : 0;
}

static const char Q_NAUTHORS[] =
    "SELECT COUNT(*) FROM innovation_authors a "
    "JOIN innovations i ON i.id = a.innovation_id WHERE i.code = $1";

long
store_innovation_nauthors(struct store *st, const char *code, struct err *e)
{
	struct store_stmt *s = store_prepare(st, Q_NAUTHORS);
	long n = -1;

	if (s == NULL)
		return store_err(st, e);
	store_bind_text(s, 1, code);
	if (store_step(s) == STORE_ROW)
		n = (long)store_col_int(s, 0);
	store_reset(s);
	if (n < 0)
		store_err(st, e);
	return n;
}

/* ---- the innovation-details kind ---- */

static const char Q_DET_UPDATE[] =
    "UPDATE innovations SET recognised_on = $2, scope = $3, unit_id = $4 "
    "WHERE code = $1";
static const char Q_SHARES_DEL[] =
    "DELETE FROM innovation_shares WHERE innovation_id = "
    "(SELECT id FROM innovations WHERE code = $1)";
static const char Q_SHARE_INS[] =
    "INSERT INTO innovation_shares (innovation_id, person_id, share) "
    "SELECT a.innovation_id, a.person_id, $3 FROM innovation_authors a "
    "JOIN innovations i ON i.id = a.innovation_id "
    "WHERE i.code = $1 AND a.pos = $2";


int
store_write_innovation_details(struct store *st, const struct batch *b,
    struct err *e)
{
	for (size_t r = 0; r < b->nrows; r++) {
		const char *code = batch_val(b, r, 0), *shares;
		struct store_stmt *s = store_prepare(st, Q_DET_UPDATE);
		int64_t uid = 0;

		if (s == NULL)
			return store_err(st, e);
		store_bind_text(s, 1, code);
		store_bind_opt(s, 2, batch_val(b, r, 1));
		store_bind_opt(s, 3, batch_val(b, r, 2));
		if (batch_val(b, r, 3) != NULL &&
		    codemap_get(&b->refs->subjects, batch_val(b, r, 3), &uid,
		    NULL))
			store_bind_int(s, 4, uid);
		else
			store_bind_null(s, 4);
		if (store_run_err(st, s, e) != 0)
			return -1;
		if ((shares = batch_val(b, r, 4)) == NULL)
			continue;
		if ((s = store_prepare(st, Q_SHARES_DEL)) == NULL)
			return store_err(st, e);
		store_bind_text(s, 1, code);
		if (store_run_err(st, s, e) != 0)
			return -1;
		{
			char buf[512], *p, *save = NULL;
			int pos = 0;
			double v;

			snprintf(buf, sizeof buf, "%s", shares);
			for (p = strtok_r(buf, ";", &save); p;
			    p = strtok_r(NULL, ";", &save), pos++) {
				if ((s = store_prepare(st, Q_SHARE_INS)) == NULL)
					return store_err(st, e);
				parse_double(p, &v);
				store_bind_text(s, 1, code);
				store_bind_int(s, 2, pos);
				store_bind_double(s, 3, v);
				if (store_run_err(st, s, e) != 0)
					return -1;
			}
		}
	}
	return 0;
}

static const char Q_DET_EXPORT_SQLITE[] =
    "SELECT i.code, i.recognised_on, i.scope, u.code, "
    "(SELECT group_concat(sh, ';') FROM (SELECT COALESCE(CAST(x.share AS TEXT), '') "
    "AS sh FROM innovation_authors a LEFT JOIN innovation_shares x ON "
    "x.innovation_id = a.innovation_id AND x.person_id = a.person_id "
    "WHERE a.innovation_id = i.id ORDER BY a.pos)), "
    "(SELECT COUNT(*) FROM innovation_shares x WHERE x.innovation_id = i.id) "
    "FROM innovations i LEFT JOIN subjects u ON u.id = i.unit_id "
    "WHERE i.recognised_on IS NOT NULL OR i.scope IS NOT NULL "
    "OR i.unit_id IS NOT NULL OR EXISTS (SELECT 1 FROM innovation_shares x "
    "WHERE x.innovation_id = i.id) ORDER BY i.code";
static const char Q_DET_EXPORT_PG[] =
    "SELECT i.code, i.recognised_on, i.scope, u.code, "
    "(SELECT string_agg(COALESCE(x.share::text, ''), ';' ORDER BY a.pos) "
    "FROM innovation_authors a LEFT JOIN innovation_shares x ON "
    "x.innovation_id = a.innovation_id AND x.person_id = a.person_id "
    "WHERE a.innovation_id = i.id), "
    "(SELECT COUNT(*) FROM innovation_shares x WHERE x.innovation_id = i.id) "
    "FROM innovations i LEFT JOIN subjects u ON u.id = i.unit_id "
    "WHERE i.recognised_on IS NOT NULL OR i.scope IS NOT NULL "
    "OR i.unit_id IS NOT NULL OR EXISTS (SELECT 1 FROM innovation_shares x "
    "WHERE x.innovation_id = i.id) ORDER BY i.code";

int
store_export_innovation_details(struct store *st,
    int (*row)(void *, const char *const *), void *d, struct err *e)
{
	struct store_stmt *s = store_prepare(st, store_backend(st) == STORE_PG ?
	    Q_DET_EXPORT_PG : Q_DET_EXPORT_SQLITE);
	const char *v[5];
	int rc;

	if (s == NULL)
		return store_err(st, e);
	while ((rc = store_step(s)) == STORE_ROW) {
		for (int i = 0; i < 5; i++)
			v[i] = store_col_isnull(s, i) ? NULL : store_col_text(s, i);
		if (store_col_int(s, 5) == 0)
			v[4] = NULL;
		if (row(d, v) != 0) {
			store_reset(s);
			return -1;
		}
	}
	store_reset(s);
	return rc < 0 ? store_err(st, e) : 0;
}
