/* Unit tests for pipeline/: compiling flows and running packets through
 * a small topology of two switches and a router, built by hand:
 *
 *     vm1, vm2 -- sw0 (key 1) -- sw0-lr -- lr-sw0 -- lr (key 3)
 *     vm3      -- sw1 (key 2) -- sw1-lr -- lr-sw1 ----'
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "dhcp.h"
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
        .uuid = "0123456789abcdef", .stage_name = "stage",
    };
    pipeline_input_add_flow(in, &f);
}

static void
add_port(struct pipeline_input *in, const char *name, uint32_t dp,
         uint32_t key, const char *type, const char *peer)
{
    struct pipeline_port_desc p = { .name = name, .dp_key = dp, .key = key,
                                    .type = type, .peer = peer };
    pipeline_input_add_port(in, &p);
}

/* A switch's flows: port security on vm2 (only 10.0.0.2), an address
 * set in an ACL, L2 lookup, flooding. */
static void
add_switch(struct pipeline_input *in, uint32_t dp, const char *rport,
           const char *rmac)
{
    char *m;
    add_flow(in, dp, ACTIONS_INGRESS, 0, 100, "inport == \"vm2\" && "
             "ip4.src != 10.0.0.2", "drop;");
    add_flow(in, dp, ACTIONS_INGRESS, 0, 0, "1", "next;");
    add_flow(in, dp, ACTIONS_INGRESS, 1, 100, "ip4.dst == $blocked",
             "drop;");
    add_flow(in, dp, ACTIONS_INGRESS, 1, 50, "ip4 && inport == @pg",
             "ct_next;");
    add_flow(in, dp, ACTIONS_INGRESS, 1, 0, "1", "next;");
    add_flow(in, dp, ACTIONS_INGRESS, 2, 100, "ct.est && ip4", "next;");
    add_flow(in, dp, ACTIONS_INGRESS, 2, 90, "ct.new && ip4", "drop;");
    add_flow(in, dp, ACTIONS_INGRESS, 2, 0, "1", "next;");
    add_flow(in, dp, ACTIONS_INGRESS, 3, 50, "eth.dst == 00:00:00:00:00:01",
             "outport = \"vm1\"; output;");
    add_flow(in, dp, ACTIONS_INGRESS, 3, 50, "eth.dst == 00:00:00:00:00:02",
             "outport = \"vm2\"; output;");
    add_flow(in, dp, ACTIONS_INGRESS, 3, 50, "eth.dst == 00:00:00:00:00:03",
             "outport = \"vm3\"; output;");
    m = xasprintf("eth.dst == %s", rmac);
    char *a = xasprintf("outport = \"%s\"; output;", rport);
    add_flow(in, dp, ACTIONS_INGRESS, 3, 50, m, a);
    free(m);
    free(a);
    add_flow(in, dp, ACTIONS_INGRESS, 3, 70, "eth.bcast",
             "outport = \"_MC_flood\"; output;");
    add_flow(in, dp, ACTIONS_EGRESS, 0, 0, "1", "output;");
}

static struct pipeline *
build(void)
{
    struct pipeline_input *in = pipeline_input_create();
    pipeline_input_add_datapath(in, 1, "sw0", false);
    pipeline_input_add_datapath(in, 2, "sw1", false);
    pipeline_input_add_datapath(in, 3, "lr", true);
    add_port(in, "vm1", 1, 1, "", NULL);
    add_port(in, "vm2", 1, 2, "", NULL);
    add_port(in, "sw0-lr", 1, 3, "patch", "lr-sw0");
    add_port(in, "vm3", 2, 1, "", NULL);
    add_port(in, "sw1-lr", 2, 2, "patch", "lr-sw1");
    add_port(in, "lr-sw0", 3, 1, "patch", "sw0-lr");
    add_port(in, "lr-sw1", 3, 2, "patch", "sw1-lr");
    const char *flood[] = { "vm1", "vm2", "sw0-lr" };
    pipeline_input_add_mcgroup(in, 1, "_MC_flood", 32768, flood, 3);
    const char *blocked[] = { "192.168.0.0/16" };
    pipeline_input_add_address_set(in, "blocked", blocked, 1);
    const char *pg[] = { "vm3" };
    pipeline_input_add_port_group(in, "2_pg", pg, 1);
    pipeline_input_add_port_group(in, "pg", NULL, 0);
    pipeline_input_add_mac_binding(in, "lr-sw1", "10.0.1.3",
                                   "00:00:00:00:00:03");
    pipeline_input_add_mac_binding(in, "lr-sw0", "10.0.0.1",
                                   "00:00:00:00:00:01");
    add_switch(in, 1, "sw0-lr", "00:00:00:00:ff:01");
    add_switch(in, 2, "sw1-lr", "00:00:00:00:ff:02");

    /* The router: route 10.0.1.0/24 out of lr-sw1, resolve with the MAC
     * bindings, answer ARP for nothing. */
    add_flow(in, 3, ACTIONS_INGRESS, 0, 50, "ip4 && ip.ttl == {0, 1}",
             "icmp4 { eth.dst <-> eth.src; ip4.dst <-> ip4.src; "
             "ip.ttl = 255; icmp4.type = 11; icmp4.code = 0; "
             "outport = inport; flags.loopback = 1; output; };");
    add_flow(in, 3, ACTIONS_INGRESS, 0, 0, "1", "next;");
    add_flow(in, 3, ACTIONS_INGRESS, 1, 74, "ip4.dst == 10.0.1.0/24",
             "ip.ttl--; reg0 = ip4.dst; eth.src = 00:00:00:00:ff:02; "
             "outport = \"lr-sw1\"; next;");
    add_flow(in, 3, ACTIONS_INGRESS, 1, 74, "ip4.dst == 10.0.0.0/24",
             "ip.ttl--; reg0 = ip4.dst; eth.src = 00:00:00:00:ff:01; "
             "outport = \"lr-sw0\"; next;");
    add_flow(in, 3, ACTIONS_INGRESS, 2, 0, "1", "get_arp(outport, reg0); "
             "next;");
    add_flow(in, 3, ACTIONS_INGRESS, 3, 100, "eth.dst == 00:00:00:00:00:00",
             "arp { eth.dst = ff:ff:ff:ff:ff:ff; arp.op = 1; output; };");
    add_flow(in, 3, ACTIONS_INGRESS, 3, 0, "1", "output;");
    add_flow(in, 3, ACTIONS_EGRESS, 0, 0, "1", "output;");
    /* A flow that does not parse is skipped and reported. */
    add_flow(in, 3, ACTIONS_EGRESS, 1, 0, "1", "bogus;");

    struct pipeline *pl = pipeline_compile(in, symtab, NULL, NULL);
    pipeline_input_destroy(in);
    return pl;
}

