/* The driver of weft-nbctl, weft-sbctl and weft-vsctl: options, command
 * parsing, the transaction loop and output.  See db-ctl.h; the generic
 * commands themselves are in db-ctl-cmds.c. */
#include "cli/db-ctl.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "json.h"
#include "vlog.h"
#include "ovsdb/client-io.h"
#include "ovsdb/client-txn.h"
#include "ovsdb/datum.h"
#include "ovsdb/schema.h"
#include "cli/db-ctl-private.h"

VLOG_DEFINE_THIS_MODULE(db_ctl);

/* ovs-vsctl reports a failed transaction twice, once in a log line from
 * its IDL: weft's tools keep the same module name for the same line. */
static struct vlog_module idl_module = { "ovsdb_idl", VLL_N_LEVELS, NULL };
static struct vlog_module fatal_signal_module = {
    "fatal_signal", VLL_N_LEVELS, NULL
};
/* The module under which the OVS tools warn about an options environment
 * variable that ends inside a quoted string. */
static struct vlog_module svec_module = { "svec", VLL_N_LEVELS, NULL };

/* --timeout expired: say so, as the OVS tools do, and die of SIGALRM. */
static void
alarm_handler(int sig)
{
    vlog(&fatal_signal_module, VLL_WARN,
         "terminating with signal %d (%s)", sig, strsignal(sig));
    signal(sig, SIG_DFL);
    raise(sig);
}

void
ctl_error(struct ctl_context *ctx, const char *format, ...)
{
    if (!ctx->error) {
        va_list args;

        va_start(args, format);
        ctx->error = xvasprintf(format, args);
        va_end(args);
    }
}

void
ctl_exit(struct ctl_context *ctx, int status)
{
    if (!ctx->error) {
        ctx->error = xstrdup("");
        ctx->exit_status = status;
    }
}

void
ctl_try_again(struct ctl_context *ctx)
{
    ctx->try_again = true;
}

/* What one table's monitoring needs. */
struct ctl_need {
    bool all_columns;
    struct shash columns;       /* Column name -> NULL. */
};

static struct ctl_need *
need_get(struct ctl_context *ctx, const char *table)
{
    struct ctl_need *need = shash_find_data(&ctx->need_tables, table);

    if (!need) {
        need = xzalloc(sizeof *need);
        shash_init(&need->columns);
        shash_add(&ctx->need_tables, table, need);
    }
    return need;
}

static void
needs_destroy(struct shash *need_tables)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, need_tables) {
        struct ctl_need *need = node->data;
        shash_destroy(&need->columns);
        free(need);
    }
    shash_destroy(need_tables);
}

void
ctl_need_table(struct ctl_context *ctx, const char *table)
{
    need_get(ctx, table)->all_columns = true;
}

void
ctl_need_column(struct ctl_context *ctx, const char *table,
                const char *column)
{
    struct ctl_need *need = need_get(ctx, table);

    if (column) {
        shash_add_once(&need->columns, column, NULL);
    }
}

void
ctl_need_columns(struct ctl_context *ctx, const char *table,
                 const char *columns)
{
    char *copy = xstrdup(columns), *save = NULL;

    ctl_need_column(ctx, table, NULL);
    for (char *c = strtok_r(copy, ",", &save); c;
         c = strtok_r(NULL, ",", &save)) {
        ctl_need_column(ctx, table, c);
    }
    free(copy);
}

/* Tells 'client' to monitor what 'ctx' needs. */
static void
monitor_needs(const struct ctl_context *ctx, struct ovsdb_client *client)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &ctx->need_tables) {
        const struct ctl_need *need = node->data;
        if (need->all_columns) {
            ovsdb_client_monitor_table(client, node->name);
            continue;
        }
        ovsdb_client_monitor_column(client, node->name, NULL);
        struct shash_node *c;
        SHASH_FOR_EACH (c, &need->columns) {
            ovsdb_client_monitor_column(client, node->name, c->name);
        }
    }
}

bool
ctl_has_option(const struct ctl_context *ctx, const char *name)
{
    return shash_find(ctx->options, name) != NULL;
}

const char *
ctl_get_option(const struct ctl_context *ctx, const char *name)
{
    return shash_find_data(ctx->options, name);
}

/* Command lookup. */

static const struct ctl_command_syntax *
find_command(const struct ctl_tool *tool, const char *name)
{
    for (size_t i = 0; i < tool->n_commands; i++) {
        if (!strcmp(tool->commands[i].name, name)) {
            return &tool->commands[i];
        }
    }
    for (size_t i = 0; i < ctl_n_generic_commands; i++) {
        if (!strcmp(ctl_generic_commands[i].name, name)) {
            return &ctl_generic_commands[i];
        }
    }
    return NULL;
}

