/* ovs-vsctl's textual syntax for OVSDB atoms and datums, shared by
 * weft-nbctl, weft-sbctl and weft-vsctl. */
#include "ovsdb/datum.h"

#include <ctype.h>
#include <float.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ds.h"
#include "ovsdb/error.h"

bool
ovsdb_string_needs_quotes(const char *s)
{
    const unsigned char *p = (const unsigned char *) s;
    struct uuid uuid;

    if (!isalpha(*p) && *p != '_') {
        return true;
    }
    for (p++; *p; p++) {
        if (!isalnum(*p) && *p != '_' && *p != '-' && *p != '.') {
            return true;
        }
    }
    return !strcmp(s, "true") || !strcmp(s, "false")
           || uuid_from_string(&uuid, s);
}

void
ovsdb_atom_to_string(const union ovsdb_atom *atom,
                     enum ovsdb_atomic_type type, struct ds *ds)
{
    if (type == OVSDB_TYPE_STRING
        && ovsdb_string_needs_quotes(atom->s->string)) {
        json_string_escape(atom->s->string, ds);
    } else {
        ovsdb_atom_to_bare(atom, type, ds);
    }
}

void
ovsdb_atom_to_bare(const union ovsdb_atom *atom, enum ovsdb_atomic_type type,
                   struct ds *ds)
{
    switch (type) {
    case OVSDB_TYPE_INTEGER:
        ds_put_format(ds, "%lld", atom->integer);
        break;
    case OVSDB_TYPE_REAL: {
        /* DBL_DIG digits as ovs-vsctl prints, or 17 when that would not
         * read back as the same number. */
        char buf[32];
        snprintf(buf, sizeof buf, "%.*g", DBL_DIG, atom->real);
        if (strtod(buf, NULL) != atom->real) {
            snprintf(buf, sizeof buf, "%.17g", atom->real);
        }
        ds_put_cstr(ds, buf);
        break;
    }
    case OVSDB_TYPE_BOOLEAN:
        ds_put_cstr(ds, atom->boolean ? "true" : "false");
        break;
    case OVSDB_TYPE_STRING:
        ds_put_cstr(ds, atom->s->string);
        break;
    case OVSDB_TYPE_UUID:
        uuid_format(&atom->uuid, ds);
        break;
    default:
        util_abort("bad atomic type %d", type);
    }
}

static char *
parse_atom__(union ovsdb_atom *atom, const struct ovsdb_base_type *base,
             const char *s, struct ovsdb_symbol_table *symtab)
{
    switch (base->type) {
    case OVSDB_TYPE_INTEGER:
        if (!str_to_llong(s, 10, &atom->integer)) {
            return xasprintf("\"%s\" is not a valid integer", s);
        }
        return NULL;
    case OVSDB_TYPE_REAL:
        if (!str_to_double(s, &atom->real)) {
            return xasprintf("\"%s\" is not a valid real number", s);
        }
        if (atom->real == 0) {
            atom->real = 0;     /* Drop the sign of -0. */
        }
        return NULL;
    case OVSDB_TYPE_BOOLEAN:
        if (!strcmp(s, "true") || !strcmp(s, "yes") || !strcmp(s, "on")
            || !strcmp(s, "1")) {
            atom->boolean = true;
        } else if (!strcmp(s, "false") || !strcmp(s, "no")
                   || !strcmp(s, "off") || !strcmp(s, "0")) {
            atom->boolean = false;
        } else {
            return xasprintf("\"%s\" is not a valid boolean "
                             "(use \"true\" or \"false\")", s);
        }
        return NULL;
    case OVSDB_TYPE_STRING:
        if (*s == '"') {
            char *error = NULL;
            struct json *json = json_from_string(s, &error);
            if (!json || json->type != JSON_STRING) {
                json_destroy(json);
                free(error);
                return xasprintf("%s: invalid quoted string", s);
            }
            atom->s = json;
        } else if (!json_is_valid_utf8(s, strlen(s))) {
            return xstrdup("invalid UTF-8 sequence in string");
        } else {
            ovsdb_atom_init_string(atom, s);
        }
        return NULL;
    case OVSDB_TYPE_UUID:
        if (*s == '@' && symtab) {
            struct ovsdb_symbol *symbol = ovsdb_symbol_table_insert(symtab,
                                                                    s);
            atom->uuid = symbol->uuid;
            if (ovsdb_base_type_is_strong_ref(base)) {
                symbol->strong_ref = true;
            } else if (ovsdb_base_type_is_weak_ref(base)) {
                symbol->weak_ref = true;
            }
            return NULL;
        } else if (uuid_from_string(&atom->uuid, s)) {
            return NULL;
        }
        return xasprintf("\"%s\" is not a valid UUID", s);
    default:
        util_abort("bad atomic type %d", base->type);
    }
}

