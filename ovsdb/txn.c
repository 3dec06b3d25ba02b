#include "ovsdb/txn.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "hash.h"
#include "ovsdb/error.h"

/* A pending change to the strong reference count of one row. */
struct ref_delta {
    struct hmap_node hmap_node;     /* In txn->ref_deltas, by UUID. */
    struct uuid uuid;
    struct ovsdb_table *table;      /* The referenced table. */
    long long delta;
    /* First referrer, for error messages. */
    const struct ovsdb_table *src_table;
    const struct ovsdb_column *src_column;
    struct uuid src_uuid;
};

#define ULONG_BITS (sizeof(unsigned long) * 8)

struct ovsdb_txn *
ovsdb_txn_create(struct ovsdb *db)
{
    struct ovsdb_txn *txn = xzalloc(sizeof *txn);

    ASSERT(!db->txn);
    txn->db = db;
    hmap_init(&txn->txn_rows);
    hmap_init(&txn->ref_deltas);
    ds_init(&txn->comment);
    db->txn = txn;
    return txn;
}

static struct ovsdb_txn_row *
find_txn_row(const struct ovsdb_txn *txn, const struct uuid *uuid)
{
    struct ovsdb_txn_row *tr;

    HMAP_FOR_EACH_WITH_HASH (tr, hmap_node, uuid_hash(uuid), &txn->txn_rows) {
        if (uuid_equals(&tr->uuid, uuid)) {
            return tr;
        }
    }
    return NULL;
}

static struct ovsdb_txn_row *
add_txn_row(struct ovsdb_txn *txn, struct ovsdb_table *table,
            struct ovsdb_row *old, struct ovsdb_row *new)
{
    struct ovsdb_txn_row *tr = xzalloc(sizeof *tr);

    tr->table = table;
    tr->uuid = *ovsdb_row_get_uuid(old ? old : new);
    tr->old = old;
    tr->new = new;
    if (old) {
        old->txn_row = tr;
    }
    if (new) {
        new->txn_row = tr;
    }
    hmap_insert(&txn->txn_rows, &tr->hmap_node, uuid_hash(&tr->uuid));
    return tr;
}

void
ovsdb_txn_row_insert(struct ovsdb_txn *txn, struct ovsdb_row *row)
{
    uuid_generate(&row->fields[OVSDB_COL_VERSION].keys[0].uuid);
    add_txn_row(txn, row->table, NULL, row);
    ovsdb_table_put_row(row->table, row);
}

struct ovsdb_row *
ovsdb_txn_row_modify(struct ovsdb_txn *txn, const struct ovsdb_row *ro_row)
{
    struct ovsdb_row *row = (struct ovsdb_row *) ro_row;
    struct ovsdb_row *rw;

    if (row->txn_row) {
        ASSERT(row == row->txn_row->new);
        return row;
    }
    rw = ovsdb_row_clone(row);
    ovsdb_table_remove_row(row->table, row);
    ovsdb_table_put_row(row->table, rw);
    add_txn_row(txn, row->table, row, rw);
    return rw;
}

void
ovsdb_txn_row_delete(struct ovsdb_txn *txn, const struct ovsdb_row *ro_row)
{
    struct ovsdb_row *row = (struct ovsdb_row *) ro_row;
    struct ovsdb_txn_row *tr = row->txn_row;

    ovsdb_table_remove_row(row->table, row);
    if (!tr) {
        add_txn_row(txn, row->table, row, NULL);
    } else {
        ASSERT(row == tr->new);
        tr->new = NULL;
        ovsdb_row_destroy(row);
    }
}

void
ovsdb_txn_add_comment(struct ovsdb_txn *txn, const char *comment)
{
    if (txn->comment.length) {
        ds_put_char(&txn->comment, '\n');
    }
    ds_put_cstr(&txn->comment, comment);
}

bool
ovsdb_txn_is_empty(const struct ovsdb_txn *txn)
{
    return hmap_is_empty(&txn->txn_rows);
}

