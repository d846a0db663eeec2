/*
 * cmd-restore.c: thidua restore FILE [--force]
 * Restores a backup made by `thidua backup` into the database, refusing
 * one that holds data unless --force, records the restore in the audit
 * trail, then runs the checks of `thidua check` (check.h) on the result:
 * exit 1 when they find a fault.
 */
#include <stdio.h>
#include <unistd.h>

#include <jansson.h>

#include "audit.h"
#include "check.h"
#include "cmd.h"
#include "store.h"
#include "util.h"

static int
exec_restore(struct cli *cli, int argc, char **argv, struct err *e)
{
	int force = 0, n;
	const struct opt opts[] = {
		{ "force", OPT_FLAG, &force },
		{ NULL, 0, NULL }
	};
	struct check_report r;
	struct sb out;
	long held;

	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0)
		return -1;
	if (n != 1)
		return err_set(e, ERR_USAGE, "%s: thidua restore FILE [--force]",
		    TR("cách dùng", "usage"));
	if (access(argv[1], R_OK) != 0)
		return err_at(e, ERR_USER, argv[1], 0, 0, NULL, "%s",
		    TR("không đọc được tệp sao lưu", "cannot read the backup"));
	if ((held = store_holds_data(cli->st, e)) < 0)
		return -1;
	if (held > 0 && !force)
		return err_set(e, ERR_USER, "%s: %s (%ld %s); %s", cli->db,
		    TR("cơ sở dữ liệu đã có dữ liệu", "the database holds data"),
		    held, TR("đơn vị, người, mục sổ và tài khoản",
		    "units, people, ledger entries and accounts"),
		    TR("dùng --force để ghi đè", "use --force to overwrite it"));
	/*
	 * The restored trail is the backup's: the restore itself is the
	 * first entry after it (the copy is not a transaction of ours).
	 */
	if (store_restore(cli->st, cli->db, argv[1], e) != 0 ||
	    audit_record_json(cli->st, "restore", "database", NULL, NULL,
	    json_pack("{s:s, s:b}", "file", argv[1], "force", force), e) != 0 ||
	    check_run(cli->st, &r, e) != 0)
		return -1;
	sb_init(&out);
	if (cli->format == FMT_JSON) {
		sb_puts(&out, "{\"restored\": ");
		sb_json_str(&out, argv[1]);
		sb_puts(&out, ", \"check\": ");
		check_json(&r, &out);
		out.s[--out.len] = '\0';	/* the check's newline */
		sb_puts(&out, "}\n");
	} else {
		sb_printf(&out, "%s: %s\n", argv[1], TR("đã khôi phục",
		    "restored"));
		check_text(&r, &out);
	}
	fputs(out.s, stdout);
	sb_free(&out);
	if (!r.ok)
		return err_set(e, ERR_USER, "%s", TR("đã khôi phục nhưng kiểm "
		    "tra thấy lỗi", "restored, but the checks found a fault"));
	return 0;
}

const struct cmd cmd_restore = {
	"restore", "FILE [--force]",
	"khôi phục bản sao lưu (từ chối ghi đè dữ liệu nếu không có --force), "
	"rồi kiểm tra",
	"restore a backup (never over data without --force), then check it",
	CMD_DB_RAW, exec_restore
};
