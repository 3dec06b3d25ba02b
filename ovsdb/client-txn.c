/* ovsdb/client-txn: transactions over the OVSDB client replica (see the
 * header for the operations generated).
 *
 * Each row the transaction touches gets a 'struct ovsdb_client_txn_row'
 * holding what the row's own fields cannot: the original value of every
 * column written or mutated (the row's fields hold the new value, so that
 * typed fields read it), the columns to verify, and the mutations to send.
 * Commit turns these into operations and then swaps the original values
 * back. */
#include "ovsdb/client-txn.h"

#include <stdarg.h>
#include <string.h>
#include "ds.h"
#include "hash.h"
#include "json.h"
#include "vlog.h"
#include "ovsdb/client-private.h"
#include "ovsdb/schema.h"
#include "ovsdb/string-pool.h"

VLOG_DEFINE_THIS_MODULE(ovsdb_client_txn);

/* One "insert" or "delete" mutation of a column. */
struct txn_mutation {
    unsigned int column;
    bool insert;                /* "insert" (true) or "delete". */
    bool keys_only;             /* 'datum' is a set of a map's keys. */
    struct ovsdb_datum datum;
};

struct ovsdb_client_txn_row {
    struct hmap_node node;      /* In txn->rows, by hash of 'row'. */
    struct list list_node;      /* In txn->row_list, in order of use. */
    struct ovsdb_client_row *row;
    bool inserted;              /* Created by this transaction. */
    bool deleted;
    unsigned long *written;     /* Columns set: send the whole value. */
    unsigned long *saved;       /* Columns whose original is in 'orig'. */
    unsigned long *verify;      /* Columns to verify. */
    struct ovsdb_datum *orig;   /* Original values (existing rows). */
    struct txn_mutation *mutations;
    size_t n_mutations, allocated_mutations;
    char name[4 + UUID_LEN + 1];    /* "uuid-name" of an inserted row. */
    bool persist_uuid;          /* Ask the server to use the row's uuid. */
    bool row_freed;             /* Inserted 'row' freed at commit: now
                                 * only a key, never dereferenced. */
    int op_index;               /* Index of its insert operation. */
    struct uuid real_uuid;      /* Uuid the server assigned. */
};

/* Requests up to this size are kept, as text, for
 * ovsdb_client_txn_get_request(); larger ones are not, to save memory. */
#define TXN_KEEP_REQUEST_MAX (1024 * 1024)

struct ovsdb_client_txn {
    struct ovsdb_client *client;
    struct ovsdb_client_db *db;
    enum ovsdb_client_txn_status status;
    char *error;
    char *error_json;           /* The failing result or error, as JSON. */
    struct hmap rows;           /* struct ovsdb_client_txn_row, by row. */
    struct list row_list;       /* The same, in order of first use. */
    struct shash inserted;      /* Temporary uuid string -> txn_row. */
    struct ds comment;
    size_t n_ops;               /* Operations sent, once committed. */
    char *request_text;         /* "transact" params as sent, if small. */
    struct json *request;       /* 'request_text' parsed, on demand. */

    const struct ovsdb_client_row *inc_row;    /* Row to increment. */
    unsigned int inc_column;
    /* The column's name, kept at commit: by the time the reply comes, an
     * update may have deleted 'inc_row' from the replica. */
    const char *inc_column_name;
    bool inc_if_changed;        /* Only along with real changes. */
    int inc_op_index;           /* Index of the select reading it back. */
    long long inc_new_value;
};

const char *
ovsdb_client_txn_status_to_string(enum ovsdb_client_txn_status status)
{
    switch (status) {
    case OVSDB_TXN_UNCOMMITTED: return "uncommitted";
    case OVSDB_TXN_INCOMPLETE: return "incomplete";
    case OVSDB_TXN_UNCHANGED: return "unchanged";
    case OVSDB_TXN_SUCCESS: return "success";
    case OVSDB_TXN_TRY_AGAIN: return "try again";
    case OVSDB_TXN_NOT_LOCKED: return "not locked";
    case OVSDB_TXN_ERROR: return "error";
    case OVSDB_TXN_ABORTED: return "aborted";
    }
    return "<unknown>";
}

struct ovsdb_client_txn *
ovsdb_client_txn_create(struct ovsdb_client *client)
{
    struct ovsdb_client_txn *txn = xzalloc(sizeof *txn);

    txn->client = client;
    txn->db = client_get_data_db(client);
    txn->status = OVSDB_TXN_UNCOMMITTED;
    hmap_init(&txn->rows);
    list_init(&txn->row_list);
    shash_init(&txn->inserted);
    ds_init(&txn->comment);
    txn->inc_op_index = -1;
    client_set_building_txn(client, txn);
    return txn;
}

struct ovsdb_client *
ovsdb_client_txn_get_client(const struct ovsdb_client_txn *txn)
{
    return txn->client;
}

static size_t
row_n_columns(const struct ovsdb_client_row *row)
{
    return row->table->schema->n_columns;
}

static const struct ovsdb_type *
column_type(const struct ovsdb_client_row *row, unsigned int column)
{
    return &row->table->schema->columns[column]->type;
}

static struct ovsdb_client_txn_row *
txn_row_find(const struct ovsdb_client_txn *txn,
             const struct ovsdb_client_row *row)
{
    struct ovsdb_client_txn_row *tr;

    HMAP_FOR_EACH_WITH_HASH (tr, node, hash_pointer(row, 0), &txn->rows) {
        if (tr->row == row) {
            return tr;
        }
    }
    return NULL;
}

