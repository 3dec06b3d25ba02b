/* ovsdb/client-replica: the OVSDB client's in-memory copy of a database.
 *
 * Applying updates.  The server describes changes as <table-updates>
 * (the "monitor" method, RFC 7047 §4.1.6) or <table-updates2>
 * ("monitor_cond" and "monitor_cond_since", ovsdb-server(7) §4.1.14):
 *
 *     format  row update                 meaning
 *     ------  -------------------------  --------------------------------
 *     1       {"new": row}               insert; 'row' has every column
 *     1       {"old": row}               delete
 *     1       {"old": row, "new": row}   modify; "new" has every column
 *     2       {"initial"|"insert": row}  insert; default columns omitted
 *     2       {"delete": null}           delete
 *     2       {"modify": diff}           modify; only changed columns:
 *                                        single values: the new value;
 *                                        sets: elements to toggle;
 *                                        maps: pairs to add, pairs to
 *                                        remove (same value) or keys to
 *                                        update (different value)
 *
 * Values are parsed with each column's type relaxed to any size and no
 * constraints (table->diff_types), both because diffs need that and so
 * that a server whose schema is newer than ours (a longer enum, say) is
 * still replicated rather than refused.
 *
 * Typed fields.  For a client created from a generated class, each row is
 * the header of a typed struct whose fields the class describes by kind and
 * offset; row_parse() refreshes a field whenever its datum changes.  A
 * field that refers to other rows holds pointers, so parsing records an
 * "arc" for each reference, keyed by the destination uuid: when a row with
 * that uuid appears or disappears, the rows with arcs to it are parsed
 * again, and their pointers never dangle. */
#include "ovsdb/client-private.h"

#include <string.h>
#include "json.h"
#include "vlog.h"
#include "ovsdb/error.h"
#include "ovsdb/schema.h"

VLOG_DEFINE_THIS_MODULE(ovsdb_client_replica);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 10);

static void row_parse(struct ovsdb_client_row *, unsigned int column);
static void row_unparse(struct ovsdb_client_row *, unsigned int column);
static void row_delete(struct ovsdb_client_row *);

/* Tables. */

static void
relax_base_type(struct ovsdb_base_type *dst, const struct ovsdb_base_type *src)
{
    ovsdb_base_type_init(dst, src->type);
}

static struct ovsdb_client_table *
table_create(struct ovsdb_client_db *db, const struct ovsdb_table_schema *ts,
             const struct ovsdb_client_table_class *tc, unsigned int index)
{
    struct ovsdb_client_table *table = xzalloc(sizeof *table);
    size_t n = ts->n_columns;

    table->client = db->client;
    table->db = db;
    table->schema = ts;
    table->class_ = tc;
    table->index = index;
    hmap_init(&table->rows);
    list_init(&table->track_list);
    table->monitored = xmalloc(n * sizeof *table->monitored);
    table->present = xmalloc(n * sizeof *table->present);
    table->diff_types = xcalloc(n, sizeof *table->diff_types);
    for (size_t i = 0; i < n; i++) {
        const struct ovsdb_type *type = &ts->columns[i]->type;
        struct ovsdb_type *dt = &table->diff_types[i];

        /* _uuid and _version are never requested: the row's uuid is the
         * key of each row update, and _version is of no use to clients. */
        table->monitored[i] = i >= OVSDB_N_STD_COLUMNS;
        table->present[i] = table->monitored[i];
        relax_base_type(&dt->key, &type->key);
        relax_base_type(&dt->value, &type->value);
        dt->n_min = 0;
        dt->n_max = OVSDB_UNLIMITED;
    }
    table->in_server_schema = true;
    table->selected = true;
    return table;
}

static void
table_destroy(struct ovsdb_client_table *table)
{
    if (table) {
        for (size_t i = 0; i < table->schema->n_columns; i++) {
            ovsdb_type_destroy(&table->diff_types[i]);
        }
        free(table->diff_types);
        free(table->monitored);
        free(table->present);
        json_destroy(table->condition);
        hmap_destroy(&table->rows);
        free(table);
    }
}

void
client_db_init(struct ovsdb_client_db *db, struct ovsdb_client *client,
               const char *name, const char *monitor_id)
{
    memset(db, 0, sizeof *db);
    db->client = client;
    db->name = xstrdup(name);
    db->monitor_id = json_string_create(monitor_id);
    shash_init(&db->tables_by_name);
    hmap_init(&db->arcs);
    list_init(&db->reparse_list);
    db->tracking = true;
    string_pool_init(&db->strings);
}

static void
free_tables(struct ovsdb_client_db *db)
{
    client_db_clear_rows(db);
    for (size_t i = 0; i < db->n_tables; i++) {
        table_destroy(db->tables[i]);
    }
    free(db->tables);
    db->tables = NULL;
    db->n_tables = 0;
    shash_clear(&db->tables_by_name);
}

void
client_db_destroy(struct ovsdb_client_db *db)
{
    free_tables(db);
    shash_destroy(&db->tables_by_name);
    hmap_destroy(&db->arcs);
    ovsdb_schema_destroy(db->schema);
    json_destroy(db->monitor_id);
    free(db->name);
    string_pool_destroy(&db->strings);
}

/* Checks that generated class 'tc' matches 'ts' column for column, so that
 * the generated column indexes and offsets can be trusted. */
