/* northd/northd: one recompute, NB + SB replicas in, SB + NB diffs out
 * (see northd.h). */
#include "northd/northd.h"

#include <string.h>
#include <time.h>
#include "ds.h"
#include "util.h"
#include "ovsdb/client-txn.h"
#include "ovsdb/schema.h"
#include "northd/ls-ipam.h"
#include "northd/ls-pipeline.h"
#include "northd/acl.h"
#include "northd/ls-lb.h"
#include "northd/lr-pipeline.h"
#include "northd/incr.h"

/* The logical flow builders, run in this order.  Pipeline modules add
 * theirs here. */
static void build_stage_defaults(const struct northd *,
                                 struct lflow_table *);

static northd_lflow_builder *const lflow_builders[] = {
    build_stage_defaults,
    ls_build_port_sec_flows,
    ls_build_fdb_flows,
    ls_build_arp_rsp_flows,
    ls_build_dhcp_flows,
    ls_build_l2_flows,
    acl_build_lflows,
    ls_lb_build_lflows,
    lr_pipeline_build,
};

static void
build_stage_defaults(const struct northd *nd, struct lflow_table *lflows)
{
    for (size_t i = 0; i < nd->datapaths.n; i++) {
        lflow_add_stage_defaults(lflows, nd->datapaths.array[i]);
    }
}

static const char *const phase_names[NORTHD_N_PHASES] = {
#define PHASE(ENUM, NAME) NAME,
    NORTHD_PHASES
#undef PHASE
};

static long long
now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void
compiled_init(struct northd *nd)
{
    datapaths_init(&nd->datapaths);
    ports_init(&nd->ports);
    gateways_init(&nd->gateways);
    mcast_init(&nd->mcast);
    sync_init(&nd->sync);
    lflow_table_init(&nd->lflows);
}

/* Drops the compiled state; with 'keep_memory', the arenas keep theirs
 * for the next recompute. */
static void
compiled_destroy(struct northd *nd, bool keep_memory)
{
    if (keep_memory) {
        /* This run's flows are the next run's 'prev' (lflow_sync()). */
        lflow_table_swap(&nd->lflows, &nd->prev_lflows);
        lflow_table_clear(&nd->lflows);
        ports_clear(&nd->ports);
    } else {
        lflow_table_destroy(&nd->lflows);
        lflow_table_destroy(&nd->prev_lflows);
        ports_destroy(&nd->ports);
    }
    sync_destroy(&nd->sync);
    mcast_destroy(&nd->mcast);
    gateways_destroy(&nd->gateways);
    datapaths_destroy(&nd->datapaths);
}

void
northd_init(struct northd *nd)
{
    memset(nd, 0, sizeof *nd);
    compiled_init(nd);
    lflow_table_init(&nd->prev_lflows);
    global_init(&nd->global);
    shash_init(&nd->incr.referenced);
}

void
northd_destroy(struct northd *nd)
{
    if (nd) {
        compiled_destroy(nd, false);
        free(nd->stats.sb_last);
        free(nd->stats.sb_total);
        memset(&nd->stats, 0, sizeof nd->stats);
        shash_destroy(&nd->incr.referenced);
        free(nd->incr.echo);
        free(nd->incr.new_ports);
        free(nd->incr.new_flows);
        free(nd->incr.lsps);
        free(nd->incr.lss);
        free(nd->incr.pgs);
        free(nd->incr.facts);
        memset(&nd->incr, 0, sizeof nd->incr);
    }
}

/* Runs the build steps, timing each phase into 'us'. */
static void
compute(struct northd *nd, const struct ovsdb_client *nb,
        struct ovsdb_client *sb, long long *us)
{
    long long t = now_us(), t2;

#define LAP(PHASE) (t2 = now_us(), us[NORTHD_PHASE_##PHASE] = t2 - t, t = t2)
    datapaths_build(&nd->datapaths, nb, sb);
    LAP(DATAPATHS);
    ports_build(&nd->ports, &nd->datapaths, nb, sb);
    LAP(PORTS);
    gateways_build(&nd->gateways, &nd->datapaths, &nd->ports, sb);
    LAP(GATEWAYS);
    global_build(&nd->global, nb, sb, nd->datapaths.max_key);
    ls_ipam_build(&nd->ports, &nd->datapaths, nd->global.mac_prefix);
    mcast_build(&nd->mcast, &nd->datapaths);
    LAP(MCAST);
    sync_build(&nd->sync, nb, &nd->datapaths, &nd->ports,
               nd->global.svc_monitor_mac);
    LAP(SYNC);
    for (size_t i = 0; i < ARRAY_SIZE(lflow_builders); i++) {
        lflow_builders[i](nd, &nd->lflows);
    }
    LAP(LFLOWS);
#undef LAP
}

