/* weft-vsctl: manager, controller, fail-mode and SSL commands, as
 * ovs-vsctl 3.1 has them.  A fake (VLAN) bridge shows its parent's
 * controllers and fail mode but cannot change them. */
#include <limits.h>
#include <string.h>
#include "ds.h"
#include "util.h"
#include "cli/db-ctl-conn.h"
#include "cli/vsctl-cache.h"
#include "cli/vsctl-private.h"
#include "ovsdb/ovsrec-idl.h"

static void
pre_conn(struct ctl_context *ctx)
{
    vsctl_cache_prerequisites(ctx);
    ctl_need_columns(ctx, "Open_vSwitch", "manager_options,ssl");
    ctl_need_columns(ctx, "Bridge", "controller,fail_mode");
    ctl_need_table(ctx, "Manager");
    ctl_need_table(ctx, "Controller");
    ctl_need_table(ctx, "SSL");
}

/* The Open_vSwitch row, or NULL after ctl_error(). */
static const struct ovsdb_client_row *
ovs_row(struct ctl_context *ctx)
{
    const struct ovsrec_open_vswitch *ovs
        = ovsrec_open_vswitch_first(ctx->client);
    if (!ovs) {
        ctl_error(ctx, "database contains no Open_vSwitch row");
        return NULL;
    }
    return &ovs->header_;
}

/* The bridge named by argv[1]: with 'must_be_real', a fake bridge is an
 * error; otherwise a fake bridge stands for its parent.  NULL after
 * ctl_error(). */
static const struct ovsrec_bridge *
bridge_arg(struct ctl_context *ctx, bool must_be_real)
{
    struct vsctl_cache cache;
    const struct ovsrec_bridge *real = NULL;

    vsctl_cache_init(&cache, ctx);
    const struct vsctl_bridge *br = vsctl_cache_find_bridge(&cache, ctx,
                                                            ctx->argv[1],
                                                            true);
    if (br && must_be_real && br->parent) {
        ctl_error(ctx, "%s is a fake bridge", ctx->argv[1]);
    } else if (br) {
        real = vsctl_bridge_real(br);
    }
    vsctl_cache_destroy(&cache);
    return real;
}

static void
cmd_get_manager(struct ctl_context *ctx)
{
    const struct ovsdb_client_row *ovs = ovs_row(ctx);
    if (ovs) {
        ctl_conn_get(ctx, ovs, "manager_options", CTL_CONN_TARGET);
    }
}

static void
cmd_del_manager(struct ctl_context *ctx)
{
    const struct ovsdb_client_row *ovs = ovs_row(ctx);
    if (ovs) {
        ctl_conn_del(ctx, ovs, "manager_options");
    }
}

static void
cmd_set_manager(struct ctl_context *ctx)
{
    const struct ovsdb_client_row *ovs = ovs_row(ctx);
    if (ovs) {
        ctl_conn_set(ctx, ovs, "manager_options", "Manager", &ctx->argv[1],
                     ctx->argc - 1, ctx->tool->log_module);
    }
}

static void
cmd_get_controller(struct ctl_context *ctx)
{
    const struct ovsrec_bridge *br = bridge_arg(ctx, false);
    if (br) {
        ctl_conn_get(ctx, &br->header_, "controller", CTL_CONN_TARGET);
    }
}

static void
cmd_del_controller(struct ctl_context *ctx)
{
    const struct ovsrec_bridge *br = bridge_arg(ctx, true);
    if (br) {
        ctl_conn_del(ctx, &br->header_, "controller");
    }
}

static void
cmd_set_controller(struct ctl_context *ctx)
{
    const struct ovsrec_bridge *br = bridge_arg(ctx, true);
    if (br) {
        ctl_conn_set(ctx, &br->header_, "controller", "Controller",
                     &ctx->argv[2], ctx->argc - 2, ctx->tool->log_module);
    }
}

static void
cmd_get_fail_mode(struct ctl_context *ctx)
{
    const struct ovsrec_bridge *br = bridge_arg(ctx, false);
    if (br && br->fail_mode) {
        ds_put_format(ctx->output, "%s\n", br->fail_mode);
    }
}

static void
cmd_del_fail_mode(struct ctl_context *ctx)
{
    const struct ovsrec_bridge *br = bridge_arg(ctx, true);
    if (br) {
        ovsrec_bridge_set_fail_mode(ctx->txn, br, NULL);
    }
}

static void
cmd_set_fail_mode(struct ctl_context *ctx)
{
    const char *mode = ctx->argv[2];
    const struct ovsrec_bridge *br = bridge_arg(ctx, true);

    if (!br) {
        return;
    }
    if (strcmp(mode, "standalone") && strcmp(mode, "secure")) {
        ctl_error(ctx, "fail-mode must be \"standalone\" or \"secure\"");
        return;
    }
    ovsrec_bridge_set_fail_mode(ctx->txn, br, mode);
}

static void
cmd_get_ssl(struct ctl_context *ctx)
{
    const struct ovsdb_client_row *ovs = ovs_row(ctx);
    if (ovs) {
        ctl_ssl_get(ctx, ovs);
    }
}

static void
cmd_del_ssl(struct ctl_context *ctx)
{
    const struct ovsdb_client_row *ovs = ovs_row(ctx);
    if (ovs) {
        ctl_ssl_del(ctx, ovs);
    }
}

static void
cmd_set_ssl(struct ctl_context *ctx)
{
    const struct ovsdb_client_row *ovs = ovs_row(ctx);
    if (ovs) {
        ctl_ssl_set(ctx, ovs, &ctx->argv[1], ctx->argc - 1,
                    ctl_has_option(ctx, "--bootstrap"));
    }
}

const struct ctl_command_syntax vsctl_conn_commands[] = {
    { "get-controller", 1, 1, "BRIDGE", pre_conn, cmd_get_controller, NULL,
      "", CTL_RO },
    { "del-controller", 1, 1, "BRIDGE", pre_conn, cmd_del_controller, NULL,
      "", CTL_RW },
    { "set-controller", 1, INT_MAX, "BRIDGE TARGET...", pre_conn,
      cmd_set_controller, NULL, "--inactivity-probe=", CTL_RW },
    { "get-fail-mode", 1, 1, "BRIDGE", pre_conn, cmd_get_fail_mode, NULL,
      "", CTL_RO },
    { "del-fail-mode", 1, 1, "BRIDGE", pre_conn, cmd_del_fail_mode, NULL,
      "", CTL_RW },
    { "set-fail-mode", 2, 2, "BRIDGE MODE", pre_conn, cmd_set_fail_mode,
      NULL, "", CTL_RW },
    { "get-manager", 0, 0, "", pre_conn, cmd_get_manager, NULL, "",
      CTL_RO },
    { "del-manager", 0, 0, "", pre_conn, cmd_del_manager, NULL, "",
      CTL_RW },
    { "set-manager", 1, INT_MAX, "TARGET...", pre_conn, cmd_set_manager,
      NULL, "--inactivity-probe=", CTL_RW },
    { "get-ssl", 0, 0, "", pre_conn, cmd_get_ssl, NULL, "", CTL_RO },
    { "del-ssl", 0, 0, "", pre_conn, cmd_del_ssl, NULL, "", CTL_RW },
    { "set-ssl", 3, 3, "PRIV-KEY CERT CA-CERT", pre_conn, cmd_set_ssl, NULL,
      "--bootstrap", CTL_RW },
};

const size_t vsctl_n_conn_commands = ARRAY_SIZE(vsctl_conn_commands);
