/* expr-annotate: predicate expansion, subfields to fields, prerequisites.
 * See expr.h.
 *
 * The shape of the result follows OVN's, because ovn-trace prints it in
 * its "Constraints are ambiguous" message:
 *
 *   - A comparison on a field or subfield becomes a comparison on the
 *     root field ("reg0 == 1" becomes "xxreg0[96..127] == 1"), ANDed with
 *     the annotated prerequisites of each symbol on the way (the subfield's
 *     first): "vlan.vid == 1" is "vlan.tci[0..11] == 1 && vlan.tci[12]".
 *   - An AND or OR whose operands all compare the same field or subfield
 *     (as "tcp.src == {1, 2}" parses) gets the prerequisites once, after
 *     it: "(tcp.src == 1 || tcp.src == 2) && ip.proto == 6 && ...".
 *   - A predicate compared with 1 becomes its annotated expansion; compared
 *     with 0, the negation of that, prerequisites included ("!ip.later_frag"
 *     is "!ip.frag[1] || (eth.type != 0x800 && eth.type != 0x86dd)"). */
#include "expr/expr.h"

#include <string.h>

#include "expr/expr-private.h"
#include "util.h"

/* How deep predicates and prerequisites may expand into each other. */
#define EXPR_MAX_EXPANSION 32

struct expr_annotator {
    const struct symtab *symtab;
    int depth;
    char *error;
};

static struct expr *expr_annotate__(struct expr_annotator *, struct expr *);

/* Parses and annotates 'text', a predicate's expansion or a symbol's
 * prerequisites. */
static struct expr *
expr_annotate_text(struct expr_annotator *a, const struct symtab_symbol *s,
                   const char *text)
{
    struct expr_env env = { .symtab = a->symtab };
    char *error;

    if (a->depth >= EXPR_MAX_EXPANSION) {
        a->error = xasprintf("Recursive expansion of symbol `%s'.", s->name);
        return NULL;
    }
    struct expr *e = expr_parse_string(text, &env, &error);
    if (!e) {
        a->error = xasprintf("Error parsing expression `%s' encountered as "
                             "prerequisite or predicate of initial "
                             "expression: %s", text, error);
        free(error);
        return NULL;
    }
    a->depth++;
    e = expr_annotate__(a, e);
    a->depth--;
    return e;
}

/* Moves integer comparison 'e' from a subfield to the field it is part
 * of, and returns the conjunction of the prerequisites met on the way (or
 * NULL if none; 'a->error' is set on failure). */
static struct expr *
expr_to_root(struct expr_annotator *a, struct expr *e)
{
    struct expr_cmp *cmp = &e->cmp;
    struct expr *prereqs = NULL;

    for (;;) {
        const struct symtab_symbol *s = cmp->symbol;
        if (s->prereqs) {
            struct expr *p = expr_annotate_text(a, s, s->prereqs);
            if (!p) {
                expr_destroy(prereqs);
                return NULL;
            }
            prereqs = expr_combine(EXPR_T_AND, prereqs, p);
        }
        if (s->kind != SYMTAB_SUBFIELD) {
            return prereqs;
        }
        cmp->value = u128_shl(cmp->value, s->ofs);
        cmp->mask = u128_shl(cmp->mask, s->ofs);
        cmp->ofs += s->ofs;
        cmp->symbol = s->parent;
    }
}

static struct expr *
expr_annotate_predicate(struct expr_annotator *a, struct expr *e)
{
    const struct symtab_symbol *s = e->cmp.symbol;
    bool if0 = expr_cmp_test(&e->cmp, u128_zero());
    bool if1 = expr_cmp_test(&e->cmp, u128_from_u64(1));

    expr_destroy(e);
    if (if0 == if1) {
        return expr_create_boolean(if0);
    }
    struct expr *x = expr_annotate_text(a, s, s->expansion);
    return x && if0 ? expr_not(x) : x;
}

static struct expr *
expr_annotate_cmp(struct expr_annotator *a, struct expr *e)
{
    if (e->cmp.symbol->kind == SYMTAB_PREDICATE) {
        return expr_annotate_predicate(a, e);
    }

    struct expr *prereqs = expr_to_root(a, e);
    if (a->error) {
        expr_destroy(e);
        return NULL;
    }
    return expr_combine(EXPR_T_AND, e, prereqs);
}

/* Is 'e' an AND or OR of comparisons of one (non-predicate) symbol? */
static bool
expr_is_symbol_group(const struct expr *e)
{
    if (e->type != EXPR_T_OR && e->type != EXPR_T_AND) {
        return false;
    }
    const struct symtab_symbol *s = NULL;
    for (size_t i = 0; i < e->andor.n_subs; i++) {
        const struct expr *sub = e->andor.subs[i];
        if (sub->type != EXPR_T_CMP || (s && sub->cmp.symbol != s)) {
            return false;
        }
        s = sub->cmp.symbol;
    }
    return s && s->kind != SYMTAB_PREDICATE;
}

static struct expr *
expr_annotate_group(struct expr_annotator *a, struct expr *e)
{
    struct expr *prereqs = NULL;

    for (size_t i = 0; i < e->andor.n_subs; i++) {
        struct expr *p = expr_to_root(a, e->andor.subs[i]);
        if (a->error) {
            expr_destroy(prereqs);
            expr_destroy(e);
            return NULL;
        }
        if (i == 0) {
            prereqs = p;
        } else {
            expr_destroy(p);
        }
    }
    return expr_combine(EXPR_T_AND, e, prereqs);
}

static struct expr *
expr_annotate__(struct expr_annotator *a, struct expr *e)
{
    switch (e->type) {
    case EXPR_T_CMP:
        return expr_annotate_cmp(a, e);
    case EXPR_T_AND:
    case EXPR_T_OR: {
        if (expr_is_symbol_group(e)) {
            return expr_annotate_group(a, e);
        }
        struct expr *result = expr_create_andor(e->type);
        for (size_t i = 0; i < e->andor.n_subs; i++) {
            struct expr *sub = expr_annotate__(a, e->andor.subs[i]);
            e->andor.subs[i] = NULL;
            if (!sub) {
                expr_destroy(result);
                result = NULL;
                for (i++; i < e->andor.n_subs; i++) {
                    expr_destroy(e->andor.subs[i]);
                }
                break;
            }
            expr_andor_add(result, sub);
        }
        e->andor.n_subs = 0;
        expr_destroy(e);
        return result;
    }
    case EXPR_T_BOOLEAN:
    case EXPR_T_CONDITION:
        return e;
    }
    return e;
}

struct expr *
expr_annotate(struct expr *e, const struct symtab *symtab, char **errorp)
{
    struct expr_annotator a = { .symtab = symtab };

    e = expr_annotate__(&a, e);
    if (a.error) {
        expr_destroy(e);
        *errorp = a.error;
        return NULL;
    }
    *errorp = NULL;
    return e;
}