char *
ovsdb_atom_from_string(union ovsdb_atom *atom,
                       const union ovsdb_atom **range_end OVS_UNUSED,
                       const struct ovsdb_base_type *base, const char *s,
                       struct ovsdb_symbol_table *symtab)
{
    char *error = parse_atom__(atom, base, s, symtab);
    if (!error) {
        struct ovsdb_error *e = ovsdb_atom_check_constraints(atom, base);
        if (e) {
            ovsdb_atom_destroy(atom, base->type);
            error = e->details ? xasprintf("%s: %s", e->tag, e->details)
                               : xstrdup(e->tag);
            ovsdb_error_destroy(e);
        }
    }
    return error;
}

/* Tokenizer for datums: a token is a JSON-quoted string or a run of
 * characters other than whitespace and ovs-vsctl's delimiters, so that
 * e.g. a MAC address must be quoted ('"00:00:00:00:00:01"'). */
#define DELIMITERS ":=,[]{}!<>\""

static const char *
skip_ws(const char *p)
{
    while (isspace((unsigned char) *p)) {
        p++;
    }
    return p;
}

char *
ovsdb_unquoted_token_parse(const char **pp, char **tokenp)
{
    struct ds token = DS_EMPTY_INITIALIZER;
    const char *p = *pp;

    for (; *p && !isspace((unsigned char) *p) && !strchr(DELIMITERS, *p);
         p++) {
        if (*p == '\\') {
            if (!p[1]) {
                ds_destroy(&token);
                return xasprintf("%s: backslash at end of argument", *pp);
            }
            p++;
        }
        ds_put_char(&token, *p);
    }
    *tokenp = ds_steal_cstr(&token);
    *pp = p;
    return NULL;
}

static char *
next_token(const char **pp, char **tokenp)
{
    const char *p = skip_ws(*pp), *start = p;

    if (*p && *p != '"' && !strchr(DELIMITERS, *p)) {
        char *error = ovsdb_unquoted_token_parse(&p, tokenp);
        if (!error) {
            *pp = skip_ws(p);
        }
        return error;
    }
    if (*p == '"') {
        for (p++; *p && *p != '"'; p++) {
            if (*p == '\\' && p[1]) {
                p++;
            }
        }
        if (*p != '"') {
            return xasprintf("%s: missing quote at end of quoted string",
                             start);
        }
        p++;
    }
    if (p == start) {
        return xasprintf("%s: syntax error at \"%s\"", *pp,
                         *p ? (char[]) { *p, '\0' } : "end of input");
    }
    *tokenp = xmemdup0(start, p - start);
    *pp = skip_ws(p);
    return NULL;
}

static char *
parse_atom_token(const char **pp, const struct ovsdb_base_type *base,
                 union ovsdb_atom *atom, struct ovsdb_symbol_table *symtab)
{
    char *token, *error = next_token(pp, &token);
    if (!error) {
        error = ovsdb_atom_from_string(atom, NULL, base, token, symtab);
        free(token);
    }
    return error;
}

/* The most integers one range "A-B" may stand for, as in ovs-vsctl. */
#define MAX_RANGE 4096

/* Parses integer 'token' of a set as one integer or an inclusive range
 * "A-B", adding each to 'datum'. */
static char *
parse_integer_elements(struct ovsdb_datum *datum,
                       const struct ovsdb_type *type, const char *token)
{
    long long start, end;
    const char *dash = token[0] ? strchr(token + 1, '-') : NULL;
    char *error;

    if (str_to_llong(token, 10, &start)) {
        end = start;
    } else {
        char *first = dash ? xmemdup0(token, dash - token) : NULL;
        bool ok = dash && type->n_max > 1 && str_to_llong(first, 10, &start)
                  && str_to_llong(dash + 1, 10, &end);
        free(first);
        if (!ok) {
            return xasprintf("\"%s\" is not a valid integer or range",
                             token);
        } else if (end < start) {
            return xasprintf("\"%s\" is not a valid range: range end %lld "
                             "must be greater than or equal to range start "
                             "%lld", token, end, start);
        } else if (end - start >= MAX_RANGE) {
            return xasprintf("\"%s\" is not a valid range: range size "
                             "must not exceed %d", token, MAX_RANGE);
        }
    }
    for (long long i = start;; i++) {
        union ovsdb_atom atom = { .integer = i };
        struct ovsdb_error *e = ovsdb_atom_check_constraints(&atom,
                                                             &type->key);
        if (e) {
            error = xasprintf("%s: %s", e->tag, e->details ? e->details : "");
            ovsdb_error_destroy(e);
            return error;
        }
        ovsdb_datum_add_unsafe(datum, &atom, NULL, type);
        if (i == end) {
            break;
        }
    }
    return NULL;
}

static char *
parse_datum_elements(struct ovsdb_datum *datum,
                     const struct ovsdb_type *type, const char *s,
                     const char **pp, char end,
                     struct ovsdb_symbol_table *symtab)
{
    bool is_map = ovsdb_type_is_map(type);
    const char *p = skip_ws(*pp);
    char *error;

