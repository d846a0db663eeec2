/*
 * snapcache-elig.c: the eligibility snapshot's copy beside a SQLite database
 * (see snapcache-elig.h). The file is a header, then each array of struct
 * elig_snap in the order of the table below, raw, each starting on a
 * 64-byte boundary and followed by at least one spare element (as the
 * loader allocates them). The header carries every count the sizes
 * derive from, so a file is accepted only when its length is exactly what
 * its header says. A reader maps the file (private, populated) and points
 * the snapshot's arrays into the mapping: nothing is copied or zeroed.
 * A copy out of date by ratings and awards alone is made writable (still
 * private: only the pages written are copied, the file never changes)
 * and brought up to date from the log (elig_cache_update).
 *
 * On PostgreSQL there is no file beside the database: a server
 * (elig_cache_memory) keeps its copies in files of no name in memory
 * (memfd_create), one a year and rule set, held by mem[] below and read
 * exactly as a file beside a SQLite database is. The name "" stands for
 * them where a database's path is passed.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "snapcache-elig.h"
#include "snapcache.h"
#include "metrics.h"
#include "par.h"
#include "store.h"
#include "store-elig.h"
#include "util.h"

#define CACHE_MAGIC	"THIDUAE6"
#define CACHE_ALIGN	64
/* an updated copy is written back when the log since it names this many
 * subjects (each read again by every reader until then), or has this many
 * rows (a copy more than STORE_ELIG_DELTA_MAX behind is loaded whole) */
#define ELIG_CACHE_REWRITE_SUBJECTS	4096
#define ELIG_CACHE_REWRITE_ROWS		16384

struct header {
	char		magic[8];
	uint32_t	version;	/* sizeof the header: the layout */
	int32_t		year;
	int64_t		gen;
	uint64_t	fp;
	/* counts (enum count below indexes them) */
	uint64_t	n[13];
	/* the rest of what it was read at (gen above: store-elig.h) */
	int64_t		base, seq, tag, sseq, stag;
};

/* What an array's length is counted in. */
enum count { C_ALEN, C_NUNIT, C_NPERSON, C_NSUBJ, C_NINNOV, C_NINC,
	C_NSTAY, C_NAUTH, C_NDISC, C_NDIR, C_NEXT, C_NSUB, C_NSVC, /* in the header */
	C_NPERSON1, C_NSUBJ1, C_NSUBJY, C_NUNIT1 };		/* from those */

