/* weft-trace: simulates a packet through the logical pipelines of the
 * southbound database, with the pipeline engine the datapath runs.
 *
 *     weft-trace [--db=REMOTE] [--detailed|--summary|--minimal|--all]
 *                [--ct=FLAGS]... [--lb-dst=IP[:PORT]] [--select-id=ID]
 *                [--friendly-names|--no-friendly-names] [--ovs]
 *                [--nb-db=REMOTE] [--dhcp[=TYPE[:IP]]|--dns=NAME[:TYPE]|
 *                --ra|--payload=HEX] [--frame-hex] [--packet-len=N]
 *                [DATAPATH] MICROFLOW
 *
 * The command line is ovn-trace's (ovn-trace(8)); the database defaults to
 * $OVN_SB_DB, else unix:$OVN_RUNDIR/ovnsb_db.sock (OVN_RUNDIR defaults to
 * /var/run/ovn).  Each format is laid out as ovn-trace's; detailed and
 * summary end, when a copy of the packet was dropped, with a line saying
 * where (datapath, pipeline, stage, table), by which flow and why: the
 * northbound object behind the flow, read from --nb-db (default $OVN_NB_DB,
 * else unix:$OVN_RUNDIR/ovnnb_db.sock) when needed (cli/trace-why.h).
 * --dhcp, --dns, --ra and --payload give the packet a payload, so that
 * put_dhcp_opts, dns_lookup and put_nd_ra_opts build the actual reply,
 * shown after the trace (cli/trace-dhcp.h, cli/trace-dns.h,
 * cli/trace-ra.h); --packet-len gives
 * check_pkt_larger() the packet's length.
 *
 * Two options are weft's own aids: --bench=N times N untraced runs, and
 * --check-mask checks that the field mask of the result is safe for the
 * datapath's flow cache (pipeline_check_mask()), prints a "# mask: ..."
 * line with its size and exits 1 if it is not. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/trace-dhcp.h"
#include "cli/trace-dns.h"
#include "cli/trace-ra.h"
#include "cli/trace-sb.h"
#include "cli/trace-why.h"
#include "ds.h"
#include "expr/expr.h"
#include "ovsdb/client-io.h"
#include "ovsdb/client.h"
#include "ovsdb/sbrec-idl.h"
#include "packets.h"
#include "pipeline/pipeline.h"
#include "util.h"
#include "vlog.h"

struct trace_options {
    char *db;
    char *nb_db;                    /* For explaining drops. */
    struct trace_why *why;
    bool formats[3];                /* By enum pipeline_trace_format. */
    uint32_t ct_states[64];
    size_t n_ct_states;
    struct pipeline_run_params run;
    const char *datapath;           /* Or NULL. */
    unsigned int bench;             /* --bench=N: time N untraced runs. */
    bool check_mask;                /* --check-mask (a test aid). */
    const char *microflow;
    bool dhcp;                      /* --dhcp: synthesise a request. */
    struct trace_dhcp_req dhcp_req;
    const char *payload_hex;        /* --payload. */
    const char *dns;                /* --dns. */
    bool ra;                        /* --ra. */
    bool frame_hex;                 /* --frame-hex. */
};

static void
usage(void)
{
    printf("weft-trace: OVN logical network tracer\n"
           "usage: weft-trace [OPTIONS] [DATAPATH] MICROFLOW\n"
           "\nOutput format options:\n"
           "  --detailed              table-by-table \"backtrace\" (default)\n"
           "  --summary               less detailed, more parseable\n"
           "  --minimal               minimum to explain externally visible"
           " behavior\n"
           "  --all                   display all the formats\n"
           "\nOther options:\n"
           "  --db=DATABASE           connect to DATABASE\n"
           "  --nb-db=DATABASE        (weft) northbound DATABASE that "
           "explains drops\n"
           "  --ct=FLAGS              ct_state flags for each ct_next\n"
           "  --lb-dst=IP[:PORT]      backend a load balancer picks\n"
           "  --select-id=ID          member select() picks\n"
           "  --friendly-names        accepted (names are always shown)\n"
           "  --no-friendly-names     accepted\n"
           "  --bench=N               (weft) also time compiling and N "
           "untraced runs\n"
           "  --dhcp[=TYPE[:IP]]      (weft) the packet is a DHCP request "
           "made from the\n"
           "                          microflow (TYPE: discover, request,"
           " inform, release,\n"
           "                          decline; IPv6: solicit, request, "
           "renew, rebind,\n"
           "                          confirm, information-request; IP: "
           "requested address);\n"
           "                          put_dhcp_opts then builds the reply, "
           "shown decoded\n"
           "  --dns=NAME[:TYPE]       (weft) the packet is a DNS query "
           "for NAME made from\n"
           "                          the microflow (id: udp.src; TYPE: a "
           "(IPv4 default),\n"
           "                          aaaa (IPv6 default), ptr (NAME may be"
           " an address), any,\n"
           "                          or a number); dns_lookup then "
           "answers it, shown decoded\n"
           "  --ra                    (weft) the packet is the Router "
           "Solicitation (nd_rs)\n"
           "                          of the microflow; put_nd_ra_opts's "
           "RA is shown decoded\n"
           "  --payload=HEX           (weft) the packet's UDP payload, in "
           "hex\n"
           "  --packet-len=N          (weft) the packet's length in bytes "
           "(Ethernet header\n"
           "                          included) for check_pkt_larger; "
           "default unknown: false\n"
           "  --frame-hex             (weft) also print each output frame "
           "with a payload in hex\n"
           "  -h, --help              display this help message\n"
           "  -V, --version           display version information\n");
}

