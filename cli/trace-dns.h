/* cli/trace-dns: weft-trace's DNS queries and the replies it shows.
 *
 * ovn-trace has no packet payload: its dns_lookup() never answers, and
 * the query goes on as ordinary traffic.  weft-trace does the same by
 * default.  With --dns=NAME[:TYPE] it gives the engine a real DNS query
 * for NAME, made from the microflow (the query id is udp.src; the
 * default type is A for an IPv4 microflow, AAAA for IPv6), so that
 * dns_lookup() answers it from the SB DNS records as ovn-controller
 * does.  TYPE: a, aaaa, ptr, any, or a number.  With TYPE ptr, a NAME
 * that is an IPv4 or IPv6 address is turned into its reverse name
 * ("11.13.0.10.in-addr.arpa", "...ip6.arpa").  The reply is shown after
 * the trace by cli/trace-dhcp.h's output decoding. */
#ifndef WEFT_CLI_TRACE_DNS_H
#define WEFT_CLI_TRACE_DNS_H 1

#include <stddef.h>
#include <stdint.h>

struct ds;
struct symtab_flow;

/* Appends to 'payload' the query that --dns's argument 'arg' asks for,
 * made from 'flow''s headers.  Returns NULL or an owned error (a bad
 * type, a name that is not a valid domain name). */
char *trace_dns_synthesize(const char *arg, const struct symtab_flow *flow,
                           struct ds *payload);

/* Appends a one-line decoding of the DNS message in 'len' bytes of
 * 'payload'.  Returns NULL or an owned error (and appends nothing). */
char *trace_dns_format_payload(const uint8_t *payload, size_t len,
                               struct ds *out);

#endif
