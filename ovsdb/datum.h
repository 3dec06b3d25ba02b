/* ovsdb/datum: OVSDB values.
 *
 * An atom is one integer, real, boolean, string or uuid.  A datum is the
 * value of one column: a sorted array of 'n' distinct keys and, for maps,
 * a parallel array of values.  Keys are kept sorted (ovsdb_atom_compare_3way
 * order) so that comparison, lookup and set operations are linear or
 * logarithmic.  Every datum function takes the column's 'struct ovsdb_type'
 * because atoms do not carry their own type.
 *
 * Strings are shared, immutable, reference-counted JSON strings, so cloning
 * a datum (which transactions do for every modified row) copies no string
 * bytes.
 *
 * Ownership: a datum owns its arrays and atoms; ovsdb_datum_destroy() frees
 * them.  "_unsafe" functions leave the datum unsorted or unchecked; the
 * caller must sort it afterwards. */
#ifndef WEFT_OVSDB_DATUM_H
#define WEFT_OVSDB_DATUM_H 1

#include <stdbool.h>
#include <stdint.h>
#include "json.h"
#include "shash.h"
#include "uuid.h"
#include "ovsdb/types.h"

struct ds;

union ovsdb_atom {
    long long integer;
    double real;
    bool boolean;
    struct json *s;             /* A JSON_STRING, shared by refcount. */
    struct uuid uuid;
};

static inline const char *
ovsdb_atom_string(const union ovsdb_atom *atom)
{
    return atom->s->string;
}

/* Named UUIDs within one transaction ("named-uuid" in RFC 7047, "@name" in
 * ovs-vsctl syntax). */
struct ovsdb_symbol {
    struct uuid uuid;           /* The UUID the name stands for. */
    bool created;               /* Used to create a row? */
    bool strong_ref;            /* Referenced by a strong reference? */
    bool weak_ref;              /* Referenced by a weak reference? */
};

struct ovsdb_symbol_table {
    struct shash sh;            /* Name -> struct ovsdb_symbol *. */
};

void ovsdb_symbol_table_init(struct ovsdb_symbol_table *);
void ovsdb_symbol_table_destroy(struct ovsdb_symbol_table *);
struct ovsdb_symbol *ovsdb_symbol_table_get(
    const struct ovsdb_symbol_table *, const char *name);
struct ovsdb_symbol *ovsdb_symbol_table_put(struct ovsdb_symbol_table *,
                                            const char *name,
                                            const struct uuid *,
                                            bool created);
/* Returns the symbol for 'name', creating it with a fresh UUID if new. */
struct ovsdb_symbol *ovsdb_symbol_table_insert(struct ovsdb_symbol_table *,
                                               const char *name);

/* Atoms. */
void ovsdb_atom_init_default(union ovsdb_atom *, enum ovsdb_atomic_type);
const union ovsdb_atom *ovsdb_atom_default(enum ovsdb_atomic_type);
bool ovsdb_atom_is_default(const union ovsdb_atom *,
                           enum ovsdb_atomic_type);
void ovsdb_atom_clone(union ovsdb_atom *dst, const union ovsdb_atom *src,
                      enum ovsdb_atomic_type);
void ovsdb_atom_destroy(union ovsdb_atom *, enum ovsdb_atomic_type);
void ovsdb_atom_init_string(union ovsdb_atom *, const char *);
int ovsdb_atom_compare_3way(const union ovsdb_atom *,
                            const union ovsdb_atom *,
                            enum ovsdb_atomic_type);
static inline bool
ovsdb_atom_equals(const union ovsdb_atom *a, const union ovsdb_atom *b,
                  enum ovsdb_atomic_type type)
{
    return !ovsdb_atom_compare_3way(a, b, type);
}
uint32_t ovsdb_atom_hash(const union ovsdb_atom *, enum ovsdb_atomic_type,
                         uint32_t basis);
struct ovsdb_error *ovsdb_atom_from_json(union ovsdb_atom *,
                                         const struct ovsdb_base_type *,
                                         const struct json *,
                                         struct ovsdb_symbol_table *)
    WARN_UNUSED;
