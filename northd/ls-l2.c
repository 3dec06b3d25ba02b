/* northd/ls-l2: switch port security, FDB learning, L2 lookup and
 * unknown destinations (see ls-pipeline.h). */
#include "northd/ls-pipeline.h"

#include <stdlib.h>
#include <string.h>
#include "ds.h"
#include "json.h"
#include "util.h"
#include "northd/datapaths.h"
#include "northd/lflow.h"
#include "northd/lport-addrs.h"
#include "northd/northd.h"
#include "northd/options.h"
#include "northd/ports.h"
#include "ovsdb/nbrec-idl.h"

void
ls_put_port(struct ds *ds, const char *name)
{
    json_string_escape(name, ds);
}

void
ls_put_op(struct ds *ds, const struct northd_port *op)
{
    ds_put_cstr(ds, op->json_name);
}

/* The peer router port of router LSP 'op', or NULL. */
static const struct northd_port *
lrp_peer(const struct northd_port *op)
{
    if (!ports_is_router_lsp(op) || !op->peer
        || op->peer->kind != NORTHD_PORT_LRP) {
        return NULL;
    }
    return op->peer;
}

/* The peer router port of router LSP 'op' if its addresses say "router",
 * else NULL. */
static const struct northd_port *
router_peer(const struct northd_port *op)
{
    return op->has_router_addr ? lrp_peer(op) : NULL;
}

size_t
ls_port_addrs(const struct northd_port *op, const struct lport_addrs **addrs)
{
    const struct northd_port *peer = router_peer(op);

    if (peer) {
        *addrs = &peer->lrp_networks;
        return 1;
    }
    *addrs = op->lsp_addrs;
    return op->n_lsp_addrs;
}

/* Port security. */

/* The queue of options:qdisc_queue_id of 'op', or 0 for none. */
static long long
qdisc_queue_id(const struct northd_port *op)
{
    long long id = op->qdisc_queue_id;

    return id > 0 && id <= 0xf000 ? id : 0;
}

static void
build_port_sec_op(const struct northd_datapath *od,
                  const struct northd_port *op, struct lflow_table *lf,
                  struct ds *match, struct ds *actions)
{
    long long queue = qdisc_queue_id(op);

    ds_clear(match);
    ds_put_cstr(match, "inport == ");
    ls_put_op(match, op);
    ds_clear(actions);
    if (!op->enabled) {
        lflow_add_with_port(lf, od, LS_IN_CHECK_PORT_SEC, 100,
                            ds_cstr(match), "reg0[15] = 1; next;", op->name,
                            &op->nb_uuid);
        return;
    } else if (!strcmp(op->nbsp->type, "vtep")) {
        /* From a VTEP gateway: ACLs are left to the egress pipeline. */
        ds_put_format(actions, "reg0[14] = 1; next(pipeline=ingress, "
                      "table=%u);", lflow_stage_table(LS_IN_HAIRPIN));
    } else if (queue) {
        ds_put_format(actions, "set_queue(%lld); "
                      "reg0[15] = check_in_port_sec(); next;", queue);
    } else {
        return;
    }
    lflow_add_with_port(lf, od, LS_IN_CHECK_PORT_SEC, 70, ds_cstr(match),
                        ds_cstr(actions), op->name, &op->nb_uuid);
    if (queue && !strcmp(op->nbsp->type, "localnet")) {
        ds_clear(match);
        ds_put_cstr(match, "outport == ");
        ls_put_op(match, op);
        ds_clear(actions);
        ds_put_format(actions, "set_queue(%lld); output;", queue);
        lflow_add_with_port(lf, od, LS_OUT_APPLY_PORT_SEC, 100,
                            ds_cstr(match), ds_cstr(actions), op->name,
                            &op->nb_uuid);
    }
}

