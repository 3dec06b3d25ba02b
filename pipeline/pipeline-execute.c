/* pipeline-execute: running a packet through tables, pipelines and
 * datapaths.  See pipeline.h for the contract and pipeline-execute.h for
 * the run's state. */
#include "pipeline/pipeline-execute.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "ds.h"
#include "util.h"

/* A copy of 'n' payload bytes at 'p' (NULL for none). */
static uint8_t *
pl_payload_dup(const uint8_t *p, size_t n)
{
    if (!p) {
        return NULL;
    }
    uint8_t *copy = xmalloc(n ? n : 1);
    memcpy(copy, p, n);
    return copy;
}

void
pl_pkt_clone(struct pl_pkt *dst, const struct pl_pkt *src)
{
    *dst = *src;
    symtab_flow_clone(&dst->flow, &src->flow);
    dst->payload = pl_payload_dup(src->payload, src->payload_len);
}

void
pl_pkt_destroy(struct pl_pkt *pkt)
{
    symtab_flow_destroy(&pkt->flow);
    free(pkt->payload);
    pkt->payload = NULL;
}

static const char *
pl_stage_name(const struct pl_datapath *dp, enum actions_pipeline p,
              unsigned int table)
{
    const char *s = table < PL_MAX_TABLES ? dp->stages[p][table] : NULL;
    return s ? s : "";
}

void
pl_record_drop(struct pl_ctx *ctx, const struct pl_pkt *pkt,
               unsigned int table, const struct pl_flow *flow,
               struct pipeline_trace_node *super, const char *reason)
{
    struct pipeline_result *res = ctx->res;
    if (res->n_drops >= res->allocated_drops) {
        res->drops = x2nrealloc(res->drops, &res->allocated_drops,
                                sizeof *res->drops);
    }
    const char *stage = pl_stage_name(pkt->dp, pkt->pipeline, table);
    res->drops[res->n_drops++] = (struct pipeline_drop) {
        .dp_key = pkt->dp->key,
        .pipeline = pkt->pipeline,
        .table = table,
        .stage = stage[0] ? xstrdup(stage) : NULL,
        .flow_uuid = flow && flow->uuid ? xstrdup(flow->uuid) : NULL,
        .match = flow ? xstrdup(flow->match) : NULL,
        .stage_hint = flow && flow->stage_hint
                      ? xstrdup(flow->stage_hint) : NULL,
        .reason = xstrdup(reason),
    };
    symtab_flow_clone(&res->drops[res->n_drops - 1].packet, &pkt->flow);
    if (super) {
        pl_trace_add(super, PIPELINE_TRACE_DROP, "%s", reason);
    }
}

static void
pl_record_output(struct pl_ctx *ctx, const struct pl_pkt *pkt,
                 const char *port)
{
    struct pipeline_result *res = ctx->res;
    if (res->n_outputs >= res->allocated_outputs) {
        res->outputs = x2nrealloc(res->outputs, &res->allocated_outputs,
                                  sizeof *res->outputs);
    }
    struct pipeline_output *o = &res->outputs[res->n_outputs++];
    o->port = xstrdup(port);
    o->dp_key = pkt->dp->key;
    symtab_flow_clone(&o->flow, &pkt->flow);
    o->n_via = pkt->n_via;
    o->via = xcalloc(pkt->n_via ? pkt->n_via : 1, sizeof *o->via);
    for (size_t i = 0; i < pkt->n_via; i++) {
        o->via[i] = xstrdup(pkt->via[i]);
    }
    o->n_payload_actions = pkt->n_payload_actions;
    o->payload_actions = xmemdup(pkt->payload_actions,
                                 sizeof pkt->payload_actions);
    o->payload = pl_payload_dup(pkt->payload, pkt->payload_len);
    o->payload_len = pkt->payload_len;
}

static void
pl_set_port(char **slot, const char *name)
{
    char *copy = xstrdup(name);
    free(*slot);
    *slot = copy;
}

static bool
pl_loopback(const struct pl_ctx *ctx, const struct pl_pkt *pkt)
{
    /* flags.loopback is bit 0 of the logical flags. */
    (void) ctx;
    return pkt->flow.fields[SYMTAB_F_FLAGS].lo & 1;
}

