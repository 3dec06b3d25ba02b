/* expr-microflow: ovn-trace's packet descriptions.  See expr.h.
 *
 * A microflow is parsed and annotated like a match, its conditions are
 * evaluated, and its normal form must be a single conjunction of plain
 * equalities, each of which sets bits of the packet.  The error messages
 * and the expression they quote are ovn-trace's. */
#include "expr/expr.h"

#include <errno.h>
#include <stdint.h>

#include "ds.h"
#include "expr/expr-private.h"
#include "util.h"

/* Enough to see that a description with a few alternatives that cancel out
 * is unambiguous; more means ambiguous anyway. */
#define EXPR_MICROFLOW_MAX_CONJUNCTIONS 1024

static bool
expr_always_resident(const void *aux OVS_UNUSED, const char *port OVS_UNUSED)
{
    return true;
}

/* Applies the equalities of conjunction 'conj' to 'flow'.  Returns false if
 * one of its atoms is not a plain equality. */
static bool
expr_microflow_apply(const struct expr *conj, struct symtab_flow *flow)
{
    for (size_t i = 0; i < expr_n_atoms(conj); i++) {
        const struct expr *a = expr_atom(conj, i);
        if (!expr_is_eq_cmp(a)) {
            return false;
        }
    }
    for (size_t i = 0; i < expr_n_atoms(conj); i++) {
        const struct expr_cmp *cmp = &expr_atom(conj, i)->cmp;
        if (cmp->string) {
            symtab_flow_set_string(flow, cmp->symbol, cmp->string);
        } else {
            symtab_flow_set(flow, cmp->symbol, cmp->value, cmp->mask);
        }
    }
    return true;
}

char *
expr_parse_microflow(const char *string, const struct expr_env *env,
                     bool (*is_chassis_resident)(const void *aux,
                                                 const char *port),
                     const void *aux, struct symtab_flow *flow)
{
    return expr_parse_microflow_at(string, env, is_chassis_resident, aux,
                                   flow, NULL);
}

char *
expr_parse_microflow_at(const char *string, const struct expr_env *env,
                        bool (*is_chassis_resident)(const void *aux,
                                                    const char *port),
                        const void *aux, struct symtab_flow *flow,
                        size_t *error_posp)
{
    struct ds annotated = DS_EMPTY_INITIALIZER;
    char *error = NULL;
    struct expr *e;

    if (error_posp) {
        *error_posp = SIZE_MAX;
    }
    e = expr_parse_string_at(string, env, &error, error_posp);
    if (e) {
        e = expr_annotate(e, env->symtab, &error);
    }
    if (!e) {
        return error;
    }

    expr_format_ovn(e, &annotated);
    e = expr_evaluate_conditions(e, (is_chassis_resident
                                     ? is_chassis_resident
                                     : expr_always_resident), aux);
    int retval = expr_normalize(&e, EXPR_MICROFLOW_MAX_CONJUNCTIONS);
    if (!retval && expr_n_conjunctions(e) == 0) {
        error = xstrdup("Constraints are contradictory.");
    } else if (retval || expr_n_conjunctions(e) != 1
               || !expr_microflow_apply(expr_conjunction(e, 0), flow)) {
        error = xasprintf("Constraints are ambiguous: %s.",
                          ds_cstr(&annotated));
    }
    ds_destroy(&annotated);
    expr_destroy(e);
    return error;
}
