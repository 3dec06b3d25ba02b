/* northd/incr: classifying tracked changes, the incremental port path and
 * the adoption of inserted rows (see incr.h and northd.h). */
#include "northd/northd.h"
#include "northd/incr.h"

#include <stdlib.h>
#include <string.h>
#include "util.h"
#include "vlog.h"
#include "ovsdb/client-txn.h"
#include "ovsdb/nbrec-idl.h"
#include "ovsdb/sbrec-idl.h"
#include "ovsdb/schema.h"
#include "northd/acl.h"
#include "northd/lr-pipeline.h"
#include "northd/ls-pipeline.h"
#include "northd/options.h"

VLOG_DEFINE_THIS_MODULE(northd_incr);

#define PUSH(ARRAY, N, ALLOCATED, ITEM)                                    \
    do {                                                                   \
        if ((N) >= (ALLOCATED)) {                                          \
            (ARRAY) = x2nrealloc((ARRAY), &(ALLOCATED), sizeof *(ARRAY));  \
        }                                                                  \
        (ARRAY)[(N)++] = (ITEM);                                           \
    } while (0)

/* Classification. */

static size_t
n_columns(const struct ovsdb_client_row *row)
{
    return row->table->schema->n_columns;
}

/* Are the changed columns of modified 'row' all among 'cols'? */
static bool
changed_only(const struct ovsdb_client_row *row, const unsigned int *cols,
             size_t n)
{
    for (size_t i = 2; i < n_columns(row); i++) {
        if (!ovsdb_client_row_is_updated(row, i)) {
            continue;
        }
        bool found = false;
        for (size_t j = 0; j < n && !found; j++) {
            found = cols[j] == i;
        }
        if (!found) {
            return false;
        }
    }
    return true;
}

/* NB_Global: only columns northd writes, and nb_cfg. */
static bool
classify_nb_global(const struct ovsdb_client *nb)
{
    static const unsigned int ok[] = {
        NBREC_NB_GLOBAL_COL_NB_CFG, NBREC_NB_GLOBAL_COL_NB_CFG_TIMESTAMP,
        NBREC_NB_GLOBAL_COL_SB_CFG, NBREC_NB_GLOBAL_COL_SB_CFG_TIMESTAMP,
        NBREC_NB_GLOBAL_COL_HV_CFG, NBREC_NB_GLOBAL_COL_HV_CFG_TIMESTAMP,
    };
    const struct nbrec_nb_global *g;

    NBREC_NB_GLOBAL_FOR_EACH_TRACKED (g, nb) {
        if (g->header_.change != OVSDB_CLIENT_MODIFIED
            || !changed_only(&g->header_, ok, ARRAY_SIZE(ok))) {
            return false;
        }
    }
    return true;
}

/* Logical_Switch_Port columns northd writes itself. */
static const unsigned int lsp_own_cols[] = {
    NBREC_LOGICAL_SWITCH_PORT_COL_UP, NBREC_LOGICAL_SWITCH_PORT_COL_TAG,
    NBREC_LOGICAL_SWITCH_PORT_COL_DYNAMIC_ADDRESSES,
};

/* ACLs may only be inserted or deleted: checked against the switches
 * and groups that gained or lost them (plan_acls()). */
static bool
acls_inserted_or_deleted(const struct ovsdb_client_table *t)
{
    const struct ovsdb_client_row *row;

    OVSDB_CLIENT_ROW_FOR_EACH_TRACKED (row, t) {
        if (row->change == OVSDB_CLIENT_MODIFIED) {
            return false;
        }
    }
    return true;
}

