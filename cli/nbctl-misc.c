/* weft-nbctl: forwarding groups (fwd-group-*), port mirrors (mirror-*,
 * lsp-attach-mirror, lsp-detach-mirror), static MAC bindings
 * (static-mac-binding-*) and the redirect type of gateway router ports
 * (lrp-set-redirect-type, lrp-get-redirect-type), as ovn-nbctl 23.03 has
 * them (docs/nbctl-facts.md section 11). */
#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "ds.h"
#include "util.h"
#include "vlog.h"
#include "cli/nbctl-private.h"

/* The C IDL logs its warnings as "ovsdb_idl". */
static struct vlog_module idl_module = { "ovsdb_idl", VLL_N_LEVELS, NULL };

/* Is 's' an IPv4 address (inet_pton's strict dotted quad)? */
static bool
is_ipv4(const char *s)
{
    struct in_addr a;
    return inet_pton(AF_INET, s, &a) == 1;
}

/* Parses an IPv4 or IPv6 address (IPv4-mapped IPv6 included) into its
 * canonical text.  Returns NULL if 's' is not one; the caller frees. */
static char *
canonical_ip(const char *s)
{
    char buf[INET6_ADDRSTRLEN];
    struct in6_addr a6;
    struct in_addr a4;

    if (inet_pton(AF_INET, s, &a4) == 1) {
        return xstrdup(inet_ntop(AF_INET, &a4, buf, sizeof buf));
    } else if (inet_pton(AF_INET6, s, &a6) == 1) {
        return xstrdup(inet_ntop(AF_INET6, &a6, buf, sizeof buf));
    }
    return NULL;
}

/* Skips one scanf "%hhx" field at '*sp': white space, a sign, a "0x"
 * prefix and any number of hex digits (the value is not kept). */
static bool
scan_hex_field(const char **sp)
{
    const char *s = *sp;

    while (isspace((unsigned char) *s)) {
        s++;
    }
    if (*s == '+' || *s == '-') {
        s++;
    }
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')
        && isxdigit((unsigned char) s[2])) {
        s += 2;
    }
    if (!isxdigit((unsigned char) *s)) {
        return false;
    }
    while (isxdigit((unsigned char) *s)) {
        s++;
    }
    *sp = s;
    return true;
}

/* ovn-nbctl's check of a MAC address here is lenient: six scanf "%hhx"
 * fields separated by ':' and nothing after ("000:00:00:00:00:01" and
 * " 1:0:0:0:0:1" pass).  The address is then stored as given. */
static bool
is_scannable_mac(const char *s)
{
    for (int i = 0; i < 6; i++) {
        if (!scan_hex_field(&s) || *s != (i < 5 ? ':' : '\0')) {
            return false;
        }
        s += i < 5;
    }
    return true;
}

/* Forwarding groups. */

static void
pre_fwd_group(struct ctl_context *ctx)
{
    nbctl_need_tables(ctx, "Logical_Switch,Logical_Switch_Port,"
                      "Forwarding_Group");
}

/* The forwarding group with UUID or name 'id', or NULL. */
static const struct nbrec_forwarding_group *
fwd_group_find(struct ctl_context *ctx, const char *id)
{
    const struct nbrec_forwarding_group *fg;
    struct uuid uuid;

    if (uuid_from_string(&uuid, id)) {
        fg = nbrec_forwarding_group_get_for_uuid(ctx->client, &uuid);
        if (fg) {
            return fg;
        }
    }
    NBREC_FORWARDING_GROUP_FOR_EACH (fg, ctx->client) {
        if (!strcmp(fg->name, id)) {
            return fg;
        }
    }
    return NULL;
}

/* The switch whose forwarding_groups holds 'fg', or NULL. */
static const struct nbrec_logical_switch *
fwd_group_to_ls(struct ctl_context *ctx,
                const struct nbrec_forwarding_group *fg)
{
    const struct nbrec_logical_switch *ls;

    NBREC_LOGICAL_SWITCH_FOR_EACH (ls, ctx->client) {
        for (size_t i = 0; i < ls->n_forwarding_groups; i++) {
            if (ls->forwarding_groups[i] == fg) {
                return ls;
            }
        }
    }
    return NULL;
}

