/*
 * test-ledger.c: the append-only award ledger on both backends: hash
 * chain, refusal of in-place updates and deletes by the store, detection
 * of an entry edited behind the program's back, revocation, base salary;
 * anchored heads (a cut or rewritten chain), signed heads (Ed25519).
 */
#include "testutil.h"

#include <sodium.h>

#include "award-ledger.h"
#include "award-pdf.h"
#include "award.h"
#include "store-award.h"

static void
seed(struct store *st)
{
	assert_int_equal(store_exec(st,
	    "INSERT INTO subjects (id, code, kind) VALUES (1, 'Z121', 'unit'), "
	    "(2, 'P1', 'person');"
	    "INSERT INTO units (id, name, kind) VALUES (1, 'Nhà máy Z121', "
	    "'enterprise');"
	    "INSERT INTO people (id, name, unit_id, category, joined) VALUES "
	    "(2, 'Nguyễn Văn Ấn', 1, 'employee', '2015-03-01');"
	    "INSERT INTO awards (year, subject_id, award, decision) VALUES "
	    "(2025, 2, 'LDTT', '12/QĐ')"), 0);
}

static void
append3(struct store *st)
{
	struct ledger_entry l;
	struct err e;
	const char *awards[3] = { "LDTT", "CSTDCS", "GK" };

	assert_int_equal(store_begin(st), 0);
	for (int i = 0; i < 3; i++) {
		test_ledger_entry(&l, "P1", awards[i], 702000 * (i + 1));
		assert_int_equal(ledger_append(st, &l, &e), 0);
		assert_int_equal(l.seq, i + 1);
		assert_int_equal(strlen(l.hash), 64);
	}
	assert_int_equal(store_commit(st), 0);
}

static void
chain_and_refusals(void **state)
{
	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = test_open(b);
		struct ledger_check c;
		struct ledger_entry l1, l2;
		struct err e;

		seed(st);
		append3(st);
		assert_int_equal(ledger_verify(st, &c, &e), 0);
		assert_int_equal(c.entries, 3);
		assert_int_equal(c.bad_seq, 0);
		assert_int_equal(store_award_ledger_get(st, 1, &l1, &e), 1);
		assert_int_equal(store_award_ledger_get(st, 2, &l2, &e), 1);
		assert_string_equal(l2.prev_hash, l1.hash);
		assert_string_equal(l1.signer, "Giám đốc Trần Văn Bình");
		/* The store refuses in-place edits and deletions. */
		assert_int_not_equal(store_exec(st,
		    "UPDATE ledger SET amount = 1 WHERE seq = 2"), 0);
		assert_int_not_equal(store_exec(st,
		    "DELETE FROM ledger WHERE seq = 3"), 0);
		assert_int_equal(ledger_verify(st, &c, &e), 0);
		assert_int_equal(c.bad_seq, 0);
		assert_int_equal(c.entries, 3);
		store_close(st);
	}
}

static void
tamper_detected(void **state)
{
	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = test_open(b);
		struct ledger_check c;
		struct err e;

		seed(st);
		append3(st);
		/* Behind the program's back: lift the guard and edit. */
		if (b == 0)
			assert_int_equal(store_exec(st,
			    "DROP TRIGGER ledger_no_update"), 0);
		else
			assert_int_equal(store_exec(st,
			    "ALTER TABLE ledger DISABLE TRIGGER ledger_no_update"),
			    0);
		assert_int_equal(store_exec(st,
		    "UPDATE ledger SET amount = 99000000 WHERE seq = 2"), 0);
		assert_int_equal(ledger_verify(st, &c, &e), 0);
		assert_int_equal(c.bad_seq, 2);
		assert_int_equal(c.entries, 3);
		store_close(st);
	}
}

/* Deleting the chain's last entry leaves no broken link; the decision's
 * recorded count still shows it missing. Decisions are guarded too. */
