/* weft-sbctl's logical flow commands: lflow-list (alias dump-flows) and
 * count-flows.  See sbctl-lflow.h for what they print. */
#include "cli/sbctl-lflow.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "ds.h"
#include "util.h"
#include "uuid.h"
#include "cli/db-ctl.h"
#include "ovsdb/sbrec-idl.h"

/* One output line: logical flow 'lflow' on datapath 'dp'. */
struct lflow_entry {
    const struct sbrec_logical_flow *lflow;
    const struct sbrec_datapath_binding *dp;
};

/* Which flows to show. */
struct lflow_filter {
    const struct sbrec_datapath_binding *dp;  /* Only this one, or NULL. */
    bool match_none;            /* A DATAPATH that names no datapath. */
    const char **prefixes;      /* UUID prefixes, leading zeros removed; */
    size_t n_prefixes;          /* with none, every flow matches. */
};

void
sbctl_lflow_prerequisites(struct ctl_context *ctx)
{
    ctl_need_table(ctx, "Logical_Flow");
    ctl_need_table(ctx, "Logical_DP_Group");
    ctl_need_table(ctx, "Datapath_Binding");
}

/* Arguments. */

static bool
is_hex_digit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')
           || (c >= 'A' && c <= 'F');
}

/* Is 's' the non-empty beginning of a UUID's text form? */
static bool
is_uuid_prefix(const char *s)
{
    static const char tmpl[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
    size_t i;

    for (i = 0; s[i]; i++) {
        if (i >= UUID_LEN
            || (tmpl[i] == '-' ? s[i] != '-' : !is_hex_digit(s[i]))) {
            return false;
        }
    }
    return i > 0;
}

static const char *
skip_zeros(const char *s)
{
    while (*s == '0') {
        s++;
    }
    return s;
}

/* Returns what flow UUIDs must begin with to match argument 's', with
 * leading zeros removed (OpenFlow cookies, taken from flow UUIDs, print
 * without them), or NULL if 's' is not a UUID prefix. */
static const char *
parse_lflow_prefix(const char *s)
{
    if (is_uuid_prefix(s)) {
        return skip_zeros(s);
    }
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')
        && is_uuid_prefix(s + 2)) {
        return skip_zeros(s + 2);
    }
    return NULL;
}

static bool
lflow_matches_prefixes(const struct sbrec_logical_flow *lflow,
                       const struct lflow_filter *filter)
{
    if (!filter->n_prefixes) {
        return true;
    }

    char s[UUID_LEN + 1];
    const char *u = skip_zeros(uuid_to_cstr(&lflow->header_.uuid, s));
    for (size_t i = 0; i < filter->n_prefixes; i++) {
        const char *p = filter->prefixes[i];
        if (!strncmp(u, p, strlen(p))) {
            return true;
        }
    }
    return false;
}

/* Looks up argv[1] as a datapath, if there is one.  Returns true if it
 * names one (stored in 'filter'), false if not or after ctl_error(). */
static bool
parse_datapath(struct ctl_context *ctx, struct lflow_filter *filter)
{
    if (ctx->argc < 2) {
        return false;
    }

    const struct ovsdb_client_row *row = ctl_get_row(
        ctx, sbrec_datapath_binding_table(ctx->client), ctx->argv[1],
        false);
    /* The typed row begins with the generic one. */
    filter->dp = (const struct sbrec_datapath_binding *) row;
    return row != NULL;
}

/* Collecting and sorting. */

struct lflow_entries {
    struct lflow_entry *entries;
    size_t n;
    size_t allocated;
};

static void
add_entry(struct lflow_entries *le, const struct sbrec_logical_flow *lflow,
          const struct sbrec_datapath_binding *dp)
{
    if (le->n >= le->allocated) {
        le->entries = x2nrealloc(le->entries, &le->allocated,
                                 sizeof *le->entries);
    }
    le->entries[le->n++] = (struct lflow_entry) { lflow, dp };
}

static bool
lflow_is_on_datapath(const struct sbrec_logical_flow *lflow,
                     const struct sbrec_datapath_binding *dp)
{
    const struct sbrec_logical_dp_group *g = lflow->logical_dp_group;

    if (lflow->logical_datapath == dp) {
        return true;
    }
    for (size_t i = 0; g && i < g->n_datapaths; i++) {
        if (g->datapaths[i] == dp) {
            return true;
        }
    }
    return false;
}

