/* weft-nbctl: QoS rules on switches (qos-add, qos-del, qos-list), meters
 * (meter-add, meter-del, meter-list) and control plane protection policies
 * (copp-add, copp-del, copp-list, ls-copp-add, lr-copp-add), as ovn-nbctl
 * 23.03 has them (docs/nbctl-facts.md section 10). */
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "ds.h"
#include "util.h"
#include "ovsdb/client-txn.h"
#include "cli/nbctl-private.h"

/* The value of string key 'key' in the string-to-integer map 'map'. */
static bool
int_map_get(const struct ovsdb_datum *map, const char *key, int64_t *value)
{
    for (unsigned int i = 0; i < map->n; i++) {
        if (!strcmp(ovsdb_atom_string(&map->keys[i]), key)) {
            *value = map->values[i].integer;
            return true;
        }
    }
    return false;
}

/* Parses 's' with nbctl_scan_int64() into '*value' if it lies within
 * [min, max].  Returns false if not (the caller reports it). */
static bool
scan_in_range(const char *s, int64_t min, int64_t max, int64_t *value)
{
    return nbctl_scan_int64(s, value) && *value >= min && *value <= max;
}

/* QoS rules. */

static void
pre_qos(struct ctl_context *ctx)
{
    nbctl_need_tables(ctx, "Logical_Switch,QoS");
}

/* What qos-add's "dscp=", "rate=" and "burst=" arguments ask for. */
struct qos_args {
    int64_t dscp, rate, burst;  /* -1 if not given. */
};

/* Parses argv[5...] into 'qa'.  Returns false after ctl_error(). */
static bool
parse_qos_args(struct ctl_context *ctx, struct qos_args *qa)
{
    static const uint32_t max32 = UINT32_MAX;

    qa->dscp = qa->rate = qa->burst = -1;
    for (int i = 5; i < ctx->argc; i++) {
        const char *arg = ctx->argv[i];
        if (!strncmp(arg, "dscp=", 5)) {
            if (!scan_in_range(arg + 5, 0, 63, &qa->dscp)) {
                ctl_error(ctx, "%s: dscp must be in the range 0...63",
                          arg + 5);
                return false;
            }
        } else if (!strncmp(arg, "rate=", 5)) {
            if (!scan_in_range(arg + 5, 1, max32, &qa->rate)) {
                ctl_error(ctx, "%s: rate must be in the range "
                          "1...4294967295", arg + 5);
                return false;
            }
        } else if (!strncmp(arg, "burst=", 6)) {
            if (!scan_in_range(arg + 6, 1, max32, &qa->burst)) {
                ctl_error(ctx, "%s: burst must be in the range "
                          "1...4294967295", arg + 6);
                return false;
            }
        } else {
            ctl_error(ctx, "%s: supported arguments are \"dscp=\", "
                      "\"rate=\", and \"burst=\"", arg);
            return false;
        }
    }
    if (qa->dscp < 0 && qa->rate < 0) {
        ctl_error(ctx, "Either \"rate\" and/or \"dscp\" must be specified");
        return false;
    }
    return true;
}

/* Writes 'qa' into the new rule 'qos'.  A burst goes only with a rate. */
static void
write_qos_args(struct ctl_context *ctx, const struct nbrec_qos *qos,
               const struct qos_args *qa)
{
    if (qa->dscp >= 0) {
        const char *key = "dscp";
        nbrec_qos_set_action(ctx->txn, qos, &key, &qa->dscp, 1);
    }
    if (qa->rate >= 0) {
        const char *keys[] = { "rate", "burst" };
        int64_t values[] = { qa->rate, qa->burst };
        nbrec_qos_set_bandwidth(ctx->txn, qos, keys, values,
                                qa->burst >= 0 ? 2 : 1);
    }
}

/* [--may-exist] qos-add SWITCH DIRECTION PRIORITY MATCH [dscp=DSCP]
 *                       [rate=RATE [burst=BURST]] */
