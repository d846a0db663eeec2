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
 * The copy is a cache, never a source. It is stamped with the "elig"
 * generation (snapcache_stamp, migration 0010), which every store write
 * of a table the snapshot reads (subjects, units, people, stays,
 * ratings, awards, innovations and their authors, discipline, incidents)
 * replaces in its own transaction; and with a fingerprint of what the
 * snapshot takes from the rule set (its code, its awards' codes in
 * order, which of them are campaign awards). A copy whose stamp,
 * fingerprint, year or size does not match is rebuilt by the next
 * reader. File: "DB-elig-YEAR", written under a temporary name and
 * renamed into place. Not used on PostgreSQL.
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
 * leaving a copy for the next reader when the store is a SQLite file (a
 * copy that cannot be written is simply absent). 0, or -1 with e filled.
 */
int	 elig_cache_load(struct store *, const struct ruleset *rs, int year,
	    struct elig_snap *sn, struct err *);

#endif /* THIDUA_SNAPCACHE_ELIG_H */