static bool
classify_nb(struct northd_incr *in, const struct ovsdb_client *nb)
{
    const struct ovsdb_client_table *lsp_t
        = nbrec_logical_switch_port_table(nb);
    const struct ovsdb_client_table *ls_t = nbrec_logical_switch_table(nb);
    const struct ovsdb_client_table *g_t = nbrec_nb_global_table(nb);
    const struct ovsdb_client_table *pg_t = nbrec_port_group_table(nb);
    const struct ovsdb_client_table *acl_t = nbrec_acl_table(nb);
    static const unsigned int ls_ok[] = {
        NBREC_LOGICAL_SWITCH_COL_PORTS, NBREC_LOGICAL_SWITCH_COL_ACLS,
    };
    static const unsigned int pg_ok[] = {
        NBREC_PORT_GROUP_COL_PORTS, NBREC_PORT_GROUP_COL_ACLS,
    };
    const struct ovsdb_client_row *row;

    for (size_t i = 0; i < ovsdb_client_get_n_tables(nb); i++) {
        const struct ovsdb_client_table *t
            = ovsdb_client_get_table_by_index(nb, i);
        if (list_is_empty(&t->track_list)) {
            continue;
        } else if (t == g_t) {
            if (!classify_nb_global(nb)) {
                return false;
            }
        } else if (t == ls_t) {
            OVSDB_CLIENT_ROW_FOR_EACH_TRACKED (row, t) {
                if (row->change != OVSDB_CLIENT_MODIFIED
                    || !changed_only(row, ls_ok, ARRAY_SIZE(ls_ok))) {
                    return false;
                }
                PUSH(in->lss, in->n_lss, in->allocated_lss, row);
            }
        } else if (t == acl_t) {
            if (!acls_inserted_or_deleted(t)) {
                return false;
            }
        } else if (t == pg_t) {
            OVSDB_CLIENT_ROW_FOR_EACH_TRACKED (row, t) {
                if (row->change != OVSDB_CLIENT_MODIFIED
                    || !changed_only(row, pg_ok, ARRAY_SIZE(pg_ok))) {
                    return false;
                }
                PUSH(in->pgs, in->n_pgs, in->allocated_pgs, row);
            }
        } else if (t == lsp_t) {
            OVSDB_CLIENT_ROW_FOR_EACH_TRACKED (row, t) {
                if (row->change == OVSDB_CLIENT_MODIFIED
                    && changed_only(row, lsp_own_cols,
                                    ARRAY_SIZE(lsp_own_cols))) {
                    continue;   /* The echo of our own write. */
                }
                PUSH(in->lsps, in->n_lsps, in->allocated_lsps, row);
            }
        } else {
            return false;
        }
    }
    return true;
}

/* SB: every table but Chassis_Private (which only feeds hv_cfg) must show
 * exactly what our last transaction wrote. */
static bool
classify_sb(const struct northd_incr *in, const struct ovsdb_client *sb)
{
    const struct ovsdb_client_table *cp_t = sbrec_chassis_private_table(sb);

    for (size_t i = 0; i < ovsdb_client_get_n_tables(sb); i++) {
        const struct ovsdb_client_table *t
            = ovsdb_client_get_table_by_index(sb, i);
        const struct ovsdb_client_row *row;
        struct dbdiff_table_stats seen = { 0, 0, 0 }, want = { 0, 0, 0 };

        if (t == cp_t || list_is_empty(&t->track_list)) {
            continue;
        }
        OVSDB_CLIENT_ROW_FOR_EACH_TRACKED (row, t) {
            seen.n_inserted += row->change == OVSDB_CLIENT_INSERTED;
            seen.n_updated += row->change == OVSDB_CLIENT_MODIFIED;
            seen.n_deleted += row->change == OVSDB_CLIENT_DELETED;
        }
        if (i < in->n_echo) {
            want = in->echo[i];
        }
        if (seen.n_inserted != want.n_inserted
            || seen.n_updated != want.n_updated
            || seen.n_deleted != want.n_deleted) {
            VLOG_DBG("%s: tracked +%llu ~%llu -%llu, wrote +%llu ~%llu "
                     "-%llu: full recompute", t->schema->name,
                     seen.n_inserted, seen.n_updated, seen.n_deleted,
                     want.n_inserted, want.n_updated, want.n_deleted);
            return false;
        }
    }
    return true;
}

enum northd_run_kind
incr_classify(struct northd *nd, const struct ovsdb_client *nb,
              const struct ovsdb_client *sb)
{
    struct northd_incr *in = &nd->incr;
    bool cfg_bump = false;
    const struct nbrec_nb_global *g;

    in->n_lsps = in->n_lss = in->n_pgs = 0;
    if (!in->valid || !classify_nb(in, nb) || !classify_sb(in, sb)) {
        return NORTHD_RUN_FULL;
    }
    g = nbrec_nb_global_first(nb);
    cfg_bump = g && g->nb_cfg != nd->global.nb_cfg;
    return (in->n_lsps || in->n_lss || in->n_pgs || cfg_bump
            ? NORTHD_RUN_INCR
            : NORTHD_RUN_SKIP);
}

/* The incremental port path. */

/* Can a port with NB row 'nbsp' be handled incrementally? */
static bool
lsp_row_ok(const struct northd_incr *in,
           const struct nbrec_logical_switch_port *nbsp)
{
    if (nbsp->type[0] || (nbsp->parent_name && nbsp->parent_name[0])
        || nbsp->n_tag_request || nbsp->ha_chassis_group
        || nbsp->n_mirror_rules
        || options_get(nbsp->options, "requested-tnl-key")
        || shash_find(&in->referenced, nbsp->name)) {
        return false;
    }
    for (size_t i = 0; i < nbsp->n_addresses; i++) {
        if (!strncmp(nbsp->addresses[i], "dynamic", 7)
            || strstr(nbsp->addresses[i], " dynamic")) {
            return false;
        }
    }
    return true;
}

