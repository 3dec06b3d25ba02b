/* bench-db-driver: the load generator behind bench_db.py.
 *
 * A Python driver saturates before either database server does, so the
 * timed loops live here: requests are encoded before the clock starts,
 * replies are only framed (a string-aware brace counter finds where each
 * JSON value ends) and checked for an "error", never parsed, and time is
 * taken with clock_gettime(CLOCK_MONOTONIC).  Plain sockets and poll(), no
 * weft libraries, so the driver costs the same against either server.
 *
 * Usage (SOCKET is the server's unix socket path):
 *
 *     bench-db-driver txn SOCKET N_CONNS N_TXNS [SERVER_PID]
 *         N_CONNS connections, each with one one-row insert outstanding,
 *         N_TXNS transactions in all.
 *     bench-db-driver bulk SOCKET N_ROWS
 *         One transaction with N_ROWS insert operations, send to reply.
 *     bench-db-driver fanout SOCKET N_MONITORS N_COMMITS
 *         N_MONITORS monitor_cond clients on table T; a writer inserts one
 *         row at a time; per commit, the time until every monitor has
 *         received its update.
 *
 * Each prints one JSON object of results on stdout (bench_db.py reads it);
 * SERVER_PID, when given, adds the server's CPU share over the timed loop.
 * The rows match bench_db.py's row(): T has columns name, n, flag, ids. */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* Utilities. */

static void
fatal(const char *format, ...)
{
    va_list args;

    va_start(args, format);
    fputs("bench-db-driver: ", stderr);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
    exit(1);
}

static void *
xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fatal("out of memory");
    }
    return p;
}

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU seconds used by this process. */
static double
self_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6
           + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* CPU seconds used by process 'pid' (utime + stime from /proc), or 0. */
static double
proc_cpu(long pid)
{
    char path[64], buf[1024];
    unsigned long utime, stime;
    FILE *f;
    char *p;

    if (pid <= 0) {
        return 0;
    }
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    f = fopen(path, "r");
    if (!f) {
        return 0;
    }
    if (!fgets(buf, sizeof buf, f)) {
        buf[0] = '\0';
    }
    fclose(f);
    /* Fields 14 and 15, counted after the ')' that ends the command. */
    p = strrchr(buf, ')');
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
                     "%lu %lu", &utime, &stime) != 2) {
        return 0;
    }
    return (utime + stime) / (double) sysconf(_SC_CLK_TCK);
}

/* A growable byte buffer. */
struct buf {
    char *data;
    size_t len, cap;
};

static void
buf_reserve(struct buf *b, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2;
        b->data = xrealloc(b->data, b->cap);
    }
}

static void
buf_printf(struct buf *b, const char *format, ...)
{
    va_list args;
    int n;

    for (;;) {
        va_start(args, format);
        n = vsnprintf(b->data + b->len, b->cap - b->len, format, args);
        va_end(args);
        if (n >= 0 && (size_t) n < b->cap - b->len) {
            b->len += n;
            return;
        }
        buf_reserve(b, n + 1 > 256 ? n + 1 : 256);
    }
}

/* Requests. */

static void
put_row(struct buf *b, long i)
{
    buf_printf(b, "{\"name\":\"row-%ld\",\"n\":%ld,\"flag\":%s,"
               "\"ids\":[\"map\",[[\"k\",\"%ld\"]]]}", i, i,
               i % 2 == 0 ? "true" : "false", i);
}

static void
put_insert_op(struct buf *b, long i)
{
    buf_printf(b, "{\"op\":\"insert\",\"table\":\"T\",\"row\":");
    put_row(b, i);
    buf_printf(b, "}");
}

/* Appends a transact request with one insert of row 'i', id 'id'. */
static void
put_insert_request(struct buf *b, long i, long id)
{
    buf_printf(b, "{\"id\":%ld,\"method\":\"transact\",\"params\":"
               "[\"Bench\",", id);
    put_insert_op(b, i);
    buf_printf(b, "]}");
}

/* Connections. */

struct conn {
    int fd;
    struct buf in;              /* Received, not yet framed. */
    size_t scanned;             /* Bytes of 'in' already scanned. */
    int depth;                  /* Scanner state at 'scanned'. */
    bool in_string, escape;
};

static void
conn_open(struct conn *c, const char *path)
{
    struct sockaddr_un sun;

    memset(c, 0, sizeof *c);
    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof sun.sun_path) {
        fatal("%s: socket path too long", path);
    }
    strcpy(sun.sun_path, path);
    c->fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (c->fd < 0 || connect(c->fd, (struct sockaddr *) &sun,
                             sizeof sun) < 0) {
        fatal("%s: connect failed (%s)", path, strerror(errno));
    }
}