static void
build_port_sec_od(const struct northd_datapath *od, struct lflow_table *lf,
                  struct ds *match, struct ds *actions)
{
    if (!options_get_bool(od->nbs->other_config, "vlan-passthru", false)) {
        lflow_add(lf, od, LS_IN_CHECK_PORT_SEC, 100, "vlan.present",
                  "drop;", NULL);
    }
    lflow_add(lf, od, LS_IN_CHECK_PORT_SEC, 100, "eth.src[40]", "drop;",
              NULL);
    lflow_add(lf, od, LS_IN_CHECK_PORT_SEC, 50, "1",
              "reg0[15] = check_in_port_sec(); next;", NULL);
    lflow_add(lf, od, LS_IN_APPLY_PORT_SEC, 50, "reg0[15] == 1", "drop;",
              NULL);
    lflow_add(lf, od, LS_OUT_CHECK_PORT_SEC, 100, "eth.mcast",
              "reg0[15] = 0; next;", NULL);
    lflow_add(lf, od, LS_OUT_APPLY_PORT_SEC, 50, "reg0[15] == 1", "drop;",
              NULL);
    for (size_t i = 0; i < od->n_ports; i++) {
        lflow_table_set_owner(lf, &od->ports[i]->nb_uuid);
        build_port_sec_op(od, od->ports[i], lf, match, actions);
    }
    lflow_table_set_owner(lf, NULL);
}

void
ls_build_port_sec_flows(const struct northd *nd, struct lflow_table *lf)
{
    struct ds match = DS_EMPTY_INITIALIZER;
    struct ds actions = DS_EMPTY_INITIALIZER;

    for (size_t i = 0; i < nd->datapaths.n_switches; i++) {
        build_port_sec_od(nd->datapaths.array[i], lf, &match, &actions);
    }
    ds_destroy(&match);
    ds_destroy(&actions);
}

/* FDB: a VIF port with "unknown" and no port security learns the source
 * MACs behind it. */

static void
build_fdb_port(const struct northd_port *op, struct lflow_table *lf,
               struct ds *match)
{
    if (!op->has_unknown || op->nbsp->type[0]
        || op->nbsp->n_port_security) {
        return;
    }
    ds_clear(match);
    ds_put_cstr(match, "inport == ");
    ls_put_op(match, op);
    lflow_add_with_port(lf, op->od, LS_IN_LOOKUP_FDB, 100, ds_cstr(match),
                        "reg0[11] = lookup_fdb(inport, eth.src); next;",
                        op->name, &op->nb_uuid);
    ds_put_cstr(match, " && reg0[11] == 0");
    lflow_add_with_port(lf, op->od, LS_IN_PUT_FDB, 100, ds_cstr(match),
                        "put_fdb(inport, eth.src); next;", op->name,
                        &op->nb_uuid);
}

void
ls_build_fdb_flows(const struct northd *nd, struct lflow_table *lf)
{
    struct ds match = DS_EMPTY_INITIALIZER;

    for (size_t i = 0; i < nd->datapaths.n_switches; i++) {
        const struct northd_datapath *od = nd->datapaths.array[i];

        for (size_t j = 0; j < od->n_ports; j++) {
            lflow_table_set_owner(lf, &od->ports[j]->nb_uuid);
            build_fdb_port(od->ports[j], lf, &match);
        }
    }
    lflow_table_set_owner(lf, NULL);
    ds_destroy(&match);
}

/* L2 lookup. */

struct l2_ctx {
    struct lflow_table *lf;
    const struct northd_datapath *od;
    bool only_routers;          /* Every port of 'od' is a router port. */
    struct ds match;
    struct ds actions;
};

static void
put_output(struct ds *actions, const struct northd_port *op)
{
    ds_clear(actions);
    ds_put_cstr(actions, "outport = ");
    ls_put_op(actions, op);
    ds_put_cstr(actions, "; output;");
}

/* Unicast to 'op': output, or drop if it is disabled. */
static void
put_port_action(struct l2_ctx *c, const struct northd_port *op)
{
    if (op->enabled) {
        put_output(&c->actions, op);
    } else {
        ds_clear(&c->actions);
        ds_put_cstr(&c->actions, "drop;");
    }
}

