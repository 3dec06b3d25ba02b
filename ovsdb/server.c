#include "ovsdb/server.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>
#include "ds.h"
#include "json.h"
#include "list.h"
#include "poll-loop.h"
#include "shash.h"
#include "stream.h"
#include "vlog.h"
#include "ovsdb/error.h"
#include "ovsdb/execution.h"
#include "ovsdb/file.h"
#include "ovsdb/jsonrpc-stream.h"
#include "ovsdb/monitor.h"
#include "ovsdb/row.h"
#include "ovsdb/server-private.h"
#include "ovsdb/txn.h"

VLOG_DEFINE_THIS_MODULE(ovsdb_server);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(10, 20);

static void session_closed(struct jsonrpc_stream *, int error, void *aux);
static void session_recv(struct jsonrpc_stream *, struct jsonrpc_msg *,
                         void *aux);
static void run_triggers(struct ovsdb_server *, struct server_db *);

/* Databases. */

static struct server_db *
find_db(const struct ovsdb_server *server, const char *name)
{
    return shash_find_data(&server->dbs, name);
}

void
ovsdb_server_add_db(struct ovsdb_server *server, struct ovsdb *db,
                    struct ovsdb_file *file)
{
    struct server_db *sdb = xzalloc(sizeof *sdb);

    sdb->db = db;
    sdb->file = file;
    list_init(&sdb->triggers);
    /* Start the transaction history now, for monitor_cond_since. */
    ovsdb_monitor_hub_get(db);
    shash_add(&server->dbs, db->name, sdb);
    server_db_update_server_table(server);
    VLOG_INFO("serving database %s%s%s", db->name,
              file ? " from " : "", file ? ovsdb_file_get_name(file) : "");
}

static void
server_db_destroy(struct server_db *sdb)
{
    struct trigger *t;

    LIST_FOR_EACH_POP (t, node, &sdb->triggers) {
        trigger_destroy(t);
    }
    ovsdb_destroy(sdb->db);
    free(sdb);
}

/* Remotes (listeners). */

static void
remote_accept(int fd OVS_UNUSED, unsigned int events OVS_UNUSED, void *aux)
{
    struct server_remote *remote = aux;
    struct ovsdb_server *server = remote->server;

    for (int i = 0; i < 64; i++) {
        char *peer = NULL;
        int conn_fd;
        int error = pstream_accept(remote->fd, &conn_fd, &peer);

        if (error == EAGAIN) {
            break;
        } else if (error) {
            VLOG_WARN_RL(&rl, "%s: accept failed (%s)", remote->name,
                         util_strerror(error));
            break;
        }
        struct server_session *s = xzalloc(sizeof *s);
        static const struct jsonrpc_stream_callbacks cbs = {
            session_recv, session_closed,
        };
        s->server = server;
        s->name = peer ? peer : xstrdup(remote->name);
        list_init(&s->monitors);
        s->stream = jsonrpc_stream_create(server->loop, conn_fd, s->name,
                                          &cbs, s);
        jsonrpc_conn_set_max_msg_size(jsonrpc_stream_get_conn(s->stream),
                                      server->max_msg_size);
        list_push_back(&server->sessions, &s->node);
        server->n_sessions_total++;
        VLOG_DBG("%s: new connection", s->name);
    }
}

int
ovsdb_server_add_remote(struct ovsdb_server *server, const char *name,
                        char **errorp)
{
    struct server_remote *remote;
    char *bound = NULL;
    int fd, error;

    *errorp = pstream_verify_name(name);
    if (*errorp) {
        return EINVAL;
    }
    error = pstream_open(name, &fd, &bound);
    if (error) {
        *errorp = xasprintf("%s: listen failed (%s)", name,
                            util_strerror(error));
        return error;
    }
    remote = xzalloc(sizeof *remote);
    remote->server = server;
    remote->name = bound ? bound : xstrdup(name);
    remote->fd = fd;
    remote->watch = poll_loop_watch_fd(server->loop, fd, POLL_READABLE,
                                       remote_accept, remote);
    server->remotes = xrealloc(server->remotes, (server->n_remotes + 1)
                               * sizeof *server->remotes);
    server->remotes[server->n_remotes++] = remote;
    VLOG_INFO("%s: listening", remote->name);
    return 0;
}

