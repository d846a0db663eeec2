/*
 * snapcache-col.c: columnar copies of big tables beside a SQLite database
 * (snapcache-col.h). A segment is a 64-byte header then nrows struct colrec:
 *   magic "THIDUAR2", u32 seg, u32 nseg, i64 generation, u64 nrows,
 *   i64 lo, i64 hi (the segment's subject ids), i64 seq, i64 tag (the
 *   last row of records_log or targets_log the rows include).
 * Files are written and read with pwrite/pread in 1 MiB blocks, so
 * reading a copy does not grow the process's resident memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "snapcache-col.h"
#include "snapcache.h"
#include "metrics.h"
#include "util.h"

#define MAGIC		"THIDUAR2"
#define HEADER		64
#define BLOCK_ROWS	65536		/* 1 MiB of rows */

struct header {
	char		magic[8];
	uint32_t	seg, nseg;
	int64_t		gen;
	uint64_t	nrows;
	int64_t		lo, hi;
	int64_t		seq, tag;
};

_Static_assert(sizeof(struct colrec) == 16, "struct colrec is 16 bytes");
_Static_assert(sizeof(struct header) == HEADER, "the header is 64 bytes");

static char *
seg_path(const char *db, const char *name, int seg, const char *suffix)
{
	size_t n = strlen(db) + strlen(name) + 48;
	char *p = xmalloc(n);

	snprintf(p, n, "%s-%s.%d%s", db, name, seg, suffix);
	return p;
}

/* Read and check the header of segment seg: 0 ok, -1 otherwise. */
static int
read_header(int fd, int seg, struct header *h)
{
	struct stat sb;

	if (pread(fd, h, sizeof *h, 0) != (ssize_t)sizeof *h ||
	    memcmp(h->magic, MAGIC, 8) != 0 || h->seg != (uint32_t)seg ||
	    h->nseg == 0 || h->nseg > COLFILE_MAXSEG || fstat(fd, &sb) != 0 ||
	    (uint64_t)sb.st_size != HEADER + h->nrows * sizeof(struct colrec))
		return -1;
	return 0;
}

struct colfile {
	char		*db, *name;
	int		 nseg;
	int		 fd[COLFILE_MAXSEG];
	uint64_t	 nrows[COLFILE_MAXSEG];
	int64_t		 lo[COLFILE_MAXSEG], hi[COLFILE_MAXSEG];
	struct colstamp	 made;
};

void
colfile_close(struct colfile *cf)
{
	if (cf == NULL)
		return;
	for (int i = 0; i < cf->nseg; i++)
		if (cf->fd[i] >= 0)
			close(cf->fd[i]);
	free(cf->db);
	free(cf->name);
	free(cf);
}

/*
 * Open every segment; 1 when they agree (one stamp, one count of
 * segments) and, with gen non-NULL, were made at *gen.
 */
static int
open_segments(const char *db, const char *name, const int64_t *gen,
    struct colfile **out)
{
	struct colfile *cf = xcalloc(1, sizeof *cf);

	cf->db = xstrdup(db);
	cf->name = xstrdup(name);
	cf->nseg = 1;
	for (int i = 0; i < COLFILE_MAXSEG; i++)
		cf->fd[i] = -1;
	for (int seg = 0; seg < cf->nseg; seg++) {
		char *p = seg_path(db, name, seg, "");
		struct header h;

		cf->fd[seg] = open(p, O_RDONLY | O_CLOEXEC);
		free(p);
		if (cf->fd[seg] < 0 || read_header(cf->fd[seg], seg, &h) != 0 ||
		    (gen != NULL && !snapcache_current(h.gen, *gen)) ||
		    (seg > 0 && (h.nseg != (uint32_t)cf->nseg ||
		    h.gen != cf->made.gen || h.seq != cf->made.seq ||
		    h.tag != cf->made.tag || h.lo != cf->hi[seg - 1]))) {
			colfile_close(cf);
			return 0;
		}
		cf->nseg = (int)h.nseg;
		cf->nrows[seg] = h.nrows;
		cf->lo[seg] = h.lo;
		cf->hi[seg] = h.hi;
		cf->made.gen = h.gen;
		cf->made.seq = h.seq;
		cf->made.tag = h.tag;
	}
	*out = cf;
	return 1;
}

int
colfile_open(const char *db, const char *name, int64_t gen,
    struct colfile **out)
{
	int rc = open_segments(db, name, &gen, out);

	metrics_snapshot(name, !rc);
	return rc;
}

int
colfile_open_made(const char *db, const char *name, struct colfile **out)
{
	return open_segments(db, name, NULL, out);
}

const struct colstamp *
colfile_made(const struct colfile *cf)
{
	return &cf->made;
}

void
colfile_range(const struct colfile *cf, int seg, int64_t *lo, int64_t *hi)
{
	*lo = cf->lo[seg];
	*hi = cf->hi[seg];
}