/* Can compiled port 'op' be taken out incrementally? */
static bool
old_port_ok(const struct northd_port *op)
{
    return (op->kind == NORTHD_PORT_LSP && op->lsp_type == NORTHD_LSP_VIF
            && !op->wants_dynamic && op->tag < 0 && !op->requested_tnl_key
            && !op->dynamic_addresses);
}

/* Does the datapath of a changed port allow the incremental path? */
static bool
datapath_ok(const struct northd_datapath *od)
{
    const struct ovsdb_datum *oc = od->nbs->other_config;

    return (!od->mcast_snoop && !options_get(oc, "subnet")
            && !options_get(oc, "ipv6_prefix")
            && !options_get_bool(oc, "mac_only", false));
}

/* Does datum 'd' (a set of uuids) hold 'uuid'? */
static bool
datum_has_uuid(const struct ovsdb_datum *d, const struct uuid *uuid)
{
    for (size_t i = 0; i < d->n; i++) {
        if (uuid_equals(&d->keys[i].uuid, uuid)) {
            return true;
        }
    }
    return false;
}

/* The switch whose 'ports' gained inserted LSP 'row', or NULL. */
static struct northd_datapath *
switch_of_new(const struct northd *nd, const struct ovsdb_client_row *row)
{
    const struct northd_incr *in = &nd->incr;

    for (size_t i = 0; i < in->n_lss; i++) {
        const struct ovsdb_client_row *ls = in->lss[i];
        if (datum_has_uuid(ovsdb_client_row_get(
                               ls, NBREC_LOGICAL_SWITCH_COL_PORTS),
                           &row->uuid)) {
            return datapaths_find_by_nb(&nd->datapaths, &ls->uuid);
        }
    }
    return NULL;
}

/* Every uuid a changed switch's 'ports' gained or lost must be an
 * inserted or deleted LSP. */
static bool
switch_changes_ok(const struct northd *nd)
{
    const struct ovsdb_client_table *lsp_t
        = nbrec_logical_switch_port_table(nd->nb);

    for (size_t i = 0; i < nd->incr.n_lss; i++) {
        const struct ovsdb_client_row *ls = nd->incr.lss[i];
        const struct ovsdb_datum *new = ovsdb_client_row_get(
            ls, NBREC_LOGICAL_SWITCH_COL_PORTS);
        const struct ovsdb_datum *old = ovsdb_client_row_get_old(
            ls, NBREC_LOGICAL_SWITCH_COL_PORTS);
        const struct northd_datapath *od
            = datapaths_find_by_nb(&nd->datapaths, &ls->uuid);

        if (!od || !od->nbs) {
            return false;
        }
        for (int pass = 0; pass < 2; pass++) {
            const struct ovsdb_datum *a = pass ? old : new;
            const struct ovsdb_datum *b = pass ? new : old;
            enum ovsdb_client_change want = (pass ? OVSDB_CLIENT_DELETED
                                              : OVSDB_CLIENT_INSERTED);
            for (size_t j = 0; j < a->n; j++) {
                const struct uuid *u = &a->keys[j].uuid;
                const struct ovsdb_client_row *r;
                if (datum_has_uuid(b, u)) {
                    continue;
                }
                r = ovsdb_client_table_find(lsp_t, u);
                if (pass == 0 && (!r || r->change != want)) {
                    return false;
                }
                if (pass == 1) {
                    /* A deleted row is not found by uuid: it must be
                     * among the tracked changed ports. */
                    bool found = false;
                    for (size_t k = 0; k < nd->incr.n_lsps && !found; k++) {
                        found = (uuid_equals(&nd->incr.lsps[k]->uuid, u)
                                 && nd->incr.lsps[k]->change == want);
                    }
                    if (!found) {
                        return false;
                    }
                }
            }
        }
    }
    return true;
}

/* One changed port: its compiled port before, its datapath, and after. */
struct port_change {
    const struct ovsdb_client_row *row;
    struct northd_port *old;
    struct northd_datapath *od;
    struct northd_port *new;
};

static int
compare_changes(const void *a_, const void *b_)
{
    const struct port_change *a = a_, *b = b_;
    const struct nbrec_logical_switch_port *x = (const void *) a->row;
    const struct nbrec_logical_switch_port *y = (const void *) b->row;
    int cmp = strcmp(x->name, y->name);

    return cmp ? cmp : uuid_compare(&a->row->uuid, &b->row->uuid);
}

