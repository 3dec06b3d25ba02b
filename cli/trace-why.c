/* cli/trace-why: says why weft-trace's packet was dropped.  See
 * trace-why.h. */
#include "cli/trace-why.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ds.h"
#include "expr/u128.h"
#include "ovsdb/client-io.h"
#include "ovsdb/client.h"
#include "ovsdb/nbrec-idl.h"
#include "ovsdb/sbrec-idl.h"
#include "packets.h"
#include "pipeline/pipeline.h"
#include "shash.h"
#include "util.h"
#include "uuid.h"

struct trace_why {
    char *nb_remote;
    int timeout_ms;
    struct ovsdb_client *nb;        /* Once opened, or NULL. */
    char *nb_error;                 /* Why it could not be, or NULL. */
    bool nb_tried;
    struct shash port_security;     /* Port name -> owned joined string. */
    struct shash macs;              /* Port name -> owned joined "mac". */
};

static const char *const nb_tables[] = {
    "ACL", "Logical_Switch", "Port_Group", "Logical_Switch_Port",
    "Logical_Router", "Logical_Router_Port", "Logical_Router_Static_Route",
    "Logical_Router_Policy", "NAT", "Load_Balancer", "QoS", NULL,
};

struct trace_why *
trace_why_create(const char *nb_remote, int timeout_ms)
{
    struct trace_why *w = xzalloc(sizeof *w);
    w->nb_remote = xstrdup(nb_remote);
    w->timeout_ms = timeout_ms;
    shash_init(&w->port_security);
    shash_init(&w->macs);
    return w;
}

void
trace_why_destroy(struct trace_why *w)
{
    if (w) {
        if (w->nb) {
            ovsdb_client_destroy(w->nb);
        }
        free(w->nb_remote);
        free(w->nb_error);
        shash_destroy_free_data(&w->port_security);
        shash_destroy_free_data(&w->macs);
        free(w);
    }
}

static char *
join_strings(const char *const *s, size_t n)
{
    struct ds out = DS_EMPTY_INITIALIZER;
    for (size_t i = 0; i < n; i++) {
        ds_put_format(&out, "%s%s", i ? ", " : "", s[i]);
    }
    return ds_steal_cstr(&out);
}

void
trace_why_load_sb(struct trace_why *w, const struct ovsdb_client *sb)
{
    const struct sbrec_port_binding *pb;
    SBREC_PORT_BINDING_FOR_EACH (pb, sb) {
        if (pb->n_port_security) {
            free(shash_replace(&w->port_security, pb->logical_port,
                               join_strings(pb->port_security,
                                            pb->n_port_security)));
        }
        if (pb->n_mac) {
            free(shash_replace(&w->macs, pb->logical_port,
                               join_strings(pb->mac, pb->n_mac)));
        }
    }
}

/* The northbound replica, opened on first use; NULL if unreachable. */
static const struct ovsdb_client *
get_nb(struct trace_why *w)
{
    if (!w->nb_tried) {
        w->nb_tried = true;
        w->nb = ovsdb_client_sync_open(w->nb_remote, &nbrec_idl_class, NULL,
                                       nb_tables, w->timeout_ms,
                                       &w->nb_error);
    }
    return w->nb;
}

static bool
uuid_has_prefix(const struct uuid *u, const char *hint)
{
    char s[UUID_LEN + 1];
    snprintf(s, sizeof s, UUID_FMT, UUID_ARGS(u));
    size_t n = strlen(hint);
    return n && n <= UUID_LEN && !strncmp(s, hint, n);
}

/* --- Northbound rows, in ovn-nbctl's words ------------------------- */

static void
describe_acl(const struct ovsdb_client *nb, const struct nbrec_acl *acl,
             struct ds *out)
{
    ds_put_format(out, "ACL \"%s %"PRId64" (%s) %s\"", acl->direction,
                  acl->priority, acl->match, acl->action);
    if (acl->name) {
        ds_put_format(out, " named \"%s\"", acl->name);
    }
    const struct nbrec_port_group *pg;
    NBREC_PORT_GROUP_FOR_EACH (pg, nb) {
        for (size_t i = 0; i < pg->n_acls; i++) {
            if (pg->acls[i] == acl) {
                ds_put_format(out, " on port group %s", pg->name);
                return;
            }
        }
    }
    const struct nbrec_logical_switch *ls;
    NBREC_LOGICAL_SWITCH_FOR_EACH (ls, nb) {
        for (size_t i = 0; i < ls->n_acls; i++) {
            if (ls->acls[i] == acl) {
                ds_put_format(out, " on switch %s", ls->name);
                return;
            }
        }
    }
}

