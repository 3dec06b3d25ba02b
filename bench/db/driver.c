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

/* Parts. */

static void
run_txn(const char *path, int n_conns, long n_txns, long server_pid)
{
    struct conn *conns = calloc(n_conns, sizeof *conns);
    struct pollfd *pfds = calloc(n_conns, sizeof *pfds);
    size_t *ofs = xrealloc(NULL, (n_txns + 1) * sizeof *ofs);
    struct buf reqs = { 0 };
    long sent = 0, done = 0;
    double lat_sum = 0, lat_max = 0;
    double *sent_at = calloc(n_conns, sizeof *sent_at);

    for (long i = 0; i < n_txns; i++) {
        ofs[i] = reqs.len;
        put_insert_request(&reqs, i, i);
    }
    ofs[n_txns] = reqs.len;
    for (int i = 0; i < n_conns; i++) {
        struct buf warm = { 0 };
        conn_open(&conns[i], path);
        put_insert_request(&warm, -1 - i, -1);
        conn_send(&conns[i], warm.data, warm.len);
        await_reply(&conns[i]);
        free(warm.data);
        pfds[i].fd = conns[i].fd;
        pfds[i].events = POLLIN;
    }

    double cpu0_srv = proc_cpu(server_pid), cpu0_drv = self_cpu();
    double t0 = now();
    for (int i = 0; i < n_conns && sent < n_txns; i++, sent++) {
        sent_at[i] = now();
        conn_send(&conns[i], reqs.data + ofs[sent], ofs[sent + 1] - ofs[sent]);
    }
    while (done < n_txns) {
        if (poll(pfds, n_conns, 10000) <= 0) {
            fatal("no reply in 10 s (%ld of %ld done)", done, n_txns);
        }
        for (int i = 0; i < n_conns; i++) {
            struct conn *c = &conns[i];
            const char *msg;
            size_t n;

            if (!pfds[i].revents) {
                continue;
            }
            conn_read(c);
            while ((n = conn_next(c, &msg)) != 0) {
                if (!answer_echo(c, msg, n)) {
                    double t = now(), lat = t - sent_at[i];
                    check_reply(msg, n);
                    done++;
                    lat_sum += lat;
                    lat_max = lat > lat_max ? lat : lat_max;
                    if (sent < n_txns) {
                        sent_at[i] = t;
                        conn_send(c, reqs.data + ofs[sent],
                                  ofs[sent + 1] - ofs[sent]);
                        sent++;
                    }
                }
                conn_consume(c, n);
            }
        }
    }
    double dt = now() - t0;
    double drv_cpu = self_cpu() - cpu0_drv;
    double srv_cpu = proc_cpu(server_pid) - cpu0_srv;

    printf("{\"txn_per_s\": %.3f, \"seconds\": %.6f, \"n\": %ld, "
           "\"n_conns\": %d, \"mean_latency_ms\": %.4f, "
           "\"max_latency_ms\": %.4f, \"driver_cpu_frac\": %.4f",
           n_txns / dt, dt, n_txns, n_conns, lat_sum / n_txns * 1e3,
           lat_max * 1e3, drv_cpu / dt);
    if (server_pid > 0) {
        printf(", \"server_cpu_frac\": %.4f", srv_cpu / dt);
    }
    printf("}\n");
    for (int i = 0; i < n_conns; i++) {
        close(conns[i].fd);
        free(conns[i].in.data);
    }
    free(conns);
    free(pfds);
    free(ofs);
    free(reqs.data);
    free(sent_at);
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

static void
run_fanout(const char *path, int n_mons, int n_commits)
{
    static const char monitor_req[] =
        "{\"id\":\"m\",\"method\":\"monitor_cond\",\"params\":[\"Bench\","
        "\"mon\",{\"T\":[{\"columns\":[\"name\",\"n\"]}]}]}";
    struct conn *conns = calloc(n_mons + 1, sizeof *conns);
    struct pollfd *pfds = calloc(n_mons + 1, sizeof *pfds);
    bool *seen = calloc(n_mons, sizeof *seen);
    double *lat = calloc(n_commits, sizeof *lat);
    struct conn *writer = &conns[n_mons];

    for (int i = 0; i <= n_mons; i++) {
        conn_open(&conns[i], path);
        if (i < n_mons) {
            conn_send(&conns[i], monitor_req, strlen(monitor_req));
            await_reply(&conns[i]);
        }
        pfds[i].fd = conns[i].fd;
        pfds[i].events = POLLIN;
    }
    for (int k = 0; k < n_commits; k++) {
        struct buf req = { 0 };
        int waiting = n_mons;
        bool replied = false;

        put_insert_request(&req, k, k);
        memset(seen, 0, n_mons * sizeof *seen);
        double t0 = now();
        conn_send(writer, req.data, req.len);
        free(req.data);
        while (waiting || !replied) {
            if (poll(pfds, n_mons + 1, 10000) <= 0) {
                fatal("%d monitors got no update in 10 s", waiting);
            }
            for (int i = 0; i <= n_mons; i++) {
                struct conn *c = &conns[i];
                const char *msg;
                size_t n;

                if (!pfds[i].revents) {
                    continue;
                }
                conn_read(c);
                while ((n = conn_next(c, &msg)) != 0) {
                    if (answer_echo(c, msg, n)) {
                        /* Nothing more to do. */
                    } else if (c == writer) {
                        check_reply(msg, n);
                        replied = true;
                    } else if (msg_has(msg, n, "\"method\":\"update")
                               && !seen[i]) {
                        seen[i] = true;
                        if (!--waiting) {
                            lat[k] = now() - t0;
                        }
                    }
                    conn_consume(c, n);
                }
            }
        }
    }
    qsort(lat, n_commits, sizeof *lat, cmp_double);
    printf("{\"median_ms\": %.4f, \"p90_ms\": %.4f, \"n_clients\": %d, "
           "\"n_commits\": %d}\n", lat[n_commits / 2] * 1e3,
           lat[(int) (n_commits * 0.9)] * 1e3, n_mons, n_commits);
    for (int i = 0; i <= n_mons; i++) {
        close(conns[i].fd);
        free(conns[i].in.data);
    }
    free(conns);
    free(pfds);
    free(seen);
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
