/* uuid: 128-bit RFC 4122 version 4 UUIDs.
 *
 * uuid_generate() draws from a per-process generator seeded from the
 * kernel's entropy pool; it is fast enough to call once per inserted row.
 * Not thread-safe. */
#ifndef WEFT_UUID_H
#define WEFT_UUID_H 1

#include <stdbool.h>
#include <stdint.h>

struct ds;

struct uuid {
    uint32_t parts[4];
};

#define UUID_LEN 36
#define UUID_FMT "%08x-%04x-%04x-%04x-%04x%08x"
#define UUID_ARGS(UUID)                                 \
    ((unsigned int) ((UUID)->parts[0])),                \
    ((unsigned int) ((UUID)->parts[1] >> 16)),          \
    ((unsigned int) ((UUID)->parts[1] & 0xffff)),       \
    ((unsigned int) ((UUID)->parts[2] >> 16)),          \
    ((unsigned int) ((UUID)->parts[2] & 0xffff)),       \
    ((unsigned int) ((UUID)->parts[3]))

void uuid_generate(struct uuid *);
void uuid_zero(struct uuid *);
bool uuid_is_zero(const struct uuid *);
bool uuid_from_string(struct uuid *, const char *);
bool uuid_from_string_prefix(struct uuid *, const char *);
bool uuid_is_partial_string(const char *);
void uuid_format(const struct uuid *, struct ds *);
/* Writes the UUID into 'buf', which must have room for UUID_LEN + 1. */
char *uuid_to_cstr(const struct uuid *, char buf[UUID_LEN + 1]);
int uuid_compare(const struct uuid *, const struct uuid *);

static inline bool
uuid_equals(const struct uuid *a, const struct uuid *b)
{
    return a->parts[0] == b->parts[0] && a->parts[1] == b->parts[1]
           && a->parts[2] == b->parts[2] && a->parts[3] == b->parts[3];
}

static inline uint32_t
uuid_hash(const struct uuid *u)
{
    return u->parts[0];
}

#endif
