/* northd/ls-arp: the switch's ARP and ND responder, ls_in_arp_rsp (see
 * ls-pipeline.h). */
#include "northd/ls-pipeline.h"

#include <stdlib.h>
#include <string.h>
#include "ds.h"
#include "util.h"
#include "northd/datapaths.h"
#include "northd/lflow.h"
#include "northd/lport-addrs.h"
#include "northd/northd.h"
#include "northd/ports.h"
#include "northd/options.h"
#include "ovsdb/nbrec-idl.h"
#include "ovsdb/sbrec-idl.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(northd_ls_arp);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

struct arp_ctx {
    struct lflow_table *lf;
    const struct northd_datapath *od;
    const struct northd_port *op;
    bool ignore_lsp_down;       /* NB_Global options:ignore_lsp_down. */
    bool vlan_passthru;         /* Of 'od'. */
    struct ds match;
    struct ds actions;
};

/* Priority 100: a request from the owner of the address itself goes on
 * (so that a duplicate address is detected); 'match' is then extended
 * into it. */
static void
add_self_skip(struct arp_ctx *c)
{
    ds_put_cstr(&c->match, " && inport == ");
    ls_put_op(&c->match, c->op);
    lflow_add_with_port(c->lf, c->od, LS_IN_ARP_RSP, 100,
                        ds_cstr(&c->match), "next;", c->op->name,
                        &c->op->nb_uuid);
}

static void
add_arp_reply(struct arp_ctx *c, const struct lport_addrs *a,
              const struct lport_addrs_ip *ip)
{
    /* Direct appends: one of these per IPv4 address of every port. */
    ds_clear(&c->match);
    ds_put_cstr(&c->match, "arp.tpa == ");
    ds_put_cstr(&c->match, ip->addr_s);
    ds_put_cstr(&c->match, " && arp.op == 1");
    ds_clear(&c->actions);
    ds_put_cstr(&c->actions, "eth.dst = eth.src; eth.src = ");
    ds_put_cstr(&c->actions, a->ea_s);
    ds_put_cstr(&c->actions, "; arp.op = 2; /* ARP reply */ "
                "arp.tha = arp.sha; arp.sha = ");
    ds_put_cstr(&c->actions, a->ea_s);
    ds_put_cstr(&c->actions, "; arp.tpa = arp.spa; arp.spa = ");
    ds_put_cstr(&c->actions, ip->addr_s);
    ds_put_cstr(&c->actions, "; outport = inport; flags.loopback = 1; "
                "output;");
    lflow_add(c->lf, c->od, LS_IN_ARP_RSP, 50, ds_cstr(&c->match),
              ds_cstr(&c->actions), &c->op->nb_uuid);
    add_self_skip(c);
}

static void
add_nd_reply(struct arp_ctx *c, const struct lport_addrs *a,
             const struct lport_addrs_ip *ip, bool is_router)
{
    ds_clear(&c->match);
    ds_put_format(&c->match, "nd_ns && ip6.dst == {%s, %s} && "
                  "nd.target == %s", ip->addr_s, ip->sn_addr_s, ip->addr_s);
    ds_clear(&c->actions);
    ds_put_format(&c->actions,
                  "%s { eth.src = %s; ip6.src = %s; nd.target = %s; "
                  "nd.tll = %s; outport = inport; flags.loopback = 1; "
                  "output; };", is_router ? "nd_na_router" : "nd_na",
                  a->ea_s, ip->addr_s, ip->addr_s, a->ea_s);
    lflow_add(c->lf, c->od, LS_IN_ARP_RSP, 50, ds_cstr(&c->match),
              ds_cstr(&c->actions), &c->op->nb_uuid);
    add_self_skip(c);
}

/* Does the switch answer for 'op''s addresses?  Not for localnet, vtep,
 * external or virtual ports, nor for ports with "unknown" addresses (the
 * MAC behind the address may be any), nor on a switch with VLAN
 * passthrough; with ignore_lsp_down=false, not for a port that is down
 * (unless it is a router port or a localport). */
static bool
answers_for(const struct arp_ctx *c, const struct northd_port *op)
{
    enum northd_lsp_type type = op->lsp_type;

    if (!c->ignore_lsp_down && !ports_is_router_lsp(op)
        && type != NORTHD_LSP_LOCALPORT
        && !(op->sb && op->sb->n_up && op->sb->up[0])) {
        return false;
    }
    return (!op->has_unknown && !c->vlan_passthru
            && type != NORTHD_LSP_LOCALNET && type != NORTHD_LSP_VTEP
            && type != NORTHD_LSP_EXTERNAL && type != NORTHD_LSP_VIRTUAL);
}

