/*
 * test-schedule.c: the schedule engine (statuses and their precedence,
 * forecasts from pace and plan, zero pace, propagation along chains,
 * diamonds and lags, caused_by and impacts, cycles), fair blame, and the
 * services over a real database on SQLite and PostgreSQL (same results).
 */
#include <jansson.h>

#include "testutil.h"
#include "import.h"
#include "schedule.h"

#define D(y, m, d) date_from_ymd(y, m, d)
#define AS_OF D(2025, 6, 30)

/* A task in a test table: code, unit index, qty, start/due offsets from
 * AS_OF (days), hard. */
struct ttask {
	const char	*code;
	int		 unit;
	double		 qty;
	int		 start, due;
	int		 hard;
};
/* A link: task depends on dep with lag. */
struct tlink {
	const char	*task, *dep;
	int		 lag;
};
/* Progress: task, day offset from AS_OF, quantity. */
struct tprog {
	const char	*task;
	int		 day;
	double		 qty;
};

static const char *const units[] = { "U0", "U1", "U2", "U3" };

static size_t
idx(const struct sched_snap *s, const char *code)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->text + s->code[i], code) == 0)
			return i;
	fail_msg("no task %s", code);
	return 0;
}

/* Build a snapshot and run the engine; returns 0 or -1 (err filled). */
static int
build(struct sched_snap *s, struct sched_result *r, const struct ttask *t,
    size_t nt, const struct tlink *l, size_t nl, const struct tprog *p,
    size_t np, struct err *e)
{
	uint32_t a[64], b[64];
	int32_t lag[64];
	size_t i;

	sched_snap_init(s, AS_OF, SCHED_WINDOW);
	for (i = 0; i < 4; i++)
		sched_add_unit(s, (int64_t)i + 1, units[i]);
	for (i = 0; i < nt; i++)
		sched_add_task(s, (int64_t)i + 1, t[i].code, t[i].code,
		    t[i].unit, t[i].qty, AS_OF + t[i].start, AS_OF + t[i].due,
		    NULL, NULL, t[i].hard);
	for (i = 0; i < nl; i++) {
		a[i] = (uint32_t)idx(s, l[i].task);
		b[i] = (uint32_t)idx(s, l[i].dep);
		lag[i] = l[i].lag;
	}
	sched_set_links(s, nl, a, b, lag);
	for (i = 0; i < np; i++)
		sched_progress_add(s, idx(s, p[i].task), AS_OF + p[i].day,
		    p[i].qty);
	return sched_run(s, r, e);
}

#define N(a) (sizeof (a) / sizeof (a)[0])
#define RUN(t, l, nl, p, np) do { \
	struct err e_; \
	err_clear(&e_); \
	if (build(&s, &r, t, N(t), l, nl, p, np, &e_) != 0) \
		fail_msg("sched_run: %s", e_.msg); \
} while (0)

static enum sched_status
status(const struct sched_snap *s, const struct sched_result *r,
    const char *c)
{
	return (enum sched_status)r->status[idx(s, c)];
}

/* caused_by / impacts of c as "X,Y" for easy comparison. */
static const char *
list(const struct sched_snap *s, const struct sched_result *r, const char *c,
    int impacts)
{
	static char buf[256];
	size_t i = idx(s, c), n, k;
	const uint32_t *a;

	if (impacts) {
		a = r->imp + r->ioff[i];
		n = r->ioff[i + 1] - r->ioff[i];
	} else {
		a = r->cause + r->coff[i];
		n = r->clen[i];
	}
	buf[0] = '\0';
	for (k = 0; k < n; k++) {
		if (k)
			strcat(buf, ",");
		strcat(buf, s->text + s->code[a[k]]);
	}
	return buf;
}

static void
done_(struct sched_snap *s, struct sched_result *r)
{
	sched_result_free(r);
	sched_snap_free(s);
}

