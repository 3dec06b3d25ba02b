/* pipeline-portsec: check_in_port_sec() and check_out_port_sec().
 *
 * A port's port_security column lists entries "MAC [IP[/PLEN]...]".  With
 * none, anything passes.  Otherwise, as ovn-northd 23.03 documents it for
 * the flows it used to write (ovn-northd(8), ls_in_port_sec_*):
 * A prefix length after an address only widens what may be received (the
 * subnet's broadcast), and ovn-trace 23.03 does not even allow that: the
 * address is a host address both ways.
 *   - into the switch: eth.src must be one entry's MAC; if that entry has
 *     addresses, IPv4 packets need ip4.src among them (or the DHCP
 *     discover 0.0.0.0 -> 255.255.255.255 udp 68 -> 67), IPv6 packets
 *     ip6.src among them or the MAC's link-local address (ovn-trace
 *     drops DAD from ::), a neighbour advertisement's target too, ARP
 *     needs arp.sha == MAC and arp.spa among them, and ND nd.sll/nd.tll
 *     the MAC or zero;
 *   - out of the switch: eth.dst must be one entry's MAC and, with
 *     addresses, IP packets need a destination among them, broadcast or
 *     multicast (IPv6: also the link-local address).
 * The result is 1 when the packet fails. */
#include "pipeline/pipeline-execute.h"

#include <inttypes.h>
#include <string.h>

#include "packets.h"
#include "util.h"

bool
pl_ps_parse(const char *text, struct pl_ps_entry *e)
{
    char **words;
    size_t n;
    memset(e, 0, sizeof *e);
    if (!str_split_words(text, &words, &n) || !n) {
        str_free_words(words);
        return false;
    }
    struct eth_addr ea;
    bool ok = eth_addr_from_string(words[0], &ea);
    for (int i = 0; ok && i < 6; i++) {
        e->mac = (e->mac << 8) | ea.ea[i];
    }
    for (size_t i = 1; ok && i < n; i++) {
        struct in6_addr ip;
        unsigned int plen;
        char *error = ip_parse_cidr(words[i], &ip, &plen);
        if (error) {
            free(error);
            continue;
        }
        if (ip_is_v4(&ip) && e->n_ip4 < 16) {
            e->ip4[e->n_ip4] = u128_from_u64(ntohl(ip_to_v4(&ip)));
            e->ip4_mask[e->n_ip4++] = u128_low_mask(32);
        } else if (!ip_is_v4(&ip) && e->n_ip6 < 16) {
            e->ip6[e->n_ip6] = u128_from_be_bytes(ip.s6_addr);
            e->ip6_mask[e->n_ip6++] = u128_low_mask(128);
        }
    }
    str_free_words(words);
    return ok;
}

static bool
pl_ps_in(struct u128 ip, const struct u128 *ips, const struct u128 *masks,
         size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (u128_equals(u128_and(ip, masks[i]), u128_and(ips[i], masks[i]))) {
            return true;
        }
    }
    return false;
}

/* The IPv6 link-local address made from 'mac' (EUI-64). */
static struct u128
pl_ps_lla(uint64_t mac)
{
    uint64_t iid = (((mac >> 24) ^ 0x020000) << 40) | (0xfffeULL << 24)
                   | (mac & 0xffffff);
    return u128_make(0xfe80000000000000ULL, iid);
}

static bool
pl_ps_ingress_ok(const struct pl_pkt *pkt,
                 const struct pl_ps_entry *e)
{
    uint64_t eth_type = pl_get(pkt, SYMTAB_F_ETH_TYPE).lo;
    if (eth_type == 0x806) {
        return (pl_get(pkt, SYMTAB_F_ARP_SHA).lo == e->mac
                && (!e->n_ip4 || pl_ps_in(pl_get(pkt, SYMTAB_F_ARP_SPA), e->ip4,
                                          e->ip4_mask, e->n_ip4)));
    }
    if (!e->n_ip4 && !e->n_ip6) {
        return true;
    }
    if (eth_type == 0x800) {
        struct u128 src = pl_get(pkt, SYMTAB_F_IP4_SRC);
        return (pl_ps_in(src, e->ip4, e->ip4_mask, e->n_ip4)
                || (u128_is_zero(src)
                    && pl_get(pkt, SYMTAB_F_IP4_DST).lo == 0xffffffff
                    && pl_get(pkt, SYMTAB_F_IP_PROTO).lo == 17
                    && pl_get(pkt, SYMTAB_F_TP_SRC).lo == 68
                    && pl_get(pkt, SYMTAB_F_TP_DST).lo == 67));
    }
    if (eth_type == 0x86dd) {
        struct u128 src = pl_get(pkt, SYMTAB_F_IP6_SRC);
        struct u128 lla = pl_ps_lla(e->mac);
        if (pl_get(pkt, SYMTAB_F_IP_PROTO).lo == 58) {
            uint64_t type = pl_get(pkt, SYMTAB_F_ICMP_TYPE).lo;
            uint64_t sll = pl_get(pkt, SYMTAB_F_ND_SLL).lo;
            uint64_t tll = pl_get(pkt, SYMTAB_F_ND_TLL).lo;
            struct u128 target = pl_get(pkt, SYMTAB_F_ND_TARGET);
            if ((type == 135 && sll && sll != e->mac)
                || (type == 136 && tll && tll != e->mac)
                || (type == 136 && e->n_ip6
                    && !pl_ps_in(target, e->ip6, e->ip6_mask, e->n_ip6)
                    && !u128_equals(target, lla))) {
                return false;
            }
        }
        return (pl_ps_in(src, e->ip6, e->ip6_mask, e->n_ip6)
                || u128_equals(src, lla));
    }
    return true;
}

