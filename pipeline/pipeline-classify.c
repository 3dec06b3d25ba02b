/* pipeline-classify: a table's conjunctions, indexed for lookup.
 *
 * Each conjunction is filed under one key atom: an equality "field ==
 * value/mask" (or each member of a set "field in {...}") on the field
 * that best splits a table, chosen from a fixed ranking (outport, inport,
 * eth.dst, ip4.dst, ...).  Entries with the same (field, mask) share a
 * subtable, a hash on the masked value: a table of routes gets one
 * subtable per prefix length, a table of per-port flows one subtable for
 * all ports.  Conjunctions with no equality at all (priority-0 defaults,
 * "ip4 && ...") are kept in a short list that is scanned.  Lookup probes
 * each subtable whose best priority can still win and evaluates only the
 * conjunctions found there. */
#include "pipeline/pipeline-private.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "expr/expr-private.h"
#include "hash.h"
#include "util.h"

/* Fields in the order in which they are preferred as keys; lower is
 * better.  Fields not listed rank after all of them. */
static int
pl_field_rank(enum symtab_field f)
{
    static const enum symtab_field order[] = {
        SYMTAB_F_OUTPORT, SYMTAB_F_INPORT, SYMTAB_F_ETH_DST,
        SYMTAB_F_IP4_DST, SYMTAB_F_IP6_DST, SYMTAB_F_ARP_TPA,
        SYMTAB_F_ND_TARGET, SYMTAB_F_REG0, SYMTAB_F_REG1, SYMTAB_F_REG2,
        SYMTAB_F_REG3, SYMTAB_F_REG4, SYMTAB_F_REG5, SYMTAB_F_REG6,
        SYMTAB_F_REG7, SYMTAB_F_ETH_SRC, SYMTAB_F_IP4_SRC, SYMTAB_F_IP6_SRC,
        SYMTAB_F_ARP_SPA, SYMTAB_F_TP_DST, SYMTAB_F_TP_SRC,
    };
    for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
        if (order[i] == f) {
            return i;
        }
    }
    return ARRAY_SIZE(order) + f;
}

/* Maps equality 'cmp' (on a field, in normal form) to one physical field
 * and a mask in that field's numbering.  Returns false if it spans
 * several physical fields. */
static bool
pl_cmp_physical(const struct expr_cmp *cmp, enum symtab_field *field,
                struct u128 *mask, struct u128 *value)
{
    const struct symtab_symbol *s = cmp->symbol;
    if (symtab_symbol_is_string(s)) {
        *field = s->field;
        *mask = u128_zero();
        *value = u128_zero();
        return true;
    }
    if (s->kind != SYMTAB_FIELD || u128_is_zero(cmp->mask)) {
        return false;
    }
    if (s->n_fields == 1) {
        *field = s->field;
        *mask = cmp->mask;
        *value = cmp->value;
        return true;
    }
    /* A register group (xxreg0 = reg0..reg3, reg0 most significant). */
    unsigned int lo = u128_ctz(cmp->mask);
    unsigned int hi = u128_n_bits(cmp->mask) - 1;
    if (lo / 32 != hi / 32) {
        return false;
    }
    unsigned int word = lo / 32;
    *field = s->field + (s->n_fields - 1 - word);
    *mask = u128_shr(cmp->mask, word * 32);
    *value = u128_shr(cmp->value, word * 32);
    return true;
}

static void
pl_conj_add_mask(struct pl_conj *conj, size_t *allocated,
                 enum symtab_field f, struct u128 mask)
{
    if (conj->n_masks >= *allocated) {
        conj->masks = x2nrealloc(conj->masks, allocated,
                                 sizeof *conj->masks);
    }
    conj->masks[conj->n_masks++] = (struct pl_field_mask) { f, mask };
}

/* Adds the masks of every comparison in 'e' (any shape: a normal form's
 * atom, or part of an expression too big to normalize) to 'conj'. */
