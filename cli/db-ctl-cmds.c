/* The generic database commands of weft-nbctl, weft-sbctl and weft-vsctl
 * (list, find, get, set, add, remove, clear, create, destroy, wait-until,
 * comment) and the lookups they share.  See db-ctl.h. */
#include <ctype.h>
#include <limits.h>
#include <string.h>
#include "ds.h"
#include "json.h"
#include "vlog.h"
#include "ovsdb/client.h"
#include "ovsdb/client-txn.h"
#include "ovsdb/datum.h"
#include "ovsdb/schema.h"
#include "cli/db-ctl-private.h"

VLOG_DEFINE_THIS_MODULE(db_ctl_base);

/* Name matching. */

/* Compares a table or column name 'name' with what the user wrote, 's':
 * 2 if they are equal, 1 if 's' is a prefix of 'name', else 0; case and
 * the difference between '-' and '_' do not matter. */
static int
name_match(const char *name, const char *s)
{
    for (; *s; name++, s++) {
        int a = *name == '-' ? '_' : tolower((unsigned char) *name);
        int b = *s == '-' ? '_' : tolower((unsigned char) *s);
        if (a != b) {
            return 0;
        }
    }
    return *name ? 1 : 2;
}

/* Picks among 'n' names the one 's' names: an exact match, else the only
 * name 's' abbreviates.  Returns its index, or -1 if there is none, or
 * -2 with the sorted candidates in 'ambiguous' if there are several. */
static int
match_names(const char *const *names, size_t n, const char *s,
            struct ds *ambiguous)
{
    int best = -1, best_score = 0, n_best = 0;

    for (size_t i = 0; i < n; i++) {
        int score = names[i] ? name_match(names[i], s) : 0;
        if (score > best_score) {
            best = i;
            best_score = score;
            n_best = 1;
        } else if (score && score == best_score) {
            n_best++;
        }
    }
    if (n_best <= 1) {
        return best;
    }

    const char **matches = xmalloc(n_best * sizeof *matches);
    size_t n_matches = 0;
    for (size_t i = 0; i < n; i++) {
        if (names[i] && name_match(names[i], s) == best_score) {
            matches[n_matches++] = names[i];
        }
    }
    qsort(matches, n_matches, sizeof *matches, str_compare_ptrs);
    for (size_t i = 0; i < n_matches; i++) {
        ds_put_format(ambiguous, "%s%s", i ? ", " : "", matches[i]);
    }
    free(matches);
    return -2;
}

/* Finds the table of 'ctx''s schema named 's' (or uniquely abbreviated). */
const struct ovsdb_table_schema *
ctl_lookup_table(struct ctl_context *ctx, const char *s)
{
    size_t n = shash_count(&ctx->schema->tables);
    const char **names = xmalloc(n * sizeof *names);
    const struct ovsdb_table_schema **tables = xmalloc(n * sizeof *tables);
    const struct ovsdb_table_schema *ts = NULL;
    struct ds ambiguous = DS_EMPTY_INITIALIZER;
    struct shash_node *node;
    size_t i = 0;

    SHASH_FOR_EACH (node, &ctx->schema->tables) {
        tables[i] = node->data;
        names[i] = tables[i]->name;
        i++;
    }
    int idx = match_names(names, n, s, &ambiguous);
    if (idx >= 0) {
        ts = tables[idx];
    } else if (idx == -1) {
        ctl_error(ctx, "unknown table \"%s\"", s);
    } else {
        ctl_error(ctx, "\"%s\" matches multiple table names: %s", s,
                  ds_cstr(&ambiguous));
    }
    ds_destroy(&ambiguous);
    free(names);
    free(tables);
    return ts;
}

struct ovsdb_client_table *
ctl_get_table(struct ctl_context *ctx, const char *s)
{
    const struct ovsdb_table_schema *ts = ctl_lookup_table(ctx, s);
    return ts ? ovsdb_client_get_table(ctx->client, ts->name) : NULL;
}

const struct ovsdb_column *
ctl_get_column(struct ctl_context *ctx, const struct ovsdb_table_schema *ts,
               const char *s, bool allow_uuid)
{
    const char **names = xmalloc(ts->n_columns * sizeof *names);
    struct ds ambiguous = DS_EMPTY_INITIALIZER;
    const struct ovsdb_column *column = NULL;

    for (size_t i = 0; i < ts->n_columns; i++) {
        bool hidden = i == OVSDB_COL_VERSION
                      || (i == OVSDB_COL_UUID && !allow_uuid);
        names[i] = hidden ? NULL : ts->columns[i]->name;
    }
    int idx = match_names(names, ts->n_columns, s, &ambiguous);
    if (idx >= 0) {
        column = ts->columns[idx];
    } else if (idx == -1) {
        ctl_error(ctx, "%s does not contain a column whose name matches "
                  "\"%s\"", ts->name, s);
    } else {
        ctl_error(ctx, "%s contains more than one column whose name "
                  "matches \"%s\": %s", ts->name, s, ds_cstr(&ambiguous));
    }
    ds_destroy(&ambiguous);
    free(names);
    return column;
}

/* Row lookup. */

static const struct ctl_table_class *
get_table_class(const struct ctl_context *ctx, const char *table)
{
    for (size_t i = 0; i < ctx->tool->n_tables; i++) {
        if (!strcmp(ctx->tool->tables[i].table, table)) {
            return &ctx->tool->tables[i];
        }
    }
    return NULL;
}

/* What a name rule compares each row with, prepared once per lookup: the
 * name as an atom of the name column's (or map value's) type. */
struct name_matcher {
    unsigned int column;        /* Index of the name column. */
    bool by_key;                /* Compare the map value of 'key'? */
    union ovsdb_atom key;       /* The map key (a string), if 'by_key'. */
    enum ovsdb_atomic_type type;    /* Type of 'want'. */
    union ovsdb_atom want;      /* The name as that type. */
};

/* Prepares 'm' for rule 'id' on 'ts' and name 'name'.  Returns false if no
 * row can match (the name does not parse as the column's type, or the
 * map's keys are not strings). */
