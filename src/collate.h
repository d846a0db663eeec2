/*
 * collate.h: Vietnamese ordering of names with ICU's "vi" collation.
 * Vietnamese lists sort people by their given name (the last word of the
 * full name), then by the rest (family and middle names): "Trần Văn An"
 * comes before "Lê Thị Bình". Usable by every area.
 *
 * Ownership: collate_order() fills the caller's order[] array.
 */
#ifndef THIDUA_COLLATE_H
#define THIDUA_COLLATE_H

#include <stddef.h>

/*
 * Fill order[0..n) with the indexes of names[] in Vietnamese order
 * (given name, then the rest; ties by index). 0, or -1 when ICU cannot
 * open the collator (then order[] is the identity).
 */
int	 collate_order(const char *const *names, size_t n, size_t *order);

/* Compare two full names the same way (<0, 0, >0). */
int	 collate_cmp(const char *a, const char *b);

#endif /* THIDUA_COLLATE_H */
