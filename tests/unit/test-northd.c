/* Unit tests for weft-northd's modules: tunnel key allocation
 * (northd/keys), port addresses (northd/lport-addrs), the minimal-change
 * writer (northd/dbdiff) and one whole recompute (northd/northd) over
 * canned NB and SB replicas.  No sockets: the replicas are loaded by
 * playing the server, and the transactions are checked by reading the
 * "transact" request they would send. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ds.h"
#include "json.h"
#include "util.h"
#include "northd/dbdiff.h"
#include "northd/keys.h"
#include "northd/lport-addrs.h"
#include "northd/northd.h"
#include "ovsdb/client.h"
#include "ovsdb/client-txn.h"
#include "ovsdb/jsonrpc.h"
#include "ovsdb/nbrec-idl.h"
#include "ovsdb/sbrec-idl.h"

/* Canned replicas. */

static void
feed(struct ovsdb_client *client, const char *text)
{
    char *s = xstrdup(text), *error = NULL;
    struct jsonrpc_msg *msg;
    struct json *json;

    for (char *p = s; *p; p++) {
        if (*p == '\'') {
            *p = '"';
        }
    }
    json = json_from_string(s, &error);
    if (!json) {
        fail_msg("bad test JSON: %s: %s", error, s);
    }
    assert_null(jsonrpc_msg_from_json(json, &msg));
    json_destroy(json);
    free(s);
    ovsdb_client_receive(client, 0, msg);
}

static long long
pop_request_id(struct ovsdb_client *client, const char *method)
{
    struct jsonrpc_msg *msg = ovsdb_client_pop_msg(client);
    long long id;

    assert_non_null(msg);
    assert_string_equal(msg->method, method);
    id = msg->id->integer;
    jsonrpc_msg_destroy(msg);
    return id;
}

/* Creates a client of 'class' whose replica holds 'rows' (the "initial"
 * contents of a monitor reply: {'Table': {'uuid': {'initial': {...}}}},
 * with ' for "). */
static struct ovsdb_client *
load_client(const struct ovsdb_client_class *class, const char *rows)
{
    struct ovsdb_client *client = ovsdb_client_create(NULL, class);
    struct ds s = DS_EMPTY_INITIALIZER;
    long long id;

    ovsdb_client_connected(client, 0);
    id = pop_request_id(client, "get_schema");
    ds_put_format(&s, "{'id': %lld, 'result': null, "
                  "'error': 'unknown database'}", id);
    feed(client, ds_cstr(&s));
    id = pop_request_id(client, "get_schema");
    ds_clear(&s);
    ds_put_format(&s, "{\"id\": %lld, \"result\": %s, \"error\": null}", id,
                  class->schema_json);
    feed(client, ds_cstr(&s));
    id = pop_request_id(client, "monitor_cond_since");
    ds_clear(&s);
    ds_put_format(&s, "{'id': %lld, 'error': null, 'result': [false, "
                  "'00000000-0000-0000-0000-000000000000', %s]}", id, rows);
    feed(client, ds_cstr(&s));
    ds_destroy(&s);
    assert_true(ovsdb_client_is_ready(client));
    return client;
}

/* Commits 'txn' and returns its operations, each as sorted JSON text, in
 * one array (caller frees with free_ops()). */
static char **
commit_ops(struct ovsdb_client_txn *txn, size_t *n)
{
    const struct json *req;
    char **ops;

    *n = 0;
    if (ovsdb_client_txn_commit(txn) == OVSDB_TXN_UNCHANGED) {
        return NULL;
    }
    req = ovsdb_client_txn_get_request(txn);
    assert_non_null(req);
    ops = xmalloc(req->array.n * sizeof *ops);
    for (size_t i = 1; i < req->array.n; i++) {
        ops[(*n)++] = json_to_string(req->array.elems[i], JSSF_SORT);
    }
    return ops;
}

static void
free_ops(char **ops, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(ops[i]);
    }
    free(ops);
}

