/* Unit tests for ovsdb/monitor: monitor, monitor_cond, monitor_cond_change
 * and monitor_cond_since on an in-memory database, with transactions run
 * through ovsdb_execute().
 *
 * Test JSON is written with single quotes, which parse_json() turns into
 * double quotes. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "json.h"
#include "util.h"
#include "uuid.h"
#include "ovsdb/error.h"
#include "ovsdb/execution.h"
#include "ovsdb/monitor.h"
#include "ovsdb/row.h"
#include "ovsdb/schema.h"

/* Table A is a root table with one column of each kind; B is not a root
 * table, so B rows that A no longer references are garbage collected. */
static const char schema_text[] =
    "{'name': 'T', 'tables': {"
    " 'A': {'isRoot': true, 'columns': {"
    "   'i': {'type': 'integer'},"
    "   's': {'type': 'string'},"
    "   'set': {'type': {'key': 'string', 'min': 0, 'max': 'unlimited'}},"
    "   'map': {'type': {'key': 'string', 'value': 'string',"
    "                    'min': 0, 'max': 'unlimited'}},"
    "   'opt': {'type': {'key': 'integer', 'min': 0, 'max': 1}},"
    "   'ref': {'type': {'key': {'type': 'uuid', 'refTable': 'B'},"
    "                    'min': 0, 'max': 'unlimited'}},"
    "   'eph': {'type': 'integer', 'ephemeral': true}}},"
    " 'B': {'columns': {'n': {'type': 'integer'}}}}}";

typedef char uuid_str[UUID_LEN + 1];

/* Helpers. */

static struct json *
parse_json(const char *text)
{
    char *s = xstrdup(text);
    char *error = NULL;
    struct json *json;

    for (char *p = s; *p; p++) {
        if (*p == '\'') {
            *p = '"';
        }
    }
    json = json_from_string(s, &error);
    if (!json) {
        fail_msg("bad test JSON %s: %s", s, error);
    }
    free(s);
    return json;
}

static struct json *PRINTF_FORMAT(1, 2)
parse_jsonf(const char *format, ...)
{
    va_list args;
    struct json *json;
    char *text;

    va_start(args, format);
    text = xvasprintf(format, args);
    va_end(args);
    json = parse_json(text);
    free(text);
    return json;
}

static void
check_json(const struct json *actual, struct json *expected)
{
    if (!actual || !json_equal(actual, expected)) {
        char *a = actual ? json_to_string(actual, JSSF_SORT)
                         : xstrdup("(null)");
        char *e = json_to_string(expected, JSSF_SORT);
        fail_msg("expected %s\n  actual %s", e, a);
    }
    json_destroy(expected);
}

#define CHECK_JSON(ACTUAL, ...) check_json(ACTUAL, parse_jsonf(__VA_ARGS__))

/* Pops the next notification of 'm' and checks it. */
#define CHECK_POP(M, ...)                                       \
    do {                                                        \
        struct json *params_ = ovsdb_monitor_pop_update(M);     \
        CHECK_JSON(params_, __VA_ARGS__);                       \
        json_destroy(params_);                                  \
    } while (0)

static void
check_no_pop(struct ovsdb_monitor *m)
{
    struct json *params = ovsdb_monitor_pop_update(m);

    if (params) {
        fail_msg("unexpected update %s", json_to_string(params, JSSF_SORT));
    }
}

/* Runs the operations 'ops' (a comma-separated list of JSON objects) in one
 * transaction and returns the results, without checking them. */
static struct json *PRINTF_FORMAT(2, 3)
transact_raw(struct ovsdb *db, const char *ops, ...)
{
    struct ovsdb_execute_options options = { 0 };
    long long timeout = 0;
    struct json *params, *results;
    char *text, *all;
    va_list args;

    va_start(args, ops);
    text = xvasprintf(ops, args);
    va_end(args);
    all = xasprintf("['T', %s]", text);
    params = parse_json(all);
    results = ovsdb_execute(db, params, &options, &timeout);
    assert_non_null(results);
    json_destroy(params);
    free(all);
    free(text);
    return results;
}

static void
check_results(struct json *results)
{
    for (size_t i = 0; i < results->array.n; i++) {
        if (json_object_get(results->array.elems[i], "error")) {
            fail_msg("transaction failed: %s",
                     json_to_string(results, JSSF_SORT));
        }
    }
}

#define TRANSACT(DB, ...)                                       \
    do {                                                        \
        struct json *results_ = transact_raw(DB, __VA_ARGS__);  \
        check_results(results_);                                \
        json_destroy(results_);                                 \
    } while (0)

/* Stores the UUID of the row that operation 'i' of 'results' inserted. */
static void
result_uuid(const struct json *results, size_t i, uuid_str uuid)
{
    const struct json *u = json_object_get(results->array.elems[i], "uuid");

    assert_non_null(u);
    strcpy(uuid, u->array.elems[1]->string);
}

