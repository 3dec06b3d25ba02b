#include "ovsdb/file.h"

#include <string.h>
#include "json.h"
#include "vlog.h"
#include "ovsdb/error.h"
#include "ovsdb/log.h"
#include "ovsdb/row.h"
#include "ovsdb/schema.h"
#include "ovsdb/txn.h"

VLOG_DEFINE_THIS_MODULE(ovsdb_file);

/* Compaction policy, ovsdb-server's: never within COMPACT_MIN_INTERVAL of
 * opening the file or of the last compaction; after that, once the log
 * holds at least COMPACT_MIN_TXNS transactions and COMPACT_MIN_BYTES
 * bytes and has grown to COMPACT_GROWTH times its size after the last
 * compaction; and after COMPACT_MAX_INTERVAL, if it holds any transaction
 * at all.  (ovsdb-server adds up to 10 random minutes to the minimum.) */
#define COMPACT_MIN_TXNS 100
#define COMPACT_MIN_BYTES (10 * 1024 * 1024)
#define COMPACT_GROWTH 4
#define COMPACT_MIN_INTERVAL (10LL * 60 * 1000)        /* 10 minutes. */
#define COMPACT_MAX_INTERVAL (24LL * 60 * 60 * 1000)   /* 1 day. */

struct ovsdb_file {
    struct ovsdb_observer observer;     /* In the database's observers. */
    struct ovsdb *db;
    struct ovsdb_log *log;
    char *file_name;
    uint64_t n_txns;                    /* Records since last compaction. */
    uint64_t snapshot_size;             /* Log size after it. */
    long long next_compact_min;         /* time_msec() before which, and */
    long long next_compact_max;         /* after which, the policy above. */
    struct ds record;                   /* Scratch for a record's text. */
};

static void
schedule_compaction(struct ovsdb_file *file)
{
    long long now = time_msec();

    file->next_compact_min = now + COMPACT_MIN_INTERVAL;
    file->next_compact_max = now + COMPACT_MAX_INTERVAL;
}

/* Largest record buffer kept between transactions. */
#define RECORD_BUFFER_KEEP (1024 * 1024)

static struct ovsdb_file *
file_cast(struct ovsdb_observer *observer)
{
    return CONTAINER_OF(observer, struct ovsdb_file, observer);
}

/* Replay. */

static struct ovsdb_error *
replay_column(struct ovsdb_row *row, const struct ovsdb_column *column,
              const struct json *value, bool is_diff, bool is_new)
{
    struct ovsdb_type relaxed = column->type;
    struct ovsdb_error *error;
    struct ovsdb_datum datum;

    relaxed.n_min = 0;
    if (is_diff && !is_new && column->type.n_max > 1) {
        relaxed.n_max = OVSDB_UNLIMITED;
    }
    error = ovsdb_datum_from_json(&datum, &relaxed, value, NULL);
    if (error) {
        return error;
    }
    if (is_diff && !is_new && column->type.n_max > 1) {
        ovsdb_datum_apply_diff(&row->fields[column->index], &datum,
                               &column->type);
        ovsdb_datum_destroy(&datum, &column->type);
    } else {
        ovsdb_datum_swap(&row->fields[column->index], &datum);
        ovsdb_datum_destroy(&datum, &column->type);
    }
    return NULL;
}