static void
txn_destroy(struct ovsdb_txn *txn)
{
    struct ovsdb_txn_row *tr;
    struct ref_delta *rd;

    HMAP_FOR_EACH_POP (tr, hmap_node, &txn->txn_rows) {
        free(tr->changed);
        free(tr);
    }
    hmap_destroy(&txn->txn_rows);
    HMAP_FOR_EACH_POP (rd, hmap_node, &txn->ref_deltas) {
        free(rd);
    }
    hmap_destroy(&txn->ref_deltas);
    free(txn->rows_by_table);
    ds_destroy(&txn->comment);
    txn->db->txn = NULL;
    free(txn);
}

void
ovsdb_txn_abort(struct ovsdb_txn *txn)
{
    struct ovsdb_txn_row *tr;

    HMAP_FOR_EACH (tr, hmap_node, &txn->txn_rows) {
        if (tr->new) {
            ovsdb_table_remove_row(tr->table, tr->new);
            ovsdb_row_destroy(tr->new);
        }
        if (tr->old) {
            tr->old->txn_row = NULL;
            ovsdb_table_put_row(tr->table, tr->old);
        }
    }
    txn_destroy(txn);
}

/* Strong reference accounting and garbage collection. */

static struct ref_delta *
find_ref_delta(const struct ovsdb_txn *txn, const struct ovsdb_table *table,
               const struct uuid *uuid)
{
    struct ref_delta *rd;

    HMAP_FOR_EACH_WITH_HASH (rd, hmap_node, uuid_hash(uuid),
                             &txn->ref_deltas) {
        if (uuid_equals(&rd->uuid, uuid) && rd->table == table) {
            return rd;
        }
    }
    return NULL;
}

static struct ref_delta *
get_ref_delta(struct ovsdb_txn *txn, struct ovsdb_table *table,
              const struct uuid *uuid)
{
    struct ref_delta *rd = find_ref_delta(txn, table, uuid);

    if (rd) {
        return rd;
    }
    rd = xzalloc(sizeof *rd);
    rd->uuid = *uuid;
    rd->table = table;
    hmap_insert(&txn->ref_deltas, &rd->hmap_node, uuid_hash(uuid));
    return rd;
}

static void
count_base_refs(struct ovsdb_txn *txn, const struct ovsdb_row *row,
                const struct ovsdb_column *c,
                const struct ovsdb_base_type *base,
                const union ovsdb_atom *atoms, unsigned int n, int sign)
{
    struct ovsdb_table *dst;

    if (!ovsdb_base_type_is_strong_ref(base) || !n) {
        return;
    }
    dst = ovsdb_get_table(txn->db, base->uuid.ref_table->name);
    for (unsigned int i = 0; i < n; i++) {
        struct ref_delta *rd = get_ref_delta(txn, dst, &atoms[i].uuid);
        rd->delta += sign;
        if (sign > 0 && !rd->src_column) {
            rd->src_table = row->table;
            rd->src_column = c;
            rd->src_uuid = *ovsdb_row_get_uuid(row);
        }
    }
}

static void
count_refs(struct ovsdb_txn *txn, const struct ovsdb_row *row, int sign)
{
    const struct ovsdb_table_schema *ts = row->table->schema;

    for (size_t i = OVSDB_N_STD_COLUMNS; i < ts->n_columns; i++) {
        const struct ovsdb_column *c = ts->columns[i];
        const struct ovsdb_datum *d = &row->fields[i];
        count_base_refs(txn, row, c, &c->type.key, d->keys, d->n, sign);
        count_base_refs(txn, row, c, &c->type.value, d->values, d->n, sign);
    }
}

/* Returns the number of strong references to the row 'rd' refers to,
 * before this transaction. */
