/*
 * award-ledger.c: hashing, appending, verifying and revoking entries of the
 * append-only award ledger (see award-ledger.h for the canonical form).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "audit.h"
#include "award-ledger.h"
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
ledger_hash(const struct ledger_entry *l, char out[AWARD_HASH])
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
	sodium_bin2hex(out, AWARD_HASH, h, sizeof h);
	sb_free(&b);
}

int
ledger_append(struct store *st, struct ledger_entry *l, struct err *e)
{
	int64_t last = 0;
	int rc;

	/* Appends are serialised in the database, whichever server makes
	 * them: the head read below stays the head until this commits. */
	if (store_award_ledger_lock(st, e) != 0 ||
	    (rc = store_award_ledger_last(st, &last, l->prev_hash, e)) < 0)
		return -1;
	if (rc == 0)
		snprintf(l->prev_hash, sizeof l->prev_hash, "%s", ZERO_HASH);
	l->seq = last + 1;
	ledger_hash(l, l->hash);
	return store_award_ledger_insert(st, l, e);
}

int
ledger_head_get(struct store *st, struct ledger_head *h, struct err *e)
{
	int rc;

	h->seq = 0;
	if ((rc = store_award_ledger_last(st, &h->seq, h->hash, e)) < 0)
		return -1;
	if (rc == 0)
		snprintf(h->hash, sizeof h->hash, "%s", ZERO_HASH);
	return 0;
}

int
ledger_head_parse(const char *s, const char *field, struct ledger_head *h,
    struct err *e)
{
	const char *colon = s ? strchr(s, ':') : NULL;
	char num[24];
	size_t i;

	if (colon == NULL || colon == s || (size_t)(colon - s) >= sizeof num ||
	    strlen(colon + 1) != AWARD_HASH - 1)
		goto bad;
	snprintf(num, sizeof num, "%.*s", (int)(colon - s), s);
	if (parse_i64(num, &h->seq) != 0 || h->seq < 0)
		goto bad;
	for (i = 0; i < AWARD_HASH - 1; i++) {
		char c = colon[1 + i];

		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			goto bad;
		h->hash[i] = c;
	}
	h->hash[i] = '\0';
	if (h->seq == 0 && strcmp(h->hash, ZERO_HASH) != 0)
		goto bad;
	return 0;
bad:
	return err_at(e, ERR_USAGE, NULL, 0, 0, field, "%s '%s'", TR(
	    "cần SỐ_TT:MÃ_BĂM (mã băm 64 chữ số hex)",
	    "expected SEQ:HASH (a hash of 64 hex digits)"), s ? s : "");
}

void
ledger_head_json(const struct ledger_head *h, struct sb *out)
{
	sb_printf(out, "{\"seq\": %" PRId64 ", \"hash\": ", h->seq);
	sb_json_str(out, h->hash);
	sb_puts(out, "}");
}

