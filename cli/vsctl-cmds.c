/* weft-vsctl's own commands, with ovs-vsctl 3.1's syntax, output, errors
 * and exit codes: init, emer-reset, the bridge commands (add-br, del-br,
 * list-br, br-exists, br-to-vlan, br-to-parent, br-set-external-id,
 * br-get-external-id), the port commands (list-ports, add-port, add-bond,
 * del-port, port-to-br) and the interface commands (list-ifaces,
 * iface-to-br).  "show" is in vsctl-show.c.
 *
 * Each command builds the bridge/port/interface view (vsctl-cache.h)
 * afresh from the replica, which shows what earlier commands of the same
 * run changed, and changes the database through the typed bindings. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "ds.h"
#include "ovsdb/client-txn.h"
#include "ovsdb/ovsrec-idl.h"
#include "cli/db-ctl.h"
#include "cli/vsctl-cache.h"
#include "cli/vsctl-private.h"

/* Helpers. */

/* Prints, one per line in name order, the names in 'sh' for which
 * 'include' returns true. */
static void
put_sorted_names(struct ctl_context *ctx, const struct shash *sh,
                 bool (*include)(const struct shash_node *,
                                 const void *aux),
                 const void *aux)
{
    const struct shash_node **nodes = shash_sort(sh);

    for (size_t i = 0; i < shash_count(sh); i++) {
        if (include(nodes[i], aux)) {
            ds_put_format(ctx->output, "%s\n", nodes[i]->name);
        }
    }
    free(nodes);
}

/* Appends 'arg' as ovs-vsctl quotes a command-line word in messages: in
 * double quotes, with '"' and '\' escaped, if it has white space or
 * quotes. */
static void
put_quoted_word(struct ds *s, const char *arg)
{
    if (!arg[strcspn(arg, " \t\r\n\v\\'\"")]) {
        ds_put_cstr(s, arg);
        return;
    }
    ds_put_char(s, '"');
    for (const char *p = arg; *p; p++) {
        if (*p == '\\' || *p == '"') {
            ds_put_char(s, '\\');
        }
        ds_put_char(s, *p);
    }
    ds_put_char(s, '"');
}

/* The command being run as the user wrote it (options in the order the
 * command lists them), for "--may-exist" messages.  Caller frees. */
static char *
command_string(const struct ctl_context *ctx)
{
    const char *p = ctx->cmd->syntax->options;
    struct ds s = DS_EMPTY_INITIALIZER;

    while (p && *p) {
        size_t n = strcspn(p, ",");
        bool has_arg = n && (p[n - 1] == '=' || p[n - 1] == '?');
        char *name = xmemdup0(p, n - has_arg);
        if (ctl_has_option(ctx, name)) {
            put_quoted_word(&s, name);
            ds_put_char(&s, ' ');
        }
        free(name);
        p += n + (p[n] == ',');
    }
    for (int i = 0; i < ctx->argc; i++) {
        put_quoted_word(&s, ctx->argv[i]);
        if (i + 1 < ctx->argc) {
            ds_put_char(&s, ' ');
        }
    }
    return ds_steal_cstr(&s);
}

/* The tables of the bridge/port/interface view (short, for the table of
 * commands). */
static void
pre_cache(struct ctl_context *ctx)
{
    vsctl_cache_prerequisites(ctx);
}

/* Inserts an Interface named 'name', to be checked after the wait. */
static const struct ovsrec_interface *
insert_iface(struct ctl_context *ctx, const char *name, const char *type)
{
    struct ovsrec_interface *iface = ovsrec_interface_insert(ctx->txn);

    ovsrec_interface_set_name(ctx->txn, iface, name);
    if (type) {
        ovsrec_interface_set_type(ctx->txn, iface, type);
    }
    vsctl_expect_iface(ctx, &iface->header_);
    return iface;
}

/* Open vSwitch commands. */

static void
cmd_init(struct ctl_context *ctx OVS_UNUSED)
{
    /* The engine creates the Open_vSwitch row if there is none. */
}

