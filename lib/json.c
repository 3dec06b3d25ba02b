#include "json.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ds.h"
#include "hash.h"

static const char *const type_names[JSON_N_TYPES] = {
    [JSON_NULL] = "null",       [JSON_FALSE] = "false",
    [JSON_TRUE] = "true",       [JSON_OBJECT] = "object",
    [JSON_ARRAY] = "array",     [JSON_INTEGER] = "integer",
    [JSON_REAL] = "real",       [JSON_STRING] = "string",
    [JSON_SERIALIZED] = "serialized",
};

const char *
json_type_to_string(enum json_type type)
{
    return type < JSON_N_TYPES ? type_names[type] : "<invalid>";
}

/* Memory layout.  Most values are built once and never resized, so a
 * string's bytes, an object's shash and an array's element pointers are
 * allocated with the value itself, just after it ("inline"), which halves
 * the allocations of a parsed message.  An array that grows past its inline
 * slots moves its elements to a separate allocation; the destroy code tells
 * the two cases apart by comparing the pointer with json_payload(). */

static struct json *
json_create_with(enum json_type type, size_t payload)
{
    struct json *json = xmalloc(sizeof *json + payload);
    json->type = type;
    json->count = 1;
    return json;
}

static void *
json_payload(const struct json *json)
{
    return (void *) (json + 1);
}

static struct json *
json_create(enum json_type type)
{
    return json_create_with(type, 0);
}

struct json *
json_null_create(void)
{
    return json_create(JSON_NULL);
}

struct json *
json_boolean_create(bool b)
{
    return json_create(b ? JSON_TRUE : JSON_FALSE);
}

struct json *
json_integer_create(long long integer)
{
    struct json *json = json_create(JSON_INTEGER);
    json->integer = integer;
    return json;
}

struct json *
json_real_create(double real)
{
    struct json *json = json_create(JSON_REAL);
    json->real = real;
    return json;
}

struct json *
json_string_create_nocopy(char *s)
{
    struct json *json = json_create(JSON_STRING);
    json->string = s;
    return json;
}

struct json *
json_serialized_create_nocopy(char *text)
{
    struct json *json = json_create(JSON_SERIALIZED);
    json->string = text;
    return json;
}

/* Returns a string value holding the 'n' bytes at 's' (no NUL needed). */
static struct json *
json_string_create_len(const char *s, size_t n)
{
    struct json *json = json_create_with(JSON_STRING, n + 1);
    json->string = json_payload(json);
    memcpy(json->string, s, n);
    json->string[n] = '\0';
    return json;
}

struct json *
json_string_create(const char *s)
{
    return json_string_create_len(s, strlen(s));
}

/* Returns an array value with room for 'n' elements inline and none used. */
static struct json *
json_array_create_inline(size_t n)
{
    struct json *json = json_create_with(JSON_ARRAY, n * sizeof(struct json *));
    json->array.n = 0;
    json->array.n_allocated = n;
    json->array.elems = n ? json_payload(json) : NULL;
    return json;
}

struct json *
json_array_create_empty(void)
{
    return json_array_create_inline(0);
}

/* Takes ownership of 'elems' (allocated with malloc) and its elements. */
struct json *
json_array_create(struct json **elems, size_t n)
{
    struct json *json = json_create(JSON_ARRAY);
    json->array.n = json->array.n_allocated = n;
    json->array.elems = elems;
    return json;
}

void
json_array_add(struct json *array, struct json *elem)
{
    struct json_array *a = &array->array;
    if (a->n >= a->n_allocated) {
        size_t allocated = a->n_allocated;

        if (a->elems && a->elems == json_payload(array)) {
            struct json **elems = xmalloc(2 * a->n * sizeof *elems);
            memcpy(elems, a->elems, a->n * sizeof *elems);
            a->elems = elems;
            allocated = 2 * a->n;
        } else {
            a->elems = x2nrealloc(a->elems, &allocated, sizeof *a->elems);
        }
        ASSERT(allocated <= UINT32_MAX);
        a->n_allocated = allocated;
    }
    a->elems[a->n++] = elem;
}

struct json *
json_array_create_1(struct json *a)
{
    struct json *json = json_array_create_inline(1);
    json_array_add(json, a);
    return json;
}

