/* northd/sync: address sets, port groups, DHCP option catalogues, meters
 * and RBAC (see sync.h). */
#include "northd/sync.h"

#include <string.h>
#include "ds.h"
#include "util.h"
#include "vlog.h"
#include "northd/datapaths.h"
#include "northd/ports.h"
#include "ovsdb/client-txn.h"
#include "ovsdb/nbrec-idl.h"
#include "ovsdb/sbrec-idl.h"

VLOG_DEFINE_THIS_MODULE(northd_sync);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

void
sync_init(struct sync *s)
{
    hmap_init(&s->port_groups);
    hmap_init(&s->pg_sets);
    s->address_sets = NULL;
    s->n_address_sets = 0;
    s->allocated_address_sets = 0;
}

void
sync_destroy(struct sync *s)
{
    struct sync_port_group *spg;

    if (!s) {
        return;
    }
    HMAP_FOR_EACH_POP (spg, node, &s->port_groups) {
        free(spg->sb_name);
        free(spg->ports);
        free(spg);
    }
    hmap_destroy(&s->port_groups);
    struct sync_pg_sets *ps;
    HMAP_FOR_EACH_POP (ps, node, &s->pg_sets) {
        free(ps);
    }
    hmap_destroy(&s->pg_sets);
    for (size_t i = 0; i < s->n_address_sets; i++) {
        struct sync_address_set *as = &s->address_sets[i];
        free(as->addresses);
        for (size_t j = 0; j < as->n_owned; j++) {
            free(as->owned[j]);
        }
        free(as->owned);
        free(as->name);
    }
    free(s->address_sets);
    sync_init(s);
}

static struct sync_address_set *
add_address_set(struct sync *s, char *name)
{
    struct sync_address_set *as;

    if (s->n_address_sets >= s->allocated_address_sets) {
        s->address_sets = x2nrealloc(s->address_sets,
                                     &s->allocated_address_sets,
                                     sizeof *s->address_sets);
    }
    as = &s->address_sets[s->n_address_sets++];
    as->name = name;
    as->addresses = NULL;
    as->n_addresses = as->allocated = 0;
    as->owned = NULL;
    as->n_owned = 0;
    as->sb = NULL;
    return as;
}

static void
add_address(struct sync_address_set *as, const char *address)
{
    if (as->n_addresses >= as->allocated) {
        as->addresses = x2nrealloc(as->addresses, &as->allocated,
                                   sizeof *as->addresses);
    }
    as->addresses[as->n_addresses++] = address;
}

static struct sync_port_group *
find_part(const struct sync *s, const struct nbrec_port_group *pg,
          const struct northd_datapath *od)
{
    struct sync_port_group *spg;

    HMAP_FOR_EACH_WITH_HASH (spg, node, uuid_hash(&pg->header_.uuid),
                             &s->port_groups) {
        if (spg->nb == pg && spg->od == od) {
            return spg;
        }
    }
    return NULL;
}

/* Splits 'pg' into per-switch parts and fills its _ip4/_ip6 sets, the
 * address sets at indexes 'ip4' and 'ip6'. */
static void
fill_port_group(struct sync *s, const struct nbrec_port_group *pg,
                const struct northd_ports *ports, size_t ip4, size_t ip6)
{
    for (size_t i = 0; i < pg->n_ports; i++) {
        const struct nbrec_logical_switch_port *nbsp = pg->ports[i];
        const struct northd_port *op = ports_find(ports, nbsp->name);
        struct sync_port_group *spg;

        if (!op || op->nbsp != nbsp) {
            VLOG_WARN_RL(&rl, "lport %s in port group %s has no lswitch",
                         nbsp->name, pg->name);
            continue;
        }
        for (size_t j = 0; j < op->n_lsp_addrs; j++) {
            const struct lport_addrs *a = &op->lsp_addrs[j];
            for (size_t k = 0; k < a->n_ipv4; k++) {
                add_address(&s->address_sets[ip4], a->ipv4[k].addr_s);
            }
            for (size_t k = 0; k < a->n_ipv6; k++) {
                add_address(&s->address_sets[ip6], a->ipv6[k].addr_s);
            }
        }
        spg = find_part(s, pg, op->od);
        if (!spg) {
            spg = xzalloc(sizeof *spg);
            spg->nb = pg;
            spg->od = op->od;
            spg->sb_name = xasprintf("%u_%s", op->od->tunnel_key, pg->name);
            spg->ports = xmalloc(pg->n_ports * sizeof *spg->ports);
            hmap_insert(&s->port_groups, &spg->node,
                        uuid_hash(&pg->header_.uuid));
        }
        spg->ports[spg->n_ports++] = op;
    }
}

