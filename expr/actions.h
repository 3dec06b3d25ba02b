/* actions: the action language of OVN 23.03's logical flows.
 *
 * actions_parse() turns the "actions" column of a southbound Logical_Flow
 * into a 'struct action_list': an array of typed actions whose operands are
 * already resolved (fields to symbols and bit ranges of the symbol table,
 * constants to 128-bit values, option names to their codes and types, IP
 * addresses to integers) and whose block actions (clone, arp, icmp4,
 * ct_commit, ...) hold nested lists.  The pipeline engine executes that
 * structure directly, one action after the other; nothing needs to be
 * parsed again at run time.  actions_format() prints a list in OVN's
 * canonical form, which is what ovn-trace echoes for each action it
 * executes: "reg0=1;" prints as "reg0 = 1;" (constants keep the notation
 * they were written in), "next(table=3);" in table 2 as "next;",
 * "log(verdict=allow)" as "log(verdict=allow, severity=info);".
 * Formatting and parsing round-trip: actions_parse(actions_format(x))
 * equals x (actions_equal()).
 *
 *     struct actions_params pp = { .symtab = symtab,
 *                                  .pipeline = ACTIONS_INGRESS,
 *                                  .cur_table = 3,
 *                                  .n_tables = ACTIONS_N_TABLES };
 *     struct action_list acts;
 *     struct ds prereqs = DS_EMPTY_INITIALIZER;
 *     char *error = actions_parse("reg0 = ip4.src; next;", &pp, &acts,
 *                                 &prereqs);
 *     if (error) { ...report error...; free(error); }
 *     else { ...run 'acts'...; action_list_destroy(&acts); }
 *     ds_destroy(&prereqs);
 *
 * Errors are OVN's, word for word, as the real ovn-trace reports them for
 * a flow that fails to parse ("Syntax error at `foo' expecting action.",
 * "Field eth.type is not modifiable.", "Can't assign 8-bit value to 32-bit
 * destination.", "\"next\" action cannot advance beyond table 28.").  The
 * first error wins; on error nothing is returned in 'acts'.  Blocks nest
 * at most 31 deep, as in OVN, which also bounds the parser's recursion.
 *
 * Checks (learnt from the real ovn-trace 23.03, see
 * tests/interop/test_expr_actions.py):
 *   - Assignments need a writable destination (SYMTAB_RW or SYMTAB_WO;
 *     ct_mark and ct_label only inside "ct_commit { }", where nothing else
 *     is writable); a constant's significant bits must fit the width of the
 *     destination *symbol* (not of its slice: "reg0[0..3] = 0x1f;" is
 *     accepted, as OVN does, and executes as a 4-bit write); field-to-field
 *     copies and exchanges need equal widths and the same type.
 *   - Result destinations ("R = f(...)") must be 1 bit wide for the
 *     boolean functions, at least 16 bits for select().
 *   - OVN 23.03 does *not* reject writes to outport in the egress
 *     pipeline, nor next() to an earlier table: neither does weft.
 *   - Its quirks are kept too (docs/actions-facts.md): values that wrap
 *     (check_pkt_larger(65536) is check_pkt_larger(0)), arguments that
 *     read as 0 unless decimal (set_meter), "drop;" only as the whole
 *     list.  Where OVN prints something it cannot read back, weft prints
 *     differently (expr/actions-format.c lists the four cases).
 *
 * Prerequisites: using a field implies its prerequisites, and some
 * actions imply their own (ip.ttl-- needs "ip", icmp4 { } needs "ip4",
 * dns_lookup() needs "udp"...).  A flow only matches packets that satisfy
 * them, so actions_parse() appends them to 'prereqs' (if nonnull) as a
 * conjunction in the match language, e.g. "ip4 && udp"; the caller ANDs
 * that into the flow's match with the match parser (expr/expr.h).  This is
 * the hook between the two parsers: this module never parses a match.
 * As in OVN, the prerequisites of actions nested in a block are dropped
 * (the block runs on another packet), except for clone and reject, whose
 * contents' prerequisites count.
 *
 * Not supported: address sets ($name) and port groups (@name) as
 * constants (OVN looks them up in the southbound database; ovn-northd
 * never puts them in actions), for which weft gives the error OVN gives
 * for an unknown set; template variables (^name: the caller expands
 * chassis templates before parsing, as ovn-controller does); actions newer
 * than 23.03 (mac_cache_use, ct_next(dnat), ...), which are syntax errors
 * there too.
 *
 * Ownership: a parsed list owns everything it points to except symbols
 * (owned by the symbol table, which must outlive it) and option
 * definitions (static).  action_list_destroy() frees it.  No global state;
 * parsing and formatting are reentrant. */
