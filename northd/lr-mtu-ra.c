/* northd/lr-mtu-ra: router port options that add their own stages:
 * options:gateway_mtu (lr_in_chk_pkt_len, lr_in_larger_pkts and the
 * "packet too big" errors in lr_in_ip_input) and ipv6_ra_configs
 * (lr_in_nd_ra_options, lr_in_nd_ra_response).  See lr-pipeline.h. */
#include "northd/lr-private.h"

#include <stdlib.h>
#include <string.h>
#include "util.h"
#include "ovsdb/nbrec-idl.h"
#include "northd/datapaths.h"
#include "northd/northd.h"
#include "northd/ports.h"

#define ADD(STAGE, PRIO, MATCH, ACTIONS, OP)                               \
    lflow_add_with_port(ctx->lflows, ctx->od, STAGE, PRIO, MATCH, ACTIONS, \
                        (OP)->name, &(OP)->nb_uuid)

int
lr_gateway_mtu(const struct northd_port *op)
{
    const char *s = lr_is_lrp(op)
        ? nbrec_logical_router_port_get_options_value(op->nbrp,
                                                      "gateway_mtu")
        : NULL;
    int mtu = s ? atoi(s) : 0;

    return mtu >= 68 && mtu <= 65535 ? mtu : 0;
}

static const struct lport_addrs_ip *
first_ip(const struct northd_port *op, bool v4)
{
    const struct lport_addrs *n = &op->lrp_networks;

    if (v4) {
        return n->n_ipv4 ? &n->ipv4[0] : NULL;
    }
    for (size_t i = 0; i < n->n_ipv6; i++) {
        if (strncmp(n->ipv6[i].addr_s, "fe80:", 5)) {
            return &n->ipv6[i];
        }
    }
    return NULL;
}

/* The ICMP "fragmentation needed" / "packet too big" error sent back to
 * 'in' for a packet larger than 'mtu'. */
static void
put_too_big(struct ds *a, const struct northd_port *in, bool v4, int mtu)
{
    const struct lport_addrs_ip *ip = first_ip(in, v4);

    ds_clear(a);
    if (v4) {
        ds_put_format(a, "icmp4_error {reg9[0] = 1; reg9[1] = 0; "
                      "eth.dst = %s; ip4.dst = ip4.src; ip4.src = %s; "
                      "ip.ttl = 255; icmp4.type = 3; /* Destination "
                      "Unreachable. */ icmp4.code = 4; /* Frag Needed and DF "
                      "was Set. */ icmp4.frag_mtu = %d; "
                      "next(pipeline=ingress, table=0); };",
                      in->lrp_networks.ea_s, ip->addr_s, mtu);
    } else {
        ds_put_format(a, "icmp6_error {reg9[0] = 1; reg9[1] = 0; "
                      "eth.dst = %s; ip6.dst = ip6.src; ip6.src = %s; "
                      "ip.ttl = 255; icmp6.type = 2; /* Packet Too Big. */ "
                      "icmp6.code = 0; icmp6.frag_mtu = %d; "
                      "next(pipeline=ingress, table=0); };",
                      in->lrp_networks.ea_s, ip->addr_s, mtu);
    }
}

static void
build_gateway_mtu(struct lr_ctx *ctx, const struct northd_port *op, int mtu)
{
    const struct northd_datapath *od = ctx->od;
    struct ds *m = &ctx->match, *a = &ctx->actions;

    ds_clear(m);
    ds_put_format(m, "outport == \"%s\"", op->name);
    ds_clear(a);
    ds_put_format(a, "reg9[1] = check_pkt_larger(%d); next;", mtu + 14);
    ADD(LR_IN_CHK_PKT_LEN, 50, ds_cstr(m), ds_cstr(a), op);
    for (int f = 0; f < 2; f++) {
        bool v4 = f == 0;
        if (first_ip(op, v4)) {
            ds_clear(m);
            ds_put_format(m, "inport == \"%s\" && %s && reg9[1] && "
                          "reg9[0] == 0", op->name, v4 ? "ip4" : "ip6");
            put_too_big(a, op, v4, mtu);
            ADD(LR_IN_IP_INPUT, 150, ds_cstr(m), ds_cstr(a), op);
        }
        for (size_t i = 0; i < od->n_ports; i++) {
            const struct northd_port *in = od->ports[i];
            if (in == op || !lr_is_lrp(in) || !first_ip(in, v4)) {
                continue;
            }
            ds_clear(m);
            ds_put_format(m, "inport == \"%s\" && outport == \"%s\" && %s "
                          "&& reg9[1] && reg9[0] == 0", in->name, op->name,
                          v4 ? "ip4" : "ip6");
            put_too_big(a, in, v4, mtu);
            ADD(LR_IN_LARGER_PKTS, 150, ds_cstr(m), ds_cstr(a), in);
        }
    }
}

