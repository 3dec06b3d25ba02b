/* northd/ls-ipam: dynamic addresses of switch ports (see ls-ipam.h). */
#include "northd/ls-ipam.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "ds.h"
#include "hash.h"
#include "hmap.h"
#include "util.h"
#include "vlog.h"
#include "northd/datapaths.h"
#include "northd/dbdiff.h"
#include "northd/lport-addrs.h"
#include "northd/options.h"
#include "northd/ports.h"
#include "ovsdb/nbrec-idl.h"

VLOG_DEFINE_THIS_MODULE(northd_ls_ipam);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

#define MAC_SUFFIX_SPACE 0xffffff

/* MACs in use, as 48-bit integers. */
struct mac_node {
    struct hmap_node node;
    uint64_t mac;
};

struct mac_set {
    struct hmap map;
};

static uint64_t
mac_to_u64(const struct eth_addr *ea)
{
    uint64_t x = 0;

    for (int i = 0; i < 6; i++) {
        x = (x << 8) | ea->ea[i];
    }
    return x;
}

static bool
mac_set_contains(const struct mac_set *set, uint64_t mac)
{
    const struct mac_node *n;

    HMAP_FOR_EACH_WITH_HASH (n, node, hash_uint64(mac, 0), &set->map) {
        if (n->mac == mac) {
            return true;
        }
    }
    return false;
}

static void
mac_set_add(struct mac_set *set, uint64_t mac)
{
    if (!mac_set_contains(set, mac)) {
        struct mac_node *n = xmalloc(sizeof *n);
        n->mac = mac;
        hmap_insert(&set->map, &n->node, hash_uint64(mac, 0));
    }
}

static void
mac_set_destroy(struct mac_set *set)
{
    struct mac_node *n;

    HMAP_FOR_EACH_POP (n, node, &set->map) {
        free(n);
    }
    hmap_destroy(&set->map);
}

/* What a port's 'addresses' asks for. */
struct dyn_request {
    bool has_mac;               /* "MAC dynamic". */
    struct eth_addr mac;
    bool has_ip;                /* "dynamic IP". */
    struct in6_addr ip;
};

/* Finds the dynamic element of 'nbsp''s addresses, if any. */
static bool
find_request(const struct nbrec_logical_switch_port *nbsp,
             struct dyn_request *req)
{
    memset(req, 0, sizeof *req);
    for (size_t i = 0; i < nbsp->n_addresses; i++) {
        const char *s = nbsp->addresses[i];
        char word[64];

        if (!strcmp(s, "dynamic")) {
            return true;
        } else if (str_startswith(s, "dynamic ")) {
            req->has_ip = (ip_from_string(s + 8, &req->ip)
                           && ip_is_v4(&req->ip));
            return true;
        } else if (strlen(s) == 25 && !strcmp(s + 17, " dynamic")) {
            memcpy(word, s, 17);
            word[17] = '\0';
            req->has_mac = eth_addr_from_string(word, &req->mac);
            return true;
        }
    }
    return false;
}

/* A switch's address pool. */
struct pool {
    const struct northd_datapath *od;
    bool has_v4;
    uint32_t net;               /* Host byte order. */
    uint32_t size;              /* 2^(32 - plen). */
    uint8_t *used;              /* 'size' flags. */
    bool has_v6;
    struct in6_addr prefix6;
    bool mac_only;
};

static void
pool_mark(struct pool *p, uint32_t ip)
{
    if (p->has_v4 && ip - p->net < p->size) {
        p->used[ip - p->net] = 1;
    }
}

static bool
pool_is_free(const struct pool *p, uint32_t ip)
{
    return p->has_v4 && ip - p->net < p->size && !p->used[ip - p->net];
}

static void
pool_warn(const struct pool *p, const char *what, const char *value)
{
    VLOG_WARN_RL(&rl, "logical switch %s: bad other_config:%s \"%s\": "
                 "ignored", p->od->name, what, value);
}

