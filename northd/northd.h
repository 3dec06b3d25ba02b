/* northd/northd: the NB -> SB compiler as one function.
 *
 * northd_run() reads the NB and SB replicas, computes from scratch the
 * southbound state the northbound one calls for, and writes the
 * differences into a transaction on each client:
 *
 *     compute   datapaths_build   Datapath per switch/router, keys
 *               ports_build       ports, peers, cr- ports, keys, tags
 *               gateways_build    HA chassis groups
 *               global_build      NB_Global/SB_Global options, features
 *               mcast_build       multicast groups
 *               sync_build        address sets, port groups
 *               lflow builders    logical flows (northd_lflow_builders)
 *     SB write  datapaths, HA groups, ports, multicast, IP multicast,
 *               address sets, port groups, DHCP catalogues, meters,
 *               RBAC, SB_Global, logical flows (referenced tables first)
 *     NB write  Logical_Switch_Port tag/up, NB_Global options
 *
 * Existing SB rows supply the tunnel keys to keep (datapaths.h, ports.h)
 * and the chassis.
 *
 * Incremental processing (incr.c).  The full recompute above is the
 * reference; two cheaper paths replace it when the replicas' tracked
 * changes (ovsdb/client.h; the session clears them after every run)
 * allow, and fall back to it otherwise:
 *
 *   skip   nothing northd reads changed: only the echo of our own last
 *          SB transaction (every SB table shows exactly the rows inserted,
 *          updated and deleted that it wrote: anything else, such as
 *          someone editing a flow, means a full run), Chassis_Private,
 *          NB_Global sb_cfg/hv_cfg/timestamps, and LSP up/tag/
 *          dynamic_addresses (columns northd writes; a change to them by
 *          someone else waits for the next full run).  No compile; the
 *          session still does the sb_cfg/hv_cfg bookkeeping (global.h).
 *   incr   besides those, only Logical_Switch_Port rows inserted, deleted
 *          or changed in addresses, port_security, enabled, options,
 *          external_ids or dhcpv4/dhcpv6_options, Logical_Switch rows
 *          whose only changes are 'ports' (gaining inserted and losing
 *          deleted LSPs) and 'acls', Port_Group rows whose only changes
 *          are 'ports' and 'acls', ACL rows inserted or deleted (each
 *          gained or lost by such a switch or group), and NB_Global
 *          nb_cfg.  Each such port must be a plain VIF ("" type, no
 *          parent or tag, no HA group, no mirror, no requested-tnl-key,
 *          no dynamic address) before and after, and not named by a NAT,
 *          forwarding group, virtual port or load balancer health check;
 *          its switch must have no IPAM and no multicast snooping, and
 *          must keep whether it has "unknown" ports and whether all its
 *          ports are router ports.  Then: the port is replaced in 'ports'
 *          and its datapath (the binding and key kept; a new port takes
 *          the next free key), its flows are taken back (lflow.h owners)
 *          and rebuilt by the same per-port code the full build runs
 *          (ls_build_l2_port_flows(), ls_build_arp_rsp_port_flows(),
 *          ls_build_dhcp_port_flows(), acl_build_dhcp_port_flows(),
 *          lr_build_resolve_for_lsp()).  The port groups whose 'ports'
 *          changed or that hold a changed port are rebuilt
 *          (sync_rebuild_port_group(): per-switch parts, $pg_ip4/6); a
 *          group that gains or loses a switch while it has ACLs (or
 *          while its ACLs change) needs a full run.  A lost ACL's flows
 *          are taken back (owner: the ACL row), a gained one's built on
 *          each switch of its switch or group (acl_build_acl_flows()),
 *          provided every switch touched keeps its ACL facts (acl.h:
 *          has ACLs, has an allow-related one, has VIPs); else full.
 *          Only the delta is written: its Port_Binding, its switch's
 *          Multicast_Group rows, the port groups' SB Port_Group and
 *          Address_Set rows, the flows removed and added, its NB
 *          up/tag/dynamic_addresses, SB_Global nb_cfg.
 *   full   anything else, a forced recompute, or no valid compiled state
 *          (start, a failed transaction, a failed adoption).
 *
 * The compiled state therefore lives from one run to the next.  It holds
 * replica row pointers only (never pointers into updated columns of rows
 * it keeps); rows our own transaction inserted are temporary, so when the
 * SB transaction succeeds northd_sb_txn_done() points the state at the
 * rows the server created (all of them after a full run, the few the
 * incremental run inserted otherwise).  Counters survive for
 * "weft-appctl northd/stats" (runs by kind, the last and longest run,
 * the longest since "northd/stats-clear").
 *
 * Pipeline modules.  A module that generates logical flows provides a
 * 'northd_lflow_builder' and is listed in northd.c's builder array; it
 * reads the compiled state through 'struct northd' (datapaths, ports,
 * gateways, mcast groups, port groups, global options) and adds flows
 * with lflow_add() (lflow.h).  Builders run after every other module's
 * build step, before anything is written.  A module that also owns SB
 * tables of its own (load balancers, DNS, ...) adds its build step to
 * compute() and its sync step to write_sb() in northd.c, after the
 * tables its rows reference.
 *
 * The caller (session.c) owns the clients and transactions and commits
 * them.  Not thread-safe. */
#ifndef WEFT_NORTHD_NORTHD_H
#define WEFT_NORTHD_NORTHD_H 1

#include <stddef.h>
#include "shash.h"
#include "northd/acl.h"
#include "northd/datapaths.h"
#include "northd/dbdiff.h"
#include "northd/gateways.h"
#include "northd/global.h"
#include "northd/lflow.h"
#include "northd/mcast.h"
#include "northd/ports.h"
#include "northd/sync.h"

