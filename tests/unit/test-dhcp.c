/* Unit tests for lib/dhcp.c: DHCPv4 and DHCPv6 parsing, building and
 * formatting, and hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "dhcp.h"
#include "ds.h"
#include "util.h"

static void
build_request(struct ds *out, int type)
{
    struct dhcp_msg m = { .op = DHCP_OP_REQUEST, .htype = 1, .hlen = 6,
                          .xid = 0xdeadbeef, .secs = 3, .flags = 0x8000,
                          .ciaddr = 0x0a000005,
                          .chaddr = { 0xa, 0, 0, 0, 0, 1 } };
    strcpy(m.sname, "srv");
    strcpy(m.file, "boot.img");
    dhcp_put_header(out, &m);
    uint8_t t = type;
    dhcp_put_option(out, DHCP_OPT_MSG_TYPE, &t, 1);
}

static char *
parse_ds(const struct ds *s, struct dhcp_msg *m)
{
    return dhcp_parse(s->string, s->length, m);
}

static void
expect_summary(const struct ds *bytes, const char *summary)
{
    struct dhcp_msg m;
    assert_null(parse_ds(bytes, &m));
    struct ds s = DS_EMPTY_INITIALIZER;
    dhcp_msg_format(&m, &s);
    assert_string_equal(ds_cstr(&s), summary);
    ds_destroy(&s);
    dhcp_msg_destroy(&m);
}

static void
test_round_trip(void **state OVS_UNUSED)
{
    struct ds b = DS_EMPTY_INITIALIZER;
    build_request(&b, DHCP_MSG_REQUEST);
    static const uint8_t ip[4] = { 10, 0, 0, 5 };
    dhcp_put_option(&b, DHCP_OPT_REQUESTED_IP, ip, 4);
    dhcp_put_end(&b);
    assert_int_equal(b.length, DHCP_MIN_LEN + 3 + 6 + 1);

    struct dhcp_msg m;
    assert_null(parse_ds(&b, &m));
    assert_int_equal(m.op, DHCP_OP_REQUEST);
    assert_int_equal(m.xid, 0xdeadbeef);
    assert_int_equal(m.secs, 3);
    assert_int_equal(m.flags, 0x8000);
    assert_int_equal(m.ciaddr, 0x0a000005);
    assert_int_equal(m.chaddr[0], 0xa);
    assert_string_equal(m.sname, "srv");
    assert_string_equal(m.file, "boot.img");
    assert_int_equal(dhcp_msg_type(&m), DHCP_MSG_REQUEST);
    const struct dhcp_option *o = dhcp_msg_find(&m, DHCP_OPT_REQUESTED_IP);
    assert_non_null(o);
    assert_int_equal(o->len, 4);
    assert_memory_equal(o->data, ip, 4);

    /* Building the parsed header again gives the same bytes. */
    struct ds again = DS_EMPTY_INITIALIZER;
    dhcp_put_header(&again, &m);
    assert_memory_equal(again.string, b.string, DHCP_MIN_LEN);
    ds_destroy(&again);
    dhcp_msg_destroy(&m);
    ds_destroy(&b);
}

static void
put_u32(struct ds *b, uint8_t code, uint32_t v)
{
    uint8_t x[4] = { v >> 24, v >> 16, v >> 8, v };
    dhcp_put_option(b, code, x, 4);
}

