/* weft-vsctl "show": an overview of the Open_vSwitch database, in
 * ovs-vsctl 3.1's format:
 *
 *     0b7f2c4e-...                       the Open_vSwitch row's uuid
 *         Manager "ptcp:6640"            (each level indented 4 spaces)
 *             is_connected: true
 *         Bridge br-int
 *             Controller "tcp:..."
 *             fail_mode: secure
 *             Port vm1
 *                 tag: 5
 *                 Interface vm1
 *                     type: internal
 *         ovs_version: "3.1.0"
 *
 * A row prints as "TABLE NAME" (or its uuid for Open_vSwitch), then its
 * show columns in the order below: a reference column to a shown table
 * prints the referenced rows one level deeper, in the column's (uuid)
 * order; any other column prints as "column: value" unless it holds its
 * default value (empty, 0, false, ""). */
#include <string.h>
#include "ds.h"
#include "ovsdb/client.h"
#include "ovsdb/datum.h"
#include "ovsdb/schema.h"
#include "cli/db-ctl.h"
#include "cli/vsctl-private.h"

struct show_table {
    const char *table;
    const char *name_column;    /* NULL: name the row by its uuid. */
    const char *columns[4];
};

static const struct show_table show_tables[] = {
    { "Open_vSwitch", NULL, { "manager_options", "bridges", "ovs_version" } },
    { "Bridge", "name",
      { "controller", "fail_mode", "datapath_type", "ports" } },
    { "Port", "name", { "tag", "trunks", "interfaces" } },
    { "Interface", "name", { "type", "options", "error", "bfd_status" } },
    { "Controller", "target", { "is_connected" } },
    { "Manager", "target", { "is_connected" } },
};

static const struct show_table *
find_show_table(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(show_tables); i++) {
        if (!strcmp(show_tables[i].table, name)) {
            return &show_tables[i];
        }
    }
    return NULL;
}

void
vsctl_pre_show(struct ctl_context *ctx)
{
    for (size_t i = 0; i < ARRAY_SIZE(show_tables); i++) {
        ctl_need_table(ctx, show_tables[i].table);
    }
}

static void show_row(struct ctl_context *, const struct show_table *,
                     const struct ovsdb_client_row *, int level);

/* Prints column 'name' of 'row' at 'level'. */
static void
show_column(struct ctl_context *ctx, const struct ovsdb_client_row *row,
            const char *name, int level)
{
    const struct ovsdb_column *column
        = ovsdb_table_schema_get_column(row->table->schema, name);
    const struct ovsdb_datum *datum = ovsdb_client_row_get(row,
                                                           column->index);
    const struct ovsdb_type *type = &column->type;
    const char *ref = type->key.type == OVSDB_TYPE_UUID
                      ? type->key.uuid.ref_table_name : NULL;
    const struct show_table *ref_show = ref ? find_show_table(ref) : NULL;

    if (ref_show) {
        struct ovsdb_client_table *table
            = ovsdb_client_get_table(ctx->client, ref);
        for (unsigned int i = 0; i < datum->n; i++) {
            const struct ovsdb_client_row *child
                = ovsdb_client_table_find(table, &datum->keys[i].uuid);
            if (child) {
                show_row(ctx, ref_show, child, level);
            }
        }
    } else if (!ovsdb_datum_is_default(datum, type)) {
        ds_put_char_multiple(ctx->output, ' ', level * 4);
        ds_put_format(ctx->output, "%s: ", name);
        ovsdb_datum_to_string(datum, type, ctx->output);
        ds_put_char(ctx->output, '\n');
    }
}

static void
show_row(struct ctl_context *ctx, const struct show_table *show,
         const struct ovsdb_client_row *row, int level)
{
    ds_put_char_multiple(ctx->output, ' ', level * 4);
    if (show->name_column) {
        const struct ovsdb_column *column = ovsdb_table_schema_get_column(
            row->table->schema, show->name_column);
        ds_put_format(ctx->output, "%s ", show->table);
        ovsdb_datum_to_string(ovsdb_client_row_get(row, column->index),
                              &column->type, ctx->output);
    } else {
        ds_put_format(ctx->output, UUID_FMT, UUID_ARGS(&row->uuid));
    }
    ds_put_char(ctx->output, '\n');

    for (size_t i = 0; i < ARRAY_SIZE(show->columns); i++) {
        if (show->columns[i]) {
            show_column(ctx, row, show->columns[i], level + 1);
        }
    }
}

void
vsctl_cmd_show(struct ctl_context *ctx)
{
    struct ovsdb_client_table *table = ovsdb_client_get_table(ctx->client,
                                                              "Open_vSwitch");
    const struct ovsdb_client_row *row;

    OVSDB_CLIENT_ROW_FOR_EACH (row, table) {
        show_row(ctx, &show_tables[0], row, 0);
    }
}
