/* actions-opts: actions whose arguments are "NAME = VALUE" options from a
 * table (put_dhcp_opts, put_dhcpv6_opts, put_nd_ra_opts, trigger_event),
 * and the constant sets their values are.  See actions.h. */
#include <string.h>

#include "ds.h"
#include "expr/actions-private.h"
#include "util.h"
#include "uuid.h"

/* The tables.  DHCPv4 and DHCPv6: what OVN 23.03's ovn-northd writes into
 * the southbound DHCP_Options and DHCPv6_Options tables. */
const struct actions_option actions_dhcpv4_options[] = {
    { "offerip", 0, ACTIONS_OPT_IPV4 },
    { "netmask", 1, ACTIONS_OPT_IPV4 },
    { "router", 3, ACTIONS_OPT_IPV4 },
    { "dns_server", 6, ACTIONS_OPT_IPV4 },
    { "log_server", 7, ACTIONS_OPT_IPV4 },
    { "lpr_server", 9, ACTIONS_OPT_IPV4 },
    { "hostname", 12, ACTIONS_OPT_STR },
    { "domain_name", 15, ACTIONS_OPT_STR },
    { "swap_server", 16, ACTIONS_OPT_IPV4 },
    { "ip_forward_enable", 19, ACTIONS_OPT_BOOL },
    { "policy_filter", 21, ACTIONS_OPT_IPV4 },
    { "default_ttl", 23, ACTIONS_OPT_UINT8 },
    { "mtu", 26, ACTIONS_OPT_UINT16 },
    { "broadcast_address", 28, ACTIONS_OPT_IPV4 },
    { "router_discovery", 31, ACTIONS_OPT_BOOL },
    { "router_solicitation", 32, ACTIONS_OPT_IPV4 },
    { "arp_cache_timeout", 35, ACTIONS_OPT_UINT32 },
    { "ethernet_encap", 36, ACTIONS_OPT_BOOL },
    { "tcp_ttl", 37, ACTIONS_OPT_UINT8 },
    { "tcp_keepalive_interval", 38, ACTIONS_OPT_UINT32 },
    { "nis_server", 41, ACTIONS_OPT_IPV4 },
    { "ntp_server", 42, ACTIONS_OPT_IPV4 },
    { "netbios_name_server", 44, ACTIONS_OPT_IPV4 },
    { "netbios_node_type", 46, ACTIONS_OPT_UINT8 },
    { "lease_time", 51, ACTIONS_OPT_UINT32 },
    { "server_id", 54, ACTIONS_OPT_IPV4 },
    { "T1", 58, ACTIONS_OPT_UINT32 },
    { "T2", 59, ACTIONS_OPT_UINT32 },
    { "tftp_server", 66, ACTIONS_OPT_HOST_ID },
    { "bootfile_name", 67, ACTIONS_OPT_STR },
    { "domain_search_list", 119, ACTIONS_OPT_DOMAINS },
    { "classless_static_route", 121, ACTIONS_OPT_STATIC_ROUTES },
    { "tftp_server_address", 150, ACTIONS_OPT_IPV4 },
    { "path_prefix", 210, ACTIONS_OPT_STR },
    { "ms_classless_static_route", 249, ACTIONS_OPT_STATIC_ROUTES },
    { "wpad", 252, ACTIONS_OPT_STR },
    { "next_server", 253, ACTIONS_OPT_IPV4 },
    { "bootfile_name_alt", 254, ACTIONS_OPT_STR },
    { NULL, 0, 0 },
};

const struct actions_option actions_dhcpv6_options[] = {
    { "server_id", 2, ACTIONS_OPT_MAC },
    { "ia_addr", 5, ACTIONS_OPT_IPV6 },
    { "dns_server", 23, ACTIONS_OPT_IPV6 },
    { "domain_search", 24, ACTIONS_OPT_STR },
    { NULL, 0, 0 },
};

/* IPv6 router advertisement options (RFC 4861, 4191, 8106 codes); the
 * address mode and router preference are flags of the RA header. */
