/*
 * cmd-report.c: thidua report KIND ...: a dispatcher over the reports.
 *   report growth --from Y1 --to Y2 [--unit CODE]   indicator growth
 *   report innovations [--from Y] [--to Y] [--by year|kind|level|unit] [--list]
 *   report awards ...                                (proposals area)
 * --format json prints the service's document (the HTTP API returns the
 * same); table is the default; csv where a table makes sense.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "growth.h"
#include "innovation.h"
#include "util.h"

static int
emit(struct sb *b)
{
	fwrite(b->s, 1, b->len, stdout);
	sb_free(b);
	return 0;
}

static int
no_args(int n, char **argv, struct err *e)
{
	if (n > 0)
		return err_set(e, ERR_USAGE, "%s: %s", argv[0],
		    TR("đối số thừa", "unexpected argument"));
	return 0;
}

static int
year_opt(const char *name, long v, struct err *e)
{
	if (v < 1900 || v > 2999)
		return err_at(e, ERR_USAGE, NULL, 0, 0, name, "%ld: %s", v,
		    TR("năm phải trong 1900–2999", "a year must be 1900–2999"));
	return 0;
}

static int
report_growth(struct cli *cli, int argc, char **argv, struct err *e)
{
	long from = 0, to = 0;
	const char *unit = NULL;
	const struct opt opts[] = {
		{ "from", OPT_INT, &from },
		{ "to", OPT_INT, &to },
		{ "unit", OPT_STR, &unit },
		{ NULL, 0, NULL }
	};
	struct growth_report r;
	struct sb b;
	int n;

	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0 ||
	    no_args(n, argv + 1, e) != 0)
		return -1;
	if (from == 0 || to == 0)
		return err_set(e, ERR_USAGE, "%s: report growth --from Y1 "
		    "--to Y2 [--unit CODE]", TR("cách dùng", "usage"));
	if (year_opt("--from", from, e) || year_opt("--to", to, e))
		return -1;
	if (growth_build(cli->st, (int)from, (int)to, unit, &r, e) != 0)
		return -1;
	sb_init(&b);
	if (cli->format == FMT_JSON)
		growth_report_json(&r, &b);
	else if (cli->format == FMT_CSV)
		growth_report_csv(&r, &b);
	else
		growth_report_table(&r, &b);
	growth_report_free(&r);
	return emit(&b);
}

static int
report_innovations(struct cli *cli, int argc, char **argv, struct err *e)
{
	long from = 0, to = 0;
	const char *by = "year";
	int list = 0, n, ib;
	const struct opt opts[] = {
		{ "from", OPT_INT, &from },
		{ "to", OPT_INT, &to },
		{ "by", OPT_STR, &by },
		{ "list", OPT_FLAG, &list },
		{ NULL, 0, NULL }
	};
	struct sb b;
	int rc;

	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0 ||
	    no_args(n, argv + 1, e) != 0)
		return -1;
	if ((from && year_opt("--from", from, e)) ||
	    (to && year_opt("--to", to, e)))
		return -1;
	if ((ib = innov_by_parse(by)) < 0)
		return err_at(e, ERR_USAGE, NULL, 0, 0, "--by", "'%s': %s", by,
		    TR("chọn year, kind, level hoặc unit",
		    "use year, kind, level or unit"));
	sb_init(&b);
	if (cli->format == FMT_JSON)
		rc = innovations_json(cli->st, (int)from, (int)to, ib, NULL, 1,
		    &b, e);
	else
		rc = innovations_text(cli->st, (int)from, (int)to, ib, list,
		    cli->format == FMT_CSV, &b, e);
	if (rc != 0) {
		sb_free(&b);
		return -1;
	}
	return emit(&b);
}

static const struct {
	const char	*name;
	int		(*fn)(struct cli *, int, char **, struct err *);
} reports[] = {
	{ "growth", report_growth },
	{ "innovations", report_innovations },
	{ "awards", report_awards_cmd },
};

static int
exec(struct cli *cli, int argc, char **argv, struct err *e)
{
	if (argc < 2)
		return err_set(e, ERR_USAGE, "%s: report growth|innovations|"
		    "awards ...", TR("cách dùng", "usage"));
	for (size_t i = 0; i < sizeof reports / sizeof reports[0]; i++)
		if (strcmp(argv[1], reports[i].name) == 0)
			return reports[i].fn(cli, argc - 1, argv + 1, e);
	return err_set(e, ERR_USAGE, "report %s: %s (growth, innovations, "
	    "awards)", argv[1], TR("không có báo cáo này", "no such report"));
}

const struct cmd cmd_report = {
	"report", "growth|innovations|awards [OPTIONS]",
	"báo cáo: tăng trưởng chỉ tiêu, sổ sáng kiến, khen thưởng",
	"reports: indicator growth, innovation register, awards",
	CMD_DB, exec
};