static void
insert(struct ovsdb *db, const char *table, const char *row, uuid_str uuid)
{
    struct json *results = transact_raw(
        db, "{'op': 'insert', 'table': '%s', 'row': %s}", table, row);

    check_results(results);
    result_uuid(results, 0, uuid);
    json_destroy(results);
}

static void
update(struct ovsdb *db, const char *table, const uuid_str uuid,
       const char *row)
{
    TRANSACT(db, "{'op': 'update', 'table': '%s', 'row': %s, "
             "'where': [['_uuid', '==', ['uuid', '%s']]]}", table, row, uuid);
}

static void
delete(struct ovsdb *db, const char *table, const uuid_str uuid)
{
    TRANSACT(db, "{'op': 'delete', 'table': '%s', "
             "'where': [['_uuid', '==', ['uuid', '%s']]]}", table, uuid);
}

static void
last_txn_id(const struct ovsdb *db, uuid_str s)
{
    uuid_to_cstr(&db->last_txn_id, s);
}

/* Stores the _version of row 'uuid' of table A. */
static void
row_version(struct ovsdb *db, const uuid_str uuid, uuid_str version)
{
    const struct ovsdb_row *row;
    struct uuid u;

    assert_true(uuid_from_string(&u, uuid));
    row = ovsdb_table_get_row(ovsdb_get_table(db, "A"), &u);
    assert_non_null(row);
    uuid_to_cstr(ovsdb_row_get_version(row), version);
}

/* Creates a monitor that must succeed; checks its result against the
 * expected JSON 'result' (ignored if NULL). */
static struct ovsdb_monitor *
create(struct ovsdb *db, enum ovsdb_monitor_version version, const char *id,
       const char *requests, const char *since, struct json *result)
{
    struct json *id_json = parse_json(id);
    struct json *req_json = parse_json(requests);
    struct json *since_json = since ? json_string_create(since) : NULL;
    struct ovsdb_error *error;
    struct json *actual;
    struct ovsdb_monitor *m;

    m = ovsdb_monitor_create(db, version, id_json, req_json, since_json,
                             &actual, &error);
    if (!m) {
        fail_msg("monitor %s: %s", requests, ovsdb_error_to_string(error));
    }
    if (result) {
        check_json(actual, result);
    }
    json_destroy(actual);
    json_destroy(id_json);
    json_destroy(req_json);
    json_destroy(since_json);
    return m;
}

static void
check_create_error(struct ovsdb *db, enum ovsdb_monitor_version version,
                   const char *requests, const char *substring)
{
    struct json *id = json_string_create("bad");
    struct json *req = parse_json(requests);
    struct ovsdb_error *error;
    struct json *result;
    char *s;

    assert_null(ovsdb_monitor_create(db, version, id, req, NULL, &result,
                                     &error));
    assert_null(result);
    assert_non_null(error);
    s = ovsdb_error_to_string_free(error);
    if (!strstr(s, substring)) {
        fail_msg("%s: error \"%s\" lacks \"%s\"", requests, s, substring);
    }
    free(s);
    json_destroy(id);
    json_destroy(req);
}

static struct ovsdb_error *
cond_change(struct ovsdb_monitor *m, const char *new_id,
            const char *requests)
{
    struct json *id = new_id ? parse_json(new_id) : NULL;
    struct json *req = parse_json(requests);
    struct ovsdb_error *error = ovsdb_monitor_cond_change(m, id, req);

    json_destroy(id);
    json_destroy(req);
    return error;
}

static int
setup(void **state)
{
    struct json *json = parse_json(schema_text);
    struct ovsdb_schema *schema;
    struct ovsdb_error *error = ovsdb_schema_from_json(json, &schema);

    if (error) {
        fail_msg("schema: %s", ovsdb_error_to_string(error));
    }
    json_destroy(json);
    *state = ovsdb_create(schema);
    return 0;
}

static int
teardown(void **state)
{
    ovsdb_destroy(*state);
    return 0;
}

/* monitor (v1). */

