/* northd/gateways: HA_Chassis_Group for gateway and external ports (see
 * gateways.h). */
#include "northd/gateways.h"

#include <string.h>
#include "hash.h"
#include "util.h"
#include "vlog.h"
#include "northd/datapaths.h"
#include "northd/ports.h"
#include "ovsdb/nbrec-idl.h"
#include "ovsdb/sbrec-idl.h"

VLOG_DEFINE_THIS_MODULE(northd_gateways);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

void
gateways_init(struct gateways *gws)
{
    hmap_init(&gws->groups);
}

void
gateways_destroy(struct gateways *gws)
{
    struct gateways_group *g;

    if (!gws) {
        return;
    }
    HMAP_FOR_EACH_POP (g, node, &gws->groups) {
        free(g->members);
        free(g->ref_chassis);
        free(g);
    }
    hmap_destroy(&gws->groups);
    gateways_init(gws);
}

const struct gateways_group *
gateways_find(const struct gateways *gws, const char *name)
{
    struct gateways_group *g;

    HMAP_FOR_EACH_WITH_HASH (g, node, hash_string(name, 0), &gws->groups) {
        if (!strcmp(g->name, name)) {
            return g;
        }
    }
    return NULL;
}

static void
add_member(struct gateways_group *g, const struct ovsdb_client *sb,
           const char *chassis_name, long long priority,
           const struct uuid *nb_uuid)
{
    const struct sbrec_chassis *ch = NULL, *c;
    char buf[UUID_LEN + 1];

    SBREC_CHASSIS_FOR_EACH (c, sb) {
        if (!strcmp(c->name, chassis_name)) {
            ch = c;
            break;
        }
    }
    if (!ch) {
        VLOG_WARN_RL(&rl, "HA chassis group %s: chassis %s (%s) does not "
                     "exist: left out", g->name, chassis_name,
                     uuid_to_cstr(nb_uuid, buf));
        return;
    }
    g->members = xrealloc(g->members,
                          (g->n_members + 1) * sizeof *g->members);
    g->members[g->n_members++] = (struct gateways_member) {
        .chassis_name = chassis_name, .chassis = ch, .priority = priority,
    };
}

static struct gateways_group *
group_create(struct gateways *gws, const char *name)
{
    struct gateways_group *g = xzalloc(sizeof *g);

    g->name = name;
    hmap_insert(&gws->groups, &g->node, hash_string(name, 0));
    return g;
}

/* Creates the group port 'op' refers to, if not yet done. */
static struct gateways_group *
group_for_port(struct gateways *gws, const struct northd_port *op,
               const struct ovsdb_client *sb)
{
    struct gateways_group *g = (struct gateways_group *)
                               gateways_find(gws, op->ha_group);
    const struct nbrec_ha_chassis_group *nbg;

    if (g) {
        return g;
    }
    g = group_create(gws, op->ha_group);
    nbg = (op->kind == NORTHD_PORT_LSP ? op->nbsp->ha_chassis_group
                                       : op->nbrp->ha_chassis_group);
    if (nbg) {
        for (size_t i = 0; i < nbg->n_ha_chassis; i++) {
            const struct nbrec_ha_chassis *hc = nbg->ha_chassis[i];
            add_member(g, sb, hc->chassis_name, hc->priority,
                       &hc->header_.uuid);
        }
    } else {
        for (size_t i = 0; i < op->nbrp->n_gateway_chassis; i++) {
            const struct nbrec_gateway_chassis *gc
                = op->nbrp->gateway_chassis[i];
            add_member(g, sb, gc->chassis_name, gc->priority,
                       &gc->header_.uuid);
        }
    }
    return g;
}

