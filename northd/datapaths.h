/* northd/datapaths: one logical datapath per Logical_Switch and
 * Logical_Router, with its southbound Datapath_Binding and tunnel key.
 *
 * Use, once per recompute (northd.c does this):
 *
 *     datapaths_build(&dps, nb, sb);     reads NB, matches SB, picks keys
 *     ...ports_build() and the other modules add to each datapath...
 *     datapaths_sync(&dps, diff);        writes Datapath_Binding
 *     datapaths_destroy(&dps);
 *
 * Matching and keys.  An existing Datapath_Binding belongs to the NB row
 * named by its external_ids:logical-switch or :logical-router (the NB
 * row's uuid, as ovn-northd 23.03 writes it).  A matched datapath keeps
 * its tunnel key, so keys survive recomputes and restarts; a datapath
 * without a binding gets a new one.  Key order: first every
 * 'requested-tnl-key' (LS other_config, LR options), then the keys of
 * existing bindings that do not clash with those, then the lowest free
 * key for each remaining datapath, switches before routers, each in name
 * order (ovn-northd's order within one recompute is its hash order, so
 * this only matters when several datapaths appear at once).  Keys run
 * 1..16711680, or 1..4095 when some chassis has a VXLAN encapsulation.
 *
 * Datapath_Binding columns written: tunnel_key and external_ids
 * {logical-switch|logical-router = NB uuid, name, name2 (from
 * external_ids neutron:network_name / neutron:router_name), interconn-ts
 * (switches: other_config interconn-ts)}; load_balancers stays empty.
 * Deleting a binding also deletes the MAC_Binding and Static_MAC_Binding
 * rows that still reference it (their references are strong).
 *
 * Ownership: 'struct northd_datapaths' owns its datapaths, which borrow
 * NB and SB replica rows; all is valid until the replicas change.  The
 * per-datapath port arrays are filled by ports.c and owned here.  Not
 * thread-safe. */
#ifndef WEFT_NORTHD_DATAPATHS_H
#define WEFT_NORTHD_DATAPATHS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hmap.h"
#include "uuid.h"
#include "northd/dbdiff.h"
#include "northd/keys.h"

struct ovsdb_client;
struct nbrec_logical_switch;
struct nbrec_logical_router;
struct sbrec_datapath_binding;
struct northd_port;

struct northd_datapath {
    struct hmap_node nb_node;   /* In northd_datapaths.by_nb. */
    struct hmap_node sb_node;   /* In northd_datapaths.by_sb once 'sb' is
                                 * known. */
    size_t index;               /* Position in northd_datapaths.array. */

    /* Northbound: exactly one of these. */
    const struct nbrec_logical_switch *nbs;
    const struct nbrec_logical_router *nbr;
    struct uuid nb_uuid;
    const char *name;           /* NB name (may be ""). */

    /* Southbound. */
    uint32_t tunnel_key;
    const struct sbrec_datapath_binding *sb;    /* Matched binding; after
                                                 * datapaths_sync() the
                                                 * binding, possibly just
                                                 * inserted. */

    /* Ports, in the order ports.c adds them (NB order: by name). */
    struct northd_port **ports;
    size_t n_ports, allocated_ports;
    struct keys port_keys;      /* Port tunnel keys in use. */
    uint32_t port_key_hint;     /* Last port key handed out. */

    /* Facts about the ports, for the pipeline modules (set by ports.c). */
    struct northd_port **localnet_ports;        /* Switch: localnet. */
    size_t n_localnet_ports;
    struct northd_port **router_ports;          /* Switch: type router
                                                 * LSPs with a peer. */
    size_t n_router_ports;
    bool has_unknown;           /* Switch: an enabled port has "unknown". */
    struct northd_port **l3dgw_ports;           /* Router: distributed
                                                 * gateway ports. */
    size_t n_l3dgw_ports;
    const char *l3gw_chassis;   /* Router: options:chassis (a gateway
                                 * router), else NULL. */
    bool mcast_relay;           /* Router: options:mcast_relay=true. */
    bool mcast_snoop;           /* Switch: other_config:mcast_snoop. */
};

static inline bool
northd_datapath_is_switch(const struct northd_datapath *od)
{
    return od->nbs != NULL;
}

struct northd_datapaths {
    struct hmap by_nb;          /* By uuid_hash(&nb_uuid). */
    struct hmap by_sb;          /* By uuid_hash(&sb->header_.uuid). */
    struct northd_datapath **array;     /* Switches (by name), then
                                         * routers (by name). */
    size_t n;
    size_t n_switches;          /* array[0 .. n_switches - 1] switch. */
    struct keys keys;           /* Datapath keys in use. */
    uint32_t max_key;           /* KEYS_DP_MAX or KEYS_DP_VXLAN_MAX. */
    struct northd_datapath *ods;    /* The datapaths, one allocation. */
    struct dbdiff_index index;  /* Existing bindings, until sync. */
    bool index_valid;
};

void datapaths_init(struct northd_datapaths *);
void datapaths_destroy(struct northd_datapaths *);

/* Builds a datapath for each NB switch and router, matched with its
 * binding in 'sb' and given a key.  'sb' must be the client the later
 * datapaths_sync() writes through. */
void datapaths_build(struct northd_datapaths *,
                     const struct ovsdb_client *nb, struct ovsdb_client *sb);
/* Writes Datapath_Binding (inserting, updating, deleting) and sets 'sb'
 * of every datapath. */
void datapaths_sync(struct northd_datapaths *, struct dbdiff *);

struct northd_datapath *datapaths_find_by_nb(const struct northd_datapaths *,
                                             const struct uuid *);
/* Only after datapaths_sync(), or for datapaths that had a binding. */
struct northd_datapath *datapaths_find_by_sb(const struct northd_datapaths *,
                                             const struct uuid *);

/* Adds 'port' to 'od''s port array (used by ports.c). */
void datapaths_add_port(struct northd_datapath *, struct northd_port *);

/* The datapaths that refer to each of some NB rows (the switches whose
 * load_balancer or dns_records name a row...), for SB rows with a
 * 'datapaths' column.  A 'struct datapath_refs' is an hmap of these: */
struct datapath_ref {
    struct hmap_node node;      /* By uuid_hash() of the row's uuid. */
    const struct ovsdb_client_row *row;     /* The NB row. */
    const struct northd_datapath **ods;     /* In the order added. */
    size_t n_ods, allocated_ods;
};

/* Notes that 'od' refers to 'row' (once, however often it is noted in a
 * row). */
void datapath_refs_add(struct hmap *refs, const struct ovsdb_client_row *,
                       const struct northd_datapath *);
/* Sets reference column 'col' of 'row' to the bindings of 'ref''s
 * datapaths (which must all have one). */
void datapath_ref_write(const struct datapath_ref *, struct dbdiff *,
                        const struct ovsdb_client_row *row, unsigned int col);
/* Frees every entry of 'refs' and 'refs' itself. */
void datapath_refs_destroy(struct hmap *refs);

#endif
