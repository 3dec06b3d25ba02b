/* dns: DNS messages.  See dns.h. */
#include "dns.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ds.h"
#include "util.h"

static uint16_t
get16(const uint8_t *p)
{
    return (uint16_t) (p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
    return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16
           | (uint32_t) p[2] << 8 | p[3];
}

static void
put16(struct ds *out, uint16_t v)
{
    ds_put_char(out, (char) (v >> 8));
    ds_put_char(out, (char) (v & 0xff));
}

static void
put32(struct ds *out, uint32_t v)
{
    put16(out, (uint16_t) (v >> 16));
    put16(out, (uint16_t) (v & 0xffff));
}

/* Appends label 'p' of 'n' bytes to 'name' of '*n_name' bytes.  Returns
 * NULL or an owned error. */
static char *
append_label(const uint8_t *p, size_t n, char name[DNS_NAME_BUF],
             size_t *n_name)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '.' || p[i] < 0x21 || p[i] > 0x7e) {
            return xasprintf("label byte 0x%02x is not allowed", p[i]);
        }
    }
    size_t need = (*n_name ? 1 : 0) + n;
    if (*n_name + need >= DNS_NAME_BUF) {
        return xstrdup("name longer than 255 bytes");
    }
    if (*n_name) {
        name[(*n_name)++] = '.';
    }
    memcpy(name + *n_name, p, n);
    *n_name += n;
    name[*n_name] = '\0';
    return NULL;
}

char *
dns_read_name(const uint8_t *data, size_t len, size_t *ofs,
              char name[DNS_NAME_BUF])
{
    size_t pos = *ofs;
    size_t limit = pos;             /* Pointers must go below this. */
    size_t n_name = 0, wire = 1;
    bool jumped = false;
    name[0] = '\0';
    for (;;) {
        if (pos >= len) {
            return xasprintf("name at offset %zu overruns the message",
                             *ofs);
        }
        uint8_t c = data[pos];
        if (c == 0) {
            pos++;
            break;
        } else if ((c & 0xc0) == 0xc0) {
            if (pos + 2 > len) {
                return xstrdup("truncated name pointer");
            }
            size_t target = get16(data + pos) & 0x3fff;
            if (target >= limit) {
                return xasprintf("name pointer to offset %zu does not "
                                 "point backwards", target);
            }
            if (!jumped) {
                *ofs = pos + 2;
                jumped = true;
            }
            limit = target;
            pos = target;
        } else if (c & 0xc0) {
            return xasprintf("label type 0x%02x is not supported", c);
        } else {
            if (pos + 1 + c > len) {
                return xstrdup("label overruns the message");
            }
            wire += 1 + c;
            if (wire > DNS_MAX_NAME) {
                return xstrdup("name longer than 255 bytes");
            }
            char *error = append_label(data + pos + 1, c, name, &n_name);
            if (error) {
                return error;
            }
            pos += 1 + c;
        }
    }
    if (!jumped) {
        *ofs = pos;
    }
    return NULL;
}

static char *
parse_question(const uint8_t *p, size_t len, size_t *ofs,
               struct dns_question *q)
{
    char *error = dns_read_name(p, len, ofs, q->name);
    if (error) {
        return error;
    }
    if (*ofs + 4 > len) {
        return xstrdup("truncated question");
    }
    q->type = get16(p + *ofs);
    q->qclass = get16(p + *ofs + 2);
    *ofs += 4;
    return NULL;
}

static char *
parse_rr(const uint8_t *p, size_t len, size_t *ofs, struct dns_rr *rr)
{
    char *error = dns_read_name(p, len, ofs, rr->name);
    if (error) {
        return error;
    }
    if (*ofs + 10 > len) {
        return xstrdup("truncated record");
    }
    rr->type = get16(p + *ofs);
    rr->rclass = get16(p + *ofs + 2);
    rr->ttl = get32(p + *ofs + 4);
    rr->rdlength = get16(p + *ofs + 8);
    *ofs += 10;
    if (*ofs + rr->rdlength > len) {
        return xasprintf("record data (%u bytes) overruns the message",
                         rr->rdlength);
    }
    rr->rdata = p + *ofs;
    rr->rdata_ofs = *ofs;
    *ofs += rr->rdlength;
    return NULL;
}

