#include "ovsdb/execution.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"
#include "ovsdb/condition.h"
#include "ovsdb/error.h"
#include "ovsdb/mutation.h"
#include "ovsdb/row.h"
#include "ovsdb/txn.h"

struct exec_ctx {
    struct ovsdb *db;
    struct ovsdb_txn *txn;
    struct ovsdb_symbol_table symtab;
    const struct ovsdb_execute_options *options;
    bool durable;
    long long timeout_msec;     /* Set by a "wait" that must block. */
    bool blocked;
    size_t op_index;            /* 1-based number of the operation run. */
    size_t n_ops;               /* Number of operations in the request. */
};

typedef struct ovsdb_error *op_fn(struct exec_ctx *, const struct json *op,
                                  struct json *result);

/* Returns a "syntax error" for a malformed operation 'op' (or NULL if it is
 * not an object), worded as ovsdb-server words the errors of its operation
 * parser: "Parsing ovsdb operation N of M failed: ...". */
static struct ovsdb_error *
parse_error(const struct exec_ctx *ctx, const struct json *op,
            const char *format, ...) PRINTF_FORMAT(3, 4);

static struct ovsdb_error *
parse_error(const struct exec_ctx *ctx, const struct json *op,
            const char *format, ...)
{
    struct ovsdb_error *error;
    va_list args;
    char *msg;

    va_start(args, format);
    msg = xvasprintf(format, args);
    va_end(args);
    error = ovsdb_syntax_error(op, NULL, "Parsing ovsdb operation %zu of %zu "
                               "failed: %s", ctx->op_index, ctx->n_ops, msg);
    free(msg);
    return error;
}

static struct ovsdb_error *
get_member(const struct exec_ctx *ctx, const struct json *op,
           const char *name, enum json_type type, bool optional,
           const struct json **valuep)
{
    const struct json *value = json_object_get(op, name);

    *valuep = value;
    if (!value) {
        return optional ? NULL
                        : parse_error(ctx, op, "Required '%s' member is "
                                      "missing.", name);
    }
    if (value->type != type
        && !(type == JSON_TRUE && value->type == JSON_FALSE)) {
        return parse_error(ctx, op, "Type mismatch for member '%s'.", name);
    }
    return NULL;
}

static struct ovsdb_error *
get_table(struct exec_ctx *ctx, const struct json *op,
          struct ovsdb_table **tablep)
{
    const struct json *name;
    struct ovsdb_error *error = get_member(ctx, op, "table", JSON_STRING,
                                           false, &name);
    if (error) {
        return error;
    }
    *tablep = ovsdb_get_table(ctx->db, name->string);
    if (!*tablep) {
        return parse_error(ctx, op, "No table named %s.", name->string);
    }
    return NULL;
}

static struct ovsdb_error *
check_writable(struct exec_ctx *ctx, const struct json *op)
{
    if (ctx->options->read_only) {
        const struct json *name = json_object_get(op, "op");
        return ovsdb_error("not allowed", "%s operation not allowed when "
                           "database server is in read only mode",
                           name ? name->string : "?");
    }
    return NULL;
}

/* Calls 'cb' on each row of 'table' that satisfies 'cond'.  The callback
 * may modify or delete the row, so matching rows are collected first. */
static struct ovsdb_error *
for_each_match(struct exec_ctx *ctx, struct ovsdb_table *table,
               const struct ovsdb_condition *cond,
               struct ovsdb_error *(*cb)(struct exec_ctx *,
                                         const struct ovsdb_row *, void *),
               void *aux, size_t *countp)
{
    const struct ovsdb_row **rows = NULL, *row;
    struct ovsdb_error *error = NULL;
    size_t n = 0, allocated = 0;
    struct uuid uuid;

    if (ovsdb_condition_get_uuid(cond, &uuid)) {
        row = ovsdb_table_get_row(table, &uuid);
        if (row && ovsdb_condition_evaluate(row, cond)) {
            rows = xmalloc(sizeof *rows);
            rows[n++] = row;
        }
    } else {
        OVSDB_TABLE_FOR_EACH_ROW (row, table) {
            if (ovsdb_condition_evaluate(row, cond)) {
                if (n >= allocated) {
                    rows = x2nrealloc(rows, &allocated, sizeof *rows);
                }
                rows[n++] = row;
            }
        }
    }
    for (size_t i = 0; i < n && !error; i++) {
        error = cb(ctx, rows[i], aux);
    }
    free(rows);
    *countp = n;
    return error;
}

