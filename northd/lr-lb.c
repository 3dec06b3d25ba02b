/* northd/lr-lb: load balancers of gateway routers and of routers with a
 * distributed gateway port: lr_in_defrag, lr_in_dnat and the ARP replies
 * for the VIPs in lr_in_ip_input.  See lr-pipeline.h. */
#include "northd/lr-private.h"

#include <stdlib.h>
#include <string.h>
#include "util.h"
#include "ovsdb/datum.h"
#include "ovsdb/nbrec-idl.h"
#include "northd/datapaths.h"
#include "northd/global.h"
#include "northd/northd.h"
#include "northd/ports.h"

#define ADD(STAGE, PRIO, MATCH, ACTIONS, HINT)                             \
    lflow_add(ctx->lflows, ctx->od, STAGE, PRIO, MATCH, ACTIONS, HINT)

/* The port of VIP "IP:PORT" / "[IPv6]:PORT", or NULL. */
static const char *
vip_port(const char *vip)
{
    const char *p = vip[0] == '[' ? strstr(vip, "]:") : NULL;

    if (p) {
        return p + 2;
    }
    p = strchr(vip, ':');
    return p && !strchr(p + 1, ':') ? p + 1 : NULL;
}

static bool
skip_snat(const struct nbrec_load_balancer *lb)
{
    const char *v = nbrec_load_balancer_get_options_value(lb, "skip_snat");
    return v && !strcmp(v, "true");
}

/* Does ", "-separated 'list' hold 'item'? */
static bool
list_has(const struct ds *list, const char *item)
{
    size_t n = strlen(item);

    for (const char *p = ds_cstr_ro(list); (p = strstr(p, item)); p += n) {
        if ((p == list->string || p[-1] == ' ') && (!p[n] || p[n] == ',')) {
            return true;
        }
    }
    return false;
}

static bool
is_reachable(const struct northd_datapath *od, const struct in6_addr *ip,
             bool v4)
{
    for (size_t i = 0; i < od->n_ports; i++) {
        if (lr_is_lrp(od->ports[i])
            && lr_find_network(od->ports[i], ip, v4)) {
            return true;
        }
    }
    return false;
}

/* On a DGP router, replies from the backends are un-DNATed on the
 * gateway chassis. */
static void
build_dgp_undnat(struct lr_ctx *ctx, const struct nbrec_load_balancer *lb,
                 const char *backends, bool v4, const char *proto)
{
    const struct northd_port *dgp = ctx->od->l3dgw_ports[0];
    struct ds *m = &ctx->match;
    const char *f = v4 ? "ip4" : "ip6";
    char *copy = xstrdup(backends), *save = NULL;
    int n = 0;

    ds_clear(m);
    ds_put_format(m, "%s && (", f);
    for (char *b = strtok_r(copy, ",", &save); b;
         b = strtok_r(NULL, ",", &save)) {
        char ip_s[INET6_ADDRSTRLEN];
        struct in6_addr ip;
        const char *bport = vip_port(b);
        if (!lport_addrs_parse_vip(b, &ip, ip_s)) {
            continue;
        }
        ds_put_format(m, "%s(%s.src == %s", n++ ? " || " : "", f, ip_s);
        if (proto && bport) {
            ds_put_format(m, " && %s.src == %s", proto, bport);
        }
        ds_put_char(m, ')');
    }
    free(copy);
    if (!n) {
        return;
    }
    ds_put_format(m, ") && outport == \"%s\"", dgp->name);
    lr_put_resident(m, dgp);
    ADD(LR_OUT_UNDNAT, 120, ds_cstr(m), "ct_dnat_in_czone;",
        &lb->header_.uuid);
}

static int
affinity_timeout(const struct nbrec_load_balancer *lb)
{
    const char *v = nbrec_load_balancer_get_options_value(lb,
                                                          "affinity_timeout");
    int t = v ? atoi(v) : 0;

    return t > 0 && t <= 65535 ? t : 0;
}

/* Session affinity (options:affinity_timeout) for IPv4 VIP 'vip':'port':
 * a connection from a client that has one already goes to the same
 * backend; the first one's backend is learnt. */
