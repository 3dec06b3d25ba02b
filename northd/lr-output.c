/* northd/lr-output: router stages lr_in_arp_resolve, lr_in_gw_redirect,
 * lr_in_arp_request and the egress lr_out_delivery, plus the egress
 * flows every router has.  See lr-pipeline.h. */
#include "northd/lr-private.h"

#include <string.h>
#include "util.h"
#include "ovsdb/nbrec-idl.h"
#include "ovsdb/sbrec-idl.h"
#include "northd/datapaths.h"
#include "northd/lr-pipeline.h"
#include "northd/northd.h"
#include "northd/ports.h"

#define ADD(STAGE, PRIO, MATCH, ACTIONS, HINT)                             \
    lflow_add(ctx->lflows, ctx->od, STAGE, PRIO, MATCH, ACTIONS, HINT)

/* "outport == OP && reg0 == IPS" -> "eth.dst = MAC; next;" for both
 * families; 'sep' is what follows "reg0" (23.03 writes "reg0==" for
 * router-to-router peers). */
static void
add_resolve(struct lr_ctx *ctx, const struct northd_port *op,
            const struct lport_addrs *addrs, const char *v4_sep,
            const struct uuid *hint)
{
    struct ds *m = &ctx->match, *a = &ctx->actions;

    ds_clear(a);
    ds_put_format(a, "eth.dst = %s; next;", addrs->ea_s);
    if (addrs->n_ipv4) {
        ds_clear(m);
        ds_put_format(m, "outport == \"%s\" && reg0%s", op->name, v4_sep);
        lr_put_ips(m, addrs->ipv4, addrs->n_ipv4, false, false);
        ADD(LR_IN_ARP_RESOLVE, 100, ds_cstr(m), ds_cstr(a), hint);
    }
    if (addrs->n_ipv6) {
        ds_clear(m);
        ds_put_format(m, "outport == \"%s\" && xxreg0 == ", op->name);
        lr_put_ips(m, addrs->ipv6, addrs->n_ipv6, false, false);
        ADD(LR_IN_ARP_RESOLVE, 100, ds_cstr(m), ds_cstr(a), hint);
    }
}

/* One flow per address of a VM-like switch port that lies in one of the
 * router port's networks. */
static void
add_resolve_each(struct lr_ctx *ctx, const struct northd_port *op,
                 const struct lport_addrs *addrs, const char *mac,
                 const struct uuid *hint)
{
    struct ds *m = &ctx->match, *a = &ctx->actions;

    ds_clear(a);
    ds_put_cstr(a, "eth.dst = ");
    ds_put_cstr(a, mac);
    ds_put_cstr(a, "; next;");
    for (size_t i = 0; i < addrs->n_ipv4; i++) {
        if (!lr_find_network(op, &addrs->ipv4[i].addr, true)) {
            continue;
        }
        /* Direct appends: one per IPv4 address of every switch port. */
        ds_clear(m);
        ds_put_cstr(m, "outport == \"");
        ds_put_cstr(m, op->name);
        ds_put_cstr(m, "\" && reg0 == ");
        ds_put_cstr(m, addrs->ipv4[i].addr_s);
        ADD(LR_IN_ARP_RESOLVE, 100, ds_cstr(m), ds_cstr(a), hint);
    }
    for (size_t i = 0; i < addrs->n_ipv6; i++) {
        if (!lr_find_network(op, &addrs->ipv6[i].addr, false)) {
            continue;
        }
        ds_clear(m);
        ds_put_format(m, "outport == \"%s\" && xxreg0 == %s", op->name,
                      addrs->ipv6[i].addr_s);
        ADD(LR_IN_ARP_RESOLVE, 100, ds_cstr(m), ds_cstr(a), hint);
    }
}

