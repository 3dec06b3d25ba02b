/* poll-loop: a small single-threaded event loop on epoll.
 *
 * A loop dispatches four kinds of work, in this order, on each iteration of
 * poll_loop_run_once():
 *
 *   1. File descriptor watchers whose fd became readable or writable.
 *   2. One-shot timers whose deadline has passed (earliest first).
 *   3. Hooks: persistent callbacks that run at the end of every iteration,
 *      in registration order.
 *   4. Deferred callbacks: one-shot callbacks queued with poll_loop_defer(),
 *      run in FIFO order until none remain (a deferred callback may queue
 *      another, which runs in the same phase).
 *
 * Phases 3 and 4 let a server batch work: read every request that arrived
 * in one iteration, then flush the durable log once (hook), then send the
 * replies (each connection defers its socket write, so each one issues one
 * write per iteration however many messages it queued).
 *
 * Lifetimes:
 *   - A 'struct poll_watch' belongs to the caller from poll_loop_watch_fd()
 *     until poll_watch_cancel(); it is safe to cancel any watch (including
 *     the one being dispatched) from inside any callback.  Cancel a watch
 *     before closing its fd.
 *   - Timers and deferred callbacks are named by a nonzero 64-bit id.  The
 *     id stays harmless after the callback ran: cancelling it is a no-op,
 *     so a caller may keep stale ids around.
 *   - A 'struct poll_hook' lives until poll_hook_remove().
 *
 * Readable/writable are level-triggered.  An error or hang-up on an fd is
 * reported as whichever of the requested events are set, so the callback
 * discovers it from read() or write().  A watch with no requested events is
 * removed from epoll until events are requested again.
 *
 * poll_loop_watch_signals() turns SIGTERM, SIGINT and SIGHUP into ordinary
 * callbacks through a signalfd; it blocks those signals for the whole
 * process, so call it before creating threads.
 *
 * Not thread-safe: a loop and everything registered on it belong to one
 * thread. */
#ifndef WEFT_POLL_LOOP_H
#define WEFT_POLL_LOOP_H 1

#include <stdbool.h>
#include <stdint.h>

struct poll_loop;
struct poll_watch;
struct poll_hook;

/* Events a watch asks for and a callback receives. */
enum {
    POLL_READABLE = 1 << 0,
    POLL_WRITABLE = 1 << 1,
};

typedef void poll_fd_cb(int fd, unsigned int events, void *aux);
typedef void poll_cb(void *aux);
typedef void poll_signal_cb(int signo, void *aux);

struct poll_loop *poll_loop_create(void);
void poll_loop_destroy(struct poll_loop *);

/* File descriptors.  'events' is a mask of POLL_READABLE|POLL_WRITABLE. */
struct poll_watch *poll_loop_watch_fd(struct poll_loop *, int fd,
                                      unsigned int events, poll_fd_cb *,
                                      void *aux);
void poll_watch_set_events(struct poll_watch *, unsigned int events);
unsigned int poll_watch_get_events(const struct poll_watch *);
void poll_watch_cancel(struct poll_watch *);

/* One-shot timers: 'cb' runs once, 'msec' milliseconds from now (0 means
 * on the next iteration).  Returns a nonzero id. */
uint64_t poll_loop_timer_add(struct poll_loop *, long long msec,
                             poll_cb *cb, void *aux);
/* Returns true if the timer was pending and is now cancelled. */
bool poll_loop_timer_cancel(struct poll_loop *, uint64_t id);

/* Deferred one-shot callbacks, run at the end of the current iteration
 * (or the next one, if called outside run_once).  Returns a nonzero id. */
uint64_t poll_loop_defer(struct poll_loop *, poll_cb *cb, void *aux);
bool poll_loop_defer_cancel(struct poll_loop *, uint64_t id);

/* Persistent end-of-iteration hooks. */
struct poll_hook *poll_loop_add_hook(struct poll_loop *, poll_cb *cb,
                                     void *aux);
void poll_hook_remove(struct poll_hook *);

/* Makes the next wait return immediately, e.g. when a callback left work
 * unfinished to stay fair to other connections. */
void poll_loop_wake(struct poll_loop *);

/* Runs one iteration, waiting at most 'max_wait_ms' for events (negative
 * means until an event or timer).  Returns 0 or a positive errno from
 * epoll_wait() (EINTR is not an error). */
int poll_loop_run_once(struct poll_loop *, int max_wait_ms);
/* Runs iterations until poll_loop_stop().  Returns 0 or a positive errno
 * if waiting failed. */
int poll_loop_run(struct poll_loop *);
void poll_loop_stop(struct poll_loop *);
bool poll_loop_is_stopped(const struct poll_loop *);

/* Blocks SIGTERM, SIGINT and SIGHUP and delivers them to 'cb' through a
 * signalfd watched by 'loop'.  Returns 0 or a positive errno. */
int poll_loop_watch_signals(struct poll_loop *, poll_signal_cb *cb,
                            void *aux);

#endif
