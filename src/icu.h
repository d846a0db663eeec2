/*
 * icu.h: ICU, opened on its first use (dynlib.h). The files that call
 * ICU include this header instead of <unicode/...>: it asks ICU's
 * headers for the plain names (U_DISABLE_RENAMING), and turns each
 * function called into its pointer in icu_lib, looked up by its
 * versioned name (ucol_open_72). Linked, ICU and the C++ library it
 * brings were mapped and relocated at every start, about 1.5 ms, though
 * most commands never compare or normalise a non-ASCII name. The first
 * call opens it; if it cannot be opened, the program says so and exits
 * with status 3 (the server opens it when it starts: icu_load).
 */
#ifndef THIDUA_ICU_H
#define THIDUA_ICU_H

#ifdef U_ICU_VERSION
#error "icu.h must come before any <unicode/...> header"
#endif
#define U_DISABLE_RENAMING 1
#include <unicode/ucol.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "err.h"

#define ICU_FUNCS(X) \
	X(u_charType) X(u_foldCase) X(u_isUWhiteSpace) X(u_strFromUTF8) \
	X(u_strToUTF8) X(u_strToUpper) X(ucol_close) X(ucol_getSortKey) \
	X(ucol_open) X(unorm2_getNFCInstance) X(unorm2_getNFDInstance) \
	X(unorm2_isNormalized) X(unorm2_normalize)

struct icu_lib {
#define ICU_SLOT(f) __typeof__(f) *f;
	ICU_FUNCS(ICU_SLOT)
#undef ICU_SLOT
};

extern struct icu_lib icu_lib;
extern int icu_ready;

/* ICU opened and icu_lib filled (once); 0, or -1 and e. */
int	 icu_load(struct err *e);
/* icu_load(), or the program stops: "cannot load …", exit status 3. */
void	 icu_load_or_exit(void);

static inline const struct icu_lib *
icu_fns(void)
{
	if (__builtin_expect(!__atomic_load_n(&icu_ready, __ATOMIC_ACQUIRE), 0))
		icu_load_or_exit();
	return &icu_lib;
}

#ifndef ICU_TABLE	/* (icu.c fills the table by name) */
#define u_charType(...)			(icu_fns()->u_charType)(__VA_ARGS__)
#define u_foldCase(...)			(icu_fns()->u_foldCase)(__VA_ARGS__)
#define u_isUWhiteSpace(...)		(icu_fns()->u_isUWhiteSpace)(__VA_ARGS__)
#define u_strFromUTF8(...)		(icu_fns()->u_strFromUTF8)(__VA_ARGS__)
#define u_strToUTF8(...)		(icu_fns()->u_strToUTF8)(__VA_ARGS__)
#define u_strToUpper(...)		(icu_fns()->u_strToUpper)(__VA_ARGS__)
#define ucol_close(...)			(icu_fns()->ucol_close)(__VA_ARGS__)
#define ucol_getSortKey(...)		(icu_fns()->ucol_getSortKey)(__VA_ARGS__)
#define ucol_open(...)			(icu_fns()->ucol_open)(__VA_ARGS__)
#define unorm2_getNFCInstance(...)	(icu_fns()->unorm2_getNFCInstance)(__VA_ARGS__)
#define unorm2_getNFDInstance(...)	(icu_fns()->unorm2_getNFDInstance)(__VA_ARGS__)
#define unorm2_isNormalized(...)	(icu_fns()->unorm2_isNormalized)(__VA_ARGS__)
#define unorm2_normalize(...)		(icu_fns()->unorm2_normalize)(__VA_ARGS__)
#endif

#endif /* THIDUA_ICU_H */
