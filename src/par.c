/*
 * par.c: the pool of worker threads behind par.h. One mutex guards the
 * workers' slots; a worker sleeps on its own condition until a job is put
 * in its slot, runs it, marks it done and wakes the joiners (one
 * condition for all: a handful of workers, a join per job).
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "par.h"
#include "util.h"

#define PAR_MAX_WORKERS	64

enum { JOB_NONE, JOB_RUNNING, JOB_DONE };

struct worker {
	pthread_cond_t	 cv;		/* a job was put in the slot */
	struct par_job	*job;		/* the slot: NULL when idle */
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_cv = PTHREAD_COND_INITIALIZER;
static struct worker workers[PAR_MAX_WORKERS];
static int nworker;		/* made */
static int want = -1;		/* par_workers; -1: CPUs less one */
static int made;		/* the pool was made (in this process) */
#define NICE_UNSET	INT_MIN
static int bg_nice = NICE_UNSET;	/* par_background's, absolute; or unset */
static int (*yield_busy)(void);	/* par_yield_to's, or NULL */
static long yielded;		/* starts refused for it (mu held) */

/* This thread at nice value nice (NICE_UNSET: as it is). */
static void
lower_self(int nice)
{
	/* (Linux: a thread's own nice, by its id; lowering needs no
	 * privilege, and when it fails the thread only runs as before) */
	if (nice != NICE_UNSET)
		(void)setpriority(PRIO_PROCESS, (id_t)gettid(), nice);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;

	pthread_mutex_lock(&mu);
	lower_self(bg_nice);
	for (;;) {
		struct par_job *j;

		while (w->job == NULL)
			pthread_cond_wait(&w->cv, &mu);
		j = w->job;
		pthread_mutex_unlock(&mu);
		g_lang = LANG_VI;	/* (as on a fresh thread) */
		j->fn(j->arg);
		pthread_mutex_lock(&mu);
		j->state = JOB_DONE;
		w->job = NULL;
		pthread_cond_broadcast(&done_cv);
	}
	return NULL;
}

/* A child of fork has none of its parent's workers: it makes its own. */
static void
after_fork(void)
{
	pthread_mutex_init(&mu, NULL);
	pthread_cond_init(&done_cv, NULL);
	nworker = 0;
	made = 0;
}

/* Make the workers (mu held): signals blocked, they only compute. */
static void
make_pool(void)
{
	static int atfork;
	sigset_t all, old;
	int n = want;

	if (n < 0) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);

		n = c > 1 ? (int)(c - 1) : 1;
	}
	if (n > PAR_MAX_WORKERS)
		n = PAR_MAX_WORKERS;
	if (!atfork && pthread_atfork(NULL, NULL, after_fork) == 0)
		atfork = 1;
	made = 1;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (int i = 0; i < n; i++) {
		struct worker *w = &workers[nworker];
		pthread_t t;

		pthread_cond_init(&w->cv, NULL);
		w->job = NULL;
		if (pthread_create(&t, NULL, worker_main, w) != 0) {
			pthread_cond_destroy(&w->cv);
			break;	/* fewer workers: the callers do the rest */
		}
		pthread_detach(t);
		nworker++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void
par_workers(int n)
{
	pthread_mutex_lock(&mu);
	if (!made)
		want = n < 0 ? 0 : n;
	pthread_mutex_unlock(&mu);
}

void
par_background(int nice)
{
	int base;

	/* (relative to the process's own: a server started at nice 5, by
	 * systemd's Nice= or `nice`, runs its reports at 15, not at 10
	 * beside its writes) */
	errno = 0;
	base = getpriority(PRIO_PROCESS, 0);
	if (base == -1 && errno != 0)
		base = 0;
	nice = nice <= 0 ? NICE_UNSET : base + nice > 19 ? 19 : base + nice;
	pthread_mutex_lock(&mu);
	bg_nice = nice;
	pthread_mutex_unlock(&mu);
}

void
par_yield_to(int (*busy)(void))
{
	pthread_mutex_lock(&mu);
	yield_busy = busy;
	pthread_mutex_unlock(&mu);
}

long
par_yielded(void)
{
	long n;

	pthread_mutex_lock(&mu);
	n = yielded;
	pthread_mutex_unlock(&mu);
	return n;
}

void
par_lower(void)
{
	int nice;

	pthread_mutex_lock(&mu);
	nice = bg_nice;
	pthread_mutex_unlock(&mu);
	lower_self(nice);
}

struct aside {
	void		*(*fn)(void *);
	void		*arg;
	enum lang	 lang;		/* the caller's */
	int		 nice;
};

static void *
aside_main(void *arg)
{
	struct aside *a = arg;

	lower_self(a->nice);
	g_lang = a->lang;
	a->fn(a->arg);
	return NULL;
}

void
par_aside(void *(*fn)(void *), void *arg)
{
	struct aside a = { fn, arg, g_lang, NICE_UNSET };
	sigset_t all, old;
	pthread_t t;
	int rc;

	pthread_mutex_lock(&mu);
	a.nice = bg_nice;
	pthread_mutex_unlock(&mu);
	if (a.nice == NICE_UNSET) {
		fn(arg);
		return;
	}
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&t, NULL, aside_main, &a);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		fn(arg);
	else
		pthread_join(t, NULL);
}

