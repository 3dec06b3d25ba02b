/* northd/lport-addrs: logical port addresses (see lport-addrs.h). */
#include "northd/lport-addrs.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>
#include "ds.h"
#include "util.h"
#include "northd/arena.h"

bool
lport_addrs_is_keyword(const char *s)
{
    return (!strcmp(s, "unknown") || !strcmp(s, "router")
            || str_startswith(s, "dynamic")
            || (strlen(s) > 17 && !strcmp(s + 17, " dynamic")));
}

/* Writes IPv4 address 'ip' (network byte order) in dotted decimal, as
 * inet_ntop() does; by hand because glibc's goes through sprintf() and
 * every port address is formatted three times per recompute. */
static void
ip4_to_cstr(uint32_t ip, char buf[INET6_ADDRSTRLEN])
{
    const uint8_t *b = (const uint8_t *) &ip;
    char *p = buf;

    for (int i = 0; i < 4; i++) {
        unsigned int v = b[i];
        if (v >= 100) {
            *p++ = '0' + v / 100;
        }
        if (v >= 10) {
            *p++ = '0' + v / 10 % 10;
        }
        *p++ = '0' + v % 10;
        *p++ = i < 3 ? '.' : '\0';
    }
}

static void
ip_to_cstr(const struct in6_addr *ip, char buf[INET6_ADDRSTRLEN])
{
    if (ip_is_v4(ip)) {
        ip4_to_cstr(ip_to_v4(ip), buf);
    } else {
        inet_ntop(AF_INET6, ip, buf, INET6_ADDRSTRLEN);
    }
}

/* Appends address 'ip'/'plen' to the right family's array of 'a'; each
 * array has room for 'max' addresses (allocated on first use). */
static void
add_ip(struct lport_addrs *a, const struct in6_addr *ip, unsigned int plen,
       size_t max)
{
    bool v4 = ip_is_v4(ip);
    struct lport_addrs_ip **array = v4 ? &a->ipv4 : &a->ipv6;
    size_t *n = v4 ? &a->n_ipv4 : &a->n_ipv6;
    struct lport_addrs_ip *x;

    if (!*array) {
        *array = (a->arena ? arena_alloc(a->arena, max * sizeof **array)
                           : xmalloc(max * sizeof **array));
    }
    ASSERT(*n < max);
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
        struct in6_addr sn = ip6_solicited_node(ip);
        ip_to_cstr(&sn, x->sn_addr_s);
    }
}

static void
set_mac(struct lport_addrs *a, const struct eth_addr *ea)
{
    static const char hex[] = "0123456789abcdef";
    char *p = a->ea_s;

    a->ea = *ea;
    for (int i = 0; i < 6; i++) {
        *p++ = hex[ea->ea[i] >> 4];
        *p++ = hex[ea->ea[i] & 15];
        *p++ = i < 5 ? ':' : '\0';
    }
}

/* Copies the next space-separated word of '*sp' into 'buf' and advances
 * '*sp'.  Returns false at the end of the string or if the word does not
 * fit. */
static bool
next_word(const char **sp, char *buf, size_t size, bool *too_long)
{
    const char *s = *sp + strspn(*sp, " ");
    size_t len = strcspn(s, " ");

    *too_long = len >= size;
    if (!len || *too_long) {
        return false;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    *sp = s + len;
    return true;
}

char *
lport_addrs_parse(const char *s, struct lport_addrs *a)
{
    return lport_addrs_parse_in(NULL, s, a);
}

char *
lport_addrs_parse_in(struct arena *arena, const char *s,
                     struct lport_addrs *a)
{
    char word[INET6_ADDRSTRLEN + 8];
    const char *p = s;
    struct eth_addr ea;
    size_t max = 0;
    bool too_long;

    memset(a, 0, sizeof *a);
    a->arena = arena;
    if (!next_word(&p, word, sizeof word, &too_long)
        || !eth_addr_from_string(word, &ea)) {
        return xasprintf("'%s': no MAC address found", s);
    }
    set_mac(a, &ea);
    for (const char *q = p; *q; q++) {
        max += *q != ' ' && (q == p || q[-1] == ' ');
    }
    while (next_word(&p, word, sizeof word, &too_long)) {
        struct in6_addr ip;
        unsigned int plen;
        char *e = ip_parse_cidr(word, &ip, &plen);
        if (e) {
            char *error = xasprintf("'%s': %s", s, e);
            free(e);
            lport_addrs_destroy(a);
            return error;
        }
        add_ip(a, &ip, plen, max);
    }
    if (too_long) {
        lport_addrs_destroy(a);
        return xasprintf("'%s': address too long", s);
    }
    return NULL;
}

char *
lport_addrs_parse_lrp(const char *mac, const char *const *networks,
                      size_t n_networks, struct lport_addrs *a)
{
    return lport_addrs_parse_lrp_in(NULL, mac, networks, n_networks, a);
}

char *
lport_addrs_parse_lrp_in(struct arena *arena, const char *mac,
                         const char *const *networks, size_t n_networks,
                         struct lport_addrs *a)
{
    struct eth_addr ea;
    struct in6_addr lla;

    memset(a, 0, sizeof *a);
    a->arena = arena;
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
        add_ip(a, &ip, plen, n_networks + 1);
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
    add_ip(a, &lla, 64, n_networks + 1);
    return NULL;
}

void
lport_addrs_destroy(struct lport_addrs *a)
{
    if (a) {
        if (!a->arena) {
            free(a->ipv4);
            free(a->ipv6);
        }
        memset(a, 0, sizeof *a);
    }
}

bool
lport_addrs_parse_vip(const char *vip, struct in6_addr *ip,
                      char buf[INET6_ADDRSTRLEN])
{
    const char *end;
    size_t len;

    if (vip[0] == '[') {
        vip++;
        end = strchr(vip, ']');
        if (!end) {
            return false;
        }
    } else {
        const char *colon = strchr(vip, ':');
        end = (colon && !strchr(colon + 1, ':')) ? colon : vip + strlen(vip);
    }
    len = end - vip;
    if (!len || len >= INET6_ADDRSTRLEN) {
        return false;
    }
    memcpy(buf, vip, len);
    buf[len] = '\0';
    return ip_from_string(buf, ip);
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
