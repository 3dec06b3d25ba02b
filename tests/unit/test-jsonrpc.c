/* Unit tests for ovsdb/jsonrpc (messages and the sans-IO connection),
 * ovsdb/jsonrpc-stream and ovsdb/jsonrpc-client. */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "ds.h"
#include "json.h"
#include "ovsdb/jsonrpc-client.h"
#include "ovsdb/jsonrpc-stream.h"
#include "ovsdb/jsonrpc.h"
#include "poll-loop.h"
#include "stream.h"
#include "util.h"

/* Helpers. */

static struct jsonrpc_msg *
parse_msg(const char *text, char **errorp)
{
    struct jsonrpc_msg *msg;
    struct json *json = json_from_string(text, NULL);

    assert_non_null(json);
    *errorp = jsonrpc_msg_from_json(json, &msg);
    json_destroy(json);
    return msg;
}

static struct jsonrpc_msg *
parse_ok(const char *text)
{
    char *error;
    struct jsonrpc_msg *msg = parse_msg(text, &error);

    if (error) {
        fail_msg("%s: %s", text, error);
    }
    return msg;
}

static void
assert_parse_error(const char *text, const char *substring)
{
    char *error;
    struct jsonrpc_msg *msg = parse_msg(text, &error);

    assert_null(msg);
    assert_non_null(error);
    if (!strstr(error, substring)) {
        fail_msg("%s: error \"%s\" lacks \"%s\"", text, error, substring);
    }
    free(error);
}

static char *
msg_to_string(const struct jsonrpc_msg *msg)
{
    struct json *json = jsonrpc_msg_to_json(msg);
    char *s = json_to_string(json, JSSF_SORT);

    json_destroy(json);
    return s;
}

/* Message shapes. */

/* jsonrpc_msg_to_ds() writes the text of jsonrpc_msg_to_json(). */
static void
test_to_ds(void **state OVS_UNUSED)
{
    /* Replies and errors copy their id; requests take theirs. */
    struct json *reply_id = json_string_create("id\"1");
    struct json *error_id = json_integer_create(3);
    struct jsonrpc_msg *msgs[] = {
        jsonrpc_msg_create_request("transact",
                                   json_from_string("[\"db\", {\"a\": 1}]",
                                                    NULL),
                                   json_integer_create(7)),
        jsonrpc_msg_create_notify("update2", NULL),
        jsonrpc_msg_create_reply(json_from_string("[{\"uuid\": [\"uuid\", "
                                                  "\"x\"]}]", NULL),
                                 reply_id),
        jsonrpc_msg_create_reply(NULL, NULL),
        jsonrpc_msg_create_error(json_string_create("unknown method"),
                                 error_id),
    };

    for (size_t i = 0; i < ARRAY_SIZE(msgs); i++) {
        struct ds ds = DS_EMPTY_INITIALIZER;
        struct json *want = jsonrpc_msg_to_json(msgs[i]);
        struct json *got;

        jsonrpc_msg_to_ds(msgs[i], &ds);
        got = json_from_string(ds_cstr(&ds), NULL);
        assert_non_null(got);
        assert_true(json_equal(got, want));
        json_destroy(got);
        json_destroy(want);
        ds_destroy(&ds);
        jsonrpc_msg_destroy(msgs[i]);
    }
    json_destroy(reply_id);
    json_destroy(error_id);
}

static void
test_request(void **state OVS_UNUSED)
{
    struct jsonrpc_msg *msg = parse_ok(
        "{\"method\":\"transact\",\"params\":[\"OVN_Northbound\"],\"id\":7}");

    assert_int_equal(msg->type, JSONRPC_REQUEST);
    assert_string_equal(msg->method, "transact");
    assert_int_equal(json_array(msg->params)->n, 1);
    assert_int_equal(msg->id->integer, 7);

    char *s = msg_to_string(msg);
    assert_string_equal(s, "{\"id\":7,\"method\":\"transact\","
                           "\"params\":[\"OVN_Northbound\"]}");
    free(s);
    jsonrpc_msg_destroy(msg);
}

static void
test_notify(void **state OVS_UNUSED)
{
    struct jsonrpc_msg *msg = parse_ok(
        "{\"method\":\"update\",\"params\":[null,{}],\"id\":null}");

    assert_int_equal(msg->type, JSONRPC_NOTIFY);
    assert_null(msg->id);
    jsonrpc_msg_destroy(msg);

    /* "id" may also be absent. */
    msg = parse_ok("{\"method\":\"update\",\"params\":[]}");
    assert_int_equal(msg->type, JSONRPC_NOTIFY);
    char *s = msg_to_string(msg);
    assert_string_equal(s, "{\"id\":null,\"method\":\"update\","
                           "\"params\":[]}");
    free(s);
    jsonrpc_msg_destroy(msg);
}

