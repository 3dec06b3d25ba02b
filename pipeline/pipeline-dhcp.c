/* pipeline-dhcp: the replies of put_dhcp_opts and put_dhcpv6_opts, built
 * from the request in the packet's payload (lib/dhcp.h for the wire
 * formats).
 *
 * Which request gets which reply (docs/dhcp-facts.md has the why):
 *
 *   DHCPv4 (put_dhcp_opts), request op BOOTREQUEST, Ethernet chaddr:
 *     DHCPDISCOVER -> DHCPOFFER, yiaddr = offerip.
 *     DHCPREQUEST  -> DHCPACK, yiaddr = offerip, if the requested address
 *                     (option 50, else ciaddr) is offerip; else DHCPNAK.
 *     DHCPINFORM   -> DHCPACK without yiaddr, lease_time, T1 and T2.
 *     anything else (RELEASE, DECLINE, replies, not DHCP) -> no reply,
 *                     result 0, packet unchanged.
 *   The reply's options are message type, then the action's options in
 *   their order, except the pseudo-options offerip (yiaddr), next_server
 *   (siaddr) and bootfile_name_alt (replaces bootfile_name for an iPXE
 *   client, option 77 "iPXE").  ip4.dst becomes where RFC 2131 §4.1 sends
 *   the reply: broadcast for a NAK or a request with the broadcast flag,
 *   ciaddr if set, else yiaddr.
 *
 *   DHCPv6 (put_dhcpv6_opts):
 *     SOLICIT -> ADVERTISE; REQUEST, CONFIRM, RENEW, REBIND,
 *     INFORMATION-REQUEST -> REPLY; others -> no reply, result 0.
 *   The reply carries server_id (a DUID-LL of the server_id MAC), the
 *   client's client id, an IA_NA with the client's IAID and ia_addr (when
 *   both the request has an IA_NA and the action an ia_addr; lifetimes
 *   infinite), dns_server and domain_search. */
#include "pipeline/pipeline-execute.h"

#include <string.h>

#include "dhcp.h"
#include "ds.h"
#include "util.h"

/* Pseudo-options of OVN's DHCPv4 table that are not sent as options. */
#define OPT_OFFERIP 0
#define OPT_NEXT_SERVER 253
#define OPT_BOOTFILE_ALT 254

static void
put_be(struct ds *out, uint64_t v, size_t n)
{
    for (size_t i = n; i-- > 0;) {
        ds_put_char(out, (char) ((v >> (8 * i)) & 0xff));
    }
}

static unsigned int
prefix_len(const struct lex_token *t)
{
    if (t->type != LEX_T_MASKED_INTEGER) {
        return 32;
    }
    return __builtin_popcountll(t->mask.lo & 0xffffffffu);
}

/* RFC 3442: for each {prefix, router} pair, the prefix length, the
 * significant octets of the prefix and the router. */
static void
encode_routes(const struct action_constant_set *cs, struct ds *out)
{
    for (size_t i = 0; i + 1 < cs->n_values; i += 2) {
        unsigned int plen = prefix_len(&cs->values[i]);
        uint32_t net = cs->values[i].value.lo;
        ds_put_char(out, (char) plen);
        for (unsigned int k = 0; k < (plen + 7) / 8; k++) {
            ds_put_char(out, (char) (net >> (24 - 8 * k)));
        }
        put_be(out, cs->values[i + 1].value.lo, 4);
    }
}

/* A domain list string in DNS label format. */
static bool
encode_domains(const struct action_constant_set *cs, struct ds *out)
{
    if (!cs->n_values || cs->values[0].type != LEX_T_STRING) {
        return false;
    }
    char *error = dhcp_encode_domains(cs->values[0].s, out);
    free(error);
    return !error;
}

/* Appends the value of option 'o' in its wire format.  Returns false if
 * it cannot be encoded (a value of the wrong kind). */