/* What router port 'op' knows of switch port 'lsp', a neighbour. */
static void
build_resolve_lsp(struct lr_ctx *ctx, const struct northd_port *op,
                  const struct northd_port *lsp, bool dynamic)
{
    if (ports_is_router_lsp(lsp)) {
        /* With options:dynamic_neigh_routers, other routers are learnt
         * with ARP/ND like anyone else. */
        if (!dynamic && lsp->peer && lsp->peer->kind == NORTHD_PORT_LRP
            && lsp->peer->lrp_networks.ea_s[0]) {
            add_resolve(ctx, op, &lsp->peer->lrp_networks, " == ",
                        &lsp->nb_uuid);
        }
        return;
    }
    /* A virtual port not yet claimed by a parent resolves to the zero
     * MAC, as 23.03 writes it. */
    bool unclaimed = lsp->lsp_type == NORTHD_LSP_VIRTUAL
                     && !(lsp->sb && lsp->sb->virtual_parent
                          && lsp->sb->virtual_parent[0]);
    for (size_t j = 0; j < lsp->n_lsp_addrs; j++) {
        const struct lport_addrs *la = &lsp->lsp_addrs[j];
        add_resolve_each(ctx, op, la,
                         unclaimed ? "00:00:00:00:00:00" : la->ea_s,
                         &lsp->nb_uuid);
    }
}

/* The neighbours a router port knows without asking: the addresses of
 * the ports of its switch, or its router peer's. */
static void
build_resolve_port(struct lr_ctx *ctx, const struct northd_port *op)
{
    const struct northd_port *peer = op->peer;

    if (!peer) {
        return;
    }
    if (peer->kind == NORTHD_PORT_LRP) {
        add_resolve(ctx, op, &peer->lrp_networks, "== ", &peer->nb_uuid);
        return;
    }
    const struct northd_datapath *sw = peer->od;
    const char *dyn = nbrec_logical_router_get_options_value(
        ctx->od->nbr, "dynamic_neigh_routers");
    bool dynamic = dyn && !strcmp(dyn, "true");
    for (size_t i = 0; i < sw->n_ports; i++) {
        const struct northd_port *lsp = sw->ports[i];
        if (lsp == peer || lsp->kind != NORTHD_PORT_LSP) {
            continue;
        }
        lflow_table_set_owner(ctx->lflows, &lsp->nb_uuid);
        build_resolve_lsp(ctx, op, lsp, dynamic);
    }
    lflow_table_set_owner(ctx->lflows, NULL);
}

void
lr_build_resolve_for_lsp(const struct northd *nd,
                         const struct northd_port *lsp,
                         struct lflow_table *lflows)
{
    const struct northd_datapath *sw = lsp->od;
    struct lr_ctx ctx = {
        .nd = nd,
        .lflows = lflows,
        .match = DS_EMPTY_INITIALIZER,
        .actions = DS_EMPTY_INITIALIZER,
    };

    lflow_table_set_owner(lflows, &lsp->nb_uuid);
    for (size_t i = 0; i < sw->n_router_ports; i++) {
        const struct northd_port *op = sw->router_ports[i]->peer;
        if (!op || op->kind != NORTHD_PORT_LRP
            || op->peer != sw->router_ports[i]) {
            continue;
        }
        ctx.od = op->od;
        const char *dyn = nbrec_logical_router_get_options_value(
            ctx.od->nbr, "dynamic_neigh_routers");
        build_resolve_lsp(&ctx, op, lsp, dyn && !strcmp(dyn, "true"));
    }
    lflow_table_set_owner(lflows, NULL);
    ds_destroy(&ctx.match);
    ds_destroy(&ctx.actions);
}

/* Solicited-node NS for IPv6 static route nexthops. */
static void
build_nd_ns_nexthops(struct lr_ctx *ctx)
{
    const struct nbrec_logical_router *nbr = ctx->od->nbr;
    struct ds *m = &ctx->match, *a = &ctx->actions;

    for (size_t i = 0; i < nbr->n_static_routes; i++) {
        const struct nbrec_logical_router_static_route *r
            = nbr->static_routes[i];
        struct in6_addr ip, sn;
        if (!ip_from_string(r->nexthop, &ip) || ip_is_v4(&ip)) {
            continue;
        }
        sn = ip6_solicited_node(&ip);
        ds_clear(m);
        ds_put_cstr(m, "eth.dst == 00:00:00:00:00:00 && ip6 && xxreg0 == ");
        ip_format(&ip, m);
        ds_clear(a);
        ds_put_format(a, "nd_ns { eth.dst = 33:33:ff:%02x:%02x:%02x; "
                      "ip6.dst = ", ip.s6_addr[13], ip.s6_addr[14],
                      ip.s6_addr[15]);
        ip_format(&sn, a);
        ds_put_cstr(a, "; nd.target = ");
        ip_format(&ip, a);
        ds_put_cstr(a, "; output; };");
        ADD(LR_IN_ARP_REQUEST, 200, ds_cstr(m), ds_cstr(a),
            &r->header_.uuid);
    }
}

