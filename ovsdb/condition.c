#include "ovsdb/condition.h"

#include <limits.h>
#include <string.h>
#include "json.h"
#include "ovsdb/error.h"
#include "ovsdb/row.h"

static const char *const function_names[] = {
    [OVSDB_F_FALSE] = "false",  [OVSDB_F_TRUE] = "true",
    [OVSDB_F_LT] = "<",         [OVSDB_F_LE] = "<=",
    [OVSDB_F_EQ] = "==",        [OVSDB_F_NE] = "!=",
    [OVSDB_F_GE] = ">=",        [OVSDB_F_GT] = ">",
    [OVSDB_F_INCLUDES] = "includes", [OVSDB_F_EXCLUDES] = "excludes",
};

const char *
ovsdb_function_to_string(enum ovsdb_function f)
{
    return function_names[f];
}

static bool
function_from_string(const char *s, enum ovsdb_function *f)
{
    for (int i = OVSDB_F_LT; i <= OVSDB_F_EXCLUDES; i++) {
        if (!strcmp(s, function_names[i])) {
            *f = i;
            return true;
        }
    }
    return false;
}

void
ovsdb_condition_init(struct ovsdb_condition *cond)
{
    cond->clauses = NULL;
    cond->n_clauses = 0;
}

static struct ovsdb_error *
clause_from_json(const struct ovsdb_table_schema *ts, const struct json *json,
                 struct ovsdb_symbol_table *symtab,
                 struct ovsdb_clause *clause)
{
    const struct json *col_json, *fn_json, *arg_json;
    struct ovsdb_error *error;

    memset(clause, 0, sizeof *clause);
    if (json->type == JSON_TRUE || json->type == JSON_FALSE) {
        clause->function = json->type == JSON_TRUE ? OVSDB_F_TRUE
                                                   : OVSDB_F_FALSE;
        return NULL;
    }
    if (json->type != JSON_ARRAY || json->array.n != 3
        || json->array.elems[0]->type != JSON_STRING
        || json->array.elems[1]->type != JSON_STRING) {
        return ovsdb_syntax_error(json, NULL, "Parse error in condition.");
    }
    col_json = json->array.elems[0];
    fn_json = json->array.elems[1];
    arg_json = json->array.elems[2];

    clause->column = ovsdb_table_schema_get_column(ts, col_json->string);
    if (!clause->column) {
        return ovsdb_syntax_error(json, "unknown column",
                                  "No column %s in table %s.",
                                  col_json->string, ts->name);
    }
    if (!function_from_string(fn_json->string, &clause->function)) {
        return ovsdb_syntax_error(json, "unknown function",
                                  "No function named %s.", fn_json->string);
    }

    clause->type = clause->column->type;
    switch (clause->function) {
    case OVSDB_F_LT:
    case OVSDB_F_LE:
    case OVSDB_F_GE:
    case OVSDB_F_GT:
        if (!ovsdb_type_is_scalar(&clause->type)
            || (clause->type.key.type != OVSDB_TYPE_INTEGER
                && clause->type.key.type != OVSDB_TYPE_REAL)) {
            char *s = ovsdb_type_to_english(&clause->type);
            error = ovsdb_syntax_error(json, NULL, "Type mismatch: \"%s\" "
                                       "operator may not be applied to "
                                       "column %s of type %s.",
                                       fn_json->string,
                                       clause->column->name, s);
            free(s);
            return error;
        }
        break;
    case OVSDB_F_INCLUDES:
    case OVSDB_F_EXCLUDES:
        clause->type.n_min = 0;
        clause->type.n_max = OVSDB_UNLIMITED;
        break;
    case OVSDB_F_EQ:
    case OVSDB_F_NE:
        clause->type.n_min = 0;
        break;
    default:
        break;
    }
    /* Constraints (enums, ranges) do not apply to condition arguments. */
    clause->type.key.enum_ = NULL;
    clause->type.value.enum_ = NULL;
    {
        struct ovsdb_type relaxed = clause->type;
        ovsdb_base_type_init(&relaxed.key, clause->type.key.type);
        ovsdb_base_type_init(&relaxed.value, clause->type.value.type);
        error = ovsdb_datum_from_json(&clause->arg, &relaxed, arg_json,
                                      symtab);
    }
    return error;
}