/* The arrays of the snapshot, in file order. */
static const struct array {
	size_t		off;	/* of the pointer in struct elig_snap */
	size_t		size;	/* of one element */
	enum count	count;
} arrays[] = {
	{ offsetof(struct elig_snap, arena), 1, C_ALEN },
	{ offsetof(struct elig_snap, code), sizeof(uint32_t), C_NSUBJ },
	{ offsetof(struct elig_snap, rating), 1, C_NSUBJY },
	{ offsetof(struct elig_snap, hist), sizeof(uint64_t), C_NSUBJY },
	{ offsetof(struct elig_snap, parent), sizeof(int32_t), C_NUNIT },
	{ offsetof(struct elig_snap, ukind), 1, C_NUNIT },
	{ offsetof(struct elig_snap, military), 1, C_NUNIT },
	{ offsetof(struct elig_snap, category), 1, C_NPERSON },
	{ offsetof(struct elig_snap, joined), sizeof(int32_t), C_NPERSON },
	{ offsetof(struct elig_snap, left), sizeof(int32_t), C_NPERSON },
	{ offsetof(struct elig_snap, home), sizeof(int32_t), C_NPERSON },
	{ offsetof(struct elig_snap, stay_off), sizeof(uint32_t), C_NPERSON1 },
	{ offsetof(struct elig_snap, stay), sizeof(int32_t), C_NSTAY },
	{ offsetof(struct elig_snap, icode), sizeof(uint32_t), C_NINNOV },
	{ offsetof(struct elig_snap, iyear), sizeof(int16_t), C_NINNOV },
	{ offsetof(struct elig_snap, ilevel), 1, C_NINNOV },
	{ offsetof(struct elig_snap, ikind), 1, C_NINNOV },
	{ offsetof(struct elig_snap, ibenefit), sizeof(int64_t), C_NINNOV },
	{ offsetof(struct elig_snap, iused), sizeof(uint64_t), C_NINNOV },
	{ offsetof(struct elig_snap, auth_off), sizeof(uint32_t), C_NPERSON1 },
	{ offsetof(struct elig_snap, auth), sizeof(uint32_t), C_NAUTH },
	{ offsetof(struct elig_snap, disc_off), sizeof(uint32_t), C_NSUBJ1 },
	{ offsetof(struct elig_snap, disc), sizeof(struct elig_disc), C_NDISC },
	{ offsetof(struct elig_snap, inc), sizeof(struct elig_incident), C_NINC },
	{ offsetof(struct elig_snap, ever), sizeof(uint64_t), C_NSUBJ },
	{ offsetof(struct elig_snap, ever_rt), 1, C_NSUBJ },
	{ offsetof(struct elig_snap, sex), 1, C_NPERSON },
	{ offsetof(struct elig_snap, svc_off), sizeof(uint32_t), C_NPERSON1 },
	{ offsetof(struct elig_snap, svc), sizeof(struct elig_svc), C_NSVC },
	{ offsetof(struct elig_snap, sid), sizeof(int64_t), C_NSUBJ },
	/* derived (elig_snap_derive) */
	{ offsetof(struct elig_snap, dir_off), sizeof(uint32_t), C_NUNIT1 },
	{ offsetof(struct elig_snap, dir), sizeof(uint32_t), C_NDIR },
	{ offsetof(struct elig_snap, ext_off), sizeof(uint32_t), C_NUNIT1 },
	{ offsetof(struct elig_snap, ext), sizeof(uint32_t), C_NEXT },
	{ offsetof(struct elig_snap, sub_off), sizeof(uint32_t), C_NUNIT1 },
	{ offsetof(struct elig_snap, sub), sizeof(int32_t), C_NSUB },
	{ offsetof(struct elig_snap, nmem), sizeof(uint32_t), C_NUNIT },
	{ offsetof(struct elig_snap, joined_ymd), sizeof(uint32_t), C_NPERSON },
	{ offsetof(struct elig_snap, authp), sizeof(uint32_t), C_NAUTH },
	{ offsetof(struct elig_snap, held), 1, C_NSUBJ },
	{ offsetof(struct elig_snap, hist_y), sizeof(uint64_t), C_NSUBJ },
	{ offsetof(struct elig_snap, joined_text), 10, C_NPERSON },
};
#define NARRAYS	(sizeof arrays / sizeof arrays[0])

static void **
slot(struct elig_snap *sn, const struct array *a)
{
	return (void **)((char *)sn + a->off);
}

/* The element count of array a under header h. */
static uint64_t
count_of(const struct header *h, const struct array *a)
{
	switch (a->count) {
	case C_NPERSON1:
		return h->n[C_NPERSON] + 1;
	case C_NSUBJ1:
		return h->n[C_NSUBJ] + 1;
	case C_NSUBJY:
		return h->n[C_NSUBJ] * ELIG_NY;
	case C_NUNIT1:
		return h->n[C_NUNIT] + 1;
	default:
		return h->n[a->count];
	}
}

/* The bytes array a takes in the file under header h: its elements, a
 * spare one, then zeros up to the next boundary. */
static uint64_t
span_of(const struct header *h, const struct array *a)
{
	uint64_t n = (count_of(h, a) + 1) * a->size;

	return (n + CACHE_ALIGN - 1) / CACHE_ALIGN * CACHE_ALIGN;
}

/* Where the first array starts. */
#define FIRST_ARRAY	((sizeof(struct header) + CACHE_ALIGN - 1) / CACHE_ALIGN * CACHE_ALIGN)


