/* northd/ls-lb: load balancer stages of the switch pipeline (see
 * ls-lb.h). */
#include "northd/ls-lb.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "ds.h"
#include "packets.h"
#include "util.h"
#include "uuid.h"
#include "vlog.h"
#include "northd/northd.h"
#include "northd/options.h"
#include "ovsdb/datum.h"
#include "ovsdb/nbrec-idl.h"
#include "ovsdb/sbrec-idl.h"

VLOG_DEFINE_THIS_MODULE(northd_ls_lb);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

static bool
lb_has_vips(const struct nbrec_load_balancer *lb)
{
    return lb->vips && lb->vips->n > 0;
}

const char *
ls_lb_copp_meter(const struct northd_datapath *od, const char *proto)
{
    const struct nbrec_copp *copp = od->nbs ? od->nbs->copp : NULL;
    return copp ? options_get(copp->meters, proto) : NULL;
}

bool
ls_lb_has_vips(const struct nbrec_logical_switch *nbs)
{
    for (size_t i = 0; i < nbs->n_load_balancer; i++) {
        if (lb_has_vips(nbs->load_balancer[i])) {
            return true;
        }
    }
    for (size_t i = 0; i < nbs->n_load_balancer_group; i++) {
        const struct nbrec_load_balancer_group *g
            = nbs->load_balancer_group[i];
        for (size_t j = 0; j < g->n_load_balancer; j++) {
            if (lb_has_vips(g->load_balancer[j])) {
                return true;
            }
        }
    }
    return false;
}

struct lb_ctx {
    struct lflow_table *lflows;
    const char *ct_lb;          /* "ct_lb_mark" or "ct_lb". */
    bool controller_event;      /* NB_Global options:controller_event. */
    struct ds match, actions, backends;
    struct ip_endpoint *eps;    /* Backends of the VIP at hand. */
    size_t n_eps, allocated_eps;
};

/* Parses the backends 'text' of family 'family' into ctx->eps and formats
 * them into ctx->backends.  A bad one is logged and left out. */
static void
parse_backends(struct lb_ctx *ctx, const struct nbrec_load_balancer *lb,
               const char *text, int family)
{
    char *copy = xstrdup(text);
    char *save = NULL;

    ds_clear(&ctx->backends);
    ctx->n_eps = 0;
    for (char *tok = strtok_r(copy, ", ", &save); tok;
         tok = strtok_r(NULL, ", ", &save)) {
        struct ip_endpoint ep;
        bool quiet;
        char *error = ip_endpoint_parse(tok, &ep, &quiet);
        if (error || ep.family != family) {
            VLOG_WARN_RL(&rl, "load balancer %s ("UUID_FMT"): bad backend "
                         "\"%s\"%s%s", lb->name, UUID_ARGS(&lb->header_.uuid),
                         tok, error ? ": " : " (address family)",
                         error ? error : "");
            free(error);
            continue;
        }
        if (ctx->n_eps >= ctx->allocated_eps) {
            ctx->eps = x2nrealloc(ctx->eps, &ctx->allocated_eps,
                                  sizeof *ctx->eps);
        }
        ctx->eps[ctx->n_eps++] = ep;
        if (ctx->n_eps > 1) {
            ds_put_char(&ctx->backends, ',');
        }
        ip_endpoint_format(&ep, &ctx->backends);
    }
    free(copy);
}

/* One VIP being compiled. */
struct lb_vip {
    const struct nbrec_load_balancer *lb;
    struct ip_endpoint ep;
    bool v4;
    const char *proto;          /* "tcp", "udp" or "sctp". */
    struct ds addr;             /* The VIP's address, formatted. */
    long long affinity;         /* options:affinity_timeout, or 0. */
};

/* Appends "reg1 == VIP[ && reg2[0..15] == PORT]" (xxreg1 for IPv6). */
static void
put_vip_regs_match(struct ds *m, const struct lb_vip *v)
{
    ds_put_format(m, "%s == %s", v->v4 ? "reg1" : "xxreg1",
                  ds_cstr_ro(&v->addr));
    if (v->ep.port) {
        ds_put_format(m, " && reg2[0..15] == %u", v->ep.port);
    }
}