/* Whether an option takes a value: "--name", "--name=", "--name?". */
enum option_arg {
    OPTION_NO_ARG,
    OPTION_REQUIRED_ARG,
    OPTION_OPTIONAL_ARG,
};

/* Does 'syntax' accept option 'name' ("--if-exists")?  Sets '*has_arg'. */
static bool
command_has_option(const struct ctl_command_syntax *syntax,
                   const char *name, enum option_arg *has_arg)
{
    size_t len = strlen(name);
    const char *p = syntax->options;

    while (p && *p) {
        size_t n = strcspn(p, ",");
        enum option_arg arg = !n ? OPTION_NO_ARG
                              : p[n - 1] == '=' ? OPTION_REQUIRED_ARG
                              : p[n - 1] == '?' ? OPTION_OPTIONAL_ARG
                              : OPTION_NO_ARG;
        size_t name_len = n - (arg != OPTION_NO_ARG);
        if (name_len == len && !strncmp(p, name, len)) {
            *has_arg = arg;
            return true;
        }
        p += n + (p[n] == ',');
    }
    return false;
}

static bool
any_command_has_option(const struct ctl_tool *tool, const char *name)
{
    enum option_arg has_arg;

    for (size_t i = 0; i < tool->n_commands; i++) {
        if (command_has_option(&tool->commands[i], name, &has_arg)) {
            return true;
        }
    }
    for (size_t i = 0; i < ctl_n_generic_commands; i++) {
        if (command_has_option(&ctl_generic_commands[i], name, &has_arg)) {
            return true;
        }
    }
    return false;
}

/* Parses one command: 'argv[0..argc-1]' holds its options and then its
 * name and arguments.  Returns an owned error, or NULL. */
static char *
parse_command(const struct ctl_tool *tool, int argc, char *argv[],
              struct shash *local_options, struct ctl_command *cmd)
{
    int i;

    memset(cmd, 0, sizeof *cmd);
    shash_init(&cmd->options);
    ds_init(&cmd->output);
    if (local_options) {
        shash_swap(&cmd->options, local_options);
    }
    for (i = 0; i < argc && str_startswith(argv[i], "-"); i++) {
        const char *eq = strchr(argv[i], '=');
        char *name = eq ? xmemdup0(argv[i], eq - argv[i]) : xstrdup(argv[i]);
        if (shash_find(&cmd->options, name)) {
            char *error = xasprintf("'%s' option specified multiple times",
                                    name);
            free(name);
            return error;
        }
        shash_add_nocopy(&cmd->options, name, eq ? xstrdup(eq + 1) : NULL);
    }
    if (i == argc) {
        return xstrdup("missing command name (use --help for help)");
    }

    const struct ctl_command_syntax *syntax = find_command(tool, argv[i]);
    if (!syntax) {
        return xasprintf("unknown command '%s'; use --help for help",
                         argv[i]);
    }

    struct shash_node *node;
    SHASH_FOR_EACH (node, &cmd->options) {
        enum option_arg has_arg;
        if (!command_has_option(syntax, node->name, &has_arg)) {
            return xasprintf("'%s' command has no '%s' option",
                             argv[i], node->name);
        }
        if (has_arg == OPTION_REQUIRED_ARG && !node->data) {
            return xasprintf("missing argument to '%s' option on '%s' "
                             "command", node->name, argv[i]);
        } else if (has_arg == OPTION_NO_ARG && node->data) {
            return xasprintf("'%s' option on '%s' does not accept an "
                             "argument", node->name, argv[i]);
        }
    }

    int n_args = argc - i - 1;
    if (n_args < syntax->min_args) {
        return xasprintf("'%s' command requires at least %d arguments",
                         syntax->name, syntax->min_args);
    } else if (n_args > syntax->max_args) {
        /* Perhaps an option given after the command name. */
        bool dash = false;
        for (int j = i + 1; j < argc; j++) {
            dash = dash || argv[j][0] == '-';
        }
        return xasprintf("'%s' command takes at most %d arguments%s",
                         syntax->name, syntax->max_args,
                         dash ? " (note that options must precede command "
                                "names and follow a \"--\" argument)" : "");
    }
    cmd->syntax = syntax;
    cmd->argc = n_args + 1;
    cmd->argv = xmalloc((cmd->argc + 1) * sizeof *cmd->argv);
    for (int j = 0; j < cmd->argc; j++) {
        cmd->argv[j] = xstrdup(argv[i + j]);
    }
    cmd->argv[cmd->argc] = NULL;
    return NULL;
}

static void
command_reset_output(struct ctl_command *cmd)
{
    ds_clear(&cmd->output);
    table_destroy(cmd->table);
    free(cmd->table);
    cmd->table = NULL;
    free(cmd->data);
    cmd->data = NULL;
}