static void
tail_cut_detected(void **state)
{
	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = test_open(b);
		struct ledger_check c;
		struct err e;

		seed(st);
		append3(st);
		assert_int_equal(store_exec(st,
		    "INSERT INTO proposals (id, year, award, state, created_at, "
		    "updated_at) VALUES (1, 2025, 'LDTT', 'decided', 'x', 'x');"
		    "INSERT INTO decisions (proposal_id, number, date, signer, "
		    "base_salary, recipients, created_at) VALUES (1, "
		    "'12/QĐ-Z121', '2025-12-20', 'G', 2340000, 3, 'x')"), 0);
		assert_int_equal(ledger_verify(st, &c, &e), 0);
		assert_int_equal(c.bad_seq, 0);
		assert_int_equal(strlen(c.head), 64);
		assert_int_not_equal(store_exec(st,
		    "UPDATE decisions SET recipients = 2"), 0);
		assert_int_not_equal(store_exec(st, "DELETE FROM decisions"), 0);
		if (b == 0)
			assert_int_equal(store_exec(st,
			    "DROP TRIGGER ledger_no_delete"), 0);
		else
			assert_int_equal(store_exec(st,
			    "ALTER TABLE ledger DISABLE TRIGGER ledger_no_update"),
			    0);
		assert_int_equal(store_exec(st,
		    "DELETE FROM ledger WHERE seq = 3"), 0);
		assert_int_equal(ledger_verify(st, &c, &e), 0);
		assert_int_equal(c.entries, 2);
		assert_int_equal(c.bad_seq, 3);
		store_close(st);
	}
}

/* An anchor taken earlier: held while the chain grows, not once it is cut
 * back or rewritten; a revoked award whose revoke entry is gone. */
static void
anchored_head(void **state)
{
	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = test_open(b);
		struct ledger_revocation r = { 1, "Kê khai không trung thực",
		    "2026-02-01", NULL, NULL };
		struct ledger_head h, h2, bad;
		struct ledger_check c;
		struct err e;
		char old[AWARD_HASH];

		seed(st);
		assert_int_equal(ledger_head_get(st, &h, &e), 0);
		assert_int_equal(h.seq, 0);
		assert_int_equal(strspn(h.hash, "0"), 64);
		append3(st);
		assert_int_equal(ledger_head_get(st, &h, &e), 0);
		assert_int_equal(h.seq, 3);
		assert_int_equal(ledger_verify_at(st, &h, &c, &e), 0);
		assert_int_equal(c.bad_seq, 0);
		assert_true(c.anchored && c.held);
		assert_int_equal(c.head_seq, 3);
		/* The award revoked: a fourth entry; the old head still held. */
		assert_int_equal(ledger_revoke(st, &r, NULL, &e), 0);
		assert_int_equal(ledger_head_get(st, &h2, &e), 0);
		assert_int_equal(h2.seq, 4);
		assert_int_equal(ledger_verify_at(st, &h, &c, &e), 0);
		assert_int_equal(c.bad_seq, 0);
		assert_int_equal(c.entries, 4);
		/* Another hash for entry 3: named. */
		bad = h2;
		bad.seq = 3;
		assert_int_equal(ledger_verify_at(st, &bad, &c, &e), 0);
		assert_int_equal(c.bad_seq, 3);
		assert_false(c.held);
		/* The revocation cut from the end: plain verify names seq 4
		 * (the award is still marked revoked); so does the anchor. */
		if (b == 0)
			assert_int_equal(store_exec(st,
			    "DROP TRIGGER ledger_no_delete"), 0);
		else
			assert_int_equal(store_exec(st,
			    "ALTER TABLE ledger DISABLE TRIGGER USER"), 0);
		assert_int_equal(store_exec(st,
		    "DELETE FROM ledger WHERE seq = 4"), 0);
		assert_int_equal(ledger_verify(st, &c, &e), 0);
		assert_int_equal(c.entries, 3);
		assert_int_equal(c.bad_seq, 4);
		assert_non_null(strstr(c.why, "P1"));
		assert_int_equal(ledger_verify_at(st, &h2, &c, &e), 0);
		assert_int_equal(c.bad_seq, 4);
		assert_false(c.held);
		/* Rewritten in place with a fresh, consistent hash: the
		 * chain holds with itself, not with the anchor. */
		snprintf(old, sizeof old, "%s", h.hash);
		{
			struct ledger_entry l;
			char sql[256];

			assert_int_equal(store_award_ledger_get(st, 3, &l, &e), 1);
			l.amount = 1;
			ledger_hash(&l, l.hash);
			if (b == 0)
				assert_int_equal(store_exec(st,
				    "DROP TRIGGER ledger_no_update"), 0);
			snprintf(sql, sizeof sql, "UPDATE ledger SET amount = 1, "
			    "hash = '%s' WHERE seq = 3", l.hash);
			assert_int_equal(store_exec(st, sql), 0);
		}
		assert_int_equal(store_exec(st,
		    "UPDATE awards SET revoked = 0"), 0);
		assert_int_equal(ledger_verify(st, &c, &e), 0);
		assert_int_equal(c.bad_seq, 0);
		assert_string_not_equal(c.head, old);
		assert_int_equal(ledger_verify_at(st, &h, &c, &e), 0);
		assert_int_equal(c.bad_seq, 3);
		store_close(st);
	}
}

