#include "sha1.h"

#include <string.h>

static uint32_t
rol(uint32_t x, int n)
{
    return (x << n) | (x >> (32 - n));
}

static void
sha1_block(struct sha1_ctx *ctx, const uint8_t *p)
{
    uint32_t w[80], a, b, c, d, e;
    int i;

    for (i = 0; i < 16; i++) {
        w[i] = ((uint32_t) p[4 * i] << 24) | ((uint32_t) p[4 * i + 1] << 16)
               | ((uint32_t) p[4 * i + 2] << 8) | p[4 * i + 3];
    }
    for (; i < 80; i++) {
        w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    }
    a = ctx->state[0];
    b = ctx->state[1];
    c = ctx->state[2];
    d = ctx->state[3];
    e = ctx->state[4];
    for (i = 0; i < 80; i++) {
        uint32_t f, k, t;
        if (i < 20) {
            f = (b & c) | (~b & d);
            k = 0x5a827999;
        } else if (i < 40) {
            f = b ^ c ^ d;
            k = 0x6ed9eba1;
        } else if (i < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8f1bbcdc;
        } else {
            f = b ^ c ^ d;
            k = 0xca62c1d6;
        }
        t = rol(a, 5) + f + e + k + w[i];
        e = d;
        d = c;
        c = rol(b, 30);
        b = a;
        a = t;
    }
    ctx->state[0] += a;
    ctx->state[1] += b;
    ctx->state[2] += c;
    ctx->state[3] += d;
    ctx->state[4] += e;
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
        sha1_block(ctx, ctx->block);
    }
    for (; n >= 64; n -= 64, data += 64) {
        sha1_block(ctx, data);
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
