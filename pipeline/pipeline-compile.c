/* pipeline-compile: from plain input structures to indexed tables.  See
 * pipeline.h for the contract. */
#include "pipeline/pipeline-private.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "ds.h"
#include "expr/expr.h"
#include "hash.h"
#include "packets.h"
#include "util.h"

/* Beyond this many conjunctions a match is kept whole and evaluated as it
 * is (it is then filed with no key). */
#define PL_MAX_CONJUNCTIONS 4096

/* --- Input ---------------------------------------------------------- */

struct pl_in_dp {
    uint32_t key;
    char *name;
    bool is_router;
};

struct pl_in_flow {
    uint32_t *dp_keys;
    size_t n_dp_keys;
    enum actions_pipeline pipeline;
    unsigned int table;
    unsigned int priority;
    char *match, *actions, *uuid, *stage_name, *source, *stage_hint;
};

struct pl_in_mcgroup {
    uint32_t dp_key;
    char *name;
    uint32_t key;
    char **ports;
    size_t n_ports;
};

struct pl_in_set {
    char *name;
    char **values;
    size_t n_values;
};

struct pl_in_mac {
    char *port, *ip, *mac;
};

struct pl_in_fdb {
    uint32_t dp_key, port_key;
    char *mac;
};

struct pipeline_input {
    struct pl_in_dp *dps;
    size_t n_dps, allocated_dps;
    struct pipeline_port_desc *ports;   /* Strings owned. */
    size_t n_ports, allocated_ports;
    struct pl_in_flow *flows;
    size_t n_flows, allocated_flows;
    struct pl_in_mcgroup *mcgroups;
    size_t n_mcgroups, allocated_mcgroups;
    struct pl_in_set *addr_sets;
    size_t n_addr_sets, allocated_addr_sets;
    struct pl_in_set *port_groups;
    size_t n_port_groups, allocated_port_groups;
    struct pl_in_mac *macs;
    size_t n_macs, allocated_macs;
    struct pl_in_fdb *fdbs;
    size_t n_fdbs, allocated_fdbs;
    struct pl_dns dns;
};

#define PL_GROW(ARRAY, N, ALLOCATED)                                    \
    ((N) >= (ALLOCATED)                                                 \
     ? (void) ((ARRAY) = x2nrealloc((ARRAY), &(ALLOCATED),              \
                                    sizeof *(ARRAY)))                   \
     : (void) 0)

static char *
nullable_strdup(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static char **
strings_clone(const char *const *strings, size_t n)
{
    char **copy = xcalloc(n ? n : 1, sizeof *copy);
    for (size_t i = 0; i < n; i++) {
        copy[i] = xstrdup(strings[i] ? strings[i] : "");
    }
    return copy;
}

static void
strings_free(char **strings, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(strings[i]);
    }
    free(strings);
}

struct pipeline_input *
pipeline_input_create(void)
{
    struct pipeline_input *in = xzalloc(sizeof *in);
    pl_dns_init(&in->dns);
    return in;
}