    while (*p && *p != end) {
        union ovsdb_atom key, value;

        /* Elements are separated by a comma, white space, or both. */
        if (datum->n && *p == ',') {
            p = skip_ws(p + 1);
        }
        if (*p && *p != '"' && strchr(DELIMITERS, *p) && *p != end) {
            char *english = ovsdb_type_to_english(type);
            error = xasprintf("%s: unexpected \"%c\" parsing %s", s, *p,
                              english);
            free(english);
            return error;
        }
        if (!is_map && type->key.type == OVSDB_TYPE_INTEGER) {
            char *token;
            error = next_token(&p, &token);
            if (!error) {
                error = parse_integer_elements(datum, type, token);
                free(token);
            }
            if (error) {
                return error;
            }
            continue;
        }
        error = parse_atom_token(&p, &type->key, &key, symtab);
        if (error) {
            return error;
        }
        if (is_map) {
            if (*p != '=') {
                /* Printed up to the offending character; at the end of
                 * the input that leaves a dangling quote, as ovs-vsctl's
                 * message does. */
                char *msg = xasprintf("%s: syntax error at \"%c\" expecting "
                                      "\"=\"", s, *p);
                ovsdb_atom_destroy(&key, type->key.type);
                return msg;
            }
            p = skip_ws(p + 1);
            error = parse_atom_token(&p, &type->value, &value, symtab);
            if (error) {
                ovsdb_atom_destroy(&key, type->key.type);
                return error;
            }
        }
        ovsdb_datum_add_unsafe(datum, &key, &value, type);
    }
    *pp = p;
    return NULL;
}

char *
ovsdb_datum_from_string(struct ovsdb_datum *datum,
                        const struct ovsdb_type *type, const char *s,
                        struct ovsdb_symbol_table *symtab)
{
    bool is_map = ovsdb_type_is_map(type);
    const char *p = skip_ws(s);
    char end = '\0';
    char *error;

    ovsdb_datum_init_empty(datum);
    if (*p == (is_map ? '{' : '[')) {
        end = is_map ? '}' : ']';
        p++;
    } else if (*p == (is_map ? '[' : '{')) {
        char *english = ovsdb_type_to_english(type);
        error = xasprintf("%s: unexpected \"%c\" parsing %s", s, *p,
                          english);
        free(english);
        return error;
    }
    error = parse_datum_elements(datum, type, s, &p, end, symtab);
    if (!error && end) {
        if (*p != end) {
            error = xasprintf("%s: missing '%c' at end of value", s, end);
        } else {
            p = skip_ws(p + 1);
        }
    }
    if (!error && *p) {
        error = xasprintf("%s: trailing garbage after value", s);
    }
    if (!error) {
        struct ovsdb_error *e = ovsdb_datum_sort(datum, type);
        if (e) {
            error = xasprintf("%s", e->details ? e->details : e->tag);
            ovsdb_error_destroy(e);
        } else if (datum->n < type->n_min) {
            error = xasprintf("%s: %u value(s) specified but the minimum "
                              "number is %u", s, datum->n, type->n_min);
        } else if (datum->n > type->n_max) {
            error = xasprintf("%s: %u value(s) specified but the maximum "
                              "number is %u", s, datum->n, type->n_max);
        }
    }
    if (error) {
        ovsdb_datum_destroy(datum, type);
        ovsdb_datum_init_empty(datum);
    }
    return error;
}

void
ovsdb_datum_to_string(const struct ovsdb_datum *datum,
                      const struct ovsdb_type *type, struct ds *ds)
{
    bool is_map = ovsdb_type_is_map(type);
    bool brackets = type->n_max > 1 || !datum->n;

    if (brackets) {
        ds_put_char(ds, is_map ? '{' : '[');
    }
    for (unsigned int i = 0; i < datum->n; i++) {
        if (i) {
            ds_put_cstr(ds, ", ");
        }
        ovsdb_atom_to_string(&datum->keys[i], type->key.type, ds);
        if (is_map) {
            ds_put_char(ds, '=');
            ovsdb_atom_to_string(&datum->values[i], type->value.type, ds);
        }
    }
    if (brackets) {
        ds_put_char(ds, is_map ? '}' : ']');
    }
}

void
ovsdb_datum_to_bare(const struct ovsdb_datum *datum,
                    const struct ovsdb_type *type, struct ds *ds)
{
    bool is_map = ovsdb_type_is_map(type);

    for (unsigned int i = 0; i < datum->n; i++) {
        if (i) {
            ds_put_char(ds, ' ');
        }
        ovsdb_atom_to_bare(&datum->keys[i], type->key.type, ds);
        if (is_map) {
            ds_put_char(ds, '=');
            ovsdb_atom_to_bare(&datum->values[i], type->value.type, ds);
        }
    }
}
