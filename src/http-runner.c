/*
 * http-runner.c: the heavy requests' threads (http-runner.h). One mutex
 * and condition over a singly linked queue of jobs the requests own; a
 * thread takes the oldest job, runs it unlocked, and waits again. At the
 * stop the threads drain the queue before they end, so no suspended
 * request is left without its answer.
 */
#include <pthread.h>
#include <string.h>

#include "http-runner.h"
#include "par.h"

#define RUNNER_MAX	64

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static struct runner_job *head, *tail;	/* under mu */
static long waiting, running;		/* under mu */
static int open_;			/* under mu: jobs taken; 0 at the stop */
static pthread_t threads[RUNNER_MAX];
static unsigned nthreads;

static void *
runner_main(void *arg)
{
	struct runner_job *j;

	(void)arg;
	par_lower();	/* (below the request threads, as the reports' workers) */
	for (;;) {
		pthread_mutex_lock(&mu);
		while (head == NULL && open_)
			pthread_cond_wait(&cv, &mu);
		if ((j = head) == NULL) {	/* stopping, nothing left */
			pthread_mutex_unlock(&mu);
			return NULL;
		}
		if ((head = j->next) == NULL)
			tail = NULL;
		waiting--;
		running++;
		pthread_mutex_unlock(&mu);
		/* (fn may end the request that owns j: j is not read after) */
		j->fn(j->arg);
		pthread_mutex_lock(&mu);
		running--;
		pthread_mutex_unlock(&mu);
	}
}

int
runner_start(unsigned n, struct err *e)
{
	int rc;

	if (n == 0)
		n = 1;
	if (n > RUNNER_MAX)
		n = RUNNER_MAX;
	/* (nothing is submitted before this returns: the server is not
	 * listening yet) */
	pthread_mutex_lock(&mu);
	open_ = 1;
	pthread_mutex_unlock(&mu);
	for (nthreads = 0; nthreads < n; nthreads++)
		if ((rc = pthread_create(&threads[nthreads], NULL, runner_main,
		    NULL)) != 0) {
			runner_stop();
			return err_set(e, ERR_SYSTEM, "pthread_create: %s",
			    strerror(rc));
		}
	return 0;
}

int
runner_submit(struct runner_job *j)
{
	pthread_mutex_lock(&mu);
	if (!open_) {
		pthread_mutex_unlock(&mu);
		return -1;
	}
	j->next = NULL;
	if (tail)
		tail->next = j;
	else
		head = j;
	tail = j;
	waiting++;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
	return 0;
}

void
runner_counts(long *wait, long *run)
{
	pthread_mutex_lock(&mu);
	*wait = waiting;
	*run = running;
	pthread_mutex_unlock(&mu);
}

void
runner_stop(void)
{
	pthread_mutex_lock(&mu);
	open_ = 0;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	for (unsigned i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
	nthreads = 0;
}
