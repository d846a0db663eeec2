/*
 * ledger.c: hashing, appending, verifying and revoking entries of the
 * append-only award ledger (see ledger.h for the canonical form).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "audit.h"
#include "ledger.h"
#include "store.h"
#include "util.h"

#define ZERO_HASH \
	"0000000000000000000000000000000000000000000000000000000000000000"

static void
field(struct sb *b, const char *name, const char *v)
{
	sb_printf(b, "%s=%zu:%s\n", name, strlen(v), v);
}

static void
field_int(struct sb *b, const char *name, int64_t v)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%" PRId64, v);
	field(b, name, buf);
}

void
ledger_hash(const struct ledger_entry *l, char out[SL_HASH])
{
	unsigned char h[32];
	struct sb b;

	if (sodium_init() < 0)
		abort();	/* no usable randomness source: cannot happen on Linux */
	sb_init(&b);
	sb_puts(&b, "thidua-ledger-v1\n");
	field_int(&b, "seq", l->seq);
	field(&b, "kind", l->kind);
	field(&b, "decision", l->decision);
	field(&b, "date", l->date);
	field(&b, "signer", l->signer);
	field_int(&b, "year", l->year);
	field(&b, "subject", l->subject);
	field(&b, "award", l->award);
	field_int(&b, "amount", l->amount);
	field(&b, "based_on", l->based_on);
	field_int(&b, "ref", l->ref);
	field(&b, "reason", l->reason);
	field(&b, "prev_hash", l->prev_hash);
	crypto_generichash(h, sizeof h, (const unsigned char *)b.s, b.len,
	    NULL, 0);
	sodium_bin2hex(out, SL_HASH, h, sizeof h);
	sb_free(&b);
}

int
ledger_append(struct store *st, struct ledger_entry *l, struct err *e)
{
	int64_t last = 0;
	int rc;

	if ((rc = sl_ledger_last(st, &last, l->prev_hash, e)) < 0)
		return -1;
	if (rc == 0)
		snprintf(l->prev_hash, sizeof l->prev_hash, "%s", ZERO_HASH);
	l->seq = last + 1;
	ledger_hash(l, l->hash);
	return sl_ledger_insert(st, l, e);
}

struct walk {
	struct ledger_check	*c;
	char			 prev[SL_HASH];
	int64_t			 seq;
};

static int
check_one(void *ctx, const struct ledger_entry *l)
{
	struct walk *w = ctx;
	char h[SL_HASH];

	w->c->entries++;
	if (w->c->bad_seq)
		return 0;
	if (l->seq != w->seq + 1) {
		w->c->bad_seq = w->seq + 1;
		snprintf(w->c->why, sizeof w->c->why, "%s", TR(
		    "mục này bị thiếu (chuỗi bị cắt)",
		    "this entry is missing (the chain is cut)"));
		return 0;
	}
	w->seq = l->seq;
	if (strcmp(l->prev_hash, w->prev) != 0) {
		w->c->bad_seq = l->seq;
		snprintf(w->c->why, sizeof w->c->why, "%s", TR(
		    "mã băm của mục trước không khớp",
		    "the previous entry's hash does not match"));
		return 0;
	}
	ledger_hash(l, h);
	if (strcmp(h, l->hash) != 0) {
		w->c->bad_seq = l->seq;
		snprintf(w->c->why, sizeof w->c->why, "%s", TR(
		    "nội dung không khớp với mã băm đã ghi (đã bị sửa)",
		    "the content does not match its recorded hash (edited)"));
		return 0;
	}
	snprintf(w->prev, sizeof w->prev, "%s", l->hash);
	snprintf(w->c->head, sizeof w->c->head, "%s", l->hash);
	return 0;
}

static int
check_decision(void *ctx, const char *number, long recorded, long found)
{
	struct ledger_check *c = ctx;

	if (c->bad_seq || found >= recorded)
		return 0;
	c->bad_seq = c->entries + 1;
	snprintf(c->why, sizeof c->why, "%s %s: %ld / %ld", TR(
	    "thiếu mục của quyết định", "entries missing for decision"),
	    number, found, recorded);
	return 0;
}

