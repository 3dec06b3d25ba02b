/* weft-nbctl: load balancers (lb-add, lb-del, lb-list) and their
 * attachment to logical switches and routers (ls-lb-add, ls-lb-del,
 * ls-lb-list, lr-lb-add, lr-lb-del, lr-lb-list), as ovn-nbctl 23.03 has
 * them (docs/nbctl-facts.md §7).
 *
 * A Load_Balancer's 'vips' maps each VIP ("ADDR" or "ADDR:PORT", an IPv6
 * address in brackets when a port follows) to its backends
 * ("ADDR[:PORT],..."), both rewritten the way ip_endpoint_format() writes
 * them.  An address that does not parse gets, before the command's error,
 * the error line ovn-nbctl's socket code logs; this file's log module is
 * named after that one so that the two tools' lines read alike. */
#include <stdlib.h>
#include <string.h>
#include "ds.h"
#include "packets.h"
#include "util.h"
#include "uuid.h"
#include "vlog.h"
#include "cli/nbctl-private.h"

VLOG_DEFINE_THIS_MODULE(socket_util);

static void
pre_lb(struct ctl_context *ctx)
{
    nbctl_need_tables(ctx, "Load_Balancer,Logical_Switch,Logical_Router");
}

/* Parses endpoint 's', logging the error ovn-nbctl would log. */
static bool
parse_endpoint(const char *s, struct ip_endpoint *ep)
{
    bool quiet;
    char *error = ip_endpoint_parse(s, ep, &quiet);

    if (error && !quiet) {
        VLOG_ERR("%s", error);
    }
    free(error);
    return !error;
}

/* Checks one backend 'token' of 'vip'.  Returns NULL if it is good, else
 * an owned description of the problem. */
static char *
check_backend(const struct ip_endpoint *vip, const char *token,
              struct ip_endpoint *ep)
{
    const char *must = (vip->port
                        ? "should be an IP address and a port number with "
                          ": as a separator"
                        : "should be an IP address");

    if (!parse_endpoint(token, ep)) {
        return xasprintf("%s: %s", token, must);
    } else if (ep->family != vip->family) {
        struct ds addr = DS_EMPTY_INITIALIZER;
        ip_endpoint_format_addr(vip, &addr);
        char *problem = xasprintf("%s: IP address family is different "
                                  "from VIP %s", token, ds_cstr(&addr));
        ds_destroy(&addr);
        return problem;
    } else if (!ep->port != !vip->port) {
        return xasprintf("%s: %s", token, must);
    }
    return NULL;
}

/* Rewrites backends 'list' ("ADDR[:PORT],...", empty items skipped) of
 * 'vip'.  Every backend is checked, and a failure names each bad one, as
 * ovn-nbctl does.  Returns the owned list, or NULL after ctl_error(). */
static char *
normalize_backends(struct ctl_context *ctx, const struct ip_endpoint *vip,
                   const char *list)
{
    struct ds out = DS_EMPTY_INITIALIZER;
    struct ds errors = DS_EMPTY_INITIALIZER;
    char *copy = xstrdup(list), *save = NULL;

    for (char *token = strtok_r(copy, ",", &save); token;
         token = strtok_r(NULL, ",", &save)) {
        struct ip_endpoint ep;
        char *problem = check_backend(vip, token, &ep);
        if (problem) {
            ds_put_format(&errors, "%s%s", errors.length ? ", " : "",
                          problem);
            free(problem);
        } else {
            if (out.length) {
                ds_put_char(&out, ',');
            }
            ip_endpoint_format(&ep, &out);
        }
    }
    free(copy);
    if (errors.length) {
        ctl_error(ctx, "%s.", ds_cstr(&errors));
        ds_destroy(&errors);
        ds_destroy(&out);
        return NULL;
    }
    ds_destroy(&errors);
    return ds_steal_cstr(&out);
}

/* Checks lb-add's options, protocol and VIP, in ovn-nbctl's order; fills
 * in '*vip'.  Returns false after ctl_error(). */
static bool
check_lb_add(struct ctl_context *ctx, const char *protocol,
             struct ip_endpoint *vip)
{
    const char *vip_arg = ctx->argv[2];

    if (ctl_has_option(ctx, "--reject") && ctl_has_option(ctx, "--event")) {
        /* Sic: ovn-nbctl's wording. */
        ctl_error(ctx, "--reject and --event can't specified at the same "
                  "time");
    } else if (protocol && strcmp(protocol, "tcp") && strcmp(protocol, "udp")
               && strcmp(protocol, "sctp")) {
        ctl_error(ctx, "%s: protocol must be one of \"tcp\", \"udp\",  or "
                  "\"sctp\".", protocol);
    } else if (!parse_endpoint(vip_arg, vip)) {
        ctl_error(ctx, "%s: should be an IP address (or an IP address and "
                  "a port number with : as a separator).", vip_arg);
    } else {
        return true;
    }
    return false;
}

