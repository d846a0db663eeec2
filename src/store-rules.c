/*
 * store-rules.c: rule-set versions (YAML text keyed by code + effective).
 * The eligibility snapshot's loader is store-elig.c.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codemap.h"
#include "store.h"
#include "store-rules.h"
#include "util.h"

static const char Q_RS_GET1[] =
    "SELECT source FROM rule_sets WHERE code = $1 AND effective = $2";
static const char Q_RS_INS[] =
    "INSERT INTO rule_sets (code, effective, source, loaded_at) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (code, effective) DO UPDATE SET source = excluded.source, "
    "loaded_at = excluded.loaded_at";

int
store_rules_put(struct store *st, const char *code, const char *effective,
    const char *source, int *changed, struct err *e)
{
	struct store_stmt *s = store_prepare(st, Q_RS_GET1);
	char now[11];
	int rc;

	*changed = 1;
	if (s == NULL)
		return store_err(st, e);
	store_bind_text(s, 1, code);
	store_bind_text(s, 2, effective);
	rc = store_step(s);
	if (rc == STORE_ROW && strcmp(store_col_text(s, 0), source) == 0)
		*changed = 0;
	store_reset(s);
	if (rc < 0)
		return store_err(st, e);
	if (!*changed)
		return 0;
	if ((s = store_prepare(st, Q_RS_INS)) == NULL)
		return store_err(st, e);
	date_format(date_today(), now);
	store_bind_text(s, 1, code);
	store_bind_text(s, 2, effective);
	store_bind_text(s, 3, source);
	store_bind_text(s, 4, now);
	if (store_run(s) != 0)
		return store_err(st, e);
	return 0;
}

static const char Q_RS_ON[] =
    "SELECT source FROM rule_sets WHERE effective <= $1 "
    "ORDER BY effective DESC, code LIMIT 1";
static const char Q_RS_CODE_ON[] =
    "SELECT source FROM rule_sets WHERE code = $1 AND effective <= $2 "
    "ORDER BY effective DESC LIMIT 1";
static const char Q_RS_CODE[] =
    "SELECT source FROM rule_sets WHERE code = $1 ORDER BY effective DESC LIMIT 1";

char *
store_rules_get(struct store *st, const char *on, const char *code, struct err *e)
{
	struct store_stmt *s;
	char *src = NULL;
	int rc;

	if (code == NULL) {
		s = store_prepare(st, Q_RS_ON);
		if (s != NULL)
			store_bind_text(s, 1, on);
	} else if (on != NULL) {
		s = store_prepare(st, Q_RS_CODE_ON);
		if (s != NULL) {
			store_bind_text(s, 1, code);
			store_bind_text(s, 2, on);
		}
	} else {
		s = store_prepare(st, Q_RS_CODE);
		if (s != NULL)
			store_bind_text(s, 1, code);
	}
	if (s == NULL) {
		store_err(st, e);
		return NULL;
	}
	rc = store_step(s);
	if (rc == STORE_ROW)
		src = xstrdup(store_col_text(s, 0));
	store_reset(s);
	if (rc < 0)
		store_err(st, e);
	else if (src == NULL)
		err_set(e, ERR_NOTFOUND, "%s%s%s%s%s%s",
		    TR("không có bộ quy tắc", "no rule set"),
		    code ? " " : "", code ? code : "",
		    on ? TR(" có hiệu lực đến ", " in force on ") : "", on ? on : "",
		    code ? "" : TR(" (chọn bộ khác bằng --rule-set MÃ)",
		    " (pick one with --rule-set CODE)"));
	return src;
}

static const char Q_RS_ALL[] =
    "SELECT code, effective FROM rule_sets ORDER BY effective, code";

int
store_rules_each(struct store *st, int (*fn)(void *, const char *,
    const char *), void *arg, struct err *e)
{
	struct store_stmt *s = store_prepare(st, Q_RS_ALL);
	int rc, r = 0;

	if (s == NULL)
		return store_err(st, e);
	while (r == 0 && (rc = store_step(s)) == STORE_ROW)
		r = fn(arg, store_col_text(s, 0), store_col_text(s, 1));
	store_reset(s);
	return r != 0 ? r : rc < 0 ? store_err(st, e) : 0;
}