static bool
name_matcher_init(struct name_matcher *m, const struct ovsdb_table_schema *ts,
                  const struct ctl_row_id *id, const char *name)
{
    const struct ovsdb_column *column = ovsdb_table_schema_get_column(
        ts, id->name_column);
    const struct ovsdb_type *type = &column->type;

    m->column = column->index;
    m->by_key = id->key != NULL;
    if (m->by_key && type->key.type != OVSDB_TYPE_STRING) {
        return false;
    }
    m->type = m->by_key ? type->value.type : type->key.type;
    if (m->type == OVSDB_TYPE_STRING) {
        ovsdb_atom_init_string(&m->want, name);
    } else {
        struct ovsdb_base_type base;
        ovsdb_base_type_init(&base, m->type);
        char *error = ovsdb_atom_from_string(&m->want, NULL, &base, name,
                                             NULL);
        ovsdb_base_type_destroy(&base);
        if (error) {
            free(error);
            return false;
        }
    }
    if (m->by_key) {
        ovsdb_atom_init_string(&m->key, id->key);
    }
    return true;
}

static void
name_matcher_destroy(struct name_matcher *m)
{
    ovsdb_atom_destroy(&m->want, m->type);
    if (m->by_key) {
        ovsdb_atom_destroy(&m->key, OVSDB_TYPE_STRING);
    }
}

/* Does 'row''s name column (or its map value) equal the name? */
static bool
name_matcher_matches(const struct name_matcher *m,
                     const struct ovsdb_client_row *row)
{
    const struct ovsdb_datum *d = ovsdb_client_row_get(row, m->column);
    const union ovsdb_atom *atom;

    if (m->by_key) {
        unsigned int idx = ovsdb_datum_find_key(d, &m->key,
                                                OVSDB_TYPE_STRING);
        if (idx == UINT_MAX) {
            return false;
        }
        atom = &d->values[idx];
    } else {
        if (d->n != 1) {
            return false;
        }
        atom = &d->keys[0];
    }
    return ovsdb_atom_equals(atom, &m->want, m->type);
}

/* Finds the row of 'table' named 'record' under rule 'id'.  Returns NULL
 * if none (or after ctl_error() if several match). */
static const struct ovsdb_client_row *
get_row_by_id(struct ctl_context *ctx, struct ovsdb_client_table *table,
              const struct ctl_row_id *id, const char *record)
{
    struct ovsdb_client_table *id_table = ovsdb_client_get_table(ctx->client,
                                                                 id->table);
    const struct ovsdb_client_row *referrer = NULL, *row;
    struct name_matcher m;

    if (!id_table || !name_matcher_init(&m, id_table->schema, id, record)) {
        return NULL;
    }
    OVSDB_CLIENT_ROW_FOR_EACH (row, id_table) {
        if (name_matcher_matches(&m, row)) {
            if (referrer) {
                ctl_error(ctx, "multiple rows in %s match \"%s\"",
                          id_table->schema->name, record);
                referrer = NULL;
                break;
            }
            referrer = row;
        }
    }
    name_matcher_destroy(&m);
    if (!referrer || !id->uuid_column) {
        return referrer;
    }

    const struct ovsdb_datum *refs = ovsdb_client_row_get_by_name(
        referrer, id->uuid_column);
    if (!refs || refs->n != 1) {
        return NULL;
    }
    return ovsdb_client_table_find(table, &refs->keys[0].uuid);
}

static bool
is_uuid_prefix(const char *s)
{
    size_t n = strlen(s);

    if (n < 4) {
        return false;
    }
    for (; *s; s++) {
        if (!isxdigit((unsigned char) *s) && *s != '-') {
            return false;
        }
    }
    return true;
}

static const struct ovsdb_client_row *
get_row_by_uuid_prefix(struct ctl_context *ctx,
                       struct ovsdb_client_table *table, const char *prefix)
{
    const struct ovsdb_client_row *found = NULL, *row;
    size_t n = strlen(prefix);

    OVSDB_CLIENT_ROW_FOR_EACH (row, table) {
        char s[UUID_LEN + 1];
        uuid_to_cstr(&row->uuid, s);
        if (!strncasecmp(s, prefix, n)) {
            if (found) {
                char t[UUID_LEN + 1];
                uuid_to_cstr(&found->uuid, t);
                ctl_error(ctx, "%s contains 2 or more rows whose UUIDs "
                          "begin with %s: at least %s and %s",
                          table->schema->name, prefix, t, s);
                return NULL;
            }
            found = row;
        }
    }
    return found;
}

const struct ovsdb_client_row *
ctl_get_row(struct ctl_context *ctx, struct ovsdb_client_table *table,
            const char *record, bool must_exist)
{
    const struct ovsdb_client_row *row = NULL;
    struct uuid uuid;

    if (uuid_from_string(&uuid, record)) {
        row = ovsdb_client_table_find(table, &uuid);
    }
    if (!row && !strcmp(record, ".")
        && ovsdb_client_table_count(table) == 1) {
        row = ovsdb_client_table_first(table);
    }
    const struct ctl_table_class *tc = get_table_class(ctx,
                                                       table->schema->name);
    for (size_t i = 0; !row && tc && i < ARRAY_SIZE(tc->row_ids); i++) {
        if (tc->row_ids[i].table) {
            row = get_row_by_id(ctx, table, &tc->row_ids[i], record);
        }
    }
    if (!row && !ctx->error && is_uuid_prefix(record)) {
        row = get_row_by_uuid_prefix(ctx, table, record);
    }
    if (!row && must_exist && !ctx->error) {
        ctl_error(ctx, "no row \"%s\" in table %s", record,
                  table->schema->name);
    }
    return row;
}

/* Parsing "column[:key][OP value]". */

enum relop {
    RELOP_EQ, RELOP_NE, RELOP_LT, RELOP_GT, RELOP_LE, RELOP_GE,
    RELOP_SET_EQ, RELOP_SET_NE, RELOP_SET_LT, RELOP_SET_GT, RELOP_SET_LE,
    RELOP_SET_GE, RELOP_SET_IN, RELOP_SET_NOT_IN,
};

