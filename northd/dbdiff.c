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
    const char *key;            /* Borrowed or 'owned', or NULL. */
    char *owned;
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
    struct ds buf = DS_EMPTY_INITIALIZER;
    const struct ovsdb_client_row *row;

    idx->table = table;
    hmap_init(&idx->entries);
    hmap_reserve(&idx->entries, ovsdb_client_table_count(table));
    OVSDB_CLIENT_ROW_FOR_EACH (row, table) {
        struct dbdiff_entry *e = xmalloc(sizeof *e);

        ds_clear(&buf);
        e->key = key_func(row, &buf, aux);
        e->owned = NULL;
        if (e->key && buf.length && e->key == buf.string) {
            e->key = e->owned = xstrdup(e->key);
        }
        e->row = row;
        e->claimed = false;
        hmap_insert(&idx->entries, &e->node, e->key ? key_hash(e->key) : 0);
    }
    ds_destroy(&buf);
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
        free(e->owned);
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
    b->keys = b->inline_keys;
    b->values = NULL;
    b->n = 0;
    b->allocated = DBDIFF_INLINE;
    b->is_map = false;
}

void
dbdiff_datum_init_map(struct dbdiff_datum *b)
{
    dbdiff_datum_init_set(b);
    b->values = b->inline_values;
    b->is_map = true;
}

void
dbdiff_datum_destroy(struct dbdiff_datum *b)
{
    if (b->keys != b->inline_keys) {
        free(b->keys);
        free(b->values);
    }
    dbdiff_datum_init_set(b);
}

/* Makes room for one more element and returns its index. */
static size_t
datum_grow(struct dbdiff_datum *b)
{
    if (b->n >= b->allocated) {
        size_t n = 2 * b->allocated;
        if (b->keys == b->inline_keys) {
            b->keys = xmemdup(b->inline_keys, b->n * sizeof *b->keys);
            if (b->is_map) {
                b->values = xmemdup(b->inline_values,
                                    b->n * sizeof *b->values);
            }
        }
        b->keys = xrealloc(b->keys, n * sizeof *b->keys);
        if (b->is_map) {
            b->values = xrealloc(b->values, n * sizeof *b->values);
        }
        b->allocated = n;
    }
    return b->n++;
}

void
dbdiff_datum_add_string(struct dbdiff_datum *b, const char *s)
{
    ASSERT(!b->is_map);
    size_t i = datum_grow(b);
    b->keys[i].s = s;
}

void
dbdiff_datum_add_integer(struct dbdiff_datum *b, long long value)
{
    ASSERT(!b->is_map);
    size_t i = datum_grow(b);
    b->keys[i].integer = value;
}

void
dbdiff_datum_add_uuid(struct dbdiff_datum *b, const struct uuid *uuid)
{
    ASSERT(!b->is_map);
    size_t i = datum_grow(b);
    b->keys[i].uuid = *uuid;
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
    b->keys[i].s = key;
    b->values[i].s = value;
}

void
dbdiff_datum_add_ref_pair(struct dbdiff_datum *b, const char *key,
                          const struct ovsdb_client_row *row)
{
    ASSERT(b->is_map);
    size_t i = datum_grow(b);
    b->keys[i].s = key;
    b->values[i].uuid = row->uuid;
}

void
dbdiff_datum_add_map(struct dbdiff_datum *b, const struct ovsdb_datum *src)
{
    for (size_t i = 0; src && i < src->n; i++) {
        dbdiff_datum_add_pair(b, ovsdb_atom_string(&src->keys[i]),
                              ovsdb_atom_string(&src->values[i]));
    }
}

static int
atom_cmp(const union dbdiff_atom *a, const union dbdiff_atom *b,
         enum ovsdb_atomic_type type)
{
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        return a->integer < b->integer ? -1 : a->integer > b->integer;
    case OVSDB_TYPE_BOOLEAN:
        return a->boolean - b->boolean;
    case OVSDB_TYPE_STRING:
        return strcmp(a->s, b->s);
    case OVSDB_TYPE_UUID:
        return uuid_compare(&a->uuid, &b->uuid);
    case OVSDB_TYPE_REAL:
    case OVSDB_TYPE_VOID:
    case OVSDB_N_TYPES:
    default:
        util_abort("dbdiff: unsupported atomic type %d", type);
    }
}

/* Is 'a' (of 'type') equal to replica atom 'b'? */
static bool
atom_equals_replica(const union dbdiff_atom *a, const union ovsdb_atom *b,
                    enum ovsdb_atomic_type type)
{
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        return a->integer == b->integer;
    case OVSDB_TYPE_BOOLEAN:
        return a->boolean == b->boolean;
    case OVSDB_TYPE_STRING:
        return !strcmp(a->s, b->s->string);
    case OVSDB_TYPE_UUID:
        return uuid_equals(&a->uuid, &b->uuid);
    case OVSDB_TYPE_REAL:
    case OVSDB_TYPE_VOID:
    case OVSDB_N_TYPES:
    default:
        util_abort("dbdiff: unsupported atomic type %d", type);
    }
}

struct sort_ctx {
    const struct dbdiff_datum *b;
    enum ovsdb_atomic_type type;
};