static bool
encode_value(const struct action_opt *o, struct ds *out)
{
    const struct action_constant_set *cs = &o->value;
    const struct lex_token *t = cs->n_values ? &cs->values[0] : NULL;
    if (!t) {
        return false;
    }
    bool is_str = t->type == LEX_T_STRING;
    switch (o->option->type) {
    case ACTIONS_OPT_BOOL: case ACTIONS_OPT_UINT8:
        return !is_str && (put_be(out, t->value.lo, 1), true);
    case ACTIONS_OPT_UINT16:
        return !is_str && (put_be(out, t->value.lo, 2), true);
    case ACTIONS_OPT_UINT32:
        return !is_str && (put_be(out, t->value.lo, 4), true);
    case ACTIONS_OPT_IPV4:
        for (size_t i = 0; i < cs->n_values; i++) {
            if (cs->values[i].type == LEX_T_STRING) {
                return false;
            }
            put_be(out, cs->values[i].value.lo, 4);
        }
        return true;
    case ACTIONS_OPT_STATIC_ROUTES:
        encode_routes(cs, out);
        return true;
    case ACTIONS_OPT_STR:
        return is_str && (ds_put_cstr(out, t->s), true);
    case ACTIONS_OPT_HOST_ID:
        if (is_str) {
            ds_put_cstr(out, t->s);
        } else {
            uint32_t ip = t->value.lo;
            ds_put_format(out, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff,
                          (ip >> 8) & 0xff, ip & 0xff);
        }
        return true;
    case ACTIONS_OPT_DOMAINS:
        return encode_domains(cs, out);
    case ACTIONS_OPT_IPV6:
        for (size_t i = 0; i < cs->n_values; i++) {
            put_be(out, cs->values[i].value.hi, 8);
            put_be(out, cs->values[i].value.lo, 8);
        }
        return true;
    case ACTIONS_OPT_MAC:
        return !is_str && (put_be(out, t->value.lo, 6), true);
    default:
        return false;
    }
}

static const struct action_opt *
find_opt(const struct action *a, unsigned int code)
{
    for (size_t i = 0; i < a->opts.n_opts; i++) {
        if (a->opts.opts[i].option->code == code) {
            return &a->opts.opts[i];
        }
    }
    return NULL;
}

static uint32_t
opt_ip4(const struct action *a, unsigned int code)
{
    const struct action_opt *o = find_opt(a, code);
    return (o && o->value.n_values && o->value.values[0].type
            != LEX_T_STRING ? (uint32_t) o->value.values[0].value.lo : 0);
}

static bool
is_ipxe(const struct dhcp_msg *req)
{
    const struct dhcp_option *o = dhcp_msg_find(req, DHCP_OPT_USER_CLASS);
    return o && o->len == 4 && !memcmp(o->data, "iPXE", 4);
}

/* Decides the reply type to 'req' for offer 'offerip'; 0 for none, with
 * the reason in 'note'. */
static int
v4_reply_type(const struct dhcp_msg *req, uint32_t offerip, struct ds *note)
{
    if (req->op != DHCP_OP_REQUEST || req->htype != 1 || req->hlen != 6) {
        ds_put_cstr(note, "not a BOOTREQUEST from an Ethernet client");
        return 0;
    }
    int type = dhcp_msg_type(req);
    const struct dhcp_option *o;
    switch (type) {
    case DHCP_MSG_DISCOVER:
        return DHCP_MSG_OFFER;
    case DHCP_MSG_REQUEST:
        o = dhcp_msg_find(req, DHCP_OPT_REQUESTED_IP);
        uint32_t want = (o && o->len == 4
                         ? (uint32_t) o->data[0] << 24 | o->data[1] << 16
                           | o->data[2] << 8 | o->data[3]
                         : req->ciaddr);
        return want == offerip ? DHCP_MSG_ACK : DHCP_MSG_NAK;
    case DHCP_MSG_INFORM:
        return DHCP_MSG_ACK;
    default:
        ds_put_format(note, "%s is not answered",
                      type ? dhcp_msg_type_name(type)
                      : "a BOOTP request without a DHCP message type");
        return 0;
    }
}

/* Should option 'o' go into a reply of 'type' to 'req'? */
static bool
v4_sends_option(const struct action_opt *o, const struct dhcp_msg *req,
                int req_type, int type, bool has_alt)
{
    unsigned int code = o->option->code;
    if (code == OPT_OFFERIP || code == OPT_NEXT_SERVER
        || code == OPT_BOOTFILE_ALT) {
        return false;
    }
    if (type == DHCP_MSG_NAK) {
        return code == DHCP_OPT_SERVER_ID;
    }
    if (req_type == DHCP_MSG_INFORM
        && (code == DHCP_OPT_LEASE_TIME || code == DHCP_OPT_T1
            || code == DHCP_OPT_T2)) {
        return false;
    }
    return !(code == DHCP_OPT_BOOTFILE_NAME && has_alt && is_ipxe(req));
}

