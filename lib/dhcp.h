/* dhcp: DHCPv4 (RFC 2131/2132) and DHCPv6 (RFC 8415) messages — parsing
 * them from the UDP payload, building them, and printing a one-line
 * summary.
 *
 * What it is for.  The datapath's native DHCP responder (and weft-trace,
 * which runs the same pipeline engine) gets a client's request as the
 * payload of a UDP packet, and must send back a real reply built from the
 * options of put_dhcp_opts / put_dhcpv6_opts.  This module knows the wire
 * formats only; which reply a request gets is pipeline/pipeline-dhcp.c's
 * business.
 *
 * Parsing.  dhcp_parse() and dhcp6_parse() read a message from 'len' bytes
 * and return NULL, or an owned error naming what is wrong ("truncated
 * BOOTP header (12 bytes)", "option 53 overruns the message").  Every
 * read is bounds-checked against 'len'; hostile input is rejected as a
 * unit and never read out of bounds.  A parsed DHCPv4 message owns copies
 * of its option values (options split over several instances, RFC 3396,
 * are concatenated), so it does not refer to the input afterwards;
 * dhcp_msg_destroy() frees them.  A parsed DHCPv6 message points into the
 * input, which must outlive it (nothing to free).
 *
 * Building.  Bytes are appended to a 'struct ds' used as a byte buffer
 * (its 'length' is the message size; the string may hold NULs).
 * dhcp_put_header() writes the fixed BOOTP part and the magic cookie,
 * dhcp_put_option() one option (split in 255-byte pieces if longer),
 * dhcp_put_end() the end option.  dhcp6_put_header() and
 * dhcp6_put_option() do the same for DHCPv6; nested options (IA_NA's
 * IAADDR) are built in their own buffer and put as the parent's value.
 *
 * DHCPv4 wire format (all multi-byte fields big-endian):
 *
 *     offset  size  field
 *          0     1  op: 1 BOOTREQUEST, 2 BOOTREPLY
 *          1     1  htype (1: Ethernet)
 *          2     1  hlen (6 for Ethernet)
 *          3     1  hops
 *          4     4  xid
 *          8     2  secs
 *         10     2  flags (bit 15: broadcast)
 *         12     4  ciaddr
 *         16     4  yiaddr
 *         20     4  siaddr
 *         24     4  giaddr
 *         28    16  chaddr
 *         44    64  sname
 *        108   128  file
 *        236     4  magic cookie 99.130.83.99
 *        240     -  options: code, length, value; 0 pad, 255 end
 *
 * DHCPv6 wire format: msg-type (1), transaction-id (3), then options:
 * code (2), length (2), value.
 *
 * Thread-safety: no state; everything is reentrant. */
#ifndef WEFT_DHCP_H
#define WEFT_DHCP_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include "util.h"

struct ds;

/* --- DHCPv4 ------------------------------------------------------- */

#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68
#define DHCP_HEADER_LEN 236         /* Fixed BOOTP part. */
#define DHCP_MIN_LEN 240            /* With the magic cookie. */
#define DHCP_MAGIC_COOKIE 0x63825363u
#define DHCP_FLAG_BROADCAST 0x8000

enum dhcp_op {
    DHCP_OP_REQUEST = 1,
    DHCP_OP_REPLY = 2,
};

/* Option 53 values. */
enum dhcp_msg_type {
    DHCP_MSG_DISCOVER = 1,
    DHCP_MSG_OFFER = 2,
    DHCP_MSG_REQUEST = 3,
    DHCP_MSG_DECLINE = 4,
    DHCP_MSG_ACK = 5,
    DHCP_MSG_NAK = 6,
    DHCP_MSG_RELEASE = 7,
    DHCP_MSG_INFORM = 8,
};

