/* cli/trace-dhcp: weft-trace's DHCP requests and the replies it shows.
 * See trace-dhcp.h. */
#include "cli/trace-dhcp.h"
#include "cli/trace-dns.h"
#include "cli/trace-ra.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>

#include "dhcp.h"
#include "dns.h"
#include "ds.h"
#include "expr/symtab.h"
#include "packets.h"
#include "pipeline/pipeline.h"
#include "util.h"

/* The transaction id of every request weft-trace makes ("wft"). */
#define TRACE_DHCP_XID 0x00774674u

struct type_name {
    const char *name;
    int type;
};

static const struct type_name v4_types[] = {
    { "discover", DHCP_MSG_DISCOVER }, { "request", DHCP_MSG_REQUEST },
    { "inform", DHCP_MSG_INFORM }, { "release", DHCP_MSG_RELEASE },
    { "decline", DHCP_MSG_DECLINE },
};

static const struct type_name v6_types[] = {
    { "solicit", DHCP6_MSG_SOLICIT }, { "request", DHCP6_MSG_REQUEST },
    { "renew", DHCP6_MSG_RENEW }, { "rebind", DHCP6_MSG_REBIND },
    { "confirm", DHCP6_MSG_CONFIRM },
    { "information-request", DHCP6_MSG_INFORMATION_REQUEST },
    { "release", DHCP6_MSG_RELEASE }, { "decline", DHCP6_MSG_DECLINE },
};

static int
lookup_type(const struct type_name *types, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(types[i].name, name)) {
            return types[i].type;
        }
    }
    return 0;
}

char *
trace_dhcp_parse(const char *arg, struct trace_dhcp_req *req)
{
    char *type = req->type;
    memset(req, 0, sizeof *req);
    if (!arg || !arg[0]) {
        return NULL;
    }
    const char *colon = strchr(arg, ':');
    size_t n = colon ? (size_t) (colon - arg) : strlen(arg);
    if (n >= sizeof req->type) {
        return xasprintf("%s: unknown DHCP message type", arg);
    }
    memcpy(type, arg, n);
    type[n] = '\0';
    if (!lookup_type(v4_types, ARRAY_SIZE(v4_types), type)
        && !lookup_type(v6_types, ARRAY_SIZE(v6_types), type)) {
        char *error = xasprintf("%s: unknown DHCP message type (use "
                                "discover, request, inform, release, "
                                "decline, solicit, renew, rebind, confirm "
                                "or information-request)", type);
        type[0] = '\0';
        return error;
    }
    if (colon) {
        struct in_addr a;
        if (inet_pton(AF_INET, colon + 1, &a) != 1) {
            return xasprintf("%s: bad requested IPv4 address", colon + 1);
        }
        req->has_requested_ip = true;
        req->requested_ip = ntohl(a.s_addr);
    }
    return NULL;
}

static char *
synthesize_v4(const struct trace_dhcp_req *req, const struct symtab_flow *f,
              struct ds *out)
{
    const char *name = req->type[0] ? req->type : "discover";
    int type = lookup_type(v4_types, ARRAY_SIZE(v4_types), name);
    if (!type) {
        return xasprintf("%s: not a DHCPv4 message type", name);
    }
    uint64_t mac = f->fields[SYMTAB_F_ETH_SRC].lo;
    struct dhcp_msg m = {
        .op = DHCP_OP_REQUEST, .htype = 1, .hlen = 6,
        .xid = TRACE_DHCP_XID,
        .ciaddr = type == DHCP_MSG_DISCOVER ? 0
                  : (uint32_t) f->fields[SYMTAB_F_IP4_SRC].lo,
    };
    for (int i = 0; i < 6; i++) {
        m.chaddr[i] = mac >> (40 - 8 * i);
    }
    dhcp_put_header(out, &m);
    uint8_t t = type;
    dhcp_put_option(out, DHCP_OPT_MSG_TYPE, &t, 1);
    if (req->has_requested_ip) {
        uint8_t ip[4] = { req->requested_ip >> 24, req->requested_ip >> 16,
                          req->requested_ip >> 8, req->requested_ip };
        dhcp_put_option(out, DHCP_OPT_REQUESTED_IP, ip, 4);
    }
    static const uint8_t params[] = { 1, 3, 6, 15, 26, 51, 54, 58, 59, 121 };
    dhcp_put_option(out, DHCP_OPT_PARAM_LIST, params, sizeof params);
    dhcp_put_end(out);
    return NULL;
}

