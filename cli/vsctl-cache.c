/* The bridge/port/interface view of weft-vsctl.  See vsctl-cache.h. */
#include "cli/vsctl-cache.h"

#include <stdarg.h>
#include <string.h>
#include "vlog.h"
#include "ovsdb/ovsrec-idl.h"
#include "cli/db-ctl.h"
#include "cli/vsctl-private.h"

void
vsctl_cache_prerequisites(struct ctl_context *ctx)
{
    ctl_need_table(ctx, "Open_vSwitch");
    ctl_need_table(ctx, "Bridge");
    ctl_need_table(ctx, "Port");
    ctl_need_table(ctx, "Interface");
}

/* Logs an inconsistency of the database, unless this process already
 * did when it first built the view. */
static void PRINTF_FORMAT(2, 3)
cache_warn(struct ctl_context *ctx, const char *format, ...)
{
    if (vsctl_state(ctx)->warned) {
        return;
    }

    va_list args;
    va_start(args, format);
    char *s = xvasprintf(format, args);
    va_end(args);
    vlog(ctx->tool->log_module, VLL_WARN, "%s", s);
    free(s);
}

/* Is 'port' a fake bridge's own port? */
static bool
port_is_fake_bridge(const struct ovsrec_port *port)
{
    return port->fake_bridge && port->n_tag == 1
           && port->tag[0] >= 0 && port->tag[0] <= 4095;
}

static struct vsctl_bridge *
add_bridge(struct vsctl_cache *cache, const char *name,
           const struct ovsrec_bridge *br_cfg,
           const struct ovsrec_port *port_cfg, struct vsctl_bridge *parent,
           int vlan)
{
    struct vsctl_bridge *br = xzalloc(sizeof *br);

    br->name = name;
    br->br_cfg = br_cfg;
    br->port_cfg = port_cfg;
    br->parent = parent;
    br->vlan = vlan;
    shash_add(&cache->bridges, name, br);
    return br;
}

/* The fake bridge child of 'parent' on 'vlan', if any. */
static struct vsctl_bridge *
find_vlan_bridge(const struct vsctl_cache *cache,
                 const struct vsctl_bridge *parent, int64_t vlan)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &cache->bridges) {
        struct vsctl_bridge *br = node->data;
        if (br->parent == parent && br->vlan == vlan) {
            return br;
        }
    }
    return NULL;
}

static void
add_ifaces(struct vsctl_cache *cache, struct ctl_context *ctx,
           struct vsctl_port *port)
{
    const struct ovsrec_port *port_cfg = port->port_cfg;

    for (size_t i = 0; i < port_cfg->n_interfaces; i++) {
        const struct ovsrec_interface *iface_cfg = port_cfg->interfaces[i];
        const struct vsctl_iface *old = shash_find_data(&cache->ifaces,
                                                        iface_cfg->name);
        if (old && old->iface_cfg == iface_cfg) {
            cache_warn(ctx, "%s: interface is in multiple ports (%s and %s)",
                       iface_cfg->name, port_cfg->name,
                       old->port->port_cfg->name);
        } else if (old) {
            cache_warn(ctx, "%s: database contains duplicate interface "
                       "name", iface_cfg->name);
        } else {
            struct vsctl_iface *iface = xzalloc(sizeof *iface);
            iface->iface_cfg = iface_cfg;
            iface->port = port;
            shash_add(&cache->ifaces, iface_cfg->name, iface);
        }
    }
}

/* Adds the ports of real bridge 'br' and their interfaces. */
static void
add_ports(struct vsctl_cache *cache, struct ctl_context *ctx,
          struct vsctl_bridge *br)
{
    const struct ovsrec_bridge *br_cfg = br->br_cfg;

    for (size_t i = 0; i < br_cfg->n_ports; i++) {
        const struct ovsrec_port *port_cfg = br_cfg->ports[i];
        const struct vsctl_port *old = shash_find_data(&cache->ports,
                                                       port_cfg->name);
        if (old && old->port_cfg == port_cfg) {
            cache_warn(ctx, "%s: port is in multiple bridges (%s and %s)",
                       port_cfg->name, br->name, old->bridge->name);
            continue;
        } else if (old) {
            cache_warn(ctx, "%s: database contains duplicate port name",
                       port_cfg->name);
            continue;
        }

        struct vsctl_port *port = xzalloc(sizeof *port);
        port->port_cfg = port_cfg;
        port->bridge = br;
        if (port_cfg->n_tag == 1 && port_cfg->tag[0] >= 0
            && port_cfg->tag[0] <= 4095) {
            struct vsctl_bridge *vlan_br = find_vlan_bridge(cache, br,
                                                            port_cfg->tag[0]);
            if (vlan_br) {
                port->bridge = vlan_br;
            }
        }
        shash_add(&cache->ports, port_cfg->name, port);
        add_ifaces(cache, ctx, port);
    }
}

/* The real bridges, in Open_vSwitch.bridges order; a second bridge of the
 * same name is left out. */
