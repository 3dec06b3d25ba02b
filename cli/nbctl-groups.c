/* weft-nbctl: port groups (pg-*), HA chassis groups (ha-chassis-group-*)
 * and DHCP options (dhcp-options-*), as ovn-nbctl 23.03 has them. */
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "ds.h"
#include "packets.h"
#include "util.h"
#include "cli/nbctl-private.h"

static void
pre_pg(struct ctl_context *ctx)
{
    nbctl_need_tables(ctx, "Port_Group,Logical_Switch_Port");
}

/* Looks up ports argv[first...] into a new array.  Returns NULL after
 * ctl_error(). */
static const struct nbrec_logical_switch_port **
get_ports(struct ctl_context *ctx, int first)
{
    size_t n = ctx->argc - first;
    const struct nbrec_logical_switch_port **ports
        = xcalloc(n + 1, sizeof *ports);

    for (size_t i = 0; i < n; i++) {
        ports[i] = nbctl_lsp_lookup(ctx, ctx->argv[first + i], true);
        if (!ports[i]) {
            free(ports);
            return NULL;
        }
    }
    return ports;
}

/* pg-add GROUP [PORT]... (a duplicate name is refused by the server's
 * index, as with ovn-nbctl) */
static void
cmd_pg_add(struct ctl_context *ctx)
{
    const struct nbrec_logical_switch_port **ports = get_ports(ctx, 2);
    if (!ports) {
        return;
    }
    const struct nbrec_port_group *pg = nbrec_port_group_insert(ctx->txn);
    nbrec_port_group_set_name(ctx->txn, pg, ctx->argv[1]);
    nbrec_port_group_set_ports(ctx->txn, pg, ports, ctx->argc - 2);
    free(ports);
}

/* pg-set-ports GROUP PORT... */
static void
cmd_pg_set_ports(struct ctl_context *ctx)
{
    const struct nbrec_port_group *pg = nbctl_pg_lookup(ctx, ctx->argv[1],
                                                        true);
    const struct nbrec_logical_switch_port **ports = pg ? get_ports(ctx, 2)
                                                        : NULL;
    if (ports) {
        nbrec_port_group_set_ports(ctx->txn, pg, ports, ctx->argc - 2);
        free(ports);
    }
}

/* pg-del GROUP */
static void
cmd_pg_del(struct ctl_context *ctx)
{
    const struct nbrec_port_group *pg = nbctl_pg_lookup(ctx, ctx->argv[1],
                                                        true);
    if (pg) {
        nbrec_port_group_delete(ctx->txn, pg);
    }
}

/* pg-get-ports GROUP: a weft extension (ovn-nbctl 23.03 has no such
 * command): the names of the group's ports, one per line, sorted. */
static void
cmd_pg_get_ports(struct ctl_context *ctx)
{
    const struct nbrec_port_group *pg = nbctl_pg_lookup(ctx, ctx->argv[1],
                                                        true);
    if (!pg) {
        return;
    }

    const char **names = xcalloc(pg->n_ports + 1, sizeof *names);
    for (size_t i = 0; i < pg->n_ports; i++) {
        names[i] = pg->ports[i]->name;
    }
    qsort(names, pg->n_ports, sizeof *names, str_compare_ptrs);
    for (size_t i = 0; i < pg->n_ports; i++) {
        ds_put_format(ctx->output, "%s\n", names[i]);
    }
    free(names);
}

/* HA chassis groups. */

static void
pre_ha(struct ctl_context *ctx)
{
    nbctl_need_tables(ctx, "HA_Chassis_Group,HA_Chassis");
}

static const struct nbrec_ha_chassis *
ha_chassis_find(struct ctl_context *ctx,
                const struct nbrec_ha_chassis_group *g, const char *chassis,
                bool must_exist)
{
    for (size_t i = 0; i < g->n_ha_chassis; i++) {
        if (!strcmp(g->ha_chassis[i]->chassis_name, chassis)) {
            return g->ha_chassis[i];
        }
    }
    if (must_exist) {
        ctl_error(ctx, "%s: ha chassis not found in %s ha chassis group",
                  chassis, ctx->argv[1]);
    }
    return NULL;
}

static void
cmd_ha_group_add(struct ctl_context *ctx)
{
    const struct nbrec_ha_chassis_group *g
        = nbrec_ha_chassis_group_insert(ctx->txn);
    nbrec_ha_chassis_group_set_name(ctx->txn, g, ctx->argv[1]);
}

static void
cmd_ha_group_del(struct ctl_context *ctx)
{
    const struct nbrec_ha_chassis_group *g = nbctl_ha_group_lookup(
        ctx, ctx->argv[1], true);
    if (g) {
        nbrec_ha_chassis_group_delete(ctx->txn, g);
    }
}

