/* expr-normalize: simplification and disjunctive normal form.  See expr.h
 * for the normal form.
 *
 * Simplification turns every integer comparison into masked equalities,
 * the way OVN does (so that ovn-trace's notion of an unambiguous
 * microflow carries over): "f != c" is the OR, over the bits b of the
 * mask, of "f[b] == !c[b]"; "f < c" is the OR, over the bits b where c is
 * 1, of "the bits of f above b equal c's and f[b] == 0"; "f > c" likewise
 * over the 0 bits; "<=" and ">=" add "f == c".
 *
 * Normalization then computes, bottom up, a list of conjunctions for each
 * subexpression: an OR concatenates its operands' lists, an AND multiplies
 * them out.  An OR of equalities on one field is a single atom (a "set"),
 * so "@pg && $as" stays one conjunction however large the sets are.  Each
 * new conjunction is simplified at once (equalities on one field merged,
 * sets filtered and intersected, contradictions dropped) so that the
 * lists stay small, and the caller's limit bounds them. */
#include "expr/expr.h"

#include <errno.h>
#include <string.h>

#include "expr/expr-private.h"
#include "util.h"

/* Two sets on one field are intersected only up to this many pairs. */
#define EXPR_MAX_SET_PRODUCT 4096

/* Simplification. */

static struct expr *
expr_bit_cmp(const struct expr_cmp *cmp, struct u128 value, struct u128 mask)
{
    struct expr *e = expr_create_cmp(cmp->symbol, EXPR_R_EQ, value, mask);
    e->cmp.format = cmp->format == LEX_F_DECIMAL ? LEX_F_DECIMAL
                                                 : LEX_F_HEXADECIMAL;
    expr_cmp_reset_hints(&e->cmp);
    return e;
}

/* "f != c": some bit under the mask differs. */
static struct expr *
expr_simplify_ne(const struct expr_cmp *cmp)
{
    struct expr *or = NULL;

    for (unsigned int b = 128; b-- > 0; ) {
        if (u128_get_bit(cmp->mask, b)) {
            struct u128 bit = u128_bit(b);
            struct u128 flipped = u128_and(u128_not(cmp->value), bit);
            or = expr_combine(EXPR_T_OR, or, expr_bit_cmp(cmp, flipped, bit));
        }
    }
    return or ? or : expr_create_boolean(false);
}

/* "f < c" (less) or "f > c" (!less) over the contiguous bits of the mask. */
static struct expr *
expr_simplify_order(const struct expr_cmp *cmp, bool less, bool or_equal)
{
    unsigned int lo = u128_ctz(cmp->mask), hi = u128_n_bits(cmp->mask);
    struct expr *or = NULL;

    for (unsigned int b = hi; b-- > lo; ) {
        if (u128_get_bit(cmp->value, b) != less) {
            continue;
        }
        struct u128 above = u128_range_mask(b + 1, hi - b - 1);
        struct u128 value = u128_and(cmp->value, above);
        if (!less) {
            value = u128_or(value, u128_bit(b));
        }
        or = expr_combine(EXPR_T_OR, or,
                          expr_bit_cmp(cmp, value,
                                       u128_or(above, u128_bit(b))));
    }
    if (or_equal) {
        or = expr_combine(EXPR_T_OR, or,
                          expr_bit_cmp(cmp, cmp->value, cmp->mask));
    }
    return or ? or : expr_create_boolean(false);
}

static struct expr *
expr_simplify_cmp(struct expr *e)
{
    const struct expr_cmp *cmp = &e->cmp;
    struct expr *r;

    ASSERT(cmp->symbol->kind != SYMTAB_PREDICATE);
    if (cmp->string || cmp->relop == EXPR_R_EQ) {
        return e;
    }
    switch (cmp->relop) {
    case EXPR_R_NE: r = expr_simplify_ne(cmp); break;
    case EXPR_R_LT: r = expr_simplify_order(cmp, true, false); break;
    case EXPR_R_LE: r = expr_simplify_order(cmp, true, true); break;
    case EXPR_R_GT: r = expr_simplify_order(cmp, false, false); break;
    case EXPR_R_GE: r = expr_simplify_order(cmp, false, true); break;
    case EXPR_R_EQ:
    default: r = NULL; break;
    }
    expr_destroy(e);
    return r;
}