char *
dns_parse(const void *data, size_t len, struct dns_msg *msg)
{
    const uint8_t *p = data;
    memset(msg, 0, sizeof *msg);
    if (len < DNS_HEADER_LEN) {
        return xasprintf("truncated header (%zu bytes)", len);
    }
    struct dns_header *h = &msg->header;
    h->id = get16(p);
    h->flags = get16(p + 2);
    h->qdcount = get16(p + 4);
    h->ancount = get16(p + 6);
    h->nscount = get16(p + 8);
    h->arcount = get16(p + 10);

    size_t ofs = DNS_HEADER_LEN;
    for (size_t i = 0; i < h->qdcount; i++) {
        struct dns_question scratch;
        struct dns_question *q = (i < DNS_MAX_RRS ? &msg->questions[i]
                                  : &scratch);
        char *error = parse_question(p, len, &ofs, q);
        if (error) {
            char *e = xasprintf("question %zu: %s", i + 1, error);
            free(error);
            return e;
        }
        msg->n_questions = MIN(i + 1, (size_t) DNS_MAX_RRS);
    }
    size_t n_rrs = (size_t) h->ancount + h->nscount + h->arcount;
    for (size_t i = 0; i < n_rrs; i++) {
        struct dns_rr scratch;
        struct dns_rr *rr = i < DNS_MAX_RRS ? &msg->rrs[i] : &scratch;
        char *error = parse_rr(p, len, &ofs, rr);
        if (error) {
            char *e = xasprintf("record %zu: %s", i + 1, error);
            free(error);
            return e;
        }
        msg->n_rrs = MIN(i + 1, (size_t) DNS_MAX_RRS);
    }
    msg->end = ofs;
    return NULL;
}

static size_t
name_len(const char *s)
{
    size_t n = strlen(s);
    return n && s[n - 1] == '.' ? n - 1 : n;
}

bool
dns_name_equal(const char *a, const char *b)
{
    size_t na = name_len(a), nb = name_len(b);
    if (na != nb) {
        return false;
    }
    for (size_t i = 0; i < na; i++) {
        if (tolower((unsigned char) a[i]) != tolower((unsigned char) b[i])) {
            return false;
        }
    }
    return true;
}

void
dns_put_header(struct ds *out, const struct dns_header *h)
{
    put16(out, h->id);
    put16(out, h->flags);
    put16(out, h->qdcount);
    put16(out, h->ancount);
    put16(out, h->nscount);
    put16(out, h->arcount);
}

char *
dns_put_name(struct ds *out, const char *name)
{
    size_t n = name_len(name);
    struct ds tmp = DS_EMPTY_INITIALIZER;
    size_t start = 0;
    while (start < n) {
        const char *dot = memchr(name + start, '.', n - start);
        size_t end = dot ? (size_t) (dot - name) : n;
        size_t label = end - start;
        if (!label || label > 63) {
            ds_destroy(&tmp);
            return xasprintf("\"%s\": label of %zu bytes", name, label);
        }
        ds_put_char(&tmp, (char) label);
        ds_put_buffer(&tmp, name + start, label);
        start = end + 1;
        if (dot && start == n) {
            ds_destroy(&tmp);
            return xasprintf("\"%s\": empty label", name);
        }
    }
    ds_put_char(&tmp, '\0');
    if (tmp.length > DNS_MAX_NAME) {
        ds_destroy(&tmp);
        return xasprintf("\"%s\": longer than 255 bytes", name);
    }
    ds_put_buffer(out, tmp.string, tmp.length);
    ds_destroy(&tmp);
    return NULL;
}

static void
put_name_checked(struct ds *out, const char *name)
{
    char *error = dns_put_name(out, name);
    if (error) {
        util_abort("dns: %s", error);
    }
}