/* Load balancing affinity (options:affinity_timeout): lb_aff_check, the
 * per-backend ls_in_lb flows and lb_aff_learn. */
static void
build_vip_affinity(struct lb_ctx *ctx, const struct northd_datapath *od,
                   const struct lb_vip *v)
{
    const struct uuid *hint = &v->lb->header_.uuid;
    struct ds *m = &ctx->match, *a = &ctx->actions;
    char ipx = v->v4 ? '4' : '6';

    ds_clear(m);
    ds_put_format(m, "ct.new && ip%c && ", ipx);
    put_vip_regs_match(m, v);
    lflow_add(ctx->lflows, od, LS_IN_LB_AFF_CHECK, 100, ds_cstr(m),
              "reg9[6] = chk_lb_aff(); next;", hint);

    struct ds ep_s = DS_EMPTY_INITIALIZER, vip_s = DS_EMPTY_INITIALIZER;
    ip_endpoint_format(&v->ep, &vip_s);
    for (size_t i = 0; i < ctx->n_eps; i++) {
        const struct ip_endpoint *b = &ctx->eps[i];
        ds_clear(&ep_s);
        ip_endpoint_format_addr(b, &ep_s);

        ds_clear(m);
        ds_put_format(m, "reg9[6] == 1 && ct.new && ip%c && %s == %s", ipx,
                      v->v4 ? "reg4" : "xxreg0", ds_cstr(&ep_s));
        if (b->port) {
            ds_put_format(m, " && reg8[0..15] == %u", b->port);
        }
        ds_clear(a);
        ds_put_format(a, "reg0[1] = 0; %s = %s; ", v->v4 ? "reg1" : "xxreg1",
                      ds_cstr_ro(&v->addr));
        if (v->ep.port) {
            ds_put_format(a, "reg2[0..15] = %u; ", v->ep.port);
        }
        ds_put_format(a, "%s(backends=", ctx->ct_lb);
        ip_endpoint_format(b, a);
        ds_put_cstr(a, ");");
        lflow_add(ctx->lflows, od, LS_IN_LB, 150, ds_cstr(m), ds_cstr(a),
                  hint);

        ds_clear(m);
        ds_put_format(m, "reg9[6] == 0 && ct.new && ip%c && ", ipx);
        put_vip_regs_match(m, v);
        ds_put_format(m, " && ip%c.dst == %s", ipx, ds_cstr(&ep_s));
        if (b->port) {
            ds_put_format(m, " && %s.dst == %u", v->proto, b->port);
        }
        ds_clear(a);
        ds_put_format(a, "commit_lb_aff(vip = \"%s\", backend = \"",
                      ds_cstr(&vip_s));
        ip_endpoint_format(b, a);
        ds_put_char(a, '"');
        if (v->ep.port) {
            ds_put_format(a, ", proto = %s", v->proto);
        }
        ds_put_format(a, ", timeout = %lld); /* drop */", v->affinity);
        lflow_add(ctx->lflows, od, LS_IN_LB_AFF_LEARN, 100, ds_cstr(m),
                  ds_cstr(a), hint);
    }
    ds_destroy(&ep_s);
    ds_destroy(&vip_s);
}

/* The ls_in_lb action for the VIP whose backends ctx holds.  Returns true
 * if it is a reject. */
