/*
 * cmd-serve.c: thidua serve [--listen ADDR:PORT] [--web DIR] [--max-body N]
 *   [--max-conn N] [--max-conn-per-ip N] [--timeout S] [--threads N]
 *   [--session-idle S] [--session-max S] [--request-time S]
 *   [--body-budget BYTES] [--trusted-proxy ADDR] [--secure-cookies]
 *   [--warm-up auto|on|off] [--report-threads N] [--report-requests N]
 * Brings the schema up to date, creates an `admin` account with a
 * generated password (printed once) when there is no account yet, then
 * runs the HTTP server (http.h) until SIGTERM or SIGINT.
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "cmd.h"
#include "elig.h"
#include "exemplar.h"
#include "http.h"
#include "innovation.h"
#include "movement.h"
#include "par.h"
#include "snapcache-elig.h"
#include "snapcache.h"
#include "store-auth.h"
#include "store.h"
#include "util.h"

/*
 * The nice value of the threads that load and evaluate reports (par.h):
 * a record POSTed while a million people's snapshot loads waits on no
 * report, yet a report still gets a tenth of a busy core.
 */
#define SERVE_REPORT_NICE	10

/*
 * The threads a report loads and evaluates on (--report-threads; 0: as
 * many as the cores). A lower nice value is not enough to keep a core
 * for the requests: on a kernel without preemption (this machine's,
 * PREEMPT_NONE at 250 Hz) a report thread running when a request's
 * thread wakes keeps the core up to its tick, so with every core loading
 * a snapshot a record POSTed meanwhile waited 4-8 ms more (p99 5.3
 * against 2.2 ms idle, at a million people on 2 cores), and SCHED_IDLE
 * did no better. So while writes are flowing (four answered within the
 * last second: http_writes_flowing) a report leaves one core idle
 * (par_yield_to): on 2 cores it runs on one thread, and the POSTs' p99
 * was then 1.5-2.0 ms during a cold report against 1.7-1.9 idle, the
 * cold report 4.8-5.0 s instead of 3.3-3.8. Otherwise every core is the
 * reports' (the dashboard's eligibility right after one person hired:
 * 0.54-1.02 s on two threads, 0.99-1.18 s on one).
 */
static void
report_threads(long n)
{
	if (n > 0)
		par_workers((int)(n - 1));	/* (the caller's own thread is one) */
	par_yield_to(http_writes_flowing);
}

static int
first_admin(struct store *st, void *arg, struct err *e)
{
	return auth_user_add(st, "admin", "admin", NULL, arg, e);
}

static int
ensure_admin(struct store *st, struct err *e)
{
	char pw[17];
	long n;

	if (store_auth_account_count(st, &n, e) != 0)
		return -1;
	if (n > 0)
		return 0;
	auth_password_generate(pw);
	audit_context(NULL, "cli");
	if (auth_txn(st, first_admin, pw, e) != 0)
		return -1;
	fprintf(stderr, "thidua: %s: admin / %s\n", TR("đã tạo tài khoản quản "
	    "trị (mật khẩu chỉ hiện một lần)", "created the admin account "
	    "(the password is shown once)"), pw);
	return 0;
}

