/* cli/trace-sb: the southbound database as pipeline input.
 *
 * trace_sb_load() reads a loaded replica of OVN_Southbound (generated
 * sbrec bindings) and adds to 'in' what the pipeline engine needs:
 * datapaths (named by external_ids:name, as ovn-trace names them),
 * port bindings, logical flows (with their datapath groups), multicast
 * groups, address sets, port groups, MAC bindings and FDB entries.
 * Nothing else of the database is kept; the replica may be destroyed
 * afterwards. */
#ifndef WEFT_CLI_TRACE_SB_H
#define WEFT_CLI_TRACE_SB_H 1

struct ovsdb_client;
struct pipeline_input;

/* The tables (and columns) trace_sb_load() reads, NULL-terminated, for
 * ovsdb_client_sync_open(). */
extern const char *const trace_sb_tables[];

void trace_sb_load(const struct ovsdb_client *, struct pipeline_input *);

#endif
