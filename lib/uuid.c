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

/* Writes the 'n' low hex digits of 'value' at 'p'. */
static void
put_hex(char *p, uint32_t value, int n)
{
    static const char digits[] = "0123456789abcdef";

    while (n-- > 0) {
        p[n] = digits[value & 15];
        value >>= 4;
    }
}

/* Formats 'uuid' as UUID_FMT does, without printf's cost: UUIDs are
 * formatted for every row of every log record and transaction reply. */
char *
uuid_to_cstr(const struct uuid *uuid, char buf[UUID_LEN + 1])
{
    put_hex(buf, uuid->parts[0], 8);
    buf[8] = '-';
    put_hex(buf + 9, uuid->parts[1] >> 16, 4);
    buf[13] = '-';
    put_hex(buf + 14, uuid->parts[1], 4);
    buf[18] = '-';
    put_hex(buf + 19, uuid->parts[2] >> 16, 4);
    buf[23] = '-';
    put_hex(buf + 24, uuid->parts[2], 4);
    put_hex(buf + 28, uuid->parts[3], 8);
    buf[UUID_LEN] = '\0';
    return buf;
}

void
uuid_format(const struct uuid *uuid, struct ds *ds)
{
    char buf[UUID_LEN + 1];
    ds_put_buffer(ds, uuid_to_cstr(uuid, buf), UUID_LEN);
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