/* What ovn-trace says when a packet would go back out its input port. */
static const char omitting[] =
    "/* omitting output because inport == outport && !flags.loopback */";

/* Output to the input port without flags.loopback goes nowhere: if that
 * is what 'pkt' is doing, records the drop (with ovn-trace's comment
 * under 'tnode') and returns true. */
static bool
omit_loopback(struct pl_ctx *ctx, const struct pl_pkt *pkt,
              const struct pl_flow *flow, struct pipeline_trace_node *tnode)
{
    if (!pkt->flow.inport || !pkt->flow.outport
        || strcmp(pkt->flow.inport, pkt->flow.outport)
        || pl_loopback(ctx, pkt)) {
        return false;
    }
    if (tnode) {
        pl_trace_add(tnode, PIPELINE_TRACE_COMMENT, "%s", omitting)
            ->summary_semicolon = true;
    }
    pl_record_drop(ctx, pkt, flow->table, flow, NULL,
                   "output to the input port without flags.loopback");
    return true;
}

/* Runs 'pkt' from 'table' of 'pipeline' of its datapath, in a new
 * section of 'super'.  Returns that section (NULL if not tracing). */
static struct pipeline_trace_node *
pl_run_pipeline(struct pl_ctx *ctx, struct pl_pkt *pkt,
                enum actions_pipeline pipeline, unsigned int table,
                struct pipeline_trace_node *super)
{
    struct pipeline_trace_node *section = NULL;
    pkt->pipeline = pipeline;
    if (super) {
        const char *in = pkt->flow.inport ? pkt->flow.inport : "";
        struct ds s = DS_EMPTY_INITIALIZER;
        ds_put_format(&s, "%s(dp=\"%s\"", (pipeline == ACTIONS_INGRESS
                                           ? "ingress" : "egress"),
                      pkt->dp->name);
        if (in[0]) {
            ds_put_format(&s, ", inport=\"%s\"", in);
        }
        if (pipeline == ACTIONS_EGRESS) {
            ds_put_format(&s, ", outport=\"%s\"",
                          pkt->flow.outport ? pkt->flow.outport : "");
        }
        ds_put_char(&s, ')');
        section = pl_trace_add(super, PIPELINE_TRACE_SECTION, "%s",
                               ds_cstr(&s));
        ds_destroy(&s);
    }
    pl_run_table(ctx, pkt, table, section);
    return section;
}

/* Clears what does not cross a patch port: registers, flags, conntrack
 * state and the output port. */
static void
pl_clear_metadata(struct pl_pkt *pkt)
{
    for (int f = SYMTAB_F_REG0; f <= SYMTAB_F_FLAGS; f++) {
        pkt->flow.fields[f] = u128_zero();
    }
    pkt->flow.fields[SYMTAB_F_CT_STATE] = u128_zero();
    pkt->flow.fields[SYMTAB_F_CT_MARK] = u128_zero();
    pkt->flow.fields[SYMTAB_F_CT_LABEL] = u128_zero();
    free(pkt->flow.outport);
    pkt->flow.outport = NULL;
    pkt->n_stack = 0;
}

/* "output" in the egress pipeline: delivery, or into a peer datapath. */
static void
pl_output_egress(struct pl_ctx *ctx, struct pl_pkt *pkt,
                 const struct pl_flow *flow,
                 struct pipeline_trace_node *tnode,
                 struct pipeline_trace_node *super)
{
    const char *outport = pkt->flow.outport;
    const struct pl_port *port = pl_port_find(ctx->pl, outport);
    if (!port) {
        pl_record_drop(ctx, pkt, flow->table, flow, super,
                       "output to unknown port");
        return;
    }
    if (omit_loopback(ctx, pkt, flow, tnode)) {
        return;
    }
    if ((!strcmp(port->type, "patch") || !strcmp(port->type, "l3gateway"))
        && port->peer) {
        const struct pl_port *peer = pl_port_find(ctx->pl, port->peer);
        if (tnode) {
            pl_trace_add(tnode, PIPELINE_TRACE_COMMENT,
                         "/* output to \"%s\", type \"%s\" */",
                         outport, port->type)->summary_semicolon = true;
        }
        if (!peer) {
            pl_record_drop(ctx, pkt, flow->table, flow, super,
                           "patch port has no peer");
            return;
        }
        struct pl_pkt copy;
        pl_pkt_clone(&copy, pkt);
        pl_clear_metadata(&copy);
        pl_set_port(&copy.flow.inport, peer->name);
        copy.dp = peer->dp;
        pl_run_pipeline(ctx, &copy, ACTIONS_INGRESS, 0, super);
        pl_pkt_destroy(&copy);
        return;
    }
    if (tnode) {
        pl_trace_add(tnode, PIPELINE_TRACE_COMMENT,
                     "/* output to \"%s\", type \"%s\" */",
                     outport, port->type)->summary_semicolon = true;
    }
    if (super) {
        pl_trace_add(super, PIPELINE_TRACE_OUTPUT, "output(\"%s\");",
                     outport);
    }
    pl_record_output(ctx, pkt, outport);
}

