/* cli/trace-sb: the southbound database as pipeline input.  See
 * trace-sb.h. */
#include "cli/trace-sb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ovsdb/client.h"
#include "ovsdb/datum.h"
#include "ovsdb/sbrec-idl.h"
#include "pipeline/pipeline.h"
#include "util.h"
#include "uuid.h"

const char *const trace_sb_tables[] = {
    "Datapath_Binding", "Port_Binding", "Logical_Flow", "Logical_DP_Group",
    "Multicast_Group", "Address_Set", "Port_Group", "MAC_Binding", "FDB",
    "DNS", NULL,
};

static void
load_datapaths(const struct ovsdb_client *c, struct pipeline_input *in)
{
    const struct sbrec_datapath_binding *dp;
    SBREC_DATAPATH_BINDING_FOR_EACH (dp, c) {
        const char *name = ovsdb_client_smap_get(dp->external_ids, "name");
        bool is_router = (ovsdb_client_smap_get(dp->external_ids,
                                                "logical-router")
                          != NULL);
        char uuid[UUID_LEN + 1];
        if (!name) {
            snprintf(uuid, sizeof uuid, UUID_FMT,
                     UUID_ARGS(&dp->header_.uuid));
            name = uuid;
        }
        pipeline_input_add_datapath(in, dp->tunnel_key, name, is_router);
    }
}

static void
load_ports(const struct ovsdb_client *c, struct pipeline_input *in)
{
    const struct sbrec_port_binding *pb;
    SBREC_PORT_BINDING_FOR_EACH (pb, c) {
        if (!pb->datapath) {
            continue;
        }
        struct pipeline_port_desc d = {
            .name = pb->logical_port,
            .dp_key = pb->datapath->tunnel_key,
            .key = pb->tunnel_key,
            .type = pb->type,
            .peer = ovsdb_client_smap_get(pb->options, "peer"),
            .distributed_port = ovsdb_client_smap_get(pb->options,
                                                      "distributed-port"),
            .port_security = pb->port_security,
            .n_port_security = pb->n_port_security,
        };
        pipeline_input_add_port(in, &d);
    }
}

static void
load_flows(const struct ovsdb_client *c, struct pipeline_input *in)
{
    const struct sbrec_logical_flow *lf;
    uint32_t *keys = NULL;
    size_t allocated = 0;
    SBREC_LOGICAL_FLOW_FOR_EACH (lf, c) {
        size_t n = 0;
        if (lf->logical_datapath) {
            if (n >= allocated) {
                keys = x2nrealloc(keys, &allocated, sizeof *keys);
            }
            keys[n++] = lf->logical_datapath->tunnel_key;
        }
        if (lf->logical_dp_group) {
            const struct sbrec_logical_dp_group *g = lf->logical_dp_group;
            for (size_t i = 0; i < g->n_datapaths; i++) {
                if (n >= allocated) {
                    keys = x2nrealloc(keys, &allocated, sizeof *keys);
                }
                keys[n++] = g->datapaths[i]->tunnel_key;
            }
        }
        char uuid[UUID_LEN + 1];
        snprintf(uuid, sizeof uuid, UUID_FMT, UUID_ARGS(&lf->header_.uuid));
        struct pipeline_flow_desc d = {
            .dp_keys = keys, .n_dp_keys = n,
            .pipeline = (!strcmp(lf->pipeline, "egress")
                         ? ACTIONS_EGRESS : ACTIONS_INGRESS),
            .table = lf->table_id,
            .priority = lf->priority,
            .match = lf->match,
            .actions = lf->actions,
            .uuid = uuid,
            .stage_name = ovsdb_client_smap_get(lf->external_ids,
                                                "stage-name"),
            .source = ovsdb_client_smap_get(lf->external_ids, "source"),
            .stage_hint = ovsdb_client_smap_get(lf->external_ids,
                                                "stage-hint"),
        };
        pipeline_input_add_flow(in, &d);
    }
    free(keys);
}

/* ovn-trace fans a multicast group out in the order of its members'
 * names. */
static int
compare_port_bindings(const void *a_, const void *b_)
{
    const struct sbrec_port_binding *const *a = a_, *const *b = b_;
    return strcmp((*a)->logical_port, (*b)->logical_port);
}

static void
load_groups(const struct ovsdb_client *c, struct pipeline_input *in)
{
    const struct sbrec_multicast_group *mg;
    SBREC_MULTICAST_GROUP_FOR_EACH (mg, c) {
        if (!mg->datapath) {
            continue;
        }
        const struct sbrec_port_binding **pbs
            = xcalloc(mg->n_ports + 1, sizeof *pbs);
        if (mg->n_ports) {
            memcpy(pbs, mg->ports, mg->n_ports * sizeof *pbs);
        }
        qsort(pbs, mg->n_ports, sizeof *pbs, compare_port_bindings);
        const char **ports = xcalloc(mg->n_ports + 1, sizeof *ports);
        for (size_t i = 0; i < mg->n_ports; i++) {
            ports[i] = pbs[i]->logical_port;
        }
        free(pbs);
        pipeline_input_add_mcgroup(in, mg->datapath->tunnel_key, mg->name,
                                   mg->tunnel_key, ports, mg->n_ports);
        free(ports);
    }
    const struct sbrec_address_set *as;
    SBREC_ADDRESS_SET_FOR_EACH (as, c) {
        pipeline_input_add_address_set(in, as->name, as->addresses,
                                       as->n_addresses);
    }
    const struct sbrec_port_group *pg;
    SBREC_PORT_GROUP_FOR_EACH (pg, c) {
        pipeline_input_add_port_group(in, pg->name, pg->ports, pg->n_ports);
    }
    const struct sbrec_mac_binding *mb;
    SBREC_MAC_BINDING_FOR_EACH (mb, c) {
        pipeline_input_add_mac_binding(in, mb->logical_port, mb->ip,
                                       mb->mac);
    }
    const struct sbrec_fdb *fdb;
    SBREC_FDB_FOR_EACH (fdb, c) {
        pipeline_input_add_fdb(in, fdb->dp_key, fdb->mac, fdb->port_key);
    }
}

/* Each DNS row's records, in each of its datapaths (for dns_lookup()). */
static void
load_dns(const struct ovsdb_client *c, struct pipeline_input *in)
{
    const struct sbrec_dns *dns;
    SBREC_DNS_FOR_EACH (dns, c) {
        const struct ovsdb_datum *r = dns->records;
        size_t n = r ? r->n : 0;
        uint32_t *keys = xcalloc(dns->n_datapaths + 1, sizeof *keys);
        size_t n_keys = 0;
        for (size_t i = 0; i < dns->n_datapaths; i++) {
            if (dns->datapaths[i]) {
                keys[n_keys++] = dns->datapaths[i]->tunnel_key;
            }
        }
        const char **names = xcalloc(n + 1, sizeof *names);
        const char **values = xcalloc(n + 1, sizeof *values);
        for (size_t i = 0; i < n; i++) {
            names[i] = ovsdb_atom_string(&r->keys[i]);
            values[i] = ovsdb_atom_string(&r->values[i]);
        }
        pipeline_input_add_dns(in, keys, n_keys, names, values, n);
        free(names);
        free(values);
        free(keys);
    }
}

void
trace_sb_load(const struct ovsdb_client *c, struct pipeline_input *in)
{
    load_datapaths(c, in);
    load_ports(c, in);
    load_flows(c, in);
    load_groups(c, in);
    load_dns(c, in);
}