void
pipeline_input_destroy(struct pipeline_input *in)
{
    if (!in) {
        return;
    }
    for (size_t i = 0; i < in->n_dps; i++) {
        free(in->dps[i].name);
    }
    free(in->dps);
    for (size_t i = 0; i < in->n_ports; i++) {
        struct pipeline_port_desc *p = &in->ports[i];
        free((char *) p->name);
        free((char *) p->type);
        free((char *) p->peer);
        free((char *) p->distributed_port);
        strings_free((char **) p->port_security, p->n_port_security);
    }
    free(in->ports);
    for (size_t i = 0; i < in->n_flows; i++) {
        struct pl_in_flow *f = &in->flows[i];
        free(f->dp_keys);
        free(f->match);
        free(f->actions);
        free(f->uuid);
        free(f->stage_name);
        free(f->source);
        free(f->stage_hint);
    }
    free(in->flows);
    for (size_t i = 0; i < in->n_mcgroups; i++) {
        free(in->mcgroups[i].name);
        strings_free(in->mcgroups[i].ports, in->mcgroups[i].n_ports);
    }
    free(in->mcgroups);
    for (size_t i = 0; i < in->n_addr_sets; i++) {
        free(in->addr_sets[i].name);
        strings_free(in->addr_sets[i].values, in->addr_sets[i].n_values);
    }
    free(in->addr_sets);
    for (size_t i = 0; i < in->n_port_groups; i++) {
        free(in->port_groups[i].name);
        strings_free(in->port_groups[i].values,
                     in->port_groups[i].n_values);
    }
    free(in->port_groups);
    for (size_t i = 0; i < in->n_macs; i++) {
        free(in->macs[i].port);
        free(in->macs[i].ip);
        free(in->macs[i].mac);
    }
    free(in->macs);
    for (size_t i = 0; i < in->n_fdbs; i++) {
        free(in->fdbs[i].mac);
    }
    free(in->fdbs);
    pl_dns_destroy(&in->dns);
    free(in);
}

void
pipeline_input_add_datapath(struct pipeline_input *in, uint32_t key,
                            const char *name, bool is_router)
{
    PL_GROW(in->dps, in->n_dps, in->allocated_dps);
    in->dps[in->n_dps++] = (struct pl_in_dp) {
        .key = key, .name = xstrdup(name ? name : ""),
        .is_router = is_router };
}

void
pipeline_input_add_port(struct pipeline_input *in,
                        const struct pipeline_port_desc *desc)
{
    PL_GROW(in->ports, in->n_ports, in->allocated_ports);
    struct pipeline_port_desc *p = &in->ports[in->n_ports++];
    *p = *desc;
    p->name = xstrdup(desc->name ? desc->name : "");
    p->type = xstrdup(desc->type ? desc->type : "");
    p->peer = nullable_strdup(desc->peer);
    p->distributed_port = nullable_strdup(desc->distributed_port);
    p->port_security = (const char *const *) strings_clone(
        desc->port_security, desc->n_port_security);
}

void
pipeline_input_add_flow(struct pipeline_input *in,
                        const struct pipeline_flow_desc *desc)
{
    PL_GROW(in->flows, in->n_flows, in->allocated_flows);
    struct pl_in_flow *f = &in->flows[in->n_flows++];
    f->dp_keys = xmemdup(desc->dp_keys,
                         (desc->n_dp_keys ? desc->n_dp_keys : 1)
                         * sizeof *desc->dp_keys);
    f->n_dp_keys = desc->n_dp_keys;
    f->pipeline = desc->pipeline;
    f->table = desc->table;
    f->priority = desc->priority;
    f->match = xstrdup(desc->match ? desc->match : "1");
    f->actions = xstrdup(desc->actions ? desc->actions : "");
    f->uuid = nullable_strdup(desc->uuid);
    f->stage_name = nullable_strdup(desc->stage_name);
    f->source = nullable_strdup(desc->source);
    f->stage_hint = nullable_strdup(desc->stage_hint);
}

void
pipeline_input_add_mcgroup(struct pipeline_input *in, uint32_t dp_key,
                           const char *name, uint32_t key,
                           const char *const *ports, size_t n_ports)
{
    PL_GROW(in->mcgroups, in->n_mcgroups, in->allocated_mcgroups);
    in->mcgroups[in->n_mcgroups++] = (struct pl_in_mcgroup) {
        .dp_key = dp_key, .name = xstrdup(name), .key = key,
        .ports = strings_clone(ports, n_ports), .n_ports = n_ports };
}

static void
add_set(struct pl_in_set **sets, size_t *n, size_t *allocated,
        const char *name, const char *const *values, size_t n_values)
{
    PL_GROW(*sets, *n, *allocated);
    (*sets)[(*n)++] = (struct pl_in_set) {
        .name = xstrdup(name), .values = strings_clone(values, n_values),
        .n_values = n_values };
}