static void
test_v1_updates(void **state)
{
    struct ovsdb *db = *state;
    struct ovsdb_monitor *m;
    uuid_str r1, r2;

    insert(db, "A", "{'i': 1, 's': 'a'}", r1);
    m = create(db, OVSDB_MONITOR_V1, "'m'", "{'A': {'columns': ['i', 's']}}",
               NULL, parse_jsonf("{'A': {'%s': {'new': {'i': 1, 's': 'a'}}}}",
                                 r1));
    assert_string_equal(ovsdb_monitor_method(m), "update");
    check_no_pop(m);

    insert(db, "A", "{'i': 2}", r2);
    CHECK_POP(m, "['m', {'A': {'%s': {'new': {'i': 2, 's': ''}}}}]", r2);
    check_no_pop(m);

    update(db, "A", r1, "{'s': 'b'}");
    CHECK_POP(m, "['m', {'A': {'%s': {'old': {'s': 'a'}, "
              "'new': {'i': 1, 's': 'b'}}}}]", r1);

    /* Changes to columns the monitor does not watch are not sent. */
    update(db, "A", r1, "{'set': ['set', ['x']], 'eph': 3}");
    check_no_pop(m);

    delete(db, "A", r2);
    CHECK_POP(m, "['m', {'A': {'%s': {'old': {'i': 2, 's': ''}}}}]", r2);

    /* Two transactions give two notifications, in order. */
    update(db, "A", r1, "{'i': 5}");
    update(db, "A", r1, "{'i': 6}");
    assert_int_equal(ovsdb_monitor_n_pending(m), 2);
    CHECK_POP(m, "['m', {'A': {'%s': {'old': {'i': 1}, "
              "'new': {'i': 5, 's': 'b'}}}}]", r1);
    CHECK_POP(m, "['m', {'A': {'%s': {'old': {'i': 5}, "
              "'new': {'i': 6, 's': 'b'}}}}]", r1);
    check_no_pop(m);
    ovsdb_monitor_destroy(m);
}

static void
test_v1_all_columns(void **state)
{
    struct ovsdb *db = *state;
    struct ovsdb_monitor *m;
    uuid_str r1;

    m = create(db, OVSDB_MONITOR_V1, "null", "{'A': {}}", NULL,
               parse_json("{}"));
    insert(db, "A", "{'i': 1}", r1);
    CHECK_POP(m, "[null, {'A': {'%s': {'new': {'i': 1, 's': '', "
              "'set': ['set', []], 'map': ['map', []], 'opt': ['set', []], "
              "'ref': ['set', []], 'eph': 0}}}}]", r1);
    ovsdb_monitor_destroy(m);
}

static void
test_v1_select(void **state)
{
    struct ovsdb *db = *state;
    struct ovsdb_monitor *m;
    uuid_str r1, r2;

    insert(db, "A", "{'i': 1}", r1);
    m = create(db, OVSDB_MONITOR_V1, "1",
               "{'A': [{'columns': ['i'],"
               "        'select': {'initial': false, 'modify': true}},"
               "       {'columns': ['s'], 'select': {'modify': false,"
               "                                     'initial': false}}]}",
               NULL, parse_json("{}"));
    insert(db, "A", "{'i': 2, 's': 'x'}", r2);
    CHECK_POP(m, "[1, {'A': {'%s': {'new': {'i': 2, 's': 'x'}}}}]", r2);

    /* 's' is not monitored for modifications. */
    update(db, "A", r1, "{'s': 'y'}");
    check_no_pop(m);
    update(db, "A", r1, "{'i': 3, 's': 'z'}");
    CHECK_POP(m, "[1, {'A': {'%s': {'old': {'i': 1}, 'new': {'i': 3}}}}]",
              r1);
    delete(db, "A", r1);
    CHECK_POP(m, "[1, {'A': {'%s': {'old': {'i': 3, 's': 'z'}}}}]", r1);
    ovsdb_monitor_destroy(m);

    m = create(db, OVSDB_MONITOR_V1, "2",
               "{'A': {'select': {'insert': false, 'delete': false}}}", NULL,
               NULL);
    insert(db, "A", "{'i': 4}", r1);
    delete(db, "A", r2);
    check_no_pop(m);
    ovsdb_monitor_destroy(m);
}

static void
test_parse_errors(void **state)
{
    struct ovsdb *db = *state;

    check_create_error(db, OVSDB_MONITOR_V1, "[]", "must be an object");
    check_create_error(db, OVSDB_MONITOR_V1, "{'X': {}}", "no table named X");
    check_create_error(db, OVSDB_MONITOR_V1, "{'A': {'columns': ['nope']}}",
                       "nope");
    check_create_error(db, OVSDB_MONITOR_V1,
                       "{'A': {'columns': ['i', 'i']}}", "distinct");
    check_create_error(db, OVSDB_MONITOR_V1,
                       "{'A': [{'columns': ['i']}, {'columns': ['s', 'i']}]}",
                       "column i mentioned more than once");
    check_create_error(db, OVSDB_MONITOR_V1, "{'A': [{}, {}]}",
                       "mentioned more than once");
    check_create_error(db, OVSDB_MONITOR_V1,
                       "{'A': {'select': {'insert': 1}}}", "boolean");
    check_create_error(db, OVSDB_MONITOR_V1,
                       "{'A': {'select': {'update': true}}}", "update");
    check_create_error(db, OVSDB_MONITOR_V1, "{'A': {'where': []}}",
                       "where");
    check_create_error(db, OVSDB_MONITOR_V1, "{'A': 5}", "must be an object");
    check_create_error(db, OVSDB_MONITOR_V2,
                       "{'A': {'where': [['nope', '==', 1]]}}", "nope");
    check_create_error(db, OVSDB_MONITOR_V2,
                       "{'A': {'where': [['i', '==', 'x']]}}", "");

    struct json *id = json_string_create("m");
    struct json *req = parse_json("{'A': {}}");
    struct json *since = json_string_create("not-a-uuid");
    struct ovsdb_error *error;
    struct json *result;

    assert_null(ovsdb_monitor_create(db, OVSDB_MONITOR_V3, id, req, since,
                                     &result, &error));
    char *s = ovsdb_error_to_string_free(error);
    assert_non_null(strstr(s, "last-txn-id"));
    free(s);

    /* Missing requests (params too short). */
    assert_null(ovsdb_monitor_create(db, OVSDB_MONITOR_V2, id, NULL, NULL,
                                     &result, &error));
    assert_non_null(error);
    ovsdb_error_destroy(error);
    json_destroy(id);
    json_destroy(req);
    json_destroy(since);
}

