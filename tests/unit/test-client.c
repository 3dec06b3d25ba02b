/* Unit tests for the sans-IO OVSDB client: ovsdb/client-reconnect,
 * ovsdb/client (session, replica, change tracking, conditions),
 * ovsdb/client-txn and the generated bindings (nbrec).  No sockets: the
 * tests play the server by feeding canned JSON-RPC messages and reading
 * what the client queues. */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ds.h"
#include "json.h"
#include "util.h"
#include "ovsdb/client.h"
#include "ovsdb/client-reconnect.h"
#include "ovsdb/client-txn.h"
#include "ovsdb/error.h"
#include "ovsdb/jsonrpc.h"
#include "ovsdb/nbrec-idl.h"
#include "ovsdb/schema.h"

/* A small schema.  Column indexes: Sw: n 2, name 3, other 4, ports 5,
 * tag 6; Port: addrs 2, name 3. */
static const char test_schema[] =
    "{\"name\": \"TestDB\", \"version\": \"1.0.0\", \"tables\": {"
    " \"Sw\": {\"isRoot\": true, \"columns\": {"
    "   \"name\": {\"type\": \"string\"},"
    "   \"n\": {\"type\": \"integer\"},"
    "   \"tag\": {\"type\": {\"key\": \"integer\", \"min\": 0, \"max\": 1}},"
    "   \"other\": {\"type\": {\"key\": \"string\", \"value\": \"string\","
    "                          \"min\": 0, \"max\": \"unlimited\"}},"
    "   \"ports\": {\"type\": {\"key\": {\"type\": \"uuid\","
    "                                   \"refTable\": \"Port\"},"
    "                          \"min\": 0, \"max\": \"unlimited\"}}}},"
    " \"Port\": {\"columns\": {"
    "   \"name\": {\"type\": \"string\"},"
    "   \"addrs\": {\"type\": {\"key\": \"string\", \"min\": 0,"
    "                          \"max\": \"unlimited\"}}}}}}";

enum { SW_N = 2, SW_NAME, SW_OTHER, SW_PORTS, SW_TAG };
enum { PORT_ADDRS = 2, PORT_NAME };

static const char server_schema[] =
    "{\"name\":\"_Server\",\"version\":\"1.2.0\",\"tables\":{\"Database\":"
    "{\"columns\":{\"cid\":{\"type\":{\"key\":\"uuid\",\"min\":0}},"
    "\"connected\":{\"type\":\"boolean\"},"
    "\"index\":{\"type\":{\"key\":\"integer\",\"min\":0}},"
    "\"leader\":{\"type\":\"boolean\"},"
    "\"model\":{\"type\":{\"key\":{\"enum\":[\"set\",[\"clustered\","
    "\"relay\",\"standalone\"]],\"type\":\"string\"}}},"
    "\"name\":{\"type\":\"string\"},"
    "\"schema\":{\"type\":{\"key\":\"string\",\"min\":0}},"
    "\"sid\":{\"type\":{\"key\":\"uuid\",\"min\":0}}}}}}";

#define U1 "11111111-1111-4111-8111-111111111111"
#define U2 "22222222-2222-4222-8222-222222222222"
#define U3 "33333333-3333-4333-8333-333333333333"
#define P1 "44444444-4444-4444-8444-444444444444"
#define TXN1 "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
#define TXN2 "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"
#define ZERO "00000000-0000-0000-0000-000000000000"

/* Helpers. */

static struct json *
parse(const char *text)
{
    char *error = NULL;
    struct json *json = json_from_string(text, &error);
    if (!json) {
        fail_msg("bad test JSON: %s: %s", error, text);
    }
    return json;
}

static struct ovsdb_schema *
parse_schema(const char *text)
{
    struct json *json = parse(text);
    struct ovsdb_schema *schema;
    struct ovsdb_error *error = ovsdb_schema_from_json(json, &schema);
    json_destroy(json);
    assert_null(error);
    return schema;
}

/* The time feed() delivers messages at. */
static long long feed_now;

/* Feeds one message, written as JSON with ' for ". */
static void
feed(struct ovsdb_client *client, const char *text)
{
    char *s = xstrdup(text);
    for (char *p = s; *p; p++) {
        if (*p == '\'') {
            *p = '"';
        }
    }
    struct json *json = parse(s);
    struct jsonrpc_msg *msg;
    char *error = jsonrpc_msg_from_json(json, &msg);
    assert_null(error);
    json_destroy(json);
    free(s);
    ovsdb_client_receive(client, feed_now, msg);
}

static void
feed_fmt(struct ovsdb_client *client, const char *format, ...)
    PRINTF_FORMAT(2, 3);

static void
feed_fmt(struct ovsdb_client *client, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    char *s = xvasprintf(format, args);
    va_end(args);
    feed(client, s);
    free(s);
}

/* Pops the next request, checks its method, and returns its params as
 * sorted JSON text; '*idp' gets its id. */
static char *
pop_request(struct ovsdb_client *client, const char *method, long long *idp)
{
    struct jsonrpc_msg *msg = ovsdb_client_pop_msg(client);
    assert_non_null(msg);
    if (msg->type != JSONRPC_REQUEST || strcmp(msg->method, method)) {
        fail_msg("expected %s request, got %s %s", method,
                 jsonrpc_msg_type_to_string(msg->type),
                 msg->method ? msg->method : "");
    }
    assert_int_equal(msg->id->type, JSON_INTEGER);
    if (idp) {
        *idp = msg->id->integer;
    }
    char *params = json_to_string(msg->params, JSSF_SORT);
    jsonrpc_msg_destroy(msg);
    return params;
}

static long long
expect_request(struct ovsdb_client *client, const char *method,
               const char *params)
{
    long long id;
    char *s = pop_request(client, method, &id);
    if (params) {
        assert_string_equal(s, params);
    }
    free(s);
    return id;
}

static void
reply(struct ovsdb_client *client, long long id, const char *result)
{
    feed_fmt(client, "{'id': %lld, 'result': %s, 'error': null}", id,
             result);
}

static void
error_reply(struct ovsdb_client *client, long long id, const char *error)
{
    feed_fmt(client, "{'id': %lld, 'result': null, 'error': %s}", id,
             error);
}

static void
reply_server_schema(struct ovsdb_client *client, long long id)
{
    feed_fmt(client, "{\"id\": %lld, \"result\": %s, \"error\": null}", id,
             server_schema);
}

static void
reply_test_schema(struct ovsdb_client *client, long long id)
{
    feed_fmt(client, "{\"id\": %lld, \"result\": %s, \"error\": null}", id,
             test_schema);
}

/* Takes a client through _Server (standalone) and get_schema up to the
 * monitor_cond_since request, whose params must be 'monitor_params' if
 * nonnull.  Returns the request id. */
static long long
handshake(struct ovsdb_client *client, const char *monitor_params)
{
    ovsdb_client_connected(client, 0);
    reply_server_schema(client, expect_request(client, "get_schema",
                                               "[\"_Server\"]"));
    long long id = expect_request(client, "monitor_cond", NULL);
    reply(client, id, "{'Database': {'" U3 "': {'initial': {"
                      "'name': 'TestDB', 'model': 'standalone', "
                      "'connected': true, 'leader': true}}}}");
    expect_request(client, "set_db_change_aware", "[true]");
    reply_test_schema(client, expect_request(client, "get_schema",
                                             "[\"TestDB\"]"));
    return expect_request(client, "monitor_cond_since", monitor_params);
}

static struct ovsdb_client *
create_test_client(const char *remotes)
{
    return ovsdb_client_create_generic(remotes, "TestDB",
                                       parse_schema(test_schema));
}

static const struct ovsdb_client_row *
find_row(struct ovsdb_client *client, const char *table, const char *uuid)
{
    struct uuid u;
    assert_true(uuid_from_string(&u, uuid));
    return ovsdb_client_table_find(ovsdb_client_get_table(client, table),
                                   &u);
}

static char *
datum_str(const struct ovsdb_client_row *row, unsigned int column)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    ovsdb_datum_to_string(ovsdb_client_row_get(row, column),
                          ovsdb_client_row_get_type(row, column), &s);
    return ds_steal_cstr(&s);
}

static void
assert_datum(const struct ovsdb_client_row *row, unsigned int column,
             const char *expected)
{
    char *s = datum_str(row, column);
    assert_string_equal(s, expected);
    free(s);
}

static void
assert_old_datum(const struct ovsdb_client_row *row, unsigned int column,
                 const char *expected)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    ovsdb_datum_to_string(ovsdb_client_row_get_old(row, column),
                          ovsdb_client_row_get_type(row, column), &s);
    assert_string_equal(ds_cstr(&s), expected);
    ds_destroy(&s);
}

