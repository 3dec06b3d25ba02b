/* expr: match expressions of OVN's logical flow language.
 *
 * The life of a match, as OVN runs it:
 *
 *     expr_parse_string()   text -> tree, with OVN's restrictions and
 *                           error messages ("Nominal field eth.type may
 *                           only be tested for equality ...").  $sets and
 *                           @groups are expanded through 'struct expr_env'.
 *     expr_annotate()       predicates expanded, subfields turned into bit
 *                           ranges of their fields (reg0 -> xxreg0[96..127]),
 *                           prerequisites added (tcp.dst -> && tcp -> && ip).
 *     expr_simplify()       every comparison becomes masked equalities:
 *                           != < <= > >= are rewritten as ORs of them.
 *     expr_normalize()      disjunctive normal form (below).
 *
 * expr_evaluate() computes an expression's value for one packet
 * ('struct symtab_flow') at any of these stages, except that predicates
 * must have been annotated away.  expr_format() prints an expression back
 * in the language (parse(format(e)) is equivalent to e); expr_format_ovn()
 * prints as OVN does in its messages (hexadecimal constants, fields sliced
 * by their masks).  expr_parse_microflow() is ovn-trace's reading of a
 * packet description.
 *
 * Tree: an expression is a comparison (EXPR_T_CMP), an AND or OR of two or
 * more subexpressions (never an AND directly inside an AND, nor an OR
 * inside an OR), a constant (EXPR_T_BOOLEAN) or is_chassis_resident()
 * (EXPR_T_CONDITION).  There is no NOT node: '!' is pushed down to the
 * comparisons when parsed (expr_not()).  A comparison is
 * "symbol[slice] relop constant": integer ones hold 'value' and 'mask' in
 * the symbol's bit numbering (the slice and any "/MASK" combined, value &
 * ~mask == 0); string ones (inport, outport) hold the port name.
 *
 * Normal form (expr_normalize()):
 *
 *     normal  := false | true | conj | OR(conj, conj, ...)
 *     conj    := atom | AND(atom, atom, ...)
 *     atom    := cmp | set | condition
 *     cmp     := field == value/mask      (any mask; fields, never
 *                                          subfields or predicates)
 *              | string-field == "name" | string-field != "name"
 *     set     := OR(cmp, cmp, ...)        (two or more == cmps on one
 *                                          field: "field in {...}")
 *
 * A set is kept as one atom instead of being spread into disjuncts, so
 * "outport == @pg && ip4.src == $as" is one conjunction of two sets, as a
 * classifier wants it.  Within a conjunction, plain cmps on the same field
 * are merged (or found contradictory, dropping the conjunction), a set is
 * filtered by the plain cmps on its field, and atoms are sorted; identical
 * conjunctions are merged.  An OR at the top whose children are all ==
 * cmps on one field is a single set (one conjunction); otherwise each
 * child of a top-level OR is a conjunction, never itself an OR.
 * expr_n_conjunctions()/expr_conjunction() and expr_n_atoms()/expr_atom()
 * walk the form without caring about these cases.  Normalizing multiplies
 * out ANDs of ORs, which can explode: expr_normalize() gives up (E2BIG)
 * beyond a caller-chosen number of conjunctions.
 *
 * Ownership: functions that take a 'struct expr *' and return one consume
 * their argument (it may be returned, modified).  Error strings returned
 * through 'char **errorp' are owned by the caller.  Expressions refer to
 * symbols of a symtab, which must outlive them.  No global state; distinct
 * expressions may be used from different threads. */
#ifndef WEFT_EXPR_EXPR_H
#define WEFT_EXPR_EXPR_H 1

#include <stdbool.h>
#include <stddef.h>
#include "expr/lex.h"
#include "expr/symtab.h"
#include "expr/u128.h"

struct ds;

enum expr_type {
    EXPR_T_CMP,
    EXPR_T_AND,
    EXPR_T_OR,
    EXPR_T_BOOLEAN,
    EXPR_T_CONDITION,
};

enum expr_relop {
    EXPR_R_EQ,
    EXPR_R_NE,
    EXPR_R_LT,
    EXPR_R_LE,
    EXPR_R_GT,
    EXPR_R_GE,
};

const char *expr_relop_to_string(enum expr_relop);
enum expr_relop expr_relop_negate(enum expr_relop);     /* == <-> != ... */

struct expr_cmp {
    const struct symtab_symbol *symbol;
    enum expr_relop relop;

