#include "ovsdb/schema.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "ovsdb/datum.h"
#include "ovsdb/error.h"

bool
ovsdb_is_valid_id(const char *s)
{
    const unsigned char *p = (const unsigned char *) s;

    if (!isalpha(*p) && *p != '_') {
        return false;
    }
    for (p++; *p; p++) {
        if (!isalnum(*p) && *p != '_') {
            return false;
        }
    }
    return true;
}

/* Column sets. */

void
ovsdb_column_set_init(struct ovsdb_column_set *set)
{
    set->columns = NULL;
    set->n_columns = set->allocated = 0;
}

void
ovsdb_column_set_destroy(struct ovsdb_column_set *set)
{
    if (set) {
        free(set->columns);
    }
}

void
ovsdb_column_set_add(struct ovsdb_column_set *set,
                     const struct ovsdb_column *column)
{
    if (set->n_columns >= set->allocated) {
        set->columns = x2nrealloc(set->columns, &set->allocated,
                                  sizeof *set->columns);
    }
    set->columns[set->n_columns++] = column;
}

void
ovsdb_column_set_add_all(struct ovsdb_column_set *set,
                         const struct ovsdb_table_schema *ts)
{
    for (size_t i = 0; i < ts->n_columns; i++) {
        ovsdb_column_set_add(set, ts->columns[i]);
    }
}

bool
ovsdb_column_set_contains(const struct ovsdb_column_set *set,
                          unsigned int index)
{
    for (size_t i = 0; i < set->n_columns; i++) {
        if (set->columns[i]->index == index) {
            return true;
        }
    }
    return false;
}

struct ovsdb_error *
ovsdb_column_set_from_json(const struct json *json,
                           const struct ovsdb_table_schema *ts,
                           struct ovsdb_column_set *set)
{
    ovsdb_column_set_init(set);
    if (json->type != JSON_ARRAY) {
        return ovsdb_syntax_error(json, NULL, "array of column names "
                                  "expected");
    }
    for (size_t i = 0; i < json->array.n; i++) {
        const struct json *name = json->array.elems[i];
        const struct ovsdb_column *column;

        if (name->type != JSON_STRING) {
            goto error;
        }
        column = ovsdb_table_schema_get_column(ts, name->string);
        if (!column) {
            ovsdb_column_set_destroy(set);
            ovsdb_column_set_init(set);
            return ovsdb_syntax_error(json, "unknown column",
                                      "%s is not a valid column name",
                                      name->string);
        }
        if (ovsdb_column_set_contains(set, column->index)) {
            goto error;
        }
        ovsdb_column_set_add(set, column);
    }
    return NULL;

error:
    ovsdb_column_set_destroy(set);
    ovsdb_column_set_init(set);
    return ovsdb_syntax_error(json, NULL, "array of distinct column names "
                              "expected");
}

/* Columns and tables. */

static struct ovsdb_column *
column_create(const char *name, bool mutable, bool persistent,
              const struct ovsdb_type *type)
{
    struct ovsdb_column *column = xzalloc(sizeof *column);
    column->name = xstrdup(name);
    column->mutable = mutable;
    column->persistent = persistent;
    column->type = *type;
    return column;
}

static void
column_destroy(struct ovsdb_column *column)
{
    if (column) {
        ovsdb_type_destroy(&column->type);
        free(column->name);
        free(column);
    }
}

static struct ovsdb_error *
column_from_json(const struct json *json, const char *name,
                 struct ovsdb_column **columnp)
{
    const struct json *type_json, *j;
    bool mutable = true, ephemeral = false;
    struct ovsdb_error *error;
    struct ovsdb_type type;

