/* northd/lflow: logical flows, the infrastructure the switch and router
 * pipeline modules build on.
 *
 * Stages.  'enum lflow_stage' names every stage of the four pipelines
 * with OVN 23.03's stage names and table numbers (checked against
 * "ovn-sbctl lflow-list" of the real ovn-northd; docs/northd-facts.md):
 *
 *     LS_IN_CHECK_PORT_SEC   ls_in_check_port_sec   switch ingress 0
 *     ...
 *     LR_OUT_DELIVERY        lr_out_delivery        router egress  6
 *
 * The enum constants are the stage names upper-cased, without a module
 * prefix, because they are OVN's vocabulary.  lflow_stage_name(),
 * _table(), _pipeline() and _is_switch() describe a stage.
 *
 * Adding flows.  A pipeline module adds the flows it wants, for one
 * datapath at a time, to the recompute's 'struct lflow_table':
 *
 *     lflow_add(lflows, od, LS_IN_L2_LKUP, 50, "eth.dst == 00:00:00:00:00:01",
 *               "outport = \"vm1\"; output;", &lsp->header_.uuid);
 *     lflow_add_with_port(lflows, od, LS_IN_CHECK_PORT_SEC, 50,
 *                         "inport == \"vm1\"", "next;", "vm1", NULL);
 *
 * 'match' and 'actions' are OVN logical flow language text, copied.  The
 * last argument is the NB row the flow comes from (its first 8 hex digits
 * become external_ids:stage-hint) or NULL; external_ids:source is the
 * calling file and line ("ls-pipeline.c:120", from the macro), and
 * stage-name the stage.  lflow_add_with_port() also sets
 * tags:in_out_port, which ovn-controller uses to skip flows of ports it
 * does not host; lflow_add_full() adds a controller_meter too.  A stage
 * of the other datapath kind (a router stage on a switch) is a bug and
 * aborts.  Adding a flow that is already there (same datapath, stage,
 * priority, match and actions) keeps the first and counts a duplicate.
 *
 * lflow_add_stage_defaults() adds, for one datapath, the priority-0
 * "match 1" flow that ovn-northd 23.03 puts in every stage that has one
 * (most "next;", some "drop;", "output;" or a register reset): each
 * pipeline module then adds only the stage's real flows.
 *
 * Writing.  lflow_sync() makes SB Logical_Flow equal to the table:
 * existing rows are matched on (datapath, pipeline, table_id, priority,
 * match, actions); a matched row is left untouched unless its
 * external_ids, tags or controller_meter differ (then only those are
 * updated); unmatched rows are deleted, missing flows inserted.  So a
 * recompute that yields the same flows sends nothing, and one added port
 * costs only that port's flows.
 *
 * Datapath groups.  weft writes every flow with 'logical_datapath' (one
 * row per datapath), never 'logical_dp_group'; rows found with a group
 * (left by ovn-northd) are deleted and replaced.  This keeps the diff
 * simple and exact; ovn-controller accepts both forms.  Sharing flows
 * among datapaths through groups can be added inside lflow_sync() later
 * without changing this API.
 *
 * Ownership: the table owns copies of every string; datapaths are
 * borrowed and must outlive it.  Not thread-safe. */
#ifndef WEFT_NORTHD_LFLOW_H
#define WEFT_NORTHD_LFLOW_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hmap.h"
#include "uuid.h"
#include "northd/arena.h"
#include "northd/dbdiff.h"

struct northd_datapath;
struct northd_datapaths;
struct sbrec_logical_flow;

enum lflow_pipeline {
    LFLOW_INGRESS,
    LFLOW_EGRESS,
};

/* STAGE(ENUM, SWITCH?, PIPELINE, TABLE, NAME, DEFAULT_ACTIONS):
 * DEFAULT_ACTIONS is the action of 23.03's priority-0 "1" flow, or NULL
 * if the stage has none. */
