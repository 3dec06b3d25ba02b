/* cli/db-ctl-private: what db-ctl.c and db-ctl-cmds.c share. */
#ifndef WEFT_CLI_DB_CTL_PRIVATE_H
#define WEFT_CLI_DB_CTL_PRIVATE_H 1

#include <stddef.h>
#include "cli/db-ctl.h"

/* The generic database commands, in --help order. */
extern const struct ctl_command_syntax ctl_generic_commands[];
extern const size_t ctl_n_generic_commands;

#endif