static void
test_reply_and_error(void **state OVS_UNUSED)
{
    struct jsonrpc_msg *msg = parse_ok(
        "{\"result\":[{}],\"error\":null,\"id\":\"abc\"}");

    assert_int_equal(msg->type, JSONRPC_REPLY);
    assert_string_equal(json_string(msg->id), "abc");
    char *s = msg_to_string(msg);
    assert_string_equal(s, "{\"error\":null,\"id\":\"abc\","
                           "\"result\":[{}]}");
    free(s);
    jsonrpc_msg_destroy(msg);

    msg = parse_ok("{\"result\":null,\"error\":\"unknown method\","
                   "\"id\":3}");
    assert_int_equal(msg->type, JSONRPC_ERROR);
    assert_string_equal(json_string(msg->error), "unknown method");
    jsonrpc_msg_destroy(msg);

    /* An error may carry a null id (the request could not be parsed). */
    msg = parse_ok("{\"error\":{\"error\":\"x\"},\"id\":null}");
    assert_int_equal(msg->type, JSONRPC_ERROR);
    jsonrpc_msg_destroy(msg);

    /* A reply whose result is null is still a reply. */
    msg = parse_ok("{\"result\":null,\"error\":null,\"id\":1}");
    assert_int_equal(msg->type, JSONRPC_REPLY);
    jsonrpc_msg_destroy(msg);
}

static void
test_constructors(void **state OVS_UNUSED)
{
    struct json *id = json_integer_create(5);
    struct jsonrpc_msg *msg = jsonrpc_msg_create_reply(
        json_string_create("ok"), id);
    char *s = msg_to_string(msg);

    assert_string_equal(s, "{\"error\":null,\"id\":5,\"result\":\"ok\"}");
    free(s);
    jsonrpc_msg_destroy(msg);

    msg = jsonrpc_msg_create_error(json_string_create("bad"), id);
    s = msg_to_string(msg);
    assert_string_equal(s, "{\"error\":\"bad\",\"id\":5,\"result\":null}");
    free(s);
    jsonrpc_msg_destroy(msg);
    json_destroy(id);

    msg = jsonrpc_msg_create_request("echo", NULL, json_string_create("e"));
    s = msg_to_string(msg);
    assert_string_equal(s, "{\"id\":\"e\",\"method\":\"echo\","
                           "\"params\":[]}");
    free(s);

    struct ds ds = DS_EMPTY_INITIALIZER;
    jsonrpc_msg_format(msg, &ds);
    assert_string_equal(ds_cstr(&ds),
                        "request method=\"echo\" params=[] id=\"e\"");
    ds_destroy(&ds);
    jsonrpc_msg_destroy(msg);
}

static void
test_bad_shapes(void **state OVS_UNUSED)
{
    assert_parse_error("[1,2]", "not a JSON object");
    assert_parse_error("{\"method\":\"x\",\"params\":[],\"id\":1,\"foo\":2}",
                       "unexpected member \"foo\"");
    assert_parse_error("{\"method\":5,\"params\":[],\"id\":1}",
                       "\"method\" is integer");
    assert_parse_error("{\"method\":\"x\",\"id\":1}", "lacks \"params\"");
    assert_parse_error("{\"method\":\"x\",\"params\":{},\"id\":1}",
                       "not an array");
    assert_parse_error("{\"method\":\"x\",\"params\":[],\"result\":1,"
                       "\"id\":1}", "non-null \"result\"");
    assert_parse_error("{\"result\":1,\"error\":null}", "lacks \"id\"");
    assert_parse_error("{\"result\":1,\"error\":2,\"id\":1}", "both");
    assert_parse_error("{\"result\":1,\"id\":null}", "null \"id\"");
    assert_parse_error("{\"id\":1}", "none of");
    assert_parse_error("{\"result\":1,\"params\":[],\"id\":1}",
                       "\"params\"");
}

/* Framing. */

static const char *const two_msgs =
    "{\"method\":\"echo\",\"params\":[\"a}\\\"[\"],\"id\":1}"
    "  \n{\"result\":{\"x\":[1,{\"y\":2}]},\"error\":null,\"id\":2}";

static void
assert_two_msgs(struct jsonrpc_conn *conn)
{
    struct jsonrpc_msg *msg = jsonrpc_conn_next_msg(conn);

    assert_non_null(msg);
    assert_int_equal(msg->type, JSONRPC_REQUEST);
    assert_string_equal(json_string(json_array(msg->params)->elems[0]),
                        "a}\"[");
    jsonrpc_msg_destroy(msg);

    msg = jsonrpc_conn_next_msg(conn);
    assert_non_null(msg);
    assert_int_equal(msg->type, JSONRPC_REPLY);
    assert_int_equal(msg->id->integer, 2);
    jsonrpc_msg_destroy(msg);

    assert_null(jsonrpc_conn_next_msg(conn));
    assert_null(jsonrpc_conn_get_error(conn));
    assert_false(jsonrpc_conn_is_mid_message(conn));
}

static void
test_merged_messages(void **state OVS_UNUSED)
{
    struct jsonrpc_conn *conn = jsonrpc_conn_create();

    assert_int_equal(jsonrpc_conn_receive(conn, two_msgs, strlen(two_msgs)),
                     0);
    assert_two_msgs(conn);
    assert_int_equal(jsonrpc_conn_get_stats(conn)->msgs_received, 2);
    jsonrpc_conn_destroy(conn);
}

