/* northd/lr-private: helpers shared by the logical router pipeline
 * modules (lr-input.c, lr-routes.c, lr-output.c, lr-nat.c, lr-lb.c, lr-mtu-ra.c).  Not an
 * interface for other modules: lr-pipeline.h is.
 *
 * Every builder takes one router datapath 'od' and the compiled state
 * and adds that router's flows for the stages it owns.  Strings are
 * built in a caller-supplied 'struct ds' scratch pair to avoid
 * allocating per flow. */
#ifndef WEFT_NORTHD_LR_PRIVATE_H
#define WEFT_NORTHD_LR_PRIVATE_H 1

#include <stdbool.h>
#include <stddef.h>
#include "ds.h"
#include "northd/lflow.h"
#include "northd/lport-addrs.h"

struct northd;
struct northd_datapath;
struct northd_port;

/* Scratch strings for one router's flows. */
struct lr_ctx {
    const struct northd *nd;
    struct lflow_table *lflows;
    const struct northd_datapath *od;
    struct ds match;
    struct ds actions;
    struct lr_nat_info *nat;    /* Parsed NAT rows (lr-nat.c), or NULL. */
    bool has_lb;                /* lr_build_lb() added flows. */
};

/* Is 'op' a router port with NB row (not a cr- port)? */
bool lr_is_lrp(const struct northd_port *);

/* Appends " && is_chassis_resident(\"cr-P\")" when 'op' is a distributed
 * gateway port; nothing otherwise. */
void lr_put_resident(struct ds *, const struct northd_port *op);

/* Appends 'ips' (their addr_s, then with 'with_bcast' each IPv4's
 * broadcast after it) as "a" or "{a, b}" ("{a}" with 'braces'). */
void lr_put_ips(struct ds *, const struct lport_addrs_ip *, size_t n,
                bool with_bcast, bool braces);

/* The first IPv4 / IPv6 (not link-local) network of 'op' that contains
 * 'ip' (IPv4-mapped for IPv4), or NULL. */
const struct lport_addrs_ip *lr_find_network(const struct northd_port *op,
                                             const struct in6_addr *ip,
                                             bool is_v4);

/* Stage builders. */
void lr_build_input(struct lr_ctx *);       /* admission..ip_input. */
void lr_build_routes(struct lr_ctx *);      /* routing_pre..policy_ecmp. */
void lr_build_output(struct lr_ctx *);      /* arp_resolve..delivery. */

/* gateway_mtu and IPv6 RA (lr-mtu-ra.c).  lr_gateway_mtu() is the
 * port's valid options:gateway_mtu, or 0. */
int lr_gateway_mtu(const struct northd_port *);
void lr_build_mtu_ra(struct lr_ctx *);

/* Load balancers (lr-lb.c): true if the router has some that apply. */
bool lr_build_lb(struct lr_ctx *);

/* NAT (lr-nat.c). */
struct lr_nat_info;
struct lr_nat_info *lr_nat_parse(const struct northd_datapath *);
void lr_nat_free(struct lr_nat_info *);
void lr_build_nat(struct lr_ctx *);
/* Is IPv4/IPv6 'ip' (text) a SNAT external IP of the router?  The
 * router-port IP flows use this to leave such addresses to NAT. */
bool lr_nat_is_snat_ip(const struct lr_nat_info *, const char *ip);

#endif