static void
conn_send(struct conn *c, const char *data, size_t n)
{
    while (n) {
        ssize_t r = send(c->fd, data, n, MSG_NOSIGNAL);
        if (r < 0 && errno == EINTR) {
            continue;
        } else if (r <= 0) {
            fatal("send failed (%s)", r < 0 ? strerror(errno) : "EOF");
        }
        data += r;
        n -= r;
    }
}

/* Reads what is available (blocking if nothing is). */
static void
conn_read(struct conn *c)
{
    ssize_t r;

    buf_reserve(&c->in, 1 << 16);
    do {
        r = recv(c->fd, c->in.data + c->in.len, c->in.cap - c->in.len, 0);
    } while (r < 0 && errno == EINTR);
    if (r <= 0) {
        fatal("recv failed (%s)", r < 0 ? strerror(errno)
                                        : "server closed the connection");
    }
    c->in.len += r;
}

/* If 'c->in' begins with a complete JSON value, points '*msgp' to it (in
 * place, not NUL-terminated) and returns its length; else returns 0.  The
 * caller must then call conn_consume() with that length. */
static size_t
conn_next(struct conn *c, const char **msgp)
{
    while (c->scanned < c->in.len) {
        char ch = c->in.data[c->scanned++];

        if (c->in_string) {
            if (c->escape) {
                c->escape = false;
            } else if (ch == '\\') {
                c->escape = true;
            } else if (ch == '"') {
                c->in_string = false;
            }
        } else if (ch == '"') {
            c->in_string = true;
        } else if (ch == '{' || ch == '[') {
            c->depth++;
        } else if ((ch == '}' || ch == ']') && !--c->depth) {
            *msgp = c->in.data;
            return c->scanned;
        }
    }
    return 0;
}

static void
conn_consume(struct conn *c, size_t n)
{
    size_t skip = n;

    while (skip < c->in.len && strchr(" \t\r\n", c->in.data[skip])) {
        skip++;
    }
    memmove(c->in.data, c->in.data + skip, c->in.len - skip);
    c->in.len -= skip;
    c->scanned = 0;
}

/* Returns true if message 'msg' of 'n' bytes contains 'needle'. */
static bool
msg_has(const char *msg, size_t n, const char *needle)
{
    return memmem(msg, n, needle, strlen(needle)) != NULL;
}

/* Answers an "echo" request; returns true if 'msg' was one. */
static bool
answer_echo(struct conn *c, const char *msg, size_t n)
{
    const char *id, *end;
    struct buf b = { 0 };

    if (!msg_has(msg, n, "\"method\":\"echo\"")) {
        return false;
    }
    /* ovsdb-server and weft-db both send {"id":"echo",...}. */
    id = memmem(msg, n, "\"id\":", 5);
    if (!id) {
        return true;
    }
    id += 5;
    end = id;
    while (end < msg + n && *end != ',' && *end != '}') {
        end++;
    }
    buf_printf(&b, "{\"id\":%.*s,\"result\":[],\"error\":null}",
               (int) (end - id), id);
    conn_send(c, b.data, b.len);
    free(b.data);
    return true;
}

/* Checks a transact reply: a successful one has no "error" member with a
 * non-null value anywhere (an operation error is an object with an
 * "error" string). */
static void
check_reply(const char *msg, size_t n)
{
    if (msg_has(msg, n, "\"error\":\"") || msg_has(msg, n, "\"error\":{")
        || !msg_has(msg, n, "\"result\":")) {
        fatal("transaction failed: %.*s", (int) (n > 300 ? 300 : n), msg);
    }
}

/* Waits for the reply to the request just sent on 'c', answering echo. */
static void
await_reply(struct conn *c)
{
    for (;;) {
        const char *msg;
        size_t n;

        while ((n = conn_next(c, &msg)) != 0) {
            bool echo = answer_echo(c, msg, n);
            if (!echo) {
                check_reply(msg, n);
            }
            conn_consume(c, n);
            if (!echo) {
                return;
            }
        }
        conn_read(c);
    }
}

/* A group of connections watched together, with what to do with the
 * messages that arrive on them. */
struct conn_set {
    struct conn *conns;
    struct pollfd *pfds;
    int n;
    /* Called for each message other than an "echo" request, with the
     * index of its connection. */
    void (*cb)(struct conn_set *, int idx, const char *msg, size_t len);
    void *aux;
};