static const struct nbrec_load_balancer *
create_lb(struct ctl_context *ctx, const char *name, const char *protocol)
{
    const struct nbrec_load_balancer *lb = nbrec_load_balancer_insert(
        ctx->txn);

    nbrec_load_balancer_set_name(ctx->txn, lb, name);
    nbrec_load_balancer_set_protocol(ctx->txn, lb,
                                     protocol ? protocol : "tcp");
    if (ctl_has_option(ctx, "--reject")) {
        nbrec_load_balancer_update_options_setkey(ctx->txn, lb, "reject",
                                                  "true");
    }
    if (ctl_has_option(ctx, "--event")) {
        nbrec_load_balancer_update_options_setkey(ctx->txn, lb, "event",
                                                  "true");
    }
    return lb;
}

/* lb-add LB VIP[:PORT] IP[:PORT]... [PROTOCOL] (a fifth argument is
 * accepted and ignored, as ovn-nbctl does) */
static void
cmd_lb_add(struct ctl_context *ctx)
{
    const char *name = ctx->argv[1];
    const char *protocol = ctx->argc > 4 ? ctx->argv[4] : NULL;
    const struct nbrec_load_balancer *lb = NULL;
    struct ip_endpoint vip;
    char *backends;

    if (!check_lb_add(ctx, protocol, &vip)) {
        return;
    }
    backends = normalize_backends(ctx, &vip, ctx->argv[3]);
    if (!backends) {
        return;
    }
    if (protocol && !vip.port) {
        ctl_error(ctx, "Protocol is unnecessary when no port of vip is "
                  "given.");
        free(backends);
        return;
    }

    struct ds vip_key = DS_EMPTY_INITIALIZER;
    ip_endpoint_format(&vip, &vip_key);
    if (!ctl_has_option(ctx, "--add-duplicate")) {
        lb = nbctl_lb_lookup(ctx, name, false);
        if (ctx->error) {
            goto out;
        }
    }
    if (!lb) {
        lb = create_lb(ctx, name, protocol);
    } else if (nbrec_load_balancer_get_vips_value(lb, ds_cstr(&vip_key))
               && !ctl_has_option(ctx, "--may-exist")) {
        ctl_error(ctx, "%s: a load balancer with this vip (%s) already "
                  "exists", name, ds_cstr(&vip_key));
        goto out;
    } else if (protocol) {
        nbrec_load_balancer_set_protocol(ctx->txn, lb, protocol);
    }
    nbrec_load_balancer_update_vips_setkey(ctx->txn, lb, ds_cstr(&vip_key),
                                           backends);
out:
    ds_destroy(&vip_key);
    free(backends);
}

/* lb-del LB [VIP]: an unknown LB is no error, even without --if-exists;
 * the LB goes with its last VIP. */
static void
cmd_lb_del(struct ctl_context *ctx)
{
    const struct nbrec_load_balancer *lb = nbctl_lb_lookup(ctx,
                                                           ctx->argv[1],
                                                           false);
    if (!lb) {
        return;
    }
    if (ctx->argc == 3) {
        const char *vip = ctx->argv[2];
        if (!nbrec_load_balancer_get_vips_value(lb, vip)) {
            if (!ctl_has_option(ctx, "--if-exists")) {
                ctl_error(ctx, "vip %s is not part of the load balancer.",
                          vip);
            }
            return;
        }
        if (lb->vips->n > 1) {
            nbrec_load_balancer_update_vips_delkey(ctx->txn, lb, vip);
            return;
        }
    }
    nbrec_load_balancer_delete(ctx->txn, lb);
}

static int
compare_lbs(const void *a_, const void *b_)
{
    const struct nbrec_load_balancer *const *a = a_;
    const struct nbrec_load_balancer *const *b = b_;
    int cmp = strcmp((*a)->name, (*b)->name);

    /* ovn-nbctl leaves LBs with equal names in no particular order. */
    return cmp ? cmp : uuid_compare(&(*a)->header_.uuid,
                                    &(*b)->header_.uuid);
}

/* Appends one LB's rows of a listing: the first VIP after the LB's UUID
 * and name, the others indented, in VIP order.  A VIP that does not parse
 * is left out (after the error line ovn-nbctl logs), and so are the UUID
 * and name if it was the first: ovn-nbctl's quirk. */
