/* northd/lr-routes: router stages lr_in_ip_routing_pre, lr_in_ip_routing,
 * lr_in_ip_routing_ecmp, lr_in_policy and lr_in_policy_ecmp: connected
 * routes, static routes (longest prefix, ECMP, source-IP routes, route
 * tables) and router policies.  See lr-pipeline.h.
 *
 * Priorities, as ovn-northd 23.03 writes them: a route to a prefix of
 * length PLEN (of its own family) has priority PLEN * 3 + 2 if
 * connected, PLEN * 3 + 1 if static with the default dst-ip policy and
 * PLEN * 3 for policy=src-ip. */
#include "northd/lr-private.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"
#include "vlog.h"
#include "expr/expr.h"
#include "expr/symtab.h"
#include "ovsdb/nbrec-idl.h"
#include "northd/datapaths.h"
#include "northd/global.h"
#include "northd/northd.h"
#include "northd/ports.h"

VLOG_DEFINE_THIS_MODULE(lr_routes);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

#define ADD(STAGE, PRIO, MATCH, ACTIONS, HINT)                             \
    lflow_add(ctx->lflows, ctx->od, STAGE, PRIO, MATCH, ACTIONS, HINT)

/* Where a route or policy sends a packet. */
struct lr_hop {
    const struct northd_port *port;
    const struct lport_addrs_ip *src;       /* Router address used. */
    char nexthop[INET6_ADDRSTRLEN];         /* "" for a connected route. */
    bool v4;
};

static void
put_hop(struct ds *a, const struct lr_hop *h)
{
    const char *r0 = h->v4 ? "reg0" : "xxreg0";
    const char *r1 = h->v4 ? "reg1" : "xxreg1";

    ds_put_format(a, "%s = %s; %s = %s; eth.src = %s; outport = \"%s\"; ",
                  r0, h->nexthop[0] ? h->nexthop
                  : (h->v4 ? "ip4.dst" : "ip6.dst"),
                  r1, h->src->addr_s, h->port->lrp_networks.ea_s,
                  h->port->name);
}

/* Finds the router port and address through which 'nexthop' (text) is
 * reached: 'out_port' if given, else a port with a network containing
 * it.  Returns false if there is none. */
static bool
find_hop(const struct northd_datapath *od, const char *nexthop,
         const char *out_port, struct lr_hop *h)
{
    struct in6_addr ip;

    memset(h, 0, sizeof *h);
    if (!ip_from_string(nexthop, &ip)) {
        return false;
    }
    h->v4 = ip_is_v4(&ip);
    struct ds s = DS_EMPTY_INITIALIZER;
    ip_format(&ip, &s);
    snprintf(h->nexthop, sizeof h->nexthop, "%s", ds_cstr(&s));
    ds_destroy(&s);
    for (size_t i = 0; i < od->n_ports; i++) {
        const struct northd_port *op = od->ports[i];
        if (!lr_is_lrp(op) || (out_port && strcmp(op->name, out_port))) {
            continue;
        }
        const struct lport_addrs_ip *net = lr_find_network(op, &ip, h->v4);
        if (!net && out_port) {
            const struct lport_addrs *n = &op->lrp_networks;
            net = h->v4 ? (n->n_ipv4 ? &n->ipv4[0] : NULL)
                        : (n->n_ipv6 ? &n->ipv6[0] : NULL);
        }
        if (net) {
            h->port = op;
            h->src = net;
            return true;
        }
    }
    return false;
}

