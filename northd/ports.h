/* northd/ports: one logical port per Logical_Switch_Port and
 * Logical_Router_Port, plus a "cr-" chassis-redirect port per distributed
 * gateway port, with its southbound Port_Binding and tunnel key.
 *
 * Use, once per recompute, after datapaths_build() (northd.c does this):
 *
 *     ports_build(&ports, &dps, nb, sb);  reads NB, matches SB, picks keys
 *     ...gateways_build() names the HA chassis groups...
 *     ports_sync(&ports, diff, &gws);      writes Port_Binding
 *     ports_sync_nb(&ports, nb_diff);      writes NB Logical_Switch_Port
 *                                          'tag' and 'up'
 *     ports_destroy(&ports);
 *
 * What a port is (see docs/northd-facts.md for the observed details):
 *
 *   LSP type        Port_Binding type    options
 *   ""/localnet/    the same             the LSP's options
 *    localport/...
 *   router          patch                peer=<router-port>
 *   router, peer on l3gateway            peer, l3gateway-chassis=<chassis>
 *    a gateway router
 *   LRP             patch                peer=<peer> (if any),
 *                                        chassis-redirect-port=cr-<lrp>
 *                                        (distributed gateway port with a
 *                                        peer)
 *   LRP of a        l3gateway            peer, l3gateway-chassis
 *    gateway router
 *   cr-<lrp>        chassisredirect      distributed-port=<lrp>,
 *                                        always-redirect=true unless the
 *                                        router has distributed NAT
 *
 * A distributed gateway port (DGP) is an LRP with gateway_chassis or
 * ha_chassis_group on a router without options:chassis.  Its cr- port
 * and, for external LSPs, the port itself refer to an SB
 * HA_Chassis_Group (gateways.h).  Router LSPs whose peer is a DGP get
 * 'nat_addresses' for gratuitous ARPs: the peer's IPv4 addresses and,
 * with options:nat-addresses=router, the router's NAT and load balancer
 * IPs, each entry ending in is_chassis_resident("cr-<lrp>"), plus one
 * "EXTMAC EXTIP is_chassis_resident(\"<logical_port>\")" entry per
 * distributed NAT.
 *
 * Keys.  A port keeps the key of an existing binding of the same name
 * on the same datapath; 'requested-tnl-key' (LSP/LRP options) comes
 * first; new ports get the next free key after the largest kept key of
 * their datapath (keys.h), in port order: a switch's LSPs by name; a
 * router's LRPs by name, then its cr- ports.  Container ports (parent
 * and tag_request 0) get the lowest free tag of their parent, keeping
 * the one already in NB 'tag'.
 *
 * Bad rows are logged with their uuid and skipped: a port whose name is
 * already taken (LSP and LRP names share one namespace), an LRP with a
 * bad 'mac'; an element of LSP 'addresses' or LRP 'networks' that does
 * not parse is left out of the port's addresses and of Port_Binding
 * 'mac'.  (ovn-northd 23.03 copies a bad address into 'mac' and keeps a
 * network that does not parse.)
 *
 * Ownership: 'struct northd_ports' owns its ports, allocated with their
 * addresses in its arena; they borrow NB and SB replica rows and the
 * datapaths they belong to.  Not thread-safe. */
#ifndef WEFT_NORTHD_PORTS_H
#define WEFT_NORTHD_PORTS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hmap.h"
#include "uuid.h"
#include "northd/arena.h"
#include "northd/dbdiff.h"
#include "northd/lport-addrs.h"

struct ovsdb_client;
struct nbrec_logical_switch_port;
struct nbrec_logical_router_port;
struct sbrec_port_binding;
struct sbrec_chassis;
struct northd_datapath;
struct northd_datapaths;
struct gateways;

enum northd_port_kind {
    NORTHD_PORT_LSP,            /* Logical_Switch_Port. */
    NORTHD_PORT_LRP,            /* Logical_Router_Port. */
    NORTHD_PORT_CR,             /* "cr-<lrp>" for a distributed gateway
                                 * port (no NB row of its own). */
};

/* The LSP types the pipeline builders test per port, so that they need
 * not compare strings (NORTHD_LSP_OTHER: any other type; LRP and cr-
 * ports are NORTHD_LSP_NONE). */
enum northd_lsp_type {
    NORTHD_LSP_NONE,
    NORTHD_LSP_VIF,             /* "" */
    NORTHD_LSP_ROUTER,
    NORTHD_LSP_LOCALNET,
    NORTHD_LSP_LOCALPORT,
    NORTHD_LSP_VTEP,
    NORTHD_LSP_EXTERNAL,
    NORTHD_LSP_VIRTUAL,
    NORTHD_LSP_OTHER,
};

struct northd_port {
    struct hmap_node name_node; /* In northd_ports.by_name. */
    const char *name;           /* logical_port (the NB row's name, or
                                 * 'name_owned'). */
    char *name_owned;           /* cr- ports: "cr-<lrp>" (in the arena). */
    const char *json_name;      /* 'name' as a quoted string, "\"vm1\""
                                 * (in the arena). */
    enum northd_port_kind kind;
    struct northd_datapath *od;
    const struct nbrec_logical_switch_port *nbsp;   /* LSP. */
    const struct nbrec_logical_router_port *nbrp;   /* LRP, and the
                                                     * DGP of a cr-. */
    struct uuid nb_uuid;        /* NB row (the DGP's for a cr- port). */