static bool
find_acl(const struct ovsdb_client *nb, const char *hint, struct ds *out)
{
    const struct nbrec_acl *acl;
    NBREC_ACL_FOR_EACH (acl, nb) {
        if (uuid_has_prefix(&acl->header_.uuid, hint)) {
            describe_acl(nb, acl, out);
            return true;
        }
    }
    return false;
}

static bool
find_qos(const struct ovsdb_client *nb, const char *hint, struct ds *out)
{
    const struct nbrec_qos *q;
    NBREC_QOS_FOR_EACH (q, nb) {
        if (uuid_has_prefix(&q->header_.uuid, hint)) {
            ds_put_format(out, "QoS rule \"%s %"PRId64" (%s)\"",
                          q->direction, q->priority, q->match);
            return true;
        }
    }
    return false;
}

static bool
find_lsp(const struct ovsdb_client *nb, const char *hint, struct ds *out)
{
    const struct nbrec_logical_switch *ls;
    NBREC_LOGICAL_SWITCH_FOR_EACH (ls, nb) {
        for (size_t i = 0; i < ls->n_ports; i++) {
            const struct nbrec_logical_switch_port *p = ls->ports[i];
            if (uuid_has_prefix(&p->header_.uuid, hint)) {
                ds_put_format(out, "switch port %s of switch %s", p->name,
                              ls->name);
                if (p->n_enabled && !p->enabled[0]) {
                    ds_put_cstr(out, ", which is disabled");
                }
                return true;
            }
        }
    }
    return false;
}

/* Appends 'r's line of "ovn-nbctl lr-route-list". */
static void
describe_route(const struct nbrec_logical_router_static_route *r,
               struct ds *out)
{
    ds_put_format(out, "static route \"%s %s %s", r->ip_prefix, r->nexthop,
                  r->policy ? r->policy : "dst-ip");
    if (r->output_port) {
        ds_put_format(out, " %s", r->output_port);
    }
    ds_put_char(out, '"');
}

/* Appends 'p's line of "ovn-nbctl lr-policy-list". */
static void
describe_policy(const struct nbrec_logical_router_policy *p, struct ds *out)
{
    ds_put_format(out, "router policy \"%"PRId64" %s %s", p->priority,
                  p->match, p->action);
    for (size_t i = 0; i < p->n_nexthops; i++) {
        ds_put_format(out, i ? ", %s" : " %s", p->nexthops[i]);
    }
    ds_put_char(out, '"');
}

/* Appends 'n's line of "ovn-nbctl lr-nat-list". */
static void
describe_nat(const struct nbrec_nat *n, struct ds *out)
{
    ds_put_format(out, "NAT rule \"%s %s", n->type, n->external_ip);
    if (n->external_port_range && n->external_port_range[0]) {
        ds_put_format(out, " %s", n->external_port_range);
    }
    ds_put_format(out, " %s", n->logical_ip);
    if (n->external_mac && n->logical_port) {
        ds_put_format(out, " %s %s", n->external_mac, n->logical_port);
    }
    ds_put_char(out, '"');
}

static bool
find_in_router(const struct nbrec_logical_router *lr, const char *hint,
               struct ds *out)
{
    for (size_t i = 0; i < lr->n_ports; i++) {
        const struct nbrec_logical_router_port *p = lr->ports[i];
        if (uuid_has_prefix(&p->header_.uuid, hint)) {
            ds_put_format(out, "router port %s (%s", p->name, p->mac);
            for (size_t j = 0; j < p->n_networks; j++) {
                ds_put_format(out, " %s", p->networks[j]);
            }
            ds_put_cstr(out, ")");
            if (p->n_enabled && !p->enabled[0]) {
                ds_put_cstr(out, ", which is disabled,");
            }
            goto found;
        }
    }
    for (size_t i = 0; i < lr->n_static_routes; i++) {
        if (uuid_has_prefix(&lr->static_routes[i]->header_.uuid, hint)) {
            describe_route(lr->static_routes[i], out);
            goto found;
        }
    }
    for (size_t i = 0; i < lr->n_policies; i++) {
        if (uuid_has_prefix(&lr->policies[i]->header_.uuid, hint)) {
            describe_policy(lr->policies[i], out);
            goto found;
        }
    }
    for (size_t i = 0; i < lr->n_nat; i++) {
        if (uuid_has_prefix(&lr->nat[i]->header_.uuid, hint)) {
            describe_nat(lr->nat[i], out);
            goto found;
        }
    }
    return false;

found:
    ds_put_format(out, " of router %s", lr->name);
    return true;
}

