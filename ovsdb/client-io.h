/* ovsdb/client-io: runs an OVSDB client over real sockets.
 *
 * Event-driven use (daemons):
 *
 *     struct ovsdb_client *c = ovsdb_client_create(remotes, &nbrec_class);
 *     ovsdb_client_set_callbacks(c, &cbs, aux);   (replica changed, txn done)
 *     ovsdb_client_io_create(loop, c);
 *     poll_loop_run(loop);
 *
 * The adapter connects to the remote the client picks, reconnects with its
 * backoff, feeds received messages to the client and writes what it
 * queues.  It does its work in a poll_loop hook at the end of every
 * iteration, so a transaction committed from any callback is sent in the
 * same iteration.  The adapter belongs to the client: ovsdb_client_destroy()
 * destroys it and closes the connection.
 *
 * Blocking use (command-line tools): the ovsdb_client_sync_*() functions
 * give a client its own private loop and run it until a condition holds or
 * a timeout (in ms; 0 or negative: no limit) expires.  They must not be
 * called from inside a loop callback.
 *
 *     char *error;
 *     struct ovsdb_client *c = ovsdb_client_sync_open(
 *         "unix:/run/ovn/ovnnb_db.sock", &nbrec_class, NULL, NULL, 5000,
 *         &error);
 *     ...read the replica, build a transaction...
 *     status = ovsdb_client_sync_commit(c, txn, 5000);
 *     ovsdb_client_destroy(c);
 *
 * Functions returning int return 0 or a positive errno: ETIMEDOUT, or
 * ECONNREFUSED when every remote failed and retrying was not requested
 * (ovsdb_client_get_last_error() says why).  Not thread-safe. */
#ifndef WEFT_OVSDB_CLIENT_IO_H
#define WEFT_OVSDB_CLIENT_IO_H 1

#include <stdbool.h>
#include "ovsdb/client.h"
#include "ovsdb/client-txn.h"

struct poll_loop;
struct ovsdb_client_io;

/* Attaches an adapter to 'client' on 'loop'.  Returns the adapter, which
 * the client owns. */
struct ovsdb_client_io *ovsdb_client_io_create(struct poll_loop *,
                                               struct ovsdb_client *);
/* Detaches and destroys the adapter (closing any connection). */
void ovsdb_client_io_destroy(struct ovsdb_client_io *);
/* Does the adapter's work now rather than at the end of the iteration:
 * connect or disconnect as the client wants, and send queued messages. */
void ovsdb_client_io_run(struct ovsdb_client_io *);

/* Blocking API. */

/* Opens a client for 'class_' (typed) or, if it is NULL, for database
 * 'db_name' with the schema the server reports, monitoring 'tables' (a
 * NULL-terminated array of "Table" or "Table.column" strings; NULL for
 * everything), and waits until its replica is loaded.  Returns the client,
 * or NULL with an owned message in '*errorp'. */
struct ovsdb_client *ovsdb_client_sync_open(
    const char *remotes, const struct ovsdb_client_class *class_,
    const char *db_name, const char *const *tables, int timeout_ms,
    char **errorp);
/* Gives 'client' a private loop if it has no adapter and waits until its
 * replica is loaded.  Unless 'retry', gives up with ECONNREFUSED once
 * every remote has failed once. */
int ovsdb_client_sync_connect(struct ovsdb_client *, int timeout_ms,
                              bool retry);
/* Commits 'txn' (if not yet committed) and waits for the outcome. */
enum ovsdb_client_txn_status ovsdb_client_sync_commit(
    struct ovsdb_client *, struct ovsdb_client_txn *, int timeout_ms);
/* Runs the client until 'predicate' returns true (it is checked first,
 * and after every loop iteration). */
int ovsdb_client_sync_wait_until(
    struct ovsdb_client *,
    bool (*predicate)(const struct ovsdb_client *, void *aux), void *aux,
    int timeout_ms);
/* Runs the client until ovsdb_client_get_seqno() differs from 'seqno'. */
int ovsdb_client_sync_wait_change(struct ovsdb_client *, uint64_t seqno,
                                  int timeout_ms);

#endif
