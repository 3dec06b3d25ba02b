/* ovsdb/client-reconnect: reconnection state machine (see the header). */
#include "ovsdb/client-reconnect.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include "util.h"

/* Probe interval when none was set: ovsdb-server's own default for tcp,
 * and none for unix sockets, whose peer's death is always noticed. */
#define DEFAULT_TCP_PROBE_MS 5000

static void
set_state(struct ovsdb_client_reconnect *r, enum ovsdb_reconnect_state s,
          long long now)
{
    r->state = s;
    r->state_entered = now;
}

void
ovsdb_client_reconnect_init(struct ovsdb_client_reconnect *r, long long now)
{
    memset(r, 0, sizeof *r);
    r->min_backoff = 1000;
    r->max_backoff = 8000;
    set_state(r, OVSDB_RECONNECT_VOID, now);
}

void
ovsdb_client_reconnect_destroy(struct ovsdb_client_reconnect *r)
{
    for (size_t i = 0; i < r->n_remotes; i++) {
        free(r->remotes[i]);
    }
    free(r->remotes);
    r->remotes = NULL;
    r->n_remotes = 0;
}

static bool
is_connected_state(enum ovsdb_reconnect_state s)
{
    return s == OVSDB_RECONNECT_ACTIVE || s == OVSDB_RECONNECT_IDLE;
}

bool
ovsdb_client_reconnect_set_remotes(struct ovsdb_client_reconnect *r,
                                   const char *remotes, long long now)
{
    char *cur = r->n_remotes ? xstrdup(r->remotes[r->cur]) : NULL;
    char *copy = xstrdup(remotes ? remotes : "");
    char *save = NULL;
    size_t allocated = 0;
    bool kept = false;

    ovsdb_client_reconnect_destroy(r);
    for (char *tok = strtok_r(copy, ", \t", &save); tok;
         tok = strtok_r(NULL, ", \t", &save)) {
        if (r->n_remotes >= allocated) {
            r->remotes = x2nrealloc(r->remotes, &allocated,
                                    sizeof *r->remotes);
        }
        r->remotes[r->n_remotes++] = xstrdup(tok);
    }
    free(copy);

    /* Keep using the current remote if it is still listed, so that
     * rewriting an unchanged list does not drop a good connection. */
    r->cur = 0;
    for (size_t i = 0; cur && i < r->n_remotes; i++) {
        if (!strcmp(r->remotes[i], cur)) {
            r->cur = i;
            kept = true;
        }
    }
    free(cur);

    bool busy = r->state == OVSDB_RECONNECT_CONNECTING
                || is_connected_state(r->state);
    if (!r->n_remotes) {
        set_state(r, OVSDB_RECONNECT_VOID, now);
        return busy;
    }
    if (r->state == OVSDB_RECONNECT_VOID) {
        ovsdb_client_reconnect_restart(r, now);
    }
    return busy && !kept;
}

void
ovsdb_client_reconnect_restart(struct ovsdb_client_reconnect *r,
                               long long now)
{
    r->backoff = 0;
    r->healthy = false;
    set_state(r, r->n_remotes ? OVSDB_RECONNECT_BACKOFF
                              : OVSDB_RECONNECT_VOID, now);
}

void
ovsdb_client_reconnect_set_backoff(struct ovsdb_client_reconnect *r,
                                   int min_ms, int max_ms)
{
    r->min_backoff = MAX(min_ms, 1);
    r->max_backoff = MAX(max_ms, r->min_backoff);
    r->backoff = MIN(r->backoff, r->max_backoff);
}

void
ovsdb_client_reconnect_set_probe_interval(struct ovsdb_client_reconnect *r,
                                          int msec)
{
    r->probe_interval = MAX(msec, 0);
    r->probe_interval_set = true;
}

const char *
ovsdb_client_reconnect_get_remote(const struct ovsdb_client_reconnect *r)
{
    return r->n_remotes ? r->remotes[r->cur] : NULL;
}

