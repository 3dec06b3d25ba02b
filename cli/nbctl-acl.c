/* weft-nbctl: ACLs on logical switches and port groups (acl-add, acl-del,
 * acl-list), as ovn-nbctl 23.03 has them.  Unlike ovn-nbctl, acl-add
 * checks the match with OVN's expression parser and refuses one that
 * ovn-controller could never install ("ip4 &&", an unknown field,
 * 'inport != "p"'); $address_set and @port_group names are not looked up,
 * since they may be created later in the same or another transaction. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "ds.h"
#include "util.h"
#include "expr/expr.h"
#include "expr/symtab.h"
#include "cli/nbctl-private.h"

static void
pre_acl(struct ctl_context *ctx)
{
    nbctl_need_tables(ctx, "Logical_Switch,Port_Group,ACL,Meter");
}

/* The switch or port group an ACL command names, and its ACLs. */
struct acl_entity {
    const struct nbrec_logical_switch *ls;
    const struct nbrec_port_group *pg;
    struct nbrec_acl **acls;
    size_t n_acls;
};

/* Finds argv[1] as --type says, or as either.  Returns false after
 * ctl_error(). */
static bool
get_entity(struct ctl_context *ctx, struct acl_entity *e)
{
    const char *type = ctl_get_option(ctx, "--type");
    const char *id = ctx->argv[1];

    memset(e, 0, sizeof *e);
    if (!type) {
        e->pg = nbctl_pg_lookup(ctx, id, false);
        e->ls = nbctl_ls_lookup(ctx, id, false);
        if (e->pg && e->ls) {
            ctl_error(ctx, "Same name '%s' exists in both port-groups and "
                      "logical switches. Specify --type=port-group or "
                      "switch, or use a UUID.", id);
        } else if (!e->pg && !e->ls && !ctx->error) {
            ctl_error(ctx, "'%s' is not found for port-group or switch.",
                      id);
        }
    } else if (!strcmp(type, "port-group")) {
        e->pg = nbctl_pg_lookup(ctx, id, true);
    } else if (!strcmp(type, "switch")) {
        e->ls = nbctl_ls_lookup(ctx, id, true);
    } else {
        ctl_error(ctx, "Invalid value '%s' for option --type", type);
    }
    if (ctx->error) {
        return false;
    }
    if (e->pg) {
        e->acls = (struct nbrec_acl **) e->pg->acls;
        e->n_acls = e->pg->n_acls;
    } else {
        e->acls = (struct nbrec_acl **) e->ls->acls;
        e->n_acls = e->ls->n_acls;
    }
    return true;
}

const char *
nbctl_parse_direction(struct ctl_context *ctx, const char *s)
{
    /* ovn-nbctl looks at the first letter only. */
    if (s[0] == 'f') {
        return "from-lport";
    } else if (s[0] == 't') {
        return "to-lport";
    }
    ctl_error(ctx, "%s: direction must be \"to-lport\" or \"from-lport\"",
              s);
    return NULL;
}

bool
nbctl_parse_priority(struct ctl_context *ctx, const char *s,
                     int64_t *priority)
{
    int64_t p;

    if (!nbctl_scan_int64(s, &p) || p < 0 || p > 32767) {
        ctl_error(ctx, "%s: priority must in range 0...32767", s);
        return false;
    }
    *priority = p;
    return true;
}

static bool
is_after_lb(const struct nbrec_acl *acl)
{
    const char *v = ovsdb_client_smap_get(acl->options, "apply-after-lb");
    return v && !strcmp(v, "true");
}

/* Checks the logging and label options of acl-add. */
static bool
check_acl_options(struct ctl_context *ctx, const char *action)
{
    static const char *const severities[] = {
        "alert", "warning", "notice", "info", "debug",
    };
    const char *severity = ctl_get_option(ctx, "--severity");
    const char *label = ctl_get_option(ctx, "--label");
    size_t i;

    if (severity) {
        for (i = 0; i < ARRAY_SIZE(severities); i++) {
            if (!strcmp(severity, severities[i])) {
                break;
            }
        }
        if (i == ARRAY_SIZE(severities)) {
            ctl_error(ctx, "bad severity: %s", severity);
            return false;
        }
    }
    if (label) {
        long long value;
        if (strcmp(action, "allow") && strcmp(action, "allow-related")) {
            ctl_error(ctx, "label can only be set with actions \"allow\" "
                      "or \"allow-related\"");
            return false;
        }
        if (!str_to_llong(label, 10, &value) || value < 0
            || value > UINT32_MAX) {
            ctl_error(ctx, "%s: label must in range 0...4294967295", label);
            return false;
        }
    }
    return true;
}