static bool
put_lb_action(const struct lb_ctx *ctx, const struct nbrec_load_balancer *lb,
              struct ds *a)
{
    ds_clear(a);
    if (!ctx->n_eps) {
        if (options_get_bool(lb->options, "reject", false)) {
            ds_put_format(a, "reg0 = 0; reject { outport <-> inport; "
                          "next(pipeline=egress,table=%u);};",
                          lflow_stage_table(LS_OUT_QOS_MARK));
            return true;
        }
        ds_put_cstr(a, "drop;");
        return false;
    }
    ds_put_format(a, "reg0[1] = 0; %s(backends=%s", ctx->ct_lb,
                  ds_cstr_ro(&ctx->backends));
    for (size_t i = 0; i < lb->n_selection_fields; i++) {
        ds_put_format(a, "%s%s", i ? "," : "; hash_fields=\"",
                      lb->selection_fields[i]);
    }
    ds_put_format(a, "%s);", lb->n_selection_fields ? "\"" : "");
    return false;
}

/* NB_Global options:controller_event: a VIP without backends (that does
 * not reject) makes ovn-controller report an empty_lb_backends event. */
static void
build_vip_event(struct lb_ctx *ctx, const struct northd_datapath *od,
                const struct lb_vip *v)
{
    const struct nbrec_load_balancer *lb = v->lb;
    struct ds *m = &ctx->match, *a = &ctx->actions;

    if (!ctx->controller_event || ctx->n_eps
        || options_get_bool(lb->options, "reject", false)) {
        return;
    }
    ds_clear(m);
    ds_put_format(m, "ip%c.dst == %s && %s", v->v4 ? '4' : '6',
                  ds_cstr_ro(&v->addr), v->proto);
    if (v->ep.port) {
        ds_put_format(m, " && %s.dst == %u", v->proto, v->ep.port);
    }
    ds_clear(a);
    ds_put_cstr(a, "trigger_event(event = \"empty_lb_backends\", vip = \"");
    ip_endpoint_format(&v->ep, a);
    ds_put_format(a, "\", protocol = \"%s\", load_balancer = \""UUID_FMT
                  "\");", v->proto, UUID_ARGS(&lb->header_.uuid));
    lflow_add_full(ctx->lflows, od, LS_IN_PRE_LB, 130, ds_cstr(m),
                   ds_cstr(a), NULL, ls_lb_copp_meter(od, "event-elb"),
                   &lb->header_.uuid);
}

/* The flows of VIP 'key' -> backends 'value' of 'lb' on switch 'od'. */
static void
build_vip(struct lb_ctx *ctx, const struct northd_datapath *od,
          const struct nbrec_load_balancer *lb, const char *key,
          const char *value)
{
    struct lb_vip v = { .lb = lb };
    bool quiet;
    char *error = ip_endpoint_parse(key, &v.ep, &quiet);

    if (error) {
        VLOG_WARN_RL(&rl, "load balancer %s ("UUID_FMT"): bad VIP: %s",
                     lb->name, UUID_ARGS(&lb->header_.uuid), error);
        free(error);
        return;
    }
    parse_backends(ctx, lb, value, v.ep.family);
    v.v4 = v.ep.family == AF_INET;
    v.proto = lb->protocol && lb->protocol[0] ? lb->protocol : "tcp";
    v.affinity = options_get_int(lb->options, "affinity_timeout", 0);
    ds_init(&v.addr);
    ip_endpoint_format_addr(&v.ep, &v.addr);

    struct ds *m = &ctx->match, *a = &ctx->actions;
    const struct uuid *hint = &lb->header_.uuid;
    char ipx = v.v4 ? '4' : '6';
    ds_clear(m);
    ds_put_format(m, "reg0[2] == 1 && ip%c.dst == %s", ipx,
                  ds_cstr(&v.addr));
    ds_clear(a);
    ds_put_format(a, "%s = %s; ", v.v4 ? "reg1" : "xxreg1",
                  ds_cstr(&v.addr));
    if (v.ep.port) {
        ds_put_format(m, " && %s.dst == %u", v.proto, v.ep.port);
        ds_put_format(a, "reg2[0..15] = %u; ", v.ep.port);
    }
    ds_put_format(a, "%s;", ctx->ct_lb);
    lflow_add(ctx->lflows, od, LS_IN_PRE_STATEFUL, 120, ds_cstr(m),
              ds_cstr(a), hint);

    ds_clear(m);
    ds_put_format(m, "ct.new && ip%c.dst == %s", ipx, ds_cstr(&v.addr));
    if (v.ep.port) {
        ds_put_format(m, " && %s.dst == %u", v.proto, v.ep.port);
    }
    bool rejects = put_lb_action(ctx, lb, a);
    lflow_add_full(ctx->lflows, od, LS_IN_LB, v.ep.port ? 120 : 110,
                   ds_cstr(m), ds_cstr(a), NULL,
                   rejects ? ls_lb_copp_meter(od, "reject") : NULL, hint);
    if (v.affinity > 0 && ctx->n_eps) {
        build_vip_affinity(ctx, od, &v);
    }
    build_vip_event(ctx, od, &v);
    ds_destroy(&v.addr);
}