void
pipeline_input_add_address_set(struct pipeline_input *in, const char *name,
                               const char *const *addresses, size_t n)
{
    add_set(&in->addr_sets, &in->n_addr_sets, &in->allocated_addr_sets,
            name, addresses, n);
}

void
pipeline_input_add_port_group(struct pipeline_input *in, const char *name,
                              const char *const *ports, size_t n)
{
    add_set(&in->port_groups, &in->n_port_groups,
            &in->allocated_port_groups, name, ports, n);
}

void
pipeline_input_add_mac_binding(struct pipeline_input *in,
                               const char *logical_port, const char *ip,
                               const char *mac)
{
    PL_GROW(in->macs, in->n_macs, in->allocated_macs);
    in->macs[in->n_macs++] = (struct pl_in_mac) {
        .port = xstrdup(logical_port), .ip = xstrdup(ip),
        .mac = xstrdup(mac) };
}

void
pipeline_input_add_fdb(struct pipeline_input *in, uint32_t dp_key,
                       const char *mac, uint32_t port_key)
{
    PL_GROW(in->fdbs, in->n_fdbs, in->allocated_fdbs);
    in->fdbs[in->n_fdbs++] = (struct pl_in_fdb) {
        .dp_key = dp_key, .port_key = port_key, .mac = xstrdup(mac) };
}

/* --- Lookups -------------------------------------------------------- */

void
pipeline_input_add_dns(struct pipeline_input *in, const uint32_t *dp_keys,
                       size_t n_dp_keys, const char *const *names,
                       const char *const *values, size_t n_records)
{
    pl_dns_add(&in->dns, dp_keys, n_dp_keys, names, values, n_records);
}

static uint32_t
fdb_hash(uint32_t dp_key, uint64_t mac)
{
    return hash_uint64(mac, dp_key);
}

const struct pl_fdb *
pl_fdb_find(const struct pipeline *pl, uint32_t dp_key, uint64_t mac)
{
    const struct pl_fdb *f;
    HMAP_FOR_EACH_WITH_HASH (f, node, fdb_hash(dp_key, mac), &pl->fdbs) {
        if (f->dp_key == dp_key && f->mac == mac) {
            return f;
        }
    }
    return NULL;
}

struct pl_datapath *
pl_datapath_find(const struct pipeline *pl, uint32_t key)
{
    struct pl_datapath *dp;
    HMAP_FOR_EACH_WITH_HASH (dp, node, hash_int(key, 0), &pl->datapaths) {
        if (dp->key == key) {
            return dp;
        }
    }
    return NULL;
}

const struct pl_port *
pl_port_find(const struct pipeline *pl, const char *name)
{
    return name ? shash_find_data(&pl->ports, name) : NULL;
}

static uint32_t
mac_binding_hash(const char *port, struct u128 ip)
{
    return hash_uint64(ip.lo ^ ip.hi, hash_string(port, 0));
}

const struct pl_mac_binding *
pl_mac_binding_find(const struct pipeline *pl, const char *port,
                    int family, struct u128 ip)
{
    const struct pl_mac_binding *b;
    if (!port) {
        return NULL;
    }
    HMAP_FOR_EACH_WITH_HASH (b, node, mac_binding_hash(port, ip),
                             &pl->mac_bindings) {
        if (b->family == family && u128_equals(b->ip, ip)
            && !strcmp(b->port, port)) {
            return b;
        }
    }
    return NULL;
}

bool
pipeline_find_datapath(const struct pipeline *pl, const char *name,
                       uint32_t *key)
{
    const struct pl_datapath *dp;
    HMAP_FOR_EACH (dp, node, &pl->datapaths) {
        if (!strcmp(dp->name, name)) {
            *key = dp->key;
            return true;
        }
    }
    unsigned int k;
    if (str_to_uint(name, 10, &k) && pl_datapath_find(pl, k)) {
        *key = k;
        return true;
    }
    return false;
}

bool
pipeline_port_datapath(const struct pipeline *pl, const char *name,
                       uint32_t *dp_key)
{
    const struct pl_port *p = pl_port_find(pl, name);
    if (p) {
        *dp_key = p->dp->key;
    }
    return p != NULL;
}

