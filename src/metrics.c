/*
 * metrics.c: counters and histograms of the server (metrics.h), kept in
 * fixed arrays of atomics and written out in Prometheus' text format:
 *   thidua_http_requests_total{route,status}
 *   thidua_http_request_duration_seconds{route} (histogram)
 *   thidua_writer_batch_jobs, thidua_writer_commit_seconds,
 *   thidua_writer_queue_wait_seconds (histograms: group commit)
 *   thidua_snapshot_total{kind,result} (hit | rebuild)
 *   thidua_sessions, thidua_http_inflight_requests (gauges)
 *   thidua_http_heavy_waiting, thidua_http_heavy_running (gauges: the
 *   heavy requests' runners, http-runner.h)
 *   thidua_http_connections{thread} (gauge: each pool thread's share)
 *   thidua_report_parts_yielded_total (par.h: a core left to the writes)
 *   process_resident_memory_bytes, process_open_fds
 */
#include <dirent.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "metrics.h"
#include "par.h"
#include "util.h"

#define MAX_ROUTES	96
#define NSTATUS		(sizeof statuses / sizeof statuses[0])

/* Statuses counted by name; any other lands on "other". */
static const int statuses[] = { 200, 201, 204, 206, 301, 304, 400, 401, 403,
    404, 405, 409, 413, 415, 429, 500, 501, 503, 0 };

/* Histogram bounds, seconds (latency) or jobs (batches). */
static const double lat_le[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
    0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
static const double jobs_le[] = { 1, 2, 4, 8, 16, 32, 64, 128, 256 };
#define NLAT	(sizeof lat_le / sizeof lat_le[0])
#define NJOBS	(sizeof jobs_le / sizeof jobs_le[0])

struct hist {
	_Atomic uint64_t	 bucket[16];	/* per bound, not cumulative */
	_Atomic uint64_t	 count;
	_Atomic uint64_t	 sum_us;	/* or the sum of values, for jobs */
};

static _Atomic uint64_t requests[MAX_ROUTES + 1][NSTATUS];
static struct hist latency[MAX_ROUTES + 1];
static struct hist batch_jobs, commit_time, queue_wait;

/* (matched by prefix, in order: "elig-kept" and "elig-scores" before
 * "elig") */
static const char *const snap_kinds[] = { "elig-kept", "elig-scores", "elig",
    "records", "targets", "mv-scores", "mv-eval", "ex-found", "ex-check",
    "innov-kept", "scope", "search", "other" };
#define NSNAP	(sizeof snap_kinds / sizeof snap_kinds[0])
static _Atomic uint64_t snapshots[NSNAP][2];

#define MAX_THREADS	64
static _Atomic long conns[MAX_THREADS];
static atomic_int nthreads;	/* pool threads seen (metrics_thread) */

static int
slot(int route)
{
	return route < 0 || route >= MAX_ROUTES ? MAX_ROUTES : route;
}

static void
observe(struct hist *h, const double *le, size_t n, double v, uint64_t sum)
{
	size_t i;

	for (i = 0; i < n && v > le[i]; i++)
		;
	atomic_fetch_add_explicit(&h->bucket[i], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&h->count, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&h->sum_us, sum, memory_order_relaxed);
}

void
metrics_request(int route, int status, uint64_t us)
{
	size_t s;

	for (s = 0; s < NSTATUS - 1 && statuses[s] != status; s++)
		;
	atomic_fetch_add_explicit(&requests[slot(route)][s], 1,
	    memory_order_relaxed);
	observe(&latency[slot(route)], lat_le, NLAT, (double)us / 1e6, us);
}

void
metrics_batch(size_t jobs, uint64_t commit_us)
{
	observe(&batch_jobs, jobs_le, NJOBS, (double)jobs, jobs);
	observe(&commit_time, lat_le, NLAT, (double)commit_us / 1e6, commit_us);
}

void
metrics_queue_wait(uint64_t us)
{
	observe(&queue_wait, lat_le, NLAT, (double)us / 1e6, us);
}

void
metrics_snapshot(const char *kind, int rebuilt)
{
	size_t k;

	/* "targets-34" is a "targets" copy. */
	for (k = 0; k < NSNAP - 1 && strncmp(snap_kinds[k], kind,
	    strlen(snap_kinds[k])) != 0; k++)
		;
	atomic_fetch_add_explicit(&snapshots[k][rebuilt != 0], 1,
	    memory_order_relaxed);
}

int
metrics_thread(void)
{
	int n = atomic_fetch_add(&nthreads, 1);

	return n < MAX_THREADS ? n : MAX_THREADS - 1;
}

void
metrics_connection(int thread, int delta)
{
	if (thread >= 0 && thread < MAX_THREADS)
		atomic_fetch_add_explicit(&conns[thread], delta,
		    memory_order_relaxed);
}

static uint64_t
get(_Atomic uint64_t *v)
{
	return atomic_load_explicit(v, memory_order_relaxed);
}

/* One histogram's series; labels is "" or `route="…",`. */
static void
put_hist(struct sb *o, const char *name, const char *labels,
    struct hist *h, const double *le, size_t n, int seconds)
{
	uint64_t cum = 0;
	char set[320] = "";

	if (*labels)
		snprintf(set, sizeof set, "{%.*s}", (int)strlen(labels) - 1,
		    labels);
	for (size_t i = 0; i <= n; i++) {
		cum += get(&h->bucket[i]);
		if (i < n)
			sb_printf(o, "%s_bucket{%sle=\"%g\"} %llu\n", name, labels,
			    le[i], (unsigned long long)cum);
		else
			sb_printf(o, "%s_bucket{%sle=\"+Inf\"} %llu\n", name,
			    labels, (unsigned long long)cum);
	}
	if (seconds)
		sb_printf(o, "%s_sum%s %.6f\n", name, set,
		    (double)get(&h->sum_us) / 1e6);
	else
		sb_printf(o, "%s_sum%s %llu\n", name, set,
		    (unsigned long long)get(&h->sum_us));
	sb_printf(o, "%s_count%s %llu\n", name, set,
	    (unsigned long long)get(&h->count));
}

static long
open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	long n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	return n - 1;	/* the directory's own descriptor */
}