static void
test_split_messages(void **state OVS_UNUSED)
{
    size_t len = strlen(two_msgs);

    /* Every split point of the two-message stream. */
    for (size_t split = 0; split <= len; split++) {
        struct jsonrpc_conn *conn = jsonrpc_conn_create();
        assert_int_equal(jsonrpc_conn_receive(conn, two_msgs, split), 0);
        assert_int_equal(jsonrpc_conn_receive(conn, two_msgs + split,
                                              len - split), 0);
        assert_two_msgs(conn);
        jsonrpc_conn_destroy(conn);
    }
}

static void
test_byte_at_a_time(void **state OVS_UNUSED)
{
    struct jsonrpc_conn *conn = jsonrpc_conn_create();

    for (size_t i = 0; two_msgs[i]; i++) {
        assert_int_equal(jsonrpc_conn_receive(conn, &two_msgs[i], 1), 0);
    }
    assert_two_msgs(conn);
    jsonrpc_conn_destroy(conn);
}

static void
test_malformed_json(void **state OVS_UNUSED)
{
    static const char input[] =
        "{\"method\":\"echo\",\"params\":[],\"id\":1}"
        "{\"method\":\"echo\",\"params\":[tru],\"id\":2}"
        "{\"method\":\"echo\",\"params\":[],\"id\":3}";
    struct jsonrpc_conn *conn = jsonrpc_conn_create();

    assert_int_equal(jsonrpc_conn_receive(conn, input, strlen(input)),
                     EPROTO);
    /* The message before the error is still delivered. */
    struct jsonrpc_msg *msg = jsonrpc_conn_next_msg(conn);
    assert_non_null(msg);
    assert_int_equal(msg->id->integer, 1);
    jsonrpc_msg_destroy(msg);
    assert_null(jsonrpc_conn_next_msg(conn));
    assert_non_null(strstr(jsonrpc_conn_get_error(conn), "malformed JSON"));

    /* The error is final. */
    assert_int_equal(jsonrpc_conn_receive(conn, "{}", 2), EPROTO);
    jsonrpc_conn_destroy(conn);
}

static void
test_garbage_between_messages(void **state OVS_UNUSED)
{
    static const char input[] = "{\"method\":\"m\",\"params\":[]} 42 {}";
    struct jsonrpc_conn *conn = jsonrpc_conn_create();

    assert_int_equal(jsonrpc_conn_receive(conn, input, strlen(input)),
                     EPROTO);
    struct jsonrpc_msg *msg = jsonrpc_conn_next_msg(conn);
    assert_non_null(msg);
    assert_int_equal(msg->type, JSONRPC_NOTIFY);
    jsonrpc_msg_destroy(msg);
    assert_non_null(strstr(jsonrpc_conn_get_error(conn), "byte 0x34"));
    jsonrpc_conn_destroy(conn);
}

static void
test_invalid_message_is_protocol_error(void **state OVS_UNUSED)
{
    struct jsonrpc_conn *conn = jsonrpc_conn_create();

    assert_int_equal(jsonrpc_conn_receive(conn, "[1]", 3), EPROTO);
    assert_non_null(strstr(jsonrpc_conn_get_error(conn),
                           "invalid JSON-RPC message"));
    jsonrpc_conn_destroy(conn);
}

static void
test_oversized_message(void **state OVS_UNUSED)
{
    struct jsonrpc_conn *conn = jsonrpc_conn_create();
    struct ds big = DS_EMPTY_INITIALIZER;

    jsonrpc_conn_set_max_msg_size(conn, 100);
    ds_put_cstr(&big, "{\"method\":\"echo\",\"params\":[\"");
    ds_put_char_multiple(&big, 'x', 60);
    ds_put_cstr(&big, "\"],\"id\":1}");          /* 98 bytes: fits. */
    assert_int_equal(big.length, 98);
    assert_int_equal(jsonrpc_conn_receive(conn, big.string, big.length), 0);
    jsonrpc_msg_destroy(jsonrpc_conn_next_msg(conn));

    /* The same message 10 bytes larger, fed in pieces, is refused. */
    ds_clear(&big);
    ds_put_cstr(&big, "{\"method\":\"echo\",\"params\":[\"");
    ds_put_char_multiple(&big, 'x', 70);
    ds_put_cstr(&big, "\"],\"id\":1}");
    int error = 0;
    for (size_t i = 0; i < big.length && !error; i += 7) {
        error = jsonrpc_conn_receive(conn, big.string + i,
                                     MIN(7, big.length - i));
    }
    assert_int_equal(error, EPROTO);
    assert_null(jsonrpc_conn_next_msg(conn));
    assert_non_null(strstr(jsonrpc_conn_get_error(conn),
                           "exceeds the maximum size of 100 bytes"));
    ds_destroy(&big);
    jsonrpc_conn_destroy(conn);
}

/* Large messages, parsed as they arrive (see ovsdb/jsonrpc.c). */

/* Appends an update2 notification of 'n_rows' rows, ~200 bytes each, with
 * strings that look like JSON structure, escapes, UTF-8 and nested maps.
 * If 'bad_row' is less than 'n_rows', that row's text is 'bad'. */
