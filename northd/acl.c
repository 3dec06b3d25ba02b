/* northd/acl: the ACL stages of the logical switch pipeline (see acl.h). */
#include "northd/acl.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "ds.h"
#include "hmap.h"
#include "packets.h"
#include "util.h"
#include "uuid.h"
#include "vlog.h"
#include "expr/expr.h"
#include "expr/symtab.h"
#include "northd/ls-lb.h"
#include "northd/northd.h"
#include "northd/options.h"
#include "ovsdb/datum.h"
#include "ovsdb/nbrec-idl.h"

VLOG_DEFINE_THIS_MODULE(northd_acl);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* One ACL row's match, checked once per recompute. */
struct acl_checked {
    struct hmap_node node;      /* In acl_ctx.checked, by uuid_hash(). */
    struct uuid uuid;
    bool ok;
};

struct acl_ctx {
    const struct northd *nd;
    struct lflow_table *lflows;
    struct acl_facts *sw;          /* By datapath index (switches first). */
    struct hmap checked;        /* 'struct acl_checked's. */
    struct symtab *symtab;      /* Created on first use. */
    struct expr_const_set any_as, any_pg;   /* What $x and @x stand for. */
    const char *blocked;        /* "ct_mark.blocked" or "ct_label...". */
    const char *ct_lb;          /* "ct_lb_mark" or "ct_lb". */
    bool ct_lb_related;
    bool default_drop;          /* NB_Global options:default_acl_drop. */
    struct ds match, actions, log;
};

static const struct expr_const_set *
any_addr_set(const void *aux, const char *name OVS_UNUSED)
{
    return &((const struct acl_ctx *) aux)->any_as;
}

static const struct expr_const_set *
any_port_group(const void *aux, const char *name OVS_UNUSED)
{
    return &((const struct acl_ctx *) aux)->any_pg;
}

/* Does 'match' of NB row 'u' (a 'what') parse?  Logs it once if not. */
static bool
match_is_valid(struct acl_ctx *ctx, const struct uuid *u, const char *match,
               const char *what)
{
    struct acl_checked *c;

    HMAP_FOR_EACH_WITH_HASH (c, node, uuid_hash(u), &ctx->checked) {
        if (uuid_equals(&c->uuid, u)) {
            return c->ok;
        }
    }
    if (!ctx->symtab) {
        ctx->symtab = symtab_create();
    }
    struct expr_env env = {
        .symtab = ctx->symtab,
        .addr_set = any_addr_set,
        .port_group = any_port_group,
        .aux = ctx,
    };
    char *error = NULL;
    struct expr *e = expr_parse_string(match, &env, &error);
    c = xmalloc(sizeof *c);
    c->uuid = *u;
    c->ok = e != NULL;
    hmap_insert(&ctx->checked, &c->node, uuid_hash(u));
    if (!e) {
        VLOG_WARN_RL(&rl, "%s "UUID_FMT": match \"%s\" does not parse "
                     "(%s); row skipped", what, UUID_ARGS(u), match, error);
        free(error);
        return false;
    }
    expr_destroy(e);
    return true;
}

static bool
acl_is_stateful(const struct nbrec_acl *acl)
{
    return !strcmp(acl->action, "allow-related");
}

static void
note_acls(struct acl_facts *sw, const struct nbrec_acl *const *acls, size_t n)
{
    if (n) {
        sw->has_acls = true;
    }
    for (size_t i = 0; i < n && !sw->has_stateful_acl; i++) {
        sw->has_stateful_acl = acl_is_stateful(acls[i]);
    }
}

void
acl_all_facts(const struct northd *nd, struct acl_facts *sw)
{
    const struct sync_port_group *pg;

    for (size_t i = 0; i < nd->datapaths.n_switches; i++) {
        const struct northd_datapath *od = nd->datapaths.array[i];
        memset(&sw[i], 0, sizeof sw[i]);
        note_acls(&sw[i], od->nbs->acls, od->nbs->n_acls);
        sw[i].has_lb_vip = ls_lb_has_vips(od->nbs);
    }
    HMAP_FOR_EACH (pg, node, &nd->sync.port_groups) {
        note_acls(&sw[pg->od->index], pg->nb->acls, pg->nb->n_acls);
    }
}

