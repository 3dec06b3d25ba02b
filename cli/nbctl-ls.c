/* weft-nbctl: logical switches and their ports (ls-*, lsp-*), as
 * ovn-nbctl 23.03 has them. */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ds.h"
#include "packets.h"
#include "util.h"
#include "ovsdb/client-txn.h"
#include "cli/nbctl-private.h"

static void
pre_ls(struct ctl_context *ctx)
{
    nbctl_need_tables(ctx, "Logical_Switch,Logical_Switch_Port,"
                           "Logical_Router_Port");
}

/* Commands that read few columns monitor just those (on a big database,
 * loading every column of every port dominates a run). */

/* ls-add, ls-del, ls-list: switch names. */
static void
pre_ls_names(struct ctl_context *ctx)
{
    ctl_need_columns(ctx, "Logical_Switch", "name");
}

/* lsp-add: the switch and the port names, which switch has which port,
 * and what --may-exist compares. */
static void
pre_lsp_add(struct ctl_context *ctx)
{
    ctl_need_columns(ctx, "Logical_Switch", "name,ports");
    ctl_need_columns(ctx, "Logical_Switch_Port",
                     "name,parent_name,tag_request");
}

/* lsp-del, lsp-list, lsp-get-ls: which switch has which port. */
static void
pre_lsp_ls(struct ctl_context *ctx)
{
    ctl_need_columns(ctx, "Logical_Switch", "name,ports");
    ctl_need_columns(ctx, "Logical_Switch_Port", "name");
}

/* The lsp-get-* and lsp-set-* commands that read or write one column of
 * the port they name, and nothing else. */