/* Checks every changed port and fills 'pc'.  Changes nothing. */
static bool
plan_ports(const struct northd *nd, struct port_change *pc)
{
    const struct northd_incr *in = &nd->incr;

    if (!switch_changes_ok(nd)) {
        return false;
    }
    for (size_t i = 0; i < in->n_lsps; i++) {
        const struct ovsdb_client_row *row = in->lsps[i];
        const struct nbrec_logical_switch_port *nbsp = (const void *) row;
        static const unsigned int ok[] = {
            NBREC_LOGICAL_SWITCH_PORT_COL_ADDRESSES,
            NBREC_LOGICAL_SWITCH_PORT_COL_PORT_SECURITY,
            NBREC_LOGICAL_SWITCH_PORT_COL_ENABLED,
            NBREC_LOGICAL_SWITCH_PORT_COL_OPTIONS,
            NBREC_LOGICAL_SWITCH_PORT_COL_EXTERNAL_IDS,
            NBREC_LOGICAL_SWITCH_PORT_COL_DHCPV4_OPTIONS,
            NBREC_LOGICAL_SWITCH_PORT_COL_DHCPV6_OPTIONS,
            NBREC_LOGICAL_SWITCH_PORT_COL_UP,
            NBREC_LOGICAL_SWITCH_PORT_COL_TAG,
            NBREC_LOGICAL_SWITCH_PORT_COL_DYNAMIC_ADDRESSES,
        };

        pc[i] = (struct port_change) { .row = row };
        if (row->change != OVSDB_CLIENT_INSERTED) {
            pc[i].old = ports_find(&nd->ports, nbsp->name);
            if (!pc[i].old || pc[i].old->nbsp != nbsp
                || !old_port_ok(pc[i].old)) {
                return false;
            }
            pc[i].od = pc[i].old->od;
        } else {
            pc[i].od = switch_of_new(nd, row);
            if (!pc[i].od || ports_find(&nd->ports, nbsp->name)) {
                return false;
            }
        }
        if (row->change == OVSDB_CLIENT_MODIFIED
            && !changed_only(row, ok, ARRAY_SIZE(ok))) {
            return false;
        }
        if ((row->change != OVSDB_CLIENT_DELETED && !lsp_row_ok(in, nbsp))
            || !pc[i].od->nbs || !datapath_ok(pc[i].od)) {
            return false;
        }
    }
    return true;
}

/* Facts about a switch that its flows depend on as a whole. */
struct switch_facts {
    struct northd_datapath *od;
    bool has_unknown;
    bool only_routers;
};

static bool
switch_has_unknown(const struct northd_datapath *od)
{
    for (size_t i = 0; i < od->n_ports; i++) {
        if (od->ports[i]->has_unknown && od->ports[i]->enabled) {
            return true;
        }
    }
    return false;
}

/* Applies the port changes to the compiled ports.  Returns false if the
 * result needs a full recompute (then the compiled state is unusable). */
static bool
apply_ports(struct northd *nd, struct port_change *pc, size_t n,
            struct switch_facts *sw, size_t *n_sw)
{
    *n_sw = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j;
        for (j = 0; j < *n_sw && sw[j].od != pc[i].od; j++) {
            continue;
        }
        if (j == *n_sw) {
            sw[j].od = pc[i].od;
            sw[j].has_unknown = pc[i].od->has_unknown;
            sw[j].only_routers = ls_only_router_ports(pc[i].od);
            (*n_sw)++;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (pc[i].old) {
            ports_remove(&nd->ports, pc[i].old,
                         pc[i].row->change == OVSDB_CLIENT_DELETED);
        }
    }
    qsort(pc, n, sizeof *pc, compare_changes);
    for (size_t i = 0; i < n; i++) {
        if (pc[i].row->change != OVSDB_CLIENT_DELETED) {
            pc[i].new = ports_add_lsp(&nd->ports, pc[i].od,
                                      (const void *) pc[i].row, pc[i].old);
            if (!pc[i].new) {
                return false;
            }
        }
    }
    for (size_t i = 0; i < *n_sw; i++) {
        if (switch_has_unknown(sw[i].od) != sw[i].has_unknown
            || ls_only_router_ports(sw[i].od) != sw[i].only_routers) {
            return false;
        }
    }
    return true;
}

/* A port group to rebuild, and the per-switch parts it had. */
struct pg_change {
    const struct nbrec_port_group *pg;
    struct sync_pg_parts old;
};

static void
add_pg(struct pg_change **pgs, size_t *n, size_t *allocated,
       const struct nbrec_port_group *pg)
{
    for (size_t i = 0; i < *n; i++) {
        if ((*pgs)[i].pg == pg) {
            return;
        }
    }
    PUSH(*pgs, *n, *allocated, ((struct pg_change) { .pg = pg }));
}

/* The port groups to rebuild: the rows whose 'ports' changed, and the
 * groups that hold a changed port (its addresses feed $pg_ip4/6). */