void
acl_switch_facts(const struct northd *nd, const struct northd_datapath *od,
                 struct acl_facts *sw)
{
    const struct sync_port_group *pg;

    memset(sw, 0, sizeof *sw);
    note_acls(sw, od->nbs->acls, od->nbs->n_acls);
    sw->has_lb_vip = ls_lb_has_vips(od->nbs);
    HMAP_FOR_EACH (pg, node, &nd->sync.port_groups) {
        if (pg->od == od) {
            note_acls(sw, pg->nb->acls, pg->nb->n_acls);
        }
    }
}

/* Everything but 'sw'. */
static void
ctx_init_common(struct acl_ctx *ctx, const struct northd *nd,
                struct lflow_table *lflows)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->nd = nd;
    ctx->lflows = lflows;
    hmap_init(&ctx->checked);
    expr_const_set_init(&ctx->any_as, false);
    expr_const_set_init(&ctx->any_pg, true);
    ctx->blocked = (nd->global.ct_no_masked_label ? "ct_mark.blocked"
                    : "ct_label.blocked");
    ctx->ct_lb = nd->global.ct_no_masked_label ? "ct_lb_mark" : "ct_lb";
    ctx->ct_lb_related = nd->global.ct_lb_related;
    const struct nbrec_nb_global *nbg = nbrec_nb_global_first(nd->nb);
    ctx->default_drop = nbg && options_get_bool(nbg->options,
                                                "default_acl_drop", false);
    ds_init(&ctx->match);
    ds_init(&ctx->actions);
    ds_init(&ctx->log);
}

static void
ctx_init(struct acl_ctx *ctx, const struct northd *nd,
         struct lflow_table *lflows)
{
    ctx_init_common(ctx, nd, lflows);
    ctx->sw = xcalloc(nd->datapaths.n_switches + 1, sizeof *ctx->sw);
    acl_all_facts(nd, ctx->sw);
}

static void
ctx_destroy(struct acl_ctx *ctx)
{
    struct acl_checked *c;

    HMAP_FOR_EACH_POP (c, node, &ctx->checked) {
        free(c);
    }
    hmap_destroy(&ctx->checked);
    if (ctx->symtab) {
        symtab_destroy(ctx->symtab);
    }
    expr_const_set_destroy(&ctx->any_as);
    expr_const_set_destroy(&ctx->any_pg);
    ds_destroy(&ctx->match);
    ds_destroy(&ctx->actions);
    ds_destroy(&ctx->log);
    free(ctx->sw);
}

static const char *
set_text(struct ds *ds, const char *fmt, ...) PRINTF_FORMAT(2, 3);

static const char *
set_text(struct ds *ds, const char *fmt, ...)
{
    va_list args;

    ds_clear(ds);
    va_start(args, fmt);
    ds_put_format_valist(ds, fmt, args);
    va_end(args);
    return ds_cstr(ds);
}

/* ls_in/out_pre_acl and the parts of ls_in/out_pre_lb that do not depend
 * on load balancers. */