static void
v4_put_options(const struct action *a, const struct dhcp_msg *req,
               int req_type, int type, struct ds *out)
{
    uint8_t t = type;
    dhcp_put_option(out, DHCP_OPT_MSG_TYPE, &t, 1);
    const struct action_opt *alt = find_opt(a, OPT_BOOTFILE_ALT);
    for (size_t i = 0; i < a->opts.n_opts; i++) {
        const struct action_opt *o = &a->opts.opts[i];
        if (!v4_sends_option(o, req, req_type, type, alt != NULL)) {
            continue;
        }
        struct ds v = DS_EMPTY_INITIALIZER;
        if (encode_value(o, &v)) {
            dhcp_put_option(out, o->option->code, v.string, v.length);
        }
        ds_destroy(&v);
    }
    if (alt && type != DHCP_MSG_NAK && is_ipxe(req)) {
        struct ds v = DS_EMPTY_INITIALIZER;
        if (encode_value(alt, &v)) {
            dhcp_put_option(out, DHCP_OPT_BOOTFILE_NAME, v.string, v.length);
        }
        ds_destroy(&v);
    }
    dhcp_put_end(out);
}

bool
pl_dhcp_reply(struct pl_pkt *pkt, const struct action *a, struct ds *note)
{
    struct dhcp_msg req;
    char *error = dhcp_parse(pkt->payload, pkt->payload_len, &req);
    if (error) {
        ds_put_format(note, "not a DHCP request: %s", error);
        free(error);
        return false;
    }
    uint32_t offerip = opt_ip4(a, OPT_OFFERIP);
    int req_type = dhcp_msg_type(&req);
    int type = v4_reply_type(&req, offerip, note);
    if (!type) {
        dhcp_msg_destroy(&req);
        return false;
    }
    struct dhcp_msg rep = {
        .op = DHCP_OP_REPLY, .htype = req.htype, .hlen = req.hlen,
        .xid = req.xid, .flags = req.flags, .giaddr = req.giaddr,
        .ciaddr = type == DHCP_MSG_ACK ? req.ciaddr : 0,
        .yiaddr = (type == DHCP_MSG_NAK || req_type == DHCP_MSG_INFORM
                   ? 0 : offerip),
        .siaddr = type == DHCP_MSG_NAK ? 0 : opt_ip4(a, OPT_NEXT_SERVER),
    };
    memcpy(rep.chaddr, req.chaddr, sizeof rep.chaddr);
    struct ds out = DS_EMPTY_INITIALIZER;
    dhcp_put_header(&out, &rep);
    v4_put_options(a, &req, req_type, type, &out);

    uint32_t dst = (type == DHCP_MSG_NAK || req.flags & DHCP_FLAG_BROADCAST
                    ? 0xffffffff : req.ciaddr ? req.ciaddr : rep.yiaddr);
    pl_set(pkt, SYMTAB_F_IP4_DST, u128_from_u64(dst));
    ds_put_format(note, "%s: replied with a %s of %zu bytes",
                  dhcp_msg_type_name(req_type), dhcp_msg_type_name(type),
                  out.length);
    free(pkt->payload);
    pkt->payload_len = out.length;
    pkt->payload = (uint8_t *) ds_steal_cstr(&out);
    dhcp_msg_destroy(&req);
    return true;
}

/* --- DHCPv6 -------------------------------------------------------- */

static int
v6_reply_type(const struct dhcp6_msg *req, struct ds *note)
{
    switch (req->type) {
    case DHCP6_MSG_SOLICIT:
        return DHCP6_MSG_ADVERTISE;
    case DHCP6_MSG_REQUEST: case DHCP6_MSG_CONFIRM: case DHCP6_MSG_RENEW:
    case DHCP6_MSG_REBIND: case DHCP6_MSG_INFORMATION_REQUEST:
        return DHCP6_MSG_REPLY;
    default:
        ds_put_format(note, "%s is not answered",
                      dhcp6_msg_type_name(req->type));
        return 0;
    }
}