#ifndef WEFT_EXPR_ACTIONS_H
#define WEFT_EXPR_ACTIONS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "expr/lex.h"
#include "expr/symtab.h"
#include "expr/u128.h"

struct ds;

/* OVN 23.03's ovn-trace accepts next(N) for N below this (its
 * LOG_PIPELINE_LEN), whatever the pipeline. */
#define ACTIONS_N_TABLES 29

enum actions_pipeline {
    ACTIONS_INGRESS,
    ACTIONS_EGRESS,
};

/* What the parser needs to know about the flow the actions belong to. */
struct actions_params {
    const struct symtab *symtab;
    enum actions_pipeline pipeline;     /* The flow's pipeline. */
    unsigned int cur_table;             /* The flow's table. */
    unsigned int n_tables;              /* next(N) requires N < n_tables. */
};

/* A reference to bits 'ofs'...'ofs + n_bits - 1' of 'symbol' (a field or
 * subfield, never a predicate), e.g. reg0[3..5].  For the string fields
 * inport and outport, 'ofs' and 'n_bits' are 0. */
struct action_field {
    const struct symtab_symbol *symbol;
    unsigned int ofs;
    unsigned int n_bits;
};

/* Reads or writes the bits of 'field' in 'flow' (integer fields only).
 * action_field_write() writes the bits of 'value' set in 'mask', both in
 * the field reference's own numbering (bit 0 = bit 'ofs' of the symbol),
 * and ignores bits beyond 'n_bits'. */
struct u128 action_field_read(const struct action_field *,
                              const struct symtab_flow *);
void action_field_write(const struct action_field *, struct symtab_flow *,
                        struct u128 value, struct u128 mask);

/* A constant as written: a 'struct lex_token' of type LEX_T_INTEGER,
 * LEX_T_MASKED_INTEGER (value already masked) or LEX_T_STRING, with only
 * 'type', 's', 'value', 'mask', 'format', 'mask_format' and 'n_bits'
 * meaningful.  Constant sets ("{8.8.8.8, 8.8.4.4}") are arrays of them;
 * 'in_curlies' remembers the braces for printing. */
struct action_constant_set {
    struct lex_token *values;
    size_t n_values;
    bool in_curlies;
};

/* Options of put_dhcp_opts, put_dhcpv6_opts, put_nd_ra_opts and
 * trigger_event: a name, its protocol code and the type of its value. */
enum actions_opt_type {
    ACTIONS_OPT_BOOL,           /* DHCPv4 "bool": 0 or 1. */
    ACTIONS_OPT_UINT8,
    ACTIONS_OPT_UINT16,
    ACTIONS_OPT_UINT32,
    ACTIONS_OPT_IPV4,           /* One or more IPv4 addresses. */
    ACTIONS_OPT_STATIC_ROUTES,  /* {prefix, next hop, ...}. */
    ACTIONS_OPT_STR,
    ACTIONS_OPT_HOST_ID,        /* A string or an IPv4 address. */
    ACTIONS_OPT_DOMAINS,        /* A comma-separated domain list string. */
    ACTIONS_OPT_IPV6,
    ACTIONS_OPT_MAC,
};

struct actions_option {
    const char *name;
    unsigned int code;          /* DHCP/DHCPv6/ND option code; for ND RA
                                 * "addr_mode" and "router_preference",
                                 * which are flags, 256 and 257. */
    enum actions_opt_type type;
};

/* The option tables, as OVN 23.03's ovn-northd fills SB DHCP_Options and
 * DHCPv6_Options, and as ovn-controller defines ND RA and event options.
 * Each is terminated by a null 'name'. */
extern const struct actions_option actions_dhcpv4_options[];
extern const struct actions_option actions_dhcpv6_options[];
extern const struct actions_option actions_nd_ra_options[];
extern const struct actions_option actions_event_elb_options[];

struct action_opt {
    const struct actions_option *option;
    struct action_constant_set value;
};

