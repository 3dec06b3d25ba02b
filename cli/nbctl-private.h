/* cli/nbctl-private: what weft-nbctl's command files share.
 *
 * weft-nbctl's high-level commands (ovn-nbctl's ls-add, lsp-add, lr-add,
 * show, ...) live in one file per family (nbctl-ls.c, nbctl-lr.c, ...);
 * each exports its 'struct ctl_command_syntax' array, which nbctl.c joins
 * with the others.  They run on the engine of cli/db-ctl.h, with the
 * typed northbound bindings (ovsdb/nbrec-idl.h). */
#ifndef WEFT_CLI_NBCTL_PRIVATE_H
#define WEFT_CLI_NBCTL_PRIVATE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "cli/db-ctl.h"
#include "ovsdb/nbrec-idl.h"

struct ds;

/* Command families. */
extern const struct ctl_command_syntax nbctl_ls_commands[];
extern const size_t nbctl_n_ls_commands;
extern const struct ctl_command_syntax nbctl_lr_commands[];
extern const size_t nbctl_n_lr_commands;
extern const struct ctl_command_syntax nbctl_acl_commands[];
extern const size_t nbctl_n_acl_commands;
extern const struct ctl_command_syntax nbctl_route_commands[];
extern const size_t nbctl_n_route_commands;
extern const struct ctl_command_syntax nbctl_nat_commands[];
extern const size_t nbctl_n_nat_commands;
extern const struct ctl_command_syntax nbctl_lb_commands[];
extern const size_t nbctl_n_lb_commands;
extern const struct ctl_command_syntax nbctl_group_commands[];
extern const size_t nbctl_n_group_commands;
extern const struct ctl_command_syntax nbctl_policy_commands[];
extern const size_t nbctl_n_policy_commands;
extern const struct ctl_command_syntax nbctl_show_commands[];
extern const size_t nbctl_n_show_commands;
extern const struct ctl_command_syntax nbctl_qos_commands[];
extern const size_t nbctl_n_qos_commands;
extern const struct ctl_command_syntax nbctl_misc_commands[];
extern const size_t nbctl_n_misc_commands;
extern const struct ctl_command_syntax nbctl_wait_commands[];
extern const size_t nbctl_n_wait_commands;

/* --wait=sb|hv (nbctl-wait.c), as the tool's prerequisites, pre_commit
 * and post_commit hooks: the first monitors NB_Global's *_cfg columns,
 * the second adds 1 to nb_cfg along with the run's changes (or always,
 * with "sync"), the third waits for northd. */
void nbctl_wait_prerequisites(struct ctl_context *);
void nbctl_wait_pre_commit(struct ctl_context *);
void nbctl_wait_post_commit(struct ctl_context *);

/* Lookups by name or UUID, as ovn-nbctl does them: a UUID first, then the
 * name, which must be unique.  If nothing is found: with 'must_exist',
 * ctl_error() ("ID: switch name not found"), else NULL quietly. */
const struct nbrec_logical_switch *nbctl_ls_lookup(struct ctl_context *,
                                                   const char *id,
                                                   bool must_exist);
const struct nbrec_logical_switch_port *nbctl_lsp_lookup(
    struct ctl_context *, const char *id, bool must_exist);
const struct nbrec_logical_router *nbctl_lr_lookup(struct ctl_context *,
                                                   const char *id,
                                                   bool must_exist);
const struct nbrec_logical_router_port *nbctl_lrp_lookup(
    struct ctl_context *, const char *id, bool must_exist);
const struct nbrec_port_group *nbctl_pg_lookup(struct ctl_context *,
                                               const char *id,
                                               bool must_exist);
const struct nbrec_load_balancer *nbctl_lb_lookup(struct ctl_context *,
                                                   const char *id,
                                                   bool must_exist);
const struct nbrec_ha_chassis_group *nbctl_ha_group_lookup(
    struct ctl_context *, const char *id, bool must_exist);
