#include "ovsdb/unixctl.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>
#include "daemon.h"
#include "ds.h"
#include "json.h"
#include "list.h"
#include "ovsdb/jsonrpc-client.h"
#include "ovsdb/jsonrpc-stream.h"
#include "poll-loop.h"
#include "shash.h"
#include "stream.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(unixctl);

struct unixctl_command {
    char *usage;
    int min_args, max_args;
    unixctl_cb_func *cb;
    void *aux;
};

struct unixctl_server {
    struct poll_loop *loop;
    char *path;                 /* Socket file name. */
    char *name;                 /* "punix:" + path. */
    int fd;                     /* Listening socket. */
    struct poll_watch *watch;
    struct shash commands;      /* Name -> struct unixctl_command *. */
    struct list conns;          /* Contains struct unixctl_conn. */
    char *version;              /* Text of the "version" command. */
};

struct unixctl_conn {
    struct list node;           /* In 'server->conns'. */
    struct unixctl_server *server;
    struct jsonrpc_stream *stream;  /* NULL once the client is gone. */
    struct json *request_id;    /* Id of the unanswered request, or NULL. */
};

static void conn_destroy(struct unixctl_conn *);

/* Answering. */

static void
conn_answer(struct unixctl_conn *conn, const char *text, bool is_error)
{
    struct ds body = DS_EMPTY_INITIALIZER;

    ASSERT(conn->request_id);
    ds_put_cstr(&body, text ? text : "");
    if (body.length && body.string[body.length - 1] != '\n') {
        ds_put_char(&body, '\n');
    }

    struct json *value = json_string_create(ds_cstr(&body));
    ds_destroy(&body);
    if (conn->stream) {
        jsonrpc_stream_send(conn->stream,
                            (is_error
                             ? jsonrpc_msg_create_error(value,
                                                        conn->request_id)
                             : jsonrpc_msg_create_reply(value,
                                                        conn->request_id)));
    } else {
        json_destroy(value);
    }
    json_destroy(conn->request_id);
    conn->request_id = NULL;

    if (!conn->stream) {
        conn_destroy(conn);
    } else {
        jsonrpc_stream_set_receiving(conn->stream, true);
    }
}

void
unixctl_reply(struct unixctl_conn *conn, const char *text)
{
    conn_answer(conn, text, false);
}

void
unixctl_reply_error(struct unixctl_conn *conn, const char *text)
{
    conn_answer(conn, text, true);
}

/* Requests. */

/* Checks 'msg' against the command table; returns an owned error text, or
 * NULL with '*commandp' set. */
static char *
check_request(struct unixctl_server *server, const struct jsonrpc_msg *msg,
              struct unixctl_command **commandp)
{
    struct unixctl_command *command = shash_find_data(&server->commands,
                                                      msg->method);
    const struct json_array *params = json_array(msg->params);

    if (!command) {
        return xasprintf("\"%s\" is not a valid command (use "
                         "\"list-commands\" to see a list of valid "
                         "commands)", msg->method);
    }
    if (params->n < (size_t) command->min_args) {
        return xasprintf("\"%s\" command requires at least %d arguments",
                         msg->method, command->min_args);
    }
    if (params->n > (size_t) command->max_args) {
        return xasprintf("\"%s\" command takes at most %d arguments",
                         msg->method, command->max_args);
    }
    for (size_t i = 0; i < params->n; i++) {
        if (params->elems[i]->type != JSON_STRING) {
            return xasprintf("\"%s\" command has non-string argument",
                             msg->method);
        }
    }
    *commandp = command;
    return NULL;
}

static void
process_request(struct unixctl_conn *conn, const struct jsonrpc_msg *msg)
{
    struct unixctl_command *command = NULL;
    char *error = check_request(conn->server, msg, &command);

    conn->request_id = json_clone(msg->id);
    jsonrpc_stream_set_receiving(conn->stream, false);
    if (error) {
        unixctl_reply_error(conn, error);
        free(error);
        return;
    }

    const struct json_array *params = json_array(msg->params);
    const char **argv = xcalloc(params->n + 2, sizeof *argv);
    argv[0] = msg->method;
    for (size_t i = 0; i < params->n; i++) {
        argv[i + 1] = json_string(params->elems[i]);
    }
    command->cb(conn, (int) params->n + 1, argv, command->aux);
    free(argv);
}

