/* weft-nbctl: NAT rules of logical routers (lr-nat-add, lr-nat-del,
 * lr-nat-list), as ovn-nbctl 23.03 has them.
 *
 * An snat rule is keyed by its logical IP (a network), dnat and
 * dnat_and_snat rules by their external IP; logical networks are stored
 * with the host bits cleared ("10.9.0.5/24" -> "10.9.0.0/24"). */
#include <stdlib.h>
#include <string.h>
#include "ds.h"
#include "packets.h"
#include "util.h"
#include "cli/nbctl-private.h"

static void
pre_nat(struct ctl_context *ctx)
{
    nbctl_need_tables(ctx, "Logical_Router,Logical_Router_Port,NAT,"
                           "Logical_Switch_Port,Gateway_Chassis");
}

static bool
parse_nat_type(struct ctl_context *ctx, const char *type)
{
    if (strcmp(type, "dnat") && strcmp(type, "snat")
        && strcmp(type, "dnat_and_snat")) {
        ctl_error(ctx, "%s: type must be one of \"dnat\", \"snat\" and "
                  "\"dnat_and_snat\".", type);
        return false;
    }
    return true;
}

/* Checks external address 's' (a plain IPv4 or IPv6 address).  Returns
 * false after ctl_error(). */
static bool
parse_external_ip(struct ctl_context *ctx, const char *s, struct in6_addr *ip)
{
    if (strchr(s, '/') || !ip_from_string(s, ip)) {
        ctl_error(ctx, "%s: Not a valid IPv4 or IPv6 address.", s);
        return false;
    }
    return true;
}

/* Normalises logical IP 's' of a rule of 'type' whose external address
 * has family 'v4' into '*outp' (owned): a network or address for snat, an
 * address otherwise.  Returns false after ctl_error(). */
static bool
normalize_logical_ip(struct ctl_context *ctx, const char *type,
                     const char *s, bool v4, char **outp)
{
    struct in6_addr ip;
    unsigned int plen;
    char *error = ip_parse_cidr(s, &ip, &plen);
    bool ok = !error && ip_is_v4(&ip) == v4;
    struct ds ds = DS_EMPTY_INITIALIZER;

    free(error);
    if (!strcmp(type, "snat")) {
        if (!ok) {
            ctl_error(ctx, "%s: should be an %s address or network.", s,
                      v4 ? "IPv4" : "IPv6");
            return false;
        }
        ip_apply_plen(&ip, plen);
        if (strchr(s, '/') && plen != (v4 ? 32 : 128)) {
            ip_format_cidr(&ip, plen, &ds);
        } else {
            ip_format(&ip, &ds);
        }
    } else {
        if (!ok || strchr(s, '/')) {
            ctl_error(ctx, "%s: Not a valid %s address.", s,
                      v4 ? "IPv4" : "IPv6");
            return false;
        }
        ip_format(&ip, &ds);
    }
    *outp = ds_steal_cstr(&ds);
    return true;
}

/* Checks a port range "N" or "N-M".  Returns false after ctl_error(). */
static bool
check_port_range(struct ctl_context *ctx, const char *range)
{
    const char *dash = strchr(range, '-');
    long long lo, hi;
    bool ok;

    if (dash) {
        char *first = xmemdup0(range, dash - range);
        ok = (str_to_llong(first, 10, &lo) && str_to_llong(dash + 1, 10, &hi)
              && lo > 0 && lo <= hi && hi <= 65535);
        free(first);
    } else {
        ok = str_to_llong(range, 10, &lo) && lo > 0;
    }
    if (!ok) {
        ctl_error(ctx, "invalid port range %s.", range);
    }
    return ok;
}

/* The optional arguments of lr-nat-add after LOGICAL_IP. */
struct nat_extra {
    const char *logical_port;
    const char *external_mac;
    const char *port_range;
    const struct nbrec_logical_router_port *gateway_port;
};