static int
compare_idx(const void *a_, const void *b_, void *ctx_)
{
    const struct sort_ctx *ctx = ctx_;
    size_t a = *(const size_t *) a_, b = *(const size_t *) b_;
    int cmp = atom_cmp(&ctx->b->keys[a], &ctx->b->keys[b], ctx->type);

    return cmp ? cmp : (a > b) - (a < b);       /* Stable. */
}

/* Sorts a large 'b' stably through an index array. */
static void
big_sort(struct dbdiff_datum *b, enum ovsdb_atomic_type type)
{
    struct sort_ctx ctx = { b, type };
    size_t *idx = xmalloc(b->n * sizeof *idx);
    union dbdiff_atom *keys = xmalloc(b->n * sizeof *keys);
    union dbdiff_atom *values = b->is_map ? xmalloc(b->n * sizeof *values)
                                          : NULL;

    for (size_t i = 0; i < b->n; i++) {
        idx[i] = i;
    }
    qsort_r(idx, b->n, sizeof *idx, compare_idx, &ctx);
    for (size_t i = 0; i < b->n; i++) {
        keys[i] = b->keys[idx[i]];
        if (values) {
            values[i] = b->values[idx[i]];
        }
    }
    memcpy(b->keys, keys, b->n * sizeof *keys);
    if (values) {
        memcpy(b->values, values, b->n * sizeof *values);
    }
    free(idx);
    free(keys);
    free(values);
}

/* Sorts 'b' by key, stably, and drops later duplicates of a key. */
static void
datum_sort_unique(struct dbdiff_datum *b, enum ovsdb_atomic_type type)
{
    size_t n = 0;

    for (size_t i = 1; i < b->n && b->n > 16; i++) {
        if (atom_cmp(&b->keys[i - 1], &b->keys[i], type) > 0) {
            big_sort(b, type);
            break;
        }
    }
    for (size_t i = 1; i < b->n && b->n <= 16; i++) {
        union dbdiff_atom k = b->keys[i];
        union dbdiff_atom v = b->is_map ? b->values[i] : k;
        size_t j = i;
        while (j > 0 && atom_cmp(&b->keys[j - 1], &k, type) > 0) {
            b->keys[j] = b->keys[j - 1];
            if (b->is_map) {
                b->values[j] = b->values[j - 1];
            }
            j--;
        }
        b->keys[j] = k;
        if (b->is_map) {
            b->values[j] = v;
        }
    }
    for (size_t i = 0; i < b->n; i++) {
        if (n && !atom_cmp(&b->keys[n - 1], &b->keys[i], type)) {
            continue;
        }
        b->keys[n] = b->keys[i];
        if (b->is_map) {
            b->values[n] = b->values[i];
        }
        n++;
    }
    b->n = n;
}

static bool
datum_equals_replica(const struct dbdiff_datum *b,
                     const struct ovsdb_datum *cur,
                     const struct ovsdb_type *type)
{
    if (b->n != cur->n) {
        return false;
    }
    for (size_t i = 0; i < b->n; i++) {
        if (!atom_equals_replica(&b->keys[i], &cur->keys[i],
                                 type->key.type)
            || (b->is_map
                && !atom_equals_replica(&b->values[i], &cur->values[i],
                                        type->value.type))) {
            return false;
        }
    }
    return true;
}

static void
atom_to_ovsdb(union ovsdb_atom *dst, const union dbdiff_atom *src,
              enum ovsdb_atomic_type type)
{
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        dst->integer = src->integer;
        break;
    case OVSDB_TYPE_BOOLEAN:
        dst->boolean = src->boolean;
        break;
    case OVSDB_TYPE_STRING:
        ovsdb_atom_init_string(dst, src->s);
        break;
    case OVSDB_TYPE_UUID:
        dst->uuid = src->uuid;
        break;
    case OVSDB_TYPE_REAL:
    case OVSDB_TYPE_VOID:
    case OVSDB_N_TYPES:
    default:
        util_abort("dbdiff: unsupported atomic type %d", type);
    }
}

/* Builds the datum for sorted, unique 'b'. */
static void
datum_to_ovsdb(const struct dbdiff_datum *b, const struct ovsdb_type *type,
               struct ovsdb_datum *d)
{
    ovsdb_datum_init_empty(d);
    if (!b->n) {
        return;
    }
    d->n = b->n;
    d->keys = xmalloc(b->n * sizeof *d->keys);
    if (b->is_map) {
        d->values = xmalloc(b->n * sizeof *d->values);
    }
    for (size_t i = 0; i < b->n; i++) {
        atom_to_ovsdb(&d->keys[i], &b->keys[i], type->key.type);
        if (b->is_map) {
            atom_to_ovsdb(&d->values[i], &b->values[i], type->value.type);
        }
    }
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
    struct ovsdb_datum value;
    bool changed;

    /* A set builder may stand for an empty map, nothing else. */
    ASSERT(b->is_map ? type->value.type != OVSDB_TYPE_VOID
                     : type->value.type == OVSDB_TYPE_VOID || !b->n);
    datum_sort_unique(b, type->key.type);
    changed = !datum_equals_replica(b, ovsdb_client_row_get(row, col), type);
    if (changed) {
        datum_to_ovsdb(b, type, &value);
        count_update(diff, row);
        ovsdb_client_txn_write(diff->txn, row, col, &value);
    }
    dbdiff_datum_destroy(b);
    return changed;
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
    b.keys[i].boolean = value;
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
