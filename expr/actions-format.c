/* actions-format: printing parsed actions in OVN's canonical form, the
 * form in which ovn-trace echoes them.  See actions.h.
 *
 * Deliberate differences, so that every parsed list reads back:
 *   - OVN prints the strings of log(), fwd_group(), bind_vport() and
 *     ct_lb's hash_fields between quotes without escaping them, so that a
 *     name with a '"' or '\\' does not read back; weft escapes them (which
 *     changes nothing for any other string).
 *   - OVN prints set_meter()'s rate and burst as signed 64-bit integers,
 *     so that a rate of 2**63 kbps or more prints as a negative number;
 *     weft prints them unsigned.
 *   - OVN prints a masked ct_commit(ct_mark=0/1) with a decimal 0 before a
 *     hexadecimal mask, which its lexer rejects; weft prints "0x0/0x1".
 *   - OVN prints a fwd_group without child ports as "fwd_group();" or
 *     'fwd_group(liveness="true", );', neither of which parses; weft adds
 *     "childports=". */
#include <inttypes.h>
#include <string.h>

#include "ds.h"
#include "expr/actions-private.h"
#include "json.h"
#include "util.h"

static const char *const action_names[ACTION_N_TYPES] = {
    [ACTION_OUTPUT] = "output",
    [ACTION_NEXT] = "next",
    [ACTION_LOAD] = "=",
    [ACTION_MOVE] = "=",
    [ACTION_EXCHANGE] = "<->",
    [ACTION_PUSH] = "push",
    [ACTION_POP] = "pop",
    [ACTION_DEC_TTL] = "ip.ttl--",
    [ACTION_CT_NEXT] = "ct_next",
    [ACTION_CT_COMMIT] = "ct_commit",
    [ACTION_CT_COMMIT_V1] = "ct_commit",
    [ACTION_CT_DNAT] = "ct_dnat",
    [ACTION_CT_SNAT] = "ct_snat",
    [ACTION_CT_DNAT_IN_CZONE] = "ct_dnat_in_czone",
    [ACTION_CT_SNAT_IN_CZONE] = "ct_snat_in_czone",
    [ACTION_CT_COMMIT_NAT] = "ct_commit_nat",
    [ACTION_CT_LB] = "ct_lb",
    [ACTION_CT_LB_MARK] = "ct_lb_mark",
    [ACTION_CT_CLEAR] = "ct_clear",
    [ACTION_CT_SNAT_TO_VIP] = "ct_snat_to_vip",
    [ACTION_CLONE] = "clone",
    [ACTION_ARP] = "arp",
    [ACTION_ND_NS] = "nd_ns",
    [ACTION_ND_NA] = "nd_na",
    [ACTION_ND_NA_ROUTER] = "nd_na_router",
    [ACTION_ICMP4] = "icmp4",
    [ACTION_ICMP4_ERROR] = "icmp4_error",
    [ACTION_ICMP6] = "icmp6",
    [ACTION_ICMP6_ERROR] = "icmp6_error",
    [ACTION_TCP_RESET] = "tcp_reset",
    [ACTION_SCTP_ABORT] = "sctp_abort",
    [ACTION_REJECT] = "reject",
    [ACTION_GET_ARP] = "get_arp",
    [ACTION_PUT_ARP] = "put_arp",
    [ACTION_LOOKUP_ARP] = "lookup_arp",
    [ACTION_LOOKUP_ARP_IP] = "lookup_arp_ip",
    [ACTION_GET_ND] = "get_nd",
    [ACTION_PUT_ND] = "put_nd",
    [ACTION_LOOKUP_ND] = "lookup_nd",
    [ACTION_LOOKUP_ND_IP] = "lookup_nd_ip",
    [ACTION_GET_FDB] = "get_fdb",
    [ACTION_PUT_FDB] = "put_fdb",
    [ACTION_LOOKUP_FDB] = "lookup_fdb",
    [ACTION_PUT_DHCPV4_OPTS] = "put_dhcp_opts",
    [ACTION_PUT_DHCPV6_OPTS] = "put_dhcpv6_opts",
    [ACTION_PUT_ND_RA_OPTS] = "put_nd_ra_opts",
    [ACTION_TRIGGER_EVENT] = "trigger_event",
    [ACTION_DNS_LOOKUP] = "dns_lookup",
    [ACTION_HANDLE_DHCPV6_REPLY] = "handle_dhcpv6_reply",
    [ACTION_HANDLE_BFD_MSG] = "handle_bfd_msg",
    [ACTION_HANDLE_SVC_CHECK] = "handle_svc_check",
    [ACTION_BIND_VPORT] = "bind_vport",
    [ACTION_IGMP] = "igmp",
    [ACTION_LOG] = "log",
    [ACTION_CHECK_IN_PORT_SEC] = "check_in_port_sec",
    [ACTION_CHECK_OUT_PORT_SEC] = "check_out_port_sec",
    [ACTION_CHK_LB_HAIRPIN] = "chk_lb_hairpin",
    [ACTION_CHK_LB_HAIRPIN_REPLY] = "chk_lb_hairpin_reply",
    [ACTION_CHK_ECMP_NH_MAC] = "chk_ecmp_nh_mac",
    [ACTION_CHK_ECMP_NH] = "chk_ecmp_nh",
    [ACTION_CHK_LB_AFF] = "chk_lb_aff",
    [ACTION_CHECK_PKT_LARGER] = "check_pkt_larger",
    [ACTION_SET_QUEUE] = "set_queue",
    [ACTION_SET_METER] = "set_meter",
    [ACTION_SELECT] = "select",
    [ACTION_FWD_GROUP] = "fwd_group",
    [ACTION_COMMIT_ECMP_NH] = "commit_ecmp_nh",
    [ACTION_COMMIT_LB_AFF] = "commit_lb_aff",
    [ACTION_SAMPLE] = "sample",
};