const struct actions_option actions_nd_ra_options[] = {
    { "addr_mode", 256, ACTIONS_OPT_STR },
    { "slla", 1, ACTIONS_OPT_MAC },
    { "prefix", 3, ACTIONS_OPT_IPV6 },
    { "mtu", 5, ACTIONS_OPT_UINT32 },
    { "rdnss", 25, ACTIONS_OPT_IPV6 },
    { "dnssl", 31, ACTIONS_OPT_STR },
    { "route_info", 24, ACTIONS_OPT_STR },
    { "router_preference", 257, ACTIONS_OPT_STR },
    { NULL, 0, 0 },
};

/* Options of trigger_event(event = "empty_lb_backends", ...), the only
 * event OVN 23.03 defines. */
const struct actions_option actions_event_elb_options[] = {
    { "vip", 0, ACTIONS_OPT_STR },
    { "protocol", 1, ACTIONS_OPT_STR },
    { "load_balancer", 2, ACTIONS_OPT_STR },
    { NULL, 0, 0 },
};

/* Constant sets. */

void
actions_constant_set_destroy(struct action_constant_set *cs)
{
    for (size_t i = 0; i < cs->n_values; i++) {
        lex_token_destroy(&cs->values[i]);
    }
    free(cs->values);
    cs->values = NULL;
    cs->n_values = 0;
}

bool
actions_constant_equal(const struct lex_token *a, const struct lex_token *b)
{
    if (a->type != b->type) {
        return false;
    }
    if (a->type == LEX_T_STRING) {
        return !strcmp(a->s, b->s);
    }
    return (u128_equals(a->value, b->value) && u128_equals(a->mask, b->mask)
            && a->format == b->format && a->n_bits == b->n_bits
            && (a->type != LEX_T_MASKED_INTEGER
                || a->mask_format == b->mask_format));
}

bool
actions_constant_set_equal(const struct action_constant_set *a,
                           const struct action_constant_set *b)
{
    if (a->n_values != b->n_values || a->in_curlies != b->in_curlies) {
        return false;
    }
    for (size_t i = 0; i < a->n_values; i++) {
        if (!actions_constant_equal(&a->values[i], &b->values[i])) {
            return false;
        }
    }
    return true;
}

void
actions_constant_set_format(const struct action_constant_set *cs,
                            struct ds *s)
{
    ds_put_cstr(s, cs->in_curlies ? "{" : "");
    for (size_t i = 0; i < cs->n_values; i++) {
        ds_put_cstr(s, i ? ", " : "");
        lex_token_format(&cs->values[i], s);
    }
    ds_put_cstr(s, cs->in_curlies ? "}" : "");
}

/* Appends the current token to 'cs' if it is a constant of the same kind
 * (integer or string) as those already there. */
static bool
actions_parse_constant(struct actions_ctx *ctx, struct action_constant_set *cs,
                       size_t *allocated)
{
    struct lexer *lexer = ctx->lexer;
    const struct lex_token *t = &lexer->token;
    bool is_string = t->type == LEX_T_STRING;

    if (t->type == LEX_T_MACRO) {
        lexer_syntax_error(lexer, "expecting address set name");
        return false;
    } else if (t->type == LEX_T_PORT_GROUP) {
        lexer_syntax_error(lexer, "expecting port group name");
        return false;
    } else if (!is_string && t->type != LEX_T_INTEGER
               && t->type != LEX_T_MASKED_INTEGER) {
        lexer_syntax_error(lexer, "expecting constant");
        return false;
    } else if (cs->n_values
               && is_string != (cs->values[0].type == LEX_T_STRING)) {
        lexer_syntax_error(lexer, "expecting %s",
                           is_string ? "integer" : "string");
        return false;
    }

    if (cs->n_values >= *allocated) {
        cs->values = x2nrealloc(cs->values, allocated, sizeof *cs->values);
    }
    struct lex_token *v = &cs->values[cs->n_values++];
    lex_token_clone(v, t);
    v->start = v->end = 0;
    lexer_get(lexer);
    return true;
}

