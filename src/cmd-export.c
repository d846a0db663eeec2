/*
 * cmd-export.c: thidua export KIND [--format csv|json|xlsx] [-o FILE]
 * Writes what `thidua import KIND` reads, with the same columns, so an
 * export followed by an import changes nothing. --format xlsx writes a
 * workbook (import-xlsx-write.h) whose cells carry their column's type; without
 * -o it goes to standard output through a temporary file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cmd.h"
#include "import.h"
#include "util.h"
#include "import-xlsx-write.h"

/* The workbook to path, or to standard output through a temporary file. */
static int
export_xlsx(struct store *st, const struct kind *k, const char *path,
    struct err *e)
{
	const char *tmp = getenv("TMPDIR");
	char name[4096], buf[65536];
	FILE *f;
	size_t n;
	int fd, rc;

	if (path)
		return export_kind_xlsx(st, k, path, e);
	snprintf(name, sizeof name, "%s/thidua-export-XXXXXX",
	    tmp != NULL && *tmp ? tmp : "/tmp");
	if ((fd = mkstemp(name)) < 0)
		return err_set(e, ERR_SYSTEM, "%s: %s", name,
		    TR("không tạo được tệp tạm", "cannot create a temporary file"));
	close(fd);
	if ((rc = export_kind_xlsx(st, k, name, e)) == 0) {
		if ((f = fopen(name, "rb")) == NULL)
			rc = err_set(e, ERR_SYSTEM, "%s: %s", name, TR(
			    "không đọc lại được tệp", "cannot read the file back"));
		else {
			while ((n = fread(buf, 1, sizeof buf, f)) > 0)
				fwrite(buf, 1, n, stdout);
			fclose(f);
			if (fflush(stdout) != 0)
				rc = err_set(e, ERR_SYSTEM, "%s", TR(
				    "không ghi được", "cannot write"));
		}
	}
	unlink(name);
	return rc;
}

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
		    "[--format csv|json|xlsx] [--output FILE]", TR("cách dùng", "usage"));
	if ((k = kind_find(argv[1])) == NULL)
		return err_set(e, ERR_USAGE, "%s '%s'", TR("không có loại dữ liệu",
		    "no such kind"), argv[1]);
	if (cli->format == FMT_XLSX)
		return export_xlsx(cli->st, k, outpath, e);
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
	"export", "KIND [--format csv|json|xlsx] [--output FILE]",
	"xuất dữ liệu theo đúng các cột của lệnh import",
	"export data with the same columns import reads",
	CMD_DB, exec_export
};
