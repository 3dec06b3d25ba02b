/* northd/sync: the southbound tables that are (nearly) copies of
 * northbound ones or fixed catalogues.
 *
 *   Address_Set     each NB Address_Set (name, addresses); for each NB
 *                   Port_Group "<pg>_ip4" and "<pg>_ip6", the IPv4 and
 *                   IPv6 addresses of its ports (from their 'addresses');
 *                   "_rtr_lb_<router key>_ip4" / "_ip6" with the VIPs
 *                   of a router's load balancers (when there are any);
 *                   and "svc_monitor_mac" holding NB_Global
 *                   options:svc_monitor_mac.
 *   Port_Group      one row per NB Port_Group per switch that has some of
 *                   its ports, named "<switch tunnel key>_<pg>", 'ports'
 *                   the names of those ports (ovn-northd 23.03's naming;
 *                   a group with no ports on any switch has no row).
 *   DNS             each NB DNS row that switches refer to (dns_records):
 *                   its records as they are, 'datapaths' those switches,
 *                   external_ids:dns_id its NB uuid (an unreferenced row
 *                   has none; sync_write_dns(), sync-dns.c).
 *   DHCP_Options,   the catalogue of DHCPv4 and DHCPv6 option names, codes
 *   DHCPv6_Options  and types that ovn-controller looks names up in.
 *   Meter,          each NB Meter (name, unit) with one Meter_Band per NB
 *   Meter_Band      band (action, rate, burst_size).
 *   RBAC_Role,      the "ovn-controller" role: which tables and columns a
 *   RBAC_Permission chassis may write when the SB connection uses RBAC.
 *
 * The port group table is also what the pipeline modules consult to
 * know which switches an ACL on a port group applies to:
 * sync_port_groups_of() lists a group's per-switch parts.
 *
 * Use: sync_build() after ports_build(); sync_write() any time after
 * ports_sync() (northd.c does both).  Not thread-safe. */
#ifndef WEFT_NORTHD_SYNC_H
#define WEFT_NORTHD_SYNC_H 1

#include <stdbool.h>
#include <stddef.h>
#include "hmap.h"
#include "northd/dbdiff.h"

struct ovsdb_client;
struct ovsdb_client_row;
struct ovsdb_client_txn;
struct nbrec_port_group;
struct northd_datapath;
struct northd_datapaths;
struct northd_port;
struct northd_ports;

/* One NB port group's ports on one switch. */
struct sync_port_group {
    struct hmap_node node;      /* In sync.port_groups, by NB uuid. */
    const struct nbrec_port_group *nb;
    const struct northd_datapath *od;
    char *sb_name;              /* "<tunnel key>_<name>". */
    const struct northd_port **ports;
    size_t n_ports;
    const struct ovsdb_client_row *sb;  /* Its SB row, once written. */
};

/* Where a port group's _ip4 set is (its _ip6 set follows). */
struct sync_pg_sets {
    struct hmap_node node;      /* In sync.pg_sets, by NB uuid. */
    const struct nbrec_port_group *nb;
    size_t ip4;                 /* Index in sync.address_sets. */
};

struct sync_address_set {
    char *name;
    const char **addresses;     /* Borrowed from NB rows and ports, or
                                 * in 'owned'. */
    size_t n_addresses, allocated;
    char **owned;               /* Strings to free with the set. */
    size_t n_owned;
    const struct ovsdb_client_row *sb;  /* Its SB row, once written. */
};

struct sync {
    struct hmap port_groups;    /* 'struct sync_port_group's. */
    struct hmap pg_sets;        /* 'struct sync_pg_sets'. */
    struct sync_address_set *address_sets;
    size_t n_address_sets;
    size_t allocated_address_sets;
};

void sync_init(struct sync *);
void sync_destroy(struct sync *);
/* 'svc_monitor_mac' may be NULL. */
void sync_build(struct sync *, const struct ovsdb_client *nb,
                const struct northd_datapaths *,
                const struct northd_ports *, const char *svc_monitor_mac);
void sync_write(struct sync *, const struct ovsdb_client *nb,
                struct dbdiff *);

/* Writes SB DNS (see above); datapaths must have been synced. */
void sync_write_dns(const struct northd_datapaths *, struct dbdiff *);

/* Stores in '*parts' (caller frees the array) the per-switch parts of
 * port group 'pg' and returns their number. */
size_t sync_port_groups_of(const struct sync *,
                           const struct nbrec_port_group *pg,
                           const struct sync_port_group ***parts);

/* Incremental maintenance (northd/incr.c).  The parts a port group had
 * before sync_rebuild_port_group(): their switches and SB rows. */
struct sync_pg_parts {
    const struct northd_datapath **ods;
    const struct ovsdb_client_row **sbs;    /* SB rows, or NULLs. */
    size_t n;
};

/* Rebuilds the parts and the _ip4/_ip6 sets of port group 'pg' (whose
 * row or member ports changed) from 'ports', marking its members
 * 'in_port_group'.  Moves the parts it had into '*old' (the caller frees
 * them with sync_pg_parts_destroy()) and sets '*spans_changed' if the
 * group now spans another set of switches.  Returns false, changing
 * nothing, if 'pg' was not built before. */
bool sync_rebuild_port_group(struct sync *, const struct nbrec_port_group *,
                             const struct northd_ports *,
                             struct sync_pg_parts *old, bool *spans_changed);
/* Writes SB Port_Group rows of 'pg''s parts (deleting those of 'old'
 * parts that are gone) and its two Address_Set rows.  Returns true if it
 * inserted a row (then sync_adopt() must run once the transaction has
 * succeeded). */
bool sync_write_port_group(struct sync *,
                           const struct nbrec_port_group *,
                           const struct sync_pg_parts *old, struct dbdiff *);
void sync_pg_parts_destroy(struct sync_pg_parts *);
/* Points the port groups' and address sets' SB rows that 'txn' inserted
 * at the rows the server created.  Returns false if one is missing. */
bool sync_adopt(struct sync *, const struct ovsdb_client_txn *);

#endif
