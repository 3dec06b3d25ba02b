/* Unit tests for ovsdb/unixctl: the control socket server driven through
 * a poll_loop, the client helper, and the weft-appctl program (when the
 * build passes its path in $WEFT_APPCTL). */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "ds.h"
#include "json.h"
#include "ovsdb/jsonrpc.h"
#include "ovsdb/unixctl.h"
#include "poll-loop.h"
#include "stream.h"
#include "util.h"

struct fixture {
    char dir[32];
    char *path;
    struct poll_loop *loop;
    struct unixctl_server *server;
    struct unixctl_conn *held;      /* Conn whose answer is deferred. */
};

static void
echo_cb(struct unixctl_conn *conn, int argc, const char *argv[],
        void *aux OVS_UNUSED)
{
    struct ds ds = DS_EMPTY_INITIALIZER;

    for (int i = 0; i < argc; i++) {
        ds_put_format(&ds, "%s%s", i ? " " : "", argv[i]);
    }
    unixctl_reply(conn, ds_cstr(&ds));
    ds_destroy(&ds);
}

static void
hold_cb(struct unixctl_conn *conn, int argc OVS_UNUSED,
        const char *argv[] OVS_UNUSED, void *f_)
{
    struct fixture *f = f_;
    f->held = conn;
}

static int
setup(void **state)
{
    struct fixture *f = xzalloc(sizeof *f);

    strcpy(f->dir, "/tmp/test-unixctl-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    f->path = xasprintf("%s/test.ctl", f->dir);
    f->loop = poll_loop_create();
    assert_int_equal(unixctl_server_create(f->loop, f->path, &f->server), 0);
    unixctl_command_register(f->server, "test/echo", "[ARG...]", 0, 3,
                             echo_cb, NULL);
    unixctl_command_register(f->server, "test/hold", "", 0, 0, hold_cb, f);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    unixctl_server_destroy(f->server);
    poll_loop_destroy(f->loop);
    assert_int_equal(access(f->path, F_OK), -1);
    rmdir(f->dir);
    free(f->path);
    free(f);
    return 0;
}

/* A raw client: connects, sends one request, and runs the server loop
 * until the answer arrives. */
static int
client_connect(struct fixture *f)
{
    char *name = xasprintf("unix:%s", f->path);
    int fd;

    assert_int_equal(stream_open_block(name, 1000, &fd), 0);
    free(name);
    return fd;
}

static void
client_send(int fd, const char *method, struct json *params)
{
    struct jsonrpc_msg *msg = jsonrpc_msg_create_request(
        method, params, json_integer_create(1));
    struct json *json = jsonrpc_msg_to_json(msg);
    char *s = json_to_string(json, 0);

    assert_int_equal(write(fd, s, strlen(s)), strlen(s));
    free(s);
    json_destroy(json);
    jsonrpc_msg_destroy(msg);
}

static struct jsonrpc_msg *
client_wait(struct fixture *f, int fd)
{
    struct jsonrpc_conn *conn = jsonrpc_conn_create();
    struct jsonrpc_msg *msg = NULL;

    for (int i = 0; i < 200 && !msg; i++) {
        poll_loop_run_once(f->loop, 10);
        char buf[4096];
        ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n > 0) {
            assert_int_equal(jsonrpc_conn_receive(conn, buf, n), 0);
            msg = jsonrpc_conn_next_msg(conn);
        }
    }
    jsonrpc_conn_destroy(conn);
    assert_non_null(msg);
    return msg;
}

static struct json *
string_params(int n, const char *const args[])
{
    struct json *params = json_array_create_empty();

    for (int i = 0; i < n; i++) {
        json_array_add(params, json_string_create(args[i]));
    }
    return params;
}

/* Runs 'method' with 'n' arguments; returns the answer text and sets
 * '*is_error'. */
static char *
run_command(struct fixture *f, const char *method, int n,
            const char *const args[], bool *is_error)
{
    int fd = client_connect(f);

    client_send(fd, method, string_params(n, args));
    struct jsonrpc_msg *msg = client_wait(f, fd);
    close(fd);

    assert_int_equal(msg->id->integer, 1);
    *is_error = msg->type == JSONRPC_ERROR;
    const struct json *text = *is_error ? msg->error : msg->result;
    assert_int_equal(text->type, JSON_STRING);
    char *s = xstrdup(json_string(text));
    jsonrpc_msg_destroy(msg);
    return s;
}

