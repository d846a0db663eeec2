/*
 * main.c: thidua [--config FILE] [--db TARGET] [--lang vi|en] [--format F]
 *             COMMAND [ARGS]
 *
 * Finds the command in cmd_table, opens the database when the command
 * needs it, runs it, and turns its error into one message on stderr and
 * the contract's exit status: 0 ok, 1 user error, 2 bad usage, 3 system.
 * stdout is flushed and checked, so a full disk is an error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "store.h"
#include "util.h"

#define THIDUA_VERSION "0.1.0"

static void
usage(FILE *f)
{
	const struct cmd *const *c;

	fprintf(f, "%s\n  thidua [--config FILE] [--db TARGET] [--lang vi|en] [--format table|json|csv] "
	    "COMMAND [ARGS]\n\n", TR("Cách dùng:", "Usage:"));
	fprintf(f, "%s\n", TR("Lệnh:", "Commands:"));
	for (c = cmd_table; *c; c++)
		fprintf(f, "  %-12s %s\n", (*c)->name,
		    TR((*c)->help_vi, (*c)->help_en));
	fprintf(f, "\n%s\n", TR(
	    "--db: tệp SQLite (mặc định ./thidua.db hoặc $THIDUA_DB) hoặc URL postgresql://…\n"
	    "Xem thêm: thidua COMMAND --help",
	    "--db: a SQLite file (default ./thidua.db or $THIDUA_DB) or a postgresql://… URL\n"
	    "See also: thidua COMMAND --help"));
}

static int
finish(int code)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "thidua: %s: %s\n",
		    TR("không ghi được kết quả", "cannot write output"),
		    strerror(errno));
		return 3;
	}
	if (fclose(stdout) != 0) {
		fprintf(stderr, "thidua: %s: %s\n",
		    TR("không ghi được kết quả", "cannot write output"),
		    strerror(errno));
		return 3;
	}
	return code;
}

static int
report(const struct err *e)
{
	char buf[2048];

	err_format(e, buf, sizeof buf);
	fprintf(stderr, "thidua: %s\n", buf);
	return err_exit_code(e->kind);
}

int
main(int argc, char **argv)
{
	struct cli cli;
	static struct config cfg;	/* static: lives until exit */
	const char *config_path = NULL;
	char **cargv;
	int cargc;
	struct err e;
	const struct cmd *const *c;
	const char *env;
	int i, rc;

	memset(&cli, 0, sizeof cli);
	err_clear(&e);
	config_init(&cfg);
	/* Settings: --config FILE (before the command), else the default file. */
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			config_path = argv[i + 1];
		else if (strncmp(argv[i], "--config=", 9) == 0)
			config_path = argv[i] + 9;
	}
	if (config_read(&cfg, config_path, &e) != 0)
		return report(&e);
	/* The environment and the file; flags, parsed below, win. */
	if ((env = config_value(&cfg, "lang")) != NULL && strcmp(env, "en") == 0)
		g_lang = LANG_EN;
	cli.db = (env = config_value(&cfg, "db")) != NULL ? env : "thidua.db";

	/* Global options before the command. */
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return finish(0);
		}
		if (strcmp(a, "--version") == 0) {
			printf("thidua %s\n", THIDUA_VERSION);
			return finish(0);
		}
		if (strcmp(a, "--config") == 0 && i + 1 < argc) {
			i++;	/* read above */
			continue;
		}
		if (strncmp(a, "--config=", 9) == 0)
			continue;
		if (strcmp(a, "--db") == 0 || strcmp(a, "--lang") == 0 ||
		    strcmp(a, "--format") == 0) {
			char *sub[2];

			if (i + 1 >= argc) {
				fprintf(stderr, "thidua: %s: %s\n", a,
				    TR("thiếu giá trị", "missing value"));
				return 2;
			}
			sub[0] = argv[i];
			sub[1] = argv[i + 1];
			if (opt_parse(&cli, 2, sub, NULL, &e) < 0)
				return report(&e);
			i++;
			continue;
		}
		if (strncmp(a, "--db=", 5) == 0 || strncmp(a, "--lang=", 7) == 0 ||
		    strncmp(a, "--format=", 9) == 0) {
			char *sub[1] = { argv[i] };

			if (opt_parse(&cli, 1, sub, NULL, &e) < 0)
				return report(&e);
			continue;
		}
		fprintf(stderr, "thidua: %s: %s\n",
		    TR("tùy chọn không hợp lệ", "unknown option"), a);
		usage(stderr);
		return 2;
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	for (c = cmd_table; *c; c++)
		if (strcmp((*c)->name, argv[i]) == 0)
			break;
	if (*c == NULL) {
		fprintf(stderr, "thidua: %s: %s\n",
		    TR("không có lệnh", "no such command"), argv[i]);
		usage(stderr);
		return 2;
	}
	for (int j = i + 1; j < argc; j++) {
		if (strcmp(argv[j], "--") == 0)
			break;
		if (strcmp(argv[j], "--help") == 0 || strcmp(argv[j], "-h") == 0) {
			printf("%s\n  thidua %s %s\n\n%s\n", TR("Cách dùng:", "Usage:"),
			    (*c)->name, (*c)->usage,
			    TR((*c)->help_vi, (*c)->help_en));
			return finish(0);
		}
	}
	/*
	 * Options after the command may also set --db/--lang/--format;
	 * commands parse them with opt_parse(), but the database must be
	 * known before it is opened, so look for them here too.
	 */
	for (int j = i + 1; j < argc; j++) {
		if (strcmp(argv[j], "--") == 0)
			break;
		if ((strcmp(argv[j], "--db") == 0 || strcmp(argv[j], "--lang") == 0)
		    && j + 1 < argc) {
			char *sub[2] = { argv[j], argv[j + 1] };
			if (opt_parse(&cli, 2, sub, NULL, &e) < 0)
				return report(&e);
			j++;
		} else if (strncmp(argv[j], "--db=", 5) == 0 ||
		    strncmp(argv[j], "--lang=", 7) == 0) {
			char *sub[1] = { argv[j] };
			if (opt_parse(&cli, 1, sub, NULL, &e) < 0)
				return report(&e);
		}
	}
	if (((*c)->flags & (CMD_DB | CMD_DB_RAW)) &&
	    cli_open_db(&cli, (*c)->flags, &e) != 0)
		return report(&e);
	cargv = config_argv(&cfg, (*c)->name, argc - i, argv + i, &cargc);
	rc = (*c)->exec(&cli, cargc, cargv, &e);
	store_close(cli.st);
	if (rc != 0) {
		finish(0);
		return report(&e);
	}
	return finish(0);
}