/* Every status, each shown to win over the ones after it. */
static void
test_statuses(void **state)
{
	struct sched_snap s;
	struct sched_result r;
	static const struct ttask t[] = {
		{ "DONE", 0, 10, -30, -5, 0 },		/* finished late: still done */
		{ "LATE", 0, 10, -30, -1, 0 },		/* due passed, no progress: late, not stalled */
		{ "STALL", 0, 100, -40, 20, 0 },	/* progress only long ago */
		{ "STALL0", 0, 100, -14, 100, 0 },	/* started 14 days ago, nothing yet */
		{ "RISK", 0, 100, -10, 10, 0 },		/* pace too slow */
		{ "OK", 0, 100, -10, 10, 0 },		/* pace enough */
		{ "FUTURE", 0, 100, 5, 30, 0 },		/* not started: never stalled */
		{ "NEW13", 0, 100, -13, 100, 0 },	/* 13 days ago: behind, not stalled */
	};
	static const struct tprog p[] = {
		{ "DONE", -20, 4 }, { "DONE", -2, 6 },
		{ "STALL", -30, 10 },
		{ "RISK", -5, 5 }, { "RISK", 0, 5 },
		{ "OK", -9, 50 }, { "OK", -1, 10 },
	};

	(void)state;
	RUN(t, NULL, 0, p, N(p));
	assert_int_equal(status(&s, &r, "DONE"), SCHED_DONE);
	assert_int_equal(r.fin[idx(&s, "DONE")], AS_OF - 2);
	assert_int_equal(sched_slip(&s, &r, idx(&s, "DONE")), 3);
	assert_int_equal(status(&s, &r, "LATE"), SCHED_LATE);
	assert_int_equal(status(&s, &r, "STALL"), SCHED_STALLED);
	assert_int_equal(status(&s, &r, "STALL0"), SCHED_STALLED);
	assert_int_equal(status(&s, &r, "RISK"), SCHED_AT_RISK);
	assert_int_equal(r.basis[idx(&s, "RISK")], SCHED_B_PACE);
	assert_int_equal(status(&s, &r, "OK"), SCHED_ON_TRACK);
	assert_int_equal(status(&s, &r, "FUTURE"), SCHED_ON_TRACK);
	assert_int_equal(status(&s, &r, "NEW13"), SCHED_AT_RISK);
	done_(&s, &r);
}

/* Forecast arithmetic: pace over the window (or since the first
 * progress), plan for a task without progress, no pace at all. */
static void
test_forecasts(void **state)
{
	struct sched_snap s;
	struct sched_result r;
	static const struct ttask t[] = {
		{ "PACE", 0, 100, -20, 30, 0 },
		{ "YOUNG", 0, 100, -4, 30, 0 },
		{ "PLAN", 0, 100, 1, 10, 0 },
		{ "LATEPLAN", 0, 100, -3, 6, 0 },
		{ "NOPACE", 0, 100, -5, 30, 0 },
	};
	static const struct tprog p[] = {
		/* 28 inside the 14-day window (one row before it). */
		{ "PACE", -20, 50 }, { "PACE", -13, 14 }, { "PACE", 0, 14 },
		/* 2 days of work since the first progress: 10 per day. */
		{ "YOUNG", -1, 10 }, { "YOUNG", 0, 10 },
		/* recorded before its start and before the window */
		{ "NOPACE", -20, 5 },
	};
	size_t i;

	(void)state;
	RUN(t, NULL, 0, p, N(p));
	i = idx(&s, "PACE");		/* 22 left at 2/day: 11 days */
	assert_int_equal(r.fin[i], AS_OF + 11);
	assert_true(r.pace[i] > 1.99 && r.pace[i] < 2.01);
	assert_int_equal(r.planned[i] > 41 && r.planned[i] < 43, 1);
	i = idx(&s, "YOUNG");		/* 80 left at 10/day */
	assert_int_equal(r.fin[i], AS_OF + 8);
	i = idx(&s, "PLAN");		/* not started: exactly its plan */
	assert_int_equal(r.basis[i], SCHED_B_PLAN);
	assert_int_equal(r.fin[i], AS_OF + 10);
	assert_int_equal(status(&s, &r, "PLAN"), SCHED_ON_TRACK);
	i = idx(&s, "LATEPLAN");	/* started 3 days ago, nothing done */
	assert_int_equal(r.fin[i], AS_OF + 10);
	assert_int_equal(status(&s, &r, "LATEPLAN"), SCHED_AT_RISK);
	assert_int_equal(sched_slip(&s, &r, i), 4);
	i = idx(&s, "NOPACE");
	assert_int_equal(r.basis[i], SCHED_B_NO_PACE);
	assert_int_equal(r.fin[i], SCHED_NEVER);
	assert_int_equal(sched_slip(&s, &r, i), -1);
	assert_int_equal(status(&s, &r, "NOPACE"), SCHED_AT_RISK);
	done_(&s, &r);
}