/* Parses a constant or "{C, C, ...}" (commas optional) into 'cs'. */
bool
actions_parse_constant_set(struct actions_ctx *ctx,
                           struct action_constant_set *cs)
{
    struct lexer *lexer = ctx->lexer;
    size_t allocated = 0;

    if (!lexer_match(lexer, LEX_T_LCURLY)) {
        return actions_parse_constant(ctx, cs, &allocated);
    }
    cs->in_curlies = true;
    do {
        if (!actions_parse_constant(ctx, cs, &allocated)) {
            return false;
        }
        lexer_match(lexer, LEX_T_COMMA);
    } while (!lexer_match(lexer, LEX_T_RCURLY));
    return true;
}

/* Option lists. */

static bool
actions_opt_wants_string(enum actions_opt_type type)
{
    return type == ACTIONS_OPT_STR || type == ACTIONS_OPT_DOMAINS;
}

/* Parses "NAME = VALUE" options from 'table' up to the closing ')' into
 * 'a->opts'.  'what' names the table in messages ("DHCPv4"). */
static bool
actions_parse_opt_list(struct actions_ctx *ctx, struct action *a,
                       const struct actions_option *table, const char *what)
{
    struct lexer *lexer = ctx->lexer;
    size_t allocated = 0;

    while (!lexer_match(lexer, LEX_T_RPAREN)) {
        if (lexer->token.type != LEX_T_ID) {
            lexer_syntax_error(lexer, NULL);
            return false;
        }
        const struct actions_option *o = table;
        while (o->name && strcmp(o->name, lexer->token.s)) {
            o++;
        }
        if (!o->name) {
            lexer_syntax_error(lexer, "expecting %s option name", what);
            return false;
        }
        lexer_get(lexer);
        if (!lexer_force_match(lexer, LEX_T_EQUALS)) {
            return false;
        }

        if (a->opts.n_opts >= allocated) {
            a->opts.opts = x2nrealloc(a->opts.opts, &allocated,
                                      sizeof *a->opts.opts);
        }
        struct action_opt *opt = &a->opts.opts[a->opts.n_opts++];
        memset(opt, 0, sizeof *opt);
        opt->option = o;
        if (!actions_parse_constant_set(ctx, &opt->value)) {
            return false;
        }

        bool is_string = opt->value.values[0].type == LEX_T_STRING;
        if (o->type != ACTIONS_OPT_HOST_ID
            && is_string != actions_opt_wants_string(o->type)) {
            actions_error(lexer, "%s option %s requires %s value.", what,
                        o->name, is_string ? "numeric" : "string");
            return false;
        }
        lexer_match(lexer, LEX_T_COMMA);
    }
    return true;
}

/* Returns the option named 'name' of 'a', or NULL. */
static const struct action_opt *
actions_find_opt(const struct action *a, const char *name)
{
    const struct action_opt *found = NULL;
    for (size_t i = 0; i < a->opts.n_opts; i++) {
        if (!strcmp(a->opts.opts[i].option->name, name)) {
            found = &a->opts.opts[i];
        }
    }
    return found;
}

/* Is 'opt''s value a single constant of 'type' in 'format'? */
static bool
actions_opt_is(const struct action_opt *opt, enum lex_type type,
               enum lex_format format)
{
    const struct lex_token *v = &opt->value.values[0];
    return (opt->value.n_values == 1 && v->type == type
            && (type == LEX_T_STRING || v->format == format));
}

static bool
actions_opt_invalid(struct actions_ctx *ctx, const struct action_opt *opt)
{
    actions_error(ctx->lexer, "Invalid value for \"%s\" option",
                opt->option->name);
    return false;
}

/* Is the value of 'opt', one of put_nd_ra_opts's optional options,
 * valid? */
