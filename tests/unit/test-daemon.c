/* Unit tests for lib/daemon: options, pidfile locking, and --detach
 * readiness. */

#include <errno.h>
#include <getopt.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "daemon.h"
#include "util.h"

static void
parse_args(struct daemon_options *opts, int argc, char *argv[])
{
    static const struct option long_options[] = {
        DAEMON_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, DAEMON_SHORT_OPTIONS, long_options,
                            NULL)) != -1) {
        char *error;
        assert_true(daemon_parse_option(opts, c, optarg, &error));
        assert_null(error);
    }
}

static void
test_options(void **state OVS_UNUSED)
{
    struct daemon_options opts;
    char *argv[] = {
        "prog", "--pidfile", "--detach", "--no-chdir",
        "--log-file=/tmp/x.log", "--unixctl=/tmp/x.ctl", "-vconsole:off",
        "--help", NULL,
    };

    setenv("WEFT_RUNDIR", "/run/test-weft", 1);
    daemon_options_init(&opts, "weft-test");
    parse_args(&opts, ARRAY_SIZE(argv) - 1, argv);
    assert_string_equal(opts.pidfile, "/run/test-weft/weft-test.pid");
    assert_true(opts.detach);
    assert_true(opts.no_chdir);
    assert_string_equal(opts.log_file, "/tmp/x.log");
    assert_string_equal(opts.unixctl_path, "/tmp/x.ctl");
    assert_true(opts.help);
    assert_false(opts.version);

    char *ctl = daemon_unixctl_path(&opts);
    assert_string_equal(ctl, "/tmp/x.ctl");
    free(ctl);
    daemon_options_destroy(&opts);

    daemon_options_init(&opts, "weft-test");
    ctl = daemon_unixctl_path(&opts);
    assert_string_equal(ctl, "/run/test-weft/weft-test.ctl");
    free(ctl);

    char *error;
    assert_false(daemon_parse_option(&opts, 'x', NULL, &error));
    assert_true(daemon_parse_option(&opts, 'v', "nonsense:words:here",
                                    &error));
    assert_non_null(error);
    free(error);
    daemon_options_destroy(&opts);
    unsetenv("WEFT_RUNDIR");

    unsetenv("WEFT_LOGDIR");
    char *logdir = daemon_logdir();
    assert_string_equal(logdir, DAEMON_DEFAULT_LOGDIR);
    free(logdir);
}

static char *
read_file(const char *name)
{
    char buf[256];
    FILE *f = fopen(name, "r");

    if (!f) {
        return NULL;
    }
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return xstrdup(buf);
}

static void
test_pidfile_lock(void **state OVS_UNUSED)
{
    char dir[] = "/tmp/test-daemon-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *pidfile = xasprintf("%s/d.pid", dir);
    struct daemon_options opts;
    char *error;

    daemon_options_init(&opts, "weft-test");
    opts.pidfile = xstrdup(pidfile);
    assert_int_equal(daemon_start(&opts, &error), 0);
    char *content = read_file(pidfile);
    char *expected = xasprintf("%ld\n", (long) getpid());
    assert_string_equal(content, expected);

    /* A second process cannot take the lock. */
    pid_t pid = fork();
    if (!pid) {
        struct daemon_options other;
        daemon_options_init(&other, "weft-test");
        other.pidfile = xstrdup(pidfile);
        int err = daemon_start(&other, &error);
        _exit(err == EAGAIN && strstr(error, "already running") ? 0 : 1);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);

    daemon_options_destroy(&opts);
    assert_int_equal(access(pidfile, F_OK), -1);
    rmdir(dir);
    free(content);
    free(expected);
    free(pidfile);
}

/* The detaching process: its parent role exits only after the daemon
 * child calls daemon_notify_ready(), and the child writes 'marker' just
 * before that, after a delay. */
static void NO_RETURN
detaching_process(const char *pidfile, const char *marker, bool fail)
{
    struct daemon_options opts;
    char *error;

    daemon_options_init(&opts, "weft-test");
    opts.detach = true;
    opts.pidfile = xstrdup(pidfile);
    if (daemon_start(&opts, &error)) {
        _exit(3);
    }
    usleep(100 * 1000);
    if (fail) {
        _exit(7);
    }
    FILE *f = fopen(marker, "w");
    fclose(f);
    daemon_notify_ready(&opts);
    pause();
    _exit(0);
}

static void
test_detach(void **state OVS_UNUSED)
{
    char dir[] = "/tmp/test-daemon-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *pidfile = xasprintf("%s/d.pid", dir);
    char *marker = xasprintf("%s/ready", dir);
    int status;

    pid_t pid = fork();
    if (!pid) {
        detaching_process(pidfile, marker, false);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(access(marker, F_OK), 0);

    /* The pidfile names the daemon, which is a different process. */
    char *content = read_file(pidfile);
    long daemon_pid = atol(content);
    assert_true(daemon_pid > 0 && daemon_pid != pid);
    assert_int_equal(kill(daemon_pid, SIGTERM), 0);
    free(content);
    unlink(marker);
    unlink(pidfile);

    /* A daemon that dies before it is ready fails the start. */
    pid = fork();
    if (!pid) {
        detaching_process(pidfile, marker, true);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 7);
    assert_int_equal(access(marker, F_OK), -1);

    unlink(pidfile);
    rmdir(dir);
    free(pidfile);
    free(marker);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_pidfile_lock),
        cmocka_unit_test(test_detach),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
