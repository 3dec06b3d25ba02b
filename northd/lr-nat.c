/* northd/lr-nat: NAT flows of logical routers (see lr-pipeline.h). */
#include "northd/lr-private.h"

#include <stdlib.h>
#include <string.h>
#include "shash.h"
#include "util.h"
#include "vlog.h"
#include "ovsdb/nbrec-idl.h"
#include "northd/datapaths.h"
#include "northd/global.h"
#include "northd/northd.h"
#include "northd/ports.h"

VLOG_DEFINE_THIS_MODULE(lr_nat);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

enum lr_nat_type { LR_SNAT, LR_DNAT, LR_DNAT_AND_SNAT };

struct lr_nat {
    const struct nbrec_nat *nb;
    enum lr_nat_type type;
    bool v4;
    char ext_s[INET6_ADDRSTRLEN];       /* External IP. */
    char log_s[INET6_ADDRSTRLEN + 4];   /* Logical IP or "IP/PLEN". */
    unsigned int log_plen;
    bool stateless;
    bool distributed;           /* dnat_and_snat with external_mac and
                                 * logical_port on a DGP router. */
    const struct northd_port *gw;       /* The DGP it uses, or NULL. */
    char snat_arg[INET6_ADDRSTRLEN + 16];   /* "EXT[,PORT-RANGE]". */
};

struct lr_nat_info {
    struct lr_nat *nats;
    size_t n;
    struct shash ext_ips;       /* External IP -> its first 'lr_nat'. */
    struct shash snat_ips;      /* The same, for snat and dnat_and_snat. */
};

static bool
parse_one(const struct northd_datapath *od, const struct nbrec_nat *nb,
          struct lr_nat *n)
{
    char buf[UUID_LEN + 1];
    struct in6_addr ext, log;
    unsigned int plen;
    char *error;

    memset(n, 0, sizeof *n);
    n->nb = nb;
    if (!strcmp(nb->type, "snat")) {
        n->type = LR_SNAT;
    } else if (!strcmp(nb->type, "dnat")) {
        n->type = LR_DNAT;
    } else if (!strcmp(nb->type, "dnat_and_snat")) {
        n->type = LR_DNAT_AND_SNAT;
    } else {
        goto bad;
    }
    if (!ip_from_string(nb->external_ip, &ext)) {
        goto bad;
    }
    error = ip_parse_cidr(nb->logical_ip, &log, &plen);
    if (error) {
        free(error);
        goto bad;
    }
    n->v4 = ip_is_v4(&ext);
    if (n->v4 != ip_is_v4(&log)
        || (n->type != LR_SNAT && plen != (n->v4 ? 32 : 128))) {
        goto bad;
    }
    struct ds s = DS_EMPTY_INITIALIZER;
    ip_format(&ext, &s);
    snprintf(n->ext_s, sizeof n->ext_s, "%s", ds_cstr(&s));
    ds_clear(&s);
    ip_apply_plen(&log, plen);
    if (plen == (n->v4 ? 32u : 128u)) {
        ip_format(&log, &s);
    } else {
        ip_format_cidr(&log, plen, &s);
    }
    snprintf(n->log_s, sizeof n->log_s, "%s", ds_cstr(&s));
    ds_destroy(&s);
    n->log_plen = plen;
    const char *range = nb->external_port_range;
    snprintf(n->snat_arg, sizeof n->snat_arg, "%s%s%s", n->ext_s,
             range && range[0] ? "," : "", range ? range : "");
    const char *sl = nbrec_nat_get_options_value(nb, "stateless");
    n->stateless = sl && !strcmp(sl, "true") && n->type == LR_DNAT_AND_SNAT;
    return true;

bad:
    VLOG_WARN_RL(&rl, "router %s: NAT %s: bad type or addresses (type %s, "
                 "external_ip %s, logical_ip %s)", od->name,
                 uuid_to_cstr(&nb->header_.uuid, buf), nb->type,
                 nb->external_ip, nb->logical_ip);
    return false;
}

/* The distributed gateway port NAT row 'n' uses: its gateway_port, the
 * only one, or the one with a network holding the external IP. */
