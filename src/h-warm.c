/*
 * h-warm.c: the server's warm-up.
 *
 * At a million people the first request after a start waited for what
 * every later one finds made: the latest year's eligibility 3.7 s, the
 * exemplars' discovery 4.6 s, the first search 1.5 s, then milliseconds
 * each (elig_keep, exemplar_keep and the search index keep them). So as
 * the server starts serving, a thread of its own, at the reports' lower
 * priority (par.h), makes them, each by the call a request makes, as an
 * administrator would: the latest rated year's eligibility (every award;
 * a request for one award is answered from it), that year's exemplar
 * candidates, and the search index. A request arriving meanwhile is
 * answered as before, by whoever comes first. It runs on both backends
 * (on PostgreSQL the snapshot's copy is kept in memory and brought up to
 * date from migration 0023's log, snapcache-elig.h) and, unless asked
 * (--warm-up on), for WARM_MIN_SUBJECTS subjects or more, where a cold
 * report takes a second or more; it says on the log what it made and how
 * long it took.
 * A stop waits for the step under way (seconds at a million people) and
 * skips the rest.
 *
 * Then it stays, and makes them again after writes: a write of the
 * tables the eligibility snapshot reads (a clerk's import of ratings, a
 * person hired, a decision) leaves the kept evaluation and candidates out
 * of date, and the first report after it loads and evaluates again (at a
 * million people 0.1-0.7 s to bring the snapshot up to date, 0.4 s to
 * evaluate, 2 s for the exemplars). So the thread looks at the snapshot's
 * stamp every WARM_POLL_MS and, once it has changed and then stayed the
 * same for WARM_QUIET_MS (the writes of a burst over), makes the latest
 * year's eligibility and exemplar candidates again, unasked (the search
 * index follows writes by itself, h-search.c). A request meanwhile is
 * answered as before; one that comes after finds them made.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "elig.h"
#include "exemplar.h"
#include "http.h"
#include "par.h"
#include "snapcache-elig.h"
#include "store-elig.h"
#include "store.h"
#include "store-unit.h"
#include "util.h"

#define WARM_MIN_SUBJECTS	50000
#define WARM_POLL_MS		100
#define WARM_QUIET_MS		500

struct warm {
	pthread_t	 tid;
	char		*db;
	enum warm_up	 mode;
	enum lang	 lang;
	atomic_int	 stop;
};

/* One step, timed into the log line; 0 done, -1 failed (said). */
static int
step(struct warm *w, struct store *st, int which, int year, struct sb *log)
{
	static const char *const name[][2] = {
		{ "xét điều kiện", "eligibility" },
		{ "điển hình phát hiện", "exemplar candidates" },
		{ "chỉ mục tìm kiếm", "search index" },
	};
	struct elig_query q = { .year = year, .limit = 1 };
	struct sb out;
	struct err e;
	double t0 = mono_s();
	int rc;

	if (atomic_load(&w->stop))
		return -1;
	sb_init(&out);
	err_clear(&e);
	rc = which == 0 ? elig_json(st, &q, &out, &e) :
	    which == 1 ? exemplar_discover(st, year, 1, NULL, &out, &e) :
	    h_search_warm(st, &e);
	sb_free(&out);
	if (rc != 0) {
		fprintf(stderr, "thidua: warm-up: %s: %s\n",
		    name[which][g_lang == LANG_EN], e.msg);
		return -1;
	}
	sb_printf(log, "%s%s %.1f s", log->len ? ", " : "",
	    name[which][g_lang == LANG_EN], mono_s() - t0);
	return 0;
}

/* Sleep ms, or less when asked to stop: 0, or -1 when asked. */
static int
nap(struct warm *w, int ms)
{
	struct timespec ts = { 0, 0 };

	for (int slept = 0; slept < ms; slept += 10) {
		if (atomic_load(&w->stop))
			return -1;
		ts.tv_nsec = 10 * 1000000L;
		nanosleep(&ts, NULL);
	}
	return atomic_load(&w->stop) ? -1 : 0;
}

/*
 * After the warm-up, until the stop: the eligibility and the exemplar
 * candidates of the latest year made again once the snapshot's stamp has
 * changed and stayed WARM_QUIET_MS (the stamp read from the log and the
 * generations: a read transaction of four one-row queries a poll).
 */
static void
rewarm(struct warm *w, struct store *st)
{
	struct elig_stamp made, seen, now;
	double since = 0;
	int64_t subjects;
	struct sb log;
	struct err e;
	int year;

	if (elig_cache_stamp(st, &made) != 0)
		return;
	seen = made;
	while (nap(w, WARM_POLL_MS) == 0) {
		if (elig_cache_stamp(st, &now) != 0)
			continue;
		if (!elig_stamp_same(&now, &seen)) {
			seen = now;	/* still being written: wait */
			since = mono_s();
			continue;
		}
		if (elig_stamp_same(&now, &made) ||
		    mono_s() - since < WARM_QUIET_MS / 1000.0)
			continue;
		made = now;
		if (store_org_size(st, &subjects, &year, &e) != 0 || year == 0)
			continue;
		sb_init(&log);
		for (int i = 0; i < 2 && step(w, st, i, year, &log) == 0; i++)
			;
		sb_free(&log);
	}
}

static void *
warm_main(void *arg)
{
	struct warm *w = arg;
	struct store *st = NULL;
	struct err e;
	struct sb log;
	int64_t subjects = 0;
	int year = 0;

	g_lang = w->lang;
	par_lower();
	err_clear(&e);
	if (store_open(w->db, &st, &e) != 0) {
		fprintf(stderr, "thidua: warm-up: %s\n", e.msg);
		return NULL;
	}
	if (store_org_size(st, &subjects, &year, &e) != 0 || year == 0 ||
	    (w->mode == WARM_AUTO && subjects < WARM_MIN_SUBJECTS)) {
		store_close(st);
		return NULL;
	}
	sb_init(&log);
	for (int i = 0; i < 3 && step(w, st, i, year, &log) == 0; i++)
		;
	if (log.len > 0)
		fprintf(stderr, "thidua: %s %d (%lld %s): %s\n",
		    TR("đã chuẩn bị sẵn cho năm", "warmed up for"), year,
		    (long long)subjects, TR("đối tượng", "subjects"), log.s);
	sb_free(&log);
	rewarm(w, st);
	store_close(st);
	return NULL;
}

struct warm *
h_warm_start(const struct http_conf *c)
{
	struct warm *w;

	if (c->warm == WARM_OFF)
		return NULL;
	w = xcalloc(1, sizeof *w);
	w->db = xstrdup(c->db);
	w->mode = c->warm;
	w->lang = g_lang;
	atomic_init(&w->stop, 0);
	if (pthread_create(&w->tid, NULL, warm_main, w) != 0) {
		free(w->db);
		free(w);
		return NULL;	/* (no warm-up: the first requests make it all) */
	}
	return w;
}

void
h_warm_stop(struct warm *w)
{
	if (w == NULL)
		return;
	atomic_store(&w->stop, 1);
	pthread_join(w->tid, NULL);
	free(w->db);
	free(w);
}