/* monitor_cond (v2). */

static void
test_v2_updates(void **state)
{
    struct ovsdb *db = *state;
    struct ovsdb_monitor *m;
    uuid_str r1, r2;

    insert(db, "A", "{'s': 'x'}", r1);
    m = create(db, OVSDB_MONITOR_V2, "'m'", "{'A': [{}]}", NULL,
               parse_jsonf("{'A': {'%s': {'initial': {'s': 'x'}}}}", r1));
    assert_string_equal(ovsdb_monitor_method(m), "update2");

    insert(db, "A", "{'i': 2, 'set': ['set', ['a', 'b']],"
           " 'map': ['map', [['k1', 'v1'], ['k2', 'v2']]]}", r2);
    CHECK_POP(m, "['m', {'A': {'%s': {'insert': {'i': 2, "
              "'set': ['set', ['a', 'b']], "
              "'map': ['map', [['k1', 'v1'], ['k2', 'v2']]]}}}}]", r2);

    update(db, "A", r2, "{'i': 7, 'set': ['set', ['b', 'c']], 'opt': 5,"
           " 'map': ['map', [['k2', 'v2x'], ['k3', 'v3']]]}");
    CHECK_POP(m, "['m', {'A': {'%s': {'modify': {'i': 7, "
              "'set': ['set', ['a', 'c']], 'opt': 5, "
              "'map': ['map', [['k1', 'v1'], ['k2', 'v2x'], ['k3', 'v3']]]"
              "}}}}]", r2);

    /* A one-element difference is a bare atom; an optional value that
     * becomes empty is the empty set. */
    update(db, "A", r2, "{'set': 'b', 'opt': ['set', []],"
           " 'map': ['map', [['k2', 'v2x']]]}");
    CHECK_POP(m, "['m', {'A': {'%s': {'modify': {'set': 'c', "
              "'opt': ['set', []], 'map': ['map', [['k3', 'v3']]]}}}}]", r2);

    delete(db, "A", r1);
    CHECK_POP(m, "['m', {'A': {'%s': {'delete': null}}}]", r1);
    check_no_pop(m);
    ovsdb_monitor_destroy(m);
}

static void
test_v2_columns(void **state)
{
    struct ovsdb *db = *state;
    struct ovsdb_monitor *m, *mv;
    uuid_str r1, version;

    insert(db, "A", "{'i': 1}", r1);
    m = create(db, OVSDB_MONITOR_V2, "'m'", "{'A': {'columns': ['s']}}",
               NULL, parse_jsonf("{'A': {'%s': {'initial': {}}}}", r1));
    mv = create(db, OVSDB_MONITOR_V2, "'v'",
                "{'A': {'columns': ['_version', 'i']}}", NULL, NULL);

    /* No monitored column changed: nothing for 'm'; _version changes with
     * every modification. */
    update(db, "A", r1, "{'i': 2}");
    check_no_pop(m);
    row_version(db, r1, version);
    CHECK_POP(mv, "['v', {'A': {'%s': {'modify': {'i': 2, "
              "'_version': ['uuid', '%s']}}}}]", r1, version);

    update(db, "A", r1, "{'s': 'z'}");
    CHECK_POP(m, "['m', {'A': {'%s': {'modify': {'s': 'z'}}}}]", r1);
    row_version(db, r1, version);
    CHECK_POP(mv, "['v', {'A': {'%s': {'modify': "
              "{'_version': ['uuid', '%s']}}}}]", r1, version);
    ovsdb_monitor_destroy(m);
    ovsdb_monitor_destroy(mv);
}

