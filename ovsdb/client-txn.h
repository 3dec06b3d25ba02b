/* ovsdb/client-txn: transactions built over an OVSDB client's replica.
 *
 *     struct ovsdb_client_txn *txn = ovsdb_client_txn_create(client);
 *     const struct ovsdb_client_row *ls = ovsdb_client_txn_insert(txn, t);
 *     ovsdb_client_txn_write(txn, ls, name_column, &name_datum);
 *     ovsdb_client_txn_verify(txn, nb_global, ports_column);
 *     ovsdb_client_txn_commit(txn);         -> queues a "transact" request
 *     ...the reply arrives through ovsdb_client_receive()...
 *     ovsdb_client_txn_get_status(txn)      -> SUCCESS, TRY_AGAIN, ...
 *     ovsdb_client_txn_destroy(txn);
 *
 * While a transaction is being built, the replica shows its effect: rows
 * it inserted are in their tables (with a temporary uuid), rows it deleted
 * are skipped by iteration and lookup, and written or mutated columns read
 * as their new values, typed fields included.  Committing (or destroying
 * the transaction) puts the replica back as the server last described it;
 * the committed changes come back from the server as ordinary updates.
 * Only one transaction per client may be under construction, and the
 * client must not be fed messages meanwhile (build it in one go).
 *
 * Operations generated at commit, in this order:
 *
 *     assert    the client's lock, if it has set one (status NOT_LOCKED
 *               if the server says we do not hold it)
 *     wait      one per verified row: "until" "==" with the columns'
 *               replica values and timeout 0, so the server rejects the
 *               transaction if another client changed them (TRY_AGAIN)
 *     insert    one per inserted row, non-default columns only, with a
 *               "uuid-name" that references to the row are written as
 *     delete    one per deleted row of a root table (rows of other tables
 *               are left to the server's garbage collection, which removes
 *               them once no strong reference to them remains)
 *     update    one per modified row, only the columns whose value differs
 *               from the replica's
 *     mutate    set/map insertions and deletions, which merge with
 *               concurrent changes by other clients instead of overwriting
 *     mutate +  ovsdb_client_txn_increment(): "+=" 1 and a select reading
 *     select    back the new value
 *     comment   if any
 *
 * A transaction with no insert, delete, update, mutate or increment is
 * UNCHANGED at commit and is not sent; so is one that changes nothing
 * (ovsdb_client_txn_has_changes()) and has an increment made with
 * ovsdb_client_txn_increment_if_changed().
 *
 * Rows passed to these functions are replica rows or rows this transaction
 * inserted.  Datums must have the column's type.  Not thread-safe. */
#ifndef WEFT_OVSDB_CLIENT_TXN_H
#define WEFT_OVSDB_CLIENT_TXN_H 1

#include <stdbool.h>
#include "ovsdb/client.h"

struct json;

enum ovsdb_client_txn_status {
    OVSDB_TXN_UNCOMMITTED,      /* Being built. */
    OVSDB_TXN_INCOMPLETE,       /* Sent; awaiting the reply. */
    OVSDB_TXN_UNCHANGED,        /* Nothing to change; not sent. */
    OVSDB_TXN_SUCCESS,
    OVSDB_TXN_TRY_AGAIN,        /* A verified column changed, or the
                                 * connection failed: wait for the replica
                                 * to change (ovsdb_client_get_seqno()),
                                 * then rebuild and retry. */
    OVSDB_TXN_NOT_LOCKED,       /* The client's lock is not held. */
    OVSDB_TXN_ERROR,            /* The server refused it; see the error. */
    OVSDB_TXN_ABORTED,          /* Destroyed before commit. */
};

const char *ovsdb_client_txn_status_to_string(enum ovsdb_client_txn_status);

struct ovsdb_client_txn *ovsdb_client_txn_create(struct ovsdb_client *);
/* Abandons an uncommitted transaction (restoring the replica) or forgets
 * a pending one (its reply will be ignored). */