static void
build_affinity(struct lr_ctx *ctx, const struct nbrec_load_balancer *lb,
               const char *vip, const char *port, const char *proto,
               const char *backends)
{
    const struct uuid *h = &lb->header_.uuid;
    struct ds *m = &ctx->match, *a = &ctx->actions;
    char *copy = xstrdup(backends), *save = NULL;

    ds_clear(m);
    ds_put_format(m, "ct.new && !ct.rel && ip4 && ip4.dst == %s && %s && "
                  "%s.dst == %s", vip, proto, proto, port);
    if (!ctx->od->l3gw_chassis) {
        lr_put_resident(m, ctx->od->l3dgw_ports[0]);
    }
    ds_clear(a);
    ds_put_format(a, "reg0 = ip4.dst; reg9[16..31] = %s.dst; "
                  "reg9[6] = chk_lb_aff(); next;", proto);
    ADD(LR_IN_LB_AFF_CHECK, 100, ds_cstr(m), ds_cstr(a), h);
    for (char *b = strtok_r(copy, ",", &save); b;
         b = strtok_r(NULL, ",", &save)) {
        char ip_s[INET6_ADDRSTRLEN];
        struct in6_addr ip;
        const char *bport = vip_port(b);
        if (!bport || !lport_addrs_parse_vip(b, &ip, ip_s)) {
            continue;
        }
        ds_clear(m);
        ds_put_format(m, "reg9[6] == 1 && ct.new && ip4 && reg4 == %s && "
                      "reg8[0..15] == %s", ip_s, bport);
        ds_clear(a);
        ds_put_format(a, "reg0 = %s; ct_lb_mark(backends=%s:%s);", vip,
                      ip_s, bport);
        ADD(LR_IN_DNAT, 150, ds_cstr(m), ds_cstr(a), h);
        ds_clear(m);
        ds_put_format(m, "reg9[6] == 0 && ct.new && ip4 && reg0 == %s && "
                      "reg9[16..31] == %s && ip4.dst == %s && %s.dst == %s",
                      vip, port, ip_s, proto, bport);
        ds_clear(a);
        ds_put_format(a, "commit_lb_aff(vip = \"%s:%s\", backend = "
                      "\"%s:%s\", proto = %s, timeout = %d); /* drop */",
                      vip, port, ip_s, bport, proto, affinity_timeout(lb));
        ADD(LR_IN_LB_AFF_LEARN, 100, ds_cstr(m), ds_cstr(a), h);
    }
    free(copy);
}

/* One VIP of one load balancer. */
static void
build_vip(struct lr_ctx *ctx, const struct nbrec_load_balancer *lb,
          const char *vip, const char *backends, struct ds arp_vips[2])
{
    struct ds *m = &ctx->match, *a = &ctx->actions;
    const struct uuid *h = &lb->header_.uuid;
    char ip_s[INET6_ADDRSTRLEN];
    struct in6_addr ip;
    bool mark = ctx->nd->global.ct_no_masked_label;

    if (!lport_addrs_parse_vip(vip, &ip, ip_s) || !backends[0]) {
        return;
    }
    bool v4 = ip_is_v4(&ip);
    const char *f = v4 ? "ip4" : "ip6";
    const char *port = vip_port(vip);
    const char *proto = lb->protocol && lb->protocol[0] ? lb->protocol
                                                        : "tcp";
    ds_clear(m);
    ds_put_format(m, "ip && %s.dst == %s", f, ip_s);
    ADD(LR_IN_DEFRAG, 100, ds_cstr(m), "ct_dnat;", h);

    ds_clear(m);
    ds_put_format(m, "ct.new && !ct.rel && %s && %s.dst == %s", f, f, ip_s);
    if (port) {
        ds_put_format(m, " && %s && %s.dst == %s", proto, proto, port);
    }
    if (!ctx->od->l3gw_chassis && ctx->od->n_l3dgw_ports) {
        lr_put_resident(m, ctx->od->l3dgw_ports[0]);
    }
    ds_clear(a);
    if (skip_snat(lb)) {
        ds_put_cstr(a, "flags.skip_snat_for_lb = 1; ");
    }
    ds_put_format(a, "%s(backends=%s);", mark ? "ct_lb_mark" : "ct_lb",
                  backends);
    ADD(LR_IN_DNAT, port ? 120 : 110, ds_cstr(m), ds_cstr(a), h);
    if (!ctx->od->l3gw_chassis) {
        build_dgp_undnat(ctx, lb, backends, v4, port ? proto : NULL);
    }
    if (v4 && port && affinity_timeout(lb)) {
        build_affinity(ctx, lb, ip_s, port, proto, backends);
    }
    /* Neighbour replies only for VIPs inside a router port's network
     * ("reachable" VIPs). */
    struct ds *list = &arp_vips[v4 ? 0 : 1];
    if (is_reachable(ctx->od, &ip, v4) && !list_has(list, ip_s)) {
        ds_put_format(list, "%s%s", list->length ? ", " : "", ip_s);
    }
}

static void
build_lb(struct lr_ctx *ctx, const struct nbrec_load_balancer *lb,
         struct ds arp_vips[2])
{
    const struct ovsdb_datum *vips = lb->vips;

    if (skip_snat(lb)) {
        ADD(LR_OUT_SNAT, 120, "flags.skip_snat_for_lb == 1 && ip", "next;",
            &ctx->od->nb_uuid);
    }

    for (size_t j = 0; j < vips->n; j++) {
        build_vip(ctx, lb, ovsdb_atom_string(&vips->keys[j]),
                  ovsdb_atom_string(&vips->values[j]), arp_vips);
    }
}

