/*
 * award-kind.c: the `awards` import kind's rule. Award history has two
 * lawful sources: the ledger (a numbered decision of Thi đua, which writes
 * its own history row) and an administrator's import of what was decided
 * before Thi đua came into use (the dispatcher and the CLI let only the
 * administrator write this kind: KIND_ADMIN). An import therefore never
 * replaces a row the ledger wrote, nor brings back one a revocation
 * withdrew: a row with such a key is refused unless it says exactly what
 * is stored (an export read back in), which changes nothing. An award
 * the rule set calls `once` is granted at most once to a subject: a row
 * that would be a second grant (another year in the history or in the
 * file) is refused, naming the earlier decision.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codemap.h"
#include "import-kinds.h"
#include "rules.h"
#include "store-award.h"
#include "store-import.h"
#include "util.h"

/* Columns of the awards kind (import-kinds.c). */
enum { C_YEAR, C_SUBJECT, C_AWARD, C_DECISION, C_DATE, C_BASED_ON,
	C_SOURCE };

struct decided {
	struct codemap	 keys;		/* "year|subject|award" → index */
	struct sb	 key;		/* scratch */
	struct {
		char	*decision, *date, *based_on;
		int	 revoked;
	}		*rows;
	size_t		 n, cap;
};

static const char *
key_of(struct sb *k, const char *year, const char *subject, const char *award)
{
	sb_reset(k);
	sb_printf(k, "%s\x1f%s\x1f%s", year, subject, award);
	return k->s;
}

static int
add(void *arg, const struct award_decided *a)
{
	struct decided *d = arg;
	char y[16];

	snprintf(y, sizeof y, "%d", a->year);
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 16;
		d->rows = xrealloc(d->rows, d->cap * sizeof *d->rows);
	}
	d->rows[d->n].decision = xstrdup(a->decision);
	d->rows[d->n].date = xstrdup(a->date);
	d->rows[d->n].based_on = xstrdup(a->based_on);
	d->rows[d->n].revoked = a->revoked;
	codemap_put(&d->keys, key_of(&d->key, y, a->subject, a->award),
	    (int64_t)d->n, 0);
	d->n++;
	return 0;
}

static int
same(const char *stored, const char *v)
{
	return strcmp(stored, v ? v : "") == 0;
}

/* Whether award is once-only in year's rule set (cached by "year|award"). */
static int
once_award(struct store *st, struct codemap *cache, struct sb *k,
    const char *year, const char *award)
{
	struct award_info ai;
	struct err e;
	int64_t v;

	sb_reset(k);
	sb_printf(k, "%s\x1f%s", year, award);
	if (codemap_get(cache, k->s, &v, NULL))
		return (int)v;
	v = rules_award_info(st, atoi(year), award, &ai, &e) == 0 && ai.once;
	codemap_put(cache, k->s, v, 0);
	return (int)v;
}