static struct ovsdb_client_txn_row *
txn_row_get(struct ovsdb_client_txn *txn, const struct ovsdb_client_row *row_)
{
    /* The transaction owns the right to change rows it touches. */
    struct ovsdb_client_row *row = (struct ovsdb_client_row *) row_;
    struct ovsdb_client_txn_row *tr = txn_row_find(txn, row);

    ASSERT(txn->status == OVSDB_TXN_UNCOMMITTED);
    if (!tr) {
        size_t n = row_n_columns(row);
        tr = xzalloc(sizeof *tr);
        tr->row = row;
        tr->written = client_bitmap_alloc(n);
        tr->saved = client_bitmap_alloc(n);
        tr->verify = client_bitmap_alloc(n);
        tr->op_index = -1;
        hmap_insert(&txn->rows, &tr->node, hash_pointer(row, 0));
        list_push_back(&txn->row_list, &tr->list_node);
        row->txn_row = tr;
    }
    ASSERT(!tr->deleted);
    return tr;
}

bool
client_txn_row_is_deleted(const struct ovsdb_client_txn_row *tr)
{
    return tr->deleted;
}

void
ovsdb_client_txn_add_comment(struct ovsdb_client_txn *txn,
                             const char *format, ...)
{
    va_list args;

    if (txn->comment.length) {
        ds_put_char(&txn->comment, '\n');
    }
    va_start(args, format);
    ds_put_format_valist(&txn->comment, format, args);
    va_end(args);
}

const struct ovsdb_client_row *
ovsdb_client_txn_insert(struct ovsdb_client_txn *txn,
                        struct ovsdb_client_table *table)
{
    struct uuid uuid;

    uuid_generate(&uuid);
    return ovsdb_client_txn_insert_uuid(txn, table, &uuid, false);
}

const struct ovsdb_client_row *
ovsdb_client_txn_insert_uuid(struct ovsdb_client_txn *txn,
                             struct ovsdb_client_table *table,
                             const struct uuid *uuid, bool persist)
{
    char buf[UUID_LEN + 1];

    ASSERT(table->db == txn->db);
    struct ovsdb_client_row *row = client_row_create(table, uuid);
    client_row_link(row);

    struct ovsdb_client_txn_row *tr = txn_row_get(txn, row);
    tr->inserted = true;
    tr->persist_uuid = persist;
    uuid_to_cstr(uuid, buf);
    /* "row" + the uuid with '_' for '-': a valid <id> for "uuid-name". */
    snprintf(tr->name, sizeof tr->name, "row%s", buf);
    for (char *p = tr->name; *p; p++) {
        if (*p == '-') {
            *p = '_';
        }
    }
    shash_add(&txn->inserted, buf, tr);
    return row;
}

void
ovsdb_client_txn_delete(struct ovsdb_client_txn *txn,
                        const struct ovsdb_client_row *row)
{
    struct ovsdb_client_txn_row *tr = txn_row_get(txn, row);

    tr->deleted = true;
    if (tr->inserted) {
        /* Never sent: hide it now, as if it had not been inserted. */
        client_row_unlink(tr->row);
    }
}

/* Saves the original value of 'column' before its first change. */
static void
save_orig(struct ovsdb_client_txn_row *tr, unsigned int column)
{
    size_t n = row_n_columns(tr->row);

    if (tr->inserted || client_bitmap_is_set(tr->saved, column)) {
        return;
    }
    if (!tr->orig) {
        tr->orig = xmalloc(n * sizeof *tr->orig);
        for (size_t i = 0; i < n; i++) {
            ovsdb_datum_init_empty(&tr->orig[i]);
        }
    }
    ovsdb_datum_clone(&tr->orig[column], &tr->row->fields[column],
                      column_type(tr->row, column));
    client_bitmap_set(tr->saved, column);
}

/* Replaces the row's current value of 'column' by '*datum' (taking
 * ownership) and re-parses the typed field. */
static void
set_current(struct ovsdb_client_txn_row *tr, unsigned int column,
            struct ovsdb_datum *datum)
{
    string_pool_datum(&tr->row->table->db->strings, datum,
                      column_type(tr->row, column));
    client_row_swap_column(tr->row, column, datum);
    ovsdb_datum_destroy(datum, column_type(tr->row, column));
}

void
ovsdb_client_txn_write(struct ovsdb_client_txn *txn,
                       const struct ovsdb_client_row *row,
                       unsigned int column, struct ovsdb_datum *datum)
{
    struct ovsdb_client_txn_row *tr = txn_row_get(txn, row);

    ASSERT(column >= OVSDB_N_STD_COLUMNS && column < row_n_columns(row));
    save_orig(tr, column);
    set_current(tr, column, datum);
    client_bitmap_set(tr->written, column);

    /* A whole value supersedes earlier mutations of the column. */
    size_t n = 0;
    for (size_t i = 0; i < tr->n_mutations; i++) {
        struct txn_mutation *m = &tr->mutations[i];
        if (m->column == column) {
            ovsdb_datum_destroy(&m->datum, column_type(row, column));
        } else {
            tr->mutations[n++] = *m;
        }
    }
    tr->n_mutations = n;
}

