/* northd/datapaths: Datapath_Binding per switch and router (see
 * datapaths.h). */
#include "northd/datapaths.h"

#include <string.h>
#include "ds.h"
#include "util.h"
#include "vlog.h"
#include "northd/options.h"
#include "ovsdb/nbrec-idl.h"
#include "ovsdb/sbrec-idl.h"

VLOG_DEFINE_THIS_MODULE(northd_datapaths);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

void
datapaths_init(struct northd_datapaths *dps)
{
    hmap_init(&dps->by_nb);
    hmap_init(&dps->by_sb);
    dps->array = NULL;
    dps->n = 0;
    dps->n_switches = 0;
    dps->ods = NULL;
    keys_init(&dps->keys);
    dps->max_key = KEYS_DP_MAX;
    dps->index_valid = false;
}

void
datapaths_destroy(struct northd_datapaths *dps)
{
    if (!dps) {
        return;
    }
    for (size_t i = 0; i < dps->n; i++) {
        struct northd_datapath *od = dps->array[i];
        free(od->ports);
        free(od->localnet_ports);
        free(od->router_ports);
        free(od->l3dgw_ports);
        keys_destroy(&od->port_keys);
    }
    free(dps->ods);
    free(dps->array);
    hmap_destroy(&dps->by_nb);
    hmap_destroy(&dps->by_sb);
    keys_destroy(&dps->keys);
    if (dps->index_valid) {
        dbdiff_index_finish(&dps->index, NULL, false);
    }
    datapaths_init(dps);
}

struct northd_datapath *
datapaths_find_by_nb(const struct northd_datapaths *dps,
                     const struct uuid *uuid)
{
    struct northd_datapath *od;

    HMAP_FOR_EACH_WITH_HASH (od, nb_node, uuid_hash(uuid), &dps->by_nb) {
        if (uuid_equals(&od->nb_uuid, uuid)) {
            return od;
        }
    }
    return NULL;
}

struct northd_datapath *
datapaths_find_by_sb(const struct northd_datapaths *dps,
                     const struct uuid *uuid)
{
    struct northd_datapath *od;

    HMAP_FOR_EACH_WITH_HASH (od, sb_node, uuid_hash(uuid), &dps->by_sb) {
        if (uuid_equals(&od->sb->header_.uuid, uuid)) {
            return od;
        }
    }
    return NULL;
}

void
datapaths_add_port(struct northd_datapath *od, struct northd_port *op)
{
    if (od->n_ports >= od->allocated_ports) {
        od->ports = x2nrealloc(od->ports, &od->allocated_ports,
                               sizeof *od->ports);
    }
    od->ports[od->n_ports++] = op;
}

/* The natural key of a binding: "s" or "r" and the NB uuid. */
static const char *
binding_key(const struct ovsdb_client_row *row, struct ds *buf,
            void *aux OVS_UNUSED)
{
    const struct sbrec_datapath_binding *sb
        = (const struct sbrec_datapath_binding *) row;
    const char *ls = sbrec_datapath_binding_get_external_ids_value(
        sb, "logical-switch");
    const char *lr = sbrec_datapath_binding_get_external_ids_value(
        sb, "logical-router");
    struct uuid uuid;

    if (ls && !lr && uuid_from_string(&uuid, ls)) {
        ds_put_format(buf, "s%s", ls);
    } else if (lr && !ls && uuid_from_string(&uuid, lr)) {
        ds_put_format(buf, "r%s", lr);
    } else {
        return NULL;
    }
    return ds_cstr(buf);
}

static char *
od_key(const struct northd_datapath *od)
{
    char buf[UUID_LEN + 1];

    return xasprintf("%c%s", od->nbs ? 's' : 'r',
                     uuid_to_cstr(&od->nb_uuid, buf));
}

static struct northd_datapath *
od_create(struct northd_datapaths *dps, const struct uuid *uuid,
          const char *name)
{
    struct northd_datapath *od = &dps->ods[dps->n++];

    od->nb_uuid = *uuid;
    od->name = name;
    keys_init(&od->port_keys);
    hmap_insert(&dps->by_nb, &od->nb_node, uuid_hash(uuid));
    return od;
}

static int
compare_ods(const void *a_, const void *b_)
{
    const struct northd_datapath *a = *(struct northd_datapath *const *) a_;
    const struct northd_datapath *b = *(struct northd_datapath *const *) b_;

    if (!a->nbs != !b->nbs) {
        return a->nbs ? -1 : 1;
    }
    int cmp = strcmp(a->name, b->name);
    return cmp ? cmp : uuid_compare(&a->nb_uuid, &b->nb_uuid);
}

/* Is some chassis using VXLAN?  Then datapath keys must fit 12 bits. */
static bool
is_vxlan_mode(const struct ovsdb_client *sb)
{
    const struct sbrec_chassis *chassis;

    SBREC_CHASSIS_FOR_EACH (chassis, sb) {
        for (size_t i = 0; i < chassis->n_encaps; i++) {
            if (!strcmp(chassis->encaps[i]->type, "vxlan")) {
                return true;
            }
        }
    }
    return false;
}

