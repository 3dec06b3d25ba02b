/* weft-db: the OVSDB server.  main() parses options and wires modules
 * together; the server itself is ovsdb/server.c. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "daemon.h"
#include "poll-loop.h"
#include "vlog.h"
#include "ovsdb/error.h"
#include "ovsdb/file.h"
#include "ovsdb/row.h"
#include "ovsdb/schema.h"
#include "ovsdb/server.h"
#include "ovsdb/unixctl.h"

VLOG_DEFINE_THIS_MODULE(weft_db);

static void
usage(void)
{
    printf("weft-db: OVSDB database server (RFC 7047), compatible with "
           "ovsdb-server\n"
           "usage: weft-db [OPTIONS] DATABASE_FILE...\n"
           "       weft-db create DATABASE_FILE SCHEMA_FILE\n"
           "\n"
           "Serves each DATABASE_FILE (a standalone OVSDB file, as made by\n"
           "'weft-db create' or 'ovsdb-tool create') on every remote.\n"
           "\n"
           "Remote options:\n"
           "  --remote=punix:PATH     listen on unix socket PATH\n"
           "  --remote=ptcp:PORT[:IP] listen on TCP PORT (IP default "
           "0.0.0.0)\n"
           "  (--remote may be given several times)\n"
           "  --max-message-size=BYTES\n"
           "                          drop a client that sends a larger "
           "JSON-RPC\n"
           "                          message (default 1073741824)\n"
           "\n");
    daemon_usage(stdout);
}

static int
do_create(int argc, char *argv[])
{
    struct ovsdb_schema *schema;
    struct ovsdb_error *error;

    if (argc != 4) {
        fprintf(stderr, "weft-db: 'create' needs DATABASE_FILE and "
                "SCHEMA_FILE (use --help for help)\n");
        return 1;
    }
    error = ovsdb_schema_from_file(argv[3], &schema);
    if (!error) {
        error = ovsdb_file_create(argv[2], schema);
        ovsdb_schema_destroy(schema);
    }
    if (error) {
        char *s = ovsdb_error_to_string_free(error);
        fprintf(stderr, "weft-db: %s\n", s);
        free(s);
        return 1;
    }
    return 0;
}

int
main(int argc, char *argv[])
{
    enum { OPT_REMOTE = 1, OPT_MAX_MSG };
    static const struct option long_options[] = {
        {"remote", required_argument, NULL, OPT_REMOTE},
        {"max-message-size", required_argument, NULL, OPT_MAX_MSG},
        DAEMON_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    struct daemon_options dopts;
    struct unixctl_server *unixctl = NULL;
    struct ovsdb_server *server;
    struct poll_loop *loop;
    char **remotes = NULL, *error_msg = NULL, *ctl_path;
    size_t n_remotes = 0, max_msg_size = 0;
    int c, error, status = 0;

    vlog_set_program_name(argv[0]);
    if (argc > 1 && !strcmp(argv[1], "create")) {
        return do_create(argc, argv);
    }
    daemon_options_init(&dopts, "weft-db");
    while ((c = getopt_long(argc, argv, DAEMON_SHORT_OPTIONS, long_options,
                            NULL)) != -1) {
        if (daemon_parse_option(&dopts, c, optarg, &error_msg)) {
            if (error_msg) {
                fprintf(stderr, "weft-db: %s\n", error_msg);
                return 1;
            }
        } else if (c == OPT_REMOTE) {
            remotes = xrealloc(remotes, (n_remotes + 1) * sizeof *remotes);
            remotes[n_remotes++] = optarg;
        } else if (c == OPT_MAX_MSG) {
            char *end;
            unsigned long long v;

            errno = 0;
            v = strtoull(optarg, &end, 10);
            if (errno || !isdigit((unsigned char) optarg[0]) || *end
                || v < 1024
                || v > SIZE_MAX) {
                fprintf(stderr, "weft-db: --max-message-size=%s: expected "
                        "a number of bytes, at least 1024\n", optarg);
                return 1;
            }
            max_msg_size = v;
        } else {
            fprintf(stderr, "Try 'weft-db --help' for more information.\n");
            return 1;
        }
    }
    if (dopts.help) {
        usage();
        return 0;
    } else if (dopts.version) {
        daemon_print_version(&dopts);
        return 0;
    } else if (optind >= argc) {
        fprintf(stderr, "weft-db: at least one DATABASE_FILE is required "
                "(use --help for help)\n");
        return 1;
    }

    /* Open the databases before detaching so errors reach the user. */
    loop = poll_loop_create();
    server = ovsdb_server_create(loop);
    ovsdb_server_set_max_msg_size(server, max_msg_size);
    for (int i = optind; i < argc; i++) {
        struct ovsdb_error *oerror;
        struct ovsdb_file *file;
        struct ovsdb *db;

        oerror = ovsdb_file_open(argv[i], false, &db, &file);
        if (oerror) {
            char *s = ovsdb_error_to_string_free(oerror);
            fprintf(stderr, "weft-db: %s\n", s);
            free(s);
            return 1;
        }
        ovsdb_server_add_db(server, db, file);
    }

    if (daemon_start(&dopts, &error_msg)) {
        fprintf(stderr, "weft-db: %s\n", error_msg);
        return 1;
    }
    for (size_t i = 0; i < n_remotes; i++) {
        if (ovsdb_server_add_remote(server, remotes[i], &error_msg)) {
            VLOG_ERR("%s", error_msg);
            fprintf(stderr, "weft-db: %s\n", error_msg);
            status = 1;
            goto out;
        }
    }
    ctl_path = daemon_unixctl_path(&dopts);
    error = unixctl_server_create(loop, ctl_path, &unixctl);
    if (error) {
        VLOG_ERR("%s: could not create control socket (%s)", ctl_path,
                 strerror(error));
        fprintf(stderr, "weft-db: %s: could not create control socket "
                "(%s)\n", ctl_path, strerror(error));
        free(ctl_path);
        status = 1;
        goto out;
    }
    free(ctl_path);
    ovsdb_server_register_commands(server, unixctl);
    poll_loop_watch_signals(loop, daemon_on_signal, loop);

    daemon_notify_ready(&dopts);
    VLOG_INFO("weft-db %s ready", WEFT_VERSION);
    poll_loop_run(loop);

out:
    unixctl_server_destroy(unixctl);
    ovsdb_server_destroy(server);
    poll_loop_destroy(loop);
    daemon_options_destroy(&dopts);
    free(remotes);
    return status;
}
