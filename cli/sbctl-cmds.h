/* cli/sbctl-cmds: the commands weft-sbctl adds to the generic database
 * commands of cli/db-ctl.h, with ovn-sbctl 23.03's names, options, output
 * and error messages:
 *
 *     init                          (the engine creates SB_Global)
 *     show                          chassis, their encaps and bound ports
 *     [--may-exist] chassis-add CHASSIS ENCAP-TYPE[,TYPE...] ENCAP-IP
 *     [--if-exists] chassis-del CHASSIS
 *     [--may-exist] lsp-bind PORT CHASSIS
 *     [--if-exists] lsp-unbind PORT
 *     [--uuid] lflow-list [DATAPATH] [LFLOW...]   (alias dump-flows)
 *     count-flows [DATAPATH]
 *
 * The logical flow commands live in cli/sbctl-lflow.c.  Chassis and ports
 * are found by exact name only (chassis "name", Port_Binding
 * "logical_port"), as ovn-sbctl does: not by UUID.  Like every command of
 * the engine they see the changes of the commands before them on the same
 * command line.  The array is read-only and shared. */
#ifndef WEFT_CLI_SBCTL_CMDS_H
#define WEFT_CLI_SBCTL_CMDS_H 1

#include <stddef.h>
#include "cli/db-ctl.h"

extern const struct ctl_command_syntax sbctl_commands[];
extern const size_t sbctl_n_commands;

#endif
