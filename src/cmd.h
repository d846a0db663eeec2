/*
 * cmd.h: the command-line frame. Each subcommand lives in its own
 * cmd-NAME.c and exports one `const struct cmd cmd_NAME`; cmd.c lists them
 * in one table. A command reads its options with opt_parse() (a
 * declarative table), does its work through the service/store/engine
 * layers, and writes its result to stdout. It returns 0, or -1 after
 * filling the struct err (which decides the exit status).
 */
#ifndef THIDUA_CMD_H
#define THIDUA_CMD_H

#include "err.h"

struct store;

enum fmt { FMT_TABLE, FMT_JSON, FMT_CSV, FMT_XLSX };

/* What every command gets: global options and the open database. */
struct cli {
	const char	*db;		/* --db TARGET */
	enum fmt	 format;	/* --format */
	int		 format_set;	/* --format was given */
	struct store	*st;		/* open when the command has CMD_DB */
};

enum cmd_flag {
	CMD_DB = 1 << 0,	/* needs an initialised database */
	CMD_DB_RAW = 1 << 1,	/* opens the database but may find it empty (init) */
	CMD_DB_LATER = 1 << 2,	/* opens it itself with cli_open_db() when a
				   subcommand needs it (ledger keygen does not) */
};

struct cmd {
	const char	*name;
	const char	*usage;		/* after "thidua NAME " */
	const char	*help_vi;	/* one line */
	const char	*help_en;
	int		 flags;
	/* argv[0] is the command's name; options follow. */
	int		(*exec)(struct cli *, int argc, char **argv, struct err *);
};

/*
 * Declarative options: opt_parse() walks argv, fills each dest and
 * returns the number of positional arguments left in argv[0..n-1]
 * (reordered), or -1 with an ERR_USAGE error. --db, --lang and --format
 * are accepted anywhere and set the struct cli; "-o X" is "--output X"
 * when the table has "output".
 */
enum opt_type {
	OPT_FLAG,	/* int *: set to 1 */
	OPT_STR,	/* const char **: last value wins */
	OPT_INT,	/* long *: a whole number */
	OPT_LIST	/* struct opt_list *: repeated values */
};
struct opt_list {
	const char	*v[64];
	int		 n;
};
struct opt {
	const char	*name;		/* without leading "--" */
	enum opt_type	 type;
	void		*dest;
};
int	 opt_parse(struct cli *, int argc, char **argv, const struct opt *,
	    struct err *);

/*
 * Open cli->db for a command with these flags (CMD_DB: initialised;
 * CMD_DB_RAW: may be empty). Never creates a SQLite file unless
 * CMD_DB_RAW. 0 (also when already open) or -1 with e filled.
 */
int	 cli_open_db(struct cli *, int flags, struct err *);

/* Parse a --format value; -1 if unknown. */
int	 fmt_parse(const char *, enum fmt *);

/* True when stderr is a terminal (for progress lines). */
int	 cli_tty(void);

extern const struct cmd *const cmd_table[];

/* `thidua report awards …` (cmd-print.c, beside the other XLSX
 * documents), dispatched by cmd-report.c. */
int	 report_awards_cmd(struct cli *, int argc, char **argv, struct err *);

#endif /* THIDUA_CMD_H */
