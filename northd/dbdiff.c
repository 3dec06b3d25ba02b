/* northd/dbdiff: minimal-change writes over a replica (see dbdiff.h). */
#include "northd/dbdiff.h"

#include <string.h>
#include "ds.h"
#include "hash.h"
#include "util.h"
#include "ovsdb/client-txn.h"
#include "ovsdb/schema.h"

struct dbdiff_entry {
    struct hmap_node node;      /* In dbdiff_index.entries. */
    char *key;                  /* Owned, or NULL for no key. */
    const struct ovsdb_client_row *row;
    bool claimed;
};

void
dbdiff_init(struct dbdiff *diff, struct ovsdb_client *client,
            struct ovsdb_client_txn *txn)
{
    diff->txn = txn;
    diff->client = client;
    diff->n_tables = ovsdb_client_get_n_tables(client);
    diff->tables = xcalloc(diff->n_tables ? diff->n_tables : 1,
                           sizeof *diff->tables);
    hmap_init(&diff->touched);
}

struct touched_row {
    struct hmap_node node;
    const struct ovsdb_client_row *row;
};

/* Records 'row' as touched; returns false if it already was. */
static bool
touch(struct dbdiff *diff, const struct ovsdb_client_row *row)
{
    uint32_t hash = hash_pointer(row, 0);
    struct touched_row *t;

    HMAP_FOR_EACH_WITH_HASH (t, node, hash, &diff->touched) {
        if (t->row == row) {
            return false;
        }
    }
    t = xmalloc(sizeof *t);
    t->row = row;
    hmap_insert(&diff->touched, &t->node, hash);
    return true;
}

void
dbdiff_destroy(struct dbdiff *diff)
{
    struct touched_row *t;

    if (diff) {
        HMAP_FOR_EACH_POP (t, node, &diff->touched) {
            free(t);
        }
        hmap_destroy(&diff->touched);
        free(diff->tables);
        diff->tables = NULL;
    }
}

void
dbdiff_totals(const struct dbdiff *diff, struct dbdiff_table_stats *t)
{
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < diff->n_tables; i++) {
        t->n_inserted += diff->tables[i].n_inserted;
        t->n_updated += diff->tables[i].n_updated;
        t->n_deleted += diff->tables[i].n_deleted;
    }
}

void
dbdiff_accumulate(const struct dbdiff *diff, struct dbdiff_table_stats *sum)
{
    for (size_t i = 0; i < diff->n_tables; i++) {
        sum[i].n_inserted += diff->tables[i].n_inserted;
        sum[i].n_updated += diff->tables[i].n_updated;
        sum[i].n_deleted += diff->tables[i].n_deleted;
    }
}

void
dbdiff_format(const struct dbdiff *diff, struct ds *out)
{
    for (size_t i = 0; i < diff->n_tables; i++) {
        const struct dbdiff_table_stats *t = &diff->tables[i];
        if (t->n_inserted || t->n_updated || t->n_deleted) {
            const struct ovsdb_client_table *table
                = ovsdb_client_get_table_by_index(diff->client, i);
            ds_put_format(out, "%s: +%llu ~%llu -%llu\n",
                          table->schema->name, t->n_inserted, t->n_updated,
                          t->n_deleted);
        }
    }
}

/* Index. */

static uint32_t
key_hash(const char *key)
{
    return hash_string(key, 0);
}

void
dbdiff_index_init(struct dbdiff_index *idx, struct ovsdb_client_table *table,
                  dbdiff_key_func *key_func, void *aux)
{
    const struct ovsdb_client_row *row;

    idx->table = table;
    hmap_init(&idx->entries);
    hmap_reserve(&idx->entries, ovsdb_client_table_count(table));
    OVSDB_CLIENT_ROW_FOR_EACH (row, table) {
        struct dbdiff_entry *e = xmalloc(sizeof *e);
        e->key = key_func(row, aux);
        e->row = row;
        e->claimed = false;
        hmap_insert(&idx->entries, &e->node, e->key ? key_hash(e->key) : 0);
    }
}

static struct dbdiff_entry *
index_lookup(const struct dbdiff_index *idx, const char *key)
{
    struct dbdiff_entry *e;

    HMAP_FOR_EACH_WITH_HASH (e, node, key_hash(key), &idx->entries) {
        if (!e->claimed && e->key && !strcmp(e->key, key)) {
            return e;
        }
    }
    return NULL;
}

const struct ovsdb_client_row *
dbdiff_index_find(const struct dbdiff_index *idx, const char *key)
{
    struct dbdiff_entry *e = index_lookup(idx, key);
    return e ? e->row : NULL;
}

const struct ovsdb_client_row *
dbdiff_index_claim(struct dbdiff_index *idx, const char *key)
{
    struct dbdiff_entry *e = index_lookup(idx, key);

    if (!e) {
        return NULL;
    }
    e->claimed = true;
    return e->row;
}