static void
packet(struct symtab_flow *flow, const char *text, const struct pipeline *pl)
{
    struct expr_env env;
    pipeline_expr_env(pl, &env);
    symtab_flow_init(flow);
    char *error = expr_parse_microflow(text, &env, NULL, NULL, flow);
    if (error) {
        print_error("%s: %s\n", text, error);
        fail();
    }
}

static void
run(const struct pipeline *pl, uint32_t dp, const char *text,
    const uint32_t *ct, size_t n_ct, struct pipeline_result *res)
{
    struct symtab_flow flow;
    packet(&flow, text, pl);
    struct pipeline_ct_list list = { ct, n_ct,
                                     PIPELINE_CS_TRK | PIPELINE_CS_EST };
    struct pipeline_run_params p = {
        .ct = { pipeline_ct_list_lookup, &list }, .trace = true,
        .select_id = -1 };
    assert_int_equal(pipeline_run(pl, &p, dp, &flow, res), 0);
    symtab_flow_destroy(&flow);
}

#define L2(SRC, DST) "inport == \"" SRC "\" && eth.src == 00:00:00:00:00:0" \
    DST " && "

static void
test_compile(void **state OVS_UNUSED)
{
    struct pipeline *pl = build();
    for (size_t i = 0; pipeline_n_errors(pl) != 1
                       && i < pipeline_n_errors(pl); i++) {
        print_message("%s\n", pipeline_error(pl, i));
    }
    assert_int_equal(pipeline_n_errors(pl), 1);
    assert_non_null(strstr(pipeline_error(pl, 0), "parsing actions"));
    uint32_t key;
    assert_true(pipeline_find_datapath(pl, "sw1", &key));
    assert_int_equal(key, 2);
    assert_true(pipeline_find_datapath(pl, "3", &key));
    assert_false(pipeline_find_datapath(pl, "nope", &key));
    assert_true(pipeline_port_datapath(pl, "vm3", &key));
    assert_int_equal(key, 2);
    assert_int_equal(pipeline_port_key(pl, "sw0-lr"), 3);
    pipeline_destroy(pl);
}

static void
test_unicast_and_mask(void **state OVS_UNUSED)
{
    struct pipeline *pl = build();
    struct pipeline_result res;
    run(pl, 1, "inport == \"vm1\" && eth.src == 00:00:00:00:00:01 && "
        "eth.dst == 00:00:00:00:00:02 && arp.op == 1", NULL, 0, &res);
    assert_int_equal(res.n_outputs, 1);
    assert_string_equal(res.outputs[0].port, "vm2");
    assert_int_equal(res.n_drops, 0);
    /* eth.dst decided the output; the ARP fields did not. */
    assert_true(u128_equals(res.mask.fields[SYMTAB_F_ETH_DST],
                            u128_low_mask(48)));
    assert_true(u128_is_zero(res.mask.fields[SYMTAB_F_ARP_SPA]));
    struct ds s = DS_EMPTY_INITIALIZER;
    pipeline_trace_format(&res, PIPELINE_TRACE_MINIMAL, &s);
    assert_string_equal(ds_cstr(&s), "output(\"vm2\");\n");
    ds_clear(&s);
    pipeline_trace_format(&res, PIPELINE_TRACE_DETAILED, &s);
    assert_non_null(strstr(ds_cstr(&s), "ingress(dp=\"sw0\", "
                           "inport=\"vm1\")\n---"));
    assert_non_null(strstr(ds_cstr(&s), " 3. stage (?): eth.dst == "
                           "00:00:00:00:00:02, priority 50, uuid 01234567"));
    ds_destroy(&s);
    pipeline_result_destroy(&res);
    pipeline_destroy(pl);
}

