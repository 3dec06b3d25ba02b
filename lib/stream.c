#include "stream.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "util.h"

/* Name parsing. */

static char *
parse_port(const char *name, const char *s, bool allow_zero, uint16_t *portp)
{
    unsigned int port;

    if (!*s) {
        return xasprintf("\"%s\": missing port number", name);
    }
    if (strspn(s, "0123456789") != strlen(s) || strlen(s) > 5
        || !str_to_uint(s, 10, &port) || port > 65535) {
        return xasprintf("\"%s\": \"%s\" is not a valid port number "
                         "(expected 0 to 65535)", name, s);
    }
    if (!port && !allow_zero) {
        return xasprintf("\"%s\": port 0 is only valid for ptcp", name);
    }
    *portp = port;
    return NULL;
}

/* Parses numeric address 'host' into 'sn', stripping IPv6 brackets. */
static char *
parse_host(const char *name, const char *host, size_t len,
           struct stream_name *sn)
{
    char *copy = xmemdup0(host, len);
    unsigned char buf[sizeof(struct in6_addr)];

    if (len >= 2 && copy[0] == '[' && copy[len - 1] == ']') {
        memmove(copy, copy + 1, len - 2);
        copy[len - 2] = '\0';
    }
    if (inet_pton(AF_INET, copy, buf) == 1) {
        sn->family = AF_INET;
    } else if (inet_pton(AF_INET6, copy, buf) == 1) {
        sn->family = AF_INET6;
    } else {
        char *error = xasprintf("\"%s\": \"%s\" is not a numeric IPv4 or "
                                "IPv6 address", name, copy);
        free(copy);
        return error;
    }
    sn->host = copy;
    return NULL;
}

/* Parses "IP:PORT" or "[IPv6]:PORT". */
static char *
parse_active_tcp(const char *name, const char *s, struct stream_name *sn)
{
    const char *colon;

    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (!close) {
            return xasprintf("\"%s\": missing \"]\" after IPv6 address",
                             name);
        }
        if (close[1] != ':') {
            return xasprintf("\"%s\": missing port (expected "
                             "tcp:[IPv6]:PORT)", name);
        }
        colon = close + 1;
    } else {
        colon = strchr(s, ':');
        if (!colon) {
            return xasprintf("\"%s\": missing port (expected tcp:IP:PORT)",
                             name);
        }
        if (strchr(colon + 1, ':')) {
            return xasprintf("\"%s\": an IPv6 address must be written in "
                             "brackets (tcp:[IPv6]:PORT)", name);
        }
    }
    if (colon == s) {
        return xasprintf("\"%s\": missing IP address (expected "
                         "tcp:IP:PORT)", name);
    }

    char *error = parse_port(name, colon + 1, false, &sn->port);
    return error ? error : parse_host(name, s, colon - s, sn);
}

/* Parses "PORT[:IP]". */
static char *
parse_passive_tcp(const char *name, const char *s, struct stream_name *sn)
{
    const char *colon = strchr(s, ':');
    char *port = colon ? xmemdup0(s, colon - s) : xstrdup(s);
    char *error = parse_port(name, port, true, &sn->port);

    free(port);
    if (error) {
        return error;
    }
    if (!colon) {
        return parse_host(name, "0.0.0.0", 7, sn);
    }
    if (!colon[1]) {
        return xasprintf("\"%s\": empty IP address after port", name);
    }
    return parse_host(name, colon + 1, strlen(colon + 1), sn);
}

