/* Unit tests for lib/dns.c: parsing queries and responses (names,
 * compression, hostile input), building, and the summary. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dns.h"
#include "ds.h"
#include "util.h"

/* The header of a query for one question, id 0x1234, RD. */
static const uint8_t HDR[] = { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0,
                               0, 0 };

static void
query(struct ds *q, const char *name, uint16_t type)
{
    struct dns_header h = { .id = 0x1234, .flags = DNS_FLAG_RD,
                            .qdcount = 1 };
    struct dns_question qu = { .type = type, .qclass = DNS_CLASS_IN };
    strcpy(qu.name, name);
    dns_put_header(q, &h);
    dns_put_question(q, &qu);
}

static void
test_round_trip(void **state OVS_UNUSED)
{
    struct ds q = DS_EMPTY_INITIALIZER;
    query(&q, "vm1.ovn.test", DNS_TYPE_A);
    static const uint8_t want[] = {
        0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
        3, 'v', 'm', '1', 3, 'o', 'v', 'n', 4, 't', 'e', 's', 't', 0,
        0, 1, 0, 1 };
    assert_int_equal(q.length, sizeof want);
    assert_memory_equal(q.string, want, sizeof want);

    /* A response with an A answer. */
    q.string[2] |= 0x80;
    q.string[7] = 1;
    uint8_t addr[4] = { 10, 0, 13, 11 };
    dns_put_rr(&q, "vm1.ovn.test", DNS_TYPE_A, DNS_CLASS_IN, 3600, addr, 4);
    struct dns_msg m;
    assert_null(dns_parse(q.string, q.length, &m));
    assert_int_equal(m.header.id, 0x1234);
    assert_int_equal(m.n_questions, 1);
    assert_string_equal(m.questions[0].name, "vm1.ovn.test");
    assert_int_equal(m.n_rrs, 1);
    assert_int_equal(m.rrs[0].ttl, 3600);
    assert_int_equal(m.rrs[0].rdlength, 4);
    assert_memory_equal(m.rrs[0].rdata, addr, 4);
    assert_int_equal(m.end, q.length);
    struct ds s = DS_EMPTY_INITIALIZER;
    dns_msg_format(&m, &s);
    assert_string_equal(ds_cstr(&s), "DNS response id 0x1234: vm1.ovn.test "
                        "A? -> vm1.ovn.test A 10.0.13.11 ttl 3600");
    ds_destroy(&s);
    ds_destroy(&q);
}

static void
test_compression(void **state OVS_UNUSED)
{
    /* Question "a.example", answer "www" + pointer to "example" (offset
     * 14), PTR data: pointer to the question's name (offset 12). */
    static const uint8_t msg[] = {
        0x12, 0x34, 0x81, 0x00, 0, 1, 0, 1, 0, 0, 0, 0,
        1, 'a', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 12, 0, 1,
        3, 'w', 'w', 'w', 0xc0, 14, 0, 12, 0, 1, 0, 0, 0, 60, 0, 2,
        0xc0, 12 };
    struct dns_msg m;
    assert_null(dns_parse(msg, sizeof msg, &m));
    assert_string_equal(m.questions[0].name, "a.example");
    assert_string_equal(m.rrs[0].name, "www.example");
    assert_int_equal(m.rrs[0].type, DNS_TYPE_PTR);
    struct ds s = DS_EMPTY_INITIALIZER;
    dns_msg_format(&m, &s);
    assert_non_null(strstr(ds_cstr(&s), "www.example PTR a.example ttl "
                           "60"));
    ds_destroy(&s);
}

static void
expect_error(const void *data, size_t len, const char *substring)
{
    struct dns_msg m;
    char *error = dns_parse(data, len, &m);
    assert_non_null(error);
    if (!strstr(error, substring)) {
        fail_msg("\"%s\" does not contain \"%s\"", error, substring);
    }
    free(error);
}

