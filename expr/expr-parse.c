/* expr-parse: the parser of match expressions.  See expr.h.
 *
 * Grammar (OVN 23.03), with '!' binding tighter than && and ||, which may
 * not be mixed without parentheses:
 *
 *     expr     := not (("&&" not)* | ("||" not)*)
 *     not      := "!" primary | primary
 *     primary  := "(" expr ")"
 *               | ID "(" STRING ")"                  is_chassis_resident
 *               | field [relop constants]            bare: 1-bit only
 *               | constants relop field [relop constants]    (a range)
 *               | "0" | "1"
 *     field    := ID ["[" INT [".." INT] "]"]
 *     constants:= constant | "{" constant [","] ... "}"
 *     constant := INTEGER | MASKED_INTEGER | STRING | $set | @group
 *
 * The operand of '!' may not be a comparison ("!reg0 == 1" is refused);
 * the parser tracks how many '!' enclose the current point so that the
 * nominal-field rules see the comparison's final sense.  Error messages
 * are OVN's. */
#include "expr/expr.h"

#include <stdint.h>
#include <string.h>

#include "ds.h"
#include "expr/expr-private.h"
#include "util.h"

/* Deepest parenthesis nesting accepted, to bound recursion. */
#define EXPR_MAX_DEPTH 128

struct expr_parser {
    struct lexer *lexer;
    const struct expr_env *env;
    bool not;                   /* Inside an odd number of '!'s. */
    int depth;                  /* Parentheses open. */
};

/* Constants read for one side of a comparison. */
struct expr_parsed_set {
    struct expr_const_set set;
    bool typed;                 /* Is 'set.is_string' known yet? */
    bool braces;                /* Written as "{...}". */
    bool literal;               /* A lone decimal integer token. */
};

static struct expr *expr_parse_or_and(struct expr_parser *);

/* Fields. */

static bool
expr_parse_slice(struct lexer *lexer, struct expr_field *f)
{
    const struct symtab_symbol *s = f->symbol;
    int lo, hi;

    if (symtab_symbol_is_string(s)) {
        lexer_error(lexer, "Cannot select subfield of string field %s.",
                    s->name);
        return false;
    } else if (s->kind == SYMTAB_FIELD && s->level == SYMTAB_NOMINAL) {
        lexer_error(lexer, "Cannot select subfield of nominal field %s.",
                    s->name);
        return false;
    }
    if (!lexer_force_int(lexer, &lo)) {
        return false;
    }
    hi = lo;
    if (lexer_match(lexer, LEX_T_ELLIPSIS) && !lexer_force_int(lexer, &hi)) {
        return false;
    }
    if (!lexer_force_match(lexer, LEX_T_RSQUARE)) {
        return false;
    }
    if (hi < lo) {
        lexer_error(lexer, "Invalid bit range %d to %d.", lo, hi);
        return false;
    } else if ((unsigned int) hi >= s->width) {
        lexer_error(lexer, "Cannot select bits %d to %d of %u-bit field %s.",
                    lo, hi, s->width, s->name);
        return false;
    }
    f->ofs = lo;
    f->n_bits = hi - lo + 1;
    return true;
}

/* Parses a field or predicate reference, with an optional slice. */
static bool
expr_parse_field__(struct lexer *lexer, const struct symtab *symtab,
                   struct expr_field *f)
{
    const struct symtab_symbol *s = NULL;

    if (lexer->token.type == LEX_T_ID) {
        s = symtab_lookup(symtab, lexer->token.s);
    }
    if (!s) {
        lexer_syntax_error(lexer, "expecting field name");
        return false;
    }
    lexer_get(lexer);
    f->symbol = s;
    f->ofs = 0;
    f->n_bits = s->width;
    return (lexer_match(lexer, LEX_T_LSQUARE)
            ? expr_parse_slice(lexer, f) : true);
}