/* Splits 'pg' into per-switch parts and makes its _ip4/_ip6 sets. */
static void
build_port_group(struct sync *s, const struct nbrec_port_group *pg,
                 const struct northd_ports *ports)
{
    size_t ip4 = s->n_address_sets;
    struct sync_pg_sets *ps = xmalloc(sizeof *ps);

    ps->nb = pg;
    ps->ip4 = ip4;
    hmap_insert(&s->pg_sets, &ps->node, uuid_hash(&pg->header_.uuid));
    add_address_set(s, xasprintf("%s_ip4", pg->name));
    add_address_set(s, xasprintf("%s_ip6", pg->name));
    fill_port_group(s, pg, ports, ip4, ip4 + 1);
}

/* Like add_address(), for a string the set must own. */
static void
add_owned_address(struct sync_address_set *as, char *address)
{
    as->owned = xrealloc(as->owned, (as->n_owned + 1) * sizeof *as->owned);
    as->owned[as->n_owned++] = address;
    add_address(as, address);
}

/* "_rtr_lb_<key>_ip4" and "_ip6": the VIPs of the router's LBs. */
static void
build_router_lb_sets(struct sync *s, const struct northd_datapath *od)
{
    const struct nbrec_logical_router *nbr = od->nbr;
    size_t sets[2] = { SIZE_MAX, SIZE_MAX };

    for (size_t i = 0; i < nbr->n_load_balancer; i++) {
        const struct ovsdb_datum *vips = nbr->load_balancer[i]->vips;
        for (size_t j = 0; j < vips->n; j++) {
            char ip[INET6_ADDRSTRLEN];
            struct in6_addr addr;
            int v6;

            if (!lport_addrs_parse_vip(ovsdb_atom_string(&vips->keys[j]),
                                       &addr, ip)) {
                continue;
            }
            v6 = !ip_is_v4(&addr);
            if (sets[v6] == SIZE_MAX) {
                sets[v6] = s->n_address_sets;
                add_address_set(s, xasprintf("_rtr_lb_%u_ip%c",
                                             od->tunnel_key, v6 ? '6' : '4'));
            }
            add_owned_address(&s->address_sets[sets[v6]], xstrdup(ip));
        }
    }
}

void
sync_build(struct sync *s, const struct ovsdb_client *nb,
           const struct northd_datapaths *dps,
           const struct northd_ports *ports, const char *svc_monitor_mac)
{
    const struct nbrec_address_set *nas;
    const struct nbrec_port_group *pg;

    sync_destroy(s);
    NBREC_ADDRESS_SET_FOR_EACH (nas, nb) {
        struct sync_address_set *as = add_address_set(s, xstrdup(nas->name));
        for (size_t i = 0; i < nas->n_addresses; i++) {
            add_address(as, nas->addresses[i]);
        }
    }
    NBREC_PORT_GROUP_FOR_EACH (pg, nb) {
        build_port_group(s, pg, ports);
    }
    for (size_t i = dps->n_switches; i < dps->n; i++) {
        build_router_lb_sets(s, dps->array[i]);
    }
    if (svc_monitor_mac) {
        add_address(add_address_set(s, xstrdup("svc_monitor_mac")),
                    svc_monitor_mac);
    }
}

