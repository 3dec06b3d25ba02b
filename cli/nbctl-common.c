/* Lookups and helpers shared by weft-nbctl's command families; see
 * nbctl-private.h. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "ds.h"
#include "util.h"
#include "uuid.h"
#include "ovsdb/client-txn.h"
#include "ovsdb/schema.h"
#include "cli/nbctl-private.h"

void
nbctl_need_tables(struct ctl_context *ctx, const char *tables)
{
    char *copy = xstrdup(tables), *save = NULL;

    for (char *t = strtok_r(copy, ",", &save); t;
         t = strtok_r(NULL, ",", &save)) {
        ctl_need_table(ctx, t);
    }
    free(copy);
}

/* The lookup behind the four below: rows of 'table' by UUID or "name";
 * 'what' names the kind of row in messages ("switch", "port", "router"),
 * 'what_plural' in the ambiguity message ("logical switches"). */
struct nbctl_lookup {
    const char *table;
    const char *what;
    const char *what_plural;
};

static const struct ovsdb_client_row *
lookup(struct ctl_context *ctx, const struct nbctl_lookup *l, const char *id,
       bool must_exist)
{
    struct ovsdb_client_table *table = ovsdb_client_get_table(ctx->client,
                                                              l->table);
    const struct ovsdb_client_row *found = NULL, *row;
    struct uuid uuid;
    bool is_uuid = uuid_from_string(&uuid, id);

    if (is_uuid) {
        found = ovsdb_client_table_find(table, &uuid);
    }
    if (!found) {
        OVSDB_CLIENT_ROW_FOR_EACH (row, table) {
            const struct ovsdb_datum *name = ovsdb_client_row_get_by_name(
                row, "name");
            if (name->n != 1 || strcmp(ovsdb_atom_string(&name->keys[0]),
                                       id)) {
                continue;
            }
            if (found) {
                ctl_error(ctx, "Multiple %s named '%s'.  Use a UUID.",
                          l->what_plural, id);
                return NULL;
            }
            found = row;
        }
    }
    if (!found && must_exist) {
        ctl_error(ctx, "%s: %s %s not found", id, l->what,
                  is_uuid ? "UUID" : "name");
    }
    return found;
}

const struct nbrec_logical_switch *
nbctl_ls_lookup(struct ctl_context *ctx, const char *id, bool must_exist)
{
    static const struct nbctl_lookup l = {
        "Logical_Switch", "switch", "logical switches",
    };
    return (const struct nbrec_logical_switch *) lookup(ctx, &l, id,
                                                         must_exist);
}

const struct nbrec_logical_switch_port *
nbctl_lsp_lookup(struct ctl_context *ctx, const char *id, bool must_exist)
{
    static const struct nbctl_lookup l = {
        "Logical_Switch_Port", "port", "logical switch ports",
    };
    return (const struct nbrec_logical_switch_port *) lookup(ctx, &l, id,
                                                              must_exist);
}

const struct nbrec_logical_router *
nbctl_lr_lookup(struct ctl_context *ctx, const char *id, bool must_exist)
{
    static const struct nbctl_lookup l = {
        "Logical_Router", "router", "logical routers",
    };
    return (const struct nbrec_logical_router *) lookup(ctx, &l, id,
                                                         must_exist);
}

const struct nbrec_logical_router_port *
nbctl_lrp_lookup(struct ctl_context *ctx, const char *id, bool must_exist)
{
    static const struct nbctl_lookup l = {
        "Logical_Router_Port", "port", "logical router ports",
    };
    return (const struct nbrec_logical_router_port *) lookup(ctx, &l, id,
                                                              must_exist);
}

const struct nbrec_port_group *
nbctl_pg_lookup(struct ctl_context *ctx, const char *id, bool must_exist)
{
    static const struct nbctl_lookup l = {
        "Port_Group", "port group", "port groups",
    };
    return (const struct nbrec_port_group *) lookup(ctx, &l, id, must_exist);
}

