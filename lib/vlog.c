#include "vlog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "ds.h"

static const char *const level_names[VLL_N_LEVELS] = {
    "OFF", "EMER", "ERR", "WARN", "INFO", "DBG",
};
static const char *const dest_names[VLF_N_DESTINATIONS] = {
    "console", "file",
};

/* Process-wide logging state. */
static struct {
    struct vlog_module *modules;        /* Registered modules. */
    enum vlog_level default_levels[VLF_N_DESTINATIONS];
    unsigned int seq;                   /* Message sequence number. */
    char *file_name;
    int fd;
    const char *program_name;
    /* Per-module overrides, kept in a small table by name. */
    struct override {
        char *module;
        enum vlog_level levels[VLF_N_DESTINATIONS];
    } overrides[64];
    int n_overrides;
} vl = {
    .default_levels = { VLL_WARN, VLL_INFO },
    .fd = -1,
};

static struct override *
find_override(const char *module)
{
    for (int i = 0; i < vl.n_overrides; i++) {
        if (!strcmp(vl.overrides[i].module, module)) {
            return &vl.overrides[i];
        }
    }
    return NULL;
}

static enum vlog_level
module_dest_level(const struct vlog_module *m, int dest)
{
    struct override *o = find_override(m->name);
    return o ? o->levels[dest] : vl.default_levels[dest];
}

static void
recompute_module(struct vlog_module *m)
{
    enum vlog_level con = module_dest_level(m, VLF_CONSOLE);
    enum vlog_level file = vl.fd >= 0 ? module_dest_level(m, VLF_FILE)
                                      : VLL_OFF;
    m->level = MAX(con, file);
}

static void
recompute_all(void)
{
    for (struct vlog_module *m = vl.modules; m; m = m->next) {
        recompute_module(m);
    }
}

bool
vlog_is_enabled(struct vlog_module *m, enum vlog_level level)
{
    if (UNLIKELY(m->level == VLL_N_LEVELS)) {
        m->next = vl.modules;
        vl.modules = m;
        recompute_module(m);
    }
    return level <= m->level;
}

void
vlog_set_program_name(const char *name)
{
    const char *slash = strrchr(name, '/');
    vl.program_name = slash ? slash + 1 : name;
}

static void
write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t r = write(fd, s, n);
        if (r < 0 && errno == EINTR) {
            continue;
        } else if (r <= 0) {
            return;
        }
        s += r;
        n -= r;
    }
}

void
vlog(struct vlog_module *m, enum vlog_level level, const char *format, ...)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    struct timeval tv;
    struct tm tm;
    char stamp[32];
    va_list args;

    /* As in Open vSwitch, the console gets whole seconds and the log file
     * milliseconds: "2026-11-21T14:32:26Z|" versus "...26.123Z|". */
    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    ds_put_format(&ds, "%s.%03dZ|%05u|%s|%s|", stamp,
                  (int) (tv.tv_usec / 1000), ++vl.seq, m->name,
                  level_names[level]);
    va_start(args, format);
    ds_put_format_valist(&ds, format, args);
    va_end(args);
    ds_put_char(&ds, '\n');

    if (level <= module_dest_level(m, VLF_CONSOLE)) {
        size_t len = strlen(stamp);
        fprintf(stderr, "%sZ%s", stamp, ds_cstr(&ds) + len + 5);
        fflush(stderr);
    }
    if (vl.fd >= 0 && level <= module_dest_level(m, VLF_FILE)) {
        write_all(vl.fd, ds.string, ds.length);
    }
    ds_destroy(&ds);
}

bool
vlog_should_drop(struct vlog_rate_limit *rl)
{
    long long now = time_msec();

    if (rl->tokens == 0) {
        long long elapsed = now - rl->last_fill;
        unsigned long long add = elapsed * rl->rate / 60000;
        if (!add) {
            rl->n_dropped++;
            return true;
        }
        rl->tokens = MIN(add, rl->burst);
        rl->last_fill = now;
    }
    if (!rl->last_fill) {
        rl->last_fill = now;
    }
    rl->tokens--;
    return false;
}

