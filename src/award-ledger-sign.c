/*
 * award-ledger-sign.c: Ed25519 key pairs, signed ledger heads and their
 * verification (see award-ledger.h, "signed heads"). The secret key lives only
 * in its file, outside the database; it is wiped from memory after use.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "award-ledger.h"
#include "util.h"

#define SK_HEADER	"thidua-ledger-secret-key-v1"
#define PK_HEADER	"thidua-ledger-public-key-v1"
#define DOC_HEADER	"thidua-ledger-signed-head-v1"
#define MSG_HEADER	"thidua-ledger-head-v1"

void
ledger_sign_message(const struct ledger_signed *s, struct sb *out)
{
	sb_printf(out, MSG_HEADER "\nseq=%" PRId64 "\nhash=%s\nsigned_at=%s\n",
	    s->head.seq, s->head.hash, s->signed_at);
}

void
ledger_sign_raw(struct ledger_signed *s, const unsigned char sk[LEDGER_SK_BYTES])
{
	unsigned char sig[crypto_sign_BYTES], pk[crypto_sign_PUBLICKEYBYTES];
	struct sb m;

	if (sodium_init() < 0)
		abort();	/* no usable randomness source: cannot happen on Linux */
	sb_init(&m);
	ledger_sign_message(s, &m);
	crypto_sign_detached(sig, NULL, (const unsigned char *)m.s, m.len, sk);
	crypto_sign_ed25519_sk_to_pk(pk, sk);
	sodium_bin2hex(s->sig, sizeof s->sig, sig, sizeof sig);
	sodium_bin2hex(s->key, sizeof s->key, pk, sizeof pk);
	sb_free(&m);
}

int
ledger_signed_valid(const struct ledger_signed *s,
    const unsigned char pk[LEDGER_PK_BYTES])
{
	unsigned char sig[crypto_sign_BYTES];
	size_t n = 0;
	struct sb m;
	int ok;

	if (sodium_init() < 0)
		abort();
	if (sodium_hex2bin(sig, sizeof sig, s->sig, strlen(s->sig), NULL, &n,
	    NULL) != 0 || n != sizeof sig)
		return 0;
	sb_init(&m);
	ledger_sign_message(s, &m);
	ok = crypto_sign_verify_detached(sig, (const unsigned char *)m.s,
	    m.len, pk) == 0;
	sb_free(&m);
	return ok;
}

void
ledger_signed_text(const struct ledger_signed *s, struct sb *out)
{
	sb_printf(out, DOC_HEADER "\nseq=%" PRId64 "\nhash=%s\nsigned_at=%s\n"
	    "key=%s\nsignature=%s\n", s->head.seq, s->head.hash, s->signed_at,
	    s->key, s->sig);
}

/* Copy hex of exactly want digits (lower-cased) into dst; 0 or -1. */
static int
hex_exact(const char *v, size_t len, size_t want, char *dst)
{
	if (len != want)
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = v[i];

		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return -1;
		dst[i] = c;
	}
	dst[len] = '\0';
	return 0;
}

/* The signed head's lines after its header, in order. */
enum doc_line { DL_SEQ, DL_HASH, DL_AT, DL_KEY, DL_SIG, DL__MAX };
static const char *const doc_names[DL__MAX] = {
	"seq", "hash", "signed_at", "key", "signature"
};

/* One value into s: 0 or -1 when it is not well formed. */
static int
doc_value(struct ledger_signed *s, enum doc_line k, const char *v, size_t n)
{
	char buf[32];
	int32_t day;

	switch (k) {
	case DL_SEQ:
		if (n == 0 || n >= sizeof buf)
			return -1;
		snprintf(buf, sizeof buf, "%.*s", (int)n, v);
		return parse_i64(buf, &s->head.seq) != 0 || s->head.seq < 0 ?
		    -1 : 0;
	case DL_HASH:
		return hex_exact(v, n, AWARD_HASH - 1, s->head.hash);
	case DL_AT:
		/* YYYY-MM-DDTHH:MM:SSZ */
		if (n != 20 || v[10] != 'T' || v[13] != ':' || v[16] != ':' ||
		    v[19] != 'Z' || strspn(v + 11, "0123456789") != 2 ||
		    strspn(v + 14, "0123456789") != 2 ||
		    strspn(v + 17, "0123456789") != 2)
			return -1;
		snprintf(buf, sizeof buf, "%.10s", v);
		if (date_parse(buf, &day) != 0)
			return -1;
		snprintf(s->signed_at, sizeof s->signed_at, "%.*s", (int)n, v);
		return 0;
	case DL_KEY:
		return hex_exact(v, n, sizeof s->key - 1, s->key);
	case DL_SIG:
		return hex_exact(v, n, sizeof s->sig - 1, s->sig);
	default:
		return -1;
	}
}

