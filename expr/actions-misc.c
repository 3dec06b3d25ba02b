/* actions-misc: the actions with their own argument syntax (conntrack,
 * neighbours, logging, meters, select, load-balancer affinity...).  See
 * actions.h.
 *
 * Each parser reproduces what OVN 23.03 accepts and reports, including
 * its quirks: several arguments are read as "a decimal integer, or else
 * 0" (set_meter, sample's collector_set), some parsers give up silently
 * and leave the ';' check to report the error, and a few values wrap
 * (check_pkt_larger(65536) is check_pkt_larger(0), as in OVN). */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "ds.h"
#include "expr/actions-private.h"
#include "util.h"

/* Is the current token a plain decimal integer? */
static bool
actions_is_decimal(const struct lexer *lexer)
{
    const struct lex_token *t = &lexer->token;
    return t->type == LEX_T_INTEGER && t->format == LEX_F_DECIMAL;
}

/* Returns the current token's value if it is a plain decimal integer,
 * else 0, and moves past the token either way. */
static uint64_t
actions_get_decimal_or_zero(struct lexer *lexer)
{
    uint64_t value = actions_is_decimal(lexer) ? lexer->token.value.lo : 0;
    lexer_get(lexer);
    return value;
}

/* Is the current token a "small integer" no greater than 'max'? */
static bool
actions_is_uint(const struct lexer *lexer, uint64_t max)
{
    return lexer_is_int(lexer) && lexer->token.value.lo <= max;
}

/* Parses "true" or "false", bare or quoted. */
static bool
actions_parse_bool(struct actions_ctx *ctx, bool *b)
{
    struct lexer *lexer = ctx->lexer;
    const struct lex_token *t = &lexer->token;

    if ((t->type == LEX_T_ID || t->type == LEX_T_STRING)
        && (!strcmp(t->s, "true") || !strcmp(t->s, "false"))) {
        *b = !strcmp(t->s, "true");
        lexer_get(lexer);
        return true;
    }
    lexer_syntax_error(lexer, "expecting true or false");
    return false;
}

/* IP addresses and ports. */

/* Parses 's' as a load balancer's VIP or backend: "IP", "IP:PORT",
 * "[IPv6]" or "[IPv6]:PORT". */
bool
actions_parse_ip_port(const char *s,
                      struct action_ip_port *ip)
{
    char buf[INET6_ADDRSTRLEN + 1];
    const char *port = NULL;
    uint8_t bytes[16];
    size_t len;

    if (s[0] == '[') {
        const char *end = strchr(s, ']');
        if (!end || (end[1] && end[1] != ':')) {
            return false;
        }
        len = end - s - 1;
        s++;
        port = end[1] ? end + 2 : NULL;
        ip->family = 6;
    } else {
        const char *colon = strchr(s, ':');
        if (colon && !strchr(colon + 1, ':')) {
            len = colon - s;
            port = colon + 1;
            ip->family = 4;
        } else {
            len = strlen(s);
            ip->family = colon ? 6 : 4;
        }
    }
    if (len >= sizeof buf) {
        return false;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';

    memset(bytes, 0, sizeof bytes);
    if (ip->family == 4 ? inet_pton(AF_INET, buf, bytes + 12) != 1
        : inet_pton(AF_INET6, buf, bytes) != 1) {
        return false;
    }
    ip->ip = u128_from_be_bytes(bytes);
    ip->port = 0;
    if (port && *port) {
        /* As OVN reads it: strtol() syntax, all of it, 0...65535. */
        char *end;
        errno = 0;
        long p = strtol(port, &end, 10);
        if (errno || *end || end == port || p < 0 || p > 65535) {
            return false;
        }
        ip->port = p;
    }
    return true;
}

void
actions_ip_format(const struct action_ip_port *ip, struct ds *s)
{
    lex_value_format(ip->ip, ip->family == 6 ? LEX_F_IPV6 : LEX_F_IPV4, s);
}

/* Appends 'ip' as "IP:PORT" ("[IPv6]:PORT"), or just the address if it has
 * no port; with 'brackets', an IPv6 address always has them. */
void
actions_ip_port_format(const struct action_ip_port *ip, bool brackets,
                       struct ds *s)
{
    bool bracket = ip->family == 6 && (ip->port || brackets);