static void
pre_emer_reset(struct ctl_context *ctx)
{
    ctl_need_table(ctx, "Open_vSwitch");
    ctl_need_table(ctx, "Bridge");
    ctl_need_table(ctx, "Port");
}

/* Deconfigures managers, SSL, and each bridge's controllers, fail mode,
 * mirrors, NetFlow, sFlow, IPFIX and flood VLANs, and clears
 * other_config of bridges (but "hwaddr") and ports.  The rows no longer
 * referenced go by garbage collection.  (ovs-vsctl 3.1 leaves
 * Interface other_config alone.) */
static void
cmd_emer_reset(struct ctl_context *ctx)
{
    const struct ovsrec_open_vswitch *ovs
        = ovsrec_open_vswitch_first(ctx->client);
    const struct ovsrec_bridge *br;
    const struct ovsrec_port *port;

    if (ovs) {
        ovsrec_open_vswitch_set_manager_options(ctx->txn, ovs, NULL, 0);
        ovsrec_open_vswitch_set_ssl(ctx->txn, ovs, NULL);
    }
    OVSREC_BRIDGE_FOR_EACH (br, ctx->client) {
        const char *hwaddr = ovsrec_bridge_get_other_config_value(br,
                                                                  "hwaddr");
        const char *key = "hwaddr";

        ovsrec_bridge_set_controller(ctx->txn, br, NULL, 0);
        ovsrec_bridge_set_fail_mode(ctx->txn, br, NULL);
        ovsrec_bridge_set_mirrors(ctx->txn, br, NULL, 0);
        ovsrec_bridge_set_netflow(ctx->txn, br, NULL);
        ovsrec_bridge_set_sflow(ctx->txn, br, NULL);
        ovsrec_bridge_set_ipfix(ctx->txn, br, NULL);
        ovsrec_bridge_set_flood_vlans(ctx->txn, br, NULL, 0);
        ovsrec_bridge_set_other_config(ctx->txn, br, &key, &hwaddr,
                                       hwaddr != NULL);
    }
    OVSREC_PORT_FOR_EACH (port, ctx->client) {
        ovsrec_port_set_other_config(ctx->txn, port, NULL, NULL, 0);
    }
}

/* Bridge commands. */

/* With --may-exist, checks that bridge 'br' is what "add-br" asked for
 * ('parent' and 'vlan', or a real bridge if 'parent' is NULL). */
static void
check_existing_bridge(struct ctl_context *ctx, const struct vsctl_bridge *br,
                      const char *parent, int vlan)
{
    char *cmd = command_string(ctx);

    if (!parent && br->parent) {
        ctl_error(ctx, "\"%s\" but %s is a VLAN bridge for VLAN %d", cmd,
                  br->name, br->vlan);
    } else if (parent && !br->parent) {
        ctl_error(ctx, "\"%s\" but %s is not a VLAN bridge", cmd, br->name);
    } else if (parent && strcmp(br->parent->name, parent)) {
        ctl_error(ctx, "\"%s\" but %s has the wrong parent %s", cmd,
                  br->name, br->parent->name);
    } else if (parent && br->vlan != vlan) {
        ctl_error(ctx, "\"%s\" but %s is a VLAN bridge for the wrong VLAN "
                  "%d", cmd, br->name, br->vlan);
    }
    free(cmd);
}

static void
add_real_bridge(struct ctl_context *ctx, const struct vsctl_cache *cache,
                const char *name)
{
    if (!cache->ovs) {
        /* Only if an earlier command of the run destroyed it (ovs-vsctl
         * then fails an assertion). */
        ctl_error(ctx, "no Open_vSwitch row to add bridge %s to", name);
        return;
    }

    const struct ovsrec_interface *iface = insert_iface(ctx, name,
                                                        "internal");
    struct ovsrec_port *port = ovsrec_port_insert(ctx->txn);
    ovsrec_port_set_name(ctx->txn, port, name);
    ovsrec_port_set_interfaces(ctx->txn, port, &iface, 1);

    const struct ovsrec_port *port_ = port;
    struct ovsrec_bridge *br = ovsrec_bridge_insert(ctx->txn);
    ovsrec_bridge_set_name(ctx->txn, br, name);
    ovsrec_bridge_set_ports(ctx->txn, br, &port_, 1);
    ovsrec_open_vswitch_update_bridges_addvalue(ctx->txn, cache->ovs, br);
}

