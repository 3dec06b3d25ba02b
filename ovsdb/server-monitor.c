/* The server's monitor methods: monitor, monitor_cond, monitor_cond_since,
 * monitor_cond_change and monitor_cancel, on top of ovsdb/monitor.c, which
 * computes the updates.  Monitors belong to their session. */
#include <string.h>
#include "json.h"
#include "vlog.h"
#include "ovsdb/error.h"
#include "ovsdb/jsonrpc.h"
#include "ovsdb/monitor.h"
#include "ovsdb/row.h"
#include "ovsdb/server-private.h"

struct session_monitor {
    struct list node;               /* In session->monitors. */
    struct ovsdb_monitor *monitor;
};

static struct session_monitor *
find_monitor(const struct server_session *s, const struct json *id)
{
    struct session_monitor *sm;

    LIST_FOR_EACH (sm, node, &s->monitors) {
        if (json_equal(ovsdb_monitor_get_id(sm->monitor), id)) {
            return sm;
        }
    }
    return NULL;
}

static struct ovsdb_error *
duplicate_id(const struct json *id)
{
    return ovsdb_syntax_error(id, NULL, "duplicate monitor ID");
}

static void
flush_monitor(struct server_session *s, struct ovsdb_monitor *m)
{
    struct json *params;

    while ((params = ovsdb_monitor_pop_update(m))) {
        session_send(s, jsonrpc_msg_create_notify(ovsdb_monitor_method(m),
                                                  params));
    }
}

void
server_flush_monitors(struct ovsdb_server *server)
{
    struct server_session *s;

    LIST_FOR_EACH (s, node, &server->sessions) {
        struct session_monitor *sm;
        LIST_FOR_EACH (sm, node, &s->monitors) {
            flush_monitor(s, sm->monitor);
        }
    }
}

static void
create_monitor(struct server_session *s, struct jsonrpc_msg *msg,
               enum ovsdb_monitor_version version)
{
    const struct json *p = msg->params, *last_txn_id = NULL;
    size_t n_params = version == OVSDB_MONITOR_V3 ? 4 : 3;
    struct server_db *sdb;
    struct ovsdb_monitor *m;
    struct ovsdb_error *error;
    struct json *result;

    sdb = session_get_db(s, msg, true);
    if (!sdb) {
        return;
    }
    if (p->array.n < n_params - 1 || p->array.n > n_params) {
        session_reply_ovsdb_error(s, msg->id, ovsdb_syntax_error(
                                      p, NULL, "invalid parameters"));
        return;
    }
    if (find_monitor(s, p->array.elems[1])) {
        session_reply_ovsdb_error(s, msg->id, duplicate_id(p->array.elems[1]));
        return;
    }
    if (version == OVSDB_MONITOR_V3 && p->array.n == 4) {
        last_txn_id = p->array.elems[3];
    }
    /* A monitor created now must not see updates queued before it. */
    server_flush_monitors(s->server);
    m = ovsdb_monitor_create(sdb->db, version, p->array.elems[1],
                             p->array.n > 2 ? p->array.elems[2] : NULL,
                             last_txn_id, &result, &error);
    if (!m) {
        session_reply_ovsdb_error(s, msg->id, error);
        return;
    }
    struct session_monitor *sm = xzalloc(sizeof *sm);
    sm->monitor = m;
    list_push_back(&s->monitors, &sm->node);
    session_send(s, jsonrpc_msg_create_reply(result, msg->id));
}

void
handle_monitor(struct server_session *s, struct jsonrpc_msg *msg)
{
    create_monitor(s, msg, OVSDB_MONITOR_V1);
}

void
handle_monitor_cond(struct server_session *s, struct jsonrpc_msg *msg)
{
    create_monitor(s, msg, OVSDB_MONITOR_V2);
}

void
handle_monitor_cond_since(struct server_session *s, struct jsonrpc_msg *msg)
{
    create_monitor(s, msg, OVSDB_MONITOR_V3);
}

void
handle_monitor_cond_change(struct server_session *s, struct jsonrpc_msg *msg)
{
    const struct json *p = msg->params;
    struct session_monitor *sm;
    struct ovsdb_error *error;

    if (p->type != JSON_ARRAY || p->array.n != 3) {
        session_reply_ovsdb_error(s, msg->id, ovsdb_syntax_error(
                                      p, NULL, "invalid parameters"));
        return;
    }
    sm = find_monitor(s, p->array.elems[0]);
    if (!sm) {
        session_reply_ovsdb_error(s, msg->id, ovsdb_syntax_error(
                                      p->array.elems[0], NULL,
                                      "unknown monitor session"));
        return;
    }
    if (!json_equal(p->array.elems[0], p->array.elems[1])
        && find_monitor(s, p->array.elems[1])) {
        session_reply_ovsdb_error(s, msg->id, duplicate_id(p->array.elems[1]));
        return;
    }
    /* Deliver what is queued under the old id first. */
    flush_monitor(s, sm->monitor);
    error = ovsdb_monitor_cond_change(sm->monitor, p->array.elems[1],
                                      p->array.elems[2]);
    if (error) {
        session_reply_ovsdb_error(s, msg->id, error);
        return;
    }
    flush_monitor(s, sm->monitor);
    session_send(s, jsonrpc_msg_create_reply(json_object_create(), msg->id));
}

void
handle_monitor_cancel(struct server_session *s, struct jsonrpc_msg *msg)
{
    const struct json *p = msg->params;
    struct session_monitor *sm;

    if (p->type != JSON_ARRAY || p->array.n != 1) {
        session_reply_error(s, msg->id, "invalid parameters");
        return;
    }
    sm = find_monitor(s, p->array.elems[0]);
    if (!sm) {
        session_reply_error(s, msg->id, "unknown monitor");
        return;
    }
    list_remove(&sm->node);
    ovsdb_monitor_destroy(sm->monitor);
    free(sm);
    session_send(s, jsonrpc_msg_create_reply(json_object_create(), msg->id));
}

void
session_cancel_monitors(struct server_session *s)
{
    struct session_monitor *sm;

    LIST_FOR_EACH_POP (sm, node, &s->monitors) {
        ovsdb_monitor_destroy(sm->monitor);
        free(sm);
    }
}

size_t
session_count_monitors(const struct server_session *s)
{
    return list_size(&s->monitors);
}