const char *
pipeline_datapath_name(const struct pipeline *pl, uint32_t key)
{
    const struct pl_datapath *dp = pl_datapath_find(pl, key);
    return dp ? dp->name : NULL;
}

uint32_t
pipeline_port_key(const struct pipeline *pl, const char *name)
{
    const struct pl_port *p = pl_port_find(pl, name);
    return p ? p->key : 0;
}

size_t
pipeline_n_flows(const struct pipeline *pl)
{
    return pl->n_flows;
}

size_t
pipeline_n_errors(const struct pipeline *pl)
{
    return pl->n_errors;
}

const char *
pipeline_error(const struct pipeline *pl, size_t i)
{
    return i < pl->n_errors ? pl->errors[i] : NULL;
}

/* --- Sets for the expression parser ------------------------------- */

static const struct expr_const_set *
pl_env_addr_set(const void *aux_, const char *name)
{
    const struct pl_env_aux *aux = aux_;
    return shash_find_data(&aux->pl->addr_sets, name);
}

/* ovn-northd 23.03 names a port group's southbound row "<dp key>_<name>"
 * for each datapath it spans, while matches say "@name". */
static const struct expr_const_set *
pl_env_port_group(const void *aux_, const char *name)
{
    const struct pl_env_aux *aux = aux_;
    const struct expr_const_set *set = NULL;
    if (aux->dp_key) {
        char *scoped = xasprintf("%"PRIu32"_%s", aux->dp_key, name);
        set = shash_find_data(&aux->pl->port_groups, scoped);
        free(scoped);
    }
    return set ? set : shash_find_data(&aux->pl->port_groups, name);
}

void
pipeline_expr_env(const struct pipeline *pl, struct expr_env *env)
{
    env->symtab = pl->symtab;
    env->addr_set = pl_env_addr_set;
    env->port_group = pl_env_port_group;
    env->aux = &pl->env_aux;
}

/* --- Compilation ---------------------------------------------------- */

static void
pl_add_error(struct pipeline *pl, char *error)
{
    PL_GROW(pl->errors, pl->n_errors, pl->allocated_errors);
    pl->errors[pl->n_errors++] = error;
}

static void
pl_build_sets(struct pipeline *pl, const struct pipeline_input *in)
{
    for (size_t i = 0; i < in->n_addr_sets; i++) {
        const struct pl_in_set *s = &in->addr_sets[i];
        struct expr_const_set *set = xmalloc(sizeof *set);
        expr_const_set_init(set, false);
        for (size_t j = 0; j < s->n_values; j++) {
            char *error = expr_const_set_add_integer(set, s->values[j]);
            if (error) {
                pl_add_error(pl, xasprintf("address set %s: %s",
                                           s->name, error));
                free(error);
            }
        }
        struct expr_const_set *old = shash_replace(&pl->addr_sets,
                                                   s->name, set);
        if (old) {
            expr_const_set_destroy(old);
            free(old);
        }
    }
    for (size_t i = 0; i < in->n_port_groups; i++) {
        const struct pl_in_set *s = &in->port_groups[i];
        struct expr_const_set *set = xmalloc(sizeof *set);
        expr_const_set_init(set, true);
        for (size_t j = 0; j < s->n_values; j++) {
            expr_const_set_add_string(set, s->values[j]);
        }
        struct expr_const_set *old = shash_replace(&pl->port_groups,
                                                   s->name, set);
        if (old) {
            expr_const_set_destroy(old);
            free(old);
        }
    }
}