const struct nbrec_load_balancer *
nbctl_lb_lookup(struct ctl_context *ctx, const char *id, bool must_exist)
{
    static const struct nbctl_lookup l = {
        "Load_Balancer", "load balancer", "load balancers",
    };
    return (const struct nbrec_load_balancer *) lookup(ctx, &l, id,
                                                        must_exist);
}

const struct nbrec_ha_chassis_group *
nbctl_ha_group_lookup(struct ctl_context *ctx, const char *id,
                      bool must_exist)
{
    /* Sic: ovn-nbctl's wording. */
    static const struct nbctl_lookup l = {
        "HA_Chassis_Group", "ha_chassi_group", "HA chassis groups",
    };
    return (const struct nbrec_ha_chassis_group *) lookup(ctx, &l, id,
                                                           must_exist);
}

const struct nbrec_copp *
nbctl_copp_lookup(struct ctl_context *ctx, const char *id, bool must_exist)
{
    static const struct nbctl_lookup l = { "Copp", "copp", "copps" };
    return (const struct nbrec_copp *) lookup(ctx, &l, id, must_exist);
}

const struct nbrec_mirror *
nbctl_mirror_lookup(struct ctl_context *ctx, const char *id, bool must_exist)
{
    static const struct nbctl_lookup l = { "Mirror", "mirror", "mirrors" };
    return (const struct nbrec_mirror *) lookup(ctx, &l, id, must_exist);
}

const struct nbrec_logical_switch *
nbctl_lsp_to_ls(struct ctl_context *ctx,
                const struct nbrec_logical_switch_port *lsp)
{
    const struct nbrec_logical_switch *ls;

    NBREC_LOGICAL_SWITCH_FOR_EACH (ls, ctx->client) {
        for (size_t i = 0; i < ls->n_ports; i++) {
            if (ls->ports[i] == lsp) {
                return ls;
            }
        }
    }
    ctl_error(ctx, "logical port %s is not part of any logical switch",
              lsp->name);
    return NULL;
}

const struct nbrec_logical_router *
nbctl_lrp_to_lr(struct ctl_context *ctx,
                const struct nbrec_logical_router_port *lrp)
{
    const struct nbrec_logical_router *lr;

    NBREC_LOGICAL_ROUTER_FOR_EACH (lr, ctx->client) {
        for (size_t i = 0; i < lr->n_ports; i++) {
            if (lr->ports[i] == lrp) {
                return lr;
            }
        }
    }
    ctl_error(ctx, "logical port %s is not part of any logical router",
              lrp->name);
    return NULL;
}

static int
compare_named_rows(const void *a_, const void *b_)
{
    const struct nbctl_named_row *a = a_, *b = b_;
    int cmp = strcmp(a->name, b->name);
    return cmp ? cmp : uuid_compare(a->uuid, b->uuid);
}

void
nbctl_print_named_rows(struct nbctl_named_row *rows, size_t n,
                       struct ds *out)
{
    qsort(rows, n, sizeof *rows, compare_named_rows);
    for (size_t i = 0; i < n; i++) {
        ds_put_format(out, UUID_FMT " (%s)\n", UUID_ARGS(rows[i].uuid),
                      rows[i].name);
    }
}

size_t
nbctl_parse_options(struct ctl_context *ctx, int first, char ***keysp,
                    char ***valuesp)
{
    size_t n = ctx->argc > first ? ctx->argc - first : 0;
    char **keys = xcalloc(n + 1, sizeof *keys);
    char **values = xcalloc(n + 1, sizeof *values);
    size_t n_pairs = 0;

    for (size_t i = 0; i < n; i++) {
        const char *arg = ctx->argv[first + i];
        const char *eq = strchr(arg, '=');
        if (eq) {
            keys[n_pairs] = xmemdup0(arg, eq - arg);
            values[n_pairs++] = xstrdup(eq + 1);
        }
    }
    *keysp = keys;
    *valuesp = values;
    return n_pairs;
}

void
nbctl_free_options(char **keys, char **values, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(keys[i]);
        free(values[i]);
    }
    free(keys);
    free(values);
}

