/* ovsdb/server-private: state shared by the files of the OVSDB server
 * (server.c: connections, dispatch, transactions; server-lock.c: locks;
 * server-db.c: the _Server database; server-monitor.c: monitors;
 * server-commands.c: weft-appctl commands).  Not for other modules. */
#ifndef WEFT_OVSDB_SERVER_PRIVATE_H
#define WEFT_OVSDB_SERVER_PRIVATE_H 1

#include <stdint.h>
#include "list.h"
#include "shash.h"

struct json;
struct jsonrpc_msg;
struct ovsdb;
struct ovsdb_file;
struct ovsdb_error;
struct ovsdb_monitor;
struct poll_loop;
struct poll_watch;

struct ovsdb_server {
    struct poll_loop *loop;
    struct shash dbs;               /* Name -> struct server_db *. */
    struct ovsdb *server_db;        /* The "_Server" database. */
    struct list sessions;           /* Of struct server_session. */
    struct server_remote **remotes;
    size_t n_remotes;
    struct shash locks;             /* Name -> struct server_lock *. */
    uint64_t trigger_timer;         /* Pending poll_loop timer, or 0. */
    bool exiting;
    long long started;              /* Wall clock at start, ms. */
    uint64_t n_sessions_total;      /* Connections accepted so far. */
    uint64_t n_transactions;        /* Transactions answered so far. */
    size_t max_msg_size;            /* Per message from a client; 0:
                                     * the jsonrpc default. */
};

struct server_db {
    struct ovsdb *db;
    struct ovsdb_file *file;        /* Or NULL for in-memory databases. */
    struct list triggers;           /* Waiting transactions, in order. */
};

struct server_remote {
    struct ovsdb_server *server;
    char *name;                     /* Bound name, e.g. "ptcp:6641:...". */
    int fd;
    struct poll_watch *watch;
};

struct server_session {
    struct list node;               /* In server->sessions. */
    struct ovsdb_server *server;
    struct jsonrpc_stream *stream;
    char *name;                     /* Peer description for logs. */
    struct list monitors;           /* Of struct session_monitor. */
    bool db_change_aware;
    uint64_t n_received;            /* Messages received. */
    uint64_t n_sent;                /* Messages queued for sending. */
};

/* A transaction that waits for a "wait" operation's condition. */
struct trigger {
    struct list node;               /* In server_db->triggers. */
    struct server_session *session;
    struct server_db *sdb;
    struct json *id;                /* Request id. */
    struct json *params;            /* Request params. */
    long long created;              /* time_msec() of arrival. */
    long long deadline;             /* When to time out, or LLONG_MAX. */
};

struct server_lock {
    char *name;
    struct server_session *owner;   /* Or NULL. */
    struct list waiters;            /* Of struct lock_waiter, in order. */
};

/* server.c */
void session_send(struct server_session *, struct jsonrpc_msg *);
void session_reply_error(struct server_session *, const struct json *id,
                         const char *error);
void session_reply_ovsdb_error(struct server_session *, const struct json *id,
                               struct ovsdb_error *);
struct server_db *session_get_db(struct server_session *,
                                 const struct jsonrpc_msg *,
                                 bool allow_server_db);
void trigger_destroy(struct trigger *);

/* server-lock.c */
void handle_lock(struct server_session *, struct jsonrpc_msg *);
void handle_steal(struct server_session *, struct jsonrpc_msg *);
void handle_unlock(struct server_session *, struct jsonrpc_msg *);
void locks_release_session(struct ovsdb_server *, struct server_session *);

/* server-db.c */
void server_db_create(struct ovsdb_server *);
void server_db_update_server_table(struct ovsdb_server *);

/* server-monitor.c */
void handle_monitor(struct server_session *, struct jsonrpc_msg *);
void handle_monitor_cond(struct server_session *, struct jsonrpc_msg *);
void handle_monitor_cond_since(struct server_session *,
                               struct jsonrpc_msg *);
void handle_monitor_cond_change(struct server_session *,
                                struct jsonrpc_msg *);
void handle_monitor_cancel(struct server_session *, struct jsonrpc_msg *);
void session_cancel_monitors(struct server_session *);
/* Sends every monitor's pending updates to its session. */
void server_flush_monitors(struct ovsdb_server *);
size_t session_count_monitors(const struct server_session *);

#endif
