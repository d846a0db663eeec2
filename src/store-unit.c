/*
 * store-unit.c: SQL for the API's unit views (see store-unit.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-unit.h"
#include "store.h"
#include "util.h"


static void
opt_str(struct sb *o, struct store_stmt *s, int c)
{
	if (store_col_isnull(s, c))
		sb_puts(o, "null");
	else
		sb_json_str(o, store_col_text(s, c));
}

static const char SQL_UNIT[] =
    "SELECT u.id, s.code, u.name, u.kind, u.bloc, u.military, ps.code "
    "FROM units u JOIN subjects s ON s.id = u.id "
    "LEFT JOIN subjects ps ON ps.id = u.parent_id WHERE s.code = $1";
static const char SQL_CHILDREN[] =
    "SELECT s.code, u.name FROM units u JOIN subjects s ON s.id = u.id "
    "WHERE u.parent_id = $1 ORDER BY s.code";

/* Look the unit up: 1 and *id, name row written when out != NULL. */
static int
unit_row(struct store *st, const char *code, int64_t *id, struct sb *out,
    struct err *e)
{
	struct store_stmt *s;
	int rc;

	if ((s = store_prepare(st, SQL_UNIT)) == NULL)
		return store_err(st, e);
	store_bind_text(s, 1, code);
	rc = store_step(s);
	if (rc == STORE_ROW) {
		*id = store_col_int(s, 0);
		sb_puts(out, "{\"code\":");
		sb_json_str(out, store_col_text(s, 1));
		sb_puts(out, ",\"name\":");
		sb_json_str(out, store_col_text(s, 2));
		sb_puts(out, ",\"kind\":");
		sb_json_str(out, store_col_text(s, 3));
		sb_puts(out, ",\"bloc\":");
		opt_str(out, s, 4);
		sb_printf(out, ",\"military\":%s,\"parent\":",
		    store_col_int(s, 5) ? "true" : "false");
		opt_str(out, s, 6);
	}
	store_reset(s);
	if (rc == STORE_ERR)
		return store_err(st, e);
	return rc == STORE_ROW;
}

/*
 * The rows of s (code, name) as JSON objects {"code", "name"} separated by
 * commas onto out, s reset after: how many, or -1 with e filled.
 */
static int
code_names(struct store *st, struct store_stmt *s, struct sb *out,
    struct err *e)
{
	int rc, n = 0;

	while ((rc = store_step(s)) == STORE_ROW) {
		sb_puts(out, n++ ? ",{\"code\":" : "{\"code\":");
		sb_json_str(out, store_col_text(s, 0));
		sb_puts(out, ",\"name\":");
		sb_json_str(out, store_col_text(s, 1));
		sb_putc(out, '}');
	}
	store_reset(s);
	if (rc == STORE_ERR)
		return store_err(st, e);
	return n;
}

int
store_unit_json(struct store *st, const char *code, struct sb *out,
    struct err *e)
{
	struct store_stmt *s;
	int64_t id;
	int rc;

	if ((rc = unit_row(st, code, &id, out, e)) <= 0)
		return rc;
	if ((s = store_prepare(st, SQL_CHILDREN)) == NULL)
		return store_err(st, e);
	store_bind_int(s, 1, id);
	sb_puts(out, ",\"children\":[");
	if (code_names(st, s, out, e) < 0)
		return -1;
	sb_puts(out, "]}");
	return 1;
}

static const char SQL_SUBTREE_SUBJECTS[] = STORE_SQL_SUBTREE
    "SELECT id FROM subj ORDER BY id";

int
store_subtree_subjects(struct store *st, int64_t unit, int64_t **ids,
    size_t *n, struct err *e)
{
	struct store_stmt *s = store_prepare(st, SQL_SUBTREE_SUBJECTS);
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	if (s == NULL)
		return store_err(st, e);
	store_bind_int(s, 1, unit);
	while ((rc = store_step(s)) == STORE_ROW) {
		grow(ids, &cap, *n + 1, sizeof **ids);
		(*ids)[(*n)++] = store_col_int(s, 0);
	}
	store_reset(s);
	if (rc != STORE_DONE) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return store_err(st, e);
	}
	return 0;
}

