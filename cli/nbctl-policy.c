/* weft-nbctl: logical router policies (lr-policy-add, lr-policy-del,
 * lr-policy-list), as ovn-nbctl 23.03 has them.  The match is not checked
 * here (ovn-nbctl does not either). */
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "ds.h"
#include "packets.h"
#include "util.h"
#include "cli/nbctl-private.h"

static void
pre_policy(struct ctl_context *ctx)
{
    nbctl_need_tables(ctx, "Logical_Router,Logical_Router_Policy");
}

/* Parses the comma-separated reroute next hops 's' into 'nexthops' (owned
 * strings, one address family).  Returns the count, or 0 after
 * ctl_error(). */
static size_t
parse_nexthops(struct ctl_context *ctx, const char *s, char ***nexthopsp)
{
    char *copy = xstrdup(s), *save = NULL;
    char **nexthops = xcalloc(strlen(s) + 1, sizeof *nexthops);
    size_t n = 0;
    bool v4 = true;

    for (char *t = strtok_r(copy, ",", &save); t;
         t = strtok_r(NULL, ",", &save)) {
        struct in6_addr ip;
        if (!ip_from_string(t, &ip)) {
            ctl_error(ctx, "bad next hop argument: %s", s);
            break;
        }
        if (n && ip_is_v4(&ip) != v4) {
            ctl_error(ctx, "bad next hops argument, not in the same addr "
                      "family : %s", s);
            break;
        }
        v4 = ip_is_v4(&ip);
        struct ds ds = DS_EMPTY_INITIALIZER;
        ip_format(&ip, &ds);
        nexthops[n++] = ds_steal_cstr(&ds);
    }
    free(copy);
    if (ctx->error || !n) {
        if (!ctx->error) {
            ctl_error(ctx, "bad next hop argument: %s", s);
        }
        for (size_t i = 0; i < n; i++) {
            free(nexthops[i]);
        }
        free(nexthops);
        return 0;
    }
    *nexthopsp = nexthops;
    return n;
}

/* Checks that argv[first...] are all "KEY=VALUE" with a value. */
static bool
check_policy_options(struct ctl_context *ctx, int first)
{
    for (int i = first; i < ctx->argc; i++) {
        const char *eq = strchr(ctx->argv[i], '=');
        if (!eq || !eq[1]) {
            char *key = eq ? xmemdup0(ctx->argv[i], eq - ctx->argv[i])
                           : xstrdup(ctx->argv[i]);
            ctl_error(ctx, "No value specified for the option : %s", key);
            free(key);
            return false;
        }
    }
    return true;
}

/* lr-policy-add ROUTER PRIORITY MATCH ACTION [NEXTHOP[,NEXTHOP]...]
 *               [KEY=VALUE]... */
static void
cmd_lr_policy_add(struct ctl_context *ctx)
{
    const struct nbrec_logical_router *lr = nbctl_lr_lookup(ctx,
                                                            ctx->argv[1],
                                                            true);
    const char *match = ctx->argv[3], *action = ctx->argv[4];
    char **nexthops = NULL;
    size_t n_nexthops = 0;
    int64_t priority;

    if (!lr || !nbctl_parse_priority(ctx, ctx->argv[2], &priority)) {
        return;
    }
    bool reroute = !strcmp(action, "reroute");
    if (!reroute && strcmp(action, "allow") && strcmp(action, "drop")) {
        ctl_error(ctx, "%s: action must be one of \"allow\", \"drop\", and "
                  "\"reroute\"", action);
        return;
    }
    if (reroute) {
        if (ctx->argc < 6) {
            ctl_error(ctx, "Nexthop is required when action is reroute.");
            return;
        }
        n_nexthops = parse_nexthops(ctx, ctx->argv[5], &nexthops);
        if (!n_nexthops) {
            return;
        }
    }
    if (!check_policy_options(ctx, reroute ? 6 : 5)) {
        goto out;
    }
    for (size_t i = 0; i < lr->n_policies; i++) {
        const struct nbrec_logical_router_policy *p = lr->policies[i];
        if (p->priority == priority && !strcmp(p->match, match)) {
            if (!ctl_has_option(ctx, "--may-exist")) {
                ctl_error(ctx, "Same routing policy already existed on the "
                          "logical router %s.", ctx->argv[1]);
            }
            goto out;
        }
    }

    const struct nbrec_logical_router_policy *policy
        = nbrec_logical_router_policy_insert(ctx->txn);
    char **keys, **values;
    size_t n_options = nbctl_parse_options(ctx, reroute ? 6 : 5, &keys,
                                           &values);
    nbrec_logical_router_policy_set_priority(ctx->txn, policy, priority);
    nbrec_logical_router_policy_set_match(ctx->txn, policy, match);
    nbrec_logical_router_policy_set_action(ctx->txn, policy, action);
    if (reroute) {
        nbrec_logical_router_policy_set_nexthops(
            ctx->txn, policy, (const char **) nexthops, n_nexthops);
    }
    nbrec_logical_router_policy_set_options(ctx->txn, policy,
                                            (const char **) keys,
                                            (const char **) values,
                                            n_options);
    nbctl_free_options(keys, values, n_options);
    nbrec_logical_router_update_policies_addvalue(ctx->txn, lr, policy);
out:
    for (size_t i = 0; i < n_nexthops; i++) {
        free(nexthops[i]);
    }
    free(nexthops);
}

