/* packets: Ethernet and IP addresses — parsing and formatting them as OVN's
 * operators write them.
 *
 *     struct eth_addr mac;
 *     if (!eth_addr_from_string("0a:00:00:00:00:01", &mac)) ...
 *
 *     struct in6_addr ip;    (IPv4 addresses are kept as IPv4-mapped IPv6)
 *     unsigned int plen;
 *     char *error = ip_parse_cidr("10.0.0.1/24", &ip, &plen);
 *
 * Parsers that return 'char *' return NULL on success or an owned error
 * message naming the bad input; the ones that return bool report only
 * whether the text is valid.  Thread-safe (no state). */
#ifndef WEFT_PACKETS_H
#define WEFT_PACKETS_H 1

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include "util.h"

struct ds;

struct eth_addr {
    uint8_t ea[6];
};

#define ETH_ADDR_FMT "%02x:%02x:%02x:%02x:%02x:%02x"
#define ETH_ADDR_ARGS(EA)                                               \
    (EA).ea[0], (EA).ea[1], (EA).ea[2], (EA).ea[3], (EA).ea[4], (EA).ea[5]

/* Parses "xx:xx:xx:xx:xx:xx" (one or two hex digits per byte) and nothing
 * else. */
bool eth_addr_from_string(const char *, struct eth_addr *);
bool eth_addr_is_zero(const struct eth_addr *);
bool eth_addr_is_multicast(const struct eth_addr *);

/* An address of either family, IPv4 stored IPv4-mapped (::ffff:a.b.c.d). */
bool ip_is_v4(const struct in6_addr *);
void ip_from_v4(struct in6_addr *, uint32_t be_addr);
uint32_t ip_to_v4(const struct in6_addr *);   /* Network byte order. */

/* Parses one IPv4 or IPv6 address. */
bool ip_from_string(const char *, struct in6_addr *);
/* Parses "ADDRESS/PLEN" (or just "ADDRESS", which is a host prefix).
 * Accepts host bits set ("10.0.0.1/24"), as lrp-add's networks do. */
char *ip_parse_cidr(const char *, struct in6_addr *, unsigned int *plen)
    WARN_UNUSED;
/* Is 's' a valid IPv4 or IPv6 network "ADDRESS/PLEN" or host address? */
bool ip_is_cidr(const char *s);
/* Clears the host bits of 'ip' beyond 'plen' bits (of the family's
 * length). */
void ip_apply_plen(struct in6_addr *, unsigned int plen);
/* The solicited-node multicast address of IPv6 'ip' (RFC 4291:
 * ff02::1:ffXX:XXXX with the low 24 bits of 'ip'). */
struct in6_addr ip6_solicited_node(const struct in6_addr *ip);
/* Formats 'ip' (dotted quad for IPv4, RFC 5952 for IPv6). */
void ip_format(const struct in6_addr *, struct ds *);
/* Formats "ADDRESS/PLEN". */
void ip_format_cidr(const struct in6_addr *, unsigned int plen, struct ds *);

/* An IP address with an optional port, written as OVS's socket code
 * (inet_parse_active() without name resolution) accepts it and as OVN's
 * load balancer VIPs and backends are written:
 *
 *     1.2.3.4   1.2.3.4:80   [1.2.3.4]:80   fd00::1   [fd00::1]:80
 *     fd00::1%eth0   [fe80::1%2]:80
 *
 * The rules, learnt from ovn-nbctl 23.03 (docs/nbctl-facts.md §7):
 *   - The port is what follows the only ':' outside brackets; with two or
 *     more such colons there is no port ("fd00::1").  An empty port, or
 *     port 0, is no port.  A port is a decimal int as strtol() reads it
 *     (leading blanks and a sign allowed) from 0 to 65535.
 *   - A leading '[' is dropped from the address, and then a trailing ']'.
 *   - An address containing ':' is IPv6, optionally followed by
 *     "%SCOPE": a run of digits (an interface index, truncated to 32 bits
 *     as atoi() does) or an interface name; anything after a second '%'
 *     is ignored.  Other addresses are dotted-quad IPv4 (inet_pton()).
 *
 * ip_endpoint_parse() returns NULL on success, else an owned message in
 * OVS's words ('S: bad port number "P"', 'S: bad IP address "A"', 'S: bad
 * IPv6 scope "X" (strerror)').  OVS logs these as errors but says nothing
 * about a malformed IPv6 address: for that case '*quietp' is set to true
 * (false otherwise), and the message is 'S: bad IPv6 address "A"'. */
struct ip_endpoint {
    int family;                 /* AF_INET or AF_INET6. */
    union {
        struct in_addr ip4;
        struct in6_addr ip6;
    };
    uint32_t scope_id;          /* IPv6 interface index, 0 for none. */
    uint16_t port;              /* 0 for none. */
};
char *ip_endpoint_parse(const char *, struct ip_endpoint *, bool *quietp)
    WARN_UNUSED;
/* Formats the address alone: "1.2.3.4", "fd00::1", "fe80::1%eth0" (the
 * interface's name if it exists, else its index). */
void ip_endpoint_format_addr(const struct ip_endpoint *, struct ds *);
/* Formats the address with its port, if any: "1.2.3.4:80",
 * "[fd00::1]:80"; without a port, as ip_endpoint_format_addr(). */
void ip_endpoint_format(const struct ip_endpoint *, struct ds *);

#endif
