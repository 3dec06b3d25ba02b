/* weft-test-expr: runs match expressions through expr/ for the Python
 * tests.
 *
 * Usage: weft-test-expr [OPTIONS] COMMAND [EXPRESSION...]
 *
 * Each EXPRESSION (or, with none, each line of standard input) is handled
 * by COMMAND, which prints one line per expression:
 *
 *   parse       the expression as expr_format() prints it
 *   annotate    the annotated expression, as expr_format_ovn() prints it
 *   normalize   the normal form (expr_format()), checked with
 *               expr_is_normal() and against the annotated expression on
 *               random packets
 *   microflow   ovn-trace's reading: the fields it sets, or the error
 *   symtab      (no expressions) the symbol table as the Markdown table
 *               of docs/flow-language.md
 *
 * An expression that fails prints "error: MESSAGE".  Options:
 *
 *   --as NAME=V1,V2,...   address set $NAME (constants)
 *   --pg NAME=P1,P2,...   port group @NAME (port names)
 *   --max N               normalize: at most N conjunctions (default 10000)
 *   --stats               normalize: print "ok N-CONJUNCTIONS" instead
 *   --no-check            normalize: skip the random-packet comparison
 *
 * The exit status is 1 if any expression failed, else 0. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ds.h"
#include "expr/expr.h"
#include "shash.h"
#include "util.h"

struct tool {
    struct symtab *symtab;
    struct shash addr_sets;     /* Name -> struct expr_const_set *. */
    struct shash port_groups;   /* Name -> struct expr_const_set *. */
    struct expr_env env;
    size_t max;
    bool stats;
    bool check;
};

static const struct expr_const_set *
lookup_set(const void *map, const char *name)
{
    return shash_find_data(map, name);
}

static const struct expr_const_set *
lookup_addr_set(const void *aux, const char *name)
{
    const struct tool *t = aux;
    return lookup_set(&t->addr_sets, name);
}

static const struct expr_const_set *
lookup_port_group(const void *aux, const char *name)
{
    const struct tool *t = aux;
    return lookup_set(&t->port_groups, name);
}

/* Adds "NAME=V1,V2,..." to 'map'. */
static void
add_set(struct shash *map, const char *arg, bool is_string)
{
    const char *eq = strchr(arg, '=');
    if (!eq) {
        util_abort("%s: expected NAME=VALUES", arg);
    }
    struct expr_const_set *set = xmalloc(sizeof *set);
    expr_const_set_init(set, is_string);
    char *values = xstrdup(eq + 1), *save = NULL;
    for (char *v = strtok_r(values, ",", &save); v;
         v = strtok_r(NULL, ",", &save)) {
        if (is_string) {
            expr_const_set_add_string(set, v);
        } else {
            char *error = expr_const_set_add_integer(set, v);
            if (error) {
                util_abort("%s: %s", v, error);
            }
        }
    }
    free(values);
    char *name = xmemdup0(arg, eq - arg);
    shash_add(map, name, set);
    free(name);
}

/* Evaluates 'a' and 'b' on random packets; returns false if they differ.
 * The packets mostly satisfy 'a''s first conjunction, so that the check
 * is not trivially "both false". */
static bool
same_on_random_packets(const struct expr *a, const struct expr *b,
                       const struct expr *normal, uint32_t *seed)
{
    for (int round = 0; round < 64; round++) {
        struct symtab_flow flow;
        symtab_flow_init(&flow);
        for (int f = 0; f < SYMTAB_N_FIELDS; f++) {
            *seed = *seed * 1103515245 + 12345;
            uint64_t r = *seed;
            *seed = *seed * 1103515245 + 12345;
            r = (r << 32) | *seed;
            flow.fields[f] = u128_and(u128_make(r * 7, r),
                                      u128_low_mask(symtab_field_width(f)));
        }
        size_t n = expr_n_conjunctions(normal);
        if (n && round % 4) {
            const struct expr *conj = expr_conjunction(normal, round % n);
            for (size_t i = 0; i < expr_n_atoms(conj); i++) {
                const struct expr *atom = expr_atom(conj, i);
                if (expr_is_set(atom)) {
                    atom = atom->andor.subs[round % atom->andor.n_subs];
                }
                if (atom->type == EXPR_T_CMP && atom->cmp.string) {
                    symtab_flow_set_string(&flow, atom->cmp.symbol,
                                           atom->cmp.string);
                } else if (atom->type == EXPR_T_CMP) {
                    symtab_flow_set(&flow, atom->cmp.symbol,
                                    atom->cmp.value, atom->cmp.mask);
                }
            }
        }
        bool va = expr_evaluate(a, &flow, NULL, NULL);
        bool vb = expr_evaluate(b, &flow, NULL, NULL);
        symtab_flow_destroy(&flow);
        if (va != vb) {
            return false;
        }
    }
    return true;
}

