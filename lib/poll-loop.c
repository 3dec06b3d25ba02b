#include "poll-loop.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>
#include "hmap.h"
#include "list.h"
#include "util.h"

/* How the loop keeps its work:
 *
 *   - Watches sit on 'watches'.  Cancelling one removes it from epoll at
 *     once (so the caller may close the fd) but only moves the memory to
 *     'dead_watches'; it is freed at the end of the iteration, because the
 *     epoll_wait() result array of the current iteration may still point
 *     at it.  Dispatch skips watches whose 'cb' is NULL.
 *   - Timers and deferred callbacks are both 'struct poll_job's, kept in
 *     one hmap by id so that cancelling a stale id is safe.  Timers sit
 *     on a list sorted by (deadline, id); an insertion scans from the back,
 *     which is O(1) for the usual case of a delay no shorter than the
 *     pending ones.  Deferred callbacks sit on a FIFO list.
 *   - Hooks are a list; removal during the hook phase only clears 'cb' and
 *     the sweep after the phase frees them. */

struct poll_watch {
    struct list node;           /* In 'watches' or 'dead_watches'. */
    struct poll_loop *loop;
    int fd;
    unsigned int events;        /* POLL_READABLE | POLL_WRITABLE. */
    bool registered;            /* In the epoll set? */
    poll_fd_cb *cb;             /* NULL once cancelled. */
    void *aux;
};

/* A timer or a deferred callback. */
struct poll_job {
    struct list node;           /* In 'timers' or 'defers'. */
    struct hmap_node id_node;   /* In 'jobs_by_id'. */
    uint64_t id;
    long long deadline;         /* Timers: time_msec() at which to fire. */
    poll_cb *cb;
    void *aux;
};

struct poll_hook {
    struct list node;           /* In 'hooks'. */
    struct poll_loop *loop;
    poll_cb *cb;                /* NULL once removed. */
    void *aux;
};

struct poll_loop {
    int epfd;
    struct list watches;
    struct list dead_watches;
    struct hmap jobs_by_id;     /* All timers and deferred callbacks. */
    struct list timers;         /* Sorted by (deadline, id). */
    struct list defers;         /* FIFO. */
    struct list hooks;
    bool in_hooks;              /* Running hooks now? */
    bool hooks_removed;         /* A hook was removed during the phase. */
    uint64_t next_id;           /* Next timer or defer id. */
    bool stopped;
    bool wake;                  /* Don't block in the next wait. */
    int sigfd;                  /* signalfd, or -1. */
    struct poll_watch *sig_watch;
    poll_signal_cb *sig_cb;
    void *sig_aux;
};

static uint32_t
id_hash(uint64_t id)
{
    return (uint32_t) (id ^ (id >> 32)) * 2654435761u;
}

struct poll_loop *
poll_loop_create(void)
{
    struct poll_loop *loop = xzalloc(sizeof *loop);

    loop->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (loop->epfd < 0) {
        util_abort("epoll_create1 failed (%s)", strerror(errno));
    }
    list_init(&loop->watches);
    list_init(&loop->dead_watches);
    hmap_init(&loop->jobs_by_id);
    list_init(&loop->timers);
    list_init(&loop->defers);
    list_init(&loop->hooks);
    loop->next_id = 1;
    loop->sigfd = -1;
    return loop;
}

static void
free_dead_watches(struct poll_loop *loop)
{
    struct poll_watch *w;

    LIST_FOR_EACH_POP (w, node, &loop->dead_watches) {
        free(w);
    }
}

void
poll_loop_destroy(struct poll_loop *loop)
{
    if (!loop) {
        return;
    }

    struct poll_watch *w;
    LIST_FOR_EACH_POP (w, node, &loop->watches) {
        free(w);
    }
    free_dead_watches(loop);
    struct poll_job *job;
    LIST_FOR_EACH_POP (job, node, &loop->timers) {
        free(job);
    }
    LIST_FOR_EACH_POP (job, node, &loop->defers) {
        free(job);
    }
    hmap_destroy(&loop->jobs_by_id);

    struct poll_hook *h;
    LIST_FOR_EACH_POP (h, node, &loop->hooks) {
        free(h);
    }
    if (loop->sigfd >= 0) {
        close(loop->sigfd);
    }
    close(loop->epfd);
    free(loop);
}

/* File descriptors. */

