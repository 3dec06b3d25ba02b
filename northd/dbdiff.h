/* northd/dbdiff: writes desired database rows over a client's replica
 * with the fewest changes.
 *
 * weft-northd computes, from scratch, the rows each southbound table
 * (and the few northbound columns it owns) should hold, then makes the
 * database match with one transaction that changes only what differs:
 * rows that are already right are not mentioned at all, a row with one
 * stale column gets an update of that column only, missing rows are
 * inserted and unwanted rows deleted.  A table's sync code uses this
 * module in three steps:
 *
 *   1. Index the existing rows by their natural key, a string (a port's
 *      name, a multicast group's datapath and name, ...):
 *
 *          dbdiff_index_init(&idx, table, key_func, aux);
 *
 *   2. For each desired row, claim the existing row with its key, or
 *      insert one, then set each column northd owns:
 *
 *          row = dbdiff_index_claim(&idx, key);
 *          if (!row) {
 *              row = dbdiff_insert(diff, table);
 *          }
 *          dbdiff_set_string(diff, row, COL_NAME, name);
 *          dbdiff_set_integer(diff, row, COL_TUNNEL_KEY, key);
 *
 *      Each setter compares the desired value with the row's current one
 *      and writes the column only if they differ.  Columns northd does
 *      not own (written by ovn-controller, such as Port_Binding chassis)
 *      are simply never set.
 *
 *   3. Delete the rows nobody claimed (two rows with one key: the second
 *      is unclaimed, so duplicates disappear too) and free the index:
 *
 *          dbdiff_index_finish(&idx, diff, true);
 *
 * Rows of non-root tables (HA_Chassis, Meter_Band, ...) are never deleted
 * explicitly: they go when nothing references them any more (the server's
 * garbage collection).
 *
 * References.  A reference column is set to the referenced replica row;
 * a row inserted earlier in the same transaction may be referenced too
 * (client-txn turns its temporary uuid into a named uuid), so syncing the
 * referenced table first is all that ordering requires.
 *
 * Counters.  'struct dbdiff' counts, per table, the rows inserted,
 * updated (at least one column written) and deleted, each row once.
 *
 * Cost.  A row that is already right costs comparisons only: no
 * allocation, no string copy, so a recompute that changes nothing is
 * cheap even for large tables.
 *
 * Ownership.  Values passed as 'struct dbdiff_datum' are consumed (their
 * strings are borrowed, see below).  The index borrows the replica's
 * rows and key strings; it must not outlive the transaction.
 * Not thread-safe. */
#ifndef WEFT_NORTHD_DBDIFF_H
#define WEFT_NORTHD_DBDIFF_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hmap.h"
#include "ovsdb/client.h"
#include "ovsdb/datum.h"

struct ovsdb_client_txn;
struct ds;

struct dbdiff_table_stats {
    unsigned long long n_inserted;
    unsigned long long n_updated;
    unsigned long long n_deleted;
};

struct dbdiff {
    struct ovsdb_client_txn *txn;
    struct ovsdb_client *client;
    struct dbdiff_table_stats *tables;  /* By table index. */
    size_t n_tables;

    struct hmap touched;        /* Rows inserted or updated so far, so
                                 * that each is counted once. */
};

/* Writes through 'txn', which belongs to 'client'. */
void dbdiff_init(struct dbdiff *, struct ovsdb_client *,
                 struct ovsdb_client_txn *);
void dbdiff_destroy(struct dbdiff *);
/* Totals over all tables. */
void dbdiff_totals(const struct dbdiff *, struct dbdiff_table_stats *);
/* Appends "TABLE: +I ~U -D" lines for the tables that changed. */
void dbdiff_format(const struct dbdiff *, struct ds *);
/* Adds 'diff''s counters to 'sum' (an array of ovsdb_client_get_n_tables()
 * entries). */
void dbdiff_accumulate(const struct dbdiff *, struct dbdiff_table_stats *sum);

/* Existing rows by natural key.  A key function returns the key of a row:
 * a string inside the row (borrowed), or one it formatted into 'buf'
 * (the index copies it), or NULL. */
struct ds;
typedef const char *dbdiff_key_func(const struct ovsdb_client_row *,
                                    struct ds *buf, void *aux);

struct dbdiff_index {
    struct ovsdb_client_table *table;
    struct hmap entries;        /* 'struct dbdiff_entry's by key hash. */
};

