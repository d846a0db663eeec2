/*
 * http-runner.h: the threads that answer the server's heavy requests (a
 * report, a download of a whole table, a document) off the
 * request threads, so that a request thread never sits for seconds in
 * one handler while the other connections it serves wait (http.c says
 * which requests are heavy). A queue, first come first served, and a
 * fixed number of threads that take from it, below the request threads'
 * priority (par_lower: the reports' background, par.h): with them at
 * the requests' own, POSTs during a cold report at a million people
 * waited 2.0-3.7 ms at their p99 (1.5-1.7 idle), below it 1.3-2.5 ms.
 *
 * Ownership: the caller owns each struct runner_job (it lives in the
 * request) until its fn has run; runner_start makes the threads and
 * runner_stop ends them. One runner a process (the server's).
 */
#ifndef THIDUA_HTTP_RUNNER_H
#define THIDUA_HTTP_RUNNER_H

#include "err.h"

struct runner_job {
	void			(*fn)(void *);
	void			*arg;
	struct runner_job	*next;		/* the queue's */
};

/* n threads (at least one): 0, or -1 with e set. */
int	 runner_start(unsigned n, struct err *e);

/*
 * Queue j (fn(arg) runs on a runner thread): 0; or -1 when no runner is
 * started or it is stopping, j untouched: the caller runs fn itself.
 */
int	 runner_submit(struct runner_job *j);

/* Jobs queued and not started yet, and jobs running (/metrics). */
void	 runner_counts(long *waiting, long *running);

/* Every job queued runs, then the threads end. A no-op when not started. */
void	 runner_stop(void);

#endif
