/* vlog: leveled logging in Open vSwitch's line format.
 *
 *     2026-11-21T14:32:26.123Z|00042|ovsdb_server|INFO|message
 *
 * Each source file names its module once with VLOG_DEFINE_THIS_MODULE and
 * logs with VLOG_ERR/WARN/INFO/DBG.  Messages go to stderr (default level
 * WARN) and, once vlog_set_file() is called, to a log file (default level
 * INFO).  Module levels and the destinations are process-wide state, the
 * one exception to STYLE.md habit 7.  Not thread-safe. */
#ifndef WEFT_VLOG_H
#define WEFT_VLOG_H 1

#include <stdbool.h>
#include "util.h"

enum vlog_level {
    VLL_OFF,
    VLL_EMER,
    VLL_ERR,
    VLL_WARN,
    VLL_INFO,
    VLL_DBG,
    VLL_N_LEVELS
};

struct vlog_module {
    const char *name;
    enum vlog_level level;      /* Most verbose level any destination wants,
                                 * or VLL_N_LEVELS if not yet computed. */
    struct vlog_module *next;   /* In the list of registered modules. */
};

/* Limits how often a message is logged: at most 'burst' messages, refilled
 * at 'rate' per minute. */
struct vlog_rate_limit {
    unsigned int rate;
    unsigned int burst;
    unsigned int tokens;
    long long last_fill;
    unsigned int n_dropped;
};
#define VLOG_RATE_LIMIT_INIT(RATE, BURST) { RATE, BURST, BURST, 0, 0 }

/* Modules register themselves at program start, so that "vlog/list" and
 * "vlog/set" know every module before it first logs. */
#define VLOG_DEFINE_THIS_MODULE(NAME)                                     \
    static struct vlog_module this_module = { #NAME, VLL_N_LEVELS, NULL }; \
    static void vlog_register_##NAME(void) __attribute__((constructor));  \
    static void vlog_register_##NAME(void)                                \
    {                                                                     \
        vlog_is_enabled(&this_module, VLL_OFF);                           \
    }

void vlog(struct vlog_module *, enum vlog_level, const char *format, ...)
    PRINTF_FORMAT(3, 4);
bool vlog_is_enabled(struct vlog_module *, enum vlog_level);
bool vlog_should_drop(struct vlog_rate_limit *);

#define VLOG__(LEVEL, ...)                                  \
    do {                                                    \
        if (vlog_is_enabled(&this_module, LEVEL)) {         \
            vlog(&this_module, LEVEL, __VA_ARGS__);         \
        }                                                   \
    } while (0)
#define VLOG_EMER(...) VLOG__(VLL_EMER, __VA_ARGS__)
#define VLOG_ERR(...) VLOG__(VLL_ERR, __VA_ARGS__)
#define VLOG_WARN(...) VLOG__(VLL_WARN, __VA_ARGS__)
#define VLOG_INFO(...) VLOG__(VLL_INFO, __VA_ARGS__)
#define VLOG_DBG(...) VLOG__(VLL_DBG, __VA_ARGS__)
#define VLOG_RL__(RL, LEVEL, ...)                                         \
    do {                                                                  \
        if (vlog_is_enabled(&this_module, LEVEL)                          \
            && !vlog_should_drop(RL)) {                                   \
            vlog(&this_module, LEVEL, __VA_ARGS__);                       \
        }                                                                 \
    } while (0)
#define VLOG_WARN_RL(RL, ...) VLOG_RL__(RL, VLL_WARN, __VA_ARGS__)
#define VLOG_INFO_RL(RL, ...) VLOG_RL__(RL, VLL_INFO, __VA_ARGS__)
#define VLOG_ERR_RL(RL, ...) VLOG_RL__(RL, VLL_ERR, __VA_ARGS__)
#define VLOG_DBG_RL(RL, ...) VLOG_RL__(RL, VLL_DBG, __VA_ARGS__)

/* Destinations. */
enum vlog_destination { VLF_CONSOLE, VLF_FILE, VLF_N_DESTINATIONS };

/* Opens 'file_name' for appending log messages.  Returns 0 or an errno. */
int vlog_set_file(const char *file_name);
/* Reopens the log file (after rotation).  Returns 0 or an errno. */
int vlog_reopen_file(void);
const char *vlog_get_file(void);
/* Sets the level of 'module' (NULL or "ANY" for all) at 'dest' (or all if
 * VLF_N_DESTINATIONS).  Returns false if the module name is unknown. */
bool vlog_set_level(const char *module, enum vlog_destination,
                    enum vlog_level);
/* Parses an ovs-appctl style spec such as "dbg", "console:off",
 * "ovsdb_server:file:info".  Returns an owned error or NULL. */
char *vlog_set_levels_from_string(const char *spec);
enum vlog_level vlog_level_from_string(const char *);
const char *vlog_level_to_string(enum vlog_level);
/* Returns an owned table of modules and their levels. */
char *vlog_list(void);
void vlog_set_program_name(const char *);

#endif