/* Runs a copy of 'pkt' through the egress pipeline to 'outport'.
 * Returns the trace section, if tracing. */
static struct pipeline_trace_node *
pl_to_egress(struct pl_ctx *ctx, const struct pl_pkt *pkt,
             const char *outport, struct pipeline_trace_node *super)
{
    struct pl_pkt copy;
    pl_pkt_clone(&copy, pkt);
    pl_set_port(&copy.flow.outport, outport);
    /* The egress pipeline starts with clear registers (ovn-trace does
     * this; flags and conntrack state carry over). */
    for (int f = SYMTAB_F_REG0; f <= SYMTAB_F_REG9; f++) {
        copy.flow.fields[f] = u128_zero();
    }
    struct pipeline_trace_node *section
        = pl_run_pipeline(ctx, &copy, ACTIONS_EGRESS, 0, super);
    pl_pkt_destroy(&copy);
    return section;
}

/* "output" to multicast group 'g': a copy through the egress pipeline for
 * each member but the input port (unless flags.loopback). */
static void
pl_output_mcgroup(struct pl_ctx *ctx, const struct pl_pkt *pkt,
                  const struct pl_flow *flow, const struct pl_mcgroup *g,
                  struct pipeline_trace_node *top)
{
    struct pipeline_trace_node *mc = NULL;
    if (top) {
        mc = pl_trace_add(top, PIPELINE_TRACE_SECTION,
                          "multicast(dp=\"%s\", mcgroup=\"%s\")",
                          pkt->dp->name, g->name);
    }
    size_t n_sent = 0;
    for (size_t i = 0; i < g->n_ports; i++) {
        const struct pl_port *p = pl_port_find(ctx->pl, g->ports[i]);
        if (!p || p->dp != pkt->dp) {
            continue;
        }
        if (pkt->flow.inport && !strcmp(pkt->flow.inport, p->name)
            && !pl_loopback(ctx, pkt)) {
            if (mc) {
                /* As ovn-trace: an egress section holding only why
                 * (indented as such only when not last). */
                struct pipeline_trace_node *e = pl_trace_add(
                    mc, PIPELINE_TRACE_SECTION, "egress(dp=\"%s\", "
                    "inport=\"%s\", outport=\"%s\")", pkt->dp->name,
                    p->name, p->name);
                pl_trace_add(e, PIPELINE_TRACE_COMMENT, "%s", omitting)
                    ->summary_semicolon = true;
            }
            continue;
        }
        struct pipeline_trace_node *e = pl_to_egress(ctx, pkt, p->name,
                                                     mc);
        if (e) {
            e->always_indent = true;
        }
        n_sent++;
    }
    if (!n_sent) {
        pl_record_drop(ctx, pkt, flow->table, flow, NULL,
                       g->n_ports ? "multicast group has no port but "
                       "the input port" : "multicast group has no ports");
    }
}

