/* Unit tests for pipeline/pipeline-dns.c (dns_lookup() answered from the
 * DNS records) and check_pkt_larger() against the packet's length, on a
 * one-switch pipeline with ovn-northd's two DNS stages. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dns.h"
#include "ds.h"
#include "expr/expr.h"
#include "pipeline/pipeline.h"
#include "util.h"

#include "symtab-fixture.h"

static void
add_flow(struct pipeline_input *in, uint32_t dp, enum actions_pipeline p,
         unsigned int table, unsigned int priority, const char *match,
         const char *actions)
{
    struct pipeline_flow_desc f = {
        .dp_keys = &dp, .n_dp_keys = 1, .pipeline = p, .table = table,
        .priority = priority, .match = match, .actions = actions,
    };
    pipeline_input_add_flow(in, &f);
}

/* Switches 1 (with records) and 2 (without), each with ports a, b. */
static struct pipeline *
build(void)
{
    struct pipeline_input *in = pipeline_input_create();
    for (uint32_t dp = 1; dp <= 2; dp++) {
        pipeline_input_add_datapath(in, dp, dp == 1 ? "sw" : "sw2", false);
        struct pipeline_port_desc a = { .name = dp == 1 ? "a" : "a2",
                                        .dp_key = dp, .key = 1 };
        struct pipeline_port_desc b = { .name = dp == 1 ? "b" : "b2",
                                        .dp_key = dp, .key = 2 };
        pipeline_input_add_port(in, &a);
        pipeline_input_add_port(in, &b);
        add_flow(in, dp, ACTIONS_INGRESS, 0, 100, "udp.dst == 53",
                 "reg0[4] = dns_lookup(); next;");
        add_flow(in, dp, ACTIONS_INGRESS, 0, 0, "1", "next;");
        add_flow(in, dp, ACTIONS_INGRESS, 1, 100, "udp.dst == 53 && "
                 "reg0[4]", "eth.dst <-> eth.src; ip4.src <-> ip4.dst; "
                 "udp.dst = udp.src; udp.src = 53; outport = inport; "
                 "flags.loopback = 1; output;");
        add_flow(in, dp, ACTIONS_INGRESS, 1, 50, "1",
                 "reg1[0] = check_pkt_larger(100); next;");
        add_flow(in, dp, ACTIONS_INGRESS, 2, 100, "reg1[0]", "drop;");
        add_flow(in, dp, ACTIONS_INGRESS, 2, 0, "1",
                 dp == 1 ? "outport = \"b\"; output;"
                 : "outport = \"b2\"; output;");
        add_flow(in, dp, ACTIONS_EGRESS, 0, 0, "1", "output;");
    }
    uint32_t dp1 = 1;
    static const char *const names[] = {
        "vm1.ovn.test", "11.0.0.10.in-addr.arpa", "Caps.ovn.test",
        "two.ovn.test" };
    static const char *const values[] = {
        "10.0.0.11 fd00::11", "vm1.ovn.test", "10.0.0.99",
        "10.0.0.1 junk 10.0.0.2" };
    pipeline_input_add_dns(in, &dp1, 1, names, values, ARRAY_SIZE(names));
    /* A second row with the same name: the first wins. */
    static const char *const again[] = { "vm1.ovn.test" };
    static const char *const other[] = { "10.9.9.9" };
    pipeline_input_add_dns(in, &dp1, 1, again, other, 1);
    struct pipeline *pl = pipeline_compile(in, symtab, NULL, NULL);
    pipeline_input_destroy(in);
    assert_int_equal(pipeline_n_errors(pl), 0);
    return pl;
}

static void
packet(struct symtab_flow *f, const struct pipeline *pl, const char *port)
{
    struct expr_env env;
    pipeline_expr_env(pl, &env);
    char *s = xasprintf("inport == \"%s\" && eth.src == 00:00:00:00:00:01 "
                        "&& eth.dst == 00:00:00:00:00:fe && ip4.src == "
                        "10.0.0.11 && ip4.dst == 10.0.0.1 && ip.ttl == 64 && "
                        "udp.src == 4444 && udp.dst == 53", port);
    symtab_flow_init(f);
    char *error = expr_parse_microflow(s, &env, NULL, NULL, f);
    assert_null(error);
    free(s);
}