static bool
parse_nat_extra(struct ctl_context *ctx, const char *type,
                struct nat_extra *x)
{
    int n = ctx->argc - 5;
    bool portrange = ctl_has_option(ctx, "--portrange");
    const char *gw = ctl_get_option(ctx, "--gateway-port");

    memset(x, 0, sizeof *x);
    if (portrange && n > 0) {
        x->port_range = ctx->argv[ctx->argc - 1];
        n--;
    }
    if (n == 1) {
        ctl_error(ctx, "lr-nat-add with logical_port must also specify "
                  "external_mac.");
        return false;
    } else if (n >= 2) {
        x->logical_port = ctx->argv[5];
        x->external_mac = ctx->argv[6];
        if (strcmp(type, "dnat_and_snat")) {
            ctl_error(ctx, "logical_port and external_mac are only valid "
                      "when type is \"dnat_and_snat\".");
            return false;
        }
        struct eth_addr ea;
        if (!eth_addr_from_string(x->external_mac, &ea)) {
            ctl_error(ctx, "invalid mac address %s.", x->external_mac);
            return false;
        }
        if (!nbctl_lsp_lookup(ctx, x->logical_port, true)) {
            return false;
        }
    }
    if (x->port_range && !check_port_range(ctx, x->port_range)) {
        return false;
    }
    if (gw) {
        x->gateway_port = nbctl_lrp_lookup(ctx, gw, true);
        if (!x->gateway_port) {
            return false;
        }
        if (!x->gateway_port->n_gateway_chassis
            && !x->gateway_port->ha_chassis_group) {
            ctl_error(ctx, "%s is not a distributed gateway router port.",
                      gw);
            return false;
        }
    }
    return true;
}

/* Checks the new rule against the router's rules.  Returns true if the
 * command is done (an error, or --may-exist left or updated a rule). */
static bool
check_duplicate_nat(struct ctl_context *ctx,
                    const struct nbrec_logical_router *lr, const char *type,
                    const char *external_ip, const char *logical_ip,
                    const struct nat_extra *x)
{
    bool may_exist = ctl_has_option(ctx, "--may-exist");
    bool snat = !strcmp(type, "snat");

    for (size_t i = 0; i < lr->n_nat; i++) {
        const struct nbrec_nat *nat = lr->nat[i];
        if (!strcmp(nat->external_ip, external_ip)
            && !strcmp(nat->logical_ip, logical_ip)) {
            if (!may_exist) {
                ctl_error(ctx, "%s, %s: a NAT with this external_ip and "
                          "logical_ip already exists", external_ip,
                          logical_ip);
            } else if (x->logical_port
                       && !strcmp(nat->type, "dnat_and_snat")) {
                nbrec_nat_set_logical_port(ctx->txn, nat, x->logical_port);
                nbrec_nat_set_external_mac(ctx->txn, nat, x->external_mac);
            }
            return true;
        }
        if (!strcmp(nat->type, type)
            && !strcmp(snat ? nat->logical_ip : nat->external_ip,
                       snat ? logical_ip : external_ip)) {
            ctl_error(ctx, "a NAT with this type (%s), %s (%s) already "
                      "exists", type, snat ? "logical_ip" : "external_ip",
                      snat ? logical_ip : external_ip);
            return true;
        }
    }
    return false;
}

/* lr-nat-add ROUTER TYPE EXTERNAL_IP LOGICAL_IP [LOGICAL_PORT EXTERNAL_MAC]
 *            [EXTERNAL_PORT_RANGE] */
