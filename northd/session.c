/* northd/session: connections, lock, commits and control commands of
 * weft-northd (see session.h). */
#include "northd/session.h"

#include <limits.h>
#include <malloc.h>
#include <string.h>
#include "ds.h"
#include "poll-loop.h"
#include "util.h"
#include "vlog.h"
#include "northd/global.h"
#include "northd/northd.h"
#include "ovsdb/client-io.h"
#include "ovsdb/client-txn.h"
#include "ovsdb/nbrec-idl.h"
#include "ovsdb/sbrec-idl.h"
#include "ovsdb/schema.h"
#include "ovsdb/unixctl.h"

VLOG_DEFINE_THIS_MODULE(northd_session);

#define RETRY_MS 1000

struct session {
    struct poll_loop *loop;
    struct poll_hook *hook;
    struct ovsdb_client *nb, *sb;
    struct ovsdb_client_io *nb_io, *sb_io;

    struct northd northd;

    bool paused;
    bool was_active;            /* Held the lock at the last check. */
    bool force;                 /* Compile even without a change. */
    uint64_t nb_seqno, sb_seqno;    /* Seen by the last compile. */
    uint64_t retry_timer;       /* Pending retry timer id, or 0. */

    struct ovsdb_client_txn *nb_txn, *sb_txn;   /* In flight, or NULL. */
    long long nb_txn_start, sb_txn_start;       /* When they were sent. */
    long long last_sb_commit_ms;    /* Duration of the last SB commit. */
    unsigned long long n_sb_commits, n_nb_commits, n_failures;
};

static void session_hook(void *);

struct session *
session_create(struct poll_loop *loop, const char *nb_remotes,
               const char *sb_remotes, bool paused)
{
    struct session *s = xzalloc(sizeof *s);

    s->loop = loop;
    s->nb = ovsdb_client_create(nb_remotes, &nbrec_idl_class);
    s->sb = ovsdb_client_create(sb_remotes, &sbrec_idl_class);
    /* Tracked changes tell northd_run() what to recompute; cleared after
     * every run. */
    ovsdb_client_set_tracking(s->nb, true);
    ovsdb_client_set_tracking(s->sb, true);
    s->paused = paused;
    if (!paused) {
        ovsdb_client_set_lock(s->sb, SESSION_LOCK_NAME);
    }
    s->nb_io = ovsdb_client_io_create(loop, s->nb);
    s->sb_io = ovsdb_client_io_create(loop, s->sb);
    northd_init(&s->northd);
    s->force = true;
    s->hook = poll_loop_add_hook(loop, session_hook, s);
    if (paused) {
        VLOG_INFO("This weft-northd instance is now paused.");
    }
    return s;
}

void
session_destroy(struct session *s)
{
    if (!s) {
        return;
    }
    poll_hook_remove(s->hook);
    if (s->retry_timer) {
        poll_loop_timer_cancel(s->loop, s->retry_timer);
    }
    ovsdb_client_txn_destroy(s->nb_txn);
    ovsdb_client_txn_destroy(s->sb_txn);
    ovsdb_client_destroy(s->nb);
    ovsdb_client_destroy(s->sb);
    northd_destroy(&s->northd);
    free(s);
}

static void
retry_cb(void *s_)
{
    struct session *s = s_;

    s->retry_timer = 0;
    s->force = true;
}

static void
schedule_retry(struct session *s)
{
    if (!s->retry_timer) {
        s->retry_timer = poll_loop_timer_add(s->loop, RETRY_MS, retry_cb, s);
    }
}

/* Finishes '*txnp' if its outcome is known.  Returns true if no
 * transaction remains in flight. */
static bool
reap_txn(struct session *s, struct ovsdb_client_txn **txnp,
         long long start, const char *db)
{
    enum ovsdb_client_txn_status status;
    long long elapsed;

    if (!*txnp) {
        return true;
    }
    status = ovsdb_client_txn_get_status(*txnp);
    if (status == OVSDB_TXN_INCOMPLETE) {
        return false;
    }
    elapsed = time_msec() - start;
    if (*txnp == s->sb_txn) {
        s->last_sb_commit_ms = elapsed;
        northd_sb_txn_done(&s->northd, *txnp, status == OVSDB_TXN_SUCCESS);
    }
    if (elapsed >= 100) {
        /* A big transaction leaves its request text and the echoed
         * updates' buffers free but mapped: give them back. */
        malloc_trim(0);
    }
    if (elapsed >= 1000) {
        VLOG_INFO("%s transaction took %lld ms (%s)", db, elapsed,
                  ovsdb_client_txn_status_to_string(status));
    } else {
        VLOG_DBG("%s transaction took %lld ms (%s)", db, elapsed,
                 ovsdb_client_txn_status_to_string(status));
    }
    if (status == OVSDB_TXN_ERROR) {
        VLOG_WARN("%s transaction failed: %s", db,
                  ovsdb_client_txn_get_error(*txnp));
        s->n_failures++;
        schedule_retry(s);
    } else if (status == OVSDB_TXN_TRY_AGAIN
               || status == OVSDB_TXN_NOT_LOCKED) {
        VLOG_INFO("%s transaction: %s; will retry", db,
                  ovsdb_client_txn_status_to_string(status));
        s->n_failures++;
        schedule_retry(s);
    }
    ovsdb_client_txn_destroy(*txnp);
    *txnp = NULL;
    return true;
}