static struct ovsdb_error *
replay_row(struct ovsdb_table *table, const char *uuid_s,
           const struct json *json, bool is_diff)
{
    struct ovsdb_row *row;
    struct shash_node *node;
    struct uuid uuid;
    bool is_new;

    if (!uuid_from_string(&uuid, uuid_s)) {
        return ovsdb_syntax_error(json, NULL, "\"%s\" is not a valid UUID",
                                  uuid_s);
    }
    row = (struct ovsdb_row *) ovsdb_table_get_row(table, &uuid);
    if (json->type == JSON_NULL) {
        if (!row) {
            return ovsdb_syntax_error(json, NULL, "transaction deletes row "
                                      "%s that does not exist", uuid_s);
        }
        ovsdb_table_remove_row(table, row);
        ovsdb_row_destroy(row);
        return NULL;
    } else if (json->type != JSON_OBJECT) {
        return ovsdb_syntax_error(json, NULL, "row must be object or null");
    }
    is_new = !row;
    if (is_new) {
        row = ovsdb_row_create(table);
        *ovsdb_row_get_uuid_rw(row) = uuid;
        ovsdb_table_put_row(table, row);
    }
    uuid_generate(&row->fields[OVSDB_COL_VERSION].keys[0].uuid);
    SHASH_FOR_EACH (node, json->object) {
        const struct ovsdb_column *column = ovsdb_table_schema_get_column(
            table->schema, node->name);
        struct ovsdb_error *error;

        if (!column || column->index < OVSDB_N_STD_COLUMNS) {
            return ovsdb_syntax_error(json, "unknown column",
                                      "No column %s in table %s.",
                                      node->name, table->schema->name);
        }
        error = replay_column(row, column, node->data, is_diff, is_new);
        if (error) {
            return ovsdb_error_wrap(error, "table %s column %s",
                                    table->schema->name, column->name);
        }
    }
    return NULL;
}

static struct ovsdb_error *
replay_txn(struct ovsdb *db, const struct json *json)
{
    const struct json *is_diff_json = json_object_get(json, "_is_diff");
    bool is_diff = is_diff_json && is_diff_json->type == JSON_TRUE;
    struct shash_node *node;

    SHASH_FOR_EACH (node, json->object) {
        struct ovsdb_table *table;
        struct shash_node *rn;

        if (node->name[0] == '_') {
            continue;
        }
        table = ovsdb_get_table(db, node->name);
        if (!table) {
            return ovsdb_syntax_error(json, "unknown table",
                                      "No table named %s.", node->name);
        }
        if (((struct json *) node->data)->type != JSON_OBJECT) {
            return ovsdb_syntax_error(json, NULL, "object expected");
        }
        SHASH_FOR_EACH (rn, ((struct json *) node->data)->object) {
            struct ovsdb_error *error = replay_row(table, rn->name, rn->data,
                                                   is_diff);
            if (error) {
                return error;
            }
        }
    }
    return NULL;
}

/* After loading, counts strong references and builds the indexes. */
static void
rebuild_derived_state(struct ovsdb *db)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &db->tables) {
        struct ovsdb_table *table = node->data;
        struct ovsdb_row *row;
        OVSDB_TABLE_FOR_EACH_ROW (row, table) {
            row->n_refs = 0;
        }
    }
    SHASH_FOR_EACH (node, &db->tables) {
        struct ovsdb_table *table = node->data;
        const struct ovsdb_table_schema *ts = table->schema;
        struct ovsdb_row *row;

        OVSDB_TABLE_FOR_EACH_ROW (row, table) {
            for (size_t i = OVSDB_N_STD_COLUMNS; i < ts->n_columns; i++) {
                const struct ovsdb_type *t = &ts->columns[i]->type;
                const struct ovsdb_datum *d = &row->fields[i];
                for (int k = 0; k < 2; k++) {
                    const struct ovsdb_base_type *b = k ? &t->value : &t->key;
                    if (!ovsdb_base_type_is_strong_ref(b)) {
                        continue;
                    }
                    struct ovsdb_table *dst = ovsdb_get_table(
                        db, b->uuid.ref_table->name);
                    for (unsigned int j = 0; j < d->n; j++) {
                        const union ovsdb_atom *a = k ? &d->values[j]
                                                      : &d->keys[j];
                        struct ovsdb_row *target = (struct ovsdb_row *)
                            ovsdb_table_get_row(dst, &a->uuid);
                        if (target) {
                            target->n_refs++;
                        }
                    }
                }
            }
            for (size_t i = 0; i < ts->n_indexes; i++) {
                hmap_insert(&table->indexes[i], &row->index_nodes[i].node,
                            ovsdb_row_hash_columns(row, &ts->indexes[i], 0));
            }
        }
    }
}

/* Writing. */

/* True if the record of 'tr', a modified row, has a column: if some
 * persistent column changed, not just ephemeral ones. */
static bool
row_changed_persistently(const struct ovsdb_txn_row *tr)
{
    const struct ovsdb_table_schema *ts = tr->table->schema;

    for (size_t i = OVSDB_N_STD_COLUMNS; i < ts->n_columns; i++) {
        if (ts->columns[i]->persistent
            && ovsdb_txn_row_column_changed(tr, i)) {
            return true;
        }
    }
    return false;
}

