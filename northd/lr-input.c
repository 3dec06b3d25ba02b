/* northd/lr-input: router ingress stages lr_in_admission,
 * lr_in_lookup_neighbor, lr_in_learn_neighbor and lr_in_ip_input (the
 * router's own addresses, ICMP errors, martians).  See lr-pipeline.h. */
#include "northd/lr-private.h"

#include <string.h>
#include "util.h"
#include "ovsdb/nbrec-idl.h"
#include "northd/datapaths.h"
#include "northd/northd.h"
#include "northd/ports.h"

#define ADD(STAGE, PRIO, MATCH, ACTIONS)                                   \
    lflow_add(ctx->lflows, ctx->od, STAGE, PRIO, MATCH, ACTIONS,           \
              &ctx->od->nb_uuid)
#define ADD_P(STAGE, PRIO, MATCH, ACTIONS, OP)                             \
    lflow_add_with_port(ctx->lflows, ctx->od, STAGE, PRIO, MATCH,          \
                        ACTIONS, (OP)->name, &(OP)->nb_uuid)

static void
build_admission(struct lr_ctx *ctx, const struct northd_port *op)
{
    struct ds *m = &ctx->match, *a = &ctx->actions;
    const char *mac = op->lrp_networks.ea_s;

    if (!op->enabled || !op->lrp_networks.ea_s[0]) {
        return;
    }
    ds_clear(a);
    if (lr_gateway_mtu(op)) {
        ds_put_format(a, "reg9[1] = check_pkt_larger(%d); ",
                      lr_gateway_mtu(op) + 14);
    }
    ds_put_format(a, "xreg0[0..47] = %s; next;", mac);
    ds_clear(m);
    ds_put_format(m, "eth.mcast && inport == \"%s\"", op->name);
    ADD_P(LR_IN_ADMISSION, 50, ds_cstr(m), ds_cstr(a), op);
    ds_clear(m);
    ds_put_format(m, "eth.dst == %s && inport == \"%s\"", mac, op->name);
    lr_put_resident(m, op);
    ADD_P(LR_IN_ADMISSION, 50, ds_cstr(m), ds_cstr(a), op);
}

/* options:always_learn_from_arp_request (default true). */
static bool
always_learn(const struct northd_datapath *od)
{
    const char *s = nbrec_logical_router_get_options_value(
        od->nbr, "always_learn_from_arp_request");

    return !s || strcmp(s, "false");
}

static void
build_neighbor(struct lr_ctx *ctx, const struct northd_port *op)
{
    const struct lport_addrs *n = &op->lrp_networks;
    struct ds *m = &ctx->match;
    bool learn = always_learn(ctx->od);

    for (size_t i = 0; i < n->n_ipv4; i++) {
        ds_clear(m);
        ds_put_format(m, "inport == \"%s\" && arp.spa == %s/%u && "
                      "arp.op == 1", op->name, n->ipv4[i].network_s,
                      n->ipv4[i].plen);
        lr_put_resident(m, op);
        ADD_P(LR_IN_LOOKUP_NEIGHBOR, 100, ds_cstr(m), learn
              ? "reg9[2] = lookup_arp(inport, arp.spa, arp.sha); next;"
              : "reg9[2] = lookup_arp(inport, arp.spa, arp.sha); "
                "reg9[3] = lookup_arp_ip(inport, arp.spa); next;", op);
        if (learn) {
            continue;
        }
        /* Requests for the router's own address are learnt anyway. */
        ds_clear(m);
        ds_put_format(m, "inport == \"%s\" && arp.spa == %s/%u && "
                      "arp.tpa == %s && arp.op == 1", op->name,
                      n->ipv4[i].network_s, n->ipv4[i].plen,
                      n->ipv4[i].addr_s);
        lr_put_resident(m, op);
        ADD_P(LR_IN_LOOKUP_NEIGHBOR, 110, ds_cstr(m),
              "reg9[2] = lookup_arp(inport, arp.spa, arp.sha); "
              "reg9[3] = 1; next;", op);
    }
}