static bool
is_active(const struct session *s)
{
    return !s->paused && ovsdb_client_has_lock(s->sb);
}

static void
note_lock_changes(struct session *s)
{
    bool active = is_active(s);

    if (active && !s->was_active) {
        VLOG_INFO("weft-northd lock acquired. This weft-northd instance is "
                  "now active.");
        s->force = true;
    } else if (!active && s->was_active && !s->paused) {
        VLOG_INFO("weft-northd lock lost. This weft-northd instance is now "
                  "on standby.");
    }
    s->was_active = active;
}

/* Commits 'txn' and keeps it if it went out. */
static void
commit(struct session *s, struct ovsdb_client_txn *txn,
       struct ovsdb_client_txn **slot, long long *start,
       struct ovsdb_client_io *io, unsigned long long *n_commits)
{
    enum ovsdb_client_txn_status status;

    *start = time_msec();
    status = ovsdb_client_txn_commit(txn);
    if (status == OVSDB_TXN_INCOMPLETE) {
        *slot = txn;
        (*n_commits)++;
        ovsdb_client_io_run(io);
    } else {
        if (status != OVSDB_TXN_UNCHANGED) {
            schedule_retry(s);
        }
        if (slot == &s->sb_txn) {
            northd_sb_txn_done(&s->northd, NULL,
                               status == OVSDB_TXN_UNCHANGED);
        }
        ovsdb_client_txn_destroy(txn);
    }
}

static void
compile(struct session *s)
{
    struct ovsdb_client_txn *sb_txn = ovsdb_client_txn_create(s->sb);
    struct ovsdb_client_txn *nb_txn = ovsdb_client_txn_create(s->nb);

    bool force = s->force;

    s->force = false;
    northd_run(&s->northd, s->nb, s->sb, nb_txn, sb_txn, force);
    commit(s, sb_txn, &s->sb_txn, &s->sb_txn_start, s->sb_io,
           &s->n_sb_commits);
    /* The sb_cfg acknowledgement reads the SB replica: it is only
     * current when no SB transaction is in flight. */
    if (!s->sb_txn) {
        struct dbdiff diff;
        dbdiff_init(&diff, s->nb, nb_txn);
        global_sync_cfg(&diff, s->sb, time_wall_msec());
        dbdiff_destroy(&diff);
    }
    ovsdb_client_txn_add_comment(nb_txn, "weft-northd");
    commit(s, nb_txn, &s->nb_txn, &s->nb_txn_start, s->nb_io,
           &s->n_nb_commits);
    /* Everything up to here is compiled; the echoes of these
     * transactions are the next batch of changes. */
    ovsdb_client_clear_tracked(s->nb);
    ovsdb_client_clear_tracked(s->sb);
    s->nb_seqno = ovsdb_client_get_seqno(s->nb);
    s->sb_seqno = ovsdb_client_get_seqno(s->sb);
}

static void
session_hook(void *s_)
{
    struct session *s = s_;
    bool idle;

    idle = reap_txn(s, &s->sb_txn, s->sb_txn_start, "southbound");
    idle = reap_txn(s, &s->nb_txn, s->nb_txn_start, "northbound") && idle;
    note_lock_changes(s);
    if (!idle || !is_active(s)
        || !ovsdb_client_is_ready(s->nb) || !ovsdb_client_is_ready(s->sb)) {
        return;
    }
    if (s->force || ovsdb_client_get_seqno(s->nb) != s->nb_seqno
        || ovsdb_client_get_seqno(s->sb) != s->sb_seqno) {
        compile(s);
    }
}

/* Control commands. */

static void
cmd_exit(struct unixctl_conn *conn, int argc OVS_UNUSED,
         const char *argv[] OVS_UNUSED, void *s_)
{
    struct session *s = s_;

    unixctl_reply(conn, "");
    poll_loop_stop(s->loop);
}

static void
cmd_status(struct unixctl_conn *conn, int argc OVS_UNUSED,
           const char *argv[] OVS_UNUSED, void *s_)
{
    struct session *s = s_;
    const char *status = (s->paused ? "paused"
                          : ovsdb_client_has_lock(s->sb) ? "active"
                          : "standby");
    char *text = xasprintf("Status: %s\n", status);

    unixctl_reply(conn, text);
    free(text);
}

static void
cmd_pause(struct unixctl_conn *conn, int argc OVS_UNUSED,
          const char *argv[] OVS_UNUSED, void *s_)
{
    struct session *s = s_;

    if (!s->paused) {
        s->paused = true;
        ovsdb_client_set_lock(s->sb, NULL);
        VLOG_INFO("This weft-northd instance is now paused.");
    }
    unixctl_reply(conn, "");
}