static void NO_RETURN
fatal(const char *format, ...) PRINTF_FORMAT(1, 2);

static void
fatal(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fputs("weft-trace: ", stderr);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
    exit(EXIT_FAILURE);
}

static void
parse_lb_dst(const char *arg, struct pipeline_run_params *run)
{
    struct ip_endpoint ep;
    bool quiet;
    char *error = ip_endpoint_parse(arg, &ep, &quiet);
    if (error) {
        fatal("%s: bad --lb-dst (%s)", arg, error);
    }
    if (ep.family == AF_INET) {
        run->lb_dst_family = 4;
        run->lb_dst_ip = u128_from_u64(ntohl(ep.ip4.s_addr));
    } else {
        run->lb_dst_family = 6;
        run->lb_dst_ip = u128_from_be_bytes(ep.ip6.s6_addr);
    }
    run->lb_dst_port = ep.port;
}

/* The defaults that depend on what was given, and the positional
 * arguments. */
static void
finish_options(int argc, char *argv[], struct trace_options *o)
{
    if (!o->formats[0] && !o->formats[1] && !o->formats[2]) {
        o->formats[PIPELINE_TRACE_DETAILED] = true;
    }
    int n_args = argc - optind;
    if (n_args == 2) {
        o->datapath = argv[optind];
        o->microflow = argv[optind + 1];
    } else if (n_args == 1) {
        o->microflow = argv[optind];
    } else {
        fatal("DATAPATH MICROFLOW or MICROFLOW required "
              "(use --help for help)");
    }
    if (!o->db) {
        const char *env = getenv("OVN_SB_DB");
        const char *rundir = getenv("OVN_RUNDIR");
        o->db = (env && env[0] ? xstrdup(env)
                 : xasprintf("unix:%s/ovnsb_db.sock",
                             rundir ? rundir : "/var/run/ovn"));
    }
    if (!o->nb_db) {
        const char *env = getenv("OVN_NB_DB");
        const char *rundir = getenv("OVN_RUNDIR");
        o->nb_db = (env && env[0] ? xstrdup(env)
                    : xasprintf("unix:%s/ovnnb_db.sock",
                                rundir ? rundir : "/var/run/ovn"));
    }
}

enum {
    OPT_DB = 256, OPT_DETAILED, OPT_SUMMARY, OPT_MINIMAL, OPT_ALL, OPT_CT,
    OPT_LB_DST, OPT_SELECT_ID, OPT_FRIENDLY, OPT_NO_FRIENDLY, OPT_OVS,
    OPT_BENCH, OPT_NB_DB, OPT_CHECK_MASK, OPT_DHCP, OPT_PAYLOAD,
    OPT_FRAME_HEX, OPT_DNS, OPT_PACKET_LEN, OPT_RA,
};