/* A -> B -> C, only A slow: B and C at risk, caused by A; A impacts B, C. */
static void
test_chain(void **state)
{
	struct sched_snap s;
	struct sched_result r;
	static const struct ttask t[] = {
		{ "A", 1, 100, -9, 10, 1 },
		{ "B", 2, 100, 11, 20, 0 },
		{ "C", 3, 100, 21, 30, 1 },
	};
	static const struct tlink l[] = { { "B", "A", 0 }, { "C", "B", 0 } };
	static const struct tprog p[] = {	/* 5 per day: 50 left, 10 days */
		{ "A", -9, 5 }, { "A", -8, 5 }, { "A", -7, 5 }, { "A", -6, 5 },
		{ "A", -5, 5 }, { "A", -4, 5 }, { "A", -3, 5 }, { "A", -2, 5 },
		{ "A", -1, 5 }, { "A", 0, 5 },
	};

	(void)state;
	RUN(t, l, N(l), p, N(p));
	assert_int_equal(r.fin[idx(&s, "A")], AS_OF + 10);
	assert_int_equal(status(&s, &r, "A"), SCHED_ON_TRACK);
	done_(&s, &r);

	{
		static const struct tprog slow[] = {
			{ "A", -9, 2 }, { "A", -5, 2 }, { "A", 0, 2 },
		};
		/* 6 done, 6 in the window of 10 days: 0.6/day, 94 left:
		 * 157 days. */
		RUN(t, l, N(l), slow, N(slow));
	}
	assert_int_equal(status(&s, &r, "A"), SCHED_AT_RISK);
	assert_int_equal(r.fin[idx(&s, "A")], AS_OF + 157);
	assert_int_equal(status(&s, &r, "B"), SCHED_AT_RISK);
	assert_int_equal(status(&s, &r, "C"), SCHED_AT_RISK);
	assert_string_equal(list(&s, &r, "A", 0), "");
	assert_string_equal(list(&s, &r, "B", 0), "A");
	assert_string_equal(list(&s, &r, "C", 0), "A");
	assert_string_equal(list(&s, &r, "A", 1), "B,C");
	assert_string_equal(list(&s, &r, "B", 1), "");
	/* B begins the day after A, takes its planned 10 days. */
	assert_int_equal(r.fin[idx(&s, "B")], AS_OF + 167);
	assert_int_equal(sched_slip(&s, &r, idx(&s, "B")), 147);
	assert_int_equal(r.fin[idx(&s, "C")], AS_OF + 177);
	assert_false(r.own_slip[idx(&s, "B")]);
	assert_true(r.own_slip[idx(&s, "A")]);
	done_(&s, &r);
}

