/* Unit tests for lib/sha1: FIPS 180 test vectors, and the x86 SHA
 * extension path (where the CPU has it) against the portable one.  The
 * test includes sha1.c itself to reach both static implementations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util.h"
#include "../../lib/sha1.c"

static void
check_hex(const char *data, size_t n, const char *want)
{
    uint8_t digest[SHA1_DIGEST_SIZE];
    char hex[SHA1_HEX_DIGEST_LEN + 1];

    sha1_bytes(data, n, digest);
    sha1_to_hex(digest, hex);
    assert_string_equal(hex, want);
}

static void
test_vectors(void **state OVS_UNUSED)
{
    static const char *const abc56 =
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    size_t n = 1000000;
    char *a = malloc(n);

    check_hex("", 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    check_hex("abc", 3, "a9993e364706816aba3e25717850c26c9cd0d89d");
    check_hex(abc56, strlen(abc56),
              "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    memset(a, 'a', n);
    check_hex(a, n, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    free(a);
}

/* Feeding the data in pieces gives the same digest as at once. */
static void
test_pieces(void **state OVS_UNUSED)
{
    uint8_t data[1000], whole[SHA1_DIGEST_SIZE], pieces[SHA1_DIGEST_SIZE];
    struct sha1_ctx ctx;

    for (size_t i = 0; i < sizeof data; i++) {
        data[i] = i * 7 + 3;
    }
    sha1_bytes(data, sizeof data, whole);
    sha1_init(&ctx);
    for (size_t i = 0, step = 1; i < sizeof data; i += step, step += 3) {
        size_t n = i + step > sizeof data ? sizeof data - i : step;
        sha1_update(&ctx, data + i, n);
    }
    sha1_final(&ctx, pieces);
    assert_memory_equal(whole, pieces, SHA1_DIGEST_SIZE);
}

/* Both compression functions agree on many blocks of varied data. */
static void
test_hw_matches_portable(void **state OVS_UNUSED)
{
    enum { N_BLOCKS = 257 };
    uint8_t *data = malloc(64 * N_BLOCKS);
    uint32_t s1[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476,
                       0xc3d2e1f0 };
    uint32_t s2[5];

    if (!sha1_cpu_has_hw()) {
        skip();
    }
    for (size_t i = 0; i < 64 * N_BLOCKS; i++) {
        data[i] = (i * 2654435761u) >> 13;
    }
    memcpy(s2, s1, sizeof s1);
    for (size_t n = 1; n <= N_BLOCKS; n += 64) {
        sha1_blocks_portable(s1, data, n);
        sha1_blocks_hw(s2, data, n);
        assert_memory_equal(s1, s2, sizeof s1);
    }
    free(data);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_pieces),
        cmocka_unit_test(test_hw_matches_portable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
