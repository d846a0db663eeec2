/*
 * h-misc.c: small endpoints: /healthz, the OpenAPI document, the audit
 * trail, and the unit views (one unit; a subtree's summary, cached in
 * memory until the next committed write or for one second).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "codemap.h"
#include "http.h"
#include "store-api.h"

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

/* The summary cache: code → (data version, time, document). */
#define CACHE_MAX 4096
static pthread_rwlock_t cache_mu = PTHREAD_RWLOCK_INITIALIZER;
static struct codemap cache_idx;
static struct cache_ent {
	unsigned long	 version;
	time_t		 at;
	char		*doc;
} *cache;
static size_t cache_n;

static int
cache_get(const char *code, struct sb *out)
{
	int64_t i;
	int hit = 0;

	pthread_rwlock_rdlock(&cache_mu);
	if (cache && codemap_get(&cache_idx, code, &i, NULL) &&
	    cache[i].version == http_data_version() &&
	    cache[i].at == time(NULL)) {
		sb_puts(out, cache[i].doc);
		hit = 1;
	}
	pthread_rwlock_unlock(&cache_mu);
	return hit;
}

static void
cache_put(const char *code, unsigned long version, const char *doc)
{
	int64_t i;

	pthread_rwlock_wrlock(&cache_mu);
	if (cache == NULL || cache_n >= CACHE_MAX) {
		h_cache_free();
		codemap_init(&cache_idx);
		cache = xcalloc(CACHE_MAX, sizeof *cache);
	}
	if (!codemap_get(&cache_idx, code, &i, NULL)) {
		i = (int64_t)cache_n++;
		codemap_put(&cache_idx, code, i, 0);
	}
	free(cache[i].doc);
	cache[i].doc = xstrdup(doc);
	cache[i].version = version;
	cache[i].at = time(NULL);
	pthread_rwlock_unlock(&cache_mu);
}

void
h_cache_free(void)
{
	if (cache == NULL)
		return;
	for (size_t i = 0; i < cache_n; i++)
		free(cache[i].doc);
	free(cache);
	cache = NULL;
	cache_n = 0;
	codemap_free(&cache_idx);
}

int
h_unit_summary(struct req *r)
{
	unsigned long v = http_data_version();
	int rc;

	if (cache_get(r->param[0], &r->out))
		return 200;
	rc = store_unit_summary_json(r->st, r->param[0], &r->out, &r->e);
	if (rc <= 0)
		return rc < 0 ? -1 : unit_missing(r);
	cache_put(r->param[0], v, r->out.s);
	return 200;
}
