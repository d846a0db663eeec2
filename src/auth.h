/*
 * auth.h: accounts, roles, passwords, sessions, API tokens, login
 * throttling and unit scope: the one place that decides who someone is
 * and what they may touch. Used by the HTTP server (http*.c) and by the
 * `user` and `token` commands.
 *
 * Passwords are hashed with argon2id (libsodium crypto_pwhash_str_alg,
 * opslimit AUTH_OPSLIMIT, memlimit AUTH_MEMLIMIT). Session cookies and
 * API tokens are 256-bit random secrets (base64url, 43 characters); the
 * database keeps only their SHA-256 (hex).
 *
 * Functions that write (auth_user_*, auth_token_*, auth_login_record,
 * auth_logout) run inside the caller's transaction and record an audit
 * entry with the thread's audit context (audit.h). They return 0, or -1
 * with e set.
 */
#ifndef THIDUA_AUTH_H
#define THIDUA_AUTH_H

#include <stdint.h>

#include "err.h"

struct store;
struct codemap;

#define AUTH_OPSLIMIT	2ULL
#define AUTH_MEMLIMIT	(19ULL * 1024 * 1024)
#define AUTH_SECRET_LEN	43	/* base64url of 32 bytes, without padding */

enum role { ROLE_ADMIN, ROLE_COUNCIL, ROLE_COMMANDER, ROLE_CLERK,
	ROLE_VIEWER, ROLE__MAX };

/* The logged-in user of a request. */
struct user {
	int64_t		 id;
	char		 login[65];
	enum role	 role;
	int64_t		 unit_id;	/* 0: none (admin, council) */
	char		 unit[33];
	int		 cookie;	/* by session cookie: CSRF applies */
	char		 csrf[65];
	char		 session[65];	/* the session's hash (cookie only) */
	int		 touch;		/* last_seen is old: refresh it */
};

/* Tunables; the server may change them before it starts. */
struct auth_conf {
	long	 idle;		/* session idle timeout, seconds (1800) */
	long	 max_age;	/* session absolute lifetime, seconds (43200) */
	long	 window;	/* failures are remembered this long, seconds (300) */
	long	 max_login;	/* free failures per (login, address) (5) */
	long	 delay;		/* then a wait of delay, 2×delay, 4×… s (15) */
	long	 max_unknown;	/* failures per address for unknown logins (20) */
	long	 token_days;	/* API token lifetime by default, days (365) */
};
extern struct auth_conf auth_conf;

int		 auth_role_parse(const char *, enum role *);
const char	*auth_role_name(enum role);
/* Roles whose reach is limited to their unit's subtree. */
int		 auth_role_scoped(enum role);

/* out gets the crypto_pwhash_str text (at most 128 bytes). */
int	 auth_password_hash(const char *pw, char out[128], struct err *);
/* A random password of 16 letters and digits. */
void	 auth_password_generate(char out[17]);
/* A random secret (base64url, AUTH_SECRET_LEN + NUL). */
void	 auth_secret(char out[AUTH_SECRET_LEN + 1]);
/* SHA-256 of a secret, as 64 hex digits + NUL. */
void	 auth_digest(const char *secret, char out[65]);

/* Accounts. unit is required for commander, clerk and viewer. */
int	 auth_user_add(struct store *, const char *login, const char *role,
	    const char *unit, const char *password, struct err *);
/* A new password ends the account's sessions and revokes its tokens. */
int	 auth_user_passwd(struct store *, const char *login, const char *password,
	    struct err *);
/* Disable an account and end its sessions and tokens. */
int	 auth_user_disable(struct store *, const char *login, struct err *);
/* Token for LOGIN valid for `days` days (0: auth_conf.token_days): out
 * gets the secret (shown once), *id its number, *expires its end (unix s). */
int	 auth_token_create(struct store *, const char *login, long days,
	    char out[AUTH_SECRET_LEN + 1], int64_t *id, int64_t *expires,
	    struct err *);
/* Revoke by number or by the secret itself. */
int	 auth_token_revoke(struct store *, const char *id_or_token, struct err *);

/*
 * Logging in, fair to the account's owner (docs/api.md, "Login
 * throttling"). Failures count per (login, client address): the first
 * max_login are free, then each further attempt from that address waits
 * delay, 2×delay, 4×delay … seconds (at most window) after the last
 * failure; the owner at another address is not affected. Logins to
 * accounts that do not exist (or are disabled) also count per address,
 * at most max_unknown in the window. Three steps, so the password is
 * verified on a pool thread while the counting is serialised on the
 * writer thread:
 *  auth_login_begin (writer): 1 (and *retry_after seconds) when the
 *    attempt must wait; otherwise 0, and the attempt is ALREADY counted
 *    as a failure (no race between parallel attempts).
 *  auth_check_password: 1 and u filled when the password is right, 0 when
 *    not (or no such active account).
 *  auth_login_record (writer): ok=1 creates the session (cookie and
 *    u->csrf filled) and forgets the (login, address) failures, the
 *    counted attempt included; ok=0 records the failure in the audit.
 */
int	 auth_login_begin(struct store *, const char *login, const char *addr,
	    long *retry_after, struct err *);
int	 auth_check_password(struct store *, const char *login, const char *pw,
	    struct user *, struct err *);
int	 auth_login_record(struct store *, int ok, const char *login,
	    const char *addr, struct user *, char cookie[AUTH_SECRET_LEN + 1],
	    struct err *);
int	 auth_logout(struct store *, const char *session_hash, struct err *);
/* Refresh a session's last_seen (u->touch said so). */
int	 auth_touch(struct store *, const char *session_hash, struct err *);

/* Forget expired sessions and login failures past the window. */
int	 auth_purge(struct store *, struct err *);

/* Who is this? 1 and u filled, 0 unknown/expired/revoked, -1 error. */
int	 auth_session(struct store *, const char *cookie, struct user *,
	    struct err *);
int	 auth_bearer(struct store *, const char *token, struct user *,
	    struct err *);

/*
 * Unit scope: is the unit (kind 'u' code of a unit or person, 't' a
 * task's code) inside the subtree of `root`? 1 inside, 0 outside or
 * unknown, -1 error. memo (may be NULL) caches answers by code.
 * auth_unit_in: the same for a unit id.
 */
int	 auth_code_in(struct store *, int64_t root, int kind, const char *code,
	    struct codemap *memo, struct err *);
int	 auth_unit_in(struct store *, int64_t root, int64_t unit, struct err *);
/*
 * May a user scoped to root change stored innovation CODE? 1 when its
 * owning unit, or every one of its current authors, lies inside root's
 * subtree (or it is not stored yet), 0 otherwise, -1 error.
 */
int	 auth_innov_owned(struct store *, int64_t root, const char *code,
	    struct err *);

/* Run fn(st, arg, e) in one transaction: committed on 0, rolled back on -1. */
int	 auth_txn(struct store *, int (*fn)(struct store *, void *, struct err *),
	    void *arg, struct err *);

#endif