/* Sessions. */

void
session_send(struct server_session *s, struct jsonrpc_msg *msg)
{
    s->n_sent++;
    jsonrpc_stream_send(s->stream, msg);
}

/* Replies to request 'id' with a plain-string error, such as "unknown
 * method", as ovsdb-server does for some failures. */
void
session_reply_error(struct server_session *s, const struct json *id,
                    const char *error)
{
    session_send(s, jsonrpc_msg_create_error(json_string_create(error), id));
}

/* Replies to request 'id' with the error object of 'error', as
 * ovsdb-server does for most failures.  Takes ownership of 'error'. */
void
session_reply_ovsdb_error(struct server_session *s, const struct json *id,
                          struct ovsdb_error *error)
{
    session_send(s, jsonrpc_msg_create_error(ovsdb_error_to_json_free(error),
                                             id));
}

static void
session_destroy(struct server_session *s)
{
    struct ovsdb_server *server = s->server;
    struct shash_node *node;

    VLOG_DBG("%s: connection closed", s->name);
    session_cancel_monitors(s);
    SHASH_FOR_EACH (node, &server->dbs) {
        struct server_db *sdb = node->data;
        struct trigger *t;
        LIST_FOR_EACH_SAFE (t, node, &sdb->triggers) {
            if (t->session == s) {
                list_remove(&t->node);
                trigger_destroy(t);
            }
        }
    }
    locks_release_session(server, s);
    list_remove(&s->node);
    jsonrpc_stream_destroy(s->stream);
    free(s->name);
    free(s);
}

static void
session_closed(struct jsonrpc_stream *stream, int error, void *aux)
{
    struct server_session *s = aux;

    if (error && error != ECONNRESET && error != EPIPE) {
        const char *why = jsonrpc_stream_get_error(stream);
        VLOG_WARN_RL(&rl, "%s: connection dropped (%s)", s->name,
                     why ? why : util_strerror(error));
    }
    session_destroy(s);
}

/* Returns the database named by the first parameter of 'msg', or NULL
 * after replying with the error that ovsdb-server gives. */
struct server_db *
session_get_db(struct server_session *s, const struct jsonrpc_msg *msg,
               bool allow_server_db)
{
    const struct json *params = msg->params;
    struct server_db *sdb;
    const char *name;

    if (params->type != JSON_ARRAY || !params->array.n
        || params->array.elems[0]->type != JSON_STRING) {
        session_reply_ovsdb_error(s, msg->id, ovsdb_syntax_error(
                                      params, NULL, "%s request params must "
                                      "begin with <db-name>", msg->method));
        return NULL;
    }
    name = params->array.elems[0]->string;
    sdb = find_db(s->server, name);
    if (!sdb || (!allow_server_db && sdb->db == s->server->server_db)) {
        session_reply_ovsdb_error(s, msg->id, ovsdb_syntax_error(
                                      params, "unknown database", "%s request "
                                      "specifies unknown database %s",
                                      msg->method, name));
        return NULL;
    }
    return sdb;
}

static void
handle_list_dbs(struct server_session *s, struct jsonrpc_msg *msg)
{
    const struct shash_node **nodes = shash_sort(&s->server->dbs);
    struct json *names = json_array_create_empty();

    for (size_t i = 0; i < shash_count(&s->server->dbs); i++) {
        json_array_add(names, json_string_create(nodes[i]->name));
    }
    free(nodes);
    session_send(s, jsonrpc_msg_create_reply(names, msg->id));
}

static void
handle_get_schema(struct server_session *s, struct jsonrpc_msg *msg)
{
    struct server_db *sdb = session_get_db(s, msg, true);
    if (sdb) {
        session_send(s, jsonrpc_msg_create_reply(
                         ovsdb_schema_to_json(sdb->db->schema), msg->id));
    }
}

static void
handle_echo(struct server_session *s, struct jsonrpc_msg *msg)
{
    session_send(s, jsonrpc_msg_create_reply(json_clone(msg->params),
                                             msg->id));
}