static size_t
base_refs(const struct ovsdb_txn *txn, const struct ref_delta *rd)
{
    struct ovsdb_txn_row *tr = find_txn_row(txn, &rd->uuid);
    const struct ovsdb_row *row;

    if (tr) {
        return tr->old ? tr->old->n_refs : 0;
    }
    row = ovsdb_table_get_row(rd->table, &rd->uuid);
    return row ? row->n_refs : 0;
}

/* Returns the row as the transaction has it now, or NULL. */
static struct ovsdb_row *
current_row(const struct ovsdb_table *table, const struct uuid *uuid)
{
    return (struct ovsdb_row *) ovsdb_table_get_row(table, uuid);
}

/* Deletes non-root rows left without strong references, repeatedly, since
 * each deletion can orphan more rows. */
static void
collect_garbage(struct ovsdb_txn *txn)
{
    struct ovsdb_row **doomed = NULL;
    size_t n_doomed, allocated = 0;

    do {
        struct ovsdb_txn_row *tr;
        struct ref_delta *rd;

        /* Find the victims first: deleting them changes the maps. */
        n_doomed = 0;
        HMAP_FOR_EACH (rd, hmap_node, &txn->ref_deltas) {
            struct ovsdb_row *row;
            if (rd->table->schema->is_root || !rd->delta
                || (long long) base_refs(txn, rd) + rd->delta > 0) {
                continue;
            }
            row = current_row(rd->table, &rd->uuid);
            if (row) {
                if (n_doomed >= allocated) {
                    doomed = x2nrealloc(doomed, &allocated, sizeof *doomed);
                }
                doomed[n_doomed++] = row;
            }
        }
        /* Newly inserted non-root rows that nothing references.  (One
         * whose count changed is handled above, so no row is listed
         * twice: an inserted row's count cannot go below zero.) */
        HMAP_FOR_EACH (tr, hmap_node, &txn->txn_rows) {
            if (tr->new && !tr->old && !tr->table->schema->is_root) {
                struct ref_delta *d = find_ref_delta(txn, tr->table,
                                                     &tr->uuid);
                if (!d || !d->delta) {
                    if (n_doomed >= allocated) {
                        doomed = x2nrealloc(doomed, &allocated,
                                            sizeof *doomed);
                    }
                    doomed[n_doomed++] = tr->new;
                }
            }
        }
        for (size_t i = 0; i < n_doomed; i++) {
            count_refs(txn, doomed[i], -1);
            ovsdb_txn_row_delete(txn, doomed[i]);
        }
    } while (n_doomed);
    free(doomed);
}

static struct ovsdb_error *
remaining_refs_error(const struct ovsdb_table *table,
                     const struct uuid *uuid, long long n)
{
    char buf[UUID_LEN + 1];

    return ovsdb_error("referential integrity violation",
                       "cannot delete %s row %s because of %lld "
                       "remaining reference(s)", table->schema->name,
                       uuid_to_cstr(uuid, buf), n);
}

static struct ovsdb_error *
check_ref_integrity(struct ovsdb_txn *txn)
{
    struct ovsdb_txn_row *tr;
    struct ref_delta *rd;

    /* A deleted row that is still referenced, whether or not this
     * transaction changed the references to it. */
    HMAP_FOR_EACH (tr, hmap_node, &txn->txn_rows) {
        if (tr->old && !tr->new && tr->old->n_refs
            && !find_ref_delta(txn, tr->table, &tr->uuid)) {
            return remaining_refs_error(tr->table, &tr->uuid,
                                        tr->old->n_refs);
        }
    }

    HMAP_FOR_EACH (rd, hmap_node, &txn->ref_deltas) {
        long long final = (long long) base_refs(txn, rd) + rd->delta;
        char buf[UUID_LEN + 1];

        if (final <= 0 || current_row(rd->table, &rd->uuid)) {
            continue;
        }
        if (rd->delta > 0 && rd->src_column
            && !find_txn_row(txn, &rd->uuid)) {
            char src[UUID_LEN + 1];
            return ovsdb_error("referential integrity violation",
                               "Table %s column %s row %s references "
                               "nonexistent row %s in table %s.",
                               rd->src_table->schema->name,
                               rd->src_column->name,
                               uuid_to_cstr(&rd->src_uuid, src),
                               uuid_to_cstr(&rd->uuid, buf),
                               rd->table->schema->name);
        }
        return remaining_refs_error(rd->table, &rd->uuid, final);
    }
    return NULL;
}