static void
cmd_qos_add(struct ctl_context *ctx)
{
    const char *direction = ctx->argv[2], *match = ctx->argv[4];
    const struct nbrec_logical_switch *ls;
    struct qos_args qa;
    int64_t priority;

    if (!(direction = nbctl_parse_direction(ctx, direction))
        || !nbctl_parse_priority(ctx, ctx->argv[3], &priority)
        || !(ls = nbctl_ls_lookup(ctx, ctx->argv[1], true))
        || !parse_qos_args(ctx, &qa)) {
        return;
    }
    for (size_t i = 0; i < ls->n_qos_rules; i++) {
        const struct nbrec_qos *q = ls->qos_rules[i];
        if (!strcmp(q->direction, direction) && q->priority == priority
            && !strcmp(q->match, match)) {
            if (!ctl_has_option(ctx, "--may-exist")) {
                ctl_error(ctx, "Same qos already existed on the ls %s.",
                          ctx->argv[1]);
            }
            return;
        }
    }

    const struct nbrec_qos *qos = nbrec_qos_insert(ctx->txn);
    nbrec_qos_set_direction(ctx->txn, qos, direction);
    nbrec_qos_set_priority(ctx->txn, qos, priority);
    nbrec_qos_set_match(ctx->txn, qos, match);
    write_qos_args(ctx, qos, &qa);
    nbrec_logical_switch_update_qos_rules_addvalue(ctx->txn, ls, qos);
}

static void
qos_remove(struct ctl_context *ctx, const struct nbrec_logical_switch *ls,
           const struct nbrec_qos *qos)
{
    nbrec_logical_switch_update_qos_rules_delvalue(ctx->txn, ls, qos);
    nbrec_qos_delete(ctx->txn, qos);
}

/* qos-del SWITCH UUID */
static void
qos_del_uuid(struct ctl_context *ctx, const struct nbrec_logical_switch *ls,
             const struct uuid *uuid)
{
    if (ctx->argc > 3) {
        ctl_error(ctx, "uuid must be the only argument");
        return;
    }
    for (size_t i = 0; i < ls->n_qos_rules; i++) {
        if (uuid_equals(&ls->qos_rules[i]->header_.uuid, uuid)) {
            qos_remove(ctx, ls, ls->qos_rules[i]);
            return;
        }
    }
    ctl_error(ctx, "uuid is not found");
}

/* qos-del SWITCH [DIRECTION [PRIORITY MATCH] | UUID]: all the rules, all
 * those of one direction, or the first that matches all three. */
static void
cmd_qos_del(struct ctl_context *ctx)
{
    const struct nbrec_logical_switch *ls = nbctl_ls_lookup(ctx,
                                                            ctx->argv[1],
                                                            true);
    const char *direction = ctx->argc > 2 ? ctx->argv[2] : NULL;
    int64_t priority = 0;
    struct uuid uuid;

    if (!ls) {
        return;
    }
    if (direction && uuid_from_string(&uuid, direction)) {
        qos_del_uuid(ctx, ls, &uuid);
        return;
    }
    if ((direction
         && !(direction = nbctl_parse_direction(ctx, direction)))
        || (ctx->argc > 3
            && !nbctl_parse_priority(ctx, ctx->argv[3], &priority))) {
        return;
    }
    if (ctx->argc == 4) {
        ctl_error(ctx, "cannot specify priority without match");
        return;
    }

    size_t n = ls->n_qos_rules;
    const struct nbrec_qos **rules = nbctl_copy_array(ls->qos_rules, n,
                                                      sizeof *rules);
    for (size_t i = 0; i < n; i++) {
        const struct nbrec_qos *q = rules[i];
        if (direction && strcmp(q->direction, direction)) {
            continue;
        }
        if (ctx->argc == 5) {
            if (q->priority == priority && !strcmp(q->match, ctx->argv[4])) {
                qos_remove(ctx, ls, q);
                break;
            }
            continue;
        }
        qos_remove(ctx, ls, q);
    }
    free(rules);
}

/* Rules in the order qos-list prints them: from-lport first, then higher
 * priority first, then by match. */
static int
compare_qos(const void *a_, const void *b_)
{
    const struct nbrec_qos *const *a = a_;
    const struct nbrec_qos *const *b = b_;
    int cmp = strcmp((*a)->direction, (*b)->direction);

    if (cmp) {
        return cmp;
    }
    if ((*a)->priority != (*b)->priority) {
        return (*a)->priority > (*b)->priority ? -1 : 1;
    }
    return strcmp((*a)->match, (*b)->match);
}

static void
print_qos(struct ds *out, const struct nbrec_qos *q)
{
    int64_t v;

    ds_put_format(out, "%10s %5"PRId64" (%s)", q->direction, q->priority,
                  q->match);
    if (int_map_get(q->bandwidth, "rate", &v)) {
        ds_put_format(out, " rate=%"PRId64, v);
    }
    if (int_map_get(q->bandwidth, "burst", &v)) {
        ds_put_format(out, " burst=%"PRId64, v);
    }
    if (int_map_get(q->action, "dscp", &v)) {
        ds_put_format(out, " dscp=%"PRId64, v);
    }
    ds_put_char(out, '\n');
}

