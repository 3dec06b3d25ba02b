#include "ovsdb/row.h"

#include <string.h>
#include "hash.h"
#include "json.h"
#include "ovsdb/error.h"

struct ovsdb_row *
ovsdb_row_create(const struct ovsdb_table *table)
{
    const struct ovsdb_table_schema *ts = table->schema;
    struct ovsdb_row *row;

    row = xmalloc(sizeof *row + ts->n_columns * sizeof *row->fields);
    row->table = (struct ovsdb_table *) table;
    row->txn_row = NULL;
    row->n_refs = 0;
    row->n_holders = 1;
    row->index_nodes = ts->n_indexes
        ? xcalloc(ts->n_indexes, sizeof *row->index_nodes) : NULL;
    for (size_t i = 0; i < ts->n_indexes; i++) {
        row->index_nodes[i].row = row;
    }
    for (size_t i = 0; i < ts->n_columns; i++) {
        ovsdb_datum_init_default(&row->fields[i], &ts->columns[i]->type);
    }
    return row;
}

struct ovsdb_row *
ovsdb_row_clone(const struct ovsdb_row *old)
{
    const struct ovsdb_table_schema *ts = old->table->schema;
    struct ovsdb_row *row;

    row = xmalloc(sizeof *row + ts->n_columns * sizeof *row->fields);
    row->table = old->table;
    row->txn_row = NULL;
    row->n_refs = old->n_refs;
    row->n_holders = 1;
    row->index_nodes = ts->n_indexes
        ? xcalloc(ts->n_indexes, sizeof *row->index_nodes) : NULL;
    for (size_t i = 0; i < ts->n_indexes; i++) {
        row->index_nodes[i].row = row;
    }
    for (size_t i = 0; i < ts->n_columns; i++) {
        ovsdb_datum_clone(&row->fields[i], &old->fields[i],
                          &ts->columns[i]->type);
    }
    return row;
}

struct ovsdb_row *
ovsdb_row_ref(const struct ovsdb_row *row_)
{
    struct ovsdb_row *row = (struct ovsdb_row *) row_;

    row->n_holders++;
    return row;
}

void
ovsdb_row_destroy(struct ovsdb_row *row)
{
    if (row && !--row->n_holders) {
        const struct ovsdb_table_schema *ts = row->table->schema;
        for (size_t i = 0; i < ts->n_columns; i++) {
            ovsdb_datum_destroy(&row->fields[i], &ts->columns[i]->type);
        }
        free(row->index_nodes);
        free(row);
    }
}

uint32_t
ovsdb_row_hash_columns(const struct ovsdb_row *row,
                       const struct ovsdb_column_set *columns,
                       uint32_t basis)
{
    for (size_t i = 0; i < columns->n_columns; i++) {
        const struct ovsdb_column *c = columns->columns[i];
        basis = ovsdb_datum_hash(&row->fields[c->index], &c->type, basis);
    }
    return basis;
}

bool
ovsdb_row_equal_columns(const struct ovsdb_row *a, const struct ovsdb_row *b,
                        const struct ovsdb_column_set *columns)
{
    for (size_t i = 0; i < columns->n_columns; i++) {
        const struct ovsdb_column *c = columns->columns[i];
        if (!ovsdb_datum_equals(&a->fields[c->index], &b->fields[c->index],
                                &c->type)) {
            return false;
        }
    }
    return true;
}

struct ovsdb_error *
ovsdb_row_from_json(struct ovsdb_row *row, const struct json *json,
                    struct ovsdb_symbol_table *symtab,
                    struct ovsdb_column_set *columns, bool is_update)
{
    const struct ovsdb_table_schema *ts = row->table->schema;
    struct shash_node *node;

    if (json->type != JSON_OBJECT) {
        return ovsdb_syntax_error(json, NULL, "row must be JSON object");
    }
    SHASH_FOR_EACH (node, json->object) {
        const struct ovsdb_column *column;
        struct ovsdb_error *error;
        struct ovsdb_datum datum;

        column = ovsdb_table_schema_get_column(ts, node->name);
        if (!column) {
            return ovsdb_syntax_error(json, "unknown column",
                                      "No column %s in table %s.",
                                      node->name, ts->name);
        }
        if (column->index < OVSDB_N_STD_COLUMNS
            || (is_update && !column->mutable)) {
            return ovsdb_syntax_error(json, "constraint violation",
                                      "Cannot update read-only column %s "
                                      "of table %s.", column->name,
                                      ts->name);
        }
        error = ovsdb_datum_from_json(&datum, &column->type, node->data,
                                      symtab);
        if (error) {
            return ovsdb_error_wrap(error, "column %s of table %s",
                                    column->name, ts->name);
        }
        ovsdb_datum_swap(&row->fields[column->index], &datum);
        ovsdb_datum_destroy(&datum, &column->type);
        if (columns) {
            ovsdb_column_set_add(columns, column);
        }
    }
    return NULL;
}