struct json *
json_array_create_2(struct json *a, struct json *b)
{
    struct json *json = json_array_create_inline(2);
    json_array_add(json, a);
    json_array_add(json, b);
    return json;
}

struct json *
json_array_create_3(struct json *a, struct json *b, struct json *c)
{
    struct json *json = json_array_create_inline(3);
    json_array_add(json, a);
    json_array_add(json, b);
    json_array_add(json, c);
    return json;
}

struct json *
json_object_create(void)
{
    struct json *json = json_create_with(JSON_OBJECT, sizeof *json->object);
    json->object = json_payload(json);
    shash_init(json->object);
    return json;
}

void
json_object_put_nocopy(struct json *json, char *name, struct json *value)
{
    struct shash_node *node = shash_find(json->object, name);
    if (node) {
        free(name);
        json_destroy(node->data);
        node->data = value;
    } else {
        shash_add_nocopy(json->object, name, value);
    }
}

void
json_object_put(struct json *json, const char *name, struct json *value)
{
    struct shash_node *node = shash_find(json->object, name);
    if (node) {
        json_destroy(node->data);
        node->data = value;
    } else {
        shash_add(json->object, name, value);
    }
}

void
json_object_put_string(struct json *json, const char *name,
                       const char *value)
{
    json_object_put(json, name, json_string_create(value));
}

struct json *
json_object_get(const struct json *json, const char *name)
{
    return json->type == JSON_OBJECT ? shash_find_data(json->object, name)
                                     : NULL;
}

struct json *
json_clone(const struct json *json_)
{
    struct json *json = (struct json *) json_;
    json->count++;
    return json;
}

struct json *
json_deep_clone(const struct json *json)
{
    struct shash_node *node;
    struct json *copy;
    size_t i;

    switch (json->type) {
    case JSON_OBJECT:
        copy = json_object_create();
        SHASH_FOR_EACH (node, json->object) {
            json_object_put(copy, node->name, json_deep_clone(node->data));
        }
        return copy;
    case JSON_ARRAY:
        copy = json_array_create_empty();
        for (i = 0; i < json->array.n; i++) {
            json_array_add(copy, json_deep_clone(json->array.elems[i]));
        }
        return copy;
    case JSON_STRING:
        return json_string_create(json->string);
    case JSON_SERIALIZED:
        return json_serialized_create_nocopy(xstrdup(json->string));
    case JSON_NULL:
    case JSON_FALSE:
    case JSON_TRUE:
    case JSON_INTEGER:
    case JSON_REAL:
    case JSON_N_TYPES:
    default:
        copy = json_create(json->type);
        *copy = *json;
        copy->count = 1;
        return copy;
    }
}

void
json_destroy(struct json *json)
{
    struct shash_node *node;
    size_t i;

    if (!json || --json->count) {
        return;
    }
    switch (json->type) {
    case JSON_OBJECT:
        SHASH_FOR_EACH (node, json->object) {
            json_destroy(node->data);
        }
        shash_destroy(json->object);
        break;
    case JSON_ARRAY:
        for (i = 0; i < json->array.n; i++) {
            json_destroy(json->array.elems[i]);
        }
        if (json->array.elems != json_payload(json)) {
            free(json->array.elems);
        }
        break;
    case JSON_STRING:
    case JSON_SERIALIZED:
        if (json->string != json_payload(json)) {
            free(json->string);
        }
        break;
    default:
        break;
    }
    free(json);
}

/* Returns the tree that serialized 'json' stands for (a new reference to
 * 'json' itself if it is not serialized). */
static struct json *
json_unserialize(const struct json *json)
{
    if (json->type != JSON_SERIALIZED) {
        return json_clone(json);
    }
    char *error;
    struct json *tree = json_from_string(json->string, &error);
    if (!tree) {
        util_abort("invalid serialized JSON: %s", error);
    }
    return tree;
}

/* json_equal() for values of which one at least is serialized: slow, for
 * tests and logs. */
static bool
json_equal_serialized(const struct json *a, const struct json *b)
{
    struct json *ta = json_unserialize(a);
    struct json *tb = json_unserialize(b);
    bool equal = json_equal(ta, tb);

    json_destroy(ta);
    json_destroy(tb);
    return equal;
}

