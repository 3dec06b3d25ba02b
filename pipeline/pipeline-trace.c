/* pipeline-trace: the trace tree and its three layouts.
 *
 * The tree nests as execution went, as ovn-trace's does: a section (a
 * pipeline run in a datapath, a multicast fan-out) holds the first table
 * visited; a table node holds the actions of the flow that matched (shown
 * by the detailed view), the changes they made to the packet (shown by
 * the minimal view) and, in order among them, what they led to: the next
 * table, forks (conntrack steps, clone, generated packets: blocks holding
 * what happened to their copy), sections entered (the egress pipeline, a
 * peer datapath, a multicast group).  So each view can show what applies
 * to which copy.
 *
 *   detailed  sections with a dashed underline, every table visited
 *             "N. stage (source): match, priority P, uuid U" and its
 *             actions indented;
 *   summary   sections and blocks as nested "name { ... };" with the
 *             actions executed;
 *   minimal   only changes to the packet, blocks and outputs, as
 *             ovn-trace --minimal (tests/scenariolib.py parse_minimal()
 *             reads both). */
#include "pipeline/pipeline-private.h"

#include <stdarg.h>
#include <inttypes.h>
#include <string.h>

#include "ds.h"
#include "packets.h"
#include "util.h"

struct pipeline_trace_node *
pl_trace_add(struct pipeline_trace_node *super, enum pipeline_trace_type type,
             const char *format, ...)
{
    struct pipeline_trace_node *node = xzalloc(sizeof *node);
    va_list args;
    va_start(args, format);
    node->type = type;
    node->text = xvasprintf(format, args);
    va_end(args);
    if (super->n_children >= super->allocated) {
        super->children = x2nrealloc(super->children, &super->allocated,
                                     sizeof *super->children);
    }
    super->children[super->n_children++] = node;
    return node;
}

void
pl_trace_node_destroy(struct pipeline_trace_node *node)
{
    if (node) {
        for (size_t i = 0; i < node->n_children; i++) {
            pl_trace_node_destroy(node->children[i]);
        }
        free(node->children);
        free(node->text);
        free(node);
    }
}

static void
put_line(struct ds *s, int indent, const char *text)
{
    ds_put_char_multiple(s, ' ', indent);
    ds_put_cstr(s, text);
    ds_put_char(s, '\n');
}

/* Would the minimal view print nothing inside 'node'? */
static bool
minimal_is_empty(const struct pipeline_trace_node *node)
{
    for (size_t i = 0; i < node->n_children; i++) {
        const struct pipeline_trace_node *c = node->children[i];
        if (c->type == PIPELINE_TRACE_MODIFY
            || c->type == PIPELINE_TRACE_OUTPUT
            || c->type == PIPELINE_TRACE_BLOCK
            || ((c->type == PIPELINE_TRACE_SECTION
                 || c->type == PIPELINE_TRACE_TABLE)
                && !minimal_is_empty(c))) {
            return false;
        }
    }
    return true;
}

static void
format_minimal(const struct pipeline_trace_node *node, int indent,
               struct ds *s)
{
    for (size_t i = 0; i < node->n_children; i++) {
        const struct pipeline_trace_node *c = node->children[i];
        switch (c->type) {
        case PIPELINE_TRACE_SECTION:
        case PIPELINE_TRACE_TABLE:
            format_minimal(c, indent, s);
            break;
        case PIPELINE_TRACE_MODIFY:
        case PIPELINE_TRACE_OUTPUT:
            put_line(s, indent, c->text);
            break;
        case PIPELINE_TRACE_BLOCK:
            ds_put_char_multiple(s, ' ', indent);
            if (minimal_is_empty(c)) {
                /* As ovn-trace: "ct_next(ct_state=new|trk);". */
                ds_put_format(s, "%s;\n", c->text);
                break;
            }
            ds_put_format(s, "%s {\n", c->text);
            format_minimal(c, indent + 4, s);
            put_line(s, indent, "};");
            break;
        case PIPELINE_TRACE_ACTION:
        case PIPELINE_TRACE_COMMENT:
        case PIPELINE_TRACE_DROP:
            break;
        }
    }
}

static void
format_summary(const struct pipeline_trace_node *node, int indent,
               struct ds *s)
{
    for (size_t i = 0; i < node->n_children; i++) {
        const struct pipeline_trace_node *c = node->children[i];
        switch (c->type) {
        case PIPELINE_TRACE_SECTION:
        case PIPELINE_TRACE_BLOCK:
            ds_put_char_multiple(s, ' ', indent);
            ds_put_format(s, "%s {\n", c->text);
            format_summary(c, indent + 4, s);
            put_line(s, indent, "};");
            break;
        case PIPELINE_TRACE_TABLE:
            format_summary(c, indent, s);
            break;
        case PIPELINE_TRACE_ACTION:
            if (!c->detailed_only) {
                put_line(s, indent, c->text);
            }
            break;
        case PIPELINE_TRACE_COMMENT:
            ds_put_char_multiple(s, ' ', indent);
            ds_put_format(s, "%s%s\n", c->text,
                          c->summary_semicolon ? ";" : "");
            break;
        case PIPELINE_TRACE_OUTPUT:
        case PIPELINE_TRACE_DROP:
        case PIPELINE_TRACE_MODIFY:
            break;
        }
    }
}

