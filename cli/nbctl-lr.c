/* weft-nbctl: logical routers and their ports (lr-*, lrp-*), including
 * gateway chassis, as ovn-nbctl 23.03 has them. */
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "ds.h"
#include "packets.h"
#include "util.h"
#include "ovsdb/client-txn.h"
#include "cli/nbctl-private.h"

/* lr-add, lr-del, lr-list: router names. */
static void
pre_lr_names(struct ctl_context *ctx)
{
    ctl_need_columns(ctx, "Logical_Router", "name");
}

static void
pre_lr(struct ctl_context *ctx)
{
    nbctl_need_tables(ctx, "Logical_Router,Logical_Router_Port,"
                           "Gateway_Chassis");
}

/* lr-add [ROUTER] */
static void
cmd_lr_add(struct ctl_context *ctx)
{
    nbctl_add_named_row(ctx, "Logical_Router", "router");
}

/* lr-del ROUTER */
static void
cmd_lr_del(struct ctl_context *ctx)
{
    const struct nbrec_logical_router *lr = nbctl_lr_lookup(
        ctx, ctx->argv[1], !ctl_has_option(ctx, "--if-exists"));
    if (lr) {
        nbrec_logical_router_delete(ctx->txn, lr);
    }
}

/* lr-list */
static void
cmd_lr_list(struct ctl_context *ctx)
{
    nbctl_list_named_rows(ctx, "Logical_Router");
}

/* Returns the networks as sorted "PREFIX/PLEN" strings with the host bits
 * cleared ("10.0.0.1/24" -> "10.0.0.0/24"); unparsable ones are kept as
 * they are.  The caller frees the strings and the array. */
static char **
normalize_networks(char *const *networks, size_t n)
{
    char **out = xcalloc(n + 1, sizeof *out);

    for (size_t i = 0; i < n; i++) {
        struct in6_addr ip;
        unsigned int plen;
        char *error = ip_parse_cidr(networks[i], &ip, &plen);
        if (error) {
            free(error);
            out[i] = xstrdup(networks[i]);
        } else {
            struct ds ds = DS_EMPTY_INITIALIZER;
            ip_apply_plen(&ip, plen);
            ip_format_cidr(&ip, plen, &ds);
            out[i] = ds_steal_cstr(&ds);
        }
    }
    qsort(out, n, sizeof *out, str_compare_ptrs);
    return out;
}

/* Are the 'n' networks the same subnets, as a set, as those of 'lrp'?
 * (ovn-nbctl compares subnets, not addresses.) */
static bool
same_networks(const struct nbrec_logical_router_port *lrp,
              char **networks, size_t n)
{
    if (n != lrp->n_networks) {
        return false;
    }
    char **a = normalize_networks(networks, n);
    char **b = normalize_networks((char *const *) lrp->networks, n);
    bool same = true;
    for (size_t i = 0; i < n; i++) {
        same = same && !strcmp(a[i], b[i]);
        free(a[i]);
        free(b[i]);
    }
    free(a);
    free(b);
    return same;
}

/* Do 'a' and 'b' name the same Ethernet address (whatever the case)? */
static bool
same_mac(const char *a, const char *b)
{
    struct eth_addr ea, eb;
    return (eth_addr_from_string(a, &ea) && eth_addr_from_string(b, &eb)
            ? !memcmp(&ea, &eb, sizeof ea) : !strcmp(a, b));
}

/* Checks "lrp-add --may-exist" against the port that exists already. */
static void
check_existing_lrp(struct ctl_context *ctx,
                   const struct nbrec_logical_router *lr,
                   const struct nbrec_logical_router_port *lrp,
                   const char *mac, char **networks, size_t n_networks,
                   const char *peer)
{
    const char *name = ctx->argv[2];
    const struct nbrec_logical_router *lr_found = nbctl_lrp_to_lr(ctx, lrp);

    if (!lr_found) {
        return;
    }
    if (lr_found != lr) {
        ctl_error(ctx, "%s: port already exists but in router %s", name,
                  lr_found->name);
    } else if (!same_mac(mac, lrp->mac)) {
        ctl_error(ctx, "%s: port already exists with mac %s", name,
                  lrp->mac);
    } else if (!same_networks(lrp, networks, n_networks)) {
        ctl_error(ctx, "%s: port already exists with different network",
                  name);
    } else if (!peer != !lrp->peer || (peer && strcmp(peer, lrp->peer))) {
        ctl_error(ctx, "%s: port already exists with mismatching peer",
                  name);
    }
}

