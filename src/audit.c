/*
 * audit.c: recording and reading the audit trail (see audit.h).
 */
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "kinds.h"
#include "store-audit.h"
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
	static __thread char name[64];
	struct passwd pw, *res = NULL;
	char buf[1024];

	if (getpwuid_r(getuid(), &pw, buf, sizeof buf, &res) == 0 && res)
		snprintf(name, sizeof name, "%s", res->pw_name);
	else
		snprintf(name, sizeof name, "uid%d", (int)getuid());
	return name;
}

int
audit_record(struct store *st, const char *action, const char *kind,
    const char *subject, const char *before, const char *after, struct err *e)
{
	struct audit_row r = {
		.at = (int64_t)time(NULL),
		.actor = ctx_actor ? ctx_actor : audit_os_user(),
		.address = ctx_address ? ctx_address : "cli",
		.action = action, .kind = kind, .subject = subject,
		.before = before, .after = after,
	};

	return store_audit_insert(st, &r, e);
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

int
audit_batch(struct store *st, const struct batch *b, struct err *e)
{
	const struct kind *k = b->kind;
	int sc = subject_col(k);
	struct sb after;
	int rc = 0;

	sb_init(&after);
	for (size_t r = 0; r < b->nrows && rc == 0; r++) {
		sb_reset(&after);
		sb_putc(&after, '{');
		for (int c = 0, n = 0; c < k->ncols; c++) {
			const char *v = batch_val(b, r, c);

			if (v == NULL)
				continue;
			if (n++)
				sb_putc(&after, ',');
			sb_json_str(&after, k->cols[c].name);
			sb_putc(&after, ':');
			sb_json_str(&after, v);
		}
		sb_putc(&after, '}');
		rc = audit_record(st, "import", k->name,
		    sc >= 0 ? batch_val(b, r, sc) : NULL, NULL, after.s, e);
	}
	sb_free(&after);
	return rc;
}

/* The real write of each kind wrapped by audit_kind(), by kind name. */
static int
audited_write(struct store *st, const struct batch *b, struct err *e)
{
	const struct kind *real = NULL;

	for (size_t i = 0; i < kind_table_len; i++)
		if (kind_table[i] && strcmp(kind_table[i]->name,
		    b->kind->name) == 0)
			real = kind_table[i];
	if (real == NULL || real->write(st, b, e) != 0)
		return -1;
	return audit_batch(st, b, e);
}

const struct kind *
audit_kind(const struct kind *k, struct kind *buf)
{
	*buf = *k;
	buf->write = audited_write;
	return buf;
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