struct expr *
expr_simplify(struct expr *e)
{
    if (e->type == EXPR_T_CMP) {
        return expr_simplify_cmp(e);
    } else if (e->type != EXPR_T_AND && e->type != EXPR_T_OR) {
        return e;
    }

    bool is_and = e->type == EXPR_T_AND;
    struct expr *result = expr_create_andor(e->type);
    for (size_t i = 0; i < e->andor.n_subs; i++) {
        struct expr *sub = expr_simplify(e->andor.subs[i]);
        e->andor.subs[i] = NULL;
        if (sub->type == EXPR_T_BOOLEAN && sub->boolean == is_and) {
            expr_destroy(sub);          /* true in an AND, false in an OR */
        } else if (sub->type == EXPR_T_BOOLEAN) {
            expr_destroy(result);       /* false in an AND, true in an OR */
            result = sub;
            for (i++; i < e->andor.n_subs; i++) {
                expr_destroy(e->andor.subs[i]);
            }
            break;
        } else {
            expr_andor_add(result, sub);
        }
    }
    e->andor.n_subs = 0;
    expr_destroy(e);

    if (result->type != EXPR_T_BOOLEAN && result->andor.n_subs < 2) {
        struct expr *only = (result->andor.n_subs
                             ? result->andor.subs[0]
                             : expr_create_boolean(is_and));
        result->andor.n_subs = 0;
        expr_destroy(result);
        result = only;
    }
    return result;
}

/* Atoms and conjunctions. */

/* The field an atom constrains, for grouping atoms: comparisons and sets
 * by physical field; conditions after all of them. */
static int
expr_atom_key(const struct expr *atom)
{
    const struct expr *cmp = atom->type == EXPR_T_OR ? atom->andor.subs[0]
                                                     : atom;
    return cmp->type == EXPR_T_CMP ? (int) expr_cmp_key(cmp)
                                   : SYMTAB_N_FIELDS;
}

/* Orders atoms by key, then plain comparisons before sets, then by
 * expr_compare(). */
static int
expr_atom_compare(const void *a_, const void *b_)
{
    const struct expr *const *a = a_;
    const struct expr *const *b = b_;
    int ka = expr_atom_key(*a), kb = expr_atom_key(*b);

    if (ka != kb) {
        return ka < kb ? -1 : 1;
    }
    return expr_compare(*a, *b);
}

static int
expr_ptr_compare(const void *a_, const void *b_)
{
    const struct expr *const *a = a_;
    const struct expr *const *b = b_;
    return expr_compare(*a, *b);
}

/* Merges integer equality 'b' into 'a' (same field).  Returns false if
 * they contradict each other. */
static bool
expr_merge_eq(struct expr_cmp *a, const struct expr_cmp *b)
{
    struct u128 both = u128_and(a->mask, b->mask);
    if (!u128_is_zero(u128_and(u128_xor(a->value, b->value), both))) {
        return false;
    }
    if (!u128_equals(u128_or(a->mask, b->mask), a->mask)) {
        a->value = u128_or(a->value, b->value);
        a->mask = u128_or(a->mask, b->mask);
        if (a->format != b->format || a->format == LEX_F_DECIMAL) {
            /* The merged constant was not written in either form. */
            a->format = LEX_F_HEXADECIMAL;
        }
        expr_cmp_reset_hints(a);
    }
    return true;
}

/* Do string equalities 'a' and 'b' on one field agree? */
static bool
expr_strings_agree(const struct expr_cmp *a, const struct expr_cmp *b)
{
    return !strcmp(a->string, b->string);
}

/* Sorts the elements of set 'set', drops duplicates, and returns it, or
 * its only element, or false if it has none. */
static struct expr *
expr_set_finish(struct expr *set)
{
    size_t n = 0;

    if (set->andor.n_subs) {
        qsort(set->andor.subs, set->andor.n_subs, sizeof *set->andor.subs,
              expr_ptr_compare);
    }
    for (size_t i = 0; i < set->andor.n_subs; i++) {
        struct expr *sub = set->andor.subs[i];
        if (n && expr_equals(set->andor.subs[n - 1], sub)) {
            expr_destroy(sub);
        } else {
            set->andor.subs[n++] = sub;
        }
    }
    set->andor.n_subs = n;
    if (n >= 2) {
        return set;
    }
    struct expr *r = n ? set->andor.subs[0] : expr_create_boolean(false);
    set->andor.n_subs = 0;
    expr_destroy(set);
    return r;
}

