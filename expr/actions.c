/* actions: parsing the action language.  See actions.h.
 *
 * The grammar, as OVN 23.03 accepts it:
 *
 *     actions  ::= "" | "drop" ";" | (action ";")*
 *     action   ::= FIELD ("=" | "<->") ... | FIELD "[" ... | KEYWORD ...
 *
 * An action that starts with an identifier followed by "=", "<->" or "["
 * is an assignment (or "R = function(...)"); otherwise the identifier is
 * a keyword.  Each action parser stops after its last token and leaves the
 * ";" to the list parser, which is why a parser that gives up without an
 * error (as OVN's do for, e.g., "set_queue(x)") produces "Syntax error at
 * `x' expecting `;'.", exactly as OVN reports it.
 *
 * This file has the list parser, the keyword dispatch, fields and
 * assignments, blocks, and the life cycle of the parsed structure; the
 * other actions are in actions-misc.c and actions-opts.c. */
#include "expr/actions.h"

#include <stdarg.h>
#include <string.h>

#include "ds.h"
#include "expr/actions-private.h"
#include "util.h"

static bool actions_parse_list(struct actions_ctx *, enum lex_type end);

/* The parsed structure. */

void
action_list_init(struct action_list *acts)
{
    acts->actions = NULL;
    acts->n_actions = 0;
}

static void
action_destroy(struct action *a)
{
    switch (a->type) {
    case ACTION_LOAD:
        lex_token_destroy(&a->load.value);
        break;
    case ACTION_CT_COMMIT:
    case ACTION_CLONE: case ACTION_ARP: case ACTION_ND_NS:
    case ACTION_ND_NA: case ACTION_ND_NA_ROUTER: case ACTION_ICMP4:
    case ACTION_ICMP4_ERROR: case ACTION_ICMP6: case ACTION_ICMP6_ERROR:
    case ACTION_TCP_RESET: case ACTION_SCTP_ABORT: case ACTION_REJECT:
        action_list_destroy(&a->nested);
        break;
    case ACTION_PUT_DHCPV4_OPTS: case ACTION_PUT_DHCPV6_OPTS:
    case ACTION_PUT_ND_RA_OPTS: case ACTION_TRIGGER_EVENT:
        actions_opts_destroy(a);
        break;
    default:
        actions_misc_destroy(a);
        break;
    }
}

void
action_list_destroy(struct action_list *acts)
{
    if (acts) {
        for (size_t i = 0; i < acts->n_actions; i++) {
            action_destroy(&acts->actions[i]);
        }
        free(acts->actions);
        action_list_init(acts);
    }
}

bool
action_field_equal(const struct action_field *a, const struct action_field *b)
{
    return a->symbol == b->symbol && a->ofs == b->ofs
           && a->n_bits == b->n_bits;
}

static bool
action_equal(const struct action *a, const struct action *b)
{
    if (a->type != b->type) {
        return false;
    }
    switch (a->type) {
    case ACTION_NEXT:
        return (a->next.pipeline == b->next.pipeline
                && a->next.table == b->next.table
                && a->next.src_pipeline == b->next.src_pipeline
                && a->next.src_table == b->next.src_table);
    case ACTION_LOAD:
        return (action_field_equal(&a->load.dst, &b->load.dst)
                && actions_constant_equal(&a->load.value, &b->load.value));
    case ACTION_MOVE:
    case ACTION_EXCHANGE:
        return (action_field_equal(&a->move.dst, &b->move.dst)
                && action_field_equal(&a->move.src, &b->move.src));
    case ACTION_CT_COMMIT:
    case ACTION_CLONE: case ACTION_ARP: case ACTION_ND_NS:
    case ACTION_ND_NA: case ACTION_ND_NA_ROUTER: case ACTION_ICMP4:
    case ACTION_ICMP4_ERROR: case ACTION_ICMP6: case ACTION_ICMP6_ERROR:
    case ACTION_TCP_RESET: case ACTION_SCTP_ABORT: case ACTION_REJECT:
        return actions_equal(&a->nested, &b->nested);
    case ACTION_PUT_DHCPV4_OPTS: case ACTION_PUT_DHCPV6_OPTS:
    case ACTION_PUT_ND_RA_OPTS: case ACTION_TRIGGER_EVENT:
        return actions_opts_equal(a, b);
    default:
        return actions_misc_equal(a, b);
    }
}

bool
actions_equal(const struct action_list *a, const struct action_list *b)
{
    if (a->n_actions != b->n_actions) {
        return false;
    }
    for (size_t i = 0; i < a->n_actions; i++) {
        if (!action_equal(&a->actions[i], &b->actions[i])) {
            return false;
        }
    }
    return true;
}

/* Executing fields. */