struct ovsdb_error *
ovsdb_condition_from_json(const struct ovsdb_table_schema *ts,
                          const struct json *json,
                          struct ovsdb_symbol_table *symtab,
                          struct ovsdb_condition *cond)
{
    ovsdb_condition_init(cond);
    if (json->type != JSON_ARRAY) {
        return ovsdb_syntax_error(json, NULL, "Parse error in condition.");
    }
    cond->clauses = json->array.n ? xcalloc(json->array.n,
                                            sizeof *cond->clauses) : NULL;
    for (size_t i = 0; i < json->array.n; i++) {
        struct ovsdb_error *error = clause_from_json(
            ts, json->array.elems[i], symtab, &cond->clauses[i]);
        if (error) {
            ovsdb_condition_destroy(cond);
            return error;
        }
        cond->n_clauses++;
    }
    return NULL;
}

struct json *
ovsdb_condition_to_json(const struct ovsdb_condition *cond)
{
    struct json *json = json_array_create_empty();

    for (size_t i = 0; i < cond->n_clauses; i++) {
        const struct ovsdb_clause *c = &cond->clauses[i];
        if (c->function <= OVSDB_F_TRUE) {
            json_array_add(json, json_boolean_create(c->function
                                                     == OVSDB_F_TRUE));
        } else {
            json_array_add(json, json_array_create_3(
                               json_string_create(c->column->name),
                               json_string_create(
                                   function_names[c->function]),
                               ovsdb_datum_to_json(&c->arg, &c->type)));
        }
    }
    return json;
}

void
ovsdb_condition_destroy(struct ovsdb_condition *cond)
{
    if (!cond) {
        return;
    }
    for (size_t i = 0; i < cond->n_clauses; i++) {
        struct ovsdb_clause *c = &cond->clauses[i];
        if (c->column) {
            ovsdb_datum_destroy(&c->arg, &c->type);
        }
    }
    free(cond->clauses);
    ovsdb_condition_init(cond);
}

bool
ovsdb_condition_is_true(const struct ovsdb_condition *cond)
{
    for (size_t i = 0; i < cond->n_clauses; i++) {
        if (cond->clauses[i].function != OVSDB_F_TRUE) {
            return false;
        }
    }
    return true;
}

bool
ovsdb_condition_is_false(const struct ovsdb_condition *cond)
{
    for (size_t i = 0; i < cond->n_clauses; i++) {
        if (cond->clauses[i].function == OVSDB_F_FALSE) {
            return true;
        }
    }
    return false;
}

bool
ovsdb_clause_evaluate(const struct ovsdb_datum *field,
                      const struct ovsdb_clause *c)
{
    const struct ovsdb_type *type = &c->column->type;
    int cmp;

    switch (c->function) {
    case OVSDB_F_TRUE:
        return true;
    case OVSDB_F_FALSE:
        return false;
    case OVSDB_F_EQ:
        return ovsdb_datum_equals(field, &c->arg, type);
    case OVSDB_F_NE:
        return !ovsdb_datum_equals(field, &c->arg, type);
    case OVSDB_F_INCLUDES:
        return ovsdb_datum_includes_all(&c->arg, field, type);
    case OVSDB_F_EXCLUDES:
        return ovsdb_datum_excludes_all(&c->arg, field, type);
    case OVSDB_F_LT:
    case OVSDB_F_LE:
    case OVSDB_F_GE:
    case OVSDB_F_GT:
        if (!field->n || !c->arg.n) {
            return false;
        }
        cmp = ovsdb_atom_compare_3way(&field->keys[0], &c->arg.keys[0],
                                      type->key.type);
        return c->function == OVSDB_F_LT ? cmp < 0
               : c->function == OVSDB_F_LE ? cmp <= 0
               : c->function == OVSDB_F_GE ? cmp >= 0
               : cmp > 0;
    default:
        return false;
    }
}

bool
ovsdb_condition_evaluate(const struct ovsdb_row *row,
                         const struct ovsdb_condition *cond)
{
    for (size_t i = 0; i < cond->n_clauses; i++) {
        const struct ovsdb_clause *c = &cond->clauses[i];
        const struct ovsdb_datum *field = c->column
            ? &row->fields[c->column->index] : NULL;
        if (!ovsdb_clause_evaluate(field, c)) {
            return false;
        }
    }
    return true;
}

bool
ovsdb_condition_get_uuid(const struct ovsdb_condition *cond,
                         struct uuid *uuid)
{
    for (size_t i = 0; i < cond->n_clauses; i++) {
        const struct ovsdb_clause *c = &cond->clauses[i];
        if (c->function == OVSDB_F_EQ && c->column
            && c->column->index == OVSDB_COL_UUID && c->arg.n == 1) {
            *uuid = c->arg.keys[0].uuid;
            return true;
        }
    }
    return false;
}