static struct pg_change *
collect_pgs(const struct northd *nd, const struct port_change *pc, size_t n,
            size_t *n_pgs)
{
    const struct northd_incr *in = &nd->incr;
    struct pg_change *pgs = NULL;
    size_t allocated = 0;
    bool any = false;

    *n_pgs = 0;
    for (size_t i = 0; i < in->n_pgs; i++) {
        add_pg(&pgs, n_pgs, &allocated, (const void *) in->pgs[i]);
    }
    for (size_t i = 0; i < n && !any; i++) {
        any = pc[i].old && pc[i].old->in_port_group;
    }
    if (any) {
        const struct sync_port_group *spg;
        HMAP_FOR_EACH (spg, node, &nd->sync.port_groups) {
            for (size_t j = 0; j < spg->n_ports; j++) {
                for (size_t k = 0; k < n; k++) {
                    if (pc[k].old && spg->ports[j] == pc[k].old) {
                        add_pg(&pgs, n_pgs, &allocated, spg->nb);
                    }
                }
            }
        }
    }
    return pgs;
}

/* Rebuilds the port groups in 'pgs'.  Returns false if that needs a full
 * recompute: a group with ACLs that gains or loses a switch changes that
 * switch's ACL flows and perhaps its statefulness. */
static bool
apply_pgs(struct northd *nd, struct pg_change *pgs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bool spans_changed;
        if (!sync_rebuild_port_group(&nd->sync, pgs[i].pg, &nd->ports,
                                     &pgs[i].old, &spans_changed)
            || (spans_changed
                && (pgs[i].pg->n_acls
                    || ovsdb_client_row_is_updated(
                        &pgs[i].pg->header_, NBREC_PORT_GROUP_COL_ACLS)))) {
            return false;
        }
    }
    return true;
}

/* One ACL gained or lost by a switch or a port group. */
struct acl_change {
    struct uuid uuid;
    const struct nbrec_acl *acl;            /* Inserted row, or NULL. */
    const struct northd_datapath *od;       /* Gained by a switch. */
    const struct nbrec_port_group *pg;      /* Gained by a group. */
};

/* Is 'u' a deleted ACL row? */
static bool
acl_is_deleted(const struct ovsdb_client *nb, const struct uuid *u)
{
    const struct ovsdb_client_row *row;

    OVSDB_CLIENT_ROW_FOR_EACH_TRACKED (row, nbrec_acl_table(nb)) {
        if (row->change == OVSDB_CLIENT_DELETED
            && uuid_equals(&row->uuid, u)) {
            return true;
        }
    }
    return false;
}

/* Adds to 'acs' the ACLs 'row' (a switch or a port group) gained and lost
 * in column 'col'.  Each must be an ACL row inserted or deleted. */
static bool
plan_entity_acls(const struct northd *nd, const struct ovsdb_client_row *row,
                 unsigned int col, const struct northd_datapath *od,
                 struct acl_change **acs, size_t *n, size_t *allocated)
{
    const struct ovsdb_client_table *acl_t = nbrec_acl_table(nd->nb);
    const struct ovsdb_datum *new, *old;

    if (!ovsdb_client_row_is_updated(row, col)) {
        return true;
    }
    new = ovsdb_client_row_get(row, col);
    old = ovsdb_client_row_get_old(row, col);
    for (size_t j = 0; j < new->n; j++) {
        const struct uuid *u = &new->keys[j].uuid;
        const struct ovsdb_client_row *r;
        if (datum_has_uuid(old, u)) {
            continue;
        }
        r = ovsdb_client_table_find(acl_t, u);
        if (!r || r->change != OVSDB_CLIENT_INSERTED) {
            return false;
        }
        PUSH(*acs, *n, *allocated, ((struct acl_change) {
                    .uuid = *u, .acl = (const void *) r, .od = od,
                    .pg = od ? NULL : (const void *) row }));
    }
    for (size_t j = 0; j < old->n; j++) {
        const struct uuid *u = &old->keys[j].uuid;
        if (!datum_has_uuid(new, u)) {
            if (!acl_is_deleted(nd->nb, u)) {
                return false;
            }
            PUSH(*acs, *n, *allocated, ((struct acl_change) {
                        .uuid = *u, .od = od,
                        .pg = od ? NULL : (const void *) row }));
        }
    }
    return true;
}

/* The ACL changes of the switches and port groups that changed. */
static bool
plan_acls(const struct northd *nd, struct acl_change **acs, size_t *n)
{
    const struct northd_incr *in = &nd->incr;
    size_t allocated = 0;

    *acs = NULL;
    *n = 0;
    for (size_t i = 0; i < in->n_lss; i++) {
        const struct northd_datapath *od
            = datapaths_find_by_nb(&nd->datapaths, &in->lss[i]->uuid);
        if (!od || !plan_entity_acls(nd, in->lss[i],
                                     NBREC_LOGICAL_SWITCH_COL_ACLS, od,
                                     acs, n, &allocated)) {
            return false;
        }
    }
    for (size_t i = 0; i < in->n_pgs; i++) {
        if (!plan_entity_acls(nd, in->pgs[i], NBREC_PORT_GROUP_COL_ACLS,
                              NULL, acs, n, &allocated)) {
            return false;
        }
    }
    return true;
}