uint64_t
colfile_rows(const struct colfile *cf)
{
	uint64_t n = 0;

	for (int i = 0; i < cf->nseg; i++)
		n += cf->nrows[i];
	return n;
}

int
colfile_nseg(const struct colfile *cf)
{
	return cf->nseg;
}

int
colfile_scan(const struct colfile *cf, int seg,
    void (*fn)(void *, const struct colrec *, size_t), void *arg,
    struct err *e)
{
	struct colrec *buf = xmalloc(BLOCK_ROWS * sizeof *buf);
	uint64_t at = 0, n = cf->nrows[seg];
	int fd = cf->fd[seg];

	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	while (at < n) {
		size_t want = n - at < BLOCK_ROWS ? (size_t)(n - at) : BLOCK_ROWS;
		ssize_t got = pread(fd, buf, want * sizeof *buf,
		    (off_t)(HEADER + at * sizeof *buf));

		if (got != (ssize_t)(want * sizeof *buf)) {
			err_set(e, ERR_SYSTEM, "%s-%s.%d: %s", cf->db, cf->name, seg,
			    got < 0 ? strerror(errno) : TR("tệp bị cắt ngắn",
			    "file truncated"));
			free(buf);
			return -1;
		}
		fn(arg, buf, want);
		at += want;
	}
	free(buf);
	return 0;
}

struct colfile_writer {
	char		*path, *tmp;
	int		 fd;
	struct header	 h;
	struct colrec	*buf;		/* BLOCK_ROWS rows, written when full */
	size_t		 n;
	int		 bad;
};

/* Write the buffered rows (after the header, at their place). */
static void
drain(struct colfile_writer *w)
{
	size_t len = w->n * sizeof *w->buf;
	off_t at = (off_t)(HEADER + (w->h.nrows - w->n) * sizeof *w->buf);

	if (w->n && !w->bad && pwrite(w->fd, w->buf, len, at) != (ssize_t)len)
		w->bad = 1;
	w->n = 0;
}

struct colfile_writer *
colfile_create(const char *db, const char *name, int seg, int nseg)
{
	struct colfile_writer *w = xcalloc(1, sizeof *w);
	static _Atomic unsigned long seq;
	char suffix[48];

	snprintf(suffix, sizeof suffix, ".tmp%ld-%lu", (long)getpid(), seq++);
	w->path = seg_path(db, name, seg, "");
	/* the pid and a per-process count make the temporary name unique */
	w->tmp = seg_path(db, name, seg, suffix);
	memcpy(w->h.magic, MAGIC, 8);
	w->h.seg = (uint32_t)seg;
	w->h.nseg = (uint32_t)nseg;
	w->fd = -1;
	if (nseg < 1 || nseg > COLFILE_MAXSEG ||
	    (w->fd = open(w->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0)
		w->bad = 1;
	else
		w->buf = xmalloc(BLOCK_ROWS * sizeof *w->buf);
	return w;
}

void
colfile_put(struct colfile_writer *w, int64_t subject, int64_t metric,
    int32_t day, double value)
{
	struct colrec *r;

	if (w->bad)
		return;
	if (subject < 0 || subject > INT32_MAX || metric < 0 ||
	    metric > UINT16_MAX || day < 0 || day > UINT16_MAX) {
		w->bad = 1;
		return;
	}
	r = &w->buf[w->n++];
	r->subject = (int32_t)subject;
	r->metric = (uint16_t)metric;
	r->day = (uint16_t)day;
	r->value = value;
	w->h.nrows++;
	if (w->n == BLOCK_ROWS)
		drain(w);
}

int
colfile_ok(const struct colfile_writer *w)
{
	return !w->bad;
}

void
colfile_set(struct colfile_writer *w, int64_t lo, int64_t hi, int64_t seq,
    int64_t tag)
{
	w->h.lo = lo;
	w->h.hi = hi;
	w->h.seq = seq;
	w->h.tag = tag;
}

int
colfile_finish(struct colfile_writer *w, int64_t gen, int keep)
{
	int rc = -1;

	if (w->fd >= 0) {
		w->h.gen = gen;
		if (keep && !w->bad)
			drain(w);
		if (keep && !w->bad &&
		    pwrite(w->fd, &w->h, sizeof w->h, 0) == (ssize_t)sizeof w->h)
			rc = 0;
		if (close(w->fd) != 0)
			rc = -1;
		if (rc == 0 && rename(w->tmp, w->path) != 0)
			rc = -1;
		if (rc != 0)
			unlink(w->tmp);
		else if (snapcache_trickling()) {
			snapcache_trickle_later(w->path);
			w->path = NULL;
		}
	}
	free(w->buf);
	free(w->path);
	free(w->tmp);
	free(w);
	return keep ? rc : 0;
}