static void
pl_build_topology(struct pipeline *pl, const struct pipeline_input *in)
{
    for (size_t i = 0; i < in->n_dps; i++) {
        const struct pl_in_dp *d = &in->dps[i];
        if (pl_datapath_find(pl, d->key)) {
            continue;
        }
        struct pl_datapath *dp = xzalloc(sizeof *dp);
        dp->key = d->key;
        dp->name = xstrdup(d->name);
        dp->is_router = d->is_router;
        for (int p = 0; p < 2; p++) {
            for (int t = 0; t < PL_MAX_TABLES; t++) {
                pl_table_init(&dp->tables[p][t]);
            }
        }
        shash_init(&dp->mcgroups);
        hmap_insert(&pl->datapaths, &dp->node, hash_int(dp->key, 0));
    }
    for (size_t i = 0; i < in->n_ports; i++) {
        const struct pipeline_port_desc *d = &in->ports[i];
        struct pl_datapath *dp = pl_datapath_find(pl, d->dp_key);
        if (!dp || shash_find(&pl->ports, d->name)) {
            continue;
        }
        struct pl_port *p = xzalloc(sizeof *p);
        p->name = xstrdup(d->name);
        p->key = d->key;
        p->dp = dp;
        p->type = xstrdup(d->type);
        p->peer = nullable_strdup(d->peer);
        p->distributed_port = nullable_strdup(d->distributed_port);
        p->port_security = strings_clone(d->port_security,
                                         d->n_port_security);
        p->n_port_security = d->n_port_security;
        p->ps = xcalloc(p->n_port_security + 1, sizeof *p->ps);
        for (size_t j = 0; j < p->n_port_security; j++) {
            if (pl_ps_parse(p->port_security[j], &p->ps[p->n_ps])) {
                p->n_ps++;
            }
        }
        if (!strcmp(p->type, "l3gateway")) {
            dp->is_gateway_router = true;
        }
        shash_add(&pl->ports, p->name, p);
    }
    for (size_t i = 0; i < in->n_mcgroups; i++) {
        const struct pl_in_mcgroup *m = &in->mcgroups[i];
        struct pl_datapath *dp = pl_datapath_find(pl, m->dp_key);
        if (!dp || shash_find(&dp->mcgroups, m->name)) {
            continue;
        }
        struct pl_mcgroup *g = xzalloc(sizeof *g);
        g->name = xstrdup(m->name);
        g->key = m->key;
        g->ports = strings_clone((const char *const *) m->ports,
                                 m->n_ports);
        g->n_ports = m->n_ports;
        shash_add(&dp->mcgroups, g->name, g);
    }
}

static void
pl_build_mac_bindings(struct pipeline *pl, const struct pipeline_input *in)
{
    for (size_t i = 0; i < in->n_macs; i++) {
        const struct pl_in_mac *m = &in->macs[i];
        struct in6_addr ip;
        struct eth_addr ea;
        if (!ip_from_string(m->ip, &ip) || !eth_addr_from_string(m->mac,
                                                                 &ea)) {
            continue;
        }
        struct pl_mac_binding *b = xzalloc(sizeof *b);
        b->port = xstrdup(m->port);
        if (ip_is_v4(&ip)) {
            b->family = 4;
            b->ip = u128_from_u64(ntohl(ip_to_v4(&ip)));
        } else {
            b->family = 6;
            b->ip = u128_from_be_bytes(ip.s6_addr);
        }
        for (int j = 0; j < 6; j++) {
            b->mac = (b->mac << 8) | ea.ea[j];
        }
        hmap_insert(&pl->mac_bindings, &b->node,
                    mac_binding_hash(b->port, b->ip));
    }
}

/* A port found by datapath and tunnel key, for building the FDB. */
struct pl_port_by_key {
    struct hmap_node node;
    const struct pl_port *port;
};

static const struct pl_port *
port_by_key(const struct hmap *by_key, uint32_t dp_key, uint32_t key)
{
    const struct pl_port_by_key *k;
    HMAP_FOR_EACH_WITH_HASH (k, node, hash_int(key, dp_key), by_key) {
        if (k->port->key == key && k->port->dp->key == dp_key) {
            return k->port;
        }
    }
    return NULL;
}

