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
    t->sync_pass = 0;
    t->n_reused = 0;
    t->sb_marked_changes = 0;
    t->synced = false;
    hmap_init(&t->owners);
    t->owner = NULL;
}

void
lflow_table_clear(struct lflow_table *t)
{
    hmap_clear(&t->flows);
    t->n_duplicates = 0;
    t->n_reused = 0;
    t->synced = false;
    hmap_clear(&t->owners);     /* The owners live in the arena. */
    t->owner = NULL;
    arena_clear(&t->arena);
}

void
lflow_table_swap(struct lflow_table *a, struct lflow_table *b)
{
    struct lflow_table tmp = *a;

    *a = *b;
    *b = tmp;
    /* An hmap's buckets may point into the hmap itself. */
    hmap_moved(&a->flows);
    hmap_moved(&b->flows);
    hmap_moved(&a->owners);
    hmap_moved(&b->owners);
}

void
lflow_table_destroy(struct lflow_table *t)
{
    if (t) {
        hmap_destroy(&t->flows);
        hmap_destroy(&t->owners);
        arena_destroy(&t->arena);
        lflow_table_init(t);
    }
}

static uint32_t
flow_hash(const struct northd_datapath *od, enum lflow_stage stage,
          uint16_t priority, const char *match, const char *actions)
{
    uint32_t hash = hash_int((uint32_t) stage << 16 | priority,
                             uuid_hash(&od->nb_uuid));
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

bool
lflow_remove(struct lflow_table *t, const struct northd_datapath *od,
             enum lflow_stage stage, uint16_t priority, const char *match,
             const char *actions)
{
    struct lflow *f = lflow_find(t, od, stage, priority, match, actions);

    if (f) {
        hmap_remove(&t->flows, &f->node);  /* Its memory stays in the
                                            * arena until cleared. */
        f->removed = true;
    }
    return f != NULL;
}

static struct lflow_owner *
owner_find(const struct lflow_table *t, const struct uuid *uuid)
{
    struct lflow_owner *o;

    HMAP_FOR_EACH_WITH_HASH (o, node, uuid_hash(uuid), &t->owners) {
        if (uuid_equals(&o->uuid, uuid)) {
            return o;
        }
    }
    return NULL;
}

void
lflow_table_set_owner(struct lflow_table *t, const struct uuid *uuid)
{
    struct lflow_owner *o;

    if (!uuid) {
        t->owner = NULL;
        return;
    }
    o = owner_find(t, uuid);
    if (!o) {
        o = arena_alloc(&t->arena, sizeof *o);
        o->uuid = *uuid;
        o->refs = NULL;
        hmap_insert(&t->owners, &o->node, uuid_hash(uuid));
    }
    t->owner = o;
}

/* Counts one more use of 'f', under the current owner if any. */
static void
add_ref(struct lflow_table *t, struct lflow *f)
{
    f->n_refs++;
    if (t->owner) {
        struct lflow_ref *r = arena_alloc(&t->arena, sizeof *r);
        r->flow = f;
        r->next = t->owner->refs;
        t->owner->refs = r;
    }
}

struct lflow **
lflow_table_disown(struct lflow_table *t, const struct uuid *uuid,
                   size_t *n)
{
    struct lflow_owner *o = owner_find(t, uuid);
    struct lflow **flows = NULL;
    size_t allocated = 0;

    *n = 0;
    if (!o) {
        return NULL;
    }
    if (t->owner == o) {
        t->owner = NULL;
    }
    for (struct lflow_ref *r = o->refs; r; r = r->next) {
        ASSERT(r->flow->n_refs > 0);
        r->flow->n_refs--;
        if (*n >= allocated) {
            flows = x2nrealloc(flows, &allocated, sizeof *flows);
        }
        flows[(*n)++] = r->flow;
    }
    o->refs = NULL;             /* The refs stay in the arena. */
    return flows;
}

const struct lflow_ref *
lflow_table_owner_refs(const struct lflow_table *t, const struct uuid *uuid)
{
    const struct lflow_owner *o = owner_find(t, uuid);

    return o ? o->refs : NULL;
}

void
lflow_table_remove(struct lflow_table *t, struct lflow *f)
{
    hmap_remove(&t->flows, &f->node);
    f->removed = true;
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
        if (f->n_refs) {
            t->n_duplicates++;
        }
        add_ref(t, f);
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
    f->dp = od->nb_uuid;
    hmap_insert(&t->flows, &f->node,
                flow_hash(od, stage, priority, match, actions));
    add_ref(t, f);
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

/* Makes 'f''s SB row's external_ids, tags and controller_meter right.
 * Returns true if it wrote anything. */
static bool
sync_extras(struct dbdiff *diff, const struct lflow *f)
{
    const struct ovsdb_client_row *row = &f->sb->header_;
    struct dbdiff_datum ids, tags;
    char buf[UUID_LEN + 1];     /* Referenced by 'ids' until the set. */
    bool wrote;

    dbdiff_datum_init_map(&ids);
    dbdiff_datum_add_pair(&ids, "stage-name", stages[f->stage].name);
    dbdiff_datum_add_pair(&ids, "source", f->where);
    if (f->has_hint) {
        uuid_to_cstr(&f->hint, buf);
        buf[8] = '\0';
        dbdiff_datum_add_pair(&ids, "stage-hint", buf);
    }
    wrote = dbdiff_set(diff, row, SBREC_LOGICAL_FLOW_COL_EXTERNAL_IDS, &ids);
    dbdiff_datum_init_map(&tags);
    if (f->io_port) {
        dbdiff_datum_add_pair(&tags, "in_out_port", f->io_port);
    }
    wrote |= dbdiff_set(diff, row, SBREC_LOGICAL_FLOW_COL_TAGS, &tags);
    wrote |= dbdiff_set_opt_string(diff, row,
                                   SBREC_LOGICAL_FLOW_COL_CONTROLLER_METER,
                                   f->ctrl_meter);
    return wrote;
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

static bool
nullable_streq(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* The flow of 'prev' that is 'f' in every column lflow_sync() writes,
 * or NULL. */
static const struct lflow *
find_prev(const struct lflow_table *prev, const struct lflow *f)
{
    const struct lflow *pf;

    HMAP_FOR_EACH_WITH_HASH (pf, node, f->node.hash, &prev->flows) {
        if (uuid_equals(&pf->dp, &f->dp) && pf->stage == f->stage
            && pf->priority == f->priority && !strcmp(pf->match, f->match)
            && !strcmp(pf->actions, f->actions)
            && !strcmp(pf->where, f->where)
            && pf->has_hint == f->has_hint
            && (!f->has_hint || uuid_equals(&pf->hint, &f->hint))
            && nullable_streq(pf->io_port, f->io_port)
            && nullable_streq(pf->ctrl_meter, f->ctrl_meter)) {
            return pf;
        }
    }
    return NULL;
}

/* Claims for 'f' the SB row that its twin in 'prev' had, if that row is
 * still there, unchanged and unclaimed.  With 'trusted', no marked row
 * has changed since 'prev' was synced, so the row needs no checking. */
static bool
reuse_prev_row(struct lflow_table *t, const struct lflow_table *prev,
               struct ovsdb_client_table *table, struct lflow *f,
               bool trusted)
{
    const struct ovsdb_client_row *row;
    const struct lflow *pf;

    if (!f->od->sb || !(pf = find_prev(prev, f)) || !pf->sb_seqno
        || pf->dp_sb != f->od->sb) {
        return false;
    }
    if (trusted) {
        row = &pf->sb->header_;
    } else {
        row = ovsdb_client_table_find(table, &pf->sb_uuid);
        if (!row || row->seqno != pf->sb_seqno || !row->mark
            || row->mark == t->sync_pass) {
            return false;
        }
        const struct sbrec_logical_flow *sb = (const void *) row;
        if (sb->logical_datapath != f->od->sb || sb->logical_dp_group) {
            return false;
        }
        ((struct ovsdb_client_row *) row)->mark = t->sync_pass;
    }
    f->sb = (const struct sbrec_logical_flow *) row;
    f->sb_uuid = pf->sb_uuid;
    f->sb_seqno = pf->sb_seqno;
    f->dp_sb = pf->dp_sb;
    t->n_reused++;
    return true;
}

static void
insert_flow(struct dbdiff *diff, struct ovsdb_client_table *table,
            struct lflow *f)
{
    const struct ovsdb_client_row *row = dbdiff_insert(diff, table);

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
    dbdiff_set_string(diff, row, SBREC_LOGICAL_FLOW_COL_ACTIONS, f->actions);
    sync_extras(diff, f);
}

void
lflow_insert_sb(struct dbdiff *diff, struct lflow *f)
{
    insert_flow(diff, sbrec_logical_flow_table(diff->client), f);
}

void
lflow_sync(struct lflow_table *t, const struct lflow_table *prev,
           const struct northd_datapaths *dps, struct dbdiff *diff)
{
    struct ovsdb_client_table *table = sbrec_logical_flow_table(diff->client);
    const struct sbrec_logical_flow *sb, *next;
    bool trusted = (prev->synced
                    && table->n_marked_changes == prev->sb_marked_changes);
    struct lflow *f;

    /* 1. Unchanged flows take their rows from the previous sync. */
    t->sync_pass = prev->sync_pass + 1;
    t->n_reused = 0;
    HMAP_FOR_EACH (f, node, &t->flows) {
        reuse_prev_row(t, prev, table, f, trusted);
    }

    /* 2. Every other row is compared, or deleted.  If pass 1 claimed
     * them all, there are none; otherwise the claimed ones are marked so
     * that this pass knows them. */
    if (t->n_reused == ovsdb_client_table_count(table)) {
        sb = NULL;
    } else {
        if (trusted) {
            HMAP_FOR_EACH (f, node, &t->flows) {
                if (f->sb) {
                    ((struct ovsdb_client_row *) &f->sb->header_)->mark
                        = t->sync_pass;
                }
            }
        }
        sb = sbrec_logical_flow_first(diff->client);
    }
    for (; sb; sb = next) {
        struct ovsdb_client_row *row = (struct ovsdb_client_row *) &sb->header_;

        next = sbrec_logical_flow_next(sb);
        if (row->mark == t->sync_pass) {
            continue;
        }
        row->mark = 0;          /* Not known clean (yet). */
        f = match_existing(t, dps, sb);
        if (f) {
            f->sb = sb;
            if (!sync_extras(diff, f)) {
                row->mark = t->sync_pass;
                f->sb_uuid = row->uuid;
                f->sb_seqno = row->seqno;
                f->dp_sb = f->od->sb;
            }
        } else {
            dbdiff_delete(diff, row);
        }
    }

    /* 3. The rest are new. */
    HMAP_FOR_EACH (f, node, &t->flows) {
        if (!f->sb && f->od->sb) {
            insert_flow(diff, table, f);
        }
    }
    t->sb_marked_changes = table->n_marked_changes;
    t->synced = true;
}
