/* Unit tests for lib/hmap. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hash.h"
#include "hmap.h"
#include "util.h"

struct elem {
    struct hmap_node node;
    int value;
};

static struct elem *
insert(struct hmap *h, int value)
{
    struct elem *e = xzalloc(sizeof *e);
    e->value = value;
    hmap_insert(h, &e->node, hash_int(value, 0));
    return e;
}

/* Pops every node of a large map exactly once. */
static void
test_pop_all(void **state OVS_UNUSED)
{
    enum { N = 10000 };
    struct hmap h = HMAP_INITIALIZER(&h);
    static bool seen[N];
    struct elem *e;
    size_t n = 0;

    for (int i = 0; i < N; i++) {
        insert(&h, i);
    }
    HMAP_FOR_EACH_POP (e, node, &h) {
        assert_false(seen[e->value]);
        seen[e->value] = true;
        free(e);
        n++;
    }
    assert_int_equal(n, N);
    assert_true(hmap_is_empty(&h));
    hmap_destroy(&h);
}

/* Nodes the loop body inserts are popped too, even when the insertion
 * resizes the map or lands in a bucket the scan has passed. */
static void
test_pop_with_inserts(void **state OVS_UNUSED)
{
    struct hmap h = HMAP_INITIALIZER(&h);
    int total = 0, n = 0;
    struct elem *e;

    for (int i = 0; i < 8; i++) {
        insert(&h, i);
        total += i;
    }
    HMAP_FOR_EACH_POP (e, node, &h) {
        if (e->value < 8) {
            /* Each original node brings 64 more. */
            for (int j = 0; j < 64; j++) {
                insert(&h, 1000 + e->value * 64 + j);
                total += 1000 + e->value * 64 + j;
            }
        }
        total -= e->value;
        n++;
        free(e);
    }
    assert_int_equal(n, 8 + 8 * 64);
    assert_int_equal(total, 0);
    hmap_destroy(&h);
}

/* A map shrunk by the loop body is still emptied. */
static void
test_pop_with_shrink(void **state OVS_UNUSED)
{
    struct hmap h = HMAP_INITIALIZER(&h);
    struct elem *e;
    int n = 0;

    for (int i = 0; i < 1000; i++) {
        insert(&h, i);
    }
    HMAP_FOR_EACH_POP (e, node, &h) {
        free(e);
        if (++n == 900) {
            hmap_shrink(&h);
        }
    }
    assert_int_equal(n, 1000);
    hmap_destroy(&h);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pop_all),
        cmocka_unit_test(test_pop_with_inserts),
        cmocka_unit_test(test_pop_with_shrink),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
