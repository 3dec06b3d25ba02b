/* fuzz_jsonrpc_txn: libFuzzer target for the OVSDB request path.
 *
 * The input bytes are fed to a sans-IO JSON-RPC connection (ovsdb/jsonrpc.h)
 * in one piece and then, for a second pass, split at the first byte so the
 * stream scanner also sees a message that arrives in two pieces.  A third
 * pass is differential: the bytes go, 3 at a time, to a connection that
 * parses every nested object and array ahead as it arrives (as it does for
 * messages over 1 MB), and the messages and the error state must be the
 * same as when the whole input is parsed at once (but for a malformed
 * message found before its end); if not, it aborts.  Every
 * message popped from the connection is destroyed; each one that is a
 * "transact" request whose params look like what ovsdb-server's dispatcher
 * accepts (a non-empty array starting with a string) is run through
 * ovsdb_execute() against an in-memory database and the result serialized.
 *
 * The schema is parsed once.  The database is created fresh for each input
 * (from a clone of that schema), so a crash replays from its input alone and
 * rows committed by one input cannot hide a leak or a bug in the next one.
 *
 * The schema covers what the transaction engine must check: strong and weak
 * references (optional, set and map-valued), a non-root table collected when
 * unreferenced, indexes (single and multi-column), enums, integer and real
 * ranges, string length limits, maps, and a root table with maxRows. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ds.h"
#include "json.h"
#include "ovsdb/error.h"
#include "ovsdb/execution.h"
#include "ovsdb/jsonrpc.h"
#include "ovsdb/row.h"
#include "ovsdb/schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char fuzz_schema[] =
"{\"name\": \"Fuzz\", \"version\": \"1.0.0\", \"tables\": {"
"  \"Bridge\": {\"isRoot\": true, \"indexes\": [[\"name\"]], \"columns\": {"
"    \"name\": {\"type\": {\"key\": {\"type\": \"string\","
"                                    \"minLength\": 1, \"maxLength\": 16}}},"
"    \"ports\": {\"type\": {\"key\": {\"type\": \"uuid\","
"                                    \"refTable\": \"Port\"},"
"                           \"min\": 0, \"max\": \"unlimited\"}},"
"    \"mirror\": {\"type\": {\"key\": {\"type\": \"uuid\","
"                                     \"refTable\": \"Port\","
"                                     \"refType\": \"weak\"},"
"                            \"min\": 0, \"max\": 1}},"
"    \"peer\": {\"type\": {\"key\": {\"type\": \"uuid\","
"                                   \"refTable\": \"Bridge\","
"                                   \"refType\": \"weak\"},"
"                          \"min\": 0, \"max\": 1}},"
"    \"mode\": {\"type\": {\"key\": {\"type\": \"string\", \"enum\":"
"                  [\"set\", [\"standalone\", \"secure\", \"off\"]]}}},"
"    \"stp\": {\"type\": \"boolean\"},"
"    \"prio\": {\"type\": {\"key\": {\"type\": \"integer\","
"                                   \"minInteger\": 0, \"maxInteger\": 65535}}},"
"    \"ratio\": {\"type\": {\"key\": {\"type\": \"real\","
"                                    \"minReal\": -1.5, \"maxReal\": 1e6}}},"
"    \"external_ids\": {\"type\": {\"key\": \"string\", \"value\": \"string\","
"                                  \"min\": 0, \"max\": \"unlimited\"}},"
"    \"flow_tables\": {\"type\": {\"key\": {\"type\": \"integer\","
"                                 \"minInteger\": 0, \"maxInteger\": 254},"
"                                 \"value\": {\"type\": \"uuid\","
"                                             \"refTable\": \"Flow_Table\"},"
"                                 \"min\": 0, \"max\": \"unlimited\"}}}},"
"  \"Port\": {\"columns\": {"
"    \"name\": {\"type\": \"string\"},"
"    \"iface\": {\"type\": {\"key\": {\"type\": \"uuid\","
"                                    \"refTable\": \"Interface\"},"
"                           \"min\": 0, \"max\": 1}},"
"    \"trunks\": {\"type\": {\"key\": {\"type\": \"integer\","
"                                     \"minInteger\": 0, \"maxInteger\": 4095},"
"                            \"min\": 0, \"max\": 4096}},"
"    \"options\": {\"type\": {\"key\": \"string\", \"value\": {\"type\":"
"                  \"string\", \"enum\": [\"set\", [\"on\", \"off\"]]},"
"                  \"min\": 0, \"max\": 3}},"
"    \"tag\": {\"type\": {\"key\": \"integer\", \"min\": 0, \"max\": 1},"
"             \"mutable\": false}}},"
"  \"Interface\": {\"indexes\": [[\"name\"], [\"ofport\", \"type\"]],"
"                \"columns\": {"
"    \"name\": {\"type\": \"string\"},"
"    \"type\": {\"type\": \"string\"},"
"    \"ofport\": {\"type\": {\"key\": \"integer\", \"min\": 0, \"max\": 1}},"
"    \"peers\": {\"type\": {\"key\": {\"type\": \"uuid\","
"                                    \"refTable\": \"Interface\","
"                                    \"refType\": \"weak\"},"
"                           \"min\": 0, \"max\": \"unlimited\"}}}},"
"  \"Flow_Table\": {\"columns\": {"
"    \"name\": {\"type\": \"string\"},"
"    \"limit\": {\"type\": {\"key\": {\"type\": \"integer\","
"                                    \"minInteger\": 0},"
"                           \"min\": 0, \"max\": 1}}}},"
"  \"Singleton\": {\"isRoot\": true, \"maxRows\": 2,"
"                \"indexes\": [[\"k\"]], \"columns\": {"
"    \"k\": {\"type\": \"string\"},"
"    \"u\": {\"type\": {\"key\": \"uuid\", \"min\": 0, \"max\": 1}},"
"    \"bridges\": {\"type\": {\"key\": {\"type\": \"uuid\","
"                                      \"refTable\": \"Bridge\"},"
"                             \"min\": 0, \"max\": \"unlimited\"}}}}"
"}}";

/* Built on the first call and kept for the whole run. */
static struct ovsdb_schema *schema;