static size_t
count_tracked(struct ovsdb_client *client, const char *table,
              enum ovsdb_client_change change)
{
    const struct ovsdb_client_table *t = ovsdb_client_get_table(client,
                                                                table);
    const struct ovsdb_client_row *row;
    size_t n = 0;
    OVSDB_CLIENT_ROW_FOR_EACH_TRACKED (row, t) {
        n += row->change == change;
    }
    return n;
}

/* Reconnection state machine. */

static void
test_reconnect_backoff(void **state OVS_UNUSED)
{
    struct ovsdb_client_reconnect rc;

    ovsdb_client_reconnect_init(&rc, 0);
    ovsdb_client_reconnect_set_remotes(&rc, "unix:a,tcp:1.2.3.4:6641", 0);
    assert_string_equal(ovsdb_client_reconnect_get_remote(&rc), "unix:a");
    assert_int_equal(ovsdb_client_reconnect_run(&rc, 0),
                     OVSDB_RECONNECT_CONNECT);

    /* Failures rotate the remotes and double the backoff up to 8 s. */
    long long now = 0;
    const int expected[] = { 1000, 2000, 4000, 8000, 8000 };
    for (size_t i = 0; i < ARRAY_SIZE(expected); i++) {
        ovsdb_client_reconnect_failed(&rc, now, ECONNREFUSED);
        assert_string_equal(ovsdb_client_reconnect_get_remote(&rc),
                            i % 2 ? "unix:a" : "tcp:1.2.3.4:6641");
        assert_int_equal(ovsdb_client_reconnect_wakeup(&rc),
                         now + expected[i]);
        assert_int_equal(ovsdb_client_reconnect_run(&rc, now + expected[i]
                                                              - 1),
                         OVSDB_RECONNECT_NONE);
        now += expected[i];
        assert_int_equal(ovsdb_client_reconnect_run(&rc, now),
                         OVSDB_RECONNECT_CONNECT);
    }

    /* A connection that became healthy resets the backoff: reconnecting
     * after losing it is immediate. */
    ovsdb_client_reconnect_connected(&rc, now);
    ovsdb_client_reconnect_healthy(&rc);
    ovsdb_client_reconnect_failed(&rc, now, 0);
    assert_int_equal(ovsdb_client_reconnect_run(&rc, now),
                     OVSDB_RECONNECT_CONNECT);

    /* A connection that fails before becoming healthy counts as a
     * failure again. */
    assert_string_equal(ovsdb_client_reconnect_get_remote(&rc), "unix:a");
    ovsdb_client_reconnect_connected(&rc, now);
    ovsdb_client_reconnect_failed(&rc, now, 0);
    now += 1000;
    assert_int_equal(ovsdb_client_reconnect_run(&rc, now),
                     OVSDB_RECONNECT_CONNECT);

    /* tcp remotes get a 5 s inactivity probe by default. */
    assert_string_equal(ovsdb_client_reconnect_get_remote(&rc),
                        "tcp:1.2.3.4:6641");
    ovsdb_client_reconnect_connected(&rc, now);
    assert_int_equal(ovsdb_client_reconnect_run(&rc, now + 4999),
                     OVSDB_RECONNECT_NONE);
    assert_int_equal(ovsdb_client_reconnect_run(&rc, now + 5000),
                     OVSDB_RECONNECT_PROBE);
    ovsdb_client_reconnect_activity(&rc, now + 6000);
    assert_int_equal(ovsdb_client_reconnect_run(&rc, now + 10999),
                     OVSDB_RECONNECT_NONE);
    assert_int_equal(ovsdb_client_reconnect_run(&rc, now + 11000),
                     OVSDB_RECONNECT_PROBE);
    assert_int_equal(ovsdb_client_reconnect_run(&rc, now + 16000),
                     OVSDB_RECONNECT_DISCONNECT);
    assert_false(ovsdb_client_reconnect_is_connected(&rc));

    /* A connect attempt that hangs is abandoned. */
    now += 20000;
    assert_int_equal(ovsdb_client_reconnect_run(&rc, now),
                     OVSDB_RECONNECT_CONNECT);
    assert_int_equal(ovsdb_client_reconnect_run(&rc, now + 5000),
                     OVSDB_RECONNECT_DISCONNECT);

    /* Rewriting the list keeps the current remote; dropping it asks the
     * owner to disconnect. */
    ovsdb_client_reconnect_connected(&rc, now);
    const char *cur = ovsdb_client_reconnect_get_remote(&rc);
    char *copy = xstrdup(cur);
    assert_false(ovsdb_client_reconnect_set_remotes(
                     &rc, "tcp:1.2.3.4:6641, unix:a", now));
    assert_string_equal(ovsdb_client_reconnect_get_remote(&rc), copy);
    free(copy);
    assert_true(ovsdb_client_reconnect_set_remotes(&rc, "unix:b", now));
    ovsdb_client_reconnect_destroy(&rc);
}

/* Session. */

static void
test_fallback_to_monitor(void **state OVS_UNUSED)
{
    struct ovsdb_client *client = create_test_client(NULL);

    ovsdb_client_connected(client, 0);
    assert_true(ovsdb_client_is_connected(client));
    assert_false(ovsdb_client_is_ready(client));

    /* An old server without _Server, monitor_cond_since or monitor_cond. */
    error_reply(client, expect_request(client, "get_schema", "[\"_Server\"]"),
                "{'error': 'unknown database', 'details': 'nope'}");
    reply_test_schema(client, expect_request(client, "get_schema",
                                             "[\"TestDB\"]"));
    long long id = expect_request(
        client, "monitor_cond_since",
        "[\"TestDB\",\"TestDB\",{\"Port\":[{\"columns\":[\"addrs\",\"name\"]"
        "}],\"Sw\":[{\"columns\":[\"n\",\"name\",\"other\",\"ports\","
        "\"tag\"]}]},\"" ZERO "\"]");
    error_reply(client, id, "'unknown method'");
    id = expect_request(client, "monitor_cond", NULL);
    error_reply(client, id, "'unknown method'");
    id = expect_request(
        client, "monitor",
        "[\"TestDB\",\"TestDB\",{\"Port\":{\"columns\":[\"addrs\",\"name\"]},"
        "\"Sw\":{\"columns\":[\"n\",\"name\",\"other\",\"ports\",\"tag\"]}}]");
    reply(client, id, "{'Sw': {'" U1 "': {'new': {'name': 'sw1', 'n': 3,"
                      " 'tag': ['set', []], 'other': ['map', [['a', 'b']]],"
                      " 'ports': ['set', []]}}}}");
    assert_true(ovsdb_client_is_ready(client));
    assert_string_equal(ovsdb_client_get_monitor_method(client), "monitor");

    const struct ovsdb_client_row *sw = find_row(client, "Sw", U1);
    assert_non_null(sw);
    assert_datum(sw, SW_NAME, "sw1");
    assert_datum(sw, SW_N, "3");
    assert_datum(sw, SW_OTHER, "{a=b}");
    assert_true(ovsdb_client_row_is_new(sw));

    /* update (version 1): "new" has every column. */
    ovsdb_client_clear_tracked(client);
    feed(client, "{'id': null, 'method': 'update', 'params': ['TestDB', "
                 "{'Sw': {'" U1 "': {'old': {'n': 3}, 'new': {'name': 'sw1',"
                 " 'n': 4, 'tag': 7, 'other': ['map', [['a', 'b']]],"
                 " 'ports': ['set', []]}}}}]}");
    assert_datum(sw, SW_N, "4");
    assert_datum(sw, SW_TAG, "7");
    assert_true(ovsdb_client_row_is_updated(sw, SW_N));
    assert_true(ovsdb_client_row_is_updated(sw, SW_TAG));
    assert_false(ovsdb_client_row_is_updated(sw, SW_NAME));

    /* The server's echo requests are answered. */
    feed(client, "{'id': 'e1', 'method': 'echo', 'params': [1, 'x']}");
    struct jsonrpc_msg *msg = ovsdb_client_pop_msg(client);
    assert_int_equal(msg->type, JSONRPC_REPLY);
    char *s = json_to_string(msg->result, 0);
    assert_string_equal(s, "[1,\"x\"]");
    free(s);
    assert_string_equal(msg->id->string, "e1");
    jsonrpc_msg_destroy(msg);
    assert_null(ovsdb_client_pop_msg(client));
    ovsdb_client_destroy(client);
}

