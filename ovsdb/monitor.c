#include "ovsdb/monitor.h"

#include <string.h>
#include "hash.h"
#include "hmap.h"
#include "json.h"
#include "list.h"
#include "uuid.h"
#include "ovsdb/condition.h"
#include "ovsdb/datum.h"
#include "ovsdb/error.h"
#include "ovsdb/row.h"
#include "ovsdb/schema.h"
#include "ovsdb/txn.h"

#define ULONG_BITS (sizeof(unsigned long) * 8)

/* The history never needs to hold more row changes than the database has
 * rows (a full resynchronization is then cheaper), except for this many. */
#define HISTORY_MIN_ROWS 1000

/* Kinds of row updates; also the "select" flags of a request. */
enum {
    MON_INITIAL = 1 << 0,
    MON_INSERT = 1 << 1,
    MON_DELETE = 1 << 2,
    MON_MODIFY = 1 << 3,
    MON_ALL = MON_INITIAL | MON_INSERT | MON_DELETE | MON_MODIFY,
};

/* A transaction's row updates come in three kinds: the slots of a shape's
 * per-row JSON cache. */
#define N_TXN_KINDS 3

static size_t
txn_kind_slot(unsigned int kind)
{
    return kind == MON_INSERT ? 0 : kind == MON_DELETE ? 1 : 2;
}

/* One monitored column. */
struct mon_column {
    const struct ovsdb_column *column;
    unsigned int select;            /* MON_* kinds whose rows include it. */
};

/* What a monitor wants of one table, apart from which rows. */
struct mon_table {
    const struct ovsdb_table *table;
    struct mon_column *columns;     /* Sorted by column index. */
    size_t n_columns;
    unsigned int select;            /* MON_* kinds of row updates sent. */
};

/* Which rows of one table a monitor wants. */
struct mon_cond {
    bool all;                       /* Every row? */
    struct ovsdb_condition cond;    /* If not, rows matching any clause. */
};

/* The requests of monitors that differ at most in their conditions.
 * Monitors of one shape share the JSON this module builds. */
struct mon_shape {
    struct hmap_node hmap_node;     /* In hub->shapes. */
    bool v1;                        /* <table-updates>, not update2. */
    struct mon_table *tables;       /* Sorted by table name. */
    size_t n_tables;
    size_t n_refs;                  /* Monitors using this shape. */

    /* Caches, emptied whenever a transaction is delivered. */
    bool has_update;                /* 'update' computed? */
    struct json *update;            /* Update for every row, or NULL. */
    struct json **row_jsons;        /* N_TXN_KINDS per record row. */
    size_t n_row_jsons;
    struct json *initial;           /* Initial contents for every row. */
};

/* One row changed by a committed transaction. */
struct mon_row {
    struct uuid uuid;
    struct ovsdb_row *old;          /* The row before (a reference to the
                                     * committed row), or NULL. */
    struct ovsdb_row *new;          /* The row after, or NULL. */
    unsigned long *changed;         /* Changed columns if 'old' and 'new'. */
};

/* The rows of one table in a record: a slice of its 'rows'. */
struct mon_txn_table {
    const struct ovsdb_table *table;
    size_t start;
    size_t n;
};

/* A record of one committed transaction. */
struct mon_txn {
    struct list node;               /* In hub->history. */
    struct uuid txn_id;
    struct uuid prev_txn_id;        /* The commit just before this one. */
    uint64_t n_commits;             /* db->n_commits before the commit. */
    struct mon_row *rows;           /* Grouped by table. */
    size_t n_rows;
    struct mon_txn_table *tables;
    size_t n_tables;
};

struct ovsdb_monitor_hub {
    struct ovsdb_observer observer; /* Registered with 'db'. */
    struct ovsdb *db;
    struct list monitors;           /* Of struct ovsdb_monitor. */
    struct hmap shapes;             /* Of struct mon_shape. */
    struct list history;            /* Of struct mon_txn, oldest first. */
    size_t n_history;
    size_t n_history_rows;
    size_t max_history;
    struct mon_txn *tentative;      /* Seen by 'observer', not settled. */
};

/* A notification not yet popped. */
struct mon_pending {
    struct list node;               /* In monitor->pending. */
    struct json *params;
};

struct ovsdb_monitor {
    struct list node;               /* In hub->monitors. */
    struct ovsdb_monitor_hub *hub;  /* NULL once the database is gone. */
    enum ovsdb_monitor_version version;
    struct json *id;
    struct mon_shape *shape;        /* NULL once the database is gone. */
    struct mon_cond *conds;         /* One per shape table. */
    bool conditional;               /* Does some cond exclude rows? */
    struct list pending;            /* Of struct mon_pending. */
    size_t n_pending;
};

/* Conditions. */

static bool
cond_match(const struct mon_cond *mc, const struct ovsdb_row *row)
{
    if (!mc || mc->all) {
        return true;
    }
    for (size_t i = 0; i < mc->cond.n_clauses; i++) {
        const struct ovsdb_clause *c = &mc->cond.clauses[i];
        if (c->column
            && ovsdb_clause_evaluate(&row->fields[c->column->index], c)) {
            return true;
        }
    }
    return false;
}

/* Adds the clauses of the "where" array 'where' to 'mc'; a null 'where'
 * selects every row. */