static const struct northd_port *
find_gateway_port(const struct northd_datapath *od, const struct lr_nat *n)
{
    struct in6_addr ext;

    for (size_t i = 0; i < od->n_l3dgw_ports; i++) {
        if (n->nb->gateway_port
            && od->l3dgw_ports[i]->nbrp == n->nb->gateway_port) {
            return od->l3dgw_ports[i];
        }
    }
    if (n->nb->gateway_port) {
        return NULL;
    }
    if (od->n_l3dgw_ports == 1) {
        return od->l3dgw_ports[0];
    }
    ip_from_string(n->ext_s, &ext);
    for (size_t i = 0; i < od->n_l3dgw_ports; i++) {
        if (lr_find_network(od->l3dgw_ports[i], &ext, n->v4)) {
            return od->l3dgw_ports[i];
        }
    }
    return NULL;
}

struct lr_nat_info *
lr_nat_parse(const struct northd_datapath *od)
{
    const struct nbrec_logical_router *nbr = od->nbr;
    struct lr_nat_info *info;

    if (!nbr->n_nat) {
        return NULL;
    }
    info = xzalloc(sizeof *info);
    info->nats = xcalloc(nbr->n_nat, sizeof *info->nats);
    shash_init(&info->ext_ips);
    shash_init(&info->snat_ips);
    for (size_t i = 0; i < nbr->n_nat; i++) {
        struct lr_nat *n = &info->nats[info->n];
        if (!parse_one(od, nbr->nat[i], n)) {
            continue;
        }
        if (od->n_l3dgw_ports && !od->l3gw_chassis) {
            n->gw = find_gateway_port(od, n);
            if (!n->gw) {
                char buf[UUID_LEN + 1];
                VLOG_WARN_RL(&rl, "router %s: NAT %s: no distributed gateway "
                             "port for external IP %s", od->name,
                             uuid_to_cstr(&nbr->nat[i]->header_.uuid, buf),
                             n->ext_s);
                continue;
            }
            n->distributed = n->type == LR_DNAT_AND_SNAT
                             && n->nb->external_mac && n->nb->logical_port;
        }
        shash_add_once(&info->ext_ips, n->ext_s, n);
        if (n->type != LR_DNAT) {
            shash_add_once(&info->snat_ips, n->ext_s, n);
        }
        info->n++;
    }
    return info;
}

void
lr_nat_free(struct lr_nat_info *info)
{
    if (info) {
        shash_destroy(&info->ext_ips);
        shash_destroy(&info->snat_ips);
        free(info->nats);
        free(info);
    }
}

bool
lr_nat_is_snat_ip(const struct lr_nat_info *info, const char *ip)
{
    return shash_find(&info->snat_ips, ip) != NULL;
}

#define ADD(STAGE, PRIO, MATCH, ACTIONS, HINT)                             \
    lflow_add(ctx->lflows, ctx->od, STAGE, PRIO, MATCH, ACTIONS, HINT)

static const char *
ipf(const struct lr_nat *n)
{
    return n->v4 ? "ip4" : "ip6";
}

/* Is 'k' not the first row of 'info' with its external IP (among the
 * SNAT-like rows, with 'snat')? */
static bool
ext_seen(const struct lr_nat_info *info, size_t k, bool snat)
{
    const struct shash *sh = snat ? &info->snat_ips : &info->ext_ips;

    return shash_find_data(sh, info->nats[k].ext_s) != &info->nats[k];
}

/* " && is_chassis_resident(...)" for where 'n' is processed on its
 * gateway port: the NAT's logical port for distributed NAT, else the
 * chassis-redirect port. */
static void
put_nat_resident(struct ds *m, const struct lr_nat *n)
{
    ds_put_format(m, " && is_chassis_resident(\"%s\")",
                  n->distributed ? n->nb->logical_port
                                 : n->gw->cr_port->name);
}

/* " && ip4.src == $SET" for a NAT limited to allowed_ext_ips ('dir' is
 * "src" for DNAT, "dst" for SNAT). */
static void
put_allowed(struct ds *m, const struct lr_nat *n, const char *dir)
{
    if (n->nb->allowed_ext_ips) {
        ds_put_format(m, " && %s.%s == $%s", ipf(n), dir,
                      n->nb->allowed_ext_ips->name);
    }
}

/* exempted_ext_ips: the same match plus " && ip4.src == $SET" two
 * priorities higher, doing nothing ('dir' as for put_allowed()). */
static void
add_exempt(struct lr_ctx *ctx, const struct lr_nat *n, enum lflow_stage st,
           uint16_t prio, const struct ds *m, const char *dir)
{
    if (n->nb->exempted_ext_ips) {
        struct ds em = DS_EMPTY_INITIALIZER;
        ds_put_format(&em, "%s && %s.%s == $%s", ds_cstr_ro(m), ipf(n), dir,
                      n->nb->exempted_ext_ips->name);
        ADD(st, prio + 2, ds_cstr(&em), "next;", &n->nb->header_.uuid);
        ds_destroy(&em);
    }
}

