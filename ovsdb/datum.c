#include "ovsdb/datum.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "ds.h"
#include "hash.h"
#include "ovsdb/error.h"

/* Symbol tables. */

void
ovsdb_symbol_table_init(struct ovsdb_symbol_table *symtab)
{
    shash_init(&symtab->sh);
}

void
ovsdb_symbol_table_destroy(struct ovsdb_symbol_table *symtab)
{
    if (symtab) {
        shash_destroy_free_data(&symtab->sh);
    }
}

struct ovsdb_symbol *
ovsdb_symbol_table_get(const struct ovsdb_symbol_table *symtab,
                       const char *name)
{
    return shash_find_data(&symtab->sh, name);
}

struct ovsdb_symbol *
ovsdb_symbol_table_put(struct ovsdb_symbol_table *symtab, const char *name,
                       const struct uuid *uuid, bool created)
{
    struct ovsdb_symbol *symbol = xzalloc(sizeof *symbol);
    symbol->uuid = *uuid;
    symbol->created = created;
    shash_add(&symtab->sh, name, symbol);
    return symbol;
}

struct ovsdb_symbol *
ovsdb_symbol_table_insert(struct ovsdb_symbol_table *symtab,
                          const char *name)
{
    struct ovsdb_symbol *symbol = ovsdb_symbol_table_get(symtab, name);
    if (!symbol) {
        struct uuid uuid;
        uuid_generate(&uuid);
        symbol = ovsdb_symbol_table_put(symtab, name, &uuid, false);
    }
    return symbol;
}

/* Atoms. */

/* Returns a new reference to the string 's', created in '*cache' on first
 * use: one copy per process, never freed, of strings that many atoms or
 * replies hold. */
static struct json *
shared_string(struct json **cache, const char *s)
{
    if (!*cache) {
        *cache = json_string_create(s);
    }
    return json_clone(*cache);
}

static struct json *
empty_string(void)
{
    static struct json *empty;
    return shared_string(&empty, "");
}

/* The "uuid" of every ["uuid", "<uuid>"] built: a transaction's reply has
 * one per inserted row. */
static struct json *
uuid_tag(void)
{
    static struct json *tag;
    return shared_string(&tag, "uuid");
}

void
ovsdb_atom_init_default(union ovsdb_atom *atom, enum ovsdb_atomic_type type)
{
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        atom->integer = 0;
        break;
    case OVSDB_TYPE_REAL:
        atom->real = 0.0;
        break;
    case OVSDB_TYPE_BOOLEAN:
        atom->boolean = false;
        break;
    case OVSDB_TYPE_STRING:
        atom->s = empty_string();
        break;
    case OVSDB_TYPE_UUID:
        uuid_zero(&atom->uuid);
        break;
    default:
        util_abort("bad atomic type %d", type);
    }
}

const union ovsdb_atom *
ovsdb_atom_default(enum ovsdb_atomic_type type)
{
    static union ovsdb_atom defaults[OVSDB_N_TYPES];
    static bool inited;

    if (!inited) {
        for (int i = OVSDB_TYPE_INTEGER; i < OVSDB_N_TYPES; i++) {
            ovsdb_atom_init_default(&defaults[i], i);
        }
        inited = true;
    }
    return &defaults[type];
}

bool
ovsdb_atom_is_default(const union ovsdb_atom *atom,
                      enum ovsdb_atomic_type type)
{
    return ovsdb_atom_equals(atom, ovsdb_atom_default(type), type);
}

void
ovsdb_atom_init_string(union ovsdb_atom *atom, const char *s)
{
    atom->s = json_string_create(s);
}

void
ovsdb_atom_clone(union ovsdb_atom *dst, const union ovsdb_atom *src,
                 enum ovsdb_atomic_type type)
{
    *dst = *src;
    if (type == OVSDB_TYPE_STRING) {
        json_clone(src->s);
    }
}

void
ovsdb_atom_destroy(union ovsdb_atom *atom, enum ovsdb_atomic_type type)
{
    if (type == OVSDB_TYPE_STRING) {
        json_destroy(atom->s);
    }
}

int
ovsdb_atom_compare_3way(const union ovsdb_atom *a, const union ovsdb_atom *b,
                        enum ovsdb_atomic_type type)
{
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        return a->integer < b->integer ? -1 : a->integer > b->integer;
    case OVSDB_TYPE_REAL:
        return a->real < b->real ? -1 : a->real > b->real;
    case OVSDB_TYPE_BOOLEAN:
        return a->boolean - b->boolean;
    case OVSDB_TYPE_STRING:
        return a->s == b->s ? 0 : strcmp(a->s->string, b->s->string);
    case OVSDB_TYPE_UUID:
        return uuid_compare(&a->uuid, &b->uuid);
    default:
        util_abort("bad atomic type %d", type);
    }
}

uint32_t
ovsdb_atom_hash(const union ovsdb_atom *atom, enum ovsdb_atomic_type type,
                uint32_t basis)
{
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        return hash_uint64(atom->integer, basis);
    case OVSDB_TYPE_REAL: {
        double r = atom->real == 0 ? 0 : atom->real;
        uint64_t bits;
        memcpy(&bits, &r, sizeof bits);
        return hash_uint64(bits, basis);
    }
    case OVSDB_TYPE_BOOLEAN:
        return hash_int(atom->boolean, basis);
    case OVSDB_TYPE_STRING:
        return hash_string(atom->s->string, basis);
    case OVSDB_TYPE_UUID:
        return hash_int(atom->uuid.parts[0], basis);
    default:
        util_abort("bad atomic type %d", type);
    }
}