static struct ovsdb_error *
parse_where(struct exec_ctx *ctx, struct ovsdb_table *table,
            const struct json *op, struct ovsdb_condition *cond)
{
    const struct json *where;
    struct ovsdb_error *error = get_member(ctx, op, "where", JSON_ARRAY,
                                           false, &where);
    ovsdb_condition_init(cond);
    return error ? error : ovsdb_condition_from_json(table->schema, where,
                                                     &ctx->symtab, cond);
}

/* insert */
static struct ovsdb_error *
execute_insert(struct exec_ctx *ctx, const struct json *op,
               struct json *result)
{
    const struct json *uuid_name, *uuid_json, *row_json;
    struct ovsdb_table *table;
    struct ovsdb_error *error;
    struct ovsdb_row *row;
    struct uuid uuid;

    error = check_writable(ctx, op);
    if (!error) {
        error = get_table(ctx, op, &table);
    }
    if (!error) {
        error = get_member(ctx, op, "uuid-name", JSON_STRING, true,
                           &uuid_name);
    }
    if (!error) {
        error = get_member(ctx, op, "uuid", JSON_STRING, true, &uuid_json);
    }
    if (!error) {
        error = get_member(ctx, op, "row", JSON_OBJECT, true, &row_json);
    }
    if (error) {
        return error;
    }

    if (uuid_json) {
        if (!uuid_from_string(&uuid, uuid_json->string)) {
            return ovsdb_syntax_error(uuid_json, NULL, "bad uuid");
        }
    } else if (uuid_name) {
        struct ovsdb_symbol *symbol = ovsdb_symbol_table_get(
            &ctx->symtab, uuid_name->string);
        if (symbol && symbol->created) {
            return ovsdb_syntax_error(op, "duplicate uuid-name",
                                      "This \"uuid-name\" appeared on an "
                                      "earlier \"insert\" operation.");
        }
        uuid = symbol ? symbol->uuid : (uuid_generate(&uuid), uuid);
    } else {
        uuid_generate(&uuid);
    }
    if (uuid_name) {
        struct ovsdb_symbol *symbol = ovsdb_symbol_table_get(
            &ctx->symtab, uuid_name->string);
        if (!symbol) {
            symbol = ovsdb_symbol_table_put(&ctx->symtab, uuid_name->string,
                                            &uuid, true);
        } else {
            if (symbol->created) {
                return ovsdb_syntax_error(op, "duplicate uuid-name",
                                          "This \"uuid-name\" appeared on "
                                          "an earlier \"insert\" "
                                          "operation.");
            }
            symbol->uuid = uuid;
            symbol->created = true;
        }
    }
    if (ovsdb_table_get_row(table, &uuid)) {
        return ovsdb_error("duplicate uuid", "This UUID would duplicate a "
                           "UUID already present within the table or "
                           "deleted within the same transaction.");
    }

    row = ovsdb_row_create(table);
    *ovsdb_row_get_uuid_rw(row) = uuid;
    if (row_json) {
        error = ovsdb_row_from_json(row, row_json, &ctx->symtab, NULL,
                                    false);
    }
    if (error) {
        ovsdb_row_destroy(row);
        return error;
    }
    ovsdb_txn_row_insert(ctx->txn, row);
    json_object_put(result, "uuid",
                    ovsdb_atom_to_json(&(union ovsdb_atom) { .uuid = uuid },
                                       OVSDB_TYPE_UUID));
    return NULL;
}

