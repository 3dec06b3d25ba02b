/* pipeline-actions: what each action other than next and output does to
 * a packet.
 *
 * Field actions change the packet and, when tracing, add a "modify" node
 * that ovn-trace's minimal view shows ("eth.dst = 00:00:00:00:16:02;",
 * "ip.ttl--;").  Conntrack actions ask the model for the connection's
 * state and continue in the next table on a copy, shown as a block
 * ("ct_next(ct_state=est|trk) { ... }").  Packet-generating actions build
 * the new packet's headers from the old one (an ARP request from an IPv4
 * packet, an ICMP error...) and run their nested actions on it.  Services
 * that need a controller in OVN (put_dhcp_opts, MAC bindings, port
 * security) are answered here from the compiled input; put_dhcp_opts and
 * put_dhcpv6_opts build the actual reply when the packet has a payload
 * (pipeline-dhcp.c), put_nd_ra_opts the Router Advertisement
 * (pipeline-ra.c). */
#include "pipeline/pipeline-execute.h"

#include <inttypes.h>
#include <string.h>

#include "ds.h"
#include "expr/expr.h"
#include "packets.h"
#include "util.h"

static void
write_bits(struct pl_pkt *pkt, const struct action_field *f,
           struct u128 value)
{
    action_field_write(f, &pkt->flow, value, u128_low_mask(128));
}

