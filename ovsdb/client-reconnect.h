/* ovsdb/client-reconnect: when to connect, to which remote, and when to
 * give up on a connection, as a pure state machine.
 *
 * The owner reports events (connected, connect failed, disconnected,
 * something received) with the current time and asks
 * ovsdb_client_reconnect_run() what to do next:
 *
 *     state        run() returns, once the deadline passes
 *     ----------   ---------------------------------------------------
 *     BACKOFF      CONNECT: open the current remote      -> CONNECTING
 *     CONNECTING   DISCONNECT: the attempt took too long  -> BACKOFF
 *     ACTIVE       PROBE: nothing received for 'probe'    -> IDLE
 *     IDLE         DISCONNECT: no answer to the probe     -> BACKOFF
 *
 * Every failure (a failed attempt, or losing a connection that never
 * became healthy) moves to the next remote and doubles the backoff, from
 * 'min_backoff' up to 'max_backoff'.  The first attempt is immediate, and
 * so is the first attempt after losing a connection that the owner marked
 * healthy with ovsdb_client_reconnect_healthy() (for the OVSDB client:
 * monitoring had started), so a restarted server is found again at once
 * while a server that keeps failing is not hammered.
 *
 * Remotes are tried in the order given, rotating.  Not thread-safe. */
#ifndef WEFT_OVSDB_CLIENT_RECONNECT_H
#define WEFT_OVSDB_CLIENT_RECONNECT_H 1

#include <stdbool.h>
#include <stddef.h>
#include "util.h"

enum ovsdb_reconnect_state {
    OVSDB_RECONNECT_BACKOFF,    /* Waiting to (re)connect. */
    OVSDB_RECONNECT_CONNECTING, /* Connection attempt in progress. */
    OVSDB_RECONNECT_ACTIVE,     /* Connected, traffic seen recently. */
    OVSDB_RECONNECT_IDLE,       /* Connected, probe sent, no answer yet. */
    OVSDB_RECONNECT_VOID,       /* No remotes: nothing to do. */
};

enum ovsdb_reconnect_action {
    OVSDB_RECONNECT_NONE,
    OVSDB_RECONNECT_CONNECT,
    OVSDB_RECONNECT_DISCONNECT,
    OVSDB_RECONNECT_PROBE,
};

struct ovsdb_client_reconnect {
    char **remotes;             /* Owned remote names. */
    size_t n_remotes;
    size_t cur;                 /* Index of the remote in use or next. */
    enum ovsdb_reconnect_state state;
    long long state_entered;    /* When 'state' was entered. */
    int backoff;                /* Current delay before connecting, ms. */
    int min_backoff;            /* First non-zero backoff, ms. */
    int max_backoff;            /* Backoff never exceeds this, ms. */
    int probe_interval;         /* Inactivity probe interval, 0 = off. */
    bool probe_interval_set;    /* Set explicitly (not per remote)? */
    bool healthy;               /* Current connection marked healthy? */
    long long last_activity;    /* When something was last received. */
    unsigned int n_attempts;    /* Connection attempts so far. */
    unsigned int n_connections; /* Successful connections so far. */
    int last_error;             /* errno of the last failure, or 0. */
};

void ovsdb_client_reconnect_init(struct ovsdb_client_reconnect *,
                                 long long now);
void ovsdb_client_reconnect_destroy(struct ovsdb_client_reconnect *);
/* Parses comma-separated 'remotes' (NULL or "" for none).  Keeps the
 * current remote selected if it is still in the list.  Returns true if a
 * connection (or attempt) to a remote no longer listed is open: the owner
 * must close it and call ovsdb_client_reconnect_restart(). */
bool ovsdb_client_reconnect_set_remotes(struct ovsdb_client_reconnect *,
                                        const char *remotes, long long now);
/* Forgets any connection and connects again at once, without counting a
 * failure (for a changed remote list or an explicit reconnect request). */
void ovsdb_client_reconnect_restart(struct ovsdb_client_reconnect *,
                                    long long now);
void ovsdb_client_reconnect_set_backoff(struct ovsdb_client_reconnect *,
                                        int min_ms, int max_ms);
void ovsdb_client_reconnect_set_probe_interval(
    struct ovsdb_client_reconnect *, int msec);

/* The remote to connect to (or connected to), or NULL if none. */
const char *ovsdb_client_reconnect_get_remote(
    const struct ovsdb_client_reconnect *);

enum ovsdb_reconnect_action ovsdb_client_reconnect_run(
    struct ovsdb_client_reconnect *, long long now);
/* Absolute time at which run() next has something to do, or LLONG_MAX. */
long long ovsdb_client_reconnect_wakeup(
    const struct ovsdb_client_reconnect *);

void ovsdb_client_reconnect_connected(struct ovsdb_client_reconnect *,
                                      long long now);
void ovsdb_client_reconnect_failed(struct ovsdb_client_reconnect *,
                                   long long now, int error);
void ovsdb_client_reconnect_activity(struct ovsdb_client_reconnect *,
                                     long long now);
void ovsdb_client_reconnect_healthy(struct ovsdb_client_reconnect *);
/* Abandons the current connection or attempt as a failure, moving on to
 * the next remote after the backoff. */
void ovsdb_client_reconnect_force(struct ovsdb_client_reconnect *,
                                  long long now);
bool ovsdb_client_reconnect_is_connected(
    const struct ovsdb_client_reconnect *);

#endif