static void
pl_build_fdbs(struct pipeline *pl, const struct pipeline_input *in)
{
    struct hmap by_key = HMAP_INITIALIZER(&by_key);
    struct shash_node *sn;
    SHASH_FOR_EACH (sn, &pl->ports) {
        const struct pl_port *port = sn->data;
        struct pl_port_by_key *k = xmalloc(sizeof *k);
        k->port = port;
        hmap_insert(&by_key, &k->node, hash_int(port->key, port->dp->key));
    }
    for (size_t i = 0; i < in->n_fdbs; i++) {
        const struct pl_in_fdb *e = &in->fdbs[i];
        struct eth_addr ea;
        if (!eth_addr_from_string(e->mac, &ea)) {
            continue;
        }
        const struct pl_port *port = port_by_key(&by_key, e->dp_key,
                                                 e->port_key);
        if (!port) {
            continue;
        }
        struct pl_fdb *f = xzalloc(sizeof *f);
        f->dp_key = e->dp_key;
        for (int j = 0; j < 6; j++) {
            f->mac = (f->mac << 8) | ea.ea[j];
        }
        f->port = port;
        hmap_insert(&pl->fdbs, &f->node, fdb_hash(f->dp_key, f->mac));
    }
    struct pl_port_by_key *k;
    HMAP_FOR_EACH_POP (k, node, &by_key) {
        free(k);
    }
    hmap_destroy(&by_key);
}

static bool
pl_always_resident(const void *aux OVS_UNUSED, const char *port OVS_UNUSED)
{
    return true;
}

struct pl_compile_ctx {
    struct pipeline *pl;
    bool (*is_chassis_resident)(const void *aux, const char *port);
    const void *aux;
};

/* Parses 'match' (with the actions' prerequisites 'prereqs') for datapath
 * 'dp_key' into normal form.  Returns it, or NULL after recording an
 * error.  '*normalized' tells whether it is in normal form. */
static struct expr *
pl_parse_match(struct pl_compile_ctx *c, const struct pl_in_flow *f,
               const char *prereqs, uint32_t dp_key, bool *normalized)
{
    struct pl_env_aux aux = { .pl = c->pl, .dp_key = dp_key };
    struct expr_env env = { .symtab = c->pl->symtab,
                            .addr_set = pl_env_addr_set,
                            .port_group = pl_env_port_group,
                            .aux = &aux };
    char *text = (prereqs && prereqs[0]
                  ? xasprintf("(%s) && (%s)", f->match, prereqs)
                  : xstrdup(f->match));
    char *error = NULL;
    struct expr *e = expr_parse_string(text, &env, &error);
    free(text);
    if (e) {
        e = expr_annotate(e, c->pl->symtab, &error);
    }
    if (!e) {
        pl_add_error(c->pl, xasprintf("flow %s: parsing expression failed "
                                      "(%s)", f->uuid ? f->uuid : "?",
                                      error));
        free(error);
        return NULL;
    }
    e = expr_evaluate_conditions(e, c->is_chassis_resident, c->aux);
    e = expr_simplify(e);
    *normalized = !expr_normalize(&e, PL_MAX_CONJUNCTIONS);
    return e;
}

static void
pl_add_conj(struct pipeline *pl, struct pl_table *table,
            const struct pl_flow *flow, const struct expr *expr)
{
    struct pl_conj *conj = xzalloc(sizeof *conj);
    conj->flow = flow;
    conj->expr = expr;
    pl_conj_compute_masks(conj);
    PL_GROW(pl->conjs, pl->n_conjs, pl->allocated_conjs);
    pl->conjs[pl->n_conjs++] = conj;
    pl_table_insert(table, conj);
}

/* Files the normal form 'e' of 'flow' into datapath 'dp''s table.  Takes
 * ownership of 'e'. */