void ovsdb_client_txn_destroy(struct ovsdb_client_txn *);
struct ovsdb_client *ovsdb_client_txn_get_client(
    const struct ovsdb_client_txn *);

/* Appends a line to the transaction's comment (ovsdb-server logs it). */
void ovsdb_client_txn_add_comment(struct ovsdb_client_txn *,
                                  const char *format, ...)
    PRINTF_FORMAT(2, 3);

/* Inserts a new row into 'table' and returns it; its columns start with
 * their default values.  The row is usable until the transaction is
 * committed; afterwards only ovsdb_client_txn_get_insert_uuid() applies. */
const struct ovsdb_client_row *ovsdb_client_txn_insert(
    struct ovsdb_client_txn *, struct ovsdb_client_table *);
/* Like ovsdb_client_txn_insert() but the row's temporary uuid is 'uuid'
 * (references to it written in this transaction become references to the
 * new row).  With 'persist', the server is asked to give the row that very
 * uuid (the "uuid" member of "insert", an Open vSwitch extension). */
const struct ovsdb_client_row *ovsdb_client_txn_insert_uuid(
    struct ovsdb_client_txn *, struct ovsdb_client_table *,
    const struct uuid *, bool persist);
void ovsdb_client_txn_delete(struct ovsdb_client_txn *,
                             const struct ovsdb_client_row *);

/* Sets column 'column' of 'row' to '*datum', taking ownership of it. */
void ovsdb_client_txn_write(struct ovsdb_client_txn *,
                            const struct ovsdb_client_row *,
                            unsigned int column, struct ovsdb_datum *);
void ovsdb_client_txn_write_clone(struct ovsdb_client_txn *,
                                  const struct ovsdb_client_row *,
                                  unsigned int column,
                                  const struct ovsdb_datum *);

/* Mutations of set and map columns (RFC 7047 "insert" and "delete"
 * mutators).  Each takes ownership of 'datum':
 *   insert_elems: set elements, or map pairs (keys already present keep
 *                 their value, as OVSDB's map "insert" does);
 *   delete_elems: set elements, or map pairs (removed if key and value
 *                 match);
 *   delete_keys:  a set of map keys.
 * set_key (maps) replaces or adds one pair: delete_keys + insert_elems. */
void ovsdb_client_txn_insert_elems(struct ovsdb_client_txn *,
                                   const struct ovsdb_client_row *,
                                   unsigned int column, struct ovsdb_datum *);
void ovsdb_client_txn_delete_elems(struct ovsdb_client_txn *,
                                   const struct ovsdb_client_row *,
                                   unsigned int column, struct ovsdb_datum *);
void ovsdb_client_txn_delete_keys(struct ovsdb_client_txn *,
                                  const struct ovsdb_client_row *,
                                  unsigned int column, struct ovsdb_datum *);
void ovsdb_client_txn_set_key(struct ovsdb_client_txn *,
                              const struct ovsdb_client_row *,
                              unsigned int column, union ovsdb_atom *key,
                              union ovsdb_atom *value);

/* Makes the transaction fail with TRY_AGAIN if column 'column' of 'row'
 * no longer has its replica value when the server executes it. */
void ovsdb_client_txn_verify(struct ovsdb_client_txn *,
                             const struct ovsdb_client_row *,
                             unsigned int column);
/* Adds 1 to integer column 'column' of 'row' on the server (at most once
 * per transaction); ovsdb_client_txn_get_increment_new_value() then gives
 * the new value.  'row' may be one this transaction inserts. */
void ovsdb_client_txn_increment(struct ovsdb_client_txn *,
                                const struct ovsdb_client_row *,
                                unsigned int column);
/* Like ovsdb_client_txn_increment(), but the increment only goes along
 * with real changes: if at commit ovsdb_client_txn_has_changes() is false,
 * nothing at all is sent (verifications and mutations that change nothing
 * included) and the status is UNCHANGED.  So SUCCESS means the increment
 * was applied.  This is how ovs-vsctl bumps Open_vSwitch next_cfg. */