/* Weak references. */

static bool
remove_dangling_atoms(struct ovsdb_txn *txn, struct ovsdb_datum *datum,
                      const struct ovsdb_type *type, bool is_key)
{
    const struct ovsdb_base_type *base = is_key ? &type->key : &type->value;
    struct ovsdb_table *dst;
    bool removed = false;

    if (!ovsdb_base_type_is_weak_ref(base)) {
        return false;
    }
    dst = ovsdb_get_table(txn->db, base->uuid.ref_table->name);
    for (unsigned int i = 0; i < datum->n;) {
        union ovsdb_atom *atom = is_key ? &datum->keys[i]
                                        : &datum->values[i];
        if (!current_row(dst, &atom->uuid)) {
            ovsdb_datum_remove_unsafe(datum, i, type);
            removed = true;
        } else {
            i++;
        }
    }
    return removed;
}

/* True if some column of 'row' weakly references a row that no longer
 * exists. */
static bool
row_has_dangling_weak_refs(struct ovsdb_txn *txn, const struct ovsdb_row *row)
{
    const struct ovsdb_table_schema *ts = row->table->schema;

    for (size_t i = OVSDB_N_STD_COLUMNS; i < ts->n_columns; i++) {
        const struct ovsdb_type *type = &ts->columns[i]->type;
        const struct ovsdb_datum *d = &row->fields[i];
        for (int k = 0; k < 2; k++) {
            const struct ovsdb_base_type *base = k ? &type->value
                                                   : &type->key;
            if (!ovsdb_base_type_is_weak_ref(base)) {
                continue;
            }
            struct ovsdb_table *dst = ovsdb_get_table(
                txn->db, base->uuid.ref_table->name);
            for (unsigned int j = 0; j < d->n; j++) {
                const union ovsdb_atom *a = k ? &d->values[j] : &d->keys[j];
                if (!current_row(dst, &a->uuid)) {
                    return true;
                }
            }
        }
    }
    return false;
}

static void
clean_weak_refs_in_row(struct ovsdb_txn *txn, struct ovsdb_row *row)
{
    const struct ovsdb_table_schema *ts = row->table->schema;

    for (size_t i = OVSDB_N_STD_COLUMNS; i < ts->n_columns; i++) {
        const struct ovsdb_type *type = &ts->columns[i]->type;
        bool removed = remove_dangling_atoms(txn, &row->fields[i], type,
                                             true);
        removed |= remove_dangling_atoms(txn, &row->fields[i], type, false);
        if (removed) {
            ovsdb_datum_sort_unique(&row->fields[i], type);
        }
    }
}

/* True if table 'ts' has a weak reference column into table 'dst'. */
static bool
table_weakly_refs(const struct ovsdb_table_schema *ts,
                  const struct ovsdb_table_schema *dst)
{
    for (size_t i = OVSDB_N_STD_COLUMNS; i < ts->n_columns; i++) {
        const struct ovsdb_type *t = &ts->columns[i]->type;
        if ((ovsdb_base_type_is_weak_ref(&t->key)
             && t->key.uuid.ref_table == dst)
            || (ovsdb_base_type_is_weak_ref(&t->value)
                && t->value.uuid.ref_table == dst)) {
            return true;
        }
    }
    return false;
}

