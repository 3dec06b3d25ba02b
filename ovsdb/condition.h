/* ovsdb/condition: "where" clauses of RFC 7047 operations and the
 * conditions of monitor_cond (a condition is a list of clauses that must
 * all hold; monitor_cond also allows the literals true and false).
 *
 * A condition is parsed against one table's schema and then evaluated on
 * rows of that table.  Not thread-safe. */
#ifndef WEFT_OVSDB_CONDITION_H
#define WEFT_OVSDB_CONDITION_H 1

#include <stdbool.h>
#include "ovsdb/datum.h"

struct json;
struct ovsdb_row;
struct ovsdb_column;
struct ovsdb_table_schema;

enum ovsdb_function {
    OVSDB_F_FALSE,
    OVSDB_F_TRUE,
    OVSDB_F_LT,
    OVSDB_F_LE,
    OVSDB_F_EQ,
    OVSDB_F_NE,
    OVSDB_F_GE,
    OVSDB_F_GT,
    OVSDB_F_INCLUDES,
    OVSDB_F_EXCLUDES,
};

struct ovsdb_clause {
    enum ovsdb_function function;
    const struct ovsdb_column *column;  /* NULL for true/false. */
    struct ovsdb_type type;             /* Type 'arg' was parsed with. */
    struct ovsdb_datum arg;
};

struct ovsdb_condition {
    struct ovsdb_clause *clauses;
    size_t n_clauses;
};

#define OVSDB_CONDITION_INITIALIZER { NULL, 0 }

const char *ovsdb_function_to_string(enum ovsdb_function);
struct ovsdb_error *ovsdb_condition_from_json(
    const struct ovsdb_table_schema *, const struct json *,
    struct ovsdb_symbol_table *, struct ovsdb_condition *) WARN_UNUSED;
struct json *ovsdb_condition_to_json(const struct ovsdb_condition *);
void ovsdb_condition_init(struct ovsdb_condition *);
void ovsdb_condition_destroy(struct ovsdb_condition *);
bool ovsdb_condition_is_true(const struct ovsdb_condition *);
bool ovsdb_condition_is_false(const struct ovsdb_condition *);
bool ovsdb_condition_evaluate(const struct ovsdb_row *,
                              const struct ovsdb_condition *);
/* If the condition requires _uuid == X, stores X and returns true. */
bool ovsdb_condition_get_uuid(const struct ovsdb_condition *,
                              struct uuid *);
bool ovsdb_clause_evaluate(const struct ovsdb_datum *field,
                           const struct ovsdb_clause *);

#endif