void
ovsdb_client_txn_write_clone(struct ovsdb_client_txn *txn,
                             const struct ovsdb_client_row *row,
                             unsigned int column,
                             const struct ovsdb_datum *datum)
{
    struct ovsdb_datum copy;

    ovsdb_datum_clone(&copy, datum, column_type(row, column));
    ovsdb_client_txn_write(txn, row, column, &copy);
}

/* The type of a set of the keys of map 'type'.  Shares 'type''s base type,
 * so it must not be destroyed. */
static struct ovsdb_type
keys_type(const struct ovsdb_type *type)
{
    struct ovsdb_type t = *type;

    ovsdb_base_type_init(&t.value, OVSDB_TYPE_VOID);
    t.n_min = 0;
    t.n_max = OVSDB_UNLIMITED;
    return t;
}

/* Applies a mutation to the value the row shows in this transaction. */
static void
apply_mutation(struct ovsdb_client_txn_row *tr, const struct txn_mutation *m)
{
    const struct ovsdb_type *type = column_type(tr->row, m->column);
    struct ovsdb_datum value;

    ovsdb_datum_clone(&value, &tr->row->fields[m->column], type);
    if (m->insert) {
        ovsdb_datum_union(&value, &m->datum, type);
    } else if (m->keys_only) {
        struct ovsdb_type kt = keys_type(type);
        ovsdb_datum_subtract(&value, type, &m->datum, &kt);
    } else {
        ovsdb_datum_subtract(&value, type, &m->datum, type);
    }
    set_current(tr, m->column, &value);
}

static void
add_mutation(struct ovsdb_client_txn *txn, const struct ovsdb_client_row *row,
             unsigned int column, bool insert, bool keys_only,
             struct ovsdb_datum *datum)
{
    struct ovsdb_client_txn_row *tr = txn_row_get(txn, row);
    struct txn_mutation m = {
        .column = column, .insert = insert, .keys_only = keys_only,
        .datum = *datum,
    };

    ASSERT(column >= OVSDB_N_STD_COLUMNS && column < row_n_columns(row));
    ASSERT(!keys_only || ovsdb_type_is_map(column_type(row, column)));
    save_orig(tr, column);
    apply_mutation(tr, &m);
    if (tr->inserted || client_bitmap_is_set(tr->written, column)) {
        /* The whole value is sent anyway; it now includes this change. */
        struct ovsdb_type kt = keys_type(column_type(row, column));
        ovsdb_datum_destroy(&m.datum,
                            keys_only ? &kt : column_type(row, column));
        return;
    }
    if (tr->n_mutations >= tr->allocated_mutations) {
        tr->mutations = x2nrealloc(tr->mutations, &tr->allocated_mutations,
                                   sizeof *tr->mutations);
    }
    tr->mutations[tr->n_mutations++] = m;
}

void
ovsdb_client_txn_insert_elems(struct ovsdb_client_txn *txn,
                              const struct ovsdb_client_row *row,
                              unsigned int column, struct ovsdb_datum *datum)
{
    add_mutation(txn, row, column, true, false, datum);
}

void
ovsdb_client_txn_delete_elems(struct ovsdb_client_txn *txn,
                              const struct ovsdb_client_row *row,
                              unsigned int column, struct ovsdb_datum *datum)
{
    add_mutation(txn, row, column, false, false, datum);
}

void
ovsdb_client_txn_delete_keys(struct ovsdb_client_txn *txn,
                             const struct ovsdb_client_row *row,
                             unsigned int column, struct ovsdb_datum *datum)
{
    add_mutation(txn, row, column, false, true, datum);
}

void
ovsdb_client_txn_set_key(struct ovsdb_client_txn *txn,
                         const struct ovsdb_client_row *row,
                         unsigned int column, union ovsdb_atom *key,
                         union ovsdb_atom *value)
{
    const struct ovsdb_type *type = column_type(row, column);
    struct ovsdb_datum keys, pair;
    union ovsdb_atom key2;

    ovsdb_atom_clone(&key2, key, type->key.type);
    ovsdb_datum_init_1(&keys, &key2, NULL);
    ovsdb_datum_init_1(&pair, key, value);
    ovsdb_client_txn_delete_keys(txn, row, column, &keys);
    ovsdb_client_txn_insert_elems(txn, row, column, &pair);
}

void
ovsdb_client_txn_verify(struct ovsdb_client_txn *txn,
                        const struct ovsdb_client_row *row,
                        unsigned int column)
{
    struct ovsdb_client_txn_row *tr = txn_row_get(txn, row);

    ASSERT(column < row_n_columns(row));
    if (!tr->inserted) {
        client_bitmap_set(tr->verify, column);
    }
}

void
ovsdb_client_txn_increment(struct ovsdb_client_txn *txn,
                           const struct ovsdb_client_row *row,
                           unsigned int column)
{
    ASSERT(!txn->inc_row);
    ASSERT(column_type(row, column)->key.type == OVSDB_TYPE_INTEGER);
    txn_row_get(txn, row);
    txn->inc_row = row;
    txn->inc_column = column;
}

void
ovsdb_client_txn_increment_if_changed(struct ovsdb_client_txn *txn,
                                      const struct ovsdb_client_row *row,
                                      unsigned int column)
{
    ovsdb_client_txn_increment(txn, row, column);
    txn->inc_if_changed = true;
}