int
ledger_signed_parse(const char *text, const char *path,
    struct ledger_signed *s, struct err *e)
{
	size_t hl = strlen(DOC_HEADER);
	const char *p = text;
	long line = 1;

	memset(s, 0, sizeof *s);
	if (strncmp(p, DOC_HEADER, hl) != 0 || (p[hl] != '\n' &&
	    strncmp(p + hl, "\r\n", 2) != 0))
		return err_at(e, ERR_USER, path, 1, 0, NULL, "%s (%s)", TR(
		    "không phải bản ký đầu sổ khen thưởng",
		    "not a signed ledger head"), DOC_HEADER);
	p = strchr(p, '\n') + 1;
	for (int k = 0; k < DL__MAX; k++) {
		size_t nlen = strlen(doc_names[k]);
		size_t n = strcspn(p, "\n");
		const char *v = p + nlen + 1;

		line++;
		if (n && p[n - 1] == '\r')
			n--;
		if (n <= nlen || strncmp(p, doc_names[k], nlen) != 0 ||
		    p[nlen] != '=')
			return err_at(e, ERR_USER, path, line, 0, doc_names[k],
			    "%s", TR("thiếu dòng này (đúng thứ tự)",
			    "this line is missing (in its order)"));
		if (doc_value(s, (enum doc_line)k, v, n - nlen - 1) != 0)
			return err_at(e, ERR_USER, path, line, 0, doc_names[k],
			    "%s '%.*s'", TR("giá trị không hợp lệ",
			    "invalid value"), (int)(n - nlen - 1), v);
		p += strcspn(p, "\n");
		if (*p)
			p++;
	}
	if (strspn(p, " \t\r\n") != strlen(p))
		return err_at(e, ERR_USER, path, line + 1, 0, NULL, "%s", TR(
		    "có nội dung thừa sau chữ ký",
		    "unexpected text after the signature"));
	return 0;
}

/*
 * Read a small file whole into buf (NUL-terminated) without copies on
 * the heap, so a secret key can be wiped. 0, or -1 and errno (EFBIG when
 * it does not fit).
 */