/* Every action OVN 23.03 parses.  The comment gives the syntax and the
 * member of 'struct action' that holds its operands. */
enum action_type {
    /* Control flow. */
    ACTION_OUTPUT,              /* output; */
    ACTION_NEXT,                /* next[(...)]; .next */

    /* Fields. */
    ACTION_LOAD,                /* F = CONST; .load */
    ACTION_MOVE,                /* F = F; .move */
    ACTION_EXCHANGE,            /* F <-> F; .move */
    ACTION_PUSH,                /* push(F); .field */
    ACTION_POP,                 /* pop(F); .field */
    ACTION_DEC_TTL,             /* ip.ttl--; */

    /* Connection tracking. */
    ACTION_CT_NEXT,             /* ct_next; */
    ACTION_CT_COMMIT,           /* ct_commit [{ ... }]; .nested */
    ACTION_CT_COMMIT_V1,        /* ct_commit(ct_mark=M, ct_label=L); .ct1 */
    ACTION_CT_DNAT,             /* ct_dnat[(IP[,PORTS])]; .nat */
    ACTION_CT_SNAT,             /* ct_snat[(IP[,PORTS])]; .nat */
    ACTION_CT_DNAT_IN_CZONE,    /* ct_dnat_in_czone[(...)]; .nat */
    ACTION_CT_SNAT_IN_CZONE,    /* ct_snat_in_czone[(...)]; .nat */
    ACTION_CT_COMMIT_NAT,       /* ct_commit_nat; */
    ACTION_CT_LB,               /* ct_lb[(backends=...; ...)]; .lb */
    ACTION_CT_LB_MARK,          /* ct_lb_mark[(...)]; .lb */
    ACTION_CT_CLEAR,            /* ct_clear; */
    ACTION_CT_SNAT_TO_VIP,      /* ct_snat_to_vip; */

    /* Blocks that run on a copy of the packet or on a packet made from
     * it; .nested. */
    ACTION_CLONE,               /* clone { ... }; */
    ACTION_ARP,                 /* arp { ... }; */
    ACTION_ND_NS,               /* nd_ns { ... }; */
    ACTION_ND_NA,               /* nd_na { ... }; */
    ACTION_ND_NA_ROUTER,        /* nd_na_router { ... }; */
    ACTION_ICMP4,               /* icmp4 { ... }; */
    ACTION_ICMP4_ERROR,         /* icmp4_error { ... }; */
    ACTION_ICMP6,               /* icmp6 { ... }; */
    ACTION_ICMP6_ERROR,         /* icmp6_error { ... }; */
    ACTION_TCP_RESET,           /* tcp_reset { ... }; */
    ACTION_SCTP_ABORT,          /* sctp_abort { ... }; */
    ACTION_REJECT,              /* reject { ... }; */

    /* Neighbours and FDB; .neigh (args in order, 'dst' for a result). */
    ACTION_GET_ARP,             /* get_arp(P, A); */
    ACTION_PUT_ARP,             /* put_arp(P, A, E); */
    ACTION_LOOKUP_ARP,          /* R = lookup_arp(P, A, E); */
    ACTION_LOOKUP_ARP_IP,       /* R = lookup_arp_ip(P, A); */
    ACTION_GET_ND,              /* get_nd(P, A); */
    ACTION_PUT_ND,              /* put_nd(P, A, E); */
    ACTION_LOOKUP_ND,           /* R = lookup_nd(P, A, E); */
    ACTION_LOOKUP_ND_IP,        /* R = lookup_nd_ip(P, A); */
    ACTION_GET_FDB,             /* P = get_fdb(E); */
    ACTION_PUT_FDB,             /* put_fdb(P, E); */
    ACTION_LOOKUP_FDB,          /* R = lookup_fdb(P, E); */

    /* Controller services. */
    ACTION_PUT_DHCPV4_OPTS,     /* R = put_dhcp_opts(o = v, ...); .opts */
    ACTION_PUT_DHCPV6_OPTS,     /* R = put_dhcpv6_opts(...); .opts */
    ACTION_PUT_ND_RA_OPTS,      /* R = put_nd_ra_opts(...); .opts */
    ACTION_TRIGGER_EVENT,       /* trigger_event(event = "...", ...); .opts */
    ACTION_DNS_LOOKUP,          /* R = dns_lookup(); .field */
    ACTION_HANDLE_DHCPV6_REPLY, /* handle_dhcpv6_reply; */
    ACTION_HANDLE_BFD_MSG,      /* handle_bfd_msg(); */
    ACTION_HANDLE_SVC_CHECK,    /* handle_svc_check(P); .field */
    ACTION_BIND_VPORT,          /* bind_vport("V", P); .vport */
    ACTION_IGMP,                /* igmp; */
    ACTION_LOG,                 /* log(...); .log */