/* Does 'tr' change its row as the replica shows it? */
static bool
txn_row_has_changes(const struct ovsdb_client_txn_row *tr)
{
    if (tr->inserted || tr->deleted) {
        /* A deleted non-root row is left to garbage collection. */
        return tr->inserted != tr->deleted
               && (tr->inserted || tr->row->table->schema->is_root);
    }
    for (size_t i = 0; i < row_n_columns(tr->row); i++) {
        if (client_bitmap_is_set(tr->saved, i)
            && !ovsdb_datum_equals(&tr->row->fields[i], &tr->orig[i],
                                   column_type(tr->row, i))) {
            return true;
        }
    }
    return false;
}

bool
ovsdb_client_txn_has_changes(const struct ovsdb_client_txn *txn)
{
    const struct ovsdb_client_txn_row *tr;

    ASSERT(txn->status == OVSDB_TXN_UNCOMMITTED);
    LIST_FOR_EACH (tr, list_node, &txn->row_list) {
        if (txn_row_has_changes(tr)) {
            return true;
        }
    }
    return false;
}

const struct ovsdb_datum *
ovsdb_client_txn_read(const struct ovsdb_client_txn *txn OVS_UNUSED,
                      const struct ovsdb_client_row *row,
                      unsigned int column)
{
    /* The overlay keeps the transaction's value in the row itself. */
    return ovsdb_client_row_get(row, column);
}

/* C values, for generated bindings. */

static void
atom_from_c(union ovsdb_atom *atom, const struct ovsdb_base_type *base,
            const void *array, size_t i)
{
    switch (base->type) {
    case OVSDB_TYPE_INTEGER:
        atom->integer = ((const int64_t *) array)[i];
        break;
    case OVSDB_TYPE_REAL:
        atom->real = ((const double *) array)[i];
        break;
    case OVSDB_TYPE_BOOLEAN:
        atom->boolean = ((const bool *) array)[i];
        break;
    case OVSDB_TYPE_STRING:
        ovsdb_atom_init_string(atom, ((const char *const *) array)[i]);
        break;
    case OVSDB_TYPE_UUID:
        /* Typed rows begin with their generic row, so a pointer to either
         * is a pointer to the other. */
        atom->uuid = base->uuid.ref_table_name
            ? ((const struct ovsdb_client_row *const *) array)[i]->uuid
            : ((const struct uuid *) array)[i];
        break;
    case OVSDB_TYPE_VOID:
    case OVSDB_N_TYPES:
    default:
        util_abort("bad atomic type %d", base->type);
    }
}

/* Builds a datum of 'type' from C arrays; duplicate keys are dropped. */
static void
datum_from_c(struct ovsdb_datum *datum, const struct ovsdb_type *type,
             const void *keys, const void *values, size_t n)
{
    bool is_map = ovsdb_type_is_map(type);

    ovsdb_datum_init_empty(datum);
    for (size_t i = 0; i < n; i++) {
        union ovsdb_atom key, value;
        atom_from_c(&key, &type->key, keys, i);
        if (is_map) {
            atom_from_c(&value, &type->value, values, i);
        }
        ovsdb_datum_add_unsafe(datum, &key, &value, type);
    }
    ovsdb_datum_sort_unique(datum, type);
}

void
ovsdb_client_txn_write_c(struct ovsdb_client_txn *txn,
                         const struct ovsdb_client_row *row,
                         unsigned int column, const void *keys,
                         const void *values, size_t n)
{
    struct ovsdb_datum datum;

    datum_from_c(&datum, column_type(row, column), keys, values, n);
    ovsdb_client_txn_write(txn, row, column, &datum);
}

void
ovsdb_client_txn_mutate_c(struct ovsdb_client_txn *txn,
                          const struct ovsdb_client_row *row,
                          unsigned int column,
                          enum ovsdb_client_mutate_op op, const void *key,
                          const void *value)
{
    const struct ovsdb_type *type = column_type(row, column);
    struct ovsdb_type kt = keys_type(type);
    struct ovsdb_datum datum;

    switch (op) {
    case OVSDB_MUTATE_ADD:
        datum_from_c(&datum, type, key, NULL, 1);
        ovsdb_client_txn_insert_elems(txn, row, column, &datum);
        break;
    case OVSDB_MUTATE_DEL:
        datum_from_c(&datum, type, key, NULL, 1);
        ovsdb_client_txn_delete_elems(txn, row, column, &datum);
        break;
    case OVSDB_MUTATE_SETKEY:
        datum_from_c(&datum, &kt, key, NULL, 1);
        ovsdb_client_txn_delete_keys(txn, row, column, &datum);
        datum_from_c(&datum, type, key, value, 1);
        ovsdb_client_txn_insert_elems(txn, row, column, &datum);
        break;
    case OVSDB_MUTATE_DELKEY:
        datum_from_c(&datum, &kt, key, NULL, 1);
        ovsdb_client_txn_delete_keys(txn, row, column, &datum);
        break;
    }
}

/* Generating operations. */

/* The replica's (pre-transaction) value of 'column'. */
static const struct ovsdb_datum *
orig_value(const struct ovsdb_client_txn_row *tr, unsigned int column)
{
    return client_bitmap_is_set(tr->saved, column) ? &tr->orig[column]
                                                   : &tr->row->fields[column];
}

/* Replaces, within 'json', every ["uuid", U] where U is a row this
 * transaction inserts by ["named-uuid", name]. */
