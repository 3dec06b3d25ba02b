#include "ovsdb/jsonrpc.h"

#include <errno.h>
#include <string.h>
#include "ds.h"
#include "json.h"
#include "util.h"

/* Messages. */

const char *
jsonrpc_msg_type_to_string(enum jsonrpc_msg_type type)
{
    switch (type) {
    case JSONRPC_REQUEST:
        return "request";
    case JSONRPC_NOTIFY:
        return "notification";
    case JSONRPC_REPLY:
        return "reply";
    case JSONRPC_ERROR:
        return "error";
    }
    return "(unknown)";
}

static struct jsonrpc_msg *
msg_create(enum jsonrpc_msg_type type, const char *method,
           struct json *params, struct json *result, struct json *error,
           struct json *id)
{
    struct jsonrpc_msg *msg = xzalloc(sizeof *msg);

    msg->type = type;
    msg->method = method ? xstrdup(method) : NULL;
    msg->params = params;
    msg->result = result;
    msg->error = error;
    msg->id = id;
    return msg;
}

struct jsonrpc_msg *
jsonrpc_msg_create_request(const char *method, struct json *params,
                           struct json *id)
{
    return msg_create(JSONRPC_REQUEST, method,
                      params ? params : json_array_create_empty(), NULL,
                      NULL, id);
}

struct jsonrpc_msg *
jsonrpc_msg_create_notify(const char *method, struct json *params)
{
    return msg_create(JSONRPC_NOTIFY, method,
                      params ? params : json_array_create_empty(), NULL,
                      NULL, NULL);
}

struct jsonrpc_msg *
jsonrpc_msg_create_reply(struct json *result, const struct json *id)
{
    return msg_create(JSONRPC_REPLY, NULL, NULL,
                      result ? result : json_null_create(), NULL,
                      id ? json_clone(id) : json_null_create());
}

struct jsonrpc_msg *
jsonrpc_msg_create_error(struct json *error, const struct json *id)
{
    return msg_create(JSONRPC_ERROR, NULL, NULL, NULL, error,
                      id ? json_clone(id) : json_null_create());
}

void
jsonrpc_msg_destroy(struct jsonrpc_msg *msg)
{
    if (msg) {
        free(msg->method);
        json_destroy(msg->params);
        json_destroy(msg->result);
        json_destroy(msg->error);
        json_destroy(msg->id);
        free(msg);
    }
}

static struct json *
clone_or_null(const struct json *json)
{
    return json ? json_clone(json) : json_null_create();
}

struct json *
jsonrpc_msg_to_json(const struct jsonrpc_msg *msg)
{
    struct json *json = json_object_create();

    switch (msg->type) {
    case JSONRPC_REQUEST:
    case JSONRPC_NOTIFY:
        json_object_put_string(json, "method", msg->method);
        json_object_put(json, "params",
                        msg->params ? json_clone(msg->params)
                                    : json_array_create_empty());
        json_object_put(json, "id", (msg->type == JSONRPC_REQUEST
                                     ? clone_or_null(msg->id)
                                     : json_null_create()));
        break;
    case JSONRPC_REPLY:
    case JSONRPC_ERROR:
        json_object_put(json, "result", (msg->type == JSONRPC_REPLY
                                         ? clone_or_null(msg->result)
                                         : json_null_create()));
        json_object_put(json, "error", (msg->type == JSONRPC_ERROR
                                        ? clone_or_null(msg->error)
                                        : json_null_create()));
        json_object_put(json, "id", clone_or_null(msg->id));
        break;
    }
    return json;
}

/* Appends ',"name":' and 'value' (or null) to 'ds'. */
static void
put_member_or_null(struct ds *ds, const char *name, const struct json *value)
{
    ds_put_cstr(ds, name);
    if (value) {
        json_to_ds(value, 0, ds);
    } else {
        ds_put_cstr(ds, "null");
    }
}