static void
command_destroy(struct ctl_command *cmd)
{
    command_reset_output(cmd);
    ds_destroy(&cmd->output);
    shash_destroy_free_data(&cmd->options);
    for (int i = 0; i < cmd->argc; i++) {
        free(cmd->argv[i]);
    }
    free(cmd->argv);
}

/* Splits 'argv' on "--" into commands.  'local_options' (options seen
 * among the global ones) go to the first command.  Returns an owned error,
 * or NULL with the commands in '*cmdsp'. */
static char *
parse_commands(const struct ctl_tool *tool, int argc, char *argv[],
               struct shash *local_options, struct ctl_command **cmdsp,
               size_t *n_cmdsp)
{
    /* Sized once: a command embeds an shash, which must not move. */
    size_t max_cmds = 1;
    for (int i = 0; i < argc; i++) {
        max_cmds += !strcmp(argv[i], "--");
    }

    struct ctl_command *cmds = xcalloc(max_cmds, sizeof *cmds);
    size_t n_cmds = 0;
    char *error = NULL;
    int start = 0;

    for (int i = 0; i <= argc && !error; i++) {
        if (i < argc && strcmp(argv[i], "--")) {
            continue;
        }
        /* An empty command ("a -- -- b", or a trailing "--") is skipped,
         * unless it is all there is. */
        if (i > start || (i == argc && !n_cmds)) {
            error = parse_command(tool, i - start, &argv[start],
                                  n_cmds ? NULL : local_options,
                                  &cmds[n_cmds]);
            n_cmds++;
        }
        start = i + 1;
    }
    *cmdsp = cmds;
    *n_cmdsp = n_cmds;
    return error;
}

/* Global options. */

enum {
    OPT_DB = UCHAR_MAX + 1,
    OPT_NO_HEADINGS,
    OPT_BARE,
    OPT_PRETTY,
    OPT_ONELINE,
    OPT_DRY_RUN,
    OPT_NO_WAIT,
    OPT_WAIT,
    OPT_RETRY,
    OPT_NO_SYSLOG,
    OPT_LEADER_ONLY,
    OPT_NO_LEADER_ONLY,
    OPT_SHUFFLE,
    OPT_NO_SHUFFLE,
    OPT_PRINT_WAIT_TIME,
    OPT_LOCAL,
};

static const struct option global_options[] = {
    { "db", required_argument, NULL, OPT_DB },
    { "timeout", required_argument, NULL, 't' },
    { "format", required_argument, NULL, 'f' },
    { "data", required_argument, NULL, 'd' },
    { "no-headings", no_argument, NULL, OPT_NO_HEADINGS },
    { "bare", no_argument, NULL, OPT_BARE },
    { "pretty", no_argument, NULL, OPT_PRETTY },
    { "oneline", no_argument, NULL, OPT_ONELINE },
    { "dry-run", no_argument, NULL, OPT_DRY_RUN },
    { "no-wait", no_argument, NULL, OPT_NO_WAIT },
    { "wait", required_argument, NULL, OPT_WAIT },
    { "print-wait-time", no_argument, NULL, OPT_PRINT_WAIT_TIME },
    { "retry", no_argument, NULL, OPT_RETRY },
    { "no-syslog", no_argument, NULL, OPT_NO_SYSLOG },
    { "leader-only", no_argument, NULL, OPT_LEADER_ONLY },
    { "no-leader-only", no_argument, NULL, OPT_NO_LEADER_ONLY },
    { "shuffle-remotes", no_argument, NULL, OPT_SHUFFLE },
    { "no-shuffle-remotes", no_argument, NULL, OPT_NO_SHUFFLE },
    { "verbose", optional_argument, NULL, 'v' },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 },
};

struct ctl_options {
    char *db;
    bool retry;
    bool leader_only;
    bool help;
    bool version;
    struct shash local_options; /* Options for the first command. */
};

/* Splits off an option that global_options does not know but a command
 * does, so it goes to the first command.  Returns true if it did. */
static bool
take_local_option(const struct ctl_tool *tool, const char *arg,
                  struct shash *local_options, char **errorp)
{
    const char *eq = strchr(arg, '=');
    char *name = eq ? xmemdup0(arg, eq - arg) : xstrdup(arg);

    if (!any_command_has_option(tool, name)) {
        *errorp = xasprintf("unrecognized option '%s'", arg);
        free(name);
        return false;
    }
    if (shash_find(local_options, name)) {
        *errorp = xasprintf("'%s' option specified multiple times", name);
        free(name);
        return false;
    }
    shash_add_nocopy(local_options, name, eq ? xstrdup(eq + 1) : NULL);
    return true;
}

/* Parses the global options at the start of 'argv'.  Returns the index of
 * the first command word, or -1 after storing an owned error. */