static void
test_hostile(void **state OVS_UNUSED)
{
    expect_error(HDR, 4, "truncated header (4 bytes)");
    /* qdcount 1 and nothing after the header. */
    expect_error(HDR, sizeof HDR, "question 1: name at offset 12 overruns");
    uint8_t b[64];
    memcpy(b, HDR, sizeof HDR);
    /* A pointer to itself, and one pointing forwards. */
    b[12] = 0xc0, b[13] = 12;
    expect_error(b, 18, "does not point backwards");
    b[13] = 14, b[14] = 0;
    expect_error(b, 19, "does not point backwards");
    /* A truncated pointer. */
    expect_error(b, 13, "truncated name pointer");
    /* Extended label types. */
    b[12] = 0x41;
    expect_error(b, 20, "label type 0x41");
    /* A label longer than the message. */
    b[12] = 10, memcpy(b + 13, "abc", 3);
    expect_error(b, 16, "label overruns");
    /* A dot or a control byte in a label. */
    b[12] = 3, memcpy(b + 13, "a.c\0\0\1\0\1", 8);
    expect_error(b, 21, "label byte 0x2e");
    b[14] = 0;
    expect_error(b, 21, "label byte 0x00");
    /* A question without its type. */
    memcpy(b + 13, "abc\0\0", 5);
    expect_error(b, 19, "truncated question");
    /* Record data longer than the message. */
    memcpy(b + 13, "abc\0\0\1\0\1", 8);
    b[7] = 1;
    static const uint8_t rr[] = { 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 200 };
    memcpy(b + 21, rr, sizeof rr);
    expect_error(b, 21 + sizeof rr, "record 1: record data (200 bytes)");
    expect_error(b, 25, "record 1: truncated record");

    /* A name of more than 255 bytes, in 63-byte labels. */
    uint8_t big[12 + 5 * 64 + 5];
    memcpy(big, HDR, sizeof HDR);
    for (size_t i = 0; i < 5; i++) {
        big[12 + i * 64] = 63;
        memset(big + 13 + i * 64, 'x', 63);
    }
    memset(big + 12 + 5 * 64, 0, 5);
    expect_error(big, sizeof big, "longer than 255");
}

/* Chains of pointers each going one step back, and many questions: all
 * checked, the first DNS_MAX_RRS kept. */
static void
test_limits(void **state OVS_UNUSED)
{
    struct ds q = DS_EMPTY_INITIALIZER;
    struct dns_header h = { .id = 1, .qdcount = 100 };
    dns_put_header(&q, &h);
    ds_put_buffer(&q, "\1a\0\0\1\0\1", 7);
    for (int i = 1; i < 100; i++) {
        ds_put_buffer(&q, "\xc0\x0c\0\1\0\1", 6);
    }
    struct dns_msg *m = xmalloc(sizeof *m);
    assert_null(dns_parse(q.string, q.length, m));
    assert_int_equal(m->n_questions, DNS_MAX_RRS);
    assert_string_equal(m->questions[DNS_MAX_RRS - 1].name, "a");
    /* One question too few in the bytes. */
    char *error = dns_parse(q.string, q.length - 6, m);
    assert_non_null(strstr(error, "question 100: name at offset"));
    free(error);
    free(m);
    ds_destroy(&q);
}

static void
test_names(void **state OVS_UNUSED)
{
    assert_true(dns_name_equal("VM1.ovn.Test", "vm1.ovn.test."));
    assert_false(dns_name_equal("vm1.ovn.test", "vm1.ovn.tes"));
    struct ds s = DS_EMPTY_INITIALIZER;
    assert_null(dns_put_name(&s, "a.b."));
    assert_int_equal(s.length, 5);
    char *error = dns_put_name(&s, "a..b");
    assert_non_null(strstr(error, "label of 0 bytes"));
    free(error);
    char label[70];
    memset(label, 'x', 64);
    label[64] = '\0';
    error = dns_put_name(&s, label);
    assert_non_null(strstr(error, "label of 64 bytes"));
    free(error);
    assert_int_equal(s.length, 5);
    ds_clear(&s);
    dns_type_format(DNS_TYPE_AAAA, &s);
    dns_type_format(99, &s);
    assert_string_equal(ds_cstr(&s), "AAAATYPE99");
    ds_destroy(&s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_compression),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