static struct ovsdb_error *
cond_add_json(struct mon_cond *mc, const struct ovsdb_table_schema *ts,
              const struct json *where)
{
    struct ovsdb_condition *dst = &mc->cond;
    struct ovsdb_condition cond;
    struct ovsdb_error *error;

    if (!where) {
        mc->all = true;
        return NULL;
    }
    error = ovsdb_condition_from_json(ts, where, NULL, &cond);
    if (error || !cond.n_clauses) {
        mc->all = mc->all || !error;
        return error;
    }
    for (size_t i = 0; i < cond.n_clauses; i++) {
        mc->all = mc->all || cond.clauses[i].function == OVSDB_F_TRUE;
    }
    dst->clauses = xrealloc(dst->clauses, (dst->n_clauses + cond.n_clauses)
                                          * sizeof *dst->clauses);
    memcpy(&dst->clauses[dst->n_clauses], cond.clauses,
           cond.n_clauses * sizeof *cond.clauses);
    dst->n_clauses += cond.n_clauses;
    free(cond.clauses);
    return NULL;
}

/* Row JSON. */

static bool
column_changed(const unsigned long *changed, unsigned int idx)
{
    return idx == OVSDB_COL_VERSION
           || (changed[idx / ULONG_BITS] >> (idx % ULONG_BITS)) & 1;
}

/* Returns a bitmap of the columns whose values differ in 'a' and 'b'. */
static unsigned long *
changed_columns(const struct ovsdb_row *a, const struct ovsdb_row *b)
{
    const struct ovsdb_table_schema *ts = a->table->schema;
    unsigned long *changed = xcalloc((ts->n_columns + ULONG_BITS - 1)
                                     / ULONG_BITS, sizeof *changed);

    for (size_t i = OVSDB_N_STD_COLUMNS; i < ts->n_columns; i++) {
        if (!ovsdb_datum_equals(&a->fields[i], &b->fields[i],
                                &ts->columns[i]->type)) {
            changed[i / ULONG_BITS] |= 1UL << (i % ULONG_BITS);
        }
    }
    return changed;
}

/* Did a column that 'mt' monitors for modifications change? */
static bool
modify_selected(const struct mon_table *mt, const unsigned long *changed)
{
    for (size_t i = 0; i < mt->n_columns; i++) {
        const struct mon_column *mc = &mt->columns[i];
        if (mc->select & MON_MODIFY
            && column_changed(changed, mc->column->index)) {
            return true;
        }
    }
    return false;
}

/* Returns a <row> with the columns of 'mt' selected for 'kind' from 'row':
 * only those in 'changed' if it is nonnull, and without default values if
 * 'skip_defaults'. */
static struct json *
row_json(const struct mon_table *mt, unsigned int kind,
         const struct ovsdb_row *row, const unsigned long *changed,
         bool skip_defaults)
{
    struct json *json = json_object_create();

    for (size_t i = 0; i < mt->n_columns; i++) {
        const struct ovsdb_column *c = mt->columns[i].column;
        const struct ovsdb_datum *datum = &row->fields[c->index];

        if (!(mt->columns[i].select & kind)
            || (changed && !column_changed(changed, c->index))
            || (skip_defaults && ovsdb_datum_is_default(datum, &c->type))) {
            continue;
        }
        json_object_put(json, c->name, ovsdb_datum_to_json(datum, &c->type));
    }
    return json;
}

/* Returns the "modify" <row> of update2: the difference of each changed
 * column that 'mt' monitors for modifications. */
static struct json *
modify_json(const struct mon_table *mt, const struct ovsdb_row *old,
            const struct ovsdb_row *new, const unsigned long *changed)
{
    struct json *json = json_object_create();

    for (size_t i = 0; i < mt->n_columns; i++) {
        const struct ovsdb_column *c = mt->columns[i].column;

        if (mt->columns[i].select & MON_MODIFY
            && column_changed(changed, c->index)) {
            json_object_put(json, c->name,
                            ovsdb_datum_diff_to_json(&old->fields[c->index],
                                      &new->fields[c->index], &c->type));
        }
    }
    return json;
}

/* Returns the <row-update> (v1) or <row-update2> of 'kind' for a change
 * from 'old' to 'new'; 'changed' is needed for MON_MODIFY only. */
static struct json *
row_update_json(const struct mon_table *mt, bool v1, unsigned int kind,
                const struct ovsdb_row *old, const struct ovsdb_row *new,
                const unsigned long *changed)
{
    struct json *json = json_object_create();

    if (v1) {
        if (kind == MON_DELETE || kind == MON_MODIFY) {
            json_object_put(json, "old",
                            row_json(mt, kind, old,
                                     kind == MON_MODIFY ? changed : NULL,
                                     false));
        }
        if (kind != MON_DELETE) {
            json_object_put(json, "new", row_json(mt, kind, new, NULL,
                                                  false));
        }
    } else if (kind == MON_DELETE) {
        json_object_put(json, "delete", json_null_create());
    } else if (kind == MON_MODIFY) {
        json_object_put(json, "modify", modify_json(mt, old, new, changed));
    } else {
        json_object_put(json, kind == MON_INITIAL ? "initial" : "insert",
                        row_json(mt, kind, new, NULL, true));
    }
    return json;
}

/* Adds 'row_update' (taking ownership) for row 'uuid' of table 'table' to
 * the <table-updates> '*updates', creating the object if needed. */
static void
put_row_update(struct json **updates, const char *table,
               const struct uuid *uuid, struct json *row_update)
{
    char buf[UUID_LEN + 1];
    struct json *table_json;

    if (!*updates) {
        *updates = json_object_create();
    }
    table_json = json_object_get(*updates, table);
    if (!table_json) {
        table_json = json_object_create();
        json_object_put(*updates, table, table_json);
    }
    json_object_put(table_json, uuid_to_cstr(uuid, buf), row_update);
}

static struct json *
uuid_json(const struct uuid *uuid)
{
    char buf[UUID_LEN + 1];

    return json_string_create(uuid_to_cstr(uuid, buf));
}

/* Transaction records. */