/* select */
struct select_aux {
    struct ovsdb_column_set columns;
    struct json *rows;
};

static struct ovsdb_error *
select_cb(struct exec_ctx *ctx OVS_UNUSED, const struct ovsdb_row *row,
          void *aux_)
{
    struct select_aux *aux = aux_;
    json_array_add(aux->rows, ovsdb_row_to_json(row, &aux->columns));
    return NULL;
}

static struct ovsdb_error *
execute_select(struct exec_ctx *ctx, const struct json *op,
               struct json *result)
{
    struct select_aux aux = { OVSDB_COLUMN_SET_INITIALIZER, NULL };
    struct ovsdb_condition cond = OVSDB_CONDITION_INITIALIZER;
    const struct json *columns;
    struct ovsdb_table *table;
    struct ovsdb_error *error;
    size_t n;

    error = get_table(ctx, op, &table);
    if (!error) {
        error = parse_where(ctx, table, op, &cond);
    }
    if (!error) {
        error = get_member(ctx, op, "columns", JSON_ARRAY, true, &columns);
    }
    if (!error) {
        if (columns) {
            error = ovsdb_column_set_from_json(columns, table->schema,
                                               &aux.columns);
        } else {
            ovsdb_column_set_add_all(&aux.columns, table->schema);
        }
    }
    if (!error) {
        aux.rows = json_array_create_empty();
        error = for_each_match(ctx, table, &cond, select_cb, &aux, &n);
        json_object_put(result, "rows", aux.rows);
    }
    ovsdb_column_set_destroy(&aux.columns);
    ovsdb_condition_destroy(&cond);
    return error;
}

/* update */
struct update_aux {
    const struct ovsdb_row *template;
    struct ovsdb_column_set columns;
};

static struct ovsdb_error *
update_cb(struct exec_ctx *ctx, const struct ovsdb_row *row, void *aux_)
{
    struct update_aux *aux = aux_;
    struct ovsdb_row *rw = ovsdb_txn_row_modify(ctx->txn, row);

    for (size_t i = 0; i < aux->columns.n_columns; i++) {
        const struct ovsdb_column *c = aux->columns.columns[i];
        ovsdb_datum_destroy(&rw->fields[c->index], &c->type);
        ovsdb_datum_clone(&rw->fields[c->index],
                          &aux->template->fields[c->index], &c->type);
    }
    return NULL;
}

static struct ovsdb_error *
execute_update(struct exec_ctx *ctx, const struct json *op,
               struct json *result)
{
    struct ovsdb_condition cond = OVSDB_CONDITION_INITIALIZER;
    struct update_aux aux = { NULL, OVSDB_COLUMN_SET_INITIALIZER };
    struct ovsdb_row *template = NULL;
    const struct json *row_json;
    struct ovsdb_table *table;
    struct ovsdb_error *error;
    size_t n = 0;

    error = check_writable(ctx, op);
    if (!error) {
        error = get_table(ctx, op, &table);
    }
    if (!error) {
        error = get_member(ctx, op, "row", JSON_OBJECT, false, &row_json);
    }
    if (!error) {
        template = ovsdb_row_create(table);
        error = ovsdb_row_from_json(template, row_json, &ctx->symtab,
                                    &aux.columns, true);
    }
    if (!error) {
        error = parse_where(ctx, table, op, &cond);
    }
    if (!error) {
        aux.template = template;
        error = for_each_match(ctx, table, &cond, update_cb, &aux, &n);
        json_object_put(result, "count", json_integer_create(n));
    }
    ovsdb_row_destroy(template);
    ovsdb_column_set_destroy(&aux.columns);
    ovsdb_condition_destroy(&cond);
    return error;
}