static uint64_t
elig_cache_fingerprint(const struct ruleset *rs)
{
	uint64_t h = hash_fnv1a(HASH_FNV1A_INIT, rs->code,
	    strlen(rs->code) + 1);
	const int ny = ELIG_NY;

	for (int a = 0; a < rs->naward; a++) {
		const unsigned char campaign = rs->awards[a].campaign != 0;

		h = hash_fnv1a(h, rs->awards[a].code,
		    strlen(rs->awards[a].code) + 1);
		h = hash_fnv1a(h, &campaign, 1);
	}
	return hash_fnv1a(h, &ny, sizeof ny);
}

/* ---- copies in memory (PostgreSQL, a server) ---- */

#define MEM_COPIES	8

static struct mem_copy {
	int		 fd;
	int		 year;
	uint64_t	 fp;
	uint64_t	 used;	/* when last put or read (mem_clock); 0:
				   the slot is free */
} mem[MEM_COPIES];
static pthread_mutex_t mem_mu = PTHREAD_MUTEX_INITIALIZER;
static uint64_t mem_clock;
static int mem_on;

static void close_later(void *);

/* The name a database's copies go by: "" for those in memory. */
static int
in_memory(const char *db)
{
	return db[0] == '\0';
}

void
elig_cache_memory(int on)
{
	pthread_mutex_lock(&mem_mu);
	for (int i = 0; !on && i < MEM_COPIES; i++) {
		if (mem[i].used > 0)
			close(mem[i].fd);
		mem[i].used = 0;
	}
	mem_on = on;
	pthread_mutex_unlock(&mem_mu);
}

/* The copy of year for fp in memory, as a descriptor of the caller's own
 * (to close), or -1 when there is none. */
static int
mem_get(int year, uint64_t fp)
{
	int fd = -1;

	pthread_mutex_lock(&mem_mu);
	for (int i = 0; i < MEM_COPIES; i++)
		if (mem[i].used > 0 && mem[i].year == year && mem[i].fp == fp) {
			fd = fcntl(mem[i].fd, F_DUPFD_CLOEXEC, 0);
			mem[i].used = ++mem_clock;
			break;
		}
	pthread_mutex_unlock(&mem_mu);
	return fd;
}

/* fd (taken) as the copy of year for fp in memory, in place of the one
 * before it, else in a free slot, else in that of the copy read longest
 * ago; the one replaced closed later, on nobody's time (its pages are
 * freed with its last mapping). */
static void
mem_put(int year, uint64_t fp, int fd)
{
	int k = 0, old = -1;

	pthread_mutex_lock(&mem_mu);
	for (int i = 0; i < MEM_COPIES; i++) {
		if (mem[i].used > 0 && mem[i].year == year && mem[i].fp == fp) {
			k = i;
			break;
		}
		if (mem[i].used < mem[k].used)
			k = i;
	}
	if (mem[k].used > 0)
		old = mem[k].fd;
	mem[k] = (struct mem_copy){ fd, year, fp, ++mem_clock };
	pthread_mutex_unlock(&mem_mu);
	if (old >= 0)
		par_later(close_later, (void *)(intptr_t)old);
}

static char *
cache_path(const char *db, int year, const char *suffix)
{
	size_t n = strlen(db) + strlen(suffix) + 32;
	char *path = xmalloc(n);

	snprintf(path, n, "%s-elig-%d%s", db, year, suffix);
	return path;
}