static void
watch_update_epoll(struct poll_watch *w)
{
    struct epoll_event ev = { .events = 0, .data.ptr = w };
    int op;

    if (w->events & POLL_READABLE) {
        ev.events |= EPOLLIN;
    }
    if (w->events & POLL_WRITABLE) {
        ev.events |= EPOLLOUT;
    }
    if (!w->events) {
        if (!w->registered) {
            return;
        }
        op = EPOLL_CTL_DEL;
    } else {
        op = w->registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    }
    if (epoll_ctl(w->loop->epfd, op, w->fd, &ev) < 0
        && !(op == EPOLL_CTL_DEL && (errno == EBADF || errno == ENOENT))) {
        util_abort("epoll_ctl(fd %d) failed (%s)", w->fd, strerror(errno));
    }
    w->registered = op != EPOLL_CTL_DEL;
}

struct poll_watch *
poll_loop_watch_fd(struct poll_loop *loop, int fd, unsigned int events,
                   poll_fd_cb *cb, void *aux)
{
    struct poll_watch *w = xzalloc(sizeof *w);

    ASSERT(fd >= 0 && cb);
    w->loop = loop;
    w->fd = fd;
    w->cb = cb;
    w->aux = aux;
    list_push_back(&loop->watches, &w->node);
    poll_watch_set_events(w, events);
    return w;
}

void
poll_watch_set_events(struct poll_watch *w, unsigned int events)
{
    events &= POLL_READABLE | POLL_WRITABLE;
    if (w->cb && (events != w->events || (events && !w->registered))) {
        w->events = events;
        watch_update_epoll(w);
    }
}

unsigned int
poll_watch_get_events(const struct poll_watch *w)
{
    return w->events;
}

void
poll_watch_cancel(struct poll_watch *w)
{
    if (w && w->cb) {
        w->events = 0;
        watch_update_epoll(w);
        w->cb = NULL;
        list_remove(&w->node);
        list_push_back(&w->loop->dead_watches, &w->node);
    }
}

/* Timers and deferred callbacks. */

static struct poll_job *
job_create(struct poll_loop *loop, poll_cb *cb, void *aux)
{
    struct poll_job *job = xzalloc(sizeof *job);

    job->id = loop->next_id++;
    job->cb = cb;
    job->aux = aux;
    hmap_insert(&loop->jobs_by_id, &job->id_node, id_hash(job->id));
    return job;
}

static bool
job_cancel(struct poll_loop *loop, uint64_t id)
{
    struct poll_job *job;

    HMAP_FOR_EACH_WITH_HASH (job, id_node, id_hash(id), &loop->jobs_by_id) {
        if (job->id == id) {
            hmap_remove(&loop->jobs_by_id, &job->id_node);
            list_remove(&job->node);
            free(job);
            return true;
        }
    }
    return false;
}

/* Removes 'job' and runs it. */
static void
job_run(struct poll_loop *loop, struct poll_job *job)
{
    poll_cb *cb = job->cb;
    void *aux = job->aux;

    hmap_remove(&loop->jobs_by_id, &job->id_node);
    list_remove(&job->node);
    free(job);
    cb(aux);
}

uint64_t
poll_loop_timer_add(struct poll_loop *loop, long long msec, poll_cb *cb,
                    void *aux)
{
    struct poll_job *job = job_create(loop, cb, aux);
    struct list *pos;

    job->deadline = time_msec() + MAX(msec, 0);
    for (pos = loop->timers.prev; pos != &loop->timers; pos = pos->prev) {
        if (CONTAINER_OF(pos, struct poll_job, node)->deadline
            <= job->deadline) {
            break;
        }
    }
    list_insert(pos->next, &job->node);
    return job->id;
}

bool
poll_loop_timer_cancel(struct poll_loop *loop, uint64_t id)
{
    return job_cancel(loop, id);
}

/* Runs the timers that are due.  Timers added while running (even with a
 * zero delay) wait for the next iteration, so a timer that re-arms itself
 * cannot starve the loop. */
static void
run_timers(struct poll_loop *loop)
{
    uint64_t limit = loop->next_id;
    long long now = time_msec();

    while (!list_is_empty(&loop->timers)) {
        struct poll_job *job = CONTAINER_OF(loop->timers.next,
                                            struct poll_job, node);
        if (job->deadline > now || job->id >= limit) {
            break;
        }
        job_run(loop, job);
    }
}

uint64_t
poll_loop_defer(struct poll_loop *loop, poll_cb *cb, void *aux)
{
    struct poll_job *job = job_create(loop, cb, aux);

    list_push_back(&loop->defers, &job->node);
    return job->id;
}

bool
poll_loop_defer_cancel(struct poll_loop *loop, uint64_t id)
{
    return job_cancel(loop, id);
}

static void
run_defers(struct poll_loop *loop)
{
    while (!list_is_empty(&loop->defers)) {
        job_run(loop, CONTAINER_OF(loop->defers.next, struct poll_job,
                                   node));
    }
}

