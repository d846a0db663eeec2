/*
 * snapcache.c: the generation check of derived copies, the copies kept in
 * memory, and the gentle writeback of the copies beside a SQLite file
 * (snapcache.h). Those copies themselves are snapcache-elig.c and
 * snapcache-col.c.
 */
#include <fcntl.h>
#include <linux/ioprio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "par.h"
#include "snapcache.h"
#include "store.h"

struct snapcache_ent {
	int64_t	 stamp;
	char	*doc;
};

int
snapcache_stamp(struct store *st, const char *gen, int64_t *stamp,
    struct err *e)
{
	return store_generation(st, gen, stamp, e);
}

int
snapcache_mem_get(struct snapcache_mem *m, const char *key, int64_t stamp,
    struct sb *out)
{
	int64_t i;
	int hit = 0;

	pthread_rwlock_rdlock(&m->mu);
	if (m->ent != NULL && codemap_get(&m->idx, key, &i, NULL) &&
	    snapcache_current(m->ent[i].stamp, stamp)) {
		sb_puts(out, m->ent[i].doc);
		hit = 1;
	}
	pthread_rwlock_unlock(&m->mu);
	return hit;
}

/* Everything dropped (the lock held, or no other thread about). */
static void
clear(struct snapcache_mem *m)
{
	if (m->ent == NULL)
		return;
	for (size_t i = 0; i < m->n; i++)
		free(m->ent[i].doc);
	free(m->ent);
	m->ent = NULL;
	m->n = 0;
	codemap_free(&m->idx);
}

void
snapcache_mem_put(struct snapcache_mem *m, const char *key, int64_t stamp,
    const char *doc)
{
	int64_t i;

	pthread_rwlock_wrlock(&m->mu);
	if (m->ent == NULL || m->n >= m->max) {
		clear(m);
		codemap_init(&m->idx);
		m->ent = xcalloc(m->max, sizeof *m->ent);
	}
	if (!codemap_get(&m->idx, key, &i, NULL)) {
		i = (int64_t)m->n++;
		codemap_put(&m->idx, key, i, 0);
	}
	free(m->ent[i].doc);
	m->ent[i].doc = xstrdup(doc);
	m->ent[i].stamp = stamp;
	pthread_rwlock_unlock(&m->mu);
}

void
snapcache_mem_free(struct snapcache_mem *m)
{
	pthread_rwlock_wrlock(&m->mu);
	clear(m);
	pthread_rwlock_unlock(&m->mu);
}

/* ---- gentle writeback of the copies beside a SQLite file ---- */

#define TRICKLE_CHUNK	((off_t)2 << 20)	/* in flight at most: twice */

static _Atomic int trickle;
static pthread_mutex_t later_mu = PTHREAD_MUTEX_INITIALIZER;

void
snapcache_trickle_on(int on)
{
	trickle = on;
}

int
snapcache_trickling(void)
{
	return trickle;
}

void
snapcache_trickle(int fd)
{
	struct stat sb;
	long prio = syscall(SYS_ioprio_get, IOPRIO_WHO_PROCESS, 0);

	if (fstat(fd, &sb) != 0)
		return;
	/* (the thread's own priority, which the writes it starts carry) */
	(void)syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0,
	    IOPRIO_PRIO_VALUE(IOPRIO_CLASS_IDLE, 0));
	for (off_t off = 0; off < sb.st_size; off += TRICKLE_CHUNK) {
		if (sync_file_range(fd, off, TRICKLE_CHUNK,
		    SYNC_FILE_RANGE_WRITE) != 0)
			break;
		if (off > 0 && sync_file_range(fd, off - TRICKLE_CHUNK,
		    TRICKLE_CHUNK, SYNC_FILE_RANGE_WAIT_BEFORE |
		    SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER) != 0)
			break;
	}
	if (prio >= 0)
		(void)syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, (int)prio);
}

static void
trickle_main(void *arg)
{
	char *path = arg;
	int fd;

	pthread_mutex_lock(&later_mu);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		snapcache_trickle(fd);
		close(fd);
	}
	pthread_mutex_unlock(&later_mu);
	free(path);
}

void
snapcache_trickle_later(char *path)
{
	par_later(trickle_main, path);
}
