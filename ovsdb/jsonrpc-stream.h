/* jsonrpc-stream: binds a sans-IO jsonrpc_conn to a socket and a poll_loop.
 *
 * The stream reads whenever the socket is readable and hands each parsed
 * message to the owner's 'recv' callback.  jsonrpc_stream_send() only
 * queues: the queued bytes are written once at the end of the loop
 * iteration (a poll_loop deferred callback), so a server that sends many
 * messages in one iteration makes one write per connection; whatever the
 * socket does not take is written when it becomes writable again.
 *
 * The stream reports the end of the connection once, through the 'closed'
 * callback, with 0 for an orderly close by the peer, EPROTO for a protocol
 * error (see jsonrpc_stream_get_error()), or the socket's errno.  After
 * that it neither reads nor writes; the owner destroys it.
 *
 * The owner may call jsonrpc_stream_destroy() from inside either callback:
 * the stream then finishes the dispatch and frees itself afterwards.
 * Destroying closes the socket and drops unsent output (call
 * jsonrpc_stream_close_when_flushed() to send it first).
 *
 * A socket still connecting (from stream_open()) is fine: the first write
 * waits for the connection, and a failed connection is reported through
 * 'closed'.
 *
 * Not thread-safe. */
#ifndef WEFT_OVSDB_JSONRPC_STREAM_H
#define WEFT_OVSDB_JSONRPC_STREAM_H 1

#include <stdbool.h>
#include <stddef.h>
#include "ovsdb/jsonrpc.h"

struct poll_loop;
struct jsonrpc_stream;

struct jsonrpc_stream_callbacks {
    /* A message arrived.  The callee owns 'msg'. */
    void (*recv)(struct jsonrpc_stream *, struct jsonrpc_msg *msg,
                 void *aux);
    /* The connection ended; 'error' is 0, EPROTO or an errno. */
    void (*closed)(struct jsonrpc_stream *, int error, void *aux);
};

/* Takes ownership of 'fd', a connected (or connecting) non-blocking
 * socket.  'name' describes the peer in log messages. */
struct jsonrpc_stream *jsonrpc_stream_create(
    struct poll_loop *, int fd, const char *name,
    const struct jsonrpc_stream_callbacks *, void *aux);
void jsonrpc_stream_destroy(struct jsonrpc_stream *);
/* Stops reading, writes what is queued, then destroys the stream without
 * calling 'closed'. */
void jsonrpc_stream_close_when_flushed(struct jsonrpc_stream *);

/* Queues 'msg' (taking ownership).  Ignored once the stream has closed. */
void jsonrpc_stream_send(struct jsonrpc_stream *, struct jsonrpc_msg *);

/* Stops (false) or resumes (true) reading, e.g. while a reply backlog is
 * too large. */
void jsonrpc_stream_set_receiving(struct jsonrpc_stream *, bool);

const char *jsonrpc_stream_get_name(const struct jsonrpc_stream *);
/* Bytes queued but not yet written to the socket. */
size_t jsonrpc_stream_get_backlog(const struct jsonrpc_stream *);
bool jsonrpc_stream_is_closed(const struct jsonrpc_stream *);
/* Describes why the stream closed, or returns NULL while it is open. */
const char *jsonrpc_stream_get_error(const struct jsonrpc_stream *);
struct jsonrpc_conn *jsonrpc_stream_get_conn(struct jsonrpc_stream *);

#endif
