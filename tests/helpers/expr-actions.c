/* weft-test-expr-actions: parses logical flow actions with expr/actions and
 * prints the result, for tests that compare weft with the real ovn-trace.
 *
 * Reads one input per line from stdin and prints one line per input:
 *
 *     OK <canonical form> || <prerequisites>
 *     ERR <error message>
 *
 * Options: --egress (parse as egress-pipeline flows), --table=N (the
 * flows' table, default 0), --split (separate the actions of the
 * canonical form with " @@ " instead of a space).  Backslash escapes are not interpreted: an
 * input is the line as is, without its newline. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ds.h"
#include "expr/actions.h"
#include "expr/symtab.h"

int
main(int argc, char *argv[])
{
    struct actions_params pp = {
        .pipeline = ACTIONS_INGRESS,
        .cur_table = 0,
        .n_tables = ACTIONS_N_TABLES,
    };
    bool split = false;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--egress")) {
            pp.pipeline = ACTIONS_EGRESS;
        } else if (!strcmp(argv[i], "--split")) {
            split = true;
        } else if (!strncmp(argv[i], "--table=", 8)) {
            pp.cur_table = atoi(argv[i] + 8);
        } else {
            fprintf(stderr, "usage: %s [--egress] [--table=N] [--split]\n",
                    argv[0]);
            return 2;
        }
    }

    pp.symtab = symtab_create();
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        if (n && line[n - 1] == '\n') {
            line[n - 1] = '\0';
        }

        struct action_list acts;
        struct ds prereqs = DS_EMPTY_INITIALIZER;
        char *error = actions_parse(line, &pp, &acts, &prereqs);
        if (error) {
            printf("ERR %s\n", error);
            free(error);
        } else {
            struct ds s = DS_EMPTY_INITIALIZER;
            if (split && acts.n_actions) {
                for (size_t i = 0; i < acts.n_actions; i++) {
                    ds_put_cstr(&s, i ? " @@ " : "");
                    action_format(&acts.actions[i], &s);
                }
            } else {
                actions_format(&acts, &s);
            }
            printf("OK %s || %s\n", ds_cstr(&s), ds_cstr(&prereqs));
            ds_destroy(&s);
            action_list_destroy(&acts);
        }
        ds_destroy(&prereqs);
    }
    free(line);
    symtab_destroy((struct symtab *) pp.symtab);
    return 0;
}