static void
put_big_update(struct ds *ds, size_t n_rows, size_t bad_row,
               const char *bad)
{
    ds_put_cstr(ds, "{\"id\":null,\"method\":\"update2\",\"params\":"
                "[\"mon\",{\"Logical_Flow\":{");
    for (size_t i = 0; i < n_rows; i++) {
        ds_put_format(ds, "%s\"%08zx-0000-4000-8000-000000000000\":",
                      i ? "," : "", i);
        if (i == bad_row) {
            ds_put_cstr(ds, bad);
            continue;
        }
        ds_put_format(ds,
            "{\"insert\":{\"match\":\"inport == \\\"p%zu\\\" && "
            "{[}] \\\\ \\u00e9 \xc3\xa9\",\"priority\":%zu,"
            "\"external_ids\":[\"map\",[[\"source\",\"x.c:%zu\"],"
            "[\"stage-name\",\"ls_in_l2_lkup\"]]],\"r\":1.5e3,"
            "\"t\":[true,false,null,[],{}]}}", i, i % 100, i);
    }
    ds_put_cstr(ds, "}}]}");
}

/* Feeds 'text' to 'conn' in pieces of varying sizes (1 byte to 64 kB).
 * Returns the first error. */
static int
feed_in_pieces(struct jsonrpc_conn *conn, const char *text, size_t len)
{
    static const size_t sizes[] = { 1, 7, 100, 4096, 65536, 3, 1500 };
    size_t ofs = 0;

    for (size_t i = 0; ofs < len; i++) {
        size_t n = MIN(sizes[i % ARRAY_SIZE(sizes)], len - ofs);
        int error = jsonrpc_conn_receive(conn, text + ofs, n);
        if (error) {
            return error;
        }
        ofs += n;
    }
    return 0;
}

static void
test_large_message_parsed_ahead(void **state OVS_UNUSED)
{
    struct jsonrpc_conn *conn = jsonrpc_conn_create();
    struct ds text = DS_EMPTY_INITIALIZER;

    put_big_update(&text, 20000, SIZE_MAX, NULL);
    assert_true(text.length > 3 * 1024 * 1024);
    struct json *whole = json_from_buffer(text.string, text.length, NULL);
    ds_put_cstr(&text, "{\"method\":\"echo\",\"params\":[],\"id\":1}");

    assert_int_equal(feed_in_pieces(conn, text.string, text.length), 0);

    /* The same tree as parsing the whole text at once. */
    assert_non_null(whole);
    struct jsonrpc_msg *msg = jsonrpc_conn_next_msg(conn);
    assert_non_null(msg);
    assert_string_equal(msg->method, "update2");
    assert_true(json_equal(msg->params, json_object_get(whole, "params")));
    jsonrpc_msg_destroy(msg);
    json_destroy(whole);

    /* Most rows were parsed ahead: those after the first megabyte. */
    const struct jsonrpc_conn_stats *st = jsonrpc_conn_get_stats(conn);
    assert_true(st->values_parsed_ahead > 10000);

    /* The next message, small, is parsed as usual. */
    msg = jsonrpc_conn_next_msg(conn);
    assert_non_null(msg);
    assert_string_equal(msg->method, "echo");
    jsonrpc_msg_destroy(msg);
    assert_null(jsonrpc_conn_next_msg(conn));
    assert_null(jsonrpc_conn_get_error(conn));
    ds_destroy(&text);
    jsonrpc_conn_destroy(conn);
}

/* Feeds a large update whose row 'bad_row' is 'bad' and returns the
 * connection's error (owned by the caller). */
static char *
large_message_error(size_t bad_row, const char *bad, size_t max)
{
    struct jsonrpc_conn *conn = jsonrpc_conn_create();
    struct ds text = DS_EMPTY_INITIALIZER;

    jsonrpc_conn_set_max_msg_size(conn, max);
    put_big_update(&text, 20000, bad_row, bad);
    assert_int_equal(feed_in_pieces(conn, text.string, text.length),
                     EPROTO);
    assert_null(jsonrpc_conn_next_msg(conn));
    char *error = xstrdup(jsonrpc_conn_get_error(conn));
    ds_destroy(&text);
    jsonrpc_conn_destroy(conn);
    return error;
}

static void
test_large_message_errors(void **state OVS_UNUSED)
{
    /* Malformed JSON in a row parsed ahead. */
    char *e = large_message_error(15000, "{\"insert\":{\"a\":tru}}", 0);
    assert_non_null(strstr(e, "malformed JSON"));
    assert_non_null(strstr(e, "invalid keyword"));
    free(e);

    /* The splice mark byte in the input, before and after splicing
     * starts, in a value position and in a string: still an error. */
    e = large_message_error(10, "\x01", 0);
    assert_non_null(strstr(e, "byte 0x01"));
    free(e);
    e = large_message_error(15000, "\x01", 0);
    assert_non_null(strstr(e, "byte 0x01"));
    free(e);
    e = large_message_error(15000, "{\"insert\":{\"a\":\"\x01\"}}", 0);
    assert_non_null(strstr(e, "malformed JSON"));
    free(e);

    /* The size limit counts the whole message, not what is buffered. */
    e = large_message_error(SIZE_MAX, NULL, 2 * 1024 * 1024);
    assert_non_null(strstr(e, "exceeds the maximum size"));
    free(e);

    /* Nesting deeper than JSON_MAX_DEPTH, after splicing started. */
    struct ds deep = DS_EMPTY_INITIALIZER;
    for (int i = 0; i < JSON_MAX_DEPTH + 10; i++) {
        ds_put_cstr(&deep, "{\"a\":");
    }
    ds_put_cstr(&deep, "1");
    for (int i = 0; i < JSON_MAX_DEPTH + 10; i++) {
        ds_put_char(&deep, '}');
    }
    e = large_message_error(15000, ds_cstr(&deep), 0);
    assert_non_null(strstr(e, "nesting depth"));
    free(e);
    ds_destroy(&deep);
}

