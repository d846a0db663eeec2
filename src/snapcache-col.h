/*
 * snapcache-col.h: columnar copies of big tables beside a SQLite database,
 * read by the movement evaluation (movement-eval.c). Scanning 50 million
 * records through SQLite costs seconds of CPU per evaluation; the same
 * rows as flat 16-byte structs are read at memory speed. A copy is a
 * cache, never a source: it is stamped with the table's generation
 * (snapcache_stamp, migration 0009), which every write of the table
 * replaces in its own transaction, and a copy whose stamp differs is
 * rebuilt from the database by the next reader.
 *
 * Copies: NAME "records" (every record: subject, metric, day, value) and
 * "targets-ID" (movement ID's targets: subject, criterion index in the
 * movement's current version as metric, day 0, target as value).
 * Files: "DB-NAME.0" … "DB-NAME.N-1", one segment per loader thread,
 * each holding the rows of a range of subject ids in key order. A segment is written under a temporary
 * name and renamed into place; a reader accepts the copy only when every
 * segment carries the same stamp, count and size, so a half-replaced or
 * truncated copy is simply out of date. Not used on PostgreSQL.
 *
 * A copy also carries the subject ids of each segment and the last row
 * of its table's log its rows include (records_log, migration 0015;
 * targets_log, 0025, the tag mixed with the movement's id and version):
 * a copy out of date by writes the log still holds is brought up to date
 * with the rows of the subjects logged since (movement-eval.c), not made
 * again.
 */
#ifndef THIDUA_SNAPCACHE_COL_H
#define THIDUA_SNAPCACHE_COL_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "snapcache.h"

/* One row as stored: day is days since 1970-01-01 (0 … 65535). */
struct colrec {
	int32_t		subject;
	uint16_t	metric;
	uint16_t	day;
	double		value;
};

#define COLFILE_MAXSEG	16

/* What a copy was made at: the table's generation, the log's last row. */
struct colstamp {
	int64_t		gen;
	int64_t		seq, tag;	/* records_log or targets_log (0, 0: none) */
};

/*
 * Open the copy beside database file db if it is current for stamp gen:
 * 1 with *out set (the segments stay open, so a copy replaced meanwhile
 * is still read whole), 0 when absent, out of date or damaged.
 */
struct colfile;
int	colfile_open(const char *db, const char *name, int64_t gen,
	    struct colfile **out);
/*
 * Open the copy whatever its stamp (1 when its segments agree, 0 when
 * absent or damaged): the caller compares colfile_made with the database.
 */
int	colfile_open_made(const char *db, const char *name,
	    struct colfile **out);
const struct colstamp *colfile_made(const struct colfile *);
/* The subject ids segment seg holds: lo <= id < hi. */
void	colfile_range(const struct colfile *, int seg, int64_t *lo,
	    int64_t *hi);
uint64_t colfile_rows(const struct colfile *);
int	colfile_nseg(const struct colfile *);
/*
 * Read segment seg in blocks: fn(arg, rows, n) per block. Segments may
 * be read by different threads at once. 0, or -1 with e filled.
 */
int	colfile_scan(const struct colfile *, int seg,
	    void (*fn)(void *, const struct colrec *, size_t), void *arg,
	    struct err *e);
void	colfile_close(struct colfile *);

/*
 * Writing segment seg of nseg: create, put rows in key order, then
 * finish with keep = 1 to write the header and rename the segment into
 * place (keep = 0 discards it). A row that does not fit struct colrec
 * (an id beyond 32 bits, a day before 1970 or after 2149) spoils the
 * writer: finish then discards and returns -1. The writer owns its
 * buffer and file; finish frees it.
 */
struct colfile_writer;
struct colfile_writer *colfile_create(const char *db, const char *name,
	    int seg, int nseg);
void	colfile_put(struct colfile_writer *, int64_t subject, int64_t metric,
	    int32_t day, double value);
int	colfile_ok(const struct colfile_writer *);
/* The segment's subject ids (lo <= id < hi) and its table's log row. */
void	colfile_set(struct colfile_writer *, int64_t lo, int64_t hi,
	    int64_t seq, int64_t tag);
int	colfile_finish(struct colfile_writer *, int64_t gen, int keep);

#endif /* THIDUA_SNAPCACHE_COL_H */