size_t
sync_port_groups_of(const struct sync *s, const struct nbrec_port_group *pg,
                    const struct sync_port_group ***parts)
{
    struct sync_port_group *spg;
    size_t n = 0;

    *parts = NULL;
    HMAP_FOR_EACH_WITH_HASH (spg, node, uuid_hash(&pg->header_.uuid),
                             &s->port_groups) {
        if (spg->nb == pg) {
            *parts = xrealloc(*parts, (n + 1) * sizeof **parts);
            (*parts)[n++] = spg;
        }
    }
    return n;
}

/* Address_Set and Port_Group: name -> contents. */

static const char *
name_key(const struct ovsdb_client_row *row, struct ds *buf OVS_UNUSED,
         void *aux)
{
    const unsigned int *col = aux;
    const struct ovsdb_datum *d = ovsdb_client_row_get(row, *col);

    return d->n == 1 ? ovsdb_atom_string(&d->keys[0]) : NULL;
}

static void
write_address_sets(struct sync *s, struct dbdiff *diff)
{
    struct ovsdb_client_table *t = sbrec_address_set_table(diff->client);
    unsigned int col = SBREC_ADDRESS_SET_COL_NAME;
    struct dbdiff_index idx;

    dbdiff_index_init(&idx, t, name_key, &col);
    for (size_t i = 0; i < s->n_address_sets; i++) {
        struct sync_address_set *as = &s->address_sets[i];
        const struct ovsdb_client_row *row = dbdiff_index_claim(&idx,
                                                                as->name);
        if (!row) {
            row = dbdiff_insert(diff, t);
        }
        as->sb = row;
        dbdiff_set_string(diff, row, SBREC_ADDRESS_SET_COL_NAME, as->name);
        dbdiff_set_strings(diff, row, SBREC_ADDRESS_SET_COL_ADDRESSES,
                           as->addresses, as->n_addresses);
    }
    dbdiff_index_finish(&idx, diff, true);
}

static void
write_port_groups(struct sync *s, struct dbdiff *diff)
{
    struct ovsdb_client_table *t = sbrec_port_group_table(diff->client);
    unsigned int col = SBREC_PORT_GROUP_COL_NAME;
    struct sync_port_group *spg;
    struct dbdiff_index idx;

    dbdiff_index_init(&idx, t, name_key, &col);
    HMAP_FOR_EACH (spg, node, &s->port_groups) {
        const struct ovsdb_client_row *row = dbdiff_index_claim(
            &idx, spg->sb_name);
        struct dbdiff_datum ports;

        if (!row) {
            row = dbdiff_insert(diff, t);
        }
        spg->sb = row;
        dbdiff_set_string(diff, row, SBREC_PORT_GROUP_COL_NAME, spg->sb_name);
        dbdiff_datum_init_set(&ports);
        for (size_t i = 0; i < spg->n_ports; i++) {
            dbdiff_datum_add_string(&ports, spg->ports[i]->name);
        }
        dbdiff_set(diff, row, SBREC_PORT_GROUP_COL_PORTS, &ports);
    }
    dbdiff_index_finish(&idx, diff, true);
}

/* DHCP option catalogues: (name, code, type), as ovn-northd 23.03 fills
 * them (docs/northd-facts.md). */
struct dhcp_opt {
    const char *name;
    int code;
    const char *type;
};

