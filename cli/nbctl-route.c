/* weft-nbctl: static routes (lr-route-add, lr-route-del, lr-route-list), as
 * ovn-nbctl 23.03 has them.
 *
 * Prefixes are normalised as ovn-nbctl stores them: "10.5.0.5/16" becomes
 * "10.5.0.0/16", while a bare address stays as written.  One difference:
 * ovn-nbctl does not see routes added earlier in the same transaction when
 * it checks for duplicates; weft does, so "lr-route-add R P N -- lr-route-add
 * R P N" is refused rather than creating two identical routes. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "ds.h"
#include "packets.h"
#include "util.h"
#include "cli/nbctl-private.h"

static void
pre_route(struct ctl_context *ctx)
{
    nbctl_need_tables(ctx, "Logical_Router,Logical_Router_Port,"
                           "Logical_Router_Static_Route,BFD");
}

/* Normalises prefix 's' into '*prefixp' (owned).  Returns false if it is
 * not an address or prefix. */
static bool
normalize_prefix(const char *s, char **prefixp, struct in6_addr *ip,
                 unsigned int *plen)
{
    char *error = ip_parse_cidr(s, ip, plen);
    if (error) {
        free(error);
        return false;
    }
    if (!strchr(s, '/')) {
        struct ds ds = DS_EMPTY_INITIALIZER;
        ip_format(ip, &ds);
        *prefixp = ds_steal_cstr(&ds);
    } else {
        struct ds ds = DS_EMPTY_INITIALIZER;
        ip_apply_plen(ip, *plen);
        ip_format_cidr(ip, *plen, &ds);
        *prefixp = ds_steal_cstr(&ds);
    }
    return true;
}

/* Normalises nexthop 's' of a route to a prefix of family 'v4' into
 * '*nexthopp' (owned).  Returns false after ctl_error(). */
static bool
normalize_nexthop(struct ctl_context *ctx, const char *s, bool v4,
                  char **nexthopp)
{
    struct in6_addr ip;

    if (!strcmp(s, "discard")) {
        *nexthopp = xstrdup(s);
        return true;
    }
    if (strchr(s, '/') || !ip_from_string(s, &ip) || ip_is_v4(&ip) != v4) {
        ctl_error(ctx, "bad %s nexthop argument: %s", v4 ? "IPv4" : "IPv6",
                  s);
        return false;
    }
    struct ds ds = DS_EMPTY_INITIALIZER;
    ip_format(&ip, &ds);
    *nexthopp = ds_steal_cstr(&ds);
    return true;
}

static const char *
route_policy(const struct nbrec_logical_router_static_route *route)
{
    return route->policy ? route->policy : "dst-ip";
}

static bool
same_prefix(const char *a, const char *b)
{
    struct in6_addr ia, ib;
    unsigned int pa, pb;
    char *na = NULL, *nb = NULL;
    bool same = (normalize_prefix(a, &na, &ia, &pa)
                 && normalize_prefix(b, &nb, &ib, &pb) && !strcmp(na, nb));
    free(na);
    free(nb);
    return same;
}

/* Finds or creates the BFD row for --bfd[=UUID].  Returns NULL after
 * ctl_error(). */
static const struct nbrec_bfd *
route_bfd(struct ctl_context *ctx, const char *bfd_option,
          const char *nexthop, const char *port)
{
    const struct nbrec_bfd *bfd;

    if (bfd_option && *bfd_option) {
        struct uuid uuid;
        bfd = uuid_from_string(&uuid, bfd_option)
              ? nbrec_bfd_get_for_uuid(ctx->client, &uuid) : NULL;
        if (!bfd) {
            ctl_error(ctx, "no entry found in the BFD table");
        }
        return bfd;
    }
    NBREC_BFD_FOR_EACH (bfd, ctx->client) {
        if (!strcmp(bfd->dst_ip, nexthop)
            && (!port || !strcmp(bfd->logical_port, port))) {
            return bfd;
        }
    }
    if (!port) {
        ctl_error(ctx, "insert entry in the BFD table failed");
        return NULL;
    }
    bfd = nbrec_bfd_insert(ctx->txn);
    nbrec_bfd_set_dst_ip(ctx->txn, bfd, nexthop);
    nbrec_bfd_set_logical_port(ctx->txn, bfd, port);
    return bfd;
}

