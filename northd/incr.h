/* northd/incr: the incremental paths of northd_run() (see northd.h for
 * the design).  Private to northd.c.
 *
 *     incr_classify()    what the replicas' tracked changes call for:
 *                        nothing (SKIP), the incremental port path
 *                        (INCR) or a full recompute (FULL)
 *     incr_run()         the incremental port path; returns false (having
 *                        written nothing) when it finds it must fall back
 *                        to a full recompute
 *     incr_note_full()   after a full compute: the facts the classifier
 *                        needs (ports in port groups, names other rows
 *                        refer to)
 *     incr_adopt()       after our SB transaction succeeded: points the
 *                        compiled state at the rows the server created
 *                        for the ones it inserted
 *
 * Not thread-safe. */
#ifndef WEFT_NORTHD_INCR_H
#define WEFT_NORTHD_INCR_H 1

#include <stdbool.h>

struct northd;
struct dbdiff;
struct ovsdb_client;
struct ovsdb_client_txn;

enum northd_run_kind incr_classify(struct northd *,
                                   const struct ovsdb_client *nb,
                                   const struct ovsdb_client *sb);
bool incr_run(struct northd *, struct dbdiff *sb_diff,
              struct dbdiff *nb_diff);
void incr_note_full(struct northd *);
void incr_forget(struct northd *);
bool incr_adopt(struct northd *, const struct ovsdb_client_txn *);

#endif