    ds_put_cstr(s, bracket ? "[" : "");
    actions_ip_format(ip, s);
    ds_put_cstr(s, bracket ? "]" : "");
    if (ip->port) {
        ds_put_format(s, ":%u", ip->port);
    }
}

/* Takes the current token as an IP address for 'ip', if it is an unmasked
 * IPv4 or IPv6 constant ('want' 0 for either, or 4 or 6). */
static bool
actions_get_ip(struct lexer *lexer, int want, struct action_ip_port *ip)
{
    const struct lex_token *t = &lexer->token;

    if (t->type != LEX_T_INTEGER
        || (t->format != LEX_F_IPV4 && t->format != LEX_F_IPV6)
        || (want && (want == 4) != (t->format == LEX_F_IPV4))) {
        return false;
    }
    ip->family = t->format == LEX_F_IPV4 ? 4 : 6;
    ip->ip = t->value;
    ip->port = 0;
    lexer_get(lexer);
    return true;
}

/* Connection tracking. */

/* "ct_commit(ct_mark=V[/M], ct_label=V[/M])", after "ct_commit".  With
 * nothing set, it is a plain ct_commit. */
bool
actions_parse_ct_commit_v1(struct actions_ctx *ctx)
{
    struct lexer *lexer = ctx->lexer;
    uint32_t mark = 0, mark_mask = 0;
    struct u128 label = u128_zero(), label_mask = u128_zero();

    lexer_force_match(lexer, LEX_T_LPAREN);
    while (!lexer_match(lexer, LEX_T_RPAREN)) {
        bool is_mark = lexer_match_id(lexer, "ct_mark");
        if (!is_mark && !lexer_match_id(lexer, "ct_label")) {
            lexer_syntax_error(lexer, NULL);
            return false;
        }
        if (!lexer_force_match(lexer, LEX_T_EQUALS)) {
            return false;
        }
        const struct lex_token *t = &lexer->token;
        if (t->type != LEX_T_INTEGER && t->type != LEX_T_MASKED_INTEGER) {
            lexer_syntax_error(lexer, "expecting integer");
            return false;
        }
        if (is_mark) {
            mark = t->value.lo;
            mark_mask = t->mask.lo;
        } else {
            label = t->value;
            label_mask = t->mask;
        }
        lexer_get(lexer);
        lexer_match(lexer, LEX_T_COMMA);
    }

    struct action *a;
    if (!mark_mask && u128_is_zero(label_mask)) {
        a = actions_add(ctx, ACTION_CT_COMMIT);
    } else {
        a = actions_add(ctx, ACTION_CT_COMMIT_V1);
        a->ct1.ct_mark = mark & mark_mask;
        a->ct1.ct_mark_mask = mark_mask;
        a->ct1.ct_label = u128_and(label, label_mask);
        a->ct1.ct_label_mask = label_mask;
    }
    actions_add_prereq(ctx, "ip");
    return true;
}

/* The ports of "ct_dnat(IP, PORT[-PORT])", after the comma.  As in OVN,
 * the ports are 16-bit and wrap ("70000" is 4464), the first one must be
 * written in decimal and the second need not. */
static bool
actions_parse_nat_ports(struct actions_ctx *ctx, struct action *a)
{
    struct lexer *lexer = ctx->lexer;

    if (!lexer_is_int(lexer)) {
        lexer_syntax_error(lexer, "expecting Integer for port range");
        return false;
    }
    a->nat.has_ports = true;
    a->nat.port_lo = a->nat.port_hi = lexer->token.value.lo;
    if (!a->nat.port_lo) {
        lexer_syntax_error(lexer, "range can't be 0");
        return false;
    }
    lexer_get(lexer);

    if (lexer_match(lexer, LEX_T_HYPHEN)) {
        if (lexer->token.type != LEX_T_INTEGER) {
            lexer_syntax_error(lexer, "expecting Integer for port range");
            return false;
        }
        a->nat.port_hi = lexer->token.value.lo;
        if (a->nat.port_hi <= a->nat.port_lo) {
            lexer_syntax_error(lexer, "range high should be greater than "
                               "range low");
            return false;
        }
        a->nat.port_range = true;
        lexer_get(lexer);
    }
    return true;
}

/* "ct_dnat", "ct_dnat(IP)", "ct_dnat(IP, PORTS)" and the like. */
bool
actions_parse_ct_nat(struct actions_ctx *ctx, enum action_type type)
{
    struct lexer *lexer = ctx->lexer;
    struct action *a = actions_add(ctx, type);

    actions_add_prereq(ctx, "ip");
    if (!lexer_match(lexer, LEX_T_LPAREN)) {
        return true;
    }
    if (!actions_get_ip(lexer, 0, &a->nat.ip)) {
        lexer_syntax_error(lexer, "expecting IPv4 or IPv6 address");
        return false;
    }
    if (lexer_match(lexer, LEX_T_COMMA)
        && !actions_parse_nat_ports(ctx, a)) {
        return false;
    }
    return lexer_force_match(lexer, LEX_T_RPAREN);
}

/* One backend of ct_lb: "IP", "IPv4:PORT", "[IPv6]" or "[IPv6]:PORT". */
static bool
actions_parse_lb_backend(struct actions_ctx *ctx, struct action_ip_port *ip)
{
    struct lexer *lexer = ctx->lexer;
    bool bracket = lexer_match(lexer, LEX_T_LSQUARE);

    if (!actions_get_ip(lexer, bracket ? 6 : 0, ip)) {
        lexer_syntax_error(lexer, bracket ? "expecting IPv6 address"
                           : "expecting IP address");
        return false;
    }
    if (bracket && !lexer_match(lexer, LEX_T_RSQUARE)) {
        lexer_syntax_error(lexer, "no closing square bracket");
        return false;
    }
    if ((bracket || ip->family == 4) && lexer_match(lexer, LEX_T_COLON)) {
        if (!actions_is_uint(lexer, 65535)) {
            lexer_syntax_error(lexer, "expecting port number");
            return false;
        }
        ip->port = lexer->token.value.lo;
        lexer_get(lexer);
    }
    return true;
}

/* The options after the backends of ct_lb: "hash_fields=\"...\"" and
 * then a flag.  Like OVN, this skips the token after each (normally the
 * ';' or ')' that follows), so that anything unexpected is left for the
 * ';' check to report. */
static bool
actions_parse_lb_options(struct actions_ctx *ctx, struct action *a)
{
    struct lexer *lexer = ctx->lexer;

    if (lexer_match_id(lexer, "hash_fields")) {
        if (!lexer_match(lexer, LEX_T_EQUALS)
            || lexer->token.type != LEX_T_STRING) {
            lexer_syntax_error(lexer, "invalid hash_fields");
            return false;
        }
        a->lb.hash_fields = xstrdup(lexer->token.s);
        lexer_get(lexer);
        lexer_get(lexer);
    }
    if (lexer_match_id(lexer, "skip_snat")) {
        a->lb.flag = ACTION_CT_FLAG_SKIP_SNAT;
        lexer_get(lexer);
    } else if (lexer_match_id(lexer, "force_snat")) {
        a->lb.flag = ACTION_CT_FLAG_FORCE_SNAT;
        lexer_get(lexer);
    }
    return true;
}

/* "ct_lb", "ct_lb(backends=...[; hash_fields=\"...\"][; flag])" and the
 * same for ct_lb_mark. */
bool
actions_parse_ct_lb(struct actions_ctx *ctx, enum action_type type)
{
    struct lexer *lexer = ctx->lexer;
    struct action *a = actions_add(ctx, type);
    size_t allocated = 0;

    actions_add_prereq(ctx, "ip");
    if (!lexer_match(lexer, LEX_T_LPAREN) || lexer_match(lexer, LEX_T_RPAREN)) {
        return true;
    }
    if (!lexer_match_id(lexer, "backends")) {
        lexer_syntax_error(lexer, "expecting backends");
        return false;
    }
    if (!lexer_force_match(lexer, LEX_T_EQUALS)) {
        return false;
    }
    while (!lexer_match(lexer, LEX_T_SEMICOLON)
           && !lexer_match(lexer, LEX_T_RPAREN)) {
        struct action_ip_port ip;
        if (!actions_parse_lb_backend(ctx, &ip)) {
            return false;
        }
        if (a->lb.n_backends >= allocated) {
            a->lb.backends = x2nrealloc(a->lb.backends, &allocated,
                                        sizeof *a->lb.backends);
        }
        a->lb.backends[a->lb.n_backends++] = ip;
        lexer_match(lexer, LEX_T_COMMA);
    }
    if (!actions_parse_lb_options(ctx, a)) {
        return false;
    }
    if (!a->lb.n_backends) {
        /* Without backends, OVN ignores the options (and does not print
         * them). */
        free(a->lb.hash_fields);
        a->lb.hash_fields = NULL;
        a->lb.flag = ACTION_CT_FLAG_NONE;
    }
    return true;
}

/* Neighbours and FDB. */

/* The arguments of each function: 0 for a logical port (string) field,
 * else the width of an integer field. */
static const struct {
    enum action_type type;
    unsigned int widths[3];
    size_t n_args;
} actions_neigh_args[] = {
    { ACTION_GET_ARP, { 0, 32 }, 2 },
    { ACTION_PUT_ARP, { 0, 32, 48 }, 3 },
    { ACTION_LOOKUP_ARP, { 0, 32, 48 }, 3 },
    { ACTION_LOOKUP_ARP_IP, { 0, 32 }, 2 },
    { ACTION_GET_ND, { 0, 128 }, 2 },
    { ACTION_PUT_ND, { 0, 128, 48 }, 3 },
    { ACTION_LOOKUP_ND, { 0, 128, 48 }, 3 },
    { ACTION_LOOKUP_ND_IP, { 0, 128 }, 2 },
    { ACTION_GET_FDB, { 48 }, 1 },
    { ACTION_PUT_FDB, { 0, 48 }, 2 },
    { ACTION_LOOKUP_FDB, { 0, 48 }, 2 },
};

/* Checks the result field 'dst' of a neighbour or FDB function. */
static bool
actions_check_neigh_dst(struct actions_ctx *ctx, enum action_type type,
                        const struct action_field *dst)
{
    if (type == ACTION_GET_FDB) {
        return (symtab_symbol_is_string(dst->symbol)
                || actions_check_field(ctx, dst, 32, true));
    }
    return actions_check_field(ctx, dst, 1, true);
}

/* "get_arp(P, A)", "R = lookup_nd(P, A, E)", "P = get_fdb(E)"...: 'dst'
 * is the result field, or NULL for the functions without one.  With a
 * result, the '(' has been consumed. */
bool
actions_parse_neigh(struct actions_ctx *ctx, enum action_type type,
                    const struct action_field *dst)
{
    struct lexer *lexer = ctx->lexer;
    size_t i;

    for (i = 0; actions_neigh_args[i].type != type; i++) {
        continue;
    }
    if (dst ? !actions_check_neigh_dst(ctx, type, dst)
        : !lexer_force_match(lexer, LEX_T_LPAREN)) {
        return false;
    }

    struct action_field args[3];
    size_t n = actions_neigh_args[i].n_args;
    for (size_t j = 0; j < n; j++) {
        if ((j && !lexer_force_match(lexer, LEX_T_COMMA))
            || !actions_parse_field(ctx, &args[j])
            || !actions_check_field(ctx, &args[j],
                                    actions_neigh_args[i].widths[j],
                                    false)) {
            return false;
        }
    }
    if (!lexer_force_match(lexer, LEX_T_RPAREN)) {
        return false;
    }

    struct action *a = actions_add(ctx, type);
    if (dst) {
        a->neigh.dst = *dst;
        actions_field_prereqs(ctx, dst);
    }
    for (size_t j = 0; j < n; j++) {
        a->neigh.args[j] = args[j];
        actions_field_prereqs(ctx, &args[j]);
    }
    a->neigh.n_args = n;
    return true;
}

/* Logging and metering. */

static const char *const actions_severities[] = {
    [ACTION_LOG_ALERT] = "alert",
    [ACTION_LOG_WARNING] = "warning",
    [ACTION_LOG_NOTICE] = "notice",
    [ACTION_LOG_INFO] = "info",
    [ACTION_LOG_DEBUG] = "debug",
};

static const char *const actions_verdicts[] = {
    [ACTION_LOG_ALLOW] = "allow",
    [ACTION_LOG_DROP] = "drop",
    [ACTION_LOG_REJECT] = "reject",
};

const char *
action_log_severity_name(enum action_log_severity s)
{
    return s < ARRAY_SIZE(actions_severities) ? actions_severities[s] : "?";
}

const char *
action_log_verdict_name(enum action_log_verdict v)
{
    return v < ARRAY_SIZE(actions_verdicts) ? actions_verdicts[v] : "?";
}

/* Parses one of 'names' (an array of 'n'), as an identifier. */
static bool
actions_parse_enum(struct actions_ctx *ctx, const char *const names[],
                   size_t n, const char *what, int *value)
{
    for (size_t i = 0; i < n; i++) {
        if (lexer_match_id(ctx->lexer, names[i])) {
            *value = i;
            return true;
        }
    }
    lexer_syntax_error(ctx->lexer, "unknown %s", what);
    return false;
}

/* One "key=value" argument of log(). */
static bool
actions_parse_log_arg(struct actions_ctx *ctx, struct action *a,
                      bool *have_verdict)
{
    struct lexer *lexer = ctx->lexer;
    char **string = NULL;
    int value;

    if (lexer_match_id(lexer, "name")) {
        string = &a->log.name;
    } else if (lexer_match_id(lexer, "meter")) {
        string = &a->log.meter;
    } else if (lexer_match_id(lexer, "verdict")) {
        if (!lexer_force_match(lexer, LEX_T_EQUALS)
            || !actions_parse_enum(ctx, actions_verdicts,
                                   ARRAY_SIZE(actions_verdicts), "verdict",
                                   &value)) {
            return false;
        }
        a->log.verdict = value;
        *have_verdict = true;
        return true;
    } else if (lexer_match_id(lexer, "severity")) {
        if (!lexer_force_match(lexer, LEX_T_EQUALS)) {
            return false;
        }
        if (lexer->token.type != LEX_T_ID) {
            lexer_syntax_error(lexer, "expecting severity");
            return false;
        }
        if (!actions_parse_enum(ctx, actions_severities,
                                   ARRAY_SIZE(actions_severities),
                                   "severity", &value)) {
            return false;
        }
        a->log.severity = value;
        return true;
    } else {
        lexer_syntax_error(lexer, NULL);
        return false;
    }

    char *s;
    if (!lexer_force_match(lexer, LEX_T_EQUALS)
        || !actions_parse_string(ctx, &s)) {
        return false;
    }
    free(*string);
    *string = s;
    return true;
}

/* "log(name=\"N\", verdict=V, severity=S, meter=\"M\")", any order; the
 * verdict is required, the severity defaults to info. */
bool
actions_parse_log(struct actions_ctx *ctx)
{
    struct lexer *lexer = ctx->lexer;
    struct action *a = actions_add(ctx, ACTION_LOG);
    bool have_verdict = false;

    a->log.severity = ACTION_LOG_INFO;
    if (lexer_match(lexer, LEX_T_LPAREN)) {
        while (!lexer_match(lexer, LEX_T_RPAREN)) {
            if (!actions_parse_log_arg(ctx, a, &have_verdict)) {
                return false;
            }
            lexer_match(lexer, LEX_T_COMMA);
        }
    }
    if (!have_verdict) {
        lexer_syntax_error(lexer, "expecting verdict");
        return false;
    }
    return true;
}

/* "set_queue(N)", 0 <= N <= 61440.  A missing number is left for the ';'
 * check, and then the action is not there at all, as in OVN. */
bool
actions_parse_set_queue(struct actions_ctx *ctx)
{
    struct lexer *lexer = ctx->lexer;
    int queue_id;

    if (!lexer_force_match(lexer, LEX_T_LPAREN)
        || !lexer_get_int(lexer, &queue_id)
        || !lexer_force_match(lexer, LEX_T_RPAREN)) {
        return false;
    }
    if (queue_id > 61440) {
        actions_error(lexer, "Queue ID %d for set_queue is not in valid range "
                    "0 to 61440.", queue_id);
        return false;
    }
    actions_add(ctx, ACTION_SET_QUEUE)->queue_id = queue_id;
    return true;
}

/* "set_meter(RATE)" or "set_meter(RATE, BURST)".  As in OVN, a value that
 * is not a decimal integer counts as 0. */
bool
actions_parse_set_meter(struct actions_ctx *ctx)
{
    struct lexer *lexer = ctx->lexer;
    uint64_t rate, burst = 0;

    if (!lexer_force_match(lexer, LEX_T_LPAREN)) {
        return false;
    }
    rate = actions_get_decimal_or_zero(lexer);
    if (lexer_match(lexer, LEX_T_COMMA)) {
        burst = actions_get_decimal_or_zero(lexer);
    }
    if (!lexer_force_match(lexer, LEX_T_RPAREN)) {
        return false;
    }
    if (!rate) {
        actions_error(lexer, "Rate %"PRIu64" for set_meter is not in valid.",
                    rate);
        return false;
    }
    struct action *a = actions_add(ctx, ACTION_SET_METER);
    a->meter.rate = rate;
    a->meter.burst = burst;
    return true;
}

/* "R = check_pkt_larger(L)", after the '('. */
bool
actions_parse_check_pkt_larger(struct actions_ctx *ctx,
                               const struct action_field *dst)
{
    struct lexer *lexer = ctx->lexer;
    int len;

    if (!actions_check_field(ctx, dst, 1, true)
        || !lexer_get_int(lexer, &len)
        || !lexer_force_match(lexer, LEX_T_RPAREN)) {
        return false;
    }
    actions_field_prereqs(ctx, dst);

    struct action *a = actions_add(ctx, ACTION_CHECK_PKT_LARGER);
    a->pkt_larger.dst = *dst;
    a->pkt_larger.len = len;
    return true;
}

/* One member "ID" or "ID=WEIGHT" of select(). */
static bool
actions_parse_select_member(struct actions_ctx *ctx,
                            struct action_select_member *m)
{
    struct lexer *lexer = ctx->lexer;