static const char *const arp_reply_fmt =
    "eth.dst = eth.src; eth.src = %s; arp.op = 2; /* ARP reply */ "
    "arp.tha = arp.sha; arp.sha = %s; arp.tpa <-> arp.spa; "
    "outport = inport; flags.loopback = 1; output;";
static const char *const nd_na_fmt =
    "nd_na { eth.src = %s; ip6.src = nd.target; nd.tll = %s; "
    "outport = inport; flags.loopback = 1; output; };";

/* "arp.op == 1 && arp.tpa == IP" or the NS equivalent. */
static void
put_arp_nd_match(struct ds *m, const struct lr_nat *n)
{
    if (n->v4) {
        ds_put_format(m, "arp.op == 1 && arp.tpa == %s", n->ext_s);
    } else {
        struct in6_addr ip, sn;
        ip_from_string(n->ext_s, &ip);
        sn = ip6_solicited_node(&ip);
        ds_put_format(m, "ip6.dst == {%s, ", n->ext_s);
        ip_format(&sn, m);
        ds_put_format(m, "} && nd_ns && nd.target == %s", n->ext_s);
    }
}

/* ARP / NS replies for a NAT external IP. */
static void
build_nat_arp(struct lr_ctx *ctx, const struct lr_nat *n)
{
    struct ds *m = &ctx->match, *a = &ctx->actions;
    const char *fmt = n->v4 ? arp_reply_fmt : nd_na_fmt;
    const struct uuid *h = &n->nb->header_.uuid;

    ds_clear(m);
    put_arp_nd_match(m, n);
    ds_clear(a);
    ds_put_format(a, fmt, "xreg0[0..47]", "xreg0[0..47]");
    ADD(LR_IN_IP_INPUT, 90, ds_cstr(m), ds_cstr(a), h);
    if (!n->gw) {
        return;
    }
    ds_clear(m);
    ds_put_format(m, "inport == \"%s\" && ", n->gw->name);
    put_arp_nd_match(m, n);
    ADD(LR_IN_IP_INPUT, 91, ds_cstr(m), "drop;", h);
    put_nat_resident(m, n);
    ds_clear(a);
    if (n->distributed) {
        ds_put_format(a, fmt, n->nb->external_mac, n->nb->external_mac);
    } else {
        ds_put_format(a, fmt, "xreg0[0..47]", "xreg0[0..47]");
    }
    ADD(LR_IN_IP_INPUT, 92, ds_cstr(m), ds_cstr(a), h);
}

/* Unsnat, chk_dnat_local, egress loop and neighbour flows, once per
 * external IP of SNAT-like rows, on a distributed gateway port. */
static void
build_dgp_ext_ip(struct lr_ctx *ctx, const struct lr_nat *n)
{
    struct ds *m = &ctx->match;
    const struct uuid *h = &n->nb->header_.uuid;
    const char *dgp = n->gw->name;

    for (int lb = 0; lb < 2; lb++) {
        ds_clear(m);
        ds_put_format(m, "ip && %s.dst == %s && inport == \"%s\" && "
                      "flags.loopback == %d%s", ipf(n), n->ext_s, dgp, lb,
                      lb ? " && flags.use_snat_zone == 1" : "");
        if (!n->distributed) {
            put_nat_resident(m, n);
        }
        ADD(LR_IN_UNSNAT, 100, ds_cstr(m),
            lb ? "ct_snat;" : "ct_snat_in_czone;", h);
    }
    ds_clear(m);
    ds_put_format(m, "ip && %s.dst == %s", ipf(n), n->ext_s);
    put_nat_resident(m, n);
    ADD(LR_OUT_CHK_DNAT_LOCAL, 50, ds_cstr(m), "reg9[4] = 1; next;", h);
    ds_clear(m);
    ds_put_format(m, "%s.dst == %s && outport == \"%s\"", ipf(n), n->ext_s,
                  dgp);
    put_nat_resident(m, n);
    ADD(LR_OUT_EGR_LOOP, 100, ds_cstr(m),
        "clone { ct_clear; inport = outport; outport = \"\"; "
        "eth.dst <-> eth.src; flags = 0; flags.loopback = 1; "
        "flags.use_snat_zone = reg9[4]; reg0 = 0; reg1 = 0; reg2 = 0; "
        "reg3 = 0; reg4 = 0; reg5 = 0; reg6 = 0; reg7 = 0; reg8 = 0; "
        "reg9 = 0; reg9[0] = 1; next(pipeline=ingress, table=0); };", h);
}

