#include "ovsdb/mutation.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <string.h>
#include "json.h"
#include "ovsdb/error.h"
#include "ovsdb/row.h"

static const char *const mutator_names[] = {
    [OVSDB_M_ADD] = "+=", [OVSDB_M_SUB] = "-=", [OVSDB_M_MUL] = "*=",
    [OVSDB_M_DIV] = "/=", [OVSDB_M_MOD] = "%=",
    [OVSDB_M_INSERT] = "insert", [OVSDB_M_DELETE] = "delete",
};

static bool
mutator_from_string(const char *s, enum ovsdb_mutator *m)
{
    for (size_t i = 0; i < ARRAY_SIZE(mutator_names); i++) {
        if (!strcmp(s, mutator_names[i])) {
            *m = i;
            return true;
        }
    }
    return false;
}

static struct ovsdb_error *
type_mismatch(const struct ovsdb_mutation *m, const struct json *json)
{
    char *s = ovsdb_type_to_english(&m->column->type);
    struct ovsdb_error *error = ovsdb_syntax_error(
        json, NULL, "Type mismatch: \"%s\" operator may not be applied to "
        "column %s of type %s.", mutator_names[m->mutator], m->column->name,
        s);
    free(s);
    return error;
}

static struct ovsdb_error *
mutation_from_json(const struct ovsdb_table_schema *ts,
                   const struct json *json, struct ovsdb_symbol_table *symtab,
                   struct ovsdb_mutation *m)
{
    const struct json *arg;
    struct ovsdb_error *error;
    enum ovsdb_atomic_type kt;

    memset(m, 0, sizeof *m);
    if (json->type != JSON_ARRAY || json->array.n != 3
        || json->array.elems[0]->type != JSON_STRING
        || json->array.elems[1]->type != JSON_STRING) {
        return ovsdb_syntax_error(json, NULL, "Parse error in mutation.");
    }
    m->column = ovsdb_table_schema_get_column(ts,
                                              json->array.elems[0]->string);
    if (!m->column) {
        return ovsdb_syntax_error(json, "unknown column",
                                  "No column %s in table %s.",
                                  json->array.elems[0]->string, ts->name);
    }
    if (!m->column->mutable || m->column->index < OVSDB_N_STD_COLUMNS) {
        return ovsdb_syntax_error(json, "constraint violation",
                                  "Cannot mutate immutable column %s in "
                                  "table %s.", m->column->name, ts->name);
    }
    if (!mutator_from_string(json->array.elems[1]->string, &m->mutator)) {
        return ovsdb_syntax_error(json, "unknown mutator",
                                  "No mutator named %s.",
                                  json->array.elems[1]->string);
    }
    arg = json->array.elems[2];
    m->type = m->column->type;
    kt = m->type.key.type;

    switch (m->mutator) {
    case OVSDB_M_ADD:
    case OVSDB_M_SUB:
    case OVSDB_M_MUL:
    case OVSDB_M_DIV:
    case OVSDB_M_MOD:
        if ((kt != OVSDB_TYPE_INTEGER && kt != OVSDB_TYPE_REAL)
            || ovsdb_type_is_map(&m->type)
            || (m->mutator == OVSDB_M_MOD && kt == OVSDB_TYPE_REAL)) {
            return type_mismatch(m, json);
        }
        /* The argument is a scalar of the key's type, unconstrained. */
        ovsdb_type_init_scalar(&m->type, kt);
        error = ovsdb_datum_from_json(&m->arg, &m->type, arg, symtab);
        if (!error && (m->mutator == OVSDB_M_DIV || m->mutator == OVSDB_M_MOD)
            && (kt == OVSDB_TYPE_INTEGER ? m->arg.keys[0].integer == 0
                                         : m->arg.keys[0].real == 0)) {
            ovsdb_datum_destroy(&m->arg, &m->type);
            return ovsdb_error("domain error", "Division by zero.");
        }
        return error;
    case OVSDB_M_INSERT:
    case OVSDB_M_DELETE:
        if (!ovsdb_type_is_set(&m->type) && !ovsdb_type_is_map(&m->type)) {
            return type_mismatch(m, json);
        }
        m->type.n_min = 0;
        m->type.n_max = OVSDB_UNLIMITED;
        if (m->mutator == OVSDB_M_DELETE && ovsdb_type_is_map(&m->type)) {
            /* "delete" on a map takes a map (pairs) or a set (keys). */
            struct ovsdb_type set = m->type;
            ovsdb_base_type_init(&set.value, OVSDB_TYPE_VOID);
            error = ovsdb_datum_from_json(&m->arg, &m->type, arg, symtab);
            if (error) {
                ovsdb_error_destroy(error);
                m->type = set;
                error = ovsdb_datum_from_json(&m->arg, &m->type, arg,
                                              symtab);
            }
            return error;
        }
        return ovsdb_datum_from_json(&m->arg, &m->type, arg, symtab);
    default:
        return ovsdb_internal_error("bad mutator");
    }
}

struct ovsdb_error *
ovsdb_mutation_set_from_json(const struct ovsdb_table_schema *ts,
                             const struct json *json,
                             struct ovsdb_symbol_table *symtab,
                             struct ovsdb_mutation_set *set)
{
    set->mutations = NULL;
    set->n_mutations = 0;
    if (json->type != JSON_ARRAY) {
        return ovsdb_syntax_error(json, NULL, "Array of mutations expected.");
    }
    set->mutations = json->array.n ? xcalloc(json->array.n,
                                             sizeof *set->mutations) : NULL;
    for (size_t i = 0; i < json->array.n; i++) {
        struct ovsdb_error *error = mutation_from_json(
            ts, json->array.elems[i], symtab, &set->mutations[i]);
        if (error) {
            ovsdb_mutation_set_destroy(set);
            return error;
        }
        set->n_mutations++;
    }
    return NULL;
}