static void
check_table_class(const struct ovsdb_client_table_class *tc,
                  const struct ovsdb_table_schema *ts)
{
    if (tc->n_columns != ts->n_columns) {
        util_abort("table %s: generated bindings have %zu columns, schema "
                   "has %zu", ts->name, tc->n_columns, ts->n_columns);
    }
    for (size_t i = 0; i < ts->n_columns; i++) {
        if (strcmp(tc->columns[i].name, ts->columns[i]->name)) {
            util_abort("table %s: column %zu is %s in generated bindings "
                       "but %s in the schema", ts->name, i,
                       tc->columns[i].name, ts->columns[i]->name);
        }
    }
}

void
client_db_set_schema(struct ovsdb_client_db *db, struct ovsdb_schema *schema,
                     const struct ovsdb_client_class *class_)
{
    free_tables(db);
    if (db->schema != schema) {
        ovsdb_schema_destroy(db->schema);
        db->schema = schema;
    }
    db->class_ = class_;
    if (!schema) {
        return;
    }

    size_t n = shash_count(&schema->tables);
    db->tables = xcalloc(n, sizeof *db->tables);
    if (class_) {
        ASSERT(class_->n_tables == n);
        for (size_t i = 0; i < n; i++) {
            const struct ovsdb_client_table_class *tc = &class_->tables[i];
            const struct ovsdb_table_schema *ts
                = ovsdb_schema_get_table(schema, tc->name);
            if (!ts) {
                util_abort("table %s of generated bindings is not in the "
                           "schema", tc->name);
            }
            check_table_class(tc, ts);
            db->tables[i] = table_create(db, ts, tc, i);
        }
    } else {
        const struct shash_node **nodes = shash_sort(&schema->tables);
        for (size_t i = 0; i < n; i++) {
            db->tables[i] = table_create(db, nodes[i]->data, NULL, i);
        }
        free(nodes);
    }
    db->n_tables = n;
    for (size_t i = 0; i < n; i++) {
        shash_add(&db->tables_by_name, db->tables[i]->schema->name,
                  db->tables[i]);
    }
}

void
client_db_set_server_schema(struct ovsdb_client_db *db,
                            const struct ovsdb_schema *server)
{
    for (size_t i = 0; i < db->n_tables; i++) {
        struct ovsdb_client_table *table = db->tables[i];
        const struct ovsdb_table_schema *sts
            = server ? ovsdb_schema_get_table(server, table->schema->name)
                     : NULL;

        table->in_server_schema = !server || sts;
        for (size_t j = 0; j < table->schema->n_columns; j++) {
            const char *name = table->schema->columns[j]->name;
            bool known = !server
                         || (sts && ovsdb_table_schema_get_column(sts, name));
            if (server && table->monitored[j] && !known) {
                VLOG_INFO("%s: server lacks column %s.%s; it will hold "
                          "its default value", db->name, table->schema->name,
                          name);
            }
            table->present[j] = table->monitored[j] && known;
        }
    }
}

static bool
table_is_monitored(const struct ovsdb_client_table *table)
{
    if (!table->in_server_schema) {
        return false;
    } else if (table->selected) {
        return true;
    }
    for (size_t i = 0; i < table->schema->n_columns; i++) {
        if (table->present[i]) {
            return true;
        }
    }
    return false;
}

struct json *
client_db_monitor_requests(const struct ovsdb_client_db *db, bool cond)
{
    struct json *requests = json_object_create();

    for (size_t i = 0; i < db->n_tables; i++) {
        const struct ovsdb_client_table *table = db->tables[i];
        if (!table_is_monitored(table)) {
            continue;
        }

        struct json *columns = json_array_create_empty();
        for (size_t j = 0; j < table->schema->n_columns; j++) {
            if (table->present[j]) {
                json_array_add(columns, json_string_create(
                                   table->schema->columns[j]->name));
            }
        }
        struct json *request = json_object_create();
        json_object_put(request, "columns", columns);
        if (cond && table->condition) {
            json_object_put(request, "where",
                            json_clone(table->condition));
        }
        json_object_put(requests, table->schema->name,
                        cond ? json_array_create_1(request) : request);
    }
    return requests;
}

/* Arcs and typed fields. */

static struct ovsdb_client_row *
table_find_live(const struct ovsdb_client_table *table,
                const struct uuid *uuid)
{
    struct ovsdb_client_row *row;

    HMAP_FOR_EACH_WITH_HASH (row, hmap_node, uuid_hash(uuid), &table->rows) {
        if (uuid_equals(&row->uuid, uuid)) {
            return row;
        }
    }
    return NULL;
}

static struct client_arc_group *
arc_group_find(const struct ovsdb_client_db *db, const struct uuid *dst)
{
    struct client_arc_group *g;

    HMAP_FOR_EACH_WITH_HASH (g, node, uuid_hash(dst), &db->arcs) {
        if (uuid_equals(&g->dst, dst)) {
            return g;
        }
    }
    return NULL;
}

/* Records that 'src' column 'column' refers to 'dst' in table 'ref_table'
 * and returns that row, or NULL if it does not exist. */
static struct ovsdb_client_row *
row_resolve(struct ovsdb_client_row *src, unsigned int column,
            int ref_table, const struct uuid *dst)
{
    struct ovsdb_client_db *db = src->table->db;
    struct ovsdb_client_arc *arc = xmalloc(sizeof *arc);
    struct client_arc_group *g = arc_group_find(db, dst);

    if (!g) {
        g = xmalloc(sizeof *g);
        g->dst = *dst;
        list_init(&g->arcs);
        hmap_insert(&db->arcs, &g->node, uuid_hash(dst));
    }
    arc->src = src;
    arc->group = g;
    arc->column = column;
    list_push_back(&g->arcs, &arc->dst_node);
    list_push_back(&src->src_arcs, &arc->src_node);

    if (ref_table < 0 || (size_t) ref_table >= db->n_tables) {
        return NULL;
    }
    return table_find_live(db->tables[ref_table], dst);
}