static bool
fuzz_has_lock(const char *name, void *aux)
{
    (void) aux;
    return !strcmp(name, "held");
}

static void
fuzz_load_schema(void)
{
    struct ovsdb_error *error;
    struct json *json;
    char *msg;

    json = json_from_string(fuzz_schema, &msg);
    if (!json) {
        fprintf(stderr, "fuzz schema: %s\n", msg);
        abort();
    }
    error = ovsdb_schema_from_json(json, &schema);
    if (error) {
        fprintf(stderr, "fuzz schema: %s\n", ovsdb_error_to_string(error));
        abort();
    }
    json_destroy(json);
}

static bool
is_transact(const struct jsonrpc_msg *msg)
{
    const struct json *p = msg->params;

    return (msg->type == JSONRPC_REQUEST
            && !strcmp(msg->method, "transact")
            && p && p->type == JSON_ARRAY && p->array.n
            && p->array.elems[0]->type == JSON_STRING);
}

static void
fuzz_transact(struct ovsdb *db, const struct jsonrpc_msg *msg)
{
    /* A request id of "ro" executes read-only, as on a backup server. */
    bool ro = (msg->id && msg->id->type == JSON_STRING
               && !strcmp(msg->id->string, "ro"));
    struct ovsdb_execute_options options = {
        .read_only = ro,
        .has_lock = fuzz_has_lock,
        .aux = NULL,
        .elapsed_msec = 0,
    };
    long long timeout = 0;
    struct json *result;

    result = ovsdb_execute(db, msg->params, &options, &timeout);
    if (result) {
        free(json_to_string(result, 0));
        json_destroy(result);
    }
}

