#include "uuid.h"

#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include "ds.h"
#include "util.h"

/* xoshiro256** state, seeded once per process. */
struct uuid_rng {
    uint64_t s[4];
    bool seeded;
};
static struct uuid_rng rng;

static uint64_t
rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t
rng_next(void)
{
    uint64_t *s = rng.s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

static void
rng_seed(void)
{
    if (getrandom(rng.s, sizeof rng.s, 0) != sizeof rng.s) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        rng.s[0] = ts.tv_nsec ^ ((uint64_t) getpid() << 32);
        rng.s[1] = ts.tv_sec;
        rng.s[2] = (uintptr_t) &rng;
        rng.s[3] = 0x9e3779b97f4a7c15ULL;
    }
    rng.seeded = true;
}

void
uuid_generate(struct uuid *uuid)
{
    uint64_t a, b;

    if (!rng.seeded) {
        rng_seed();
    }
    a = rng_next();
    b = rng_next();
    uuid->parts[0] = a >> 32;
    uuid->parts[1] = (a & 0xffff0fff) | 0x4000;         /* Version 4. */
    uuid->parts[2] = ((b >> 32) & 0x3fffffff) | 0x80000000; /* Variant. */
    uuid->parts[3] = b;
}

void
uuid_zero(struct uuid *uuid)
{
    memset(uuid, 0, sizeof *uuid);
}

bool
uuid_is_zero(const struct uuid *uuid)
{
    return !(uuid->parts[0] | uuid->parts[1] | uuid->parts[2]
             | uuid->parts[3]);
}

static int
hexit(int c)
{
    return (c >= '0' && c <= '9') ? c - '0'
           : (c >= 'a' && c <= 'f') ? c - 'a' + 10
           : (c >= 'A' && c <= 'F') ? c - 'A' + 10
           : -1;
}

/* Parses the UUID at the start of 's'; trailing text is allowed. */
bool
uuid_from_string_prefix(struct uuid *uuid, const char *s)
{
    static const int dashes[] = { 8, 13, 18, 23 };
    uint32_t parts[4] = { 0, 0, 0, 0 };
    int nibble = 0;

    for (int i = 0; i < UUID_LEN; i++) {
        if (i == dashes[0] || i == dashes[1] || i == dashes[2]
            || i == dashes[3]) {
            if (s[i] != '-') {
                goto error;
            }
            continue;
        }
        int h = hexit((unsigned char) s[i]);
        if (h < 0) {
            goto error;
        }
        parts[nibble / 8] = (parts[nibble / 8] << 4) | h;
        nibble++;
    }
    memcpy(uuid->parts, parts, sizeof parts);
    return true;

error:
    uuid_zero(uuid);
    return false;
}

bool
uuid_from_string(struct uuid *uuid, const char *s)
{
    return uuid_from_string_prefix(uuid, s) && !s[UUID_LEN];
}

/* True if 's' could be the beginning of a UUID (at least 4 hex digits, as
 * ovs-vsctl accepts abbreviated UUIDs). */
bool
uuid_is_partial_string(const char *s)
{
    static const char tmpl[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
    size_t i;

    for (i = 0; s[i] && i < UUID_LEN; i++) {
        if (tmpl[i] == '-' ? s[i] != '-' : hexit((unsigned char) s[i]) < 0) {
            return false;
        }
    }
    return !s[i] && i >= 4;
}

char *
uuid_to_cstr(const struct uuid *uuid, char buf[UUID_LEN + 1])
{
    snprintf(buf, UUID_LEN + 1, UUID_FMT, UUID_ARGS(uuid));
    return buf;
}

void
uuid_format(const struct uuid *uuid, struct ds *ds)
{
    ds_put_format(ds, UUID_FMT, UUID_ARGS(uuid));
}

int
uuid_compare(const struct uuid *a, const struct uuid *b)
{
    for (int i = 0; i < 4; i++) {
        if (a->parts[i] != b->parts[i]) {
            return a->parts[i] < b->parts[i] ? -1 : 1;
        }
    }
    return 0;
}
