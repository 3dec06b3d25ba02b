/* expr-format: printing expressions.  See expr.h.
 *
 * expr_format() writes the language back so that it parses to an
 * equivalent expression: constants as they were written, slices as
 * written, "f == {a, b}" for an OR of equalities on one slice, and a
 * nominal field's inequality (which annotation can produce but the parser
 * refuses) as "!(f == c)".
 *
 * expr_format_ovn() imitates OVN 23.03's printing, which ovn-trace's
 * messages show: integers in hexadecimal ("0x6", but "0"), the slice taken
 * from the mask ("ip4.src == 10.0.0.0/24" is "ip4.src[8..31] ==
 * 0xa0000"), a 1-bit test as "f[b]" or "!f[b]", any other mask as
 * "VALUE/MASK", ORs of equalities spelled out. */
#include "expr/expr.h"

#include <string.h>

#include "ds.h"
#include "expr/expr-private.h"
#include "json.h"
#include "util.h"

/* OVN's style. */

static void
expr_format_hex(struct u128 v, struct ds *s)
{
    if (u128_is_zero(v)) {
        ds_put_char(s, '0');
    } else {
        lex_value_format(v, LEX_F_HEXADECIMAL, s);
    }
}

static void
expr_format_string_cmp(const struct expr_cmp *cmp, struct ds *s)
{
    ds_put_format(s, "%s %s ", cmp->symbol->name,
                  expr_relop_to_string(cmp->relop));
    json_string_escape(cmp->string, s);
}

static void
expr_format_cmp_ovn(const struct expr_cmp *cmp, struct ds *s)
{
    const char *name = cmp->symbol->name;
    const char *relop = expr_relop_to_string(cmp->relop);
    struct u128 mask = cmp->mask;

    if (cmp->string) {
        expr_format_string_cmp(cmp, s);
    } else if (u128_equals(mask, u128_low_mask(cmp->symbol->width))) {
        ds_put_format(s, "%s %s ", name, relop);
        expr_format_hex(cmp->value, s);
    } else if (u128_is_contiguous(mask)) {
        unsigned int lo = u128_ctz(mask), hi = u128_n_bits(mask) - 1;
        if (lo == hi && (cmp->relop == EXPR_R_EQ
                         || cmp->relop == EXPR_R_NE)) {
            bool set = !u128_is_zero(cmp->value);
            bool positive = set == (cmp->relop == EXPR_R_EQ);
            ds_put_format(s, "%s%s[%u]", positive ? "" : "!", name, lo);
        } else {
            if (lo == hi) {
                ds_put_format(s, "%s[%u] %s ", name, lo, relop);
            } else {
                ds_put_format(s, "%s[%u..%u] %s ", name, lo, hi, relop);
            }
            expr_format_hex(u128_shr(cmp->value, lo), s);
        }
    } else {
        ds_put_format(s, "%s %s ", name, relop);
        expr_format_hex(cmp->value, s);
        ds_put_char(s, '/');
        expr_format_hex(mask, s);
    }
}

/* The language's style. */

/* Is 'cmp' "f[b] == 1" or "f[b] != 1", printable as "f[b]" or "!f[b]"
 * (which parse back to exactly that)? */
static bool
expr_cmp_is_bit_test(const struct expr_cmp *cmp)
{
    return (cmp->n_bits == 1 && !cmp->masked && !cmp->string
            && (cmp->relop == EXPR_R_EQ || cmp->relop == EXPR_R_NE)
            && !u128_is_zero(cmp->value));
}

static void
expr_format_field(const struct expr_cmp *cmp, struct ds *s)
{
    struct expr_field f = { cmp->symbol, cmp->ofs, cmp->n_bits };
    expr_field_format(&f, s);
}

static void
expr_format_constant(const struct expr_cmp *cmp, struct ds *s)
{
    struct u128 value = u128_shr(cmp->value, cmp->ofs);

    if (cmp->string) {
        json_string_escape(cmp->string, s);
    } else if (cmp->masked) {
        lex_masked_format(value, u128_shr(cmp->mask, cmp->ofs), cmp->format,
                          cmp->mask_format, 0, s);
    } else {
        lex_value_format(value, cmp->format, s);
    }
}

