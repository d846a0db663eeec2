/*
 * cmd-init.c: thidua init [--rules FILE]
 * Creates the database or upgrades it to the newest migration, then
 * loads the default rule set (or FILE) when the rules engine is built.
 */
#include <stdio.h>

#include "cmd.h"
#include "init.h"
#include "store.h"
#include "util.h"

static int
exec_init(struct cli *cli, int argc, char **argv, struct err *e)
{
	const char *rules = NULL;
	const struct opt opts[] = {
		{ "rules", OPT_STR, &rules },
		{ NULL, 0, NULL }
	};
	int n, before;

	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0)
		return -1;
	if (n > 0)
		return err_set(e, ERR_USAGE, "%s: %s", argv[1],
		    TR("đối số thừa", "unexpected argument"));
	before = store_schema_version(cli->st);
	if (store_migrate(cli->st, e) != 0)
		return -1;
	if (init_hooks_run(cli->st, rules, e) != 0)
		return -1;
	fprintf(stderr, "%s: %s (%s %d → %d)\n", cli->db,
	    before == 0 ? TR("đã tạo cơ sở dữ liệu", "database created") :
	    TR("cơ sở dữ liệu đã cập nhật", "database up to date"),
	    TR("lược đồ", "schema"), before, store_schema_version(cli->st));
	return 0;
}

const struct cmd cmd_init = {
	"init", "[--rules FILE]",
	"tạo hoặc nâng cấp cơ sở dữ liệu, nạp bộ quy tắc mặc định",
	"create or upgrade the database, load the default rule set",
	CMD_DB_RAW, exec_init
};