static void
test_v2_conditions(void **state)
{
    struct ovsdb *db = *state;
    struct ovsdb_monitor *m;
    uuid_str r1, r2, r3;

    insert(db, "A", "{'i': 1, 's': 'one'}", r1);
    insert(db, "A", "{'i': 9}", r2);
    /* Clauses are alternatives: rows with i == 1 or i == 2. */
    m = create(db, OVSDB_MONITOR_V2, "'m'",
               "{'A': {'columns': ['i', 's'],"
               "       'where': [['i', '==', 1], ['i', '==', 2]]}}", NULL,
               parse_jsonf("{'A': {'%s': {'initial': {'i': 1, "
                           "'s': 'one'}}}}", r1));

    insert(db, "A", "{'i': 3}", r3);
    check_no_pop(m);

    /* r3 enters the condition: sent as an insert of the whole row. */
    update(db, "A", r3, "{'i': 2, 's': 'two'}");
    CHECK_POP(m, "['m', {'A': {'%s': {'insert': {'i': 2, 's': 'two'}}}}]",
              r3);
    update(db, "A", r3, "{'s': 'deux'}");
    CHECK_POP(m, "['m', {'A': {'%s': {'modify': {'s': 'deux'}}}}]", r3);

    /* r1 leaves it: a delete. */
    update(db, "A", r1, "{'i': 4}");
    CHECK_POP(m, "['m', {'A': {'%s': {'delete': null}}}]", r1);

    /* Rows outside the condition stay invisible. */
    update(db, "A", r2, "{'s': 'nine'}");
    delete(db, "A", r1);
    check_no_pop(m);

    /* One transaction, several rows. */
    TRANSACT(db, "{'op': 'mutate', 'table': 'A', 'where': [],"
             " 'mutations': [['eph', '+=', 1]]},"
             "{'op': 'update', 'table': 'A', 'where': [['i', '==', 9]],"
             " 'row': {'i': 1}},"
             "{'op': 'delete', 'table': 'A', 'where': [['i', '==', 2]]}");
    CHECK_POP(m, "['m', {'A': {'%s': {'insert': {'i': 1, 's': 'nine'}},"
              "              '%s': {'delete': null}}}]", r2, r3);
    ovsdb_monitor_destroy(m);

    /* [false] selects nothing, [true] everything. */
    m = create(db, OVSDB_MONITOR_V2, "'f'", "{'A': {'where': [false]}}",
               NULL, parse_json("{}"));
    update(db, "A", r2, "{'s': 'x'}");
    check_no_pop(m);
    ovsdb_monitor_destroy(m);
    m = create(db, OVSDB_MONITOR_V2, "'t'",
               "{'A': {'columns': ['i'], 'where': [true]}}", NULL,
               parse_jsonf("{'A': {'%s': {'initial': {'i': 1}}}}", r2));
    ovsdb_monitor_destroy(m);
}

static void
test_v2_select(void **state)
{
    struct ovsdb *db = *state;
    struct ovsdb_monitor *m;
    uuid_str r1;

    insert(db, "A", "{'i': 5}", r1);
    m = create(db, OVSDB_MONITOR_V2, "'m'",
               "{'A': {'columns': ['i'], 'where': [['i', '==', 1]],"
               "       'select': {'insert': false}}}", NULL,
               parse_json("{}"));
    update(db, "A", r1, "{'i': 1}");
    check_no_pop(m);
    update(db, "A", r1, "{'i': 2}");
    CHECK_POP(m, "['m', {'A': {'%s': {'delete': null}}}]", r1);
    ovsdb_monitor_destroy(m);
}

static void
test_gc_delete(void **state)
{
    struct ovsdb *db = *state;
    struct ovsdb_monitor *m1, *m2;
    struct json *results;
    uuid_str a, b;

    results = transact_raw(db, "{'op': 'insert', 'table': 'B', "
                           "'row': {'n': 1}, 'uuid-name': 'b'},"
                           "{'op': 'insert', 'table': 'A', "
                           "'row': {'ref': ['named-uuid', 'b']}}");
    check_results(results);
    result_uuid(results, 0, b);
    result_uuid(results, 1, a);
    json_destroy(results);

    m1 = create(db, OVSDB_MONITOR_V1, "1", "{'B': {}}", NULL,
                parse_jsonf("{'B': {'%s': {'new': {'n': 1}}}}", b));
    m2 = create(db, OVSDB_MONITOR_V2, "2", "{'B': {}, 'A': {'columns': "
                "['ref']}}", NULL, NULL);
    update(db, "A", a, "{'ref': ['set', []]}");
    CHECK_POP(m1, "[1, {'B': {'%s': {'old': {'n': 1}}}}]", b);
    CHECK_POP(m2, "[2, {'B': {'%s': {'delete': null}}, "
              "'A': {'%s': {'modify': {'ref': ['uuid', '%s']}}}}]", b, a, b);
    ovsdb_monitor_destroy(m1);
    ovsdb_monitor_destroy(m2);
}

/* monitor_cond_change. */

