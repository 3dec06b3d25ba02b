/* ovsdb/client: the OVSDB client session (see ovsdb/client.h).
 *
 * Session states, one pass per connection:
 *
 *     state                    sent on entry                 next
 *     -----------------------  ----------------------------  --------------
 *     IDLE                     (not connected)               SERVER_SCHEMA
 *     SERVER_SCHEMA_REQUESTED  get_schema ["_Server"]        SERVER_MONITOR,
 *                                                            or DATA_SCHEMA
 *                                                            on error
 *     SERVER_MONITOR_REQUESTED monitor_cond _Server/Database DATA_SCHEMA, or
 *                              + set_db_change_aware         reconnect if the
 *                                                            member is unfit
 *     DATA_SCHEMA_REQUESTED    get_schema [db]               DATA_MONITOR
 *     DATA_MONITOR_REQUESTED   monitor_cond_since, or        MONITORING
 *                              monitor_cond / monitor after
 *                              "unknown method"
 *     MONITORING               lock, monitor_cond_change,    (until the
 *                              transact                      connection ends)
 *
 * Request ids are integers from a per-client counter; a table of pending
 * requests maps each id to what it was for.  Everything pending dies with
 * the connection: transactions in flight end with "try again", because
 * their outcome is unknown and the caller will re-check the replica. */
#include "ovsdb/client-private.h"

#include <errno.h>
#include <string.h>
#include "hash.h"
#include "json.h"
#include "vlog.h"
#include "ovsdb/error.h"
#include "ovsdb/jsonrpc.h"
#include "ovsdb/schema.h"

VLOG_DEFINE_THIS_MODULE(ovsdb_client);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 10);

enum client_state {
    CS_IDLE,
    CS_SERVER_SCHEMA_REQUESTED,
    CS_SERVER_MONITOR_REQUESTED,
    CS_DATA_SCHEMA_REQUESTED,
    CS_DATA_MONITOR_REQUESTED,
    CS_MONITORING,
};

enum monitor_method {
    MM_COND_SINCE,              /* monitor_cond_since, update3. */
    MM_COND,                    /* monitor_cond, update2. */
    MM_PLAIN,                   /* monitor, update. */
};

static const char *const method_names[] = {
    [MM_COND_SINCE] = "monitor_cond_since",
    [MM_COND] = "monitor_cond",
    [MM_PLAIN] = "monitor",
};

enum request_kind {
    RQ_SERVER_SCHEMA,
    RQ_SERVER_MONITOR,
    RQ_DB_CHANGE_AWARE,
    RQ_DATA_SCHEMA,
    RQ_DATA_MONITOR,
    RQ_COND_CHANGE,
    RQ_TRANSACT,
    RQ_LOCK,
    RQ_UNLOCK,
    RQ_ECHO,
};

/* A request awaiting its reply. */
struct pending {
    struct hmap_node node;      /* In client->pending, by hash of 'id'. */
    long long id;
    enum request_kind kind;
    struct ovsdb_client_txn *txn;   /* RQ_TRANSACT. */
    unsigned int cond_seqno;    /* Condition seqno the request carries. */
};

struct ovsdb_client {
    struct ovsdb_client_reconnect rc;
    bool has_remotes;           /* Does 'rc' drive connections? */
    long long now;              /* Latest time the owner told us. */
    enum client_state state;
    bool connected;
    bool want_disconnect;       /* Drop the connection at the next run. */
    bool want_restart;          /* ...and reconnect at once, no backoff. */
    bool ever_ready;

    /* Outgoing messages, oldest first: 'out[out_head .. n_out - 1]'. */
    struct jsonrpc_msg **out;
    size_t out_head, n_out, out_allocated;

    struct hmap pending;        /* struct pending, by id. */
    long long next_id;

    struct ovsdb_client_db server;  /* "_Server". */
    struct ovsdb_client_db data;    /* The monitored database. */
    bool leader_only;
    enum monitor_method method;     /* Method to try (or in use). */
    struct uuid last_txn_id;        /* From update3; zero if unknown. */
    struct shash monitor_spec;  /* Table -> struct shash of columns, or
                                 * NULL for all columns.  Empty: all. */

    /* Conditions: the caller's latest condition set has seqno
     * 'cond_next_seqno'; the server has applied 'cond_seqno'. */
    unsigned int cond_seqno;
    unsigned int cond_next_seqno;
    bool cond_inflight;         /* monitor_cond_change awaiting reply. */

    char *lock_name;            /* Lock to hold, or NULL. */
    bool has_lock;
    bool lock_contended;

    uint64_t seqno;
    struct ovsdb_client_stats stats;
    char *last_error;
    int last_errno;             /* errno of the last connection failure. */
    const struct ovsdb_client_callbacks *cbs;
    void *cb_aux;
    struct ovsdb_client_txn *building_txn;

    void *io;                   /* IO adapter attachment. */
    void (*io_destroy)(void *);
};

static void session_reset(struct ovsdb_client *);
static void send_server_schema_request(struct ovsdb_client *);
static void send_data_schema_request(struct ovsdb_client *);
static void send_monitor_request(struct ovsdb_client *);
static void send_cond_change(struct ovsdb_client *);
static void send_lock(struct ovsdb_client *, const char *method);
static void apply_monitor_spec(struct ovsdb_client *);

/* Errors and messages. */

static void
set_error(struct ovsdb_client *client, const char *format, ...)
    PRINTF_FORMAT(2, 3);