static void
test_update2(void **state OVS_UNUSED)
{
    struct ovsdb_client *client = create_test_client(NULL);

    /* A server with monitor_cond but not monitor_cond_since. */
    long long id = handshake(client, NULL);
    error_reply(client, id, "{'error': 'unknown method'}");
    id = expect_request(
        client, "monitor_cond",
        "[\"TestDB\",\"TestDB\",{\"Port\":[{\"columns\":[\"addrs\",\"name\"]"
        "}],\"Sw\":[{\"columns\":[\"n\",\"name\",\"other\",\"ports\","
        "\"tag\"]}]}]");
    reply(client, id, "{'Sw': {'" U1 "': {'initial': {'name': 'a'}}}}");
    assert_string_equal(ovsdb_client_get_monitor_method(client),
                        "monitor_cond");
    ovsdb_client_clear_tracked(client);

    feed(client, "{'id': null, 'method': 'update2', 'params': ['TestDB', "
                 "{'Sw': {'" U1 "': {'modify': {'name': 'b',"
                 " 'ports': ['uuid', '" P1 "']}},"
                 " '" U2 "': {'insert': {'name': 'c', 'n': 2}}}}]}");
    const struct ovsdb_client_row *sw1 = find_row(client, "Sw", U1);
    assert_datum(sw1, SW_NAME, "b");
    assert_datum(sw1, SW_PORTS, "[" P1 "]");
    assert_true(ovsdb_client_row_is_updated(sw1, SW_PORTS));
    assert_datum(find_row(client, "Sw", U2), SW_N, "2");
    assert_int_equal(count_tracked(client, "Sw", OVSDB_CLIENT_INSERTED), 1);

    /* A monitor we do not know is ignored. */
    feed(client, "{'id': null, 'method': 'update2', 'params': ['other', "
                 "{'Sw': {'" U1 "': {'delete': null}}}]}");
    assert_non_null(find_row(client, "Sw", U1));

    /* Reconnecting tries monitor_cond_since again, from scratch. */
    ovsdb_client_disconnected(client, 0, ECONNRESET);
    handshake(client, "[\"TestDB\",\"TestDB\",{\"Port\":[{\"columns\":"
                      "[\"addrs\",\"name\"]}],\"Sw\":[{\"columns\":[\"n\","
                      "\"name\",\"other\",\"ports\",\"tag\"]}]},\"" ZERO
                      "\"]");
    ovsdb_client_destroy(client);
}

static void
test_probe(void **state OVS_UNUSED)
{
    struct ovsdb_client *client = create_test_client("tcp:127.0.0.1:6641");

    assert_int_equal(ovsdb_client_run(client, 0), OVSDB_CLIENT_CONNECT);
    assert_int_equal(ovsdb_client_get_wakeup(client), 1000);
    ovsdb_client_connected(client, 0);
    expect_request(client, "get_schema", NULL);
    assert_int_equal(ovsdb_client_get_wakeup(client), 5000);

    /* Idle for the probe interval: an echo goes out. */
    assert_int_equal(ovsdb_client_run(client, 5000), OVSDB_CLIENT_NONE);
    long long id = expect_request(client, "echo", "[]");
    feed_now = 6000;
    reply(client, id, "[]");
    feed_now = 0;
    assert_int_equal(ovsdb_client_run(client, 10999), OVSDB_CLIENT_NONE);
    assert_null(ovsdb_client_pop_msg(client));

    /* No answer to the next probe: the connection is dropped. */
    assert_int_equal(ovsdb_client_run(client, 11000), OVSDB_CLIENT_NONE);
    expect_request(client, "echo", NULL);
    assert_int_equal(ovsdb_client_run(client, 15999), OVSDB_CLIENT_NONE);
    assert_int_equal(ovsdb_client_run(client, 16000),
                     OVSDB_CLIENT_DISCONNECT);
    assert_false(ovsdb_client_is_connected(client));
    assert_null(ovsdb_client_pop_msg(client));
    ovsdb_client_destroy(client);
}

static void
load_initial(struct ovsdb_client *client)
{
    long long id = handshake(client, NULL);
    reply(client, id,
          "[false, '" TXN1 "', {"
          "'Sw': {'" U1 "': {'initial': {'name': 'sw1', 'n': 1,"
          "                    'other': ['map', [['a', '1'], ['b', '2']]],"
          "                    'ports': ['uuid', '" P1 "']}},"
          "       '" U2 "': {'initial': {'name': 'sw2'}}},"
          "'Port': {'" P1 "': {'initial': {'name': 'p1',"
          "                    'addrs': ['set', ['x', 'y']]}}}}]");
    assert_true(ovsdb_client_is_ready(client));
}

static void
test_update3_and_tracking(void **state OVS_UNUSED)
{
    struct ovsdb_client *client = create_test_client(NULL);
    uint64_t seqno = ovsdb_client_get_seqno(client);

    load_initial(client);
    assert_true(ovsdb_client_get_seqno(client) > seqno);
    assert_string_equal(ovsdb_client_get_monitor_method(client),
                        "monitor_cond_since");
    assert_int_equal(count_tracked(client, "Sw", OVSDB_CLIENT_INSERTED), 2);
    assert_int_equal(count_tracked(client, "Port", OVSDB_CLIENT_INSERTED), 1);
    const struct ovsdb_client_row *sw1 = find_row(client, "Sw", U1);
    const struct ovsdb_client_row *sw2 = find_row(client, "Sw", U2);
    assert_datum(sw2, SW_N, "0");           /* Omitted: default. */
    assert_datum(sw2, SW_OTHER, "{}");
    ovsdb_client_clear_tracked(client);
    assert_false(ovsdb_client_has_tracked(client));

    /* Diffs: scalar replaced, optional scalar replaced, map pairs added,
     * removed (same value) and changed, set elements toggled. */
    feed(client, "{'id': null, 'method': 'update3', 'params': ['TestDB', '"
                 TXN2 "', {'Sw': {'" U1 "': {'modify': {'n': 5, 'tag': 9,"
                 " 'other': ['map', [['a', '1'], ['b', '3'], ['c', '4']]]}}},"
                 " 'Port': {'" P1 "': {'modify': {"
                 "  'addrs': ['set', ['y', 'z']]}}}}]}");
    assert_datum(sw1, SW_N, "5");
    assert_datum(sw1, SW_TAG, "9");
    assert_datum(sw1, SW_OTHER, "{b=\"3\", c=\"4\"}");
    const struct ovsdb_client_row *p1 = find_row(client, "Port", P1);
    assert_datum(p1, PORT_ADDRS, "[x, z]");

    assert_int_equal(count_tracked(client, "Sw", OVSDB_CLIENT_MODIFIED), 1);
    assert_true(ovsdb_client_row_is_updated(sw1, SW_N));
    assert_true(ovsdb_client_row_is_updated(sw1, SW_OTHER));
    assert_false(ovsdb_client_row_is_updated(sw1, SW_NAME));
    assert_old_datum(sw1, SW_N, "1");
    assert_old_datum(sw1, SW_OTHER, "{a=\"1\", b=\"2\"}");
    assert_old_datum(sw1, SW_NAME, "sw1");

    /* A second batch before clearing keeps the oldest old value. */
    feed(client, "{'id': null, 'method': 'update3', 'params': ['TestDB', '"
                 TXN2 "', {'Sw': {'" U1 "': {'modify': {'n': 6}}}}]}");
    assert_old_datum(sw1, SW_N, "1");
    ovsdb_client_clear_tracked(client);

    /* Optional scalar cleared; row deleted stays readable until clear. */
    feed(client, "{'id': null, 'method': 'update3', 'params': ['TestDB', '"
                 TXN2 "', {'Sw': {'" U1 "': {'modify': {'tag': ['set', []]}},"
                 " '" U2 "': {'delete': null}}}]}");
    assert_datum(sw1, SW_TAG, "[]");
    assert_null(find_row(client, "Sw", U2));
    assert_int_equal(count_tracked(client, "Sw", OVSDB_CLIENT_DELETED), 1);
    assert_true(ovsdb_client_row_is_deleted(sw2));
    assert_datum(sw2, SW_NAME, "sw2");
    ovsdb_client_clear_tracked(client);
    assert_int_equal(ovsdb_client_table_count(
                         ovsdb_client_get_table(client, "Sw")), 1);

    /* Insert then delete before a clear: nothing to report. */
    feed(client, "{'id': null, 'method': 'update3', 'params': ['TestDB', '"
                 TXN2 "', {'Sw': {'" U3 "': {'insert': {'name': 'sw3'}}}}]}");
    feed(client, "{'id': null, 'method': 'update3', 'params': ['TestDB', '"
                 TXN2 "', {'Sw': {'" U3 "': {'delete': null}}}]}");
    assert_false(ovsdb_client_has_tracked(client));

    /* Reconnecting resumes from the last transaction id; found=true keeps
     * the replica. */
    ovsdb_client_disconnected(client, 0, ECONNRESET);
    assert_false(ovsdb_client_is_ready(client));
    assert_non_null(find_row(client, "Sw", U1));
    long long id = handshake(client, NULL);
    (void) id;
    ovsdb_client_destroy(client);
}