/* lrp-add ROUTER PORT MAC NETWORK... [COLUMN[:KEY]=VALUE]... */
static void
cmd_lrp_add(struct ctl_context *ctx)
{
    bool may_exist = ctl_has_option(ctx, "--may-exist");
    const struct nbrec_logical_router *lr = nbctl_lr_lookup(ctx,
                                                            ctx->argv[1],
                                                            true);
    if (!lr) {
        return;
    }

    const char *name = ctx->argv[2];
    const char *mac = ctx->argv[3];
    char **networks = &ctx->argv[4];
    int n_networks = 0;
    while (4 + n_networks < ctx->argc
           && !strchr(ctx->argv[4 + n_networks], '=')) {
        n_networks++;
    }
    char **settings = &ctx->argv[4 + n_networks];
    int n_settings = ctx->argc - 4 - n_networks;
    const char *peer = NULL;
    for (int i = 0; i < n_settings; i++) {
        if (str_startswith(settings[i], "peer=")) {
            peer = settings[i] + 5;
        }
    }
    if (!n_networks) {
        ctl_error(ctx, "%s: router port requires specifying a network",
                  name);
        return;
    }

    const struct nbrec_logical_router_port *lrp = nbctl_lrp_lookup(
        ctx, name, false);
    if (lrp) {
        if (!may_exist) {
            ctl_error(ctx, "%s: a port with this name already exists",
                      name);
        } else {
            check_existing_lrp(ctx, lr, lrp, mac, networks, n_networks,
                               peer);
        }
        return;
    }

    struct eth_addr ea;
    if (!eth_addr_from_string(mac, &ea)) {
        ctl_error(ctx, "%s: invalid mac address %s", name, mac);
        return;
    }
    for (int i = 0; i < n_networks; i++) {
        if (!ip_is_cidr(networks[i])) {
            ctl_error(ctx, "%s: invalid network address: %s", name,
                      networks[i]);
            return;
        }
    }

    lrp = nbrec_logical_router_port_insert(ctx->txn);
    nbrec_logical_router_port_set_name(ctx->txn, lrp, name);
    nbrec_logical_router_port_set_mac(ctx->txn, lrp, mac);
    nbrec_logical_router_port_set_networks(ctx->txn, lrp,
                                           (const char **) networks,
                                           n_networks);
    for (int i = 0; i < n_settings && !ctx->error; i++) {
        ctl_set_column(ctx, &lrp->header_, settings[i], true);
    }
    nbrec_logical_router_update_ports_addvalue(ctx->txn, lr, lrp);
}

/* lrp-del PORT */
static void
cmd_lrp_del(struct ctl_context *ctx)
{
    const struct nbrec_logical_router_port *lrp = nbctl_lrp_lookup(
        ctx, ctx->argv[1], !ctl_has_option(ctx, "--if-exists"));
    if (!lrp) {
        return;
    }
    const struct nbrec_logical_router *lr = nbctl_lrp_to_lr(ctx, lrp);
    if (lr) {
        nbrec_logical_router_update_ports_delvalue(ctx->txn, lr, lrp);
        nbrec_logical_router_port_delete(ctx->txn, lrp);
    }
}

/* lrp-list ROUTER */
static void
cmd_lrp_list(struct ctl_context *ctx)
{
    const struct nbrec_logical_router *lr = nbctl_lr_lookup(ctx,
                                                            ctx->argv[1],
                                                            true);
    if (!lr) {
        return;
    }
    struct nbctl_named_row *rows = xcalloc(lr->n_ports + 1, sizeof *rows);
    for (size_t i = 0; i < lr->n_ports; i++) {
        rows[i].uuid = &lr->ports[i]->header_.uuid;
        rows[i].name = lr->ports[i]->name;
    }
    nbctl_print_named_rows(rows, lr->n_ports, ctx->output);
    free(rows);
}

