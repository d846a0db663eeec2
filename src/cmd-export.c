/*
 * cmd-export.c: thidua export KIND [--format csv|json] [-o FILE]
 * Writes what `thidua import KIND` reads, with the same columns, so an
 * export followed by an import changes nothing.
 */
#include <stdio.h>

#include "cmd.h"
#include "import.h"
#include "util.h"

static int
exec_export(struct cli *cli, int argc, char **argv, struct err *e)
{
	const char *outpath = NULL;
	const struct opt opts[] = {
		{ "output", OPT_STR, &outpath },
		{ NULL, 0, NULL }
	};
	const struct kind *k;
	FILE *out = stdout;
	int n, rc;

	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0)
		return -1;
	if (n != 1)
		return err_set(e, ERR_USAGE, "%s: thidua export KIND "
		    "[--format csv|json] [--output FILE]", TR("cách dùng", "usage"));
	if ((k = kind_find(argv[1])) == NULL)
		return err_set(e, ERR_USAGE, "%s '%s'", TR("không có loại dữ liệu",
		    "no such kind"), argv[1]);
	if (outpath && (out = fopen(outpath, "w")) == NULL)
		return err_at(e, ERR_USER, outpath, 0, 0, NULL, "%s",
		    TR("không mở được tệp để ghi", "cannot open the file for writing"));
	rc = export_kind(cli->st, k, cli->format == FMT_JSON, out, e);
	if (out != stdout && fclose(out) != 0 && rc == 0)
		rc = err_at(e, ERR_SYSTEM, outpath, 0, 0, NULL, "%s",
		    TR("không ghi được tệp", "cannot write the file"));
	return rc;
}

const struct cmd cmd_export = {
	"export", "KIND [--format csv|json] [--output FILE]",
	"xuất dữ liệu theo đúng các cột của lệnh import",
	"export data with the same columns import reads",
	CMD_DB, exec_export
};
