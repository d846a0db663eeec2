/*
 * cmd-ledger.c: thidua ledger show [--subject CODE]
 *               thidua ledger verify
 *               thidua ledger revoke ENTRY --reason TEXT [--date DATE]
 *                   [--number NO] [--signer NAME]
 * Reads, checks and revokes entries of the append-only award ledger
 * (ledger.h). verify exits 0 when the chain is whole, 1 naming the first
 * entry that does not match.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "ledger.h"
#include "util.h"

/* Print s left-aligned in w columns (characters, not bytes). */
static void
cell(const char *s, int w)
{
	int n = 0;

	for (const char *p = s; *p; p++)
		n += (*p & 0xC0) != 0x80;
	printf("%s%*s ", s, n < w ? w - n : 0, "");
}

static int
print_row(void *ctx, const struct ledger_entry *l)
{
	(void)ctx;
	printf("%-6" PRId64 " %-7s ", l->seq, l->kind);
	cell(l->decision, 16);
	printf("%-10s %-12s %-8s %6d %14" PRId64 "  %.12s%s%s\n", l->date,
	    l->subject, l->award, l->year, l->amount, l->hash,
	    *l->reason ? "  " : "", l->reason);
	return 0;
}

/* One entry as a CSV row, every column of the ledger. */
static int
csv_row(void *ctx, const struct ledger_entry *l)
{
	struct sb *b = ctx;
	char n[4][24];
	const char *v[14];

	snprintf(n[0], sizeof n[0], "%" PRId64, l->seq);
	snprintf(n[1], sizeof n[1], "%d", l->year);
	snprintf(n[2], sizeof n[2], "%" PRId64, l->amount);
	snprintf(n[3], sizeof n[3], "%" PRId64, l->ref);
	v[0] = n[0], v[1] = l->kind, v[2] = l->decision, v[3] = l->date;
	v[4] = l->signer, v[5] = n[1], v[6] = l->subject, v[7] = l->award;
	v[8] = n[2], v[9] = l->based_on, v[10] = l->ref ? n[3] : "";
	v[11] = l->reason, v[12] = l->prev_hash, v[13] = l->hash;
	sb_reset(b);
	for (int i = 0; i < 14; i++) {
		if (i)
			sb_putc(b, ',');
		sb_csv_field(b, v[i]);
	}
	printf("%s\n", b->s);
	return 0;
}

static int
ledger_show(struct cli *cli, const char *subject, struct err *e)
{
	struct sb b;
	int rc;

	if (cli->format == FMT_CSV) {
		printf("seq,kind,decision,date,signer,year,subject,award,amount,"
		    "based_on,ref,reason,prev_hash,hash\n");
		sb_init(&b);
		rc = sl_ledger_each(cli->st, subject, NULL, csv_row, &b, e);
		sb_free(&b);
		return rc;
	}

	if (cli->format == FMT_JSON) {
		sb_init(&b);
		if ((rc = ledger_json(cli->st, subject, &b, e)) == 0)
			printf("%s\n", b.s);
		sb_free(&b);
		return rc;
	}
	cell(TR("Số TT", "Seq"), 6);
	cell(TR("Loại", "Kind"), 7);
	cell(TR("Quyết định", "Decision"), 16);
	cell(TR("Ngày", "Date"), 10);
	cell(TR("Đối tượng", "Subject"), 12);
	cell(TR("Khen", "Award"), 8);
	cell(TR("Năm", "Year"), 6);
	printf("%14s  %s\n", TR("Tiền (đ)", "Amount (VND)"),
	    TR("Mã băm", "Hash"));
	return sl_ledger_each(cli->st, subject, NULL, print_row, NULL, e);
}

static int
ledger_check(struct cli *cli, struct err *e)
{
	struct ledger_check c;
	struct sb b;

	if (ledger_verify(cli->st, &c, e) != 0)
		return -1;
	if (cli->format == FMT_JSON) {
		sb_init(&b);
		ledger_check_json(&c, &b);
		printf("%s\n", b.s);
		sb_free(&b);
	} else if (c.bad_seq == 0)
		printf("%s: %" PRId64 " %s%s%s\n", TR("Sổ khen thưởng nguyên vẹn",
		    "The award ledger is whole"), c.entries,
		    TR("mục", "entries"), c.head[0] ? TR(", mã băm cuối ",
		    ", last hash ") : "", c.head);
	if (c.bad_seq)
		return err_at(e, ERR_USER, NULL, 0, 0, "entry", "%s %" PRId64
		    ": %s", TR("sổ khen thưởng bị hỏng tại mục",
		    "the award ledger is broken at entry"), c.bad_seq, c.why);
	return 0;
}

static int
exec_ledger(struct cli *cli, int argc, char **argv, struct err *e)
{
	const char *subject = NULL, *reason = NULL, *date = NULL;
	const char *number = NULL, *signer = NULL;
	const struct opt opts[] = {
		{ "subject", OPT_STR, &subject },
		{ "reason", OPT_STR, &reason },
		{ "date", OPT_STR, &date },
		{ "number", OPT_STR, &number },
		{ "signer", OPT_STR, &signer },
		{ NULL, 0, NULL }
	};
	int n;

	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0)
		return -1;
	if (n == 1 && strcmp(argv[1], "show") == 0)
		return ledger_show(cli, subject, e);
	if (n == 1 && strcmp(argv[1], "verify") == 0)
		return ledger_check(cli, e);
	if (n == 2 && strcmp(argv[1], "revoke") == 0) {
		struct ledger_revocation r = { 0, reason, date, number, signer };
		struct ledger_entry l;
		struct sb b;
		int64_t seq;

		if (parse_i64(argv[2], &seq) != 0 || seq <= 0)
			return err_at(e, ERR_USAGE, NULL, 0, 0, "ENTRY",
			    "%s '%s'", TR("số thứ tự mục không hợp lệ",
			    "invalid entry number"), argv[2]);
		r.seq = seq;
		if (ledger_revoke(cli->st, &r, &l, e) != 0)
			return -1;
		if (cli->format == FMT_JSON) {
			sb_init(&b);
			ledger_entry_json(&l, &b);
			printf("%s\n", b.s);
			sb_free(&b);
		} else
			printf("%s %" PRId64 " (%s %" PRId64 ")\n",
			    TR("Đã ghi thu hồi: mục", "Revocation recorded: entry"),
			    l.seq, TR("thu hồi mục", "revokes entry"), l.ref);
		return 0;
	}
	return err_set(e, ERR_USAGE, "%s: thidua ledger show [--subject CODE]"
	    " | verify | revoke ENTRY --reason TEXT", TR("cách dùng", "usage"));
}

const struct cmd cmd_ledger = {
	"ledger", "show [--subject CODE] | verify | revoke ENTRY --reason TEXT",
	"sổ khen thưởng: xem, kiểm tra chuỗi băm, thu hồi",
	"the award ledger: show, verify the hash chain, revoke",
	CMD_DB, exec_ledger
};
