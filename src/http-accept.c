/*
 * http-accept.c: the listening socket and the thread that accepts on it.
 *
 * Why not libmicrohttpd's own accept: with a thread pool (0.9.75) every
 * pool thread watches the one listening socket and the first awake takes
 * a whole burst of connections, ten at a time. Under the benchmark's 64
 * connections opened at once, counting each pool thread's epoll set
 * (/proc/PID/fdinfo) gave 54/14, 66/2 and 3/65 in three runs: the clients
 * of the busy thread waited for one core's worth of work while the other
 * thread idled, and p99 was twice nginx's. Here one thread accepts and
 * hands each connection to MHD_add_connection, which gives it to the pool
 * thread numbered by the socket modulo the pool's size. Which thread is
 * the caller's choice (http.c: the one with fewest connections among
 * those not held by a long request), made real by giving the socket a
 * number of that residue (fd_for_thread, a dup or two); a burst is shared
 * evenly (32/32), and a thread busy for seconds with a cold report's load
 * gets no new clients to keep waiting (it got every other one when the
 * number alone chose: test_api_cold_report.py failed 3 runs in 4). The
 * per-address limit and each thread's share of --max-conn stay
 * libmicrohttpd's (it refuses, closing the socket); this thread stops
 * accepting while --max-conn connections are open, so that the next
 * clients wait in the kernel's backlog rather than being refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "http-accept.h"
#include "http-mhd.h"
#include "util.h"

#define BACKLOG		1024
#define BURST		64	/* accepts per wake-up, at most */
#define PAUSE_MS	10	/* at the cap, or out of descriptors */

struct acceptor {
	int		 fd;		/* the listening socket (non-blocking) */
	int		 stop[2];	/* a pipe: a byte on it ends the thread */
	pthread_t	 thread;
	int		 running;
	struct MHD_Daemon *d;
	unsigned	 max_conn;
	long		(*open_conns)(void);
	unsigned	 pool;		/* libmicrohttpd's pool size */
	int		(*pick)(void);	/* the pool thread wanted, or -1 */
	void		(*refused)(int);	/* pick's choice came to nothing */
};

int
acceptor_listen(struct acceptor **out, const struct sockaddr_in *sa,
    struct err *e)
{
	struct acceptor *a = xcalloc(1, sizeof *a);
	int one = 1;

	a->stop[0] = a->stop[1] = -1;
	a->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (a->fd < 0 ||
	    setsockopt(a->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(a->fd, (const struct sockaddr *)sa, sizeof *sa) != 0 ||
	    listen(a->fd, BACKLOG) != 0 ||
	    pipe2(a->stop, O_CLOEXEC) != 0) {
		int saved = errno;

		acceptor_stop(a);
		errno = saved;
		return err_set(e, ERR_SYSTEM, "%s", strerror(errno));
	}
	*out = a;
	return 0;
}

unsigned
acceptor_port(const struct acceptor *a)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;

	if (getsockname(a->fd, (struct sockaddr *)&sa, &len) != 0)
		return 0;
	return ntohs(sa.sin_port);
}

/*
 * fd, or a duplicate of it numbered want modulo n (fd then closed), the
 * lowest such number free: libmicrohttpd gives a connection to the pool
 * thread of that number. fd as it is when want is -1 or no number is had
 * (the descriptor limit, say): any thread will do.
 */
static int
fd_for_thread(int fd, unsigned n, int want)
{
	int d = fd;

	if (want < 0 || n < 2)
		return fd;
	for (int tries = 0; tries < 8 && d % (int)n != want; tries++) {
		int min = d + (want - d % (int)n + (int)n) % (int)n;
		int nd = fcntl(fd, F_DUPFD_CLOEXEC, min);

		if (nd < 0)
			break;
		if (d != fd)
			close(d);
		d = nd;
	}
	if (d % (int)n != want) {
		if (d != fd)
			close(d);
		return fd;
	}
	if (d != fd)
		close(fd);
	return d;
}

/* Accept what is waiting (BURST at most) and hand it over. */
static void
accept_burst(struct acceptor *a)
{
	for (int i = 0; i < BURST && a->open_conns() < (long)a->max_conn; i++) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof ss;
		int want, fd = accept4(a->fd, (struct sockaddr *)&ss, &len,
		    SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM)
				poll(NULL, 0, PAUSE_MS);
			if (errno != EINTR && errno != ECONNABORTED)
				return;		/* EAGAIN: all taken */
			continue;
		}
		want = a->pick ? a->pick() : -1;
		fd = fd_for_thread(fd, a->pool, want);
		/* refused (the per-address limit, a full pool): MHD closes it */
		if (MHD_add_connection(a->d, fd, (struct sockaddr *)&ss,
		    len) != MHD_YES && want >= 0 && a->refused)
			a->refused(want);
	}
}

static void *
accept_main(void *arg)
{
	struct acceptor *a = arg;

	for (;;) {
		int full = a->open_conns() >= (long)a->max_conn;
		struct pollfd p[2] = {
			{ full ? -1 : a->fd, POLLIN, 0 },
			{ a->stop[0], POLLIN, 0 },
		};

		if (poll(p, 2, full ? PAUSE_MS : -1) < 0 && errno != EINTR)
			poll(NULL, 0, PAUSE_MS);
		if (p[1].revents)
			break;
		if (p[0].revents & POLLIN)
			accept_burst(a);
	}
	return NULL;
}

int
acceptor_run(struct acceptor *a, struct MHD_Daemon *d, unsigned max_conn,
    long (*open_conns)(void), unsigned pool, int (*pick)(void),
    void (*refused)(int), struct err *e)
{
	int rc;

	a->d = d;
	a->pool = pool;
	a->pick = pick;
	a->refused = refused;
	a->max_conn = max_conn;
	a->open_conns = open_conns;
	if ((rc = pthread_create(&a->thread, NULL, accept_main, a)) != 0)
		return err_set(e, ERR_SYSTEM, "pthread_create: %s", strerror(rc));
	a->running = 1;
	return 0;
}

void
acceptor_stop(struct acceptor *a)
{
	if (a == NULL)
		return;
	if (a->running) {
		ssize_t n;

		do
			n = write(a->stop[1], "", 1);
		while (n < 0 && errno == EINTR);
		pthread_join(a->thread, NULL);
	}
	if (a->fd >= 0)
		close(a->fd);
	if (a->stop[0] >= 0)
		close(a->stop[0]);
	if (a->stop[1] >= 0)
		close(a->stop[1]);
	free(a);
}
