#include "ovsdb/types.h"

#include <float.h>
#include <math.h>
#include <string.h>
#include "ds.h"
#include "json.h"
#include "ovsdb/datum.h"
#include "ovsdb/error.h"

static const char *const atomic_names[OVSDB_N_TYPES] = {
    [OVSDB_TYPE_VOID] = "void",       [OVSDB_TYPE_INTEGER] = "integer",
    [OVSDB_TYPE_REAL] = "real",       [OVSDB_TYPE_BOOLEAN] = "boolean",
    [OVSDB_TYPE_STRING] = "string",   [OVSDB_TYPE_UUID] = "uuid",
};

const char *
ovsdb_atomic_type_to_string(enum ovsdb_atomic_type type)
{
    return type < OVSDB_N_TYPES ? atomic_names[type] : "<invalid>";
}

bool
ovsdb_atomic_type_from_string(const char *s, enum ovsdb_atomic_type *type)
{
    for (int i = OVSDB_TYPE_INTEGER; i < OVSDB_N_TYPES; i++) {
        if (!strcmp(s, atomic_names[i])) {
            *type = i;
            return true;
        }
    }
    return false;
}

void
ovsdb_base_type_init(struct ovsdb_base_type *base,
                     enum ovsdb_atomic_type type)
{
    memset(base, 0, sizeof *base);
    base->type = type;
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        base->integer.min = LLONG_MIN;
        base->integer.max = LLONG_MAX;
        break;
    case OVSDB_TYPE_REAL:
        base->real.min = -DBL_MAX;
        base->real.max = DBL_MAX;
        break;
    case OVSDB_TYPE_STRING:
        base->string.min_len = 0;
        base->string.max_len = UINT_MAX;
        break;
    case OVSDB_TYPE_UUID:
        base->uuid.ref_table_name = NULL;
        base->uuid.ref_table = NULL;
        base->uuid.ref_type = OVSDB_REF_STRONG;
        break;
    default:
        break;
    }
}

void
ovsdb_base_type_clone(struct ovsdb_base_type *dst,
                      const struct ovsdb_base_type *src)
{
    *dst = *src;
    if (src->enum_) {
        struct ovsdb_type set = {
            .n_min = 1, .n_max = OVSDB_UNLIMITED,
        };
        ovsdb_base_type_init(&set.key, src->type);
        set.value.type = OVSDB_TYPE_VOID;
        dst->enum_ = xmalloc(sizeof *dst->enum_);
        ovsdb_datum_clone(dst->enum_, src->enum_, &set);
    }
    if (src->type == OVSDB_TYPE_UUID && src->uuid.ref_table_name) {
        dst->uuid.ref_table_name = xstrdup(src->uuid.ref_table_name);
    }
}

void
ovsdb_base_type_destroy(struct ovsdb_base_type *base)
{
    if (!base) {
        return;
    }
    if (base->enum_) {
        struct ovsdb_type set = {
            .n_min = 1, .n_max = OVSDB_UNLIMITED,
        };
        ovsdb_base_type_init(&set.key, base->type);
        set.value.type = OVSDB_TYPE_VOID;
        ovsdb_datum_destroy(base->enum_, &set);
        free(base->enum_);
        base->enum_ = NULL;
    }
    if (base->type == OVSDB_TYPE_UUID) {
        free(base->uuid.ref_table_name);
        base->uuid.ref_table_name = NULL;
    }
}

bool
ovsdb_base_type_has_constraints(const struct ovsdb_base_type *base)
{
    if (base->enum_) {
        return true;
    }
    switch (base->type) {
    case OVSDB_TYPE_INTEGER:
        return base->integer.min != LLONG_MIN
               || base->integer.max != LLONG_MAX;
    case OVSDB_TYPE_REAL:
        return base->real.min != -DBL_MAX || base->real.max != DBL_MAX;
    case OVSDB_TYPE_STRING:
        return base->string.min_len != 0 || base->string.max_len != UINT_MAX;
    case OVSDB_TYPE_UUID:
        return base->uuid.ref_table_name != NULL;
    default:
        return false;
    }
}

bool
ovsdb_base_type_is_ref(const struct ovsdb_base_type *base)
{
    return base->type == OVSDB_TYPE_UUID && base->uuid.ref_table_name;
}

