/*
 * http.c: the daemon (libmicrohttpd, epoll, a pool of one thread per two
 * cores), the per-request context, the dispatcher, the writer thread and
 * the heavy requests' runners (http-runner.h).
 *
 * Requests: MHD calls the access handler several times per request. The
 * first call only creates the struct req (responses are queued from the
 * second call on: libmicrohttpd 0.9.75 closes keep-alive connections when
 * a response is queued in the first, STACK-NOTES §1). Upload calls append
 * to the body (413 past --max-body). The last call runs the dispatcher,
 * whose checks are in a fixed order (http.h). NOTIFY_COMPLETED writes the
 * access-log line and frees the request: the one place it is freed.
 *
 * Reads use one database connection per pool (or runner) thread. Heavy
 * reads (reports, downloads, documents: heavy()) run on a runner thread,
 * their request suspended meanwhile. Writes go to ONE
 * writer thread: handlers queue a job and the request is suspended; the
 * writer drains the queue into one transaction per batch (a savepoint per
 * job, so one refused job does not undo the others), commits
 * (synchronous=FULL on SQLite), then resumes every request of the batch:
 * each acknowledged write is durable (group commit). Jobs that manage
 * their own transaction (imports) run alone.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>
#include <sodium.h>

#include "audit.h"
#include "auth.h"
#include "http.h"
#include "http-accept.h"
#include "http-mhd.h"
#include "icu.h"
#include "import.h"
#include "import-kinds.h"
#include "metrics.h"
#include "store.h"
#include "util.h"

static struct http_conf conf;
static char webdir[1024];

/*
 * An error cleared as err_clear does for all that is read of it before an
 * err_set or err_at writes it (the kind, the numbers, each string's first
 * byte), without writing its 1.4 KB: requests and jobs are made by the
 * tens of thousands a second.
 */
static void
err_heads_clear(struct err *e)
{
	e->kind = ERR_OK;
	e->file[0] = e->field[0] = e->msg[0] = '\0';
	e->line = e->col = 0;
}

/*
 * What the server keeps of a connection (MHD's socket context): the
 * reaper's (under conn_mu, see "slow clients" below), and what the
 * connection's requests share, touched only by the pool thread serving
 * it: the client's address as text, and the caller its last Bearer token
 * named (bearer()).
 */
struct conn_track {
	struct conn_track *prev, *next;
	int		 fd;
	int		 thread;	/* the pool thread's number (metrics) */
	int		 worker;	/* libmicrohttpd's worker (pick_thread) */
	/* since << 1 | busy, one word written without conn_mu (conn_mark):
	 * since, microseconds (now_us); busy, the request is whole, so the
	 * time is not the client's */
	_Atomic uint64_t mark;
	char		 addr[64];	/* "" until the first request */
	char		 tok[128];	/* "" none */
	time_t		 tok_until;
	unsigned long	 tok_version;	/* auth_version */
	struct user	 tok_user;
};

/* ---- database connections ---- */

#define MAX_READERS 256
static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;
static struct store *readers[MAX_READERS];
static int nreaders;
static __thread struct store *tl_store;

/*
 * The heavy reports' connection to a streaming replica (--db-read), one
 * per pool thread, opened on first use and again after it fails (a
 * replica restarted): replicas[] owns them, for the shutdown.
 */
static struct store *replicas[MAX_READERS];
static int nreplicas;
static __thread int tl_replica = -1;

static struct store *
thread_replica(struct err *e)
{
	struct store *st;

	if (tl_replica >= 0 && replicas[tl_replica])
		return replicas[tl_replica];
	if (store_open(conf.db_read, &st, e) != 0)
		return NULL;
	pthread_mutex_lock(&reg_mu);
	if (tl_replica < 0 && nreplicas < MAX_READERS)
		tl_replica = nreplicas++;
	if (tl_replica >= 0)
		replicas[tl_replica] = st;
	pthread_mutex_unlock(&reg_mu);
	if (tl_replica < 0) {
		store_close(st);
		return NULL;
	}
	return st;
}

static void
replica_failed(void)
{
	pthread_mutex_lock(&reg_mu);
	if (tl_replica >= 0 && replicas[tl_replica]) {
		store_close(replicas[tl_replica]);
		replicas[tl_replica] = NULL;
	}
	pthread_mutex_unlock(&reg_mu);
}

/* This pool thread's read connection, opened on first use. */
static struct store *
thread_store(struct err *e)
{
	store_conn_lost_clear();	/* a new request (or phase of one) */
	if (tl_store)
		return tl_store;
	if (store_open(conf.db, &tl_store, e) != 0) {
		tl_store = NULL;
		return NULL;
	}
	pthread_mutex_lock(&reg_mu);
	if (nreaders < MAX_READERS)
		readers[nreaders++] = tl_store;
	pthread_mutex_unlock(&reg_mu);
	return tl_store;
}

/* ---- the writer thread ---- */

static void log_flush(void);
#define LOG_TICK_MS	100

#define BATCH_MAX 512
static pthread_mutex_t q_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_cv = PTHREAD_COND_INITIALIZER;
static struct http_job *q_head, *q_tail;
static int q_stop;
static struct store *w_store;
static atomic_ulong data_version;
/* When the writer finished the last HTTP_WRITES_FLOWING_N writes that a
 * request waited on (now_us), a ring written by the writer thread only. */
static _Atomic uint64_t write_at[HTTP_WRITES_FLOWING_N];
static unsigned write_n;
static uint64_t now_us(void);
/* Bumped after a commit that may have changed an account, a session or a
 * token (any job but HTTP_DATA ones): the Bearer cache compares it. */
static atomic_ulong auth_version;
static atomic_long inflight;
/*
 * Set at SIGTERM: a request that starts after it is answered 503 at once
 * (and its connection closed) while those in flight finish. This is our
 * own quiescing: MHD_quiesce_daemon on an epoll thread pool races with
 * the pool's own removal of the listen socket from its epoll set and
 * aborts the process ("Failed to remove listen FD from epoll set", an
 * open libmicrohttpd defect; seen twice in full runs after the listen
 * socket's close was moved after MHD_stop_daemon).
 */
static atomic_int draining;

long
http_inflight(void)
{
	return atomic_load(&inflight);
}

int
http_writes_flowing(void)
{
	uint64_t now = now_us();

	for (int i = 0; i < HTTP_WRITES_FLOWING_N; i++) {
		uint64_t t = atomic_load_explicit(&write_at[i],
		    memory_order_relaxed);

		if (t == 0 || now - t >= HTTP_WRITES_FLOWING_US)
			return 0;
	}
	return 1;
}

unsigned long
http_data_version(void)
{
	return atomic_load(&data_version);
}

static void finish_job(struct http_job *);

static void
enqueue(struct http_job *j)
{
	pthread_mutex_lock(&q_mu);
	if (q_stop) {
		/* Stopping: the writer is gone; refuse rather than hang. */
		pthread_mutex_unlock(&q_mu);
		j->rc = 0;
		if (j->r) {
			g_lang = j->lang;
			http_error(j->r, 503, "unavailable", NULL, "%s",
			    TR("máy chủ đang dừng", "the server is stopping"));
			j->r->retry_after = 5;
			j->r->cont = NULL;
		}
		finish_job(j);
		return;
	}
	j->next = NULL;
	j->t_enq = now_us();
	if (q_tail)
		q_tail->next = j;
	else
		q_head = j;
	q_tail = j;
	pthread_cond_signal(&q_cv);
	pthread_mutex_unlock(&q_mu);
}

static int
write_job(struct req *r, int (*fn)(struct store *, struct req *, struct err *),
    int flags, uint64_t lock_key)
{
	struct http_job *j = &r->job;

	/* all but the error's buffers, of which only the heads */
	memset(j, 0, offsetof(struct http_job, e));
	err_heads_clear(&j->e);
	j->r = r;
	j->fn = fn;
	j->solo = (flags & HTTP_SOLO) != 0;
	j->data = (flags & HTTP_DATA) != 0;
	j->atomic = (flags & HTTP_ATOMIC) != 0;
	j->lock_key = lock_key;
	j->lang = r->lang;
	snprintf(j->actor, sizeof j->actor, "%s", r->authed ? r->user.login : "-");
	snprintf(j->addr, sizeof j->addr, "%s", r->addr);
	r->state = RS_WAIT;
	/* Suspend before the job can finish and resume us. */
	MHD_suspend_connection(r->conn);
	enqueue(j);
	return HTTP_ASYNC;
}

int
http_write(struct req *r, int (*fn)(struct store *, struct req *, struct err *),
    int flags)
{
	return write_job(r, fn, flags, 0);
}

/* FNV-1a, 64 bits; never 0 (0 means "no key"). */
static uint64_t
key_hash(const char *k)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *k != '\0'; k++)
		h = (h ^ (unsigned char)*k) * 0x100000001b3ULL;
	return h != 0 ? h : 1;
}

int
http_write_keyed(struct req *r, int (*fn)(struct store *, struct req *,
    struct err *), int flags, const char *key)
{
	return write_job(r, fn, flags, key_hash(key));
}

void
http_touch(const char *session_hash)
{
	struct http_job *j = xcalloc(1, sizeof *j);

	snprintf(j->arg, sizeof j->arg, "%s", session_hash);
	snprintf(j->actor, sizeof j->actor, "-");
	snprintf(j->addr, sizeof j->addr, "-");
	enqueue(j);
}

