/*
 * check.h: is this database sound? (check.c) The checks `thidua check`
 * runs, and `thidua restore` after restoring: the storage's own integrity
 * check, the award ledger's chain (award-ledger.h), and the migration state
 * (the schema at the version this binary knows).
 */
#ifndef THIDUA_CHECK_H
#define THIDUA_CHECK_H

#include "err.h"

struct store;
struct sb;

#define CHECK_MAX	8

struct check_report {
	int		 n;
	int		 ok;		/* every check passed */
	struct {
		const char	*name;	/* "integrity", "ledger", "migrations" */
		int		 ok;
		char		 detail[320];	/* in the user's language */
	}		 c[CHECK_MAX];
};

/* Run every check: 0 (r->ok says whether all passed), or -1 with e set. */
int	 check_run(struct store *, struct check_report *r, struct err *);
/* {"ok": bool, "checks": [{"check", "ok", "detail"}]} */
void	 check_json(const struct check_report *, struct sb *out);
/* One line per check: "ok   ledger: 12 entries, head …". */
void	 check_text(const struct check_report *, struct sb *out);

#endif