static int
parse_global_options(struct ctl_context *ctx, struct ctl_options *opts,
                     int argc, char *argv[], char **errorp)
{
    int i;

    for (i = 1; i < argc && argv[i][0] == '-' && strcmp(argv[i], "--");
         i++) {
        const char *arg = argv[i];
        const struct option *o = NULL;
        const char *value = NULL;
        int code;

        if (arg[1] == '-') {
            size_t n = strcspn(arg + 2, "=");
            for (o = global_options; o->name; o++) {
                if (strlen(o->name) == n && !strncmp(o->name, arg + 2, n)) {
                    break;
                }
            }
            if (!o->name) {
                if (!take_local_option(ctx->tool, arg, &opts->local_options,
                                       errorp)) {
                    return -1;
                }
                continue;
            }
            code = o->val;
            value = arg[2 + n] == '=' ? arg + 3 + n : NULL;
            if (o->has_arg == required_argument && !value) {
                if (i + 1 >= argc) {
                    *errorp = xasprintf("option '%s' requires an argument",
                                        arg);
                    return -1;
                }
                value = argv[++i];
            } else if (o->has_arg == no_argument && value) {
                *errorp = xasprintf("option '--%s' doesn't allow an "
                                    "argument", o->name);
                return -1;
            }
        } else {
            code = arg[1];
            if (!strchr("tfdvhV", code) || (arg[2] && !strchr("tfdv", code))) {
                *errorp = xasprintf("invalid option -- '%c'", arg[1]);
                return -1;
            }
            if (strchr("tfd", code)) {
                value = arg[2] ? arg + 2 : i + 1 < argc ? argv[++i] : NULL;
                if (!value) {
                    *errorp = xasprintf("option requires an argument -- "
                                        "'%c'", code);
                    return -1;
                }
            } else if (code == 'v' && arg[2]) {
                value = arg + 2;
            }
        }

        switch (code) {
        case OPT_DB:
            free(opts->db);
            opts->db = xstrdup(value);
            break;
        case 't': {
            unsigned int secs;
            if (!str_to_uint(value, 10, &secs) || secs > INT_MAX) {
                *errorp = xasprintf("value %s on -t or --timeout is invalid",
                                    value);
                return -1;
            }
            ctx->timeout = secs;
            break;
        }
        case 'f':
            if (!table_parse_format(value, &ctx->style.format)) {
                *errorp = xasprintf("unknown output format \"%s\"", value);
                return -1;
            }
            break;
        case 'd':
            if (!table_parse_cell_format(value, &ctx->style.cell_format)) {
                *errorp = xasprintf("unknown data format \"%s\"", value);
                return -1;
            }
            break;
        case OPT_NO_HEADINGS:
            ctx->style.headings = false;
            break;
        case OPT_BARE:
            ctx->style.format = TF_LIST;
            ctx->style.cell_format = CF_BARE;
            ctx->style.headings = false;
            break;
        case OPT_PRETTY:
            ctx->style.pretty = true;
            break;
        case OPT_ONELINE:
            ctx->oneline = true;
            break;
        case OPT_DRY_RUN:
            ctx->dry_run = true;
            break;
        case OPT_NO_WAIT:
            ctx->no_wait = true;
            free(ctx->wait);
            ctx->wait = xstrdup("none");
            break;
        case OPT_WAIT:
            if (strcmp(value, "none") && strcmp(value, "sb")
                && strcmp(value, "hv")) {
                *errorp = xasprintf("argument to --wait must be "
                                    "\"none\", \"sb\", or \"hv\"");
                return -1;
            }
            free(ctx->wait);
            ctx->wait = xstrdup(value);
            ctx->no_wait = !strcmp(value, "none");
            break;
        case OPT_PRINT_WAIT_TIME:
            ctx->print_wait_time = true;
            break;
        case OPT_RETRY:
            opts->retry = true;
            break;
        case OPT_LEADER_ONLY:
            opts->leader_only = true;
            break;
        case OPT_NO_LEADER_ONLY:
            opts->leader_only = false;
            break;
        case 'v': {
            char *error = vlog_set_levels_from_string(value ? value : "dbg");
            if (error) {
                *errorp = error;
                return -1;
            }
            break;
        }
        case 'h':
            opts->help = true;
            break;
        case 'V':
            opts->version = true;
            break;
        default:                /* Accepted for compatibility. */
            break;
        }
    }
    if (i < argc && !strcmp(argv[i], "--")) {
        i++;
    }
    return i;
}

/* Help. */