/* mutate */
static struct ovsdb_error *
mutate_cb(struct exec_ctx *ctx, const struct ovsdb_row *row, void *aux)
{
    return ovsdb_mutation_set_execute(ovsdb_txn_row_modify(ctx->txn, row),
                                      aux);
}

static struct ovsdb_error *
execute_mutate(struct exec_ctx *ctx, const struct json *op,
               struct json *result)
{
    struct ovsdb_condition cond = OVSDB_CONDITION_INITIALIZER;
    struct ovsdb_mutation_set mutations = { NULL, 0 };
    const struct json *mutations_json;
    struct ovsdb_table *table;
    struct ovsdb_error *error;
    size_t n = 0;

    error = check_writable(ctx, op);
    if (!error) {
        error = get_table(ctx, op, &table);
    }
    if (!error) {
        error = get_member(ctx, op, "mutations", JSON_ARRAY, false,
                           &mutations_json);
    }
    if (!error) {
        error = ovsdb_mutation_set_from_json(table->schema, mutations_json,
                                             &ctx->symtab, &mutations);
    }
    if (!error) {
        error = parse_where(ctx, table, op, &cond);
    }
    if (!error) {
        error = for_each_match(ctx, table, &cond, mutate_cb, &mutations, &n);
        if (!error) {
            json_object_put(result, "count", json_integer_create(n));
        }
    }
    ovsdb_mutation_set_destroy(&mutations);
    ovsdb_condition_destroy(&cond);
    return error;
}

/* delete */
static struct ovsdb_error *
delete_cb(struct exec_ctx *ctx, const struct ovsdb_row *row,
          void *aux OVS_UNUSED)
{
    ovsdb_txn_row_delete(ctx->txn, row);
    return NULL;
}

static struct ovsdb_error *
execute_delete(struct exec_ctx *ctx, const struct json *op,
               struct json *result)
{
    struct ovsdb_condition cond = OVSDB_CONDITION_INITIALIZER;
    struct ovsdb_table *table;
    struct ovsdb_error *error;
    size_t n = 0;

    error = check_writable(ctx, op);
    if (!error) {
        error = get_table(ctx, op, &table);
    }
    if (!error) {
        error = parse_where(ctx, table, op, &cond);
    }
    if (!error) {
        error = for_each_match(ctx, table, &cond, delete_cb, NULL, &n);
        json_object_put(result, "count", json_integer_create(n));
    }
    ovsdb_condition_destroy(&cond);
    return error;
}

/* wait */
static struct ovsdb_error *
collect_cb(struct exec_ctx *ctx OVS_UNUSED, const struct ovsdb_row *row,
           void *aux)
{
    struct hmap *actual = aux;
    struct ovsdb_row *copy = ovsdb_row_clone(row);
    /* 'hmap_node' of the copy is free: the copy is in no table. */
    hmap_insert(actual, &copy->hmap_node, 0);
    return NULL;
}

static bool
rows_match(struct hmap *actual, const struct json *rows_json,
           struct ovsdb_table *table, const struct ovsdb_column_set *columns,
           struct exec_ctx *ctx, struct ovsdb_error **errorp)
{
    size_t n_expected = rows_json->array.n, n_matched = 0;
    bool *used = xcalloc(hmap_count(actual) + 1, sizeof *used);
    bool equal = n_expected == hmap_count(actual);

    for (size_t i = 0; i < n_expected && equal; i++) {
        struct ovsdb_row *expected = ovsdb_row_create(table);
        struct ovsdb_column_set given = OVSDB_COLUMN_SET_INITIALIZER;
        struct ovsdb_row *row;
        size_t j = 0;
        bool found = false;

        *errorp = ovsdb_row_from_json(expected, rows_json->array.elems[i],
                                      &ctx->symtab, &given, false);
        ovsdb_column_set_destroy(&given);
        if (*errorp) {
            ovsdb_row_destroy(expected);
            equal = false;
            break;
        }
        HMAP_FOR_EACH (row, hmap_node, actual) {
            if (!used[j] && ovsdb_row_equal_columns(row, expected, columns)) {
                used[j] = found = true;
                n_matched++;
                break;
            }
            j++;
        }
        ovsdb_row_destroy(expected);
        equal = found;
    }
    free(used);
    return equal && n_matched == n_expected;
}