static void
test_cond_change(void **state)
{
    struct ovsdb *db = *state;
    struct ovsdb_monitor *m;
    struct ovsdb_error *error;
    uuid_str r1, r2;

    insert(db, "A", "{'i': 1}", r1);
    insert(db, "A", "{'i': 2}", r2);
    m = create(db, OVSDB_MONITOR_V2, "'old'",
               "{'A': {'columns': ['i', 's'], 'where': [['i', '==', 1]]}}",
               NULL, parse_jsonf("{'A': {'%s': {'initial': {'i': 1}}}}",
                                 r1));

    /* An update before the change keeps the old id and comes first. */
    update(db, "A", r1, "{'s': 'a'}");
    assert_null(cond_change(m, "'new'",
                            "{'A': [{'where': [['i', '==', 2]]}]}"));
    CHECK_POP(m, "['old', {'A': {'%s': {'modify': {'s': 'a'}}}}]", r1);
    CHECK_POP(m, "['new', {'A': {'%s': {'delete': null}, "
              "'%s': {'insert': {'i': 2}}}}]", r1, r2);
    check_no_pop(m);
    CHECK_JSON(ovsdb_monitor_get_id(m), "'new'");

    update(db, "A", r2, "{'s': 'b'}");
    update(db, "A", r1, "{'s': 'c'}");
    CHECK_POP(m, "['new', {'A': {'%s': {'modify': {'s': 'b'}}}}]", r2);
    check_no_pop(m);

    /* No change of membership: nothing queued.  No "where": every row. */
    assert_null(cond_change(m, NULL, "{'A': {'where': [['i', '>', 1]]}}"));
    check_no_pop(m);
    assert_null(cond_change(m, NULL, "{'A': {}}"));
    CHECK_POP(m, "['new', {'A': {'%s': {'insert': {'i': 1, 's': 'c'}}}}]",
              r1);

    /* Errors change nothing. */
    error = cond_change(m, "'x'", "{'A': {'columns': ['i']}}");
    assert_non_null(error);
    ovsdb_error_destroy(error);
    error = cond_change(m, "'x'", "{'B': {'where': []}}");
    assert_non_null(error);
    ovsdb_error_destroy(error);
    error = cond_change(m, "'x'", "{'A': {'where': [['zz', '==', 1]]}}");
    assert_non_null(error);
    ovsdb_error_destroy(error);
    CHECK_JSON(ovsdb_monitor_get_id(m), "'new'");
    check_no_pop(m);
    ovsdb_monitor_destroy(m);

    m = create(db, OVSDB_MONITOR_V1, "'v1'", "{'A': {}}", NULL, NULL);
    error = cond_change(m, NULL, "{'A': {'where': []}}");
    assert_non_null(error);
    ovsdb_error_destroy(error);
    ovsdb_monitor_destroy(m);
}

/* monitor_cond_since (v3). */

static void
test_v3_updates(void **state)
{
    struct ovsdb *db = *state;
    struct ovsdb_monitor *m;
    uuid_str r1, r2, t0, t1;

    insert(db, "A", "{'i': 1}", r1);
    last_txn_id(db, t0);
    m = create(db, OVSDB_MONITOR_V3, "'m'", "{'A': {'columns': ['i']}}",
               NULL, parse_jsonf("[false, '%s', {'A': {'%s': {'initial': "
                                 "{'i': 1}}}}]", t0, r1));
    assert_string_equal(ovsdb_monitor_method(m), "update3");
    insert(db, "A", "{'i': 2}", r2);
    last_txn_id(db, t1);
    CHECK_POP(m, "['m', '%s', {'A': {'%s': {'insert': {'i': 2}}}}]", t1, r2);

    assert_null(cond_change(m, NULL, "{'A': {'where': [['i', '==', 2]]}}"));
    CHECK_POP(m, "['m', '%s', {'A': {'%s': {'delete': null}}}]", t1, r1);
    ovsdb_monitor_destroy(m);
}