/* Longest first, so that "<=" is not taken for "<". */
static const struct {
    const char *s;
    enum relop op;
} relops[] = {
    { "{not-in}", RELOP_SET_NOT_IN }, { "{in}", RELOP_SET_IN },
    { "{!=}", RELOP_SET_NE }, { "{<=}", RELOP_SET_LE },
    { "{>=}", RELOP_SET_GE }, { "{=}", RELOP_SET_EQ },
    { "{<}", RELOP_SET_LT }, { "{>}", RELOP_SET_GT },
    { "!=", RELOP_NE }, { "<=", RELOP_LE }, { ">=", RELOP_GE },
    { "=", RELOP_EQ }, { "<", RELOP_LT }, { ">", RELOP_GT },
};

static bool
relop_is_set(enum relop op)
{
    return op >= RELOP_SET_EQ;
}

/* One parsed "column[:key][OP value]" argument. */
struct column_arg {
    const struct ovsdb_column *column;
    char *key;                  /* Key text, or NULL. */
    enum relop op;
    char *value;                /* Value text, or NULL if none given. */
};

static void
column_arg_destroy(struct column_arg *ca)
{
    free(ca->key);
    free(ca->value);
}

/* Reads a name or key token: a JSON string, or an unquoted token (see
 * ovsdb_unquoted_token_parse()). */
static char *
parse_token(const char **pp, char **tokenp)
{
    const char *p = *pp;

    if (*p == '"') {
        const char *q = p + 1;
        while (*q && *q != '"') {
            q += q[0] == '\\' && q[1] ? 2 : 1;
        }
        if (!*q) {
            return xasprintf("%s: missing quote at end of quoted string", p);
        }
        char *err = NULL;
        char *text = xmemdup0(p, q + 1 - p);
        struct json *json = json_from_string(text, &err);
        free(text);
        if (!json || json->type != JSON_STRING) {
            json_destroy(json);
            free(err);
            return xasprintf("%s: invalid quoted string", p);
        }
        *tokenp = xstrdup(json->string);
        json_destroy(json);
        *pp = q + 1;
    } else {
        return ovsdb_unquoted_token_parse(pp, tokenp);
    }
    return NULL;
}

/* Parses 'arg' for table 'ts'.  'ops' says which operators are allowed:
 * 0 none, 1 only "=" (and then the column may not be _uuid), 2 all.  With
 * 'need_value', a value is required.  Returns false after ctl_error(). */
static bool
parse_column_arg(struct ctl_context *ctx, const struct ovsdb_table_schema *ts,
                 const char *arg, int ops, bool need_value,
                 struct column_arg *ca)
{
    const char *p = arg;
    char *name = NULL, *error;

    memset(ca, 0, sizeof *ca);
    error = parse_token(&p, &name);
    if (!error && !*name) {
        error = xasprintf("%s: missing column name", arg);
    }
    if (!error) {
        ca->column = ctl_get_column(ctx, ts, name, ops != 1);
    }
    if (!error && ca->column && *p == ':') {
        p++;
        error = parse_token(&p, &ca->key);
    }
    if (!error && ca->column && *p && ops) {
        for (size_t i = 0; i < ARRAY_SIZE(relops); i++) {
            if (str_startswith(p, relops[i].s)
                && (ops == 2 || relops[i].op == RELOP_EQ)) {
                ca->op = relops[i].op;
                ca->value = xstrdup(p + strlen(relops[i].s));
                p = "";
                break;
            }
        }
    }
    if (!error && ca->column && ops && (!ca->value || !*ca->value)
        && (need_value || *p)) {
        error = xasprintf("%s: argument does not end in %s followed by a "
                          "value.", arg,
                          ops == 1 ? "\"=\""
                          : "\"=\", \"!=\", \"<\", \">\", \"<=\", \">=\", "
                            "\"{=}\", \"{!=}\", \"{<}\", \"{>}\", \"{<=}\", "
                            "\"{>=}\", \"{in}\", or \"{not-in}\"");
    } else if (!error && ca->column && *p) {
        error = xasprintf("%s: trailing garbage \"%s\" in argument", arg, p);
    }
    free(name);
    if (error) {
        ctl_error(ctx, "%s", error);
        free(error);
    }
    if (ctx->error) {
        column_arg_destroy(ca);
        return false;
    }
    return true;
}

/* Parses the key of 'ca' as an atom of its map column's key type. */
static bool
parse_key(struct ctl_context *ctx, const struct column_arg *ca,
          const char *verb, union ovsdb_atom *key)
{
    const struct ovsdb_type *type = &ca->column->type;

    if (!ovsdb_type_is_map(type)) {
        ctl_error(ctx, "cannot specify key to %s for non-map column %s",
                  verb, ca->column->name);
        return false;
    }
    char *error = ovsdb_atom_from_string(key, NULL, &type->key, ca->key,
                                         ctx->symtab);
    if (error) {
        ctl_error(ctx, "%s", error);
        free(error);
        return false;
    }
    return true;
}

static bool
parse_datum(struct ctl_context *ctx, struct ovsdb_datum *datum,
            const struct ovsdb_type *type, const char *s)
{
    char *error = ovsdb_datum_from_string(datum, type, s, ctx->symtab);
    if (error) {
        ctl_error(ctx, "%s", error);
        free(error);
        return false;
    }
    return true;
}

/* The type a relational operand is parsed with: the column's, or for
 * "column:key" a single value of the map's value type. */
static void
operand_type(const struct column_arg *ca, struct ovsdb_type *type)
{
    ovsdb_type_clone(type, &ca->column->type);
    if (ca->key) {
        ovsdb_base_type_destroy(&type->key);
        ovsdb_base_type_clone(&type->key, &ca->column->type.value);
        ovsdb_base_type_destroy(&type->value);
        ovsdb_base_type_init(&type->value, OVSDB_TYPE_VOID);
        type->n_min = 1;
        type->n_max = 1;
    }
}