static void
handle_set_db_change_aware(struct server_session *s, struct jsonrpc_msg *msg)
{
    const struct json *p = msg->params;
    if (p->type != JSON_ARRAY || p->array.n != 1
        || (p->array.elems[0]->type != JSON_TRUE
            && p->array.elems[0]->type != JSON_FALSE)) {
        session_reply_ovsdb_error(s, msg->id, ovsdb_syntax_error(
                                      p, NULL, "set_db_change_aware: true or "
                                      "false parameter expected"));
        return;
    }
    s->db_change_aware = p->array.elems[0]->type == JSON_TRUE;
    session_send(s, jsonrpc_msg_create_reply(json_object_create(), msg->id));
}

/* Transactions and triggers. */

static bool
session_has_lock(const char *name, void *aux)
{
    struct server_session *s = aux;
    struct server_lock *lock = shash_find_data(&s->server->locks, name);
    return lock && lock->owner == s;
}

/* Runs the transaction of trigger 't'.  Returns true if it completed (and
 * was answered), false if it must keep waiting. */
static bool
trigger_try(struct trigger *t, long long now)
{
    struct server_session *s = t->session;
    struct ovsdb_execute_options options = {
        .read_only = t->sdb->db->read_only
                     || t->sdb->db == s->server->server_db,
        .has_lock = session_has_lock,
        .aux = s,
        .elapsed_msec = now - t->created,
    };
    long long timeout = 0;
    uint64_t before = t->sdb->db->n_commits;
    struct json *result = ovsdb_execute(t->sdb->db, t->params, &options,
                                        &timeout);

    if (!result) {
        t->deadline = timeout == LLONG_MAX ? LLONG_MAX : now + timeout;
        return false;
    }
    if (t->sdb->db->n_commits != before) {
        server_flush_monitors(s->server);
        if (t->sdb->file) {
            ovsdb_file_run(t->sdb->file);
        }
    }
    s->server->n_transactions++;
    session_send(s, jsonrpc_msg_create_reply(result, t->id));
    return true;
}

void
trigger_destroy(struct trigger *t)
{
    json_destroy(t->id);
    json_destroy(t->params);
    free(t);
}

static void
trigger_timer_cb(void *aux)
{
    struct ovsdb_server *server = aux;
    struct shash_node *node;

    server->trigger_timer = 0;
    SHASH_FOR_EACH (node, &server->dbs) {
        run_triggers(server, node->data);
    }
}

static void
schedule_trigger_timer(struct ovsdb_server *server)
{
    long long next = LLONG_MAX, now = time_msec();
    struct shash_node *node;

    SHASH_FOR_EACH (node, &server->dbs) {
        struct server_db *sdb = node->data;
        struct trigger *t;
        LIST_FOR_EACH (t, node, &sdb->triggers) {
            next = MIN(next, t->deadline);
        }
    }
    if (server->trigger_timer) {
        poll_loop_timer_cancel(server->loop, server->trigger_timer);
        server->trigger_timer = 0;
    }
    if (next != LLONG_MAX) {
        server->trigger_timer = poll_loop_timer_add(
            server->loop, next > now ? next - now : 0, trigger_timer_cb,
            server);
    }
}

/* Retries the waiting transactions of 'sdb' (after a commit or when one
 * may have timed out). */
static void
run_triggers(struct ovsdb_server *server, struct server_db *sdb)
{
    bool progress;

    do {
        long long now = time_msec();
        uint64_t before = sdb->db->n_commits;
        struct trigger *t;

        progress = false;
        LIST_FOR_EACH_SAFE (t, node, &sdb->triggers) {
            if (trigger_try(t, now)) {
                list_remove(&t->node);
                trigger_destroy(t);
                if (sdb->db->n_commits != before) {
                    /* The database changed: start over, in order. */
                    progress = true;
                    break;
                }
            }
        }
    } while (progress && !list_is_empty(&sdb->triggers));
    schedule_trigger_timer(server);
}