static void
set_error(struct ovsdb_client *client, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    free(client->last_error);
    client->last_error = xvasprintf(format, args);
    va_end(args);
    VLOG_WARN_RL(&rl, "%s: %s", client->data.name, client->last_error);
}

/* The remote in use, for messages. */
static const char *
remote_name(const struct ovsdb_client *client)
{
    const char *remote = ovsdb_client_get_remote(client);
    return remote ? remote : "server";
}

/* Describes a JSON-RPC "error" value: a string ("unknown method") or an
 * RFC 7047 error object ({"error": tag, "details": text}). */
static char *
error_to_string(const struct json *error)
{
    if (error->type == JSON_STRING) {
        return xstrdup(error->string);
    } else if (error->type == JSON_OBJECT) {
        const struct json *tag = json_object_get(error, "error");
        const struct json *details = json_object_get(error, "details");
        if (tag && tag->type == JSON_STRING) {
            return details && details->type == JSON_STRING
                       ? xasprintf("%s: %s", tag->string, details->string)
                       : xstrdup(tag->string);
        }
    }
    return json_to_string(error, JSSF_SORT);
}

static bool
is_unknown_method(const struct json *error)
{
    const struct json *tag = error->type == JSON_OBJECT
                                 ? json_object_get(error, "error") : error;
    return tag && tag->type == JSON_STRING
           && !strcmp(tag->string, "unknown method");
}

static void
queue_msg(struct ovsdb_client *client, struct jsonrpc_msg *msg)
{
    if (client->out_head && client->out_head == client->n_out) {
        client->out_head = client->n_out = 0;
    }
    if (client->n_out >= client->out_allocated) {
        client->out = x2nrealloc(client->out, &client->out_allocated,
                                 sizeof *client->out);
    }
    client->out[client->n_out++] = msg;
}

static struct pending *
send_request(struct ovsdb_client *client, const char *method,
             struct json *params, enum request_kind kind)
{
    struct pending *p = xzalloc(sizeof *p);

    p->id = client->next_id++;
    p->kind = kind;
    hmap_insert(&client->pending, &p->node, hash_uint64(p->id, 0));
    queue_msg(client, jsonrpc_msg_create_request(
                          method, params, json_integer_create(p->id)));
    return p;
}

static struct pending *
find_pending(const struct ovsdb_client *client, const struct json *id)
{
    struct pending *p;

    if (!id || id->type != JSON_INTEGER) {
        return NULL;
    }
    HMAP_FOR_EACH_WITH_HASH (p, node, hash_uint64(id->integer, 0),
                             &client->pending) {
        if (p->id == id->integer) {
            return p;
        }
    }
    return NULL;
}

/* Ends the current batch of updates: if the replica changed, bumps the
 * sequence number and tells the owner. */
static void
finish_batch(struct ovsdb_client *client, struct ovsdb_client_db *db)
{
    if (db->changed) {
        db->changed = false;
        client->seqno++;
        if (db == &client->data && client->cbs && client->cbs->changed) {
            client->cbs->changed(client->cb_aux);
        }
    }
}

/* Lifecycle. */

static struct ovsdb_client *
client_create__(const char *remotes, const char *db_name)
{
    struct ovsdb_client *client = xzalloc(sizeof *client);

    ovsdb_client_reconnect_init(&client->rc, 0);
    client->has_remotes = remotes && *remotes;
    if (client->has_remotes) {
        ovsdb_client_reconnect_set_remotes(&client->rc, remotes, 0);
    }
    hmap_init(&client->pending);
    client_db_init(&client->server, client, "_Server", "_Server");
    client->server.tracking = false;
    client_db_init(&client->data, client, db_name, db_name);
    shash_init(&client->monitor_spec);
    client->method = MM_COND_SINCE;
    return client;
}

struct ovsdb_client *
ovsdb_client_create(const char *remotes,
                    const struct ovsdb_client_class *class_)
{
    struct ovsdb_client *client = client_create__(remotes, class_->database);
    struct ovsdb_schema *schema;
    struct json *json;
    char *msg = NULL;

    json = json_from_string(class_->schema_json, &msg);
    if (!json) {
        util_abort("embedded %s schema: %s", class_->database, msg);
    }
    struct ovsdb_error *error = ovsdb_schema_from_json(json, &schema);
    json_destroy(json);
    if (error) {
        util_abort("embedded %s schema: %s", class_->database,
                   ovsdb_error_to_string_free(error));
    }
    client->data.schema_is_fixed = true;
    client_db_set_schema(&client->data, schema, class_);
    return client;
}

struct ovsdb_client *
ovsdb_client_create_generic(const char *remotes, const char *db_name,
                            struct ovsdb_schema *schema)
{
    struct ovsdb_client *client = client_create__(remotes, db_name);

    if (schema) {
        client->data.schema_is_fixed = true;
        client_db_set_schema(&client->data, schema, NULL);
    }
    return client;
}

static void
free_monitor_spec(struct shash *spec)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, spec) {
        if (node->data) {
            shash_destroy(node->data);
            free(node->data);
        }
    }
    shash_clear(spec);
}