/* Resolution of external IPs on the distributed gateway port. */
static void
build_dgp_resolve(struct lr_ctx *ctx, const struct lr_nat *n)
{
    struct ds *m = &ctx->match, *a = &ctx->actions;
    const struct uuid *h = &n->nb->header_.uuid;

    ds_clear(m);
    ds_put_format(m, "inport == \"%s\" && outport == \"%s\" && %s.dst == %s",
                  n->gw->name, n->gw->name, ipf(n), n->ext_s);
    ADD(LR_IN_ARP_RESOLVE, 150, ds_cstr(m), "drop;", h);
    ds_clear(m);
    ds_put_format(m, "outport == \"%s\" && %s == %s", n->gw->name,
                  n->v4 ? "reg0" : "xxreg0", n->ext_s);
    ds_clear(a);
    ds_put_format(a, "eth.dst = %s; next;", n->distributed
                  ? n->nb->external_mac : n->gw->lrp_networks.ea_s);
    ADD(LR_IN_ARP_RESOLVE, 100, ds_cstr(m), ds_cstr(a), h);
}

/* Distributed dnat_and_snat: traffic of the logical port leaves from its
 * own chassis with the external MAC; the MAC is admitted there. */
static void
build_dgp_distributed(struct lr_ctx *ctx, const struct lr_nat *n)
{
    struct ds *m = &ctx->match, *a = &ctx->actions;
    const struct uuid *h = &n->nb->header_.uuid;
    const char *dgp = n->gw->name;
    const char *mac = n->nb->external_mac;

    ds_clear(m);
    ds_put_format(m, "%s.src == %s && outport == \"%s\" && "
                  "is_chassis_resident(\"%s\")", ipf(n), n->log_s, dgp,
                  n->nb->logical_port);
    ds_clear(a);
    ds_put_format(a, "eth.src = %s; %s = %s; next;", mac,
                  n->v4 ? "reg1" : "xxreg1", n->ext_s);
    ADD(LR_IN_GW_REDIRECT, 100, ds_cstr(m), ds_cstr(a), h);
    ds_clear(m);
    ds_put_format(m, "eth.dst == %s && inport == \"%s\" && "
                  "is_chassis_resident(\"%s\")", mac, dgp,
                  n->nb->logical_port);
    ds_clear(a);
    ds_put_format(a, "xreg0[0..47] = %s; next;", n->gw->lrp_networks.ea_s);
    ADD(LR_IN_ADMISSION, 50, ds_cstr(m), ds_cstr(a), h);
}

/* DNAT, un-DNAT, SNAT and distributed-NAT redirects on a distributed
 * gateway port, per row. */
static void
build_dgp_row(struct lr_ctx *ctx, const struct lr_nat *n)
{
    struct ds *m = &ctx->match, *a = &ctx->actions;
    const struct uuid *h = &n->nb->header_.uuid;
    const char *dgp = n->gw->name;
    const char *mac = n->distributed ? n->nb->external_mac : NULL;

    if (n->type != LR_SNAT) {
        ds_clear(m);
        ds_put_format(m, "ip && %s.dst == %s && inport == \"%s\"", ipf(n),
                      n->ext_s, dgp);
        if (!n->distributed) {
            put_nat_resident(m, n);
        }
        add_exempt(ctx, n, LR_IN_DNAT, 100, m, "src");
        put_allowed(m, n, "src");
        ds_clear(a);
        ds_put_format(a, "ct_dnat_in_czone(%s);", n->log_s);
        ADD(LR_IN_DNAT, 100, ds_cstr(m), ds_cstr(a), h);
        ds_clear(m);
        ds_put_format(m, "ip && %s.src == %s && outport == \"%s\"", ipf(n),
                      n->log_s, dgp);
        if (!n->distributed) {
            put_nat_resident(m, n);
        }
        ds_clear(a);
        if (mac) {
            ds_put_format(a, "eth.src = %s; ", mac);
        }
        ds_put_cstr(a, "ct_dnat_in_czone;");
        ADD(LR_OUT_UNDNAT, 100, ds_cstr(m), ds_cstr(a), h);
    }
    if (n->type != LR_DNAT) {
        uint16_t prio = n->log_plen + 1 + 128;
        ds_clear(m);
        ds_put_format(m, "ip && %s.src == %s && outport == \"%s\"", ipf(n),
                      n->log_s, dgp);
        put_nat_resident(m, n);
        add_exempt(ctx, n, LR_OUT_SNAT, prio, m, "dst");
        put_allowed(m, n, "dst");
        ds_clear(a);
        if (mac) {
            ds_put_format(a, "eth.src = %s; ", mac);
        }
        ds_put_format(a, "ct_snat_in_czone(%s);", n->snat_arg);
        ADD(LR_OUT_SNAT, prio, ds_cstr(m), ds_cstr(a), h);
        ds_put_cstr(m, " && reg9[4] == 1");
        ds_clear(a);
        if (mac) {
            ds_put_format(a, "eth.src = %s; ", mac);
        }
        ds_put_format(a, "reg9[4] = 0; ct_snat(%s);", n->snat_arg);
        ADD(LR_OUT_SNAT, prio + 1, ds_cstr(m), ds_cstr(a), h);
    }
    if (n->distributed) {
        build_dgp_distributed(ctx, n);
    }
}