static void
build_pre_acl(struct acl_ctx *ctx, const struct northd_datapath *od,
              const struct acl_facts *sw)
{
    struct lflow_table *lf = ctx->lflows;
    struct ds *m = &ctx->match;
    const char *out_rp = sw->has_stateful_acl ? "next;" : "ct_clear; next;";

    lflow_add(lf, od, LS_IN_PRE_ACL, 110, "eth.dst == $svc_monitor_mac",
              "next;", NULL);
    lflow_add(lf, od, LS_OUT_PRE_ACL, 110, "eth.src == $svc_monitor_mac",
              "next;", NULL);
    lflow_add(lf, od, LS_IN_PRE_LB, 110, "eth.dst == $svc_monitor_mac",
              "next;", NULL);
    lflow_add(lf, od, LS_OUT_PRE_LB, 110, "eth.src == $svc_monitor_mac",
              "next;", NULL);
    for (int i = 0; i < 2; i++) {
        enum lflow_stage s = i ? LS_OUT_PRE_LB : LS_IN_PRE_LB;
        lflow_add(lf, od, s, 110, "eth.mcast", "next;", NULL);
        lflow_add(lf, od, s, 110, "nd || nd_rs || nd_ra || mldv1 || mldv2",
                  "next;", NULL);
        lflow_add(lf, od, s, 110, "reg0[16] == 1", "next;", NULL);
    }
    for (size_t i = 0; i < od->n_router_ports + od->n_localnet_ports; i++) {
        const struct northd_port *op
            = (i < od->n_router_ports ? od->router_ports[i]
               : od->localnet_ports[i - od->n_router_ports]);
        set_text(m, "ip && inport == \"%s\"", op->name);
        lflow_add(lf, od, LS_IN_PRE_LB, 110, ds_cstr(m), "next;", NULL);
        if (sw->has_stateful_acl) {
            lflow_add(lf, od, LS_IN_PRE_ACL, 110, ds_cstr(m), "next;", NULL);
        }
        set_text(m, "ip && outport == \"%s\"", op->name);
        lflow_add(lf, od, LS_OUT_PRE_LB, 110, ds_cstr(m), out_rp, NULL);
        if (sw->has_stateful_acl) {
            lflow_add(lf, od, LS_OUT_PRE_ACL, 110, ds_cstr(m), "next;",
                      NULL);
        }
    }
    if (sw->has_stateful_acl) {
        for (int i = 0; i < 2; i++) {
            enum lflow_stage s = i ? LS_OUT_PRE_ACL : LS_IN_PRE_ACL;
            lflow_add(lf, od, s, 110, "eth.mcast", "next;", NULL);
            lflow_add(lf, od, s, 110, "nd || nd_rs || nd_ra || mldv1 || "
                      "mldv2 || (udp && udp.src == 546 && udp.dst == 547)",
                      "next;", NULL);
            lflow_add(lf, od, s, 100, "ip", "reg0[0] = 1; next;", NULL);
        }
    }
}

/* The verdict for packets no ACL matches: the priority-0 flows of the ACL
 * stages, replaced by 65535 ones on a switch without ACLs and VIPs, or by
 * drops with NB_Global options:default_acl_drop.  Returns true if the
 * switch has neither ACLs nor VIPs. */
static bool
build_acl_default_verdicts(struct acl_ctx *ctx,
                           const struct northd_datapath *od,
                           const struct acl_facts *sw)
{
    struct lflow_table *lf = ctx->lflows;

    if (!sw->has_acls && !sw->has_lb_vip) {
        static const enum lflow_stage skip[] = {
            LS_IN_ACL_HINT, LS_OUT_ACL_HINT, LS_IN_ACL, LS_OUT_ACL,
        };
        for (size_t i = 0; i < ARRAY_SIZE(skip); i++) {
            lflow_remove(lf, od, skip[i], 0, "1", "next;");
            lflow_add(lf, od, skip[i], 65535, "1", "next;", NULL);
        }
        return true;
    }
    if (ctx->default_drop) {
        static const enum lflow_stage acls[] = {
            LS_IN_ACL, LS_IN_ACL_AFTER_LB, LS_OUT_ACL,
        };
        for (size_t i = 0; i < ARRAY_SIZE(acls); i++) {
            lflow_remove(lf, od, acls[i], 0, "1", "next;");
            lflow_add(lf, od, acls[i], 0, "1", "drop;", NULL);
        }
    }
    return false;
}

/* ls_in/out_pre_stateful, acl_hint, stateful and the default flows of
 * the ACL stages. */
