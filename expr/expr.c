/* expr: construction, negation, copying, comparison and evaluation of
 * match expressions.  See expr.h. */
#include "expr/expr.h"

#include <string.h>

#include "expr/expr-private.h"
#include "util.h"

const char *
expr_relop_to_string(enum expr_relop relop)
{
    switch (relop) {
    case EXPR_R_EQ: return "==";
    case EXPR_R_NE: return "!=";
    case EXPR_R_LT: return "<";
    case EXPR_R_LE: return "<=";
    case EXPR_R_GT: return ">";
    case EXPR_R_GE: return ">=";
    }
    return "?";
}

enum expr_relop
expr_relop_negate(enum expr_relop relop)
{
    switch (relop) {
    case EXPR_R_EQ: return EXPR_R_NE;
    case EXPR_R_NE: return EXPR_R_EQ;
    case EXPR_R_LT: return EXPR_R_GE;
    case EXPR_R_LE: return EXPR_R_GT;
    case EXPR_R_GT: return EXPR_R_LE;
    case EXPR_R_GE: return EXPR_R_LT;
    }
    return relop;
}

static struct expr *
expr_alloc(enum expr_type type)
{
    struct expr *e = xzalloc(sizeof *e);
    e->type = type;
    return e;
}

struct expr *
expr_create_boolean(bool b)
{
    struct expr *e = expr_alloc(EXPR_T_BOOLEAN);
    e->boolean = b;
    return e;
}

struct expr *
expr_create_andor(enum expr_type type)
{
    ASSERT(type == EXPR_T_AND || type == EXPR_T_OR);
    return expr_alloc(type);
}

struct expr *
expr_create_condition(const char *port, bool negated)
{
    struct expr *e = expr_alloc(EXPR_T_CONDITION);
    e->cond.port = xstrdup(port);
    e->cond.negated = negated;
    return e;
}

struct expr *
expr_create_cmp(const struct symtab_symbol *symbol, enum expr_relop relop,
                struct u128 value, struct u128 mask)
{
    struct expr *e = expr_alloc(EXPR_T_CMP);

    ASSERT(symbol->width);
    mask = u128_and(mask, u128_low_mask(symbol->width));
    e->cmp.symbol = symbol;
    e->cmp.relop = relop;
    e->cmp.value = u128_and(value, mask);
    e->cmp.mask = mask;
    e->cmp.ofs = 0;
    e->cmp.n_bits = symbol->width;
    e->cmp.format = LEX_F_HEXADECIMAL;
    e->cmp.mask_format = LEX_F_HEXADECIMAL;
    e->cmp.masked = !u128_equals(mask, u128_low_mask(symbol->width));
    return e;
}

struct expr *
expr_create_string_cmp(const struct symtab_symbol *symbol,
                       enum expr_relop relop, const char *string)
{
    struct expr *e = expr_alloc(EXPR_T_CMP);

    ASSERT(symtab_symbol_is_string(symbol));
    e->cmp.symbol = symbol;
    e->cmp.relop = relop;
    e->cmp.string = xstrdup(string);
    return e;
}

void
expr_andor_add(struct expr *andor, struct expr *sub)
{
    if (sub->type == andor->type) {
        for (size_t i = 0; i < sub->andor.n_subs; i++) {
            expr_andor_add(andor, sub->andor.subs[i]);
        }
        sub->andor.n_subs = 0;
        expr_destroy(sub);
        return;
    }
    if (andor->andor.n_subs >= andor->andor.allocated) {
        andor->andor.subs = x2nrealloc(andor->andor.subs,
                                       &andor->andor.allocated,
                                       sizeof *andor->andor.subs);
    }
    andor->andor.subs[andor->andor.n_subs++] = sub;
}

struct expr *
expr_combine(enum expr_type type, struct expr *a, struct expr *b)
{
    if (!a) {
        return b;
    } else if (!b) {
        return a;
    } else if (a->type == type) {
        expr_andor_add(a, b);
        return a;
    }

    struct expr *e = expr_create_andor(type);
    expr_andor_add(e, a);
    expr_andor_add(e, b);
    return e;
}

struct expr *
expr_not(struct expr *e)
{
    switch (e->type) {
    case EXPR_T_CMP:
        e->cmp.relop = expr_relop_negate(e->cmp.relop);
        break;
    case EXPR_T_AND:
    case EXPR_T_OR:
        e->type = e->type == EXPR_T_AND ? EXPR_T_OR : EXPR_T_AND;
        for (size_t i = 0; i < e->andor.n_subs; i++) {
            e->andor.subs[i] = expr_not(e->andor.subs[i]);
        }
        break;
    case EXPR_T_BOOLEAN:
        e->boolean = !e->boolean;
        break;
    case EXPR_T_CONDITION:
        e->cond.negated = !e->cond.negated;
        break;
    }
    return e;
}

