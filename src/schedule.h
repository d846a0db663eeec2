/*
 * schedule.h: key tasks, their forecasts, the propagation of slips along
 * task links, fair blame for late tasks, and suggested raid campaigns.
 *
 * Three layers meet here (docs/schedule.md states every rule):
 *   - the snapshot (struct sched_snap, schedule-snap.c): tasks, links and
 *     progress as flat arrays indexed by a dense task index 0..n-1,
 *     filled by the store (store-schedule.h) in one pass per table;
 *   - the engine (sched_run, schedule.c): pure C, no I/O; one pass over
 *     the tasks in topological order (Kahn over a CSR of predecessors);
 *   - the services: the JSON documents the CLI and the HTTP API both
 *     return, the table/CSV renderings and campaign YAML (schedule-svc.c),
 *     and schedule_blame for the movements engine (schedule-blame.c).
 *
 * Ownership: sched_snap_free() / sched_result_free() release what the
 * loader / engine allocated; the services allocate and free internally
 * and only append to the caller's struct sb.
 */
#ifndef THIDUA_SCHEDULE_H
#define THIDUA_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"

struct store;
struct sb;

#define SCHED_NEVER	INT32_MAX	/* no finite day (zero pace) */
#define SCHED_NONE	INT32_MIN	/* no such day (no progress yet) */
#define SCHED_WINDOW	14		/* default --window */
#define SCHED_CAUSE_MAX	32		/* caused_by entries kept per task */

enum sched_status { SCHED_DONE, SCHED_LATE, SCHED_STALLED, SCHED_AT_RISK,
	SCHED_ON_TRACK, SCHED__NSTATUS };
/* What a forecast rests on. */
enum sched_basis { SCHED_B_DONE, SCHED_B_PACE, SCHED_B_PLAN,
	SCHED_B_NO_PACE, SCHED__NBASIS };

/* Stable public names ("done", "late", ... / "done", "pace", ...). */
const char	*sched_status_name(enum sched_status);
const char	*sched_basis_name(enum sched_basis);

/*
 * The snapshot. Text fields are offsets into text[] (0 is the empty
 * string). Tasks are in ascending database id order.
 */
struct sched_snap {
	size_t		 n, cap;
	int64_t		*id;		/* database id, ascending */
	uint32_t	*code, *name, *product, *customer;
	int32_t		*unit;		/* dense unit index */
	double		*qty;
	int32_t		*start, *due;	/* day numbers */
	uint8_t		*hard;
	/* progress up to as_of (see sched_progress_add) */
	double		*done;		/* quantity done by as_of */
	double		*win;		/* done inside the window */
	int32_t		*first_day;	/* first progress day, SCHED_NONE */
	int32_t		*finish_day;	/* day the total reached qty, SCHED_NONE */
	/* links as a CSR over predecessors: pred[poff[i]..poff[i+1]) */
	size_t		 nlinks;
	uint32_t	*poff, *pred;
	int32_t		*lag;
	/* units: dense index, parent index (-1 for a root), code offset */
	size_t		 nunits, ucap;
	int64_t		*unit_id;	/* ascending */
	int32_t		*unit_parent;
	uint32_t	*unit_code;
	char		*text;
	size_t		 tlen, tcap;
	/* the as_of and window the progress sums were taken for */
	int32_t		 as_of;
	int		 window;
};

void	 sched_snap_init(struct sched_snap *, int32_t as_of, int window);
void	 sched_snap_free(struct sched_snap *);
/* Append a string to text[]; returns its offset. */
uint32_t sched_text(struct sched_snap *, const char *);
/* Append a task (progress zeroed) / a unit; returns its dense index. */
size_t	 sched_add_task(struct sched_snap *, int64_t id, const char *code,
	    const char *name, int32_t unit, double qty, int32_t start,
	    int32_t due, const char *product, const char *customer, int hard);
size_t	 sched_add_unit(struct sched_snap *, int64_t id, const char *code);
/* Dense index of a task / unit database id, or -1. */
long	 sched_task_index(const struct sched_snap *, int64_t id);
long	 sched_unit_index(const struct sched_snap *, int64_t id);
/*
 * One progress row of task i. Rows of one task must come in ascending
 * day order (the progress key order); rows after as_of are ignored.
 */
void	 sched_progress_add(struct sched_snap *, size_t i, int32_t day,
	    double qty);
/*
 * The same fold over any arrays (a parallel loader folds into arrays of
 * its own, indexed by its own offsets, then copies them into the
 * snapshot). qty is read, the rest accumulated; first/finish start at
 * SCHED_NONE, done/win at 0.
 */
struct sched_fold {
	const double	*qty;
	double		*done, *win;
	int32_t		*first, *finish;
	int32_t		 as_of;
	int		 window;
};
void	 sched_fold_row(const struct sched_fold *, size_t i, int32_t day,
	    double qty);