/* Does router port 'rp' have a network that contains 'ip'? */
static bool
lrp_reaches(const struct northd_port *rp, const struct in6_addr *ip,
            bool is_v4)
{
    const struct lport_addrs *n = &rp->lrp_networks;
    const struct lport_addrs_ip *ips = is_v4 ? n->ipv4 : n->ipv6;
    size_t n_ips = is_v4 ? n->n_ipv4 : n->n_ipv6;

    for (size_t i = 0; i < n_ips; i++) {
        unsigned int plen = ips[i].plen + (is_v4 ? 96 : 0);
        bool same = true;

        for (unsigned int b = 0; b < plen && same; b += 8) {
            unsigned int bits = plen - b < 8 ? plen - b : 8;
            uint8_t mask = (uint8_t) (0xff << (8 - bits));

            same = !((ip->s6_addr[b / 8] ^ ips[i].addr.s6_addr[b / 8])
                     & mask);
        }
        if (same) {
            return true;
        }
    }
    return false;
}

/* Priority 80: ARP requests and NS for the router's address 'ip' go to
 * the router port (a clone) and to the switch's other non-router ports. */
static void
add_rport_arp_flow(struct l2_ctx *c, const struct northd_port *op,
                   const char *ip, bool is_v4)
{
    ds_clear(&c->match);
    if (is_v4) {
        ds_put_format(&c->match, "flags[1] == 0 && arp.op == 1 && "
                      "arp.tpa == %s", ip);
    } else {
        ds_put_format(&c->match, "flags[1] == 0 && nd_ns && "
                      "nd.target == %s", ip);
    }
    if (c->only_routers) {
        put_output(&c->actions, op);
    } else {
        ds_clear(&c->actions);
        ds_put_cstr(&c->actions, "clone {outport = ");
        ls_put_op(&c->actions, op);
        ds_put_cstr(&c->actions, "; output; }; "
                    "outport = \"_MC_flood_l2\"; output;");
    }
    lflow_add(c->lf, c->od, LS_IN_L2_LKUP, 80, ds_cstr(&c->match),
              ds_cstr(&c->actions), &op->nb_uuid);
}

/* The router-owned IPs reachable through router port 'rp' (its networks,
 * its router's NAT external IPs and load balancer VIPs in those
 * networks), each given to add_rport_arp_flow(). */
static void
build_rport_arp_flows(struct l2_ctx *c, const struct northd_port *op,
                      const struct northd_port *rp)
{
    const struct nbrec_logical_router *nbr = rp->od->nbr;
    const struct lport_addrs *n = &rp->lrp_networks;

    for (size_t i = 0; i < n->n_ipv4; i++) {
        add_rport_arp_flow(c, op, n->ipv4[i].addr_s, true);
    }
    for (size_t i = 0; i < n->n_ipv6; i++) {
        add_rport_arp_flow(c, op, n->ipv6[i].addr_s, false);
    }
    for (size_t i = 0; i < nbr->n_nat; i++) {
        char buf[INET6_ADDRSTRLEN];
        struct in6_addr ip;

        if (!lport_addrs_parse_vip(nbr->nat[i]->external_ip, &ip, buf)) {
            continue;
        }
        bool is_v4 = IN6_IS_ADDR_V4MAPPED(&ip);
        if (strcmp(nbr->nat[i]->type, "snat")
            || lrp_reaches(rp, &ip, is_v4)) {
            add_rport_arp_flow(c, op, buf, is_v4);
        }
    }
    for (size_t i = 0; i < nbr->n_load_balancer; i++) {
        const struct ovsdb_datum *vips = nbr->load_balancer[i]->vips;

        for (size_t j = 0; vips && j < vips->n; j++) {
            char buf[INET6_ADDRSTRLEN];
            struct in6_addr ip;

            if (lport_addrs_parse_vip(ovsdb_atom_string(&vips->keys[j]),
                                      &ip, buf)) {
                bool is_v4 = IN6_IS_ADDR_V4MAPPED(&ip);
                if (lrp_reaches(rp, &ip, is_v4)) {
                    add_rport_arp_flow(c, op, buf, is_v4);
                }
            }
        }
    }
}

/* Is 'nat' a distributed dnat_and_snat (logical_port and external_mac)
 * with a valid external MAC? */
static bool
nat_is_distributed(const struct nbrec_nat *nat)
{
    struct eth_addr ea;

    return (!strcmp(nat->type, "dnat_and_snat") && nat->logical_port
            && nat->external_mac && eth_addr_from_string(nat->external_mac,
                                                         &ea));
}

