/*
 * cmd-user.c: thidua user add LOGIN --role ROLE [--unit CODE]
 *             thidua user list | disable LOGIN | passwd LOGIN
 * Accounts of the HTTP server. A password is read from stdin (its first
 * line) when stdin is not a terminal and not empty; otherwise one is
 * generated and printed once on stdout.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "auth.h"
#include "cmd.h"
#include "store-auth.h"
#include "util.h"

/* Password from stdin, or generated (*generated = 1). */
static void
read_password(char *buf, size_t sz, int *generated)
{
	*generated = 0;
	buf[0] = '\0';
	if (!isatty(STDIN_FILENO) && fgets(buf, (int)sz, stdin) != NULL)
		buf[strcspn(buf, "\r\n")] = '\0';
	if (buf[0] == '\0') {
		auth_password_generate(buf);
		*generated = 1;
	}
}

struct user_op {
	const char	*login, *role, *unit;
	char		 pw[256];
	int		 generated;
};

static int
do_add(struct store *st, void *arg, struct err *e)
{
	struct user_op *o = arg;

	return auth_user_add(st, o->login, o->role, o->unit, o->pw, e);
}

static int
do_passwd(struct store *st, void *arg, struct err *e)
{
	struct user_op *o = arg;

	return auth_user_passwd(st, o->login, o->pw, e);
}

static int
do_disable(struct store *st, void *arg, struct err *e)
{
	return auth_user_disable(st, ((struct user_op *)arg)->login, e);
}

static void
print_password(struct cli *cli, const struct user_op *o)
{
	if (cli->format == FMT_JSON) {
		struct sb j;

		sb_init(&j);
		sb_puts(&j, "{\"login\":");
		sb_json_str(&j, o->login);
		sb_puts(&j, ",\"password\":");
		if (o->generated)
			sb_json_str(&j, o->pw);
		else
			sb_puts(&j, "null");
		sb_puts(&j, "}\n");
		fputs(j.s, stdout);
		sb_free(&j);
	} else if (o->generated) {
		fprintf(stderr, "%s %s:\n", TR("Mật khẩu (chỉ hiện một lần) của",
		    "Password (shown once) for"), o->login);
		printf("%s\n", o->pw);
	}
}

struct list_ctx {
	struct cli	*cli;
	struct sb	 out;
	int		 n;
};

static int
list_one(void *arg, const struct account *a)
{
	struct list_ctx *c = arg;

	if (c->cli->format == FMT_JSON) {
		if (c->n)
			sb_putc(&c->out, ',');
		sb_puts(&c->out, "{\"login\":");
		sb_json_str(&c->out, a->login);
		sb_puts(&c->out, ",\"role\":");
		sb_json_str(&c->out, a->role);
		sb_puts(&c->out, ",\"unit\":");
		if (a->unit[0])
			sb_json_str(&c->out, a->unit);
		else
			sb_puts(&c->out, "null");
		sb_printf(&c->out, ",\"disabled\":%s}",
		    a->disabled ? "true" : "false");
	} else
		sb_printf(&c->out, "%-24s %-10s %-12s %s\n", a->login, a->role,
		    a->unit[0] ? a->unit : "-", a->disabled ?
		    TR("đã khóa", "disabled") : "");
	c->n++;
	return 0;
}

static int
exec_user(struct cli *cli, int argc, char **argv, struct err *e)
{
	struct user_op o;
	const struct opt opts[] = {
		{ "role", OPT_STR, &o.role },
		{ "unit", OPT_STR, &o.unit },
		{ NULL, 0, NULL }
	};
	int n;

	memset(&o, 0, sizeof o);
	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0)
		return -1;
	argv++;
	if (n < 1)
		return err_set(e, ERR_USAGE, "%s: add|list|disable|passwd",
		    TR("thiếu lệnh con", "missing subcommand"));
	audit_context(NULL, "cli");
	if (strcmp(argv[0], "list") == 0) {
		struct list_ctx c = { cli, { 0 }, 0 };

		sb_init(&c.out);
		if (cli->format == FMT_JSON)
			sb_puts(&c.out, "[");
		if (store_auth_account_each(cli->st, list_one, &c, e) != 0) {
			sb_free(&c.out);
			return -1;
		}
		if (cli->format == FMT_JSON)
			sb_puts(&c.out, "]\n");
		fputs(c.out.s, stdout);
		sb_free(&c.out);
		return 0;
	}
	if (n != 2)
		return err_set(e, ERR_USAGE, "%s: thidua user %s LOGIN",
		    TR("cần đúng một tên đăng nhập", "expected one login"), argv[0]);
	o.login = argv[1];
	if (strcmp(argv[0], "add") == 0) {
		if (o.role == NULL)
			return err_set(e, ERR_USAGE, "--role: %s",
			    TR("thiếu giá trị", "missing value"));
		read_password(o.pw, sizeof o.pw, &o.generated);
		if (auth_txn(cli->st, do_add, &o, e) != 0)
			return -1;
		print_password(cli, &o);
		return 0;
	}
	if (strcmp(argv[0], "passwd") == 0) {
		read_password(o.pw, sizeof o.pw, &o.generated);
		if (auth_txn(cli->st, do_passwd, &o, e) != 0)
			return -1;
		print_password(cli, &o);
		return 0;
	}
	if (strcmp(argv[0], "disable") == 0)
		return auth_txn(cli->st, do_disable, &o, e);
	return err_set(e, ERR_USAGE, "%s '%s' (add|list|disable|passwd)",
	    TR("không rõ lệnh con", "unknown subcommand"), argv[0]);
}

const struct cmd cmd_user = {
	"user", "add LOGIN --role ROLE [--unit CODE] | list | disable LOGIN | "
	"passwd LOGIN",
	"quản lý tài khoản của máy chủ (mật khẩu từ stdin hoặc tự sinh)",
	"manage server accounts (password from stdin, or generated)",
	CMD_DB, exec_user
};