const char *
action_type_name(enum action_type type)
{
    return type < ACTION_N_TYPES ? action_names[type] : "<invalid>";
}

static void
actions_put_string(const char *string, struct ds *s)
{
    json_string_escape(string, s);
}

static const char *
actions_pipeline_name(enum actions_pipeline p)
{
    return p == ACTIONS_INGRESS ? "ingress" : "egress";
}

static void
actions_format_next(const struct action *a, struct ds *s)
{
    if (a->next.pipeline != a->next.src_pipeline) {
        ds_put_format(s, "next(pipeline=%s, table=%u);",
                      actions_pipeline_name(a->next.pipeline),
                      a->next.table);
    } else if (a->next.table != a->next.src_table + 1) {
        ds_put_format(s, "next(%u);", a->next.table);
    } else {
        ds_put_cstr(s, "next;");
    }
}

/* "NAME { A; B; };", "NAME { drop; };" for an empty block. */
static void
actions_format_block(const struct action *a, struct ds *s)
{
    ds_put_format(s, "%s { ", action_type_name(a->type));
    actions_format(&a->nested, s);
    ds_put_cstr(s, " };");
}

/* A 128-bit value as OVN prints ct_mark and ct_label: "0" or "0x...". */
static void
actions_put_hex(struct u128 v, struct ds *s)
{
    if (u128_is_zero(v)) {
        ds_put_char(s, '0');
    } else {
        lex_value_format(v, LEX_F_HEXADECIMAL, s);
    }
}

static void
actions_put_masked_hex(struct u128 v, struct u128 mask, unsigned int width,
                       struct ds *s)
{
    if (u128_equals(mask, u128_low_mask(width))) {
        actions_put_hex(v, s);
    } else {
        lex_value_format(v, LEX_F_HEXADECIMAL, s);
        ds_put_char(s, '/');
        actions_put_hex(mask, s);
    }
}

