/*
 * par.h: the one home of parallel work. A fixed pool of worker threads,
 * made once on first use (the number of CPUs less one, at least one;
 * par_workers sets another number before that) and reused by the engines
 * and loaders: eligibility passes and writers, movement loads and
 * writers, schedule loads and rows, the snapshot's side load.
 *
 * A job is handed to an idle worker at once or not at all: par_start
 * fails when every worker is busy (another server thread's work, or
 * none could be made), and the caller then runs the job itself, as it
 * did when a thread could not be created. So a job that runs beside its
 * caller really runs beside it (two parts that wait for each other never
 * wait on a queue), two server threads may call at once, and nothing is
 * allocated per job: the caller owns the struct par_job, on its stack.
 * A job starts as on a fresh thread (g_lang Vietnamese).
 */
#ifndef PAR_H
#define PAR_H

#include <pthread.h>
#include <stddef.h>

struct par_job {
	void		*(*fn)(void *);
	void		*arg;
	int		 state;		/* par.c's: 0 none, 1 running, 2 done */
};

/*
 * Run fn(arg) on an idle worker of the pool: 0, and par_join(j) must
 * follow before j or arg go away; or -1 when no worker is free (j unused:
 * the caller runs fn itself).
 */
int	par_start(struct par_job *j, void *(*fn)(void *), void *arg);

/* Wait for a job par_start started to finish. */
void	par_join(struct par_job *j);

/*
 * Run fn on n parts of size bytes each, from base: part 0 on the calling
 * thread, the others on idle workers, and here after part 0 those that
 * none took (and any beyond the first PAR_MAX_PARTS). Returns when all
 * are done.
 */
#define PAR_MAX_PARTS	16
void	par_run(void *(*fn)(void *), void *base, size_t size, int n);

/* The number of workers the pool will have (n ≥ 0); before its first use. */
void	par_workers(int n);

/*
 * The server's reports must not crowd out the requests a user waits on
 * (a record POSTed while a snapshot loads): par_background(nice) makes
 * the pool's workers, and every par_aside() thread, run nice steps below
 * the process's own nice value (at 19 at most; workers made before keep
 * theirs). Unset (the CLI, whose one command is what its user waits on),
 * both run at the caller's.
 */
void	par_background(int nice);
/* This thread (one of the caller's own, working for reports) at the
 * background's nice value; as it is when none is set. */
void	par_lower(void);

/*
 * The server's writes go first: par_yield_to(busy) makes par_start, while
 * busy() says writes are flowing, hand out only workers that leave one
 * idle (none on 2 cores), so the caller runs those parts itself and a
 * core stays free for the requests. A lower priority alone does not do
 * it on a kernel that does not preempt (cmd-serve.c). It is decided as
 * each job starts: a job started before the flow runs on. busy must be
 * cheap and thread-safe (called with the pool's lock held); NULL (the
 * CLI) never yields. par_yielded() counts the starts refused so.
 */
void	par_yield_to(int (*busy)(void));
long	par_yielded(void);

/*
 * Run fn(arg) and wait for it: on a thread of its own at the background's
 * nice value when one is set (the caller's thread cannot lower its own
 * and raise it again without privilege), else here; here too when no
 * thread can be made. fn sees the caller's g_lang.
 */
void	par_aside(void *(*fn)(void *), void *arg);

/*
 * Run fn(arg) without waiting for it, on a detached thread at the
 * background's nice value: work nobody waits on, such as the last close
 * or unmapping of a snapshot's 200 MB copy replaced by a newer one, which
 * the kernel then frees page by page (0.15 s at a million people, on the
 * request that wrote the new copy). Only when a background is set (the
 * server); else, and when no thread can be made, here and now. fn owns
 * arg; it must not need the process's other threads, which may be gone.
 */
void	par_later(void (*fn)(void *), void *arg);
/*
 * Run fn(arg) on a thread of its own beside the caller, outside the pool
 * (whose workers stay free for the caller's own parts): work the caller
 * does not wait on yet, such as writing a snapshot's copy while the
 * report is evaluated from the snapshot. 0, and par_beside_join(b) must
 * follow before anything fn reads goes away; or -1 when no thread could
 * be made, or while par_yield_to's writes flow (a thread more would take
 * the core left to them: POSTs during a cold report had a p99 of 12-25
 * ms with the copy written beside, 2 ms without), b unused: the caller
 * runs fn itself. At the background's nice value when one is set; fn
 * sees the caller's g_lang.
 */
struct par_beside {
	pthread_t	 t;
	void		*(*fn)(void *);
	void		*arg;
	int		 nice, lang;
};
int	par_beside(struct par_beside *b, void *(*fn)(void *), void *arg);
void	par_beside_join(struct par_beside *b);

#endif