static void
test_json_spliced(void **state OVS_UNUSED)
{
    struct json *values[2];
    char *error;

    values[0] = json_from_string("{\"x\":[1,2]}", NULL);
    values[1] = json_string_create("s");
    static const char text[] = "[\x01,{\"k\":\x01}]";
    struct json *json = json_from_buffer_spliced(text, strlen(text),
                                                 values, 2, &error);
    assert_non_null(json);
    struct json *expected = json_from_string("[{\"x\":[1,2]},{\"k\":\"s\"}]",
                                             NULL);
    assert_true(json_equal(json, expected));
    json_destroy(json);
    json_destroy(expected);

    /* A value left over, and a mark with no value: errors, no leaks. */
    values[0] = json_integer_create(1);
    values[1] = json_integer_create(2);
    assert_null(json_from_buffer_spliced("[\x01]", 3, values, 2, &error));
    assert_non_null(strstr(error, "left over"));
    free(error);
    assert_null(json_from_buffer_spliced("[\x01]", 3, NULL, 0, &error));
    assert_non_null(strstr(error, "byte 0x01"));
    free(error);
}

/* Large serialized params are sent without a copy (send_in_place()),
 * after what is already queued, and the bytes are those of the ordinary
 * path; a mark byte in a string elsewhere does not confuse it. */
static void
test_output_large_serialized(void **state OVS_UNUSED)
{
    struct jsonrpc_conn *conn = jsonrpc_conn_create();
    struct ds big = DS_EMPTY_INITIALIZER, expected = DS_EMPTY_INITIALIZER;
    const void *data;
    size_t n;

    put_big_update(&big, 10000, SIZE_MAX, NULL);
    struct json *whole = json_from_buffer(big.string, big.length, NULL);
    char *params = json_to_string(json_object_get(whole, "params"), 0);

    struct jsonrpc_msg *small = jsonrpc_msg_create_notify(
        "echo", json_array_create_1(json_string_create("\x01")));
    struct jsonrpc_msg *large = jsonrpc_msg_create_request(
        "transact", json_serialized_create_nocopy(params),
        json_integer_create(3));
    jsonrpc_msg_to_ds(small, &expected);
    jsonrpc_msg_to_ds(large, &expected);

    jsonrpc_conn_send(conn, small);
    jsonrpc_conn_consumed(conn, 5);         /* Partly written already. */
    jsonrpc_conn_send(conn, large);
    jsonrpc_conn_output(conn, &data, &n);
    assert_int_equal(n, expected.length - 5);
    assert_memory_equal(data, expected.string + 5, n);
    assert_int_equal(jsonrpc_conn_get_stats(conn)->msgs_sent, 2);
    jsonrpc_conn_consumed(conn, n);
    jsonrpc_conn_output(conn, &data, &n);
    assert_int_equal(n, 0);

    json_destroy(whole);
    ds_destroy(&big);
    ds_destroy(&expected);
    jsonrpc_conn_destroy(conn);
}

static void
test_output(void **state OVS_UNUSED)
{
    struct jsonrpc_conn *conn = jsonrpc_conn_create();
    const void *data;
    size_t n;

    jsonrpc_conn_output(conn, &data, &n);
    assert_int_equal(n, 0);

    jsonrpc_conn_send(conn, jsonrpc_msg_create_notify("a", NULL));
    jsonrpc_conn_send(conn, jsonrpc_msg_create_request(
                          "b", NULL, jsonrpc_conn_next_id(conn)));
    size_t total = jsonrpc_conn_get_backlog(conn);
    assert_true(total > 0);

    /* Feeding the output to a second connection yields the messages. */
    struct jsonrpc_conn *peer = jsonrpc_conn_create();
    jsonrpc_conn_output(conn, &data, &n);
    assert_int_equal(n, total);
    jsonrpc_conn_receive(peer, data, 5);
    jsonrpc_conn_consumed(conn, 5);
    jsonrpc_conn_output(conn, &data, &n);
    assert_int_equal(n, total - 5);
    jsonrpc_conn_receive(peer, data, n);
    jsonrpc_conn_consumed(conn, n);
    assert_int_equal(jsonrpc_conn_get_backlog(conn), 0);
    assert_int_equal(jsonrpc_conn_get_stats(conn)->bytes_sent, total);

    struct jsonrpc_msg *msg = jsonrpc_conn_next_msg(peer);
    assert_int_equal(msg->type, JSONRPC_NOTIFY);
    jsonrpc_msg_destroy(msg);
    msg = jsonrpc_conn_next_msg(peer);
    assert_int_equal(msg->type, JSONRPC_REQUEST);
    assert_int_equal(msg->id->integer, 0);
    jsonrpc_msg_destroy(msg);

    jsonrpc_conn_destroy(peer);
    jsonrpc_conn_destroy(conn);
}

