/* ovsdb/schema: database schemas (RFC 7047 §3.2).
 *
 * A schema is parsed once from JSON and is immutable afterwards.  Every
 * table has two implicit columns, "_uuid" (index OVSDB_COL_UUID) and
 * "_version" (OVSDB_COL_VERSION), followed by the schema's own columns in
 * the order of their names; a column's 'index' is its slot in a row's
 * 'fields' array.  References between tables (refTable) are resolved when
 * the schema is parsed, so a type's 'ref_table' points at the referenced
 * table's schema. */
#ifndef WEFT_OVSDB_SCHEMA_H
#define WEFT_OVSDB_SCHEMA_H 1

#include <stdbool.h>
#include "shash.h"
#include "ovsdb/types.h"

struct json;

enum {
    OVSDB_COL_UUID = 0,
    OVSDB_COL_VERSION = 1,
    OVSDB_N_STD_COLUMNS = 2
};

struct ovsdb_column {
    unsigned int index;         /* Slot in struct ovsdb_row's 'fields'. */
    char *name;
    struct ovsdb_type type;
    bool mutable;               /* May the column be modified? */
    bool persistent;            /* False if "ephemeral": not logged. */
};

/* A set of columns of one table, e.g. an index or a "columns" list. */
struct ovsdb_column_set {
    const struct ovsdb_column **columns;
    size_t n_columns;
    size_t allocated;
};

#define OVSDB_COLUMN_SET_INITIALIZER { NULL, 0, 0 }

void ovsdb_column_set_init(struct ovsdb_column_set *);
void ovsdb_column_set_destroy(struct ovsdb_column_set *);
void ovsdb_column_set_add(struct ovsdb_column_set *,
                          const struct ovsdb_column *);
void ovsdb_column_set_add_all(struct ovsdb_column_set *,
                              const struct ovsdb_table_schema *);
bool ovsdb_column_set_contains(const struct ovsdb_column_set *,
                               unsigned int index);
/* Parses a JSON array of column names.  Returns an error for an unknown
 * or duplicated name. */
struct ovsdb_error *ovsdb_column_set_from_json(
    const struct json *, const struct ovsdb_table_schema *,
    struct ovsdb_column_set *) WARN_UNUSED;

struct ovsdb_table_schema {
    char *name;
    struct shash columns_by_name;   /* Name -> struct ovsdb_column *. */
    struct ovsdb_column **columns;  /* By index, including _uuid etc. */
    size_t n_columns;
    bool is_root;
    unsigned int max_rows;          /* UINT_MAX if unlimited. */
    struct ovsdb_column_set *indexes;
    size_t n_indexes;
};

const struct ovsdb_column *ovsdb_table_schema_get_column(
    const struct ovsdb_table_schema *, const char *name);

struct ovsdb_schema {
    char *name;
    char *version;              /* "x.y.z", or "" if none. */
    char *cksum;                /* Or "" if none. */
    struct shash tables;        /* Name -> struct ovsdb_table_schema *. */
    struct json *json;          /* The schema as given, for get_schema. */
};

struct ovsdb_error *ovsdb_schema_from_json(const struct json *,
                                           struct ovsdb_schema **)
    WARN_UNUSED;
struct ovsdb_error *ovsdb_schema_from_file(const char *file_name,
                                           struct ovsdb_schema **)
    WARN_UNUSED;
struct json *ovsdb_schema_to_json(const struct ovsdb_schema *);
struct ovsdb_schema *ovsdb_schema_clone(const struct ovsdb_schema *);
void ovsdb_schema_destroy(struct ovsdb_schema *);
const struct ovsdb_table_schema *ovsdb_schema_get_table(
    const struct ovsdb_schema *, const char *name);
bool ovsdb_schema_equal(const struct ovsdb_schema *,
                        const struct ovsdb_schema *);
bool ovsdb_is_valid_id(const char *);

#endif