static void
conn_set_init(struct conn_set *cs, const char *path, int n,
              void (*cb)(struct conn_set *, int, const char *, size_t),
              void *aux)
{
    cs->conns = calloc(n, sizeof *cs->conns);
    cs->pfds = calloc(n, sizeof *cs->pfds);
    cs->n = n;
    cs->cb = cb;
    cs->aux = aux;
    for (int i = 0; i < n; i++) {
        conn_open(&cs->conns[i], path);
        cs->pfds[i].fd = cs->conns[i].fd;
        cs->pfds[i].events = POLLIN;
    }
}

static void
conn_set_destroy(struct conn_set *cs)
{
    for (int i = 0; i < cs->n; i++) {
        close(cs->conns[i].fd);
        free(cs->conns[i].in.data);
    }
    free(cs->conns);
    free(cs->pfds);
}

/* Waits up to 10 s for input on 'cs', reads it and hands over every
 * complete message; exits naming 'what' if nothing arrives. */
static void
conn_set_poll(struct conn_set *cs, const char *what)
{
    if (poll(cs->pfds, cs->n, 10000) <= 0) {
        fatal("no %s in 10 s", what);
    }
    for (int i = 0; i < cs->n; i++) {
        struct conn *c = &cs->conns[i];
        const char *msg;
        size_t n;

        if (!cs->pfds[i].revents) {
            continue;
        }
        conn_read(c);
        while ((n = conn_next(c, &msg)) != 0) {
            if (!answer_echo(c, msg, n)) {
                cs->cb(cs, i, msg, n);
            }
            conn_consume(c, n);
        }
    }
}

/* Parts. */

struct txn_state {
    struct buf reqs;            /* Every request, encoded. */
    size_t *ofs;                /* Start of request i in 'reqs'. */
    long n_txns, sent, done;
    double *sent_at;            /* When each connection's request left. */
    double lat_sum, lat_max;
};

static void
send_next_txn(struct txn_state *st, struct conn *c, double *sent_at)
{
    if (st->sent < st->n_txns) {
        *sent_at = now();
        conn_send(c, st->reqs.data + st->ofs[st->sent],
                  st->ofs[st->sent + 1] - st->ofs[st->sent]);
        st->sent++;
    }
}

static void
txn_reply_cb(struct conn_set *cs, int i, const char *msg, size_t n)
{
    struct txn_state *st = cs->aux;
    double lat = now() - st->sent_at[i];

    check_reply(msg, n);
    st->done++;
    st->lat_sum += lat;
    st->lat_max = lat > st->lat_max ? lat : st->lat_max;
    send_next_txn(st, &cs->conns[i], &st->sent_at[i]);
}

static void
run_txn(const char *path, int n_conns, long n_txns, long server_pid)
{
    struct txn_state st = { .n_txns = n_txns };
    struct conn_set cs;

    st.ofs = xrealloc(NULL, (n_txns + 1) * sizeof *st.ofs);
    st.sent_at = calloc(n_conns, sizeof *st.sent_at);
    for (long i = 0; i < n_txns; i++) {
        st.ofs[i] = st.reqs.len;
        put_insert_request(&st.reqs, i, i);
    }
    st.ofs[n_txns] = st.reqs.len;
    conn_set_init(&cs, path, n_conns, txn_reply_cb, &st);
    for (int i = 0; i < n_conns; i++) {
        struct buf warm = { 0 };
        put_insert_request(&warm, -1 - i, -1);
        conn_send(&cs.conns[i], warm.data, warm.len);
        await_reply(&cs.conns[i]);
        free(warm.data);
    }

    double cpu0_srv = proc_cpu(server_pid), cpu0_drv = self_cpu();
    double t0 = now();
    for (int i = 0; i < n_conns; i++) {
        send_next_txn(&st, &cs.conns[i], &st.sent_at[i]);
    }
    while (st.done < n_txns) {
        conn_set_poll(&cs, "transaction reply");
    }
    double dt = now() - t0;
    double drv_cpu = self_cpu() - cpu0_drv;
    double srv_cpu = proc_cpu(server_pid) - cpu0_srv;

    printf("{\"txn_per_s\": %.3f, \"seconds\": %.6f, \"n\": %ld, "
           "\"n_conns\": %d, \"mean_latency_ms\": %.4f, "
           "\"max_latency_ms\": %.4f, \"driver_cpu_frac\": %.4f",
           n_txns / dt, dt, n_txns, n_conns, st.lat_sum / n_txns * 1e3,
           st.lat_max * 1e3, drv_cpu / dt);
    if (server_pid > 0) {
        printf(", \"server_cpu_frac\": %.4f", srv_cpu / dt);
    }
    printf("}\n");
    conn_set_destroy(&cs);
    free(st.ofs);
    free(st.reqs.data);
    free(st.sent_at);
}

