/* northd/ls-arp: the switch's ARP and ND responder, ls_in_arp_rsp (see
 * ls-pipeline.h). */
#include "northd/ls-pipeline.h"

#include <string.h>
#include "ds.h"
#include "util.h"
#include "northd/datapaths.h"
#include "northd/lflow.h"
#include "northd/lport-addrs.h"
#include "northd/northd.h"
#include "northd/ports.h"
#include "ovsdb/nbrec-idl.h"

struct arp_ctx {
    struct lflow_table *lf;
    const struct northd_datapath *od;
    const struct northd_port *op;
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
    ls_put_port(&c->match, c->op->name);
    lflow_add_with_port(c->lf, c->od, LS_IN_ARP_RSP, 100,
                        ds_cstr(&c->match), "next;", c->op->name,
                        &c->op->nb_uuid);
}

static void
add_arp_reply(struct arp_ctx *c, const struct lport_addrs *a,
              const struct lport_addrs_ip *ip)
{
    ds_clear(&c->match);
    ds_put_format(&c->match, "arp.tpa == %s && arp.op == 1", ip->addr_s);
    ds_clear(&c->actions);
    ds_put_format(&c->actions,
                  "eth.dst = eth.src; eth.src = %s; arp.op = 2; "
                  "/* ARP reply */ arp.tha = arp.sha; arp.sha = %s; "
                  "arp.tpa = arp.spa; arp.spa = %s; outport = inport; "
                  "flags.loopback = 1; output;",
                  a->ea_s, a->ea_s, ip->addr_s);
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
 * MAC behind the address may be any). */
static bool
answers_for(const struct northd_port *op)
{
    const char *type = op->nbsp->type;

    return (!op->has_unknown
            && strcmp(type, "localnet") && strcmp(type, "vtep")
            && strcmp(type, "external") && strcmp(type, "virtual")
            && strcmp(type, "l2gateway"));
}

static void
build_port_responder(struct arp_ctx *c)
{
    const struct northd_port *op = c->op;
    const char *type = op->nbsp->type;
    const struct lport_addrs *addrs;
    size_t n;

    if (!strcmp(type, "localnet") || !strcmp(type, "vtep")) {
        /* Requests from the physical network are left to the VMs. */
        ds_clear(&c->match);
        ds_put_cstr(&c->match, "inport == ");
        ls_put_port(&c->match, op->name);
        lflow_add_with_port(c->lf, c->od, LS_IN_ARP_RSP, 100,
                            ds_cstr(&c->match), "next;", op->name,
                            &op->nb_uuid);
        return;
    }
    if (!answers_for(op)) {
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

void
ls_build_arp_rsp_flows(const struct northd *nd, struct lflow_table *lf)
{
    struct arp_ctx c = {
        .lf = lf,
        .match = DS_EMPTY_INITIALIZER,
        .actions = DS_EMPTY_INITIALIZER,
    };

    for (size_t i = 0; i < nd->datapaths.n_switches; i++) {
        c.od = nd->datapaths.array[i];
        for (size_t j = 0; j < c.od->n_ports; j++) {
            c.op = c.od->ports[j];
            build_port_responder(&c);
        }
    }
    ds_destroy(&c.match);
    ds_destroy(&c.actions);
}