static char *
do_normalize(struct tool *t, struct expr *e, struct ds *out)
{
    static uint32_t seed = 1;
    char *error = NULL;

    e = expr_annotate(e, t->symtab, &error);
    if (!e) {
        return error;
    }
    struct expr *annotated = expr_clone(e);
    int retval = expr_normalize(&e, t->max);
    if (retval) {
        error = xasprintf("normalization gave up (%s)",
                          util_strerror(retval));
    } else if (!expr_is_normal(e)) {
        error = xstrdup("result is not in normal form");
    } else if (t->check && !same_on_random_packets(annotated, e, e, &seed)) {
        error = xstrdup("normal form differs from annotated expression");
    } else if (t->stats) {
        ds_put_format(out, "ok %zu", expr_n_conjunctions(e));
    } else {
        expr_format(e, out);
    }
    expr_destroy(annotated);
    expr_destroy(e);
    return error;
}

static char *
do_microflow(struct tool *t, const char *s, struct ds *out)
{
    struct symtab_flow flow;
    char *error;

    symtab_flow_init(&flow);
    error = expr_parse_microflow(s, &t->env, NULL, NULL, &flow);
    if (!error) {
        if (flow.inport) {
            ds_put_format(out, "inport=\"%s\" ", flow.inport);
        }
        if (flow.outport) {
            ds_put_format(out, "outport=\"%s\" ", flow.outport);
        }
        for (int f = 0; f < SYMTAB_N_FIELDS; f++) {
            if (!u128_is_zero(flow.fields[f])) {
                ds_put_format(out, "%s=", symtab_field_name(f));
                lex_value_format(flow.fields[f], LEX_F_HEXADECIMAL, out);
                ds_put_char(out, ' ');
            }
        }
        ds_chomp(out, ' ');
    }
    symtab_flow_destroy(&flow);
    return error;
}

static const char *
level_name(enum symtab_level level)
{
    return (level == SYMTAB_NOMINAL ? "nominal"
            : level == SYMTAB_ORDINAL ? "ordinal" : "boolean");
}

static const char *
access_name(enum symtab_access access)
{
    return (access == SYMTAB_RO ? "read-only"
            : access == SYMTAB_RW ? "assignable"
            : access == SYMTAB_RW_CT_COMMIT ? "in ct_commit only"
            : "assign only");
}

/* Prints the symbol table as docs/flow-language.md shows it. */
static void
print_symtab(const struct symtab *symtab)
{
    printf("| symbol | kind | width | level | actions | definition | "
           "prerequisites |\n");
    printf("|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < symtab_count(symtab); i++) {
        const struct symtab_symbol *s = symtab_at(symtab, i);
        struct ds def = DS_EMPTY_INITIALIZER;

        if (s->kind == SYMTAB_FIELD && !s->width) {
            ds_put_cstr(&def, "logical port name");
        } else if (s->kind == SYMTAB_FIELD) {
            for (unsigned int j = 0; j < s->n_fields; j++) {
                ds_put_format(&def, "%s%s", j ? ", " : "",
                              symtab_field_name(s->field + j));
            }
        } else if (s->kind == SYMTAB_SUBFIELD) {
            ds_put_format(&def, "%s[%u", s->parent->name, s->ofs);
            if (s->width > 1) {
                ds_put_format(&def, "..%u", s->ofs + s->width - 1);
            }
            ds_put_char(&def, ']');
        } else {
            ds_put_cstr(&def, s->expansion);
        }
        printf("| `%s` | %s | %u | %s | %s | `%s` | %s%s%s |\n", s->name,
               (s->kind == SYMTAB_FIELD ? "field"
                : s->kind == SYMTAB_SUBFIELD ? "subfield" : "predicate"),
               s->width, level_name(s->level),
               s->kind == SYMTAB_PREDICATE ? "-" : access_name(s->access),
               ds_cstr(&def), s->prereqs ? "`" : "",
               s->prereqs ? s->prereqs : "", s->prereqs ? "`" : "");
        ds_destroy(&def);
    }
}