    const char *sb_type;        /* Port_Binding type. */
    struct northd_port *peer;   /* Router LSP <-> LRP, or LRP <-> LRP. */
    struct northd_port *cr_port;    /* DGP: its cr- port. */
    struct northd_port *dgp;        /* cr- port: its DGP. */
    const char *ha_group;       /* SB HA_Chassis_Group name: DGPs, their
                                 * cr- ports and external LSPs, else
                                 * NULL. */

    uint32_t tunnel_key;        /* 0 if none could be had. */
    const struct sbrec_port_binding *sb;    /* Matched binding; after
                                             * ports_sync() the binding,
                                             * possibly just inserted. */

    /* Addresses. */
    struct lport_addrs *lsp_addrs;  /* LSP: each valid "MAC IP..." entry
                                     * of 'addresses' (a router LSP:
                                     * none, see peer). */
    size_t n_lsp_addrs;
    struct lport_addrs *ps_addrs;   /* LSP: port_security entries. */
    size_t n_ps_addrs;
    struct lport_addrs lrp_networks;    /* LRP and cr-: mac + networks
                                         * (+ IPv6 link-local). */
    const char **mac;           /* Port_Binding 'mac': NB strings, or
                                 * 'mac_owned' (LRP and cr-). */
    size_t n_mac;
    char *mac_owned;            /* In the arena. */
    const char *mac_one[1];     /* 'mac' of LRP and cr- ports. */
    bool has_unknown;           /* LSP 'addresses' has "unknown". */
    bool has_router_addr;       /* LSP 'addresses' has "router". */
    bool wants_dynamic;         /* LSP 'addresses' asks for a dynamic
                                 * address ("dynamic", "dynamic IP",
                                 * "MAC dynamic"; ls-ipam.c). */
    bool is_router_lsp;         /* LSP of type "router" (computed once:
                                 * the pipeline builders ask per flow). */
    enum northd_lsp_type lsp_type;  /* Of 'nbsp->type'. */
    const char *dynamic_addresses;  /* LSP: "MAC [IPv4] [IPv6]" allocated
                                     * by ls-ipam.c (also the last of
                                     * 'lsp_addrs'), or NULL. */
    bool enabled;               /* NB 'enabled' (default true). */
    const char *requested_tnl_key;  /* LSP/LRP options:requested-tnl-key,
                                     * or NULL. */
    long long qdisc_queue_id;   /* LSP options:qdisc_queue_id as an
                                 * integer (0 if absent or bad). */
    long long tag;              /* LSP VLAN tag (containers, localnet),
                                 * or -1. */
    bool in_port_group;         /* LSP in some Port_Group (set by the
                                 * incremental path's bookkeeping). */
};

struct northd_ports {
    struct hmap by_name;        /* By hash_string(name). */
    struct northd_port **array; /* In datapath order, then port order. */
    size_t n;
    struct dbdiff_index index;  /* Existing bindings, until sync. */
    bool index_valid;
    struct arena arena;         /* The ports and their arrays. */
    size_t allocated;           /* Capacity of 'array'. */
    uint32_t max_port_key;      /* Largest port key (VXLAN: 2047). */
};

void ports_init(struct northd_ports *);
void ports_destroy(struct northd_ports *);
/* Forgets every port, keeping the memory for the next build. */
void ports_clear(struct northd_ports *);

void ports_build(struct northd_ports *, struct northd_datapaths *,
                 const struct ovsdb_client *nb, struct ovsdb_client *sb);
/* Writes Port_Binding.  Datapaths and HA chassis groups must have been
 * synced already. */
void ports_sync(struct northd_ports *, struct dbdiff *,
                const struct gateways *);
/* Writes the NB columns northd owns: Logical_Switch_Port 'tag' and
 * 'up'. */
void ports_sync_nb(const struct northd_ports *, struct dbdiff *);

struct northd_port *ports_find(const struct northd_ports *,
                               const char *name);

/* Incremental changes (northd.h), between ports_build() and the next:
 *
 * ports_add_lsp() adds switch port 'nbsp' to 'od' (in name order), as
 * ports_build() would, except for tags; it keeps the key and binding of
 * 'old' (the port it replaces, already removed) or, if NULL, takes the
 * next free key.  Returns NULL (logged) if the name is taken.
 * ports_remove() takes 'op' out of 'ports' and its datapath, freeing its
 * key with 'free_key'; its memory stays in the arena.
 * ports_sync_one() and ports_sync_nb_one() write one port's
 * Port_Binding and NB columns as ports_sync() and ports_sync_nb() do. */
struct northd_port *ports_add_lsp(struct northd_ports *,
                                  struct northd_datapath *,
                                  const struct nbrec_logical_switch_port *,
                                  const struct northd_port *old);
void ports_remove(struct northd_ports *, struct northd_port *,
                  bool free_key);
void ports_sync_one(struct northd_port *, struct dbdiff *,
                    const struct gateways *);
void ports_sync_nb_one(const struct northd_port *, struct dbdiff *);

/* Is 'op' a switch port of type "router"? */
static inline bool
ports_is_router_lsp(const struct northd_port *op)
{
    return op->is_router_lsp;
}

/* Finds a Chassis by name, or else by hostname, as 'requested-chassis'
 * names it. */
const struct sbrec_chassis *ports_find_chassis(const struct ovsdb_client *sb,
                                               const char *name);

#endif
