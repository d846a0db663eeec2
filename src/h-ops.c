/*
 * h-ops.c: the operator's endpoints. GET /readyz answers 200 when the
 * database answers a query and 503 otherwise (GET /healthz only says the
 * process is up); GET /metrics (admin) writes the counters of metrics.h
 * in Prometheus' text format, with the open sessions counted now.
 */
#include <stdio.h>

#include "http.h"
#include "metrics.h"
#include "store-auth.h"
#include "store.h"

int
h_ready(struct req *r)
{
	struct store_stmt *s = store_prepare(r->st, "SELECT 1");
	int rc = s ? store_step(s) : STORE_ERR;

	if (s)
		store_reset(s);
	if (rc != STORE_ROW)
		return http_error(r, 503, "unavailable", NULL, "%s",
		    TR("cơ sở dữ liệu không trả lời", "the database does not "
		    "answer"));
	sb_printf(&r->out, "{\"ok\":true,\"database\":\"%s\"}",
	    store_backend(r->st) == STORE_PG ? "postgresql" : "sqlite");
	return 200;
}

static const char *
route_name(int i)
{
	static __thread char buf[160];

	snprintf(buf, sizeof buf, "%s %s", http_routes[i].method,
	    http_routes[i].path);
	return buf;
}

int
h_metrics(struct req *r)
{
	struct metrics_gauges g = { .sessions = -1, .inflight = http_inflight() };

	if (store_auth_session_count(r->st, &g.sessions, &r->e) != 0)
		return -1;
	runner_counts(&g.heavy_waiting, &g.heavy_running);
	metrics_text(&r->out, route_name, (int)http_nroutes, &g);
	r->ctype = "text/plain; version=0.0.4; charset=utf-8";
	return 200;
}