static struct ovsdb_error *
uuid_from_json(union ovsdb_atom *atom, const struct json *json,
               struct ovsdb_symbol_table *symtab)
{
    const struct json *kind, *value;

    if (json->type != JSON_ARRAY || json->array.n != 2
        || json->array.elems[0]->type != JSON_STRING
        || json->array.elems[1]->type != JSON_STRING) {
        return ovsdb_syntax_error(json, NULL, "expected [\"uuid\", <id>]");
    }
    kind = json->array.elems[0];
    value = json->array.elems[1];
    if (!strcmp(kind->string, "uuid")) {
        if (!uuid_from_string(&atom->uuid, value->string)) {
            return ovsdb_syntax_error(json, NULL, "\"%s\" is not a valid UUID",
                                      value->string);
        }
        return NULL;
    } else if (!strcmp(kind->string, "named-uuid")) {
        struct ovsdb_symbol *symbol;
        if (!symtab) {
            return ovsdb_syntax_error(json, NULL,
                                      "named-uuid not allowed here");
        }
        symbol = ovsdb_symbol_table_insert(symtab, value->string);
        atom->uuid = symbol->uuid;
        return NULL;
    }
    return ovsdb_syntax_error(json, NULL, "expected [\"uuid\", <id>]");
}

static struct ovsdb_error *
atom_from_json__(union ovsdb_atom *atom, enum ovsdb_atomic_type type,
                 const struct json *json, struct ovsdb_symbol_table *symtab)
{
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        if (json->type == JSON_INTEGER) {
            atom->integer = json->integer;
            return NULL;
        }
        break;
    case OVSDB_TYPE_REAL:
        if (json->type == JSON_INTEGER) {
            atom->real = json->integer;
            return NULL;
        } else if (json->type == JSON_REAL) {
            atom->real = json->real;
            return NULL;
        }
        break;
    case OVSDB_TYPE_BOOLEAN:
        if (json->type == JSON_TRUE || json->type == JSON_FALSE) {
            atom->boolean = json->type == JSON_TRUE;
            return NULL;
        }
        break;
    case OVSDB_TYPE_STRING:
        if (json->type == JSON_STRING) {
            atom->s = json_clone(json);
            return NULL;
        }
        break;
    case OVSDB_TYPE_UUID:
        return uuid_from_json(atom, json, symtab);
    default:
        util_abort("bad atomic type %d", type);
    }
    return ovsdb_syntax_error(json, NULL, "expected %s",
                              ovsdb_atomic_type_to_string(type));
}

struct ovsdb_error *
ovsdb_atom_from_json(union ovsdb_atom *atom,
                     const struct ovsdb_base_type *base,
                     const struct json *json,
                     struct ovsdb_symbol_table *symtab)
{
    struct ovsdb_error *error = atom_from_json__(atom, base->type, json,
                                                 symtab);
    if (error) {
        return error;
    }
    error = ovsdb_atom_check_constraints(atom, base);
    if (error) {
        ovsdb_atom_destroy(atom, base->type);
    }
    return error;
}

struct json *
ovsdb_atom_to_json(const union ovsdb_atom *atom, enum ovsdb_atomic_type type)
{
    char buf[UUID_LEN + 1];

    switch (type) {
    case OVSDB_TYPE_INTEGER:
        return json_integer_create(atom->integer);
    case OVSDB_TYPE_REAL:
        return json_real_create(atom->real);
    case OVSDB_TYPE_BOOLEAN:
        return json_boolean_create(atom->boolean);
    case OVSDB_TYPE_STRING:
        return json_clone(atom->s);
    case OVSDB_TYPE_UUID:
        return json_array_create_2(uuid_tag(),
                                   json_string_create(
                                       uuid_to_cstr(&atom->uuid, buf)));
    default:
        util_abort("bad atomic type %d", type);
    }
}

void
ovsdb_atom_to_json_ds(const union ovsdb_atom *atom,
                      enum ovsdb_atomic_type type, struct ds *ds)
{
    struct json real;

    switch (type) {
    case OVSDB_TYPE_INTEGER:
        ds_put_decimal(ds, atom->integer);
        break;
    case OVSDB_TYPE_REAL:
        /* The number formatting of json_to_ds(), on a value on the stack. */
        real = (struct json) { .type = JSON_REAL, .count = 1,
                               .real = atom->real };
        json_to_ds(&real, 0, ds);
        break;
    case OVSDB_TYPE_BOOLEAN:
        ds_put_cstr(ds, atom->boolean ? "true" : "false");
        break;
    case OVSDB_TYPE_STRING:
        json_string_escape(atom->s->string, ds);
        break;
    case OVSDB_TYPE_UUID:
        ds_put_cstr(ds, "[\"uuid\",\"");
        uuid_format(&atom->uuid, ds);
        ds_put_cstr(ds, "\"]");
        break;
    default:
        util_abort("bad atomic type %d", type);
    }
}