static bool
pl_ps_egress_ok(const struct pl_pkt *pkt,
                const struct pl_ps_entry *e)
{
    uint64_t eth_type = pl_get(pkt, SYMTAB_F_ETH_TYPE).lo;
    if (!e->n_ip4 && !e->n_ip6) {
        return true;
    }
    if (eth_type == 0x800) {
        struct u128 dst = pl_get(pkt, SYMTAB_F_IP4_DST);
        return (pl_ps_in(dst, e->ip4, e->ip4_mask, e->n_ip4)
                || dst.lo == 0xffffffff || (dst.lo >> 28) == 0xe);
    }
    if (eth_type == 0x86dd) {
        struct u128 dst = pl_get(pkt, SYMTAB_F_IP6_DST);
        return (pl_ps_in(dst, e->ip6, e->ip6_mask, e->n_ip6)
                || u128_equals(dst, pl_ps_lla(e->mac))
                || (dst.hi >> 56) == 0xff);
    }
    return true;
}

bool
pl_port_sec_fails(const struct pl_ctx *ctx, const struct pl_pkt *pkt,
                  bool ingress)
{
    const struct pl_port *port = pl_port_find(ctx->pl,
                                              ingress ? pkt->flow.inport
                                              : pkt->flow.outport);
    if (!port || !port->n_port_security) {
        return false;
    }
    uint64_t mac = pl_get(pkt, ingress ? SYMTAB_F_ETH_SRC
                          : SYMTAB_F_ETH_DST).lo;
    for (size_t i = 0; i < port->n_ps; i++) {
        const struct pl_ps_entry *e = &port->ps[i];
        if (e->mac == mac
            && (ingress ? pl_ps_ingress_ok(pkt, e) : pl_ps_egress_ok(pkt, e))) {
            return false;
        }
    }
    return true;
}

/* Adds to 'mask' the fields pl_port_sec_fails() reads for 'pkt': nothing
 * for a port without port security, else the MAC and the addresses its
 * kind of packet (by eth.type, itself read) is checked on. */
void
pl_port_sec_mask(const struct pl_ctx *ctx, const struct pl_pkt *pkt,
                 bool ingress, struct symtab_flow *mask)
{
    static const enum symtab_field in_arp[] = {
        SYMTAB_F_ARP_SHA, SYMTAB_F_ARP_SPA };
    static const enum symtab_field in_ip4[] = {
        SYMTAB_F_IP4_SRC, SYMTAB_F_IP4_DST, SYMTAB_F_IP_PROTO,
        SYMTAB_F_TP_SRC, SYMTAB_F_TP_DST };
    static const enum symtab_field in_ip6[] = {
        SYMTAB_F_IP6_SRC, SYMTAB_F_IP_PROTO, SYMTAB_F_ICMP_TYPE,
        SYMTAB_F_ND_SLL, SYMTAB_F_ND_TLL, SYMTAB_F_ND_TARGET };
    static const enum symtab_field out_ip4[] = { SYMTAB_F_IP4_DST };
    static const enum symtab_field out_ip6[] = { SYMTAB_F_IP6_DST };

    const struct pl_port *port = pl_port_find(ctx->pl,
                                              ingress ? pkt->flow.inport
                                              : pkt->flow.outport);
    if (!port || !port->n_port_security) {
        return;
    }
    uint64_t eth_type = pl_get(pkt, SYMTAB_F_ETH_TYPE).lo;
    const enum symtab_field *fields = NULL;
    size_t n = 0;
    if (eth_type == 0x806 && ingress) {
        fields = in_arp;
        n = ARRAY_SIZE(in_arp);
    } else if (eth_type == 0x800) {
        fields = ingress ? in_ip4 : out_ip4;
        n = ingress ? ARRAY_SIZE(in_ip4) : ARRAY_SIZE(out_ip4);
    } else if (eth_type == 0x86dd) {
        fields = ingress ? in_ip6 : out_ip6;
        n = ingress ? ARRAY_SIZE(in_ip6) : ARRAY_SIZE(out_ip6);
    }
    enum symtab_field mac = ingress ? SYMTAB_F_ETH_SRC : SYMTAB_F_ETH_DST;
    mask->fields[mac] = u128_low_mask(symtab_field_width(mac));
    mask->fields[SYMTAB_F_ETH_TYPE] = u128_low_mask(
        symtab_field_width(SYMTAB_F_ETH_TYPE));
    for (size_t i = 0; i < n; i++) {
        mask->fields[fields[i]] = u128_low_mask(
            symtab_field_width(fields[i]));
    }
}