/* Counts the operations containing every string of the NULL-terminated
 * list that follows 'ops' and 'n'. */
static size_t
count_ops(char **ops, size_t n, ...)
{
    size_t count = 0;

    for (size_t i = 0; i < n; i++) {
        bool all = true;
        va_list args;
        va_start(args, n);
        for (const char *s = va_arg(args, const char *); s;
             s = va_arg(args, const char *)) {
            if (!strstr(ops[i], s)) {
                all = false;
                break;
            }
        }
        va_end(args);
        count += all;
    }
    return count;
}

static void
dump_ops(char **ops, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        print_message("op %zu: %s\n", i, ops[i]);
    }
}

/* keys. */

static void
test_keys(void **state OVS_UNUSED)
{
    struct keys k;

    keys_init(&k);
    assert_int_equal(keys_allocate(&k, 1, 10, 0), 1);
    assert_int_equal(keys_allocate(&k, 1, 10, 0), 2);
    assert_true(keys_add(&k, 4));
    assert_false(keys_add(&k, 4));
    /* Lowest free. */
    assert_int_equal(keys_allocate(&k, 1, 10, 0), 3);
    assert_int_equal(keys_allocate(&k, 1, 10, 0), 5);
    /* After the hint, then wrapping around. */
    assert_int_equal(keys_allocate(&k, 1, 10, 8), 9);
    assert_int_equal(keys_allocate(&k, 1, 10, 9), 10);
    assert_int_equal(keys_allocate(&k, 1, 10, 10), 6);
    keys_remove(&k, 2);
    assert_false(keys_contains(&k, 2));
    assert_int_equal(keys_allocate(&k, 1, 10, 6), 7);
    assert_int_equal(keys_allocate(&k, 1, 10, 7), 8);
    assert_int_equal(keys_allocate(&k, 1, 10, 8), 2);
    assert_int_equal(keys_count(&k), 10);
    assert_int_equal(keys_allocate(&k, 1, 10, 0), 0);   /* Full. */
    /* Big sparse keys (datapath space); a hint outside the range. */
    assert_true(keys_add(&k, KEYS_DP_MAX));
    assert_true(keys_contains(&k, KEYS_DP_MAX));
    assert_int_equal(keys_allocate(&k, 1, KEYS_DP_MAX, KEYS_DP_MAX + 5), 11);
    keys_clear(&k);
    assert_int_equal(keys_count(&k), 0);
    assert_int_equal(keys_allocate(&k, 32768, 65535, 0), 32768);
    assert_int_equal(keys_allocate(&k, 5, 4, 0), 0);
    keys_destroy(&k);
}

/* lport-addrs. */

