#include "ovsdb/jsonrpc-stream.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "poll-loop.h"
#include "stream.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(jsonrpc_stream);

/* Reentrancy.  Every entry point from the loop (fd event, deferred flush,
 * deferred delivery) brackets its work with stream_enter()/stream_leave().
 * jsonrpc_stream_destroy() called while 'busy' tears down the IO at once
 * (so the fd can be reused) but leaves freeing the memory to the outermost
 * stream_leave(); code after a callback checks 'destroyed' before touching
 * anything. */

struct jsonrpc_stream {
    struct poll_loop *loop;
    int fd;                     /* Owned socket, or -1 after teardown. */
    char *name;
    struct jsonrpc_conn *conn;
    struct poll_watch *watch;
    struct jsonrpc_stream_callbacks cbs;
    void *aux;

    uint64_t flush_id;          /* Pending deferred flush, or 0. */
    uint64_t deliver_id;        /* Pending deferred delivery, or 0. */
    bool connecting;            /* connect() still in progress? */
    bool receiving;             /* Reading and delivering messages? */
    bool want_write;            /* The socket refused output: wait. */
    bool read_done;             /* EOF or read error seen. */
    int read_error;             /* 0 for EOF, else errno. */
    bool closing;               /* jsonrpc_stream_close_when_flushed(). */
    bool closed;                /* 'closed' callback has been called. */
    char *error;                /* Why it closed, once 'closed'. */

    int busy;                   /* Nesting of loop entry points. */
    bool destroyed;             /* jsonrpc_stream_destroy() called. */
};

static void stream_flush(struct jsonrpc_stream *);
static void stream_deliver(struct jsonrpc_stream *);

static void
stream_enter(struct jsonrpc_stream *s)
{
    s->busy++;
}

static void
stream_free(struct jsonrpc_stream *s)
{
    jsonrpc_conn_destroy(s->conn);
    free(s->name);
    free(s->error);
    free(s);
}

static void
stream_leave(struct jsonrpc_stream *s)
{
    if (!--s->busy && s->destroyed) {
        stream_free(s);
    }
}

static void
update_events(struct jsonrpc_stream *s)
{
    unsigned int events = 0;

    if (!s->watch) {
        return;
    } else if (s->closed || s->destroyed) {
        events = 0;
    } else if (s->connecting) {
        events = POLL_WRITABLE;
    } else {
        if (s->receiving && !s->read_done) {
            events |= POLL_READABLE;
        }
        if (s->want_write) {
            events |= POLL_WRITABLE;
        }
    }
    poll_watch_set_events(s->watch, events);
}

static void
teardown_io(struct jsonrpc_stream *s)
{
    poll_watch_cancel(s->watch);
    s->watch = NULL;
    poll_loop_defer_cancel(s->loop, s->flush_id);
    poll_loop_defer_cancel(s->loop, s->deliver_id);
    s->flush_id = s->deliver_id = 0;
    if (s->fd >= 0) {
        close(s->fd);
        s->fd = -1;
    }
}

static void
report_close(struct jsonrpc_stream *s, int error)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 10);

    if (s->closed || s->destroyed) {
        return;
    }
    s->closed = true;
    if (error == EPROTO && jsonrpc_conn_get_error(s->conn)) {
        s->error = xstrdup(jsonrpc_conn_get_error(s->conn));
        VLOG_WARN_RL(&rl, "%s: %s", s->name, s->error);
    } else {
        s->error = xstrdup(error ? util_strerror(error) : "connection closed "
                                                          "by peer");
        VLOG_DBG("%s: %s", s->name, s->error);
    }
    update_events(s);
    if (s->closing) {
        jsonrpc_stream_destroy(s);
    } else {
        s->cbs.closed(s, error, s->aux);
    }
}

/* Reading. */

static void
stream_read(struct jsonrpc_stream *s)
{
    char buf[16384];

    /* A few reads per event, so that one busy peer cannot monopolize the
     * loop. */
    for (int i = 0; i < 4 && !s->read_done; i++) {
        ssize_t n = recv(s->fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n > 0) {
            if (jsonrpc_conn_receive(s->conn, buf, n)) {
                break;
            }
            if ((size_t) n < sizeof buf) {
                break;
            }
        } else if (n == 0) {
            s->read_done = true;
        } else if (errno == EINTR) {
            i--;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            break;
        } else {
            s->read_done = true;
            s->read_error = errno;
        }
    }
    if (s->read_done) {
        update_events(s);
    }
}

/* Hands queued messages to the owner, then reports the end of the input
 * once everything before it has been delivered. */
static void
stream_deliver(struct jsonrpc_stream *s)
{
    struct jsonrpc_msg *msg;

    while (s->receiving && !s->closed && !s->destroyed
           && (msg = jsonrpc_conn_next_msg(s->conn)) != NULL) {
        s->cbs.recv(s, msg, s->aux);
    }
    if (!s->receiving || s->closed || s->destroyed) {
        return;
    }
    if (jsonrpc_conn_get_error(s->conn)) {
        report_close(s, EPROTO);
    } else if (s->read_done) {
        report_close(s, s->read_error);
    }
}