static void
run_job(struct store *st, struct http_job *j)
{
	metrics_queue_wait(now_us() - j->t_enq);
	g_lang = j->lang;
	audit_context(j->actor, j->addr);
	err_heads_clear(&j->e);
	j->rc = j->r ? j->fn(st, j->r, &j->e) : auth_touch(st, j->arg, &j->e);
	if (j->rc != 0 && j->e.kind == ERR_OK)
		err_set(&j->e, ERR_SYSTEM, "%s", store_errmsg(st));
}

/* Reply to a finished job's request and wake it. */
static void
finish_job(struct http_job *j)
{
	struct req *r = j->r;

	if (r == NULL) {
		free(j);	/* (a session's touch: nobody waits on it) */
		return;
	}
	atomic_store_explicit(&write_at[write_n++ % HTTP_WRITES_FLOWING_N],
	    now_us(), memory_order_relaxed);
	if (j->rc != 0) {
		g_lang = j->lang;
		http_fail(r, &j->e);
		r->cont = NULL;
	}
	r->state = r->cont ? RS_CONT : RS_DONE;
	MHD_resume_connection(r->conn);
}

static void
fail_all(struct http_job **jobs, size_t n, const char *why)
{
	for (size_t i = 0; i < n; i++)
		if (jobs[i]->rc == 0) {
			jobs[i]->rc = -1;
			err_set(&jobs[i]->e, ERR_SYSTEM, "%s", why);
		}
}

/*
 * The savepoint around each job of a batch. On SQLite a statement
 * prepared once (the handle's cache) rather than parsed at each job;
 * PostgreSQL runs them as they are.
 */
static const char Q_SAVEPOINT[] = "SAVEPOINT job";
static const char Q_RELEASE[] = "RELEASE SAVEPOINT job";
static const char Q_ROLLBACK_TO[] = "ROLLBACK TO SAVEPOINT job";

static int
savepoint(const char *sql)
{
	struct store_stmt *s;

	if (store_backend(w_store) != STORE_SQLITE)
		return store_exec(w_store, sql);
	if ((s = store_prepare(w_store, sql)) == NULL)
		return -1;
	return store_run(s) == STORE_DONE ? 0 : -1;
}

/*
 * A batch of HTTP_ATOMIC jobs runs without savepoints (two statements a
 * job fewer; on PostgreSQL two round trips of seven for a record): such
 * a job refuses (ERR_USER) only before its first write, so a refusal
 * leaves nothing to undo. Any other failure may have left half a job:
 * then the transaction is rolled back whole (-1) and the batch runs
 * again, each job in its savepoint. 0: every job ran, refusals included.
 */
static int
run_plain(struct http_job **jobs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		run_job(w_store, jobs[i]);
		if (jobs[i]->rc != 0 && jobs[i]->e.kind != ERR_USER) {
			store_rollback(w_store);
			return -1;
		}
	}
	return 0;
}

/*
 * The jobs of a batch in the order of their lock keys (http.h's
 * http_write_keyed; unkeyed jobs first), arrival order among equals.
 * Every job of a batch is a request not yet answered, so any order is
 * one in which they could have come. Insertion sort: a batch is at most
 * BATCH_MAX jobs and mostly in order already when keyed at all.
 */
static void
order_batch(struct http_job **jobs, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct http_job *j = jobs[i];
		size_t k = i;

		for (; k > 0 && jobs[k - 1]->lock_key > j->lock_key; k--)
			jobs[k] = jobs[k - 1];
		jobs[k] = j;
	}
}

static void
run_batch(struct http_job **jobs, size_t n)
{
	uint64_t t0 = now_us();
	size_t i;

	if (store_backend(w_store) == STORE_PG)
		order_batch(jobs, n);
	store_conn_lost_clear();
	if (store_begin(w_store) != 0) {
		fail_all(jobs, n, store_errmsg(w_store));
		return;
	}
	for (i = 0; i < n && jobs[i]->atomic; i++)
		;
	if (i == n) {
		if (run_plain(jobs, n) == 0)
			goto commit;
		for (i = 0; i < n; i++)
			jobs[i]->rc = 0;
		store_conn_lost_clear();
		if (store_begin(w_store) != 0) {
			fail_all(jobs, n, store_errmsg(w_store));
			return;
		}
	}
	for (i = 0; i < n; i++) {
		if (savepoint(Q_SAVEPOINT) != 0) {
			jobs[i]->rc = -1;
			err_set(&jobs[i]->e, ERR_SYSTEM, "%s",
			    store_errmsg(w_store));
			continue;
		}
		run_job(w_store, jobs[i]);
		if (jobs[i]->rc != 0)
			savepoint(Q_ROLLBACK_TO);
		savepoint(Q_RELEASE);
	}
commit:
	if (store_commit(w_store) != 0) {
		fail_all(jobs, n, store_errmsg(w_store));
		store_rollback(w_store);
	}
	metrics_batch(n, now_us() - t0);
}

/*
 * ---- the checkpointer ----
 * SQLite copies the WAL back into the database file every 1000 pages or
 * so by default (a checkpoint: 4 MB written and the file fsynced). Left
 * to the commits, as SQLite does, it stalls the writer thread for
 * milliseconds every few dozen batches, every request of that batch
 * waiting (the p99). Instead the writer's handle reports the WAL's length
 * after each commit (store_wal_hook); past CKPT_FRAMES this thread copies
 * the WAL on a connection of its own (PASSIVE: neither waits for the
 * other), then the writer, between two batches, copies the few frames
 * committed meanwhile (store_checkpoint on its own handle: the WAL then
 * starts again from its beginning at the next commit, instead of growing
 * without end behind a checkpointer that never catches up). Durability
 * is the commit's: the WAL is fsynced at each one.
 * Short checkpoints, often, keep the tail short: under bench-http.sh's
 * 64 connections of POSTs (2026-12-06, 2 cores, three runs of 10 s each)
 * p99 was 8.5-10.4 ms at 1000 frames, 8.4-9.4 at 500, 7.3-7.9 at 300,
 * 6.8-6.9 at 150 and 6.2-6.9 at 64, for 16,000-19,000 writes/s at each
 * (at 8000 frames: 23,000-24,600 writes/s, p99 11.7-21.3 ms): a long
 * checkpoint's fsync of the database file holds the commits' fsyncs of
 * the WAL behind it.
 * ckpt_phase: 0 idle → 1 (writer: the WAL is long) the checkpointer
 * copies → 2 the writer copies the rest → 0.
 */
#define CKPT_FRAMES	150
static pthread_mutex_t ckpt_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ckpt_cv = PTHREAD_COND_INITIALIZER;
static atomic_int ckpt_phase;
static int ckpt_stop;

/* The writer's handle committed: the WAL holds frames. */
static void
wal_grew(void *arg, int frames)
{
	int idle = 0;

	(void)arg;
	if (frames < CKPT_FRAMES ||
	    !atomic_compare_exchange_strong(&ckpt_phase, &idle, 1))
		return;
	pthread_mutex_lock(&ckpt_mu);
	pthread_cond_signal(&ckpt_cv);
	pthread_mutex_unlock(&ckpt_mu);
}

/* On the writer thread, between batches: the rest of a checkpoint. */
static void
ckpt_rest(void)
{
	struct err e;
	int frames, done;

	if (atomic_load(&ckpt_phase) != 2)
		return;
	store_checkpoint(w_store, &frames, &done, &e);
	atomic_store(&ckpt_phase, 0);
}

static void *
ckpt_main(void *arg)
{
	struct store *st = NULL;
	struct err e;
	int frames, done;

	(void)arg;
	pthread_mutex_lock(&ckpt_mu);
	for (;;) {
		while (atomic_load(&ckpt_phase) != 1 && !ckpt_stop)
			pthread_cond_wait(&ckpt_cv, &ckpt_mu);
		if (ckpt_stop)
			break;
		pthread_mutex_unlock(&ckpt_mu);
		if (st == NULL && store_open(conf.db, &st, &e) != 0)
			st = NULL;	/* the writer then copies all */
		if (st && store_checkpoint(st, &frames, &done, &e) != 0) {
			store_close(st);
			st = NULL;
		}
		atomic_store(&ckpt_phase, 2);
		pthread_mutex_lock(&ckpt_mu);
	}
	pthread_mutex_unlock(&ckpt_mu);
	if (st)
		store_close(st);
	return NULL;
}

/* Housekeeping every PURGE_EVERY seconds, in a transaction of its own. */
#define PURGE_EVERY 60

static void
purge(void)
{
	static time_t last;
	time_t now = time(NULL);
	struct err e;

	if (now - last < PURGE_EVERY)
		return;
	last = now;
	if (store_begin(w_store) != 0)
		return;
	if (auth_purge(w_store, &e) != 0 || store_commit(w_store) != 0)
		store_rollback(w_store);
}

static void
stop_ckpt(pthread_t t)
{
	pthread_mutex_lock(&ckpt_mu);
	ckpt_stop = 1;
	pthread_cond_signal(&ckpt_cv);
	pthread_mutex_unlock(&ckpt_mu);
	pthread_join(t, NULL);
}