static void
arc_destroy(struct ovsdb_client_db *db, struct ovsdb_client_arc *arc)
{
    struct client_arc_group *g = arc->group;

    list_remove(&arc->dst_node);
    list_remove(&arc->src_node);
    free(arc);
    if (list_is_empty(&g->arcs)) {
        hmap_remove(&db->arcs, &g->node);
        free(g);
    }
}

static void
row_drop_column_arcs(struct ovsdb_client_row *row, unsigned int column)
{
    struct ovsdb_client_arc *arc;

    LIST_FOR_EACH_SAFE (arc, src_node, &row->src_arcs) {
        if (arc->column == column) {
            arc_destroy(row->table->db, arc);
        }
    }
}

void
client_row_drop_arcs(struct ovsdb_client_row *row)
{
    struct ovsdb_client_arc *arc;

    LIST_FOR_EACH_SAFE (arc, src_node, &row->src_arcs) {
        arc_destroy(row->table->db, arc);
    }
}

/* Parses again every typed field that refers to 'uuid', because the row
 * with that uuid just appeared or disappeared; while an update is applied,
 * only notes the rows to do at its end (flush_reparse()). */
static void
reparse_referrers(struct ovsdb_client_db *db, const struct uuid *uuid)
{
    struct ovsdb_client_arc *arc;

    struct client_arc_group *g = arc_group_find(db, uuid);
    if (!g) {
        return;
    }
    if (db->defer_reparse) {
        LIST_FOR_EACH (arc, dst_node, &g->arcs) {
            if (list_is_empty(&arc->src->reparse_node)) {
                list_push_back(&db->reparse_list, &arc->src->reparse_node);
            }
        }
        return;
    }

    struct {
        struct ovsdb_client_row *row;
        unsigned int column;
    } *todo = NULL;
    size_t n = 0, allocated = 0;

    /* Collect first: re-parsing replaces the arcs being iterated. */
    LIST_FOR_EACH (arc, dst_node, &g->arcs) {
        if (n >= allocated) {
            todo = x2nrealloc(todo, &allocated, sizeof *todo);
        }
        todo[n].row = arc->src;
        todo[n].column = arc->column;
        n++;
    }
    for (size_t i = 0; i < n; i++) {
        row_unparse(todo[i].row, todo[i].column);
        row_parse(todo[i].row, todo[i].column);
    }
    free(todo);
}

static void *field_array(size_t n, size_t elem_size);

/* Points the typed reference field of 'column' at the rows its datum
 * names as they are now.  The datum did not change, so its arcs stay:
 * dropping and re-creating them would walk 'db->arcs' hash chains as long
 * as the number of rows referring to one row (all the logical flows of a
 * datapath group), which made loading a large southbound quadratic. */
static void
row_refresh_refs(struct ovsdb_client_row *row, unsigned int column)
{
    const struct ovsdb_client_column_class *cc
        = &row->table->class_->columns[column];
    const struct ovsdb_datum *d = &row->fields[column];
    struct ovsdb_client_db *db = row->table->db;
    const struct ovsdb_client_table *target
        = (cc->ref_table >= 0 && (size_t) cc->ref_table < db->n_tables
           ? db->tables[cc->ref_table] : NULL);
    char *base = (char *) row;
    void *field = base + cc->offset;

    if (cc->kind == OVSDB_FIELD_REF) {
        *(void **) field = (d->n && target
                            ? table_find_live(target, &d->keys[0].uuid)
                            : NULL);
        return;
    }
    free(*(void **) field);
    void **a = field_array(d->n, sizeof *a);
    size_t n_found = 0;
    for (size_t i = 0; target && i < d->n; i++) {
        void *dst = table_find_live(target, &d->keys[i].uuid);
        if (dst) {
            a[n_found++] = dst;
        }
    }
    *(void ***) field = a;
    *(size_t *) (base + cc->n_offset) = n_found;
}

/* Parses again the reference fields of the rows reparse_referrers()
 * noted. */
static void
flush_reparse(struct ovsdb_client_db *db)
{
    struct ovsdb_client_row *row;

    LIST_FOR_EACH_POP (row, reparse_node, &db->reparse_list) {
        const struct ovsdb_client_table_class *tc = row->table->class_;
        list_init(&row->reparse_node);
        if (!row->live) {
            continue;           /* Deleted since (kept for tracking). */
        }
        for (size_t i = 0; tc && i < tc->n_columns; i++) {
            if (tc->columns[i].kind == OVSDB_FIELD_REF
                || tc->columns[i].kind == OVSDB_FIELD_REFS) {
                row_refresh_refs(row, i);
            }
        }
    }
}

/* Allocates an array for a typed multi-valued field: NULL when empty, so
 * that an empty set costs nothing. */
static void *
field_array(size_t n, size_t elem_size)
{
    return n ? xmalloc(n * elem_size) : NULL;
}