static bool
actions_check_nd_ra_opt(const struct action_opt *opt)
{
    const char *name = opt->option->name;
    const char *s = opt->value.values[0].s;

    if (!strcmp(name, "mtu")) {
        return (actions_opt_is(opt, LEX_T_INTEGER, LEX_F_DECIMAL)
                || actions_opt_is(opt, LEX_T_MASKED_INTEGER, LEX_F_DECIMAL));
    } else if (!strcmp(name, "rdnss")) {
        return (actions_opt_is(opt, LEX_T_INTEGER, LEX_F_IPV6)
                || actions_opt_is(opt, LEX_T_MASKED_INTEGER, LEX_F_IPV6));
    } else if (!strcmp(name, "router_preference")) {
        return (actions_opt_is(opt, LEX_T_STRING, 0)
                && (!strcmp(s, "HIGH") || !strcmp(s, "MEDIUM")
                    || !strcmp(s, "LOW")));
    } else {
        /* dnssl, route_info. */
        return actions_opt_is(opt, LEX_T_STRING, 0);
    }
}

/* The checks of put_nd_ra_opts: a valid address mode, a link-layer
 * address, and prefixes unless the mode is dhcpv6_stateful; the other
 * options must have a single value of their type. */
static bool
actions_check_nd_ra_opts(struct actions_ctx *ctx, const struct action *a)
{
    bool stateful = false, have_slla = false, have_prefix = false;

    for (size_t i = 0; i < a->opts.n_opts; i++) {
        const struct action_opt *opt = &a->opts.opts[i];
        const char *name = opt->option->name;
        if (!strcmp(name, "addr_mode")) {
            const char *mode = opt->value.values[0].s;
            if (!actions_opt_is(opt, LEX_T_STRING, 0)
                || (strcmp(mode, "slaac") && strcmp(mode, "dhcpv6_stateful")
                    && strcmp(mode, "dhcpv6_stateless"))) {
                return actions_opt_invalid(ctx, opt);
            }
            stateful = !strcmp(mode, "dhcpv6_stateful");
        } else if (!strcmp(name, "slla")) {
            if (!actions_opt_is(opt, LEX_T_INTEGER, LEX_F_ETHERNET)
                && !actions_opt_is(opt, LEX_T_MASKED_INTEGER,
                                   LEX_F_ETHERNET)) {
                return actions_opt_invalid(ctx, opt);
            }
            have_slla = true;
        } else if (!strcmp(name, "prefix")) {
            if (!actions_opt_is(opt, LEX_T_MASKED_INTEGER, LEX_F_IPV6)) {
                return actions_opt_invalid(ctx, opt);
            }
            have_prefix = true;
        } else if (!actions_check_nd_ra_opt(opt)) {
            return actions_opt_invalid(ctx, opt);
        }
    }
    if (!have_slla) {
        actions_error(ctx->lexer, "slla option not present");
        return false;
    }
    if (!stateful && !have_prefix) {
        actions_error(ctx->lexer, "prefix option needs to be set when address "
                    "mode is slaac/dhcpv6_stateless.");
        return false;
    }
    return true;
}

/* "R = put_dhcp_opts(...)", "R = put_dhcpv6_opts(...)" and
 * "R = put_nd_ra_opts(...)", after the '('. */
bool
actions_parse_opts(struct actions_ctx *ctx, enum action_type type,
                   const struct action_field *dst)
{
    struct lexer *lexer = ctx->lexer;

    if (!actions_check_field(ctx, dst, 1, true)) {
        return false;
    }
    actions_field_prereqs(ctx, dst);

    struct action *a = actions_add(ctx, type);
    a->opts.dst = *dst;
    if (type == ACTION_PUT_DHCPV4_OPTS) {
        if (!actions_parse_opt_list(ctx, a, actions_dhcpv4_options,
                                    "DHCPv4")) {
            return false;
        }
        if (!actions_find_opt(a, "offerip")) {
            actions_error(lexer, "put_dhcp_opts requires offerip to be "
                        "specified.");
            return false;
        }
    } else if (type == ACTION_PUT_DHCPV6_OPTS) {
        return actions_parse_opt_list(ctx, a, actions_dhcpv6_options,
                                      "DHCPv6");
    } else {
        actions_add_prereq(ctx, "ip6");
        return (actions_parse_opt_list(ctx, a, actions_nd_ra_options,
                                       "IPv6 ND RA")
                && actions_check_nd_ra_opts(ctx, a));
    }
    return true;
}