static char *
nullable_xstrdup(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static bool
is_mac_field(const char *name)
{
    return (!strcmp(name, "eth.src") || !strcmp(name, "eth.dst")
            || !strcmp(name, "arp.sha") || !strcmp(name, "arp.tha")
            || !strcmp(name, "nd.sll") || !strcmp(name, "nd.tll"));
}

void
pl_format_value(const struct symtab_symbol *s, unsigned int n_bits,
                struct u128 v, struct ds *out)
{
    bool whole = n_bits == s->width;
    if (whole && s->width == 48 && is_mac_field(s->name)) {
        ds_put_format(out, "%02x:%02x:%02x:%02x:%02x:%02x",
                      (unsigned) (v.lo >> 40) & 0xff,
                      (unsigned) (v.lo >> 32) & 0xff,
                      (unsigned) (v.lo >> 24) & 0xff,
                      (unsigned) (v.lo >> 16) & 0xff,
                      (unsigned) (v.lo >> 8) & 0xff, (unsigned) v.lo & 0xff);
    } else if (whole && s->width == 32 && (str_startswith(s->name, "ip4.")
                                           || !strcmp(s->name, "arp.spa")
                                           || !strcmp(s->name, "arp.tpa"))) {
        ds_put_format(out, "%u.%u.%u.%u", (unsigned) (v.lo >> 24) & 0xff,
                      (unsigned) (v.lo >> 16) & 0xff,
                      (unsigned) (v.lo >> 8) & 0xff, (unsigned) v.lo & 0xff);
    } else if (whole && s->width == 128 && (str_startswith(s->name, "ip6.")
                                            || !strcmp(s->name,
                                                       "nd.target"))) {
        struct in6_addr a;
        u128_to_be_bytes(v, a.s6_addr);
        ip_format(&a, out);
    } else if (!v.hi) {
        ds_put_format(out, "%"PRIu64, v.lo);
    } else {
        ds_put_format(out, "0x%"PRIx64"%016"PRIx64, v.hi, v.lo);
    }
}

/* Is 'f' logical metadata (a register, the flags, a port name) rather
 * than a packet header? */
static bool
is_metadata(const struct action_field *f)
{
    unsigned int ofs;
    const struct symtab_symbol *root = symtab_symbol_root(f->symbol, &ofs);
    return (root->field == SYMTAB_F_INPORT || root->field == SYMTAB_F_OUTPORT
            || (root->field >= SYMTAB_F_REG0
                && root->field <= SYMTAB_F_FLAGS));
}

/* Adds "FIELD = VALUE;" to the trace for field reference 'f'.  As in
 * ovn-trace's minimal view, changes to logical metadata are shown only
 * if 'metadata_too' (ovn-trace shows chk_lb_hairpin()'s results). */
static void
trace_assign__(struct pipeline_trace_node *tnode,
               const struct action_field *f, const struct pl_pkt *pkt,
               bool metadata_too)
{
    if (!tnode || (!metadata_too && is_metadata(f))) {
        return;
    }
    struct ds s = DS_EMPTY_INITIALIZER;
    ds_put_cstr(&s, f->symbol->name);
    if (symtab_symbol_is_string(f->symbol)) {
        const char *v = symtab_flow_get_string(&pkt->flow, f->symbol);
        ds_put_format(&s, " = \"%s\";", v ? v : "");
    } else {
        if (f->n_bits != f->symbol->width) {
            if (f->n_bits == 1) {
                ds_put_format(&s, "[%u]", f->ofs);
            } else {
                ds_put_format(&s, "[%u..%u]", f->ofs,
                              f->ofs + f->n_bits - 1);
            }
        }
        ds_put_cstr(&s, " = ");
        pl_format_value(f->symbol, f->n_bits,
                        action_field_read(f, &pkt->flow), &s);
        ds_put_char(&s, ';');
    }
    pl_trace_add(tnode, PIPELINE_TRACE_MODIFY, "%s", ds_cstr(&s));
    ds_destroy(&s);
}

static void
trace_assign(struct pipeline_trace_node *tnode, const struct action_field *f,
             const struct pl_pkt *pkt)
{
    trace_assign__(tnode, f, pkt, false);
}

static void
exec_load(struct pl_pkt *pkt, const struct action *a,
          struct pipeline_trace_node *tnode)
{
    const struct action_field *dst = &a->load.dst;
    if (symtab_symbol_is_string(dst->symbol)) {
        symtab_flow_set_string(&pkt->flow, dst->symbol, a->load.value.s);
    } else {
        struct u128 mask = (a->load.value.type == LEX_T_MASKED_INTEGER
                            ? a->load.value.mask : u128_low_mask(128));
        action_field_write(dst, &pkt->flow, a->load.value.value, mask);
    }
    trace_assign(tnode, dst, pkt);
}

/* Adds "DST = VALUE;" for a move, with the value printed as ovn-trace
 * prints it: in the source field's notation (MAC, IP address), and in
 * hexadecimal from a register. */
static void
trace_move(struct pipeline_trace_node *tnode, const struct action_field *dst,
           const struct action_field *src, const struct pl_pkt *pkt)
{
    if (!tnode || is_metadata(dst) || symtab_symbol_is_string(dst->symbol)) {
        trace_assign(tnode, dst, pkt);
        return;
    }
    struct ds s = DS_EMPTY_INITIALIZER;
    struct u128 v = action_field_read(dst, &pkt->flow);
    ds_put_cstr(&s, dst->symbol->name);
    if (dst->n_bits != dst->symbol->width) {
        ds_put_format(&s, "[%u..%u]", dst->ofs, dst->ofs + dst->n_bits - 1);
    }
    ds_put_cstr(&s, " = ");
    if (is_metadata(src)) {
        ds_put_format(&s, "0x%"PRIx64, v.lo);
        if (v.hi) {
            ds_clear(&s);
            ds_put_format(&s, "%s = 0x%"PRIx64"%016"PRIx64,
                          dst->symbol->name, v.hi, v.lo);
        }
    } else {
        pl_format_value(src->symbol, src->n_bits, v, &s);
    }
    ds_put_char(&s, ';');
    pl_trace_add(tnode, PIPELINE_TRACE_MODIFY, "%s", ds_cstr(&s));
    ds_destroy(&s);
}

static void
exec_move(struct pl_pkt *pkt, const struct action *a,
          struct pipeline_trace_node *tnode)
{
    const struct action_field *dst = &a->move.dst, *src = &a->move.src;
    if (symtab_symbol_is_string(dst->symbol)) {
        char *sv = nullable_xstrdup(symtab_flow_get_string(&pkt->flow,
                                                           src->symbol));
        if (a->type == ACTION_EXCHANGE) {
            symtab_flow_set_string(&pkt->flow, src->symbol,
                                   symtab_flow_get_string(&pkt->flow,
                                                          dst->symbol));
        }
        symtab_flow_set_string(&pkt->flow, dst->symbol, sv);
        free(sv);
    } else {
        struct u128 sv = action_field_read(src, &pkt->flow);
        if (a->type == ACTION_EXCHANGE) {
            write_bits(pkt, src, action_field_read(dst, &pkt->flow));
        }
        write_bits(pkt, dst, sv);
    }
    if (a->type == ACTION_EXCHANGE) {
        trace_assign(tnode, dst, pkt);
        trace_assign(tnode, src, pkt);
    } else {
        trace_move(tnode, dst, src, pkt);
    }
}

static void
set_result(struct pl_pkt *pkt, const struct action_field *dst, bool value,
           struct pipeline_trace_node *tnode)
{
    if (dst->symbol) {
        write_bits(pkt, dst, u128_from_u64(value));
        trace_assign(tnode, dst, pkt);
    }
}

/* --- Conntrack --------------------------------------------------- */

static uint32_t
ct_lookup(struct pl_ctx *ctx, struct ds *label, bool *is_defaultp)
{
    bool is_default = false;
    uint32_t state = ctx->params->ct.lookup(ctx->params->ct.aux,
                                            ctx->n_ct++, &is_default);
    if (is_defaultp) {
        *is_defaultp = is_default;
    }
    state |= PIPELINE_CS_TRK;
    if (label) {
        ds_put_cstr(label, "ct_state=");
        pipeline_ct_format_flags(state, label);
        if (is_default) {
            ds_put_cstr(label, " /* default (use --ct to customize) */");
        }
    }
    return state;
}

/* Continues 'copy' (of the packet) in the next table inside block
 * 'label' after setting its ct_state to 'state'. */
static void
ct_continue(struct pl_ctx *ctx, struct pl_pkt *copy, uint32_t state,
            const struct pl_flow *flow, struct pipeline_trace_node *super,
            const char *label)
{
    struct pipeline_trace_node *block = NULL;
    if (super) {
        block = pl_trace_add(super, PIPELINE_TRACE_BLOCK, "%s", label);
    }
    pl_set(copy, SYMTAB_F_CT_STATE, u128_from_u64(state));
    pl_run_table(ctx, copy, flow->table + 1, block);
}

static void
exec_ct_next(struct pl_ctx *ctx, const struct pl_pkt *pkt,
             const struct pl_flow *flow, struct pipeline_trace_node *super)
{
    struct ds label = DS_EMPTY_INITIALIZER;
    ds_put_cstr(&label, "ct_next(");
    uint32_t state = ct_lookup(ctx, &label, NULL);
    ds_put_char(&label, ')');
    struct pl_pkt copy;
    pl_pkt_clone(&copy, pkt);
    ct_continue(ctx, &copy, state, flow, super, ds_cstr(&label));
    pl_pkt_destroy(&copy);
    ds_destroy(&label);
}

/* Rewrites the destination (DNAT) or source (SNAT) of 'pkt' to 'ip' and
 * optionally port 'port', describing the change in 'label' if nonnull. */
static void
nat_rewrite(const struct pl_ctx *ctx, struct pl_pkt *pkt, bool dst,
            const struct action_ip_port *ip, uint16_t port, struct ds *label)
{
    enum symtab_field f = (ip->family == 4
                           ? (dst ? SYMTAB_F_IP4_DST : SYMTAB_F_IP4_SRC)
                           : (dst ? SYMTAB_F_IP6_DST : SYMTAB_F_IP6_SRC));
    pl_set(pkt, f, ip->ip);
    if (label) {
        const struct symtab_symbol *s = symtab_field_symbol(ctx->pl->symtab,
                                                            f);
        ds_put_format(label, "%s=", s->name);
        pl_format_value(s, s->width, ip->ip, label);
    }
    if (port) {
        pl_set(pkt, dst ? SYMTAB_F_TP_DST : SYMTAB_F_TP_SRC,
               u128_from_u64(port));
        if (label) {
            uint8_t proto = pl_get(pkt, SYMTAB_F_IP_PROTO).lo;
            ds_put_format(label, ", %s.%s=%u", (proto == 17 ? "udp"
                                                 : proto == 132 ? "sctp"
                                                 : "tcp"),
                          dst ? "dst" : "src", port);
        }
    }
}

static void
exec_ct_nat(struct pl_ctx *ctx, const struct pl_pkt *pkt,
            const struct action *a, const struct pl_flow *flow,
            struct pipeline_trace_node *super)
{
    bool dst = (a->type == ACTION_CT_DNAT
                || a->type == ACTION_CT_DNAT_IN_CZONE);
    struct ds label = DS_EMPTY_INITIALIZER;
    struct pl_pkt copy;
    pl_pkt_clone(&copy, pkt);
    /* ovn-trace 23.03 drops an underscore from the _in_czone names. */
    ds_put_format(&label, "%s", (a->type == ACTION_CT_DNAT_IN_CZONE
                                 ? "ct_dnatin_czone"
                                 : a->type == ACTION_CT_SNAT_IN_CZONE
                                 ? "ct_snatin_czone"
                                 : action_type_name(a->type)));
    uint32_t state;
    if (a->nat.ip.family) {
        ds_put_char(&label, '(');
        nat_rewrite(ctx, &copy, dst, &a->nat.ip,
                    a->nat.has_ports ? a->nat.port_lo : 0, &label);
        ds_put_char(&label, ')');
        state = PIPELINE_CS_TRK | PIPELINE_CS_NEW
                | (dst ? PIPELINE_CS_DNAT : PIPELINE_CS_SNAT);
    } else {
        ds_put_cstr(&label, " /* assuming no un-");
        ds_put_cstr(&label, dst ? "dnat" : "snat");
        ds_put_cstr(&label, " entry, so no change */");
        bool is_default = false;
        state = ct_lookup(ctx, NULL, &is_default);
        if (is_default) {
            ds_put_cstr(&label, " /* default (use --ct to customize) */");
        }
    }
    ct_continue(ctx, &copy, state, flow, super, ds_cstr(&label));
    pl_pkt_destroy(&copy);
    ds_destroy(&label);
}

static const struct action_ip_port *
lb_pick(const struct pl_ctx *ctx, const struct action *a)
{
    const struct pipeline_run_params *p = ctx->params;
    for (size_t i = 0; i < a->lb.n_backends; i++) {
        const struct action_ip_port *b = &a->lb.backends[i];
        if (p->lb_dst_family && b->family == p->lb_dst_family
            && u128_equals(b->ip, p->lb_dst_ip)
            && (!p->lb_dst_port || p->lb_dst_port == b->port)) {
            return b;
        }
    }
    return a->lb.n_backends ? &a->lb.backends[0] : NULL;
}

/* ct_lb and ct_lb_mark (the block named after the action).  With
 * backends, DNAT to the one --lb-dst names (else the first); without,
 * the connection is looked up and, as ovn-trace does, --lb-dst (if any)
 * is the destination it was committed with.  Neither rewrite is shown in
 * the block's label, as ovn-trace shows none. */
static void
exec_ct_lb(struct pl_ctx *ctx, const struct pl_pkt *pkt,
           const struct action *a, const struct pl_flow *flow,
           struct pipeline_trace_node *super)
{
    const struct pipeline_run_params *p = ctx->params;
    struct ds ignored = DS_EMPTY_INITIALIZER;
    struct pl_pkt copy;
    pl_pkt_clone(&copy, pkt);
    uint32_t state;
    const struct action_ip_port *b = lb_pick(ctx, a);
    if (b) {
        nat_rewrite(ctx, &copy, true, b, b->port, &ignored);
        state = PIPELINE_CS_TRK | PIPELINE_CS_NEW | PIPELINE_CS_DNAT;
    } else {
        state = ct_lookup(ctx, NULL, NULL);
        if (p->lb_dst_family) {
            struct action_ip_port dst = { .family = p->lb_dst_family,
                                          .ip = p->lb_dst_ip,
                                          .port = p->lb_dst_port };
            nat_rewrite(ctx, &copy, true, &dst, dst.port, &ignored);
        }
    }
    ct_continue(ctx, &copy, state, flow, super, action_type_name(a->type));
    pl_pkt_destroy(&copy);
    ds_destroy(&ignored);
}

/* --- Generated packets ------------------------------------------ */

void
pl_fork(struct pl_ctx *ctx, const struct pl_pkt *pkt OVS_UNUSED,
        struct pl_pkt *copy, const struct action_list *nested,
        const struct pl_flow *flow, struct pipeline_trace_node *super,
        const char *label)
{
    struct pipeline_trace_node *block = NULL;
    if (super) {
        block = pl_trace_add(super, PIPELINE_TRACE_BLOCK, "%s", label);
    }
    if (pl_exec_list(ctx, copy, nested, flow, block, block)
        == PL_FELL_THROUGH) {
        pl_record_drop(ctx, copy, flow->table, flow, NULL,
                       "generated packet went nowhere");
    }
}

static void
clear_l3(struct pl_pkt *pkt)
{
    for (int f = SYMTAB_F_IP_PROTO; f <= SYMTAB_F_ND_TLL; f++) {
        pkt->flow.fields[f] = u128_zero();
    }
}

/* An ARP request for ip4.dst, or a neighbour solicitation for ip6.dst
 * sent to its solicited-node multicast address. */
static void
generate_solicitation(struct pl_pkt *pkt, enum action_type type)
{
    struct u128 eth_src = pl_get(pkt, SYMTAB_F_ETH_SRC);
    struct u128 ip4_src = pl_get(pkt, SYMTAB_F_IP4_SRC);
    struct u128 ip4_dst = pl_get(pkt, SYMTAB_F_IP4_DST);
    struct u128 ip6_dst = pl_get(pkt, SYMTAB_F_IP6_DST);
    clear_l3(pkt);
    if (type == ACTION_ARP) {
        pl_set(pkt, SYMTAB_F_ETH_TYPE, u128_from_u64(0x806));
        pl_set(pkt, SYMTAB_F_ETH_DST, u128_from_u64(0xffffffffffffULL));
        pl_set(pkt, SYMTAB_F_ARP_OP, u128_from_u64(1));
        pl_set(pkt, SYMTAB_F_ARP_SHA, eth_src);
        pl_set(pkt, SYMTAB_F_ARP_SPA, ip4_src);
        pl_set(pkt, SYMTAB_F_ARP_TPA, ip4_dst);
        return;
    }
    struct u128 sn = u128_make(0xff02000000000000ULL,
                               0x00000001ff000000ULL
                               | (ip6_dst.lo & 0xffffff));
    pl_set(pkt, SYMTAB_F_ETH_DST,
           u128_from_u64(0x3333ff000000ULL | (ip6_dst.lo & 0xffffff)));
    pl_set(pkt, SYMTAB_F_IP_PROTO, u128_from_u64(58));
    pl_set(pkt, SYMTAB_F_IP_TTL, u128_from_u64(255));
    pl_set(pkt, SYMTAB_F_IP6_DST, sn);
    pl_set(pkt, SYMTAB_F_ICMP_TYPE, u128_from_u64(135));
    pl_set(pkt, SYMTAB_F_ND_TARGET, ip6_dst);
    pl_set(pkt, SYMTAB_F_ND_SLL, eth_src);
}

static void
generate_icmp(struct pl_pkt *pkt, bool v6, uint8_t type, uint8_t code)
{
    pl_set(pkt, SYMTAB_F_IP_PROTO, u128_from_u64(v6 ? 58 : 1));
    pl_set(pkt, SYMTAB_F_IP_TTL, u128_from_u64(255));
    pl_set(pkt, SYMTAB_F_ICMP_TYPE, u128_from_u64(type));
    pl_set(pkt, SYMTAB_F_ICMP_CODE, u128_from_u64(code));
}

/* reject answers the sender, addresses swapped: a TCP reset for TCP,
 * else an ICMP(v6) port unreachable. */
static void
generate_reject(struct pl_pkt *pkt)
{
    struct u128 eth_src = pl_get(pkt, SYMTAB_F_ETH_SRC);
    pl_set(pkt, SYMTAB_F_ETH_SRC, pl_get(pkt, SYMTAB_F_ETH_DST));
    pl_set(pkt, SYMTAB_F_ETH_DST, eth_src);
    bool v6 = pl_get(pkt, SYMTAB_F_ETH_TYPE).lo == 0x86dd;
    enum symtab_field src = v6 ? SYMTAB_F_IP6_SRC : SYMTAB_F_IP4_SRC;
    enum symtab_field dst = v6 ? SYMTAB_F_IP6_DST : SYMTAB_F_IP4_DST;
    struct u128 ip_src = pl_get(pkt, src);
    pl_set(pkt, src, pl_get(pkt, dst));
    pl_set(pkt, dst, ip_src);
    if (pl_get(pkt, SYMTAB_F_IP_PROTO).lo == 6) {
        pl_set(pkt, SYMTAB_F_TCP_FLAGS, u128_from_u64(0x14));
    } else {
        generate_icmp(pkt, v6, v6 ? 1 : 3, v6 ? 4 : 3);
    }
}

/* Builds the headers of the packet that generating action 'type' makes
 * from 'pkt', in place.  Only what later tables match on matters; the
 * nested actions set the rest. */
static void
generate_headers(struct pl_pkt *pkt, enum action_type type)
{
    switch (type) {
    case ACTION_ARP:
    case ACTION_ND_NS:
        generate_solicitation(pkt, type);
        break;
    case ACTION_ND_NA:
    case ACTION_ND_NA_ROUTER:
        pl_set(pkt, SYMTAB_F_ICMP_TYPE, u128_from_u64(136));
        pl_set(pkt, SYMTAB_F_IP_TTL, u128_from_u64(255));
        break;
    case ACTION_ICMP4:
    case ACTION_ICMP4_ERROR:
        generate_icmp(pkt, false, 3, 1);
        break;
    case ACTION_ICMP6:
    case ACTION_ICMP6_ERROR:
        generate_icmp(pkt, true, 1, 1);
        break;
    case ACTION_TCP_RESET:
        pl_set(pkt, SYMTAB_F_TCP_FLAGS, u128_from_u64(0x14));
        break;
    case ACTION_REJECT:
        generate_reject(pkt);
        break;
    default:
        break;
    }
}

static bool
exec_generator(struct pl_ctx *ctx, const struct pl_pkt *pkt,
               const struct action *a, const struct pl_flow *flow,
               struct pipeline_trace_node *super)
{
    struct pl_pkt copy;
    pl_pkt_clone(&copy, pkt);
    /* ovn-trace shows reject as the packet it makes. */
    const char *name = action_type_name(a->type);
    if (a->type == ACTION_REJECT) {
        name = (pl_get(pkt, SYMTAB_F_IP_PROTO).lo == 6 ? "tcp_reset"
                : pl_get(pkt, SYMTAB_F_ETH_TYPE).lo == 0x86dd ? "icmp6"
                : "icmp4");
    }
    if (a->type != ACTION_CLONE) {
        /* The generated packet does not carry the old one's payload. */
        free(copy.payload);
        copy.payload = NULL;
        copy.payload_len = 0;
        generate_headers(&copy, a->type);
        if (copy.n_via < PL_MAX_VIA) {
            copy.via[copy.n_via++] = name;
        }
    }
    pl_fork(ctx, pkt, &copy, &a->nested, flow, super, name);
    pl_pkt_destroy(&copy);
    return false;
}

/* --- Neighbours ------------------------------------------------- */

static const struct pl_mac_binding *
neigh_lookup(const struct pl_ctx *ctx, const struct pl_pkt *pkt,
             const struct action *a, int family)
{
    const char *port = symtab_flow_get_string(&pkt->flow,
                                              a->neigh.args[0].symbol);
    struct u128 ip = action_field_read(&a->neigh.args[1], &pkt->flow);
    return pl_mac_binding_find(ctx->pl, port, family, ip);
}

static void
exec_get_neigh(struct pl_ctx *ctx, struct pl_pkt *pkt,
               const struct action *a, int family,
               struct pipeline_trace_node *tnode)
{
    const struct pl_mac_binding *b = neigh_lookup(ctx, pkt, a, family);
    struct action_field dst = {
        symtab_field_symbol(ctx->pl->symtab, SYMTAB_F_ETH_DST), 0, 48 };
    write_bits(pkt, &dst, u128_from_u64(b ? b->mac : 0));
    if (tnode) {
        pl_trace_add(tnode, PIPELINE_TRACE_COMMENT, b ? "/* MAC binding "
                     "found. */" : "/* No MAC binding. */");
    }
    trace_assign(tnode, &dst, pkt);
}

static bool
exec_lookup_neigh(const struct pl_ctx *ctx, const struct pl_pkt *pkt,
                  const struct action *a, int family, bool check_mac)
{
    const struct pl_mac_binding *b = neigh_lookup(ctx, pkt, a, family);
    if (!b) {
        return false;
    }
    return !check_mac || (action_field_read(&a->neigh.args[2],
                                            &pkt->flow).lo == b->mac);
}

/* --- FDB -------------------------------------------------------- */

/* get_fdb: the port the MAC was learnt on, or "none" (ovn-trace's name
 * for key 0).  lookup_fdb: whether the MAC was learnt on that very port;
 * ovn-trace's comment names eth.dst whichever MAC was looked up. */
static void
exec_fdb(const struct pl_ctx *ctx, struct pl_pkt *pkt, const struct action *a,
         struct pipeline_trace_node *tnode)
{
    const struct action_field *mac_arg = (a->type == ACTION_GET_FDB
                                          ? &a->neigh.args[0]
                                          : &a->neigh.args[1]);
    uint64_t mac = action_field_read(mac_arg, &pkt->flow).lo;
    const struct pl_fdb *f = pl_fdb_find(ctx->pl, pkt->dp->key, mac);
    if (a->type == ACTION_GET_FDB) {
        symtab_flow_set_string(&pkt->flow, a->neigh.dst.symbol,
                               f ? f->port->name : "none");
        trace_assign(tnode, &a->neigh.dst, pkt);
        return;
    }
    const char *port = symtab_flow_get_string(&pkt->flow,
                                              a->neigh.args[0].symbol);
    bool found = f && port && !strcmp(f->port->name, port);
    if (tnode && found) {
        struct ds s = DS_EMPTY_INITIALIZER;
        pl_format_value(symtab_field_symbol(ctx->pl->symtab,
                                            SYMTAB_F_ETH_DST), 48,
                        pl_get(pkt, SYMTAB_F_ETH_DST), &s);
        pl_trace_add(tnode, PIPELINE_TRACE_COMMENT,
                     "/* MAC lookup for %s found in FDB. */", ds_cstr(&s));
        ds_destroy(&s);
    } else if (tnode) {
        pl_trace_add(tnode, PIPELINE_TRACE_COMMENT,
                     "/* lookup mac failed in mac learning table. */");
    }
    set_result(pkt, &a->neigh.dst, found, tnode);
}

/* lookup_arp(), lookup_nd() and their _ip forms: the result bit, and
 * ovn-trace's comment when nothing was found. */
static void
exec_lookup_result(const struct pl_ctx *ctx, struct pl_pkt *pkt,
                   const struct action *a, struct pipeline_trace_node *tnode)
{
    bool v4 = (a->type == ACTION_LOOKUP_ARP
               || a->type == ACTION_LOOKUP_ARP_IP);
    bool found = exec_lookup_neigh(ctx, pkt, a, v4 ? 4 : 6,
                                   (a->type == ACTION_LOOKUP_ARP
                                    || a->type == ACTION_LOOKUP_ND));
    set_result(pkt, &a->neigh.dst, found, tnode);
    if (tnode && !found) {
        pl_trace_add(tnode, PIPELINE_TRACE_COMMENT,
                     "/* lookup failed - No MAC binding. */");
    }
}

/* --- Services --------------------------------------------------- */

static void
add_payload_action(struct pl_pkt *pkt, const struct action *a)
{
    if (pkt->n_payload_actions < ARRAY_SIZE(pkt->payload_actions)) {
        pkt->payload_actions[pkt->n_payload_actions++] = a;
    }
}

/* put_dhcp_opts and put_dhcpv6_opts on a packet with a payload: the
 * reply is built (result 1) or the request refused (result 0), as
 * ovn-controller does. */
static void
exec_put_dhcp_opts(struct pl_ctx *ctx, struct pl_pkt *pkt,
                   const struct action *a, struct pipeline_trace_node *tnode)
{
    struct ds note = DS_EMPTY_INITIALIZER;
    ctx->res->payload_read = true;
    bool ok = (a->type == ACTION_PUT_DHCPV4_OPTS
               ? pl_dhcp_reply(pkt, a, &note)
               : a->type == ACTION_PUT_ND_RA_OPTS
               ? pl_ra_reply(pkt, a, &note)
               : pl_dhcp6_reply(pkt, a, &note));
    if (tnode) {
        pl_trace_add(tnode, PIPELINE_TRACE_COMMENT, "/* %s. */",
                     ds_cstr(&note));
        if (ok) {
            struct ds s = DS_EMPTY_INITIALIZER;
            action_format(a, &s);
            const char *eq = strstr(ds_cstr(&s), " = ");
            pl_trace_add(tnode, PIPELINE_TRACE_MODIFY, "%s",
                         eq ? eq + 3 : ds_cstr(&s));
            ds_destroy(&s);
            if (a->type == ACTION_PUT_DHCPV4_OPTS) {
                /* The reply's destination address (pipeline-dhcp.c). */
                struct action_field ip4_dst = {
                    symtab_field_symbol(ctx->pl->symtab, SYMTAB_F_IP4_DST),
                    0, 32 };
                trace_assign(tnode, &ip4_dst, pkt);
            }
        }
    }
    if (ok) {
        add_payload_action(pkt, a);
    }
    set_result(pkt, &a->opts.dst, ok, NULL);
    ds_destroy(&note);
}

static void
exec_put_opts(struct pl_ctx *ctx, struct pl_pkt *pkt, const struct action *a,
              struct pipeline_trace_node *tnode)
{
    if (pkt->payload || a->type == ACTION_PUT_ND_RA_OPTS) {
        exec_put_dhcp_opts(ctx, pkt, a, tnode);
        return;
    }
    add_payload_action(pkt, a);
    if (tnode) {
        struct ds s = DS_EMPTY_INITIALIZER;
        action_format(a, &s);
        const char *text = ds_cstr(&s);
        const char *eq = strstr(text, " = ");
        if (a->type != ACTION_PUT_ND_RA_OPTS) {
            /* ovn-trace shows this in every view, with ';' but in the
             * detailed one. */
            static const char assume[] = "/* We assume that this packet "
                                         "is DHCPDISCOVER or DHCPREQUEST. */";
            pl_trace_add(tnode, PIPELINE_TRACE_COMMENT, "%s", assume)
                ->summary_semicolon = true;
            pl_trace_add(tnode, PIPELINE_TRACE_MODIFY, "%s;", assume);
        }
        pl_trace_add(tnode, PIPELINE_TRACE_MODIFY, "%s", eq ? eq + 3 : text);
        ds_destroy(&s);
    }
    set_result(pkt, &a->opts.dst, true, NULL);
}

/* dns_lookup(): with a payload, the reply of pipeline-dns.c (result 1)
 * or nothing (result 0); without, no answer, as ovn-trace. */
static void
exec_dns_lookup(struct pl_ctx *ctx, struct pl_pkt *pkt,
                const struct action *a, struct pipeline_trace_node *tnode)
{
    bool ok = false;
    if (pkt->payload) {
        struct ds note = DS_EMPTY_INITIALIZER;
        ctx->res->payload_read = true;
        ok = pl_dns_reply(ctx->pl, pkt, &note);
        if (tnode) {
            pl_trace_add(tnode, PIPELINE_TRACE_COMMENT, "/* %s. */",
                         ds_cstr(&note));
        }
        ds_destroy(&note);
    } else if (tnode) {
        /* ovn-trace 23.03's words, in every view, with ';' but in the
         * detailed one. */
        static const char ni[] = "*** dns_lookup action not implemented";
        pl_trace_add(tnode, PIPELINE_TRACE_COMMENT, "%s", ni)
            ->summary_semicolon = true;
        pl_trace_add(tnode, PIPELINE_TRACE_MODIFY, "%s;", ni);
    }
    if (ok || !pkt->payload) {
        add_payload_action(pkt, a);
    }
    set_result(pkt, &a->field, ok, tnode);
}

static uint16_t
select_pick(const struct pl_ctx *ctx, const struct action *a)
{
    for (size_t i = 0; i < a->select.n_members; i++) {
        if (a->select.members[i].id == ctx->params->select_id) {
            return a->select.members[i].id;
        }
    }
    return a->select.members[0].id;
}

/* Executes ip.ttl--.  Returns false if the packet dies. */
static bool
exec_dec_ttl(struct pl_ctx *ctx, struct pl_pkt *pkt,
             const struct pl_flow *flow, struct pipeline_trace_node *tnode)
{
    struct u128 ttl = pl_get(pkt, SYMTAB_F_IP_TTL);
    if (ttl.lo <= 1) {
        pl_record_drop(ctx, pkt, flow->table, flow, tnode,
                       "/* Dropped because TTL would become 0. */");
        return false;
    }
    pl_set(pkt, SYMTAB_F_IP_TTL, u128_from_u64(ttl.lo - 1));
    if (tnode) {
        pl_trace_add(tnode, PIPELINE_TRACE_MODIFY, "ip.ttl--;");
    }
    return true;
}

static bool
exec_conntrack(struct pl_ctx *ctx, struct pl_pkt *pkt,
               const struct action *a, const struct pl_flow *flow,
               struct pipeline_trace_node *super)
{
    switch (a->type) {
    case ACTION_CT_NEXT:
        exec_ct_next(ctx, pkt, flow, super);
        return true;
    case ACTION_CT_SNAT:
        if (!a->nat.ip.family && pkt->dp->is_gateway_router) {
            /* As ovn-trace: un-SNAT on a gateway router goes nowhere. */
            pl_record_drop(ctx, pkt, flow->table, flow, NULL,
                           "un-SNAT (ct_snat) on a gateway router: "
                           "ovn-trace does not follow it");
            return true;
        }
        exec_ct_nat(ctx, pkt, a, flow, super);
        return true;
    case ACTION_CT_COMMIT_NAT: {
        struct pl_pkt copy;
        pl_pkt_clone(&copy, pkt);
        ct_continue(ctx, &copy, pl_get(pkt, SYMTAB_F_CT_STATE).lo,
                    flow, super, "ct_commit_nat /* assuming no un-nat "
                    "entry, so no change */");
        pl_pkt_destroy(&copy);
        return true;
    }
    case ACTION_CT_DNAT:
    case ACTION_CT_DNAT_IN_CZONE:
    case ACTION_CT_SNAT_IN_CZONE:
        exec_ct_nat(ctx, pkt, a, flow, super);
        return true;
    case ACTION_CT_LB:
    case ACTION_CT_LB_MARK:
        exec_ct_lb(ctx, pkt, a, flow, super);
        return true;
    case ACTION_CT_CLEAR:
        pl_set(pkt, SYMTAB_F_CT_STATE, u128_zero());
        pl_set(pkt, SYMTAB_F_CT_MARK, u128_zero());
        pl_set(pkt, SYMTAB_F_CT_LABEL, u128_zero());
        return false;
    default:
        /* ct_commit and friends change the connection, not the packet. */
        return false;
    }
}

/* Field actions: assignments, the stack, ip.ttl--.  Returns true if the
 * packet went no further (TTL expired). */
static bool
exec_field_action(struct pl_ctx *ctx, struct pl_pkt *pkt,
                  const struct action *a, const struct pl_flow *flow,
                  struct pipeline_trace_node *tnode)
{
    switch (a->type) {
    case ACTION_LOAD:
        exec_load(pkt, a, tnode);
        return false;
    case ACTION_MOVE:
    case ACTION_EXCHANGE:
        exec_move(pkt, a, tnode);
        return false;
    case ACTION_PUSH:
        if (pkt->n_stack < PL_STACK) {
            pkt->stack[pkt->n_stack++] = action_field_read(&a->field,
                                                           &pkt->flow);
        }
        return false;
    case ACTION_POP:
        write_bits(pkt, &a->field, (pkt->n_stack
                                    ? pkt->stack[--pkt->n_stack]
                                    : u128_zero()));
        return false;
    case ACTION_DEC_TTL:
        return !exec_dec_ttl(ctx, pkt, flow, tnode);
    default:
        util_abort("%s is not a field action", action_type_name(a->type));
    }
}

/* Actions answered from the compiled input (MAC bindings, port security,
 * DHCP options) or by a fixed answer, as ovn-trace gives it. */
static void
exec_service(struct pl_ctx *ctx, struct pl_pkt *pkt, const struct action *a,
             struct pipeline_trace_node *tnode)
{
    switch (a->type) {
    case ACTION_GET_ARP:
    case ACTION_GET_ND:
        exec_get_neigh(ctx, pkt, a, a->type == ACTION_GET_ARP ? 4 : 6,
                       tnode);
        break;
    case ACTION_LOOKUP_ARP: case ACTION_LOOKUP_ARP_IP:
    case ACTION_LOOKUP_ND: case ACTION_LOOKUP_ND_IP:
        exec_lookup_result(ctx, pkt, a, tnode);
        break;
    case ACTION_GET_FDB: case ACTION_LOOKUP_FDB:
        exec_fdb(ctx, pkt, a, tnode);
        break;
    case ACTION_PUT_DHCPV4_OPTS: case ACTION_PUT_DHCPV6_OPTS:
    case ACTION_PUT_ND_RA_OPTS:
        exec_put_opts(ctx, pkt, a, tnode);
        break;
    case ACTION_CHECK_IN_PORT_SEC:
    case ACTION_CHECK_OUT_PORT_SEC:
        set_result(pkt, &a->field, pl_port_sec_fails(
                       ctx, pkt, a->type == ACTION_CHECK_IN_PORT_SEC),
                   tnode);
        break;
    case ACTION_CHK_LB_HAIRPIN: case ACTION_CHK_LB_HAIRPIN_REPLY:
        write_bits(pkt, &a->field, u128_zero());
        trace_assign__(tnode, &a->field, pkt, true);
        break;
    case ACTION_CHECK_PKT_LARGER:
        /* Unknown length (0): false, as ovn-trace. */
        set_result(pkt, &a->pkt_larger.dst,
                   ctx->params->packet_len > a->pkt_larger.len, tnode);
        break;
    case ACTION_DNS_LOOKUP:
        exec_dns_lookup(ctx, pkt, a, tnode);
        break;
    default:
        /* chk_ecmp_nh*(), chk_lb_aff(): false. */
        set_result(pkt, &a->field, false, tnode);
        break;
    }
}

/* A group that resubmits to the next table, shown as a block, as ovn-trace
 * does: "select: reg8[16..31] = 1". */
static void
exec_select(struct pl_ctx *ctx, const struct pl_pkt *pkt,
            const struct action *a, const struct pl_flow *flow,
            struct pipeline_trace_node *super)
{
    struct pl_pkt copy;
    pl_pkt_clone(&copy, pkt);
    uint16_t id = select_pick(ctx, a);
    write_bits(&copy, &a->select.dst, u128_from_u64(id));
    char *label = NULL;
    if (super) {
        struct ds s = DS_EMPTY_INITIALIZER;
        expr_field_format(&(struct expr_field) {
                              a->select.dst.symbol, a->select.dst.ofs,
                              a->select.dst.n_bits }, &s);
        label = xasprintf("select: %s = %u", ds_cstr(&s), id);
        ds_destroy(&s);
    }
    ct_continue(ctx, &copy, pl_get(&copy, SYMTAB_F_CT_STATE).lo, flow, super,
                label);
    free(label);
    pl_pkt_destroy(&copy);
}

/* The result's mask: every physical field under 'f' was consulted. */
static void
mask_field(struct pl_ctx *ctx, enum symtab_field f)
{
    unsigned int width = symtab_field_width(f);
    ctx->res->mask.fields[f] = u128_low_mask(width ? width : 128);
}

static void
mask_action_field(struct pl_ctx *ctx, const struct action_field *af)
{
    if (!af->symbol) {
        return;
    }
    unsigned int ofs;
    const struct symtab_symbol *root = symtab_symbol_root(af->symbol, &ofs);
    for (unsigned int k = 0; k < (root->n_fields ? root->n_fields : 1);
         k++) {
        mask_field(ctx, root->field + k);
    }
}

/* The fields a NAT or load balancing action rewrites (see ACTION_LOAD in
 * mask_action_reads()): the address given, or a backend's, with ports;
 * without one (un-NAT), conntrack's answer is the caller's to key on. */
static void
mask_nat_writes(struct pl_ctx *ctx, const struct action *a)
{
    bool lb = a->type == ACTION_CT_LB || a->type == ACTION_CT_LB_MARK;
    bool dst = lb || a->type == ACTION_CT_DNAT
               || a->type == ACTION_CT_DNAT_IN_CZONE;
    if (lb ? a->lb.n_backends || ctx->params->lb_dst_family
        : a->nat.ip.family) {
        mask_field(ctx, dst ? SYMTAB_F_IP4_DST : SYMTAB_F_IP4_SRC);
        mask_field(ctx, dst ? SYMTAB_F_IP6_DST : SYMTAB_F_IP6_SRC);
        if (lb || a->nat.has_ports) {
            mask_field(ctx, dst ? SYMTAB_F_TP_DST : SYMTAB_F_TP_SRC);
        }
    }
}

/* The fields a generating action copies into the packet it makes.  The
 * others (nd_na, icmp4, tcp_reset...) make a copy with constants
 * written: later tables mask what they read of it, and the nested
 * actions what they read as they run. */
static void
mask_generator_reads(struct pl_ctx *ctx, const struct action *a)
{
    static const enum symtab_field arp[] = {
        SYMTAB_F_ETH_SRC, SYMTAB_F_IP4_SRC, SYMTAB_F_IP4_DST,
    };                              /* generate_solicitation() */
    static const enum symtab_field nd_ns[] = {
        SYMTAB_F_ETH_SRC, SYMTAB_F_IP6_DST,
    };
    static const enum symtab_field reject[] = {
        SYMTAB_F_ETH_SRC, SYMTAB_F_ETH_DST, SYMTAB_F_ETH_TYPE,
        SYMTAB_F_IP_PROTO, SYMTAB_F_IP4_SRC, SYMTAB_F_IP4_DST,
        SYMTAB_F_IP6_SRC, SYMTAB_F_IP6_DST, /* generate_reject() */
    };
    const enum symtab_field *fields = reject;
    size_t n = ARRAY_SIZE(reject);
    if (a->type == ACTION_ARP) {
        fields = arp;
        n = ARRAY_SIZE(arp);
    } else if (a->type == ACTION_ND_NS) {
        fields = nd_ns;
        n = ARRAY_SIZE(nd_ns);
    }
    for (size_t i = 0; i < n; i++) {
        mask_field(ctx, fields[i]);
    }
}

/* Records in the result's mask the fields that action 'a' reads, so that
 * a cache entry made from the result is not reused for a packet on which
 * the action would have done something else (a move copies the exact
 * value of its source, a neighbour lookup depends on the address, port
 * security on the addresses it checks...).  Coarse: whole fields. */
static void
mask_action_reads(struct pl_ctx *ctx, const struct pl_pkt *pkt,
                  const struct action *a)
{
    switch (a->type) {
    case ACTION_LOAD:
        /* What is written is in the mask too, as OVS does: a cache that
         * sets only the fields a result changed would otherwise miss a
         * write that happened to keep the value (a load balancer's
         * backend on the VIP's own port). */
        mask_action_field(ctx, &a->load.dst);
        break;
    case ACTION_MOVE:
        mask_action_field(ctx, &a->move.src);
        mask_action_field(ctx, &a->move.dst);
        break;
    case ACTION_EXCHANGE:
        mask_action_field(ctx, &a->move.src);
        mask_action_field(ctx, &a->move.dst);
        break;
    case ACTION_PUSH:
        mask_action_field(ctx, &a->field);
        break;
    case ACTION_DEC_TTL:
        mask_field(ctx, SYMTAB_F_IP_TTL);
        break;
    case ACTION_GET_ARP: case ACTION_GET_ND: case ACTION_LOOKUP_ARP:
    case ACTION_LOOKUP_ARP_IP: case ACTION_LOOKUP_ND:
    case ACTION_LOOKUP_ND_IP: case ACTION_GET_FDB: case ACTION_LOOKUP_FDB:
        for (size_t i = 0; i < a->neigh.n_args; i++) {
            mask_action_field(ctx, &a->neigh.args[i]);
        }
        break;
    case ACTION_CHECK_IN_PORT_SEC: case ACTION_CHECK_OUT_PORT_SEC:
        pl_port_sec_mask(ctx, pkt, a->type == ACTION_CHECK_IN_PORT_SEC,
                         &ctx->res->mask);
        break;
    case ACTION_ARP: case ACTION_ND_NS: case ACTION_REJECT:
        mask_generator_reads(ctx, a);
        break;
    case ACTION_CT_DNAT: case ACTION_CT_SNAT: case ACTION_CT_DNAT_IN_CZONE:
    case ACTION_CT_SNAT_IN_CZONE: case ACTION_CT_LB: case ACTION_CT_LB_MARK:
        mask_field(ctx, SYMTAB_F_IP_PROTO);
        mask_nat_writes(ctx, a);
        break;
    default:
        break;
    }
}

bool
pl_exec_action(struct pl_ctx *ctx, struct pl_pkt *pkt,
               const struct action *a, const struct pl_flow *flow,
               struct pipeline_trace_node *tnode,
               struct pipeline_trace_node *super)
{
    mask_action_reads(ctx, pkt, a);
    switch (a->type) {
    case ACTION_LOAD: case ACTION_MOVE: case ACTION_EXCHANGE:
    case ACTION_PUSH: case ACTION_POP: case ACTION_DEC_TTL:
        return exec_field_action(ctx, pkt, a, flow, tnode);
    case ACTION_CT_NEXT: case ACTION_CT_DNAT: case ACTION_CT_SNAT:
    case ACTION_CT_DNAT_IN_CZONE: case ACTION_CT_SNAT_IN_CZONE:
    case ACTION_CT_LB: case ACTION_CT_LB_MARK: case ACTION_CT_CLEAR:
    case ACTION_CT_COMMIT: case ACTION_CT_COMMIT_V1:
    case ACTION_CT_COMMIT_NAT: case ACTION_CT_SNAT_TO_VIP:
        return exec_conntrack(ctx, pkt, a, flow, super);
    case ACTION_CLONE: case ACTION_ARP: case ACTION_ND_NS:
    case ACTION_ND_NA: case ACTION_ND_NA_ROUTER: case ACTION_ICMP4:
    case ACTION_ICMP4_ERROR: case ACTION_ICMP6: case ACTION_ICMP6_ERROR:
    case ACTION_TCP_RESET: case ACTION_SCTP_ABORT: case ACTION_REJECT:
        return exec_generator(ctx, pkt, a, flow, super);
    case ACTION_GET_ARP: case ACTION_GET_ND: case ACTION_LOOKUP_ARP:
    case ACTION_LOOKUP_ARP_IP: case ACTION_LOOKUP_ND:
    case ACTION_LOOKUP_ND_IP: case ACTION_GET_FDB: case ACTION_LOOKUP_FDB:
    case ACTION_PUT_DHCPV4_OPTS: case ACTION_PUT_DHCPV6_OPTS:
    case ACTION_PUT_ND_RA_OPTS: case ACTION_CHECK_IN_PORT_SEC:
    case ACTION_CHECK_OUT_PORT_SEC: case ACTION_CHK_LB_HAIRPIN:
    case ACTION_CHK_LB_HAIRPIN_REPLY: case ACTION_DNS_LOOKUP:
    case ACTION_CHK_ECMP_NH_MAC: case ACTION_CHK_ECMP_NH:
    case ACTION_CHK_LB_AFF: case ACTION_CHECK_PKT_LARGER:
        exec_service(ctx, pkt, a, tnode);
        return false;
    case ACTION_SELECT:
        exec_select(ctx, pkt, a, flow, super);
        return true;
    default:
        /* Logging, meters, queues, learning (put_arp, put_fdb...),
         * events: nothing the packet's fate depends on. */
        return false;
    }
}