static void
add_fake_bridge(struct ctl_context *ctx, const struct vsctl_cache *cache,
                const char *name, const char *parent_name, int vlan)
{
    const struct vsctl_bridge *parent
        = vsctl_cache_find_bridge(cache, ctx, parent_name, false);
    const struct vsctl_bridge *child;
    struct shash_node *node;

    if (!parent) {
        ctl_error(ctx, "parent bridge %s does not exist", parent_name);
        return;
    } else if (parent->parent) {
        ctl_error(ctx, "cannot create bridge with fake bridge as parent");
        return;
    }
    SHASH_FOR_EACH (node, &cache->bridges) {
        child = node->data;
        if (child->parent == parent && child->vlan == vlan) {
            ctl_error(ctx, "bridge %s already has a child VLAN bridge %s "
                      "on VLAN %d", parent_name, child->name, vlan);
            return;
        }
    }

    const struct ovsrec_interface *iface = insert_iface(ctx, name,
                                                        "internal");
    struct ovsrec_port *port = ovsrec_port_insert(ctx->txn);
    int64_t tag = vlan;
    ovsrec_port_set_name(ctx->txn, port, name);
    ovsrec_port_set_interfaces(ctx->txn, port, &iface, 1);
    ovsrec_port_set_fake_bridge(ctx->txn, port, true);
    ovsrec_port_set_tag(ctx->txn, port, &tag, 1);
    ovsrec_bridge_update_ports_addvalue(ctx->txn, parent->br_cfg, port);
}

/* add-br BRIDGE [PARENT VLAN] */
static void
cmd_add_br(struct ctl_context *ctx)
{
    const char *name = ctx->argv[1];
    const char *parent = ctx->argc == 4 ? ctx->argv[2] : NULL;
    int vlan = 0;

    if (ctx->argc != 2 && ctx->argc != 4) {
        ctl_error(ctx, "'add-br' command takes exactly 1 or 3 arguments");
        return;
    }
    if (parent) {
        /* As atoi() does, as ovs-vsctl does: "abc" is VLAN 0. */
        vlan = (int) strtol(ctx->argv[3], NULL, 10);
        if (vlan < 0 || vlan > 4095) {
            ctl_error(ctx, "add-br: vlan must be between 0 and 4095");
            return;
        }
    }

    struct vsctl_cache cache;
    vsctl_cache_init(&cache, ctx);
    const struct vsctl_bridge *br = vsctl_cache_find_bridge(&cache, ctx,
                                                            name, false);
    if (br && ctl_has_option(ctx, "--may-exist")) {
        check_existing_bridge(ctx, br, parent, vlan);
        vsctl_cache_destroy(&cache);
        return;
    }

    char *what = xasprintf("cannot create a bridge named %s", name);
    if (!vsctl_cache_check_conflicts(&cache, ctx, name, what)) {
        /* Reported. */
    } else if (parent) {
        add_fake_bridge(ctx, &cache, name, parent, vlan);
    } else {
        add_real_bridge(ctx, &cache, name);
    }
    free(what);
    vsctl_cache_destroy(&cache);
}

/* Deletes 'port' and its interfaces. */
static void
delete_port(struct ctl_context *ctx, const struct vsctl_port *port)
{
    const struct ovsrec_port *port_cfg = port->port_cfg;

    for (size_t i = 0; i < port_cfg->n_interfaces; i++) {
        ovsrec_interface_delete(ctx->txn, port_cfg->interfaces[i]);
    }
    ovsrec_bridge_update_ports_delvalue(ctx->txn,
                                        vsctl_bridge_real(port->bridge),
                                        port_cfg);
    ovsrec_port_delete(ctx->txn, port_cfg);
}

