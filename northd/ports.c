/* northd/ports: Port_Binding per LSP, LRP and chassis-redirect port (see
 * ports.h). */
#include "northd/ports.h"

#include <string.h>
#include "ds.h"
#include "hash.h"
#include "json.h"
#include "util.h"
#include "vlog.h"
#include "northd/datapaths.h"
#include "northd/gateways.h"
#include "northd/keys.h"
#include "northd/options.h"
#include "ovsdb/nbrec-idl.h"
#include "ovsdb/sbrec-idl.h"

VLOG_DEFINE_THIS_MODULE(northd_ports);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

#define TAG_MIN 1
#define TAG_MAX 4095

void
ports_init(struct northd_ports *ports)
{
    hmap_init(&ports->by_name);
    ports->array = NULL;
    ports->n = 0;
    ports->allocated = 0;
    ports->max_port_key = KEYS_PORT_MAX;
    ports->index_valid = false;
    arena_init(&ports->arena);
}

void
ports_clear(struct northd_ports *ports)
{
    free(ports->array);
    ports->array = NULL;
    ports->n = 0;
    ports->allocated = 0;
    hmap_clear(&ports->by_name);
    if (ports->index_valid) {
        dbdiff_index_finish(&ports->index, NULL, false);
        ports->index_valid = false;
    }
    arena_clear(&ports->arena);
}

void
ports_destroy(struct northd_ports *ports)
{
    if (ports) {
        ports_clear(ports);
        hmap_destroy(&ports->by_name);
        arena_destroy(&ports->arena);
        ports_init(ports);
    }
}

struct northd_port *
ports_find(const struct northd_ports *ports, const char *name)
{
    struct northd_port *op;

    HMAP_FOR_EACH_WITH_HASH (op, name_node, hash_string(name, 0),
                             &ports->by_name) {
        if (!strcmp(op->name, name)) {
            return op;
        }
    }
    return NULL;
}

const struct sbrec_chassis *
ports_find_chassis(const struct ovsdb_client *sb, const char *name)
{
    const struct sbrec_chassis *ch, *by_hostname = NULL;

    SBREC_CHASSIS_FOR_EACH (ch, sb) {
        if (!strcmp(ch->name, name)) {
            return ch;
        } else if (!by_hostname && !strcmp(ch->hostname, name)) {
            by_hostname = ch;
        }
    }
    return by_hostname;
}

/* 'name' quoted as a JSON string, in 'arena'. */
static const char *
quote_name(struct arena *arena, const char *name)
{
    struct ds q = DS_EMPTY_INITIALIZER;
    const char *s;

    json_string_escape(name, &q);
    s = arena_strdup(arena, ds_cstr(&q));
    ds_destroy(&q);
    return s;
}

/* Creates port 'name' on 'od', or logs and returns NULL if the name is
 * taken.  'owned' is 'name' if it lives in the ports' arena. */
static struct northd_port *
port_create(struct northd_ports *ports, size_t *allocated,
            struct northd_datapath *od, const char *name, char *owned,
            enum northd_port_kind kind, const struct uuid *nb_uuid)
{
    uint32_t hash = hash_string(name, 0);
    struct northd_port *op;
    char buf[UUID_LEN + 1];

    HMAP_FOR_EACH_WITH_HASH (op, name_node, hash, &ports->by_name) {
        if (strcmp(op->name, name)) {
            continue;
        }
        VLOG_WARN_RL(&rl, "duplicate logical port %s (%s on %s): skipped",
                     name, uuid_to_cstr(nb_uuid, buf), od->name);
        return NULL;
    }
    op = arena_zalloc(&ports->arena, sizeof *op);
    op->name = name;
    op->json_name = quote_name(&ports->arena, name);
    op->name_owned = owned;
    op->kind = kind;
    op->od = od;
    op->nb_uuid = *nb_uuid;
    op->enabled = true;
    op->tag = -1;
    hmap_insert(&ports->by_name, &op->name_node, hash);
    if (ports->n >= *allocated) {
        ports->array = x2nrealloc(ports->array, allocated,
                                  sizeof *ports->array);
    }
    ports->array[ports->n++] = op;
    datapaths_add_port(od, op);
    return op;
}

/* Copies 'n' elements of 'size' bytes (NULL for none). */
static void *
array_dup(const void *array, size_t n, size_t size)
{
    return n ? xmemdup(array, n * size) : NULL;
}

/* Makes 'op''s 'mac' the single string 'mac' (taking ownership). */
static void
set_owned_mac(struct northd_port *op, char *mac)
{
    op->mac_owned = mac;
    op->mac_one[0] = mac;
    op->mac = op->mac_one;
    op->n_mac = 1;
}