static void
substitute_named_uuids(const struct ovsdb_client_txn *txn, struct json *json)
{
    if (json->type != JSON_ARRAY) {
        return;
    }
    struct json_array *a = &json->array;
    if (a->n == 2 && a->elems[0]->type == JSON_STRING
        && a->elems[1]->type == JSON_STRING
        && !strcmp(a->elems[0]->string, "uuid")) {
        const struct ovsdb_client_txn_row *tr
            = shash_find_data(&txn->inserted, a->elems[1]->string);
        if (tr) {
            json_destroy(a->elems[0]);
            json_destroy(a->elems[1]);
            a->elems[0] = json_string_create("named-uuid");
            a->elems[1] = json_string_create(tr->name);
        }
        return;
    }
    for (size_t i = 0; i < a->n; i++) {
        substitute_named_uuids(txn, a->elems[i]);
    }
}

static struct json *
datum_to_json(const struct ovsdb_client_txn *txn,
              const struct ovsdb_datum *datum, const struct ovsdb_type *type)
{
    struct json *json = ovsdb_datum_to_json(datum, type);

    if (!shash_is_empty(&txn->inserted)
        && (type->key.type == OVSDB_TYPE_UUID
            || type->value.type == OVSDB_TYPE_UUID)) {
        substitute_named_uuids(txn, json);
    }
    return json;
}

static struct json *
where_uuid(const struct ovsdb_client_row *row)
{
    char buf[UUID_LEN + 1];

    return json_array_create_1(json_array_create_3(
        json_string_create("_uuid"), json_string_create("=="),
        json_array_create_2(json_string_create("uuid"),
                            json_string_create(uuid_to_cstr(&row->uuid,
                                                            buf)))));
}

static struct json *
op_create(const char *op, const struct ovsdb_client_row *row)
{
    struct json *json = json_object_create();

    json_object_put_string(json, "op", op);
    json_object_put_string(json, "table", row->table->schema->name);
    if (strcmp(op, "insert")) {
        json_object_put(json, "where", where_uuid(row));
    }
    return json;
}

/* The "transact" params as they are built: JSON text, one operation at a
 * time.  Each operation is built as a small tree, serialized and freed,
 * so a transaction of 150,000 inserts never exists as one tree (which
 * would take several times the memory of its text). */
struct ops_builder {
    struct ds text;             /* '["db"' followed by ',<op>'s. */
    size_t n;                   /* Operations so far. */
};

static void
ops_init(struct ops_builder *ops, const char *db_name)
{
    ds_init(&ops->text);
    ds_put_char(&ops->text, '[');
    json_string_escape(db_name, &ops->text);
    ops->n = 0;
}

/* Appends 'op' and destroys it. */
static void
ops_add(struct ops_builder *ops, struct json *op)
{
    ds_put_char(&ops->text, ',');
    json_to_ds(op, 0, &ops->text);
    json_destroy(op);
    ops->n++;
}

static void
add_wait_op(struct ops_builder *ops, const struct ovsdb_client_txn_row *tr)
{
    const struct ovsdb_table_schema *ts = tr->row->table->schema;
    struct json *columns = json_array_create_empty();
    struct json *values = json_object_create();

    for (size_t i = 0; i < ts->n_columns; i++) {
        if (client_bitmap_is_set(tr->verify, i)) {
            json_array_add(columns, json_string_create(ts->columns[i]->name));
            json_object_put(values, ts->columns[i]->name,
                            ovsdb_datum_to_json(orig_value(tr, i),
                                                &ts->columns[i]->type));
        }
    }
    if (!columns->array.n) {
        json_destroy(columns);
        json_destroy(values);
        return;
    }
    struct json *op = op_create("wait", tr->row);
    json_object_put(op, "timeout", json_integer_create(0));
    json_object_put(op, "columns", columns);
    json_object_put_string(op, "until", "==");
    json_object_put(op, "rows", json_array_create_1(values));
    ops_add(ops, op);
}

/* Returns the "row" object of an insert or update: for an insert, the
 * columns with non-default values; for an update, the written columns whose
 * value differs from the replica's. */
static struct json *
row_changes(const struct ovsdb_client_txn *txn,
            const struct ovsdb_client_txn_row *tr)
{
    const struct ovsdb_table_schema *ts = tr->row->table->schema;
    struct json *row = json_object_create();

    for (size_t i = OVSDB_N_STD_COLUMNS; i < ts->n_columns; i++) {
        const struct ovsdb_type *type = &ts->columns[i]->type;
        const struct ovsdb_datum *value = &tr->row->fields[i];
        bool send = tr->inserted
                        ? !ovsdb_datum_is_default(value, type)
                        : (client_bitmap_is_set(tr->written, i)
                           && !ovsdb_datum_equals(value, orig_value(tr, i),
                                                  type));
        if (send) {
            json_object_put(row, ts->columns[i]->name,
                            datum_to_json(txn, value, type));
        }
    }
    return row;
}

static struct json *
mutations_to_json(const struct ovsdb_client_txn *txn,
                  const struct ovsdb_client_txn_row *tr)
{
    struct json *mutations = json_array_create_empty();

    for (size_t i = 0; i < tr->n_mutations; i++) {
        const struct txn_mutation *m = &tr->mutations[i];
        const struct ovsdb_column *c = tr->row->table->schema->columns[
            m->column];
        struct ovsdb_type kt = keys_type(&c->type);
        const struct ovsdb_type *type = m->keys_only ? &kt : &c->type;

        json_array_add(mutations, json_array_create_3(
            json_string_create(c->name),
            json_string_create(m->insert ? "insert" : "delete"),
            datum_to_json(txn, &m->datum, type)));
    }
    return mutations;
}

