/* weft-test-client: exercises the OVSDB client library against a live
 * OVN_Northbound server (ovsdb-server or weft-db), for
 * tests/test_client_ovsdb_server.py.
 *
 *     weft-test-client smoke REMOTE
 *         Typed inserts, another client's change with change tracking, a
 *         verify conflict (TRY_AGAIN, then success), merging mutations,
 *         increment, and a monitor condition.  Prints "ok: STEP" per step.
 *
 *     weft-test-client leader REMOTES NAME
 *         Connects in leader-only mode to a comma-separated list of cluster
 *         members, prints "leader REMOTE", inserts a Logical_Switch named
 *         NAME and waits until the replica shows it.
 *
 *     weft-test-client follow REMOTE NAME
 *         Connects, prints "ready", then waits (reconnecting as needed)
 *         until a Logical_Switch named NAME appears, tracked as inserted,
 *         and prints "seen NAME".  The test restarts the server meanwhile.
 *
 * Exits 0 on success, 1 (with "FAIL: ...") otherwise. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "util.h"
#include "vlog.h"
#include "ovsdb/client-io.h"
#include "ovsdb/nbrec-idl.h"
#include "ovsdb/schema.h"

#define TIMEOUT_MS 10000

static void fail(const char *format, ...) PRINTF_FORMAT(1, 2) NO_RETURN;

static void
fail(const char *format, ...)
{
    va_list args;

    va_start(args, format);
    fputs("FAIL: ", stdout);
    vprintf(format, args);
    putchar('\n');
    va_end(args);
    exit(1);
}

#define CHECK(COND)                                                        \
    do {                                                                   \
        if (!(COND)) {                                                     \
            fail("%s:%d: %s", __FILE__, __LINE__, #COND);                  \
        }                                                                  \
    } while (0)

static void
ok(const char *step)
{
    printf("ok: %s\n", step);
    fflush(stdout);
}

static struct ovsdb_client *
open_nb(const char *remote)
{
    char *error;
    struct ovsdb_client *client = ovsdb_client_sync_open(
        remote, &nbrec_idl_class, NULL, NULL, TIMEOUT_MS, &error);
    if (!client) {
        fail("open: %s", error);
    }
    return client;
}

static enum ovsdb_client_txn_status
commit(struct ovsdb_client *client, struct ovsdb_client_txn *txn)
{
    enum ovsdb_client_txn_status status
        = ovsdb_client_sync_commit(client, txn, TIMEOUT_MS);
    if (status != OVSDB_TXN_SUCCESS && status != OVSDB_TXN_TRY_AGAIN) {
        fail("commit: %s (%s)", ovsdb_client_txn_status_to_string(status),
             ovsdb_client_txn_get_error(txn));
    }
    return status;
}

static const struct nbrec_logical_switch *
find_ls(const struct ovsdb_client *client, const char *name)
{
    const struct nbrec_logical_switch *ls;

    NBREC_LOGICAL_SWITCH_FOR_EACH (ls, client) {
        if (!strcmp(ls->name, name)) {
            return ls;
        }
    }
    return NULL;
}

static bool
has_ls(const struct ovsdb_client *client, void *name)
{
    return find_ls(client, name) != NULL;
}

static const struct nbrec_logical_switch_port *
find_lsp(const struct ovsdb_client *client, const char *name)
{
    const struct nbrec_logical_switch_port *lsp;

    NBREC_LOGICAL_SWITCH_PORT_FOR_EACH (lsp, client) {
        if (!strcmp(lsp->name, name)) {
            return lsp;
        }
    }
    return NULL;
}

/* Inserts switch "smoke-ls" with port "smoke-p1" through the typed API. */
static void
step_insert(struct ovsdb_client *a)
{
    struct ovsdb_client_txn *txn = ovsdb_client_txn_create(a);
    struct nbrec_logical_switch *ls = nbrec_logical_switch_insert(txn);
    struct nbrec_logical_switch_port *lsp
        = nbrec_logical_switch_port_insert(txn);
    const char *addrs[] = { "00:00:00:00:00:01 10.0.0.1" };
    const struct nbrec_logical_switch_port *ports[] = { lsp };

    nbrec_logical_switch_set_name(txn, ls, "smoke-ls");
    nbrec_logical_switch_update_other_config_setkey(txn, ls, "subnet",
                                                    "10.0.0.0/24");
    nbrec_logical_switch_port_set_name(txn, lsp, "smoke-p1");
    nbrec_logical_switch_port_set_addresses(txn, lsp, addrs, 1);
    nbrec_logical_switch_set_ports(txn, ls, ports, 1);
    ovsdb_client_txn_add_comment(txn, "weft-test-client: insert");
    CHECK(commit(a, txn) == OVSDB_TXN_SUCCESS);
    const struct uuid *ls_uuid
        = ovsdb_client_txn_get_insert_uuid(txn, &ls->header_);
    CHECK(ls_uuid);
    struct uuid uuid = *ls_uuid;
    ovsdb_client_txn_destroy(txn);

    /* ovsdb-server sends the update before the reply, but do not depend
     * on it. */
    CHECK(!ovsdb_client_sync_wait_until(a, has_ls, "smoke-ls", TIMEOUT_MS));
    const struct nbrec_logical_switch *row
        = nbrec_logical_switch_get_for_uuid(a, &uuid);
    CHECK(row);
    CHECK(!strcmp(row->name, "smoke-ls"));
    CHECK(!strcmp(nbrec_logical_switch_get_other_config_value(row, "subnet"),
                  "10.0.0.0/24"));
    CHECK(row->n_ports == 1);
    CHECK(!strcmp(row->ports[0]->name, "smoke-p1"));
    CHECK(row->ports[0]->n_addresses == 1);
    CHECK(nbrec_logical_switch_is_new(row));
    ok("typed insert appears in replica");
}