/* The once-only rule over the batch (see the top of the file). */
static void
check_once(struct import_ctx *c, struct store *st, const struct batch *b)
{
	struct codemap cache, first;
	struct sb k;

	codemap_init(&cache);
	codemap_init(&first);
	sb_init(&k);
	for (size_t r = 0; r < b->nrows; r++) {
		const char *y = batch_val(b, r, C_YEAR);
		const char *subj = batch_val(b, r, C_SUBJECT);
		const char *aw = batch_val(b, r, C_AWARD);
		char dec[AWARD_TEXT], date[11];
		int64_t r0;
		int y0;
		struct err e;

		if (y == NULL || subj == NULL || aw == NULL ||
		    !once_award(st, &cache, &k, y, aw))
			continue;
		if (store_award_earlier(st, subj, aw, atoi(y), &y0, dec, date,
		    &e) == 1) {
			import_error(c, b, r, C_AWARD, "%s %s %s: %s %d (%s %s); %s",
			    aw, TR("của", "of"), subj, TR("đã được tặng năm",
			    "was already granted in"), y0, TR("quyết định",
			    "decision"), dec[0] ? dec : "?", TR("hình thức này chỉ "
			    "tặng một lần", "this award is granted only once"));
			continue;
		}
		sb_reset(&k);
		sb_printf(&k, "%s\x1f%s", subj, aw);
		if (codemap_get(&first, k.s, &r0, NULL)) {
			if (strcmp(batch_val(b, (size_t)r0, C_YEAR), y) != 0)
				import_error(c, b, r, C_AWARD, "%s %s %s: %s %s (%s); %s",
				    aw, TR("của", "of"), subj, TR("đã có ở năm",
				    "is already in the file for"),
				    batch_val(b, (size_t)r0, C_YEAR),
				    batch_val(b, (size_t)r0, C_DECISION) ?
				    batch_val(b, (size_t)r0, C_DECISION) : "?",
				    TR("hình thức này chỉ tặng một lần",
				    "this award is granted only once"));
		} else
			codemap_put(&first, k.s, (int64_t)r, 0);
	}
	codemap_free(&cache);
	codemap_free(&first);
	sb_free(&k);
}

void
check_awards(struct import_ctx *c, struct store *st, const struct batch *b)
{
	struct decided d;
	struct err e;

	memset(&d, 0, sizeof d);
	codemap_init(&d.keys);
	sb_init(&d.key);
	err_clear(&e);
	if (store_import_awards_decided_each(st, add, &d, &e) != 0)
		import_error(c, b, 0, -1, "%s", e.msg);
	for (size_t r = 0; r < b->nrows && e.kind == ERR_OK; r++) {
		const char *y = batch_val(b, r, C_YEAR);
		const char *subj = batch_val(b, r, C_SUBJECT);
		const char *aw = batch_val(b, r, C_AWARD);
		const char *src = batch_val(b, r, C_SOURCE);
		int64_t i;

		if (y == NULL || subj == NULL || aw == NULL)
			continue;	/* the cell checks said why */
		if (!codemap_get(&d.keys, key_of(&d.key, y, subj, aw), &i,
		    NULL)) {
			if (src && strcmp(src, "ledger") == 0)
				import_error(c, b, r, C_SOURCE, "%s %s %s %s: %s",
				    aw, y, TR("của", "of"), subj,
				    TR("sổ khen thưởng không có quyết định này; chỉ "
				    "một quyết định ghi vào sổ", "the ledger holds "
				    "no such decision; only a decision writes it"));
			continue;
		}
		if (d.rows[i].revoked) {
			import_error(c, b, r, C_AWARD, "%s %s %s %s: %s", aw, y,
			    TR("của", "of"), subj, TR("đã bị thu hồi trong sổ "
			    "khen thưởng; nhập lại không cấp lại được",
			    "was revoked in the ledger; an import cannot grant "
			    "it again"));
			continue;
		}
		if (same(d.rows[i].decision, batch_val(b, r, C_DECISION)) &&
		    same(d.rows[i].date, batch_val(b, r, C_DATE)) &&
		    same(d.rows[i].based_on, batch_val(b, r, C_BASED_ON)))
			continue;	/* read back as exported: left as it is */
		import_error(c, b, r, C_DECISION, "%s %s %s %s %s '%s' %s", aw, y,
		    TR("của", "of"), subj, TR("đã được quyết định bằng",
		    "was decided by decision"), d.rows[i].decision,
		    TR("trong sổ khen thưởng; chỉ một quyết định thu hồi "
		    "(thidua ledger revoke) mới thay đổi được",
		    "in the ledger; only a revocation (thidua ledger revoke) "
		    "changes it"));
	}
	for (size_t i = 0; i < d.n; i++) {
		free(d.rows[i].decision);
		free(d.rows[i].date);
		free(d.rows[i].based_on);
	}
	free(d.rows);
	codemap_free(&d.keys);
	sb_free(&d.key);
	check_once(c, st, b);
}