static const struct nbrec_logical_router_port *
get_lrp(struct ctl_context *ctx)
{
    return nbctl_lrp_lookup(ctx, ctx->argv[1], true);
}

static void
cmd_lrp_set_enabled(struct ctl_context *ctx)
{
    const struct nbrec_logical_router_port *lrp = get_lrp(ctx);
    bool enabled;

    if (lrp && nbctl_parse_enabled(ctx, ctx->argv[2], &enabled)) {
        nbrec_logical_router_port_set_enabled(ctx->txn, lrp, &enabled, 1);
    }
}

static void
cmd_lrp_get_enabled(struct ctl_context *ctx)
{
    const struct nbrec_logical_router_port *lrp = get_lrp(ctx);
    if (lrp) {
        ds_put_format(ctx->output, "%s\n",
                      !lrp->n_enabled || *lrp->enabled ? "enabled"
                                                       : "disabled");
    }
}

static void
cmd_lrp_set_options(struct ctl_context *ctx)
{
    const struct nbrec_logical_router_port *lrp = get_lrp(ctx);
    char **keys, **values;

    if (lrp) {
        size_t n = nbctl_parse_options(ctx, 2, &keys, &values);
        nbrec_logical_router_port_set_options(ctx->txn, lrp,
                                              (const char **) keys,
                                              (const char **) values, n);
        nbctl_free_options(keys, values, n);
    }
}

/* Gateway chassis.  A port's Gateway_Chassis rows are named
 * "PORT-CHASSIS". */

static char *
gateway_chassis_name(const char *port, const char *chassis)
{
    return xasprintf("%s-%s", port, chassis);
}

/* lrp-set-gateway-chassis PORT CHASSIS [PRIORITY] */
static void
cmd_lrp_set_gateway_chassis(struct ctl_context *ctx)
{
    const struct nbrec_logical_router_port *lrp = get_lrp(ctx);
    int64_t prio = 0;

    if (!lrp || (ctx->argc == 4
                 && !nbctl_parse_priority(ctx, ctx->argv[3], &prio))) {
        return;
    }

    const char *chassis = ctx->argv[2];
    char *name = gateway_chassis_name(lrp->name, chassis);
    for (size_t i = 0; i < lrp->n_gateway_chassis; i++) {
        const struct nbrec_gateway_chassis *gc = lrp->gateway_chassis[i];
        if (!strcmp(gc->name, name)) {
            /* Already there: just update the priority. */
            nbrec_gateway_chassis_set_priority(ctx->txn, gc, prio);
            free(name);
            return;
        }
    }

    const struct nbrec_gateway_chassis *gc
        = nbrec_gateway_chassis_insert(ctx->txn);
    nbrec_gateway_chassis_set_name(ctx->txn, gc, name);
    nbrec_gateway_chassis_set_chassis_name(ctx->txn, gc, chassis);
    nbrec_gateway_chassis_set_priority(ctx->txn, gc, prio);
    nbrec_logical_router_port_update_gateway_chassis_addvalue(ctx->txn, lrp,
                                                              gc);
    free(name);
}

/* lrp-del-gateway-chassis PORT CHASSIS */
static void
cmd_lrp_del_gateway_chassis(struct ctl_context *ctx)
{
    const struct nbrec_logical_router_port *lrp = get_lrp(ctx);
    if (!lrp) {
        return;
    }
    char *name = gateway_chassis_name(lrp->name, ctx->argv[2]);
    for (size_t i = 0; i < lrp->n_gateway_chassis; i++) {
        const struct nbrec_gateway_chassis *gc = lrp->gateway_chassis[i];
        if (!strcmp(gc->name, name)) {
            nbrec_logical_router_port_update_gateway_chassis_delvalue(
                ctx->txn, lrp, gc);
            nbrec_gateway_chassis_delete(ctx->txn, gc);
            free(name);
            return;
        }
    }
    ctl_error(ctx, "chassis %s is not added to logical port %s",
              ctx->argv[2], ctx->argv[1]);
    free(name);
}