/* Checks that the ports argv[5...] exist and belong to 'ls'.  Returns
 * false after ctl_error(). */
static bool
check_fwd_group_ports(struct ctl_context *ctx,
                      const struct nbrec_logical_switch *ls)
{
    for (int i = 5; i < ctx->argc; i++) {
        const struct nbrec_logical_switch_port *lsp = nbctl_lsp_lookup(
            ctx, ctx->argv[i], false);
        if (ctx->error) {
            return false;
        } else if (!lsp) {
            ctl_error(ctx, "%s: logical switch port does not exist",
                      ctx->argv[i]);
            return false;
        }
        const struct nbrec_logical_switch *owner = nbctl_lsp_to_ls(ctx, lsp);
        if (!owner) {
            return false;
        } else if (owner != ls) {
            ctl_error(ctx, "%s: port already exists but in logical switch "
                      "%s", ctx->argv[i], owner->name);
            return false;
        }
    }
    return true;
}

/* [--liveness] fwd-group-add GROUP SWITCH VIP VMAC PORT... */
static void
cmd_fwd_group_add(struct ctl_context *ctx)
{
    const char *name = ctx->argv[1], *vip = ctx->argv[3];
    const char *vmac = ctx->argv[4];
    const struct nbrec_forwarding_group *fg;
    const struct nbrec_logical_switch *ls;

    if (ctx->argc < 6) {
        ctl_error(ctx, "Usage : %s fwd-group-add group switch vip vmac "
                  "child_ports...", ctx->tool->program_name);
        return;
    }
    NBREC_FORWARDING_GROUP_FOR_EACH (fg, ctx->client) {
        if (!strcmp(fg->name, name)) {
            ctl_error(ctx, "%s: a forwarding group by this name already "
                      "exists", name);
            return;
        }
    }
    ls = nbctl_ls_lookup(ctx, ctx->argv[2], true);
    if (!ls) {
        return;
    } else if (!is_ipv4(vip)) {
        ctl_error(ctx, "invalid ip address %s", vip);
        return;
    } else if (!is_scannable_mac(vmac)) {
        ctl_error(ctx, "invalid mac address %s", vmac);
        return;
    } else if (!check_fwd_group_ports(ctx, ls)) {
        return;
    }

    fg = nbrec_forwarding_group_insert(ctx->txn);
    nbrec_forwarding_group_set_name(ctx->txn, fg, name);
    nbrec_forwarding_group_set_vip(ctx->txn, fg, vip);
    nbrec_forwarding_group_set_vmac(ctx->txn, fg, vmac);
    nbrec_forwarding_group_set_liveness(ctx->txn, fg,
                                        ctl_has_option(ctx, "--liveness"));
    nbrec_forwarding_group_set_child_port(
        ctx->txn, fg, (const char **) &ctx->argv[5], ctx->argc - 5);
    nbrec_logical_switch_update_forwarding_groups_addvalue(ctx->txn, ls, fg);
}

/* [--if-exists] fwd-group-del GROUP: a missing group is no error even
 * without --if-exists. */
static void
cmd_fwd_group_del(struct ctl_context *ctx)
{
    const struct nbrec_forwarding_group *fg = fwd_group_find(ctx,
                                                             ctx->argv[1]);
    const struct nbrec_logical_switch *ls = fg ? fwd_group_to_ls(ctx, fg)
                                               : NULL;
    if (ls) {
        nbrec_logical_switch_update_forwarding_groups_delvalue(ctx->txn, ls,
                                                               fg);
        nbrec_forwarding_group_delete(ctx->txn, fg);
    }
}

static int
compare_fwd_groups(const void *a_, const void *b_)
{
    const struct nbrec_forwarding_group *const *a = a_;
    const struct nbrec_forwarding_group *const *b = b_;
    int cmp = strcmp((*a)->name, (*b)->name);
    return cmp ? cmp : uuid_compare(&(*a)->header_.uuid, &(*b)->header_.uuid);
}