/* Deletes 'br' with its ports and, for a real bridge, its fake bridges.
 * Bridges, ports and interfaces are not root rows: they go by garbage
 * collection once nothing refers to them, so a Flow_Sample_Collector_Set
 * that refers to a deleted real bridge keeps it, and its ports, in the
 * database (as with ovs-vsctl 3.1). */
static void
delete_bridge(struct ctl_context *ctx, const struct vsctl_cache *cache,
              const struct vsctl_bridge *br)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &cache->bridges) {
        const struct vsctl_bridge *child = node->data;
        if (child->parent == br) {
            delete_bridge(ctx, cache, child);
        }
    }
    SHASH_FOR_EACH (node, &cache->ports) {
        const struct vsctl_port *port = node->data;
        if (port->bridge == br) {
            delete_port(ctx, port);
        }
    }
    if (br->br_cfg) {
        ovsrec_open_vswitch_update_bridges_delvalue(ctx->txn, cache->ovs,
                                                    br->br_cfg);
        ovsrec_bridge_delete(ctx->txn, br->br_cfg);
    }
}

/* del-br BRIDGE */
static void
cmd_del_br(struct ctl_context *ctx)
{
    struct vsctl_cache cache;

    vsctl_cache_init(&cache, ctx);
    const struct vsctl_bridge *br = vsctl_cache_find_bridge(
        &cache, ctx, ctx->argv[1], !ctl_has_option(ctx, "--if-exists"));
    if (br) {
        delete_bridge(ctx, &cache, br);
    }
    vsctl_cache_destroy(&cache);
}

/* Which bridges list-br prints: --real, --fake, or both. */
struct bridge_kinds {
    bool real;
    bool fake;
};

static bool
bridge_is_listed(const struct shash_node *node, const void *kinds_)
{
    const struct vsctl_bridge *br = node->data;
    const struct bridge_kinds *kinds = kinds_;

    return br->parent ? kinds->fake : kinds->real;
}

/* list-br: with --real or --fake, only those. */
static void
cmd_list_br(struct ctl_context *ctx)
{
    struct bridge_kinds kinds = {
        .real = ctl_has_option(ctx, "--real"),
        .fake = ctl_has_option(ctx, "--fake"),
    };
    struct vsctl_cache cache;

    if (!kinds.real && !kinds.fake) {
        kinds.real = kinds.fake = true;
    }
    vsctl_cache_init(&cache, ctx);
    put_sorted_names(ctx, &cache.bridges, bridge_is_listed, &kinds);
    vsctl_cache_destroy(&cache);
}

/* Looks up bridge argv[1] for the commands that only read it.  Returns
 * NULL after ctl_error(). */
static const struct vsctl_bridge *
find_bridge_arg(struct ctl_context *ctx, struct vsctl_cache *cache)
{
    vsctl_cache_init(cache, ctx);
    return vsctl_cache_find_bridge(cache, ctx, ctx->argv[1], true);
}

/* br-exists BRIDGE: exit status 2 if it does not exist. */
static void
cmd_br_exists(struct ctl_context *ctx)
{
    struct vsctl_cache cache;

    vsctl_cache_init(&cache, ctx);
    if (!vsctl_cache_find_bridge(&cache, ctx, ctx->argv[1], false)) {
        ctl_exit(ctx, 2);
    }
    vsctl_cache_destroy(&cache);
}

/* br-to-vlan BRIDGE and br-to-parent BRIDGE: a fake bridge's VLAN and
 * parent; 0 and itself for a real bridge. */
static void
cmd_br_to_vlan_or_parent(struct ctl_context *ctx)
{
    struct vsctl_cache cache;
    const struct vsctl_bridge *br = find_bridge_arg(ctx, &cache);

    if (br && !strcmp(ctx->argv[0], "br-to-vlan")) {
        ds_put_format(ctx->output, "%d\n", br->vlan);
    } else if (br) {
        ds_put_format(ctx->output, "%s\n",
                      br->parent ? br->parent->name : br->name);
    }
    vsctl_cache_destroy(&cache);
}

