/* Ethernet and IP address parsing and formatting; see packets.h. */
#include "packets.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdlib.h>
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

struct in6_addr
ip6_solicited_node(const struct in6_addr *ip)
{
    struct in6_addr sn = { .s6_addr = { 0xff, 0x02, [11] = 0x01,
                                        [12] = 0xff } };

    memcpy(&sn.s6_addr[13], &ip->s6_addr[13], 3);
    return sn;
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

/* Splits 's' (modified) into host and port: the port follows the only ':'
 * outside brackets; with none, or several, there is no port. */
static void
split_host_port(char *s, char **hostp, char **portp)
{
    char *colon = NULL;
    bool in_brackets = false;
    int n_colons = 0;

    for (char *p = s; *p; p++) {
        if (*p == '[') {
            in_brackets = true;
        } else if (*p == ']') {
            in_brackets = false;
        } else if (*p == ':' && !in_brackets) {
            n_colons++;
            colon = p;
        }
    }
    *hostp = s;
    *portp = NULL;
    if (n_colons == 1) {
        *colon = '\0';
        *portp = colon + 1;
    }
}

/* Parses IPv6 scope 'scope' of endpoint 's' into '*scope_id'. */
static char *
parse_scope(const char *s, const char *scope, uint32_t *scope_id)
{
    if (!*scope) {
        *scope_id = 0;
    } else if (!scope[strspn(scope, "0123456789")]) {
        /* atoi()'s result, as OVS has it: overflow wraps to 32 bits. */
        *scope_id = (uint32_t) (int) strtol(scope, NULL, 10);
    } else {
        errno = 0;
        *scope_id = if_nametoindex(scope);
        if (!*scope_id) {
            return xasprintf("%s: bad IPv6 scope \"%s\" (%s)", s, scope,
                             strerror(errno ? errno : ENODEV));
        }
    }
    return NULL;
}

/* Parses address 'host' (brackets already removed) of endpoint 's'. */
static char *
parse_endpoint_host(const char *s, char *host, struct ip_endpoint *ep,
                    bool *quietp)
{
    if (!strchr(host, ':')) {
        ep->family = AF_INET;
        return (inet_pton(AF_INET, host, &ep->ip4) == 1 ? NULL
                : xasprintf("%s: bad IP address \"%s\"", s, host));
    }

    char *scope = strchr(host, '%');
    if (scope) {
        *scope++ = '\0';
        scope[strcspn(scope, "%")] = '\0';
    }
    ep->family = AF_INET6;
    if (inet_pton(AF_INET6, host, &ep->ip6) != 1) {
        *quietp = true;
        return xasprintf("%s: bad IPv6 address \"%s\"", s, host);
    }
    return scope ? parse_scope(s, scope, &ep->scope_id) : NULL;
}

char *
ip_endpoint_parse(const char *s, struct ip_endpoint *ep, bool *quietp)
{
    char *copy = xstrdup(s), *host, *port;
    char *error = NULL;

    memset(ep, 0, sizeof *ep);
    *quietp = false;
    split_host_port(copy, &host, &port);
    if (port && *port) {
        long long n;
        if (!str_to_llong(port, 10, &n) || n < 0 || n > 65535) {
            error = xasprintf("%s: bad port number \"%s\"", s, port);
            goto out;
        }
        ep->port = n;
    }
    if (*host == '[') {
        size_t len = strlen(++host);
        if (len && host[len - 1] == ']') {
            host[len - 1] = '\0';
        }
    }
    error = parse_endpoint_host(s, host, ep, quietp);
out:
    free(copy);
    return error;
}

void
ip_endpoint_format_addr(const struct ip_endpoint *ep, struct ds *ds)
{
    char buf[INET6_ADDRSTRLEN];

    if (ep->family == AF_INET) {
        inet_ntop(AF_INET, &ep->ip4, buf, sizeof buf);
        ds_put_cstr(ds, buf);
        return;
    }
    inet_ntop(AF_INET6, &ep->ip6, buf, sizeof buf);
    ds_put_cstr(ds, buf);
    if (ep->scope_id) {
        char name[IF_NAMESIZE];
        if (if_indextoname(ep->scope_id, name)) {
            ds_put_format(ds, "%%%s", name);
        } else {
            ds_put_format(ds, "%%%"PRIu32, ep->scope_id);
        }
    }
}

void
ip_endpoint_format(const struct ip_endpoint *ep, struct ds *ds)
{
    bool brackets = ep->port && ep->family == AF_INET6;

    if (brackets) {
        ds_put_char(ds, '[');
    }
    ip_endpoint_format_addr(ep, ds);
    if (brackets) {
        ds_put_char(ds, ']');
    }
    if (ep->port) {
        ds_put_format(ds, ":%"PRIu16, ep->port);
    }
}
