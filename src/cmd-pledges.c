/*
 * cmd-pledges.c: thidua pledges --movement CODE [--format json|table|csv]
 * Who in the movement's scope has registered (đăng ký thi đua) and who
 * has not. The table lists those missing; JSON gives both lists.
 */
#include <stdio.h>

#include <jansson.h>

#include "cmd.h"
#include "movement.h"
#include "util.h"

static void
render(const char *s, int csv)
{
	json_t *doc = json_loads(s, 0, NULL), *m;
	json_t *reg = json_object_get(doc, "registered");
	json_t *miss = json_object_get(doc, "missing");
	size_t i;

	if (csv) {
		struct sb o;

		sb_init(&o);
		sb_puts(&o, "subject,name,registered\r\n");
		for (int pass = 0; pass < 2; pass++)
			json_array_foreach(pass ? miss : reg, i, m) {
				sb_csv_field(&o, json_string_value(json_object_get(m, "subject")));
				sb_putc(&o, ',');
				sb_csv_field(&o, json_string_value(json_object_get(m, "name")));
				sb_puts(&o, pass ? ",0\r\n" : ",1\r\n");
			}
		fputs(o.s, stdout);
		sb_free(&o);
		json_decref(doc);
		return;
	}
	printf("%s %s: %zu %s, %zu %s\n", TR("Phong trào", "Movement"),
	    json_string_value(json_object_get(doc, "movement")),
	    json_array_size(reg), TR("đã đăng ký", "registered"),
	    json_array_size(miss), TR("chưa đăng ký", "not registered"));
	if (json_array_size(miss))
		printf("%s\n", TR("Chưa đăng ký thi đua:", "Not registered:"));
	json_array_foreach(miss, i, m)
		printf("  %-12s %s\n", json_string_value(json_object_get(m, "subject")),
		    json_string_value(json_object_get(m, "name")));
	json_decref(doc);
}

static int
exec_pledges(struct cli *cli, int argc, char **argv, struct err *e)
{
	const char *code = NULL;
	const struct opt opts[] = {
		{ "movement", OPT_STR, &code },
		{ NULL, 0, NULL }
	};
	struct sb o;
	int n;

	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0)
		return -1;
	if (n != 0 || code == NULL)
		return err_set(e, ERR_USAGE, "%s: thidua pledges --movement CODE "
		    "[--format json|table|csv]", TR("cách dùng", "usage"));
	sb_init(&o);
	if (pledges_json(cli->st, code, &o, e) != 0) {
		sb_free(&o);
		return -1;
	}
	if (cli->format == FMT_JSON)
		fputs(o.s, stdout);
	else
		render(o.s, cli->format == FMT_CSV);
	sb_free(&o);
	return 0;
}

const struct cmd cmd_pledges = {
	"pledges", "--movement CODE [--format json|table|csv]",
	"ai trong phạm vi đã/chưa đăng ký thi đua",
	"who in the scope has (not) registered a pledge",
	CMD_DB, exec_pledges
};