static bool
run(struct tool *t, const char *command, const char *s)
{
    struct ds out = DS_EMPTY_INITIALIZER;
    char *error = NULL;

    if (!strcmp(command, "microflow")) {
        error = do_microflow(t, s, &out);
    } else {
        struct expr *e = expr_parse_string(s, &t->env, &error);
        if (!e) {
            /* Reported below. */
        } else if (!strcmp(command, "parse")) {
            expr_format(e, &out);
            expr_destroy(e);
        } else if (!strcmp(command, "annotate")) {
            e = expr_annotate(e, t->symtab, &error);
            if (e) {
                expr_format_ovn(e, &out);
                expr_destroy(e);
            }
        } else if (!strcmp(command, "normalize")) {
            error = do_normalize(t, e, &out);
        } else {
            util_abort("%s: unknown command", command);
        }
    }
    if (error) {
        printf("error: %s\n", error);
    } else {
        printf("%s\n", ds_cstr(&out));
    }
    fflush(stdout);
    free(error);
    ds_destroy(&out);
    return !error;
}

int
main(int argc, char *argv[])
{
    struct tool t;
    int i;

    t.symtab = symtab_create();
    shash_init(&t.addr_sets);
    shash_init(&t.port_groups);
    t.env = (struct expr_env) { t.symtab, lookup_addr_set,
                                lookup_port_group, &t };
    t.max = 10000;
    t.stats = false;
    t.check = true;
    for (i = 1; i < argc && !strncmp(argv[i], "--", 2); i++) {
        if (!strcmp(argv[i], "--as") && i + 1 < argc) {
            add_set(&t.addr_sets, argv[++i], false);
        } else if (!strcmp(argv[i], "--pg") && i + 1 < argc) {
            add_set(&t.port_groups, argv[++i], true);
        } else if (!strcmp(argv[i], "--max") && i + 1 < argc) {
            t.max = strtoul(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--stats")) {
            t.stats = true;
        } else if (!strcmp(argv[i], "--no-check")) {
            t.check = false;
        } else {
            util_abort("%s: unknown option", argv[i]);
        }
    }
    if (i >= argc) {
        util_abort("usage: %s [OPTIONS] COMMAND [EXPRESSION...]", argv[0]);
    }

    const char *command = argv[i++];
    bool ok = true;
    if (!strcmp(command, "symtab")) {
        print_symtab(t.symtab);
    } else if (i < argc) {
        for (; i < argc; i++) {
            ok &= run(&t, command, argv[i]);
        }
    } else {
        struct ds line = DS_EMPTY_INITIALIZER;
        while (!ds_get_line(&line, stdin)) {
            ok &= run(&t, command, ds_cstr(&line));
        }
        ds_destroy(&line);
    }

    struct shash_node *node;
    SHASH_FOR_EACH (node, &t.addr_sets) {
        expr_const_set_destroy(node->data);
        free(node->data);
    }
    SHASH_FOR_EACH (node, &t.port_groups) {
        expr_const_set_destroy(node->data);
        free(node->data);
    }
    shash_destroy(&t.addr_sets);
    shash_destroy(&t.port_groups);
    symtab_destroy(t.symtab);
    return !ok;
}
