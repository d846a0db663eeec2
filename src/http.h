/*
 * http.h: the HTTP server's inside view, shared by the daemon (http.c),
 * the route table (http-routes.c), the handlers (h-*.c) and the OpenAPI
 * generator (http-openapi.c). The outside view is http_serve().
 *
 * Before a byte of a body is read (the first callback): body size (413),
 * login for a body (401; the login itself aside), the server's body
 * budget (503). Then one dispatcher (http.c) in a fixed order:
 * route (404/405 with Allow) → body size (413) → query fields (400) →
 * login (401) → CSRF for cookie writes (403) → role (403) → content
 * type (415) → body (400) → unit scope (403) → handler. Handlers read
 * only the typed struct args and the logged-in struct user.
 *
 * Ownership: a struct req lives from MHD's first callback to its
 * NOTIFY_COMPLETED callback, which frees everything it holds.
 */
#ifndef THIDUA_HTTP_H
#define THIDUA_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "codemap.h"
#include "err.h"
#include "scope.h"
#include "util.h"
#include "http-runner.h"
#include "http-valid.h"

struct store;
struct MHD_Connection;

struct http_conf {
	const char	*db;		/* database target */
	const char	*listen;	/* ADDR:PORT */
	const char	*web;		/* static files; NULL: ./web or next to the binary */
	size_t		 max_body;	/* bytes (8 MiB) */
	unsigned	 max_conn;	/* connections in all (1024) */
	unsigned	 max_per_ip;	/* connections per client address (256) */
	unsigned	 timeout;	/* idle connection timeout, seconds (30) */
	unsigned	 threads;	/* pool size; 0: one per two cores */
	unsigned	 heavy;		/* heavy requests answered at once, each on
					   a runner thread (http-runner.h); 0: one
					   per core, at least two */
	unsigned	 request_time;	/* a request's headers and body, seconds (30) */
	size_t		 body_budget;	/* bytes of bodies buffered at once (64 MiB) */
	const char	*trusted_proxy;	/* peer whose X-Forwarded-For/-Proto count */
	int		 secure_cookies; /* Secure + __Host- prefix on cookies */
	const char	*db_read;	/* a PostgreSQL streaming replica for the
					   heavy reports, or NULL */
	enum warm_up { WARM_AUTO, WARM_ON, WARM_OFF } warm;	/* h-warm.c */
};

/* Serve until SIGTERM or SIGINT; 0 after a clean shutdown. */
int	 http_serve(const struct http_conf *, struct err *);

/* What a route needs of the caller. */
enum need {
	NEED_NONE,	/* anyone, no login */
	NEED_LOGIN,	/* any logged-in user */
	NEED_READ,	/* every role; scoped roles see their subtree */
	NEED_WRITE,	/* admin; commander and clerk in their subtree */
	NEED_AUDIT,	/* admin, council */
	NEED_ADMIN,	/* admin */
	NEED_BALLOT,	/* admin, council */
	NEED_PROPOSE,	/* admin; commander in their subtree */
	NEED_COMMAND,	/* admin; commander (movements in their subtree) */
	NEED__MAX
};

/* Where the unit a request touches is found (for scoped roles). */
enum scope {
	SCOPE_NONE,	/* nothing unit-bound */
	SCOPE_PATH,	/* the first path parameter is a unit or person code */
	SCOPE_QUERY,	/* query `unit` / `subject`; lists filter to the subtree */
	SCOPE_BODY	/* each body row's unit/subject (checked as it is written) */
};

/* BODY_YAML: a YAML text (application/yaml, text/yaml) in args.yaml, or a
 * JSON object checked against the route's fields (e.g. {"yaml": "..."}). */
enum body { BODY_NONE, BODY_OBJECT, BODY_ROWS, BODY_YAML };

/* Every query or body field any route takes (routes pick theirs by spec). */
struct args {
	long long	 limit, offset;
	long long	 year, year_from, year_to;
	const char	*unit, *subject, *award, *as_of, *from, *to, *since;
	const char	*login, *password;
	const char	*metric, *date;	/* one record (the fast path) */
	const char	*task;		/* one task (suggestions) */
	const char	*yaml;		/* a YAML document (movements) */
	const char	*by;		/* innovations report grouping */
	int		 summary;	/* the same without its rows */
	int		 changes;	/* movement ratings: changes only */
	const char	*field, *reason, *practice, *min_rating;	/* exemplars */
	const char	*verdict;	/* eligibility: verdicts listed */
	long long	 first;		/* eligibility: the first N subjects listed */
	const char	*head;		/* ledger verify: SEQ:HASH anchor */
	const char	*q, *type, *movement, *codes;	/* search (pickers) */
	const char	*format;	/* list downloads: csv or xlsx */
	const char	*name;		/* POST /xlsx: the file's name */
	/* the award path (h-proposals.c) */
	struct vlist	 subjects, attachments;	/* propose */
	const char	*override, *received;	/* propose */
	const char	*number, *signer;	/* decide, recognise, revoke */
	long long	 members, yes, present, written;	/* ballots */
	long long	 top;		/* recognise */
	double		 value;
	int		 dry_run;
	unsigned	 seen;		/* the body's fields present
					   (valid_seen) */
};