static const char *
requested_key_string(const struct northd_datapath *od)
{
    return (od->nbs
            ? nbrec_logical_switch_get_other_config_value(
                od->nbs, "requested-tnl-key")
            : nbrec_logical_router_get_options_value(od->nbr,
                                                     "requested-tnl-key"));
}

/* Pass 1: requested keys. */
static void
assign_requested_keys(struct northd_datapaths *dps)
{
    for (size_t i = 0; i < dps->n; i++) {
        struct northd_datapath *od = dps->array[i];
        const char *s = requested_key_string(od);
        unsigned int key;
        char buf[UUID_LEN + 1];

        if (!s) {
            continue;
        }
        if (!str_to_uint(s, 10, &key) || key < KEYS_DP_MIN
            || key > dps->max_key) {
            VLOG_WARN_RL(&rl, "datapath %s (%s): bad requested-tnl-key %s",
                         od->name, uuid_to_cstr(&od->nb_uuid, buf), s);
        } else if (!keys_add(&dps->keys, key)) {
            VLOG_WARN_RL(&rl, "datapath %s (%s): requested-tnl-key %u is "
                         "already in use", od->name,
                         uuid_to_cstr(&od->nb_uuid, buf), key);
        } else {
            od->tunnel_key = key;
        }
    }
}

/* Pass 2: keys of existing bindings; pass 3: new keys. */
static void
assign_keys(struct northd_datapaths *dps)
{
    for (size_t i = 0; i < dps->n; i++) {
        struct northd_datapath *od = dps->array[i];
        if (!od->tunnel_key && od->sb && od->sb->tunnel_key >= KEYS_DP_MIN
            && od->sb->tunnel_key <= dps->max_key
            && keys_add(&dps->keys, od->sb->tunnel_key)) {
            od->tunnel_key = od->sb->tunnel_key;
        }
    }
    for (size_t i = 0; i < dps->n; i++) {
        struct northd_datapath *od = dps->array[i];
        if (!od->tunnel_key) {
            od->tunnel_key = keys_allocate(&dps->keys, KEYS_DP_MIN,
                                           dps->max_key, 0);
            if (!od->tunnel_key) {
                VLOG_WARN_RL(&rl, "all datapath tunnel keys are in use; "
                             "datapath %s gets none", od->name);
            }
        }
    }
}

void
datapaths_build(struct northd_datapaths *dps, const struct ovsdb_client *nb,
                struct ovsdb_client *sb)
{
    const struct nbrec_logical_switch *nbs;
    const struct nbrec_logical_router *nbr;
    size_t n;

    datapaths_destroy(dps);
    dps->max_key = is_vxlan_mode(sb) ? KEYS_DP_VXLAN_MAX : KEYS_DP_MAX;
    n = (ovsdb_client_table_count(nbrec_logical_switch_table(nb))
         + ovsdb_client_table_count(nbrec_logical_router_table(nb)));
    dps->ods = xcalloc(n + 1, sizeof *dps->ods);
    dps->array = xmalloc((n + 1) * sizeof *dps->array);
    hmap_reserve(&dps->by_nb, n);
    NBREC_LOGICAL_SWITCH_FOR_EACH (nbs, nb) {
        struct northd_datapath *od = od_create(dps, &nbs->header_.uuid,
                                               nbs->name);
        od->nbs = nbs;
        od->mcast_snoop = options_get_bool(nbs->other_config, "mcast_snoop",
                                           false);
        dps->array[dps->n - 1] = od;
    }
    dps->n_switches = dps->n;
    NBREC_LOGICAL_ROUTER_FOR_EACH (nbr, nb) {
        struct northd_datapath *od = od_create(dps, &nbr->header_.uuid,
                                               nbr->name);
        od->nbr = nbr;
        od->l3gw_chassis = nbrec_logical_router_get_options_value(nbr,
                                                                  "chassis");
        if (od->l3gw_chassis && !od->l3gw_chassis[0]) {
            od->l3gw_chassis = NULL;
        }
        od->mcast_relay = options_get_bool(nbr->options, "mcast_relay",
                                           false);
        dps->array[dps->n - 1] = od;
    }
    n = dps->n;
    if (n) {
        qsort(dps->array, n, sizeof *dps->array, compare_ods);
    }

    dbdiff_index_init(&dps->index, sbrec_datapath_binding_table(sb),
                      binding_key, NULL);
    dps->index_valid = true;
    for (size_t i = 0; i < n; i++) {
        struct northd_datapath *od = dps->array[i];
        char *key = od_key(od);

        od->index = i;
        od->sb = (const struct sbrec_datapath_binding *)
                 dbdiff_index_claim(&dps->index, key);
        free(key);
        if (od->sb) {
            hmap_insert(&dps->by_sb, &od->sb_node,
                        uuid_hash(&od->sb->header_.uuid));
        }
    }
    assign_requested_keys(dps);
    assign_keys(dps);
}

