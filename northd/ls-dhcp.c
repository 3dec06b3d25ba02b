/* northd/ls-dhcp: native DHCPv4 and DHCPv6 (ls_in_dhcp_options,
 * ls_in_dhcp_response) and DNS (ls_in_dns_lookup, ls_in_dns_response);
 * see ls-pipeline.h. */
#include "northd/ls-pipeline.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "ds.h"
#include "util.h"
#include "vlog.h"
#include "northd/datapaths.h"
#include "northd/lflow.h"
#include "northd/lport-addrs.h"
#include "northd/northd.h"
#include "northd/options.h"
#include "northd/ports.h"
#include "ovsdb/nbrec-idl.h"

VLOG_DEFINE_THIS_MODULE(northd_ls_dhcp);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

struct dhcp_ctx {
    struct lflow_table *lf;
    const struct northd_datapath *od;
    const struct northd_port *op;
    const char *inport;         /* 'op', or a localnet port for an external
                                 * 'op'. */
    bool external;              /* Add is_chassis_resident(op). */
    struct ds match;
    struct ds options;
    struct ds response;
};

struct kv {
    const char *key;
    const char *value;
};

static int
compare_kv(const void *a_, const void *b_)
{
    const struct kv *a = a_, *b = b_;

    return strcmp(a->key, b->key);
}

/* Appends "k1 = v1, k2 = v2" for the options in 'opts' and the 'n_extra'
 * pairs in 'extra' (which replace options of the same name), in key
 * order, leaving out the keys in 'skip' (NULL-terminated). */
static void
put_options(struct ds *ds, const struct ovsdb_datum *opts,
            const struct kv *extra, size_t n_extra,
            const char *const *skip)
{
    struct kv *kvs = xmalloc((opts->n + n_extra) * sizeof *kvs);
    size_t n = 0;

    for (size_t i = 0; i < opts->n; i++) {
        const char *key = ovsdb_atom_string(&opts->keys[i]);
        bool skipped = false;

        for (size_t j = 0; j < n_extra && !skipped; j++) {
            skipped = !strcmp(key, extra[j].key);
        }
        for (size_t j = 0; skip[j] && !skipped; j++) {
            skipped = !strcmp(key, skip[j]);
        }
        if (!skipped) {
            kvs[n].key = key;
            kvs[n++].value = ovsdb_atom_string(&opts->values[i]);
        }
    }
    for (size_t j = 0; j < n_extra; j++) {
        kvs[n++] = extra[j];
    }
    qsort(kvs, n, sizeof *kvs, compare_kv);
    for (size_t i = 0; i < n; i++) {
        ds_put_format(ds, "%s%s = %s", i ? ", " : "", kvs[i].key,
                      kvs[i].value);
    }
    free(kvs);
}

/* Parses 'cidr' of DHCP_Options 'dhcp' as an IPv4 ('v4') or IPv6 prefix,
 * logging a bad one. */
static bool
parse_cidr(const struct nbrec_dhcp_options *dhcp, bool v4,
           struct in6_addr *net, unsigned int *plen)
{
    char *error = ip_parse_cidr(dhcp->cidr, net, plen);
    char buf[UUID_LEN + 1];

    if (!error && ip_is_v4(net) != v4) {
        error = xasprintf("%s is not an IPv%d prefix", dhcp->cidr,
                          v4 ? 4 : 6);
    }
    if (error) {
        VLOG_WARN_RL(&rl, "DHCP_Options %s: bad cidr: %s: skipped",
                     uuid_to_cstr(&dhcp->header_.uuid, buf), error);
        free(error);
        return false;
    }
    ip_apply_plen(net, *plen);
    return true;
}

static bool
in_prefix(const struct in6_addr *ip, const struct in6_addr *net,
          unsigned int plen)
{
    struct in6_addr masked = *ip;

    ip_apply_plen(&masked, plen);
    return !memcmp(&masked, net, sizeof masked);
}

static void
put_inport_eth(struct dhcp_ctx *c, const struct lport_addrs *a)
{
    ds_clear(&c->match);
    ds_put_cstr(&c->match, "inport == ");
    ls_put_port(&c->match, c->inport);
    ds_put_format(&c->match, " && eth.src == %s", a->ea_s);
}

/* Adds the flow, with is_chassis_resident() for an external port. */
static void
add_dhcp_flow(struct dhcp_ctx *c, enum lflow_stage stage,
              const char *actions)
{
    if (c->external) {
        ds_put_cstr(&c->match, " && is_chassis_resident(");
        ls_put_op(&c->match, c->op);
        ds_put_char(&c->match, ')');
    }
    lflow_add_with_port(c->lf, c->od, stage, 100, ds_cstr(&c->match),
                        actions, c->inport, &c->op->nb_uuid);
}

/* The DHCPv4 flows of address 'ip' of 'a', if the port's options serve
 * it.  Returns true if they do. */