#define LFLOW_STAGES                                                       \
    /* Logical switch ingress. */                                          \
    STAGE(LS_IN_CHECK_PORT_SEC, true, INGRESS, 0, "ls_in_check_port_sec",  \
          NULL)                                                            \
    STAGE(LS_IN_APPLY_PORT_SEC, true, INGRESS, 1, "ls_in_apply_port_sec",  \
          "next;")                                                         \
    STAGE(LS_IN_LOOKUP_FDB, true, INGRESS, 2, "ls_in_lookup_fdb", "next;") \
    STAGE(LS_IN_PUT_FDB, true, INGRESS, 3, "ls_in_put_fdb", "next;")       \
    STAGE(LS_IN_PRE_ACL, true, INGRESS, 4, "ls_in_pre_acl", "next;")       \
    STAGE(LS_IN_PRE_LB, true, INGRESS, 5, "ls_in_pre_lb", "next;")         \
    STAGE(LS_IN_PRE_STATEFUL, true, INGRESS, 6, "ls_in_pre_stateful",      \
          "next;")                                                         \
    STAGE(LS_IN_ACL_HINT, true, INGRESS, 7, "ls_in_acl_hint", "next;")     \
    STAGE(LS_IN_ACL, true, INGRESS, 8, "ls_in_acl", "next;")               \
    STAGE(LS_IN_QOS_MARK, true, INGRESS, 9, "ls_in_qos_mark", "next;")     \
    STAGE(LS_IN_QOS_METER, true, INGRESS, 10, "ls_in_qos_meter", "next;")  \
    STAGE(LS_IN_LB_AFF_CHECK, true, INGRESS, 11, "ls_in_lb_aff_check",     \
          "next;")                                                         \
    STAGE(LS_IN_LB, true, INGRESS, 12, "ls_in_lb", "next;")                \
    STAGE(LS_IN_LB_AFF_LEARN, true, INGRESS, 13, "ls_in_lb_aff_learn",     \
          "next;")                                                         \
    STAGE(LS_IN_PRE_HAIRPIN, true, INGRESS, 14, "ls_in_pre_hairpin",       \
          "next;")                                                         \
    STAGE(LS_IN_NAT_HAIRPIN, true, INGRESS, 15, "ls_in_nat_hairpin",       \
          "next;")                                                         \
    STAGE(LS_IN_HAIRPIN, true, INGRESS, 16, "ls_in_hairpin", "next;")      \
    STAGE(LS_IN_ACL_AFTER_LB, true, INGRESS, 17, "ls_in_acl_after_lb",     \
          "next;")                                                         \
    STAGE(LS_IN_STATEFUL, true, INGRESS, 18, "ls_in_stateful", "next;")    \
    STAGE(LS_IN_ARP_RSP, true, INGRESS, 19, "ls_in_arp_rsp", "next;")   \
    STAGE(LS_IN_DHCP_OPTIONS, true, INGRESS, 20, "ls_in_dhcp_options",     \
          "next;")                                                         \
    STAGE(LS_IN_DHCP_RESPONSE, true, INGRESS, 21, "ls_in_dhcp_response",   \
          "next;")                                                         \
    STAGE(LS_IN_DNS_LOOKUP, true, INGRESS, 22, "ls_in_dns_lookup",         \
          "next;")                                                         \
    STAGE(LS_IN_DNS_RESPONSE, true, INGRESS, 23, "ls_in_dns_response",     \
          "next;")                                                         \
    STAGE(LS_IN_EXTERNAL_PORT, true, INGRESS, 24, "ls_in_external_port",   \
          "next;")                                                         \
    STAGE(LS_IN_L2_LKUP, true, INGRESS, 25, "ls_in_l2_lkup",               \
          "outport = get_fdb(eth.dst); next;")                             \
    STAGE(LS_IN_L2_UNKNOWN, true, INGRESS, 26, "ls_in_l2_unknown",         \
          "output;")                                                       \
    /* Logical switch egress. */                                           \
    STAGE(LS_OUT_PRE_ACL, true, EGRESS, 0, "ls_out_pre_acl", "next;")      \
    STAGE(LS_OUT_PRE_LB, true, EGRESS, 1, "ls_out_pre_lb", "next;")        \
    STAGE(LS_OUT_PRE_STATEFUL, true, EGRESS, 2, "ls_out_pre_stateful",     \
          "next;")                                                         \
    STAGE(LS_OUT_ACL_HINT, true, EGRESS, 3, "ls_out_acl_hint", "next;")    \
    STAGE(LS_OUT_ACL, true, EGRESS, 4, "ls_out_acl", "next;")              \
    STAGE(LS_OUT_QOS_MARK, true, EGRESS, 5, "ls_out_qos_mark", "next;")    \
    STAGE(LS_OUT_QOS_METER, true, EGRESS, 6, "ls_out_qos_meter", "next;")  \
    STAGE(LS_OUT_STATEFUL, true, EGRESS, 7, "ls_out_stateful", "next;")    \
    STAGE(LS_OUT_CHECK_PORT_SEC, true, EGRESS, 8, "ls_out_check_port_sec", \
          "reg0[15] = check_out_port_sec(); next;")                        \
    STAGE(LS_OUT_APPLY_PORT_SEC, true, EGRESS, 9, "ls_out_apply_port_sec", \
          "output;")                                                       \
    /* Logical router ingress. */                                          \
    STAGE(LR_IN_ADMISSION, false, INGRESS, 0, "lr_in_admission", "drop;")  \
    STAGE(LR_IN_LOOKUP_NEIGHBOR, false, INGRESS, 1,                        \
          "lr_in_lookup_neighbor", "reg9[2] = 1; next;")                   \
    STAGE(LR_IN_LEARN_NEIGHBOR, false, INGRESS, 2, "lr_in_learn_neighbor", \
          "drop;")                                                         \
    STAGE(LR_IN_IP_INPUT, false, INGRESS, 3, "lr_in_ip_input", "next;")    \
    STAGE(LR_IN_UNSNAT, false, INGRESS, 4, "lr_in_unsnat", "next;")        \
    STAGE(LR_IN_DEFRAG, false, INGRESS, 5, "lr_in_defrag", "next;")        \
    STAGE(LR_IN_LB_AFF_CHECK, false, INGRESS, 6, "lr_in_lb_aff_check",     \
          "next;")                                                         \
    STAGE(LR_IN_DNAT, false, INGRESS, 7, "lr_in_dnat", "next;")            \
    STAGE(LR_IN_LB_AFF_LEARN, false, INGRESS, 8, "lr_in_lb_aff_learn",     \
          "next;")                                                         \
    STAGE(LR_IN_ECMP_STATEFUL, false, INGRESS, 9, "lr_in_ecmp_stateful",   \
          "next;")                                                         \
    STAGE(LR_IN_ND_RA_OPTIONS, false, INGRESS, 10, "lr_in_nd_ra_options",  \
          "next;")                                                         \
    STAGE(LR_IN_ND_RA_RESPONSE, false, INGRESS, 11,                        \
          "lr_in_nd_ra_response", "next;")                                 \
    STAGE(LR_IN_IP_ROUTING_PRE, false, INGRESS, 12,                        \
          "lr_in_ip_routing_pre", "reg7 = 0; next;")                       \
    STAGE(LR_IN_IP_ROUTING, false, INGRESS, 13, "lr_in_ip_routing",        \
          "drop;")                                                         \
    STAGE(LR_IN_IP_ROUTING_ECMP, false, INGRESS, 14,                       \
          "lr_in_ip_routing_ecmp", "drop;")                                \
    STAGE(LR_IN_POLICY, false, INGRESS, 15, "lr_in_policy",                \
          "reg8[0..15] = 0; next;")                                        \
    STAGE(LR_IN_POLICY_ECMP, false, INGRESS, 16, "lr_in_policy_ecmp",      \
          "drop;")                                                         \
    STAGE(LR_IN_ARP_RESOLVE, false, INGRESS, 17, "lr_in_arp_resolve",      \
          "drop;")                                                         \
    STAGE(LR_IN_CHK_PKT_LEN, false, INGRESS, 18, "lr_in_chk_pkt_len",      \
          "next;")                                                         \
    STAGE(LR_IN_LARGER_PKTS, false, INGRESS, 19, "lr_in_larger_pkts",      \
          "next;")                                                         \
    STAGE(LR_IN_GW_REDIRECT, false, INGRESS, 20, "lr_in_gw_redirect",      \
          "next;")                                                         \
    STAGE(LR_IN_ARP_REQUEST, false, INGRESS, 21, "lr_in_arp_request",      \
          "output;")                                                       \
    /* Logical router egress. */                                           \
    STAGE(LR_OUT_CHK_DNAT_LOCAL, false, EGRESS, 0, "lr_out_chk_dnat_local",\
          "reg9[4] = 0; next;")                                            \
    STAGE(LR_OUT_UNDNAT, false, EGRESS, 1, "lr_out_undnat", "next;")       \
    STAGE(LR_OUT_POST_UNDNAT, false, EGRESS, 2, "lr_out_post_undnat",      \
          "next;")                                                         \
    STAGE(LR_OUT_SNAT, false, EGRESS, 3, "lr_out_snat", "next;")           \
    STAGE(LR_OUT_POST_SNAT, false, EGRESS, 4, "lr_out_post_snat", "next;") \
    STAGE(LR_OUT_EGR_LOOP, false, EGRESS, 5, "lr_out_egr_loop", "next;")   \
    STAGE(LR_OUT_DELIVERY, false, EGRESS, 6, "lr_out_delivery", "drop;")

