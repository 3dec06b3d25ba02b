/* pipeline: OVN's logical pipelines, compiled and executed.
 *
 * What it is for.  The one implementation of the semantics of OVN's
 * logical flows in weft: weft-trace simulates a packet with it, and the
 * datapath's slow path will run the very same code, so that a trace shows
 * what the datapath does.
 *
 * How to use it.
 *
 *     struct pipeline_input *in = pipeline_input_create();
 *     pipeline_input_add_datapath(in, 1, "sw0", false);
 *     pipeline_input_add_port(in, &(struct pipeline_port_desc) {
 *                                 .name = "vm1", .dp_key = 1, .key = 1 });
 *     pipeline_input_add_flow(in, &(struct pipeline_flow_desc) { ... });
 *     ...multicast groups, address sets, port groups, MAC bindings...
 *     struct pipeline *pl = pipeline_compile(in, symtab, &n_errors);
 *     pipeline_input_destroy(in);
 *
 *     struct pipeline_run_params params = { .trace = true, ... };
 *     struct pipeline_result result;
 *     pipeline_run(pl, &params, dp_key, &packet, &result);
 *     ...result.outputs, result.drops, result.mask, result.trace...
 *     pipeline_result_destroy(&result);
 *
 * The input is plain structures: no southbound or OVSDB type appears
 * here.  The caller (weft-trace reading the SB, the chassis agent sending a
 * program to the datapath) translates its own rows.
 *
 * Compilation.  Each flow's match is parsed (address sets and port groups
 * expanded as sets, never as cross products), the prerequisites of its
 * actions are ANDed in, is_chassis_resident() is decided with the
 * caller's callback, and the result is put in normal form: a disjunction
 * of conjunctions.  Each conjunction is filed in its table under one
 * "key": an exact or masked equality on one field (outport, inport,
 * eth.dst, ip4.dst/prefix...), or each member of a set on one field.
 * The table is a small tuple space: one hash per (field, mask) key kind
 * plus a list of conjunctions with no usable key.  A lookup probes each
 * hash with the packet's masked value and evaluates only the
 * conjunctions found, so a table of thousands of flows is not scanned.
 * Actions are parsed once, into expr/actions.h's resolved form, and
 * executed from it without any string work.  Flows that fail to parse
 * are skipped and counted (pipeline_n_errors()), as ovn-controller and
 * ovn-trace do.
 *
 * Execution.  pipeline_run() runs a packet from table 0 of a datapath's
 * ingress pipeline: next / next(pipeline=, table=), field assignments,
 * output (ingress -> egress; multicast groups fan out; egress to a patch
 * or l3gateway port enters the peer datapath's ingress with registers,
 * flags and conntrack state cleared), clone and the packet-generating
 * actions (on copies), conntrack actions against a model (struct
 * pipeline_ct_model, decided by the caller: weft-trace's --ct flags, the
 * datapath's real conntrack later), MAC binding lookups and port security
 * checks, and FDB lookups (get_fdb, lookup_fdb) against the learnt MACs.
 *
 * Payload.  A packet may carry its L4 payload (the bytes after the UDP
 * header, or for ICMPv6 after the checksum; pipeline_run_params.payload),
 * owned by each copy of the packet
 * in flight.  put_dhcp_opts / put_dhcpv6_opts on a packet with a payload
 * do what ovn-controller does: a valid request is replaced by the actual
 * reply (DHCPOFFER, DHCPACK, ADVERTISE...; pipeline-dhcp.c says which)
 * and the result bit is 1; anything else leaves the packet alone with
 * result 0.  dns_lookup on a packet with a payload likewise answers a
 * query for a name of the datapath's DNS records
 * (pipeline_input_add_dns(); pipeline-dns.c says how) with result 1, and
 * leaves anything else alone with result 0.  put_nd_ra_opts turns an
 * ICMPv6 Router Solicitation (with or without a payload: none is an RS
 * without options) into the Router Advertisement (icmp6.type 134, its
 * body as payload; pipeline-ra.c) with result 1, and leaves any other
 * packet alone with result 0.  The reply then rides
 * through the later tables, which swap the headers, and leaves with the output (pipeline_output.payload);
 * pipeline_output_frame() makes the Ethernet frame to send.  Without a
 * payload the engine behaves as ovn-trace: it assumes a DHCPDISCOVER or
 * DHCPREQUEST and sets the result bit to 1, builds no bytes, and hands
 * the actions that needed the payload (put_dhcp_opts, dns_lookup...) to
 * the caller (pipeline_output.payload_actions); dns_lookup without a
 * payload answers nothing (result 0), as ovn-trace.  Packet-generating
 * actions (arp, icmp4...) drop the payload.
 *
 * The result lists the packets that left on ports (with their final
 * fields, payload and the generating actions they went through), the
 * drops (the stage and flow where each copy of the packet ended), and the
 * mask of the fields that influenced the result, for the datapath's flow
 * cache: the bits that decided each lookup (each key probed; every atom
 * of a conjunction that matched, only the first false atom of one that
 * did not; only the field of an equality that every entry of a subtable
 * requires and the packet fails, such as eth.type for IPv6 keys and an
 * IPv4 packet), and the whole of every field an action read or wrote
 * (written fields too, as OVS does, so that a cache setting only the
 * fields that changed stays right).  A packet generated on the way (arp,
 * icmp4...) is the slow path's to build: the mask decides that it is
 * generated and where it goes, not its contents.  Conntrack state is the
 * caller's to key on, and a result whose 'payload_read' is set depends on
 * the payload too.  pipeline_check_mask() tests a mask;
 * tests/interop/test_trace_mask.py runs it on the whole catalogue.  With
 * 'trace' set, the result also holds a tree of every table, flow and
 * action visited, which pipeline_trace_format() prints like ovn-trace.
 *
 * Ownership and threads.  A compiled pipeline is immutable and may be
 * shared by threads that each call pipeline_run() with their own result.
 * It refers to 'symtab', which must outlive it.  The result owns all it
 * holds. */
