/*
 * http-accept.h: the server's listening socket and the one thread that
 * accepts on it and hands each connection to libmicrohttpd's pool
 * (http-accept.c says why the pool threads do not accept themselves).
 *
 * Ownership: acceptor_listen makes the acceptor and its socket;
 * acceptor_stop ends the thread (if acceptor_run started it), closes the
 * socket and frees the acceptor.
 */
#ifndef THIDUA_HTTP_ACCEPT_H
#define THIDUA_HTTP_ACCEPT_H

#include <netinet/in.h>

#include "err.h"

struct MHD_Daemon;
struct acceptor;

/* Binds sa and listens (SO_REUSEADDR, a backlog of 1024): 0, or -1 with
 * e set (the address in use, say). */
int	 acceptor_listen(struct acceptor **, const struct sockaddr_in *,
	    struct err *);

/* The port bound (sa's, or the kernel's choice for port 0). */
unsigned acceptor_port(const struct acceptor *);

/*
 * Accept for d (started with MHD_USE_NO_LISTEN_SOCKET) on a thread of its
 * own. While open_conns() is max_conn or more, nothing is accepted: the
 * next clients wait in the kernel's backlog, as they did when
 * libmicrohttpd accepted. Each connection goes to the pool thread
 * (of pool) that pick() names, -1 for any: pick is called on the
 * accepting thread, and refused(w) when libmicrohttpd turned down the
 * connection pick sent to thread w (pick or refused may be NULL).
 * 0, or -1 with e set.
 */
int	 acceptor_run(struct acceptor *, struct MHD_Daemon *d,
	    unsigned max_conn, long (*open_conns)(void), unsigned pool,
	    int (*pick)(void), void (*refused)(int), struct err *);

/* No more connections accepted; the socket closed. NULL is a no-op. */
void	 acceptor_stop(struct acceptor *);

#endif
