/* weft-appctl: sends one command to a running daemon's control socket and
 * prints the answer, like ovs-appctl.
 *
 * Exit status: 0 on success, 1 if the daemon could not be reached or the
 * command line is wrong, 2 if the daemon answered with an error. */

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "daemon.h"
#include "ovsdb/jsonrpc-client.h"
#include "ovsdb/unixctl.h"
#include "util.h"

#define DEFAULT_TARGET "weft-switchd"

struct appctl_options {
    const char *target;         /* -t: daemon name or socket path. */
    int timeout_ms;             /* --timeout, 0 for none. */
};

static void
usage(const char *program)
{
    printf("%s, for querying and controlling weft daemons\n"
           "usage: %s [TARGET] COMMAND [ARG...]\n"
           "Targets:\n"
           "  -t, --target=TARGET  daemon name or control socket path "
           "(default: %s)\n"
           "A daemon name NAME is resolved in $WEFT_RUNDIR (default %s)\n"
           "as NAME.ctl, or as NAME.PID.ctl with PID read from NAME.pid.\n"
           "Common commands:\n"
           "  list-commands      list the commands the daemon supports\n"
           "  version            print the daemon's version\n"
           "  vlog/list          list log modules and their levels\n"
           "  vlog/set SPEC      set log levels, e.g. ANY:file:dbg\n"
           "  vlog/reopen        reopen the log file\n"
           "Other options:\n"
           "  -T, --timeout=SECS wait at most SECS seconds for an answer\n"
           "  -h, --help         display this help message\n"
           "  -V, --version      display version information\n",
           program, program, DEFAULT_TARGET, DAEMON_DEFAULT_RUNDIR);
}

static void fatal(const char *format, ...) PRINTF_FORMAT(1, 2) NO_RETURN;

static void
fatal(const char *format, ...)
{
    va_list args;

    fprintf(stderr, "weft-appctl: ");
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
    exit(1);
}

static void
parse_options(int argc, char *argv[], struct appctl_options *opts)
{
    static const struct option long_options[] = {
        {"target", required_argument, NULL, 't'},
        {"timeout", required_argument, NULL, 'T'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    unsigned int secs;
    int c;

    opts->target = DEFAULT_TARGET;
    opts->timeout_ms = 0;
    while ((c = getopt_long(argc, argv, "+t:T:hV", long_options,
                            NULL)) != -1) {
        switch (c) {
        case 't':
            opts->target = optarg;
            break;
        case 'T':
            if (!str_to_uint(optarg, 10, &secs) || secs > 86400) {
                fatal("--timeout: \"%s\" is not a number of seconds",
                      optarg);
            }
            opts->timeout_ms = secs * 1000;
            break;
        case 'h':
            usage("weft-appctl");
            exit(0);
        case 'V':
            printf("weft-appctl (weft) %s\n", WEFT_VERSION);
            exit(0);
        default:
            fprintf(stderr, "Try 'weft-appctl --help' for more "
                    "information.\n");
            exit(1);
        }
    }
}

static bool
file_exists(const char *name)
{
    struct stat st;
    return !stat(name, &st);
}

/* Resolves a daemon name to its control socket, as an owned path. */
static char *
resolve_target(const char *target)
{
    if (strchr(target, '/')) {
        return xstrdup(target);
    }

    char *rundir = daemon_rundir();
    char *ctl = xasprintf("%s/%s.ctl", rundir, target);
    if (file_exists(ctl)) {
        free(rundir);
        return ctl;
    }
    free(ctl);

    char *pidfile = xasprintf("%s/%s.pid", rundir, target);
    FILE *f = fopen(pidfile, "r");
    long pid;
    if (!f) {
        fatal("cannot find %s/%s.ctl or read pidfile \"%s\" (%s)", rundir,
              target, pidfile, strerror(errno));
    }
    if (fscanf(f, "%ld", &pid) != 1 || pid <= 0) {
        fatal("pidfile \"%s\" does not contain a pid", pidfile);
    }
    fclose(f);
    ctl = xasprintf("%s/%s.%ld.ctl", rundir, target, pid);
    free(pidfile);
    free(rundir);
    return ctl;
}

int
main(int argc, char *argv[])
{
    struct appctl_options opts;
    struct jsonrpc_client *client;
    char *result, *error_text;

    parse_options(argc, argv, &opts);
    if (optind >= argc) {
        fatal("at least one non-option argument is required (use --help "
              "for help)");
    }

    char *path = resolve_target(opts.target);
    char *name = xasprintf("unix:%s", path);
    int error = jsonrpc_client_open(name, opts.timeout_ms, &client);
    if (error) {
        fatal("cannot connect to \"%s\" (%s)", path, util_strerror(error));
    }

    error = unixctl_client_transact(client, argv[optind],
                                    argc - optind - 1, argv + optind + 1,
                                    opts.timeout_ms, &result, &error_text);
    if (error) {
        const char *why = jsonrpc_client_get_error(client);
        fatal("%s: transaction error (%s)", path,
              why ? why : util_strerror(error));
    }
    jsonrpc_client_close(client);
    free(name);
    free(path);

    if (error_text) {
        fputs(error_text, stderr);
        free(error_text);
        return 2;
    }
    fputs(result, stdout);
    free(result);
    return 0;
}