/* Parses 'addresses' into 'op', logging and leaving out bad entries. */
static void
parse_lsp_addresses(struct northd_port *op, struct arena *arena)
{
    const struct nbrec_logical_switch_port *nbsp = op->nbsp;
    char buf[UUID_LEN + 1];

    op->mac = arena_alloc(arena, (nbsp->n_addresses + 1) * sizeof *op->mac);
    op->lsp_addrs = arena_alloc(arena, (nbsp->n_addresses + 1)
                                       * sizeof *op->lsp_addrs);
    op->ps_addrs = arena_alloc(arena, (nbsp->n_port_security + 1)
                                      * sizeof *op->ps_addrs);
    for (size_t i = 0; i < nbsp->n_addresses; i++) {
        const char *s = nbsp->addresses[i];
        struct lport_addrs a;
        char *error;

        if (!strcmp(s, "unknown")) {
            op->has_unknown = true;
        } else if (!strcmp(s, "router")) {
            op->has_router_addr = true;
        }
        if (lport_addrs_is_keyword(s)) {
            op->wants_dynamic |= (!strcmp(s, "dynamic")
                                  || str_startswith(s, "dynamic ")
                                  || (strlen(s) == 25
                                      && !strcmp(s + 17, " dynamic")));
            op->mac[op->n_mac++] = s;
            continue;
        }
        error = lport_addrs_parse_in(arena, s, &a);
        if (error) {
            VLOG_WARN_RL(&rl, "logical switch port %s (%s): bad address "
                         "%s: left out", op->name,
                         uuid_to_cstr(&op->nb_uuid, buf), error);
            free(error);
            continue;
        }
        op->mac[op->n_mac++] = s;
        op->lsp_addrs[op->n_lsp_addrs++] = a;
    }
    for (size_t i = 0; i < nbsp->n_port_security; i++) {
        struct lport_addrs a;
        char *error = lport_addrs_parse_in(arena, nbsp->port_security[i],
                                           &a);

        if (error) {
            VLOG_WARN_RL(&rl, "logical switch port %s (%s): bad "
                         "port_security %s: ignored", op->name,
                         uuid_to_cstr(&op->nb_uuid, buf), error);
            free(error);
            continue;
        }
        op->ps_addrs[op->n_ps_addrs++] = a;
    }
}

/* Parses 'mac' and 'networks' into 'op'; bad networks are logged and left
 * out.  Returns false (after logging) if the MAC is bad. */
static bool
parse_lrp_networks(struct northd_port *op,
                   const struct nbrec_logical_router_port *nbrp,
                   struct arena *arena)
{
    const char **good = xmalloc((nbrp->n_networks + 1) * sizeof *good);
    size_t n_good = 0;
    struct ds mac = DS_EMPTY_INITIALIZER;
    char buf[UUID_LEN + 1];
    char *error;

    for (size_t i = 0; i < nbrp->n_networks; i++) {
        if (ip_is_cidr(nbrp->networks[i])) {
            good[n_good++] = nbrp->networks[i];
        } else {
            VLOG_WARN_RL(&rl, "logical router port %s (%s): bad network "
                         "'%s': left out", nbrp->name,
                         uuid_to_cstr(&op->nb_uuid, buf),
                         nbrp->networks[i]);
        }
    }
    error = lport_addrs_parse_lrp_in(arena, nbrp->mac, good, n_good,
                                     &op->lrp_networks);
    if (!error) {
        ds_put_cstr(&mac, nbrp->mac);
        for (size_t i = 0; i < n_good; i++) {
            ds_put_format(&mac, " %s", good[i]);
        }
        set_owned_mac(op, arena_strdup(arena, ds_cstr(&mac)));
    } else {
        VLOG_WARN_RL(&rl, "logical router port %s (%s): %s: skipped",
                     nbrp->name, uuid_to_cstr(&op->nb_uuid, buf), error);
        free(error);
    }
    ds_destroy(&mac);
    free(good);
    return op->n_mac != 0;
}

/* An LSP to sort, with its name at hand: the sort then reads one
 * pointer less per comparison (it runs for every port on every
 * recompute). */
struct lsp_by_name {
    const char *name;
    const struct nbrec_logical_switch_port *nbsp;
};

static int
compare_lsps(const void *a_, const void *b_)
{
    const struct lsp_by_name *a = a_;
    const struct lsp_by_name *b = b_;
    int cmp = strcmp(a->name, b->name);
    return cmp ? cmp : uuid_compare(&a->nbsp->header_.uuid,
                                    &b->nbsp->header_.uuid);
}

static int
compare_lrps(const void *a_, const void *b_)
{
    const struct nbrec_logical_router_port *a = *(void *const *) a_;
    const struct nbrec_logical_router_port *b = *(void *const *) b_;
    int cmp = strcmp(a->name, b->name);
    return cmp ? cmp : uuid_compare(&a->header_.uuid, &b->header_.uuid);
}

static enum northd_lsp_type
lsp_type_of(const char *type)
{
    static const struct {
        const char *name;
        enum northd_lsp_type type;
    } types[] = {
        { "", NORTHD_LSP_VIF },
        { "router", NORTHD_LSP_ROUTER },
        { "localnet", NORTHD_LSP_LOCALNET },
        { "localport", NORTHD_LSP_LOCALPORT },
        { "vtep", NORTHD_LSP_VTEP },
        { "external", NORTHD_LSP_EXTERNAL },
        { "virtual", NORTHD_LSP_VIRTUAL },
    };

    for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
        if (!strcmp(type, types[i].name)) {
            return types[i].type;
        }
    }
    return NORTHD_LSP_OTHER;
}

/* Fills LSP 'op' from 'nbsp'. */
static void
init_lsp(struct northd_port *op, const struct nbrec_logical_switch_port *nbsp,
         struct arena *arena)
{
    op->nbsp = nbsp;
    op->lsp_type = lsp_type_of(nbsp->type);
    op->is_router_lsp = op->lsp_type == NORTHD_LSP_ROUTER;
    op->sb_type = nbsp->type;
    op->enabled = !nbsp->n_enabled || nbsp->enabled[0];
    if (nbsp->options && nbsp->options->n) {
        /* Read once here: the pipeline builders run on every port. */
        op->requested_tnl_key = options_get(nbsp->options,
                                            "requested-tnl-key");
        op->qdisc_queue_id = options_get_int(nbsp->options,
                                             "qdisc_queue_id", 0);
    }
    parse_lsp_addresses(op, arena);
}