/* Handles option 'c' of getopt_long() (argument in 'optarg'). */
static void
parse_option(int c, struct trace_options *o)
{
    char *error;
    unsigned int id;
    switch (c) {
    case OPT_DB: free(o->db); o->db = xstrdup(optarg); break;
    case OPT_NB_DB: free(o->nb_db); o->nb_db = xstrdup(optarg); break;
    case OPT_DETAILED: o->formats[PIPELINE_TRACE_DETAILED] = true; break;
    case OPT_SUMMARY: o->formats[PIPELINE_TRACE_SUMMARY] = true; break;
    case OPT_MINIMAL: o->formats[PIPELINE_TRACE_MINIMAL] = true; break;
    case OPT_ALL:
        o->formats[0] = o->formats[1] = o->formats[2] = true;
        break;
    case OPT_CT:
        if (o->n_ct_states >= ARRAY_SIZE(o->ct_states)) {
            fatal("too many --ct options");
        }
        error = pipeline_ct_parse_flags(optarg,
                                        &o->ct_states[o->n_ct_states]);
        if (error) {
            fatal("%s", error);
        }
        o->n_ct_states++;
        break;
    case OPT_LB_DST: parse_lb_dst(optarg, &o->run); break;
    case OPT_SELECT_ID:
        if (!str_to_uint(optarg, 10, &id) || id > 65535) {
            fatal("%s: bad --select-id", optarg);
        }
        o->run.select_id = id;
        break;
    case OPT_FRIENDLY: case OPT_NO_FRIENDLY: break;
    case OPT_BENCH:
        if (!str_to_uint(optarg, 10, &o->bench) || !o->bench) {
            fatal("%s: bad --bench count", optarg);
        }
        break;
    case OPT_DHCP:
        error = trace_dhcp_parse(optarg, &o->dhcp_req);
        if (error) {
            fatal("%s", error);
        }
        o->dhcp = true;
        break;
    case OPT_PAYLOAD: o->payload_hex = optarg; break;
    case OPT_FRAME_HEX: o->frame_hex = true; break;
    case OPT_DNS: o->dns = optarg; break;
    case OPT_RA: o->ra = true; break;
    case OPT_PACKET_LEN:
        if (!str_to_uint(optarg, 10, &id) || id > 65535) {
            fatal("%s: bad --packet-len", optarg);
        }
        o->run.packet_len = id;
        break;
    case OPT_CHECK_MASK: o->check_mask = true; break;
    case OPT_OVS:
        fprintf(stderr, "weft-trace: --ovs is not supported (weft has "
                "no OpenFlow tables); ignored\n");
        break;
    case 'h': usage(); exit(EXIT_SUCCESS);
    case 'V': printf("weft-trace (weft) %s\n", WEFT_VERSION);
        exit(EXIT_SUCCESS);
    default: exit(EXIT_FAILURE);
    }
}

static void
parse_options(int argc, char *argv[], struct trace_options *o)
{
    static const struct option long_options[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"nb-db", required_argument, NULL, OPT_NB_DB},
        {"detailed", no_argument, NULL, OPT_DETAILED},
        {"summary", no_argument, NULL, OPT_SUMMARY},
        {"minimal", no_argument, NULL, OPT_MINIMAL},
        {"all", no_argument, NULL, OPT_ALL},
        {"ct", required_argument, NULL, OPT_CT},
        {"lb-dst", required_argument, NULL, OPT_LB_DST},
        {"select-id", required_argument, NULL, OPT_SELECT_ID},
        {"friendly-names", no_argument, NULL, OPT_FRIENDLY},
        {"no-friendly-names", no_argument, NULL, OPT_NO_FRIENDLY},
        {"ovs", optional_argument, NULL, OPT_OVS},
        {"bench", required_argument, NULL, OPT_BENCH},
        {"dhcp", optional_argument, NULL, OPT_DHCP},
        {"payload", required_argument, NULL, OPT_PAYLOAD},
        {"frame-hex", no_argument, NULL, OPT_FRAME_HEX},
        {"dns", required_argument, NULL, OPT_DNS},
        {"ra", no_argument, NULL, OPT_RA},
        {"packet-len", required_argument, NULL, OPT_PACKET_LEN},
        {"check-mask", no_argument, NULL, OPT_CHECK_MASK},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    int c;
    o->run.select_id = -1;
    while ((c = getopt_long(argc, argv, "hV", long_options, NULL)) != -1) {
        parse_option(c, o);
    }
    finish_options(argc, argv, o);
}

static double
now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct pipeline *
load_pipeline(const struct trace_options *o, const struct symtab *symtab)
{
    char *error = NULL;
    double t0 = now_sec();
    struct ovsdb_client *c = ovsdb_client_sync_open(o->db, &sbrec_idl_class,
                                                    NULL, trace_sb_tables,
                                                    30000, &error);
    if (!c) {
        fatal("%s", error);
    }
    double t1 = now_sec();
    struct pipeline_input *in = pipeline_input_create();
    trace_sb_load(c, in);
    trace_why_load_sb(o->why, c);
    ovsdb_client_destroy(c);
    if (o->bench) {
        fprintf(stderr, "bench: db_load_ms=%.1f sb_to_input_ms=%.1f\n",
                (t1 - t0) * 1e3, (now_sec() - t1) * 1e3);
    }
    double start = now_sec();
    struct pipeline *pl = pipeline_compile(in, symtab, NULL, NULL);
    if (o->bench) {
        fprintf(stderr, "bench: compile_ms=%.1f flows=%zu\n",
                (now_sec() - start) * 1e3, pipeline_n_flows(pl));
    }
    pipeline_input_destroy(in);
    for (size_t i = 0; i < pipeline_n_errors(pl); i++) {
        fprintf(stderr, "weft-trace: %s\n", pipeline_error(pl, i));
    }
    return pl;
}

