/*
 * audit.c: recording and reading the audit trail (see audit.h).
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "audit.h"
#include "codemap.h"
#include "import-kinds.h"
#include "store-audit.h"
#include "store-import.h"
#include "util.h"

static __thread const char *ctx_actor;
static __thread const char *ctx_address;

void
audit_context(const char *actor, const char *address)
{
	ctx_actor = actor;
	ctx_address = address;
}

const char *
audit_os_user(void)
{
	static __thread char name[128];
	struct passwd pw, *res = NULL;
	char buf[1024], host[64];

	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "?");
	host[sizeof host - 1] = '\0';
	if (getpwuid_r(getuid(), &pw, buf, sizeof buf, &res) == 0 && res)
		snprintf(name, sizeof name, "%s@%s", res->pw_name, host);
	else
		snprintf(name, sizeof name, "uid%d@%s", (int)getuid(), host);
	return name;
}

const char *
audit_actor(void)
{
	return ctx_actor ? ctx_actor : audit_os_user();
}

int
audit_record(struct store *st, const char *action, const char *kind,
    const char *subject, const char *before, const char *after, struct err *e)
{
	return audit_record_by(st, NULL, action, kind, subject, before, after,
	    e);
}

int
audit_record_by(struct store *st, const char *actor, const char *action,
    const char *kind, const char *subject, const char *before,
    const char *after, struct err *e)
{
	struct audit_row r = {
		.at = (int64_t)time(NULL),
		.actor = actor && *actor ? actor : audit_actor(),
		.address = ctx_address ? ctx_address : "cli",
		.action = action, .kind = kind, .subject = subject,
		.before = before, .after = after,
	};

	return store_audit_insert(st, &r, e);
}

int
audit_record_json(struct store *st, const char *action, const char *kind,
    const char *subject, json_t *before, json_t *after, struct err *e)
{
	char *bs = before ? json_dumps(before, JSON_COMPACT) : NULL;
	char *as = after ? json_dumps(after, JSON_COMPACT) : NULL;
	int rc = audit_record(st, action, kind, subject, bs, as, e);

	free(bs);
	free(as);
	json_decref(before);
	json_decref(after);
	return rc;
}

/* The column a row is "about": its subject, unit, task, or key code. */
static int
subject_col(const struct kind *k)
{
	static const enum col_type pref[] = { CT_SUBJECT, CT_UNIT, CT_TASK,
	    CT_CODE };

	for (size_t p = 0; p < sizeof pref / sizeof pref[0]; p++)
		for (int c = 0; c < k->ncols; c++)
			if (k->cols[c].type == pref[p] &&
			    (pref[p] != CT_CODE || (k->cols[c].flags & COL_KEY)))
				return c;
	return -1;
}

struct audit_before {
	const struct kind	*k;
	struct codemap		 keys;	/* row key → batch row index */
	char			***vals;	/* per batch row: the stored row, or NULL */
	size_t			 nrows;
	struct sb		 key;	/* scratch */
};

/* A row's key: its key columns joined by \x1f. */
static const char *
row_key(const struct kind *k, struct sb *key, const char *const *vals)
{
	sb_reset(key);
	for (int c = 0; c < k->ncols; c++)
		if (k->cols[c].flags & COL_KEY) {
			sb_puts(key, vals[c] ? vals[c] : "");
			sb_putc(key, '\x1f');
		}
	return key->s;
}

static void
row_json(const struct kind *k, const char *const *vals, struct sb *out)
{
	sb_putc(out, '{');
	for (int c = 0, n = 0; c < k->ncols; c++) {
		if (vals[c] == NULL)
			continue;
		if (n++)
			sb_putc(out, ',');
		sb_json_str(out, k->cols[c].name);
		sb_putc(out, ':');
		sb_json_str(out, vals[c]);
	}
	sb_putc(out, '}');
}

static int
before_row(void *arg, const char *const *vals)
{
	struct audit_before *b = arg;
	int64_t i;

	if (codemap_get(&b->keys, row_key(b->k, &b->key, vals), &i, NULL) &&
	    b->vals[i] == NULL) {
		char **v = xcalloc((size_t)b->k->ncols, sizeof *v);

		for (int c = 0; c < b->k->ncols; c++)
			v[c] = vals[c] ? xstrdup(vals[c]) : NULL;
		b->vals[i] = v;
	}
	return 0;
}

/*
 * A batch of at most IMPORT_FEW_ROWS rows whose key names a person or unit
 * (people: by their own code) reads the stored rows of those subjects
 * only, through the subject's index (store_export_about), instead of the
 * kind's whole export: one person added through the API exported a
 * million people first (about 0.5 s at a million), a workshop's 1,000
 * ratings all 9.4 million ratings (13.5 s; 1,000 rows by subject:
 * 0.08 s). -1: no such column.
 */

static int
about_col(const struct kind *k)
{
	if (strcmp(k->name, "people") == 0)
		return 0;
	for (int c = 0; c < k->ncols; c++)
		if ((k->cols[c].flags & COL_KEY) && (k->cols[c].type ==
		    CT_SUBJECT || k->cols[c].type == CT_UNIT ||
		    k->cols[c].type == CT_PERSON))
			return c;
	return -1;
}

/* The stored rows of the batch's subjects: 0, 1 when the kind has no
 * such narrowing (nothing read), -1. */