static void
build_switch_ports(struct northd_ports *ports, size_t *allocated,
                   struct northd_datapath *od)
{
    size_t n = od->nbs->n_ports;
    struct lsp_by_name *lsps = xmalloc((n + 1) * sizeof *lsps);

    for (size_t i = 0; i < n; i++) {
        lsps[i].nbsp = od->nbs->ports[i];
        lsps[i].name = lsps[i].nbsp->name;
    }
    if (n) {
        qsort(lsps, n, sizeof *lsps, compare_lsps);
    }
    for (size_t i = 0; i < n; i++) {
        const struct nbrec_logical_switch_port *nbsp = lsps[i].nbsp;
        struct northd_port *op = port_create(ports, allocated, od,
                                             nbsp->name, NULL,
                                             NORTHD_PORT_LSP,
                                             &nbsp->header_.uuid);
        if (!op) {
            continue;
        }
        init_lsp(op, nbsp, &ports->arena);
    }
    free(lsps);
}

static void
build_router_ports(struct northd_ports *ports, size_t *allocated,
                   struct northd_datapath *od)
{
    size_t n = od->nbr->n_ports;
    const struct nbrec_logical_router_port **lrps
        = array_dup(od->nbr->ports, n, sizeof *lrps);

    if (n) {
        qsort(lrps, n, sizeof *lrps, compare_lrps);
    }
    for (size_t i = 0; i < n; i++) {
        const struct nbrec_logical_router_port *nbrp = lrps[i];
        struct northd_port probe;

        /* Check the MAC first so that a bad port takes no name. */
        memset(&probe, 0, sizeof probe);
        probe.nb_uuid = nbrp->header_.uuid;
        if (!parse_lrp_networks(&probe, nbrp, &ports->arena)) {
            continue;
        }
        struct northd_port *op = port_create(ports, allocated, od,
                                             nbrp->name, NULL,
                                             NORTHD_PORT_LRP,
                                             &nbrp->header_.uuid);
        if (op) {
            op->nbrp = nbrp;
            op->sb_type = od->l3gw_chassis ? "l3gateway" : "patch";
            op->enabled = !nbrp->n_enabled || nbrp->enabled[0];
            op->requested_tnl_key = options_get(nbrp->options,
                                                "requested-tnl-key");
            op->lrp_networks = probe.lrp_networks;
            set_owned_mac(op, probe.mac_owned);
        }
    }
    free(lrps);
}

/* Links router LSPs and LRPs with their peers. */
static void
resolve_peers(struct northd_ports *ports)
{
    char buf[UUID_LEN + 1];

    for (size_t i = 0; i < ports->n; i++) {
        struct northd_port *op = ports->array[i];
        struct northd_port *peer;
        const char *name;

        if (ports_is_router_lsp(op)) {
            name = nbrec_logical_switch_port_get_options_value(op->nbsp,
                                                               "router-port");
            peer = name ? ports_find(ports, name) : NULL;
            if (peer && peer->kind == NORTHD_PORT_LRP && !peer->peer
                && !peer->nbrp->peer) {
                op->peer = peer;
                peer->peer = op;
                op->sb_type = peer->od->l3gw_chassis ? "l3gateway" : "patch";
            } else {
                op->sb_type = "patch";
            }
        } else if (op->kind == NORTHD_PORT_LRP && op->nbrp->peer
                   && !op->peer) {
            peer = ports_find(ports, op->nbrp->peer);
            if (peer && peer->kind == NORTHD_PORT_LRP && peer != op
                && peer->nbrp->peer && !strcmp(peer->nbrp->peer, op->name)) {
                op->peer = peer;
                peer->peer = op;
            } else {
                VLOG_WARN_RL(&rl, "logical router port %s (%s): peer %s is "
                             "not a router port that peers back: no peer",
                             op->name, uuid_to_cstr(&op->nb_uuid, buf),
                             op->nbrp->peer);
            }
        }
    }
}

/* Creates the cr- port of each distributed gateway port. */
static void
build_cr_ports(struct northd_ports *ports, size_t *allocated,
               const struct northd_datapaths *dps)
{
    char buf[UUID_LEN + 1];

    for (size_t d = dps->n_switches; d < dps->n; d++) {
        struct northd_datapath *od = dps->array[d];
        size_t n_lrps = od->n_ports;

        for (size_t i = 0; i < n_lrps; i++) {
            struct northd_port *op = od->ports[i];
            const struct nbrec_logical_router_port *nbrp = op->nbrp;

            if (!nbrp->ha_chassis_group && !nbrp->n_gateway_chassis) {
                continue;
            }
            if (od->l3gw_chassis) {
                VLOG_WARN_RL(&rl, "logical router port %s (%s): gateway "
                             "chassis on gateway router %s: ignored",
                             op->name, uuid_to_cstr(&op->nb_uuid, buf),
                             od->name);
                continue;
            }
            char *name = arena_alloc(&ports->arena, strlen(op->name) + 4);
            sprintf(name, "cr-%s", op->name);
            struct northd_port *cr = port_create(ports, allocated, od, name,
                                                 name, NORTHD_PORT_CR,
                                                 &op->nb_uuid);
            if (!cr) {
                continue;
            }
            cr->nbrp = nbrp;
            cr->sb_type = "chassisredirect";
            cr->dgp = op;
            cr->enabled = op->enabled;
            set_owned_mac(cr, op->mac_owned);
            cr->lrp_networks = op->lrp_networks;    /* Arena arrays. */
            op->cr_port = cr;
            op->ha_group = cr->ha_group = (nbrp->ha_chassis_group
                                           ? nbrp->ha_chassis_group->name
                                           : op->name);
        }
    }
}