static void
build_acl_defaults(struct acl_ctx *ctx, const struct northd_datapath *od,
                   const struct acl_facts *sw)
{
    struct lflow_table *lf = ctx->lflows;
    struct ds *a = &ctx->actions;
    bool stateful = sw->has_stateful_acl || sw->has_lb_vip;
    static const char *const nd_mld = "nd || nd_ra || nd_rs || mldv1 || "
                                      "mldv2";

    set_text(a, "%s;", ctx->ct_lb);
    lflow_add(lf, od, LS_IN_PRE_STATEFUL, 110, "reg0[2] == 1", ds_cstr(a),
              NULL);
    lflow_add(lf, od, LS_OUT_PRE_STATEFUL, 110, "reg0[2] == 1", ds_cstr(a),
              NULL);
    lflow_add(lf, od, LS_IN_PRE_STATEFUL, 100, "reg0[0] == 1", "ct_next;",
              NULL);
    lflow_add(lf, od, LS_OUT_PRE_STATEFUL, 100, "reg0[0] == 1", "ct_next;",
              NULL);

    lflow_add(lf, od, LS_IN_ACL, 65532, nd_mld, "next;", NULL);
    lflow_add(lf, od, LS_OUT_ACL, 65532, nd_mld, "next;", NULL);
    lflow_add(lf, od, LS_IN_ACL_AFTER_LB, 65532, nd_mld, "next;", NULL);
    if (!build_acl_default_verdicts(ctx, od, sw)) {
        lflow_add(lf, od, LS_IN_ACL, 34000, "eth.dst == $svc_monitor_mac",
                  "next;", NULL);
        lflow_add(lf, od, LS_OUT_ACL, 34000, "eth.src == $svc_monitor_mac",
                  "next;", NULL);
    }

    for (int i = 0; i < 2; i++) {
        enum lflow_stage s = i ? LS_OUT_STATEFUL : LS_IN_STATEFUL;
        set_text(a, "ct_commit { %s = 0; }; next;", ctx->blocked);
        lflow_add(lf, od, s, 100, "reg0[1] == 1 && reg0[13] == 0",
                  ds_cstr(a), NULL);
        set_text(a, "ct_commit { %s = 0; ct_label.label = reg3; }; "
                     "next;", ctx->blocked);
        lflow_add(lf, od, s, 100, "reg0[1] == 1 && reg0[13] == 1",
                  ds_cstr(a), NULL);
    }
    if (stateful) {
        lflow_add(lf, od, LS_IN_ACL_AFTER_LB, 65532, "reg0[17] == 1",
                  "next;", NULL);
    }
}

/* The conntrack hints and the stateful default flows of one direction. */
static void
build_acl_stateful_defaults(struct acl_ctx *ctx,
                            const struct northd_datapath *od, bool ingress)
{
    struct lflow_table *lf = ctx->lflows;
    struct ds *m = &ctx->match;
    const char *b = ctx->blocked;
    enum lflow_stage hint = ingress ? LS_IN_ACL_HINT : LS_OUT_ACL_HINT;
    enum lflow_stage acl = ingress ? LS_IN_ACL : LS_OUT_ACL;

    lflow_add(lf, od, hint, 7, "ct.new && !ct.est",
              "reg0[7] = 1; reg0[9] = 1; next;", NULL);
    set_text(m, "!ct.new && ct.est && !ct.rpl && %s == 1", b);
    lflow_add(lf, od, hint, 6, ds_cstr(m), "reg0[7] = 1; reg0[9] = 1; next;",
              NULL);
    lflow_add(lf, od, hint, 5, "!ct.trk", "reg0[8] = 1; reg0[9] = 1; next;",
              NULL);
    set_text(m, "!ct.new && ct.est && !ct.rpl && %s == 0", b);
    lflow_add(lf, od, hint, 4, ds_cstr(m),
              "reg0[8] = 1; reg0[10] = 1; next;", NULL);
    lflow_add(lf, od, hint, 3, "!ct.est", "reg0[9] = 1; next;", NULL);
    set_text(m, "ct.est && %s == 1", b);
    lflow_add(lf, od, hint, 2, ds_cstr(m), "reg0[9] = 1; next;", NULL);
    set_text(m, "ct.est && %s == 0", b);
    lflow_add(lf, od, hint, 1, ds_cstr(m), "reg0[10] = 1; next;", NULL);

    lflow_add(lf, od, acl, 1, "ip && !ct.est",
              ctx->default_drop ? "drop;" : "reg0[1] = 1; next;", NULL);
    set_text(m, "ip && ct.est && %s == 1", b);
    lflow_add(lf, od, acl, 1, ds_cstr(m), "reg0[1] = 1; next;", NULL);
    set_text(m, "ct.inv || (ct.est && ct.rpl && %s == 1)", b);
    lflow_add(lf, od, acl, 65532, ds_cstr(m), "drop;", NULL);
    set_text(m, "ct.est && !ct.rel && !ct.new && !ct.inv && ct.rpl && "
                 "%s == 0", b);
    lflow_add(lf, od, acl, 65532, ds_cstr(m),
              ingress ? "reg0[9] = 0; reg0[10] = 0; reg0[17] = 1; next;"
              : "next;", NULL);
    set_text(m, "!ct.est && ct.rel && !ct.new && !ct.inv && %s == 0", b);
    const char *rel = (ingress
                       ? (ctx->ct_lb_related ? "reg0[17] = 1; ct_commit_nat;"
                          : "reg0[17] = 1; next;")
                       : (ctx->ct_lb_related ? "ct_commit_nat;" : "next;"));
    lflow_add(lf, od, acl, 65532, ds_cstr(m), rel, NULL);
}

