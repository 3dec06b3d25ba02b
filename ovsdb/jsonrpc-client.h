/* jsonrpc-client: a blocking JSON-RPC client for simple command-line tools.
 *
 *     struct jsonrpc_client *client;
 *     int error = jsonrpc_client_open("unix:/run/weft/db.sock", 5000,
 *                                     &client);
 *     struct jsonrpc_msg *reply;
 *     error = jsonrpc_client_transact(client,
 *                 jsonrpc_msg_create_request("list_dbs", NULL, NULL),
 *                 &reply, 5000);
 *     ...
 *     jsonrpc_msg_destroy(reply);
 *     jsonrpc_client_close(client);
 *
 * While waiting, the client answers "echo" requests from the server
 * itself, as ovsdb-server expects of a live client.  Messages that arrive
 * while jsonrpc_client_transact() waits for its reply (notifications, for
 * example) are kept and returned by later jsonrpc_client_recv() calls.
 *
 * Timeouts are in milliseconds; 0 or negative waits indefinitely.
 * Functions return 0 or a positive errno: ETIMEDOUT, EPROTO for a protocol
 * error (jsonrpc_client_get_error() explains it), EOF-like closure as
 * ECONNRESET.  After any error other than ETIMEDOUT the client is unusable
 * except for jsonrpc_client_close().  Not thread-safe. */
#ifndef WEFT_OVSDB_JSONRPC_CLIENT_H
#define WEFT_OVSDB_JSONRPC_CLIENT_H 1

#include "ovsdb/jsonrpc.h"

struct jsonrpc_client;

/* Connects to active connection name 'name' (unix:PATH, tcp:IP:PORT). */
int jsonrpc_client_open(const char *name, int timeout_ms,
                        struct jsonrpc_client **);
void jsonrpc_client_close(struct jsonrpc_client *);

/* Sends 'msg' (taking ownership) and waits until it is written. */
int jsonrpc_client_send(struct jsonrpc_client *, struct jsonrpc_msg *msg,
                        int timeout_ms);
/* Waits for the next message other than an "echo" request. */
int jsonrpc_client_recv(struct jsonrpc_client *, struct jsonrpc_msg **msgp,
                        int timeout_ms);
/* Sends 'request' (taking ownership; if its id is NULL, the client assigns
 * one) and waits for the reply or error with the same id, which it stores
 * in '*replyp' for the caller to destroy. */
int jsonrpc_client_transact(struct jsonrpc_client *,
                            struct jsonrpc_msg *request,
                            struct jsonrpc_msg **replyp, int timeout_ms);

/* Returns a description of the last error, or NULL. */
const char *jsonrpc_client_get_error(const struct jsonrpc_client *);
const char *jsonrpc_client_get_name(const struct jsonrpc_client *);

#endif