enum lflow_stage {
#define STAGE(ENUM, SWITCH, PIPELINE, TABLE, NAME, DEFAULT) ENUM,
    LFLOW_STAGES
#undef STAGE
    LFLOW_N_STAGES
};

const char *lflow_stage_name(enum lflow_stage);
unsigned int lflow_stage_table(enum lflow_stage);
enum lflow_pipeline lflow_stage_pipeline(enum lflow_stage);
bool lflow_stage_is_switch(enum lflow_stage);
/* The stage of a switch or router datapath at 'pipeline' table 'table',
 * or false if there is none. */
bool lflow_stage_find(bool is_switch, enum lflow_pipeline,
                      unsigned int table, enum lflow_stage *);
const char *lflow_pipeline_name(enum lflow_pipeline);  /* "ingress" */

/* One desired flow. */
struct lflow {
    struct hmap_node node;      /* In lflow_table.flows. */
    const struct northd_datapath *od;
    enum lflow_stage stage;
    uint16_t priority;
    const char *match;          /* The strings share the flow's block. */
    const char *actions;
    const char *io_port;        /* tags:in_out_port, or NULL. */
    const char *ctrl_meter;     /* controller_meter, or NULL. */
    struct uuid hint;           /* NB row, if 'has_hint'. */
    bool has_hint;
    const char *where;          /* "file.c:LINE" (static storage). */
    struct uuid dp;             /* 'od''s NB uuid: identifies the datapath
                                 * across recomputes, when 'od' is gone. */
    const struct sbrec_logical_flow *sb;    /* Set by lflow_sync(). */
    /* Set by lflow_sync() when the SB row was found equal to this flow
     * and left alone: its uuid and ovsdb_client_row 'seqno' then. */
    struct uuid sb_uuid;
    uint64_t sb_seqno;          /* 0: none. */
    const void *dp_sb;          /* 'od->sb' when 'sb_seqno' was set. */
    uint32_t n_refs;            /* Times added (by any owner, or none)
                                 * and not yet taken back. */
    bool removed;               /* No longer in the table. */
};