/* Appends the "<uuid>":{<columns>} member of a record for 'row': its
 * persistent columns that differ from their defaults or, if 'tr' is a
 * modification, the diffs of its changed persistent columns.  Records are
 * written as text directly, without building JSON first, which cost more
 * than the rest of a small commit. */
static void
put_row_columns(const struct ovsdb_row *row, const struct ovsdb_txn_row *tr,
                struct ds *ds)
{
    const struct ovsdb_table_schema *ts = row->table->schema;
    const struct ovsdb_row *old = tr ? tr->old : NULL;
    bool first = true;

    ds_put_char(ds, '"');
    uuid_format(ovsdb_row_get_uuid(row), ds);
    ds_put_cstr(ds, "\":{");
    for (size_t i = OVSDB_N_STD_COLUMNS; i < ts->n_columns; i++) {
        const struct ovsdb_column *c = ts->columns[i];
        const struct ovsdb_datum *d = &row->fields[i];

        if (!c->persistent
            || (old ? !ovsdb_txn_row_column_changed(tr, i)
                    : ovsdb_datum_is_default(d, &c->type))) {
            continue;
        }
        if (!first) {
            ds_put_char(ds, ',');
        }
        first = false;
        json_string_escape(c->name, ds);
        ds_put_char(ds, ':');
        if (old) {
            ovsdb_datum_diff_to_json_ds(&old->fields[i], d, &c->type, ds);
        } else {
            ovsdb_datum_to_json_ds(d, &c->type, ds);
        }
    }
    ds_put_char(ds, '}');
}

/* Appends the member of the record of a transaction for 'tr': null for a
 * deleted row. */
static void
put_row_record(const struct ovsdb_txn_row *tr, struct ds *ds)
{
    if (tr->new) {
        put_row_columns(tr->new, tr, ds);
    } else {
        ds_put_char(ds, '"');
        uuid_format(&tr->uuid, ds);
        ds_put_cstr(ds, "\":null");
    }
}

/* Writes the log record of 'txn' (see log.h) to 'ds' and returns true, or
 * returns false if the transaction changed no persistent column and so
 * needs no record. */
static bool
txn_record(const struct ovsdb_txn *txn, struct ds *ds)
{
    const struct ovsdb_table *table = NULL;

    ds_put_char(ds, '{');
    for (size_t i = 0; i < txn->n_rows; i++) {
        const struct ovsdb_txn_row *tr = txn->rows_by_table[i];

        if (tr->new && tr->old && !row_changed_persistently(tr)) {
            continue;       /* Only ephemeral columns changed. */
        }
        if (tr->table != table) {
            ds_put_cstr(ds, table ? "}," : "");
            json_string_escape(tr->table->schema->name, ds);
            ds_put_cstr(ds, ":{");
        } else {
            ds_put_char(ds, ',');
        }
        table = tr->table;
        put_row_record(tr, ds);
    }
    if (!table) {
        return false;
    }
    ds_put_cstr(ds, "},");
    if (txn->comment.length) {
        ds_put_cstr(ds, "\"_comment\":");
        json_string_escape(ds_cstr_ro(&txn->comment), ds);
        ds_put_char(ds, ',');
    }
    ds_put_cstr(ds, "\"_date\":");
    ds_put_decimal(ds, time_wall_msec());
    ds_put_cstr(ds, ",\"_is_diff\":true}");
    return true;
}

static struct ovsdb_error *
file_commit(struct ovsdb_observer *observer, const struct ovsdb_txn *txn,
            bool durable)
{
    struct ovsdb_file *file = file_cast(observer);
    struct ovsdb_error *error = NULL;

    if (txn_record(txn, &file->record)) {
        error = ovsdb_log_write_text(file->log, &file->record);
        if (!error && durable) {
            error = ovsdb_log_commit_block(file->log);
        }
        if (!error) {
            file->n_txns++;
        }
    }
    /* Keep the buffer for the next record, unless a large transaction
     * made it large. */
    if (file->record.allocated > RECORD_BUFFER_KEEP) {
        ds_destroy(&file->record);
        ds_init(&file->record);
    } else {
        ds_clear(&file->record);
    }
    return ovsdb_error_wrap(error, "writing transaction to %s failed",
                            file->file_name);
}

