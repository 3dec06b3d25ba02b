/* northd/sync-dns: SB DNS from NB DNS (see sync.h). */
#include "northd/sync.h"

#include "util.h"
#include "northd/datapaths.h"
#include "ovsdb/nbrec-idl.h"
#include "ovsdb/sbrec-idl.h"

static const char *
dns_id_key(const struct ovsdb_client_row *row, struct ds *buf OVS_UNUSED,
           void *aux OVS_UNUSED)
{
    return sbrec_dns_get_external_ids_value(
        (const struct sbrec_dns *) row, "dns_id");
}

static void
write_dns(struct dbdiff *diff, struct dbdiff_index *idx,
          const struct datapath_ref *ref)
{
    const struct nbrec_dns *dns = (const struct nbrec_dns *) ref->row;
    char id[UUID_LEN + 1];
    struct dbdiff_datum d;

    uuid_to_cstr(&dns->header_.uuid, id);
    const struct ovsdb_client_row *row = dbdiff_index_claim(idx, id);
    if (!row) {
        row = dbdiff_insert(diff, sbrec_dns_table(diff->client));
    }
    dbdiff_datum_init_map(&d);
    if (dns->records) {
        dbdiff_datum_add_map(&d, dns->records);
    }
    dbdiff_set(diff, row, SBREC_DNS_COL_RECORDS, &d);
    datapath_ref_write(ref, diff, row, SBREC_DNS_COL_DATAPATHS);
    dbdiff_datum_init_map(&d);
    dbdiff_datum_add_pair(&d, "dns_id", id);
    dbdiff_set(diff, row, SBREC_DNS_COL_EXTERNAL_IDS, &d);
}

void
sync_write_dns(const struct northd_datapaths *dps, struct dbdiff *diff)
{
    struct hmap refs = HMAP_INITIALIZER(&refs);

    for (size_t i = 0; i < dps->n_switches; i++) {
        const struct northd_datapath *od = dps->array[i];

        for (size_t j = 0; od->sb && j < od->nbs->n_dns_records; j++) {
            datapath_refs_add(&refs, &od->nbs->dns_records[j]->header_, od);
        }
    }

    struct dbdiff_index idx;
    const struct datapath_ref *ref;

    dbdiff_index_init(&idx, sbrec_dns_table(diff->client), dns_id_key, NULL);
    HMAP_FOR_EACH (ref, node, &refs) {
        write_dns(diff, &idx, ref);
    }
    dbdiff_index_finish(&idx, diff, true);
    datapath_refs_destroy(&refs);
}