static void
actions_format_ct_commit_v1(const struct action *a, struct ds *s)
{
    bool mark = a->ct1.ct_mark_mask != 0;

    ds_put_cstr(s, "ct_commit(");
    if (mark) {
        ds_put_cstr(s, "ct_mark=");
        actions_put_masked_hex(u128_from_u64(a->ct1.ct_mark),
                               u128_from_u64(a->ct1.ct_mark_mask), 32, s);
    }
    if (!u128_is_zero(a->ct1.ct_label_mask)) {
        ds_put_cstr(s, mark ? ", ct_label=" : "ct_label=");
        actions_put_masked_hex(a->ct1.ct_label, a->ct1.ct_label_mask, 128,
                               s);
    }
    ds_put_cstr(s, ");");
}

static void
actions_format_nat(const struct action *a, struct ds *s)
{
    ds_put_cstr(s, action_type_name(a->type));
    if (a->nat.ip.family) {
        ds_put_char(s, '(');
        actions_ip_format(&a->nat.ip, s);
        if (a->nat.has_ports) {
            ds_put_format(s, ",%u", a->nat.port_lo);
            if (a->nat.port_range) {
                ds_put_format(s, "-%u", a->nat.port_hi);
            }
        }
        ds_put_char(s, ')');
    }
    ds_put_char(s, ';');
}

static void
actions_format_lb(const struct action *a, struct ds *s)
{
    ds_put_cstr(s, action_type_name(a->type));
    if (!a->lb.n_backends) {
        ds_put_char(s, ';');
        return;
    }
    ds_put_cstr(s, "(backends=");
    for (size_t i = 0; i < a->lb.n_backends; i++) {
        ds_put_cstr(s, i ? "," : "");
        actions_ip_port_format(&a->lb.backends[i], false, s);
    }
    if (a->lb.hash_fields) {
        ds_put_cstr(s, "; hash_fields=");
        actions_put_string(a->lb.hash_fields, s);
    }
    if (a->lb.flag != ACTION_CT_FLAG_NONE) {
        ds_put_cstr(s, a->lb.flag == ACTION_CT_FLAG_SKIP_SNAT
                    ? "; skip_snat" : "; force_snat");
    }
    ds_put_cstr(s, ");");
}

static void
actions_format_neigh(const struct action *a, struct ds *s)
{
    if (a->neigh.dst.symbol) {
        action_field_format(&a->neigh.dst, s);
        ds_put_cstr(s, " = ");
    }
    ds_put_format(s, "%s(", action_type_name(a->type));
    for (size_t i = 0; i < a->neigh.n_args; i++) {
        ds_put_cstr(s, i ? ", " : "");
        action_field_format(&a->neigh.args[i], s);
    }
    ds_put_cstr(s, ");");
}

static void
actions_format_opts(const struct action *a, struct ds *s)
{
    if (a->type == ACTION_TRIGGER_EVENT) {
        ds_put_cstr(s, "trigger_event(event = \"empty_lb_backends\"");
    } else {
        action_field_format(&a->opts.dst, s);
        ds_put_format(s, " = %s(", action_type_name(a->type));
    }
    for (size_t i = 0; i < a->opts.n_opts; i++) {
        const struct action_opt *o = &a->opts.opts[i];
        if (i || a->type == ACTION_TRIGGER_EVENT) {
            ds_put_cstr(s, ", ");
        }
        ds_put_format(s, "%s = ", o->option->name);
        actions_constant_set_format(&o->value, s);
    }
    ds_put_cstr(s, ");");
}

static void
actions_format_log(const struct action *a, struct ds *s)
{
    ds_put_cstr(s, "log(");
    if (a->log.name) {
        ds_put_cstr(s, "name=");
        actions_put_string(a->log.name, s);
        ds_put_cstr(s, ", ");
    }
    ds_put_format(s, "verdict=%s, severity=%s",
                  action_log_verdict_name(a->log.verdict),
                  action_log_severity_name(a->log.severity));
    if (a->log.meter) {
        ds_put_cstr(s, ", meter=");
        actions_put_string(a->log.meter, s);
    }
    ds_put_cstr(s, ");");
}

static void
actions_format_select(const struct action *a, struct ds *s)
{
    action_field_format(&a->select.dst, s);
    ds_put_cstr(s, " = select(");
    for (size_t i = 0; i < a->select.n_members; i++) {
        ds_put_format(s, "%s%u=%u", i ? ", " : "", a->select.members[i].id,
                      a->select.members[i].weight);
    }
    ds_put_cstr(s, ");");
}