#ifndef WEFT_PIPELINE_PIPELINE_H
#define WEFT_PIPELINE_PIPELINE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "expr/actions.h"
#include "expr/expr.h"
#include "expr/symtab.h"

struct ds;

/* --- Input ---------------------------------------------------------- */

struct pipeline_input;

struct pipeline_input *pipeline_input_create(void);
void pipeline_input_destroy(struct pipeline_input *);

/* A logical datapath: its tunnel key, a name to print (the NB name, or
 * anything) and whether it is a router.  Keys are unique. */
void pipeline_input_add_datapath(struct pipeline_input *, uint32_t key,
                                 const char *name, bool is_router);

/* A logical port.  Strings are copied; NULL is as "". */
struct pipeline_port_desc {
    const char *name;           /* Globally unique. */
    uint32_t dp_key;            /* Its datapath. */
    uint32_t key;               /* Tunnel key in the datapath. */
    const char *type;           /* "", "patch", "l3gateway", "localnet",
                                 * "chassisredirect", "router"... */
    const char *peer;           /* patch/l3gateway: the peer port. */
    const char *distributed_port;   /* chassisredirect: the LRP. */
    const char *const *port_security;   /* "MAC [IP...]" entries. */
    size_t n_port_security;
};
void pipeline_input_add_port(struct pipeline_input *,
                             const struct pipeline_port_desc *);

/* A logical flow, in one or more datapaths (a datapath group). */
struct pipeline_flow_desc {
    const uint32_t *dp_keys;
    size_t n_dp_keys;
    enum actions_pipeline pipeline;
    unsigned int table;
    unsigned int priority;
    const char *match;
    const char *actions;
    const char *uuid;           /* For traces; may be NULL. */
    const char *stage_name;     /* external_ids:stage-name, or NULL. */
    const char *source;         /* external_ids:source, or NULL. */
    const char *stage_hint;     /* external_ids:stage-hint, or NULL. */
};
void pipeline_input_add_flow(struct pipeline_input *,
                             const struct pipeline_flow_desc *);