/* Finds a port through the generic (untyped) API. */
static const struct ovsdb_client_row *
generic_lsp(const struct ovsdb_client *client, const char *name)
{
    const struct ovsdb_client_table *table
        = ovsdb_client_get_table(client, "Logical_Switch_Port");
    const struct ovsdb_client_row *row;

    OVSDB_CLIENT_ROW_FOR_EACH (row, table) {
        const struct ovsdb_datum *d = ovsdb_client_row_get_by_name(row,
                                                                   "name");
        if (d->n && !strcmp(d->keys[0].s->string, name)) {
            return row;
        }
    }
    return NULL;
}

static bool
generic_find_lsp(const struct ovsdb_client *client, void *name)
{
    return generic_lsp(client, name) != NULL;
}

/* Client 'b', generic with the server's schema, changes the port and adds
 * a switch; 'a' must report exactly that. */
static void
step_other_client(struct ovsdb_client *a, struct ovsdb_client *b)
{
    ovsdb_client_clear_tracked(a);

    struct ovsdb_client_table *lsp_table
        = ovsdb_client_get_table(b, "Logical_Switch_Port");
    struct ovsdb_client_table *ls_table
        = ovsdb_client_get_table(b, "Logical_Switch");
    CHECK(lsp_table && ls_table && ovsdb_client_get_schema(b));
    CHECK(!ovsdb_client_sync_wait_until(b, generic_find_lsp, "smoke-p1",
                                        TIMEOUT_MS));
    const struct ovsdb_client_row *p1 = generic_lsp(b, "smoke-p1");

    struct ovsdb_client_txn *txn = ovsdb_client_txn_create(b);
    const struct ovsdb_column *addresses = ovsdb_table_schema_get_column(
        lsp_table->schema, "addresses");
    const struct ovsdb_column *name = ovsdb_table_schema_get_column(
        ls_table->schema, "name");
    struct ovsdb_datum d;
    ovsdb_datum_init_string(&d, "00:00:00:00:00:02 10.0.0.2");
    ovsdb_client_txn_write(txn, p1, addresses->index, &d);
    const struct ovsdb_client_row *ls2 = ovsdb_client_txn_insert(txn,
                                                                 ls_table);
    ovsdb_datum_init_string(&d, "smoke-ls2");
    ovsdb_client_txn_write(txn, ls2, name->index, &d);
    CHECK(commit(b, txn) == OVSDB_TXN_SUCCESS);
    ovsdb_client_txn_destroy(txn);

    CHECK(!ovsdb_client_sync_wait_until(a, has_ls, "smoke-ls2", TIMEOUT_MS));
    const struct nbrec_logical_switch *ls;
    const struct nbrec_logical_switch_port *lsp;
    int n_ls = 0, n_lsp = 0;
    NBREC_LOGICAL_SWITCH_FOR_EACH_TRACKED (ls, a) {
        CHECK(nbrec_logical_switch_is_new(ls));
        CHECK(!strcmp(ls->name, "smoke-ls2"));
        n_ls++;
    }
    NBREC_LOGICAL_SWITCH_PORT_FOR_EACH_TRACKED (lsp, a) {
        CHECK(!nbrec_logical_switch_port_is_new(lsp));
        CHECK(!nbrec_logical_switch_port_is_deleted(lsp));
        CHECK(nbrec_logical_switch_port_is_updated(
                  lsp, NBREC_LOGICAL_SWITCH_PORT_COL_ADDRESSES));
        CHECK(!nbrec_logical_switch_port_is_updated(
                  lsp, NBREC_LOGICAL_SWITCH_PORT_COL_NAME));
        const struct ovsdb_datum *old = ovsdb_client_row_get_old(
            &lsp->header_, NBREC_LOGICAL_SWITCH_PORT_COL_ADDRESSES);
        CHECK(old->n == 1
              && !strcmp(old->keys[0].s->string,
                         "00:00:00:00:00:01 10.0.0.1"));
        CHECK(!strcmp(lsp->addresses[0], "00:00:00:00:00:02 10.0.0.2"));
        n_lsp++;
    }
    CHECK(n_ls == 1 && n_lsp == 1);
    ovsdb_client_clear_tracked(a);
    ok("other client's change tracked");
}

