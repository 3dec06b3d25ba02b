/* cli/db-ctl-conn: the connection and SSL commands that weft-nbctl,
 * weft-sbctl and weft-vsctl share, as ovn-nbctl, ovn-sbctl and ovs-vsctl
 * have them (set-connection, set-manager, set-controller, get-*, del-*,
 * set-ssl, get-ssl, del-ssl).
 *
 * Each command works on an "owner" row: NB_Global, SB_Global,
 * Open_vSwitch or a Bridge.  Its reference column names rows of a
 * connection table (Connection, Manager, Controller, each with a "target"
 * column) or of the SSL table.  Setting replaces every referenced row with
 * new ones; deleting empties the column and deletes the rows.  The
 * commands' prerequisites must have loaded the owner's table and the
 * referenced table. */
#ifndef WEFT_CLI_DB_CTL_CONN_H
#define WEFT_CLI_DB_CTL_CONN_H 1

#include <stdbool.h>
#include <stddef.h>
#include "cli/db-ctl.h"

struct ctl_command_syntax;
struct ctl_context;
struct ovsdb_client_row;
struct vlog_module;

/* How get-connection prints each row. */
enum ctl_conn_format {
    CTL_CONN_TARGET,            /* "TARGET" */
    CTL_CONN_ROLE,              /* 'read-write role="ROLE" TARGET' (SB) */
};

/* set-connection TARGET... (also set-manager, set-controller): replaces
 * 'owner''s 'column' with one new row of 'table' per target.  With the
 * command option "--inactivity-probe=MSECS", sets each row's
 * inactivity_probe.  Targets of an unknown type are warned about on
 * 'module', as the OVS tools do, but still set. */
void ctl_conn_set(struct ctl_context *, const struct ovsdb_client_row *owner,
                  const char *column, const char *table,
                  char *targets[], size_t n_targets,
                  struct vlog_module *module);
/* get-connection: prints the targets 'owner''s 'column' references, one
 * per line, sorted. */
void ctl_conn_get(struct ctl_context *, const struct ovsdb_client_row *owner,
                  const char *column, enum ctl_conn_format);
/* del-connection: empties 'owner''s 'column' and deletes the rows. */
void ctl_conn_del(struct ctl_context *, const struct ovsdb_client_row *owner,
                  const char *column);

/* set-ssl PRIVATE-KEY CERTIFICATE CA-CERT [SSL-PROTOS [SSL-CIPHERS]]:
 * 'args' holds 3 to 5 strings.  'bootstrap' sets bootstrap_ca_cert. */
void ctl_ssl_set(struct ctl_context *, const struct ovsdb_client_row *owner,
                 char *args[], size_t n_args, bool bootstrap);
/* get-ssl: the four lines "Private key:", "Certificate:", "CA
 * Certificate:", "Bootstrap:", or nothing if there is no SSL row. */
void ctl_ssl_get(struct ctl_context *, const struct ovsdb_client_row *owner);
void ctl_ssl_del(struct ctl_context *, const struct ovsdb_client_row *owner);

/* get-connection, del-connection, set-connection, get-ssl, del-ssl and
 * set-ssl for a tool whose connections and SSL settings hang off its
 * singleton configuration row (ctl_tool's 'singleton_table': NB_Global,
 * SB_Global).  get-connection prints each connection's read-only flag and
 * role when the Connection table has them (the southbound schema). */
extern const struct ctl_command_syntax ctl_conn_commands[];
extern const size_t ctl_n_conn_commands;

#endif
