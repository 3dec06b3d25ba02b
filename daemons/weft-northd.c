/* weft-northd: compiles the northbound database into the southbound one.
 * main() parses options and wires modules together; the compiler is
 * northd/northd.c and its life with the databases northd/session.c. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "daemon.h"
#include "poll-loop.h"
#include "util.h"
#include "vlog.h"
#include "northd/session.h"
#include "ovsdb/unixctl.h"

VLOG_DEFINE_THIS_MODULE(weft_northd);

static void
usage(void)
{
    printf("weft-northd: OVN northbound to southbound compiler, "
           "compatible with ovn-northd\n"
           "usage: weft-northd [OPTIONS]\n"
           "\n"
           "Options:\n"
           "  --ovnnb-db=DATABASE  northbound database (default: $OVN_NB_DB"
           " or\n"
           "                       unix:$OVN_RUNDIR/ovnnb_db.sock, "
           "OVN_RUNDIR\n"
           "                       defaulting to /var/run/ovn)\n"
           "  --ovnsb-db=DATABASE  southbound database (default: $OVN_SB_DB"
           " or\n"
           "                       unix:$OVN_RUNDIR/ovnsb_db.sock)\n"
           "  --dry-run            start paused (write nothing until "
           "'resume')\n"
           "  --n-threads=N        accepted for ovn-northd compatibility; "
           "ignored\n"
           "DATABASE is a comma-separated list of unix:PATH or "
           "tcp:IP:PORT\n"
           "remotes (the members of a cluster, for example).\n"
           "\n");
    daemon_usage(stdout);
}

/* ovn-northd's default: $OVN_<DB>_DB, else a socket in the OVN run
 * directory. */
static char *
default_db(const char *env, const char *socket)
{
    const char *value = getenv(env);
    const char *rundir = getenv("OVN_RUNDIR");

    if (value && value[0]) {
        return xstrdup(value);
    }
    return xasprintf("unix:%s/%s", rundir && rundir[0] ? rundir
                                                       : "/var/run/ovn",
                     socket);
}

struct options {
    struct daemon_options daemon;
    char *nb, *sb;              /* Database remotes. */
    bool dry_run;
};

/* Parses the command line into 'o'.  Returns -1 to go on, else the exit
 * status (after printing help, the version or an error). */
static int
parse_options(int argc, char *argv[], struct options *o)
{
    enum { OPT_NB = 1, OPT_SB, OPT_DRY_RUN, OPT_N_THREADS };
    static const struct option long_options[] = {
        {"ovnnb-db", required_argument, NULL, OPT_NB},
        {"ovnsb-db", required_argument, NULL, OPT_SB},
        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"n-threads", required_argument, NULL, OPT_N_THREADS},
        DAEMON_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    char *error_msg = NULL;
    int c;

    while ((c = getopt_long(argc, argv, DAEMON_SHORT_OPTIONS, long_options,
                            NULL)) != -1) {
        if (daemon_parse_option(&o->daemon, c, optarg, &error_msg)) {
            if (error_msg) {
                fprintf(stderr, "weft-northd: %s\n", error_msg);
                free(error_msg);
                return 1;
            }
        } else if (c == OPT_NB || c == OPT_SB) {
            char **dst = c == OPT_NB ? &o->nb : &o->sb;
            if (!optarg[0]) {
                fprintf(stderr, "weft-northd: --%s needs a database\n",
                        c == OPT_NB ? "ovnnb-db" : "ovnsb-db");
                return 1;
            }
            free(*dst);
            *dst = xstrdup(optarg);
        } else if (c == OPT_DRY_RUN) {
            o->dry_run = true;
        } else if (c == OPT_N_THREADS) {
            /* Accepted and ignored: weft-northd is single-threaded. */
        } else {
            fprintf(stderr, "Try 'weft-northd --help' for more "
                    "information.\n");
            return 1;
        }
    }
    if (o->daemon.help) {
        usage();
        return 0;
    } else if (o->daemon.version) {
        daemon_print_version(&o->daemon);
        return 0;
    } else if (optind < argc) {
        fprintf(stderr, "weft-northd: unexpected argument '%s' (use --help "
                "for help)\n", argv[optind]);
        return 1;
    }
    if (!o->nb) {
        o->nb = default_db("OVN_NB_DB", "ovnnb_db.sock");
    }
    if (!o->sb) {
        o->sb = default_db("OVN_SB_DB", "ovnsb_db.sock");
    }
    return -1;
}

int
main(int argc, char *argv[])
{
    struct options o = { .nb = NULL, .sb = NULL, .dry_run = false };
    struct unixctl_server *unixctl = NULL;
    struct session *session;
    struct poll_loop *loop = NULL;
    char *error_msg = NULL, *ctl_path;
    int error, status;

    vlog_set_program_name(argv[0]);
    daemon_options_init(&o.daemon, "weft-northd");
    status = parse_options(argc, argv, &o);
    if (status >= 0) {
        goto out;
    }
    status = 0;
    if (daemon_start(&o.daemon, &error_msg)) {
        fprintf(stderr, "weft-northd: %s\n", error_msg);
        free(error_msg);
        status = 1;
        goto out;
    }
    loop = poll_loop_create();
    ctl_path = daemon_unixctl_path(&o.daemon);
    error = unixctl_server_create(loop, ctl_path, &unixctl);
    if (error) {
        VLOG_ERR("%s: could not create control socket (%s)", ctl_path,
                 strerror(error));
        fprintf(stderr, "weft-northd: %s: could not create control socket "
                "(%s)\n", ctl_path, strerror(error));
        free(ctl_path);
        status = 1;
        goto out;
    }
    free(ctl_path);
    unixctl_server_set_version(unixctl, "weft-northd (weft) " WEFT_VERSION);

    session = session_create(loop, o.nb, o.sb, o.dry_run);
    session_register_commands(session, unixctl);
    poll_loop_watch_signals(loop, daemon_on_signal, loop);
    daemon_notify_ready(&o.daemon);
    VLOG_INFO("weft-northd %s: northbound %s, southbound %s", WEFT_VERSION,
              o.nb, o.sb);
    poll_loop_run(loop);
    session_destroy(session);

out:
    unixctl_server_destroy(unixctl);
    poll_loop_destroy(loop);
    daemon_options_destroy(&o.daemon);
    free(o.nb);
    free(o.sb);
    return status;
}
