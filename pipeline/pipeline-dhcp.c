/* pipeline-dhcp: the replies of put_dhcp_opts and put_dhcpv6_opts, built
 * from the request in the packet's payload (lib/dhcp.h for the wire
 * formats) byte for byte as OVN 23.03's ovn-controller builds them
 * (observed: docs/dhcp-facts.md), except that the UDP checksum, which
 * ovn-controller leaves 0 for IPv4, is computed by whoever makes the frame.
 *
 *   DHCPv4 (put_dhcp_opts), request op BOOTREQUEST with a magic cookie:
 *     DHCPDISCOVER -> DHCPOFFER, yiaddr = offerip, siaddr = next_server.
 *     DHCPREQUEST  -> DHCPACK as the offer, if the requested address
 *                     (option 50, else ciaddr) is offerip; else DHCPNAK
 *                     (yiaddr 0, only the message type option).
 *     DHCPINFORM   -> DHCPACK with yiaddr and siaddr 0, without netmask,
 *                     lease_time, T1 and T2.
 *     anything else (RELEASE, DECLINE, replies, no message type, not
 *                     DHCP) -> no reply, result 0, packet unchanged.
 *   The reply is the request's header (xid, flags, ciaddr, giaddr,
 *   chaddr, sname, file, hops, secs) with op 2 and the addresses above,
 *   then the options (v4_put_options()).  ip4.dst becomes 255.255.255.255
 *   if the request has the broadcast flag, else offerip.
 *
 *   DHCPv6 (put_dhcpv6_opts), a request with a client identifier and,
 *   unless an INFORMATION-REQUEST, an IA_NA:
 *     SOLICIT -> ADVERTISE; REQUEST, CONFIRM, DECLINE, INFORMATION-REQUEST
 *     -> REPLY; others (RENEW, REBIND, RELEASE...) -> no reply, result 0.
 *   The reply has the request's transaction id, its client identifier,
 *   then the action's options in order (v6_put_option()). */
#include "pipeline/pipeline-execute.h"

#include <string.h>

#include "dhcp.h"
#include "ds.h"
#include "util.h"

/* Pseudo-options of OVN's DHCPv4 table that are not sent as options. */
#define OPT_OFFERIP 0
#define OPT_NEXT_SERVER 253
#define OPT_BOOTFILE_ALT 254

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
        ds_put_be(out, cs->values[i + 1].value.lo, 4);
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
        return !is_str && (ds_put_be(out, t->value.lo, 1), true);
    case ACTIONS_OPT_UINT16:
        return !is_str && (ds_put_be(out, t->value.lo, 2), true);
    case ACTIONS_OPT_UINT32:
        return !is_str && (ds_put_be(out, t->value.lo, 4), true);
    case ACTIONS_OPT_IPV4:
        for (size_t i = 0; i < cs->n_values; i++) {
            if (cs->values[i].type == LEX_T_STRING) {
                return false;
            }
            ds_put_be(out, cs->values[i].value.lo, 4);
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
            ds_put_be(out, cs->values[i].value.hi, 8);
            ds_put_be(out, cs->values[i].value.lo, 8);
        }
        return true;
    case ACTIONS_OPT_MAC:
        return !is_str && (ds_put_be(out, t->value.lo, 6), true);
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

/* Decides the reply type to 'req' for offer 'offerip'; 0 for none, with
 * the reason in 'note'. */