static int
before_few(struct store *st, const struct batch *bt, struct audit_before *b,
    int col, struct err *e)
{
	struct codemap seen;
	int rc = 0;

	codemap_init(&seen);
	for (size_t r = 0; r < bt->nrows && rc == 0; r++) {
		const char *code = bt->v[r * (size_t)b->k->ncols + (size_t)col];

		if (code == NULL || codemap_get(&seen, code, NULL, NULL))
			continue;
		codemap_put(&seen, code, 0, 0);
		rc = store_export_about(st, b->k->name, code, before_row, b, e);
	}
	codemap_free(&seen);
	return rc;
}

struct audit_before *
audit_before(struct store *st, const struct batch *bt, struct err *e)
{
	struct audit_before *b = xcalloc(1, sizeof *b);
	int col = about_col(bt->kind), rc = 1;

	b->k = bt->kind;
	codemap_init(&b->keys);
	sb_init(&b->key);
	b->nrows = bt->nrows;
	b->vals = xcalloc(bt->nrows ? bt->nrows : 1, sizeof *b->vals);
	for (size_t r = 0; r < bt->nrows; r++)
		codemap_put(&b->keys, row_key(b->k, &b->key,
		    &bt->v[r * (size_t)b->k->ncols]), (int64_t)r, 0);
	if (col >= 0 && bt->nrows <= IMPORT_FEW_ROWS)
		rc = before_few(st, bt, b, col, e);
	if (rc == 1 && b->k->export)	/* the whole kind */
		rc = b->k->export(st, before_row, b, e);
	if (rc > 0)
		rc = 0;
	if (rc != 0) {
		audit_before_free(b);
		return NULL;
	}
	return b;
}

const char *const *
audit_before_row(struct audit_before *b, const struct batch *bt, size_t r)
{
	int64_t i;

	if (!codemap_get(&b->keys, row_key(b->k, &b->key,
	    &bt->v[r * (size_t)b->k->ncols]), &i, NULL))
		return NULL;
	return (const char *const *)b->vals[i];
}

void
audit_before_free(struct audit_before *b)
{
	if (b == NULL)
		return;
	for (size_t r = 0; b->vals && r < b->nrows; r++) {
		for (int c = 0; b->vals[r] && c < b->k->ncols; c++)
			free(b->vals[r][c]);
		free(b->vals[r]);
	}
	free(b->vals);
	codemap_free(&b->keys);
	sb_free(&b->key);
	free(b);
}

int
audit_batch(struct store *st, const struct batch *b,
    const struct audit_before *before, struct err *e)
{
	const struct kind *k = b->kind;
	int sc = subject_col(k);
	struct sb after, old, key;
	int rc = 0;

	sb_init(&after);
	sb_init(&old);
	sb_init(&key);
	for (size_t r = 0; r < b->nrows && rc == 0; r++) {
		const char *const *vals = &b->v[r * (size_t)k->ncols];
		int64_t i = -1;
		int shown;

		sb_reset(&after);
		row_json(k, vals, &after);
		/* The stored row is shown once, for the batch's last row of that key. */
		if (before)
			codemap_get(&before->keys, row_key(k, &key, vals), &i,
			    NULL);
		shown = before && i == (int64_t)r && before->vals[r] != NULL;
		if (shown) {
			sb_reset(&old);
			row_json(k, (const char *const *)before->vals[r], &old);
		}
		rc = audit_record(st, "import", k->name,
		    sc >= 0 ? vals[sc] : NULL, shown ? old.s : NULL, after.s, e);
	}
	sb_free(&after);
	sb_free(&old);
	sb_free(&key);
	return rc;
}

struct list_ctx {
	struct sb	*out;
	int		 n;
};

static int
list_row(void *arg, const struct audit_row *r)
{
	struct list_ctx *c = arg;
	char at[32];
	time_t t = (time_t)r->at;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (c->n++)
		sb_putc(c->out, ',');
	sb_printf(c->out, "{\"id\":%lld,\"at\":\"%s\",\"actor\":",
	    (long long)r->id, at);
	sb_json_str(c->out, r->actor);
	sb_puts(c->out, ",\"address\":");
	sb_json_str(c->out, r->address);
	sb_puts(c->out, ",\"action\":");
	sb_json_str(c->out, r->action);
	sb_puts(c->out, ",\"kind\":");
	sb_json_str(c->out, r->kind);
	sb_puts(c->out, ",\"subject\":");
	if (r->subject)
		sb_json_str(c->out, r->subject);
	else
		sb_puts(c->out, "null");
	/* before and after are JSON documents written by audit_record's callers. */
	sb_printf(c->out, ",\"before\":%s,\"after\":%s}",
	    r->before ? r->before : "null", r->after ? r->after : "null");
	return 0;
}

int
audit_json(struct store *st, const struct audit_query *q, struct sb *out,
    struct err *e)
{
	struct list_ctx c = { out, 0 };
	long total = 0;

	sb_puts(out, "{\"items\":[");
	if (store_audit_each(st, q->since, q->subject, q->limit, q->offset,
	    &total, list_row, &c, e) != 0)
		return -1;
	sb_printf(out, "],\"total\":%ld,\"limit\":%ld,\"offset\":%ld,"
	    "\"next_offset\":", total, q->limit, q->offset);
	if (q->offset + c.n < total)
		sb_printf(out, "%ld}", q->offset + c.n);
	else
		sb_puts(out, "null}");
	return 0;
}