int
vlog_set_file(const char *file_name)
{
    int fd = open(file_name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0660);
    if (fd < 0) {
        return errno;
    }
    if (vl.fd >= 0) {
        close(vl.fd);
    }
    free(vl.file_name);
    vl.file_name = xstrdup(file_name);
    vl.fd = fd;
    recompute_all();
    return 0;
}

int
vlog_reopen_file(void)
{
    if (!vl.file_name) {
        return 0;
    }
    char *name = xstrdup(vl.file_name);
    int error = vlog_set_file(name);
    free(name);
    return error;
}

const char *
vlog_get_file(void)
{
    return vl.file_name;
}

enum vlog_level
vlog_level_from_string(const char *s)
{
    for (int i = 0; i < VLL_N_LEVELS; i++) {
        if (!strcasecmp(s, level_names[i])) {
            return i;
        }
    }
    if (!strcasecmp(s, "debug")) {
        return VLL_DBG;
    }
    return VLL_N_LEVELS;
}

const char *
vlog_level_to_string(enum vlog_level level)
{
    return level < VLL_N_LEVELS ? level_names[level] : "<invalid>";
}

bool
vlog_set_level(const char *module, enum vlog_destination dest,
               enum vlog_level level)
{
    int d0 = dest == VLF_N_DESTINATIONS ? 0 : dest;
    int d1 = dest == VLF_N_DESTINATIONS ? VLF_N_DESTINATIONS - 1 : dest;

    if (!module || !strcasecmp(module, "ANY")) {
        for (int d = d0; d <= d1; d++) {
            vl.default_levels[d] = level;
            for (int i = 0; i < vl.n_overrides; i++) {
                vl.overrides[i].levels[d] = level;
            }
        }
    } else {
        struct override *o = find_override(module);
        bool known = o != NULL;
        for (struct vlog_module *m = vl.modules; m && !known; m = m->next) {
            known = !strcmp(m->name, module);
        }
        if (!known) {
            return false;
        }
        if (!o) {
            if (vl.n_overrides >= (int) ARRAY_SIZE(vl.overrides)) {
                return false;
            }
            o = &vl.overrides[vl.n_overrides++];
            o->module = xstrdup(module);
            memcpy(o->levels, vl.default_levels, sizeof o->levels);
        }
        for (int d = d0; d <= d1; d++) {
            o->levels[d] = level;
        }
    }
    recompute_all();
    return true;
}

char *
vlog_set_levels_from_string(const char *spec)
{
    enum vlog_destination dest = VLF_N_DESTINATIONS;
    enum vlog_level level = VLL_N_LEVELS;
    char *module = NULL, *copy = xstrdup(spec), *save = NULL, *error = NULL;

    for (char *w = strtok_r(copy, ":", &save); w;
         w = strtok_r(NULL, ":", &save)) {
        int d;
        for (d = 0; d < VLF_N_DESTINATIONS; d++) {
            if (!strcasecmp(w, dest_names[d])) {
                break;
            }
        }
        if (d < VLF_N_DESTINATIONS || !strcasecmp(w, "any")) {
            if (d < VLF_N_DESTINATIONS) {
                dest = d;
            }
        } else if (vlog_level_from_string(w) != VLL_N_LEVELS) {
            level = vlog_level_from_string(w);
        } else if (!module) {
            module = w;
        } else {
            error = xasprintf("unknown word \"%s\" in log spec", w);
            goto out;
        }
    }
    if (level == VLL_N_LEVELS) {
        level = VLL_DBG;
    }
    if (!vlog_set_level(module, dest, level)) {
        error = xasprintf("no logging module named \"%s\"", module);
    }
out:
    free(copy);
    return error;
}

char *
vlog_list(void)
{
    struct ds ds = DS_EMPTY_INITIALIZER;

    ds_put_format(&ds, "%-24s %-8s %-8s\n", "module", "console", "file");
    ds_put_format(&ds, "%-24s %-8s %-8s\n", "------", "-------", "----");
    for (struct vlog_module *m = vl.modules; m; m = m->next) {
        ds_put_format(&ds, "%-24s %-8s %-8s\n", m->name,
                      level_names[module_dest_level(m, VLF_CONSOLE)],
                      level_names[module_dest_level(m, VLF_FILE)]);
    }
    return ds_steal_cstr(&ds);
}
