/* ovsdb/client-io: binds the sans-IO OVSDB client to sockets and a
 * poll_loop (see the header).
 *
 * A connection goes through two stages here: a non-blocking connect()
 * watched for writability (so that a remote that does not answer costs
 * nothing and the client's connect timeout applies), then a jsonrpc_stream
 * that reads and writes messages.  Everything the client asks for
 * (connect, disconnect, messages to send, its next timer) is collected by
 * ovsdb_client_io_run(), which a loop hook calls at the end of every
 * iteration. */
#include "ovsdb/client-io.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>
#include "poll-loop.h"
#include "stream.h"
#include "util.h"
#include "vlog.h"
#include "ovsdb/jsonrpc-stream.h"

VLOG_DEFINE_THIS_MODULE(ovsdb_client_io);

struct ovsdb_client_io {
    struct poll_loop *loop;
    bool own_loop;              /* Created by the blocking API? */
    struct ovsdb_client *client;
    struct jsonrpc_stream *stream;  /* Established connection, or NULL. */
    int connect_fd;             /* Socket still connecting, or -1. */
    struct poll_watch *connect_watch;
    struct poll_hook *hook;
    uint64_t timer;             /* Pending wakeup timer id, or 0. */
    long long timer_deadline;
    unsigned int n_failures;    /* Connections failed or dropped. */
};

static void io_destroy_cb(void *io);

static void
close_connection(struct ovsdb_client_io *io)
{
    if (io->stream) {
        jsonrpc_stream_destroy(io->stream);
        io->stream = NULL;
    }
    if (io->connect_fd >= 0) {
        poll_watch_cancel(io->connect_watch);
        io->connect_watch = NULL;
        close(io->connect_fd);
        io->connect_fd = -1;
    }
}

static void
stream_recv(struct jsonrpc_stream *stream OVS_UNUSED, struct jsonrpc_msg *msg,
            void *io_)
{
    struct ovsdb_client_io *io = io_;

    ovsdb_client_receive(io->client, time_msec(), msg);
}

static void
stream_closed(struct jsonrpc_stream *stream, int error, void *io_)
{
    struct ovsdb_client_io *io = io_;

    if (error == EPROTO) {
        VLOG_WARN("%s: %s", jsonrpc_stream_get_name(stream),
                  jsonrpc_stream_get_error(stream));
    }
    jsonrpc_stream_destroy(stream);
    io->stream = NULL;
    io->n_failures++;
    ovsdb_client_disconnected(io->client, time_msec(), error);
}

static const struct jsonrpc_stream_callbacks stream_cbs = {
    .recv = stream_recv,
    .closed = stream_closed,
};

static void
connect_done(int fd, unsigned int events OVS_UNUSED, void *io_)
{
    struct ovsdb_client_io *io = io_;
    int error = stream_connect_result(fd);

    if (error == EINPROGRESS) {
        return;
    }
    poll_watch_cancel(io->connect_watch);
    io->connect_watch = NULL;
    io->connect_fd = -1;
    if (error) {
        close(fd);
        io->n_failures++;
        ovsdb_client_connect_failed(io->client, time_msec(), error);
    } else {
        io->stream = jsonrpc_stream_create(
            io->loop, fd, ovsdb_client_get_remote(io->client), &stream_cbs,
            io);
        ovsdb_client_connected(io->client, time_msec());
    }
}

static void
start_connect(struct ovsdb_client_io *io)
{
    const char *remote = ovsdb_client_get_remote(io->client);
    int fd;
    int error = stream_open(remote, &fd);

    if (error) {
        io->n_failures++;
        ovsdb_client_connect_failed(io->client, time_msec(), error);
        return;
    }
    io->connect_fd = fd;
    io->connect_watch = poll_loop_watch_fd(io->loop, fd, POLL_WRITABLE,
                                           connect_done, io);
}

static void
timer_fired(void *io_)
{
    struct ovsdb_client_io *io = io_;

    /* The hook that runs after the timers does the work. */
    io->timer = 0;
    io->timer_deadline = LLONG_MAX;
}

static void
schedule_wakeup(struct ovsdb_client_io *io, long long now)
{
    long long wakeup = ovsdb_client_get_wakeup(io->client);

    if (wakeup == io->timer_deadline && io->timer) {
        return;
    }
    if (io->timer) {
        poll_loop_timer_cancel(io->loop, io->timer);
        io->timer = 0;
    }
    io->timer_deadline = wakeup;
    if (wakeup != LLONG_MAX) {
        io->timer = poll_loop_timer_add(io->loop, MAX(wakeup - now, 0),
                                        timer_fired, io);
    }
}

void
ovsdb_client_io_run(struct ovsdb_client_io *io)
{
    long long now = time_msec();
    struct jsonrpc_msg *msg;

    /* A connection attempt can fail synchronously, and the client may
     * then want the next one at once; bound the loop regardless. */
    for (int i = 0; i < 8; i++) {
        enum ovsdb_client_action action = ovsdb_client_run(io->client, now);
        if (action == OVSDB_CLIENT_CONNECT) {
            close_connection(io);
            start_connect(io);
        } else if (action == OVSDB_CLIENT_DISCONNECT) {
            close_connection(io);
            io->n_failures++;
        } else {
            break;
        }
    }
    while ((msg = ovsdb_client_pop_msg(io->client)) != NULL) {
        if (io->stream) {
            jsonrpc_stream_send(io->stream, msg);
        } else {
            jsonrpc_msg_destroy(msg);
        }
    }
    schedule_wakeup(io, now);
}

static void
io_hook(void *io)
{
    ovsdb_client_io_run(io);
}