static void
cmd_lr_nat_add(struct ctl_context *ctx)
{
    const struct nbrec_logical_router *lr = nbctl_lr_lookup(ctx,
                                                            ctx->argv[1],
                                                            true);
    const char *type = ctx->argv[2];
    bool stateless = ctl_has_option(ctx, "--stateless");
    struct in6_addr external;
    char *external_ip = NULL, *logical_ip = NULL;
    struct nat_extra x;

    if (!lr || !parse_nat_type(ctx, type)
        || !parse_external_ip(ctx, ctx->argv[3], &external)
        || !normalize_logical_ip(ctx, type, ctx->argv[4],
                                 ip_is_v4(&external), &logical_ip)) {
        return;
    }
    if (stateless && strcmp(type, "dnat_and_snat")) {
        ctl_error(ctx, "stateless is not applicable to dnat or snat types");
        goto out;
    }
    if (!parse_nat_extra(ctx, type, &x)) {
        goto out;
    }
    struct ds ds = DS_EMPTY_INITIALIZER;
    ip_format(&external, &ds);
    external_ip = ds_steal_cstr(&ds);
    if (check_duplicate_nat(ctx, lr, type, external_ip, logical_ip, &x)) {
        goto out;
    }

    const struct nbrec_nat *nat = nbrec_nat_insert(ctx->txn);
    nbrec_nat_set_type(ctx->txn, nat, type);
    nbrec_nat_set_external_ip(ctx->txn, nat, external_ip);
    nbrec_nat_set_logical_ip(ctx->txn, nat, logical_ip);
    if (x.logical_port) {
        nbrec_nat_set_logical_port(ctx->txn, nat, x.logical_port);
        nbrec_nat_set_external_mac(ctx->txn, nat, x.external_mac);
    }
    if (x.port_range) {
        nbrec_nat_set_external_port_range(ctx->txn, nat, x.port_range);
    }
    if (x.gateway_port) {
        nbrec_nat_set_gateway_port(ctx->txn, nat, x.gateway_port);
    }
    nbrec_nat_update_options_setkey(ctx->txn, nat, "stateless",
                                    stateless ? "true" : "false");
    nbrec_logical_router_update_nat_addvalue(ctx->txn, lr, nat);
out:
    free(external_ip);
    free(logical_ip);
}

/* lr-nat-del ROUTER [TYPE [IP [GATEWAY_PORT]]] */
static void
cmd_lr_nat_del(struct ctl_context *ctx)
{
    const struct nbrec_logical_router *lr = nbctl_lr_lookup(ctx,
                                                            ctx->argv[1],
                                                            true);
    const char *type = ctx->argc > 2 ? ctx->argv[2] : NULL;
    const char *gw = ctx->argc > 4 ? ctx->argv[4] : NULL;
    char *ip = NULL;

    if (!lr || (type && !parse_nat_type(ctx, type))) {
        return;
    }
    bool snat = type && !strcmp(type, "snat");
    if (ctx->argc == 4 && !ip_is_cidr(ctx->argv[3])) {
        /* Not an address: ovn-nbctl takes it for the gateway port. */
        gw = ctx->argv[3];
        if (!nbctl_lrp_lookup(ctx, gw, true)) {
            return;
        }
    } else if (ctx->argc > 3) {
        struct in6_addr addr;
        unsigned int plen;
        char *error = ip_parse_cidr(ctx->argv[3], &addr, &plen);
        bool v4 = !error && ip_is_v4(&addr);
        free(error);
        if (snat ? !normalize_logical_ip(ctx, type, ctx->argv[3], v4, &ip)
                 : !parse_external_ip(ctx, ctx->argv[3], &addr)) {
            return;
        }
        if (!snat) {
            struct ds ds = DS_EMPTY_INITIALIZER;
            ip_format(&addr, &ds);
            ip = ds_steal_cstr(&ds);
        }
    }

    size_t n = lr->n_nat, n_deleted = 0;
    const struct nbrec_nat **nats = nbctl_copy_array(lr->nat, n,
                                                     sizeof *nats);
    for (size_t i = 0; i < n; i++) {
        const struct nbrec_nat *nat = nats[i];
        if ((!type || !strcmp(nat->type, type))
            && (!ip || !strcmp(snat ? nat->logical_ip : nat->external_ip, ip))
            && (!gw || (nat->gateway_port
                        && !strcmp(nat->gateway_port->name, gw)))) {
            nbrec_logical_router_update_nat_delvalue(ctx->txn, lr, nat);
            nbrec_nat_delete(ctx->txn, nat);
            n_deleted++;
        }
    }
    free(nats);
    if (!n_deleted && gw && !ctl_has_option(ctx, "--if-exists")) {
        ctl_error(ctx, "no matching NAT with the type (%s), %s (%s) and "
                  "gateway_port (%s)", type, snat ? "logical_ip"
                                                  : "external_ip", ip, gw);
    }
    free(ip);
}