/* The option codes this module or its callers treat specially. */
enum {
    DHCP_OPT_PAD = 0,
    DHCP_OPT_NETMASK = 1,
    DHCP_OPT_ROUTER = 3,
    DHCP_OPT_DNS_SERVER = 6,
    DHCP_OPT_HOSTNAME = 12,
    DHCP_OPT_DOMAIN_NAME = 15,
    DHCP_OPT_MTU = 26,
    DHCP_OPT_REQUESTED_IP = 50,
    DHCP_OPT_LEASE_TIME = 51,
    DHCP_OPT_OVERLOAD = 52,
    DHCP_OPT_MSG_TYPE = 53,
    DHCP_OPT_SERVER_ID = 54,
    DHCP_OPT_PARAM_LIST = 55,
    DHCP_OPT_T1 = 58,
    DHCP_OPT_T2 = 59,
    DHCP_OPT_CLIENT_ID = 61,
    DHCP_OPT_BOOTFILE_NAME = 67,
    DHCP_OPT_USER_CLASS = 77,
    DHCP_OPT_DOMAIN_SEARCH = 119,
    DHCP_OPT_CLASSLESS_ROUTE = 121,
    DHCP_OPT_END = 255,
};

/* One option of a parsed message: every instance of 'code', concatenated
 * (RFC 3396). */
struct dhcp_option {
    uint8_t code;
    size_t len;
    const uint8_t *data;            /* Into the message's 'opt_buf'. */
};

/* A parsed DHCPv4 message.  Addresses and integers in host byte order. */
struct dhcp_msg {
    uint8_t op, htype, hlen, hops;
    uint32_t xid;
    uint16_t secs, flags;
    uint32_t ciaddr, yiaddr, siaddr, giaddr;
    uint8_t chaddr[16];
    char sname[65];                 /* NUL-terminated copies. */
    char file[129];
    struct dhcp_option *options;    /* In order of first appearance. */
    size_t n_options;
    uint8_t *opt_buf;               /* Owns the option values. */
};

/* Parses the DHCP message in 'data' (the UDP payload).  Requires the fixed
 * header, the magic cookie and well-formed options (the end option may be
 * missing; option overload, 52, is not followed: sname and file stay
 * names).  Returns NULL and fills 'msg' (destroy it), or an owned error
 * and leaves 'msg' empty. */
char *dhcp_parse(const void *data, size_t len, struct dhcp_msg *msg)
    WARN_UNUSED;
void dhcp_msg_destroy(struct dhcp_msg *);

/* The option 'code' of 'msg', or NULL. */
const struct dhcp_option *dhcp_msg_find(const struct dhcp_msg *,
                                        uint8_t code);
/* The message type (option 53), or 0 if absent or malformed. */
int dhcp_msg_type(const struct dhcp_msg *);
/* "DHCPDISCOVER" ... "DHCPINFORM", or "DHCP message type N". */
const char *dhcp_msg_type_name(int type);

/* Appends the fixed header of 'msg' and the magic cookie to 'out'. */
void dhcp_put_header(struct ds *out, const struct dhcp_msg *msg);
/* Appends option 'code' with 'len' bytes of 'data'; a value longer than
 * 255 bytes becomes several instances (RFC 3396), an empty one an option
 * of length 0. */
void dhcp_put_option(struct ds *out, uint8_t code, const void *data,
                     size_t len);
void dhcp_put_end(struct ds *out);

/* Appends a one-line summary of 'msg': its type, yiaddr (if any) and each
 * option by name, e.g. "DHCPOFFER yiaddr 10.0.0.5, netmask 255.255.255.0,
 * router 10.0.0.1, lease_time 3600, server_id 10.0.0.1".  Options are
 * named as OVN's DHCP_Options names them, unknown ones "option N"
 * followed by their bytes in hex. */
void dhcp_msg_format(const struct dhcp_msg *, struct ds *);

/* Encodes the comma-separated domain list 'domains' ("a.org,b.org") in
 * DNS label format (RFC 1035 §3.1) with RFC 3397 compression (a name's
 * longest suffix already written becomes a pointer to it, offsets from
 * where this call starts writing), as option 119 carries it and as OVN
 * 23.03 encodes it.  Returns NULL, or an owned error for an empty
 * or too long (over 63 bytes) label. */