char *
stream_name_parse(const char *name, struct stream_name *sn)
{
    const char *colon = strchr(name, ':');
    char *error;

    memset(sn, 0, sizeof *sn);
    if (!colon) {
        return xasprintf("\"%s\": connection name must start with unix:, "
                         "tcp:, punix: or ptcp:", name);
    }

    size_t len = colon - name;
    const char *rest = colon + 1;
    sn->passive = len > 0 && name[0] == 'p';
    const char *method = name + sn->passive;
    len -= sn->passive;

    if (len == 4 && !strncmp(method, "unix", 4)) {
        sn->type = STREAM_UNIX;
        if (!*rest) {
            return xasprintf("\"%s\": missing socket file name", name);
        }
        sn->path = xstrdup(rest);
        return NULL;
    } else if (len == 3 && !strncmp(method, "tcp", 3)) {
        sn->type = STREAM_TCP;
        error = (sn->passive ? parse_passive_tcp(name, rest, sn)
                             : parse_active_tcp(name, rest, sn));
    } else if (len == 3 && !strncmp(method, "ssl", 3)) {
        error = xasprintf("\"%s\": SSL connections are not supported",
                          name);
    } else {
        error = xasprintf("\"%s\": unknown connection method \"%.*s\" "
                          "(expected unix:, tcp:, punix: or ptcp:)",
                          name, (int) (colon - name), name);
    }
    if (error) {
        stream_name_destroy(sn);
    }
    return error;
}

void
stream_name_destroy(struct stream_name *sn)
{
    if (sn) {
        free(sn->path);
        free(sn->host);
        sn->path = sn->host = NULL;
    }
}

char *
stream_name_format(const struct stream_name *sn)
{
    const char *p = sn->passive ? "p" : "";

    if (sn->type == STREAM_UNIX) {
        return xasprintf("%sunix:%s", p, sn->path);
    }

    bool v6 = sn->family == AF_INET6;
    const char *open = v6 ? "[" : "", *close = v6 ? "]" : "";
    return (sn->passive
            ? xasprintf("ptcp:%u:%s%s%s", sn->port, open, sn->host, close)
            : xasprintf("tcp:%s%s%s:%u", open, sn->host, close, sn->port));
}

static char *
verify_name(const char *name, bool passive)
{
    struct stream_name sn;
    char *error = stream_name_parse(name, &sn);

    if (!error) {
        if (sn.passive != passive) {
            error = xasprintf("\"%s\": expected %s connection name (%s)",
                              name, passive ? "a passive" : "an active",
                              passive ? "punix: or ptcp:" : "unix: or tcp:");
        }
        stream_name_destroy(&sn);
    }
    return error;
}

char *
stream_verify_name(const char *name)
{
    return verify_name(name, false);
}

char *
pstream_verify_name(const char *name)
{
    return verify_name(name, true);
}

bool
stream_is_passive_name(const char *name)
{
    return str_startswith(name, "punix:") || str_startswith(name, "ptcp:");
}

/* Socket addresses. */

struct sockaddr_buf {
    struct sockaddr_storage ss;
    socklen_t len;
    int dirfd;                  /* Keeps a long path's directory open. */
};

/* Fills 'sa' for unix socket 'path'.  A path too long for sun_path is
 * reached as /proc/self/fd/DIRFD/BASENAME with its directory held open
 * until sockaddr_buf_destroy(). */