int
ledger_verify(struct store *st, struct ledger_check *c, struct err *e)
{
	struct walk w;

	memset(c, 0, sizeof *c);
	memset(&w, 0, sizeof w);
	w.c = c;
	snprintf(w.prev, sizeof w.prev, "%s", ZERO_HASH);
	if (sl_ledger_each(st, NULL, NULL, check_one, &w, e) != 0)
		return -1;
	return sl_decision_counts(st, check_decision, c, e);
}

void
ledger_check_json(const struct ledger_check *c, struct sb *out)
{
	sb_printf(out, "{\"ok\": %s, \"entries\": %" PRId64 ", \"first_bad\": ",
	    c->bad_seq ? "false" : "true", c->entries);
	if (c->bad_seq) {
		sb_printf(out, "%" PRId64 ", \"reason\": ", c->bad_seq);
		sb_json_str(out, c->why);
	} else
		sb_puts(out, "null, \"reason\": null");
	sb_puts(out, ", \"head\": ");
	if (c->head[0])
		sb_json_str(out, c->head);
	else
		sb_puts(out, "null");
	sb_puts(out, "}");
}

/* The audit entry of a revocation: the entry revoked and the new one. */
static int
audit_revocation(struct store *st, const struct ledger_entry *orig,
    const struct ledger_entry *l, struct err *e)
{
	return audit_record_json(st, "revoke", "ledger", l->subject,
	    json_pack("{s:I, s:s, s:i, s:s}", "seq", (json_int_t)orig->seq,
	    "decision", orig->decision, "year", orig->year, "award",
	    orig->award), json_pack("{s:I, s:I, s:s, s:s, s:s, s:I}", "seq",
	    (json_int_t)l->seq, "ref", (json_int_t)l->ref, "reason", l->reason,
	    "decision", l->decision, "hash", l->hash, "amount",
	    (json_int_t)l->amount), e);
}

int
ledger_revoke(struct store *st, const struct ledger_revocation *r,
    struct ledger_entry *out, struct err *e)
{
	struct ledger_entry orig, l;
	int rc;

	if (r->reason == NULL || *r->reason == '\0')
		return err_at(e, ERR_USAGE, NULL, 0, 0, "reason", "%s", TR(
		    "cần ghi lý do thu hồi", "a reason for the revocation is required"));
	if (strlen(r->reason) >= sizeof l.reason)
		return err_at(e, ERR_USER, NULL, 0, 0, "reason", "%s", TR(
		    "lý do quá dài", "the reason is too long"));
	memset(&l, 0, sizeof l);
	if (r->date && *r->date) {
		int32_t d;

		if (date_parse(r->date, &d) != 0)
			return err_at(e, ERR_USER, NULL, 0, 0, "date",
			    "%s '%s'", TR("ngày không hợp lệ", "invalid date"),
			    r->date);
		snprintf(l.date, sizeof l.date, "%s", r->date);
	} else
		date_format(date_today(), l.date);
	if (store_begin(st) != 0)
		return err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
	if ((rc = sl_ledger_get(st, r->seq, &orig, e)) <= 0) {
		if (rc == 0)
			err_at(e, ERR_NOTFOUND, NULL, 0, 0, "entry",
			    "%s %" PRId64, TR("không có mục sổ",
			    "no ledger entry"), r->seq);
		goto fail;
	}
	if (strcmp(orig.kind, "award") != 0) {
		err_at(e, ERR_USER, NULL, 0, 0, "entry", "%s %" PRId64 " %s",
		    TR("mục", "entry"), r->seq, TR("là một lần thu hồi, "
		    "không phải khen thưởng", "is a revocation, not an award"));
		goto fail;
	}
	if ((rc = sl_ledger_revoked(st, r->seq, e)) != 0) {
		if (rc > 0)
			err_at(e, ERR_CONFLICT, NULL, 0, 0, "entry",
			    "%s %" PRId64 " %s", TR("mục", "entry"), r->seq,
			    TR("đã bị thu hồi", "is already revoked"));
		goto fail;
	}
	snprintf(l.kind, sizeof l.kind, "revoke");
	snprintf(l.decision, sizeof l.decision, "%s",
	    r->decision && *r->decision ? r->decision : orig.decision);
	snprintf(l.signer, sizeof l.signer, "%s", r->signer ? r->signer : "");
	l.year = orig.year;
	snprintf(l.subject, sizeof l.subject, "%s", orig.subject);
	snprintf(l.award, sizeof l.award, "%s", orig.award);
	l.amount = -orig.amount;
	snprintf(l.based_on, sizeof l.based_on, "%s", orig.based_on);
	l.ref = orig.seq;
	snprintf(l.reason, sizeof l.reason, "%s", r->reason);
	if (ledger_append(st, &l, e) != 0 ||
	    sl_award_revoke(st, l.year, l.subject, l.award, e) != 0 ||
	    audit_revocation(st, &orig, &l, e) != 0)
		goto fail;
	if (store_commit(st) != 0) {
		err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
		goto fail;
	}
	if (out)
		*out = l;
	return 0;
fail:
	store_rollback(st);
	return -1;
}