static void
clean_weak_refs(struct ovsdb_txn *txn)
{
    struct shash deleted_tables = SHASH_INITIALIZER(&deleted_tables);
    struct ovsdb_txn_row *tr;
    struct shash_node *node;

    /* Rows this transaction changed may refer to rows it deleted. */
    HMAP_FOR_EACH (tr, hmap_node, &txn->txn_rows) {
        if (tr->new) {
            clean_weak_refs_in_row(txn, tr->new);
        } else if (tr->old) {
            shash_add_once(&deleted_tables, tr->table->schema->name,
                           tr->table);
        }
    }
    /* Other rows may weakly refer to deleted rows: scan the tables that
     * can. */
    SHASH_FOR_EACH (node, &txn->db->tables) {
        struct ovsdb_table *table = node->data;
        struct shash_node *del;
        bool scan = false;

        SHASH_FOR_EACH (del, &deleted_tables) {
            struct ovsdb_table *dt = del->data;
            scan |= table_weakly_refs(table->schema, dt->schema);
        }
        if (scan) {
            struct ovsdb_row **victims = NULL, *row;
            size_t n = 0, allocated = 0;

            OVSDB_TABLE_FOR_EACH_ROW (row, table) {
                if (!row->txn_row && row_has_dangling_weak_refs(txn, row)) {
                    if (n >= allocated) {
                        victims = x2nrealloc(victims, &allocated,
                                             sizeof *victims);
                    }
                    victims[n++] = row;
                }
            }
            for (size_t i = 0; i < n; i++) {
                clean_weak_refs_in_row(txn,
                                       ovsdb_txn_row_modify(txn, victims[i]));
            }
            free(victims);
        }
    }
    shash_destroy(&deleted_tables);
}

/* Constraints. */

static struct ovsdb_error *
check_row_sizes(const struct ovsdb_row *row)
{
    const struct ovsdb_table_schema *ts = row->table->schema;

    for (size_t i = OVSDB_N_STD_COLUMNS; i < ts->n_columns; i++) {
        const struct ovsdb_column *c = ts->columns[i];
        struct ovsdb_error *error = ovsdb_datum_check_size(&row->fields[i],
                                                           &c->type);
        if (error) {
            char buf[UUID_LEN + 1];
            return ovsdb_error_wrap(
                error, "row %s column %s of table %s",
                uuid_to_cstr(ovsdb_row_get_uuid(row), buf), c->name,
                ts->name);
        }
    }
    return NULL;
}

/* Appends the 'n' items that 'put' appends as an English list, as
 * ovsdb-server words it: "a", "a and b", "a, b, and c". */
static void
put_english_list(struct ds *out, size_t n,
                 void (*put)(struct ds *, size_t i, const void *aux),
                 const void *aux)
{
    for (size_t i = 0; i < n; i++) {
        if (i) {
            ds_put_cstr(out, n == 2 ? " and " : i == n - 1 ? ", and "
                                                            : ", ");
        }
        put(out, i, aux);
    }
}

struct index_values {
    const struct ovsdb_column_set *index;
    const struct ovsdb_row *row;
};

static void
put_index_value(struct ds *out, size_t i, const void *iv_)
{
    const struct index_values *iv = iv_;
    const struct ovsdb_column *c = iv->index->columns[i];

    ovsdb_datum_to_string(&iv->row->fields[c->index], &c->type, out);
}

static void
put_index_column(struct ds *out, size_t i, const void *index_)
{
    const struct ovsdb_column_set *index = index_;

    ds_put_format(out, "\"%s\"", index->columns[i]->name);
}

/* Describes what the transaction did to 'row', as ovsdb-server does in an
 * index violation. */
