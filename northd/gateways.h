/* northd/gateways: southbound HA_Chassis_Group rows for distributed
 * gateway ports and external ports.
 *
 * Each group names the chassis that may host a port and their
 * priorities; ovn-controller makes the highest-priority live one active.
 * Groups, as ovn-northd 23.03 writes them:
 *
 *   - a distributed gateway port with NB ha_chassis_group G, and an
 *     external LSP with ha_chassis_group G: SB group named G with one
 *     HA_Chassis per NB HA_Chassis of G;
 *   - a distributed gateway port P with gateway_chassis rows: SB group
 *     named P with one HA_Chassis per Gateway_Chassis.
 *
 * Each HA_Chassis has 'chassis' (the SB Chassis of that name), 'priority'
 * and external_ids:chassis-name.  A member naming a chassis that is not
 * in the southbound database is logged (with the NB row's uuid) and left
 * out until the chassis registers (ovn-northd keeps it with an empty
 * 'chassis').  'ref_chassis' is the set of chassis where some port of a
 * datapath connected to the group's router or switch (through router
 * ports, transitively) is bound: the chassis that need BFD sessions to
 * the group's members.  NB groups no port uses are not written.
 *
 * Use, after ports_build() (northd.c does this):
 *
 *     gateways_build(&gws, &dps, &ports, sb);
 *     gateways_sync(&gws, diff);          before ports_sync()
 *     gateways_destroy(&gws);
 *
 * Not thread-safe. */
#ifndef WEFT_NORTHD_GATEWAYS_H
#define WEFT_NORTHD_GATEWAYS_H 1

#include <stddef.h>
#include <stdint.h>
#include "hmap.h"
#include "uuid.h"
#include "northd/dbdiff.h"

struct ovsdb_client;
struct sbrec_chassis;
struct sbrec_ha_chassis_group;
struct northd_datapaths;
struct northd_ports;

struct gateways_member {
    const char *chassis_name;
    const struct sbrec_chassis *chassis;
    long long priority;
};

struct gateways_group {
    struct hmap_node node;      /* In gateways.groups, by name. */
    const char *name;
    struct gateways_member *members;
    size_t n_members;
    const struct sbrec_chassis **ref_chassis;
    size_t n_ref_chassis;
    const struct sbrec_ha_chassis_group *sb;    /* After sync: the row. */
};

struct gateways {
    struct hmap groups;
};

void gateways_init(struct gateways *);
void gateways_destroy(struct gateways *);
void gateways_build(struct gateways *, const struct northd_datapaths *,
                    const struct northd_ports *,
                    const struct ovsdb_client *sb);
void gateways_sync(struct gateways *, struct dbdiff *);
const struct gateways_group *gateways_find(const struct gateways *,
                                           const char *name);

#endif