static void
pl_conj_add_expr_masks(struct pl_conj *conj, size_t *allocated,
                       const struct expr *e)
{
    if (e->type == EXPR_T_AND || e->type == EXPR_T_OR) {
        for (size_t i = 0; i < e->andor.n_subs; i++) {
            pl_conj_add_expr_masks(conj, allocated, e->andor.subs[i]);
        }
        return;
    }
    if (e->type != EXPR_T_CMP) {
        return;                 /* Constants and conditions read nothing. */
    }
    enum symtab_field f;
    struct u128 mask, value;
    if (!pl_cmp_physical(&e->cmp, &f, &mask, &value)) {
        /* Spans registers: count every one of them. */
        const struct symtab_symbol *s = e->cmp.symbol;
        for (unsigned int k = 0; k < s->n_fields; k++) {
            pl_conj_add_mask(conj, allocated, s->field + k,
                             u128_low_mask(32));
        }
        return;
    }
    pl_conj_add_mask(conj, allocated, f,
                     u128_is_zero(mask) ? u128_low_mask(128) : mask);
}

/* The masks of the conjunction's atoms, atom by atom: when an atom is
 * false, its bits alone decide that the conjunction is (pl_eval()). */
void
pl_conj_compute_masks(struct pl_conj *conj)
{
    const struct expr *e = conj->expr;
    bool is_and = e->type == EXPR_T_AND;
    size_t n_atoms = is_and ? e->andor.n_subs : 1;
    size_t allocated = 0;
    conj->atom_ends = xcalloc(n_atoms, sizeof *conj->atom_ends);
    conj->n_atoms = n_atoms;
    conj->n_guards = 0;
    for (size_t i = 0; i < n_atoms; i++) {
        const struct expr *a = is_and ? e->andor.subs[i] : e;
        pl_conj_add_expr_masks(conj, &allocated, a);
        conj->atom_ends[i] = conj->n_masks;

        struct pl_guard g;
        if (expr_is_eq_cmp(a) && a->cmp.relop == EXPR_R_EQ
            && !symtab_symbol_is_string(a->cmp.symbol)
            && pl_cmp_physical(&a->cmp, &g.field, &g.mask, &g.value)
            && !u128_is_zero(g.mask) && conj->n_guards < PL_MAX_GUARDS) {
            g.value = u128_and(g.value, g.mask);
            conj->guards[conj->n_guards++] = g;
        }
    }
}

void
pl_table_init(struct pl_table *t)
{
    memset(t, 0, sizeof *t);
}

void
pl_table_destroy(struct pl_table *t)
{
    for (size_t i = 0; i < t->n_subtables; i++) {
        struct pl_subtable *st = t->subtables[i];
        struct pl_entry *e;
        HMAP_FOR_EACH_POP (e, node, &st->entries) {
            free(e);
        }
        hmap_destroy(&st->entries);
        free(st);
    }
    free(t->subtables);
    free(t->wild);
}

static uint32_t
pl_key_hash(enum symtab_field f, const char *string, struct u128 value)
{
    return (string ? hash_string(string, f)
            : hash_uint64(value.lo, hash_uint64(value.hi, f)));
}

static struct pl_subtable *
pl_subtable_get(struct pl_table *t, enum symtab_field f, bool is_string,
                struct u128 mask)
{
    for (size_t i = 0; i < t->n_subtables; i++) {
        struct pl_subtable *st = t->subtables[i];
        if (st->field == f && st->is_string == is_string
            && u128_equals(st->mask, mask)) {
            return st;
        }
    }
    if (t->n_subtables >= t->allocated_subtables) {
        t->subtables = x2nrealloc(t->subtables, &t->allocated_subtables,
                                  sizeof *t->subtables);
    }
    struct pl_subtable *st = xzalloc(sizeof *st);
    t->subtables[t->n_subtables++] = st;
    st->field = f;
    st->is_string = is_string;
    st->mask = mask;
    st->max_priority = 0;
    st->n_guards = 0;
    st->has_entries = false;
    hmap_init(&st->entries);
    return st;
}

static bool
pl_guard_equals(const struct pl_guard *a, const struct pl_guard *b)
{
    return (a->field == b->field && u128_equals(a->mask, b->mask)
            && u128_equals(a->value, b->value));
}

/* Keeps in 'st''s guards those that 'conj', a new entry, requires too. */
static void
pl_subtable_guard(struct pl_subtable *st, const struct pl_conj *conj)
{
    if (!st->has_entries) {
        st->has_entries = true;
        memcpy(st->guards, conj->guards, sizeof conj->guards);
        st->n_guards = conj->n_guards;
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < st->n_guards; i++) {
        for (size_t j = 0; j < conj->n_guards; j++) {
            if (pl_guard_equals(&st->guards[i], &conj->guards[j])) {
                st->guards[n++] = st->guards[i];
                break;
            }
        }
    }
    st->n_guards = n;
}