/* 'a' verifies the port's addresses, 'b' changes them first: 'a' must get
 * TRY_AGAIN, then succeed once its replica caught up. */
static void
step_verify_conflict(struct ovsdb_client *a, struct ovsdb_client *b)
{
    const struct nbrec_logical_switch_port *lsp = find_lsp(a, "smoke-p1");
    CHECK(lsp);
    struct ovsdb_client_txn *txn = ovsdb_client_txn_create(a);
    const char *mine[] = { "00:00:00:00:00:0a 10.0.0.10" };
    nbrec_logical_switch_port_verify_addresses(txn, lsp);
    nbrec_logical_switch_port_set_addresses(txn, lsp, mine, 1);

    /* Meanwhile, 'b' (a separate connection) changes them. */
    const struct nbrec_logical_switch_port *blsp = find_lsp(b, "smoke-p1");
    CHECK(blsp);
    struct ovsdb_client_txn *btxn = ovsdb_client_txn_create(b);
    const char *theirs[] = { "00:00:00:00:00:0b 10.0.0.11" };
    nbrec_logical_switch_port_set_addresses(btxn, blsp, theirs, 1);
    CHECK(commit(b, btxn) == OVSDB_TXN_SUCCESS);
    ovsdb_client_txn_destroy(btxn);

    CHECK(commit(a, txn) == OVSDB_TXN_TRY_AGAIN);
    CHECK(strstr(ovsdb_client_txn_get_error(txn), "timed out"));
    ovsdb_client_txn_destroy(txn);
    ok("verify conflict gives try-again");

    /* Retry, as a tool would, once the replica shows the new value. */
    for (int attempt = 0; attempt < 5; attempt++) {
        lsp = find_lsp(a, "smoke-p1");
        if (!strcmp(lsp->addresses[0], theirs[0])) {
            break;
        }
        ovsdb_client_sync_wait_change(a, ovsdb_client_get_seqno(a),
                                      TIMEOUT_MS);
    }
    CHECK(!strcmp(lsp->addresses[0], theirs[0]));
    txn = ovsdb_client_txn_create(a);
    nbrec_logical_switch_port_verify_addresses(txn, lsp);
    nbrec_logical_switch_port_set_addresses(txn, lsp, mine, 1);
    CHECK(commit(a, txn) == OVSDB_TXN_SUCCESS);
    ovsdb_client_txn_destroy(txn);
    ok("retry after catching up succeeds");
}