/* Fills ctx->log with 'acl''s log() action, or nothing. */
static void
format_log(struct acl_ctx *ctx, const struct nbrec_acl *acl)
{
    struct ds *l = &ctx->log;

    ds_clear(l);
    if (!acl->log) {
        return;
    }
    ds_put_cstr(l, "log(");
    if (acl->name && acl->name[0]) {
        ds_put_format(l, "name=\"%s\", ", acl->name);
    }
    ds_put_format(l, "severity=%s, ", (acl->severity && acl->severity[0]
                                       ? acl->severity : "info"));
    const char *verdict = (!strncmp(acl->action, "allow", 5) ? "allow"
                           : acl->action);
    ds_put_format(l, "verdict=%s", verdict);
    if (acl->meter && acl->meter[0]) {
        ds_put_format(l, ", meter=\"%s\"", acl->meter);
    }
    ds_put_cstr(l, "); ");
}

static void
add_acl(struct acl_ctx *ctx, const struct northd_datapath *od,
        enum lflow_stage stage, uint16_t prio, const struct nbrec_acl *acl)
{
    lflow_add(ctx->lflows, od, stage, prio, ds_cstr(&ctx->match),
              ds_cstr(&ctx->actions), &acl->header_.uuid);
}

/* A reject flow: metered by the switch's Copp "reject" meter, if any. */
static void
add_acl_reject(struct acl_ctx *ctx, const struct northd_datapath *od,
               enum lflow_stage stage, uint16_t prio,
               const struct nbrec_acl *acl)
{
    lflow_add_full(ctx->lflows, od, stage, prio, ds_cstr(&ctx->match),
                   ds_cstr(&ctx->actions), NULL,
                   ls_lb_copp_meter(od, "reject"), &acl->header_.uuid);
}

static void
build_acl_allow(struct acl_ctx *ctx, const struct northd_datapath *od,
                enum lflow_stage stage, uint16_t prio,
                const struct nbrec_acl *acl)
{
    struct ds *m = &ctx->match;
    struct ds *a = &ctx->actions;
    const char *log = ds_cstr(&ctx->log);

    set_text(m, "reg0[7] == 1 && (%s)", acl->match);
    ds_clear(a);
    ds_put_cstr(a, "reg0[1] = 1; ");
    if (acl->label) {
        ds_put_format(a, "reg0[13] = 1; reg3 = %"PRId64"; ", acl->label);
    }
    ds_put_format(a, "%snext;", log);
    add_acl(ctx, od, stage, prio, acl);

    set_text(m, "reg0[8] == 1 && (%s)", acl->match);
    if (!acl->label) {
        set_text(a, "%snext;", log);
    }
    add_acl(ctx, od, stage, prio, acl);
}