static void
pre_lsp_column(struct ctl_context *ctx)
{
    static const struct {
        const char *command;
        const char *column;
    } columns[] = {
        { "lsp-get-parent", "parent_name" },
        { "lsp-get-tag", "tag" },
        { "lsp-get-addresses", "addresses" },
        { "lsp-set-port-security", "port_security" },
        { "lsp-get-port-security", "port_security" },
        { "lsp-get-up", "up" },
        { "lsp-set-enabled", "enabled" },
        { "lsp-get-enabled", "enabled" },
        { "lsp-set-type", "type" },
        { "lsp-get-type", "type" },
        { "lsp-set-options", "options" },
        { "lsp-get-options", "options" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(columns); i++) {
        if (!strcmp(ctx->argv[0], columns[i].command)) {
            ctl_need_columns(ctx, "Logical_Switch_Port", "name");
            ctl_need_column(ctx, "Logical_Switch_Port", columns[i].column);
            if (!strcmp(ctx->argv[0], "lsp-get-addresses")) {
                /* "router" expands to the router port's addresses. */
                ctl_need_column(ctx, "Logical_Switch_Port", "options");
                ctl_need_columns(ctx, "Logical_Router_Port",
                                 "name,mac,networks");
            }
            return;
        }
    }
    pre_ls(ctx);
}

static void
pre_lsp_dhcp(struct ctl_context *ctx)
{
    nbctl_need_tables(ctx, "Logical_Switch,Logical_Switch_Port,"
                           "DHCP_Options");
}

/* ls-add [SWITCH] */
static void
cmd_ls_add(struct ctl_context *ctx)
{
    nbctl_add_named_row(ctx, "Logical_Switch", "switch");
}

/* ls-del SWITCH */
static void
cmd_ls_del(struct ctl_context *ctx)
{
    const struct nbrec_logical_switch *ls = nbctl_ls_lookup(
        ctx, ctx->argv[1], !ctl_has_option(ctx, "--if-exists"));
    if (ls) {
        nbrec_logical_switch_delete(ctx->txn, ls);
    }
}

/* ls-list */
static void
cmd_ls_list(struct ctl_context *ctx)
{
    nbctl_list_named_rows(ctx, "Logical_Switch");
}

/* Checks "lsp-add --may-exist" against the port that exists already. */
static void
check_existing_lsp(struct ctl_context *ctx,
                   const struct nbrec_logical_switch *ls,
                   const struct nbrec_logical_switch_port *lsp,
                   const char *parent, int64_t tag)
{
    const char *name = ctx->argv[2];
    const struct nbrec_logical_switch *lsw = nbctl_lsp_to_ls(ctx, lsp);

    if (!lsw) {
        return;
    }
    if (lsw != ls) {
        ctl_error(ctx, "%s: port already exists but in switch %s", name,
                  lsw->name);
    } else if (parent) {
        if (!lsp->parent_name) {
            ctl_error(ctx, "%s: port already exists but has no parent",
                      name);
        } else if (strcmp(parent, lsp->parent_name)) {
            ctl_error(ctx, "%s: port already exists with different parent "
                      "%s", name, lsp->parent_name);
        } else if (!lsp->n_tag_request) {
            ctl_error(ctx, "%s: port already exists but has no "
                      "tag_request", name);
        } else if (lsp->tag_request[0] != tag) {
            ctl_error(ctx, "%s: port already exists with different "
                      "tag_request %"PRId64, name, lsp->tag_request[0]);
        }
    } else if (lsp->parent_name) {
        ctl_error(ctx, "%s: port already exists but has parent %s", name,
                  lsp->parent_name);
    }
}

/* lsp-add SWITCH PORT [PARENT TAG] */
static void
cmd_lsp_add(struct ctl_context *ctx)
{
    bool may_exist = ctl_has_option(ctx, "--may-exist");
    const struct nbrec_logical_switch *ls = nbctl_ls_lookup(ctx,
                                                            ctx->argv[1],
                                                            true);
    const char *parent = NULL;
    long long tag = -1;

    if (!ls) {
        return;
    }
    if (ctx->argc == 5) {
        parent = ctx->argv[3];
        if (!str_to_llong(ctx->argv[4], 10, &tag) || tag < 0 || tag > 4095) {
            ctl_error(ctx, "%s: invalid tag (must be in range 0 to 4095)",
                      ctx->argv[4]);
            return;
        }
    } else if (ctx->argc != 3) {
        ctl_error(ctx, "lsp-add with parent must also specify a tag");
        return;
    }

    const char *name = ctx->argv[2];
    const struct nbrec_logical_switch_port *lsp = nbctl_lsp_lookup(
        ctx, name, false);
    if (lsp) {
        if (!may_exist) {
            ctl_error(ctx, "%s: a port with this name already exists",
                      name);
        } else {
            check_existing_lsp(ctx, ls, lsp, parent, tag);
        }
        return;
    }

    lsp = nbrec_logical_switch_port_insert(ctx->txn);
    nbrec_logical_switch_port_set_name(ctx->txn, lsp, name);
    if (parent) {
        int64_t tag64 = tag;
        nbrec_logical_switch_port_set_parent_name(ctx->txn, lsp, parent);
        nbrec_logical_switch_port_set_tag_request(ctx->txn, lsp, &tag64, 1);
    }
    nbrec_logical_switch_update_ports_addvalue(ctx->txn, ls, lsp);
}

/* lsp-del PORT */
static void
cmd_lsp_del(struct ctl_context *ctx)
{
    const struct nbrec_logical_switch_port *lsp = nbctl_lsp_lookup(
        ctx, ctx->argv[1], !ctl_has_option(ctx, "--if-exists"));
    if (!lsp) {
        return;
    }
    const struct nbrec_logical_switch *ls = nbctl_lsp_to_ls(ctx, lsp);
    if (ls) {
        nbrec_logical_switch_update_ports_delvalue(ctx->txn, ls, lsp);
        nbrec_logical_switch_port_delete(ctx->txn, lsp);
    }
}

/* lsp-list SWITCH */
static void
cmd_lsp_list(struct ctl_context *ctx)
{
    const struct nbrec_logical_switch *ls = nbctl_ls_lookup(ctx,
                                                            ctx->argv[1],
                                                            true);
    if (!ls) {
        return;
    }
    struct nbctl_named_row *rows = xcalloc(ls->n_ports + 1, sizeof *rows);
    for (size_t i = 0; i < ls->n_ports; i++) {
        rows[i].uuid = &ls->ports[i]->header_.uuid;
        rows[i].name = ls->ports[i]->name;
    }
    nbctl_print_named_rows(rows, ls->n_ports, ctx->output);
    free(rows);
}

/* Looks up argv[1] as a port for the lsp-get-* and lsp-set-* commands. */
static const struct nbrec_logical_switch_port *
get_lsp(struct ctl_context *ctx)
{
    return nbctl_lsp_lookup(ctx, ctx->argv[1], true);
}

static void
cmd_lsp_get_ls(struct ctl_context *ctx)
{
    const struct nbrec_logical_switch_port *lsp = get_lsp(ctx);
    const struct nbrec_logical_switch *ls = lsp ? nbctl_lsp_to_ls(ctx, lsp)
                                                : NULL;
    if (ls) {
        ds_put_format(ctx->output, UUID_FMT " (%s)\n",
                      UUID_ARGS(&ls->header_.uuid), ls->name);
    }
}

static void
cmd_lsp_get_parent(struct ctl_context *ctx)
{
    const struct nbrec_logical_switch_port *lsp = get_lsp(ctx);
    if (lsp && lsp->parent_name) {
        ds_put_format(ctx->output, "%s\n", lsp->parent_name);
    }
}

static void
cmd_lsp_get_tag(struct ctl_context *ctx)
{
    const struct nbrec_logical_switch_port *lsp = get_lsp(ctx);
    if (lsp && lsp->n_tag) {
        ds_put_format(ctx->output, "%"PRId64"\n", lsp->tag[0]);
    }
}

/* Is 'address' one of the forms a port's "addresses" accepts?  As in
 * ovn-nbctl: "unknown", "router", anything starting with "dynamic", or
 * anything that starts with six colon-separated hex fields (what follows
 * is not checked here). */
static bool
is_valid_lsp_address(const char *address)
{
    unsigned char ea[6];

    return (!strcmp(address, "unknown") || !strcmp(address, "router")
            || str_startswith(address, "dynamic")
            || sscanf(address, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &ea[0],
                      &ea[1], &ea[2], &ea[3], &ea[4], &ea[5]) == 6);
}

/* Calls 'cb' for each IP address (without any "/PLEN") among the words
 * after the Ethernet address of the "MAC IP..." element 'address'.  Stops
 * and returns true when 'cb' does. */
static bool
for_each_ip(const char *address,
            bool (*cb)(const struct in6_addr *, const char *, void *),
            void *aux)
{
    if (str_startswith(address, "dynamic") || !strcmp(address, "unknown")
        || !strcmp(address, "router")) {
        return false;
    }

    char *copy = xstrdup(address), *save = NULL;
    bool stop = false;
    strtok_r(copy, " ", &save);
    for (char *w = strtok_r(NULL, " ", &save); w && !stop;
         w = strtok_r(NULL, " ", &save)) {
        struct in6_addr ip;
        unsigned int plen;
        char *error = ip_parse_cidr(w, &ip, &plen);
        if (!error) {
            stop = cb(&ip, w, aux);
        }
        free(error);
    }
    free(copy);
    return stop;
}

struct dup_search {
    const struct in6_addr *ip;  /* Looking for this address. */
};

static bool
ip_matches(const struct in6_addr *ip, const char *text OVS_UNUSED,
           void *search_)
{
    const struct dup_search *search = search_;
    return !memcmp(ip, search->ip, sizeof *ip);
}

struct dup_check {
    struct ctl_context *ctx;
    const struct nbrec_logical_switch *ls;
    const struct nbrec_logical_switch_port *lsp;
};

/* Reports 'ip' if another port of the switch has it. */
static bool
check_duplicate_ip(const struct in6_addr *ip, const char *text OVS_UNUSED,
                   void *check_)
{
    const struct dup_check *check = check_;
    struct dup_search search = { ip };

    for (size_t i = 0; i < check->ls->n_ports; i++) {
        const struct nbrec_logical_switch_port *other = check->ls->ports[i];
        if (other == check->lsp) {
            continue;
        }
        for (size_t j = 0; j < other->n_addresses; j++) {
            if (for_each_ip(other->addresses[j], ip_matches, &search)) {
                struct ds s = DS_EMPTY_INITIALIZER;
                ip_format(ip, &s);
                ctl_error(check->ctx, "Error on switch %s: duplicate %s "
                          "address '%s' found on logical switch port '%s'",
                          check->ls->name, ip_is_v4(ip) ? "IPv4" : "IPv6",
                          ds_cstr(&s), other->name);
                ds_destroy(&s);
                return true;
            }
        }
    }
    return false;
}

/* lsp-set-addresses PORT [ADDRESS]... */
static void
cmd_lsp_set_addresses(struct ctl_context *ctx)
{
    const struct nbrec_logical_switch_port *lsp = get_lsp(ctx);
    if (!lsp) {
        return;
    }
    const struct nbrec_logical_switch *ls = nbctl_lsp_to_ls(ctx, lsp);
    if (!ls) {
        return;
    }
    for (int i = 2; i < ctx->argc; i++) {
        if (!is_valid_lsp_address(ctx->argv[i])) {
            ctl_error(ctx, "%s: Invalid address format. See ovn-nb(5). "
                      "Hint: An Ethernet address must be listed before an "
                      "IP address, together as a single argument.",
                      ctx->argv[i]);
            return;
        }
        struct dup_check check = { ctx, ls, lsp };
        if (for_each_ip(ctx->argv[i], check_duplicate_ip, &check)) {
            return;
        }
    }
    nbrec_logical_switch_port_set_addresses(
        ctx->txn, lsp, (const char **) ctx->argv + 2, ctx->argc - 2);
}

/* Prints each string of a string set on its own line, sorted. */
static void
print_sorted_strings(struct ds *out, const char *const *strings, size_t n)
{
    const char **sorted = nbctl_copy_array(strings, n, sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, str_compare_ptrs);
    for (size_t i = 0; i < n; i++) {
        ds_put_format(out, "%s\n", sorted[i]);
    }
    free(sorted);
}

static void
cmd_lsp_get_addresses(struct ctl_context *ctx)
{
    const struct nbrec_logical_switch_port *lsp = get_lsp(ctx);
    if (!lsp) {
        return;
    }

    /* A lone "router" stands for the MAC and networks of the router port
     * named (or UUID'd) by options:router-port, if it exists, whatever
     * the port's type. */
    const char *rp = ovsdb_client_smap_get(lsp->options, "router-port");
    const struct nbrec_logical_router_port *lrp = NULL;
    if (lsp->n_addresses == 1 && !strcmp(lsp->addresses[0], "router")
        && rp) {
        lrp = nbctl_lrp_lookup(ctx, rp, false);
    }
    if (lrp) {
        ds_put_cstr(ctx->output, lrp->mac);
        for (size_t i = 0; i < lrp->n_networks; i++) {
            ds_put_format(ctx->output, " %s", lrp->networks[i]);
        }
        ds_put_char(ctx->output, '\n');
    } else if (!ctx->error) {
        print_sorted_strings(ctx->output, lsp->addresses, lsp->n_addresses);
    }
}

/* lsp-set-port-security PORT [ADDRESS]... */
static void
cmd_lsp_set_port_security(struct ctl_context *ctx)
{
    const struct nbrec_logical_switch_port *lsp = get_lsp(ctx);
    if (lsp) {
        nbrec_logical_switch_port_set_port_security(
            ctx->txn, lsp, (const char **) ctx->argv + 2, ctx->argc - 2);
    }
}

static void
cmd_lsp_get_port_security(struct ctl_context *ctx)
{
    const struct nbrec_logical_switch_port *lsp = get_lsp(ctx);
    if (lsp) {
        print_sorted_strings(ctx->output, lsp->port_security,
                             lsp->n_port_security);
    }
}

static void
cmd_lsp_get_up(struct ctl_context *ctx)
{
    const struct nbrec_logical_switch_port *lsp = get_lsp(ctx);
    if (lsp) {
        ds_put_format(ctx->output, "%s\n",
                      lsp->n_up && *lsp->up ? "up" : "down");
    }
}

static void
cmd_lsp_set_enabled(struct ctl_context *ctx)
{
    const struct nbrec_logical_switch_port *lsp = get_lsp(ctx);
    bool enabled;

    if (lsp && nbctl_parse_enabled(ctx, ctx->argv[2], &enabled)) {
        nbrec_logical_switch_port_set_enabled(ctx->txn, lsp, &enabled, 1);
    }
}

static void
cmd_lsp_get_enabled(struct ctl_context *ctx)
{
    const struct nbrec_logical_switch_port *lsp = get_lsp(ctx);
    if (lsp) {
        ds_put_format(ctx->output, "%s\n",
                      !lsp->n_enabled || *lsp->enabled ? "enabled"
                                                       : "disabled");
    }
}

/* The port types ovn-nbctl 23.03 accepts. */
static bool
is_valid_lsp_type(const char *type)
{
    static const char *const types[] = {
        "", "l2gateway", "localnet", "localport", "router", "vtep",
        "external", "virtual", "remote",
    };
    for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
        if (!strcmp(type, types[i])) {
            return true;
        }
    }
    return false;
}