static void
print_fwd_group(struct ds *out, const struct nbrec_forwarding_group *fg,
                const struct nbrec_logical_switch *ls)
{
    ds_put_format(out, "%-16.16s%-14.18s%-15.15s%.18s      ", fg->name,
                  ls->name, fg->vip, fg->vmac);
    for (size_t i = 0; i < fg->n_child_port; i++) {
        ds_put_format(out, "%s%s", i ? " " : "", fg->child_port[i]);
    }
    ds_put_char(out, '\n');
}

/* fwd-group-list [SWITCH]: a header, then one line per group.  ovn-nbctl
 * lists the groups in hash order; weft by name. */
static void
cmd_fwd_group_list(struct ctl_context *ctx)
{
    const struct nbrec_logical_switch *only = NULL;
    const struct nbrec_forwarding_group *fg;

    if (ctx->argc == 2) {
        only = nbctl_ls_lookup(ctx, ctx->argv[1], true);
        if (!only) {
            return;
        }
    }
    ds_put_cstr(ctx->output, "FWD_GROUP       LS            VIP          "
                "   VMAC                  CHILD_PORTS\n");

    struct ovsdb_client_table *t = nbrec_forwarding_group_table(ctx->client);
    const struct nbrec_forwarding_group **fgs = xcalloc(
        ovsdb_client_table_count(t) + 1, sizeof *fgs);
    size_t n = 0;
    NBREC_FORWARDING_GROUP_FOR_EACH (fg, ctx->client) {
        fgs[n++] = fg;
    }
    qsort(fgs, n, sizeof *fgs, compare_fwd_groups);
    for (size_t i = 0; i < n; i++) {
        const struct nbrec_logical_switch *ls = fwd_group_to_ls(ctx, fgs[i]);
        if (ls && (!only || ls == only)) {
            print_fwd_group(ctx->output, fgs[i], ls);
        }
    }
    free(fgs);
}

/* Mirrors. */

static void
pre_mirror(struct ctl_context *ctx)
{
    nbctl_need_tables(ctx, "Mirror,Logical_Switch_Port");
}

/* mirror-add NAME TYPE INDEX FILTER SINK (--may-exist is accepted but
 * changes nothing, as in ovn-nbctl). */
static void
cmd_mirror_add(struct ctl_context *ctx)
{
    const char *name = ctx->argv[1], *type = ctx->argv[2];
    const char *filter = ctx->argv[4], *sink = ctx->argv[5];
    const struct nbrec_mirror *m;
    struct in6_addr a6;
    long long index;

    NBREC_MIRROR_FOR_EACH (m, ctx->client) {
        if (!strcmp(m->name, name)) {
            ctl_error(ctx, "Mirror with %s name already exists.", name);
            return;
        }
    }
    if (strcmp(type, "gre") && strcmp(type, "erspan")) {
        ctl_error(ctx, "%s: type must be \"gre\" or \"erspan\"", type);
    } else if (!str_to_llong(ctx->argv[3], 10, &index)) {
        ctl_error(ctx, "Invalid Index");
    } else if (filter[0] != 'f' && filter[0] != 't') {
        /* Like a direction, only the first letter counts. */
        ctl_error(ctx, "%s: selection must be \"to-lport\" or "
                  "\"from-lport\"", filter);
    } else if (!is_ipv4(sink) && inet_pton(AF_INET6, sink, &a6) != 1) {
        ctl_error(ctx, "Invalid sink ip: %s", sink);
    } else {
        m = nbrec_mirror_insert(ctx->txn);
        nbrec_mirror_set_name(ctx->txn, m, name);
        nbrec_mirror_set_type(ctx->txn, m, type);
        nbrec_mirror_set_index(ctx->txn, m, index);
        nbrec_mirror_set_filter(ctx->txn, m, (filter[0] == 'f'
                                              ? "from-lport" : "to-lport"));
        nbrec_mirror_set_sink(ctx->txn, m, sink);
    }
}

/* mirror-del [NAME]: all mirrors, or those named NAME (a UUID names
 * none). */