static void
test_lport_addrs(void **state OVS_UNUSED)
{
    struct lport_addrs a;
    char *error;
    const char *nets[] = { "10.0.0.1/24", "fd00::1/64" };

    assert_null(lport_addrs_parse("0A:00:00:00:00:01 10.0.0.5 fd00::5",
                                  &a));
    assert_string_equal(a.ea_s, "0a:00:00:00:00:01");
    assert_int_equal(a.n_ipv4, 1);
    assert_string_equal(a.ipv4[0].addr_s, "10.0.0.5");
    assert_int_equal(a.ipv4[0].plen, 32);
    assert_int_equal(a.n_ipv6, 1);
    assert_string_equal(a.ipv6[0].sn_addr_s, "ff02::1:ff00:5");
    lport_addrs_destroy(&a);

    assert_null(lport_addrs_parse("00:00:00:00:00:02 10.1.2.3/16", &a));
    assert_string_equal(a.ipv4[0].network_s, "10.1.0.0");
    assert_string_equal(a.ipv4[0].bcast_s, "10.1.255.255");
    lport_addrs_destroy(&a);

    /* IPv4 text is formatted by hand: every digit count, 0 and 255. */
    assert_null(lport_addrs_parse("00:00:00:00:00:03 0.9.99.255/8 "
                                  "100.10.1.0/31 255.255.255.255", &a));
    assert_int_equal(a.n_ipv4, 3);
    assert_string_equal(a.ipv4[0].addr_s, "0.9.99.255");
    assert_string_equal(a.ipv4[0].network_s, "0.0.0.0");
    assert_string_equal(a.ipv4[0].bcast_s, "0.255.255.255");
    assert_string_equal(a.ipv4[1].addr_s, "100.10.1.0");
    assert_string_equal(a.ipv4[1].bcast_s, "100.10.1.1");
    assert_string_equal(a.ipv4[2].addr_s, "255.255.255.255");
    assert_string_equal(a.ipv4[2].network_s, "255.255.255.255");
    lport_addrs_destroy(&a);

    error = lport_addrs_parse("zz:00:00:00:00:01 10.0.0.5", &a);
    assert_non_null(error);
    assert_non_null(strstr(error, "no MAC address"));
    free(error);
    error = lport_addrs_parse("00:00:00:00:00:01 10.0.0.500", &a);
    assert_non_null(strstr(error, "10.0.0.500"));
    free(error);
    assert_int_equal(a.n_ipv4, 0);

    assert_null(lport_addrs_parse_lrp("00:00:00:00:00:01", nets, 2, &a));
    assert_int_equal(a.n_ipv6, 2);
    assert_string_equal(a.ipv6[1].addr_s, "fe80::200:ff:fe00:1");
    assert_int_equal(a.ipv6[1].plen, 64);
    lport_addrs_destroy(&a);
    error = lport_addrs_parse_lrp("00:00:00:00:00", nets, 2, &a);
    assert_non_null(error);
    free(error);

    {
        char ip[INET6_ADDRSTRLEN];
        struct in6_addr addr;
        assert_true(lport_addrs_parse_vip("172.16.0.200:80", &addr, ip));
        assert_string_equal(ip, "172.16.0.200");
        assert_true(lport_addrs_parse_vip("[fd00::5]:80", &addr, ip));
        assert_string_equal(ip, "fd00::5");
        assert_true(lport_addrs_parse_vip("fd00::6", &addr, ip));
        assert_false(lport_addrs_parse_vip("[fd00::5:80", &addr, ip));
        assert_false(lport_addrs_parse_vip("nope:80", &addr, ip));
    }
    assert_true(lport_addrs_is_keyword("unknown"));
    assert_true(lport_addrs_is_keyword("dynamic 10.0.0.4"));
    assert_true(lport_addrs_is_keyword("00:00:00:00:00:01 dynamic"));
    assert_false(lport_addrs_is_keyword("00:00:00:00:00:01 10.0.0.1"));
}

/* dbdiff. */

#define U1 "11111111-1111-4111-8111-111111111111"
#define U2 "22222222-2222-4222-8222-222222222222"
#define U3 "33333333-3333-4333-8333-333333333333"
#define U4 "44444444-4444-4444-8444-444444444444"
#define U5 "55555555-5555-4555-8555-555555555555"
#define U6 "66666666-6666-4666-8666-666666666666"
#define U7 "77777777-7777-4777-8777-777777777777"
#define U8 "88888888-8888-4888-8888-888888888888"
#define U9 "99999999-9999-4999-8999-999999999999"

static const char *
as_key(const struct ovsdb_client_row *row, struct ds *buf OVS_UNUSED,
       void *aux OVS_UNUSED)
{
    return ((const struct sbrec_address_set *) row)->name;
}

