/* cli/trace-ra: weft-trace's Router Solicitations.  See trace-ra.h. */
#include "cli/trace-ra.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>

#include "ds.h"
#include "expr/symtab.h"
#include "util.h"

char *
trace_ra_synthesize(const struct symtab_flow *flow, struct ds *payload)
{
    const struct u128 *f = flow->fields;
    if (f[SYMTAB_F_ETH_TYPE].lo != 0x86dd || f[SYMTAB_F_IP_PROTO].lo != 58
        || f[SYMTAB_F_ICMP_TYPE].lo != 133 || f[SYMTAB_F_ICMP_CODE].lo) {
        return xstrdup("--ra: the microflow is not an ICMPv6 Router "
                       "Solicitation (add \"&& nd_rs\")");
    }
    ds_put_be(payload, 0, 4);                      /* Reserved. */
    if (f[SYMTAB_F_IP6_SRC].hi || f[SYMTAB_F_IP6_SRC].lo) {
        ds_put_be(payload, 1, 1);                  /* Source link-layer. */
        ds_put_be(payload, 1, 1);
        ds_put_be(payload, f[SYMTAB_F_ETH_SRC].lo, 6);
    }
    return NULL;
}

static uint32_t
get_be(const uint8_t *p, size_t n)
{
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        v = v << 8 | p[i];
    }
    return v;
}

static const char *
prf_name(unsigned int bits)
{
    static const char *const names[] = { "MEDIUM", "HIGH", "reserved",
                                         "LOW" };
    return names[bits & 3];
}

static void
put_addr(const uint8_t *a, struct ds *out)
{
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, a, buf, sizeof buf);
    ds_put_cstr(out, buf);
}

/* DNSSL's names, space-separated. */
static void
put_dnssl(const uint8_t *p, size_t n, struct ds *out)
{
    ds_put_cstr(out, "dnssl");
    bool start = true;
    for (size_t i = 0; i < n && i + 1 + p[i] <= n; i += 1 + p[i]) {
        if (!p[i]) {
            start = true;
            continue;
        }
        ds_put_char(out, start ? ' ' : '.');
        ds_put_buffer(out, (const char *) p + i + 1, p[i]);
        start = false;
    }
}

/* One option of 'len' bytes at 'o'. */
static void
put_option(const uint8_t *o, size_t len, struct ds *out)
{
    uint8_t a[16] = { 0 };
    ds_put_cstr(out, ", ");
    if (o[0] == 1 && len == 8) {
        ds_put_format(out, "slla %02x:%02x:%02x:%02x:%02x:%02x",
                      o[2], o[3], o[4], o[5], o[6], o[7]);
    } else if (o[0] == 5 && len == 8) {
        ds_put_format(out, "mtu %"PRIu32, get_be(o + 4, 4));
    } else if (o[0] == 3 && len == 32) {
        ds_put_cstr(out, "prefix ");
        put_addr(o + 16, out);
        ds_put_format(out, "/%u %s%s", o[2], o[3] & 0x80 ? "L" : "",
                      o[3] & 0x40 ? "A" : "");
    } else if (o[0] == 25 && len >= 24) {
        ds_put_cstr(out, "rdnss");
        for (size_t i = 8; i + 16 <= len; i += 16) {
            ds_put_char(out, ' ');
            put_addr(o + i, out);
        }
    } else if (o[0] == 31 && len >= 8) {
        put_dnssl(o + 8, len - 8, out);
    } else if (o[0] == 24 && len >= 8 && len <= 24) {
        memcpy(a, o + 8, len - 8);
        ds_put_cstr(out, "route ");
        put_addr(a, out);
        ds_put_format(out, "/%u %s", o[2], prf_name(o[3] >> 3));
    } else {
        ds_put_format(out, "option %u (%zu bytes)", o[0], len);
    }
}

char *
trace_ra_format_payload(const uint8_t *body, size_t len, struct ds *out)
{
    if (len < 12) {
        return xasprintf("truncated Router Advertisement (%zu bytes)", len);
    }
    for (size_t i = 12; i < len; i += body[i + 1] * 8) {
        if (i + 2 > len || !body[i + 1] || i + body[i + 1] * 8 > len) {
            return xasprintf("bad option at offset %zu", i + 4);
        }
    }
    uint8_t flags = body[1];
    ds_put_format(out, "Router Advertisement hop limit %u, flags %s%s%s, "
                  "prf %s, router lifetime %"PRIu32", reachable %"PRIu32
                  ", retrans %"PRIu32, body[0], flags & 0x80 ? "M" : "",
                  flags & 0x40 ? "O" : "", flags & 0xc0 ? "" : "none",
                  prf_name(flags >> 3), get_be(body + 2, 2),
                  get_be(body + 4, 4), get_be(body + 8, 4));
    for (size_t i = 12; i < len; i += body[i + 1] * 8) {
        put_option(body + i, body[i + 1] * 8, out);
    }
    return NULL;
}