void
jsonrpc_msg_to_ds(const struct jsonrpc_msg *msg, struct ds *ds)
{
    switch (msg->type) {
    case JSONRPC_REQUEST:
    case JSONRPC_NOTIFY:
        ds_put_cstr(ds, "{\"method\":");
        json_string_escape(msg->method, ds);
        if (msg->params) {
            put_member_or_null(ds, ",\"params\":", msg->params);
        } else {
            ds_put_cstr(ds, ",\"params\":[]");
        }
        put_member_or_null(ds, ",\"id\":",
                           msg->type == JSONRPC_REQUEST ? msg->id : NULL);
        break;
    case JSONRPC_REPLY:
    case JSONRPC_ERROR:
        put_member_or_null(ds, "{\"id\":", msg->id);
        put_member_or_null(ds, ",\"result\":",
                           msg->type == JSONRPC_REPLY ? msg->result : NULL);
        put_member_or_null(ds, ",\"error\":",
                           msg->type == JSONRPC_ERROR ? msg->error : NULL);
        break;
    }
    ds_put_char(ds, '}');
}

static bool
is_null(const struct json *json)
{
    return !json || json->type == JSON_NULL;
}

/* Checks that 'json' has only members JSON-RPC defines. */
static char *
check_members(const struct json *json)
{
    static const char *const names[] = {
        "method", "params", "result", "error", "id",
    };
    struct shash_node *node;

    SHASH_FOR_EACH (node, json->object) {
        size_t i;
        for (i = 0; i < ARRAY_SIZE(names); i++) {
            if (!strcmp(node->name, names[i])) {
                break;
            }
        }
        if (i == ARRAY_SIZE(names)) {
            return xasprintf("message has unexpected member \"%s\"",
                             node->name);
        }
    }
    return NULL;
}

static char *
parse_request(const struct json *json, struct jsonrpc_msg **msgp)
{
    const struct json *method = json_object_get(json, "method");
    const struct json *params = json_object_get(json, "params");
    const struct json *id = json_object_get(json, "id");

    if (method->type != JSON_STRING) {
        return xasprintf("\"method\" is %s, not a string",
                         json_type_to_string(method->type));
    }
    if (!params) {
        return xasprintf("request \"%s\" lacks \"params\"",
                         json_string(method));
    }
    if (params->type != JSON_ARRAY) {
        return xasprintf("\"params\" of request \"%s\" is %s, not an array",
                         json_string(method),
                         json_type_to_string(params->type));
    }
    if (!is_null(json_object_get(json, "result"))
        || !is_null(json_object_get(json, "error"))) {
        return xasprintf("request \"%s\" has non-null \"result\" or "
                         "\"error\"", json_string(method));
    }
    *msgp = msg_create(is_null(id) ? JSONRPC_NOTIFY : JSONRPC_REQUEST,
                       json_string(method), json_clone(params), NULL, NULL,
                       is_null(id) ? NULL : json_clone(id));
    return NULL;
}

static char *
parse_response(const struct json *json, struct jsonrpc_msg **msgp)
{
    const struct json *result = json_object_get(json, "result");
    const struct json *error = json_object_get(json, "error");
    const struct json *id = json_object_get(json, "id");

    if (json_object_get(json, "params")) {
        return xstrdup("response has unexpected member \"params\"");
    }
    if (!id) {
        return xstrdup("response lacks \"id\"");
    }
    if (!is_null(error)) {
        if (!is_null(result)) {
            return xstrdup("response has both non-null \"result\" and "
                           "non-null \"error\"");
        }
        *msgp = msg_create(JSONRPC_ERROR, NULL, NULL, NULL,
                           json_clone(error), json_clone(id));
        return NULL;
    }
    if (!result) {
        return xstrdup("message has none of \"method\", \"result\" or "
                       "non-null \"error\"");
    }
    if (is_null(id)) {
        return xstrdup("reply has null \"id\"");
    }
    *msgp = msg_create(JSONRPC_REPLY, NULL, NULL, json_clone(result), NULL,
                       json_clone(id));
    return NULL;
}

char *
jsonrpc_msg_from_json(const struct json *json, struct jsonrpc_msg **msgp)
{
    char *error;

    *msgp = NULL;
    if (json->type != JSON_OBJECT) {
        return xasprintf("message is %s, not a JSON object",
                         json_type_to_string(json->type));
    }
    error = check_members(json);
    if (error) {
        return error;
    }
    return (json_object_get(json, "method")
            ? parse_request(json, msgp)
            : parse_response(json, msgp));
}