/* How long an attempt may take before it counts as failed: at least the
 * minimum backoff, so that slow loopback connects are not cut short. */
static int
connect_timeout(const struct ovsdb_client_reconnect *r)
{
    return MAX(r->backoff, r->min_backoff);
}

long long
ovsdb_client_reconnect_wakeup(const struct ovsdb_client_reconnect *r)
{
    switch (r->state) {
    case OVSDB_RECONNECT_BACKOFF:
        return r->state_entered + r->backoff;
    case OVSDB_RECONNECT_CONNECTING:
        return r->state_entered + connect_timeout(r);
    case OVSDB_RECONNECT_ACTIVE:
        return r->probe_interval ? r->last_activity + r->probe_interval
                                 : LLONG_MAX;
    case OVSDB_RECONNECT_IDLE:
        return r->state_entered + r->probe_interval;
    case OVSDB_RECONNECT_VOID:
    default:
        return LLONG_MAX;
    }
}

enum ovsdb_reconnect_action
ovsdb_client_reconnect_run(struct ovsdb_client_reconnect *r, long long now)
{
    if (now < ovsdb_client_reconnect_wakeup(r)) {
        return OVSDB_RECONNECT_NONE;
    }
    switch (r->state) {
    case OVSDB_RECONNECT_BACKOFF:
        set_state(r, OVSDB_RECONNECT_CONNECTING, now);
        r->n_attempts++;
        return OVSDB_RECONNECT_CONNECT;
    case OVSDB_RECONNECT_CONNECTING:
    case OVSDB_RECONNECT_IDLE:
        ovsdb_client_reconnect_failed(r, now, ETIMEDOUT);
        return OVSDB_RECONNECT_DISCONNECT;
    case OVSDB_RECONNECT_ACTIVE:
        set_state(r, OVSDB_RECONNECT_IDLE, now);
        return OVSDB_RECONNECT_PROBE;
    case OVSDB_RECONNECT_VOID:
    default:
        return OVSDB_RECONNECT_NONE;
    }
}

void
ovsdb_client_reconnect_connected(struct ovsdb_client_reconnect *r,
                                 long long now)
{
    set_state(r, OVSDB_RECONNECT_ACTIVE, now);
    r->last_activity = now;
    r->healthy = false;
    r->n_connections++;
    if (!r->probe_interval_set && r->n_remotes) {
        r->probe_interval = !strncmp(r->remotes[r->cur], "tcp:", 4)
                                ? DEFAULT_TCP_PROBE_MS : 0;
    }
}

void
ovsdb_client_reconnect_failed(struct ovsdb_client_reconnect *r,
                              long long now, int error)
{
    if (r->state == OVSDB_RECONNECT_VOID) {
        return;
    }
    r->last_error = error;
    if (r->healthy) {
        /* The connection had worked: retry at once, starting over. */
        r->backoff = 0;
    } else if (!r->backoff) {
        r->backoff = r->min_backoff;
    } else {
        r->backoff = MIN(r->backoff * 2, r->max_backoff);
    }
    r->healthy = false;
    if (r->n_remotes) {
        r->cur = (r->cur + 1) % r->n_remotes;
    }
    set_state(r, OVSDB_RECONNECT_BACKOFF, now);
}

void
ovsdb_client_reconnect_activity(struct ovsdb_client_reconnect *r,
                                long long now)
{
    r->last_activity = now;
    if (r->state == OVSDB_RECONNECT_IDLE) {
        set_state(r, OVSDB_RECONNECT_ACTIVE, now);
    }
}

void
ovsdb_client_reconnect_healthy(struct ovsdb_client_reconnect *r)
{
    r->healthy = true;
    r->backoff = 0;
}

void
ovsdb_client_reconnect_force(struct ovsdb_client_reconnect *r, long long now)
{
    ovsdb_client_reconnect_failed(r, now, 0);
}

bool
ovsdb_client_reconnect_is_connected(const struct ovsdb_client_reconnect *r)
{
    return is_connected_state(r->state);
}
