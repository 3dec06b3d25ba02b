/* pipeline-maskcheck: is a result's field mask safe for a flow cache?
 *
 * The datapath caches a result under the packet's header bits that the
 * mask covers, and applies it to every later packet that agrees on
 * them: the same outputs, each with the header fields the pipelines
 * changed set to their final values and every other field passed through
 * as it came.  So flipping any header bits outside the mask must give the
 * same result in those terms.  pipeline_check_mask() tries it: each such
 * bit alone, all of them at once, and random subsets, each run compared
 * with the original as the cache would apply it.  A packet generated on
 * the way (arp, icmp4, put_dhcp_opts...) must leave by the same port
 * through the same actions, but its fields are not compared: the cache
 * sends such packets to the slow path (or the native responder) that
 * builds each one, as OVN's controller actions do.  A test aid
 * (weft-trace --check-mask, tests/interop/test_trace_mask.py). */
#include "pipeline/pipeline.h"

#include <inttypes.h>
#include <string.h>

#include "ds.h"
#include "util.h"

/* The header fields a datapath flow key holds (not the logical
 * metadata, which starts empty for every packet, nor ct state, which is
 * the caller's to key on). */
static const enum symtab_field key_fields[] = {
    SYMTAB_F_PKT_MARK, SYMTAB_F_ETH_SRC, SYMTAB_F_ETH_DST,
    SYMTAB_F_ETH_TYPE, SYMTAB_F_VLAN_TCI, SYMTAB_F_IP_PROTO,
    SYMTAB_F_IP_DSCP, SYMTAB_F_IP_ECN, SYMTAB_F_IP_TTL, SYMTAB_F_IP_FRAG,
    SYMTAB_F_IP4_SRC, SYMTAB_F_IP4_DST, SYMTAB_F_IP6_SRC, SYMTAB_F_IP6_DST,
    SYMTAB_F_IP6_LABEL, SYMTAB_F_ARP_OP, SYMTAB_F_ARP_SPA, SYMTAB_F_ARP_TPA,
    SYMTAB_F_ARP_SHA, SYMTAB_F_ARP_THA, SYMTAB_F_TP_SRC, SYMTAB_F_TP_DST,
    SYMTAB_F_TCP_FLAGS, SYMTAB_F_ICMP_TYPE, SYMTAB_F_ICMP_CODE,
    SYMTAB_F_ND_TARGET, SYMTAB_F_ND_SLL, SYMTAB_F_ND_TLL,
};

static struct u128
free_bits(const struct symtab_flow *mask, enum symtab_field f)
{
    return u128_andnot(u128_low_mask(symtab_field_width(f)),
                       mask->fields[f]);
}

unsigned int
pipeline_mask_n_bits(const struct symtab_flow *mask)
{
    unsigned int n = 0;
    for (size_t i = 0; i < ARRAY_SIZE(key_fields); i++) {
        enum symtab_field f = key_fields[i];
        n += u128_popcount(u128_and(mask->fields[f],
                                    u128_low_mask(symtab_field_width(f))));
    }
    return n;
}

void
pipeline_mask_format(const struct symtab_flow *mask, struct ds *s)
{
    for (size_t i = 0; i < ARRAY_SIZE(key_fields); i++) {
        enum symtab_field f = key_fields[i];
        unsigned int n = u128_popcount(u128_and(
            mask->fields[f], u128_low_mask(symtab_field_width(f))));
        if (n) {
            ds_put_format(s, "%s%s/%u", s->length ? " " : "",
                          symtab_field_name(f), n);
        }
    }
}

static bool
same_str(const char *a, const char *b)
{
    return !a || !b ? a == b : !strcmp(a, b);
}

/* Compares output 'o2' (of the flipped packet 'in2') with what the cache
 * would make of output 'o' (of 'in'). */
static bool
same_output(const struct symtab_flow *in, const struct pipeline_output *o,
            const struct symtab_flow *in2, const struct pipeline_output *o2,
            struct ds *why)
{
    if (strcmp(o->port, o2->port) || o->n_via != o2->n_via
        || o->n_payload_actions != o2->n_payload_actions) {
        ds_put_format(why, "output to %s became %s", o->port, o2->port);
        return false;
    }
    for (size_t i = 0; i < o->n_via; i++) {
        if (strcmp(o->via[i], o2->via[i])) {
            ds_put_format(why, "output via %s became %s", o->via[i],
                          o2->via[i]);
            return false;
        }
    }
    if (o->n_via) {
        /* A generated packet (arp, icmp4, put_dhcp_opts...) is built by
         * the slow path or the native responder for each packet, as
         * OVN's controller actions are: the cache only sends there. */
        return true;
    }
    for (size_t i = 0; i < ARRAY_SIZE(key_fields); i++) {
        enum symtab_field f = key_fields[i];
        bool changed = !u128_equals(o->flow.fields[f], in->fields[f]);
        struct u128 want = changed ? o->flow.fields[f] : in2->fields[f];
        if (!u128_equals(want, o2->flow.fields[f])) {
            ds_put_format(why, "output to %s: %s is %016"PRIx64"%016"PRIx64
                          " instead of %016"PRIx64"%016"PRIx64, o->port,
                          symtab_field_name(f), o2->flow.fields[f].hi,
                          o2->flow.fields[f].lo, want.hi, want.lo);
            return false;
        }
    }
    return true;
}