static struct ovsdb_error *
execute_wait(struct exec_ctx *ctx, const struct json *op,
             struct json *result OVS_UNUSED)
{
    struct ovsdb_condition cond = OVSDB_CONDITION_INITIALIZER;
    struct ovsdb_column_set columns = OVSDB_COLUMN_SET_INITIALIZER;
    const struct json *timeout, *columns_json, *until, *rows;
    struct hmap actual = HMAP_INITIALIZER(&actual);
    struct ovsdb_table *table;
    struct ovsdb_error *error;
    struct ovsdb_row *row;
    size_t n;

    error = get_table(ctx, op, &table);
    if (!error) {
        error = get_member(ctx, op, "timeout", JSON_INTEGER, true, &timeout);
    }
    if (!error) {
        /* RFC 7047 requires "columns", but OVS's clients omit it when
         * waiting for no rows; then all columns are compared. */
        error = get_member(ctx, op, "columns", JSON_ARRAY, true,
                           &columns_json);
    }
    if (!error) {
        error = get_member(ctx, op, "until", JSON_STRING, false, &until);
    }
    if (!error) {
        error = get_member(ctx, op, "rows", JSON_ARRAY, false, &rows);
    }
    if (!error && strcmp(until->string, "==")
        && strcmp(until->string, "!=")) {
        error = ovsdb_syntax_error(until, NULL, "\"until\" must be \"==\" "
                                   "or \"!=\"");
    }
    if (!error) {
        if (columns_json) {
            error = ovsdb_column_set_from_json(columns_json, table->schema,
                                               &columns);
        } else {
            ovsdb_column_set_add_all(&columns, table->schema);
        }
    }
    if (!error) {
        error = parse_where(ctx, table, op, &cond);
    }
    if (!error) {
        error = for_each_match(ctx, table, &cond, collect_cb, &actual, &n);
    }
    if (!error) {
        bool equal = rows_match(&actual, rows, table, &columns, ctx, &error);
        bool satisfied = !strcmp(until->string, "==") ? equal : !equal;
        if (!error && !satisfied) {
            long long limit = timeout ? timeout->integer : LLONG_MAX;
            long long elapsed = ctx->options->elapsed_msec;
            if (limit == LLONG_MAX || elapsed < limit) {
                ctx->blocked = true;
                ctx->timeout_msec = limit == LLONG_MAX ? LLONG_MAX
                                                       : limit - elapsed;
            }
            error = ovsdb_error("timed out", "\"wait\" timed out");
        }
    }
    HMAP_FOR_EACH_POP (row, hmap_node, &actual) {
        ovsdb_row_destroy(row);
    }
    hmap_destroy(&actual);
    ovsdb_column_set_destroy(&columns);
    ovsdb_condition_destroy(&cond);
    return error;
}

/* commit, abort, comment, assert */
static struct ovsdb_error *
execute_commit(struct exec_ctx *ctx, const struct json *op,
               struct json *result OVS_UNUSED)
{
    const struct json *durable;
    struct ovsdb_error *error = get_member(ctx, op, "durable", JSON_TRUE,
                                           false, &durable);
    if (!error && durable->type == JSON_TRUE) {
        ctx->durable = true;
    }
    return error;
}

static struct ovsdb_error *
execute_abort(struct exec_ctx *ctx OVS_UNUSED,
              const struct json *op OVS_UNUSED,
              struct json *result OVS_UNUSED)
{
    return ovsdb_error("aborted", "aborted by request");
}