/* A gateway router (options:chassis): NAT in the router's own zones. */
static void
build_gw_router_row(struct lr_ctx *ctx, const struct lr_nat_info *info,
                    size_t k)
{
    const struct lr_nat *n = &info->nats[k];
    struct ds *m = &ctx->match, *a = &ctx->actions;
    const struct uuid *h = &n->nb->header_.uuid;

    if (n->type != LR_DNAT && !ext_seen(info, k, true)) {
        ds_clear(m);
        ds_put_format(m, "ip && %s.dst == %s", ipf(n), n->ext_s);
        ADD(LR_IN_UNSNAT, 90, ds_cstr(m),
            n->stateless ? "next;" : "ct_snat;", h);
    }
    if (n->type != LR_SNAT) {
        ds_clear(m);
        ds_put_format(m, "ip && %s.dst == %s", ipf(n), n->ext_s);
        add_exempt(ctx, n, LR_IN_DNAT, 100, m, "src");
        put_allowed(m, n, "src");
        ds_clear(a);
        if (nbrec_logical_router_get_options_value(ctx->od->nbr,
                                                   "dnat_force_snat_ip")) {
            ds_put_cstr(a, "flags.force_snat_for_dnat = 1; ");
        }
        if (n->stateless) {
            ds_put_format(a, "flags.loopback = 1; %s.dst=%s; next;", ipf(n),
                          n->log_s);
        } else {
            ds_put_format(a, "flags.loopback = 1; ct_dnat(%s);", n->log_s);
        }
        ADD(LR_IN_DNAT, 100, ds_cstr(m), ds_cstr(a), h);
    }
    if (n->type != LR_DNAT) {
        ds_clear(m);
        ds_put_format(m, "ip && %s.src == %s", ipf(n), n->log_s);
        add_exempt(ctx, n, LR_OUT_SNAT, n->log_plen + 1, m, "dst");
        put_allowed(m, n, "dst");
        ds_clear(a);
        if (n->stateless) {
            ds_put_format(a, "%s.src=%s; next;", ipf(n), n->ext_s);
        } else {
            ds_put_cstr(m, " && (!ct.trk || !ct.rpl)");
            ds_put_format(a, "ct_snat(%s);", n->snat_arg);
        }
        ADD(LR_OUT_SNAT, n->log_plen + 1, ds_cstr(m), ds_cstr(a), h);
    }
}

/* Router port addresses that are also SNAT external IPs. */
static void
build_port_snat_ips(struct lr_ctx *ctx, const struct lr_nat_info *info)
{
    const struct northd_datapath *od = ctx->od;
    struct ds *m = &ctx->match;

    for (size_t i = 0; i < od->n_ports; i++) {
        const struct northd_port *op = od->ports[i];
        if (!lr_is_lrp(op)) {
            continue;
        }
        for (int f = 0; f < 2; f++) {
            const struct lport_addrs *nw = &op->lrp_networks;
            const struct lport_addrs_ip *ips = f ? nw->ipv6 : nw->ipv4;
            size_t n_ips = f ? nw->n_ipv6 : nw->n_ipv4, n_set = 0;
            struct ds set = DS_EMPTY_INITIALIZER;
            for (size_t j = 0; j < n_ips; j++) {
                if (!lr_nat_is_snat_ip(info, ips[j].addr_s)) {
                    continue;
                }
                ds_put_format(&set, "%s%s", n_set++ ? ", " : "",
                              ips[j].addr_s);
            }
            if (n_set) {
                ds_clear(m);
                ds_put_format(m, "%s.dst == {%s}", f ? "ip6" : "ip4",
                              ds_cstr(&set));
                ADD(LR_IN_ARP_RESOLVE, 2, ds_cstr(m), "drop;", &op->nb_uuid);
            }
            ds_destroy(&set);
        }
    }
}