static void
add_port_ref(struct northd_port ***array, size_t *n, struct northd_port *op)
{
    *array = xrealloc(*array, (*n + 1) * sizeof **array);
    (*array)[(*n)++] = op;
}

/* Fills the per-datapath facts the pipeline modules use. */
static void
note_datapath_facts(struct northd_ports *ports)
{
    for (size_t i = 0; i < ports->n; i++) {
        struct northd_port *op = ports->array[i];
        struct northd_datapath *od = op->od;

        if (op->kind == NORTHD_PORT_LSP) {
            if (!strcmp(op->nbsp->type, "localnet")) {
                add_port_ref(&od->localnet_ports, &od->n_localnet_ports, op);
            } else if (ports_is_router_lsp(op) && op->peer) {
                add_port_ref(&od->router_ports, &od->n_router_ports, op);
            } else if (!strcmp(op->nbsp->type, "external")
                       && op->nbsp->ha_chassis_group) {
                op->ha_group = op->nbsp->ha_chassis_group->name;
            }
            if (op->has_unknown && op->enabled) {
                od->has_unknown = true;
            }
        } else if (op->kind == NORTHD_PORT_LRP && op->cr_port) {
            add_port_ref(&od->l3dgw_ports, &od->n_l3dgw_ports, op);
        }
    }
}

/* Port keys of one datapath: requested, kept, then new ones. */
static void
assign_port_keys(struct northd_datapath *od, uint32_t max)
{
    char buf[UUID_LEN + 1];

    for (size_t i = 0; i < od->n_ports; i++) {
        struct northd_port *op = od->ports[i];
        const char *s = op->requested_tnl_key;
        unsigned int key;

        if (!s) {
            continue;
        }
        if (!str_to_uint(s, 10, &key) || key < KEYS_PORT_MIN || key > max
            || !keys_add(&od->port_keys, key)) {
            VLOG_WARN_RL(&rl, "logical port %s (%s): requested-tnl-key %s "
                         "is invalid or in use", op->name,
                         uuid_to_cstr(&op->nb_uuid, buf), s);
        } else {
            op->tunnel_key = key;
        }
    }
    for (size_t i = 0; i < od->n_ports; i++) {
        struct northd_port *op = od->ports[i];
        if (!op->tunnel_key && op->sb && op->sb->datapath == od->sb
            && od->sb && op->sb->tunnel_key >= KEYS_PORT_MIN
            && op->sb->tunnel_key <= max
            && keys_add(&od->port_keys, op->sb->tunnel_key)) {
            op->tunnel_key = op->sb->tunnel_key;
        }
        if (op->tunnel_key > od->port_key_hint) {
            od->port_key_hint = op->tunnel_key;
        }
    }
    for (size_t i = 0; i < od->n_ports; i++) {
        struct northd_port *op = od->ports[i];
        if (!op->tunnel_key) {
            op->tunnel_key = keys_allocate(&od->port_keys, KEYS_PORT_MIN,
                                           max, od->port_key_hint);
            if (op->tunnel_key) {
                od->port_key_hint = op->tunnel_key;
            } else {
                VLOG_WARN_RL(&rl, "logical port %s: no free tunnel key on "
                             "datapath %s", op->name, od->name);
            }
        }
    }
}

/* A parent port's tags in use: "parent name" -> struct keys. */
struct tag_space {
    struct hmap_node node;
    const char *parent;
    struct keys tags;
};

static struct keys *
tag_space_get(struct hmap *spaces, const char *parent)
{
    uint32_t hash = hash_string(parent, 0);
    struct tag_space *ts;

    HMAP_FOR_EACH_WITH_HASH (ts, node, hash, spaces) {
        if (!strcmp(ts->parent, parent)) {
            return &ts->tags;
        }
    }
    ts = xmalloc(sizeof *ts);
    ts->parent = parent;
    keys_init(&ts->tags);
    hmap_insert(spaces, &ts->node, hash);
    return &ts->tags;
}

/* VLAN tags: tag_request > 0 is the tag; tag_request 0 on a port with a
 * parent asks for the lowest free tag of that parent. */
static void
assign_tags(struct northd_ports *ports)
{
    struct hmap spaces = HMAP_INITIALIZER(&spaces);
    struct tag_space *ts;

    for (int pass = 0; pass < 3; pass++) {
        for (size_t i = 0; i < ports->n; i++) {
            struct northd_port *op = ports->array[i];
            const struct nbrec_logical_switch_port *nbsp = op->nbsp;
            if (op->kind != NORTHD_PORT_LSP || !nbsp->n_tag_request) {
                continue;
            }
            long long req = nbsp->tag_request[0];
            const char *parent = nbsp->parent_name;
            if (pass == 0 && req > 0) {
                op->tag = req;
                if (parent) {
                    keys_add(tag_space_get(&spaces, parent), req);
                }
            } else if (pass == 1 && req == 0 && parent && nbsp->n_tag
                       && nbsp->tag[0] >= TAG_MIN && nbsp->tag[0] <= TAG_MAX
                       && keys_add(tag_space_get(&spaces, parent),
                                   nbsp->tag[0])) {
                op->tag = nbsp->tag[0];
            } else if (pass == 2 && req == 0 && parent && op->tag < 0) {
                uint32_t tag = keys_allocate(tag_space_get(&spaces, parent),
                                             TAG_MIN, TAG_MAX, 0);
                op->tag = tag ? (long long) tag : -1;
            }
        }
    }
    HMAP_FOR_EACH_POP (ts, node, &spaces) {
        keys_destroy(&ts->tags);
        free(ts);
    }
    hmap_destroy(&spaces);
}