static void
test_resume_and_reconcile(void **state OVS_UNUSED)
{
    struct ovsdb_client *client = create_test_client(NULL);

    load_initial(client);
    ovsdb_client_clear_tracked(client);
    ovsdb_client_disconnected(client, 0, ECONNRESET);

    char *params = NULL;
    ovsdb_client_connected(client, 0);
    error_reply(client, expect_request(client, "get_schema", NULL),
                "'unknown database'");
    reply_test_schema(client, expect_request(client, "get_schema", NULL));
    long long id;
    params = pop_request(client, "monitor_cond_since", &id);
    assert_non_null(strstr(params, "\"" TXN1 "\"]"));
    free(params);

    /* found=true with changes since TXN1 only. */
    reply(client, id, "[true, '" TXN2 "', {'Sw': {'" U2 "': {'modify': "
                      "{'n': 2}}}}]");
    assert_datum(find_row(client, "Sw", U1), SW_NAME, "sw1");
    assert_datum(find_row(client, "Sw", U2), SW_N, "2");
    assert_int_equal(count_tracked(client, "Sw", OVSDB_CLIENT_MODIFIED), 1);
    ovsdb_client_clear_tracked(client);

    /* found=false: full contents, reconciled against the replica: sw1
     * unchanged, sw2 gone, sw3 new, p1 modified. */
    ovsdb_client_disconnected(client, 0, ECONNRESET);
    ovsdb_client_connected(client, 0);
    error_reply(client, expect_request(client, "get_schema", NULL),
                "'unknown database'");
    reply_test_schema(client, expect_request(client, "get_schema", NULL));
    params = pop_request(client, "monitor_cond_since", &id);
    assert_non_null(strstr(params, "\"" TXN2 "\"]"));
    free(params);
    reply(client, id,
          "[false, '" TXN1 "', {"
          "'Sw': {'" U1 "': {'initial': {'name': 'sw1', 'n': 1,"
          "                    'other': ['map', [['a', '1'], ['b', '2']]],"
          "                    'ports': ['uuid', '" P1 "']}},"
          "       '" U3 "': {'initial': {'name': 'sw3'}}},"
          "'Port': {'" P1 "': {'initial': {'name': 'p1'}}}}]");
    assert_int_equal(count_tracked(client, "Sw", OVSDB_CLIENT_MODIFIED), 0);
    assert_int_equal(count_tracked(client, "Sw", OVSDB_CLIENT_DELETED), 1);
    assert_int_equal(count_tracked(client, "Sw", OVSDB_CLIENT_INSERTED), 1);
    assert_int_equal(count_tracked(client, "Port", OVSDB_CLIENT_MODIFIED), 1);
    const struct ovsdb_client_row *p1 = find_row(client, "Port", P1);
    assert_true(ovsdb_client_row_is_updated(p1, PORT_ADDRS));
    assert_false(ovsdb_client_row_is_updated(p1, PORT_NAME));
    assert_datum(p1, PORT_ADDRS, "[]");
    assert_null(find_row(client, "Sw", U2));

    /* An update that does not fit the replica forces a full reload. */
    feed(client, "{'id': null, 'method': 'update3', 'params': ['TestDB', '"
                 TXN2 "', {'Sw': {'" U2 "': {'modify': {'n': 1}}}}]}");
    assert_int_equal(ovsdb_client_run(client, 0), OVSDB_CLIENT_DISCONNECT);
    handshake(client, "[\"TestDB\",\"TestDB\",{\"Port\":[{\"columns\":"
                      "[\"addrs\",\"name\"]}],\"Sw\":[{\"columns\":[\"n\","
                      "\"name\",\"other\",\"ports\",\"tag\"]}]},\"" ZERO
                      "\"]");
    ovsdb_client_destroy(client);
}

static void
test_cluster_leader(void **state OVS_UNUSED)
{
    struct ovsdb_client *client = create_test_client("unix:a,unix:b");

    ovsdb_client_set_leader_only(client, true);
    assert_int_equal(ovsdb_client_run(client, 0), OVSDB_CLIENT_CONNECT);
    assert_string_equal(ovsdb_client_get_remote(client), "unix:a");
    ovsdb_client_connected(client, 0);
    reply_server_schema(client, expect_request(client, "get_schema", NULL));
    long long id = expect_request(
        client, "monitor_cond",
        "[\"_Server\",\"_Server\",{\"Database\":[{\"columns\":[\"cid\","
        "\"connected\",\"index\",\"leader\",\"model\",\"name\"]}]}]");
    reply(client, id, "{'Database': {'" U3 "': {'initial': {"
                      "'name': 'TestDB', 'model': 'clustered', "
                      "'connected': true, 'leader': false}}}}");
    expect_request(client, "set_db_change_aware", "[true]");
    assert_null(ovsdb_client_pop_msg(client));

    /* A follower: move on to the next remote. */
    assert_int_equal(ovsdb_client_run(client, 0), OVSDB_CLIENT_DISCONNECT);
    assert_non_null(strstr(ovsdb_client_get_last_error(client),
                           "not the cluster leader"));
    assert_string_equal(ovsdb_client_get_remote(client), "unix:b");
    assert_int_equal(ovsdb_client_run(client, 999), OVSDB_CLIENT_NONE);
    assert_int_equal(ovsdb_client_run(client, 1000), OVSDB_CLIENT_CONNECT);

    /* The leader: proceed; losing leadership later disconnects. */
    ovsdb_client_connected(client, 1000);
    reply_server_schema(client, expect_request(client, "get_schema", NULL));
    id = expect_request(client, "monitor_cond", NULL);
    reply(client, id, "{'Database': {'" U3 "': {'initial': {"
                      "'name': 'TestDB', 'model': 'clustered', "
                      "'connected': true, 'leader': true}}}}");
    expect_request(client, "set_db_change_aware", NULL);
    reply_test_schema(client, expect_request(client, "get_schema", NULL));
    id = expect_request(client, "monitor_cond_since", NULL);
    reply(client, id, "[false, '" ZERO "', {}]");
    assert_true(ovsdb_client_is_ready(client));
    assert_int_equal(ovsdb_client_run(client, 1000), OVSDB_CLIENT_NONE);

    feed(client, "{'id': null, 'method': 'update2', 'params': ['_Server', "
                 "{'Database': {'" U3 "': {'modify': {'leader': false}}}}]}");
    assert_int_equal(ovsdb_client_run(client, 1000), OVSDB_CLIENT_DISCONNECT);
    assert_false(ovsdb_client_is_ready(client));
    ovsdb_client_destroy(client);
}

static void
test_conditions(void **state OVS_UNUSED)
{
    struct ovsdb_client *client = create_test_client(NULL);
    struct json *cond = parse("[[\"name\", \"==\", \"sw1\"]]");

    unsigned int seqno = ovsdb_client_set_condition(client, "Sw", cond);
    assert_int_equal(seqno, 1);
    assert_int_equal(ovsdb_client_get_cond_seqno(client), 0);
    long long id = handshake(
        client, "[\"TestDB\",\"TestDB\",{\"Port\":[{\"columns\":[\"addrs\","
                "\"name\"]}],\"Sw\":[{\"columns\":[\"n\",\"name\",\"other\","
                "\"ports\",\"tag\"],\"where\":[[\"name\",\"==\",\"sw1\"]]}]},"
                "\"" ZERO "\"]");
    reply(client, id, "[false, '" ZERO "', {}]");
    assert_int_equal(ovsdb_client_get_cond_seqno(client), 1);

    /* While monitoring: monitor_cond_change; seqno advances on reply. */
    json_destroy(cond);
    cond = parse("[false]");
    seqno = ovsdb_client_set_condition(client, "Sw", cond);
    assert_int_equal(seqno, 2);
    id = expect_request(client, "monitor_cond_change",
                        "[\"TestDB\",\"TestDB\",{\"Port\":[{\"where\":[]}],"
                        "\"Sw\":[{\"where\":[false]}]}]");
    /* A change while one is in flight waits for the reply. */
    ovsdb_client_set_condition(client, "Sw", NULL);
    assert_null(ovsdb_client_pop_msg(client));
    reply(client, id, "{}");
    assert_int_equal(ovsdb_client_get_cond_seqno(client), 2);
    id = expect_request(client, "monitor_cond_change", NULL);
    reply(client, id, "{}");
    assert_int_equal(ovsdb_client_get_cond_seqno(client), 3);
    json_destroy(cond);
    ovsdb_client_destroy(client);
}

