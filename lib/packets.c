/* Ethernet and IP address parsing and formatting; see packets.h. */
#include "packets.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>
#include "ds.h"
#include "util.h"

bool
eth_addr_from_string(const char *s, struct eth_addr *mac)
{
    for (int i = 0; i < 6; i++) {
        unsigned int byte = 0;
        int n = 0;

        while (n < 2 && isxdigit((unsigned char) *s)) {
            char c = tolower((unsigned char) *s++);
            byte = byte * 16 + (isdigit((unsigned char) c) ? c - '0'
                                                           : c - 'a' + 10);
            n++;
        }
        if (!n || *s != (i < 5 ? ':' : '\0')) {
            return false;
        }
        mac->ea[i] = byte;
        s += i < 5;
    }
    return true;
}

bool
eth_addr_is_zero(const struct eth_addr *mac)
{
    static const struct eth_addr zero;
    return !memcmp(mac, &zero, sizeof zero);
}

bool
eth_addr_is_multicast(const struct eth_addr *mac)
{
    return mac->ea[0] & 1;
}

bool
ip_is_v4(const struct in6_addr *ip)
{
    return IN6_IS_ADDR_V4MAPPED(ip);
}

void
ip_from_v4(struct in6_addr *ip, uint32_t be_addr)
{
    memset(ip, 0, sizeof *ip);
    ip->s6_addr[10] = ip->s6_addr[11] = 0xff;
    memcpy(&ip->s6_addr[12], &be_addr, 4);
}

uint32_t
ip_to_v4(const struct in6_addr *ip)
{
    uint32_t be_addr;
    memcpy(&be_addr, &ip->s6_addr[12], 4);
    return be_addr;
}

bool
ip_from_string(const char *s, struct in6_addr *ip)
{
    struct in_addr v4;

    if (inet_pton(AF_INET, s, &v4) == 1) {
        ip_from_v4(ip, v4.s_addr);
        return true;
    }
    return !strchr(s, '.') || strchr(s, ':')
           ? inet_pton(AF_INET6, s, ip) == 1 && !ip_is_v4(ip)
           : false;
}

char *
ip_parse_cidr(const char *s, struct in6_addr *ip, unsigned int *plen)
{
    const char *slash = strchr(s, '/');
    char *addr = slash ? xmemdup0(s, slash - s) : xstrdup(s);
    bool ok = ip_from_string(addr, ip);
    free(addr);

    if (!ok) {
        return xasprintf("%s: invalid IP address", s);
    }
    unsigned int max = ip_is_v4(ip) ? 32 : 128;
    if (!slash) {
        *plen = max;
    } else if (!str_to_uint(slash + 1, 10, plen) || *plen > max
               || !isdigit((unsigned char) slash[1])) {
        return xasprintf("%s: invalid prefix length", s);
    }
    return NULL;
}

bool
ip_is_cidr(const char *s)
{
    struct in6_addr ip;
    unsigned int plen;
    char *error = ip_parse_cidr(s, &ip, &plen);
    free(error);
    return !error;
}

void
ip_apply_plen(struct in6_addr *ip, unsigned int plen)
{
    unsigned int bits = (ip_is_v4(ip) ? 96 : 0) + plen;

    for (unsigned int i = 0; i < 16; i++) {
        unsigned int keep = bits >= (i + 1) * 8 ? 8
                            : bits > i * 8 ? bits - i * 8 : 0;
        ip->s6_addr[i] &= keep ? (uint8_t) (0xff << (8 - keep)) : 0;
    }
}

void
ip_format(const struct in6_addr *ip, struct ds *ds)
{
    char buf[INET6_ADDRSTRLEN];

    if (ip_is_v4(ip)) {
        struct in_addr v4 = { .s_addr = ip_to_v4(ip) };
        inet_ntop(AF_INET, &v4, buf, sizeof buf);
    } else {
        inet_ntop(AF_INET6, ip, buf, sizeof buf);
    }
    ds_put_cstr(ds, buf);
}

void
ip_format_cidr(const struct in6_addr *ip, unsigned int plen, struct ds *ds)
{
    ip_format(ip, ds);
    ds_put_format(ds, "/%u", plen);
}
