/* northd/lport-addrs: logical port addresses (see lport-addrs.h). */
#include "northd/lport-addrs.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>
#include "ds.h"
#include "util.h"

bool
lport_addrs_is_keyword(const char *s)
{
    return (!strcmp(s, "unknown") || !strcmp(s, "router")
            || str_startswith(s, "dynamic")
            || (strlen(s) > 17 && !strcmp(s + 17, " dynamic")));
}

static void
ip_to_cstr(const struct in6_addr *ip, char buf[INET6_ADDRSTRLEN])
{
    if (ip_is_v4(ip)) {
        struct in_addr v4 = { .s_addr = ip_to_v4(ip) };
        inet_ntop(AF_INET, &v4, buf, INET6_ADDRSTRLEN);
    } else {
        inet_ntop(AF_INET6, ip, buf, INET6_ADDRSTRLEN);
    }
}

/* Appends address 'ip'/'plen' to the right family's array of 'a'. */
static void
add_ip(struct lport_addrs *a, const struct in6_addr *ip, unsigned int plen)
{
    bool v4 = ip_is_v4(ip);
    struct lport_addrs_ip **array = v4 ? &a->ipv4 : &a->ipv6;
    size_t *n = v4 ? &a->n_ipv4 : &a->n_ipv6;
    struct lport_addrs_ip *x;

    *array = xrealloc(*array, (*n + 1) * sizeof **array);
    x = &(*array)[(*n)++];
    memset(x, 0, sizeof *x);
    x->addr = *ip;
    x->plen = plen;
    x->network = *ip;
    ip_apply_plen(&x->network, plen);
    ip_to_cstr(&x->addr, x->addr_s);
    ip_to_cstr(&x->network, x->network_s);
    if (v4) {
        uint32_t host_mask = plen >= 32 ? 0 : 0xffffffffu >> plen;
        struct in6_addr bcast;
        ip_from_v4(&bcast, ip_to_v4(&x->network) | htonl(host_mask));
        ip_to_cstr(&bcast, x->bcast_s);
    } else {
        struct in6_addr sn;
        inet_pton(AF_INET6, "ff02::1:ff00:0", &sn);
        memcpy(&sn.s6_addr[13], &ip->s6_addr[13], 3);
        ip_to_cstr(&sn, x->sn_addr_s);
    }
}

static void
set_mac(struct lport_addrs *a, const struct eth_addr *ea)
{
    a->ea = *ea;
    snprintf(a->ea_s, sizeof a->ea_s, ETH_ADDR_FMT, ETH_ADDR_ARGS(*ea));
}

char *
lport_addrs_parse(const char *s, struct lport_addrs *a)
{
    char *copy = xstrdup(s), *save = NULL, *error = NULL;
    char *word = strtok_r(copy, " ", &save);
    struct eth_addr ea;

    memset(a, 0, sizeof *a);
    if (!word || !eth_addr_from_string(word, &ea)) {
        error = xasprintf("'%s': no MAC address found", s);
        goto out;
    }
    set_mac(a, &ea);
    while ((word = strtok_r(NULL, " ", &save)) != NULL) {
        struct in6_addr ip;
        unsigned int plen;
        char *e = ip_parse_cidr(word, &ip, &plen);
        if (e) {
            error = xasprintf("'%s': %s", s, e);
            free(e);
            lport_addrs_destroy(a);
            goto out;
        }
        add_ip(a, &ip, plen);
    }
out:
    free(copy);
    return error;
}

char *
lport_addrs_parse_lrp(const char *mac, const char *const *networks,
                      size_t n_networks, struct lport_addrs *a)
{
    struct eth_addr ea;
    struct in6_addr lla;

    memset(a, 0, sizeof *a);
    if (!eth_addr_from_string(mac, &ea)) {
        return xasprintf("bad 'mac' %s", mac);
    }
    set_mac(a, &ea);
    for (size_t i = 0; i < n_networks; i++) {
        struct in6_addr ip;
        unsigned int plen;
        char *e = ip_parse_cidr(networks[i], &ip, &plen);
        if (e) {
            lport_addrs_destroy(a);
            return e;
        }
        add_ip(a, &ip, plen);
    }
    /* fe80::/64 with the EUI-64 interface id of the MAC. */
    memset(&lla, 0, sizeof lla);
    lla.s6_addr[0] = 0xfe;
    lla.s6_addr[1] = 0x80;
    lla.s6_addr[8] = ea.ea[0] ^ 0x02;
    lla.s6_addr[9] = ea.ea[1];
    lla.s6_addr[10] = ea.ea[2];
    lla.s6_addr[11] = 0xff;
    lla.s6_addr[12] = 0xfe;
    lla.s6_addr[13] = ea.ea[3];
    lla.s6_addr[14] = ea.ea[4];
    lla.s6_addr[15] = ea.ea[5];
    add_ip(a, &lla, 64);
    return NULL;
}

void
lport_addrs_destroy(struct lport_addrs *a)
{
    if (a) {
        free(a->ipv4);
        free(a->ipv6);
        memset(a, 0, sizeof *a);
    }
}

void
lport_addrs_format(const struct lport_addrs *a, bool with_plen,
                   struct ds *out)
{
    ds_put_cstr(out, a->ea_s);
    for (size_t i = 0; i < a->n_ipv4; i++) {
        ds_put_format(out, " %s", a->ipv4[i].addr_s);
        if (with_plen) {
            ds_put_format(out, "/%u", a->ipv4[i].plen);
        }
    }
    for (size_t i = 0; i < a->n_ipv6; i++) {
        ds_put_format(out, " %s", a->ipv6[i].addr_s);
        if (with_plen) {
            ds_put_format(out, "/%u", a->ipv6[i].plen);
        }
    }
}