static void
build_neighbor_common(struct lr_ctx *ctx)
{
    bool learn = always_learn(ctx->od);
    const char *r3 = learn ? "" : "reg9[3] = 1; ";
    struct ds *a = &ctx->actions;

    ds_clear(a);
    ds_put_format(a, "reg9[2] = lookup_arp(inport, arp.spa, arp.sha); "
                  "%snext;", r3);
    ADD(LR_IN_LOOKUP_NEIGHBOR, 100, "arp.op == 2", ds_cstr(a));
    ds_clear(a);
    ds_put_format(a, "reg9[2] = lookup_nd(inport, nd.target, nd.tll); "
                  "%snext;", r3);
    ADD(LR_IN_LOOKUP_NEIGHBOR, 100, "nd_na", ds_cstr(a));
    ADD(LR_IN_LOOKUP_NEIGHBOR, 100, "nd_ns", learn
        ? "reg9[2] = lookup_nd(inport, ip6.src, nd.sll); next;"
        : "reg9[2] = lookup_nd(inport, ip6.src, nd.sll); "
          "reg9[3] = lookup_nd_ip(inport, ip6.src); next;");
    if (!learn) {
        ADD(LR_IN_LOOKUP_NEIGHBOR, 110,
            "nd_na && ip6.src == fe80::/10 && ip6.dst == ff00::/8",
            "reg9[2] = lookup_nd(inport, ip6.src, nd.tll); "
            "reg9[3] = lookup_nd_ip(inport, ip6.src); next;");
    }
    ADD(LR_IN_LEARN_NEIGHBOR, 100,
        learn ? "reg9[2] == 1" : "reg9[2] == 1 || reg9[3] == 0", "next;");
    ADD(LR_IN_LEARN_NEIGHBOR, 95, "nd_na && nd.tll == 0",
        "put_nd(inport, nd.target, eth.src); next;");
    ADD(LR_IN_LEARN_NEIGHBOR, 95, "nd_ns && (ip6.src == 0 || nd.sll == 0)",
        "next;");
    ADD(LR_IN_LEARN_NEIGHBOR, 90, "arp",
        "put_arp(inport, arp.spa, arp.sha); next;");
    ADD(LR_IN_LEARN_NEIGHBOR, 90, "nd_na",
        "put_nd(inport, nd.target, nd.tll); next;");
    ADD(LR_IN_LEARN_NEIGHBOR, 90, "nd_ns",
        "put_nd(inport, ip6.src, nd.sll); next;");
}

static void
build_ip_input_common(struct lr_ctx *ctx)
{
    ADD(LR_IN_ADMISSION, 100, "vlan.present || eth.src[40]", "drop;");
    ADD(LR_IN_IP_INPUT, 100, "ip4.src_mcast ||ip4.src == 255.255.255.255 "
        "|| ip4.src == 127.0.0.0/8 || ip4.dst == 127.0.0.0/8 || "
        "ip4.src == 0.0.0.0/8 || ip4.dst == 0.0.0.0/8", "drop;");
    ADD(LR_IN_IP_INPUT, 85, "arp || nd", "drop;");
    ADD(LR_IN_IP_INPUT, 84, "nd_rs || nd_ra", "next;");
    ADD(LR_IN_IP_INPUT, 83, "ip6.mcast_rsvd", "drop;");
    if (ctx->od->mcast_relay) {
        ADD(LR_IN_IP_INPUT, 82, "ip4.mcast || ip6.mcast", "next;");
        ADD(LR_IN_IP_INPUT, 120, "igmp && ip.ttl == 1", "next;");
        ADD(LR_IN_IP_INPUT, 120, "(mldv1 || mldv2) && ip.ttl == 1",
            "next;");
    } else {
        ADD(LR_IN_IP_INPUT, 82, "ip4.mcast || ip6.mcast", "drop;");
    }
    ADD(LR_IN_IP_INPUT, 50, "eth.bcast", "drop;");
    ADD(LR_IN_IP_INPUT, 32, "ip.ttl == {0, 1} && !ip.later_frag && "
        "(ip4.mcast || ip6.mcast)", "drop;");
    ADD(LR_IN_IP_INPUT, 30, "ip.ttl == {0, 1}", "drop;");
}

/* ARP and NS for the router port's own addresses. */
static void
build_arp_nd_reply(struct lr_ctx *ctx, const struct northd_port *op)
{
    const struct lport_addrs *n = &op->lrp_networks;
    struct ds *m = &ctx->match;

    for (size_t i = 0; i < n->n_ipv4; i++) {
        ds_clear(m);
        ds_put_format(m, "inport == \"%s\" && arp.op == 1 && arp.tpa == %s "
                      "&& arp.spa == %s/%u", op->name, n->ipv4[i].addr_s,
                      n->ipv4[i].network_s, n->ipv4[i].plen);
        if (op->peer && op->peer->od->n_localnet_ports) {
            lr_put_resident(m, op);
        }
        ADD_P(LR_IN_IP_INPUT, 90, ds_cstr(m),
              "eth.dst = eth.src; eth.src = xreg0[0..47]; arp.op = 2; "
              "/* ARP reply */ arp.tha = arp.sha; arp.sha = xreg0[0..47]; "
              "arp.tpa <-> arp.spa; outport = inport; flags.loopback = 1; "
              "output;", op);
    }
    for (size_t i = 0; i < n->n_ipv6; i++) {
        const struct lport_addrs_ip *ip = &n->ipv6[i];
        ds_clear(m);
        ds_put_format(m, "inport == \"%s\" && ip6.dst == {%s, %s} && nd_ns "
                      "&& nd.target == %s", op->name, ip->addr_s,
                      ip->sn_addr_s, ip->addr_s);
        lr_put_resident(m, op);
        ADD_P(LR_IN_IP_INPUT, 90, ds_cstr(m),
              "nd_na_router { eth.src = xreg0[0..47]; ip6.src = nd.target; "
              "nd.tll = xreg0[0..47]; outport = inport; flags.loopback = 1; "
              "output; };", op);
    }
}

