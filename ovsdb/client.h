/* ovsdb/client: a sans-IO OVSDB client that keeps a replica of a database.
 *
 * What it does.  A 'struct ovsdb_client' speaks the OVSDB JSON-RPC protocol
 * (RFC 7047 plus the Open vSwitch extensions) with one database server at a
 * time, chosen from a comma-separated list of remotes.  It monitors a set of
 * tables and columns of one database and keeps their rows in memory (the
 * "replica"), records what each batch of updates changed, builds
 * transactions (ovsdb/client-txn.h) and reconnects with exponential backoff
 * when the connection fails.
 *
 * No IO.  The client never touches a socket or a clock.  Its owner (an
 * adapter such as ovsdb/client-io.h, or a unit test) drives it:
 *
 *     ovsdb_client_run(c, now)      returns OVSDB_CLIENT_CONNECT when the
 *                                   owner should open ovsdb_client_get_remote()
 *                                   and OVSDB_CLIENT_DISCONNECT when it should
 *                                   close the connection it has.
 *     ovsdb_client_connected()      the connection is up;
 *     ovsdb_client_connect_failed() or it could not be made;
 *     ovsdb_client_disconnected()   an open connection was lost.
 *     ovsdb_client_receive()        a JSON-RPC message arrived.
 *     ovsdb_client_pop_msg()        the next message to send, if any.
 *     ovsdb_client_get_wakeup()     when ovsdb_client_run() next has work.
 *
 * Session.  On each new connection the client asks for the "_Server"
 * database's schema.  If the server has one (ovsdb-server 2.9 and later),
 * it monitors _Server's Database table, sends set_db_change_aware, and
 * checks the row for its database: a clustered member that is disconnected
 * from its cluster, or that is not the leader when leader-only mode is on,
 * is abandoned for the next remote.  Then it fetches the database's schema
 * and starts monitoring with "monitor_cond_since", falling back to
 * "monitor_cond" and then to "monitor" when the server answers
 * "unknown method".  After a reconnection monitor_cond_since resumes from
 * the last transaction id seen (update3), so only the changes made while
 * disconnected are transferred.  When the server cannot resume (or only
 * "monitor"/"monitor_cond" is available) the full contents are fetched and
 * reconciled against the replica, so consumers still see an exact change
 * set rather than "everything deleted, everything inserted".
 *
 * Replica.  Tables are 'struct ovsdb_client_table', rows
 * 'struct ovsdb_client_row': one 'struct ovsdb_datum' per column of the
 * client's schema, indexed like the schema's columns (index 0 is _uuid).
 * Columns that are not monitored, or that the server's schema lacks, hold
 * their default values.  Generated bindings (ovsdb/codegen.py) embed the
 * row in a typed struct whose fields point into the datums, so code reads
 * 'lsp->name' instead of looking columns up.
 *
 * Change tracking.  Each processed update message is a batch.  The rows it
 * inserted, modified (with a bitmap of the changed columns and their old
 * values) or deleted are linked on their table's 'track_list' until
 * ovsdb_client_clear_tracked() is called; a deleted row stays readable
 * until then.  Changes accumulate across batches until cleared, merged per
 * row (insert + modify = insert, insert + delete = nothing, ...), so a
 * consumer may process several batches at once.  Consumers that never
 * clear should turn tracking off, or deleted rows accumulate.
 *
 * Ownership.  The client owns its replica; rows and tables are read-only
 * to callers and valid until the next ovsdb_client_receive(),
 * ovsdb_client_clear_tracked() or ovsdb_client_destroy().  Not
 * thread-safe. */
#ifndef WEFT_OVSDB_CLIENT_H
#define WEFT_OVSDB_CLIENT_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hmap.h"
#include "list.h"
#include "uuid.h"
#include "ovsdb/datum.h"

struct json;
struct jsonrpc_msg;
struct ovsdb_client;
struct ovsdb_client_db;
struct ovsdb_client_txn;
struct ovsdb_schema;
struct ovsdb_table_schema;
struct ovsdb_client_txn_row;

/* Descriptors emitted by ovsdb/codegen.py for typed bindings.
 *
 * A typed row struct begins with a 'struct ovsdb_client_row header_' and
 * has one field (or a pointer + count pair) per column.  The client keeps
 * these fields in step with the datums, using 'kind' and the offsets. */
