/* OVSDB locks (RFC 7047 §4.1.8–4.1.10): "lock" waits in line, "steal"
 * takes the lock at once, "unlock" gives it up; the owner learns of a
 * grant through a "locked" notification and of a theft through a
 * "stolen" notification. */
#include <string.h>
#include "json.h"
#include "vlog.h"
#include "ovsdb/error.h"
#include "ovsdb/jsonrpc.h"
#include "ovsdb/server-private.h"

VLOG_DEFINE_THIS_MODULE(ovsdb_lock);

struct lock_waiter {
    struct list node;               /* In server_lock->waiters. */
    struct server_session *session;
};

static const char *
get_lock_name(struct server_session *s, const struct jsonrpc_msg *msg)
{
    const struct json *p = msg->params;

    if (p->type != JSON_ARRAY || p->array.n != 1
        || p->array.elems[0]->type != JSON_STRING) {
        session_reply_ovsdb_error(s, msg->id, ovsdb_syntax_error(
                                      p, NULL, "%s request params must be "
                                      "<id>", msg->method));
        return NULL;
    }
    return p->array.elems[0]->string;
}

static struct server_lock *
get_lock(struct ovsdb_server *server, const char *name)
{
    struct server_lock *lock = shash_find_data(&server->locks, name);
    if (!lock) {
        lock = xzalloc(sizeof *lock);
        lock->name = xstrdup(name);
        list_init(&lock->waiters);
        shash_add(&server->locks, name, lock);
    }
    return lock;
}

static void
notify(struct server_session *s, const char *method, const char *name)
{
    session_send(s, jsonrpc_msg_create_notify(
                     method, json_array_create_1(json_string_create(name))));
}

static struct json *
locked_reply(bool locked)
{
    struct json *result = json_object_create();
    json_object_put(result, "locked", json_boolean_create(locked));
    return result;
}

static bool
is_waiting(const struct server_lock *lock, const struct server_session *s)
{
    struct lock_waiter *w;
    LIST_FOR_EACH (w, node, &lock->waiters) {
        if (w->session == s) {
            return true;
        }
    }
    return false;
}

/* Returns the lock named in "lock" or "steal" request 'msg', or NULL after
 * replying with an error if the request is malformed or 's' already holds
 * or waits for the lock (ovsdb-server requires an "unlock" first). */
static struct server_lock *
get_lock_for_request(struct server_session *s, const struct jsonrpc_msg *msg)
{
    const char *name = get_lock_name(s, msg);
    struct server_lock *lock;

    if (!name) {
        return NULL;
    }
    lock = get_lock(s->server, name);
    if (lock->owner == s || is_waiting(lock, s)) {
        session_reply_ovsdb_error(s, msg->id, ovsdb_syntax_error(
                                      msg->params, NULL, "must issue "
                                      "\"unlock\" before new \"%s\"",
                                      msg->method));
        return NULL;
    }
    return lock;
}

void
handle_lock(struct server_session *s, struct jsonrpc_msg *msg)
{
    struct server_lock *lock = get_lock_for_request(s, msg);

    if (!lock) {
        return;
    }
    if (!lock->owner) {
        lock->owner = s;
        session_send(s, jsonrpc_msg_create_reply(locked_reply(true),
                                                 msg->id));
    } else {
        struct lock_waiter *w = xzalloc(sizeof *w);
        w->session = s;
        list_push_back(&lock->waiters, &w->node);
        session_send(s, jsonrpc_msg_create_reply(locked_reply(false),
                                                 msg->id));
    }
}

static void
remove_waiter(struct server_lock *lock, struct server_session *s)
{
    struct lock_waiter *w;
    LIST_FOR_EACH_SAFE (w, node, &lock->waiters) {
        if (w->session == s) {
            list_remove(&w->node);
            free(w);
        }
    }
}

void
handle_steal(struct server_session *s, struct jsonrpc_msg *msg)
{
    struct server_lock *lock = get_lock_for_request(s, msg);

    if (!lock) {
        return;
    }
    if (lock->owner) {
        struct server_session *victim = lock->owner;
        struct lock_waiter *w = xzalloc(sizeof *w);
        notify(victim, "stolen", lock->name);
        /* The victim keeps waiting for the lock, as in ovsdb-server. */
        w->session = victim;
        list_push_front(&lock->waiters, &w->node);
        VLOG_INFO("%s stole lock \"%s\" from %s", s->name, lock->name,
                  victim->name);
    }
    lock->owner = s;
    session_send(s, jsonrpc_msg_create_reply(locked_reply(true), msg->id));
}

/* Gives up 's''s ownership of (or place in line for) 'lock'. */
static void
release(struct ovsdb_server *server, struct server_lock *lock,
        struct server_session *s)
{
    remove_waiter(lock, s);
    if (lock->owner == s) {
        lock->owner = NULL;
        if (!list_is_empty(&lock->waiters)) {
            struct lock_waiter *w = CONTAINER_OF(
                list_pop_front(&lock->waiters), struct lock_waiter, node);
            lock->owner = w->session;
            notify(w->session, "locked", lock->name);
            free(w);
        }
    }
    if (!lock->owner && list_is_empty(&lock->waiters)) {
        shash_find_and_delete(&server->locks, lock->name);
        free(lock->name);
        free(lock);
    }
}

void
handle_unlock(struct server_session *s, struct jsonrpc_msg *msg)
{
    const char *name = get_lock_name(s, msg);
    struct server_lock *lock;

    if (!name) {
        return;
    }
    lock = shash_find_data(&s->server->locks, name);
    if (!lock || (lock->owner != s && !is_waiting(lock, s))) {
        session_reply_ovsdb_error(s, msg->id, ovsdb_syntax_error(
                                      msg->params, NULL, "unlock: \"unlock\" "
                                      "without \"lock\" or \"steal\""));
        return;
    }
    release(s->server, lock, s);
    session_send(s, jsonrpc_msg_create_reply(json_object_create(), msg->id));
}

void
locks_release_session(struct ovsdb_server *server, struct server_session *s)
{
    struct shash_node *node;

    SHASH_FOR_EACH_SAFE (node, &server->locks) {
        release(server, node->data, s);
    }
}