static void
cmd_mirror_del(struct ctl_context *ctx)
{
    const struct nbrec_mirror *m, *next;

    for (m = nbrec_mirror_first(ctx->client); m; m = next) {
        next = nbrec_mirror_next(m);
        if (ctx->argc == 1 || !strcmp(m->name, ctx->argv[1])) {
            nbrec_mirror_delete(ctx->txn, m);
        }
    }
}

static int
compare_mirrors(const void *a_, const void *b_)
{
    const struct nbrec_mirror *const *a = a_;
    const struct nbrec_mirror *const *b = b_;
    return strcmp((*a)->name, (*b)->name);
}

/* mirror-list: one block per mirror, by name. */
static void
cmd_mirror_list(struct ctl_context *ctx)
{
    struct ovsdb_client_table *t = nbrec_mirror_table(ctx->client);
    const struct nbrec_mirror **ms = xcalloc(ovsdb_client_table_count(t) + 1,
                                             sizeof *ms);
    const struct nbrec_mirror *m;
    size_t n = 0;

    NBREC_MIRROR_FOR_EACH (m, ctx->client) {
        ms[n++] = m;
    }
    qsort(ms, n, sizeof *ms, compare_mirrors);
    for (size_t i = 0; i < n; i++) {
        ds_put_format(ctx->output, "%s:\n  Type     :  %s\n  Sink     :  %s\n"
                      "  Filter   :  %s\n  Index/Key:  %"PRId64"\n\n",
                      ms[i]->name, ms[i]->type, ms[i]->sink, ms[i]->filter,
                      ms[i]->index);
    }
    free(ms);
}

/* For lsp-attach-mirror and lsp-detach-mirror: the port argv[1] and the
 * mirror argv[2].  Returns false after ctl_error(). */
static bool
get_port_and_mirror(struct ctl_context *ctx,
                    const struct nbrec_logical_switch_port **lspp,
                    const struct nbrec_mirror **mirrorp)
{
    *lspp = nbctl_lsp_lookup(ctx, ctx->argv[1], true);
    *mirrorp = *lspp ? nbctl_mirror_lookup(ctx, ctx->argv[2], true) : NULL;
    return *mirrorp != NULL;
}

static bool
port_has_mirror(const struct nbrec_logical_switch_port *lsp,
                const struct nbrec_mirror *mirror)
{
    for (size_t i = 0; i < lsp->n_mirror_rules; i++) {
        if (lsp->mirror_rules[i] == mirror) {
            return true;
        }
    }
    return false;
}

/* [--may-exist] lsp-attach-mirror PORT MIRROR */
static void
cmd_lsp_attach_mirror(struct ctl_context *ctx)
{
    const struct nbrec_logical_switch_port *lsp;
    const struct nbrec_mirror *mirror;

    if (!get_port_and_mirror(ctx, &lsp, &mirror)) {
        return;
    }
    if (port_has_mirror(lsp, mirror)) {
        if (!ctl_has_option(ctx, "--may-exist")) {
            ctl_error(ctx, "mirror %s is already attached to the logical "
                      "port %s.", mirror->name, ctx->argv[1]);
        }
        return;
    }
    nbrec_logical_switch_port_update_mirror_rules_addvalue(ctx->txn, lsp,
                                                           mirror);
}

/* lsp-detach-mirror PORT MIRROR: a mirror that is not attached draws the
 * C IDL's warning and no error. */
static void
cmd_lsp_detach_mirror(struct ctl_context *ctx)
{
    const struct nbrec_logical_switch_port *lsp;
    const struct nbrec_mirror *mirror;

    if (!get_port_and_mirror(ctx, &lsp, &mirror)) {
        return;
    }
    if (!port_has_mirror(lsp, mirror)) {
        vlog(&idl_module, VLL_WARN,
             "Trying to delete a key that doesn't exist in the set.");
        return;
    }
    nbrec_logical_switch_port_update_mirror_rules_delvalue(ctx->txn, lsp,
                                                           mirror);
}

/* Static MAC bindings. */

static void
pre_static_mac(struct ctl_context *ctx)
{
    nbctl_need_tables(ctx, "Static_MAC_Binding,Logical_Router_Port");
}

/* The binding of port 'port' (as written in the row) and IP 'ip', or
 * NULL. */