struct u128
action_field_read(const struct action_field *f, const struct symtab_flow *flow)
{
    struct u128 v = symtab_flow_get(flow, f->symbol);
    return u128_and(u128_shr(v, f->ofs), u128_low_mask(f->n_bits));
}

void
action_field_write(const struct action_field *f, struct symtab_flow *flow,
                   struct u128 value, struct u128 mask)
{
    mask = u128_and(mask, u128_low_mask(f->n_bits));
    symtab_flow_set(flow, f->symbol, u128_shl(value, f->ofs),
                    u128_shl(mask, f->ofs));
}

/* Errors. */

/* Records an error as OVN's lexer does: if the current token is an
 * invalid one, its own message ("Invalid numeric constant.") is the error,
 * whatever the parser was about to say. */
void
actions_error(struct lexer *lexer, const char *message, ...)
{
    va_list args;

    if (lexer->token.type == LEX_T_ERROR) {
        lexer_error(lexer, "%s", lexer->token.s);
        return;
    }
    va_start(args, message);
    char *s = xvasprintf(message, args);
    va_end(args);
    lexer_error(lexer, "%s", s);
    free(s);
}

/* Building a list. */

/* Appends an action of 'type', all zero but for its type, to the list
 * that 'ctx' builds, and returns it. */
struct action *
actions_add(struct actions_ctx *ctx, enum action_type type)
{
    struct action_list *acts = ctx->acts;

    if (acts->n_actions >= ctx->allocated) {
        ctx->allocated = ctx->allocated ? 2 * ctx->allocated : 4;
        acts->actions = xrealloc(acts->actions,
                                 ctx->allocated * sizeof *acts->actions);
    }
    struct action *a = &acts->actions[acts->n_actions++];
    memset(a, 0, sizeof *a);
    a->type = type;
    return a;
}

/* Adds 'prereq' (a match expression) to the prerequisites, unless it is
 * already there or 'ctx' does not collect them. */
void
actions_add_prereq(struct actions_ctx *ctx, const char *prereq)
{
    struct ds *s = ctx->prereqs;
    size_t len = strlen(prereq);

    if (!s || !prereq[0]) {
        return;
    }
    for (const char *p = ds_cstr(s); *p; ) {
        const char *end = strstr(p, " && ");
        size_t n = end ? (size_t) (end - p) : strlen(p);
        if (n == len && !memcmp(p, prereq, len)) {
            return;
        }
        p += n + (end ? 4 : 0);
    }
    if (s->length) {
        ds_put_cstr(s, " && ");
    }
    ds_put_cstr(s, prereq);
}

/* Adds the prerequisites of 'f''s symbol and of the fields it is part of.
 * OVN fields that only actions may write (icmp4.frag_mtu) have none. */
void
actions_field_prereqs(struct actions_ctx *ctx, const struct action_field *f)
{
    if (f->symbol->access == SYMTAB_WO) {
        return;
    }
    for (const struct symtab_symbol *s = f->symbol; s; s = s->parent) {
        if (s->prereqs) {
            actions_add_prereq(ctx, s->prereqs);
        }
    }
}

/* Fields. */

/* A predicate is not a field, but OVN only says so after reading any
 * subscript. */
static bool
actions_check_predicate(struct actions_ctx *ctx, const struct action_field *f)
{
    if (f->symbol->kind == SYMTAB_PREDICATE) {
        actions_error(ctx->lexer, "Predicate symbol %s used where lvalue "
                      "required.", f->symbol->name);
        return false;
    }
    return true;
}

/* Finishes a subscript "[LOW]" or "[LOW..HIGH]" of 'f', whose '[' has just
 * been consumed. */
static bool
actions_parse_subscript(struct actions_ctx *ctx, struct action_field *f)
{
    struct lexer *lexer = ctx->lexer;
    const struct symtab_symbol *s = f->symbol;
    int low, high;

    if (symtab_symbol_is_string(s)) {
        actions_error(lexer, "Cannot select subfield of string field %s.",
                    s->name);
        return false;
    }
    if (!lexer_force_int(lexer, &low)) {
        return false;
    }
    high = low;
    if (lexer_match(lexer, LEX_T_ELLIPSIS) && !lexer_force_int(lexer, &high)) {
        return false;
    }
    if (!lexer_force_match(lexer, LEX_T_RSQUARE)
        || !actions_check_predicate(ctx, f)) {
        return false;
    }
    if (s->level == SYMTAB_NOMINAL) {
        actions_error(lexer, "Cannot select subfield of nominal field %s.",
                    s->name);
        return false;
    }
    if (low > high) {
        actions_error(lexer, "Invalid bit range %d to %d.", low, high);
        return false;
    }
    if ((unsigned int) high >= s->width) {
        actions_error(lexer, "Cannot select bits %d to %d of %u-bit field %s.",
                    low, high, s->width, s->name);
        return false;
    }
    f->ofs = low;
    f->n_bits = high - low + 1;
    return true;
}

