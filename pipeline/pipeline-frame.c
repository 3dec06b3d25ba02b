/* pipeline-frame: the bytes of a packet that left the pipelines with a
 * payload, ready for the wire.  See pipeline_output_frame() in
 * pipeline.h.
 *
 *     Ethernet  dst(6) src(6) [0x8100 TCI(2)] type(2)
 *     IPv4      0x45, DSCP/ECN, total length, id 0, flags/offset 0, TTL,
 *               17, header checksum, src, dst
 *     IPv6      version 6 | traffic class | flow label, payload length,
 *               17, hop limit, src, dst
 *     UDP       src port, dst port, length, checksum (over the pseudo
 *               header; 0 is sent as 0xffff)
 *     ICMPv6    (IPv6 only, next header 58) type, code, checksum (over
 *               the pseudo header), then the payload: the body after
 *               the checksum (a Router Advertisement's hop limit...)
 *
 * Fields come from the output's final headers (symtab numbering). */
#include "pipeline/pipeline-execute.h"

#include <errno.h>
#include <string.h>

#include "ds.h"
#include "util.h"

void
pl_put_u128(struct ds *out, struct u128 v)
{
    ds_put_be(out, v.hi, 8);
    ds_put_be(out, v.lo, 8);
}

/* The ones' complement sum of 'n' bytes at 'p', added to 'sum'. */
static uint32_t
csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2) {
        sum += (uint32_t) p[i] << 8 | p[i + 1];
    }
    if (n & 1) {
        sum += (uint32_t) p[n - 1] << 8;
    }
    return sum;
}

static uint16_t
csum_finish(uint32_t sum)
{
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return ~sum & 0xffff;
}

static void
set_be16(struct ds *s, size_t ofs, uint16_t v)
{
    s->string[ofs] = (char) (v >> 8);
    s->string[ofs + 1] = (char) (v & 0xff);
}

int
pipeline_output_frame(const struct pipeline_output *o, struct ds *frame)
{
    const struct u128 *f = o->flow.fields;
    uint16_t eth_type = f[SYMTAB_F_ETH_TYPE].lo;
    bool v6 = eth_type == 0x86dd;
    uint8_t proto = f[SYMTAB_F_IP_PROTO].lo;
    bool icmp6 = v6 && proto == 58;
    if (!o->payload || (proto != 17 && !icmp6)
        || (eth_type != 0x0800 && !v6)
        || o->payload_len > 65535 - 8 - (v6 ? 0 : 20)) {
        return EINVAL;
    }
    ds_put_be(frame, f[SYMTAB_F_ETH_DST].lo, 6);
    ds_put_be(frame, f[SYMTAB_F_ETH_SRC].lo, 6);
    uint16_t tci = f[SYMTAB_F_VLAN_TCI].lo;
    if (tci & 0x1000) {
        ds_put_be(frame, 0x8100, 2);
        ds_put_be(frame, tci & ~0x1000, 2);
    }
    ds_put_be(frame, eth_type, 2);

    size_t udp_len = (icmp6 ? 4 : 8) + o->payload_len;
    uint8_t tos = (f[SYMTAB_F_IP_DSCP].lo << 2) | f[SYMTAB_F_IP_ECN].lo;
    uint32_t pseudo = 0;
    size_t ip_ofs = frame->length;
    if (v6) {
        ds_put_be(frame, 6u << 28 | (uint32_t) tos << 20
               | (f[SYMTAB_F_IP6_LABEL].lo & 0xfffff), 4);
        ds_put_be(frame, udp_len, 2);
        ds_put_be(frame, proto, 1);
        ds_put_be(frame, f[SYMTAB_F_IP_TTL].lo, 1);
        pl_put_u128(frame, f[SYMTAB_F_IP6_SRC]);
        pl_put_u128(frame, f[SYMTAB_F_IP6_DST]);
        pseudo = csum_add(0, (const uint8_t *) frame->string + ip_ofs + 8,
                          32);
    } else {
        ds_put_be(frame, 0x45, 1);
        ds_put_be(frame, tos, 1);
        ds_put_be(frame, 20 + udp_len, 2);
        ds_put_be(frame, 0, 4);                /* Id, flags, offset. */
        ds_put_be(frame, f[SYMTAB_F_IP_TTL].lo, 1);
        ds_put_be(frame, 17, 1);
        ds_put_be(frame, 0, 2);                /* Checksum, below. */
        ds_put_be(frame, f[SYMTAB_F_IP4_SRC].lo, 4);
        ds_put_be(frame, f[SYMTAB_F_IP4_DST].lo, 4);
        const uint8_t *ip = (const uint8_t *) frame->string + ip_ofs;
        set_be16(frame, ip_ofs + 10, csum_finish(csum_add(0, ip, 20)));
        pseudo = csum_add(0, ip + 12, 8);
    }
    pseudo += proto + udp_len;

    size_t udp_ofs = frame->length;
    if (icmp6) {
        ds_put_be(frame, f[SYMTAB_F_ICMP_TYPE].lo, 1);
        ds_put_be(frame, f[SYMTAB_F_ICMP_CODE].lo, 1);
    } else {
        ds_put_be(frame, f[SYMTAB_F_TP_SRC].lo, 2);
        ds_put_be(frame, f[SYMTAB_F_TP_DST].lo, 2);
        ds_put_be(frame, udp_len, 2);
    }
    ds_put_be(frame, 0, 2);
    ds_put_buffer(frame, (const char *) o->payload, o->payload_len);
    uint16_t csum = csum_finish(csum_add(
        pseudo, (const uint8_t *) frame->string + udp_ofs, udp_len));
    size_t csum_ofs = udp_ofs + (icmp6 ? 2 : 6);
    set_be16(frame, csum_ofs, csum || icmp6 ? csum : 0xffff);
    return 0;
}
