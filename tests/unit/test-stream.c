/* Unit tests for lib/stream: connection name parsing and real sockets
 * over punix and ptcp on loopback. */

#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include "stream.h"
#include "util.h"

/* Name parsing. */

static void
assert_name_ok(const char *name, const char *formatted)
{
    struct stream_name sn;
    char *error = stream_name_parse(name, &sn);

    if (error) {
        fail_msg("%s: unexpected error: %s", name, error);
    }
    char *s = stream_name_format(&sn);
    assert_string_equal(s, formatted);
    free(s);
    stream_name_destroy(&sn);
}

static void
assert_name_error(const char *name, const char *substring)
{
    struct stream_name sn;
    char *error = stream_name_parse(name, &sn);

    if (!error) {
        fail_msg("%s: parsed, but an error was expected", name);
    }
    if (!strstr(error, substring)) {
        fail_msg("%s: error \"%s\" lacks \"%s\"", name, error, substring);
    }
    free(error);
}

static void
test_parse_valid(void **state OVS_UNUSED)
{
    assert_name_ok("unix:/var/run/weft/db.sock", "unix:/var/run/weft/db.sock");
    assert_name_ok("punix:db.sock", "punix:db.sock");
    assert_name_ok("tcp:127.0.0.1:6641", "tcp:127.0.0.1:6641");
    assert_name_ok("tcp:[::1]:6641", "tcp:[::1]:6641");
    assert_name_ok("tcp:[fe80::1]:1", "tcp:[fe80::1]:1");
    assert_name_ok("ptcp:6641", "ptcp:6641:0.0.0.0");
    assert_name_ok("ptcp:0", "ptcp:0:0.0.0.0");
    assert_name_ok("ptcp:6641:127.0.0.1", "ptcp:6641:127.0.0.1");
    assert_name_ok("ptcp:6641:[::]", "ptcp:6641:[::]");
    assert_name_ok("ptcp:6641:::1", "ptcp:6641:[::1]");

    struct stream_name sn;
    assert_null(stream_name_parse("tcp:10.0.0.1:65535", &sn));
    assert_int_equal(sn.type, STREAM_TCP);
    assert_false(sn.passive);
    assert_int_equal(sn.port, 65535);
    assert_string_equal(sn.host, "10.0.0.1");
    stream_name_destroy(&sn);
}

static void
test_parse_invalid(void **state OVS_UNUSED)
{
    assert_name_error("db.sock", "must start with unix:");
    assert_name_error("udp:1.2.3.4:5", "unknown connection method \"udp\"");
    assert_name_error("ssl:1.2.3.4:6641", "SSL connections are not "
                                          "supported");
    assert_name_error("unix:", "missing socket file name");
    assert_name_error("tcp:1.2.3.4", "missing port");
    assert_name_error("tcp:1.2.3.4:", "missing port number");
    assert_name_error("tcp::6641", "missing IP address");
    assert_name_error("tcp:1.2.3.4:65536", "not a valid port number");
    assert_name_error("tcp:1.2.3.4:66a", "not a valid port number");
    assert_name_error("tcp:1.2.3.4:0", "port 0 is only valid for ptcp");
    assert_name_error("tcp:localhost:6641", "\"localhost\" is not a numeric");
    assert_name_error("tcp:::1:6641", "must be written in brackets");
    assert_name_error("tcp:[::1:6641", "missing \"]\"");
    assert_name_error("tcp:[::1]6641", "missing port");
    assert_name_error("ptcp:", "missing port number");
    assert_name_error("ptcp:abc", "not a valid port number");
    assert_name_error("ptcp:6641:", "empty IP address");
    assert_name_error("ptcp:6641:1.2.3", "not a numeric");
}

static void
test_verify(void **state OVS_UNUSED)
{
    char *error;

    assert_null(stream_verify_name("unix:/x"));
    assert_null(pstream_verify_name("ptcp:0"));

    error = stream_verify_name("punix:/x");
    assert_non_null(strstr(error, "expected an active connection name"));
    free(error);

    error = pstream_verify_name("tcp:1.2.3.4:5");
    assert_non_null(strstr(error, "expected a passive connection name"));
    free(error);

    error = stream_verify_name("bogus");
    assert_non_null(error);
    free(error);

    assert_true(stream_is_passive_name("ptcp:1"));
    assert_false(stream_is_passive_name("tcp:1.1.1.1:1"));

    int fd;
    assert_int_equal(stream_open("bogus", &fd), EINVAL);
    assert_int_equal(fd, -1);
    assert_int_equal(stream_open("punix:/x", &fd), EINVAL);
    assert_int_equal(pstream_open("unix:/x", &fd, NULL), EINVAL);
}

/* Real sockets. */

/* Checks that bytes flow both ways between 'a' and 'b'. */
static void
assert_connected(int a, int b)
{
    char buf[8];
    struct pollfd pfd = { .fd = b, .events = POLLIN };

    assert_int_equal(write(a, "ping", 4), 4);
    assert_int_equal(poll(&pfd, 1, 2000), 1);
    assert_int_equal(read(b, buf, sizeof buf), 4);
    assert_memory_equal(buf, "ping", 4);

    pfd.fd = a;
    assert_int_equal(write(b, "pong", 4), 4);
    assert_int_equal(poll(&pfd, 1, 2000), 1);
    assert_int_equal(read(a, buf, sizeof buf), 4);
    assert_memory_equal(buf, "pong", 4);
}

/* Accepts one connection on 'lfd', waiting for it. */
static int
accept_one(int lfd, char **peerp)
{
    struct pollfd pfd = { .fd = lfd, .events = POLLIN };
    int fd;

    assert_int_equal(poll(&pfd, 1, 2000), 1);
    assert_int_equal(pstream_accept(lfd, &fd, peerp), 0);
    return fd;
}