/* Union-find over datapath indexes: datapaths joined by router ports. */
static size_t
find_root(size_t *parent, size_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

static size_t *
connected_components(const struct northd_datapaths *dps,
                     const struct northd_ports *ports)
{
    size_t *parent = xmalloc((dps->n ? dps->n : 1) * sizeof *parent);

    for (size_t i = 0; i < dps->n; i++) {
        parent[i] = i;
    }
    for (size_t i = 0; i < ports->n; i++) {
        const struct northd_port *op = ports->array[i];
        if (op->peer) {
            size_t a = find_root(parent, op->od->index);
            size_t b = find_root(parent, op->peer->od->index);
            parent[a] = b;
        }
    }
    return parent;
}

static void
add_ref_chassis(struct gateways_group *g, const struct sbrec_chassis *ch)
{
    for (size_t i = 0; i < g->n_ref_chassis; i++) {
        if (g->ref_chassis[i] == ch) {
            return;
        }
    }
    g->ref_chassis = xrealloc(g->ref_chassis, (g->n_ref_chassis + 1)
                                              * sizeof *g->ref_chassis);
    g->ref_chassis[g->n_ref_chassis++] = ch;
}

/* The chassis binding some port of each component, by root index. */
struct component_chassis {
    const struct sbrec_chassis **chassis;
    size_t n;
};

static void
component_add(struct component_chassis *cc, const struct sbrec_chassis *ch)
{
    for (size_t i = 0; i < cc->n; i++) {
        if (cc->chassis[i] == ch) {
            return;
        }
    }
    cc->chassis = xrealloc(cc->chassis, (cc->n + 1) * sizeof *cc->chassis);
    cc->chassis[cc->n++] = ch;
}

/* Sets each group's ref_chassis: chassis binding ports in the component
 * of a datapath that uses the group. */
static void
compute_ref_chassis(struct gateways *gws, const struct northd_datapaths *dps,
                    const struct northd_ports *ports)
{
    struct component_chassis *comps;
    size_t *parent;

    if (hmap_is_empty(&gws->groups)) {
        return;
    }
    parent = connected_components(dps, ports);
    comps = xcalloc(dps->n ? dps->n : 1, sizeof *comps);
    for (size_t i = 0; i < ports->n; i++) {
        const struct northd_port *op = ports->array[i];
        if (op->sb && op->sb->chassis) {
            component_add(&comps[find_root(parent, op->od->index)],
                          op->sb->chassis);
        }
    }
    for (size_t i = 0; i < ports->n; i++) {
        const struct northd_port *user = ports->array[i];
        if (user->ha_group && user->kind != NORTHD_PORT_LRP) {
            struct gateways_group *g = (struct gateways_group *)
                                       gateways_find(gws, user->ha_group);
            const struct component_chassis *cc
                = &comps[find_root(parent, user->od->index)];
            for (size_t j = 0; j < cc->n; j++) {
                add_ref_chassis(g, cc->chassis[j]);
            }
        }
    }
    for (size_t i = 0; i < dps->n; i++) {
        free(comps[i].chassis);
    }
    free(comps);
    free(parent);
}

void
gateways_build(struct gateways *gws, const struct northd_datapaths *dps,
               const struct northd_ports *ports,
               const struct ovsdb_client *sb)
{
    gateways_destroy(gws);
    for (size_t i = 0; i < ports->n; i++) {
        const struct northd_port *op = ports->array[i];
        if (op->ha_group && op->kind != NORTHD_PORT_LRP) {
            group_for_port(gws, op, sb);
        }
    }
    compute_ref_chassis(gws, dps, ports);
}

static const char *
group_key(const struct ovsdb_client_row *row, struct ds *buf OVS_UNUSED,
          void *aux OVS_UNUSED)
{
    return ((const struct sbrec_ha_chassis_group *) row)->name;
}

/* The HA_Chassis rows of 'group' (existing or new), one per member. */
static void
sync_members(struct dbdiff *diff, const struct gateways_group *g)
{
    const struct sbrec_ha_chassis_group *sbg = g->sb;
    struct ovsdb_client_table *table = sbrec_ha_chassis_table(diff->client);
    bool *used = xcalloc(sbg->n_ha_chassis + 1, sizeof *used);
    struct dbdiff_datum refs;

    dbdiff_datum_init_set(&refs);
    for (size_t i = 0; i < g->n_members; i++) {
        const struct gateways_member *m = &g->members[i];
        const struct ovsdb_client_row *row = NULL;
        struct dbdiff_datum ids;

        for (size_t j = 0; j < sbg->n_ha_chassis && !row; j++) {
            const char *name = sbrec_ha_chassis_get_external_ids_value(
                sbg->ha_chassis[j], "chassis-name");
            if (!used[j] && name && !strcmp(name, m->chassis_name)) {
                used[j] = true;
                row = &sbg->ha_chassis[j]->header_;
            }
        }
        if (!row) {
            row = dbdiff_insert(diff, table);
        }
        dbdiff_set_ref(diff, row, SBREC_HA_CHASSIS_COL_CHASSIS,
                       &m->chassis->header_);
        dbdiff_set_integer(diff, row, SBREC_HA_CHASSIS_COL_PRIORITY,
                           m->priority);
        dbdiff_datum_init_map(&ids);
        dbdiff_datum_add_pair(&ids, "chassis-name", m->chassis_name);
        dbdiff_set(diff, row, SBREC_HA_CHASSIS_COL_EXTERNAL_IDS, &ids);
        dbdiff_datum_add_row(&refs, row);
    }
    free(used);
    dbdiff_set(diff, &sbg->header_, SBREC_HA_CHASSIS_GROUP_COL_HA_CHASSIS,
               &refs);
}

void
gateways_sync(struct gateways *gws, struct dbdiff *diff)
{
    struct ovsdb_client_table *table
        = sbrec_ha_chassis_group_table(diff->client);
    struct dbdiff_index idx;
    struct gateways_group *g;

    dbdiff_index_init(&idx, table, group_key, NULL);
    HMAP_FOR_EACH (g, node, &gws->groups) {
        const struct ovsdb_client_row *row = dbdiff_index_claim(&idx,
                                                                g->name);
        struct dbdiff_datum refs;

        if (!row) {
            row = dbdiff_insert(diff, table);
        }
        g->sb = (const struct sbrec_ha_chassis_group *) row;
        dbdiff_set_string(diff, row, SBREC_HA_CHASSIS_GROUP_COL_NAME,
                          g->name);
        dbdiff_datum_init_set(&refs);
        for (size_t i = 0; i < g->n_ref_chassis; i++) {
            dbdiff_datum_add_row(&refs, &g->ref_chassis[i]->header_);
        }
        dbdiff_set(diff, row, SBREC_HA_CHASSIS_GROUP_COL_REF_CHASSIS,
                   &refs);
        sync_members(diff, g);
    }
    dbdiff_index_finish(&idx, diff, true);
}