/* Parses a field reference "NAME", "NAME[I]" or "NAME[I..J]" into 'f'. */
bool
actions_parse_field(struct actions_ctx *ctx, struct action_field *f)
{
    struct lexer *lexer = ctx->lexer;
    const struct symtab_symbol *s = NULL;

    if (lexer->token.type == LEX_T_ID) {
        s = symtab_lookup(ctx->pp->symtab, lexer->token.s);
    }
    if (!s) {
        lexer_syntax_error(lexer, "expecting field name");
        return false;
    }
    lexer_get(lexer);

    f->symbol = s;
    f->ofs = 0;
    f->n_bits = s->width;
    return !lexer_match(lexer, LEX_T_LSQUARE)
           ? actions_check_predicate(ctx, f)
           : actions_parse_subscript(ctx, f);
}

/* May an assignment in 'ctx''s scope write 'f'? */
bool
actions_field_writable(const struct actions_ctx *ctx,
                       const struct action_field *f)
{
    enum symtab_access access = f->symbol->access;

    if (access == SYMTAB_WO) {
        /* OVN's own fields (icmp4.frag_mtu) are writable everywhere. */
        return true;
    } else if (ctx->scope == ACTIONS_SCOPE_CT_COMMIT) {
        return access == SYMTAB_RW_CT_COMMIT;
    }
    return access == SYMTAB_RW;
}

static bool
actions_check_writable(struct actions_ctx *ctx, const struct action_field *f)
{
    if (!actions_field_writable(ctx, f)) {
        actions_error(ctx->lexer, "Field %s is not modifiable.",
                    f->symbol->name);
        return false;
    }
    return true;
}

/* Checks that 'f' is a string field ('n_bits' 0) or an 'n_bits'-bit
 * integer field, and writable if 'rw', with OVN's messages. */
bool
actions_check_field(struct actions_ctx *ctx, const struct action_field *f,
                    unsigned int n_bits, bool rw)
{
    struct lexer *lexer = ctx->lexer;
    bool is_string = symtab_symbol_is_string(f->symbol);

    if (is_string && n_bits) {
        actions_error(lexer, "Cannot use string field %s where numeric "
                    "field is required.", f->symbol->name);
        return false;
    }
    if (!is_string && !n_bits) {
        actions_error(lexer, "Cannot use numeric field %s where string "
                    "field is required.", f->symbol->name);
        return false;
    }
    if (n_bits && f->n_bits != n_bits) {
        actions_error(lexer, "Cannot use %u-bit field %s[%u..%u] where %u-bit "
                    "field is required.", f->n_bits, f->symbol->name,
                    f->ofs, f->ofs + f->n_bits - 1, n_bits);
        return false;
    }
    return !rw || actions_check_writable(ctx, f);
}

void
action_field_format(const struct action_field *f, struct ds *s)
{
    ds_put_cstr(s, f->symbol->name);
    if (f->n_bits != f->symbol->width) {
        if (f->n_bits == 1) {
            ds_put_format(s, "[%u]", f->ofs);
        } else {
            ds_put_format(s, "[%u..%u]", f->ofs, f->ofs + f->n_bits - 1);
        }
    }
}

/* Small helpers for the action parsers. */

/* Parses a quoted string into '*s' (owned by the caller). */
bool
actions_parse_string(struct actions_ctx *ctx, char **s)
{
    if (ctx->lexer->token.type != LEX_T_STRING) {
        lexer_syntax_error(ctx->lexer, "expecting string");
        return false;
    }
    *s = xstrdup(ctx->lexer->token.s);
    lexer_get(ctx->lexer);
    return true;
}

/* The list and its dispatch. */

/* Parses "{ ACTIONS };"'s block (the keyword already consumed) as an
 * action of 'type' that implies 'prereq' (or NULL), whose assignments may
 * write the fields of 'scope'.  The block's own prerequisites are dropped,
 * since it runs on another packet, except for clone and reject, which run
 * on (a copy of) this one, and whose prerequisites OVN 23.03 keeps. */
static bool
actions_parse_block(struct actions_ctx *ctx, enum action_type type,
                    const char *prereq, enum actions_scope scope)
{
    struct lexer *lexer = ctx->lexer;
    bool keep = type == ACTION_CLONE || type == ACTION_REJECT;

    if (!lexer_force_match(lexer, LEX_T_LCURLY)) {
        return false;
    }
    if (ctx->depth + 1 >= ACTIONS_MAX_DEPTH) {
        actions_error(lexer, "maximum depth of nested actions reached");
        return false;
    }

    struct action *a = actions_add(ctx, type);
    struct actions_ctx inner = {
        .lexer = lexer,
        .pp = ctx->pp,
        .scope = scope,
        .prereqs = keep ? ctx->prereqs : NULL,
        .acts = &a->nested,
        .depth = ctx->depth + 1,
    };
    if (!actions_parse_list(&inner, LEX_T_RCURLY)) {
        return false;
    }
    if (prereq) {
        actions_add_prereq(ctx, prereq);
    }
    return true;
}