static void
test_drops(void **state OVS_UNUSED)
{
    struct pipeline *pl = build();
    struct pipeline_result res;

    /* No flow for an unknown destination: dropped in table 3. */
    run(pl, 1, L2("vm1", "1") "eth.dst == 00:00:00:00:00:99 && arp.op == 1",
        NULL, 0, &res);
    assert_int_equal(res.n_outputs, 0);
    assert_int_equal(res.n_drops, 1);
    assert_int_equal(res.drops[0].table, 3);
    assert_null(res.drops[0].flow_uuid);
    pipeline_result_destroy(&res);

    /* Port security: vm2 may only send from 10.0.0.2. */
    run(pl, 1, L2("vm2", "2") "eth.dst == 00:00:00:00:00:01 && "
        "ip4.src == 10.0.0.9 && ip4.dst == 10.0.0.1 && ip.ttl == 64",
        NULL, 0, &res);
    assert_int_equal(res.n_outputs, 0);
    assert_int_equal(res.drops[0].table, 0);
    assert_string_equal(res.drops[0].flow_uuid, "0123456789abcdef");
    pipeline_result_destroy(&res);

    /* The address set blocks 192.168/16 with one flow. */
    run(pl, 1, L2("vm1", "1") "eth.dst == 00:00:00:00:00:02 && "
        "ip4.src == 10.0.0.1 && ip4.dst == 192.168.3.4 && ip.ttl == 64",
        NULL, 0, &res);
    assert_int_equal(res.n_outputs, 0);
    assert_int_equal(res.drops[0].table, 1);
    pipeline_result_destroy(&res);
    pipeline_destroy(pl);
}

static void
test_flood(void **state OVS_UNUSED)
{
    struct pipeline *pl = build();
    struct pipeline_result res;
    run(pl, 1, L2("vm1", "1") "eth.dst == ff:ff:ff:ff:ff:ff && arp.op == 1",
        NULL, 0, &res);
    /* vm2 gets it; vm1 is the input port; sw0-lr leads into the router,
     * which has no flow for ARP beyond table 3's output to an empty
     * outport. */
    assert_int_equal(res.n_outputs, 1);
    assert_string_equal(res.outputs[0].port, "vm2");
    struct ds s = DS_EMPTY_INITIALIZER;
    pipeline_trace_format(&res, PIPELINE_TRACE_DETAILED, &s);
    assert_non_null(strstr(ds_cstr(&s), "multicast(dp=\"sw0\", "
                           "mcgroup=\"_MC_flood\")"));
    /* Laid out as ovn-trace: the members indented under the group, the
     * input port's with an egress section holding only the omission. */
    assert_non_null(strstr(ds_cstr(&s),
                           "\n    egress(dp=\"sw0\", inport=\"vm1\", "
                           "outport=\"vm1\")\n    -----"));
    assert_non_null(strstr(ds_cstr(&s), "\n            /* omitting output "
                           "because inport == outport && !flags.loopback "
                           "*/\n"));
    assert_non_null(strstr(ds_cstr(&s),
                           "\n    egress(dp=\"sw0\", inport=\"vm1\", "
                           "outport=\"vm2\")\n"));
    ds_clear(&s);
    pipeline_trace_format(&res, PIPELINE_TRACE_SUMMARY, &s);
    assert_non_null(strstr(ds_cstr(&s),
                           "        egress(dp=\"sw0\", inport=\"vm1\", "
                           "outport=\"vm1\") {\n            /* omitting "
                           "output because inport == outport && "
                           "!flags.loopback */;\n        };\n"));
    ds_destroy(&s);
    pipeline_result_destroy(&res);
    pipeline_destroy(pl);
}

static void
test_routed(void **state OVS_UNUSED)
{
    struct pipeline *pl = build();
    struct pipeline_result res;
    run(pl, 1, L2("vm1", "1") "eth.dst == 00:00:00:00:ff:01 && "
        "ip4.src == 10.0.0.1 && ip4.dst == 10.0.1.3 && ip.ttl == 64 && "
        "udp.src == 1 && udp.dst == 2", NULL, 0, &res);
    assert_int_equal(res.n_outputs, 1);
    const struct pipeline_output *o = &res.outputs[0];
    assert_string_equal(o->port, "vm3");
    assert_int_equal(o->dp_key, 2);
    assert_int_equal(o->flow.fields[SYMTAB_F_IP_TTL].lo, 63);
    assert_int_equal(o->flow.fields[SYMTAB_F_ETH_DST].lo, 3);
    assert_int_equal(o->flow.fields[SYMTAB_F_ETH_SRC].lo, 0xff02);
    /* Registers do not cross the patch port. */
    assert_int_equal(o->flow.fields[SYMTAB_F_REG0].lo, 0);
    /* The route matched ip4.dst/24, but "reg0 = ip4.dst" and get_arp()
     * made the whole address matter; ip.ttl-- read the TTL. */
    assert_true(u128_equals(res.mask.fields[SYMTAB_F_IP4_DST],
                            u128_low_mask(32)));
    assert_true(u128_equals(res.mask.fields[SYMTAB_F_IP_TTL],
                            u128_low_mask(8)));
    assert_true(u128_is_zero(res.mask.fields[SYMTAB_F_TP_SRC]));
    struct ds s = DS_EMPTY_INITIALIZER;
    pipeline_trace_format(&res, PIPELINE_TRACE_MINIMAL, &s);
    assert_string_equal(ds_cstr(&s),
                        "ip.ttl--;\n"
                        "eth.src = 00:00:00:00:ff:02;\n"
                        "eth.dst = 00:00:00:00:00:03;\n"
                        "output(\"vm3\");\n");
    ds_destroy(&s);
    pipeline_result_destroy(&res);

    /* No MAC binding for 10.0.1.4: the router sends an ARP request,
     * which floods... to nothing in sw1 but vm3. */
    run(pl, 1, L2("vm1", "1") "eth.dst == 00:00:00:00:ff:01 && "
        "ip4.src == 10.0.0.1 && ip4.dst == 10.0.1.4 && ip.ttl == 64",
        NULL, 0, &res);
    assert_int_equal(res.n_outputs, 0);
    pipeline_result_destroy(&res);

    /* TTL 1: an ICMP time exceeded comes back to vm1. */
    run(pl, 1, L2("vm1", "1") "eth.dst == 00:00:00:00:ff:01 && "
        "ip4.src == 10.0.0.1 && ip4.dst == 10.0.1.3 && ip.ttl == 1",
        NULL, 0, &res);
    assert_int_equal(res.n_outputs, 1);
    assert_string_equal(res.outputs[0].port, "vm1");
    assert_int_equal(res.outputs[0].n_via, 1);
    assert_string_equal(res.outputs[0].via[0], "icmp4");
    assert_int_equal(res.outputs[0].flow.fields[SYMTAB_F_ICMP_TYPE].lo, 11);
    assert_int_equal(res.outputs[0].flow.fields[SYMTAB_F_IP4_DST].lo,
                     0x0a000001);
    pipeline_result_destroy(&res);
    pipeline_destroy(pl);
}

