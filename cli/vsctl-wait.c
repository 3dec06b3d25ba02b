/* weft-vsctl's reconfiguration wait, as ovs-vsctl does it.
 *
 * The switch daemon applies the database and then copies Open_vSwitch
 * next_cfg into cur_cfg.  Unless --no-wait is given, a run whose
 * transaction changes the database also adds 1 to next_cfg in the same
 * transaction (a run that changes nothing sends nothing), and after the
 * commit and the printing of the output waits until cur_cfg reaches the
 * new next_cfg: forever if no daemon runs, unless --timeout says
 * otherwise.  Then each interface the run created that has no OpenFlow
 * port number (ofport missing or -1) is reported on stderr, with its
 * "error" column, as ovs-vsctl does.
 *
 * Unlike ovs-vsctl 3.1, --dry-run never waits (ovs-vsctl waits for a
 * next_cfg that it did not commit). */
#include <stdio.h>
#include <stdlib.h>
#include "ovsdb/client-io.h"
#include "ovsdb/client-txn.h"
#include "ovsdb/ovsrec-idl.h"
#include "cli/vsctl-private.h"

struct vsctl_state *
vsctl_state(struct ctl_context *ctx)
{
    if (!ctx->aux) {
        ctx->aux = xzalloc(sizeof(struct vsctl_state));
    }
    return ctx->aux;
}

void
vsctl_expect_iface(struct ctl_context *ctx,
                   const struct ovsdb_client_row *iface)
{
    struct vsctl_state *st = vsctl_state(ctx);

    if (st->n_ifaces >= st->allocated_ifaces) {
        size_t n = st->allocated_ifaces ? 2 * st->allocated_ifaces : 8;
        st = xrealloc(st, sizeof *st + n * sizeof st->ifaces[0]);
        st->allocated_ifaces = n;
        ctx->aux = st;
    }
    st->ifaces[st->n_ifaces++] = iface;
}

void
vsctl_prerequisites(struct ctl_context *ctx)
{
    ctl_need_table(ctx, "Open_vSwitch");
}

void
vsctl_pre_commit(struct ctl_context *ctx)
{
    const struct ovsrec_open_vswitch *ovs;

    /* The rows recorded by an earlier attempt are gone with its
     * transaction. */
    vsctl_state(ctx)->n_ifaces = 0;
    ovs = ovsrec_open_vswitch_first(ctx->client);
    if (!ctx->no_wait && ovs) {
        ovsdb_client_txn_increment_if_changed(
            ctx->txn, &ovs->header_, OVSREC_OPEN_VSWITCH_COL_NEXT_CFG);
    }
}

static bool
cfg_reached(const struct ovsdb_client *client, void *next_cfg_)
{
    const long long *next_cfg = next_cfg_;
    const struct ovsrec_open_vswitch *ovs;

    OVSREC_OPEN_VSWITCH_FOR_EACH (ovs, client) {
        if (ovs->cur_cfg >= *next_cfg) {
            return true;
        }
    }
    return false;
}

/* Reports the interfaces this run created that the switch could not set
 * up. */
static void
check_ifaces(struct ctl_context *ctx)
{
    const struct vsctl_state *st = vsctl_state(ctx);
    const char *program = ctx->tool->program_name;
    bool any = false;

    for (size_t i = 0; i < st->n_ifaces; i++) {
        const struct uuid *uuid
            = ovsdb_client_txn_get_insert_uuid(ctx->txn, st->ifaces[i]);
        const struct ovsrec_interface *iface
            = uuid ? ovsrec_interface_get_for_uuid(ctx->client, uuid) : NULL;
        if (iface && (!iface->n_ofport || iface->ofport[0] == -1)) {
            fprintf(stderr, "%s: Error detected while setting up '%s'%s%s.  "
                    "See ovs-vswitchd log for details.\n", program,
                    iface->name, iface->error ? ": " : "",
                    iface->error ? iface->error : "");
            any = true;
        }
    }
    if (any) {
        const char *logdir = getenv("OVS_LOGDIR");
        fprintf(stderr, "%s: The default log directory is \"%s\".\n",
                program, logdir ? logdir : "/var/log/openvswitch");
    }
}

void
vsctl_post_commit(struct ctl_context *ctx)
{
    /* The increment goes only with changes, so SUCCESS means it went. */
    if (ctx->no_wait
        || ovsdb_client_txn_get_status(ctx->txn) != OVSDB_TXN_SUCCESS) {
        return;
    }

    long long next_cfg = ovsdb_client_txn_get_increment_new_value(ctx->txn);
    int error = ovsdb_client_sync_wait_until(ctx->client, cfg_reached,
                                             &next_cfg, 0);
    if (error) {
        ctl_error(ctx, "waiting for the switch to reconfigure: %s",
                  util_strerror(error));
        return;
    }
    check_ifaces(ctx);
}
