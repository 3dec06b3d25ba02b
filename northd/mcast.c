/* northd/mcast: Multicast_Group and IP_Multicast (see mcast.h). */
#include "northd/mcast.h"

#include <string.h>
#include "ds.h"
#include "util.h"
#include "northd/datapaths.h"
#include "northd/options.h"
#include "northd/ports.h"
#include "ovsdb/nbrec-idl.h"
#include "ovsdb/sbrec-idl.h"

void
mcast_init(struct mcast *mc)
{
    mc->groups = NULL;
    mc->n_groups = mc->allocated = 0;
}

void
mcast_destroy(struct mcast *mc)
{
    if (mc) {
        for (size_t i = 0; i < mc->n_groups; i++) {
            free(mc->groups[i].ports);
        }
        free(mc->groups);
        mcast_init(mc);
    }
}

/* The groups of one datapath under construction, by key - 32768. */
enum { N_GROUPS = 5 };
static const char *const group_names[N_GROUPS] = {
    MCAST_FLOOD, MCAST_UNKNOWN, MCAST_MROUTER_FLOOD, MCAST_STATIC,
    MCAST_FLOOD_L2,
};

static void
group_add(struct mcast_group *g, const struct northd_port *op,
          size_t max)
{
    if (!g->ports) {
        g->ports = xmalloc(max * sizeof *g->ports);
    }
    g->ports[g->n_ports++] = op;
}

static void
build_switch_groups(const struct northd_datapath *od,
                    struct mcast_group *g)
{
    for (size_t i = 0; i < od->n_ports; i++) {
        const struct northd_port *op = od->ports[i];
        const struct ovsdb_datum *opts = op->nbsp->options;
        bool is_router = ports_is_router_lsp(op);

        if (!op->enabled || !op->tunnel_key) {
            continue;
        }
        group_add(&g[0], op, od->n_ports);
        if (op->has_unknown) {
            group_add(&g[1], op, od->n_ports);
        }
        if (options_get_bool(opts, "mcast_flood_reports", false)
            || (is_router && op->peer && op->peer->od->mcast_relay)) {
            group_add(&g[2], op, od->n_ports);
        }
        if (options_get_bool(opts, "mcast_flood", false)) {
            group_add(&g[3], op, od->n_ports);
        }
        if (!is_router) {
            group_add(&g[4], op, od->n_ports);
        }
    }
}

static void
build_router_groups(const struct northd_datapath *od,
                    struct mcast_group *g)
{
    for (size_t i = 0; i < od->n_ports; i++) {
        const struct northd_port *op = od->ports[i];
        if (op->kind == NORTHD_PORT_LRP && op->enabled && op->tunnel_key
            && options_get_bool(op->nbrp->options, "mcast_flood", false)) {
            group_add(&g[3], op, od->n_ports);
        }
    }
}

static void
build_datapath_groups(struct mcast *mc, const struct northd_datapath *od)
{
    struct mcast_group g[N_GROUPS];

    memset(g, 0, sizeof g);
    if (od->nbs) {
        build_switch_groups(od, g);
    } else {
        build_router_groups(od, g);
    }
    for (size_t i = 0; i < N_GROUPS; i++) {
        if (!g[i].n_ports) {
            continue;
        }
        g[i].od = od;
        g[i].name = group_names[i];
        g[i].tunnel_key = MCAST_FLOOD_KEY + i;
        if (mc->n_groups >= mc->allocated) {
            mc->groups = x2nrealloc(mc->groups, &mc->allocated,
                                    sizeof *mc->groups);
        }
        mc->groups[mc->n_groups++] = g[i];
    }
}

void
mcast_build(struct mcast *mc, const struct northd_datapaths *dps)
{
    mcast_destroy(mc);
    for (size_t d = 0; d < dps->n; d++) {
        build_datapath_groups(mc, dps->array[d]);
    }
}

static const char *
group_key(const struct ovsdb_client_row *row, struct ds *buf,
          void *aux OVS_UNUSED)
{
    const struct sbrec_multicast_group *mg
        = (const struct sbrec_multicast_group *) row;

    if (!mg->datapath) {
        return NULL;
    }
    uuid_format(&mg->datapath->header_.uuid, buf);
    ds_put_format(buf, " %s", mg->name);
    return ds_cstr(buf);
}

static void
write_group(struct dbdiff *diff, const struct ovsdb_client_row *row,
            const struct mcast_group *g)
{
    struct dbdiff_datum ports;

    dbdiff_set_ref(diff, row, SBREC_MULTICAST_GROUP_COL_DATAPATH,
                   &g->od->sb->header_);
    dbdiff_set_string(diff, row, SBREC_MULTICAST_GROUP_COL_NAME, g->name);
    dbdiff_set_integer(diff, row, SBREC_MULTICAST_GROUP_COL_TUNNEL_KEY,
                       g->tunnel_key);
    dbdiff_datum_init_set(&ports);
    for (size_t j = 0; j < g->n_ports; j++) {
        if (g->ports[j]->sb) {
            dbdiff_datum_add_row(&ports, &g->ports[j]->sb->header_);
        }
    }
    dbdiff_set(diff, row, SBREC_MULTICAST_GROUP_COL_PORTS, &ports);
}

static void
sync_groups(const struct mcast *mc, struct dbdiff *diff)
{
    struct ovsdb_client_table *table
        = sbrec_multicast_group_table(diff->client);
    struct dbdiff_index idx;
    char buf[UUID_LEN + 1];

    dbdiff_index_init(&idx, table, group_key, NULL);
    for (size_t i = 0; i < mc->n_groups; i++) {
        const struct mcast_group *g = &mc->groups[i];
        const struct ovsdb_client_row *row;
        char *key;

        if (!g->od->sb) {
            continue;
        }
        key = xasprintf("%s %s",
                        uuid_to_cstr(&g->od->sb->header_.uuid, buf),
                        g->name);
        row = dbdiff_index_claim(&idx, key);
        free(key);
        if (!row) {
            row = dbdiff_insert(diff, table);
        }
        write_group(diff, row, g);
    }
    dbdiff_index_finish(&idx, diff, true);
}