void
ovsdb_client_destroy(struct ovsdb_client *client)
{
    if (!client) {
        return;
    }
    ASSERT(!client->building_txn);
    if (client->io_destroy) {
        client->io_destroy(client->io);
    }
    client->cbs = NULL;         /* Pending transactions end silently. */
    session_reset(client);
    free(client->out);
    hmap_destroy(&client->pending);
    client_db_destroy(&client->server);
    client_db_destroy(&client->data);
    free_monitor_spec(&client->monitor_spec);
    shash_destroy(&client->monitor_spec);
    ovsdb_client_reconnect_destroy(&client->rc);
    free(client->lock_name);
    free(client->last_error);
    free(client);
}

/* Settings. */

void
ovsdb_client_set_remotes(struct ovsdb_client *client, const char *remotes)
{
    bool drop = ovsdb_client_reconnect_set_remotes(&client->rc, remotes,
                                                   client->now);
    client->has_remotes = client->rc.n_remotes > 0;
    if (drop) {
        /* Connected to a remote that is no longer listed: not a failure,
         * so connect to the new list at once. */
        client->want_disconnect = client->want_restart = true;
    }
}

void
ovsdb_client_set_leader_only(struct ovsdb_client *client, bool leader_only)
{
    client->leader_only = leader_only;
}

void
ovsdb_client_set_probe_interval(struct ovsdb_client *client, int msec)
{
    ovsdb_client_reconnect_set_probe_interval(&client->rc, msec);
}

void
ovsdb_client_set_backoff(struct ovsdb_client *client, int min_ms, int max_ms)
{
    ovsdb_client_reconnect_set_backoff(&client->rc, min_ms, max_ms);
}

void
ovsdb_client_set_tracking(struct ovsdb_client *client, bool tracking)
{
    if (!tracking) {
        client_db_clear_tracked(&client->data);
    }
    client->data.tracking = tracking;
}

void
ovsdb_client_set_callbacks(struct ovsdb_client *client,
                           const struct ovsdb_client_callbacks *cbs,
                           void *aux)
{
    client->cbs = cbs;
    client->cb_aux = aux;
}

/* Monitoring selection. */

void
ovsdb_client_monitor_table(struct ovsdb_client *client, const char *table)
{
    struct shash_node *node = shash_find(&client->monitor_spec, table);

    if (!node) {
        shash_add(&client->monitor_spec, table, NULL);
    } else if (node->data) {
        shash_destroy(node->data);
        free(node->data);
        node->data = NULL;
    }
    apply_monitor_spec(client);
}

void
ovsdb_client_monitor_column(struct ovsdb_client *client, const char *table,
                            const char *column)
{
    struct shash_node *node = shash_find(&client->monitor_spec, table);

    if (!node) {
        struct shash *columns = xmalloc(sizeof *columns);
        shash_init(columns);
        node = shash_add(&client->monitor_spec, table, columns);
    }
    if (node->data && column) {
        shash_add_once(node->data, column, NULL);
    }
    apply_monitor_spec(client);
}

/* Sets each table's 'monitored' flags from the caller's selection. */
static void
apply_monitor_spec(struct ovsdb_client *client)
{
    struct ovsdb_client_db *db = &client->data;
    bool all = shash_is_empty(&client->monitor_spec);

    for (size_t i = 0; i < db->n_tables; i++) {
        struct ovsdb_client_table *table = db->tables[i];
        struct shash_node *node = shash_find(&client->monitor_spec,
                                             table->schema->name);
        const struct shash *columns = node ? node->data : NULL;

        table->selected = all || node;
        for (size_t j = OVSDB_N_STD_COLUMNS; j < table->schema->n_columns;
             j++) {
            const char *name = table->schema->columns[j]->name;
            table->monitored[j] = all || (node && (!columns
                                                   || shash_find(columns,
                                                                 name)));
            table->present[j] = table->monitored[j];
        }
    }
}

/* Conditions. */

unsigned int
ovsdb_client_set_condition(struct ovsdb_client *client, const char *name,
                           const struct json *clauses)
{
    struct ovsdb_client_table *table = ovsdb_client_get_table(client, name);

    if (!table) {
        VLOG_WARN("%s: cannot set condition on unknown table %s",
                  client->data.name, name);
        return client->cond_next_seqno;
    }
    if (clauses && clauses->type == JSON_ARRAY && !clauses->array.n) {
        clauses = NULL;         /* [] means "all rows", like no clause. */
    }
    if (table->condition == clauses
        || (table->condition && clauses
            && json_equal(table->condition, clauses))) {
        return client->cond_next_seqno;
    }
    json_destroy(table->condition);
    table->condition = clauses ? json_clone(clauses) : NULL;
    client->cond_next_seqno++;

    if (client->state != CS_MONITORING) {
        /* The next monitor request carries the new conditions.  Resuming
         * from the last transaction would miss rows that only the new
         * conditions select, so fetch everything. */
        uuid_zero(&client->last_txn_id);
    } else if (client->method == MM_PLAIN) {
        /* "monitor" has no conditions: every row is replicated, which
         * satisfies any condition. */
        client->cond_seqno = client->cond_next_seqno;
    } else if (!client->cond_inflight) {
        send_cond_change(client);
    }
    return client->cond_next_seqno;
}

unsigned int
ovsdb_client_get_cond_seqno(const struct ovsdb_client *client)
{
    return client->cond_seqno;
}

