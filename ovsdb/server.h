/* ovsdb/server: the OVSDB JSON-RPC server (RFC 7047 plus the OVS
 * extensions OVN relies on), bound to a poll_loop.
 *
 *     struct ovsdb_server *s = ovsdb_server_create(loop);
 *     ovsdb_server_add_db(s, db, file);        // once per database
 *     ovsdb_server_add_remote(s, "punix:/run/nb.sock", &error);
 *     ovsdb_server_register_commands(s, unixctl);
 *     poll_loop_run(loop);
 *
 * The server owns the databases it is given.  It serves every database on
 * every remote, plus the read-only "_Server" database describing them.
 * Requests are handled as they arrive; a transaction's reply is queued
 * only after its log record is written, and every connection's queued
 * output is written once per loop iteration.  Not thread-safe. */
#ifndef WEFT_OVSDB_SERVER_H
#define WEFT_OVSDB_SERVER_H 1

#include <stdbool.h>

#include <stddef.h>

struct ovsdb;
struct ovsdb_file;
struct poll_loop;
struct unixctl_server;

struct ovsdb_server *ovsdb_server_create(struct poll_loop *);
void ovsdb_server_destroy(struct ovsdb_server *);
/* The largest message a client may send, for connections accepted from
 * now on (0: JSONRPC_DEFAULT_MAX_MSG_SIZE). */
void ovsdb_server_set_max_msg_size(struct ovsdb_server *, size_t);
/* Takes ownership of 'db' (and of 'file', which belongs to 'db'). */
void ovsdb_server_add_db(struct ovsdb_server *, struct ovsdb *,
                         struct ovsdb_file *);
/* Listens on passive remote 'name' ("punix:PATH", "ptcp:PORT[:IP]").
 * Returns 0 or an errno and an owned message in '*errorp'. */
int ovsdb_server_add_remote(struct ovsdb_server *, const char *name,
                            char **errorp);
void ovsdb_server_register_commands(struct ovsdb_server *,
                                    struct unixctl_server *);
/* Set when a client or the "exit" command asked the server to stop. */
bool ovsdb_server_exiting(const struct ovsdb_server *);

#endif
