/* weft-appctl commands of the OVSDB server: what an operator reaches for
 * first (connections, memory, row counts), plus compaction and exit.
 * Names follow ovsdb-server's where it has the same command. */
#include <string.h>
#include "ds.h"
#include "hmap.h"
#include "poll-loop.h"
#include "vlog.h"
#include "ovsdb/error.h"
#include "ovsdb/file.h"
#include "ovsdb/jsonrpc-stream.h"
#include "ovsdb/row.h"
#include "ovsdb/server.h"
#include "ovsdb/server-private.h"
#include "ovsdb/unixctl.h"

VLOG_DEFINE_THIS_MODULE(ovsdb_server_commands);

static void
cmd_exit(struct unixctl_conn *conn, int argc OVS_UNUSED,
         const char *argv[] OVS_UNUSED, void *aux)
{
    struct ovsdb_server *server = aux;

    VLOG_INFO("exiting on request");
    server->exiting = true;
    poll_loop_stop(server->loop);
    unixctl_reply(conn, "");
}

static void
cmd_list_dbs(struct unixctl_conn *conn, int argc OVS_UNUSED,
             const char *argv[] OVS_UNUSED, void *aux)
{
    struct ovsdb_server *server = aux;
    const struct shash_node **nodes = shash_sort(&server->dbs);
    struct ds ds = DS_EMPTY_INITIALIZER;

    for (size_t i = 0; i < shash_count(&server->dbs); i++) {
        if (strcmp(nodes[i]->name, "_Server")) {
            ds_put_format(&ds, "%s\n", nodes[i]->name);
        }
    }
    free(nodes);
    unixctl_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

static void
cmd_list_remotes(struct unixctl_conn *conn, int argc OVS_UNUSED,
                 const char *argv[] OVS_UNUSED, void *aux)
{
    struct ovsdb_server *server = aux;
    struct ds ds = DS_EMPTY_INITIALIZER;

    for (size_t i = 0; i < server->n_remotes; i++) {
        ds_put_format(&ds, "%s\n", server->remotes[i]->name);
    }
    unixctl_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

static void
cmd_connections(struct unixctl_conn *conn, int argc OVS_UNUSED,
                const char *argv[] OVS_UNUSED, void *aux)
{
    struct ovsdb_server *server = aux;
    struct ds ds = DS_EMPTY_INITIALIZER;
    struct server_session *s;

    ds_put_format(&ds, "%-32s %9s %9s %8s %10s\n", "peer", "received",
                  "sent", "monitors", "backlog");
    LIST_FOR_EACH (s, node, &server->sessions) {
        ds_put_format(&ds, "%-32s %9llu %9llu %8zu %10zu\n", s->name,
                      (unsigned long long) s->n_received,
                      (unsigned long long) s->n_sent,
                      session_count_monitors(s),
                      jsonrpc_stream_get_backlog(s->stream));
    }
    ds_put_format(&ds, "%zu connection(s) now, %llu since start\n",
                  list_size(&server->sessions),
                  (unsigned long long) server->n_sessions_total);
    unixctl_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

static void
cmd_memory(struct unixctl_conn *conn, int argc OVS_UNUSED,
           const char *argv[] OVS_UNUSED, void *aux)
{
    struct ovsdb_server *server = aux;
    struct ds ds = DS_EMPTY_INITIALIZER;
    size_t n_monitors = 0, backlog = 0, n_rows = 0, n_triggers = 0;
    struct server_session *s;
    struct shash_node *node;

    LIST_FOR_EACH (s, node, &server->sessions) {
        n_monitors += session_count_monitors(s);
        backlog += jsonrpc_stream_get_backlog(s->stream);
    }
    SHASH_FOR_EACH (node, &server->dbs) {
        struct server_db *sdb = node->data;
        n_rows += ovsdb_count_rows(sdb->db);
        n_triggers += list_size(&sdb->triggers);
    }
    ds_put_format(&ds, "cells:%zu databases:%zu monitors:%zu sessions:%zu "
                  "triggers:%zu backlog:%zu transactions:%llu\n",
                  n_rows, shash_count(&server->dbs) - 1, n_monitors,
                  list_size(&server->sessions), n_triggers, backlog,
                  (unsigned long long) server->n_transactions);
    unixctl_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

static void
put_row_counts(struct ds *ds, const struct server_db *sdb)
{
    const struct shash_node **nodes = shash_sort(&sdb->db->tables);

    ds_put_format(ds, "%s:\n", sdb->db->name);
    for (size_t i = 0; i < shash_count(&sdb->db->tables); i++) {
        const struct ovsdb_table *table = nodes[i]->data;
        ds_put_format(ds, "  %-32s %zu\n", nodes[i]->name,
                      hmap_count(&table->rows));
    }
    free(nodes);
}

static void
cmd_row_counts(struct unixctl_conn *conn, int argc, const char *argv[],
               void *aux)
{
    struct ovsdb_server *server = aux;
    struct ds ds = DS_EMPTY_INITIALIZER;
    struct shash_node *node;

    if (argc > 1) {
        struct server_db *sdb = shash_find_data(&server->dbs, argv[1]);
        if (!sdb) {
            unixctl_reply_error(conn, "unknown database");
            return;
        }
        put_row_counts(&ds, sdb);
    } else {
        SHASH_FOR_EACH (node, &server->dbs) {
            struct server_db *sdb = node->data;
            if (sdb->db != server->server_db) {
                put_row_counts(&ds, sdb);
            }
        }
    }
    unixctl_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

static void
cmd_compact(struct unixctl_conn *conn, int argc, const char *argv[],
            void *aux)
{
    struct ovsdb_server *server = aux;
    struct ds errors = DS_EMPTY_INITIALIZER;
    struct shash_node *node;
    int n = 0;

    SHASH_FOR_EACH (node, &server->dbs) {
        struct server_db *sdb = node->data;
        if (!sdb->file || (argc > 1 && strcmp(argv[1], node->name))) {
            continue;
        }
        n++;
        struct ovsdb_error *error = ovsdb_file_compact(sdb->file);
        if (error) {
            char *s = ovsdb_error_to_string_free(error);
            ds_put_format(&errors, "%s: %s\n", node->name, s);
            free(s);
        }
    }
    if (argc > 1 && !n) {
        unixctl_reply_error(conn, "cannot compact database: no such "
                            "database");
    } else if (errors.length) {
        unixctl_reply_error(conn, ds_cstr(&errors));
    } else {
        unixctl_reply(conn, "");
    }
    ds_destroy(&errors);
}

void
ovsdb_server_register_commands(struct ovsdb_server *server,
                               struct unixctl_server *unixctl)
{
    unixctl_command_register(unixctl, "exit", "", 0, 0, cmd_exit, server);
    unixctl_command_register(unixctl, "memory/show", "", 0, 0, cmd_memory,
                             server);
    unixctl_command_register(unixctl, "ovsdb-server/list-dbs", "", 0, 0,
                             cmd_list_dbs, server);
    unixctl_command_register(unixctl, "ovsdb-server/list-remotes", "", 0, 0,
                             cmd_list_remotes, server);
    unixctl_command_register(unixctl, "ovsdb-server/connections", "", 0, 0,
                             cmd_connections, server);
    unixctl_command_register(unixctl, "ovsdb-server/row-counts", "[DB]", 0,
                             1, cmd_row_counts, server);
    unixctl_command_register(unixctl, "ovsdb-server/compact", "[DB]", 0, 1,
                             cmd_compact, server);
}