static void
send_cond_change(struct ovsdb_client *client)
{
    struct ovsdb_client_db *db = &client->data;
    struct json *requests = json_object_create();

    for (size_t i = 0; i < db->n_tables; i++) {
        const struct ovsdb_client_table *table = db->tables[i];
        if (table->in_server_schema) {
            struct json *req = json_object_create();
            json_object_put(req, "where",
                            table->condition
                                ? json_clone(table->condition)
                                : json_array_create_empty());
            json_object_put(requests, table->schema->name,
                            json_array_create_1(req));
        }
    }
    struct json *params = json_array_create_3(json_clone(db->monitor_id),
                                              json_clone(db->monitor_id),
                                              requests);
    struct pending *p = send_request(client, "monitor_cond_change", params,
                                     RQ_COND_CHANGE);
    p->cond_seqno = client->cond_next_seqno;
    client->cond_inflight = true;
}

/* Locks. */

void
ovsdb_client_set_lock(struct ovsdb_client *client, const char *lock_name)
{
    if ((!lock_name && !client->lock_name)
        || (lock_name && client->lock_name
            && !strcmp(lock_name, client->lock_name))) {
        return;
    }
    if (client->lock_name && client->state == CS_MONITORING) {
        send_lock(client, "unlock");
    }
    free(client->lock_name);
    client->lock_name = lock_name ? xstrdup(lock_name) : NULL;
    client->has_lock = client->lock_contended = false;
    if (client->lock_name && client->state == CS_MONITORING) {
        send_lock(client, "lock");
    }
}

static void
send_lock(struct ovsdb_client *client, const char *method)
{
    send_request(client, method,
                 json_array_create_1(json_string_create(client->lock_name)),
                 !strcmp(method, "lock") ? RQ_LOCK : RQ_UNLOCK);
}

bool
ovsdb_client_has_lock(const struct ovsdb_client *client)
{
    return client->has_lock;
}

bool
ovsdb_client_is_lock_contended(const struct ovsdb_client *client)
{
    return client->lock_contended;
}

const char *
client_get_lock_name(const struct ovsdb_client *client)
{
    return client->lock_name;
}

/* Driving. */

enum ovsdb_client_action
ovsdb_client_run(struct ovsdb_client *client, long long now)
{
    client->now = now;
    if (client->want_disconnect) {
        bool restart = client->want_restart;
        client->want_disconnect = client->want_restart = false;
        if (client->connected || client->rc.state
                                     == OVSDB_RECONNECT_CONNECTING) {
            if (restart) {
                ovsdb_client_reconnect_restart(&client->rc, now);
            } else {
                ovsdb_client_reconnect_failed(&client->rc, now, 0);
            }
            session_reset(client);
            return OVSDB_CLIENT_DISCONNECT;
        }
    }
    if (!client->has_remotes) {
        return OVSDB_CLIENT_NONE;
    }
    switch (ovsdb_client_reconnect_run(&client->rc, now)) {
    case OVSDB_RECONNECT_CONNECT:
        return OVSDB_CLIENT_CONNECT;
    case OVSDB_RECONNECT_DISCONNECT:
        if (client->connected) {
            set_error(client, "%s: no response to inactivity probe",
                      remote_name(client));
        } else {
            set_error(client, "%s: connection attempt timed out",
                      remote_name(client));
        }
        session_reset(client);
        return OVSDB_CLIENT_DISCONNECT;
    case OVSDB_RECONNECT_PROBE:
        send_request(client, "echo", json_array_create_empty(), RQ_ECHO);
        return OVSDB_CLIENT_NONE;
    case OVSDB_RECONNECT_NONE:
    default:
        return OVSDB_CLIENT_NONE;
    }
}

long long
ovsdb_client_get_wakeup(const struct ovsdb_client *client)
{
    if (client->want_disconnect) {
        return LLONG_MIN;
    }
    return client->has_remotes ? ovsdb_client_reconnect_wakeup(&client->rc)
                               : LLONG_MAX;
}

const char *
ovsdb_client_get_remote(const struct ovsdb_client *client)
{
    return ovsdb_client_reconnect_get_remote(&client->rc);
}

void
ovsdb_client_connected(struct ovsdb_client *client, long long now)
{
    client->now = now;
    session_reset(client);
    ovsdb_client_reconnect_connected(&client->rc, now);
    client->connected = true;
    client->seqno++;
    client->stats.n_connections++;
    if (!strcmp(client->data.name, "_Server")) {
        send_data_schema_request(client);
    } else {
        send_server_schema_request(client);
    }
}

void
ovsdb_client_connect_failed(struct ovsdb_client *client, long long now,
                            int error)
{
    client->now = now;
    client->last_errno = error;
    set_error(client, "%s: connection failed (%s)",
              remote_name(client), util_strerror(error));
    ovsdb_client_reconnect_failed(&client->rc, now, error);
    session_reset(client);
}

void
ovsdb_client_disconnected(struct ovsdb_client *client, long long now,
                          int error)
{
    client->now = now;
    if (client->connected) {
        set_error(client, "%s: connection closed (%s)",
                  remote_name(client),
                  error ? util_strerror(error) : "by peer");
    }
    ovsdb_client_reconnect_failed(&client->rc, now, error);
    session_reset(client);
}

void
ovsdb_client_force_reconnect(struct ovsdb_client *client)
{
    client->want_disconnect = true;
}

struct jsonrpc_msg *
ovsdb_client_pop_msg(struct ovsdb_client *client)
{
    return client->out_head < client->n_out
               ? client->out[client->out_head++] : NULL;
}

bool
ovsdb_client_has_output(const struct ovsdb_client *client)
{
    return client->out_head < client->n_out;
}