static void
test_dbdiff(void **state OVS_UNUSED)
{
    struct ovsdb_client *sb = load_client(&sbrec_idl_class,
        "{'Address_Set': {"
        " '" U1 "': {'initial': {'name': 'a', 'addresses': '1.1.1.1'}},"
        " '" U2 "': {'initial': {'name': 'b', 'addresses': '2.2.2.2'}},"
        " '" U3 "': {'initial': {'name': 'b', 'addresses': '3.3.3.3'}},"
        " '" U4 "': {'initial': {'name': 'c'}}}}");
    struct ovsdb_client_table *t = sbrec_address_set_table(sb);
    struct ovsdb_client_txn *txn = ovsdb_client_txn_create(sb);
    static const char *const want[][2] = {
        {"a", "1.1.1.1"}, {"b", "2.2.2.9"}, {"d", "4.4.4.4"},
    };
    struct dbdiff_table_stats total;
    struct dbdiff_index idx;
    struct dbdiff diff;
    char **ops;
    size_t n;

    dbdiff_init(&diff, sb, txn);
    dbdiff_index_init(&idx, t, as_key, NULL);
    assert_non_null(dbdiff_index_find(&idx, "b"));
    assert_null(dbdiff_index_find(&idx, "d"));
    for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
        const struct ovsdb_client_row *row = dbdiff_index_claim(&idx,
                                                                want[i][0]);
        if (!row) {
            row = dbdiff_insert(&diff, t);
        }
        dbdiff_set_string(&diff, row, SBREC_ADDRESS_SET_COL_NAME,
                          want[i][0]);
        dbdiff_set_strings(&diff, row, SBREC_ADDRESS_SET_COL_ADDRESSES,
                           &want[i][1], 1);
        /* Setting the same value again writes nothing. */
        assert_false(dbdiff_set_string(&diff, row,
                                       SBREC_ADDRESS_SET_COL_NAME,
                                       want[i][0]));
    }
    dbdiff_index_finish(&idx, &diff, true);
    dbdiff_totals(&diff, &total);
    assert_int_equal(total.n_inserted, 1);
    assert_int_equal(total.n_updated, 1);
    assert_int_equal(total.n_deleted, 2);

    ops = commit_ops(txn, &n);
    dump_ops(ops, n);
    assert_int_equal(n, 4);
    assert_int_equal(count_ops(ops, n, U1, NULL), 0);   /* Untouched. */
    assert_int_equal(count_ops(ops, n, "\"delete\"", U4, NULL), 1);
    assert_int_equal(count_ops(ops, n, "\"delete\"", "Address_Set", NULL),
                     2);
    assert_int_equal(count_ops(ops, n, "\"update\"", "2.2.2.9", NULL), 1);
    assert_int_equal(count_ops(ops, n, "\"update\"", "\"name\"", NULL), 0);
    assert_int_equal(count_ops(ops, n, "\"insert\"", "4.4.4.4",
                               "\"name\":\"d\"", NULL), 1);
    free_ops(ops, n);
    dbdiff_destroy(&diff);
    ovsdb_client_txn_destroy(txn);

    /* A big set given out of order and with a duplicate is written
     * sorted and without the duplicate. */
    txn = ovsdb_client_txn_create(sb);
    dbdiff_init(&diff, sb, txn);
    {
        const struct ovsdb_client_row *row = ovsdb_client_table_find(
            t, &(struct uuid) { .parts = { 0x44444444, 0x44444444,
                                           0x84444444, 0x44444444 } });
        char addrs[40][16];
        struct dbdiff_datum b;

        dbdiff_datum_init_set(&b);
        for (int i = 0; i < 40; i++) {
            snprintf(addrs[i], sizeof addrs[i], "10.0.0.%d", 39 - i);
            dbdiff_datum_add_string(&b, addrs[i]);
        }
        dbdiff_datum_add_string(&b, addrs[3]);
        assert_true(dbdiff_set(&diff, row, SBREC_ADDRESS_SET_COL_ADDRESSES,
                               &b));
        ops = commit_ops(txn, &n);
        assert_int_equal(n, 1);
        assert_int_equal(count_ops(ops, n, "10.0.0.0\",\"10.0.0.1\",",
                                   NULL), 1);
        free_ops(ops, n);
    }
    dbdiff_destroy(&diff);
    ovsdb_client_txn_destroy(txn);

    /* Nothing to change: nothing is sent. */
    txn = ovsdb_client_txn_create(sb);
    dbdiff_init(&diff, sb, txn);
    dbdiff_set_string(&diff, ovsdb_client_table_find(t, &(struct uuid) {
        .parts = { 0x11111111, 0x11114111, 0x81111111, 0x11111111 } }),
        SBREC_ADDRESS_SET_COL_NAME, "a");
    ops = commit_ops(txn, &n);
    assert_int_equal(n, 0);
    free_ops(ops, n);
    dbdiff_destroy(&diff);
    ovsdb_client_txn_destroy(txn);
    ovsdb_client_destroy(sb);
}

