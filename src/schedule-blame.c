/*
 * schedule-blame.c: fair blame for the scoring engine's built-in metrics
 * @ontime_tasks and @late_tasks. Tasks due in a period are counted per
 * responsible unit; a task that is late only because an upstream task
 * slipped (its own forecast, given the wait the upstream imposed, meets
 * its due date) is charged to the unit of the origin of that slip (the
 * first entry of caused_by: the critical chain's origin), not to the
 * unit that waited. Rules: docs/schedule.md.
 */
#include <stdlib.h>
#include <string.h>

#include "schedule.h"
#include "store-schedule.h"
#include "util.h"

static int
cmp_unit(const void *a, const void *b)
{
	return strcmp(((const struct unit_blame *)a)->unit,
	    ((const struct unit_blame *)b)->unit);
}

int
sched_blame_run(const struct sched_snap *s, const struct sched_result *r,
    int32_t from_day, int32_t to_day, struct unit_blame **out, size_t *n)
{
	size_t nu = s->nunits, i, k = 0;
	int *ontime = xcalloc(nu + 1, sizeof *ontime);
	int *late = xcalloc(nu + 1, sizeof *late);
	struct unit_blame *ub;

	for (i = 0; i < s->n; i++) {
		int32_t u = s->unit[i];

		if (s->due[i] < from_day || s->due[i] > to_day)
			continue;
		if (r->status[i] == SCHED_DONE && r->fin[i] <= s->due[i]) {
			ontime[u >= 0 ? (size_t)u : nu]++;
			continue;
		}
		if (!r->own_slip[i] && r->clen[i] > 0)
			u = s->unit[r->cause[r->coff[i]]];
		late[u >= 0 ? (size_t)u : nu]++;
	}
	ub = xcalloc(nu + 1, sizeof *ub);
	for (i = 0; i < nu; i++)
		if (ontime[i] || late[i]) {
			snprintf(ub[k].unit, sizeof ub[k].unit, "%s",
			    s->text + s->unit_code[i]);
			ub[k].ontime = ontime[i];
			ub[k].late = late[i];
			k++;
		}
	qsort(ub, k, sizeof *ub, cmp_unit);
	free(ontime);
	free(late);
	*out = ub;
	*n = k;
	return 0;
}

int
schedule_blame(struct store *st, int32_t from_day, int32_t to_day,
    struct unit_blame **out, size_t *n, struct err *e)
{
	struct sched_snap s;
	struct sched_result r;
	int rc;

	*out = NULL;
	*n = 0;
	sched_snap_init(&s, to_day, SCHED_WINDOW);
	if (store_schedule_load(st, &s, e) != 0 || sched_run(&s, &r, e) != 0) {
		sched_snap_free(&s);
		return -1;
	}
	rc = sched_blame_run(&s, &r, from_day, to_day, out, n);
	sched_result_free(&r);
	sched_snap_free(&s);
	return rc;
}