static void *
writer_main(void *arg)
{
	struct http_job *batch[BATCH_MAX], *list, *j;
	size_t n;
	int data;

	(void)arg;
	for (;;) {
		pthread_mutex_lock(&q_mu);
		while (q_head == NULL && !q_stop) {
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += LOG_TICK_MS * 1000000L;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			if (pthread_cond_timedwait(&q_cv, &q_mu, &ts) != 0) {
				pthread_mutex_unlock(&q_mu);
				log_flush();
				purge();
				pthread_mutex_lock(&q_mu);
			}
		}
		list = q_head;
		q_head = q_tail = NULL;
		pthread_mutex_unlock(&q_mu);
		if (list == NULL)
			break;
		purge();
		while (list) {
			if (list->solo) {
				j = list;
				list = list->next;
				{
					uint64_t t0 = now_us();

					run_job(w_store, j);
					metrics_batch(1, now_us() - t0);
				}
				atomic_fetch_add(&data_version, 1);
				if (!j->data)
					atomic_fetch_add(&auth_version, 1);
				finish_job(j);
				ckpt_rest();
				continue;
			}
			data = 1;
			for (n = 0; list && !list->solo && n < BATCH_MAX;
			    list = list->next) {
				data &= list->data;
				batch[n++] = list;
			}
			run_batch(batch, n);
			atomic_fetch_add(&data_version, 1);
			if (!data)
				atomic_fetch_add(&auth_version, 1);
			for (size_t i = 0; i < n; i++)
				finish_job(batch[i]);
			ckpt_rest();
		}
	}
	return NULL;
}

/* ---- replies ---- */

static void
error_json(struct req *r, const char *code, const char *field,
    const char *msg)
{
	sb_reset(&r->out);
	sb_puts(&r->out, "{\"error\":{\"code\":");
	sb_json_str(&r->out, code);
	sb_puts(&r->out, ",\"message\":");
	sb_json_str(&r->out, msg);
	if (field && *field) {
		sb_puts(&r->out, ",\"field\":");
		sb_json_str(&r->out, field);
	}
	sb_puts(&r->out, "}}");
	r->ctype = "application/json";
}

int
http_error(struct req *r, int status, const char *code, const char *field,
    const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	error_json(r, code, field, msg);
	r->status = status;
	return status;
}

int
http_fail(struct req *r, struct err *e)
{
	const char *code = r->ecode ? r->ecode : valid_unknown(e) ?
	    "unknown_field" : err_code_name(e->kind);
	char msg[1400];

	if (e->kind == ERR_SYSTEM && store_conn_lost()) {
		/* The database went away: ours, never the driver's text. The
		 * store's message says when a write's outcome is unknown. */
		int unknown = strstr(e->msg, TR("không rõ", "unknown")) != NULL;

		http_error(r, 503, "unavailable", NULL, "%s", unknown ? e->msg :
		    TR("cơ sở dữ liệu tạm thời không trả lời, hãy thử lại sau",
		    "the database does not answer for now; try again later"));
		r->retry_after = 5;
		return -1;
	}
	if (e->file[0] && !valid_unknown(e)) {
		struct err copy = *e;

		copy.field[0] = '\0';
		err_format(&copy, msg, sizeof msg);
	} else
		snprintf(msg, sizeof msg, "%s", e->msg);
	error_json(r, code, e->field, msg);
	r->status = err_http_status(e->kind);
	if (r->status < 400)
		r->status = 500;
	return -1;
}

static void
add_security_headers(struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "Content-Security-Policy",
	    "default-src 'self'");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
}

/* The headers every reply of r's path carries. */
static void
add_common_headers(struct MHD_Response *resp, const struct req *r)
{
	MHD_add_response_header(resp, "Content-Type", r->ctype ? r->ctype :
	    "application/json");
	add_security_headers(resp);
	if (strncmp(r->path, "/api/", 5) == 0)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
}

struct http_kept {
	struct MHD_Response	*resp;
	size_t			 len;
};

struct http_kept *
http_keep(const struct req *r)
{
	struct http_kept *k;
	struct MHD_Response *resp = MHD_create_response_from_buffer(r->out.len,
	    r->out.s, MHD_RESPMEM_MUST_COPY);

	if (resp == NULL)
		return NULL;
	add_common_headers(resp, r);
	k = xmalloc(sizeof *k);
	k->resp = resp;
	k->len = r->out.len;
	return k;
}

int
http_reply_kept(struct req *r, struct http_kept *k)
{
	/* a reply with headers of its own is made whole */
	if (k == NULL || r->cookie[0] || r->retry_after || r->read_from[0] ||
	    r->as_of[0])
		return -1;
	r->kept = k;
	r->kept_len = k->len;
	r->status = 200;
	return 0;
}

void
http_kept_free(struct http_kept *k)
{
	if (k == NULL)
		return;
	MHD_destroy_response(k->resp);	/* replies in flight hold their own */
	free(k);
}

/* A reply body this long or longer is handed to libmicrohttpd, not copied. */
#define REPLY_HANDED	(64 * 1024)

static enum MHD_Result
reply(struct req *r)
{
	struct MHD_Response *resp;
	enum MHD_Result rc;
	char num[32];

	if (r->queued)
		return MHD_YES;		/* an early 413 went out already */
	if (r->status < 100)
		http_error(r, 500, "system", NULL, "%s",
		    TR("lỗi nội bộ: không có phản hồi", "internal error: no reply"));
	r->queued = 1;
	if (r->kept) {
		/* (libmicrohttpd takes a reference: the keeper's stays its own) */
		rc = MHD_queue_response(r->conn, (unsigned)r->status,
		    r->kept->resp);
		r->kept = NULL;
		return rc;
	}
	if (r->fd >= 0) {
		resp = MHD_create_response_from_fd((uint64_t)r->fsize, r->fd);
		r->fd = -1;	/* the response owns it now */
	} else if (r->out.len >= REPLY_HANDED) {
		/* (a report's megabytes: handed over, not copied on this
		 * request thread; r->out keeps its length for the log) */
		resp = MHD_create_response_from_buffer(r->out.len, r->out.s,
		    MHD_RESPMEM_MUST_FREE);
		if (resp != NULL) {
			r->out.s = NULL;
			r->out.cap = 0;
		}
	} else
		resp = MHD_create_response_from_buffer(r->out.len, r->out.s,
		    MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	add_common_headers(resp, r);
	if (r->cookie[0])
		MHD_add_response_header(resp, "Set-Cookie", r->cookie);
	if (r->allow[0])
		MHD_add_response_header(resp, "Allow", r->allow);
	if (r->filename[0]) {
		char cd[128];

		snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", r->filename);
		MHD_add_response_header(resp, "Content-Disposition", cd);
	}
	if (r->retry_after > 0) {
		snprintf(num, sizeof num, "%ld", r->retry_after);
		MHD_add_response_header(resp, "Retry-After", num);
	}
	if (r->read_from[0])
		MHD_add_response_header(resp, "X-Thidua-Read-From", r->read_from);
	if (r->as_of[0])
		MHD_add_response_header(resp, "X-Thidua-As-Of", r->as_of);
	rc = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return rc;
}

/* ---- the dispatcher ---- */

static const unsigned need_roles[NEED__MAX] = {
#define R(x) (1u << ROLE_##x)
	[NEED_NONE] = ~0u,
	[NEED_LOGIN] = ~0u,
	[NEED_READ] = ~0u,
	[NEED_WRITE] = R(ADMIN) | R(COMMANDER) | R(CLERK),
	[NEED_AUDIT] = R(ADMIN) | R(COUNCIL),
	[NEED_ADMIN] = R(ADMIN),
	[NEED_BALLOT] = R(ADMIN) | R(COUNCIL),
	[NEED_PROPOSE] = R(ADMIN) | R(COMMANDER),
	[NEED_COMMAND] = R(ADMIN) | R(COMMANDER),
#undef R
};

/*
 * What the request needs of the caller: its route's need, raised to the
 * administrator's for a write of a kind only the administrator writes
 * (KIND_ADMIN: award history decided before Thi đua).
 */
static enum need
route_need(const struct route *rt, const char *kind)
{
	const struct kind *k;

	if (rt->need == NEED_WRITE && kind != NULL &&
	    strstr(rt->path, "{kind}") != NULL &&
	    (k = kind_find(kind)) != NULL && (k->flags & KIND_ADMIN))
		return NEED_ADMIN;
	return rt->need;
}

static enum need
req_need(const struct req *r)
{
	return route_need(r->route, r->nparam > 0 ? r->param[0] : NULL);
}

int
http_may(const struct route *rt, const char *kind, enum role role)
{
	return (need_roles[route_need(rt, kind)] & (1u << role)) != 0;
}

/* Does pattern match path? Fills r->param on success. */
static int
path_match(const char *pat, const char *path, struct req *r)
{
	int np = 0;

	while (*pat && *path) {
		const char *pe = strchrnul(pat + 1, '/'), *se;
		size_t plen, slen;

		if (*pat != '/' || *path != '/')
			return 0;
		pat++, path++;
		se = strchrnul(path, '/');
		plen = (size_t)(pe - pat);
		slen = (size_t)(se - path);
		if (plen > 2 && pat[0] == '{' && pat[plen - 1] == '}') {
			char seg[64];

			if (slen == 0 || slen >= sizeof seg || np >= HTTP_MAX_PARAMS)
				return 0;
			memcpy(seg, path, slen);
			seg[slen] = '\0';
			if (plen == 6 && strncmp(pat, "{kind}", 6) == 0 &&
			    kind_find(seg) == NULL)
				return 0;
			memcpy(r->param[np++], seg, slen + 1);
		} else if (plen != slen || strncmp(pat, path, plen) != 0)
			return 0;
		pat = pe;
		path = se;
	}
	if (*pat || *path)
		return 0;
	r->nparam = np;
	return 1;
}

/*
 * Each route's literal head (its path up to the first '{'), measured once:
 * a route whose head the path does not start with is not matched further.
 */
#define ROUTES_MEASURED	256	/* (routes past these: matched in full) */
static size_t route_head[ROUTES_MEASURED];
static pthread_once_t route_head_once = PTHREAD_ONCE_INIT;

static void
route_heads(void)
{
	for (size_t i = 0; i < http_nroutes && i < ROUTES_MEASURED; i++)
		route_head[i] = strcspn(http_routes[i].path, "{");
}

static const struct route *
find_route(struct req *r)
{
	const char *m = strcmp(r->method, "HEAD") == 0 ? "GET" : r->method;
	size_t i, len = strlen(r->path);

	pthread_once(&route_head_once, route_heads);
	r->allow[0] = '\0';
	for (i = 0; i < http_nroutes; i++) {
		size_t head = i < ROUTES_MEASURED ? route_head[i] : 0,
		    at = head > 8 ? 8 : 0;

		/* (a route's head is its literal start: a shorter path, or one
		 * whose byte at `at`, the one after "/api/v1/" that tells
		 * routes apart soonest, differs, is not it; both cheaper than
		 * the comparison of the whole head, done for the rest) */
		if (len < head || r->path[at] != http_routes[i].path[at] ||
		    memcmp(http_routes[i].path, r->path, head) != 0 ||
		    !path_match(http_routes[i].path, r->path, r))
			continue;
		if (strcmp(http_routes[i].method, m) == 0)
			return &http_routes[i];
		if (strstr(r->allow, http_routes[i].method) == NULL) {
			size_t n = strlen(r->allow);

			snprintf(r->allow + n, sizeof r->allow - n, "%s%s",
			    n ? ", " : "", http_routes[i].method);
		}
	}
	return NULL;
}

const struct route *
http_find_route(struct req *r)
{
	return find_route(r);
}

struct qctx {
	struct req	*r;
	unsigned	 seen;
	int		 failed;
};

static enum MHD_Result
query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct qctx *q = cls;
	unsigned fseen = 0;	/* format's own: not one of the route's fields */
	int own = q->r->route->rows == NULL || strcmp(key, "format") != 0;

	(void)kind;
	if (q->failed)
		return MHD_NO;
	if (valid_text(own ? q->r->route->query : http_format_fields, key, value,
	    &q->r->a, own ? &q->seen : &fseen, &q->r->e) != 0) {
		q->failed = 1;
		return MHD_NO;
	}
	return MHD_YES;
}

