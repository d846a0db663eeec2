/*
 * cmd-import.c: thidua import KIND FILE [--dry-run]
 * Validates the whole file against the kind's columns and writes it in
 * one transaction, or writes nothing and lists the first errors, each
 * with file:line:column, the column's name and the reason.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "audit.h"
#include "import.h"
#include "import-kinds.h"
#include "util.h"
#include "import-xlsx-read.h"

static void
json_report(const char *kind, const struct import_report *r, int ok, int dry)
{
	struct sb b;

	sb_init(&b);
	sb_printf(&b, "{\"kind\": ");
	sb_json_str(&b, kind);
	sb_printf(&b, ", \"ok\": %s, \"dry_run\": %s, \"rows\": %ld, "
	    "\"written\": %ld, \"error_count\": %ld, \"errors\": [",
	    ok ? "true" : "false", dry ? "true" : "false", r->rows, r->written,
	    r->total_err);
	for (int i = 0; i < r->nerr; i++) {
		const struct err *e = &r->errs[i];

		sb_puts(&b, i ? ", {\"file\": " : "{\"file\": ");
		sb_json_str(&b, e->file);
		sb_printf(&b, ", \"line\": %ld, \"column\": %ld, \"field\": ",
		    e->line, e->col);
		sb_json_str(&b, e->field);
		sb_puts(&b, ", \"message\": ");
		sb_json_str(&b, e->msg);
		sb_putc(&b, '}');
	}
	sb_puts(&b, "]}\n");
	fputs(b.s, stdout);
	sb_free(&b);
}

/*
 * The audit trail gets one entry per CLI import (who, from the command
 * line, which file, how many rows), in the import's transaction. Row by
 * row values are recorded for API writes; a million-row file is not
 * copied into the trail.
 */
struct import_audit {
	const char	*path;
};

static int
audit_import(void *arg, struct store *st, const struct batch *b, struct err *e)
{
	const struct import_audit *a = arg;
	struct sb j;
	int rc;

	sb_init(&j);
	sb_puts(&j, "{\"file\": ");
	sb_json_str(&j, a->path);
	sb_printf(&j, ", \"rows\": %zu, \"sha256\": \"%s\"}", b->nrows,
	    b->stamp.sha256);
	audit_context(NULL, "cli");
	rc = audit_record(st, "import", b->kind->name, NULL, NULL, j.s, e);
	sb_free(&j);
	return rc;
}

/* A CSV file, or the first sheet of an .xlsx workbook
 * (import-xlsx-read.h) whose errors are then located as FILE:SHEET!CELL. */
static int
import_file(struct cli *cli, const struct kind *k, const char *path,
    const struct import_opts *o, struct import_report *rep, struct err *e)
{
	struct xlsx_sheet sh;
	int rc;

	if (!xlsx_is_path(path))
		return import_csv_file(cli->st, k, path, o, rep, e);
	memset(rep, 0, sizeof *rep);
	if (xlsx_read_first(path, &sh, e) != 0)
		return -1;
	rc = import_csv_buffer(cli->st, k, path, sh.csv.s, sh.csv.len, o, rep, e);
	if (rc != 0)
		xlsx_locate(&sh, path, rep);
	xlsx_sheet_free(&sh);
	return rc;
}

static int
exec_import(struct cli *cli, int argc, char **argv, struct err *e)
{
	int dry = 0, n;
	const struct opt opts[] = {
		{ "dry-run", OPT_FLAG, &dry },
		{ NULL, 0, NULL }
	};
	const struct kind *k;
	struct import_opts o;
	struct import_report rep;

	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0)
		return -1;
	if (n != 2)
		return err_set(e, ERR_USAGE, "%s: thidua import KIND FILE [--dry-run]",
		    TR("cách dùng", "usage"));
	if ((k = kind_find(argv[1])) == NULL) {
		struct sb names;

		sb_init(&names);
		for (const char *const *p = kind_names(); *p; p++)
			sb_printf(&names, "%s%s", names.len ? ", " : "", *p);
		err_set(e, ERR_USAGE, "%s '%s' (%s)", TR("không có loại dữ liệu",
		    "no such kind"), argv[1], names.s);
		sb_free(&names);
		return -1;
	}
	memset(&o, 0, sizeof o);
	o.dry_run = dry;
	o.progress = cli_tty();
	o.after_write = audit_import;
	o.after_arg = &(struct import_audit){ argv[2] };
	if (import_file(cli, k, argv[2], &o, &rep, e) != 0) {
		if (e->kind != ERR_OK && rep.total_err == 0)
			return -1;
		if (cli->format == FMT_JSON)
			json_report(k->name, &rep, 0, dry);
		for (int i = 0; i < rep.nerr; i++) {
			char buf[2048];

			err_format(&rep.errs[i], buf, sizeof buf);
			fprintf(stderr, "thidua: %s\n", buf);
		}
		return err_set(e, ERR_USER, "%s: %ld %s%s; %s", argv[2],
		    rep.total_err, TR("lỗi", "error(s)"),
		    rep.total_err > rep.nerr ? TR(" (chỉ hiện 20 lỗi đầu)",
		    " (first 20 shown)") : "",
		    TR("không có gì được ghi", "nothing was written"));
	}
	if (cli->format == FMT_JSON)
		json_report(k->name, &rep, 1, dry);
	else if (dry)
		printf("%s: %ld %s\n", argv[2], rep.rows,
		    TR("dòng hợp lệ (chạy thử, chưa ghi)",
		    "rows valid (dry run, nothing written)"));
	else
		printf("%s: %ld %s %s\n", argv[2], rep.written,
		    TR("dòng đã nhập vào", "rows imported into"), k->name);
	return 0;
}

const struct cmd cmd_import = {
	"import", "KIND FILE [--dry-run] [--format json]",
	"nhập tệp CSV (tất cả hoặc không gì cả); --dry-run chỉ kiểm tra",
	"import a CSV file (all or nothing); --dry-run validates only",
	CMD_DB, exec_import
};