struct req;

struct route {
	const char	*method;
	const char	*path;		/* {kind}: an import kind; {x}: any segment */
	int		(*handler)(struct req *);
	enum need	 need;
	enum scope	 scope;
	const struct field *query;	/* accepted query parameters */
	enum body	 body;
	const struct field *fields;	/* BODY_OBJECT members */
	const char	*summary;	/* English, one line (OpenAPI) */
	const char	*rows;		/* GET: the document's member holding its
					 * rows ("" the document itself): then
					 * ?format=csv|xlsx downloads them */
};
extern const struct route http_routes[];
extern const size_t http_nroutes;
/* Does role pass rt's need (kind: the {kind} of the path, or NULL)? The
 * dispatcher's own check, also for GET /api/v1/me. */
int	 http_may(const struct route *, const char *kind, enum role);
/* GET /api/v1/me's "locked" object for role: the rows of the import
 * kinds that only the administrator changes (h-kinds.c's guards). */
void	 http_locked_json(struct sb *, enum role);
struct req;
/* The query parameter a route with .rows accepts besides its own. */
extern const struct field http_format_fields[];
/* r->out holds rt's JSON document: replace it with the rows of its member
 * rt->rows as r->a.format (csv, xlsx) (http-download.c). 200, 400 or -1. */
int	 http_rows_download(struct req *, const struct route *rt);
/* POST /api/v1/xlsx: a table the page shows (CSV body) as a workbook. */
int	 h_rows_xlsx(struct req *);
/* The route of r->method and r->path (fills r->param, r->allow), or NULL;
 * what the dispatcher does first (also for tests/fuzz/fuzz-path.c). */
const struct route *http_find_route(struct req *);

#define HTTP_MAX_PARAMS	3
#define HTTP_ASYNC	0	/* handler queued a write; reply comes later */

/* RS_CONT: a write finished and r->cont runs next, on the pool thread. */
enum req_state { RS_NEW, RS_BODY, RS_WAIT, RS_CONT, RS_DONE };

/* A write waiting for the writer thread (one per request, or detached). */
struct http_job {
	struct http_job	*next;
	struct req	*r;		/* NULL: detached (session touch) */
	int		(*fn)(struct store *, struct req *, struct err *);
	int		 solo;		/* runs its own transaction */
	int		 data;		/* writes no account, session or token */
	int		 atomic;	/* refuses only before its first write */
	uint64_t	 lock_key;	/* the row it writes, hashed; 0: unknown */
	char		 arg[72];	/* detached jobs' argument */
	uint64_t	 t_enq;		/* when queued, microseconds (metrics) */
	char		 actor[65];
	char		 addr[64];
	enum lang	 lang;
	int		 rc;
	struct err	 e;
};

struct conn_track;

struct req {
	struct MHD_Connection *conn;
	struct conn_track *ct;		/* the connection's (http.c), or NULL */
	const struct route *route;
	const char	*method;
	char		 path[512];
	char		 param[HTTP_MAX_PARAMS][64];
	int		 nparam;
	struct args	 a;
	struct user	 user;
	int		 authed;
	int64_t		 scope_root;	/* 0: sees everything; else a unit id */
	char		 addr[64];	/* the client (X-Forwarded-For via the proxy) */
	int		 https;		/* cookies get Secure and __Host- */
	enum lang	 lang;
	struct sb	 body;
	size_t		 budget;	/* bytes of the body budget this request holds */
	int		 authn;		/* authenticate() has run */
	int		 csv;		/* body is text/csv (1) or .xlsx (2) */
	void		*json;		/* parsed body (json_t *) */
	struct store	*st;		/* this thread's read connection */
	enum req_state	 state;
	long		 aux;		/* handler scratch (e.g. login outcome) */
	int		(*cont)(struct req *);	/* after a write (RS_CONT) */
	int		 queued;	/* the reply has been queued */
	uint64_t	 t0;		/* start, microseconds */
	/* the reply */
	int		 status;
	struct sb	 out;
	const char	*ctype;
	char		 cookie[160];	/* Set-Cookie value, "" none */
	char		 allow[64];	/* Allow header of a 405 */
	int		 fd;		/* static file to send, -1 none */
	char		 filename[96];	/* a download's name, "" none */
	uint64_t	 fsize;
	long		 retry_after;
	char		 read_from[16];	/* "replica" | "primary" when a replica
					   is configured for this report */
	char		 as_of[40];	/* the replica's last replayed commit */
	struct err	 e;		/* when a handler returns -1 (req_new
					   clears only its heads) */
	const char	*ecode;		/* error code overriding e's kind */
	struct http_kept *kept;		/* a kept reply to send (http_reply_kept) */
	size_t		 kept_len;	/* its body's length (the access log) */
	struct runner_job heavy;	/* a heavy request's run (http.c) */
	struct http_job	 job;		/* last: req_new leaves it to http_write */
};