static void
v6_put_ia_na(const struct dhcp6_msg *req, const struct action_opt *addr,
             struct ds *out)
{
    struct ds ia = DS_EMPTY_INITIALIZER, iaaddr = DS_EMPTY_INITIALIZER;
    encode_value(addr, &iaaddr);
    put_be(&iaaddr, 0xffffffff, 4);         /* Preferred lifetime. */
    put_be(&iaaddr, 0xffffffff, 4);         /* Valid lifetime. */
    put_be(&ia, req->iaid, 4);
    put_be(&ia, 0, 4);                      /* T1: the client decides. */
    put_be(&ia, 0, 4);                      /* T2. */
    dhcp6_put_option(&ia, DHCP6_OPT_IAADDR, iaaddr.string, iaaddr.length);
    dhcp6_put_option(out, DHCP6_OPT_IA_NA, ia.string, ia.length);
    ds_destroy(&ia);
    ds_destroy(&iaaddr);
}

static void
v6_put_options(const struct action *a, const struct dhcp6_msg *req,
               const struct dhcp6_option *client_id, struct ds *out)
{
    const struct action_opt *sid = find_opt(a, DHCP6_OPT_SERVER_ID);
    if (sid) {
        struct ds duid = DS_EMPTY_INITIALIZER;
        put_be(&duid, 3, 2);                /* DUID-LL. */
        put_be(&duid, 1, 2);                /* Ethernet. */
        encode_value(sid, &duid);
        dhcp6_put_option(out, DHCP6_OPT_SERVER_ID, duid.string, duid.length);
        ds_destroy(&duid);
    }
    if (client_id) {
        dhcp6_put_option(out, DHCP6_OPT_CLIENT_ID, client_id->data,
                         client_id->len);
    }
    const struct action_opt *addr = find_opt(a, DHCP6_OPT_IAADDR);
    if (addr && req->has_ia_na) {
        v6_put_ia_na(req, addr, out);
    }
    for (size_t i = 0; i < a->opts.n_opts; i++) {
        const struct action_opt *o = &a->opts.opts[i];
        unsigned int code = o->option->code;
        if (code == DHCP6_OPT_DNS_SERVERS || code == DHCP6_OPT_DOMAIN_LIST) {
            struct ds v = DS_EMPTY_INITIALIZER;
            bool ok = (code == DHCP6_OPT_DNS_SERVERS ? encode_value(o, &v)
                       : encode_domains(&o->value, &v));
            if (ok && v.length <= UINT16_MAX) {
                dhcp6_put_option(out, code, v.string, v.length);
            }
            ds_destroy(&v);
        }
    }
}

bool
pl_dhcp6_reply(struct pl_pkt *pkt, const struct action *a, struct ds *note)
{
    struct dhcp6_msg req;
    char *error = dhcp6_parse(pkt->payload, pkt->payload_len, &req);
    if (error) {
        ds_put_format(note, "not a DHCPv6 request: %s", error);
        free(error);
        return false;
    }
    int type = v6_reply_type(&req, note);
    if (!type) {
        return false;
    }
    const struct dhcp6_option *client_id = dhcp6_msg_find(
        &req, DHCP6_OPT_CLIENT_ID);
    if (!client_id && req.type != DHCP6_MSG_INFORMATION_REQUEST) {
        ds_put_format(note, "%s without a client identifier",
                      dhcp6_msg_type_name(req.type));
        return false;
    }
    struct ds out = DS_EMPTY_INITIALIZER;
    dhcp6_put_header(&out, type, req.xid);
    v6_put_options(a, &req, client_id, &out);
    ds_put_format(note, "%s: replied with %s %s of %zu bytes",
                  dhcp6_msg_type_name(req.type),
                  type == DHCP6_MSG_REPLY ? "a" : "an",
                  dhcp6_msg_type_name(type), out.length);
    /* 'req' points into the payload: free it last. */
    free(pkt->payload);
    pkt->payload_len = out.length;
    pkt->payload = (uint8_t *) ds_steal_cstr(&out);
    return true;
}