static size_t
utf8_char_count(const char *s)
{
    size_t n = 0;
    for (; *s; s++) {
        n += ((unsigned char) *s & 0xc0) != 0x80;
    }
    return n;
}

struct ovsdb_error *
ovsdb_atom_check_constraints(const union ovsdb_atom *atom,
                             const struct ovsdb_base_type *base)
{
    if (base->enum_) {
        if (ovsdb_datum_find_key(base->enum_, atom, base->type) == UINT_MAX) {
            struct ds ds = DS_EMPTY_INITIALIZER;
            struct ovsdb_type set = { .n_min = 0, .n_max = UINT_MAX };
            struct ovsdb_error *error;

            set.key = *base;
            set.key.enum_ = NULL;
            set.value.type = OVSDB_TYPE_VOID;
            ovsdb_atom_to_string(atom, base->type, &ds);
            ds_put_cstr(&ds, " is not one of the allowed values (");
            ovsdb_datum_to_string(base->enum_, &set, &ds);
            ds_put_char(&ds, ')');
            error = ovsdb_error("constraint violation", "%s", ds_cstr(&ds));
            ds_destroy(&ds);
            return error;
        }
        return NULL;
    }
    switch (base->type) {
    case OVSDB_TYPE_INTEGER:
        if (atom->integer < base->integer.min
            || atom->integer > base->integer.max) {
            if (base->integer.max == LLONG_MAX) {
                return ovsdb_error("constraint violation",
                                   "%lld is less than minimum allowed value "
                                   "%lld", atom->integer, base->integer.min);
            } else if (base->integer.min == LLONG_MIN) {
                return ovsdb_error("constraint violation",
                                   "%lld is greater than maximum allowed "
                                   "value %lld", atom->integer,
                                   base->integer.max);
            }
            return ovsdb_error("constraint violation",
                               "%lld is not in the valid range %lld to %lld "
                               "(inclusive)", atom->integer,
                               base->integer.min, base->integer.max);
        }
        return NULL;
    case OVSDB_TYPE_REAL:
        if (atom->real < base->real.min || atom->real > base->real.max) {
            return ovsdb_error("constraint violation",
                               "%.*g is not in the valid range %.*g to %.*g "
                               "(inclusive)", DBL_DIG, atom->real, DBL_DIG,
                               base->real.min, DBL_DIG, base->real.max);
        }
        return NULL;
    case OVSDB_TYPE_STRING:
        if (base->string.min_len || base->string.max_len != UINT_MAX) {
            size_t n = utf8_char_count(atom->s->string);
            if (n < base->string.min_len) {
                return ovsdb_error("constraint violation",
                                   "\"%s\" length %zu is less than minimum "
                                   "allowed length %u", atom->s->string, n,
                                   base->string.min_len);
            } else if (n > base->string.max_len) {
                return ovsdb_error("constraint violation",
                                   "\"%s\" length %zu is greater than "
                                   "maximum allowed length %u",
                                   atom->s->string, n, base->string.max_len);
            }
        }
        return NULL;
    default:
        return NULL;
    }
}

/* Datums. */

void
ovsdb_datum_init_empty(struct ovsdb_datum *datum)
{
    datum->n = 0;
    datum->keys = NULL;
    datum->values = NULL;
}

static union ovsdb_atom *
alloc_default_atoms(enum ovsdb_atomic_type type, size_t n)
{
    if (type == OVSDB_TYPE_VOID) {
        return NULL;
    }
    union ovsdb_atom *atoms = xmalloc(n * sizeof *atoms);
    for (size_t i = 0; i < n; i++) {
        ovsdb_atom_init_default(&atoms[i], type);
    }
    return atoms;
}

void
ovsdb_datum_init_default(struct ovsdb_datum *datum,
                         const struct ovsdb_type *type)
{
    datum->n = type->n_min;
    datum->keys = datum->n ? alloc_default_atoms(type->key.type, 1) : NULL;
    datum->values = datum->n ? alloc_default_atoms(type->value.type, 1)
                             : NULL;
}

bool
ovsdb_datum_is_default(const struct ovsdb_datum *datum,
                       const struct ovsdb_type *type)
{
    if (datum->n != type->n_min) {
        return false;
    } else if (!datum->n) {
        return true;
    }
    return ovsdb_atom_is_default(&datum->keys[0], type->key.type)
           && (type->value.type == OVSDB_TYPE_VOID
               || ovsdb_atom_is_default(&datum->values[0],
                                        type->value.type));
}

const struct ovsdb_datum *
ovsdb_datum_default(const struct ovsdb_type *type)
{
    static struct ovsdb_datum empty;
    static struct ovsdb_datum defaults[OVSDB_N_TYPES][OVSDB_N_TYPES];
    static bool inited[OVSDB_N_TYPES][OVSDB_N_TYPES];

    if (type->n_min == 0) {
        return &empty;
    }
    int k = type->key.type, v = type->value.type;
    if (!inited[k][v]) {
        defaults[k][v].n = 1;
        defaults[k][v].keys = (union ovsdb_atom *) ovsdb_atom_default(k);
        defaults[k][v].values = v == OVSDB_TYPE_VOID
            ? NULL : (union ovsdb_atom *) ovsdb_atom_default(v);
        inited[k][v] = true;
    }
    return &defaults[k][v];
}

