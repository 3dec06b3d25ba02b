/* pipeline-ra: the Router Advertisement of put_nd_ra_opts(), built from a
 * Router Solicitation byte for byte as OVN 23.03's ovn-controller builds
 * it (observed: docs/ra-facts.md).
 *
 *   The packet must be ICMPv6 type 133 code 0 (the flow's icmp6.type and
 *   icmp6.code).  Its payload is the ICMPv6 body after the checksum
 *   (reserved + options); no payload is an RS without options.  The
 *   solicitation's options are not looked at.  Anything else: result 0,
 *   packet unchanged.
 *
 *   The RA: icmp6.type becomes 134 (code 0) and the payload its body:
 *     cur hop limit 255; flags M (dhcpv6_stateful) or O
 *     (dhcpv6_stateless), none for slaac, with the router preference
 *     (HIGH 01, LOW 11, else 00) in bits 4-3; router lifetime 65535;
 *     reachable time 0; retrans timer 0.
 *   Then one option per operand of the action, in the action's order:
 *     slla        source link-layer address (type 1);
 *     mtu         MTU (type 5);
 *     prefix      prefix information (type 3): L for every mode, A also
 *                 unless dhcpv6_stateful; valid and preferred lifetimes
 *                 0xffffffff;
 *     rdnss       RDNSS (type 25), lifetime 0xffffffff;
 *     dnssl       DNSSL (type 31), lifetime 0xffffffff, the string split
 *                 at commas (blanks kept) and at dots into labels,
 *                 uncompressed, zero-padded to 8 bytes;
 *     route_info  one route information option (type 24) per
 *                 "PRF-PREFIX/LEN" entry: the preference in the flags,
 *                 lifetime 0xffffffff, the prefix masked to LEN and cut
 *                 to 0, 8 or 16 bytes (length 1, 2 or 3).
 *   addr_mode and router_preference only set flags. */
#include "pipeline/pipeline-execute.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "ds.h"
#include "util.h"

#define RA_LIFETIME_INF 0xffffffffu

static const struct lex_token *
opt_value(const struct action_opt *o, size_t i)
{
    return i < o->value.n_values ? &o->value.values[i] : NULL;
}

static const char *
opt_string(const struct action_opt *o)
{
    const struct lex_token *t = opt_value(o, 0);
    return t && t->type == LEX_T_STRING ? t->s : NULL;
}

static unsigned int
prf_bits(const char *s)
{
    return (!s ? 0 : !strcmp(s, "HIGH") ? 1 : !strcmp(s, "LOW") ? 3 : 0);
}

/* Appends "{PRF}-{PREFIX}/{LEN}" 'entry' as a route information option;
 * a malformed entry is left out. */
static void
put_route_info(const char *entry, struct ds *out)
{
    const char *dash = strchr(entry, '-');
    const char *slash = dash ? strchr(dash, '/') : NULL;
    if (!slash || slash - dash - 1 >= INET6_ADDRSTRLEN) {
        return;
    }
    char prf[8] = "", addr[INET6_ADDRSTRLEN];
    memcpy(addr, dash + 1, slash - dash - 1);
    addr[slash - dash - 1] = '\0';
    if (dash - entry < (ptrdiff_t) sizeof prf) {
        memcpy(prf, entry, dash - entry);
        prf[dash - entry] = '\0';
    }
    char *end;
    long plen = strtol(slash + 1, &end, 10);
    uint8_t a[16];
    if (*end || end == slash + 1 || plen < 0 || plen > 128
        || inet_pton(AF_INET6, addr, a) != 1) {
        return;
    }
    for (int i = 0; i < 16; i++) {
        int bits = (int) plen - 8 * i;
        a[i] &= bits >= 8 ? 0xff : bits <= 0 ? 0 : 0xff << (8 - bits);
    }
    size_t n_bytes = plen == 0 ? 0 : plen <= 64 ? 8 : 16;
    ds_put_be(out, 24, 1);
    ds_put_be(out, 1 + n_bytes / 8, 1);
    ds_put_be(out, plen, 1);
    ds_put_be(out, prf_bits(prf) << 3, 1);
    ds_put_be(out, RA_LIFETIME_INF, 4);
    ds_put_buffer(out, (const char *) a, n_bytes);
}

static void
put_route_infos(const char *s, struct ds *out)
{
    char *copy = xstrdup(s), *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        put_route_info(tok, out);
    }
    free(copy);
}

/* DNSSL: each comma-separated name as labels, uncompressed. */
static void
put_dnssl(const char *s, struct ds *out)
{
    size_t start = out->length;
    ds_put_be(out, 31, 1);
    ds_put_be(out, 0, 1);                  /* Length, below. */
    ds_put_be(out, 0, 2);
    ds_put_be(out, RA_LIFETIME_INF, 4);
    char *copy = xstrdup(s), *save = NULL;
    for (char *name = strtok_r(copy, ",", &save); name;
         name = strtok_r(NULL, ",", &save)) {
        char *lsave = NULL;
        for (char *label = strtok_r(name, ".", &lsave); label;
             label = strtok_r(NULL, ".", &lsave)) {
            size_t n = MIN(strlen(label), 63);
            ds_put_be(out, n, 1);
            ds_put_buffer(out, label, n);
        }
        ds_put_be(out, 0, 1);
    }
    free(copy);
    while ((out->length - start) % 8) {
        ds_put_be(out, 0, 1);
    }
    size_t units = (out->length - start) / 8;
    if (units > 255) {
        out->length = start;            /* Too long for one option. */
        out->string[start] = '\0';
        return;
    }
    out->string[start + 1] = (char) units;
}

