/* weft-sbctl's own commands besides the logical flow ones: init, show,
 * chassis-add, chassis-del, lsp-bind, lsp-unbind.  See sbctl-cmds.h. */
#include "cli/sbctl-cmds.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "ds.h"
#include "util.h"
#include "ovsdb/client-txn.h"
#include "ovsdb/datum.h"
#include "ovsdb/schema.h"
#include "cli/sbctl-lflow.h"
#include "ovsdb/sbrec-idl.h"

/* Lookups by name (exact, case-sensitive; never by UUID). */

static const struct sbrec_chassis *
find_chassis(struct ctl_context *ctx, const char *name)
{
    const struct sbrec_chassis *ch;

    SBREC_CHASSIS_FOR_EACH (ch, ctx->client) {
        if (!strcmp(ch->name, name)) {
            return ch;
        }
    }
    return NULL;
}

static const struct sbrec_port_binding *
find_port(struct ctl_context *ctx, const char *name)
{
    const struct sbrec_port_binding *pb;

    SBREC_PORT_BINDING_FOR_EACH (pb, ctx->client) {
        if (!strcmp(pb->logical_port, name)) {
            return pb;
        }
    }
    return NULL;
}

/* init: nothing beyond what every run does (create SB_Global). */

static void
cmd_init(struct ctl_context *ctx OVS_UNUSED)
{
}

/* show. */

static void
pre_show(struct ctl_context *ctx)
{
    ctl_need_table(ctx, "Chassis");
    ctl_need_table(ctx, "Encap");
    ctl_need_table(ctx, "Port_Binding");
}

/* Appends column 'column' of 'row' as the generic commands print values
 * (strings quoted only when they need it). */
static void
put_value(struct ds *s, const struct ovsdb_client_row *row,
          unsigned int column)
{
    ovsdb_datum_to_string(ovsdb_client_row_get(row, column),
                          ovsdb_client_row_get_type(row, column), s);
}

/* Prints "COLUMN: VALUE" at 'indent' unless the value is the default. */
static void
put_column(struct ds *s, const struct ovsdb_client_row *row,
           unsigned int column, int indent)
{
    const struct ovsdb_type *type = ovsdb_client_row_get_type(row, column);

    if (!ovsdb_datum_is_default(ovsdb_client_row_get(row, column), type)) {
        ds_put_char_multiple(s, ' ', indent);
        ds_put_format(s, "%s: ",
                      row->table->schema->columns[column]->name);
        put_value(s, row, column);
        ds_put_char(s, '\n');
    }
}

static int
compare_chassis_names(const void *a_, const void *b_)
{
    const struct sbrec_chassis *const *a = a_;
    const struct sbrec_chassis *const *b = b_;
    return strcmp((*a)->name, (*b)->name);
}

static int
compare_port_names(const void *a_, const void *b_)
{
    const struct sbrec_port_binding *const *a = a_;
    const struct sbrec_port_binding *const *b = b_;
    return strcmp((*a)->logical_port, (*b)->logical_port);
}

/* Prints chassis 'ch': its hostname, its encaps (in the order of its
 * "encaps" column) and the ports among the 'n' in 'pbs' bound to it. */
static void
show_chassis(struct ds *s, const struct sbrec_chassis *ch,
             const struct sbrec_port_binding **pbs, size_t n)
{
    ds_put_cstr(s, "Chassis ");
    put_value(s, &ch->header_, SBREC_CHASSIS_COL_NAME);
    ds_put_char(s, '\n');
    put_column(s, &ch->header_, SBREC_CHASSIS_COL_HOSTNAME, 4);
    for (size_t i = 0; i < ch->n_encaps; i++) {
        const struct sbrec_encap *encap = ch->encaps[i];
        ds_put_cstr(s, "    Encap ");
        put_value(s, &encap->header_, SBREC_ENCAP_COL_TYPE);
        ds_put_char(s, '\n');
        put_column(s, &encap->header_, SBREC_ENCAP_COL_IP, 8);
        put_column(s, &encap->header_, SBREC_ENCAP_COL_OPTIONS, 8);
    }
    for (size_t i = 0; i < n; i++) {
        if (pbs[i]->chassis == ch) {
            ds_put_cstr(s, "    Port_Binding ");
            put_value(s, &pbs[i]->header_,
                      SBREC_PORT_BINDING_COL_LOGICAL_PORT);
            ds_put_char(s, '\n');
        }
    }
}

