/* pipeline-execute: the state of one run, shared by pipeline-execute.c
 * (control flow: tables, next, output, forks) and pipeline-actions.c (what
 * each action does to a packet).
 *
 * A 'struct pl_pkt' is one copy of the packet in flight: its fields, the
 * datapath and pipeline it is in, and the packet-generating actions it
 * came out of.  Forks (clone, ct_next, arp { }, ...) copy it; "next"
 * continues with the same copy, so changes made in later tables are
 * seen by the actions that follow "next", as with OpenFlow's resubmit. */
#ifndef WEFT_PIPELINE_EXECUTE_H
#define WEFT_PIPELINE_EXECUTE_H 1

#include "pipeline/pipeline-private.h"

/* Bounds that stop a looping pipeline. */
#define PL_MAX_DEPTH 4096           /* Nested tables/pipelines. */
#define PL_MAX_STEPS 100000         /* Table lookups in one run. */
#define PL_MAX_VIA 8
#define PL_STACK 16

struct pl_pkt {
    struct symtab_flow flow;
    struct pl_datapath *dp;
    enum actions_pipeline pipeline;
    const char *via[PL_MAX_VIA];
    size_t n_via;
    struct u128 stack[PL_STACK];    /* push/pop. */
    size_t n_stack;
    const struct action *payload_actions[PL_MAX_VIA];  /* put_dhcp_opts */
    size_t n_payload_actions;
    uint8_t *payload;               /* L4 payload bytes (owned), or NULL. */
    size_t payload_len;
};

struct pl_ctx {
    const struct pipeline *pl;
    const struct pipeline_run_params *params;
    struct pipeline_result *res;
    size_t n_ct;                    /* ct lookups so far. */
    unsigned int depth;
    size_t steps;

};

/* Whole physical fields of a packet, read and written directly: no
 * symbol lookups on the per-packet path. */
static inline struct u128
pl_get(const struct pl_pkt *pkt, enum symtab_field f)
{
    return pkt->flow.fields[f];
}

static inline void
pl_set(struct pl_pkt *pkt, enum symtab_field f, struct u128 value)
{
    pkt->flow.fields[f] = u128_and(value,
                                   u128_low_mask(symtab_field_width(f)));
}

/* What executing an action list led to. */
enum pl_exec_status {
    PL_CONTINUED,                   /* next, output or a fork happened. */
    PL_FELL_THROUGH,                /* Nothing sent the packet on. */
};

enum pl_exec_status pl_exec_list(struct pl_ctx *, struct pl_pkt *,
                                 const struct action_list *,
                                 const struct pl_flow *,
                                 struct pipeline_trace_node *tnode,
                                 struct pipeline_trace_node *super);
void pl_run_table(struct pl_ctx *, struct pl_pkt *, unsigned int table,
                  struct pipeline_trace_node *super);
void pl_pkt_clone(struct pl_pkt *dst, const struct pl_pkt *src);
void pl_pkt_destroy(struct pl_pkt *);
void pl_record_drop(struct pl_ctx *, const struct pl_pkt *,
                    unsigned int table, const struct pl_flow *,
                    struct pipeline_trace_node *super, const char *reason);

/* pipeline-actions.c: one action that is not control flow.  Returns true
 * if it sent the packet somewhere (a fork). */
bool pl_exec_action(struct pl_ctx *, struct pl_pkt *, const struct action *,
                    const struct pl_flow *, struct pipeline_trace_node *tnode,
                    struct pipeline_trace_node *super);
/* pipeline-portsec.c: does 'pkt' fail the port security of its inport
 * ('ingress') or outport? */
bool pl_port_sec_fails(const struct pl_ctx *, const struct pl_pkt *,
                       bool ingress);
void pl_port_sec_mask(const struct pl_ctx *, const struct pl_pkt *,
                      bool ingress, struct symtab_flow *mask);

/* pipeline-dhcp.c: replaces the payload of 'pkt', a DHCP (DHCPv6)
 * request, by the reply of put_dhcp_opts (put_dhcpv6_opts) 'a' and
 * returns true; or leaves it alone and returns false.  Either way
 * appends what happened to 'note'. */
bool pl_dhcp_reply(struct pl_pkt *, const struct action *a, struct ds *note);
bool pl_dhcp6_reply(struct pl_pkt *, const struct action *a,
                    struct ds *note);

/* pipeline-dns.c: replaces the payload of 'pkt', a DNS query, by the
 * reply of dns_lookup() from the DNS records of its datapath and returns
 * true; or leaves it alone and returns false.  Either way appends what
 * happened to 'note'. */
bool pl_dns_reply(const struct pipeline *, struct pl_pkt *,
                  struct ds *note);

/* pipeline-ra.c: turns 'pkt', an ICMPv6 Router Solicitation (payload:
 * its body after the checksum, or none), into the Router Advertisement of
 * put_nd_ra_opts 'a' (icmp6.type 134, the RA's body as payload) and
 * returns true; or leaves it alone and returns false.  Either way appends
 * what happened to 'note'. */
bool pl_ra_reply(struct pl_pkt *, const struct action *a, struct ds *note);

/* pipeline-frame.c: appends the 16 bytes of 'v', most significant
 * first (an IPv6 address as it goes on the wire). */
void pl_put_u128(struct ds *, struct u128 v);

/* Runs 'nested' on a copy of 'pkt' shown as block 'label', as a fork. */
void pl_fork(struct pl_ctx *, const struct pl_pkt *, struct pl_pkt *copy,
             const struct action_list *nested, const struct pl_flow *,
             struct pipeline_trace_node *super, const char *label);

#endif