static union ovsdb_atom *
clone_atoms(const union ovsdb_atom *old, enum ovsdb_atomic_type type,
            size_t n)
{
    if (type == OVSDB_TYPE_VOID || !n) {
        return NULL;
    }
    union ovsdb_atom *new = xmemdup(old, n * sizeof *old);
    if (type == OVSDB_TYPE_STRING) {
        for (size_t i = 0; i < n; i++) {
            json_clone(new[i].s);
        }
    }
    return new;
}

void
ovsdb_datum_clone(struct ovsdb_datum *new, const struct ovsdb_datum *old,
                  const struct ovsdb_type *type)
{
    unsigned int n = old->n;
    new->n = n;
    new->keys = clone_atoms(old->keys, type->key.type, n);
    new->values = clone_atoms(old->values, type->value.type, n);
}

static void
free_atoms(union ovsdb_atom *atoms, enum ovsdb_atomic_type type, size_t n)
{
    if (type == OVSDB_TYPE_STRING) {
        for (size_t i = 0; i < n; i++) {
            json_destroy(atoms[i].s);
        }
    }
    free(atoms);
}

void
ovsdb_datum_destroy(struct ovsdb_datum *datum, const struct ovsdb_type *type)
{
    if (datum) {
        free_atoms(datum->keys, type->key.type, datum->n);
        free_atoms(datum->values, type->value.type, datum->n);
    }
}

void
ovsdb_datum_swap(struct ovsdb_datum *a, struct ovsdb_datum *b)
{
    struct ovsdb_datum tmp = *a;
    *a = *b;
    *b = tmp;
}

void
ovsdb_datum_init_1(struct ovsdb_datum *datum, const union ovsdb_atom *key,
                   const union ovsdb_atom *value)
{
    datum->n = 1;
    datum->keys = xmemdup(key, sizeof *key);
    datum->values = value ? xmemdup(value, sizeof *value) : NULL;
}

void
ovsdb_datum_init_uuid(struct ovsdb_datum *datum, const struct uuid *uuid)
{
    union ovsdb_atom atom = { .uuid = *uuid };
    ovsdb_datum_init_1(datum, &atom, NULL);
}

void
ovsdb_datum_init_integer(struct ovsdb_datum *datum, long long integer)
{
    union ovsdb_atom atom = { .integer = integer };
    ovsdb_datum_init_1(datum, &atom, NULL);
}

void
ovsdb_datum_init_boolean(struct ovsdb_datum *datum, bool b)
{
    union ovsdb_atom atom = { .boolean = b };
    ovsdb_datum_init_1(datum, &atom, NULL);
}

void
ovsdb_datum_init_string(struct ovsdb_datum *datum, const char *s)
{
    union ovsdb_atom atom;
    ovsdb_atom_init_string(&atom, s);
    ovsdb_datum_init_1(datum, &atom, NULL);
}

/* Sorting. */

struct sort_ctx {
    struct ovsdb_datum *datum;
    enum ovsdb_atomic_type key_type;
};

static int
compare_idx(const void *a_, const void *b_, void *ctx_)
{
    const struct sort_ctx *ctx = ctx_;
    const unsigned int *a = a_, *b = b_;
    int cmp = ovsdb_atom_compare_3way(&ctx->datum->keys[*a],
                                      &ctx->datum->keys[*b], ctx->key_type);
    /* Stable: equal keys keep their original order. */
    return cmp ? cmp : (*a > *b) - (*a < *b);
}

static bool
is_sorted_unique(const struct ovsdb_datum *datum,
                 enum ovsdb_atomic_type type)
{
    for (unsigned int i = 1; i < datum->n; i++) {
        if (ovsdb_atom_compare_3way(&datum->keys[i - 1], &datum->keys[i],
                                    type) >= 0) {
            return false;
        }
    }
    return true;
}

static void
sort_datum(struct ovsdb_datum *datum, const struct ovsdb_type *type)
{
    struct sort_ctx ctx = { datum, type->key.type };
    unsigned int *idx;
    union ovsdb_atom *keys, *values = NULL;

    if (datum->n < 2 || is_sorted_unique(datum, type->key.type)) {
        return;
    }
    idx = xmalloc(datum->n * sizeof *idx);
    for (unsigned int i = 0; i < datum->n; i++) {
        idx[i] = i;
    }
    qsort_r(idx, datum->n, sizeof *idx, compare_idx, &ctx);
    keys = xmalloc(datum->n * sizeof *keys);
    if (datum->values) {
        values = xmalloc(datum->n * sizeof *values);
    }
    for (unsigned int i = 0; i < datum->n; i++) {
        keys[i] = datum->keys[idx[i]];
        if (values) {
            values[i] = datum->values[idx[i]];
        }
    }
    free(datum->keys);
    free(datum->values);
    datum->keys = keys;
    datum->values = values;
    free(idx);
}