static void
build_echo_dhcp(struct lr_ctx *ctx, const struct northd_port *op)
{
    const struct lport_addrs *n = &op->lrp_networks;
    struct ds *m = &ctx->match;

    if (n->n_ipv4) {
        ds_clear(m);
        ds_put_cstr(m, "ip4.dst == ");
        lr_put_ips(m, n->ipv4, n->n_ipv4, false, false);
        ds_put_cstr(m, " && icmp4.type == 8 && icmp4.code == 0");
        ADD(LR_IN_IP_INPUT, 90, ds_cstr(m), "ip4.dst <-> ip4.src; "
            "ip.ttl = 255; icmp4.type = 0; flags.loopback = 1; next; ");
        ds_clear(m);
        ds_put_cstr(m, "ip4.src == {");
        for (size_t i = 0; i < n->n_ipv4; i++) {
            ds_put_format(m, "%s%s, %s", i ? ", " : "", n->ipv4[i].addr_s,
                          n->ipv4[i].bcast_s);
        }
        ds_put_cstr(m, "} && reg9[0] == 0");
        ADD(LR_IN_IP_INPUT, 100, ds_cstr(m), "drop;");
    }
    if (n->n_ipv6) {
        ds_clear(m);
        ds_put_cstr(m, "ip6.dst == ");
        lr_put_ips(m, n->ipv6, n->n_ipv6, false, false);
        ds_put_cstr(m, " && icmp6.type == 128 && icmp6.code == 0");
        ADD(LR_IN_IP_INPUT, 90, ds_cstr(m), "ip6.dst <-> ip6.src; "
            "ip.ttl = 255; icmp6.type = 129; flags.loopback = 1; next; ");
    }
    for (size_t i = 0; i < n->n_ipv6; i++) {
        ds_clear(m);
        ds_put_format(m, "ip6.dst == %s && udp.src == 547 && udp.dst == 546",
                      n->ipv6[i].addr_s);
        ADD(LR_IN_IP_INPUT, 100, ds_cstr(m),
            "reg0 = 0; handle_dhcpv6_reply;");
    }
}

static bool
is_snat_ip(const struct lr_ctx *ctx, const struct lport_addrs_ip *ip)
{
    return ctx->nat && lr_nat_is_snat_ip(ctx->nat, ip->addr_s);
}

/* TCP reset, port/protocol unreachable and the final drop for one
 * address family of the port's addresses that are not SNAT IPs. */
static void
build_unreachable(struct lr_ctx *ctx, const struct lport_addrs_ip *ips,
                  size_t n, bool v4)
{
    struct ds *m = &ctx->match, *a = &ctx->actions;
    const char *f = v4 ? "ip4" : "ip6";
    static const char *const l4[] = { "sctp", "tcp", "udp" };
    size_t n_drop = 0;

    ds_clear(a);
    ds_put_format(a, "%s.dst == {", f);
    for (size_t i = 0; i < n; i++) {
        if (is_snat_ip(ctx, &ips[i])) {
            continue;
        }
        ds_put_format(a, "%s%s", n_drop++ ? ", " : "", ips[i].addr_s);
        if (ctx->od->l3gw_chassis || ctx->od->n_l3dgw_ports) {
            continue;           /* 23.03: none on gateway routers. */
        }
        for (size_t j = 0; j < ARRAY_SIZE(l4); j++) {
            ds_clear(m);
            ds_put_format(m, "%s && %s.dst == %s && !ip.later_frag && %s",
                          f, f, ips[i].addr_s, l4[j]);
            const char *act =
                j == 0 ? (v4 ? "sctp_abort {eth.dst <-> eth.src; ip4.dst <-> "
                          "ip4.src; next; };" : "sctp_abort {eth.dst <-> "
                          "eth.src; ip6.dst <-> ip6.src; next; };")
                : j == 1 ? (v4 ? "tcp_reset {eth.dst <-> eth.src; ip4.dst "
                            "<-> ip4.src; next; };" : "tcp_reset {eth.dst "
                            "<-> eth.src; ip6.dst <-> ip6.src; next; };")
                : (v4 ? "icmp4 {eth.dst <-> eth.src; ip4.dst <-> ip4.src; "
                   "ip.ttl = 255; icmp4.type = 3; icmp4.code = 3; next; };"
                   : "icmp6 {eth.dst <-> eth.src; ip6.dst <-> ip6.src; "
                   "ip.ttl = 255; icmp6.type = 1; icmp6.code = 4; next; };");
            ADD(LR_IN_IP_INPUT, 80, ds_cstr(m), act);
        }
        ds_clear(m);
        ds_put_format(m, "%s && %s.dst == %s && !ip.later_frag", f, f,
                      ips[i].addr_s);
        ADD(LR_IN_IP_INPUT, 70, ds_cstr(m), v4
            ? "icmp4 {eth.dst <-> eth.src; ip4.dst <-> ip4.src; "
              "ip.ttl = 255; icmp4.type = 3; icmp4.code = 2; next; };"
            : "icmp6 {eth.dst <-> eth.src; ip6.dst <-> ip6.src; "
              "ip.ttl = 255; icmp6.type = 1; icmp6.code = 3; next; };");
    }
    if (n_drop) {
        ds_put_cstr(a, "}");
        ADD(LR_IN_IP_INPUT, 60, ds_cstr(a), "drop;");
    }
}

