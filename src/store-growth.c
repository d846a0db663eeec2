/*
 * store-growth.c: SQL for the growth report (a unit's indicators and
 * planned values by year) and the indicator-targets import kind.
 */
#include <stdio.h>
#include <string.h>

#include "store.h"
#include "store-growth.h"
#include "util.h"


static const char Q_ROOT[] =
    "SELECT s.code FROM units u JOIN subjects s ON s.id = u.id "
    "WHERE u.parent_id IS NULL "
    "ORDER BY CASE WHEN u.kind = 'enterprise' THEN 0 ELSE 1 END, s.code "
    "LIMIT 1";

int
store_growth_root(struct store *st, char code[33], struct err *e)
{
	struct store_stmt *s = store_prepare(st, Q_ROOT);
	int rc;

	if (s == NULL)
		return store_err(st, e);
	if ((rc = store_step(s)) == STORE_ROW)
		snprintf(code, 33, "%s", store_col_text(s, 0));
	store_reset(s);
	if (rc < 0)
		return store_err(st, e);
	return rc == STORE_ROW;
}

static const char Q_IS_UNIT[] =
    "SELECT 1 FROM subjects WHERE code = $1 AND kind = 'unit'";

int
store_growth_is_unit(struct store *st, const char *code, struct err *e)
{
	struct store_stmt *s = store_prepare(st, Q_IS_UNIT);
	int rc;

	if (s == NULL)
		return store_err(st, e);
	store_bind_text(s, 1, code);
	rc = store_step(s);
	store_reset(s);
	if (rc < 0)
		return store_err(st, e);
	return rc == STORE_ROW;
}

static const char Q_ROWS[] =
    "SELECT i.indicator, i.year, i.value, 0 FROM indicators i "
    "JOIN subjects s ON s.id = i.unit_id "
    "WHERE s.code = $1 AND i.year BETWEEN $2 AND $3 "
    "UNION ALL "
    "SELECT t.indicator, t.year, t.target, 1 FROM indicator_targets t "
    "JOIN subjects s ON s.id = t.unit_id "
    "WHERE s.code = $1 AND t.year BETWEEN $2 AND $3 "
    "ORDER BY 1, 2, 4";

int
store_growth_rows(struct store *st, const char *unit, int from, int to,
    growth_row_fn cb, void *d, struct err *e)
{
	struct store_stmt *s = store_prepare(st, Q_ROWS);
	int rc;

	if (s == NULL)
		return store_err(st, e);
	store_bind_text(s, 1, unit);
	store_bind_int(s, 2, from);
	store_bind_int(s, 3, to);
	while ((rc = store_step(s)) == STORE_ROW)
		if (cb(d, store_col_text(s, 0), (int)store_col_int(s, 1),
		    store_col_double(s, 2), (int)store_col_int(s, 3)) != 0)
			break;
	store_reset(s);
	if (rc < 0)
		return store_err(st, e);
	return 0;
}

static const char Q_TARGET_UPSERT[] =
    "INSERT INTO indicator_targets (year, unit_id, indicator, target) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (year, unit_id, indicator) "
    "DO UPDATE SET target = excluded.target";

int
store_write_indicator_targets(struct store *st, const struct batch *b,
    struct err *e)
{
	for (size_t r = 0; r < b->nrows; r++) {
		struct store_stmt *s = store_prepare(st, Q_TARGET_UPSERT);
		int64_t year = 0, uid = 0;
		double v = 0;
		int rc;

		if (s == NULL)
			return store_err(st, e);
		parse_i64(batch_val(b, r, 0), &year);
		codemap_get(&b->refs->subjects, batch_val(b, r, 1), &uid, NULL);
		parse_double(batch_val(b, r, 3), &v);
		store_bind_int(s, 1, year);
		store_bind_int(s, 2, uid);
		store_bind_text(s, 3, batch_val(b, r, 2));
		store_bind_double(s, 4, v);
		if ((rc = store_run(s)) != STORE_DONE)
			return rc == STORE_CONSTRAINT ? err_set(e, ERR_CONFLICT,
			    "%s", store_errmsg(st)) : store_err(st, e);
	}
	return 0;
}

static const char Q_TARGET_EXPORT[] =
    "SELECT t.year, s.code, t.indicator, t.target FROM indicator_targets t "
    "JOIN subjects s ON s.id = t.unit_id ORDER BY t.year, s.code, t.indicator";

int
store_export_indicator_targets(struct store *st,
    int (*row)(void *, const char *const *), void *d, struct err *e)
{
	struct store_stmt *s = store_prepare(st, Q_TARGET_EXPORT);
	char year[16], val[40];
	const char *v[4];
	int rc;

	if (s == NULL)
		return store_err(st, e);
	while ((rc = store_step(s)) == STORE_ROW) {
		snprintf(year, sizeof year, "%lld", (long long)store_col_int(s, 0));
		snprintf(val, sizeof val, "%.15g", store_col_double(s, 3));
		v[0] = year;
		v[1] = store_col_text(s, 1);
		v[2] = store_col_text(s, 2);
		v[3] = val;
		if (row(d, v) != 0) {
			store_reset(s);
			return -1;
		}
	}
	store_reset(s);
	return rc < 0 ? store_err(st, e) : 0;
}