/*
 * A reply kept for reuse: the response libmicrohttpd sends, body and
 * headers made once (h-misc.c's unit summaries, identical for every
 * caller until the next write). http_keep makes one of r's reply as it
 * stands (r->out, r->ctype, the headers of r->path), owned by the caller,
 * or NULL. http_reply_kept makes r answer 200 with k (0), or -1 when r's
 * reply needs headers of its own (a cookie, Retry-After, the replica's):
 * then the handler fills r->out. k must live until the reply is queued,
 * which is when the handler returns on this thread (libmicrohttpd then
 * holds its own reference). http_kept_free drops the caller's.
 */
struct http_kept;
struct http_kept *http_keep(const struct req *);
int	 http_reply_kept(struct req *, struct http_kept *);
void	 http_kept_free(struct http_kept *);

/*
 * Queue fn on the writer thread and suspend the request: returns
 * HTTP_ASYNC. flags: HTTP_SOLO, fn runs its own transaction (an import),
 * alone; HTTP_DATA, fn writes no account, session or token, so the
 * server's cache of Bearer tokens outlives its commit; HTTP_ATOMIC, fn
 * refuses (ERR_USER) only before its first write and fails otherwise only
 * by a failing statement, so a batch of such jobs needs no savepoint per
 * job (http.c's run_plain).
 */
#define HTTP_SOLO	1
#define HTTP_DATA	2
#define HTTP_ATOMIC	4
int	 http_write(struct req *, int (*fn)(struct store *, struct req *,
	    struct err *), int flags);
/*
 * The same for a job that writes one row known before it runs: key names
 * it (e.g. "P1\x1fm1\x1f2025-01-02"). A batch runs such jobs in the order
 * of their keys' hashes, so two servers' batches on one PostgreSQL lock
 * their rows in one order and cannot deadlock on them (PostgreSQL would
 * find the cycle only after deadlock_timeout, a second by default, and
 * abort one batch to be run again).
 */
int	 http_write_keyed(struct req *, int (*fn)(struct store *, struct req *,
	    struct err *), int flags, const char *key);
/* The session cookie's name for this request: "__Host-thidua_session"
 * when it came over HTTPS (--secure-cookies, or the trusted proxy says
 * X-Forwarded-Proto: https), "thidua_session" otherwise. */
const char *http_cookie_name(const struct req *);
/* Its attributes after the value: "; Path=/; [Secure; ]HttpOnly; …". */
const char *http_cookie_attrs(const struct req *);
/* Refresh a session's last_seen without waiting. */
void	 http_touch(const char *session_hash);
/* Requests being served now (metrics). */
long	 http_inflight(void);
/* Bumped after every commit: caches compare it. */
unsigned long http_data_version(void);
/*
 * Whether writes are flowing: the writer finished HTTP_WRITES_FLOWING_N
 * writes that requests waited on within the last HTTP_WRITES_FLOWING_US
 * (a clerk's one write and the report asked right after are not a flow).
 * Reports then leave them a core (par_yield_to; cmd-serve.c).
 */
#define HTTP_WRITES_FLOWING_N	4
#define HTTP_WRITES_FLOWING_US	1000000
int	 http_writes_flowing(void);

/* Reply helpers: return the status, for `return http_json(r, 200);`. */
/*
 * The caller's subtree as an engine filter (h-scope.c): req_scope returns
 * NULL for an unscoped caller, else rs->s, which keeps the codes of
 * subjects whose unit is in the caller's subtree. Free with req_scope_free.
 */