/* Indexes every row of 'table' under the key 'key_func' returns (NULL
 * files the row under no key: it can never be claimed). */
void dbdiff_index_init(struct dbdiff_index *, struct ovsdb_client_table *,
                       dbdiff_key_func *, void *aux);
/* Returns an unclaimed row filed under 'key', or NULL, without claiming
 * it. */
const struct ovsdb_client_row *dbdiff_index_find(const struct dbdiff_index *,
                                                 const char *key);
/* Like dbdiff_index_find(), but claims the row it returns. */
const struct ovsdb_client_row *dbdiff_index_claim(struct dbdiff_index *,
                                                  const char *key);
/* With 'delete', deletes every row not claimed (rows filed under no key
 * included) through 'diff'; then frees the index.  Without, 'diff' may be
 * NULL. */
void dbdiff_index_finish(struct dbdiff_index *, struct dbdiff *,
                         bool delete);

/* Rows. */
const struct ovsdb_client_row *dbdiff_insert(struct dbdiff *,
                                             struct ovsdb_client_table *);
void dbdiff_delete(struct dbdiff *, const struct ovsdb_client_row *);

/* A value under construction: a set or map.  Strings are borrowed, not
 * copied: they must stay valid until the dbdiff_set() that consumes the
 * value.  Comparing with the row's current value allocates nothing; only
 * a value that differs is turned into a datum and written. */
union dbdiff_atom {
    const char *s;
    long long integer;
    bool boolean;
    struct uuid uuid;
};

#define DBDIFF_INLINE 4

struct dbdiff_datum {
    union dbdiff_atom *keys;
    union dbdiff_atom *values;  /* Maps only. */
    size_t n, allocated;
    bool is_map;
    union dbdiff_atom inline_keys[DBDIFF_INLINE];
    union dbdiff_atom inline_values[DBDIFF_INLINE];
};

void dbdiff_datum_init_set(struct dbdiff_datum *);
void dbdiff_datum_init_map(struct dbdiff_datum *);
/* Frees a value that was not given to dbdiff_set(). */
void dbdiff_datum_destroy(struct dbdiff_datum *);
void dbdiff_datum_add_string(struct dbdiff_datum *, const char *);
void dbdiff_datum_add_integer(struct dbdiff_datum *, long long);
void dbdiff_datum_add_uuid(struct dbdiff_datum *, const struct uuid *);
void dbdiff_datum_add_row(struct dbdiff_datum *,
                          const struct ovsdb_client_row *);
/* Maps with string keys and values. */
void dbdiff_datum_add_pair(struct dbdiff_datum *, const char *key,
                           const char *value);
/* Maps with string keys and uuid values (references). */
void dbdiff_datum_add_ref_pair(struct dbdiff_datum *, const char *key,
                               const struct ovsdb_client_row *);
/* Adds every pair of map 'src' (string to string; borrowed too). */
void dbdiff_datum_add_map(struct dbdiff_datum *, const struct ovsdb_datum *);

/* Column setters.  Each writes column 'col' of 'row' only if its value
 * differs, and returns true if it wrote. */
bool dbdiff_set(struct dbdiff *, const struct ovsdb_client_row *,
                unsigned int col, struct dbdiff_datum *);
bool dbdiff_set_string(struct dbdiff *, const struct ovsdb_client_row *,
                       unsigned int col, const char *);
/* Optional columns: NULL means empty. */
bool dbdiff_set_opt_string(struct dbdiff *, const struct ovsdb_client_row *,
                           unsigned int col, const char *);
bool dbdiff_set_integer(struct dbdiff *, const struct ovsdb_client_row *,
                        unsigned int col, long long);
bool dbdiff_set_opt_integer(struct dbdiff *,
                            const struct ovsdb_client_row *,
                            unsigned int col, const long long *);
bool dbdiff_set_bool(struct dbdiff *, const struct ovsdb_client_row *,
                     unsigned int col, bool);
bool dbdiff_set_opt_bool(struct dbdiff *, const struct ovsdb_client_row *,
                         unsigned int col, const bool *);
bool dbdiff_set_ref(struct dbdiff *, const struct ovsdb_client_row *,
                    unsigned int col, const struct ovsdb_client_row *);
bool dbdiff_set_strings(struct dbdiff *, const struct ovsdb_client_row *,
                        unsigned int col, const char *const *, size_t n);

#endif