/* Returns the equalities of 'a' that agree with 'b', each merged with it
 * (AND of two equalities or sets on one field). */
static struct expr *
expr_intersect(const struct expr *a, const struct expr *b)
{
    size_t na = a->type == EXPR_T_OR ? a->andor.n_subs : 1;
    size_t nb = b->type == EXPR_T_OR ? b->andor.n_subs : 1;
    struct expr *set = expr_create_andor(EXPR_T_OR);

    for (size_t i = 0; i < na; i++) {
        const struct expr *x = a->type == EXPR_T_OR ? a->andor.subs[i] : a;
        for (size_t j = 0; j < nb; j++) {
            const struct expr *y = b->type == EXPR_T_OR ? b->andor.subs[j]
                                                        : b;
            struct expr *m = expr_clone(x);
            bool ok = (m->cmp.string
                       ? expr_strings_agree(&m->cmp, &y->cmp)
                       : expr_merge_eq(&m->cmp, &y->cmp));
            if (ok) {
                expr_andor_add(set, m);
            } else {
                expr_destroy(m);
            }
        }
    }
    return expr_set_finish(set);
}

static size_t
expr_n_elems(const struct expr *e)
{
    return e->type == EXPR_T_OR ? e->andor.n_subs : 1;
}

/* Is atom 'ne' (a string !=) implied or contradicted by 'eq' (a string ==
 * or set)?  Returns 1 if implied (drop 'ne'), 0 if contradicted (after
 * removing the contradicting elements from a set, if any remain). */
static struct expr *
expr_apply_string_ne(struct expr *eq, const struct expr_cmp *ne)
{
    struct expr *set = expr_create_andor(EXPR_T_OR);
    size_t n = expr_n_elems(eq);

    for (size_t i = 0; i < n; i++) {
        const struct expr *x = eq->type == EXPR_T_OR ? eq->andor.subs[i]
                                                     : eq;
        if (!expr_strings_agree(&x->cmp, ne)) {
            expr_andor_add(set, expr_clone(x));
        }
    }
    expr_destroy(eq);
    return expr_set_finish(set);
}

/* A conjunction: atoms, owned. */
struct expr_conj {
    struct expr **atoms;
    size_t n, allocated;
};

/* A disjunction of conjunctions. */
struct expr_dnf {
    struct expr_conj *conjs;
    size_t n, allocated;
};

static void
expr_conj_add(struct expr_conj *c, struct expr *atom)
{
    if (c->n >= c->allocated) {
        c->atoms = x2nrealloc(c->atoms, &c->allocated, sizeof *c->atoms);
    }
    c->atoms[c->n++] = atom;
}

static void
expr_conj_destroy(struct expr_conj *c)
{
    for (size_t i = 0; i < c->n; i++) {
        expr_destroy(c->atoms[i]);
    }
    free(c->atoms);
    memset(c, 0, sizeof *c);
}

static struct expr_conj *
expr_dnf_add(struct expr_dnf *d)
{
    if (d->n >= d->allocated) {
        d->conjs = x2nrealloc(d->conjs, &d->allocated, sizeof *d->conjs);
    }
    struct expr_conj *c = &d->conjs[d->n++];
    memset(c, 0, sizeof *c);
    return c;
}

static void
expr_dnf_destroy(struct expr_dnf *d)
{
    for (size_t i = 0; i < d->n; i++) {
        expr_conj_destroy(&d->conjs[i]);
    }
    free(d->conjs);
    memset(d, 0, sizeof *d);
}

/* Copies the distinct conditions among sorted 'atoms[0]' to
 * 'atoms[n - 1]' into 'out'.  Returns false if two contradict each other
 * (the same port resident and not resident). */
static bool
expr_conj_simplify_conditions(struct expr **atoms, size_t n,
                              struct expr_conj *out)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < i; j++) {
            if (!strcmp(atoms[i]->cond.port, atoms[j]->cond.port)
                && atoms[i]->cond.negated != atoms[j]->cond.negated) {
                return false;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (!i || !expr_equals(atoms[i], atoms[i - 1])) {
            expr_conj_add(out, expr_clone(atoms[i]));
        }
    }
    return true;
}

/* Simplifies the atoms of one field (or the conditions), 'atoms[0]' to
 * 'atoms[n - 1]', sorted, moving the result into 'out'.  Returns false if
 * they contradict each other.  Frees 'atoms[]' in any case. */