static void
mon_row_init(struct mon_row *r, const struct ovsdb_txn_row *tr)
{
    size_t n_columns = tr->table->schema->n_columns;
    size_t n_longs = (n_columns + ULONG_BITS - 1) / ULONG_BITS;

    r->uuid = tr->uuid;
    r->old = tr->old ? ovsdb_row_ref(tr->old) : NULL;
    r->new = tr->new ? ovsdb_row_ref(tr->new) : NULL;
    r->changed = r->old && r->new
                 ? xmemdup(tr->changed, n_longs * sizeof *tr->changed)
                 : NULL;
}

/* Copies the changes of 'txn', which is being committed. */
static struct mon_txn *
mon_txn_create(const struct ovsdb_txn *txn)
{
    const struct ovsdb_txn_row **trs = txn->rows_by_table;
    struct mon_txn *t = xzalloc(sizeof *t);
    size_t n = txn->n_rows;

    t->txn_id = txn->txn_id;
    t->prev_txn_id = txn->db->last_txn_id;
    t->n_commits = txn->db->n_commits;
    t->rows = xcalloc(n, sizeof *t->rows);
    t->tables = xcalloc(n, sizeof *t->tables);
    for (size_t i = 0; i < n; i++) {
        if (!t->n_tables || t->tables[t->n_tables - 1].table
                            != trs[i]->table) {
            t->tables[t->n_tables++] = (struct mon_txn_table) {
                trs[i]->table, i, 0
            };
        }
        t->tables[t->n_tables - 1].n++;
        mon_row_init(&t->rows[i], trs[i]);
    }
    t->n_rows = n;
    return t;
}

static void
mon_txn_destroy(struct mon_txn *t)
{
    if (!t) {
        return;
    }
    for (size_t i = 0; i < t->n_rows; i++) {
        ovsdb_row_destroy(t->rows[i].old);
        ovsdb_row_destroy(t->rows[i].new);
        free(t->rows[i].changed);
    }
    free(t->rows);
    free(t->tables);
    free(t);
}

static const struct mon_txn_table *
mon_txn_find_table(const struct mon_txn *t, const struct ovsdb_table *table)
{
    for (size_t i = 0; i < t->n_tables; i++) {
        if (t->tables[i].table == table) {
            return &t->tables[i];
        }
    }
    return NULL;
}

/* Composing updates. */

/* Returns the MON_* kind of update that a change from 'old' to 'new'
 * (either may be NULL) is for a monitor of table 'mt' with condition 'mc'
 * (NULL: every row), or 0 if the monitor does not want it. */
static unsigned int
change_kind(const struct mon_table *mt, const struct mon_cond *mc,
            const struct ovsdb_row *old, const struct ovsdb_row *new,
            const unsigned long *changed)
{
    bool was_in = old && cond_match(mc, old);
    bool is_in = new && cond_match(mc, new);
    unsigned int kind = was_in && is_in ? MON_MODIFY
                        : is_in ? MON_INSERT
                        : was_in ? MON_DELETE : 0;

    if (!(kind & mt->select)
        || (kind == MON_MODIFY && !modify_selected(mt, changed))) {
        return 0;
    }
    return kind;
}

/* Returns a new reference to the row update of 'kind' for row 'idx' of
 * record 't' as seen by shape 's', building it on first use. */
static struct json *
shape_row_json(struct mon_shape *s, const struct mon_table *mt,
               const struct mon_txn *t, size_t idx, unsigned int kind)
{
    const struct mon_row *r = &t->rows[idx];
    struct json **slot;

    if (!s->row_jsons) {
        s->n_row_jsons = N_TXN_KINDS * t->n_rows;
        s->row_jsons = xcalloc(s->n_row_jsons, sizeof *s->row_jsons);
    }
    slot = &s->row_jsons[N_TXN_KINDS * idx + txn_kind_slot(kind)];
    if (!*slot) {
        /* Kept as text: a transaction of 150,000 rows would otherwise make
         * an update of millions of small JSON values, built, serialized
         * and freed again (the freeing alone took a quarter of weft-db's
         * time in a northd's first sync). */
        struct json *tree = row_update_json(mt, s->v1, kind, r->old, r->new,
                                            r->changed);
        *slot = json_serialized_create_nocopy(json_to_string(tree, 0));
        json_destroy(tree);
    }
    return json_clone(*slot);
}

/* Returns the <table-updates>(2) of record 't' for shape 's' with
 * conditions 'conds' (NULL: every row), or NULL if there is nothing. */
static struct json *
compose_txn(struct mon_shape *s, const struct mon_cond *conds,
            const struct mon_txn *t)
{
    struct json *updates = NULL;

    for (size_t i = 0; i < s->n_tables; i++) {
        const struct mon_table *mt = &s->tables[i];
        const struct mon_txn_table *tt = mon_txn_find_table(t, mt->table);

        if (!tt) {
            continue;
        }
        for (size_t j = tt->start; j < tt->start + tt->n; j++) {
            const struct mon_row *r = &t->rows[j];
            unsigned int kind = change_kind(mt, conds ? &conds[i] : NULL,
                                            r->old, r->new, r->changed);
            if (kind) {
                put_row_update(&updates, mt->table->schema->name, &r->uuid,
                               shape_row_json(s, mt, t, j, kind));
            }
        }
    }
    return updates;
}

/* Returns a new reference to the update of record 't' for the monitors of
 * shape 's' that want every row, or NULL if there is nothing. */
static struct json *
shape_txn_update(struct mon_shape *s, const struct mon_txn *t)
{
    if (!s->has_update) {
        s->update = compose_txn(s, NULL, t);
        s->has_update = true;
    }
    return s->update ? json_clone(s->update) : NULL;
}

/* Returns the current contents of the tables of 's' that select
 * "initial", restricted by 'conds' (NULL: every row). */
