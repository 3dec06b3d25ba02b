/* The "_Server" database: one read-only "Database" row per database the
 * server serves, which OVSDB clients (ovn-nbctl, the Python IDL) read to
 * learn whether a database is available, standalone or clustered, and
 * whether the server is its leader. */
#include <string.h>
#include "json.h"
#include "ovsdb/error.h"
#include "ovsdb/execution.h"
#include "ovsdb/row.h"
#include "ovsdb/schema.h"
#include "ovsdb/server-private.h"
#include "ovsdb/txn.h"

static const char server_schema[] =
    "{\"name\": \"_Server\", \"version\": \"1.2.0\","
    " \"tables\": {\"Database\": {\"columns\": {"
    "  \"name\": {\"type\": \"string\"},"
    "  \"model\": {\"type\": {\"key\": {\"type\": \"string\","
    "      \"enum\": [\"set\", [\"standalone\", \"clustered\", \"relay\"]]}}},"
    "  \"connected\": {\"type\": \"boolean\"},"
    "  \"leader\": {\"type\": \"boolean\"},"
    "  \"schema\": {\"type\": {\"key\": {\"type\": \"string\"},"
    "      \"min\": 0, \"max\": 1}},"
    "  \"cid\": {\"type\": {\"key\": {\"type\": \"uuid\"},"
    "      \"min\": 0, \"max\": 1}},"
    "  \"sid\": {\"type\": {\"key\": {\"type\": \"uuid\"},"
    "      \"min\": 0, \"max\": 1}},"
    "  \"index\": {\"type\": {\"key\": {\"type\": \"integer\"},"
    "      \"min\": 0, \"max\": 1}}},"
    "  \"isRoot\": true}}}";

void
server_db_create(struct ovsdb_server *server)
{
    struct ovsdb_schema *schema;
    struct ovsdb_error *error;
    struct json *json;
    char *msg = NULL;

    json = json_from_string(server_schema, &msg);
    ASSERT(json);
    error = ovsdb_schema_from_json(json, &schema);
    ASSERT(!error);
    json_destroy(json);

    struct server_db *sdb = xzalloc(sizeof *sdb);
    sdb->db = ovsdb_create(schema);
    list_init(&sdb->triggers);
    server->server_db = sdb->db;
    shash_add(&server->dbs, "_Server", sdb);
}

static struct json *
database_row(const struct ovsdb *db)
{
    struct json *row = json_object_create();
    char *schema = json_to_string(db->schema->json, 0);

    json_object_put_string(row, "name", db->name);
    json_object_put_string(row, "model", "standalone");
    json_object_put(row, "connected", json_boolean_create(true));
    json_object_put(row, "leader", json_boolean_create(true));
    json_object_put(row, "schema", json_string_create_nocopy(schema));
    return row;
}

/* Rewrites the Database table to describe the served databases.  Goes
 * through a normal transaction so that monitors of _Server see it. */
void
server_db_update_server_table(struct ovsdb_server *server)
{
    struct json *params = json_array_create_1(json_string_create("_Server"));
    struct ovsdb_execute_options options = { .read_only = false };
    struct shash_node *node;
    struct json *delete, *result;
    long long timeout;

    delete = json_object_create();
    json_object_put_string(delete, "op", "delete");
    json_object_put_string(delete, "table", "Database");
    json_object_put(delete, "where", json_array_create_empty());
    json_array_add(params, delete);
    SHASH_FOR_EACH (node, &server->dbs) {
        struct server_db *sdb = node->data;
        struct json *insert;

        if (sdb->db == server->server_db) {
            continue;
        }
        insert = json_object_create();
        json_object_put_string(insert, "op", "insert");
        json_object_put_string(insert, "table", "Database");
        json_object_put(insert, "row", database_row(sdb->db));
        json_array_add(params, insert);
    }
    result = ovsdb_execute(server->server_db, params, &options, &timeout);
    json_destroy(result);
    json_destroy(params);
}