void
dbdiff_index_finish(struct dbdiff_index *idx, struct dbdiff *diff,
                    bool delete)
{
    struct dbdiff_entry *e;

    HMAP_FOR_EACH_SAFE (e, node, &idx->entries) {
        if (delete && !e->claimed) {
            ASSERT(diff);
            dbdiff_delete(diff, e->row);
        }
        hmap_remove(&idx->entries, &e->node);
        free(e->key);
        free(e);
    }
    hmap_destroy(&idx->entries);
}

/* Rows. */

const struct ovsdb_client_row *
dbdiff_insert(struct dbdiff *diff, struct ovsdb_client_table *table)
{
    const struct ovsdb_client_row *row = ovsdb_client_txn_insert(diff->txn,
                                                                 table);
    diff->tables[table->index].n_inserted++;
    touch(diff, row);
    return row;
}

void
dbdiff_delete(struct dbdiff *diff, const struct ovsdb_client_row *row)
{
    if (row->table->schema->is_root) {
        ovsdb_client_txn_delete(diff->txn, row);
        diff->tables[row->table->index].n_deleted++;
    }
}

/* Values. */

void
dbdiff_datum_init_set(struct dbdiff_datum *b)
{
    ovsdb_datum_init_empty(&b->datum);
    b->allocated = 0;
    b->is_map = false;
}

void
dbdiff_datum_init_map(struct dbdiff_datum *b)
{
    dbdiff_datum_init_set(b);
    b->is_map = true;
}

void
dbdiff_datum_destroy(struct dbdiff_datum *b, enum ovsdb_atomic_type key,
                     enum ovsdb_atomic_type value)
{
    for (size_t i = 0; i < b->datum.n; i++) {
        ovsdb_atom_destroy(&b->datum.keys[i], key);
        if (b->is_map) {
            ovsdb_atom_destroy(&b->datum.values[i], value);
        }
    }
    free(b->datum.keys);
    free(b->datum.values);
    dbdiff_datum_init_set(b);
}

static size_t
datum_grow(struct dbdiff_datum *b)
{
    if (b->datum.n >= b->allocated) {
        b->allocated = b->allocated ? 2 * b->allocated : 4;
        b->datum.keys = xrealloc(b->datum.keys,
                                 b->allocated * sizeof *b->datum.keys);
        if (b->is_map) {
            b->datum.values = xrealloc(b->datum.values,
                                       b->allocated
                                       * sizeof *b->datum.values);
        }
    }
    return b->datum.n++;
}

void
dbdiff_datum_add_string(struct dbdiff_datum *b, const char *s)
{
    ASSERT(!b->is_map);
    size_t i = datum_grow(b);
    ovsdb_atom_init_string(&b->datum.keys[i], s);
}

void
dbdiff_datum_add_integer(struct dbdiff_datum *b, long long value)
{
    ASSERT(!b->is_map);
    size_t i = datum_grow(b);
    b->datum.keys[i].integer = value;
}

void
dbdiff_datum_add_uuid(struct dbdiff_datum *b, const struct uuid *uuid)
{
    ASSERT(!b->is_map);
    size_t i = datum_grow(b);
    b->datum.keys[i].uuid = *uuid;
}

void
dbdiff_datum_add_row(struct dbdiff_datum *b,
                     const struct ovsdb_client_row *row)
{
    dbdiff_datum_add_uuid(b, &row->uuid);
}

void
dbdiff_datum_add_pair(struct dbdiff_datum *b, const char *key,
                      const char *value)
{
    ASSERT(b->is_map);
    size_t i = datum_grow(b);
    ovsdb_atom_init_string(&b->datum.keys[i], key);
    ovsdb_atom_init_string(&b->datum.values[i], value);
}

void
dbdiff_datum_add_ref_pair(struct dbdiff_datum *b, const char *key,
                          const struct ovsdb_client_row *row)
{
    ASSERT(b->is_map);
    size_t i = datum_grow(b);
    ovsdb_atom_init_string(&b->datum.keys[i], key);
    b->datum.values[i].uuid = row->uuid;
}

void
dbdiff_datum_add_map(struct dbdiff_datum *b, const struct ovsdb_datum *src)
{
    for (size_t i = 0; src && i < src->n; i++) {
        dbdiff_datum_add_pair(b, ovsdb_atom_string(&src->keys[i]),
                              ovsdb_atom_string(&src->values[i]));
    }
}

const char *
dbdiff_datum_get(const struct dbdiff_datum *b, const char *key)
{
    ASSERT(b->is_map);
    for (size_t i = 0; i < b->datum.n; i++) {
        if (!strcmp(ovsdb_atom_string(&b->datum.keys[i]), key)) {
            return ovsdb_atom_string(&b->datum.values[i]);
        }
    }
    return NULL;
}

/* Setters. */

