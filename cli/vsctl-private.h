/* cli/vsctl-private: what the files of weft-vsctl share.
 *
 *     vsctl.c        main() and the tool definition
 *     vsctl-cache.c  the bridge/port/interface view (vsctl-cache.h)
 *     vsctl-cmds.c   the bridge, port and interface commands
 *     vsctl-show.c   "show"
 *     vsctl-wait.c   the reconfiguration wait (next_cfg / cur_cfg)
 *     vsctl-conn.c   managers, controllers, fail mode, SSL
 *     vsctl-aa.c     Auto-Attach mappings
 *
 * Per-run state lives in 'struct vsctl_state', kept in ctx->aux (which
 * ctl_main() frees with free(), so it is one allocation). */
#ifndef WEFT_CLI_VSCTL_PRIVATE_H
#define WEFT_CLI_VSCTL_PRIVATE_H 1

#include <stdbool.h>
#include <stddef.h>
#include "cli/db-ctl.h"

struct ovsdb_client_row;

struct vsctl_state {
    bool warned;                /* Logged the view's inconsistencies? */
    /* Interfaces inserted by this attempt's commands, checked after the
     * reconfiguration wait.  Reset at the start of every attempt. */
    size_t n_ifaces;
    size_t allocated_ifaces;
    const struct ovsdb_client_row *ifaces[];
};

/* The state, created on first use. */
struct vsctl_state *vsctl_state(struct ctl_context *);
/* Records an interface this run inserted. */
void vsctl_expect_iface(struct ctl_context *,
                        const struct ovsdb_client_row *iface);

/* The commands, in --help order. */
extern const struct ctl_command_syntax vsctl_commands[];
extern const size_t vsctl_n_commands;
extern const struct ctl_command_syntax vsctl_conn_commands[];
extern const size_t vsctl_n_conn_commands;
extern const struct ctl_command_syntax vsctl_aa_commands[];
extern const size_t vsctl_n_aa_commands;

/* "show" (vsctl-show.c). */
void vsctl_pre_show(struct ctl_context *);
void vsctl_cmd_show(struct ctl_context *);

/* Tool hooks (vsctl-wait.c). */
void vsctl_prerequisites(struct ctl_context *);
void vsctl_pre_commit(struct ctl_context *);
void vsctl_post_commit(struct ctl_context *);

#endif