static const char SQL_SUBTREE_CODES[] = STORE_SQL_SUBTREE
    "SELECT s.code FROM subj JOIN subjects s ON s.id = subj.id";

int
store_subtree_codes(struct store *st, int64_t unit, struct sb *out,
    struct err *e)
{
	struct store_stmt *s = store_prepare(st, SQL_SUBTREE_CODES);
	int rc;

	if (s == NULL)
		return store_err(st, e);
	store_bind_int(s, 1, unit);
	while ((rc = store_step(s)) == STORE_ROW) {
		const char *c = store_col_text(s, 0);

		sb_putn(out, c, strlen(c) + 1);
	}
	store_reset(s);
	return rc == STORE_DONE ? 0 : store_err(st, e);
}

static const char SQL_SUBTREE_UNITS[] = STORE_SQL_SUBTREE
    "SELECT (SELECT COUNT(*) FROM sub), (SELECT COUNT(*) FROM units)";

int
store_subtree_units(struct store *st, int64_t unit, int64_t *in,
    int64_t *all, struct err *e)
{
	struct store_stmt *s = store_prepare(st, SQL_SUBTREE_UNITS);

	if (s == NULL)
		return store_err(st, e);
	store_bind_int(s, 1, unit);
	if (store_step(s) != STORE_ROW) {
		store_reset(s);
		return store_err(st, e);
	}
	*in = store_col_int(s, 0);
	*all = store_col_int(s, 1);
	store_reset(s);
	return 0;
}

/*
 * A subtree's counts, and the same for a subtree that holds every unit
 * (the root's, the administrator's dashboard): the same numbers without
 * the subtree's million subjects gathered and joined (every person's
 * unit is a unit, every rating's subject a unit or a person): at a
 * million people 13 s -> well under a second.
 */
static const char SQL_COUNTS_ALL[] =
    "SELECT (SELECT COUNT(*) FROM units), (SELECT COUNT(*) FROM people p "
    "WHERE p.left_on IS NULL), (SELECT MAX(r.year) FROM ratings r)";
static const char SQL_RATINGS_ALL[] =
    "SELECT r.rating, COUNT(*) FROM ratings r WHERE r.year = $1 "
    "GROUP BY r.rating ORDER BY r.rating";
/* (the year's awards from the primary key alone, less the revoked ones
 * from migration 0020's index of them: the year's 895,000 awards at a
 * million people, each looked up for its flag, took 0.6 s; 0.08 s so) */
static const char SQL_AWARDS_ALL[] =
    "SELECT (SELECT COUNT(*) FROM awards WHERE year = $1) - "
    "(SELECT COUNT(*) FROM awards WHERE year = $1 AND revoked <> 0)";
/*
 * A subtree's year is the latest its subjects were rated: almost always
 * the latest year anyone was (the table's last key, no join), which it
 * is whenever the subtree has a rating of that year; only when it has
 * none are its subjects' ratings joined for their latest (at a million
 * people, a quarter of a second of a 0.8 s summary).
 */
static const char SQL_COUNTS[] = STORE_SQL_SUBTREE
    "SELECT (SELECT COUNT(*) FROM sub), (SELECT COUNT(*) FROM people p "
    "WHERE p.unit_id IN (SELECT id FROM sub) AND p.left_on IS NULL), "
    "(SELECT MAX(r.year) FROM ratings r)";
static const char SQL_LATEST[] = STORE_SQL_SUBTREE
    "SELECT MAX(r.year) FROM ratings r JOIN subj ON subj.id = r.subject_id";
/* The subtree's ratings of the year by rating, then (kind 1) its awards
 * of the year: one statement, so that the subtree's subjects are gathered
 * once for both (0.12 s of a commander's summary at a million people).
 * (CROSS JOIN: the subtree's subjects first, each looked up with the
 * year. Left to itself SQLite counted everyone's ratings of the year
 * through migration 0019's (year, rating) index, keeping the subtree's:
 * 1.0 s for a commander of 110,000 at a million people, 0.36 s so.) */