void
jsonrpc_msg_format(const struct jsonrpc_msg *msg, struct ds *ds)
{
    ds_put_cstr(ds, jsonrpc_msg_type_to_string(msg->type));
    if (msg->method) {
        ds_put_format(ds, " method=\"%s\"", msg->method);
    }

    const struct {
        const char *name;
        const struct json *value;
    } parts[] = {
        { "params", msg->params },
        { "result", msg->result },
        { "error", msg->error },
        { "id", msg->id },
    };
    for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
        if (parts[i].value) {
            ds_put_format(ds, " %s=", parts[i].name);
            json_to_ds(parts[i].value, JSSF_SORT, ds);
        }
    }
}

/* Connections.
 *
 * Input: 'scanner' tracks where the current message ends.  Bytes of a
 * message that arrive in several pieces collect in 'input'; a message
 * that arrives whole within one piece is parsed in place, without a
 * copy.  Parsed messages wait in the FIFO 'queue[head..n)'.
 *
 * Large messages are parsed as they arrive, so that their text never
 * sits whole in memory beside their tree (a northd's first transaction
 * and its update notification are ~100 MB of text each).  Once a message
 * has reached SPLICE_START bytes, each object or array nested at least
 * SPLICE_DEPTH deep (a row, an operation) that opens from then on is
 * parsed as soon as it is complete, if its text is at least
 * SPLICE_MIN_VALUE bytes; its text in
 * 'input' is replaced by one JSON_SPLICE_MARK byte and its tree is
 * appended to 'values'.  An enclosing value's text then holds marks,
 * which parsing it resolves from 'values' in order; so does the final
 * parse of the message.  'opens' records, for each object or array open
 * at SPLICE_DEPTH or deeper, where it starts in 'input' and how many
 * 'values' existed then.  Valid JSON never contains the mark byte; a
 * message that does ('poisoned') is parsed without splicing, so it fails
 * as it always did.
 *
 * Output: serialized messages are appended to 'output'; the first
 * 'out_ofs' bytes of it have already been written. */

/* Buffers larger than this are freed, not kept, once empty. */
#define JSONRPC_KEPT_BUFFER (256 * 1024)

/* Serialized params at least this large are sent without a copy. */
#define SEND_IN_PLACE_MIN (1024 * 1024)

#define SPLICE_START (1024 * 1024)
#define SPLICE_DEPTH 3          /* Rows of a <table-update>, operations. */
#define SPLICE_MIN_VALUE 128

struct splice_open {
    size_t ofs;                 /* Where the value starts in 'input'. */
    size_t n_values;            /* conn->n_values when it started. */
};

struct jsonrpc_conn {
    struct json_scanner scanner;
    struct ds input;            /* Partial message received so far. */
    size_t msg_size;            /* Bytes of the partial message. */
    size_t splice_start;        /* SPLICE_START unless set for tests. */
    size_t splice_min_value;    /* SPLICE_MIN_VALUE, likewise. */
    size_t max_msg_size;        /* Largest message accepted, in bytes. */
    struct json **values;       /* Values parsed ahead (see above). */
    size_t n_values, allocated_values;
    struct splice_open *opens;  /* Open values (see above). */
    size_t n_opens, allocated_opens;
    bool poisoned;              /* Mark byte seen in this message. */
    char *error;                /* Protocol error, or NULL. */

    struct jsonrpc_msg **queue; /* Parsed messages not yet popped. */
    size_t head, n, allocated;

    struct ds output;           /* Serialized messages not yet written. */
    size_t out_ofs;             /* Bytes of 'output' already written. */

    long long next_id;          /* For jsonrpc_conn_next_id(). */
    struct jsonrpc_conn_stats stats;
};

static void reset_input(struct jsonrpc_conn *);