static int
v4_reply_type(const struct dhcp_msg *req, uint32_t offerip, struct ds *note)
{
    if (req->op != DHCP_OP_REQUEST) {
        ds_put_cstr(note, "not a BOOTREQUEST");
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

static void
put_encoded(struct ds *out, unsigned int code, const struct action_opt *o)
{
    struct ds v = DS_EMPTY_INITIALIZER;
    if (encode_value(o, &v)) {
        dhcp_put_option(out, code, v.string, v.length);
    }
    ds_destroy(&v);
}

/* Is option 'code' left out of the reply to a DHCPINFORM (which has no
 * lease)? */
static bool
inform_omits(unsigned int code)
{
    return (code == DHCP_OPT_NETMASK || code == DHCP_OPT_LEASE_TIME
            || code == DHCP_OPT_T1 || code == DHCP_OPT_T2);
}

/* The options of a reply of 'type' (to a request of 'req_type'), as OVN
 * 23.03 lays them out: message type; unless a NAK, the boot file
 * (bootfile_name_alt if given, else bootfile_name) and next_server, then
 * the other options in the action's order; 4 zero bytes, the end option
 * and 4 more zero bytes. */
static void
v4_put_options(const struct action *a, int req_type, int type,
               struct ds *out)
{
    uint8_t t = type;
    dhcp_put_option(out, DHCP_OPT_MSG_TYPE, &t, 1);
    if (type != DHCP_MSG_NAK) {
        const struct action_opt *boot = find_opt(a, OPT_BOOTFILE_ALT);
        boot = boot ? boot : find_opt(a, DHCP_OPT_BOOTFILE_NAME);
        if (boot) {
            put_encoded(out, DHCP_OPT_BOOTFILE_NAME, boot);
        }
        const struct action_opt *next = find_opt(a, OPT_NEXT_SERVER);
        if (next) {
            put_encoded(out, OPT_NEXT_SERVER, next);
        }
        for (size_t i = 0; i < a->opts.n_opts; i++) {
            const struct action_opt *o = &a->opts.opts[i];
            unsigned int code = o->option->code;
            if (code != OPT_OFFERIP && code != OPT_NEXT_SERVER
                && code != OPT_BOOTFILE_ALT && code != DHCP_OPT_BOOTFILE_NAME
                && !(req_type == DHCP_MSG_INFORM && inform_omits(code))) {
                put_encoded(out, code, o);
            }
        }
    }
    ds_put_buffer(out, "\0\0\0\0", 4);
    dhcp_put_end(out);
    ds_put_buffer(out, "\0\0\0\0", 4);
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
    /* The request's header, with the addresses of the answer. */
    bool no_lease = type == DHCP_MSG_NAK || req_type == DHCP_MSG_INFORM;
    struct dhcp_msg rep = req;
    rep.op = DHCP_OP_REPLY;
    rep.yiaddr = no_lease ? 0 : offerip;
    rep.siaddr = no_lease ? 0 : opt_ip4(a, OPT_NEXT_SERVER);
    struct ds out = DS_EMPTY_INITIALIZER;
    dhcp_put_header(&out, &rep);
    v4_put_options(a, req_type, type, &out);

    uint32_t dst = req.flags & DHCP_FLAG_BROADCAST ? 0xffffffff : offerip;
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
    case DHCP6_MSG_REQUEST: case DHCP6_MSG_CONFIRM: case DHCP6_MSG_DECLINE:
    case DHCP6_MSG_INFORMATION_REQUEST:
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
    ds_put_be(&iaaddr, 0xffffffff, 4);         /* Preferred lifetime. */
    ds_put_be(&iaaddr, 0xffffffff, 4);         /* Valid lifetime. */
    ds_put_be(&ia, req->iaid, 4);
    ds_put_be(&ia, 0xffffffff, 4);             /* T1. */
    ds_put_be(&ia, 0xffffffff, 4);             /* T2. */
    dhcp6_put_option(&ia, DHCP6_OPT_IAADDR, iaaddr.string, iaaddr.length);
    dhcp6_put_option(out, DHCP6_OPT_IA_NA, ia.string, ia.length);
    ds_destroy(&ia);
    ds_destroy(&iaaddr);
}

/* One option of put_dhcpv6_opts: ia_addr (as an IA_NA, if the request
 * has one), server_id (a DUID-LL), dns_server, and domain_search, which
 * OVN 23.03 sends as one label holding the whole string. */
static void
v6_put_option(const struct dhcp6_msg *req, const struct action_opt *o,
              struct ds *out)
{
    unsigned int code = o->option->code;
    struct ds v = DS_EMPTY_INITIALIZER;
    bool ok = true;
    if (code == DHCP6_OPT_IAADDR) {
        if (req->has_ia_na) {
            v6_put_ia_na(req, o, out);
        }
        ok = false;
    } else if (code == DHCP6_OPT_SERVER_ID) {
        ds_put_be(&v, 3, 2);                   /* DUID-LL. */
        ds_put_be(&v, 1, 2);                   /* Ethernet. */
        ok = encode_value(o, &v);
    } else if (code == DHCP6_OPT_DOMAIN_LIST) {
        const struct lex_token *t = (o->value.n_values
                                     ? &o->value.values[0] : NULL);
        ok = t && t->type == LEX_T_STRING && strlen(t->s) < 256;
        if (ok) {
            ds_put_char(&v, (char) strlen(t->s));
            ds_put_cstr(&v, t->s);
            ds_put_char(&v, '\0');
        }
    } else {
        ok = encode_value(o, &v);
    }
    if (ok && v.length <= UINT16_MAX) {
        dhcp6_put_option(out, code, v.string, v.length);
    }
    ds_destroy(&v);
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
    if (!client_id) {
        ds_put_format(note, "%s without a client identifier",
                      dhcp6_msg_type_name(req.type));
        return false;
    } else if (!req.has_ia_na && req.type != DHCP6_MSG_INFORMATION_REQUEST) {
        ds_put_format(note, "%s without an IA_NA",
                      dhcp6_msg_type_name(req.type));
        return false;
    }
    struct ds out = DS_EMPTY_INITIALIZER;
    dhcp6_put_header(&out, type, req.xid);
    dhcp6_put_option(&out, DHCP6_OPT_CLIENT_ID, client_id->data,
                     client_id->len);
    for (size_t i = 0; i < a->opts.n_opts; i++) {
        v6_put_option(&req, &a->opts.opts[i], &out);
    }
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
