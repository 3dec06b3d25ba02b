/* ovsdb/monitor: the server side of OVSDB monitors (RFC 7047 §4.1.5-4.1.6
 * and the ovsdb-server(7) extensions monitor_cond, monitor_cond_change and
 * monitor_cond_since), sans-IO.
 *
 * A monitor turns committed transactions into the JSON params of "update",
 * "update2" or "update3" notifications; the JSON-RPC server sends them.
 *
 *     struct json *result;
 *     struct ovsdb_error *error;
 *     struct ovsdb_monitor *m = ovsdb_monitor_create(
 *         db, OVSDB_MONITOR_V2, id, requests, NULL, &result, &error);
 *     ...reply with 'result'...
 *     ...after each transaction, before its "transact" reply:...
 *     struct json *params;
 *     while ((params = ovsdb_monitor_pop_update(m))) {
 *         ...send notification ovsdb_monitor_method(m) with 'params'...
 *     }
 *     ovsdb_monitor_destroy(m);            // monitor_cancel, session end
 *
 * How it works.  Each database has one monitor hub, an observer created
 * on first use.  Its commit callback copies the transaction's row changes
 * into a record but does not deliver it yet: a later observer may still
 * abort the commit.  Every entry point of this module first settles that
 * record: if the database counted the commit, the record is turned into
 * one pending update per interested monitor and appended to the
 * transaction history; otherwise it is dropped.  Pending updates are
 * queued per monitor, one per transaction, in commit order.
 *
 * Monitors whose requests have the same tables, columns and "select"
 * flags (ignoring "where") and the same row format (v1, or v2/v3) share
 * a shape.  The update JSON of one transaction is built once per shape
 * and shared (json_clone) by every unconditional monitor of that shape;
 * conditional monitors share per-row JSON and only evaluate conditions.
 *
 * The history holds the last 'max_history' committed transactions (100 by
 * default) for monitor_cond_since, but never more row changes than the
 * database has rows (or 1,000), beyond which a full resync is cheaper
 * than replaying.  It starts when the hub is created, so
 * a server that wants it from the start calls ovsdb_monitor_hub_get() when
 * it opens the database.
 *
 * Semantics worth knowing:
 *   - Without "columns", a table's columns are all but _uuid and _version.
 *     A request naming _version gets it, and a modify always changes it.
 *   - A row update is sent for a modify only if a monitored column whose
 *     "select" includes "modify" changed.
 *   - "where" selects rows matching ANY of its clauses (as ovsdb-server
 *     does); absent or empty means every row.  Several requests for one
 *     table OR their conditions; a request without "where" selects all.
 *   - update2 "initial"/"insert" rows omit default values; "delete" is
 *     null; "modify" holds per-column differences (ovsdb-server(7)).
 *
 * Ownership: the monitor copies what it keeps of its arguments.  Returned
 * JSON belongs to the caller, but parts of it may be shared with other
 * monitors' updates (json_clone), so the caller must not modify it.  In
 * updates, each <row-update> is already serialized (JSON_SERIALIZED).
 * Monitors belong to the caller (the server keeps them per session); the
 * hub belongs to the database and is destroyed with it, which orphans the
 * remaining monitors: they then produce nothing and still must be
 * destroyed.  Not thread-safe. */
#ifndef WEFT_OVSDB_MONITOR_H
#define WEFT_OVSDB_MONITOR_H 1

#include <stdbool.h>
#include <stddef.h>
#include "util.h"

struct json;
struct ovsdb;
struct ovsdb_error;
struct ovsdb_monitor;
struct ovsdb_monitor_hub;

enum ovsdb_monitor_version {
    OVSDB_MONITOR_V1,           /* "monitor": <table-updates>, "update". */
    OVSDB_MONITOR_V2,           /* "monitor_cond": "update2". */
    OVSDB_MONITOR_V3,           /* "monitor_cond_since": "update3". */
};

#define OVSDB_MONITOR_DEFAULT_HISTORY 100