/* A diamond: A -> B, A -> C, B -> D, C -> D. */
static void
test_diamond(void **state)
{
	struct sched_snap s;
	struct sched_result r;
	static const struct ttask t[] = {
		{ "A", 0, 10, 1, 5, 0 },
		{ "B", 1, 10, 6, 10, 0 },
		{ "C", 2, 10, 6, 12, 0 },
		{ "D", 3, 10, 13, 20, 0 },
	};
	static const struct tlink l[] = { { "B", "A", 0 }, { "C", "A", 0 },
	    { "D", "B", 0 }, { "D", "C", 0 } };

	(void)state;
	RUN(t, l, N(l), NULL, 0);			/* the plan holds */
	for (const char *c = "ABCD"; *c; c++) {
		char k[2] = { *c, 0 };

		assert_int_equal(status(&s, &r, k), SCHED_ON_TRACK);
		assert_string_equal(list(&s, &r, k, 0), "");
	}
	assert_int_equal(r.fin[idx(&s, "D")], AS_OF + 20);
	done_(&s, &r);

	{	/* A 10 days late on its own: everything moves, caused by A. */
		static const struct ttask t2[] = {
			{ "A", 0, 10, -5, 5, 0 },
			{ "B", 1, 10, 6, 10, 0 },
			{ "C", 2, 10, 6, 12, 0 },
			{ "D", 3, 10, 13, 20, 0 },
		};
		static const struct tprog p2[] = { { "A", -5, 1 } };

		RUN(t2, l, N(l), p2, N(p2));	/* 1 per 6 days: 9 left, 54 days */
	}
	assert_string_equal(list(&s, &r, "B", 0), "A");
	assert_string_equal(list(&s, &r, "C", 0), "A");
	assert_string_equal(list(&s, &r, "D", 0), "A");
	assert_string_equal(list(&s, &r, "A", 1), "B,C,D");
	done_(&s, &r);

	{	/* B and C slow on their own, C the later one: only C moves D
		 * (had B kept its date, D would still wait for C). */
		static const struct ttask t3[] = {
			{ "A", 0, 10, -20, -10, 0 },
			{ "B", 1, 100, -9, 10, 0 },
			{ "C", 2, 100, -9, 12, 0 },
			{ "D", 3, 10, 13, 20, 0 },
		};
		static const struct tprog p3[] = {
			{ "A", -12, 10 }, { "B", -5, 20 }, { "C", -5, 10 },
		};

		RUN(t3, l, N(l), p3, N(p3));
	}
	assert_int_equal(status(&s, &r, "A"), SCHED_DONE);
	assert_string_equal(list(&s, &r, "D", 0), "C");
	assert_string_equal(list(&s, &r, "B", 1), "");
	assert_string_equal(list(&s, &r, "C", 1), "D");
	assert_string_equal(list(&s, &r, "A", 1), "");
	done_(&s, &r);
}

/* A lag: B may begin 5 days after A finishes. */
static void
test_lag(void **state)
{
	struct sched_snap s;
	struct sched_result r;
	static const struct ttask t[] = {
		{ "A", 0, 10, 1, 10, 0 },
		{ "B", 1, 10, 16, 20, 0 },
	};
	static const struct tlink l[] = { { "B", "A", 5 } };

	(void)state;
	RUN(t, l, N(l), NULL, 0);
	assert_int_equal(status(&s, &r, "B"), SCHED_ON_TRACK);
	assert_int_equal(r.fin[idx(&s, "B")], AS_OF + 20);
	done_(&s, &r);
	{
		static const struct ttask t2[] = {
			{ "A", 0, 10, 4, 13, 0 },
			{ "B", 1, 10, 19, 23, 0 },
			{ "X", 0, 1, 0, 0, 0 },
		};
		static const struct tlink l2[] = { { "B", "A", 5 },
		    { "A", "X", 3 } };

		/* X (due today, not started) finishes tomorrow at the
		 * earliest: A may begin 3 days after, B 5 after A. */
		RUN(t2, l2, N(l2), NULL, 0);
	}
	assert_int_equal(r.fin[idx(&s, "X")], AS_OF + 1);
	assert_int_equal(r.begin[idx(&s, "A")], AS_OF + 5);
	assert_int_equal(r.fin[idx(&s, "A")], AS_OF + 14);
	assert_int_equal(r.fin[idx(&s, "B")], AS_OF + 24);
	assert_string_equal(list(&s, &r, "B", 0), "X");
	assert_string_equal(list(&s, &r, "X", 1), "A,B");
	done_(&s, &r);
}

/* A plan where B starts before A is due (B works from A's first
 * deliveries) keeps that overlap: on time while A is, shifted by A's
 * slip when A slips. A task waiting for a late upstream is not stalled. */
