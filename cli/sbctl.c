/* weft-sbctl: ovn-sbctl for weft's southbound database.  main() only wires
 * the command engine (db-ctl.h) to the southbound schema and weft-sbctl's
 * own commands (sbctl-cmds.h). */
#include "cli/db-ctl.h"
#include "cli/db-ctl-conn.h"
#include "cli/sbctl-cmds.h"
#include "ovsdb/sbrec-idl.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(ovn_dbctl);
/* ovn-sbctl logs its own commands' warnings as "sbctl". */
static struct vlog_module sbctl_module = { "sbctl", VLL_N_LEVELS, NULL };

/* How rows of each table may be named besides by UUID (and "." for a
 * table's only row), as ovn-sbctl 23.03 allows, in the order tried. */
static const struct ctl_table_class sbctl_tables[] = {
    { "Address_Set", { { "Address_Set", "name", NULL, NULL } } },
    { "Chassis", { { "Chassis", "name", NULL, NULL } } },
    { "Chassis_Private", { { "Chassis_Private", "name", NULL, NULL } } },
    { "Chassis_Template_Var",
      { { "Chassis_Template_Var", "chassis", NULL, NULL } } },
    { "Connection", { { "Connection", "target", NULL, NULL } } },
    { "DHCP_Options", { { "DHCP_Options", "name", NULL, NULL } } },
    { "DHCPv6_Options", { { "DHCPv6_Options", "name", NULL, NULL } } },
    { "Datapath_Binding",
      { { "Datapath_Binding", "external_ids", "name", NULL },
        { "Datapath_Binding", "external_ids", "name2", NULL },
        { "Datapath_Binding", "external_ids", "logical-switch", NULL },
        { "Datapath_Binding", "external_ids", "logical-router", NULL } } },
    { "Gateway_Chassis", { { "Gateway_Chassis", "name", NULL, NULL } } },
    { "HA_Chassis_Group", { { "HA_Chassis_Group", "name", NULL, NULL } } },
    { "Load_Balancer", { { "Load_Balancer", "name", NULL, NULL } } },
    { "MAC_Binding", { { "MAC_Binding", "logical_port", NULL, NULL } } },
    { "Meter", { { "Meter", "name", NULL, NULL } } },
    { "Mirror", { { "Mirror", "name", NULL, NULL } } },
    { "Port_Binding",
      { { "Port_Binding", "logical_port", NULL, NULL },
        { "Port_Binding", "external_ids", "name", NULL } } },
    { "Port_Group", { { "Port_Group", "name", NULL, NULL } } },
    { "RBAC_Permission", { { "RBAC_Permission", "table", NULL, NULL } } },
    { "RBAC_Role", { { "RBAC_Role", "name", NULL, NULL } } },
    { "Service_Monitor",
      { { "Service_Monitor", "logical_port", NULL, NULL } } },
};

static const struct ctl_tool sbctl_tool = {
    .program_name = "weft-sbctl",
    .db_env = "OVN_SB_DB",
    .rundir_env = "OVN_RUNDIR",
    .default_rundir = "/var/run/ovn",
    .socket_name = "ovnsb_db.sock",
    .class_ = &sbrec_idl_class,
    .tables = sbctl_tables,
    .n_tables = ARRAY_SIZE(sbctl_tables),
    .log_module = &this_module,
    .own_log_module = &sbctl_module,
    .singleton_table = "SB_Global",
    .options_env = "OVN_SBCTL_OPTIONS",
    .usage = "OVN southbound DB management utility",
};

int
main(int argc, char *argv[])
{
    static const struct ctl_command_family families[] = {
        { sbctl_commands, &sbctl_n_commands },
        { ctl_conn_commands, &ctl_n_conn_commands },
    };
    return ctl_main_families(&sbctl_tool, families, ARRAY_SIZE(families),
                             argc, argv);
}
