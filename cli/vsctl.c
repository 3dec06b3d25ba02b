/* weft-vsctl: ovs-vsctl for a chassis's local configuration database.
 * main() only wires the command engine (db-ctl.h) to the Open_vSwitch
 * schema. */
#include "cli/db-ctl.h"
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
};

int
main(int argc, char *argv[])
{
    return ctl_main(&vsctl_tool, argc, argv);
}