static const struct dhcp_opt dhcpv4_opts[] = {
    {"offerip", 0, "ipv4"}, {"netmask", 1, "ipv4"}, {"router", 3, "ipv4"},
    {"dns_server", 6, "ipv4"}, {"log_server", 7, "ipv4"},
    {"lpr_server", 9, "ipv4"}, {"hostname", 12, "str"},
    {"domain_name", 15, "str"}, {"swap_server", 16, "ipv4"},
    {"ip_forward_enable", 19, "bool"}, {"policy_filter", 21, "ipv4"},
    {"default_ttl", 23, "uint8"}, {"mtu", 26, "uint16"},
    {"broadcast_address", 28, "ipv4"}, {"router_discovery", 31, "bool"},
    {"router_solicitation", 32, "ipv4"}, {"arp_cache_timeout", 35, "uint32"},
    {"ethernet_encap", 36, "bool"}, {"tcp_ttl", 37, "uint8"},
    {"tcp_keepalive_interval", 38, "uint32"}, {"nis_server", 41, "ipv4"},
    {"ntp_server", 42, "ipv4"}, {"netbios_name_server", 44, "ipv4"},
    {"netbios_node_type", 46, "uint8"}, {"lease_time", 51, "uint32"},
    {"server_id", 54, "ipv4"}, {"T1", 58, "uint32"}, {"T2", 59, "uint32"},
    {"tftp_server", 66, "host_id"}, {"bootfile_name", 67, "str"},
    {"domain_search_list", 119, "domains"},
    {"classless_static_route", 121, "static_routes"},
    {"tftp_server_address", 150, "ipv4"}, {"path_prefix", 210, "str"},
    {"ms_classless_static_route", 249, "static_routes"},
    {"wpad", 252, "str"}, {"next_server", 253, "ipv4"},
    {"bootfile_name_alt", 254, "str"},
};

static const struct dhcp_opt dhcpv6_opts[] = {
    {"server_id", 2, "mac"}, {"ia_addr", 5, "ipv6"},
    {"dns_server", 23, "ipv6"}, {"domain_search", 24, "str"},
};

static void
write_dhcp_catalogue(struct dbdiff *diff, struct ovsdb_client_table *t,
                     unsigned int name_col, unsigned int code_col,
                     unsigned int type_col, const struct dhcp_opt *opts,
                     size_t n)
{
    struct dbdiff_index idx;

    dbdiff_index_init(&idx, t, name_key, &name_col);
    for (size_t i = 0; i < n; i++) {
        const struct ovsdb_client_row *row = dbdiff_index_claim(&idx,
                                                                opts[i].name);
        if (!row) {
            row = dbdiff_insert(diff, t);
        }
        dbdiff_set_string(diff, row, name_col, opts[i].name);
        dbdiff_set_integer(diff, row, code_col, opts[i].code);
        dbdiff_set_string(diff, row, type_col, opts[i].type);
    }
    dbdiff_index_finish(&idx, diff, true);
}

/* Meters: bands are matched to the existing row's bands by position. */
static void
write_meter(struct dbdiff *diff, const struct ovsdb_client_row *row,
            const struct nbrec_meter *nbm)
{
    const struct sbrec_meter *sbm = (const struct sbrec_meter *) row;
    struct ovsdb_client_table *bt = sbrec_meter_band_table(diff->client);
    struct dbdiff_datum bands;

    dbdiff_set_string(diff, row, SBREC_METER_COL_NAME, nbm->name);
    dbdiff_set_string(diff, row, SBREC_METER_COL_UNIT, nbm->unit);
    dbdiff_datum_init_set(&bands);
    for (size_t i = 0; i < nbm->n_bands; i++) {
        const struct nbrec_meter_band *nbb = nbm->bands[i];
        const struct ovsdb_client_row *band
            = (sbm->n_bands == nbm->n_bands ? &sbm->bands[i]->header_
                                            : dbdiff_insert(diff, bt));
        dbdiff_set_string(diff, band, SBREC_METER_BAND_COL_ACTION,
                          nbb->action);
        dbdiff_set_integer(diff, band, SBREC_METER_BAND_COL_RATE, nbb->rate);
        dbdiff_set_integer(diff, band, SBREC_METER_BAND_COL_BURST_SIZE,
                           nbb->burst_size);
        dbdiff_datum_add_row(&bands, band);
    }
    dbdiff_set(diff, row, SBREC_METER_COL_BANDS, &bands);
}

