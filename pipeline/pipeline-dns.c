/* pipeline-dns: the DNS records of the pipeline's input and the reply of
 * dns_lookup(), built from the query in the packet's payload (lib/dns.h
 * for the wire format) byte for byte as OVN 23.03's ovn-controller builds
 * it (observed: docs/dns-facts.md).
 *
 *   A query is answered if it has a full header, QR clear, at least one
 *   question, no additional records, and its first question's name,
 *   written in plain labels (a compressed name is not answered) and
 *   lower-cased, is a record of the packet's datapath (so a record
 *   whose name has capitals is never found).  The opcode, the class
 *   and the other questions are not looked at.  The answers:
 *     A      each IPv4 address of the record's value;
 *     AAAA   each IPv6 address;
 *     ANY    the IPv4 addresses, then the IPv6 ones;
 *     PTR    the value, as a domain name;
 *     others none.
 *   No answer -> no reply, result 0, packet unchanged.
 *
 *   The reply is the whole query (every question, the authority records
 *   and any bytes after them) with QR set in the flags (the other flags
 *   kept) and ancount the number of answers, followed
 *   by the answers: the question's name as the query wrote it
 *   (uncompressed), the type, class IN, TTL 3600, the data. */
#include "pipeline/pipeline-execute.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>

#include "dns.h"
#include "ds.h"
#include "hash.h"
#include "util.h"

#define PL_DNS_TTL 3600

/* --- Records ------------------------------------------------------ */

static uint32_t
record_hash(uint32_t dp_key, const char *name)
{
    return hash_string(name, hash_int(dp_key, 0));
}

void
pl_dns_init(struct pl_dns *dns)
{
    hmap_init(&dns->records);
}

void
pl_dns_destroy(struct pl_dns *dns)
{
    struct pl_dns_record *r;
    HMAP_FOR_EACH_POP (r, node, &dns->records) {
        free(r->name);
        free(r->value);
        free(r);
    }
    hmap_destroy(&dns->records);
}

/* Finds the record 'name' exactly. */
static const struct pl_dns_record *
find_exact(const struct pl_dns *dns, uint32_t dp_key, const char *name)
{
    const struct pl_dns_record *r;
    HMAP_FOR_EACH_WITH_HASH (r, node, record_hash(dp_key, name),
                             &dns->records) {
        if (r->dp_key == dp_key && !strcmp(r->name, name)) {
            return r;
        }
    }
    return NULL;
}

/* As ovn-controller 23.03: the query's name is lower-cased and looked up
 * as is, so that a record whose name has capitals is never found. */
const char *
pl_dns_find(const struct pl_dns *dns, uint32_t dp_key, const char *name)
{
    char *lower = xstrdup(name);
    for (char *p = lower; *p; p++) {
        *p = (char) tolower((unsigned char) *p);
    }
    const struct pl_dns_record *r = find_exact(dns, dp_key, lower);
    free(lower);
    return r ? r->value : NULL;
}

static void
add_record(struct pl_dns *dns, uint32_t dp_key, const char *name,
           const char *value)
{
    if (find_exact(dns, dp_key, name)) {
        return;
    }
    struct pl_dns_record *r = xmalloc(sizeof *r);
    r->dp_key = dp_key;
    r->name = xstrdup(name);
    r->value = xstrdup(value ? value : "");
    hmap_insert(&dns->records, &r->node, record_hash(dp_key, name));
}

void
pl_dns_add(struct pl_dns *dns, const uint32_t *dp_keys, size_t n_dp_keys,
           const char *const *names, const char *const *values,
           size_t n_records)
{
    for (size_t i = 0; i < n_dp_keys; i++) {
        for (size_t j = 0; j < n_records; j++) {
            if (names[j]) {
                add_record(dns, dp_keys[i], names[j], values[j]);
            }
        }
    }
}

void
pl_dns_clone(struct pl_dns *dst, const struct pl_dns *src)
{
    pl_dns_init(dst);
    const struct pl_dns_record *r;
    HMAP_FOR_EACH (r, node, &src->records) {
        add_record(dst, r->dp_key, r->name, r->value);
    }
}

/* --- Replies ------------------------------------------------------ */

/* Reads the first question of 'q' (of 'len' bytes) into 'name', 'type':
 * plain labels only.  Returns the offset after it, or 0 with the reason
 * in 'note'. */