/* Write exactly n bytes at the file's position. 0 or -1. */
static int
write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n > 0) {
		size_t chunk = n > (1 << 30) ? (1 << 30) : n;
		ssize_t k = write(fd, p, chunk);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Write n zero bytes (padding). 0 or -1. */
static int
put_zeros(int fd, size_t n)
{
	static char zeros[CACHE_ALIGN];

	for (size_t k; n > 0; n -= k) {
		k = n < sizeof zeros ? n : sizeof zeros;
		if (write_all(fd, zeros, k) != 0)
			return -1;
	}
	return 0;
}

int
elig_stamp_same(const struct elig_stamp *a, const struct elig_stamp *b)
{
	return snapcache_current(a->gen, b->gen) && a->base == b->base &&
	    a->seq == b->seq && a->tag == b->tag;
}

/*
 * The copy of year for fingerprint fp into sn: 1 when it is current at
 * now, 2 when it is sound but was made at *had (sn filled either way), 0
 * when there is none fit to read (sn empty).
 */
static int
elig_cache_read(const char *db, int year, const struct elig_stamp *now,
    uint64_t fp, struct elig_snap *sn, struct elig_stamp *had)
{
	char *path = in_memory(db) ? NULL : cache_path(db, year, "");
	int fd = path == NULL ? mem_get(year, fp) :
	    open(path, O_RDONLY | O_CLOEXEC);
	struct header h;
	struct stat st;
	uint64_t want = FIRST_ARRAY, off = FIRST_ARRAY;
	char *map;
	int ok;

	memset(sn, 0, sizeof *sn);
	free(path);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) != 0 || (uint64_t)st.st_size < FIRST_ARRAY ||
	    (map = mmap(NULL, st.st_size, PROT_READ,
	    MAP_PRIVATE | MAP_POPULATE, fd, 0)) == MAP_FAILED) {
		close(fd);
		return 0;
	}
	close(fd);	/* the mapping keeps the file */
	sn->map = map;
	sn->maplen = st.st_size;
	memcpy(&h, map, sizeof h);
	if (memcmp(h.magic, CACHE_MAGIC, 8) != 0 || h.version != sizeof h ||
	    h.year != year || h.fp != fp ||
	    h.n[C_NSUBJ] != h.n[C_NUNIT] + h.n[C_NPERSON] || h.n[C_NSUBJ] > UINT32_MAX)
		goto bad;
	for (size_t i = 0; i < NARRAYS; i++) {
		if (count_of(&h, &arrays[i]) > (uint64_t)st.st_size)
			goto bad;	/* nonsense counts: no overflow below */
		want += span_of(&h, &arrays[i]);
	}
	if (want != (uint64_t)st.st_size)
		goto bad;
	sn->year = year;
	sn->nunit = h.n[C_NUNIT];
	sn->nperson = h.n[C_NPERSON];
	sn->nsubj = h.n[C_NSUBJ];
	sn->ninnov = h.n[C_NINNOV];
	sn->ninc = h.n[C_NINC];
	sn->alen = sn->acap = h.n[C_ALEN];
	for (size_t i = 0; i < NARRAYS; i++) {
		*slot(sn, &arrays[i]) = map + off;
		off += span_of(&h, &arrays[i]);
	}
	/* every offset array must stay inside its values */
	ok = sn->stay_off[sn->nperson] == h.n[C_NSTAY] &&
	    sn->auth_off[sn->nperson] == h.n[C_NAUTH] &&
	    sn->disc_off[sn->nsubj] == h.n[C_NDISC] &&
	    sn->dir_off[sn->nunit] == h.n[C_NDIR] &&
	    sn->ext_off[sn->nunit] == h.n[C_NEXT] &&
	    sn->sub_off[sn->nunit] == h.n[C_NSUB] &&
	    sn->svc_off[sn->nperson] == h.n[C_NSVC] &&
	    (sn->alen == 0 || sn->arena[sn->alen - 1] == '\0');
	*had = (struct elig_stamp){ h.gen, h.base, h.seq, h.tag, h.sseq,
	    h.stag };
	if (ok)
		return elig_stamp_same(had, now) ? 1 : 2;
bad:
	elig_snap_free(sn);
	return 0;
}

static void
close_later(void *arg)
{
	close((int)(intptr_t)arg);
}

/*
 * A file for a new copy of year beside db: unnamed (O_TMPFILE in db's
 * directory: a writer killed half-way, say by the SIGPIPE of a report
 * piped into head, leaves nothing behind; *tmp NULL), or where the file
 * system has no such files, named as mkostemp names it (*tmp, its name:
 * a name of this writer's own, so two writers, in two processes or two
 * server threads, never share a file). -1 when neither can be made.
 */