/* jsonrpc_stream over a socketpair. */

struct stream_ctx {
    int n_received;
    char *last_method;
    bool closed;
    int close_error;
    bool destroy_in_recv;
};

static void
ctx_recv(struct jsonrpc_stream *s, struct jsonrpc_msg *msg, void *ctx_)
{
    struct stream_ctx *ctx = ctx_;

    ctx->n_received++;
    free(ctx->last_method);
    ctx->last_method = msg->method ? xstrdup(msg->method) : NULL;
    if (msg->type == JSONRPC_REQUEST) {
        jsonrpc_stream_send(s, jsonrpc_msg_create_reply(
                                json_clone(msg->params), msg->id));
    }
    jsonrpc_msg_destroy(msg);
    if (ctx->destroy_in_recv) {
        jsonrpc_stream_destroy(s);
    }
}

static void
ctx_closed(struct jsonrpc_stream *s OVS_UNUSED, int error, void *ctx_)
{
    struct stream_ctx *ctx = ctx_;

    ctx->closed = true;
    ctx->close_error = error;
}

static const struct jsonrpc_stream_callbacks ctx_callbacks = {
    .recv = ctx_recv,
    .closed = ctx_closed,
};

static void
run_until(struct poll_loop *loop, const bool *flag)
{
    for (int i = 0; i < 100 && !*flag; i++) {
        poll_loop_run_once(loop, 100);
    }
}

static void
test_stream_exchange(void **state OVS_UNUSED)
{
    struct poll_loop *loop = poll_loop_create();
    struct stream_ctx ctx = { 0 };
    int fds[2];

    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0,
                                fds), 0);
    struct jsonrpc_stream *s = jsonrpc_stream_create(loop, fds[0], "pair",
                                                     &ctx_callbacks, &ctx);

    /* The peer sends a request in two pieces and a notification. */
    static const char req[] = "{\"method\":\"echo\",\"params\":[1],\"id\":9}"
                              "{\"method\":\"bye\",\"params\":[]}";
    assert_int_equal(write(fds[1], req, 10), 10);
    poll_loop_run_once(loop, 100);
    assert_int_equal(ctx.n_received, 0);
    assert_int_equal(write(fds[1], req + 10, strlen(req) - 10),
                     strlen(req) - 10);
    for (int i = 0; i < 10 && ctx.n_received < 2; i++) {
        poll_loop_run_once(loop, 100);
    }
    assert_int_equal(ctx.n_received, 2);
    assert_string_equal(ctx.last_method, "bye");

    /* The reply was flushed at the end of the iteration. */
    char buf[256];
    ssize_t n = read(fds[1], buf, sizeof buf - 1);
    assert_true(n > 0);
    buf[n] = '\0';
    assert_non_null(strstr(buf, "\"result\":[1]"));
    assert_int_equal(jsonrpc_stream_get_backlog(s), 0);

    /* The peer closes: reported as an orderly close. */
    close(fds[1]);
    run_until(loop, &ctx.closed);
    assert_true(ctx.closed);
    assert_int_equal(ctx.close_error, 0);
    assert_true(jsonrpc_stream_is_closed(s));

    jsonrpc_stream_destroy(s);
    free(ctx.last_method);
    poll_loop_destroy(loop);
}

/* Keeps the last message received. */
static void
keep_recv(struct jsonrpc_stream *s OVS_UNUSED, struct jsonrpc_msg *msg,
          void *msgp_)
{
    struct jsonrpc_msg **msgp = msgp_;
    jsonrpc_msg_destroy(*msgp);
    *msgp = msg;
}

static void
keep_closed(struct jsonrpc_stream *s OVS_UNUSED, int error OVS_UNUSED,
            void *msgp_ OVS_UNUSED)
{
}

static const struct jsonrpc_stream_callbacks keep_callbacks = {
    keep_recv, keep_closed,
};

/* A message many times larger than the socket's buffer, whose params are
 * serialized text (as a northd's first transaction is), goes through a
 * socket pair and back, parsed ahead on arrival. */