/* A multicast group of a datapath: its name ("_MC_flood"), key and member
 * ports (names). */
void pipeline_input_add_mcgroup(struct pipeline_input *, uint32_t dp_key,
                                const char *name, uint32_t key,
                                const char *const *ports, size_t n_ports);

/* Address sets ("$name") and port groups ("@name"): the values as their
 * database rows hold them. */
void pipeline_input_add_address_set(struct pipeline_input *,
                                    const char *name,
                                    const char *const *addresses, size_t n);
void pipeline_input_add_port_group(struct pipeline_input *, const char *name,
                                   const char *const *ports, size_t n);

/* A neighbour: 'ip' on 'logical_port' is at 'mac' (MAC_Binding). */
void pipeline_input_add_mac_binding(struct pipeline_input *,
                                    const char *logical_port,
                                    const char *ip, const char *mac);

/* A learnt MAC: 'mac' was seen on port 'port_key' of datapath 'dp_key'
 * (FDB), for get_fdb() and lookup_fdb().  Entries whose MAC does not
 * parse or whose port does not exist are ignored. */
void pipeline_input_add_fdb(struct pipeline_input *, uint32_t dp_key,
                            const char *mac, uint32_t port_key);

/* A DNS row (SB DNS): in each of the 'n_dp_keys' datapaths, the name
 * 'names[i]' resolves to 'values[i]', a space-separated list of IPv4 and
 * IPv6 addresses, or, for a PTR name ("11.0.0.10.in-addr.arpa"), a
 * domain name.  A query's name is lower-cased before the lookup, as
 * ovn-controller does (a name with capitals is never found); when two
 * rows give the same name in a datapath, the first added wins. */
void pipeline_input_add_dns(struct pipeline_input *, const uint32_t *dp_keys,
                            size_t n_dp_keys, const char *const *names,
                            const char *const *values, size_t n_records);

/* --- Compiled pipeline --------------------------------------------- */

struct pipeline;

/* Compiles 'input' (not consumed).  'is_chassis_resident' decides
 * is_chassis_resident() conditions (NULL: always true, as ovn-trace).
 * Never fails: flows that do not parse are counted and skipped; their
 * messages are available through pipeline_errors(). */
struct pipeline *pipeline_compile(
    const struct pipeline_input *, const struct symtab *,
    bool (*is_chassis_resident)(const void *aux, const char *port),
    const void *aux);
void pipeline_destroy(struct pipeline *);

size_t pipeline_n_flows(const struct pipeline *);
size_t pipeline_n_errors(const struct pipeline *);
const char *pipeline_error(const struct pipeline *, size_t i);

/* Looks a datapath up by name (or by key written in decimal).  Returns
 * true and its key, or false. */
bool pipeline_find_datapath(const struct pipeline *, const char *name,
                            uint32_t *key);
/* The datapath of port 'name', or false. */
bool pipeline_port_datapath(const struct pipeline *, const char *name,
                            uint32_t *dp_key);
const char *pipeline_datapath_name(const struct pipeline *, uint32_t key);
/* The port's tunnel key, or 0. */
uint32_t pipeline_port_key(const struct pipeline *, const char *name);

/* Address sets and port groups as 'struct expr_env' wants them (for
 * parsing microflows against the same sets). */
void pipeline_expr_env(const struct pipeline *, struct expr_env *);

/* --- Conntrack model ----------------------------------------------- */

/* What connection tracking says about a packet.  weft-trace's model
 * answers each ct_next (and each ct_dnat/ct_snat/ct_lb that looks the
 * connection up) with the next --ct flags; the datapath will answer from
 * its real connection table. */
struct pipeline_ct_model {
    /* Returns the ct_state bits (SYMTAB_F_CT_STATE numbering) for the
     * 'n'th connection tracker lookup of the run, and sets '*is_default'
     * if they are a default rather than given. */
    uint32_t (*lookup)(void *aux, size_t n, bool *is_default);
    void *aux;
};

