/* northd/lr-pipeline: the logical router pipelines (every lr_in_* and
 * lr_out_* stage) of OVN 23.03's ovn-northd: admission, neighbour
 * learning, IP input (router addresses, ICMP errors, martians),
 * connected and static routes (LPM, ECMP, source-IP routes, route
 * tables), policies, ARP/ND resolution and requests, gateway redirect,
 * delivery, and NAT for distributed gateway ports and gateway routers.
 *
 *     lr_pipeline_build(nd, lflows);   adds every router's flows
 *
 * It is a northd_lflow_builder (northd.h), run after the stage
 * defaults.  Bad NB rows (a route whose prefix or nexthop does not
 * parse or is unreachable, a policy whose match does not parse, a NAT
 * with a bad address) are logged, rate-limited, with the row's uuid and
 * skipped.  Deliberate differences from ovn-northd are listed in
 * docs/northd-facts.md ("Router pipeline").  Not thread-safe. */
#ifndef WEFT_NORTHD_LR_PIPELINE_H
#define WEFT_NORTHD_LR_PIPELINE_H 1

struct northd;
struct northd_port;
struct lflow_table;

void lr_pipeline_build(const struct northd *, struct lflow_table *);

/* The flows the routers attached to switch port 'lsp''s switch have for
 * 'lsp' alone (ARP resolution of its addresses), owned by 'lsp': the
 * incremental path (northd.h).  The full build adds the same ones. */
void lr_build_resolve_for_lsp(const struct northd *,
                              const struct northd_port *lsp,
                              struct lflow_table *);

#endif