static void
build_connected(struct lr_ctx *ctx, const struct northd_port *op)
{
    const struct lport_addrs *n = &op->lrp_networks;
    struct ds *m = &ctx->match, *a = &ctx->actions;

    for (size_t f = 0; f < 2; f++) {
        bool v4 = f == 0;
        const struct lport_addrs_ip *ips = v4 ? n->ipv4 : n->ipv6;
        size_t n_ips = v4 ? n->n_ipv4 : n->n_ipv6;
        for (size_t i = 0; i < n_ips; i++) {
            struct lr_hop h = { .port = op, .src = &ips[i], .v4 = v4 };
            bool lla = !v4 && !strncmp(ips[i].addr_s, "fe80:", 5);
            ds_clear(m);
            if (lla) {
                ds_put_format(m, "inport == \"%s\" && ip6.dst == fe80::/64",
                              op->name);
            } else {
                ds_put_format(m, "%s.dst == %s/%u", v4 ? "ip4" : "ip6",
                              ips[i].network_s, ips[i].plen);
            }
            ds_clear(a);
            ds_put_cstr(a, "ip.ttl--; reg8[0..15] = 0; ");
            put_hop(a, &h);
            ds_put_cstr(a, "flags.loopback = 1; next;");
            ADD(LR_IN_IP_ROUTING, lla ? 194 : ips[i].plen * 3 + 2,
                ds_cstr(m), ds_cstr(a), &op->nb_uuid);
        }
    }
}

/* One parsed static route. */
struct lr_route {
    const struct nbrec_logical_router_static_route *nb;
    struct in6_addr prefix;
    unsigned int plen;
    char prefix_s[INET6_ADDRSTRLEN + 4];
    bool v4, src_ip, discard;
    uint32_t table;             /* reg7 value. */
    struct lr_hop hop;
    bool done;                  /* Emitted (as part of an ECMP group). */
};

static int
compare_tables(const void *a_, const void *b_)
{
    return strcmp(*(const char *const *) a_, *(const char *const *) b_);
}

/* Route table ids: 0 for the main table "", then 1.. in name order. */
static uint32_t
route_table_id(const char **names, size_t n, const char *name)
{
    if (!name || !name[0]) {
        return 0;
    }
    const char **p = bsearch(&name, names, n, sizeof *names, compare_tables);
    return p ? (uint32_t) (p - names) + 1 : 0;
}

static bool
parse_route(const struct northd_datapath *od,
            const struct nbrec_logical_router_static_route *nb,
            struct lr_route *r)
{
    char buf[UUID_LEN + 1];
    char *error = ip_parse_cidr(nb->ip_prefix, &r->prefix, &r->plen);

    memset(&r->hop, 0, sizeof r->hop);
    r->nb = nb;
    if (error) {
        VLOG_WARN_RL(&rl, "router %s: static route %s: bad ip_prefix: %s",
                     od->name, uuid_to_cstr(&nb->header_.uuid, buf), error);
        free(error);
        return false;
    }
    r->v4 = ip_is_v4(&r->prefix);
    ip_apply_plen(&r->prefix, r->plen);
    struct ds s = DS_EMPTY_INITIALIZER;
    ip_format_cidr(&r->prefix, r->plen, &s);
    snprintf(r->prefix_s, sizeof r->prefix_s, "%s", ds_cstr(&s));
    ds_destroy(&s);
    r->src_ip = nb->policy && !strcmp(nb->policy, "src-ip");
    r->discard = !strcmp(nb->nexthop, "discard");
    r->done = false;
    if (r->discard) {
        return true;
    }
    if (!find_hop(od, nb->nexthop, nb->output_port, &r->hop)
        || r->hop.v4 != r->v4) {
        VLOG_WARN_RL(&rl, "router %s: static route %s: nexthop %s is not "
                     "reachable through a router port of its family",
                     od->name, uuid_to_cstr(&nb->header_.uuid, buf),
                     nb->nexthop);
        return false;
    }
    return true;
}

static void
route_match(struct ds *m, const struct lr_route *r)
{
    ds_clear(m);
    if (r->src_ip) {
        ds_put_format(m, "%s.src == %s", r->v4 ? "ip4" : "ip6", r->prefix_s);
    } else {
        ds_put_format(m, "reg7 == %"PRIu32" && %s.dst == %s", r->table,
                      r->v4 ? "ip4" : "ip6", r->prefix_s);
    }
}

static bool
same_group(const struct lr_route *a, const struct lr_route *b)
{
    return a->v4 == b->v4 && a->plen == b->plen && a->src_ip == b->src_ip
           && a->table == b->table && !a->discard && !b->discard
           && !strcmp(a->prefix_s, b->prefix_s);
}