static int
copy_open(const char *db, int year, char **tmp)
{
	const char *slash = strrchr(db, '/');
	char *dir;
	int fd;

	*tmp = NULL;
	if (in_memory(db))
		return memfd_create("thidua-elig", MFD_CLOEXEC);
	dir = slash == NULL ? xstrdup(".") : xstrndup(db,
	    slash == db ? 1 : (size_t)(slash - db));
	/* (an unnamed file is named through /proc/self/fd: without it, none) */
	fd = access("/proc/self/fd", X_OK) == 0 ?
	    open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0644) : -1;
	free(dir);
	if (fd >= 0)
		return fd;
	*tmp = cache_path(db, year, ".tmpXXXXXX");
	if ((fd = mkostemp(*tmp, O_CLOEXEC)) < 0) {
		free(*tmp);
		*tmp = NULL;
	}
	return fd;
}

/* The header and arrays of sn, read at stamp, into fd. 0 or -1. */
static int
copy_fill(int fd, const struct elig_stamp *stamp, uint64_t fp,
    const struct elig_snap *sn)
{
	struct header h;
	int ok;

	memset(&h, 0, sizeof h);
	memcpy(h.magic, CACHE_MAGIC, 8);
	h.version = sizeof h;
	h.year = sn->year;
	h.gen = stamp->gen;
	h.base = stamp->base;
	h.seq = stamp->seq;
	h.tag = stamp->tag;
	h.sseq = stamp->sseq;
	h.stag = stamp->stag;
	h.fp = fp;
	h.n[C_ALEN] = sn->alen;
	h.n[C_NUNIT] = sn->nunit;
	h.n[C_NPERSON] = sn->nperson;
	h.n[C_NSUBJ] = sn->nsubj;
	h.n[C_NINNOV] = sn->ninnov;
	h.n[C_NINC] = sn->ninc;
	h.n[C_NSTAY] = sn->stay_off != NULL ? sn->stay_off[sn->nperson] : 0;
	h.n[C_NAUTH] = sn->auth_off != NULL ? sn->auth_off[sn->nperson] : 0;
	h.n[C_NDISC] = sn->disc_off != NULL ? sn->disc_off[sn->nsubj] : 0;
	h.n[C_NDIR] = sn->dir_off[sn->nunit];
	h.n[C_NEXT] = sn->ext_off[sn->nunit];
	h.n[C_NSUB] = sn->sub_off[sn->nunit];
	h.n[C_NSVC] = sn->svc_off != NULL ? sn->svc_off[sn->nperson] : 0;
	ok = fchmod(fd, 0644) == 0 && write_all(fd, &h, sizeof h) == 0 &&
	    put_zeros(fd, FIRST_ARRAY - sizeof h) == 0;
	for (size_t i = 0; ok && i < NARRAYS; i++) {
		const void *p = *slot((struct elig_snap *)sn, &arrays[i]);
		size_t n = count_of(&h, &arrays[i]) * arrays[i].size;

		ok = (n == 0 || (p != NULL && write_all(fd, p, n) == 0)) &&
		    put_zeros(fd, span_of(&h, &arrays[i]) - n) == 0;
	}
	return ok ? 0 : -1;
}

/*
 * The file fd (copy_open's, closed here) in place of db's copy of year
 * when ok, by a rename over it (an unnamed file first linked to a name
 * of its own); else dropped. The copy replaced is held open over the
 * rename: its last close, which frees it, then comes later, on nobody's
 * time (par_later).
 */
