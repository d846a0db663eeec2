/*
 * cmd-rate.c: thidua rate --movement CODE --year Y [--apply]
 * The year's ratings from a regular movement's scores, shown as a diff
 * against the stored ratings; --apply stores them (movement-rate.c).
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cmd.h"
#include "movement.h"
#include "util.h"

static const struct { const char *code, *vi, *en; } actions[] = {
	{ "new", "mới", "new" },
	{ "change", "đổi", "changed" },
	{ "same", "giữ nguyên", "same" },
	{ "kept", "giữ (nhập tay/hội đồng)", "kept (hand/council)" },
};

static const char *
action_text(const char *code)
{
	for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
		if (strcmp(actions[i].code, code) == 0)
			return TR(actions[i].vi, actions[i].en);
	return code;
}

static void
table(const char *doc_s)
{
	json_t *doc = json_loads(doc_s, 0, NULL), *r;
	json_t *c = json_object_get(doc, "counts");
	size_t i;

	{
		const char *h[5] = { TR("mã", "subject"), TR("điểm", "score"),
		    TR("mới", "rating"), TR("đã lưu", "stored"), TR("nguồn", "source") };
		const int w[5] = { 12, 8, 8, 10, 10 };

		for (int k = 0; k < 5; k++) {
			int n = w[k];

			for (const char *p = h[k]; *p; p++)	/* pad characters, not bytes */
				n += ((unsigned char)*p & 0xc0) == 0x80;
			printf("%-*s ", n, h[k]);
		}
		printf("%s\n", TR("thao tác", "action"));
	}
	json_array_foreach(json_object_get(doc, "results"), i, r) {
		const char *st = json_string_value(json_object_get(r, "stored"));
		const char *src = json_string_value(json_object_get(r, "stored_source"));

		printf("%-12s %-8g %-8s %-10s %-10s %s\n",
		    json_string_value(json_object_get(r, "subject")),
		    json_number_value(json_object_get(r, "score")),
		    json_string_value(json_object_get(r, "rating")),
		    st ? st : "-", src ? src : "-",
		    action_text(json_string_value(json_object_get(r, "action"))));
	}
	printf("%s: %lld %s, %lld %s, %lld %s, %lld %s%s\n", TR("Tổng", "Total"),
	    (long long)json_integer_value(json_object_get(c, "new")), TR("mới", "new"),
	    (long long)json_integer_value(json_object_get(c, "change")), TR("đổi", "changed"),
	    (long long)json_integer_value(json_object_get(c, "same")), TR("giữ nguyên", "same"),
	    (long long)json_integer_value(json_object_get(c, "kept")),
	    TR("giữ theo nhập tay/hội đồng", "kept as set by hand/council"),
	    json_is_true(json_object_get(doc, "applied")) ?
	    TR("; đã lưu", "; stored") : TR("; chưa lưu (thêm --apply)",
	    "; not stored (add --apply)"));
	json_decref(doc);
}

static int
exec_rate(struct cli *cli, int argc, char **argv, struct err *e)
{
	const char *code = NULL;
	long year = 0;
	int apply = 0, n;
	const struct opt opts[] = {
		{ "movement", OPT_STR, &code },
		{ "year", OPT_INT, &year },
		{ "apply", OPT_FLAG, &apply },
		{ NULL, 0, NULL }
	};
	struct sb o;

	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0)
		return -1;
	if (n != 0 || code == NULL || year < 1900 || year > 2999)
		return err_set(e, ERR_USAGE, "%s: thidua rate --movement CODE "
		    "--year Y [--apply] [--format json]", TR("cách dùng", "usage"));
	sb_init(&o);
	if (rate_json(cli->st, code, (int)year, apply, NULL, &o, e) != 0) {
		sb_free(&o);
		return -1;
	}
	if (cli->format == FMT_JSON)
		fputs(o.s, stdout);
	else
		table(o.s);
	sb_free(&o);
	return 0;
}

const struct cmd cmd_rate = {
	"rate", "--movement CODE --year Y [--apply] [--format json]",
	"xếp loại năm từ điểm phong trào thường xuyên",
	"the year's ratings from a regular movement's scores",
	CMD_DB, exec_rate
};