static bool
same_result(const struct symtab_flow *in, const struct pipeline_result *r,
            const struct symtab_flow *in2, const struct pipeline_result *r2,
            struct ds *why)
{
    if (r->n_outputs != r2->n_outputs || r->n_drops != r2->n_drops
        || r->truncated != r2->truncated) {
        ds_put_format(why, "%zu outputs, %zu drops became %zu, %zu",
                      r->n_outputs, r->n_drops, r2->n_outputs, r2->n_drops);
        return false;
    }
    for (size_t i = 0; i < r->n_outputs; i++) {
        if (!same_output(in, &r->outputs[i], in2, &r2->outputs[i], why)) {
            return false;
        }
    }
    for (size_t i = 0; i < r->n_drops; i++) {
        const struct pipeline_drop *d = &r->drops[i], *d2 = &r2->drops[i];
        if (d->dp_key != d2->dp_key || d->pipeline != d2->pipeline
            || d->table != d2->table
            || !same_str(d->flow_uuid, d2->flow_uuid)) {
            ds_put_format(why, "drop in table %u became table %u",
                          d->table, d2->table);
            return false;
        }
    }
    return true;
}

/* Runs 'in' with the bits 'flip' (per key field) flipped; returns true if
 * the result is the same as 'res', else describes the difference. */
static bool
try_flip(const struct pipeline *pl, const struct pipeline_run_params *params,
         uint32_t dp_key, const struct symtab_flow *in,
         const struct pipeline_result *res, const struct u128 *flip,
         struct ds *report)
{
    struct symtab_flow in2;
    symtab_flow_clone(&in2, in);
    for (size_t i = 0; i < ARRAY_SIZE(key_fields); i++) {
        enum symtab_field f = key_fields[i];
        in2.fields[f] = u128_xor(in2.fields[f], flip[i]);
    }
    struct pipeline_run_params p = *params;
    p.trace = false;
    struct pipeline_result r2;
    pipeline_run(pl, &p, dp_key, &in2, &r2);
    struct ds why = DS_EMPTY_INITIALIZER;
    bool ok = same_result(in, res, &in2, &r2, &why);
    if (!ok) {
        ds_put_cstr(report, "unsafe mask: flipping");
        for (size_t i = 0; i < ARRAY_SIZE(key_fields); i++) {
            if (!u128_is_zero(flip[i])) {
                ds_put_format(report, " %s^%016"PRIx64"%016"PRIx64,
                              symtab_field_name(key_fields[i]),
                              flip[i].hi, flip[i].lo);
            }
        }
        ds_put_format(report, ": %s\n", ds_cstr(&why));
    }
    ds_destroy(&why);
    pipeline_result_destroy(&r2);
    symtab_flow_destroy(&in2);
    return ok;
}

/* A small deterministic generator for the random subsets. */
static uint64_t
next_random(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

size_t
pipeline_check_mask(const struct pipeline *pl,
                    const struct pipeline_run_params *params,
                    uint32_t dp_key, const struct symtab_flow *packet,
                    const struct pipeline_result *res, struct ds *report,
                    size_t *n_runs)
{
    enum { N = ARRAY_SIZE(key_fields) };
    struct u128 flip[N], all[N];
    size_t n_bad = 0;
    *n_runs = 0;

    memset(flip, 0, sizeof flip);
    for (size_t i = 0; i < N; i++) {
        all[i] = free_bits(&res->mask, key_fields[i]);
        unsigned int width = symtab_field_width(key_fields[i]);
        for (unsigned int b = 0; b < width; b++) {
            if (u128_get_bit(all[i], b)) {
                flip[i] = u128_bit(b);
                n_bad += !try_flip(pl, params, dp_key, packet, res, flip,
                                   report);
                ++*n_runs;
                flip[i] = u128_zero();
            }
        }
    }
    n_bad += !try_flip(pl, params, dp_key, packet, res, all, report);
    ++*n_runs;
    uint64_t state = 0x9e3779b97f4a7c15ULL;
    for (int k = 0; k < 16; k++) {
        for (size_t i = 0; i < N; i++) {
            struct u128 r = u128_make(next_random(&state),
                                      next_random(&state));
            flip[i] = u128_and(all[i], r);
        }
        n_bad += !try_flip(pl, params, dp_key, packet, res, flip, report);
        ++*n_runs;
    }
    return n_bad;
}