static void
deliver_cb(void *s_)
{
    struct jsonrpc_stream *s = s_;

    s->deliver_id = 0;
    stream_enter(s);
    stream_deliver(s);
    stream_leave(s);
}

/* Writing. */

static void
stream_flush(struct jsonrpc_stream *s)
{
    const void *data;
    size_t n;

    if (s->connecting || s->closed || s->destroyed) {
        return;
    }
    for (jsonrpc_conn_output(s->conn, &data, &n); n;
         jsonrpc_conn_output(s->conn, &data, &n)) {
        ssize_t r = send(s->fd, data, n, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (r > 0) {
            jsonrpc_conn_consumed(s->conn, r);
        } else if (r < 0 && errno == EINTR) {
            continue;
        } else if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            break;
        } else {
            report_close(s, r < 0 ? errno : EIO);
            return;
        }
    }
    s->want_write = n > 0;
    if (!n && s->closing) {
        jsonrpc_stream_destroy(s);
        return;
    }
    update_events(s);
}

static void
flush_cb(void *s_)
{
    struct jsonrpc_stream *s = s_;

    s->flush_id = 0;
    stream_enter(s);
    stream_flush(s);
    stream_leave(s);
}

static void
schedule_flush(struct jsonrpc_stream *s)
{
    if (!s->flush_id && !s->want_write && !s->connecting) {
        s->flush_id = poll_loop_defer(s->loop, flush_cb, s);
    }
}

/* Events. */

static void
finish_connect(struct jsonrpc_stream *s)
{
    int error = stream_connect_result(s->fd);

    if (error == EINPROGRESS) {
        return;
    }
    s->connecting = false;
    if (error) {
        report_close(s, error);
    } else {
        update_events(s);
        stream_flush(s);
    }
}

static void
stream_event(int fd OVS_UNUSED, unsigned int events, void *s_)
{
    struct jsonrpc_stream *s = s_;

    stream_enter(s);
    if (s->connecting) {
        finish_connect(s);
    } else {
        /* Read first: a peer that sent requests and then went away should
         * have them delivered before the failed write reports the end. */
        if (events & POLL_READABLE) {
            stream_read(s);
            stream_deliver(s);
        }
        if ((events & POLL_WRITABLE) && s->want_write) {
            stream_flush(s);
        }
    }
    stream_leave(s);
}

struct jsonrpc_stream *
jsonrpc_stream_create(struct poll_loop *loop, int fd, const char *name,
                      const struct jsonrpc_stream_callbacks *cbs, void *aux)
{
    struct jsonrpc_stream *s = xzalloc(sizeof *s);

    s->loop = loop;
    s->fd = fd;
    s->name = xstrdup(name ? name : "(unnamed)");
    s->conn = jsonrpc_conn_create();
    s->cbs = *cbs;
    s->aux = aux;
    s->receiving = true;
    s->connecting = stream_connect_result(fd) == EINPROGRESS;
    s->watch = poll_loop_watch_fd(loop, fd, 0, stream_event, s);
    update_events(s);
    return s;
}

void
jsonrpc_stream_destroy(struct jsonrpc_stream *s)
{
    if (!s || s->destroyed) {
        return;
    }
    s->destroyed = true;
    teardown_io(s);
    if (!s->busy) {
        stream_free(s);
    }
}

void
jsonrpc_stream_close_when_flushed(struct jsonrpc_stream *s)
{
    s->closing = true;
    s->receiving = false;
    if (s->closed || !jsonrpc_conn_get_backlog(s->conn)) {
        jsonrpc_stream_destroy(s);
    } else {
        update_events(s);
        schedule_flush(s);
    }
}

void
jsonrpc_stream_send(struct jsonrpc_stream *s, struct jsonrpc_msg *msg)
{
    if (s->closed || s->destroyed) {
        jsonrpc_msg_destroy(msg);
        return;
    }
    jsonrpc_conn_send(s->conn, msg);
    schedule_flush(s);
}

void
jsonrpc_stream_set_receiving(struct jsonrpc_stream *s, bool receiving)
{
    if (s->closing || s->destroyed || s->receiving == receiving) {
        return;
    }
    s->receiving = receiving;
    update_events(s);
    if (receiving && !s->deliver_id) {
        /* Messages may be queued, or the input may have ended, with no
         * further fd event to notice it. */
        s->deliver_id = poll_loop_defer(s->loop, deliver_cb, s);
    }
}

const char *
jsonrpc_stream_get_name(const struct jsonrpc_stream *s)
{
    return s->name;
}

size_t
jsonrpc_stream_get_backlog(const struct jsonrpc_stream *s)
{
    return jsonrpc_conn_get_backlog(s->conn);
}

bool
jsonrpc_stream_is_closed(const struct jsonrpc_stream *s)
{
    return s->closed;
}

const char *
jsonrpc_stream_get_error(const struct jsonrpc_stream *s)
{
    return s->error;
}

struct jsonrpc_conn *
jsonrpc_stream_get_conn(struct jsonrpc_stream *s)
{
    return s->conn;
}