static int
compare_gateway_chassis(const void *a_, const void *b_)
{
    const struct nbrec_gateway_chassis *const *a = a_;
    const struct nbrec_gateway_chassis *const *b = b_;

    /* Highest priority first; ties in reverse name order, as ovn-nbctl
     * lists them. */
    if ((*a)->priority != (*b)->priority) {
        return (*a)->priority > (*b)->priority ? -1 : 1;
    }
    return strcmp((*b)->name, (*a)->name);
}

const struct nbrec_gateway_chassis **
nbctl_sorted_gateway_chassis(const struct nbrec_logical_router_port *lrp)
{
    size_t n = lrp->n_gateway_chassis;
    const struct nbrec_gateway_chassis **gcs
        = nbctl_copy_array(lrp->gateway_chassis, n, sizeof *gcs);
    qsort(gcs, n, sizeof *gcs, compare_gateway_chassis);
    return gcs;
}

/* lrp-get-gateway-chassis PORT: "NAME PRIORITY" lines. */
static void
cmd_lrp_get_gateway_chassis(struct ctl_context *ctx)
{
    const struct nbrec_logical_router_port *lrp = get_lrp(ctx);
    if (!lrp) {
        return;
    }
    const struct nbrec_gateway_chassis **gcs
        = nbctl_sorted_gateway_chassis(lrp);
    for (size_t i = 0; i < lrp->n_gateway_chassis; i++) {
        ds_put_format(ctx->output, "%s %5"PRId64"\n", gcs[i]->name,
                      gcs[i]->priority);
    }
    free(gcs);
}

const struct ctl_command_syntax nbctl_lr_commands[] = {
    { "lr-add", 0, 1, "[ROUTER]", pre_lr_names, cmd_lr_add, NULL,
      "--may-exist,--add-duplicate", CTL_RW },
    { "lr-del", 1, 1, "ROUTER", pre_lr_names, cmd_lr_del, NULL,
      "--if-exists", CTL_RW },
    { "lr-list", 0, 0, "", pre_lr_names, cmd_lr_list, NULL, "", CTL_RO },
    { "lrp-add", 4, INT_MAX,
      "ROUTER PORT MAC NETWORK... [COLUMN[:KEY]=VALUE]...", pre_lr,
      cmd_lrp_add, NULL, "--may-exist", CTL_RW },
    { "lrp-del", 1, 1, "PORT", pre_lr, cmd_lrp_del, NULL, "--if-exists",
      CTL_RW },
    { "lrp-list", 1, 1, "ROUTER", pre_lr, cmd_lrp_list, NULL, "", CTL_RO },
    { "lrp-set-enabled", 2, 2, "PORT STATE", pre_lr, cmd_lrp_set_enabled,
      NULL, "", CTL_RW },
    { "lrp-get-enabled", 1, 1, "PORT", pre_lr, cmd_lrp_get_enabled, NULL,
      "", CTL_RO },
    { "lrp-set-options", 1, INT_MAX, "PORT KEY=VALUE [KEY=VALUE]...",
      pre_lr, cmd_lrp_set_options, NULL, "", CTL_RW },
    { "lrp-set-gateway-chassis", 2, 3, "PORT CHASSIS [PRIORITY]", pre_lr,
      cmd_lrp_set_gateway_chassis, NULL, "", CTL_RW },
    { "lrp-del-gateway-chassis", 2, 2, "PORT CHASSIS", pre_lr,
      cmd_lrp_del_gateway_chassis, NULL, "", CTL_RW },
    { "lrp-get-gateway-chassis", 1, 1, "PORT", pre_lr,
      cmd_lrp_get_gateway_chassis, NULL, "", CTL_RO },
};

const size_t nbctl_n_lr_commands = ARRAY_SIZE(nbctl_lr_commands);
