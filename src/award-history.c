/*
 * award-history.c: the `awards` import kind's rule. Award history has two
 * lawful sources: the ledger (a numbered decision of Thi đua, which writes
 * its own history row) and an administrator's import of what was decided
 * before Thi đua came into use (the dispatcher and the CLI let only the
 * administrator write this kind: KIND_ADMIN). An import therefore never
 * replaces a row the ledger wrote, nor brings back one a revocation
 * withdrew: a row with such a key is refused unless it says exactly what
 * is stored (an export read back in), which changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codemap.h"
#include "kinds.h"
#include "store-import.h"
#include "util.h"

/* Columns of the awards kind (kinds.c). */
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

void
check_awards(struct import_ctx *c, struct store *st, const struct batch *b)
{
	struct decided d;
	struct err e;

	memset(&d, 0, sizeof d);
	codemap_init(&d.keys);
	sb_init(&d.key);
	err_clear(&e);
	if (store_awards_decided_each(st, add, &d, &e) != 0)
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
}
