/* ovsdb/client-private: internals shared by the OVSDB client's files.
 *
 *     client.c          session state machine, requests, conditions, locks
 *     client-replica.c  tables and rows, applying updates, change tracking,
 *                       typed fields and the references between rows
 *     client-txn.c      transactions
 *
 * Nothing outside those files may include this header. */
#ifndef WEFT_OVSDB_CLIENT_PRIVATE_H
#define WEFT_OVSDB_CLIENT_PRIVATE_H 1

#include <limits.h>
#include "ovsdb/client.h"
#include "ovsdb/client-reconnect.h"
#include "shash.h"
#include "ovsdb/string-pool.h"

struct ovsdb_error;

/* Bitmaps of column indexes. */
#define CLIENT_BITS (sizeof(unsigned long) * CHAR_BIT)
static inline unsigned long *
client_bitmap_alloc(size_t n)
{
    return xcalloc((n + CLIENT_BITS - 1) / CLIENT_BITS,
                   sizeof(unsigned long));
}
static inline void
client_bitmap_set(unsigned long *b, size_t i)
{
    b[i / CLIENT_BITS] |= 1UL << (i % CLIENT_BITS);
}
static inline bool
client_bitmap_is_set(const unsigned long *b, size_t i)
{
    return (b[i / CLIENT_BITS] >> (i % CLIENT_BITS)) & 1;
}

/* A reference from column 'column' of row 'src' to the row with uuid
 * 'dst', recorded when typed fields are parsed so that 'src' can be
 * re-parsed when a row with that uuid appears or disappears. */
struct ovsdb_client_arc {
    struct list dst_node;       /* In 'group->arcs'. */
    struct list src_node;       /* In src->src_arcs. */
    struct ovsdb_client_row *src;
    struct client_arc_group *group;     /* Its destination. */
    unsigned int column;
};

/* The arcs to one destination uuid.  Grouping them keeps 'db->arcs' hash
 * chains short and makes removing an arc O(1), however many rows refer to
 * one row (every logical flow of a datapath). */
struct client_arc_group {
    struct hmap_node node;      /* In db->arcs, by uuid_hash(&dst). */
    struct uuid dst;
    struct list arcs;           /* 'struct ovsdb_client_arc's. */
};

/* One replicated database: the monitored one, or "_Server". */
struct ovsdb_client_db {
    struct ovsdb_client *client;
    char *name;
    struct json *monitor_id;    /* Identifies our monitor in updates. */
    struct ovsdb_schema *schema;    /* Rows are laid out by this. */
    bool schema_is_fixed;       /* Given by the caller (not fetched)? */
    const struct ovsdb_client_class *class_;    /* Typed rows, or NULL. */
    struct ovsdb_client_table **tables;         /* In class/sorted order. */
    size_t n_tables;
    struct shash tables_by_name;    /* Name -> struct ovsdb_client_table. */
    struct hmap arcs;           /* 'struct client_arc_group's, by
                                 * destination uuid. */
    /* While an update is applied, rows whose references must be parsed
     * again (a row they refer to appeared or went), each once at the end,
     * rather than once per such row: loading a switch and its 40 ports in
     * any order must not parse the switch's port list 40 times. */
    bool defer_reparse;
    struct list reparse_list;   /* Rows, by 'reparse_node'. */
    bool tracking;              /* Record per-batch changes? */
    bool changed;               /* Replica changed in the current batch. */
    bool inconsistent;          /* An update did not fit the replica. */
    uint64_t row_seqno;         /* Last 'seqno' given to a row. */
    struct string_pool strings; /* Shares the rows' short strings. */
};

/* Replica (client-replica.c). */
void client_db_init(struct ovsdb_client_db *, struct ovsdb_client *,
                    const char *name, const char *monitor_id);
void client_db_destroy(struct ovsdb_client_db *);
/* Lays the replica out by 'schema' (takes ownership), dropping any rows. */
void client_db_set_schema(struct ovsdb_client_db *, struct ovsdb_schema *,
                          const struct ovsdb_client_class *);
/* Records which tables and columns the server has ('server' NULL: all). */
void client_db_set_server_schema(struct ovsdb_client_db *,
                                 const struct ovsdb_schema *server);
/* Builds the <monitor-requests> object; 'cond' adds "where" clauses and
 * uses the array form of monitor_cond. */
struct json *client_db_monitor_requests(const struct ovsdb_client_db *,
                                        bool cond);
/* Applies <table-updates> ('version' 1) or <table-updates2> (2).  With
 * 'reload', the updates are the database's whole contents: rows they do
 * not mention are deleted.  Takes 'json' apart as it goes (each applied
 * row's JSON, unless shared, is freed and replaced by null), so the caller
 * must own it and not need it afterwards. */
struct ovsdb_error *client_db_apply_updates(struct ovsdb_client_db *,
                                            struct json *,
                                            int version, bool reload)
    WARN_UNUSED;
void client_db_clear_tracked(struct ovsdb_client_db *);
bool client_db_has_tracked(const struct ovsdb_client_db *);
void client_db_clear_rows(struct ovsdb_client_db *);

/* Rows, for transactions: a row outside the replica, whose typed fields
 * are parsed from default values. */
struct ovsdb_client_row *client_row_create(struct ovsdb_client_table *,
                                           const struct uuid *);
/* Makes 'row' visible in its table (or hides it again) and re-parses the
 * rows that refer to its uuid. */
void client_row_link(struct ovsdb_client_row *);
void client_row_unlink(struct ovsdb_client_row *);
void client_row_free(struct ovsdb_client_row *);
/* Swaps '*datum' with the row's value of 'column' and re-parses the typed
 * field, without change tracking. */
void client_row_swap_column(struct ovsdb_client_row *, unsigned int column,
                            struct ovsdb_datum *datum);
/* Drops the row's references to other rows (for rows leaving use). */
void client_row_drop_arcs(struct ovsdb_client_row *);

/* Session (client.c), for transactions. */
struct ovsdb_client_db *client_get_data_db(struct ovsdb_client *);
/* Queues request 'method' with 'params' (takes ownership) for 'txn'.
 * Returns false if not connected (and 'params' is freed). */
bool client_send_txn(struct ovsdb_client *, struct json *params,
                     struct ovsdb_client_txn *);
void client_forget_txn(struct ovsdb_client *, struct ovsdb_client_txn *);
const char *client_get_lock_name(const struct ovsdb_client *);
/* Tracks the transaction being built (at most one at a time). */
void client_set_building_txn(struct ovsdb_client *,
                             struct ovsdb_client_txn *);
struct ovsdb_client_txn *client_get_building_txn(const struct ovsdb_client *);
void client_txn_done(struct ovsdb_client *, struct ovsdb_client_txn *);

/* Transactions (client-txn.c), for the session and the replica. */
bool client_txn_row_is_deleted(const struct ovsdb_client_txn_row *);
void client_txn_process_reply(struct ovsdb_client_txn *,
                              const struct json *result,
                              const struct json *error);
/* The connection went away before the reply: the outcome is unknown. */
void client_txn_abort(struct ovsdb_client_txn *, const char *why);

#endif