static bool
expr_conj_simplify_group(struct expr **atoms, size_t n, struct expr_conj *out)
{
    struct expr *acc = NULL;
    bool ok = true;

    if (atoms[0]->type == EXPR_T_CONDITION) {
        ok = expr_conj_simplify_conditions(atoms, n, out);
        goto out;
    }

    /* Equalities and sets: intersected into 'acc' while small enough. */
    for (size_t i = 0; ok && i < n; i++) {
        struct expr *a = atoms[i];
        if (a->type == EXPR_T_CMP && a->cmp.relop == EXPR_R_NE) {
            continue;                   /* String !=, below. */
        } else if (!acc) {
            acc = a;
        } else if (expr_n_elems(acc) * expr_n_elems(a)
                   <= EXPR_MAX_SET_PRODUCT) {
            struct expr *r = expr_intersect(acc, a);
            expr_destroy(acc);
            acc = r;
            ok = r->type != EXPR_T_BOOLEAN;
            continue;
        } else {
            expr_conj_add(out, a);
        }
        atoms[i] = NULL;
    }
    /* String inequalities: applied to 'acc', else kept. */
    const struct expr *last_ne = NULL;
    for (size_t i = 0; ok && i < n; i++) {
        struct expr *a = atoms[i];
        if (!a || a->type != EXPR_T_CMP || a->cmp.relop != EXPR_R_NE) {
            continue;
        }
        if (acc) {
            acc = expr_apply_string_ne(acc, &a->cmp);
            ok = acc->type != EXPR_T_BOOLEAN;
        } else if (!last_ne || !expr_equals(a, last_ne)) {
            expr_conj_add(out, a);
            atoms[i] = NULL;
            last_ne = a;
        }
    }
    if (ok && acc) {
        expr_conj_add(out, acc);
        acc = NULL;
    }

out:
    expr_destroy(acc);
    for (size_t i = 0; i < n; i++) {
        expr_destroy(atoms[i]);
    }
    return ok;
}

/* Simplifies conjunction 'c' in place; returns false (leaving 'c' empty)
 * if it is contradictory. */
static bool
expr_conj_simplify(struct expr_conj *c)
{
    struct expr_conj out = { NULL, 0, 0 };
    bool ok = true;

    if (c->n) {
        qsort(c->atoms, c->n, sizeof *c->atoms, expr_atom_compare);
    }
    for (size_t i = 0; i < c->n; ) {
        size_t j = i + 1;
        while (j < c->n && expr_atom_key(c->atoms[j])
                           == expr_atom_key(c->atoms[i])) {
            j++;
        }
        if (ok) {
            ok = expr_conj_simplify_group(&c->atoms[i], j - i, &out);
        } else {
            for (size_t k = i; k < j; k++) {
                expr_destroy(c->atoms[k]);
            }
        }
        i = j;
    }
    free(c->atoms);
    *c = out;
    if (!ok) {
        expr_conj_destroy(c);
    }
    return ok;
}

/* Is 'e' an OR of equalities on one field? */
bool
expr_is_set(const struct expr *e)
{
    if (e->type != EXPR_T_OR || e->andor.n_subs < 2) {
        return false;
    }
    const struct symtab_symbol *root = NULL;
    for (size_t i = 0; i < e->andor.n_subs; i++) {
        const struct expr *sub = e->andor.subs[i];
        unsigned int ofs;
        if (!expr_is_eq_cmp(sub)) {
            return false;
        }
        const struct symtab_symbol *r = symtab_symbol_root(sub->cmp.symbol,
                                                           &ofs);
        if (root && r->field != root->field) {
            return false;
        }
        root = r;
    }
    return true;
}

static int expr_dnf_build(const struct expr *, size_t max,
                          struct expr_dnf *);