static int
compare_routes(const void *a_, const void *b_)
{
    const struct lr_route *a = a_, *b = b_;
    if (a->v4 != b->v4) {
        return a->v4 ? -1 : 1;
    }
    int c = strcmp(a->prefix_s, b->prefix_s);
    return c ? c : strcmp(a->nb->nexthop, b->nb->nexthop);
}

/* Has a route of ECMP group 'r'[0..n-1] options:ecmp_symmetric_reply? */
static bool
is_symmetric(const struct lr_route *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *v = nbrec_logical_router_static_route_get_options_value(
            r[i].nb, "ecmp_symmetric_reply");
        if (v && !strcmp(v, "true")) {
            return true;
        }
    }
    return false;
}

/* Flows of one member port of a symmetric ECMP group: connections that
 * came in through it are committed with its port key and the sender's
 * MAC, and their replies go back the same way. */
static void
build_ecmp_symmetric_port(struct lr_ctx *ctx, const struct lr_route *r,
                          const struct lr_hop *h)
{
    static const char *const protos[] = { "sctp", "tcp", "udp" };
    const char *f = r->v4 ? "ip4" : "ip6";
    const struct uuid *hint = &r->nb->header_.uuid;
    struct ds *m = &ctx->match, *a = &ctx->actions;
    uint32_t key = h->port->tunnel_key;
    const char *mark = ctx->nd->global.ct_no_masked_label ? "ct_mark"
                                                         : "ct_label";

    ds_clear(m);
    ds_put_format(m, "inport == \"%s\" && %s.src == %s", h->port->name, f,
                  r->prefix_s);
    ADD(LR_IN_DEFRAG, 100, ds_cstr(m),
        "reg9[5] = chk_ecmp_nh_mac(); ct_next;", hint);
    for (size_t i = 0; i < ARRAY_SIZE(protos) * 2; i++) {
        const char *p = protos[i % 3];
        ds_clear(m);
        ds_put_format(m, "inport == \"%s\" && %s.src == %s && %s && %s%s",
                      h->port->name, f, r->prefix_s,
                      i < 3 ? "(ct.new && !ct.est)" : "(!ct.rpl && ct.est)",
                      p, i < 3 ? "" : " && reg9[5] == 0");
        ds_clear(a);
        ds_put_format(a, "ct_commit { ct_label.ecmp_reply_eth = eth.src;  "
                      "%s.ecmp_reply_port = %"PRIu32";}; "
                      "commit_ecmp_nh(ipv6 = %s, proto = %s); next;", mark,
                      key, r->v4 ? "false" : "true", p);
        ADD(LR_IN_ECMP_STATEFUL, 100, ds_cstr(m), ds_cstr(a), hint);
    }
    ds_clear(m);
    ds_put_format(m, "ct.rpl && reg9[5] == 1 && %s.ecmp_reply_port == "
                  "%"PRIu32, mark, key);
    ADD(LR_IN_POLICY, 65535, ds_cstr(m), "next;", hint);
    ADD(LR_IN_ARP_RESOLVE, 200, ds_cstr(m), "push(xxreg1); xxreg1 = "
        "ct_label; eth.dst = xxreg1[32..79]; pop(xxreg1); next;", hint);
    ds_put_format(m, " && reg7 == %"PRIu32" && %s.dst == %s", r->table, f,
                  r->prefix_s);
    ds_clear(a);
    ds_put_format(a, "ip.ttl--; flags.loopback = 1; eth.src = %s; %s = %s; "
                  "outport = \"%s\"; next;", h->port->lrp_networks.ea_s,
                  r->v4 ? "reg1" : "xxreg1", h->src->addr_s, h->port->name);
    ADD(LR_IN_IP_ROUTING, 10300, ds_cstr(m), ds_cstr(a), hint);
}

