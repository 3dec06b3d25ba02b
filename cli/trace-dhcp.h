/* cli/trace-dhcp: weft-trace's DHCP requests and the replies it shows.
 *
 * ovn-trace has no packet payload: it assumes that a packet reaching
 * put_dhcp_opts is a DHCPDISCOVER or DHCPREQUEST.  weft-trace does the
 * same by default.  With --dhcp[=TYPE[:IP]] it gives the engine a real
 * request, made from the microflow's headers (chaddr and client DUID from
 * eth.src, ciaddr from ip4.src), so that put_dhcp_opts builds the actual
 * reply as the datapath would; with --payload=HEX it gives the engine
 * any UDP payload.  After the trace, each output that carries a payload
 * is shown decoded ("DHCPOFFER xid ..., yiaddr 10.0.0.5, router ...")
 * and, with --frame-hex, as the Ethernet frame's bytes in hex.
 *
 * TYPE: discover (the default for IPv4), request, inform, release,
 * decline; for IPv6 solicit (the default), request, renew, rebind,
 * confirm, information-request, release, decline.  ":IP" gives a
 * DHCPv4 request's requested address (option 50). */
#ifndef WEFT_CLI_TRACE_DHCP_H
#define WEFT_CLI_TRACE_DHCP_H 1

#include <stdbool.h>
#include <stdint.h>

struct ds;
struct pipeline_result;
struct symtab_flow;

struct trace_dhcp_req {
    char type[32];                  /* As given, or "" for the default. */
    bool has_requested_ip;
    uint32_t requested_ip;          /* Host byte order. */
};

/* Parses --dhcp's argument (NULL: none given).  Returns NULL or an owned
 * error. */
char *trace_dhcp_parse(const char *arg, struct trace_dhcp_req *);

/* Appends to 'payload' the request 'req' made from 'flow''s headers (an
 * IPv6 microflow gets a DHCPv6 request).  Returns NULL or an owned error
 * (a type that does not exist for the microflow's family). */
char *trace_dhcp_synthesize(const struct trace_dhcp_req *,
                            const struct symtab_flow *flow,
                            struct ds *payload);

/* Parses --payload's hex bytes into 'payload'.  Returns NULL or an owned
 * error. */
char *trace_dhcp_parse_hex(const char *hex, struct ds *payload);

/* Appends, for each output of 'res' with a payload, a comment decoding it
 * and, if 'frame_hex', a line with its frame in hex. */
void trace_dhcp_format_outputs(const struct pipeline_result *res,
                               bool frame_hex, struct ds *out);

#endif
