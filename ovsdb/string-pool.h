/* ovsdb/string-pool: shares equal short strings among datums.
 *
 * Datum strings are reference-counted JSON strings (ovsdb/datum.h), so
 * two atoms with the same text can point to one string.  A replica of a
 * large database repeats a few short strings very often: each of 150,000
 * logical flows has "ingress" or "egress", the external_ids keys
 * "stage-name" and "source", a stage name, a source file and line.  A
 * pool keeps one string per distinct text and string_pool_datum()
 * replaces a datum's string atoms by the pooled ones, which frees the
 * duplicates (a short string costs ~48 bytes with its JSON header).
 *
 * Only strings up to STRING_POOL_MAX_LEN bytes are pooled: longer ones
 * (matches, actions) are mostly distinct, and an entry costs memory too.
 * The pool holds a reference to each of its strings; strings that only
 * the pool still refers to are dropped now and then (whenever the pool
 * has doubled since the last sweep), so it does not grow without bound.
 *
 * Not thread-safe: the strings' reference counts are not atomic. */
#ifndef WEFT_OVSDB_STRING_POOL_H
#define WEFT_OVSDB_STRING_POOL_H 1

#include <stddef.h>
#include "hmap.h"

struct json;
struct ovsdb_datum;
struct ovsdb_type;

#define STRING_POOL_MAX_LEN 48

struct string_pool {
    struct hmap strings;        /* 'struct string_pool_node's, by text. */
    size_t sweep_at;            /* Sweep when this many entries. */
};

void string_pool_init(struct string_pool *);
void string_pool_destroy(struct string_pool *);

/* Replaces each string atom of 'datum' (of type 'type') that is short
 * enough by the pool's string with the same text, adding it to the pool
 * if it is new there. */
void string_pool_datum(struct string_pool *, struct ovsdb_datum *,
                       const struct ovsdb_type *);
size_t string_pool_count(const struct string_pool *);

#endif