struct ovsdb_error *
ovsdb_datum_sort(struct ovsdb_datum *datum, const struct ovsdb_type *type)
{
    sort_datum(datum, type);
    for (unsigned int i = 1; i < datum->n; i++) {
        if (ovsdb_atom_equals(&datum->keys[i - 1], &datum->keys[i],
                              type->key.type)) {
            struct ds ds = DS_EMPTY_INITIALIZER;
            ovsdb_atom_to_string(&datum->keys[i], type->key.type, &ds);
            struct ovsdb_error *error = ovsdb_error(
                "constraint violation", "%s contains duplicate %s %s",
                ovsdb_type_is_map(type) ? "map" : "set",
                ovsdb_type_is_map(type) ? "key" : "value", ds_cstr(&ds));
            ds_destroy(&ds);
            return error;
        }
    }
    return NULL;
}

void
ovsdb_datum_sort_unique(struct ovsdb_datum *datum,
                        const struct ovsdb_type *type)
{
    unsigned int i, n;

    sort_datum(datum, type);
    for (i = n = 0; i < datum->n; i++) {
        if (n && ovsdb_atom_equals(&datum->keys[n - 1], &datum->keys[i],
                                   type->key.type)) {
            ovsdb_atom_destroy(&datum->keys[i], type->key.type);
            if (datum->values) {
                ovsdb_atom_destroy(&datum->values[i], type->value.type);
            }
            continue;
        }
        datum->keys[n] = datum->keys[i];
        if (datum->values) {
            datum->values[n] = datum->values[i];
        }
        n++;
    }
    datum->n = n;
}

struct ovsdb_error *
ovsdb_datum_check_constraints(const struct ovsdb_datum *datum,
                              const struct ovsdb_type *type)
{
    struct ovsdb_error *error;

    for (unsigned int i = 0; i < datum->n; i++) {
        error = ovsdb_atom_check_constraints(&datum->keys[i], &type->key);
        if (!error && datum->values) {
            error = ovsdb_atom_check_constraints(&datum->values[i],
                                                 &type->value);
        }
        if (error) {
            return error;
        }
    }
    return NULL;
}

struct ovsdb_error *
ovsdb_datum_check_size(const struct ovsdb_datum *datum,
                       const struct ovsdb_type *type)
{
    if (datum->n < type->n_min) {
        return ovsdb_error("constraint violation",
                           "%u values when type requires at least %u",
                           datum->n, type->n_min);
    } else if (datum->n > type->n_max) {
        return ovsdb_error("constraint violation",
                           "%u values when type allows at most %u",
                           datum->n, type->n_max);
    }
    return NULL;
}

/* JSON. */

static struct ovsdb_error *
parse_elements(struct ovsdb_datum *datum, const struct ovsdb_type *type,
               const struct json *elems, struct ovsdb_symbol_table *symtab)
{
    bool is_map = ovsdb_type_is_map(type);
    size_t n = elems->array.n;

    datum->n = 0;
    datum->keys = n ? xmalloc(n * sizeof *datum->keys) : NULL;
    datum->values = is_map && n ? xmalloc(n * sizeof *datum->values) : NULL;
    for (size_t i = 0; i < n; i++) {
        const struct json *elem = elems->array.elems[i];
        const struct json *key = elem, *value = NULL;
        struct ovsdb_error *error;

        if (is_map) {
            if (elem->type != JSON_ARRAY || elem->array.n != 2) {
                return ovsdb_syntax_error(elem, NULL,
                                          "expected 2-element array");
            }
            key = elem->array.elems[0];
            value = elem->array.elems[1];
        }
        error = ovsdb_atom_from_json(&datum->keys[i], &type->key, key,
                                     symtab);
        if (error) {
            return error;
        }
        if (is_map) {
            error = ovsdb_atom_from_json(&datum->values[i], &type->value,
                                         value, symtab);
            if (error) {
                ovsdb_atom_destroy(&datum->keys[i], type->key.type);
                return error;
            }
        }
        datum->n++;
    }
    return NULL;
}

struct ovsdb_error *
ovsdb_datum_from_json(struct ovsdb_datum *datum,
                      const struct ovsdb_type *type, const struct json *json,
                      struct ovsdb_symbol_table *symtab)
{
    struct ovsdb_error *error;
    const char *tag = NULL;

    if (json->type == JSON_ARRAY && json->array.n == 2
        && json->array.elems[0]->type == JSON_STRING) {
        tag = json->array.elems[0]->string;
    }
    if (ovsdb_type_is_map(type)) {
        if (!tag || strcmp(tag, "map")
            || json->array.elems[1]->type != JSON_ARRAY) {
            return ovsdb_syntax_error(json, NULL, "expected [\"map\", ...]");
        }
        error = parse_elements(datum, type, json->array.elems[1], symtab);
    } else if (tag && !strcmp(tag, "set")) {
        if (json->array.elems[1]->type != JSON_ARRAY) {
            return ovsdb_syntax_error(json, NULL, "expected [\"set\", [...]]");
        }
        error = parse_elements(datum, type, json->array.elems[1], symtab);
    } else {
        union ovsdb_atom atom;
        error = ovsdb_atom_from_json(&atom, &type->key, json, symtab);
        if (error) {
            ovsdb_datum_init_empty(datum);
            return error;
        }
        ovsdb_datum_init_1(datum, &atom, NULL);
    }
    if (!error) {
        error = ovsdb_datum_sort(datum, type);
    }
    if (!error) {
        error = ovsdb_datum_check_size(datum, type);
    }
    if (error) {
        ovsdb_datum_destroy(datum, type);
        ovsdb_datum_init_empty(datum);
    }
    return error;
}