static void
set_acl_options(struct ctl_context *ctx, const struct nbrec_acl *acl,
                const char *direction)
{
    const char *severity = ctl_get_option(ctx, "--severity");
    const char *name = ctl_get_option(ctx, "--name");
    const char *meter = ctl_get_option(ctx, "--meter");
    const char *label = ctl_get_option(ctx, "--label");

    if (ctl_has_option(ctx, "--log") || severity || name || meter) {
        nbrec_acl_set_log(ctx->txn, acl, true);
    }
    if (severity) {
        nbrec_acl_set_severity(ctx->txn, acl, severity);
    }
    if (name) {
        nbrec_acl_set_name(ctx->txn, acl, name);
    }
    if (meter) {
        nbrec_acl_set_meter(ctx->txn, acl, meter);
    }
    if (label) {
        nbrec_acl_set_label(ctx->txn, acl, strtoll(label, NULL, 10));
    }
    if (ctl_has_option(ctx, "--apply-after-lb")
        && !strcmp(direction, "from-lport")) {
        nbrec_acl_update_options_setkey(ctx->txn, acl, "apply-after-lb",
                                        "true");
    }
}

/* acl-add ENTITY DIRECTION PRIORITY MATCH VERDICT */
/* Address sets and port groups stand for empty sets of their kind. */
static const struct expr_const_set *
any_addr_set(const void *aux, const char *name OVS_UNUSED)
{
    return &((const struct expr_const_set *) aux)[0];
}

static const struct expr_const_set *
any_port_group(const void *aux, const char *name OVS_UNUSED)
{
    return &((const struct expr_const_set *) aux)[1];
}

/* Checks that ACL match 'match' parses; reports the error if not. */
static bool
check_acl_match(struct ctl_context *ctx, const char *match)
{
    struct expr_const_set sets[2];
    struct symtab *symtab = symtab_create();
    struct expr_env env = {
        .symtab = symtab,
        .addr_set = any_addr_set,
        .port_group = any_port_group,
        .aux = sets,
    };
    char *error = NULL;

    expr_const_set_init(&sets[0], false);
    expr_const_set_init(&sets[1], true);
    struct expr *expr = expr_parse_string(match, &env, &error);
    expr_destroy(expr);
    if (error) {
        ctl_error(ctx, "invalid ACL match \"%s\": %s", match, error);
        free(error);
    }
    expr_const_set_destroy(&sets[0]);
    expr_const_set_destroy(&sets[1]);
    symtab_destroy(symtab);
    return !error;
}

static void
cmd_acl_add(struct ctl_context *ctx)
{
    static const char *const actions[] = {
        "allow", "allow-related", "allow-stateless", "drop", "reject",
    };
    const char *direction = ctx->argv[2], *match = ctx->argv[4];
    const char *action = ctx->argv[5];
    struct acl_entity e;
    int64_t priority;
    size_t i;

    if (!get_entity(ctx, &e)
        || !(direction = nbctl_parse_direction(ctx, direction))
        || !nbctl_parse_priority(ctx, ctx->argv[3], &priority)) {
        return;
    }
    for (i = 0; i < ARRAY_SIZE(actions); i++) {
        if (!strcmp(action, actions[i])) {
            break;
        }
    }
    if (i == ARRAY_SIZE(actions)) {
        ctl_error(ctx, "%s: action must be one of \"allow\", "
                  "\"allow-related\", \"allow-stateless\", \"drop\", and "
                  "\"reject\"", action);
        return;
    }
    if (!check_acl_options(ctx, action) || !check_acl_match(ctx, match)) {
        return;
    }

    /* The same direction, priority and match is the same ACL. */
    for (i = 0; i < e.n_acls; i++) {
        const struct nbrec_acl *acl = e.acls[i];
        if (!strcmp(acl->direction, direction) && acl->priority == priority
            && !strcmp(acl->match, match)) {
            if (!ctl_has_option(ctx, "--may-exist")) {
                ctl_error(ctx, "Same ACL already existed on the ls %s.",
                          ctx->argv[1]);
            }
            return;
        }
    }

    const struct nbrec_acl *acl = nbrec_acl_insert(ctx->txn);
    nbrec_acl_set_direction(ctx->txn, acl, direction);
    nbrec_acl_set_priority(ctx->txn, acl, priority);
    nbrec_acl_set_match(ctx->txn, acl, match);
    nbrec_acl_set_action(ctx->txn, acl, action);
    set_acl_options(ctx, acl, direction);
    if (e.pg) {
        nbrec_port_group_update_acls_addvalue(ctx->txn, e.pg, acl);
    } else {
        nbrec_logical_switch_update_acls_addvalue(ctx->txn, e.ls, acl);
    }
}