static void
add_real_bridges(struct vsctl_cache *cache, struct ctl_context *ctx)
{
    const struct ovsrec_open_vswitch *ovs = cache->ovs;

    ovsrec_open_vswitch_verify_bridges(ctx->txn, ovs);
    for (size_t i = 0; i < ovs->n_bridges; i++) {
        const struct ovsrec_bridge *br_cfg = ovs->bridges[i];

        ovsrec_bridge_verify_ports(ctx->txn, br_cfg);
        for (size_t j = 0; j < br_cfg->n_ports; j++) {
            ovsrec_port_verify_interfaces(ctx->txn, br_cfg->ports[j]);
        }
        if (shash_find(&cache->bridges, br_cfg->name)) {
            cache_warn(ctx, "%s: database contains duplicate bridge name",
                       br_cfg->name);
        } else {
            add_bridge(cache, br_cfg->name, br_cfg, NULL, NULL, 0);
        }
    }
}

/* The real bridges' entries, in Open_vSwitch.bridges order (NULL for a
 * duplicate).  The caller frees the array. */
static struct vsctl_bridge **
real_bridges(const struct vsctl_cache *cache)
{
    const struct ovsrec_open_vswitch *ovs = cache->ovs;
    struct vsctl_bridge **brs = xcalloc(ovs->n_bridges + 1, sizeof *brs);

    for (size_t i = 0; i < ovs->n_bridges; i++) {
        struct vsctl_bridge *br = shash_find_data(&cache->bridges,
                                                  ovs->bridges[i]->name);
        brs[i] = br && br->br_cfg == ovs->bridges[i] ? br : NULL;
    }
    return brs;
}

void
vsctl_cache_init(struct vsctl_cache *cache, struct ctl_context *ctx)
{
    cache->ovs = ovsrec_open_vswitch_first(ctx->client);
    shash_init(&cache->bridges);
    shash_init(&cache->ports);
    shash_init(&cache->ifaces);
    if (!cache->ovs) {
        return;
    }

    add_real_bridges(cache, ctx);
    struct vsctl_bridge **brs = real_bridges(cache);
    size_t n = cache->ovs->n_bridges;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; brs[i] && j < brs[i]->br_cfg->n_ports; j++) {
            const struct ovsrec_port *port_cfg = brs[i]->br_cfg->ports[j];
            if (port_is_fake_bridge(port_cfg)
                && !shash_find(&cache->bridges, port_cfg->name)) {
                add_bridge(cache, port_cfg->name, NULL, port_cfg, brs[i],
                           port_cfg->tag[0]);
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (brs[i]) {
            add_ports(cache, ctx, brs[i]);
        }
    }
    free(brs);
    vsctl_state(ctx)->warned = true;
}

void
vsctl_cache_destroy(struct vsctl_cache *cache)
{
    shash_destroy_free_data(&cache->bridges);
    shash_destroy_free_data(&cache->ports);
    shash_destroy_free_data(&cache->ifaces);
}

struct vsctl_bridge *
vsctl_cache_find_bridge(const struct vsctl_cache *cache,
                        struct ctl_context *ctx, const char *name,
                        bool must_exist)
{
    struct vsctl_bridge *br = shash_find_data(&cache->bridges, name);

    if (!br && must_exist) {
        ctl_error(ctx, "no bridge named %s", name);
    }
    return br;
}

struct vsctl_port *
vsctl_cache_find_port(const struct vsctl_cache *cache,
                      struct ctl_context *ctx, const char *name,
                      bool must_exist)
{
    struct vsctl_port *port = shash_find_data(&cache->ports, name);

    if (port && !strcmp(name, port->bridge->name)) {
        port = NULL;            /* The bridge's local port. */
    }
    if (!port && must_exist) {
        ctl_error(ctx, "no port named %s", name);
    }
    return port;
}

struct vsctl_iface *
vsctl_cache_find_iface(const struct vsctl_cache *cache,
                       struct ctl_context *ctx, const char *name,
                       bool must_exist)
{
    struct vsctl_iface *iface = shash_find_data(&cache->ifaces, name);

    if (iface && !strcmp(name, iface->port->bridge->name)) {
        iface = NULL;           /* The bridge's local interface. */
    }
    if (!iface && must_exist) {
        ctl_error(ctx, "no interface named %s", name);
    }
    return iface;
}

const struct ovsrec_bridge *
vsctl_bridge_real(const struct vsctl_bridge *br)
{
    return br->parent ? br->parent->br_cfg : br->br_cfg;
}

bool
vsctl_cache_check_conflicts(const struct vsctl_cache *cache,
                            struct ctl_context *ctx, const char *name,
                            const char *what)
{
    const struct vsctl_port *port;
    const struct vsctl_iface *iface;

    if (shash_find(&cache->bridges, name)) {
        ctl_error(ctx, "%s because a bridge named %s already exists",
                  what, name);
    } else if ((port = shash_find_data(&cache->ports, name))) {
        ctl_error(ctx, "%s because a port named %s already exists on "
                  "bridge %s", what, name, port->bridge->name);
    } else if ((iface = shash_find_data(&cache->ifaces, name))) {
        ctl_error(ctx, "%s because an interface named %s already exists "
                  "on bridge %s", what, name, iface->port->bridge->name);
    } else {
        return true;
    }
    return false;
}