/*
 * Bearer tokens are looked up once per TOKEN_TTL seconds: a small cache
 * of token digest → user, emptied whenever this server commits a write
 * that may touch accounts, sessions or tokens (auth_version: any write
 * but the HTTP_DATA ones, such as one record), so that a stream of
 * POSTed records does not send every request to the database for its
 * token. A token revoked (or an account disabled) by another process
 * stops working within TOKEN_TTL; one revoked through this server at once.
 */
#define TOKEN_TTL	1
#define TOKEN_SLOTS	256
static pthread_rwlock_t tok_mu = PTHREAD_RWLOCK_INITIALIZER;
static struct tok_ent {
	char		 digest[65];
	time_t		 until;
	unsigned long	 version;
	struct user	 user;
} tok_cache[TOKEN_SLOTS];

static struct tok_ent *
tok_slot(const char *digest)
{
	unsigned h = 0;

	for (const char *p = digest; *p && p < digest + 8; p++)
		h = h * 31 + (unsigned char)*p;
	return &tok_cache[h % TOKEN_SLOTS];
}

/* The server-wide cache, then the database. */
static int
bearer_cached(struct req *r, const char *token, time_t now, unsigned long v)
{
	char digest[65];
	struct tok_ent *t;
	int rc;

	auth_digest(token, digest);
	t = tok_slot(digest);
	pthread_rwlock_rdlock(&tok_mu);
	rc = strcmp(t->digest, digest) == 0 && t->until > now && t->version == v;
	if (rc)
		r->user = t->user;
	pthread_rwlock_unlock(&tok_mu);
	if (rc)
		return 1;
	if ((rc = auth_bearer(r->st, token, &r->user, &r->e)) != 1)
		return rc;
	pthread_rwlock_wrlock(&tok_mu);
	memcpy(t->digest, digest, sizeof t->digest);
	t->until = now + TOKEN_TTL;
	t->version = v;
	t->user = r->user;
	pthread_rwlock_unlock(&tok_mu);
	return 1;
}

static int
bearer(struct req *r, const char *token)
{
	struct conn_track *ct = r->ct;
	time_t now = time(NULL);
	unsigned long v = atomic_load(&auth_version);
	int rc;

	/* The connection's last token (a client keeps its connection and
	 * names the same token each time): no digest, no lock. */
	if (ct && ct->tok[0] && ct->tok_until > now && ct->tok_version == v &&
	    strcmp(ct->tok, token) == 0) {
		r->user = ct->tok_user;
		return 1;
	}
	rc = bearer_cached(r, token, now, v);
	if (rc == 1 && ct && strlen(token) < sizeof ct->tok) {
		memcpy(ct->tok, token, strlen(token) + 1);
		ct->tok_until = now + TOKEN_TTL;
		ct->tok_version = v;
		ct->tok_user = r->user;
	}
	return rc;
}

/* Who is calling? 0 (maybe anonymous), or -1 after an error reply. */
static int
authenticate(struct req *r)
{
	const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    "Authorization");
	const char *c = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND,
	    http_cookie_name(r));
	int rc = 0;

	if (r->authn)
		return 0;
	r->authn = 1;
	if (h) {
		if (strncasecmp(h, "Bearer ", 7) != 0)
			return http_error(r, 401, "unauthorized", NULL, "%s",
			    TR("chỉ chấp nhận Authorization: Bearer",
			    "only Authorization: Bearer is accepted")), -1;
		rc = bearer(r, h + 7);
		if (rc == 0)
			return http_error(r, 401, "unauthorized", NULL, "%s",
			    TR("mã truy cập không hợp lệ hoặc đã bị thu hồi",
			    "invalid or revoked token")), -1;
	} else if (c)
		rc = auth_session(r->st, c, &r->user, &r->e);
	if (rc < 0)
		return http_fail(r, &r->e);
	r->authed = rc == 1;
	if (r->authed && r->user.touch)
		http_touch(r->user.session);
	return 0;
}

static int
csrf_ok(struct req *r)
{
	const char *t = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    "X-CSRF-Token");
	size_t n = strlen(r->user.csrf);

	return t && strlen(t) == n && sodium_memcmp(t, r->user.csrf, n) == 0;
}