struct json *
ovsdb_datum_to_json(const struct ovsdb_datum *datum,
                    const struct ovsdb_type *type)
{
    struct json **elems;

    if (ovsdb_type_is_map(type)) {
        elems = datum->n ? xmalloc(datum->n * sizeof *elems) : NULL;
        for (unsigned int i = 0; i < datum->n; i++) {
            elems[i] = json_array_create_2(
                ovsdb_atom_to_json(&datum->keys[i], type->key.type),
                ovsdb_atom_to_json(&datum->values[i], type->value.type));
        }
        return json_array_create_2(json_string_create("map"),
                                   json_array_create(elems, datum->n));
    } else if (datum->n == 1) {
        return ovsdb_atom_to_json(&datum->keys[0], type->key.type);
    }
    elems = datum->n ? xmalloc(datum->n * sizeof *elems) : NULL;
    for (unsigned int i = 0; i < datum->n; i++) {
        elems[i] = ovsdb_atom_to_json(&datum->keys[i], type->key.type);
    }
    return json_array_create_2(json_string_create("set"),
                               json_array_create(elems, datum->n));
}

/* Appends the JSON text of element 'i' of 'datum': the key, or for a map
 * the [key, value] pair. */
static void
element_to_json_ds(const struct ovsdb_datum *datum, unsigned int i,
                   const struct ovsdb_type *type, struct ds *ds)
{
    if (ovsdb_type_is_map(type)) {
        ds_put_char(ds, '[');
        ovsdb_atom_to_json_ds(&datum->keys[i], type->key.type, ds);
        ds_put_char(ds, ',');
        ovsdb_atom_to_json_ds(&datum->values[i], type->value.type, ds);
        ds_put_char(ds, ']');
    } else {
        ovsdb_atom_to_json_ds(&datum->keys[i], type->key.type, ds);
    }
}

void
ovsdb_datum_to_json_ds(const struct ovsdb_datum *datum,
                       const struct ovsdb_type *type, struct ds *ds)
{
    bool map = ovsdb_type_is_map(type);

    if (!map && datum->n == 1) {
        ovsdb_atom_to_json_ds(&datum->keys[0], type->key.type, ds);
        return;
    }
    ds_put_cstr(ds, map ? "[\"map\",[" : "[\"set\",[");
    for (unsigned int i = 0; i < datum->n; i++) {
        if (i) {
            ds_put_char(ds, ',');
        }
        element_to_json_ds(datum, i, type, ds);
    }
    ds_put_cstr(ds, "]]");
}

/* Comparison and set operations. */

int
ovsdb_datum_compare_3way(const struct ovsdb_datum *a,
                         const struct ovsdb_datum *b,
                         const struct ovsdb_type *type)
{
    if (a->n != b->n) {
        return a->n < b->n ? -1 : 1;
    }
    for (unsigned int i = 0; i < a->n; i++) {
        int cmp = ovsdb_atom_compare_3way(&a->keys[i], &b->keys[i],
                                          type->key.type);
        if (cmp) {
            return cmp;
        }
    }
    if (type->value.type != OVSDB_TYPE_VOID) {
        for (unsigned int i = 0; i < a->n; i++) {
            int cmp = ovsdb_atom_compare_3way(&a->values[i], &b->values[i],
                                              type->value.type);
            if (cmp) {
                return cmp;
            }
        }
    }
    return 0;
}

bool
ovsdb_datum_equals(const struct ovsdb_datum *a, const struct ovsdb_datum *b,
                   const struct ovsdb_type *type)
{
    return !ovsdb_datum_compare_3way(a, b, type);
}

uint32_t
ovsdb_datum_hash(const struct ovsdb_datum *datum,
                 const struct ovsdb_type *type, uint32_t basis)
{
    uint32_t hash = hash_int(datum->n, basis);
    for (unsigned int i = 0; i < datum->n; i++) {
        hash = ovsdb_atom_hash(&datum->keys[i], type->key.type, hash);
        if (datum->values) {
            hash = ovsdb_atom_hash(&datum->values[i], type->value.type, hash);
        }
    }
    return hash;
}

unsigned int
ovsdb_datum_find_key(const struct ovsdb_datum *datum,
                     const union ovsdb_atom *key,
                     enum ovsdb_atomic_type type)
{
    unsigned int low = 0, high = datum->n;

    while (low < high) {
        unsigned int mid = low + (high - low) / 2;
        int cmp = ovsdb_atom_compare_3way(key, &datum->keys[mid], type);
        if (cmp < 0) {
            high = mid;
        } else if (cmp > 0) {
            low = mid + 1;
        } else {
            return mid;
        }
    }
    return UINT_MAX;
}

/* Returns the index of the element of 'b' matching element 'i' of 'a'
 * (key and, if 'match_values' and a map, value), or UINT_MAX. */
static unsigned int
find_elem(const struct ovsdb_datum *a, unsigned int i,
          const struct ovsdb_datum *b, const struct ovsdb_type *type,
          bool match_values)
{
    unsigned int j = ovsdb_datum_find_key(b, &a->keys[i], type->key.type);
    if (j != UINT_MAX && match_values && a->values && b->values
        && !ovsdb_atom_equals(&a->values[i], &b->values[j],
                              type->value.type)) {
        return UINT_MAX;
    }
    return j;
}