struct poll_hook *
poll_loop_add_hook(struct poll_loop *loop, poll_cb *cb, void *aux)
{
    struct poll_hook *h = xzalloc(sizeof *h);

    h->loop = loop;
    h->cb = cb;
    h->aux = aux;
    list_push_back(&loop->hooks, &h->node);
    return h;
}

void
poll_hook_remove(struct poll_hook *h)
{
    if (!h) {
        return;
    }
    if (h->loop->in_hooks) {
        h->cb = NULL;
        h->loop->hooks_removed = true;
    } else {
        list_remove(&h->node);
        free(h);
    }
}

/* Runs the hooks registered when the phase starts; hooks added during the
 * phase run from the next iteration on. */
static void
run_hooks(struct poll_loop *loop)
{
    struct list *end = loop->hooks.prev;
    struct poll_hook *h;

    loop->in_hooks = true;
    if (end != &loop->hooks) {
        for (struct list *n = loop->hooks.next;; n = n->next) {
            h = CONTAINER_OF(n, struct poll_hook, node);
            if (h->cb) {
                h->cb(h->aux);
            }
            if (n == end) {
                break;
            }
        }
    }
    loop->in_hooks = false;

    if (loop->hooks_removed) {
        loop->hooks_removed = false;
        LIST_FOR_EACH_SAFE (h, node, &loop->hooks) {
            if (!h->cb) {
                list_remove(&h->node);
                free(h);
            }
        }
    }
}

/* The iteration. */

void
poll_loop_wake(struct poll_loop *loop)
{
    loop->wake = true;
}

static int
compute_timeout(struct poll_loop *loop, int max_wait_ms)
{
    if (loop->wake || !list_is_empty(&loop->defers)) {
        return 0;
    }
    if (list_is_empty(&loop->timers)) {
        return max_wait_ms < 0 ? -1 : max_wait_ms;
    }

    const struct poll_job *first = CONTAINER_OF(loop->timers.next,
                                                struct poll_job, node);
    long long delay = first->deadline - time_msec();
    delay = MAX(delay, 0);
    if (max_wait_ms >= 0) {
        delay = MIN(delay, max_wait_ms);
    }
    return MIN(delay, INT_MAX);
}

static unsigned int
epoll_to_poll_events(uint32_t ev, unsigned int wanted)
{
    unsigned int events = 0;

    if (ev & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP)) {
        events |= POLL_READABLE;
    }
    if (ev & (EPOLLOUT | EPOLLHUP | EPOLLERR)) {
        events |= POLL_WRITABLE;
    }
    return events & wanted;
}

int
poll_loop_run_once(struct poll_loop *loop, int max_wait_ms)
{
    struct epoll_event evs[64];
    int timeout = compute_timeout(loop, max_wait_ms);
    int n, error = 0;

    loop->wake = false;
    n = epoll_wait(loop->epfd, evs, ARRAY_SIZE(evs), timeout);
    if (n < 0) {
        error = errno == EINTR ? 0 : errno;
        n = 0;
    }
    for (int i = 0; i < n; i++) {
        struct poll_watch *w = evs[i].data.ptr;
        unsigned int events = w->cb ? epoll_to_poll_events(evs[i].events,
                                                           w->events)
                                    : 0;
        if (events) {
            w->cb(w->fd, events, w->aux);
        }
    }
    run_timers(loop);
    run_hooks(loop);
    run_defers(loop);
    free_dead_watches(loop);
    return error;
}

int
poll_loop_run(struct poll_loop *loop)
{
    loop->stopped = false;
    while (!loop->stopped) {
        int error = poll_loop_run_once(loop, -1);
        if (error) {
            return error;
        }
    }
    return 0;
}

void
poll_loop_stop(struct poll_loop *loop)
{
    loop->stopped = true;
}

bool
poll_loop_is_stopped(const struct poll_loop *loop)
{
    return loop->stopped;
}

/* Signals. */

static void
signal_readable(int fd, unsigned int events OVS_UNUSED, void *loop_)
{
    struct poll_loop *loop = loop_;
    struct signalfd_siginfo si;

    while (read(fd, &si, sizeof si) == sizeof si) {
        if (loop->sig_cb) {
            loop->sig_cb((int) si.ssi_signo, loop->sig_aux);
        }
    }
}

int
poll_loop_watch_signals(struct poll_loop *loop, poll_signal_cb *cb,
                        void *aux)
{
    sigset_t mask;

    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGHUP);
    if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0) {
        return errno;
    }
    if (loop->sigfd < 0) {
        loop->sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
        if (loop->sigfd < 0) {
            return errno;
        }
        loop->sig_watch = poll_loop_watch_fd(loop, loop->sigfd,
                                             POLL_READABLE, signal_readable,
                                             loop);
    }
    loop->sig_cb = cb;
    loop->sig_aux = aux;
    return 0;
}