static void
query(struct ds *q, const char *name, uint16_t type)
{
    struct dns_header h = { .id = 0x77, .flags = DNS_FLAG_RD,
                            .qdcount = 1 };
    struct dns_question qu = { .type = type, .qclass = DNS_CLASS_IN };
    strcpy(qu.name, name);
    dns_put_header(q, &h);
    dns_put_question(q, &qu);
}

/* Runs a query for 'name' of 'type' from 'port'; returns the output. */
static const struct pipeline_output *
run(const struct pipeline *pl, const char *port, const struct ds *q,
    struct pipeline_result *res)
{
    struct symtab_flow f;
    packet(&f, pl, port);
    struct pipeline_run_params p = {
        .select_id = -1, .payload = q ? (const uint8_t *) q->string : NULL,
        .payload_len = q ? q->length : 0 };
    assert_int_equal(pipeline_run(pl, &p, port[1] ? 2 : 1, &f, res), 0);
    symtab_flow_destroy(&f);
    assert_int_equal(res->n_outputs, 1);
    return &res->outputs[0];
}

/* Expects the query for 'name' of 'type' to be answered with 'n'
 * answers, the first of 'rdlength' bytes. */
static void
expect_answer(const struct pipeline *pl, const char *name, uint16_t type,
              size_t n, uint16_t rdlength)
{
    struct ds q = DS_EMPTY_INITIALIZER;
    query(&q, name, type);
    struct pipeline_result res;
    const struct pipeline_output *o = run(pl, "a", &q, &res);
    assert_string_equal(o->port, "a");
    assert_true(res.payload_read);
    assert_int_equal(o->flow.fields[SYMTAB_F_TP_SRC].lo, 53);
    assert_int_equal(o->flow.fields[SYMTAB_F_IP4_DST].lo & 0xffffffff,
                     0x0a00000b);
    struct dns_msg *m = xmalloc(sizeof *m);
    assert_null(dns_parse(o->payload, o->payload_len, m));
    assert_int_equal(m->header.flags, DNS_FLAG_QR | DNS_FLAG_RD);
    assert_int_equal(m->header.id, 0x77);
    assert_int_equal(m->header.ancount, n);
    assert_int_equal(m->n_rrs, n);
    assert_memory_equal(o->payload + 12, q.string + 12, q.length - 12);
    assert_string_equal(m->rrs[0].name, name);
    assert_int_equal(m->rrs[0].ttl, 3600);
    assert_int_equal(m->rrs[0].rclass, DNS_CLASS_IN);
    assert_int_equal(m->rrs[0].rdlength, rdlength);
    free(m);
    pipeline_result_destroy(&res);
    ds_destroy(&q);
}

static void
test_answers(void **state OVS_UNUSED)
{
    struct pipeline *pl = build();
    expect_answer(pl, "vm1.ovn.test", DNS_TYPE_A, 1, 4);
    expect_answer(pl, "VM1.Ovn.TEST", DNS_TYPE_A, 1, 4);
    expect_answer(pl, "vm1.ovn.test", DNS_TYPE_AAAA, 1, 16);
    expect_answer(pl, "vm1.ovn.test", DNS_TYPE_ANY, 2, 4);
    expect_answer(pl, "two.ovn.test", DNS_TYPE_A, 2, 4);
    /* "vm1.ovn.test" in labels. */
    expect_answer(pl, "11.0.0.10.in-addr.arpa", DNS_TYPE_PTR, 1, 14);
    pipeline_destroy(pl);
}

/* Expects the query in 'q' (from 'port') to go on unanswered. */
static void
expect_unanswered(const struct pipeline *pl, const char *port,
                  const struct ds *q)
{
    struct pipeline_result res;
    const struct pipeline_output *o = run(pl, port, q, &res);
    assert_string_equal(o->port, port[1] ? "b2" : "b");
    if (q) {
        assert_int_equal(o->payload_len, q->length);
        assert_memory_equal(o->payload, q->string, q->length);
    } else {
        assert_null(o->payload);
        /* ovn-trace's fate: no answer, handed to the caller. */
        assert_int_equal(o->n_payload_actions, 1);
    }
    pipeline_result_destroy(&res);
}