bool
expr_field_parse(struct lexer *lexer, const struct symtab *symtab,
                 struct expr_field *f)
{
    if (lexer->token.type == LEX_T_ID) {
        const struct symtab_symbol *s = symtab_lookup(symtab,
                                                      lexer->token.s);
        if (s && s->kind == SYMTAB_PREDICATE) {
            lexer_error(lexer, "Predicate symbol %s used where lvalue "
                        "required.", s->name);
            return false;
        }
    }
    return expr_parse_field__(lexer, symtab, f);
}

void
expr_field_format(const struct expr_field *f, struct ds *s)
{
    ds_put_cstr(s, f->symbol->name);
    if (f->n_bits && f->n_bits != f->symbol->width) {
        if (f->n_bits == 1) {
            ds_put_format(s, "[%u]", f->ofs);
        } else {
            ds_put_format(s, "[%u..%u]", f->ofs, f->ofs + f->n_bits - 1);
        }
    }
}

/* Constants. */

static bool
expr_set_type_ok(struct expr_parser *p, struct expr_parsed_set *ps,
                 bool is_string)
{
    if (ps->typed && ps->set.is_string != is_string) {
        lexer_syntax_error(p->lexer, "expecting %s",
                           ps->set.is_string ? "string" : "integer");
        return false;
    }
    ps->typed = true;
    ps->set.is_string = is_string;
    return true;
}

static void
expr_set_append(struct expr_parsed_set *ps, const struct expr_constant *c)
{
    struct expr_const_set *set = &ps->set;
    if (set->n_values >= set->allocated) {
        set->values = x2nrealloc(set->values, &set->allocated,
                                 sizeof *set->values);
    }
    set->values[set->n_values] = *c;
    set->values[set->n_values].string = c->string ? xstrdup(c->string)
                                                  : NULL;
    set->n_values++;
}

/* Appends the named address set or port group at the current token. */
static bool
expr_parse_named_set(struct expr_parser *p, struct expr_parsed_set *ps)
{
    const struct lex_token *t = &p->lexer->token;
    bool is_pg = t->type == LEX_T_PORT_GROUP;
    const struct expr_const_set *named = NULL;

    if (is_pg && p->env->port_group) {
        named = p->env->port_group(p->env->aux, t->s);
    } else if (!is_pg && p->env->addr_set) {
        named = p->env->addr_set(p->env->aux, t->s);
    }
    if (!named) {
        lexer_syntax_error(p->lexer, "expecting %s",
                           is_pg ? "port group name" : "address set name");
        return false;
    }
    if (!expr_set_type_ok(p, ps, named->is_string)) {
        return false;
    }
    for (size_t i = 0; i < named->n_values; i++) {
        expr_set_append(ps, &named->values[i]);
    }
    lexer_get(p->lexer);
    return true;
}

static bool
expr_parse_constant(struct expr_parser *p, struct expr_parsed_set *ps)
{
    const struct lex_token *t = &p->lexer->token;
    struct expr_constant c;

    switch (t->type) {
    case LEX_T_INTEGER:
    case LEX_T_MASKED_INTEGER:
        if (!expr_set_type_ok(p, ps, false)) {
            return false;
        }
        expr_constant_from_token(&c, t);
        expr_set_append(ps, &c);
        break;
    case LEX_T_STRING:
        if (!expr_set_type_ok(p, ps, true)) {
            return false;
        }
        memset(&c, 0, sizeof c);
        c.string = t->s;
        expr_set_append(ps, &c);
        break;
    case LEX_T_MACRO:
    case LEX_T_PORT_GROUP:
        return expr_parse_named_set(p, ps);
    default:
        lexer_syntax_error(p->lexer, "expecting constant");
        return false;
    }
    lexer_get(p->lexer);
    return true;
}

/* Parses one constant or a "{...}" set of them into 'ps' (which the caller
 * must destroy whatever the result). */