/* ovn-sbctl prints chassis and ports in hash order; weft sorts them by
 * name. */
static void
cmd_show(struct ctl_context *ctx)
{
    struct ovsdb_client_table *ct = sbrec_chassis_table(ctx->client);
    struct ovsdb_client_table *pt = sbrec_port_binding_table(ctx->client);
    const struct sbrec_chassis **chassis = xmalloc(
        (ovsdb_client_table_count(ct) + 1) * sizeof *chassis);
    const struct sbrec_port_binding **pbs = xmalloc(
        (ovsdb_client_table_count(pt) + 1) * sizeof *pbs);
    const struct sbrec_chassis *ch;
    const struct sbrec_port_binding *pb;
    size_t n_chassis = 0, n_pbs = 0;

    SBREC_CHASSIS_FOR_EACH (ch, ctx->client) {
        chassis[n_chassis++] = ch;
    }
    SBREC_PORT_BINDING_FOR_EACH (pb, ctx->client) {
        if (pb->chassis) {
            pbs[n_pbs++] = pb;
        }
    }
    qsort(chassis, n_chassis, sizeof *chassis, compare_chassis_names);
    qsort(pbs, n_pbs, sizeof *pbs, compare_port_names);
    for (size_t i = 0; i < n_chassis; i++) {
        show_chassis(ctx->output, chassis[i], pbs, n_pbs);
    }
    free(chassis);
    free(pbs);
}

/* chassis-add and chassis-del. */

static void
pre_chassis(struct ctl_context *ctx)
{
    ctl_need_table(ctx, "Chassis");
    ctl_need_table(ctx, "Chassis_Private");
    ctl_need_table(ctx, "Encap");
}

/* Splits 'list' at commas into its distinct, non-empty items (in no
 * particular order: the encaps' order is their UUIDs').  Returns the
 * count; the caller frees '*itemsp' and '*copyp'. */