static void
pl_file_cmp(struct pl_table *t, const struct pl_conj *conj,
            const struct expr_cmp *cmp)
{
    enum symtab_field f;
    struct u128 mask, value;
    bool ok = pl_cmp_physical(cmp, &f, &mask, &value);
    ASSERT(ok);
    bool is_string = symtab_symbol_is_string(cmp->symbol);
    struct pl_subtable *st = pl_subtable_get(t, f, is_string, mask);
    struct pl_entry *e = xzalloc(sizeof *e);
    e->conj = conj;
    e->string = is_string ? cmp->string : NULL;
    e->value = u128_and(value, mask);
    hmap_insert(&st->entries, &e->node,
                pl_key_hash(f, e->string, e->value));
    if (conj->flow->priority > st->max_priority) {
        st->max_priority = conj->flow->priority;
    }
    pl_subtable_guard(st, conj);
}

/* Returns the rank of atom 'a' as a key (lower is better), or -1 if it
 * cannot be one. */
static int
pl_atom_rank(const struct expr *a)
{
    enum symtab_field f, f0 = 0;
    struct u128 mask, value;
    if (expr_is_eq_cmp(a)) {
        if (a->cmp.relop != EXPR_R_EQ
            || !pl_cmp_physical(&a->cmp, &f, &mask, &value)) {
            return -1;
        }
        return 2 * pl_field_rank(f);
    }
    if (!expr_is_set(a)) {
        return -1;
    }
    for (size_t i = 0; i < a->andor.n_subs; i++) {
        const struct expr *c = a->andor.subs[i];
        if (!expr_is_eq_cmp(c) || c->cmp.relop != EXPR_R_EQ
            || !pl_cmp_physical(&c->cmp, &f, &mask, &value)
            || (i && f != f0)) {
            return -1;
        }
        f0 = f;
    }
    return 2 * pl_field_rank(f0) + 1;
}

void
pl_table_insert(struct pl_table *t, struct pl_conj *conj)
{
    const struct expr *e = conj->expr;
    const struct expr *best = NULL;
    int best_rank = -1;

    if (e->type == EXPR_T_AND) {
        for (size_t i = 0; i < expr_n_atoms(e); i++) {
            const struct expr *a = expr_atom(e, i);
            int rank = pl_atom_rank(a);
            if (rank >= 0 && (best_rank < 0 || rank < best_rank)) {
                best = a;
                best_rank = rank;
            }
        }
    } else if (pl_atom_rank(e) >= 0) {
        /* The whole conjunction is its key (string keys compare the whole
         * name; integer keys the masked value): finding it is matching. */
        best = e;
        conj->key_only = true;
    } else if (e->type == EXPR_T_BOOLEAN && e->boolean) {
        conj->key_only = true;
    }

    if (!best) {
        if (t->n_wild >= t->allocated_wild) {
            t->wild = x2nrealloc(t->wild, &t->allocated_wild,
                                 sizeof *t->wild);
        }
        t->wild[t->n_wild++] = conj;
        if (conj->flow->priority > t->max_wild_priority) {
            t->max_wild_priority = conj->flow->priority;
        }
    } else if (best->type == EXPR_T_CMP) {
        pl_file_cmp(t, conj, &best->cmp);
    } else {
        for (size_t i = 0; i < best->andor.n_subs; i++) {
            pl_file_cmp(t, conj, &best->andor.subs[i]->cmp);
        }
    }
}

/* Is 'c' better than the best so far? */
static bool
pl_better(const struct pl_conj *c, const struct pl_conj *best)
{
    return (!best || c->flow->priority > best->flow->priority
            || (c->flow->priority == best->flow->priority
                && c->flow->seq < best->flow->seq));
}

/* Adds masks [begin, end) of 'c' to 'mask'. */
static void
pl_mask_conj(const struct pl_conj *c, size_t begin, size_t end,
             struct symtab_flow *mask)
{
    if (!mask) {
        return;
    }
    for (size_t i = begin; i < end; i++) {
        struct u128 *m = &mask->fields[c->masks[i].field];
        *m = u128_or(*m, c->masks[i].mask);
    }
}

/* Evaluates 'c' on 'flow', adding to 'mask' the bits that decided it:
 * all of its atoms' if it matches, else only those of the first atom
 * found false. */