static void
describe_index_row(struct ds *out, const struct ovsdb_column_set *index,
                   const struct ovsdb_row *row)
{
    char buf[UUID_LEN + 1];

    ds_put_format(out, "row, with UUID %s, ",
                  uuid_to_cstr(ovsdb_row_get_uuid(row), buf));
    if (!row->txn_row) {
        ds_put_cstr(out, "existed in the database before this transaction "
                    "and was not modified by the transaction.");
    } else if (!row->txn_row->old) {
        ds_put_cstr(out, "was inserted by this transaction.");
    } else {
        struct index_values old = { index, row->txn_row->old };
        ds_put_cstr(out, "had the following index values before the "
                    "transaction: ");
        put_english_list(out, index->n_columns, put_index_value, &old);
        ds_put_char(out, '.');
    }
}

static struct ovsdb_error *
index_error(const struct ovsdb_table *table, size_t idx,
            const struct ovsdb_row *a, const struct ovsdb_row *b)
{
    const struct ovsdb_column_set *index = &table->schema->indexes[idx];
    struct index_values values = { index, a };
    struct ds s = DS_EMPTY_INITIALIZER;

    ds_put_format(&s, "Transaction causes multiple rows in \"%s\" table to "
                  "have identical values (", table->schema->name);
    put_english_list(&s, index->n_columns, put_index_value, &values);
    ds_put_format(&s, ") for index on column%s ",
                  index->n_columns > 1 ? "s" : "");
    put_english_list(&s, index->n_columns, put_index_column, index);
    ds_put_cstr(&s, ".  First ");
    describe_index_row(&s, index, a);
    ds_put_cstr(&s, "  Second ");
    describe_index_row(&s, index, b);

    struct ovsdb_error *error = ovsdb_error("constraint violation", "%s",
                                            ds_cstr(&s));
    ds_destroy(&s);
    return error;
}

/* Checks one index of 'table': rows changed by the transaction against
 * each other and against unchanged committed rows.  Committed rows are in
 * table->indexes[idx] via their 'index_nodes'. */
static struct ovsdb_error *
check_index(struct ovsdb_table *table, size_t idx,
            struct ovsdb_row **rows, size_t n_rows)
{
    const struct ovsdb_column_set *index = &table->schema->indexes[idx];
    struct ovsdb_error *error = NULL;
    struct hmap fresh;

    hmap_init(&fresh);
    for (size_t i = 0; i < n_rows; i++) {
        struct ovsdb_row_index_node *in;
        struct ovsdb_row *new = rows[i];
        uint32_t hash;

        hash = ovsdb_row_hash_columns(new, index, 0);
        HMAP_FOR_EACH_WITH_HASH (in, node, hash, &fresh) {
            if (ovsdb_row_equal_columns(new, in->row, index)) {
                error = index_error(table, idx, in->row, new);
                goto out;
            }
        }
        HMAP_FOR_EACH_WITH_HASH (in, node, hash, &table->indexes[idx]) {
            if (!in->row->txn_row
                && ovsdb_row_equal_columns(new, in->row, index)) {
                error = index_error(table, idx, new, in->row);
                goto out;
            }
        }
        hmap_insert(&fresh, &new->index_nodes[idx].node, hash);
    }
out:
    hmap_destroy(&fresh);
    return error;
}

/* The new rows of one indexed table, in txn->txn_rows order. */
struct indexed_rows {
    struct ovsdb_table *table;
    struct ovsdb_row **rows;
    size_t n, allocated;
};

/* Checks every index of every table against the transaction's new rows.
 * The rows are sorted out by table in one pass: looping over all of the
 * transaction's rows once per index (a northd's first transaction has
 * 200,000 rows and SB has a dozen indexes) took seconds. */