char *dhcp_encode_domains(const char *domains, struct ds *out) WARN_UNUSED;

/* --- DHCPv6 ------------------------------------------------------- */

#define DHCP6_CLIENT_PORT 546
#define DHCP6_SERVER_PORT 547
#define DHCP6_HEADER_LEN 4

enum dhcp6_msg_type {
    DHCP6_MSG_SOLICIT = 1,
    DHCP6_MSG_ADVERTISE = 2,
    DHCP6_MSG_REQUEST = 3,
    DHCP6_MSG_CONFIRM = 4,
    DHCP6_MSG_RENEW = 5,
    DHCP6_MSG_REBIND = 6,
    DHCP6_MSG_REPLY = 7,
    DHCP6_MSG_RELEASE = 8,
    DHCP6_MSG_DECLINE = 9,
    DHCP6_MSG_RECONFIGURE = 10,
    DHCP6_MSG_INFORMATION_REQUEST = 11,
    DHCP6_MSG_RELAY_FORW = 12,
    DHCP6_MSG_RELAY_REPL = 13,
};

enum {
    DHCP6_OPT_CLIENT_ID = 1,
    DHCP6_OPT_SERVER_ID = 2,
    DHCP6_OPT_IA_NA = 3,
    DHCP6_OPT_IA_TA = 4,
    DHCP6_OPT_IAADDR = 5,
    DHCP6_OPT_ORO = 6,
    DHCP6_OPT_ELAPSED_TIME = 8,
    DHCP6_OPT_STATUS_CODE = 13,
    DHCP6_OPT_RAPID_COMMIT = 14,
    DHCP6_OPT_DNS_SERVERS = 23,
    DHCP6_OPT_DOMAIN_LIST = 24,
};

#define DHCP6_MAX_OPTIONS 64

struct dhcp6_option {
    uint16_t code;
    uint16_t len;
    const uint8_t *data;            /* Into the parsed input. */
};

/* A parsed DHCPv6 message (not a relay message). */
struct dhcp6_msg {
    uint8_t type;
    uint32_t xid;                   /* 24 bits. */
    struct dhcp6_option options[DHCP6_MAX_OPTIONS];
    size_t n_options;

    /* The first IA_NA, if 'has_ia_na', and its first IAADDR, if
     * 'has_ia_addr' (validated by the parser). */
    bool has_ia_na;
    uint32_t iaid, t1, t2;
    bool has_ia_addr;
    struct in6_addr ia_addr;
    uint32_t preferred_lifetime, valid_lifetime;
};

/* Parses the DHCPv6 message in 'data' (the UDP payload): the header and
 * well-formed options, at most DHCP6_MAX_OPTIONS, with IA_NA and its
 * IAADDR checked too.  Returns NULL and fills 'msg', which points into
 * 'data', or an owned error.  Relay messages are rejected. */
char *dhcp6_parse(const void *data, size_t len, struct dhcp6_msg *msg)
    WARN_UNUSED;
const struct dhcp6_option *dhcp6_msg_find(const struct dhcp6_msg *,
                                          uint16_t code);
/* "SOLICIT" ... "RELAY-REPL", or "DHCPv6 message type N". */
const char *dhcp6_msg_type_name(int type);

void dhcp6_put_header(struct ds *out, uint8_t type, uint32_t xid);
/* Appends option 'code'; 'len' must be below 65536. */
void dhcp6_put_option(struct ds *out, uint16_t code, const void *data,
                      size_t len);

/* Appends a one-line summary: "ADVERTISE ia_addr fd11::11, server_id
 * 00:00:00:00:0b:fe, dns_server fd11::53". */
void dhcp6_msg_format(const struct dhcp6_msg *, struct ds *);

#endif