static int
unix_sockaddr(const char *path, struct sockaddr_buf *sa)
{
    struct sockaddr_un *sun = (struct sockaddr_un *) &sa->ss;
    char *short_path = NULL;

    memset(sa, 0, sizeof *sa);
    sa->dirfd = -1;
    if (strlen(path) >= sizeof sun->sun_path) {
        char *dir_copy = xstrdup(path), *base_copy = xstrdup(path);
        sa->dirfd = open(dirname(dir_copy), O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (sa->dirfd >= 0) {
            short_path = xasprintf("/proc/self/fd/%d/%s", sa->dirfd,
                                   basename(base_copy));
        }
        free(dir_copy);
        free(base_copy);
        if (sa->dirfd < 0) {
            return errno;
        }
        path = short_path;
    }

    int error = 0;
    if (strlen(path) >= sizeof sun->sun_path) {
        error = ENAMETOOLONG;
    } else {
        sun->sun_family = AF_UNIX;
        strcpy(sun->sun_path, path);
        sa->len = offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
    }
    free(short_path);
    return error;
}

static void
tcp_sockaddr(const struct stream_name *sn, struct sockaddr_buf *sa)
{
    memset(sa, 0, sizeof *sa);
    sa->dirfd = -1;
    if (sn->family == AF_INET) {
        struct sockaddr_in *sin = (struct sockaddr_in *) &sa->ss;
        sin->sin_family = AF_INET;
        sin->sin_port = htons(sn->port);
        inet_pton(AF_INET, sn->host, &sin->sin_addr);
        sa->len = sizeof *sin;
    } else {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &sa->ss;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(sn->port);
        inet_pton(AF_INET6, sn->host, &sin6->sin6_addr);
        sa->len = sizeof *sin6;
    }
}

static int
name_sockaddr(const struct stream_name *sn, struct sockaddr_buf *sa)
{
    if (sn->type == STREAM_UNIX) {
        return unix_sockaddr(sn->path, sa);
    }
    tcp_sockaddr(sn, sa);
    return 0;
}

static void
sockaddr_buf_destroy(struct sockaddr_buf *sa)
{
    if (sa->dirfd >= 0) {
        close(sa->dirfd);
        sa->dirfd = -1;
    }
}

static int
new_socket(int family, int *fdp)
{
    *fdp = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (*fdp < 0) {
        return errno;
    }
    if (family != AF_UNIX) {
        int on = 1;
        setsockopt(*fdp, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    }
    return 0;
}

/* Active connections. */

static int
connect_name(const struct stream_name *sn, int *fdp)
{
    struct sockaddr_buf sa;
    int fd = -1;
    int error = name_sockaddr(sn, &sa);

    if (!error) {
        error = new_socket(sa.ss.ss_family, &fd);
    }
    if (!error && connect(fd, (struct sockaddr *) &sa.ss, sa.len) < 0
        && errno != EINPROGRESS) {
        error = errno;
    }
    sockaddr_buf_destroy(&sa);
    if (error && fd >= 0) {
        close(fd);
        fd = -1;
    }
    *fdp = fd;
    return error;
}

int
stream_open(const char *name, int *fdp)
{
    struct stream_name sn;
    char *perr = stream_name_parse(name, &sn);
    int error;

    *fdp = -1;
    if (perr) {
        free(perr);
        return EINVAL;
    }
    error = sn.passive ? EINVAL : connect_name(&sn, fdp);
    stream_name_destroy(&sn);
    return error;
}

int
stream_connect_result(int fd)
{
    struct pollfd pfd = { .fd = fd, .events = POLLOUT };
    int error = 0;
    socklen_t len = sizeof error;

    if (poll(&pfd, 1, 0) < 0) {
        return errno;
    }
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) < 0) {
        return errno;
    }
    if (!error && !(pfd.revents & (POLLOUT | POLLERR | POLLHUP))) {
        return EINPROGRESS;
    }
    return error;
}

int
stream_open_block(const char *name, int timeout_ms, int *fdp)
{
    long long deadline = timeout_ms > 0 ? time_msec() + timeout_ms : 0;
    int error = stream_open(name, fdp);

    while (!error) {
        struct pollfd pfd = { .fd = *fdp, .events = POLLOUT };
        int wait = -1;
        if (deadline) {
            wait = (int) MAX(deadline - time_msec(), 0);
        }
        int n = poll(&pfd, 1, wait);
        if (n < 0 && errno != EINTR) {
            error = errno;
        } else if (n > 0) {
            error = stream_connect_result(*fdp);
            if (error != EINPROGRESS) {
                break;
            }
            error = 0;
        } else if (n == 0) {
            error = ETIMEDOUT;
        }
    }
    if (error && *fdp >= 0) {
        close(*fdp);
        *fdp = -1;
    }
    return error;
}

/* Passive connections. */