/* options:dnat_force_snat_ip: traffic DNATed by the gateway router leaves
 * with this source address (one per family, space-separated). */
static void
build_force_snat_for_dnat(struct lr_ctx *ctx)
{
    const char *opt = nbrec_logical_router_get_options_value(
        ctx->od->nbr, "dnat_force_snat_ip");
    const struct uuid *h = &ctx->od->nb_uuid;
    char *copy, *save = NULL;

    if (!opt) {
        return;
    }
    copy = xstrdup(opt);
    for (char *w = strtok_r(copy, " ,", &save); w;
         w = strtok_r(NULL, " ,", &save)) {
        struct in6_addr ip;
        if (!ip_from_string(w, &ip)) {
            continue;
        }
        const char *f = ip_is_v4(&ip) ? "ip4" : "ip6";
        struct ds s = DS_EMPTY_INITIALIZER;
        ip_format(&ip, &s);
        ds_clear(&ctx->match);
        ds_put_format(&ctx->match, "%s && %s.dst == %s", f, f, ds_cstr(&s));
        ADD(LR_IN_UNSNAT, 110, ds_cstr(&ctx->match), "ct_snat;", h);
        ds_clear(&ctx->match);
        ds_put_format(&ctx->match, "flags.force_snat_for_dnat == 1 && %s", f);
        ds_clear(&ctx->actions);
        ds_put_format(&ctx->actions, "ct_snat(%s);", ds_cstr(&s));
        ADD(LR_OUT_SNAT, 100, ds_cstr(&ctx->match), ds_cstr(&ctx->actions),
            h);
        ds_destroy(&s);
    }
    free(copy);
}

static void
build_gw_router_common(struct lr_ctx *ctx)
{
    const struct uuid *h = &ctx->od->nb_uuid;

    ADD(LR_OUT_UNDNAT, 100, "nd || nd_rs || nd_ra", "next;", h);
    ADD(LR_OUT_UNDNAT, 50, "ip", "flags.loopback = 1; ct_dnat;", h);
    ADD(LR_OUT_POST_UNDNAT, 50, "ip && ct.new", "ct_commit { } ; next; ", h);
}

void
lr_build_nat(struct lr_ctx *ctx)
{
    const struct lr_nat_info *info = ctx->nat;
    const struct northd_datapath *od = ctx->od;
    bool gw_router = od->l3gw_chassis != NULL;

    if (gw_router && (ctx->has_lb || (info && info->n))) {
        build_gw_router_common(ctx);
        build_force_snat_for_dnat(ctx);
    }
    if (!info || !info->n) {
        return;
    }
    if (!gw_router && !od->n_l3dgw_ports) {
        return;                 /* NAT needs a gateway. */
    }
    ADD(LR_OUT_CHK_DNAT_LOCAL, 50, ctx->nd->global.ct_no_masked_label
        ? "ip && ct_mark.natted == 1" : "ip && ct_label.natted == 1",
        "reg9[4] = 1; next;", &od->nb_uuid);
    build_port_snat_ips(ctx, info);
    for (size_t k = 0; k < info->n; k++) {
        const struct lr_nat *n = &info->nats[k];
        if (!ext_seen(info, k, false)) {
            build_nat_arp(ctx, n);
        }
        if (gw_router) {
            build_gw_router_row(ctx, info, k);
            continue;
        }
        if (!n->gw || !n->gw->cr_port) {
            continue;
        }
        if (!ext_seen(info, k, false)) {
            build_dgp_resolve(ctx, n);
        }
        if (n->type != LR_DNAT && !ext_seen(info, k, true)) {
            build_dgp_ext_ip(ctx, n);
        }
        if (n->type == LR_SNAT && !ext_seen(info, k, true)) {
            /* The gateway's own SNAT traffic looped back is not a
             * martian. */
            ds_clear(&ctx->match);
            ds_put_format(&ctx->match, "inport == \"%s\" && %s.src == %s",
                          n->gw->name, ipf(n), n->ext_s);
            ADD(LR_IN_IP_INPUT, 120, ds_cstr(&ctx->match), "next;",
                &n->nb->header_.uuid);
        }
        build_dgp_row(ctx, n);
    }
}