/* A fake bridge keeps its external IDs in its port, with this prefix. */
#define FAKE_BRIDGE_PREFIX "fake-bridge-"

/* br-set-external-id BRIDGE KEY [VALUE] */
static void
cmd_br_set_external_id(struct ctl_context *ctx)
{
    struct vsctl_cache cache;
    const struct vsctl_bridge *br = find_bridge_arg(ctx, &cache);
    const char *value = ctx->argc > 3 ? ctx->argv[3] : NULL;

    if (br && br->br_cfg) {
        const struct ovsrec_bridge *b = br->br_cfg;
        ovsrec_bridge_verify_external_ids(ctx->txn, b);
        if (value) {
            ovsrec_bridge_update_external_ids_setkey(ctx->txn, b,
                                                     ctx->argv[2], value);
        } else {
            ovsrec_bridge_update_external_ids_delkey(ctx->txn, b,
                                                     ctx->argv[2]);
        }
    } else if (br) {
        const struct ovsrec_port *p = br->port_cfg;
        char *key = xasprintf(FAKE_BRIDGE_PREFIX "%s", ctx->argv[2]);
        ovsrec_port_verify_external_ids(ctx->txn, p);
        if (value) {
            ovsrec_port_update_external_ids_setkey(ctx->txn, p, key, value);
        } else {
            ovsrec_port_update_external_ids_delkey(ctx->txn, p, key);
        }
        free(key);
    }
    vsctl_cache_destroy(&cache);
}

/* br-get-external-id BRIDGE [KEY] */
static void
cmd_br_get_external_id(struct ctl_context *ctx)
{
    struct vsctl_cache cache;
    const struct vsctl_bridge *br = find_bridge_arg(ctx, &cache);

    if (!br) {
        vsctl_cache_destroy(&cache);
        return;
    }

    const char *prefix = br->br_cfg ? "" : FAKE_BRIDGE_PREFIX;
    const struct ovsdb_datum *ids = br->br_cfg ? br->br_cfg->external_ids
                                               : br->port_cfg->external_ids;
    size_t n = strlen(prefix);
    for (unsigned int i = 0; i < ids->n; i++) {
        const char *key = ovsdb_atom_string(&ids->keys[i]);
        const char *value = ovsdb_atom_string(&ids->values[i]);
        if (strncmp(key, prefix, n)) {
            continue;
        }
        if (ctx->argc > 2 && !strcmp(key + n, ctx->argv[2])) {
            ds_put_format(ctx->output, "%s\n", value);
        } else if (ctx->argc <= 2) {
            ds_put_format(ctx->output, "%s=%s\n", key + n, value);
        }
    }
    vsctl_cache_destroy(&cache);
}

/* Port and interface commands. */

/* Is a port (or interface) 'node' of bridge 'br' but not its local
 * one? */
static bool
is_port_of(const struct shash_node *node, const void *br_)
{
    const struct vsctl_bridge *br = br_;
    const struct vsctl_port *port = node->data;

    return port->bridge == br && strcmp(node->name, br->name);
}

static bool
is_iface_of(const struct shash_node *node, const void *br_)
{
    const struct vsctl_bridge *br = br_;
    const struct vsctl_iface *iface = node->data;

    return iface->port->bridge == br && strcmp(node->name, br->name);
}

/* list-ports BRIDGE and list-ifaces BRIDGE: the names of the bridge's
 * ports (or interfaces) but its local one, sorted. */
static void
cmd_list_ports_or_ifaces(struct ctl_context *ctx)
{
    struct vsctl_cache cache;
    const struct vsctl_bridge *br = find_bridge_arg(ctx, &cache);

    if (br && !strcmp(ctx->argv[0], "list-ifaces")) {
        put_sorted_names(ctx, &cache.ifaces, is_iface_of, br);
    } else if (br) {
        put_sorted_names(ctx, &cache.ports, is_port_of, br);
    }
    vsctl_cache_destroy(&cache);
}