static void
write_meters(const struct ovsdb_client *nb, struct dbdiff *diff)
{
    struct ovsdb_client_table *t = sbrec_meter_table(diff->client);
    unsigned int col = SBREC_METER_COL_NAME;
    const struct nbrec_meter *nbm;
    struct dbdiff_index idx;

    dbdiff_index_init(&idx, t, name_key, &col);
    NBREC_METER_FOR_EACH (nbm, nb) {
        const struct ovsdb_client_row *row;

        if (!nbm->n_bands) {
            continue;
        }
        row = dbdiff_index_claim(&idx, nbm->name);
        if (!row) {
            row = dbdiff_insert(diff, t);
        }
        write_meter(diff, row, nbm);
    }
    dbdiff_index_finish(&idx, diff, true);
}

/* RBAC: what the "ovn-controller" role may write (ovn-northd 23.03's
 * table, observed). */
struct rbac_perm {
    const char *table;
    const char *authorization;
    bool insert_delete;
    const char *update[8];
};

static const struct rbac_perm rbac_perms[] = {
    {"Chassis", "name", true,
     {"nb_cfg", "external_ids", "encaps", "vtep_logical_switches",
      "other_config", "transport_zones"}},
    {"Chassis_Private", "name", true,
     {"nb_cfg", "nb_cfg_timestamp", "chassis", "external_ids"}},
    {"Encap", "chassis_name", true, {"type", "options", "ip"}},
    {"Port_Binding", "", false,
     {"chassis", "additional_chassis", "encap", "additional_encap", "up",
      "virtual_parent", "options"}},
    {"MAC_Binding", "", true,
     {"logical_port", "ip", "mac", "datapath", "timestamp"}},
    {"Service_Monitor", "", false, {"status"}},
    {"IGMP_Group", "", true, {"address", "chassis", "datapath", "ports"}},
    {"Controller_Event", "", true,
     {"chassis", "event_info", "event_type", "seq_num"}},
    {"FDB", "", true, {"dp_key", "mac", "port_key"}},
    {"BFD", "", false, {"status"}},
};

static void
write_rbac(struct dbdiff *diff)
{
    struct ovsdb_client_table *pt = sbrec_rbac_permission_table(diff->client);
    struct ovsdb_client_table *rt = sbrec_rbac_role_table(diff->client);
    unsigned int pcol = SBREC_RBAC_PERMISSION_COL_TABLE;
    unsigned int rcol = SBREC_RBAC_ROLE_COL_NAME;
    struct dbdiff_index pidx, ridx;
    struct dbdiff_datum perms;
    const struct ovsdb_client_row *role;

    dbdiff_index_init(&pidx, pt, name_key, &pcol);
    dbdiff_datum_init_map(&perms);
    for (size_t i = 0; i < ARRAY_SIZE(rbac_perms); i++) {
        const struct rbac_perm *p = &rbac_perms[i];
        const struct ovsdb_client_row *row = dbdiff_index_claim(&pidx,
                                                                p->table);
        size_t n_update = 0;

        if (!row) {
            row = dbdiff_insert(diff, pt);
        }
        while (n_update < ARRAY_SIZE(p->update) && p->update[n_update]) {
            n_update++;
        }
        dbdiff_set_string(diff, row, SBREC_RBAC_PERMISSION_COL_TABLE,
                          p->table);
        dbdiff_set_strings(diff, row, SBREC_RBAC_PERMISSION_COL_AUTHORIZATION,
                           &p->authorization, 1);
        dbdiff_set_bool(diff, row, SBREC_RBAC_PERMISSION_COL_INSERT_DELETE,
                        p->insert_delete);
        dbdiff_set_strings(diff, row, SBREC_RBAC_PERMISSION_COL_UPDATE,
                           p->update, n_update);
        dbdiff_datum_add_ref_pair(&perms, p->table, row);
    }
    dbdiff_index_finish(&pidx, diff, true);

    dbdiff_index_init(&ridx, rt, name_key, &rcol);
    role = dbdiff_index_claim(&ridx, "ovn-controller");
    if (!role) {
        role = dbdiff_insert(diff, rt);
    }
    dbdiff_set_string(diff, role, SBREC_RBAC_ROLE_COL_NAME, "ovn-controller");
    dbdiff_set(diff, role, SBREC_RBAC_ROLE_COL_PERMISSIONS, &perms);
    dbdiff_index_finish(&ridx, diff, true);
}

