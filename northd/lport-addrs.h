/* northd/lport-addrs: the Ethernet and IP addresses of a logical port,
 * parsed once from the northbound database for every module that needs
 * them (bindings, multicast, and the switch and router pipelines).
 *
 * Switch ports: each element of Logical_Switch_Port 'addresses' that is
 * not "unknown", "router" or "dynamic..." reads "MAC [IP[/PLEN]]...":
 *
 *     struct lport_addrs a;
 *     char *error = lport_addrs_parse("0a:00:00:00:00:01 10.0.0.5 fd00::5",
 *                                     &a);
 *     ... a.ea_s = "0a:00:00:00:00:01", a.ipv4[0].addr_s = "10.0.0.5",
 *         a.ipv4[0].plen = 32, a.ipv6[0].addr_s = "fd00::5" ...
 *     lport_addrs_destroy(&a);
 *
 * Router ports: lport_addrs_parse_lrp() reads 'mac' and 'networks'
 * ("10.0.0.1/24", "fd00::1/64"); every router port with a valid MAC also
 * gets its IPv6 link-local address (fe80::/64, EUI-64 from the MAC) as
 * its last IPv6 address, as OVN does.
 *
 * IPv4 addresses are stored IPv4-mapped, as lib/packets.h does.  Strings
 * are formatted the way OVN's logical flows write them.  Parsers return
 * NULL or an owned error message naming the bad text; on error the
 * result is empty (nothing to destroy).  Thread-safe (no state). */
#ifndef WEFT_NORTHD_LPORT_ADDRS_H
#define WEFT_NORTHD_LPORT_ADDRS_H 1

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include "packets.h"

#define LPORT_ADDRS_ETH_LEN 18          /* "xx:xx:xx:xx:xx:xx" + NUL. */

struct lport_addrs_ip {
    struct in6_addr addr;       /* As written (host bits kept). */
    unsigned int plen;          /* 32 or 128 if no prefix was given. */
    struct in6_addr network;    /* 'addr' with host bits cleared. */
    char addr_s[INET6_ADDRSTRLEN];      /* "10.0.0.5". */
    char network_s[INET6_ADDRSTRLEN];   /* "10.0.0.0". */
    char bcast_s[INET6_ADDRSTRLEN];     /* IPv4: "10.0.0.255"; IPv6: "". */
    char sn_addr_s[INET6_ADDRSTRLEN];   /* IPv6 solicited-node multicast
                                         * "ff02::1:ff00:5"; IPv4: "". */
};

struct arena;

struct lport_addrs {
    struct arena *arena;        /* Arrays allocated here, or NULL. */
    struct eth_addr ea;
    char ea_s[LPORT_ADDRS_ETH_LEN];
    struct lport_addrs_ip *ipv4;
    size_t n_ipv4;
    struct lport_addrs_ip *ipv6;
    size_t n_ipv6;
};

/* Is 's' one of the keywords of Logical_Switch_Port 'addresses' rather
 * than "MAC [IP]..."?  ("unknown", "router", "dynamic" and the partial
 * "dynamic IP" / "MAC dynamic" forms.) */
bool lport_addrs_is_keyword(const char *s);

char *lport_addrs_parse(const char *s, struct lport_addrs *) WARN_UNUSED;
char *lport_addrs_parse_lrp(const char *mac, const char *const *networks,
                            size_t n_networks, struct lport_addrs *)
    WARN_UNUSED;
/* The same, allocating the arrays from 'arena' (northd/arena.h), where
 * they live until the arena is cleared. */
char *lport_addrs_parse_in(struct arena *, const char *s,
                           struct lport_addrs *) WARN_UNUSED;
char *lport_addrs_parse_lrp_in(struct arena *, const char *mac,
                               const char *const *networks,
                               size_t n_networks, struct lport_addrs *)
    WARN_UNUSED;
/* Frees the arrays (nothing for an arena's). */
void lport_addrs_destroy(struct lport_addrs *);

/* Parses the IP of load balancer VIP 'vip' ("IP", "IP:PORT", "IPv6" or
 * "[IPv6]:PORT") into 'ip' and its text into 'buf'.  Returns false if it
 * is not one. */
bool lport_addrs_parse_vip(const char *vip, struct in6_addr *ip,
                           char buf[INET6_ADDRSTRLEN]);

/* Formats "MAC IP IP..." (the Port_Binding 'mac' and 'nat_addresses'
 * style; with 'with_plen', "IP/PLEN" as router port bindings show). */
void lport_addrs_format(const struct lport_addrs *, bool with_plen,
                        struct ds *);

#endif
