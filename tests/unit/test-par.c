/*
 * test-par.c: the pool of worker threads (par.h): every part runs once,
 * whether a worker or the caller takes it, from several threads at once
 * (as the server's request threads call it), and a job started beside
 * the caller runs beside it or not at all; while writes flow (the
 * server's par_yield_to) the last idle worker is not handed out; work
 * handed over for later (par_later) runs on a thread of its own only in
 * the server's mode.
 */
#include <errno.h>
#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include "testutil.h"
#include "par.h"

struct part {
	int	 runs;
	int	 lang;		/* g_lang as the part saw it */
	char	 pad[56];	/* (a cache line each) */
};

static void *
bump(void *arg)
{
	struct part *p = arg;

	p->runs++;
	p->lang = g_lang;
	return NULL;
}

static void
test_run_every_part(void **state)
{
	struct part p[PAR_MAX_PARTS + 3];
	int n = (int)(sizeof p / sizeof p[0]);

	(void)state;
	for (int k = 1; k <= n; k++) {
		memset(p, 0, sizeof p);
		par_run(bump, p, sizeof *p, k);
		for (int i = 0; i < n; i++)
			assert_int_equal(p[i].runs, i < k ? 1 : 0);
	}
}

static void *
caller(void *arg)
{
	int *bad = arg;

	for (int round = 0; round < 2000; round++) {
		struct part p[4];

		memset(p, 0, sizeof p);
		par_run(bump, p, sizeof *p, 4);
		for (int i = 0; i < 4; i++)
			if (p[i].runs != 1)
				(*bad)++;
	}
	return NULL;
}

static void
test_threads_at_once(void **state)
{
	pthread_t t[4];
	int bad[4] = { 0 };

	(void)state;
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, caller, &bad[i]), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(bad[i], 0);
	}
}

static void
test_start_join(void **state)
{
	struct part p;
	struct par_job j;

	(void)state;
	memset(&p, 0, sizeof p);
	g_lang = LANG_EN;
	if (par_start(&j, bump, &p) == 0) {
		par_join(&j);
		assert_int_equal(p.runs, 1);
		assert_int_equal(p.lang, LANG_VI);	/* as on a fresh thread */
	} else {
		bump(&p);	/* no worker free: the caller's */
		assert_int_equal(p.runs, 1);
	}
	g_lang = LANG_VI;
}

/* A job that holds its worker until let go. */
static pthread_mutex_t hold_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hold_cv = PTHREAD_COND_INITIALIZER;
static int held_go;

static void *
hold(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&hold_mu);
	while (!held_go)
		pthread_cond_wait(&hold_cv, &hold_mu);
	pthread_mutex_unlock(&hold_mu);
	return NULL;
}

static int flowing;
static int
writes_flowing(void)
{
	return flowing;
}

/* par_yield_to: while busy, the last idle worker of the three stays so. */
static void
test_yield(void **state)
{
	struct par_job j[3];
	long y0 = par_yielded();

	(void)state;
	held_go = 0;
	par_yield_to(writes_flowing);
	flowing = 1;
	assert_int_equal(par_start(&j[0], hold, NULL), 0);
	assert_int_equal(par_start(&j[1], hold, NULL), 0);
	assert_int_equal(par_start(&j[2], hold, NULL), -1);	/* the last one */
	assert_int_equal(par_yielded(), y0 + 1);
	flowing = 0;
	assert_int_equal(par_start(&j[2], hold, NULL), 0);	/* the flow over */
	assert_int_equal(par_yielded(), y0 + 1);
	pthread_mutex_lock(&hold_mu);
	held_go = 1;
	pthread_cond_broadcast(&hold_cv);
	pthread_mutex_unlock(&hold_mu);
	for (int i = 0; i < 3; i++)
		par_join(&j[i]);
	par_yield_to(NULL);
}

/* par_later: here and now without a background (the CLI); with one (the
 * server), on a thread of its own, not waited for, at its nice value. */
struct later_seen {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	int		 done;
	pthread_t	 who;
	int		 nice;
};

static void
note_later(void *arg)
{
	struct later_seen *l = arg;

	pthread_mutex_lock(&l->mu);
	l->who = pthread_self();
	errno = 0;
	l->nice = getpriority(PRIO_PROCESS, (id_t)gettid());
	l->done = 1;
	pthread_cond_signal(&l->cv);
	pthread_mutex_unlock(&l->mu);
}

static void
test_later(void **state)
{
	struct later_seen l = { PTHREAD_MUTEX_INITIALIZER,
	    PTHREAD_COND_INITIALIZER, 0, 0, 0 };
	int base = getpriority(PRIO_PROCESS, (id_t)gettid());

	(void)state;
	par_later(note_later, &l);
	assert_int_equal(l.done, 1);
	assert_true(pthread_equal(l.who, pthread_self()));
	l.done = 0;
	par_background(3);
	par_later(note_later, &l);
	pthread_mutex_lock(&l.mu);
	while (!l.done)
		pthread_cond_wait(&l.cv, &l.mu);
	pthread_mutex_unlock(&l.mu);
	par_background(0);
	assert_false(pthread_equal(l.who, pthread_self()));
	assert_int_equal(l.nice, base + 3 > 19 ? 19 : base + 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_every_part),
		cmocka_unit_test(test_threads_at_once),
		cmocka_unit_test(test_start_join),
		cmocka_unit_test(test_later),
		cmocka_unit_test(test_yield),
	};

	par_workers(3);	/* (more than the parts' callers leave idle) */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
