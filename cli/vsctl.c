/* weft-vsctl: ovs-vsctl for a chassis's local configuration database.
 * main() only wires the command engine (db-ctl.h) to the Open_vSwitch
 * schema and to weft-vsctl's own commands (vsctl-private.h). */
#include "cli/db-ctl.h"
#include "cli/vsctl-private.h"
#include "ovsdb/ovsrec-idl.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(vsctl);

/* How rows of each table may be named besides by UUID (and "." for a
 * table's only row), as ovs-vsctl 3.1 allows, in the order tried. */
static const struct ctl_table_class vsctl_tables[] = {
    { "AutoAttach", { { "Bridge", "name", NULL, "auto_attach" } } },
    { "Bridge", { { "Bridge", "name", NULL, NULL } } },
    { "Controller", { { "Bridge", "name", NULL, "controller" } } },
    { "Flow_Sample_Collector_Set",
      { { "Flow_Sample_Collector_Set", "id", NULL, NULL } } },
    { "Flow_Table", { { "Flow_Table", "name", NULL, NULL } } },
    { "IPFIX", { { "Bridge", "name", NULL, "ipfix" } } },
    { "Interface", { { "Interface", "name", NULL, NULL } } },
    { "Manager", { { "Manager", "target", NULL, NULL } } },
    { "Mirror", { { "Mirror", "name", NULL, NULL } } },
    { "NetFlow", { { "Bridge", "name", NULL, "netflow" } } },
    { "Port", { { "Port", "name", NULL, NULL } } },
    { "QoS", { { "Port", "name", NULL, "qos" } } },
    { "sFlow", { { "Bridge", "name", NULL, "sflow" } } },
};

static const char vsctl_commands_help[] =
    "Switch-wide commands:\n"
    "  init                        create the Open_vSwitch row if missing\n"
    "  show                        overview of bridges, ports, interfaces\n"
    "  emer-reset                  drop controllers, managers, SSL, "
    "mirrors,\n"
    "                              flow monitors, fail modes, other_config\n"
    "\n"
    "Bridge commands:\n"
    "  add-br BRIDGE               new bridge BRIDGE with its local port\n"
    "  add-br BRIDGE PARENT VLAN   new VLAN (fake) bridge inside PARENT\n"
    "  del-br BRIDGE               remove BRIDGE, its ports and VLAN "
    "bridges\n"
    "  list-br                     bridge names (--real, --fake: only "
    "those)\n"
    "  br-exists BRIDGE            exit status 2 unless BRIDGE exists\n"
    "  br-to-vlan BRIDGE           VLAN of a fake BRIDGE (0 if real)\n"
    "  br-to-parent BRIDGE         parent of a fake BRIDGE (else BRIDGE)\n"
    "  br-set-external-id BRIDGE KEY [VALUE]  set (or without VALUE "
    "remove) KEY\n"
    "  br-get-external-id BRIDGE [KEY]  value of KEY, or all KEY=VALUE\n"
    "\n"
    "Port commands (a bond is one port):\n"
    "  list-ports BRIDGE           port names of BRIDGE\n"
    "  add-port BRIDGE PORT [COLUMN[:KEY]=VALUE]...  new port and "
    "interface PORT\n"
    "  add-bond BRIDGE PORT IFACE... [COLUMN[:KEY]=VALUE]...  new bonded "
    "PORT\n"
    "  del-port [BRIDGE] PORT      remove PORT (--with-iface: or the port "
    "of\n"
    "                              interface PORT)\n"
    "  port-to-br PORT             bridge that has PORT\n"
    "\n"
    "Interface commands (a bond has several):\n"
    "  list-ifaces BRIDGE          interface names of BRIDGE\n"
    "  iface-to-br IFACE           bridge that has IFACE\n"
    "\n"
    "Controller commands:\n"
    "  get-controller BRIDGE       print the controllers for BRIDGE\n"
    "  del-controller BRIDGE       delete the controllers for BRIDGE\n"
    "  [--inactivity-probe=MSECS]\n"
    "  set-controller BRIDGE TARGET...  set the controllers for BRIDGE\n"
    "  get-fail-mode BRIDGE        print the fail-mode for BRIDGE\n"
    "  del-fail-mode BRIDGE        delete the fail-mode for BRIDGE\n"
    "  set-fail-mode BRIDGE MODE   set the fail-mode for BRIDGE to MODE\n"
    "\n"
    "Manager commands:\n"
    "  get-manager                 print the managers\n"
    "  del-manager                 delete the managers\n"
    "  [--inactivity-probe=MSECS]\n"
    "  set-manager TARGET...       set the list of managers to TARGET...\n"
    "\n"
    "Auto Attach commands:\n"
    "  add-aa-mapping BRIDGE I-SID VLAN   add Auto Attach mapping to BRIDGE\n"
    "  del-aa-mapping BRIDGE I-SID VLAN   delete Auto Attach mapping VLAN "
    "from BRIDGE\n"
    "  get-aa-mapping BRIDGE              get Auto Attach mappings from "
    "BRIDGE\n"
    "\n"
    "SSL commands:\n"
    "  get-ssl                     print the SSL configuration\n"
    "  del-ssl                     delete the SSL configuration\n"
    "  [--bootstrap]\n"
    "  set-ssl PRIV-KEY CERT CA-CERT  set the SSL configuration\n"
    "\n"
    "--may-exist (add-br, add-port, add-bond) and --if-exists (del-br,\n"
    "del-port) make an existing or missing object no error.  Unless\n"
    "--no-wait, a run that changes the database waits for the switch to\n"
    "apply it (Open_vSwitch cur_cfg to reach next_cfg).\n";

static const struct ctl_tool vsctl_tool = {
    .program_name = "weft-vsctl",
    .db_env = NULL,
    .rundir_env = "OVS_RUNDIR",
    .default_rundir = "/var/run/openvswitch",
    .socket_name = "db.sock",
    .class_ = &ovsrec_idl_class,
    .tables = vsctl_tables,
    .n_tables = ARRAY_SIZE(vsctl_tables),
    .log_module = &this_module,
    .usage = "ovs-vswitchd management utility",
    .commands_help = vsctl_commands_help,
    .singleton_table = "Open_vSwitch",
    .prerequisites = vsctl_prerequisites,
    .pre_commit = vsctl_pre_commit,
    .post_commit = vsctl_post_commit,
};

int
main(int argc, char *argv[])
{
    static const struct ctl_command_family families[] = {
        { vsctl_commands, &vsctl_n_commands },
        { vsctl_conn_commands, &vsctl_n_conn_commands },
        { vsctl_aa_commands, &vsctl_n_aa_commands },
    };
    return ctl_main_families(&vsctl_tool, families, ARRAY_SIZE(families),
                             argc, argv);
}
