/* ovsdb/types: OVSDB column types (RFC 7047 §3.2 <type>, <base-type>).
 *
 * A column's type is a key base type, an optional value base type (maps),
 * and bounds on the number of elements: min 0 or 1, max ≥ 1 or unlimited.
 * A base type is an atomic type plus constraints: an enum (a set of allowed
 * atoms), integer or real bounds, string length bounds, or, for uuids, a
 * referenced table and whether the reference is strong or weak. */
#ifndef WEFT_OVSDB_TYPES_H
#define WEFT_OVSDB_TYPES_H 1

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include "util.h"

struct json;
struct ovsdb_datum;
struct ovsdb_table_schema;

enum ovsdb_atomic_type {
    OVSDB_TYPE_VOID,            /* No value (the value type of a set). */
    OVSDB_TYPE_INTEGER,
    OVSDB_TYPE_REAL,
    OVSDB_TYPE_BOOLEAN,
    OVSDB_TYPE_STRING,
    OVSDB_TYPE_UUID,
    OVSDB_N_TYPES
};

enum ovsdb_ref_type {
    OVSDB_REF_STRONG,
    OVSDB_REF_WEAK,
};

struct ovsdb_base_type {
    enum ovsdb_atomic_type type;
    struct ovsdb_datum *enum_;  /* Allowed values (a set), or NULL. */
    union {
        struct {
            long long min;      /* LLONG_MIN if unconstrained. */
            long long max;      /* LLONG_MAX if unconstrained. */
        } integer;
        struct {
            double min;         /* -DBL_MAX if unconstrained. */
            double max;         /* DBL_MAX if unconstrained. */
        } real;
        struct {
            unsigned int min_len;   /* 0 if unconstrained. */
            unsigned int max_len;   /* UINT_MAX if unconstrained. */
        } string;
        struct {
            char *ref_table_name;   /* Referenced table, or NULL. */
            struct ovsdb_table_schema *ref_table; /* Resolved later. */
            enum ovsdb_ref_type ref_type;
        } uuid;
    };
};

#define OVSDB_UNLIMITED UINT_MAX

struct ovsdb_type {
    struct ovsdb_base_type key;
    struct ovsdb_base_type value;   /* OVSDB_TYPE_VOID for sets/scalars. */
    unsigned int n_min;             /* 0 or 1. */
    unsigned int n_max;             /* ≥ 1, or OVSDB_UNLIMITED. */
};

const char *ovsdb_atomic_type_to_string(enum ovsdb_atomic_type);
bool ovsdb_atomic_type_from_string(const char *, enum ovsdb_atomic_type *);

void ovsdb_base_type_init(struct ovsdb_base_type *, enum ovsdb_atomic_type);
void ovsdb_base_type_clone(struct ovsdb_base_type *dst,
                           const struct ovsdb_base_type *src);
void ovsdb_base_type_destroy(struct ovsdb_base_type *);
bool ovsdb_base_type_has_constraints(const struct ovsdb_base_type *);
bool ovsdb_base_type_is_ref(const struct ovsdb_base_type *);
bool ovsdb_base_type_is_strong_ref(const struct ovsdb_base_type *);
bool ovsdb_base_type_is_weak_ref(const struct ovsdb_base_type *);
struct ovsdb_error *ovsdb_base_type_from_json(struct ovsdb_base_type *,
                                              const struct json *)
    WARN_UNUSED;
struct json *ovsdb_base_type_to_json(const struct ovsdb_base_type *);

void ovsdb_type_init_scalar(struct ovsdb_type *, enum ovsdb_atomic_type);
void ovsdb_type_clone(struct ovsdb_type *, const struct ovsdb_type *);
void ovsdb_type_destroy(struct ovsdb_type *);
bool ovsdb_type_is_valid(const struct ovsdb_type *);
struct ovsdb_error *ovsdb_type_from_json(struct ovsdb_type *,
                                         const struct json *) WARN_UNUSED;
struct json *ovsdb_type_to_json(const struct ovsdb_type *);
/* English description, e.g. "set of 1 or more strings". */
char *ovsdb_type_to_english(const struct ovsdb_type *);

static inline bool
ovsdb_type_is_scalar(const struct ovsdb_type *t)
{
    return t->value.type == OVSDB_TYPE_VOID && t->n_min == 1
           && t->n_max == 1;
}

static inline bool
ovsdb_type_is_optional(const struct ovsdb_type *t)
{
    return t->n_min == 0;
}

static inline bool
ovsdb_type_is_optional_scalar(const struct ovsdb_type *t)
{
    return t->value.type == OVSDB_TYPE_VOID && t->n_min == 0
           && t->n_max == 1;
}

static inline bool
ovsdb_type_is_composite(const struct ovsdb_type *t)
{
    return t->n_max > 1;
}

static inline bool
ovsdb_type_is_set(const struct ovsdb_type *t)
{
    return t->value.type == OVSDB_TYPE_VOID && (t->n_min != 1
                                                || t->n_max != 1);
}

static inline bool
ovsdb_type_is_map(const struct ovsdb_type *t)
{
    return t->value.type != OVSDB_TYPE_VOID;
}

#endif