static void
actions_format_fwd_group(const struct action *a, struct ds *s)
{
    ds_put_cstr(s, "fwd_group(");
    if (a->fwd_group.liveness) {
        ds_put_cstr(s, "liveness=\"true\", ");
    }
    ds_put_cstr(s, "childports=");
    for (size_t i = 0; i < a->fwd_group.n_child_ports; i++) {
        ds_put_cstr(s, i ? ", " : "");
        actions_put_string(a->fwd_group.child_ports[i], s);
    }
    ds_put_cstr(s, ");");
}

static void
actions_format_lb_aff(const struct action *a, struct ds *s)
{
    ds_put_cstr(s, "commit_lb_aff(vip = \"");
    actions_ip_port_format(&a->lb_aff.vip, true, s);
    ds_put_cstr(s, "\", backend = \"");
    actions_ip_port_format(&a->lb_aff.backend, true, s);
    ds_put_format(s, "\", proto = %s, timeout = %u);",
                  action_proto_name(a->lb_aff.proto), a->lb_aff.timeout);
}

/* "R = NAME();" for the checks that store a bit. */
static void
actions_format_bit_function(const struct action *a, struct ds *s)
{
    action_field_format(&a->field, s);
    ds_put_format(s, " = %s();", action_type_name(a->type));
}

/* The actions that actions_format_misc() does not print. */
static bool
actions_format_simple(const struct action *a, struct ds *s)
{
    switch (a->type) {
    case ACTION_OUTPUT: case ACTION_CT_NEXT: case ACTION_CT_COMMIT_NAT:
    case ACTION_CT_CLEAR: case ACTION_CT_SNAT_TO_VIP: case ACTION_IGMP:
    case ACTION_HANDLE_DHCPV6_REPLY: case ACTION_DEC_TTL:
        ds_put_format(s, "%s;", action_type_name(a->type));
        return true;
    case ACTION_HANDLE_BFD_MSG:
        ds_put_cstr(s, "handle_bfd_msg();");
        return true;
    case ACTION_NEXT:
        actions_format_next(a, s);
        return true;
    case ACTION_LOAD:
        action_field_format(&a->load.dst, s);
        ds_put_cstr(s, " = ");
        lex_token_format(&a->load.value, s);
        ds_put_char(s, ';');
        return true;
    case ACTION_MOVE:
    case ACTION_EXCHANGE:
        action_field_format(&a->move.dst, s);
        ds_put_format(s, " %s ", action_type_name(a->type));
        action_field_format(&a->move.src, s);
        ds_put_char(s, ';');
        return true;
    case ACTION_PUSH: case ACTION_POP: case ACTION_HANDLE_SVC_CHECK:
        ds_put_format(s, "%s(", action_type_name(a->type));
        action_field_format(&a->field, s);
        ds_put_cstr(s, ");");
        return true;
    case ACTION_CT_COMMIT:
        if (!a->nested.n_actions) {
            ds_put_cstr(s, "ct_commit;");
            return true;
        }
        OVS_FALLTHROUGH;
    case ACTION_CLONE: case ACTION_ARP: case ACTION_ND_NS:
    case ACTION_ND_NA: case ACTION_ND_NA_ROUTER: case ACTION_ICMP4:
    case ACTION_ICMP4_ERROR: case ACTION_ICMP6: case ACTION_ICMP6_ERROR:
    case ACTION_TCP_RESET: case ACTION_SCTP_ABORT: case ACTION_REJECT:
        actions_format_block(a, s);
        return true;
    default:
        return false;
    }
}