static void
test_option_types(void **state OVS_UNUSED)
{
    struct ds b = DS_EMPTY_INITIALIZER;
    build_request(&b, DHCP_MSG_OFFER);
    put_u32(&b, DHCP_OPT_NETMASK, 0xffffff00);
    static const uint8_t dns[8] = { 8, 8, 8, 8, 1, 1, 1, 1 };
    dhcp_put_option(&b, DHCP_OPT_DNS_SERVER, dns, 8);
    put_u32(&b, DHCP_OPT_LEASE_TIME, 3600);
    static const uint8_t mtu[2] = { 0x05, 0x78 };
    dhcp_put_option(&b, DHCP_OPT_MTU, mtu, 2);
    static const uint8_t ttl = 64, on = 1;
    dhcp_put_option(&b, 23, &ttl, 1);
    dhcp_put_option(&b, 19, &on, 1);
    dhcp_put_option(&b, DHCP_OPT_DOMAIN_NAME, "ex\"1", 4);
    static const uint8_t routes[] = { 24, 192, 168, 1, 10, 0, 0, 1,
                                      0, 10, 0, 0, 254 };
    dhcp_put_option(&b, DHCP_OPT_CLASSLESS_ROUTE, routes, sizeof routes);
    struct ds dom = DS_EMPTY_INITIALIZER;
    assert_null(dhcp_encode_domains("a.org, b.example.", &dom));
    assert_int_equal(dom.length, 7 + 11);
    dhcp_put_option(&b, DHCP_OPT_DOMAIN_SEARCH, dom.string, dom.length);
    ds_destroy(&dom);
    static const uint8_t odd[3] = { 1, 2, 3 };
    dhcp_put_option(&b, 200, odd, 3);            /* Unknown. */
    dhcp_put_option(&b, DHCP_OPT_ROUTER, odd, 3); /* Malformed IP list. */
    dhcp_put_end(&b);
    expect_summary(&b, "DHCPOFFER xid 0xdeadbeef, ciaddr 10.0.0.5, "
                   "netmask 255.255.255.0, dns_server {8.8.8.8, 1.1.1.1}, "
                   "lease_time 3600, mtu 1400, default_ttl 64, "
                   "ip_forward_enable 1, domain_name \"ex\\x221\", "
                   "classless_static_route {192.168.1.0/24, 10.0.0.1, "
                   "0.0.0.0/0, 10.0.0.254}, "
                   "domain_search_list \"a.org,b.example\", "
                   "option 200 0x010203, router 0x010203");
    ds_destroy(&b);
}

static void
test_long_options(void **state OVS_UNUSED)
{
    /* A 300-byte value is split in two instances and read back whole,
     * even with another option in between (RFC 3396). */
    uint8_t big[300];
    for (size_t i = 0; i < sizeof big; i++) {
        big[i] = i;
    }
    struct ds b = DS_EMPTY_INITIALIZER;
    build_request(&b, DHCP_MSG_ACK);
    dhcp_put_option(&b, 43, big, 200);
    put_u32(&b, DHCP_OPT_LEASE_TIME, 60);
    dhcp_put_option(&b, 43, big + 200, 100);
    dhcp_put_option(&b, 44, big, 0);
    dhcp_put_end(&b);
    struct dhcp_msg m;
    assert_null(parse_ds(&b, &m));
    const struct dhcp_option *o = dhcp_msg_find(&m, 43);
    assert_int_equal(o->len, 300);
    assert_memory_equal(o->data, big, 300);
    o = dhcp_msg_find(&m, DHCP_OPT_LEASE_TIME);
    assert_int_equal(o->len, 4);
    assert_int_equal(o->data[3], 60);
    assert_int_equal(dhcp_msg_find(&m, 44)->len, 0);
    dhcp_msg_destroy(&m);

    ds_clear(&b);
    dhcp_put_option(&b, 43, big, 300);
    assert_int_equal(b.length, 2 + 255 + 2 + 45);
    ds_destroy(&b);
}

static void
expect_error(const void *data, size_t len, const char *error)
{
    struct dhcp_msg m;
    char *e = dhcp_parse(data, len, &m);
    assert_non_null(e);
    assert_non_null(strstr(e, error));
    assert_int_equal(m.n_options, 0);
    free(e);
}

