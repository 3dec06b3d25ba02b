/* northd/lr-pipeline: runs the router stage builders over every router
 * (see lr-pipeline.h) and the helpers they share (lr-private.h). */
#include "northd/lr-pipeline.h"

#include <string.h>
#include "util.h"
#include "northd/datapaths.h"
#include "northd/lr-private.h"
#include "northd/northd.h"
#include "northd/ports.h"

bool
lr_is_lrp(const struct northd_port *op)
{
    return op->kind == NORTHD_PORT_LRP;
}

void
lr_put_resident(struct ds *m, const struct northd_port *op)
{
    if (op->cr_port) {
        ds_put_format(m, " && is_chassis_resident(\"%s\")",
                      op->cr_port->name);
    }
}

void
lr_put_ips(struct ds *s, const struct lport_addrs_ip *ips, size_t n,
           bool with_bcast, bool braces)
{
    bool set = braces || n > 1 || (with_bcast && n);

    if (set) {
        ds_put_char(s, '{');
    }
    for (size_t i = 0; i < n; i++) {
        ds_put_format(s, "%s%s", i ? ", " : "", ips[i].addr_s);
        if (with_bcast && ips[i].bcast_s[0]) {
            ds_put_format(s, ", %s", ips[i].bcast_s);
        }
    }
    if (set) {
        ds_put_char(s, '}');
    }
}

const struct lport_addrs_ip *
lr_find_network(const struct northd_port *op, const struct in6_addr *ip,
                bool is_v4)
{
    const struct lport_addrs *n = &op->lrp_networks;
    const struct lport_addrs_ip *ips = is_v4 ? n->ipv4 : n->ipv6;
    size_t n_ips = is_v4 ? n->n_ipv4 : n->n_ipv6;

    for (size_t i = 0; i < n_ips; i++) {
        struct in6_addr net = *ip;
        ip_apply_plen(&net, ips[i].plen);
        if (!memcmp(&net, &ips[i].network, sizeof net)) {
            return &ips[i];
        }
    }
    return NULL;
}

void
lr_pipeline_build(const struct northd *nd, struct lflow_table *lflows)
{
    struct lr_ctx ctx = {
        .nd = nd,
        .lflows = lflows,
        .match = DS_EMPTY_INITIALIZER,
        .actions = DS_EMPTY_INITIALIZER,
    };

    for (size_t i = nd->datapaths.n_switches; i < nd->datapaths.n; i++) {
        ctx.od = nd->datapaths.array[i];
        ctx.nat = lr_nat_parse(ctx.od);
        lr_build_input(&ctx);
        lr_build_routes(&ctx);
        lr_build_output(&ctx);
        lr_build_mtu_ra(&ctx);
        ctx.has_lb = lr_build_lb(&ctx);
        lr_build_nat(&ctx);
        lr_nat_free(ctx.nat);
        ctx.nat = NULL;
    }
    ds_destroy(&ctx.match);
    ds_destroy(&ctx.actions);
}
