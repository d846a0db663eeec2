/*
 * h-misc.c: small endpoints: /healthz, the OpenAPI document, the audit
 * trail, and the unit views (one unit; a subtree's summary, kept in
 * memory (snapcache.h) until the next committed write or for one second,
 * and on each pool thread as the very reply sent, headers and all).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "http.h"
#include "snapcache.h"
#include "store.h"
#include "store-unit.h"

int
h_health(struct req *r)
{
	sb_puts(&r->out, "{\"ok\":true}");
	return 200;
}

int
h_openapi(struct req *r)
{
	openapi_json(&r->out);
	return 200;
}

int
h_audit(struct req *r)
{
	struct audit_query q = { 0, r->a.subject, r->a.limit, r->a.offset };
	int32_t day;

	if (r->a.since && date_parse(r->a.since, &day) == 0)
		q.since = (int64_t)day * 86400;
	return audit_json(r->st, &q, &r->out, &r->e) == 0 ? 200 : -1;
}

static int
unit_missing(struct req *r)
{
	return http_error(r, 404, "not_found", "code", "%s '%s'",
	    TR("không có đơn vị mã", "no unit with code"), r->param[0]);
}

int
h_unit_get(struct req *r)
{
	int rc = store_unit_json(r->st, r->param[0], &r->out, &r->e);

	return rc < 0 ? -1 : rc == 0 ? unit_missing(r) : 200;
}

/*
 * The summaries' copies in memory (snapcache.h): one is current while the
 * store's "elig" generation (store.h: every table a summary reads, units,
 * people, ratings and awards among them, replaced by any writer, this
 * server or the CLI) is the one it was made at.
 */
static struct snapcache_mem summaries = SNAPCACHE_MEM(4096);

static int64_t
summary_stamp(unsigned long version, time_t at)
{
	return (int64_t)((uint64_t)version << 32 | (uint32_t)at);
}

/*
 * Each pool thread's summaries as replies (http_keep): a small table by
 * unit code, an entry current while its stamp (summary_stamp: the
 * server's data version and the second) is: a write by another process
 * shows within a second, through the generation. The replies a thread
 * makes are its own (libmicrohttpd answers a connection on one thread),
 * so no lock but the registry's, which h_cache_free empties at shutdown.
 */
#define KEPT_SLOTS	64
#define KEPT_THREADS	64
struct kept_slot {
	char		  code[64];
	int64_t		  stamp;
	struct http_kept *k;
};
static __thread struct kept_slot *tl_kept;
static pthread_mutex_t kept_mu = PTHREAD_MUTEX_INITIALIZER;
static struct kept_slot *kept_all[KEPT_THREADS];
static int nkept;

/* This thread's slot for code, or NULL (too many threads: none kept). */
static struct kept_slot *
kept_slot(const char *code)
{
	unsigned h = 5381;

	if (tl_kept == NULL) {
		pthread_mutex_lock(&kept_mu);
		if (nkept < KEPT_THREADS)
			tl_kept = kept_all[nkept++] = xcalloc(KEPT_SLOTS,
			    sizeof *tl_kept);
		pthread_mutex_unlock(&kept_mu);
		if (tl_kept == NULL)
			return NULL;
	}
	for (const char *p = code; *p; p++)
		h = h * 33 + (unsigned char)*p;
	return &tl_kept[h % KEPT_SLOTS];
}

void
h_cache_free(void)
{
	snapcache_mem_free(&summaries);
	h_search_free();
	pthread_mutex_lock(&kept_mu);
	for (int i = 0; i < nkept; i++) {
		for (int j = 0; j < KEPT_SLOTS; j++)
			http_kept_free(kept_all[i][j].k);
		free(kept_all[i]);
		kept_all[i] = NULL;
	}
	nkept = 0;
	pthread_mutex_unlock(&kept_mu);
}

int
h_unit_summary(struct req *r)
{
	unsigned long v = http_data_version();
	int64_t stamp = summary_stamp(v, time(NULL)), gen;
	struct kept_slot *ks = kept_slot(r->param[0]);
	int rc;

	/* this thread's reply, made this second since the server's last write */
	if (ks && ks->k && ks->stamp == stamp &&
	    strcmp(ks->code, r->param[0]) == 0 &&
	    http_reply_kept(r, ks->k) == 0)
		return 200;
	/* else the document, current while the "elig" generation is (a write
	 * by another process included) */
	if (store_generation(r->st, "elig", &gen, &r->e) != 0)
		return -1;
	if (!snapcache_mem_get(&summaries, r->param[0], gen, &r->out)) {
		rc = store_unit_summary_json(r->st, r->param[0], &r->out,
		    &r->e);
		if (rc <= 0)
			return rc < 0 ? -1 : unit_missing(r);
		snapcache_mem_put(&summaries, r->param[0], gen, r->out.s);
	}
	if (ks && strlen(r->param[0]) < sizeof ks->code) {
		http_kept_free(ks->k);
		ks->k = http_keep(r);
		ks->stamp = stamp;
		snprintf(ks->code, sizeof ks->code, "%s", r->param[0]);
		if (http_reply_kept(r, ks->k) == 0)
			sb_reset(&r->out);
	}
	return 200;
}