static void
build_lb(struct lb_ctx *ctx, const struct northd_datapath *od,
         const struct nbrec_load_balancer *lb)
{
    const struct ovsdb_datum *vips = lb->vips;

    for (unsigned int i = 0; vips && i < vips->n; i++) {
        build_vip(ctx, od, lb, ovsdb_atom_string(&vips->keys[i]),
                  ovsdb_atom_string(&vips->values[i]));
    }
}

/* The flows that every switch with a VIP gets once. */
static void
build_lb_common(struct lb_ctx *ctx, const struct northd_datapath *od)
{
    struct lflow_table *lf = ctx->lflows;

    lflow_add(lf, od, LS_IN_PRE_LB, 100, "ip", "reg0[2] = 1; next;", NULL);
    lflow_add(lf, od, LS_OUT_PRE_LB, 100, "ip", "reg0[2] = 1; next;", NULL);
    lflow_add(lf, od, LS_IN_PRE_HAIRPIN, 100, "ip && ct.trk",
              "reg0[6] = chk_lb_hairpin(); "
              "reg0[12] = chk_lb_hairpin_reply(); next;", NULL);
    lflow_add(lf, od, LS_IN_NAT_HAIRPIN, 100,
              "ip && ct.new && ct.trk && reg0[6] == 1",
              "ct_snat_to_vip; next;", NULL);
    lflow_add(lf, od, LS_IN_NAT_HAIRPIN, 100,
              "ip && ct.est && ct.trk && reg0[6] == 1", "ct_snat;", NULL);
    lflow_add(lf, od, LS_IN_NAT_HAIRPIN, 90, "ip && reg0[12] == 1",
              "ct_snat;", NULL);
    lflow_add(lf, od, LS_IN_HAIRPIN, 1, "(reg0[6] == 1 || reg0[12] == 1)",
              "eth.dst <-> eth.src; outport = inport; flags.loopback = 1; "
              "output;", NULL);
}

void
ls_lb_build_lflows(const struct northd *nd, struct lflow_table *lflows)
{
    struct lb_ctx ctx = {
        .lflows = lflows,
        .ct_lb = nd->global.ct_no_masked_label ? "ct_lb_mark" : "ct_lb",
    };
    const struct nbrec_nb_global *nbg = nbrec_nb_global_first(nd->nb);

    ctx.controller_event = nbg && options_get_bool(nbg->options,
                                                   "controller_event", false);

    ds_init(&ctx.match);
    ds_init(&ctx.actions);
    ds_init(&ctx.backends);
    for (size_t i = 0; i < nd->datapaths.n_switches; i++) {
        const struct northd_datapath *od = nd->datapaths.array[i];
        const struct nbrec_logical_switch *nbs = od->nbs;

        if (!ls_lb_has_vips(nbs)) {
            continue;
        }
        build_lb_common(&ctx, od);
        for (size_t j = 0; j < nbs->n_load_balancer; j++) {
            build_lb(&ctx, od, nbs->load_balancer[j]);
        }
        for (size_t j = 0; j < nbs->n_load_balancer_group; j++) {
            const struct nbrec_load_balancer_group *g
                = nbs->load_balancer_group[j];
            for (size_t k = 0; k < g->n_load_balancer; k++) {
                build_lb(&ctx, od, g->load_balancer[k]);
            }
        }
    }
    ds_destroy(&ctx.match);
    ds_destroy(&ctx.actions);
    ds_destroy(&ctx.backends);
    free(ctx.eps);
}