static void
test_overlap_and_waiting(void **state)
{
	struct sched_snap s;
	struct sched_result r;
	static const struct ttask t[] = {
		{ "A", 0, 10, 1, 10, 0 },
		{ "B", 1, 10, 5, 14, 0 },
		{ "U", 0, 10, -40, -21, 0 },	/* late, nothing done */
		{ "W", 2, 10, -20, 30, 0 },	/* waits for U */
	};
	static const struct tlink l[] = { { "B", "A", 0 }, { "W", "U", 0 } };

	(void)state;
	RUN(t, l, N(l), NULL, 0);
	assert_int_equal(r.begin[idx(&s, "B")], AS_OF + 5);
	assert_int_equal(r.fin[idx(&s, "B")], AS_OF + 14);
	assert_int_equal(status(&s, &r, "B"), SCHED_ON_TRACK);
	assert_string_equal(list(&s, &r, "B", 0), "");
	/* U: 10 at its plan's 0.5 a day from tomorrow: day 20. W started
	 * 20 days ago on paper but U has not delivered: not stalled; it
	 * begins the day after U and is moved by U alone. */
	assert_int_equal(status(&s, &r, "U"), SCHED_LATE);
	assert_int_equal(r.fin[idx(&s, "U")], AS_OF + 20);
	assert_int_equal(r.begin[idx(&s, "W")], AS_OF + 21);
	assert_int_equal(status(&s, &r, "W"), SCHED_AT_RISK);
	assert_false(r.own_slip[idx(&s, "W")]);
	assert_string_equal(list(&s, &r, "W", 0), "U");
	done_(&s, &r);
	{	/* A slips 50 days; B, planned to overlap, moves 50 days. */
		static const struct ttask t2[] = {
			{ "A", 0, 10, -5, 4, 0 },
			{ "B", 1, 10, 1, 10, 0 },
		};
		static const struct tlink l2[] = { { "B", "A", 0 } };
		static const struct tprog p2[] = { { "A", -5, 1 } };

		RUN(t2, l2, N(l2), p2, N(p2));
	}
	assert_int_equal(sched_slip(&s, &r, idx(&s, "A")), 50);
	assert_int_equal(r.begin[idx(&s, "B")], AS_OF + 51);
	assert_int_equal(sched_slip(&s, &r, idx(&s, "B")), 50);
	assert_false(r.own_slip[idx(&s, "B")]);
	assert_string_equal(list(&s, &r, "B", 0), "A");
	done_(&s, &r);
}

/* Two upstream tasks slipping to the same day both move the task; a
 * done task that finished on time despite a late upstream was not
 * moved. */
static void
test_ties_and_done(void **state)
{
	struct sched_snap s;
	struct sched_result r;
	static const struct ttask t[] = {
		{ "P", 1, 100, -9, 10, 0 },
		{ "Q", 2, 100, -9, 10, 0 },
		{ "R", 3, 10, 11, 20, 0 },
		{ "OLD", 1, 10, -40, -30, 0 },
		{ "OK", 2, 10, -29, -20, 0 },
	};
	static const struct tlink l[] = { { "R", "P", 0 }, { "R", "Q", 0 },
	    { "OK", "OLD", 0 } };
	static const struct tprog p[] = {
		{ "P", -5, 20 }, { "Q", -5, 20 },	/* same slow pace */
		{ "OLD", -25, 10 },	/* 5 days late */
		{ "OK", -21, 10 },	/* on time all the same */
	};

	(void)state;
	RUN(t, l, N(l), p, N(p));
	assert_int_equal(r.fin[idx(&s, "P")], r.fin[idx(&s, "Q")]);
	assert_string_equal(list(&s, &r, "R", 0), "P,Q");
	assert_string_equal(list(&s, &r, "P", 1), "R");
	assert_string_equal(list(&s, &r, "Q", 1), "R");
	assert_int_equal(status(&s, &r, "OK"), SCHED_DONE);
	done_(&s, &r);
	{	/* P is late with no pace (no finite forecast); W, due to
		 * start 3 days ago, waits for it: moved by P, not slipping on
		 * its own. */
		static const struct ttask t2[] = {
			{ "P", 1, 100, -30, -4, 0 },
			{ "W", 2, 10, -3, 6, 0 },
		};
		static const struct tlink l2[] = { { "W", "P", 0 } };
		static const struct tprog p2[] = { { "P", -30, 5 } };

		RUN(t2, l2, N(l2), p2, N(p2));
	}
	assert_int_equal(r.fin[idx(&s, "P")], SCHED_NEVER);
	assert_int_equal(r.fin[idx(&s, "W")], SCHED_NEVER);
	assert_false(r.own_slip[idx(&s, "W")]);
	assert_string_equal(list(&s, &r, "W", 0), "P");
	assert_string_equal(list(&s, &r, "P", 1), "W");
	done_(&s, &r);
	RUN(t, l, N(l), p, N(p));
	assert_string_equal(list(&s, &r, "OK", 0), "");
	assert_string_equal(list(&s, &r, "OLD", 1), "");
	done_(&s, &r);
}

