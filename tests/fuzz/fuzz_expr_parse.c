/* fuzz_expr_parse: libFuzzer target for the match language (expr/): the
 * lexer, parser, annotation, normalization, evaluation, formatting and
 * ovn-trace's microflow reading.
 *
 * The input is the text of a match (up to its first NUL byte).  Besides
 * not crashing, the target checks:
 *
 *   - what expr_format() prints parses back to an equal expression;
 *   - the normal form passes expr_is_normal() and agrees with the
 *     annotated expression on packets built from its conjunctions and on
 *     packets derived from the input's bytes;
 *   - a microflow that expr_parse_microflow() accepts is a packet that the
 *     expression matches.
 *
 * Address sets $as4, $as6, $mac and port group @pg exist.  The symbols and
 * punctuation are in expr_parse.dict, for libFuzzer's -dict= option. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ds.h"
#include "expr/expr.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct fuzz_env {
    struct symtab *symtab;
    struct expr_const_set as4, as6, mac, pg;
    struct expr_env env;
};

static const struct expr_const_set *
fuzz_addr_set(const void *aux, const char *name)
{
    const struct fuzz_env *f = aux;
    return (!strcmp(name, "as4") ? &f->as4
            : !strcmp(name, "as6") ? &f->as6
            : !strcmp(name, "mac") ? &f->mac : NULL);
}

static const struct expr_const_set *
fuzz_port_group(const void *aux, const char *name)
{
    const struct fuzz_env *f = aux;
    return !strcmp(name, "pg") ? &f->pg : NULL;
}

static void
fuzz_add(struct expr_const_set *set, const char *text)
{
    char *error = expr_const_set_add_integer(set, text);
    if (error) {
        abort();
    }
}

static struct fuzz_env *
fuzz_env_get(void)
{
    static struct fuzz_env *f;

    if (!f) {
        f = xzalloc(sizeof *f);
        f->symtab = symtab_create();
        expr_const_set_init(&f->as4, false);
        fuzz_add(&f->as4, "10.0.0.0/24");
        fuzz_add(&f->as4, "10.0.1.2");
        expr_const_set_init(&f->as6, false);
        fuzz_add(&f->as6, "fd00::/64");
        fuzz_add(&f->as6, "fd01::5");
        expr_const_set_init(&f->mac, false);
        fuzz_add(&f->mac, "50:54:00:00:00:01");
        expr_const_set_init(&f->pg, true);
        expr_const_set_add_string(&f->pg, "vm1");
        expr_const_set_add_string(&f->pg, "vm2");
        f->env = (struct expr_env) { f->symtab, fuzz_addr_set,
                                     fuzz_port_group, f };
    }
    return f;
}

static bool
fuzz_resident(const void *aux, const char *port)
{
    const uint32_t *seed = aux;
    return (*seed ^ (uint32_t) strlen(port)) & 1;
}

/* Fills 'flow' with bits from 'seed'. */
static void
fuzz_flow(const struct fuzz_env *f, struct symtab_flow *flow, uint32_t seed)
{
    for (int i = 0; i < SYMTAB_N_FIELDS; i++) {
        seed = seed * 1103515245 + 12345;
        uint64_t r = ((uint64_t) seed << 32) | (seed * 2654435761u);
        flow->fields[i] = u128_and(u128_make(r * 31, r),
                                   u128_low_mask(symtab_field_width(i)));
    }
    symtab_flow_set_string(flow, symtab_lookup(f->symtab, "inport"),
                           seed & 1 ? "vm1" : "vm3");
}

/* Makes 'flow' satisfy conjunction 'conj' as far as its plain atoms go. */
static void
fuzz_satisfy(struct symtab_flow *flow, const struct expr *conj, size_t pick)
{
    for (size_t i = 0; i < expr_n_atoms(conj); i++) {
        const struct expr *a = expr_atom(conj, i);
        if (expr_is_set(a)) {
            a = a->andor.subs[pick % a->andor.n_subs];
        }
        if (a->type != EXPR_T_CMP || a->cmp.relop != EXPR_R_EQ) {
            continue;
        } else if (a->cmp.string) {
            symtab_flow_set_string(flow, a->cmp.symbol, a->cmp.string);
        } else {
            symtab_flow_set(flow, a->cmp.symbol, a->cmp.value, a->cmp.mask);
        }
    }
}

static void
fuzz_compare(const struct fuzz_env *f, const struct expr *annotated,
             const struct expr *normal, uint32_t seed)
{
    size_t n = expr_n_conjunctions(normal);

    for (int round = 0; round < 16; round++) {
        struct symtab_flow flow;
        uint32_t s = seed + round;

        symtab_flow_init(&flow);
        fuzz_flow(f, &flow, s);
        if (n && round % 2) {
            fuzz_satisfy(&flow, expr_conjunction(normal, round % n), round);
        }
        if (expr_evaluate(annotated, &flow, fuzz_resident, &s)
            != expr_evaluate(normal, &flow, fuzz_resident, &s)) {
            abort();
        }
        symtab_flow_destroy(&flow);
    }
}

/* Formats 'e' and checks that it parses back to the same. */
static void
fuzz_round_trip(const struct fuzz_env *f, const struct expr *e)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    char *error;

    expr_format(e, &s);
    struct expr *again = expr_parse_string(ds_cstr(&s), &f->env, &error);
    if (!again || !expr_equals(e, again)) {
        abort();
    }
    expr_destroy(again);
    ds_clear(&s);
    expr_format_ovn(e, &s);
    ds_destroy(&s);
}

static bool
fuzz_always(const void *aux OVS_UNUSED, const char *port OVS_UNUSED)
{
    return true;
}

/* Reads 'text' as a microflow; if that works, 'annotated' (its annotated
 * expression) must hold for the packet. */
static void
fuzz_microflow(const struct fuzz_env *f, const char *text,
               const struct expr *annotated)
{
    struct symtab_flow flow;

    symtab_flow_init(&flow);
    char *error = expr_parse_microflow(text, &f->env, NULL, NULL, &flow);
    if (!error && !expr_evaluate(annotated, &flow, fuzz_always, NULL)) {
        abort();
    }
    free(error);
    symtab_flow_destroy(&flow);
}

static void
fuzz_lex(const char *text)
{
    struct lexer lexer;
    struct ds s = DS_EMPTY_INITIALIZER;

    lexer_init(&lexer, text);
    while (lexer_get(&lexer) != LEX_T_END) {
        lex_token_format(&lexer.token, &s);
    }
    lexer_destroy(&lexer);
    ds_destroy(&s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_env *f = fuzz_env_get();
    char *text = xmemdup0((const char *) data, size);
    uint32_t seed = size;
    char *error = NULL;

    for (size_t i = 0; i < size; i++) {
        seed = seed * 31 + data[i];
    }
    fuzz_lex(text);

    struct expr *e = expr_parse_string(text, &f->env, &error);
    free(error);
    if (e) {
        fuzz_round_trip(f, e);
        e = expr_annotate(e, f->symtab, &error);
        free(error);
    }
    if (e) {
        fuzz_microflow(f, text, e);
        struct expr *normal = expr_clone(e);
        if (!expr_normalize(&normal, 1000)) {
            if (!expr_is_normal(normal)) {
                abort();
            }
            fuzz_compare(f, e, normal, seed);
        }
        expr_destroy(normal);
        expr_destroy(e);
    }

    free(text);
    return 0;
}