static void
head_parse(void **state)
{
	struct ledger_head h;
	struct err e;
	char buf[128];

	(void)state;
	memset(buf, 'A', sizeof buf);
	memcpy(buf, "12:", 3);
	buf[3 + 64] = '\0';
	assert_int_equal(ledger_head_parse(buf, "--head", &h, &e), 0);
	assert_int_equal(h.seq, 12);
	assert_int_equal(strspn(h.hash, "a"), 64);	/* lower-cased */
	buf[3 + 63] = 'g';
	assert_int_equal(ledger_head_parse(buf, "--head", &h, &e), -1);
	assert_int_equal(e.kind, ERR_USAGE);
	assert_string_equal(e.field, "--head");
	buf[3 + 63] = '\0';				/* 63 digits */
	assert_int_equal(ledger_head_parse(buf, "head", &h, &e), -1);
	assert_int_equal(ledger_head_parse("12", "head", &h, &e), -1);
	assert_int_equal(ledger_head_parse(NULL, "head", &h, &e), -1);
	memset(buf, '0', sizeof buf);
	memcpy(buf, "0:", 2);
	buf[2 + 64] = '\0';
	assert_int_equal(ledger_head_parse(buf, "head", &h, &e), 0);
	assert_int_equal(h.seq, 0);
	buf[5] = '1';				/* seq 0 is the zero hash only */
	assert_int_equal(ledger_head_parse(buf, "head", &h, &e), -1);
	buf[5] = '0';
	buf[0] = '-';
	assert_int_equal(ledger_head_parse(buf + 0, "head", &h, &e), -1);
}

/* Ed25519 over the canonical message: valid under its key only; any
 * field changed, or a digit of the signature, fails; the document reads
 * back as written; malformed documents name the line. */