struct json *ovsdb_atom_to_json(const union ovsdb_atom *,
                                enum ovsdb_atomic_type);
/* Appends the JSON text of ovsdb_atom_to_json()'s result to 'ds', as
 * json_to_ds() would write it, without building it. */
void ovsdb_atom_to_json_ds(const union ovsdb_atom *, enum ovsdb_atomic_type,
                           struct ds *);
struct ovsdb_error *ovsdb_atom_check_constraints(
    const union ovsdb_atom *, const struct ovsdb_base_type *) WARN_UNUSED;
/* Parses ovs-vsctl syntax ("123", "1.5", "true", "abc", "\"a b\"", a UUID
 * or "@name" when 'symtab' is nonnull).  Returns an owned error string. */
char *ovsdb_atom_from_string(union ovsdb_atom *, const union ovsdb_atom **,
                             const struct ovsdb_base_type *, const char *,
                             struct ovsdb_symbol_table *) WARN_UNUSED;
/* Formats in ovs-vsctl syntax, quoting strings that need it. */
void ovsdb_atom_to_string(const union ovsdb_atom *, enum ovsdb_atomic_type,
                          struct ds *);
/* Formats without any quoting. */
void ovsdb_atom_to_bare(const union ovsdb_atom *, enum ovsdb_atomic_type,
                        struct ds *);
bool ovsdb_string_needs_quotes(const char *);

/* Datums. */
struct ovsdb_datum {
    unsigned int n;             /* Number of keys (and values). */
    union ovsdb_atom *keys;     /* 'n' keys, sorted, distinct. */
    union ovsdb_atom *values;   /* 'n' values for maps, else NULL. */
};

void ovsdb_datum_init_empty(struct ovsdb_datum *);
void ovsdb_datum_init_default(struct ovsdb_datum *,
                              const struct ovsdb_type *);
bool ovsdb_datum_is_default(const struct ovsdb_datum *,
                            const struct ovsdb_type *);
const struct ovsdb_datum *ovsdb_datum_default(const struct ovsdb_type *);
void ovsdb_datum_clone(struct ovsdb_datum *, const struct ovsdb_datum *,
                       const struct ovsdb_type *);
void ovsdb_datum_destroy(struct ovsdb_datum *, const struct ovsdb_type *);
void ovsdb_datum_swap(struct ovsdb_datum *, struct ovsdb_datum *);
/* Initializes a single-element datum; takes ownership of the atoms. */
void ovsdb_datum_init_1(struct ovsdb_datum *, const union ovsdb_atom *key,
                        const union ovsdb_atom *value);
void ovsdb_datum_init_uuid(struct ovsdb_datum *, const struct uuid *);
void ovsdb_datum_init_integer(struct ovsdb_datum *, long long);
void ovsdb_datum_init_string(struct ovsdb_datum *, const char *);
void ovsdb_datum_init_boolean(struct ovsdb_datum *, bool);

struct ovsdb_error *ovsdb_datum_from_json(struct ovsdb_datum *,
                                          const struct ovsdb_type *,
                                          const struct json *,
                                          struct ovsdb_symbol_table *)
    WARN_UNUSED;
struct json *ovsdb_datum_to_json(const struct ovsdb_datum *,
                                 const struct ovsdb_type *);
/* Appends the JSON text of ovsdb_datum_to_json()'s result to 'ds'. */
void ovsdb_datum_to_json_ds(const struct ovsdb_datum *,
                            const struct ovsdb_type *, struct ds *);

/* Sorts the keys and reports duplicates as an error. */
struct ovsdb_error *ovsdb_datum_sort(struct ovsdb_datum *,
                                     const struct ovsdb_type *) WARN_UNUSED;
/* Sorts and silently drops duplicate keys (keeping the first value). */
void ovsdb_datum_sort_unique(struct ovsdb_datum *, const struct ovsdb_type *);
struct ovsdb_error *ovsdb_datum_check_constraints(
    const struct ovsdb_datum *, const struct ovsdb_type *) WARN_UNUSED;
/* Checks that the number of elements is within the type's bounds. */
struct ovsdb_error *ovsdb_datum_check_size(const struct ovsdb_datum *,
                                           const struct ovsdb_type *)
    WARN_UNUSED;