/* Appends the solicited-node multicast address of 'ip'. */
static void
put_sn_addr(struct ds *ds, const struct in6_addr *ip)
{
    struct in6_addr sn = ip6_solicited_node(ip);

    ip_format(&sn, ds);
}

static void
add_vport_flow(struct arp_ctx *c, const char *parent,
               const struct in6_addr *vip, const char *vip_s)
{
    ds_clear(&c->match);
    ds_put_cstr(&c->match, "inport == ");
    ls_put_port(&c->match, parent);
    if (ip_is_v4(vip)) {
        ds_put_format(&c->match, " && ((arp.op == 1 && arp.spa == %s && "
                      "arp.tpa == %s) || (arp.op == 2 && arp.spa == %s))",
                      vip_s, vip_s, vip_s);
    } else {
        ds_put_format(&c->match, " && ((nd_ns && ip6.dst == {%s, ", vip_s);
        put_sn_addr(&c->match, vip);
        ds_put_format(&c->match, "} && nd.target == %s) ||(nd_na && "
                      "nd.target == %s))", vip_s, vip_s);
    }
    lflow_add_with_port(c->lf, c->od, LS_IN_ARP_RSP, 100,
                        ds_cstr(&c->match), ds_cstr(&c->actions), parent,
                        &c->op->nb_uuid);
}

/* A virtual port's parents bind it when they claim its virtual IP. */
static void
build_virtual_binding(struct arp_ctx *c, const struct northd_ports *ports)
{
    const struct northd_port *op = c->op;
    const char *vip_s = options_get(op->nbsp->options, "virtual-ip");
    const char *parents = options_get(op->nbsp->options, "virtual-parents");
    char buf[INET6_ADDRSTRLEN];
    char *copy, *save = NULL;
    struct in6_addr vip;

    if (!vip_s || !parents) {
        return;
    }
    if (!ip_from_string(vip_s, &vip)
        || !lport_addrs_parse_vip(vip_s, &vip, buf)) {
        VLOG_WARN_RL(&rl, "virtual port %s: bad virtual-ip \"%s\": "
                     "skipped", op->name, vip_s);
        return;
    }
    ds_clear(&c->actions);
    ds_put_cstr(&c->actions, "bind_vport(");
    ls_put_op(&c->actions, op);
    ds_put_cstr(&c->actions, ", inport); next;");
    copy = xstrdup(parents);
    for (char *p = strtok_r(copy, ",", &save); p;
         p = strtok_r(NULL, ",", &save)) {
        const struct northd_port *parent = ports_find(ports, p);

        if (parent && parent->od == c->od) {
            add_vport_flow(c, p, &vip, buf);
        }
    }
    free(copy);
}

/* options:arp_proxy of a router port: the router answers ARP for these
 * addresses too (23.03 writes a CIDR's address part). */
static void
build_arp_proxy(struct arp_ctx *c, const struct lport_addrs *rp_addrs)
{
    const char *list = options_get(c->op->nbsp->options, "arp_proxy");
    char *copy, *save = NULL;
    size_t n = 0;

    if (!list || !rp_addrs) {
        return;
    }
    ds_clear(&c->match);
    ds_put_cstr(&c->match, "arp.op == 1 && arp.tpa == {");
    copy = xstrdup(list);
    for (char *w = strtok_r(copy, " ,", &save); w;
         w = strtok_r(NULL, " ,", &save)) {
        struct in6_addr ip;
        unsigned int plen;
        char *error = ip_parse_cidr(w, &ip, &plen);

        if (error || !ip_is_v4(&ip)) {
            VLOG_WARN_RL(&rl, "logical switch port %s: bad arp_proxy "
                         "address \"%s\": ignored", c->op->name, w);
            free(error);
            continue;
        }
        ds_put_format(&c->match, "%s", n++ ? "," : "");
        ip_format(&ip, &c->match);
    }
    free(copy);
    ds_put_char(&c->match, '}');
    if (!n) {
        return;
    }
    ds_clear(&c->actions);
    ds_put_format(&c->actions, "eth.dst = eth.src; eth.src = %s; "
                  "arp.op = 2; /* ARP reply */ arp.tha = arp.sha; "
                  "arp.sha = %s; arp.tpa <-> arp.spa; outport = inport; "
                  "flags.loopback = 1; output;",
                  rp_addrs->ea_s, rp_addrs->ea_s);
    lflow_add(c->lf, c->od, LS_IN_ARP_RSP, 50, ds_cstr(&c->match),
              ds_cstr(&c->actions), &c->op->nb_uuid);
}

