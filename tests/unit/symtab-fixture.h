/* A cmocka group fixture shared by the unit tests that need OVN's symbol
 * table: 'symtab' is created before the group's tests and destroyed after
 * them (cmocka_run_group_tests(tests, setup, teardown)).  Include it in
 * one test program only, after <cmocka.h>. */
#ifndef WEFT_TESTS_UNIT_SYMTAB_FIXTURE_H
#define WEFT_TESTS_UNIT_SYMTAB_FIXTURE_H 1

#include "expr/symtab.h"
#include "util.h"

static struct symtab *symtab;

static int
setup(void **state OVS_UNUSED)
{
    symtab = symtab_create();
    return 0;
}

static int
teardown(void **state OVS_UNUSED)
{
    symtab_destroy(symtab);
    return 0;
}

#endif