static void
print_drops(const struct pipeline *pl, const struct trace_options *o,
            const struct pipeline_result *res)
{
    if (res->n_outputs || !res->n_drops) {
        return;
    }
    const struct pipeline_drop *d = &res->drops[res->n_drops - 1];
    struct ds why = DS_EMPTY_INITIALIZER;
    trace_why_explain(o->why, pl, d, &why);
    printf("\n/* Dropped in %s pipeline of \"%s\", table %u%s%s%s: %s",
           d->pipeline == ACTIONS_INGRESS ? "the ingress" : "the egress",
           pipeline_datapath_name(pl, d->dp_key), d->table,
           d->stage ? " (" : "", d->stage ? d->stage : "",
           d->stage ? ")" : "", ds_cstr(&why));
    ds_destroy(&why);
    if (d->flow_uuid) {
        printf(", by logical flow %.8s (%s)", d->flow_uuid, d->match);
    }
    if (d->stage_hint) {
        printf(", from northbound row %.8s", d->stage_hint);
    }
    printf(". */\n");
}

/* Prints the trace of 'flow' in each format 'o' asks for. */
static void
print_trace(const struct pipeline *pl, const struct symtab *symtab,
            const struct trace_options *o, const struct symtab_flow *flow,
            const struct pipeline_result *res)
{
    static const char *const banners[3] = {
        "Detailed trace", "Summary trace", "Minimal trace" };
    struct ds s = DS_EMPTY_INITIALIZER;
    pipeline_format_packet(pl, symtab, flow, &s);
    /* With several formats (--all), ovn-trace prints the packet once and
     * a "# Detailed trace." line before each. */
    bool all = o->formats[0] + o->formats[1] + o->formats[2] > 1;
    printf("# %s\n", ds_cstr(&s));
    for (int f = 0; f < 3; f++) {
        if (!o->formats[f]) {
            continue;
        }
        if (all) {
            printf("# %s.\n", banners[f]);
        }
        struct ds t = DS_EMPTY_INITIALIZER;
        pipeline_trace_format(res, f, &t);
        fputs(ds_cstr(&t), stdout);
        ds_destroy(&t);
        if (f != PIPELINE_TRACE_MINIMAL) {
            print_drops(pl, o, res);
        }
    }
    struct ds replies = DS_EMPTY_INITIALIZER;
    trace_dhcp_format_outputs(res, o->frame_hex, &replies);
    fputs(ds_cstr(&replies), stdout);
    ds_destroy(&replies);
    ds_destroy(&s);
}

/* Reports 'error' in 'microflow' and exits; if the error is about the
 * token at byte 'pos', shows the microflow with that token underlined:
 *
 *     weft-trace: Invalid numeric constant.
 *       inport == "vm1" && ip4.src == 10.0.0.300
 *                                     ^~~~~~~~~~
 */
static void
report_microflow_error(const char *microflow, const char *error, size_t pos)
{
    size_t len = strlen(microflow);

    fprintf(stderr, "weft-trace: %s\n", error);
    if (pos <= len && !strchr(microflow, '\n')) {
        size_t end = pos + 1;
        while (end < len && !strchr(" \t&|()!=<>{},", microflow[end])) {
            end++;
        }
        fprintf(stderr, "  %s\n  %*s^", microflow, (int) pos, "");
        for (size_t i = pos + 1; i < end; i++) {
            fputc('~', stderr);
        }
        fputc('\n', stderr);
    }
    exit(EXIT_FAILURE);
}

/* Times 'o->bench' untraced runs of 'flow', as the datapath's slow path
 * would make them, and prints packets per second to stderr. */