/* Monitoring some columns of one table and only the rows of another:
 * "columns": [] brings each row's UUID; unmonitored columns keep their
 * defaults and tables not named are not requested. */
static void
test_monitor_selection(void **state OVS_UNUSED)
{
    struct ovsdb_client *client = create_test_client(NULL);

    ovsdb_client_monitor_column(client, "Sw", "name");
    ovsdb_client_monitor_column(client, "Sw", "ports");
    ovsdb_client_monitor_column(client, "Port", NULL);
    long long id = handshake(
        client, "[\"TestDB\",\"TestDB\",{\"Port\":[{\"columns\":[]}],"
                "\"Sw\":[{\"columns\":[\"name\",\"ports\"]}]},"
                "\"" ZERO "\"]");
    reply(client, id,
          "[false, '" TXN1 "', {"
          "'Sw': {'" U1 "': {'initial': {'name': 'sw1',"
          "                    'ports': ['uuid', '" P1 "']}}},"
          "'Port': {'" P1 "': {'initial': {}}}}]");
    const struct ovsdb_client_row *sw1 = find_row(client, "Sw", U1);
    const struct ovsdb_client_row *p1 = find_row(client, "Port", P1);
    assert_non_null(sw1);
    assert_non_null(p1);
    assert_datum(sw1, SW_PORTS, "[" P1 "]");
    assert_datum(sw1, SW_N, "0");
    assert_datum(p1, PORT_NAME, "\"\"");

    /* Naming a table wholly takes all its columns. */
    ovsdb_client_monitor_table(client, "Port");
    ovsdb_client_disconnected(client, 0, ECONNRESET);
    handshake(client, "[\"TestDB\",\"TestDB\",{\"Port\":[{\"columns\":"
                      "[\"addrs\",\"name\"]}],\"Sw\":[{\"columns\":"
                      "[\"name\",\"ports\"]}]},\"" TXN1 "\"]");
    ovsdb_client_destroy(client);
}

/* Transactions. */

static struct ovsdb_client *
ready_client(void)
{
    struct ovsdb_client *client = create_test_client(NULL);
    load_initial(client);
    ovsdb_client_clear_tracked(client);
    return client;
}

static char *
request_string(const struct ovsdb_client_txn *txn)
{
    return json_to_string(ovsdb_client_txn_get_request(txn), JSSF_SORT);
}

static void
test_txn_generation(void **state OVS_UNUSED)
{
    struct ovsdb_client *client = ready_client();
    const struct ovsdb_client_row *sw1 = find_row(client, "Sw", U1);
    const struct ovsdb_client_row *sw2 = find_row(client, "Sw", U2);
    struct ovsdb_client_table *port_table = ovsdb_client_get_table(client,
                                                                   "Port");
    struct ovsdb_client_txn *txn = ovsdb_client_txn_create(client);
    struct ovsdb_datum d;

    /* Insert a port and add it to sw1's ports by mutation. */
    const struct ovsdb_client_row *np = ovsdb_client_txn_insert(txn,
                                                                port_table);
    struct uuid np_uuid = np->uuid;     /* 'np' is freed at commit. */
    ovsdb_datum_init_string(&d, "p2");
    ovsdb_client_txn_write(txn, np, PORT_NAME, &d);
    assert_int_equal(ovsdb_client_table_count(port_table), 2);
    ovsdb_datum_init_uuid(&d, &np->uuid);
    ovsdb_client_txn_insert_elems(txn, sw1, SW_PORTS, &d);
    assert_int_equal(ovsdb_client_row_get(sw1, SW_PORTS)->n, 2);

    /* Writes: only changed columns are sent; verify emits a wait with the
     * replica value. */
    ovsdb_client_txn_verify(txn, sw1, SW_NAME);
    ovsdb_datum_init_string(&d, "sw1");
    ovsdb_client_txn_write(txn, sw1, SW_NAME, &d);      /* Unchanged. */
    ovsdb_datum_init_integer(&d, 42);
    ovsdb_client_txn_write(txn, sw1, SW_N, &d);
    assert_datum(sw1, SW_N, "42");                      /* Overlay. */
    union ovsdb_atom k, v;
    ovsdb_atom_init_string(&k, "b");
    ovsdb_atom_init_string(&v, "9");
    ovsdb_client_txn_set_key(txn, sw1, SW_OTHER, &k, &v);
    assert_datum(sw1, SW_OTHER, "{a=\"1\", b=\"9\"}");
    ovsdb_client_txn_delete(txn, sw2);
    assert_null(find_row(client, "Sw", U2));
    ovsdb_client_txn_increment(txn, sw1, SW_TAG);
    ovsdb_client_txn_add_comment(txn, "hello");

    assert_int_equal(ovsdb_client_txn_commit(txn), OVSDB_TXN_INCOMPLETE);

    /* The replica is back to the server's view. */
    assert_datum(sw1, SW_N, "1");
    assert_int_equal(ovsdb_client_row_get(sw1, SW_PORTS)->n, 1);
    assert_non_null(find_row(client, "Sw", U2));
    assert_int_equal(ovsdb_client_table_count(port_table), 1);

    char *name = xasprintf("row" UUID_FMT, UUID_ARGS(&np_uuid));
    for (char *p = name; *p; p++) {
        *p = *p == '-' ? '_' : *p;
    }
    char *expected = xasprintf(
        "[\"TestDB\","
        "{\"columns\":[\"name\"],\"op\":\"wait\",\"rows\":[{\"name\":\"sw1\"}],"
        "\"table\":\"Sw\",\"timeout\":0,\"until\":\"==\",\"where\":[[\"_uuid\","
        "\"==\",[\"uuid\",\"" U1 "\"]]]},"
        "{\"op\":\"insert\",\"row\":{\"name\":\"p2\"},\"table\":\"Port\","
        "\"uuid-name\":\"%s\"},"
        "{\"op\":\"update\",\"row\":{\"n\":42},\"table\":\"Sw\",\"where\":"
        "[[\"_uuid\",\"==\",[\"uuid\",\"" U1 "\"]]]},"
        "{\"mutations\":[[\"ports\",\"insert\",[\"named-uuid\",\"%s\"]],"
        "[\"other\",\"delete\",\"b\"],[\"other\",\"insert\",[\"map\","
        "[[\"b\",\"9\"]]]]],\"op\":\"mutate\",\"table\":\"Sw\",\"where\":"
        "[[\"_uuid\",\"==\",[\"uuid\",\"" U1 "\"]]]},"
        "{\"op\":\"delete\",\"table\":\"Sw\",\"where\":[[\"_uuid\",\"==\","
        "[\"uuid\",\"" U2 "\"]]]},"
        "{\"mutations\":[[\"tag\",\"+=\",1]],\"op\":\"mutate\",\"table\":"
        "\"Sw\",\"where\":[[\"_uuid\",\"==\",[\"uuid\",\"" U1 "\"]]]},"
        "{\"columns\":[\"tag\"],\"op\":\"select\",\"table\":\"Sw\",\"where\":"
        "[[\"_uuid\",\"==\",[\"uuid\",\"" U1 "\"]]]},"
        "{\"comment\":\"hello\",\"op\":\"comment\"}]", name, name);
    char *actual = request_string(txn);
    assert_string_equal(actual, expected);
    free(actual);
    free(expected);
    free(name);

    /* The same params went out as a "transact" request. */
    long long id;
    char *sent = pop_request(client, "transact", &id);
    actual = request_string(txn);
    assert_string_equal(sent, actual);
    free(sent);
    free(actual);

    reply(client, id, "[{}, {'uuid': ['uuid', '" U3 "']}, {'count': 1},"
                      " {'count': 1}, {'count': 1}, {'count': 1},"
                      " {'rows': [{'tag': 8}]}, {}]");
    assert_int_equal(ovsdb_client_txn_get_status(txn), OVSDB_TXN_SUCCESS);
    char buf[UUID_LEN + 1];
    assert_string_equal(uuid_to_cstr(ovsdb_client_txn_get_insert_uuid(txn,
                                                                       np),
                                     buf), U3);
    assert_int_equal(ovsdb_client_txn_get_increment_new_value(txn), 8);
    ovsdb_client_txn_destroy(txn);

    /* Nothing to do: unchanged, nothing sent. */
    txn = ovsdb_client_txn_create(client);
    ovsdb_client_txn_verify(txn, sw1, SW_N);
    ovsdb_datum_init_integer(&d, 1);
    ovsdb_client_txn_write(txn, sw1, SW_N, &d);
    assert_int_equal(ovsdb_client_txn_commit(txn), OVSDB_TXN_UNCHANGED);
    assert_null(ovsdb_client_pop_msg(client));
    ovsdb_client_txn_destroy(txn);

    /* Abandoned: the overlay goes away. */
    txn = ovsdb_client_txn_create(client);
    ovsdb_datum_init_integer(&d, 77);
    ovsdb_client_txn_write(txn, sw1, SW_N, &d);
    ovsdb_client_txn_destroy(txn);
    assert_datum(sw1, SW_N, "1");
    ovsdb_client_destroy(client);
}

