/*
 * import-kinds.h: the tabular kinds of the contract (units, people, ratings, …)
 * as data: each kind is a table of columns (name, type, flags) plus its
 * store operations. The generic importer (import.c) validates any source
 * against this table; the kind's write() applies a validated batch inside
 * the importer's transaction; export() streams rows back in the same
 * column order, so a round trip is lossless.
 *
 * To add a kind: declare its columns and a `const struct kind kind_X` in
 * your own file (store operations in your store-*.c), and add &kind_X to
 * the table in import-kinds.c.
 */
#ifndef THIDUA_IMPORT_KINDS_H
#define THIDUA_IMPORT_KINDS_H

#include <stddef.h>
#include <stdint.h>

#include "codemap.h"
#include "err.h"

struct store;

enum col_type {
	CT_TEXT,	/* any UTF-8 text */
	CT_CODE,	/* [A-Za-z0-9._-]{1,32} */
	CT_INT,		/* a whole number */
	CT_NUM,		/* a number */
	CT_YEAR,	/* 1900..2999 */
	CT_DATE,	/* YYYY-MM-DD, a real calendar day */
	CT_BOOL,	/* 0 or 1 */
	CT_ENUM,	/* one of col.values */
	CT_UNIT,	/* code of an existing unit (or one in this batch) */
	CT_PERSON,	/* code of an existing person (or one in this batch) */
	CT_SUBJECT,	/* code of a unit or a person */
	CT_PEOPLE,	/* person codes joined by ';' */
	CT_INNOVATIONS,	/* innovation codes joined by ';' (may be empty) */
	CT_TASK		/* code of an existing task (or one in this batch) */
};

#define COL_REQ	0x1	/* required column and value */
#define COL_KEY	0x2	/* part of the row's key (re-import updates) */
/*
 * Provenance written by Thi đua itself (e.g. who imported an award row):
 * exported so a round trip is lossless, accepted on import but never
 * taken from the file (the import stamps its own); the kind's check may
 * still compare it.
 */
#define COL_STAMP 0x4

struct col {
	const char		*name;
	enum col_type		 type;
	int			 flags;
	const char *const	*values;	/* CT_ENUM: NULL-terminated */
};

/* Codes the validator resolved, tagged 'u' unit, 'p' person, 't' task, 'i' innovation. */
struct refs {
	struct codemap	 subjects;	/* code → subject id; tag 'u' or 'p' */
	struct codemap	 tasks;		/* code → task id */
	struct codemap	 innovations;	/* code → innovation id */
	int		 have_subjects, have_tasks, have_innovations;
};

/*
 * Who wrote a batch, when, and from what: set by the importer before the
 * kind's write (kinds that keep provenance store it with each row).
 */
struct batch_stamp {
	const char	*by;		/* the account, or the CLI's OS user@host */
	char		 at[24];	/* UTC, YYYY-MM-DDTHH:MM:SSZ */
	char		 sha256[65];	/* hex SHA-256 of the source's bytes */
};

/* Validated rows, values normalised to canonical text, NULL when empty. */
struct batch {
	const struct kind	*kind;
	const char		*source;	/* file name, or "json" */
	struct batch_stamp	 stamp;
	size_t			 nrows;
	const char		**v;		/* v[row * kind->ncols + col] */
	long			*line;		/* source line (CSV) or index + 1 (JSON) */
	struct refs		*refs;
};

/* Collects the errors of one import (import.c). */
struct import_ctx;
/* Record an error about row `row` (index into the batch) and column `col` (-1: the row). */
void	 import_error(struct import_ctx *, const struct batch *, size_t row,
	    int col, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Kind flags. */
#define KIND_ADMIN	0x1	/* only an administrator writes it (awards) */

/*
 * A batch of at most this many rows reads the stored rows it needs one
 * subject at a time, through the subject's index (about 0.1 ms a row),
 * instead of a whole table in one pass: the subjects it names (import.c)
 * and the rows the audit shows as "before" (audit.c).
 */
#define IMPORT_FEW_ROWS	20000

/*
 * A kind whose rows can go to the store while they are checked (records
 * on PostgreSQL: binary COPY). The CSV importer uses it instead of
 * write() when the kind has no whole-batch check, the run is not dry,
 * and wants() says yes for this store (JSON bodies, whole already, take
 * write()). Inside the importer's transaction:
 * begin() before the first check (NULL with e set on failure); rows()
 * for each run of rows [from, to) in order, once their cells passed and
 * while no row failed (b->v may have moved since the last call: keep no
 * value's pointer); 0, or -1 with e set;
 * end(w, 1) writes what is left (0, or -1 with e set), end(w, 0) gives
 * up (the importer rolls back). end() frees w.
 */
struct kind_stream {
	int		(*wants)(struct store *);
	void		*(*begin)(struct store *, const struct batch *, struct err *);
	int		(*rows)(void *w, size_t from, size_t to, struct err *);
	int		(*end)(void *w, int ok, struct err *);
};

struct kind {
	const char	*name;
	const struct col *cols;
	int		 ncols;
	/* Whole-batch checks beyond the column types; may be NULL. */
	void		(*check)(struct import_ctx *, struct store *, const struct batch *);
	/* Apply the batch inside the caller's transaction: 0, or -1 with e set. */
	int		(*write)(struct store *, const struct batch *, struct err *);
	/* Stream every row, values in column order (NULL when empty). */
	int		(*export)(struct store *, int (*row)(void *, const char *const *),
			    void *, struct err *);
	int		 flags;		/* KIND_* */
};

/*
 * The streaming writer of a kind of kind_table (the very struct), or
 * NULL: a caller's copy that wraps write() (the server's scoped and
 * audited write) has none, and gets the whole batch.
 */
const struct kind_stream *kind_stream_of(const struct kind *);

/* In contract order; an entry is NULL when its area is not linked in. */
static inline const char *
batch_val(const struct batch *b, size_t row, int col)
{
	return b->v[row * (size_t)b->kind->ncols + (size_t)col];
}

extern const struct kind *const kind_table[];
extern const size_t kind_table_len;

/* Load the code maps the validator needs (store-import.c). */
int	 store_load_subjects(struct store *, struct codemap *, struct err *);
/* Only those of codes (n of them): for a batch of a few rows. */
int	 store_load_subjects_of(struct store *, const char *const *codes,
	    size_t n, struct codemap *, struct err *);
int	 store_load_tasks(struct store *, struct codemap *, struct err *);
int	 store_load_innovations(struct store *, struct codemap *, struct err *);

#endif /* THIDUA_IMPORT_KINDS_H */