static bool
expr_parse_constants(struct expr_parser *p, struct expr_parsed_set *ps)
{
    memset(ps, 0, sizeof *ps);
    if (!lexer_match(p->lexer, LEX_T_LCURLY)) {
        const struct lex_token *t = &p->lexer->token;
        ps->literal = (t->type == LEX_T_INTEGER
                       && t->format == LEX_F_DECIMAL);
        return expr_parse_constant(p, ps);
    }

    ps->braces = true;
    do {
        if (!expr_parse_constant(p, ps)) {
            return false;
        }
        lexer_match(p->lexer, LEX_T_COMMA);
    } while (!lexer_match(p->lexer, LEX_T_RCURLY));
    return true;
}

/* Comparisons. */

static bool
expr_relop_from_token(enum lex_type type, enum expr_relop *relop)
{
    switch (type) {
    case LEX_T_EQ: *relop = EXPR_R_EQ; return true;
    case LEX_T_NE: *relop = EXPR_R_NE; return true;
    case LEX_T_LT: *relop = EXPR_R_LT; return true;
    case LEX_T_LE: *relop = EXPR_R_LE; return true;
    case LEX_T_GT: *relop = EXPR_R_GT; return true;
    case LEX_T_GE: *relop = EXPR_R_GE; return true;
    default: return false;
    }
}

/* "c < f" is "f > c". */
static enum expr_relop
expr_relop_reverse(enum expr_relop relop)
{
    switch (relop) {
    case EXPR_R_LT: return EXPR_R_GT;
    case EXPR_R_LE: return EXPR_R_GE;
    case EXPR_R_GT: return EXPR_R_LT;
    case EXPR_R_GE: return EXPR_R_LE;
    case EXPR_R_EQ:
    case EXPR_R_NE:
    default:
        return relop;
    }
}

static bool
expr_relop_is_ordering(enum expr_relop relop)
{
    return relop != EXPR_R_EQ && relop != EXPR_R_NE;
}

/* Builds the comparison of field 'f' with constant 'c'. */
static struct expr *
expr_make_cmp(const struct expr_field *f, enum expr_relop relop,
              const struct expr_constant *c)
{
    struct expr *e;

    if (c->string) {
        return expr_create_string_cmp(f->symbol, relop, c->string);
    }

    struct u128 mask = u128_and(c->mask, u128_low_mask(f->n_bits));
    struct u128 value = u128_and(c->value, mask);
    e = expr_create_cmp(f->symbol, relop, u128_shl(value, f->ofs),
                        u128_shl(mask, f->ofs));
    e->cmp.ofs = f->ofs;
    e->cmp.n_bits = f->n_bits;
    e->cmp.format = c->format;
    e->cmp.mask_format = c->mask_format;
    e->cmp.masked = c->masked;
    return e;
}

/* Checks the constants' types and widths against 'f' and 'relop'. */
static bool
expr_check_constants(struct expr_parser *p, const struct expr_field *f,
                     enum expr_relop relop, const struct expr_parsed_set *ps)
{
    const struct symtab_symbol *s = f->symbol;
    const struct expr_const_set *set = &ps->set;
    bool is_string = symtab_symbol_is_string(s);

    if (ps->typed && set->is_string != is_string) {
        lexer_error(p->lexer, is_string
                    ? "String field %s is not compatible with integer "
                      "constant."
                    : "Integer field %s is not compatible with string "
                      "constant.", s->name);
        return false;
    }
    for (size_t i = 0; !is_string && i < set->n_values; i++) {
        if (set->values[i].n_bits > s->width) {
            lexer_error(p->lexer, "%u-bit constant is not compatible with "
                        "%u-bit field %s.", set->values[i].n_bits, s->width,
                        s->name);
            return false;
        }
    }
    if (!expr_relop_is_ordering(relop)) {
        return true;
    }
    if (s->level == SYMTAB_NOMINAL) {
        lexer_error(p->lexer, "Only == and != operators may be used with "
                    "nominal field %s.", s->name);
        return false;
    } else if (ps->braces) {
        lexer_error(p->lexer, "Only == and != operators may be used with "
                    "value sets.");
        return false;
    }
    for (size_t i = 0; i < set->n_values; i++) {
        if (set->values[i].masked) {
            lexer_error(p->lexer, "Only == and != operators may be used "
                        "with masked constants.  Consider using subfields "
                        "instead (e.g. eth.src[0..15] > 0x1111 in place of "
                        "eth.src > 00:00:00:00:11:11/00:00:00:00:ff:ff).");
            return false;
        }
    }
    return true;
}

