/* Unit tests for lib/poll-loop. */

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "ds.h"
#include "poll-loop.h"
#include "util.h"

/* Records the order in which callbacks run, one letter each. */
struct trace {
    struct ds log;
    struct poll_loop *loop;
};

struct step {
    struct trace *trace;
    char letter;
};

static void
step_cb(void *step_)
{
    struct step *step = step_;
    ds_put_char(&step->trace->log, step->letter);
}

static void
test_timers_in_order(void **state OVS_UNUSED)
{
    struct trace t = { DS_EMPTY_INITIALIZER, poll_loop_create() };
    struct step a = { &t, 'a' }, b = { &t, 'b' }, c = { &t, 'c' };
    struct step d = { &t, 'd' };

    poll_loop_timer_add(t.loop, 30, step_cb, &c);
    poll_loop_timer_add(t.loop, 0, step_cb, &a);
    poll_loop_timer_add(t.loop, 0, step_cb, &b);
    uint64_t id = poll_loop_timer_add(t.loop, 10, step_cb, &d);
    assert_true(poll_loop_timer_cancel(t.loop, id));
    assert_false(poll_loop_timer_cancel(t.loop, id));

    long long start = time_msec();
    while (t.log.length < 3 && time_msec() - start < 2000) {
        poll_loop_run_once(t.loop, -1);
    }
    assert_string_equal(ds_cstr(&t.log), "abc");
    assert_true(time_msec() - start >= 29);

    ds_destroy(&t.log);
    poll_loop_destroy(t.loop);
}

static void
test_max_wait(void **state OVS_UNUSED)
{
    struct poll_loop *loop = poll_loop_create();
    long long start = time_msec();

    assert_int_equal(poll_loop_run_once(loop, 20), 0);
    assert_true(time_msec() - start >= 19);
    poll_loop_destroy(loop);
}

/* A hook that defers a callback, which defers another: all run in the
 * same iteration, after the hook. */
static void
defer_twice_cb(void *step_)
{
    struct step *step = step_;
    static struct step second;

    ds_put_char(&step->trace->log, step->letter);
    if (step->letter == 'x') {
        second = (struct step) { step->trace, 'y' };
        poll_loop_defer(step->trace->loop, defer_twice_cb, &second);
    }
}

static void
hook_cb(void *step_)
{
    struct step *step = step_;

    ds_put_char(&step->trace->log, step->letter);
}

static void
test_hooks_and_defers(void **state OVS_UNUSED)
{
    struct trace t = { DS_EMPTY_INITIALIZER, poll_loop_create() };
    struct step h = { &t, 'h' }, x = { &t, 'x' }, z = { &t, 'z' };

    struct poll_hook *hook = poll_loop_add_hook(t.loop, hook_cb, &h);
    poll_loop_defer(t.loop, defer_twice_cb, &x);
    uint64_t id = poll_loop_defer(t.loop, step_cb, &z);
    assert_true(poll_loop_defer_cancel(t.loop, id));

    /* Deferred work makes the wait non-blocking. */
    long long start = time_msec();
    poll_loop_run_once(t.loop, 5000);
    assert_true(time_msec() - start < 1000);
    assert_string_equal(ds_cstr(&t.log), "hxy");

    poll_loop_run_once(t.loop, 0);
    assert_string_equal(ds_cstr(&t.log), "hxyh");
    poll_hook_remove(hook);
    poll_loop_run_once(t.loop, 0);
    assert_string_equal(ds_cstr(&t.log), "hxyh");

    ds_destroy(&t.log);
    poll_loop_destroy(t.loop);
}

/* File descriptors. */

struct pipe_ctx {
    int fds[2];
    int n_readable;
    struct poll_watch *watch;
    struct poll_watch *other;   /* Cancelled from the callback. */
};

static void
pipe_readable(int fd, unsigned int events, void *ctx_)
{
    struct pipe_ctx *ctx = ctx_;
    char buf[16];

    assert_true(events & POLL_READABLE);
    assert_true(read(fd, buf, sizeof buf) > 0);
    ctx->n_readable++;
    if (ctx->other) {
        poll_watch_cancel(ctx->other);
        ctx->other = NULL;
    }
}