static void
test_v3_since(void **state)
{
    struct ovsdb *db = *state;
    struct ovsdb_monitor *m;
    uuid_str r1, r2, r3, r4, t1, t8, t9, unknown;
    struct uuid u;
    const char *req = "{'A': {'columns': ['i', 's']}}";

    m = create(db, OVSDB_MONITOR_V3, "'m'", req, NULL,
               parse_json("[false, '00000000-0000-0000-0000-000000000000',"
                          " {}]"));
    insert(db, "A", "{'i': 1}", r1);
    insert(db, "A", "{'i': 2}", r2);
    last_txn_id(db, t1);
    ovsdb_monitor_destroy(m);           /* The client goes away... */

    update(db, "A", r1, "{'s': 'x'}");
    insert(db, "A", "{'i': 3}", r3);
    update(db, "A", r3, "{'i': 4}");
    delete(db, "A", r2);
    insert(db, "A", "{'i': 5}", r4);
    delete(db, "A", r4);
    last_txn_id(db, t8);

    /* ...and comes back: it gets the net changes since t1. */
    m = create(db, OVSDB_MONITOR_V3, "'m'", req, t1,
               parse_jsonf("[true, '%s', {'A': {"
                           "'%s': {'modify': {'s': 'x'}},"
                           "'%s': {'insert': {'i': 4}},"
                           "'%s': {'delete': null}}}]", t8, r1, r3, r2));
    check_no_pop(m);
    update(db, "A", r3, "{'s': 'y'}");
    last_txn_id(db, t9);
    CHECK_POP(m, "['m', '%s', {'A': {'%s': {'modify': {'s': 'y'}}}}]",
              t9, r3);
    ovsdb_monitor_destroy(m);

    /* Up to date: nothing to send. */
    m = create(db, OVSDB_MONITOR_V3, "'m'", req, t9,
               parse_jsonf("[true, '%s', {}]", t9));
    ovsdb_monitor_destroy(m);

    /* With a condition, only the matching rows. */
    m = create(db, OVSDB_MONITOR_V3, "'m'",
               "{'A': {'columns': ['i'], 'where': [['i', '==', 4]]}}", t1,
               parse_jsonf("[true, '%s', {'A': {'%s': {'insert': "
                           "{'i': 4}}}}]", t9, r3));
    ovsdb_monitor_destroy(m);

    /* Unknown transaction: everything. */
    uuid_generate(&u);
    uuid_to_cstr(&u, unknown);
    m = create(db, OVSDB_MONITOR_V3, "'m'", req, unknown,
               parse_jsonf("[false, '%s', {'A': {"
                           "'%s': {'initial': {'i': 1, 's': 'x'}},"
                           "'%s': {'initial': {'i': 4, 's': 'y'}}}}]",
                           t9, r1, r3));
    ovsdb_monitor_destroy(m);
}

static void
test_v3_history_limit(void **state)
{
    struct ovsdb *db = *state;
    struct ovsdb_monitor_hub *hub = ovsdb_monitor_hub_get(db);
    struct ovsdb_monitor_hub_stats stats;
    struct ovsdb_monitor *m;
    uuid_str ids[5], r;

    ovsdb_monitor_hub_set_max_history(hub, 2);
    for (int i = 0; i < 5; i++) {
        char row[32];
        snprintf(row, sizeof row, "{'i': %d}", i);
        insert(db, "A", row, r);
        last_txn_id(db, ids[i]);
    }
    ovsdb_monitor_hub_get_stats(hub, &stats);
    assert_int_equal(stats.n_history, 2);
    assert_int_equal(stats.n_history_rows, 2);
    assert_int_equal(stats.max_history, 2);

    /* ids[2] is the oldest that still has all later changes. */
    m = create(db, OVSDB_MONITOR_V3, "1", "{'A': {'columns': ['i']}}",
               ids[2], NULL);
    assert_int_equal(ovsdb_monitor_n_pending(m), 0);
    ovsdb_monitor_destroy(m);
    m = create(db, OVSDB_MONITOR_V3, "1", "{'A': {'columns': ['i']}}",
               ids[3], parse_jsonf("[true, '%s', {'A': {'%s': {'insert': "
                                   "{'i': 4}}}}]", ids[4], r));
    ovsdb_monitor_destroy(m);
    m = create(db, OVSDB_MONITOR_V3, "1", "{'A': {'columns': ['i']}}",
               ids[1], NULL);
    ovsdb_monitor_destroy(m);

    struct json *id = json_integer_create(1);
    struct json *req = parse_json("{'A': {'columns': ['i']}}");
    struct json *since = json_string_create(ids[1]);
    struct ovsdb_error *error;
    struct json *result;

    m = ovsdb_monitor_create(db, OVSDB_MONITOR_V3, id, req, since, &result,
                             &error);
    assert_non_null(m);
    assert_int_equal(result->array.elems[0]->type, JSON_FALSE);
    assert_int_equal(shash_count(result->array.elems[2]->object), 1);
    json_destroy(result);
    ovsdb_monitor_destroy(m);
    json_destroy(since);

    ovsdb_monitor_hub_set_max_history(hub, 0);
    ovsdb_monitor_hub_get_stats(hub, &stats);
    assert_int_equal(stats.n_history, 0);
    since = json_string_create(ids[3]);
    m = ovsdb_monitor_create(db, OVSDB_MONITOR_V3, id, req, since, &result,
                             &error);
    assert_int_equal(result->array.elems[0]->type, JSON_FALSE);
    json_destroy(result);
    ovsdb_monitor_destroy(m);
    json_destroy(since);
    json_destroy(id);
    json_destroy(req);
}

/* The hub. */