static void
test_cycle(void **state)
{
	struct sched_snap s;
	struct sched_result r;
	static const struct ttask t[] = {
		{ "P", 0, 1, 1, 2, 0 }, { "Q", 0, 1, 1, 2, 0 },
		{ "R", 0, 1, 1, 2, 0 }, { "S", 0, 1, 1, 2, 0 },
	};
	static const struct tlink l[] = { { "Q", "P", 0 }, { "R", "Q", 0 },
	    { "P", "R", 0 }, { "S", "R", 0 } };
	struct err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(build(&s, &r, t, 4, l, 4, NULL, 0, &e), -1);
	assert_int_equal(e.kind, ERR_USER);
	assert_non_null(strstr(e.msg, "P"));
	assert_non_null(strstr(e.msg, "Q"));
	assert_non_null(strstr(e.msg, "R"));
	assert_null(strstr(e.msg, "S"));
	sched_snap_free(&s);
}

static const struct unit_blame *
blame_of(const struct unit_blame *b, size_t n, const char *u)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(b[i].unit, u) == 0)
			return &b[i];
	return NULL;
}

/* Blame moves from the unit that waited to the one that slipped. */
static void
test_blame(void **state)
{
	struct sched_snap s;
	struct sched_result r;
	/* U1's A is 10 days late on its own. U2's B waited for it and did
	 * its work in its planned 10 days: late only because of A. U3's C
	 * also waited, but then took 15 days instead of 10: its own. U2's E
	 * finished on time. Everything done by AS_OF. */
	static const struct ttask t[] = {
		{ "A", 1, 10, -60, -45, 0 },
		{ "B", 2, 10, -44, -35, 0 },
		{ "C", 3, 10, -44, -35, 0 },
		{ "E", 2, 10, -60, -50, 0 },
		{ "F", 0, 10, -40, -31, 0 },
	};
	static const struct tlink l[] = { { "B", "A", 0 }, { "C", "A", 0 },
	    { "F", "B", 0 } };
	static const struct tprog p[] = {
		{ "A", -35, 10 },	/* due -45: 10 days late */
		{ "B", -25, 10 },	/* could begin -34, 10 days: -25 */
		{ "C", -20, 10 },	/* could begin -34, took 15 */
		{ "E", -55, 10 },
		{ "F", -21, 10 },	/* waited for B (-24), 4 days */
	};
	struct unit_blame *b;
	size_t n;
	const struct unit_blame *x;

	(void)state;
	RUN(t, l, N(l), p, N(p));
	assert_string_equal(list(&s, &r, "B", 0), "A");
	assert_false(r.own_slip[idx(&s, "B")]);
	assert_true(r.own_slip[idx(&s, "C")]);
	assert_string_equal(list(&s, &r, "F", 0), "A");
	assert_int_equal(sched_blame_run(&s, &r, AS_OF - 90, AS_OF, &b, &n), 0);
	assert_non_null(x = blame_of(b, n, "U1"));
	assert_int_equal(x->late, 3);	/* A, B and F */
	assert_int_equal(x->ontime, 0);
	assert_non_null(x = blame_of(b, n, "U2"));
	assert_int_equal(x->late, 0);
	assert_int_equal(x->ontime, 1);
	assert_non_null(x = blame_of(b, n, "U3"));
	assert_int_equal(x->late, 1);
	assert_null(blame_of(b, n, "U0"));
	free(b);
	/* A period that holds only B's due date. */
	assert_int_equal(sched_blame_run(&s, &r, AS_OF - 36, AS_OF - 34, &b,
	    &n), 0);
	assert_int_equal(n, 2);	/* U1 (for B), U3 (C) */
	assert_string_equal(b[0].unit, "U1");
	assert_int_equal(b[0].late, 1);
	free(b);
	done_(&s, &r);
}