static const struct nbrec_static_mac_binding *
static_mac_find(struct ctl_context *ctx, const char *port, const char *ip)
{
    const struct nbrec_static_mac_binding *b;

    NBREC_STATIC_MAC_BINDING_FOR_EACH (b, ctx->client) {
        if (!strcmp(b->logical_port, port) && !strcmp(b->ip, ip)) {
            return b;
        }
    }
    return NULL;
}

/* For static-mac-binding-add and -del: checks the router port argv[1] and
 * returns the canonical form of the IP address argv[2] (the caller frees
 * it), or NULL after ctl_error(). */
static char *
get_static_mac_key(struct ctl_context *ctx)
{
    if (!nbctl_lrp_lookup(ctx, ctx->argv[1], true)) {
        return NULL;
    }
    char *ip = canonical_ip(ctx->argv[2]);
    if (!ip) {
        ctl_error(ctx, "%s: Not a valid IPv4 or IPv6 address.",
                  ctx->argv[2]);
    }
    return ip;
}

/* [--may-exist] static-mac-binding-add LOGICAL_PORT IP MAC: the row keeps
 * LOGICAL_PORT as written and the IP in canonical form; the duplicate
 * check, though, compares the IP as written (sic). */
static void
cmd_static_mac_add(struct ctl_context *ctx)
{
    const char *port = ctx->argv[1], *mac = ctx->argv[3];
    char *ip = get_static_mac_key(ctx);

    if (!ip) {
        return;
    }
    if (!is_scannable_mac(mac)) {
        ctl_error(ctx, "invalid mac address %s.", mac);
        goto out;
    }
    const struct nbrec_static_mac_binding *b = static_mac_find(
        ctx, port, ctx->argv[2]);
    if (b) {
        if (!ctl_has_option(ctx, "--may-exist")) {
            ctl_error(ctx, "%s, %s: a Static_MAC_Binding with this "
                      "logical_port and ip already exists", port,
                      ctx->argv[2]);
        } else {
            nbrec_static_mac_binding_set_mac(ctx->txn, b, mac);
        }
        goto out;
    }
    b = nbrec_static_mac_binding_insert(ctx->txn);
    nbrec_static_mac_binding_set_logical_port(ctx->txn, b, port);
    nbrec_static_mac_binding_set_ip(ctx->txn, b, ip);
    nbrec_static_mac_binding_set_mac(ctx->txn, b, mac);
out:
    free(ip);
}

/* [--if-exists] static-mac-binding-del LOGICAL_PORT IP */
static void
cmd_static_mac_del(struct ctl_context *ctx)
{
    char *ip = get_static_mac_key(ctx);

    if (!ip) {
        return;
    }
    const struct nbrec_static_mac_binding *b = static_mac_find(
        ctx, ctx->argv[1], ip);
    if (b) {
        nbrec_static_mac_binding_delete(ctx->txn, b);
    } else if (!ctl_has_option(ctx, "--if-exists")) {
        ctl_error(ctx, "no matching Static_MAC_Binding with port %s and ip "
                  "%s", ctx->argv[1], ip);
    }
    free(ip);
}

static int
compare_static_macs(const void *a_, const void *b_)
{
    const struct nbrec_static_mac_binding *const *a = a_;
    const struct nbrec_static_mac_binding *const *b = b_;
    int cmp = strcmp((*a)->logical_port, (*b)->logical_port);
    return cmp ? cmp : strcmp((*a)->ip, (*b)->ip);
}

/* static-mac-binding-list: nothing at all if there are none, else a
 * header and the bindings by port, then IP (as strings). */
static void
cmd_static_mac_list(struct ctl_context *ctx)
{
    struct ovsdb_client_table *t = nbrec_static_mac_binding_table(
        ctx->client);
    size_t n = ovsdb_client_table_count(t), i = 0;
    const struct nbrec_static_mac_binding **bs = xcalloc(n + 1, sizeof *bs);
    const struct nbrec_static_mac_binding *b;

    NBREC_STATIC_MAC_BINDING_FOR_EACH (b, ctx->client) {
        bs[i++] = b;
    }
    qsort(bs, i, sizeof *bs, compare_static_macs);
    if (i) {
        ds_put_format(ctx->output, "%-25s%-25s%s\n", "LOGICAL_PORT", "IP",
                      "MAC");
    }
    for (size_t j = 0; j < i; j++) {
        ds_put_format(ctx->output, "%-25s%-25s%s\n", bs[j]->logical_port,
                      bs[j]->ip, bs[j]->mac);
    }
    free(bs);
}