static void
put_prefix(const struct lex_token *t, bool autonomous, struct ds *out)
{
    unsigned int plen = (t->type == LEX_T_MASKED_INTEGER
                         ? u128_popcount(t->mask) : 128);
    ds_put_be(out, 3, 1);
    ds_put_be(out, 4, 1);
    ds_put_be(out, plen, 1);
    ds_put_be(out, autonomous ? 0xc0 : 0x80, 1);
    ds_put_be(out, RA_LIFETIME_INF, 4);    /* Valid lifetime. */
    ds_put_be(out, RA_LIFETIME_INF, 4);    /* Preferred lifetime. */
    ds_put_be(out, 0, 4);
    pl_put_u128(out, t->value);
}

/* One option of the action 'o' ('mode' is addr_mode's value). */
static void
put_option(const struct action_opt *o, const char *mode, struct ds *out)
{
    const char *name = o->option->name;
    const char *s = opt_string(o);
    const struct lex_token *t = opt_value(o, 0);
    bool is_int = t && (t->type == LEX_T_INTEGER
                        || t->type == LEX_T_MASKED_INTEGER);
    if (!strcmp(name, "slla") && is_int) {
        ds_put_be(out, 1, 1);
        ds_put_be(out, 1, 1);
        ds_put_be(out, t->value.lo, 6);
    } else if (!strcmp(name, "mtu") && is_int) {
        ds_put_be(out, 5, 1);
        ds_put_be(out, 1, 1);
        ds_put_be(out, 0, 2);
        ds_put_be(out, t->value.lo, 4);
    } else if (!strcmp(name, "prefix")) {
        bool autonomous = !mode || strcmp(mode, "dhcpv6_stateful");
        for (size_t i = 0; (t = opt_value(o, i)) != NULL; i++) {
            put_prefix(t, autonomous, out);
        }
    } else if (!strcmp(name, "rdnss") && is_int) {
        size_t n = o->value.n_values;
        ds_put_be(out, 25, 1);
        ds_put_be(out, 1 + 2 * n, 1);
        ds_put_be(out, 0, 2);
        ds_put_be(out, RA_LIFETIME_INF, 4);
        for (size_t i = 0; i < n; i++) {
            pl_put_u128(out, o->value.values[i].value);
        }
    } else if (!strcmp(name, "dnssl") && s) {
        put_dnssl(s, out);
    } else if (!strcmp(name, "route_info") && s) {
        put_route_infos(s, out);
    }
}

static const char *
find_string_opt(const struct action *a, const char *name)
{
    for (size_t i = 0; i < a->opts.n_opts; i++) {
        if (!strcmp(a->opts.opts[i].option->name, name)) {
            return opt_string(&a->opts.opts[i]);
        }
    }
    return NULL;
}

bool
pl_ra_reply(struct pl_pkt *pkt, const struct action *a, struct ds *note)
{
    const struct u128 *f = pkt->flow.fields;
    if (f[SYMTAB_F_ETH_TYPE].lo != 0x86dd || f[SYMTAB_F_IP_PROTO].lo != 58
        || f[SYMTAB_F_ICMP_TYPE].lo != 133 || f[SYMTAB_F_ICMP_CODE].lo) {
        ds_put_cstr(note, "not an ICMPv6 Router Solicitation");
        return false;
    } else if (pkt->payload && pkt->payload_len < 4) {
        ds_put_format(note, "truncated Router Solicitation (%zu bytes)",
                      pkt->payload_len);
        return false;
    }
    const char *mode = find_string_opt(a, "addr_mode");
    unsigned int flags = (mode && !strcmp(mode, "dhcpv6_stateful") ? 0x80
                          : mode && !strcmp(mode, "dhcpv6_stateless")
                          ? 0x40 : 0);
    flags |= prf_bits(find_string_opt(a, "router_preference")) << 3;

    struct ds out = DS_EMPTY_INITIALIZER;
    ds_put_be(&out, 255, 1);                   /* Cur hop limit. */
    ds_put_be(&out, flags, 1);
    ds_put_be(&out, 0xffff, 2);                /* Router lifetime. */
    ds_put_be(&out, 0, 4);                     /* Reachable time. */
    ds_put_be(&out, 0, 4);                     /* Retrans timer. */
    for (size_t i = 0; i < a->opts.n_opts; i++) {
        put_option(&a->opts.opts[i], mode, &out);
    }
    ds_put_format(note, "Router Solicitation: replied with a Router "
                  "Advertisement of %zu bytes", 4 + out.length);
    free(pkt->payload);
    pkt->payload_len = out.length;
    pkt->payload = (uint8_t *) ds_steal_cstr(&out);
    pl_set(pkt, SYMTAB_F_ICMP_TYPE, u128_from_u64(134));
    pl_set(pkt, SYMTAB_F_ICMP_CODE, u128_zero());
    return true;
}
