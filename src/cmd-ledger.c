/*
 * cmd-ledger.c: thidua ledger show [--subject CODE]
 *               thidua ledger head
 *               thidua ledger verify [--head SEQ:HASH]
 *                   [--signed FILE --pubkey FILE]
 *               thidua ledger revoke ENTRY --reason TEXT [--date DATE]
 *                   [--number NO] [--signer NAME]
 *               thidua ledger keygen -o FILE
 *               thidua ledger sign --key FILE [-o FILE]
 * Reads, checks, anchors and revokes entries of the append-only award
 * ledger (award-ledger.h). verify exits 0 when the chain is whole (and holds
 * the anchor given), 1 naming the first entry that does not match.
 * keygen works without a database: the key belongs on another machine.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "award-ledger.h"
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
		rc = store_award_ledger_each(cli->st, subject, NULL,
		    csv_row, &b, e);
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
	return store_award_ledger_each(cli->st, subject, NULL, print_row,
	    NULL, e);
}

/* Every option of every subcommand (each reads its own). */
struct lopts {
	const char	*subject, *reason, *date, *number, *signer;
	const char	*head, *signedf, *pubkey, *key, *output;
};

static int
ledger_head(struct cli *cli, const struct lopts *o, char **pos,
    struct err *e)
{
	struct ledger_head h;
	struct sb b;

	(void)o;
	(void)pos;
	if (ledger_head_get(cli->st, &h, e) != 0)
		return -1;
	if (cli->format == FMT_JSON) {
		sb_init(&b);
		ledger_head_json(&h, &b);
		printf("%s\n", b.s);
		sb_free(&b);
	} else
		printf("%" PRId64 " %s\n", h.seq, h.hash);
	return 0;
}

static int
ledger_check(struct cli *cli, const struct lopts *o, char **pos,
    struct err *e)
{
	struct ledger_check c;
	struct ledger_head a;
	struct sb b;
	int rc;

	(void)pos;
	if (o->head && (o->signedf || o->pubkey))
		return err_at(e, ERR_USAGE, NULL, 0, 0, "--head", "%s", TR(
		    "dùng --head hoặc --signed, không dùng cả hai",
		    "give --head or --signed, not both"));
	if (!o->signedf != !o->pubkey)
		return err_at(e, ERR_USAGE, NULL, 0, 0, o->signedf ? "--pubkey" :
		    "--signed", "%s", TR("--signed và --pubkey đi cùng nhau",
		    "--signed and --pubkey go together"));
	if (o->head && ledger_head_parse(o->head, "--head", &a, e) != 0)
		return -1;
	if (o->signedf)
		rc = ledger_verify_signed(cli->st, o->signedf, o->pubkey, &c, e);
	else
		rc = ledger_verify_at(cli->st, o->head ? &a : NULL, &c, e);
	if (rc != 0)
		return -1;
	if (cli->format == FMT_JSON) {
		sb_init(&b);
		ledger_check_json(&c, &b);
		printf("%s\n", b.s);
		sb_free(&b);
	} else if (c.bad_seq == 0) {
		printf("%s: %" PRId64 " %s%s%s\n", TR("Sổ khen thưởng nguyên vẹn",
		    "The award ledger is whole"), c.entries,
		    TR("mục", "entries"), c.head[0] ? TR(", mã băm cuối ",
		    ", last hash ") : "", c.head);
		if (c.anchored)
			printf("%s %" PRId64 " %s%s%s\n", TR("Có mục đã neo",
			    "Holds the anchored entry"), c.anchor.seq,
			    c.anchor.hash, c.signed_at[0] ? TR(", ký lúc ",
			    ", signed at ") : "", c.signed_at);
	}
	if (c.bad_seq)
		return err_at(e, ERR_USER, NULL, 0, 0, "entry", "%s %" PRId64
		    ": %s", TR("sổ khen thưởng bị hỏng tại mục",
		    "the award ledger is broken at entry"), c.bad_seq, c.why);
	return 0;
}

static int
ledger_show_sub(struct cli *cli, const struct lopts *o, char **pos,
    struct err *e)
{
	(void)pos;
	return ledger_show(cli, o->subject, e);
}

static int
ledger_revoke_sub(struct cli *cli, const struct lopts *o, char **pos,
    struct err *e)
{
	struct ledger_revocation r = { 0, o->reason, o->date, o->number,
	    o->signer };
	struct ledger_entry l;
	struct sb b;
	int64_t seq;