struct later {
	void		(*fn)(void *);
	void		*arg;
	int		 nice;
};

static void *
later_main(void *arg)
{
	struct later l = *(struct later *)arg;

	free(arg);
	lower_self(l.nice);
	l.fn(l.arg);
	return NULL;
}

void
par_later(void (*fn)(void *), void *arg)
{
	struct later *l = NULL;
	pthread_attr_t at;
	sigset_t all, old;
	pthread_t t;
	int nice, rc = -1;

	pthread_mutex_lock(&mu);
	nice = bg_nice;
	pthread_mutex_unlock(&mu);
	if (nice != NICE_UNSET && (l = malloc(sizeof *l)) != NULL &&
	    pthread_attr_init(&at) == 0) {
		*l = (struct later){ fn, arg, nice };
		pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
		sigfillset(&all);	/* (signals stay the server's threads') */
		pthread_sigmask(SIG_SETMASK, &all, &old);
		rc = pthread_create(&t, &at, later_main, l);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		pthread_attr_destroy(&at);
	}
	if (rc != 0) {
		free(l);
		fn(arg);
	}
}

static void *
beside_main(void *arg)
{
	struct par_beside *b = arg;

	lower_self(b->nice);
	g_lang = b->lang;
	return b->fn(b->arg);
}

int
par_beside(struct par_beside *b, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	int rc;

	pthread_mutex_lock(&mu);
	if (yield_busy != NULL && yield_busy()) {
		yielded++;	/* (a core stays the writes': par_yield_to) */
		pthread_mutex_unlock(&mu);
		return -1;
	}
	*b = (struct par_beside){ .fn = fn, .arg = arg, .nice = bg_nice,
	    .lang = g_lang };
	pthread_mutex_unlock(&mu);
	sigfillset(&all);	/* (signals stay the caller's threads') */
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&b->t, NULL, beside_main, b);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc == 0 ? 0 : -1;
}

void
par_beside_join(struct par_beside *b)
{
	pthread_join(b->t, NULL);
}

int
par_start(struct par_job *j, void *(*fn)(void *), void *arg)
{
	int rc = -1, idle = 0;

	pthread_mutex_lock(&mu);
	if (!made)
		make_pool();
	if (yield_busy != NULL) {
		for (int i = 0; i < nworker; i++)
			idle += workers[i].job == NULL;
		if (idle == 1 && yield_busy()) {
			yielded++;	/* (the last idle one stays so) */
			pthread_mutex_unlock(&mu);
			return -1;
		}
	}
	for (int i = 0; i < nworker; i++) {
		struct worker *w = &workers[i];

		if (w->job == NULL) {
			j->fn = fn;
			j->arg = arg;
			j->state = JOB_RUNNING;
			w->job = j;
			pthread_cond_signal(&w->cv);
			rc = 0;
			break;
		}
	}
	pthread_mutex_unlock(&mu);
	return rc;
}

void
par_join(struct par_job *j)
{
	pthread_mutex_lock(&mu);
	while (j->state != JOB_DONE)
		pthread_cond_wait(&done_cv, &mu);
	j->state = JOB_NONE;
	pthread_mutex_unlock(&mu);
}

void
par_run(void *(*fn)(void *), void *base, size_t size, int n)
{
	struct par_job job[PAR_MAX_PARTS];
	int started[PAR_MAX_PARTS] = { 0 };
	char *p = base;

	for (int i = 1; i < n && i < PAR_MAX_PARTS; i++)
		started[i] = par_start(&job[i], fn, p + i * size) == 0;
	fn(p);
	for (int i = 1; i < n; i++)
		if (i < PAR_MAX_PARTS && started[i])
			par_join(&job[i]);
		else
			fn(p + i * size);
}
