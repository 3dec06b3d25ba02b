#include "sha1.h"

#include <stdbool.h>
#include <string.h>

/* Two implementations of the compression function, chosen once per
 * process: the x86 SHA extensions where the CPU has them (several times
 * faster; every OVSDB log record is hashed when written and when read), and
 * portable C everywhere else. */

static uint32_t
rol(uint32_t x, int n)
{
    return (x << n) | (x >> (32 - n));
}

/* Portable: FIPS 180-4 §6.1.2, one loop per round function so that the
 * compiler sees no per-round branch. */
static void
sha1_blocks_portable(uint32_t state[5], const uint8_t *p, size_t n_blocks)
{
    for (; n_blocks; n_blocks--, p += 64) {
        uint32_t w[80], a, b, c, d, e, t;
        int i;

        for (i = 0; i < 16; i++) {
            w[i] = ((uint32_t) p[4 * i] << 24)
                   | ((uint32_t) p[4 * i + 1] << 16)
                   | ((uint32_t) p[4 * i + 2] << 8) | p[4 * i + 3];
        }
        for (; i < 80; i++) {
            w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        }
        a = state[0];
        b = state[1];
        c = state[2];
        d = state[3];
        e = state[4];
#define SHA1_ROUND(F, K)                                        \
        t = rol(a, 5) + (F) + e + (K) + w[i];                   \
        e = d;                                                  \
        d = c;                                                  \
        c = rol(b, 30);                                         \
        b = a;                                                  \
        a = t;
        for (i = 0; i < 20; i++) {
            SHA1_ROUND(d ^ (b & (c ^ d)), 0x5a827999);
        }
        for (; i < 40; i++) {
            SHA1_ROUND(b ^ c ^ d, 0x6ed9eba1);
        }
        for (; i < 60; i++) {
            SHA1_ROUND((b & c) | (d & (b | c)), 0x8f1bbcdc);
        }
        for (; i < 80; i++) {
            SHA1_ROUND(b ^ c ^ d, 0xca62c1d6);
        }
#undef SHA1_ROUND
        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
    }
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>

#define SHA1_HW_TARGET __attribute__((target("sha,sse4.1,ssse3")))

/* One group of four rounds, number S (0..19), of the SHA extensions'
 * compression: E[S & 1] holds the next "e" input, ABCD the state, M[] the
 * last four groups of message words.  The message schedule for group G
 * (4 <= G < 20) is computed in three steps spread over groups G-3 (msg1),
 * G-2 (xor) and G-1 (msg2), as Intel's reference code does.  'S' must be
 * a constant: it selects the round function. */
#define SHA1_HW_GROUP(S)                                                  \
    do {                                                                  \
        if ((S) == 0) {                                                   \
            e[0] = _mm_add_epi32(e[0], m[0]);                             \
        } else {                                                          \
            e[(S) & 1] = _mm_sha1nexte_epu32(e[(S) & 1], m[(S) % 4]);     \
        }                                                                 \
        e[((S) + 1) & 1] = abcd;                                          \
        abcd = _mm_sha1rnds4_epu32(abcd, e[(S) & 1], (S) / 5);            \
        if ((S) >= 1 && (S) <= 16) {                                      \
            m[((S) + 3) % 4] = _mm_sha1msg1_epu32(m[((S) + 3) % 4],       \
                                                  m[(S) % 4]);            \
        }                                                                 \
        if ((S) >= 2 && (S) <= 17) {                                      \
            m[((S) + 2) % 4] = _mm_xor_si128(m[((S) + 2) % 4],            \
                                             m[(S) % 4]);                 \
        }                                                                 \
        if ((S) >= 3 && (S) <= 18) {                                      \
            m[((S) + 1) % 4] = _mm_sha1msg2_epu32(m[((S) + 1) % 4],       \
                                                  m[(S) % 4]);            \
        }                                                                 \
    } while (0)

static SHA1_HW_TARGET void
sha1_blocks_hw(uint32_t state[5], const uint8_t *p, size_t n_blocks)
{
    const __m128i bswap = _mm_set_epi64x(0x0001020304050607ULL,
                                         0x08090a0b0c0d0e0fULL);
    __m128i abcd = _mm_shuffle_epi32(
        _mm_loadu_si128((const __m128i *) state), 0x1b);
    __m128i e0 = _mm_set_epi32(state[4], 0, 0, 0);

    for (; n_blocks; n_blocks--, p += 64) {
        __m128i abcd_save = abcd, e0_save = e0, e[2], m[4];

        e[0] = e0;
        for (int i = 0; i < 4; i++) {
            m[i] = _mm_shuffle_epi8(
                _mm_loadu_si128((const __m128i *) (p + 16 * i)), bswap);
        }
        SHA1_HW_GROUP(0);
        SHA1_HW_GROUP(1);
        SHA1_HW_GROUP(2);
        SHA1_HW_GROUP(3);
        SHA1_HW_GROUP(4);
        SHA1_HW_GROUP(5);
        SHA1_HW_GROUP(6);
        SHA1_HW_GROUP(7);
        SHA1_HW_GROUP(8);
        SHA1_HW_GROUP(9);
        SHA1_HW_GROUP(10);
        SHA1_HW_GROUP(11);
        SHA1_HW_GROUP(12);
        SHA1_HW_GROUP(13);
        SHA1_HW_GROUP(14);
        SHA1_HW_GROUP(15);
        SHA1_HW_GROUP(16);
        SHA1_HW_GROUP(17);
        SHA1_HW_GROUP(18);
        SHA1_HW_GROUP(19);
        /* After group 19, e[0] holds the state of 'a' before it. */
        e0 = _mm_sha1nexte_epu32(e[0], e0_save);
        abcd = _mm_add_epi32(abcd, abcd_save);
    }
    _mm_storeu_si128((__m128i *) state, _mm_shuffle_epi32(abcd, 0x1b));
    state[4] = _mm_extract_epi32(e0, 3);
}

static bool
sha1_cpu_has_hw(void)
{
    unsigned int a, b, c, d;

    return (__get_cpuid(1, &a, &b, &c, &d)
            && (c & bit_SSSE3) && (c & bit_SSE4_1)
            && __get_cpuid_count(7, 0, &a, &b, &c, &d)
            && (b & bit_SHA));
}
#else
static bool
sha1_cpu_has_hw(void)
{
    return false;
}

static void
sha1_blocks_hw(uint32_t state[5], const uint8_t *p, size_t n_blocks)
{
    sha1_blocks_portable(state, p, n_blocks);
}
#endif

static void
sha1_blocks(uint32_t state[5], const uint8_t *p, size_t n_blocks)
{
    /* CPU features do not change while a process runs, so this cache is
     * not mutable state in the sense of STYLE.md.  CPUID is slow (it traps
     * to the hypervisor in a VM), hence the cache. */
    static int has_hw = -1;

    if (has_hw < 0) {
        has_hw = sha1_cpu_has_hw();
    }
    if (has_hw) {
        sha1_blocks_hw(state, p, n_blocks);
    } else {
        sha1_blocks_portable(state, p, n_blocks);
    }
}

void
sha1_init(struct sha1_ctx *ctx)
{
    ctx->state[0] = 0x67452301;
    ctx->state[1] = 0xefcdab89;
    ctx->state[2] = 0x98badcfe;
    ctx->state[3] = 0x10325476;
    ctx->state[4] = 0xc3d2e1f0;
    ctx->n_bytes = 0;
}

void
sha1_update(struct sha1_ctx *ctx, const void *data_, size_t n)
{
    const uint8_t *data = data_;
    size_t used = ctx->n_bytes % 64;

    ctx->n_bytes += n;
    if (used) {
        size_t chunk = 64 - used < n ? 64 - used : n;
        memcpy(ctx->block + used, data, chunk);
        data += chunk;
        n -= chunk;
        if (used + chunk < 64) {
            return;
        }
        sha1_blocks(ctx->state, ctx->block, 1);
    }
    if (n >= 64) {
        sha1_blocks(ctx->state, data, n / 64);
        data += n / 64 * 64;
        n %= 64;
    }
    memcpy(ctx->block, data, n);
}

void
sha1_final(struct sha1_ctx *ctx, uint8_t digest[SHA1_DIGEST_SIZE])
{
    uint64_t bits = ctx->n_bytes * 8;
    uint8_t pad[72];
    size_t used = ctx->n_bytes % 64;
    size_t pad_len = used < 56 ? 56 - used : 120 - used;

    memset(pad, 0, sizeof pad);
    pad[0] = 0x80;
    for (int i = 0; i < 8; i++) {
        pad[pad_len + i] = bits >> (56 - 8 * i);
    }
    sha1_update(ctx, pad, pad_len + 8);
    for (int i = 0; i < 5; i++) {
        digest[4 * i] = ctx->state[i] >> 24;
        digest[4 * i + 1] = ctx->state[i] >> 16;
        digest[4 * i + 2] = ctx->state[i] >> 8;
        digest[4 * i + 3] = ctx->state[i];
    }
}

void
sha1_bytes(const void *data, size_t n, uint8_t digest[SHA1_DIGEST_SIZE])
{
    struct sha1_ctx ctx;

    sha1_init(&ctx);
    sha1_update(&ctx, data, n);
    sha1_final(&ctx, digest);
}

void
sha1_to_hex(const uint8_t digest[SHA1_DIGEST_SIZE],
            char hex[SHA1_HEX_DIGEST_LEN + 1])
{
    static const char digits[] = "0123456789abcdef";

    for (int i = 0; i < SHA1_DIGEST_SIZE; i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 15];
    }
    hex[SHA1_HEX_DIGEST_LEN] = '\0';
}