struct jsonrpc_conn *
jsonrpc_conn_create(void)
{
    struct jsonrpc_conn *conn = xzalloc(sizeof *conn);

    json_scanner_init(&conn->scanner);
    ds_init(&conn->input);
    ds_init(&conn->output);
    conn->max_msg_size = JSONRPC_DEFAULT_MAX_MSG_SIZE;
    conn->splice_start = SPLICE_START;
    conn->splice_min_value = SPLICE_MIN_VALUE;
    return conn;
}

void
jsonrpc_conn_destroy(struct jsonrpc_conn *conn)
{
    if (!conn) {
        return;
    }
    for (size_t i = conn->head; i < conn->n; i++) {
        jsonrpc_msg_destroy(conn->queue[i]);
    }
    free(conn->queue);
    reset_input(conn);
    ds_destroy(&conn->input);
    free(conn->values);
    free(conn->opens);
    ds_destroy(&conn->output);
    free(conn->error);
    free(conn);
}

void
jsonrpc_conn_set_max_msg_size(struct jsonrpc_conn *conn, size_t max)
{
    conn->max_msg_size = max ? max : JSONRPC_DEFAULT_MAX_MSG_SIZE;
}

void
jsonrpc_conn_set_parse_ahead(struct jsonrpc_conn *conn, size_t start,
                             size_t min_value)
{
    conn->splice_start = start;
    conn->splice_min_value = min_value;
}

/* Forgets the partial message: its text, its values parsed ahead. */
static void
reset_input(struct jsonrpc_conn *conn)
{
    for (size_t i = 0; i < conn->n_values; i++) {
        json_destroy(conn->values[i]);
    }
    conn->n_values = 0;
    conn->n_opens = 0;
    conn->msg_size = 0;
    conn->poisoned = false;
}

static void
set_error(struct jsonrpc_conn *conn, char *error)
{
    if (!conn->error) {
        conn->error = error;
    } else {
        free(error);
    }
    reset_input(conn);
    ds_destroy(&conn->input);
    ds_init(&conn->input);
}

static void
enqueue(struct jsonrpc_conn *conn, struct jsonrpc_msg *msg)
{
    if (conn->head == conn->n) {
        conn->head = conn->n = 0;
    }
    if (conn->n >= conn->allocated) {
        conn->queue = x2nrealloc(conn->queue, &conn->allocated,
                                 sizeof *conn->queue);
    }
    conn->queue[conn->n++] = msg;
    conn->stats.msgs_received++;
}

/* Empties 'ds', freeing its memory if it grew large: one big message
 * (a northd's first transaction, a monitor reply) must not leave a buffer
 * of its size allocated, and resident, for the connection's lifetime. */
static void
release_buffer(struct ds *ds)
{
    if (ds->allocated > JSONRPC_KEPT_BUFFER) {
        ds_destroy(ds);
        ds_init(ds);
    } else {
        ds_clear(ds);
    }
}

/* Parses one complete framed message, whose values parsed ahead (if any)
 * are in conn->values. */
static void
parse_message(struct jsonrpc_conn *conn, const char *buf, size_t n)
{
    struct jsonrpc_msg *msg;
    char *error;
    struct json *json = json_from_buffer_spliced(buf, n, conn->values,
                                                 conn->n_values, &error);

    conn->n_values = 0;         /* Taken by the parser. */
    if (!json) {
        set_error(conn, xasprintf("malformed JSON: %s", error));
        free(error);
        return;
    }
    error = jsonrpc_msg_from_json(json, &msg);
    json_destroy(json);
    if (error) {
        set_error(conn, xasprintf("invalid JSON-RPC message: %s", error));
        free(error);
    } else {
        enqueue(conn, msg);
    }
}

/* Parses the value that just closed at the end of 'input' ahead of the
 * rest of the message, if it is worth it (see "Connections" above). */
