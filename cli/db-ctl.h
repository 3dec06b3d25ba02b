/* cli/db-ctl: the command-line engine shared by weft-nbctl, weft-sbctl and
 * weft-vsctl, with ovs-vsctl's generic database commands.
 *
 * Command line.  "TOOL [GLOBAL-OPTION...] [--OPT...] COMMAND [ARG...]
 * [-- [--OPT...] COMMAND [ARG...]]..."  All the commands of one invocation
 * run in one OVSDB transaction: each sees the changes of the commands
 * before it, and either all of them take effect or none does.
 *
 * How a run works (ctl_main()):
 *   1. Parse the global options and split the commands on "--"; check each
 *      command's name, argument count and options.  Nothing is contacted
 *      before the whole line is known to be well formed.
 *   2. Ask every command what it reads ('prerequisites': whole tables, or
 *      some columns of a table); connect to the database and load just
 *      that.
 *   3. Build the transaction by running every command in order ('run').  A
 *      command that fails calls ctl_error() and returns; nothing is sent.
 *      A command that must wait (wait-until) calls ctl_try_again(): the
 *      transaction is dropped and the run starts over when the database
 *      changes.
 *   4. Commit.  If another client changed what the commands read, start
 *      over.  Then each command's 'postprocess' runs (e.g. "create" learns
 *      the UUID the server gave its row) and the outputs are printed in
 *      command order.
 *
 * The generic commands: list, find, get, set, add, remove, clear, create,
 * destroy, wait-until, comment.  A tool adds its own commands by listing
 * them in its 'struct ctl_tool'.
 *
 * Rows are named, in the order tried, by a full UUID, by the tool's name
 * rules for the table ('struct ctl_row_id'), or by a UUID prefix of at
 * least 4 hex digits that is unique in the table.  Table and column names
 * are matched without regard to case, with '-' and '_' equivalent, and may
 * be abbreviated to any unique prefix.
 *
 * Errors go to stderr as "TOOL: message" with exit status 1, as the OVS
 * tools do.  No globals: all state is in 'struct ctl_context'. */
#ifndef WEFT_CLI_DB_CTL_H
#define WEFT_CLI_DB_CTL_H 1

#include <stdbool.h>
#include "ds.h"
#include "shash.h"
#include "util.h"
#include "cli/table.h"

struct ovsdb_client;
struct ovsdb_client_class;
struct ovsdb_client_row;
struct ovsdb_client_table;
struct ovsdb_client_txn;
struct ovsdb_column;
struct ovsdb_schema;
struct ovsdb_symbol_table;
struct ovsdb_table_schema;
struct ctl_context;
struct vlog_module;

/* One way to name the rows of a table.
 *
 * The row named NAME is the row of 'table' whose 'name_column' (or, if
 * 'key' is set, that map column's value for 'key') equals NAME; if
 * 'uuid_column' is set, it is instead the row referenced by that column of
 * the row found, if it references exactly one.  (Besides these rules, "."
 * names the only row of any table that has exactly one.) */
struct ctl_row_id {
    const char *table;
    const char *name_column;
    const char *key;
    const char *uuid_column;
};

struct ctl_table_class {
    const char *table;
    struct ctl_row_id row_ids[4];
};

enum ctl_mode {
    CTL_RO,                     /* Reads only. */
    CTL_RW,                     /* May change the database. */
};

struct ctl_command_syntax {
    const char *name;
    int min_args;
    int max_args;               /* INT_MAX for no limit. */
    const char *arguments;      /* Argument synopsis for --help. */
    /* Names what 'run' reads (ctl_need_table(), ctl_need_columns()...);
     * may be NULL. */
    void (*prerequisites)(struct ctl_context *);
    void (*run)(struct ctl_context *);
    /* After a successful commit; may be NULL. */
    void (*postprocess)(struct ctl_context *);
    /* Comma-separated options: "--name", "--name=" if it takes a value,
     * "--name?" if it may, e.g. "--if-exists,--id=,--bfd?". */
    const char *options;
    enum ctl_mode mode;
};

/* One command of the command line. */
struct ctl_command {
    const struct ctl_command_syntax *syntax;
    int argc;
    char **argv;                /* argv[0] is the command name. */
    struct shash options;       /* "--name" -> value (owned) or NULL. */
    struct ds output;           /* Text to print after the commit. */
    struct table *table;        /* Table to print, or NULL. */
    void *data;                 /* Carried from 'run' to 'postprocess'. */
};

/* What a tool is: its name, database and row-naming rules. */
struct ctl_tool {
    const char *program_name;   /* "weft-nbctl". */
    const char *db_env;         /* "OVN_NB_DB" or NULL. */
    const char *rundir_env;     /* "OVN_RUNDIR". */
    const char *default_rundir; /* "/var/run/ovn". */
    const char *socket_name;    /* "ovnnb_db.sock". */
    const struct ovsdb_client_class *class_;
    const struct ctl_table_class *tables;
    size_t n_tables;
    const struct ctl_command_syntax *commands;  /* Tool-specific, or NULL. */
    size_t n_commands;
    /* Environment variable whose words (split as a shell would) are
     * global options taken before the command line's, which override
     * them ("OVN_NBCTL_OPTIONS"), or NULL. */
    const char *options_env;
    const char *usage;          /* Text for --help above the commands. */
    /* The "Options:" section of --help, with one "%s" for the default
     * database, or NULL for the generic one. */
    const char *options_help;
    /* --help text about the tool's own commands, or NULL to list their
     * synopses. */
    const char *commands_help;
    struct vlog_module *log_module; /* For warnings about the commands. */
    /* The module the real tool logs its own commands' warnings to
     * ("nbctl", "sbctl", "vsctl"), or NULL for 'log_module'. */
    struct vlog_module *own_log_module;
    /* A configuration table that must hold one row (NB_Global, SB_Global):
     * like ovn-nbctl and ovn-sbctl, every transaction that finds it empty
     * creates the row.  NULL for none. */
    const char *singleton_table;
    /* Names what every run reads (ctl_need_table()...), after the
     * commands' prerequisites (so that the global options are known); may
     * be NULL. */
    void (*prerequisites)(struct ctl_context *);
    /* Called with the connected client and a fresh transaction before the
     * commands run, at every attempt (e.g. to bump Open_vSwitch next_cfg);
     * not with --dry-run; may be NULL. */
    void (*pre_commit)(struct ctl_context *);
    /* Called after a successful commit and the printing of the output, to
     * wait for daemons (--wait); 'ctx->txn' is still the committed
     * transaction (status SUCCESS or UNCHANGED), for its increment value
     * and inserted rows.  Not with --dry-run; may be NULL. */
    void (*post_commit)(struct ctl_context *);
};