/* Returns the value of 'e', a tree of comparisons of one integer symbol,
 * for a packet in which that symbol is 0. */
static bool
expr_holds_at_zero(const struct expr *e)
{
    switch (e->type) {
    case EXPR_T_CMP:
        return expr_cmp_test(&e->cmp, u128_zero());
    case EXPR_T_AND:
    case EXPR_T_OR:
        for (size_t i = 0; i < e->andor.n_subs; i++) {
            bool sub = expr_holds_at_zero(e->andor.subs[i]);
            if (sub != (e->type == EXPR_T_AND)) {
                return sub;
            }
        }
        return e->type == EXPR_T_AND;
    case EXPR_T_BOOLEAN:
        return e->boolean;
    case EXPR_T_CONDITION:
    default:
        return false;
    }
}

/* Checks OVN's rules for nominal symbols on 'e', the comparison of 'f'
 * with 'relop', given the '!'s that enclose it. */
static bool
expr_check_nominal(struct expr_parser *p, const struct expr_field *f,
                   enum expr_relop relop, const struct expr *e)
{
    const struct symtab_symbol *s = f->symbol;

    if (s->level != SYMTAB_NOMINAL) {
        return true;
    } else if (s->kind == SYMTAB_PREDICATE) {
        /* The test must fail for a packet that lacks the predicate. */
        if (expr_holds_at_zero(e) != p->not) {
            lexer_error(p->lexer, "Nominal predicate %s may only be tested "
                        "positively, e.g. `%s' or `%s == 1' but not `!%s' "
                        "or `%s == 0'.", s->name, s->name, s->name, s->name,
                        s->name);
            return false;
        }
    } else if ((relop == EXPR_R_NE) != p->not) {
        lexer_error(p->lexer, "Nominal field %s may only be tested for "
                    "equality (taking enclosing `!' operators into "
                    "account).", s->name);
        return false;
    }
    return true;
}

/* Builds "f relop constants" from 'ps', or reports an error. */
static struct expr *
expr_build_cmps(struct expr_parser *p, const struct expr_field *f,
                enum expr_relop relop, const struct expr_parsed_set *ps)
{
    const struct expr_const_set *set = &ps->set;
    struct expr *e;

    if (f->symbol->access == SYMTAB_WO) {
        /* OVN accepts these and then crashes (ovn-trace does). */
        lexer_error(p->lexer, "Field %s may only be assigned, not matched.",
                    f->symbol->name);
        return NULL;
    }
    if (!expr_check_constants(p, f, relop, ps)) {
        return NULL;
    }
    if (!set->n_values) {
        e = expr_create_boolean(relop != EXPR_R_EQ);
    } else if (set->n_values == 1) {
        e = expr_make_cmp(f, relop, &set->values[0]);
    } else {
        e = expr_create_andor(relop == EXPR_R_EQ ? EXPR_T_OR : EXPR_T_AND);
        for (size_t i = 0; i < set->n_values; i++) {
            expr_andor_add(e, expr_make_cmp(f, relop, &set->values[i]));
        }
    }
    if (!expr_check_nominal(p, f, relop, e)) {
        expr_destroy(e);
        return NULL;
    }
    return e;
}

/* Parses what follows field 'f': a relation and constants, or nothing for
 * a 1-bit field used bare. */
