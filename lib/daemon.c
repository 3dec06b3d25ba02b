#include "daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "poll-loop.h"
#include "util.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(daemon);

void
daemon_options_init(struct daemon_options *opts, const char *program_name)
{
    memset(opts, 0, sizeof *opts);
    opts->program_name = xstrdup(program_name);
    opts->pidfile_fd = -1;
    opts->ready_fd = -1;
}

void
daemon_options_destroy(struct daemon_options *opts)
{
    if (!opts) {
        return;
    }
    daemon_remove_pidfile(opts);
    if (opts->ready_fd >= 0) {
        close(opts->ready_fd);
        opts->ready_fd = -1;
    }
    free(opts->program_name);
    free(opts->pidfile);
    free(opts->log_file);
    free(opts->unixctl_path);
    opts->program_name = opts->pidfile = opts->log_file = NULL;
    opts->unixctl_path = NULL;
}

/* Directories. */

static char *
dir_from_env(const char *var, const char *dflt)
{
    const char *value = getenv(var);
    return xstrdup(value && value[0] ? value : dflt);
}

char *
daemon_rundir(void)
{
    return dir_from_env("WEFT_RUNDIR", DAEMON_DEFAULT_RUNDIR);
}

char *
daemon_logdir(void)
{
    return dir_from_env("WEFT_LOGDIR", DAEMON_DEFAULT_LOGDIR);
}

static char *
default_file(const char *dir, const char *program, const char *suffix)
{
    return xasprintf("%s/%s.%s", dir, program, suffix);
}

char *
daemon_unixctl_path(const struct daemon_options *opts)
{
    if (opts->unixctl_path) {
        return xstrdup(opts->unixctl_path);
    }

    char *rundir = daemon_rundir();
    char *path = default_file(rundir, opts->program_name, "ctl");
    free(rundir);
    return path;
}

/* Options. */

static void
replace(char **field, char *value)
{
    free(*field);
    *field = value;
}

bool
daemon_parse_option(struct daemon_options *opts, int option,
                    const char *arg, char **errorp)
{
    char *dir;

    *errorp = NULL;
    switch (option) {
    case DAEMON_OPT_PIDFILE:
        dir = daemon_rundir();
        replace(&opts->pidfile, (arg ? xstrdup(arg)
                                 : default_file(dir, opts->program_name,
                                                "pid")));
        free(dir);
        return true;
    case DAEMON_OPT_DETACH:
        opts->detach = true;
        return true;
    case DAEMON_OPT_NO_CHDIR:
        opts->no_chdir = true;
        return true;
    case DAEMON_OPT_LOG_FILE:
        dir = daemon_logdir();
        replace(&opts->log_file, (arg ? xstrdup(arg)
                                  : default_file(dir, opts->program_name,
                                                 "log")));
        free(dir);
        return true;
    case DAEMON_OPT_UNIXCTL:
        replace(&opts->unixctl_path, xstrdup(arg));
        return true;
    case 'v':
        *errorp = vlog_set_levels_from_string(arg && arg[0] ? arg : "dbg");
        return true;
    case 'h':
        opts->help = true;
        return true;
    case 'V':
        opts->version = true;
        return true;
    default:
        return false;
    }
}

void
daemon_usage(FILE *stream)
{
    fprintf(stream,
            "\nDaemon options:\n"
            "  --detach                run in background as daemon\n"
            "  --no-chdir              do not chdir to '/' when detached\n"
            "  --pidfile[=FILE]        create pidfile (default: "
            "$WEFT_RUNDIR/PROGRAM.pid)\n"
            "  --unixctl=SOCKET        control socket (default: "
            "$WEFT_RUNDIR/PROGRAM.ctl)\n"
            "\nLogging options:\n"
            "  -vSPEC, --verbose=SPEC  set logging levels, e.g. "
            "\"dbg\", \"console:off\",\n"
            "                          \"jsonrpc_stream:file:dbg\"\n"
            "  -v, --verbose           set maximum verbosity level\n"
            "  --log-file[=FILE]       enable logging to FILE (default: "
            "$WEFT_LOGDIR/PROGRAM.log)\n"
            "\nOther options:\n"
            "  -h, --help              display this help message\n"
            "  -V, --version           display version information\n"
            "\n$WEFT_RUNDIR defaults to " DAEMON_DEFAULT_RUNDIR
            ", $WEFT_LOGDIR to " DAEMON_DEFAULT_LOGDIR ".\n");
}

void
daemon_print_version(const struct daemon_options *opts)
{
    printf("%s (weft) %s\n", opts->program_name, WEFT_VERSION);
}

/* Start-up. */

/* Makes '*path' absolute, so that it survives chdir("/"). */
static void
make_absolute(char **path)
{
    if (*path && (*path)[0] != '/') {
        char *cwd = getcwd(NULL, 0);
        if (cwd) {
            replace(path, xasprintf("%s/%s", cwd, *path));
            free(cwd);
        }
    }
}

/* Creates the directory that contains 'file', one level only, so that a
 * fresh $WEFT_RUNDIR works.  Errors surface when the file is opened. */
static void
make_parent_dir(const char *file)
{
    const char *slash = strrchr(file, '/');

    if (slash && slash != file) {
        char *dir = xmemdup0(file, slash - file);
        mkdir(dir, 0755);
        free(dir);
    }
}