static struct json *
compose_initial(const struct mon_shape *s, const struct mon_cond *conds)
{
    struct json *updates = NULL;

    for (size_t i = 0; i < s->n_tables; i++) {
        const struct mon_table *mt = &s->tables[i];
        const struct ovsdb_row *row;

        if (!(mt->select & MON_INITIAL)) {
            continue;
        }
        OVSDB_TABLE_FOR_EACH_ROW (row, mt->table) {
            if (cond_match(conds ? &conds[i] : NULL, row)) {
                put_row_update(&updates, mt->table->schema->name,
                               ovsdb_row_get_uuid(row),
                               row_update_json(mt, s->v1, MON_INITIAL, NULL,
                                               row, NULL));
            }
        }
    }
    return updates ? updates : json_object_create();
}

static size_t
shape_find_table(const struct mon_shape *s, const struct ovsdb_table *table)
{
    for (size_t i = 0; i < s->n_tables; i++) {
        if (s->tables[i].table == table) {
            return i;
        }
    }
    return SIZE_MAX;
}

/* The net change of one row over several records. */
struct mon_merge {
    struct hmap_node hmap_node;     /* By UUID. */
    const struct ovsdb_table *table;
    const struct mon_row *first;    /* Earliest change: gives 'old'. */
    const struct mon_row *last;     /* Latest change: gives 'new'. */
};

/* Adds change 'r' to table 'table' to 'merged'. */
static void
merge_row(struct hmap *merged, const struct ovsdb_table *table,
          const struct mon_row *r)
{
    uint32_t hash = uuid_hash(&r->uuid);
    struct mon_merge *mm;

    HMAP_FOR_EACH_WITH_HASH (mm, hmap_node, hash, merged) {
        if (mm->table == table && uuid_equals(&mm->first->uuid, &r->uuid)) {
            mm->last = r;
            return;
        }
    }
    mm = xmalloc(sizeof *mm);
    mm->table = table;
    mm->first = mm->last = r;
    hmap_insert(merged, &mm->hmap_node, hash);
}

/* Merges into 'merged' the changes that records from 'start' to the end of
 * the history made to the tables of 's'. */
static void
merge_history(const struct ovsdb_monitor_hub *hub, const struct list *start,
              const struct mon_shape *s, struct hmap *merged)
{
    for (const struct list *n = start; n != &hub->history; n = n->next) {
        const struct mon_txn *t = CONTAINER_OF(n, struct mon_txn, node);

        for (size_t i = 0; i < t->n_tables; i++) {
            const struct mon_txn_table *tt = &t->tables[i];
            if (shape_find_table(s, tt->table) == SIZE_MAX) {
                continue;
            }
            for (size_t j = tt->start; j < tt->start + tt->n; j++) {
                merge_row(merged, tt->table, &t->rows[j]);
            }
        }
    }
}

/* Returns the <table-updates2> for monitor 'm' of the changes that the
 * history holds from 'start' on, merged into one update per row. */
static struct json *
compose_since(const struct ovsdb_monitor *m, const struct list *start)
{
    struct hmap merged = HMAP_INITIALIZER(&merged);
    struct json *updates = NULL;
    struct mon_merge *mm;

    merge_history(m->hub, start, m->shape, &merged);
    HMAP_FOR_EACH_POP (mm, hmap_node, &merged) {
        size_t i = shape_find_table(m->shape, mm->table);
        const struct mon_table *mt = &m->shape->tables[i];
        const struct ovsdb_row *old = mm->first->old, *new = mm->last->new;
        unsigned long *changed = old && new ? changed_columns(old, new)
                                            : NULL;
        unsigned int kind = change_kind(mt, &m->conds[i], old, new, changed);

        if (kind) {
            put_row_update(&updates, mt->table->schema->name,
                           &mm->first->uuid,
                           row_update_json(mt, false, kind, old, new,
                                           changed));
        }
        free(changed);
        free(mm);
    }
    hmap_destroy(&merged);
    return updates ? updates : json_object_create();
}

/* Parsing requests. */

static struct ovsdb_error *
check_members(const struct json *json, const char *const *allowed,
              const char *what)
{
    struct shash_node *node;

    if (json->type != JSON_OBJECT) {
        return ovsdb_syntax_error(json, NULL, "%s must be an object", what);
    }
    SHASH_FOR_EACH (node, json->object) {
        const char *const *p = allowed;
        while (*p && strcmp(*p, node->name)) {
            p++;
        }
        if (!*p) {
            return ovsdb_syntax_error(json, NULL, "%s has unknown member "
                                      "\"%s\"", what, node->name);
        }
    }
    return NULL;
}

static struct ovsdb_error *
parse_select(const struct json *json, unsigned int *select)
{
    static const char *const kinds[] = {
        "initial", "insert", "delete", "modify", NULL
    };
    struct ovsdb_error *error;
    struct shash_node *node;

    *select = MON_ALL;
    if (!json) {
        return NULL;
    }
    error = check_members(json, kinds, "select");
    if (error) {
        return error;
    }
    SHASH_FOR_EACH (node, json->object) {
        const struct json *value = node->data;
        size_t i = 0;

        if (value->type != JSON_TRUE && value->type != JSON_FALSE) {
            return ovsdb_syntax_error(json, NULL, "select member \"%s\" "
                                      "must be a boolean", node->name);
        }
        while (strcmp(kinds[i], node->name)) {
            i++;
        }
        if (value->type == JSON_FALSE) {
            *select &= ~(1u << i);
        }
    }
    return NULL;
}

/* Adds the columns named by 'json' (NULL: all but _uuid and _version) to
 * 'mt' with flags 'select'. */