enum ovsdb_client_field_kind {
    OVSDB_FIELD_NONE,           /* No typed field (e.g. _version). */
    OVSDB_FIELD_INTEGER,        /* int64_t, exactly one value. */
    OVSDB_FIELD_REAL,           /* double. */
    OVSDB_FIELD_BOOLEAN,        /* bool. */
    OVSDB_FIELD_STRING,         /* const char *, never NULL. */
    OVSDB_FIELD_OPT_STRING,     /* const char *, NULL if empty. */
    OVSDB_FIELD_UUID,           /* struct uuid. */
    OVSDB_FIELD_REF,            /* Row pointer, NULL if dangling/empty. */
    OVSDB_FIELD_INTEGERS,       /* int64_t * + size_t count. */
    OVSDB_FIELD_REALS,          /* double * + count. */
    OVSDB_FIELD_BOOLEANS,       /* bool * + count. */
    OVSDB_FIELD_STRINGS,        /* const char ** + count. */
    OVSDB_FIELD_UUIDS,          /* struct uuid * + count. */
    OVSDB_FIELD_REFS,           /* Row pointer array + count; dangling
                                 * references are left out. */
    OVSDB_FIELD_MAP,            /* const struct ovsdb_datum *. */
};

struct ovsdb_client_column_class {
    const char *name;
    enum ovsdb_client_field_kind kind;
    size_t offset;              /* offsetof the typed field. */
    size_t n_offset;            /* offsetof its size_t count, if any. */
    int ref_table;              /* Referenced table's index, or -1. */
};

struct ovsdb_client_table_class {
    const char *name;
    size_t row_size;            /* sizeof the typed row struct. */
    const struct ovsdb_client_column_class *columns;
    size_t n_columns;           /* Including _uuid and _version. */
};

struct ovsdb_client_class {
    const char *database;       /* Schema's name, e.g. "OVN_Northbound". */
    const char *schema_json;    /* The whole schema, as JSON text. */
    const struct ovsdb_client_table_class *tables;
    size_t n_tables;
};

/* Per-batch change of a row. */
enum ovsdb_client_change {
    OVSDB_CLIENT_UNCHANGED,
    OVSDB_CLIENT_INSERTED,
    OVSDB_CLIENT_MODIFIED,
    OVSDB_CLIENT_DELETED,
};

struct ovsdb_client_table {
    struct ovsdb_client *client;
    struct ovsdb_client_db *db; /* Internal: the replica it belongs to. */
    const struct ovsdb_table_schema *schema;
    const struct ovsdb_client_table_class *class_;  /* Or NULL. */
    unsigned int index;         /* Position in the client's table array. */
    struct hmap rows;           /* Live 'struct ovsdb_client_row's, by
                                 * uuid_hash(). */
    struct list track_list;     /* Rows changed since the last clear. */
    bool *monitored;            /* Per column: did the caller ask for it? */
    bool *present;              /* Per column: monitored and known to the
                                 * server, so the replica holds it. */
    bool selected;              /* Are its rows wanted, even with no
                                 * column (just each row's UUID)? */
    bool in_server_schema;      /* Does the server have this table? */
    /* Counts changes to, and removals of, rows whose 'mark' is nonzero:
     * while it stays the same, every such row is still there, unchanged,
     * so a consumer that marks the rows it has checked may trust them
     * without looking at them again. */
    unsigned long long n_marked_changes;
    struct json *condition;     /* Wanted "where" clauses, NULL = all. */
    struct ovsdb_type *diff_types;  /* Per column: the type relaxed to any
                                     * size and no constraints, for parsing
                                     * update2 diffs. */
};

struct ovsdb_client_row {
    struct hmap_node hmap_node; /* In table->rows while live. */
    struct uuid uuid;
    struct ovsdb_client_table *table;
    struct ovsdb_datum *fields; /* One per column of table->schema. */

    /* Change tracking (see the file comment). */
    enum ovsdb_client_change change;
    struct list track_node;     /* In table->track_list if changed. */
    unsigned long *changed;     /* MODIFIED: bitmap of changed columns. */
    struct ovsdb_datum *old;    /* MODIFIED: old value of each changed
                                 * column (others are empty). */

    /* Content version: a value, unique within the replica, that changes
     * whenever any column of the row changes (by an update from the
     * server or by a local transaction).  A consumer that remembers it
     * knows the row is unchanged as long as it is the same. */
    uint64_t seqno;
    /* Scratch for the consumer (e.g. "claimed in pass N"); the client
     * sets it to 0 when the row appears and otherwise only counts, in
     * table->n_marked_changes, changes to rows where it is nonzero. */
    uint64_t mark;

    /* Internal. */
    struct list src_arcs;       /* 'struct ovsdb_client_arc's from here. */
    struct ovsdb_client_txn_row *txn_row;  /* Set while an uncommitted
                                            * transaction touches it. */
    struct list reparse_node;   /* In the replica's reparse list, or
                                 * empty. */
    bool stale;                 /* Not yet seen in a full reload. */
    bool live;                  /* In table->rows? */
};

/* Lifecycle. */

/* Creates a client for the database described by generated 'class_'
 * (typed rows) or, with ovsdb_client_create_generic(), for database
 * 'db_name' with 'schema' (takes ownership; NULL to use the schema the
 * server reports).  'remotes' is a comma-separated list such as
 * "unix:/run/nb.sock,tcp:10.0.0.1:6641", or NULL if the caller drives the
 * connection itself. */