static void
signed_heads(void **state)
{
	unsigned char pk[LEDGER_PK_BYTES], sk[LEDGER_SK_BYTES];
	unsigned char pk2[LEDGER_PK_BYTES], sk2[LEDGER_SK_BYTES];
	struct ledger_signed s, t;
	struct sb m, doc;
	struct err e;
	char hex[2 * LEDGER_PK_BYTES + 1];

	(void)state;
	assert_true(sodium_init() >= 0);
	crypto_sign_keypair(pk, sk);
	crypto_sign_keypair(pk2, sk2);
	memset(&s, 0, sizeof s);
	s.head.seq = 7;
	memset(s.head.hash, 'b', 64);
	snprintf(s.signed_at, sizeof s.signed_at, "2026-12-20T01:02:03Z");
	sb_init(&m);
	ledger_sign_message(&s, &m);
	assert_string_equal(m.s, "thidua-ledger-head-v1\nseq=7\nhash="
	    "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n"
	    "signed_at=2026-12-20T01:02:03Z\n");
	sb_free(&m);
	ledger_sign_raw(&s, sk);
	sodium_bin2hex(hex, sizeof hex, pk, sizeof pk);
	assert_string_equal(s.key, hex);
	assert_int_equal(strlen(s.sig), 128);
	assert_true(ledger_signed_valid(&s, pk));
	assert_false(ledger_signed_valid(&s, pk2));
	t = s;
	t.head.seq = 6;
	assert_false(ledger_signed_valid(&t, pk));
	t = s;
	t.head.hash[63] = 'c';
	assert_false(ledger_signed_valid(&t, pk));
	t = s;
	t.signed_at[18] = '4';
	assert_false(ledger_signed_valid(&t, pk));
	t = s;
	t.sig[0] = t.sig[0] == '0' ? '1' : '0';
	assert_false(ledger_signed_valid(&t, pk));
	t = s;
	t.sig[127] = '\0';				/* short */
	assert_false(ledger_signed_valid(&t, pk));

	sb_init(&doc);
	ledger_signed_text(&s, &doc);
	assert_int_equal(ledger_signed_parse(doc.s, "h.txt", &t, &e), 0);
	assert_int_equal(t.head.seq, 7);
	assert_string_equal(t.head.hash, s.head.hash);
	assert_string_equal(t.signed_at, s.signed_at);
	assert_string_equal(t.key, s.key);
	assert_string_equal(t.sig, s.sig);
	assert_true(ledger_signed_valid(&t, pk));
	/* Lines out of order, a bad value, extra text, another header. */
	{
		char *x = strdup(doc.s), *p = strstr(x, "seq=7");

		p[0] = 'h';			/* "heq=7": the seq line missing */
		assert_int_equal(ledger_signed_parse(x, "h.txt", &t, &e), -1);
		assert_int_equal(e.kind, ERR_USER);
		assert_int_equal(e.line, 2);
		assert_string_equal(e.file, "h.txt");
		strcpy(x, doc.s);
		p = strstr(x, "signed_at=") + 20;
		*p = 'x';			/* "2026-x2-20…" */
		assert_int_equal(ledger_signed_parse(x, "h.txt", &t, &e), -1);
		assert_string_equal(e.field, "signed_at");
		free(x);
		sb_puts(&doc, "more\n");
		assert_int_equal(ledger_signed_parse(doc.s, "h.txt", &t, &e), -1);
		assert_int_equal(ledger_signed_parse("thidua-ledger-v1\n", "h",
		    &t, &e), -1);
		assert_int_equal(e.line, 1);
	}
	sb_free(&doc);
}

static int64_t
revoked_flag(struct store *st)
{
	struct store_stmt *s = store_prepare(st,
	    "SELECT revoked FROM awards WHERE subject_id = 2 AND award = 'LDTT'");
	int64_t v;

	assert_non_null(s);
	assert_int_equal(store_step(s), STORE_ROW);
	v = store_col_int(s, 0);
	store_reset(s);
	return v;
}

static void
revocation(void **state)
{
	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = test_open(b);
		struct ledger_revocation r = { 1, "Kê khai không trung thực",
		    "2026-02-01", NULL, "Giám đốc" };
		struct ledger_entry l;
		struct ledger_check c;
		struct err e;
		struct sb out;

		seed(st);
		append3(st);
		assert_int_equal(revoked_flag(st), 0);
		assert_int_equal(ledger_revoke(st, &r, &l, &e), 0);
		assert_int_equal(l.seq, 4);
		assert_int_equal(l.ref, 1);
		assert_int_equal(l.amount, -702000);
		assert_string_equal(l.decision, "12/QĐ-Z121");
		assert_int_equal(revoked_flag(st), 1);
		/* Twice: refused, nothing written. */
		assert_int_equal(ledger_revoke(st, &r, NULL, &e), -1);
		assert_int_equal(e.kind, ERR_CONFLICT);
		/* A revocation cannot itself be revoked; no reason: refused. */
		r.seq = 4;
		assert_int_equal(ledger_revoke(st, &r, NULL, &e), -1);
		assert_int_equal(e.kind, ERR_USER);
		r.seq = 2;
		r.reason = "";
		assert_int_equal(ledger_revoke(st, &r, NULL, &e), -1);
		r.seq = 99;
		r.reason = "x";
		assert_int_equal(ledger_revoke(st, &r, NULL, &e), -1);
		assert_int_equal(e.kind, ERR_NOTFOUND);
		assert_int_equal(ledger_verify(st, &c, &e), 0);
		assert_int_equal(c.entries, 4);
		assert_int_equal(c.bad_seq, 0);
		sb_init(&out);
		assert_int_equal(ledger_json(st, "P1", &out, &e), 0);
		assert_non_null(strstr(out.s, "\"seq\": 1, \"kind\": \"award\""));
		assert_non_null(strstr(out.s, "\"revoked\": true"));
		assert_non_null(strstr(out.s, "\"ref\": 1"));
		sb_free(&out);
		store_close(st);
	}
}