static void
build_acl_deny(struct acl_ctx *ctx, const struct northd_datapath *od,
               enum lflow_stage stage, uint16_t prio,
               const struct nbrec_acl *acl, bool stateful)
{
    struct ds *m = &ctx->match;
    struct ds *a = &ctx->actions;
    const char *log = ds_cstr(&ctx->log);
    bool ingress = stage != LS_OUT_ACL;

    if (strcmp(acl->action, "reject")) {
        if (!stateful) {
            set_text(m, "%s", acl->match);
            set_text(a, "%s/* drop */", log);
            add_acl(ctx, od, stage, prio, acl);
            return;
        }
        set_text(m, "reg0[9] == 1 && (%s)", acl->match);
        set_text(a, "%s/* drop */", log);
        add_acl(ctx, od, stage, prio, acl);
        set_text(m, "reg0[10] == 1 && (%s)", acl->match);
        set_text(a, "ct_commit { %s = 1; }; %s/* drop */", ctx->blocked,
                     log);
        add_acl(ctx, od, stage, prio, acl);
        return;
    }

    char *reject = xasprintf(
        "reg0 = 0; reject { /* eth.dst <-> eth.src; ip.dst <-> ip.src; is "
        "implicit. */ outport <-> inport; next(pipeline=%s,table=%u); };",
        ingress ? "egress" : "ingress",
        lflow_stage_table(ingress ? LS_OUT_QOS_MARK : LS_IN_L2_LKUP));
    if (!stateful) {
        set_text(m, "%s", acl->match);
        set_text(a, "%s%s", log, reject);
        add_acl_reject(ctx, od, stage, prio, acl);
    } else {
        set_text(m, "(reg0[9] == 1) && %s", acl->match);
        set_text(a, "%s%s", log, reject);
        add_acl_reject(ctx, od, stage, prio, acl);
        set_text(m, "(reg0[10] == 1) && %s", acl->match);
        set_text(a, "%sct_commit { %s = 1; };  %s", log, ctx->blocked,
                     reject);
        add_acl_reject(ctx, od, stage, prio, acl);
    }
    free(reject);
}

/* options:log-related on a logged allow ACL with a label: the replies and
 * related packets of its connections are logged, in the other
 * direction's ACL stage. */
static void
build_acl_log_related(struct acl_ctx *ctx, const struct northd_datapath *od,
                      const struct nbrec_acl *acl, bool ingress)
{
    if (!acl->log || !acl->label
        || !options_get_bool(acl->options, "log-related", false)) {
        return;
    }
    enum lflow_stage stage = ingress ? LS_OUT_ACL : LS_IN_ACL;
    static const char *const states[] = {
        "!ct.est && ct.rel && !ct.new && !ct.inv",
        "ct.est && !ct.rel && !ct.new && !ct.inv && ct.rpl",
    };
    for (size_t i = 0; i < ARRAY_SIZE(states); i++) {
        set_text(&ctx->match, "%s && %s == 0 && ct_label.label == %"PRId64,
                 states[i], ctx->blocked, acl->label);
        set_text(&ctx->actions, "%snext;", ds_cstr(&ctx->log));
        add_acl(ctx, od, stage, 65533, acl);
    }
}

/* The flows of one ACL row on switch 'od'. */
static void
build_acl(struct acl_ctx *ctx, const struct northd_datapath *od,
          const struct acl_facts *sw, const struct nbrec_acl *acl)
{
    bool stateful = sw->has_stateful_acl || sw->has_lb_vip;
    bool ingress = !strcmp(acl->direction, "from-lport");
    uint16_t prio = acl->priority + 1000;
    enum lflow_stage stage;

    if (!match_is_valid(ctx, &acl->header_.uuid, acl->match, "ACL")) {
        return;
    }
    if (!ingress) {
        stage = LS_OUT_ACL;
    } else if (options_get_bool(acl->options, "apply-after-lb", false)) {
        stage = LS_IN_ACL_AFTER_LB;
    } else {
        stage = LS_IN_ACL;
    }
    format_log(ctx, acl);

    if (!strcmp(acl->action, "allow-stateless")) {
        if (stateful) {
            lflow_add(ctx->lflows, od,
                      ingress ? LS_IN_PRE_ACL : LS_OUT_PRE_ACL, prio,
                      acl->match, "reg0[16] = 1; next;", &acl->header_.uuid);
        }
        set_text(&ctx->match, "%s", acl->match);
        set_text(&ctx->actions, "%snext;", ds_cstr(&ctx->log));
        add_acl(ctx, od, stage, prio, acl);
    } else if (!strncmp(acl->action, "allow", 5)) {
        if (stateful) {
            build_acl_allow(ctx, od, stage, prio, acl);
            build_acl_log_related(ctx, od, acl, ingress);
        } else {
            set_text(&ctx->match, "%s", acl->match);
            set_text(&ctx->actions, "%snext;", ds_cstr(&ctx->log));
            add_acl(ctx, od, stage, prio, acl);
        }
    } else {
        build_acl_deny(ctx, od, stage, prio, acl, stateful);
    }
}

