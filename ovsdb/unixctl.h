/* unixctl: the daemon control socket that weft-appctl (and ovs-appctl)
 * talks to.
 *
 * Protocol (the same as Open vSwitch's): JSON-RPC over a unix socket.  A
 * command is a request whose method is the command name ("memory/show")
 * and whose params are an array of strings, its arguments.  The answer is
 * a reply whose result is the output text, or an error whose error is the
 * error text; each text ends with a newline.
 *
 * Server use:
 *
 *     struct unixctl_server *server;
 *     error = unixctl_server_create(loop, "/var/run/weft/weft-db.ctl",
 *                                   &server);
 *     unixctl_command_register(server, "memory/show", "", 0, 0,
 *                              memory_show_cb, ctx);
 *
 * The callback receives 'argc' and 'argv' with argv[0] the command name
 * and argv[1..argc-1] its arguments (already checked against min_args and
 * max_args), valid only during the call.  It answers with exactly one
 * unixctl_reply() or unixctl_reply_error(), either before returning or
 * later (for a command that must wait, e.g. for a commit to be durable).
 * Until the answer, the connection reads no further request.  A 'conn'
 * stays valid until it is answered even if the client goes away; the
 * answer is then discarded.  unixctl_server_destroy() frees every conn,
 * answered or not.
 *
 * Built-in commands: list-commands, version, vlog/list, vlog/set SPEC...,
 * vlog/reopen.
 *
 * The server owns its socket file: it replaces a stale one when created
 * and removes it when destroyed.  Not thread-safe. */
#ifndef WEFT_OVSDB_UNIXCTL_H
#define WEFT_OVSDB_UNIXCTL_H 1

struct poll_loop;
struct jsonrpc_client;
struct unixctl_server;
struct unixctl_conn;

typedef void unixctl_cb_func(struct unixctl_conn *, int argc,
                             const char *argv[], void *aux);

/* Listens on unix socket 'path' (a file name; a "punix:" prefix is also
 * accepted).  Returns 0 or a positive errno. */
int unixctl_server_create(struct poll_loop *, const char *path,
                          struct unixctl_server **);
void unixctl_server_destroy(struct unixctl_server *);
const char *unixctl_server_get_path(const struct unixctl_server *);
/* Sets the text of the "version" command, e.g. "weft-db (weft) 0.1.0". */
void unixctl_server_set_version(struct unixctl_server *, const char *);

/* Registers (or replaces) command 'name'.  'usage' describes the
 * arguments for list-commands.  'max_args' may be INT_MAX. */
void unixctl_command_register(struct unixctl_server *, const char *name,
                              const char *usage, int min_args, int max_args,
                              unixctl_cb_func *cb, void *aux);

void unixctl_reply(struct unixctl_conn *, const char *text);
void unixctl_reply_error(struct unixctl_conn *, const char *text);

/* Client side: sends 'command' with 'argc' arguments 'argv' on 'client'
 * and waits up to 'timeout_ms' (<= 0: forever) for the answer.  Returns 0
 * after storing the output in '*resultp' or the command's error text in
 * '*errorp' (the other one NULL; both owned by the caller), or a positive
 * errno for a transport failure. */
int unixctl_client_transact(struct jsonrpc_client *, const char *command,
                            int argc, char *argv[], int timeout_ms,
                            char **resultp, char **errorp);

#endif