/* Forgets the connection: queued output, pending requests, the lock, and
 * the _Server replica (refetched on every connection).  The data replica
 * is kept, to be brought up to date by the next monitor request. */
static void
session_reset(struct ovsdb_client *client)
{
    struct pending *p;

    if (client->connected) {
        client->seqno++;
    }
    client->connected = false;
    client->state = CS_IDLE;
    while (client->out_head < client->n_out) {
        jsonrpc_msg_destroy(client->out[client->out_head++]);
    }
    client->out_head = client->n_out = 0;

    HMAP_FOR_EACH_POP (p, node, &client->pending) {
        if (p->kind == RQ_TRANSACT && p->txn) {
            client_txn_abort(p->txn, "connection lost before the reply");
            client_txn_done(client, p->txn);
        }
        free(p);
    }
    if (client->cond_inflight
        || client->cond_seqno != client->cond_next_seqno) {
        uuid_zero(&client->last_txn_id);
    }
    client->cond_inflight = false;
    client->has_lock = client->lock_contended = false;
    client->method = MM_COND_SINCE;
    client_db_clear_rows(&client->server);
}

/* The session's requests and replies. */

static void
send_server_schema_request(struct ovsdb_client *client)
{
    client->state = CS_SERVER_SCHEMA_REQUESTED;
    send_request(client, "get_schema",
                 json_array_create_1(json_string_create("_Server")),
                 RQ_SERVER_SCHEMA);
}

static void
send_data_schema_request(struct ovsdb_client *client)
{
    client->state = CS_DATA_SCHEMA_REQUESTED;
    send_request(client, "get_schema",
                 json_array_create_1(json_string_create(client->data.name)),
                 RQ_DATA_SCHEMA);
}

static struct ovsdb_schema *
parse_schema_reply(struct ovsdb_client *client, const struct json *result,
                   const char *db_name)
{
    struct ovsdb_schema *schema;
    struct ovsdb_error *error = ovsdb_schema_from_json(result, &schema);

    if (error) {
        char *s = ovsdb_error_to_string_free(error);
        set_error(client, "bad schema for %s from server: %s", db_name, s);
        free(s);
        return NULL;
    }
    return schema;
}

/* _Server's Database table: only these columns matter. */
static const char *const server_columns[] = {
    "name", "model", "connected", "leader", "cid", "index",
};

static void
handle_server_schema_reply(struct ovsdb_client *client,
                           const struct json *result)
{
    struct ovsdb_schema *schema = result
        ? parse_schema_reply(client, result, "_Server") : NULL;
    if (!schema || !ovsdb_schema_get_table(schema, "Database")) {
        /* A server older than 2.9: standalone, no _Server database. */
        ovsdb_schema_destroy(schema);
        send_data_schema_request(client);
        return;
    }

    struct ovsdb_client_db *db = &client->server;
    client_db_set_schema(db, schema, NULL);
    for (size_t i = 0; i < db->n_tables; i++) {
        struct ovsdb_client_table *table = db->tables[i];
        bool is_db = !strcmp(table->schema->name, "Database");
        table->selected = is_db;
        for (size_t j = 0; j < table->schema->n_columns; j++) {
            table->monitored[j] = table->present[j] = false;
        }
        for (size_t k = 0; is_db && k < ARRAY_SIZE(server_columns); k++) {
            const struct ovsdb_column *c = ovsdb_table_schema_get_column(
                table->schema, server_columns[k]);
            if (c) {
                table->monitored[c->index] = table->present[c->index] = true;
            }
        }
    }
    struct json *params = json_array_create_3(
        json_string_create("_Server"), json_clone(db->monitor_id),
        client_db_monitor_requests(db, true));
    client->state = CS_SERVER_MONITOR_REQUESTED;
    send_request(client, "monitor_cond", params, RQ_SERVER_MONITOR);
}

static bool
datum_bool(const struct ovsdb_datum *d)
{
    return d && d->n && d->keys[0].boolean;
}

/* Decides whether the server is fit to serve our database, from its
 * _Server.Database row.  Returns NULL if so, otherwise a reason. */
static char *
check_server_db(const struct ovsdb_client *client)
{
    const struct ovsdb_client_table *table
        = shash_find_data(&client->server.tables_by_name, "Database");
    const struct ovsdb_client_row *row;

    if (!table) {
        return NULL;
    }
    HMAP_FOR_EACH (row, hmap_node, &table->rows) {
        const struct ovsdb_datum *name
            = ovsdb_client_row_get_by_name(row, "name");
        const struct ovsdb_datum *model
            = ovsdb_client_row_get_by_name(row, "model");
        if (!name || name->n != 1
            || strcmp(name->keys[0].s->string, client->data.name)) {
            continue;
        }
        if (!model || model->n != 1
            || strcmp(model->keys[0].s->string, "clustered")) {
            return NULL;
        }
        if (!datum_bool(ovsdb_client_row_get_by_name(row, "connected"))) {
            return xstrdup("server is not connected to its cluster");
        }
        if (client->leader_only
            && !datum_bool(ovsdb_client_row_get_by_name(row, "leader"))) {
            return xstrdup("server is not the cluster leader");
        }
        return NULL;
    }
    return xasprintf("server does not have database %s", client->data.name);
}

/* After a _Server update: abandons a server that became unfit. */
static bool
server_is_fit(struct ovsdb_client *client)
{
    char *reason = check_server_db(client);

    if (reason) {
        set_error(client, "%s: %s; trying another remote",
                  remote_name(client), reason);
        free(reason);
        client->want_disconnect = true;
        return false;
    }
    return true;
}

