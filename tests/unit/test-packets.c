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

/* Parses 's' and checks its rewriting (NULL: the parse must fail). */
static void
expect_endpoint(const char *s, const char *formatted, uint16_t port)
{
    struct ip_endpoint ep;
    bool quiet;
    char *error = ip_endpoint_parse(s, &ep, &quiet);
    struct ds ds = DS_EMPTY_INITIALIZER;

    if (!formatted) {
        if (!error) {
            fail_msg("\"%s\" parsed", s);
        }
        free(error);
        return;
    }
    if (error) {
        fail_msg("%s: %s", s, error);
    }
    ip_endpoint_format(&ep, &ds);
    assert_string_equal(ds_cstr(&ds), formatted);
    assert_int_equal(ep.port, port);
    ds_destroy(&ds);
}

/* Parses bad 's' and checks the message and whether it is quiet. */
static void
expect_endpoint_error(const char *s, const char *message, bool quiet)
{
    struct ip_endpoint ep;
    bool is_quiet;
    char *error = ip_endpoint_parse(s, &ep, &is_quiet);

    if (!error) {
        fail_msg("\"%s\" parsed", s);
    }
    assert_string_equal(error, message);
    assert_int_equal(is_quiet, quiet);
    free(error);
}

static void
test_ip_endpoint(void **state OVS_UNUSED)
{
    expect_endpoint("1.2.3.4", "1.2.3.4", 0);
    expect_endpoint("1.2.3.4:80", "1.2.3.4:80", 80);
    expect_endpoint("1.2.3.4:080", "1.2.3.4:80", 80);
    expect_endpoint("1.2.3.4:+80", "1.2.3.4:80", 80);
    expect_endpoint("1.2.3.4: 80", "1.2.3.4:80", 80);
    expect_endpoint("1.2.3.4:65535", "1.2.3.4:65535", 65535);
    expect_endpoint("1.2.3.4:", "1.2.3.4", 0);
    expect_endpoint("1.2.3.4:0", "1.2.3.4", 0);
    expect_endpoint("1.2.3.4:-0", "1.2.3.4", 0);
    expect_endpoint("[1.2.3.4]:80", "1.2.3.4:80", 80);
    expect_endpoint("[1.2.3.4", "1.2.3.4", 0);
    expect_endpoint("FD00:0::1", "fd00::1", 0);
    expect_endpoint("fd00::1:80", "fd00::1:80", 0);
    expect_endpoint("[fd00::1]:80", "[fd00::1]:80", 80);
    expect_endpoint("[fd00::1]", "fd00::1", 0);
    expect_endpoint("[fd00::1", "fd00::1", 0);
    expect_endpoint("[fd00::1]:", "fd00::1", 0);
    expect_endpoint("::ffff:1.2.3.4", "::ffff:1.2.3.4", 0);
    expect_endpoint("::", "::", 0);
    expect_endpoint("fe80::1%lo", "fe80::1%lo", 0);
    expect_endpoint("fe80::1%1", "fe80::1%lo", 0);
    expect_endpoint("[fe80::1%lo]:80", "[fe80::1%lo]:80", 80);
    expect_endpoint("fe80::1%lo%x", "fe80::1%lo", 0);
    expect_endpoint("fe80::1%", "fe80::1", 0);
    expect_endpoint("fe80::1%0", "fe80::1", 0);
    expect_endpoint("fe80::1%4294967296", "fe80::1", 0);
    expect_endpoint("fe80::1%99999999999999999999", "fe80::1%4294967295", 0);

    static const char *const bad[] = {
        "", ":80", "[]:80", "1.2.3", "01.2.3.4", "1.2.3.4/24", "1.2.3.4%lo",
        "1.2.3.4:65536", "1.2.3.4:80 ", " 1.2.3.4", "1.2.3.4:80:90",
        "[fd00::1]x", "fd00::1]", "[[fd00::1]]:80", "fd00::zz", "localhost",
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        expect_endpoint(bad[i], NULL, 0);
    }
    expect_endpoint_error("1.2.3.4:8x", "1.2.3.4:8x: bad port number \"8x\"",
                          false);
    expect_endpoint_error("[]:80", "[]:80: bad IP address \"\"", false);
    expect_endpoint_error("[1.2.3.4]]:80",
                          "[1.2.3.4]]:80: bad IP address \"1.2.3.4]\"",
                          false);
    expect_endpoint_error("fd00::1%bogus", "fd00::1%bogus: bad IPv6 scope "
                          "\"bogus\" (No such device)", false);
    expect_endpoint_error("fd00::1%+1", "fd00::1%+1: bad IPv6 scope "
                          "\"+1\" (No such device)", false);
    expect_endpoint_error("zz::%bogus",
                          "zz::%bogus: bad IPv6 address \"zz::\"", true);
    expect_endpoint_error("[[x]:1]", "[[x]:1]: bad port number \"1]\"",
                          false);

    struct ip_endpoint ep;
    bool quiet;
    assert_null(ip_endpoint_parse("[fd00::1%lo]:8080", &ep, &quiet));
    assert_int_equal(ep.family, AF_INET6);
    assert_int_equal(ep.scope_id, 1);
    struct ds ds = DS_EMPTY_INITIALIZER;
    ip_endpoint_format_addr(&ep, &ds);
    assert_string_equal(ds_cstr(&ds), "fd00::1%lo");
    ds_destroy(&ds);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eth_addr),
        cmocka_unit_test(test_ip),
        cmocka_unit_test(test_ip_endpoint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