static struct expr *
expr_parse_field_cmp(struct expr_parser *p, const struct expr_field *f,
                     bool allow_relop)
{
    struct expr_parsed_set ps;
    enum expr_relop relop;
    struct expr *e = NULL;

    if (!expr_relop_from_token(p->lexer->token.type, &relop)) {
        if (symtab_symbol_is_string(f->symbol)
            || p->lexer->token.type == LEX_T_EQUALS) {
            lexer_syntax_error(p->lexer, "expecting relational operator");
            return NULL;
        } else if (f->n_bits != 1) {
            lexer_error(p->lexer, "Explicit `!= 0' is required for "
                        "inequality test of multibit field against 0.");
            return NULL;
        }
        struct expr_constant one = {
            .value = u128_from_u64(1), .mask = u128_low_mask(128),
            .format = LEX_F_DECIMAL, .mask_format = LEX_F_DECIMAL,
            .n_bits = 1,
        };
        memset(&ps, 0, sizeof ps);
        ps.typed = true;
        expr_set_append(&ps, &one);
        e = expr_build_cmps(p, f, EXPR_R_EQ, &ps);
    } else if (!allow_relop) {
        lexer_error(p->lexer, "Missing parentheses around operand of !.");
        return NULL;
    } else {
        lexer_get(p->lexer);
        if (expr_parse_constants(p, &ps)) {
            e = expr_build_cmps(p, f, relop, &ps);
        }
    }
    expr_const_set_destroy(&ps.set);
    return e;
}

/* Parses "constants relop field [relop constants]" or a literal 0 or 1. */
static struct expr *
expr_parse_constant_first(struct expr_parser *p, bool allow_relop)
{
    struct expr_parsed_set ps1, ps2;
    enum expr_relop relop1, relop2;
    struct expr *e = NULL, *e2;
    struct expr_field f;

    if (!expr_parse_constants(p, &ps1)) {
        goto out1;
    }
    if (!expr_relop_from_token(p->lexer->token.type, &relop1)) {
        const struct expr_constant *c = ps1.literal ? &ps1.set.values[0]
                                                    : NULL;
        if (c && !c->masked && !c->value.hi && c->value.lo <= 1) {
            e = expr_create_boolean(c->value.lo);
        } else {
            lexer_syntax_error(p->lexer, "expecting relational operator");
        }
        goto out1;
    } else if (!allow_relop) {
        lexer_error(p->lexer, "Missing parentheses around operand of !.");
        goto out1;
    }
    lexer_get(p->lexer);
    if (!expr_parse_field__(p->lexer, p->env->symtab, &f)) {
        goto out1;
    }
    e = expr_build_cmps(p, &f, expr_relop_reverse(relop1), &ps1);
    if (!e || !expr_relop_from_token(p->lexer->token.type, &relop2)) {
        goto out1;
    }

    /* A range: "x < f < y" or "x > f > y", with <= and >= too.  OVN reads
     * the second constant before it checks the form. */
    lexer_get(p->lexer);
    bool lt1 = relop1 == EXPR_R_LT || relop1 == EXPR_R_LE;
    bool lt2 = relop2 == EXPR_R_LT || relop2 == EXPR_R_LE;
    bool gt1 = relop1 == EXPR_R_GT || relop1 == EXPR_R_GE;
    bool gt2 = relop2 == EXPR_R_GT || relop2 == EXPR_R_GE;
    e2 = NULL;
    if (expr_parse_constants(p, &ps2)) {
        if (!(lt1 && lt2) && !(gt1 && gt2)) {
            lexer_error(p->lexer, "Range expressions must have the form "
                        "`x < field < y' or `x > field > y', with each `<' "
                        "optionally replaced by `<=' or `>' by `>=').");
        } else {
            e2 = expr_build_cmps(p, &f, relop2, &ps2);
        }
    }
    if (e2) {
        e = expr_combine(EXPR_T_AND, e, e2);
    } else {
        expr_destroy(e);
        e = NULL;
    }
    expr_const_set_destroy(&ps2.set);
out1:
    expr_const_set_destroy(&ps1.set);
    return e;
}

