/* Unit tests for lib/packets.c: MAC and IP address parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "ds.h"
#include "packets.h"
#include "util.h"

static void
test_eth_addr(void **state OVS_UNUSED)
{
    struct eth_addr mac;

    assert_true(eth_addr_from_string("0a:00:00:00:00:01", &mac));
    assert_int_equal(mac.ea[0], 0x0a);
    assert_int_equal(mac.ea[5], 0x01);
    assert_true(eth_addr_from_string("A:b:C:d:E:f", &mac));
    assert_int_equal(mac.ea[0], 0x0a);
    assert_false(eth_addr_is_multicast(&mac));
    assert_true(eth_addr_from_string("ff:ff:ff:ff:ff:ff", &mac));
    assert_true(eth_addr_is_multicast(&mac));

    static const char *const bad[] = {
        "", "0a:00:00:00:00", "0a:00:00:00:00:01:02", "0a:00:00:00:00:1g",
        "0a:00:00:00:00:001", "0a-00-00-00-00-01", "0a:00:00:00:00:01 ",
        ":00:00:00:00:01",
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        assert_false(eth_addr_from_string(bad[i], &mac));
    }
}

static void
expect_cidr(const char *s, const char *formatted)
{
    struct in6_addr ip;
    unsigned int plen;
    char *error = ip_parse_cidr(s, &ip, &plen);
    struct ds ds = DS_EMPTY_INITIALIZER;

    if (error) {
        fail_msg("%s: %s", s, error);
    }
    ip_format_cidr(&ip, plen, &ds);
    assert_string_equal(ds_cstr(&ds), formatted);
    ds_destroy(&ds);
}

static void
test_ip(void **state OVS_UNUSED)
{
    struct in6_addr ip;
    unsigned int plen;

    expect_cidr("10.0.0.1/24", "10.0.0.1/24");
    expect_cidr("10.0.0.1", "10.0.0.1/32");
    expect_cidr("fd00::1/64", "fd00::1/64");
    expect_cidr("FD00:0::1", "fd00::1/128");

    static const char *const bad[] = {
        "", "10.0.0", "10.0.0.256/24", "10.0.0.1/33", "10.0.0.1/", "fd00::1/129",
        "10.0.0.1/-1", "10.0.0.1/2x", "fd00::g", "::ffff:1.2.3.4",
        "10.0.0.1 ",
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        char *error = ip_parse_cidr(bad[i], &ip, &plen);
        if (!error) {
            fail_msg("\"%s\" parsed", bad[i]);
        }
        free(error);
    }

    assert_null(ip_parse_cidr("10.1.2.3/20", &ip, &plen));
    ip_apply_plen(&ip, plen);
    struct ds ds = DS_EMPTY_INITIALIZER;
    ip_format(&ip, &ds);
    assert_string_equal(ds_cstr(&ds), "10.1.0.0");
    ds_destroy(&ds);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eth_addr),
        cmocka_unit_test(test_ip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
