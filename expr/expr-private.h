/* expr-private: declarations shared by the expr*.c files only. */
#ifndef WEFT_EXPR_EXPR_PRIVATE_H
#define WEFT_EXPR_EXPR_PRIVATE_H 1

#include "expr/expr.h"

/* Fills 'c' from integer token 't'. */
void expr_constant_from_token(struct expr_constant *c,
                              const struct lex_token *t);

/* Returns the value of integer comparison 'cmp' when its symbol's bits
 * are 'x'. */
bool expr_cmp_test(const struct expr_cmp *cmp, struct u128 x);

/* Recomputes the printing hints of 'cmp' (slice, formats) from its value
 * and mask, after they were computed rather than written. */
void expr_cmp_reset_hints(struct expr_cmp *cmp);

/* Is 'e' an == comparison on an integer or string field? */
static inline bool
expr_is_eq_cmp(const struct expr *e)
{
    return e->type == EXPR_T_CMP && e->cmp.relop == EXPR_R_EQ;
}

/* The physical field an annotated comparison is about: comparisons on the
 * same key test the same bits. */
static inline enum symtab_field
expr_cmp_key(const struct expr *e)
{
    return e->cmp.symbol->field;
}

#endif