static void
assert_command(struct fixture *f, const char *method, int n,
               const char *const args[], bool expect_error,
               const char *substring)
{
    bool is_error;
    char *s = run_command(f, method, n, args, &is_error);

    if (is_error != expect_error || !strstr(s, substring)) {
        fail_msg("%s: got %s \"%s\", expected %s containing \"%s\"", method,
                 is_error ? "error" : "result", s,
                 expect_error ? "error" : "result", substring);
    }
    free(s);
}

static void
test_builtins(void **state)
{
    struct fixture *f = *state;
    const char *bad_spec[] = { "nonexistent_module:dbg" };
    const char *good_spec[] = { "console:warn" };

    assert_command(f, "list-commands", 0, NULL, false,
                   "The available commands are:\n");
    assert_command(f, "list-commands", 0, NULL, false,
                   "  test/echo               [ARG...]\n");
    assert_command(f, "version", 0, NULL, false, "weft ");
    assert_command(f, "vlog/list", 0, NULL, false, "console");
    assert_command(f, "vlog/set", 1, bad_spec, true, "nonexistent_module");
    assert_command(f, "vlog/set", 1, good_spec, false, "");
    assert_command(f, "vlog/reopen", 0, NULL, true, "not configured");

    unixctl_server_set_version(f->server, "weft-test (weft) 9.9");
    assert_command(f, "version", 0, NULL, false, "weft-test (weft) 9.9\n");
}

static void
test_commands(void **state)
{
    struct fixture *f = *state;
    const char *args[] = { "a", "b c", "d", "e" };

    assert_command(f, "test/echo", 2, args, false, "test/echo a b c\n");
    assert_command(f, "test/echo", 0, NULL, false, "test/echo\n");
    assert_command(f, "test/echo", 4, args, true,
                   "\"test/echo\" command takes at most 3 arguments");
    assert_command(f, "vlog/set", 0, NULL, true,
                   "\"vlog/set\" command requires at least 1 arguments");
    assert_command(f, "no/such", 0, NULL, true,
                   "\"no/such\" is not a valid command");

    /* Non-string arguments are refused. */
    int fd = client_connect(f);
    client_send(fd, "test/echo", json_array_create_1(json_integer_create(1)));
    struct jsonrpc_msg *msg = client_wait(f, fd);
    assert_int_equal(msg->type, JSONRPC_ERROR);
    assert_non_null(strstr(json_string(msg->error), "non-string"));
    jsonrpc_msg_destroy(msg);
    close(fd);
}

static void
test_two_requests_one_connection(void **state)
{
    struct fixture *f = *state;
    int fd = client_connect(f);

    /* Both requests in one write: answered in order. */
    client_send(fd, "test/echo", string_params(0, NULL));
    client_send(fd, "version", string_params(0, NULL));

    struct jsonrpc_conn *conn = jsonrpc_conn_create();
    struct jsonrpc_msg *msgs[2] = { NULL, NULL };
    int n = 0;
    for (int i = 0; i < 200 && n < 2; i++) {
        poll_loop_run_once(f->loop, 10);
        char buf[4096];
        ssize_t r = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
        if (r > 0) {
            jsonrpc_conn_receive(conn, buf, r);
        }
        while (n < 2 && (msgs[n] = jsonrpc_conn_next_msg(conn))) {
            n++;
        }
    }
    assert_int_equal(n, 2);
    assert_string_equal(json_string(msgs[0]->result), "test/echo\n");
    assert_non_null(strstr(json_string(msgs[1]->result), "weft"));
    jsonrpc_msg_destroy(msgs[0]);
    jsonrpc_msg_destroy(msgs[1]);
    jsonrpc_conn_destroy(conn);
    close(fd);
}

static void
test_deferred_reply(void **state)
{
    struct fixture *f = *state;
    int fd = client_connect(f);

    client_send(fd, "test/hold", string_params(0, NULL));
    for (int i = 0; i < 50 && !f->held; i++) {
        poll_loop_run_once(f->loop, 10);
    }
    assert_non_null(f->held);

    /* The answer comes later. */
    unixctl_reply(f->held, "done");
    f->held = NULL;
    struct jsonrpc_msg *msg = client_wait(f, fd);
    assert_string_equal(json_string(msg->result), "done\n");
    jsonrpc_msg_destroy(msg);

    /* The client goes away before the answer: the conn stays valid and
     * the answer is dropped. */
    client_send(fd, "test/hold", string_params(0, NULL));
    for (int i = 0; i < 50 && !f->held; i++) {
        poll_loop_run_once(f->loop, 10);
    }
    assert_non_null(f->held);
    close(fd);
    for (int i = 0; i < 5; i++) {
        poll_loop_run_once(f->loop, 10);
    }
    unixctl_reply_error(f->held, "too late");
    f->held = NULL;
    poll_loop_run_once(f->loop, 0);
}