static void
print_row_ids(const struct ctl_tool *tool, const struct ovsdb_schema *schema)
{
    const struct shash_node **nodes = shash_sort(&schema->tables);
    static const char *const singletons[] = {
        "NB_Global", "SB_Global", "Open_vSwitch", "SSL",
    };

    printf("Database commands may reference a row in each table in the "
           "following ways:\n");
    for (size_t i = 0; i < shash_count(&schema->tables); i++) {
        const char *table = nodes[i]->name;
        const struct ctl_table_class *tc = NULL;

        printf("  %s:\n    by UUID\n", table);
        for (size_t j = 0; j < ARRAY_SIZE(singletons); j++) {
            if (!strcmp(table, singletons[j])) {
                printf("    as \".\"\n");
            }
        }
        for (size_t j = 0; j < tool->n_tables; j++) {
            if (!strcmp(tool->tables[j].table, table)) {
                tc = &tool->tables[j];
            }
        }
        for (size_t j = 0; tc && j < ARRAY_SIZE(tc->row_ids); j++) {
            const struct ctl_row_id *id = &tc->row_ids[j];
            if (!id->table) {
                continue;
            }
            printf("    %s", id->uuid_column ? "via" : "by");
            if (id->uuid_column) {
                printf(" \"%s\" of %s with matching", id->uuid_column,
                       id->table);
            }
            printf(" \"%s%s%s\"\n", id->name_column, id->key ? ":" : "",
                   id->key ? id->key : "");
        }
    }
    free(nodes);
}

static char *default_db(const struct ctl_tool *);

static void
print_help(const struct ctl_tool *tool, const struct ovsdb_schema *schema)
{
    char *db = default_db(tool);

    printf("%s: %s\n"
           "usage: %s [OPTIONS] COMMAND [ARG...]\n\n",
           tool->program_name, tool->usage, tool->program_name);
    if (tool->commands_help) {
        printf("%s\n", tool->commands_help);
    }
    for (size_t i = 0; !tool->commands_help && i < tool->n_commands; i++) {
        const struct ctl_command_syntax *c = &tool->commands[i];
        printf("  %s%s%s\n", c->name, *c->arguments ? " " : "",
               c->arguments);
    }
    printf("Database commands:\n"
           "  list TBL [REC]              list RECord (or all records) in "
           "TBL\n"
           "  find TBL CONDITION...       list records satisfying CONDITION "
           "in TBL\n"
           "  get TBL REC COL[:KEY]       print values of COLumns in RECord "
           "in TBL\n"
           "  set TBL REC COL[:KEY]=VALUE set COLumn values in RECord in "
           "TBL\n"
           "  add TBL REC COL [KEY=]VALUE add (KEY=)VALUE to COLumn in "
           "RECord in TBL\n"
           "  remove TBL REC COL [KEY=]VALUE  remove (KEY=)VALUE from "
           "COLumn\n"
           "  clear TBL REC COL           clear values from COLumn in "
           "RECord in TBL\n"
           "  create TBL COL[:KEY]=VALUE  create and initialize new "
           "record\n"
           "  destroy TBL REC             delete RECord from TBL\n"
           "  wait-until TBL REC [COL[:KEY]=VALUE]  wait until condition "
           "is true\n"
           "  comment [ARG]...            record ARGs in the database "
           "log\n");
    print_row_ids(tool, schema);
    if (tool->options_help) {
        printf("\n");
        printf(tool->options_help, db);
        free(db);
        return;
    }
    printf("\nOptions:\n"
           "  --db=DATABASE             connect to DATABASE\n"
           "                            (default: %s)\n"
           "  -t, --timeout=SECS        wait at most SECS seconds\n"
           "  --dry-run                 do not commit changes to the "
           "database\n"
           "  --oneline                 print exactly one line of output "
           "per command\n"
           "  --retry                   keep trying to connect\n"
           "\nOutput formatting options:\n"
           "  -f, --format=FORMAT         set output formatting to FORMAT\n"
           "                              (\"table\", \"html\", \"csv\", "
           "\"json\", or \"list\")\n"
           "  -d, --data=FORMAT           set table cell output formatting "
           "to\n"
           "                              FORMAT (\"string\", \"bare\", "
           "or \"json\")\n"
           "  --no-headings               omit table heading row\n"
           "  --pretty                    pretty-print JSON in output\n"
           "  --bare                      equivalent to \"--format=list "
           "--data=bare --no-headings\"\n"
           "\nOther options:\n"
           "  -v, --verbose[=SPEC]      set logging levels\n"
           "  -h, --help                display this help message\n"
           "  -V, --version             display version information\n",
           db);
    free(db);
}

/* Connection and the transaction loop. */

static char *
default_db(const struct ctl_tool *tool)
{
    const char *env = tool->db_env ? getenv(tool->db_env) : NULL;
    if (env && *env) {
        return xstrdup(env);
    }
    const char *rundir = getenv(tool->rundir_env);
    return xasprintf("unix:%s/%s", rundir && *rundir ? rundir
                                                      : tool->default_rundir,
                     tool->socket_name);
}