static void
build_ttl_exceeded(struct lr_ctx *ctx, const struct northd_port *op)
{
    const struct lport_addrs *n = &op->lrp_networks;
    struct ds *m = &ctx->match, *a = &ctx->actions;

    /* One flow per network (23.03 writes the IPv4 ones with the same
     * match). */
    for (size_t i = 0; i < n->n_ipv4; i++) {
        ds_clear(m);
        ds_put_format(m, "inport == \"%s\" && ip4 && ip.ttl == {0, 1} && "
                      "!ip.later_frag", op->name);
        ds_clear(a);
        ds_put_cstr(a, "icmp4 {eth.dst <-> eth.src; icmp4.type = 11; "
                    "/* Time exceeded */ icmp4.code = 0; /* TTL exceeded in "
                    "transit */ ");
        if (!op->cr_port) {
            ds_put_format(a, "ip4.dst = ip4.src; ip4.src = %s ;",
                          n->ipv4[i].addr_s);
        } else {
            ds_put_cstr(a, "ip4.dst <-> ip4.src ;");
        }
        ds_put_format(a, " ip.ttl = 254; outport = \"%s\"; flags.loopback "
                      "= 1; output; };", op->name);
        ADD_P(LR_IN_IP_INPUT, 31, ds_cstr(m), ds_cstr(a), op);
    }
    for (size_t i = 0; i < n->n_ipv6; i++) {
        const struct lport_addrs_ip *net = &n->ipv6[i];
        if (!strncmp(net->addr_s, "fe80:", 5)) {
            continue;
        }
        ds_clear(m);
        ds_put_format(m, "inport == \"%s\" && ip6 && ip6.src == %s/%u && "
                      "ip.ttl == {0, 1} && !ip.later_frag", op->name,
                      net->network_s, net->plen);
        ds_clear(a);
        ds_put_cstr(a, "icmp6 {eth.dst <-> eth.src; ");
        if (!op->cr_port) {
            ds_put_format(a, "ip6.dst = ip6.src; ip6.src = %s ;",
                          net->addr_s);
        } else {
            ds_put_cstr(a, "ip6.dst <-> ip6.src ;");
        }
        ds_put_format(a, " ip.ttl = 254; icmp6.type = 3; /* Time exceeded */"
                      " icmp6.code = 0; /* TTL exceeded in transit */ "
                      "outport = \"%s\"; flags.loopback = 1; output; };",
                      op->name);
        ADD_P(LR_IN_IP_INPUT, 31, ds_cstr(m), ds_cstr(a), op);
    }
}

void
lr_build_input(struct lr_ctx *ctx)
{
    const struct northd_datapath *od = ctx->od;

    build_ip_input_common(ctx);
    build_neighbor_common(ctx);
    for (size_t i = 0; i < od->n_ports; i++) {
        const struct northd_port *op = od->ports[i];
        if (!lr_is_lrp(op)) {
            continue;
        }
        build_admission(ctx, op);
        build_neighbor(ctx, op);
        build_arp_nd_reply(ctx, op);
        build_echo_dhcp(ctx, op);
        build_unreachable(ctx, op->lrp_networks.ipv4,
                          op->lrp_networks.n_ipv4, true);
        build_unreachable(ctx, op->lrp_networks.ipv6,
                          op->lrp_networks.n_ipv6, false);
        build_ttl_exceeded(ctx, op);
    }
}