/* lr-policy-del ROUTER [PRIORITY [MATCH] | UUID] */
static void
cmd_lr_policy_del(struct ctl_context *ctx)
{
    const struct nbrec_logical_router *lr = nbctl_lr_lookup(ctx,
                                                            ctx->argv[1],
                                                            true);
    struct uuid uuid;
    int64_t priority = 0;
    bool by_uuid = false;

    if (!lr) {
        return;
    }
    if (ctx->argc > 2) {
        by_uuid = uuid_from_string(&uuid, ctx->argv[2]);
        if (!by_uuid
            && !nbctl_parse_priority(ctx, ctx->argv[2], &priority)) {
            return;
        }
    }

    size_t n = lr->n_policies, n_deleted = 0;
    const struct nbrec_logical_router_policy **policies
        = nbctl_copy_array(lr->policies, n, sizeof *policies);
    for (size_t i = 0; i < n; i++) {
        const struct nbrec_logical_router_policy *p = policies[i];
        bool match = (ctx->argc == 2
                      || (by_uuid ? uuid_equals(&p->header_.uuid, &uuid)
                          : p->priority == priority
                            && (ctx->argc < 4
                                || !strcmp(p->match, ctx->argv[3]))));
        if (match) {
            nbrec_logical_router_update_policies_delvalue(ctx->txn, lr, p);
            nbrec_logical_router_policy_delete(ctx->txn, p);
            n_deleted++;
        }
    }
    free(policies);
    if (by_uuid && !n_deleted && !ctl_has_option(ctx, "--if-exists")) {
        ctl_error(ctx, "Logical router policy uuid is not found.");
    }
}

static int
compare_policies(const void *a_, const void *b_)
{
    const struct nbrec_logical_router_policy *const *a = a_;
    const struct nbrec_logical_router_policy *const *b = b_;

    if ((*a)->priority != (*b)->priority) {
        return (*a)->priority > (*b)->priority ? -1 : 1;
    }
    return strcmp((*a)->match, (*b)->match);
}

static void
print_policy(struct ds *out, const struct nbrec_logical_router_policy *p)
{
    ds_put_format(out, "%10"PRId64" %50s %15s", p->priority, p->match,
                  p->action);
    /* The first next hop is padded, the others follow it. */
    for (size_t i = 0; i < p->n_nexthops; i++) {
        ds_put_format(out, i ? ", %s" : " %25s", p->nexthops[i]);
    }
    if (p->options->n) {
        ds_put_char_multiple(out, ' ', 15);
        for (unsigned int i = 0; i < p->options->n; i++) {
            ds_put_format(out, "%s%s=%s", i ? "," : "",
                          ovsdb_atom_string(&p->options->keys[i]),
                          ovsdb_atom_string(&p->options->values[i]));
        }
    }
    ds_put_char(out, '\n');
}

/* lr-policy-list ROUTER */
static void
cmd_lr_policy_list(struct ctl_context *ctx)
{
    const struct nbrec_logical_router *lr = nbctl_lr_lookup(ctx,
                                                            ctx->argv[1],
                                                            true);
    if (!lr || !lr->n_policies) {
        return;
    }
    const struct nbrec_logical_router_policy **policies
        = nbctl_copy_array(lr->policies, lr->n_policies, sizeof *policies);
    qsort(policies, lr->n_policies, sizeof *policies, compare_policies);
    ds_put_cstr(ctx->output, "Routing Policies\n");
    for (size_t i = 0; i < lr->n_policies; i++) {
        print_policy(ctx->output, policies[i]);
    }
    free(policies);
}

const struct ctl_command_syntax nbctl_policy_commands[] = {
    { "lr-policy-add", 4, INT_MAX,
      "ROUTER PRIORITY MATCH ACTION [NEXTHOP] [OPTIONS]...", pre_policy,
      cmd_lr_policy_add, NULL, "--may-exist", CTL_RW },
    { "lr-policy-del", 1, 3, "ROUTER [{PRIORITY | UUID} [MATCH]]",
      pre_policy, cmd_lr_policy_del, NULL, "--if-exists", CTL_RW },
    { "lr-policy-list", 1, 1, "ROUTER", pre_policy, cmd_lr_policy_list, NULL,
      "", CTL_RO },
};

const size_t nbctl_n_policy_commands = ARRAY_SIZE(nbctl_policy_commands);
