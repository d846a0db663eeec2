/*
 * cmd.c: the table of subcommands and the option parser they share.
 *
 * A command is a file cmd-NAME.c exporting `const struct cmd cmd_NAME`,
 * declared here and listed in cmd_table in the order `thidua --help`
 * prints them. A command missing from the build fails the link.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "store-grant.h"
#include "store.h"
#include "util.h"

extern const struct cmd cmd_init, cmd_import, cmd_export, cmd_rules,
    cmd_movement, cmd_evaluate, cmd_rate, cmd_pledges, cmd_eligibility,
    cmd_schedule, cmd_report, cmd_innovation, cmd_exemplar, cmd_demo,
    cmd_serve, cmd_user, cmd_token, cmd_audit, cmd_propose, cmd_proposal,
    cmd_ballot, cmd_decide, cmd_ledger, cmd_print, cmd_recognise,
    cmd_backup, cmd_restore, cmd_check;

const struct cmd *const cmd_table[] = {
	&cmd_init, &cmd_import, &cmd_export, &cmd_rules, &cmd_movement,
	&cmd_evaluate, &cmd_rate, &cmd_pledges, &cmd_eligibility,
	&cmd_schedule, &cmd_report, &cmd_innovation, &cmd_exemplar,
	&cmd_demo, &cmd_serve, &cmd_user, &cmd_token, &cmd_audit,
	&cmd_propose, &cmd_proposal, &cmd_ballot, &cmd_decide, &cmd_ledger,
	&cmd_print, &cmd_recognise, &cmd_backup, &cmd_restore, &cmd_check,
	NULL
};

int
cli_open_db(struct cli *cli, int flags, struct err *e)
{
	int v;

	if (cli->st != NULL)
		return 0;
	if (*cli->db == '\0')
		return err_at(e, ERR_USAGE, NULL, 0, 0, "--db", "%s",
		    TR("thiếu giá trị", "missing value"));
	/* Never create a SQLite file except through `thidua init`. */
	if (!(flags & CMD_DB_RAW) &&
	    strncmp(cli->db, "postgres://", 11) != 0 &&
	    strncmp(cli->db, "postgresql://", 13) != 0 &&
	    access(cli->db, F_OK) != 0)
		return err_set(e, ERR_USER, "%s: %s", cli->db,
		    TR("không có cơ sở dữ liệu (chạy: thidua init)",
		    "no database here (run: thidua init)"));
	if (store_open(cli->db, &cli->st, e) != 0) {
		cli->st = NULL;
		return -1;
	}
	if (!(flags & CMD_DB))
		return 0;
	if ((v = store_schema_version(cli->st)) <= 0) {
		err_set(e, v < 0 ? ERR_SYSTEM : ERR_USER, "%s: %s", cli->db,
		    v < 0 ? store_errmsg(cli->st) : TR("cơ sở dữ liệu chưa "
		    "được khởi tạo (chạy: thidua init)", "the database is not "
		    "initialised (run: thidua init)"));
		store_close(cli->st);
		cli->st = NULL;
		return -1;
	}
	/* Behind, and this role cannot migrate: say so (store-grant.h). */
	if (store_grant_schema_check(cli->st, v, e) != 0) {
		store_close(cli->st);
		cli->st = NULL;
		return -1;
	}
	return 0;
}

int
fmt_parse(const char *s, enum fmt *f)
{
	static const struct { const char *n; enum fmt f; } t[] = {
		{ "table", FMT_TABLE }, { "json", FMT_JSON },
		{ "csv", FMT_CSV }, { "xlsx", FMT_XLSX },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(s, t[i].n) == 0) {
			*f = t[i].f;
			return 0;
		}
	return -1;
}

int
cli_tty(void)
{
	return isatty(STDERR_FILENO);
}

/* Global options accepted anywhere; 1 consumed (with *used args), 0 not. */
static int
global_opt(struct cli *cli, const char *name, const char *val, struct err *e)
{
	if (strcmp(name, "db") == 0) {
		cli->db = val;
		return 1;
	}
	if (strcmp(name, "lang") == 0) {
		if (strcmp(val, "vi") == 0)
			g_lang = LANG_VI;
		else if (strcmp(val, "en") == 0)
			g_lang = LANG_EN;
		else
			return err_set(e, ERR_USAGE, "--lang: %s '%s' (vi|en)",
			    TR("không rõ ngôn ngữ", "unknown language"), val);
		return 1;
	}
	if (strcmp(name, "format") == 0) {
		if (fmt_parse(val, &cli->format) != 0)
			return err_set(e, ERR_USAGE, "--format: %s '%s' "
			    "(table|json|csv)", TR("không rõ định dạng",
			    "unknown format"), val);
		cli->format_set = 1;
		return 1;
	}
	return 0;
}

static int
has_opt(const struct opt *opts, const char *name)
{
	for (const struct opt *o = opts; o && o->name; o++)
		if (strcmp(o->name, name) == 0)
			return 1;
	return 0;
}

int
opt_parse(struct cli *cli, int argc, char **argv, const struct opt *opts,
    struct err *e)
{
	int npos = 0, i;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *name, *val = NULL, *eq;
		char buf[64];
		const struct opt *o;
		int g;

		if (strcmp(a, "--") == 0) {
			for (i++; i < argc; i++)
				argv[npos++] = argv[i];
			break;
		}
		/* "-o FILE" is "--output FILE" wherever --output exists. */
		if (strcmp(a, "-o") == 0 && has_opt(opts, "output"))
			a = "--output";
		if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
			argv[npos++] = argv[i];
			continue;
		}
		name = a + 2;
		if ((eq = strchr(name, '=')) != NULL) {
			snprintf(buf, sizeof buf, "%.*s", (int)(eq - name), name);
			name = buf;
			val = eq + 1;
		}
		for (o = opts; o && o->name; o++)
			if (strcmp(o->name, name) == 0)
				break;
		if ((o == NULL || o->name == NULL) &&
		    strcmp(name, "db") && strcmp(name, "lang") &&
		    strcmp(name, "format"))
			return err_set(e, ERR_USAGE, "%s: --%s",
			    TR("tùy chọn không hợp lệ", "unknown option"), name);
		if ((o == NULL || o->name == NULL || o->type != OPT_FLAG) &&
		    val == NULL) {
			if (i + 1 >= argc)
				return err_set(e, ERR_USAGE, "--%s: %s", name,
				    TR("thiếu giá trị", "missing value"));
			val = argv[++i];
		}
		if (o == NULL || o->name == NULL) {
			if ((g = global_opt(cli, name, val, e)) < 0)
				return -1;
			continue;
		}
		switch (o->type) {
		case OPT_FLAG:
			if (val != NULL)
				return err_set(e, ERR_USAGE, "--%s: %s", name,
				    TR("không nhận giá trị", "takes no value"));
			*(int *)o->dest = 1;
			break;
		case OPT_STR:
			*(const char **)o->dest = val;
			break;
		case OPT_INT: {
			int64_t v;

			if (parse_i64(val, &v) != 0)
				return err_set(e, ERR_USAGE, "--%s: %s '%s'",
				    name, TR("không phải số nguyên",
				    "not a whole number"), val);
			*(long *)o->dest = (long)v;
			break;
		}
		case OPT_LIST: {
			struct opt_list *l = o->dest;

			if (l->n >= (int)(sizeof l->v / sizeof l->v[0]))
				return err_set(e, ERR_USAGE, "--%s: %s", name,
				    TR("quá nhiều giá trị", "too many values"));
			l->v[l->n++] = val;
			break;
		}
		}
	}
	return npos;
}