/* The 'n' names in 'names', sorted and joined by ", ".  Caller frees. */
static char *
join_sorted(const char **names, size_t n)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    struct shash set;

    shash_init(&set);
    for (size_t i = 0; i < n; i++) {
        shash_add(&set, names[i], NULL);
    }
    const struct shash_node **nodes = shash_sort(&set);
    for (size_t i = 0; i < n; i++) {
        ds_put_format(&s, "%s%s", i ? ", " : "", nodes[i]->name);
    }
    free(nodes);
    shash_destroy(&set);
    return ds_steal_cstr(&s);
}

/* With --may-exist, checks that existing 'port' is on bridge 'br_name'
 * with exactly the interfaces 'ifaces'. */
static void
check_existing_port(struct ctl_context *ctx, const struct vsctl_port *port,
                    const char *br_name, char **ifaces, size_t n_ifaces)
{
    const struct ovsrec_port *cfg = port->port_cfg;
    const char **want = xmemdup(ifaces, n_ifaces * sizeof *want);
    const char **have = xcalloc(cfg->n_interfaces + 1, sizeof *have);

    for (size_t i = 0; i < cfg->n_interfaces; i++) {
        have[i] = cfg->interfaces[i]->name;
    }
    char *want_s = join_sorted(want, n_ifaces);
    char *have_s = join_sorted(have, cfg->n_interfaces);
    char *cmd = command_string(ctx);
    if (strcmp(port->bridge->name, br_name)) {
        ctl_error(ctx, "\"%s\" but %s is actually attached to bridge %s",
                  cmd, cfg->name, port->bridge->name);
    } else if (strcmp(want_s, have_s)) {
        ctl_error(ctx, "\"%s\" but %s actually has interface(s) %s", cmd,
                  cfg->name, have_s);
    }
    free(cmd);
    free(want_s);
    free(have_s);
    free(want);
    free(have);
}

/* What add-port and add-bond create. */
struct port_spec {
    const char *bridge;
    const char *name;
    char **ifaces;              /* Interface names. */
    size_t n_ifaces;
    char **settings;            /* "COLUMN[:KEY]=VALUE" for the Port. */
    size_t n_settings;
    bool fake_iface;
};

/* Checks that nothing is named like the new port or its interfaces, and
 * finds the bridge.  Returns NULL after ctl_error(). */
static const struct vsctl_bridge *
check_new_port(struct ctl_context *ctx, const struct vsctl_cache *cache,
               const struct port_spec *spec)
{
    char *what = xasprintf("cannot create a port named %s", spec->name);
    bool ok = vsctl_cache_check_conflicts(cache, ctx, spec->name, what);
    free(what);
    for (size_t i = 0; ok && i < spec->n_ifaces; i++) {
        what = xasprintf("cannot create an interface named %s",
                         spec->ifaces[i]);
        ok = vsctl_cache_check_conflicts(cache, ctx, spec->ifaces[i], what);
        free(what);
    }
    return ok ? vsctl_cache_find_bridge(cache, ctx, spec->bridge, true)
              : NULL;
}

static void
add_port(struct ctl_context *ctx, const struct port_spec *spec)
{
    struct vsctl_cache cache;

    vsctl_cache_init(&cache, ctx);
    const struct vsctl_port *old = vsctl_cache_find_port(&cache, ctx,
                                                         spec->name, false);
    if (old && ctl_has_option(ctx, "--may-exist")) {
        check_existing_port(ctx, old, spec->bridge, spec->ifaces,
                            spec->n_ifaces);
        goto out;
    }
    const struct vsctl_bridge *br = check_new_port(ctx, &cache, spec);
    if (!br) {
        goto out;
    }

    const struct ovsrec_interface **ifaces
        = xmalloc(spec->n_ifaces * sizeof *ifaces);
    for (size_t i = 0; i < spec->n_ifaces; i++) {
        ifaces[i] = insert_iface(ctx, spec->ifaces[i], NULL);
    }
    struct ovsrec_port *port = ovsrec_port_insert(ctx->txn);
    ovsrec_port_set_name(ctx->txn, port, spec->name);
    ovsrec_port_set_interfaces(ctx->txn, port, ifaces, spec->n_ifaces);
    ovsrec_port_set_bond_fake_iface(ctx->txn, port, spec->fake_iface);
    free(ifaces);
    if (br->parent) {
        int64_t tag = br->vlan;
        ovsrec_port_set_tag(ctx->txn, port, &tag, 1);
    }
    for (size_t i = 0; i < spec->n_settings; i++) {
        ctl_set_column(ctx, &port->header_, spec->settings[i], true);
        if (ctx->error) {
            goto out;
        }
    }
    ovsrec_bridge_update_ports_addvalue(ctx->txn, vsctl_bridge_real(br),
                                        port);
out:
    vsctl_cache_destroy(&cache);
}

