/*
 * store-unit.h: read queries the HTTP API needs beyond the import kinds
 * (store-unit.c): one unit with its neighbours, a unit subtree's
 * counts, a subject's name and place, the top units. Return 1 found, 0 not found, -1 with e set.
 */
#ifndef THIDUA_STORE_UNIT_H
#define THIDUA_STORE_UNIT_H

#include <stdint.h>

#include "err.h"

struct store;
struct sb;

/* {"code","name","kind","bloc","military","parent","children":[{"code","name"}]} */
int	 store_unit_json(struct store *, const char *code, struct sb *out,
	    struct err *);
/*
 * {"unit","name","units","people","year","ratings":{RATING: n},"awards"}:
 * units and current people in the subtree, and the ratings and awards of
 * the latest rated year among its subjects.
 */
int	 store_unit_summary_json(struct store *, const char *code,
	    struct sb *out, struct err *);
/*
 * How big the organisation is and its latest rated year (0: no rating):
 * what the server's warm-up (h-warm.c) decides on.
 */
int	 store_org_size(struct store *, int64_t *subjects, int *year,
	    struct err *);

/*
 * A subject by code as the web app names it: {"type":"unit"|"person",
 * "code","name"} then, for a person, "unit","unit_name" (its unit),
 * "category","joined","left"; for a unit "parent","parent_name" (null at
 * a root), "kind","bloc"; appended to out. 1, 0 not
 * found (out untouched), -1 with e set.
 */
int	 store_subject_brief_json(struct store *, const char *code,
	    struct sb *out, struct err *);
/*
 * The top units, {"code","name"} objects comma-separated into out: the
 * units without a parent, in code order. The count, or -1 with e set.
 */
int	 store_unit_roots_json(struct store *, struct sb *out, struct err *);

/* Every subject id of the subtree of unit (STORE_SQL_SUBTREE's subj: its
 * units, and the people whose unit is one of them), ascending, into *ids
 * (malloc'd, the caller frees; NULL when none). 0 or -1. */
int	 store_subtree_subjects(struct store *, int64_t unit, int64_t **ids,
	    size_t *n, struct err *);
/* The same subjects' codes appended to out, each ended by its '\0'.
 * 0, -1. */
struct sb;
int	 store_subtree_codes(struct store *, int64_t unit, struct sb *out,
	    struct err *);
/* How many units the subtree of the unit whose id is unit holds (itself
 * included), and how many there are. 0, -1 with e set. */
int	 store_subtree_units(struct store *, int64_t unit, int64_t *in,
	    int64_t *all, struct err *);

/*
 * For the store's own queries (store-unit.c, store-import.c): a WITH
 * clause naming a unit's subtree, the unit $1 (its id) included: sub(id)
 * its units, subj(id) those and the people whose unit is one of them.
 * Each step reads an index (units_parent, people_unit).
 */
#define STORE_SQL_SUBTREE \
    "WITH RECURSIVE sub(id) AS (SELECT CAST($1 AS BIGINT) UNION ALL " \
    "SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id), " \
    "subj(id) AS (SELECT id FROM sub UNION " \
    "SELECT p.id FROM people p JOIN sub ON p.unit_id = sub.id) "

#endif