/* ls_in_external_port: on the chassis that do not host external port
 * 'op', its ARP/NS for the switch's router addresses and its packets to
 * the router MACs, arriving through localnet port 'ln', are dropped. */
static void
build_external_drops(struct arp_ctx *c, const struct northd_port *ln,
                     const struct lport_addrs *ea,
                     const struct northd_port *rp)
{
    const struct lport_addrs *r = &rp->lrp_networks;
    size_t prefix;

    ds_clear(&c->match);
    ds_put_cstr(&c->match, "inport == ");
    ls_put_op(&c->match, ln);
    ds_put_format(&c->match, " && eth.src == %s && !is_chassis_resident(",
                  ea->ea_s);
    ls_put_op(&c->match, c->op);
    ds_put_char(&c->match, ')');
    prefix = c->match.length;
    for (size_t i = 0; i < r->n_ipv4; i++) {
        ds_truncate(&c->match, prefix);
        ds_put_format(&c->match, " && arp.tpa == %s && arp.op == 1",
                      r->ipv4[i].addr_s);
        lflow_add_with_port(c->lf, c->od, LS_IN_EXTERNAL_PORT, 100,
                            ds_cstr(&c->match), "drop;", ln->name,
                            &c->op->nb_uuid);
    }
    for (size_t i = 0; i < r->n_ipv6; i++) {
        const struct lport_addrs_ip *ip = &r->ipv6[i];

        ds_truncate(&c->match, prefix);
        ds_put_format(&c->match, " && nd_ns && ip6.dst == {%s, %s} && "
                      "nd.target == %s", ip->addr_s, ip->sn_addr_s,
                      ip->addr_s);
        lflow_add_with_port(c->lf, c->od, LS_IN_EXTERNAL_PORT, 100,
                            ds_cstr(&c->match), "drop;", ln->name,
                            &c->op->nb_uuid);
    }
    ds_clear(&c->match);
    ds_put_cstr(&c->match, "inport == ");
    ls_put_op(&c->match, ln);
    ds_put_format(&c->match, " && eth.src == %s && eth.dst == %s && "
                  "!is_chassis_resident(", ea->ea_s, r->ea_s);
    ls_put_op(&c->match, c->op);
    ds_put_char(&c->match, ')');
    lflow_add_with_port(c->lf, c->od, LS_IN_EXTERNAL_PORT, 100,
                        ds_cstr(&c->match), "drop;", ln->name,
                        &c->op->nb_uuid);
}

static void
build_external_port(struct arp_ctx *c)
{
    const struct northd_datapath *od = c->od;
    const struct northd_port *op = c->op;

    for (size_t i = 0; i < od->n_localnet_ports; i++) {
        for (size_t j = 0; j < op->n_lsp_addrs; j++) {
            for (size_t k = 0; k < od->n_router_ports; k++) {
                const struct northd_port *rp = od->router_ports[k]->peer;

                if (rp && rp->kind == NORTHD_PORT_LRP) {
                    build_external_drops(c, od->localnet_ports[i],
                                         &op->lsp_addrs[j], rp);
                }
            }
        }
    }
}

static void
build_port_responder(struct arp_ctx *c, const struct northd_ports *ports)
{
    const struct northd_port *op = c->op;
    enum northd_lsp_type type = op->lsp_type;
    const struct lport_addrs *addrs;
    size_t n;

    if (type == NORTHD_LSP_LOCALNET) {
        /* Requests from the physical network are left to the VMs. */
        ds_clear(&c->match);
        ds_put_cstr(&c->match, "inport == ");
        ls_put_op(&c->match, op);
        lflow_add_with_port(c->lf, c->od, LS_IN_ARP_RSP, 100,
                            ds_cstr(&c->match), "next;", op->name,
                            &op->nb_uuid);
        return;
    } else if (type == NORTHD_LSP_VIRTUAL) {
        build_virtual_binding(c, ports);
        return;
    } else if (type == NORTHD_LSP_EXTERNAL) {
        build_external_port(c);
        return;
    }
    if (ports_is_router_lsp(op) && op->peer
        && op->peer->kind == NORTHD_PORT_LRP) {
        build_arp_proxy(c, &op->peer->lrp_networks);
    }
    if (!answers_for(c, op)) {
        return;
    }
    n = ls_port_addrs(op, &addrs);
    for (size_t i = 0; i < n; i++) {
        const struct lport_addrs *a = &addrs[i];

        for (size_t j = 0; j < a->n_ipv4; j++) {
            add_arp_reply(c, a, &a->ipv4[j]);
        }
        for (size_t j = 0; j < a->n_ipv6; j++) {
            add_nd_reply(c, a, &a->ipv6[j], ports_is_router_lsp(op));
        }
    }
}

