/*
 * dynlib.h: a shared library opened on its first use (dlopen), its
 * functions looked up once into a table of pointers.
 *
 * libpq and libmicrohttpd are linked this way: linked at build time,
 * they and the 22 libraries they bring (Kerberos, LDAP, GnuTLS, ...)
 * were mapped and relocated at every start of every command, about
 * 5 ms of an 10 ms start, though only a PostgreSQL database or `serve`
 * uses them. The pattern is SQLite's loadable extensions' (sqlite3ext.h):
 * the library's own header gives each function's type, a header of ours
 * (store-pg-lib.h, http-mhd.h) turns each name into its pointer in the
 * table, so the call sites read as plain calls.
 */
#ifndef THIDUA_DYNLIB_H
#define THIDUA_DYNLIB_H

#include <stddef.h>

#include "err.h"

struct dynlib {
	const char		*soname;	/* "libpq.so.5" */
	const char		*what;		/* what needs it, for the error */
	const char *const	*names;		/* the functions, n of them */
	void			**const *slot;	/* where each one's address goes */
	size_t			 n;
	int			 state;		/* 0 not tried, 1 open, -1 failed */
	char			 why[512];	/* the failure, as dlerror() said */
};

/*
 * Open l's library and fill its table, the first time (once, whatever
 * the threads); 0, or -1 with e saying which library could not be
 * loaded and why (every later call says the same).
 */
int	 dynlib_load(struct dynlib *l, struct err *e);

#endif /* THIDUA_DYNLIB_H */
