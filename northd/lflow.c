/* northd/lflow: logical flow collection and its diff to SB (see
 * lflow.h). */
#include "northd/lflow.h"

#include <string.h>
#include "hash.h"
#include "util.h"
#include "northd/arena.h"
#include "northd/datapaths.h"
#include "ovsdb/sbrec-idl.h"

struct stage_info {
    const char *name;
    bool is_switch;
    enum lflow_pipeline pipeline;
    unsigned int table;
    const char *default_actions;
};

static const struct stage_info stages[LFLOW_N_STAGES] = {
#define STAGE(ENUM, SWITCH, PIPELINE, TABLE, NAME, DEFAULT) \
    [ENUM] = { NAME, SWITCH, LFLOW_##PIPELINE, TABLE, DEFAULT },
    LFLOW_STAGES
#undef STAGE
};

const char *
lflow_stage_name(enum lflow_stage stage)
{
    return stages[stage].name;
}

unsigned int
lflow_stage_table(enum lflow_stage stage)
{
    return stages[stage].table;
}

enum lflow_pipeline
lflow_stage_pipeline(enum lflow_stage stage)
{
    return stages[stage].pipeline;
}

bool
lflow_stage_is_switch(enum lflow_stage stage)
{
    return stages[stage].is_switch;
}

const char *
lflow_pipeline_name(enum lflow_pipeline pipeline)
{
    return pipeline == LFLOW_INGRESS ? "ingress" : "egress";
}

bool
lflow_stage_find(bool is_switch, enum lflow_pipeline pipeline,
                 unsigned int table, enum lflow_stage *stagep)
{
    for (int i = 0; i < LFLOW_N_STAGES; i++) {
        if (stages[i].is_switch == is_switch
            && stages[i].pipeline == pipeline && stages[i].table == table) {
            *stagep = i;
            return true;
        }
    }
    return false;
}

void
lflow_table_init(struct lflow_table *t)
{
    hmap_init(&t->flows);
    t->n_duplicates = 0;
    arena_init(&t->arena);
}

void
lflow_table_clear(struct lflow_table *t)
{
    hmap_clear(&t->flows);
    t->n_duplicates = 0;
    arena_clear(&t->arena);
}

void
lflow_table_destroy(struct lflow_table *t)
{
    if (t) {
        hmap_destroy(&t->flows);
        arena_destroy(&t->arena);
        lflow_table_init(t);
    }
}

static uint32_t
flow_hash(const struct northd_datapath *od, enum lflow_stage stage,
          uint16_t priority, const char *match, const char *actions)
{
    uint32_t hash = hash_int((uint32_t) (od->index << 8 | stage), priority);
    hash = hash_string(match, hash);
    return hash_string(actions, hash);
}

struct lflow *
lflow_find(const struct lflow_table *t, const struct northd_datapath *od,
           enum lflow_stage stage, uint16_t priority, const char *match,
           const char *actions)
{
    uint32_t hash = flow_hash(od, stage, priority, match, actions);
    struct lflow *f;

    HMAP_FOR_EACH_WITH_HASH (f, node, hash, &t->flows) {
        if (f->od == od && f->stage == stage && f->priority == priority
            && !strcmp(f->match, match) && !strcmp(f->actions, actions)) {
            return f;
        }
    }
    return NULL;
}

/* "../northd/ls-pipeline.c:12" -> "ls-pipeline.c:12". */
static const char *
basename_of(const char *where)
{
    const char *slash = strrchr(where, '/');
    return slash ? slash + 1 : where;
}

struct lflow *
lflow_add_at(struct lflow_table *t, const struct northd_datapath *od,
             enum lflow_stage stage, uint16_t priority, const char *match,
             const char *actions, const char *io_port,
             const char *ctrl_meter, const struct uuid *hint,
             const char *where)
{
    struct lflow *f;

    ASSERT(stage < LFLOW_N_STAGES);
    ASSERT(stages[stage].is_switch == (od->nbs != NULL));
    f = lflow_find(t, od, stage, priority, match, actions);
    if (f) {
        t->n_duplicates++;
        return f;
    }
    /* One allocation for the flow and its strings. */
    size_t match_len = strlen(match) + 1, actions_len = strlen(actions) + 1;
    size_t port_len = io_port ? strlen(io_port) + 1 : 0;
    size_t meter_len = ctrl_meter ? strlen(ctrl_meter) + 1 : 0;
    char *p;

    f = arena_alloc(&t->arena,
                    sizeof *f + match_len + actions_len + port_len + meter_len);
    memset(f, 0, sizeof *f);
    p = (char *) (f + 1);
    f->od = od;
    f->stage = stage;
    f->priority = priority;
    f->match = memcpy(p, match, match_len);
    p += match_len;
    f->actions = memcpy(p, actions, actions_len);
    p += actions_len;
    if (io_port) {
        f->io_port = memcpy(p, io_port, port_len);
        p += port_len;
    }
    if (ctrl_meter) {
        f->ctrl_meter = memcpy(p, ctrl_meter, meter_len);
    }
    if (hint) {
        f->hint = *hint;
        f->has_hint = true;
    }
    f->where = basename_of(where);
    hmap_insert(&t->flows, &f->node,
                flow_hash(od, stage, priority, match, actions));
    return f;
}

void
lflow_add_stage_defaults(struct lflow_table *t,
                         const struct northd_datapath *od)
{
    for (int i = 0; i < LFLOW_N_STAGES; i++) {
        if (stages[i].is_switch == (od->nbs != NULL)
            && stages[i].default_actions) {
            lflow_add_at(t, od, i, 0, "1", stages[i].default_actions, NULL,
                         NULL, NULL, LFLOW_WHERE);
        }
    }
}

/* Writing. */

static void
sync_extras(struct dbdiff *diff, const struct lflow *f)
{
    const struct ovsdb_client_row *row = &f->sb->header_;
    struct dbdiff_datum ids, tags;
    char buf[UUID_LEN + 1];     /* Referenced by 'ids' until the set. */

    dbdiff_datum_init_map(&ids);
    dbdiff_datum_add_pair(&ids, "stage-name", stages[f->stage].name);
    dbdiff_datum_add_pair(&ids, "source", f->where);
    if (f->has_hint) {
        uuid_to_cstr(&f->hint, buf);
        buf[8] = '\0';
        dbdiff_datum_add_pair(&ids, "stage-hint", buf);
    }
    dbdiff_set(diff, row, SBREC_LOGICAL_FLOW_COL_EXTERNAL_IDS, &ids);
    dbdiff_datum_init_map(&tags);
    if (f->io_port) {
        dbdiff_datum_add_pair(&tags, "in_out_port", f->io_port);
    }
    dbdiff_set(diff, row, SBREC_LOGICAL_FLOW_COL_TAGS, &tags);
    dbdiff_set_opt_string(diff, row, SBREC_LOGICAL_FLOW_COL_CONTROLLER_METER,
                          f->ctrl_meter);
}

/* Finds the unclaimed desired flow that existing row 'sb' is, or NULL. */
static struct lflow *
match_existing(const struct lflow_table *t,
               const struct northd_datapaths *dps,
               const struct sbrec_logical_flow *sb)
{
    const struct northd_datapath *od;
    enum lflow_pipeline pipeline;
    enum lflow_stage stage;
    struct lflow *f;

    if (!sb->logical_datapath || sb->logical_dp_group) {
        return NULL;
    }
    od = datapaths_find_by_sb(dps, &sb->logical_datapath->header_.uuid);
    if (!od || sb->priority < 0 || sb->priority > UINT16_MAX) {
        return NULL;
    }
    if (!strcmp(sb->pipeline, "ingress")) {
        pipeline = LFLOW_INGRESS;
    } else if (!strcmp(sb->pipeline, "egress")) {
        pipeline = LFLOW_EGRESS;
    } else {
        return NULL;
    }
    if (sb->table_id < 0
        || !lflow_stage_find(od->nbs != NULL, pipeline, sb->table_id,
                             &stage)) {
        return NULL;
    }
    f = lflow_find(t, od, stage, sb->priority, sb->match, sb->actions);
    return f && !f->sb ? f : NULL;
}

void
lflow_sync(struct lflow_table *t, const struct northd_datapaths *dps,
           struct dbdiff *diff)
{
    struct ovsdb_client_table *table = sbrec_logical_flow_table(diff->client);
    const struct sbrec_logical_flow *sb, *next;
    struct lflow *f;

    for (sb = sbrec_logical_flow_first(diff->client); sb; sb = next) {
        next = sbrec_logical_flow_next(sb);
        f = match_existing(t, dps, sb);
        if (f) {
            f->sb = sb;
            sync_extras(diff, f);
        } else {
            dbdiff_delete(diff, &sb->header_);
        }
    }
    HMAP_FOR_EACH (f, node, &t->flows) {
        const struct ovsdb_client_row *row;

        if (f->sb || !f->od->sb) {
            continue;
        }
        row = dbdiff_insert(diff, table);
        f->sb = (const struct sbrec_logical_flow *) row;
        dbdiff_set_ref(diff, row, SBREC_LOGICAL_FLOW_COL_LOGICAL_DATAPATH,
                       &f->od->sb->header_);
        dbdiff_set_string(diff, row, SBREC_LOGICAL_FLOW_COL_PIPELINE,
                          lflow_pipeline_name(stages[f->stage].pipeline));
        dbdiff_set_integer(diff, row, SBREC_LOGICAL_FLOW_COL_TABLE_ID,
                           stages[f->stage].table);
        dbdiff_set_integer(diff, row, SBREC_LOGICAL_FLOW_COL_PRIORITY,
                           f->priority);
        dbdiff_set_string(diff, row, SBREC_LOGICAL_FLOW_COL_MATCH, f->match);
        dbdiff_set_string(diff, row, SBREC_LOGICAL_FLOW_COL_ACTIONS,
                          f->actions);
        sync_extras(diff, f);
    }
}