static long
rss_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long pages = 0, rss = 0;

	if (f == NULL)
		return -1;
	if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
		rss = -1;
	fclose(f);
	return rss < 0 ? -1 : rss * sysconf(_SC_PAGESIZE);
}

void
metrics_text(struct sb *o, const char *(*route_name)(int), int n,
    const struct metrics_gauges *g)
{
	char labels[300];

	sb_puts(o, "# HELP thidua_http_requests_total Requests answered, by "
	    "route and status.\n# TYPE thidua_http_requests_total counter\n");
	for (int r = 0; r <= MAX_ROUTES; r++) {
		const char *name = r < n && r < MAX_ROUTES ? route_name(r) :
		    "other";

		if (r >= n && r < MAX_ROUTES)
			continue;
		for (size_t s = 0; s < NSTATUS; s++) {
			uint64_t v = get(&requests[r][s]);

			if (v == 0)
				continue;
			if (statuses[s])
				sb_printf(o, "thidua_http_requests_total{route=\"%s\","
				    "status=\"%d\"} %llu\n", name, statuses[s],
				    (unsigned long long)v);
			else
				sb_printf(o, "thidua_http_requests_total{route=\"%s\","
				    "status=\"other\"} %llu\n", name,
				    (unsigned long long)v);
		}
	}
	sb_puts(o, "# HELP thidua_http_request_duration_seconds Time from the "
	    "request's first byte to its answer.\n"
	    "# TYPE thidua_http_request_duration_seconds histogram\n");
	for (int r = 0; r <= MAX_ROUTES; r++) {
		if ((r >= n && r < MAX_ROUTES) || get(&latency[r].count) == 0)
			continue;
		snprintf(labels, sizeof labels, "route=\"%s\",", r < n &&
		    r < MAX_ROUTES ? route_name(r) : "other");
		put_hist(o, "thidua_http_request_duration_seconds", labels,
		    &latency[r], lat_le, NLAT, 1);
	}
	sb_puts(o, "# HELP thidua_writer_batch_jobs Writes per group commit.\n"
	    "# TYPE thidua_writer_batch_jobs histogram\n");
	put_hist(o, "thidua_writer_batch_jobs", "", &batch_jobs, jobs_le, NJOBS,
	    0);
	sb_puts(o, "# HELP thidua_writer_commit_seconds Time of a group commit "
	    "(the batch's jobs and its COMMIT).\n"
	    "# TYPE thidua_writer_commit_seconds histogram\n");
	put_hist(o, "thidua_writer_commit_seconds", "", &commit_time, lat_le,
	    NLAT, 1);
	sb_puts(o, "# HELP thidua_writer_queue_wait_seconds Time a write waited "
	    "for the database's writer.\n"
	    "# TYPE thidua_writer_queue_wait_seconds histogram\n");
	put_hist(o, "thidua_writer_queue_wait_seconds", "", &queue_wait, lat_le,
	    NLAT, 1);
	sb_puts(o, "# HELP thidua_snapshot_total Derived snapshots read from "
	    "their copy (hit) or rebuilt from the database.\n"
	    "# TYPE thidua_snapshot_total counter\n");
	for (size_t k = 0; k < NSNAP; k++)
		for (int b = 0; b < 2; b++)
			sb_printf(o, "thidua_snapshot_total{kind=\"%s\",result="
			    "\"%s\"} %llu\n", snap_kinds[k], b ? "rebuild" : "hit",
			    (unsigned long long)get(&snapshots[k][b]));
	sb_puts(o, "# HELP thidua_http_connections Open connections, by the "
	    "pool thread serving them.\n"
	    "# TYPE thidua_http_connections gauge\n");
	for (int t = 0; t < atomic_load(&nthreads) && t < MAX_THREADS; t++)
		sb_printf(o, "thidua_http_connections{thread=\"%d\"} %ld\n", t,
		    atomic_load_explicit(&conns[t], memory_order_relaxed));
	sb_printf(o, "# HELP thidua_report_parts_yielded_total Parts of "
	    "reports run on their caller's thread, a core left idle, because "
	    "writes were flowing.\n"
	    "# TYPE thidua_report_parts_yielded_total counter\n"
	    "thidua_report_parts_yielded_total %ld\n", par_yielded());
	sb_printf(o, "# HELP thidua_sessions Open sessions.\n"
	    "# TYPE thidua_sessions gauge\nthidua_sessions %ld\n"
	    "# HELP thidua_http_inflight_requests Requests being served.\n"
	    "# TYPE thidua_http_inflight_requests gauge\n"
	    "thidua_http_inflight_requests %ld\n"
	    "# HELP thidua_http_heavy_waiting Heavy requests (reports, "
	    "downloads, documents) waiting for a runner thread.\n"
	    "# TYPE thidua_http_heavy_waiting gauge\n"
	    "thidua_http_heavy_waiting %ld\n"
	    "# HELP thidua_http_heavy_running Heavy requests being answered on "
	    "a runner thread.\n"
	    "# TYPE thidua_http_heavy_running gauge\n"
	    "thidua_http_heavy_running %ld\n"
	    "# HELP process_resident_memory_bytes Resident memory.\n"
	    "# TYPE process_resident_memory_bytes gauge\n"
	    "process_resident_memory_bytes %ld\n"
	    "# HELP process_open_fds Open file descriptors.\n"
	    "# TYPE process_open_fds gauge\nprocess_open_fds %ld\n",
	    g->sessions, g->inflight, g->heavy_waiting, g->heavy_running,
	    rss_bytes(), open_fds());
}