static struct ovsdb_error *
add_columns(struct mon_table *mt, const struct json *json,
            unsigned int select)
{
    const struct ovsdb_table_schema *ts = mt->table->schema;
    struct ovsdb_column_set set;
    struct ovsdb_error *error = NULL;

    if (json) {
        error = ovsdb_column_set_from_json(json, ts, &set);
        if (error) {
            return error;
        }
    } else {
        ovsdb_column_set_init(&set);
        for (size_t i = OVSDB_N_STD_COLUMNS; i < ts->n_columns; i++) {
            ovsdb_column_set_add(&set, ts->columns[i]);
        }
    }
    mt->columns = xrealloc(mt->columns, (mt->n_columns + set.n_columns)
                                        * sizeof *mt->columns);
    for (size_t i = 0; i < set.n_columns && !error; i++) {
        for (size_t j = 0; j < mt->n_columns; j++) {
            if (mt->columns[j].column == set.columns[i]) {
                error = ovsdb_syntax_error(json, NULL, "column %s "
                                           "mentioned more than once",
                                           set.columns[i]->name);
                break;
            }
        }
        mt->columns[mt->n_columns++] = (struct mon_column) {
            set.columns[i], select
        };
    }
    ovsdb_column_set_destroy(&set);
    return error;
}

/* Parses one <monitor-request> or <monitor-cond-request> for table 'mt'
 * into 'mt' and 'mc'. */
static struct ovsdb_error *
parse_request(const struct json *req, bool v1, struct mon_table *mt,
              struct mon_cond *mc)
{
    static const char *const v1_members[] = { "columns", "select", NULL };
    static const char *const v2_members[] = {
        "columns", "where", "select", NULL
    };
    struct ovsdb_error *error;
    unsigned int select;

    error = check_members(req, v1 ? v1_members : v2_members,
                          "monitor request");
    if (!error) {
        error = parse_select(json_object_get(req, "select"), &select);
    }
    if (!error) {
        error = add_columns(mt, json_object_get(req, "columns"), select);
    }
    if (!error) {
        error = cond_add_json(mc, mt->table->schema,
                              v1 ? NULL : json_object_get(req, "where"));
    }
    if (!error) {
        mt->select |= select;
    }
    return error;
}

/* Parses 'json', one request or an array of them, for table 'mt'. */
static struct ovsdb_error *
parse_request_array(const struct json *json, bool v1, struct mon_table *mt,
                    struct mon_cond *mc)
{
    if (json->type != JSON_ARRAY) {
        return parse_request(json, v1, mt, mc);
    }
    for (size_t i = 0; i < json->array.n; i++) {
        struct ovsdb_error *error = parse_request(json->array.elems[i], v1,
                                                  mt, mc);
        if (error) {
            return error;
        }
    }
    return NULL;
}

static int
compare_columns(const void *a_, const void *b_)
{
    const struct mon_column *a = a_, *b = b_;

    return a->column->index < b->column->index ? -1
           : a->column->index > b->column->index;
}

static void
free_tables(struct mon_table *tables, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(tables[i].columns);
    }
    free(tables);
}

static void
free_conds(struct mon_cond *conds, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ovsdb_condition_destroy(&conds[i].cond);
    }
    free(conds);
}

/* Parses <monitor-requests> (v1) or <monitor-cond-requests> into one
 * table and one condition per table, sorted by table name. */
static struct ovsdb_error *
parse_requests(const struct ovsdb *db, const struct json *requests, bool v1,
               struct mon_table **tablesp, struct mon_cond **condsp,
               size_t *np)
{
    const struct shash_node **nodes;
    struct ovsdb_error *error = NULL;
    size_t n;

    if (!requests || requests->type != JSON_OBJECT) {
        return ovsdb_syntax_error(requests, NULL, "monitor requests must "
                                  "be an object");
    }
    n = shash_count(requests->object);
    nodes = shash_sort(requests->object);
    *tablesp = xcalloc(n, sizeof **tablesp);
    *condsp = xcalloc(n, sizeof **condsp);
    *np = n;
    for (size_t i = 0; i < n && !error; i++) {
        struct mon_table *mt = &(*tablesp)[i];

        mt->table = ovsdb_get_table(db, nodes[i]->name);
        if (!mt->table) {
            error = ovsdb_syntax_error(requests, NULL, "no table named %s",
                                       nodes[i]->name);
            break;
        }
        error = parse_request_array(nodes[i]->data, v1, mt, &(*condsp)[i]);
        if (mt->n_columns > 1) {
            qsort(mt->columns, mt->n_columns, sizeof *mt->columns,
                  compare_columns);
        }
    }
    free(nodes);
    if (error) {
        free_tables(*tablesp, n);
        free_conds(*condsp, n);
    }
    return error;
}

static struct ovsdb_error *
parse_txn_id(const struct json *json, struct uuid *uuid)
{
    uuid_zero(uuid);
    if (json && (json->type != JSON_STRING
                 || !uuid_from_string(uuid, json->string))) {
        return ovsdb_syntax_error(json, NULL, "last-txn-id must be a UUID");
    }
    return NULL;
}

/* Shapes. */

static uint32_t
shape_hash(bool v1, const struct mon_table *tables, size_t n)
{
    uint32_t hash = hash_add(0, v1);

    for (size_t i = 0; i < n; i++) {
        const struct mon_table *mt = &tables[i];
        hash = hash_add64(hash, (uintptr_t) mt->table);
        hash = hash_add(hash, mt->select);
        for (size_t j = 0; j < mt->n_columns; j++) {
            hash = hash_add(hash, mt->columns[j].column->index);
            hash = hash_add(hash, mt->columns[j].select);
        }
    }
    return hash_finish(hash, n);
}