static void
print_ha_group(struct ds *out, const struct nbrec_ha_chassis_group *g)
{
    ds_put_format(out, UUID_FMT " (%s)\n", UUID_ARGS(&g->header_.uuid),
                  g->name);
    for (size_t i = 0; i < g->n_ha_chassis; i++) {
        const struct nbrec_ha_chassis *c = g->ha_chassis[i];
        ds_put_format(out, "    "UUID_FMT " (%s)\n    priority %"PRId64
                      "\n\n", UUID_ARGS(&c->header_.uuid), c->chassis_name,
                      c->priority);
    }
    ds_put_char(out, '\n');
}

/* ha-chassis-group-list [GROUP] */
static void
cmd_ha_group_list(struct ctl_context *ctx)
{
    const struct nbrec_ha_chassis_group *g;

    if (ctx->argc == 2) {
        g = nbctl_ha_group_lookup(ctx, ctx->argv[1], true);
        if (g) {
            print_ha_group(ctx->output, g);
        }
        return;
    }
    NBREC_HA_CHASSIS_GROUP_FOR_EACH (g, ctx->client) {
        print_ha_group(ctx->output, g);
    }
}

/* For "GROUP CHASSIS PRIORITY" commands: the group argv[1] and the
 * priority argv[3].  Returns NULL after ctl_error(). */
static const struct nbrec_ha_chassis_group *
get_group_and_priority(struct ctl_context *ctx, int64_t *priority)
{
    const struct nbrec_ha_chassis_group *g = nbctl_ha_group_lookup(
        ctx, ctx->argv[1], true);
    return g && nbctl_parse_priority(ctx, ctx->argv[3], priority) ? g : NULL;
}

/* ha-chassis-group-add-chassis GROUP CHASSIS PRIORITY */
static void
cmd_ha_group_add_chassis(struct ctl_context *ctx)
{
    int64_t priority;
    const struct nbrec_ha_chassis_group *g = get_group_and_priority(
        ctx, &priority);
    if (!g) {
        return;
    }
    const struct nbrec_ha_chassis *c = ha_chassis_find(ctx, g, ctx->argv[2],
                                                       false);
    if (!c) {
        c = nbrec_ha_chassis_insert(ctx->txn);
        nbrec_ha_chassis_set_chassis_name(ctx->txn, c, ctx->argv[2]);
        nbrec_ha_chassis_group_update_ha_chassis_addvalue(ctx->txn, g, c);
    }
    nbrec_ha_chassis_set_priority(ctx->txn, c, priority);
}

/* ha-chassis-group-remove-chassis GROUP CHASSIS */
static void
cmd_ha_group_remove_chassis(struct ctl_context *ctx)
{
    const struct nbrec_ha_chassis_group *g = nbctl_ha_group_lookup(
        ctx, ctx->argv[1], true);
    const struct nbrec_ha_chassis *c = g ? ha_chassis_find(ctx, g,
                                                           ctx->argv[2],
                                                           true)
                                         : NULL;
    if (c) {
        nbrec_ha_chassis_group_update_ha_chassis_delvalue(ctx->txn, g, c);
        nbrec_ha_chassis_delete(ctx->txn, c);
    }
}

/* ha-chassis-group-set-chassis-prio GROUP CHASSIS PRIORITY */
static void
cmd_ha_group_set_chassis_prio(struct ctl_context *ctx)
{
    int64_t priority;
    const struct nbrec_ha_chassis_group *g = get_group_and_priority(
        ctx, &priority);
    const struct nbrec_ha_chassis *c = g ? ha_chassis_find(ctx, g,
                                                           ctx->argv[2], true)
                                         : NULL;
    if (c) {
        nbrec_ha_chassis_set_priority(ctx->txn, c, priority);
    }
}

/* DHCP options, named by full UUID only. */

static void
pre_dhcp(struct ctl_context *ctx)
{
    nbctl_need_tables(ctx, "DHCP_Options");
}

static const struct nbrec_dhcp_options *
dhcp_lookup(struct ctl_context *ctx, const char *id)
{
    struct uuid uuid;
    const struct nbrec_dhcp_options *dhcp
        = uuid_from_string(&uuid, id)
              ? nbrec_dhcp_options_get_for_uuid(ctx->client, &uuid) : NULL;
    if (!dhcp) {
        ctl_error(ctx, "%s: dhcp options UUID not found", id);
    }
    return dhcp;
}

