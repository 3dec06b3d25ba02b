/* weft-nbctl show: the northbound topology as ovn-nbctl 23.03 prints it.
 *
 *     switch UUID (NAME) [(aka NEUTRON-NAME)]
 *         port NAME [(aka NEUTRON-NAME)]
 *             type: TYPE          (each line only when set)
 *             parent: PARENT
 *             tag: TAG
 *             addresses: ["MAC IP", ...]
 *             router-port: LRP
 *     router UUID (NAME) [(aka NEUTRON-NAME)]
 *         port NAME
 *             mac: "MAC"
 *             networks: ["CIDR", ...]
 *             gateway chassis: [CHASSIS ...]
 *         nat UUID
 *             external ip: "IP"
 *             external port(s): "RANGE"
 *             logical ip: "IP"
 *             type: "TYPE"
 *
 * Switches and routers come in table order, their ports, gateway chassis
 * and NAT rules in the order of the referencing column (by UUID), as
 * ovn-nbctl's IDL gives them. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "ds.h"
#include "util.h"
#include "cli/nbctl-private.h"

static void
pre_show(struct ctl_context *ctx)
{
    nbctl_need_tables(ctx, "Logical_Switch,Logical_Switch_Port,"
                           "Logical_Router,Logical_Router_Port,"
                           "Gateway_Chassis,NAT");
}

static void
put_aka(struct ds *out, const struct ovsdb_datum *external_ids,
        const char *key)
{
    const char *aka = ovsdb_client_smap_get(external_ids, key);
    if (aka) {
        ds_put_format(out, " (aka %s)", aka);
    }
}

/* "KIND UUID (NAME)[ (aka X)]\n", X being external_ids:'aka_key'. */
static void
put_header(struct ds *out, const char *kind,
           const struct ovsdb_client_row *row, const char *name,
           const struct ovsdb_datum *external_ids, const char *aka_key)
{
    ds_put_format(out, "%s "UUID_FMT" (%s)", kind, UUID_ARGS(&row->uuid),
                  name);
    put_aka(out, external_ids, aka_key);
    ds_put_char(out, '\n');
}

/* Appends 'LABEL"a", "b"]' for the 'n' strings, if there are any. */
static void
put_quoted_list(struct ds *out, const char *label, const char *const *strings,
                size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ds_put_format(out, "%s\"%s\"", i ? ", " : label, strings[i]);
    }
    if (n) {
        ds_put_cstr(out, "]\n");
    }
}

static void
print_lsp(struct ds *out, const struct nbrec_logical_switch_port *lsp)
{
    ds_put_format(out, "    port %s", lsp->name);
    put_aka(out, lsp->external_ids, "neutron:port_name");
    ds_put_char(out, '\n');
    if (lsp->type[0]) {
        ds_put_format(out, "        type: %s\n", lsp->type);
    }
    if (lsp->parent_name) {
        ds_put_format(out, "        parent: %s\n", lsp->parent_name);
    }
    if (lsp->n_tag) {
        ds_put_format(out, "        tag: %"PRId64"\n", lsp->tag[0]);
    }
    /* A router port's lone "router" address goes unsaid. */
    if (!(lsp->n_addresses == 1 && !strcmp(lsp->addresses[0], "router"))) {
        put_quoted_list(out, "        addresses: [", lsp->addresses,
                        lsp->n_addresses);
    }
    const char *router_port = ovsdb_client_smap_get(lsp->options,
                                                    "router-port");
    if (router_port) {
        ds_put_format(out, "        router-port: %s\n", router_port);
    }
}

static void
print_ls(struct ds *out, const struct nbrec_logical_switch *ls)
{
    put_header(out, "switch", &ls->header_, ls->name, ls->external_ids,
               "neutron:network_name");
    for (size_t i = 0; i < ls->n_ports; i++) {
        print_lsp(out, ls->ports[i]);
    }
}

static void
print_lrp(struct ds *out, const struct nbrec_logical_router_port *lrp)
{
    ds_put_format(out, "    port %s\n", lrp->name);
    ds_put_format(out, "        mac: \"%s\"\n", lrp->mac);
    put_quoted_list(out, "        networks: [", lrp->networks,
                    lrp->n_networks);
    if (lrp->n_gateway_chassis) {
        /* In column (UUID) order, not by priority, as ovn-nbctl does. */
        ds_put_cstr(out, "        gateway chassis: [");
        for (size_t i = 0; i < lrp->n_gateway_chassis; i++) {
            ds_put_format(out, "%s%s", i ? " " : "",
                          lrp->gateway_chassis[i]->chassis_name);
        }
        ds_put_cstr(out, "]\n");
    }
}

static void
print_nat(struct ds *out, const struct nbrec_nat *nat)
{
    ds_put_format(out, "    nat "UUID_FMT"\n", UUID_ARGS(&nat->header_.uuid));
    ds_put_format(out, "        external ip: \"%s\"\n", nat->external_ip);
    if (nat->external_port_range[0]) {
        ds_put_format(out, "        external port(s): \"%s\"\n",
                      nat->external_port_range);
    }
    ds_put_format(out, "        logical ip: \"%s\"\n", nat->logical_ip);
    ds_put_format(out, "        type: \"%s\"\n", nat->type);
}

static void
print_lr(struct ds *out, const struct nbrec_logical_router *lr)
{
    put_header(out, "router", &lr->header_, lr->name, lr->external_ids,
               "neutron:router_name");
    for (size_t i = 0; i < lr->n_ports; i++) {
        print_lrp(out, lr->ports[i]);
    }
    for (size_t i = 0; i < lr->n_nat; i++) {
        print_nat(out, lr->nat[i]);
    }
}

/* show [SWITCH|ROUTER] */
static void
cmd_show(struct ctl_context *ctx)
{
    if (ctx->argc == 2) {
        /* A name may be a switch's and a router's: both are shown. */
        const struct nbrec_logical_switch *ls
            = nbctl_ls_lookup(ctx, ctx->argv[1], false);
        const struct nbrec_logical_router *lr
            = ctx->error ? NULL : nbctl_lr_lookup(ctx, ctx->argv[1], false);
        if (ls) {
            print_ls(ctx->output, ls);
        }
        if (lr) {
            print_lr(ctx->output, lr);
        }
        return;
    }

    const struct nbrec_logical_switch *ls;
    NBREC_LOGICAL_SWITCH_FOR_EACH (ls, ctx->client) {
        print_ls(ctx->output, ls);
    }
    const struct nbrec_logical_router *lr;
    NBREC_LOGICAL_ROUTER_FOR_EACH (lr, ctx->client) {
        print_lr(ctx->output, lr);
    }
}

/* init: the NB_Global row every run creates when missing is all it takes
 * (see 'singleton_table' in nbctl.c). */
static void
cmd_init(struct ctl_context *ctx OVS_UNUSED)
{
}

const struct ctl_command_syntax nbctl_show_commands[] = {
    { "init", 0, 0, "", NULL, cmd_init, NULL, "", CTL_RW },
    { "show", 0, 1, "[SWITCH|ROUTER]", pre_show, cmd_show, NULL, "",
      CTL_RO },
};

const size_t nbctl_n_show_commands = ARRAY_SIZE(nbctl_show_commands);