static void
sync_external_ids(struct dbdiff *diff, const struct northd_datapath *od)
{
    struct dbdiff_datum ids;
    char buf[UUID_LEN + 1];
    const char *name2, *ts;

    dbdiff_datum_init_map(&ids);
    dbdiff_datum_add_pair(&ids, od->nbs ? "logical-switch"
                                        : "logical-router",
                          uuid_to_cstr(&od->nb_uuid, buf));
    dbdiff_datum_add_pair(&ids, "name", od->name);
    if (od->nbs) {
        name2 = nbrec_logical_switch_get_external_ids_value(
            od->nbs, "neutron:network_name");
        ts = nbrec_logical_switch_get_other_config_value(od->nbs,
                                                         "interconn-ts");
    } else {
        name2 = nbrec_logical_router_get_external_ids_value(
            od->nbr, "neutron:router_name");
        ts = NULL;
    }
    if (name2 && name2[0]) {
        dbdiff_datum_add_pair(&ids, "name2", name2);
    }
    if (ts) {
        dbdiff_datum_add_pair(&ids, "interconn-ts", ts);
    }
    dbdiff_set(diff, &od->sb->header_, SBREC_DATAPATH_BINDING_COL_EXTERNAL_IDS,
               &ids);
}

/* Deletes the rows of 'table' whose strong reference column 'col' points
 * to a binding that is going away. */
static void
delete_referrers(struct dbdiff *diff, struct ovsdb_client_table *table,
                 unsigned int col, const struct northd_datapaths *dps)
{
    const struct ovsdb_client_row *row;

    OVSDB_CLIENT_ROW_FOR_EACH (row, table) {
        const struct ovsdb_datum *d = ovsdb_client_row_get(row, col);
        if (d->n == 1 && !datapaths_find_by_sb(dps, &d->keys[0].uuid)) {
            dbdiff_delete(diff, row);
        }
    }
}

void
datapaths_sync(struct northd_datapaths *dps, struct dbdiff *diff)
{
    struct ovsdb_client_table *table = dps->index.table;

    ASSERT(dps->index_valid);
    for (size_t i = 0; i < dps->n; i++) {
        struct northd_datapath *od = dps->array[i];
        if (!od->tunnel_key) {
            continue;
        }
        if (!od->sb) {
            od->sb = (const struct sbrec_datapath_binding *)
                     dbdiff_insert(diff, table);
            hmap_insert(&dps->by_sb, &od->sb_node,
                        uuid_hash(&od->sb->header_.uuid));
        }
        dbdiff_set_integer(diff, &od->sb->header_,
                           SBREC_DATAPATH_BINDING_COL_TUNNEL_KEY,
                           od->tunnel_key);
        sync_external_ids(diff, od);
    }
    dbdiff_index_finish(&dps->index, diff, true);
    dps->index_valid = false;

    /* MAC_Binding and Static_MAC_Binding hold strong references to
     * bindings: those of deleted datapaths must go in the same
     * transaction. */
    delete_referrers(diff, sbrec_mac_binding_table(diff->client),
                     SBREC_MAC_BINDING_COL_DATAPATH, dps);
    delete_referrers(diff, sbrec_static_mac_binding_table(diff->client),
                     SBREC_STATIC_MAC_BINDING_COL_DATAPATH, dps);
}

/* NB rows -> the datapaths that refer to them. */

void
datapath_refs_add(struct hmap *refs, const struct ovsdb_client_row *row,
                  const struct northd_datapath *od)
{
    uint32_t hash = uuid_hash(&row->uuid);
    struct datapath_ref *ref;

    HMAP_FOR_EACH_WITH_HASH (ref, node, hash, refs) {
        if (ref->row == row) {
            goto found;
        }
    }
    ref = xzalloc(sizeof *ref);
    ref->row = row;
    hmap_insert(refs, &ref->node, hash);
found:
    if (ref->n_ods && ref->ods[ref->n_ods - 1] == od) {
        return;                 /* Named twice by one datapath. */
    }
    if (ref->n_ods >= ref->allocated_ods) {
        ref->ods = x2nrealloc(ref->ods, &ref->allocated_ods,
                              sizeof *ref->ods);
    }
    ref->ods[ref->n_ods++] = od;
}

void
datapath_ref_write(const struct datapath_ref *ref, struct dbdiff *diff,
                   const struct ovsdb_client_row *row, unsigned int col)
{
    struct dbdiff_datum d;

    dbdiff_datum_init_set(&d);
    for (size_t i = 0; i < ref->n_ods; i++) {
        dbdiff_datum_add_row(&d, &ref->ods[i]->sb->header_);
    }
    dbdiff_set(diff, row, col, &d);
}

void
datapath_refs_destroy(struct hmap *refs)
{
    struct datapath_ref *ref;

    HMAP_FOR_EACH_POP (ref, node, refs) {
        free(ref->ods);
        free(ref);
    }
    hmap_destroy(refs);
}