static void
build_ecmp_symmetric(struct lr_ctx *ctx, const struct lr_route *r, size_t n)
{
    const char *f = r->v4 ? "ip4" : "ip6";

    ds_clear(&ctx->match);
    ds_put_format(&ctx->match, "reg7 == %"PRIu32" && %s.dst == %s",
                  r->table, f, r->prefix_s);
    ADD(LR_IN_DEFRAG, 100, ds_cstr(&ctx->match),
        "reg9[5] = chk_ecmp_nh(); ct_next;", &r->nb->header_.uuid);
    for (size_t i = 0; i < n; i++) {
        build_ecmp_symmetric_port(ctx, r, &r[i].hop);
    }
}

static void
emit_route(struct lr_ctx *ctx, struct lr_route *r, size_t n_rest,
           uint32_t *ecmp_id)
{
    struct ds *m = &ctx->match, *a = &ctx->actions;
    uint16_t prio = r->plen * 3 + (r->src_ip ? 0 : 1);
    size_t n = 1;

    while (n < n_rest && same_group(r, &r[n])) {
        n++;
    }
    route_match(m, r);
    ds_clear(a);
    if (r->discard) {
        ds_put_cstr(a, "drop;");
    } else if (n == 1) {
        ds_put_cstr(a, "ip.ttl--; reg8[0..15] = 0; ");
        put_hop(a, &r->hop);
        ds_put_cstr(a, "flags.loopback = 1; next;");
    } else {
        uint32_t id = ++*ecmp_id;
        ds_put_format(a, "ip.ttl--; flags.loopback = 1; reg8[0..15] = %"
                      PRIu32"; reg8[16..31] = select(", id);
        for (size_t i = 0; i < n; i++) {
            ds_put_format(a, "%s%zu", i ? ", " : "", i + 1);
        }
        ds_put_cstr(a, ");");
        for (size_t i = 0; i < n; i++) {
            struct ds em = DS_EMPTY_INITIALIZER, ea = DS_EMPTY_INITIALIZER;
            ds_put_format(&em, "reg8[0..15] == %"PRIu32" && reg8[16..31] == "
                          "%zu", id, i + 1);
            put_hop(&ea, &r[i].hop);
            ds_put_cstr(&ea, "next;");
            ADD(LR_IN_IP_ROUTING_ECMP, 100, ds_cstr(&em), ds_cstr(&ea),
                &r[i].nb->header_.uuid);
            ds_destroy(&em);
            ds_destroy(&ea);
            r[i].done = true;
        }
    }
    r->done = true;
    ADD(LR_IN_IP_ROUTING, prio, ds_cstr(m), ds_cstr(a), &r->nb->header_.uuid);
    if (n > 1 && ctx->od->l3gw_chassis && is_symmetric(r, n)) {
        build_ecmp_symmetric(ctx, r, n);
    }
}

/* Route tables named by the router's routes and ports, sorted. */
static const char **
collect_tables(const struct northd_datapath *od, size_t *n)
{
    const struct nbrec_logical_router *nbr = od->nbr;
    const char **names = xmalloc((nbr->n_static_routes + od->n_ports + 1)
                                 * sizeof *names);
    size_t k = 0;

    for (size_t i = 0; i < nbr->n_static_routes; i++) {
        const char *t = nbr->static_routes[i]->route_table;
        if (t && t[0]) {
            names[k++] = t;
        }
    }
    for (size_t i = 0; i < od->n_ports; i++) {
        const struct northd_port *op = od->ports[i];
        const char *t = lr_is_lrp(op)
            ? nbrec_logical_router_port_get_options_value(op->nbrp,
                                                          "route_table")
            : NULL;
        if (t && t[0]) {
            names[k++] = t;
        }
    }
    qsort(names, k, sizeof *names, compare_tables);
    size_t u = 0;
    for (size_t i = 0; i < k; i++) {
        if (!u || strcmp(names[u - 1], names[i])) {
            names[u++] = names[i];
        }
    }
    *n = u;
    return names;
}