/* pipeline_check_mask() accepts the engine's mask for a routed packet
 * and catches one that leaves out a field the route depends on. */
static void
test_check_mask(void **state OVS_UNUSED)
{
    struct pipeline *pl = build();
    const char *text = L2("vm1", "1") "eth.dst == 00:00:00:00:ff:01 && "
        "ip4.src == 10.0.0.1 && ip4.dst == 10.0.1.3 && ip.ttl == 64 && "
        "udp.src == 1 && udp.dst == 2";
    struct symtab_flow flow;
    packet(&flow, text, pl);
    struct pipeline_run_params p = { .select_id = -1 };
    struct pipeline_result res;
    assert_int_equal(pipeline_run(pl, &p, 1, &flow, &res), 0);
    assert_int_equal(res.n_outputs, 1);
    unsigned int n_bits = pipeline_mask_n_bits(&res.mask);
    assert_true(n_bits > 0 && n_bits < 300);

    struct ds report = DS_EMPTY_INITIALIZER;
    size_t n_runs;
    assert_int_equal(pipeline_check_mask(pl, &p, 1, &flow, &res, &report,
                                         &n_runs), 0);
    assert_true(n_runs > 100);
    assert_string_equal(ds_cstr(&report), "");

    /* Without ip4.dst in it, another destination would reuse the
     * result. */
    res.mask.fields[SYMTAB_F_IP4_DST] = u128_zero();
    assert_true(pipeline_check_mask(pl, &p, 1, &flow, &res, &report,
                                    &n_runs) > 0);
    assert_non_null(strstr(ds_cstr(&report), "unsafe mask: flipping "
                           "IP4_DST^"));
    ds_clear(&report);
    pipeline_mask_format(&res.mask, &report);
    assert_null(strstr(ds_cstr(&report), "IP4_DST"));
    assert_non_null(strstr(ds_cstr(&report), "ETH_DST/48"));
    ds_destroy(&report);
    pipeline_result_destroy(&res);
    symtab_flow_destroy(&flow);
    pipeline_destroy(pl);
}

static void
test_conntrack(void **state OVS_UNUSED)
{
    struct pipeline *pl = build();
    struct pipeline_result res;
    const char *flow = L2("vm3", "3") "eth.dst == 00:00:00:00:ff:02 && "
        "ip4.src == 10.0.1.3 && ip4.dst == 10.0.0.1 && ip.ttl == 64";
    /* vm3 is in port group @pg: its IPv4 goes through ct_next; a new
     * connection is dropped, an established one goes through. */
    uint32_t new_state = PIPELINE_CS_TRK | PIPELINE_CS_NEW;
    run(pl, 2, flow, &new_state, 1, &res);
    assert_int_equal(res.n_outputs, 0);
    struct ds s = DS_EMPTY_INITIALIZER;
    pipeline_trace_format(&res, PIPELINE_TRACE_MINIMAL, &s);
    assert_string_equal(ds_cstr(&s), "ct_next(ct_state=new|trk);\n");
    ds_destroy(&s);
    pipeline_result_destroy(&res);

    run(pl, 2, flow, NULL, 0, &res);
    if (res.n_outputs != 1) {
        struct ds d = DS_EMPTY_INITIALIZER;
        pipeline_trace_format(&res, PIPELINE_TRACE_DETAILED, &d);
        print_message("%s", ds_cstr(&d));
        ds_destroy(&d);
    }
    assert_int_equal(res.n_outputs, 1);
    assert_string_equal(res.outputs[0].port, "vm1");
    pipeline_result_destroy(&res);
    pipeline_destroy(pl);
}

static void
test_ct_flags(void **state OVS_UNUSED)
{
    uint32_t bits;
    char *error = pipeline_ct_parse_flags("est,rpl", &bits);
    assert_null(error);
    assert_int_equal(bits, PIPELINE_CS_TRK | PIPELINE_CS_EST
                     | PIPELINE_CS_RPL);
    struct ds s = DS_EMPTY_INITIALIZER;
    pipeline_ct_format_flags(bits, &s);
    assert_string_equal(ds_cstr(&s), "est|rpl|trk");
    ds_destroy(&s);
    error = pipeline_ct_parse_flags("new bogus", &bits);
    assert_non_null(error);
    assert_non_null(strstr(error, "bogus"));
    free(error);
}

/* A table of thousands of per-port flows plus a set is indexed: the
 * right flow wins, and the set is filed once per member. */