static bool
find_lb(const struct ovsdb_client *nb, const char *hint, struct ds *out)
{
    const struct nbrec_load_balancer *lb;
    NBREC_LOAD_BALANCER_FOR_EACH (lb, nb) {
        if (uuid_has_prefix(&lb->header_.uuid, hint)) {
            ds_put_format(out, "load balancer %s", lb->name);
            for (size_t i = 0; i < lb->vips->n; i++) {
                ds_put_format(out, "%s%s -> %s", i ? ", " : " (",
                              ovsdb_atom_string(&lb->vips->keys[i]),
                              ovsdb_atom_string(&lb->vips->values[i]));
            }
            if (lb->vips->n) {
                ds_put_char(out, ')');
            }
            return true;
        }
    }
    return false;
}

/* Appends the northbound row 'hint' names to 'out'; false if there is
 * none among the tables northd hints from. */
static bool
describe_hint(const struct ovsdb_client *nb, const char *hint,
              struct ds *out)
{
    if (find_acl(nb, hint, out) || find_lsp(nb, hint, out)
        || find_qos(nb, hint, out) || find_lb(nb, hint, out)) {
        return true;
    }
    const struct nbrec_logical_router *lr;
    NBREC_LOGICAL_ROUTER_FOR_EACH (lr, nb) {
        if (find_in_router(lr, hint, out)) {
            return true;
        }
    }
    return false;
}

/* --- Drops explained from the stage and the packet ----------------- */

static void
put_ip(const struct symtab_flow *f, bool dst, struct ds *out)
{
    uint16_t type = f->fields[SYMTAB_F_ETH_TYPE].lo;
    if (type == 0x0800) {
        uint32_t ip = f->fields[dst ? SYMTAB_F_IP4_DST : SYMTAB_F_IP4_SRC].lo;
        ds_put_format(out, "%"PRIu32".%"PRIu32".%"PRIu32".%"PRIu32,
                      ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff,
                      ip & 0xff);
    } else if (type == 0x86dd) {
        struct in6_addr a;
        u128_to_be_bytes(f->fields[dst ? SYMTAB_F_IP6_DST
                                       : SYMTAB_F_IP6_SRC], a.s6_addr);
        ip_format(&a, out);
    } else {
        ds_put_cstr(out, "a non-IP destination");
    }
}

static void
put_mac(struct u128 v, struct ds *out)
{
    uint64_t m = v.lo;
    ds_put_format(out, "%02x:%02x:%02x:%02x:%02x:%02x",
                  (unsigned int) (m >> 40) & 0xff,
                  (unsigned int) (m >> 32) & 0xff,
                  (unsigned int) (m >> 24) & 0xff,
                  (unsigned int) (m >> 16) & 0xff,
                  (unsigned int) (m >> 8) & 0xff, (unsigned int) m & 0xff);
}

/* The port security of the packet's inport (ingress) or outport. */
static void
explain_port_sec(const struct trace_why *w, const struct pipeline_drop *d,
                 struct ds *out)
{
    bool ingress = d->pipeline == ACTIONS_INGRESS;
    const char *port = ingress ? d->packet.inport : d->packet.outport;
    const char *ps = port ? shash_find_data(&w->port_security, port) : NULL;
    ds_put_format(out, "dropped by the port security of \"%s\" "
                  "(port_security \"%s\"): %s ", port ? port : "",
                  ps ? ps : "", ingress ? "eth.src" : "eth.dst");
    put_mac(d->packet.fields[ingress ? SYMTAB_F_ETH_SRC : SYMTAB_F_ETH_DST],
            out);
    uint16_t type = d->packet.fields[SYMTAB_F_ETH_TYPE].lo;
    if (type == 0x0800 || type == 0x86dd) {
        ds_put_format(out, " ip%c.%s ", type == 0x0800 ? '4' : '6',
                      ingress ? "src" : "dst");
        put_ip(&d->packet, !ingress, out);
    } else if (type == 0x0806 && ingress) {
        ds_put_cstr(out, " arp.sha ");
        put_mac(d->packet.fields[SYMTAB_F_ARP_SHA], out);
        uint32_t spa = d->packet.fields[SYMTAB_F_ARP_SPA].lo;
        ds_put_format(out, " arp.spa %"PRIu32".%"PRIu32".%"PRIu32".%"PRIu32,
                      spa >> 24, (spa >> 16) & 0xff, (spa >> 8) & 0xff,
                      spa & 0xff);
    }
    ds_put_cstr(out, " not allowed");
}