void
nbctl_print_smap(struct ds *out, const struct ovsdb_datum *map)
{
    for (unsigned int i = 0; i < map->n; i++) {
        ds_put_format(out, "%s=%s\n", ovsdb_atom_string(&map->keys[i]),
                      ovsdb_atom_string(&map->values[i]));
    }
}

/* Parses "enabled" or "disabled".  Returns false after ctl_error(). */
bool
nbctl_parse_enabled(struct ctl_context *ctx, const char *state, bool *enabled)
{
    if (!strcasecmp(state, "enabled")) {
        *enabled = true;
    } else if (!strcasecmp(state, "disabled")) {
        *enabled = false;
    } else {
        ctl_error(ctx, "%s: state must be \"enabled\" or \"disabled\"",
                  state);
        return false;
    }
    return true;
}

void *
nbctl_copy_array(const void *array, size_t n, size_t size)
{
    void *copy = xmalloc(n ? n * size : 1);
    if (n) {
        memcpy(copy, array, n * size);
    }
    return copy;
}

void
nbctl_add_named_row(struct ctl_context *ctx, const char *table_name,
                    const char *what)
{
    const char *name = ctx->argc == 2 ? ctx->argv[1] : NULL;
    bool may_exist = ctl_has_option(ctx, "--may-exist");
    bool add_duplicate = ctl_has_option(ctx, "--add-duplicate");
    struct ovsdb_client_table *table = ovsdb_client_get_table(ctx->client,
                                                              table_name);
    const struct ovsdb_client_row *row;

    if (may_exist && add_duplicate) {
        ctl_error(ctx, "--may-exist and --add-duplicate may not be used "
                  "together");
        return;
    }
    if (name && !add_duplicate) {
        OVSDB_CLIENT_ROW_FOR_EACH (row, table) {
            const struct ovsdb_datum *d = ovsdb_client_row_get_by_name(
                row, "name");
            if (d->n == 1 && !strcmp(ovsdb_atom_string(&d->keys[0]), name)) {
                if (!may_exist) {
                    ctl_error(ctx, "%s: a %s with this name already exists",
                              name, what);
                }
                return;
            }
        }
    } else if (!name && (may_exist || add_duplicate)) {
        ctl_error(ctx, "%s requires specifying a name",
                  may_exist ? "--may-exist" : "--add-duplicate");
        return;
    }
    row = ovsdb_client_txn_insert(ctx->txn, table);
    if (name) {
        struct ovsdb_datum d;
        ovsdb_datum_init_string(&d, name);
        ovsdb_client_txn_write(ctx->txn, row,
                               ovsdb_table_schema_get_column(table->schema,
                                                             "name")->index,
                               &d);
    }
}

void
nbctl_list_named_rows(struct ctl_context *ctx, const char *table_name)
{
    struct ovsdb_client_table *table = ovsdb_client_get_table(ctx->client,
                                                              table_name);
    struct nbctl_named_row *rows = xcalloc(ovsdb_client_table_count(table)
                                           + 1, sizeof *rows);
    const struct ovsdb_client_row *row;
    size_t n = 0;

    OVSDB_CLIENT_ROW_FOR_EACH (row, table) {
        const struct ovsdb_datum *d = ovsdb_client_row_get_by_name(row,
                                                                   "name");
        rows[n].uuid = &row->uuid;
        rows[n++].name = d->n ? ovsdb_atom_string(&d->keys[0]) : "";
    }
    nbctl_print_named_rows(rows, n, ctx->output);
    free(rows);
}

bool
nbctl_scan_int64(const char *s, int64_t *value)
{
    uint64_t v = 0;
    bool negative = false;

    while (isspace((unsigned char) *s)) {
        s++;
    }
    if (*s == '+' || *s == '-') {
        negative = *s++ == '-';
    }
    if (!isdigit((unsigned char) *s)) {
        return false;
    }
    for (; isdigit((unsigned char) *s); s++) {
        v = v * 10 + (*s - '0');   /* Wraps, as ovn-nbctl's scanner does. */
    }
    *value = (int64_t) (negative ? -v : v);
    return true;
}