    /* Checks that store a bit; .field is R. */
    ACTION_CHECK_IN_PORT_SEC,   /* R = check_in_port_sec(); */
    ACTION_CHECK_OUT_PORT_SEC,  /* R = check_out_port_sec(); */
    ACTION_CHK_LB_HAIRPIN,      /* R = chk_lb_hairpin(); */
    ACTION_CHK_LB_HAIRPIN_REPLY,/* R = chk_lb_hairpin_reply(); */
    ACTION_CHK_ECMP_NH_MAC,     /* R = chk_ecmp_nh_mac(); */
    ACTION_CHK_ECMP_NH,         /* R = chk_ecmp_nh(); */
    ACTION_CHK_LB_AFF,          /* R = chk_lb_aff(); */
    ACTION_CHECK_PKT_LARGER,    /* R = check_pkt_larger(L); .pkt_larger */

    /* Miscellaneous. */
    ACTION_SET_QUEUE,           /* set_queue(N); .queue_id */
    ACTION_SET_METER,           /* set_meter(RATE[, BURST]); .meter */
    ACTION_SELECT,              /* R = select(ID[=W], ...); .select */
    ACTION_FWD_GROUP,           /* fwd_group(liveness=B, childports=...);
                                 * .fwd_group */
    ACTION_COMMIT_ECMP_NH,      /* commit_ecmp_nh(ipv6 = B, proto = P);
                                 * .ecmp_nh */
    ACTION_COMMIT_LB_AFF,       /* commit_lb_aff(vip = "...", backend =
                                 * "...", proto = P, timeout = T);
                                 * .lb_aff */
    ACTION_SAMPLE,              /* sample(probability=N, ...); .sample */

    ACTION_N_TYPES
};

/* Returns the action's name as written ("ct_lb_mark", "ip.ttl--", "="). */
const char *action_type_name(enum action_type);

struct action_list {
    struct action *actions;
    size_t n_actions;
};

/* An IP address (IPv4 in the low 32 bits, 'family' 4; IPv6, family 6)
 * with an optional transport port (0 if none). */
struct action_ip_port {
    int family;
    struct u128 ip;
    uint16_t port;
};

enum action_ct_flag {
    ACTION_CT_FLAG_NONE,
    ACTION_CT_FLAG_SKIP_SNAT,
    ACTION_CT_FLAG_FORCE_SNAT,
};

/* Severities and verdicts of log(), in OVN's order. */
enum action_log_severity {
    ACTION_LOG_ALERT, ACTION_LOG_WARNING, ACTION_LOG_NOTICE,
    ACTION_LOG_INFO, ACTION_LOG_DEBUG,
};
enum action_log_verdict {
    ACTION_LOG_ALLOW, ACTION_LOG_DROP, ACTION_LOG_REJECT,
};

struct action {
    enum action_type type;
    union {
        /* ACTION_NEXT: go to 'table' of 'pipeline'.  'src_pipeline' and
         * 'src_table' are the flow's own, kept to print the short forms
         * ("next;" when going to the following table). */
        struct {
            enum actions_pipeline pipeline;
            unsigned int table;
            enum actions_pipeline src_pipeline;
            unsigned int src_table;
        } next;

        /* ACTION_LOAD: set the bits of 'dst' that 'value''s mask selects
         * (all of them for an unmasked constant) to 'value'; for a string
         * field, set the port name 'value.s'. */
        struct {
            struct action_field dst;
            struct lex_token value;
        } load;

        /* ACTION_MOVE (dst = src), ACTION_EXCHANGE (dst <-> src). */
        struct {
            struct action_field dst;
            struct action_field src;
        } move;

        /* ACTION_PUSH, ACTION_POP, ACTION_HANDLE_SVC_CHECK (the port);
         * the result of ACTION_DNS_LOOKUP and the checks. */
        struct action_field field;