/* out := out AND 'd'. */
static int
expr_dnf_multiply(struct expr_dnf *out, struct expr_dnf *d, size_t max)
{
    struct expr_dnf product = { NULL, 0, 0 };

    if ((double) out->n * d->n > max) {
        return E2BIG;
    } else if (d->n == 1) {
        /* The common case, ANDing atoms: extend each conjunction, moving
         * rather than copying into the last one. */
        size_t n = 0;
        for (size_t i = 0; i < out->n; i++) {
            struct expr_conj *c = &out->conjs[i];
            struct expr_conj *b = &d->conjs[0];
            bool last = i == out->n - 1;
            for (size_t k = 0; k < b->n; k++) {
                expr_conj_add(c, last ? b->atoms[k] : expr_clone(b->atoms[k]));
            }
            if (last) {
                b->n = 0;
            }
            if (expr_conj_simplify(c)) {
                out->conjs[n++] = *c;
            }
        }
        out->n = n;
        return 0;
    }
    for (size_t i = 0; i < out->n; i++) {
        for (size_t j = 0; j < d->n; j++) {
            struct expr_conj *c = expr_dnf_add(&product);
            const struct expr_conj *a = &out->conjs[i], *b = &d->conjs[j];
            for (size_t k = 0; k < a->n; k++) {
                expr_conj_add(c, expr_clone(a->atoms[k]));
            }
            for (size_t k = 0; k < b->n; k++) {
                expr_conj_add(c, expr_clone(b->atoms[k]));
            }
            if (!expr_conj_simplify(c)) {
                product.n--;
            }
        }
    }
    expr_dnf_destroy(out);
    *out = product;
    return 0;
}

static int
expr_dnf_build_and(const struct expr *e, size_t max, struct expr_dnf *out)
{
    expr_dnf_add(out);                  /* true */
    for (size_t i = 0; i < e->andor.n_subs && out->n; i++) {
        struct expr_dnf d = { NULL, 0, 0 };
        int error = expr_dnf_build(e->andor.subs[i], max, &d);
        if (!error) {
            error = expr_dnf_multiply(out, &d, max);
        }
        expr_dnf_destroy(&d);
        if (error) {
            return error;
        }
    }
    return 0;
}

static int
expr_dnf_build_or(const struct expr *e, size_t max, struct expr_dnf *out)
{
    for (size_t i = 0; i < e->andor.n_subs; i++) {
        struct expr_dnf d = { NULL, 0, 0 };
        int error = expr_dnf_build(e->andor.subs[i], max, &d);
        for (size_t j = 0; !error && j < d.n; j++) {
            *expr_dnf_add(out) = d.conjs[j];
            memset(&d.conjs[j], 0, sizeof d.conjs[j]);
        }
        expr_dnf_destroy(&d);
        if (error) {
            return error;
        }
        if (out->n > max) {
            return E2BIG;
        }
    }
    return 0;
}

/* Computes the conjunctions of simplified, annotated 'e' into 'out'. */
static int
expr_dnf_build(const struct expr *e, size_t max, struct expr_dnf *out)
{
    switch (e->type) {
    case EXPR_T_BOOLEAN:
        if (e->boolean) {
            expr_dnf_add(out);
        }
        return 0;
    case EXPR_T_CMP:
        ASSERT(e->cmp.symbol->kind == SYMTAB_FIELD);
        OVS_FALLTHROUGH;
    case EXPR_T_CONDITION:
        expr_conj_add(expr_dnf_add(out), expr_clone(e));
        return 0;
    case EXPR_T_OR:
        if (expr_is_set(e)) {
            struct expr *set = expr_set_finish(expr_clone(e));
            expr_conj_add(expr_dnf_add(out), set);
            return 0;
        }
        return expr_dnf_build_or(e, max, out);
    case EXPR_T_AND:
        return expr_dnf_build_and(e, max, out);
    }
    return 0;
}

static int
expr_conj_compare(const void *a_, const void *b_)
{
    const struct expr_conj *a = a_, *b = b_;

    for (size_t i = 0; i < a->n && i < b->n; i++) {
        int d = expr_compare(a->atoms[i], b->atoms[i]);
        if (d) {
            return d;
        }
    }
    return a->n < b->n ? -1 : a->n > b->n;
}

/* Turns conjunction 'c' into an expression, taking its atoms. */
static struct expr *
expr_conj_to_expr(struct expr_conj *c)
{
    struct expr *e = NULL;

    for (size_t i = 0; i < c->n; i++) {
        if (!e) {
            e = c->atoms[i];
        } else {
            if (e->type != EXPR_T_AND) {
                struct expr *and = expr_create_andor(EXPR_T_AND);
                expr_andor_add(and, e);
                e = and;
            }
            /* Not expr_andor_add(), which would flatten nothing here but
             * must not merge a set into the AND. */
            expr_andor_add(e, c->atoms[i]);
        }
    }
    c->n = 0;
    return e ? e : expr_create_boolean(true);
}

