/* Unit tests for pipeline/pipeline-ra.c: put_nd_ra_opts() turns a Router
 * Solicitation into the Router Advertisement, byte for byte as
 * docs/ra-facts.md records ovn-controller 23.03 doing it, on a one-router
 * pipeline with ovn-northd's two RA stages; anything else is left
 * alone. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ds.h"
#include "expr/expr.h"
#include "pipeline/pipeline.h"
#include "util.h"

#include "symtab-fixture.h"

static void
add_flow(struct pipeline_input *in, enum actions_pipeline p,
         unsigned int table, unsigned int priority, const char *match,
         const char *actions)
{
    uint32_t dp = 1;
    struct pipeline_flow_desc f = {
        .dp_keys = &dp, .n_dp_keys = 1, .pipeline = p, .table = table,
        .priority = priority, .match = match, .actions = actions,
    };
    pipeline_input_add_flow(in, &f);
}

/* A router with ports "lrp" (options 'ra_opts') and "lrp2". */
static struct pipeline *
build(const char *ra_opts)
{
    struct pipeline_input *in = pipeline_input_create();
    pipeline_input_add_datapath(in, 1, "r0", true);
    struct pipeline_port_desc a = { .name = "lrp", .dp_key = 1, .key = 1 };
    struct pipeline_port_desc b = { .name = "lrp2", .dp_key = 1, .key = 2 };
    pipeline_input_add_port(in, &a);
    pipeline_input_add_port(in, &b);
    char *act = xasprintf("reg9[5] = put_nd_ra_opts(%s); next;", ra_opts);
    add_flow(in, ACTIONS_INGRESS, 0, 50, "inport == \"lrp\" && "
             "ip6.dst == ff02::2 && nd_rs", act);
    free(act);
    add_flow(in, ACTIONS_INGRESS, 0, 0, "1", "next;");
    add_flow(in, ACTIONS_INGRESS, 1, 50, "inport == \"lrp\" && "
             "ip6.dst == ff02::2 && nd_ra && reg9[5]",
             "eth.dst = eth.src; eth.src = 00:00:00:00:ff:01; "
             "ip6.dst = ip6.src; ip6.src = fe80::200:ff:fe00:ff01; "
             "outport = inport; flags.loopback = 1; output;");
    add_flow(in, ACTIONS_INGRESS, 1, 0, "1",
             "outport = \"lrp2\"; output;");
    add_flow(in, ACTIONS_EGRESS, 0, 0, "1", "output;");
    struct pipeline *pl = pipeline_compile(in, symtab, NULL, NULL);
    pipeline_input_destroy(in);
    assert_int_equal(pipeline_n_errors(pl), 0);
    return pl;
}

/* Runs an ICMPv6 packet of 'type' from "lrp" with 'payload'. */
static const struct pipeline_output *
run(const struct pipeline *pl, int type, const struct ds *payload,
    struct pipeline_result *res)
{
    struct expr_env env;
    pipeline_expr_env(pl, &env);
    char *s = xasprintf("inport == \"lrp\" && eth.src == 00:00:00:00:00:01 "
                        "&& eth.dst == 33:33:00:00:00:02 && ip6.src == "
                        "fe80::1 && ip6.dst == ff02::2 && ip.ttl == 255 && "
                        "icmp6.type == %d && icmp6.code == 0", type);
    struct symtab_flow f;
    symtab_flow_init(&f);
    assert_null(expr_parse_microflow(s, &env, NULL, NULL, &f));
    free(s);
    struct pipeline_run_params p = {
        .select_id = -1,
        .payload = payload ? (const uint8_t *) payload->string : NULL,
        .payload_len = payload ? payload->length : 0 };
    assert_int_equal(pipeline_run(pl, &p, 1, &f, res), 0);
    symtab_flow_destroy(&f);
    assert_int_equal(res->n_outputs, 1);
    return &res->outputs[0];
}

/* The RA header of docs/ra-facts.md: hop limit 255, 'flags', router
 * lifetime 65535, reachable time and retrans timer 0. */
static void
expect_header(const struct pipeline_output *o, uint8_t flags)
{
    static const uint8_t rest[] = { 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0 };

    assert_true(o->payload_len >= 12);
    assert_int_equal(o->payload[0], 255);
    assert_int_equal(o->payload[1], flags);
    assert_memory_equal(o->payload + 2, rest, sizeof rest);
}