/* Reads the pid recorded in open pidfile 'fd', or returns 0. */
static long
read_pid(int fd)
{
    char buf[32];
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    long long pid;

    if (n <= 0) {
        return 0;
    }
    buf[n] = '\0';
    buf[strcspn(buf, "\n")] = '\0';
    return str_to_llong(buf, 10, &pid) && pid > 0 ? pid : 0;
}

/* Creates and locks the pidfile.  The lock is an open file description
 * lock (F_OFD_SETLK): unlike a classic fcntl() lock it is not dropped when
 * the process happens to close another descriptor for the same file, for
 * example while reading its own pidfile. */
static int
create_pidfile(struct daemon_options *opts, char **errorp)
{
    struct flock lck = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    int fd;

    make_parent_dir(opts->pidfile);
    fd = open(opts->pidfile, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        int error = errno;
        *errorp = xasprintf("%s: create failed (%s)", opts->pidfile,
                            strerror(error));
        return error;
    }
    if (fcntl(fd, F_OFD_SETLK, &lck) < 0) {
        int error = errno == EACCES ? EAGAIN : errno;
        long pid = read_pid(fd);
        if (error == EAGAIN && pid) {
            *errorp = xasprintf("%s: already running as pid %ld, aborting",
                                opts->pidfile, pid);
        } else if (error == EAGAIN) {
            *errorp = xasprintf("%s: already running, aborting",
                                opts->pidfile);
        } else {
            *errorp = xasprintf("%s: lock failed (%s)", opts->pidfile,
                                strerror(error));
        }
        close(fd);
        return error;
    }

    char buf[32];
    int len = snprintf(buf, sizeof buf, "%ld\n", (long) getpid());
    if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, len, 0) != len) {
        int error = errno ? errno : EIO;
        *errorp = xasprintf("%s: write failed (%s)", opts->pidfile,
                            strerror(error));
        close(fd);
        unlink(opts->pidfile);
        return error;
    }
    opts->pidfile_fd = fd;
    return 0;
}

/* In the parent after fork(): waits for the child's readiness byte and
 * exits with the outcome.  Never returns. */
static void NO_RETURN
wait_for_child(pid_t child, int ready_fd)
{
    char byte;
    ssize_t n;

    do {
        n = read(ready_fd, &byte, 1);
    } while (n < 0 && errno == EINTR);
    if (n == 1) {
        _exit(0);
    }

    int status;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
        continue;
    }
    if (WIFEXITED(status)) {
        _exit(WEXITSTATUS(status) ? WEXITSTATUS(status) : 1);
    }
    if (WIFSIGNALED(status)) {
        fprintf(stderr, "daemon child died (%s)\n",
                strsignal(WTERMSIG(status)));
    }
    _exit(1);
}

static int
detach(struct daemon_options *opts, char **errorp)
{
    int fds[2];

    if (pipe2(fds, O_CLOEXEC) < 0) {
        int error = errno;
        *errorp = xasprintf("pipe failed (%s)", strerror(error));
        return error;
    }
    fflush(NULL);

    pid_t pid = fork();
    if (pid < 0) {
        int error = errno;
        *errorp = xasprintf("fork failed (%s)", strerror(error));
        close(fds[0]);
        close(fds[1]);
        return error;
    } else if (pid > 0) {
        close(fds[1]);
        wait_for_child(pid, fds[0]);
    }

    close(fds[0]);
    opts->ready_fd = fds[1];
    setsid();
    return 0;
}

int
daemon_start(struct daemon_options *opts, char **errorp)
{
    int error;

    *errorp = NULL;
    make_absolute(&opts->pidfile);
    make_absolute(&opts->log_file);
    make_absolute(&opts->unixctl_path);

    if (opts->log_file) {
        make_parent_dir(opts->log_file);
        error = vlog_set_file(opts->log_file);
        if (error) {
            *errorp = xasprintf("%s: could not open log file (%s)",
                                opts->log_file, strerror(error));
            return error;
        }
    }
    if (opts->detach) {
        error = detach(opts, errorp);
        if (error) {
            return error;
        }
    }
    if (opts->pidfile) {
        error = create_pidfile(opts, errorp);
        if (error) {
            return error;
        }
    }
    if (opts->detach && !opts->no_chdir && chdir("/") < 0) {
        VLOG_WARN("chdir(\"/\") failed (%s)", strerror(errno));
    }
    return 0;
}

static void
redirect_stdio_to_null(void)
{
    int fd = open("/dev/null", O_RDWR);

    if (fd >= 0) {
        dup2(fd, STDIN_FILENO);
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        if (fd > STDERR_FILENO) {
            close(fd);
        }
    }
}

void
daemon_notify_ready(struct daemon_options *opts)
{
    if (opts->ready_fd < 0) {
        return;
    }

    ssize_t n;
    do {
        n = write(opts->ready_fd, "", 1);
    } while (n < 0 && errno == EINTR);
    close(opts->ready_fd);
    opts->ready_fd = -1;
    fflush(NULL);
    redirect_stdio_to_null();
}

void
daemon_remove_pidfile(struct daemon_options *opts)
{
    if (opts->pidfile_fd >= 0) {
        unlink(opts->pidfile);
        close(opts->pidfile_fd);
        opts->pidfile_fd = -1;
    }
}

void
daemon_on_signal(int signo, void *loop)
{
    if (signo == SIGHUP) {
        vlog_reopen_file();
        return;
    }
    VLOG_INFO("%s received, exiting", strsignal(signo));
    poll_loop_stop(loop);
}