static struct ovsdb_error *
check_indexes(struct ovsdb_txn *txn)
{
    struct indexed_rows *tables = NULL;
    size_t n_tables = 0, allocated_tables = 0;
    struct ovsdb_error *error = NULL;
    struct ovsdb_txn_row *tr;

    HMAP_FOR_EACH (tr, hmap_node, &txn->txn_rows) {
        if (!tr->new || !tr->table->schema->n_indexes) {
            continue;
        }
        size_t i = 0;
        while (i < n_tables && tables[i].table != tr->table) {
            i++;
        }
        if (i == n_tables) {
            if (n_tables >= allocated_tables) {
                tables = x2nrealloc(tables, &allocated_tables,
                                    sizeof *tables);
            }
            tables[n_tables++] = (struct indexed_rows) { .table = tr->table };
        }
        struct indexed_rows *ir = &tables[i];
        if (ir->n >= ir->allocated) {
            ir->rows = x2nrealloc(ir->rows, &ir->allocated, sizeof *ir->rows);
        }
        ir->rows[ir->n++] = tr->new;
    }
    /* In the database's table order, as before, so that of several
     * violations the same one is reported. */
    struct shash_node *node;
    SHASH_FOR_EACH (node, &txn->db->tables) {
        for (size_t i = 0; i < n_tables && !error; i++) {
            struct indexed_rows *ir = &tables[i];
            if (ir->table != node->data) {
                continue;
            }
            for (size_t j = 0; j < ir->table->schema->n_indexes && !error;
                 j++) {
                error = check_index(ir->table, j, ir->rows, ir->n);
            }
        }
    }
    for (size_t i = 0; i < n_tables; i++) {
        free(tables[i].rows);
    }
    free(tables);
    return error;
}

static struct ovsdb_error *
check_constraints(struct ovsdb_txn *txn)
{
    struct shash_node *node;
    struct ovsdb_txn_row *tr;

    HMAP_FOR_EACH (tr, hmap_node, &txn->txn_rows) {
        if (tr->new) {
            struct ovsdb_error *error = check_row_sizes(tr->new);
            if (error) {
                return error;
            }
        }
    }
    SHASH_FOR_EACH (node, &txn->db->tables) {
        struct ovsdb_table *table = node->data;
        const struct ovsdb_table_schema *ts = table->schema;

        if (hmap_count(&table->rows) > ts->max_rows) {
            return ovsdb_error("constraint violation",
                               "transaction causes \"%s\" table to contain "
                               "%zu rows, greater than the schema-defined "
                               "limit of %u row(s)", ts->name,
                               hmap_count(&table->rows), ts->max_rows);
        }
    }
    return check_indexes(txn);
}

/* Computes which columns each row changed; forgets rows that did not
 * really change, and gives changed rows a new _version. */
static void
compute_changes(struct ovsdb_txn *txn)
{
    struct ovsdb_txn_row *tr;

    HMAP_FOR_EACH_SAFE (tr, hmap_node, &txn->txn_rows) {
        const struct ovsdb_table_schema *ts = tr->table->schema;
        size_t n_longs = (ts->n_columns + ULONG_BITS - 1) / ULONG_BITS;
        bool any = false;

        if (!tr->old && !tr->new) {
            hmap_remove(&txn->txn_rows, &tr->hmap_node);
            free(tr);
            continue;
        }
        if (!tr->old || !tr->new) {
            continue;
        }
        tr->changed = xcalloc(n_longs, sizeof *tr->changed);
        for (size_t i = OVSDB_N_STD_COLUMNS; i < ts->n_columns; i++) {
            const struct ovsdb_type *type = &ts->columns[i]->type;
            if (!ovsdb_datum_equals(&tr->old->fields[i], &tr->new->fields[i],
                                    type)) {
                tr->changed[i / ULONG_BITS] |= 1UL << (i % ULONG_BITS);
                any = true;
            }
        }
        if (!any) {
            /* A no-op modification: keep the committed row. */
            ovsdb_table_remove_row(tr->table, tr->new);
            tr->new->n_refs = tr->old->n_refs;
            ovsdb_row_destroy(tr->new);
            tr->old->txn_row = NULL;
            ovsdb_table_put_row(tr->table, tr->old);
            hmap_remove(&txn->txn_rows, &tr->hmap_node);
            free(tr->changed);
            free(tr);
        } else {
            uuid_generate(&tr->new->fields[OVSDB_COL_VERSION].keys[0].uuid);
        }
    }
}