void
ovsdb_mutation_set_destroy(struct ovsdb_mutation_set *set)
{
    for (size_t i = 0; i < set->n_mutations; i++) {
        ovsdb_datum_destroy(&set->mutations[i].arg, &set->mutations[i].type);
    }
    free(set->mutations);
    set->mutations = NULL;
    set->n_mutations = 0;
}

static struct ovsdb_error *
mutate_integer(long long *x, long long y, enum ovsdb_mutator m)
{
    long long r;

    switch (m) {
    case OVSDB_M_ADD:
        if (__builtin_add_overflow(*x, y, &r)) {
            goto range;
        }
        break;
    case OVSDB_M_SUB:
        if (__builtin_sub_overflow(*x, y, &r)) {
            goto range;
        }
        break;
    case OVSDB_M_MUL:
        if (__builtin_mul_overflow(*x, y, &r)) {
            goto range;
        }
        break;
    case OVSDB_M_DIV:
        if (*x == LLONG_MIN && y == -1) {
            goto range;
        }
        r = *x / y;
        break;
    case OVSDB_M_MOD:
        if (y == -1) {
            r = 0;
        } else {
            r = *x % y;
        }
        break;
    default:
        return ovsdb_internal_error("bad mutator");
    }
    *x = r;
    return NULL;

range:
    return ovsdb_error("range error", "Result of \"%s\" operation is out "
                       "of range.", mutator_names[m]);
}

static struct ovsdb_error *
mutate_real(double *x, double y, enum ovsdb_mutator m)
{
    double r = m == OVSDB_M_ADD ? *x + y
               : m == OVSDB_M_SUB ? *x - y
               : m == OVSDB_M_MUL ? *x * y
               : *x / y;
    if (!isfinite(r)) {
        return ovsdb_error("range error", "Result of \"%s\" operation is "
                           "out of range.", mutator_names[m]);
    }
    *x = r;
    return NULL;
}

static struct ovsdb_error *
apply_arith(struct ovsdb_datum *d, const struct ovsdb_type *type,
            const struct ovsdb_mutation *m)
{
    for (unsigned int i = 0; i < d->n; i++) {
        struct ovsdb_error *error = type->key.type == OVSDB_TYPE_INTEGER
            ? mutate_integer(&d->keys[i].integer, m->arg.keys[0].integer,
                             m->mutator)
            : mutate_real(&d->keys[i].real, m->arg.keys[0].real, m->mutator);
        if (!error) {
            error = ovsdb_atom_check_constraints(&d->keys[i], &type->key);
        }
        if (error) {
            return error;
        }
    }
    if (ovsdb_type_is_set(type)) {
        struct ovsdb_error *error = ovsdb_datum_sort(d, type);
        if (error) {
            ovsdb_error_destroy(error);
            return ovsdb_error("constraint violation", "Result of \"%s\" "
                               "operation contains duplicates.",
                               mutator_names[m->mutator]);
        }
    }
    return NULL;
}

static struct ovsdb_error *
apply_mutation(struct ovsdb_datum *d, const struct ovsdb_mutation *m)
{
    const struct ovsdb_type *type = &m->column->type;
    struct ovsdb_error *error;

    switch (m->mutator) {
    case OVSDB_M_INSERT:
        error = ovsdb_datum_check_constraints(&m->arg, type);
        if (error) {
            return error;
        }
        ovsdb_datum_union(d, &m->arg, type);
        break;
    case OVSDB_M_DELETE:
        ovsdb_datum_subtract(d, type, &m->arg, &m->type);
        break;
    default:
        return apply_arith(d, type, m);
    }
    error = ovsdb_datum_check_size(d, type);
    if (error) {
        /* ovsdb-server 3.1's wording, which clients show to users. */
        char *english = ovsdb_type_to_english(type);
        ovsdb_error_destroy(error);
        error = ovsdb_error("constraint violation",
                            "Attempted to store %u elements in %s.", d->n,
                            english);
        free(english);
        return error;
    }
    return NULL;
}

struct ovsdb_error *
ovsdb_mutation_set_execute(struct ovsdb_row *row,
                           const struct ovsdb_mutation_set *set)
{
    const struct ovsdb_table_schema *ts = row->table->schema;
    struct ovsdb_datum *saved = xmalloc(ts->n_columns * sizeof *saved);
    bool *touched = xcalloc(ts->n_columns, sizeof *touched);
    struct ovsdb_error *error = NULL;

    /* Work on copies so that a failure leaves the row untouched. */
    for (size_t i = 0; i < set->n_mutations && !error; i++) {
        const struct ovsdb_mutation *m = &set->mutations[i];
        unsigned int idx = m->column->index;
        if (!touched[idx]) {
            ovsdb_datum_clone(&saved[idx], &row->fields[idx],
                              &m->column->type);
            touched[idx] = true;
        }
        error = apply_mutation(&row->fields[idx], m);
    }
    for (size_t i = 0; i < ts->n_columns; i++) {
        if (touched[i]) {
            if (error) {
                ovsdb_datum_swap(&saved[i], &row->fields[i]);
            }
            ovsdb_datum_destroy(&saved[i], &ts->columns[i]->type);
        }
    }
    free(saved);
    free(touched);
    return error;
}