static bool
pl_eval(const struct pl_conj *c, const struct symtab_flow *flow,
        struct symtab_flow *mask)
{
    if (c->key_only) {
        pl_mask_conj(c, 0, c->n_masks, mask);
        return true;
    }
    if (c->expr->type == EXPR_T_AND) {
        for (size_t i = 0; i < c->n_atoms; i++) {
            if (!expr_evaluate(c->expr->andor.subs[i], flow, NULL, NULL)) {
                pl_mask_conj(c, i ? c->atom_ends[i - 1] : 0,
                             c->atom_ends[i], mask);
                return false;
            }
        }
        pl_mask_conj(c, 0, c->n_masks, mask);
        return true;
    }
    pl_mask_conj(c, 0, c->n_masks, mask);
    return expr_evaluate(c->expr, flow, NULL, NULL);
}

static const struct pl_conj *
pl_subtable_lookup(const struct pl_subtable *st,
                   const struct symtab_flow *flow, const struct pl_conj *best,
                   struct symtab_flow *mask)
{
    const char *string = NULL;
    struct u128 value = u128_zero();
    for (size_t i = 0; i < st->n_guards; i++) {
        const struct pl_guard *g = &st->guards[i];
        if (!u128_equals(u128_and(flow->fields[g->field], g->mask),
                         g->value)) {
            /* No entry can match: that is decided by this field alone,
             * whatever the key's bits (ip6.dst of an IPv4 packet...). */
            if (mask) {
                struct u128 *m = &mask->fields[g->field];
                *m = u128_or(*m, g->mask);
            }
            return best;
        }
    }
    if (st->is_string) {
        string = (st->field == SYMTAB_F_INPORT ? flow->inport
                  : flow->outport);
        if (!string) {
            return best;
        }
    } else {
        value = u128_and(flow->fields[st->field], st->mask);
    }
    if (mask) {
        struct u128 *m = &mask->fields[st->field];
        *m = u128_or(*m, st->is_string ? u128_low_mask(128) : st->mask);
    }

    const struct pl_entry *e;
    HMAP_FOR_EACH_WITH_HASH (e, node, pl_key_hash(st->field, string, value),
                             &st->entries) {
        if ((string ? !strcmp(e->string, string)
             : u128_equals(e->value, value))
            && pl_better(e->conj, best) && pl_eval(e->conj, flow, mask)) {
            best = e->conj;
        }
    }
    return best;
}

static int
pl_compare_subtables(const void *a_, const void *b_)
{
    const struct pl_subtable *const *a = a_, *const *b = b_;
    return ((*a)->max_priority < (*b)->max_priority ? 1
            : (*a)->max_priority > (*b)->max_priority ? -1 : 0);
}

static int
pl_compare_conjs(const void *a_, const void *b_)
{
    const struct pl_conj *const *a = a_, *const *b = b_;
    const struct pl_flow *fa = (*a)->flow, *fb = (*b)->flow;
    return (fa->priority != fb->priority
            ? (fa->priority < fb->priority ? 1 : -1)
            : fa->seq < fb->seq ? -1 : fa->seq > fb->seq);
}

void
pl_table_finish(struct pl_table *t)
{
    if (t->n_subtables) {
        qsort(t->subtables, t->n_subtables, sizeof *t->subtables,
              pl_compare_subtables);
    }
    if (t->n_wild) {
        qsort(t->wild, t->n_wild, sizeof *t->wild, pl_compare_conjs);
    }
}

/* Subtables are in decreasing order of their best priority and the wild
 * list in decreasing priority (pl_table_finish()), so both scans stop as
 * soon as nothing left can beat the best match found. */
const struct pl_conj *
pl_table_lookup(const struct pl_table *t, const struct symtab_flow *flow,
                struct symtab_flow *mask)
{
    const struct pl_conj *best = NULL;
    for (size_t i = 0; i < t->n_subtables; i++) {
        const struct pl_subtable *st = t->subtables[i];
        if (best && st->max_priority < best->flow->priority) {
            break;
        }
        best = pl_subtable_lookup(st, flow, best, mask);
    }
    for (size_t i = 0; i < t->n_wild; i++) {
        const struct pl_conj *c = t->wild[i];
        if (best && c->flow->priority < best->flow->priority) {
            break;
        }
        if (pl_better(c, best) && pl_eval(c, flow, mask)) {
            best = c;
        }
    }
    return best;
}
