/* Unit tests for ovsdb/txn.c and ovsdb/execution.c: whole-database rules
 * enforced at commit (references, garbage collection, weak references,
 * indexes, maxRows) and the transact result format. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "json.h"
#include "ovsdb/execution.h"
#include "ovsdb/row.h"
#include "ovsdb/schema.h"

static const char schema_json[] =
    "{\"name\": \"T\", \"tables\": {"
    " \"Root\": {\"isRoot\": true, \"columns\": {"
    "   \"name\": {\"type\": \"string\"},"
    "   \"kids\": {\"type\": {\"key\": {\"type\": \"uuid\","
    "      \"refTable\": \"Kid\"}, \"min\": 0, \"max\": \"unlimited\"}},"
    "   \"fav\": {\"type\": {\"key\": {\"type\": \"uuid\","
    "      \"refTable\": \"Other\", \"refType\": \"weak\"},"
    "      \"min\": 0, \"max\": 1}}},"
    "  \"indexes\": [[\"name\"]]},"
    " \"Kid\": {\"columns\": {\"n\": {\"type\": \"integer\"}}},"
    " \"Other\": {\"isRoot\": true, \"maxRows\": 2,"
    "   \"columns\": {\"x\": {\"type\": \"integer\"}}}}}";

static struct ovsdb *
make_db(void)
{
    struct ovsdb_schema *schema;
    struct json *json = json_from_string(schema_json, NULL);
    assert_non_null(json);
    assert_null(ovsdb_schema_from_json(json, &schema));
    json_destroy(json);
    return ovsdb_create(schema);
}

/* Runs a transaction given as JSON text ("[\"T\", ...]") and returns the
 * result serialized with sorted members. */
static char *
run(struct ovsdb *db, const char *params_s)
{
    struct ovsdb_execute_options options = { .read_only = false };
    struct json *params = json_from_string(params_s, NULL);
    long long timeout;
    struct json *result;
    char *s;

    assert_non_null(params);
    result = ovsdb_execute(db, params, &options, &timeout);
    assert_non_null(result);
    s = json_to_string(result, JSSF_SORT);
    json_destroy(result);
    json_destroy(params);
    return s;
}

static size_t
count(struct ovsdb *db, const char *table)
{
    return hmap_count(&ovsdb_get_table(db, table)->rows);
}

static void
expect_error(struct ovsdb *db, const char *params, const char *tag)
{
    char *s = run(db, params);
    if (!strstr(s, tag)) {
        fail_msg("expected \"%s\" in %s", tag, s);
    }
    free(s);
}

static void
test_gc_and_refs(void **state OVS_UNUSED)
{
    struct ovsdb *db = make_db();
    char *s;

    /* An unreferenced non-root row is collected at once. */
    free(run(db, "[\"T\", {\"op\": \"insert\", \"table\": \"Kid\","
                 " \"row\": {\"n\": 1}}]"));
    assert_int_equal(count(db, "Kid"), 0);

    /* Referenced through a named-uuid, it stays. */
    s = run(db, "[\"T\", {\"op\": \"insert\", \"table\": \"Kid\","
                " \"uuid-name\": \"k\", \"row\": {\"n\": 2}},"
                " {\"op\": \"insert\", \"table\": \"Root\","
                " \"row\": {\"name\": \"a\","
                " \"kids\": [\"named-uuid\", \"k\"]}}]");
    assert_non_null(strstr(s, "\"uuid\""));
    free(s);
    assert_int_equal(count(db, "Kid"), 1);

    /* Removing the last reference collects the kid. */
    free(run(db, "[\"T\", {\"op\": \"update\", \"table\": \"Root\","
                 " \"where\": [], \"row\": {\"kids\": [\"set\", []]}}]"));
    assert_int_equal(count(db, "Kid"), 0);

    /* A reference to a row that does not exist is refused. */
    expect_error(db, "[\"T\", {\"op\": \"update\", \"table\": \"Root\","
                     " \"where\": [], \"row\": {\"kids\": [\"uuid\","
                     " \"00000000-0000-4000-8000-000000000001\"]}}]",
                 "referential integrity violation");

    /* Deleting a row that is still referenced is refused, even though no
     * reference to it changes, and the row stays. */
    free(run(db, "[\"T\", {\"op\": \"insert\", \"table\": \"Kid\","
                 " \"uuid-name\": \"k\", \"row\": {\"n\": 3}},"
                 " {\"op\": \"update\", \"table\": \"Root\", \"where\": [],"
                 " \"row\": {\"kids\": [\"named-uuid\", \"k\"]}}]"));
    assert_int_equal(count(db, "Kid"), 1);
    expect_error(db, "[\"T\", {\"op\": \"delete\", \"table\": \"Kid\","
                     " \"where\": []}]",
                 "cannot delete Kid row");
    assert_int_equal(count(db, "Kid"), 1);
    ovsdb_destroy(db);
}

