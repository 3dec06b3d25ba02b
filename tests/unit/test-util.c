/* Unit tests for lib/util's string helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util.h"

/* Splits 's' and checks the words against the NULL-terminated 'want'. */
static void
check_split(const char *s, bool want_ok, const char *const *want)
{
    char **words;
    size_t n, n_want = 0;

    assert_true(str_split_words(s, &words, &n) == want_ok);
    while (want[n_want]) {
        n_want++;
    }
    assert_int_equal(n, n_want);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(words[i], want[i]);
    }
    assert_null(words[n]);
    str_free_words(words);
}

static void
test_split_words(void **state OVS_UNUSED)
{
    check_split("", true, (const char *[]) { NULL });
    check_split(" \t\n ", true, (const char *[]) { NULL });
    check_split("  --db=x\t --oneline ", true,
                (const char *[]) { "--db=x", "--oneline", NULL });
    check_split("--db=\"a b\" 'c d'", true,
                (const char *[]) { "--db=a b", "c d", NULL });
    check_split("a\\ b \"a\\\"b\" 'a\\b' a\\nb a\"\"b", true,
                (const char *[]) { "a b", "a\"b", "a\\b", "anb", "ab",
                                   NULL });
    check_split("a\"b c\"d ''", true,
                (const char *[]) { "ab cd", "", NULL });
    check_split("x a\"b", false, (const char *[]) { "x", "ab", NULL });
    check_split("'open", false, (const char *[]) { "open", NULL });
    check_split("trailing\\", true, (const char *[]) { "trailing", NULL });
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