/* Monitor hubs (one per database). */

/* Returns the hub of 'db', creating and registering it if needed. */
struct ovsdb_monitor_hub *ovsdb_monitor_hub_get(struct ovsdb *);
/* Keeps at most 'n' transactions for monitor_cond_since (0 disables). */
void ovsdb_monitor_hub_set_max_history(struct ovsdb_monitor_hub *, size_t n);

struct ovsdb_monitor_hub_stats {
    size_t n_monitors;          /* Monitors on the database. */
    size_t n_shapes;            /* Distinct request shapes among them. */
    size_t n_history;           /* Transactions in the history. */
    size_t n_history_rows;      /* Row changes those transactions hold. */
    size_t max_history;         /* Limit on 'n_history'. */
    size_t n_pending;           /* Updates queued, not yet popped. */
};

void ovsdb_monitor_hub_get_stats(const struct ovsdb_monitor_hub *,
                                 struct ovsdb_monitor_hub_stats *);

/* Monitors. */

/* Creates a monitor on 'db' with id 'monitor_id' for 'monitor_requests'
 * (the <monitor-requests> or <monitor-cond-requests> object of the
 * request's params).  On success stores the reply's result in '*resultp'
 * and returns the monitor; on error stores an owned error in '*errorp'
 * and returns NULL.
 *
 * The result is <table-updates> for V1, <table-updates2> for V2 and, for
 * V3, [found, last-txn-id, <table-updates2>]: 'last_txn_id' is the JSON
 * string of monitor_cond_since's <last-txn-id> (NULL counts as unknown);
 * if the history still holds it, the updates are the changes since, else
 * the current contents.
 *
 * The caller checks that 'monitor_id' is unique within the session. */
struct ovsdb_monitor *ovsdb_monitor_create(struct ovsdb *,
                                           enum ovsdb_monitor_version,
                                           const struct json *monitor_id,
                                           const struct json *requests,
                                           const struct json *last_txn_id,
                                           struct json **resultp,
                                           struct ovsdb_error **errorp);
void ovsdb_monitor_destroy(struct ovsdb_monitor *);

/* Returns the params of the oldest pending notification, to be sent with
 * method ovsdb_monitor_method(), or NULL if there is none.  The caller
 * owns the result: [id, <table-updates>] for V1, [id, <table-updates2>]
 * for V2, [id, last-txn-id, <table-updates2>] for V3. */
struct json *ovsdb_monitor_pop_update(struct ovsdb_monitor *);
/* Number of pending notifications. */
size_t ovsdb_monitor_n_pending(struct ovsdb_monitor *);

/* monitor_cond_change: applies the "where" of 'requests' (a
 * <monitor-cond-update-requests> object) to the tables it names and, if
 * 'new_id' is nonnull, gives the monitor that id.  Tables not named keep
 * their condition; a request without "where" selects every row; changing
 * "columns" is refused, as by ovsdb-server.  Nothing changes on error.
 *
 * On success, rows that now match and did not ("insert", if selected) and
 * rows that matched and no longer do ("delete", if selected) are queued
 * as one notification under the new id.  The server drains
 * ovsdb_monitor_pop_update() before sending the {} reply, which gives the
 * order ovsdb-server(7) promises.  V1 monitors refuse condition changes.
 * The caller checks that 'new_id' is unique within the session. */
struct ovsdb_error *ovsdb_monitor_cond_change(struct ovsdb_monitor *,
                                              const struct json *new_id,
                                              const struct json *requests)
    WARN_UNUSED;

const struct json *ovsdb_monitor_get_id(const struct ovsdb_monitor *);
enum ovsdb_monitor_version ovsdb_monitor_get_version(
    const struct ovsdb_monitor *);
/* Returns the database, or NULL once it has been destroyed. */
struct ovsdb *ovsdb_monitor_get_db(const struct ovsdb_monitor *);
/* "update", "update2" or "update3". */
const char *ovsdb_monitor_method(const struct ovsdb_monitor *);

#endif
