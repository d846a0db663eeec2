/*
 * import.h: reading and writing the contract's tabular kinds (units,
 * people, ratings, awards, ...). One generic path validates every row
 * against the kind's column table (import-kinds.c) and writes the whole
 * batch in one transaction through the kind's store operation, or
 * nothing at all.
 *
 * Sources: a CSV file or buffer (RFC 4180, UTF-8, BOM and CRLF accepted),
 * or JSON (an object or an array of objects carrying the CSV's columns).
 * Errors: up to IMPORT_MAXERR are collected, each with file:line:column
 * (CSV) or [index].field (JSON) and the reason in the user's language.
 */
#ifndef THIDUA_IMPORT_H
#define THIDUA_IMPORT_H

#include <stdio.h>

#include "err.h"
#include "scope.h"

#define IMPORT_MAXERR 20

struct store;
struct kind;

struct import_report {
	struct err	 errs[IMPORT_MAXERR];
	int		 nerr;		/* stored in errs[] */
	long		 total_err;	/* all errors found */
	long		 rows;		/* data rows read */
	long		 written;	/* rows applied (0 on a dry run or error) */
};

struct batch;

struct import_opts {
	int		 dry_run;
	/* A scoped caller's dry run: a code outside their subtree is refused
	 * as unknown (nothing said about the rest of the tree); NULL: none. */
	const struct scope_filter *scope;
	int		 progress;	/* print progress on stderr */
	const char	*actor;		/* who writes (audit); NULL for the CLI */
	/* Hex SHA-256 of the source as received (the HTTP body), or NULL:
	 * the importer digests the CSV bytes or the JSON document itself. */
	const char	*sha256;
	/*
	 * The caller holds the transaction (e.g. the server's group commit):
	 * the importer neither begins, commits nor rolls back; on -1 the
	 * caller must roll back (to its savepoint).
	 */
	int		 in_txn;
	/* Called inside the transaction right after the rows are written. */
	int		(*after_write)(void *arg, struct store *,
			    const struct batch *, struct err *);
	void		*after_arg;
};

/* The kind named NAME, or NULL. */
const struct kind *kind_find(const char *name);
/* Names of all kinds, NULL-terminated, in contract order. */
const char *const *kind_names(void);

/*
 * Import. 0 when every row was valid (and, unless dry_run, written);
 * -1 with rep->errs filled (user errors) or e filled (system error,
 * e->kind == ERR_SYSTEM). Nothing is written on -1.
 */
int	 import_csv_file(struct store *, const struct kind *, const char *path,
	    const struct import_opts *, struct import_report *, struct err *e);
int	 import_csv_buffer(struct store *, const struct kind *,
	    const char *name, const char *buf, size_t len,
	    const struct import_opts *, struct import_report *, struct err *e);
/* json is a jansson json_t * (object or array). */
int	 import_json(struct store *, const struct kind *, void *json,
	    const struct import_opts *, struct import_report *, struct err *e);

/* Export everything of KIND as CSV (same columns as import) or JSON (an array of objects). */
int	 export_kind(struct store *, const struct kind *, int json, FILE *out,
	    struct err *);

#endif /* THIDUA_IMPORT_H */