/* A whole recompute. */

static const char nb_rows[] =
    "{'NB_Global': {'" U9 "': {'initial': {'nb_cfg': 3,"
    "   'options': ['map', [['mac_prefix', '0a:00:00'],"
    "                       ['svc_monitor_mac', '0a:00:00:00:00:ff']]]}}},"
    " 'Logical_Switch': {"
    "  '" U1 "': {'initial': {'name': 'sw', 'ports': ['set', ["
    "     ['uuid', '" U3 "'], ['uuid', '" U4 "'], ['uuid', '" U5 "'],"
    "     ['uuid', '" U6 "']]]}},"
    "  '" U2 "': {'initial': {'name': 'empty'}}},"
    " 'Logical_Switch_Port': {"
    "  '" U3 "': {'initial': {'name': 'a',"
    "     'addresses': '00:00:00:00:00:0a 10.0.0.10'}},"
    "  '" U4 "': {'initial': {'name': 'b',"
    "     'addresses': ['set', ['zz:00:00:00:00:0b 10.0.0.11', 'unknown']]}},"
    "  '" U5 "': {'initial': {'name': 'c', 'parent_name': 'a',"
    "     'tag_request': 0}},"
    "  '" U6 "': {'initial': {'name': 'sw-r', 'type': 'router',"
    "     'addresses': 'router',"
    "     'options': ['map', [['router-port', 'r-sw']]]}}},"
    " 'Logical_Router': {'" U7 "': {'initial': {'name': 'r',"
    "     'ports': ['uuid', '" U8 "']}}},"
    " 'Logical_Router_Port': {'" U8 "': {'initial': {'name': 'r-sw',"
    "     'mac': '00:00:00:00:ff:01', 'networks': '10.0.0.1/24'}}}}";

#define D1 "d1d1d1d1-d1d1-4d1d-8d1d-d1d1d1d1d1d1"
#define PA "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
#define PB "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"
#define PZ "cccccccc-cccc-4ccc-8ccc-cccccccccccc"

static const char sb_rows[] =
    "{'Datapath_Binding': {'" D1 "': {'initial': {'tunnel_key': 7,"
    "   'external_ids': ['map', [['logical-switch', '" U1 "'],"
    "                            ['name', 'sw']]]}}},"
    " 'Port_Binding': {"
    "  '" PA "': {'initial': {'logical_port': 'a', 'tunnel_key': 3,"
    "     'datapath': ['uuid', '" D1 "']}},"
    "  '" PB "': {'initial': {'logical_port': 'b', 'tunnel_key': 9,"
    "     'datapath': ['uuid', '" D1 "']}},"
    "  '" PZ "': {'initial': {'logical_port': 'zzz', 'tunnel_key': 1,"
    "     'datapath': ['uuid', '" D1 "']}}}}";