/* Owners.  While an owner is set (lflow_table_set_owner()), every flow
 * added is recorded under it, duplicates included, so that the owner's
 * flows can be taken back later (lflow_table_disown()).  A flow stays
 * while anyone (an owner, or code that ran with no owner) still adds
 * it: 'n_refs'.  weft-northd's owners are Logical_Switch_Ports and ACLs
 * (their NB uuid): the per-port code of every builder runs with the port
 * as owner, and an ACL row's flows are built with the row as owner, in
 * the full build and in the incremental path alike. */
struct lflow_ref {
    struct lflow *flow;
    struct lflow_ref *next;
};

struct lflow_owner {
    struct hmap_node node;      /* In lflow_table.owners. */
    struct uuid uuid;
    struct lflow_ref *refs;     /* Newest first. */
};

struct lflow_table {
    struct hmap flows;          /* 'struct lflow's by lflow_hash(). */
    unsigned long long n_duplicates;
    struct arena arena;         /* The flows and their strings. */
    uint64_t sync_pass;         /* Marks SB rows claimed by lflow_sync(). */
    size_t n_reused;            /* Flows lflow_sync() took over from the
                                 * previous table without comparing. */
    /* The SB Logical_Flow table's 'n_marked_changes' when lflow_sync()
     * finished with this table: if it has not moved, every row this
     * table's clean flows hold is still there and unchanged. */
    unsigned long long sb_marked_changes;
    bool synced;                /* Has lflow_sync() run on it? */
    struct hmap owners;         /* 'struct lflow_owner's by uuid_hash(). */
    struct lflow_owner *owner;  /* Current owner, or NULL. */
};

void lflow_table_init(struct lflow_table *);
void lflow_table_destroy(struct lflow_table *);
/* Forgets every flow, keeping the memory for the next recompute. */
void lflow_table_clear(struct lflow_table *);
static inline size_t
lflow_table_count(const struct lflow_table *t)
{
    return hmap_count(&t->flows);
}

