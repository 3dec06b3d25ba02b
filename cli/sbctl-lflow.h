/* cli/sbctl-lflow: weft-sbctl's logical flow commands, "lflow-list" (and
 * its alias "dump-flows") and "count-flows", as ovn-sbctl 23.03 prints
 * them.
 *
 * Which flows.  A logical flow belongs to its "logical_datapath" and to
 * every datapath of its "logical_dp_group"; it is listed once under each
 * of them.  The optional DATAPATH argument is looked up like a
 * Datapath_Binding record of the generic commands (UUID, the name rules of
 * weft-sbctl's table, or a UUID prefix of 4+ digits).  For lflow-list, an
 * argument that names no datapath and every later argument is a flow UUID
 * prefix (any length, optionally after "0x" as OpenFlow cookies print it;
 * leading zeros do not matter); flows matching any of them are listed.
 * For count-flows, a DATAPATH that names no datapath counts nothing.
 *
 * Order.  By datapath (its external_ids:name, then its UUID), pipeline
 * (ingress first), table, priority (highest first), match, actions.
 *
 * Format (lflow-list):
 *     Datapath: "NAME" (UUID)  Pipeline: ingress
 *       table=N (STAGE-NAME         ), priority=P    , match=(M), action=(A)
 * with "  uuid=0x%08x, " (the UUID's first 32 bits) before "table=" under
 * --uuid.  The datapath is named "NAME" aka "NAME2" when it has both
 * external_ids:name and :name2, and not at all when it has neither.
 * count-flows prints, per datapath and pipeline, the same header, one
 * "  table=N (STAGE) lflows=COUNT" line per table and a total, then a
 * grand total. */
#ifndef WEFT_CLI_SBCTL_LFLOW_H
#define WEFT_CLI_SBCTL_LFLOW_H 1

struct ctl_context;

/* Prerequisites of both commands: the tables they read. */
void sbctl_lflow_prerequisites(struct ctl_context *);
/* "run" of lflow-list / dump-flows and of count-flows. */
void sbctl_lflow_list(struct ctl_context *);
void sbctl_count_flows(struct ctl_context *);

#endif
