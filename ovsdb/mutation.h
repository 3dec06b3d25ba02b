/* ovsdb/mutation: the "mutate" operation's mutations (RFC 7047 §5.1):
 * arithmetic (+= -= *= /= %=) on integer and real columns (scalars, or
 * every element of a set), and insert/delete on sets and maps.
 *
 * A mutation set is parsed against a table schema and applied to one row
 * at a time; a failed application leaves the row unchanged. */
#ifndef WEFT_OVSDB_MUTATION_H
#define WEFT_OVSDB_MUTATION_H 1

#include "ovsdb/datum.h"

struct json;
struct ovsdb_row;
struct ovsdb_column;
struct ovsdb_table_schema;

enum ovsdb_mutator {
    OVSDB_M_ADD,
    OVSDB_M_SUB,
    OVSDB_M_MUL,
    OVSDB_M_DIV,
    OVSDB_M_MOD,
    OVSDB_M_INSERT,
    OVSDB_M_DELETE,
};

struct ovsdb_mutation {
    enum ovsdb_mutator mutator;
    const struct ovsdb_column *column;
    struct ovsdb_type type;             /* Type 'arg' was parsed with. */
    struct ovsdb_datum arg;
};

struct ovsdb_mutation_set {
    struct ovsdb_mutation *mutations;
    size_t n_mutations;
};

struct ovsdb_error *ovsdb_mutation_set_from_json(
    const struct ovsdb_table_schema *, const struct json *,
    struct ovsdb_symbol_table *, struct ovsdb_mutation_set *) WARN_UNUSED;
void ovsdb_mutation_set_destroy(struct ovsdb_mutation_set *);
struct ovsdb_error *ovsdb_mutation_set_execute(
    struct ovsdb_row *, const struct ovsdb_mutation_set *) WARN_UNUSED;

#endif