static bool
detailed_shows(const struct pipeline_trace_node *node)
{
    return (node->type == PIPELINE_TRACE_SECTION
            || node->type == PIPELINE_TRACE_BLOCK
            || node->type == PIPELINE_TRACE_TABLE
            || node->type == PIPELINE_TRACE_ACTION
            || node->type == PIPELINE_TRACE_COMMENT);
}

/* The detailed view, laid out as ovn-trace lays it out.  The tree nests
 * as execution went: a table node holds its flow's actions, then what
 * they led to (the next table, a conntrack or clone block, the egress
 * section).  A node is indented one step beyond 'level' if it is an
 * action or comment, if more is shown after it among its siblings, or if
 * it asks to be (multicast members); what it holds is then two steps in.
 * Otherwise (the last thing shown, such as the next table) it stays at
 * 'level' with what it holds, so a chain of tables reads flat.  Sections
 * and blocks are titles: a blank line before and a dashed underline. */
static void
format_detailed(const struct pipeline_trace_node *node, int level,
                struct ds *s)
{
    size_t last = SIZE_MAX;
    for (size_t i = 0; i < node->n_children; i++) {
        if (detailed_shows(node->children[i])) {
            last = i;
        }
    }
    for (size_t i = 0; i < node->n_children; i++) {
        const struct pipeline_trace_node *c = node->children[i];
        if (!detailed_shows(c)) {
            continue;
        }
        bool more = (i != last || c->always_indent
                     || c->type == PIPELINE_TRACE_ACTION
                     || c->type == PIPELINE_TRACE_COMMENT);
        int indent = (level + more) * 4;
        bool title = (c->type == PIPELINE_TRACE_SECTION
                      || c->type == PIPELINE_TRACE_BLOCK);
        if (title) {
            ds_put_char(s, '\n');
        }
        put_line(s, indent, c->text);
        if (title) {
            ds_put_char_multiple(s, ' ', indent);
            ds_put_char_multiple(s, '-', strlen(c->text));
            ds_put_char(s, '\n');
        }
        format_detailed(c, level + 2 * more, s);
    }
}

void
pipeline_trace_format(const struct pipeline_result *res,
                      enum pipeline_trace_format format, struct ds *s)
{
    if (!res->trace) {
        return;
    }
    switch (format) {
    case PIPELINE_TRACE_MINIMAL:
        format_minimal(res->trace, 0, s);
        break;
    case PIPELINE_TRACE_SUMMARY:
        format_summary(res->trace, 0, s);
        break;
    case PIPELINE_TRACE_DETAILED:
        format_detailed(res->trace, 0, s);
        break;
    }
}

/* --- The packet in OpenFlow syntax --------------------------------- */

static uint64_t
f64(const struct symtab_flow *flow, enum symtab_field f)
{
    return flow->fields[f].lo;
}

static void
put_mac(struct ds *s, const char *name, uint64_t mac)
{
    ds_put_format(s, ",%s=%02x:%02x:%02x:%02x:%02x:%02x", name,
                  (unsigned) (mac >> 40) & 0xff, (unsigned) (mac >> 32) & 0xff,
                  (unsigned) (mac >> 24) & 0xff, (unsigned) (mac >> 16) & 0xff,
                  (unsigned) (mac >> 8) & 0xff, (unsigned) mac & 0xff);
}

static void
put_ip4(struct ds *s, const char *name, uint64_t ip)
{
    ds_put_format(s, ",%s=%u.%u.%u.%u", name, (unsigned) (ip >> 24) & 0xff,
                  (unsigned) (ip >> 16) & 0xff, (unsigned) (ip >> 8) & 0xff,
                  (unsigned) ip & 0xff);
}

static void
put_ip6(struct ds *s, const char *name, struct u128 ip)
{
    struct in6_addr a;
    u128_to_be_bytes(ip, a.s6_addr);
    ds_put_format(s, ",%s=", name);
    ip_format(&a, s);
}

