/* weft-vsctl: Auto-Attach I-SID/VLAN mappings (add-aa-mapping,
 * del-aa-mapping, get-aa-mapping), as ovs-vsctl 3.1 has them
 * (docs/vsctl-facts.md).  A fake (VLAN) bridge stands for its parent.
 * The ranges (I-SID 0 to 16777215, VLAN 0 to 4095) are left to the
 * server, whose constraint violation is the error, as with ovs-vsctl. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include "ds.h"
#include "util.h"
#include "ovsdb/client-txn.h"
#include "cli/vsctl-cache.h"
#include "cli/vsctl-private.h"
#include "ovsdb/ovsrec-idl.h"

static void
pre_aa(struct ctl_context *ctx)
{
    vsctl_cache_prerequisites(ctx);
    ctl_need_table(ctx, "AutoAttach");
}

/* Reads an I-SID or VLAN as ovs-vsctl does, like strtoull(): white space,
 * a sign, decimal digits and whatever after; too big saturates, and the
 * result is taken as signed ("-1" and "18446744073709551615" are -1).
 * Returns false after ctl_error() if there is no number. */
static bool
parse_aa_number(struct ctl_context *ctx, const char *s, long long *value)
{
    char *end;

    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s) {
        ctl_error(ctx, "Invalid argument %s", s);
        return false;
    }
    *value = (long long) v;
    return true;
}

/* The real bridge named (or whose fake bridge is named) argv[1], or NULL
 * after ctl_error(). */
static const struct ovsrec_bridge *
aa_bridge(struct ctl_context *ctx)
{
    struct vsctl_cache cache;
    const struct ovsrec_bridge *br = NULL;

    vsctl_cache_init(&cache, ctx);
    const struct vsctl_bridge *vb = vsctl_cache_find_bridge(&cache, ctx,
                                                            ctx->argv[1],
                                                            true);
    if (vb) {
        br = vsctl_bridge_real(vb);
    }
    vsctl_cache_destroy(&cache);
    return br;
}

/* For add- and del-aa-mapping: the bridge, after checking the pair
 * argv[2], argv[3] first (as ovs-vsctl does), which goes into '*pair' as a
 * one-pair map for the caller to use.  Returns NULL after ctl_error(), and
 * then '*pair' is not set. */
static const struct ovsrec_bridge *
aa_args(struct ctl_context *ctx, struct ovsdb_datum *pair)
{
    union ovsdb_atom key, value;

    if (!parse_aa_number(ctx, ctx->argv[2], &key.integer)
        || !parse_aa_number(ctx, ctx->argv[3], &value.integer)) {
        return NULL;
    }
    const struct ovsrec_bridge *br = aa_bridge(ctx);
    if (br) {
        ovsdb_datum_init_1(pair, &key, &value);
    }
    return br;
}

/* add-aa-mapping BRIDGE I-SID VLAN: adds the pair to the bridge's
 * AutoAttach row (created if need be).  An I-SID already mapped ends up
 * with the lower of its two VLANs: ovs-vsctl rewrites the whole map with
 * the pair appended, and of two pairs with one key the C IDL keeps the
 * one with the lower value (sorting pairs by key, then value). */
static void
cmd_add_aa_mapping(struct ctl_context *ctx)
{
    struct ovsdb_datum pair;
    const struct ovsrec_bridge *br = aa_args(ctx, &pair);

    if (!br) {
        return;
    }
    const struct ovsrec_autoattach *aa = br->auto_attach;
    if (!aa) {
        aa = ovsrec_autoattach_insert(ctx->txn);
        ovsrec_bridge_set_auto_attach(ctx->txn, br, aa);
    }
    const struct ovsdb_datum *m = aa->mappings;
    long long isid = pair.keys[0].integer, vlan = pair.values[0].integer;
    for (unsigned int i = 0; i < m->n; i++) {
        if (m->keys[i].integer == isid) {
            if (vlan < m->values[i].integer) {
                ovsrec_autoattach_update_mappings_setkey(ctx->txn, aa, isid,
                                                         vlan);
            }
            free(pair.keys);    /* Integers: nothing else to free. */
            free(pair.values);
            return;
        }
    }
    ovsdb_client_txn_insert_elems(ctx->txn, &aa->header_,
                                  OVSREC_AUTOATTACH_COL_MAPPINGS, &pair);
}

/* del-aa-mapping BRIDGE I-SID VLAN: removes the pair if both match; the
 * AutoAttach row stays, even empty. */
static void
cmd_del_aa_mapping(struct ctl_context *ctx)
{
    struct ovsdb_datum pair;
    const struct ovsrec_bridge *br = aa_args(ctx, &pair);

    if (!br) {
        return;
    } else if (br->auto_attach) {
        ovsdb_client_txn_delete_elems(ctx->txn, &br->auto_attach->header_,
                                      OVSREC_AUTOATTACH_COL_MAPPINGS, &pair);
    } else {
        free(pair.keys);        /* Integers: nothing else to free. */
        free(pair.values);
    }
}

/* get-aa-mapping BRIDGE: "I-SID VLAN" lines in I-SID order. */
static void
cmd_get_aa_mapping(struct ctl_context *ctx)
{
    const struct ovsrec_bridge *br = aa_bridge(ctx);

    if (br && br->auto_attach) {
        const struct ovsdb_datum *m = br->auto_attach->mappings;
        for (unsigned int i = 0; i < m->n; i++) {
            ds_put_format(ctx->output, "%lld %lld\n", m->keys[i].integer,
                          m->values[i].integer);
        }
    }
}

const struct ctl_command_syntax vsctl_aa_commands[] = {
    { "add-aa-mapping", 3, 3, "BRIDGE I-SID VLAN", pre_aa,
      cmd_add_aa_mapping, NULL, "", CTL_RW },
    { "del-aa-mapping", 3, 3, "BRIDGE I-SID VLAN", pre_aa,
      cmd_del_aa_mapping, NULL, "", CTL_RW },
    { "get-aa-mapping", 1, 1, "BRIDGE", pre_aa, cmd_get_aa_mapping, NULL, "",
      CTL_RO },
};

const size_t vsctl_n_aa_commands = ARRAY_SIZE(vsctl_aa_commands);