static void
parse_array(struct ovsdb_client_row *row, unsigned int column,
            const struct ovsdb_client_column_class *cc, void *field,
            size_t *np)
{
    const struct ovsdb_datum *d = &row->fields[column];
    size_t n = d->n;

    switch (cc->kind) {
    case OVSDB_FIELD_INTEGERS: {
        int64_t *a = field_array(n, sizeof *a);
        for (size_t i = 0; i < n; i++) {
            a[i] = d->keys[i].integer;
        }
        *(int64_t **) field = a;
        break;
    }
    case OVSDB_FIELD_REALS: {
        double *a = field_array(n, sizeof *a);
        for (size_t i = 0; i < n; i++) {
            a[i] = d->keys[i].real;
        }
        *(double **) field = a;
        break;
    }
    case OVSDB_FIELD_BOOLEANS: {
        bool *a = field_array(n, sizeof *a);
        for (size_t i = 0; i < n; i++) {
            a[i] = d->keys[i].boolean;
        }
        *(bool **) field = a;
        break;
    }
    case OVSDB_FIELD_STRINGS: {
        const char **a = field_array(n, sizeof *a);
        for (size_t i = 0; i < n; i++) {
            a[i] = d->keys[i].s->string;
        }
        *(const char ***) field = a;
        break;
    }
    case OVSDB_FIELD_UUIDS: {
        struct uuid *a = field_array(n, sizeof *a);
        for (size_t i = 0; i < n; i++) {
            a[i] = d->keys[i].uuid;
        }
        *(struct uuid **) field = a;
        break;
    }
    case OVSDB_FIELD_REFS: {
        void **a = field_array(n, sizeof *a);
        size_t n_found = 0;
        for (size_t i = 0; i < n; i++) {
            void *dst = row_resolve(row, column, cc->ref_table,
                                    &d->keys[i].uuid);
            if (dst) {
                a[n_found++] = dst;
            }
        }
        *(void ***) field = a;
        n = n_found;
        break;
    }
    default:
        util_abort("bad array field kind %d", cc->kind);
    }
    *np = n;
}

/* Sets the typed field of 'column' from the row's datum.  Scalar fields
 * of an empty datum (a column whose server lacks it, or an optional value
 * sent by a newer server) read as zero, false, "" or NULL. */
static void
row_parse(struct ovsdb_client_row *row, unsigned int column)
{
    const struct ovsdb_client_table_class *tc = row->table->class_;
    if (!tc || column >= tc->n_columns) {
        return;
    }

    const struct ovsdb_client_column_class *cc = &tc->columns[column];
    const struct ovsdb_datum *d = &row->fields[column];
    char *base = (char *) row;
    void *field = base + cc->offset;

    switch (cc->kind) {
    case OVSDB_FIELD_NONE:
        break;
    case OVSDB_FIELD_INTEGER:
        *(int64_t *) field = d->n ? d->keys[0].integer : 0;
        break;
    case OVSDB_FIELD_REAL:
        *(double *) field = d->n ? d->keys[0].real : 0.0;
        break;
    case OVSDB_FIELD_BOOLEAN:
        *(bool *) field = d->n && d->keys[0].boolean;
        break;
    case OVSDB_FIELD_STRING:
        *(const char **) field = d->n ? d->keys[0].s->string : "";
        break;
    case OVSDB_FIELD_OPT_STRING:
        *(const char **) field = d->n ? d->keys[0].s->string : NULL;
        break;
    case OVSDB_FIELD_UUID:
        if (d->n) {
            *(struct uuid *) field = d->keys[0].uuid;
        } else {
            uuid_zero(field);
        }
        break;
    case OVSDB_FIELD_REF:
        *(void **) field = d->n ? row_resolve(row, column, cc->ref_table,
                                              &d->keys[0].uuid)
                                : NULL;
        break;
    case OVSDB_FIELD_MAP:
        *(const struct ovsdb_datum **) field = d;
        break;
    case OVSDB_FIELD_INTEGERS:
    case OVSDB_FIELD_REALS:
    case OVSDB_FIELD_BOOLEANS:
    case OVSDB_FIELD_STRINGS:
    case OVSDB_FIELD_UUIDS:
    case OVSDB_FIELD_REFS:
        parse_array(row, column, cc, field, (size_t *) (base + cc->n_offset));
        break;
    }
}

/* Frees what row_parse() allocated for 'column' and drops its arcs. */
static void
row_unparse(struct ovsdb_client_row *row, unsigned int column)
{
    const struct ovsdb_client_table_class *tc = row->table->class_;
    if (!tc || column >= tc->n_columns) {
        return;
    }

    const struct ovsdb_client_column_class *cc = &tc->columns[column];
    char *base = (char *) row;
    switch (cc->kind) {
    case OVSDB_FIELD_REF:
        row_drop_column_arcs(row, column);
        *(void **) (base + cc->offset) = NULL;
        break;
    case OVSDB_FIELD_REFS:
        row_drop_column_arcs(row, column);
        OVS_FALLTHROUGH;
    case OVSDB_FIELD_INTEGERS:
    case OVSDB_FIELD_REALS:
    case OVSDB_FIELD_BOOLEANS:
    case OVSDB_FIELD_STRINGS:
    case OVSDB_FIELD_UUIDS:
        free(*(void **) (base + cc->offset));
        *(void **) (base + cc->offset) = NULL;
        *(size_t *) (base + cc->n_offset) = 0;
        break;
    case OVSDB_FIELD_NONE:
    case OVSDB_FIELD_INTEGER:
    case OVSDB_FIELD_REAL:
    case OVSDB_FIELD_BOOLEAN:
    case OVSDB_FIELD_STRING:
    case OVSDB_FIELD_OPT_STRING:
    case OVSDB_FIELD_UUID:
    case OVSDB_FIELD_MAP:
        break;
    }
}