static bool
evaluate_relop(const struct ovsdb_datum *a, const struct ovsdb_datum *b,
               const struct ovsdb_type *type, enum relop op)
{
    switch (op) {
    case RELOP_EQ:
    case RELOP_SET_EQ:
        return ovsdb_datum_compare_3way(a, b, type) == 0;
    case RELOP_NE:
    case RELOP_SET_NE:
        return ovsdb_datum_compare_3way(a, b, type) != 0;
    case RELOP_LT:
        return ovsdb_datum_compare_3way(a, b, type) < 0;
    case RELOP_GT:
        return ovsdb_datum_compare_3way(a, b, type) > 0;
    case RELOP_LE:
        return ovsdb_datum_compare_3way(a, b, type) <= 0;
    case RELOP_GE:
        return ovsdb_datum_compare_3way(a, b, type) >= 0;
    case RELOP_SET_LT:
        return b->n > a->n && ovsdb_datum_includes_all(a, b, type);
    case RELOP_SET_GT:
        return a->n > b->n && ovsdb_datum_includes_all(b, a, type);
    case RELOP_SET_LE:
    case RELOP_SET_IN:
        return ovsdb_datum_includes_all(a, b, type);
    case RELOP_SET_GE:
        return ovsdb_datum_includes_all(b, a, type);
    case RELOP_SET_NOT_IN:
        return ovsdb_datum_excludes_all(a, b, type);
    }
    return false;
}

/* Does 'row' satisfy the condition "column[:key]OPvalue" in 'arg'?  Sets
 * '*ok' false after ctl_error(). */
static bool
is_condition_satisfied(struct ctl_context *ctx,
                       const struct ovsdb_client_row *row, const char *arg,
                       bool *ok)
{
    const struct ovsdb_table_schema *ts = row->table->schema;
    struct column_arg ca;
    bool satisfied = false;

    *ok = false;
    if (!parse_column_arg(ctx, ts, arg, 2, true, &ca)) {
        return false;
    }
    if (ca.key && !ovsdb_type_is_map(&ca.column->type)) {
        ctl_error(ctx, "cannot specify key to check for non-map column %s",
                  ca.column->name);
        column_arg_destroy(&ca);
        return false;
    }

    struct ovsdb_type type;
    struct ovsdb_datum want, have;
    operand_type(&ca, &type);
    ovsdb_datum_init_empty(&have);
    if (!parse_datum(ctx, &want, &type, ca.value)) {
        goto out;
    }

    const struct ovsdb_datum *value = ovsdb_client_row_get(row,
                                                           ca.column->index);
    if (ca.key) {
        union ovsdb_atom key;
        if (!parse_key(ctx, &ca, "check", &key)) {
            ovsdb_datum_destroy(&want, &type);
            goto out;
        }
        unsigned int idx = ovsdb_datum_find_key(value, &key,
                                                ca.column->type.key.type);
        ovsdb_atom_destroy(&key, ca.column->type.key.type);
        if (idx != UINT_MAX) {
            union ovsdb_atom v;
            ovsdb_atom_clone(&v, &value->values[idx],
                             ca.column->type.value.type);
            ovsdb_datum_init_1(&have, &v, NULL);
        } else if (!relop_is_set(ca.op)) {
            /* A missing key never satisfies an arithmetic operator. */
            *ok = true;
            ovsdb_datum_destroy(&want, &type);
            goto out;
        }
        satisfied = evaluate_relop(&have, &want, &type, ca.op);
    } else {
        satisfied = evaluate_relop(value, &want, &type, ca.op);
    }
    *ok = true;
    ovsdb_datum_destroy(&want, &type);
out:
    ovsdb_datum_destroy(&have, &type);
    ovsdb_type_destroy(&type);
    column_arg_destroy(&ca);
    return satisfied;
}

/* Prerequisites.  Each command monitors the columns its arguments name
 * and what naming its record reads, not whole tables, so that one command
 * on a big database loads little.  An argument whose column cannot be
 * told here needs the whole table: the run then reports the problem as
 * it would anyway. */

void
ctl_need_row_ids(struct ctl_context *ctx, const char *table)
{
    const struct ctl_table_class *tc = get_table_class(ctx, table);

    ctl_need_column(ctx, table, NULL);
    for (size_t i = 0; tc && i < ARRAY_SIZE(tc->row_ids); i++) {
        const struct ctl_row_id *id = &tc->row_ids[i];
        if (id->table) {
            ctl_need_column(ctx, id->table, id->name_column);
            ctl_need_column(ctx, id->table, id->uuid_column);
        }
    }
}

/* Needs the column that "column[:key][OP value]" argument 'arg' names in
 * 'ts'. */
static void
need_arg_column(struct ctl_context *ctx, const struct ovsdb_table_schema *ts,
                const char *arg)
{
    const char **names = xmalloc(ts->n_columns * sizeof *names);
    struct ds ambiguous = DS_EMPTY_INITIALIZER;
    const char *p = arg;
    char *name = NULL;
    char *error = parse_token(&p, &name);
    int idx = -1;

    if (!error) {
        for (size_t i = 0; i < ts->n_columns; i++) {
            names[i] = i == OVSDB_COL_VERSION ? NULL : ts->columns[i]->name;
        }
        idx = match_names(names, ts->n_columns, name, &ambiguous);
    }
    if (idx < 0) {
        ctl_need_table(ctx, ts->name);
    } else if (idx != OVSDB_COL_UUID) {
        ctl_need_column(ctx, ts->name, ts->columns[idx]->name);
    }
    free(error);
    free(name);
    ds_destroy(&ambiguous);
    free(names);
}

/* Needs what naming records of table argv[1] reads and the columns named
 * by arguments argv[first...].  Returns the table, or NULL after
 * ctl_error(). */
static const struct ovsdb_table_schema *
pre_table_args(struct ctl_context *ctx, int first)
{
    const struct ovsdb_table_schema *ts = ctl_lookup_table(ctx,
                                                           ctx->argv[1]);
    if (ts) {
        ctl_need_row_ids(ctx, ts->name);
        for (int i = first; i < ctx->argc; i++) {
            need_arg_column(ctx, ts, ctx->argv[i]);
        }
    }
    return ts;
}

/* get, set, clear, wait-until: TABLE RECORD COLUMN... */
static void
pre_columns(struct ctl_context *ctx)
{
    pre_table_args(ctx, 3);
}

/* add, remove: TABLE RECORD COLUMN VALUE... */
static void
pre_one_column(struct ctl_context *ctx)
{
    const struct ovsdb_table_schema *ts = pre_table_args(ctx, 4);
    if (ts) {
        need_arg_column(ctx, ts, ctx->argv[3]);
    }
}