static void
build_static_routes(struct lr_ctx *ctx)
{
    const struct nbrec_logical_router *nbr = ctx->od->nbr;
    size_t n_tables, n = 0;
    const char **tables = collect_tables(ctx->od, &n_tables);
    struct lr_route *routes = xmalloc((nbr->n_static_routes + 1)
                                      * sizeof *routes);
    uint32_t ecmp_id = 0;

    for (size_t i = 0; i < nbr->n_static_routes; i++) {
        if (parse_route(ctx->od, nbr->static_routes[i], &routes[n])) {
            routes[n].table = route_table_id(
                tables, n_tables, nbr->static_routes[i]->route_table);
            n++;
        }
    }
    qsort(routes, n, sizeof *routes, compare_routes);
    for (size_t i = 0; i < n; i++) {
        if (!routes[i].done) {
            emit_route(ctx, &routes[i], n - i, &ecmp_id);
        }
    }
    for (size_t i = 0; i < ctx->od->n_ports; i++) {
        const struct northd_port *op = ctx->od->ports[i];
        const char *t = lr_is_lrp(op)
            ? nbrec_logical_router_port_get_options_value(op->nbrp,
                                                          "route_table")
            : NULL;
        if (t && t[0]) {
            ds_clear(&ctx->match);
            ds_put_format(&ctx->match, "inport == \"%s\"", op->name);
            ds_clear(&ctx->actions);
            ds_put_format(&ctx->actions, "reg7 = %"PRIu32"; next;",
                          route_table_id(tables, n_tables, t));
            ADD(LR_IN_IP_ROUTING_PRE, 100, ds_cstr(&ctx->match),
                ds_cstr(&ctx->actions), &op->nb_uuid);
        }
    }
    free(routes);
    free(tables);
}

/* Validates an NB policy match; the symbol table is made on first use. */
static bool
policy_match_ok(struct symtab **symtab, const char *match, char **error)
{
    if (strchr(match, '$') || strchr(match, '@')) {
        return true;            /* Address sets and port groups: trusted. */
    }
    if (!*symtab) {
        *symtab = symtab_create();
    }
    struct expr_env env = { .symtab = *symtab };
    struct expr *e = expr_parse_string(match, &env, error);
    expr_destroy(e);
    return e != NULL;
}

static void
build_reroute(struct lr_ctx *ctx,
              const struct nbrec_logical_router_policy *p,
              uint32_t *ecmp_id, struct ds *a)
{
    const char *const *nhs = p->n_nexthops ? p->nexthops : &p->nexthop;
    size_t n = p->n_nexthops ? p->n_nexthops : (p->nexthop ? 1 : 0);
    struct lr_hop *hops = xcalloc(n + 1, sizeof *hops);
    char buf[UUID_LEN + 1];

    for (size_t i = 0; i < n; i++) {
        if (!find_hop(ctx->od, nhs[i], NULL, &hops[i])
            || hops[i].v4 != hops[0].v4) {
            VLOG_WARN_RL(&rl, "router %s: policy %s: nexthop %s is not "
                         "reachable through a router port", ctx->od->name,
                         uuid_to_cstr(&p->header_.uuid, buf), nhs[i]);
            free(hops);
            ds_clear(a);
            return;
        }
    }
    if (n == 1) {
        put_hop(a, &hops[0]);
        ds_put_cstr(a, "flags.loopback = 1; reg8[0..15] = 0; next;");
    } else if (n > 1) {
        uint32_t id = ++*ecmp_id;
        ds_put_format(a, "reg8[0..15] = %"PRIu32"; reg8[16..31] = select(",
                      id);
        for (size_t i = 0; i < n; i++) {
            struct ds em = DS_EMPTY_INITIALIZER, ea = DS_EMPTY_INITIALIZER;
            ds_put_format(a, "%s%zu", i ? ", " : "", i + 1);
            ds_put_format(&em, "reg8[0..15] == %"PRIu32" && reg8[16..31] == "
                          "%zu", id, i + 1);
            put_hop(&ea, &hops[i]);
            ds_put_cstr(&ea, "flags.loopback = 1; next;");
            ADD(LR_IN_POLICY_ECMP, 100, ds_cstr(&em), ds_cstr(&ea),
                &p->header_.uuid);
            ds_destroy(&em);
            ds_destroy(&ea);
        }
        ds_put_cstr(a, ");");
    }
    free(hops);
}