        /* Blocks and ACTION_CT_COMMIT (empty for a plain "ct_commit;"). */
        struct action_list nested;

        /* ACTION_CT_COMMIT_V1: the bits of ct_mark and ct_label selected
         * by the masks (a zero mask: not set). */
        struct {
            uint32_t ct_mark;
            uint32_t ct_mark_mask;
            struct u128 ct_label;
            struct u128 ct_label_mask;
        } ct1;

        /* ACTION_CT_[DS]NAT[_IN_CZONE]: without an address ('ip.family'
         * 0), undo the NAT of the reply direction; with one, NAT to it and
         * commit.  'port_lo'...'port_hi' is the port range (0 if none; a
         * single port has port_hi == port_lo and 'port_range' false). */
        struct {
            struct action_ip_port ip;
            bool has_ports;
            bool port_range;
            uint16_t port_lo;
            uint16_t port_hi;
        } nat;

        /* ACTION_CT_LB, ACTION_CT_LB_MARK: no backends means "NAT as the
         * connection was committed". */
        struct {
            struct action_ip_port *backends;
            size_t n_backends;
            char *hash_fields;          /* Or NULL: dp_hash. */
            enum action_ct_flag flag;
        } lb;

        /* Neighbour and FDB actions: 'args' in the order written;
         * 'dst' is the result (R or P) or has a null symbol. */
        struct {
            struct action_field dst;
            struct action_field args[3];
            size_t n_args;
        } neigh;

        /* Option lists: 'dst' is R (null symbol for trigger_event). */
        struct {
            struct action_field dst;
            struct action_opt *opts;
            size_t n_opts;
        } opts;

        struct {
            char *vport;                /* The virtual port's name. */
            struct action_field port;   /* Its parent. */
        } vport;

        struct {
            char *name;                 /* Or NULL. */
            char *meter;                /* Or NULL. */
            enum action_log_severity severity;
            enum action_log_verdict verdict;
        } log;

        struct {
            struct action_field dst;
            uint16_t len;               /* As OVN, modulo 65536. */
        } pkt_larger;

        uint16_t queue_id;              /* 0...61440. */

        struct {
            uint64_t rate;              /* kbps, >0. */
            uint64_t burst;             /* 0: none. */
        } meter;

        struct {
            struct action_field dst;
            struct action_select_member {
                uint16_t id;
                uint16_t weight;        /* 1...65535, default 100. */
            } *members;
            size_t n_members;           /* At least 2. */
        } select;

        struct {
            bool liveness;
            char **child_ports;
            size_t n_child_ports;
        } fwd_group;

        struct {
            bool ipv6;
            uint8_t proto;              /* IPPROTO_TCP, _UDP or _SCTP. */
        } ecmp_nh;

        struct {
            struct action_ip_port vip;
            struct action_ip_port backend;
            uint8_t proto;
            uint16_t timeout;           /* Seconds. */
        } lb_aff;

        struct {
            uint16_t probability;       /* Out of 65535, >0. */
            uint32_t collector_set;
            uint8_t obs_domain;
            uint32_t obs_point;
        } sample;
    };
};

/* Parses 'input'.  On success returns NULL and fills 'acts' (which the
 * caller must destroy) and appends the prerequisites to 'prereqs' if it is
 * nonnull; on error returns the message (owned by the caller) and leaves
 * 'acts' empty.  An empty input, or one of just "drop;", is the empty list
 * (drop the packet). */
char *actions_parse(const char *input, const struct actions_params *,
                    struct action_list *acts, struct ds *prereqs);

/* Like actions_parse() but reads from 'lexer' (positioned on the first
 * token) up to the end of the input. */
char *actions_parse_lexer(struct lexer *, const struct actions_params *,
                          struct action_list *acts, struct ds *prereqs);

/* Appends 'acts' to 's' in OVN's canonical form: "drop;" for an empty
 * list, else each action followed by "; " separated by spaces. */
void actions_format(const struct action_list *acts, struct ds *s);

/* Appends the one action 'a' with its trailing ';'. */
void action_format(const struct action *a, struct ds *s);

/* Structural equality (same actions, same operands). */
bool actions_equal(const struct action_list *, const struct action_list *);

void action_list_init(struct action_list *);
void action_list_destroy(struct action_list *);

#endif
