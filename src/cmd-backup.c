/*
 * cmd-backup.c: thidua backup FILE [--force]
 * A consistent copy of the database while it is in use (store.h): SQLite's
 * online backup API, or pg_dump's custom format on PostgreSQL (and says
 * which). Refuses to overwrite FILE unless --force.
 */
#include <inttypes.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "award-ledger.h"
#include "store.h"
#include "util.h"

static int
exec_backup(struct cli *cli, int argc, char **argv, struct err *e)
{
	int force = 0, n, pg = store_backend(cli->st) == STORE_PG;
	const struct opt opts[] = {
		{ "force", OPT_FLAG, &force },
		{ NULL, 0, NULL }
	};
	const char *method = pg ? "pg_dump --format=custom" :
	    "sqlite3_backup (online)";
	struct ledger_check lc;
	struct stat sb;
	struct sb out;

	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0)
		return -1;
	if (n != 1)
		return err_set(e, ERR_USAGE, "%s: thidua backup FILE [--force]",
		    TR("cách dùng", "usage"));
	if (!force && access(argv[1], F_OK) == 0)
		return err_at(e, ERR_USER, argv[1], 0, 0, NULL, "%s",
		    TR("tệp đã có; dùng --force để ghi đè",
		    "the file exists; use --force to overwrite it"));
	/* The head the copy holds (taken before: the copy holds at least it). */
	if (ledger_verify(cli->st, &lc, e) != 0 ||
	    store_backup(cli->st, cli->db, argv[1], e) != 0)
		return -1;
	if (stat(argv[1], &sb) != 0)
		sb.st_size = 0;
	sb_init(&out);
	if (cli->format == FMT_JSON) {
		sb_puts(&out, "{\"backup\": ");
		sb_json_str(&out, argv[1]);
		sb_printf(&out, ", \"backend\": \"%s\", \"method\": \"%s\", "
		    "\"bytes\": %lld, \"schema\": %d, \"ledger_head\": "
		    "{\"seq\": %" PRId64 ", \"hash\": \"%s\"}}\n",
		    pg ? "postgresql" : "sqlite", method, (long long)sb.st_size,
		    store_schema_version(cli->st), lc.head_seq, lc.head);
	} else
		sb_printf(&out, "%s: %s (%s, %lld %s)\n", argv[1],
		    TR("đã sao lưu", "backed up"), method,
		    (long long)sb.st_size, TR("byte", "bytes"));
	fputs(out.s, stdout);
	sb_free(&out);
	return 0;
}

const struct cmd cmd_backup = {
	"backup", "FILE [--force]",
	"sao lưu nhất quán khi đang phục vụ (SQLite: sao lưu trực tuyến; "
	"PostgreSQL: pg_dump)",
	"a consistent backup while serving (SQLite: online backup; "
	"PostgreSQL: pg_dump)",
	CMD_DB, exec_backup
};
