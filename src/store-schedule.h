/*
 * store-schedule.h: the schedule snapshot loader. Streams units, tasks,
 * task links and progress into a struct sched_snap, no per-row malloc.
 * Progress comes from the maintained totals (progress_totals) plus the
 * rows of recent days, or, when those cannot give the same numbers (or
 * THIDUA_SCHED_FULLSCAN=1 is set), from every row up to as_of: the same
 * snapshot either way.
 */
#ifndef THIDUA_STORE_SCHEDULE_H
#define THIDUA_STORE_SCHEDULE_H

#include "err.h"

struct store;
struct sched_snap;

/*
 * Fill s (initialised with sched_snap_init: as_of and window set).
 * 0, or -1 with ERR_SYSTEM (database) or ERR_USER (a stored date that
 * does not parse, naming the task). On -1 s is still freeable.
 */
int	 store_schedule_load(struct store *, struct sched_snap *s,
	    struct err *);

#endif /* THIDUA_STORE_SCHEDULE_H */