static const char *
binding_key(const struct ovsdb_client_row *row, struct ds *buf OVS_UNUSED,
            void *aux OVS_UNUSED)
{
    return ((const struct sbrec_port_binding *) row)->logical_port;
}

void
ports_build(struct northd_ports *ports, struct northd_datapaths *dps,
            const struct ovsdb_client *nb OVS_UNUSED,
            struct ovsdb_client *sb)
{
    uint32_t max = (dps->max_key == KEYS_DP_VXLAN_MAX ? 2047
                    : KEYS_PORT_MAX);
    size_t allocated = 0;

    ports_clear(ports);
    allocated = 0;
    for (size_t i = 0; i < dps->n; i++) {
        const struct northd_datapath *od = dps->array[i];
        allocated += od->nbs ? od->nbs->n_ports : 2 * od->nbr->n_ports;
    }
    ports->array = xmalloc((allocated + 1) * sizeof *ports->array);
    hmap_reserve(&ports->by_name, allocated);
    for (size_t i = 0; i < dps->n; i++) {
        struct northd_datapath *od = dps->array[i];
        if (od->nbs) {
            build_switch_ports(ports, &allocated, od);
        } else {
            build_router_ports(ports, &allocated, od);
        }
    }
    resolve_peers(ports);
    build_cr_ports(ports, &allocated, dps);
    note_datapath_facts(ports);

    dbdiff_index_init(&ports->index, sbrec_port_binding_table(sb),
                      binding_key, NULL);
    ports->index_valid = true;
    for (size_t i = 0; i < ports->n; i++) {
        struct northd_port *op = ports->array[i];
        op->sb = (const struct sbrec_port_binding *)
                 dbdiff_index_claim(&ports->index, op->name);
    }
    for (size_t i = 0; i < dps->n; i++) {
        assign_port_keys(dps->array[i], max);
    }
    assign_tags(ports);
    ports->allocated = allocated;
    ports->max_port_key = max;
}

/* Incremental changes. */

/* Moves 'op', the last of its datapath's ports, to its place in name
 * order, as build_switch_ports() orders them. */
static void
place_lsp(struct northd_datapath *od, struct northd_port *op)
{
    size_t i = od->n_ports - 1;

    ASSERT(od->ports[i] == op);
    for (; i > 0; i--) {
        const struct northd_port *prev = od->ports[i - 1];
        int cmp = strcmp(prev->name, op->name);
        if (cmp < 0 || (!cmp && uuid_compare(&prev->nb_uuid,
                                             &op->nb_uuid) < 0)) {
            break;
        }
        od->ports[i] = od->ports[i - 1];
    }
    od->ports[i] = op;
}

struct northd_port *
ports_add_lsp(struct northd_ports *ports, struct northd_datapath *od,
              const struct nbrec_logical_switch_port *nbsp,
              const struct northd_port *old)
{
    struct northd_port *op = port_create(ports, &ports->allocated, od,
                                         nbsp->name, NULL, NORTHD_PORT_LSP,
                                         &nbsp->header_.uuid);
    if (!op) {
        return NULL;
    }
    place_lsp(od, op);
    init_lsp(op, nbsp, &ports->arena);
    if (old) {
        op->tunnel_key = old->tunnel_key;
        op->sb = old->sb;
    } else {
        op->tunnel_key = keys_allocate(&od->port_keys, KEYS_PORT_MIN,
                                       ports->max_port_key,
                                       od->port_key_hint);
        if (op->tunnel_key) {
            od->port_key_hint = op->tunnel_key;
        } else {
            VLOG_WARN_RL(&rl, "logical port %s: no free tunnel key on "
                         "datapath %s", op->name, od->name);
        }
    }
    return op;
}

/* Removes 'op' from 'array' of '*n', keeping the order. */
static void
remove_from(struct northd_port **array, size_t *n,
            const struct northd_port *op)
{
    for (size_t i = *n; i-- > 0;) {
        if (array[i] == op) {
            memmove(&array[i], &array[i + 1],
                    (*n - i - 1) * sizeof *array);
            (*n)--;
            return;
        }
    }
}

void
ports_remove(struct northd_ports *ports, struct northd_port *op,
             bool free_key)
{
    struct northd_datapath *od = op->od;

    hmap_remove(&ports->by_name, &op->name_node);
    remove_from(ports->array, &ports->n, op);
    remove_from(od->ports, &od->n_ports, op);
    if (free_key && op->tunnel_key) {
        keys_remove(&od->port_keys, op->tunnel_key);
    }
}

/* Port_Binding columns. */

/* Fast paths for sync_port(), which runs for every port on every
 * recompute: most columns hold nothing or one string and are unchanged,
 * and these see that without building a datum. */

/* Is 'row''s column 'col' empty? */
static bool
col_is_empty(const struct ovsdb_client_row *row, unsigned int col)
{
    return !ovsdb_client_row_get(row, col)->n;
}

/* Sets column 'col' to the empty set (or map). */
static void
set_empty(struct dbdiff *diff, const struct ovsdb_client_row *row,
          unsigned int col)
{
    struct dbdiff_datum empty;

    if (!col_is_empty(row, col)) {
        dbdiff_datum_init_set(&empty);
        dbdiff_set(diff, row, col, &empty);
    }
}