static void
handle_server_monitor_reply(struct ovsdb_client *client,
                            const struct json *result)
{
    if (!result) {
        send_data_schema_request(client);
        return;
    }
    /* The reply is ours (ovsdb_client_receive() destroys it next). */
    struct ovsdb_error *error = client_db_apply_updates(
        &client->server, (struct json *) result, 2, true);
    client->server.changed = false;
    if (error) {
        char *s = ovsdb_error_to_string_free(error);
        set_error(client, "bad _Server monitor reply: %s", s);
        free(s);
        client->want_disconnect = true;
        return;
    }
    /* Learn of schema changes through _Server instead of being
     * disconnected. */
    send_request(client, "set_db_change_aware",
                 json_array_create_1(json_boolean_create(true)),
                 RQ_DB_CHANGE_AWARE);
    if (server_is_fit(client)) {
        send_data_schema_request(client);
    }
}

static void
handle_data_schema_reply(struct ovsdb_client *client,
                         const struct json *result)
{
    struct ovsdb_client_db *db = &client->data;
    struct ovsdb_schema *schema = parse_schema_reply(client, result,
                                                     db->name);
    if (!schema) {
        client->want_disconnect = true;
        return;
    }
    if (!db->schema_is_fixed
        && (!db->schema || !ovsdb_schema_equal(db->schema, schema))) {
        /* Rows are laid out by the server's schema, which changed (or is
         * new): start over with an empty replica. */
        if (db->schema) {
            VLOG_INFO("%s: schema changed; reloading", db->name);
        }
        client_db_set_schema(db, ovsdb_schema_clone(schema), NULL);
        apply_monitor_spec(client);
        uuid_zero(&client->last_txn_id);
        client->seqno++;
    }
    client_db_set_server_schema(db, schema);
    ovsdb_schema_destroy(schema);
    send_monitor_request(client);
}

static void
send_monitor_request(struct ovsdb_client *client)
{
    struct ovsdb_client_db *db = &client->data;
    enum monitor_method m = client->method;
    struct json *params = json_array_create_3(
        json_string_create(db->name), json_clone(db->monitor_id),
        client_db_monitor_requests(db, m != MM_PLAIN));
    if (m == MM_COND_SINCE) {
        char buf[UUID_LEN + 1];
        json_array_add(params, json_string_create(
                                   uuid_to_cstr(&client->last_txn_id, buf)));
    }
    client->state = CS_DATA_MONITOR_REQUESTED;
    struct pending *p = send_request(client, method_names[m], params,
                                     RQ_DATA_MONITOR);
    p->cond_seqno = client->cond_next_seqno;
}

/* Parses a monitor reply into the updates to apply, their format, and
 * whether they are the database's whole contents. */
static const struct json *
parse_monitor_reply(struct ovsdb_client *client, const struct json *result,
                    int *version, bool *reload)
{
    *version = client->method == MM_PLAIN ? 1 : 2;
    *reload = true;
    if (client->method != MM_COND_SINCE) {
        return result;
    }
    if (result->type != JSON_ARRAY || result->array.n != 3
        || (result->array.elems[0]->type != JSON_TRUE
            && result->array.elems[0]->type != JSON_FALSE)
        || result->array.elems[1]->type != JSON_STRING) {
        return NULL;
    }
    *reload = !json_boolean(result->array.elems[0]);
    if (!uuid_from_string(&client->last_txn_id,
                          result->array.elems[1]->string)) {
        uuid_zero(&client->last_txn_id);
    }
    return result->array.elems[2];
}

static void
start_monitoring(struct ovsdb_client *client, unsigned int cond_seqno)
{
    client->state = CS_MONITORING;
    client->ever_ready = true;
    client->seqno++;
    ovsdb_client_reconnect_healthy(&client->rc);
    client->cond_seqno = client->method == MM_PLAIN
                             ? client->cond_next_seqno : cond_seqno;
    if (client->lock_name) {
        send_lock(client, "lock");
    }
    if (client->cond_seqno != client->cond_next_seqno) {
        send_cond_change(client);
    }
}

static void
handle_data_monitor_reply(struct ovsdb_client *client,
                          const struct json *result,
                          const struct json *error, unsigned int cond_seqno)
{
    if (error) {
        if (is_unknown_method(error) && client->method != MM_PLAIN) {
            client->method++;
            send_monitor_request(client);
        } else {
            char *s = error_to_string(error);
            set_error(client, "%s refused: %s",
                      method_names[client->method], s);
            free(s);
            client->want_disconnect = true;
        }
        return;
    }

    int version;
    bool reload;
    const struct json *updates = parse_monitor_reply(client, result,
                                                     &version, &reload);
    struct ovsdb_error *err = updates
        /* The reply is ours (ovsdb_client_receive() destroys it next):
         * applying may take it apart. */
        ? client_db_apply_updates(&client->data, (struct json *) updates,
                                  version, reload)
        : ovsdb_syntax_error(result, NULL, "bad monitor reply");
    if (err) {
        char *s = ovsdb_error_to_string_free(err);
        set_error(client, "bad monitor reply: %s", s);
        free(s);
        uuid_zero(&client->last_txn_id);
        client->want_disconnect = true;
        return;
    }
    if (reload) {
        client->stats.n_full_loads++;
    } else {
        client->stats.n_resumes++;
    }
    VLOG_INFO("%s: %s: %s", client->data.name, remote_name(client),
              reload ? "loaded the database's contents"
                     : "resumed after the last transaction seen");
    finish_batch(client, &client->data);
    start_monitoring(client, cond_seqno);
}