/* Appends the operations that change 'tr''s row.  Returns true if any. */
static bool
add_row_ops(struct ovsdb_client_txn *txn, struct ops_builder *ops,
            struct ovsdb_client_txn_row *tr)
{
    if (tr->deleted) {
        if (tr->inserted || !tr->row->table->schema->is_root) {
            /* A non-root row is left to the server's garbage collection,
             * as Open vSwitch's IDL does: it goes once nothing refers to
             * it, and deleting it while referenced would fail. */
            return false;
        }
        ops_add(ops, op_create("delete", tr->row));
        return true;
    }

    bool any = false;
    struct json *row = row_changes(txn, tr);
    if (tr->inserted) {
        struct json *op = op_create("insert", tr->row);
        json_object_put(op, "row", row);
        json_object_put_string(op, "uuid-name", tr->name);
        if (tr->persist_uuid) {
            char buf[UUID_LEN + 1];
            uuid_to_cstr(&tr->row->uuid, buf);
            json_object_put_string(op, "uuid", buf);
        }
        tr->op_index = ops->n;
        ops_add(ops, op);
        return true;
    } else if (!shash_is_empty(row->object)) {
        struct json *op = op_create("update", tr->row);
        json_object_put(op, "row", row);
        ops_add(ops, op);
        any = true;
    } else {
        json_destroy(row);
    }
    if (tr->n_mutations) {
        struct json *op = op_create("mutate", tr->row);
        json_object_put(op, "mutations", mutations_to_json(txn, tr));
        ops_add(ops, op);
        any = true;
    }
    return any;
}

/* Creates operation 'op' on the row to increment, which may be one this
 * transaction inserts: then "where" names it by its "uuid-name". */
static struct json *
inc_op_create(const struct ovsdb_client_txn *txn, const char *op)
{
    struct json *json = op_create(op, txn->inc_row);

    if (txn->inc_row->txn_row && txn->inc_row->txn_row->inserted) {
        substitute_named_uuids(txn, json_object_get(json, "where"));
    }
    return json;
}

static void
add_increment_ops(struct ovsdb_client_txn *txn, struct ops_builder *ops)
{
    const char *name = txn->inc_row->table->schema->columns[
        txn->inc_column]->name;
    struct json *op = inc_op_create(txn, "mutate");

    txn->inc_column_name = name;

    json_object_put(op, "mutations", json_array_create_1(json_array_create_3(
        json_string_create(name), json_string_create("+="),
        json_integer_create(1))));
    ops_add(ops, op);

    op = inc_op_create(txn, "select");
    json_object_put(op, "columns",
                    json_array_create_1(json_string_create(name)));
    txn->inc_op_index = ops->n;
    ops_add(ops, op);
}

/* Builds the "transact" params into 'ops'.  Returns false (and leaves
 * nothing to free) if nothing would change. */
static bool
build_request(struct ovsdb_client_txn *txn, struct ops_builder *ops)
{
    struct ovsdb_client_txn_row *tr;
    const char *lock = client_get_lock_name(txn->client);
    bool any = false;

    if (txn->inc_if_changed && !ovsdb_client_txn_has_changes(txn)) {
        /* Nothing at all is sent, as with Open vSwitch's IDL. */
        return false;
    }
    ops_init(ops, txn->db->name);
    if (lock) {
        struct json *op = json_object_create();
        json_object_put_string(op, "op", "assert");
        json_object_put_string(op, "lock", lock);
        ops_add(ops, op);
    }
    LIST_FOR_EACH (tr, list_node, &txn->row_list) {
        if (!tr->deleted || !tr->inserted) {
            add_wait_op(ops, tr);
        }
    }
    LIST_FOR_EACH (tr, list_node, &txn->row_list) {
        any |= add_row_ops(txn, ops, tr);
    }
    if (txn->inc_row) {
        add_increment_ops(txn, ops);
        any = true;
    }
    if (txn->comment.length) {
        struct json *op = json_object_create();
        json_object_put_string(op, "op", "comment");
        json_object_put_string(op, "comment", ds_cstr(&txn->comment));
        ops_add(ops, op);
    }
    if (!any) {
        ds_destroy(&ops->text);
        return false;
    }
    ds_put_char(&ops->text, ']');
    return true;
}

static void txn_row_free_values(struct ovsdb_client_txn_row *);

/* Puts the replica back as the server described it: original values in
 * modified rows, inserted rows out of their tables. */
static void
disassemble(struct ovsdb_client_txn *txn)
{
    struct ovsdb_client_txn_row *tr;

    LIST_FOR_EACH (tr, list_node, &txn->row_list) {
        tr->row->txn_row = NULL;
        if (tr->inserted) {
            continue;
        }
        for (size_t i = 0; i < row_n_columns(tr->row); i++) {
            if (client_bitmap_is_set(tr->saved, i)) {
                client_row_swap_column(tr->row, i, &tr->orig[i]);
            }
        }
        /* From here on 'tr->row' is only a key: it is the replica's, and
         * an update may free it. */
        txn_row_free_values(tr);
    }
    LIST_FOR_EACH (tr, list_node, &txn->row_list) {
        if (tr->inserted && tr->row->live) {
            client_row_unlink(tr->row);
        }
    }
    /* Only now: unlinking re-parses inserted rows that referred to each
     * other, recreating their arcs. */
    LIST_FOR_EACH (tr, list_node, &txn->row_list) {
        if (tr->inserted) {
            client_row_drop_arcs(tr->row);
        }
    }
    client_set_building_txn(txn->client, NULL);
}

