/* cli/db-ctl-conn: connection and SSL commands (see db-ctl-conn.h). */
#include "cli/db-ctl-conn.h"

#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "ds.h"
#include "util.h"
#include "vlog.h"
#include "cli/db-ctl.h"
#include "ovsdb/client.h"
#include "ovsdb/client-txn.h"
#include "ovsdb/datum.h"
#include "ovsdb/schema.h"

static unsigned int
column_index(const struct ovsdb_client_row *row, const char *name)
{
    const struct ovsdb_column *column
        = ovsdb_table_schema_get_column(row->table->schema, name);
    ASSERT(column);
    return column->index;
}

static const struct ovsdb_datum *
column_value(const struct ovsdb_client_row *row, const char *name)
{
    return ovsdb_client_row_get(row, column_index(row, name));
}

/* The rows of 'table' that 'owner''s reference column 'column' names
 * (dangling references skipped), in a new array of '*n' rows. */
static const struct ovsdb_client_row **
referenced_rows(struct ctl_context *ctx, const struct ovsdb_client_row *owner,
                const char *column, const char *table, size_t *n)
{
    const struct ovsdb_datum *refs = column_value(owner, column);
    struct ovsdb_client_table *t = ovsdb_client_get_table(ctx->client,
                                                          table);
    const struct ovsdb_client_row **rows = xcalloc(refs->n + 1,
                                                   sizeof *rows);
    *n = 0;
    for (unsigned int i = 0; t && i < refs->n; i++) {
        const struct ovsdb_client_row *row
            = ovsdb_client_table_find(t, &refs->keys[i].uuid);
        if (row) {
            rows[(*n)++] = row;
        }
    }
    return rows;
}

/* The table that 'owner''s 'column' refers to. */
static const char *
ref_table(const struct ovsdb_client_row *owner, const char *column)
{
    const struct ovsdb_column *c
        = ovsdb_table_schema_get_column(owner->table->schema, column);
    ASSERT(c && c->type.key.uuid.ref_table_name);
    return c->type.key.uuid.ref_table_name;
}

static void
delete_referenced(struct ctl_context *ctx,
                  const struct ovsdb_client_row *owner, const char *column)
{
    size_t n;
    const struct ovsdb_client_row **rows
        = referenced_rows(ctx, owner, column, ref_table(owner, column), &n);
    ovsdb_client_txn_write_c(ctx->txn, owner, column_index(owner, column),
                             NULL, NULL, 0);
    for (size_t i = 0; i < n; i++) {
        ovsdb_client_txn_delete(ctx->txn, rows[i]);
    }
    free(rows);
}

/* Is 'target' of a type that OVSDB's streams know?  Only the prefix is
 * checked, as the OVS tools do. */
static bool
target_type_is_known(const char *target)
{
    static const char *const types[] = {
        "tcp:", "ssl:", "unix:", "ptcp:", "pssl:", "punix:",
    };
    for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
        if (!strncmp(target, types[i], strlen(types[i]))) {
            return true;
        }
    }
    return false;
}

void
ctl_conn_set(struct ctl_context *ctx, const struct ovsdb_client_row *owner,
             const char *column, const char *table, char *targets[],
             size_t n_targets, struct vlog_module *module)
{
    const char *probe_arg = ctl_get_option(ctx, "--inactivity-probe");
    /* Like atoi(): leading digits, 0 if there are none. */
    int64_t probe = probe_arg ? strtoll(probe_arg, NULL, 10) : 0;
    struct ovsdb_client_table *t = ovsdb_client_get_table(ctx->client,
                                                          table);
    const struct ovsdb_client_row **rows = xcalloc(n_targets + 1,
                                                   sizeof *rows);

    delete_referenced(ctx, owner, column);
    for (size_t i = 0; i < n_targets; i++) {
        if (!target_type_is_known(targets[i])) {
            vlog(module, VLL_WARN, "target type \"%s\" is possibly "
                 "erroneous", targets[i]);
        }
        rows[i] = ovsdb_client_txn_insert(ctx->txn, t);
        const char *target = targets[i];
        ovsdb_client_txn_write_c(ctx->txn, rows[i],
                                 column_index(rows[i], "target"), &target,
                                 NULL, 1);
        if (probe_arg) {
            ovsdb_client_txn_write_c(ctx->txn, rows[i],
                                     column_index(rows[i],
                                                  "inactivity_probe"),
                                     &probe, NULL, 1);
        }
    }
    ovsdb_client_txn_write_c(ctx->txn, owner, column_index(owner, column),
                             rows, NULL, n_targets);
    free(rows);
}