bool
ovsdb_base_type_is_strong_ref(const struct ovsdb_base_type *base)
{
    return ovsdb_base_type_is_ref(base)
           && base->uuid.ref_type == OVSDB_REF_STRONG;
}

bool
ovsdb_base_type_is_weak_ref(const struct ovsdb_base_type *base)
{
    return ovsdb_base_type_is_ref(base)
           && base->uuid.ref_type == OVSDB_REF_WEAK;
}

static struct ovsdb_error *
get_optional(const struct json *obj, const char *name, enum json_type t1,
             enum json_type t2, const struct json **valuep)
{
    const struct json *value = json_object_get(obj, name);
    *valuep = value;
    if (value && value->type != t1 && value->type != t2) {
        return ovsdb_syntax_error(obj, NULL, "\"%s\" has wrong type (%s)",
                                  name, json_type_to_string(value->type));
    }
    return NULL;
}

static struct ovsdb_error *
parse_int_bound(const struct json *obj, const char *name, long long *value)
{
    const struct json *j;
    struct ovsdb_error *error = get_optional(obj, name, JSON_INTEGER,
                                             JSON_INTEGER, &j);
    if (!error && j) {
        *value = j->integer;
    }
    return error;
}

static struct ovsdb_error *
parse_real_bound(const struct json *obj, const char *name, double *value)
{
    const struct json *j;
    struct ovsdb_error *error = get_optional(obj, name, JSON_INTEGER,
                                             JSON_REAL, &j);
    if (!error && j) {
        *value = j->type == JSON_INTEGER ? (double) j->integer : j->real;
    }
    return error;
}

static struct ovsdb_error *
parse_constraints(struct ovsdb_base_type *base, const struct json *json)
{
    struct ovsdb_error *error = NULL;
    const struct json *j;
    long long min, max;

    switch (base->type) {
    case OVSDB_TYPE_INTEGER:
        error = parse_int_bound(json, "minInteger", &base->integer.min);
        if (!error) {
            error = parse_int_bound(json, "maxInteger", &base->integer.max);
        }
        if (!error && base->integer.min > base->integer.max) {
            error = ovsdb_syntax_error(json, NULL,
                                       "minInteger exceeds maxInteger");
        }
        break;
    case OVSDB_TYPE_REAL:
        error = parse_real_bound(json, "minReal", &base->real.min);
        if (!error) {
            error = parse_real_bound(json, "maxReal", &base->real.max);
        }
        if (!error && base->real.min > base->real.max) {
            error = ovsdb_syntax_error(json, NULL, "minReal exceeds maxReal");
        }
        break;
    case OVSDB_TYPE_STRING:
        min = 0;
        max = UINT_MAX;
        error = parse_int_bound(json, "minLength", &min);
        if (!error) {
            error = parse_int_bound(json, "maxLength", &max);
        }
        if (!error && (min < 0 || max < 0 || min > max || max > UINT_MAX)) {
            error = ovsdb_syntax_error(json, NULL,
                                       "invalid minLength or maxLength");
        }
        base->string.min_len = min;
        base->string.max_len = max;
        break;
    case OVSDB_TYPE_UUID:
        error = get_optional(json, "refTable", JSON_STRING, JSON_STRING, &j);
        if (!error && j) {
            base->uuid.ref_table_name = xstrdup(j->string);
            error = get_optional(json, "refType", JSON_STRING, JSON_STRING,
                                 &j);
            if (!error && j) {
                if (!strcmp(j->string, "weak")) {
                    base->uuid.ref_type = OVSDB_REF_WEAK;
                } else if (strcmp(j->string, "strong")) {
                    error = ovsdb_syntax_error(
                        json, NULL, "refType must be \"strong\" or \"weak\" "
                        "(not \"%s\")", j->string);
                }
            }
        }
        break;
    default:
        break;
    }
    return error;
}