/* dbdiff_set_strings(), quick when 'n' <= 1 and nothing changed. */
static void
set_strings(struct dbdiff *diff, const struct ovsdb_client_row *row,
            unsigned int col, const char *const *strings, size_t n)
{
    const struct ovsdb_datum *cur = ovsdb_client_row_get(row, col);

    if (n <= 1 && cur->n == n
        && (!n || !strcmp(ovsdb_atom_string(&cur->keys[0]), strings[0]))) {
        return;
    }
    dbdiff_set_strings(diff, row, col, strings, n);
}

/* Sets map column 'col' to a copy of map 'src'. */
static void
set_map_copy(struct dbdiff *diff, const struct ovsdb_client_row *row,
             unsigned int col, const struct ovsdb_datum *src)
{
    struct dbdiff_datum map;

    if (!src->n) {
        set_empty(diff, row, col);
        return;
    }
    dbdiff_datum_init_map(&map);
    dbdiff_datum_add_map(&map, src);
    dbdiff_set(diff, row, col, &map);
}

static void
add_unique(struct ds *entry, const char *ip)
{
    /* 'entry' is "MAC IP IP ..."; look for " IP" as a whole word. */
    size_t len = strlen(ip);
    const char *p = ds_cstr_ro(entry);

    while ((p = strstr(p, ip)) != NULL) {
        if (p[-1] == ' ' && (p[len] == ' ' || p[len] == '\0')) {
            return;
        }
        p += len;
    }
    ds_put_format(entry, " %s", ip);
}

/* Adds the IPv4 VIPs of the router's load balancers to 'entry'. */
static void
add_lb_vips(struct ds *entry, const struct nbrec_logical_router *nbr)
{
    for (size_t i = 0; i < nbr->n_load_balancer; i++) {
        const struct ovsdb_datum *vips = nbr->load_balancer[i]->vips;
        for (size_t j = 0; j < vips->n; j++) {
            char ip[INET6_ADDRSTRLEN];
            struct in6_addr addr;

            if (lport_addrs_parse_vip(ovsdb_atom_string(&vips->keys[j]),
                                      &addr, ip)
                && ip_is_v4(&addr)) {
                add_unique(entry, ip);
            }
        }
    }
}

/* The "nat-addresses=router" entries of router LSP 'op' whose peer is
 * 'peer' (a DGP, or a port of a gateway router). */
static void
router_nat_addresses(const struct northd_port *op,
                     const struct northd_port *peer, struct ds *entry,
                     char ***out, size_t *n)
{
    const struct nbrec_logical_router *nbr = peer->od->nbr;

    ds_put_cstr(entry, peer->lrp_networks.ea_s);
    size_t empty_len = entry->length;
    for (size_t i = 0; i < nbr->n_nat; i++) {
        const struct nbrec_nat *nat = nbr->nat[i];
        if (nat->gateway_port && nat->gateway_port != peer->nbrp) {
            continue;
        }
        if (!strcmp(nat->type, "dnat_and_snat") && nat->logical_port
            && nat->external_mac && peer->cr_port) {
            /* Distributed: announced by the chassis of its port. */
            *out = xrealloc(*out, (*n + 1) * sizeof **out);
            (*out)[(*n)++] = xasprintf(
                "%s %s is_chassis_resident(\"%s\")", nat->external_mac,
                nat->external_ip, nat->logical_port);
            continue;
        }
        add_unique(entry, nat->external_ip);
    }
    if (!options_get_bool(op->nbsp->options, "exclude-lb-vips-from-garp",
                          false)) {
        add_lb_vips(entry, nbr);
    }
    if (entry->length == empty_len) {
        ds_clear(entry);
    }
}

static void
add_string(char ***array, size_t *n, char *s)
{
    *array = xrealloc(*array, (*n + 1) * sizeof **array);
    (*array)[(*n)++] = s;
}

/* Port_Binding 'nat_addresses' of router LSP 'op' (see ports.h). */
static void
build_nat_addresses(const struct northd_port *op, char ***out, size_t *n)
{
    const struct northd_port *peer = op->peer;
    const char *nat_opt = options_get(op->nbsp->options, "nat-addresses");
    struct ds entry = DS_EMPTY_INITIALIZER;
    char *resident = NULL;

    *out = NULL;
    *n = 0;
    if (!peer || (!peer->cr_port && !peer->od->l3gw_chassis)) {
        return;
    }
    if (peer->cr_port) {
        resident = xasprintf(" is_chassis_resident(\"%s\")",
                             peer->cr_port->name);
    }
    if (nat_opt && !strcmp(nat_opt, "router")) {
        router_nat_addresses(op, peer, &entry, out, n);
    } else if (nat_opt && nat_opt[0]) {
        ds_put_cstr(&entry, nat_opt);
    }
    if (entry.length) {
        ds_put_cstr(&entry, resident ? resident : "");
        add_string(out, n, ds_steal_cstr(&entry));
    }
    if (peer->cr_port && peer->lrp_networks.n_ipv4
        && !options_get_bool(op->nbsp->options,
                             "exclude-router-ips-from-garp", false)) {
        ds_clear(&entry);
        ds_put_cstr(&entry, peer->lrp_networks.ea_s);
        for (size_t i = 0; i < peer->lrp_networks.n_ipv4; i++) {
            ds_put_format(&entry, " %s", peer->lrp_networks.ipv4[i].addr_s);
        }
        ds_put_cstr(&entry, resident);
        add_string(out, n, ds_steal_cstr(&entry));
    }
    ds_destroy(&entry);
    free(resident);
}