/* add-port BRIDGE PORT [COLUMN[:KEY]=VALUE]... and
 * add-bond BRIDGE PORT IFACE... [COLUMN[:KEY]=VALUE]...: a bond's
 * interfaces end at the first argument with '='. */
static void
cmd_add_port_or_bond(struct ctl_context *ctx)
{
    bool bond = !strcmp(ctx->argv[0], "add-bond");
    size_t first = bond ? 3 : 2;        /* argv[] of the first interface. */
    struct port_spec spec = {
        .bridge = ctx->argv[1],
        .name = ctx->argv[2],
        .ifaces = &ctx->argv[first],
        .n_ifaces = bond ? 0 : 1,
        .fake_iface = ctl_has_option(ctx, "--fake-iface"),
    };

    while (bond && first + spec.n_ifaces < (size_t) ctx->argc
           && !strchr(spec.ifaces[spec.n_ifaces], '=')) {
        spec.n_ifaces++;
    }
    if (bond && spec.n_ifaces < 2) {
        ctl_error(ctx, "add-bond requires at least 2 interfaces, but only "
                  "%zu were specified", spec.n_ifaces);
        return;
    }
    spec.settings = &spec.ifaces[spec.n_ifaces];
    spec.n_settings = ctx->argc - first - spec.n_ifaces;
    add_port(ctx, &spec);
}

/* Finds the port del-port [BRIDGE] TARGET deletes, or NULL (after
 * ctl_error() unless --if-exists). */
static const struct vsctl_port *
find_port_to_delete(struct ctl_context *ctx, const struct vsctl_cache *cache)
{
    const char *target = ctx->argv[ctx->argc - 1];
    bool with_iface = ctl_has_option(ctx, "--with-iface");
    const struct vsctl_port *port = vsctl_cache_find_port(cache, ctx,
                                                          target, false);
    if (!port && with_iface) {
        const struct vsctl_iface *iface
            = vsctl_cache_find_iface(cache, ctx, target, false);
        port = iface ? iface->port : NULL;
    }
    if (!port && !ctl_has_option(ctx, "--if-exists")) {
        if (vsctl_cache_find_bridge(cache, ctx, target, false)) {
            ctl_error(ctx, "cannot delete port %s because it is the local "
                      "port for bridge %s (deleting this port requires "
                      "deleting the entire bridge)", target, target);
        } else {
            ctl_error(ctx, "no port%s named %s",
                      with_iface ? " or interface" : "", target);
        }
    }
    return port;
}

/* del-port [BRIDGE] PORT, with --with-iface also by interface name. */
static void
cmd_del_port(struct ctl_context *ctx)
{
    struct vsctl_cache cache;

    vsctl_cache_init(&cache, ctx);
    const struct vsctl_port *port = find_port_to_delete(ctx, &cache);
    if (port && ctx->argc == 3) {
        const struct vsctl_bridge *br
            = vsctl_cache_find_bridge(&cache, ctx, ctx->argv[1], true);
        if (br && port->bridge != br) {
            if (port->bridge->parent == br) {
                ctl_error(ctx, "bridge %s does not have a port %s (although "
                          "its child bridge %s does)", ctx->argv[1],
                          ctx->argv[2], port->bridge->name);
            } else {
                ctl_error(ctx, "bridge %s does not have a port %s",
                          ctx->argv[1], ctx->argv[2]);
            }
        }
    }
    if (port && !ctx->error) {
        delete_port(ctx, port);
    }
    vsctl_cache_destroy(&cache);
}