/* "ct_commit", "ct_commit { ... }" or the older "ct_commit(...)". */
static bool
actions_parse_ct_commit(struct actions_ctx *ctx)
{
    struct lexer *lexer = ctx->lexer;

    if (lexer->token.type == LEX_T_LCURLY) {
        return actions_parse_block(ctx, ACTION_CT_COMMIT, "ip",
                                   ACTIONS_SCOPE_CT_COMMIT);
    } else if (lexer->token.type == LEX_T_LPAREN) {
        return actions_parse_ct_commit_v1(ctx);
    }
    actions_add(ctx, ACTION_CT_COMMIT);
    actions_add_prereq(ctx, "ip");
    return true;
}

/* "next;", "next(N);", "next(pipeline=P, table=N);" in any order. */
static bool
actions_parse_next(struct actions_ctx *ctx)
{
    struct lexer *lexer = ctx->lexer;
    const struct actions_params *pp = ctx->pp;
    enum actions_pipeline pipeline = pp->pipeline;
    int table = pp->cur_table + 1;

    if (lexer_match(lexer, LEX_T_LPAREN)) {
        if (lexer_is_int(lexer)) {
            lexer_get_int(lexer, &table);
        } else {
            do {
                if (lexer_match_id(lexer, "pipeline")) {
                    if (!lexer_force_match(lexer, LEX_T_EQUALS)) {
                        return false;
                    }
                    if (lexer_match_id(lexer, "ingress")) {
                        pipeline = ACTIONS_INGRESS;
                    } else if (lexer_match_id(lexer, "egress")) {
                        pipeline = ACTIONS_EGRESS;
                    } else {
                        lexer_syntax_error(lexer, "expecting \"ingress\" "
                                           "or \"egress\"");
                        return false;
                    }
                } else if (lexer_match_id(lexer, "table")) {
                    if (!lexer_force_match(lexer, LEX_T_EQUALS)
                        || !lexer_force_int(lexer, &table)) {
                        return false;
                    }
                } else {
                    lexer_syntax_error(lexer, "expecting \"pipeline\" or "
                                       "\"table\"");
                    return false;
                }
            } while (lexer_match(lexer, LEX_T_COMMA));
        }
        if (!lexer_force_match(lexer, LEX_T_RPAREN)) {
            return false;
        }
    }

    if ((unsigned int) table >= pp->n_tables) {
        actions_error(lexer, "\"next\" action cannot advance beyond table %u.",
                    pp->n_tables - 1);
        return false;
    }
    struct action *a = actions_add(ctx, ACTION_NEXT);
    a->next.pipeline = pipeline;
    a->next.table = table;
    a->next.src_pipeline = pp->pipeline;
    a->next.src_table = pp->cur_table;
    return true;
}

/* "push(F)" or "pop(F)". */
static bool
actions_parse_push_pop(struct actions_ctx *ctx, enum action_type type)
{
    struct lexer *lexer = ctx->lexer;
    struct action_field f;

    if (!lexer_force_match(lexer, LEX_T_LPAREN)
        || !actions_parse_field(ctx, &f)
        || !lexer_force_match(lexer, LEX_T_RPAREN)) {
        return false;
    }
    if (type == ACTION_POP && !actions_check_writable(ctx, &f)) {
        return false;
    }
    actions_field_prereqs(ctx, &f);
    actions_add(ctx, type)->field = f;
    return true;
}

/* "handle_svc_check(P)". */
static bool
actions_parse_handle_svc_check(struct actions_ctx *ctx)
{
    struct lexer *lexer = ctx->lexer;
    struct action_field f;

    if (!lexer_force_match(lexer, LEX_T_LPAREN)
        || !actions_parse_field(ctx, &f)
        || !actions_check_field(ctx, &f, 0, false)
        || !lexer_force_match(lexer, LEX_T_RPAREN)) {
        return false;
    }
    actions_add(ctx, ACTION_HANDLE_SVC_CHECK)->field = f;
    return true;
}

/* "F <-> F" ('exchange') or "F = F": the two fields must be of one kind
 * and width, and the destination (for an exchange both) writable. */