static void
base_salary(void **state)
{
	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = test_open(b);
		struct err e;
		int64_t a = 0;

		assert_int_equal(store_award_base_salary(st, "2025-12-20", &a, &e), 1);
		assert_int_equal(a, 2340000);
		assert_int_equal(store_award_base_salary(st, "2026-06-30", &a, &e), 1);
		assert_int_equal(a, 2340000);
		assert_int_equal(store_award_base_salary(st, "2026-07-01", &a, &e), 1);
		assert_int_equal(a, 2530000);
		assert_int_equal(store_award_base_salary(st, "2024-06-30", &a, &e), 0);
		store_close(st);
	}
}

/* Cash: coefficient × base salary, ×2 for a collective's commendation,
 * rounded up to the đồng; no floating-point drift (0.3 × 2,340,000). */
static void
amounts(void **state)
{
	(void)state;
	assert_int_equal(decision_amount(0.3, 2340000, 0, 0), 702000);
	assert_int_equal(decision_amount(0.3, 2530000, 0, 1), 759000);
	assert_int_equal(decision_amount(0.3, 2530000, 1, 1), 1518000);
	assert_int_equal(decision_amount(1.5, 2530000, 1, 0), 3795000);
	assert_int_equal(decision_amount(4.5, 2340000, 0, 0), 10530000);
	assert_int_equal(decision_amount(0.0, 2340000, 0, 0), 0);
	assert_int_equal(decision_amount(0.3333, 1000001, 0, 0), 333301);
}

/* Thresholds: yes ≥ P % of all members; none: yes > members / 2. */
static void
thresholds(void **state)
{
	(void)state;
	assert_true(ballot_passes(10, 9, 90));
	assert_false(ballot_passes(10, 8, 90));
	assert_true(ballot_passes(11, 10, 90));		/* 90.9 % */
	assert_false(ballot_passes(11, 9, 90));		/* 81.8 % */
	assert_true(ballot_passes(3, 3, 100));
	assert_false(ballot_passes(3, 2, 100));
	assert_true(ballot_passes(10, 6, -1));
	assert_false(ballot_passes(10, 5, -1));		/* a tie is no majority */
	assert_true(ballot_passes(7, 4, -1));
}

static void
money_and_dates(void **state)
{
	char b[64];

	(void)state;
	doc_money(2340000, b, sizeof b);
	assert_string_equal(b, "2.340.000");
	doc_money(702000, b, sizeof b);
	assert_string_equal(b, "702.000");
	doc_money(-759000, b, sizeof b);
	assert_string_equal(b, "-759.000");
	doc_money(0, b, sizeof b);
	assert_string_equal(b, "0");
	doc_date_line("Phú Thọ", "2025-12-20", b, sizeof b);
	assert_string_equal(b, "Phú Thọ, ngày 20 tháng 12 năm 2025");
	doc_date_line("Phú Thọ", "2026-03-05", b, sizeof b);
	assert_string_equal(b, "Phú Thọ, ngày 05 tháng 3 năm 2026");
	doc_date_line(NULL, "2026-02-15", b, sizeof b);
	assert_string_equal(b, "ngày 15 tháng 02 năm 2026");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chain_and_refusals),
		cmocka_unit_test(tamper_detected),
		cmocka_unit_test(tail_cut_detected),
		cmocka_unit_test(revocation),
		cmocka_unit_test(anchored_head),
		cmocka_unit_test(head_parse),
		cmocka_unit_test(signed_heads),
		cmocka_unit_test(base_salary),
		cmocka_unit_test(amounts),
		cmocka_unit_test(thresholds),
		cmocka_unit_test(money_and_dates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
