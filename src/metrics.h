/*
 * metrics.h: the server's counters, for GET /metrics in Prometheus' text
 * format (metrics.c). Lock-free: every counter is an atomic add, so the
 * request threads and the writer record without waiting on each other.
 * Routes are named by their index in http_routes (http-routes.c); -1 stands
 * for static files and requests no route matched.
 */
#ifndef THIDUA_METRICS_H
#define THIDUA_METRICS_H

#include <stddef.h>
#include <stdint.h>

struct sb;

/* A request answered: its route (-1: none), status, and microseconds. */
void	 metrics_request(int route, int status, uint64_t us);
/* A writer batch committed (or not): its jobs, and the commit's time. */
void	 metrics_batch(size_t jobs, uint64_t commit_us);
/* A write job's wait in the writer's queue, microseconds. */
void	 metrics_queue_wait(uint64_t us);
/*
 * Each pool thread's open connections: metrics_thread numbers a thread
 * (0, 1, … in the order of their first call; the caller keeps it), and
 * metrics_connection adds delta (1 opened, -1 closed) to that thread's.
 */
int	 metrics_thread(void);
void	 metrics_connection(int thread, int delta);
/* A derived snapshot (kind: "elig", …) read from its copy or rebuilt. */
void	 metrics_snapshot(const char *kind, int rebuilt);

/*
 * The Prometheus text exposition of every counter, then the gauges the
 * caller measured (sessions, in-flight requests, heavy requests waiting
 * for a runner and running on one) and the process's own. route_name(i)
 * names route i ("GET /api/v1/..."); n is their number.
 */
struct metrics_gauges {
	long	 sessions, inflight, heavy_waiting, heavy_running;
};
void	 metrics_text(struct sb *out, const char *(*route_name)(int), int n,
	    const struct metrics_gauges *);

#endif