/* ovsdb_client_txn_has_changes() and an increment that only goes along
 * with changes (ovs-vsctl's next_cfg). */
static void
test_txn_increment_if_changed(void **state OVS_UNUSED)
{
    struct ovsdb_client *client = ready_client();
    const struct ovsdb_client_row *sw1 = find_row(client, "Sw", U1);
    const struct ovsdb_client_row *sw2 = find_row(client, "Sw", U2);
    const struct ovsdb_client_row *p1 = find_row(client, "Port", P1);
    struct ovsdb_client_txn *txn = ovsdb_client_txn_create(client);
    union ovsdb_atom k, v;
    struct ovsdb_datum d;

    /* Verifications and changes with no net effect are no changes: with
     * the increment, nothing at all is sent. */
    assert_false(ovsdb_client_txn_has_changes(txn));
    ovsdb_client_txn_increment_if_changed(txn, sw1, SW_N);
    ovsdb_client_txn_verify(txn, sw1, SW_NAME);
    ovsdb_atom_init_string(&k, "a");
    ovsdb_atom_init_string(&v, "1");
    ovsdb_client_txn_set_key(txn, sw1, SW_OTHER, &k, &v);   /* Same. */
    ovsdb_datum_init_string(&d, "zz");
    ovsdb_client_txn_delete_elems(txn, p1, PORT_ADDRS, &d); /* Absent. */
    ovsdb_datum_init_integer(&d, 1);
    ovsdb_client_txn_write(txn, sw1, SW_N, &d);             /* Same. */
    ovsdb_client_txn_delete(txn, p1);   /* Non-root: left to the GC. */
    assert_false(ovsdb_client_txn_has_changes(txn));
    ovsdb_client_txn_add_comment(txn, "nothing");
    assert_int_equal(ovsdb_client_txn_commit(txn), OVSDB_TXN_UNCHANGED);
    assert_null(ovsdb_client_pop_msg(client));
    ovsdb_client_txn_destroy(txn);

    /* Without the increment, the same no-op mutation is still sent. */
    txn = ovsdb_client_txn_create(client);
    ovsdb_atom_init_string(&k, "a");
    ovsdb_atom_init_string(&v, "1");
    ovsdb_client_txn_set_key(txn, sw1, SW_OTHER, &k, &v);
    assert_false(ovsdb_client_txn_has_changes(txn));
    assert_int_equal(ovsdb_client_txn_commit(txn), OVSDB_TXN_INCOMPLETE);
    free(pop_request(client, "transact", NULL));
    ovsdb_client_txn_destroy(txn);

    /* Each kind of change counts. */
    txn = ovsdb_client_txn_create(client);
    ovsdb_client_txn_delete(txn, sw2);              /* Root row. */
    assert_true(ovsdb_client_txn_has_changes(txn));
    ovsdb_client_txn_destroy(txn);
    txn = ovsdb_client_txn_create(client);
    ovsdb_atom_init_string(&k, "a");
    ovsdb_atom_init_string(&v, "7");
    ovsdb_client_txn_set_key(txn, sw1, SW_OTHER, &k, &v);
    assert_true(ovsdb_client_txn_has_changes(txn));
    ovsdb_client_txn_destroy(txn);

    /* An inserted row is a change; the increment may be of that very row,
     * named by its uuid-name. */
    txn = ovsdb_client_txn_create(client);
    const struct ovsdb_client_row *sw3 = ovsdb_client_txn_insert(
        txn, ovsdb_client_get_table(client, "Sw"));
    assert_true(ovsdb_client_txn_has_changes(txn));
    ovsdb_client_txn_increment_if_changed(txn, sw3, SW_N);
    char *name = xasprintf("row" UUID_FMT, UUID_ARGS(&sw3->uuid));
    assert_int_equal(ovsdb_client_txn_commit(txn), OVSDB_TXN_INCOMPLETE);
    for (char *p = name; *p; p++) {
        *p = *p == '-' ? '_' : *p;
    }
    char *expected = xasprintf(
        "[\"TestDB\","
        "{\"op\":\"insert\",\"row\":{},\"table\":\"Sw\","
        "\"uuid-name\":\"%s\"},"
        "{\"mutations\":[[\"n\",\"+=\",1]],\"op\":\"mutate\",\"table\":"
        "\"Sw\",\"where\":[[\"_uuid\",\"==\",[\"named-uuid\",\"%s\"]]]},"
        "{\"columns\":[\"n\"],\"op\":\"select\",\"table\":\"Sw\","
        "\"where\":[[\"_uuid\",\"==\",[\"named-uuid\",\"%s\"]]]}]",
        name, name, name);
    char *actual = request_string(txn);
    assert_string_equal(actual, expected);
    long long id;
    free(pop_request(client, "transact", &id));
    reply(client, id, "[{'uuid': ['uuid', '" U3 "']}, {'count': 1},"
                      " {'rows': [{'n': 1}]}]");
    assert_int_equal(ovsdb_client_txn_get_status(txn), OVSDB_TXN_SUCCESS);
    assert_int_equal(ovsdb_client_txn_get_increment_new_value(txn), 1);
    free(actual);
    free(expected);
    free(name);
    ovsdb_client_txn_destroy(txn);
    ovsdb_client_destroy(client);
}

/* A transaction that deletes the row it increments (weft-nbctl --wait=sb
 * destroy NB_Global .): the server's update deletes the row from the
 * replica before the reply comes, whose select finds nothing.  The reply
 * is an error, read without touching the freed row. */
static void
test_txn_increment_deleted_row(void **state OVS_UNUSED)
{
    struct ovsdb_client *client = create_test_client(NULL);

    ovsdb_client_set_tracking(client, false);   /* Deleted rows are freed. */
    load_initial(client);

    const struct ovsdb_client_row *sw2 = find_row(client, "Sw", U2);
    struct ovsdb_client_txn *txn = ovsdb_client_txn_create(client);
    ovsdb_client_txn_increment(txn, sw2, SW_N);
    ovsdb_client_txn_delete(txn, sw2);
    assert_int_equal(ovsdb_client_txn_commit(txn), OVSDB_TXN_INCOMPLETE);
    long long id = expect_request(client, "transact", NULL);
    feed(client, "{'id': null, 'method': 'update3', 'params': ['TestDB', '"
                 TXN2 "', {'Sw': {'" U2 "': {'delete': null}}}]}");
    assert_null(find_row(client, "Sw", U2));
    reply(client, id, "[{}, {'count': 1}, {'count': 0}, {'rows': []}]");
    assert_int_equal(ovsdb_client_txn_get_status(txn), OVSDB_TXN_ERROR);
    assert_non_null(strstr(ovsdb_client_txn_get_error_json(txn),
                           "increment of n"));
    ovsdb_client_txn_destroy(txn);
    ovsdb_client_destroy(client);
}

/* Commits a one-write transaction and feeds 'result' as its reply. */
static struct ovsdb_client_txn *
commit_and_reply(struct ovsdb_client *client, const char *result,
                 bool is_error)
{
    const struct ovsdb_client_row *sw1 = find_row(client, "Sw", U1);
    struct ovsdb_client_txn *txn = ovsdb_client_txn_create(client);
    struct ovsdb_datum d;

    ovsdb_client_txn_verify(txn, sw1, SW_NAME);
    ovsdb_datum_init_integer(&d, 2);
    ovsdb_client_txn_write(txn, sw1, SW_N, &d);
    assert_int_equal(ovsdb_client_txn_commit(txn), OVSDB_TXN_INCOMPLETE);
    long long id = expect_request(client, "transact", NULL);
    if (is_error) {
        error_reply(client, id, result);
    } else {
        reply(client, id, result);
    }
    return txn;
}