static const char SQL_YEAR[] = STORE_SQL_SUBTREE
    "SELECT 0, r.rating, COUNT(*) FROM subj CROSS JOIN ratings r WHERE "
    "r.subject_id = subj.id AND r.year = $2 GROUP BY r.rating "
    "UNION ALL SELECT 1, '', COUNT(*) FROM awards a JOIN subj ON "
    "subj.id = a.subject_id WHERE a.year = $2 AND a.revoked = 0 "
    "ORDER BY 1, 2";

/* $1 the unit, $2 the year; the whole tree's queries take the year alone */
static void
bind_unit_year(struct store_stmt *s, int whole, int64_t id, int64_t year)
{
	if (whole)
		store_bind_int(s, 1, year);
	else {
		store_bind_int(s, 1, id);
		store_bind_int(s, 2, year);
	}
}

/* The one count of a one-row statement s, bound to year: 0, or -1. */
static int
count_of(struct store *st, struct store_stmt *s, int64_t year, int64_t *n,
    struct err *e)
{
	int rc;

	store_bind_int(s, 1, year);
	if ((rc = store_step(s)) == STORE_ROW)
		*n = store_col_int(s, 0);
	store_reset(s);
	return rc == STORE_ROW ? 0 : store_err(st, e);
}

/*
 * The ratings of year in the subtree of id (whole: every subject's) as
 * "RATING":N pairs into out, and its awards of the year into *awards:
 * how many pairs, or -1.
 */
static int
year_of(struct store *st, int whole, int64_t id, int64_t year,
    struct sb *out, int64_t *awards, struct err *e)
{
	struct store_stmt *s;
	int rc, n = 0;

	*awards = 0;
	if ((s = store_prepare(st, whole ? SQL_RATINGS_ALL : SQL_YEAR)) == NULL)
		return store_err(st, e);
	bind_unit_year(s, whole, id, year);
	while ((rc = store_step(s)) == STORE_ROW) {
		int col = whole ? 0 : 1;

		if (!whole && store_col_int(s, 0) == 1) {
			*awards = store_col_int(s, 2);
			continue;
		}
		if (n++)
			sb_putc(out, ',');
		sb_json_str(out, store_col_text(s, col));
		sb_printf(out, ":%lld", (long long)store_col_int(s, col + 1));
	}
	store_reset(s);
	if (rc == STORE_ERR)
		return store_err(st, e);
	if (whole && ((s = store_prepare(st, SQL_AWARDS_ALL)) == NULL ||
	    count_of(st, s, year, awards, e) != 0))
		return s == NULL ? store_err(st, e) : -1;
	return n;
}

static const char SQL_ORG_SIZE[] =
    "SELECT (SELECT COUNT(*) FROM subjects), (SELECT MAX(year) FROM ratings)";

int
store_org_size(struct store *st, int64_t *subjects, int *year, struct err *e)
{
	struct store_stmt *s = store_prepare(st, SQL_ORG_SIZE);

	if (s == NULL || store_step(s) != STORE_ROW) {
		if (s != NULL)
			store_reset(s);
		return store_err(st, e);
	}
	*subjects = store_col_int(s, 0);
	*year = store_col_isnull(s, 1) ? 0 : (int)store_col_int(s, 1);
	store_reset(s);
	return 0;
}

int
store_unit_summary_json(struct store *st, const char *code, struct sb *out,
    struct err *e)
{
	struct store_stmt *s;
	struct sb head, rt;
	int64_t id, year = 0, in, all, units, people, awards = 0;
	int rc, n, whole, none;