/* After commit, an inserted row is only a key for
 * ovsdb_client_txn_get_insert_uuid(), compared by address: the row (150,000
 * logical flows in a northd's first transaction) is freed now rather than
 * when the reply comes, after the server's update has loaded the same rows
 * again.  So are the per-row bitmaps, which only building needs. */
static void
release_rows(struct ovsdb_client_txn *txn)
{
    struct ovsdb_client_txn_row *tr;

    LIST_FOR_EACH (tr, list_node, &txn->row_list) {
        if (tr->inserted) {
            txn_row_free_values(tr);
            client_row_free(tr->row);
            tr->row_freed = true;
        }
        free(tr->written);
        free(tr->saved);
        free(tr->verify);
        tr->written = tr->saved = tr->verify = NULL;
    }
    shash_destroy(&txn->inserted);
    shash_init(&txn->inserted);
}

enum ovsdb_client_txn_status
ovsdb_client_txn_commit(struct ovsdb_client_txn *txn)
{
    ASSERT(txn->status == OVSDB_TXN_UNCOMMITTED);

    struct ops_builder ops;
    bool any = build_request(txn, &ops);
    disassemble(txn);
    release_rows(txn);
    if (!any) {
        txn->status = OVSDB_TXN_UNCHANGED;
        return txn->status;
    }
    txn->n_ops = ops.n;
    if (ops.text.length <= TXN_KEEP_REQUEST_MAX) {
        txn->request_text = xstrdup(ds_cstr(&ops.text));
    }
    /* Give back the slack of the text's doubling growth. */
    char *text = xrealloc(ds_steal_cstr(&ops.text), ops.text.length + 1);
    if (client_send_txn(txn->client, json_serialized_create_nocopy(text),
                        txn)) {
        txn->status = OVSDB_TXN_INCOMPLETE;
    } else {
        txn->status = OVSDB_TXN_TRY_AGAIN;
        txn->error = xstrdup("not connected to the database");
    }
    return txn->status;
}

/* Results. */

static void
set_result_error(struct ovsdb_client_txn *txn,
                 enum ovsdb_client_txn_status status, const char *format,
                 ...) PRINTF_FORMAT(3, 4);

static void
set_result_error(struct ovsdb_client_txn *txn,
                 enum ovsdb_client_txn_status status, const char *format,
                 ...)
{
    va_list args;

    txn->status = status;
    free(txn->error);
    free(txn->error_json);
    txn->error_json = NULL;
    va_start(args, format);
    txn->error = xvasprintf(format, args);
    va_end(args);
}

/* Checks one operation result for an error.  Returns true if it has one
 * (and records it). */
static bool
check_op_result(struct ovsdb_client_txn *txn, const struct json *result)
{
    const struct json *error = result->type == JSON_OBJECT
                                   ? json_object_get(result, "error") : NULL;
    if (!error) {
        return false;
    }
    const struct json *details = json_object_get(result, "details");
    const char *tag = error->type == JSON_STRING ? error->string : "error";
    const char *text = details && details->type == JSON_STRING
                           ? details->string : NULL;
    enum ovsdb_client_txn_status status
        = !strcmp(tag, "timed out") ? OVSDB_TXN_TRY_AGAIN
          : !strcmp(tag, "not owner") ? OVSDB_TXN_NOT_LOCKED
          : OVSDB_TXN_ERROR;

    if (text) {
        set_result_error(txn, status, "%s: %s", tag, text);
    } else {
        set_result_error(txn, status, "%s", tag);
    }
    free(txn->error_json);
    txn->error_json = json_to_string(result, JSSF_SORT);
    return true;
}

static void
record_insert_uuids(struct ovsdb_client_txn *txn, const struct json *results)
{
    struct ovsdb_client_txn_row *tr;

    LIST_FOR_EACH (tr, list_node, &txn->row_list) {
        if (tr->op_index < 0 || (size_t) tr->op_index >= results->array.n) {
            continue;
        }
        const struct json *r = results->array.elems[tr->op_index];
        const struct json *u = r->type == JSON_OBJECT
                                   ? json_object_get(r, "uuid") : NULL;
        if (!u || u->type != JSON_ARRAY || u->array.n != 2
            || u->array.elems[1]->type != JSON_STRING
            || !uuid_from_string(&tr->real_uuid,
                                 u->array.elems[1]->string)) {
            VLOG_WARN("insert result lacks a uuid");
        }
    }
}

static void
record_increment(struct ovsdb_client_txn *txn, const struct json *results)
{
    if (txn->inc_op_index < 0
        || (size_t) txn->inc_op_index >= results->array.n) {
        return;
    }
    const struct json *r = results->array.elems[txn->inc_op_index];
    const struct json *rows = r->type == JSON_OBJECT
                                  ? json_object_get(r, "rows") : NULL;
    const char *name = txn->inc_column_name;
    const struct json *value = rows && rows->type == JSON_ARRAY
                                       && rows->array.n == 1
                                       && rows->array.elems[0]->type
                                              == JSON_OBJECT
                                   ? json_object_get(rows->array.elems[0],
                                                     name)
                                   : NULL;
    if (value && value->type == JSON_INTEGER) {
        txn->inc_new_value = value->integer;
    } else {
        set_result_error(txn, OVSDB_TXN_ERROR,
                         "increment of %s did not return its new value",
                         name);
    }
}