/* Forwarding groups: the switch answers ARP for the group's VIP with its
 * virtual MAC. */
static void
build_fwd_group_arp(struct arp_ctx *c)
{
    const struct nbrec_logical_switch *nbs = c->od->nbs;

    for (size_t i = 0; i < nbs->n_forwarding_groups; i++) {
        const struct nbrec_forwarding_group *fg = nbs->forwarding_groups[i];
        struct eth_addr ea;
        struct in6_addr vip;

        if (!ip_from_string(fg->vip, &vip) || !ip_is_v4(&vip)
            || !eth_addr_from_string(fg->vmac, &ea)) {
            VLOG_WARN_RL(&rl, "forwarding group %s: bad vip \"%s\" or vmac "
                         "\"%s\": skipped", fg->name, fg->vip, fg->vmac);
            continue;
        }
        ds_clear(&c->match);
        ds_put_format(&c->match, "arp.tpa == %s && arp.op == 1", fg->vip);
        ds_clear(&c->actions);
        ds_put_format(&c->actions,
                      "eth.dst = eth.src; eth.src = %s; arp.op = 2; "
                      "/* ARP reply */ arp.tha = arp.sha; arp.sha = %s; "
                      "arp.tpa = arp.spa; arp.spa = %s; outport = inport; "
                      "flags.loopback = 1; output;",
                      fg->vmac, fg->vmac, fg->vip);
        lflow_add(c->lf, c->od, LS_IN_ARP_RSP, 50, ds_cstr(&c->match),
                  ds_cstr(&c->actions), &fg->header_.uuid);
    }
}

void
ls_build_arp_rsp_flows(const struct northd *nd, struct lflow_table *lf)
{
    const struct nbrec_nb_global *nbg = nbrec_nb_global_first(nd->nb);
    struct arp_ctx c = {
        .lf = lf,
        .ignore_lsp_down = !nbg || options_get_bool(nbg->options,
                                                    "ignore_lsp_down", true),
        .match = DS_EMPTY_INITIALIZER,
        .actions = DS_EMPTY_INITIALIZER,
    };

    for (size_t i = 0; i < nd->datapaths.n_switches; i++) {
        c.od = nd->datapaths.array[i];
        c.vlan_passthru = options_get_bool(c.od->nbs->other_config,
                                           "vlan-passthru", false);
        for (size_t j = 0; j < c.od->n_ports; j++) {
            c.op = c.od->ports[j];
            lflow_table_set_owner(lf, &c.op->nb_uuid);
            build_port_responder(&c, &nd->ports);
        }
        lflow_table_set_owner(lf, NULL);
        build_fwd_group_arp(&c);
    }
    ds_destroy(&c.match);
    ds_destroy(&c.actions);
}

void
ls_build_arp_rsp_port_flows(const struct northd *nd,
                            const struct northd_port *op,
                            struct lflow_table *lf)
{
    const struct nbrec_nb_global *nbg = nbrec_nb_global_first(nd->nb);
    struct arp_ctx c = {
        .lf = lf,
        .od = op->od,
        .op = op,
        .ignore_lsp_down = !nbg || options_get_bool(nbg->options,
                                                    "ignore_lsp_down", true),
        .vlan_passthru = options_get_bool(op->od->nbs->other_config,
                                          "vlan-passthru", false),
        .match = DS_EMPTY_INITIALIZER,
        .actions = DS_EMPTY_INITIALIZER,
    };

    lflow_table_set_owner(lf, &op->nb_uuid);
    build_port_responder(&c, &nd->ports);
    lflow_table_set_owner(lf, NULL);
    ds_destroy(&c.match);
    ds_destroy(&c.actions);
}
