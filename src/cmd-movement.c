/*
 * cmd-movement.c: thidua movement load FILE | list | show CODE
 * Loads a movement from YAML as a new version (all or nothing), lists
 * the movements, prints one (--format json: the service's document).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cmd.h"
#include "movement.h"
#include "util.h"

static int
load(struct cli *cli, const char *path, struct err *e)
{
	size_t len;
	char *buf = read_file(path, &len);
	int rc;

	if (buf == NULL)
		return err_at(e, ERR_USER, path, 0, 0, NULL, "%s: %s",
		    TR("không đọc được tệp", "cannot read the file"), strerror(errno));
	rc = movement_load_buffer(cli->st, path, buf, len, e);
	free(buf);
	if (rc == 0)
		printf("%s %s\n", TR("Đã nạp phong trào từ", "Loaded the movement from"),
		    path);
	return rc;
}

/* A printf width for s that pads to n characters, not bytes (UTF-8). */
static int
cw(const char *s, int n)
{
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) == 0x80;
	return n;
}

/* The movements as a table. */
static void
list(json_t *doc)
{
	json_t *a = json_object_get(doc, "movements"), *m;
	size_t i;

	{
		const char *h[6] = { TR("mã", "code"), TR("loại", "kind"),
		    TR("từ", "from"), TR("đến", "to"), TR("phạm vi", "scope"),
		    TR("bản", "version") };
		const int w[6] = { 16, 9, 10, 10, 10, 7 };

		for (int k = 0; k < 6; k++)
			printf("%-*s ", cw(h[k], w[k]), h[k]);
		printf("%s\n", TR("tên", "name"));
	}
	json_array_foreach(a, i, m) {
		json_t *nm = json_object_get(m, "name");
		const char *en = json_string_value(json_object_get(nm, "en"));

		printf("%-16s %-9s %-10s %-10s %-10s %-7lld %s\n",
		    json_string_value(json_object_get(m, "code")),
		    json_string_value(json_object_get(m, "kind")),
		    json_string_value(json_object_get(m, "start")),
		    json_string_value(json_object_get(m, "end")),
		    json_string_value(json_object_get(m, "scope")),
		    (long long)json_integer_value(json_object_get(m, "version")),
		    g_lang == LANG_EN && en ? en :
		    json_string_value(json_object_get(nm, "vi")));
	}
}

static void
show(json_t *doc)
{
	json_t *c;
	size_t i;

	printf("%s (%s %lld)\n  %s\n  %s: %s, %s → %s, %s %s, %s %s, %s %s\n",
	    json_string_value(json_object_get(doc, "code")),
	    TR("bản", "version"),
	    (long long)json_integer_value(json_object_get(doc, "version")),
	    json_string_value(json_object_get(json_object_get(doc, "name"), "vi")),
	    TR("loại", "kind"), json_string_value(json_object_get(doc, "kind")),
	    json_string_value(json_object_get(doc, "start")),
	    json_string_value(json_object_get(doc, "end")),
	    TR("phạm vi", "scope"), json_string_value(json_object_get(doc, "scope")),
	    TR("chấm", "scores"), json_string_value(json_object_get(doc, "subjects")),
	    TR("xếp hạng theo", "ranked by"),
	    json_string_value(json_object_get(doc, "group_by")));
	json_array_foreach(json_object_get(doc, "criteria"), i, c) {
		char *sc = json_dumps(json_object_get(c, "scoring"), JSON_COMPACT);
		char *vt = json_dumps(json_object_get(c, "veto"), JSON_COMPACT |
		    JSON_ENCODE_ANY);

		printf("  - %-12s %-20s %-6s %-6s w=%-5g %s %s%s\n",
		    json_string_value(json_object_get(c, "code")),
		    json_string_value(json_object_get(c, "metric")),
		    json_string_value(json_object_get(c, "aggregate")),
		    json_string_value(json_object_get(c, "better")),
		    json_number_value(json_object_get(c, "weight")),
		    sc ? sc : "", json_is_null(json_object_get(c, "veto")) ? "" :
		    "veto=", json_is_null(json_object_get(c, "veto")) ? "" : vt);
		free(sc);
		free(vt);
	}
}

/* A service's document: as is with --format json, else rendered. */
static int
emit(struct cli *cli, int rc, struct sb *o, void (*render)(json_t *))
{
	json_t *doc;

	if (rc == 0 && cli->format == FMT_JSON)
		fputs(o->s, stdout);
	else if (rc == 0 && (doc = json_loads(o->s, 0, NULL)) != NULL) {
		render(doc);
		json_decref(doc);
	}
	sb_free(o);
	return rc;
}

static int
exec_movement(struct cli *cli, int argc, char **argv, struct err *e)
{
	const struct opt opts[] = { { NULL, 0, NULL } };
	struct sb o;
	int n;

	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0)
		return -1;
	if (n == 2 && strcmp(argv[1], "load") == 0)
		return load(cli, argv[2], e);
	sb_init(&o);
	if (n == 1 && strcmp(argv[1], "list") == 0)
		return emit(cli, movement_list_json(cli->st, &o, e), &o, list);
	if (n == 2 && strcmp(argv[1], "show") == 0)
		return emit(cli, movement_show_json(cli->st, argv[2], &o, e), &o, show);
	sb_free(&o);
	return err_set(e, ERR_USAGE, "%s: thidua movement load FILE | list | "
	    "show CODE [--format json]", TR("cách dùng", "usage"));
}

const struct cmd cmd_movement = {
	"movement", "load FILE | list | show CODE [--format json]",
	"nạp, liệt kê, xem phong trào thi đua",
	"load, list, show emulation movements",
	CMD_DB, exec_movement
};