bool
ovsdb_datum_includes_all(const struct ovsdb_datum *a,
                         const struct ovsdb_datum *b,
                         const struct ovsdb_type *type)
{
    for (unsigned int i = 0; i < a->n; i++) {
        if (find_elem(a, i, b, type, true) == UINT_MAX) {
            return false;
        }
    }
    return true;
}

bool
ovsdb_datum_excludes_all(const struct ovsdb_datum *a,
                         const struct ovsdb_datum *b,
                         const struct ovsdb_type *type)
{
    for (unsigned int i = 0; i < a->n; i++) {
        if (find_elem(a, i, b, type, true) != UINT_MAX) {
            return false;
        }
    }
    return true;
}

void
ovsdb_datum_add_unsafe(struct ovsdb_datum *datum,
                       const union ovsdb_atom *key,
                       const union ovsdb_atom *value,
                       const struct ovsdb_type *type)
{
    unsigned int n = datum->n;
    datum->keys = xrealloc(datum->keys, (n + 1) * sizeof *datum->keys);
    datum->keys[n] = *key;
    if (type->value.type != OVSDB_TYPE_VOID) {
        datum->values = xrealloc(datum->values,
                                 (n + 1) * sizeof *datum->values);
        datum->values[n] = *value;
    }
    datum->n = n + 1;
}

void
ovsdb_datum_remove_unsafe(struct ovsdb_datum *datum, unsigned int idx,
                          const struct ovsdb_type *type)
{
    ovsdb_atom_destroy(&datum->keys[idx], type->key.type);
    datum->keys[idx] = datum->keys[datum->n - 1];
    if (type->value.type != OVSDB_TYPE_VOID) {
        ovsdb_atom_destroy(&datum->values[idx], type->value.type);
        datum->values[idx] = datum->values[datum->n - 1];
    }
    datum->n--;
}

/* Merges the sorted elements of 'a' and 'b' into a new array in 'a', in
 * one linear pass.  For a key in both, 'resolve' decides: it returns false
 * to drop the key, or true to keep it, with the value taken from 'b' if it
 * sets '*take_b'.  Atoms from 'b' are cloned; dropped atoms of 'a' are
 * destroyed. */
static void
merge(struct ovsdb_datum *a, const struct ovsdb_datum *b,
      const struct ovsdb_type *type,
      bool (*resolve)(const union ovsdb_atom *va, const union ovsdb_atom *vb,
                      const struct ovsdb_type *, bool *take_b))
{
    enum ovsdb_atomic_type kt = type->key.type, vt = type->value.type;
    unsigned int n_max = a->n + b->n, n = 0, i = 0, j = 0;
    union ovsdb_atom *keys = n_max ? xmalloc(n_max * sizeof *keys) : NULL;
    union ovsdb_atom *values = vt != OVSDB_TYPE_VOID && n_max
                               ? xmalloc(n_max * sizeof *values) : NULL;

    while (i < a->n || j < b->n) {
        int cmp = i >= a->n ? 1 : j >= b->n ? -1
                  : ovsdb_atom_compare_3way(&a->keys[i], &b->keys[j], kt);
        bool take_b = cmp > 0, keep = true;

        if (!cmp) {
            keep = resolve(values ? &a->values[i] : NULL,
                           values ? &b->values[j] : NULL, type, &take_b);
        }
        if (keep && take_b) {
            ovsdb_atom_clone(&keys[n], &b->keys[j], kt);
            if (values) {
                ovsdb_atom_clone(&values[n], &b->values[j], vt);
            }
            n++;
        }
        if (cmp <= 0) {
            if (keep && !take_b) {
                keys[n] = a->keys[i];
                if (values) {
                    values[n] = a->values[i];
                }
                n++;
            } else {
                ovsdb_atom_destroy(&a->keys[i], kt);
                if (values) {
                    ovsdb_atom_destroy(&a->values[i], vt);
                }
            }
            i++;
        }
        j += cmp >= 0;
    }
    free(a->keys);
    free(a->values);
    a->keys = keys;
    a->values = values;
    a->n = n;
}

static bool
keep_a(const union ovsdb_atom *va OVS_UNUSED,
       const union ovsdb_atom *vb OVS_UNUSED,
       const struct ovsdb_type *type OVS_UNUSED, bool *take_b)
{
    *take_b = false;
    return true;
}

void
ovsdb_datum_union(struct ovsdb_datum *a, const struct ovsdb_datum *b,
                  const struct ovsdb_type *type)
{
    merge(a, b, type, keep_a);
}

/* A key in both: a set element or an identical pair cancels out; a map
 * key with another value takes the value from the diff. */
static bool
toggle(const union ovsdb_atom *va, const union ovsdb_atom *vb,
       const struct ovsdb_type *type, bool *take_b)
{
    *take_b = true;
    return va && !ovsdb_atom_equals(va, vb, type->value.type);
}

void
ovsdb_datum_apply_diff(struct ovsdb_datum *a, const struct ovsdb_datum *diff,
                       const struct ovsdb_type *type)
{
    merge(a, diff, type, toggle);
}

