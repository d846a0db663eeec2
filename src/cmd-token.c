/*
 * cmd-token.c: thidua token create LOGIN [--days N] | thidua token revoke
 * ID|TOKEN. API tokens for scripts (Authorization: Bearer TOKEN). create
 * prints the token once on stdout (its number and expiry on stderr); only
 * its hash is kept. A token expires after N days (default 365).
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "auth.h"
#include "cmd.h"
#include "util.h"

struct token_op {
	const char	*arg;
	char		 token[AUTH_SECRET_LEN + 1];
	int64_t		 id;
	long		 days;
	int64_t		 expires;
};

static int
do_create(struct store *st, void *arg, struct err *e)
{
	struct token_op *o = arg;

	return auth_token_create(st, o->arg, o->days, o->token, &o->id,
	    &o->expires, e);
}

static int
do_revoke(struct store *st, void *arg, struct err *e)
{
	return auth_token_revoke(st, ((struct token_op *)arg)->arg, e);
}

static int
exec_token(struct cli *cli, int argc, char **argv, struct err *e)
{
	struct token_op o;
	long days = LONG_MIN;	/* not given: auth_conf.token_days */
	const struct opt opts[] = {
		{ "days", OPT_INT, &days },
		{ NULL, 0, NULL }
	};
	char until[32];
	time_t t;
	struct tm tm;
	int n;

	memset(&o, 0, sizeof o);
	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0)
		return -1;
	argv++;
	if (n != 2)
		return err_set(e, ERR_USAGE, "thidua token create LOGIN [--days N] | "
		    "thidua token revoke ID|TOKEN");
	if (days != LONG_MIN && (days < 1 || days > 3660))
		return err_at(e, ERR_USAGE, NULL, 0, 0, "--days", "%s (1–3660)",
		    TR("số ngày không hợp lệ", "invalid number of days"));
	o.days = days == LONG_MIN ? 0 : days;
	o.arg = argv[1];
	audit_context(NULL, "cli");
	if (strcmp(argv[0], "create") == 0) {
		if (auth_txn(cli->st, do_create, &o, e) != 0)
			return -1;
		t = (time_t)o.expires;
		gmtime_r(&t, &tm);
		strftime(until, sizeof until, "%Y-%m-%dT%H:%M:%SZ", &tm);
		if (cli->format == FMT_JSON)
			printf("{\"id\":%lld,\"token\":\"%s\",\"expires_at\":"
			    "\"%s\"}\n", (long long)o.id, o.token, until);
		else {
			fprintf(stderr, "%s %lld (%s; %s %s)\n", TR("mã truy cập số",
			    "token number"), (long long)o.id,
			    TR("chỉ hiện một lần", "shown once"),
			    TR("hết hạn lúc", "expires at"), until);
			printf("%s\n", o.token);
		}
		return 0;
	}
	if (strcmp(argv[0], "revoke") == 0)
		return auth_txn(cli->st, do_revoke, &o, e);
	return err_set(e, ERR_USAGE, "%s '%s' (create|revoke)",
	    TR("không rõ lệnh con", "unknown subcommand"), argv[0]);
}

const struct cmd cmd_token = {
	"token", "create LOGIN [--days N] | revoke ID|TOKEN",
	"tạo hoặc thu hồi mã truy cập API",
	"create or revoke an API token",
	CMD_DB, exec_token
};