bool
json_equal(const struct json *a, const struct json *b)
{
    struct shash_node *node;
    size_t i;

    if (a == b) {
        return true;
    } else if (a->type == JSON_SERIALIZED || b->type == JSON_SERIALIZED) {
        return json_equal_serialized(a, b);
    } else if (a->type != b->type) {
        return false;
    }
    switch (a->type) {
    case JSON_OBJECT:
        if (shash_count(a->object) != shash_count(b->object)) {
            return false;
        }
        SHASH_FOR_EACH (node, a->object) {
            struct json *other = shash_find_data(b->object, node->name);
            if (!other || !json_equal(node->data, other)) {
                return false;
            }
        }
        return true;
    case JSON_ARRAY:
        if (a->array.n != b->array.n) {
            return false;
        }
        for (i = 0; i < a->array.n; i++) {
            if (!json_equal(a->array.elems[i], b->array.elems[i])) {
                return false;
            }
        }
        return true;
    case JSON_STRING:
        return !strcmp(a->string, b->string);
    case JSON_INTEGER:
        return a->integer == b->integer;
    case JSON_REAL:
        return a->real == b->real;
    default:
        return true;
    }
}

uint32_t
json_hash(const struct json *json, uint32_t basis)
{
    struct shash_node *node;
    uint32_t hash = hash_int(json->type, basis);
    size_t i;

    if (json->type == JSON_SERIALIZED) {
        struct json *tree = json_unserialize(json);
        hash = json_hash(tree, basis);
        json_destroy(tree);
        return hash;
    }

    switch (json->type) {
    case JSON_OBJECT:
        SHASH_FOR_EACH (node, json->object) {
            /* Order-independent: members are combined with XOR. */
            hash ^= json_hash(node->data, hash_string(node->name, 0));
        }
        return hash;
    case JSON_ARRAY:
        for (i = 0; i < json->array.n; i++) {
            hash = json_hash(json->array.elems[i], hash);
        }
        return hash;
    case JSON_STRING:
        return hash_string(json->string, hash);
    case JSON_INTEGER:
        return hash_uint64(json->integer, hash);
    case JSON_REAL: {
        uint64_t bits;
        double r = json->real == 0 ? 0 : json->real;
        memcpy(&bits, &r, sizeof bits);
        return hash_uint64(bits, hash);
    }
    default:
        return hash;
    }
}

/* Serialization. */

void
json_string_escape(const char *s, struct ds *ds)
{
    const unsigned char *p = (const unsigned char *) s;
    const unsigned char *run = p;

    ds_put_char(ds, '"');
    for (; *p; p++) {
        const char *esc;
        char buf[8];

        if (LIKELY(*p >= 0x20 && *p != '"' && *p != '\\')) {
            continue;
        }
        ds_put_buffer(ds, (const char *) run, p - run);
        run = p + 1;
        switch (*p) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default:
            snprintf(buf, sizeof buf, "\\u%04x", *p);
            esc = buf;
            break;
        }
        ds_put_cstr(ds, esc);
    }
    ds_put_buffer(ds, (const char *) run, p - run);
    ds_put_char(ds, '"');
}

static void
put_real(double real, struct ds *ds)
{
    char buf[32];
    double back;

    if (!isfinite(real)) {
        ds_put_cstr(ds, "0");
        return;
    }
    snprintf(buf, sizeof buf, "%.15g", real);
    back = strtod(buf, NULL);
    if (back != real) {
        snprintf(buf, sizeof buf, "%.17g", real);
    }
    ds_put_cstr(ds, buf);
    /* Keep reals distinguishable from integers when read back. */
    if (!strpbrk(buf, ".eE")) {
        ds_put_cstr(ds, ".0");
    }
}

/* Pretty output is laid out as Open vSwitch lays it out: each member or
 * element on its own line, indented two spaces a level, and closing
 * brackets right after the last one ("[\n  1,\n  2]"). */
static void
put_indent(struct ds *ds, int flags, int level)
{
    if (flags & JSSF_PRETTY) {
        ds_put_char(ds, '\n');
        ds_put_char_multiple(ds, ' ', level * 2);
    }
}

static void json_to_ds__(const struct json *, int flags, int level,
                         struct ds *);