static void
run_bulk(const char *path, long n_rows)
{
    struct buf req = { 0 }, warm = { 0 };
    struct conn c;

    buf_printf(&req, "{\"id\":1,\"method\":\"transact\",\"params\":"
               "[\"Bench\"");
    for (long i = 0; i < n_rows; i++) {
        buf_printf(&req, ",");
        put_insert_op(&req, i);
    }
    buf_printf(&req, "]}");

    conn_open(&c, path);
    put_insert_request(&warm, -1, -1);
    conn_send(&c, warm.data, warm.len);
    await_reply(&c);

    double t0 = now();
    conn_send(&c, req.data, req.len);
    double t_sent = now();
    await_reply(&c);
    double dt = now() - t0;

    printf("{\"seconds\": %.6f, \"rows_per_s\": %.3f, \"n\": %ld, "
           "\"request_mb\": %.3f, \"send_seconds\": %.6f}\n",
           dt, n_rows / dt, n_rows, req.len / 1e6, t_sent - t0);
    close(c.fd);
    free(c.in.data);
    free(req.data);
    free(warm.data);
}

static int
cmp_double(const void *a_, const void *b_)
{
    double a = *(const double *) a_, b = *(const double *) b_;
    return a < b ? -1 : a > b;
}

struct fanout_state {
    int writer;                 /* Index of the writer's connection. */
    bool *seen;                 /* Which monitors have the update. */
    int waiting;                /* Monitors still without it. */
    bool replied;               /* The writer has its reply? */
    double t0, latency;
};

static void
fanout_msg_cb(struct conn_set *cs, int i, const char *msg, size_t n)
{
    struct fanout_state *st = cs->aux;

    if (i == st->writer) {
        check_reply(msg, n);
        st->replied = true;
    } else if (msg_has(msg, n, "\"method\":\"update") && !st->seen[i]) {
        st->seen[i] = true;
        if (!--st->waiting) {
            st->latency = now() - st->t0;
        }
    }
}

static void
run_fanout(const char *path, int n_mons, int n_commits)
{
    static const char monitor_req[] =
        "{\"id\":\"m\",\"method\":\"monitor_cond\",\"params\":[\"Bench\","
        "\"mon\",{\"T\":[{\"columns\":[\"name\",\"n\"]}]}]}";
    struct fanout_state st = { .writer = n_mons };
    double *lat = calloc(n_commits, sizeof *lat);
    struct conn_set cs;

    st.seen = calloc(n_mons, sizeof *st.seen);
    conn_set_init(&cs, path, n_mons + 1, fanout_msg_cb, &st);
    for (int i = 0; i < n_mons; i++) {
        conn_send(&cs.conns[i], monitor_req, strlen(monitor_req));
        await_reply(&cs.conns[i]);
    }
    for (int k = 0; k < n_commits; k++) {
        struct buf req = { 0 };

        put_insert_request(&req, k, k);
        memset(st.seen, 0, n_mons * sizeof *st.seen);
        st.waiting = n_mons;
        st.replied = false;
        st.t0 = now();
        conn_send(&cs.conns[st.writer], req.data, req.len);
        free(req.data);
        while (st.waiting || !st.replied) {
            conn_set_poll(&cs, "update or reply");
        }
        lat[k] = st.latency;
    }
    qsort(lat, n_commits, sizeof *lat, cmp_double);
    printf("{\"median_ms\": %.4f, \"p90_ms\": %.4f, \"n_clients\": %d, "
           "\"n_commits\": %d}\n", lat[n_commits / 2] * 1e3,
           lat[(int) (n_commits * 0.9)] * 1e3, n_mons, n_commits);
    conn_set_destroy(&cs);
    free(st.seen);
    free(lat);
}

static long
arg_long(const char *s, long min)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || end == s || v < min) {
        fatal("%s: expected an integer of at least %ld", s, min);
    }
    return v;
}

int
main(int argc, char *argv[])
{
    if (argc >= 5 && !strcmp(argv[1], "txn")) {
        run_txn(argv[2], arg_long(argv[3], 1), arg_long(argv[4], 1),
                argc > 5 ? arg_long(argv[5], 1) : 0);
    } else if (argc == 4 && !strcmp(argv[1], "bulk")) {
        run_bulk(argv[2], arg_long(argv[3], 1));
    } else if (argc == 5 && !strcmp(argv[1], "fanout")) {
        run_fanout(argv[2], arg_long(argv[3], 1), arg_long(argv[4], 1));
    } else {
        fprintf(stderr, "usage: %s txn SOCKET N_CONNS N_TXNS [SERVER_PID]\n"
                "       %s bulk SOCKET N_ROWS\n"
                "       %s fanout SOCKET N_MONITORS N_COMMITS\n",
                argv[0], argv[0], argv[0]);
        return 2;
    }
    return 0;
}
