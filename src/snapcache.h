/*
 * snapcache.h: the one home of derived copies: copies made from the
 * database to be read again faster, caches and never sources.
 *
 *   snapcache-elig.h  the eligibility snapshot's copy beside a SQLite file
 *                     ("DB-elig-YEAR"), stamped with the "elig" and
 *                     "elig-base" generations and the last row of
 *                     elig_log (brought up to date from that log after
 *                     writes of ratings and awards only)
 *   snapcache-col.h   the columnar copies of records and of a movement's
 *                     targets beside a SQLite file ("DB-records.N",
 *                     "DB-targets-ID.N"), stamped with "records" and
 *                     "targets"
 *   snapcache_mem     the server's copies of documents in memory (a
 *                     subtree's summary, h-misc.c), stamped with the
 *                     server's data version and the second
 *
 * All are checked the one way: a copy carries the stamp of what it was
 * made from, and it is current exactly while the stamp now is the same
 * (snapcache_current); otherwise the next reader makes it again. The
 * generations are the store's (store.h: a random number per table that
 * the driver replaces at every write of the table).
 */
#ifndef THIDUA_SNAPCACHE_H
#define THIDUA_SNAPCACHE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "codemap.h"
#include "err.h"
#include "util.h"

struct store;

/*
 * The stamp now of the copies made from generation gen ("elig",
 * "elig-base", "records", "targets"), read on st (in its open transaction, if any, so
 * that it names what the reader sees). 0, or -1 with e filled.
 */
int	 snapcache_stamp(struct store *, const char *gen, int64_t *stamp,
	    struct err *);

/* Whether a copy made at stamp made is current at stamp now. */
static inline int
snapcache_current(int64_t made, int64_t now)
{
	return made == now;
}

/*
 * Copies in memory: a map key → (stamp, document) that server threads
 * share (a read-write lock), at most max entries (when full, it starts
 * again empty). Define one with SNAPCACHE_MEM(max); free it with
 * snapcache_mem_free. get appends the document for key to out and is 1
 * when there is a copy current at stamp, else 0; put keeps a copy of doc.
 */
struct snapcache_mem {
	pthread_rwlock_t	 mu;
	size_t			 max;
	struct codemap		 idx;
	struct snapcache_ent	*ent;	/* NULL until the first put */
	size_t			 n;
};
#define SNAPCACHE_MEM(max) \
	{ PTHREAD_RWLOCK_INITIALIZER, (max), { 0 }, NULL, 0 }

int	 snapcache_mem_get(struct snapcache_mem *, const char *key,
	    int64_t stamp, struct sb *out);
void	 snapcache_mem_put(struct snapcache_mem *, const char *key,
	    int64_t stamp, const char *doc);
void	 snapcache_mem_free(struct snapcache_mem *);

/*
 * Whether the copies written beside a SQLite file are sent to the disk
 * gently by this process (on: the server, whose writes each wait for a
 * commit's fsync; off, the default: the CLI, whose process would wait for
 * the disk instead of leaving the pages to the kernel). Left to the
 * kernel, a copy's pages go out in one burst when they are 30 s old
 * (dirty_expire): the eligibility copy at a million people is 220 MB, a
 * second of this machine's disk (213 MB/s), the records' and targets'
 * 960 MB, and every commit meanwhile waits behind the burst.
 */
void	 snapcache_trickle_on(int on);
int	 snapcache_trickling(void);
/*
 * Send the pages of the file fd (open, any mode) to the disk now, 2 MiB in
 * flight at a time (each part started as the one before it is waited
 * for), at the idle I/O priority, on the caller's thread. Nothing else
 * is waited for; a failure only leaves the pages to the kernel.
 */
void	 snapcache_trickle(int fd);
/* The same for the file path later, on a background thread (par_later),
 * one such file at a time; path is taken and freed. */
void	 snapcache_trickle_later(char *path);

#endif /* THIDUA_SNAPCACHE_H */