/* create: TABLE COLUMN=VALUE... */
static void
pre_create(struct ctl_context *ctx)
{
    pre_table_args(ctx, 2);
}

/* destroy: TABLE RECORD... */
static void
pre_records(struct ctl_context *ctx)
{
    pre_table_args(ctx, INT_MAX);
}

/* list (TABLE RECORD...) and find (TABLE CONDITION...): the --columns
 * given, else every column. */
static void
pre_list(struct ctl_context *ctx)
{
    const struct ovsdb_table_schema *ts = pre_table_args(ctx, INT_MAX);
    const char *spec = ctl_get_option(ctx, "--columns");

    if (!ts) {
        return;
    } else if (!spec || !strcmp(ctx->argv[0], "find")) {
        ctl_need_table(ctx, ts->name);
        return;
    }
    char *copy = xstrdup(spec), *save = NULL;
    for (char *tok = strtok_r(copy, ", ", &save); tok;
         tok = strtok_r(NULL, ", ", &save)) {
        need_arg_column(ctx, ts, tok);
    }
    free(copy);
}

/* Gets the table named by argv[1] and, unless 'record' is NULL, the row
 * named 'record'. */
static bool
get_table_and_row(struct ctl_context *ctx, const char *record,
                  bool must_exist, struct ovsdb_client_table **tablep,
                  const struct ovsdb_client_row **rowp)
{
    *tablep = ctl_get_table(ctx, ctx->argv[1]);
    *rowp = NULL;
    if (!*tablep) {
        return false;
    }
    if (record) {
        *rowp = ctl_get_row(ctx, *tablep, record, must_exist);
    }
    return !ctx->error;
}

/* list and find. */

/* Adds the table for 'ts' to the command, with the --columns given or
 * _uuid and every column.  Returns false after ctl_error(). */
static bool
start_table(struct ctl_context *ctx, const struct ovsdb_table_schema *ts,
            const struct ovsdb_column ***columnsp, size_t *n_columnsp)
{
    const char *spec = ctl_get_option(ctx, "--columns");
    const struct ovsdb_column **columns;
    size_t n = 0;

    if (spec) {
        char *copy = xstrdup(spec), *save = NULL;
        columns = xcalloc(strlen(spec) + 1, sizeof *columns);
        for (char *tok = strtok_r(copy, ", ", &save); tok;
             tok = strtok_r(NULL, ", ", &save)) {
            columns[n] = ctl_get_column(ctx, ts, tok, true);
            if (!columns[n]) {
                free(copy);
                free(columns);
                return false;
            }
            n++;
        }
        free(copy);
    } else {
        columns = xcalloc(ts->n_columns, sizeof *columns);
        for (size_t i = 0; i < ts->n_columns; i++) {
            if (i != OVSDB_COL_VERSION) {
                columns[n++] = ts->columns[i];
            }
        }
    }
    ctx->cmd->table = xmalloc(sizeof *ctx->cmd->table);
    table_init(ctx->cmd->table);
    for (size_t i = 0; i < n; i++) {
        table_add_column(ctx->cmd->table, columns[i]->name);
    }
    *columnsp = columns;
    *n_columnsp = n;
    return true;
}

static void
add_row_to_table(struct ctl_context *ctx, const struct ovsdb_client_row *row,
                 const struct ovsdb_column **columns, size_t n)
{
    struct table *t = ctx->cmd->table;

    table_add_row(t);
    for (size_t i = 0; i < n; i++) {
        if (columns[i]->index == OVSDB_COL_UUID) {
            struct ovsdb_datum d;
            ovsdb_datum_init_uuid(&d, &row->uuid);
            table_add_cell_datum(t, &d, &columns[i]->type);
            ovsdb_datum_destroy(&d, &columns[i]->type);
        } else {
            table_add_cell_datum(t, ovsdb_client_row_get(row,
                                                         columns[i]->index),
                                 &columns[i]->type);
        }
    }
}

static void
cmd_list(struct ctl_context *ctx)
{
    bool must_exist = !ctl_has_option(ctx, "--if-exists");
    struct ovsdb_client_table *table = ctl_get_table(ctx, ctx->argv[1]);
    const struct ovsdb_column **columns;
    size_t n;

    if (!table || !start_table(ctx, table->schema, &columns, &n)) {
        return;
    }
    if (ctx->argc > 2) {
        for (int i = 2; i < ctx->argc && !ctx->error; i++) {
            const struct ovsdb_client_row *row
                = ctl_get_row(ctx, table, ctx->argv[i], must_exist);
            if (row) {
                add_row_to_table(ctx, row, columns, n);
            }
        }
    } else {
        const struct ovsdb_client_row *row;
        OVSDB_CLIENT_ROW_FOR_EACH (row, table) {
            add_row_to_table(ctx, row, columns, n);
        }
    }
    free(columns);
}

static void
cmd_find(struct ctl_context *ctx)
{
    struct ovsdb_client_table *table = ctl_get_table(ctx, ctx->argv[1]);
    const struct ovsdb_column **columns;
    const struct ovsdb_client_row *row;
    size_t n;

    if (!table || !start_table(ctx, table->schema, &columns, &n)) {
        return;
    }
    OVSDB_CLIENT_ROW_FOR_EACH (row, table) {
        bool all = true, ok = true;
        for (int i = 2; i < ctx->argc && all; i++) {
            all = is_condition_satisfied(ctx, row, ctx->argv[i], &ok);
            if (!ok) {
                free(columns);
                return;
            }
        }
        if (all) {
            add_row_to_table(ctx, row, columns, n);
        }
    }
    free(columns);
}

/* get. */

/* Creates symbol 'id' ("@name") for a row this command names or creates.
 * Returns NULL after ctl_error(). */
static struct ovsdb_symbol *
create_symbol(struct ctl_context *ctx, const char *id)
{
    if (id[0] != '@') {
        ctl_error(ctx, "row id \"%s\" does not begin with \"@\"", id);
        return NULL;
    }
    struct ovsdb_symbol *symbol = ovsdb_symbol_table_insert(ctx->symtab, id);
    if (symbol->created) {
        ctl_error(ctx, "row id \"%s\" may only be specified on one --id "
                  "option", id);
        return NULL;
    }
    symbol->created = true;
    return symbol;
}