/* The optional RA contents: router preference (unless MEDIUM), RDNSS,
 * DNSSL and route information (as written, unchecked, as ovn-northd
 * 23.03 does). */
static void
put_ra_extras(struct ds *a, const struct nbrec_logical_router_port *nbrp)
{
    const char *pref = nbrec_logical_router_port_get_ipv6_ra_configs_value(
        nbrp, "router_preference");
    const char *rdnss = nbrec_logical_router_port_get_ipv6_ra_configs_value(
        nbrp, "rdnss");
    const char *dnssl = nbrec_logical_router_port_get_ipv6_ra_configs_value(
        nbrp, "dnssl");

    if (pref && (!strcmp(pref, "HIGH") || !strcmp(pref, "LOW"))) {
        ds_put_format(a, ", router_preference = \"%s\"", pref);
    }
    if (rdnss) {
        ds_put_format(a, ", rdnss = %s", rdnss);
    }
    if (dnssl) {
        ds_put_format(a, ", dnssl = \"%s\"", dnssl);
    }
    const char *route_info =
        nbrec_logical_router_port_get_ipv6_ra_configs_value(nbrp,
                                                             "route_info");
    if (route_info) {
        ds_put_format(a, ", route_info = \"%s\"", route_info);
    }
}

static void
build_nd_ra(struct lr_ctx *ctx, const struct northd_port *op)
{
    const struct nbrec_logical_router_port *nbrp = op->nbrp;
    const char *mode = nbrec_logical_router_port_get_ipv6_ra_configs_value(
        nbrp, "address_mode");
    const char *mtu = nbrec_logical_router_port_get_ipv6_ra_configs_value(
        nbrp, "mtu");
    const struct lport_addrs *n = &op->lrp_networks;
    struct ds *m = &ctx->match, *a = &ctx->actions;
    const struct lport_addrs_ip *lla = NULL;
    size_t n_prefixes = 0;

    if (!mode || (strcmp(mode, "slaac") && strcmp(mode, "dhcpv6_stateful")
                  && strcmp(mode, "dhcpv6_stateless"))) {
        return;
    }
    ds_clear(a);
    ds_put_format(a, "reg0[5] = put_nd_ra_opts(addr_mode = \"%s\", "
                  "slla = %s", mode, n->ea_s);
    if (mtu && atoi(mtu) >= 1280) {     /* RFC 2460's minimum, as OVN. */
        ds_put_format(a, ", mtu = %d", atoi(mtu));
    }
    put_ra_extras(a, nbrp);
    for (size_t i = 0; i < n->n_ipv6; i++) {
        if (!strncmp(n->ipv6[i].addr_s, "fe80:", 5)) {
            lla = &n->ipv6[i];
            continue;
        }
        ds_put_format(a, ", prefix = %s/%u", n->ipv6[i].network_s,
                      n->ipv6[i].plen);
        n_prefixes++;
    }
    if (!n_prefixes || !lla) {
        return;
    }
    ds_put_cstr(a, "); next;");
    ds_clear(m);
    ds_put_format(m, "inport == \"%s\" && ip6.dst == ff02::2 && nd_rs",
                  op->name);
    ADD(LR_IN_ND_RA_OPTIONS, 50, ds_cstr(m), ds_cstr(a), op);
    ds_clear(m);
    ds_put_format(m, "inport == \"%s\" && ip6.dst == ff02::2 && nd_ra && "
                  "reg0[5]", op->name);
    ds_clear(a);
    ds_put_format(a, "eth.dst = eth.src; eth.src = %s; ip6.dst = ip6.src; "
                  "ip6.src = %s; outport = inport; flags.loopback = 1; "
                  "output;", n->ea_s, lla->addr_s);
    ADD(LR_IN_ND_RA_RESPONSE, 50, ds_cstr(m), ds_cstr(a), op);
}

void
lr_build_mtu_ra(struct lr_ctx *ctx)
{
    const struct northd_datapath *od = ctx->od;

    for (size_t i = 0; i < od->n_ports; i++) {
        const struct northd_port *op = od->ports[i];
        if (!lr_is_lrp(op)) {
            continue;
        }
        int mtu = lr_gateway_mtu(op);
        if (mtu) {
            build_gateway_mtu(ctx, op, mtu);
        }
        build_nd_ra(ctx, op);
    }
}