/* Does router 'nbr' have a distributed NAT (dnat_and_snat with both
 * logical_port and external_mac)? */
static bool
has_distributed_nat(const struct nbrec_logical_router *nbr)
{
    for (size_t i = 0; i < nbr->n_nat; i++) {
        const struct nbrec_nat *nat = nbr->nat[i];
        if (!strcmp(nat->type, "dnat_and_snat") && nat->logical_port
            && nat->external_mac) {
            return true;
        }
    }
    return false;
}

static void
build_options(const struct northd_port *op, struct dbdiff_datum *opts)
{
    dbdiff_datum_init_map(opts);
    if (op->kind == NORTHD_PORT_CR) {
        if (!has_distributed_nat(op->od->nbr)) {
            dbdiff_datum_add_pair(opts, "always-redirect", "true");
        }
        dbdiff_datum_add_pair(opts, "distributed-port", op->dgp->name);
    } else if (op->kind == NORTHD_PORT_LRP) {
        if (op->peer) {
            dbdiff_datum_add_pair(opts, "peer", op->peer->name);
            if (op->cr_port) {
                dbdiff_datum_add_pair(opts, "chassis-redirect-port",
                                      op->cr_port->name);
            }
        }
        if (op->od->l3gw_chassis) {
            dbdiff_datum_add_pair(opts, "l3gateway-chassis",
                                  op->od->l3gw_chassis);
        }
    } else if (ports_is_router_lsp(op)) {
        const char *rp = options_get(op->nbsp->options, "router-port");
        if (rp) {
            dbdiff_datum_add_pair(opts, "peer", rp);
        }
        if (op->peer && op->peer->od->l3gw_chassis) {
            dbdiff_datum_add_pair(opts, "l3gateway-chassis",
                                  op->peer->od->l3gw_chassis);
        }
    } else {
        dbdiff_datum_add_map(opts, op->nbsp->options);
    }
}

/* requested-chassis: "main[,additional...]", by name or hostname. */
static void
sync_requested_chassis(struct dbdiff *diff, const struct northd_port *op)
{
    const char *rc = (op->kind == NORTHD_PORT_LSP
                      ? options_get(op->nbsp->options, "requested-chassis")
                      : NULL);
    const struct ovsdb_client_row *main_ch = NULL;
    struct dbdiff_datum additional;
    char *copy, *save = NULL;

    if (!rc) {
        set_empty(diff, &op->sb->header_,
                  SBREC_PORT_BINDING_COL_REQUESTED_CHASSIS);
        set_empty(diff, &op->sb->header_,
                  SBREC_PORT_BINDING_COL_REQUESTED_ADDITIONAL_CHASSIS);
        return;
    }
    dbdiff_datum_init_set(&additional);
    copy = xstrdup(rc);
    for (char *name = strtok_r(copy, ",", &save); name;
         name = strtok_r(NULL, ",", &save)) {
        const struct sbrec_chassis *ch = ports_find_chassis(diff->client,
                                                            name);
        if (!ch) {
            continue;
        } else if (!main_ch) {
            main_ch = &ch->header_;
        } else {
            dbdiff_datum_add_row(&additional, &ch->header_);
        }
    }
    free(copy);
    dbdiff_set_ref(diff, &op->sb->header_,
                   SBREC_PORT_BINDING_COL_REQUESTED_CHASSIS, main_ch);
    dbdiff_set(diff, &op->sb->header_,
               SBREC_PORT_BINDING_COL_REQUESTED_ADDITIONAL_CHASSIS,
               &additional);
}

static void
sync_lsp_columns(struct dbdiff *diff, const struct northd_port *op)
{
    const struct ovsdb_client_row *row = &op->sb->header_;
    const struct nbrec_logical_switch_port *nbsp = op->nbsp;
    long long tag = op->tag;
    char **nat = NULL;
    size_t n_nat = 0;

    if (nbsp->parent_name) {
        dbdiff_set_string(diff, row, SBREC_PORT_BINDING_COL_PARENT_PORT,
                          nbsp->parent_name);
    } else {
        set_empty(diff, row, SBREC_PORT_BINDING_COL_PARENT_PORT);
    }
    if (tag >= 0) {
        dbdiff_set_integer(diff, row, SBREC_PORT_BINDING_COL_TAG, tag);
    } else {
        set_empty(diff, row, SBREC_PORT_BINDING_COL_TAG);
    }
    set_strings(diff, row, SBREC_PORT_BINDING_COL_PORT_SECURITY,
                (const char *const *) nbsp->port_security,
                nbsp->n_port_security);
    set_map_copy(diff, row, SBREC_PORT_BINDING_COL_EXTERNAL_IDS,
                 nbsp->external_ids);
    if (ports_is_router_lsp(op)) {
        build_nat_addresses(op, &nat, &n_nat);
    }
    set_strings(diff, row, SBREC_PORT_BINDING_COL_NAT_ADDRESSES,
                (const char *const *) nat, n_nat);
    for (size_t i = 0; i < n_nat; i++) {
        free(nat[i]);
    }
    free(nat);
    sync_requested_chassis(diff, op);
}