void
ledger_entry_json(const struct ledger_entry *l, struct sb *o)
{
	const char *p, *q;
	int first = 1;

	sb_printf(o, "{\"seq\": %" PRId64 ", \"kind\": ", l->seq);
	sb_json_str(o, l->kind);
	sb_puts(o, ", \"decision\": ");
	sb_json_str(o, l->decision);
	sb_puts(o, ", \"date\": ");
	sb_json_str(o, l->date);
	sb_puts(o, ", \"signer\": ");
	sb_json_str(o, l->signer);
	sb_printf(o, ", \"year\": %d, \"subject\": ", l->year);
	sb_json_str(o, l->subject);
	sb_puts(o, ", \"award\": ");
	sb_json_str(o, l->award);
	sb_printf(o, ", \"amount\": %" PRId64 ", \"based_on\": [", l->amount);
	for (p = l->based_on; *p; p = *q ? q + 1 : q) {
		char code[64];

		q = strchr(p, ';');
		if (q == NULL)
			q = p + strlen(p);
		snprintf(code, sizeof code, "%.*s", (int)(q - p), p);
		if (!first)
			sb_puts(o, ", ");
		sb_json_str(o, code);
		first = 0;
	}
	sb_puts(o, "], \"ref\": ");
	if (l->ref)
		sb_printf(o, "%" PRId64, l->ref);
	else
		sb_puts(o, "null");
	sb_puts(o, ", \"reason\": ");
	sb_json_str(o, l->reason);
	sb_puts(o, ", \"prev_hash\": ");
	sb_json_str(o, l->prev_hash);
	sb_puts(o, ", \"hash\": ");
	sb_json_str(o, l->hash);
	sb_puts(o, "}");
}

struct collect {
	struct ledger_entry	*v;
	size_t			 n, cap;
};

static int
collect_one(void *ctx, const struct ledger_entry *l)
{
	struct collect *c = ctx;

	grow(&c->v, &c->cap, c->n + 1, sizeof *c->v);
	c->v[c->n++] = *l;
	return 0;
}

/* Position of entry SEQ in v[0..n) (sorted by seq), or -1. */
static long
find_seq(const struct ledger_entry *v, size_t n, int64_t seq)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo].seq == seq ? (long)lo : -1;
}

int
ledger_json(struct store *st, const char *subject, struct sb *out,
    struct err *e)
{
	struct collect c = { NULL, 0, 0 };
	unsigned char *revoked;
	size_t i;

	if (sl_ledger_each(st, subject, NULL, collect_one, &c, e) != 0) {
		free(c.v);
		return -1;
	}
	revoked = xcalloc(c.n + 1, 1);
	for (i = 0; i < c.n; i++) {
		long k = c.v[i].ref ? find_seq(c.v, i, c.v[i].ref) : -1;

		if (k >= 0)
			revoked[k] = 1;
	}
	sb_puts(out, "{\"entries\": [");
	for (i = 0; i < c.n; i++) {
		if (i)
			sb_puts(out, ",\n ");
		ledger_entry_json(&c.v[i], out);
		/* Append "revoked" inside the object just written. */
		out->s[--out->len] = '\0';
		sb_printf(out, ", \"revoked\": %s}",
		    revoked[i] ? "true" : "false");
	}
	sb_puts(out, "]}");
	free(revoked);
	free(c.v);
	return 0;
}
