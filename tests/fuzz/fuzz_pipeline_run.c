/* fuzz_pipeline_run: libFuzzer target for the pipeline engine (pipeline/):
 * ovn-trace's microflow reading followed by a run through a fixed
 * topology of two switches and a router, with tracing, and the three
 * trace layouts.
 *
 * The input's first byte picks the conntrack state the model answers
 * (its bits are ct_state bits); the rest, up to a NUL byte, is the
 * microflow.  Besides not crashing, the target checks that every output
 * names a port of the topology and that a run with no output records at
 * least one drop. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ds.h"
#include "expr/expr.h"
#include "pipeline/pipeline.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_flow {
    uint32_t dp;
    enum actions_pipeline pipeline;
    unsigned int table, priority;
    const char *match, *actions;
};

static const struct fuzz_flow fuzz_flows[] = {
    { 1, ACTIONS_INGRESS, 0, 100, "eth.src[40]", "drop;" },
    { 1, ACTIONS_INGRESS, 0, 50, "1", "reg0[15] = check_in_port_sec(); "
      "next;" },
    { 1, ACTIONS_INGRESS, 1, 100, "reg0[15] == 1", "drop;" },
    { 1, ACTIONS_INGRESS, 1, 50, "ip && inport == @pg", "ct_next;" },
    { 1, ACTIONS_INGRESS, 1, 0, "1", "next;" },
    { 1, ACTIONS_INGRESS, 2, 100, "ct.est", "next;" },
    { 1, ACTIONS_INGRESS, 2, 90, "ct.new && tcp.dst == 80",
      "ct_lb_mark(backends=10.0.1.3:8080,10.0.1.4:8080);" },
    { 1, ACTIONS_INGRESS, 2, 80, "ct.new && ip4.src == $as",
      "reject { outport <-> inport; next(pipeline=egress, table=1); };" },
    { 1, ACTIONS_INGRESS, 2, 0, "1", "next;" },
    { 1, ACTIONS_INGRESS, 3, 100, "arp.op == 1 && arp.tpa == 10.0.0.1",
      "eth.dst = eth.src; eth.src = 00:00:00:00:ff:01; arp.op = 2; "
      "arp.tha = arp.sha; arp.sha = 00:00:00:00:ff:01; "
      "arp.tpa <-> arp.spa; outport = inport; flags.loopback = 1; "
      "output;" },
    { 1, ACTIONS_INGRESS, 3, 90, "udp.src == 68 && udp.dst == 67",
      "reg0[3] = put_dhcp_opts(offerip = 10.0.0.5, router = 10.0.0.1, "
      "netmask = 255.255.255.0, lease_time = 3600); next;" },
    { 1, ACTIONS_INGRESS, 3, 0, "1", "next;" },
    { 1, ACTIONS_INGRESS, 4, 70, "eth.bcast",
      "outport = \"_MC_flood\"; output;" },
    { 1, ACTIONS_INGRESS, 4, 50, "eth.dst == 00:00:00:00:00:01",
      "outport = \"vm1\"; output;" },
    { 1, ACTIONS_INGRESS, 4, 50, "eth.dst == 00:00:00:00:00:02",
      "outport = \"vm2\"; output;" },
    { 1, ACTIONS_INGRESS, 4, 50, "eth.dst == 00:00:00:00:ff:01",
      "outport = \"sw0-lr\"; output;" },
    { 1, ACTIONS_INGRESS, 4, 0, "1", "outport = get_fdb(eth.dst); next;" },
    { 1, ACTIONS_INGRESS, 5, 0, "1", "output;" },
    { 1, ACTIONS_EGRESS, 0, 0, "1", "next;" },
    { 1, ACTIONS_EGRESS, 1, 0, "1", "reg0[15] = check_out_port_sec(); "
      "next;" },
    { 1, ACTIONS_EGRESS, 2, 100, "reg0[15] == 1", "drop;" },
    { 1, ACTIONS_EGRESS, 2, 0, "1", "output;" },
    { 2, ACTIONS_INGRESS, 0, 0, "1", "next;" },
    { 2, ACTIONS_INGRESS, 1, 0, "1", "outport = \"vm3\"; output;" },
    { 2, ACTIONS_EGRESS, 0, 0, "1", "output;" },
    { 3, ACTIONS_INGRESS, 0, 60, "ip4 && ip.ttl == {0, 1}",
      "icmp4 { eth.dst <-> eth.src; ip4.dst <-> ip4.src; ip.ttl = 255; "
      "icmp4.type = 11; icmp4.code = 0; outport = inport; "
      "flags.loopback = 1; output; };" },
    { 3, ACTIONS_INGRESS, 0, 50, "ip6 && ip.ttl == {0, 1}",
      "icmp6 { eth.dst <-> eth.src; ip6.dst <-> ip6.src; ip.ttl = 255; "
      "icmp6.type = 3; icmp6.code = 0; outport = inport; "
      "flags.loopback = 1; output; };" },
    { 3, ACTIONS_INGRESS, 0, 0, "1", "next;" },
    { 3, ACTIONS_INGRESS, 1, 74, "ip4.dst == 10.0.1.0/24",
      "ip.ttl--; reg0 = ip4.dst; eth.src = 00:00:00:00:ff:02; "
      "outport = \"lr-sw1\"; next;" },
    { 3, ACTIONS_INGRESS, 1, 74, "ip4.dst == 10.0.0.0/24",
      "ip.ttl--; reg0 = ip4.dst; eth.src = 00:00:00:00:ff:01; "
      "outport = \"lr-sw0\"; next;" },
    { 3, ACTIONS_INGRESS, 1, 10, "ip6",
      "ip.ttl--; xxreg0 = ip6.dst; outport = \"lr-sw0\"; next;" },
    { 3, ACTIONS_INGRESS, 2, 0, "ip4", "get_arp(outport, reg0); next;" },
    { 3, ACTIONS_INGRESS, 2, 0, "ip6", "get_nd(outport, xxreg0); next;" },
    { 3, ACTIONS_INGRESS, 3, 100, "eth.dst == 00:00:00:00:00:00 && ip4",
      "arp { eth.dst = ff:ff:ff:ff:ff:ff; arp.spa = reg1; arp.tpa = reg0; "
      "arp.op = 1; output; };" },
    { 3, ACTIONS_INGRESS, 3, 100, "eth.dst == 00:00:00:00:00:00 && ip6",
      "nd_ns { nd.target = xxreg0; output; };" },
    { 3, ACTIONS_INGRESS, 3, 0, "1", "ct_dnat; ct_snat(172.16.0.1);" },
    { 3, ACTIONS_INGRESS, 4, 0, "1", "clone { next; }; output;" },
    { 3, ACTIONS_INGRESS, 5, 0, "1", "push(reg0); pop(reg1); "
      "reg2 = select(1, 2, 3);" },
    { 3, ACTIONS_EGRESS, 0, 0, "1", "output;" },
};

static struct pipeline *
fuzz_pipeline(struct symtab **symtabp)
{
    static struct pipeline *pl;
    static struct symtab *symtab;
    if (pl) {
        *symtabp = symtab;
        return pl;
    }
    symtab = symtab_create();
    struct pipeline_input *in = pipeline_input_create();
    pipeline_input_add_datapath(in, 1, "sw0", false);
    pipeline_input_add_datapath(in, 2, "sw1", false);
    pipeline_input_add_datapath(in, 3, "lr", true);
    static const char *const ps[] = { "00:00:00:00:00:02 10.0.0.2 fd00::2" };
    static const struct pipeline_port_desc ports[] = {
        { .name = "vm1", .dp_key = 1, .key = 1 },
        { .name = "vm2", .dp_key = 1, .key = 2, .port_security = ps,
          .n_port_security = 1 },
        { .name = "sw0-lr", .dp_key = 1, .key = 3, .type = "patch",
          .peer = "lr-sw0" },
        { .name = "vm3", .dp_key = 2, .key = 1 },
        { .name = "sw1-lr", .dp_key = 2, .key = 2, .type = "patch",
          .peer = "lr-sw1" },
        { .name = "lr-sw0", .dp_key = 3, .key = 1, .type = "patch",
          .peer = "sw0-lr" },
        { .name = "lr-sw1", .dp_key = 3, .key = 2, .type = "patch",
          .peer = "sw1-lr" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(ports); i++) {
        pipeline_input_add_port(in, &ports[i]);
    }
    static const char *const flood[] = { "vm1", "vm2", "sw0-lr" };
    pipeline_input_add_mcgroup(in, 1, "_MC_flood", 32768, flood, 3);
    static const char *const as[] = { "192.168.0.0/16", "10.0.0.9" };
    pipeline_input_add_address_set(in, "as", as, 2);
    static const char *const pg[] = { "vm1", "vm2" };
    pipeline_input_add_port_group(in, "1_pg", pg, 2);
    pipeline_input_add_mac_binding(in, "lr-sw1", "10.0.1.3",
                                   "00:00:00:00:00:03");
    for (size_t i = 0; i < ARRAY_SIZE(fuzz_flows); i++) {
        const struct fuzz_flow *f = &fuzz_flows[i];
        struct pipeline_flow_desc d = {
            .dp_keys = &f->dp, .n_dp_keys = 1, .pipeline = f->pipeline,
            .table = f->table, .priority = f->priority, .match = f->match,
            .actions = f->actions, .uuid = "00000000",
        };
        pipeline_input_add_flow(in, &d);
    }
    pl = pipeline_compile(in, symtab, NULL, NULL);
    pipeline_input_destroy(in);
    if (pipeline_n_errors(pl)) {
        abort();
    }
    *symtabp = symtab;
    return pl;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size) {
        return 0;
    }
    struct symtab *symtab;
    const struct pipeline *pl = fuzz_pipeline(&symtab);
    uint32_t ct = data[0];
    char *text = xmemdup0((const char *) data + 1, size - 1);

    struct expr_env env;
    pipeline_expr_env(pl, &env);
    struct symtab_flow flow;
    symtab_flow_init(&flow);
    char *error = expr_parse_microflow(text, &env, NULL, NULL, &flow);
    uint32_t dp_key;
    if (!error && flow.inport
        && pipeline_port_datapath(pl, flow.inport, &dp_key)) {
        struct pipeline_ct_list list = { &ct, 1, PIPELINE_CS_TRK };
        struct pipeline_run_params p = {
            .ct = { pipeline_ct_list_lookup, &list }, .trace = true,
            .select_id = 2 };
        struct pipeline_result res;
        if (pipeline_run(pl, &p, dp_key, &flow, &res)) {
            abort();
        }
        for (size_t i = 0; i < res.n_outputs; i++) {
            uint32_t k;
            if (!pipeline_port_datapath(pl, res.outputs[i].port, &k)) {
                abort();
            }
        }
        if (!res.n_outputs && !res.n_drops) {
            abort();
        }
        struct ds s = DS_EMPTY_INITIALIZER;
        pipeline_format_packet(pl, symtab, &flow, &s);
        for (int fmt = 0; fmt < 3; fmt++) {
            pipeline_trace_format(&res, fmt, &s);
        }
        ds_destroy(&s);
        pipeline_result_destroy(&res);
    }
    free(error);
    symtab_flow_destroy(&flow);
    free(text);
    return 0;
}