static void
conn_recv(struct jsonrpc_stream *stream OVS_UNUSED, struct jsonrpc_msg *msg,
          void *conn_)
{
    struct unixctl_conn *conn = conn_;

    if (msg->type == JSONRPC_REQUEST) {
        process_request(conn, msg);
    } else {
        VLOG_DBG("ignoring unexpected %s on control connection",
                 jsonrpc_msg_type_to_string(msg->type));
    }
    jsonrpc_msg_destroy(msg);
}

static void
conn_closed(struct jsonrpc_stream *stream, int error OVS_UNUSED,
            void *conn_)
{
    struct unixctl_conn *conn = conn_;

    jsonrpc_stream_destroy(stream);
    conn->stream = NULL;
    if (!conn->request_id) {
        conn_destroy(conn);
    }
}

static const struct jsonrpc_stream_callbacks conn_callbacks = {
    .recv = conn_recv,
    .closed = conn_closed,
};

static void
conn_destroy(struct unixctl_conn *conn)
{
    jsonrpc_stream_destroy(conn->stream);
    json_destroy(conn->request_id);
    list_remove(&conn->node);
    free(conn);
}

static void
server_accept(int fd, unsigned int events OVS_UNUSED, void *server_)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 10);
    struct unixctl_server *server = server_;

    for (int i = 0; i < 16; i++) {
        int conn_fd;
        int error = pstream_accept(fd, &conn_fd, NULL);
        if (error) {
            if (error != EAGAIN) {
                VLOG_WARN_RL(&rl, "%s: accept failed (%s)", server->path,
                             util_strerror(error));
            }
            return;
        }

        struct unixctl_conn *conn = xzalloc(sizeof *conn);
        conn->server = server;
        list_push_back(&server->conns, &conn->node);
        conn->stream = jsonrpc_stream_create(server->loop, conn_fd,
                                             server->name, &conn_callbacks,
                                             conn);
    }
}

/* Built-in commands. */

static void
list_commands_cb(struct unixctl_conn *conn, int argc OVS_UNUSED,
                 const char *argv[] OVS_UNUSED, void *aux OVS_UNUSED)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    const struct shash_node **nodes = shash_sort(&conn->server->commands);

    ds_put_cstr(&ds, "The available commands are:\n");
    for (size_t i = 0; i < shash_count(&conn->server->commands); i++) {
        const struct unixctl_command *command = nodes[i]->data;
        ds_put_format(&ds, "  %-23s %s\n", nodes[i]->name, command->usage);
    }
    free(nodes);
    unixctl_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

static void
version_cb(struct unixctl_conn *conn, int argc OVS_UNUSED,
           const char *argv[] OVS_UNUSED, void *aux OVS_UNUSED)
{
    unixctl_reply(conn, conn->server->version);
}

static void
vlog_list_cb(struct unixctl_conn *conn, int argc OVS_UNUSED,
             const char *argv[] OVS_UNUSED, void *aux OVS_UNUSED)
{
    char *list = vlog_list();

    unixctl_reply(conn, list);
    free(list);
}

static void
vlog_set_cb(struct unixctl_conn *conn, int argc, const char *argv[],
            void *aux OVS_UNUSED)
{
    for (int i = 1; i < argc; i++) {
        char *error = vlog_set_levels_from_string(argv[i]);
        if (error) {
            unixctl_reply_error(conn, error);
            free(error);
            return;
        }
    }
    unixctl_reply(conn, NULL);
}

static void
vlog_reopen_cb(struct unixctl_conn *conn, int argc OVS_UNUSED,
               const char *argv[] OVS_UNUSED, void *aux OVS_UNUSED)
{
    if (!vlog_get_file()) {
        unixctl_reply_error(conn, "Logging to file not configured");
        return;
    }

    int error = vlog_reopen_file();
    if (error) {
        char *text = xasprintf("error reopening log file (%s)",
                               util_strerror(error));
        unixctl_reply_error(conn, text);
        free(text);
    } else {
        unixctl_reply(conn, NULL);
    }
}