static void
row_reparse(struct ovsdb_client_row *row, unsigned int column)
{
    row_unparse(row, column);
    row_parse(row, column);
}

/* Rows. */

/* Gives 'row', whose contents just changed, a new 'seqno'. */
static void
row_note_change(struct ovsdb_client_row *row)
{
    row->seqno = ++row->table->db->row_seqno;
    if (row->mark) {
        row->table->n_marked_changes++;
    }
}

static struct ovsdb_client_row *
row_alloc(struct ovsdb_client_table *table, const struct uuid *uuid)
{
    const struct ovsdb_table_schema *ts = table->schema;
    size_t size = table->class_ ? table->class_->row_size
                                : sizeof(struct ovsdb_client_row);
    struct ovsdb_client_row *row = xzalloc(MAX(size, sizeof *row));

    row->uuid = *uuid;
    row->table = table;
    row->seqno = ++table->db->row_seqno;
    row->fields = xmalloc(ts->n_columns * sizeof *row->fields);
    ovsdb_datum_init_uuid(&row->fields[OVSDB_COL_UUID], uuid);
    for (size_t i = OVSDB_COL_UUID + 1; i < ts->n_columns; i++) {
        ovsdb_datum_init_default(&row->fields[i], &ts->columns[i]->type);
    }
    list_init(&row->src_arcs);
    list_init(&row->track_node);
    list_init(&row->reparse_node);
    return row;
}

static void
row_parse_all(struct ovsdb_client_row *row)
{
    for (size_t i = 0; i < row->table->schema->n_columns; i++) {
        row_parse(row, i);
    }
}

struct ovsdb_client_row *
client_row_create(struct ovsdb_client_table *table, const struct uuid *uuid)
{
    struct ovsdb_client_row *row = row_alloc(table, uuid);
    row_parse_all(row);
    return row;
}

void
client_row_link(struct ovsdb_client_row *row)
{
    ASSERT(!row->live);
    hmap_insert(&row->table->rows, &row->hmap_node, uuid_hash(&row->uuid));
    row->live = true;
    reparse_referrers(row->table->db, &row->uuid);
}

void
client_row_unlink(struct ovsdb_client_row *row)
{
    ASSERT(row->live);
    hmap_remove(&row->table->rows, &row->hmap_node);
    row->live = false;
    if (row->mark) {
        row->table->n_marked_changes++;
    }
    reparse_referrers(row->table->db, &row->uuid);
}

static void
row_free_tracking(struct ovsdb_client_row *row)
{
    if (row->old) {
        for (size_t i = 0; i < row->table->schema->n_columns; i++) {
            ovsdb_datum_destroy(&row->old[i],
                                &row->table->schema->columns[i]->type);
        }
        free(row->old);
        row->old = NULL;
    }
    free(row->changed);
    row->changed = NULL;
}

void
client_row_free(struct ovsdb_client_row *row)
{
    if (!row) {
        return;
    }
    const struct ovsdb_table_schema *ts = row->table->schema;
    for (size_t i = 0; i < ts->n_columns; i++) {
        row_unparse(row, i);
        ovsdb_datum_destroy(&row->fields[i], &ts->columns[i]->type);
    }
    client_row_drop_arcs(row);
    row_free_tracking(row);
    if (!list_is_empty(&row->reparse_node)) {
        list_remove(&row->reparse_node);
    }
    free(row->fields);
    free(row);
}

void
client_row_swap_column(struct ovsdb_client_row *row, unsigned int column,
                       struct ovsdb_datum *datum)
{
    ovsdb_datum_swap(&row->fields[column], datum);
    row_note_change(row);
    row_reparse(row, column);
}

/* Change tracking. */

static void
track(struct ovsdb_client_row *row, enum ovsdb_client_change change)
{
    if (row->change == OVSDB_CLIENT_UNCHANGED) {
        list_push_back(&row->table->track_list, &row->track_node);
    }
    row->change = change;
}

/* Records that 'column' of 'row' is about to lose value 'old'.  Returns
 * true if tracking took ownership of 'old'. */
static bool
track_modify(struct ovsdb_client_row *row, unsigned int column,
             struct ovsdb_datum *old)
{
    size_t n = row->table->schema->n_columns;

    if (!row->table->db->tracking
        || row->change == OVSDB_CLIENT_INSERTED) {
        return false;
    }
    if (row->change == OVSDB_CLIENT_UNCHANGED) {
        track(row, OVSDB_CLIENT_MODIFIED);
        row->changed = client_bitmap_alloc(n);
        row->old = xmalloc(n * sizeof *row->old);
        for (size_t i = 0; i < n; i++) {
            ovsdb_datum_init_empty(&row->old[i]);
        }
    }
    if (client_bitmap_is_set(row->changed, column)) {
        /* Keep the value from before the first change since the clear. */
        return false;
    }
    client_bitmap_set(row->changed, column);
    row->old[column] = *old;
    return true;
}

/* Replaces the value of 'column' by '*new' (taking ownership), recording
 * the change if the value differs. */
static void
row_change_column(struct ovsdb_client_row *row, unsigned int column,
                  struct ovsdb_datum *new)
{
    const struct ovsdb_type *type = &row->table->schema->columns[column]->type;

    if (ovsdb_datum_equals(&row->fields[column], new, type)) {
        ovsdb_datum_destroy(new, type);
        return;
    }
    struct ovsdb_datum old = row->fields[column];
    row->fields[column] = *new;
    row_note_change(row);
    row_reparse(row, column);
    if (!track_modify(row, column, &old)) {
        ovsdb_datum_destroy(&old, type);
    }
    row->table->db->changed = true;
}

