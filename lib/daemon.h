/* daemon: the options and start-up steps every weft daemon shares.
 *
 * Options (the same as Open vSwitch daemons'):
 *
 *     --pidfile[=FILE]   write and lock a pidfile (default RUNDIR/PROG.pid)
 *     --detach           run in the background
 *     --no-chdir         with --detach, stay in the current directory
 *     --log-file[=FILE]  log to FILE (default LOGDIR/PROG.log)
 *     --unixctl=PATH     control socket (default RUNDIR/PROG.ctl)
 *     -v, --verbose[=SPEC]  set log levels (vlog_set_levels_from_string)
 *     -h, --help / -V, --version   set flags for main() to act on
 *
 * RUNDIR is $WEFT_RUNDIR or /var/run/weft; LOGDIR is $WEFT_LOGDIR or
 * /var/log/weft.
 *
 * Use from main():
 *
 *     static const struct option long_options[] = {
 *         {"remote", required_argument, NULL, OPT_REMOTE},
 *         DAEMON_LONG_OPTIONS,
 *         {NULL, 0, NULL, 0},
 *     };
 *     struct daemon_options dopts;
 *     daemon_options_init(&dopts, "weft-db");
 *     while ((c = getopt_long(argc, argv, "..." DAEMON_SHORT_OPTIONS,
 *                             long_options, NULL)) != -1) {
 *         char *error;
 *         if (daemon_parse_option(&dopts, c, optarg, &error)) {
 *             if (error) { fprintf(stderr, "%s\n", error); exit(1); }
 *             continue;
 *         }
 *         ...program options...
 *     }
 *     if (dopts.help) { usage(); daemon_usage(stdout); exit(0); }
 *     if (dopts.version) { daemon_print_version(&dopts); exit(0); }
 *     if (daemon_start(&dopts, &error)) { ...print error, exit(1)... }
 *     ...open databases, sockets, the unixctl server...
 *     daemon_notify_ready(&dopts);
 *     poll_loop_run(loop);
 *     daemon_options_destroy(&dopts);      (removes the pidfile)
 *
 * With --detach, daemon_start() forks: the parent waits and exits only
 * when the child calls daemon_notify_ready() (status 0) or dies first
 * (its exit status, or 1), so a script that runs "weft-db --detach" can
 * use the daemon as soon as the command returns.  The child runs in a new
 * session; daemon_notify_ready() points its standard streams at
 * /dev/null.
 *
 * The pidfile is created by the process that will run (after the fork),
 * locked (an fcntl() open file description lock) so that a second
 * instance refuses to start, and removed
 * by daemon_options_destroy() or daemon_remove_pidfile().  Option codes
 * are DAEMON_OPT_BASE and up: program options must use other values.
 *
 * Not thread-safe; call daemon_start() before creating threads. */
#ifndef WEFT_DAEMON_H
#define WEFT_DAEMON_H 1

#include <stdbool.h>
#include <stdio.h>

#ifndef WEFT_VERSION
#define WEFT_VERSION "0.1.0"
#endif

#define DAEMON_DEFAULT_RUNDIR "/var/run/weft"
#define DAEMON_DEFAULT_LOGDIR "/var/log/weft"

enum {
    DAEMON_OPT_BASE = 0x1000,
    DAEMON_OPT_PIDFILE = DAEMON_OPT_BASE,
    DAEMON_OPT_DETACH,
    DAEMON_OPT_NO_CHDIR,
    DAEMON_OPT_LOG_FILE,
    DAEMON_OPT_UNIXCTL,
};

#define DAEMON_SHORT_OPTIONS "hVv::"
#define DAEMON_LONG_OPTIONS                                             \
    {"pidfile", optional_argument, NULL, DAEMON_OPT_PIDFILE},           \
    {"detach", no_argument, NULL, DAEMON_OPT_DETACH},                   \
    {"no-chdir", no_argument, NULL, DAEMON_OPT_NO_CHDIR},               \
    {"log-file", optional_argument, NULL, DAEMON_OPT_LOG_FILE},         \
    {"unixctl", required_argument, NULL, DAEMON_OPT_UNIXCTL},           \
    {"verbose", optional_argument, NULL, 'v'},                          \
    {"help", no_argument, NULL, 'h'},                                   \
    {"version", no_argument, NULL, 'V'}

struct daemon_options {
    char *program_name;         /* e.g. "weft-db". */
    char *pidfile;              /* Pidfile name, or NULL for none. */
    bool detach;                /* --detach. */
    bool no_chdir;              /* --no-chdir. */
    char *log_file;             /* Log file name, or NULL for none. */
    char *unixctl_path;         /* --unixctl, or NULL for the default. */
    bool help;                  /* --help given. */
    bool version;               /* --version given. */

    /* Run-time state. */
    int pidfile_fd;             /* Open and locked pidfile, or -1. */
    int ready_fd;               /* Pipe to the waiting parent, or -1. */
};

void daemon_options_init(struct daemon_options *, const char *program_name);
/* Removes the pidfile (if this process created it) and frees 'opts'. */
void daemon_options_destroy(struct daemon_options *);

/* If 'option' (a getopt_long() return value, with argument 'arg') is a
 * daemon option, handles it and returns true; '*errorp' is then NULL or
 * an owned message about a bad argument.  Otherwise returns false. */
bool daemon_parse_option(struct daemon_options *, int option,
                         const char *arg, char **errorp);
void daemon_usage(FILE *);
void daemon_print_version(const struct daemon_options *);

/* Owned directory names. */
char *daemon_rundir(void);
char *daemon_logdir(void);
/* Returns the control socket path as an owned string: --unixctl, or
 * RUNDIR/PROGRAM.ctl. */
char *daemon_unixctl_path(const struct daemon_options *);

/* Opens the log file, detaches (if asked) and creates the pidfile (if
 * asked).  Returns 0 or a positive errno with an owned explanation in
 * '*errorp'.  With --detach, only the child returns. */
int daemon_start(struct daemon_options *, char **errorp);
/* Tells a waiting parent that the daemon is serving. */
void daemon_notify_ready(struct daemon_options *);
void daemon_remove_pidfile(struct daemon_options *);

/* A poll_loop_watch_signals() callback for a daemon whose 'aux' is its
 * poll loop: SIGHUP reopens the log file (for log rotation), SIGTERM and
 * SIGINT log and stop the loop. */
void daemon_on_signal(int signo, void *loop);

#endif