struct ovsdb_error *
ovsdb_base_type_from_json(struct ovsdb_base_type *base,
                          const struct json *json)
{
    enum ovsdb_atomic_type type;
    struct ovsdb_error *error;
    const struct json *j;

    memset(base, 0, sizeof *base);
    if (json->type == JSON_STRING) {
        if (!ovsdb_atomic_type_from_string(json->string, &type)) {
            return ovsdb_syntax_error(json, NULL, "unknown atomic type %s",
                                      json->string);
        }
        ovsdb_base_type_init(base, type);
        return NULL;
    } else if (json->type != JSON_OBJECT) {
        return ovsdb_syntax_error(json, NULL, "base type expected");
    }

    j = json_object_get(json, "type");
    if (!j || j->type != JSON_STRING
        || !ovsdb_atomic_type_from_string(j->string, &type)) {
        return ovsdb_syntax_error(json, NULL,
                                  "base type lacks valid \"type\"");
    }
    ovsdb_base_type_init(base, type);

    j = json_object_get(json, "enum");
    if (j) {
        struct ovsdb_type set = { .n_min = 1, .n_max = OVSDB_UNLIMITED };
        ovsdb_base_type_init(&set.key, type);
        set.value.type = OVSDB_TYPE_VOID;
        base->enum_ = xmalloc(sizeof *base->enum_);
        error = ovsdb_datum_from_json(base->enum_, &set, j, NULL);
        if (error) {
            free(base->enum_);
            base->enum_ = NULL;
            return ovsdb_error_wrap(error, "enum");
        }
    } else {
        error = parse_constraints(base, json);
        if (error) {
            ovsdb_base_type_destroy(base);
            return error;
        }
    }
    return NULL;
}

struct json *
ovsdb_base_type_to_json(const struct ovsdb_base_type *base)
{
    struct json *json;

    if (!ovsdb_base_type_has_constraints(base)) {
        return json_string_create(ovsdb_atomic_type_to_string(base->type));
    }
    json = json_object_create();
    json_object_put_string(json, "type",
                           ovsdb_atomic_type_to_string(base->type));
    if (base->enum_) {
        struct ovsdb_type set = { .n_min = 1, .n_max = OVSDB_UNLIMITED };
        ovsdb_base_type_init(&set.key, base->type);
        set.value.type = OVSDB_TYPE_VOID;
        json_object_put(json, "enum", ovsdb_datum_to_json(base->enum_, &set));
        return json;
    }
    switch (base->type) {
    case OVSDB_TYPE_INTEGER:
        if (base->integer.min != LLONG_MIN) {
            json_object_put(json, "minInteger",
                            json_integer_create(base->integer.min));
        }
        if (base->integer.max != LLONG_MAX) {
            json_object_put(json, "maxInteger",
                            json_integer_create(base->integer.max));
        }
        break;
    case OVSDB_TYPE_REAL:
        if (base->real.min != -DBL_MAX) {
            json_object_put(json, "minReal",
                            json_real_create(base->real.min));
        }
        if (base->real.max != DBL_MAX) {
            json_object_put(json, "maxReal",
                            json_real_create(base->real.max));
        }
        break;
    case OVSDB_TYPE_STRING:
        if (base->string.min_len) {
            json_object_put(json, "minLength",
                            json_integer_create(base->string.min_len));
        }
        if (base->string.max_len != UINT_MAX) {
            json_object_put(json, "maxLength",
                            json_integer_create(base->string.max_len));
        }
        break;
    case OVSDB_TYPE_UUID:
        json_object_put_string(json, "refTable", base->uuid.ref_table_name);
        if (base->uuid.ref_type == OVSDB_REF_WEAK) {
            json_object_put_string(json, "refType", "weak");
        }
        break;
    default:
        break;
    }
    return json;
}

void
ovsdb_type_init_scalar(struct ovsdb_type *type, enum ovsdb_atomic_type key)
{
    ovsdb_base_type_init(&type->key, key);
    ovsdb_base_type_init(&type->value, OVSDB_TYPE_VOID);
    type->n_min = 1;
    type->n_max = 1;
}

void
ovsdb_type_clone(struct ovsdb_type *dst, const struct ovsdb_type *src)
{
    ovsdb_base_type_clone(&dst->key, &src->key);
    ovsdb_base_type_clone(&dst->value, &src->value);
    dst->n_min = src->n_min;
    dst->n_max = src->n_max;
}