/* ct_state bits, as OVS numbers them. */
#define PIPELINE_CS_NEW  (1u << 0)
#define PIPELINE_CS_EST  (1u << 1)
#define PIPELINE_CS_REL  (1u << 2)
#define PIPELINE_CS_RPL  (1u << 3)
#define PIPELINE_CS_INV  (1u << 4)
#define PIPELINE_CS_TRK  (1u << 5)
#define PIPELINE_CS_SNAT (1u << 6)
#define PIPELINE_CS_DNAT (1u << 7)

/* Parses ovn-trace's --ct flags ("trk,new", "est rpl").  Returns NULL and
 * the bits (trk always included), or an owned error. */
char *pipeline_ct_parse_flags(const char *, uint32_t *bits);
/* Appends 'bits' as ovn-trace prints them: "new|trk". */
void pipeline_ct_format_flags(uint32_t bits, struct ds *);

/* A ready-made model: a fixed list of flags, then 'dflt'. */
struct pipeline_ct_list {
    const uint32_t *states;
    size_t n_states;
    uint32_t dflt;
};
uint32_t pipeline_ct_list_lookup(void *ct_list, size_t n, bool *is_default);

/* --- Running a packet ---------------------------------------------- */

struct pipeline_run_params {
    struct pipeline_ct_model ct;    /* NULL 'lookup': always trk|new. */
    bool trace;                     /* Record the trace tree. */

    /* The backend a ct_lb/ct_lb_mark picks, as --lb-dst: an address
     * (family 4 or 6, 0 for none) and port (0: any). */
    int lb_dst_family;
    struct u128 lb_dst_ip;
    uint16_t lb_dst_port;

    /* The member select() picks when it is one of the choices, as
     * --select-id (-1: the first). */
    int select_id;

    /* The packet's length in bytes, Ethernet header included, as
     * check_pkt_larger() compares it; 0 if unknown (check_pkt_larger()
     * is then false, as in ovn-trace). */
    size_t packet_len;

    /* The packet's L4 payload (copied), or NULL for none. */
    const uint8_t *payload;
    size_t payload_len;
};

/* One packet that left the pipelines on a port. */
struct pipeline_output {
    char *port;                     /* Logical port name. */
    uint32_t dp_key;                /* Its datapath. */
    struct symtab_flow flow;        /* Final fields. */
    char **via;                     /* Generating actions, outermost
                                     * first ("arp", "icmp4"...). */
    size_t n_via;

    /* The actions on the way that need the packet's payload, which this
     * engine does not model, in the order executed: put_dhcp_opts,
     * put_dhcpv6_opts, put_nd_ra_opts, dns_lookup.  The caller (the
     * datapath's native responder) builds the reply from them, e.g. the
     * DHCP offer with the options of put_dhcp_opts.  They point into the
     * compiled pipeline and live as long as it. */
    const struct action **payload_actions;
    size_t n_payload_actions;

    /* The L4 payload the packet left with (a DHCP reply built on the
     * way, or the input's payload), or NULL if it has none. */
    uint8_t *payload;
    size_t payload_len;
};

/* One copy of the packet that went nowhere, and why. */
struct pipeline_drop {
    uint32_t dp_key;
    enum actions_pipeline pipeline;
    unsigned int table;
    char *stage;                    /* Stage name, or NULL. */
    char *flow_uuid;                /* The flow that dropped it, or NULL
                                     * for "no flow matched". */
    char *match;                    /* That flow's match, or NULL. */
    char *stage_hint;               /* Its NB row, or NULL. */
    char *reason;                   /* Human-readable. */
    struct symtab_flow packet;      /* The packet as it was dropped. */
};

enum pipeline_trace_type {
    PIPELINE_TRACE_SECTION,         /* "ingress(dp=..., inport=...)". */
    PIPELINE_TRACE_TABLE,           /* A table and the flow matched. */
    PIPELINE_TRACE_ACTION,          /* An action executed (detailed). */
    PIPELINE_TRACE_MODIFY,          /* A change to the packet (minimal). */
    PIPELINE_TRACE_BLOCK,           /* A fork: "ct_next(...)", "arp". */
    PIPELINE_TRACE_OUTPUT,          /* output("port"); (minimal) */
    PIPELINE_TRACE_COMMENT,         /* Explanations. */
    PIPELINE_TRACE_DROP,            /* Where a copy ended. */
};