static void
test_large_table(void **state OVS_UNUSED)
{
    enum { N = 3000 };
    struct pipeline_input *in = pipeline_input_create();
    pipeline_input_add_datapath(in, 1, "big", false);
    const char *members[N];
    char *names[N];
    for (int i = 0; i < N; i++) {
        names[i] = xasprintf("p%d", i);
        members[i] = names[i];
        add_port(in, names[i], 1, i + 1, "", NULL);
        char *m = xasprintf("inport == \"p%d\" && eth.src == "
                            "00:00:00:00:%02x:%02x", i, i >> 8, i & 0xff);
        char *a = xasprintf("reg0 = %d; next;", i);
        add_flow(in, 1, ACTIONS_INGRESS, 0, 50, m, a);
        free(m);
        free(a);
    }
    pipeline_input_add_port_group(in, "all", members, N);
    add_flow(in, 1, ACTIONS_INGRESS, 1, 10, "inport == @all && ip4 && "
             "ip4.src == {10.0.0.0/8, 172.16.0.0/12}", "next;");
    add_flow(in, 1, ACTIONS_INGRESS, 2, 0, "reg0 == 2999",
             "outport = \"p0\"; output;");
    add_flow(in, 1, ACTIONS_EGRESS, 0, 0, "1", "output;");
    struct pipeline *pl = pipeline_compile(in, symtab, NULL, NULL);
    pipeline_input_destroy(in);
    assert_int_equal(pipeline_n_errors(pl), 0);

    struct pipeline_result res;
    long long start = time_msec();
    for (int k = 0; k < 1000; k++) {
        run(pl, 1, "inport == \"p2999\" && eth.src == 00:00:00:00:0b:b7 && "
            "ip4.src == 172.17.0.1 && ip4.dst == 1.1.1.1 && ip.ttl == 9",
            NULL, 0, &res);
        assert_int_equal(res.n_outputs, 1);
        pipeline_result_destroy(&res);
    }
    /* A linear scan of 3000 flows x 1000 packets under ASan would take
     * seconds; the index keeps it far below. */
    assert_true(time_msec() - start < 5000);
    run(pl, 1, "inport == \"p2999\" && eth.src == 00:00:00:00:0b:b7 && "
        "ip4.src == 11.0.0.1 && ip4.dst == 1.1.1.1 && ip.ttl == 9",
        NULL, 0, &res);
    assert_int_equal(res.n_outputs, 0);
    assert_int_equal(res.drops[0].table, 1);
    pipeline_result_destroy(&res);
    pipeline_destroy(pl);
    for (int i = 0; i < N; i++) {
        free(names[i]);
    }
}

/* A one-switch pipeline for the tests below: ports "a" (port security
 * 00:00:00:00:00:01 10.0.0.1) and "b", and flows 'flows' (pairs of
 * "TABLE PRIORITY MATCH" and actions; egress tables are 10 + N). */
static struct pipeline *
build_simple(const char *const *flows, size_t n)
{
    struct pipeline_input *in = pipeline_input_create();
    pipeline_input_add_datapath(in, 1, "sw", false);
    const char *ps[] = { "00:00:00:00:00:01 10.0.0.1/24" };
    struct pipeline_port_desc a = { .name = "a", .dp_key = 1, .key = 1,
                                    .port_security = ps,
                                    .n_port_security = 1 };
    pipeline_input_add_port(in, &a);
    add_port(in, "b", 1, 2, "", NULL);
    for (size_t i = 0; i < n; i += 3) {
        unsigned int table = atoi(flows[i]);
        add_flow(in, 1, table >= 10 ? ACTIONS_EGRESS : ACTIONS_INGRESS,
                 table % 10, 100 - i, flows[i + 1], flows[i + 2]);
    }
    add_flow(in, 1, ACTIONS_EGRESS, 0, 0, "1", "output;");
    struct pipeline *pl = pipeline_compile(in, symtab, NULL, NULL);
    pipeline_input_destroy(in);
    assert_int_equal(pipeline_n_errors(pl), 0);
    return pl;
}

static size_t
run_outputs(const struct pipeline *pl, const char *flow,
            const struct pipeline_run_params *p, struct pipeline_result *res)
{
    struct symtab_flow f;
    packet(&f, flow, pl);
    assert_int_equal(pipeline_run(pl, p, 1, &f, res), 0);
    symtab_flow_destroy(&f);
    return res->n_outputs;
}