static void
sync_lrp_columns(struct dbdiff *diff, const struct northd_port *op)
{
    const struct ovsdb_client_row *row = &op->sb->header_;
    struct dbdiff_datum ids, empty;

    dbdiff_datum_init_map(&ids);
    dbdiff_datum_add_map(&ids, op->nbrp->external_ids);  /* cr-: the DGP's. */
    dbdiff_set(diff, row, SBREC_PORT_BINDING_COL_EXTERNAL_IDS, &ids);
    dbdiff_set_opt_string(diff, row, SBREC_PORT_BINDING_COL_PARENT_PORT,
                          NULL);
    dbdiff_set_opt_integer(diff, row, SBREC_PORT_BINDING_COL_TAG, NULL);
    dbdiff_set_strings(diff, row, SBREC_PORT_BINDING_COL_PORT_SECURITY,
                       NULL, 0);
    dbdiff_set_strings(diff, row, SBREC_PORT_BINDING_COL_NAT_ADDRESSES,
                       NULL, 0);
    dbdiff_set_ref(diff, row, SBREC_PORT_BINDING_COL_REQUESTED_CHASSIS,
                   NULL);
    dbdiff_datum_init_set(&empty);
    dbdiff_set(diff, row, SBREC_PORT_BINDING_COL_REQUESTED_ADDITIONAL_CHASSIS,
               &empty);
}

static void
sync_port(struct dbdiff *diff, struct northd_port *op,
          struct ovsdb_client_table *table, const struct gateways *gws)
{
    const struct gateways_group *group;
    struct dbdiff_datum opts;
    const struct ovsdb_client_row *row;
    bool up = false;

    if (!op->sb) {
        op->sb = (const struct sbrec_port_binding *)
                 dbdiff_insert(diff, table);
        dbdiff_set_string(diff, &op->sb->header_,
                          SBREC_PORT_BINDING_COL_LOGICAL_PORT, op->name);
    }
    /* A binding found in the index has the port's name already. */
    row = &op->sb->header_;
    dbdiff_set_ref(diff, row, SBREC_PORT_BINDING_COL_DATAPATH,
                   &op->od->sb->header_);
    dbdiff_set_integer(diff, row, SBREC_PORT_BINDING_COL_TUNNEL_KEY,
                       op->tunnel_key);
    dbdiff_set_string(diff, row, SBREC_PORT_BINDING_COL_TYPE, op->sb_type);
    if (op->kind == NORTHD_PORT_LSP && !ports_is_router_lsp(op)) {
        set_map_copy(diff, row, SBREC_PORT_BINDING_COL_OPTIONS,
                     op->nbsp->options);
    } else {
        build_options(op, &opts);
        dbdiff_set(diff, row, SBREC_PORT_BINDING_COL_OPTIONS, &opts);
    }
    set_strings(diff, row, SBREC_PORT_BINDING_COL_MAC,
                (const char *const *) op->mac, op->n_mac);
    if (op->kind == NORTHD_PORT_LSP) {
        sync_lsp_columns(diff, op);
    } else {
        sync_lrp_columns(diff, op);
    }
    group = (op->ha_group && (op->kind != NORTHD_PORT_LRP)
             ? gateways_find(gws, op->ha_group) : NULL);
    if (group && group->sb) {
        dbdiff_set_ref(diff, row, SBREC_PORT_BINDING_COL_HA_CHASSIS_GROUP,
                       &group->sb->header_);
    } else {
        set_empty(diff, row, SBREC_PORT_BINDING_COL_HA_CHASSIS_GROUP);
    }
    set_empty(diff, row, SBREC_PORT_BINDING_COL_GATEWAY_CHASSIS);
    if (!op->sb->n_up) {
        /* ovn-controller owns 'up'; northd only fills in "not yet". */
        dbdiff_set_opt_bool(diff, row, SBREC_PORT_BINDING_COL_UP, &up);
    }
}

void
ports_sync_one(struct northd_port *op, struct dbdiff *diff,
               const struct gateways *gws)
{
    if (op->tunnel_key && op->od->sb) {
        sync_port(diff, op, sbrec_port_binding_table(diff->client), gws);
    } else if (op->sb) {
        dbdiff_delete(diff, &op->sb->header_);
        op->sb = NULL;
    }
}

void
ports_sync(struct northd_ports *ports, struct dbdiff *diff,
           const struct gateways *gws)
{
    ASSERT(ports->index_valid);
    for (size_t i = 0; i < ports->n; i++) {
        struct northd_port *op = ports->array[i];
        if (op->tunnel_key && op->od->sb) {
            sync_port(diff, op, ports->index.table, gws);
        } else if (op->sb) {
            dbdiff_delete(diff, &op->sb->header_);
            op->sb = NULL;
        }
    }
    dbdiff_index_finish(&ports->index, diff, true);
    ports->index_valid = false;
}

void
ports_sync_nb(const struct northd_ports *ports, struct dbdiff *diff)
{
    for (size_t i = 0; i < ports->n; i++) {
        ports_sync_nb_one(ports->array[i], diff);
    }
}

void
ports_sync_nb_one(const struct northd_port *op, struct dbdiff *diff)
{
    const struct ovsdb_client_row *row;
    long long tag = op->tag;
    bool up;

    if (op->kind != NORTHD_PORT_LSP) {
        return;
    }
    row = &op->nbsp->header_;
    if (ports_is_router_lsp(op)) {
        up = true;
    } else {
        up = op->sb && op->sb->n_up && op->sb->up[0];
    }
    dbdiff_set_bool(diff, row, NBREC_LOGICAL_SWITCH_PORT_COL_UP, up);
    if (tag >= 0) {
        dbdiff_set_integer(diff, row, NBREC_LOGICAL_SWITCH_PORT_COL_TAG, tag);
    } else {
        set_empty(diff, row, NBREC_LOGICAL_SWITCH_PORT_COL_TAG);
    }
}