    /* Integer symbols.  For <, <=, >, >= the mask is one contiguous run
     * of bits and the comparison is between the bits under it. */
    struct u128 value;
    struct u128 mask;

    /* String symbols: the name compared with (owned). */
    char *string;

    /* How the comparison was written, for expr_format(): the slice
     * (bits 'ofs'...'ofs + n_bits - 1' of 'symbol'; all of it if n_bits
     * is its width), the constant's formats, and whether it had a
     * "/MASK". */
    unsigned int ofs;
    unsigned int n_bits;
    enum lex_format format;
    enum lex_format mask_format;
    bool masked;
};

struct expr {
    enum expr_type type;
    union {
        struct expr_cmp cmp;            /* EXPR_T_CMP. */
        struct {                        /* EXPR_T_AND, EXPR_T_OR. */
            struct expr **subs;
            size_t n_subs;
            size_t allocated;
        } andor;
        bool boolean;                   /* EXPR_T_BOOLEAN. */
        struct {                        /* EXPR_T_CONDITION. */
            char *port;                 /* is_chassis_resident("port"). */
            bool negated;
        } cond;
    };
};

/* Construction. */
struct expr *expr_create_boolean(bool);
struct expr *expr_create_andor(enum expr_type);          /* Empty. */
struct expr *expr_create_condition(const char *port, bool negated);
/* Creates "field relop value/mask" on the whole of integer 'symbol'. */
struct expr *expr_create_cmp(const struct symtab_symbol *, enum expr_relop,
                             struct u128 value, struct u128 mask);
struct expr *expr_create_string_cmp(const struct symtab_symbol *,
                                    enum expr_relop, const char *string);

/* Adds 'sub' to AND or OR 'andor', flattening a 'sub' of the same type. */
void expr_andor_add(struct expr *andor, struct expr *sub);

/* Returns 'a' AND/OR 'b' ('type'), flattening nested nodes of the same
 * type.  Either may be NULL, meaning "nothing": the other is returned. */
struct expr *expr_combine(enum expr_type, struct expr *a, struct expr *b);

/* Returns the negation of 'expr', with '!' pushed down to the leaves. */
struct expr *expr_not(struct expr *);

struct expr *expr_clone(const struct expr *);
void expr_destroy(struct expr *);

/* A total order on expressions, for sorting and deduplication. */
int expr_compare(const struct expr *, const struct expr *);
bool expr_equals(const struct expr *, const struct expr *);

/* Sets of constants: the contents of an address set or a port group. */
struct expr_constant {
    /* Integers: as the lexer read them (see 'struct lex_token'). */
    struct u128 value;
    struct u128 mask;
    enum lex_format format;
    enum lex_format mask_format;
    bool masked;
    unsigned int n_bits;

    char *string;               /* Strings (owned), else NULL. */
};

struct expr_const_set {
    struct expr_constant *values;
    size_t n_values;
    size_t allocated;
    bool is_string;
};

void expr_const_set_init(struct expr_const_set *, bool is_string);
void expr_const_set_destroy(struct expr_const_set *);
void expr_const_set_add_string(struct expr_const_set *, const char *);

/* Parses 'text' (such as "10.0.0.0/24" or "50:54:00:00:00:01") as one
 * integer constant and adds it to integer set 'set'.  Returns NULL or an
 * owned error message (the set is then unchanged). */
char *expr_const_set_add_integer(struct expr_const_set *, const char *text)
    WARN_UNUSED;

/* What a parse may look up besides the symbol table.  The callbacks may be
 * NULL, meaning that no address set (port group) exists. */
struct expr_env {
    const struct symtab *symtab;
    /* Returns the address set named 'name' (from "$name"), or NULL. */
    const struct expr_const_set *(*addr_set)(const void *aux,
                                             const char *name);
    /* Returns the port group named 'name' (from "@name"), or NULL. */
    const struct expr_const_set *(*port_group)(const void *aux,
                                               const char *name);
    const void *aux;
};

/* Parses match 'string'.  Returns the expression, or NULL after storing an
 * error message in '*errorp'. */
struct expr *expr_parse_string(const char *string, const struct expr_env *,
                               char **errorp);
/* The same, also storing in '*error_posp' the byte offset of the token an
 * error was found at (SIZE_MAX if none, or if the error is not about one
 * token), so that a tool can point at it. */
struct expr *expr_parse_string_at(const char *string,
                                  const struct expr_env *, char **errorp,
                                  size_t *error_posp);