static void
test_port_security(void **state OVS_UNUSED)
{
    static const char *const flows[] = {
        "0", "1", "reg0[15] = check_in_port_sec(); next;",
        "1", "reg0[15] == 1", "drop;",
        "1", "1", "outport = \"b\"; output;",
    };
    struct pipeline *pl = build_simple(flows, ARRAY_SIZE(flows));
    struct pipeline_run_params p = { .select_id = -1 };
    struct pipeline_result res;
    static const struct {
        const char *flow;
        size_t n_outputs;
    } cases[] = {
        { L2("a", "1") "eth.dst == 00:00:00:00:00:02 && ip4.src == 10.0.0.1"
          " && ip4.dst == 10.0.0.2 && ip.ttl == 64", 1 },
        /* Another address of the /24: a host address only. */
        { L2("a", "1") "eth.dst == 00:00:00:00:00:02 && ip4.src == 10.0.0.9"
          " && ip4.dst == 10.0.0.2 && ip.ttl == 64", 0 },
        { "inport == \"a\" && eth.src == 00:00:00:00:00:09 && eth.dst == "
          "00:00:00:00:00:02 && arp.op == 1", 0 },
        { L2("a", "1") "eth.dst == ff:ff:ff:ff:ff:ff && arp.op == 1 && "
          "arp.sha == 00:00:00:00:00:01 && arp.spa == 10.0.0.7", 0 },
        { L2("a", "1") "eth.dst == ff:ff:ff:ff:ff:ff && arp.op == 1 && "
          "arp.sha == 00:00:00:00:00:01 && arp.spa == 10.0.0.1", 1 },
        /* DHCP discover from 0.0.0.0 is allowed. */
        { L2("a", "1") "eth.dst == ff:ff:ff:ff:ff:ff && ip4.src == 0.0.0.0 "
          "&& ip4.dst == 255.255.255.255 && udp.src == 68 && udp.dst == 67 "
          "&& ip.ttl == 64", 1 },
        /* Port "b" has no port security. */
        { "inport == \"b\" && eth.src == 00:00:00:00:00:09 && eth.dst == "
          "00:00:00:00:00:01 && ip4.src == 1.2.3.4 && ip4.dst == 10.0.0.1 && "
          "ip.ttl == 64", 0 /* outport "b" is the inport */ },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        size_t n = run_outputs(pl, cases[i].flow, &p, &res);
        if (n != cases[i].n_outputs) {
            print_error("case %zu: %zu outputs\n", i, n);
        }
        assert_int_equal(n, cases[i].n_outputs);
        assert_true(n || res.n_drops);
        pipeline_result_destroy(&res);
    }
    pipeline_destroy(pl);
}

static void
test_reject_and_select(void **state OVS_UNUSED)
{
    static const char *const flows[] = {
        "0", "udp.dst == 53", "reject { outport <-> inport; "
        "next(pipeline=egress, table=0); };",
        "0", "ip4", "reg1 = select(1, 2, 3);",
        "1", "reg1 == 2", "outport = \"b\"; output;",
    };
    struct pipeline *pl = build_simple(flows, ARRAY_SIZE(flows));
    struct pipeline_run_params p = { .select_id = 2, .trace = true };
    struct pipeline_result res;

    /* reject answers with an ICMP port unreachable, addresses swapped. */
    const char *udp = L2("a", "1") "eth.dst == 00:00:00:00:00:02 && "
        "ip4.src == 10.0.0.1 && ip4.dst == 10.0.0.2 && ip.ttl == 64 && "
        "udp.dst == 53";
    assert_int_equal(run_outputs(pl, udp, &p, &res), 1);
    const struct pipeline_output *o = &res.outputs[0];
    assert_string_equal(o->port, "a");
    assert_int_equal(o->n_via, 1);
    assert_string_equal(o->via[0], "icmp4");
    assert_int_equal(o->flow.fields[SYMTAB_F_IP4_DST].lo, 0x0a000001);
    assert_int_equal(o->flow.fields[SYMTAB_F_ETH_DST].lo, 1);
    assert_int_equal(o->flow.fields[SYMTAB_F_ICMP_TYPE].lo, 3);
    assert_int_equal(o->flow.fields[SYMTAB_F_ICMP_CODE].lo, 3);
    pipeline_result_destroy(&res);

    /* select() picks --select-id's member and resubmits. */
    const char *ip = L2("a", "1") "eth.dst == 00:00:00:00:00:02 && "
        "ip4.src == 10.0.0.1 && ip4.dst == 10.0.0.2 && ip.ttl == 64";
    assert_int_equal(run_outputs(pl, ip, &p, &res), 1);
    struct ds s = DS_EMPTY_INITIALIZER;
    pipeline_trace_format(&res, PIPELINE_TRACE_MINIMAL, &s);
    assert_string_equal(ds_cstr(&s), "select: reg1 = 2 {\n"
                        "    output(\"b\");\n};\n");
    ds_destroy(&s);
    pipeline_result_destroy(&res);
    p.select_id = 3;
    assert_int_equal(run_outputs(pl, ip, &p, &res), 0);
    assert_int_equal(res.drops[0].table, 1);
    pipeline_result_destroy(&res);
    pipeline_destroy(pl);
}

static void
test_load_balancer(void **state OVS_UNUSED)
{
    static const char *const flows[] = {
        "0", "tcp", "ct_lb_mark(backends=10.0.0.7:80,10.0.0.8:8080);",
        "1", "ip4.dst == 10.0.0.8 && tcp.dst == 8080",
        "outport = \"b\"; output;",
    };
    struct pipeline *pl = build_simple(flows, ARRAY_SIZE(flows));
    struct pipeline_run_params p = { .select_id = -1 };
    struct pipeline_result res;
    const char *tcp = L2("a", "1") "eth.dst == 00:00:00:00:00:02 && "
        "ip4.src == 10.0.0.1 && ip4.dst == 10.0.0.100 && ip.ttl == 64 && "
        "tcp.dst == 80";
    /* Without --lb-dst, the first backend: no flow for it. */
    assert_int_equal(run_outputs(pl, tcp, &p, &res), 0);
    pipeline_result_destroy(&res);
    p.lb_dst_family = 4;
    p.lb_dst_ip = u128_from_u64(0x0a000008);
    assert_int_equal(run_outputs(pl, tcp, &p, &res), 1);
    assert_int_equal(res.outputs[0].flow.fields[SYMTAB_F_TP_DST].lo, 8080);
    assert_int_equal(res.outputs[0].flow.fields[SYMTAB_F_CT_STATE].lo,
                     PIPELINE_CS_TRK | PIPELINE_CS_NEW | PIPELINE_CS_DNAT);
    pipeline_result_destroy(&res);
    pipeline_destroy(pl);
}