static void
put_member(const struct shash_node *node, bool first, int flags, int level,
           struct ds *ds)
{
    if (!first) {
        ds_put_char(ds, ',');
    }
    put_indent(ds, flags, level + 1);
    json_string_escape(node->name, ds);
    ds_put_char(ds, ':');
    if (flags & JSSF_PRETTY) {
        ds_put_char(ds, ' ');
    }
    json_to_ds__(node->data, flags, level + 1, ds);
}

static void
put_object(const struct json *json, int flags, int level, struct ds *ds)
{
    size_t i, n = shash_count(json->object);

    ds_put_char(ds, '{');
    if (flags & JSSF_SORT) {
        const struct shash_node **sorted = shash_sort(json->object);
        for (i = 0; i < n; i++) {
            put_member(sorted[i], !i, flags, level, ds);
        }
        free(sorted);
    } else {
        const struct shash_node *node;
        i = 0;
        SHASH_FOR_EACH (node, json->object) {
            put_member(node, !i++, flags, level, ds);
        }
    }
    ds_put_char(ds, '}');
}

static void json_to_ds__(const struct json *, int flags, int level,
                         struct ds *);

/* Copies serialized text out as it is, unless sorting or pretty printing
 * is asked for: then it is parsed and written again (slow, for logs and
 * tests). */
static void
put_serialized(const struct json *json, int flags, int level, struct ds *ds)
{
    if (!flags) {
        ds_put_cstr(ds, json->string);
        return;
    }
    char *error;
    struct json *tree = json_from_string(json->string, &error);
    if (!tree) {
        util_abort("invalid serialized JSON: %s", error);
    }
    json_to_ds__(tree, flags, level, ds);
    json_destroy(tree);
}

static void
json_to_ds__(const struct json *json, int flags, int level, struct ds *ds)
{
    size_t i;

    switch (json->type) {
    case JSON_NULL:
        ds_put_cstr(ds, "null");
        break;
    case JSON_FALSE:
        ds_put_cstr(ds, "false");
        break;
    case JSON_TRUE:
        ds_put_cstr(ds, "true");
        break;
    case JSON_OBJECT:
        put_object(json, flags, level, ds);
        break;
    case JSON_ARRAY:
        ds_put_char(ds, '[');
        for (i = 0; i < json->array.n; i++) {
            if (i) {
                ds_put_char(ds, ',');
            }
            put_indent(ds, flags, level + 1);
            json_to_ds__(json->array.elems[i], flags, level + 1, ds);
        }
        ds_put_char(ds, ']');
        break;
    case JSON_INTEGER:
        ds_put_decimal(ds, json->integer);
        break;
    case JSON_REAL:
        put_real(json->real, ds);
        break;
    case JSON_STRING:
        json_string_escape(json->string, ds);
        break;
    case JSON_SERIALIZED:
        put_serialized(json, flags, level, ds);
        break;
    default:
        util_abort("bad json type %d", json->type);
    }
}

void
json_to_ds(const struct json *json, int flags, struct ds *ds)
{
    json_to_ds__(json, flags, 0, ds);
}

char *
json_to_string(const struct json *json, int flags)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    json_to_ds(json, flags, &ds);
    return ds_steal_cstr(&ds);
}

/* Parsing: a recursive-descent parser over a complete buffer.  Recursion is
 * bounded by JSON_MAX_DEPTH so hostile input cannot exhaust the stack. */

struct parser {
    const char *start;
    const char *p;
    const char *end;
    char *error;
    struct ds scratch;          /* A string that had escapes, unescaped. */
    struct json **stack;        /* Elements of the arrays being parsed. */
    size_t n_stack, allocated_stack;
    struct json **values;       /* json_from_buffer_spliced()'s values. */
    size_t n_values, next_value;
};

