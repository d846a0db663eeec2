/*
 * cmd-audit.c: thidua audit [--since DATE] [--subject CODE] [--limit N]
 * Prints the audit trail, newest first: a table, or with --format json
 * the same document as GET /api/v1/audit.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "cmd.h"
#include "util.h"

static int
print_table(const char *doc)
{
	json_t *j = json_loads(doc, 0, NULL), *items, *it;
	size_t i;

	if (j == NULL)
		return -1;
	items = json_object_get(j, "items");
	json_array_foreach(items, i, it) {
		json_t *after = json_object_get(it, "after");
		char *a = after && !json_is_null(after) ?
		    json_dumps(after, JSON_COMPACT) : NULL;

		printf("%s  %-12s %-10s %-12s %-12s %-12s %s\n",
		    json_string_value(json_object_get(it, "at")),
		    json_string_value(json_object_get(it, "actor")),
		    json_string_value(json_object_get(it, "address")),
		    json_string_value(json_object_get(it, "action")),
		    json_string_value(json_object_get(it, "kind")),
		    json_is_string(json_object_get(it, "subject")) ?
		    json_string_value(json_object_get(it, "subject")) : "-",
		    a ? a : "");
		free(a);
	}
	json_decref(j);
	return 0;
}

static int
exec_audit(struct cli *cli, int argc, char **argv, struct err *e)
{
	const char *since = NULL;
	long limit = 1000;
	struct audit_query q = { 0, NULL, 0, 0 };
	const struct opt opts[] = {
		{ "since", OPT_STR, &since },
		{ "subject", OPT_STR, &q.subject },
		{ "limit", OPT_INT, &limit },
		{ NULL, 0, NULL }
	};
	struct sb out;
	int32_t day;
	int n;

	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0)
		return -1;
	if (n > 0)
		return err_set(e, ERR_USAGE, "%s: %s", argv[1],
		    TR("đối số thừa", "unexpected argument"));
	if (since) {
		if (date_parse(since, &day) != 0)
			return err_at(e, ERR_USAGE, NULL, 0, 0, "--since",
			    "%s '%s' (YYYY-MM-DD)", TR("ngày không hợp lệ",
			    "invalid date"), since);
		q.since = (int64_t)day * 86400;
	}
	q.limit = limit > 0 ? limit : 1000;
	sb_init(&out);
	if (audit_json(cli->st, &q, &out, e) != 0) {
		sb_free(&out);
		return -1;
	}
	if (cli->format == FMT_JSON)
		printf("%s\n", out.s);
	else
		print_table(out.s);
	sb_free(&out);
	return 0;
}

const struct cmd cmd_audit = {
	"audit", "[--since DATE] [--subject CODE] [--limit N]",
	"xem nhật ký thay đổi (ai, khi nào, từ đâu, trước và sau)",
	"show the audit trail (who, when, from where, before and after)",
	CMD_DB, exec_audit
};