static void
never_cb(int fd OVS_UNUSED, unsigned int events OVS_UNUSED,
         void *aux OVS_UNUSED)
{
    fail_msg("cancelled watch was dispatched");
}

static void
test_fd_watch(void **state OVS_UNUSED)
{
    struct poll_loop *loop = poll_loop_create();
    struct pipe_ctx ctx = { .n_readable = 0 };
    int fds2[2];

    assert_int_equal(pipe(ctx.fds), 0);
    assert_int_equal(pipe(fds2), 0);
    ctx.watch = poll_loop_watch_fd(loop, ctx.fds[0], POLL_READABLE,
                                   pipe_readable, &ctx);
    ctx.other = poll_loop_watch_fd(loop, fds2[0], POLL_READABLE, never_cb,
                                   NULL);

    /* Nothing to read: the loop times out. */
    poll_loop_run_once(loop, 10);
    assert_int_equal(ctx.n_readable, 0);

    /* Both become readable before the same iteration; the first callback
     * cancels the second watch, which must then not run.  epoll reports
     * ready fds in the order they became ready. */
    assert_int_equal(write(ctx.fds[1], "x", 1), 1);
    assert_int_equal(write(fds2[1], "y", 1), 1);
    poll_loop_run_once(loop, 1000);
    assert_int_equal(ctx.n_readable, 1);
    assert_null(ctx.other);
    poll_loop_run_once(loop, 10);

    /* No events requested: not dispatched even though readable. */
    poll_watch_set_events(ctx.watch, 0);
    assert_int_equal(write(ctx.fds[1], "x", 1), 1);
    poll_loop_run_once(loop, 10);
    assert_int_equal(ctx.n_readable, 1);
    poll_watch_set_events(ctx.watch, POLL_READABLE);
    assert_int_equal(poll_watch_get_events(ctx.watch), POLL_READABLE);
    poll_loop_run_once(loop, 1000);
    assert_int_equal(ctx.n_readable, 2);

    poll_watch_cancel(ctx.watch);
    for (int i = 0; i < 2; i++) {
        close(ctx.fds[i]);
        close(fds2[i]);
    }
    poll_loop_destroy(loop);
}

static void
writable_cb(int fd OVS_UNUSED, unsigned int events, void *n_)
{
    int *n = n_;

    assert_int_equal(events, POLL_WRITABLE);
    (*n)++;
}

static void
test_writable(void **state OVS_UNUSED)
{
    struct poll_loop *loop = poll_loop_create();
    int fds[2], n = 0;

    assert_int_equal(pipe(fds), 0);
    struct poll_watch *w = poll_loop_watch_fd(loop, fds[1], POLL_WRITABLE,
                                              writable_cb, &n);
    poll_loop_run_once(loop, 1000);
    assert_int_equal(n, 1);
    poll_watch_cancel(w);
    poll_loop_run_once(loop, 0);
    assert_int_equal(n, 1);
    close(fds[0]);
    close(fds[1]);
    poll_loop_destroy(loop);
}

/* run() and stop(). */

static void
stop_cb(void *loop)
{
    poll_loop_stop(loop);
}

static void
test_run_stop(void **state OVS_UNUSED)
{
    struct poll_loop *loop = poll_loop_create();

    poll_loop_timer_add(loop, 5, stop_cb, loop);
    assert_int_equal(poll_loop_run(loop), 0);
    assert_true(poll_loop_is_stopped(loop));
    poll_loop_destroy(loop);
}

static void
signal_cb(int signo, void *got_)
{
    int *got = got_;
    *got = signo;
}

static void
test_signals(void **state OVS_UNUSED)
{
    struct poll_loop *loop = poll_loop_create();
    int got = 0;

    assert_int_equal(poll_loop_watch_signals(loop, signal_cb, &got), 0);
    raise(SIGHUP);
    for (int i = 0; i < 10 && !got; i++) {
        poll_loop_run_once(loop, 100);
    }
    assert_int_equal(got, SIGHUP);
    poll_loop_destroy(loop);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timers_in_order),
        cmocka_unit_test(test_max_wait),
        cmocka_unit_test(test_hooks_and_defers),
        cmocka_unit_test(test_fd_watch),
        cmocka_unit_test(test_writable),
        cmocka_unit_test(test_run_stop),
        cmocka_unit_test(test_signals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