struct ctl_context {
    const struct ctl_tool *tool;
    struct ovsdb_client *client;
    struct ovsdb_client_txn *txn;
    struct ovsdb_symbol_table *symtab;
    struct ctl_command *cmd;    /* The command being run. */

    /* Shortcuts into 'cmd'. */
    int argc;
    char **argv;
    struct shash *options;
    struct ds *output;

    /* Global options. */
    bool dry_run;
    bool oneline;
    /* --no-wait and --wait=none|sb|hv: the last one given counts, and
     * "--no-wait" is "--wait=none". */
    bool no_wait;               /* --no-wait or --wait=none. */
    char *wait;                 /* "none", "sb", "hv", or NULL if none
                                 * of these options was given. */
    bool print_wait_time;
    int timeout;                /* Seconds, 0 for none. */
    struct table_style style;

    /* Outcome of running the commands. */
    char *error;                /* First error, or NULL. */
    int exit_status;            /* Set by ctl_exit(), else 0. */
    bool try_again;             /* Wait for a change and start over. */

    const struct ovsdb_schema *schema;  /* The tool's schema. */

    /* What to monitor, collected from the prerequisites. */
    struct shash need_tables;   /* Name -> struct ctl_need *. */
    void *aux;                  /* For the tool; ctl_main() frees it with
                                 * free() at exit, so it must be a single
                                 * allocation. */
};

/* Runs the tool.  Returns the process exit status. */
int ctl_main(const struct ctl_tool *, int argc, char *argv[]);

/* A tool's commands kept in several arrays (one per source file). */
struct ctl_command_family {
    const struct ctl_command_syntax *commands;
    const size_t *n;
};
/* Runs 'tool' with the commands of 'families', in order, as its own. */
int ctl_main_families(const struct ctl_tool *,
                      const struct ctl_command_family *, size_t n_families,
                      int argc, char *argv[]);

/* For commands. */
void ctl_error(struct ctl_context *, const char *format, ...)
    PRINTF_FORMAT(2, 3);
void ctl_try_again(struct ctl_context *);
/* Stops the run as an error does (nothing is committed or printed) but
 * silently, and makes the tool exit with 'status' (ovs-vsctl's br-exists
 * exits with 2 when the bridge is absent). */
void ctl_exit(struct ctl_context *, int status);
/* Prerequisites.  A command names what its 'run' reads: a whole table
 * (every column), or the rows of a table with some of its columns.  The
 * run must not read, nor write whole, a column not named (unmonitored
 * columns hold their defaults); a table named both ways is monitored
 * whole.  Commands that name few columns load far less of a big
 * database, as ovs-vsctl's and ovn-nbctl's prerequisites do. */
void ctl_need_table(struct ctl_context *, const char *table);
/* Needs 'table''s rows and, unless NULL, its column 'column'. */
void ctl_need_column(struct ctl_context *, const char *table,
                     const char *column);
/* Needs 'table''s rows and its columns named in 'columns', a
 * comma-separated list ("name,ports"; "" for the rows only). */
void ctl_need_columns(struct ctl_context *, const char *table,
                      const char *columns);
/* Needs what naming a row of 'table' reads (ctl_get_row()): the rows of
 * 'table' and the name and UUID columns of the tool's rules for it. */
void ctl_need_row_ids(struct ctl_context *, const char *table);
bool ctl_has_option(const struct ctl_context *, const char *name);
const char *ctl_get_option(const struct ctl_context *, const char *name);

/* Table and column lookup by (abbreviated) name.  Return NULL after
 * ctl_error(). */
const struct ovsdb_table_schema *ctl_lookup_table(struct ctl_context *,
                                                 const char *name);
struct ovsdb_client_table *ctl_get_table(struct ctl_context *,
                                         const char *name);
const struct ovsdb_column *ctl_get_column(struct ctl_context *,
                                          const struct ovsdb_table_schema *,
                                          const char *name, bool allow_uuid);
/* Finds the row of 'table' named 'record'.  If it does not exist: with
 * 'must_exist', ctl_error(); else returns NULL quietly. */
const struct ovsdb_client_row *ctl_get_row(struct ctl_context *,
                                           struct ovsdb_client_table *,
                                           const char *record,
                                           bool must_exist);

/* Sets "column[:key]=value" 'arg' (ovs-vsctl syntax) in 'row', which is
 * in the transaction being built ('is_new' if it inserted 'row', so that
 * immutable columns may be set).  Reports problems with ctl_error(). */
void ctl_set_column(struct ctl_context *, const struct ovsdb_client_row *,
                    const char *arg, bool is_new);

#endif