/* Record a fault at seq unless an earlier one is already known. */
static void
fault(struct ledger_check *c, int64_t seq, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void
fault(struct ledger_check *c, int64_t seq, const char *fmt, ...)
{
	va_list ap;

	if (c->bad_seq && c->bad_seq <= seq)
		return;
	c->bad_seq = seq;
	va_start(ap, fmt);
	vsnprintf(c->why, sizeof c->why, fmt, ap);
	va_end(ap);
}

struct walk {
	struct ledger_check	*c;
	const struct ledger_head *anchor;	/* NULL: none */
	char			 prev[AWARD_HASH];
	int64_t			 seq;		/* last seq of the whole prefix */
	int64_t			 last;		/* last seq read */
	int			 found;		/* anchor->seq was read: */
	int			 same;		/* with anchor->hash */
};

static int
check_one(void *ctx, const struct ledger_entry *l)
{
	struct walk *w = ctx;
	char h[AWARD_HASH];

	w->c->entries++;
	w->last = l->seq;
	if (w->anchor && l->seq == w->anchor->seq) {
		w->found = 1;
		w->same = strcmp(l->hash, w->anchor->hash) == 0;
	}
	if (w->c->bad_seq)
		return 0;
	if (l->seq != w->seq + 1) {
		fault(w->c, w->seq + 1, "%s", TR(
		    "mục này bị thiếu (chuỗi bị cắt)",
		    "this entry is missing (the chain is cut)"));
		return 0;
	}
	w->seq = l->seq;
	if (strcmp(l->prev_hash, w->prev) != 0) {
		fault(w->c, l->seq, "%s", TR(
		    "mã băm của mục trước không khớp",
		    "the previous entry's hash does not match"));
		return 0;
	}
	ledger_hash(l, h);
	if (strcmp(h, l->hash) != 0) {
		fault(w->c, l->seq, "%s", TR(
		    "nội dung không khớp với mã băm đã ghi (đã bị sửa)",
		    "the content does not match its recorded hash (edited)"));
		return 0;
	}
	snprintf(w->prev, sizeof w->prev, "%s", l->hash);
	snprintf(w->c->head, sizeof w->c->head, "%s", l->hash);
	w->c->head_seq = l->seq;
	return 0;
}

/* The anchor against what the walk read. */
static void
check_anchor(struct walk *w)
{
	struct ledger_check *c = w->c;
	const struct ledger_head *a = w->anchor;

	c->anchored = 1;
	c->anchor = *a;
	if (a->seq == 0)		/* the empty ledger: any chain holds it */
		c->held = 1;
	else if (w->found && w->same)
		c->held = 1;
	else if (w->found)
		fault(c, a->seq, "%s", TR("mã băm của mục này khác với mã băm "
		    "đã neo (chuỗi đã bị viết lại)", "this entry's hash differs "
		    "from the anchored one (the chain was rewritten)"));
	else
		fault(c, w->last + 1, "%s %" PRId64 " %s", TR(
		    "mục này bị thiếu: sổ phải có đến mục",
		    "this entry is missing: the ledger must reach entry"),
		    a->seq, TR("(đã neo)", "(anchored)"));
}

static int
check_decision(void *ctx, const char *number, long recorded, long found)
{
	struct ledger_check *c = ctx;

	if (found < recorded)
		fault(c, c->entries + 1, "%s %s: %ld / %ld", TR(
		    "thiếu mục của quyết định", "entries missing for decision"),
		    number, found, recorded);
	return 0;
}

static int
check_revoked(void *ctx, int year, const char *subject, const char *award)
{
	struct ledger_check *c = ctx;

	fault(c, c->entries + 1, "%s %d %s %s", TR(
	    "thiếu mục thu hồi của khen thưởng đã đánh dấu thu hồi",
	    "the revocation entry is missing for the revoked award"),
	    year, subject, award);
	return 0;
}

int
ledger_verify_at(struct store *st, const struct ledger_head *anchor,
    struct ledger_check *c, struct err *e)
{
	struct walk w;

	memset(c, 0, sizeof *c);
	memset(&w, 0, sizeof w);
	w.c = c;
	w.anchor = anchor;
	snprintf(w.prev, sizeof w.prev, "%s", ZERO_HASH);
	if (store_award_ledger_each(st, NULL, NULL, check_one, &w, e) != 0)
		return -1;
	if (anchor)
		check_anchor(&w);
	if (store_award_decision_counts(st, check_decision, c, e) != 0)
		return -1;
	return store_award_revoked_unrecorded(st, check_revoked, c, e);
}

int
ledger_verify(struct store *st, struct ledger_check *c, struct err *e)
{
	return ledger_verify_at(st, NULL, c, e);
}

static void
json_str_or_null(struct sb *out, const char *s)
{
	if (s[0])
		sb_json_str(out, s);
	else
		sb_puts(out, "null");
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
	json_str_or_null(out, c->head);
	if (c->head[0])
		sb_printf(out, ", \"head_seq\": %" PRId64, c->head_seq);
	else
		sb_puts(out, ", \"head_seq\": null");
	sb_puts(out, ", \"anchor\": ");
	if (!c->anchored) {
		sb_puts(out, "null}");
		return;
	}
	sb_printf(out, "{\"seq\": %" PRId64 ", \"hash\": ", c->anchor.seq);
	sb_json_str(out, c->anchor.hash);
	sb_printf(out, ", \"held\": %s, \"signed_at\": ",
	    c->held ? "true" : "false");
	json_str_or_null(out, c->signed_at);
	sb_puts(out, ", \"key\": ");
	json_str_or_null(out, c->key);
	sb_puts(out, "}}");
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
	if ((rc = store_award_ledger_get(st, r->seq, &orig, e)) <= 0) {
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
	if ((rc = store_award_ledger_revoked(st, r->seq, e)) != 0) {
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
	    store_award_revoke(st, l.year, l.subject, l.award, e) != 0 ||
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

	if (store_award_ledger_each(st, subject, NULL, collect_one, &c,
	    e) != 0) {
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