static void
unix_round_trip(const char *path)
{
    char *pname = xasprintf("punix:%s", path);
    char *name = xasprintf("unix:%s", path);
    char *bound;
    int lfd, cfd, sfd;

    assert_int_equal(pstream_open(pname, &lfd, &bound), 0);
    assert_string_equal(bound, pname);

    /* Nothing to accept yet. */
    assert_int_equal(pstream_accept(lfd, &sfd, NULL), EAGAIN);

    assert_int_equal(stream_open_block(name, 2000, &cfd), 0);
    char *peer;
    sfd = accept_one(lfd, &peer);
    assert_string_equal(peer, "unix");
    assert_connected(cfd, sfd);

    close(cfd);
    close(sfd);

    /* A second listener on a live socket is refused.  (Its liveness probe
     * leaves a connection in the backlog, so it comes last.) */
    int lfd2;
    assert_int_equal(pstream_open(pname, &lfd2, NULL), EADDRINUSE);

    pstream_close(lfd, bound);
    struct stat st;
    assert_int_equal(stat(path, &st), -1);
    assert_int_equal(errno, ENOENT);

    /* Connecting to a missing socket fails. */
    assert_int_equal(stream_open(name, &cfd), ENOENT);

    free(peer);
    free(bound);
    free(name);
    free(pname);
}

static void
test_punix(void **state OVS_UNUSED)
{
    char dir[] = "/tmp/test-stream-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = xasprintf("%s/test.sock", dir);

    unix_round_trip(path);

    free(path);
    rmdir(dir);
}

static void
test_punix_long_path(void **state OVS_UNUSED)
{
    char dir[] = "/tmp/test-stream-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *sub = xasprintf("%s/%s", dir,
                          "a-directory-name-long-enough-to-push-the-path-"
                          "past-the-108-bytes-of-sun_path-xxxxxxxxxxxxxxx");
    assert_int_equal(mkdir(sub, 0700), 0);
    char *path = xasprintf("%s/test.sock", sub);
    assert_true(strlen(path) > sizeof ((struct sockaddr_un *) 0)->sun_path);

    unix_round_trip(path);

    rmdir(sub);
    rmdir(dir);
    free(path);
    free(sub);
}

static void
test_punix_stale_socket(void **state OVS_UNUSED)
{
    char dir[] = "/tmp/test-stream-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = xasprintf("%s/stale.sock", dir);
    char *pname = xasprintf("punix:%s", path);
    int lfd;

    /* A listener that exits without unlinking leaves a stale file. */
    assert_int_equal(pstream_open(pname, &lfd, NULL), 0);
    close(lfd);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);

    assert_int_equal(pstream_open(pname, &lfd, NULL), 0);
    pstream_close(lfd, pname);

    /* A regular file in the way is not removed. */
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(pstream_open(pname, &lfd, NULL), EADDRINUSE);
    assert_int_equal(stat(path, &st), 0);
    unlink(path);

    rmdir(dir);
    free(pname);
    free(path);
}

static void
test_ptcp_ephemeral(void **state OVS_UNUSED)
{
    char *bound;
    int lfd, cfd, sfd;

    assert_int_equal(pstream_open("ptcp:0:127.0.0.1", &lfd, &bound), 0);
    unsigned int port;
    char tail[64];
    assert_int_equal(sscanf(bound, "ptcp:%u:%63s", &port, tail), 2);
    assert_true(port > 0 && port < 65536);
    assert_string_equal(tail, "127.0.0.1");

    char *name = xasprintf("tcp:127.0.0.1:%u", port);
    assert_int_equal(stream_open(name, &cfd), 0);

    /* The connection may still be in progress; wait for it. */
    struct pollfd pfd = { .fd = cfd, .events = POLLOUT };
    assert_int_equal(poll(&pfd, 1, 2000), 1);
    assert_int_equal(stream_connect_result(cfd), 0);

    char *peer;
    sfd = accept_one(lfd, &peer);
    assert_true(str_startswith(peer, "tcp:127.0.0.1:"));
    assert_connected(cfd, sfd);
    close(cfd);
    close(sfd);

    /* Nobody listens once the listener is closed. */
    pstream_close(lfd, bound);
    assert_int_equal(stream_open_block(name, 2000, &cfd), ECONNREFUSED);
    assert_int_equal(cfd, -1);

    free(peer);
    free(name);
    free(bound);
}

static void
test_ptcp_ipv6(void **state OVS_UNUSED)
{
    char *bound;
    int lfd, cfd, sfd;
    int error = pstream_open("ptcp:0:[::1]", &lfd, &bound);

    if (error == EAFNOSUPPORT || error == EADDRNOTAVAIL) {
        skip();
    }
    assert_int_equal(error, 0);

    unsigned int port;
    assert_int_equal(sscanf(bound, "ptcp:%u:", &port), 1);
    assert_non_null(strstr(bound, ":[::1]"));

    char *name = xasprintf("tcp:[::1]:%u", port);
    assert_int_equal(stream_open_block(name, 2000, &cfd), 0);
    char *peer;
    sfd = accept_one(lfd, &peer);
    assert_true(str_startswith(peer, "tcp:[::1]:"));
    assert_connected(cfd, sfd);

    close(cfd);
    close(sfd);
    pstream_close(lfd, bound);
    free(peer);
    free(name);
    free(bound);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_valid),
        cmocka_unit_test(test_parse_invalid),
        cmocka_unit_test(test_verify),
        cmocka_unit_test(test_punix),
        cmocka_unit_test(test_punix_long_path),
        cmocka_unit_test(test_punix_stale_socket),
        cmocka_unit_test(test_ptcp_ephemeral),
        cmocka_unit_test(test_ptcp_ipv6),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
