/*
 * cmd-token.c: thidua token create LOGIN | thidua token revoke ID|TOKEN
 * API tokens for scripts (Authorization: Bearer TOKEN). create prints the
 * token once on stdout (its number on stderr); only its hash is kept.
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "cmd.h"
#include "util.h"

struct token_op {
	const char	*arg;
	char		 token[AUTH_SECRET_LEN + 1];
	int64_t		 id;
};

static int
do_create(struct store *st, void *arg, struct err *e)
{
	struct token_op *o = arg;

	return auth_token_create(st, o->arg, o->token, &o->id, e);
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
	int n;

	memset(&o, 0, sizeof o);
	if ((n = opt_parse(cli, argc - 1, argv + 1, NULL, e)) < 0)
		return -1;
	argv++;
	if (n != 2)
		return err_set(e, ERR_USAGE, "thidua token create LOGIN | "
		    "thidua token revoke ID|TOKEN");
	o.arg = argv[1];
	audit_context(NULL, "cli");
	if (strcmp(argv[0], "create") == 0) {
		if (auth_txn(cli->st, do_create, &o, e) != 0)
			return -1;
		if (cli->format == FMT_JSON)
			printf("{\"id\":%lld,\"token\":\"%s\"}\n",
			    (long long)o.id, o.token);
		else {
			fprintf(stderr, "%s %lld (%s)\n", TR("mã truy cập số",
			    "token number"), (long long)o.id,
			    TR("chỉ hiện một lần", "shown once"));
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
	"token", "create LOGIN | revoke ID|TOKEN",
	"tạo hoặc thu hồi mã truy cập API",
	"create or revoke an API token",
	CMD_DB, exec_token
};
