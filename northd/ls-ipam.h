/* northd/ls-ipam: dynamic addresses of switch ports ("dynamic",
 * "MAC dynamic", "dynamic IP" in Logical_Switch_Port 'addresses'), as
 * ovn-northd 23.03 allocates them (observed; docs/northd-facts.md):
 *
 *   - IPv4 from the switch's other_config:subnet: the lowest free
 *     address, never the network address, the first host (kept for a
 *     router), the broadcast address, other_config:exclude_ips ("IP" and
 *     "IP..IP" separated by spaces) or an address a port of the switch
 *     already has.
 *   - MAC: mac_prefix (NB_Global options) plus a 24-bit suffix, the low
 *     24 bits of the port's IPv4 address plus one (1 without an address),
 *     the next one while that MAC is taken by any port of any switch.
 *   - IPv6: the EUI-64 address of the MAC in other_config:ipv6_prefix.
 *   - other_config:mac_only=true, on a switch with neither subnet nor
 *     ipv6_prefix: a MAC only.  A switch with none of the three
 *     allocates nothing.
 *
 * An allocation already in NB 'dynamic_addresses' that is still valid is
 * kept, part by part, so addresses stay stable; new allocations go in
 * port order (datapath, then port name).  The result is parsed into the
 * port's 'lsp_addrs' (so every pipeline module sees it) and written back
 * to 'dynamic_addresses' by ls_ipam_sync_nb().  Port_Binding 'mac' keeps
 * the NB text ("dynamic"), as ovn-northd does.
 *
 * Use, after ports_build() and global_build() (northd.c does this):
 *
 *     ls_ipam_build(&ports, &datapaths, global.mac_prefix);
 *     ...
 *     ls_ipam_sync_nb(&ports, nb_diff);
 *
 * A bad subnet, ipv6_prefix or exclude_ips entry is logged (rate-limited,
 * naming the switch) and ignored.  Costs nothing on topologies without
 * dynamic addresses beyond one pass over the ports.  Not thread-safe. */
#ifndef WEFT_NORTHD_LS_IPAM_H
#define WEFT_NORTHD_LS_IPAM_H 1

struct northd_ports;
struct northd_datapaths;
struct dbdiff;

void ls_ipam_build(struct northd_ports *, const struct northd_datapaths *,
                   const char *mac_prefix);
void ls_ipam_sync_nb(const struct northd_ports *, struct dbdiff *);

#endif