static void
file_destroy(struct ovsdb_observer *observer)
{
    struct ovsdb_file *file = file_cast(observer);

    ovsdb_log_close(file->log);
    ds_destroy(&file->record);
    free(file->file_name);
    free(file);
}

static const struct ovsdb_observer_class file_class = {
    file_commit,
    file_destroy,
};

/* Opening. */

static struct ovsdb_error *
read_schema_record(struct ovsdb_log *log, const char *file_name,
                   struct ovsdb_schema **schemap)
{
    struct ovsdb_error *error;
    struct json *json;

    *schemap = NULL;
    error = ovsdb_log_read(log, &json);
    if (error) {
        return error;
    } else if (!json) {
        return ovsdb_error("syntax error", "%s: database file is empty",
                           file_name);
    }
    error = ovsdb_schema_from_json(json, schemap);
    json_destroy(json);
    return ovsdb_error_wrap(error, "%s: bad schema record", file_name);
}

struct ovsdb_error *
ovsdb_file_read_schema(const char *file_name, struct ovsdb_schema **schemap)
{
    struct ovsdb_error *error;
    struct ovsdb_log *log;

    error = ovsdb_log_open(file_name, OVSDB_MAGIC, OVSDB_LOG_READ_ONLY, -1,
                           &log);
    if (!error) {
        error = read_schema_record(log, file_name, schemap);
        ovsdb_log_close(log);
    }
    return error;
}

static struct ovsdb_error *
replay_log(struct ovsdb_log *log, struct ovsdb *db, const char *file_name,
           uint64_t *n_txnsp)
{
    for (;;) {
        struct ovsdb_error *error;
        struct json *json;

        error = ovsdb_log_read(log, &json);
        if (error) {
            if (ovsdb_log_error_is_bad_tail(error)) {
                char *s = ovsdb_error_to_string_free(error);
                VLOG_WARN("%s: dropping torn or corrupt final record: %s",
                          file_name, s);
                free(s);
                return NULL;
            }
            return error;
        } else if (!json) {
            return NULL;
        }
        if (json->type != JSON_OBJECT) {
            error = ovsdb_syntax_error(json, NULL, "object expected");
        } else {
            error = replay_txn(db, json);
        }
        json_destroy(json);
        if (error) {
            return ovsdb_error_wrap(error, "%s: transaction %llu",
                                    file_name,
                                    (unsigned long long) *n_txnsp + 1);
        }
        (*n_txnsp)++;
    }
}

struct ovsdb_error *
ovsdb_file_open(const char *file_name, bool read_only, struct ovsdb **dbp,
                struct ovsdb_file **filep)
{
    struct ovsdb_schema *schema;
    struct ovsdb_error *error;
    struct ovsdb_log *log;
    struct ovsdb_file *file;
    struct ovsdb *db;
    uint64_t n_txns = 0;

    *dbp = NULL;
    if (filep) {
        *filep = NULL;
    }
    error = ovsdb_log_open(file_name, OVSDB_MAGIC,
                           read_only ? OVSDB_LOG_READ_ONLY
                                     : OVSDB_LOG_READ_WRITE,
                           read_only ? 0 : -1, &log);
    if (error) {
        return error;
    }
    error = read_schema_record(log, file_name, &schema);
    if (error) {
        ovsdb_log_close(log);
        return error;
    }
    db = ovsdb_create(schema);
    error = replay_log(log, db, file_name, &n_txns);
    if (!error && !read_only && ovsdb_log_has_bad_tail(log)) {
        error = ovsdb_log_truncate_tail(log);
    }
    if (error) {
        ovsdb_log_close(log);
        ovsdb_destroy(db);
        return error;
    }
    rebuild_derived_state(db);

    file = xzalloc(sizeof *file);
    file->observer.class = &file_class;
    file->db = db;
    file->log = log;
    file->file_name = xstrdup(file_name);
    file->n_txns = n_txns;
    file->snapshot_size = ovsdb_log_get_offset(log);
    schedule_compaction(file);
    db->read_only = read_only;
    ovsdb_add_observer(db, &file->observer);
    *dbp = db;
    if (filep) {
        *filep = file;
    }
    return NULL;
}