void
dns_put_question(struct ds *out, const struct dns_question *q)
{
    put_name_checked(out, q->name);
    put16(out, q->type);
    put16(out, q->qclass);
}

void
dns_put_rr(struct ds *out, const char *name, uint16_t type,
           uint16_t rclass, uint32_t ttl, const void *rdata,
           size_t rdlength)
{
    if (rdlength > UINT16_MAX) {
        util_abort("dns: %zu bytes of record data", rdlength);
    }
    put_name_checked(out, name);
    put16(out, type);
    put16(out, rclass);
    put32(out, ttl);
    put16(out, (uint16_t) rdlength);
    ds_put_buffer(out, rdata, rdlength);
}

void
dns_type_format(uint16_t type, struct ds *s)
{
    static const struct {
        uint16_t type;
        const char *name;
    } names[] = {
        {DNS_TYPE_A, "A"}, {DNS_TYPE_NS, "NS"}, {DNS_TYPE_CNAME, "CNAME"},
        {DNS_TYPE_SOA, "SOA"}, {DNS_TYPE_PTR, "PTR"}, {DNS_TYPE_MX, "MX"},
        {DNS_TYPE_TXT, "TXT"}, {DNS_TYPE_AAAA, "AAAA"},
        {DNS_TYPE_SRV, "SRV"}, {DNS_TYPE_OPT, "OPT"},
        {DNS_TYPE_ANY, "ANY"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (names[i].type == type) {
            ds_put_cstr(s, names[i].name);
            return;
        }
    }
    ds_put_format(s, "TYPE%u", type);
}

/* The data of 'rr' as text: an address, a name, or its size. */
static void
format_rdata(const struct dns_rr *rr, const struct dns_msg *msg,
             const uint8_t *base, struct ds *s)
{
    char buf[INET6_ADDRSTRLEN];
    if (rr->type == DNS_TYPE_A && rr->rdlength == 4) {
        ds_put_cstr(s, inet_ntop(AF_INET, rr->rdata, buf, sizeof buf));
    } else if (rr->type == DNS_TYPE_AAAA && rr->rdlength == 16) {
        ds_put_cstr(s, inet_ntop(AF_INET6, rr->rdata, buf, sizeof buf));
    } else if (rr->type == DNS_TYPE_PTR || rr->type == DNS_TYPE_CNAME) {
        char name[DNS_NAME_BUF];
        size_t ofs = rr->rdata_ofs;
        char *error = dns_read_name(base, msg->end, &ofs, name);
        ds_put_cstr(s, error ? "(bad name)" : name);
        free(error);
    } else {
        ds_put_format(s, "(%u bytes)", rr->rdlength);
    }
}

void
dns_msg_format(const struct dns_msg *msg, struct ds *s)
{
    const struct dns_header *h = &msg->header;
    ds_put_format(s, "DNS %s id 0x%04x",
                  h->flags & DNS_FLAG_QR ? "response" : "query", h->id);
    if (DNS_RCODE(h->flags)) {
        ds_put_format(s, " rcode %u", DNS_RCODE(h->flags));
    }
    for (size_t i = 0; i < msg->n_questions; i++) {
        ds_put_format(s, "%s %s ", i ? "," : ":", msg->questions[i].name);
        dns_type_format(msg->questions[i].type, s);
        ds_put_char(s, '?');
    }
    /* The record data was parsed from the same buffer: its start is
     * 'rdata - rdata_ofs'. */
    for (size_t i = 0; i < msg->n_rrs; i++) {
        const struct dns_rr *rr = &msg->rrs[i];
        const uint8_t *base = rr->rdata - rr->rdata_ofs;
        ds_put_format(s, "%s %s ", i ? "," : " ->", rr->name);
        dns_type_format(rr->type, s);
        ds_put_char(s, ' ');
        format_rdata(rr, msg, base, s);
        ds_put_format(s, " ttl %"PRIu32, rr->ttl);
    }
}
