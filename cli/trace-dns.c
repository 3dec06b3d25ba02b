/* cli/trace-dns: weft-trace's DNS queries.  See trace-dns.h. */
#include "cli/trace-dns.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dns.h"
#include "ds.h"
#include "expr/symtab.h"
#include "util.h"

static char *
parse_type(const char *s, uint16_t *type)
{
    static const struct {
        const char *name;
        uint16_t type;
    } types[] = {
        {"a", DNS_TYPE_A}, {"aaaa", DNS_TYPE_AAAA}, {"ptr", DNS_TYPE_PTR},
        {"any", DNS_TYPE_ANY}, {"mx", DNS_TYPE_MX}, {"txt", DNS_TYPE_TXT},
        {"cname", DNS_TYPE_CNAME}, {"ns", DNS_TYPE_NS},
        {"srv", DNS_TYPE_SRV},
    };
    for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
        if (!strcasecmp(s, types[i].name)) {
            *type = types[i].type;
            return NULL;
        }
    }
    unsigned int n;
    if (str_to_uint(s, 10, &n) && n && n <= 65535) {
        *type = (uint16_t) n;
        return NULL;
    }
    return xasprintf("--dns: %s: unknown query type (a, aaaa, ptr, any, "
                     "or a number)", s);
}

/* The reverse name of address 's' for a PTR query, or NULL if 's' is not
 * an address. */
static char *
reverse_name(const char *s)
{
    uint8_t a[16];
    struct ds r = DS_EMPTY_INITIALIZER;
    if (inet_pton(AF_INET, s, a) == 1) {
        ds_put_format(&r, "%u.%u.%u.%u.in-addr.arpa", a[3], a[2], a[1],
                      a[0]);
    } else if (inet_pton(AF_INET6, s, a) == 1) {
        for (int i = 15; i >= 0; i--) {
            ds_put_format(&r, "%x.%x.", a[i] & 0xf, a[i] >> 4);
        }
        ds_put_cstr(&r, "ip6.arpa");
    } else {
        ds_destroy(&r);
        return NULL;
    }
    return ds_steal_cstr(&r);
}

/* Splits --dns's "NAME[:TYPE]" ('arg' itself may be an IPv6 address). */
static char *
split_arg(const char *arg, char **name, uint16_t *type)
{
    uint8_t a[16];
    char *colon = strrchr(arg, ':');
    *name = xstrdup(arg);
    if (!colon || inet_pton(AF_INET6, arg, a) == 1) {
        return NULL;
    }
    (*name)[colon - arg] = '\0';
    return parse_type(colon + 1, type);
}

char *
trace_dns_synthesize(const char *arg, const struct symtab_flow *flow,
                     struct ds *payload)
{
    bool v6 = flow->fields[SYMTAB_F_ETH_TYPE].lo == 0x86dd;
    struct dns_question q = { .type = v6 ? DNS_TYPE_AAAA : DNS_TYPE_A,
                              .qclass = DNS_CLASS_IN };
    char *name;
    char *error = split_arg(arg, &name, &q.type);
    if (!error && q.type == DNS_TYPE_PTR) {
        char *rev = reverse_name(name);
        if (rev) {
            free(name);
            name = rev;
        }
    }
    struct ds check = DS_EMPTY_INITIALIZER;
    if (!error && (error = dns_put_name(&check, name)) != NULL) {
        char *e = xasprintf("--dns: %s", error);
        free(error);
        error = e;
    } else if (!error && strlen(name) >= sizeof q.name) {
        error = xasprintf("--dns: %s: name too long", name);
    }
    if (!error) {
        struct dns_header h = {
            .id = (uint16_t) flow->fields[SYMTAB_F_TP_SRC].lo,
            .flags = DNS_FLAG_RD,
            .qdcount = 1,
        };
        strcpy(q.name, name);
        dns_put_header(payload, &h);
        dns_put_question(payload, &q);
    }
    ds_destroy(&check);
    free(name);
    return error;
}

char *
trace_dns_format_payload(const uint8_t *payload, size_t len, struct ds *out)
{
    struct dns_msg *m = xmalloc(sizeof *m);
    char *error = dns_parse(payload, len, m);
    if (!error) {
        dns_msg_format(m, out);
    }
    free(m);
    return error;
}