static void
pool_exclude(struct pool *p, const char *list)
{
    char *copy = xstrdup(list), *save = NULL;

    for (char *w = strtok_r(copy, " ", &save); w;
         w = strtok_r(NULL, " ", &save)) {
        char *dots = strstr(w, "..");
        struct in6_addr lo, hi;

        if (dots) {
            *dots = '\0';
        }
        if (!ip_from_string(w, &lo) || !ip_is_v4(&lo)
            || (dots && (!ip_from_string(dots + 2, &hi) || !ip_is_v4(&hi)
                         || ntohl(ip_to_v4(&hi)) < ntohl(ip_to_v4(&lo))))) {
            pool_warn(p, "exclude_ips", list);
            continue;
        }
        uint32_t a = ntohl(ip_to_v4(&lo));
        uint32_t b = dots ? ntohl(ip_to_v4(&hi)) : a;
        for (uint64_t ip = a; ip <= b; ip++) {
            pool_mark(p, (uint32_t) ip);
        }
    }
    free(copy);
}

static void
pool_init_v4(struct pool *p, const char *subnet)
{
    struct in6_addr net;
    unsigned int plen;
    char *error = ip_parse_cidr(subnet, &net, &plen);

    if (error || !ip_is_v4(&net) || plen < 8 || plen > 30) {
        free(error);
        pool_warn(p, "subnet", subnet);
        return;
    }
    ip_apply_plen(&net, plen);
    p->has_v4 = true;
    p->net = ntohl(ip_to_v4(&net));
    p->size = UINT32_C(1) << (32 - plen);
    p->used = xcalloc(p->size, 1);
    p->used[0] = p->used[1] = p->used[p->size - 1] = 1;
}

static void
pool_init(struct pool *p, const struct northd_datapath *od)
{
    const struct ovsdb_datum *oc = od->nbs->other_config;
    const char *subnet = options_get(oc, "subnet");
    const char *prefix6 = options_get(oc, "ipv6_prefix");
    const char *exclude = options_get(oc, "exclude_ips");

    memset(p, 0, sizeof *p);
    p->od = od;
    /* mac_only counts only when there is neither subnet nor prefix. */
    p->mac_only = (!subnet && !prefix6
                   && options_get_bool(oc, "mac_only", false));
    if (subnet) {
        pool_init_v4(p, subnet);
    }
    if (prefix6) {
        unsigned int plen;
        char *error = ip_parse_cidr(prefix6, &p->prefix6, &plen);

        if (error || ip_is_v4(&p->prefix6)) {
            free(error);
            pool_warn(p, "ipv6_prefix", prefix6);
        } else {
            p->has_v6 = true;
        }
    }
    if (exclude && p->has_v4) {
        pool_exclude(p, exclude);
    }
}

/* Marks the static IPv4 addresses of 'od''s ports (and of the routers
 * they connect to) as used. */
static void
pool_mark_static(struct pool *p)
{
    for (size_t i = 0; p->has_v4 && i < p->od->n_ports; i++) {
        const struct northd_port *op = p->od->ports[i];
        const struct lport_addrs *a = op->lsp_addrs;
        size_t n = op->n_lsp_addrs;

        if (ports_is_router_lsp(op) && op->peer
            && op->peer->kind == NORTHD_PORT_LRP) {
            a = &op->peer->lrp_networks;
            n = 1;
        }
        for (size_t j = 0; j < n; j++) {
            for (size_t k = 0; k < a[j].n_ipv4; k++) {
                pool_mark(p, ntohl(ip_to_v4(&a[j].ipv4[k].addr)));
            }
        }
    }
}

/* One dynamic port's allocation in progress. */
struct dyn_port {
    struct northd_port *op;
    struct dyn_request req;
    bool has_mac, has_ip;
    uint64_t mac;
    uint32_t ip;                /* Host byte order. */
};

/* Reads the port's existing allocation, keeping the parts that are
 * still valid. */