static void
write_sb(struct northd *nd, const struct ovsdb_client *nb,
         struct dbdiff *diff)
{
    datapaths_sync(&nd->datapaths, diff);
    ls_lb_sync(&nd->datapaths, diff);
    sync_write_dns(&nd->datapaths, diff);
    gateways_sync(&nd->gateways, diff);
    ports_sync(&nd->ports, diff, &nd->gateways);
    mcast_sync(&nd->mcast, &nd->datapaths, diff);
    sync_write(&nd->sync, nb, diff);
    global_sync_sb(&nd->global, nb, diff);
    lflow_sync(&nd->lflows, &nd->prev_lflows, &nd->datapaths, diff);
}

static void
note_sizes(struct northd *nd)
{
    struct northd_stats *s = &nd->stats;

    s->n_datapaths = nd->datapaths.n;
    s->n_ports = nd->ports.n;
    s->n_mcast_groups = nd->mcast.n_groups;
    s->n_lflows = lflow_table_count(&nd->lflows);
    s->n_lflow_duplicates = nd->lflows.n_duplicates;
    s->n_lflows_reused = nd->lflows.n_reused;
    s->n_address_sets = nd->sync.n_address_sets;
    s->n_port_groups = hmap_count(&nd->sync.port_groups);
    s->n_ha_groups = hmap_count(&nd->gateways.groups);
}

static void
note_changes(struct northd_stats *s, const struct dbdiff *sb_diff,
             const struct dbdiff *nb_diff)
{
    if (s->n_sb_tables != sb_diff->n_tables) {
        free(s->sb_last);
        free(s->sb_total);
        s->n_sb_tables = sb_diff->n_tables;
        s->sb_total = xcalloc(s->n_sb_tables + 1, sizeof *s->sb_total);
        s->sb_last = xcalloc(s->n_sb_tables + 1, sizeof *s->sb_last);
    }
    struct dbdiff_table_stats t;
    dbdiff_totals(sb_diff, &t);
    if (t.n_inserted || t.n_updated || t.n_deleted) {
        s->n_changing_runs++;
        memset(s->sb_last, 0, s->n_sb_tables * sizeof *s->sb_last);
        dbdiff_accumulate(sb_diff, s->sb_last);
        dbdiff_accumulate(sb_diff, s->sb_total);
    }
    dbdiff_totals(nb_diff, &s->nb_last);
    s->nb_total.n_inserted += s->nb_last.n_inserted;
    s->nb_total.n_updated += s->nb_last.n_updated;
    s->nb_total.n_deleted += s->nb_last.n_deleted;
}

static void
run_full(struct northd *nd, struct ovsdb_client *nb, struct ovsdb_client *sb,
         struct dbdiff *sb_diff, struct dbdiff *nb_diff)
{
    struct northd_stats *s = &nd->stats;
    long long t;

    if (nd->compiled) {
        compiled_destroy(nd, true);
    }
    nd->compiled = true;
    compute(nd, nb, sb, s->last_us);

    t = now_us();
    write_sb(nd, nb, sb_diff);
    s->last_us[NORTHD_PHASE_SB_WRITE] = now_us() - t;

    t = now_us();
    ports_sync_nb(&nd->ports, nb_diff);
    ls_ipam_sync_nb(&nd->ports, nb_diff);
    global_sync_nb(&nd->global, nb_diff, time_wall_msec());
    s->last_us[NORTHD_PHASE_NB_WRITE] = now_us() - t;
    incr_note_full(nd);
}

/* Remembers what 'sb_diff' writes: the echo the next run expects. */
static void
note_echo(struct northd_incr *in, const struct dbdiff *sb_diff)
{
    if (in->n_echo != sb_diff->n_tables) {
        free(in->echo);
        in->n_echo = sb_diff->n_tables;
        in->echo = xcalloc(in->n_echo + 1, sizeof *in->echo);
    }
    memset(in->echo, 0, in->n_echo * sizeof *in->echo);
    dbdiff_accumulate(sb_diff, in->echo);
}

enum northd_run_kind
northd_run(struct northd *nd, struct ovsdb_client *nb,
           struct ovsdb_client *sb, struct ovsdb_client_txn *nb_txn,
           struct ovsdb_client_txn *sb_txn, bool force)
{
    struct northd_stats *s = &nd->stats;
    struct dbdiff sb_diff, nb_diff;
    long long start = now_us();
    enum northd_run_kind kind;

    nd->nb = nb;
    nd->sb = sb;
    kind = force ? NORTHD_RUN_FULL : incr_classify(nd, nb, sb);
    dbdiff_init(&sb_diff, sb, sb_txn);
    dbdiff_init(&nb_diff, nb, nb_txn);
    if (kind == NORTHD_RUN_INCR && !incr_run(nd, &sb_diff, &nb_diff)) {
        kind = NORTHD_RUN_FULL;
    }
    if (kind == NORTHD_RUN_FULL) {
        run_full(nd, nb, sb, &sb_diff, &nb_diff);
        s->n_full++;
    } else if (kind == NORTHD_RUN_INCR) {
        memset(s->last_us, 0, sizeof s->last_us);
        s->n_incr++;
    } else {
        s->n_skipped++;
    }
    note_echo(&nd->incr, &sb_diff);
    if (kind != NORTHD_RUN_SKIP) {
        note_sizes(nd);
        note_changes(s, &sb_diff, &nb_diff);
    }
    dbdiff_destroy(&sb_diff);
    dbdiff_destroy(&nb_diff);
    nd->nb = nd->sb = NULL;