static struct expr *
expr_dnf_to_expr(struct expr_dnf *d)
{
    size_t n = 0;

    if (d->n) {
        qsort(d->conjs, d->n, sizeof *d->conjs, expr_conj_compare);
    }
    for (size_t i = 0; i < d->n; i++) {
        if (!d->conjs[i].n) {
            return expr_create_boolean(true);
        } else if (n && !expr_conj_compare(&d->conjs[n - 1], &d->conjs[i])) {
            expr_conj_destroy(&d->conjs[i]);
        } else {
            d->conjs[n++] = d->conjs[i];
        }
    }
    d->n = n;
    if (!n) {
        return expr_create_boolean(false);
    } else if (n == 1) {
        return expr_conj_to_expr(&d->conjs[0]);
    }

    struct expr *or = expr_create_andor(EXPR_T_OR);
    for (size_t i = 0; i < n; i++) {
        /* A conjunction that is just a set is spread into its elements,
         * so that no child of the top-level OR is an OR. */
        expr_andor_add(or, expr_conj_to_expr(&d->conjs[i]));
    }
    return expr_set_finish(or);
}

int
expr_normalize(struct expr **exprp, size_t max_conjunctions)
{
    struct expr_dnf d = { NULL, 0, 0 };

    *exprp = expr_simplify(*exprp);
    int error = expr_dnf_build(*exprp, max_conjunctions, &d);
    if (!error) {
        expr_destroy(*exprp);
        *exprp = expr_dnf_to_expr(&d);
    }
    expr_dnf_destroy(&d);
    return error;
}

/* Walking the normal form. */

size_t
expr_n_conjunctions(const struct expr *e)
{
    if (e->type == EXPR_T_BOOLEAN) {
        return e->boolean;
    }
    return e->type == EXPR_T_OR && !expr_is_set(e) ? e->andor.n_subs : 1;
}

const struct expr *
expr_conjunction(const struct expr *e, size_t i)
{
    return e->type == EXPR_T_OR && !expr_is_set(e) ? e->andor.subs[i] : e;
}

size_t
expr_n_atoms(const struct expr *conj)
{
    if (conj->type == EXPR_T_BOOLEAN) {
        return 0;
    }
    return conj->type == EXPR_T_AND ? conj->andor.n_subs : 1;
}

const struct expr *
expr_atom(const struct expr *conj, size_t i)
{
    return conj->type == EXPR_T_AND ? conj->andor.subs[i] : conj;
}

static bool
expr_is_normal_atom(const struct expr *a)
{
    switch (a->type) {
    case EXPR_T_CMP:
        return (a->cmp.symbol->kind == SYMTAB_FIELD
                && (a->cmp.relop == EXPR_R_EQ
                    || (a->cmp.relop == EXPR_R_NE && a->cmp.string)));
    case EXPR_T_OR:
        return expr_is_set(a);
    case EXPR_T_CONDITION:
        return true;
    case EXPR_T_AND:
    case EXPR_T_BOOLEAN:
    default:
        return false;
    }
}

static bool
expr_is_normal_conj(const struct expr *c)
{
    if (c->type != EXPR_T_AND) {
        return expr_is_normal_atom(c);
    }
    for (size_t i = 0; i < c->andor.n_subs; i++) {
        const struct expr *a = c->andor.subs[i];
        if (!expr_is_normal_atom(a)) {
            return false;
        }
        /* Plain integer equalities on one field are merged. */
        for (size_t j = 0; j < i; j++) {
            const struct expr *b = c->andor.subs[j];
            if (a->type == EXPR_T_CMP && b->type == EXPR_T_CMP
                && !a->cmp.string && !b->cmp.string
                && expr_cmp_key(a) == expr_cmp_key(b)) {
                return false;
            }
        }
    }
    return c->andor.n_subs >= 2;
}

bool
expr_is_normal(const struct expr *e)
{
    if (e->type == EXPR_T_BOOLEAN || expr_is_set(e)) {
        return true;
    } else if (e->type != EXPR_T_OR) {
        return expr_is_normal_conj(e);
    }
    for (size_t i = 0; i < e->andor.n_subs; i++) {
        const struct expr *c = e->andor.subs[i];
        if (c->type == EXPR_T_OR || !expr_is_normal_conj(c)) {
            return false;
        }
    }
    return e->andor.n_subs >= 2;
}