static int
compare_nats(const void *a_, const void *b_)
{
    const struct nbrec_nat *const *a = a_;
    const struct nbrec_nat *const *b = b_;
    const char *gw_a = (*a)->gateway_port ? (*a)->gateway_port->name : "";
    const char *gw_b = (*b)->gateway_port ? (*b)->gateway_port->name : "";
    int cmp = strcmp((*a)->type, (*b)->type);

    /* By type, gateway port, then the addresses as strings. */
    if (!cmp) {
        cmp = strcmp(gw_a, gw_b);
    }
    if (!cmp) {
        cmp = strcmp((*a)->external_ip, (*b)->external_ip);
    }
    return cmp ? cmp : strcmp((*a)->logical_ip, (*b)->logical_ip);
}

/* Appends a listing line, its columns padded, without trailing blanks. */
static void
put_nat_line(struct ds *out, const char *const cells[7])
{
    static const int widths[7] = { 17, 22, 19, 17, 20, 21, 0 };
    size_t start = out->length;

    for (int i = 0; i < 7; i++) {
        ds_put_format(out, "%-*s", widths[i], cells[i]);
    }
    while (out->length > start && out->string[out->length - 1] == ' ') {
        out->length--;
    }
    ds_put_char(out, '\n');
}

/* lr-nat-list ROUTER */
static void
cmd_lr_nat_list(struct ctl_context *ctx)
{
    static const char *const headings[7] = {
        "TYPE", "GATEWAY_PORT", "EXTERNAL_IP", "EXTERNAL_PORT", "LOGICAL_IP",
        "EXTERNAL_MAC", "LOGICAL_PORT",
    };
    const struct nbrec_logical_router *lr = nbctl_lr_lookup(ctx,
                                                            ctx->argv[1],
                                                            true);
    if (!lr || !lr->n_nat) {
        return;
    }
    const struct nbrec_nat **nats = nbctl_copy_array(lr->nat, lr->n_nat,
                                                     sizeof *nats);
    qsort(nats, lr->n_nat, sizeof *nats, compare_nats);
    put_nat_line(ctx->output, headings);
    for (size_t i = 0; i < lr->n_nat; i++) {
        const struct nbrec_nat *nat = nats[i];
        const char *cells[7] = {
            nat->type,
            nat->gateway_port ? nat->gateway_port->name : "",
            nat->external_ip,
            nat->external_port_range,
            nat->logical_ip,
            nat->external_mac ? nat->external_mac : "",
            nat->logical_port ? nat->logical_port : "",
        };
        put_nat_line(ctx->output, cells);
    }
    free(nats);
}

const struct ctl_command_syntax nbctl_nat_commands[] = {
    { "lr-nat-add", 4, 7,
      "ROUTER TYPE EXTERNAL_IP LOGICAL_IP [LOGICAL_PORT EXTERNAL_MAC] "
      "[EXTERNAL_PORT_RANGE]", pre_nat, cmd_lr_nat_add, NULL,
      "--may-exist,--stateless,--portrange,--gateway-port=", CTL_RW },
    { "lr-nat-del", 1, 4, "ROUTER [TYPE [IP [GATEWAY_PORT]]]", pre_nat,
      cmd_lr_nat_del, NULL, "--if-exists", CTL_RW },
    { "lr-nat-list", 1, 1, "ROUTER", pre_nat, cmd_lr_nat_list, NULL, "",
      CTL_RO },
};

const size_t nbctl_n_nat_commands = ARRAY_SIZE(nbctl_nat_commands);
