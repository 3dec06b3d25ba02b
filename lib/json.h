/* json: JSON values (RFC 8259), parsing and serialization.
 *
 * A 'struct json' is reference counted: json_clone() takes a reference,
 * json_destroy() drops one and frees the value when none remain.  A shared
 * value must not be modified.  Integers and reals are distinct types, as
 * OVSDB requires (RFC 7047 §3.1): "1" parses as JSON_INTEGER, "1.0" and
 * "1e0" as JSON_REAL.
 *
 * json_from_buffer() parses one complete value; json_scanner finds where a
 * value ends in a byte stream, so that a protocol layer can split a stream
 * into messages before parsing them.  Not thread-safe for shared values. */
#ifndef WEFT_JSON_H
#define WEFT_JSON_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "shash.h"

struct ds;

enum json_type {
    JSON_NULL,
    JSON_FALSE,
    JSON_TRUE,
    JSON_OBJECT,
    JSON_ARRAY,
    JSON_INTEGER,
    JSON_REAL,
    JSON_STRING,
    JSON_SERIALIZED,            /* Already serialized JSON text (below). */
    JSON_N_TYPES
};

/* The counts are 32 bits wide, as is the reference count below, to keep a
 * value (of which a parsed message has many) at 24 bytes. */
struct json_array {
    uint32_t n;                 /* Number of elements. */
    uint32_t n_allocated;       /* Allocated slots in 'elems'. */
    struct json **elems;        /* Owned elements. */
};

struct json {
    enum json_type type;
    uint32_t count;             /* Reference count. */
    union {
        struct shash *object;   /* Member name -> owned struct json *. */
        struct json_array array;
        long long integer;
        double real;
        char *string;           /* Owned, NUL-terminated UTF-8 (also the
                                 * text of JSON_SERIALIZED). */
    };
};

const char *json_type_to_string(enum json_type);

struct json *json_null_create(void);
struct json *json_boolean_create(bool);
struct json *json_integer_create(long long);
struct json *json_real_create(double);
struct json *json_string_create(const char *);
struct json *json_string_create_nocopy(char *);
/* A value that is already JSON text: serialization copies 'text' out
 * verbatim (with JSSF_* flags it parses and rewrites it, slowly), so a
 * large message can be built piece by piece as text instead of as a
 * tree.  The caller guarantees that 'text'
 * is one valid JSON value.  Only for output: the parser never produces
 * it.  json_equal() and json_hash() treat it as the value it stands for
 * (parsing it: slow, for tests).  Takes ownership of 'text'. */
struct json *json_serialized_create_nocopy(char *text);
struct json *json_array_create_empty(void);
struct json *json_array_create(struct json **elems, size_t n);
struct json *json_array_create_1(struct json *);
struct json *json_array_create_2(struct json *, struct json *);
struct json *json_array_create_3(struct json *, struct json *,
                                 struct json *);
void json_array_add(struct json *array, struct json *elem);
struct json *json_object_create(void);
void json_object_put(struct json *, const char *name, struct json *value);
void json_object_put_string(struct json *, const char *name,
                            const char *value);
void json_object_put_nocopy(struct json *, char *name, struct json *value);
struct json *json_object_get(const struct json *, const char *name);

static inline const struct json_array *
json_array(const struct json *json)
{
    return &((struct json *) json)->array;
}

static inline const char *
json_string(const struct json *json)
{
    return json->string;
}

static inline bool
json_boolean(const struct json *json)
{
    return json->type == JSON_TRUE;
}

struct json *json_clone(const struct json *);
struct json *json_deep_clone(const struct json *);
void json_destroy(struct json *);

bool json_equal(const struct json *, const struct json *);
uint32_t json_hash(const struct json *, uint32_t basis);

/* Serialization flags. */
enum {
    JSSF_PRETTY = 1 << 0,       /* Multiple lines, indented, as OVS does. */
    JSSF_SORT = 1 << 1,         /* Object members in sorted order. */
};
void json_to_ds(const struct json *, int flags, struct ds *);
char *json_to_string(const struct json *, int flags);
void json_string_escape(const char *, struct ds *);
/* Are the 'n' bytes at 's' valid UTF-8 (as JSON strings must be)? */
bool json_is_valid_utf8(const char *s, size_t n);

/* Parsing.  On failure returns NULL and stores an owned error message in
 * '*errorp'. */
struct json *json_from_buffer(const char *, size_t n, char **errorp);
struct json *json_from_string(const char *, char **errorp);
/* Like json_from_buffer(), but each byte JSON_SPLICE_MARK where a value
 * may start stands for the next of the 'n_values' already parsed
 * 'values', in order; all must be used.  Takes ownership of 'values'
 * (not of the array).  This lets a large message be parsed piece by piece
 * as it arrives (see ovsdb/jsonrpc.c).  The mark never occurs in valid
 * JSON text, so json_from_buffer() rejects it. */
#define JSON_SPLICE_MARK '\x01'
struct json *json_from_buffer_spliced(const char *, size_t n,
                                      struct json **values, size_t n_values,
                                      char **errorp);
struct json *json_from_file(const char *file_name, char **errorp);

/* Finds the end of a JSON object or array in a stream of bytes. */
struct json_scanner {
    int depth;                  /* Nesting depth; 0 before the value. */
    bool in_string;             /* Inside a string literal? */
    bool escape;                /* Previous byte was a backslash? */
    bool started;               /* Seen the opening '{' or '['? */
    /* Optional: if 'event_depth' is nonzero, json_scanner_feed() also
     * stops just after an object or array at that depth or deeper (the
     * outermost value has depth 1) opens or closes, and says which in
     * 'event' (until the next call). */
    int event_depth;
    enum { JSON_SCANNER_NONE, JSON_SCANNER_OPEN, JSON_SCANNER_CLOSE } event;
};
void json_scanner_init(struct json_scanner *);
/* Consumes bytes of 'buf' up to and including the end of the current
 * value.  Returns the number consumed; '*done' becomes true when the value
 * is complete.  Bytes before the value that are not whitespace make
 * '*garbage' true. */
size_t json_scanner_feed(struct json_scanner *, const char *buf, size_t n,
                         bool *done, bool *garbage);

#define JSON_MAX_DEPTH 1000

#endif