    s->n_runs++;
    s->last_kind = kind;
    s->last_run_wall_ms = time_wall_msec();
    s->last_total_us = now_us() - start;
    if (kind == NORTHD_RUN_INCR) {
        s->last_incr_us = s->last_total_us;
        if (s->last_incr_us > s->max_incr_us) {
            s->max_incr_us = s->last_incr_us;
        }
    }
    if (s->last_total_us > s->max_total_us) {
        s->max_total_us = s->last_total_us;
    }
    return kind;
}

void
northd_sb_txn_done(struct northd *nd, const struct ovsdb_client_txn *txn,
                   bool ok)
{
    if (!ok) {
        incr_forget(nd);
        memset(nd->incr.echo, 0, nd->incr.n_echo * sizeof *nd->incr.echo);
    } else if (txn) {
        incr_adopt(nd, txn);
    } else {
        /* Nothing was sent: no rows to adopt, no echo to expect. */
        nd->incr.adopt_all = nd->incr.adopt_sync = false;
        nd->incr.n_new_ports = nd->incr.n_new_flows = 0;
    }
}

void
northd_stats_clear(struct northd *nd)
{
    nd->stats.max_total_us = 0;
    nd->stats.max_incr_us = 0;
}

static void
format_changes(struct ds *out, const char *title,
               const struct dbdiff_table_stats *tables, size_t n,
               const struct ovsdb_client *sb)
{
    ds_put_format(out, "%s:\n", title);
    for (size_t i = 0; i < n; i++) {
        const struct dbdiff_table_stats *t = &tables[i];
        if (t->n_inserted || t->n_updated || t->n_deleted) {
            const struct ovsdb_client_table *table
                = ovsdb_client_get_table_by_index(sb, i);
            ds_put_format(out, "  %-20s inserted %llu, updated %llu, "
                          "deleted %llu\n", table->schema->name,
                          t->n_inserted, t->n_updated, t->n_deleted);
        }
    }
}

void
northd_stats_format(const struct northd *nd, const struct ovsdb_client *sb,
                    struct ds *out)
{
    const struct northd_stats *s = &nd->stats;
    char when[64] = "never";

    if (s->n_runs) {
        time_t secs = s->last_run_wall_ms / 1000;
        struct tm tm;
        gmtime_r(&secs, &tm);
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
        snprintf(when + strlen(when), sizeof when - strlen(when),
                 ".%03lldZ", s->last_run_wall_ms % 1000);
    }
    static const char *const kinds[] = {
        [NORTHD_RUN_SKIP] = "skipped", [NORTHD_RUN_INCR] = "incremental",
        [NORTHD_RUN_FULL] = "full",
    };
    ds_put_format(out, "recomputes: %llu\nlast recompute: %s\n",
                  s->n_runs, when);
    ds_put_format(out, "runs: full %llu, incremental %llu, skipped %llu; "
                  "last: %s\n", s->n_full, s->n_incr, s->n_skipped,
                  s->n_runs ? kinds[s->last_kind] : "none");
    ds_put_format(out, "last recompute time: %.3f ms (longest %.3f ms)\n",
                  s->last_total_us / 1000.0, s->max_total_us / 1000.0);
    ds_put_format(out, "last incremental run time: %.3f ms (longest "
                  "%.3f ms)\n", s->last_incr_us / 1000.0,
                  s->max_incr_us / 1000.0);
    for (int i = 0; i < NORTHD_N_PHASES; i++) {
        ds_put_format(out, "  %-10s %.3f ms\n", phase_names[i],
                      s->last_us[i] / 1000.0);
    }
    ds_put_format(out, "compiled: datapaths %zu, ports %zu, ha groups %zu, "
                  "multicast groups %zu, address sets %zu, port groups "
                  "%zu, logical flows %zu (duplicates %llu, unchanged "
                  "since the last run %zu)\n",
                  s->n_datapaths, s->n_ports, s->n_ha_groups,
                  s->n_mcast_groups, s->n_address_sets, s->n_port_groups,
                  s->n_lflows, s->n_lflow_duplicates, s->n_lflows_reused);
    if (s->n_sb_tables) {
        ds_put_format(out, "recomputes that changed southbound: %llu\n",
                      s->n_changing_runs);
        format_changes(out, "southbound rows written by the last of them",
                       s->sb_last, s->n_sb_tables, sb);
        format_changes(out, "southbound rows written since start",
                       s->sb_total, s->n_sb_tables, sb);
    }
    ds_put_format(out, "northbound rows written: last inserted %llu, "
                  "updated %llu; since start inserted %llu, updated %llu\n",
                  s->nb_last.n_inserted, s->nb_last.n_updated,
                  s->nb_total.n_inserted, s->nb_total.n_updated);
}