/* Checks the new route against the router's routes.  Returns true if
 * the command is done (an error, or --may-exist updated a route). */
static bool
check_duplicate_route(struct ctl_context *ctx,
                      const struct nbrec_logical_router *lr,
                      const char *prefix, const char *nexthop,
                      const char *policy, const char *table)
{
    bool ecmp = ctl_has_option(ctx, "--ecmp")
                || ctl_has_option(ctx, "--ecmp-symmetric-reply");

    for (size_t i = 0; i < lr->n_static_routes; i++) {
        const struct nbrec_logical_router_static_route *r
            = lr->static_routes[i];
        if (strcmp(r->route_table, table) || strcmp(route_policy(r), policy)
            || !same_prefix(r->ip_prefix, prefix)) {
            continue;
        }
        if (!ecmp) {
            if (!ctl_has_option(ctx, "--may-exist")) {
                ctl_error(ctx, "duplicate prefix: %s (policy: %s). Use "
                          "option --ecmp to allow this for ECMP routing.",
                          prefix, policy);
            } else {
                nbrec_logical_router_static_route_set_nexthop(ctx->txn, r,
                                                              nexthop);
            }
            return true;
        }
        if (!strcmp(r->nexthop, nexthop)) {
            ctl_error(ctx, "duplicate nexthop for the same ECMP route");
            return true;
        }
    }
    return false;
}

/* lr-route-add ROUTER PREFIX NEXTHOP [PORT] */
static void
cmd_lr_route_add(struct ctl_context *ctx)
{
    const struct nbrec_logical_router *lr = nbctl_lr_lookup(ctx,
                                                            ctx->argv[1],
                                                            true);
    const char *policy = ctl_get_option(ctx, "--policy");
    const char *table = ctl_get_option(ctx, "--route-table");
    const char *port = ctx->argc == 5 ? ctx->argv[4] : NULL;
    char *prefix = NULL, *nexthop = NULL;
    struct in6_addr ip;
    unsigned int plen;

    if (!lr) {
        return;
    }
    if (policy && strcmp(policy, "src-ip") && strcmp(policy, "dst-ip")) {
        ctl_error(ctx, "bad policy: %s", policy);
        return;
    }
    if (!normalize_prefix(ctx->argv[2], &prefix, &ip, &plen)) {
        ctl_error(ctx, "bad prefix argument: %s", ctx->argv[2]);
        return;
    }
    if (!normalize_nexthop(ctx, ctx->argv[3], ip_is_v4(&ip), &nexthop)
        || (port && !nbctl_lrp_lookup(ctx, port, true))
        || check_duplicate_route(ctx, lr, prefix, nexthop,
                                 policy ? policy : "dst-ip",
                                 table ? table : "")) {
        goto out;
    }

    const struct nbrec_bfd *bfd = NULL;
    if (ctl_has_option(ctx, "--bfd")) {
        bfd = route_bfd(ctx, ctl_get_option(ctx, "--bfd"), nexthop, port);
        if (!bfd) {
            goto out;
        }
    }

    const struct nbrec_logical_router_static_route *route
        = nbrec_logical_router_static_route_insert(ctx->txn);
    nbrec_logical_router_static_route_set_ip_prefix(ctx->txn, route, prefix);
    nbrec_logical_router_static_route_set_nexthop(ctx->txn, route, nexthop);
    if (policy) {
        nbrec_logical_router_static_route_set_policy(ctx->txn, route,
                                                     policy);
    }
    if (table) {
        nbrec_logical_router_static_route_set_route_table(ctx->txn, route,
                                                          table);
    }
    if (port) {
        nbrec_logical_router_static_route_set_output_port(ctx->txn, route,
                                                          port);
    }
    if (ctl_has_option(ctx, "--ecmp-symmetric-reply")) {
        nbrec_logical_router_static_route_update_options_setkey(
            ctx->txn, route, "ecmp_symmetric_reply", "true");
    }
    if (bfd) {
        nbrec_logical_router_static_route_set_bfd(ctx->txn, route, bfd);
    }
    nbrec_logical_router_update_static_routes_addvalue(ctx->txn, lr, route);
out:
    free(prefix);
    free(nexthop);
}