static bool
is_first_dgp(const struct northd_port *rp)
{
    return rp->od->n_l3dgw_ports && rp->od->l3dgw_ports[0] == rp;
}

static uint64_t
eth_to_u64(const struct eth_addr *ea)
{
    uint64_t x = 0;

    for (int i = 0; i < 6; i++) {
        x = (x << 8) | ea->ea[i];
    }
    return x;
}

static int
compare_u64(const void *a_, const void *b_)
{
    uint64_t a = *(const uint64_t *) a_, b = *(const uint64_t *) b_;

    return a < b ? -1 : a > b;
}

/* Priority 75: the router's own ARP requests, RARP and NS (from the
 * router port's MAC or the external MAC of a non-SNAT NAT) flood to the
 * switch's non-router ports.  The NAT MACs follow in address order,
 * each once. */
static void
build_rport_self_flood(struct l2_ctx *c, const struct northd_port *op,
                       const struct northd_port *rp)
{
    const struct nbrec_logical_router *nbr = rp->od->nbr;
    uint64_t own = eth_to_u64(&rp->lrp_networks.ea);
    uint64_t *macs = xmalloc((nbr->n_nat + 1) * sizeof *macs);
    size_t n = 0;

    for (size_t i = 0; i < nbr->n_nat; i++) {
        const struct nbrec_nat *nat = nbr->nat[i];
        struct eth_addr ea;

        if (strcmp(nat->type, "snat") && nat->external_mac
            && eth_addr_from_string(nat->external_mac, &ea)
            && eth_to_u64(&ea) != own) {
            macs[n++] = eth_to_u64(&ea);
        }
    }
    if (n > 1) {
        qsort(macs, n, sizeof *macs, compare_u64);
    }
    ds_clear(&c->match);
    ds_put_format(&c->match, "eth.src == {%s", rp->lrp_networks.ea_s);
    for (size_t i = 0; i < n; i++) {
        if (!i || macs[i] != macs[i - 1]) {
            ds_put_format(&c->match, ", %02x:%02x:%02x:%02x:%02x:%02x",
                          (unsigned) (macs[i] >> 40) & 0xff,
                          (unsigned) (macs[i] >> 32) & 0xff,
                          (unsigned) (macs[i] >> 24) & 0xff,
                          (unsigned) (macs[i] >> 16) & 0xff,
                          (unsigned) (macs[i] >> 8) & 0xff,
                          (unsigned) macs[i] & 0xff);
        }
    }
    free(macs);
    ds_put_cstr(&c->match, "} && (arp.op == 1 || rarp.op == 3 || nd_ns)");
    lflow_add(c->lf, c->od, LS_IN_L2_LKUP, 75, ds_cstr(&c->match),
              "outport = \"_MC_flood_l2\"; output;", &op->nb_uuid);
}

/* Priority 50: the router port's MAC, and the external MACs of its
 * router's distributed NATs. */
static void
build_rport_unicast(struct l2_ctx *c, const struct northd_port *op,
                    const struct northd_port *rp)
{
    const struct nbrec_logical_router *nbr = rp->od->nbr;

    ds_clear(&c->match);
    ds_put_format(&c->match, "eth.dst == %s", rp->lrp_networks.ea_s);
    if (rp->od->n_l3dgw_ports && c->od->n_localnet_ports) {
        bool check = (rp->cr_port != NULL
                      || (rp->od->n_l3dgw_ports == 1
                          && options_get_bool(rp->nbrp->options,
                                              "reside-on-redirect-chassis",
                                              false)));
        const struct northd_port *dgp = rp->cr_port ? rp
                                        : rp->od->l3dgw_ports[0];
        if (check && dgp->cr_port) {
            ds_put_cstr(&c->match, " && is_chassis_resident(");
            ls_put_op(&c->match, dgp->cr_port);
            ds_put_char(&c->match, ')');
        }
    }
    put_port_action(c, op);
    lflow_add(c->lf, c->od, LS_IN_L2_LKUP, 50, ds_cstr(&c->match),
              ds_cstr(&c->actions), &op->nb_uuid);
    if (!is_first_dgp(rp)) {
        return;
    }
    for (size_t i = 0; i < nbr->n_nat; i++) {
        const struct nbrec_nat *nat = nbr->nat[i];

        if (!nat_is_distributed(nat)) {
            continue;
        }
        ds_clear(&c->match);
        ds_put_format(&c->match, "eth.dst == %s && is_chassis_resident(",
                      nat->external_mac);
        ls_put_port(&c->match, nat->logical_port);
        ds_put_char(&c->match, ')');
        lflow_add(c->lf, c->od, LS_IN_L2_LKUP, 50, ds_cstr(&c->match),
                  ds_cstr(&c->actions), &op->nb_uuid);
    }
}