/* Parses "NAME(...)" with the current token at NAME. */
static struct expr *
expr_parse_function(struct expr_parser *p)
{
    struct lexer *lexer = p->lexer;
    struct expr *e;

    if (strcmp(lexer->token.s, "is_chassis_resident")) {
        lexer_error(lexer, "parsing function name");
        return NULL;
    }
    lexer_get(lexer);
    lexer_get(lexer);           /* "(" */
    if (lexer->token.type != LEX_T_STRING) {
        lexer_syntax_error(lexer, "expecting string");
        return NULL;
    }
    e = expr_create_condition(lexer->token.s, false);
    lexer_get(lexer);
    if (!lexer_force_match(lexer, LEX_T_RPAREN)) {
        expr_destroy(e);
        return NULL;
    }
    return e;
}

static struct expr *
expr_parse_primary(struct expr_parser *p, bool allow_relop)
{
    struct lexer *lexer = p->lexer;

    if (lexer_match(lexer, LEX_T_LPAREN)) {
        if (p->depth >= EXPR_MAX_DEPTH) {
            lexer_error(lexer, "Parentheses nested too deeply (more than "
                        "%d levels).", EXPR_MAX_DEPTH);
            return NULL;
        }
        p->depth++;
        struct expr *e = expr_parse_or_and(p);
        p->depth--;
        if (e && !lexer_force_match(lexer, LEX_T_RPAREN)) {
            expr_destroy(e);
            return NULL;
        }
        return e;
    } else if (lexer->token.type == LEX_T_ID
               && lexer_lookahead(lexer) == LEX_T_LPAREN) {
        return expr_parse_function(p);
    } else if (lexer->token.type == LEX_T_ID) {
        struct expr_field f;
        if (!expr_parse_field__(lexer, p->env->symtab, &f)) {
            return NULL;
        }
        return expr_parse_field_cmp(p, &f, allow_relop);
    }
    return expr_parse_constant_first(p, allow_relop);
}

static struct expr *
expr_parse_not(struct expr_parser *p)
{
    if (!lexer_match(p->lexer, LEX_T_LOG_NOT)) {
        return expr_parse_primary(p, true);
    }
    p->not = !p->not;
    struct expr *e = expr_parse_primary(p, false);
    p->not = !p->not;
    return e ? expr_not(e) : NULL;
}

static struct expr *
expr_parse_or_and(struct expr_parser *p)
{
    struct lexer *lexer = p->lexer;
    struct expr *e = expr_parse_not(p);
    enum lex_type op = lexer->token.type;

    if (!e || (op != LEX_T_LOG_AND && op != LEX_T_LOG_OR)) {
        return e;
    }
    enum expr_type type = op == LEX_T_LOG_AND ? EXPR_T_AND : EXPR_T_OR;
    while (lexer_match(lexer, op)) {
        struct expr *sub = expr_parse_not(p);
        if (!sub) {
            expr_destroy(e);
            return NULL;
        }
        e = expr_combine(type, e, sub);
    }
    if (lexer->token.type == LEX_T_LOG_AND
        || lexer->token.type == LEX_T_LOG_OR) {
        lexer_error(lexer, "&& and || must be parenthesized when used "
                    "together.");
        expr_destroy(e);
        return NULL;
    }
    return e;
}

struct expr *
expr_parse(struct lexer *lexer, const struct expr_env *env)
{
    struct expr_parser p = { .lexer = lexer, .env = env };
    struct expr *e = expr_parse_or_and(&p);

    if (lexer->error) {
        expr_destroy(e);
        return NULL;
    }
    return e;
}

struct expr *
expr_parse_string(const char *string, const struct expr_env *env,
                  char **errorp)
{
    return expr_parse_string_at(string, env, errorp, NULL);
}

struct expr *
expr_parse_string_at(const char *string, const struct expr_env *env,
                     char **errorp, size_t *error_posp)
{
    struct lexer lexer;
    struct expr *e;

    lexer_init(&lexer, string);
    lexer_get(&lexer);
    e = expr_parse(&lexer, env);
    if (e && !lexer_force_end(&lexer)) {
        expr_destroy(e);
        e = NULL;
    }
    if (error_posp) {
        *error_posp = lexer.error ? lexer.error_pos : SIZE_MAX;
    }
    *errorp = lexer_steal_error(&lexer);
    lexer_destroy(&lexer);
    return e;
}