/* weft-appctl. */

/* Runs weft-appctl with 'argv' while serving the loop; returns its exit
 * status and its stdout and stderr. */
static int
run_appctl(struct fixture *f, char *const argv[], char **outp, char **errp)
{
    int out[2], err[2];

    assert_int_equal(pipe2(out, O_NONBLOCK), 0);
    assert_int_equal(pipe2(err, O_NONBLOCK), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (!pid) {
        dup2(out[1], STDOUT_FILENO);
        dup2(err[1], STDERR_FILENO);
        execv(getenv("WEFT_APPCTL"), argv);
        _exit(127);
    }
    close(out[1]);
    close(err[1]);

    int status = 0;
    for (int i = 0; i < 1000; i++) {
        poll_loop_run_once(f->loop, 5);
        if (waitpid(pid, &status, WNOHANG) == pid) {
            break;
        }
    }

    struct ds o = DS_EMPTY_INITIALIZER, e = DS_EMPTY_INITIALIZER;
    char buf[4096];
    ssize_t n;
    while ((n = read(out[0], buf, sizeof buf)) > 0) {
        ds_put_buffer(&o, buf, n);
    }
    while ((n = read(err[0], buf, sizeof buf)) > 0) {
        ds_put_buffer(&e, buf, n);
    }
    close(out[0]);
    close(err[0]);
    *outp = ds_steal_cstr(&o);
    *errp = ds_steal_cstr(&e);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static void
test_appctl(void **state)
{
    struct fixture *f = *state;
    char *out, *err;

    if (!getenv("WEFT_APPCTL")) {
        skip();
    }

    char *ok[] = { "weft-appctl", "-t", f->path, "test/echo", "x", NULL };
    assert_int_equal(run_appctl(f, ok, &out, &err), 0);
    assert_string_equal(out, "test/echo x\n");
    assert_string_equal(err, "");
    free(out);
    free(err);

    char *bad[] = { "weft-appctl", "--target", f->path, "nope", NULL };
    assert_int_equal(run_appctl(f, bad, &out, &err), 2);
    assert_string_equal(out, "");
    assert_non_null(strstr(err, "\"nope\" is not a valid command"));
    free(out);
    free(err);

    /* A daemon name is looked up in $WEFT_RUNDIR as NAME.ctl... */
    setenv("WEFT_RUNDIR", f->dir, 1);
    char *by_name[] = { "weft-appctl", "-t", "test", "test/echo", NULL };
    assert_int_equal(run_appctl(f, by_name, &out, &err), 0);
    assert_string_equal(out, "test/echo\n");
    free(out);
    free(err);

    /* ...or through its pidfile as NAME.PID.ctl. */
    char *pidfile = xasprintf("%s/viapid.pid", f->dir);
    char *ctl = xasprintf("%s/viapid.4242.ctl", f->dir);
    FILE *pf = fopen(pidfile, "w");
    fprintf(pf, "4242\n");
    fclose(pf);
    struct unixctl_server *server2;
    assert_int_equal(unixctl_server_create(f->loop, ctl, &server2), 0);
    char *by_pid[] = { "weft-appctl", "-t", "viapid", "version", NULL };
    assert_int_equal(run_appctl(f, by_pid, &out, &err), 0);
    assert_non_null(strstr(out, "weft"));
    free(out);
    free(err);
    unixctl_server_destroy(server2);
    unlink(pidfile);

    /* Unreachable target: exit status 1 and a message. */
    char *missing[] = { "weft-appctl", "-t", "absent", "version", NULL };
    assert_int_equal(run_appctl(f, missing, &out, &err), 1);
    assert_non_null(strstr(err, "absent"));
    free(out);
    free(err);
    unsetenv("WEFT_RUNDIR");

    char *help[] = { "weft-appctl", "--help", NULL };
    assert_int_equal(run_appctl(f, help, &out, &err), 0);
    assert_non_null(strstr(out, "--target"));
    free(out);
    free(err);

    free(pidfile);
    free(ctl);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_builtins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_commands, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_requests_one_connection,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_deferred_reply, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_appctl, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