static void
test_dhcp(void **state OVS_UNUSED)
{
    static const char *const flows[] = {
        "0", "udp.src == 68 && udp.dst == 67",
        "reg0[3] = put_dhcp_opts(offerip = 10.0.0.1, router = 10.0.0.254, "
        "lease_time = 3600); next;",
        "1", "reg0[3] == 1", "eth.dst = eth.src; eth.src = "
        "00:00:00:00:00:fe; udp.src = 67; udp.dst = 68; outport = inport; "
        "flags.loopback = 1; output;",
    };
    struct pipeline *pl = build_simple(flows, ARRAY_SIZE(flows));
    struct pipeline_run_params p = { .select_id = -1, .trace = true };
    struct pipeline_result res;
    assert_int_equal(run_outputs(pl, L2("a", "1") "eth.dst == "
                                 "ff:ff:ff:ff:ff:ff && ip4.src == 0.0.0.0 && "
                                 "ip4.dst == 255.255.255.255 && udp.src == 68 "
                                 "&& udp.dst == 67 && ip.ttl == 64", &p,
                                 &res), 1);
    const struct pipeline_output *o = &res.outputs[0];
    assert_string_equal(o->port, "a");
    assert_int_equal(o->flow.fields[SYMTAB_F_TP_SRC].lo, 67);
    /* The reply's options are there for whoever builds the payload. */
    assert_int_equal(o->n_payload_actions, 1);
    const struct action *dhcp = o->payload_actions[0];
    assert_int_equal(dhcp->type, ACTION_PUT_DHCPV4_OPTS);
    assert_int_equal(dhcp->opts.n_opts, 3);
    assert_string_equal(dhcp->opts.opts[0].option->name, "offerip");
    struct ds s = DS_EMPTY_INITIALIZER;
    pipeline_trace_format(&res, PIPELINE_TRACE_MINIMAL, &s);
    assert_non_null(strstr(ds_cstr(&s), "put_dhcp_opts(offerip = 10.0.0.1, "
                           "router = 10.0.0.254, lease_time = 3600);\n"));
    ds_destroy(&s);
    pipeline_result_destroy(&res);
    pipeline_destroy(pl);
}

static void
test_fdb(void **state OVS_UNUSED)
{
    struct pipeline_input *in = pipeline_input_create();
    pipeline_input_add_datapath(in, 1, "sw", false);
    add_port(in, "a", 1, 1, "", NULL);
    add_port(in, "b", 1, 2, "", NULL);
    pipeline_input_add_fdb(in, 1, "00:00:00:00:00:0b", 2);
    pipeline_input_add_fdb(in, 1, "00:00:00:00:00:0c", 9);   /* No port. */
    pipeline_input_add_fdb(in, 1, "bad", 1);
    add_flow(in, 1, ACTIONS_INGRESS, 0, 1, "1",
             "reg0[11] = lookup_fdb(inport, eth.src); next;");
    add_flow(in, 1, ACTIONS_INGRESS, 1, 1, "1",
             "outport = get_fdb(eth.dst); next;");
    add_flow(in, 1, ACTIONS_INGRESS, 2, 3, "reg0[11] == 1 && outport == "
             "\"none\"", "outport = \"a\"; output;");
    add_flow(in, 1, ACTIONS_INGRESS, 2, 2, "outport == \"none\"", "drop;");
    add_flow(in, 1, ACTIONS_INGRESS, 2, 1, "1", "output;");
    add_flow(in, 1, ACTIONS_EGRESS, 0, 0, "1", "output;");
    struct pipeline *pl = pipeline_compile(in, symtab, NULL, NULL);
    pipeline_input_destroy(in);
    for (size_t i = 0; i < pipeline_n_errors(pl); i++) {
        print_error("%s\n", pipeline_error(pl, i));
    }
    assert_int_equal(pipeline_n_errors(pl), 0);
    struct pipeline_run_params p = { .select_id = -1 };
    struct pipeline_result res;

    /* To a learnt MAC: its port. */
    assert_int_equal(run_outputs(pl, "inport == \"a\" && eth.src == "
                                 "00:00:00:00:00:0a && eth.dst == "
                                 "00:00:00:00:00:0b", &p, &res), 1);
    assert_string_equal(res.outputs[0].port, "b");
    assert_int_equal(res.mask.fields[SYMTAB_F_ETH_DST].lo,
                     0xffffffffffffULL);
    pipeline_result_destroy(&res);
    /* To a MAC learnt on a port that does not exist: "none", dropped. */
    assert_int_equal(run_outputs(pl, "inport == \"a\" && eth.src == "
                                 "00:00:00:00:00:0a && eth.dst == "
                                 "00:00:00:00:00:0c", &p, &res), 0);
    pipeline_result_destroy(&res);
    /* From a MAC learnt on its input port: lookup_fdb is 1. */
    assert_int_equal(run_outputs(pl, "inport == \"b\" && eth.src == "
                                 "00:00:00:00:00:0b && eth.dst == "
                                 "00:00:00:00:00:0d", &p, &res), 1);
    assert_string_equal(res.outputs[0].port, "a");
    pipeline_result_destroy(&res);
    /* ...and 0 from another port. */
    assert_int_equal(run_outputs(pl, "inport == \"a\" && eth.src == "
                                 "00:00:00:00:00:0b && eth.dst == "
                                 "00:00:00:00:00:0d", &p, &res), 0);
    pipeline_result_destroy(&res);
    pipeline_destroy(pl);
}