static bool
actions_parse_move(struct actions_ctx *ctx, const struct action_field *dst,
                   bool exchange)
{
    struct lexer *lexer = ctx->lexer;
    struct action_field src;

    if (!actions_parse_field(ctx, &src)) {
        return false;
    }

    bool dst_str = symtab_symbol_is_string(dst->symbol);
    bool src_str = symtab_symbol_is_string(src.symbol);
    if (dst_str != src_str) {
        if (exchange) {
            actions_error(lexer, "Can't exchange %s field (%s) with %s "
                          "field (%s).", dst_str ? "string" : "integer",
                          dst->symbol->name, src_str ? "string" : "integer",
                          src.symbol->name);
        } else {
            actions_error(lexer, "Can't assign %s field (%s) to %s field "
                          "(%s).", src_str ? "string" : "integer",
                          src.symbol->name, dst_str ? "string" : "integer",
                          dst->symbol->name);
        }
        return false;
    }
    if (dst->n_bits != src.n_bits) {
        if (exchange) {
            actions_error(lexer, "Can't exchange %u-bit field with %u-bit "
                          "field.", dst->n_bits, src.n_bits);
        } else {
            actions_error(lexer, "Can't assign %u-bit value to %u-bit "
                          "destination.", src.n_bits, dst->n_bits);
        }
        return false;
    }
    if (!actions_check_writable(ctx, dst)
        || (exchange && !actions_check_writable(ctx, &src))) {
        return false;
    }
    actions_field_prereqs(ctx, dst);
    actions_field_prereqs(ctx, &src);

    struct action *a = actions_add(ctx, exchange ? ACTION_EXCHANGE
                                                 : ACTION_MOVE);
    a->move.dst = *dst;
    a->move.src = src;
    return true;
}

/* "F = CONSTANT". */
static bool
actions_parse_load(struct actions_ctx *ctx, const struct action_field *dst)
{
    struct lexer *lexer = ctx->lexer;
    const struct lex_token *t = &lexer->token;
    const struct symtab_symbol *s = dst->symbol;

    if (t->type == LEX_T_MACRO) {
        lexer_syntax_error(lexer, "expecting address set name");
        return false;
    } else if (t->type == LEX_T_PORT_GROUP) {
        lexer_syntax_error(lexer, "expecting port group name");
        return false;
    } else if (t->type != LEX_T_INTEGER && t->type != LEX_T_MASKED_INTEGER
               && t->type != LEX_T_STRING) {
        lexer_syntax_error(lexer, "expecting constant");
        return false;
    }

    if (symtab_symbol_is_string(s) && t->type != LEX_T_STRING) {
        actions_error(lexer, "String field %s is not compatible with integer "
                    "constant.", s->name);
        return false;
    } else if (!symtab_symbol_is_string(s) && t->type == LEX_T_STRING) {
        actions_error(lexer, "Integer field %s is not compatible with string "
                    "constant.", s->name);
        return false;
    } else if (t->type != LEX_T_STRING && t->n_bits > s->width) {
        actions_error(lexer, "%u-bit constant is not compatible with %u-bit "
                    "field %s.", t->n_bits, s->width, s->name);
        return false;
    }
    actions_field_prereqs(ctx, dst);

    struct action *a = actions_add(ctx, ACTION_LOAD);
    a->load.dst = *dst;
    lex_token_clone(&a->load.value, t);
    a->load.value.start = a->load.value.end = 0;
    lexer_get(lexer);
    return true;
}

/* A function that takes no arguments and stores a bit in 'dst'. */
static bool
actions_parse_bit_function(struct actions_ctx *ctx, enum action_type type,
                           const char *name, const struct action_field *dst,
                           const char *prereq)
{
    struct lexer *lexer = ctx->lexer;

    if (!lexer_match(lexer, LEX_T_RPAREN)) {
        actions_error(lexer, "%s doesn't take any parameters", name);
        return false;
    }
    if (!actions_check_field(ctx, dst, 1, true)) {
        return false;
    }
    if (prereq) {
        actions_add_prereq(ctx, prereq);
    }
    actions_add(ctx, type)->field = *dst;
    return true;
}

/* The functions that may follow "F =", and what their result needs. */
static const struct {
    const char *name;
    enum action_type type;
} actions_functions[] = {
    { "put_dhcp_opts", ACTION_PUT_DHCPV4_OPTS },
    { "put_dhcpv6_opts", ACTION_PUT_DHCPV6_OPTS },
    { "put_nd_ra_opts", ACTION_PUT_ND_RA_OPTS },
    { "dns_lookup", ACTION_DNS_LOOKUP },
    { "lookup_arp", ACTION_LOOKUP_ARP },
    { "lookup_arp_ip", ACTION_LOOKUP_ARP_IP },
    { "lookup_nd", ACTION_LOOKUP_ND },
    { "lookup_nd_ip", ACTION_LOOKUP_ND_IP },
    { "get_fdb", ACTION_GET_FDB },
    { "lookup_fdb", ACTION_LOOKUP_FDB },
    { "check_pkt_larger", ACTION_CHECK_PKT_LARGER },
    { "check_in_port_sec", ACTION_CHECK_IN_PORT_SEC },
    { "check_out_port_sec", ACTION_CHECK_OUT_PORT_SEC },
    { "chk_lb_hairpin", ACTION_CHK_LB_HAIRPIN },
    { "chk_lb_hairpin_reply", ACTION_CHK_LB_HAIRPIN_REPLY },
    { "chk_ecmp_nh_mac", ACTION_CHK_ECMP_NH_MAC },
    { "chk_ecmp_nh", ACTION_CHK_ECMP_NH },
    { "chk_lb_aff", ACTION_CHK_LB_AFF },
    { "select", ACTION_SELECT },
};