static void
put_vlan(struct ds *s, uint64_t tci)
{
    if (tci & 0x1000) {
        /* A tagged packet, as OVS prints it (no second tag). */
        ds_put_format(s, ",dl_vlan=%"PRIu64",dl_vlan_pcp=%"PRIu64
                      ",vlan_tci1=0x0000", tci & 0xfff, tci >> 13);
    } else {
        ds_put_format(s, ",vlan_tci=0x%04"PRIx64, tci);
    }
}

static const char *
packet_proto(uint64_t eth_type, uint64_t proto)
{
    if (eth_type == 0x800) {
        return (proto == 6 ? "tcp" : proto == 17 ? "udp" : proto == 1
                ? "icmp" : proto == 132 ? "sctp" : "ip");
    } else if (eth_type == 0x86dd) {
        return (proto == 6 ? "tcp6" : proto == 17 ? "udp6" : proto == 58
                ? "icmp6" : proto == 132 ? "sctp6" : "ipv6");
    }
    return eth_type == 0x806 ? "arp" : NULL;
}

void
pipeline_format_packet(const struct pipeline *pl,
                       const struct symtab *symtab OVS_UNUSED,
                       const struct symtab_flow *flow, struct ds *s)
{
    uint64_t eth_type = f64(flow, SYMTAB_F_ETH_TYPE);
    uint64_t proto = f64(flow, SYMTAB_F_IP_PROTO);
    const char *name = packet_proto(eth_type, proto);
    ds_put_cstr(s, name ? name : "");
    ds_put_format(s, "%sreg14=0x%"PRIx32, name ? "," : "",
                  pipeline_port_key(pl, flow->inport));
    put_vlan(s, f64(flow, SYMTAB_F_VLAN_TCI));
    put_mac(s, "dl_src", f64(flow, SYMTAB_F_ETH_SRC));
    put_mac(s, "dl_dst", f64(flow, SYMTAB_F_ETH_DST));
    if (!name) {
        ds_put_format(s, ",dl_type=0x%04"PRIx64, eth_type);
        return;
    }
    if (eth_type == 0x806) {
        put_ip4(s, "arp_spa", f64(flow, SYMTAB_F_ARP_SPA));
        put_ip4(s, "arp_tpa", f64(flow, SYMTAB_F_ARP_TPA));
        ds_put_format(s, ",arp_op=%"PRIu64, f64(flow, SYMTAB_F_ARP_OP));
        put_mac(s, "arp_sha", f64(flow, SYMTAB_F_ARP_SHA));
        put_mac(s, "arp_tha", f64(flow, SYMTAB_F_ARP_THA));
        return;
    }
    if (eth_type == 0x800) {
        put_ip4(s, "nw_src", f64(flow, SYMTAB_F_IP4_SRC));
        put_ip4(s, "nw_dst", f64(flow, SYMTAB_F_IP4_DST));
    } else {
        put_ip6(s, "ipv6_src", flow->fields[SYMTAB_F_IP6_SRC]);
        put_ip6(s, "ipv6_dst", flow->fields[SYMTAB_F_IP6_DST]);
        ds_put_format(s, ",ipv6_label=0x%05"PRIx64,
                      f64(flow, SYMTAB_F_IP6_LABEL));
    }
    if (!strcmp(name, "ip") || !strcmp(name, "ipv6")) {
        ds_put_format(s, ",nw_proto=%"PRIu64, proto);
    }
    ds_put_format(s, ",nw_tos=%"PRIu64",nw_ecn=%"PRIu64",nw_ttl=%"PRIu64
                  ",nw_frag=no", f64(flow, SYMTAB_F_IP_DSCP) << 2,
                  f64(flow, SYMTAB_F_IP_ECN), f64(flow, SYMTAB_F_IP_TTL));
    if (proto == 6 || proto == 17 || proto == 132) {
        ds_put_format(s, ",tp_src=%"PRIu64",tp_dst=%"PRIu64,
                      f64(flow, SYMTAB_F_TP_SRC), f64(flow, SYMTAB_F_TP_DST));
        if (proto == 6) {
            ds_put_format(s, ",tcp_flags=%"PRIu64,
                          f64(flow, SYMTAB_F_TCP_FLAGS));
        }
    } else if (proto == 1 || proto == 58) {
        uint64_t type = f64(flow, SYMTAB_F_ICMP_TYPE);
        uint64_t code = f64(flow, SYMTAB_F_ICMP_CODE);
        ds_put_format(s, ",icmp_type=%"PRIu64",icmp_code=%"PRIu64,
                      type, code);
        if (proto == 58 && (type == 135 || type == 136) && !code) {
            put_ip6(s, "nd_target", flow->fields[SYMTAB_F_ND_TARGET]);
            put_mac(s, "nd_sll", f64(flow, SYMTAB_F_ND_SLL));
            put_mac(s, "nd_tll", f64(flow, SYMTAB_F_ND_TLL));
        }
    }
}