/* The checks of trigger_event(event = "empty_lb_backends", ...). */
static bool
actions_check_event_elb(struct actions_ctx *ctx, const struct action *a)
{
    struct lexer *lexer = ctx->lexer;

    for (size_t i = 0; i < a->opts.n_opts; i++) {
        const struct action_opt *opt = &a->opts.opts[i];
        const char *name = opt->option->name;
        if (!actions_opt_is(opt, LEX_T_STRING, 0)) {
            return actions_opt_invalid(ctx, opt);
        }

        const char *value = opt->value.values[0].s;
        struct action_ip_port ip;
        struct uuid uuid;
        if (!strcmp(name, "vip")
            && !actions_parse_ip_port(value, &ip)) {
            actions_error(lexer, "Invalid load balancer VIP '%s'", value);
            return false;
        } else if (!strcmp(name, "protocol") && strcmp(value, "tcp")
                   && strcmp(value, "udp") && strcmp(value, "sctp")) {
            actions_error(lexer, "Load balancer protocol '%s' is not 'tcp', "
                        "'udp', or 'sctp'", value);
            return false;
        } else if (!strcmp(name, "load_balancer")
                   && !uuid_from_string(&uuid, value)) {
            actions_error(lexer, "Load balancer '%s' is not a UUID", value);
            return false;
        }
    }
    return true;
}

/* "trigger_event(event = \"empty_lb_backends\", OPTION = VALUE, ...)". */
bool
actions_parse_trigger_event(struct actions_ctx *ctx)
{
    struct lexer *lexer = ctx->lexer;

    if (!lexer_force_match(lexer, LEX_T_LPAREN)) {
        return false;
    }
    if (!lexer_match_id(lexer, "event")) {
        lexer_syntax_error(lexer, "Expecting 'event' option");
        return false;
    }
    if (!lexer_force_match(lexer, LEX_T_EQUALS)) {
        return false;
    }
    if (lexer->token.type != LEX_T_STRING) {
        lexer_syntax_error(lexer, "Expecting string");
        return false;
    }
    if (strcmp(lexer->token.s, "empty_lb_backends")) {
        lexer_syntax_error(lexer, "Unknown event '%d'", -1);
        return false;
    }
    lexer_get(lexer);
    lexer_match(lexer, LEX_T_COMMA);

    struct action *a = actions_add(ctx, ACTION_TRIGGER_EVENT);
    return (actions_parse_opt_list(ctx, a, actions_event_elb_options,
                                   "empty_lb_backends")
            && actions_check_event_elb(ctx, a));
}

void
actions_opts_destroy(struct action *a)
{
    for (size_t i = 0; i < a->opts.n_opts; i++) {
        actions_constant_set_destroy(&a->opts.opts[i].value);
    }
    free(a->opts.opts);
}

bool
actions_opts_equal(const struct action *a, const struct action *b)
{
    bool dst_a = a->opts.dst.symbol != NULL;
    if (dst_a != (b->opts.dst.symbol != NULL)
        || (dst_a && !action_field_equal(&a->opts.dst, &b->opts.dst))
        || a->opts.n_opts != b->opts.n_opts) {
        return false;
    }
    for (size_t i = 0; i < a->opts.n_opts; i++) {
        if (a->opts.opts[i].option != b->opts.opts[i].option
            || !actions_constant_set_equal(&a->opts.opts[i].value,
                                           &b->opts.opts[i].value)) {
            return false;
        }
    }
    return true;
}