static bool
shape_equals(const struct mon_shape *s, bool v1,
             const struct mon_table *tables, size_t n)
{
    if (s->v1 != v1 || s->n_tables != n) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        const struct mon_table *a = &s->tables[i], *b = &tables[i];
        if (a->table != b->table || a->select != b->select
            || a->n_columns != b->n_columns) {
            return false;
        }
        for (size_t j = 0; j < a->n_columns; j++) {
            if (a->columns[j].column != b->columns[j].column
                || a->columns[j].select != b->columns[j].select) {
                return false;
            }
        }
    }
    return true;
}

/* Returns the shape of 'tables', taking ownership of them. */
static struct mon_shape *
shape_get(struct ovsdb_monitor_hub *hub, bool v1, struct mon_table *tables,
          size_t n)
{
    uint32_t hash = shape_hash(v1, tables, n);
    struct mon_shape *s;

    HMAP_FOR_EACH_WITH_HASH (s, hmap_node, hash, &hub->shapes) {
        if (shape_equals(s, v1, tables, n)) {
            free_tables(tables, n);
            s->n_refs++;
            return s;
        }
    }
    s = xzalloc(sizeof *s);
    s->v1 = v1;
    s->tables = tables;
    s->n_tables = n;
    s->n_refs = 1;
    hmap_insert(&hub->shapes, &s->hmap_node, hash);
    return s;
}

static void
shape_clear_caches(struct mon_shape *s)
{
    for (size_t i = 0; i < s->n_row_jsons; i++) {
        json_destroy(s->row_jsons[i]);
    }
    free(s->row_jsons);
    s->row_jsons = NULL;
    s->n_row_jsons = 0;
    json_destroy(s->update);
    s->update = NULL;
    s->has_update = false;
    json_destroy(s->initial);
    s->initial = NULL;
}

static void
shape_free(struct mon_shape *s)
{
    shape_clear_caches(s);
    free_tables(s->tables, s->n_tables);
    free(s);
}

static void
shape_unref(struct ovsdb_monitor_hub *hub, struct mon_shape *s)
{
    if (!--s->n_refs) {
        hmap_remove(&hub->shapes, &s->hmap_node);
        shape_free(s);
    }
}

/* Monitor internals. */

static void
monitor_update_conditional(struct ovsdb_monitor *m)
{
    m->conditional = false;
    for (size_t i = 0; i < m->shape->n_tables; i++) {
        m->conditional = m->conditional || !m->conds[i].all;
    }
}

/* Queues a notification of 'updates' (taking ownership), which belongs to
 * transaction 'txn_id' (used by update3). */
static void
monitor_push(struct ovsdb_monitor *m, struct json *updates,
             const struct uuid *txn_id)
{
    struct mon_pending *p = xmalloc(sizeof *p);

    p->params = m->version == OVSDB_MONITOR_V3
                ? json_array_create_3(json_clone(m->id), uuid_json(txn_id),
                                      updates)
                : json_array_create_2(json_clone(m->id), updates);
    list_push_back(&m->pending, &p->node);
    m->n_pending++;
}

static struct json *
monitor_initial(struct ovsdb_monitor *m)
{
    struct mon_shape *s = m->shape;

    if (m->conditional) {
        return compose_initial(s, m->conds);
    }
    if (!s->initial) {
        s->initial = compose_initial(s, NULL);
    }
    return json_clone(s->initial);
}

/* Returns the first record of the history that follows transaction
 * 'txn_id' (the list head if it is the latest commit), or NULL if the
 * history does not hold every change since 'txn_id'.  Matching each
 * record's predecessor lets N records serve N + 1 ids and can never skip
 * a commit that the history lacks. */
static const struct list *
hub_find_since(const struct ovsdb_monitor_hub *hub, const struct uuid *txn_id)
{
    const struct mon_txn *t;

    if (uuid_is_zero(txn_id)) {
        return NULL;
    } else if (uuid_equals(txn_id, &hub->db->last_txn_id)) {
        return &hub->history;
    }
    LIST_FOR_EACH (t, node, &hub->history) {
        if (uuid_equals(txn_id, &t->prev_txn_id)) {
            return &t->node;
        }
    }
    return NULL;
}

/* Returns monitor_cond_since's [found, last-txn-id, <table-updates2>]. */
static struct json *
monitor_since_result(struct ovsdb_monitor *m, const struct uuid *since)
{
    const struct list *start = hub_find_since(m->hub, since);
    struct json *updates = start ? compose_since(m, start)
                                 : monitor_initial(m);

    return json_array_create_3(json_boolean_create(start != NULL),
                               uuid_json(&m->hub->db->last_txn_id),
                               updates);
}

/* Detaches 'm' from its hub, which is going away with its database. */
static void
monitor_orphan(struct ovsdb_monitor *m)
{
    free_conds(m->conds, m->shape->n_tables);
    m->conds = NULL;
    m->shape = NULL;
    m->hub = NULL;
}

/* Hubs. */

/* Turns committed record 't' into pending updates for every monitor. */
static void
hub_deliver(struct ovsdb_monitor_hub *hub, const struct mon_txn *t)
{
    struct ovsdb_monitor *m;
    struct mon_shape *s;

    LIST_FOR_EACH (m, node, &hub->monitors) {
        struct json *updates = m->conditional
                               ? compose_txn(m->shape, m->conds, t)
                               : shape_txn_update(m->shape, t);
        if (updates) {
            monitor_push(m, updates, &t->txn_id);
        }
    }
    HMAP_FOR_EACH (s, hmap_node, &hub->shapes) {
        shape_clear_caches(s);
    }
}

static void
hub_trim_history(struct ovsdb_monitor_hub *hub)
{
    size_t max_rows = MAX(ovsdb_count_rows(hub->db), HISTORY_MIN_ROWS);

    while (hub->n_history > hub->max_history
           || (hub->n_history && hub->n_history_rows > max_rows)) {
        struct mon_txn *t = CONTAINER_OF(list_pop_front(&hub->history),
                                         struct mon_txn, node);
        hub->n_history--;
        hub->n_history_rows -= t->n_rows;
        mon_txn_destroy(t);
    }
}