/* Prints the actions whose arguments are numbers or a name. */
static bool
actions_format_args(const struct action *a, struct ds *s)
{
    switch (a->type) {
    case ACTION_BIND_VPORT:
        ds_put_cstr(s, "bind_vport(");
        actions_put_string(a->vport.vport, s);
        ds_put_cstr(s, ", ");
        action_field_format(&a->vport.port, s);
        ds_put_cstr(s, ");");
        return true;
    case ACTION_CHECK_PKT_LARGER:
        action_field_format(&a->pkt_larger.dst, s);
        ds_put_format(s, " = check_pkt_larger(%u);", a->pkt_larger.len);
        return true;
    case ACTION_SET_QUEUE:
        ds_put_format(s, "set_queue(%u);", a->queue_id);
        return true;
    case ACTION_SET_METER:
        ds_put_format(s, "set_meter(%"PRIu64, a->meter.rate);
        if (a->meter.burst) {
            ds_put_format(s, ", %"PRIu64, a->meter.burst);
        }
        ds_put_cstr(s, ");");
        return true;
    case ACTION_COMMIT_ECMP_NH:
        ds_put_format(s, "commit_ecmp_nh(ipv6 = %s, proto = %s);",
                      a->ecmp_nh.ipv6 ? "true" : "false",
                      action_proto_name(a->ecmp_nh.proto));
        return true;
    case ACTION_SAMPLE:
        ds_put_format(s, "sample(probability=%u,collector_set=%"PRIu32
                      ",obs_domain=%u,obs_point=%"PRIu32");",
                      a->sample.probability, a->sample.collector_set,
                      a->sample.obs_domain, a->sample.obs_point);
        return true;
    default:
        return false;
    }
}

/* Prints the actions with structured arguments. */
void
actions_format_misc(const struct action *a, struct ds *s)
{
    switch (a->type) {
    case ACTION_CT_COMMIT_V1:
        actions_format_ct_commit_v1(a, s);
        break;
    case ACTION_CT_DNAT: case ACTION_CT_SNAT:
    case ACTION_CT_DNAT_IN_CZONE: case ACTION_CT_SNAT_IN_CZONE:
        actions_format_nat(a, s);
        break;
    case ACTION_CT_LB: case ACTION_CT_LB_MARK:
        actions_format_lb(a, s);
        break;
    case ACTION_GET_ARP: case ACTION_PUT_ARP: case ACTION_LOOKUP_ARP:
    case ACTION_LOOKUP_ARP_IP: case ACTION_GET_ND: case ACTION_PUT_ND:
    case ACTION_LOOKUP_ND: case ACTION_LOOKUP_ND_IP: case ACTION_GET_FDB:
    case ACTION_PUT_FDB: case ACTION_LOOKUP_FDB:
        actions_format_neigh(a, s);
        break;
    case ACTION_PUT_DHCPV4_OPTS: case ACTION_PUT_DHCPV6_OPTS:
    case ACTION_PUT_ND_RA_OPTS: case ACTION_TRIGGER_EVENT:
        actions_format_opts(a, s);
        break;
    case ACTION_DNS_LOOKUP: case ACTION_CHECK_IN_PORT_SEC:
    case ACTION_CHECK_OUT_PORT_SEC: case ACTION_CHK_LB_HAIRPIN:
    case ACTION_CHK_LB_HAIRPIN_REPLY: case ACTION_CHK_ECMP_NH_MAC:
    case ACTION_CHK_ECMP_NH: case ACTION_CHK_LB_AFF:
        actions_format_bit_function(a, s);
        break;
    case ACTION_LOG:
        actions_format_log(a, s);
        break;
    case ACTION_SELECT:
        actions_format_select(a, s);
        break;
    case ACTION_FWD_GROUP:
        actions_format_fwd_group(a, s);
        break;
    case ACTION_COMMIT_LB_AFF:
        actions_format_lb_aff(a, s);
        break;
    default:
        if (!actions_format_args(a, s)) {
            util_abort("unknown action type %d", a->type);
        }
        break;
    }
}

void
action_format(const struct action *a, struct ds *s)
{
    if (!actions_format_simple(a, s)) {
        actions_format_misc(a, s);
    }
}

void
actions_format(const struct action_list *acts, struct ds *s)
{
    if (!acts->n_actions) {
        ds_put_cstr(s, "drop;");
        return;
    }
    for (size_t i = 0; i < acts->n_actions; i++) {
        ds_put_cstr(s, i ? " " : "");
        action_format(&acts->actions[i], s);
    }
}