/* A DHCP request of 'type' from 00:00:00:00:00:01 in 'out'. */
static void
dhcp_request(int type, uint16_t flags, struct ds *out)
{
    struct dhcp_msg m = { .op = DHCP_OP_REQUEST, .htype = 1, .hlen = 6,
                          .xid = 0x1234, .flags = flags,
                          .chaddr = { 0, 0, 0, 0, 0, 1 } };
    dhcp_put_header(out, &m);
    uint8_t t = type;
    dhcp_put_option(out, DHCP_OPT_MSG_TYPE, &t, 1);
    dhcp_put_end(out);
}

static void
test_dhcp_payload(void **state OVS_UNUSED)
{
    static const char *const flows[] = {
        "0", "udp.src == 68 && udp.dst == 67",
        "reg0[3] = put_dhcp_opts(offerip = 10.0.0.1, router = 10.0.0.254, "
        "next_server = 10.0.0.9, lease_time = 3600); next;",
        "1", "reg0[3] == 1", "eth.dst = eth.src; eth.src = "
        "00:00:00:00:00:fe; udp.src = 67; udp.dst = 68; outport = inport; "
        "flags.loopback = 1; output;",
        "1", "reg0[3] == 0", "outport = \"b\"; output;",
    };
    struct pipeline *pl = build_simple(flows, ARRAY_SIZE(flows));
    const char *flow = L2("a", "1") "eth.dst == ff:ff:ff:ff:ff:ff && "
        "ip4.src == 0.0.0.0 && ip4.dst == 255.255.255.255 && udp.src == 68 "
        "&& udp.dst == 67 && ip.ttl == 64";
    struct ds req = DS_EMPTY_INITIALIZER;
    dhcp_request(DHCP_MSG_DISCOVER, 0, &req);
    struct pipeline_run_params p = {
        .select_id = -1, .payload = (const uint8_t *) req.string,
        .payload_len = req.length };
    struct pipeline_result res;
    assert_int_equal(run_outputs(pl, flow, &p, &res), 1);
    assert_true(res.payload_read);
    const struct pipeline_output *o = &res.outputs[0];
    assert_string_equal(o->port, "a");
    /* Unicast to the offered address (no broadcast flag). */
    assert_int_equal(o->flow.fields[SYMTAB_F_IP4_DST].lo, 0x0a000001);
    struct dhcp_msg rep;
    assert_null(dhcp_parse(o->payload, o->payload_len, &rep));
    assert_int_equal(dhcp_msg_type(&rep), DHCP_MSG_OFFER);
    assert_int_equal(rep.op, DHCP_OP_REPLY);
    assert_int_equal(rep.xid, 0x1234);
    assert_int_equal(rep.yiaddr, 0x0a000001);
    assert_int_equal(rep.siaddr, 0x0a000009);
    assert_int_equal(rep.chaddr[5], 1);
    /* Type, next_server (253, as OVN sends it too), router, lease. */
    assert_int_equal(rep.n_options, 4);
    assert_int_equal(rep.options[1].code, 253);
    dhcp_msg_destroy(&rep);
    struct ds frame = DS_EMPTY_INITIALIZER;
    assert_int_equal(pipeline_output_frame(o, &frame), 0);
    assert_int_equal(frame.length, 14 + 20 + 8 + o->payload_len);
    ds_destroy(&frame);
    pipeline_result_destroy(&res);

    /* A release, or garbage, is not answered: result 0, forwarded with
     * its payload unchanged. */
    ds_clear(&req);
    dhcp_request(DHCP_MSG_RELEASE, 0, &req);
    p.payload = (const uint8_t *) req.string;
    p.payload_len = req.length;
    assert_int_equal(run_outputs(pl, flow, &p, &res), 1);
    assert_string_equal(res.outputs[0].port, "b");
    assert_int_equal(res.outputs[0].payload_len, req.length);
    assert_memory_equal(res.outputs[0].payload, req.string, req.length);
    pipeline_result_destroy(&res);
    p.payload_len = 100;
    assert_int_equal(run_outputs(pl, flow, &p, &res), 1);
    assert_string_equal(res.outputs[0].port, "b");
    pipeline_result_destroy(&res);

    /* A broadcast-flag request is answered by broadcast. */
    ds_clear(&req);
    dhcp_request(DHCP_MSG_DISCOVER, DHCP_FLAG_BROADCAST, &req);
    p.payload = (const uint8_t *) req.string;
    p.payload_len = req.length;
    assert_int_equal(run_outputs(pl, flow, &p, &res), 1);
    assert_int_equal(res.outputs[0].flow.fields[SYMTAB_F_IP4_DST].lo,
                     0xffffffff);
    pipeline_result_destroy(&res);
    ds_destroy(&req);
    pipeline_destroy(pl);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compile),
        cmocka_unit_test(test_unicast_and_mask),
        cmocka_unit_test(test_drops),
        cmocka_unit_test(test_flood),
        cmocka_unit_test(test_routed),
        cmocka_unit_test(test_conntrack),
        cmocka_unit_test(test_ct_flags),
        cmocka_unit_test(test_check_mask),
        cmocka_unit_test(test_large_table),
        cmocka_unit_test(test_port_security),
        cmocka_unit_test(test_reject_and_select),
        cmocka_unit_test(test_load_balancer),
        cmocka_unit_test(test_dhcp),
        cmocka_unit_test(test_dhcp_payload),
        cmocka_unit_test(test_fdb),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