static void
row_delete(struct ovsdb_client_row *row)
{
    struct ovsdb_client_db *db = row->table->db;

    client_row_unlink(row);
    client_row_drop_arcs(row);
    db->changed = true;
    if (!db->tracking) {
        client_row_free(row);
    } else if (row->change == OVSDB_CLIENT_INSERTED) {
        /* Inserted and deleted since the last clear: nothing to report. */
        list_remove(&row->track_node);
        client_row_free(row);
    } else {
        track(row, OVSDB_CLIENT_DELETED);
    }
}

void
client_db_clear_tracked(struct ovsdb_client_db *db)
{
    for (size_t i = 0; i < db->n_tables; i++) {
        struct ovsdb_client_row *row;
        LIST_FOR_EACH_POP (row, track_node, &db->tables[i]->track_list) {
            list_init(&row->track_node);
            if (row->change == OVSDB_CLIENT_DELETED) {
                client_row_free(row);
            } else {
                row->change = OVSDB_CLIENT_UNCHANGED;
                row_free_tracking(row);
            }
        }
    }
}

bool
client_db_has_tracked(const struct ovsdb_client_db *db)
{
    for (size_t i = 0; i < db->n_tables; i++) {
        if (!list_is_empty(&db->tables[i]->track_list)) {
            return true;
        }
    }
    return false;
}

void
client_db_clear_rows(struct ovsdb_client_db *db)
{
    client_db_clear_tracked(db);

    /* Drop every arc at once, group by group. */
    struct client_arc_group *g;
    HMAP_FOR_EACH_POP (g, node, &db->arcs) {
        struct ovsdb_client_arc *arc;
        LIST_FOR_EACH_POP (arc, dst_node, &g->arcs) {
            list_remove(&arc->src_node);
            free(arc);
        }
        free(g);
    }

    for (size_t i = 0; i < db->n_tables; i++) {
        struct ovsdb_client_row *row;
        HMAP_FOR_EACH_POP (row, hmap_node, &db->tables[i]->rows) {
            row->live = false;
            if (row->mark) {
                db->tables[i]->n_marked_changes++;
            }
            client_row_free(row);
        }
    }
}

/* Parsing updates. */

/* Parses the value of column 'name' from 'json' into '*datum'.  Returns the
 * column's index, or -1 (with a log message) if the column is unknown or
 * the value does not parse. */
static int
parse_column(const struct ovsdb_client_table *table, const char *name,
             const struct json *json, struct ovsdb_datum *datum)
{
    const struct ovsdb_column *column
        = ovsdb_table_schema_get_column(table->schema, name);
    if (!column || column->index == OVSDB_COL_UUID) {
        return -1;
    }

    struct ovsdb_error *error = ovsdb_datum_from_json(
        datum, &table->diff_types[column->index], json, NULL);
    if (error) {
        char *s = ovsdb_error_to_string_free(error);
        VLOG_WARN_RL(&rl, "%s: bad value for column %s.%s: %s",
                     table->db->name, table->schema->name, name, s);
        free(s);
        return -1;
    }
    string_pool_datum(&table->db->strings, datum,
                      &table->diff_types[column->index]);
    return column->index;
}

/* Sets the columns that 'json', a <row>, names; other columns keep their
 * values (an "update" notification's "new" row of a modify). */
static void
row_set_columns(struct ovsdb_client_row *row, const struct json *json)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, json->object) {
        struct ovsdb_datum d;
        int idx = parse_column(row->table, node->name, node->data, &d);
        if (idx >= 0) {
            row_change_column(row, idx, &d);
        }
    }
}

/* Sets every monitored column of 'row' from 'json', a full <row> in which
 * omitted columns have their default values. */
static void
row_set_full(struct ovsdb_client_row *row, const struct json *json)
{
    const struct ovsdb_table_schema *ts = row->table->schema;

    for (size_t i = OVSDB_N_STD_COLUMNS; i < ts->n_columns; i++) {
        if (row->table->present[i] && !shash_find(json->object,
                                                  ts->columns[i]->name)) {
            struct ovsdb_datum d;
            ovsdb_datum_init_default(&d, &ts->columns[i]->type);
            row_change_column(row, i, &d);
        }
    }
    row_set_columns(row, json);
}

/* Inserts row 'uuid' into 'table' from <row> 'json'.  If 'fresh' (the
 * table was empty when the update began), the row cannot exist yet. */
static void
row_insert(struct ovsdb_client_table *table, const struct uuid *uuid,
           const struct json *json, bool fresh)
{
    struct ovsdb_client_row *row = fresh ? NULL
                                         : table_find_live(table, uuid);
    struct shash_node *node;

    if (row) {
        /* Seen again in a full reload, or a server that re-sent an insert:
         * bring it up to date and report only what differs. */
        row->stale = false;
        row_set_full(row, json);
        return;
    }

    row = row_alloc(table, uuid);
    SHASH_FOR_EACH (node, json->object) {
        struct ovsdb_datum d;
        int idx = parse_column(table, node->name, node->data, &d);
        if (idx >= 0) {
            const struct ovsdb_type *type = &table->schema->columns[idx]->type;
            ovsdb_datum_swap(&row->fields[idx], &d);
            ovsdb_datum_destroy(&d, type);
        }
    }
    row_parse_all(row);
    if (table->db->tracking) {
        track(row, OVSDB_CLIENT_INSERTED);
    }
    client_row_link(row);
    table->db->changed = true;
}