/* Settles the tentative record, whose transaction has finished. */
static void
hub_decide(struct ovsdb_monitor_hub *hub)
{
    struct mon_txn *t = hub->tentative;

    hub->tentative = NULL;
    if (hub->db->n_commits == t->n_commits) {
        /* A later observer aborted the transaction. */
        mon_txn_destroy(t);
        return;
    }
    hub_deliver(hub, t);
    list_push_back(&hub->history, &t->node);
    hub->n_history++;
    hub->n_history_rows += t->n_rows;
    hub_trim_history(hub);
}

static void
hub_settle(struct ovsdb_monitor_hub *hub)
{
    if (hub->tentative && !hub->db->txn) {
        hub_decide(hub);
    }
}

static struct ovsdb_monitor_hub *
hub_cast(struct ovsdb_observer *observer)
{
    return CONTAINER_OF(observer, struct ovsdb_monitor_hub, observer);
}

static struct ovsdb_error *
hub_commit(struct ovsdb_observer *observer, const struct ovsdb_txn *txn,
           bool durable OVS_UNUSED)
{
    struct ovsdb_monitor_hub *hub = hub_cast(observer);

    if (hub->tentative) {
        hub_decide(hub);
    }
    if (!list_is_empty(&hub->monitors) || hub->max_history) {
        hub->tentative = mon_txn_create(txn);
    }
    return NULL;
}

static void
hub_destroy(struct ovsdb_observer *observer)
{
    struct ovsdb_monitor_hub *hub = hub_cast(observer);
    struct ovsdb_monitor *m;
    struct mon_shape *s;
    struct mon_txn *t;

    LIST_FOR_EACH_POP (m, node, &hub->monitors) {
        monitor_orphan(m);
    }
    mon_txn_destroy(hub->tentative);
    LIST_FOR_EACH_POP (t, node, &hub->history) {
        mon_txn_destroy(t);
    }
    HMAP_FOR_EACH_POP (s, hmap_node, &hub->shapes) {
        shape_free(s);
    }
    hmap_destroy(&hub->shapes);
    free(hub);
}

static const struct ovsdb_observer_class hub_class = {
    hub_commit,
    hub_destroy,
};

struct ovsdb_monitor_hub *
ovsdb_monitor_hub_get(struct ovsdb *db)
{
    struct ovsdb_monitor_hub *hub;
    struct ovsdb_observer *observer;

    LIST_FOR_EACH (observer, node, &db->observers) {
        if (observer->class == &hub_class) {
            return hub_cast(observer);
        }
    }
    hub = xzalloc(sizeof *hub);
    hub->observer.class = &hub_class;
    hub->db = db;
    list_init(&hub->monitors);
    hmap_init(&hub->shapes);
    list_init(&hub->history);
    hub->max_history = OVSDB_MONITOR_DEFAULT_HISTORY;
    ovsdb_add_observer(db, &hub->observer);
    return hub;
}

void
ovsdb_monitor_hub_set_max_history(struct ovsdb_monitor_hub *hub, size_t n)
{
    hub_settle(hub);
    hub->max_history = n;
    hub_trim_history(hub);
}

void
ovsdb_monitor_hub_get_stats(const struct ovsdb_monitor_hub *hub,
                            struct ovsdb_monitor_hub_stats *stats)
{
    const struct ovsdb_monitor *m;

    memset(stats, 0, sizeof *stats);
    LIST_FOR_EACH (m, node, &hub->monitors) {
        stats->n_monitors++;
        stats->n_pending += m->n_pending;
    }
    stats->n_shapes = hmap_count(&hub->shapes);
    stats->n_history = hub->n_history;
    stats->n_history_rows = hub->n_history_rows;
    stats->max_history = hub->max_history;
}

/* Monitors. */

struct ovsdb_monitor *
ovsdb_monitor_create(struct ovsdb *db, enum ovsdb_monitor_version version,
                     const struct json *monitor_id,
                     const struct json *requests,
                     const struct json *last_txn_id,
                     struct json **resultp, struct ovsdb_error **errorp)
{
    bool v1 = version == OVSDB_MONITOR_V1;
    struct ovsdb_monitor_hub *hub;
    struct ovsdb_monitor *m;
    struct mon_table *tables = NULL;
    struct mon_cond *conds = NULL;
    struct uuid since;
    size_t n = 0;

    *resultp = NULL;
    *errorp = parse_txn_id(version == OVSDB_MONITOR_V3 ? last_txn_id
                                                       : NULL, &since);
    if (!*errorp) {
        *errorp = parse_requests(db, requests, v1, &tables, &conds, &n);
    }
    if (*errorp) {
        return NULL;
    }

    hub = ovsdb_monitor_hub_get(db);
    hub_settle(hub);
    m = xzalloc(sizeof *m);
    m->hub = hub;
    m->version = version;
    m->id = json_clone(monitor_id);
    m->shape = shape_get(hub, v1, tables, n);
    m->conds = conds;
    monitor_update_conditional(m);
    list_init(&m->pending);
    list_push_back(&hub->monitors, &m->node);

    *resultp = version == OVSDB_MONITOR_V3 ? monitor_since_result(m, &since)
                                           : monitor_initial(m);
    return m;
}

void
ovsdb_monitor_destroy(struct ovsdb_monitor *m)
{
    struct mon_pending *p;

    if (!m) {
        return;
    }
    if (m->hub) {
        list_remove(&m->node);
        free_conds(m->conds, m->shape->n_tables);
        shape_unref(m->hub, m->shape);
    }
    LIST_FOR_EACH_POP (p, node, &m->pending) {
        json_destroy(p->params);
        free(p);
    }
    json_destroy(m->id);
    free(m);
}

