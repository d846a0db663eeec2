/*
 * cmd-init.c: thidua init [--rules FILE] [--grant ROLE]... [--revoke ROLE]...
 * Creates the database or upgrades it to the newest migration, then
 * loads the default rule set (or FILE) when the rules engine is built.
 * On PostgreSQL, run by the owner role, it then gives every serving role
 * its rights again (the roles granted before and each --grant ROLE), so
 * tables a migration added are covered; --revoke ROLE takes them back
 * (docs/postgresql.md). Run by a serving role on a current schema it
 * changes nothing in the schema.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "rules.h"
#include "store-grant.h"
#include "store.h"
#include "util.h"

static int
listed(const struct opt_list *l, const char *name)
{
	for (int i = 0; i < l->n; i++)
		if (strcmp(l->v[i], name) == 0)
			return 1;
	return 0;
}

/* Grant the roles granted before and the new ones, revoke the others. */
static int
grants(struct cli *cli, const struct opt_list *grant,
    const struct opt_list *revoke, struct err *e)
{
	struct sb before;
	const char *r;
	int n, i, owner, rc = -1;

	if ((owner = store_grant_can_migrate(cli->st, e)) < 0)
		return -1;
	if (!owner) {
		if (grant->n == 0 && revoke->n == 0)
			return 0;
		return err_set(e, ERR_USER, "%s: %s", grant->n ? "--grant" :
		    "--revoke", TR("chỉ vai trò sở hữu lược đồ mới cấp hoặc thu "
		    "hồi quyền được (chạy với URL của vai trò chủ sở hữu)",
		    "only the role owning the schema may grant or revoke "
		    "(run with the owner role's URL)"));
	}
	sb_init(&before);
	if (store_grant_roles(cli->st, &before, &n, e) != 0)
		goto out;
	for (i = 0, r = before.s; i < n; i++, r += strlen(r) + 1) {
		if (listed(revoke, r) || listed(grant, r))
			continue;
		if (store_grant(cli->st, r, e) != 0)
			goto out;
		fprintf(stderr, "%s: %s %s\n", cli->db, TR("đã cấp lại quyền "
		    "cho vai trò phục vụ", "granted again to the serving role"), r);
	}
	for (i = 0; i < grant->n; i++) {
		if (store_grant(cli->st, grant->v[i], e) != 0)
			goto out;
		fprintf(stderr, "%s: %s %s\n", cli->db, TR("đã cấp quyền cho vai "
		    "trò phục vụ", "granted to the serving role"), grant->v[i]);
	}
	for (i = 0; i < revoke->n; i++) {
		if (store_grant_revoke(cli->st, revoke->v[i], e) != 0)
			goto out;
		fprintf(stderr, "%s: %s %s\n", cli->db, TR("đã thu hồi mọi quyền "
		    "của vai trò", "revoked every right of the role"),
		    revoke->v[i]);
	}
	rc = 0;
out:
	sb_free(&before);
	return rc;
}

static int
exec_init(struct cli *cli, int argc, char **argv, struct err *e)
{
	const char *rules = NULL;
	struct opt_list grant = { .n = 0 }, revoke = { .n = 0 };
	const struct opt opts[] = {
		{ "rules", OPT_STR, &rules },
		{ "grant", OPT_LIST, &grant },
		{ "revoke", OPT_LIST, &revoke },
		{ NULL, 0, NULL }
	};
	int n, before;

	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0)
		return -1;
	if (n > 0)
		return err_set(e, ERR_USAGE, "%s: %s", argv[1],
		    TR("đối số thừa", "unexpected argument"));
	for (int i = 0; i < grant.n; i++)
		if (listed(&revoke, grant.v[i]))
			return err_set(e, ERR_USAGE, "%s: %s", grant.v[i],
			    TR("vừa --grant vừa --revoke", "both --grant and "
			    "--revoke"));
	if ((grant.n || revoke.n) && store_backend(cli->st) != STORE_PG)
		return err_set(e, ERR_USAGE, "%s: %s", grant.n ? "--grant" :
		    "--revoke", TR("SQLite không có vai trò: bảo vệ tệp cơ sở "
		    "dữ liệu bằng quyền của tệp (xem docs/postgresql.md)",
		    "SQLite has no roles: protect the database file with its "
		    "file permissions (see docs/postgresql.md)"));
	before = store_schema_version(cli->st);
	if (store_migrate(cli->st, e) != 0)
		return -1;
	if (rules_init_default(cli->st, rules, e) != 0)
		return -1;
	if (store_backend(cli->st) == STORE_PG &&
	    grants(cli, &grant, &revoke, e) != 0)
		return -1;
	fprintf(stderr, "%s: %s (%s %d → %d)\n", cli->db,
	    before == 0 ? TR("đã tạo cơ sở dữ liệu", "database created") :
	    TR("cơ sở dữ liệu đã cập nhật", "database up to date"),
	    TR("lược đồ", "schema"), before, store_schema_version(cli->st));
	return 0;
}

const struct cmd cmd_init = {
	"init", "[--rules FILE] [--grant ROLE]... [--revoke ROLE]...",
	"tạo hoặc nâng cấp cơ sở dữ liệu, nạp bộ quy tắc mặc định; PostgreSQL: "
	"cấp quyền cho vai trò phục vụ",
	"create or upgrade the database, load the default rule set; "
	"PostgreSQL: grant a serving role its rights",
	CMD_DB_RAW, exec_init
};