struct expr *
expr_clone(const struct expr *e)
{
    struct expr *c = xmemdup(e, sizeof *e);

    switch (e->type) {
    case EXPR_T_CMP:
        c->cmp.string = e->cmp.string ? xstrdup(e->cmp.string) : NULL;
        break;
    case EXPR_T_AND:
    case EXPR_T_OR:
        c->andor.subs = xmalloc(MAX(e->andor.n_subs, 1)
                                * sizeof *c->andor.subs);
        c->andor.allocated = MAX(e->andor.n_subs, 1);
        for (size_t i = 0; i < e->andor.n_subs; i++) {
            c->andor.subs[i] = expr_clone(e->andor.subs[i]);
        }
        break;
    case EXPR_T_BOOLEAN:
        break;
    case EXPR_T_CONDITION:
        c->cond.port = xstrdup(e->cond.port);
        break;
    }
    return c;
}

void
expr_destroy(struct expr *e)
{
    if (!e) {
        return;
    }
    switch (e->type) {
    case EXPR_T_CMP:
        free(e->cmp.string);
        break;
    case EXPR_T_AND:
    case EXPR_T_OR:
        for (size_t i = 0; i < e->andor.n_subs; i++) {
            expr_destroy(e->andor.subs[i]);
        }
        free(e->andor.subs);
        break;
    case EXPR_T_BOOLEAN:
        break;
    case EXPR_T_CONDITION:
        free(e->cond.port);
        break;
    }
    free(e);
}

/* Comparison. */

static int
expr_compare_cmp(const struct expr_cmp *a, const struct expr_cmp *b)
{
    int d;

    if (a->symbol != b->symbol) {
        d = strcmp(a->symbol->name, b->symbol->name);
        if (d) {
            return d;
        }
        return a->symbol < b->symbol ? -1 : 1;
    }
    if (a->relop != b->relop) {
        return a->relop < b->relop ? -1 : 1;
    }
    if (a->string || b->string) {
        return strcmp(a->string ? a->string : "", b->string ? b->string : "");
    }
    d = u128_compare(a->mask, b->mask);
    return d ? d : u128_compare(a->value, b->value);
}

int
expr_compare(const struct expr *a, const struct expr *b)
{
    if (a->type != b->type) {
        return a->type < b->type ? -1 : 1;
    }
    switch (a->type) {
    case EXPR_T_CMP:
        return expr_compare_cmp(&a->cmp, &b->cmp);
    case EXPR_T_AND:
    case EXPR_T_OR:
        for (size_t i = 0; i < a->andor.n_subs && i < b->andor.n_subs; i++) {
            int d = expr_compare(a->andor.subs[i], b->andor.subs[i]);
            if (d) {
                return d;
            }
        }
        return (a->andor.n_subs < b->andor.n_subs ? -1
                : a->andor.n_subs > b->andor.n_subs);
    case EXPR_T_BOOLEAN:
        return (int) a->boolean - (int) b->boolean;
    case EXPR_T_CONDITION:
        if (a->cond.negated != b->cond.negated) {
            return a->cond.negated ? 1 : -1;
        }
        return strcmp(a->cond.port, b->cond.port);
    }
    return 0;
}

bool
expr_equals(const struct expr *a, const struct expr *b)
{
    return !expr_compare(a, b);
}

/* Evaluation. */

static bool
expr_evaluate_cmp(const struct expr_cmp *cmp, const struct symtab_flow *flow)
{
    if (symtab_symbol_is_string(cmp->symbol)) {
        const char *s = symtab_flow_get_string(flow, cmp->symbol);
        bool eq = s && !strcmp(s, cmp->string);
        return cmp->relop == EXPR_R_NE ? !eq : eq;
    }

    ASSERT(cmp->symbol->kind != SYMTAB_PREDICATE);
    return expr_cmp_test(cmp, symtab_flow_get(flow, cmp->symbol));
}

bool
expr_cmp_test(const struct expr_cmp *cmp, struct u128 x)
{
    x = u128_and(x, cmp->mask);
    if (cmp->relop == EXPR_R_EQ || cmp->relop == EXPR_R_NE) {
        return u128_equals(x, cmp->value) == (cmp->relop == EXPR_R_EQ);
    }

    int d = u128_compare(x, cmp->value);
    switch (cmp->relop) {
    case EXPR_R_LT: return d < 0;
    case EXPR_R_LE: return d <= 0;
    case EXPR_R_GT: return d > 0;
    case EXPR_R_GE: return d >= 0;
    case EXPR_R_EQ:
    case EXPR_R_NE:
    default:
        return false;
    }
}

bool
expr_evaluate(const struct expr *e, const struct symtab_flow *flow,
              bool (*is_chassis_resident)(const void *aux, const char *port),
              const void *aux)
{
    switch (e->type) {
    case EXPR_T_CMP:
        return expr_evaluate_cmp(&e->cmp, flow);
    case EXPR_T_AND:
        for (size_t i = 0; i < e->andor.n_subs; i++) {
            if (!expr_evaluate(e->andor.subs[i], flow, is_chassis_resident,
                               aux)) {
                return false;
            }
        }
        return true;
    case EXPR_T_OR:
        for (size_t i = 0; i < e->andor.n_subs; i++) {
            if (expr_evaluate(e->andor.subs[i], flow, is_chassis_resident,
                              aux)) {
                return true;
            }
        }
        return false;
    case EXPR_T_BOOLEAN:
        return e->boolean;
    case EXPR_T_CONDITION: {
        bool r = is_chassis_resident && is_chassis_resident(aux,
                                                            e->cond.port);
        return r != e->cond.negated;
    }
    }
    return false;
}