struct pipeline_trace_node {
    enum pipeline_trace_type type;
    char *text;
    bool detailed_only;             /* Not in the summary view. */
    bool summary_semicolon;         /* The summary view adds ';'. */
    bool always_indent;             /* Detailed: indented even when last
                                     * (multicast members). */
    struct pipeline_trace_node **children;
    size_t n_children;
    size_t allocated;
};

struct pipeline_result {
    struct pipeline_output *outputs;
    size_t n_outputs;
    size_t allocated_outputs;

    struct pipeline_drop *drops;
    size_t n_drops;
    size_t allocated_drops;

    /* Fields that influenced the result (all-ones bits = consulted). */
    struct symtab_flow mask;

    /* The trace (NULL unless params->trace); its children are the
     * sections. */
    struct pipeline_trace_node *trace;

    /* Set if execution was cut short (loop, too deep). */
    bool truncated;

    /* Set if an action read the payload (put_dhcp_opts): the result
     * depends on more than the fields, so it must not be cached. */
    bool payload_read;
};

/* Runs 'packet' (its inport names the ingress port) through the ingress
 * pipeline of datapath 'dp_key'.  Fills 'result' (the caller destroys
 * it).  Returns 0, or ENOENT if there is no such datapath. */
int pipeline_run(const struct pipeline *, const struct pipeline_run_params *,
                 uint32_t dp_key, const struct symtab_flow *packet,
                 struct pipeline_result *result);
void pipeline_result_destroy(struct pipeline_result *);

/* Appends to 'frame' the Ethernet frame of 'output': Ethernet, IPv4 or
 * IPv6 and UDP (or, over IPv6, ICMPv6) headers from its final fields
 * (lengths and checksums computed), then its payload.  Returns 0, or
 * EINVAL if the output has no payload or is not UDP over IPv4 or IPv6 or
 * ICMPv6 (the only frames the engine makes bytes for). */
int pipeline_output_frame(const struct pipeline_output *, struct ds *frame);
/* --- Checking a mask ----------------------------------------------- */

/* The number of header bits (the fields of a datapath flow key) that
 * 'mask' covers. */
unsigned int pipeline_mask_n_bits(const struct symtab_flow *mask);
/* Appends those fields (symtab_field_name()) with their number of bits:
 * "ETH_SRC/48 IP4_DST/32 ...". */
void pipeline_mask_format(const struct symtab_flow *mask, struct ds *);

/* Checks that the mask of 'res', the result of running 'packet', is safe
 * for a flow cache: flips the header bits outside it (each alone, all at
 * once, random subsets), runs each such packet and compares its result
 * with 'res' as the cache would apply it (same outputs, drops; changed
 * fields set, the others passed through).  Returns the number of runs
 * that differed, each described in 'report'; '*n_runs' is how many ran.
 * A test aid. */
size_t pipeline_check_mask(const struct pipeline *,
                           const struct pipeline_run_params *,
                           uint32_t dp_key, const struct symtab_flow *packet,
                           const struct pipeline_result *res,
                           struct ds *report, size_t *n_runs);

/* --- Traces -------------------------------------------------------- */

enum pipeline_trace_format {
    PIPELINE_TRACE_DETAILED,
    PIPELINE_TRACE_SUMMARY,
    PIPELINE_TRACE_MINIMAL,
};

/* Appends the trace of 'result' to 's' laid out as ovn-trace lays out
 * 'format'. */
void pipeline_trace_format(const struct pipeline_result *,
                           enum pipeline_trace_format, struct ds *s);

/* Appends ovn-trace's first line: the packet in OpenFlow syntax, without
 * the leading "# ". */
void pipeline_format_packet(const struct pipeline *, const struct symtab *,
                            const struct symtab_flow *, struct ds *);

#endif