/* A DGP with options:redirect-type=bridged. */
static bool
is_bridged(const struct northd_port *op)
{
    const char *t = nbrec_logical_router_port_get_options_value(
        op->nbrp, "redirect-type");
    return t && !strcmp(t, "bridged");
}

void
lr_build_output(struct lr_ctx *ctx)
{
    const struct northd_datapath *od = ctx->od;
    const struct uuid *h = &od->nb_uuid;

    ADD(LR_IN_ARP_RESOLVE, 500, "ip4.mcast || ip6.mcast", "next;", h);
    ADD(LR_IN_ARP_RESOLVE, 1, "ip4", "get_arp(outport, reg0); next;", h);
    ADD(LR_IN_ARP_RESOLVE, 1, "ip6", "get_nd(outport, xxreg0); next;", h);
    ADD(LR_IN_ARP_REQUEST, 100, "eth.dst == 00:00:00:00:00:00 && ip4",
        "arp { eth.dst = ff:ff:ff:ff:ff:ff; arp.spa = reg1; arp.tpa = reg0; "
        "arp.op = 1; output; };", h);
    ADD(LR_IN_ARP_REQUEST, 100, "eth.dst == 00:00:00:00:00:00 && ip6",
        "nd_ns { nd.target = xxreg0; output; };", h);
    ADD(LR_OUT_SNAT, 120, "nd_ns", "next;", h);
    build_nd_ns_nexthops(ctx);
    for (size_t i = 0; i < od->n_ports; i++) {
        const struct northd_port *op = od->ports[i];
        if (!lr_is_lrp(op)) {
            continue;
        }
        build_resolve_port(ctx, op);
        if (op->cr_port && is_bridged(op)) {
            ds_clear(&ctx->match);
            ds_put_format(&ctx->match, "outport == \"%s\" && "
                          "!is_chassis_resident(\"%s\")", op->name,
                          op->cr_port->name);
            ds_clear(&ctx->actions);
            ds_put_format(&ctx->actions, "eth.dst = %s; next;",
                          op->lrp_networks.ea_s);
            ADD(LR_IN_ARP_RESOLVE, 50, ds_cstr(&ctx->match),
                ds_cstr(&ctx->actions), &op->nb_uuid);
        }
        if (op->cr_port) {
            ds_clear(&ctx->match);
            ds_put_format(&ctx->match, "outport == \"%s\"", op->name);
            ds_clear(&ctx->actions);
            ds_put_format(&ctx->actions, "outport = \"%s\"; next;",
                          op->cr_port->name);
            lflow_add_with_port(ctx->lflows, od, LR_IN_GW_REDIRECT, 50,
                                ds_cstr(&ctx->match), ds_cstr(&ctx->actions),
                                op->name, &op->nb_uuid);
        }
        if (op->enabled && od->mcast_relay) {
            ds_clear(&ctx->match);
            ds_put_format(&ctx->match, "(ip4.mcast || ip6.mcast) && "
                          "outport == \"%s\"", op->name);
            ds_clear(&ctx->actions);
            ds_put_format(&ctx->actions, "eth.src = %s; output;",
                          op->lrp_networks.ea_s);
            lflow_add_with_port(ctx->lflows, od, LR_OUT_DELIVERY, 110,
                                ds_cstr(&ctx->match), ds_cstr(&ctx->actions),
                                op->name, &op->nb_uuid);
        }
        if (op->enabled) {
            ds_clear(&ctx->match);
            ds_put_format(&ctx->match, "outport == \"%s\"", op->name);
            lflow_add_with_port(ctx->lflows, od, LR_OUT_DELIVERY, 100,
                                ds_cstr(&ctx->match), "output;", op->name,
                                &op->nb_uuid);
        }
    }
}