/* Parses "F = function(...)" for the function 'type', named 'name', whose
 * name and '(' have been consumed (OVN checks 'dst' after the '('). */
static bool
actions_parse_function(struct actions_ctx *ctx, enum action_type type,
                       const char *name, const struct action_field *dst)
{
    switch (type) {
    case ACTION_PUT_DHCPV4_OPTS:
    case ACTION_PUT_DHCPV6_OPTS:
    case ACTION_PUT_ND_RA_OPTS:
        return actions_parse_opts(ctx, type, dst);
    case ACTION_LOOKUP_ARP: case ACTION_LOOKUP_ARP_IP:
    case ACTION_LOOKUP_ND: case ACTION_LOOKUP_ND_IP:
    case ACTION_GET_FDB: case ACTION_LOOKUP_FDB:
        return actions_parse_neigh(ctx, type, dst);
    case ACTION_CHECK_PKT_LARGER:
        return actions_parse_check_pkt_larger(ctx, dst);
    case ACTION_SELECT:
        return actions_parse_select(ctx, dst);
    case ACTION_DNS_LOOKUP:
        return actions_parse_bit_function(ctx, type, name, dst, "udp");
    default:
        return actions_parse_bit_function(ctx, type, name, dst, NULL);
    }
}

/* Parses an action that starts with a field: "F = ...", "F <-> F". */
static bool
actions_parse_set(struct actions_ctx *ctx)
{
    struct lexer *lexer = ctx->lexer;
    struct action_field dst;

    if (!actions_parse_field(ctx, &dst)) {
        return false;
    }
    if (lexer_match(lexer, LEX_T_EXCHANGE)) {
        return actions_parse_move(ctx, &dst, true);
    } else if (!lexer_match(lexer, LEX_T_EQUALS)) {
        lexer_syntax_error(lexer, "expecting `=' or `<->'");
        return false;
    }

    if (lexer->token.type == LEX_T_ID
        && lexer_lookahead(lexer) == LEX_T_LPAREN) {
        for (size_t i = 0; i < ARRAY_SIZE(actions_functions); i++) {
            if (lexer_match_id(lexer, actions_functions[i].name)) {
                lexer_get(lexer);
                return actions_parse_function(ctx, actions_functions[i].type,
                                              actions_functions[i].name,
                                              &dst);
            }
        }
    }
    if (lexer->token.type == LEX_T_ID) {
        return actions_parse_move(ctx, &dst, false);
    }
    return (actions_check_writable(ctx, &dst)
            && actions_parse_load(ctx, &dst));
}

/* The actions that start with a keyword.  A BARE one is just the
 * keyword, a BLOCK one is the keyword and a block, OTHER ones have their
 * own syntax.  'prereq' is what a BARE or BLOCK action implies. */
enum actions_kind { ACTIONS_BARE, ACTIONS_BLOCK, ACTIONS_OTHER };