const struct nbrec_copp *nbctl_copp_lookup(struct ctl_context *,
                                           const char *id, bool must_exist);
const struct nbrec_mirror *nbctl_mirror_lookup(struct ctl_context *,
                                               const char *id,
                                               bool must_exist);

/* The switch whose 'ports' holds 'lsp' (or the router of 'lrp'), or NULL
 * after ctl_error(). */
const struct nbrec_logical_switch *nbctl_lsp_to_ls(
    struct ctl_context *, const struct nbrec_logical_switch_port *);
const struct nbrec_logical_router *nbctl_lrp_to_lr(
    struct ctl_context *, const struct nbrec_logical_router_port *);

/* 'lrp''s gateway chassis, highest priority first (ties in reverse name
 * order), as ovn-nbctl lists them.  The caller frees the array. */
const struct nbrec_gateway_chassis **nbctl_sorted_gateway_chassis(
    const struct nbrec_logical_router_port *);

/* Parses a flow priority, 0 to 32767, with nbctl_scan_int64().  Returns
 * false after ctl_error() ("N: priority must in range 0...32767", sic, as
 * ovn-nbctl says). */
bool nbctl_parse_priority(struct ctl_context *, const char *,
                          int64_t *priority);
/* Parses a direction as ovn-nbctl does, by its first letter: "f..." is
 * "from-lport" and "t..." is "to-lport", which is returned.  Returns NULL
 * after ctl_error() for anything else. */
const char *nbctl_parse_direction(struct ctl_context *, const char *s);

/* Reads a decimal integer the way ovn-nbctl's scanner does: leading white
 * space, an optional sign and at least one digit; digits beyond 64 bits
 * wrap around, and whatever follows the digits is ignored ("8x" is 8,
 * "0x10" is 0).  Returns false if there is no digit. */
bool nbctl_scan_int64(const char *, int64_t *);

/* Prerequisites: every command monitors the tables it reads. */
void nbctl_need_tables(struct ctl_context *, const char *tables);

/* ls-add and lr-add: "[--may-exist|--add-duplicate] CMD [NAME]" creates a
 * row of 'table' with that name ('what' is "switch" or "router" in
 * messages). */
void nbctl_add_named_row(struct ctl_context *, const char *table,
                         const char *what);
/* ls-list and lr-list: every row of 'table' as "UUID (NAME)". */
void nbctl_list_named_rows(struct ctl_context *, const char *table);

/* Appends "UUID (NAME)\n" lines for 'n' rows to 'out', sorted by name (and
 * UUID when names tie), as ls-list, lsp-list, lr-list and lrp-list print
 * them. */
struct nbctl_named_row {
    const struct uuid *uuid;
    const char *name;
};
void nbctl_print_named_rows(struct nbctl_named_row *, size_t n,
                            struct ds *out);

/* Parses "enabled" or "disabled" (any case).  Returns false after
 * ctl_error(). */
bool nbctl_parse_enabled(struct ctl_context *, const char *state,
                         bool *enabled);

/* A copy of the 'n' elements of 'size' bytes at 'array' (which may be
 * NULL if 'n' is 0), to sort or to iterate while the transaction rewrites
 * the column it came from.  The caller frees it. */
void *nbctl_copy_array(const void *array, size_t n, size_t size);

/* Splits the "KEY=VALUE" arguments argv[first...] (arguments without '='
 * are ignored, as ovn-nbctl does) into parallel arrays.  Returns the
 * number of pairs; free them with nbctl_free_options(). */
size_t nbctl_parse_options(struct ctl_context *, int first, char ***keysp,
                           char ***valuesp);
void nbctl_free_options(char **keys, char **values, size_t n);

/* Prints a string-to-string map as "KEY=VALUE" lines, in key order. */
void nbctl_print_smap(struct ds *, const struct ovsdb_datum *);

#endif
