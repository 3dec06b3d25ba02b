/* northd/acl: the logical switch stages that implement ACLs, as OVN 23.03
 * writes them (docs/northd-facts.md, section "ACLs"):
 *
 *     ls_in_pre_acl / ls_out_pre_acl       conntrack hint reg0[0] for IP
 *                                          when the switch has stateful
 *                                          ACLs; bypasses (router and
 *                                          localnet ports, multicast, ND,
 *                                          DHCPv6, allow-stateless ACLs)
 *     ls_in_pre_lb / ls_out_pre_lb         the bypasses that do not
 *                                          depend on load balancers
 *     ls_in_pre_stateful / ls_out_...      ct_lb_mark / ct_next on hints
 *     ls_in_acl_hint / ls_out_acl_hint     reg0[7..10] from ct state
 *     ls_in_acl, ls_in_acl_after_lb,       the ACL rows of the switch and
 *     ls_out_acl                           of its port groups, priority
 *                                          + 1000, plus the defaults
 *     ls_in_stateful / ls_out_stateful     ct_commit on reg0[1]
 *
 * A switch is "stateful" when one of its ACLs (own or through a port
 * group) is allow-related, or when it has a load balancer VIP: then
 * allow ACLs commit connections, drops and rejects mark committed
 * connections blocked, and conntrack states are hinted.  Chassis that
 * lack ct-no-masked-label get ct_label.blocked and ct_lb instead of
 * ct_mark.blocked and ct_lb_mark; ovn-ct-lb-related chooses
 * ct_commit_nat for related traffic.  Also here: ACL logging (log(),
 * options:log-related), labels, options:apply-after-lb, NB_Global
 * options:default_acl_drop, the Copp "reject" meter on reject flows, the
 * ls_out_acl flows that let DHCP replies through, and the QoS stages
 * (ls_in/out_qos_mark: DSCP, ls_in/out_qos_meter: set_meter()).
 *
 * Bad rows: an ACL or QoS rule whose match does not parse (the match
 * language of expr/, with every $set and @group accepted) is logged,
 * rate-limited, naming the row, and left out; the rest compiles.
 *
 * The load balancer flows of the same stages come from ls-lb.h. */
#ifndef WEFT_NORTHD_ACL_H
#define WEFT_NORTHD_ACL_H 1

#include <stdbool.h>

struct nbrec_acl;
struct northd;
struct northd_datapath;
struct northd_port;
struct lflow_table;

/* What the ACL flows of one switch depend on as a whole. */
struct acl_facts {
    bool has_acls;              /* Own or port group ACLs. */
    bool has_stateful_acl;      /* An allow-related one among them. */
    bool has_lb_vip;            /* A load balancer with a VIP. */
};

/* The facts of every switch, by datapath index (northd.h: switches
 * first), from the compiled datapaths and port groups. */
void acl_all_facts(const struct northd *, struct acl_facts *);
/* The facts of switch 'od'. */
void acl_switch_facts(const struct northd *, const struct northd_datapath *,
                      struct acl_facts *);

/* The lflow builder (northd.c lflow_builders[]).  Every ACL row's flows
 * are owned (lflow.h) by the row. */
void acl_build_lflows(const struct northd *, struct lflow_table *);
/* The per-port part (the incremental path, northd.h): the ls_out_acl
 * flows that let switch port 'op''s DHCP replies through, owned by 'op',
 * as the full build adds them. */
/* The flows of ACL row 'acl' on switch 'od', owned by the row, as the
 * full build adds them (for the incremental path). */
void acl_build_acl_flows(const struct northd *,
                         const struct northd_datapath *od,
                         const struct nbrec_acl *acl, struct lflow_table *);
void acl_build_dhcp_port_flows(const struct northd *,
                               const struct northd_port *op,
                               struct lflow_table *);

#endif