/* Runs every command against a fresh transaction.  Returns false if the
 * run must be repeated (try again) and true otherwise; on error
 * 'ctx->error' is set. */
static bool
run_commands(struct ctl_context *ctx, struct ctl_command *cmds,
             size_t n_cmds)
{
    const char *singleton = ctx->tool->singleton_table;
    struct ovsdb_client_table *st = singleton
        ? ovsdb_client_get_table(ctx->client, singleton) : NULL;
    if (st && !ovsdb_client_table_count(st)) {
        ovsdb_client_txn_insert(ctx->txn, st);
    }
    if (ctx->tool->pre_commit && !ctx->dry_run) {
        ctx->tool->pre_commit(ctx);
    }
    for (size_t i = 0; i < n_cmds && !ctx->error && !ctx->try_again; i++) {
        struct ctl_command *cmd = &cmds[i];
        command_reset_output(cmd);
        ctx->cmd = cmd;
        ctx->argc = cmd->argc;
        ctx->argv = cmd->argv;
        ctx->options = &cmd->options;
        ctx->output = &cmd->output;
        cmd->syntax->run(ctx);
    }
    ctx->cmd = NULL;
    if (ctx->error || ctx->try_again) {
        return !ctx->try_again || ctx->error;
    }

    struct shash_node *node;
    SHASH_FOR_EACH (node, &ctx->symtab->sh) {
        struct ovsdb_symbol *symbol = node->data;
        if (!symbol->created) {
            ctl_error(ctx, "row id \"%s\" is referenced but never created "
                      "(e.g. with \"-- --id=%s create ...\")",
                      node->name, node->name);
            return true;
        }
        if (!symbol->strong_ref) {
            vlog(ctx->tool->log_module, VLL_WARN,
                 "row id \"%s\" was created but %s, so it will not "
                 "actually appear in the database", node->name,
                 symbol->weak_ref
                     ? "only a weak reference to it was inserted"
                     : "no reference to it was inserted");
        }
    }
    return true;
}

static void
print_outputs(struct ctl_context *ctx, struct ctl_command *cmds,
              size_t n_cmds)
{
    struct ds out = DS_EMPTY_INITIALIZER;
    bool printed_table = false;

    for (size_t i = 0; i < n_cmds; i++) {
        struct ctl_command *cmd = &cmds[i];
        if (cmd->table) {
            /* Like ovs-vsctl, every table after the first is set off by a
             * blank line, even when the one before had no rows. */
            if (printed_table && ctx->style.format != TF_JSON) {
                ds_put_char(&cmd->output, '\n');
            }
            printed_table = true;
            table_format(cmd->table, &ctx->style, &cmd->output);
        }
        if (ctx->oneline && !cmd->table) {
            /* Tables are printed as they are, as ovs-vsctl does. */
            const char *s = ds_cstr(&cmd->output);
            size_t len = cmd->output.length;
            if (len && s[len - 1] == '\n') {
                len--;
            }
            for (size_t j = 0; j < len; j++) {
                if (s[j] == '\n') {
                    ds_put_cstr(&out, "\\n");
                } else if (s[j] == '\\') {
                    ds_put_cstr(&out, "\\\\");
                } else {
                    ds_put_char(&out, s[j]);
                }
            }
            ds_put_char(&out, '\n');
        } else {
            ds_put_buffer(&out, cmd->output.string, cmd->output.length);
        }
    }
    fputs(ds_cstr(&out), stdout);
    fflush(stdout);
    ds_destroy(&out);
}

static void
postprocess(struct ctl_context *ctx, struct ctl_command *cmds, size_t n_cmds)
{
    for (size_t i = 0; i < n_cmds; i++) {
        struct ctl_command *cmd = &cmds[i];
        if (cmd->syntax->postprocess) {
            ctx->cmd = cmd;
            ctx->argc = cmd->argc;
            ctx->argv = cmd->argv;
            ctx->options = &cmd->options;
            ctx->output = &cmd->output;
            cmd->syntax->postprocess(ctx);
        }
    }
    ctx->cmd = NULL;
}

/* Whether to free the replica when the run is over.  The process exits
 * right after: freeing the replica of a big database one row at a time
 * takes about a third of a one-command run (20,000 ports: 20 of 66 ms of
 * CPU), so a normal build leaves it to the exit.  Sanitizer builds free
 * it, so that their leak checker finds real leaks. */
#if defined(__SANITIZE_ADDRESS__)
#define CTL_FREE_REPLICA 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CTL_FREE_REPLICA 1
#endif
#endif
#ifndef CTL_FREE_REPLICA
#define CTL_FREE_REPLICA 0
#endif

static void
release_client(struct ovsdb_client *client)
{
    if (CTL_FREE_REPLICA) {
        ovsdb_client_destroy(client);
    }
    /* Else the exit closes the connection: nothing is left to send. */
}