/* build_acl() with the ACL row as the owner of its flows. */
static void
build_acl_owned(struct acl_ctx *ctx, const struct northd_datapath *od,
                const struct acl_facts *sw, const struct nbrec_acl *acl)
{
    lflow_table_set_owner(ctx->lflows, &acl->header_.uuid);
    build_acl(ctx, od, sw, acl);
    lflow_table_set_owner(ctx->lflows, NULL);
}

void
acl_build_acl_flows(const struct northd *nd,
                    const struct northd_datapath *od,
                    const struct nbrec_acl *acl, struct lflow_table *lflows)
{
    struct acl_ctx ctx;
    struct acl_facts sw;

    ctx_init_common(&ctx, nd, lflows);
    acl_switch_facts(nd, od, &sw);
    build_acl_owned(&ctx, od, &sw, acl);
    ctx_destroy(&ctx);
}

/* ls_out_acl priority 34000: a port's DHCP replies from the switch's
 * DHCP server pass its ACLs.  Ports with DHCPv4 options that have
 * server_id, server_mac and lease_time, and ports with DHCPv6 options
 * whose server_id is a MAC, get one, whatever their addresses. */
static void
build_dhcp_acl_port(struct lflow_table *lf, const struct northd_port *op,
                    bool stateful, struct ds *m)
{
    const char *action = stateful ? "ct_commit; next;" : "next;";
    const struct nbrec_logical_switch_port *nbsp = op->nbsp;
    struct eth_addr ea;

    if (!nbsp || ports_is_router_lsp(op)) {
        return;
    }
    const struct nbrec_dhcp_options *d4 = nbsp->dhcpv4_options;
    const char *sid = d4 ? options_get(d4->options, "server_id") : NULL;
    const char *smac = d4 ? options_get(d4->options, "server_mac") : NULL;
    struct in6_addr ip;
    if (sid && smac && options_get(d4->options, "lease_time")
        && eth_addr_from_string(smac, &ea)
        && ip_from_string(sid, &ip) && ip_is_v4(&ip)) {
        ds_clear(m);
        ds_put_format(m, "outport == \"%s\" && eth.src == "ETH_ADDR_FMT
                      " && ip4.src == ", op->name, ETH_ADDR_ARGS(ea));
        ip_format(&ip, m);
        ds_put_cstr(m, " && udp && udp.src == 67 && udp.dst == 68");
        lflow_add(lf, op->od, LS_OUT_ACL, 34000, ds_cstr(m), action, NULL);
    }
    const struct nbrec_dhcp_options *d6 = nbsp->dhcpv6_options;
    sid = d6 ? options_get(d6->options, "server_id") : NULL;
    if (sid && eth_addr_from_string(sid, &ea)) {
        struct in6_addr lla = { .s6_addr = {
            0xfe, 0x80, 0, 0, 0, 0, 0, 0,
            ea.ea[0] ^ 2, ea.ea[1], ea.ea[2], 0xff, 0xfe,
            ea.ea[3], ea.ea[4], ea.ea[5] } };
        ds_clear(m);
        ds_put_format(m, "outport == \"%s\" && eth.src == "ETH_ADDR_FMT
                      " && ip6.src == ", op->name, ETH_ADDR_ARGS(ea));
        ip_format(&lla, m);
        ds_put_cstr(m, " && udp && udp.src == 547 && udp.dst == 546");
        lflow_add(lf, op->od, LS_OUT_ACL, 34000, ds_cstr(m), action, NULL);
    }
}

static void
build_dhcp_acls(struct acl_ctx *ctx, const struct northd_datapath *od,
                bool stateful)
{
    for (size_t i = 0; i < od->n_ports; i++) {
        lflow_table_set_owner(ctx->lflows, &od->ports[i]->nb_uuid);
        build_dhcp_acl_port(ctx->lflows, od->ports[i], stateful,
                            &ctx->match);
    }
    lflow_table_set_owner(ctx->lflows, NULL);
}