static void
test_weak_refs(void **state OVS_UNUSED)
{
    struct ovsdb *db = make_db();
    const struct ovsdb_row *root;
    struct ovsdb_table *t;

    free(run(db, "[\"T\", {\"op\": \"insert\", \"table\": \"Other\","
                 " \"uuid-name\": \"o\", \"row\": {\"x\": 1}},"
                 " {\"op\": \"insert\", \"table\": \"Root\","
                 " \"row\": {\"name\": \"a\", \"fav\": [\"named-uuid\","
                 " \"o\"]}}]"));
    t = ovsdb_get_table(db, "Root");
    root = CONTAINER_OF(hmap_first(&t->rows), struct ovsdb_row, hmap_node);
    assert_int_equal(root->fields[ovsdb_table_schema_get_column(
                         t->schema, "fav")->index].n, 1);

    /* Deleting the target removes the weak reference. */
    free(run(db, "[\"T\", {\"op\": \"delete\", \"table\": \"Other\","
                 " \"where\": []}]"));
    root = CONTAINER_OF(hmap_first(&t->rows), struct ovsdb_row, hmap_node);
    assert_int_equal(root->fields[ovsdb_table_schema_get_column(
                         t->schema, "fav")->index].n, 0);
    ovsdb_destroy(db);
}

static void
test_constraints(void **state OVS_UNUSED)
{
    struct ovsdb *db = make_db();
    char *s;

    free(run(db, "[\"T\", {\"op\": \"insert\", \"table\": \"Root\","
                 " \"row\": {\"name\": \"a\"}}]"));
    /* Unique index on Root.name, with ovsdb-server's wording. */
    static const char dup_insert[] =
        "[\"T\", {\"op\": \"insert\", \"table\": \"Root\","
        " \"row\": {\"name\": \"a\"}}]";
    expect_error(db, dup_insert, "constraint violation");
    expect_error(db, dup_insert, "Transaction causes multiple rows in "
                 "\\\"Root\\\" table to have identical values (a) for index "
                 "on column \\\"name\\\".  First row, with UUID ");
    expect_error(db, dup_insert, ", was inserted by this transaction.");
    expect_error(db, dup_insert, ", existed in the database before this "
                 "transaction and was not modified by the transaction.");
    assert_int_equal(count(db, "Root"), 1);
    /* Swapping names within one transaction is fine. */
    free(run(db, "[\"T\", {\"op\": \"insert\", \"table\": \"Root\","
                 " \"row\": {\"name\": \"b\"}}]"));
    s = run(db, "[\"T\", {\"op\": \"update\", \"table\": \"Root\","
                " \"where\": [[\"name\", \"==\", \"a\"]],"
                " \"row\": {\"name\": \"c\"}},"
                " {\"op\": \"update\", \"table\": \"Root\","
                " \"where\": [[\"name\", \"==\", \"b\"]],"
                " \"row\": {\"name\": \"a\"}}]");
    assert_null(strstr(s, "error"));
    free(s);
    expect_error(db, "[\"T\", {\"op\": \"update\", \"table\": \"Root\","
                     " \"where\": [[\"name\", \"==\", \"c\"]],"
                     " \"row\": {\"name\": \"a\"}}]",
                 ", had the following index values before the transaction: "
                 "c.");
    /* maxRows on Other. */
    expect_error(db, "[\"T\", {\"op\": \"insert\", \"table\": \"Other\","
                     " \"row\": {}}, {\"op\": \"insert\", \"table\":"
                     " \"Other\", \"row\": {}}, {\"op\": \"insert\","
                     " \"table\": \"Other\", \"row\": {}}]",
                 "constraint violation");
    assert_int_equal(count(db, "Other"), 0);
    /* A failing operation stops the transaction; nothing changes. */
    expect_error(db, "[\"T\", {\"op\": \"insert\", \"table\": \"Other\","
                     " \"row\": {}}, {\"op\": \"frobnicate\"}]",
                 "No operation");
    assert_int_equal(count(db, "Other"), 0);
    ovsdb_destroy(db);
}

