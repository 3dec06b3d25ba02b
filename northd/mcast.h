/* northd/mcast: southbound Multicast_Group and IP_Multicast rows.
 *
 * Multicast groups are the flooding domains the logical flows output to
 * (outport = "_MC_flood").  ovn-northd 23.03 (observed, see
 * docs/northd-facts.md) writes, per datapath, only the groups that have
 * members:
 *
 *   name               key    members
 *   _MC_flood          32768  switch: every enabled port
 *   _MC_unknown        32769  switch: enabled ports with "unknown"
 *   _MC_mrouter_flood  32770  switch: enabled ports with options
 *                             mcast_flood_reports=true, and router ports
 *                             whose peer router has options
 *                             mcast_relay=true
 *   _MC_static         32771  switch: enabled ports with options
 *                             mcast_flood=true; router: router ports with
 *                             options mcast_flood=true
 *   _MC_flood_l2       32772  switch: every enabled port but router ports
 *
 * Groups learnt by IGMP/MLD snooping (keys 32773 and up, from IGMP_Group)
 * are not written yet.
 *
 * IP_Multicast: one row per switch with its snooping configuration from
 * other_config (mcast_snoop -> enabled, default false; mcast_querier ->
 * querier, default true; mcast_eth_src, mcast_ip4_src, mcast_ip6_src;
 * mcast_table_size, default 2048; mcast_idle_timeout, default 300 s,
 * 15..3600; mcast_query_interval, default half the idle timeout;
 * mcast_query_max_response, default 1 s).  'seq_no' belongs to
 * ovn-controller and is left alone.
 *
 * Use after ports_build(); sync after ports_sync() (northd.c does it). */
#ifndef WEFT_NORTHD_MCAST_H
#define WEFT_NORTHD_MCAST_H 1

#include <stddef.h>
#include <stdint.h>
#include "northd/dbdiff.h"

struct northd_datapath;
struct northd_datapaths;
struct northd_port;

#define MCAST_FLOOD "_MC_flood"
#define MCAST_UNKNOWN "_MC_unknown"
#define MCAST_MROUTER_FLOOD "_MC_mrouter_flood"
#define MCAST_STATIC "_MC_static"
#define MCAST_FLOOD_L2 "_MC_flood_l2"

enum {
    MCAST_FLOOD_KEY = 32768,
    MCAST_UNKNOWN_KEY = 32769,
    MCAST_MROUTER_FLOOD_KEY = 32770,
    MCAST_STATIC_KEY = 32771,
    MCAST_FLOOD_L2_KEY = 32772,
};

struct mcast_group {
    const struct northd_datapath *od;
    const char *name;
    uint32_t tunnel_key;
    const struct northd_port **ports;
    size_t n_ports;
};

struct mcast {
    struct mcast_group *groups;
    size_t n_groups, allocated;
};

void mcast_init(struct mcast *);
void mcast_destroy(struct mcast *);
void mcast_build(struct mcast *, const struct northd_datapaths *);
/* Rebuilds the groups of 'od' alone from its ports and writes them to
 * Multicast_Group (the incremental path, northd.h). */
void mcast_update_datapath(struct mcast *, const struct northd_datapath *,
                           struct dbdiff *);
/* Writes Multicast_Group and IP_Multicast. */
void mcast_sync(const struct mcast *, const struct northd_datapaths *,
                struct dbdiff *);

#endif