static int
content_is(const char *ct, const char *type)
{
	size_t n = strlen(type);

	return ct && strncasecmp(ct, type, n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static int
parse_body(struct req *r)
{
	const struct route *rt = r->route;
	const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    "Content-Type");
	json_error_t je;
	json_t *j;

	if (rt->body == BODY_ROWS && content_is(ct, "text/csv")) {
		r->csv = 1;
		return 0;
	}
	if (rt->body == BODY_ROWS && content_is(ct, "application/vnd."
	    "openxmlformats-officedocument.spreadsheetml.sheet")) {
		r->csv = 2;	/* an .xlsx workbook: h-kinds.c reads it */
		return 0;
	}
	if (rt->body == BODY_YAML && (content_is(ct, "application/yaml") ||
	    content_is(ct, "text/yaml"))) {
		if (r->body.len == 0 || utf8_invalid_at(r->body.s,
		    r->body.len) >= 0 || memchr(r->body.s, 0, r->body.len))
			return http_error(r, 400, "bad_input", NULL, "%s",
			    TR("cần một văn bản YAML UTF-8 không rỗng",
			    "expected a non-empty UTF-8 YAML text")), -1;
		r->a.yaml = r->body.s;
		return 0;
	}
	if (!content_is(ct, "application/json"))
		return http_error(r, 415, "unsupported_media_type", NULL, "%s",
		    rt->body == BODY_ROWS ? TR("cần Content-Type: "
		    "application/json, text/csv hoặc XLSX", "Content-Type must be "
		    "application/json, text/csv or XLSX") : rt->body == BODY_YAML ?
		    TR("cần Content-Type: application/yaml, text/yaml hoặc "
		    "application/json", "Content-Type must be application/yaml, "
		    "text/yaml or application/json") : TR("cần Content-Type: "
		    "application/json", "Content-Type must be application/json")),
		    -1;
	j = json_loadb(r->body.s ? r->body.s : "", r->body.len,
	    JSON_REJECT_DUPLICATES, &je);
	if (j == NULL)
		return http_error(r, 400, "bad_json", NULL, "%s %d:%d: %s",
		    TR("JSON không hợp lệ tại", "malformed JSON at"), je.line,
		    je.column, je.text), -1;
	r->json = j;
	if (rt->body == BODY_OBJECT || rt->body == BODY_YAML) {
		if (valid_json_seen(rt->fields, j, &r->a, &r->a.seen,
		    &r->e) != 0)
			return http_fail(r, &r->e);
	} else if (!json_is_object(j) && !json_is_array(j))
		return http_error(r, 400, "bad_input", NULL, "%s",
		    TR("cần một đối tượng hoặc một mảng đối tượng",
		    "expected an object or an array of objects")), -1;
	return 0;
}

static int
in_scope(struct req *r, const char *code, const char *what)
{
	int rc = auth_code_in(r->st, r->scope_root, 'u', code, NULL, &r->e);

	if (rc < 0)
		return http_fail(r, &r->e);
	if (rc == 0)
		return http_error(r, 403, "forbidden", what, "%s '%s'",
		    TR("ngoài phạm vi đơn vị của bạn", "outside your unit's subtree"),
		    code), -1;
	return 0;
}

static int
check_scope(struct req *r)
{
	if (!r->authed || !auth_role_scoped(r->user.role))
		return 0;
	r->scope_root = r->user.unit_id;
	if (r->scope_root == 0)
		return http_error(r, 403, "forbidden", NULL, "%s",
		    TR("tài khoản chưa gắn với đơn vị nào",
		    "the account has no unit")), -1;
	switch (r->route->scope) {
	case SCOPE_PATH:
		return in_scope(r, r->param[0], "path");
	case SCOPE_QUERY:
		if (r->a.unit && in_scope(r, r->a.unit, "unit") != 0)
			return -1;
		if (r->a.subject && in_scope(r, r->a.subject, "subject") != 0)
			return -1;
		return 0;
	default:
		return 0;
	}
}

/*
 * The heavy requests: a report that may load a snapshot for seconds, a
 * signed document, and (heavy() below) a download of a whole table. They
 * run on a runner thread (http-runner.h) while their connection is
 * suspended, so the request threads stay free for the light requests of
 * everybody else (a pool thread inside a report once served none of its
 * other connections meanwhile). None of them writes: a handler here must
 * not return HTTP_ASYNC. The reports marked replica are those a streaming
 * replica may answer (--db-read).
 */
static const struct heavy {
	int		(*handler)(struct req *);
	int		 replica;
} heavies[] = {
	{ h_eligibility, 1 }, { h_scores, 1 }, { h_schedule, 1 },
	{ h_suggestions, 1 }, { h_growth, 1 },
	{ h_exemplar_discover, 0 }, { h_innovations_report, 0 },
	{ h_ledger_verify, 0 }, { h_proposal_document, 0 },
};
static const struct heavy download;	/* any GET …?format= of a list */

/* r's entry above (or download), or NULL: a light request. */
static const struct heavy *
heavy(const struct req *r)
{
	const struct route *rt = r->route;

	for (size_t i = 0; i < sizeof heavies / sizeof heavies[0]; i++)
		if (rt->handler == heavies[i].handler)
			return &heavies[i];
	if (rt->rows != NULL && r->a.format != NULL &&
	    strcmp(r->method, "GET") == 0)
		return &download;
	return NULL;
}

/*
 * With --db-read, a report reads from the replica and says so, with the
 * time of the last commit the replica has replayed (X-Thidua-As-Of); a
 * replica that does not answer leaves the report to the primary.
 */
static void
use_replica(struct req *r)
{
	struct store *st;
	struct err e;

	snprintf(r->read_from, sizeof r->read_from, "primary");
	if ((st = thread_replica(&e)) == NULL)
		return;
	if (store_replica_as_of(st, r->as_of, sizeof r->as_of, &e) < 0) {
		replica_failed();
		r->as_of[0] = '\0';
		return;
	}
	r->st = st;
	snprintf(r->read_from, sizeof r->read_from, "replica");
}

/* The route's handler, and what its code asks for (HTTP_ASYNC: a write
 * queued, state RS_WAIT until the writer resumes us). */
static void
run_handler(struct req *r)
{
	const struct route *rt = r->route;
	int rc = rt->handler(r);

	if (rc == HTTP_ASYNC)
		return;
	if (rc == 200 && rt->rows != NULL && r->a.format != NULL && r->fd < 0)
		rc = http_rows_download(r, rt);
	if (rc < 0 && r->status < 400)
		http_fail(r, &r->e);
	else if (rc > 0)
		r->status = rc;
}

/* A heavy request on a runner thread: its own read connection (and
 * replica), the handler, then the request resumed for its reply. */
static void
run_heavy(void *arg)
{
	struct req *r = arg;
	struct MHD_Connection *c = r->conn;

	g_lang = r->lang;
	if ((r->st = thread_store(&r->e)) == NULL)
		http_fail(r, &r->e);
	else {
		if (conf.db_read != NULL && heavy(r)->replica)
			use_replica(r);
		run_handler(r);
	}
	/* (last: once resumed, r is the pool thread's again) */
	r->state = RS_DONE;
	MHD_resume_connection(c);
}

/* Run every check, then the handler. */
static void
dispatch(struct req *r)
{
	const struct route *rt;
	struct qctx q = { r, 0, 0 };

	r->state = RS_DONE;
	if (strncmp(r->path, "/api/", 5) != 0 && strcmp(r->path, "/healthz") &&
	    strcmp(r->path, "/readyz") && strcmp(r->path, "/metrics")) {
		http_static(r, webdir);
		return;
	}
	if ((rt = find_route(r)) == NULL) {
		if (r->allow[0])
			http_error(r, 405, "method_not_allowed", NULL, "%s %s",
			    TR("phương thức không được phép; dùng",
			    "method not allowed; use"), r->allow);
		else
			http_error(r, 404, "not_found", NULL, "%s: %s",
			    TR("không có tài nguyên", "no such resource"), r->path);
		return;
	}
	r->route = rt;
	r->a.limit = 100;
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, query_arg, &q);
	if (q.failed || valid_required(rt->query, q.seen, &r->e) != 0) {
		http_fail(r, &r->e);
		return;
	}
	if ((r->st = thread_store(&r->e)) == NULL) {
		http_fail(r, &r->e);
		return;
	}
	if (authenticate(r) != 0)
		return;
	if (rt->need != NEED_NONE && !r->authed) {
		http_error(r, 401, "unauthorized", NULL, "%s",
		    TR("cần đăng nhập", "login required"));
		return;
	}
	if (rt->need != NEED_NONE && r->user.cookie &&
	    strcmp(r->method, "GET") && strcmp(r->method, "HEAD") &&
	    !csrf_ok(r)) {
		http_error(r, 403, "csrf", "X-CSRF-Token", "%s",
		    TR("thiếu hoặc sai mã CSRF (X-CSRF-Token)",
		    "missing or wrong CSRF token (X-CSRF-Token)"));
		return;
	}
	if (r->authed && !(need_roles[req_need(r)] & (1u << r->user.role))) {
		http_error(r, 403, "forbidden", NULL, "%s %s",
		    TR("vai trò không đủ quyền:", "the role may not do this:"),
		    auth_role_name(r->user.role));
		return;
	}
	if (rt->body != BODY_NONE && parse_body(r) != 0)
		return;
	if (check_scope(r) != 0)
		return;
	if (heavy(r)) {
		/* Suspend before the runner can finish and resume us. */
		r->state = RS_WAIT;
		MHD_suspend_connection(r->conn);
		r->heavy.fn = run_heavy;
		r->heavy.arg = r;
		if (runner_submit(&r->heavy) != 0)
			run_heavy(r);	/* (stopping: here, as before) */
		return;
	}
	run_handler(r);
}

/* After a write that asked for more (r->cont), on the pool thread. */
static void
continue_req(struct req *r)
{
	int (*fn)(struct req *) = r->cont;
	int rc;

	r->cont = NULL;
	r->state = RS_DONE;
	if ((r->st = thread_store(&r->e)) == NULL) {
		http_fail(r, &r->e);
		return;
	}
	rc = fn(r);
	if (rc == HTTP_ASYNC)
		return;
	if (rc < 0 && r->status < 400)
		http_fail(r, &r->e);
	else if (rc > 0)
		r->status = rc;
}

/* ---- cookies and the client's address ---- */

const char *
http_cookie_name(const struct req *r)
{
	return r->https ? "__Host-thidua_session" : "thidua_session";
}

const char *
http_cookie_attrs(const struct req *r)
{
	return r->https ? "; Path=/; Secure; HttpOnly; SameSite=Strict" :
	    "; Path=/; HttpOnly; SameSite=Strict";
}

/* The last element of a comma-separated header, trimmed, into out. */
static int
last_element(const char *h, char *out, size_t sz)
{
	const char *p = strrchr(h, ',');
	size_t n;

	p = p ? p + 1 : h;
	while (*p == ' ' || *p == '\t')
		p++;
	n = strcspn(p, " \t");
	if (n == 0 || n >= sz)
		return -1;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

/*
 * Behind the trusted proxy (--trusted-proxy ADDR, and only when the peer
 * is that address) the client is the last X-Forwarded-For element (the
 * one the proxy added) and X-Forwarded-Proto: https means HTTPS. From any
 * other peer those headers are ignored: a client cannot choose its
 * address for the login throttle.
 */
static void
forwarded(struct req *r)
{
	const char *h;
	char a[64];
	unsigned char bin[16];

	if (conf.secure_cookies)
		r->https = 1;
	if (conf.trusted_proxy == NULL || strcmp(r->addr, conf.trusted_proxy))
		return;
	h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    "X-Forwarded-For");
	if (h && last_element(h, a, sizeof a) == 0 &&
	    (inet_pton(AF_INET, a, bin) == 1 || inet_pton(AF_INET6, a, bin) == 1))
		snprintf(r->addr, sizeof r->addr, "%s", a);
	h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    "X-Forwarded-Proto");
	if (h && last_element(h, a, sizeof a) == 0 && strcasecmp(a, "https") == 0)
		r->https = 1;
}