static void
splice_close(struct jsonrpc_conn *conn)
{
    if (!conn->n_opens) {
        return;                 /* Opened before tracking started. */
    }
    const struct splice_open *o = &conn->opens[--conn->n_opens];
    size_t len = conn->input.length - o->ofs;

    if (conn->poisoned || len < conn->splice_min_value) {
        return;
    }
    char *error;
    size_t n = conn->n_values - o->n_values;
    struct json *value = json_from_buffer_spliced(
        conn->input.string + o->ofs, len,
        n ? conn->values + o->n_values : NULL, n, &error);
    conn->n_values = o->n_values;   /* Taken by the parser. */
    if (!value) {
        set_error(conn, xasprintf("malformed JSON: %s", error));
        free(error);
        return;
    }
    if (conn->n_values >= conn->allocated_values) {
        conn->values = x2nrealloc(conn->values, &conn->allocated_values,
                                  sizeof *conn->values);
    }
    conn->values[conn->n_values++] = value;
    conn->stats.values_parsed_ahead++;
    ds_truncate(&conn->input, o->ofs);
    ds_put_char(&conn->input, JSON_SPLICE_MARK);
}

/* Acts on the scanner's event, if any, for the bytes just added to
 * 'input'. */
static void
splice_event(struct jsonrpc_conn *conn)
{
    if (conn->scanner.event == JSON_SCANNER_OPEN) {
        if (conn->scanner.depth - 1 > JSON_MAX_DEPTH) {
            /* What the parser would say, which it cannot do across
             * splices (each piece counts its own depth). */
            set_error(conn, xasprintf("malformed JSON: input exceeds "
                                      "maximum nesting depth %d",
                                      JSON_MAX_DEPTH));
            return;
        }
        if (conn->n_opens >= conn->allocated_opens) {
            conn->opens = x2nrealloc(conn->opens, &conn->allocated_opens,
                                     sizeof *conn->opens);
        }
        conn->opens[conn->n_opens++] = (struct splice_open) {
            .ofs = conn->input.length - 1,
            .n_values = conn->n_values,
        };
    } else if (conn->scanner.event == JSON_SCANNER_CLOSE) {
        splice_close(conn);
    }
}

static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Consumes a prefix of 'p[0..n)' and returns its length (at least 1):
 * whitespace between messages, or the next piece of a message. */
static size_t
receive_piece(struct jsonrpc_conn *conn, const char *p, size_t n)
{
    if (!conn->scanner.started) {
        size_t ws = 0;
        while (ws < n && is_space(p[ws])) {
            ws++;
        }
        if (ws) {
            return ws;
        }
        if (p[0] != '{' && p[0] != '[') {
            set_error(conn, xasprintf("protocol error: expected a JSON "
                                      "object, received byte 0x%02x",
                                      (unsigned char) p[0]));
            return n;
        }
    }

    bool done = false, garbage = false;
    size_t used = json_scanner_feed(&conn->scanner, p, n, &done, &garbage);
    conn->msg_size += used;
    if (conn->msg_size > conn->max_msg_size) {
        set_error(conn, xasprintf("message exceeds the maximum size of %zu "
                                  "bytes", conn->max_msg_size));
        return n;
    }
    if (memchr(p, JSON_SPLICE_MARK, used)) {
        conn->poisoned = true;
    }
    if (!done) {
        ds_put_buffer(&conn->input, p, used);
        splice_event(conn);
        if (!conn->scanner.event_depth
            && conn->msg_size >= conn->splice_start) {
            /* From here on, track values as they open and close. */
            conn->scanner.event_depth = SPLICE_DEPTH;
        }
    } else if (!conn->input.length) {
        parse_message(conn, p, used);
    } else {
        ds_put_buffer(&conn->input, p, used);
        if (conn->poisoned) {
            reset_input(conn);  /* Let the mark byte be the error. */
        }
        parse_message(conn, conn->input.string, conn->input.length);
        release_buffer(&conn->input);
    }
    if (done) {
        reset_input(conn);
        json_scanner_init(&conn->scanner);
    }
    return used;
}

int
jsonrpc_conn_receive(struct jsonrpc_conn *conn, const void *bytes, size_t n)
{
    const char *p = bytes;

    if (!conn->error) {
        conn->stats.bytes_received += n;
        while (n > 0 && !conn->error) {
            size_t used = receive_piece(conn, p, n);
            p += used;
            n -= used;
        }
    }
    return conn->error ? EPROTO : 0;
}