static bool
has_both_keys(const struct ovsdb_client *client, void *aux OVS_UNUSED)
{
    const struct nbrec_logical_switch *ls = find_ls(client, "smoke-ls");
    return ls && nbrec_logical_switch_get_other_config_value(ls, "ka")
           && nbrec_logical_switch_get_other_config_value(ls, "kb");
}

/* Concurrent map mutations from two clients both take effect. */
static void
step_mutations(struct ovsdb_client *a, struct ovsdb_client *b)
{
    struct ovsdb_client_txn *ta = ovsdb_client_txn_create(a);
    nbrec_logical_switch_update_other_config_setkey(
        ta, find_ls(a, "smoke-ls"), "ka", "1");
    ovsdb_client_txn_commit(ta);
    ovsdb_client_io_run(ovsdb_client_get_io(a));  /* Send it now. */

    struct ovsdb_client_txn *tb = ovsdb_client_txn_create(b);
    nbrec_logical_switch_update_other_config_setkey(
        tb, find_ls(b, "smoke-ls"), "kb", "2");
    CHECK(commit(b, tb) == OVSDB_TXN_SUCCESS);
    CHECK(commit(a, ta) == OVSDB_TXN_SUCCESS);
    ovsdb_client_txn_destroy(ta);
    ovsdb_client_txn_destroy(tb);

    CHECK(!ovsdb_client_sync_wait_until(a, has_both_keys, NULL, TIMEOUT_MS));
    const struct nbrec_logical_switch *ls = find_ls(a, "smoke-ls");
    CHECK(!strcmp(nbrec_logical_switch_get_other_config_value(ls, "subnet"),
                  "10.0.0.0/24"));
    ok("concurrent map mutations merge");
}

static bool
has_nb_global(const struct ovsdb_client *client, void *aux OVS_UNUSED)
{
    return nbrec_nb_global_first(client) != NULL;
}

static void
step_increment(struct ovsdb_client *a)
{
    if (!nbrec_nb_global_first(a)) {
        struct ovsdb_client_txn *txn = ovsdb_client_txn_create(a);
        nbrec_nb_global_insert(txn);
        CHECK(commit(a, txn) == OVSDB_TXN_SUCCESS);
        ovsdb_client_txn_destroy(txn);
        CHECK(!ovsdb_client_sync_wait_until(a, has_nb_global, NULL,
                                            TIMEOUT_MS));
    }

    const struct nbrec_nb_global *nb = nbrec_nb_global_first(a);
    long long before = nb->nb_cfg;
    struct ovsdb_client_txn *txn = ovsdb_client_txn_create(a);
    ovsdb_client_txn_increment(txn, &nb->header_, NBREC_NB_GLOBAL_COL_NB_CFG);
    CHECK(commit(a, txn) == OVSDB_TXN_SUCCESS);
    CHECK(ovsdb_client_txn_get_increment_new_value(txn) == before + 1);
    ovsdb_client_txn_destroy(txn);
    ok("increment returns the new value");
}

static bool
cond_applied(const struct ovsdb_client *client, void *seqno)
{
    return ovsdb_client_get_cond_seqno(client) == *(unsigned int *) seqno;
}

static void
step_condition(struct ovsdb_client *b)
{
    struct json *cond = json_from_string(
        "[[\"name\", \"==\", \"smoke-ls2\"]]", NULL);
    unsigned int seqno = ovsdb_client_set_condition(b, "Logical_Switch",
                                                    cond);
    json_destroy(cond);
    CHECK(!ovsdb_client_sync_wait_until(b, cond_applied, &seqno,
                                        TIMEOUT_MS));
    CHECK(ovsdb_client_table_count(ovsdb_client_get_table(
                                       b, "Logical_Switch")) == 1);
    CHECK(has_ls(b, "smoke-ls2") && !has_ls(b, "smoke-ls"));
    ok("monitor condition narrows the replica");
}