static size_t
split_types(const char *list, char ***itemsp, char **copyp)
{
    char *copy = xstrdup(list), *save = NULL;
    char **items = xmalloc((strlen(list) + 1) * sizeof *items);
    size_t n = 0;

    for (char *tok = strtok_r(copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        size_t i = 0;
        while (i < n && strcmp(items[i], tok)) {
            i++;
        }
        if (i == n) {
            items[n++] = tok;
        }
    }
    *itemsp = items;
    *copyp = copy;
    return n;
}

/* Inserts chassis 'name' with one encap per type in 'types' at 'ip'.  An
 * empty list leaves "encaps" empty, which the server refuses. */
static void
insert_chassis(struct ctl_context *ctx, const char *name, const char *types,
               const char *ip)
{
    static const char *csum_key = "csum", *csum_value = "true";
    char **items, *copy;
    size_t n = split_types(types, &items, &copy);
    const struct sbrec_encap **encaps = xmalloc((n + 1) * sizeof *encaps);

    for (size_t i = 0; i < n; i++) {
        struct sbrec_encap *encap = sbrec_encap_insert(ctx->txn);
        sbrec_encap_set_type(ctx->txn, encap, items[i]);
        sbrec_encap_set_ip(ctx->txn, encap, ip);
        sbrec_encap_set_options(ctx->txn, encap, &csum_key, &csum_value, 1);
        sbrec_encap_set_chassis_name(ctx->txn, encap, name);
        encaps[i] = encap;
    }
    struct sbrec_chassis *ch = sbrec_chassis_insert(ctx->txn);
    sbrec_chassis_set_name(ctx->txn, ch, name);
    sbrec_chassis_set_encaps(ctx->txn, ch, encaps, n);
    free(encaps);
    free(items);
    free(copy);
}

static void
cmd_chassis_add(struct ctl_context *ctx)
{
    const char *name = ctx->argv[1];

    if (find_chassis(ctx, name)) {
        if (!ctl_has_option(ctx, "--may-exist")) {
            ctl_error(ctx, "cannot create a chassis named %s because a "
                      "chassis named %s already exists", name, name);
        }
        return;
    }
    insert_chassis(ctx, name, ctx->argv[2], ctx->argv[3]);
}

/* Deletes chassis argv[1], its encaps and the Chassis_Private row of the
 * same name. */
static void
cmd_chassis_del(struct ctl_context *ctx)
{
    const char *name = ctx->argv[1];
    const struct sbrec_chassis *ch = find_chassis(ctx, name);

    if (!ch) {
        if (!ctl_has_option(ctx, "--if-exists")) {
            ctl_error(ctx, "no chassis named %s", name);
        }
        return;
    }
    for (size_t i = 0; i < ch->n_encaps; i++) {
        sbrec_encap_delete(ctx->txn, ch->encaps[i]);
    }

    const struct sbrec_chassis_private *cp, *next;
    for (cp = sbrec_chassis_private_first(ctx->client); cp; cp = next) {
        next = sbrec_chassis_private_next(cp);
        if (!strcmp(cp->name, name)) {
            sbrec_chassis_private_delete(ctx->txn, cp);
        }
    }
    sbrec_chassis_delete(ctx->txn, ch);
}

/* lsp-bind and lsp-unbind. */

static void
pre_binding(struct ctl_context *ctx)
{
    ctl_need_table(ctx, "Chassis");
    ctl_need_table(ctx, "Port_Binding");
}

static void
cmd_lsp_bind(struct ctl_context *ctx)
{
    const struct sbrec_port_binding *pb = find_port(ctx, ctx->argv[1]);
    if (!pb) {
        ctl_error(ctx, "no port named %s", ctx->argv[1]);
        return;
    }
    const struct sbrec_chassis *ch = find_chassis(ctx, ctx->argv[2]);
    if (!ch) {
        ctl_error(ctx, "no chassis named %s", ctx->argv[2]);
        return;
    }
    if (pb->chassis) {
        if (pb->chassis != ch || !ctl_has_option(ctx, "--may-exist")) {
            /* Sic: ovn-sbctl's wording. */
            ctl_error(ctx, "lport (%s) has already been binded to chassis "
                      "(%s)", pb->logical_port, pb->chassis->name);
        }
        return;
    }

    static const bool up = true;
    sbrec_port_binding_set_chassis(ctx->txn, pb, ch);
    sbrec_port_binding_set_up(ctx->txn, pb, &up, 1);
}

static void
cmd_lsp_unbind(struct ctl_context *ctx)
{
    const struct sbrec_port_binding *pb = find_port(ctx, ctx->argv[1]);

    if (!pb) {
        if (!ctl_has_option(ctx, "--if-exists")) {
            ctl_error(ctx, "no port named %s", ctx->argv[1]);
        }
        return;
    }
    sbrec_port_binding_set_chassis(ctx->txn, pb, NULL);
    sbrec_port_binding_set_up(ctx->txn, pb, NULL, 0);
}

const struct ctl_command_syntax sbctl_commands[] = {
    { "init", 0, 0, "", NULL, cmd_init, NULL, "", CTL_RW },
    { "show", 0, 0, "", pre_show, cmd_show, NULL, "", CTL_RO },
    { "chassis-add", 3, 3, "CHASSIS ENCAP-TYPE ENCAP-IP", pre_chassis,
      cmd_chassis_add, NULL, "--may-exist", CTL_RW },
    { "chassis-del", 1, 1, "CHASSIS", pre_chassis, cmd_chassis_del, NULL,
      "--if-exists", CTL_RW },
    { "lsp-bind", 2, 2, "PORT CHASSIS", pre_binding, cmd_lsp_bind, NULL,
      "--may-exist", CTL_RW },
    { "lsp-unbind", 1, 1, "PORT", pre_binding, cmd_lsp_unbind, NULL,
      "--if-exists", CTL_RW },
    { "lflow-list", 0, INT_MAX, "[DATAPATH] [LFLOW...]",
      sbctl_lflow_prerequisites, sbctl_lflow_list, NULL, "--uuid", CTL_RO },
    { "dump-flows", 0, INT_MAX, "[DATAPATH] [LFLOW...]",
      sbctl_lflow_prerequisites, sbctl_lflow_list, NULL, "--uuid", CTL_RO },
    { "count-flows", 0, 1, "[DATAPATH]", sbctl_lflow_prerequisites,
      sbctl_count_flows, NULL, "", CTL_RO },
};

const size_t sbctl_n_commands = ARRAY_SIZE(sbctl_commands);