void
ovsdb_type_destroy(struct ovsdb_type *type)
{
    if (type) {
        ovsdb_base_type_destroy(&type->key);
        ovsdb_base_type_destroy(&type->value);
    }
}

bool
ovsdb_type_is_valid(const struct ovsdb_type *type)
{
    return type->key.type != OVSDB_TYPE_VOID
           && type->key.type < OVSDB_N_TYPES
           && type->value.type < OVSDB_N_TYPES
           && type->n_min <= 1 && type->n_max >= 1;
}

static struct ovsdb_error *
parse_n(const struct json *json, const char *name, unsigned int dflt,
        unsigned int *n)
{
    const struct json *j = json_object_get(json, name);

    if (!j) {
        *n = dflt;
    } else if (j->type == JSON_INTEGER && j->integer >= 0
               && j->integer < UINT_MAX) {
        *n = j->integer;
    } else if (j->type == JSON_STRING && !strcmp(j->string, "unlimited")
               && !strcmp(name, "max")) {
        *n = OVSDB_UNLIMITED;
    } else {
        return ovsdb_syntax_error(json, NULL, "bad %s", name);
    }
    return NULL;
}

struct ovsdb_error *
ovsdb_type_from_json(struct ovsdb_type *type, const struct json *json)
{
    struct ovsdb_error *error;
    const struct json *key, *value;

    ovsdb_base_type_init(&type->value, OVSDB_TYPE_VOID);
    type->n_min = type->n_max = 1;
    if (json->type == JSON_STRING) {
        return ovsdb_base_type_from_json(&type->key, json);
    } else if (json->type != JSON_OBJECT) {
        return ovsdb_syntax_error(json, NULL, "ovsdb type expected");
    }

    key = json_object_get(json, "key");
    if (!key) {
        return ovsdb_syntax_error(json, NULL, "type lacks \"key\"");
    }
    error = ovsdb_base_type_from_json(&type->key, key);
    if (error) {
        return error;
    }
    value = json_object_get(json, "value");
    if (value) {
        error = ovsdb_base_type_from_json(&type->value, value);
        if (error) {
            goto error;
        }
    }
    error = parse_n(json, "min", 1, &type->n_min);
    if (!error) {
        error = parse_n(json, "max", 1, &type->n_max);
    }
    if (!error && (type->n_min > 1 || type->n_max < 1
                   || type->n_min > type->n_max)) {
        error = ovsdb_syntax_error(json, NULL,
                                   "ovsdb type fails constraint checks");
    }
    if (!error) {
        return NULL;
    }
error:
    ovsdb_type_destroy(type);
    return error;
}

struct json *
ovsdb_type_to_json(const struct ovsdb_type *type)
{
    struct json *json;

    if (ovsdb_type_is_scalar(type)
        && !ovsdb_base_type_has_constraints(&type->key)) {
        return ovsdb_base_type_to_json(&type->key);
    }
    json = json_object_create();
    json_object_put(json, "key", ovsdb_base_type_to_json(&type->key));
    if (type->value.type != OVSDB_TYPE_VOID) {
        json_object_put(json, "value", ovsdb_base_type_to_json(&type->value));
    }
    if (type->n_min != 1) {
        json_object_put(json, "min", json_integer_create(type->n_min));
    }
    if (type->n_max == OVSDB_UNLIMITED) {
        json_object_put_string(json, "max", "unlimited");
    } else if (type->n_max != 1) {
        json_object_put(json, "max", json_integer_create(type->n_max));
    }
    return json;
}

char *
ovsdb_type_to_english(const struct ovsdb_type *type)
{
    const char *key = ovsdb_atomic_type_to_string(type->key.type);
    struct ds ds = DS_EMPTY_INITIALIZER;

    if (ovsdb_type_is_scalar(type)) {
        ds_put_cstr(&ds, key);
    } else if (ovsdb_type_is_map(type)) {
        ds_put_format(&ds, "map of %s-%s pairs", key,
                      ovsdb_atomic_type_to_string(type->value.type));
    } else if (type->n_max == OVSDB_UNLIMITED) {
        ds_put_format(&ds, "set of %u or more %ss", type->n_min, key);
    } else {
        ds_put_format(&ds, "set of up to %u %ss", type->n_max, key);
    }
    return ds_steal_cstr(&ds);
}