static void
build_est_flows(struct lr_ctx *ctx)
{
    const char *l = ctx->nd->global.ct_no_masked_label ? "ct_mark"
                                                        : "ct_label";
    const struct uuid *h = &ctx->od->nb_uuid;
    struct ds *m = &ctx->match;

    ds_clear(m);
    ds_put_format(m, "ct.est && !ct.rel && !ct.new && %s.natted && "
                  "%s.force_snat == 1", l, l);
    ADD(LR_IN_DNAT, 70, ds_cstr(m), "flags.force_snat_for_lb = 1; next;",
        h);
    ds_clear(m);
    ds_put_format(m, "ct.est && !ct.rel && !ct.new && %s.natted && "
                  "%s.skip_snat == 1", l, l);
    ADD(LR_IN_DNAT, 70, ds_cstr(m), "flags.skip_snat_for_lb = 1; next;",
        h);
    ds_clear(m);
    ds_put_format(m, "ct.est && !ct.rel && !ct.new && %s.natted", l);
    ADD(LR_IN_DNAT, 50, ds_cstr(m), "next;", h);
    if (!ctx->nd->global.ct_lb_related) {
        return;
    }
    /* Related traffic (ICMP errors) of load balanced connections. */
    ds_clear(m);
    ds_put_format(m, "ct.rel && !ct.est && !ct.new && %s.force_snat == 1", l);
    ADD(LR_IN_DNAT, 70, ds_cstr(m),
        "flags.force_snat_for_lb = 1; ct_commit_nat;", h);
    ds_clear(m);
    ds_put_format(m, "ct.rel && !ct.est && !ct.new && %s.skip_snat == 1", l);
    ADD(LR_IN_DNAT, 70, ds_cstr(m),
        "flags.skip_snat_for_lb = 1; ct_commit_nat;", h);
    ADD(LR_IN_DNAT, 50, "ct.rel && !ct.est && !ct.new", "ct_commit_nat;", h);
}

/* ARP and NS replies for the reachable VIPs ('vips[0]' IPv4, 'vips[1]'
 * IPv6) on router port 'op' (where resident, for a DGP). */
static void
build_vip_neighbors(struct lr_ctx *ctx, const struct northd_port *op,
                    const struct ds vips[2])
{
    struct ds *m = &ctx->match;

    if (vips[0].length) {
        ds_clear(m);
        ds_put_format(m, "inport == \"%s\" && arp.op == 1 && "
                      "arp.tpa == {%s}", op->name, ds_cstr_ro(&vips[0]));
        lr_put_resident(m, op);
        ADD(LR_IN_IP_INPUT, 90, ds_cstr(m),
            "eth.dst = eth.src; eth.src = xreg0[0..47]; arp.op = 2; "
            "/* ARP reply */ arp.tha = arp.sha; arp.sha = xreg0[0..47]; "
            "arp.tpa <-> arp.spa; outport = inport; flags.loopback = 1; "
            "output;", &op->nb_uuid);
    }
    if (vips[1].length) {
        ds_clear(m);
        ds_put_format(m, "inport == \"%s\" && nd_ns && nd.target == {%s}",
                      op->name, ds_cstr_ro(&vips[1]));
        lr_put_resident(m, op);
        ADD(LR_IN_IP_INPUT, 90, ds_cstr(m),
            "nd_na { eth.src = xreg0[0..47]; ip6.src = nd.target; "
            "nd.tll = xreg0[0..47]; outport = inport; flags.loopback = 1; "
            "output; };", &op->nb_uuid);
    }
}

bool
lr_build_lb(struct lr_ctx *ctx)
{
    const struct northd_datapath *od = ctx->od;
    const struct nbrec_logical_router *nbr = od->nbr;
    struct ds arp_vips[2] = { DS_EMPTY_INITIALIZER, DS_EMPTY_INITIALIZER };
    size_t n_lbs = nbr->n_load_balancer;

    for (size_t i = 0; i < nbr->n_load_balancer_group; i++) {
        n_lbs += nbr->load_balancer_group[i]->n_load_balancer;
    }
    if (!n_lbs || (!od->l3gw_chassis && !od->n_l3dgw_ports)) {
        return false;
    }
    for (size_t i = 0; i < nbr->n_load_balancer; i++) {
        build_lb(ctx, nbr->load_balancer[i], arp_vips);
    }
    for (size_t i = 0; i < nbr->n_load_balancer_group; i++) {
        const struct nbrec_load_balancer_group *g
            = nbr->load_balancer_group[i];
        for (size_t j = 0; j < g->n_load_balancer; j++) {
            build_lb(ctx, g->load_balancer[j], arp_vips);
        }
    }
    build_est_flows(ctx);
    for (size_t i = 0; i < od->n_ports; i++) {
        const struct northd_port *op = od->ports[i];
        if (lr_is_lrp(op)) {
            build_vip_neighbors(ctx, op, arp_vips);
        }
    }
    ds_destroy(&arp_vips[0]);
    ds_destroy(&arp_vips[1]);
    return true;
}