/* Do the switches the ACL changes touch keep their facts (acl.h)?  If
 * one gains its first ACL or its first allow-related one, or loses its
 * last, its other ACL stages change: a full recompute. */
static bool
acl_facts_kept(const struct northd *nd, const struct acl_change *acs,
               size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct sync_port_group **parts = NULL;
        size_t n_parts = 0;
        bool ok = true;

        if (acs[i].pg) {
            n_parts = sync_port_groups_of(&nd->sync, acs[i].pg, &parts);
        }
        for (size_t j = 0; ok && j < (acs[i].od ? 1 : n_parts); j++) {
            const struct northd_datapath *od = (acs[i].od ? acs[i].od
                                                : parts[j]->od);
            const struct acl_facts *was = &nd->incr.facts[od->index];
            struct acl_facts now;

            acl_switch_facts(nd, od, &now);
            ok = (now.has_acls == was->has_acls
                  && now.has_stateful_acl == was->has_stateful_acl
                  && now.has_lb_vip == was->has_lb_vip);
        }
        free(parts);
        if (!ok) {
            return false;
        }
    }
    return true;
}

/* Removes from the table and from SB the flows in 'gone' that nobody
 * adds any more, and frees 'gone'. */
static void
remove_gone(struct lflow_table *lf, struct lflow **gone, size_t n_gone,
            struct dbdiff *diff)
{
    for (size_t i = 0; i < n_gone; i++) {
        struct lflow *f = gone[i];
        if (!f->n_refs && !f->removed) {
            lflow_table_remove(lf, f);
            if (f->sb) {
                dbdiff_delete(diff, &f->sb->header_);
            }
        }
    }
    free(gone);
}

/* Inserts into SB the flows 'owner' added that have no row yet. */
static void
insert_owned(struct northd *nd, const struct uuid *owner, struct dbdiff *diff)
{
    struct northd_incr *in = &nd->incr;

    for (const struct lflow_ref *r = lflow_table_owner_refs(&nd->lflows,
                                                            owner);
         r; r = r->next) {
        struct lflow *f = r->flow;
        if (!f->sb && f->od->sb) {
            lflow_insert_sb(diff, f);
            PUSH(in->new_flows, in->n_new_flows, in->allocated_new_flows, f);
        }
    }
}

/* Takes back the flows of the lost ACLs and adds those of the gained. */
static void
apply_acl_flows(struct northd *nd, const struct acl_change *acs, size_t n,
                struct dbdiff *diff)
{
    struct lflow_table *lf = &nd->lflows;
    struct lflow **gone = NULL;
    size_t n_gone = 0, allocated = 0;

    for (size_t i = 0; i < n; i++) {
        if (!acs[i].acl) {
            size_t k;
            struct lflow **flows = lflow_table_disown(lf, &acs[i].uuid, &k);
            for (size_t j = 0; j < k; j++) {
                PUSH(gone, n_gone, allocated, flows[j]);
            }
            free(flows);
        }
    }
    for (size_t i = 0; i < n; i++) {
        const struct sync_port_group **parts = NULL;
        size_t n_parts = 0;

        if (!acs[i].acl) {
            continue;
        }
        if (acs[i].pg) {
            n_parts = sync_port_groups_of(&nd->sync, acs[i].pg, &parts);
        }
        for (size_t j = 0; j < (acs[i].od ? 1 : n_parts); j++) {
            acl_build_acl_flows(nd, acs[i].od ? acs[i].od : parts[j]->od,
                                acs[i].acl, lf);
        }
        free(parts);
        insert_owned(nd, &acs[i].uuid, diff);
    }
    remove_gone(lf, gone, n_gone, diff);
}

/* Takes back the flows of the changed ports, adds their new ones and
 * writes the difference. */
static void
apply_flows(struct northd *nd, const struct port_change *pc, size_t n,
            struct dbdiff *diff)
{
    struct lflow_table *lf = &nd->lflows;
    struct lflow **gone = NULL;
    size_t n_gone = 0, allocated = 0;

