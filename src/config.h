/*
 * config.h: settings from a file and the environment, for every command
 * (config.c). Precedence: a command-line flag, then the environment
 * variable (THIDUA_LISTEN for `listen`), then the settings file
 * (/etc/thidua/thidua.conf when present, or `--config FILE`), then the
 * built-in default. docs/operations.md lists the keys.
 *
 * Ownership: a struct config owns the file's values and the argument
 * vector config_argv() builds; both live until config_free().
 */
#ifndef THIDUA_CONFIG_H
#define THIDUA_CONFIG_H

#include "err.h"

#define CONFIG_DEFAULT	"/etc/thidua/thidua.conf"
#define CONFIG_MAX	32		/* settings known (config.c's table) */

struct config {
	char	 path[1024];		/* the file read, "" when none */
	char	*file[CONFIG_MAX];	/* the file's value per setting, or NULL */
	char	 flag[CONFIG_MAX][40];	/* "--key" texts handed to commands */
	char	**argv;			/* built by config_argv() */
};

void	 config_init(struct config *);
void	 config_free(struct config *);
/*
 * Read a settings file: PATH, or the default file when PATH is NULL (no
 * default file is no error). 0, or -1 with e at file:line (ERR_USER) for
 * a line that is not `key = value` or an unknown key.
 */
int	 config_read(struct config *, const char *path, struct err *);
/* A setting's value: its environment variable, else the file's; or NULL. */
const char *config_value(const struct config *, const char *key);
/*
 * The argument vector of command CMD: argv[0], then `--key value` (or
 * `--key` for a true boolean) for each of CMD's settings that has a value
 * in the environment or the file, then argv[1..argc-1], which win.
 */
char	**config_argv(struct config *, const char *cmd, int argc, char **argv,
	    int *outc);

#endif
