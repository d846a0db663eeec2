/*
 * snapcache-kept.h: answers a server keeps in memory and gives again
 * while the tables they rest on are unchanged. Each is kept under a code and a
 * year with the eligibility tables' stamp and, when it rests on them,
 * the movements' stamp (NULL: it does not), both read before it was made
 * (a write in between makes it older than its data, never newer), as an
 * array of n elements of the set's size and an int of the caller's
 * (aux). A set holds KEPT_SLOTS answers at most: an
 * answer for the same code and year takes its place, any other the
 * oldest one's. Answers of more than the set's max elements are not
 * kept. Each set counts its hits and its answers made again under its
 * /metrics kind. Every call is thread-safe. A set is off until kept_on(set, 1)
 * (a server; the CLI keeps none); kept_on(set, 0) frees what it holds.
 * The users: movement_scores (movement-svc.c), exemplar discovery
 * (exemplar-svc.c) and the innovation register's summary
 * (innovation-svc.c).
 *
 * Ownership: the set owns its copies; kept_get gives the caller a copy
 * of its own (free it).
 */
#ifndef THIDUA_SNAPCACHE_KEPT_H
#define THIDUA_SNAPCACHE_KEPT_H

#include <pthread.h>
#include <stddef.h>

#include "movement.h"
#include "store-elig.h"

#define KEPT_SLOTS	4

struct store;

struct kept_set {
	pthread_mutex_t	 mu;
	size_t		 size;		/* of an element */
	size_t		 max;		/* elements an answer kept may have */
	int		 nslot;		/* ≤ KEPT_SLOTS */
	int		 on;
	const char	*metric;	/* the /metrics kind (metrics_snapshot) */
	unsigned	 next;		/* the slot replaced next */
	struct kept_slot {
		char			 code[33];
		int			 year, aux;
		struct elig_stamp	 elig;
		struct mv_stamp		 mv;
		int			 with_mv;	/* mv was given */
		void			*v;	/* NULL: empty */
		size_t			 n;
	}		 slot[KEPT_SLOTS];
	/* a set made once (KEPT_SET_ONCE): the answers being made */
	int		 once;
	pthread_cond_t	 cv;
	struct kept_making {
		int			 on, year, with_mv;
		char			 code[33];
		struct elig_stamp	 elig;
		struct mv_stamp		 mv;
	}		 making[KEPT_SLOTS];
};

/* A set of n answers of elements of sz bytes, at most most each,
 * counted under the /metrics kind kind. */
#define KEPT_SET(sz, n, most, kind) \
	{ .mu = PTHREAD_MUTEX_INITIALIZER, .size = (sz), .max = (most), \
	  .nslot = (n), .metric = (kind), .cv = PTHREAD_COND_INITIALIZER }
/* The same, each answer made once: a caller that misses one (kept_get 0)
 * makes it and must then kept_put it or kept_drop it; another missing the
 * same answer meanwhile waits for it (at most KEPT_WAIT_S) instead of
 * making it too (the warm-up after writes, h-warm.c, and a request
 * arriving meanwhile: 2-4 s of the same work each at a million people). */
#define KEPT_SET_ONCE(sz, n, most, kind) \
	{ .mu = PTHREAD_MUTEX_INITIALIZER, .size = (sz), .max = (most), \
	  .nslot = (n), .metric = (kind), .cv = PTHREAD_COND_INITIALIZER, \
	  .once = 1 }
#define KEPT_WAIT_S	60

void	 kept_on(struct kept_set *, int on);
int	 kept_is_on(struct kept_set *);
/*
 * The stamps an answer is kept under, read before it is made: the
 * eligibility tables' into es and, when ms is not NULL, the movements'.
 * 0, or -1 when there are none (PostgreSQL: keep nothing).
 */
int	 kept_stamps(struct store *, struct elig_stamp *es, struct mv_stamp *ms);
/* Whether the set is on and the stamps were read (kept_stamps). */
int	 kept_stamp(struct kept_set *, struct store *, struct elig_stamp *es,
	    struct mv_stamp *ms);
/* A copy of the answer kept for code and year at these stamps: 1 (a
 * hit counted), else 0. */
int	 kept_get(struct kept_set *, const char *code, int year,
	    const struct elig_stamp *, const struct mv_stamp *,
	    void **out, size_t *n, int *aux);
/* A missed answer of a KEPT_SET_ONCE set not made after all (failed):
 * those waiting for it make their own. */
void	 kept_drop(struct kept_set *, const char *code, int year);
/* Keep a copy of v (n elements) for code and year, made at these stamps
 * (an answer made again, counted). */
void	 kept_put(struct kept_set *, const char *code, int year,
	    const struct elig_stamp *, const struct mv_stamp *,
	    const void *v, size_t n, int aux);

#endif /* THIDUA_SNAPCACHE_KEPT_H */
