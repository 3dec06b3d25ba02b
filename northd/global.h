/* northd/global: NB_Global and SB_Global, and the nb_cfg handshake.
 *
 * Options.  weft-northd makes sure NB_Global options has
 *
 *     mac_prefix       3 bytes for dynamic MACs ("52:65:7f"; chosen at
 *                      random, locally administered, when missing/bad)
 *     svc_monitor_mac  source MAC of health-check probes (random when
 *                      missing/bad)
 *     max_tunid        the largest datapath key ("16711680", or "4095"
 *                      when a chassis uses VXLAN)
 *     northd_internal_version  "weft-<version>-<SB schema version>"
 *
 * keeping every other key, and SB_Global gets NB_Global's options plus
 * lb_hairpin_use_ct_mark=false when some (non-remote) chassis lacks
 * other_config:ct-no-masked-label=true, and NB_Global's ipsec.  Both rows
 * are created when missing, as ovn-northd does.
 *
 * The nb_cfg handshake (what "ovn-nbctl --wait=sb|hv" waits for):
 *
 *   1. A client increments NB_Global nb_cfg.
 *   2. The recompute that sees it sets NB_Global nb_cfg_timestamp to the
 *      time and copies nb_cfg to SB_Global nb_cfg, in the same SB
 *      transaction as the rest of the compiled state.
 *   3. global_sync_cfg(), called when no SB transaction is in flight,
 *      copies SB_Global nb_cfg (as the SB replica shows it, so only once
 *      committed) to NB_Global sb_cfg with sb_cfg_timestamp = now, and
 *      sets hv_cfg to the smallest Chassis_Private nb_cfg (remote chassis
 *      ignored; nb_cfg when there is no chassis) with hv_cfg_timestamp =
 *      the latest nb_cfg_timestamp among the chassis at that value, both
 *      only when hv_cfg changes.
 *
 * Chassis features (all non-remote chassis have them) are kept here for
 * the pipeline modules.  'struct global' lives across recomputes so that
 * a randomly chosen MAC stays the same until NB_Global stores it.  Not
 * thread-safe. */
#ifndef WEFT_NORTHD_GLOBAL_H
#define WEFT_NORTHD_GLOBAL_H 1

#include <stdbool.h>
#include <stdint.h>
#include "northd/dbdiff.h"

struct ovsdb_client;

struct global {
    char mac_prefix[9];         /* "xx:xx:xx". */
    char svc_monitor_mac[18];   /* "xx:xx:xx:xx:xx:xx". */
    uint32_t max_tunid;
    char max_tunid_s[12];       /* The same, as options hold it. */
    long long nb_cfg;           /* NB_Global nb_cfg (0 if no row). */
    long long nb_cfg_seen;      /* nb_cfg when nb_cfg_timestamp was last
                                 * set. */
    bool ipsec;

    /* Chassis features. */
    bool ct_no_masked_label;    /* other_config:ct-no-masked-label. */
    bool ct_lb_related;         /* other_config:ovn-ct-lb-related. */
    bool mac_binding_timestamp; /* other_config:mac-binding-timestamp. */
};

void global_init(struct global *);
void global_build(struct global *, const struct ovsdb_client *nb,
                  const struct ovsdb_client *sb, uint32_t max_tunid);
/* SB_Global (in the SB transaction). */
void global_sync_sb(const struct global *, const struct ovsdb_client *nb,
                    struct dbdiff *sb_diff);
/* NB_Global options, and nb_cfg_timestamp = 'now_ms' when nb_cfg is new
 * (in the NB transaction). */
void global_sync_nb(struct global *, struct dbdiff *nb_diff,
                    long long now_ms);
/* NB_Global sb_cfg and hv_cfg from the SB replica (see above). */
void global_sync_cfg(struct dbdiff *nb_diff, const struct ovsdb_client *sb,
                     long long now_ms);

#endif
