/* dhcp: DHCPv4 and DHCPv6 messages.  See dhcp.h. */
#include "dhcp.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>

#include "ds.h"
#include "packets.h"
#include "util.h"

/* --- Bounds-checked reading ---------------------------------------- */

/* A cursor over 'len' bytes: every read checks the bytes are there. */
struct dhcp_reader {
    const uint8_t *data;
    size_t len;
    size_t ofs;
};

static bool
reader_has(const struct dhcp_reader *r, size_t n)
{
    return r->len - r->ofs >= n;
}

static uint32_t
get_be(const uint8_t *p, size_t n)
{
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

/* --- DHCPv4: parsing ----------------------------------------------- */

static void
copy_name(char *dst, const uint8_t *src, size_t n)
{
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void
parse_fixed(const uint8_t *p, struct dhcp_msg *msg)
{
    msg->op = p[0];
    msg->htype = p[1];
    msg->hlen = p[2];
    msg->hops = p[3];
    msg->xid = get_be(p + 4, 4);
    msg->secs = get_be(p + 8, 2);
    msg->flags = get_be(p + 10, 2);
    msg->ciaddr = get_be(p + 12, 4);
    msg->yiaddr = get_be(p + 16, 4);
    msg->siaddr = get_be(p + 20, 4);
    msg->giaddr = get_be(p + 24, 4);
    memcpy(msg->chaddr, p + 28, 16);
    copy_name(msg->sname, p + 44, 64);
    copy_name(msg->file, p + 108, 128);
}

static struct dhcp_option *
find_mutable(struct dhcp_msg *msg, uint8_t code)
{
    for (size_t i = 0; i < msg->n_options; i++) {
        if (msg->options[i].code == code) {
            return &msg->options[i];
        }
    }
    return NULL;
}

/* Appends 'len' bytes at 'src' to the value of option 'code' in 'msg',
 * whose option values are being laid out in 'buf' (at most as big as the
 * option area, so it never overflows).  Instances of one code are made
 * contiguous by moving the later options' values up. */
static void
add_option(struct dhcp_msg *msg, uint8_t *buf, size_t *used, uint8_t code,
           const uint8_t *src, size_t len)
{
    struct dhcp_option *o = find_mutable(msg, code);
    if (!o) {
        o = &msg->options[msg->n_options++];
        o->code = code;
        o->len = 0;
        o->data = buf + *used;
    }
    size_t end = (o->data - buf) + o->len;
    memmove(buf + end + len, buf + end, *used - end);
    memcpy(buf + end, src, len);
    for (size_t i = 0; i < msg->n_options; i++) {
        if (&msg->options[i] != o && msg->options[i].data >= buf + end) {
            msg->options[i].data += len;
        }
    }
    o->len += len;
    *used += len;
}

static char *
parse_options(struct dhcp_reader *r, struct dhcp_msg *msg)
{
    size_t area = r->len - r->ofs;
    /* At most one option per two bytes, and 256 distinct codes. */
    msg->options = xcalloc(256, sizeof *msg->options);
    msg->opt_buf = xmalloc(area ? area : 1);
    size_t used = 0;
    while (reader_has(r, 1)) {
        uint8_t code = r->data[r->ofs++];
        if (code == DHCP_OPT_PAD) {
            continue;
        } else if (code == DHCP_OPT_END) {
            return NULL;
        }
        if (!reader_has(r, 1)) {
            return xasprintf("option %u has no length", code);
        }
        size_t len = r->data[r->ofs++];
        if (!reader_has(r, len)) {
            return xasprintf("option %u (length %zu) overruns the message "
                             "(%zu bytes left)", code, len, r->len - r->ofs);
        }
        add_option(msg, msg->opt_buf, &used, code, r->data + r->ofs, len);
        r->ofs += len;
    }
    return NULL;
}

char *
dhcp_parse(const void *data, size_t len, struct dhcp_msg *msg)
{
    memset(msg, 0, sizeof *msg);
    if (!data || len < DHCP_HEADER_LEN) {
        return xasprintf("truncated BOOTP header (%zu bytes, need %d)",
                         data ? len : 0, DHCP_HEADER_LEN);
    }
    const uint8_t *p = data;
    if (len < DHCP_MIN_LEN) {
        return xasprintf("no DHCP magic cookie (%zu bytes)", len);
    }
    uint32_t cookie = get_be(p + DHCP_HEADER_LEN, 4);
    if (cookie != DHCP_MAGIC_COOKIE) {
        return xasprintf("bad DHCP magic cookie 0x%08"PRIx32, cookie);
    }
    parse_fixed(p, msg);
    struct dhcp_reader r = { .data = p, .len = len, .ofs = DHCP_MIN_LEN };
    char *error = parse_options(&r, msg);
    if (error) {
        dhcp_msg_destroy(msg);
    }
    return error;
}

void
dhcp_msg_destroy(struct dhcp_msg *msg)
{
    if (msg) {
        free(msg->options);
        free(msg->opt_buf);
        memset(msg, 0, sizeof *msg);
    }
}

const struct dhcp_option *
dhcp_msg_find(const struct dhcp_msg *msg, uint8_t code)
{
    for (size_t i = 0; i < msg->n_options; i++) {
        if (msg->options[i].code == code) {
            return &msg->options[i];
        }
    }
    return NULL;
}

int
dhcp_msg_type(const struct dhcp_msg *msg)
{
    const struct dhcp_option *o = dhcp_msg_find(msg, DHCP_OPT_MSG_TYPE);
    return o && o->len == 1 ? o->data[0] : 0;
}

const char *
dhcp_msg_type_name(int type)
{
    static const char *const names[] = {
        NULL, "DHCPDISCOVER", "DHCPOFFER", "DHCPREQUEST", "DHCPDECLINE",
        "DHCPACK", "DHCPNAK", "DHCPRELEASE", "DHCPINFORM",
    };
    return (type > 0 && (size_t) type < ARRAY_SIZE(names) ? names[type]
            : "DHCP message of unknown type");
}

/* --- DHCPv4: building ---------------------------------------------- */

static void
set_be(uint8_t *p, uint32_t v, size_t n)
{
    for (size_t i = n; i-- > 0; v >>= 8) {
        p[i] = v & 0xff;
    }
}

void
dhcp_put_header(struct ds *out, const struct dhcp_msg *msg)
{
    uint8_t h[DHCP_MIN_LEN];
    memset(h, 0, sizeof h);
    h[0] = msg->op;
    h[1] = msg->htype;
    h[2] = msg->hlen;
    h[3] = msg->hops;
    set_be(h + 4, msg->xid, 4);
    set_be(h + 8, msg->secs, 2);
    set_be(h + 10, msg->flags, 2);
    set_be(h + 12, msg->ciaddr, 4);
    set_be(h + 16, msg->yiaddr, 4);
    set_be(h + 20, msg->siaddr, 4);
    set_be(h + 24, msg->giaddr, 4);
    memcpy(h + 28, msg->chaddr, 16);
    memcpy(h + 44, msg->sname, strnlen(msg->sname, 64));
    memcpy(h + 108, msg->file, strnlen(msg->file, 128));
    set_be(h + DHCP_HEADER_LEN, DHCP_MAGIC_COOKIE, 4);
    ds_put_buffer(out, (const char *) h, sizeof h);
}

void
dhcp_put_option(struct ds *out, uint8_t code, const void *data_, size_t len)
{
    const char *data = data_;
    do {
        size_t n = MIN(len, 255);
        ds_put_char(out, (char) code);
        ds_put_char(out, (char) n);
        ds_put_buffer(out, data, n);
        data += n;
        len -= n;
    } while (len);
}

void
dhcp_put_end(struct ds *out)
{
    ds_put_char(out, (char) DHCP_OPT_END);
}

/* The suffixes of the names written so far, for compression: each is
 * the text of the name from one label on and its offset in the output. */
struct domain_suffixes {
    char *text[64];
    size_t ofs[64];
    size_t n;
};

static bool
find_suffix(const struct domain_suffixes *sx, const char *text, size_t len,
            size_t *ofs)
{
    for (size_t i = 0; i < sx->n; i++) {
        if (strlen(sx->text[i]) == len && !memcmp(sx->text[i], text, len)) {
            *ofs = sx->ofs[i];
            return true;
        }
    }
    return false;
}

/* Encodes the one name between 'p' and 'end' (of the list 'all'),
 * replacing its longest suffix already written, if any, by a pointer to
 * it; 'base' is where the option's data starts in 'out'. */
static char *
encode_domain(const char *p, const char *end, const char *all,
              struct domain_suffixes *sx, size_t base, struct ds *out)
{
    while (p < end && *p == ' ') {
        p++;
    }
    while (end > p && end[-1] == ' ') {
        end--;
    }
    if (end > p && end[-1] == '.') {
        end--;
    }
    if (end == p) {
        return xasprintf("%s: empty domain name", all);
    }
    while (p < end) {
        size_t ofs;
        if (find_suffix(sx, p, end - p, &ofs)) {
            ds_put_char(out, (char) (0xc0 | ofs >> 8));
            ds_put_char(out, (char) (ofs & 0xff));
            return NULL;
        }
        const char *dot = memchr(p, '.', end - p);
        const char *label_end = dot ? dot : end;
        size_t n = label_end - p;
        if (!n || n > 63) {
            return xasprintf("%s: bad label length %zu", all, n);
        }
        if (sx->n < ARRAY_SIZE(sx->text) && out->length - base < 0x3fff) {
            sx->text[sx->n] = xmemdup0(p, end - p);
            sx->ofs[sx->n++] = out->length - base;
        }
        ds_put_char(out, (char) n);
        ds_put_buffer(out, p, n);
        p = dot ? dot + 1 : end;
    }
    ds_put_char(out, '\0');
    return NULL;
}

char *
dhcp_encode_domains(const char *domains, struct ds *out)
{
    struct domain_suffixes sx = { .n = 0 };
    size_t base = out->length;
    const char *p = domains;
    char *error;
    for (;;) {
        const char *comma = strchr(p, ',');
        const char *end = comma ? comma : p + strlen(p);
        error = encode_domain(p, end, domains, &sx, base, out);
        if (error || !comma) {
            break;
        }
        p = comma + 1;
    }
    for (size_t i = 0; i < sx.n; i++) {
        free(sx.text[i]);
    }
    return error;
}

/* --- DHCPv4: formatting -------------------------------------------- */

enum dhcp_fmt {
    F_IP, F_U8, F_U16, F_U32, F_BOOL, F_STR, F_ROUTES, F_DOMAINS, F_HEX,
};

struct dhcp_opt_name {
    uint8_t code;
    const char *name;
    enum dhcp_fmt fmt;
};

/* Names as OVN's DHCP_Options rows write them, for the summary. */
static const struct dhcp_opt_name v4_names[] = {
    { 1, "netmask", F_IP }, { 3, "router", F_IP },
    { 6, "dns_server", F_IP }, { 7, "log_server", F_IP },
    { 9, "lpr_server", F_IP }, { 12, "hostname", F_STR },
    { 15, "domain_name", F_STR }, { 16, "swap_server", F_IP },
    { 19, "ip_forward_enable", F_BOOL }, { 21, "policy_filter", F_IP },
    { 23, "default_ttl", F_U8 }, { 26, "mtu", F_U16 },
    { 28, "broadcast_address", F_IP }, { 31, "router_discovery", F_BOOL },
    { 32, "router_solicitation", F_IP }, { 35, "arp_cache_timeout", F_U32 },
    { 36, "ethernet_encap", F_BOOL }, { 37, "tcp_ttl", F_U8 },
    { 38, "tcp_keepalive_interval", F_U32 }, { 41, "nis_server", F_IP },
    { 42, "ntp_server", F_IP }, { 44, "netbios_name_server", F_IP },
    { 46, "netbios_node_type", F_U8 }, { 50, "requested_ip", F_IP },
    { 51, "lease_time", F_U32 }, { 54, "server_id", F_IP },
    { 55, "parameter_list", F_HEX }, { 61, "client_id", F_HEX },
    { 58, "T1", F_U32 }, { 59, "T2", F_U32 }, { 66, "tftp_server", F_STR },
    { 67, "bootfile_name", F_STR }, { 119, "domain_search_list", F_DOMAINS },
    { 121, "classless_static_route", F_ROUTES },
    { 150, "tftp_server_address", F_IP }, { 210, "path_prefix", F_STR },
    { 249, "ms_classless_static_route", F_ROUTES }, { 252, "wpad", F_STR },
    { 253, "next_server", F_IP },
};

static void
format_ip4(uint32_t ip, struct ds *s)
{
    ds_put_format(s, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff,
                  (ip >> 8) & 0xff, ip & 0xff);
}

static void
format_hex(const uint8_t *p, size_t n, struct ds *s)
{
    ds_put_cstr(s, "0x");
    for (size_t i = 0; i < n; i++) {
        ds_put_format(s, "%02x", p[i]);
    }
}

static void
format_string(const uint8_t *p, size_t n, struct ds *s)
{
    ds_put_char(s, '"');
    for (size_t i = 0; i < n; i++) {
        if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' && p[i] != '\\') {
            ds_put_char(s, (char) p[i]);
        } else {
            ds_put_format(s, "\\x%02x", p[i]);
        }
    }
    ds_put_char(s, '"');
}

/* RFC 3442: {prefix/plen, router, ...}.  False if malformed. */
static bool
format_routes(const uint8_t *p, size_t n, struct ds *s)
{
    size_t start = s->length;
    ds_put_char(s, '{');
    for (size_t i = 0; i < n;) {
        unsigned int plen = p[i];
        size_t octets = (plen + 7) / 8;
        if (plen > 32 || n - i < 1 + octets + 4) {
            ds_truncate(s, start);
            return false;
        }
        uint8_t net[4] = { 0, 0, 0, 0 };
        memcpy(net, p + i + 1, octets);
        ds_put_cstr(s, i ? ", " : "");
        format_ip4(get_be(net, 4), s);
        ds_put_format(s, "/%u, ", plen);
        format_ip4(get_be(p + i + 1 + octets, 4), s);
        i += 1 + octets + 4;
    }
    ds_put_char(s, '}');
    return true;
}

/* Appends the name at offset 'i' of the 'n' bytes at 'p' (RFC 1035
 * labels with compression pointers; each pointer must point before the
 * previous one, so that following them ends).  Returns the offset after
 * the name, or 0 if malformed. */
static size_t
format_name(const uint8_t *p, size_t n, size_t i, struct ds *s)
{
    size_t next = 0, limit = i;
    bool first = true;
    while (i < n) {
        size_t label = p[i++];
        if (!label) {
            return next ? next : i;
        } else if ((label & 0xc0) == 0xc0) {
            size_t target = i < n ? (label & 0x3f) << 8 | p[i] : SIZE_MAX;
            if (target >= limit) {
                return 0;
            }
            next = next ? next : i + 1;
            i = limit = target;
            continue;
        } else if (label > 63 || n - i < label) {
            return 0;
        }
        ds_put_cstr(s, first ? "" : ".");
        ds_put_buffer(s, (const char *) p + i, label);
        i += label;
        first = false;
    }
    return 0;
}

/* RFC 1035 names, RFC 3397 compression allowed.  False if malformed. */
static bool
format_domains(const uint8_t *p, size_t n, struct ds *s)
{
    size_t start = s->length;
    ds_put_char(s, '"');
    for (size_t i = 0; i < n;) {
        ds_put_cstr(s, i ? "," : "");
        i = format_name(p, n, i, s);
        if (!i) {
            ds_truncate(s, start);
            return false;
        }
    }
    ds_put_char(s, '"');
    return true;
}

static bool
format_fixed(enum dhcp_fmt fmt, const uint8_t *p, size_t n, struct ds *s)
{
    switch (fmt) {
    case F_IP:
        if (!n || n % 4) {
            return false;
        }
        ds_put_cstr(s, n > 4 ? "{" : "");
        for (size_t i = 0; i < n; i += 4) {
            ds_put_cstr(s, i ? ", " : "");
            format_ip4(get_be(p + i, 4), s);
        }
        ds_put_cstr(s, n > 4 ? "}" : "");
        return true;
    case F_U8: case F_BOOL:
        return n == 1 && (ds_put_format(s, "%u", p[0]), true);
    case F_U16:
        return n == 2 && (ds_put_format(s, "%"PRIu32, get_be(p, 2)), true);
    case F_U32:
        return n == 4 && (ds_put_format(s, "%"PRIu32, get_be(p, 4)), true);
    case F_STR:
        format_string(p, n, s);
        return true;
    case F_ROUTES:
        return format_routes(p, n, s);
    case F_DOMAINS:
        return format_domains(p, n, s);
    case F_HEX:
    default:
        return false;
    }
}

static void
format_option(const struct dhcp_option *o, struct ds *s)
{
    for (size_t i = 0; i < ARRAY_SIZE(v4_names); i++) {
        if (v4_names[i].code == o->code) {
            ds_put_format(s, "%s ", v4_names[i].name);
            if (!format_fixed(v4_names[i].fmt, o->data, o->len, s)) {
                format_hex(o->data, o->len, s);
            }
            return;
        }
    }
    ds_put_format(s, "option %u ", o->code);
    format_hex(o->data, o->len, s);
}

void
dhcp_msg_format(const struct dhcp_msg *msg, struct ds *s)
{
    int type = dhcp_msg_type(msg);
    if (type) {
        ds_put_cstr(s, dhcp_msg_type_name(type));
    } else {
        ds_put_cstr(s, msg->op == DHCP_OP_REPLY ? "BOOTREPLY" : "BOOTREQUEST");
    }
    ds_put_format(s, " xid 0x%08"PRIx32, msg->xid);
    if (msg->ciaddr) {
        ds_put_cstr(s, ", ciaddr ");
        format_ip4(msg->ciaddr, s);
    }
    if (msg->yiaddr) {
        ds_put_cstr(s, ", yiaddr ");
        format_ip4(msg->yiaddr, s);
    }
    if (msg->siaddr) {
        ds_put_cstr(s, ", siaddr ");
        format_ip4(msg->siaddr, s);
    }
    for (size_t i = 0; i < msg->n_options; i++) {
        if (msg->options[i].code != DHCP_OPT_MSG_TYPE) {
            ds_put_cstr(s, ", ");
            format_option(&msg->options[i], s);
        }
    }
}

/* --- DHCPv6 -------------------------------------------------------- */

/* Checks the options in 'len' bytes at 'p' are well formed; with 'msg',
 * also records them there. */
static char *
parse6_options(const uint8_t *p, size_t len, struct dhcp6_msg *msg,
               const char *where)
{
    struct dhcp_reader r = { .data = p, .len = len, .ofs = 0 };
    while (r.ofs < r.len) {
        if (!reader_has(&r, 4)) {
            return xasprintf("%s: truncated option header", where);
        }
        uint16_t code = get_be(p + r.ofs, 2);
        uint16_t olen = get_be(p + r.ofs + 2, 2);
        r.ofs += 4;
        if (!reader_has(&r, olen)) {
            return xasprintf("%s: option %u (length %u) overruns the message "
                             "(%zu bytes left)", where, code, olen,
                             r.len - r.ofs);
        }
        if (msg) {
            if (msg->n_options >= DHCP6_MAX_OPTIONS) {
                return xasprintf("more than %d DHCPv6 options",
                                 DHCP6_MAX_OPTIONS);
            }
            msg->options[msg->n_options++] = (struct dhcp6_option) {
                .code = code, .len = olen, .data = p + r.ofs };
        }
        r.ofs += olen;
    }
    return NULL;
}

static char *
parse6_ia_na(const struct dhcp6_option *o, struct dhcp6_msg *msg)
{
    if (o->len < 12) {
        return xasprintf("IA_NA too short (%u bytes)", o->len);
    }
    char *error = parse6_options(o->data + 12, o->len - 12, NULL, "IA_NA");
    if (error) {
        return error;
    }
    msg->has_ia_na = true;
    msg->iaid = get_be(o->data, 4);
    msg->t1 = get_be(o->data + 4, 4);
    msg->t2 = get_be(o->data + 8, 4);
    /* The sub-options were checked above: walk them for IAADDR. */
    for (size_t ofs = 12; ofs + 4 <= o->len;) {
        uint16_t code = get_be(o->data + ofs, 2);
        uint16_t len = get_be(o->data + ofs + 2, 2);
        const uint8_t *v = o->data + ofs + 4;
        if (code == DHCP6_OPT_IAADDR && !msg->has_ia_addr) {
            if (len < 24) {
                return xasprintf("IAADDR too short (%u bytes)", len);
            }
            error = parse6_options(v + 24, len - 24, NULL, "IAADDR");
            if (error) {
                return error;
            }
            msg->has_ia_addr = true;
            memcpy(msg->ia_addr.s6_addr, v, 16);
            msg->preferred_lifetime = get_be(v + 16, 4);
            msg->valid_lifetime = get_be(v + 20, 4);
        }
        ofs += 4 + len;
    }
    return NULL;
}

char *
dhcp6_parse(const void *data, size_t len, struct dhcp6_msg *msg)
{
    memset(msg, 0, sizeof *msg);
    const uint8_t *p = data;
    if (!p || len < DHCP6_HEADER_LEN) {
        return xasprintf("truncated DHCPv6 header (%zu bytes)",
                         p ? len : 0);
    }
    msg->type = p[0];
    msg->xid = get_be(p + 1, 3);
    if (msg->type == DHCP6_MSG_RELAY_FORW
        || msg->type == DHCP6_MSG_RELAY_REPL) {
        return xasprintf("DHCPv6 relay messages are not supported");
    }
    char *error = parse6_options(p + DHCP6_HEADER_LEN,
                                 len - DHCP6_HEADER_LEN, msg, "DHCPv6");
    for (size_t i = 0; !error && i < msg->n_options; i++) {
        if (msg->options[i].code == DHCP6_OPT_IA_NA && !msg->has_ia_na) {
            error = parse6_ia_na(&msg->options[i], msg);
        }
    }
    if (error) {
        memset(msg, 0, sizeof *msg);
    }
    return error;
}

const struct dhcp6_option *
dhcp6_msg_find(const struct dhcp6_msg *msg, uint16_t code)
{
    for (size_t i = 0; i < msg->n_options; i++) {
        if (msg->options[i].code == code) {
            return &msg->options[i];
        }
    }
    return NULL;
}

const char *
dhcp6_msg_type_name(int type)
{
    static const char *const names[] = {
        NULL, "SOLICIT", "ADVERTISE", "REQUEST", "CONFIRM", "RENEW",
        "REBIND", "REPLY", "RELEASE", "DECLINE", "RECONFIGURE",
        "INFORMATION-REQUEST", "RELAY-FORW", "RELAY-REPL",
    };
    return (type > 0 && (size_t) type < ARRAY_SIZE(names) ? names[type]
            : "DHCPv6 message of unknown type");
}

void
dhcp6_put_header(struct ds *out, uint8_t type, uint32_t xid)
{
    ds_put_char(out, (char) type);
    ds_put_be(out, xid & 0xffffff, 3);
}

void
dhcp6_put_option(struct ds *out, uint16_t code, const void *data,
                 size_t len)
{
    ASSERT(len <= UINT16_MAX);
    ds_put_be(out, code, 2);
    ds_put_be(out, len, 2);
    ds_put_buffer(out, data, len);
}

static void
format_ip6(const uint8_t *p, struct ds *s)
{
    struct in6_addr a;
    memcpy(a.s6_addr, p, 16);
    ip_format(&a, s);
}

/* A DUID-LL (type 3) or DUID-LLT (type 1) of an Ethernet address prints
 * as the MAC, as OVN's server_id is written; others in hex. */
static void
format_duid(const struct dhcp6_option *o, struct ds *s)
{
    const uint8_t *p = o->data;
    size_t mac_ofs = (o->len == 10 && get_be(p, 2) == 3 ? 4
                      : o->len == 14 && get_be(p, 2) == 1 ? 8 : 0);
    if (mac_ofs && get_be(p + 2, 2) == 1) {
        const uint8_t *m = p + mac_ofs;
        ds_put_format(s, "%02x:%02x:%02x:%02x:%02x:%02x",
                      m[0], m[1], m[2], m[3], m[4], m[5]);
    } else {
        format_hex(p, o->len, s);
    }
}

static void
format6_option(const struct dhcp6_option *o, struct ds *s)
{
    switch (o->code) {
    case DHCP6_OPT_CLIENT_ID:
    case DHCP6_OPT_SERVER_ID:
        ds_put_cstr(s, o->code == DHCP6_OPT_SERVER_ID ? "server_id "
                    : "client_id ");
        format_duid(o, s);
        return;
    case DHCP6_OPT_DNS_SERVERS:
        if (o->len && !(o->len % 16)) {
            ds_put_cstr(s, "dns_server ");
            ds_put_cstr(s, o->len > 16 ? "{" : "");
            for (size_t i = 0; i < o->len; i += 16) {
                ds_put_cstr(s, i ? ", " : "");
                format_ip6(o->data + i, s);
            }
            ds_put_cstr(s, o->len > 16 ? "}" : "");
            return;
        }
        break;
    case DHCP6_OPT_ELAPSED_TIME:
        if (o->len == 2) {
            ds_put_format(s, "elapsed_time %"PRIu32, get_be(o->data, 2));
            return;
        }
        break;
    case DHCP6_OPT_ORO:
        ds_put_cstr(s, "option_request ");
        format_hex(o->data, o->len, s);
        return;
    case DHCP6_OPT_DOMAIN_LIST:
        ds_put_cstr(s, "domain_search ");
        if (format_domains(o->data, o->len, s)) {
            return;
        }
        format_hex(o->data, o->len, s);
        return;
    default:
        break;
    }
    ds_put_format(s, "option %u ", o->code);
    format_hex(o->data, o->len, s);
}

void
dhcp6_msg_format(const struct dhcp6_msg *msg, struct ds *s)
{
    ds_put_format(s, "%s xid 0x%06"PRIx32, dhcp6_msg_type_name(msg->type),
                  msg->xid);
    if (msg->has_ia_addr) {
        ds_put_cstr(s, ", ia_addr ");
        format_ip6(msg->ia_addr.s6_addr, s);
        ds_put_format(s, " (iaid 0x%"PRIx32", valid %"PRIu32")", msg->iaid,
                      msg->valid_lifetime);
    } else if (msg->has_ia_na) {
        ds_put_format(s, ", ia_na (iaid 0x%"PRIx32", no address)",
                      msg->iaid);
    }
    for (size_t i = 0; i < msg->n_options; i++) {
        if (msg->options[i].code != DHCP6_OPT_IA_NA) {
            ds_put_cstr(s, ", ");
            format6_option(&msg->options[i], s);
        }
    }
}