static void
expr_format_cmp(const struct expr_cmp *cmp, struct ds *s)
{
    if (expr_cmp_is_bit_test(cmp)) {
        ds_put_cstr(s, cmp->relop == EXPR_R_NE ? "!" : "");
        expr_format_field(cmp, s);
    } else if (cmp->relop == EXPR_R_NE
               && cmp->symbol->level == SYMTAB_NOMINAL
               && cmp->symbol->kind == SYMTAB_FIELD) {
        /* The parser refuses "eth.type != 0x800"; this is the same. */
        ds_put_cstr(s, "!(");
        expr_format_field(cmp, s);
        ds_put_cstr(s, " == ");
        expr_format_constant(cmp, s);
        ds_put_char(s, ')');
    } else {
        expr_format_field(cmp, s);
        ds_put_format(s, " %s ", expr_relop_to_string(cmp->relop));
        expr_format_constant(cmp, s);
    }
}

/* Is 'e' an OR of equalities on one symbol and slice, printable as
 * "f == {...}"? */
static bool
expr_is_printable_set(const struct expr *e)
{
    if (e->type != EXPR_T_OR) {
        return false;
    }
    const struct expr_cmp *first = NULL;
    for (size_t i = 0; i < e->andor.n_subs; i++) {
        const struct expr *sub = e->andor.subs[i];
        if (!expr_is_eq_cmp(sub) || expr_cmp_is_bit_test(&sub->cmp)) {
            return false;
        }
        if (first && (sub->cmp.symbol != first->symbol
                      || sub->cmp.ofs != first->ofs
                      || sub->cmp.n_bits != first->n_bits)) {
            return false;
        }
        first = &sub->cmp;
    }
    return first != NULL;
}

static void
expr_format_set(const struct expr *e, struct ds *s)
{
    expr_format_field(&e->andor.subs[0]->cmp, s);
    ds_put_cstr(s, " == {");
    for (size_t i = 0; i < e->andor.n_subs; i++) {
        if (i) {
            ds_put_cstr(s, ", ");
        }
        expr_format_constant(&e->andor.subs[i]->cmp, s);
    }
    ds_put_char(s, '}');
}

static void
expr_format__(const struct expr *e, bool ovn, struct ds *s)
{
    switch (e->type) {
    case EXPR_T_CMP:
        if (ovn) {
            expr_format_cmp_ovn(&e->cmp, s);
        } else {
            expr_format_cmp(&e->cmp, s);
        }
        break;
    case EXPR_T_AND:
    case EXPR_T_OR:
        if (!ovn && expr_is_printable_set(e)) {
            expr_format_set(e, s);
            break;
        }
        for (size_t i = 0; i < e->andor.n_subs; i++) {
            const struct expr *sub = e->andor.subs[i];
            bool parens = ((sub->type == EXPR_T_AND
                            || sub->type == EXPR_T_OR)
                           && (ovn || !expr_is_printable_set(sub)));
            if (i) {
                ds_put_cstr(s, e->type == EXPR_T_AND ? " && " : " || ");
            }
            ds_put_cstr(s, parens ? "(" : "");
            expr_format__(sub, ovn, s);
            ds_put_cstr(s, parens ? ")" : "");
        }
        break;
    case EXPR_T_BOOLEAN:
        ds_put_char(s, e->boolean ? '1' : '0');
        break;
    case EXPR_T_CONDITION:
        ds_put_format(s, "%sis_chassis_resident(",
                      e->cond.negated ? "!" : "");
        json_string_escape(e->cond.port, s);
        ds_put_char(s, ')');
        break;
    }
}

void
expr_format(const struct expr *e, struct ds *s)
{
    expr_format__(e, false, s);
}

void
expr_format_ovn(const struct expr *e, struct ds *s)
{
    expr_format__(e, true, s);
}