static void
test_recompute(void **state OVS_UNUSED)
{
    struct ovsdb_client *nb = load_client(&nbrec_idl_class, nb_rows);
    struct ovsdb_client *sb = load_client(&sbrec_idl_class, sb_rows);
    struct ovsdb_client_txn *nb_txn = ovsdb_client_txn_create(nb);
    struct ovsdb_client_txn *sb_txn = ovsdb_client_txn_create(sb);
    struct northd nd;
    char **ops;
    size_t n;

    northd_init(&nd);
    northd_run(&nd, nb, sb, nb_txn, sb_txn, true);
    assert_int_equal(nd.stats.n_datapaths, 3);
    assert_int_equal(nd.stats.n_ports, 5);

    ops = commit_ops(sb_txn, &n);
    dump_ops(ops, n);
    /* The existing switch keeps key 7: its binding is not rewritten. */
    assert_int_equal(count_ops(ops, n, D1, "\"update\"", "tunnel_key",
                               NULL), 0);
    assert_int_equal(count_ops(ops, n, "\"insert\"", "Datapath_Binding",
                               "\"name\",\"empty\"", "\"tunnel_key\":1",
                               NULL), 1);
    assert_int_equal(count_ops(ops, n, "\"insert\"", "Datapath_Binding",
                               "\"name\",\"r\"", "\"tunnel_key\":2", NULL),
                     1);
    /* Ports keep their keys; new ones come after the largest kept key. */
    assert_int_equal(count_ops(ops, n, "\"update\"", PA, "tunnel_key", NULL), 0);
    assert_int_equal(count_ops(ops, n, "\"update\"", PB, "tunnel_key", NULL), 0);
    assert_int_equal(count_ops(ops, n, "\"insert\"", "\"logical_port\":\"c\"",
                               "\"tunnel_key\":10", "\"parent_port\":\"a\"",
                               "\"tag\":1", NULL), 1);
    assert_int_equal(count_ops(ops, n, "\"insert\"",
                               "\"logical_port\":\"sw-r\"",
                               "\"tunnel_key\":11", "\"type\":\"patch\"",
                               "[\"peer\",\"r-sw\"]", NULL), 1);
    assert_int_equal(count_ops(ops, n, "\"insert\"",
                               "\"logical_port\":\"r-sw\"",
                               "\"tunnel_key\":1",
                               "00:00:00:00:ff:01 10.0.0.1/24", NULL), 1);
    assert_int_equal(count_ops(ops, n, "\"delete\"", PZ, NULL), 1);
    /* The bad address of "b" is left out of its 'mac'. */
    assert_int_equal(count_ops(ops, n, PB, "zz:00", NULL), 0);
    assert_int_equal(count_ops(ops, n, PB, "\"mac\":\"unknown\"", NULL), 1);
    /* Multicast groups, SB_Global, logical flows. */
    assert_int_equal(count_ops(ops, n, "\"insert\"", "Multicast_Group",
                               "_MC_flood\"", "32768", NULL), 1);
    assert_int_equal(count_ops(ops, n, "\"insert\"", "Multicast_Group",
                               "_MC_unknown", "32769", NULL), 1);
    assert_int_equal(count_ops(ops, n, "\"insert\"", "SB_Global",
                               "\"nb_cfg\":3", "0a:00:00", NULL), 1);
    assert_int_equal(count_ops(ops, n, "\"insert\"", "Logical_Flow",
                               "ls_in_l2_unknown",
                               "\"actions\":\"output;\"", NULL), 2);
    free_ops(ops, n);

    ops = commit_ops(nb_txn, &n);
    dump_ops(ops, n);
    assert_int_equal(count_ops(ops, n, "\"update\"", U5, "\"tag\":1", NULL),
                     1);
    assert_int_equal(count_ops(ops, n, "\"update\"", U6, "\"up\":true",
                               NULL), 1);
    assert_int_equal(count_ops(ops, n, "\"update\"", U9,
                               "northd_internal_version",
                               "nb_cfg_timestamp", NULL), 1);
    free_ops(ops, n);

    northd_destroy(&nd);
    ovsdb_client_txn_destroy(nb_txn);
    ovsdb_client_txn_destroy(sb_txn);
    ovsdb_client_destroy(nb);
    ovsdb_client_destroy(sb);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_lport_addrs),
        cmocka_unit_test(test_dbdiff),
        cmocka_unit_test(test_recompute),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
