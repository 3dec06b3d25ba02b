/* ovsdb/txn: in-memory transactions on a struct ovsdb.
 *
 * Usage (the executor in ovsdb/execution.c does this for "transact"):
 *
 *     struct ovsdb_txn *txn = ovsdb_txn_create(db);
 *     ... ovsdb_txn_row_insert / _modify / _delete ...
 *     error = ovsdb_txn_commit(txn, durable);    // or ovsdb_txn_abort()
 *
 * While the transaction is open its changes are visible in the tables
 * (selects in the same transaction see them).  ovsdb_txn_commit() then
 * enforces the schema's whole-database rules: strong references must point
 * to existing rows, non-root rows that lose their last strong reference
 * are deleted (garbage collection), weak references to deleted rows are
 * removed, column sizes stay within bounds, indexes stay unique and
 * tables stay within maxRows.  If all holds, the observers (durable log,
 * monitors) see the final changes; the first observer error, or any rule
 * violation, aborts the transaction and leaves the database unchanged.
 * Either way the transaction is destroyed.
 *
 * One transaction at a time per database.  Not thread-safe. */
#ifndef WEFT_OVSDB_TXN_H
#define WEFT_OVSDB_TXN_H 1

#include "hmap.h"
#include "ds.h"
#include "ovsdb/row.h"

struct ovsdb_txn_row {
    struct hmap_node hmap_node;     /* In txn->txn_rows, by UUID. */
    struct ovsdb_table *table;
    struct uuid uuid;
    struct ovsdb_row *old;          /* Committed version, NULL if new. */
    struct ovsdb_row *new;          /* New version, NULL if deleted. */
    unsigned long *changed;         /* Bitmap of changed columns of a
                                     * modified row, valid in observers'
                                     * commit callbacks; NULL for inserted
                                     * and deleted rows. */
};

struct ovsdb_txn {
    struct ovsdb *db;
    struct hmap txn_rows;           /* Of struct ovsdb_txn_row. */
    struct hmap ref_deltas;         /* Strong reference count changes. */
    struct ds comment;              /* From "comment" operations. */
    struct uuid txn_id;             /* Identifies the commit (update3). */

    /* For the observers' commit callbacks: every row of 'txn_rows', those
     * of one table together. */
    const struct ovsdb_txn_row **rows_by_table;
    size_t n_rows;
};

struct ovsdb_txn *ovsdb_txn_create(struct ovsdb *);
void ovsdb_txn_abort(struct ovsdb_txn *);
struct ovsdb_error *ovsdb_txn_commit(struct ovsdb_txn *, bool durable)
    WARN_UNUSED;

/* Inserts 'row', whose _uuid is already set; takes ownership. */
void ovsdb_txn_row_insert(struct ovsdb_txn *, struct ovsdb_row *);
/* Returns a modifiable version of 'row'. */
struct ovsdb_row *ovsdb_txn_row_modify(struct ovsdb_txn *,
                                       const struct ovsdb_row *);
void ovsdb_txn_row_delete(struct ovsdb_txn *, const struct ovsdb_row *);
void ovsdb_txn_add_comment(struct ovsdb_txn *, const char *);
bool ovsdb_txn_is_empty(const struct ovsdb_txn *);

/* True if column 'idx' of 'tr' changed; every column of an inserted or
 * deleted row counts as changed. */
static inline bool
ovsdb_txn_row_column_changed(const struct ovsdb_txn_row *tr,
                             unsigned int idx)
{
    const unsigned int bits = sizeof(unsigned long) * 8;
    return (!tr->old || !tr->new
            || (tr->changed[idx / bits] >> (idx % bits)) & 1);
}

#define OVSDB_TXN_FOR_EACH_ROW(TXN_ROW, TXN) \
    HMAP_FOR_EACH (TXN_ROW, hmap_node, &(TXN)->txn_rows)

#endif