static void
cmd_lsp_set_type(struct ctl_context *ctx)
{
    const struct nbrec_logical_switch_port *lsp = get_lsp(ctx);
    if (!lsp) {
        return;
    }
    if (!is_valid_lsp_type(ctx->argv[2])) {
        ctl_error(ctx, "Logical switch port type '%s' is unrecognized. "
                  "Not setting type.", ctx->argv[2]);
        return;
    }
    nbrec_logical_switch_port_set_type(ctx->txn, lsp, ctx->argv[2]);
}

static void
cmd_lsp_get_type(struct ctl_context *ctx)
{
    const struct nbrec_logical_switch_port *lsp = get_lsp(ctx);
    if (lsp) {
        ds_put_format(ctx->output, "%s\n", lsp->type);
    }
}

static void
cmd_lsp_set_options(struct ctl_context *ctx)
{
    const struct nbrec_logical_switch_port *lsp = get_lsp(ctx);
    char **keys, **values;

    if (lsp) {
        size_t n = nbctl_parse_options(ctx, 2, &keys, &values);
        nbrec_logical_switch_port_set_options(ctx->txn, lsp,
                                              (const char **) keys,
                                              (const char **) values, n);
        nbctl_free_options(keys, values, n);
    }
}

static void
cmd_lsp_get_options(struct ctl_context *ctx)
{
    const struct nbrec_logical_switch_port *lsp = get_lsp(ctx);
    if (lsp) {
        nbctl_print_smap(ctx->output, lsp->options);
    }
}