static void
get_one(struct ctl_context *ctx, const struct ovsdb_client_row *row,
        const char *arg, bool if_exists)
{
    struct column_arg ca;

    if (!parse_column_arg(ctx, row->table->schema, arg, 0, false, &ca)) {
        return;
    }
    const struct ovsdb_type *type = &ca.column->type;
    struct ovsdb_datum uuid_datum;
    const struct ovsdb_datum *d;

    if (ca.column->index == OVSDB_COL_UUID) {
        ovsdb_datum_init_uuid(&uuid_datum, &row->uuid);
        d = &uuid_datum;
    } else {
        ovsdb_datum_init_empty(&uuid_datum);
        d = ovsdb_client_row_get(row, ca.column->index);
    }

    if (ca.key) {
        union ovsdb_atom key;
        if (parse_key(ctx, &ca, "get", &key)) {
            unsigned int idx = ovsdb_datum_find_key(d, &key, type->key.type);
            if (idx != UINT_MAX) {
                ovsdb_atom_to_string(&d->values[idx], type->value.type,
                                     ctx->output);
            } else if (!if_exists) {
                struct ds name = DS_EMPTY_INITIALIZER;
                ovsdb_atom_to_string(&key, type->key.type, &name);
                ctl_error(ctx, "no key \"%s\" in %s record \"%s\" column %s",
                          ds_cstr(&name), row->table->schema->name,
                          ctx->argv[2], ca.column->name);
                ds_destroy(&name);
            }
            ovsdb_atom_destroy(&key, type->key.type);
        }
    } else {
        ovsdb_datum_to_string(d, type, ctx->output);
    }
    if (!ctx->error) {
        ds_put_char(ctx->output, '\n');
    }
    ovsdb_datum_destroy(&uuid_datum, type);
    column_arg_destroy(&ca);
}

static void
cmd_get(struct ctl_context *ctx)
{
    const char *id = ctl_get_option(ctx, "--id");
    bool if_exists = ctl_has_option(ctx, "--if-exists");
    struct ovsdb_client_table *table;
    const struct ovsdb_client_row *row;

    if (id && if_exists) {
        ctl_error(ctx, "--if-exists and --id may not be specified together");
        return;
    }
    if (!get_table_and_row(ctx, ctx->argv[2], !if_exists, &table, &row)
        || !row) {
        return;
    }
    if (id) {
        if (id[0] == '@' && ovsdb_symbol_table_get(ctx->symtab, id)
            && !ovsdb_symbol_table_get(ctx->symtab, id)->created) {
            ctl_error(ctx, "row id \"%s\" specified on \"get\" command was "
                      "used before it was defined", id);
            return;
        }
        struct ovsdb_symbol *symbol = create_symbol(ctx, id);
        if (!symbol) {
            return;
        }
        symbol->uuid = row->uuid;
        /* The row exists already, so it needs no reference to stay. */
        symbol->strong_ref = true;
    }
    for (int i = 3; i < ctx->argc && !ctx->error; i++) {
        get_one(ctx, row, ctx->argv[i], if_exists);
    }
}

/* set, add, remove, clear. */

static bool
check_mutable(struct ctl_context *ctx, const struct ovsdb_client_row *row,
              const struct ovsdb_column *column, bool is_new)
{
    if (!column->mutable && !is_new) {
        ctl_error(ctx, "cannot modify read-only column %s in table %s",
                  column->name, row->table->schema->name);
        return false;
    }
    return true;
}

void
ctl_set_column(struct ctl_context *ctx, const struct ovsdb_client_row *row,
           const char *arg, bool is_new)
{
    struct column_arg ca;

    if (!parse_column_arg(ctx, row->table->schema, arg, 1, true, &ca)) {
        return;
    }
    const struct ovsdb_type *type = &ca.column->type;
    if (!check_mutable(ctx, row, ca.column, is_new)) {
        goto out;
    }
    if (ca.key) {
        union ovsdb_atom key, value;
        if (!parse_key(ctx, &ca, "set", &key)) {
            goto out;
        }
        char *error = ovsdb_atom_from_string(&value, NULL, &type->value,
                                             ca.value, ctx->symtab);
        if (error) {
            ctl_error(ctx, "%s", error);
            free(error);
            ovsdb_atom_destroy(&key, type->key.type);
            goto out;
        }
        ovsdb_client_txn_set_key(ctx->txn, row, ca.column->index, &key,
                                 &value);
    } else {
        struct ovsdb_datum d;
        if (parse_datum(ctx, &d, type, ca.value)) {
            ovsdb_client_txn_write(ctx->txn, row, ca.column->index, &d);
        }
    }
out:
    column_arg_destroy(&ca);
}

static void
cmd_set(struct ctl_context *ctx)
{
    struct ovsdb_client_table *table;
    const struct ovsdb_client_row *row;

    if (!get_table_and_row(ctx, ctx->argv[2],
                           !ctl_has_option(ctx, "--if-exists"), &table, &row)
        || !row) {
        return;
    }
    for (int i = 3; i < ctx->argc && !ctx->error; i++) {
        ctl_set_column(ctx, row, ctx->argv[i], false);
    }
}

/* Gets the table, row and column of add/remove/clear ("TABLE RECORD
 * COLUMN").  Returns NULL if the command has nothing to do. */
static const struct ovsdb_column *
get_row_and_column(struct ctl_context *ctx, const char *column_name,
                   const struct ovsdb_client_row **rowp)
{
    struct ovsdb_client_table *table;

    if (!get_table_and_row(ctx, ctx->argv[2],
                           !ctl_has_option(ctx, "--if-exists"), &table, rowp)
        || !*rowp) {
        return NULL;
    }
    const struct ovsdb_column *column = ctl_get_column(ctx, table->schema,
                                                       column_name, false);
    if (column && !check_mutable(ctx, *rowp, column, false)) {
        return NULL;
    }
    return column;
}