struct req_scope {
	struct scope_filter	 s;
	struct req	*r;
	int64_t		 root;		/* the subtree's unit */
	struct codemap	 memo;		/* codes asked one by one */
	struct codemap	 all;		/* every code of the subtree (whole) */
	long		 asked;
	int		 whole;
	int		 on;
};
const struct scope_filter *req_scope(struct req *, struct req_scope *);
/* The same filter for the subtree of the unit whose id is unit (a unit=
 * the caller asked, already checked to lie in its scope). */
const struct scope_filter *req_subtree(struct req *, int64_t unit,
	    struct req_scope *);
/* The id of the unit= a request asked (already checked to lie in the
 * caller's scope) into *unit, 0 when none: 0, or -1 with the reply made
 * (404 naming unit when there is no such unit). */
int	 req_unit(struct req *, int64_t *unit);
void	 req_scope_free(struct req_scope *);
/*
 * on: keep the last subtrees read whole (ids, codes) while the
 * eligibility tables' stamp holds, for the next scoped requests (the
 * server); 0 frees them.
 */
void	 h_scope_keep(int on);
int	 http_error(struct req *, int status, const char *code,
	    const char *field, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
/* Fail from r->e (kind decides status and code): returns -1. */
int	 http_fail(struct req *, struct err *);

/* Static files of the web app (http-static.c): fills r (fd or error). */
int	 http_static(struct req *, const char *webdir);
/*
 * A download written to a temporary file: http_temp_file makes an empty
 * one (path filled; 0, or -1 with r->e set); after the handler has
 * written it (written: its 0 or -1), http_send_temp opens and unlinks it
 * and makes it the reply (200), or returns -1 (r->e says why).
 */
int	 http_temp_file(struct req *, const char *stem, char *path, size_t);
int	 http_send_temp(struct req *, const char *path, int written,
	    const char *ctype);
/* Find the web directory: conf->web, ./web, or web/ next to the binary. */
void	 http_static_dir(const struct http_conf *, char *out, size_t sz);

/* Handlers (h-*.c). */
int	 h_health(struct req *);
int	 h_ready(struct req *);
int	 h_metrics(struct req *);
int	 h_openapi(struct req *);
int	 h_login(struct req *);
int	 h_logout(struct req *);
int	 h_me(struct req *);
int	 h_kind_list(struct req *);
int	 h_kind_post(struct req *);
int	 h_unit_get(struct req *);
int	 h_unit_summary(struct req *);
int	 h_eligibility(struct req *);
int	 h_schedule(struct req *);
int	 h_scores(struct req *);
int	 h_growth(struct req *);
int	 h_movements(struct req *);
int	 h_movement_get(struct req *);
int	 h_rules(struct req *);
int	 h_movement_post(struct req *);
int	 h_suggestions(struct req *);
int	 h_audit(struct req *);
int	 h_proposal_document(struct req *);
int	 h_innovations_report(struct req *);
int	 h_rate_get(struct req *);
int	 h_rate_post(struct req *);
int	 h_search(struct req *);
int	 h_exemplar_list(struct req *);
int	 h_exemplar_get(struct req *);
int	 h_exemplar_discover(struct req *);
int	 h_exemplar_check(struct req *);
int	 h_exemplar_post(struct req *);
int	 h_exemplar_adopt(struct req *);
/* Proposals, ballots, decisions and the ledger (h-proposals.c). */
int	 h_proposal_list(struct req *);
int	 h_proposal_get(struct req *);
int	 h_proposal_post(struct req *);
int	 h_proposal_submit(struct req *);
int	 h_proposal_review(struct req *);
int	 h_proposal_return(struct req *);
int	 h_ballot_post(struct req *);
int	 h_decision_post(struct req *);
int	 h_recognise_post(struct req *);
int	 h_ledger_get(struct req *);
int	 h_ledger_verify(struct req *);
int	 h_ledger_head(struct req *);
int	 h_ledger_revoke(struct req *);
/* Free the unit-summary cache (at shutdown; callers hold no lock). */
void	 h_cache_free(void);
/* Free the search's folded index (h-search.c; at shutdown, no lock held). */
void	 h_search_free(void);
/* Build the search's folded index now, if it is not current (h-search.c). */
int	 h_search_warm(struct store *, struct err *);

/*
 * The server's warm-up (h-warm.c): started as the server starts serving,
 * on a thread of its own; h_warm_stop() waits for the step under way and
 * must come before the kept answers are freed. NULL: none started.
 */
struct warm;
struct warm	*h_warm_start(const struct http_conf *);
void		 h_warm_stop(struct warm *);

/* The OpenAPI 3 document of the route table. */
void	 openapi_json(struct sb *out);

#endif
