/*
 * store-pg-dump.c: backup and restore of a PostgreSQL database, by
 * PostgreSQL's own tools (store-int.h): pg_dump in its custom format for
 * the current schema, pg_restore in one transaction. They run as child
 * processes with the same connection URL; their messages go to stderr.
 */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store-int.h"
#include "util.h"

extern char **environ;

/* Run argv (argv[0] looked up in PATH); 0 when it exits 0. */
static int
run_tool(char *const argv[], struct err *e)
{
	pid_t pid;
	int st, rc;

	if ((rc = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ)) != 0)
		return err_set(e, ERR_SYSTEM, "%s: %s", argv[0], strerror(rc));
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return err_set(e, ERR_SYSTEM, "%s: %s", argv[0],
			    strerror(errno));
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return err_set(e, ERR_SYSTEM, "%s %s %d", argv[0],
		    TR("thất bại, mã thoát", "failed, exit status"),
		    WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}

/* The connection's current schema, into out. */
static int
current_schema(struct store *st, char *out, size_t sz, struct err *e)
{
	struct store_stmt *s = store_prepare_err(st, "SELECT current_schema()",
	    e);
	int rc;

	if (s == NULL)
		return -1;
	rc = store_step(s);
	if (rc == STORE_ROW)
		snprintf(out, sz, "%s", store_col_text(s, 0));
	store_reset(s);
	return rc == STORE_ROW ? 0 : store_err(st, e);
}

int
pg_dump_backup(struct store *st, const char *target, const char *path,
    struct err *e)
{
	char schema[256], tmp[4096], nflag[300], fflag[4200];
	char *argv[] = { "pg_dump", "--format=custom", "--no-owner",
	    "--no-privileges", nflag, fflag, "--dbname", (char *)target, NULL };

	if (current_schema(st, schema, sizeof schema, e) != 0)
		return -1;
	snprintf(tmp, sizeof tmp, "%s.part", path);
	snprintf(nflag, sizeof nflag, "--schema=%s", schema);
	snprintf(fflag, sizeof fflag, "--file=%s", tmp);
	unlink(tmp);
	if (run_tool(argv, e) != 0) {
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) != 0) {
		unlink(tmp);
		return err_set(e, ERR_SYSTEM, "%s: %s", path, strerror(errno));
	}
	return 0;
}

int
pg_dump_restore(struct store *st, const char *target, const char *path,
    struct err *e)
{
	char *argv[] = { "pg_restore", "--no-owner", "--no-privileges",
	    "--exit-on-error", "--single-transaction", "--clean", "--if-exists",
	    "--dbname", (char *)target, (char *)path, NULL };

	(void)st;
	if (access(path, R_OK) != 0)
		return err_set(e, ERR_USER, "%s: %s", path, strerror(errno));
	return run_tool(argv, e);
}