struct ovsdb_error *
ovsdb_file_create(const char *file_name, const struct ovsdb_schema *schema)
{
    struct ovsdb_error *error;
    struct ovsdb_log *log;

    error = ovsdb_log_open(file_name, OVSDB_MAGIC, OVSDB_LOG_CREATE_EXCL, -1,
                           &log);
    if (error) {
        return error;
    }
    error = ovsdb_log_write_and_free(log, ovsdb_schema_to_json(schema));
    if (!error) {
        error = ovsdb_log_commit_block(log);
    }
    ovsdb_log_close(log);
    if (error) {
        remove(file_name);
    }
    return error;
}

/* Compaction. */

/* Writes 'db' as one snapshot record (full rows) to 'ds'. */
static void
snapshot_record(const struct ovsdb *db, struct ds *ds)
{
    struct shash_node *node;

    ds_put_char(ds, '{');
    SHASH_FOR_EACH (node, &db->tables) {
        const struct ovsdb_table *table = node->data;
        const struct ovsdb_row *row;
        bool first = true;

        OVSDB_TABLE_FOR_EACH_ROW (row, table) {
            if (first) {
                json_string_escape(table->schema->name, ds);
                ds_put_cstr(ds, ":{");
                first = false;
            } else {
                ds_put_char(ds, ',');
            }
            put_row_columns(row, NULL, ds);
        }
        if (!first) {
            ds_put_cstr(ds, "},");
        }
    }
    ds_put_cstr(ds, "\"_date\":");
    ds_put_decimal(ds, time_wall_msec());
    ds_put_cstr(ds, ",\"_comment\":\"compacting database online\"}");
}

struct ovsdb_error *
ovsdb_file_compact(struct ovsdb_file *file)
{
    struct ovsdb_log *new_log;
    struct ovsdb_error *error;
    long long start = time_msec();
    uint64_t old_size = ovsdb_log_get_offset(file->log);

    error = ovsdb_log_replace_start(file->log, &new_log);
    if (error) {
        return error;
    }
    error = ovsdb_log_write_and_free(new_log,
                                     ovsdb_schema_to_json(file->db->schema));
    if (!error) {
        struct ds record = DS_EMPTY_INITIALIZER;
        snapshot_record(file->db, &record);
        error = ovsdb_log_write_text(new_log, &record);
        ds_destroy(&record);
    }
    if (error) {
        ovsdb_log_replace_abort(new_log);
        return error;
    }
    error = ovsdb_log_replace_commit(file->log, new_log);
    if (!error) {
        file->n_txns = 0;
        file->snapshot_size = ovsdb_log_get_offset(file->log);
        schedule_compaction(file);
        VLOG_INFO("%s: compacted from %llu to %llu bytes in %lld ms",
                  file->file_name, (unsigned long long) old_size,
                  (unsigned long long) file->snapshot_size,
                  time_msec() - start);
    }
    return error;
}

void
ovsdb_file_run(struct ovsdb_file *file)
{
    uint64_t size = ovsdb_log_get_offset(file->log);
    long long now = time_msec();

    if (file->db->read_only || !file->n_txns
        || now < file->next_compact_min
        || (now < file->next_compact_max
            && (file->n_txns < COMPACT_MIN_TXNS || size < COMPACT_MIN_BYTES
                || size < COMPACT_GROWTH * file->snapshot_size))) {
        return;
    }
    struct ovsdb_error *error = ovsdb_file_compact(file);
    if (error) {
        char *s = ovsdb_error_to_string_free(error);
        VLOG_WARN("%s: compaction failed: %s", file->file_name, s);
        free(s);
        /* Do not retry on every transaction. */
        file->snapshot_size = size;
        schedule_compaction(file);
    }
}

const char *
ovsdb_file_get_name(const struct ovsdb_file *file)
{
    return file->file_name;
}

uint64_t
ovsdb_file_get_size(const struct ovsdb_file *file)
{
    return ovsdb_log_get_offset(file->log);
}
