/* weft-test-log-dump: drives ovsdb/log from tests.
 *
 *     weft-test-log-dump FILE          print each record as JSON with sorted
 *                                      members, one per line
 *     weft-test-log-dump --copy SRC DST
 *                                      rewrite every record of SRC into a new
 *                                      file DST with ovsdb_log_write()
 *     weft-test-log-dump --repair FILE open FILE read-write (locked), read
 *                                      it and drop a bad tail
 *     weft-test-log-dump --hold FILE   lock FILE as a writer, print
 *                                      "locked", and hold the lock until
 *                                      standard input reaches end of file
 *
 * Exit status: 0 on success, 2 if reading stopped at a bad tail (after
 * printing the good records), 1 on any other error.  Errors go to stderr. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "json.h"
#include "ovsdb/error.h"
#include "ovsdb/log.h"
#include "util.h"
#include "vlog.h"

/* Prints 'error' to stderr and frees it.  Returns the exit status it
 * calls for. */
static int
report(struct ovsdb_error *error)
{
    int status = ovsdb_log_error_is_bad_tail(error) ? 2 : 1;
    char *s = ovsdb_error_to_string_free(error);

    fprintf(stderr, "weft-test-log-dump: %s\n", s);
    free(s);
    return status;
}

static int
do_dump(const char *file_name)
{
    struct ovsdb_error *error;
    struct ovsdb_log *log;
    struct json *json;

    error = ovsdb_log_open(file_name, NULL, OVSDB_LOG_READ_ONLY, -1, &log);
    if (error) {
        return report(error);
    }
    while (!(error = ovsdb_log_read(log, &json)) && json) {
        char *s = json_to_string(json, JSSF_SORT);
        puts(s);
        free(s);
        json_destroy(json);
    }
    ovsdb_log_close(log);
    return error ? report(error) : 0;
}

static int
do_copy(const char *src_name, const char *dst_name)
{
    struct ovsdb_log *src = NULL, *dst = NULL;
    struct ovsdb_error *error;
    struct json *json;

    error = ovsdb_log_open(src_name, NULL, OVSDB_LOG_READ_ONLY, -1, &src);
    if (!error) {
        error = ovsdb_log_open(dst_name, ovsdb_log_get_magic(src),
                               OVSDB_LOG_CREATE_EXCL, -1, &dst);
    }
    while (!error && !(error = ovsdb_log_read(src, &json)) && json) {
        error = ovsdb_log_write_and_free(dst, json);
    }
    if (!error) {
        error = ovsdb_log_commit_block(dst);
    }
    ovsdb_log_close(src);
    ovsdb_log_close(dst);
    return error ? report(error) : 0;
}

static int
do_repair(const char *file_name)
{
    struct ovsdb_error *error;
    struct ovsdb_log *log;
    struct json *json;

    error = ovsdb_log_open(file_name, NULL, OVSDB_LOG_READ_WRITE, -1, &log);
    if (error) {
        return report(error);
    }
    while (!(error = ovsdb_log_read(log, &json)) && json) {
        json_destroy(json);
    }
    if (!error || ovsdb_log_error_is_bad_tail(error)) {
        ovsdb_error_destroy(error);
        error = ovsdb_log_truncate_tail(log);
        if (!error) {
            error = ovsdb_log_commit_block(log);
        }
    }
    ovsdb_log_close(log);
    return error ? report(error) : 0;
}

static int
do_hold(const char *file_name)
{
    struct ovsdb_error *error;
    struct ovsdb_log *log;
    char buf[64];

    error = ovsdb_log_open(file_name, NULL, OVSDB_LOG_READ_WRITE, -1, &log);
    if (error) {
        return report(error);
    }
    puts("locked");
    fflush(stdout);
    while (read(STDIN_FILENO, buf, sizeof buf) > 0) {
        continue;
    }
    ovsdb_log_close(log);
    return 0;
}

static void
usage(void)
{
    fprintf(stderr, "usage: weft-test-log-dump FILE\n"
                    "       weft-test-log-dump --copy SRC DST\n"
                    "       weft-test-log-dump --repair FILE\n"
                    "       weft-test-log-dump --hold FILE\n");
    exit(1);
}

int
main(int argc, char *argv[])
{
    vlog_set_program_name("weft-test-log-dump");
    if (argc == 2 && argv[1][0] != '-') {
        return do_dump(argv[1]);
    } else if (argc == 4 && !strcmp(argv[1], "--copy")) {
        return do_copy(argv[2], argv[3]);
    } else if (argc == 3 && !strcmp(argv[1], "--repair")) {
        return do_repair(argv[2]);
    } else if (argc == 3 && !strcmp(argv[1], "--hold")) {
        return do_hold(argv[2]);
    }
    usage();
}