struct ovsdb_client *ovsdb_client_create(const char *remotes,
                                         const struct ovsdb_client_class *);
struct ovsdb_client *ovsdb_client_create_generic(const char *remotes,
                                                 const char *db_name,
                                                 struct ovsdb_schema *);
void ovsdb_client_destroy(struct ovsdb_client *);

/* Replaces the list of remotes; the current connection is kept if its
 * remote is still listed. */
void ovsdb_client_set_remotes(struct ovsdb_client *, const char *remotes);
/* Only a cluster's leader is acceptable (default false). */
void ovsdb_client_set_leader_only(struct ovsdb_client *, bool);
/* Interval of inactivity after which an echo is sent, and twice which the
 * connection is dropped; 0 disables.  Default: 5000 ms for tcp remotes and
 * 0 for unix ones, as ovsdb-server does. */
void ovsdb_client_set_probe_interval(struct ovsdb_client *, int msec);
/* Backoff between connection attempts (default 1000 .. 8000 ms). */
void ovsdb_client_set_backoff(struct ovsdb_client *, int min_ms,
                              int max_ms);
/* Turns change tracking on (the default) or off. */
void ovsdb_client_set_tracking(struct ovsdb_client *, bool);

/* What to monitor.  By default every table and column.  Once any of
 * these is called, only the named tables (all their columns) and columns
 * are monitored.  A null 'column' selects the table's rows without adding
 * a column: with no column at all, the replica holds just each row's UUID
 * (ovn-nbctl monitors NB_Global so).  Takes effect at the next
 * (re)connection. */
void ovsdb_client_monitor_table(struct ovsdb_client *, const char *table);
void ovsdb_client_monitor_column(struct ovsdb_client *, const char *table,
                                 const char *column);

/* Sets the rows of 'table' to replicate: 'clauses' is a JSON array of RFC
 * 7047 conditions and booleans, and a row is replicated if it matches any
 * of them ([] or NULL: all rows; [false]: none).  Does not take ownership.
 * Returns the condition sequence number that ovsdb_client_get_cond_seqno()
 * reaches once the server has applied it. */
unsigned int ovsdb_client_set_condition(struct ovsdb_client *,
                                        const char *table,
                                        const struct json *clauses);
unsigned int ovsdb_client_get_cond_seqno(const struct ovsdb_client *);

/* Locking (RFC 7047 §4.1.8).  With a lock name set, the client asks for
 * the lock on every connection and transactions assert it.  NULL
 * releases it. */
void ovsdb_client_set_lock(struct ovsdb_client *, const char *lock_name);
bool ovsdb_client_has_lock(const struct ovsdb_client *);
bool ovsdb_client_is_lock_contended(const struct ovsdb_client *);

/* Driving the client (see the file comment). */
enum ovsdb_client_action {
    OVSDB_CLIENT_NONE,
    OVSDB_CLIENT_CONNECT,       /* Open ovsdb_client_get_remote(). */
    OVSDB_CLIENT_DISCONNECT,    /* Close the connection; the client has
                                 * already forgotten it. */
};
enum ovsdb_client_action ovsdb_client_run(struct ovsdb_client *,
                                          long long now);
long long ovsdb_client_get_wakeup(const struct ovsdb_client *);
const char *ovsdb_client_get_remote(const struct ovsdb_client *);
void ovsdb_client_connected(struct ovsdb_client *, long long now);
void ovsdb_client_connect_failed(struct ovsdb_client *, long long now,
                                 int error);
void ovsdb_client_disconnected(struct ovsdb_client *, long long now,
                               int error);
/* Processes 'msg' (takes ownership). */
void ovsdb_client_receive(struct ovsdb_client *, long long now,
                          struct jsonrpc_msg *);
/* Returns the next message to send (the caller owns it), or NULL. */
struct jsonrpc_msg *ovsdb_client_pop_msg(struct ovsdb_client *);
bool ovsdb_client_has_output(const struct ovsdb_client *);
/* Drops the connection and reconnects (to the next remote). */
void ovsdb_client_force_reconnect(struct ovsdb_client *);

/* State. */
bool ovsdb_client_is_connected(const struct ovsdb_client *);
/* True while monitoring: the replica is complete and being updated. */
bool ovsdb_client_is_ready(const struct ovsdb_client *);
/* True once the replica has been loaded at least once. */
bool ovsdb_client_has_ever_been_ready(const struct ovsdb_client *);
/* Increments whenever the replica changes or the connection state does. */
uint64_t ovsdb_client_get_seqno(const struct ovsdb_client *);
/* The last error (connection, protocol or server refusal), or NULL. */
const char *ovsdb_client_get_last_error(const struct ovsdb_client *);
/* The errno of the last failed connection attempt, or 0. */
int ovsdb_client_get_last_errno(const struct ovsdb_client *);
/* The monitor method in use: "monitor_cond_since", "monitor_cond",
 * "monitor", or NULL if not monitoring. */