static void
pl_file_expr(struct pipeline *pl, struct pl_datapath *dp,
             const struct pl_flow *flow, struct expr *e, bool normalized)
{
    struct pl_table *table = &dp->tables[flow->pipeline][flow->table];
    PL_GROW(pl->exprs, pl->n_exprs, pl->allocated_exprs);
    pl->exprs[pl->n_exprs++] = e;
    if (!dp->stages[flow->pipeline][flow->table] && flow->stage_name) {
        dp->stages[flow->pipeline][flow->table] = xstrdup(flow->stage_name);
    }
    if (!normalized) {
        pl_add_conj(pl, table, flow, e);
        return;
    }
    size_t n = expr_n_conjunctions(e);
    for (size_t i = 0; i < n; i++) {
        pl_add_conj(pl, table, flow, expr_conjunction(e, i));
    }
}

static struct pl_flow *
pl_flow_create(struct pl_compile_ctx *c, const struct pl_in_flow *f,
               size_t seq, struct ds *prereqs)
{
    struct actions_params pp = { .symtab = c->pl->symtab,
                                 .pipeline = f->pipeline,
                                 .cur_table = f->table,
                                 .n_tables = ACTIONS_N_TABLES };
    struct pl_flow *flow = xzalloc(sizeof *flow);
    char *error = actions_parse(f->actions, &pp, &flow->actions, prereqs);
    if (error) {
        pl_add_error(c->pl, xasprintf("flow %s: parsing actions failed "
                                      "(%s)", f->uuid ? f->uuid : "?",
                                      error));
        free(error);
        free(flow);
        return NULL;
    }
    flow->seq = seq;
    flow->pipeline = f->pipeline;
    flow->table = f->table;
    flow->priority = f->priority;
    flow->match = xstrdup(f->match);
    flow->uuid = nullable_strdup(f->uuid);
    flow->stage_name = nullable_strdup(f->stage_name);
    flow->source = nullable_strdup(f->source);
    flow->stage_hint = nullable_strdup(f->stage_hint);
    return flow;
}

static void
pl_compile_flow(struct pl_compile_ctx *c, const struct pl_in_flow *f,
                size_t seq)
{
    struct pipeline *pl = c->pl;
    if (f->table >= PL_MAX_TABLES) {
        pl_add_error(pl, xasprintf("flow %s: table %u out of range",
                                   f->uuid ? f->uuid : "?", f->table));
        return;
    }
    struct ds prereqs = DS_EMPTY_INITIALIZER;
    struct pl_flow *flow = pl_flow_create(c, f, seq, &prereqs);
    if (!flow) {
        ds_destroy(&prereqs);
        return;
    }
    pl->flows[pl->n_flows++] = flow;

    /* A match without port groups means the same in every datapath. */
    bool per_dp = strchr(f->match, '@') != NULL;
    struct expr *shared = NULL;
    bool shared_normalized = false, shared_done = false;
    for (size_t i = 0; i < f->n_dp_keys; i++) {
        struct pl_datapath *dp = pl_datapath_find(pl, f->dp_keys[i]);
        if (!dp) {
            continue;
        }
        bool normalized;
        struct expr *e;
        if (per_dp) {
            e = pl_parse_match(c, f, ds_cstr(&prereqs), dp->key,
                               &normalized);
        } else {
            if (!shared_done) {
                shared = pl_parse_match(c, f, ds_cstr(&prereqs), 0,
                                        &shared_normalized);
                shared_done = true;
            }
            e = shared ? expr_clone(shared) : NULL;
            normalized = shared_normalized;
        }
        if (e) {
            pl_file_expr(pl, dp, flow, e, normalized);
        }
    }
    expr_destroy(shared);
    ds_destroy(&prereqs);
}