static void
run_bench(const struct pipeline *pl, const struct trace_options *o,
          uint32_t dp_key, const struct symtab_flow *flow)
{
    size_t n_outputs = 0;
    double start = now_sec();
    for (unsigned int i = 0; i < o->bench; i++) {
        struct pipeline_result res;
        pipeline_run(pl, &o->run, dp_key, flow, &res);
        n_outputs += res.n_outputs;
        pipeline_result_destroy(&res);
    }
    double elapsed = now_sec() - start;
    fprintf(stderr, "bench: packets=%u outputs=%zu seconds=%.3f pps=%.0f\n",
            o->bench, n_outputs, elapsed, o->bench / elapsed);
}

/* --check-mask: says how many header bits the mask of 'res' covers and
 * whether flipping the others changes the result (pipeline_check_mask());
 * returns the exit status. */
static int
check_mask(const struct pipeline *pl, const struct trace_options *o,
           uint32_t dp_key, const struct symtab_flow *flow,
           const struct pipeline_result *res)
{
    struct ds report = DS_EMPTY_INITIALIZER;
    size_t n_runs;
    struct pipeline_run_params run = o->run;
    run.trace = false;
    size_t n_bad = pipeline_check_mask(pl, &run, dp_key, flow, res,
                                       &report, &n_runs);
    struct ds fields = DS_EMPTY_INITIALIZER;
    pipeline_mask_format(&res->mask, &fields);
    printf("# mask: %u header bits; %zu flipped runs, %zu unsafe\n"
           "# mask fields: %s\n%s", pipeline_mask_n_bits(&res->mask),
           n_runs, n_bad, ds_cstr(&fields), ds_cstr(&report));
    ds_destroy(&fields);
    ds_destroy(&report);
    return n_bad ? EXIT_FAILURE : 0;
}

int
main(int argc, char *argv[])
{
    struct trace_options o = { .db = NULL };
    parse_options(argc, argv, &o);
    o.why = trace_why_create(o.nb_db, 2000);
    /* An unreachable database is reported by the tool, once. */
    free(vlog_set_levels_from_string("ovsdb_client:console:err"));

    struct symtab *symtab = symtab_create();
    struct pipeline *pl = load_pipeline(&o, symtab);

    struct expr_env env;
    pipeline_expr_env(pl, &env);
    struct symtab_flow flow;
    symtab_flow_init(&flow);
    size_t error_pos;
    char *error = expr_parse_microflow_at(o.microflow, &env, NULL, NULL,
                                          &flow, &error_pos);
    if (error) {
        report_microflow_error(o.microflow, error, error_pos);
    }
    uint32_t dp_key;
    if (o.datapath ? !pipeline_find_datapath(pl, o.datapath, &dp_key)
        : !flow.inport || !pipeline_port_datapath(pl, flow.inport,
                                                  &dp_key)) {
        fatal(o.datapath ? "%s: unknown datapath" : "microflow has no "
              "known inport, so a datapath is required%s",
              o.datapath ? o.datapath : "");
    }

    struct ds payload = DS_EMPTY_INITIALIZER;
    if (o.dhcp + !!o.payload_hex + !!o.dns + o.ra > 1) {
        fatal("--dhcp, --dns, --ra and --payload are mutually exclusive");
    } else if (o.dhcp || o.payload_hex || o.dns || o.ra) {
        error = (o.dhcp ? trace_dhcp_synthesize(&o.dhcp_req, &flow, &payload)
                 : o.dns ? trace_dns_synthesize(o.dns, &flow, &payload)
                 : o.ra ? trace_ra_synthesize(&flow, &payload)
                 : trace_dhcp_parse_hex(o.payload_hex, &payload));
        if (error) {
            fatal("%s", error);
        }
        o.run.payload = (const uint8_t *) ds_cstr(&payload);
        o.run.payload_len = payload.length;
    }

    struct pipeline_ct_list ct = {
        .states = o.ct_states, .n_states = o.n_ct_states,
        .dflt = PIPELINE_CS_TRK | PIPELINE_CS_EST,
    };
    o.run.ct.lookup = pipeline_ct_list_lookup;
    o.run.ct.aux = &ct;
    if (o.bench) {
        run_bench(pl, &o, dp_key, &flow);
    }
    o.run.trace = true;
    struct pipeline_result res;
    pipeline_run(pl, &o.run, dp_key, &flow, &res);

    print_trace(pl, symtab, &o, &flow, &res);
    int status = 0;
    if (o.check_mask) {
        status = check_mask(pl, &o, dp_key, &flow, &res);
    }
    pipeline_result_destroy(&res);
    ds_destroy(&payload);
    symtab_flow_destroy(&flow);
    pipeline_destroy(pl);
    symtab_destroy(symtab);
    trace_why_destroy(o.why);
    free(o.nb_db);
    free(o.db);
    return status;
}