    if (!actions_is_uint(lexer, UINT16_MAX)) {
        lexer_syntax_error(lexer, "expecting id");
        return false;
    }
    m->id = lexer->token.value.lo;
    m->weight = 100;
    lexer_get(lexer);

    if (lexer_match(lexer, LEX_T_EQUALS)) {
        if (!actions_is_uint(lexer, UINT16_MAX)) {
            lexer_syntax_error(lexer, "expecting weight");
            return false;
        }
        m->weight = lexer->token.value.lo;
        lexer_get(lexer);
        if (!m->weight) {
            lexer_syntax_error(lexer, "weight can't be 0");
            return false;
        }
    }
    return true;
}

/* "R = select(ID[=WEIGHT], ...)", after the '('. */
bool
actions_parse_select(struct actions_ctx *ctx, const struct action_field *dst)
{
    struct lexer *lexer = ctx->lexer;

    if (!actions_field_writable(ctx, dst)) {
        actions_error(lexer, "Field %s is not modifiable.", dst->symbol->name);
        return false;
    }
    if (dst->n_bits < 16) {
        actions_error(lexer, "cannot use %u-bit field %s[%u..%d] for "
                    "\"select\", which requires at least 16 bits.",
                    dst->n_bits, dst->symbol->name, dst->ofs,
                    (int) (dst->ofs + dst->n_bits) - 1);
        return false;
    }

    struct action *a = actions_add(ctx, ACTION_SELECT);
    size_t allocated = 0;
    a->select.dst = *dst;
    while (!lexer_match(lexer, LEX_T_RPAREN)) {
        if (a->select.n_members >= allocated) {
            a->select.members = x2nrealloc(a->select.members, &allocated,
                                           sizeof *a->select.members);
        }
        if (!actions_parse_select_member(
                ctx, &a->select.members[a->select.n_members++])) {
            return false;
        }
        lexer_match(lexer, LEX_T_COMMA);
    }
    if (a->select.n_members < 2) {
        lexer_syntax_error(lexer, "expecting at least 2 group members");
        return false;
    }
    actions_field_prereqs(ctx, dst);
    return true;
}

/* "bind_vport(\"V\", P)". */
bool
actions_parse_bind_vport(struct actions_ctx *ctx)
{
    struct lexer *lexer = ctx->lexer;
    struct action_field port;

    if (!lexer_force_match(lexer, LEX_T_LPAREN)) {
        return false;
    }
    if (lexer->token.type != LEX_T_STRING) {
        lexer_syntax_error(lexer, "expecting port name string");
        return false;
    }
    char *vport = xstrdup(lexer->token.s);
    lexer_get(lexer);
    if (!lexer_force_match(lexer, LEX_T_COMMA)
        || !actions_parse_field(ctx, &port)
        || !actions_check_field(ctx, &port, 0, false)
        || !lexer_force_match(lexer, LEX_T_RPAREN)) {
        free(vport);
        return false;
    }
    struct action *a = actions_add(ctx, ACTION_BIND_VPORT);
    a->vport.vport = vport;
    a->vport.port = port;
    return true;
}

/* "fwd_group(liveness=B, childports=\"P\", ...)", every part optional. */
bool
actions_parse_fwd_group(struct actions_ctx *ctx)
{
    struct lexer *lexer = ctx->lexer;
    struct action *a = actions_add(ctx, ACTION_FWD_GROUP);
    size_t allocated = 0;

    if (!lexer_match(lexer, LEX_T_LPAREN)) {
        return true;
    }
    if (lexer_match_id(lexer, "liveness")) {
        if (!lexer_force_match(lexer, LEX_T_EQUALS)
            || !actions_parse_bool(ctx, &a->fwd_group.liveness)
            || !lexer_force_match(lexer, LEX_T_COMMA)) {
            return false;
        }
    }
    if (!lexer_match_id(lexer, "childports")) {
        return true;
    }
    if (!lexer_force_match(lexer, LEX_T_EQUALS)) {
        return false;
    }
    while (!lexer_match(lexer, LEX_T_RPAREN)) {
        if (lexer->token.type != LEX_T_STRING) {
            lexer_syntax_error(lexer, "expecting logical switch port");
            return false;
        }
        if (a->fwd_group.n_child_ports >= allocated) {
            a->fwd_group.child_ports = x2nrealloc(
                a->fwd_group.child_ports, &allocated,
                sizeof *a->fwd_group.child_ports);
        }
        a->fwd_group.child_ports[a->fwd_group.n_child_ports++]
            = xstrdup(lexer->token.s);
        lexer_get(lexer);
        lexer_match(lexer, LEX_T_COMMA);
    }
    return true;
}

/* Parses "NAME =" for the next fixed parameter of commit_ecmp_nh or
 * commit_lb_aff. */
static bool
actions_match_param(struct actions_ctx *ctx, const char *name)
{
    if (!lexer_match_id(ctx->lexer, name)) {
        lexer_syntax_error(ctx->lexer, "invalid parameter");
        return false;
    }
    return lexer_force_match(ctx->lexer, LEX_T_EQUALS);
}

/* "tcp", "udp" or "sctp". */
static bool
actions_parse_proto(struct actions_ctx *ctx, uint8_t *proto)
{
    struct lexer *lexer = ctx->lexer;

    if (lexer_match_id(lexer, "tcp")) {
        *proto = IPPROTO_TCP;
    } else if (lexer_match_id(lexer, "udp")) {
        *proto = IPPROTO_UDP;
    } else if (lexer_match_id(lexer, "sctp")) {
        *proto = IPPROTO_SCTP;
    } else {
        lexer_syntax_error(lexer, "invalid protocol");
        return false;
    }
    return true;
}

const char *
action_proto_name(uint8_t proto)
{
    return (proto == IPPROTO_TCP ? "tcp" : proto == IPPROTO_UDP ? "udp"
            : proto == IPPROTO_SCTP ? "sctp" : "?");
}

/* "commit_ecmp_nh(ipv6 = B, proto = P)". */
bool
actions_parse_commit_ecmp_nh(struct actions_ctx *ctx)
{
    struct lexer *lexer = ctx->lexer;
    bool ipv6;
    uint8_t proto;

    if (!lexer_force_match(lexer, LEX_T_LPAREN)
        || !actions_match_param(ctx, "ipv6")
        || !actions_parse_bool(ctx, &ipv6)
        || !lexer_force_match(lexer, LEX_T_COMMA)
        || !actions_match_param(ctx, "proto")
        || !actions_parse_proto(ctx, &proto)
        || !lexer_force_match(lexer, LEX_T_RPAREN)) {
        return false;
    }
    struct action *a = actions_add(ctx, ACTION_COMMIT_ECMP_NH);
    a->ecmp_nh.ipv6 = ipv6;
    a->ecmp_nh.proto = proto;
    return true;
}

/* The quoted "IP[:PORT]" of commit_lb_aff's vip or backend. */
static bool
actions_parse_quoted_ip_port(struct actions_ctx *ctx,
                             struct action_ip_port *ip)
{
    struct lexer *lexer = ctx->lexer;