struct expr *
expr_evaluate_conditions(
    struct expr *e,
    bool (*is_chassis_resident)(const void *aux, const char *port),
    const void *aux)
{
    if (e->type == EXPR_T_CONDITION) {
        bool value = expr_evaluate(e, NULL, is_chassis_resident, aux);
        expr_destroy(e);
        return expr_create_boolean(value);
    } else if (e->type == EXPR_T_AND || e->type == EXPR_T_OR) {
        for (size_t i = 0; i < e->andor.n_subs; i++) {
            e->andor.subs[i] = expr_evaluate_conditions(
                e->andor.subs[i], is_chassis_resident, aux);
        }
    }
    return e;
}

/* Constant sets. */

void
expr_const_set_init(struct expr_const_set *set, bool is_string)
{
    memset(set, 0, sizeof *set);
    set->is_string = is_string;
}

void
expr_const_set_destroy(struct expr_const_set *set)
{
    if (set) {
        for (size_t i = 0; i < set->n_values; i++) {
            free(set->values[i].string);
        }
        free(set->values);
        set->values = NULL;
        set->n_values = set->allocated = 0;
    }
}

static struct expr_constant *
expr_const_set_append(struct expr_const_set *set)
{
    if (set->n_values >= set->allocated) {
        set->values = x2nrealloc(set->values, &set->allocated,
                                 sizeof *set->values);
    }
    struct expr_constant *c = &set->values[set->n_values++];
    memset(c, 0, sizeof *c);
    return c;
}

void
expr_const_set_add_string(struct expr_const_set *set, const char *s)
{
    ASSERT(set->is_string);
    expr_const_set_append(set)->string = xstrdup(s);
}

void
expr_constant_from_token(struct expr_constant *c, const struct lex_token *t)
{
    memset(c, 0, sizeof *c);
    c->value = t->value;
    c->mask = t->mask;
    c->format = t->format;
    c->mask_format = t->mask_format;
    c->masked = t->type == LEX_T_MASKED_INTEGER;
    c->n_bits = t->n_bits;
}

char *
expr_const_set_add_integer(struct expr_const_set *set, const char *text)
{
    struct lexer lexer;
    char *error = NULL;

    ASSERT(!set->is_string);
    lexer_init(&lexer, text);
    lexer_get(&lexer);
    if (lexer.token.type != LEX_T_INTEGER
        && lexer.token.type != LEX_T_MASKED_INTEGER) {
        lexer_syntax_error(&lexer, "expecting constant");
    } else {
        struct lex_token token;
        lex_token_clone(&token, &lexer.token);
        lexer_get(&lexer);
        if (lexer_force_end(&lexer)) {
            expr_constant_from_token(expr_const_set_append(set), &token);
        }
        lex_token_destroy(&token);
    }
    error = lexer_steal_error(&lexer);
    lexer_destroy(&lexer);
    return error;
}

/* Printing hints. */

/* Is 'mask' (of a 'width'-bit field) a prefix: its top bits set? */
static bool
expr_mask_is_prefix(struct u128 mask, unsigned int width)
{
    unsigned int plen = u128_popcount(mask);
    return u128_equals(mask, u128_range_mask(width - plen, plen));
}

void
expr_cmp_reset_hints(struct expr_cmp *cmp)
{
    const struct symtab_symbol *s = cmp->symbol;
    unsigned int width = s->width;
    bool address = (cmp->format != LEX_F_DECIMAL
                    && cmp->format != LEX_F_HEXADECIMAL
                    && lex_format_width(cmp->format) == width);

    if (cmp->string) {
        return;
    }
    cmp->ofs = 0;
    cmp->n_bits = width;
    cmp->masked = false;
    if (u128_equals(cmp->mask, u128_low_mask(width))) {
        if (!address && cmp->format != LEX_F_DECIMAL) {
            cmp->format = LEX_F_HEXADECIMAL;
        }
        return;
    }
    if (address) {
        cmp->masked = true;
        cmp->mask_format = (cmp->format != LEX_F_ETHERNET
                            && expr_mask_is_prefix(cmp->mask, width)
                            ? LEX_F_DECIMAL : cmp->format);
    } else if (u128_is_contiguous(cmp->mask)
               && (s->level != SYMTAB_NOMINAL || s->kind != SYMTAB_FIELD)) {
        cmp->ofs = u128_ctz(cmp->mask);
        cmp->n_bits = u128_n_bits(cmp->mask) - cmp->ofs;
        if (cmp->format != LEX_F_DECIMAL) {
            cmp->format = LEX_F_HEXADECIMAL;
        }
    } else {
        cmp->masked = true;
        cmp->format = cmp->mask_format = LEX_F_HEXADECIMAL;
    }
}