/* Is switch 'od' stateful (see the file comment)? */
static bool
switch_is_stateful(const struct northd *nd, const struct northd_datapath *od)
{
    struct acl_facts sw;

    acl_switch_facts(nd, od, &sw);
    return sw.has_stateful_acl || sw.has_lb_vip;
}

void
acl_build_dhcp_port_flows(const struct northd *nd,
                          const struct northd_port *op,
                          struct lflow_table *lflows)
{
    struct ds m = DS_EMPTY_INITIALIZER;

    if (!op->nbsp || (!op->nbsp->dhcpv4_options
                      && !op->nbsp->dhcpv6_options)) {
        return;
    }
    lflow_table_set_owner(lflows, &op->nb_uuid);
    build_dhcp_acl_port(lflows, op, switch_is_stateful(nd, op->od), &m);
    lflow_table_set_owner(lflows, NULL);
    ds_destroy(&m);
}

/* QoS rules of switch 'od': DSCP marking and meters. */
static void
build_qos(struct acl_ctx *ctx, const struct northd_datapath *od)
{
    for (size_t i = 0; i < od->nbs->n_qos_rules; i++) {
        const struct nbrec_qos *q = od->nbs->qos_rules[i];
        bool ingress = !strcmp(q->direction, "from-lport");
        const struct uuid *u = &q->header_.uuid;
        long long dscp = -1, rate = -1, burst = -1;

        if (!match_is_valid(ctx, u, q->match, "QoS")) {
            continue;
        }
        for (unsigned int j = 0; q->action && j < q->action->n; j++) {
            if (!strcmp(ovsdb_atom_string(&q->action->keys[j]), "dscp")) {
                dscp = q->action->values[j].integer;
            }
        }
        for (unsigned int j = 0; q->bandwidth && j < q->bandwidth->n; j++) {
            const char *k = ovsdb_atom_string(&q->bandwidth->keys[j]);
            long long v = q->bandwidth->values[j].integer;
            if (!strcmp(k, "rate")) {
                rate = v;
            } else if (!strcmp(k, "burst")) {
                burst = v;
            }
        }
        if (dscp >= 0) {
            set_text(&ctx->actions, "ip.dscp = %lld; next;", dscp);
            lflow_add(ctx->lflows, od,
                      ingress ? LS_IN_QOS_MARK : LS_OUT_QOS_MARK,
                      q->priority, q->match, ds_cstr(&ctx->actions), u);
        }
        if (rate > 0) {
            ds_clear(&ctx->actions);
            ds_put_format(&ctx->actions, "set_meter(%lld", rate);
            if (burst > 0) {
                ds_put_format(&ctx->actions, ", %lld", burst);
            }
            ds_put_cstr(&ctx->actions, "); next;");
            lflow_add(ctx->lflows, od,
                      ingress ? LS_IN_QOS_METER : LS_OUT_QOS_METER,
                      q->priority, q->match, ds_cstr(&ctx->actions), u);
        }
    }
}

void
acl_build_lflows(const struct northd *nd, struct lflow_table *lflows)
{
    struct acl_ctx ctx;

    ctx_init(&ctx, nd, lflows);
    for (size_t i = 0; i < nd->datapaths.n_switches; i++) {
        const struct northd_datapath *od = nd->datapaths.array[i];
        const struct acl_facts *sw = &ctx.sw[i];

        build_pre_acl(&ctx, od, sw);
        build_acl_defaults(&ctx, od, sw);
        if (sw->has_stateful_acl || sw->has_lb_vip) {
            build_acl_stateful_defaults(&ctx, od, true);
            build_acl_stateful_defaults(&ctx, od, false);
        }
        for (size_t j = 0; j < od->nbs->n_acls; j++) {
            build_acl_owned(&ctx, od, sw, od->nbs->acls[j]);
        }
        build_qos(&ctx, od);
        build_dhcp_acls(&ctx, od, sw->has_stateful_acl || sw->has_lb_vip);
    }
    const struct sync_port_group *pg;
    HMAP_FOR_EACH (pg, node, &nd->sync.port_groups) {
        for (size_t j = 0; j < pg->nb->n_acls; j++) {
            build_acl_owned(&ctx, pg->od, &ctx.sw[pg->od->index],
                            pg->nb->acls[j]);
        }
    }
    ctx_destroy(&ctx);
}