static void
dyn_keep_existing(struct dyn_port *d, struct pool *p, uint64_t prefix)
{
    const char *old = d->op->nbsp->dynamic_addresses;
    struct lport_addrs a;
    char *error;

    if (d->req.has_mac) {
        d->has_mac = true;
        d->mac = mac_to_u64(&d->req.mac);
    }
    if (d->req.has_ip) {
        pool_mark(p, ntohl(ip_to_v4(&d->req.ip)));
    }
    if (!old || (error = lport_addrs_parse(old, &a)) != NULL) {
        if (old) {
            free(error);
        }
        return;
    }
    uint64_t mac = mac_to_u64(&a.ea);
    if (!d->has_mac && (mac >> 24) == prefix) {
        d->has_mac = true;
        d->mac = mac;
    }
    if (!d->req.has_ip && a.n_ipv4) {
        uint32_t ip = ntohl(ip_to_v4(&a.ipv4[0].addr));
        if (pool_is_free(p, ip)) {
            d->has_ip = true;
            d->ip = ip;
            pool_mark(p, ip);
        }
    }
    lport_addrs_destroy(&a);
}

static void
dyn_allocate(struct dyn_port *d, struct pool *p, struct mac_set *macs,
             uint64_t prefix)
{
    if (d->req.has_ip) {
        d->has_ip = true;
        d->ip = ntohl(ip_to_v4(&d->req.ip));
    } else if (!d->has_ip && p->has_v4) {
        for (uint32_t i = 0; i < p->size; i++) {
            if (!p->used[i]) {
                p->used[i] = 1;
                d->has_ip = true;
                d->ip = p->net + i;
                break;
            }
        }
        if (!d->has_ip) {
            VLOG_WARN_RL(&rl, "logical switch %s: no free address in "
                         "subnet for port %s", p->od->name, d->op->name);
        }
    }
    if (!d->has_mac) {
        uint32_t base = d->has_ip ? d->ip & MAC_SUFFIX_SPACE : 0;

        for (uint32_t i = 0; i < MAC_SUFFIX_SPACE - 1; i++) {
            uint64_t suffix = (base + i) % (MAC_SUFFIX_SPACE - 1) + 1;
            uint64_t mac = (prefix << 24) | suffix;

            if (!mac_set_contains(macs, mac)) {
                d->has_mac = true;
                d->mac = mac;
                mac_set_add(macs, mac);
                break;
            }
        }
    }
}

static void
put_mac(struct ds *ds, uint64_t mac, struct eth_addr *ea)
{
    for (int i = 0; i < 6; i++) {
        ea->ea[i] = (uint8_t) (mac >> (40 - 8 * i));
    }
    ds_put_format(ds, ETH_ADDR_FMT, ETH_ADDR_ARGS(*ea));
}

/* Formats the allocation and adds it to the port's addresses. */
static void
dyn_finish(struct dyn_port *d, const struct pool *p, struct arena *arena,
           struct ds *s)
{
    struct northd_port *op = d->op;
    struct eth_addr ea;
    struct lport_addrs a;

    ds_clear(s);
    if (!d->has_mac) {
        return;
    }
    put_mac(s, d->mac, &ea);
    if (d->has_ip && !p->mac_only && (p->has_v4 || !d->req.has_ip)) {
        struct in6_addr ip;
        ip_from_v4(&ip, htonl(d->ip));
        ds_put_char(s, ' ');
        ip_format(&ip, s);
    }
    if (p->has_v6) {
        struct in6_addr ip6 = p->prefix6;
        ip6.s6_addr[8] = ea.ea[0] ^ 0x02;
        ip6.s6_addr[9] = ea.ea[1];
        ip6.s6_addr[10] = ea.ea[2];
        ip6.s6_addr[11] = 0xff;
        ip6.s6_addr[12] = 0xfe;
        memcpy(&ip6.s6_addr[13], &ea.ea[3], 3);
        ds_put_char(s, ' ');
        ip_format(&ip6, s);
    }
    op->dynamic_addresses = arena_strdup(arena, ds_cstr(s));
    char *error = lport_addrs_parse_in(arena, op->dynamic_addresses, &a);
    if (error) {
        free(error);            /* Cannot happen: we formatted it. */
        return;
    }
    op->lsp_addrs[op->n_lsp_addrs++] = a;
}