static void
test_slaac(void **state OVS_UNUSED)
{
    struct pipeline *pl = build("addr_mode = \"slaac\", "
                                "slla = 00:00:00:00:ff:01, "
                                "prefix = fd00::/64, mtu = 1450");
    struct ds rs = DS_EMPTY_INITIALIZER;
    ds_put_buffer(&rs, "\0\0\0\0\x01\x01\0\0\0\0\0\x01", 12);
    struct pipeline_result res;
    const struct pipeline_output *o = run(pl, 133, &rs, &res);

    assert_string_equal(o->port, "lrp");
    assert_int_equal(o->flow.fields[SYMTAB_F_ICMP_TYPE].lo, 134);
    expect_header(o, 0);
    static const uint8_t opts[] = {
        /* Source link-layer address. */
        1, 1, 0, 0, 0, 0, 0xff, 0x01,
        /* Prefix information: /64, L and A, infinite lifetimes. */
        3, 4, 64, 0xc0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0, 0, 0, 0, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        /* MTU 1450. */
        5, 1, 0, 0, 0, 0, 0x05, 0xaa,
    };
    assert_int_equal(o->payload_len, 12 + sizeof opts);
    assert_memory_equal(o->payload + 12, opts, sizeof opts);

    /* The frame is ICMPv6 with a valid checksum. */
    struct ds frame = DS_EMPTY_INITIALIZER;
    assert_int_equal(pipeline_output_frame(o, &frame), 0);
    const uint8_t *fr = (const uint8_t *) frame.string;
    assert_int_equal(frame.length, 14 + 40 + 4 + o->payload_len);
    assert_int_equal(fr[12] << 8 | fr[13], 0x86dd);
    assert_int_equal(fr[14 + 6], 58);
    assert_int_equal(fr[54], 134);
    uint32_t sum = 0;
    for (size_t i = 22; i < 54; i += 2) {          /* Addresses. */
        sum += fr[i] << 8 | fr[i + 1];
    }
    size_t len = frame.length - 54;
    sum += len + 58;
    for (size_t i = 54; i < frame.length; i += 2) {
        sum += fr[i] << 8 | (i + 1 < frame.length ? fr[i + 1] : 0);
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    assert_int_equal(sum, 0xffff);
    ds_destroy(&frame);
    pipeline_result_destroy(&res);

    /* No payload: an RS without options, answered alike. */
    o = run(pl, 133, NULL, &res);
    assert_string_equal(o->port, "lrp");
    assert_int_equal(o->payload_len, 12 + sizeof opts);
    assert_memory_equal(o->payload + 12, opts, sizeof opts);
    pipeline_result_destroy(&res);
    ds_destroy(&rs);
    pipeline_destroy(pl);
}

static void
test_stateful(void **state OVS_UNUSED)
{
    struct pipeline *pl = build("addr_mode = \"dhcpv6_stateful\", "
                                "slla = 00:00:00:00:ff:01, "
                                "prefix = fd00::/64");
    struct pipeline_result res;
    const struct pipeline_output *o = run(pl, 133, NULL, &res);

    expect_header(o, 0x80);                 /* M. */
    assert_int_equal(o->payload_len, 12 + 8 + 32);
    assert_int_equal(o->payload[20], 3);
    assert_int_equal(o->payload[23], 0x80);     /* L only, no A. */
    pipeline_result_destroy(&res);
    pipeline_destroy(pl);
}

/* Not a solicitation: result 0, the packet unchanged and routed on. */
static void
test_not_rs(void **state OVS_UNUSED)
{
    struct pipeline *pl = build("addr_mode = \"slaac\", "
                                "slla = 00:00:00:00:ff:01, "
                                "prefix = fd00::/64");
    struct ds body = DS_EMPTY_INITIALIZER;
    ds_put_buffer(&body, "\0\1\0\1", 4);
    struct pipeline_result res;
    const struct pipeline_output *o = run(pl, 128, &body, &res);

    assert_string_equal(o->port, "lrp2");
    assert_int_equal(o->flow.fields[SYMTAB_F_ICMP_TYPE].lo, 128);
    assert_int_equal(o->payload_len, 4);
    assert_memory_equal(o->payload, body.string, 4);
    pipeline_result_destroy(&res);

    /* An RS body shorter than its 4 reserved bytes. */
    body.length = 2;
    o = run(pl, 133, &body, &res);
    assert_string_equal(o->port, "lrp2");
    pipeline_result_destroy(&res);
    ds_destroy(&body);
    pipeline_destroy(pl);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slaac),
        cmocka_unit_test(test_stateful),
        cmocka_unit_test(test_not_rs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
