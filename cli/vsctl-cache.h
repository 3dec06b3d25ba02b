/* cli/vsctl-cache: the bridges, ports and interfaces of an Open_vSwitch
 * database as ovs-vsctl's high-level commands see them.
 *
 * The view is built from the Open_vSwitch row's bridges, as the replica
 * shows them inside the transaction being built (so it includes what
 * earlier commands of the same run did):
 *
 *   - every Bridge in Open_vSwitch.bridges is a real bridge;
 *   - a Port of a real bridge with fake_bridge=true and a tag in 0..4095
 *     is a "fake bridge" (a VLAN bridge) of that name, whose parent is the
 *     real bridge and whose VLAN is the tag;
 *   - a Port belongs to the fake bridge of its parent whose VLAN equals
 *     its tag, if there is one, and otherwise to its real bridge;
 *   - an Interface belongs to the Port that lists it.
 *
 * A port or interface named like its bridge is the bridge's local port:
 * vsctl_cache_find_port() and vsctl_cache_find_iface() do not see it.
 * Inconsistencies (a port listed by two bridges, an interface by two
 * ports) are logged as warnings, once per process, and the first listing
 * wins.
 *
 * Usage, in a command's run function:
 *
 *     struct vsctl_cache cache;
 *     vsctl_cache_init(&cache, ctx);
 *     struct vsctl_bridge *br = vsctl_cache_find_bridge(&cache, ctx,
 *                                                       name, true);
 *     ...
 *     vsctl_cache_destroy(&cache);
 *
 * Building the view also verifies (ovsdb_client_txn_verify()) the
 * columns it was built from, so that the transaction is retried if
 * another client changes them meanwhile.  The view holds pointers into
 * the replica: rebuild it after changing bridges, ports or interfaces.
 * vsctl_cache_prerequisites() adds the tables it reads. */
#ifndef WEFT_CLI_VSCTL_CACHE_H
#define WEFT_CLI_VSCTL_CACHE_H 1

#include <stdbool.h>
#include "shash.h"

struct ctl_context;
struct ovsrec_bridge;
struct ovsrec_interface;
struct ovsrec_open_vswitch;
struct ovsrec_port;

struct vsctl_bridge {
    const char *name;
    const struct ovsrec_bridge *br_cfg;     /* NULL for a fake bridge. */
    const struct ovsrec_port *port_cfg;     /* Fake bridge: its port. */
    struct vsctl_bridge *parent;            /* Fake bridge: its real one. */
    int vlan;                               /* Fake bridge: its VLAN. */
};

struct vsctl_port {
    const struct ovsrec_port *port_cfg;
    struct vsctl_bridge *bridge;
};

struct vsctl_iface {
    const struct ovsrec_interface *iface_cfg;
    struct vsctl_port *port;
};

struct vsctl_cache {
    const struct ovsrec_open_vswitch *ovs;
    struct shash bridges;       /* Name -> struct vsctl_bridge. */
    struct shash ports;         /* Name -> struct vsctl_port. */
    struct shash ifaces;        /* Name -> struct vsctl_iface. */
};

void vsctl_cache_prerequisites(struct ctl_context *);
void vsctl_cache_init(struct vsctl_cache *, struct ctl_context *);
void vsctl_cache_destroy(struct vsctl_cache *);

/* Lookups.  With 'must_exist', a missing name is a ctl_error(): "no
 * bridge named X", "no port named X", "no interface named X". */
struct vsctl_bridge *vsctl_cache_find_bridge(const struct vsctl_cache *,
                                             struct ctl_context *,
                                             const char *name,
                                             bool must_exist);
struct vsctl_port *vsctl_cache_find_port(const struct vsctl_cache *,
                                         struct ctl_context *,
                                         const char *name, bool must_exist);
struct vsctl_iface *vsctl_cache_find_iface(const struct vsctl_cache *,
                                           struct ctl_context *,
                                           const char *name,
                                           bool must_exist);
/* The real bridge under 'br' (itself, or a fake bridge's parent). */
const struct ovsrec_bridge *vsctl_bridge_real(const struct vsctl_bridge *);

/* Fails with "WHAT because a bridge named NAME already exists" (or a port
 * or interface, "... on bridge B") if 'name' is taken.  Returns false
 * after ctl_error(). */
bool vsctl_cache_check_conflicts(const struct vsctl_cache *,
                                 struct ctl_context *, const char *name,
                                 const char *what);

#endif
