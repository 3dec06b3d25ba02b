/* dns: DNS messages (RFC 1035) — parsing them from a UDP payload,
 * building responses, and printing a one-line summary.
 *
 * What it is for.  The datapath's native DNS responder (and weft-trace,
 * which runs the same pipeline engine) gets a client's query as the
 * payload of a UDP packet and, for dns_lookup(), answers it from the
 * southbound DNS records.  This module knows the wire format only; which
 * query gets which answer is pipeline/pipeline-dns.c's business.
 *
 * Parsing.  dns_parse() reads the header, every question and every
 * resource record of the answer, authority and additional sections of
 * 'len' bytes, and returns NULL or an owned error naming what is wrong
 * ("truncated header (4 bytes)", "question 1: name pointer loops").
 * Every read is bounds-checked against 'len'; hostile input is rejected
 * as a unit and never read out of bounds.  Names are decompressed on
 * read (pointers must point backwards, so they cannot loop) and stored
 * in dotted form with their case kept; a label holding a '.' or a byte
 * outside printable ASCII is rejected.  Only the first DNS_MAX_RRS
 * questions and records are kept (the rest are still checked).  Record
 * data points into the input, which must outlive the message.
 *
 * Building.  Bytes are appended to a 'struct ds' used as a byte buffer
 * (its 'length' is the message size; the string may hold NULs).
 * dns_put_header() writes the 12-byte header, dns_put_name() a name
 * in labels (uncompressed), dns_put_question() and dns_put_rr() a
 * question and a resource record.
 *
 * Wire format (all multi-byte fields big-endian):
 *
 *     offset  size  field
 *          0     2  id
 *          2     2  flags: QR(15) opcode(11-14) AA(10) TC(9) RD(8) RA(7)
 *                   Z(4-6) rcode(0-3)
 *          4     2  qdcount: questions
 *          6     2  ancount: answer records
 *          8     2  nscount: authority records
 *         10     2  arcount: additional records
 *         12     -  questions: name, type (2), class (2)
 *          -     -  records: name, type (2), class (2), ttl (4),
 *                   rdlength (2), rdata
 *
 *   A name is a sequence of labels, each a length byte (1-63) and that
 *   many bytes, ending with a zero byte or with a pointer: two bytes
 *   whose top bits are 11 and whose other 14 bits are the offset, from
 *   the start of the message, of the rest of the name.  A whole name is
 *   at most 255 bytes in labels.
 *
 * Thread-safety: no state; everything is reentrant. */
#ifndef WEFT_DNS_H
#define WEFT_DNS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ds;

#define DNS_PORT 53
#define DNS_HEADER_LEN 12
#define DNS_MAX_NAME 255            /* In wire form, with the root byte. */
#define DNS_NAME_BUF 256            /* Dotted form plus the NUL. */
#define DNS_MAX_RRS 32              /* Questions and records kept. */

/* Header flags. */
#define DNS_FLAG_QR 0x8000          /* A response. */
#define DNS_FLAG_AA 0x0400
#define DNS_FLAG_TC 0x0200
#define DNS_FLAG_RD 0x0100
#define DNS_FLAG_RA 0x0080
#define DNS_OPCODE(FLAGS) (((FLAGS) >> 11) & 0xf)
#define DNS_RCODE(FLAGS) ((FLAGS) & 0xf)

enum dns_type {
    DNS_TYPE_A = 1,
    DNS_TYPE_NS = 2,
    DNS_TYPE_CNAME = 5,
    DNS_TYPE_SOA = 6,
    DNS_TYPE_PTR = 12,
    DNS_TYPE_MX = 15,
    DNS_TYPE_TXT = 16,
    DNS_TYPE_AAAA = 28,
    DNS_TYPE_SRV = 33,
    DNS_TYPE_OPT = 41,
    DNS_TYPE_ANY = 255,
};

#define DNS_CLASS_IN 1

struct dns_header {
    uint16_t id;
    uint16_t flags;
    uint16_t qdcount, ancount, nscount, arcount;
};

struct dns_question {
    char name[DNS_NAME_BUF];        /* Dotted, no final dot; "" = root. */
    uint16_t type;
    uint16_t qclass;
};

/* A resource record of the answer, authority or additional section. */
struct dns_rr {
    char name[DNS_NAME_BUF];
    uint16_t type;
    uint16_t rclass;
    uint32_t ttl;
    const uint8_t *rdata;           /* Into the input. */
    uint16_t rdlength;
    size_t rdata_ofs;               /* Offset of 'rdata' in the message. */
};

struct dns_msg {
    struct dns_header header;
    struct dns_question questions[DNS_MAX_RRS];
    size_t n_questions;             /* Kept: min(qdcount, DNS_MAX_RRS). */
    struct dns_rr rrs[DNS_MAX_RRS]; /* Answers, then authority, then
                                     * additional records. */
    size_t n_rrs;
    size_t end;                     /* Offset just past the last record. */
};

/* Parses the message in 'len' bytes of 'data' into 'msg'.  Returns NULL
 * or an owned error.  Bytes after the last record are allowed ('end'
 * says where it is). */
char *dns_parse(const void *data, size_t len, struct dns_msg *msg);

/* Reads the name at '*ofs' of the message 'data' of 'len' bytes into
 * 'name' (dotted) and advances '*ofs' past it (past the first pointer if
 * the name is compressed).  Returns NULL or an owned error. */
char *dns_read_name(const uint8_t *data, size_t len, size_t *ofs,
                    char name[DNS_NAME_BUF]);

/* Case-insensitive (ASCII) comparison of two names, ignoring a final
 * dot on either. */
bool dns_name_equal(const char *a, const char *b);

/* Appends the 12-byte header. */
void dns_put_header(struct ds *, const struct dns_header *);

/* Appends 'name' (dotted, a final dot optional) in labels.  Returns NULL,
 * or an owned error (an empty label, a label longer than 63 bytes, a
 * name longer than 255) and appends nothing. */
char *dns_put_name(struct ds *, const char *name);

void dns_put_question(struct ds *, const struct dns_question *);

/* Appends a resource record with 'rdlength' bytes of 'rdata' (at most
 * 65535).  The name must be valid (as dns_put_name() checks). */
void dns_put_rr(struct ds *, const char *name, uint16_t type,
                uint16_t rclass, uint32_t ttl, const void *rdata,
                size_t rdlength);

/* "A", "AAAA", "PTR"... or the number. */
void dns_type_format(uint16_t type, struct ds *);

/* Appends a one-line summary: "DNS response id 0x1234: vm1.ovn.test A?
 * -> vm1.ovn.test A 10.0.13.11 ttl 3600". */
void dns_msg_format(const struct dns_msg *, struct ds *);

#endif