/* Parses a match from 'lexer', whose current token is its first; stops at
 * the first token that cannot continue it.  On error returns NULL with the
 * message in 'lexer->error'. */
struct expr *expr_parse(struct lexer *, const struct expr_env *);

/* A field or subfield reference with an optional slice, as actions use
 * them ("reg0[1..3]", "eth.dst", "outport"). */
struct expr_field {
    const struct symtab_symbol *symbol;     /* Field or subfield. */
    unsigned int ofs;                       /* First bit of the slice. */
    unsigned int n_bits;                    /* 0 for a string field. */
};

/* Parses a field reference from 'lexer'.  Returns false with an error in
 * the lexer if there is none (predicates are refused: "Predicate symbol
 * ip4 used where lvalue required.").  expr_field_format() prints it. */
bool expr_field_parse(struct lexer *, const struct symtab *,
                      struct expr_field *);
void expr_field_format(const struct expr_field *, struct ds *);

/* Expands predicates, turns subfields into slices of their fields and adds
 * prerequisites.  On error returns NULL with a message in '*errorp'. */
struct expr *expr_annotate(struct expr *, const struct symtab *,
                           char **errorp);

/* Rewrites every integer comparison of annotated 'expr' as masked
 * equalities (!= and the ordering operators become ORs of them) and folds
 * constants.  String comparisons and conditions are kept. */
struct expr *expr_simplify(struct expr *);

/* Replaces is_chassis_resident() conditions by their values. */
struct expr *expr_evaluate_conditions(
    struct expr *, bool (*is_chassis_resident)(const void *aux,
                                               const char *port),
    const void *aux);

/* Puts annotated 'expr' (simplified or not) in normal form, in place.
 * Returns 0, or E2BIG if the form would need more than 'max_conjunctions'
 * conjunctions; '*exprp' is then left as expr_simplify() made it. */
int expr_normalize(struct expr **exprp, size_t max_conjunctions);

/* Walks a normal form: its conjunctions (0 for false, 1 for true, which is
 * an empty conjunction), and the atoms of one conjunction. */
size_t expr_n_conjunctions(const struct expr *normal);
const struct expr *expr_conjunction(const struct expr *normal, size_t i);
size_t expr_n_atoms(const struct expr *conj);
const struct expr *expr_atom(const struct expr *conj, size_t i);

/* Is 'expr' an OR of two or more == comparisons on one field? */
bool expr_is_set(const struct expr *);

/* Is 'expr' in normal form? (For tests and assertions.) */
bool expr_is_normal(const struct expr *);

/* Returns the value of 'expr' for 'flow'.  is_chassis_resident() is asked
 * about conditions (a NULL callback makes them false).  'expr' must not
 * contain predicates (annotate it first). */
bool expr_evaluate(const struct expr *, const struct symtab_flow *,
                   bool (*is_chassis_resident)(const void *aux,
                                               const char *port),
                   const void *aux);

/* Prints 'expr' in the language, keeping constants as written. */
void expr_format(const struct expr *, struct ds *);

/* Prints 'expr' as OVN 23.03 prints expressions in its messages. */
void expr_format_ovn(const struct expr *, struct ds *);

/* ovn-trace's microflow: parses 'string' (e.g. 'inport == "vm1" &&
 * eth.src == 50:54:00:00:00:01 && ip4.src == 10.0.0.2 && ip.ttl == 64')
 * into the packet it describes, prerequisites included (ip4.src implies
 * eth.type == 0x800); fields not mentioned are zero.  The description must
 * be one conjunction of equalities: otherwise the error is "Constraints
 * are ambiguous: ANNOTATED-EXPRESSION." or "Constraints are
 * contradictory.", as ovn-trace says.  is_chassis_resident() answers
 * conditions (NULL: always true, as in ovn-trace).  Returns NULL and fills
 * 'flow' (initialized by the caller), or returns an owned error. */
char *expr_parse_microflow(const char *string, const struct expr_env *,
                           bool (*is_chassis_resident)(const void *aux,
                                                       const char *port),
                           const void *aux, struct symtab_flow *flow)
    WARN_UNUSED;
/* The same; on a syntax error, '*error_posp' (if nonnull) is the byte
 * offset of the offending token, else SIZE_MAX. */
char *expr_parse_microflow_at(const char *string, const struct expr_env *,
                              bool (*is_chassis_resident)(const void *aux,
                                                          const char *port),
                              const void *aux, struct symtab_flow *flow,
                              size_t *error_posp)
    WARN_UNUSED;

#endif