static void
test_unanswered(void **state OVS_UNUSED)
{
    struct pipeline *pl = build();
    struct ds q = DS_EMPTY_INITIALIZER;
    expect_unanswered(pl, "a", NULL);
    query(&q, "nope.ovn.test", DNS_TYPE_A);
    expect_unanswered(pl, "a", &q);
    /* A record with capitals is never found (as ovn-controller). */
    ds_clear(&q);
    query(&q, "caps.ovn.test", DNS_TYPE_A);
    expect_unanswered(pl, "a", &q);
    ds_clear(&q);
    query(&q, "vm1.ovn.test", DNS_TYPE_MX);
    expect_unanswered(pl, "a", &q);
    /* Another datapath's records. */
    ds_clear(&q);
    query(&q, "vm1.ovn.test", DNS_TYPE_A);
    expect_unanswered(pl, "a2", &q);
    /* A response, additional records, no question, a compressed name,
     * truncated. */
    q.string[2] |= 0x80;
    expect_unanswered(pl, "a", &q);
    q.string[2] &= 0x7f;
    q.string[11] = 1;
    expect_unanswered(pl, "a", &q);
    q.string[11] = 0;
    q.string[5] = 0;
    expect_unanswered(pl, "a", &q);
    q.string[5] = 1;
    struct ds c = DS_EMPTY_INITIALIZER;
    ds_put_buffer(&c, q.string, 12);
    ds_put_buffer(&c, "\xc0\x0c\0\1\0\1", 6);
    expect_unanswered(pl, "a", &c);
    q.length -= 3;
    expect_unanswered(pl, "a", &q);
    q.length = 5;
    expect_unanswered(pl, "a", &q);
    ds_destroy(&c);
    ds_destroy(&q);
    pipeline_destroy(pl);
}

/* The opcode, class and trailing bytes are kept and not looked at; the
 * query's answer count is replaced. */
static void
test_copy(void **state OVS_UNUSED)
{
    struct pipeline *pl = build();
    struct ds q = DS_EMPTY_INITIALIZER;
    query(&q, "vm1.ovn.test", DNS_TYPE_A);
    q.string[2] |= 0x10;
    q.string[7] = 5;
    q.string[q.length - 1] = 3;
    ds_put_buffer(&q, "\xde\xad", 2);
    struct pipeline_result res;
    const struct pipeline_output *o = run(pl, "a", &q, &res);
    assert_string_equal(o->port, "a");
    assert_int_equal(o->payload_len, q.length + 28);
    assert_int_equal(o->payload[2], 0x91);
    assert_int_equal(o->payload[7], 1);
    assert_memory_equal(o->payload + 8, q.string + 8, q.length - 8);
    pipeline_result_destroy(&res);
    ds_destroy(&q);
    pipeline_destroy(pl);
}

static void
test_check_pkt_larger(void **state OVS_UNUSED)
{
    struct pipeline *pl = build();
    struct symtab_flow f;
    packet(&f, pl, "a");
    f.fields[SYMTAB_F_TP_DST].lo = 54;
    static const struct {
        size_t len;
        const char *port;           /* NULL: dropped. */
    } cases[] = { { 0, "b" }, { 100, "b" }, { 101, NULL }, { 1500, NULL } };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct pipeline_run_params p = { .select_id = -1,
                                         .packet_len = cases[i].len };
        struct pipeline_result res;
        assert_int_equal(pipeline_run(pl, &p, 1, &f, &res), 0);
        if (cases[i].port) {
            assert_int_equal(res.n_outputs, 1);
            assert_string_equal(res.outputs[0].port, cases[i].port);
        } else {
            assert_int_equal(res.n_outputs, 0);
            assert_int_equal(res.n_drops, 1);
        }
        pipeline_result_destroy(&res);
    }
    symtab_flow_destroy(&f);
    pipeline_destroy(pl);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_answers),
        cmocka_unit_test(test_unanswered),
        cmocka_unit_test(test_copy),
        cmocka_unit_test(test_check_pkt_larger),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
