/* jsonrpc: JSON-RPC 1.0 messages and a sans-IO connection, as OVSDB uses
 * them (RFC 7047 §4).
 *
 * Messages.  Each message is one JSON object on the stream, with no
 * delimiter between messages:
 *
 *     type     members on the wire
 *     -------  -----------------------------------------------------------
 *     request  "method": string, "params": array, "id": any non-null
 *     notify   "method": string, "params": array, "id": null
 *     reply    "result": any,    "error": null,    "id": any
 *     error    "result": null,   "error": non-null, "id": any (may be null)
 *
 * jsonrpc_msg_from_json() accepts a member that the table shows as null
 * also when it is absent (so a request without "id" is a notification),
 * and rejects any other member, a wrong type, or a reply without a
 * non-null "id".  'struct jsonrpc_msg' owns all its members.
 *
 * Connection.  A 'struct jsonrpc_conn' does no IO: the owner feeds it
 * received bytes with jsonrpc_conn_receive() and pops parsed messages with
 * jsonrpc_conn_next_msg(); it queues outgoing messages with
 * jsonrpc_conn_send() and drains the serialized bytes with
 * jsonrpc_conn_output() + jsonrpc_conn_consumed().  The stream is split
 * into messages with json_scanner, so a message may arrive in any number
 * of pieces and several messages may arrive in one piece.  A large message
 * is parsed as it arrives, piece by piece, so that its whole text is never
 * held beside its tree.
 *
 * Protocol errors (malformed JSON, bytes outside a JSON object, a message
 * of the wrong shape, a message larger than the maximum size) are final:
 * the connection stops parsing, messages parsed before the error can still
 * be popped, and jsonrpc_conn_get_error() then describes the error.  The
 * owner should drop the connection, as ovsdb-server does.
 *
 * Not thread-safe. */
#ifndef WEFT_OVSDB_JSONRPC_H
#define WEFT_OVSDB_JSONRPC_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ds;
struct json;

enum jsonrpc_msg_type {
    JSONRPC_REQUEST,
    JSONRPC_NOTIFY,
    JSONRPC_REPLY,
    JSONRPC_ERROR,
};

struct jsonrpc_msg {
    enum jsonrpc_msg_type type;
    char *method;               /* Request, notify: method name. */
    struct json *params;        /* Request, notify: array. */
    struct json *result;        /* Reply: any value. */
    struct json *error;         /* Error: any non-null value. */
    struct json *id;            /* Request, reply, error; NULL for notify. */
};

const char *jsonrpc_msg_type_to_string(enum jsonrpc_msg_type);

/* Constructors.  Each takes ownership of 'params', 'result', 'error' and
 * of a request's 'id'; reply and error clone the 'id' they are given,
 * normally the request's. */
struct jsonrpc_msg *jsonrpc_msg_create_request(const char *method,
                                               struct json *params,
                                               struct json *id);
struct jsonrpc_msg *jsonrpc_msg_create_notify(const char *method,
                                              struct json *params);
struct jsonrpc_msg *jsonrpc_msg_create_reply(struct json *result,
                                             const struct json *id);
struct jsonrpc_msg *jsonrpc_msg_create_error(struct json *error,
                                             const struct json *id);
void jsonrpc_msg_destroy(struct jsonrpc_msg *);

/* Returns a new JSON object for 'msg' (which is not modified). */
struct json *jsonrpc_msg_to_json(const struct jsonrpc_msg *);
/* Appends the compact JSON text of jsonrpc_msg_to_json()'s result (the same
 * members, in a fixed order) to 'ds', without building it. */
void jsonrpc_msg_to_ds(const struct jsonrpc_msg *, struct ds *);
/* Parses 'json' into '*msgp'.  Returns NULL on success, otherwise an owned
 * error message and '*msgp' is NULL.  Does not take ownership. */
char *jsonrpc_msg_from_json(const struct json *, struct jsonrpc_msg **msgp);
/* Appends a one-line description of 'msg' for logging. */
void jsonrpc_msg_format(const struct jsonrpc_msg *, struct ds *);

/* Connections. */

/* The largest message a connection accepts unless told otherwise.  Large
 * enough for a northd's first write of a big southbound database (the
 * 500 x 40 benchmark's is about 100 MB in one transaction, as ovn-northd
 * writes it) and for the monitor reply that loads it; a peer that sends
 * more is dropped with an error naming the limit. */
#define JSONRPC_DEFAULT_MAX_MSG_SIZE (1024u * 1024 * 1024)

struct jsonrpc_conn;

struct jsonrpc_conn_stats {
    uint64_t bytes_received;
    uint64_t bytes_sent;        /* Counted by jsonrpc_conn_consumed(). */
    uint64_t msgs_received;
    uint64_t msgs_sent;
    uint64_t values_parsed_ahead;   /* Parts of large messages parsed
                                     * before the message was complete. */
};

struct jsonrpc_conn *jsonrpc_conn_create(void);
void jsonrpc_conn_destroy(struct jsonrpc_conn *);

/* Sets the largest accepted incoming message, in bytes (0 means the
 * default). */
void jsonrpc_conn_set_max_msg_size(struct jsonrpc_conn *, size_t);
/* For tests and fuzzing: parse ahead the parts of a message of at least
 * 'min_value' bytes once the message has reached 'start' bytes (defaults:
 * 1 MB and 128 bytes). */
void jsonrpc_conn_set_parse_ahead(struct jsonrpc_conn *, size_t start,
                                  size_t min_value);

/* Consumes 'n' received bytes.  Returns 0, or EPROTO if the connection is
 * (now or already) in the error state. */
int jsonrpc_conn_receive(struct jsonrpc_conn *, const void *bytes, size_t n);
/* Pops the oldest parsed message, or returns NULL if none is queued.  The
 * caller owns the message. */
struct jsonrpc_msg *jsonrpc_conn_next_msg(struct jsonrpc_conn *);
/* Returns the protocol error message, or NULL if none occurred. */
const char *jsonrpc_conn_get_error(const struct jsonrpc_conn *);
/* Returns true if part of a message has been received but not its end. */
bool jsonrpc_conn_is_mid_message(const struct jsonrpc_conn *);

/* Serializes 'msg' onto the output buffer and destroys it. */
void jsonrpc_conn_send(struct jsonrpc_conn *, struct jsonrpc_msg *);
/* Points '*datap' and '*np' at the pending output; '*np' is 0 if none. */
void jsonrpc_conn_output(const struct jsonrpc_conn *, const void **datap,
                         size_t *np);
/* Marks the first 'n' bytes of pending output as written. */
void jsonrpc_conn_consumed(struct jsonrpc_conn *, size_t n);
/* Returns the number of output bytes not yet consumed. */
size_t jsonrpc_conn_get_backlog(const struct jsonrpc_conn *);

const struct jsonrpc_conn_stats *jsonrpc_conn_get_stats(
    const struct jsonrpc_conn *);
/* Returns a fresh id for a request sent on this connection, as a new JSON
 * integer: 0, 1, 2... */
struct json *jsonrpc_conn_next_id(struct jsonrpc_conn *);

#endif
