/* weft-nbctl: ovn-nbctl for weft's northbound database.  main() only wires
 * the command engine (db-ctl.h) to the northbound schema. */
#include <stdlib.h>
#include <string.h>
#include "cli/db-ctl.h"
#include "cli/db-ctl-conn.h"
#include "cli/nbctl-private.h"
#include "ovsdb/nbrec-idl.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(ovn_dbctl);
/* ovn-nbctl logs its own commands' warnings as "nbctl". */
static struct vlog_module nbctl_module = { "nbctl", VLL_N_LEVELS, NULL };

/* How rows of each table may be named besides by UUID (and "." for a
 * table's only row), as ovn-nbctl 23.03 allows, in the order tried. */
static const struct ctl_table_class nbctl_tables[] = {
    { "ACL", { { "ACL", "name", NULL, NULL } } },
    { "Address_Set", { { "Address_Set", "name", NULL, NULL } } },
    { "Chassis_Template_Var",
      { { "Chassis_Template_Var", "chassis", NULL, NULL } } },
    { "Connection", { { "Connection", "target", NULL, NULL } } },
    { "DHCP_Options",
      { { "Logical_Switch_Port", "name", NULL, "dhcpv4_options" },
        { "Logical_Switch_Port", "external_ids", "neutron:port_name",
          "dhcpv4_options" },
        { "Logical_Switch_Port", "name", NULL, "dhcpv6_options" },
        { "Logical_Switch_Port", "external_ids", "neutron:port_name",
          "dhcpv6_options" } } },
    { "Forwarding_Group", { { "Forwarding_Group", "name", NULL, NULL } } },
    { "HA_Chassis", { { "HA_Chassis", "chassis_name", NULL, NULL } } },
    { "HA_Chassis_Group", { { "HA_Chassis_Group", "name", NULL, NULL } } },
    { "Load_Balancer", { { "Load_Balancer", "name", NULL, NULL } } },
    { "Load_Balancer_Group",
      { { "Load_Balancer_Group", "name", NULL, NULL } } },
    { "Load_Balancer_Health_Check",
      { { "Load_Balancer_Health_Check", "vip", NULL, NULL } } },
    { "Logical_Router",
      { { "Logical_Router", "name", NULL, NULL },
        { "Logical_Router", "external_ids", "neutron:router_name", NULL } } },
    { "Logical_Router_Port",
      { { "Logical_Router_Port", "name", NULL, NULL } } },
    { "Logical_Switch",
      { { "Logical_Switch", "name", NULL, NULL },
        { "Logical_Switch", "external_ids", "neutron:network_name", NULL } } },
    { "Logical_Switch_Port",
      { { "Logical_Switch_Port", "name", NULL, NULL },
        { "Logical_Switch_Port", "external_ids", "neutron:port_name",
          NULL } } },
    { "Meter", { { "Meter", "name", NULL, NULL } } },
    { "NAT", { { "NAT", "external_ip", NULL, NULL } } },
    { "Port_Group", { { "Port_Group", "name", NULL, NULL } } },
};

/* The "Options:" section of --help, as ovn-nbctl 23.03 words it. */
static const char nbctl_options_help[] =
    "Options:\n"
    "  --db=DATABASE               connect to DATABASE\n"
    "                              (default: %s)\n"
    "  --no-wait, --wait=none      do not wait for OVN reconfiguration "
    "(default)\n"
    "  --no-leader-only            accept any cluster member, not just the "
    "leader\n"
    "  --no-shuffle-remotes        do not shuffle the order of remotes\n"
    "  --wait=sb                   wait for southbound database update\n"
    "  --wait=hv                   wait for all chassis to catch up\n"
    "  --print-wait-time           print time spent on waiting\n"
    "  -t, --timeout=SECS          wait at most SECS seconds\n"
    "  --dry-run                   do not commit changes to database\n"
    "  --oneline                   print exactly one line of output per "
    "command\n"
    "\n"
    "Output formatting options:\n"
    "  -f, --format=FORMAT         set output formatting to FORMAT\n"
    "                              (\"table\", \"html\", \"csv\", "
    "\"json\", or \"list\")\n"
    "  -d, --data=FORMAT           set table cell output formatting to\n"
    "                              FORMAT (\"string\", \"bare\", or "
    "\"json\")\n"
    "  --no-headings               omit table heading row\n"
    "  --pretty                    pretty-print JSON in output\n"
    "  --bare                      equivalent to \"--format=list "
    "--data=bare --no-headings\"\n"
    "\n"
    "Other options:\n"
    "  -v, --verbose[=SPEC]        set logging levels\n"
    "  --retry                     keep trying to connect\n"
    "  -h, --help                  display this help message\n"
    "  -V, --version               display version information\n";

static const struct ctl_tool nbctl_tool = {
    .program_name = "weft-nbctl",
    .db_env = "OVN_NB_DB",
    .rundir_env = "OVN_RUNDIR",
    .default_rundir = "/var/run/ovn",
    .socket_name = "ovnnb_db.sock",
    .class_ = &nbrec_idl_class,
    .tables = nbctl_tables,
    .n_tables = ARRAY_SIZE(nbctl_tables),
    .log_module = &this_module,
    .own_log_module = &nbctl_module,
    .singleton_table = "NB_Global",
    .options_env = "OVN_NBCTL_OPTIONS",
    .usage = "OVN northbound DB management utility",
    .options_help = nbctl_options_help,
    .prerequisites = nbctl_wait_prerequisites,
    .pre_commit = nbctl_wait_pre_commit,
    .post_commit = nbctl_wait_post_commit,
};

int
main(int argc, char *argv[])
{
    static const struct ctl_command_family families[] = {
        { nbctl_ls_commands, &nbctl_n_ls_commands },
        { nbctl_lr_commands, &nbctl_n_lr_commands },
        { nbctl_acl_commands, &nbctl_n_acl_commands },
        { nbctl_route_commands, &nbctl_n_route_commands },
        { nbctl_nat_commands, &nbctl_n_nat_commands },
        { nbctl_lb_commands, &nbctl_n_lb_commands },
        { nbctl_group_commands, &nbctl_n_group_commands },
        { nbctl_policy_commands, &nbctl_n_policy_commands },
        { nbctl_qos_commands, &nbctl_n_qos_commands },
        { nbctl_misc_commands, &nbctl_n_misc_commands },
        { ctl_conn_commands, &ctl_n_conn_commands },
        { nbctl_show_commands, &nbctl_n_show_commands },
        { nbctl_wait_commands, &nbctl_n_wait_commands },
    };
    return ctl_main_families(&nbctl_tool, families, ARRAY_SIZE(families),
                             argc, argv);
}