/* Computes the new value of a column from its old value and an update2
 * diff (see the table at the top of the file). */
static void
apply_diff(struct ovsdb_datum *result, const struct ovsdb_datum *old,
           struct ovsdb_datum *diff, const struct ovsdb_type *type)
{
    if (type->n_max == 1) {
        *result = *diff;
        ovsdb_datum_init_empty(diff);
    } else {
        ovsdb_datum_clone(result, old, type);
        ovsdb_datum_apply_diff(result, diff, type);
    }
}

static void
row_modify2(struct ovsdb_client_row *row, const struct json *json)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, json->object) {
        struct ovsdb_datum diff, new;
        int idx = parse_column(row->table, node->name, node->data, &diff);
        if (idx < 0) {
            continue;
        }
        const struct ovsdb_type *type = &row->table->schema->columns[idx]->type;
        apply_diff(&new, &row->fields[idx], &diff, type);
        ovsdb_datum_destroy(&diff, type);
        row_change_column(row, idx, &new);
    }
}

static void
note_inconsistency(struct ovsdb_client_table *table, const struct uuid *uuid,
                   const char *what)
{
    VLOG_WARN_RL(&rl, "%s: cannot %s missing row "UUID_FMT" in table %s",
                 table->db->name, what, UUID_ARGS(uuid), table->schema->name);
    table->db->inconsistent = true;
}

static struct ovsdb_error *
apply_row_update2(struct ovsdb_client_table *table, const struct uuid *uuid,
                  const struct json *json, bool fresh)
{
    if (json->type != JSON_OBJECT || shash_count(json->object) != 1) {
        return ovsdb_syntax_error(json, NULL, "<row-update2> must be an "
                                  "object with one member");
    }
    struct shash_node *node = shash_first(json->object);
    const struct json *row_json = node->data;
    struct ovsdb_client_row *row = fresh ? NULL
                                         : table_find_live(table, uuid);

    if (!strcmp(node->name, "delete")) {
        if (row) {
            row_delete(row);
        }
        return NULL;
    }
    if (row_json->type != JSON_OBJECT) {
        return ovsdb_syntax_error(json, NULL, "<row> must be an object");
    }
    if (!strcmp(node->name, "initial") || !strcmp(node->name, "insert")) {
        row_insert(table, uuid, row_json, fresh);
    } else if (!strcmp(node->name, "modify")) {
        if (row) {
            row_modify2(row, row_json);
        } else {
            note_inconsistency(table, uuid, "modify");
        }
    } else {
        return ovsdb_syntax_error(json, NULL, "unknown <row-update2> "
                                  "member %s", node->name);
    }
    return NULL;
}

static struct ovsdb_error *
apply_row_update1(struct ovsdb_client_table *table, const struct uuid *uuid,
                  const struct json *json, bool fresh)
{
    const struct json *old = json->type == JSON_OBJECT
                                 ? json_object_get(json, "old") : NULL;
    const struct json *new = json->type == JSON_OBJECT
                                 ? json_object_get(json, "new") : NULL;
    struct ovsdb_client_row *row = fresh ? NULL
                                         : table_find_live(table, uuid);

    if (json->type != JSON_OBJECT || (old && old->type != JSON_OBJECT)
        || (new && new->type != JSON_OBJECT) || (!old && !new)) {
        return ovsdb_syntax_error(json, NULL, "bad <row-update>");
    }
    if (!new) {
        if (row) {
            row_delete(row);
        }
    } else if (!old) {
        row_insert(table, uuid, new, fresh);
    } else if (row) {
        row_set_columns(row, new);
    } else {
        note_inconsistency(table, uuid, "modify");
    }
    return NULL;
}

static void
mark_all_stale(struct ovsdb_client_db *db, bool stale)
{
    for (size_t i = 0; i < db->n_tables; i++) {
        struct ovsdb_client_row *row;
        HMAP_FOR_EACH (row, hmap_node, &db->tables[i]->rows) {
            row->stale = stale;
        }
    }
}

static void
delete_stale(struct ovsdb_client_db *db)
{
    for (size_t i = 0; i < db->n_tables; i++) {
        struct ovsdb_client_row *row;
        HMAP_FOR_EACH_SAFE (row, hmap_node, &db->tables[i]->rows) {
            if (row->stale) {
                row_delete(row);
            }
        }
    }
}

/* Frees the JSON of a row just applied, unless someone else holds it: its
 * strings now live on in the replica's atoms (they share them by
 * reference), the rest is garbage.  Freeing row by row, rather than the
 * whole update at the end, lets the replica's new rows reuse the memory,
 * so a big update does not exist twice, as a tree and as rows.  The
 * member stays, as null, so the tree remains valid for error messages. */
static void
consume(struct shash_node *member, struct json *null)
{
    struct json *json = member->data;

    if (json->count == 1) {
        json_destroy(json);
        member->data = json_clone(null);
    }
}

static struct ovsdb_error *
apply_table_update(struct ovsdb_client_table *table, struct json *json,
                   int version, struct json *null)
{
    struct shash_node *node;
    /* Each row appears once in a <table-update> (an object): in a table
     * empty at the start, no row is found, so none is looked for (a
     * lookup per row costs a tenth of a first load of a big table). */
    bool fresh = hmap_is_empty(&table->rows);

    if (json->type != JSON_OBJECT) {
        return ovsdb_syntax_error(json, NULL, "<table-update> for table %s "
                                  "must be an object", table->schema->name);
    }
    SHASH_FOR_EACH (node, json->object) {
        struct ovsdb_error *error;
        struct uuid uuid;

        if (!uuid_from_string(&uuid, node->name)) {
            return ovsdb_syntax_error(json, NULL, "\"%s\" is not a valid "
                                      "UUID", node->name);
        }
        error = version == 1
                ? apply_row_update1(table, &uuid, node->data, fresh)
                : apply_row_update2(table, &uuid, node->data, fresh);
        if (error) {
            return error;
        }
        consume(node, null);
    }
    return NULL;
}