static void
handle_cond_change_reply(struct ovsdb_client *client,
                         const struct json *error, unsigned int cond_seqno)
{
    client->cond_inflight = false;
    if (error) {
        char *s = error_to_string(error);
        set_error(client, "monitor_cond_change refused: %s", s);
        free(s);
        client->want_disconnect = true;
        return;
    }
    client->cond_seqno = cond_seqno;
    client->seqno++;
    if (cond_seqno != client->cond_next_seqno) {
        send_cond_change(client);
    }
}

static void
handle_lock_reply(struct ovsdb_client *client, const struct json *result)
{
    const struct json *locked = result && result->type == JSON_OBJECT
                                    ? json_object_get(result, "locked")
                                    : NULL;
    client->has_lock = locked && json_boolean(locked);
    client->lock_contended = !client->has_lock;
    client->seqno++;
}

static void
handle_reply(struct ovsdb_client *client, const struct jsonrpc_msg *msg)
{
    struct pending *p = find_pending(client, msg->id);
    if (!p) {
        VLOG_DBG("%s: reply to unknown request", client->data.name);
        return;
    }
    hmap_remove(&client->pending, &p->node);

    const struct json *result = msg->type == JSONRPC_REPLY ? msg->result
                                                            : NULL;
    const struct json *error = msg->type == JSONRPC_ERROR ? msg->error
                                                           : NULL;
    switch (p->kind) {
    case RQ_SERVER_SCHEMA:
        handle_server_schema_reply(client, result);
        break;
    case RQ_SERVER_MONITOR:
        handle_server_monitor_reply(client, result);
        break;
    case RQ_DATA_SCHEMA:
        if (error) {
            char *s = error_to_string(error);
            set_error(client, "get_schema %s refused: %s",
                      client->data.name, s);
            free(s);
            client->want_disconnect = true;
        } else {
            handle_data_schema_reply(client, result);
        }
        break;
    case RQ_DATA_MONITOR:
        handle_data_monitor_reply(client, result, error, p->cond_seqno);
        break;
    case RQ_COND_CHANGE:
        handle_cond_change_reply(client, error, p->cond_seqno);
        break;
    case RQ_TRANSACT:
        if (p->txn) {
            client_txn_process_reply(p->txn, result, error);
            client_txn_done(client, p->txn);
        }
        break;
    case RQ_LOCK:
        handle_lock_reply(client, result);
        break;
    case RQ_DB_CHANGE_AWARE:
    case RQ_UNLOCK:
    case RQ_ECHO:
        break;
    }
    free(p);
}

/* Handles "update", "update2" and "update3" notifications. */
static void
handle_update(struct ovsdb_client *client, const struct jsonrpc_msg *msg)
{
    const struct json *params = msg->params;
    bool v3 = !strcmp(msg->method, "update3");
    int version = !strcmp(msg->method, "update") ? 1 : 2;
    size_t n = v3 ? 3 : 2;

    if (!params || params->type != JSON_ARRAY || params->array.n != n
        || (v3 && params->array.elems[1]->type != JSON_STRING)) {
        VLOG_WARN_RL(&rl, "%s: malformed %s", client->data.name,
                     msg->method);
        return;
    }

    const struct json *id = params->array.elems[0];
    struct ovsdb_client_db *db;
    if (json_equal(id, client->data.monitor_id)
        && client->state == CS_MONITORING) {
        db = &client->data;
    } else if (json_equal(id, client->server.monitor_id)
               && client->server.n_tables) {
        db = &client->server;
    } else {
        return;                 /* A monitor we no longer care about. */
    }

    /* The message is ours (ovsdb_client_receive() destroys it next):
     * applying may take it apart. */
    struct ovsdb_error *error = client_db_apply_updates(
        db, (struct json *) params->array.elems[n - 1], version, false);
    if (error || db->inconsistent) {
        char *s = error ? ovsdb_error_to_string_free(error)
                        : xstrdup("update does not match the replica");
        set_error(client, "%s: %s; reloading", msg->method, s);
        free(s);
        db->inconsistent = false;
        uuid_zero(&client->last_txn_id);
        client->want_disconnect = true;
    } else if (v3 && !uuid_from_string(&client->last_txn_id,
                                       params->array.elems[1]->string)) {
        uuid_zero(&client->last_txn_id);
    }
    if (db == &client->data) {
        client->stats.n_updates++;
    }
    if (db == &client->server) {
        db->changed = false;
        if (!client->want_disconnect) {
            server_is_fit(client);
        }
    } else {
        finish_batch(client, db);
    }
}

static void
handle_notify(struct ovsdb_client *client, const struct jsonrpc_msg *msg)
{
    if (!strcmp(msg->method, "update") || !strcmp(msg->method, "update2")
        || !strcmp(msg->method, "update3")) {
        handle_update(client, msg);
    } else if (!strcmp(msg->method, "locked")) {
        client->has_lock = true;
        client->lock_contended = false;
        client->seqno++;
    } else if (!strcmp(msg->method, "stolen")) {
        client->has_lock = false;
        client->lock_contended = true;
        client->seqno++;
    } else if (!strcmp(msg->method, "monitor_canceled")) {
        /* The database went away or changed schema: start over. */
        set_error(client, "server canceled the monitor");
        client->want_disconnect = true;
    }
}