/* qos-list SWITCH */
static void
cmd_qos_list(struct ctl_context *ctx)
{
    const struct nbrec_logical_switch *ls = nbctl_ls_lookup(ctx,
                                                            ctx->argv[1],
                                                            true);
    if (!ls) {
        return;
    }
    const struct nbrec_qos **rules = nbctl_copy_array(
        ls->qos_rules, ls->n_qos_rules, sizeof *rules);
    qsort(rules, ls->n_qos_rules, sizeof *rules, compare_qos);
    for (size_t i = 0; i < ls->n_qos_rules; i++) {
        print_qos(ctx->output, rules[i]);
    }
    free(rules);
}

/* Meters. */

static void
pre_meter(struct ctl_context *ctx)
{
    nbctl_need_tables(ctx, "Meter,Meter_Band");
}

/* The meter named 'name' (meters are named by name only), or NULL. */
static const struct nbrec_meter *
meter_find(struct ctl_context *ctx, const char *name)
{
    const struct nbrec_meter *m;

    NBREC_METER_FOR_EACH (m, ctx->client) {
        if (!strcmp(m->name, name)) {
            return m;
        }
    }
    return NULL;
}

/* What meter-add's arguments ask for. */
struct meter_args {
    const char *unit;
    int64_t rate;
    int64_t burst;
};

/* Checks meter-add's NAME ACTION RATE UNIT [BURST] in ovn-nbctl's order.
 * Returns false after ctl_error(). */
static bool
parse_meter_args(struct ctl_context *ctx, struct meter_args *ma)
{
    if (!strncmp(ctx->argv[1], "__", 2)) {
        ctl_error(ctx, "meter names that begin with \"__\" are reserved");
        return false;
    }
    if (strcmp(ctx->argv[2], "drop")) {
        ctl_error(ctx, "action must be \"drop\"");
        return false;
    }
    if (!scan_in_range(ctx->argv[3], 1, UINT32_MAX, &ma->rate)) {
        ctl_error(ctx, "rate must be in the range 1...4294967295");
        return false;
    }
    ma->unit = ctx->argv[4];
    if (strcmp(ma->unit, "kbps") && strcmp(ma->unit, "pktps")) {
        ctl_error(ctx, "unit must be \"kbps\" or \"pktps\"");
        return false;
    }
    ma->burst = 0;
    if (ctx->argc == 6
        && !scan_in_range(ctx->argv[5], 0, UINT32_MAX, &ma->burst)) {
        ctl_error(ctx, "burst must be in the range 0...4294967295");
        return false;
    }
    return true;
}

/* [--fair] [--may-exist] meter-add NAME ACTION RATE UNIT [BURST]: with
 * --may-exist an existing meter is updated in place (its first band
 * rewritten, any others dropped; "fair" only ever set, not cleared). */
static void
cmd_meter_add(struct ctl_context *ctx)
{
    const struct nbrec_meter *meter = meter_find(ctx, ctx->argv[1]);
    bool may_exist = ctl_has_option(ctx, "--may-exist");
    struct meter_args ma;

    if (meter && !may_exist) {
        ctl_error(ctx, "meter with name \"%s\" already exists",
                  ctx->argv[1]);
        return;
    }
    if (!parse_meter_args(ctx, &ma)) {
        return;
    }

    const struct nbrec_meter_band *band;
    if (meter) {
        band = (meter->n_bands ? meter->bands[0]
                : nbrec_meter_band_insert(ctx->txn));
    } else {
        meter = nbrec_meter_insert(ctx->txn);
        nbrec_meter_set_name(ctx->txn, meter, ctx->argv[1]);
        band = nbrec_meter_band_insert(ctx->txn);
    }
    nbrec_meter_band_set_action(ctx->txn, band, ctx->argv[2]);
    nbrec_meter_band_set_rate(ctx->txn, band, ma.rate);
    nbrec_meter_band_set_burst_size(ctx->txn, band, ma.burst);
    nbrec_meter_set_unit(ctx->txn, meter, ma.unit);
    nbrec_meter_set_bands(ctx->txn, meter, &band, 1);
    if (ctl_has_option(ctx, "--fair")) {
        bool fair = true;
        nbrec_meter_set_fair(ctx->txn, meter, &fair, 1);
    }
}