static const char *
string_value(const struct ovsdb_client_row *row, const char *column)
{
    const struct ovsdb_datum *d = column_value(row, column);
    return d->n ? ovsdb_atom_string(&d->keys[0]) : "";
}

static bool
bool_value(const struct ovsdb_client_row *row, const char *column)
{
    const struct ovsdb_datum *d = column_value(row, column);
    return d->n && d->keys[0].boolean;
}

static int
compare_targets(const void *a_, const void *b_)
{
    const struct ovsdb_client_row *const *a = a_;
    const struct ovsdb_client_row *const *b = b_;
    return strcmp(string_value(*a, "target"), string_value(*b, "target"));
}

void
ctl_conn_get(struct ctl_context *ctx, const struct ovsdb_client_row *owner,
             const char *column, enum ctl_conn_format format)
{
    size_t n;
    const struct ovsdb_client_row **rows
        = referenced_rows(ctx, owner, column, ref_table(owner, column), &n);

    qsort(rows, n, sizeof *rows, compare_targets);
    for (size_t i = 0; i < n; i++) {
        if (format == CTL_CONN_ROLE) {
            ds_put_format(ctx->output, "%s role=\"%s\" ",
                          bool_value(rows[i], "read_only")
                          ? "read-only" : "read-write",
                          string_value(rows[i], "role"));
        }
        ds_put_format(ctx->output, "%s\n", string_value(rows[i], "target"));
    }
    free(rows);
}

void
ctl_conn_del(struct ctl_context *ctx, const struct ovsdb_client_row *owner,
             const char *column)
{
    delete_referenced(ctx, owner, column);
}

void
ctl_ssl_set(struct ctl_context *ctx, const struct ovsdb_client_row *owner,
            char *args[], size_t n_args, bool bootstrap)
{
    static const char *const columns[] = {
        "private_key", "certificate", "ca_cert", "ssl_protocols",
        "ssl_ciphers",
    };
    struct ovsdb_client_table *t = ovsdb_client_get_table(ctx->client,
                                                          "SSL");

    delete_referenced(ctx, owner, "ssl");
    const struct ovsdb_client_row *ssl = ovsdb_client_txn_insert(ctx->txn,
                                                                 t);
    for (size_t i = 0; i < n_args && i < ARRAY_SIZE(columns); i++) {
        const char *value = args[i];
        ovsdb_client_txn_write_c(ctx->txn, ssl, column_index(ssl,
                                                             columns[i]),
                                 &value, NULL, 1);
    }
    ovsdb_client_txn_write_c(ctx->txn, ssl,
                             column_index(ssl, "bootstrap_ca_cert"),
                             &bootstrap, NULL, 1);
    ovsdb_client_txn_write_c(ctx->txn, owner, column_index(owner, "ssl"),
                             &ssl, NULL, 1);
}