/* Does 'r' match lr-route-del's arguments? */
static bool
route_matches(struct ctl_context *ctx,
              const struct nbrec_logical_router_static_route *r,
              const char *policy, const char *table, const char *prefix,
              const char *nexthop)
{
    if (policy && strcmp(policy, route_policy(r))) {
        return false;
    }
    if (!prefix) {
        return true;
    }
    return (!strcmp(r->route_table, table) && same_prefix(r->ip_prefix, prefix)
            && (!nexthop || !strcmp(r->nexthop, nexthop))
            && (ctx->argc < 5 || (r->output_port
                                  && !strcmp(r->output_port, ctx->argv[4]))));
}

/* lr-route-del ROUTER [PREFIX [NEXTHOP [PORT]]] */
static void
cmd_lr_route_del(struct ctl_context *ctx)
{
    const struct nbrec_logical_router *lr = nbctl_lr_lookup(ctx,
                                                            ctx->argv[1],
                                                            true);
    const char *policy = ctl_get_option(ctx, "--policy");
    const char *table = ctl_get_option(ctx, "--route-table");
    char *prefix = NULL, *nexthop = NULL;
    struct in6_addr ip;
    unsigned int plen;
    size_t n_deleted = 0;

    if (!lr) {
        return;
    }
    if (policy && strcmp(policy, "src-ip") && strcmp(policy, "dst-ip")) {
        ctl_error(ctx, "bad policy: %s", policy);
        return;
    }
    if (ctx->argc > 2) {
        if (!normalize_prefix(ctx->argv[2], &prefix, &ip, &plen)) {
            ctl_error(ctx, "bad prefix argument: %s", ctx->argv[2]);
            return;
        }
        if (ctx->argc > 3
            && !normalize_nexthop(ctx, ctx->argv[3], ip_is_v4(&ip),
                                  &nexthop)) {
            goto out;
        }
    }

    /* Copies: each removal rewrites the router's 'static_routes'. */
    size_t n = lr->n_static_routes;
    const struct nbrec_logical_router_static_route **routes
        = nbctl_copy_array(lr->static_routes, n, sizeof *routes);
    for (size_t i = 0; i < n; i++) {
        if (route_matches(ctx, routes[i], policy, table ? table : "",
                          prefix, nexthop)) {
            nbrec_logical_router_update_static_routes_delvalue(ctx->txn, lr,
                                                               routes[i]);
            nbrec_logical_router_static_route_delete(ctx->txn, routes[i]);
            n_deleted++;
        }
    }
    free(routes);

    if (!n_deleted && (prefix || policy)
        && !ctl_has_option(ctx, "--if-exists")) {
        ctl_error(ctx, "no matching route: policy '%s', prefix '%s', "
                  "nexthop '%s', output_port '%s'.",
                  policy ? policy : "any", prefix ? prefix : "(null)",
                  ctx->argc > 3 ? ctx->argv[3] : "any",
                  ctx->argc > 4 ? ctx->argv[4] : "any");
    }
out:
    free(prefix);
    free(nexthop);
}

/* A route to list, with what sorting needs. */
struct route_entry {
    const struct nbrec_logical_router_static_route *route;
    struct in6_addr ip;
    unsigned int plen;
    bool ecmp;
};

static int
compare_routes(const void *a_, const void *b_)
{
    const struct route_entry *a = a_, *b = b_;
    int cmp = strcmp(a->route->route_table, b->route->route_table);

    if (!cmp && a->plen != b->plen) {
        cmp = a->plen > b->plen ? -1 : 1;
    }
    if (!cmp) {
        cmp = strcmp(route_policy(a->route), route_policy(b->route));
    }
    if (!cmp) {
        cmp = memcmp(&a->ip, &b->ip, sizeof a->ip);
    }
    return cmp ? cmp : strcmp(a->route->nexthop, b->route->nexthop);
}

