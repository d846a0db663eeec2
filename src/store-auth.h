/*
 * store-auth.h: store operations behind accounts, sessions, API tokens,
 * login throttling and unit scope (store-auth.c). Used by auth.c only.
 *
 * Strings in struct account are copied in; nothing here allocates for
 * the caller. Every function returns 0 (or 1 for "found"), or -1 with
 * e set (ERR_SYSTEM, or ERR_CONFLICT / ERR_NOTFOUND as stated).
 */
#ifndef THIDUA_STORE_AUTH_H
#define THIDUA_STORE_AUTH_H

#include <stdint.h>

#include "err.h"

struct store;

struct account {
	int64_t		 id;
	char		 login[65];
	char		 pwhash[128];
	char		 role[16];
	int64_t		 unit_id;	/* 0: none */
	char		 unit[33];	/* the unit's code, "" for none */
	int		 disabled;
};

/* Insert; ERR_CONFLICT when the login exists, ERR_NOTFOUND for an unknown unit. */
int	 store_auth_account_insert(struct store *, const struct account *,
	    int64_t now, int64_t *id, struct err *);
/* 1 found, 0 not found, -1 error. */
int	 store_auth_account_get(struct store *, const char *login,
	    struct account *, struct err *);
/* Sessions stored (open, or expired and not yet purged). */
int	 store_auth_session_count(struct store *, long *n, struct err *);
int	 store_auth_account_count(struct store *, long *n, struct err *);
/* Calls fn for each account in login order; stops when fn returns non-zero. */
int	 store_auth_account_each(struct store *,
	    int (*fn)(void *, const struct account *), void *, struct err *);
int	 store_auth_account_set(struct store *, int64_t id, const char *pwhash,
	    int disabled, struct err *);

int	 store_auth_session_insert(struct store *, const char *hash,
	    int64_t account, const char *csrf, int64_t now, const char *addr,
	    struct err *);
/* 1 found (active account), 0 not, -1 error; csrf has 65 bytes. */
int	 store_auth_session_get(struct store *, const char *hash,
	    struct account *, char *csrf, int64_t *created, int64_t *last_seen,
	    struct err *);
int	 store_auth_session_touch(struct store *, const char *hash, int64_t now,
	    struct err *);
int	 store_auth_session_delete(struct store *, const char *hash,
	    struct err *);
/* Delete every session of an account (disable, password change). */
int	 store_auth_session_delete_account(struct store *, int64_t account,
	    struct err *);

int	 store_auth_token_insert(struct store *, int64_t account,
	    const char *hash, int64_t now, int64_t expires, int64_t *id,
	    struct err *);
/* 1 found (not revoked, not expired at now, account active), 0 not,
 * -1 error. */
int	 store_auth_token_get(struct store *, const char *hash, int64_t now,
	    struct account *, struct err *);
/* Revoke by id (hash NULL) or by hash; 1 revoked, 0 no such token. */
int	 store_auth_token_revoke(struct store *, int64_t id, const char *hash,
	    struct err *);
int	 store_auth_token_revoke_account(struct store *, int64_t account,
	    struct err *);

int	 store_auth_fail_insert(struct store *, const char *key, int64_t now,
	    struct err *);
/* Failures of key at or after since: count, oldest and newest time. */
int	 store_auth_fail_count(struct store *, const char *key, int64_t since,
	    long *n, int64_t *oldest, int64_t *newest, struct err *);
int	 store_auth_fail_clear(struct store *, const char *key, struct err *);

/* Delete sessions idle since idle_before or created before made_before,
 * and login failures older than fail_before. */
int	 store_auth_purge(struct store *, int64_t idle_before, int64_t made_before,
	    int64_t fail_before, struct err *);

/*
 * Unit scope. store_auth_subject_unit: the unit a code stands for (the unit
 * itself, or a person's unit): 1 found, 0 not. store_auth_task_unit: a task's
 * unit. store_auth_unit_parent: the parent (0 for a root).
 */
int	 store_auth_subject_unit(struct store *, const char *code,
	    int64_t *unit, struct err *);
int	 store_auth_task_unit(struct store *, const char *code, int64_t *unit,
	    struct err *);
int	 store_auth_unit_parent(struct store *, int64_t unit, int64_t *parent,
	    struct err *);
/*
 * Who holds innovation CODE: its owning unit (0: none) and the current
 * units of its first `max` authors (*n of them). 1 found, 0 not, -1 error.
 */
int	 store_auth_innovation_scope(struct store *, const char *code,
	    int64_t *owner, int64_t *units, int max, int *n, struct err *);

#endif
