/*
 * dynlib.c: a shared library opened on its first use (see dynlib.h).
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#include "dynlib.h"
#include "util.h"

static pthread_mutex_t dl_mu = PTHREAD_MUTEX_INITIALIZER;

/* Open and look up l's functions; l->state 1, or -1 and l->why. */
static void
open_lib(struct dynlib *l)
{
	void *h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);
	const char *msg;

	if (h == NULL) {
		msg = dlerror();
		snprintf(l->why, sizeof l->why, "%s", msg != NULL ? msg : l->soname);
		l->state = -1;
		return;
	}
	for (size_t i = 0; i < l->n; i++) {
		dlerror();
		*l->slot[i] = dlsym(h, l->names[i]);
		if (*l->slot[i] == NULL && (msg = dlerror()) != NULL) {
			snprintf(l->why, sizeof l->why, "%s: %s", l->names[i], msg);
			l->state = -1;
			return;	/* (h stays open: harmless, the table unused) */
		}
	}
	l->state = 1;
}

int
dynlib_load(struct dynlib *l, struct err *e)
{
	int state;

	pthread_mutex_lock(&dl_mu);
	if (l->state == 0)
		open_lib(l);
	state = l->state;
	pthread_mutex_unlock(&dl_mu);
	if (state == 1)
		return 0;
	return err_set(e, ERR_SYSTEM, "%s %s: %s (%s)", TR("không tải được "
	    "thư viện", "cannot load the library"), l->soname, l->why,
	    l->what);
}