void
sync_write(struct sync *s, const struct ovsdb_client *nb,
           struct dbdiff *diff)
{
    write_address_sets(s, diff);
    write_port_groups(s, diff);
    write_dhcp_catalogue(diff, sbrec_dhcp_options_table(diff->client),
                         SBREC_DHCP_OPTIONS_COL_NAME,
                         SBREC_DHCP_OPTIONS_COL_CODE,
                         SBREC_DHCP_OPTIONS_COL_TYPE, dhcpv4_opts,
                         ARRAY_SIZE(dhcpv4_opts));
    write_dhcp_catalogue(diff, sbrec_dhcpv6_options_table(diff->client),
                         SBREC_DHCPV6_OPTIONS_COL_NAME,
                         SBREC_DHCPV6_OPTIONS_COL_CODE,
                         SBREC_DHCPV6_OPTIONS_COL_TYPE, dhcpv6_opts,
                         ARRAY_SIZE(dhcpv6_opts));
    write_meters(nb, diff);
    write_rbac(diff);
}

/* Incremental maintenance of port groups (incr.c). */

void
sync_pg_parts_destroy(struct sync_pg_parts *old)
{
    free(old->ods);
    free(old->sbs);
    memset(old, 0, sizeof *old);
}

/* The index of port group 'pg''s "_ip4" set (its "_ip6" set follows), or
 * SIZE_MAX. */
static size_t
find_pg_sets(const struct sync *s, const struct nbrec_port_group *pg)
{
    const struct sync_pg_sets *ps;

    HMAP_FOR_EACH_WITH_HASH (ps, node, uuid_hash(&pg->header_.uuid),
                             &s->pg_sets) {
        if (ps->nb == pg) {
            return ps->ip4;
        }
    }
    return SIZE_MAX;
}

static bool
parts_have_od(const struct sync_port_group **parts, size_t n,
              const struct northd_datapath *od)
{
    for (size_t i = 0; i < n; i++) {
        if (parts[i]->od == od) {
            return true;
        }
    }
    return false;
}

/* Moves 'pg''s parts out of 's' into 'old'. */
static void
take_parts(struct sync *s, const struct nbrec_port_group *pg,
           struct sync_pg_parts *old)
{
    const struct sync_port_group **parts;
    size_t n = sync_port_groups_of(s, pg, &parts);

    old->ods = xmalloc((n + 1) * sizeof *old->ods);
    old->sbs = xmalloc((n + 1) * sizeof *old->sbs);
    for (size_t i = 0; i < n; i++) {
        struct sync_port_group *spg = (struct sync_port_group *) parts[i];
        old->ods[old->n] = spg->od;
        old->sbs[old->n++] = spg->sb;
        hmap_remove(&s->port_groups, &spg->node);
        free(spg->sb_name);
        free(spg->ports);
        free(spg);
    }
    free(parts);
}

bool
sync_rebuild_port_group(struct sync *s, const struct nbrec_port_group *pg,
                        const struct northd_ports *ports,
                        struct sync_pg_parts *old, bool *spans_changed)
{
    const struct sync_port_group **parts;
    size_t ip4 = find_pg_sets(s, pg);
    size_t n;

    memset(old, 0, sizeof *old);
    *spans_changed = false;
    if (ip4 == SIZE_MAX) {
        return false;
    }
    take_parts(s, pg, old);
    s->address_sets[ip4].n_addresses = 0;
    s->address_sets[ip4 + 1].n_addresses = 0;
    fill_port_group(s, pg, ports, ip4, ip4 + 1);