static int
exec_serve(struct cli *cli, int argc, char **argv, struct err *e)
{
	struct http_conf c;
	int rc;
	long max_body = 8L << 20, max_conn = 1024, per_ip = 256, timeout = 30,
	    threads = 0, idle = auth_conf.idle, max_age = auth_conf.max_age,
	    request_time = 30, budget = 64L << 20, rthreads = 0, heavy = 0;
	static const char *const warm_names[] = { [WARM_AUTO] = "auto",
	    [WARM_ON] = "on", [WARM_OFF] = "off" };
	const char *warm = "auto";
	const struct opt opts[] = {
		{ "listen", OPT_STR, &c.listen },
		{ "web", OPT_STR, &c.web },
		{ "max-body", OPT_INT, &max_body },
		{ "max-conn", OPT_INT, &max_conn },
		{ "max-conn-per-ip", OPT_INT, &per_ip },
		{ "timeout", OPT_INT, &timeout },
		{ "request-time", OPT_INT, &request_time },
		{ "body-budget", OPT_INT, &budget },
		{ "threads", OPT_INT, &threads },
		{ "session-idle", OPT_INT, &idle },
		{ "session-max", OPT_INT, &max_age },
		{ "trusted-proxy", OPT_STR, &c.trusted_proxy },
		{ "secure-cookies", OPT_FLAG, &c.secure_cookies },
		{ "db-read", OPT_STR, &c.db_read },
		{ "warm-up", OPT_STR, &warm },
		{ "report-threads", OPT_INT, &rthreads },
		{ "report-requests", OPT_INT, &heavy },
		{ NULL, 0, NULL }
	};
	int n;

	memset(&c, 0, sizeof c);
	c.listen = "127.0.0.1:8080";
	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0)
		return -1;
	if (n > 0)
		return err_set(e, ERR_USAGE, "%s: %s", argv[1],
		    TR("đối số thừa", "unexpected argument"));
	if (max_body < 1 || max_conn < 1 || per_ip < 1 || timeout < 1 ||
	    threads < 0 || threads > 64 || idle < 1 || max_age < 1 ||
	    request_time < 1 || budget < 1 || rthreads < 0 || rthreads > 64 ||
	    heavy < 0 || heavy > 64)
		return err_set(e, ERR_USAGE, "%s", TR("giá trị tùy chọn phải "
		    "dương (--threads, --report-threads, --report-requests tối "
		    "đa 64)", "option values must be positive (--threads, "
		    "--report-threads, --report-requests at most 64)"));
	c.db = cli->db;
	for (c.warm = WARM_AUTO; c.warm <= WARM_OFF &&
	    strcmp(warm, warm_names[c.warm]) != 0; c.warm++)
		;
	if (c.warm > WARM_OFF)
		return err_at(e, ERR_USAGE, NULL, 0, 0, "--warm-up", "%s",
		    TR("cần auto, on hoặc off", "auto, on or off"));
	if (c.db_read && strncmp(c.db_read, "postgres", 8) != 0)
		return err_at(e, ERR_USAGE, NULL, 0, 0, "--db-read", "%s",
		    TR("cần URL postgresql:// của một bản sao (replica)",
		    "needs the postgresql:// URL of a streaming replica"));
	c.max_body = (size_t)max_body;
	c.max_conn = (unsigned)max_conn;
	c.max_per_ip = (unsigned)per_ip;
	c.timeout = (unsigned)timeout;
	c.request_time = (unsigned)request_time;
	c.body_budget = (size_t)budget;
	c.threads = (unsigned)threads;
	c.heavy = (unsigned)heavy;
	auth_conf.idle = idle;
	auth_conf.max_age = max_age;
	report_threads(rthreads);	/* (before the pool's first use) */
	if (store_migrate(cli->st, e) != 0 || ensure_admin(cli->st, e) != 0)
		return -1;
	par_background(SERVE_REPORT_NICE);	/* reports after the writes */
	elig_keep(1);		/* evaluations kept between requests */
	elig_cache_memory(1);	/* the snapshot's copy on PostgreSQL in memory */
	snapcache_trickle_on(1);	/* the copies on SQLite sent to the disk gently */
	movement_keep(1);	/* and movement scores */
	exemplar_keep(1);	/* and exemplar candidates */
	innovation_keep(1);	/* and the innovation register's summaries */
	h_scope_keep(1);	/* and the subtrees of scoped requests */
	rc = http_serve(&c, e);
	h_scope_keep(0);
	innovation_keep(0);
	exemplar_keep(0);
	movement_keep(0);
	elig_keep(0);
	elig_cache_memory(0);
	snapcache_trickle_on(0);
	return rc;
}

const struct cmd cmd_serve = {
	"serve", "[--listen ADDR:PORT] [--web DIR] [--max-body BYTES] "
	"[--max-conn N] [--max-conn-per-ip N] [--timeout SECONDS] "
	"[--request-time SECONDS] [--body-budget BYTES] [--threads N] "
	"[--session-idle SECONDS] [--session-max SECONDS] [--trusted-proxy ADDR] "
	"[--secure-cookies] [--warm-up auto|on|off] [--report-threads N] "
	"[--report-requests N]",
	"máy chủ HTTP: API JSON và ứng dụng web (mặc định 127.0.0.1:8080)",
	"HTTP server: the JSON API and the web app (default 127.0.0.1:8080)",
	CMD_DB, exec_serve
};