struct json *
ovsdb_row_to_json(const struct ovsdb_row *row,
                  const struct ovsdb_column_set *columns)
{
    struct json *json = json_object_create();

    for (size_t i = 0; i < columns->n_columns; i++) {
        const struct ovsdb_column *c = columns->columns[i];
        json_object_put(json, c->name,
                        ovsdb_datum_to_json(&row->fields[c->index],
                                            &c->type));
    }
    return json;
}

/* Tables. */

struct ovsdb_table *
ovsdb_table_create(const struct ovsdb_table_schema *ts)
{
    struct ovsdb_table *table = xzalloc(sizeof *table);

    table->schema = ts;
    hmap_init(&table->rows);
    if (ts->n_indexes) {
        table->indexes = xmalloc(ts->n_indexes * sizeof *table->indexes);
        for (size_t i = 0; i < ts->n_indexes; i++) {
            hmap_init(&table->indexes[i]);
        }
    }
    return table;
}

void
ovsdb_table_destroy(struct ovsdb_table *table)
{
    struct ovsdb_row *row;

    if (!table) {
        return;
    }
    HMAP_FOR_EACH_POP (row, hmap_node, &table->rows) {
        ovsdb_row_destroy(row);
    }
    hmap_destroy(&table->rows);
    for (size_t i = 0; i < table->schema->n_indexes; i++) {
        hmap_destroy(&table->indexes[i]);
    }
    free(table->indexes);
    free(table);
}

const struct ovsdb_row *
ovsdb_table_get_row(const struct ovsdb_table *table, const struct uuid *uuid)
{
    struct ovsdb_row *row;

    HMAP_FOR_EACH_WITH_HASH (row, hmap_node, uuid_hash(uuid), &table->rows) {
        if (uuid_equals(ovsdb_row_get_uuid(row), uuid)) {
            return row;
        }
    }
    return NULL;
}

void
ovsdb_table_put_row(struct ovsdb_table *table, struct ovsdb_row *row)
{
    hmap_insert(&table->rows, &row->hmap_node,
                uuid_hash(ovsdb_row_get_uuid(row)));
}

void
ovsdb_table_remove_row(struct ovsdb_table *table, struct ovsdb_row *row)
{
    hmap_remove(&table->rows, &row->hmap_node);
}

/* Databases. */

struct ovsdb *
ovsdb_create(struct ovsdb_schema *schema)
{
    struct ovsdb *db = xzalloc(sizeof *db);
    struct shash_node *node;

    db->name = xstrdup(schema->name);
    db->schema = schema;
    shash_init(&db->tables);
    SHASH_FOR_EACH (node, &schema->tables) {
        shash_add(&db->tables, node->name, ovsdb_table_create(node->data));
    }
    list_init(&db->observers);
    return db;
}

void
ovsdb_destroy(struct ovsdb *db)
{
    struct ovsdb_observer *observer;
    struct shash_node *node;

    if (!db) {
        return;
    }
    LIST_FOR_EACH_POP (observer, node, &db->observers) {
        if (observer->class->destroy) {
            observer->class->destroy(observer);
        }
    }
    SHASH_FOR_EACH (node, &db->tables) {
        ovsdb_table_destroy(node->data);
    }
    shash_destroy(&db->tables);
    ovsdb_schema_destroy(db->schema);
    free(db->name);
    free(db);
}

struct ovsdb_table *
ovsdb_get_table(const struct ovsdb *db, const char *name)
{
    return shash_find_data(&db->tables, name);
}

void
ovsdb_add_observer(struct ovsdb *db, struct ovsdb_observer *observer)
{
    list_push_back(&db->observers, &observer->node);
}

void
ovsdb_remove_observer(struct ovsdb *db OVS_UNUSED,
                      struct ovsdb_observer *observer)
{
    list_remove(&observer->node);
}

size_t
ovsdb_count_rows(const struct ovsdb *db)
{
    struct shash_node *node;
    size_t n = 0;

    SHASH_FOR_EACH (node, &db->tables) {
        n += hmap_count(&((struct ovsdb_table *) node->data)->rows);
    }
    return n;
}
