#include "ovsdb/jsonrpc-client.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "json.h"
#include "stream.h"
#include "util.h"

struct jsonrpc_client {
    int fd;
    char *name;
    struct jsonrpc_conn *conn;
    int status;                 /* Sticky error, or 0. */
    char *error;                /* Text of the last error, or NULL. */

    /* Messages received while a transaction waited for its reply. */
    struct jsonrpc_msg **kept;
    size_t head, n, allocated;
};

static long long
make_deadline(int timeout_ms)
{
    return timeout_ms > 0 ? time_msec() + timeout_ms : LLONG_MAX;
}

static int
client_fail(struct jsonrpc_client *c, int error, const char *text)
{
    free(c->error);
    c->error = xstrdup(text ? text : util_strerror(error));
    if (error != ETIMEDOUT) {
        c->status = error;
    }
    return error;
}

/* Waits until 'fd' has 'events' or 'deadline' passes. */
static int
wait_fd(int fd, short events, long long deadline)
{
    for (;;) {
        struct pollfd pfd = { .fd = fd, .events = events };
        int timeout = -1;
        if (deadline != LLONG_MAX) {
            timeout = (int) MIN(MAX(deadline - time_msec(), 0), INT_MAX);
        }
        int n = poll(&pfd, 1, timeout);
        if (n > 0) {
            return 0;
        } else if (n == 0) {
            return ETIMEDOUT;
        } else if (errno != EINTR) {
            return errno;
        }
    }
}

int
jsonrpc_client_open(const char *name, int timeout_ms,
                    struct jsonrpc_client **clientp)
{
    int fd;
    int error = stream_open_block(name, timeout_ms, &fd);

    *clientp = NULL;
    if (error) {
        return error;
    }

    struct jsonrpc_client *c = xzalloc(sizeof *c);
    c->fd = fd;
    c->name = xstrdup(name);
    c->conn = jsonrpc_conn_create();
    *clientp = c;
    return 0;
}

void
jsonrpc_client_close(struct jsonrpc_client *c)
{
    if (!c) {
        return;
    }
    for (size_t i = c->head; i < c->n; i++) {
        jsonrpc_msg_destroy(c->kept[i]);
    }
    free(c->kept);
    jsonrpc_conn_destroy(c->conn);
    close(c->fd);
    free(c->name);
    free(c->error);
    free(c);
}

/* Writes all pending output. */
static int
client_flush(struct jsonrpc_client *c, long long deadline)
{
    const void *data;
    size_t n;

    for (jsonrpc_conn_output(c->conn, &data, &n); n;
         jsonrpc_conn_output(c->conn, &data, &n)) {
        ssize_t r = send(c->fd, data, n, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (r > 0) {
            jsonrpc_conn_consumed(c->conn, r);
        } else if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            int error = wait_fd(c->fd, POLLOUT, deadline);
            if (error) {
                return client_fail(c, error, NULL);
            }
        } else if (!(r < 0 && errno == EINTR)) {
            return client_fail(c, r < 0 ? errno : EIO, NULL);
        }
    }
    return 0;
}

/* Reads until one message is parsed. */
static int
client_read_msg(struct jsonrpc_client *c, long long deadline,
                struct jsonrpc_msg **msgp)
{
    char buf[16384];

    while (!(*msgp = jsonrpc_conn_next_msg(c->conn))) {
        if (jsonrpc_conn_get_error(c->conn)) {
            return client_fail(c, EPROTO, jsonrpc_conn_get_error(c->conn));
        }
        ssize_t r = recv(c->fd, buf, sizeof buf, MSG_DONTWAIT);
        if (r > 0) {
            jsonrpc_conn_receive(c->conn, buf, r);
        } else if (r == 0) {
            return client_fail(c, ECONNRESET, "connection closed by peer");
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            int error = wait_fd(c->fd, POLLIN, deadline);
            if (error) {
                return client_fail(c, error, NULL);
            }
        } else if (errno != EINTR) {
            return client_fail(c, errno, NULL);
        }
    }
    return 0;
}

static bool
is_echo_request(const struct jsonrpc_msg *msg)
{
    return msg->type == JSONRPC_REQUEST && !strcmp(msg->method, "echo");
}

/* Receives the next message from the socket, answering echo requests. */
static int
client_recv_raw(struct jsonrpc_client *c, long long deadline,
                struct jsonrpc_msg **msgp)
{
    for (;;) {
        int error = client_read_msg(c, deadline, msgp);
        if (error || !is_echo_request(*msgp)) {
            return error;
        }

        struct jsonrpc_msg *echo = *msgp;
        *msgp = NULL;
        jsonrpc_conn_send(c->conn, jsonrpc_msg_create_reply(
                              json_clone(echo->params), echo->id));
        jsonrpc_msg_destroy(echo);
        error = client_flush(c, deadline);
        if (error) {
            return error;
        }
    }
}

int
jsonrpc_client_send(struct jsonrpc_client *c, struct jsonrpc_msg *msg,
                    int timeout_ms)
{
    if (c->status) {
        jsonrpc_msg_destroy(msg);
        return c->status;
    }
    jsonrpc_conn_send(c->conn, msg);
    return client_flush(c, make_deadline(timeout_ms));
}

int
jsonrpc_client_recv(struct jsonrpc_client *c, struct jsonrpc_msg **msgp,
                    int timeout_ms)
{
    long long deadline = make_deadline(timeout_ms);

    *msgp = NULL;
    if (c->head < c->n) {
        *msgp = c->kept[c->head++];
        return 0;
    }
    if (c->status) {
        return c->status;
    }

    int error = client_flush(c, deadline);
    return error ? error : client_recv_raw(c, deadline, msgp);
}

static void
keep_msg(struct jsonrpc_client *c, struct jsonrpc_msg *msg)
{
    if (c->head == c->n) {
        c->head = c->n = 0;
    }
    if (c->n >= c->allocated) {
        c->kept = x2nrealloc(c->kept, &c->allocated, sizeof *c->kept);
    }
    c->kept[c->n++] = msg;
}

int
jsonrpc_client_transact(struct jsonrpc_client *c,
                        struct jsonrpc_msg *request,
                        struct jsonrpc_msg **replyp, int timeout_ms)
{
    long long deadline = make_deadline(timeout_ms);
    struct jsonrpc_msg *msg;
    int error;

    *replyp = NULL;
    if (c->status) {
        jsonrpc_msg_destroy(request);
        return c->status;
    }
    if (!request->id) {
        request->id = jsonrpc_conn_next_id(c->conn);
    }

    struct json *id = json_clone(request->id);
    jsonrpc_conn_send(c->conn, request);
    error = client_flush(c, deadline);
    while (!error) {
        error = client_recv_raw(c, deadline, &msg);
        if (error) {
            break;
        }
        if ((msg->type == JSONRPC_REPLY || msg->type == JSONRPC_ERROR)
            && json_equal(msg->id, id)) {
            *replyp = msg;
            break;
        }
        keep_msg(c, msg);
    }
    json_destroy(id);
    return error;
}

const char *
jsonrpc_client_get_error(const struct jsonrpc_client *c)
{
    return c->error;
}

const char *
jsonrpc_client_get_name(const struct jsonrpc_client *c)
{
    return c->name;
}
