/*
 * collate.c: Vietnamese name ordering (collate.h). Each name becomes one
 * ICU sort key: the key of the given name, a 0x01 separator, the key of
 * the rest; keys then compare with strcmp, so sorting a million names
 * costs one key per name rather than ICU calls per comparison.
 */
#include <stdlib.h>
#include <string.h>

#include "icu.h"

#include "collate.h"
#include "util.h"

/* Append the sort key of UTF-8 text s[0..len) (without its NUL) to *k. */
static void
key_part(UCollator *c, const char *s, size_t len, struct sb *k)
{
	UChar buf[512];
	int32_t ulen = 0, klen;
	UErrorCode ec = U_ZERO_ERROR;
	uint8_t tmp[2048];

	u_strFromUTF8(buf, 512, &ulen, s, (int32_t)len, &ec);
	if (U_FAILURE(ec) || ulen > 512) {
		sb_putn(k, s, len);	/* too long or bad: raw bytes */
		return;
	}
	klen = ucol_getSortKey(c, buf, ulen, tmp, sizeof tmp);
	if (klen > 0 && klen <= (int32_t)sizeof tmp)
		sb_putn(k, (const char *)tmp, (size_t)klen - 1);
}

/* The whole key of a full name: given name, 0x01, the rest. */
static char *
name_key(UCollator *c, const char *name)
{
	struct sb k;
	size_t len = strlen(name), end = len, start;

	while (end > 0 && name[end - 1] == ' ')
		end--;
	start = end;
	while (start > 0 && name[start - 1] != ' ')
		start--;
	sb_init(&k);
	key_part(c, name + start, end - start, &k);
	sb_putc(&k, '\x01');
	key_part(c, name, start, &k);
	if (k.s == NULL)
		return xstrdup("");
	return k.s;
}

static UCollator *
vi_collator(void)
{
	UErrorCode ec = U_ZERO_ERROR;
	UCollator *c = ucol_open("vi", &ec);

	if (U_FAILURE(ec))
		return NULL;
	return c;
}

struct keyed { char *key; size_t i; };

static int
by_key(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int r = strcmp(x->key, y->key);

	return r ? r : (x->i > y->i) - (x->i < y->i);
}

int
collate_order(const char *const *names, size_t n, size_t *order)
{
	UCollator *c = vi_collator();
	struct keyed *k;

	for (size_t i = 0; i < n; i++)
		order[i] = i;
	if (c == NULL)
		return -1;
	k = xmalloc((n ? n : 1) * sizeof *k);
	for (size_t i = 0; i < n; i++) {
		k[i].key = name_key(c, names[i] ? names[i] : "");
		k[i].i = i;
	}
	qsort(k, n, sizeof *k, by_key);
	for (size_t i = 0; i < n; i++) {
		order[i] = k[i].i;
		free(k[i].key);
	}
	free(k);
	ucol_close(c);
	return 0;
}

int
collate_cmp(const char *a, const char *b)
{
	UCollator *c = vi_collator();
	char *ka, *kb;
	int r;

	if (c == NULL)
		return strcmp(a, b);
	ka = name_key(c, a);
	kb = name_key(c, b);
	r = strcmp(ka, kb);
	free(ka);
	free(kb);
	ucol_close(c);
	return r;
}