static const char *
ip_mcast_key(const struct ovsdb_client_row *row, struct ds *buf,
             void *aux OVS_UNUSED)
{
    const struct sbrec_ip_multicast *ipm
        = (const struct sbrec_ip_multicast *) row;

    if (!ipm->datapath) {
        return NULL;
    }
    uuid_format(&ipm->datapath->header_.uuid, buf);
    return ds_cstr(buf);
}

static long long
clamp(long long x, long long min, long long max)
{
    return x < min ? min : x > max ? max : x;
}

static void
sync_ip_mcast_row(struct dbdiff *diff, const struct ovsdb_client_row *row,
                  const struct northd_datapath *od)
{
    const struct ovsdb_datum *oc = od->nbs->other_config;
    bool enabled = options_get_bool(oc, "mcast_snoop", false);
    bool querier = options_get_bool(oc, "mcast_querier", true);
    long long table_size = options_get_int(oc, "mcast_table_size", 2048);
    long long idle = clamp(options_get_int(oc, "mcast_idle_timeout", 300),
                           15, 3600);
    long long interval = clamp(options_get_int(oc, "mcast_query_interval",
                                               idle / 2), 1, idle);
    long long max_resp = options_get_int(oc, "mcast_query_max_response", 1);

    dbdiff_set_ref(diff, row, SBREC_IP_MULTICAST_COL_DATAPATH,
                   &od->sb->header_);
    dbdiff_set_opt_bool(diff, row, SBREC_IP_MULTICAST_COL_ENABLED, &enabled);
    dbdiff_set_opt_bool(diff, row, SBREC_IP_MULTICAST_COL_QUERIER, &querier);
    dbdiff_set_string(diff, row, SBREC_IP_MULTICAST_COL_ETH_SRC,
                      options_get_def(oc, "mcast_eth_src", ""));
    dbdiff_set_string(diff, row, SBREC_IP_MULTICAST_COL_IP4_SRC,
                      options_get_def(oc, "mcast_ip4_src", ""));
    dbdiff_set_string(diff, row, SBREC_IP_MULTICAST_COL_IP6_SRC,
                      options_get_def(oc, "mcast_ip6_src", ""));
    dbdiff_set_opt_integer(diff, row, SBREC_IP_MULTICAST_COL_TABLE_SIZE,
                           &table_size);
    dbdiff_set_opt_integer(diff, row, SBREC_IP_MULTICAST_COL_IDLE_TIMEOUT,
                           &idle);
    dbdiff_set_opt_integer(diff, row, SBREC_IP_MULTICAST_COL_QUERY_INTERVAL,
                           &interval);
    dbdiff_set_opt_integer(diff, row, SBREC_IP_MULTICAST_COL_QUERY_MAX_RESP,
                           &max_resp);
}

static void
sync_ip_multicast(const struct northd_datapaths *dps, struct dbdiff *diff)
{
    struct ovsdb_client_table *table
        = sbrec_ip_multicast_table(diff->client);
    struct dbdiff_index idx;
    char buf[UUID_LEN + 1];

    dbdiff_index_init(&idx, table, ip_mcast_key, NULL);
    for (size_t i = 0; i < dps->n_switches; i++) {
        const struct northd_datapath *od = dps->array[i];
        const struct ovsdb_client_row *row;

        if (!od->sb) {
            continue;
        }
        row = dbdiff_index_claim(&idx, uuid_to_cstr(&od->sb->header_.uuid,
                                                    buf));
        if (!row) {
            row = dbdiff_insert(diff, table);
        }
        sync_ip_mcast_row(diff, row, od);
    }
    dbdiff_index_finish(&idx, diff, true);
}

void
mcast_sync(const struct mcast *mc, const struct northd_datapaths *dps,
           struct dbdiff *diff)
{
    sync_groups(mc, diff);
    sync_ip_multicast(dps, diff);
}

void
mcast_update_datapath(struct mcast *mc, const struct northd_datapath *od,
                      struct dbdiff *diff)
{
    const struct sbrec_multicast_group *mg, *next;
    size_t first, n = 0;
    bool claimed[N_GROUPS] = { false };

    for (size_t i = 0; i < mc->n_groups; i++) {
        if (mc->groups[i].od == od) {
            free(mc->groups[i].ports);
        } else {
            mc->groups[n++] = mc->groups[i];
        }
    }
    mc->n_groups = first = n;
    build_datapath_groups(mc, od);
    if (!od->sb) {
        return;
    }
    for (mg = sbrec_multicast_group_first(diff->client); mg; mg = next) {
        next = sbrec_multicast_group_next(mg);
        if (mg->datapath != od->sb) {
            continue;
        }
        size_t i;
        for (i = first; i < mc->n_groups; i++) {
            if (!claimed[i - first] && !strcmp(mc->groups[i].name,
                                               mg->name)) {
                break;
            }
        }
        if (i < mc->n_groups) {
            claimed[i - first] = true;
            write_group(diff, &mg->header_, &mc->groups[i]);
        } else {
            dbdiff_delete(diff, &mg->header_);
        }
    }
    for (size_t i = first; i < mc->n_groups; i++) {
        if (!claimed[i - first]) {
            write_group(diff, dbdiff_insert(
                            diff, sbrec_multicast_group_table(diff->client)),
                        &mc->groups[i]);
        }
    }
}