static void
put_lb_rows(struct ds *out, const struct nbrec_load_balancer *lb, int width)
{
    const struct ovsdb_datum *vips = lb->vips;

    for (unsigned int i = 0; i < vips->n; i++) {
        const char *key = ovsdb_atom_string(&vips->keys[i]);
        struct ip_endpoint vip;
        if (!parse_endpoint(key, &vip)) {
            continue;
        }
        const char *proto = (!vip.port ? ""
                             : lb->protocol ? lb->protocol : "(null)");
        if (!i) {
            ds_put_format(out, UUID_FMT "    %-20.16s",
                          UUID_ARGS(&lb->header_.uuid), lb->name);
        } else {
            ds_put_format(out, "\n%60s", "");
        }
        ds_put_format(out, "%-11.7s%-*.*s%s", proto, width + 4, width, key,
                      ovsdb_atom_string(&vips->values[i]));
    }
    ds_put_char(out, '\n');
}

/* Prints the 'n' load balancers 'lbs' as lb-list, ls-lb-list and
 * lr-lb-list do: sorted by name, the VIP column as wide as the longest
 * VIP among them plus 4, lines not trimmed; LBs without VIPs are left
 * out, and with nothing to print, so is the heading. */
static void
print_lbs(struct ds *out, const struct nbrec_load_balancer **lbs_,
          size_t n)
{
    const struct nbrec_load_balancer **lbs = nbctl_copy_array(lbs_, n,
                                                              sizeof *lbs);
    size_t n_listed = 0;
    int width = 0;

    qsort(lbs, n, sizeof *lbs, compare_lbs);
    for (size_t i = 0; i < n; i++) {
        const struct ovsdb_datum *vips = lbs[i]->vips;
        for (unsigned int j = 0; j < vips->n; j++) {
            int len = strlen(ovsdb_atom_string(&vips->keys[j]));
            width = MAX(width, len);
        }
        n_listed += vips->n > 0;
    }
    if (n_listed) {
        ds_put_format(out, "%-40s%-20s%-11s%-*.*s%s\n", "UUID", "LB",
                      "PROTO", width + 4, width, "VIP", "IPs");
    }
    for (size_t i = 0; i < n; i++) {
        if (lbs[i]->vips->n) {
            put_lb_rows(out, lbs[i], width);
        }
    }
    free(lbs);
}

/* lb-list [LB]: LB matches names only (a UUID lists nothing, as with
 * ovn-nbctl), and every load balancer of that name is listed. */
static void
cmd_lb_list(struct ctl_context *ctx)
{
    const char *name = ctx->argc > 1 ? ctx->argv[1] : NULL;
    const struct nbrec_load_balancer **lbs = NULL;
    const struct nbrec_load_balancer *lb;
    size_t n = 0, allocated = 0;

    NBREC_LOAD_BALANCER_FOR_EACH (lb, ctx->client) {
        if (!name || !strcmp(lb->name, name)) {
            if (n >= allocated) {
                lbs = x2nrealloc(lbs, &allocated, sizeof *lbs);
            }
            lbs[n++] = lb;
        }
    }
    print_lbs(ctx->output, lbs, n);
    free(lbs);
}

/* The switch or router argv[1] of an ls-lb-* or lr-lb-* command. */
struct lb_holder {
    const struct nbrec_logical_switch *ls;  /* One of these is nonnull. */
    const struct nbrec_logical_router *lr;
    const struct nbrec_load_balancer **lbs;
    size_t n_lbs;
    const char *what;           /* "logical switch" or "logical router". */
};

/* Finds the holder for ls-lb-* (or, with 'router', lr-lb-*).  Returns
 * false after ctl_error(). */
static bool
lb_holder_lookup(struct ctl_context *ctx, bool router, struct lb_holder *h)
{
    memset(h, 0, sizeof *h);
    if (router) {
        h->lr = nbctl_lr_lookup(ctx, ctx->argv[1], true);
        if (h->lr) {
            h->lbs = h->lr->load_balancer;
            h->n_lbs = h->lr->n_load_balancer;
        }
        h->what = "logical router";
    } else {
        h->ls = nbctl_ls_lookup(ctx, ctx->argv[1], true);
        if (h->ls) {
            h->lbs = h->ls->load_balancer;
            h->n_lbs = h->ls->n_load_balancer;
        }
        h->what = "logical switch";
    }
    return h->ls || h->lr;
}

static bool
lb_holder_has(const struct lb_holder *h, const struct nbrec_load_balancer *lb)
{
    for (size_t i = 0; i < h->n_lbs; i++) {
        if (uuid_equals(&h->lbs[i]->header_.uuid, &lb->header_.uuid)) {
            return true;
        }
    }
    return false;
}

