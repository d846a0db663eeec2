/*
 * check.c: the soundness checks of a database (check.h), as a table: each
 * check fills its verdict and a line saying what it found.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "award-ledger.h"
#include "store.h"
#include "util.h"

static int
integrity(struct store *st, int *ok, char *d, size_t sz, struct err *e)
{
	char detail[256];
	int rc = store_integrity(st, detail, sizeof detail, e);

	if (rc < 0)
		return -1;
	*ok = rc == 1;
	if (store_backend(st) != STORE_SQLITE)
		snprintf(d, sz, "%s", TR("PostgreSQL tự kiểm tra trang dữ liệu "
		    "của nó", "PostgreSQL checks its own pages"));
	else
		snprintf(d, sz, "PRAGMA integrity_check: %s", *ok ? "ok" : detail);
	return 0;
}

static int
ledger(struct store *st, int *ok, char *d, size_t sz, struct err *e)
{
	struct ledger_check c;

	if (ledger_verify(st, &c, e) != 0)
		return -1;
	*ok = c.bad_seq == 0;
	if (*ok)
		snprintf(d, sz, "%" PRId64 " %s%s%.16s", c.entries,
		    TR("mục, chuỗi băm nguyên vẹn", "entries, the chain is whole"),
		    c.head[0] ? "; head " : "", c.head);
	else
		snprintf(d, sz, "%s %" PRId64 ": %s", TR("mục", "entry"),
		    c.bad_seq, c.why);
	return 0;
}

static int
migrations(struct store *st, int *ok, char *d, size_t sz, struct err *e)
{
	int have = store_schema_version(st), want = store_schema_latest(st);

	if (have < 0)
		return err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
	*ok = have == want;
	snprintf(d, sz, "%s %d, %s %d", TR("lược đồ", "schema"), have,
	    TR("phiên bản này cần", "this version needs"), want);
	return 0;
}

static const struct {
	const char	*name;
	int		(*fn)(struct store *, int *, char *, size_t, struct err *);
} checks[] = {
	{ "migrations", migrations },
	{ "integrity", integrity },
	{ "ledger", ledger },
};

int
check_run(struct store *st, struct check_report *r, struct err *e)
{
	memset(r, 0, sizeof *r);
	r->ok = 1;
	for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
		r->c[r->n].name = checks[i].name;
		if (checks[i].fn(st, &r->c[r->n].ok, r->c[r->n].detail,
		    sizeof r->c[r->n].detail, e) != 0)
			return -1;
		r->ok &= r->c[r->n].ok;
		r->n++;
		/* An empty or foreign schema: nothing more to read. */
		if (i == 0 && store_schema_version(st) <= 0) {
			r->ok = 0;
			break;
		}
	}
	return 0;
}

void
check_json(const struct check_report *r, struct sb *out)
{
	sb_printf(out, "{\"ok\": %s, \"checks\": [", r->ok ? "true" : "false");
	for (int i = 0; i < r->n; i++) {
		sb_printf(out, "%s{\"check\": \"%s\", \"ok\": %s, \"detail\": ",
		    i ? ", " : "", r->c[i].name, r->c[i].ok ? "true" : "false");
		sb_json_str(out, r->c[i].detail);
		sb_putc(out, '}');
	}
	sb_puts(out, "]}\n");
}

void
check_text(const struct check_report *r, struct sb *out)
{
	for (int i = 0; i < r->n; i++)
		sb_printf(out, "%-5s %s: %s\n", r->c[i].ok ? "ok" :
		    TR("LỖI", "FAULT"), r->c[i].name, r->c[i].detail);
}