    n = sync_port_groups_of(s, pg, &parts);
    *spans_changed = n != old->n;
    for (size_t i = 0; i < old->n && !*spans_changed; i++) {
        *spans_changed = !parts_have_od(parts, n, old->ods[i]);
    }
    for (size_t i = 0; i < n; i++) {
        struct sync_port_group *spg = (struct sync_port_group *) parts[i];
        for (size_t j = 0; j < old->n && !spg->sb; j++) {
            if (old->ods[j] == spg->od) {
                spg->sb = old->sbs[j];
                old->sbs[j] = NULL;
            }
        }
        for (size_t j = 0; j < spg->n_ports; j++) {
            ((struct northd_port *) spg->ports[j])->in_port_group = true;
        }
    }
    free(parts);
    return true;
}

/* Writes 'as' into its SB row, inserting one if it has none.  Returns
 * true if it inserted. */
static bool
write_one_address_set(struct sync_address_set *as, struct dbdiff *diff)
{
    bool inserted = false;

    if (!as->sb) {
        as->sb = dbdiff_insert(diff, sbrec_address_set_table(diff->client));
        dbdiff_set_string(diff, as->sb, SBREC_ADDRESS_SET_COL_NAME,
                          as->name);
        inserted = true;
    }
    dbdiff_set_strings(diff, as->sb, SBREC_ADDRESS_SET_COL_ADDRESSES,
                       as->addresses, as->n_addresses);
    return inserted;
}

bool
sync_write_port_group(struct sync *s, const struct nbrec_port_group *pg,
                      const struct sync_pg_parts *old, struct dbdiff *diff)
{
    struct ovsdb_client_table *t = sbrec_port_group_table(diff->client);
    const struct sync_port_group **parts;
    size_t n = sync_port_groups_of(s, pg, &parts);
    size_t ip4 = find_pg_sets(s, pg);
    bool inserted = false;

    for (size_t i = 0; i < old->n; i++) {
        if (old->sbs[i]) {      /* A part that is gone. */
            dbdiff_delete(diff, old->sbs[i]);
        }
    }
    for (size_t i = 0; i < n; i++) {
        struct sync_port_group *spg = (struct sync_port_group *) parts[i];
        struct dbdiff_datum ports;
        if (!spg->sb) {
            spg->sb = dbdiff_insert(diff, t);
            dbdiff_set_string(diff, spg->sb, SBREC_PORT_GROUP_COL_NAME,
                              spg->sb_name);
            inserted = true;
        }
        dbdiff_datum_init_set(&ports);
        for (size_t j = 0; j < spg->n_ports; j++) {
            dbdiff_datum_add_string(&ports, spg->ports[j]->name);
        }
        dbdiff_set(diff, spg->sb, SBREC_PORT_GROUP_COL_PORTS, &ports);
    }
    free(parts);
    if (ip4 != SIZE_MAX) {
        inserted |= write_one_address_set(&s->address_sets[ip4], diff);
        inserted |= write_one_address_set(&s->address_sets[ip4 + 1], diff);
    }
    return inserted;
}

/* Makes '*rowp', if 'txn' inserted it, the row the server created. */
static bool
adopt_row(const struct ovsdb_client_txn *txn, struct ovsdb_client_table *t,
          const struct ovsdb_client_row **rowp)
{
    const struct uuid *real;

    if (!*rowp || !(real = ovsdb_client_txn_get_insert_uuid(txn, *rowp))) {
        return true;
    }
    *rowp = ovsdb_client_table_find(t, real);
    return *rowp != NULL;
}

bool
sync_adopt(struct sync *s, const struct ovsdb_client_txn *txn)
{
    struct ovsdb_client *sb = ovsdb_client_txn_get_client(txn);
    struct ovsdb_client_table *pg_t = sbrec_port_group_table(sb);
    struct ovsdb_client_table *as_t = sbrec_address_set_table(sb);
    struct sync_port_group *spg;
    bool ok = true;

    HMAP_FOR_EACH (spg, node, &s->port_groups) {
        ok &= adopt_row(txn, pg_t, &spg->sb);
    }
    for (size_t i = 0; i < s->n_address_sets; i++) {
        ok &= adopt_row(txn, as_t, &s->address_sets[i].sb);
    }
    return ok;
}
