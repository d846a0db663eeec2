/*
 * store-int.h: private to the store driver (store.c, store-sqlite.c,
 * store-pg.c). Nothing outside the store includes it.
 */
#ifndef THIDUA_STORE_INT_H
#define THIDUA_STORE_INT_H

#include "store.h"

enum bind_type { BIND_NULL, BIND_INT, BIND_DOUBLE, BIND_TEXT };

struct store_ops {
	void	 (*close)(struct store *);
	const char *(*errmsg)(struct store *);
	int	 (*exec)(struct store *, const char *);
	struct store_stmt *(*prepare)(struct store *, const char *);
	void	 (*finalize)(struct store_stmt *);
	void	 (*bind)(struct store_stmt *, int, enum bind_type, int64_t,
		     double, const char *);
	int	 (*step)(struct store_stmt *);
	int	 (*col_isnull)(struct store_stmt *, int);
	int64_t	 (*col_int)(struct store_stmt *, int);
	double	 (*col_double)(struct store_stmt *, int);
	const char *(*col_text)(struct store_stmt *, int);
	int	 (*ncols)(struct store_stmt *);
	void	 (*reset)(struct store_stmt *);
	int	 (*table_exists)(struct store *, const char *);
	struct store_bulk *(*bulk_begin)(struct store *, const char *,
		     const char *const *, int);
	int	 (*bulk_row)(struct store_bulk *, const char *const *);
	int	 (*bulk_end)(struct store_bulk *);
	/* Typed (binary) bulk loads; NULL when the backend has none. */
	struct store_bulk *(*bulk_begin_typed)(struct store *, const char *,
		     const char *const *, const char *, int);
	int	 (*bulk_cells)(struct store_bulk *, const union store_cell *);
	void	 (*bulk_abort)(struct store_bulk *);
	/* store_backup(), store_restore(): see store.h. */
	int	 (*backup)(struct store *, const char *target, const char *path,
		     struct err *);
	int	 (*restore)(struct store *, const char *target, const char *path,
		     struct err *);
	/* 1 inside a transaction, 0 in autocommit. */
	int	 (*in_txn)(struct store *);
};

struct stmt_slot {
	const char		*sql;
	struct store_stmt	*stmt;
};

struct store {
	enum store_backend	 backend;
	const struct store_ops	*ops;
	void			*impl;
	struct stmt_slot	*slots;		/* open-addressing cache */
	size_t			 nslots;
	size_t			 nused;
	char			 errbuf[512];
	/*
	 * PostgreSQL: generations bumped in the open transaction, written at
	 * its commit (store.c's gen_bump), so that servers sharing the
	 * database hold the generations' rows for a moment, not a batch.
	 */
	char			 gen_pending[8][32];
	int			 ngen_pending;
	/*
	 * Generations (bits of store.c's gen_names) already replaced in the
	 * open transaction for a statement's write (store_step) since the
	 * last read of a stamp on this handle: later writes need not again.
	 */
	unsigned		 gen_written;
	unsigned		 logs;	/* PostgreSQL: the logs found (bits
					   of store.c's log_last) */
	int64_t			 cache_kept;	/* SQLite: the cache_size
					   store_read_once(st, 0) gives
					   back, or 0 */
};

/* Every backend statement starts with this. */
struct store_stmt {
	struct store	*st;
	const char	*sql;
	int		 stream;	/* store_stream(): until reset */
	unsigned	 gens;	/* generations its SQL writes (store.c) */
};

/*
 * SQLite: a big write with a log's triggers (migrations 0015, 0025) off,
 * inside the caller's transaction (store-import.c): store_quiet_begin
 * drops them when the write is big enough (and, for records, the table
 * empty), store_quiet_end makes them again and cuts the log to one row of
 * a new tag, so that every columnar copy is made again whole. q owns the
 * triggers' text until store_quiet_end or store_quiet_free. 0, or -1.
 */
struct store_quiet_kind {
	const char	*log;		/* the log table */
	const char	*none;		/* 1 when the write may go quiet, or NULL */
	const char	*triggers;	/* their names and CREATE statements */
	const char	*retag, *cut;
};
#define STORE_QUIET_MAX	8
struct store_quiet {
	char	*name[STORE_QUIET_MAX];	/* the triggers dropped */
	char	*sql[STORE_QUIET_MAX];	/* and their CREATE statements */
	int	 n;
};
extern const struct store_quiet_kind store_quiet_records, store_quiet_targets;
int	store_quiet_begin(struct store *, const struct store_quiet_kind *,
	    size_t nrows, struct store_quiet *, struct err *);
int	store_quiet_end(struct store *, const struct store_quiet_kind *,
	    struct store_quiet *, struct err *);
void	store_quiet_free(struct store_quiet *);

struct migration {
	int		 version;
	const char	*name;
	const char	*sql;
};
extern const struct migration migrations_sqlite[];
extern const struct migration migrations_pg[];

int	 store_sqlite_open(const char *, struct store *, struct err *);
/* PostgreSQL's backup and restore by pg_dump / pg_restore (store-pg-dump.c). */
int	 pg_dump_backup(struct store *, const char *target, const char *path,
	    struct err *);
int	 pg_dump_restore(struct store *, const char *target, const char *path,
	    struct err *);
int	 store_pg_open(const char *, struct store *, struct err *);

#endif /* THIDUA_STORE_INT_H */