static const struct actions_keyword {
    const char *name;
    enum action_type type;
    enum actions_kind kind;
    const char *prereq;
} actions_keywords[] = {
    { "output", ACTION_OUTPUT, ACTIONS_BARE, NULL },
    { "next", ACTION_NEXT, ACTIONS_OTHER, NULL },
    { "ip.ttl", ACTION_DEC_TTL, ACTIONS_OTHER, NULL },
    { "push", ACTION_PUSH, ACTIONS_OTHER, NULL },
    { "pop", ACTION_POP, ACTIONS_OTHER, NULL },
    { "ct_next", ACTION_CT_NEXT, ACTIONS_BARE, "ip" },
    { "ct_commit", ACTION_CT_COMMIT, ACTIONS_OTHER, NULL },
    { "ct_dnat", ACTION_CT_DNAT, ACTIONS_OTHER, NULL },
    { "ct_snat", ACTION_CT_SNAT, ACTIONS_OTHER, NULL },
    { "ct_dnat_in_czone", ACTION_CT_DNAT_IN_CZONE, ACTIONS_OTHER, NULL },
    { "ct_snat_in_czone", ACTION_CT_SNAT_IN_CZONE, ACTIONS_OTHER, NULL },
    { "ct_commit_nat", ACTION_CT_COMMIT_NAT, ACTIONS_BARE, "ip" },
    { "ct_lb", ACTION_CT_LB, ACTIONS_OTHER, NULL },
    { "ct_lb_mark", ACTION_CT_LB_MARK, ACTIONS_OTHER, NULL },
    { "ct_clear", ACTION_CT_CLEAR, ACTIONS_BARE, NULL },
    { "ct_snat_to_vip", ACTION_CT_SNAT_TO_VIP, ACTIONS_BARE, NULL },
    { "clone", ACTION_CLONE, ACTIONS_BLOCK, NULL },
    { "arp", ACTION_ARP, ACTIONS_BLOCK, "ip4" },
    { "nd_ns", ACTION_ND_NS, ACTIONS_BLOCK, "ip6" },
    { "nd_na", ACTION_ND_NA, ACTIONS_BLOCK, "nd_ns" },
    { "nd_na_router", ACTION_ND_NA_ROUTER, ACTIONS_BLOCK, "nd_ns" },
    { "icmp4", ACTION_ICMP4, ACTIONS_BLOCK, "ip4" },
    { "icmp4_error", ACTION_ICMP4_ERROR, ACTIONS_BLOCK, "ip4" },
    { "icmp6", ACTION_ICMP6, ACTIONS_BLOCK, "ip6" },
    { "icmp6_error", ACTION_ICMP6_ERROR, ACTIONS_BLOCK, "ip6" },
    { "tcp_reset", ACTION_TCP_RESET, ACTIONS_BLOCK, "tcp" },
    { "sctp_abort", ACTION_SCTP_ABORT, ACTIONS_BLOCK, "sctp" },
    { "reject", ACTION_REJECT, ACTIONS_BLOCK, NULL },
    { "get_arp", ACTION_GET_ARP, ACTIONS_OTHER, NULL },
    { "put_arp", ACTION_PUT_ARP, ACTIONS_OTHER, NULL },
    { "get_nd", ACTION_GET_ND, ACTIONS_OTHER, NULL },
    { "put_nd", ACTION_PUT_ND, ACTIONS_OTHER, NULL },
    { "put_fdb", ACTION_PUT_FDB, ACTIONS_OTHER, NULL },
    { "trigger_event", ACTION_TRIGGER_EVENT, ACTIONS_OTHER, NULL },
    { "handle_dhcpv6_reply", ACTION_HANDLE_DHCPV6_REPLY, ACTIONS_BARE,
      NULL },
    { "handle_bfd_msg", ACTION_HANDLE_BFD_MSG, ACTIONS_OTHER, NULL },
    { "handle_svc_check", ACTION_HANDLE_SVC_CHECK, ACTIONS_OTHER, NULL },
    { "bind_vport", ACTION_BIND_VPORT, ACTIONS_OTHER, NULL },
    { "igmp", ACTION_IGMP, ACTIONS_BARE, NULL },
    { "log", ACTION_LOG, ACTIONS_OTHER, NULL },
    { "set_queue", ACTION_SET_QUEUE, ACTIONS_OTHER, NULL },
    { "set_meter", ACTION_SET_METER, ACTIONS_OTHER, NULL },
    { "fwd_group", ACTION_FWD_GROUP, ACTIONS_OTHER, NULL },
    { "commit_ecmp_nh", ACTION_COMMIT_ECMP_NH, ACTIONS_OTHER, NULL },
    { "commit_lb_aff", ACTION_COMMIT_LB_AFF, ACTIONS_OTHER, NULL },
    { "sample", ACTION_SAMPLE, ACTIONS_OTHER, NULL },
};

static const struct actions_keyword *
actions_find_keyword(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(actions_keywords); i++) {
        if (!strcmp(actions_keywords[i].name, name)) {
            return &actions_keywords[i];
        }
    }
    return NULL;
}

/* "handle_bfd_msg()". */
static bool
actions_parse_handle_bfd_msg(struct actions_ctx *ctx)
{
    if (!lexer_force_match(ctx->lexer, LEX_T_LPAREN)
        || !lexer_force_match(ctx->lexer, LEX_T_RPAREN)) {
        return false;
    }
    actions_add(ctx, ACTION_HANDLE_BFD_MSG);
    return true;
}