/*
 * ---- slow clients: a limit on a request's whole time ----
 * libmicrohttpd's timeout counts idle time only: a client sending a byte
 * every few seconds would hold its connection forever. Every connection
 * is tracked from the moment it opens (or its previous request ended)
 * until its request is whole; the reaper thread shuts down the socket of
 * one that takes longer than --request-time (MHD then closes it as a
 * connection the client closed). A request being served (dispatched,
 * perhaps waiting for the writer) or a reply being sent is not counted.
 * The list and the socket's life are under conn_mu: MHD reports a
 * connection closed before it closes the socket, so a socket in the list
 * is never another connection's. A request's marks (conn_mark) are one
 * atomic word each, read by the reaper under conn_mu.
 */
static pthread_mutex_t conn_mu = PTHREAD_MUTEX_INITIALIZER;
static struct conn_track conns = { .prev = &conns, .next = &conns, .fd = -1 };
static atomic_long nconns;	/* open connections (the acceptor's cap) */
static __thread int tl_pool = -1;	/* this pool thread's number (metrics) */
/*
 * Which pool thread the acceptor hands the next connection to
 * (pick_thread): libmicrohttpd's worker numbered by the socket modulo the
 * pool's size. Each worker's open connections, and since when (now_us) it
 * has been inside a handler, 0 when it is not: a thread held by a long
 * request (a cold report's load, an export) serves none of its other
 * connections meanwhile, so new ones go elsewhere. tl_worker: the worker
 * this thread is, learnt from its first connection's socket.
 */
#define POOL_MAX	64
#define POOL_BUSY_US	2000	/* in one handler call longer: held */
static atomic_int pool_conns[POOL_MAX];
static atomic_int pool_coming[POOL_MAX];	/* handed over, not started */
static _Atomic uint64_t pool_since[POOL_MAX];
static __thread int tl_worker = -1;
static int reaper_stop;
static pthread_cond_t reaper_cv = PTHREAD_COND_INITIALIZER;


/* A connection handed to worker w by the acceptor started, or was
 * refused: it no longer counts as coming. */
static void
pool_arrived(int w)
{
	if (w < 0 || w >= POOL_MAX)
		return;
	for (int n = atomic_load(&pool_coming[w]); n > 0;)
		if (atomic_compare_exchange_weak(&pool_coming[w], &n, n - 1))
			break;
}

static void
notify_conn(void *cls, struct MHD_Connection *c, void **socket_ctx,
    enum MHD_ConnectionNotificationCode code)
{
	struct conn_track *t = *socket_ctx;
	const union MHD_ConnectionInfo *ci;

	(void)cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		atomic_fetch_add(&nconns, 1);
		ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		if ((t = calloc(1, sizeof *t)) == NULL)
			return;		/* untracked: only the idle timeout */
		t->fd = ci ? ci->connect_fd : -1;
		/* (a connection starts on the pool thread that serves it) */
		if (tl_pool < 0)
			tl_pool = metrics_thread();
		t->thread = tl_pool;
		if (tl_worker < 0 && t->fd >= 0)
			tl_worker = t->fd % (int)conf.threads;
		t->worker = tl_worker;
		if (t->worker >= 0 && t->worker < POOL_MAX) {
			atomic_fetch_add(&pool_conns[t->worker], 1);
			pool_arrived(t->worker);
		}
		metrics_connection(t->thread, 1);
		atomic_init(&t->mark, now_us() << 1);
		pthread_mutex_lock(&conn_mu);
		t->next = conns.next;
		t->prev = &conns;
		conns.next->prev = t;
		conns.next = t;
		pthread_mutex_unlock(&conn_mu);
		*socket_ctx = t;
		return;
	}
	atomic_fetch_sub(&nconns, 1);
	if (t == NULL)
		return;
	metrics_connection(t->thread, -1);
	if (t->worker >= 0 && t->worker < POOL_MAX)
		atomic_fetch_sub(&pool_conns[t->worker], 1);
	pthread_mutex_lock(&conn_mu);
	t->prev->next = t->next;
	t->next->prev = t->prev;
	pthread_mutex_unlock(&conn_mu);
	free(t);
	*socket_ctx = NULL;
}

static long
open_conns(void)
{
	return atomic_load(&nconns);
}

/*
 * The worker for the next connection: among those not held by a long
 * request, the one with the fewest connections, counting those handed
 * over and not started yet (a burst is handed over faster than the
 * workers start them), ties taken in turn; if all are held, the fewest
 * connections anyway. The choice counts as coming until pool_arrived.
 */
static int
pick_thread(void)
{
	static atomic_uint turn;
	unsigned n = conf.threads < POOL_MAX ? conf.threads : POOL_MAX;
	unsigned start = atomic_fetch_add(&turn, 1);
	uint64_t now = now_us();
	int best = -1, best_held = 1, best_conns = 0;

	for (unsigned i = 0; i < n; i++) {
		int w = (int)((start + i) % n);
		uint64_t since = atomic_load(&pool_since[w]);
		int held = since != 0 && now > since + POOL_BUSY_US;
		int c = atomic_load(&pool_conns[w]) +
		    atomic_load(&pool_coming[w]);

		if (best < 0 || held < best_held ||
		    (held == best_held && c < best_conns)) {
			best = w;
			best_held = held;
			best_conns = c;
		}
	}
	if (best >= 0)
		atomic_fetch_add(&pool_coming[best], 1);
	return best;
}

/* The request on t's connection is whole (busy=1) or done and the next
 * one may start. One atomic store, no lock: the two pool threads took
 * conn_mu twice a request each. */
static void
conn_mark_at(struct conn_track *t, int busy, uint64_t now)
{
	if (t == NULL)
		return;
	atomic_store_explicit(&t->mark, now << 1 | (busy != 0),
	    memory_order_relaxed);
}

static void
conn_mark(struct conn_track *t, int busy)
{
	if (t != NULL)
		conn_mark_at(t, busy, now_us());
}

static void
stop_reaper(pthread_t t)
{
	pthread_mutex_lock(&conn_mu);
	reaper_stop = 1;
	pthread_cond_signal(&reaper_cv);
	pthread_mutex_unlock(&conn_mu);
	pthread_join(t, NULL);
}

static void *
reaper_main(void *arg)
{
	struct timespec ts;
	uint64_t limit = (uint64_t)conf.request_time * 1000000;

	(void)arg;
	pthread_mutex_lock(&conn_mu);
	while (!reaper_stop) {
		uint64_t now = now_us();

		for (struct conn_track *t = conns.next; t != &conns; t = t->next) {
			uint64_t m = atomic_load_explicit(&t->mark,
			    memory_order_relaxed);

			if (!(m & 1) && t->fd >= 0 && now > (m >> 1) &&
			    now - (m >> 1) > limit) {
				shutdown(t->fd, SHUT_RDWR);
				t->fd = -1;	/* once */
			}
		}
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 250 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&reaper_cv, &conn_mu, &ts);
	}
	pthread_mutex_unlock(&conn_mu);
	return NULL;
}

/*
 * ---- large clients: the server-wide budget for buffered bodies ----
 * A request reserves its Content-Length (or, chunked, what arrives) from
 * --body-budget before a byte is buffered; past it the answer is 503 with
 * Retry-After, and the bytes return to the budget when the request ends.
 */
static atomic_size_t budget_used;

static int
budget_take(struct req *r, size_t n)
{
	size_t cur = atomic_load(&budget_used);

	do {
		if (cur + n > conf.body_budget || cur + n < cur)
			return -1;
	} while (!atomic_compare_exchange_strong(&budget_used, &cur, cur + n));
	r->budget += n;
	return 0;
}

static void
budget_give(struct req *r)
{
	if (r->budget)
		atomic_fetch_sub(&budget_used, r->budget);
	r->budget = 0;
}

static void
busy_reply(struct req *r, const char *why_vi, const char *why_en)
{
	http_error(r, 503, "unavailable", NULL, "%s", TR(why_vi, why_en));
	r->retry_after = 5;
	r->state = RS_DONE;
}

/* ---- libmicrohttpd callbacks ---- */

static uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static enum lang
pick_lang(struct MHD_Connection *c)
{
	const char *al = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    "Accept-Language");

	while (al && (*al == ' ' || *al == '\t'))
		al++;
	return al && strncasecmp(al, "en", 2) == 0 ? LANG_EN : LANG_VI;
}

/*
 * A request, zeroed but for its two big buffers (3 of its 5 KB, written
 * for every request otherwise): e, of which only what is read before an
 * err_set writes it is cleared, and job, which http_write clears.
 */
_Static_assert(offsetof(struct req, job) > offsetof(struct req, e),
    "struct req: job comes after e, last");

static struct req *
req_new(struct MHD_Connection *c, const char *url, const char *method)
{
	struct req *r = xmalloc(sizeof *r);
	const union MHD_ConnectionInfo *ci;
	size_t n;

	memset(r, 0, offsetof(struct req, e));
	memset((char *)r + offsetof(struct req, e) + sizeof r->e, 0,
	    offsetof(struct req, job) - offsetof(struct req, e) - sizeof r->e);
	err_heads_clear(&r->e);
	r->conn = c;
	r->method = method;
	r->fd = -1;
	r->t0 = now_us();
	n = strnlen(url, sizeof r->path - 1);	/* (as snprintf cut it) */
	memcpy(r->path, url, n);
	r->path[n] = '\0';
	sb_init(&r->body);
	sb_init(&r->out);
	r->lang = pick_lang(c);
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	r->ct = ci ? ci->socket_context : NULL;
	if (r->ct && r->ct->addr[0]) {
		memcpy(r->addr, r->ct->addr, sizeof r->addr);
		forwarded(r);
		return r;
	}
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;

		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
			    r->addr, sizeof r->addr);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr,
			    r->addr, sizeof r->addr);
	}
	if (r->addr[0] == '\0')
		snprintf(r->addr, sizeof r->addr, "?");
	if (r->ct)
		memcpy(r->ct->addr, r->addr, sizeof r->addr);
	forwarded(r);
	return r;
}