/* meter-del [NAME]: all meters, or those named NAME (a UUID names none). */
static void
cmd_meter_del(struct ctl_context *ctx)
{
    const struct nbrec_meter *m, *next;

    for (m = nbrec_meter_first(ctx->client); m; m = next) {
        next = nbrec_meter_next(m);
        if (ctx->argc == 1 || !strcmp(m->name, ctx->argv[1])) {
            nbrec_meter_delete(ctx->txn, m);
        }
    }
}

static int
compare_meters(const void *a_, const void *b_)
{
    const struct nbrec_meter *const *a = a_;
    const struct nbrec_meter *const *b = b_;
    return strcmp((*a)->name, (*b)->name);
}

/* "NAME: [(fair) |(shared) ]bands:\n" then each band as "  ACTION: RATE
 * UNIT[, BURST kb|packet burst]", the bands one after the other on a
 * single line (sic), in UUID order. */
static void
print_meter(struct ds *out, const struct nbrec_meter *m)
{
    bool pktps = !strcmp(m->unit, "pktps");

    ds_put_format(out, "%s:", m->name);
    if (m->n_fair) {
        ds_put_cstr(out, m->fair[0] ? " (fair)" : " (shared)");
    }
    ds_put_cstr(out, " bands:\n");
    for (size_t i = 0; i < m->n_bands; i++) {
        const struct nbrec_meter_band *b = m->bands[i];
        ds_put_format(out, "  %s: %"PRId64" %s", b->action, b->rate,
                      m->unit);
        if (b->burst_size) {
            ds_put_format(out, ", %"PRId64" %s burst", b->burst_size,
                          pktps ? "packet" : "kb");
        }
    }
    ds_put_char(out, '\n');
}

static void
cmd_meter_list(struct ctl_context *ctx)
{
    struct ovsdb_client_table *t = nbrec_meter_table(ctx->client);
    const struct nbrec_meter **meters = xcalloc(
        ovsdb_client_table_count(t) + 1, sizeof *meters);
    const struct nbrec_meter *m;
    size_t n = 0;

    NBREC_METER_FOR_EACH (m, ctx->client) {
        meters[n++] = m;
    }
    qsort(meters, n, sizeof *meters, compare_meters);
    for (size_t i = 0; i < n; i++) {
        print_meter(ctx->output, meters[i]);
    }
    free(meters);
}

/* Control plane protection policies. */

static void
pre_copp(struct ctl_context *ctx)
{
    nbctl_need_tables(ctx, "Copp,Logical_Switch,Logical_Router");
}