static void
handle_transact(struct server_session *s, struct jsonrpc_msg *msg)
{
    struct server_db *sdb = session_get_db(s, msg, true);
    struct trigger *t;
    uint64_t before;

    if (!sdb) {
        return;
    }
    t = xzalloc(sizeof *t);
    t->session = s;
    t->sdb = sdb;
    t->id = json_clone(msg->id);
    t->params = json_clone(msg->params);
    t->created = time_msec();
    before = sdb->db->n_commits;
    if (trigger_try(t, t->created)) {
        trigger_destroy(t);
        if (sdb->db->n_commits != before && !list_is_empty(&sdb->triggers)) {
            run_triggers(s->server, sdb);
        }
    } else {
        list_push_back(&sdb->triggers, &t->node);
        schedule_trigger_timer(s->server);
    }
}

static void
handle_cancel(struct server_session *s, struct jsonrpc_msg *msg)
{
    const struct json *p = msg->params;
    struct shash_node *node;

    if (p->type != JSON_ARRAY || p->array.n != 1) {
        return;
    }
    SHASH_FOR_EACH (node, &s->server->dbs) {
        struct server_db *sdb = node->data;
        struct trigger *t;
        LIST_FOR_EACH_SAFE (t, node, &sdb->triggers) {
            if (t->session == s && json_equal(t->id, p->array.elems[0])) {
                session_reply_error(s, t->id, "canceled");
                list_remove(&t->node);
                trigger_destroy(t);
            }
        }
    }
}

/* Dispatch. */

static const struct {
    const char *method;
    void (*handler)(struct server_session *, struct jsonrpc_msg *);
} methods[] = {
    { "transact", handle_transact },
    { "monitor", handle_monitor },
    { "monitor_cond", handle_monitor_cond },
    { "monitor_cond_since", handle_monitor_cond_since },
    { "monitor_cond_change", handle_monitor_cond_change },
    { "monitor_cancel", handle_monitor_cancel },
    { "get_schema", handle_get_schema },
    { "list_dbs", handle_list_dbs },
    { "echo", handle_echo },
    { "lock", handle_lock },
    { "steal", handle_steal },
    { "unlock", handle_unlock },
    { "set_db_change_aware", handle_set_db_change_aware },
};

static void
session_recv(struct jsonrpc_stream *stream OVS_UNUSED,
             struct jsonrpc_msg *msg, void *aux)
{
    struct server_session *s = aux;

    s->n_received++;
    if (msg->type == JSONRPC_REQUEST) {
        size_t i;
        for (i = 0; i < ARRAY_SIZE(methods); i++) {
            if (!strcmp(msg->method, methods[i].method)) {
                methods[i].handler(s, msg);
                break;
            }
        }
        if (i == ARRAY_SIZE(methods)) {
            session_reply_error(s, msg->id, "unknown method");
        }
    } else if (msg->type == JSONRPC_NOTIFY) {
        if (!strcmp(msg->method, "cancel")) {
            handle_cancel(s, msg);
        }
    }
    /* Replies (to our echo requests) need no action. */
    jsonrpc_msg_destroy(msg);
}

/* Life cycle. */

void
ovsdb_server_set_max_msg_size(struct ovsdb_server *server, size_t max)
{
    server->max_msg_size = max;
}

struct ovsdb_server *
ovsdb_server_create(struct poll_loop *loop)
{
    struct ovsdb_server *server = xzalloc(sizeof *server);

    server->loop = loop;
    shash_init(&server->dbs);
    shash_init(&server->locks);
    list_init(&server->sessions);
    server->started = time_wall_msec();
    server_db_create(server);
    return server;
}

void
ovsdb_server_destroy(struct ovsdb_server *server)
{
    struct server_session *s;
    struct shash_node *node;

    if (!server) {
        return;
    }
    LIST_FOR_EACH_SAFE (s, node, &server->sessions) {
        session_destroy(s);
    }
    for (size_t i = 0; i < server->n_remotes; i++) {
        struct server_remote *r = server->remotes[i];
        poll_watch_cancel(r->watch);
        pstream_close(r->fd, r->name);
        free(r->name);
        free(r);
    }
    free(server->remotes);
    if (server->trigger_timer) {
        poll_loop_timer_cancel(server->loop, server->trigger_timer);
    }
    SHASH_FOR_EACH (node, &server->dbs) {
        server_db_destroy(node->data);
    }
    shash_destroy(&server->dbs);
    shash_destroy(&server->locks);
    free(server);
}

bool
ovsdb_server_exiting(const struct ovsdb_server *server)
{
    return server->exiting;
}