static void
test_hostile_v4(void **state OVS_UNUSED)
{
    struct ds b = DS_EMPTY_INITIALIZER;
    build_request(&b, DHCP_MSG_DISCOVER);
    /* Each truncation is copied to a buffer of exactly that size, so that
     * ASan catches any read beyond it. */
    for (size_t n = 0; n < DHCP_MIN_LEN; n++) {
        uint8_t *copy = xmemdup(b.string, n ? n : 1);
        expect_error(copy, n, n < DHCP_HEADER_LEN ? "truncated BOOTP"
                     : "no DHCP magic cookie");
        free(copy);
    }
    expect_error(NULL, 0, "truncated");

    /* Bad cookie. */
    char *bad = xmemdup(b.string, b.length);
    bad[DHCP_HEADER_LEN] = 0;
    expect_error(bad, b.length, "bad DHCP magic cookie");
    free(bad);

    /* An option without its length, one overrunning the message. */
    size_t n = b.length;
    ds_put_char(&b, 12);
    uint8_t *copy = xmemdup(b.string, b.length);
    expect_error(copy, b.length, "option 12 has no length");
    free(copy);
    ds_put_char(&b, 40);
    ds_put_buffer(&b, "abc", 3);
    copy = xmemdup(b.string, b.length);
    expect_error(copy, b.length, "option 12 (length 40) overruns");
    free(copy);

    /* Without an end option, and with junk after it: both fine. */
    ds_truncate(&b, n);
    struct dhcp_msg m;
    assert_null(parse_ds(&b, &m));
    dhcp_msg_destroy(&m);
    dhcp_put_end(&b);
    ds_put_buffer(&b, "\x0c\xff", 2);
    assert_null(parse_ds(&b, &m));
    assert_null(dhcp_msg_find(&m, 12));
    dhcp_msg_destroy(&m);
    ds_destroy(&b);

    /* A message type of the wrong length is no type. */
    ds_init(&b);
    build_request(&b, DHCP_MSG_DISCOVER);
    ds_truncate(&b, DHCP_MIN_LEN);
    dhcp_put_option(&b, DHCP_OPT_MSG_TYPE, "\x01\x01", 2);
    assert_null(parse_ds(&b, &m));
    assert_int_equal(dhcp_msg_type(&m), 0);
    dhcp_msg_destroy(&m);
    ds_destroy(&b);
}

static void
test_domains(void **state OVS_UNUSED)
{
    struct ds d = DS_EMPTY_INITIALIZER;
    assert_null(dhcp_encode_domains("example.org", &d));
    assert_int_equal(d.length, 13);
    assert_memory_equal(d.string, "\x07" "example" "\x03" "org" "\0", 13);
    /* A suffix already written becomes a pointer, as OVN writes it. */
    ds_clear(&d);
    assert_null(dhcp_encode_domains("a.org,b.example.org,b.example.org",
                                    &d));
    assert_int_equal(d.length, 21);
    assert_memory_equal(d.string, "\x01" "a" "\x03" "org" "\0" "\x01" "b"
                        "\x07" "example" "\xc0\x02" "\xc0\x07", 21);
    struct ds b = DS_EMPTY_INITIALIZER;
    build_request(&b, DHCP_MSG_ACK);
    dhcp_put_option(&b, DHCP_OPT_DOMAIN_SEARCH, d.string, d.length);
    expect_summary(&b, "DHCPACK xid 0xdeadbeef, ciaddr 10.0.0.5, "
                   "domain_search_list \"a.org,b.example.org,"
                   "b.example.org\"");
    /* A pointer to itself (or forward) is malformed: shown in hex. */
    ds_clear(&b);
    build_request(&b, DHCP_MSG_ACK);
    dhcp_put_option(&b, DHCP_OPT_DOMAIN_SEARCH, "\x01" "a" "\xc0\x00", 4);
    expect_summary(&b, "DHCPACK xid 0xdeadbeef, ciaddr 10.0.0.5, "
                   "domain_search_list 0x0161c000");
    ds_destroy(&b);

    static const char *const bad[] = {
        "", "a..b", "a,,b", ".", "a.b,",
        "0123456789012345678901234567890123456789012345678901234567890123.x",
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        ds_clear(&d);
        char *error = dhcp_encode_domains(bad[i], &d);
        assert_non_null(error);
        free(error);
    }
    ds_destroy(&d);
}

static void
put6_be(struct ds *b, uint64_t v, size_t n)
{
    for (size_t i = n; i-- > 0;) {
        ds_put_char(b, (char) (v >> (8 * i)));
    }
}

static void
build_solicit(struct ds *b, bool with_addr)
{
    dhcp6_put_header(b, DHCP6_MSG_SOLICIT, 0xabcdef);
    static const uint8_t duid[10] = { 0, 3, 0, 1, 0, 0, 0, 0, 0xb, 1 };
    dhcp6_put_option(b, DHCP6_OPT_CLIENT_ID, duid, sizeof duid);
    struct ds ia = DS_EMPTY_INITIALIZER;
    put6_be(&ia, 7, 4);
    put6_be(&ia, 0, 8);
    if (with_addr) {
        struct ds a = DS_EMPTY_INITIALIZER;
        put6_be(&a, 0xfd110000, 4);
        put6_be(&a, 0, 8);
        put6_be(&a, 0x11, 4);
        put6_be(&a, 100, 4);
        put6_be(&a, 200, 4);
        dhcp6_put_option(&ia, DHCP6_OPT_IAADDR, a.string, a.length);
        ds_destroy(&a);
    }
    dhcp6_put_option(b, DHCP6_OPT_IA_NA, ia.string, ia.length);
    ds_destroy(&ia);
    uint8_t dns[32] = { 0xfd, 0x11 };
    dns[15] = 0x53;
    dns[16] = 0xfd;
    dns[17] = 0x11;
    dns[31] = 0x54;
    dhcp6_put_option(b, DHCP6_OPT_DNS_SERVERS, dns, 32);
}