/* Redirect type. */

static void
pre_lrp(struct ctl_context *ctx)
{
    nbctl_need_tables(ctx, "Logical_Router_Port");
}

/* lrp-set-redirect-type PORT TYPE: TYPE is checked without regard to case
 * and stored as written. */
static void
cmd_lrp_set_redirect_type(struct ctl_context *ctx)
{
    const struct nbrec_logical_router_port *lrp = nbctl_lrp_lookup(
        ctx, ctx->argv[1], true);
    const char *type = ctx->argv[2];

    if (!lrp) {
        return;
    } else if (strcasecmp(type, "overlay") && strcasecmp(type, "bridged")) {
        ctl_error(ctx, "Invalid redirect type: %s", type);
        return;
    }
    nbrec_logical_router_port_update_options_setkey(ctx->txn, lrp,
                                                    "redirect-type", type);
}

/* lrp-get-redirect-type PORT: "overlay" unless set. */
static void
cmd_lrp_get_redirect_type(struct ctl_context *ctx)
{
    const struct nbrec_logical_router_port *lrp = nbctl_lrp_lookup(
        ctx, ctx->argv[1], true);
    if (lrp) {
        const char *type = ovsdb_client_smap_get(lrp->options,
                                                 "redirect-type");
        ds_put_format(ctx->output, "%s\n", type ? type : "overlay");
    }
}

const struct ctl_command_syntax nbctl_misc_commands[] = {
    { "fwd-group-add", 4, INT_MAX, "GROUP SWITCH VIP VMAC PORTS...",
      pre_fwd_group, cmd_fwd_group_add, NULL, "--liveness", CTL_RW },
    { "fwd-group-del", 1, 1, "GROUP", pre_fwd_group, cmd_fwd_group_del, NULL,
      "--if-exists", CTL_RW },
    { "fwd-group-list", 0, 1, "[SWITCH]", pre_fwd_group, cmd_fwd_group_list,
      NULL, "", CTL_RO },
    { "mirror-add", 5, 5, "NAME TYPE INDEX FILTER IP", pre_mirror,
      cmd_mirror_add, NULL, "--may-exist", CTL_RW },
    { "mirror-del", 0, 1, "[NAME]", pre_mirror, cmd_mirror_del, NULL, "",
      CTL_RW },
    { "mirror-list", 0, 0, "", pre_mirror, cmd_mirror_list, NULL, "",
      CTL_RO },
    { "lsp-attach-mirror", 2, 2, "PORT MIRROR", pre_mirror,
      cmd_lsp_attach_mirror, NULL, "--may-exist", CTL_RW },
    { "lsp-detach-mirror", 2, 2, "PORT MIRROR", pre_mirror,
      cmd_lsp_detach_mirror, NULL, "", CTL_RW },
    { "static-mac-binding-add", 3, 3, "LOGICAL_PORT IP MAC", pre_static_mac,
      cmd_static_mac_add, NULL, "--may-exist", CTL_RW },
    { "static-mac-binding-del", 2, 2, "LOGICAL_PORT IP", pre_static_mac,
      cmd_static_mac_del, NULL, "--if-exists", CTL_RW },
    { "static-mac-binding-list", 0, 0, "", pre_static_mac,
      cmd_static_mac_list, NULL, "", CTL_RO },
    { "lrp-set-redirect-type", 2, 2, "PORT TYPE", pre_lrp,
      cmd_lrp_set_redirect_type, NULL, "", CTL_RW },
    { "lrp-get-redirect-type", 1, 1, "PORT", pre_lrp,
      cmd_lrp_get_redirect_type, NULL, "", CTL_RO },
};

const size_t nbctl_n_misc_commands = ARRAY_SIZE(nbctl_misc_commands);