static bool
build_dhcpv4(struct dhcp_ctx *c, const struct lport_addrs *a,
             const struct lport_addrs_ip *ip)
{
    const struct nbrec_dhcp_options *dhcp = c->op->nbsp->dhcpv4_options;
    const char *server_ip = options_get(dhcp->options, "server_id");
    const char *server_mac = options_get(dhcp->options, "server_mac");
    static const char *const skip[] = { "server_mac", NULL };
    struct in6_addr net, mask;
    unsigned int plen;
    struct ds netmask = DS_EMPTY_INITIALIZER;

    if (!server_ip || !server_mac
        || !options_get(dhcp->options, "lease_time")
        || !parse_cidr(dhcp, true, &net, &plen)
        || !in_prefix(&ip->addr, &net, plen)) {
        return false;
    }
    ip_from_v4(&mask, htonl(plen ? UINT32_MAX << (32 - plen) : 0));
    ip_format(&mask, &netmask);

    const char *hostname = options_get(c->op->nbsp->options, "hostname");
    struct kv extra[2] = { { "netmask", ds_cstr(&netmask) },
                           { "hostname", hostname } };
    ds_clear(&c->options);
    ds_put_format(&c->options, "reg0[3] = put_dhcp_opts(offerip = %s, ",
                  ip->addr_s);
    put_options(&c->options, dhcp->options, extra,
                hostname && hostname[0] ? 2 : 1, skip);
    ds_put_cstr(&c->options, "); next;");
    ds_destroy(&netmask);

    put_inport_eth(c, a);
    ds_put_cstr(&c->match, " && ip4.src == 0.0.0.0 && "
                "ip4.dst == 255.255.255.255 && udp.src == 68 && "
                "udp.dst == 67");
    add_dhcp_flow(c, LS_IN_DHCP_OPTIONS, ds_cstr(&c->options));
    put_inport_eth(c, a);
    ds_put_format(&c->match, " && ip4.src == %s && "
                  "ip4.dst == {%s, 255.255.255.255} && udp.src == 68 && "
                  "udp.dst == 67", ip->addr_s, server_ip);
    add_dhcp_flow(c, LS_IN_DHCP_OPTIONS, ds_cstr(&c->options));

    put_inport_eth(c, a);
    ds_put_cstr(&c->match, " && ip4 && udp.src == 68 && udp.dst == 67 && "
                "reg0[3]");
    ds_clear(&c->response);
    ds_put_format(&c->response, "eth.dst = eth.src; eth.src = %s; "
                  "ip4.src = %s; udp.src = 67; udp.dst = 68; "
                  "outport = inport; flags.loopback = 1; output;",
                  server_mac, server_ip);
    add_dhcp_flow(c, LS_IN_DHCP_RESPONSE, ds_cstr(&c->response));
    return true;
}

/* The IPv6 link-local address of 'ea' (EUI-64), formatted into 'ds'. */
static void
put_lla(struct ds *ds, const struct eth_addr *ea)
{
    struct in6_addr lla;

    memset(&lla, 0, sizeof lla);
    lla.s6_addr[0] = 0xfe;
    lla.s6_addr[1] = 0x80;
    lla.s6_addr[8] = ea->ea[0] ^ 0x02;
    lla.s6_addr[9] = ea->ea[1];
    lla.s6_addr[10] = ea->ea[2];
    lla.s6_addr[11] = 0xff;
    lla.s6_addr[12] = 0xfe;
    lla.s6_addr[13] = ea->ea[3];
    lla.s6_addr[14] = ea->ea[4];
    lla.s6_addr[15] = ea->ea[5];
    ip_format(&lla, ds);
}

static bool
build_dhcpv6(struct dhcp_ctx *c, const struct lport_addrs *a,
             const struct lport_addrs_ip *ip)
{
    const struct nbrec_dhcp_options *dhcp = c->op->nbsp->dhcpv6_options;
    const char *server_id = options_get(dhcp->options, "server_id");
    static const char *const skip[] = { "dhcpv6_stateless", NULL };
    struct in6_addr net;
    struct eth_addr server_mac;
    unsigned int plen;

    if (!server_id || !eth_addr_from_string(server_id, &server_mac)
        || !parse_cidr(dhcp, false, &net, &plen)
        || !in_prefix(&ip->addr, &net, plen)) {
        return false;
    }
    ds_clear(&c->options);
    ds_put_cstr(&c->options, "reg0[3] = put_dhcpv6_opts(");
    if (!options_get_bool(dhcp->options, "dhcpv6_stateless", false)) {
        ds_put_format(&c->options, "ia_addr = %s, ", ip->addr_s);
    }
    put_options(&c->options, dhcp->options, NULL, 0, skip);
    ds_put_cstr(&c->options, "); next;");

    put_inport_eth(c, a);
    ds_put_cstr(&c->match, " && ip6.dst == ff02::1:2 && udp.src == 546 && "
                "udp.dst == 547");
    size_t len = c->match.length;
    add_dhcp_flow(c, LS_IN_DHCP_OPTIONS, ds_cstr(&c->options));
    ds_truncate(&c->match, len);
    ds_put_cstr(&c->match, " && reg0[3]");
    ds_clear(&c->response);
    ds_put_format(&c->response, "eth.dst = eth.src; eth.src = "
                  ETH_ADDR_FMT"; ip6.dst = ip6.src; ip6.src = ",
                  ETH_ADDR_ARGS(server_mac));
    put_lla(&c->response, &server_mac);
    ds_put_cstr(&c->response, "; udp.src = 547; udp.dst = 546; "
                "outport = inport; flags.loopback = 1; output;");
    add_dhcp_flow(c, LS_IN_DHCP_RESPONSE, ds_cstr(&c->response));
    return true;
}