static void
build_port_unicast(struct l2_ctx *c, const struct northd_port *op)
{
    const struct northd_port *rp = lrp_peer(op);

    if (rp) {
        build_rport_arp_flows(c, op, rp);
        if (!c->only_routers) {
            build_rport_self_flood(c, op, rp);
        }
        if (op->has_router_addr) {
            build_rport_unicast(c, op, rp);
        }
    }
    if (op->lsp_type == NORTHD_LSP_EXTERNAL) {
        return;                 /* Reached through the localnet port. */
    }
    put_port_action(c, op);
    for (size_t i = 0; i < op->n_lsp_addrs; i++) {
        ds_clear(&c->match);
        ds_put_cstr(&c->match, "eth.dst == ");
        ds_put_cstr(&c->match, op->lsp_addrs[i].ea_s);
        lflow_add(c->lf, c->od, LS_IN_L2_LKUP, 50, ds_cstr(&c->match),
                  ds_cstr(&c->actions), &op->nb_uuid);
    }
}

static bool
only_router_ports(const struct northd_datapath *od)
{
    for (size_t i = 0; i < od->n_ports; i++) {
        if (!ports_is_router_lsp(od->ports[i])) {
            return false;
        }
    }
    return true;
}

/* IP multicast with other_config:mcast_snoop: IGMP/MLD to the controller,
 * link-local groups flooded, unregistered groups to the relaying routers
 * and the mcast_flood ports (or dropped). */
static void
build_mcast_snoop(struct l2_ctx *c)
{
    const struct northd_datapath *od = c->od;
    bool relay = false, flood_static = false;

    lflow_add(c->lf, od, LS_IN_L2_LKUP, 100, "igmp", "igmp;", NULL);
    lflow_add(c->lf, od, LS_IN_L2_LKUP, 100, "mldv1 || mldv2", "igmp;",
              NULL);
    lflow_add(c->lf, od, LS_IN_L2_LKUP, 85,
              "ip4.mcast && ip4.dst == 224.0.0.0/24",
              "outport = \"_MC_flood_l2\"; output;", NULL);
    lflow_add(c->lf, od, LS_IN_L2_LKUP, 85, "ip6.mcast_flood",
              "outport = \"_MC_flood\"; output;", NULL);
    if (options_get_bool(od->nbs->other_config, "mcast_flood_unregistered",
                         false)) {
        return;
    }
    for (size_t i = 0; i < od->n_ports; i++) {
        const struct northd_port *op = od->ports[i];

        relay |= (ports_is_router_lsp(op) && op->peer
                  && op->peer->od->mcast_relay);
        flood_static |= (op->enabled
                         && options_get_bool(op->nbsp->options,
                                             "mcast_flood", false));
    }
    ds_clear(&c->actions);
    if (relay) {
        ds_put_cstr(&c->actions, "clone { outport = \"_MC_mrouter_flood\"; "
                    "output; }; ");
    }
    if (flood_static) {
        ds_put_cstr(&c->actions, "outport =\"_MC_static\"; output;");
    }
    if (!relay && !flood_static) {
        ds_put_cstr(&c->actions, "drop;");
    }
    lflow_add(c->lf, od, LS_IN_L2_LKUP, 80, "ip4.mcast || ip6.mcast",
              ds_cstr(&c->actions), NULL);
}