static size_t
first_question(const uint8_t *q, size_t len, char name[DNS_NAME_BUF],
               uint16_t *type, struct ds *note)
{
    size_t ofs = DNS_HEADER_LEN;
    while (ofs < len && q[ofs] && !(q[ofs] & 0xc0)) {
        ofs += 1 + q[ofs];
    }
    if (ofs < len && q[ofs]) {
        ds_put_cstr(note, "the question's name is compressed");
        return 0;
    } else if (ofs + 5 > len) {
        ds_put_cstr(note, "truncated question");
        return 0;
    }
    size_t start = DNS_HEADER_LEN;
    char *error = dns_read_name(q, len, &start, name);
    if (error) {
        ds_put_format(note, "bad question: %s", error);
        free(error);
        return 0;
    }
    *type = (uint16_t) (q[ofs + 1] << 8 | q[ofs + 2]);
    return ofs + 5;
}

/* Appends to 'out' the answers from 'value' for a query of 'type' about
 * 'name'; returns how many. */
static size_t
put_answers(const char *name, uint16_t type, const char *value,
            struct ds *out)
{
    size_t n = 0;
    if (type == DNS_TYPE_PTR) {
        struct ds rdata = DS_EMPTY_INITIALIZER;
        char *error = dns_put_name(&rdata, value);
        if (!error) {
            dns_put_rr(out, name, DNS_TYPE_PTR, DNS_CLASS_IN, PL_DNS_TTL,
                       rdata.string, rdata.length);
            n++;
        }
        free(error);
        ds_destroy(&rdata);
        return n;
    }
    for (int pass = 0; pass < 2; pass++) {
        uint16_t rtype = pass ? DNS_TYPE_AAAA : DNS_TYPE_A;
        if (type != rtype && type != DNS_TYPE_ANY) {
            continue;
        }
        char *copy = xstrdup(value), *save = NULL;
        for (char *tok = strtok_r(copy, " ,", &save); tok;
             tok = strtok_r(NULL, " ,", &save)) {
            uint8_t addr[16];
            if (inet_pton(pass ? AF_INET6 : AF_INET, tok, addr) == 1) {
                dns_put_rr(out, name, rtype, DNS_CLASS_IN, PL_DNS_TTL,
                           addr, pass ? 16 : 4);
                n++;
            }
        }
        free(copy);
    }
    return n;
}

bool
pl_dns_reply(const struct pipeline *pl, struct pl_pkt *pkt,
             struct ds *note)
{
    const uint8_t *q = pkt->payload;
    size_t len = pkt->payload_len;
    char name[DNS_NAME_BUF];
    uint16_t type;
    if (len < DNS_HEADER_LEN) {
        ds_put_format(note, "not a DNS query: %zu bytes", len);
        return false;
    } else if (q[2] & 0x80) {
        ds_put_cstr(note, "a DNS response is not answered");
        return false;
    } else if (!(q[4] | q[5])) {
        ds_put_cstr(note, "a DNS query without a question is not "
                    "answered");
        return false;
    } else if (q[10] | q[11]) {
        ds_put_cstr(note, "a DNS query with additional records is not "
                    "answered");
        return false;
    } else if (!first_question(q, len, name, &type, note)) {
        return false;
    }
    struct ds tname = DS_EMPTY_INITIALIZER;
    dns_type_format(type, &tname);
    const char *value = pl_dns_find(&pl->dns, pkt->dp->key, name);
    struct ds answers = DS_EMPTY_INITIALIZER;
    size_t n = value ? put_answers(name, type, value, &answers) : 0;
    if (!value) {
        ds_put_format(note, "%s %s: no DNS record", name, ds_cstr(&tname));
    } else if (!n) {
        ds_put_format(note, "%s %s: the record has no answer of this type",
                      name, ds_cstr(&tname));
    } else {
        struct ds out = DS_EMPTY_INITIALIZER;
        ds_put_buffer(&out, (const char *) q, len);
        out.string[2] |= 0x80;
        out.string[6] = (char) (n >> 8);
        out.string[7] = (char) (n & 0xff);
        ds_put_buffer(&out, answers.string, answers.length);
        ds_put_format(note, "%s %s: replied with %zu answer%s (%zu bytes)",
                      name, ds_cstr(&tname), n, n == 1 ? "" : "s",
                      out.length);
        free(pkt->payload);
        pkt->payload_len = out.length;
        pkt->payload = (uint8_t *) ds_steal_cstr(&out);
    }
    ds_destroy(&answers);
    ds_destroy(&tname);
    return n > 0;
}