static void
register_builtins(struct unixctl_server *server)
{
    unixctl_command_register(server, "list-commands", "", 0, 0,
                             list_commands_cb, NULL);
    unixctl_command_register(server, "version", "", 0, 0, version_cb, NULL);
    unixctl_command_register(server, "vlog/list", "", 0, 0, vlog_list_cb,
                             NULL);
    unixctl_command_register(server, "vlog/set",
                             "{spec | [module][:dest][:level]}...", 1,
                             INT_MAX, vlog_set_cb, NULL);
    unixctl_command_register(server, "vlog/reopen", "", 0, 0,
                             vlog_reopen_cb, NULL);
}

/* Server. */

int
unixctl_server_create(struct poll_loop *loop, const char *path,
                      struct unixctl_server **serverp)
{
    const char *file = str_startswith(path, "punix:") ? path + 6 : path;
    char *name = xasprintf("punix:%s", file);
    int fd;
    int error = pstream_open(name, &fd, NULL);

    *serverp = NULL;
    if (error) {
        VLOG_ERR("%s: could not listen for control connections (%s)",
                 file, util_strerror(error));
        free(name);
        return error;
    }

    struct unixctl_server *server = xzalloc(sizeof *server);
    server->loop = loop;
    server->path = xstrdup(file);
    server->name = name;
    server->fd = fd;
    shash_init(&server->commands);
    list_init(&server->conns);
    server->version = xstrdup("weft " WEFT_VERSION);
    server->watch = poll_loop_watch_fd(loop, fd, POLL_READABLE,
                                       server_accept, server);
    register_builtins(server);
    *serverp = server;
    return 0;
}

static void
command_destroy(struct unixctl_command *command)
{
    if (command) {
        free(command->usage);
        free(command);
    }
}

void
unixctl_server_destroy(struct unixctl_server *server)
{
    if (!server) {
        return;
    }

    struct unixctl_conn *conn;
    LIST_FOR_EACH_SAFE (conn, node, &server->conns) {
        conn_destroy(conn);
    }

    struct shash_node *node;
    SHASH_FOR_EACH (node, &server->commands) {
        command_destroy(node->data);
    }
    shash_destroy(&server->commands);
    poll_watch_cancel(server->watch);
    pstream_close(server->fd, server->name);
    free(server->path);
    free(server->name);
    free(server->version);
    free(server);
}

const char *
unixctl_server_get_path(const struct unixctl_server *server)
{
    return server->path;
}

void
unixctl_server_set_version(struct unixctl_server *server,
                           const char *version)
{
    free(server->version);
    server->version = xstrdup(version);
}

void
unixctl_command_register(struct unixctl_server *server, const char *name,
                         const char *usage, int min_args, int max_args,
                         unixctl_cb_func *cb, void *aux)
{
    struct unixctl_command *command = xzalloc(sizeof *command);

    ASSERT(min_args >= 0 && min_args <= max_args && cb);
    command->usage = xstrdup(usage ? usage : "");
    command->min_args = min_args;
    command->max_args = max_args;
    command->cb = cb;
    command->aux = aux;
    command_destroy(shash_replace(&server->commands, name, command));
}

/* Client. */

static char *
take_text(const struct json *json)
{
    return (json && json->type == JSON_STRING
            ? xstrdup(json_string(json))
            : json ? json_to_string(json, 0) : xstrdup(""));
}

int
unixctl_client_transact(struct jsonrpc_client *client, const char *command,
                        int argc, char *argv[], int timeout_ms,
                        char **resultp, char **errorp)
{
    struct json *params = json_array_create_empty();
    struct jsonrpc_msg *reply;

    *resultp = *errorp = NULL;
    for (int i = 0; i < argc; i++) {
        json_array_add(params, json_string_create(argv[i]));
    }

    int error = jsonrpc_client_transact(
        client, jsonrpc_msg_create_request(command, params, NULL), &reply,
        timeout_ms);
    if (error) {
        return error;
    }
    if (reply->type == JSONRPC_ERROR) {
        *errorp = take_text(reply->error);
    } else {
        *resultp = take_text(reply->result);
    }
    jsonrpc_msg_destroy(reply);
    return 0;
}