/* Connects and runs 'cmds' until they commit, fail or time out.  Returns
 * the exit status. */
static int
do_commands(struct ctl_context *ctx, const struct ctl_options *opts,
            struct ctl_command *cmds, size_t n_cmds)
{
    for (size_t i = 0; i < n_cmds; i++) {
        if (cmds[i].syntax->prerequisites) {
            ctx->cmd = &cmds[i];
            ctx->argc = cmds[i].argc;
            ctx->argv = cmds[i].argv;
            ctx->options = &cmds[i].options;
            cmds[i].syntax->prerequisites(ctx);
        }
    }
    if (ctx->tool->singleton_table) {
        /* To create it when missing, only whether it has a row counts. */
        ctl_need_column(ctx, ctx->tool->singleton_table, NULL);
    }
    if (ctx->tool->prerequisites) {
        ctx->tool->prerequisites(ctx);
    }
    if (ctx->error) {
        return 1;
    }

    struct ovsdb_client *client = ovsdb_client_create(opts->db,
                                                      ctx->tool->class_);
    ovsdb_client_set_leader_only(client, opts->leader_only);
    ovsdb_client_set_tracking(client, false);
    monitor_needs(ctx, client);
    if (shash_is_empty(&ctx->need_tables)) {
        /* Still connect, to report a missing server, but load nothing. */
        ovsdb_client_monitor_column(client, ctx->tool->tables[0].table,
                                    NULL);
    }

    int error = ovsdb_client_sync_connect(client, 0, opts->retry);
    if (error) {
        int why = ovsdb_client_get_last_errno(client);
        const char *text = ovsdb_client_get_last_error(client);
        ctl_error(ctx, "%s: database connection failed (%s)", opts->db,
                  why ? util_strerror(why) : text ? text
                                                  : util_strerror(error));
        ovsdb_client_destroy(client);
        return 1;
    }
    ctx->client = client;

    int status = 1;
    for (;;) {
        uint64_t seqno = ovsdb_client_get_seqno(client);
        struct ovsdb_symbol_table symtab;

        ovsdb_symbol_table_init(&symtab);
        ctx->symtab = &symtab;
        ctx->txn = ovsdb_client_txn_create(client);
        ctx->try_again = false;
        run_commands(ctx, cmds, n_cmds);

        enum ovsdb_client_txn_status txn_status = OVSDB_TXN_UNCHANGED;
        if (!ctx->error && !ctx->try_again && !ctx->dry_run) {
            txn_status = ovsdb_client_sync_commit(client, ctx->txn, 0);
        }
        if (!ctx->error && !ctx->try_again) {
            switch (txn_status) {
            case OVSDB_TXN_SUCCESS:
            case OVSDB_TXN_UNCHANGED:
                postprocess(ctx, cmds, n_cmds);
                status = 0;
                break;
            case OVSDB_TXN_TRY_AGAIN:
                ctx->try_again = true;
                break;
            case OVSDB_TXN_NOT_LOCKED:
            case OVSDB_TXN_ERROR:
            case OVSDB_TXN_ABORTED:
            case OVSDB_TXN_UNCOMMITTED:
            case OVSDB_TXN_INCOMPLETE:
                vlog(&idl_module, VLL_WARN, "transaction error: %s",
                     ovsdb_client_txn_get_error_json(ctx->txn));
                /* The same text again, as the command's error. */
                ctl_error(ctx, "transaction error: %s",
                          ovsdb_client_txn_get_error_json(ctx->txn));
                break;
            }
        }
        ovsdb_symbol_table_destroy(&symtab);
        ctx->symtab = NULL;
        if (!status) {
            break;              /* Keep the transaction for post_commit. */
        }
        ovsdb_client_txn_destroy(ctx->txn);
        ctx->txn = NULL;
        if (ctx->error || !ctx->try_again) {
            break;
        }
        VLOG_DBG("database changed while running commands; retrying");
        ovsdb_client_sync_wait_change(client, seqno, 0);
    }
    if (!status) {
        print_outputs(ctx, cmds, n_cmds);
        if (ctx->tool->post_commit && !ctx->dry_run) {
            ctx->tool->post_commit(ctx);
            status = ctx->error ? 1 : 0;
        }
        ovsdb_client_txn_destroy(ctx->txn);
        ctx->txn = NULL;
    }
    ctx->client = NULL;
    release_client(client);
    return status;
}

/* Returns a copy of 'argv' (of '*argcp' elements, which it updates) with
 * the words of the tool's options environment variable inserted after the
 * program name, so that the command line's options come later and win.
 * The words are stored in '*wordsp'; the caller frees both arrays, the
 * latter with str_free_words(). */
