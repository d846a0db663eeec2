/*
 * store-elig.h: the eligibility snapshot loader. It streams what the
 * engine needs for one year into a struct elig_snap (elig.h), one pass
 * per table, on both backends.
 *
 * Ownership: the snapshot is freed with elig_snap_free().
 */
#ifndef THIDUA_STORE_ELIG_H
#define THIDUA_STORE_ELIG_H

#include <stdint.h>

#include "elig.h"
#include "err.h"

struct store;

/*
 * What a snapshot was read at (SQLite): the "elig" generation (every
 * table it reads), "elig-base" (all of them but ratings and awards) and
 * the last row of elig_log (seq and its random tag; 0 when the log is
 * empty), which the triggers of migration 0014 append a row to for every
 * row of ratings or awards written; and the last row of subject_log
 * (sseq, stag: migration 0016 logs the subjects whose subjects, units,
 * people or person_units rows are written), which a rebase reads the
 * people changed since from. Two stamps are the same snapshot when gen,
 * base, seq and tag are (elig_stamp_same): sseq moves only with base.
 */
struct elig_stamp {
	int64_t	 gen, base, seq, tag;
	int64_t	 sseq, stag;
};

/*
 * A sound snapshot of the year read at had (a copy, snapcache-elig.h),
 * which another table than ratings and awards has been written since
 * (people, units, discipline ...): a rebase. The load then reads every
 * table but those two, the largest, and takes each subject's ratings and
 * awards from sn by its store id (sid); those of a subject sn has not,
 * and of each the log names since had, are read again by index. Possible
 * when the log still holds had's row and at most STORE_ELIG_DELTA_MAX
 * rows came after it; else the load reads everything. When subject_log
 * too holds had's row (sseq, stag) with at most as many after it, the
 * people and their stays are carried from sn as well, but those it names
 * since, read again by id, and every code comes with its unit or person
 * (not from a read of every subject). used: set to 1 when it was a
 * rebase, 2 when the people were carried too. sn is only read.
 */
struct elig_from {
	const struct elig_snap	*sn;
	struct elig_stamp	 had;
	int			 used;
};

/*
 * Load the snapshot for rs and year into sn (zeroed first), and when
 * stamp is not NULL what it was read at (SQLite only); with from (and
 * stamp) not NULL, rebased on from when possible. 0 or -1.
 */
int	 store_elig_snapshot(struct store *, const struct ruleset *, int year,
	    struct elig_snap *sn, struct elig_stamp *stamp,
	    struct elig_from *from, struct err *);

/* The stamp now, in the caller's transaction if any (SQLite). 0 or -1. */
int	 store_elig_stamp(struct store *, struct elig_stamp *, struct err *);

/*
 * A second connection to st's SQLite file, in a read transaction that sees
 * the same commit as st's (st in a read transaction whose stamp, read
 * first, is stamp: every table the stamp covers is then the same), for a
 * second thread to read beside st; close it with store_rollback and
 * store_close. NULL when there is none (PostgreSQL, or a commit landed
 * between the two: read everything on st).
 */
struct store *store_elig_reader(struct store *, const struct elig_stamp *);

/*
 * Bring sn, read at had (its arrays writable), up to date with what the
 * log holds after had's row, in one read transaction: the ratings and
 * awards of each subject the log names are read again (a handful of rows
 * each, by index). Possible only when nothing but ratings and awards was
 * written since (the same "elig-base"), the log still holds had's row,
 * at most STORE_ELIG_DELTA_MAX rows came after it and none is an award of
 * the window resting on innovations. now: the stamp sn is then current
 * at. d: what was done; d->members is set when a rating of the year came
 * or went (the members must be derived again: elig_snap_derive_members).
 * 0 done, 1 not possible (load it whole), -1 with e filled.
 */
#define STORE_ELIG_DELTA_MAX	50000
struct elig_delta {
	int64_t	 rows;		/* of the log applied */
	size_t	 subjects;	/* read again */
	int	 members;
};
int	 store_elig_delta(struct store *, const struct ruleset *,
	    struct elig_snap *sn, const struct elig_stamp *had,
	    struct elig_stamp *now, struct elig_delta *d, struct err *);

#endif /* THIDUA_STORE_ELIG_H */