    if (lexer->token.type != LEX_T_STRING
        || !actions_parse_ip_port(lexer->token.s, ip)) {
        lexer_syntax_error(lexer, "invalid parameter");
        return false;
    }
    return true;
}

/* "commit_lb_aff(vip = \"IP:PORT\", backend = \"IP[:PORT]\", proto = P,
 * timeout = T)", in that order. */
bool
actions_parse_commit_lb_aff(struct actions_ctx *ctx)
{
    struct lexer *lexer = ctx->lexer;
    struct action_ip_port vip, backend;
    uint8_t proto;

    if (!lexer_force_match(lexer, LEX_T_LPAREN)
        || !actions_match_param(ctx, "vip")
        || !actions_parse_quoted_ip_port(ctx, &vip)) {
        return false;
    }
    lexer_get(lexer);
    if (!lexer_force_match(lexer, LEX_T_COMMA)
        || !actions_match_param(ctx, "backend")
        || !actions_parse_quoted_ip_port(ctx, &backend)) {
        return false;
    }
    if (backend.family != vip.family) {
        lexer_syntax_error(lexer, "invalid protocol family");
        return false;
    }
    lexer_get(lexer);
    if (!lexer_force_match(lexer, LEX_T_COMMA)) {
        return false;
    }
    if (!vip.port) {
        lexer_syntax_error(lexer, "invalid parameter");
        return false;
    }
    if (!actions_match_param(ctx, "proto")
        || !actions_parse_proto(ctx, &proto)
        || !lexer_force_match(lexer, LEX_T_COMMA)
        || !actions_match_param(ctx, "timeout")) {
        return false;
    }
    if (!actions_is_uint(lexer, UINT16_MAX)) {
        lexer_syntax_error(lexer, "expecting affinity timeout");
        return false;
    }
    struct action *a = actions_add(ctx, ACTION_COMMIT_LB_AFF);
    a->lb_aff.vip = vip;
    a->lb_aff.backend = backend;
    a->lb_aff.proto = proto;
    a->lb_aff.timeout = lexer->token.value.lo;
    lexer_get(lexer);
    return lexer_force_match(lexer, LEX_T_RPAREN);
}

/* One "key=value" argument of sample(). */
static bool
actions_parse_sample_arg(struct actions_ctx *ctx, struct action *a)
{
    struct lexer *lexer = ctx->lexer;

    if (lexer_match_id(lexer, "probability")) {
        if (!lexer_force_match(lexer, LEX_T_EQUALS)) {
            return false;
        }
        if (actions_is_decimal(lexer)) {
            if (lexer->token.value.lo > UINT16_MAX) {
                lexer_syntax_error(lexer, "expecting probability");
                return false;
            }
            a->sample.probability = lexer->token.value.lo;
            lexer_get(lexer);
        }
    } else if (lexer_match_id(lexer, "collector_set")) {
        if (!lexer_force_match(lexer, LEX_T_EQUALS)) {
            return false;
        }
        a->sample.collector_set = actions_get_decimal_or_zero(lexer);
    } else if (lexer_match_id(lexer, "obs_domain")) {
        if (!lexer_force_match(lexer, LEX_T_EQUALS)) {
            return false;
        }
        if (actions_is_decimal(lexer) && lexer->token.value.lo > UINT8_MAX) {
            lexer_syntax_error(lexer, "obs_domain must be 8-bit long");
            return false;
        }
        a->sample.obs_domain = actions_get_decimal_or_zero(lexer);
    } else if (lexer_match_id(lexer, "obs_point")) {
        if (!lexer_force_match(lexer, LEX_T_EQUALS)) {
            return false;
        }
        if (!actions_is_decimal(lexer)) {
            lexer_syntax_error(lexer, "malformed sample "
                               "observation_point_id");
            return false;
        }
        a->sample.obs_point = actions_get_decimal_or_zero(lexer);
    } else {
        lexer_syntax_error(lexer, "unknown argument");
        return false;
    }
    return true;
}

/* "sample(probability=N, collector_set=N, obs_domain=N, obs_point=N)". */
bool
actions_parse_sample(struct actions_ctx *ctx)
{
    struct lexer *lexer = ctx->lexer;
    struct action *a = actions_add(ctx, ACTION_SAMPLE);

    if (lexer_match(lexer, LEX_T_LPAREN)) {
        while (!lexer_match(lexer, LEX_T_RPAREN)) {
            if (!actions_parse_sample_arg(ctx, a)) {
                return false;
            }
            lexer_match(lexer, LEX_T_COMMA);
        }
    }
    if (!a->sample.probability) {
        actions_error(lexer, "probability must be greater than zero");
        return false;
    }
    return true;
}

/* Life cycle of the actions of this file. */

void
actions_misc_destroy(struct action *a)
{
    switch (a->type) {
    case ACTION_CT_LB:
    case ACTION_CT_LB_MARK:
        free(a->lb.backends);
        free(a->lb.hash_fields);
        break;
    case ACTION_BIND_VPORT:
        free(a->vport.vport);
        break;
    case ACTION_LOG:
        free(a->log.name);
        free(a->log.meter);
        break;
    case ACTION_SELECT:
        free(a->select.members);
        break;
    case ACTION_FWD_GROUP:
        for (size_t i = 0; i < a->fwd_group.n_child_ports; i++) {
            free(a->fwd_group.child_ports[i]);
        }
        free(a->fwd_group.child_ports);
        break;
    default:
        break;
    }
}

static bool
actions_ip_port_equal(const struct action_ip_port *a,
                      const struct action_ip_port *b)
{
    return (a->family == b->family && u128_equals(a->ip, b->ip)
            && a->port == b->port);
}

static bool
actions_nullable_streq(const char *a, const char *b)
{
    return a && b ? !strcmp(a, b) : a == b;
}

static bool
actions_lb_equal(const struct action *a, const struct action *b)
{
    if (a->lb.n_backends != b->lb.n_backends || a->lb.flag != b->lb.flag
        || !actions_nullable_streq(a->lb.hash_fields, b->lb.hash_fields)) {
        return false;
    }
    for (size_t i = 0; i < a->lb.n_backends; i++) {
        if (!actions_ip_port_equal(&a->lb.backends[i], &b->lb.backends[i])) {
            return false;
        }
    }
    return true;
}

static bool
actions_neigh_equal(const struct action *a, const struct action *b)
{
    bool dst_a = a->neigh.dst.symbol != NULL;
    if (dst_a != (b->neigh.dst.symbol != NULL)
        || (dst_a && !action_field_equal(&a->neigh.dst, &b->neigh.dst))
        || a->neigh.n_args != b->neigh.n_args) {
        return false;
    }
    for (size_t i = 0; i < a->neigh.n_args; i++) {
        if (!action_field_equal(&a->neigh.args[i], &b->neigh.args[i])) {
            return false;
        }
    }
    return true;
}

static bool
actions_select_equal(const struct action *a, const struct action *b)
{
    if (!action_field_equal(&a->select.dst, &b->select.dst)
        || a->select.n_members != b->select.n_members) {
        return false;
    }
    for (size_t i = 0; i < a->select.n_members; i++) {
        if (a->select.members[i].id != b->select.members[i].id
            || a->select.members[i].weight != b->select.members[i].weight) {
            return false;
        }
    }
    return true;
}

static bool
actions_fwd_group_equal(const struct action *a, const struct action *b)
{
    if (a->fwd_group.liveness != b->fwd_group.liveness
        || a->fwd_group.n_child_ports != b->fwd_group.n_child_ports) {
        return false;
    }
    for (size_t i = 0; i < a->fwd_group.n_child_ports; i++) {
        if (strcmp(a->fwd_group.child_ports[i],
                   b->fwd_group.child_ports[i])) {
            return false;
        }
    }
    return true;
}

/* Equality of two actions of the same type whose arguments are numbers
 * or names. */
static bool
actions_args_equal(const struct action *a, const struct action *b)
{
    switch (a->type) {
    case ACTION_BIND_VPORT:
        return (!strcmp(a->vport.vport, b->vport.vport)
                && action_field_equal(&a->vport.port, &b->vport.port));
    case ACTION_LOG:
        return (actions_nullable_streq(a->log.name, b->log.name)
                && actions_nullable_streq(a->log.meter, b->log.meter)
                && a->log.severity == b->log.severity
                && a->log.verdict == b->log.verdict);
    case ACTION_CHECK_PKT_LARGER:
        return (action_field_equal(&a->pkt_larger.dst, &b->pkt_larger.dst)
                && a->pkt_larger.len == b->pkt_larger.len);
    case ACTION_SET_QUEUE:
        return a->queue_id == b->queue_id;
    case ACTION_SET_METER:
        return (a->meter.rate == b->meter.rate
                && a->meter.burst == b->meter.burst);
    case ACTION_COMMIT_ECMP_NH:
        return (a->ecmp_nh.ipv6 == b->ecmp_nh.ipv6
                && a->ecmp_nh.proto == b->ecmp_nh.proto);
    case ACTION_SAMPLE:
        return (a->sample.probability == b->sample.probability
                && a->sample.collector_set == b->sample.collector_set
                && a->sample.obs_domain == b->sample.obs_domain
                && a->sample.obs_point == b->sample.obs_point);
    default:
        /* Actions without operands. */
        return true;
    }
}

/* Equality of two actions of the same type, for the types that
 * actions.c does not handle itself. */
bool
actions_misc_equal(const struct action *a, const struct action *b)
{
    switch (a->type) {
    case ACTION_PUSH: case ACTION_POP: case ACTION_HANDLE_SVC_CHECK:
    case ACTION_DNS_LOOKUP: case ACTION_CHECK_IN_PORT_SEC:
    case ACTION_CHECK_OUT_PORT_SEC: case ACTION_CHK_LB_HAIRPIN:
    case ACTION_CHK_LB_HAIRPIN_REPLY: case ACTION_CHK_ECMP_NH_MAC:
    case ACTION_CHK_ECMP_NH: case ACTION_CHK_LB_AFF:
        return action_field_equal(&a->field, &b->field);
    case ACTION_CT_COMMIT_V1:
        return (a->ct1.ct_mark == b->ct1.ct_mark
                && a->ct1.ct_mark_mask == b->ct1.ct_mark_mask
                && u128_equals(a->ct1.ct_label, b->ct1.ct_label)
                && u128_equals(a->ct1.ct_label_mask, b->ct1.ct_label_mask));
    case ACTION_CT_DNAT: case ACTION_CT_SNAT:
    case ACTION_CT_DNAT_IN_CZONE: case ACTION_CT_SNAT_IN_CZONE:
        return (actions_ip_port_equal(&a->nat.ip, &b->nat.ip)
                && a->nat.has_ports == b->nat.has_ports
                && a->nat.port_range == b->nat.port_range
                && a->nat.port_lo == b->nat.port_lo
                && a->nat.port_hi == b->nat.port_hi);
    case ACTION_CT_LB: case ACTION_CT_LB_MARK:
        return actions_lb_equal(a, b);
    case ACTION_GET_ARP: case ACTION_PUT_ARP: case ACTION_LOOKUP_ARP:
    case ACTION_LOOKUP_ARP_IP: case ACTION_GET_ND: case ACTION_PUT_ND:
    case ACTION_LOOKUP_ND: case ACTION_LOOKUP_ND_IP: case ACTION_GET_FDB:
    case ACTION_PUT_FDB: case ACTION_LOOKUP_FDB:
        return actions_neigh_equal(a, b);
    case ACTION_SELECT:
        return actions_select_equal(a, b);
    case ACTION_FWD_GROUP:
        return actions_fwd_group_equal(a, b);
    case ACTION_COMMIT_LB_AFF:
        return (actions_ip_port_equal(&a->lb_aff.vip, &b->lb_aff.vip)
                && actions_ip_port_equal(&a->lb_aff.backend,
                                         &b->lb_aff.backend)
                && a->lb_aff.proto == b->lb_aff.proto
                && a->lb_aff.timeout == b->lb_aff.timeout);
    default:
        return actions_args_equal(a, b);
    }
}
