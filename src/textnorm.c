/*
 * textnorm.c: Unicode NFC for text that enters, and the folded form that
 * searches compare (textnorm.h). Both go through UTF-16 with ICU: the
 * NFC normaliser (unorm2), then for folding the NFD form with every
 * non-spacing mark dropped, đ/Đ read as d, and ICU's default case fold.
 */
#include <stdlib.h>
#include <string.h>

#include "icu.h"

#include "textnorm.h"
#include "util.h"

/* s[0..len) as UTF-16, malloc'd, *n its length; NULL when not UTF-8. */
static UChar *
to_u16(const char *s, size_t len, int32_t *n)
{
	UErrorCode ec = U_ZERO_ERROR;
	UChar *u;

	if (len > 1u << 28)
		return NULL;
	u_strFromUTF8(NULL, 0, n, s, (int32_t)len, &ec);
	if (ec != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(ec))
		return NULL;
	ec = U_ZERO_ERROR;
	u = xmalloc(((size_t)*n + 1) * sizeof *u);
	u_strFromUTF8(u, *n + 1, n, s, (int32_t)len, &ec);
	if (U_FAILURE(ec)) {
		free(u);
		return NULL;
	}
	return u;
}

/* Append UTF-16 u[0..n) to out as UTF-8. */
static void
put_u8(struct sb *out, const UChar *u, int32_t n)
{
	UErrorCode ec = U_ZERO_ERROR;
	int32_t len = 0;
	char *s;

	u_strToUTF8(NULL, 0, &len, u, n, &ec);
	ec = U_ZERO_ERROR;
	s = xmalloc((size_t)len + 1);
	u_strToUTF8(s, len + 1, &len, u, n, &ec);
	if (U_SUCCESS(ec))
		sb_putn(out, s, (size_t)len);
	free(s);
}

/* The normal form of u[0..n) by nf, malloc'd, *m its length; NULL on error. */
static UChar *
normalize(const UNormalizer2 *nf, const UChar *u, int32_t n, int32_t *m)
{
	UErrorCode ec = U_ZERO_ERROR;
	UChar *v;

	*m = unorm2_normalize(nf, u, n, NULL, 0, &ec);
	if (ec != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(ec))
		return NULL;
	ec = U_ZERO_ERROR;
	v = xmalloc(((size_t)*m + 1) * sizeof *v);
	*m = unorm2_normalize(nf, u, n, v, *m + 1, &ec);
	if (U_FAILURE(ec)) {
		free(v);
		return NULL;
	}
	return v;
}

static int
ascii(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

int
text_nfc(const char *s, size_t len, struct sb *out)
{
	UErrorCode ec = U_ZERO_ERROR;
	const UNormalizer2 *nf;
	UChar *u, *v;
	int32_t n, m;

	if (ascii(s, len) || (nf = unorm2_getNFCInstance(&ec)) == NULL ||
	    U_FAILURE(ec) || (u = to_u16(s, len, &n)) == NULL) {
		sb_putn(out, s, len);
		return 0;
	}
	if (unorm2_isNormalized(nf, u, n, &ec) || U_FAILURE(ec) ||
	    (v = normalize(nf, u, n, &m)) == NULL) {
		free(u);
		sb_putn(out, s, len);
		return 0;
	}
	put_u8(out, v, m);
	free(u);
	free(v);
	return 1;
}

char *
text_nfc_dup(const char *s)
{
	struct sb o;

	sb_init(&o);
	if (text_nfc(s, strlen(s), &o) == 0) {
		sb_free(&o);
		return NULL;
	}
	return o.s ? o.s : xstrdup("");
}

/*
 * text_fold of ASCII s without ICU (NFD changes no ASCII, none is a mark;
 * the white space is U+0009..U+000D and U+0020; the case fold is A-Z):
 * the codes of every subject, folded for the search index a million at a
 * time. 1 with out filled, 0 when s is not ASCII.
 */
static int
fold_ascii(const char *s, struct sb *out)
{
	const unsigned char *p;
	int space = 1;

	for (p = (const unsigned char *)s; *p; p++)
		if (*p >= 0x80)
			return 0;
	sb_init(out);
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p == ' ' || (*p >= '\t' && *p <= '\r')) {
			space = 1;
			continue;
		}
		if (space && out->len > 0)
			sb_putc(out, ' ');
		space = 0;
		sb_putc(out, (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
	}
	return 1;
}

char *
text_fold(const char *s)
{
	UErrorCode ec = U_ZERO_ERROR;
	const UNormalizer2 *nfd = unorm2_getNFDInstance(&ec);
	UChar *u, *v, *w;
	int32_t n, m, k = 0;
	int space = 1;	/* drop leading white space */
	struct sb o;

	if (fold_ascii(s, &o))
		return o.s;
	if (U_FAILURE(ec) || (u = to_u16(s, strlen(s), &n)) == NULL)
		return xstrdup(s);
	v = normalize(nfd, u, n, &m);
	free(u);
	if (v == NULL)
		return xstrdup(s);
	w = xmalloc(((size_t)m * 2 + 1) * sizeof *w);
	for (int32_t i = 0; i < m;) {
		UChar32 c;

		U16_NEXT(v, i, m, c);
		if (u_charType(c) == U_NON_SPACING_MARK)
			continue;
		if (c == 0x0110 || c == 0x0111)	/* Đ đ */
			c = 'd';
		if (u_isUWhiteSpace(c)) {
			if (!space)
				w[k++] = ' ';
			space = 1;
			continue;
		}
		space = 0;
		c = u_foldCase(c, U_FOLD_CASE_DEFAULT);
		U16_APPEND_UNSAFE(w, k, c);
	}
	if (k > 0 && w[k - 1] == ' ')
		k--;
	sb_init(&o);
	put_u8(&o, w, k);
	free(v);
	free(w);
	return o.s ? o.s : xstrdup("");
}