    for (size_t i = 0; i < n; i++) {
        size_t k;
        struct lflow **flows = lflow_table_disown(lf, &pc[i].row->uuid, &k);
        for (size_t j = 0; j < k; j++) {
            PUSH(gone, n_gone, allocated, flows[j]);
        }
        free(flows);
    }
    for (size_t i = 0; i < n; i++) {
        const struct northd_port *op = pc[i].new;
        if (!op) {
            continue;
        }
        ls_build_l2_port_flows(op, lf);
        ls_build_arp_rsp_port_flows(nd, op, lf);
        ls_build_dhcp_port_flows(op, lf);
        acl_build_dhcp_port_flows(nd, op, lf);
        lr_build_resolve_for_lsp(nd, op, lf);
        insert_owned(nd, &op->nb_uuid, diff);
    }
    remove_gone(lf, gone, n_gone, diff);
}

/* The NB columns northd owns of the changed ports, and NB_Global. */
static void
write_nb(struct northd *nd, const struct port_change *pc, size_t n,
         struct dbdiff *nb_diff)
{
    for (size_t i = 0; i < n; i++) {
        const struct northd_port *op = pc[i].new;
        if (op) {
            ports_sync_nb_one(op, nb_diff);
            if (op->nbsp->dynamic_addresses) {
                dbdiff_set_opt_string(
                    nb_diff, &op->nbsp->header_,
                    NBREC_LOGICAL_SWITCH_PORT_COL_DYNAMIC_ADDRESSES, NULL);
            }
        }
    }
    global_sync_nb(&nd->global, nb_diff, time_wall_msec());
}

bool
incr_run(struct northd *nd, struct dbdiff *sb_diff, struct dbdiff *nb_diff)
{
    struct northd_incr *in = &nd->incr;
    size_t n = in->n_lsps, n_sw;
    struct port_change *pc = xcalloc(n + 1, sizeof *pc);
    struct switch_facts *sw = xcalloc(n + 1, sizeof *sw);
    const struct nbrec_nb_global *g = nbrec_nb_global_first(nd->nb);
    struct pg_change *pgs = NULL;
    struct acl_change *acs = NULL;
    size_t n_pgs = 0, n_acs = 0;
    bool ok = plan_ports(nd, pc) && plan_acls(nd, &acs, &n_acs);

    if (ok) {
        pgs = collect_pgs(nd, pc, n, &n_pgs);
        ok = (apply_ports(nd, pc, n, sw, &n_sw)
              && apply_pgs(nd, pgs, n_pgs)
              && acl_facts_kept(nd, acs, n_acs));
        if (!ok) {
            in->valid = false;
        }
    }
    if (ok) {
        in->n_new_ports = in->n_new_flows = 0;
        /* Port_Binding first: the groups refer to them. */
        for (size_t i = 0; i < n; i++) {
            if (!pc[i].new && pc[i].old && pc[i].old->sb) {
                dbdiff_delete(sb_diff, &pc[i].old->sb->header_);
            } else if (pc[i].new) {
                ports_sync_one(pc[i].new, sb_diff, &nd->gateways);
                PUSH(in->new_ports, in->n_new_ports,
                     in->allocated_new_ports, pc[i].new);
            }
        }
        for (size_t i = 0; i < n_sw; i++) {
            mcast_update_datapath(&nd->mcast, sw[i].od, sb_diff);
        }
        for (size_t i = 0; i < n_pgs; i++) {
            in->adopt_sync |= sync_write_port_group(&nd->sync, pgs[i].pg,
                                                    &pgs[i].old, sb_diff);
        }
        apply_flows(nd, pc, n, sb_diff);
        apply_acl_flows(nd, acs, n_acs, sb_diff);
        nd->global.nb_cfg = g ? g->nb_cfg : 0;
        global_sync_sb(&nd->global, nd->nb, sb_diff);
        write_nb(nd, pc, n, nb_diff);
    }
    for (size_t i = 0; i < n_pgs; i++) {
        sync_pg_parts_destroy(&pgs[i].old);
    }
    free(pgs);
    free(acs);
    free(pc);
    free(sw);
    return ok;
}

/* Bookkeeping after a full compute. */

static void
add_name(struct shash *names, const char *name)
{
    if (name && name[0]) {
        shash_add_once(names, name, NULL);
    }
}

