/* northd/lr-nat: NAT flows of logical routers (see lr-pipeline.h). */
#include "northd/lr-private.h"

#include <stdlib.h>
#include <string.h>
#include "util.h"
#include "vlog.h"
#include "ovsdb/nbrec-idl.h"
#include "northd/datapaths.h"
#include "northd/northd.h"
#include "northd/ports.h"

VLOG_DEFINE_THIS_MODULE(lr_nat);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

enum lr_nat_type { LR_SNAT, LR_DNAT, LR_DNAT_AND_SNAT };

struct lr_nat {
    const struct nbrec_nat *nb;
    enum lr_nat_type type;
    bool v4;
    char ext_s[INET6_ADDRSTRLEN];       /* External IP. */
    char log_s[INET6_ADDRSTRLEN + 4];   /* Logical IP or "IP/PLEN". */
    unsigned int log_plen;
    bool stateless;
    bool distributed;           /* dnat_and_snat with external_mac and
                                 * logical_port on a DGP router. */
    const struct northd_port *gw;       /* The DGP it uses, or NULL. */
};

struct lr_nat_info {
    struct lr_nat *nats;
    size_t n;
};

static bool
parse_one(const struct northd_datapath *od, const struct nbrec_nat *nb,
          struct lr_nat *n)
{
    char buf[UUID_LEN + 1];
    struct in6_addr ext, log;
    unsigned int plen;
    char *error;

    memset(n, 0, sizeof *n);
    n->nb = nb;
    if (!strcmp(nb->type, "snat")) {
        n->type = LR_SNAT;
    } else if (!strcmp(nb->type, "dnat")) {
        n->type = LR_DNAT;
    } else if (!strcmp(nb->type, "dnat_and_snat")) {
        n->type = LR_DNAT_AND_SNAT;
    } else {
        goto bad;
    }
    if (!ip_from_string(nb->external_ip, &ext)) {
        goto bad;
    }
    error = ip_parse_cidr(nb->logical_ip, &log, &plen);
    if (error) {
        free(error);
        goto bad;
    }
    n->v4 = ip_is_v4(&ext);
    if (n->v4 != ip_is_v4(&log)
        || (n->type != LR_SNAT && plen != (n->v4 ? 32 : 128))) {
        goto bad;
    }
    struct ds s = DS_EMPTY_INITIALIZER;
    ip_format(&ext, &s);
    snprintf(n->ext_s, sizeof n->ext_s, "%s", ds_cstr(&s));
    ds_clear(&s);
    ip_apply_plen(&log, plen);
    if (plen == (n->v4 ? 32u : 128u)) {
        ip_format(&log, &s);
    } else {
        ip_format_cidr(&log, plen, &s);
    }
    snprintf(n->log_s, sizeof n->log_s, "%s", ds_cstr(&s));
    ds_destroy(&s);
    n->log_plen = plen;
    const char *sl = nbrec_nat_get_options_value(nb, "stateless");
    n->stateless = sl && !strcmp(sl, "true") && n->type == LR_DNAT_AND_SNAT;
    return true;

bad:
    VLOG_WARN_RL(&rl, "router %s: NAT %s: bad type or addresses (type %s, "
                 "external_ip %s, logical_ip %s)", od->name,
                 uuid_to_cstr(&nb->header_.uuid, buf), nb->type,
                 nb->external_ip, nb->logical_ip);
    return false;
}

struct lr_nat_info *
lr_nat_parse(const struct northd_datapath *od)
{
    const struct nbrec_logical_router *nbr = od->nbr;
    struct lr_nat_info *info;

    if (!nbr->n_nat) {
        return NULL;
    }
    info = xzalloc(sizeof *info);
    info->nats = xcalloc(nbr->n_nat, sizeof *info->nats);
    for (size_t i = 0; i < nbr->n_nat; i++) {
        struct lr_nat *n = &info->nats[info->n];
        if (!parse_one(od, nbr->nat[i], n)) {
            continue;
        }
        if (od->n_l3dgw_ports && !od->l3gw_chassis) {
            n->gw = od->l3dgw_ports[0];
            n->distributed = n->type == LR_DNAT_AND_SNAT
                             && n->nb->external_mac && n->nb->logical_port;
        }
        info->n++;
    }
    return info;
}

void
lr_nat_free(struct lr_nat_info *info)
{
    if (info) {
        free(info->nats);
        free(info);
    }
}

bool
lr_nat_is_snat_ip(const struct lr_nat_info *info, const char *ip)
{
    for (size_t i = 0; i < info->n; i++) {
        const struct lr_nat *n = &info->nats[i];
        if (n->type != LR_DNAT && !strcmp(n->ext_s, ip)) {
            return true;
        }
    }
    return false;
}

void
lr_build_nat(struct lr_ctx *ctx)
{
    (void) ctx;
}