const char *ovsdb_client_get_monitor_method(const struct ovsdb_client *);
const char *ovsdb_client_get_db_name(const struct ovsdb_client *);
/* The schema rows are laid out by, or NULL if not yet known. */
const struct ovsdb_schema *ovsdb_client_get_schema(
    const struct ovsdb_client *);
/* Counters, for tests and weft-appctl. */
struct ovsdb_client_stats {
    unsigned int n_connections; /* Connections that reached the server. */
    unsigned int n_full_loads;  /* Monitor replies with whole contents. */
    unsigned int n_resumes;     /* monitor_cond_since replies that only
                                 * carried changes since the last txn. */
    unsigned long long n_updates;   /* Update notifications applied. */
};
void ovsdb_client_get_stats(const struct ovsdb_client *,
                            struct ovsdb_client_stats *);
/* Optional hooks, called from inside ovsdb_client_receive(). */
struct ovsdb_client_callbacks {
    void (*changed)(void *aux);         /* The replica changed. */
    void (*txn_done)(struct ovsdb_client_txn *, void *aux);
};
void ovsdb_client_set_callbacks(struct ovsdb_client *,
                                const struct ovsdb_client_callbacks *,
                                void *aux);

/* For IO adapters (ovsdb/client-io.h): one opaque attachment, which
 * ovsdb_client_destroy() destroys first by calling 'destroy'. */
void ovsdb_client_set_io(struct ovsdb_client *, void *io,
                         void (*destroy)(void *io));
void *ovsdb_client_get_io(const struct ovsdb_client *);
size_t ovsdb_client_get_n_remotes(const struct ovsdb_client *);

/* Tables and rows. */
size_t ovsdb_client_get_n_tables(const struct ovsdb_client *);
struct ovsdb_client_table *ovsdb_client_get_table(
    const struct ovsdb_client *, const char *name);
struct ovsdb_client_table *ovsdb_client_get_table_by_index(
    const struct ovsdb_client *, size_t index);
/* For generated code: the table of 'tc', which must belong to the class
 * the client was created with. */
struct ovsdb_client_table *ovsdb_client_get_table_by_class(
    const struct ovsdb_client *, const struct ovsdb_client_table_class *tc);

const struct ovsdb_client_row *ovsdb_client_table_first(
    const struct ovsdb_client_table *);
const struct ovsdb_client_row *ovsdb_client_table_next(
    const struct ovsdb_client_row *);
const struct ovsdb_client_row *ovsdb_client_table_find(
    const struct ovsdb_client_table *, const struct uuid *);
size_t ovsdb_client_table_count(const struct ovsdb_client_table *);

#define OVSDB_CLIENT_ROW_FOR_EACH(ROW, TABLE)                              \
    for ((ROW) = ovsdb_client_table_first(TABLE); (ROW);                  \
         (ROW) = ovsdb_client_table_next(ROW))

/* Returns the value of column 'index' (or named 'column'; NULL if there
 * is no such column). */
const struct ovsdb_datum *ovsdb_client_row_get(
    const struct ovsdb_client_row *, unsigned int index);
const struct ovsdb_datum *ovsdb_client_row_get_by_name(
    const struct ovsdb_client_row *, const char *column);
const struct ovsdb_type *ovsdb_client_row_get_type(
    const struct ovsdb_client_row *, unsigned int index);

/* Change tracking. */
#define OVSDB_CLIENT_ROW_FOR_EACH_TRACKED(ROW, TABLE)                      \
    LIST_FOR_EACH (ROW, track_node, &(TABLE)->track_list)

bool ovsdb_client_row_is_new(const struct ovsdb_client_row *);
bool ovsdb_client_row_is_deleted(const struct ovsdb_client_row *);
/* Was column 'index' modified?  (Always true for inserted rows.) */
bool ovsdb_client_row_is_updated(const struct ovsdb_client_row *,
                                 unsigned int index);
/* Old value of column 'index' of a modified row, or its current value if
 * the column did not change. */
const struct ovsdb_datum *ovsdb_client_row_get_old(
    const struct ovsdb_client_row *, unsigned int index);
bool ovsdb_client_has_tracked(const struct ovsdb_client *);
/* Forgets tracked changes and frees the rows they deleted. */
void ovsdb_client_clear_tracked(struct ovsdb_client *);

/* Helpers for typed fields.  Returns the value of string 'key' in a map
 * with string keys and values, or NULL. */
const char *ovsdb_client_smap_get(const struct ovsdb_datum *,
                                  const char *key);

#endif