void
incr_note_full(struct northd *nd)
{
    struct shash *names = &nd->incr.referenced;
    const struct nbrec_nat *nat;
    const struct nbrec_forwarding_group *fg;
    const struct nbrec_load_balancer *lb;
    const struct sync_port_group *spg;

    shash_clear(names);
    NBREC_NAT_FOR_EACH (nat, nd->nb) {
        add_name(names, nat->logical_port);
    }
    NBREC_FORWARDING_GROUP_FOR_EACH (fg, nd->nb) {
        for (size_t i = 0; i < fg->n_child_port; i++) {
            add_name(names, fg->child_port[i]);
        }
    }
    NBREC_LOAD_BALANCER_FOR_EACH (lb, nd->nb) {
        const struct ovsdb_datum *m = lb->ip_port_mappings;
        for (size_t i = 0; m && i < m->n; i++) {
            const char *v = ovsdb_atom_string(&m->values[i]);
            const char *colon = strchr(v, ':');
            char *name = xmemdup0(v, colon ? (size_t) (colon - v)
                                           : strlen(v));
            add_name(names, name);
            free(name);
        }
    }
    for (size_t i = 0; i < nd->ports.n; i++) {
        const struct northd_port *op = nd->ports.array[i];
        const char *vp;
        if (op->lsp_type == NORTHD_LSP_VIRTUAL
            && (vp = options_get(op->nbsp->options, "virtual-parents"))) {
            char *copy = xstrdup(vp), *save = NULL;
            for (char *t = strtok_r(copy, ",", &save); t;
                 t = strtok_r(NULL, ",", &save)) {
                add_name(names, t);
            }
            free(copy);
        }
    }
    HMAP_FOR_EACH (spg, node, &nd->sync.port_groups) {
        for (size_t i = 0; i < spg->n_ports; i++) {
            ((struct northd_port *) spg->ports[i])->in_port_group = true;
        }
    }
    free(nd->incr.facts);
    nd->incr.facts = xcalloc(nd->datapaths.n_switches + 1,
                             sizeof *nd->incr.facts);
    acl_all_facts(nd, nd->incr.facts);
    nd->incr.valid = true;
    nd->incr.adopt_all = true;
    nd->incr.n_new_ports = nd->incr.n_new_flows = 0;
    nd->incr.adopt_sync = false;
}

void
incr_forget(struct northd *nd)
{
    nd->incr.valid = false;
    nd->incr.adopt_sync = false;
    nd->incr.n_new_ports = nd->incr.n_new_flows = 0;
}

/* Adoption. */

/* Makes '*rowp', if 'txn' inserted it, the row the server created. */
static bool
adopt_row(const struct ovsdb_client_txn *txn, struct ovsdb_client_table *t,
          const void **rowp)
{
    const struct uuid *real;

    if (!*rowp || !(real = ovsdb_client_txn_get_insert_uuid(txn, *rowp))) {
        return true;
    }
    *rowp = ovsdb_client_table_find(t, real);
    return *rowp != NULL;
}

static bool
adopt_all(struct northd *nd, const struct ovsdb_client_txn *txn)
{
    struct ovsdb_client *sb = ovsdb_client_txn_get_client(txn);
    struct ovsdb_client_table *dp_t = sbrec_datapath_binding_table(sb);
    struct ovsdb_client_table *pb_t = sbrec_port_binding_table(sb);
    struct ovsdb_client_table *lf_t = sbrec_logical_flow_table(sb);
    struct lflow *f;
    bool ok = true;

    for (size_t i = 0; i < nd->datapaths.n; i++) {
        struct northd_datapath *od = nd->datapaths.array[i];
        const void *old = od->sb;
        ok &= adopt_row(txn, dp_t, (const void **) &od->sb);
        if (old != od->sb && od->sb) {
            hmap_remove(&nd->datapaths.by_sb, &od->sb_node);
            hmap_insert(&nd->datapaths.by_sb, &od->sb_node,
                        uuid_hash(&od->sb->header_.uuid));
        }
    }
    for (size_t i = 0; i < nd->ports.n; i++) {
        ok &= adopt_row(txn, pb_t, (const void **) &nd->ports.array[i]->sb);
    }
    HMAP_FOR_EACH (f, node, &nd->lflows.flows) {
        ok &= adopt_row(txn, lf_t, (const void **) &f->sb);
    }
    return ok;
}

bool
incr_adopt(struct northd *nd, const struct ovsdb_client_txn *txn)
{
    struct northd_incr *in = &nd->incr;
    bool ok = true;

    if (!in->valid) {
        return true;
    }
    if (in->adopt_all || in->adopt_sync) {
        ok = sync_adopt(&nd->sync, txn);
    }
    if (in->adopt_all) {
        ok &= adopt_all(nd, txn);
    } else {
        struct ovsdb_client *sb = ovsdb_client_txn_get_client(txn);
        for (size_t i = 0; i < in->n_new_ports; i++) {
            ok &= adopt_row(txn, sbrec_port_binding_table(sb),
                            (const void **) &in->new_ports[i]->sb);
        }
        for (size_t i = 0; i < in->n_new_flows; i++) {
            if (!in->new_flows[i]->removed) {
                ok &= adopt_row(txn, sbrec_logical_flow_table(sb),
                                (const void **) &in->new_flows[i]->sb);
            }
        }
    }
    in->adopt_all = in->adopt_sync = false;
    in->n_new_ports = in->n_new_flows = 0;
    if (!ok) {
        incr_forget(nd);
    }
    return ok;
}