static void
test_stream_large_message(void **state OVS_UNUSED)
{
    struct poll_loop *loop = poll_loop_create();
    struct jsonrpc_msg *got_a = NULL, *got_b = NULL;
    struct ds text = DS_EMPTY_INITIALIZER;
    int fds[2];

    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0,
                                fds), 0);
    struct jsonrpc_stream *a = jsonrpc_stream_create(loop, fds[0], "a",
                                                     &keep_callbacks, &got_a);
    struct jsonrpc_stream *b = jsonrpc_stream_create(loop, fds[1], "b",
                                                     &keep_callbacks, &got_b);

    /* The params of an update, ~6 MB. */
    put_big_update(&text, 30000, SIZE_MAX, NULL);
    struct json *whole = json_from_buffer(text.string, text.length, NULL);
    struct json *params = json_object_get(whole, "params");
    char *params_text = json_to_string(params, 0);

    jsonrpc_stream_send(a, jsonrpc_msg_create_request(
                            "transact", json_serialized_create_nocopy(
                                            params_text),
                            json_integer_create(7)));
    for (int i = 0; i < 1000 && !got_b; i++) {
        poll_loop_run_once(loop, 100);
    }
    assert_non_null(got_b);
    assert_string_equal(got_b->method, "transact");
    assert_true(json_equal(got_b->params, params));
    assert_true(jsonrpc_conn_get_stats(jsonrpc_stream_get_conn(b))
                ->values_parsed_ahead > 10000);

    /* And back, serialized from the tree. */
    jsonrpc_stream_send(b, jsonrpc_msg_create_reply(
                            json_clone(got_b->params), got_b->id));
    for (int i = 0; i < 1000 && !got_a; i++) {
        poll_loop_run_once(loop, 100);
    }
    assert_non_null(got_a);
    assert_int_equal(got_a->type, JSONRPC_REPLY);
    assert_true(json_equal(got_a->result, params));
    assert_int_equal(jsonrpc_stream_get_backlog(a), 0);
    assert_int_equal(jsonrpc_stream_get_backlog(b), 0);

    jsonrpc_msg_destroy(got_a);
    jsonrpc_msg_destroy(got_b);
    json_destroy(whole);
    ds_destroy(&text);
    jsonrpc_stream_destroy(a);
    jsonrpc_stream_destroy(b);
    poll_loop_destroy(loop);
}

static void
test_stream_protocol_error_and_destroy_in_callback(void **state OVS_UNUSED)
{
    struct poll_loop *loop = poll_loop_create();
    struct stream_ctx ctx = { 0 };
    int fds[2];

    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0,
                                fds), 0);
    struct jsonrpc_stream *s = jsonrpc_stream_create(loop, fds[0], "pair",
                                                     &ctx_callbacks, &ctx);
    static const char bad[] = "{\"method\":\"m\",\"params\":[]}{oops}";
    assert_int_equal(write(fds[1], bad, strlen(bad)), strlen(bad));
    run_until(loop, &ctx.closed);
    assert_int_equal(ctx.n_received, 1);
    assert_int_equal(ctx.close_error, EPROTO);
    assert_non_null(strstr(jsonrpc_stream_get_error(s), "malformed JSON"));
    jsonrpc_stream_destroy(s);
    close(fds[1]);

    /* Destroying the stream from its own callback is safe. */
    struct stream_ctx ctx2 = { .destroy_in_recv = true };
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0,
                                fds), 0);
    jsonrpc_stream_create(loop, fds[0], "pair2", &ctx_callbacks, &ctx2);
    static const char two[] = "{\"method\":\"a\",\"params\":[],\"id\":1}"
                              "{\"method\":\"b\",\"params\":[],\"id\":2}";
    assert_int_equal(write(fds[1], two, strlen(two)), strlen(two));
    for (int i = 0; i < 5; i++) {
        poll_loop_run_once(loop, 10);
    }
    assert_int_equal(ctx2.n_received, 1);
    assert_false(ctx2.closed);
    /* The destroyed stream closed its socket. */
    char c;
    assert_int_equal(read(fds[1], &c, 1), 0);
    close(fds[1]);

    free(ctx.last_method);
    free(ctx2.last_method);
    poll_loop_destroy(loop);
}

static void
test_stream_close_when_flushed(void **state OVS_UNUSED)
{
    struct poll_loop *loop = poll_loop_create();
    struct stream_ctx ctx = { 0 };
    int fds[2];

    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0,
                                fds), 0);
    struct jsonrpc_stream *s = jsonrpc_stream_create(loop, fds[0], "pair",
                                                     &ctx_callbacks, &ctx);
    jsonrpc_stream_send(s, jsonrpc_msg_create_notify("goodbye", NULL));
    jsonrpc_stream_close_when_flushed(s);
    poll_loop_run_once(loop, 0);

    char buf[256];
    ssize_t n = read(fds[1], buf, sizeof buf - 1);
    assert_true(n > 0);
    buf[n] = '\0';
    assert_non_null(strstr(buf, "goodbye"));
    assert_int_equal(read(fds[1], buf, 1), 0);
    assert_false(ctx.closed);
    close(fds[1]);
    poll_loop_destroy(loop);
}

/* Blocking client against a scripted server in a child process. */

static void
write_all(int fd, const char *s)
{
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t r = write(fd, s, n);
        if (r <= 0) {
            _exit(10);
        }
        s += r;
        n -= r;
    }
}

/* Reads one message from blocking 'fd' through 'conn'. */
static struct jsonrpc_msg *
read_msg(int fd, struct jsonrpc_conn *conn)
{
    struct jsonrpc_msg *msg;
    char c;

    while (!(msg = jsonrpc_conn_next_msg(conn))) {
        if (read(fd, &c, 1) != 1 || jsonrpc_conn_receive(conn, &c, 1)) {
            _exit(11);
        }
    }
    return msg;
}

/* The server: asks the client for an echo, checks the answer, then answers
 * the client's request after sending an unrelated notification. */