struct ovsdb_error *
client_db_apply_updates(struct ovsdb_client_db *db, struct json *json,
                        int version, bool reload)
{
    struct ovsdb_error *error = NULL;
    struct shash_node *node;
    struct json *null;

    if (json->type != JSON_OBJECT) {
        return ovsdb_syntax_error(json, NULL, "<table-updates> must be an "
                                  "object");
    }
    if (reload) {
        mark_all_stale(db, true);
    }
    db->defer_reparse = true;
    null = json_null_create();
    SHASH_FOR_EACH (node, json->object) {
        struct ovsdb_client_table *table
            = shash_find_data(&db->tables_by_name, node->name);
        if (!table) {
            VLOG_WARN_RL(&rl, "%s: update for unknown table %s", db->name,
                         node->name);
            continue;
        }
        error = apply_table_update(table, node->data, version, null);
        if (error) {
            break;
        }
    }
    json_destroy(null);
    if (reload) {
        if (error) {
            mark_all_stale(db, false);
        } else {
            delete_stale(db);
        }
    }
    db->defer_reparse = false;
    flush_reparse(db);
    return error;
}

/* Public accessors. */

static const struct ovsdb_client_row *
skip_txn_deleted(const struct ovsdb_client_table *table,
                 const struct hmap_node *node)
{
    while (node) {
        const struct ovsdb_client_row *row
            = CONTAINER_OF(node, struct ovsdb_client_row, hmap_node);
        if (!row->txn_row || !client_txn_row_is_deleted(row->txn_row)) {
            return row;
        }
        node = hmap_next(&table->rows, node);
    }
    return NULL;
}

const struct ovsdb_client_row *
ovsdb_client_table_first(const struct ovsdb_client_table *table)
{
    return table ? skip_txn_deleted(table, hmap_first(&table->rows)) : NULL;
}

const struct ovsdb_client_row *
ovsdb_client_table_next(const struct ovsdb_client_row *row)
{
    return skip_txn_deleted(row->table,
                            hmap_next(&row->table->rows, &row->hmap_node));
}

const struct ovsdb_client_row *
ovsdb_client_table_find(const struct ovsdb_client_table *table,
                        const struct uuid *uuid)
{
    const struct ovsdb_client_row *row
        = table ? table_find_live(table, uuid) : NULL;
    if (row && row->txn_row && client_txn_row_is_deleted(row->txn_row)) {
        return NULL;
    }
    return row;
}

size_t
ovsdb_client_table_count(const struct ovsdb_client_table *table)
{
    return table ? hmap_count(&table->rows) : 0;
}

const struct ovsdb_datum *
ovsdb_client_row_get(const struct ovsdb_client_row *row, unsigned int index)
{
    ASSERT(index < row->table->schema->n_columns);
    return &row->fields[index];
}

const struct ovsdb_datum *
ovsdb_client_row_get_by_name(const struct ovsdb_client_row *row,
                             const char *column)
{
    const struct ovsdb_column *c
        = ovsdb_table_schema_get_column(row->table->schema, column);
    return c ? &row->fields[c->index] : NULL;
}

const struct ovsdb_type *
ovsdb_client_row_get_type(const struct ovsdb_client_row *row,
                          unsigned int index)
{
    ASSERT(index < row->table->schema->n_columns);
    return &row->table->schema->columns[index]->type;
}

bool
ovsdb_client_row_is_new(const struct ovsdb_client_row *row)
{
    return row->change == OVSDB_CLIENT_INSERTED;
}

bool
ovsdb_client_row_is_deleted(const struct ovsdb_client_row *row)
{
    return row->change == OVSDB_CLIENT_DELETED;
}

bool
ovsdb_client_row_is_updated(const struct ovsdb_client_row *row,
                            unsigned int index)
{
    switch (row->change) {
    case OVSDB_CLIENT_INSERTED:
        return true;
    case OVSDB_CLIENT_MODIFIED:
        return client_bitmap_is_set(row->changed, index);
    case OVSDB_CLIENT_UNCHANGED:
    case OVSDB_CLIENT_DELETED:
    default:
        return false;
    }
}

const struct ovsdb_datum *
ovsdb_client_row_get_old(const struct ovsdb_client_row *row,
                         unsigned int index)
{
    if (row->change == OVSDB_CLIENT_MODIFIED
        && client_bitmap_is_set(row->changed, index)) {
        return &row->old[index];
    }
    return ovsdb_client_row_get(row, index);
}

const char *
ovsdb_client_smap_get(const struct ovsdb_datum *map, const char *key)
{
    unsigned int low = 0, high = map ? map->n : 0;

    /* Binary search by strcmp(), the order datums keep string keys in. */
    while (low < high) {
        unsigned int mid = low + (high - low) / 2;
        int cmp = strcmp(key, map->keys[mid].s->string);
        if (cmp < 0) {
            high = mid;
        } else if (cmp > 0) {
            low = mid + 1;
        } else {
            return map->values ? map->values[mid].s->string : NULL;
        }
    }
    return NULL;
}
