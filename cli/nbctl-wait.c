/* weft-nbctl's "sync" command and its --wait=none|sb|hv, as ovn-nbctl
 * 23.03 does them (docs/nbctl-facts.md, section 8).
 *
 * northd copies NB_Global nb_cfg into sb_cfg once the southbound database
 * reflects the northbound one, and into hv_cfg once every chassis has
 * caught up too (stamping nb_cfg_timestamp when it starts, sb_cfg_timestamp
 * and hv_cfg_timestamp when each is reached).  With --wait=sb or hv, a run
 * whose transaction changes the database also adds 1 to nb_cfg in the same
 * transaction (an NB_Global row the run creates starts at 0 and so gets 1);
 * "sync" makes the run add 1 even when nothing else changes.  After the
 * commit and the printing of the output, the run waits until sb_cfg (and
 * for hv also hv_cfg) reaches the new nb_cfg: forever if nothing bumps
 * them, unless --timeout ends the process with SIGALRM.  Runs that change
 * nothing, --wait=none (the default), --no-wait and --dry-run neither bump
 * nb_cfg nor wait.
 *
 * --print-wait-time, after a wait, prints how long northd (and the
 * chassis) took, each timestamp less the wall-clock time at which the
 * transaction was built:
 *
 *     Time spent on processing nb_cfg 4:
 *     \tovn-northd delay before processing:\t5ms
 *     \tovn-northd completion:\t\t\t9ms
 *     \tovn-controller(s) completion:\t\t12ms      (--wait=hv only)
 *
 * A timestamp that nobody wrote (0) gives a large negative number, as with
 * ovn-nbctl. */
#include <stdio.h>
#include <string.h>
#include "util.h"
#include "ovsdb/client-io.h"
#include "ovsdb/client-txn.h"
#include "cli/nbctl-private.h"

/* weft-nbctl's 'ctx->aux'. */
struct nbctl_wait_state {
    bool sync;                  /* A "sync" command is in the run. */
    long long start_msec;       /* Wall clock when the last attempt's
                                 * transaction was built. */
};

static struct nbctl_wait_state *
wait_state(struct ctl_context *ctx)
{
    if (!ctx->aux) {
        ctx->aux = xzalloc(sizeof(struct nbctl_wait_state));
    }
    return ctx->aux;
}

/* Is a wait for northd asked for? */
static bool
waiting(const struct ctl_context *ctx)
{
    return ctx->wait && strcmp(ctx->wait, "none");
}

void
nbctl_wait_prerequisites(struct ctl_context *ctx)
{
    if (waiting(ctx)) {
        ctl_need_columns(ctx, "NB_Global",
                         "nb_cfg,sb_cfg,hv_cfg,nb_cfg_timestamp,"
                         "sb_cfg_timestamp,hv_cfg_timestamp");
    }
}

void
nbctl_wait_pre_commit(struct ctl_context *ctx)
{
    struct nbctl_wait_state *st = wait_state(ctx);
    const struct nbrec_nb_global *nb = nbrec_nb_global_first(ctx->client);

    st->start_msec = time_wall_msec();
    if (!waiting(ctx) || !nb) {
        return;
    }
    if (st->sync) {
        ovsdb_client_txn_increment(ctx->txn, &nb->header_,
                                   NBREC_NB_GLOBAL_COL_NB_CFG);
    } else {
        ovsdb_client_txn_increment_if_changed(ctx->txn, &nb->header_,
                                              NBREC_NB_GLOBAL_COL_NB_CFG);
    }
}

/* What the wait waits for. */
struct wait_target {
    long long next_cfg;         /* The nb_cfg this run committed. */
    bool hv;                    /* Also hv_cfg, not only sb_cfg. */
};

static bool
cfg_reached(const struct ovsdb_client *client, void *target_)
{
    const struct wait_target *target = target_;
    const struct nbrec_nb_global *nb = nbrec_nb_global_first(client);

    return nb && nb->sb_cfg >= target->next_cfg
           && (!target->hv || nb->hv_cfg >= target->next_cfg);
}

static void
print_wait_time(const struct nbrec_nb_global *nb, long long next_cfg,
                long long start, bool hv)
{
    printf("Time spent on processing nb_cfg %lld:\n"
           "\tovn-northd delay before processing:\t%lldms\n"
           "\tovn-northd completion:\t\t\t%lldms\n",
           next_cfg, (long long) nb->nb_cfg_timestamp - start,
           (long long) nb->sb_cfg_timestamp - start);
    if (hv) {
        printf("\tovn-controller(s) completion:\t\t%lldms\n",
               (long long) nb->hv_cfg_timestamp - start);
    }
    fflush(stdout);
}

void
nbctl_wait_post_commit(struct ctl_context *ctx)
{
    /* The increment goes with every transaction sent while waiting is
     * asked for, so SUCCESS means it went. */
    if (!waiting(ctx)
        || ovsdb_client_txn_get_status(ctx->txn) != OVSDB_TXN_SUCCESS) {
        return;
    }

    struct wait_target target = {
        .next_cfg = ovsdb_client_txn_get_increment_new_value(ctx->txn),
        .hv = !strcmp(ctx->wait, "hv"),
    };
    int error = ovsdb_client_sync_wait_until(ctx->client, cfg_reached,
                                             &target, 0);
    if (error) {
        ctl_error(ctx, "waiting for ovn-northd: %s", util_strerror(error));
        return;
    }
    if (ctx->print_wait_time) {
        print_wait_time(nbrec_nb_global_first(ctx->client), target.next_cfg,
                        wait_state(ctx)->start_msec, target.hv);
    }
}

/* sync: makes --wait wait even if nothing else changes. */
static void
pre_sync(struct ctl_context *ctx)
{
    wait_state(ctx)->sync = true;
}

static void
cmd_sync(struct ctl_context *ctx OVS_UNUSED)
{
}

const struct ctl_command_syntax nbctl_wait_commands[] = {
    { "sync", 0, 0, "", pre_sync, cmd_sync, NULL, "", CTL_RO },
};

const size_t nbctl_n_wait_commands = ARRAY_SIZE(nbctl_wait_commands);