    *columnp = NULL;
    if (json->type != JSON_OBJECT) {
        return ovsdb_syntax_error(json, NULL, "column %s: object expected",
                                  name);
    }
    type_json = json_object_get(json, "type");
    if (!type_json) {
        return ovsdb_syntax_error(json, NULL, "column %s lacks \"type\"",
                                  name);
    }
    j = json_object_get(json, "mutable");
    if (j) {
        if (j->type != JSON_TRUE && j->type != JSON_FALSE) {
            return ovsdb_syntax_error(json, NULL, "column %s: \"mutable\" "
                                      "must be a boolean", name);
        }
        mutable = j->type == JSON_TRUE;
    }
    j = json_object_get(json, "ephemeral");
    if (j) {
        if (j->type != JSON_TRUE && j->type != JSON_FALSE) {
            return ovsdb_syntax_error(json, NULL, "column %s: \"ephemeral\" "
                                      "must be a boolean", name);
        }
        ephemeral = j->type == JSON_TRUE;
    }
    error = ovsdb_type_from_json(&type, type_json);
    if (error) {
        return ovsdb_error_wrap(error, "column %s", name);
    }
    *columnp = column_create(name, mutable, !ephemeral, &type);
    return NULL;
}

static void
table_schema_destroy(struct ovsdb_table_schema *ts)
{
    if (!ts) {
        return;
    }
    for (size_t i = 0; i < ts->n_columns; i++) {
        column_destroy(ts->columns[i]);
    }
    free(ts->columns);
    shash_destroy(&ts->columns_by_name);
    for (size_t i = 0; i < ts->n_indexes; i++) {
        ovsdb_column_set_destroy(&ts->indexes[i]);
    }
    free(ts->indexes);
    free(ts->name);
    free(ts);
}

const struct ovsdb_column *
ovsdb_table_schema_get_column(const struct ovsdb_table_schema *ts,
                              const char *name)
{
    return shash_find_data(&ts->columns_by_name, name);
}

static void
add_column(struct ovsdb_table_schema *ts, struct ovsdb_column *column)
{
    column->index = ts->n_columns;
    ts->columns = xrealloc(ts->columns,
                           (ts->n_columns + 1) * sizeof *ts->columns);
    ts->columns[ts->n_columns++] = column;
    shash_add(&ts->columns_by_name, column->name, column);
}

static struct ovsdb_error *
parse_indexes(struct ovsdb_table_schema *ts, const struct json *json)
{
    if (json->type != JSON_ARRAY) {
        return ovsdb_syntax_error(json, NULL, "indexes must be an array");
    }
    ts->indexes = json->array.n ? xcalloc(json->array.n,
                                          sizeof *ts->indexes) : NULL;
    for (size_t i = 0; i < json->array.n; i++) {
        struct ovsdb_column_set *set = &ts->indexes[i];
        struct ovsdb_error *error = ovsdb_column_set_from_json(
            json->array.elems[i], ts, set);
        if (error) {
            return ovsdb_error_wrap(error, "table %s index", ts->name);
        }
        ts->n_indexes++;
        if (!set->n_columns) {
            return ovsdb_syntax_error(json, NULL, "index must have at "
                                      "least one column");
        }
        for (size_t j = 0; j < set->n_columns; j++) {
            const struct ovsdb_column *c = set->columns[j];
            if (c->index == OVSDB_COL_VERSION) {
                return ovsdb_syntax_error(json, NULL, "cannot index "
                                          "_version");
            } else if (!c->persistent) {
                return ovsdb_syntax_error(json, NULL, "ephemeral columns "
                                          "(such as %s) may not be indexed",
                                          c->name);
            }
        }
    }
    return NULL;
}

