/* cli/trace-why: says why weft-trace's packet was dropped.
 *
 * A drop (struct pipeline_drop) names its stage and logical flow; this
 * module turns it into the object behind it, in ovn-nbctl's own words:
 *
 *   - a flow with a stage-hint: the northbound row the hint names (the
 *     first 8 hex digits of its uuid), looked up among ACL,
 *     Logical_Switch_Port, Logical_Router_Port, Logical_Router_Static_Route,
 *     Logical_Router_Policy, NAT, Load_Balancer and QoS, and described as
 *     acl-list, lr-route-list, lr-policy-list or lr-nat-list print it, with
 *     the switch, port group or router it is on;
 *   - a flow or a table without one: the stage and the packet as it was
 *     dropped (no route in lr_in_ip_routing, the port and its
 *     port_security in *_apply_port_sec, eth.dst or a disabled port in
 *     lr_in_admission, the default ACL drop...).
 *
 * The northbound database is opened at most once, on the first drop that
 * needs it, with a short timeout; when it cannot be reached the
 * explanation says so once and keeps the row's uuid.  Port security and
 * router port MACs come from the southbound replica (trace_why_load_sb()),
 * so they need no northbound access. */
#ifndef WEFT_CLI_TRACE_WHY_H
#define WEFT_CLI_TRACE_WHY_H 1

struct ds;
struct ovsdb_client;
struct pipeline;
struct pipeline_drop;

/* Creates an explainer that reads OVN_Northbound at 'nb_remote' (copied)
 * when it needs to, waiting at most 'timeout_ms' for it. */
struct trace_why *trace_why_create(const char *nb_remote, int timeout_ms);
void trace_why_destroy(struct trace_why *);

/* Records what the explanations need from the loaded southbound replica
 * 'sb' (the Port_Binding table): ports' port_security and MACs. */
void trace_why_load_sb(struct trace_why *, const struct ovsdb_client *sb);

/* Appends to 'out' why 'd' (a drop of a run of 'pl') happened: a phrase
 * that replaces d->reason in the "Dropped in ..." line, such as
 * 'dropped by ACL "to-lport 1001 (outport == @sg && ip4) drop" on port
 * group sg' or 'no flow matched: no route to 10.9.9.9 in router "r0"'. */
void trace_why_explain(struct trace_why *, const struct pipeline *pl,
                       const struct pipeline_drop *d, struct ds *out);

#endif