static void
build_policies(struct lr_ctx *ctx)
{
    const struct nbrec_logical_router *nbr = ctx->od->nbr;
    struct symtab *symtab = NULL;
    uint32_t ecmp_id = 0;
    char buf[UUID_LEN + 1];

    for (size_t i = 0; i < nbr->n_policies; i++) {
        const struct nbrec_logical_router_policy *p = nbr->policies[i];
        struct ds *a = &ctx->actions;
        char *error = NULL;

        if (!policy_match_ok(&symtab, p->match, &error)) {
            VLOG_WARN_RL(&rl, "router %s: policy %s: match \"%s\" does not "
                         "parse: %s", ctx->od->name,
                         uuid_to_cstr(&p->header_.uuid, buf), p->match,
                         error);
            free(error);
            continue;
        }
        ds_clear(a);
        if (!strcmp(p->action, "drop")) {
            ds_put_cstr(a, "drop;");
        } else if (!strcmp(p->action, "allow")) {
            const char *mark = nbrec_logical_router_policy_get_options_value(
                p, "pkt_mark");
            if (mark) {
                ds_put_format(a, "pkt.mark = %s; ", mark);
            }
            ds_put_cstr(a, "reg8[0..15] = 0; next;");
        } else if (!strcmp(p->action, "reroute")) {
            build_reroute(ctx, p, &ecmp_id, a);
        }
        if (a->length) {
            ADD(LR_IN_POLICY, p->priority, p->match, ds_cstr(a),
                &p->header_.uuid);
        }
    }
    symtab_destroy(symtab);
}

/* Multicast relay (options:mcast_relay): IGMP/MLD reports go to the
 * static multicast group, but never back from the router's own MACs;
 * other IP multicast is relayed with the TTL decremented. */
static void
build_mcast_relay(struct lr_ctx *ctx)
{
    const struct northd_datapath *od = ctx->od;
    const struct uuid *h = &od->nb_uuid;

    ADD(LR_IN_IP_ROUTING, 10460, "igmp",
        "clone { outport = \"_MC_static\"; next; };", h);
    ADD(LR_IN_IP_ROUTING, 10460, "mldv1 || mldv2",
        "clone { outport = \"_MC_static\"; next; };", h);
    ADD(LR_IN_IP_ROUTING, 10450, "ip4.mcast || ip6.mcast",
        "clone { outport = \"_MC_static\"; ip.ttl--; next; };", h);
    for (size_t i = 0; i < od->n_ports; i++) {
        const struct northd_port *op = od->ports[i];
        if (!lr_is_lrp(op)) {
            continue;
        }
        ds_clear(&ctx->match);
        ds_put_format(&ctx->match, "eth.src == %s && igmp",
                      op->lrp_networks.ea_s);
        ADD(LR_IN_IP_ROUTING, 10550, ds_cstr(&ctx->match), "drop;",
            &op->nb_uuid);
        ds_clear(&ctx->match);
        ds_put_format(&ctx->match, "eth.src == %s && (mldv1 || mldv2)",
                      op->lrp_networks.ea_s);
        ADD(LR_IN_IP_ROUTING, 10550, ds_cstr(&ctx->match), "drop;",
            &op->nb_uuid);
    }
}

void
lr_build_routes(struct lr_ctx *ctx)
{
    const struct northd_datapath *od = ctx->od;

    ADD(LR_IN_IP_ROUTING, 10550, "nd_rs || nd_ra", "drop;", &od->nb_uuid);
    ADD(LR_IN_IP_ROUTING_ECMP, 150, "reg8[0..15] == 0", "next;",
        &od->nb_uuid);
    ADD(LR_IN_POLICY_ECMP, 150, "reg8[0..15] == 0", "next;", &od->nb_uuid);
    for (size_t i = 0; i < od->n_ports; i++) {
        if (lr_is_lrp(od->ports[i])) {
            build_connected(ctx, od->ports[i]);
        }
    }
    if (od->mcast_relay) {
        build_mcast_relay(ctx);
    }
    build_static_routes(ctx);
    build_policies(ctx);
}