static void
req_free(struct req *r)
{
	if (r->fd >= 0)
		close(r->fd);
	if (r->json)
		json_decref(r->json);
	budget_give(r);
	sb_free(&r->body);
	sb_free(&r->out);
	free(r);
}

/*
 * The headers are in, no byte of the body read yet: refuse what must not
 * be buffered. 413 when Content-Length is over --max-body (4 KiB for the
 * login); 401 for a body from a caller who is not logged in (only the
 * login takes one from anybody); 503 + Retry-After when the body budget
 * cannot hold it. 0: go on reading.
 */
#define LOGIN_MAX_BODY	4096

static int
first_call(struct req *r)
{
	const char *cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    "Content-Length");
	const char *te = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    "Transfer-Encoding");
	int login = strcmp(r->method, "POST") == 0 &&
	    strcmp(r->path, "/api/v1/session") == 0;
	int api = strncmp(r->path, "/api/", 5) == 0;
	size_t max = login ? LOGIN_MAX_BODY : api ? conf.max_body : 0;
	unsigned long long n = cl ? strtoull(cl, NULL, 10) : 0;

	if (n > max || (te && max == 0)) {
		http_error(r, 413, "too_large", NULL, "%s (%zu bytes)",
		    TR("thân yêu cầu quá lớn", "request body too large"), max);
		return -1;
	}
	if (n == 0 && te == NULL)
		return 0;		/* no body */
	if (!login) {
		if ((r->st = thread_store(&r->e)) == NULL) {
			http_fail(r, &r->e);
			return -1;
		}
		if (authenticate(r) != 0)
			return -1;
		if (!r->authed) {
			http_error(r, 401, "unauthorized", NULL, "%s",
			    TR("cần đăng nhập", "login required"));
			return -1;
		}
	}
	if (n > 0 && budget_take(r, (size_t)n) != 0) {
		busy_reply(r, "máy chủ đang nhận quá nhiều dữ liệu; thử lại sau",
		    "the server is receiving too much data; retry later");
		return -1;
	}
	return 0;
}

static enum MHD_Result
handle(struct MHD_Connection *c, const char *url, const char *method,
    const char *upload, size_t *upsize, void **ctx)
{
	struct req *r = *ctx;

	if (r == NULL) {
		/* First call: no reply yet (keep-alive trap, see the top). */
		r = req_new(c, url, method);
		*ctx = r;
		atomic_fetch_add(&inflight, 1);
		g_lang = r->lang;
		if (atomic_load(&draining)) {
			http_error(r, 503, "unavailable", NULL, "%s",
			    TR("máy chủ đang dừng", "the server is stopping"));
			r->retry_after = 5;
			r->state = RS_DONE;
			return reply(r);
		}
		if (first_call(r) != 0) {
			/*
			 * Refuse before reading the body: an early reply makes
			 * MHD close the connection after it, which is what a
			 * refused upload wants.
			 */
			r->state = RS_DONE;
			return reply(r);
		}
		return MHD_YES;
	}
	g_lang = r->lang;
	if (*upsize) {
		if (r->state == RS_NEW) {
			size_t need = r->body.len + *upsize;

			if (need > conf.max_body) {
				http_error(r, 413, "too_large", NULL, "%s (%zu bytes)",
				    TR("thân yêu cầu quá lớn",
				    "request body too large"), conf.max_body);
				r->state = RS_DONE;
			} else if (need > r->budget &&
			    budget_take(r, need - r->budget) != 0)
				busy_reply(r, "máy chủ đang nhận quá nhiều dữ liệu; "
				    "thử lại sau", "the server is receiving too "
				    "much data; retry later");
			else if (sb_try_putn(&r->body, upload, *upsize) != 0)
				busy_reply(r, "máy chủ hết bộ nhớ; thử lại sau",
				    "the server is out of memory; retry later");
		}
		/* Past a refusal the rest is read and dropped; the reply at the end. */
		*upsize = 0;
		return MHD_YES;
	}
	if (r->state == RS_NEW)
		conn_mark(r->ct, 1);
	if (r->state == RS_NEW)
		dispatch(r);
	else if (r->state == RS_CONT)
		continue_req(r);
	/*
	 * RS_CONT here: the write finished (and resumed us) before this call
	 * returned; the resume calls us again, and the continuation runs then.
	 */
	if (r->state == RS_WAIT || r->state == RS_CONT)
		return MHD_YES;
	return reply(r);
}

/* libmicrohttpd's handler: handle(), the thread marked inside it. */
static enum MHD_Result
access_handler(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upsize, void **ctx)
{
	int w = tl_worker >= 0 && tl_worker < POOL_MAX ? tl_worker : -1;
	enum MHD_Result rc;

	(void)cls;
	(void)version;
	if (w >= 0)
		atomic_store(&pool_since[w], now_us());
	rc = handle(c, url, method, upload, upsize, ctx);
	if (w >= 0)
		atomic_store(&pool_since[w], 0);
	return rc;
}

/*
 * The access log: one JSON line per request, appended to a shared buffer
 * and written to stderr in whole lines when it passes LOG_FLUSH bytes or
 * every LOG_TICK_MS (the writer thread's tick), so a busy server does not
 * pay a system call per request. The write itself is made outside log_mu
 * (the full buffer is swapped with an empty one first): a pool thread
 * logging meanwhile does not wait for the disk. One thread writes at a
 * time (log_writing), so the lines keep their order.
 */
#define LOG_FLUSH	(64 * 1024)
static pthread_mutex_t log_mu = PTHREAD_MUTEX_INITIALIZER;
static struct sb log_buf;	/* appended to, under log_mu */
static struct sb log_out;	/* the lines being written (log_writing) */
static int log_writing;		/* a thread writes log_out; under log_mu */