void
ovsdb_datum_subtract(struct ovsdb_datum *a, const struct ovsdb_type *a_type,
                     const struct ovsdb_datum *b,
                     const struct ovsdb_type *b_type)
{
    bool match_values = ovsdb_type_is_map(b_type);
    unsigned int i, n;

    for (i = n = 0; i < a->n; i++) {
        unsigned int j = ovsdb_datum_find_key(b, &a->keys[i],
                                              a_type->key.type);
        bool remove = j != UINT_MAX;
        if (remove && match_values && a->values
            && !ovsdb_atom_equals(&a->values[i], &b->values[j],
                                  a_type->value.type)) {
            remove = false;
        }
        if (remove) {
            ovsdb_atom_destroy(&a->keys[i], a_type->key.type);
            if (a->values) {
                ovsdb_atom_destroy(&a->values[i], a_type->value.type);
            }
        } else {
            a->keys[n] = a->keys[i];
            if (a->values) {
                a->values[n] = a->values[i];
            }
            n++;
        }
    }
    a->n = n;
}

static struct json *
element_json(const struct ovsdb_datum *datum, unsigned int i,
             const struct ovsdb_type *type)
{
    struct json *key = ovsdb_atom_to_json(&datum->keys[i], type->key.type);

    return ovsdb_type_is_map(type)
           ? json_array_create_2(key, ovsdb_atom_to_json(&datum->values[i],
                                                         type->value.type))
           : key;
}

/* A merge pass over two sorted datums that yields the elements of the
 * difference from 'old' to 'new' in the form update2 and the OVSDB log use
 * (ovsdb-server(7)): for a set, the elements in only one of the two; for a
 * map, the pairs whose key is in only one of the two, plus the new pair of
 * each key whose value changed. */
struct datum_diff {
    const struct ovsdb_datum *old, *new;
    const struct ovsdb_type *type;
    unsigned int i, j;          /* Merge positions in 'old' and 'new'. */
};

/* Stores the next element of the difference as datum '*d' index '*idx'
 * and returns true, or returns false at the end. */
static bool
datum_diff_next(struct datum_diff *dd, const struct ovsdb_datum **d,
                unsigned int *idx)
{
    const struct ovsdb_type *type = dd->type;

    while (dd->i < dd->old->n || dd->j < dd->new->n) {
        int cmp = (dd->i >= dd->old->n ? 1
                   : dd->j >= dd->new->n ? -1
                   : ovsdb_atom_compare_3way(&dd->old->keys[dd->i],
                                             &dd->new->keys[dd->j],
                                             type->key.type));
        if (cmp < 0) {
            *d = dd->old;
            *idx = dd->i++;
            return true;
        } else if (cmp > 0) {
            *d = dd->new;
            *idx = dd->j++;
            return true;
        }
        dd->i++;
        dd->j++;
        if (ovsdb_type_is_map(type)
            && !ovsdb_atom_equals(&dd->old->values[dd->i - 1],
                                  &dd->new->values[dd->j - 1],
                                  type->value.type)) {
            *d = dd->new;
            *idx = dd->j - 1;
            return true;
        }
    }
    return false;
}

/* Both datums are sorted, so one merge pass finds the difference, in
 * order. */
struct json *
ovsdb_datum_diff_to_json(const struct ovsdb_datum *old,
                         const struct ovsdb_datum *new,
                         const struct ovsdb_type *type)
{
    struct datum_diff dd = { old, new, type, 0, 0 };
    const struct ovsdb_datum *d;
    struct json *elems;
    unsigned int idx;

    if (!ovsdb_type_is_composite(type)) {
        return ovsdb_datum_to_json(new, type);
    }
    elems = json_array_create_empty();
    while (datum_diff_next(&dd, &d, &idx)) {
        json_array_add(elems, element_json(d, idx, type));
    }
    if (ovsdb_type_is_map(type)) {
        return json_array_create_2(json_string_create("map"), elems);
    } else if (elems->array.n == 1) {
        struct json *elem = json_clone(elems->array.elems[0]);
        json_destroy(elems);
        return elem;
    }
    return json_array_create_2(json_string_create("set"), elems);
}

void
ovsdb_datum_diff_to_json_ds(const struct ovsdb_datum *old,
                            const struct ovsdb_datum *new,
                            const struct ovsdb_type *type, struct ds *ds)
{
    struct datum_diff dd = { old, new, type, 0, 0 };
    bool map = ovsdb_type_is_map(type);
    const struct ovsdb_datum *d;
    unsigned int idx, n = 0;

    if (!ovsdb_type_is_composite(type)) {
        ovsdb_datum_to_json_ds(new, type, ds);
        return;
    }
    if (!map) {
        /* A set difference of one element is written bare. */
        struct datum_diff count = dd;
        while (n < 2 && datum_diff_next(&count, &d, &idx)) {
            n++;
        }
        if (n == 1) {
            datum_diff_next(&dd, &d, &idx);
            element_to_json_ds(d, idx, type, ds);
            return;
        }
    }
    ds_put_cstr(ds, map ? "[\"map\",[" : "[\"set\",[");
    for (n = 0; datum_diff_next(&dd, &d, &idx); n++) {
        if (n) {
            ds_put_char(ds, ',');
        }
        element_to_json_ds(d, idx, type, ds);
    }
    ds_put_cstr(ds, "]]");
}