static void
remove_acl(struct ctl_context *ctx, const struct acl_entity *e,
           const struct nbrec_acl *acl)
{
    if (e->pg) {
        nbrec_port_group_update_acls_delvalue(ctx->txn, e->pg, acl);
    } else {
        nbrec_logical_switch_update_acls_delvalue(ctx->txn, e->ls, acl);
    }
    nbrec_acl_delete(ctx->txn, acl);
}

/* acl-del ENTITY [DIRECTION [PRIORITY MATCH]] */
static void
cmd_acl_del(struct ctl_context *ctx)
{
    const char *direction = ctx->argc > 2 ? ctx->argv[2] : NULL;
    struct acl_entity e;
    int64_t priority = 0;

    if (!get_entity(ctx, &e)
        || (direction
            && !(direction = nbctl_parse_direction(ctx, direction)))) {
        return;
    }
    if (ctx->argc == 4) {
        ctl_error(ctx, "cannot specify priority without match");
        return;
    }
    if (ctx->argc == 5
        && !nbctl_parse_priority(ctx, ctx->argv[3], &priority)) {
        return;
    }
    /* A copy: each removal rewrites the entity's 'acls' array. */
    const struct nbrec_acl **acls = nbctl_copy_array(e.acls, e.n_acls,
                                                     sizeof *acls);
    for (size_t i = 0; i < e.n_acls; i++) {
        const struct nbrec_acl *acl = acls[i];
        if ((!direction || !strcmp(acl->direction, direction))
            && (ctx->argc < 5 || (acl->priority == priority
                                  && !strcmp(acl->match, ctx->argv[4])))) {
            remove_acl(ctx, &e, acl);
        }
    }
    free(acls);
}

static int
compare_acls(const void *a_, const void *b_)
{
    const struct nbrec_acl *const *a = a_;
    const struct nbrec_acl *const *b = b_;
    int cmp = strcmp((*a)->direction, (*b)->direction);

    if (!cmp) {
        cmp = is_after_lb(*a) - is_after_lb(*b);
    }
    if (!cmp && (*a)->priority != (*b)->priority) {
        cmp = (*a)->priority > (*b)->priority ? -1 : 1;
    }
    return cmp ? cmp : strcmp((*a)->match, (*b)->match);
}

static void
print_acl(struct ds *out, const struct nbrec_acl *acl)
{
    ds_put_format(out, "%10s %5"PRId64" (%s) %s", acl->direction,
                  acl->priority, acl->match, acl->action);
    if (acl->log) {
        const char *sep = "";
        ds_put_cstr(out, " log(");
        if (acl->name) {
            ds_put_format(out, "name=%s", acl->name);
            sep = ",";
        }
        if (acl->severity) {
            ds_put_format(out, "%sseverity=%s", sep, acl->severity);
            sep = ",";
        }
        if (acl->meter) {
            ds_put_format(out, "%smeter=\"%s\"", sep, acl->meter);
        }
        ds_put_char(out, ')');
    }
    if (acl->label) {
        ds_put_format(out, " label=%"PRId64, acl->label);
    }
    if (is_after_lb(acl)) {
        ds_put_cstr(out, " [after-lb]");
    }
    ds_put_char(out, '\n');
}

/* acl-list ENTITY */
static void
cmd_acl_list(struct ctl_context *ctx)
{
    struct acl_entity e;

    if (!get_entity(ctx, &e)) {
        return;
    }
    const struct nbrec_acl **acls = nbctl_copy_array(e.acls, e.n_acls,
                                                     sizeof *acls);
    qsort(acls, e.n_acls, sizeof *acls, compare_acls);
    for (size_t i = 0; i < e.n_acls; i++) {
        print_acl(ctx->output, acls[i]);
    }
    free(acls);
}

const struct ctl_command_syntax nbctl_acl_commands[] = {
    /* ovn-nbctl 23.03 accepts (and ignores) a sixth argument. */
    { "acl-add", 5, 6, "{SWITCH | PORTGROUP} DIRECTION PRIORITY MATCH ACTION",
      pre_acl, cmd_acl_add, NULL,
      "--log,--may-exist,--type=,--name=,--severity=,--meter=,--label=,"
      "--apply-after-lb", CTL_RW },
    { "acl-del", 1, 4, "{SWITCH | PORTGROUP} [DIRECTION [PRIORITY MATCH]]",
      pre_acl, cmd_acl_del, NULL, "--type=", CTL_RW },
    { "acl-list", 1, 1, "{SWITCH | PORTGROUP}", pre_acl, cmd_acl_list, NULL,
      "--type=", CTL_RO },
};

const size_t nbctl_n_acl_commands = ARRAY_SIZE(nbctl_acl_commands);