static void NO_RETURN
scripted_server(int fd)
{
    struct jsonrpc_conn *conn = jsonrpc_conn_create();

    struct jsonrpc_msg *req = read_msg(fd, conn);
    if (req->type != JSONRPC_REQUEST || strcmp(req->method, "get")) {
        _exit(12);
    }
    write_all(fd, "{\"method\":\"echo\",\"params\":[\"ping\"],"
                  "\"id\":\"echo\"}");
    struct jsonrpc_msg *echo = read_msg(fd, conn);
    if (echo->type != JSONRPC_REPLY || strcmp(json_string(echo->id), "echo")
        || strcmp(json_string(json_array(echo->result)->elems[0]),
                  "ping")) {
        _exit(13);
    }
    write_all(fd, "{\"method\":\"update\",\"params\":[1]}");

    struct json *id = json_clone(req->id);
    struct jsonrpc_msg *reply = jsonrpc_msg_create_reply(
        json_string_create("value"), id);
    struct json *json = jsonrpc_msg_to_json(reply);
    char *s = json_to_string(json, 0);
    write_all(fd, s);
    _exit(0);
}

static void
test_blocking_client(void **state OVS_UNUSED)
{
    char dir[] = "/tmp/test-jsonrpc-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = xasprintf("%s/sock", dir);
    char *name = xasprintf("punix:%s", path);
    char *bound;
    int lfd;

    /* The listener exists before the fork, so the client cannot race. */
    int error = pstream_open(name, &lfd, &bound);
    assert_int_equal(error, 0);

    pid_t pid = fork();
    assert_true(pid >= 0);
    if (!pid) {
        int fd;
        struct pollfd pfd = { .fd = lfd, .events = POLLIN };
        poll(&pfd, 1, 5000);
        if (pstream_accept(lfd, &fd, NULL)) {
            _exit(9);
        }
        int flags = fcntl(fd, F_GETFL);
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
        scripted_server(fd);
    }

    struct jsonrpc_client *client;
    char *cname = xasprintf("unix:%s", path);
    assert_int_equal(jsonrpc_client_open(cname, 5000, &client), 0);

    struct jsonrpc_msg *reply;
    error = jsonrpc_client_transact(
        client, jsonrpc_msg_create_request("get", NULL, NULL), &reply, 5000);
    assert_int_equal(error, 0);
    assert_int_equal(reply->type, JSONRPC_REPLY);
    assert_string_equal(json_string(reply->result), "value");
    jsonrpc_msg_destroy(reply);

    /* The notification that arrived meanwhile was kept. */
    struct jsonrpc_msg *msg;
    assert_int_equal(jsonrpc_client_recv(client, &msg, 5000), 0);
    assert_int_equal(msg->type, JSONRPC_NOTIFY);
    assert_string_equal(msg->method, "update");
    jsonrpc_msg_destroy(msg);

    /* The server exits: the next receive reports the closed connection. */
    assert_int_equal(jsonrpc_client_recv(client, &msg, 5000), ECONNRESET);
    assert_null(msg);
    jsonrpc_client_close(client);

    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);

    pstream_close(lfd, bound);
    rmdir(dir);
    free(bound);
    free(cname);
    free(name);
    free(path);
}

static void
test_client_timeout(void **state OVS_UNUSED)
{
    char dir[] = "/tmp/test-jsonrpc-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = xasprintf("%s/sock", dir);
    char *name = xasprintf("punix:%s", path);
    int lfd;

    assert_int_equal(pstream_open(name, &lfd, NULL), 0);

    /* Nobody accepts, but the kernel completes the connection; the request
     * then gets no answer. */
    struct jsonrpc_client *client;
    assert_int_equal(jsonrpc_client_open(name + 1, 1000, &client), 0);
    struct jsonrpc_msg *reply;
    long long start = time_msec();
    int error = jsonrpc_client_transact(
        client, jsonrpc_msg_create_request("x", NULL, NULL), &reply, 100);
    assert_int_equal(error, ETIMEDOUT);
    assert_true(time_msec() - start >= 90);
    jsonrpc_client_close(client);

    /* Connecting to a missing socket fails at once. */
    pstream_close(lfd, name);
    assert_int_equal(jsonrpc_client_open(name + 1, 1000, &client), ENOENT);
    rmdir(dir);
    free(name);
    free(path);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_to_ds),
        cmocka_unit_test(test_request),
        cmocka_unit_test(test_notify),
        cmocka_unit_test(test_reply_and_error),
        cmocka_unit_test(test_constructors),
        cmocka_unit_test(test_bad_shapes),
        cmocka_unit_test(test_merged_messages),
        cmocka_unit_test(test_split_messages),
        cmocka_unit_test(test_byte_at_a_time),
        cmocka_unit_test(test_malformed_json),
        cmocka_unit_test(test_garbage_between_messages),
        cmocka_unit_test(test_invalid_message_is_protocol_error),
        cmocka_unit_test(test_oversized_message),
        cmocka_unit_test(test_large_message_parsed_ahead),
        cmocka_unit_test(test_large_message_errors),
        cmocka_unit_test(test_json_spliced),
        cmocka_unit_test(test_output),
        cmocka_unit_test(test_output_large_serialized),
        cmocka_unit_test(test_stream_exchange),
        cmocka_unit_test(test_stream_large_message),
        cmocka_unit_test(test_stream_protocol_error_and_destroy_in_callback),
        cmocka_unit_test(test_stream_close_when_flushed),
        cmocka_unit_test(test_blocking_client),
        cmocka_unit_test(test_client_timeout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
