/*
 * cmd-schedule.c: thidua schedule [--as-of DATE] [--window DAYS]
 * [--unit CODE] [--task CODE] [--suggest-campaigns] [--format F]
 * Key-task forecasts, slip propagation and downstream impact; with
 * --suggest-campaigns, ready-to-load raid campaigns for hard tasks at
 * risk: movement YAML (table), JSON, or the targets CSV (csv).
 * Rules: docs/schedule.md.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "schedule.h"
#include "util.h"

static int
exec(struct cli *cli, int argc, char **argv, struct err *e)
{
	const char *as_of = NULL, *unit = NULL, *task = NULL;
	long window = SCHED_WINDOW;
	int suggest = 0, n;
	struct schedule_query q;
	enum sched_fmt fmt;
	const struct opt opts[] = {
		{ "as-of", OPT_STR, &as_of },
		{ "window", OPT_INT, &window },
		{ "unit", OPT_STR, &unit },
		{ "task", OPT_STR, &task },
		{ "suggest-campaigns", OPT_FLAG, &suggest },
		{ NULL, 0, NULL }
	};

	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0)
		return -1;
	if (n > 0)
		return err_set(e, ERR_USAGE, "%s: %s", TR("thừa tham số",
		    "unexpected argument"), argv[1]);
	memset(&q, 0, sizeof q);
	q.as_of = date_today();
	if (as_of != NULL && date_parse(as_of, &q.as_of) != 0)
		return err_at(e, ERR_USAGE, NULL, 0, 0, "--as-of", "%s '%s' "
		    "(YYYY-MM-DD)", TR("ngày không hợp lệ", "bad date"), as_of);
	if (window < 1 || window > 3660)
		return err_at(e, ERR_USAGE, NULL, 0, 0, "--window", "%s: %ld "
		    "(1..3660)", TR("số ngày ngoài khoảng cho phép",
		    "days out of range"), window);
	if (unit != NULL && !code_valid(unit))
		return err_at(e, ERR_USAGE, NULL, 0, 0, "--unit", "%s '%s'",
		    TR("mã đơn vị không hợp lệ", "bad unit code"), unit);
	if (task != NULL && !code_valid(task))
		return err_at(e, ERR_USAGE, NULL, 0, 0, "--task", "%s '%s'",
		    TR("mã nhiệm vụ không hợp lệ", "bad task code"), task);
	q.window = (int)window;
	q.unit = unit;
	q.task = task;
	switch (cli->format) {
	case FMT_JSON:
		fmt = suggest ? SCHED_FMT_SUGGEST_JSON : SCHED_FMT_JSON;
		break;
	case FMT_CSV:
		fmt = suggest ? SCHED_FMT_SUGGEST_CSV : SCHED_FMT_CSV;
		break;
	case FMT_TABLE:
		fmt = suggest ? SCHED_FMT_YAML : SCHED_FMT_TABLE;
		break;
	default:
		return err_set(e, ERR_USAGE, "--format: %s", TR("lệnh này nhận "
		    "table, json hoặc csv", "this command takes table, json "
		    "or csv"));
	}
	return schedule_write(cli->st, &q, fmt, stdout, e);
}

const struct cmd cmd_schedule = {
	"schedule",
	"[--as-of DATE] [--window DAYS] [--unit CODE] [--task CODE] "
	    "[--suggest-campaigns] [--format json|table|csv]",
	"dự báo tiến độ nhiệm vụ trọng tâm, chậm trễ lan truyền và ảnh hưởng",
	"key-task forecasts, slip propagation and downstream impact",
	CMD_DB,
	exec
};