/*
 * Build the predecessor CSR from link triples (task depends on dep,
 * lag days), dense indexes. Takes ownership of nothing.
 */
void	 sched_set_links(struct sched_snap *, size_t nl, const uint32_t *task,
	    const uint32_t *dep, const int32_t *lag);

/* Engine output, one entry per task unless said otherwise. */
struct sched_result {
	size_t		 n;
	uint32_t	*order;		/* topological order */
	int32_t		*fin;		/* forecast (or actual) finish, SCHED_NEVER */
	int32_t		*own_fin;	/* finish had no upstream slipped */
	int32_t		*begin;		/* when the remaining work can start */
	double		*planned;	/* planned to date */
	double		*pace;		/* per day the forecast uses */
	uint8_t		*status;	/* enum sched_status */
	uint8_t		*basis;		/* enum sched_basis */
	uint8_t		*own_slip;	/* own_fin after due */
	/* caused_by: cause[coff[i] .. coff[i] + clen[i]) */
	uint32_t	*coff;
	uint8_t		*clen;
	uint8_t		*cmore;		/* 1: more causes than SCHED_CAUSE_MAX */
	uint32_t	*cause;
	size_t		 ncause;
	/* impacts: imp[ioff[i] .. ioff[i+1]), in topological order */
	uint32_t	*ioff;
	uint32_t	*imp;
};

/*
 * Run the engine over a loaded snapshot (as_of and window come from it).
 * -1 with ERR_USER naming the tasks on a cycle of links.
 */
int	 sched_run(const struct sched_snap *, struct sched_result *,
	    struct err *);
void	 sched_result_free(struct sched_result *);
/* Slip in days (>= 0), or -1 when there is no finite forecast. */
long	 sched_slip(const struct sched_snap *, const struct sched_result *,
	    size_t i);

/* ---- Services (same document for the CLI and the HTTP API) ---- */

struct schedule_query {
	int32_t		 as_of;		/* day number */
	int		 window;	/* days; 0 means SCHED_WINDOW */
	const char	*unit;		/* NULL or a unit code: its subtree */
	const char	*task;		/* NULL or one task code to show */
};

/*
 * The contract's schedule document:
 * {"as_of","tasks":[{"task","unit","quantity","done","planned_to_date",
 *  "due","forecast_finish","slip_days","status","caused_by","impacts",
 *  + name, product, customer, hard, start, pace, forecast_basis}]}
 * Tasks come hard first, then by the biggest slip. Appends to out.
 * Errors: ERR_NOTFOUND for an unknown unit, ERR_USER for a link cycle,
 * ERR_SYSTEM for the database.
 */
int	 schedule_json(struct store *, const struct schedule_query *,
	    struct sb *out, struct err *);
/*
 * Suggested raid campaigns for hard tasks at risk (or stalled) whose due
 * date can still be met:
 * {"as_of","campaigns":[{"task","unit","status","due","forecast_finish",
 *  "remaining","days","daily_target","pace","caused_by","movement",
 *  "targets":[{"movement","subject","criterion","target"}],"yaml"}]}
 * "movement" is the campaign in the contract's movement shape, "yaml" the
 * same as the text `thidua movement load` reads, "targets" the rows for
 * `thidua import targets` (POST /api/v1/targets).
 */
int	 schedule_suggest_json(struct store *, const struct schedule_query *,
	    struct sb *out, struct err *);

/*
 * Output formats for the CLI: like the services, but the document is
 * written to f in chunks (large schedules never sit whole in memory).
 * Suggestions come as YAML documents (one per task, separated by ---),
 * JSON, or the targets CSV.
 */
enum sched_fmt { SCHED_FMT_TABLE, SCHED_FMT_JSON, SCHED_FMT_CSV,
	SCHED_FMT_YAML, SCHED_FMT_SUGGEST_JSON, SCHED_FMT_SUGGEST_CSV };
int	 schedule_write(struct store *, const struct schedule_query *,
	    enum sched_fmt, FILE *f, struct err *);

/*
 * Fair blame: per responsible unit, tasks due in [from_day, to_day]
 * (day numbers) that finished on time vs late, evaluated as of to_day;
 * a task late only because an upstream task slipped is charged to the
 * upstream task's unit (the origin of the slip), not to the one that
 * waited. *out malloc'd, caller frees. Units sorted by code.
 */
struct unit_blame { char unit[33]; int ontime; int late; };
int	 schedule_blame(struct store *, int32_t from_day, int32_t to_day,
	    struct unit_blame **out, size_t *n, struct err *);
/* The same over a loaded snapshot and its result (pure; for tests). */
int	 sched_blame_run(const struct sched_snap *, const struct sched_result *,
	    int32_t from_day, int32_t to_day, struct unit_blame **out,
	    size_t *n);

#endif /* THIDUA_SCHEDULE_H */
