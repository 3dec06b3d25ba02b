/* northd/ls-lb: the load balancer stages of the logical switch pipeline,
 * as OVN 23.03 writes them for a switch's Load_Balancer rows (its
 * 'load_balancer' column and its load balancer groups):
 *
 *     ls_in/out_pre_lb     priority 100 "ip": conntrack hint reg0[2]
 *     ls_in_pre_stateful   priority 120 per VIP: remember the original
 *                          destination (reg1/xxreg1, reg2[0..15]), ct_lb
 *     ls_in_lb             priority 120 (VIP with port) / 110 (without):
 *                          ct_lb_mark(backends=...) for new connections
 *     ls_in_pre_hairpin,   hairpin detection and SNAT to the VIP when a
 *     ls_in_nat_hairpin,   backend reaches itself through its VIP
 *     ls_in_hairpin
 *
 * VIP "IP[:PORT]" (IPv6 in brackets with a port), backends
 * "IP[:PORT],...", protocol tcp (default), udp or sctp.  A VIP or backend
 * that does not parse, or a VIP whose backends are all bad or empty, is
 * logged (rate-limited, naming the load balancer) and left out; a VIP
 * left without backends drops (rejects with options:reject=true).
 * options:affinity_timeout adds the lb_aff_check / lb_aff_learn flows;
 * selection_fields become hash_fields.  Not done: health checks
 * (service monitors), empty_lb controller events.
 *
 * Southbound: ls_lb_sync() writes one Load_Balancer row per NB load
 * balancer applied to a switch (directly or through a group), keyed by
 * external_ids:lb_id (the NB uuid): name, vips and options copied
 * (options gain hairpin_orig_tuple=true), protocol (default tcp), and
 * 'datapaths' listing those switches (ovn-northd 23.03 writes a
 * datapath_group instead; ovn-controller reads both).  ovn-controller
 * builds its hairpin flows from these rows. */
#ifndef WEFT_NORTHD_LS_LB_H
#define WEFT_NORTHD_LS_LB_H 1

#include <stdbool.h>

struct northd;
struct lflow_table;
struct nbrec_logical_switch;
struct northd_datapath;
struct northd_datapaths;
struct dbdiff;

/* Does switch 'nbs' have a load balancer with at least one VIP? */
bool ls_lb_has_vips(const struct nbrec_logical_switch *);

/* The meter that switch 'od''s Copp (control plane protection) names for
 * controller protocol 'proto' ("reject", "event-elb", ...), or NULL. */
const char *ls_lb_copp_meter(const struct northd_datapath *,
                             const char *proto);

/* The lflow builder (northd.c lflow_builders[]). */
void ls_lb_build_lflows(const struct northd *, struct lflow_table *);

/* Writes SB Load_Balancer (after datapaths_sync()). */
void ls_lb_sync(const struct northd_datapaths *, struct dbdiff *);

#endif