struct pipeline *
pipeline_compile(const struct pipeline_input *in, const struct symtab *symtab,
                 bool (*is_chassis_resident)(const void *, const char *),
                 const void *aux)
{
    struct pipeline *pl = xzalloc(sizeof *pl);
    pl->symtab = symtab;
    pl->env_aux.pl = pl;
    hmap_init(&pl->datapaths);
    shash_init(&pl->ports);
    hmap_init(&pl->mac_bindings);
    hmap_init(&pl->fdbs);
    shash_init(&pl->addr_sets);
    shash_init(&pl->port_groups);
    pl_build_sets(pl, in);
    pl_build_topology(pl, in);
    pl_build_mac_bindings(pl, in);
    pl_build_fdbs(pl, in);
    pl_dns_clone(&pl->dns, &in->dns);

    struct pl_compile_ctx c = {
        .pl = pl,
        .is_chassis_resident = (is_chassis_resident ? is_chassis_resident
                                : pl_always_resident),
        .aux = aux,
    };
    pl->flows = xcalloc(in->n_flows ? in->n_flows : 1, sizeof *pl->flows);
    for (size_t i = 0; i < in->n_flows; i++) {
        pl_compile_flow(&c, &in->flows[i], i);
    }
    struct pl_datapath *dp;
    HMAP_FOR_EACH (dp, node, &pl->datapaths) {
        for (int p = 0; p < 2; p++) {
            for (int t = 0; t < PL_MAX_TABLES; t++) {
                pl_table_finish(&dp->tables[p][t]);
            }
        }
    }
    return pl;
}

static void
pl_free_sets(struct shash *sets)
{
    struct shash_node *node;
    SHASH_FOR_EACH (node, sets) {
        expr_const_set_destroy(node->data);
        free(node->data);
    }
    shash_destroy(sets);
}

static void
pl_datapath_destroy(struct pl_datapath *dp)
{
    for (int p = 0; p < 2; p++) {
        for (int t = 0; t < PL_MAX_TABLES; t++) {
            pl_table_destroy(&dp->tables[p][t]);
            free(dp->stages[p][t]);
        }
    }
    struct shash_node *node;
    SHASH_FOR_EACH (node, &dp->mcgroups) {
        struct pl_mcgroup *g = node->data;
        free(g->name);
        strings_free(g->ports, g->n_ports);
        free(g);
    }
    shash_destroy(&dp->mcgroups);
    free(dp->name);
    free(dp);
}

void
pipeline_destroy(struct pipeline *pl)
{
    if (!pl) {
        return;
    }
    struct pl_datapath *dp;
    HMAP_FOR_EACH_POP (dp, node, &pl->datapaths) {
        pl_datapath_destroy(dp);
    }
    hmap_destroy(&pl->datapaths);
    struct shash_node *node;
    SHASH_FOR_EACH (node, &pl->ports) {
        struct pl_port *p = node->data;
        free(p->name);
        free(p->type);
        free(p->peer);
        free(p->distributed_port);
        strings_free(p->port_security, p->n_port_security);
        free(p->ps);
        free(p);
    }
    shash_destroy(&pl->ports);
    struct pl_mac_binding *b;
    HMAP_FOR_EACH_POP (b, node, &pl->mac_bindings) {
        free(b->port);
        free(b);
    }
    hmap_destroy(&pl->mac_bindings);
    struct pl_fdb *fdb;
    HMAP_FOR_EACH_POP (fdb, node, &pl->fdbs) {
        free(fdb);
    }
    hmap_destroy(&pl->fdbs);
    pl_dns_destroy(&pl->dns);
    pl_free_sets(&pl->addr_sets);
    pl_free_sets(&pl->port_groups);
    for (size_t i = 0; i < pl->n_flows; i++) {
        struct pl_flow *f = pl->flows[i];
        action_list_destroy(&f->actions);
        free(f->match);
        free(f->uuid);
        free(f->stage_name);
        free(f->source);
        free(f->stage_hint);
        free(f);
    }
    free(pl->flows);
    for (size_t i = 0; i < pl->n_conjs; i++) {
        free(pl->conjs[i]->masks);
        free(pl->conjs[i]->atom_ends);
        free(pl->conjs[i]);
    }
    free(pl->conjs);
    for (size_t i = 0; i < pl->n_exprs; i++) {
        expr_destroy(pl->exprs[i]);
    }
    free(pl->exprs);
    for (size_t i = 0; i < pl->n_errors; i++) {
        free(pl->errors[i]);
    }
    free(pl->errors);
    free(pl);
}