static void
build_addrs_dhcp(struct dhcp_ctx *c)
{
    const struct nbrec_logical_switch_port *nbsp = c->op->nbsp;

    for (size_t i = 0; i < c->op->n_lsp_addrs; i++) {
        const struct lport_addrs *a = &c->op->lsp_addrs[i];

        for (size_t j = 0; nbsp->dhcpv4_options && j < a->n_ipv4; j++) {
            if (build_dhcpv4(c, a, &a->ipv4[j])) {
                break;
            }
        }
        for (size_t j = 0; nbsp->dhcpv6_options && j < a->n_ipv6; j++) {
            if (build_dhcpv6(c, a, &a->ipv6[j])) {
                break;
            }
        }
    }
}

/* A port (not a router port) is answered on its own inport; an external
 * port (with an HA chassis group) through each localnet port, on the
 * chassis that hosts it. */
static void
build_port_dhcp(struct dhcp_ctx *c)
{
    const struct northd_port *op = c->op;
    const struct nbrec_logical_switch_port *nbsp = op->nbsp;

    if (!op->enabled || (!nbsp->dhcpv4_options && !nbsp->dhcpv6_options)) {
        return;
    }
    c->external = !strcmp(nbsp->type, "external");
    if (c->external) {
        for (size_t i = 0; nbsp->ha_chassis_group
                           && i < c->od->n_localnet_ports; i++) {
            c->inport = c->od->localnet_ports[i]->name;
            build_addrs_dhcp(c);
        }
    } else if (!ports_is_router_lsp(op)) {
        c->inport = op->name;
        build_addrs_dhcp(c);
    }
}

/* DNS: a switch with DNS records answers queries for them. */
static void
build_dns(struct dhcp_ctx *c)
{
    const struct northd_datapath *od = c->od;

    if (!od->nbs->n_dns_records) {
        return;
    }
    lflow_add(c->lf, od, LS_IN_DNS_LOOKUP, 100, "udp.dst == 53",
              "reg0[4] = dns_lookup(); next;", NULL);
    lflow_add(c->lf, od, LS_IN_DNS_RESPONSE, 100,
              "udp.dst == 53 && reg0[4]",
              "eth.dst <-> eth.src; ip4.src <-> ip4.dst; "
              "udp.dst = udp.src; udp.src = 53; outport = inport; "
              "flags.loopback = 1; output;", NULL);
    lflow_add(c->lf, od, LS_IN_DNS_RESPONSE, 100,
              "udp.dst == 53 && reg0[4]",
              "eth.dst <-> eth.src; ip6.src <-> ip6.dst; "
              "udp.dst = udp.src; udp.src = 53; outport = inport; "
              "flags.loopback = 1; output;", NULL);
}

void
ls_build_dhcp_flows(const struct northd *nd, struct lflow_table *lf)
{
    struct dhcp_ctx c = {
        .lf = lf,
        .match = DS_EMPTY_INITIALIZER,
        .options = DS_EMPTY_INITIALIZER,
        .response = DS_EMPTY_INITIALIZER,
    };

    for (size_t i = 0; i < nd->datapaths.n_switches; i++) {
        c.od = nd->datapaths.array[i];
        for (size_t j = 0; j < c.od->n_ports; j++) {
            c.op = c.od->ports[j];
            lflow_table_set_owner(lf, &c.op->nb_uuid);
            build_port_dhcp(&c);
        }
        lflow_table_set_owner(lf, NULL);
        build_dns(&c);
    }
    ds_destroy(&c.match);
    ds_destroy(&c.options);
    ds_destroy(&c.response);
}

void
ls_build_dhcp_port_flows(const struct northd_port *op, struct lflow_table *lf)
{
    struct dhcp_ctx c = {
        .lf = lf,
        .od = op->od,
        .op = op,
        .match = DS_EMPTY_INITIALIZER,
        .options = DS_EMPTY_INITIALIZER,
        .response = DS_EMPTY_INITIALIZER,
    };

    lflow_table_set_owner(lf, &op->nb_uuid);
    build_port_dhcp(&c);
    lflow_table_set_owner(lf, NULL);
    ds_destroy(&c.match);
    ds_destroy(&c.options);
    ds_destroy(&c.response);
}