static void
test_dhcp6(void **state OVS_UNUSED)
{
    struct ds b = DS_EMPTY_INITIALIZER;
    build_solicit(&b, true);
    struct dhcp6_msg m;
    assert_null(dhcp6_parse(b.string, b.length, &m));
    assert_int_equal(m.type, DHCP6_MSG_SOLICIT);
    assert_int_equal(m.xid, 0xabcdef);
    assert_int_equal(m.n_options, 3);
    assert_true(m.has_ia_na);
    assert_int_equal(m.iaid, 7);
    assert_true(m.has_ia_addr);
    assert_int_equal(m.ia_addr.s6_addr[15], 0x11);
    assert_int_equal(m.valid_lifetime, 200);
    struct ds s = DS_EMPTY_INITIALIZER;
    dhcp6_msg_format(&m, &s);
    assert_string_equal(ds_cstr(&s), "SOLICIT xid 0xabcdef, ia_addr fd11::11 "
                        "(iaid 0x7, valid 200), client_id "
                        "00:00:00:00:0b:01, dns_server {fd11::53, "
                        "fd11::54}");
    ds_destroy(&s);

    /* Every truncation fails cleanly (or parses a shorter message when it
     * ends exactly between options); never a read past the end. */
    for (size_t n = 0; n < b.length; n++) {
        uint8_t *copy = xmemdup(b.string, n ? n : 1);
        char *error = dhcp6_parse(copy, n, &m);
        assert_true(error || n == 4 || n == 4 + 14 || n == 4 + 14 + 44);
        free(error);
        free(copy);
    }
    ds_destroy(&b);
}

static void
test_hostile_v6(void **state OVS_UNUSED)
{
    struct dhcp6_msg m;
    char *error;

    /* IA_NA too short, IAADDR too short, IAADDR overrunning IA_NA. */
    static const uint8_t short_ia[] = { 1, 0, 0, 1, 0, 3, 0, 4, 0, 0, 0, 1 };
    error = dhcp6_parse(short_ia, sizeof short_ia, &m);
    assert_non_null(strstr(error, "IA_NA too short"));
    free(error);
    static const uint8_t short_addr[] = {
        1, 0, 0, 1, 0, 3, 0, 16, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 5, 0, 0 };
    error = dhcp6_parse(short_addr, sizeof short_addr, &m);
    assert_non_null(strstr(error, "IAADDR too short"));
    free(error);
    static const uint8_t overrun[] = {
        1, 0, 0, 1, 0, 3, 0, 16, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 5, 0, 99 };
    error = dhcp6_parse(overrun, sizeof overrun, &m);
    assert_non_null(strstr(error, "IA_NA: option 5 (length 99) overruns"));
    free(error);

    /* Relay messages; too many options. */
    static const uint8_t relay[] = { 12, 0, 0, 0 };
    error = dhcp6_parse(relay, sizeof relay, &m);
    assert_non_null(strstr(error, "relay"));
    free(error);
    struct ds b = DS_EMPTY_INITIALIZER;
    dhcp6_put_header(&b, DHCP6_MSG_SOLICIT, 1);
    for (int i = 0; i <= DHCP6_MAX_OPTIONS; i++) {
        dhcp6_put_option(&b, 8, "\0\0", 2);
    }
    error = dhcp6_parse(b.string, b.length, &m);
    assert_non_null(strstr(error, "more than"));
    free(error);
    ds_destroy(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_option_types),
        cmocka_unit_test(test_long_options),
        cmocka_unit_test(test_hostile_v4),
        cmocka_unit_test(test_domains),
        cmocka_unit_test(test_dhcp6),
        cmocka_unit_test(test_hostile_v6),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