/* With a datapath, a flow is listed once under it.  Without one, a flow is
 * listed under its logical_datapath and under each datapath of its group:
 * twice under a datapath that is both, as ovn-sbctl does. */
static void
collect_entries(struct ctl_context *ctx, const struct lflow_filter *filter,
                struct lflow_entries *le)
{
    const struct sbrec_logical_flow *lflow;

    memset(le, 0, sizeof *le);
    if (filter->match_none) {
        return;
    }
    SBREC_LOGICAL_FLOW_FOR_EACH (lflow, ctx->client) {
        if (!lflow_matches_prefixes(lflow, filter)) {
            continue;
        }
        if (filter->dp) {
            if (lflow_is_on_datapath(lflow, filter->dp)) {
                add_entry(le, lflow, filter->dp);
            }
            continue;
        }
        if (lflow->logical_datapath) {
            add_entry(le, lflow, lflow->logical_datapath);
        }
        const struct sbrec_logical_dp_group *g = lflow->logical_dp_group;
        for (size_t i = 0; g && i < g->n_datapaths; i++) {
            add_entry(le, lflow, g->datapaths[i]);
        }
    }
}

/* The value of 'key' in string map 'map', or "" if it has none. */
static const char *
smap_get_or_empty(const struct ovsdb_datum *map, const char *key)
{
    const char *value = ovsdb_client_smap_get(map, key);
    return value ? value : "";
}

static int
pipeline_rank(const char *pipeline)
{
    return strcmp(pipeline, "ingress") ? 1 : 0;
}

static const char *
pipeline_name(const struct sbrec_logical_flow *lflow)
{
    return pipeline_rank(lflow->pipeline) ? "egress" : "ingress";
}

static int
compare_int64(int64_t a, int64_t b)
{
    return a < b ? -1 : a > b;
}

static int
compare_entries(const void *a_, const void *b_)
{
    const struct lflow_entry *a = a_;
    const struct lflow_entry *b = b_;
    const struct sbrec_logical_flow *fa = a->lflow;
    const struct sbrec_logical_flow *fb = b->lflow;
    int cmp;

    if ((cmp = strcmp(smap_get_or_empty(a->dp->external_ids, "name"),
                      smap_get_or_empty(b->dp->external_ids, "name")))
        || (cmp = uuid_compare(&a->dp->header_.uuid, &b->dp->header_.uuid))
        || (cmp = pipeline_rank(fa->pipeline) - pipeline_rank(fb->pipeline))
        || (cmp = compare_int64(fa->table_id, fb->table_id))
        || (cmp = compare_int64(fb->priority, fa->priority))
        || (cmp = strcmp(fa->match, fb->match))
        || (cmp = strcmp(fa->actions, fb->actions))) {
        return cmp;
    }
    /* Not an ovn-sbctl rule (it leaves such ties in hash order), but it
     * keeps the output stable. */
    return uuid_compare(&fa->header_.uuid, &fb->header_.uuid);
}

/* Output. */

static void
put_datapath_name(struct ds *s, const struct sbrec_datapath_binding *dp)
{
    const char *name = sbrec_datapath_binding_get_external_ids_value(
        dp, "name");
    const char *name2 = sbrec_datapath_binding_get_external_ids_value(
        dp, "name2");

    if (name && name2) {
        ds_put_format(s, "\"%s\" aka \"%s\"", name, name2);
    } else if (name || name2) {
        ds_put_format(s, "\"%s\"", name ? name : name2);
    }
}

static void
put_datapath_prompt(struct ds *s, const struct lflow_entry *e)
{
    char u[UUID_LEN + 1];

    ds_put_cstr(s, "Datapath: ");
    put_datapath_name(s, e->dp);
    ds_put_format(s, " (%s)  Pipeline: %s\n",
                  uuid_to_cstr(&e->dp->header_.uuid, u),
                  pipeline_name(e->lflow));
}

static const char *
stage_name(const struct sbrec_logical_flow *lflow)
{
    return smap_get_or_empty(lflow->external_ids, "stage-name");
}

