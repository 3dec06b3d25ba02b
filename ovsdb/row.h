/* ovsdb/row: database rows, tables and databases (the server's data).
 *
 * A database holds one 'struct ovsdb_table' per table of its schema; a
 * table holds its rows in an hmap keyed by UUID and, for each of the
 * schema's indexes, an hmap of the same rows keyed by the indexed columns.
 *
 * A row stores one datum per column, including _uuid and _version, in
 * 'fields' (indexed by struct ovsdb_column's 'index').  While a transaction
 * is open, the table contains the transaction's view: rows the
 * transaction inserted or modified replace the committed ones, which the
 * transaction keeps (see ovsdb/txn.h).  'n_refs' counts strong references
 * to the row from other rows, for garbage collection.
 *
 * A committed row's columns never change: a transaction that modifies a
 * row works on a clone and replaces it at commit.  So a committed row can
 * be shared instead of copied: ovsdb_row_ref() takes a reference (the
 * monitors' transaction history keeps the rows it reports this way) and
 * ovsdb_row_destroy() drops one, freeing the row with the last.  The
 * bookkeeping members ('hmap_node', 'txn_row', 'n_refs', 'index_nodes')
 * belong to the table and transaction, not to such other holders. */
#ifndef WEFT_OVSDB_ROW_H
#define WEFT_OVSDB_ROW_H 1

#include "hmap.h"
#include "list.h"
#include "shash.h"
#include "uuid.h"
#include "ovsdb/datum.h"
#include "ovsdb/schema.h"

struct json;
struct ovsdb_txn_row;

/* A row's membership in one of its table's indexes. */
struct ovsdb_row_index_node {
    struct hmap_node node;          /* In table->indexes[i]. */
    struct ovsdb_row *row;          /* The row this node belongs to. */
};

struct ovsdb_row {
    struct hmap_node hmap_node;     /* In table->rows, hashed by UUID. */
    struct ovsdb_table *table;
    struct ovsdb_txn_row *txn_row;  /* Non-null while in a transaction. */
    size_t n_refs;                  /* Strong references to this row. */
    struct ovsdb_row_index_node *index_nodes; /* One per table index. */
    size_t n_holders;               /* References to this struct. */
    struct ovsdb_datum fields[];    /* One per column, by column index. */
};

struct ovsdb_row *ovsdb_row_create(const struct ovsdb_table *);
struct ovsdb_row *ovsdb_row_clone(const struct ovsdb_row *);
/* Returns 'row' with one more reference; only for committed rows, whose
 * columns no longer change. */
struct ovsdb_row *ovsdb_row_ref(const struct ovsdb_row *);
/* Drops a reference to 'row' and frees it with the last one. */
void ovsdb_row_destroy(struct ovsdb_row *);

static inline const struct uuid *
ovsdb_row_get_uuid(const struct ovsdb_row *row)
{
    return &row->fields[OVSDB_COL_UUID].keys[0].uuid;
}

static inline struct uuid *
ovsdb_row_get_uuid_rw(struct ovsdb_row *row)
{
    return &row->fields[OVSDB_COL_UUID].keys[0].uuid;
}

static inline const struct uuid *
ovsdb_row_get_version(const struct ovsdb_row *row)
{
    return &row->fields[OVSDB_COL_VERSION].keys[0].uuid;
}

uint32_t ovsdb_row_hash_columns(const struct ovsdb_row *,
                                const struct ovsdb_column_set *,
                                uint32_t basis);
bool ovsdb_row_equal_columns(const struct ovsdb_row *,
                             const struct ovsdb_row *,
                             const struct ovsdb_column_set *);
/* Parses a JSON <row> object (column name -> value) into 'row', setting
 * only the named columns (which are added to 'columns' if nonnull).
 * Read-only columns are refused unless 'allow_immutable'. */
struct ovsdb_error *ovsdb_row_from_json(struct ovsdb_row *,
                                        const struct json *,
                                        struct ovsdb_symbol_table *,
                                        struct ovsdb_column_set *columns,
                                        bool is_update) WARN_UNUSED;
struct json *ovsdb_row_to_json(const struct ovsdb_row *,
                               const struct ovsdb_column_set *);

/* A table. */
struct ovsdb_table {
    const struct ovsdb_table_schema *schema;
    struct hmap rows;               /* Contains struct ovsdb_row. */
    struct hmap *indexes;           /* One per schema index. */
    struct ovsdb_txn_table *txn_table; /* Non-null while in a txn. */
};

struct ovsdb_table *ovsdb_table_create(const struct ovsdb_table_schema *);
void ovsdb_table_destroy(struct ovsdb_table *);
const struct ovsdb_row *ovsdb_table_get_row(const struct ovsdb_table *,
                                            const struct uuid *);
/* Inserts or removes 'row' in the table's row map and its indexes. */
void ovsdb_table_put_row(struct ovsdb_table *, struct ovsdb_row *);
void ovsdb_table_remove_row(struct ovsdb_table *, struct ovsdb_row *);

#define OVSDB_TABLE_FOR_EACH_ROW(ROW, TABLE) \
    HMAP_FOR_EACH (ROW, hmap_node, &(TABLE)->rows)
#define OVSDB_TABLE_FOR_EACH_ROW_SAFE(ROW, TABLE) \
    HMAP_FOR_EACH_SAFE (ROW, hmap_node, &(TABLE)->rows)

/* Something that wants to see every committed transaction: the durable
 * log, the monitors.  'commit' runs after the transaction passed all
 * checks and before it becomes visible; the first observer returning an
 * error aborts it. */
struct ovsdb_txn;
struct ovsdb_observer;
struct ovsdb_observer_class {
    struct ovsdb_error *(*commit)(struct ovsdb_observer *,
                                  const struct ovsdb_txn *, bool durable);
    void (*destroy)(struct ovsdb_observer *);
};
struct ovsdb_observer {
    const struct ovsdb_observer_class *class;
    struct list node;               /* In struct ovsdb's 'observers'. */
};

/* A database. */
struct ovsdb {
    char *name;                     /* Schema name. */
    struct ovsdb_schema *schema;
    struct shash tables;            /* Name -> struct ovsdb_table *. */
    struct list observers;          /* Of struct ovsdb_observer. */
    struct ovsdb_txn *txn;          /* Transaction in progress, if any. */
    uint64_t n_commits;             /* Committed transactions so far. */
    struct uuid last_txn_id;        /* Id of the last commit (update3). */
    bool read_only;
};

/* Takes ownership of 'schema'. */
struct ovsdb *ovsdb_create(struct ovsdb_schema *);
void ovsdb_destroy(struct ovsdb *);
struct ovsdb_table *ovsdb_get_table(const struct ovsdb *, const char *);
void ovsdb_add_observer(struct ovsdb *, struct ovsdb_observer *);
void ovsdb_remove_observer(struct ovsdb *, struct ovsdb_observer *);
size_t ovsdb_count_rows(const struct ovsdb *);

#endif
