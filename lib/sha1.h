/* sha1: SHA-1 (FIPS 180-4), used only for the OVSDB log format's record
 * checksums, which are part of that file format, not for security. */
#ifndef WEFT_SHA1_H
#define WEFT_SHA1_H 1

#include <stddef.h>
#include <stdint.h>

#define SHA1_DIGEST_SIZE 20
#define SHA1_HEX_DIGEST_LEN 40

struct sha1_ctx {
    uint32_t state[5];
    uint64_t n_bytes;           /* Total bytes hashed so far. */
    uint8_t block[64];          /* Pending partial block. */
};

void sha1_init(struct sha1_ctx *);
void sha1_update(struct sha1_ctx *, const void *, size_t);
void sha1_final(struct sha1_ctx *, uint8_t digest[SHA1_DIGEST_SIZE]);
void sha1_bytes(const void *, size_t, uint8_t digest[SHA1_DIGEST_SIZE]);
/* Writes 40 lowercase hex digits and a NUL to 'hex'. */
void sha1_to_hex(const uint8_t digest[SHA1_DIGEST_SIZE],
                 char hex[SHA1_HEX_DIGEST_LEN + 1]);

#endif
