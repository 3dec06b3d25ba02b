/* northd/global: NB_Global, SB_Global and nb_cfg (see global.h). */
#include "northd/global.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "packets.h"
#include "util.h"
#include "uuid.h"
#include "northd/options.h"
#include "ovsdb/nbrec-idl.h"
#include "ovsdb/sbrec-idl.h"

#define SB_SCHEMA_VERSION "20.27.0"

void
global_init(struct global *g)
{
    memset(g, 0, sizeof *g);
}

static void
random_bytes(uint8_t *p, size_t n)
{
    struct uuid u;

    uuid_generate(&u);
    ASSERT(n <= 8);
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t) ((i < 4 ? u.parts[0] >> (8 * i)
                                 : u.parts[3] >> (8 * (i - 4))) & 0xff);
    }
}

static bool
valid_mac_prefix(const char *s)
{
    unsigned int a, b, c;
    char tail;

    return s && sscanf(s, "%2x:%2x:%2x%c", &a, &b, &c, &tail) == 3;
}

static void
choose_macs(struct global *g, const struct nbrec_nb_global *nbg)
{
    const struct ovsdb_datum *opts = nbg ? nbg->options : NULL;
    const char *prefix = options_get(opts, "mac_prefix");
    const char *svc = options_get(opts, "svc_monitor_mac");
    struct eth_addr ea;

    if (valid_mac_prefix(prefix)) {
        snprintf(g->mac_prefix, sizeof g->mac_prefix, "%s", prefix);
    } else if (!g->mac_prefix[0]) {
        uint8_t b[3];
        random_bytes(b, 3);
        b[0] = (b[0] & 0xfe) | 0x02;
        snprintf(g->mac_prefix, sizeof g->mac_prefix, "%02x:%02x:%02x",
                 b[0], b[1], b[2]);
    }
    if (svc && eth_addr_from_string(svc, &ea)) {
        snprintf(g->svc_monitor_mac, sizeof g->svc_monitor_mac,
                 ETH_ADDR_FMT, ETH_ADDR_ARGS(ea));
    } else if (!g->svc_monitor_mac[0]) {
        random_bytes(ea.ea, 6);
        ea.ea[0] = (ea.ea[0] & 0xfe) | 0x02;
        snprintf(g->svc_monitor_mac, sizeof g->svc_monitor_mac,
                 ETH_ADDR_FMT, ETH_ADDR_ARGS(ea));
    }
}

static void
check_features(struct global *g, const struct ovsdb_client *sb)
{
    const struct sbrec_chassis *ch;

    g->ct_no_masked_label = g->ct_lb_related = true;
    g->mac_binding_timestamp = true;
    SBREC_CHASSIS_FOR_EACH (ch, sb) {
        const struct ovsdb_datum *oc = ch->other_config;
        if (options_get_bool(oc, "is-remote", false)) {
            continue;
        }
        g->ct_no_masked_label &= options_get_bool(oc, "ct-no-masked-label",
                                                  false);
        g->ct_lb_related &= options_get_bool(oc, "ovn-ct-lb-related", false);
        g->mac_binding_timestamp &= options_get_bool(
            oc, "mac-binding-timestamp", false);
    }
}

void
global_build(struct global *g, const struct ovsdb_client *nb,
             const struct ovsdb_client *sb, uint32_t max_tunid)
{
    const struct nbrec_nb_global *nbg = nbrec_nb_global_first(nb);

    choose_macs(g, nbg);
    g->max_tunid = max_tunid;
    snprintf(g->max_tunid_s, sizeof g->max_tunid_s, "%u", max_tunid);
    g->nb_cfg = nbg ? nbg->nb_cfg : 0;
    g->ipsec = nbg ? nbg->ipsec : false;
    check_features(g, sb);
}

/* The options northd adds to NB_Global's. */
static void
add_own_options(const struct global *g, struct dbdiff_datum *opts)
{
    dbdiff_datum_add_pair(opts, "mac_prefix", g->mac_prefix);
    dbdiff_datum_add_pair(opts, "svc_monitor_mac", g->svc_monitor_mac);
    dbdiff_datum_add_pair(opts, "max_tunid", g->max_tunid_s);
    dbdiff_datum_add_pair(opts, "northd_internal_version",
                          "weft-" WEFT_VERSION "-" SB_SCHEMA_VERSION);
}

/* NB_Global's options with northd's own replacing theirs.  (The datum
 * builder keeps the first value of a duplicate key, so ours go first.) */