/* Does 'b' start a new datapath-and-pipeline section after 'a'? */
static bool
new_section(const struct lflow_entry *a, const struct lflow_entry *b)
{
    return a->dp != b->dp
           || pipeline_rank(a->lflow->pipeline)
              != pipeline_rank(b->lflow->pipeline);
}

static void
put_lflow(struct ds *s, const struct sbrec_logical_flow *lflow,
          bool print_uuid)
{
    ds_put_cstr(s, "  ");
    if (print_uuid) {
        ds_put_format(s, "uuid=0x%08"PRIx32", ", lflow->header_.uuid.parts[0]);
    }
    ds_put_format(s, "table=%-2"PRId64"(%-19s), priority=%-5"PRId64
                  ", match=(%s), action=(%s)\n",
                  lflow->table_id, stage_name(lflow), lflow->priority,
                  lflow->match, lflow->actions);
}

/* Gathers the flows 'filter' selects, sorted.  The caller frees
 * 'le->entries'. */
static void
get_sorted_entries(struct ctl_context *ctx, const struct lflow_filter *filter,
                   struct lflow_entries *le)
{
    collect_entries(ctx, filter, le);
    if (le->n) {
        qsort(le->entries, le->n, sizeof *le->entries, compare_entries);
    }
}

void
sbctl_lflow_list(struct ctl_context *ctx)
{
    struct lflow_filter filter = { .dp = NULL };
    int first = parse_datapath(ctx, &filter) ? 2 : 1;

    if (ctx->error) {
        return;
    }
    filter.prefixes = xmalloc((ctx->argc + 1) * sizeof *filter.prefixes);
    for (int i = first; i < ctx->argc; i++) {
        const char *prefix = parse_lflow_prefix(ctx->argv[i]);
        if (!prefix) {
            ctl_error(ctx, "%s is not a UUID or the beginning of a UUID",
                      ctx->argv[i]);
            free(filter.prefixes);
            return;
        }
        filter.prefixes[filter.n_prefixes++] = prefix;
    }

    struct lflow_entries le;
    bool print_uuid = ctl_has_option(ctx, "--uuid");
    get_sorted_entries(ctx, &filter, &le);
    for (size_t i = 0; i < le.n; i++) {
        if (!i || new_section(&le.entries[i - 1], &le.entries[i])) {
            put_datapath_prompt(ctx->output, &le.entries[i]);
        }
        put_lflow(ctx->output, le.entries[i].lflow, print_uuid);
    }
    free(le.entries);
    free(filter.prefixes);
}

/* count-flows. */

/* Prints the counts of the section of 'n' entries at 'e' (one datapath,
 * one pipeline). */
static void
put_section_counts(struct ds *s, const struct lflow_entry *e, size_t n)
{
    char u[UUID_LEN + 1];

    put_datapath_prompt(s, e);
    for (size_t i = 0; i < n; ) {
        size_t j = i + 1;
        while (j < n && e[j].lflow->table_id == e[i].lflow->table_id) {
            j++;
        }
        ds_put_format(s, "  table=%-2"PRId64"(%-19s) lflows=%zu\n",
                      e[i].lflow->table_id, stage_name(e[i].lflow), j - i);
        i = j;
    }
    ds_put_cstr(s, "Total number of logical flows in the datapath ");
    put_datapath_name(s, e->dp);
    ds_put_format(s, " (%s) Pipeline: %s = %zu\n\n",
                  uuid_to_cstr(&e->dp->header_.uuid, u),
                  pipeline_name(e->lflow), n);
}

void
sbctl_count_flows(struct ctl_context *ctx)
{
    struct lflow_filter filter = { .dp = NULL };

    if (!parse_datapath(ctx, &filter)) {
        if (ctx->error) {
            return;
        }
        filter.match_none = ctx->argc > 1;
    }

    struct lflow_entries le;
    get_sorted_entries(ctx, &filter, &le);
    for (size_t i = 0; i < le.n; ) {
        size_t j = i + 1;
        while (j < le.n && !new_section(&le.entries[i], &le.entries[j])) {
            j++;
        }
        put_section_counts(ctx->output, &le.entries[i], j - i);
        i = j;
    }
    ds_put_format(ctx->output, "Total number of logical flows = %zu\n",
                  le.n);
    free(le.entries);
}