static void
cmd_resume(struct unixctl_conn *conn, int argc OVS_UNUSED,
           const char *argv[] OVS_UNUSED, void *s_)
{
    struct session *s = s_;

    if (s->paused) {
        s->paused = false;
        s->force = true;
        ovsdb_client_set_lock(s->sb, SESSION_LOCK_NAME);
        poll_loop_wake(s->loop);
    }
    unixctl_reply(conn, "");
}

static void
cmd_is_paused(struct unixctl_conn *conn, int argc OVS_UNUSED,
              const char *argv[] OVS_UNUSED, void *s_)
{
    struct session *s = s_;

    unixctl_reply(conn, s->paused ? "true\n" : "false\n");
}

static void
cmd_recompute(struct unixctl_conn *conn, int argc OVS_UNUSED,
              const char *argv[] OVS_UNUSED, void *s_)
{
    struct session *s = s_;

    s->force = true;
    poll_loop_wake(s->loop);
    unixctl_reply(conn, "");
}

static void
cmd_stats_clear(struct unixctl_conn *conn, int argc OVS_UNUSED,
                const char *argv[] OVS_UNUSED, void *s_)
{
    struct session *s = s_;

    northd_stats_clear(&s->northd);
    unixctl_reply(conn, "");
}

static void
cmd_stats(struct unixctl_conn *conn, int argc OVS_UNUSED,
          const char *argv[] OVS_UNUSED, void *s_)
{
    struct session *s = s_;
    struct ds out = DS_EMPTY_INITIALIZER;

    northd_stats_format(&s->northd, s->sb, &out);
    ds_put_format(&out, "transactions: southbound %llu, northbound %llu, "
                  "failed %llu\n", s->n_sb_commits, s->n_nb_commits,
                  s->n_failures);
    ds_put_format(&out, "last southbound commit: %lld ms (sent to "
                  "acknowledged)\n", s->last_sb_commit_ms);
    unixctl_reply(conn, ds_cstr(&out));
    ds_destroy(&out);
}

/* Rows x columns of a replica, as ovn-northd's idl-cells. */
static unsigned long long
count_cells(const struct ovsdb_client *c)
{
    unsigned long long n = 0;

    for (size_t i = 0; i < ovsdb_client_get_n_tables(c); i++) {
        const struct ovsdb_client_table *t
            = ovsdb_client_get_table_by_index(c, i);
        size_t n_cols = 0;
        for (size_t j = 0; t->schema && j < t->schema->n_columns; j++) {
            n_cols += t->present[j];
        }
        n += (unsigned long long) ovsdb_client_table_count(t) * n_cols;
    }
    return n;
}

static void
cmd_memory(struct unixctl_conn *conn, int argc OVS_UNUSED,
           const char *argv[] OVS_UNUSED, void *s_)
{
    struct session *s = s_;
    const struct northd_stats *st = &s->northd.stats;
    char *text = xasprintf("datapaths:%zu idl-cells-OVN_Northbound:%llu "
                           "idl-cells-OVN_Southbound:%llu lflows:%zu "
                           "ports:%zu\n", st->n_datapaths,
                           count_cells(s->nb), count_cells(s->sb),
                           st->n_lflows, st->n_ports);
    unixctl_reply(conn, text);
    free(text);
}

static void
reply_connection(struct unixctl_conn *conn, const struct ovsdb_client *c)
{
    unixctl_reply(conn, ovsdb_client_is_connected(c) ? "connected\n"
                                                     : "not connected\n");
}

static void
cmd_nb_status(struct unixctl_conn *conn, int argc OVS_UNUSED,
              const char *argv[] OVS_UNUSED, void *s_)
{
    reply_connection(conn, ((struct session *) s_)->nb);
}

static void
cmd_sb_status(struct unixctl_conn *conn, int argc OVS_UNUSED,
              const char *argv[] OVS_UNUSED, void *s_)
{
    reply_connection(conn, ((struct session *) s_)->sb);
}

void
session_register_commands(struct session *s, struct unixctl_server *server)
{
    static const struct {
        const char *name;
        unixctl_cb_func *cb;
    } cmds[] = {
        {"exit", cmd_exit},
        {"status", cmd_status},
        {"pause", cmd_pause},
        {"resume", cmd_resume},
        {"is-paused", cmd_is_paused},
        {"inc-engine/recompute", cmd_recompute},
        {"northd/stats", cmd_stats},
        {"northd/stats-clear", cmd_stats_clear},
        {"memory/show", cmd_memory},
        {"nb-connection-status", cmd_nb_status},
        {"sb-connection-status", cmd_sb_status},
    };

    for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
        unixctl_command_register(server, cmds[i].name, "", 0, 0, cmds[i].cb,
                                 s);
    }
}