/* Counts 'row' as updated, unless it was inserted or already counted. */
static void
count_update(struct dbdiff *diff, const struct ovsdb_client_row *row)
{
    if (touch(diff, row)) {
        diff->tables[row->table->index].n_updated++;
    }
}

bool
dbdiff_set(struct dbdiff *diff, const struct ovsdb_client_row *row,
           unsigned int col, struct dbdiff_datum *b)
{
    const struct ovsdb_type *type = ovsdb_client_row_get_type(row, col);
    struct ovsdb_datum value = b->datum;

    /* A set builder may stand for an empty map, nothing else. */
    ASSERT(b->is_map ? type->value.type != OVSDB_TYPE_VOID
                     : type->value.type == OVSDB_TYPE_VOID || !value.n);
    dbdiff_datum_init_set(b);
    ovsdb_datum_sort_unique(&value, type);
    if (ovsdb_datum_equals(&value, ovsdb_client_row_get(row, col), type)) {
        ovsdb_datum_destroy(&value, type);
        return false;
    }
    count_update(diff, row);
    ovsdb_client_txn_write(diff->txn, row, col, &value);
    return true;
}

bool
dbdiff_set_string(struct dbdiff *diff, const struct ovsdb_client_row *row,
                  unsigned int col, const char *s)
{
    const struct ovsdb_datum *cur = ovsdb_client_row_get(row, col);
    struct dbdiff_datum b;

    if (cur->n == 1 && !strcmp(ovsdb_atom_string(&cur->keys[0]), s)) {
        return false;
    }
    dbdiff_datum_init_set(&b);
    dbdiff_datum_add_string(&b, s);
    return dbdiff_set(diff, row, col, &b);
}

bool
dbdiff_set_opt_string(struct dbdiff *diff,
                      const struct ovsdb_client_row *row, unsigned int col,
                      const char *s)
{
    struct dbdiff_datum b;

    if (s) {
        return dbdiff_set_string(diff, row, col, s);
    }
    dbdiff_datum_init_set(&b);
    return dbdiff_set(diff, row, col, &b);
}

bool
dbdiff_set_integer(struct dbdiff *diff, const struct ovsdb_client_row *row,
                   unsigned int col, long long value)
{
    const struct ovsdb_datum *cur = ovsdb_client_row_get(row, col);
    struct dbdiff_datum b;

    if (cur->n == 1 && cur->keys[0].integer == value) {
        return false;
    }
    dbdiff_datum_init_set(&b);
    dbdiff_datum_add_integer(&b, value);
    return dbdiff_set(diff, row, col, &b);
}

bool
dbdiff_set_opt_integer(struct dbdiff *diff,
                       const struct ovsdb_client_row *row, unsigned int col,
                       const long long *value)
{
    struct dbdiff_datum b;

    if (value) {
        return dbdiff_set_integer(diff, row, col, *value);
    }
    dbdiff_datum_init_set(&b);
    return dbdiff_set(diff, row, col, &b);
}

bool
dbdiff_set_bool(struct dbdiff *diff, const struct ovsdb_client_row *row,
                unsigned int col, bool value)
{
    const struct ovsdb_datum *cur = ovsdb_client_row_get(row, col);
    struct dbdiff_datum b;

    if (cur->n == 1 && cur->keys[0].boolean == value) {
        return false;
    }
    dbdiff_datum_init_set(&b);
    size_t i = datum_grow(&b);
    b.datum.keys[i].boolean = value;
    return dbdiff_set(diff, row, col, &b);
}

bool
dbdiff_set_opt_bool(struct dbdiff *diff, const struct ovsdb_client_row *row,
                    unsigned int col, const bool *value)
{
    struct dbdiff_datum b;

    if (value) {
        return dbdiff_set_bool(diff, row, col, *value);
    }
    dbdiff_datum_init_set(&b);
    return dbdiff_set(diff, row, col, &b);
}

bool
dbdiff_set_ref(struct dbdiff *diff, const struct ovsdb_client_row *row,
               unsigned int col, const struct ovsdb_client_row *target)
{
    const struct ovsdb_datum *cur = ovsdb_client_row_get(row, col);
    struct dbdiff_datum b;

    if (target && cur->n == 1 && uuid_equals(&cur->keys[0].uuid,
                                             &target->uuid)) {
        return false;
    }
    dbdiff_datum_init_set(&b);
    if (target) {
        dbdiff_datum_add_row(&b, target);
    }
    return dbdiff_set(diff, row, col, &b);
}

bool
dbdiff_set_strings(struct dbdiff *diff, const struct ovsdb_client_row *row,
                   unsigned int col, const char *const *strings, size_t n)
{
    struct dbdiff_datum b;

    dbdiff_datum_init_set(&b);
    for (size_t i = 0; i < n; i++) {
        dbdiff_datum_add_string(&b, strings[i]);
    }
    return dbdiff_set(diff, row, col, &b);
}