struct json *
ovsdb_monitor_pop_update(struct ovsdb_monitor *m)
{
    struct mon_pending *p;
    struct json *params;

    if (m->hub) {
        hub_settle(m->hub);
    }
    if (list_is_empty(&m->pending)) {
        return NULL;
    }
    p = CONTAINER_OF(list_pop_front(&m->pending), struct mon_pending, node);
    params = p->params;
    free(p);
    m->n_pending--;
    return params;
}

size_t
ovsdb_monitor_n_pending(struct ovsdb_monitor *m)
{
    if (m->hub) {
        hub_settle(m->hub);
    }
    return m->n_pending;
}

/* Parses <monitor-cond-update-requests> into 'next', setting 'given[i]'
 * for each table it names. */
static struct ovsdb_error *
parse_cond_updates(const struct ovsdb_monitor *m, const struct json *json,
                   struct mon_cond *next, bool *given)
{
    static const char *const members[] = { "columns", "where", NULL };
    struct shash_node *node;

    if (!json || json->type != JSON_OBJECT) {
        return ovsdb_syntax_error(json, NULL, "monitor-cond-update-requests "
                                  "must be an object");
    }
    SHASH_FOR_EACH (node, json->object) {
        const struct json *reqs = node->data;
        const struct ovsdb_table *table = ovsdb_get_table(m->hub->db,
                                                          node->name);
        size_t i = table ? shape_find_table(m->shape, table) : SIZE_MAX;
        size_t n = reqs->type == JSON_ARRAY ? reqs->array.n : 1;

        if (i == SIZE_MAX) {
            return ovsdb_syntax_error(json, NULL, "no table named %s in "
                                      "monitor", node->name);
        }
        given[i] = true;
        for (size_t j = 0; j < n; j++) {
            const struct json *req = reqs->type == JSON_ARRAY
                                     ? reqs->array.elems[j] : reqs;
            struct ovsdb_error *error = check_members(req, members,
                                                      "monitor-cond-update-"
                                                      "request");
            if (!error && json_object_get(req, "columns")) {
                error = ovsdb_syntax_error(req, NULL, "changing the "
                                           "columns of a monitor is not "
                                           "supported");
            }
            if (!error) {
                error = cond_add_json(&next[i], table->schema,
                                      json_object_get(req, "where"));
            }
            if (error) {
                return error;
            }
        }
    }
    return NULL;
}

/* Returns the rows of the tables in 'given' that enter (as "insert") or
 * leave (as "delete") monitor 'm' when its conditions become 'next'. */
static struct json *
compose_cond_change(const struct ovsdb_monitor *m,
                    const struct mon_cond *next, const bool *given)
{
    struct json *updates = NULL;

    for (size_t i = 0; i < m->shape->n_tables; i++) {
        const struct mon_table *mt = &m->shape->tables[i];
        const struct ovsdb_row *row;

        if (!given[i] || !(mt->select & (MON_INSERT | MON_DELETE))) {
            continue;
        }
        OVSDB_TABLE_FOR_EACH_ROW (row, mt->table) {
            bool was_in = cond_match(&m->conds[i], row);
            bool is_in = cond_match(&next[i], row);
            unsigned int kind = was_in == is_in ? 0
                                : is_in ? MON_INSERT : MON_DELETE;
            if (kind & mt->select) {
                put_row_update(&updates, mt->table->schema->name,
                               ovsdb_row_get_uuid(row),
                               row_update_json(mt, false, kind, row, row,
                                               NULL));
            }
        }
    }
    return updates;
}

struct ovsdb_error *
ovsdb_monitor_cond_change(struct ovsdb_monitor *m, const struct json *new_id,
                          const struct json *requests)
{
    struct ovsdb_error *error;
    struct json *updates;
    struct mon_cond *next;
    bool *given;
    size_t n;

    if (!m->hub) {
        return ovsdb_error("internal error", "monitored database is gone");
    } else if (m->version == OVSDB_MONITOR_V1) {
        return ovsdb_syntax_error(requests, NULL, "monitor_cond_change "
                                  "applies only to conditional monitors");
    }
    n = m->shape->n_tables;
    next = xcalloc(n, sizeof *next);
    given = xcalloc(n, sizeof *given);
    error = parse_cond_updates(m, requests, next, given);
    if (error) {
        free_conds(next, n);
        free(given);
        return error;
    }

    hub_settle(m->hub);
    updates = compose_cond_change(m, next, given);
    for (size_t i = 0; i < n; i++) {
        struct mon_cond tmp = m->conds[i];
        if (given[i]) {
            m->conds[i] = next[i];
            next[i] = tmp;
        }
    }
    free_conds(next, n);
    free(given);
    monitor_update_conditional(m);
    if (new_id) {
        json_destroy(m->id);
        m->id = json_clone(new_id);
    }
    if (updates) {
        monitor_push(m, updates, &m->hub->db->last_txn_id);
    }
    return NULL;
}

const struct json *
ovsdb_monitor_get_id(const struct ovsdb_monitor *m)
{
    return m->id;
}

enum ovsdb_monitor_version
ovsdb_monitor_get_version(const struct ovsdb_monitor *m)
{
    return m->version;
}

struct ovsdb *
ovsdb_monitor_get_db(const struct ovsdb_monitor *m)
{
    return m->hub ? m->hub->db : NULL;
}

const char *
ovsdb_monitor_method(const struct ovsdb_monitor *m)
{
    return m->version == OVSDB_MONITOR_V1 ? "update"
           : m->version == OVSDB_MONITOR_V2 ? "update2" : "update3";
}