static void
test_txn_results(void **state OVS_UNUSED)
{
    struct ovsdb_client *client = ready_client();
    struct ovsdb_client_txn *txn;

    txn = commit_and_reply(client, "[{'error': 'timed out', 'details': "
                                   "'where clause test failed'}, null]",
                           false);
    assert_int_equal(ovsdb_client_txn_get_status(txn), OVSDB_TXN_TRY_AGAIN);
    ovsdb_client_txn_destroy(txn);

    txn = commit_and_reply(client, "[{}, {'count': 1}, {'error': "
                                   "'constraint violation', 'details': "
                                   "'bad'}]", false);
    assert_int_equal(ovsdb_client_txn_get_status(txn), OVSDB_TXN_ERROR);
    assert_string_equal(ovsdb_client_txn_get_error(txn),
                        "constraint violation: bad");
    ovsdb_client_txn_destroy(txn);

    txn = commit_and_reply(client, "{'error': 'unknown database'}", true);
    assert_int_equal(ovsdb_client_txn_get_status(txn), OVSDB_TXN_ERROR);
    ovsdb_client_txn_destroy(txn);

    /* With a lock: an assert op first, "not owner" means NOT_LOCKED. */
    ovsdb_client_set_lock(client, "lk");
    long long id = expect_request(client, "lock", "[\"lk\"]");
    reply(client, id, "{'locked': false}");
    assert_false(ovsdb_client_has_lock(client));
    assert_true(ovsdb_client_is_lock_contended(client));
    txn = commit_and_reply(client, "[{'error': 'not owner'}, null, null]",
                           false);
    assert_int_equal(ovsdb_client_txn_get_status(txn), OVSDB_TXN_NOT_LOCKED);
    char *req = request_string(txn);
    assert_non_null(strstr(req, "{\"lock\":\"lk\",\"op\":\"assert\"}"));
    free(req);
    ovsdb_client_txn_destroy(txn);
    feed(client, "{'id': null, 'method': 'locked', 'params': ['lk']}");
    assert_true(ovsdb_client_has_lock(client));

    /* Pending when the connection drops: try again; destroying a pending
     * transaction makes its reply harmless. */
    const struct ovsdb_client_row *sw1 = find_row(client, "Sw", U1);
    struct ovsdb_datum d;
    txn = ovsdb_client_txn_create(client);
    ovsdb_datum_init_integer(&d, 3);
    ovsdb_client_txn_write(txn, sw1, SW_N, &d);
    ovsdb_client_txn_commit(txn);
    ovsdb_client_disconnected(client, 0, ECONNRESET);
    assert_int_equal(ovsdb_client_txn_get_status(txn), OVSDB_TXN_TRY_AGAIN);
    ovsdb_client_txn_destroy(txn);

    /* Not connected: try again at once. */
    txn = ovsdb_client_txn_create(client);
    ovsdb_datum_init_integer(&d, 3);
    ovsdb_client_txn_write(txn, sw1, SW_N, &d);
    assert_int_equal(ovsdb_client_txn_commit(txn), OVSDB_TXN_TRY_AGAIN);
    ovsdb_client_txn_destroy(txn);
    ovsdb_client_destroy(client);
}

/* Generated bindings. */

#define LS1 "55555555-5555-4555-8555-555555555555"
#define LSP1 "66666666-6666-4666-8666-666666666666"
#define LSP2 "77777777-7777-4777-8777-777777777777"

static void
nb_connect(struct ovsdb_client *client)
{
    ovsdb_client_connected(client, 0);
    error_reply(client, expect_request(client, "get_schema", NULL),
                "'unknown database'");
    long long id = expect_request(client, "get_schema",
                                  "[\"OVN_Northbound\"]");
    feed_fmt(client, "{\"id\": %lld, \"result\": %s, \"error\": null}", id,
             nbrec_idl_class.schema_json);
    id = expect_request(client, "monitor_cond_since", NULL);
    reply(client, id,
          "[false, '" ZERO "', {"
          "'Logical_Switch': {'" LS1 "': {'initial': {'name': 'ls1',"
          "   'ports': ['set', [['uuid', '" LSP1 "'], ['uuid', '" LSP2 "']]],"
          "   'other_config': ['map', [['subnet', '10.0.0.0/24']]]}}},"
          "'Logical_Switch_Port': {'" LSP1 "': {'initial': {'name': 'lsp1',"
          "   'addresses': ['set', ['00:00:00:00:00:01 10.0.0.1']],"
          "   'tag_request': 5, 'parent_name': 'vm'}}}}]");
    assert_true(ovsdb_client_is_ready(client));
}

#define LS2 "88888888-8888-4888-8888-888888888888"
#define LSP3 "99999999-9999-4999-8999-999999999999"

/* References among rows of one update come out right whatever the order in
 * which the update lists them (the replica parses them again once, at the
 * end of the update), also when a referrer is deleted within it. */
static void
test_typed_refs_in_one_update(void **state OVS_UNUSED)
{
    for (int tracking = 0; tracking < 2; tracking++) {
        struct ovsdb_client *client = ovsdb_client_create(NULL,
                                                          &nbrec_idl_class);
        ovsdb_client_set_tracking(client, tracking);
        nb_connect(client);
        const struct nbrec_logical_switch *ls1
            = nbrec_logical_switch_first(client);
        assert_int_equal(ls1->n_ports, 1);

        /* ls1 gets lsp3, lsp2 and lsp3 appear, lsp1 goes; ls2 comes with
         * lsp3 and lsp1 too, and goes in the update where lsp1 comes
         * back. */
        feed(client, "{'id': null, 'method': 'update3', 'params': "
             "['OVN_Northbound', '" ZERO "', {"
             "'Logical_Switch': {'" LS1 "': {'modify': {'ports': "
             "   ['set', [['uuid', '" LSP3 "']]]}},"
             "  '" LS2 "': {'insert': {'name': 'ls2', 'ports': "
             "   ['set', [['uuid', '" LSP3 "'], ['uuid', '" LSP1 "']]]}}},"
             "'Logical_Switch_Port': {"
             "  '" LSP2 "': {'insert': {'name': 'lsp2'}},"
             "  '" LSP3 "': {'insert': {'name': 'lsp3'}},"
             "  '" LSP1 "': {'delete': null}}}]}");
        feed(client, "{'id': null, 'method': 'update3', 'params': "
             "['OVN_Northbound', '" ZERO "', {"
             "'Logical_Switch_Port': {'" LSP1 "': {'insert': "
             "   {'name': 'lsp1b'}}},"
             "'Logical_Switch': {'" LS2 "': {'delete': null}}}]}");
        assert_int_equal(ls1->n_ports, 3);
        const char *names[3];
        for (size_t i = 0; i < 3; i++) {
            names[i] = ls1->ports[i]->name;
        }
        qsort(names, 3, sizeof *names, str_compare_ptrs);
        assert_string_equal(names[0], "lsp1b");
        assert_string_equal(names[1], "lsp2");
        assert_string_equal(names[2], "lsp3");
        ovsdb_client_destroy(client);
    }
}