void
ctl_ssl_get(struct ctl_context *ctx, const struct ovsdb_client_row *owner)
{
    size_t n;
    const struct ovsdb_client_row **rows
        = referenced_rows(ctx, owner, "ssl", "SSL", &n);
    if (n) {
        const struct ovsdb_client_row *ssl = rows[0];
        ds_put_format(ctx->output, "Private key: %s\n",
                      string_value(ssl, "private_key"));
        ds_put_format(ctx->output, "Certificate: %s\n",
                      string_value(ssl, "certificate"));
        ds_put_format(ctx->output, "CA Certificate: %s\n",
                      string_value(ssl, "ca_cert"));
        ds_put_format(ctx->output, "Bootstrap: %s\n",
                      bool_value(ssl, "bootstrap_ca_cert")
                      ? "true" : "false");
    }
    free(rows);
}

void
ctl_ssl_del(struct ctl_context *ctx, const struct ovsdb_client_row *owner)
{
    delete_referenced(ctx, owner, "ssl");
}

/* The commands of tools whose connections hang off their singleton
 * configuration row (NB_Global, SB_Global). */

static void
pre_global_conn(struct ctl_context *ctx)
{
    ctl_need_columns(ctx, ctx->tool->singleton_table, "connections,ssl");
    ctl_need_table(ctx, "Connection");
    ctl_need_table(ctx, "SSL");
}

static const struct ovsdb_client_row *
global_row(struct ctl_context *ctx)
{
    struct ovsdb_client_table *t
        = ovsdb_client_get_table(ctx->client, ctx->tool->singleton_table);
    /* The engine inserts the row into every transaction that lacks it. */
    const struct ovsdb_client_row *row = ovsdb_client_table_first(t);
    ASSERT(row);
    return row;
}

static void
cmd_get_connection(struct ctl_context *ctx)
{
    struct ovsdb_client_table *t = ovsdb_client_get_table(ctx->client,
                                                          "Connection");
    bool has_role = ovsdb_table_schema_get_column(t->schema, "role");
    ctl_conn_get(ctx, global_row(ctx), "connections",
                 has_role ? CTL_CONN_ROLE : CTL_CONN_TARGET);
}

static void
cmd_del_connection(struct ctl_context *ctx)
{
    ctl_conn_del(ctx, global_row(ctx), "connections");
}

static void
cmd_set_connection(struct ctl_context *ctx)
{
    ctl_conn_set(ctx, global_row(ctx), "connections", "Connection",
                 &ctx->argv[1], ctx->argc - 1,
                 ctx->tool->own_log_module ? ctx->tool->own_log_module
                                           : ctx->tool->log_module);
}

static void
cmd_get_ssl(struct ctl_context *ctx)
{
    ctl_ssl_get(ctx, global_row(ctx));
}

static void
cmd_del_ssl(struct ctl_context *ctx)
{
    ctl_ssl_del(ctx, global_row(ctx));
}

static void
cmd_set_ssl(struct ctl_context *ctx)
{
    ctl_ssl_set(ctx, global_row(ctx), &ctx->argv[1], ctx->argc - 1,
                ctl_has_option(ctx, "--bootstrap"));
}

const struct ctl_command_syntax ctl_conn_commands[] = {
    { "get-connection", 0, 0, "", pre_global_conn, cmd_get_connection, NULL,
      "", CTL_RO },
    { "del-connection", 0, 0, "", pre_global_conn, cmd_del_connection, NULL,
      "", CTL_RW },
    { "set-connection", 1, INT_MAX, "TARGET...", pre_global_conn,
      cmd_set_connection, NULL, "--inactivity-probe=", CTL_RW },
    { "get-ssl", 0, 0, "", pre_global_conn, cmd_get_ssl, NULL, "", CTL_RO },
    { "del-ssl", 0, 0, "", pre_global_conn, cmd_del_ssl, NULL, "", CTL_RW },
    { "set-ssl", 3, 5, "PRIV-KEY CERT CA-CERT [SSL-PROTOS [SSL-CIPHERS]]",
      pre_global_conn, cmd_set_ssl, NULL, "--bootstrap", CTL_RW },
};

const size_t ctl_n_conn_commands = ARRAY_SIZE(ctl_conn_commands);
