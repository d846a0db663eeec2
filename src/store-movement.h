/*
 * store-movement.h: named store operations of the movements area:
 * movements and their versions, the snapshot the scoring engine reads
 * (units, people, targets, records, built-in counts), ratings written by
 * `thidua rate`, targets and pledges (import kinds).
 *
 * Streaming operations call fn once per row with a struct mv_row whose
 * fields are documented per operation; text is valid during the call
 * only. fn returns 0 to go on, -1 to stop (the operation then returns
 * -1 and leaves e as fn set it). All return 0 or -1 with e filled.
 */
#ifndef THIDUA_STORE_MOVEMENT_H
#define THIDUA_STORE_MOVEMENT_H

#include <stdint.h>

#include "err.h"

struct store;
struct movement;

struct mv_row {
	int64_t		 i[4];
	double		 d;
	const char	*t[8];
};
typedef int (*mv_row_fn)(void *, const struct mv_row *, struct err *);

/* Id of unit CODE: 0 found, 1 absent, -1 error. */
int	 store_movement_unit_id(struct store *, const char *code, int64_t *id,
	    struct err *);
/*
 * Save m (scope already resolved) as the newest version unless the
 * latest version has the same source; *version gets the current number,
 * *added 1 when a version was added. Inside the caller's transaction.
 */
int	 store_movement_save(struct store *, const struct movement *,
	    int64_t scope_id, const char *source, int *version, int *added,
	    struct err *);
/* Source of the current version; *source malloc'd. ERR_NOTFOUND if absent. */
int	 store_movement_source(struct store *, const char *code, int64_t *id,
	    char **source, int *version, struct err *);
/* Every movement by code: i[0] version; t[0] code, t[1] name_vi,
 * t[2] name_en, t[3] kind, t[4] start, t[5] end, t[6] scope, t[7] subjects. */
int	 store_movement_list(struct store *, mv_row_fn, void *, struct err *);
/* Codes of regular movements ending in YEAR: t[0] code. */
int	 store_movement_regular(struct store *, int year, mv_row_fn, void *,
	    struct err *);

/* Largest subject id (0 when none). */
int	 store_movement_max_subject(struct store *, int64_t *, struct err *);
/* Units: i[0] id, i[1] parent id (0 root); t[0] code, t[1] bloc, t[2] name. */
int	 store_movement_units(struct store *, mv_row_fn, void *, struct err *);
/* People: i[0] id, i[1] unit id; t[0] code, t[1] name. */
/* People with their unit of the period start..end (day numbers). */
int	 store_movement_people(struct store *, int32_t start, int32_t end,
	    mv_row_fn, void *, struct err *);
/* Targets of a movement by subject id: i[0] subject; t[0] criterion; d target. */
int	 store_movement_targets(struct store *, int64_t movement, mv_row_fn,
	    void *, struct err *);
/* The same for subjects lo <= id < hi (one part of a split load). */
int	 store_movement_targets_range(struct store *, int64_t movement,
	    int64_t lo, int64_t hi, mv_row_fn, void *, struct err *);
/* Smallest and largest subject id with a target in the movement (0, 0: none). */
int	 store_movement_target_span(struct store *, int64_t movement,
	    int64_t *lo, int64_t *hi, struct err *);
/* Metrics: i[0] id; t[0] code. */
int	 store_movement_metrics(struct store *, mv_row_fn, void *,
	    struct err *);
/*
 * Records with from <= day <= to, in key order (subject, metric, day):
 * fn(arg, subject, metric, day, value). The hot path: no struct mv_row.
 */
int	 store_movement_records(struct store *, int32_t from, int32_t to,
	    void (*fn)(void *, int64_t, int64_t, int32_t, double), void *,
	    struct err *);
/*
 * Where the records table stands: its generation and the last row of
 * records_log (migration 0015; seq = tag = 0 without it, and always on
 * PostgreSQL, where there is no log).
 */
struct mv_rec_stamp {
	int64_t		 gen, seq, tag;
};
int	 store_movement_records_stamp(struct store *, struct mv_rec_stamp *,
	    struct err *);
/*
 * Every record of subjects lo <= id < hi (all days) in key order, read
 * in one transaction together with the table's stamp (*at), so the
 * rows are exactly those of that stamp: one part of the build of the
 * columnar copy (snapcache-col.h), split over several connections. Not inside
 * a caller's transaction.
 */
