/*
 * config.c: the settings file and its environment variables (config.h).
 *
 * A settings file (/etc/thidua/thidua.conf when it exists, or --config
 * FILE) holds `key = value` lines; `#` starts a comment; blank lines are
 * ignored; a value may be quoted with "…". Every key is also an
 * environment variable (THIDUA_ and the key in capitals, '-' as '_') and
 * a command-line flag (--key). A flag wins over the environment, which
 * wins over the file, which wins over the built-in default.
 *
 * The keys are a table: which command each belongs to (NULL: global) and
 * whether it is a flag without a value (then yes/no, true/false, 1/0).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"
#include "util.h"

static const struct setting {
	const char	*key;
	const char	*cmd;		/* NULL: every command (global) */
	int		 boolean;	/* a flag without a value */
} settings[] = {
	{ "db", NULL, 0 },
	{ "lang", NULL, 0 },
	{ "listen", "serve", 0 },
	{ "web", "serve", 0 },
	{ "max-body", "serve", 0 },
	{ "max-conn", "serve", 0 },
	{ "max-conn-per-ip", "serve", 0 },
	{ "timeout", "serve", 0 },
	{ "request-time", "serve", 0 },
	{ "body-budget", "serve", 0 },
	{ "trusted-proxy", "serve", 0 },
	{ "secure-cookies", "serve", 1 },
	{ "db-read", "serve", 0 },
	{ "warm-up", "serve", 0 },
	{ "report-threads", "serve", 0 },
	{ "report-requests", "serve", 0 },
	{ "threads", "serve", 0 },
	{ "session-idle", "serve", 0 },
	{ "session-max", "serve", 0 },
};
#define NSETTINGS (sizeof settings / sizeof settings[0])
_Static_assert(NSETTINGS <= CONFIG_MAX, "CONFIG_MAX too small");

static int
find(const char *key, size_t len)
{
	for (size_t i = 0; i < NSETTINGS; i++)
		if (strlen(settings[i].key) == len &&
		    strncmp(settings[i].key, key, len) == 0)
			return (int)i;
	return -1;
}

static char *
trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

void
config_init(struct config *c)
{
	memset(c, 0, sizeof c[0]);
}

void
config_free(struct config *c)
{
	for (size_t i = 0; i < CONFIG_MAX; i++)
		free(c->file[i]);
	free(c->argv);
	config_init(c);
}

int
config_read(struct config *c, const char *path, struct err *e)
{
	const char *file = path ? path : CONFIG_DEFAULT;
	char line[4096];
	long lineno = 0;
	FILE *f;

	if (path == NULL && access(file, F_OK) != 0)
		return 0;	/* no default file: nothing to read */
	if ((f = fopen(file, "r")) == NULL)
		return err_at(e, ERR_USER, file, 0, 0, NULL, "%s: %s",
		    TR("không đọc được tệp cấu hình", "cannot read the "
		    "settings file"), strerror(errno));
	snprintf(c->path, sizeof c->path, "%s", file);
	while (fgets(line, sizeof line, f) != NULL) {
		char *p, *eq, *key, *val;
		int k;

		lineno++;
		if ((p = strchr(line, '#')) != NULL && strchr(line, '"') == NULL)
			*p = '\0';
		p = trim(line);
		if (*p == '\0')
			continue;
		if ((eq = strchr(p, '=')) == NULL) {
			fclose(f);
			return err_at(e, ERR_USER, file, lineno, 0, NULL, "%s",
			    TR("cần dạng khóa = giá trị", "expected key = value"));
		}
		*eq = '\0';
		key = trim(p);
		val = trim(eq + 1);
		if (*val == '"' && strlen(val) >= 2 && val[strlen(val) - 1] == '"') {
			val[strlen(val) - 1] = '\0';
			val++;
		}
		if ((k = find(key, strlen(key))) < 0) {
			struct sb names;

			sb_init(&names);
			for (size_t i = 0; i < NSETTINGS; i++)
				sb_printf(&names, "%s%s", i ? ", " : "",
				    settings[i].key);
			err_at(e, ERR_USER, file, lineno, 1, key, "%s '%s' (%s)",
			    TR("khóa không xác định", "unknown key"), key,
			    names.s);
			sb_free(&names);
			fclose(f);
			return -1;
		}
		free(c->file[k]);
		c->file[k] = xstrdup(val);
	}
	fclose(f);
	return 0;
}

/* THIDUA_ and the key in capitals, '-' as '_'. */
static void
env_name(const char *key, char *out, size_t sz)
{
	size_t n = (size_t)snprintf(out, sz, "THIDUA_");

	for (; *key && n + 1 < sz; key++)
		out[n++] = *key == '-' ? '_' : (char)toupper((unsigned char)*key);
	out[n] = '\0';
}

const char *
config_value(const struct config *c, const char *key)
{
	char env[64];
	const char *v;
	int k = find(key, strlen(key));

	if (k < 0)
		return NULL;
	env_name(key, env, sizeof env);
	if ((v = getenv(env)) != NULL && *v)
		return v;
	return c->file[k];
}

static int
truthy(const char *v)
{
	static const char *const yes[] = { "1", "yes", "true", "on" };

	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
	return 0;
}

char **
config_argv(struct config *c, const char *cmd, int argc, char **argv,
    int *outc)
{
	int n = 0;

	free(c->argv);
	c->argv = xcalloc((size_t)argc + 2 * NSETTINGS + 1, sizeof *c->argv);
	c->argv[n++] = argv[0];
	for (size_t i = 0; i < NSETTINGS; i++) {
		const char *v;

		if (settings[i].cmd == NULL || strcmp(settings[i].cmd, cmd) != 0 ||
		    (v = config_value(c, settings[i].key)) == NULL)
			continue;
		snprintf(c->flag[i], sizeof c->flag[i], "--%s", settings[i].key);
		if (settings[i].boolean) {
			if (truthy(v))
				c->argv[n++] = c->flag[i];
			continue;
		}
		c->argv[n++] = c->flag[i];
		c->argv[n++] = (char *)v;
	}
	/* The command line's own flags come last: they win. */
	for (int i = 1; i < argc; i++)
		c->argv[n++] = argv[i];
	c->argv[n] = NULL;
	*outc = n;
	return c->argv;
}