/* ls-lb-add SWITCH LB, lr-lb-add ROUTER LB */
static void
lb_attach(struct ctl_context *ctx, bool router)
{
    const struct nbrec_load_balancer *lb;
    struct lb_holder h;

    if (!lb_holder_lookup(ctx, router, &h)) {
        return;
    }
    lb = nbctl_lb_lookup(ctx, ctx->argv[2], true);
    if (!lb) {
        return;
    }
    if (lb_holder_has(&h, lb)) {
        if (!ctl_has_option(ctx, "--may-exist")) {
            ctl_error(ctx, UUID_FMT " : a load balancer with this UUID "
                      "already exists", UUID_ARGS(&lb->header_.uuid));
        }
    } else if (router) {
        nbrec_logical_router_update_load_balancer_addvalue(ctx->txn, h.lr,
                                                           lb);
    } else {
        nbrec_logical_switch_update_load_balancer_addvalue(ctx->txn, h.ls,
                                                           lb);
    }
}

/* ls-lb-del SWITCH [LB], lr-lb-del ROUTER [LB]: --if-exists covers only an
 * LB that is not attached, not an unknown LB or switch. */
static void
lb_detach(struct ctl_context *ctx, bool router)
{
    const struct nbrec_load_balancer *lb = NULL;
    struct lb_holder h;

    if (!lb_holder_lookup(ctx, router, &h)) {
        return;
    }
    if (ctx->argc == 3) {
        lb = nbctl_lb_lookup(ctx, ctx->argv[2], true);
        if (!lb) {
            return;
        }
        if (!lb_holder_has(&h, lb)) {
            if (!ctl_has_option(ctx, "--if-exists")) {
                ctl_error(ctx, "load balancer %s is not part of any %s.",
                          lb->name, h.what);
            }
            return;
        }
    }
    if (router) {
        if (lb) {
            nbrec_logical_router_update_load_balancer_delvalue(ctx->txn,
                                                               h.lr, lb);
        } else {
            nbrec_logical_router_set_load_balancer(ctx->txn, h.lr, NULL, 0);
        }
    } else if (lb) {
        nbrec_logical_switch_update_load_balancer_delvalue(ctx->txn, h.ls,
                                                           lb);
    } else {
        nbrec_logical_switch_set_load_balancer(ctx->txn, h.ls, NULL, 0);
    }
}

static void
lb_list_attached(struct ctl_context *ctx, bool router)
{
    struct lb_holder h;

    if (lb_holder_lookup(ctx, router, &h)) {
        print_lbs(ctx->output, h.lbs, h.n_lbs);
    }
}

static void
cmd_ls_lb_add(struct ctl_context *ctx)
{
    lb_attach(ctx, false);
}

static void
cmd_ls_lb_del(struct ctl_context *ctx)
{
    lb_detach(ctx, false);
}

static void
cmd_ls_lb_list(struct ctl_context *ctx)
{
    lb_list_attached(ctx, false);
}

static void
cmd_lr_lb_add(struct ctl_context *ctx)
{
    lb_attach(ctx, true);
}

static void
cmd_lr_lb_del(struct ctl_context *ctx)
{
    lb_detach(ctx, true);
}

static void
cmd_lr_lb_list(struct ctl_context *ctx)
{
    lb_list_attached(ctx, true);
}

/* In the order of ovn-nbctl's --help. */
const struct ctl_command_syntax nbctl_lb_commands[] = {
    { "lb-add", 3, 5, "LB VIP[:PORT] IP[:PORT]... [PROTOCOL]", pre_lb,
      cmd_lb_add, NULL, "--may-exist,--add-duplicate,--reject,--event",
      CTL_RW },
    { "lb-del", 1, 2, "LB [VIP]", pre_lb, cmd_lb_del, NULL, "--if-exists",
      CTL_RW },
    { "lb-list", 0, 1, "[LB]", pre_lb, cmd_lb_list, NULL, "", CTL_RO },
    { "lr-lb-add", 2, 2, "ROUTER LB", pre_lb, cmd_lr_lb_add, NULL,
      "--may-exist", CTL_RW },
    { "lr-lb-del", 1, 2, "ROUTER [LB]", pre_lb, cmd_lr_lb_del, NULL,
      "--if-exists", CTL_RW },
    { "lr-lb-list", 1, 1, "ROUTER", pre_lb, cmd_lr_lb_list, NULL, "",
      CTL_RO },
    { "ls-lb-add", 2, 2, "SWITCH LB", pre_lb, cmd_ls_lb_add, NULL,
      "--may-exist", CTL_RW },
    { "ls-lb-del", 1, 2, "SWITCH [LB]", pre_lb, cmd_ls_lb_del, NULL,
      "--if-exists", CTL_RW },
    { "ls-lb-list", 1, 1, "SWITCH", pre_lb, cmd_ls_lb_list, NULL, "",
      CTL_RO },
};

const size_t nbctl_n_lb_commands = ARRAY_SIZE(nbctl_lb_commands);