static int
read_small(const char *path, char *buf, size_t cap, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), saved;
	size_t n = 0;
	ssize_t r;

	if (fd < 0)
		return -1;
	while ((r = read(fd, buf + n, cap - 1 - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || (n += (size_t)r) == cap - 1) {
			saved = r < 0 ? errno : EFBIG;
			close(fd);
			errno = saved;
			return -1;
		}
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return 0;
}

/*
 * Read a key file: header line, then exactly len bytes as hex. 0 or -1
 * naming the file. The text read is wiped.
 */
static int
read_key(const char *path, const char *header, unsigned char *out,
    size_t len, struct err *e)
{
	size_t size = 0, n, hl = strlen(header), bin = 0;
	char text[1024], *v;
	int rc = -1;

	if (read_small(path, text, sizeof text, &size) != 0)
		return err_at(e, ERR_USER, path, 0, 0, NULL, "%s: %s",
		    TR("không đọc được tệp khoá", "cannot read the key file"),
		    strerror(errno));
	if (size <= hl || strncmp(text, header, hl) != 0 || text[hl] != '\n') {
		err_at(e, ERR_USER, path, 1, 0, NULL, "%s (%s)", TR(
		    "không phải tệp khoá cần dùng", "not the expected key file"),
		    header);
		goto out;
	}
	v = text + hl + 1;
	n = strcspn(v, "\r\n");
	if (strspn(v + n, "\r\n") != strlen(v + n) || n != 2 * len ||
	    sodium_hex2bin(out, len, v, n, NULL, &bin, NULL) != 0 ||
	    bin != len) {
		err_at(e, ERR_USER, path, 2, 0, NULL, "%s", TR(
		    "khoá hỏng (cần đúng một dòng chữ số hex)",
		    "the key is damaged (one line of hex digits expected)"));
		goto out;
	}
	rc = 0;
out:
	sodium_memzero(text, sizeof text);
	return rc;
}

/* Create path exclusively with mode and write text; 0 or -1. */
static int
write_new(const char *path, mode_t mode, const char *text, struct err *e)
{
	size_t len = strlen(text), off = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);

	if (fd < 0)
		return err_at(e, ERR_USER, path, 0, 0, NULL, "%s: %s", errno ==
		    EEXIST ? TR("tệp đã có, không ghi đè", "the file exists; "
		    "it is not overwritten") : TR("không tạo được tệp",
		    "cannot create the file"), strerror(errno));
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (off < len || fchmod(fd, mode) != 0 || fsync(fd) != 0) {
		err_at(e, ERR_SYSTEM, path, 0, 0, NULL, "%s: %s", TR(
		    "không ghi được tệp", "cannot write the file"),
		    strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	if (close(fd) != 0) {
		err_at(e, ERR_SYSTEM, path, 0, 0, NULL, "%s: %s", TR(
		    "không ghi được tệp", "cannot write the file"),
		    strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
}

int
ledger_keygen(const char *path, struct err *e)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	char skt[sizeof SK_HEADER + 2 * sizeof sk + 2];
	char pkt[sizeof PK_HEADER + 2 * sizeof pk + 2];
	char hex[2 * sizeof sk + 1], pub[4096];
	const char *exists;
	struct stat sb;
	int rc = -1;

	if (path == NULL || *path == '\0')
		return err_at(e, ERR_USAGE, NULL, 0, 0, "-o", "%s", TR(
		    "cần tên tệp khoá bí mật", "the secret key's file is required"));
	if (snprintf(pub, sizeof pub, "%s.pub", path) >= (int)sizeof pub)
		return err_at(e, ERR_USER, path, 0, 0, NULL, "%s", TR(
		    "tên tệp quá dài", "the file name is too long"));
	/* Refuse before anything is written when either file exists. */
	exists = stat(path, &sb) == 0 ? path : stat(pub, &sb) == 0 ? pub :
	    NULL;
	if (exists)
		return err_at(e, ERR_USER, exists, 0, 0, NULL, "%s", TR(
		    "tệp đã có, không ghi đè",
		    "the file exists; it is not overwritten"));
	if (sodium_init() < 0)
		abort();
	crypto_sign_keypair(pk, sk);
	sodium_bin2hex(hex, sizeof hex, sk, sizeof sk);
	snprintf(skt, sizeof skt, SK_HEADER "\n%s\n", hex);
	sodium_bin2hex(hex, sizeof hex, pk, sizeof pk);
	snprintf(pkt, sizeof pkt, PK_HEADER "\n%s\n", hex);
	if (write_new(path, 0600, skt, e) == 0) {
		if (write_new(pub, 0644, pkt, e) == 0)
			rc = 0;
		else
			unlink(path);
	}
	sodium_memzero(sk, sizeof sk);
	sodium_memzero(skt, sizeof skt);
	sodium_memzero(hex, sizeof hex);
	return rc;
}

int
ledger_sign(struct store *st, const char *keyfile, const char *signed_at,
    struct ledger_signed *s, struct err *e)
{
	unsigned char sk[LEDGER_SK_BYTES];
	struct ledger_check c;
	struct tm tm;
	time_t now;

	memset(s, 0, sizeof *s);
	if (keyfile == NULL || *keyfile == '\0')
		return err_at(e, ERR_USAGE, NULL, 0, 0, "--key", "%s", TR(
		    "cần tệp khoá bí mật", "the secret key file is required"));
	if (ledger_verify(st, &c, e) != 0)
		return -1;
	if (c.bad_seq)
		return err_at(e, ERR_USER, NULL, 0, 0, "entry", "%s %" PRId64
		    ": %s", TR("không ký: sổ khen thưởng bị hỏng tại mục",
		    "not signed: the award ledger is broken at entry"),
		    c.bad_seq, c.why);
	if (ledger_head_get(st, &s->head, e) != 0)
		return -1;
	if (signed_at)
		snprintf(s->signed_at, sizeof s->signed_at, "%s", signed_at);
	else {
		now = time(NULL);
		gmtime_r(&now, &tm);
		strftime(s->signed_at, sizeof s->signed_at,
		    "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	if (read_key(keyfile, SK_HEADER, sk, sizeof sk, e) != 0)
		return -1;
	ledger_sign_raw(s, sk);
	sodium_memzero(sk, sizeof sk);
	return 0;
}

int
ledger_verify_signed(struct store *st, const char *path, const char *pubfile,
    struct ledger_check *c, struct err *e)
{
	unsigned char pk[LEDGER_PK_BYTES];
	struct ledger_signed s;
	char *text;
	size_t n;
	int rc;

	if ((text = read_file(path, &n)) == NULL)
		return err_at(e, ERR_USER, path, 0, 0, NULL, "%s: %s", TR(
		    "không đọc được bản ký", "cannot read the signed head"),
		    strerror(errno));
	rc = ledger_signed_parse(text, path, &s, e);
	free(text);
	if (rc != 0 || read_key(pubfile, PK_HEADER, pk, sizeof pk, e) != 0)
		return -1;
	if (!ledger_signed_valid(&s, pk))
		return err_at(e, ERR_USER, path, 0, 0, "signature", "%s", TR(
		    "chữ ký không hợp lệ với khoá công khai này (bản ký đã bị "
		    "sửa hoặc do khoá khác ký)", "the signature does not verify "
		    "with this public key (the document was altered or signed "
		    "by another key)"));
	if (ledger_verify_at(st, &s.head, c, e) != 0)
		return -1;
	snprintf(c->signed_at, sizeof c->signed_at, "%s", s.signed_at);
	snprintf(c->key, sizeof c->key, "%s", s.key);
	return 0;
}