static struct ovsdb_error *
parse_columns(struct ovsdb_table_schema *ts, const struct json *columns)
{
    const struct shash_node **nodes;
    size_t n = shash_count(columns->object);
    struct ovsdb_type uuid_type, version_type;
    struct ovsdb_error *error = NULL;

    if (!n) {
        return ovsdb_syntax_error(columns, NULL, "table must have at least "
                                  "one column");
    }
    ovsdb_type_init_scalar(&uuid_type, OVSDB_TYPE_UUID);
    ovsdb_type_init_scalar(&version_type, OVSDB_TYPE_UUID);
    add_column(ts, column_create("_uuid", false, true, &uuid_type));
    add_column(ts, column_create("_version", false, false, &version_type));

    nodes = shash_sort(columns->object);
    for (size_t i = 0; i < n && !error; i++) {
        struct ovsdb_column *column;
        if (nodes[i]->name[0] == '_') {
            error = ovsdb_syntax_error(columns, NULL, "names beginning with "
                                       "\"_\" are reserved");
        } else if (!ovsdb_is_valid_id(nodes[i]->name)) {
            error = ovsdb_syntax_error(columns, NULL, "name must be a valid "
                                       "id");
        } else {
            error = column_from_json(nodes[i]->data, nodes[i]->name,
                                     &column);
            if (!error) {
                add_column(ts, column);
            }
        }
    }
    free(nodes);
    return error;
}

static struct ovsdb_error *
table_schema_from_json(const struct json *json, const char *name,
                       struct ovsdb_table_schema **tsp)
{
    struct ovsdb_table_schema *ts;
    const struct json *columns, *j;
    struct ovsdb_error *error;

    *tsp = NULL;
    if (json->type != JSON_OBJECT) {
        return ovsdb_syntax_error(json, NULL, "table %s: object expected",
                                  name);
    }
    columns = json_object_get(json, "columns");
    if (!columns || columns->type != JSON_OBJECT) {
        return ovsdb_syntax_error(json, NULL, "table %s: \"columns\" object "
                                  "expected", name);
    }
    ts = xzalloc(sizeof *ts);
    ts->name = xstrdup(name);
    shash_init(&ts->columns_by_name);
    ts->max_rows = UINT_MAX;
    ts->is_root = false;

    error = parse_columns(ts, columns);
    if (error) {
        goto error;
    }
    j = json_object_get(json, "maxRows");
    if (j) {
        if (j->type != JSON_INTEGER || j->integer < 1
            || j->integer > UINT_MAX) {
            error = ovsdb_syntax_error(json, NULL, "maxRows must be at "
                                       "least 1");
            goto error;
        }
        ts->max_rows = j->integer;
    }
    j = json_object_get(json, "isRoot");
    if (j) {
        if (j->type != JSON_TRUE && j->type != JSON_FALSE) {
            error = ovsdb_syntax_error(json, NULL, "isRoot must be boolean");
            goto error;
        }
        ts->is_root = j->type == JSON_TRUE;
    }
    j = json_object_get(json, "indexes");
    if (j) {
        error = parse_indexes(ts, j);
        if (error) {
            goto error;
        }
    }
    *tsp = ts;
    return NULL;

error:
    table_schema_destroy(ts);
    return ovsdb_error_wrap(error, "table %s", name);
}

static struct ovsdb_error *
resolve_refs(struct ovsdb_schema *schema, struct ovsdb_base_type *base,
             const struct ovsdb_table_schema *ts,
             const struct ovsdb_column *column)
{
    if (base->type == OVSDB_TYPE_UUID && base->uuid.ref_table_name) {
        base->uuid.ref_table = shash_find_data(&schema->tables,
                                               base->uuid.ref_table_name);
        if (!base->uuid.ref_table) {
            return ovsdb_syntax_error(NULL, NULL, "table %s column %s "
                                      "refers to undefined table %s",
                                      ts->name, column->name,
                                      base->uuid.ref_table_name);
        }
    }
    return NULL;
}