#define LFLOW_STRINGIFY_(X) #X
#define LFLOW_STRINGIFY(X) LFLOW_STRINGIFY_(X)
#define LFLOW_WHERE (__FILE__ ":" LFLOW_STRINGIFY(__LINE__))

/* Adds a flow (see the file comment).  'hint', 'io_port' and
 * 'ctrl_meter' may be NULL.  Returns the flow (the first one, for a
 * duplicate). */
struct lflow *lflow_add_at(struct lflow_table *,
                           const struct northd_datapath *,
                           enum lflow_stage, uint16_t priority,
                           const char *match, const char *actions,
                           const char *io_port, const char *ctrl_meter,
                           const struct uuid *hint, const char *where);

#define lflow_add(TABLE, OD, STAGE, PRIORITY, MATCH, ACTIONS, HINT)        \
    lflow_add_at(TABLE, OD, STAGE, PRIORITY, MATCH, ACTIONS, NULL, NULL,  \
                 HINT, LFLOW_WHERE)
#define lflow_add_with_port(TABLE, OD, STAGE, PRIORITY, MATCH, ACTIONS,    \
                            IO_PORT, HINT)                                 \
    lflow_add_at(TABLE, OD, STAGE, PRIORITY, MATCH, ACTIONS, IO_PORT,     \
                 NULL, HINT, LFLOW_WHERE)
#define lflow_add_full(TABLE, OD, STAGE, PRIORITY, MATCH, ACTIONS,         \
                       IO_PORT, CTRL_METER, HINT)                          \
    lflow_add_at(TABLE, OD, STAGE, PRIORITY, MATCH, ACTIONS, IO_PORT,     \
                 CTRL_METER, HINT, LFLOW_WHERE)

/* Makes 'owner' (NULL: none) the owner of the flows added from now on. */
void lflow_table_set_owner(struct lflow_table *, const struct uuid *owner);
/* Takes back every flow 'owner' added: each loses one reference, and the
 * references are forgotten.  Flows left with no reference stay in the
 * table (so that re-adding one finds it) until lflow_table_sweep().
 * Returns the flows that lost a reference, as a list the caller frees
 * with free() (NULL if none); '*n' is set to their number. */
struct lflow **lflow_table_disown(struct lflow_table *,
                                  const struct uuid *owner, size_t *n);
/* The references 'owner' holds, newest first (NULL if none). */
const struct lflow_ref *lflow_table_owner_refs(const struct lflow_table *,
                                               const struct uuid *owner);
/* Removes 'f' from the table (its memory stays in the arena). */
void lflow_table_remove(struct lflow_table *, struct lflow *f);

/* Inserts 'f' (a flow of the table without an SB row yet) into SB
 * Logical_Flow through 'diff'. */
void lflow_insert_sb(struct dbdiff *, struct lflow *f);

/* Finds a flow, or NULL. */
struct lflow *lflow_find(const struct lflow_table *,
                         const struct northd_datapath *, enum lflow_stage,
                         uint16_t priority, const char *match,
                         const char *actions);

/* Removes a flow added before (for a stage whose default flow 23.03
 * omits in some cases); returns false if there was none. */
bool lflow_remove(struct lflow_table *, const struct northd_datapath *,
                  enum lflow_stage, uint16_t priority, const char *match,
                  const char *actions);

/* Adds the priority-0 default flow of every stage of 'od''s kind that
 * has one. */
void lflow_add_stage_defaults(struct lflow_table *,
                              const struct northd_datapath *);

/* Writes SB Logical_Flow (see the file comment).  Datapaths must have
 * been synced.  'prev' is the table of the previous lflow_sync() (or an
 * empty one): a flow that was in it, whose SB row was found equal then
 * and whose row has not changed since (same ovsdb_client_row 'seqno'),
 * takes that row without any comparison, so that a recompute costs one
 * hash lookup per unchanged flow.  The rows found equal are marked
 * (ovsdb_client_row 'mark'); when the table's count of changes to marked
 * rows has not moved since, they are taken without even being looked
 * at.  'prev''s flows are only read, never
 * their datapaths (which may be gone). */
void lflow_sync(struct lflow_table *, const struct lflow_table *prev,
                const struct northd_datapaths *, struct dbdiff *);
/* Exchanges the contents of two tables. */
void lflow_table_swap(struct lflow_table *, struct lflow_table *);

#endif