/* Feeds 'data' to a new connection, in one piece if 'split' is 0, otherwise
 * as [0, split) then the rest, executing transact requests on 'db'. */
static void
fuzz_stream(struct ovsdb *db, const uint8_t *data, size_t size, size_t split)
{
    struct jsonrpc_conn *conn = jsonrpc_conn_create();
    struct jsonrpc_msg *msg;

    jsonrpc_conn_set_max_msg_size(conn, 1024 * 1024);
    if (split && split < size) {
        jsonrpc_conn_receive(conn, data, split);
        jsonrpc_conn_receive(conn, data + split, size - split);
    } else {
        jsonrpc_conn_receive(conn, data, size);
    }
    while ((msg = jsonrpc_conn_next_msg(conn)) != NULL) {
        if (is_transact(msg)) {
            fuzz_transact(db, msg);
        }
        jsonrpc_msg_destroy(msg);
    }
    (void) jsonrpc_conn_get_error(conn);
    (void) jsonrpc_conn_is_mid_message(conn);
    jsonrpc_conn_destroy(conn);
}

/* Pops every message of 'conn' into 'out', as sorted JSON text. */
static void
collect(struct jsonrpc_conn *conn, struct ds *out)
{
    struct jsonrpc_msg *msg;

    while ((msg = jsonrpc_conn_next_msg(conn)) != NULL) {
        struct json *json = jsonrpc_msg_to_json(msg);
        json_to_ds(json, JSSF_SORT, out);
        ds_put_char(out, '\n');
        json_destroy(json);
        jsonrpc_msg_destroy(msg);
    }
}

/* The differential pass (see the top of the file). */
static void
fuzz_parse_ahead(const uint8_t *data, size_t size)
{
    struct jsonrpc_conn *whole = jsonrpc_conn_create();
    struct jsonrpc_conn *ahead = jsonrpc_conn_create();
    struct ds a = DS_EMPTY_INITIALIZER, b = DS_EMPTY_INITIALIZER;

    jsonrpc_conn_set_max_msg_size(whole, 1024 * 1024);
    jsonrpc_conn_set_max_msg_size(ahead, 1024 * 1024);
    jsonrpc_conn_set_parse_ahead(ahead, 0, 0);
    jsonrpc_conn_receive(whole, data, size);
    for (size_t i = 0; i < size; i += 3) {
        if (jsonrpc_conn_receive(ahead, data + i, MIN(3, size - i))) {
            break;
        }
    }
    collect(whole, &a);
    collect(ahead, &b);
    /* Parsing ahead may find a malformed message before its end (say
     * '{"a":[1}' in a message that is still open): an error where the
     * whole-message parse is still waiting for the rest of it. */
    bool whole_error = jsonrpc_conn_get_error(whole) != NULL;
    bool ahead_error = jsonrpc_conn_get_error(ahead) != NULL;
    if (strcmp(ds_cstr(&a), ds_cstr(&b))
        || (whole_error != ahead_error
            && (whole_error || !jsonrpc_conn_is_mid_message(whole)))) {
        fprintf(stderr, "parsed whole (%s):\n%s\nparsed ahead (%s):\n%s\n",
                jsonrpc_conn_get_error(whole), ds_cstr(&a),
                jsonrpc_conn_get_error(ahead), ds_cstr(&b));
        abort();
    }
    ds_destroy(&a);
    ds_destroy(&b);
    jsonrpc_conn_destroy(whole);
    jsonrpc_conn_destroy(ahead);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ovsdb *db;

    if (!schema) {
        fuzz_load_schema();
    }

    db = ovsdb_create(ovsdb_schema_clone(schema));
    fuzz_stream(db, data, size, 0);
    if (size > 1) {
        /* The second pass runs on the rows committed by the first, so
         * deletes, updates and mutates find something to act on. */
        fuzz_stream(db, data, size, 1);
    }
    ovsdb_destroy(db);
    fuzz_parse_ahead(data, size);
    return 0;
}