/* ---- the same over a real database, both backends ---- */

static const char units_csv[] =
    "code,name,parent,kind\n"
    "Z,Nhà máy,,enterprise\n"
    "W1,Phân xưởng 1,Z,workshop\n"
    "W2,Phân xưởng 2,Z,workshop\n"
    "T21,Tổ 2.1,W2,team\n";
static const char tasks_csv[] =
    "code,name,unit,quantity,start,due,product,customer,hard\n"
    "A,\"Bán thành phẩm \"\"A\"\"\",W1,100,2025-06-21,2025-07-10,kíp nổ,,1\n"
    "B,Cụm B,W2,100,2025-07-11,2025-07-20,,,0\n"
    "C,Sản phẩm C,T21,100,2025-07-21,2025-07-30,,Nhà máy X,1\n"
    "D,Độc lập,W1,10,2025-06-01,2025-06-20,,,0\n";
static const char links_csv[] =
    "task,depends_on,lag_days\nB,A,0\nC,B,0\n";
static const char progress_csv[] =
    "task,date,quantity\n"
    "A,2025-06-21,2\nA,2025-06-25,2\nA,2025-06-30,2\n"
    "D,2025-06-05,4\nD,2025-06-25,6\n";

static void
seed(struct store *st)
{
	static const struct { const char *kind, *csv; } f[] = {
		{ "units", units_csv }, { "tasks", tasks_csv },
		{ "task-links", links_csv }, { "progress", progress_csv },
	};
	struct import_opts o;
	struct import_report rep;
	struct err e;

	memset(&o, 0, sizeof o);
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
		memset(&rep, 0, sizeof rep);
		err_clear(&e);
		if (import_csv_buffer(st, kind_find(f[i].kind), f[i].kind,
		    f[i].csv, strlen(f[i].csv), &o, &rep, &e) != 0)
			fail_msg("import %s: %s %s", f[i].kind, e.msg,
			    rep.nerr ? rep.errs[0].msg : "");
	}
}

static json_t *
get_json(struct store *st, const char *unit, int suggest)
{
	struct schedule_query q = { .as_of = D(2025, 6, 30), .unit = unit };
	struct sb b;
	struct err e;
	json_error_t je;
	json_t *j;

	sb_init(&b);
	err_clear(&e);
	if ((suggest ? schedule_suggest_json(st, &q, &b, &e) :
	    schedule_json(st, &q, &b, &e)) != 0)
		fail_msg("schedule: %s", e.msg);
	j = json_loads(b.s, 0, &je);
	if (j == NULL)
		fail_msg("bad JSON: %s in %s", je.text, b.s);
	sb_free(&b);
	return j;
}

static json_t *
task_of(json_t *doc, const char *code)
{
	size_t i;
	json_t *t;

	json_array_foreach(json_object_get(doc, "tasks"), i, t)
		if (strcmp(json_string_value(json_object_get(t, "task")),
		    code) == 0)
			return t;
	return NULL;
}

