/* cli/trace-ra: weft-trace's Router Solicitations and the Router
 * Advertisements it shows.
 *
 * ovn-trace cannot trace put_nd_ra_opts (it aborts on an assertion).
 * weft-trace runs it on the microflow's headers: an ICMPv6 Router
 * Solicitation (nd_rs) without a payload is an RS without options.  With
 * --ra it gives the engine the body of the RS a host sends: reserved,
 * then a source link-layer address option with eth.src (left out when
 * ip6.src is ::, as RFC 4861 §4.1 wants).  Either way the Router
 * Advertisement put_nd_ra_opts builds is shown after the trace by
 * cli/trace-dhcp.h's output decoding, with trace_ra_format_payload(). */
#ifndef WEFT_CLI_TRACE_RA_H
#define WEFT_CLI_TRACE_RA_H 1

#include <stddef.h>
#include <stdint.h>

struct ds;
struct symtab_flow;

/* Appends to 'payload' the body of the RS made from 'flow''s headers.
 * Returns NULL, or an owned error if 'flow' is not an ICMPv6 Router
 * Solicitation. */
char *trace_ra_synthesize(const struct symtab_flow *flow, struct ds *payload);

/* Appends a one-line decoding of the Router Advertisement body (after the
 * ICMPv6 checksum) in 'len' bytes of 'body', e.g. "Router Advertisement
 * hop limit 255, flags O, prf HIGH, router lifetime 65535, slla
 * 00:00:00:00:0a:ff, mtu 1400, prefix fd00:1::/64 LA".  Returns NULL or
 * an owned error for a truncated message (and appends nothing). */
char *trace_ra_format_payload(const uint8_t *body, size_t len,
                              struct ds *out);

#endif