static char *
synthesize_v6(const struct trace_dhcp_req *req, const struct symtab_flow *f,
              struct ds *out)
{
    const char *name = req->type[0] ? req->type : "solicit";
    int type = lookup_type(v6_types, ARRAY_SIZE(v6_types), name);
    if (!type) {
        return xasprintf("%s: not a DHCPv6 message type", name);
    } else if (req->has_requested_ip) {
        return xasprintf("a requested IPv4 address makes no sense for "
                         "DHCPv6");
    }
    dhcp6_put_header(out, type, TRACE_DHCP_XID);
    struct ds v = DS_EMPTY_INITIALIZER;
    ds_put_be(&v, 3, 2);                       /* DUID-LL, Ethernet. */
    ds_put_be(&v, 1, 2);
    ds_put_be(&v, f->fields[SYMTAB_F_ETH_SRC].lo, 6);
    dhcp6_put_option(out, DHCP6_OPT_CLIENT_ID, v.string, v.length);
    ds_clear(&v);
    ds_put_be(&v, 0, 2);
    dhcp6_put_option(out, DHCP6_OPT_ELAPSED_TIME, v.string, v.length);
    if (type != DHCP6_MSG_INFORMATION_REQUEST) {
        ds_clear(&v);
        ds_put_be(&v, 1, 4);                   /* IAID. */
        ds_put_be(&v, 0, 8);                   /* T1, T2. */
        dhcp6_put_option(out, DHCP6_OPT_IA_NA, v.string, v.length);
    }
    ds_clear(&v);
    ds_put_be(&v, DHCP6_OPT_DNS_SERVERS, 2);
    ds_put_be(&v, DHCP6_OPT_DOMAIN_LIST, 2);
    dhcp6_put_option(out, DHCP6_OPT_ORO, v.string, v.length);
    ds_destroy(&v);
    return NULL;
}

char *
trace_dhcp_synthesize(const struct trace_dhcp_req *req,
                      const struct symtab_flow *flow, struct ds *payload)
{
    bool v6 = flow->fields[SYMTAB_F_ETH_TYPE].lo == 0x86dd;
    return (v6 ? synthesize_v6(req, flow, payload)
            : synthesize_v4(req, flow, payload));
}

static int
hex_digit(int c)
{
    return (isdigit(c) ? c - '0'
            : isxdigit(c) ? tolower(c) - 'a' + 10 : -1);
}

char *
trace_dhcp_parse_hex(const char *hex, struct ds *payload)
{
    const char *p = hex;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        p += 2;
    }
    while (*p) {
        if (*p == ' ' || *p == ':') {
            p++;
            continue;
        }
        int hi = hex_digit((unsigned char) p[0]);
        int lo = hi < 0 ? -1 : hex_digit((unsigned char) p[1]);
        if (lo < 0) {
            return xasprintf("--payload: bad hex byte at offset %zu",
                             (size_t) (p - hex));
        }
        ds_put_char(payload, (char) (hi << 4 | lo));
        p += 2;
    }
    return NULL;
}

/* Decodes 'o''s payload by its UDP ports. */
static void
format_payload(const struct pipeline_output *o, struct ds *out)
{
    unsigned int sport = o->flow.fields[SYMTAB_F_TP_SRC].lo;
    unsigned int dport = o->flow.fields[SYMTAB_F_TP_DST].lo;
    bool udp = o->flow.fields[SYMTAB_F_IP_PROTO].lo == 17;
    char *error = NULL;
    if (udp && (sport == DHCP_SERVER_PORT || dport == DHCP_SERVER_PORT)) {
        struct dhcp_msg m;
        error = dhcp_parse(o->payload, o->payload_len, &m);
        if (!error) {
            dhcp_msg_format(&m, out);
            dhcp_msg_destroy(&m);
            return;
        }
    } else if (udp && (sport == DHCP6_SERVER_PORT
                       || dport == DHCP6_SERVER_PORT)) {
        struct dhcp6_msg m;
        error = dhcp6_parse(o->payload, o->payload_len, &m);
        if (!error) {
            dhcp6_msg_format(&m, out);
            return;
        }
    } else if (o->flow.fields[SYMTAB_F_IP_PROTO].lo == 58
               && o->flow.fields[SYMTAB_F_ICMP_TYPE].lo == 134) {
        error = trace_ra_format_payload(o->payload, o->payload_len, out);
        if (!error) {
            return;
        }
    } else if (udp && (sport == DNS_PORT || dport == DNS_PORT)) {
        error = trace_dns_format_payload(o->payload, o->payload_len, out);
        if (!error) {
            return;
        }
    }
    ds_put_format(out, "payload of %zu bytes", o->payload_len);
    if (error) {
        ds_put_format(out, " (%s)", error);
        free(error);
    }
}

void
trace_dhcp_format_outputs(const struct pipeline_result *res, bool frame_hex,
                          struct ds *out)
{
    for (size_t i = 0; i < res->n_outputs; i++) {
        const struct pipeline_output *o = &res->outputs[i];
        if (!o->payload) {
            continue;
        }
        ds_put_format(out, "\n/* output(\"%s\") carries ", o->port);
        format_payload(o, out);
        ds_put_cstr(out, ". */\n");
        struct ds frame = DS_EMPTY_INITIALIZER;
        if (frame_hex && !pipeline_output_frame(o, &frame)) {
            ds_put_format(out, "# frame \"%s\": ", o->port);
            for (size_t k = 0; k < frame.length; k++) {
                ds_put_format(out, "%02x", (uint8_t) frame.string[k]);
            }
            ds_put_char(out, '\n');
        }
        ds_destroy(&frame);
    }
}