static void
test_mutate_and_wait(void **state OVS_UNUSED)
{
    struct ovsdb *db = make_db();
    char *s;

    free(run(db, "[\"T\", {\"op\": \"insert\", \"table\": \"Other\","
                 " \"row\": {\"x\": 5}}]"));
    s = run(db, "[\"T\", {\"op\": \"mutate\", \"table\": \"Other\","
                " \"where\": [], \"mutations\": [[\"x\", \"*=\", 3]]},"
                " {\"op\": \"select\", \"table\": \"Other\", \"where\": [],"
                " \"columns\": [\"x\"]}]");
    assert_string_equal(s, "[{\"count\":1},{\"rows\":[{\"x\":15}]}]");
    free(s);
    expect_error(db, "[\"T\", {\"op\": \"mutate\", \"table\": \"Other\","
                     " \"where\": [], \"mutations\": [[\"x\", \"/=\", 0]]}]",
                 "domain error");
    /* A wait with timeout 0 whose condition fails times out. */
    expect_error(db, "[\"T\", {\"op\": \"wait\", \"table\": \"Other\","
                     " \"timeout\": 0, \"where\": [], \"columns\": [\"x\"],"
                     " \"until\": \"==\", \"rows\": []}]",
                 "timed out");
    s = run(db, "[\"T\", {\"op\": \"wait\", \"table\": \"Other\","
                " \"timeout\": 0, \"where\": [], \"columns\": [\"x\"],"
                " \"until\": \"==\", \"rows\": [{\"x\": 15}]}]");
    assert_string_equal(s, "[{}]");
    free(s);
    ovsdb_destroy(db);
}

/* A schema in which no table says "isRoot" makes every table a root, so
 * nothing is garbage-collected (schemas from before "isRoot" existed). */
static void
test_legacy_roots(void **state OVS_UNUSED)
{
    struct ovsdb_execute_options options = { .read_only = false };
    struct json *json = json_from_string(
        "{\"name\": \"L\", \"tables\": {\"A\": {\"columns\":"
        " {\"x\": {\"type\": \"integer\"}}}}}", NULL);
    struct json *params = json_from_string(
        "[\"L\", {\"op\": \"insert\", \"table\": \"A\", \"row\": {}}]",
        NULL);
    struct ovsdb_schema *schema;
    struct ovsdb *db;
    long long timeout;

    assert_null(ovsdb_schema_from_json(json, &schema));
    db = ovsdb_create(schema);
    json_destroy(ovsdb_execute(db, params, &options, &timeout));
    assert_int_equal(count(db, "A"), 1);
    json_destroy(params);
    json_destroy(json);
    ovsdb_destroy(db);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gc_and_refs),
        cmocka_unit_test(test_weak_refs),
        cmocka_unit_test(test_constraints),
        cmocka_unit_test(test_mutate_and_wait),
        cmocka_unit_test(test_legacy_roots),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