	if (parse_i64(pos[0], &seq) != 0 || seq <= 0)
		return err_at(e, ERR_USAGE, NULL, 0, 0, "ENTRY",
		    "%s '%s'", TR("số thứ tự mục không hợp lệ",
		    "invalid entry number"), pos[0]);
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

static int
ledger_keygen_sub(struct cli *cli, const struct lopts *o, char **pos,
    struct err *e)
{
	(void)pos;
	if (o->output == NULL)
		return err_at(e, ERR_USAGE, NULL, 0, 0, "-o", "%s", TR(
		    "cần -o TỆP cho khoá bí mật",
		    "-o FILE for the secret key is required"));
	if (ledger_keygen(o->output, e) != 0)
		return -1;
	if (cli->format == FMT_JSON) {
		char pub[4096];
		struct sb b;

		snprintf(pub, sizeof pub, "%s.pub", o->output);
		sb_init(&b);
		sb_puts(&b, "{\"secret_key\": ");
		sb_json_str(&b, o->output);
		sb_puts(&b, ", \"public_key\": ");
		sb_json_str(&b, pub);
		sb_puts(&b, "}");
		printf("%s\n", b.s);
		sb_free(&b);
	} else
		printf("%s: %s (%s), %s.pub (%s)\n", TR("Đã tạo cặp khoá",
		    "Key pair written"), o->output, TR("bí mật, giữ ngoài máy "
		    "chủ", "secret, keep it off the server"), o->output,
		    TR("công khai", "public"));
	return 0;
}

static int
ledger_sign_sub(struct cli *cli, const struct lopts *o, char **pos,
    struct err *e)
{
	struct ledger_signed s;
	struct sb b;
	FILE *f;

	(void)pos;
	if (o->key == NULL)
		return err_at(e, ERR_USAGE, NULL, 0, 0, "--key", "%s", TR(
		    "cần --key TỆP (khoá bí mật)",
		    "--key FILE (the secret key) is required"));
	if (ledger_sign(cli->st, o->key, NULL, &s, e) != 0)
		return -1;
	sb_init(&b);
	ledger_signed_text(&s, &b);
	if (o->output == NULL) {
		fputs(b.s, stdout);
		sb_free(&b);
		return 0;
	}
	if ((f = fopen(o->output, "w")) == NULL || fputs(b.s, f) < 0 ||
	    fclose(f) != 0) {
		sb_free(&b);
		return err_at(e, ERR_USER, o->output, 0, 0, NULL, "%s: %s", TR(
		    "không ghi được tệp", "cannot write the file"),
		    strerror(errno));
	}
	sb_free(&b);
	printf("%s: %s (%s %" PRId64 " %s)\n", TR("Đã ký đầu sổ", "Head signed"),
	    o->output, TR("mục", "entry"), s.head.seq, s.head.hash);
	return 0;
}

/* The subcommands: name, positional arguments after it, database use. */
static const struct sub {
	const char	*name;
	int		 npos;
	int		 db;		/* cli_open_db() flags, 0: none */
	int		(*run)(struct cli *, const struct lopts *, char **,
			    struct err *);
} subs[] = {
	{ "show", 0, CMD_DB, ledger_show_sub },
	{ "head", 0, CMD_DB, ledger_head },
	{ "verify", 0, CMD_DB, ledger_check },
	{ "revoke", 1, CMD_DB, ledger_revoke_sub },
	{ "keygen", 0, 0, ledger_keygen_sub },
	{ "sign", 0, CMD_DB, ledger_sign_sub },
};

#define LEDGER_USAGE "show [--subject CODE] | head | verify [--head SEQ:HASH]" \
	" [--signed FILE --pubkey FILE] | revoke ENTRY --reason TEXT" \
	" [--date D] [--number NO] [--signer NAME] | keygen -o FILE" \
	" | sign --key FILE [-o FILE]"

static int
exec_ledger(struct cli *cli, int argc, char **argv, struct err *e)
{
	struct lopts o;
	const struct opt opts[] = {
		{ "subject", OPT_STR, &o.subject },
		{ "reason", OPT_STR, &o.reason },
		{ "date", OPT_STR, &o.date },
		{ "number", OPT_STR, &o.number },
		{ "signer", OPT_STR, &o.signer },
		{ "head", OPT_STR, &o.head },
		{ "signed", OPT_STR, &o.signedf },
		{ "pubkey", OPT_STR, &o.pubkey },
		{ "key", OPT_STR, &o.key },
		{ "output", OPT_STR, &o.output },
		{ NULL, 0, NULL }
	};
	size_t i;
	int n;

	memset(&o, 0, sizeof o);
	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0)
		return -1;
	for (i = 0; n >= 1 && i < sizeof subs / sizeof subs[0]; i++)
		if (strcmp(argv[1], subs[i].name) == 0 &&
		    n == 1 + subs[i].npos) {
			if (subs[i].db && cli_open_db(cli, subs[i].db, e) != 0)
				return -1;
			return subs[i].run(cli, &o, argv + 2, e);
		}
	return err_set(e, ERR_USAGE, "%s: thidua ledger " LEDGER_USAGE,
	    TR("cách dùng", "usage"));
}

const struct cmd cmd_ledger = {
	"ledger", LEDGER_USAGE,
	"sổ khen thưởng: xem, đầu sổ, kiểm tra chuỗi băm (và đối chiếu đầu sổ "
	"đã neo hoặc đã ký), thu hồi, tạo khoá và ký đầu sổ",
	"the award ledger: show, head, verify the hash chain (against an "
	"anchored or signed head), revoke, make a key pair and sign the head",
	CMD_DB_LATER, exec_ledger
};