/* Is router port 'name' disabled in the northbound database? */
static bool
lrp_disabled(struct trace_why *w, const char *name)
{
    const struct ovsdb_client *nb = get_nb(w);
    const struct nbrec_logical_router_port *p;
    if (nb) {
        NBREC_LOGICAL_ROUTER_PORT_FOR_EACH (p, nb) {
            if (!strcmp(p->name, name)) {
                return p->n_enabled && !p->enabled[0];
            }
        }
    }
    return false;
}

/* lr_in_admission: a frame for another MAC, a multicast source or a VLAN
 * tag, or a disabled port. */
static void
explain_admission(struct trace_why *w, const struct pipeline_drop *d,
                  struct ds *out)
{
    const char *port = d->packet.inport ? d->packet.inport : "";
    const char *mac = shash_find_data(&w->macs, port);
    if (d->match && strstr(d->match, "eth.src[40]")) {
        ds_put_format(out, "router port \"%s\" refuses VLAN-tagged frames "
                      "and multicast sources (eth.src ", port);
        put_mac(d->packet.fields[SYMTAB_F_ETH_SRC], out);
        ds_put_char(out, ')');
    } else if (lrp_disabled(w, port)) {
        ds_put_format(out, "router port \"%s\" is disabled", port);
    } else {
        ds_put_format(out, "router port \"%s\" (mac \"%s\") does not "
                      "accept eth.dst ", port, mac ? mac : "");
        put_mac(d->packet.fields[SYMTAB_F_ETH_DST], out);
    }
}

/* Appends the explanation of a drop at a stage, from the packet. */
static bool
explain_stage(struct trace_why *w, const struct pipeline *pl,
              const struct pipeline_drop *d, struct ds *out)
{
    const char *stage = d->stage ? d->stage : "";
    const char *match = d->match ? d->match : "";
    if (strstr(stage, "_port_sec")) {
        explain_port_sec(w, d, out);
    } else if (!strcmp(stage, "lr_in_ip_routing")
               || !strcmp(stage, "lr_in_ip_routing_ecmp")) {
        ds_put_cstr(out, "no route to ");
        put_ip(&d->packet, true, out);
        ds_put_format(out, " in router \"%s\"",
                      pipeline_datapath_name(pl, d->dp_key));
    } else if (!strcmp(stage, "lr_in_admission")) {
        explain_admission(w, d, out);
    } else if (strstr(stage, "_acl") && strstr(match, "ct.inv")) {
        ds_put_cstr(out, "dropped as an invalid or blocked connection "
                    "(ct.inv, or ct_mark.blocked on a reply)");
    } else if (strstr(stage, "_acl") && (!strcmp(match, "1")
               || !strcmp(match, "ip && !ct.est"))) {
        ds_put_cstr(out, "dropped by the default ACL action (no ACL "
                    "allows it; default_acl_drop)");
    } else if (!strcmp(stage, "ls_in_l2_unknown")
               && strstr(match, "\"none\"")) {
        ds_put_cstr(out, "no port of switch \"");
        ds_put_format(out, "%s\" has eth.dst ",
                      pipeline_datapath_name(pl, d->dp_key));
        put_mac(d->packet.fields[SYMTAB_F_ETH_DST], out);
        ds_put_cstr(out, " and no other port takes unknown addresses");
    } else if (!strcmp(stage, "ls_in_l2_lkup") && strstr(match, "mcast")) {
        ds_put_cstr(out, "unregistered multicast, dropped by multicast "
                    "snooping (mcast_flood_unregistered is false)");
    } else {
        return false;
    }
    return true;
}

void
trace_why_explain(struct trace_why *w, const struct pipeline *pl,
                  const struct pipeline_drop *d, struct ds *out)
{
    bool by_flow = !strcmp(d->reason, "dropped by flow");
    size_t start = out->length;

    if (d->stage_hint) {
        const struct ovsdb_client *nb = get_nb(w);
        if (by_flow) {
            ds_put_cstr(out, "dropped by ");
        } else {
            ds_put_format(out, "%s, at ", d->reason);
        }
        if (nb && describe_hint(nb, d->stage_hint, out)) {
            return;
        }
        ds_truncate(out, start);
    }
    if (!by_flow) {
        ds_put_format(out, "%s: ", d->reason);
    }
    if (d->stage && explain_stage(w, pl, d, out)) {
        return;
    }
    ds_truncate(out, start);
    ds_put_cstr(out, d->reason);
    if (d->stage_hint && !w->nb) {
        ds_put_format(out, " (northbound database not reachable: %s)",
                      w->nb_error ? w->nb_error : "unknown error");
    }
}
