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
#include "ovsdb/datum.h"
#include "ovsdb/nbrec-idl.h"

VLOG_DEFINE_THIS_MODULE(northd_ls_lb);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

static bool
lb_has_vips(const struct nbrec_load_balancer *lb)
{
    return lb->vips && lb->vips->n > 0;
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
    struct ds match, actions, backends;
};

/* Formats the valid backends of 'text' of family 'family' into
 * ctx->backends; returns how many. */
static size_t
format_backends(struct lb_ctx *ctx, const struct nbrec_load_balancer *lb,
                const char *text, int family)
{
    char *copy = xstrdup(text);
    char *save = NULL;
    size_t n = 0;

    ds_clear(&ctx->backends);
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
        if (n++) {
            ds_put_char(&ctx->backends, ',');
        }
        ip_endpoint_format(&ep, &ctx->backends);
    }
    free(copy);
    return n;
}

/* The flows of VIP 'key' -> backends 'value' of 'lb' on switch 'od'. */
static void
build_vip(struct lb_ctx *ctx, const struct northd_datapath *od,
          const struct nbrec_load_balancer *lb, const char *key,
          const char *value)
{
    struct ip_endpoint vip;
    bool quiet;
    char *error = ip_endpoint_parse(key, &vip, &quiet);

    if (error) {
        VLOG_WARN_RL(&rl, "load balancer %s ("UUID_FMT"): bad VIP: %s",
                     lb->name, UUID_ARGS(&lb->header_.uuid), error);
        free(error);
        return;
    }
    if (!format_backends(ctx, lb, value, vip.family)) {
        return;
    }
    bool v4 = vip.family == AF_INET;
    const char *proto = lb->protocol && lb->protocol[0] ? lb->protocol
                        : "tcp";
    struct ds addr = DS_EMPTY_INITIALIZER;
    ip_endpoint_format_addr(&vip, &addr);

    struct ds *m = &ctx->match, *a = &ctx->actions;
    ds_clear(m);
    ds_put_format(m, "reg0[2] == 1 && ip%c.dst == %s", v4 ? '4' : '6',
                  ds_cstr(&addr));
    ds_clear(a);
    ds_put_format(a, "%s = %s; ", v4 ? "reg1" : "xxreg1", ds_cstr(&addr));
    if (vip.port) {
        ds_put_format(m, " && %s.dst == %u", proto, vip.port);
        ds_put_format(a, "reg2[0..15] = %u; ", vip.port);
    }
    ds_put_format(a, "%s;", ctx->ct_lb);
    lflow_add(ctx->lflows, od, LS_IN_PRE_STATEFUL, 120, ds_cstr(m),
              ds_cstr(a), &lb->header_.uuid);

    ds_clear(m);
    ds_put_format(m, "ct.new && ip%c.dst == %s", v4 ? '4' : '6',
                  ds_cstr(&addr));
    if (vip.port) {
        ds_put_format(m, " && %s.dst == %u", proto, vip.port);
    }
    ds_clear(a);
    ds_put_format(a, "reg0[1] = 0; %s(backends=%s);", ctx->ct_lb,
                  ds_cstr(&ctx->backends));
    lflow_add(ctx->lflows, od, LS_IN_LB, vip.port ? 120 : 110, ds_cstr(m),
              ds_cstr(a), &lb->header_.uuid);
    ds_destroy(&addr);
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
}