/* lsp-set-dhcpv4-options PORT [DHCP_OPTIONS_UUID] (and v6). */
static void
set_dhcp_options(struct ctl_context *ctx, bool v6)
{
    const struct nbrec_logical_switch_port *lsp = get_lsp(ctx);
    const struct nbrec_dhcp_options *dhcp = NULL;

    if (!lsp) {
        return;
    }
    if (ctx->argc == 3) {
        struct uuid uuid;
        if (!uuid_from_string(&uuid, ctx->argv[2])
            || !(dhcp = nbrec_dhcp_options_get_for_uuid(ctx->client,
                                                        &uuid))) {
            ctl_error(ctx, "%s: dhcp options UUID not found",
                      ctx->argv[2]);
            return;
        }
        struct in6_addr ip;
        unsigned int plen;
        char *error = ip_parse_cidr(dhcp->cidr, &ip, &plen);
        bool is_v4 = !error && ip_is_v4(&ip);
        free(error);
        if (v6 == is_v4) {
            ctl_error(ctx, "DHCP options cidr '%s' is not IPv%d", dhcp->cidr,
                      v6 ? 6 : 4);
            return;
        }
    }
    if (v6) {
        nbrec_logical_switch_port_set_dhcpv6_options(ctx->txn, lsp, dhcp);
    } else {
        nbrec_logical_switch_port_set_dhcpv4_options(ctx->txn, lsp, dhcp);
    }
}