struct ovsdb_client_io *
ovsdb_client_io_create(struct poll_loop *loop, struct ovsdb_client *client)
{
    struct ovsdb_client_io *io = xzalloc(sizeof *io);

    ASSERT(!ovsdb_client_get_io(client));
    io->loop = loop;
    io->client = client;
    io->connect_fd = -1;
    io->timer_deadline = LLONG_MAX;
    io->hook = poll_loop_add_hook(loop, io_hook, io);
    ovsdb_client_set_io(client, io, io_destroy_cb);
    poll_loop_wake(loop);
    return io;
}

void
ovsdb_client_io_destroy(struct ovsdb_client_io *io)
{
    if (!io) {
        return;
    }
    close_connection(io);
    if (io->timer) {
        poll_loop_timer_cancel(io->loop, io->timer);
    }
    poll_hook_remove(io->hook);
    ovsdb_client_set_io(io->client, NULL, NULL);
    if (io->own_loop) {
        poll_loop_destroy(io->loop);
    }
    free(io);
}

static void
io_destroy_cb(void *io)
{
    ovsdb_client_io_destroy(io);
}

/* Blocking API. */

static struct ovsdb_client_io *
sync_io(struct ovsdb_client *client)
{
    struct ovsdb_client_io *io = ovsdb_client_get_io(client);

    if (!io) {
        io = ovsdb_client_io_create(poll_loop_create(), client);
        io->own_loop = true;
    }
    return io;
}

/* Runs 'client' until 'pred' holds or 'timeout_ms' passes.  With
 * 'give_up', also stops with ECONNREFUSED once every remote failed. */
static int
sync_run(struct ovsdb_client *client,
         bool (*pred)(const struct ovsdb_client *, void *), void *aux,
         int timeout_ms, bool give_up)
{
    struct ovsdb_client_io *io = sync_io(client);
    long long deadline = timeout_ms > 0 ? time_msec() + timeout_ms
                                        : LLONG_MAX;
    size_t n_remotes = MAX(ovsdb_client_get_n_remotes(client), 1);

    ovsdb_client_io_run(io);
    for (;;) {
        if (pred(client, aux)) {
            return 0;
        }
        if (give_up && io->n_failures >= n_remotes) {
            return ECONNREFUSED;
        }
        long long now = time_msec();
        if (now >= deadline) {
            return ETIMEDOUT;
        }
        int wait = deadline == LLONG_MAX ? -1
                                         : (int) MIN(deadline - now, INT_MAX);
        int error = poll_loop_run_once(io->loop, wait);
        if (error) {
            return error;
        }
    }
}

static bool
is_ready(const struct ovsdb_client *client, void *aux OVS_UNUSED)
{
    return ovsdb_client_is_ready(client);
}

int
ovsdb_client_sync_connect(struct ovsdb_client *client, int timeout_ms,
                          bool retry)
{
    sync_io(client)->n_failures = 0;
    return sync_run(client, is_ready, NULL, timeout_ms, !retry);
}

/* Applies "Table" and "Table.column" selections. */
static void
monitor_selection(struct ovsdb_client *client, const char *const *tables)
{
    for (size_t i = 0; tables && tables[i]; i++) {
        const char *dot = strchr(tables[i], '.');
        if (dot) {
            char *table = xmemdup0(tables[i], dot - tables[i]);
            ovsdb_client_monitor_column(client, table, dot + 1);
            free(table);
        } else {
            ovsdb_client_monitor_table(client, tables[i]);
        }
    }
}

struct ovsdb_client *
ovsdb_client_sync_open(const char *remotes,
                       const struct ovsdb_client_class *class_,
                       const char *db_name, const char *const *tables,
                       int timeout_ms, char **errorp)
{
    struct ovsdb_client *client
        = class_ ? ovsdb_client_create(remotes, class_)
                 : ovsdb_client_create_generic(remotes, db_name, NULL);

    *errorp = NULL;
    monitor_selection(client, tables);
    int error = ovsdb_client_sync_connect(client, timeout_ms, false);
    if (error) {
        const char *why = ovsdb_client_get_last_error(client);
        *errorp = error != ETIMEDOUT && why
                      ? xstrdup(why)
                      : xasprintf("%s: %s", remotes,
                                  error == ETIMEDOUT ? "timed out"
                                                     : util_strerror(error));
        ovsdb_client_destroy(client);
        return NULL;
    }
    return client;
}

static bool
txn_done(const struct ovsdb_client *client OVS_UNUSED, void *txn)
{
    return ovsdb_client_txn_get_status(txn) != OVSDB_TXN_INCOMPLETE;
}

enum ovsdb_client_txn_status
ovsdb_client_sync_commit(struct ovsdb_client *client,
                         struct ovsdb_client_txn *txn, int timeout_ms)
{
    if (ovsdb_client_txn_get_status(txn) == OVSDB_TXN_UNCOMMITTED) {
        ovsdb_client_txn_commit(txn);
    }
    sync_run(client, txn_done, txn, timeout_ms, false);
    return ovsdb_client_txn_get_status(txn);
}

int
ovsdb_client_sync_wait_until(
    struct ovsdb_client *client,
    bool (*predicate)(const struct ovsdb_client *, void *aux), void *aux,
    int timeout_ms)
{
    return sync_run(client, predicate, aux, timeout_ms, false);
}

static bool
seqno_changed(const struct ovsdb_client *client, void *seqno)
{
    return ovsdb_client_get_seqno(client) != *(uint64_t *) seqno;
}

int
ovsdb_client_sync_wait_change(struct ovsdb_client *client, uint64_t seqno,
                              int timeout_ms)
{
    return sync_run(client, seqno_changed, &seqno, timeout_ms, false);
}