struct jsonrpc_msg *
jsonrpc_conn_next_msg(struct jsonrpc_conn *conn)
{
    return conn->head < conn->n ? conn->queue[conn->head++] : NULL;
}

const char *
jsonrpc_conn_get_error(const struct jsonrpc_conn *conn)
{
    return conn->error;
}

bool
jsonrpc_conn_is_mid_message(const struct jsonrpc_conn *conn)
{
    return conn->scanner.started;
}

/* Queues 'msg', whose params are large serialized text that only 'msg'
 * holds (a northd's first transaction, ~100 MB), without copying that
 * text: it becomes the output buffer, with the pending output and the
 * message's envelope moved in front of it.  Returns false, doing nothing,
 * for any other message. */
static bool
send_in_place(struct jsonrpc_conn *conn, struct jsonrpc_msg *msg)
{
    struct json *params = msg->params;
    size_t pending = conn->output.length - conn->out_ofs;

    if (!params || params->type != JSON_SERIALIZED || params->count != 1
        || pending > JSONRPC_KEPT_BUFFER) {
        return false;
    }
    size_t len = strlen(params->string);
    if (len < SEND_IN_PLACE_MIN) {
        return false;
    }

    /* The pending output and the envelope, with one mark byte (escaped
     * anywhere else in a message) standing for the params. */
    struct ds head = DS_EMPTY_INITIALIZER;
    ds_put_buffer(&head, conn->output.string + conn->out_ofs, pending);
    size_t env = head.length;
    msg->params = json_serialized_create_nocopy(xstrdup("\x01"));
    jsonrpc_msg_to_ds(msg, &head);
    char *mark = memchr(head.string + env, '\x01', head.length - env);
    ASSERT(mark);
    size_t n_head = mark - head.string;
    size_t n_tail = head.length - n_head - 1;

    char *buf = xrealloc(params->string, n_head + len + n_tail + 1);
    params->string = NULL;
    json_destroy(params);
    memmove(buf + n_head, buf, len);
    memcpy(buf, head.string, n_head);
    memcpy(buf + n_head + len, mark + 1, n_tail);
    buf[n_head + len + n_tail] = '\0';
    ds_destroy(&head);

    ds_destroy(&conn->output);
    conn->output.string = buf;
    conn->output.length = conn->output.allocated = n_head + len + n_tail;
    conn->out_ofs = 0;
    return true;
}

void
jsonrpc_conn_send(struct jsonrpc_conn *conn, struct jsonrpc_msg *msg)
{
    if (!send_in_place(conn, msg)) {
        jsonrpc_msg_to_ds(msg, &conn->output);
    }
    jsonrpc_msg_destroy(msg);
    conn->stats.msgs_sent++;
}

void
jsonrpc_conn_output(const struct jsonrpc_conn *conn, const void **datap,
                    size_t *np)
{
    *np = conn->output.length - conn->out_ofs;
    *datap = *np ? conn->output.string + conn->out_ofs : NULL;
}

void
jsonrpc_conn_consumed(struct jsonrpc_conn *conn, size_t n)
{
    ASSERT(n <= conn->output.length - conn->out_ofs);
    conn->out_ofs += n;
    conn->stats.bytes_sent += n;
    if (conn->out_ofs == conn->output.length) {
        release_buffer(&conn->output);
        conn->out_ofs = 0;
    } else if (conn->out_ofs >= 65536
               && conn->out_ofs >= conn->output.length / 2) {
        /* Compact, so that a connection that never fully drains does not
         * grow its buffer without bound. */
        size_t left = conn->output.length - conn->out_ofs;
        memmove(conn->output.string, conn->output.string + conn->out_ofs,
                left);
        ds_truncate(&conn->output, left);
        conn->out_ofs = 0;
    }
}

size_t
jsonrpc_conn_get_backlog(const struct jsonrpc_conn *conn)
{
    return conn->output.length - conn->out_ofs;
}

const struct jsonrpc_conn_stats *
jsonrpc_conn_get_stats(const struct jsonrpc_conn *conn)
{
    return &conn->stats;
}

struct json *
jsonrpc_conn_next_id(struct jsonrpc_conn *conn)
{
    return json_integer_create(conn->next_id++);
}