static void
cmd_lsp_set_dhcpv4_options(struct ctl_context *ctx)
{
    set_dhcp_options(ctx, false);
}

static void
cmd_lsp_set_dhcpv6_options(struct ctl_context *ctx)
{
    set_dhcp_options(ctx, true);
}

static void
print_dhcp_options(struct ctl_context *ctx,
                   const struct nbrec_dhcp_options *dhcp)
{
    if (dhcp) {
        ds_put_format(ctx->output, UUID_FMT " (%s)\n",
                      UUID_ARGS(&dhcp->header_.uuid), dhcp->cidr);
    }
}

static void
cmd_lsp_get_dhcpv4_options(struct ctl_context *ctx)
{
    const struct nbrec_logical_switch_port *lsp = get_lsp(ctx);
    if (lsp) {
        print_dhcp_options(ctx, lsp->dhcpv4_options);
    }
}

static void
cmd_lsp_get_dhcpv6_options(struct ctl_context *ctx)
{
    const struct nbrec_logical_switch_port *lsp = get_lsp(ctx);
    if (lsp) {
        print_dhcp_options(ctx, lsp->dhcpv6_options);
    }
}

const struct ctl_command_syntax nbctl_ls_commands[] = {
    { "ls-add", 0, 1, "[SWITCH]", pre_ls_names, cmd_ls_add, NULL,
      "--may-exist,--add-duplicate", CTL_RW },
    { "ls-del", 1, 1, "SWITCH", pre_ls_names, cmd_ls_del, NULL, "--if-exists",
      CTL_RW },
    { "ls-list", 0, 0, "", pre_ls_names, cmd_ls_list, NULL, "", CTL_RO },
    { "lsp-add", 2, 4, "SWITCH PORT [PARENT] [TAG]", pre_lsp_add, cmd_lsp_add,
      NULL, "--may-exist", CTL_RW },
    { "lsp-del", 1, 1, "PORT", pre_lsp_ls, cmd_lsp_del, NULL, "--if-exists",
      CTL_RW },
    { "lsp-list", 1, 1, "SWITCH", pre_lsp_ls, cmd_lsp_list, NULL, "", CTL_RO },
    { "lsp-get-ls", 1, 1, "PORT", pre_lsp_ls, cmd_lsp_get_ls, NULL, "",
      CTL_RO },
    { "lsp-get-parent", 1, 1, "PORT", pre_lsp_column, cmd_lsp_get_parent, NULL,
      "", CTL_RO },
    { "lsp-get-tag", 1, 1, "PORT", pre_lsp_column, cmd_lsp_get_tag, NULL, "",
      CTL_RO },
    { "lsp-set-addresses", 1, INT_MAX, "PORT [ADDRESS]...", pre_ls,
      cmd_lsp_set_addresses, NULL, "", CTL_RW },
    { "lsp-get-addresses", 1, 1, "PORT", pre_lsp_column, cmd_lsp_get_addresses,
      NULL, "", CTL_RO },
    { "lsp-set-port-security", 0, INT_MAX, "PORT [ADDRS]...", pre_lsp_column,
      cmd_lsp_set_port_security, NULL, "", CTL_RW },
    { "lsp-get-port-security", 1, 1, "PORT", pre_lsp_column,
      cmd_lsp_get_port_security, NULL, "", CTL_RO },
    { "lsp-get-up", 1, 1, "PORT", pre_lsp_column, cmd_lsp_get_up, NULL, "",
      CTL_RO },
    { "lsp-set-enabled", 2, 2, "PORT STATE", pre_lsp_column,
      cmd_lsp_set_enabled, NULL, "", CTL_RW },
    { "lsp-get-enabled", 1, 1, "PORT", pre_lsp_column, cmd_lsp_get_enabled,
      NULL, "", CTL_RO },
    { "lsp-set-type", 2, 2, "PORT TYPE", pre_lsp_column, cmd_lsp_set_type,
      NULL, "", CTL_RW },
    { "lsp-get-type", 1, 1, "PORT", pre_lsp_column, cmd_lsp_get_type, NULL, "",
      CTL_RO },
    { "lsp-set-options", 1, INT_MAX, "PORT KEY=VALUE [KEY=VALUE]...",
      pre_lsp_column, cmd_lsp_set_options, NULL, "", CTL_RW },
    { "lsp-get-options", 1, 1, "PORT", pre_lsp_column, cmd_lsp_get_options,
      NULL, "", CTL_RO },
    { "lsp-set-dhcpv4-options", 1, 2, "PORT [DHCP_OPT_UUID]", pre_lsp_dhcp,
      cmd_lsp_set_dhcpv4_options, NULL, "", CTL_RW },
    { "lsp-get-dhcpv4-options", 1, 1, "PORT", pre_lsp_dhcp,
      cmd_lsp_get_dhcpv4_options, NULL, "", CTL_RO },
    { "lsp-set-dhcpv6-options", 1, 2, "PORT [DHCP_OPT_UUID]", pre_lsp_dhcp,
      cmd_lsp_set_dhcpv6_options, NULL, "", CTL_RW },
    { "lsp-get-dhcpv6-options", 1, 1, "PORT", pre_lsp_dhcp,
      cmd_lsp_get_dhcpv6_options, NULL, "", CTL_RO },
};

const size_t nbctl_n_ls_commands = ARRAY_SIZE(nbctl_ls_commands);