static char **
insert_env_options(const struct ctl_tool *tool, int *argcp, char *argv[],
                   char ***wordsp)
{
    const char *env = tool->options_env ? getenv(tool->options_env) : NULL;
    char **words;
    size_t n;

    if (!str_split_words(env ? env : "", &words, &n)) {
        vlog(&svec_module, VLL_WARN, "%s: word ends inside quoted string",
             env);
    }
    char **new_argv = xcalloc(*argcp + n + 1, sizeof *new_argv);
    new_argv[0] = argv[0];
    memcpy(&new_argv[1], words, n * sizeof *words);
    memcpy(&new_argv[1 + n], &argv[1], (*argcp - 1) * sizeof *argv);
    *argcp += n;
    *wordsp = words;
    return new_argv;
}

/* The tool's built-in schema, which names tables and columns. */
static struct ovsdb_schema *
parse_schema(const struct ctl_tool *tool)
{
    struct ovsdb_schema *schema;
    char *error = NULL;
    struct json *json = json_from_string(tool->class_->schema_json, &error);
    ASSERT(json);
    struct ovsdb_error *e = ovsdb_schema_from_json(json, &schema);
    ASSERT(!e);
    json_destroy(json);
    return schema;
}

int
ctl_main(const struct ctl_tool *tool, int argc, char *argv[])
{
    struct ctl_context ctx;
    struct ctl_options opts;
    struct ctl_command *cmds = NULL;
    size_t n_cmds = 0;
    struct ovsdb_schema *schema = NULL;
    char **all_argv = NULL, **env_words = NULL;
    char *error = NULL;
    int status = 1;

    memset(&ctx, 0, sizeof ctx);
    ctx.tool = tool;
    ctx.style = (struct table_style) TABLE_STYLE_DEFAULT;
    shash_init(&ctx.need_tables);
    memset(&opts, 0, sizeof opts);
    opts.leader_only = true;
    shash_init(&opts.local_options);
    vlog_set_program_name(tool->program_name);
    /* Connection trouble is reported once, as the command's error. */
    free(vlog_set_levels_from_string("ovsdb_client:console:err"));

    schema = parse_schema(tool);
    ctx.schema = schema;
    argv = all_argv = insert_env_options(tool, &argc, argv, &env_words);
    int first = parse_global_options(&ctx, &opts, argc, argv, &error);
    if (first < 0) {
        goto out;
    }
    if (opts.help) {
        print_help(tool, schema);
        status = 0;
        goto out;
    } else if (opts.version) {
        printf("%s (weft) %s\n", tool->program_name, WEFT_VERSION);
        status = 0;
        goto out;
    }
    if (first >= argc && shash_is_empty(&opts.local_options)) {
        error = xstrdup("missing command name (use --help for help)");
        goto out;
    }
    error = parse_commands(tool, argc - first, &argv[first],
                           &opts.local_options, &cmds, &n_cmds);
    if (error) {
        goto out;
    }
    if (!opts.db) {
        opts.db = default_db(tool);
    }
    if (ctx.timeout) {
        /* Registered now, so that the handler only logs. */
        vlog_is_enabled(&fatal_signal_module, VLL_WARN);
        signal(SIGALRM, alarm_handler);
        alarm(ctx.timeout);
    }
    status = do_commands(&ctx, &opts, cmds, n_cmds);
    error = ctx.error;
    ctx.error = NULL;

out:
    if (error) {
        if (*error) {
            fflush(stdout);
            fprintf(stderr, "%s: %s\n", tool->program_name, error);
        }
        free(error);
        status = ctx.exit_status ? ctx.exit_status : 1;
    }
    for (size_t i = 0; i < n_cmds; i++) {
        command_destroy(&cmds[i]);
    }
    free(cmds);
    free(opts.db);
    free(ctx.wait);
    shash_destroy_free_data(&opts.local_options);
    needs_destroy(&ctx.need_tables);
    free(ctx.aux);
    ovsdb_schema_destroy(schema);
    free(all_argv);
    str_free_words(env_words);
    return status;
}

int
ctl_main_families(const struct ctl_tool *tool_,
                  const struct ctl_command_family *families,
                  size_t n_families, int argc, char *argv[])
{
    struct ctl_tool tool = *tool_;
    size_t n = 0;

    for (size_t i = 0; i < n_families; i++) {
        n += *families[i].n;
    }
    struct ctl_command_syntax *commands = xmalloc(n * sizeof *commands);
    n = 0;
    for (size_t i = 0; i < n_families; i++) {
        memcpy(&commands[n], families[i].commands,
               *families[i].n * sizeof *commands);
        n += *families[i].n;
    }
    tool.commands = commands;
    tool.n_commands = n;

    int status = ctl_main(&tool, argc, argv);
    free(commands);
    return status;
}