static bool
check_size(struct ctl_context *ctx, const char *verb,
           const struct ovsdb_client_row *row,
           const struct ovsdb_column *column, unsigned int n)
{
    if (n < column->type.n_min) {
        ctl_error(ctx, "\"%s\" operation would put %u values in column %s "
                  "of table %s but the minimum number is %u", verb, n,
                  column->name, row->table->schema->name,
                  column->type.n_min);
        return false;
    }
    return true;
}

static void
cmd_add(struct ctl_context *ctx)
{
    const struct ovsdb_client_row *row;
    const struct ovsdb_column *column = get_row_and_column(ctx, ctx->argv[3],
                                                           &row);
    if (!column) {
        return;
    }

    struct ovsdb_type type;
    struct ovsdb_datum add;
    ovsdb_type_clone(&type, &column->type);
    type.n_min = 0;
    type.n_max = UINT_MAX;
    ovsdb_datum_init_empty(&add);
    for (int i = 4; i < ctx->argc; i++) {
        struct ovsdb_datum d;
        if (!parse_datum(ctx, &d, &type, ctx->argv[i])) {
            goto out;
        }
        ovsdb_datum_union(&add, &d, &type);
        ovsdb_datum_destroy(&d, &type);
    }

    /* Sent as mutations, as Open vSwitch's IDL does, so that concurrent
     * additions by other clients merge and the server checks the size.
     * As with ovs-vsctl, a map key already present takes the new value.
     * A scalar column can only be written whole. */
    if (ovsdb_type_is_scalar(&column->type)) {
        struct ovsdb_datum new;
        ovsdb_datum_clone(&new, ovsdb_client_row_get(row, column->index),
                          &column->type);
        ovsdb_datum_union(&new, &add, &type);
        ovsdb_client_txn_write(ctx->txn, row, column->index, &new);
        goto out;
    }
    if (ovsdb_type_is_map(&type)) {
        struct ovsdb_type key_type;
        struct ovsdb_datum keys;
        ovsdb_type_clone(&key_type, &type);
        ovsdb_base_type_destroy(&key_type.value);
        ovsdb_base_type_init(&key_type.value, OVSDB_TYPE_VOID);
        ovsdb_datum_init_empty(&keys);
        for (unsigned int i = 0; i < add.n; i++) {
            union ovsdb_atom key;
            ovsdb_atom_clone(&key, &add.keys[i], type.key.type);
            ovsdb_datum_add_unsafe(&keys, &key, NULL, &key_type);
        }
        ovsdb_client_txn_delete_keys(ctx->txn, row, column->index, &keys);
        ovsdb_type_destroy(&key_type);
    }
    ovsdb_client_txn_insert_elems(ctx->txn, row, column->index, &add);
    ovsdb_datum_init_empty(&add);
out:
    ovsdb_datum_destroy(&add, &type);
    ovsdb_type_destroy(&type);
}

static void
cmd_remove(struct ctl_context *ctx)
{
    const struct ovsdb_client_row *row;
    const struct ovsdb_column *column = get_row_and_column(ctx, ctx->argv[3],
                                                           &row);
    if (!column) {
        return;
    }

    /* Pairs (or set elements) and, for maps, bare keys. */
    struct ovsdb_type type, key_type;
    struct ovsdb_datum pairs, keys;
    ovsdb_type_clone(&type, &column->type);
    type.n_min = 0;
    type.n_max = UINT_MAX;
    ovsdb_type_clone(&key_type, &type);
    ovsdb_base_type_destroy(&key_type.value);
    ovsdb_base_type_init(&key_type.value, OVSDB_TYPE_VOID);
    ovsdb_datum_init_empty(&pairs);
    ovsdb_datum_init_empty(&keys);

    for (int i = 4; i < ctx->argc; i++) {
        struct ovsdb_datum d;
        char *error = ovsdb_datum_from_string(&d, &type, ctx->argv[i],
                                              ctx->symtab);
        if (!error) {
            ovsdb_datum_union(&pairs, &d, &type);
            ovsdb_datum_destroy(&d, &type);
        } else if (ovsdb_type_is_map(&type)
                   && parse_datum(ctx, &d, &key_type, ctx->argv[i])) {
            ovsdb_datum_union(&keys, &d, &key_type);
            ovsdb_datum_destroy(&d, &key_type);
        } else {
            ctl_error(ctx, "%s", error);
        }
        free(error);
        if (ctx->error) {
            goto out;
        }
    }

    struct ovsdb_datum new;
    ovsdb_datum_clone(&new, ovsdb_client_row_get(row, column->index),
                      &column->type);
    ovsdb_datum_subtract(&new, &column->type, &pairs, &type);
    ovsdb_datum_subtract(&new, &column->type, &keys, &key_type);
    bool ok = check_size(ctx, "remove", row, column, new.n);
    ovsdb_datum_destroy(&new, &column->type);
    if (ok && ovsdb_type_is_scalar(&column->type)) {
        /* Nothing to remove: the value did not match (or the minimum
         * check above has failed). */
        goto out;
    }
    if (ok && pairs.n) {
        ovsdb_client_txn_delete_elems(ctx->txn, row, column->index, &pairs);
        ovsdb_datum_init_empty(&pairs);
    }
    if (ok && keys.n) {
        ovsdb_client_txn_delete_keys(ctx->txn, row, column->index, &keys);
        ovsdb_datum_init_empty(&keys);
    }
out:
    ovsdb_datum_destroy(&pairs, &type);
    ovsdb_datum_destroy(&keys, &key_type);
    ovsdb_type_destroy(&type);
    ovsdb_type_destroy(&key_type);
}

static void
cmd_clear(struct ctl_context *ctx)
{
    for (int i = 3; i < ctx->argc && !ctx->error; i++) {
        const struct ovsdb_client_row *row;
        const struct ovsdb_column *column
            = get_row_and_column(ctx, ctx->argv[i], &row);
        if (!column) {
            return;
        }
        if (column->type.n_min > 0) {
            ctl_error(ctx, "\"clear\" operation cannot be applied to column "
                      "%s of table %s, which is not allowed to be empty",
                      column->name, row->table->schema->name);
            return;
        }
        struct ovsdb_datum empty;
        ovsdb_datum_init_empty(&empty);
        ovsdb_client_txn_write(ctx->txn, row, column->index, &empty);
    }
}

/* create. */