/* "output" in the ingress pipeline. */
static void
pl_output_ingress(struct pl_ctx *ctx, struct pl_pkt *pkt,
                  const struct pl_flow *flow,
                  struct pipeline_trace_node *tnode,
                  struct pipeline_trace_node *super)
{
    const char *outport = pkt->flow.outport;
    struct pipeline_trace_node *top = super;
    if (!outport || !outport[0]) {
        pl_record_drop(ctx, pkt, flow->table, flow, super,
                       "output with no outport");
        return;
    }
    const struct pl_mcgroup *g = shash_find_data(&pkt->dp->mcgroups,
                                                 outport);
    if (g) {
        pl_output_mcgroup(ctx, pkt, flow, g, top);
        return;
    }
    const struct pl_port *port = pl_port_find(ctx->pl, outport);
    if (!port || port->dp != pkt->dp) {
        pl_record_drop(ctx, pkt, flow->table, flow, super,
                       "output to unknown port");
        return;
    }
    if (omit_loopback(ctx, pkt, flow, tnode)) {
        /* Checked between the pipelines, as OVN does: no egress. */
        return;
    }
    if (!strcmp(port->type, "chassisredirect") && port->distributed_port) {
        if (tnode) {
            pl_trace_add(tnode, PIPELINE_TRACE_COMMENT, "/* Replacing type "
                         "\"chassisredirect\" outport \"%s\" with "
                         "distributed port \"%s\". */", outport,
                         port->distributed_port)->summary_semicolon = true;
        }
        pl_to_egress(ctx, pkt, port->distributed_port, top);
        return;
    }
    pl_to_egress(ctx, pkt, outport, top);
}

/* Is 'flow' "1" with actions "next;", which ovn-trace leaves out of its
 * traces? */
static bool
pl_flow_is_trivial(const struct pl_flow *flow)
{
    return (!strcmp(flow->match, "1") && flow->actions.n_actions == 1
            && flow->actions.actions[0].type == ACTION_NEXT
            && flow->actions.actions[0].next.table == flow->table + 1
            && flow->actions.actions[0].next.pipeline == flow->pipeline);
}

void
pl_run_table(struct pl_ctx *ctx, struct pl_pkt *pkt, unsigned int table,
             struct pipeline_trace_node *super)
{
    if (ctx->depth >= PL_MAX_DEPTH || ctx->steps >= PL_MAX_STEPS
        || table >= PL_MAX_TABLES) {
        ctx->res->truncated = true;
        pl_record_drop(ctx, pkt, table < PL_MAX_TABLES ? table : 0, NULL,
                       super, "too many tables visited (loop?)");
        return;
    }
    ctx->steps++;
    const struct pl_table *t = &pkt->dp->tables[pkt->pipeline][table];
    const struct pl_conj *c = pl_table_lookup(t, &pkt->flow,
                                              &ctx->res->mask);
    const char *stage = pl_stage_name(pkt->dp, pkt->pipeline, table);
    if (!c) {
        if (super) {
            pl_trace_add(super, PIPELINE_TRACE_TABLE,
                         "%2u. %s: no match (implicit drop)", table, stage);
        }
        pl_record_drop(ctx, pkt, table, NULL, NULL, "no flow matched");
        return;
    }

    const struct pl_flow *flow = c->flow;
    struct pipeline_trace_node *tnode = NULL;
    if (super && !pl_flow_is_trivial(flow)) {
        tnode = pl_trace_add(super, PIPELINE_TRACE_TABLE,
                             "%2u. %s (%s): %s, priority %u, uuid %.8s",
                             table, flow->stage_name ? flow->stage_name
                             : stage, flow->source ? flow->source : "?",
                             flow->match, flow->priority,
                             flow->uuid ? flow->uuid : "?");
    }
    ctx->depth++;
    if (!flow->actions.n_actions) {
        if (tnode) {
            pl_trace_add(tnode, PIPELINE_TRACE_ACTION, "drop;");
        }
        pl_record_drop(ctx, pkt, table, flow, NULL, "dropped by flow");
    } else if (pl_exec_list(ctx, pkt, &flow->actions, flow, tnode,
                            tnode ? tnode : super) == PL_FELL_THROUGH) {
        pl_record_drop(ctx, pkt, table, flow, NULL,
                       "actions neither output nor continue");
    }
    ctx->depth--;
}

