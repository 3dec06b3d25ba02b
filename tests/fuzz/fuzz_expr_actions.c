/* fuzz_expr_actions: libFuzzer target for the action language
 * (expr/actions*.c), which weft parses for every southbound logical flow.
 *
 * The first byte of the input picks the flow's context: bit 0 the
 * pipeline (ingress or egress), the rest modulo ACTIONS_N_TABLES its
 * table; the other bytes are the actions (up to the first NUL).  A
 * successful parse is checked further:
 *
 *   - it must print as text that parses again to an equal structure and
 *     prints the same (what weft prints, it must read);
 *   - its prerequisites must lex;
 *   - the loads and moves at the top level are executed on a flow with
 *     action_field_read/write(), as the pipeline engine does.
 *
 * Any failure aborts, which libFuzzer reports as a crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ds.h"
#include "expr/actions.h"
#include "expr/lex.h"
#include "expr/symtab.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_prereqs(const char *prereqs)
{
    struct lexer lexer;

    lexer_init(&lexer, prereqs);
    while (lexer_get(&lexer) != LEX_T_END) {
        if (lexer.token.type == LEX_T_ERROR) {
            abort();
        }
    }
    lexer_destroy(&lexer);
}

static void
check_round_trip(const struct action_list *acts,
                 const struct actions_params *pp)
{
    struct ds text = DS_EMPTY_INITIALIZER;
    struct ds text2 = DS_EMPTY_INITIALIZER;
    struct action_list again;

    actions_format(acts, &text);
    char *error = actions_parse(ds_cstr(&text), pp, &again, NULL);
    if (error || !actions_equal(acts, &again)) {
        abort();
    }
    actions_format(&again, &text2);
    if (strcmp(ds_cstr(&text), ds_cstr(&text2))) {
        abort();
    }
    action_list_destroy(&again);
    ds_destroy(&text);
    ds_destroy(&text2);
}

/* Runs the top-level loads and moves on an all-zero flow. */
static void
execute_fields(const struct action_list *acts)
{
    struct symtab_flow flow;

    symtab_flow_init(&flow);
    for (size_t i = 0; i < acts->n_actions; i++) {
        const struct action *a = &acts->actions[i];
        if (a->type == ACTION_LOAD && a->load.value.type != LEX_T_STRING) {
            action_field_write(&a->load.dst, &flow, a->load.value.value,
                               a->load.value.mask);
        } else if (a->type == ACTION_LOAD) {
            symtab_flow_set_string(&flow, a->load.dst.symbol,
                                   a->load.value.s);
        } else if (a->type == ACTION_MOVE
                   && !symtab_symbol_is_string(a->move.src.symbol)) {
            struct u128 v = action_field_read(&a->move.src, &flow);
            action_field_write(&a->move.dst, &flow, v, u128_low_mask(128));
        }
    }
    symtab_flow_destroy(&flow);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct symtab *symtab;

    if (!size) {
        return 0;
    }
    if (!symtab) {
        symtab = symtab_create();
    }

    struct actions_params pp = {
        .symtab = symtab,
        .pipeline = data[0] & 1 ? ACTIONS_EGRESS : ACTIONS_INGRESS,
        .cur_table = (data[0] >> 1) % ACTIONS_N_TABLES,
        .n_tables = ACTIONS_N_TABLES,
    };
    char *input = xmemdup0((const char *) data + 1, size - 1);
    struct ds prereqs = DS_EMPTY_INITIALIZER;
    struct action_list acts;

    char *error = actions_parse(input, &pp, &acts, &prereqs);
    if (error) {
        if (!error[0] || acts.n_actions) {
            abort();
        }
        free(error);
    } else {
        check_prereqs(ds_cstr(&prereqs));
        check_round_trip(&acts, &pp);
        execute_fields(&acts);
        action_list_destroy(&acts);
    }
    ds_destroy(&prereqs);
    free(input);
    return 0;
}
