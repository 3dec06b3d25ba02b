/* northd/ls-pipeline: the logical switch stages that concern ports and
 * addresses (OVN 23.03's flows, observed with the real ovn-northd; see
 * docs/northd-facts.md, section "Switch pipeline: ports and addresses").
 *
 *   ls_build_port_sec_flows()   ls_in_check_port_sec, ls_in_apply_port_sec,
 *                               ls_out_check_port_sec, ls_out_apply_port_sec
 *                               (port security itself is the
 *                               check_in_port_sec() / check_out_port_sec()
 *                               actions on Port_Binding port_security)
 *   ls_build_fdb_flows()        ls_in_lookup_fdb, ls_in_put_fdb (VIF ports
 *                               with "unknown" learn their source MACs)
 *   ls_build_arp_rsp_flows()    ls_in_arp_rsp: ARP and ND answers for the
 *                               addresses of VIF ports and of router ports,
 *                               virtual port binding, arp_proxy; and
 *                               ls_in_external_port (drops for external
 *                               ports on the chassis not hosting them)
 *   ls_build_dhcp_flows()       ls_in_dhcp_options, ls_in_dhcp_response
 *                               (DHCPv4 and DHCPv6, VIF and external
 *                               ports), ls_in_dns_lookup,
 *                               ls_in_dns_response
 *   ls_build_l2_flows()         ls_in_l2_lkup, ls_in_l2_unknown: known
 *                               MACs, router ports, ARP/ND for router
 *                               addresses, flood, multicast snooping,
 *                               unknown destinations
 *
 * Each is a northd_lflow_builder (northd.h) registered in northd.c; each
 * adds, for every switch datapath, its stages' flows beyond the
 * priority-0 defaults.  They read the compiled datapaths and ports only
 * (the only NB text parsed here is DHCP option CIDRs, virtual-ip and
 * arp_proxy: a bad one is logged, rate-limited, and skipped).
 *
 * ls_port_addrs() gives the Ethernet/IP addresses a switch port stands
 * for: its 'addresses' entries (with its allocated dynamic address), or,
 * for a router port with address "router", its peer router port's MAC
 * and networks. */
#ifndef WEFT_NORTHD_LS_PIPELINE_H
#define WEFT_NORTHD_LS_PIPELINE_H 1

#include <stdbool.h>
#include <stddef.h>

struct northd;
struct northd_datapath;
struct northd_port;
struct lflow_table;
struct lport_addrs;
struct ds;

void ls_build_port_sec_flows(const struct northd *, struct lflow_table *);
void ls_build_fdb_flows(const struct northd *, struct lflow_table *);
void ls_build_arp_rsp_flows(const struct northd *, struct lflow_table *);
void ls_build_dhcp_flows(const struct northd *, struct lflow_table *);
void ls_build_l2_flows(const struct northd *, struct lflow_table *);

/* Per-port flows (the incremental path, northd.h): every flow the
 * builders above add for switch port 'op' alone, with 'op' as the flows'
 * owner.  The full build adds the same flows with the same owner. */
void ls_build_l2_port_flows(const struct northd_port *op,
                            struct lflow_table *);
void ls_build_arp_rsp_port_flows(const struct northd *,
                                 const struct northd_port *op,
                                 struct lflow_table *);
void ls_build_dhcp_port_flows(const struct northd_port *op,
                              struct lflow_table *);
/* Is every port of 'od' a router port?  (The L2 flows of router ports
 * depend on it.) */
bool ls_only_router_ports(const struct northd_datapath *od);

/* Sets '*addrs' to the addresses of switch port 'op' and returns how
 * many there are (see the file comment). */
size_t ls_port_addrs(const struct northd_port *op,
                     const struct lport_addrs **addrs);

/* Appends 'name' as a quoted logical flow string ("vm1"). */
void ls_put_port(struct ds *, const char *name);
/* Appends port 'op''s name, quoted (its precomputed 'json_name'). */
void ls_put_op(struct ds *, const struct northd_port *op);

#endif