static int
compare_txn_rows_by_table(const void *a_, const void *b_)
{
    const struct ovsdb_txn_row *const *a = a_;
    const struct ovsdb_txn_row *const *b = b_;
    uintptr_t ta = (uintptr_t) (*a)->table, tb = (uintptr_t) (*b)->table;

    return ta < tb ? -1 : ta > tb;
}

/* Lists the rows of 'txn' grouped by table, for the observers. */
static void
group_rows_by_table(struct ovsdb_txn *txn)
{
    const struct ovsdb_txn_row *tr;
    bool one_table = true;
    size_t n = 0;

    txn->rows_by_table = xmalloc(hmap_count(&txn->txn_rows)
                                 * sizeof *txn->rows_by_table);
    OVSDB_TXN_FOR_EACH_ROW (tr, txn) {
        txn->rows_by_table[n++] = tr;
        one_table = one_table && tr->table == txn->rows_by_table[0]->table;
    }
    txn->n_rows = n;
    if (!one_table) {
        qsort(txn->rows_by_table, n, sizeof *txn->rows_by_table,
              compare_txn_rows_by_table);
    }
}

/* Makes the transaction's changes permanent. */
static void
finalize(struct ovsdb_txn *txn)
{
    struct ovsdb_txn_row *tr;
    struct ref_delta *rd;

    HMAP_FOR_EACH (tr, hmap_node, &txn->txn_rows) {
        struct ovsdb_table *table = tr->table;
        for (size_t i = 0; i < table->schema->n_indexes; i++) {
            if (tr->old) {
                hmap_remove(&table->indexes[i], &tr->old->index_nodes[i].node);
            }
        }
    }
    HMAP_FOR_EACH (rd, hmap_node, &txn->ref_deltas) {
        struct ovsdb_row *row = current_row(rd->table, &rd->uuid);
        if (row) {
            row->n_refs = base_refs(txn, rd) + rd->delta;
        }
    }
    HMAP_FOR_EACH (tr, hmap_node, &txn->txn_rows) {
        struct ovsdb_table *table = tr->table;
        if (tr->new) {
            for (size_t i = 0; i < table->schema->n_indexes; i++) {
                hmap_insert(&table->indexes[i], &tr->new->index_nodes[i].node,
                            ovsdb_row_hash_columns(
                                tr->new, &table->schema->indexes[i], 0));
            }
            tr->new->txn_row = NULL;
        }
        ovsdb_row_destroy(tr->old);
    }
}

struct ovsdb_error *
ovsdb_txn_commit(struct ovsdb_txn *txn, bool durable)
{
    struct ovsdb_observer *observer;
    struct ovsdb_error *error;
    struct ovsdb_txn_row *tr;

    /* Count references from the rows as they were and as they are. */
    HMAP_FOR_EACH (tr, hmap_node, &txn->txn_rows) {
        if (tr->old) {
            count_refs(txn, tr->old, -1);
        }
        if (tr->new) {
            count_refs(txn, tr->new, +1);
        }
    }
    collect_garbage(txn);
    error = check_ref_integrity(txn);
    if (!error) {
        clean_weak_refs(txn);
        compute_changes(txn);
        error = check_constraints(txn);
    }
    if (error) {
        ovsdb_txn_abort(txn);
        return error;
    }
    if (hmap_is_empty(&txn->txn_rows) && !txn->comment.length) {
        txn_destroy(txn);
        return NULL;
    }

    uuid_generate(&txn->txn_id);
    group_rows_by_table(txn);
    LIST_FOR_EACH (observer, node, &txn->db->observers) {
        error = observer->class->commit(observer, txn, durable);
        if (error) {
            ovsdb_txn_abort(txn);
            return error;
        }
    }
    txn->db->last_txn_id = txn->txn_id;
    txn->db->n_commits++;
    finalize(txn);
    txn_destroy(txn);
    return NULL;
}
