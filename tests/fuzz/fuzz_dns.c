/* fuzz_dns: libFuzzer target for dns_parse() (lib/dns.c), which reads
 * the DNS queries the datapath hands to dns_lookup().
 *
 * The input is the UDP payload, copied to a buffer of exactly its size so
 * that a sanitizer sees any read past the end.  A message that parses is
 * formatted, and its header and kept questions are built again and
 * parsed back, which must give the same names and types: what the
 * responder writes, a client reads. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "ds.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_round_trip(const struct dns_msg *m)
{
    struct dns_header h = m->header;
    h.qdcount = (uint16_t) m->n_questions;
    h.ancount = h.nscount = h.arcount = 0;
    struct ds b = DS_EMPTY_INITIALIZER;
    dns_put_header(&b, &h);
    for (size_t i = 0; i < m->n_questions; i++) {
        dns_put_question(&b, &m->questions[i]);
    }
    struct dns_msg *again = xmalloc(sizeof *again);
    char *error = dns_parse(b.string, b.length, again);
    if (error || again->n_questions != m->n_questions
        || again->end != b.length) {
        abort();
    }
    for (size_t i = 0; i < m->n_questions; i++) {
        if (strcmp(again->questions[i].name, m->questions[i].name)
            || again->questions[i].type != m->questions[i].type) {
            abort();
        }
    }
    free(again);
    ds_destroy(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = xmalloc(size ? size : 1);
    memcpy(copy, data, size);
    struct dns_msg *m = xmalloc(sizeof *m);
    char *error = dns_parse(copy, size, m);
    if (!error) {
        struct ds s = DS_EMPTY_INITIALIZER;
        dns_msg_format(m, &s);
        ds_destroy(&s);
        check_round_trip(m);
    }
    free(error);
    free(m);
    free(copy);
    return 0;
}