struct create_data {
    const struct ovsdb_client_row *row;   /* Only a key after commit. */
    struct uuid uuid;           /* Its temporary uuid, for --dry-run. */
};

static void
cmd_create(struct ctl_context *ctx)
{
    const char *id = ctl_get_option(ctx, "--id");
    struct ovsdb_client_table *table = ctl_get_table(ctx, ctx->argv[1]);
    const struct ovsdb_client_row *row;
    struct uuid uuid;

    if (!table) {
        return;
    }
    if (id && uuid_from_string(&uuid, id)) {
        row = ovsdb_client_txn_insert_uuid(ctx->txn, table, &uuid, true);
    } else if (id) {
        struct ovsdb_symbol *symbol = create_symbol(ctx, id);
        if (!symbol) {
            return;
        }
        if (table->schema->is_root) {
            /* A root row stays without any reference to it. */
            symbol->strong_ref = true;
        }
        row = ovsdb_client_txn_insert_uuid(ctx->txn, table, &symbol->uuid,
                                           false);
    } else {
        if (!table->schema->is_root) {
            VLOG_WARN("applying \"create\" command to table %s without "
                      "--id option will have no effect",
                      table->schema->name);
        }
        row = ovsdb_client_txn_insert(ctx->txn, table);
    }
    for (int i = 2; i < ctx->argc && !ctx->error; i++) {
        ctl_set_column(ctx, row, ctx->argv[i], true);
    }
    struct create_data *data = xmalloc(sizeof *data);
    data->row = row;
    data->uuid = row->uuid;
    ctx->cmd->data = data;
}

static void
post_create(struct ctl_context *ctx)
{
    const struct create_data *data = ctx->cmd->data;
    const struct uuid *real = ovsdb_client_txn_get_insert_uuid(ctx->txn,
                                                               data->row);
    char s[UUID_LEN + 1];

    uuid_to_cstr(real ? real : &data->uuid, s);
    ds_put_format(ctx->output, "%s\n", s);
}

/* destroy. */

static void
cmd_destroy(struct ctl_context *ctx)
{
    bool must_exist = !ctl_has_option(ctx, "--if-exists");
    bool all = ctl_has_option(ctx, "--all");
    struct ovsdb_client_table *table = ctl_get_table(ctx, ctx->argv[1]);

    if (!table) {
        return;
    }
    if (all && ctx->argc > 2) {
        ctl_error(ctx, "--all and records argument should not be specified "
                  "together");
        return;
    } else if (!all && ctx->argc < 3) {
        VLOG_WARN("either --all or records argument should be specified");
        return;
    }
    if (all) {
        const struct ovsdb_client_row *row, *next;
        for (row = ovsdb_client_table_first(table); row; row = next) {
            next = ovsdb_client_table_next(row);
            ovsdb_client_txn_delete(ctx->txn, row);
        }
        return;
    }
    for (int i = 2; i < ctx->argc && !ctx->error; i++) {
        const struct ovsdb_client_row *row = ctl_get_row(ctx, table,
                                                         ctx->argv[i],
                                                         must_exist);
        if (row) {
            ovsdb_client_txn_delete(ctx->txn, row);
        }
    }
}

/* wait-until. */

static void
cmd_wait_until(struct ctl_context *ctx)
{
    struct ovsdb_client_table *table;
    const struct ovsdb_client_row *row;

    if (!get_table_and_row(ctx, ctx->argv[2], false, &table, &row)) {
        return;
    }
    if (!row) {
        ctl_try_again(ctx);
        return;
    }
    for (int i = 3; i < ctx->argc; i++) {
        bool ok;
        if (!is_condition_satisfied(ctx, row, ctx->argv[i], &ok)) {
            if (ok) {
                ctl_try_again(ctx);
            }
            return;
        }
    }
}

static void
cmd_comment(struct ctl_context *ctx)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    for (int i = 1; i < ctx->argc; i++) {
        ds_put_format(&s, "%s%s", i > 1 ? " " : "", ctx->argv[i]);
    }
    ovsdb_client_txn_add_comment(ctx->txn, "%s", ds_cstr(&s));
    ds_destroy(&s);
}

const struct ctl_command_syntax ctl_generic_commands[] = {
    { "comment", 0, INT_MAX, "[ARG]...", NULL, cmd_comment, NULL, "",
      CTL_RO },
    { "get", 2, INT_MAX, "TABLE RECORD [COLUMN[:KEY]]...", pre_columns,
      cmd_get, NULL, "--if-exists,--id=", CTL_RO },
    { "list", 1, INT_MAX, "TABLE [RECORD]...", pre_list, cmd_list, NULL,
      "--if-exists,--columns=", CTL_RO },
    { "find", 1, INT_MAX, "TABLE [COLUMN[:KEY]=VALUE]...", pre_list,
      cmd_find, NULL, "--columns=", CTL_RO },
    { "set", 3, INT_MAX, "TABLE RECORD COLUMN[:KEY]=VALUE...", pre_columns,
      cmd_set, NULL, "--if-exists", CTL_RW },
    { "add", 4, INT_MAX, "TABLE RECORD COLUMN [KEY=]VALUE...",
      pre_one_column, cmd_add, NULL, "--if-exists", CTL_RW },
    { "remove", 4, INT_MAX, "TABLE RECORD COLUMN KEY|VALUE|KEY=VALUE...",
      pre_one_column, cmd_remove, NULL, "--if-exists", CTL_RW },
    { "clear", 3, INT_MAX, "TABLE RECORD COLUMN...", pre_columns, cmd_clear,
      NULL, "--if-exists", CTL_RW },
    { "create", 2, INT_MAX, "TABLE COLUMN[:KEY]=VALUE...", pre_create,
      cmd_create, post_create, "--id=", CTL_RW },
    { "destroy", 1, INT_MAX, "TABLE [RECORD]...", pre_records, cmd_destroy,
      NULL, "--if-exists,--all", CTL_RW },
    { "wait-until", 2, INT_MAX, "TABLE RECORD [COLUMN[:KEY]=VALUE]...",
      pre_columns, cmd_wait_until, NULL, "", CTL_RO },
};

const size_t ctl_n_generic_commands = ARRAY_SIZE(ctl_generic_commands);