static int
run_smoke(const char *remote)
{
    struct ovsdb_client *a = open_nb(remote);
    char *error;
    struct ovsdb_client *b = ovsdb_client_sync_open(
        remote, NULL, "OVN_Northbound", NULL, TIMEOUT_MS, &error);
    if (!b) {
        fail("open generic client: %s", error);
    }
    printf("method: %s\n", ovsdb_client_get_monitor_method(a));
    ok("connected");

    step_insert(a);
    step_other_client(a, b);
    ovsdb_client_destroy(b);

    /* From here on 'b' is a typed client too. */
    b = open_nb(remote);
    step_verify_conflict(a, b);
    step_mutations(a, b);
    step_increment(a);
    step_condition(b);
    ovsdb_client_destroy(a);
    ovsdb_client_destroy(b);
    return 0;
}

static int
run_follow(const char *remote, const char *name)
{
    struct ovsdb_client *client = open_nb(remote);

    /* Quick retries: the test restarts the server under us. */
    ovsdb_client_set_backoff(client, 100, 400);
    ovsdb_client_clear_tracked(client);
    printf("ready\n");
    fflush(stdout);
    if (ovsdb_client_sync_wait_until(client, has_ls, (void *) name,
                                     4 * TIMEOUT_MS)) {
        fail("%s never appeared (%s)", name,
             ovsdb_client_get_last_error(client)
                 ? ovsdb_client_get_last_error(client) : "no error");
    }
    const struct nbrec_logical_switch *ls = find_ls(client, name);
    CHECK(nbrec_logical_switch_is_new(ls));
    struct ovsdb_client_stats stats;
    ovsdb_client_get_stats(client, &stats);
    printf("seen %s via %s\n", name,
           ovsdb_client_get_monitor_method(client));
    printf("connections %u full-loads %u resumes %u\n",
           stats.n_connections, stats.n_full_loads, stats.n_resumes);
    ovsdb_client_destroy(client);
    return 0;
}

static int
run_leader(const char *remotes, const char *name)
{
    struct ovsdb_client *client = ovsdb_client_create(remotes,
                                                      &nbrec_idl_class);

    ovsdb_client_set_leader_only(client, true);
    ovsdb_client_set_backoff(client, 100, 400);
    int error = ovsdb_client_sync_connect(client, TIMEOUT_MS, true);
    if (error) {
        fail("connect: %s", ovsdb_client_get_last_error(client)
                                ? ovsdb_client_get_last_error(client)
                                : util_strerror(error));
    }
    printf("leader %s via %s\n", ovsdb_client_get_remote(client),
           ovsdb_client_get_monitor_method(client));

    struct ovsdb_client_txn *txn = ovsdb_client_txn_create(client);
    struct nbrec_logical_switch *ls = nbrec_logical_switch_insert(txn);
    nbrec_logical_switch_set_name(txn, ls, name);
    CHECK(commit(client, txn) == OVSDB_TXN_SUCCESS);
    ovsdb_client_txn_destroy(txn);
    CHECK(!ovsdb_client_sync_wait_until(client, has_ls, (void *) name,
                                        TIMEOUT_MS));
    ok("inserted through the leader");
    ovsdb_client_destroy(client);
    return 0;
}

int
main(int argc, char *argv[])
{
    vlog_set_program_name("weft-test-client");
    if (argc == 3 && !strcmp(argv[1], "smoke")) {
        return run_smoke(argv[2]);
    } else if (argc == 4 && !strcmp(argv[1], "leader")) {
        return run_leader(argv[2], argv[3]);
    } else if (argc == 4 && !strcmp(argv[1], "follow")) {
        return run_follow(argv[2], argv[3]);
    }
    fprintf(stderr, "usage: %s smoke REMOTE | leader REMOTES NAME | "
            "follow REMOTE NAME\n", argv[0]);
    return 2;
}