static void
ipam_switch(struct northd_ports *ports, const struct northd_datapath *od,
            struct mac_set *macs, uint64_t prefix, struct ds *s)
{
    struct dyn_port *dyn = xmalloc(od->n_ports * sizeof *dyn);
    size_t n = 0;
    struct pool p;

    for (size_t i = 0; i < od->n_ports; i++) {
        struct northd_port *op = od->ports[i];

        if (op->wants_dynamic && find_request(op->nbsp, &dyn[n].req)) {
            dyn[n].op = op;
            dyn[n].has_mac = dyn[n].has_ip = false;
            n++;
        }
    }
    if (n) {
        pool_init(&p, od);
    }
    if (n && (p.has_v4 || p.has_v6 || p.mac_only)) {
        pool_mark_static(&p);
        for (size_t i = 0; i < n; i++) {
            dyn_keep_existing(&dyn[i], &p, prefix);
        }
        for (size_t i = 0; i < n; i++) {
            dyn_allocate(&dyn[i], &p, macs, prefix);
            dyn_finish(&dyn[i], &p, &ports->arena, s);
        }
    }
    if (n) {
        free(p.used);
    }
    free(dyn);
}

/* Every MAC in use: static port addresses, router ports, and existing
 * dynamic allocations. */
static void
collect_macs(const struct northd_ports *ports, struct mac_set *macs)
{
    for (size_t i = 0; i < ports->n; i++) {
        const struct northd_port *op = ports->array[i];

        if (op->kind == NORTHD_PORT_LRP) {
            mac_set_add(macs, mac_to_u64(&op->lrp_networks.ea));
        } else if (op->kind == NORTHD_PORT_LSP) {
            struct eth_addr ea;

            for (size_t j = 0; j < op->n_lsp_addrs; j++) {
                mac_set_add(macs, mac_to_u64(&op->lsp_addrs[j].ea));
            }
            if (op->nbsp->dynamic_addresses
                && strlen(op->nbsp->dynamic_addresses) >= 17) {
                char word[18];
                memcpy(word, op->nbsp->dynamic_addresses, 17);
                word[17] = '\0';
                if (eth_addr_from_string(word, &ea)) {
                    mac_set_add(macs, mac_to_u64(&ea));
                }
            }
        }
    }
}

static bool
any_dynamic(const struct northd_ports *ports)
{
    for (size_t i = 0; i < ports->n; i++) {
        if (ports->array[i]->wants_dynamic) {
            return true;
        }
    }
    return false;
}

void
ls_ipam_build(struct northd_ports *ports, const struct northd_datapaths *dps,
              const char *mac_prefix)
{
    struct eth_addr pfx;
    char buf[32];
    struct mac_set macs;
    struct ds s = DS_EMPTY_INITIALIZER;

    snprintf(buf, sizeof buf, "%s:00:00:00", mac_prefix);
    if (!any_dynamic(ports) || !eth_addr_from_string(buf, &pfx)) {
        return;
    }
    uint64_t prefix = mac_to_u64(&pfx) >> 24;
    hmap_init(&macs.map);
    collect_macs(ports, &macs);
    for (size_t i = 0; i < dps->n_switches; i++) {
        ipam_switch(ports, dps->array[i], &macs, prefix, &s);
    }
    mac_set_destroy(&macs);
    ds_destroy(&s);
}

void
ls_ipam_sync_nb(const struct northd_ports *ports, struct dbdiff *diff)
{
    for (size_t i = 0; i < ports->n; i++) {
        const struct northd_port *op = ports->array[i];

        if (op->kind == NORTHD_PORT_LSP
            && (op->dynamic_addresses || op->nbsp->dynamic_addresses)) {
            dbdiff_set_opt_string(diff, &op->nbsp->header_,
                                  NBREC_LOGICAL_SWITCH_PORT_COL_DYNAMIC_ADDRESSES,
                                  op->dynamic_addresses);
        }
    }
}