void ovsdb_client_txn_increment_if_changed(struct ovsdb_client_txn *,
                                           const struct ovsdb_client_row *,
                                           unsigned int column);

/* Does the transaction, as built so far, change the database as the
 * replica shows it: insert a row, delete a root-table row (other deleted
 * rows are left to garbage collection), or leave some written or mutated
 * column with a value other than the replica's?  Verifications, comments
 * and increments are not changes, nor are writes and mutations whose net
 * effect is nil (setting a map key to the value it has).  Only before
 * commit. */
bool ovsdb_client_txn_has_changes(const struct ovsdb_client_txn *);

/* The value 'column' of 'row' has in this transaction. */
const struct ovsdb_datum *ovsdb_client_txn_read(
    const struct ovsdb_client_txn *, const struct ovsdb_client_row *,
    unsigned int column);

/* Generates the operations and queues the "transact" request.  Returns
 * the new status: INCOMPLETE, UNCHANGED, or TRY_AGAIN if the client is not
 * connected and monitoring. */
enum ovsdb_client_txn_status ovsdb_client_txn_commit(
    struct ovsdb_client_txn *);

enum ovsdb_client_txn_status ovsdb_client_txn_get_status(
    const struct ovsdb_client_txn *);
/* Why the transaction failed ("tag: details" from the server), or NULL. */
const char *ovsdb_client_txn_get_error(const struct ovsdb_client_txn *);
/* The failing operation's result object (or the JSON-RPC error) as
 * sorted JSON text, as ovs-vsctl prints it after "transaction error: ";
 * falls back to the error text.  Never NULL. */
const char *ovsdb_client_txn_get_error_json(const struct ovsdb_client_txn *);
/* The "transact" params sent, for logging and tests: NULL before commit
 * and for a request larger than 1 MB, which is not kept (it is sent as
 * text, built one operation at a time, and not held until the reply).
 * Owned by the transaction. */
const struct json *ovsdb_client_txn_get_request(
    const struct ovsdb_client_txn *);
/* After SUCCESS: the uuid the server gave a row this transaction
 * inserted, or NULL if 'row' was not inserted by it.  The inserted rows
 * are freed at commit and 'row' is only compared by address, so 'row'
 * must be a pointer ovsdb_client_txn_insert() returned for this
 * transaction (a live row now at a freed row's address would match). */
const struct uuid *ovsdb_client_txn_get_insert_uuid(
    const struct ovsdb_client_txn *, const struct ovsdb_client_row *);
long long ovsdb_client_txn_get_increment_new_value(
    const struct ovsdb_client_txn *);

/* For generated bindings (ovsdb/codegen.py).  C values are arrays whose
 * elements are, by atomic type: int64_t, double, bool, const char *,
 * struct uuid, or, for references, a pointer to the referenced (typed) row.
 *
 * ovsdb_client_txn_write_c() sets 'column' to the 'n' elements of 'keys'
 * (and 'values' for maps).  ovsdb_client_txn_mutate_c() adds or deletes
 * the set element 'key', or sets or deletes map key 'key' ('value' is
 * used by SETKEY only). */
enum ovsdb_client_mutate_op {
    OVSDB_MUTATE_ADD,
    OVSDB_MUTATE_DEL,
    OVSDB_MUTATE_SETKEY,
    OVSDB_MUTATE_DELKEY,
};
void ovsdb_client_txn_write_c(struct ovsdb_client_txn *,
                              const struct ovsdb_client_row *,
                              unsigned int column, const void *keys,
                              const void *values, size_t n);
void ovsdb_client_txn_mutate_c(struct ovsdb_client_txn *,
                               const struct ovsdb_client_row *,
                               unsigned int column,
                               enum ovsdb_client_mutate_op,
                               const void *key, const void *value);

#endif