static void
copy_publish(const char *db, int year, uint64_t fp, int fd, char *tmp,
    int ok)
{
	char *path, proc[40];
	int old, t;

	if (in_memory(db)) {
		if (ok)
			mem_put(year, fp, fd);
		else
			close(fd);
		return;
	}
	path = cache_path(db, year, "");
	if (tmp == NULL && ok) {
		/* (linkat needs a name nobody holds: mkostemp's, let go) */
		tmp = cache_path(db, year, ".tmpXXXXXX");
		if ((t = mkostemp(tmp, O_CLOEXEC)) >= 0) {
			close(t);
			unlink(tmp);
		}
		snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
		if (t < 0 || linkat(AT_FDCWD, proc, AT_FDCWD, tmp,
		    AT_SYMLINK_FOLLOW) != 0) {
			free(tmp);
			tmp = NULL;
			ok = 0;
		}
	}
	if (close(fd) != 0)
		ok = 0;
	old = ok ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	if (tmp != NULL && (!ok || rename(tmp, path) != 0))
		unlink(tmp);
	if (old >= 0)
		par_later(close_later, (void *)(intptr_t)old);
	free(tmp);
	free(path);
}

/*
 * THIDUA_TEST_COPY_PAUSE_MS: sleep that long between writing a copy and
 * putting it in place (tests: a report killed meanwhile leaves nothing).
 */
static void
copy_pause(void)
{
	test_pause_env("THIDUA_TEST_COPY_PAUSE_MS");
}

/*
 * A copy written beside the report (elig_cache_beside): the job owns its
 * file and a copy of the database's name, and reads the snapshot's
 * arrays, which it belongs to (sn->join: elig_snap_free joins it first).
 */
struct copy_job {
	struct par_beside	 b;
	char			*db;
	int			 fd;
	struct elig_stamp	 stamp;
	uint64_t		 fp;
	const struct elig_snap	*sn;
};

static int beside = 1;

void
elig_cache_beside(int on)
{
	beside = on;
}

static void *
copy_main(void *arg)
{
	struct copy_job *j = arg;
	int ok = copy_fill(j->fd, &j->stamp, j->fp, j->sn) == 0;

	if (ok && snapcache_trickling() && !in_memory(j->db))
		snapcache_trickle(j->fd);	/* (PostgreSQL's: no disk) */
	copy_pause();
	copy_publish(j->db, j->sn->year, j->fp, j->fd, NULL, ok);
	return NULL;
}

static void
copy_join(void *arg)
{
	struct copy_job *j = arg;

	par_beside_join(&j->b);
	free(j->db);
	free(j);
}

/*
 * Leave a copy of sn, read at stamp, beside db for the next reader: on a
 * thread beside the caller's report when elig_cache_beside is on and the
 * file can be unnamed until it is whole (at a million people the copy is
 * 220 MB and its write 0.1-0.6 s, which then overlaps the evaluation
 * instead of coming before it), else here. A copy that cannot be written
 * is simply absent.
 */
static void
elig_cache_write(const char *db, const struct elig_stamp *stamp, uint64_t fp,
    struct elig_snap *sn)
{
	struct copy_job *j;
	char *tmp;
	int fd, ok;

	if (sn->join != NULL)
		sn->join(sn->join_arg);	/* (one writer a snapshot) */
	sn->join = NULL;
	if ((fd = copy_open(db, sn->year, &tmp)) < 0)
		return;
	if (beside && tmp == NULL) {
		j = xmalloc(sizeof *j);
		*j = (struct copy_job){ .db = xstrdup(db), .fd = fd,
		    .stamp = *stamp, .fp = fp, .sn = sn };
		if (par_beside(&j->b, copy_main, j) == 0) {
			sn->join = copy_join;
			sn->join_arg = j;
			return;
		}
		free(j->db);
		free(j);
	}
	ok = copy_fill(fd, stamp, fp, sn) == 0;
	copy_pause();
	copy_publish(db, sn->year, fp, fd, tmp, ok);
}

/* The stamp now (its own read transaction unless one is open). */
static int
stamp_now(struct store *st, struct elig_stamp *t)
{
	struct err ignored;
	int txn = store_in_txn(st), rc;

	if (!txn && store_begin_read(st) != 0)
		return -1;
	rc = store_elig_stamp(st, t, &ignored);
	if (!txn)
		store_commit(st);
	return rc;
}

