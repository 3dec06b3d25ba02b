/* stream: OVS-style connection names and the sockets they open.
 *
 * Names (the same syntax as Open vSwitch's --remote and --db options):
 *
 *     active                      passive (listening)
 *     unix:PATH                   punix:PATH
 *     tcp:IP:PORT                 ptcp:PORT[:IP]      (IP default 0.0.0.0)
 *     tcp:[IPv6]:PORT             ptcp:PORT:[IPv6]
 *
 * IP must be a numeric address (no name resolution, which would block).
 * PORT is 0..65535; only ptcp accepts 0, meaning "pick a free port", and
 * pstream_open() then reports the port actually bound.  A PATH longer than
 * sockaddr_un allows is reached through /proc/self/fd, so deep test
 * directories work.  Relative paths are relative to the working directory.
 *
 * All sockets are non-blocking and close-on-exec.  stream_open() may
 * return a socket whose connect() is still in progress: wait until it is
 * writable, then call stream_connect_result().
 *
 * punix removes a stale socket file before binding (only if nothing
 * accepts connections on it: a live listener makes pstream_open() fail
 * with EADDRINUSE), and pstream_close() unlinks it again.
 *
 * Functions return 0 or a positive errno; an unparsable name gives
 * EINVAL, and the *_verify_name() functions explain why in an owned
 * string.  Thread-safe. */
#ifndef WEFT_STREAM_H
#define WEFT_STREAM_H 1

#include <stdbool.h>
#include <stdint.h>

enum stream_type {
    STREAM_UNIX,
    STREAM_TCP,
};

/* A parsed connection name. */
struct stream_name {
    enum stream_type type;
    bool passive;               /* punix or ptcp? */
    char *path;                 /* STREAM_UNIX: owned socket path. */
    char *host;                 /* STREAM_TCP: owned numeric address. */
    int family;                 /* STREAM_TCP: AF_INET or AF_INET6. */
    uint16_t port;              /* STREAM_TCP: port, 0 only if passive. */
};

/* Parses 'name' (active or passive) into 'sn'.  Returns NULL on success,
 * after which the caller must stream_name_destroy(sn), or an owned error
 * message (and 'sn' needs no cleanup). */
char *stream_name_parse(const char *name, struct stream_name *sn);
void stream_name_destroy(struct stream_name *);
/* Formats 'sn' back into a name, as an owned string. */
char *stream_name_format(const struct stream_name *);

/* Return NULL if 'name' is a valid active (passive) name, otherwise an
 * owned error message. */
char *stream_verify_name(const char *name);
char *pstream_verify_name(const char *name);
bool stream_is_passive_name(const char *name);

/* Active connections. */
int stream_open(const char *name, int *fdp);
/* After the socket from stream_open() becomes writable: returns 0 if the
 * connection is established, EINPROGRESS if still connecting, or the
 * errno of the failed connection. */
int stream_connect_result(int fd);
/* Opens 'name' and waits up to 'timeout_ms' (<= 0: indefinitely) for the
 * connection to complete.  The socket stays non-blocking. */
int stream_open_block(const char *name, int timeout_ms, int *fdp);

/* Passive connections.  On success stores the listening socket in '*fdp'
 * and, if 'bound_namep' is nonnull, the name actually bound (with the
 * real port for ptcp:0) as an owned string in '*bound_namep'. */
int pstream_open(const char *name, int *fdp, char **bound_namep);
/* Accepts one connection on 'listen_fd'.  Returns EAGAIN if none is
 * waiting.  If 'peer_namep' is nonnull, stores an owned description of
 * the peer ("tcp:IP:PORT" or "unix") there. */
int pstream_accept(int listen_fd, int *fdp, char **peer_namep);
/* Closes 'listen_fd' (if nonnegative) and, for a punix 'name', removes
 * its socket file. */
void pstream_close(int listen_fd, const char *name);

#endif