struct ovsdb_error *
ovsdb_schema_from_json(const struct json *json, struct ovsdb_schema **schemap)
{
    const struct json *name, *version, *cksum, *tables;
    struct ovsdb_error *error = NULL;
    struct ovsdb_schema *schema;
    struct shash_node *node;
    bool any_root_flag = false;

    *schemap = NULL;
    if (json->type != JSON_OBJECT) {
        return ovsdb_syntax_error(json, NULL, "schema must be an object");
    }
    name = json_object_get(json, "name");
    version = json_object_get(json, "version");
    cksum = json_object_get(json, "cksum");
    tables = json_object_get(json, "tables");
    if (!name || name->type != JSON_STRING || !ovsdb_is_valid_id(name->string)) {
        return ovsdb_syntax_error(json, NULL, "schema \"name\" must be a "
                                  "valid id");
    }
    if (version && version->type != JSON_STRING) {
        return ovsdb_syntax_error(json, NULL, "schema version must be a "
                                  "string");
    }
    if (!tables || tables->type != JSON_OBJECT) {
        return ovsdb_syntax_error(json, NULL, "schema lacks \"tables\"");
    }

    schema = xzalloc(sizeof *schema);
    schema->name = xstrdup(name->string);
    schema->version = xstrdup(version ? version->string : "");
    schema->cksum = xstrdup(cksum && cksum->type == JSON_STRING
                            ? cksum->string : "");
    shash_init(&schema->tables);
    schema->json = json_clone(json);

    SHASH_FOR_EACH (node, tables->object) {
        struct ovsdb_table_schema *ts;
        if (node->name[0] == '_') {
            error = ovsdb_syntax_error(json, NULL, "names beginning with "
                                       "\"_\" are reserved");
            goto error;
        } else if (!ovsdb_is_valid_id(node->name)) {
            error = ovsdb_syntax_error(json, NULL, "%s is not a valid table "
                                       "name", node->name);
            goto error;
        }
        error = table_schema_from_json(node->data, node->name, &ts);
        if (error) {
            goto error;
        }
        any_root_flag |= ts->is_root;
        shash_add(&schema->tables, ts->name, ts);
    }

    /* Schemas from before "isRoot" existed have no root table: then every
     * table is a root, so nothing is garbage-collected. */
    SHASH_FOR_EACH (node, &schema->tables) {
        struct ovsdb_table_schema *ts = node->data;
        if (!any_root_flag) {
            ts->is_root = true;
        }
        for (size_t i = 0; i < ts->n_columns && !error; i++) {
            struct ovsdb_column *c = ts->columns[i];
            error = resolve_refs(schema, &c->type.key, ts, c);
            if (!error) {
                error = resolve_refs(schema, &c->type.value, ts, c);
            }
        }
        if (error) {
            goto error;
        }
    }
    *schemap = schema;
    return NULL;

error:
    ovsdb_schema_destroy(schema);
    return error;
}

struct ovsdb_error *
ovsdb_schema_from_file(const char *file_name, struct ovsdb_schema **schemap)
{
    struct ovsdb_error *error;
    struct json *json;
    char *msg;

    *schemap = NULL;
    json = json_from_file(file_name, &msg);
    if (!json) {
        error = ovsdb_error("syntax error", "%s", msg);
        free(msg);
        return error;
    }
    error = ovsdb_schema_from_json(json, schemap);
    json_destroy(json);
    return ovsdb_error_wrap(error, "failed to parse \"%s\" as ovsdb schema",
                            file_name);
}

struct json *
ovsdb_schema_to_json(const struct ovsdb_schema *schema)
{
    return json_clone(schema->json);
}

struct ovsdb_schema *
ovsdb_schema_clone(const struct ovsdb_schema *old)
{
    struct ovsdb_schema *schema;
    struct ovsdb_error *error = ovsdb_schema_from_json(old->json, &schema);
    ASSERT(!error);
    return schema;
}

void
ovsdb_schema_destroy(struct ovsdb_schema *schema)
{
    struct shash_node *node;

    if (!schema) {
        return;
    }
    SHASH_FOR_EACH (node, &schema->tables) {
        table_schema_destroy(node->data);
    }
    shash_destroy(&schema->tables);
    json_destroy(schema->json);
    free(schema->name);
    free(schema->version);
    free(schema->cksum);
    free(schema);
}

const struct ovsdb_table_schema *
ovsdb_schema_get_table(const struct ovsdb_schema *schema, const char *name)
{
    return shash_find_data(&schema->tables, name);
}

bool
ovsdb_schema_equal(const struct ovsdb_schema *a, const struct ovsdb_schema *b)
{
    return json_equal(a->json, b->json);
}
