/*
 * cmd-demo.c: thidua demo [--force]
 * Loads the Z121 demo enterprise (illustrative data, docs/demo.md) and
 * prints what it loaded. Refuses a database that already holds units or
 * people unless --force, which empties it first.
 */
#include <stdio.h>

#include "cmd.h"
#include "demo.h"
#include "util.h"

static int
exec(struct cli *cli, int argc, char **argv, struct err *e)
{
	int force = 0, n;
	const struct opt opts[] = {
		{ "force", OPT_FLAG, &force },
		{ NULL, 0, NULL }
	};
	struct demo_summary s;
	struct sb b;

	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0)
		return -1;
	if (n > 0)
		return err_set(e, ERR_USAGE, "%s: %s", argv[1],
		    TR("đối số thừa", "unexpected argument"));
	if (demo_load(cli->st, force, date_today(), &s, e) != 0)
		return -1;
	sb_init(&b);
	if (cli->format == FMT_JSON) {
		sb_printf(&b, "{\"demo\":\"z121\",\"illustrative\":true,"
		    "\"from\":%d,\"to\":%d,\"rows\":{", s.from, s.to);
		for (size_t k = 0; k < s.nkinds; k++)
			sb_printf(&b, "%s\"%s\":%ld", k ? "," : "", s.kind[k],
			    s.rows[k]);
		sb_printf(&b, "},\"movements\":%ld,\"targets\":%ld,"
		    "\"exemplars\":%ld}\n", s.movements, s.targets,
		    s.exemplars);
	} else {
		sb_printf(&b, "%s\n%s %d–%d\n", TR("ĐÃ NẠP DỮ LIỆU MINH HỌA: "
		    "Nhà máy Z121 (không phải số liệu thật)", "LOADED "
		    "ILLUSTRATIVE DATA: Factory Z121 (not real figures)"),
		    TR("Các năm", "Years"), s.from, s.to);
		for (size_t k = 0; k < s.nkinds; k++)
			sb_printf(&b, "  %-20s %7ld\n", s.kind[k], s.rows[k]);
		sb_printf(&b, "  %-20s %7ld\n  %-20s %7ld\n",
		    "movements", s.movements, "targets", s.targets);
		sb_printf(&b, "  %-20s %7ld\n", "exemplars", s.exemplars);
	}
	fwrite(b.s, 1, b.len, stdout);
	sb_free(&b);
	return 0;
}

const struct cmd cmd_demo = {
	"demo", "[--force]",
	"nạp doanh nghiệp minh họa Z121 (dữ liệu minh họa)",
	"load the Z121 demo enterprise (illustrative data)",
	CMD_DB, exec
};