int ovsdb_datum_compare_3way(const struct ovsdb_datum *,
                             const struct ovsdb_datum *,
                             const struct ovsdb_type *);
bool ovsdb_datum_equals(const struct ovsdb_datum *,
                        const struct ovsdb_datum *,
                        const struct ovsdb_type *);
uint32_t ovsdb_datum_hash(const struct ovsdb_datum *,
                          const struct ovsdb_type *, uint32_t basis);
/* Returns the index of 'key' in 'datum', or UINT_MAX. */
unsigned int ovsdb_datum_find_key(const struct ovsdb_datum *,
                                  const union ovsdb_atom *key,
                                  enum ovsdb_atomic_type);
/* True if every key (and, for maps, value) of 'a' is in 'b'. */
bool ovsdb_datum_includes_all(const struct ovsdb_datum *a,
                              const struct ovsdb_datum *b,
                              const struct ovsdb_type *);
/* True if no key (or key-value pair) of 'a' is in 'b'. */
bool ovsdb_datum_excludes_all(const struct ovsdb_datum *a,
                              const struct ovsdb_datum *b,
                              const struct ovsdb_type *);
/* Adds every element of 'b' whose key is not already in 'a'. */
void ovsdb_datum_union(struct ovsdb_datum *a, const struct ovsdb_datum *b,
                       const struct ovsdb_type *);
/* Applies 'diff', in the form the OVSDB log and update2 use for set and
 * map columns: each set element of 'diff' is toggled in 'a'; each map pair
 * is removed if 'a' has it, otherwise added or replacing the key's value.
 * Linear in the sizes of both. */
void ovsdb_datum_apply_diff(struct ovsdb_datum *a,
                            const struct ovsdb_datum *diff,
                            const struct ovsdb_type *);
/* The inverse of ovsdb_datum_apply_diff(): the diff from 'old' to 'new'
 * as JSON (for a column of at most one value, just the new value). */
struct json *ovsdb_datum_diff_to_json(const struct ovsdb_datum *old,
                                      const struct ovsdb_datum *new,
                                      const struct ovsdb_type *);
/* Appends the JSON text of ovsdb_datum_diff_to_json()'s result to 'ds'. */
void ovsdb_datum_diff_to_json_ds(const struct ovsdb_datum *old,
                                 const struct ovsdb_datum *new,
                                 const struct ovsdb_type *, struct ds *);
/* Removes from 'a' each element of 'b'.  If 'b_type' is a set and 'a' a
 * map, removes by key; if both are maps, removes matching pairs only. */
void ovsdb_datum_subtract(struct ovsdb_datum *a,
                          const struct ovsdb_type *a_type,
                          const struct ovsdb_datum *b,
                          const struct ovsdb_type *b_type);
/* Appends without sorting; takes ownership of the atoms. */
void ovsdb_datum_add_unsafe(struct ovsdb_datum *, const union ovsdb_atom *key,
                            const union ovsdb_atom *value,
                            const struct ovsdb_type *);
void ovsdb_datum_remove_unsafe(struct ovsdb_datum *, unsigned int idx,
                               const struct ovsdb_type *);

/* ovs-vsctl syntax: sets "a,b,c" or "[a,b]", maps "k=v,k2=v2" or "{k=v}".
 * Returns an owned error string. */
char *ovsdb_datum_from_string(struct ovsdb_datum *, const struct ovsdb_type *,
                              const char *, struct ovsdb_symbol_table *)
    WARN_UNUSED;
/* Reads an unquoted ovs-vsctl token at '*pp': characters up to white space
 * or one of ":=,[]{}!<>\"", a backslash escaping the next one.  Stores the
 * token, unescaped, in '*tokenp' (owned) and advances '*pp'.  Returns an
 * owned error or NULL. */
char *ovsdb_unquoted_token_parse(const char **pp, char **tokenp)
    WARN_UNUSED;
void ovsdb_datum_to_string(const struct ovsdb_datum *,
                           const struct ovsdb_type *, struct ds *);
void ovsdb_datum_to_bare(const struct ovsdb_datum *,
                         const struct ovsdb_type *, struct ds *);

#endif