int
elig_cache_stamp(struct store *st, struct elig_stamp *now)
{
	return stamp_now(st, now);
}

/*
 * A sound copy made before writes of ratings or awards only: brought up
 * to date in memory from the log (store_elig_delta), its members derived
 * again when a rating of the year came or went, and written back when
 * that was done or the log grew long since it, so that the next reader
 * finds it current or nearly so. 0 done, 1 not possible, -1.
 */
static int
elig_cache_update(struct store *st, const struct ruleset *rs, const char *db,
    uint64_t fp, struct elig_snap *sn, const struct elig_stamp *had,
    struct err *e)
{
	static const size_t members[] = {
		offsetof(struct elig_snap, dir_off), offsetof(struct elig_snap, dir),
		offsetof(struct elig_snap, ext_off), offsetof(struct elig_snap, ext),
		offsetof(struct elig_snap, sub_off), offsetof(struct elig_snap, sub),
		offsetof(struct elig_snap, nmem),
		offsetof(struct elig_snap, joined_ymd),
		offsetof(struct elig_snap, joined_text),
		offsetof(struct elig_snap, authp),
	};
	struct elig_stamp now;
	struct elig_delta d;
	int rc;

	if (mprotect(sn->map, sn->maplen, PROT_READ | PROT_WRITE) != 0)
		return 1;	/* (private: the file is never written) */
	if ((rc = store_elig_delta(st, rs, sn, had, &now, &d, e)) != 0)
		return rc;
	if (d.members) {
		elig_snap_derive_members(sn);
		for (size_t i = 0; i < sizeof members / sizeof members[0]; i++)
			sn->own[sn->nown++] = *(void **)((char *)sn + members[i]);
	}
	if (d.members || d.subjects >= ELIG_CACHE_REWRITE_SUBJECTS ||
	    d.rows >= ELIG_CACHE_REWRITE_ROWS)
		elig_cache_write(db, &now, fp, sn);
	return 0;
}

int
elig_cache_load(struct store *st, const struct ruleset *rs, int year,
    struct elig_snap *sn, struct err *e)
{
	char *db = store_sqlite_path(st);
	uint64_t fp = elig_cache_fingerprint(rs);
	struct elig_stamp now, had;
	struct elig_snap old;
	struct elig_from from = { NULL, { 0, 0, 0, 0, 0, 0 }, 0 };
	int rc, on;

	pthread_mutex_lock(&mem_mu);
	on = mem_on;
	pthread_mutex_unlock(&mem_mu);
	if (db == NULL && on && store_backend(st) == STORE_PG)
		db = xstrdup("");	/* (in memory) */

	if (db != NULL && stamp_now(st, &now) != 0) {
		free(db);	/* no stamp (not migrated to 0014 yet): no copy */
		db = NULL;
	}
	rc = db != NULL ? elig_cache_read(db, year, &now, fp, sn, &had) : 0;
	if (rc == 2) {
		if ((rc = elig_cache_update(st, rs, db, fp, sn, &had, e)) == 0)
			rc = 1;
		else if (rc < 0) {
			elig_snap_free(sn);
			free(db);
			return -1;
		} else {
			/* another table written: loaded, but ratings and
			 * awards taken from this copy when possible */
			old = *sn;
			memset(sn, 0, sizeof *sn);
			from.sn = &old;
			from.had = had;
			rc = 0;
		}
	}
	if (rc == 1) {
		free(db);
		metrics_snapshot("elig", 0);
		return 0;
	}
	metrics_snapshot("elig", 1);
	/* the stamp is read in the snapshot's own transaction */
	rc = store_elig_snapshot(st, rs, year, sn, db != NULL ? &now : NULL,
	    from.sn != NULL ? &from : NULL, e);
	if (from.sn != NULL)
		elig_snap_free(&old);
	if (rc != 0) {
		free(db);
		return -1;
	}
	elig_snap_derive(sn);
	if (db != NULL)
		elig_cache_write(db, &now, fp, sn);
	free(db);
	return 0;
}