/* port-to-br PORT and iface-to-br IFACE: the (real or fake) bridge that
 * has it. */
static void
cmd_port_or_iface_to_br(struct ctl_context *ctx)
{
    const char *name = ctx->argv[1];
    struct vsctl_cache cache;
    const struct vsctl_port *port;

    vsctl_cache_init(&cache, ctx);
    if (!strcmp(ctx->argv[0], "iface-to-br")) {
        const struct vsctl_iface *iface
            = vsctl_cache_find_iface(&cache, ctx, name, true);
        port = iface ? iface->port : NULL;
    } else {
        port = vsctl_cache_find_port(&cache, ctx, name, true);
    }
    if (port) {
        ds_put_format(ctx->output, "%s\n", port->bridge->name);
    }
    vsctl_cache_destroy(&cache);
}

const struct ctl_command_syntax vsctl_commands[] = {
    { "init", 0, 0, "", NULL, cmd_init, NULL, "", CTL_RW },
    { "show", 0, 0, "", vsctl_pre_show, vsctl_cmd_show, NULL, "", CTL_RO },
    { "emer-reset", 0, 0, "", pre_emer_reset, cmd_emer_reset, NULL, "",
      CTL_RW },
    { "add-br", 1, 3, "NEW-BRIDGE [PARENT] [NEW-VLAN]", pre_cache,
      cmd_add_br, NULL, "--may-exist", CTL_RW },
    { "del-br", 1, 1, "BRIDGE", pre_cache, cmd_del_br, NULL, "--if-exists",
      CTL_RW },
    { "list-br", 0, 0, "", pre_cache, cmd_list_br, NULL, "--real,--fake",
      CTL_RO },
    { "br-exists", 1, 1, "BRIDGE", pre_cache, cmd_br_exists, NULL, "",
      CTL_RO },
    { "br-to-vlan", 1, 1, "BRIDGE", pre_cache,
      cmd_br_to_vlan_or_parent, NULL, "", CTL_RO },
    { "br-to-parent", 1, 1, "BRIDGE", pre_cache,
      cmd_br_to_vlan_or_parent, NULL, "", CTL_RO },
    { "br-set-external-id", 2, 3, "BRIDGE KEY [VALUE]", pre_cache,
      cmd_br_set_external_id, NULL, "", CTL_RW },
    { "br-get-external-id", 1, 2, "BRIDGE [KEY]", pre_cache,
      cmd_br_get_external_id, NULL, "", CTL_RO },
    { "list-ports", 1, 1, "BRIDGE", pre_cache,
      cmd_list_ports_or_ifaces, NULL, "", CTL_RO },
    { "add-port", 2, INT_MAX, "BRIDGE NEW-PORT [COLUMN[:KEY]=VALUE]...",
      pre_cache, cmd_add_port_or_bond, NULL, "--may-exist", CTL_RW },
    { "add-bond", 4, INT_MAX,
      "BRIDGE NEW-BOND-PORT SYSIFACE... [COLUMN[:KEY]=VALUE]...", pre_cache,
      cmd_add_port_or_bond, NULL, "--may-exist,--fake-iface", CTL_RW },
    { "del-port", 1, 2, "[BRIDGE] PORT|IFACE", pre_cache, cmd_del_port, NULL,
      "--if-exists,--with-iface", CTL_RW },
    { "port-to-br", 1, 1, "PORT", pre_cache, cmd_port_or_iface_to_br, NULL,
      "", CTL_RO },
    { "list-ifaces", 1, 1, "BRIDGE", pre_cache,
      cmd_list_ports_or_ifaces, NULL, "", CTL_RO },
    { "iface-to-br", 1, 1, "IFACE", pre_cache, cmd_port_or_iface_to_br,
      NULL, "", CTL_RO },
};

const size_t vsctl_n_commands = ARRAY_SIZE(vsctl_commands);