static void
print_route(struct ds *out, const struct route_entry *e)
{
    const struct nbrec_logical_router_static_route *r = e->route;

    ds_put_format(out, "%25s %25s %s", r->ip_prefix, r->nexthop,
                  route_policy(r));
    if (r->output_port) {
        ds_put_format(out, " %s", r->output_port);
    }
    if (r->bfd) {
        ds_put_cstr(out, " bfd");
    }
    if (e->ecmp) {
        ds_put_cstr(out, " ecmp");
    }
    const char *sym = ovsdb_client_smap_get(r->options,
                                            "ecmp_symmetric_reply");
    if (sym && !strcmp(sym, "true")) {
        ds_put_cstr(out, " ecmp-symmetric-reply");
    }
    ds_put_char(out, '\n');
}

/* Prints the sorted routes of one family, table by table (the main table,
 * "", sorts first).  Returns true if it printed anything. */
static bool
print_family(struct ds *out, const char *title, struct route_entry *e,
             size_t n, bool blank_first)
{
    if (!n) {
        return false;
    }
    if (blank_first) {
        ds_put_char(out, '\n');
    }
    ds_put_format(out, "%s\n", title);
    for (size_t i = 0; i < n; i++) {
        const char *table = e[i].route->route_table;
        if (!i || strcmp(table, e[i - 1].route->route_table)) {
            if (i) {
                ds_put_char(out, '\n');
            }
            ds_put_format(out, "Route Table %s:\n",
                          *table ? table : "<main>");
        }
        print_route(out, &e[i]);
    }
    return true;
}

/* Marks routes that share their table, prefix and policy with another. */
static void
mark_ecmp(struct route_entry *e, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        if (!strcmp(e[i].route->route_table, e[i + 1].route->route_table)
            && e[i].plen == e[i + 1].plen
            && !memcmp(&e[i].ip, &e[i + 1].ip, sizeof e[i].ip)
            && !strcmp(route_policy(e[i].route),
                       route_policy(e[i + 1].route))) {
            e[i].ecmp = e[i + 1].ecmp = true;
        }
    }
}

/* lr-route-list ROUTER */
static void
cmd_lr_route_list(struct ctl_context *ctx)
{
    const struct nbrec_logical_router *lr = nbctl_lr_lookup(ctx,
                                                            ctx->argv[1],
                                                            true);
    const char *table = ctl_get_option(ctx, "--route-table");

    if (!lr) {
        return;
    }
    size_t n = lr->n_static_routes, n4 = 0, n6 = 0;
    struct route_entry *v4 = xcalloc(n + 1, sizeof *v4);
    struct route_entry *v6 = xcalloc(n + 1, sizeof *v6);
    for (size_t i = 0; i < n; i++) {
        const struct nbrec_logical_router_static_route *r
            = lr->static_routes[i];
        struct route_entry e = { .route = r };
        char *error = ip_parse_cidr(r->ip_prefix, &e.ip, &e.plen);
        if (error || (table && strcmp(table, r->route_table))) {
            free(error);
            continue;
        }
        ip_apply_plen(&e.ip, e.plen);
        if (ip_is_v4(&e.ip)) {
            v4[n4++] = e;
        } else {
            v6[n6++] = e;
        }
    }
    qsort(v4, n4, sizeof *v4, compare_routes);
    qsort(v6, n6, sizeof *v6, compare_routes);
    mark_ecmp(v4, n4);
    mark_ecmp(v6, n6);
    bool printed = print_family(ctx->output, "IPv4 Routes", v4, n4, false);
    print_family(ctx->output, "IPv6 Routes", v6, n6, printed);
    free(v4);
    free(v6);
}

const struct ctl_command_syntax nbctl_route_commands[] = {
    { "lr-route-add", 3, 4, "ROUTER PREFIX NEXTHOP [PORT]", pre_route,
      cmd_lr_route_add, NULL,
      "--may-exist,--ecmp,--ecmp-symmetric-reply,--policy=,--route-table=,"
      "--bfd?", CTL_RW },
    { "lr-route-del", 1, 4, "ROUTER [PREFIX [NEXTHOP [PORT]]]", pre_route,
      cmd_lr_route_del, NULL, "--if-exists,--policy=,--route-table=",
      CTL_RW },
    { "lr-route-list", 1, 1, "ROUTER", pre_route, cmd_lr_route_list, NULL,
      "--route-table=", CTL_RO },
};

const size_t nbctl_n_route_commands = ARRAY_SIZE(nbctl_route_commands);