/* Forwarding groups: their virtual MAC goes to one of the child ports. */
static void
build_fwd_groups(struct l2_ctx *c)
{
    const struct nbrec_logical_switch *nbs = c->od->nbs;

    for (size_t i = 0; i < nbs->n_forwarding_groups; i++) {
        const struct nbrec_forwarding_group *fg = nbs->forwarding_groups[i];
        struct eth_addr ea;

        if (!fg->n_child_port || !eth_addr_from_string(fg->vmac, &ea)) {
            continue;           /* Logged by the ARP responder. */
        }
        ds_clear(&c->match);
        ds_put_format(&c->match, "eth.dst == %s", fg->vmac);
        ds_clear(&c->actions);
        ds_put_format(&c->actions, "fwd_group(%schildports=",
                      fg->liveness ? "liveness=\"true\"," : "");
        for (size_t j = 0; j < fg->n_child_port; j++) {
            if (j) {
                ds_put_char(&c->actions, ',');
            }
            ls_put_port(&c->actions, fg->child_port[j]);
        }
        ds_put_cstr(&c->actions, ");");
        lflow_add(c->lf, c->od, LS_IN_L2_LKUP, 50, ds_cstr(&c->match),
                  ds_cstr(&c->actions), &fg->header_.uuid);
    }
}

/* The L2 flows of port 'op' itself. */
static void
build_l2_port(struct l2_ctx *c, const struct northd_port *op)
{
    build_port_unicast(c, op);
    if (!op->enabled) {
        ds_clear(&c->match);
        ds_put_cstr(&c->match, "outport == ");
        ls_put_op(&c->match, op);
        lflow_add_with_port(c->lf, c->od, LS_IN_L2_UNKNOWN, 50,
                            ds_cstr(&c->match), "drop;", op->name,
                            &op->nb_uuid);
    }
}

static void
build_l2_od(struct l2_ctx *c)
{
    const struct northd_datapath *od = c->od;

    lflow_add(c->lf, od, LS_IN_L2_LKUP, 110,
              "eth.dst == $svc_monitor_mac && (tcp || icmp || icmp6)",
              "handle_svc_check(inport);", NULL);
    lflow_add(c->lf, od, LS_IN_L2_LKUP, 70, "eth.mcast",
              "outport = \"_MC_flood\"; output;", NULL);
    if (od->mcast_snoop) {
        build_mcast_snoop(c);
    }
    build_fwd_groups(c);
    lflow_add(c->lf, od, LS_IN_L2_UNKNOWN, 50, "outport == \"none\"",
              od->has_unknown ? "outport = \"_MC_unknown\"; output;"
                              : "drop;", NULL);
    for (size_t i = 0; i < od->n_ports; i++) {
        lflow_table_set_owner(c->lf, &od->ports[i]->nb_uuid);
        build_l2_port(c, od->ports[i]);
    }
    lflow_table_set_owner(c->lf, NULL);
}

void
ls_build_l2_flows(const struct northd *nd, struct lflow_table *lf)
{
    struct l2_ctx c = {
        .lf = lf,
        .match = DS_EMPTY_INITIALIZER,
        .actions = DS_EMPTY_INITIALIZER,
    };

    for (size_t i = 0; i < nd->datapaths.n_switches; i++) {
        c.od = nd->datapaths.array[i];
        c.only_routers = only_router_ports(c.od);
        build_l2_od(&c);
    }
    ds_destroy(&c.match);
    ds_destroy(&c.actions);
}

bool
ls_only_router_ports(const struct northd_datapath *od)
{
    return only_router_ports(od);
}

void
ls_build_l2_port_flows(const struct northd_port *op, struct lflow_table *lf)
{
    struct l2_ctx c = {
        .lf = lf,
        .od = op->od,
        .only_routers = only_router_ports(op->od),
        .match = DS_EMPTY_INITIALIZER,
        .actions = DS_EMPTY_INITIALIZER,
    };

    lflow_table_set_owner(lf, &op->nb_uuid);
    build_port_sec_op(op->od, op, lf, &c.match, &c.actions);
    build_fdb_port(op, lf, &c.match);
    build_l2_port(&c, op);
    lflow_table_set_owner(lf, NULL);
    ds_destroy(&c.match);
    ds_destroy(&c.actions);
}