/* Checks a control protocol name.  Returns false after ctl_error(). */
static bool
check_copp_proto(struct ctl_context *ctx, const char *proto)
{
    static const char *const protos[] = {
        "arp", "arp-resolve", "dhcpv4-opts", "dhcpv6-opts", "dns",
        "event-elb", "icmp4-error", "icmp6-error", "igmp", "nd-na", "nd-ns",
        "nd-ns-resolve", "nd-ra-opts", "tcp-reset", "bfd", "reject",
        "svc-monitor",
    };
    struct ds ds = DS_EMPTY_INITIALIZER;

    for (size_t i = 0; i < ARRAY_SIZE(protos); i++) {
        if (!strcmp(proto, protos[i])) {
            return true;
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(protos); i++) {
        ds_put_format(&ds, "%s%s", i ? ", " : "", protos[i]);
    }
    ctl_error(ctx, "Invalid control protocol. Allowed values: %s.",
              ds_cstr(&ds));
    ds_destroy(&ds);
    return false;
}

/* copp-add NAME PROTO METER: creates the policy NAME if need be (but a
 * UUID must name an existing one); the meter is not checked. */
static void
cmd_copp_add(struct ctl_context *ctx)
{
    const char *name = ctx->argv[1];
    struct uuid uuid;

    if (!check_copp_proto(ctx, ctx->argv[2])) {
        return;
    }
    const struct nbrec_copp *copp = nbctl_copp_lookup(ctx, name, false);
    if (!copp) {
        if (uuid_from_string(&uuid, name)) {
            ctl_error(ctx, "%s: copp UUID not found", name);
            return;
        }
        copp = nbrec_copp_insert(ctx->txn);
        nbrec_copp_set_name(ctx->txn, copp, name);
    }
    nbrec_copp_update_meters_setkey(ctx->txn, copp, ctx->argv[2],
                                    ctx->argv[3]);
}

/* copp-del NAME [PROTO]: a policy left without protocols goes too. */
static void
cmd_copp_del(struct ctl_context *ctx)
{
    if (ctx->argc == 3 && !check_copp_proto(ctx, ctx->argv[2])) {
        return;
    }
    const struct nbrec_copp *copp = nbctl_copp_lookup(ctx, ctx->argv[1],
                                                      false);
    if (!copp) {
        return;
    }
    if (ctx->argc == 3) {
        nbrec_copp_update_meters_delkey(ctx->txn, copp, ctx->argv[2]);
        if (copp->meters->n) {
            return;   /* Reads the value with the deletion applied. */
        }
    }
    nbrec_copp_delete(ctx->txn, copp);
}

/* copp-list NAME: "PROTO: METER" lines.  ovn-nbctl prints them in hash
 * order; weft in protocol name order. */
static void
cmd_copp_list(struct ctl_context *ctx)
{
    const struct nbrec_copp *copp = nbctl_copp_lookup(ctx, ctx->argv[1],
                                                      false);
    if (copp) {
        for (unsigned int i = 0; i < copp->meters->n; i++) {
            ds_put_format(ctx->output, "%s: %s\n",
                          ovsdb_atom_string(&copp->meters->keys[i]),
                          ovsdb_atom_string(&copp->meters->values[i]));
        }
    }
}

/* ls-copp-add NAME SWITCH */
static void
cmd_ls_copp_add(struct ctl_context *ctx)
{
    const struct nbrec_logical_switch *ls = nbctl_ls_lookup(ctx,
                                                            ctx->argv[2],
                                                            true);
    const struct nbrec_copp *copp = ls ? nbctl_copp_lookup(ctx, ctx->argv[1],
                                                           true)
                                       : NULL;
    if (copp) {
        nbrec_logical_switch_set_copp(ctx->txn, ls, copp);
    }
}

/* lr-copp-add NAME ROUTER */
static void
cmd_lr_copp_add(struct ctl_context *ctx)
{
    const struct nbrec_logical_router *lr = nbctl_lr_lookup(ctx,
                                                            ctx->argv[2],
                                                            true);
    const struct nbrec_copp *copp = lr ? nbctl_copp_lookup(ctx, ctx->argv[1],
                                                           true)
                                       : NULL;
    if (copp) {
        nbrec_logical_router_set_copp(ctx->txn, lr, copp);
    }
}

const struct ctl_command_syntax nbctl_qos_commands[] = {
    { "qos-add", 5, 7,
      "SWITCH DIRECTION PRIORITY MATCH [rate=RATE [burst=BURST]] "
      "[dscp=DSCP]", pre_qos, cmd_qos_add, NULL, "--may-exist", CTL_RW },
    { "qos-del", 1, 4, "SWITCH [{DIRECTION | UUID} [PRIORITY MATCH]]",
      pre_qos, cmd_qos_del, NULL, "", CTL_RW },
    { "qos-list", 1, 1, "SWITCH", pre_qos, cmd_qos_list, NULL, "", CTL_RO },
    { "meter-add", 4, 5, "NAME ACTION RATE UNIT [BURST]", pre_meter,
      cmd_meter_add, NULL, "--fair,--may-exist", CTL_RW },
    { "meter-del", 0, 1, "[NAME]", pre_meter, cmd_meter_del, NULL, "",
      CTL_RW },
    { "meter-list", 0, 0, "", pre_meter, cmd_meter_list, NULL, "", CTL_RO },
    { "copp-add", 3, 3, "NAME PROTO METER", pre_copp, cmd_copp_add, NULL, "",
      CTL_RW },
    { "copp-del", 1, 2, "NAME [PROTO]", pre_copp, cmd_copp_del, NULL, "",
      CTL_RW },
    { "copp-list", 1, 1, "NAME", pre_copp, cmd_copp_list, NULL, "",
      CTL_RO },
    { "ls-copp-add", 2, 2, "NAME SWITCH", pre_copp, cmd_ls_copp_add, NULL,
      "", CTL_RW },
    { "lr-copp-add", 2, 2, "NAME ROUTER", pre_copp, cmd_lr_copp_add, NULL,
      "", CTL_RW },
};

const size_t nbctl_n_qos_commands = ARRAY_SIZE(nbctl_qos_commands);