static void
test_store_backends(void **state)
{
	char *dumps[TEST_BACKENDS];

	(void)state;
	for (int be = 0; be < TEST_BACKENDS; be++) {
		struct store *st = test_open(be);
		json_t *doc, *t, *sug;
		struct unit_blame *b;
		size_t n;
		struct err e;

		seed(st);
		doc = get_json(st, NULL, 0);
		assert_string_equal(json_string_value(json_object_get(doc,
		    "as_of")), "2025-06-30");
		assert_int_equal(json_array_size(json_object_get(doc, "tasks")),
		    4);
		/* hard tasks first (A, C tie on slip), the done one last */
		{
			static const char *const order[] = { "A", "C", "B",
			    "D" };

			for (size_t k = 0; k < 4; k++)
				assert_string_equal(json_string_value(
				    json_object_get(json_array_get(
				    json_object_get(doc, "tasks"), k), "task")),
				    order[k]);
		}
		t = task_of(doc, "A");
		assert_string_equal(json_string_value(json_object_get(t,
		    "status")), "at_risk");
		assert_string_equal(json_string_value(json_object_get(t,
		    "unit")), "W1");
		assert_int_equal(json_integer_value(json_object_get(t, "done")),
		    6);
		assert_string_equal(json_string_value(json_object_get(t,
		    "name")), "Bán thành phẩm \"A\"");
		assert_int_equal(json_array_size(json_object_get(t, "impacts")),
		    2);
		t = task_of(doc, "C");
		assert_string_equal(json_string_value(json_array_get(
		    json_object_get(t, "caused_by"), 0)), "A");
		assert_true(json_is_true(json_object_get(t, "hard")));
		t = task_of(doc, "D");
		assert_string_equal(json_string_value(json_object_get(t,
		    "status")), "done");
		assert_string_equal(json_string_value(json_object_get(t,
		    "forecast_finish")), "2025-06-25");
		assert_int_equal(json_integer_value(json_object_get(t,
		    "slip_days")), 5);
		dumps[be] = json_dumps(doc, JSON_SORT_KEYS);
		json_decref(doc);

		/* --unit: the subtree only, propagation still whole */
		doc = get_json(st, "W2", 0);
		assert_int_equal(json_array_size(json_object_get(doc, "tasks")),
		    2);
		assert_null(task_of(doc, "A"));
		t = task_of(doc, "C");
		assert_string_equal(json_string_value(json_array_get(
		    json_object_get(t, "caused_by"), 0)), "A");
		json_decref(doc);
		{
			struct schedule_query q = { .as_of = D(2025, 6, 30),
			    .unit = "NOPE" };
			struct sb sbuf;

			sb_init(&sbuf);
			err_clear(&e);
			assert_int_equal(schedule_json(st, &q, &sbuf, &e), -1);
			assert_int_equal(e.kind, ERR_NOTFOUND);
			assert_string_equal(e.field, "unit");
			sb_free(&sbuf);
		}

		/* suggestions: hard A at risk, due in 10 days */
		sug = get_json(st, NULL, 1);
		t = json_array_get(json_object_get(sug, "campaigns"), 0);
		assert_non_null(t);
		assert_string_equal(json_string_value(json_object_get(t,
		    "task")), "A");
		assert_int_equal(json_integer_value(json_object_get(t, "days")),
		    10);
		assert_true(json_number_value(json_object_get(t,
		    "daily_target")) == 9.4);
		assert_string_equal(json_string_value(json_object_get(
		    json_object_get(t, "movement"), "scope")), "W1");
		assert_non_null(strstr(json_string_value(json_object_get(t,
		    "yaml")), "kind: campaign\n"));
		assert_true(json_number_value(json_object_get(json_array_get(
		    json_object_get(t, "targets"), 0), "target")) == 9.4);
		assert_string_equal(json_string_value(json_object_get(
		    json_array_get(json_object_get(json_object_get(t,
		    "movement"), "criteria"), 0), "metric")), "output");
		json_decref(sug);

		/* blame over a period: D on time for W1 */
		err_clear(&e);
		assert_int_equal(schedule_blame(st, D(2025, 6, 1),
		    D(2025, 6, 30), &b, &n, &e), 0);
		assert_int_equal(n, 1);
		assert_string_equal(b[0].unit, "W1");
		assert_int_equal(b[0].late, 1);	/* D finished 5 days late */
		free(b);
		store_close(st);
	}
	assert_string_equal(dumps[0], dumps[1]);
	free(dumps[0]);
	free(dumps[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_statuses),
		cmocka_unit_test(test_forecasts),
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_diamond),
		cmocka_unit_test(test_lag),
		cmocka_unit_test(test_overlap_and_waiting),
		cmocka_unit_test(test_ties_and_done),
		cmocka_unit_test(test_cycle),
		cmocka_unit_test(test_blame),
		cmocka_unit_test(test_store_backends),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
