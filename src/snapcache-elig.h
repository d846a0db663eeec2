/*
 * snapcache-elig.h: the eligibility snapshot's copy beside a SQLite database.
 *
 * Loading a year's snapshot (store_elig_snapshot) steps every person,
 * stay, rating, award and innovation of ten years through SQLite: seconds
 * at ministry scale, on every `thidua eligibility`, every proposal and
 * every `GET /api/v1/eligibility`. The snapshot is a handful of flat
 * arrays (with those elig_snap_derive builds from them), so a copy of
 * them in a file is read back in milliseconds.
 *
 * The copy is a cache, never a source. It is stamped with what it was
 * read at (struct elig_stamp, store-elig.h): the "elig" generation
 * (migration 0010), which every store write of a table the snapshot reads
 * (subjects, units, people, stays, ratings, awards, innovations and their
 * authors, discipline, incidents, service) replaces in its own
 * transaction; "elig-base" (migration 0014), replaced likewise by all of
 * them but ratings and awards; and the last row of elig_log, to which
 * triggers append the subject and year of every row of ratings or awards
 * written. And with a fingerprint of what the snapshot takes from the
 * rule set (its code, its awards' codes in order, which of them are
 * campaign awards). A copy whose fingerprint, year or size does not match
 * is rebuilt by the next reader; one whose stamp differs only by ratings
 * and awards (the same "elig-base", its log row still there) is brought
 * up to date in memory by reading again the rows of the subjects the log
 * names (store_elig_delta), and written back when that cost more than a
 * moment (the members derived again, 4,096 subjects or 16,384 log rows);
 * one out of date by other tables too, its log row still there, is
 * rebased: those tables are loaded again, each subject's ratings and
 * awards taken from the copy (struct elig_from, store-elig.h); any other
 * is rebuilt. File: "DB-elig-YEAR", written under a temporary
 * name and renamed into place. On PostgreSQL a server keeps its copies in
 * memory instead (elig_cache_memory), brought up to date the same way
 * from migration 0023's log.
 *
 * Ownership: sn is filled with malloc'd arrays either way, freed by
 * elig_snap_free().
 */
#ifndef THIDUA_SNAPCACHE_ELIG_H
#define THIDUA_SNAPCACHE_ELIG_H

#include <stdint.h>

#include "elig.h"
#include "rules.h"
#include "snapcache.h"

struct store;

/*
 * The snapshot of year for rule set rs into sn (zeroed first): from its
 * copy when that is current, else from the store (store_elig_snapshot),
 * leaving a copy for the next reader when the store is a SQLite file, or
 * PostgreSQL with elig_cache_memory on (a copy that cannot be written is
 * simply absent). 0, or -1 with e filled.
 */
int	 elig_cache_load(struct store *, const struct ruleset *rs, int year,
	    struct elig_snap *sn, struct err *);

/*
 * Where the copy of a snapshot loaded from the store is written: on a
 * thread beside the report made from it (on, the default, the CLI's and
 * the server's: the report does not wait for the copy; the snapshot owns
 * the writer and elig_snap_free waits for it), or before elig_cache_load
 * returns (off).
 */
void	 elig_cache_beside(int on);


/*
 * On PostgreSQL, whether copies are kept in memory (on: the server, whose
 * next request after a write of ratings or awards then reads again only
 * the subjects the log names since, as on SQLite; off, the default: the
 * CLI, whose process ends with its report). Off lets them go.
 */
void	 elig_cache_memory(int on);

struct elig_stamp;
/*
 * The stamp a snapshot read now is current at (what elig_cache_load
 * compares a copy's with, and a server's kept evaluations theirs): 0, or
 * -1 when there is none (a database before migration 0014). On
 * PostgreSQL it is the generations and the last row of migration 0023's
 * log (no subject_log), which every write through thidua replaces at its
 * commit and any other program's write by migration 0022's and 0023's
 * triggers. Two stamps are the same
 * snapshot when elig_stamp_same.
 */
int	 elig_cache_stamp(struct store *, struct elig_stamp *now);
int	 elig_stamp_same(const struct elig_stamp *, const struct elig_stamp *);

#endif /* THIDUA_SNAPCACHE_ELIG_H */