void
ovsdb_client_receive(struct ovsdb_client *client, long long now,
                     struct jsonrpc_msg *msg)
{
    ASSERT(!client->building_txn);
    client->now = now;
    ovsdb_client_reconnect_activity(&client->rc, now);
    if (!client->connected) {
        jsonrpc_msg_destroy(msg);
        return;
    }

    switch (msg->type) {
    case JSONRPC_REQUEST:
        if (!strcmp(msg->method, "echo")) {
            queue_msg(client, jsonrpc_msg_create_reply(
                                  json_clone(msg->params), msg->id));
        } else {
            queue_msg(client, jsonrpc_msg_create_error(
                                  json_string_create("unknown method"),
                                  msg->id));
        }
        break;
    case JSONRPC_NOTIFY:
        handle_notify(client, msg);
        break;
    case JSONRPC_REPLY:
    case JSONRPC_ERROR:
        handle_reply(client, msg);
        break;
    }
    jsonrpc_msg_destroy(msg);
}

/* State. */

bool
ovsdb_client_is_connected(const struct ovsdb_client *client)
{
    return client->connected;
}

bool
ovsdb_client_is_ready(const struct ovsdb_client *client)
{
    return client->state == CS_MONITORING;
}

bool
ovsdb_client_has_ever_been_ready(const struct ovsdb_client *client)
{
    return client->ever_ready;
}

uint64_t
ovsdb_client_get_seqno(const struct ovsdb_client *client)
{
    return client->seqno;
}

void
ovsdb_client_get_stats(const struct ovsdb_client *client,
                       struct ovsdb_client_stats *stats)
{
    *stats = client->stats;
}

int
ovsdb_client_get_last_errno(const struct ovsdb_client *client)
{
    return client->last_errno;
}

const char *
ovsdb_client_get_last_error(const struct ovsdb_client *client)
{
    return client->last_error;
}

const char *
ovsdb_client_get_monitor_method(const struct ovsdb_client *client)
{
    return client->state == CS_MONITORING ? method_names[client->method]
                                          : NULL;
}

const char *
ovsdb_client_get_db_name(const struct ovsdb_client *client)
{
    return client->data.name;
}

const struct ovsdb_schema *
ovsdb_client_get_schema(const struct ovsdb_client *client)
{
    return client->data.schema;
}

void
ovsdb_client_set_io(struct ovsdb_client *client, void *io,
                    void (*destroy)(void *io))
{
    client->io = io;
    client->io_destroy = destroy;
}

void *
ovsdb_client_get_io(const struct ovsdb_client *client)
{
    return client->io;
}

size_t
ovsdb_client_get_n_remotes(const struct ovsdb_client *client)
{
    return client->rc.n_remotes;
}

/* Tables. */

size_t
ovsdb_client_get_n_tables(const struct ovsdb_client *client)
{
    return client->data.n_tables;
}

struct ovsdb_client_table *
ovsdb_client_get_table(const struct ovsdb_client *client, const char *name)
{
    return shash_find_data(&client->data.tables_by_name, name);
}

struct ovsdb_client_table *
ovsdb_client_get_table_by_index(const struct ovsdb_client *client,
                                size_t index)
{
    return index < client->data.n_tables ? client->data.tables[index] : NULL;
}

struct ovsdb_client_table *
ovsdb_client_get_table_by_class(const struct ovsdb_client *client,
                                const struct ovsdb_client_table_class *tc)
{
    const struct ovsdb_client_class *class_ = client->data.class_;

    /* Catches a typed accessor used with a client of another schema. */
    ASSERT(class_ && tc >= class_->tables
           && tc < class_->tables + class_->n_tables);
    return client->data.tables[tc - class_->tables];
}

bool
ovsdb_client_has_tracked(const struct ovsdb_client *client)
{
    return client_db_has_tracked(&client->data);
}

void
ovsdb_client_clear_tracked(struct ovsdb_client *client)
{
    client_db_clear_tracked(&client->data);
}

/* For transactions. */

struct ovsdb_client_db *
client_get_data_db(struct ovsdb_client *client)
{
    return &client->data;
}

bool
client_send_txn(struct ovsdb_client *client, struct json *params,
                struct ovsdb_client_txn *txn)
{
    if (client->state != CS_MONITORING) {
        json_destroy(params);
        return false;
    }
    struct pending *p = send_request(client, "transact", params,
                                     RQ_TRANSACT);
    p->txn = txn;
    return true;
}

void
client_forget_txn(struct ovsdb_client *client, struct ovsdb_client_txn *txn)
{
    struct pending *p;

    HMAP_FOR_EACH (p, node, &client->pending) {
        if (p->txn == txn) {
            p->txn = NULL;
        }
    }
}

void
client_set_building_txn(struct ovsdb_client *client,
                        struct ovsdb_client_txn *txn)
{
    ASSERT(!txn || !client->building_txn);
    client->building_txn = txn;
}

struct ovsdb_client_txn *
client_get_building_txn(const struct ovsdb_client *client)
{
    return client->building_txn;
}

void
client_txn_done(struct ovsdb_client *client, struct ovsdb_client_txn *txn)
{
    client->seqno++;
    if (client->cbs && client->cbs->txn_done) {
        client->cbs->txn_done(txn, client->cb_aux);
    }
}