static void
test_sharing(void **state)
{
    struct ovsdb *db = *state;
    struct ovsdb_monitor_hub_stats stats;
    struct ovsdb_monitor *ms[4], *other;
    struct json *params[4];
    uuid_str r1;

    for (int i = 0; i < 3; i++) {
        char id[8];
        snprintf(id, sizeof id, "%d", i);
        ms[i] = create(db, OVSDB_MONITOR_V2, id, "{'A': {'columns': ['i']}}",
                       NULL, NULL);
    }
    ms[3] = create(db, OVSDB_MONITOR_V3, "3",
                   "{'A': {'columns': ['i'], 'where': [['i', '==', 5]]}}",
                   NULL, NULL);
    other = create(db, OVSDB_MONITOR_V1, "4", "{'A': {'columns': ['i']}}",
                   NULL, NULL);
    ovsdb_monitor_hub_get_stats(ovsdb_monitor_hub_get(db), &stats);
    assert_int_equal(stats.n_monitors, 5);
    assert_int_equal(stats.n_shapes, 2);

    insert(db, "A", "{'i': 5}", r1);
    for (int i = 0; i < 4; i++) {
        params[i] = ovsdb_monitor_pop_update(ms[i]);
        assert_non_null(params[i]);
    }
    /* The unconditional monitors share one update object; the conditional
     * one shares the row's JSON. */
    assert_ptr_equal(params[0]->array.elems[1], params[1]->array.elems[1]);
    assert_ptr_equal(params[0]->array.elems[1], params[2]->array.elems[1]);
    assert_ptr_equal(
        json_object_get(json_object_get(params[0]->array.elems[1], "A"), r1),
        json_object_get(json_object_get(params[3]->array.elems[2], "A"), r1));
    CHECK_POP(other, "[4, {'A': {'%s': {'new': {'i': 5}}}}]", r1);
    for (int i = 0; i < 4; i++) {
        json_destroy(params[i]);
        ovsdb_monitor_destroy(ms[i]);
    }
    ovsdb_monitor_hub_get_stats(ovsdb_monitor_hub_get(db), &stats);
    assert_int_equal(stats.n_monitors, 1);
    assert_int_equal(stats.n_shapes, 1);
    ovsdb_monitor_destroy(other);
}

/* An observer registered after the hub that can fail commits. */
struct failing_observer {
    struct ovsdb_observer up;
    bool fail;
};

static struct ovsdb_error *
failing_commit(struct ovsdb_observer *observer,
               const struct ovsdb_txn *txn OVS_UNUSED,
               bool durable OVS_UNUSED)
{
    struct failing_observer *fo = CONTAINER_OF(observer,
                                               struct failing_observer, up);

    return fo->fail ? ovsdb_error("I/O error", "injected failure") : NULL;
}

static const struct ovsdb_observer_class failing_class = {
    failing_commit, NULL
};

static void
test_aborted_commit(void **state)
{
    struct ovsdb *db = *state;
    struct failing_observer fo = { { &failing_class, { NULL, NULL } }, true };
    struct ovsdb_monitor_hub_stats stats;
    struct ovsdb_monitor *m;
    struct json *results;
    uuid_str r1;

    m = create(db, OVSDB_MONITOR_V2, "'m'", "{'A': {'columns': ['i']}}",
               NULL, NULL);
    ovsdb_add_observer(db, &fo.up);
    results = transact_raw(db, "{'op': 'insert', 'table': 'A', "
                           "'row': {'i': 1}}");
    assert_non_null(json_object_get(results->array.elems[1], "error"));
    json_destroy(results);
    check_no_pop(m);

    fo.fail = false;
    insert(db, "A", "{'i': 2}", r1);
    CHECK_POP(m, "['m', {'A': {'%s': {'insert': {'i': 2}}}}]", r1);
    check_no_pop(m);
    ovsdb_remove_observer(db, &fo.up);

    /* Only the committed transaction is in the history. */
    ovsdb_monitor_hub_get_stats(ovsdb_monitor_hub_get(db), &stats);
    assert_int_equal(stats.n_history, 1);
    assert_int_equal(stats.n_history_rows, 1);
    ovsdb_monitor_destroy(m);
}

static void
test_orphan(void **state OVS_UNUSED)
{
    struct ovsdb *db;
    struct ovsdb_monitor *m;
    struct ovsdb_error *error;
    uuid_str r1;

    setup((void **) &db);
    m = create(db, OVSDB_MONITOR_V2, "'m'", "{'A': {}}", NULL, NULL);
    insert(db, "A", "{'i': 2}", r1);
    ovsdb_destroy(db);

    assert_null(ovsdb_monitor_get_db(m));
    error = cond_change(m, NULL, "{'A': {}}");
    assert_non_null(error);
    ovsdb_error_destroy(error);
    check_no_pop(m);
    ovsdb_monitor_destroy(m);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
#define TEST(NAME) cmocka_unit_test_setup_teardown(NAME, setup, teardown)
        TEST(test_v1_updates),
        TEST(test_v1_all_columns),
        TEST(test_v1_select),
        TEST(test_parse_errors),
        TEST(test_v2_updates),
        TEST(test_v2_columns),
        TEST(test_v2_conditions),
        TEST(test_v2_select),
        TEST(test_gc_delete),
        TEST(test_cond_change),
        TEST(test_v3_updates),
        TEST(test_v3_since),
        TEST(test_v3_history_limit),
        TEST(test_sharing),
        TEST(test_aborted_commit),
        cmocka_unit_test(test_orphan),
#undef TEST
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