void
client_txn_process_reply(struct ovsdb_client_txn *txn,
                         const struct json *result, const struct json *error)
{
    if (error) {
        char *s = json_to_string(error, JSSF_SORT);
        set_result_error(txn, OVSDB_TXN_ERROR, "%s", s);
        free(txn->error_json);
        txn->error_json = s;
        return;
    }
    if (!result || result->type != JSON_ARRAY) {
        set_result_error(txn, OVSDB_TXN_ERROR, "reply is not an array");
        return;
    }
    /* The first failing operation explains the failure; the server leaves
     * the results of later operations null and may append a commit
     * error (e.g. a referential integrity violation) at the end. */
    for (size_t i = 0; i < result->array.n; i++) {
        if (check_op_result(txn, result->array.elems[i])) {
            return;
        }
    }
    size_t n_ops = txn->n_ops;
    if (result->array.n < n_ops) {
        set_result_error(txn, OVSDB_TXN_ERROR,
                         "reply has %zu results for %zu operations",
                         (size_t) result->array.n, n_ops);
        return;
    }
    txn->status = OVSDB_TXN_SUCCESS;
    record_insert_uuids(txn, result);
    record_increment(txn, result);
}

void
client_txn_abort(struct ovsdb_client_txn *txn, const char *why)
{
    set_result_error(txn, OVSDB_TXN_TRY_AGAIN, "%s", why);
}

/* Accessors and cleanup. */

const char *
ovsdb_client_txn_get_error_json(const struct ovsdb_client_txn *txn)
{
    return txn->error_json ? txn->error_json
           : txn->error ? txn->error : "unknown error";
}

enum ovsdb_client_txn_status
ovsdb_client_txn_get_status(const struct ovsdb_client_txn *txn)
{
    return txn->status;
}

const char *
ovsdb_client_txn_get_error(const struct ovsdb_client_txn *txn)
{
    return txn->error;
}

const struct json *
ovsdb_client_txn_get_request(const struct ovsdb_client_txn *txn_)
{
    struct ovsdb_client_txn *txn = (struct ovsdb_client_txn *) txn_;

    if (!txn->request && txn->request_text) {
        char *error;
        txn->request = json_from_string(txn->request_text, &error);
        ASSERT(txn->request);   /* We serialized it ourselves. */
    }
    return txn->request;
}

const struct uuid *
ovsdb_client_txn_get_insert_uuid(const struct ovsdb_client_txn *txn,
                                 const struct ovsdb_client_row *row)
{
    const struct ovsdb_client_txn_row *tr = txn_row_find(txn, row);

    if (!tr || !tr->inserted || txn->status != OVSDB_TXN_SUCCESS
        || uuid_is_zero(&tr->real_uuid)) {
        return NULL;
    }
    return &tr->real_uuid;
}

long long
ovsdb_client_txn_get_increment_new_value(const struct ovsdb_client_txn *txn)
{
    return txn->inc_new_value;
}

/* Frees what 'tr' keeps that needs its row's schema to free.  Done for an
 * existing row as soon as the transaction is committed, since an update
 * from the server may then delete (and free) the row at any time. */
static void
txn_row_free_values(struct ovsdb_client_txn_row *tr)
{
    for (size_t i = 0; i < tr->n_mutations; i++) {
        struct txn_mutation *m = &tr->mutations[i];
        const struct ovsdb_type *type = column_type(tr->row, m->column);
        struct ovsdb_type kt = keys_type(type);
        ovsdb_datum_destroy(&m->datum, m->keys_only ? &kt : type);
    }
    free(tr->mutations);
    tr->mutations = NULL;
    tr->n_mutations = tr->allocated_mutations = 0;
    if (tr->orig) {
        for (size_t i = 0; i < row_n_columns(tr->row); i++) {
            ovsdb_datum_destroy(&tr->orig[i], column_type(tr->row, i));
        }
        free(tr->orig);
        tr->orig = NULL;
    }
}

static void
txn_row_destroy(struct ovsdb_client_txn_row *tr)
{
    txn_row_free_values(tr);
    if (tr->inserted && !tr->row_freed) {
        client_row_free(tr->row);
    }
    free(tr->written);
    free(tr->saved);
    free(tr->verify);
    free(tr);
}

void
ovsdb_client_txn_destroy(struct ovsdb_client_txn *txn)
{
    struct ovsdb_client_txn_row *tr;

    if (!txn) {
        return;
    }
    if (txn->status == OVSDB_TXN_UNCOMMITTED) {
        disassemble(txn);
        txn->status = OVSDB_TXN_ABORTED;
    } else if (txn->status == OVSDB_TXN_INCOMPLETE) {
        client_forget_txn(txn->client, txn);
    }
    LIST_FOR_EACH_POP (tr, list_node, &txn->row_list) {
        hmap_remove(&txn->rows, &tr->node);
        txn_row_destroy(tr);
    }
    hmap_destroy(&txn->rows);
    shash_destroy(&txn->inserted);
    ds_destroy(&txn->comment);
    json_destroy(txn->request);
    free(txn->request_text);
    free(txn->error);
    free(txn->error_json);
    free(txn);
}