/* Parses the rest of keyword action 'type' with its own syntax. */
static bool
actions_parse_other(struct actions_ctx *ctx, enum action_type type)
{
    switch (type) {
    case ACTION_NEXT:
        return actions_parse_next(ctx);
    case ACTION_DEC_TTL:
        if (!lexer_force_match(ctx->lexer, LEX_T_DECREMENT)) {
            return false;
        }
        actions_add(ctx, ACTION_DEC_TTL);
        actions_add_prereq(ctx, "ip");
        return true;
    case ACTION_PUSH:
    case ACTION_POP:
        return actions_parse_push_pop(ctx, type);
    case ACTION_CT_COMMIT:
        return actions_parse_ct_commit(ctx);
    case ACTION_CT_DNAT: case ACTION_CT_SNAT:
    case ACTION_CT_DNAT_IN_CZONE: case ACTION_CT_SNAT_IN_CZONE:
        return actions_parse_ct_nat(ctx, type);
    case ACTION_CT_LB:
    case ACTION_CT_LB_MARK:
        return actions_parse_ct_lb(ctx, type);
    case ACTION_GET_ARP: case ACTION_PUT_ARP: case ACTION_GET_ND:
    case ACTION_PUT_ND: case ACTION_PUT_FDB:
        return actions_parse_neigh(ctx, type, NULL);
    case ACTION_TRIGGER_EVENT:
        return actions_parse_trigger_event(ctx);
    case ACTION_HANDLE_BFD_MSG:
        return actions_parse_handle_bfd_msg(ctx);
    case ACTION_HANDLE_SVC_CHECK:
        return actions_parse_handle_svc_check(ctx);
    case ACTION_BIND_VPORT:
        return actions_parse_bind_vport(ctx);
    case ACTION_LOG:
        return actions_parse_log(ctx);
    case ACTION_SET_QUEUE:
        return actions_parse_set_queue(ctx);
    case ACTION_SET_METER:
        return actions_parse_set_meter(ctx);
    case ACTION_FWD_GROUP:
        return actions_parse_fwd_group(ctx);
    case ACTION_COMMIT_ECMP_NH:
        return actions_parse_commit_ecmp_nh(ctx);
    case ACTION_COMMIT_LB_AFF:
        return actions_parse_commit_lb_aff(ctx);
    case ACTION_SAMPLE:
        return actions_parse_sample(ctx);
    default:
        util_abort("unexpected action type %d", type);
    }
}

/* Parses one action and the ';' that ends it. */
static bool
actions_parse_action(struct actions_ctx *ctx)
{
    struct lexer *lexer = ctx->lexer;
    const struct actions_keyword *k;

    if (lexer->token.type != LEX_T_ID) {
        lexer_syntax_error(lexer, NULL);
        return false;
    }

    enum lex_type next = lexer_lookahead(lexer);
    if (next == LEX_T_EQUALS || next == LEX_T_EXCHANGE
        || next == LEX_T_LSQUARE) {
        actions_parse_set(ctx);
    } else if (!(k = actions_find_keyword(lexer->token.s))) {
        lexer_syntax_error(lexer, "expecting action");
    } else {
        lexer_get(lexer);
        if (k->kind == ACTIONS_BARE) {
            actions_add(ctx, k->type);
            actions_add_prereq(ctx, k->prereq ? k->prereq : "");
        } else if (k->kind == ACTIONS_BLOCK) {
            /* As in OVN, clone resets the scope and the other blocks
             * inherit it: "ct_commit { arp { eth.dst = ...; }; };" may
             * not write eth.dst. */
            actions_parse_block(ctx, k->type, k->prereq,
                                k->type == ACTION_CLONE ? ACTIONS_SCOPE_NORMAL
                                : ctx->scope);
        } else {
            actions_parse_other(ctx, k->type);
        }
    }
    if (!lexer->error) {
        lexer_force_match(lexer, LEX_T_SEMICOLON);
    }
    return !lexer->error;
}

/* Parses actions up to 'end' (LEX_T_END or LEX_T_RCURLY), which it
 * consumes.  "drop;" alone stands for the empty list. */
static bool
actions_parse_list(struct actions_ctx *ctx, enum lex_type end)
{
    struct lexer *lexer = ctx->lexer;

    if (lexer_is_id(lexer, "drop")
        && lexer_lookahead(lexer) == LEX_T_SEMICOLON) {
        lexer_get(lexer);
        lexer_get(lexer);
        return lexer_force_match(lexer, end);
    }
    while (!lexer_match(lexer, end)) {
        if (!actions_parse_action(ctx)) {
            return false;
        }
    }
    return true;
}

char *
actions_parse_lexer(struct lexer *lexer, const struct actions_params *pp,
                    struct action_list *acts, struct ds *prereqs)
{
    size_t prereqs_len = prereqs ? prereqs->length : 0;
    struct actions_ctx ctx = {
        .lexer = lexer,
        .pp = pp,
        .scope = ACTIONS_SCOPE_NORMAL,
        .prereqs = prereqs,
        .acts = acts,
    };

    action_list_init(acts);
    actions_parse_list(&ctx, LEX_T_END);

    char *error = lexer_steal_error(lexer);
    if (error) {
        action_list_destroy(acts);
        if (prereqs) {
            ds_truncate(prereqs, prereqs_len);
        }
    }
    return error;
}

char *
actions_parse(const char *input, const struct actions_params *pp,
              struct action_list *acts, struct ds *prereqs)
{
    struct lexer lexer;

    lexer_init(&lexer, input);
    lexer_get(&lexer);
    char *error = actions_parse_lexer(&lexer, pp, acts, prereqs);
    lexer_destroy(&lexer);
    return error;
}