static void PRINTF_FORMAT(2, 3)
parse_error(struct parser *pr, const char *format, ...)
{
    if (!pr->error) {
        struct ds ds = DS_EMPTY_INITIALIZER;
        int line = 1, column = 1;
        va_list args;

        for (const char *q = pr->start; q < pr->p && q < pr->end; q++) {
            if (*q == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        ds_put_format(&ds, "line %d, column %d: ", line, column);
        va_start(args, format);
        ds_put_format_valist(&ds, format, args);
        va_end(args);
        pr->error = ds_steal_cstr(&ds);
    }
}

static void
skip_space(struct parser *pr)
{
    while (pr->p < pr->end
           && (*pr->p == ' ' || *pr->p == '\t' || *pr->p == '\n'
               || *pr->p == '\r')) {
        pr->p++;
    }
}

static struct json *parse_value(struct parser *, int depth);

static int
hex_value(int c)
{
    return (c >= '0' && c <= '9') ? c - '0'
           : (c >= 'a' && c <= 'f') ? c - 'a' + 10
           : (c >= 'A' && c <= 'F') ? c - 'A' + 10
           : -1;
}

static bool
parse_hex4(struct parser *pr, unsigned int *value)
{
    *value = 0;
    if (pr->end - pr->p < 4) {
        parse_error(pr, "truncated \\u escape");
        return false;
    }
    for (int i = 0; i < 4; i++) {
        int h = hex_value((unsigned char) *pr->p++);
        if (h < 0) {
            parse_error(pr, "malformed \\u escape");
            return false;
        }
        *value = (*value << 4) | h;
    }
    return true;
}

static void
put_utf8(struct ds *ds, unsigned int c)
{
    if (c < 0x80) {
        ds_put_char(ds, c);
    } else if (c < 0x800) {
        ds_put_char(ds, 0xc0 | (c >> 6));
        ds_put_char(ds, 0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
        ds_put_char(ds, 0xe0 | (c >> 12));
        ds_put_char(ds, 0x80 | ((c >> 6) & 0x3f));
        ds_put_char(ds, 0x80 | (c & 0x3f));
    } else {
        ds_put_char(ds, 0xf0 | (c >> 18));
        ds_put_char(ds, 0x80 | ((c >> 12) & 0x3f));
        ds_put_char(ds, 0x80 | ((c >> 6) & 0x3f));
        ds_put_char(ds, 0x80 | (c & 0x3f));
    }
}

static bool
parse_escape(struct parser *pr, struct ds *ds)
{
    unsigned int c, c2;

    if (pr->p >= pr->end) {
        parse_error(pr, "unterminated string");
        return false;
    }
    switch (*pr->p++) {
    case '"': ds_put_char(ds, '"'); return true;
    case '\\': ds_put_char(ds, '\\'); return true;
    case '/': ds_put_char(ds, '/'); return true;
    case 'b': ds_put_char(ds, '\b'); return true;
    case 'f': ds_put_char(ds, '\f'); return true;
    case 'n': ds_put_char(ds, '\n'); return true;
    case 'r': ds_put_char(ds, '\r'); return true;
    case 't': ds_put_char(ds, '\t'); return true;
    case 'u':
        if (!parse_hex4(pr, &c)) {
            return false;
        }
        if (c >= 0xd800 && c <= 0xdbff) {
            if (pr->end - pr->p < 2 || pr->p[0] != '\\' || pr->p[1] != 'u') {
                parse_error(pr, "unpaired high surrogate in \\u escape");
                return false;
            }
            pr->p += 2;
            if (!parse_hex4(pr, &c2)) {
                return false;
            }
            if (c2 < 0xdc00 || c2 > 0xdfff) {
                parse_error(pr, "invalid low surrogate in \\u escape");
                return false;
            }
            c = 0x10000 + ((c - 0xd800) << 10) + (c2 - 0xdc00);
        } else if (c >= 0xdc00 && c <= 0xdfff) {
            parse_error(pr, "unpaired low surrogate in \\u escape");
            return false;
        } else if (!c) {
            parse_error(pr, "null bytes not supported in strings");
            return false;
        }
        put_utf8(ds, c);
        return true;
    default:
        pr->p--;
        parse_error(pr, "invalid escape '\\%c'", *pr->p);
        return false;
    }
}

/* Returns the length of the valid UTF-8 sequence at 'p', or 0. */
static size_t
utf8_length(const unsigned char *p, const unsigned char *end)
{
    unsigned int c = *p, len, min, cp;

    if (c < 0x80) {
        return 1;
    } else if ((c & 0xe0) == 0xc0) {
        len = 2, min = 0x80, cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
        len = 3, min = 0x800, cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
        len = 4, min = 0x10000, cp = c & 0x07;
    } else {
        return 0;
    }
    if ((size_t) (end - p) < len) {
        return 0;
    }
    for (unsigned int i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return 0;
    }
    return len;
}

bool
json_is_valid_utf8(const char *s_, size_t n)
{
    const unsigned char *s = (const unsigned char *) s_, *end = s + n;

    while (s < end) {
        size_t len = utf8_length(s, end);
        if (!len) {
            return false;
        }
        s += len;
    }
    return true;
}

/* Parses the string literal at 'pr->p' and stores its contents (not
 * NUL-terminated) in '*sp' and '*np': in place in the input if it has no
 * escapes, otherwise in 'pr->scratch', valid until the next string is
 * parsed.  Returns false on error. */
static bool
parse_string(struct parser *pr, const char **sp, size_t *np)
{
    const char *run;
    bool escaped = false;

    pr->p++;                    /* Skip '"'. */
    run = pr->p;
    while (pr->p < pr->end) {
        unsigned char c = *pr->p;
        if (c == '"') {
            if (escaped) {
                ds_put_buffer(&pr->scratch, run, pr->p - run);
                *sp = pr->scratch.string;
                *np = pr->scratch.length;
            } else {
                *sp = run;
                *np = pr->p - run;
            }
            pr->p++;
            return true;
        } else if (c == '\\') {
            if (!escaped) {
                ds_clear(&pr->scratch);
                escaped = true;
            }
            ds_put_buffer(&pr->scratch, run, pr->p - run);
            pr->p++;
            if (!parse_escape(pr, &pr->scratch)) {
                return false;
            }
            run = pr->p;
        } else if (c < 0x20) {
            parse_error(pr, "U+%04X must be escaped in quoted string", c);
            return false;
        } else if (c < 0x80) {
            pr->p++;
        } else {
            size_t len = utf8_length((const unsigned char *) pr->p,
                                     (const unsigned char *) pr->end);
            if (!len) {
                parse_error(pr, "invalid UTF-8 sequence in string");
                return false;
            }
            pr->p += len;
        }
    }
    parse_error(pr, "unterminated string");
    return false;
}

static struct json *
parse_number(struct parser *pr)
{
    const char *s = pr->p;
    bool is_real = false;
    char buf[64];
    size_t len;

    if (pr->p < pr->end && *pr->p == '-') {
        pr->p++;
    }
    if (pr->p >= pr->end || *pr->p < '0' || *pr->p > '9') {
        parse_error(pr, "'-' must be followed by digit");
        return NULL;
    }
    if (*pr->p == '0' && pr->p + 1 < pr->end && pr->p[1] >= '0'
        && pr->p[1] <= '9') {
        parse_error(pr, "leading zeros not allowed");
        return NULL;
    }
    while (pr->p < pr->end && *pr->p >= '0' && *pr->p <= '9') {
        pr->p++;
    }
    if (pr->p < pr->end && *pr->p == '.') {
        is_real = true;
        pr->p++;
        if (pr->p >= pr->end || *pr->p < '0' || *pr->p > '9') {
            parse_error(pr, "decimal point must be followed by digit");
            return NULL;
        }
        while (pr->p < pr->end && *pr->p >= '0' && *pr->p <= '9') {
            pr->p++;
        }
    }
    if (pr->p < pr->end && (*pr->p == 'e' || *pr->p == 'E')) {
        is_real = true;
        pr->p++;
        if (pr->p < pr->end && (*pr->p == '+' || *pr->p == '-')) {
            pr->p++;
        }
        if (pr->p >= pr->end || *pr->p < '0' || *pr->p > '9') {
            parse_error(pr, "exponent must contain at least one digit");
            return NULL;
        }
        while (pr->p < pr->end && *pr->p >= '0' && *pr->p <= '9') {
            pr->p++;
        }
    }
    len = pr->p - s;
    if (len >= sizeof buf) {
        parse_error(pr, "number too long");
        return NULL;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (!is_real) {
        long long integer;
        errno = 0;
        integer = strtoll(buf, NULL, 10);
        if (!errno) {
            return json_integer_create(integer);
        }
    }
    double real = strtod(buf, NULL);
    if (!isfinite(real)) {
        parse_error(pr, "number outside valid range");
        return NULL;
    }
    return json_real_create(real);
}

static bool
parse_keyword(struct parser *pr, const char *word)
{
    size_t n = strlen(word);
    if ((size_t) (pr->end - pr->p) >= n && !memcmp(pr->p, word, n)) {
        pr->p += n;
        return true;
    }
    parse_error(pr, "invalid keyword");
    return false;
}

/* Parses an array.  Its elements collect on 'pr->stack' (above those of
 * the arrays that contain it) so that the array is allocated once, at its
 * final size, with its elements inline. */
static struct json *
parse_array(struct parser *pr, int depth)
{
    size_t base = pr->n_stack;
    struct json *array;

    pr->p++;
    skip_space(pr);
    if (pr->p < pr->end && *pr->p == ']') {
        pr->p++;
        return json_array_create_empty();
    }
    for (;;) {
        struct json *elem = parse_value(pr, depth + 1);
        if (!elem) {
            goto error;
        }
        if (pr->n_stack >= pr->allocated_stack) {
            pr->stack = x2nrealloc(pr->stack, &pr->allocated_stack,
                                   sizeof *pr->stack);
        }
        pr->stack[pr->n_stack++] = elem;
        skip_space(pr);
        if (pr->p >= pr->end) {
            parse_error(pr, "unexpected end of input in array");
            goto error;
        } else if (*pr->p == ']') {
            pr->p++;
            break;
        } else if (*pr->p != ',') {
            parse_error(pr, "syntax error expecting ']' or ','");
            goto error;
        }
        pr->p++;
    }
    array = json_array_create_inline(pr->n_stack - base);
    memcpy(array->array.elems, &pr->stack[base],
           (pr->n_stack - base) * sizeof *pr->stack);
    array->array.n = pr->n_stack - base;
    pr->n_stack = base;
    return array;

error:
    while (pr->n_stack > base) {
        json_destroy(pr->stack[--pr->n_stack]);
    }
    return NULL;
}

static struct json *
parse_object(struct parser *pr, int depth)
{
    struct json *object = json_object_create();

    pr->p++;
    skip_space(pr);
    if (pr->p < pr->end && *pr->p == '}') {
        pr->p++;
        return object;
    }
    for (;;) {
        struct shash_node *node;
        const char *name;
        size_t len;

        skip_space(pr);
        if (pr->p >= pr->end || *pr->p != '"') {
            parse_error(pr, "syntax error parsing object expecting string");
            goto error;
        }
        if (!parse_string(pr, &name, &len)) {
            goto error;
        }
        node = shash_add_once_len(object->object, name, len, NULL);
        if (!node) {
            parse_error(pr, "duplicate key \"%.*s\" in object", (int) len,
                        name);
            goto error;
        }
        skip_space(pr);
        if (pr->p >= pr->end || *pr->p != ':') {
            parse_error(pr, "syntax error parsing object expecting ':'");
            goto error;
        }
        pr->p++;
        node->data = parse_value(pr, depth + 1);
        if (!node->data) {
            goto error;
        }
        skip_space(pr);
        if (pr->p >= pr->end) {
            parse_error(pr, "unexpected end of input in object");
            goto error;
        } else if (*pr->p == '}') {
            pr->p++;
            return object;
        } else if (*pr->p != ',') {
            parse_error(pr, "syntax error expecting '}' or ','");
            goto error;
        }
        pr->p++;
    }
error:
    json_destroy(object);
    return NULL;
}

static struct json *
parse_value(struct parser *pr, int depth)
{
    const char *s;
    size_t len;

    if (depth > JSON_MAX_DEPTH) {
        parse_error(pr, "input exceeds maximum nesting depth %d",
                    JSON_MAX_DEPTH);
        return NULL;
    }
    skip_space(pr);
    if (pr->p >= pr->end) {
        parse_error(pr, "unexpected end of input");
        return NULL;
    }
    switch (*pr->p) {
    case '{':
        return parse_object(pr, depth);
    case '[':
        return parse_array(pr, depth);
    case '"':
        if (!parse_string(pr, &s, &len)) {
            return NULL;
        }
        return json_string_create_len(s, len);
    case 't':
        return parse_keyword(pr, "true") ? json_boolean_create(true) : NULL;
    case 'f':
        return parse_keyword(pr, "false") ? json_boolean_create(false)
                                          : NULL;
    case 'n':
        return parse_keyword(pr, "null") ? json_null_create() : NULL;
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        return parse_number(pr);
    case JSON_SPLICE_MARK:
        if (pr->next_value < pr->n_values) {
            pr->p++;
            return pr->values[pr->next_value++];
        }
        parse_error(pr, "syntax error at byte 0x%02x",
                    (unsigned char) *pr->p);
        return NULL;
    default:
        if ((unsigned char) *pr->p >= 0x20 && (unsigned char) *pr->p < 0x7f) {
            parse_error(pr, "syntax error at '%c'", *pr->p);
        } else {
            parse_error(pr, "syntax error at byte 0x%02x",
                        (unsigned char) *pr->p);
        }
        return NULL;
    }
}

struct json *
json_from_buffer(const char *buf, size_t n, char **errorp)
{
    return json_from_buffer_spliced(buf, n, NULL, 0, errorp);
}

struct json *
json_from_buffer_spliced(const char *buf, size_t n, struct json **values,
                         size_t n_values, char **errorp)
{
    struct parser pr = { .start = buf, .p = buf, .end = buf + n,
                         .scratch = DS_EMPTY_INITIALIZER,
                         .values = values, .n_values = n_values };
    struct json *json = parse_value(&pr, 0);

    ds_destroy(&pr.scratch);
    free(pr.stack);
    if (json) {
        skip_space(&pr);
        if (pr.p < pr.end) {
            parse_error(&pr, "trailing garbage at end of input");
        } else if (pr.next_value < pr.n_values) {
            parse_error(&pr, "%zu spliced values left over",
                        pr.n_values - pr.next_value);
        }
        if (pr.error) {
            json_destroy(json);
            json = NULL;
        }
    }
    /* Values not taken into the tree (on error, those taken went with
     * it). */
    for (size_t i = pr.next_value; i < pr.n_values; i++) {
        json_destroy(values[i]);
    }
    if (errorp) {
        *errorp = pr.error;
    } else {
        free(pr.error);
    }
    return json;
}

struct json *
json_from_string(const char *s, char **errorp)
{
    return json_from_buffer(s, strlen(s), errorp);
}

struct json *
json_from_file(const char *file_name, char **errorp)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    char buf[65536];
    struct json *json;
    size_t n;
    FILE *f;

    f = fopen(file_name, "r");
    if (!f) {
        *errorp = xasprintf("%s: open failed (%s)", file_name,
                            strerror(errno));
        return NULL;
    }
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        ds_put_buffer(&ds, buf, n);
    }
    fclose(f);
    json = json_from_buffer(ds.string ? ds.string : "", ds.length, errorp);
    if (!json) {
        char *e = xasprintf("%s: %s", file_name, *errorp);
        free(*errorp);
        *errorp = e;
    }
    ds_destroy(&ds);
    return json;
}

void
json_scanner_init(struct json_scanner *s)
{
    memset(s, 0, sizeof *s);
}

size_t
json_scanner_feed(struct json_scanner *s, const char *buf, size_t n,
                  bool *done, bool *garbage)
{
    size_t i;

    *done = false;
    s->event = JSON_SCANNER_NONE;
    for (i = 0; i < n; i++) {
        char c = buf[i];
        if (!s->started) {
            if (c == '{' || c == '[') {
                s->started = true;
                s->depth = 1;
            } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                *garbage = true;
            }
            continue;
        }
        if (s->in_string) {
            if (s->escape) {
                s->escape = false;
            } else if (c == '\\') {
                s->escape = true;
            } else if (c == '"') {
                s->in_string = false;
            }
        } else if (c == '"') {
            s->in_string = true;
        } else if (c == '{' || c == '[') {
            s->depth++;
            if (s->event_depth && s->depth >= s->event_depth) {
                s->event = JSON_SCANNER_OPEN;
                return i + 1;
            }
        } else if (c == '}' || c == ']') {
            if (s->event_depth && s->depth >= s->event_depth) {
                s->event = JSON_SCANNER_CLOSE;
                s->depth--;
                return i + 1;
            }
            if (--s->depth == 0) {
                *done = true;
                return i + 1;
            }
        }
    }
    return n;
}