static struct ovsdb_error *
execute_comment(struct exec_ctx *ctx, const struct json *op,
                struct json *result OVS_UNUSED)
{
    const struct json *comment;
    struct ovsdb_error *error = get_member(ctx, op, "comment", JSON_STRING,
                                           false, &comment);
    if (!error) {
        ovsdb_txn_add_comment(ctx->txn, comment->string);
    }
    return error;
}

static struct ovsdb_error *
execute_assert(struct exec_ctx *ctx, const struct json *op,
               struct json *result OVS_UNUSED)
{
    const struct json *lock;
    struct ovsdb_error *error = get_member(ctx, op, "lock", JSON_STRING,
                                           false, &lock);
    if (!error && !(ctx->options->has_lock
                    && ctx->options->has_lock(lock->string,
                                              ctx->options->aux))) {
        error = ovsdb_error("not owner", "Asserted lock %s not held.",
                            lock->string);
    }
    return error;
}

static op_fn *
lookup_op(const char *name)
{
    static const struct {
        const char *name;
        op_fn *fn;
    } ops[] = {
        { "insert", execute_insert },   { "select", execute_select },
        { "update", execute_update },   { "mutate", execute_mutate },
        { "delete", execute_delete },   { "wait", execute_wait },
        { "commit", execute_commit },   { "abort", execute_abort },
        { "comment", execute_comment }, { "assert", execute_assert },
    };
    for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
        if (!strcmp(name, ops[i].name)) {
            return ops[i].fn;
        }
    }
    return NULL;
}

/* Runs the operations; returns the first error, with one result object
 * (possibly an error) per operation attempted appended to 'results'. */
static struct ovsdb_error *
run_ops(struct exec_ctx *ctx, const struct json *params,
        struct json *results)
{
    for (size_t i = 1; i < params->array.n; i++) {
        const struct json *op = params->array.elems[i];
        struct json *result = json_object_create();
        struct ovsdb_error *error;
        const struct json *name;
        op_fn *fn;

        ctx->op_index = i;
        if (op->type != JSON_OBJECT) {
            error = parse_error(ctx, NULL, "Object expected.");
        } else if (!(name = json_object_get(op, "op"))) {
            error = parse_error(ctx, op, "Required 'op' member is missing.");
        } else if (name->type != JSON_STRING) {
            error = parse_error(ctx, op, "Type mismatch for member 'op'.");
        } else if (!(fn = lookup_op(name->string))) {
            error = parse_error(ctx, op, "No operation \"%s\"", name->string);
        } else {
            error = fn(ctx, op, result);
        }
        if (error) {
            json_destroy(result);
            json_array_add(results, ovsdb_error_to_json(error));
            return error;
        }
        json_array_add(results, result);
    }
    return NULL;
}

struct json *
ovsdb_execute(struct ovsdb *db, const struct json *params,
              const struct ovsdb_execute_options *options,
              long long *timeout_msec)
{
    struct json *results = json_array_create_empty();
    struct exec_ctx ctx;
    struct ovsdb_error *error;

    memset(&ctx, 0, sizeof ctx);
    ctx.db = db;
    ctx.options = options;
    ctx.n_ops = params->array.n - 1;
    ctx.txn = ovsdb_txn_create(db);
    ovsdb_symbol_table_init(&ctx.symtab);

    error = run_ops(&ctx, params, results);
    if (error) {
        ovsdb_txn_abort(ctx.txn);
        ovsdb_error_destroy(error);
        if (ctx.blocked) {
            json_destroy(results);
            results = NULL;
            *timeout_msec = ctx.timeout_msec;
        }
    } else {
        error = ovsdb_txn_commit(ctx.txn, ctx.durable);
        if (error) {
            json_array_add(results, ovsdb_error_to_json_free(error));
        }
    }
    ovsdb_symbol_table_destroy(&ctx.symtab);
    return results;
}
