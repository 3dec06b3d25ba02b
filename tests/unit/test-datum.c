/* Unit tests for ovsdb/datum.c: the JSON text writers (used for the OVSDB
 * log) produce exactly what serializing the JSON the tree builders return
 * produces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "ds.h"
#include "json.h"
#include "ovsdb/datum.h"
#include "ovsdb/error.h"
#include "ovsdb/string-pool.h"
#include "ovsdb/types.h"
#include "util.h"

static void
parse_type(struct ovsdb_type *type, const char *s)
{
    struct json *json = json_from_string(s, NULL);
    assert_non_null(json);
    assert_null(ovsdb_type_from_json(type, json));
    json_destroy(json);
}

static void
parse_datum(struct ovsdb_datum *datum, const struct ovsdb_type *type,
            const char *s)
{
    struct json *json = json_from_string(s, NULL);
    assert_non_null(json);
    assert_null(ovsdb_datum_from_json(datum, type, json, NULL));
    json_destroy(json);
}

/* Checks both writers on datum 'a_s' and on the diff from 'a_s' to 'b_s',
 * of type 'type_s' (all JSON text). */
static void
check(const char *type_s, const char *a_s, const char *b_s)
{
    struct ovsdb_datum a, b;
    struct ovsdb_type type;
    struct ds ds = DS_EMPTY_INITIALIZER;
    struct json *json;
    char *want;

    parse_type(&type, type_s);
    parse_datum(&a, &type, a_s);
    parse_datum(&b, &type, b_s);

    json = ovsdb_datum_to_json(&a, &type);
    want = json_to_string(json, 0);
    ovsdb_datum_to_json_ds(&a, &type, &ds);
    assert_string_equal(ds_cstr(&ds), want);
    json_destroy(json);
    free(want);

    ds_clear(&ds);
    json = ovsdb_datum_diff_to_json(&a, &b, &type);
    want = json_to_string(json, 0);
    ovsdb_datum_diff_to_json_ds(&a, &b, &type, &ds);
    assert_string_equal(ds_cstr(&ds), want);
    json_destroy(json);
    free(want);

    ds_destroy(&ds);
    ovsdb_datum_destroy(&a, &type);
    ovsdb_datum_destroy(&b, &type);
    ovsdb_type_destroy(&type);
}

static void
test_scalars(void **state OVS_UNUSED)
{
    check("\"integer\"", "-42", "9223372036854775807");
    check("\"real\"", "1.5", "1e300");
    check("\"real\"", "0.1", "-3");
    check("\"boolean\"", "true", "false");
    check("\"string\"", "\"a\\\"b\\\\c\\n\\u0001\\u00e9\"", "\"\"");
    check("\"uuid\"", "[\"uuid\", \"01234567-89ab-cdef-0123-456789abcdef\"]",
          "[\"uuid\", \"ffffffff-0000-4000-8000-000000000001\"]");
    check("{\"key\": \"string\", \"min\": 0}", "[\"set\", []]", "\"x\"");
    check("{\"key\": \"string\", \"min\": 0}", "\"x\"", "[\"set\", []]");
}

static void
test_sets(void **state OVS_UNUSED)
{
    const char *t = "{\"key\": \"string\", \"min\": 0, \"max\": \"unlimited\"}";

    check(t, "[\"set\", []]", "[\"set\", []]");
    check(t, "[\"set\", [\"a\", \"b\"]]", "[\"set\", [\"b\", \"c\"]]");
    check(t, "[\"set\", [\"a\", \"b\"]]", "[\"set\", [\"a\"]]");
    check(t, "\"a\"", "[\"set\", [\"a\", \"b\", \"c\"]]");
    check("{\"key\": \"integer\", \"min\": 0, \"max\": 3}",
          "[\"set\", [1, 2, 3]]", "[\"set\", [3, 4]]");
}

static void
test_maps(void **state OVS_UNUSED)
{
    const char *t = "{\"key\": \"string\", \"value\": \"integer\", "
                    "\"min\": 0, \"max\": \"unlimited\"}";

    check(t, "[\"map\", []]", "[\"map\", [[\"k\", 1]]]");
    check(t, "[\"map\", [[\"a\", 1], [\"b\", 2]]]",
          "[\"map\", [[\"a\", 1], [\"c\", 3]]]");
    check(t, "[\"map\", [[\"k\", 1], [\"z\", 1]]]",
          "[\"map\", [[\"k\", 2], [\"z\", 1]]]");
    check(t, "[\"map\", [[\"k\", 1]]]", "[\"map\", [[\"k\", 1]]]");
    check("{\"key\": \"uuid\", \"value\": \"real\", \"min\": 0, "
          "\"max\": \"unlimited\"}",
          "[\"map\", [[[\"uuid\", \"01234567-89ab-cdef-0123-456789abcdef\"],"
          " 2.5]]]", "[\"map\", []]");
}

static void
test_string_pool(void **state OVS_UNUSED)
{
    struct string_pool pool;
    struct ovsdb_type type;
    struct ovsdb_datum a, b;
    char long_s[STRING_POOL_MAX_LEN + 2];

    memset(long_s, 'x', sizeof long_s - 1);
    long_s[sizeof long_s - 1] = '\0';
    string_pool_init(&pool);
    parse_type(&type, "{\"key\": \"string\", \"value\": \"string\", "
               "\"min\": 0, \"max\": \"unlimited\"}");
    char *text = xasprintf("[\"map\", [[\"k\", \"v\"], [\"long\", \"%s\"]]]",
                           long_s);
    parse_datum(&a, &type, text);
    parse_datum(&b, &type, text);
    assert_ptr_not_equal(a.keys[0].s, b.keys[0].s);

    string_pool_datum(&pool, &a, &type);
    string_pool_datum(&pool, &b, &type);
    /* Short keys and values now share one string; the long value is not
     * pooled; the datums are unchanged in value. */
    assert_ptr_equal(a.keys[0].s, b.keys[0].s);         /* "k" */
    assert_ptr_equal(a.keys[1].s, b.keys[1].s);         /* "long" */
    assert_ptr_equal(a.values[0].s, b.values[0].s);     /* "v" */
    assert_ptr_not_equal(a.values[1].s, b.values[1].s);
    assert_string_equal(ovsdb_atom_string(&b.values[1]), long_s);
    assert_int_equal(string_pool_count(&pool), 3);
    assert_int_equal(a.keys[0].s->count, 3);    /* a, b and the pool. */
    ovsdb_datum_destroy(&a, &type);
    ovsdb_datum_destroy(&b, &type);

    /* Strings only the pool refers to go at the next sweep, which comes
     * once the pool has grown enough. */
    for (int i = 0; i < 3000; i++) {
        struct ovsdb_datum d;
        char *s = xasprintf("[\"map\", [[\"k%d\", \"v\"]]]", i);
        parse_datum(&d, &type, s);
        string_pool_datum(&pool, &d, &type);
        ovsdb_datum_destroy(&d, &type);
        free(s);
    }
    assert_true(string_pool_count(&pool) < 2100);
    free(text);
    ovsdb_type_destroy(&type);
    string_pool_destroy(&pool);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalars),
        cmocka_unit_test(test_sets),
        cmocka_unit_test(test_maps),
        cmocka_unit_test(test_string_pool),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
