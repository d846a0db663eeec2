/*
 * textnorm.h: Vietnamese text as people type it (textnorm.c). Every text
 * that enters (CSV, XLSX, JSON bodies, forms) is put in Unicode NFC with
 * ICU's normaliser, so "Nguyễn" typed precomposed and typed decomposed
 * (as some keyboards and systems send it) are one string. Searches
 * compare folded text: case folded, accents and the stroke of đ removed,
 * runs of white space made one space, so "nguyen thi lan" finds
 * "Nguyễn Thị Lan". Sorting is not done here (collate.h, ICU "vi").
 */
#ifndef THIDUA_TEXTNORM_H
#define THIDUA_TEXTNORM_H

#include <stddef.h>

struct sb;

/*
 * Append the NFC form of UTF-8 text s[0..len) to out. Text already in
 * NFC (the common case: ASCII, or precomposed Vietnamese) is copied as
 * is; invalid UTF-8 is copied as is too (the caller's validation reports
 * it). Returns 1 when the text changed, 0 when not.
 */
int	 text_nfc(const char *s, size_t len, struct sb *out);
/* The NFC form of NUL-terminated s, malloc'd when it differs, else NULL. */
char	*text_nfc_dup(const char *s);
/* The folded form of NUL-terminated s for searching; the caller frees it. */
char	*text_fold(const char *s);

#endif /* THIDUA_TEXTNORM_H */