enum pl_exec_status
pl_exec_list(struct pl_ctx *ctx, struct pl_pkt *pkt,
             const struct action_list *list, const struct pl_flow *flow,
             struct pipeline_trace_node *tnode,
             struct pipeline_trace_node *super)
{
    enum pl_exec_status status = PL_FELL_THROUGH;
    for (size_t i = 0; i < list->n_actions; i++) {
        const struct action *a = &list->actions[i];
        if (tnode) {
            struct ds s = DS_EMPTY_INITIALIZER;
            action_format(a, &s);
            struct pipeline_trace_node *n = pl_trace_add(
                tnode, PIPELINE_TRACE_ACTION, "%s", ds_cstr(&s));
            /* The summary shows the section it starts instead. */
            n->detailed_only = (a->type == ACTION_NEXT
                                && a->next.pipeline != pkt->pipeline);
            ds_destroy(&s);
        }
        switch (a->type) {
        case ACTION_NEXT:
            status = PL_CONTINUED;
            if (a->next.pipeline != pkt->pipeline) {
                pl_run_pipeline(ctx, pkt, a->next.pipeline, a->next.table,
                                super);
            } else {
                pl_run_table(ctx, pkt, a->next.table, super);
            }
            break;
        case ACTION_OUTPUT:
            status = PL_CONTINUED;
            if (pkt->pipeline == ACTIONS_INGRESS) {
                pl_output_ingress(ctx, pkt, flow, tnode, super);
            } else {
                pl_output_egress(ctx, pkt, flow, tnode, super);
            }
            break;
        default:
            if (pl_exec_action(ctx, pkt, a, flow, tnode, super)) {
                /* A conntrack step resubmits: what follows it in the
                 * list does not run on this copy. */
                return PL_CONTINUED;
            }
            break;
        }
    }
    return status;
}

static uint32_t
pl_default_ct(void *aux OVS_UNUSED, size_t n OVS_UNUSED, bool *is_default)
{
    *is_default = true;
    return PIPELINE_CS_TRK | PIPELINE_CS_NEW;
}

int
pipeline_run(const struct pipeline *pl,
             const struct pipeline_run_params *params, uint32_t dp_key,
             const struct symtab_flow *packet,
             struct pipeline_result *res)
{
    memset(res, 0, sizeof *res);
    symtab_flow_init(&res->mask);
    struct pl_datapath *dp = pl_datapath_find(pl, dp_key);
    if (!dp) {
        return ENOENT;
    }
    struct pipeline_run_params p = *params;
    if (!p.ct.lookup) {
        p.ct.lookup = pl_default_ct;
    }
    struct pl_ctx ctx = {
        .pl = pl, .params = &p, .res = res,
    };
    if (params->trace) {
        res->trace = xzalloc(sizeof *res->trace);
        res->trace->type = PIPELINE_TRACE_SECTION;
        res->trace->text = xstrdup("");
    }
    struct pl_pkt pkt = { .dp = dp };
    symtab_flow_clone(&pkt.flow, packet);
    pkt.payload = pl_payload_dup(params->payload, params->payload_len);
    pkt.payload_len = params->payload ? params->payload_len : 0;
    res->mask.fields[SYMTAB_F_INPORT] = u128_low_mask(128);
    pl_run_pipeline(&ctx, &pkt, ACTIONS_INGRESS, 0, res->trace);
    pl_pkt_destroy(&pkt);
    return 0;
}

void
pipeline_result_destroy(struct pipeline_result *res)
{
    if (!res) {
        return;
    }
    for (size_t i = 0; i < res->n_outputs; i++) {
        struct pipeline_output *o = &res->outputs[i];
        free(o->port);
        symtab_flow_destroy(&o->flow);
        for (size_t j = 0; j < o->n_via; j++) {
            free(o->via[j]);
        }
        free(o->via);
        free(o->payload_actions);
        free(o->payload);
    }
    free(res->outputs);
    for (size_t i = 0; i < res->n_drops; i++) {
        struct pipeline_drop *d = &res->drops[i];
        free(d->stage);
        free(d->flow_uuid);
        free(d->match);
        free(d->stage_hint);
        free(d->reason);
        symtab_flow_destroy(&d->packet);
    }
    free(res->drops);
    symtab_flow_destroy(&res->mask);
    pl_trace_node_destroy(res->trace);
    memset(res, 0, sizeof *res);
}