/* Called and returns with log_mu held; releases it while writing. */
static void
log_flush_locked(void)
{
	struct sb full = log_buf;
	size_t off = 0;
	ssize_t n;

	if (log_writing || log_buf.len == 0)
		return;		/* the writing thread comes back for it */
	log_buf = log_out;
	log_out = full;
	log_writing = 1;
	pthread_mutex_unlock(&log_mu);
	while (off < log_out.len) {
		n = write(STDERR_FILENO, log_out.s + off, log_out.len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	sb_reset(&log_out);
	pthread_mutex_lock(&log_mu);
	log_writing = 0;
}

static void
log_flush(void)
{
	pthread_mutex_lock(&log_mu);
	log_flush_locked();
	pthread_mutex_unlock(&log_mu);
}

/* n in decimal after key (no printf: a line per request). */
static void
log_num(struct sb *b, const char *key, unsigned long long n)
{
	char d[24], *p = d + sizeof d;

	do
		*--p = (char)('0' + n % 10);
	while ((n /= 10) != 0);
	sb_puts(b, key);
	sb_putn(b, p, (size_t)(d + sizeof d - p));
}

static void
access_log(const struct req *r, unsigned long long us)
{
	static __thread time_t last;
	static __thread char at[32];
	time_t t = time(NULL);
	struct tm tm;
	struct sb *s = &log_buf;

	if (t != last) {
		gmtime_r(&t, &tm);
		strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
		last = t;
	}
	/* written straight into the shared buffer: no copy, no malloc */
	pthread_mutex_lock(&log_mu);
	sb_puts(s, "{\"t\":\"");
	sb_puts(s, at);
	sb_puts(s, "\",\"addr\":");
	sb_json_str(s, r->addr);
	sb_puts(s, ",\"method\":");
	sb_json_str(s, r->method);
	sb_puts(s, ",\"path\":");
	sb_json_str(s, r->path);
	log_num(s, ",\"status\":", (unsigned)r->status);
	log_num(s, ",\"bytes\":", r->fd >= 0 ? r->fsize :
	    r->kept_len ? r->kept_len : r->out.len);
	log_num(s, ",\"us\":", us);
	sb_puts(s, ",\"user\":");
	if (r->authed)
		sb_json_str(s, r->user.login);
	else
		sb_puts(s, "null");
	sb_puts(s, "}\n");
	if (log_buf.len >= LOG_FLUSH)
		log_flush_locked();
	pthread_mutex_unlock(&log_mu);
}

static void
completed(void *cls, struct MHD_Connection *c, void **ctx,
    enum MHD_RequestTerminationCode toe)
{
	struct req *r = *ctx;
	uint64_t now;

	(void)cls;
	(void)c;
	(void)toe;
	if (r == NULL)
		return;
	now = now_us();	/* (one clock read for the three) */
	access_log(r, now - r->t0);
	metrics_request(r->route ? (int)(r->route - http_routes) : -1,
	    r->status, now - r->t0);
	conn_mark_at(r->ct, 0, now);
	req_free(r);
	*ctx = NULL;
	atomic_fetch_sub(&inflight, 1);
}

/* ---- start and stop ---- */

static int
parse_listen(const char *s, struct sockaddr_in *sa, struct err *e)
{
	const char *colon = strrchr(s, ':');
	char host[64];
	int64_t port;

	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	if (colon == NULL || (size_t)(colon - s) >= sizeof host ||
	    parse_i64(colon + 1, &port) != 0 || port < 0 || port > 65535)
		return err_at(e, ERR_USAGE, NULL, 0, 0, "--listen", "%s '%s' "
		    "(ADDR:PORT)", TR("địa chỉ không hợp lệ", "invalid address"), s);
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	if (inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &sa->sin_addr) != 1)
		return err_at(e, ERR_USAGE, NULL, 0, 0, "--listen", "%s '%s'",
		    TR("địa chỉ IPv4 không hợp lệ", "invalid IPv4 address"), host);
	sa->sin_port = htons((uint16_t)port);
	return 0;
}

/*
 * A connection's memory in libmicrohttpd: the request line and headers
 * must fit in it (about 15 KB of them; nginx's defaults allow a line of
 * 8 KB), else 431. A body streams through it.
 */
#define CONN_MEMORY	(16 * 1024)

/* --trusted-proxy: an IPv4 or IPv6 address, kept in inet_ntop's form. */
static char proxy_addr[64];

static int
parse_proxy(const char *s, struct err *e)
{
	unsigned char bin[16];
	int af = strchr(s, ':') ? AF_INET6 : AF_INET;

	if (inet_pton(af, s, bin) != 1 ||
	    inet_ntop(af, bin, proxy_addr, sizeof proxy_addr) == NULL)
		return err_at(e, ERR_USAGE, NULL, 0, 0, "--trusted-proxy", "%s '%s'",
		    TR("địa chỉ IP không hợp lệ", "invalid IP address"), s);
	conf.trusted_proxy = proxy_addr;
	return 0;
}

int
http_serve(const struct http_conf *c, struct err *e)
{
	struct sockaddr_in sa;
	struct MHD_Daemon *d;
	struct acceptor *acc = NULL;
	pthread_t writer, reaper, ckpt;
	struct warm *warm;
	sigset_t set;
	int sig, waited, writer_joined = 0;

	conf = *c;
	if (conf.max_body == 0)
		conf.max_body = 8u << 20;
	if (conf.max_conn == 0)
		conf.max_conn = 1024;
	if (conf.max_per_ip == 0)
		conf.max_per_ip = 256;
	if (conf.timeout == 0)
		conf.timeout = 30;
	if (conf.request_time == 0)
		conf.request_time = 30;
	if (conf.body_budget == 0)
		conf.body_budget = 64u << 20;
	{
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		unsigned cores = n > 0 && n < 64 ? (unsigned)n : 2;

		/*
		 * The request threads answer only light requests (the heavy
		 * ones go to the runners): one per two cores. On 2 cores
		 * with wrk on the same machine, one thread answered 98-118k
		 * summary GETs a second at a p99 of 3.6-3.8 ms, two 120-127k
		 * at 6.7-7.3 ms (each preempted by wrk's threads for a time
		 * slice, its connections waiting meanwhile).
		 */
		if (conf.threads == 0)
			conf.threads = cores / 2 > 0 ? cores / 2 : 1;
		if (conf.heavy == 0)
			conf.heavy = cores > 2 ? cores : 2;
	}
	if (parse_listen(conf.listen ? conf.listen : "127.0.0.1:8080", &sa, e) != 0)
		return -1;
	if (conf.trusted_proxy && parse_proxy(conf.trusted_proxy, e) != 0)
		return -1;
	http_static_dir(&conf, webdir, sizeof webdir);
	sb_init(&log_buf);
	sb_init(&log_out);
	if (sodium_init() < 0)
		return err_set(e, ERR_SYSTEM, "libsodium");
	if (mhd_lib_load(e) != 0 || icu_load(e) != 0)
		return -1;	/* (ICU now: not at the first name a request brings) */
	if (store_open(conf.db, &w_store, e) != 0)
		return -1;
	store_wal_hook(w_store, wal_grew, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (pthread_create(&ckpt, NULL, ckpt_main, NULL) != 0) {
		store_close(w_store);
		return err_set(e, ERR_SYSTEM, "pthread_create: %s", strerror(errno));
	}
	if (pthread_create(&writer, NULL, writer_main, NULL) != 0) {
		stop_ckpt(ckpt);
		store_close(w_store);
		return err_set(e, ERR_SYSTEM, "pthread_create: %s", strerror(errno));
	}
	if (runner_start(conf.heavy, e) != 0) {
		d = NULL;
		goto stop_writer;
	}
	/* our own listening socket and accepting thread: http-accept.c */
	if (acceptor_listen(&acc, &sa, e) != 0) {
		char why[sizeof e->msg];

		snprintf(why, sizeof why, "%s", e->msg);
		err_set(e, ERR_SYSTEM, "%s %s: %s", TR("không nghe được trên",
		    "cannot listen on"), conf.listen ? conf.listen :
		    "127.0.0.1:8080", why);
		d = NULL;
		goto stop_writer;
	}
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC | MHD_USE_NO_LISTEN_SOCKET,
	    0, NULL, NULL, access_handler, NULL,
	    MHD_OPTION_THREAD_POOL_SIZE, conf.threads,
	    MHD_OPTION_CONNECTION_LIMIT, conf.max_conn,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, conf.max_per_ip,
	    MHD_OPTION_CONNECTION_TIMEOUT, conf.timeout,
	    /* each connection's memory (request line, headers, reply
	     * headers): libmicrohttpd zeroes it at every request, 48 KB
	     * a request at its default 32 KB (8% of a summary GET's CPU) */
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY,
	    MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
	    MHD_OPTION_NOTIFY_CONNECTION, notify_conn, NULL,
	    MHD_OPTION_END);
	if (d == NULL) {
		err_set(e, ERR_SYSTEM, "%s %s: %s", TR("không nghe được trên",
		    "cannot listen on"), conf.listen, strerror(errno));
		goto stop_writer;
	}
	if (pthread_create(&reaper, NULL, reaper_main, NULL) != 0) {
		err_set(e, ERR_SYSTEM, "pthread_create: %s", strerror(errno));
		MHD_stop_daemon(d);
		d = NULL;
		goto stop_writer;
	}
	if (acceptor_run(acc, d, conf.max_conn, open_conns, conf.threads,
	    pick_thread, pool_arrived, e) != 0) {
		stop_reaper(reaper);
		MHD_stop_daemon(d);
		d = NULL;
		goto stop_writer;
	}
	{
		char host[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &sa.sin_addr, host, sizeof host);
		fprintf(stderr, "thidua: %s http://%s:%u/ (%s %u, %s %u, "
		    "web %s)\n", TR("đang phục vụ tại", "serving at"), host,
		    acceptor_port(acc), TR("luồng yêu cầu", "request threads"),
		    conf.threads, TR("luồng báo cáo", "report runners"),
		    conf.heavy, webdir[0] ? webdir : "-");
		fflush(stderr);
	}
	warm = h_warm_start(&conf);	/* what the first requests would make */
	while (sigwait(&set, &sig) != 0)
		;
	fprintf(stderr, "thidua: %s\n", TR("đang dừng…", "stopping…"));
	/*
	 * New requests are refused (503, draining); requests in flight (and
	 * suspended ones) finish. Not MHD_quiesce_daemon: see draining.
	 */
	atomic_store(&draining, 1);
	h_warm_stop(warm);	/* (its step under way finishes: what it keeps
				 * must be there until h_cache_free) */
	for (waited = 0; atomic_load(&inflight) > 0 && waited < 1000; waited++)
		usleep(10000);
	/*
	 * The writer goes before the daemon: it finishes every job queued
	 * (a running import included) and resumes its request, so no job
	 * still points at a request when MHD frees them. A write asked for
	 * after this is refused at once (503). The daemon then gets a moment
	 * to send those replies.
	 */
	pthread_mutex_lock(&q_mu);
	q_stop = 1;
	pthread_cond_signal(&q_cv);
	pthread_mutex_unlock(&q_mu);
	pthread_join(writer, NULL);
	writer_joined = 1;
	for (waited = 0; atomic_load(&inflight) > 0 && waited < 200; waited++)
		usleep(10000);
	runner_stop();	/* (its queue run first: each resumes its request) */
	stop_reaper(reaper);
	acceptor_stop(acc);	/* no new connection: the socket is closed */
	acc = NULL;
	MHD_stop_daemon(d);
stop_writer:
	acceptor_stop(acc);
	runner_stop();
	if (!writer_joined) {
		pthread_mutex_lock(&q_mu);
		q_stop = 1;
		pthread_cond_signal(&q_cv);
		pthread_mutex_unlock(&q_mu);
		pthread_join(writer, NULL);
	}
	stop_ckpt(ckpt);
	store_close(w_store);
	w_store = NULL;
	h_cache_free();
	log_flush();
	sb_free(&log_buf);
	sb_free(&log_out);
	pthread_mutex_lock(&reg_mu);
	for (int i = 0; i < nreaders; i++)
		store_close(readers[i]);
	nreaders = 0;
	for (int i = 0; i < nreplicas; i++)
		if (replicas[i])
			store_close(replicas[i]);
	nreplicas = 0;
	pthread_mutex_unlock(&reg_mu);
	return d == NULL ? -1 : 0;
}