static void
test_typed_bindings(void **state OVS_UNUSED)
{
    struct ovsdb_client *client = ovsdb_client_create(NULL,
                                                      &nbrec_idl_class);
    const struct nbrec_logical_switch *ls;
    const struct nbrec_logical_switch_port *lsp;

    nb_connect(client);
    size_t n = 0;
    NBREC_LOGICAL_SWITCH_FOR_EACH (ls, client) {
        n++;
    }
    assert_int_equal(n, 1);
    ls = nbrec_logical_switch_first(client);
    assert_string_equal(ls->name, "ls1");
    assert_string_equal(nbrec_logical_switch_get_name(ls), "ls1");
    assert_string_equal(nbrec_logical_switch_get_other_config_value(
                            ls, "subnet"), "10.0.0.0/24");
    assert_null(nbrec_logical_switch_get_other_config_value(ls, "x"));
    /* lsp2 does not exist yet: left out of the typed array. */
    assert_int_equal(ls->n_ports, 1);
    assert_string_equal(ls->ports[0]->name, "lsp1");
    lsp = ls->ports[0];
    assert_int_equal(lsp->n_addresses, 1);
    assert_string_equal(lsp->addresses[0], "00:00:00:00:00:01 10.0.0.1");
    assert_int_equal(lsp->n_tag_request, 1);
    assert_int_equal(lsp->tag_request[0], 5);
    assert_string_equal(lsp->parent_name, "vm");
    assert_null(lsp->dhcpv4_options);
    assert_int_equal(lsp->n_enabled, 0);
    assert_string_equal(lsp->type, "");
    assert_true(nbrec_logical_switch_port_is_new(lsp));
    ovsdb_client_clear_tracked(client);

    /* lsp2 appears: ls1's typed array picks it up. */
    feed(client, "{'id': null, 'method': 'update3', 'params': "
                 "['OVN_Northbound', '" ZERO "', {'Logical_Switch_Port': {'"
                 LSP2 "': {'insert': {'name': 'lsp2'}}, '" LSP1 "': "
                 "{'modify': {'parent_name': ['set', []]}}}}]}");
    assert_int_equal(ls->n_ports, 2);
    assert_null(lsp->parent_name);
    n = 0;
    NBREC_LOGICAL_SWITCH_PORT_FOR_EACH_TRACKED (lsp, client) {
        if (nbrec_logical_switch_port_is_new(lsp)) {
            assert_string_equal(lsp->name, "lsp2");
        } else {
            assert_true(nbrec_logical_switch_port_is_updated(
                            lsp, NBREC_LOGICAL_SWITCH_PORT_COL_PARENT_NAME));
            assert_false(nbrec_logical_switch_port_is_updated(
                             lsp, NBREC_LOGICAL_SWITCH_PORT_COL_NAME));
        }
        n++;
    }
    assert_int_equal(n, 2);
    ovsdb_client_clear_tracked(client);

    /* lsp1 deleted: the pointer goes away from ls1 at once. */
    feed(client, "{'id': null, 'method': 'update3', 'params': "
                 "['OVN_Northbound', '" ZERO "', {'Logical_Switch_Port': {'"
                 LSP1 "': {'delete': null}}}]}");
    assert_int_equal(ls->n_ports, 1);
    assert_string_equal(ls->ports[0]->name, "lsp2");
    ovsdb_client_clear_tracked(client);

    /* Typed writers. */
    const struct nbrec_logical_switch_port *lsp2 = ls->ports[0];
    struct ovsdb_client_txn *txn = ovsdb_client_txn_create(client);
    struct nbrec_logical_switch_port *nlsp
        = nbrec_logical_switch_port_insert(txn);
    nbrec_logical_switch_port_set_name(txn, nlsp, "lsp3");
    const char *addrs[] = { "unknown", "dynamic" };
    nbrec_logical_switch_port_set_addresses(txn, nlsp, addrs, 2);
    nbrec_logical_switch_port_update_options_setkey(txn, nlsp, "k", "v");
    nbrec_logical_switch_update_ports_addvalue(
        txn, ls, (const struct nbrec_logical_switch_port *) nlsp);
    assert_string_equal(nlsp->name, "lsp3");
    assert_int_equal(nlsp->n_addresses, 2);
    assert_int_equal(ls->n_ports, 2);           /* Overlay, typed too. */
    nbrec_logical_switch_verify_ports(txn, ls);
    int64_t tag = 10;
    nbrec_logical_switch_port_set_tag_request(txn, lsp2, &tag, 1);
    nbrec_logical_switch_port_set_parent_name(txn, lsp2, NULL);
    assert_int_equal(ovsdb_client_txn_commit(txn), OVSDB_TXN_INCOMPLETE);
    assert_int_equal(ls->n_ports, 1);

    char *req = request_string(txn);
    assert_non_null(strstr(req, "\"row\":{\"addresses\":[\"set\","
                                "[\"dynamic\",\"unknown\"]],\"name\":\"lsp3\","
                                "\"options\":[\"map\",[[\"k\",\"v\"]]]}"));
    assert_non_null(strstr(req, "\"row\":{\"tag_request\":10}"));
    assert_non_null(strstr(req, "[\"ports\",\"insert\",[\"named-uuid\","));
    assert_non_null(strstr(req, "\"columns\":[\"ports\"],\"op\":\"wait\""));
    free(req);
    ovsdb_client_txn_destroy(txn);
    ovsdb_client_destroy(client);
}

/* A transaction of more than 1 MB: sent as text built one operation at a
 * time, not kept for ovsdb_client_txn_get_request(); its inserted rows are
 * still matched with the uuids of the reply. */
static void
test_txn_large(void **state OVS_UNUSED)
{
    enum { N = 12000 };
    struct ovsdb_client *client = ready_client();
    struct ovsdb_client_table *ports = ovsdb_client_get_table(client,
                                                              "Port");
    struct ovsdb_client_txn *txn = ovsdb_client_txn_create(client);
    const struct ovsdb_client_row **rows = xmalloc(N * sizeof *rows);
    struct ovsdb_datum d;

    for (int i = 0; i < N; i++) {
        rows[i] = ovsdb_client_txn_insert(txn, ports);
        char *name = xasprintf("port-%05d-with-a-name-long-enough-for-1-MB",
                               i);
        ovsdb_datum_init_string(&d, name);
        ovsdb_client_txn_write(txn, rows[i], PORT_NAME, &d);
        free(name);
    }
    ovsdb_client_txn_add_comment(txn, "big");
    assert_int_equal(ovsdb_client_txn_commit(txn), OVSDB_TXN_INCOMPLETE);
    assert_null(ovsdb_client_txn_get_request(txn));

    struct jsonrpc_msg *msg = ovsdb_client_pop_msg(client);
    assert_non_null(msg);
    assert_string_equal(msg->method, "transact");
    assert_int_equal(msg->params->type, JSON_SERIALIZED);
    assert_true(strlen(msg->params->string) > 1024 * 1024);
    long long id = msg->id->integer;

    /* What goes on the wire is what jsonrpc_msg_to_ds() makes of it. */
    struct ds wire = DS_EMPTY_INITIALIZER;
    jsonrpc_msg_to_ds(msg, &wire);
    struct json *sent = parse(ds_cstr(&wire));
    const struct json *params = json_object_get(sent, "params");
    assert_int_equal(params->array.n, 1 + N + 1);
    assert_string_equal(json_string(params->array.elems[0]), "TestDB");
    char *op = json_to_string(params->array.elems[N], JSSF_SORT);
    char *expected = xasprintf(
        "{\"op\":\"insert\",\"row\":{\"name\":\"port-%05d-with-a-name-long-"
        "enough-for-1-MB\"},\"table\":\"Port\",\"uuid-name\":\"row", N - 1);
    assert_true(!strncmp(op, expected, strlen(expected)));
    free(op);
    free(expected);
    json_destroy(sent);
    ds_destroy(&wire);
    jsonrpc_msg_destroy(msg);

    /* The reply's uuids go to the right rows. */
    struct ds r = DS_EMPTY_INITIALIZER;
    ds_put_format(&r, "{\"id\": %lld, \"error\": null, \"result\": [", id);
    for (int i = 0; i < N; i++) {
        ds_put_format(&r, "{\"uuid\": [\"uuid\", "
                      "\"%08x-0000-4000-8000-000000000000\"]},", i);
    }
    ds_put_cstr(&r, "{}]}");
    feed(client, ds_cstr(&r));
    ds_destroy(&r);
    assert_int_equal(ovsdb_client_txn_get_status(txn), OVSDB_TXN_SUCCESS);
    for (int i = 0; i < N; i += N / 7) {
        char buf[UUID_LEN + 1];
        const struct uuid *u = ovsdb_client_txn_get_insert_uuid(txn,
                                                                rows[i]);
        assert_non_null(u);
        char *want = xasprintf("%08x-0000-4000-8000-000000000000", i);
        assert_string_equal(uuid_to_cstr(u, buf), want);
        free(want);
    }
    free(rows);
    ovsdb_client_txn_destroy(txn);
    ovsdb_client_destroy(client);
}

/* Equal short strings of replica rows share one string. */
static void
test_replica_shares_strings(void **state OVS_UNUSED)
{
    struct ovsdb_client *client = ready_client();

    feed(client, "{'id': null, 'method': 'update3', 'params': ['TestDB', '"
                 TXN2 "', {'Sw': {'" U3 "': {'insert': {'name': 'sw1', "
                 "'other': ['map', [['a', 'x']]]}}}}]}");
    const struct ovsdb_client_row *sw1 = find_row(client, "Sw", U1);
    const struct ovsdb_client_row *sw3 = find_row(client, "Sw", U3);
    assert_non_null(sw3);
    assert_ptr_equal(ovsdb_client_row_get(sw1, SW_NAME)->keys[0].s,
                     ovsdb_client_row_get(sw3, SW_NAME)->keys[0].s);
    assert_ptr_equal(ovsdb_client_row_get(sw1, SW_OTHER)->keys[0].s,
                     ovsdb_client_row_get(sw3, SW_OTHER)->keys[0].s);
    assert_datum(sw3, SW_OTHER, "{a=x}");
    ovsdb_client_destroy(client);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reconnect_backoff),
        cmocka_unit_test(test_fallback_to_monitor),
        cmocka_unit_test(test_update2),
        cmocka_unit_test(test_probe),
        cmocka_unit_test(test_update3_and_tracking),
        cmocka_unit_test(test_resume_and_reconcile),
        cmocka_unit_test(test_cluster_leader),
        cmocka_unit_test(test_conditions),
        cmocka_unit_test(test_txn_large),
        cmocka_unit_test(test_replica_shares_strings),
        cmocka_unit_test(test_txn_generation),
        cmocka_unit_test(test_txn_results),
        cmocka_unit_test(test_monitor_selection),
        cmocka_unit_test(test_txn_increment_if_changed),
        cmocka_unit_test(test_txn_increment_deleted_row),
        cmocka_unit_test(test_typed_bindings),
        cmocka_unit_test(test_typed_refs_in_one_update),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