/* dhcp-options-create CIDR [KEY=VALUE]...: the pairs become external_ids. */
static void
cmd_dhcp_create(struct ctl_context *ctx)
{
    char **keys, **values;

    if (!ip_is_cidr(ctx->argv[1])) {
        ctl_error(ctx, "Invalid cidr format '%s'", ctx->argv[1]);
        return;
    }
    const struct nbrec_dhcp_options *dhcp
        = nbrec_dhcp_options_insert(ctx->txn);
    nbrec_dhcp_options_set_cidr(ctx->txn, dhcp, ctx->argv[1]);
    size_t n = nbctl_parse_options(ctx, 2, &keys, &values);
    nbrec_dhcp_options_set_external_ids(ctx->txn, dhcp, (const char **) keys,
                                        (const char **) values, n);
    nbctl_free_options(keys, values, n);
}

static void
cmd_dhcp_list(struct ctl_context *ctx)
{
    const struct nbrec_dhcp_options *dhcp;

    NBREC_DHCP_OPTIONS_FOR_EACH (dhcp, ctx->client) {
        ds_put_format(ctx->output, UUID_FMT "\n",
                      UUID_ARGS(&dhcp->header_.uuid));
    }
}

static void
cmd_dhcp_del(struct ctl_context *ctx)
{
    const struct nbrec_dhcp_options *dhcp = dhcp_lookup(ctx, ctx->argv[1]);
    if (dhcp) {
        nbrec_dhcp_options_delete(ctx->txn, dhcp);
    }
}

static void
cmd_dhcp_set_options(struct ctl_context *ctx)
{
    const struct nbrec_dhcp_options *dhcp = dhcp_lookup(ctx, ctx->argv[1]);
    char **keys, **values;

    if (dhcp) {
        size_t n = nbctl_parse_options(ctx, 2, &keys, &values);
        nbrec_dhcp_options_set_options(ctx->txn, dhcp, (const char **) keys,
                                       (const char **) values, n);
        nbctl_free_options(keys, values, n);
    }
}

static void
cmd_dhcp_get_options(struct ctl_context *ctx)
{
    const struct nbrec_dhcp_options *dhcp = dhcp_lookup(ctx, ctx->argv[1]);
    if (dhcp) {
        nbctl_print_smap(ctx->output, dhcp->options);
    }
}

const struct ctl_command_syntax nbctl_group_commands[] = {
    { "pg-add", 1, INT_MAX, "GROUP [PORT]...", pre_pg, cmd_pg_add, NULL, "",
      CTL_RW },
    { "pg-set-ports", 2, INT_MAX, "GROUP PORT...", pre_pg, cmd_pg_set_ports,
      NULL, "", CTL_RW },
    { "pg-del", 1, 1, "GROUP", pre_pg, cmd_pg_del, NULL, "", CTL_RW },
    { "pg-get-ports", 1, 1, "GROUP", pre_pg, cmd_pg_get_ports, NULL, "",
      CTL_RO },
    { "ha-chassis-group-add", 1, 1, "GROUP", pre_ha, cmd_ha_group_add, NULL,
      "", CTL_RW },
    { "ha-chassis-group-del", 1, 1, "GROUP", pre_ha, cmd_ha_group_del, NULL,
      "", CTL_RW },
    { "ha-chassis-group-list", 0, 1, "[GROUP]", pre_ha, cmd_ha_group_list,
      NULL, "", CTL_RO },
    { "ha-chassis-group-add-chassis", 3, 3, "GROUP CHASSIS PRIORITY", pre_ha,
      cmd_ha_group_add_chassis, NULL, "", CTL_RW },
    { "ha-chassis-group-remove-chassis", 2, 2, "GROUP CHASSIS", pre_ha,
      cmd_ha_group_remove_chassis, NULL, "", CTL_RW },
    { "ha-chassis-group-set-chassis-prio", 3, 3, "GROUP CHASSIS PRIORITY",
      pre_ha, cmd_ha_group_set_chassis_prio, NULL, "", CTL_RW },
    { "dhcp-options-create", 1, INT_MAX, "CIDR [EXTERNAL_IDS]", pre_dhcp,
      cmd_dhcp_create, NULL, "", CTL_RW },
    { "dhcp-options-del", 1, 1, "DHCP_OPT_UUID", pre_dhcp, cmd_dhcp_del,
      NULL, "", CTL_RW },
    { "dhcp-options-list", 0, 0, "", pre_dhcp, cmd_dhcp_list, NULL, "",
      CTL_RO },
    { "dhcp-options-set-options", 1, INT_MAX,
      "DHCP_OPT_UUID KEY=VALUE [KEY=VALUE]...", pre_dhcp,
      cmd_dhcp_set_options, NULL, "", CTL_RW },
    { "dhcp-options-get-options", 1, 1, "DHCP_OPT_UUID", pre_dhcp,
      cmd_dhcp_get_options, NULL, "", CTL_RO },
};

const size_t nbctl_n_group_commands = ARRAY_SIZE(nbctl_group_commands);
