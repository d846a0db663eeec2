/*
 * cmd-exemplar.c: thidua exemplar add|list|show|adopt|discover|check
 * The register of advanced examples (điển hình tiên tiến):
 *   add SUBJECT --field F --reason R --since Y [--min-rating R] [--award C]
 *   list
 *   show ID                 with adopting units, ratings/scores before and after
 *   adopt ID --unit U --date D [--practice TEXT]
 *   discover --year Y       candidates from the data, explained
 *   check --year Y          does each exemplar keep its standard (warnings)
 * Rules: docs/exemplars.md.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "exemplar.h"
#include "util.h"

struct xargs {
	const char	*field, *reason, *min_rating, *award, *unit, *date,
			*practice;
	long		 since, year;
};

static int
id_arg(const char *s, int64_t *id, struct err *e)
{
	if (s == NULL || parse_i64(s, id) != 0 || *id <= 0)
		return err_set(e, ERR_USAGE, "'%s': %s", s ? s : "",
		    TR("mã số điển hình phải là số nguyên dương",
		    "an exemplar id is a positive whole number"));
	return 0;
}

static int
x_add(struct cli *cli, int n, char **pos, struct xargs *a, struct sb *b,
    struct err *e)
{
	struct exemplar_new x = { n > 1 ? pos[1] : NULL, a->field, a->reason,
	    a->award, (int)a->since, a->min_rating };
	int64_t id;

	if (n != 2)
		return err_set(e, ERR_USAGE, "%s: exemplar add SUBJECT --field F "
		    "--reason R --since Y", TR("cách dùng", "usage"));
	if (exemplar_add(cli->st, &x, &id, e) != 0)
		return -1;
	if (cli->format == FMT_JSON)
		sb_printf(b, "{\"id\":%lld}\n", (long long)id);
	else
		sb_printf(b, "%s #%lld\n", TR("đã ghi điển hình",
		    "exemplar registered"), (long long)id);
	return 0;
}

static int
x_list(struct cli *cli, int n, char **pos, struct xargs *a, struct sb *b,
    struct err *e)
{
	(void)pos;
	(void)a;
	if (n != 1)
		return err_set(e, ERR_USAGE, "exemplar list");
	return exemplar_list(cli->st, cli->format == FMT_JSON, b, e);
}

static int
x_show(struct cli *cli, int n, char **pos, struct xargs *a, struct sb *b,
    struct err *e)
{
	int64_t id;

	(void)a;
	if (n != 2 || id_arg(pos[1], &id, e) != 0)
		return n != 2 ? err_set(e, ERR_USAGE, "exemplar show ID") : -1;
	return exemplar_show(cli->st, id, cli->format == FMT_JSON, b, e);
}

static int
x_adopt(struct cli *cli, int n, char **pos, struct xargs *a, struct sb *b,
    struct err *e)
{
	int64_t id;

	if (n != 2)
		return err_set(e, ERR_USAGE, "exemplar adopt ID --unit U "
		    "--date YYYY-MM-DD [--practice TEXT]");
	if (id_arg(pos[1], &id, e) != 0 ||
	    exemplar_adopt(cli->st, id, a->unit, a->date, a->practice, e) != 0)
		return -1;
	if (cli->format == FMT_JSON)
		sb_printf(b, "{\"id\":%lld,\"unit\":\"%s\"}\n", (long long)id,
		    a->unit);
	else
		sb_printf(b, "%s: %s → #%lld\n", TR("đã ghi đơn vị học tập, "
		    "nhân rộng", "adoption recorded"), a->unit, (long long)id);
	return 0;
}

static int
need_year(const struct xargs *a, const char *what, struct err *e)
{
	if (a->year == 0)
		return err_set(e, ERR_USAGE, "exemplar %s --year Y", what);
	return 0;
}

static int
x_discover(struct cli *cli, int n, char **pos, struct xargs *a, struct sb *b,
    struct err *e)
{
	(void)pos;
	if (n != 1 || need_year(a, "discover", e) != 0)
		return n != 1 ? err_set(e, ERR_USAGE, "exemplar discover --year Y")
		    : -1;
	return exemplar_discover(cli->st, (int)a->year,
	    cli->format == FMT_JSON, NULL, b, e);
}

static int
x_check(struct cli *cli, int n, char **pos, struct xargs *a, struct sb *b,
    struct err *e)
{
	int warn;

	(void)pos;
	if (n != 1 || need_year(a, "check", e) != 0)
		return n != 1 ? err_set(e, ERR_USAGE, "exemplar check --year Y") :
		    -1;
	if (exemplar_check(cli->st, (int)a->year, cli->format == FMT_JSON, b,
	    &warn, e) != 0)
		return -1;
	if (warn > 0)
		fprintf(stderr, "%s: %d %s\n", TR("cảnh báo", "warning"), warn,
		    TR("điển hình không còn giữ vững chuẩn",
		    "exemplar(s) no longer keep their standard"));
	return 0;
}

static const struct {
	const char	*name;
	int		(*fn)(struct cli *, int, char **, struct xargs *,
			    struct sb *, struct err *);
} subs[] = {
	{ "add", x_add }, { "list", x_list }, { "show", x_show },
	{ "adopt", x_adopt }, { "discover", x_discover }, { "check", x_check },
};

static int
exec(struct cli *cli, int argc, char **argv, struct err *e)
{
	struct xargs a;
	const struct opt opts[] = {
		{ "field", OPT_STR, &a.field },
		{ "reason", OPT_STR, &a.reason },
		{ "since", OPT_INT, &a.since },
		{ "min-rating", OPT_STR, &a.min_rating },
		{ "award", OPT_STR, &a.award },
		{ "unit", OPT_STR, &a.unit },
		{ "date", OPT_STR, &a.date },
		{ "practice", OPT_STR, &a.practice },
		{ "year", OPT_INT, &a.year },
		{ NULL, 0, NULL }
	};
	struct sb b;
	int n, rc = -1;

	memset(&a, 0, sizeof a);
	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0)
		return -1;
	if (n < 1)
		return err_set(e, ERR_USAGE, "%s: exemplar add|list|show|adopt|"
		    "discover|check", TR("cách dùng", "usage"));
	sb_init(&b);
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (strcmp(argv[1], subs[i].name) == 0) {
			rc = subs[i].fn(cli, n, argv + 1, &a, &b, e);
			break;
		}
	if (rc != 0 && e->kind == ERR_OK)
		err_set(e, ERR_USAGE, "exemplar %s: %s", argv[1],
		    TR("không có lệnh con này", "no such subcommand"));
	if (rc == 0)
		fwrite(b.s, 1, b.len, stdout);
	sb_free(&b);
	return rc;
}

const struct cmd cmd_exemplar = {
	"exemplar", "add|list|show|adopt|discover|check ...",
	"điển hình tiên tiến: ghi, phát hiện, nhân rộng, duy trì",
	"advanced examples: register, discover, replicate, maintain",
	CMD_DB, exec
};