struct ds;
struct ovsdb_client;
struct ovsdb_client_txn;

/* Phases timed by northd_run(). */
#define NORTHD_PHASES                           \
    PHASE(DATAPATHS, "datapaths")               \
    PHASE(PORTS, "ports")                       \
    PHASE(GATEWAYS, "gateways")                 \
    PHASE(MCAST, "mcast")                       \
    PHASE(SYNC, "sync")                         \
    PHASE(LFLOWS, "lflows")                     \
    PHASE(SB_WRITE, "sb-write")                 \
    PHASE(NB_WRITE, "nb-write")

enum northd_phase {
#define PHASE(ENUM, NAME) NORTHD_PHASE_##ENUM,
    NORTHD_PHASES
#undef PHASE
    NORTHD_N_PHASES
};

/* What a northd_run() did (see the file comment). */
enum northd_run_kind {
    NORTHD_RUN_SKIP,            /* Nothing northd reads changed. */
    NORTHD_RUN_INCR,            /* The incremental port path. */
    NORTHD_RUN_FULL,            /* A full recompute. */
};

struct northd_stats {
    unsigned long long n_runs;
    unsigned long long n_full, n_incr, n_skipped;   /* By kind. */
    enum northd_run_kind last_kind;
    long long last_incr_us;     /* Duration of the last incremental run. */
    long long max_incr_us;      /* Longest incremental run. */
    long long last_run_wall_ms;         /* Wall clock of the last run. */
    long long last_us[NORTHD_N_PHASES]; /* Durations of the last run. */
    long long last_total_us;
    long long max_total_us;     /* Longest run since start or the last
                                 * northd_stats_clear(). */

    /* Sizes of the last compiled state. */
    size_t n_datapaths, n_ports, n_mcast_groups, n_lflows;
    size_t n_address_sets, n_port_groups, n_ha_groups;
    unsigned long long n_lflow_duplicates;
    size_t n_lflows_reused;     /* Taken over from the previous run
                                 * without comparing (lflow_sync()). */

    /* Rows written by the last run that changed SB and since start, per
     * SB table (by client table index), and in NB. */
    unsigned long long n_changing_runs;
    struct dbdiff_table_stats *sb_last, *sb_total;
    size_t n_sb_tables;
    struct dbdiff_table_stats nb_last, nb_total;
};

struct northd {
    /* The replicas being compiled, during northd_run() only. */
    const struct ovsdb_client *nb, *sb;

    /* The compiled state, valid during northd_run() only. */
    struct northd_datapaths datapaths;
    struct northd_ports ports;
    struct gateways gateways;
    struct mcast mcast;
    struct sync sync;
    struct lflow_table lflows;

    /* Kept across runs. */
    struct lflow_table prev_lflows;     /* The last full run's flows. */
    bool compiled;              /* Is there compiled state to destroy? */
    struct northd_incr {
        bool valid;             /* Compiled state matches the replicas
                                 * (as of the last tracked-change clear)
                                 * and may be updated incrementally. */
        bool adopt_all;         /* The last SB transaction was a full
                                 * run's: adopt by walking everything. */
        bool adopt_sync;        /* The last incremental run inserted SB
                                 * Port_Group or Address_Set rows. */
        struct dbdiff_table_stats *echo;    /* Rows the last SB
                                             * transaction wrote, by SB
                                             * table index. */
        size_t n_echo;
        struct shash referenced;    /* LSP names other NB rows name
                                     * (NAT, forwarding groups, virtual
                                     * parents, LB health checks). */
        /* Inserted by the last incremental run, to adopt. */
        struct northd_port **new_ports;
        size_t n_new_ports, allocated_new_ports;
        struct lflow **new_flows;
        size_t n_new_flows, allocated_new_flows;
        /* The plan incr_classify() made. */
        const struct ovsdb_client_row **lsps;   /* Changed LSP rows. */
        size_t n_lsps, allocated_lsps;
        const struct ovsdb_client_row **lss;    /* LS rows whose 'ports'
                                                 * changed. */
        size_t n_lss, allocated_lss;
        const struct ovsdb_client_row **pgs;    /* Port_Group rows whose
                                                 * 'ports' changed. */
        size_t n_pgs, allocated_pgs;
        struct acl_facts *facts;    /* By switch index, as of the last
                                     * full run. */
    } incr;
    struct global global;
    struct northd_stats stats;
};

typedef void northd_lflow_builder(const struct northd *,
                                  struct lflow_table *);

void northd_init(struct northd *);
void northd_destroy(struct northd *);

/* Compiles what the replicas' tracked changes call for (everything with
 * 'force') and writes the differences into 'sb_txn' (on 'sb') and
 * 'nb_txn' (on 'nb'), which the caller then commits.  The caller clears
 * both clients' tracked changes after the commit.  Returns what it did. */
enum northd_run_kind northd_run(struct northd *, struct ovsdb_client *nb,
                                struct ovsdb_client *sb,
                                struct ovsdb_client_txn *nb_txn,
                                struct ovsdb_client_txn *sb_txn, bool force);
/* Tells northd how the SB transaction of its last run ended ('txn' is
 * NULL if none was sent; 'ok' false if it failed). */
void northd_sb_txn_done(struct northd *, const struct ovsdb_client_txn *txn,
                        bool ok);
/* Forgets the longest run times ("northd/stats-clear"). */
void northd_stats_clear(struct northd *);

/* Appends the counters, as "weft-appctl northd/stats" prints them.
 * 'sb' names the SB tables. */
void northd_stats_format(const struct northd *, const struct ovsdb_client *sb,
                         struct ds *);

#endif
