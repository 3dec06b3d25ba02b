/* northd/session: weft-northd's life with its two databases.
 *
 * A session connects to the northbound and southbound databases (each a
 * comma-separated list of remotes; the OVSDB client reconnects and
 * follows cluster leaders), keeps a replica of both, and whenever either
 * changes runs northd_run() and commits the resulting transactions: the
 * SB one (the compiled state) and an NB one (the columns northd owns and
 * the nb_cfg acknowledgements, global.h).  At most one transaction per
 * database is in flight; changes that arrive meanwhile are compiled once
 * it completes.  A failed transaction is retried on the next change, or
 * after a second.
 *
 * Active/standby.  As ovn-northd does, every instance asks for the SB
 * lock "ovn_northd"; only the holder compiles and writes ("Status:
 * active"), the others wait ("Status: standby") and take over when the
 * holder goes away.  A paused instance ("pause" command, or --dry-run at
 * start) gives the lock up and writes nothing until "resume".
 *
 * Control commands (session_register_commands(), answered on the unixctl
 * socket): exit, status, pause, resume, is-paused, inc-engine/recompute
 * (the next run is a full one), northd/stats (runs by kind: full,
 * incremental, skipped; the last and the longest run), northd/stats-clear
 * (forgets the longest, as ovn-northd's stopwatch/reset), memory/show,
 * nb-connection-status, sb-connection-status (ovn-northd's names and
 * answers where it has the command).
 *
 * Change tracking is on for both replicas: northd_run() reads the
 * changes since the last run to choose its path (northd.h), and the
 * session clears them once the run's transactions are committed.
 *
 * The session runs in a poll_loop hook: it does its work at the end of
 * every loop iteration in which something happened.  Not thread-safe. */
#ifndef WEFT_NORTHD_SESSION_H
#define WEFT_NORTHD_SESSION_H 1

#include <stdbool.h>

struct poll_loop;
struct session;
struct unixctl_server;

#define SESSION_LOCK_NAME "ovn_northd"

/* Starts connecting to 'nb_remotes' and 'sb_remotes'.  With 'paused',
 * starts paused. */
struct session *session_create(struct poll_loop *, const char *nb_remotes,
                               const char *sb_remotes, bool paused);
void session_destroy(struct session *);
void session_register_commands(struct session *, struct unixctl_server *);

#endif