static void
merged_options(const struct global *g, const struct ovsdb_datum *nb_opts,
               struct dbdiff_datum *opts)
{
    dbdiff_datum_init_map(opts);
    add_own_options(g, opts);
    dbdiff_datum_add_map(opts, nb_opts);
}

/* Returns the only row of 'table' (inserting one if there is none and
 * deleting any extra). */
static const struct ovsdb_client_row *
singleton(struct dbdiff *diff, struct ovsdb_client_table *table)
{
    const struct ovsdb_client_row *row, *first = NULL;

    OVSDB_CLIENT_ROW_FOR_EACH (row, table) {
        if (!first) {
            first = row;
        } else {
            dbdiff_delete(diff, row);
        }
    }
    return first ? first : dbdiff_insert(diff, table);
}

void
global_sync_sb(const struct global *g, const struct ovsdb_client *nb,
               struct dbdiff *diff)
{
    const struct nbrec_nb_global *nbg = nbrec_nb_global_first(nb);
    const struct ovsdb_client_row *row
        = singleton(diff, sbrec_sb_global_table(diff->client));
    struct dbdiff_datum opts;

    merged_options(g, nbg ? nbg->options : NULL, &opts);
    if (!g->ct_no_masked_label) {
        /* Goes after NB's keys would, but no NB key has this name. */
        dbdiff_datum_add_pair(&opts, "lb_hairpin_use_ct_mark", "false");
    }
    dbdiff_set(diff, row, SBREC_SB_GLOBAL_COL_OPTIONS, &opts);
    dbdiff_set_bool(diff, row, SBREC_SB_GLOBAL_COL_IPSEC, g->ipsec);
    dbdiff_set_integer(diff, row, SBREC_SB_GLOBAL_COL_NB_CFG, g->nb_cfg);
}

void
global_sync_nb(struct global *g, struct dbdiff *diff, long long now)
{
    const struct ovsdb_client_row *row
        = singleton(diff, nbrec_nb_global_table(diff->client));
    const struct nbrec_nb_global *nbg = (const struct nbrec_nb_global *) row;
    struct dbdiff_datum opts;

    merged_options(g, nbg->options, &opts);
    dbdiff_set(diff, row, NBREC_NB_GLOBAL_COL_OPTIONS, &opts);
    if (nbg->nb_cfg != g->nb_cfg_seen) {
        /* A new nb_cfg (not one already acknowledged before a restart). */
        g->nb_cfg_seen = nbg->nb_cfg;
        if (nbg->nb_cfg != nbg->sb_cfg) {
            dbdiff_set_integer(diff, row,
                               NBREC_NB_GLOBAL_COL_NB_CFG_TIMESTAMP, now);
        }
    }
}

void
global_sync_cfg(struct dbdiff *diff, const struct ovsdb_client *sb,
                long long now)
{
    const struct nbrec_nb_global *nbg = nbrec_nb_global_first(diff->client);
    const struct sbrec_sb_global *sbg = sbrec_sb_global_first(sb);
    const struct sbrec_chassis_private *cp;
    long long hv_cfg = LLONG_MAX, hv_ts = 0;

    if (!nbg || !sbg) {
        return;
    }
    if (nbg->sb_cfg != sbg->nb_cfg) {
        dbdiff_set_integer(diff, &nbg->header_, NBREC_NB_GLOBAL_COL_SB_CFG,
                           sbg->nb_cfg);
        dbdiff_set_integer(diff, &nbg->header_,
                           NBREC_NB_GLOBAL_COL_SB_CFG_TIMESTAMP, now);
    }
    SBREC_CHASSIS_PRIVATE_FOR_EACH (cp, sb) {
        if (cp->chassis && options_get_bool(cp->chassis->other_config,
                                            "is-remote", false)) {
            continue;
        }
        if (cp->nb_cfg < hv_cfg) {
            hv_cfg = cp->nb_cfg;
            hv_ts = cp->nb_cfg_timestamp;
        } else if (cp->nb_cfg == hv_cfg && cp->nb_cfg_timestamp > hv_ts) {
            hv_ts = cp->nb_cfg_timestamp;
        }
    }
    if (hv_cfg == LLONG_MAX) {
        hv_cfg = nbg->nb_cfg;
    }
    if (nbg->hv_cfg != hv_cfg) {
        dbdiff_set_integer(diff, &nbg->header_, NBREC_NB_GLOBAL_COL_HV_CFG,
                           hv_cfg);
        dbdiff_set_integer(diff, &nbg->header_,
                           NBREC_NB_GLOBAL_COL_HV_CFG_TIMESTAMP, hv_ts);
    }
}