/* Returns true if something accepts connections on unix socket 'path'.
 * A stale socket file (its server gone) refuses connections. */
static bool
unix_socket_is_live(const char *path)
{
    struct sockaddr_buf sa;
    bool live = false;
    int fd;

    if (!unix_sockaddr(path, &sa) && !new_socket(AF_UNIX, &fd)) {
        live = !connect(fd, (struct sockaddr *) &sa.ss, sa.len)
               || errno == EAGAIN || errno == EINPROGRESS;
        close(fd);
    }
    sockaddr_buf_destroy(&sa);
    return live;
}

static int
listen_name(const struct stream_name *sn, int *fdp)
{
    struct sockaddr_buf sa;
    int fd = -1;
    int error = name_sockaddr(sn, &sa);

    if (!error) {
        error = new_socket(sa.ss.ss_family, &fd);
    }
    if (!error && sn->type == STREAM_TCP) {
        int on = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    }
    if (!error && sn->type == STREAM_UNIX) {
        struct stat st;
        if (!lstat(sn->path, &st) && S_ISSOCK(st.st_mode)
            && !unix_socket_is_live(sn->path)) {
            unlink(sn->path);
        }
    }
    if (!error && bind(fd, (struct sockaddr *) &sa.ss, sa.len) < 0) {
        error = errno;
    }
    if (!error && listen(fd, SOMAXCONN) < 0) {
        error = errno;
    }
    sockaddr_buf_destroy(&sa);
    if (error && fd >= 0) {
        close(fd);
        fd = -1;
    }
    *fdp = fd;
    return error;
}

static uint16_t
bound_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;

    if (getsockname(fd, (struct sockaddr *) &ss, &len) < 0) {
        return 0;
    }
    return ntohs(ss.ss_family == AF_INET
                 ? ((struct sockaddr_in *) &ss)->sin_port
                 : ((struct sockaddr_in6 *) &ss)->sin6_port);
}

int
pstream_open(const char *name, int *fdp, char **bound_namep)
{
    struct stream_name sn;
    char *perr = stream_name_parse(name, &sn);
    int error;

    *fdp = -1;
    if (bound_namep) {
        *bound_namep = NULL;
    }
    if (perr) {
        free(perr);
        return EINVAL;
    }
    error = sn.passive ? listen_name(&sn, fdp) : EINVAL;
    if (!error && bound_namep) {
        if (sn.type == STREAM_TCP) {
            sn.port = bound_port(*fdp);
        }
        *bound_namep = stream_name_format(&sn);
    }
    stream_name_destroy(&sn);
    return error;
}

static char *
format_peer(const struct sockaddr_storage *ss)
{
    char host[INET6_ADDRSTRLEN];

    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *) ss;
        inet_ntop(AF_INET, &sin->sin_addr, host, sizeof host);
        return xasprintf("tcp:%s:%u", host, ntohs(sin->sin_port));
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *) ss;
        inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof host);
        return xasprintf("tcp:[%s]:%u", host, ntohs(sin6->sin6_port));
    }
    return xstrdup("unix");
}

int
pstream_accept(int listen_fd, int *fdp, char **peer_namep)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int fd;

    memset(&ss, 0, sizeof ss);
    do {
        fd = accept4(listen_fd, (struct sockaddr *) &ss, &len,
                     SOCK_NONBLOCK | SOCK_CLOEXEC);
    } while (fd < 0 && errno == EINTR);

    *fdp = fd;
    if (fd < 0) {
        return errno == EWOULDBLOCK ? EAGAIN : errno;
    }
    if (ss.ss_family != AF_UNIX) {
        int on = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    }
    if (peer_namep) {
        *peer_namep = format_peer(&ss);
    }
    return 0;
}

void
pstream_close(int listen_fd, const char *name)
{
    if (listen_fd >= 0) {
        close(listen_fd);
    }
    if (name && str_startswith(name, "punix:") && name[6]) {
        unlink(name + 6);
    }
}