	sb_init(&head);
	rc = unit_row(st, code, &id, &head, e);
	sb_free(&head);
	if (rc <= 0)
		return rc;
	if (store_subtree_units(st, id, &in, &all, e) != 0)
		return -1;
	whole = in == all;
	if ((s = store_prepare(st, whole ? SQL_COUNTS_ALL : SQL_COUNTS)) == NULL)
		return store_err(st, e);
	if (!whole)
		store_bind_int(s, 1, id);
	if ((rc = store_step(s)) != STORE_ROW) {
		store_reset(s);
		return store_err(st, e);
	}
	units = store_col_int(s, 0);
	people = store_col_int(s, 1);
	if (!(none = store_col_isnull(s, 2)))
		year = store_col_int(s, 2);
	store_reset(s);
	sb_init(&rt);
	n = year_of(st, whole, id, year, &rt, &awards, e);
	if (n == 0 && !whole && !none) {	/* none of the latest year */
		if ((s = store_prepare(st, SQL_LATEST)) == NULL) {
			sb_free(&rt);
			return store_err(st, e);
		}
		store_bind_int(s, 1, id);
		if ((rc = store_step(s)) != STORE_ROW) {
			store_reset(s);
			sb_free(&rt);
			return store_err(st, e);
		}
		none = store_col_isnull(s, 0);
		year = none ? 0 : store_col_int(s, 0);
		store_reset(s);
		sb_reset(&rt);
		n = none ? 0 : year_of(st, whole, id, year, &rt, &awards, e);
		if (none)
			awards = 0;
	}
	if (n < 0) {
		sb_free(&rt);
		return -1;
	}
	sb_puts(out, "{\"unit\":");
	sb_json_str(out, code);
	sb_printf(out, ",\"units\":%lld,\"people\":%lld,\"year\":",
	    (long long)units, (long long)people);
	if (none)
		sb_puts(out, "null");
	else
		sb_printf(out, "%lld", (long long)year);
	sb_puts(out, ",\"ratings\":{");
	if (rt.len > 0)
		sb_putn(out, rt.s, rt.len);
	sb_free(&rt);
	sb_printf(out, "},\"awards\":%lld}", (long long)awards);
	return 1;
}

static const char SQL_BRIEF[] =
    "SELECT s.kind, s.code, COALESCE(u.name, p.name), ps.code, pu.name, "
    "u.kind, u.bloc, p.category, p.joined, p.left_on "
    "FROM subjects s LEFT JOIN units u ON u.id = s.id "
    "LEFT JOIN people p ON p.id = s.id "
    "LEFT JOIN subjects ps ON ps.id = COALESCE(p.unit_id, u.parent_id) "
    "LEFT JOIN units pu ON pu.id = ps.id WHERE s.code = $1";

int
store_subject_brief_json(struct store *st, const char *code, struct sb *out,
    struct err *e)
{
	struct store_stmt *s;
	int rc, unit;

	if ((s = store_prepare(st, SQL_BRIEF)) == NULL)
		return store_err(st, e);
	store_bind_text(s, 1, code);
	if ((rc = store_step(s)) == STORE_ROW) {
		unit = strcmp(store_col_text(s, 0), "unit") == 0;
		sb_puts(out, "{\"type\":");
		sb_json_str(out, store_col_text(s, 0));
		sb_puts(out, ",\"code\":");
		sb_json_str(out, store_col_text(s, 1));
		sb_puts(out, ",\"name\":");
		opt_str(out, s, 2);
		sb_puts(out, unit ? ",\"parent\":" : ",\"unit\":");
		opt_str(out, s, 3);
		sb_puts(out, unit ? ",\"parent_name\":" : ",\"unit_name\":");
		opt_str(out, s, 4);
		if (unit) {
			sb_puts(out, ",\"kind\":");
			opt_str(out, s, 5);
			sb_puts(out, ",\"bloc\":");
			opt_str(out, s, 6);
		} else {
			sb_puts(out, ",\"category\":");
			opt_str(out, s, 7);
			sb_puts(out, ",\"joined\":");
			opt_str(out, s, 8);
			sb_puts(out, ",\"left\":");
			opt_str(out, s, 9);
		}
		sb_putc(out, '}');
	}
	store_reset(s);
	if (rc == STORE_ERR)
		return store_err(st, e);
	return rc == STORE_ROW;
}

static const char SQL_ROOTS[] =
    "SELECT s.code, u.name FROM units u JOIN subjects s ON s.id = u.id "
    "WHERE u.parent_id IS NULL OR u.parent_id = u.id ORDER BY s.code";

int
store_unit_roots_json(struct store *st, struct sb *out, struct err *e)
{
	struct store_stmt *s;

	if ((s = store_prepare(st, SQL_ROOTS)) == NULL)
		return store_err(st, e);
	return code_names(st, s, out, e);
}