/* Southbound Load_Balancer. */

/* One NB load balancer and the switches it applies to. */
static const char *
lb_id_key(const struct ovsdb_client_row *row, struct ds *buf OVS_UNUSED,
          void *aux OVS_UNUSED)
{
    return sbrec_load_balancer_get_external_ids_value(
        (const struct sbrec_load_balancer *) row, "lb_id");
}

static void
write_lb(struct dbdiff *diff, struct dbdiff_index *idx,
         const struct datapath_ref *ref)
{
    const struct nbrec_load_balancer *lb
        = (const struct nbrec_load_balancer *) ref->row;
    char id[UUID_LEN + 1];
    struct dbdiff_datum d;

    uuid_to_cstr(&lb->header_.uuid, id);
    const struct ovsdb_client_row *row = dbdiff_index_claim(idx, id);
    if (!row) {
        row = dbdiff_insert(diff, sbrec_load_balancer_table(diff->client));
    }
    dbdiff_set_string(diff, row, SBREC_LOAD_BALANCER_COL_NAME, lb->name);
    dbdiff_datum_init_map(&d);
    if (lb->vips) {
        dbdiff_datum_add_map(&d, lb->vips);
    }
    dbdiff_set(diff, row, SBREC_LOAD_BALANCER_COL_VIPS, &d);
    dbdiff_set_opt_string(diff, row, SBREC_LOAD_BALANCER_COL_PROTOCOL,
                          lb->protocol && lb->protocol[0] ? lb->protocol
                          : "tcp");
    datapath_ref_write(ref, diff, row, SBREC_LOAD_BALANCER_COL_DATAPATHS);
    dbdiff_datum_init_map(&d);
    dbdiff_datum_add_pair(&d, "lb_id", id);
    dbdiff_set(diff, row, SBREC_LOAD_BALANCER_COL_EXTERNAL_IDS, &d);
    dbdiff_datum_init_map(&d);
    if (lb->options) {
        dbdiff_datum_add_map(&d, lb->options);
    }
    if (!options_get(lb->options, "hairpin_orig_tuple")) {
        dbdiff_datum_add_pair(&d, "hairpin_orig_tuple", "true");
    }
    dbdiff_set(diff, row, SBREC_LOAD_BALANCER_COL_OPTIONS, &d);
}

void
ls_lb_sync(const struct northd_datapaths *dps, struct dbdiff *diff)
{
    struct hmap entries = HMAP_INITIALIZER(&entries);

    for (size_t i = 0; i < dps->n_switches; i++) {
        const struct northd_datapath *od = dps->array[i];
        const struct nbrec_logical_switch *nbs = od->nbs;

        if (!od->sb) {
            continue;
        }
        for (size_t j = 0; j < nbs->n_load_balancer; j++) {
            datapath_refs_add(&entries, &nbs->load_balancer[j]->header_,
                              od);
        }
        for (size_t j = 0; j < nbs->n_load_balancer_group; j++) {
            const struct nbrec_load_balancer_group *g
                = nbs->load_balancer_group[j];
            for (size_t k = 0; k < g->n_load_balancer; k++) {
                datapath_refs_add(&entries, &g->load_balancer[k]->header_,
                                  od);
            }
        }
    }

    struct dbdiff_index idx;
    dbdiff_index_init(&idx, sbrec_load_balancer_table(diff->client),
                      lb_id_key, NULL);
    const struct datapath_ref *ref;
    HMAP_FOR_EACH (ref, node, &entries) {
        write_lb(diff, &idx, ref);
    }
    dbdiff_index_finish(&idx, diff, true);
    datapath_refs_destroy(&entries);
}