int	 store_movement_records_dump(struct store *, int64_t lo, int64_t hi,
	    struct mv_rec_stamp *at,
	    void (*fn)(void *, int64_t, int64_t, int32_t, double),
	    void *, struct err *);
/*
 * What changed in records since stamp had (a copy's), from records_log,
 * in one read transaction (or the caller's): *now gets the stamp read.
 * When the log still holds had's row and at most max rows after it:
 * subject(arg, id) for each subject logged after had's row, ascending,
 * each followed by row(arg, id, metric, day, value) for every record the
 * subject has now (all days, key order); 1. 0 when the log does not
 * reach back to had, or when row returned nonzero (enough: the copy
 * must be made again whole), -1 with e.
 */
int	 store_movement_records_since(struct store *,
	    const struct mv_rec_stamp *had, int64_t max, struct mv_rec_stamp *now,
	    void (*subject)(void *, int64_t),
	    int (*row)(void *, int64_t, int64_t, int32_t, double), void *,
	    struct err *);
/*
 * The targets table's stamp: its generation, and on SQLite targets_log's
 * last row (migration 0025; seq and tag 0 on PostgreSQL).
 */
int	 store_movement_targets_stamp(struct store *, struct mv_rec_stamp *,
	    struct err *);
/*
 * What changed in movement mv's targets since log row seq of tag tag (a
 * copy's), from targets_log, in one read transaction: when the log still
 * holds that row and at most max rows after it, subject(arg, id) for each
 * subject logged for mv after it, ascending, each followed by row(arg,
 * id, criterion, target) for every target of mv the subject has now (by
 * criterion); 1. 0 when the log does not reach back to the row, or when
 * subject or row returned nonzero (enough: the copy must be made again
 * whole), -1 with e.
 */
int	 store_movement_targets_since(struct store *, int64_t mv, int64_t seq,
	    int64_t tag, int64_t max, int (*subject)(void *, int64_t),
	    int (*row)(void *, int64_t, const char *, double), void *,
	    struct err *);
/* Incidents dated in [from, to] (YYYY-MM-DD): i[0] unit; i[1] 1 serious. */
int	 store_movement_incidents(struct store *, const char *from,
	    const char *to, mv_row_fn, void *, struct err *);
/* Innovation authorships of years [y1, y2]: i[0] innovation, i[1] person. */
int	 store_movement_innovations(struct store *, int y1, int y2,
	    mv_row_fn, void *, struct err *);
/* Discipline (not pending) from a day in [from, to]: i[0] subject. */
int	 store_movement_discipline(struct store *, const char *from,
	    const char *to, mv_row_fn, void *, struct err *);

/* Ratings of YEAR: i[0] subject; t[0] rating; t[1] source; t[2] source_ref. */
int	 store_movement_ratings(struct store *, int year, mv_row_fn, void *,
	    struct err *);
/* Store a movement rating (source 'movement', source_ref = code). */
int	 store_movement_rating_put(struct store *, int year, int64_t subject,
	    const char *rating, const char *code, struct err *);
/* Pledges of a movement: i[0] subject; t[0] award; t[1] by; t[2] note. */
int	 store_movement_pledges(struct store *, int64_t movement, mv_row_fn,
	    void *, struct err *);
/* All movements' criteria: t[0] movement code; t[1] criterion; t[2]
 * subjects ('unit'/'person'); i[0] movement id; i[1] scope unit id. */
int	 store_movement_criteria(struct store *, mv_row_fn, void *,
	    struct err *);

/* The targets and pledges import kinds (import-kinds.h), inside the importer's
 * transaction; rows already validated by movement-kinds.c. */
struct batch;
int	 store_write_targets(struct store *, const struct batch *, struct err *);
int	 store_export_targets(struct store *, int (*)(void *, const char *const *),
	    void *, struct err *);
int	 store_write_pledges(struct store *, const struct batch *, struct err *);
int	 store_export_pledges(struct store *, int (*)(void *, const char *const *),
	    void *, struct err *);

/*
 * One record (subject code, metric code, day number, value), inserted or
 * updated, inside the caller's transaction. *had is set when a value was
 * there before (*before). 0 found and written, 0 with *missing = 1 when
 * the subject does not exist (nothing written), -1 with e set.
 */
int	 store_movement_record_put(struct store *, const char *subject,
	    const char *metric, int32_t day, double value, int *missing,
	    int *had, double *before, struct err *);

#endif /* THIDUA_STORE_MOVEMENT_H */
