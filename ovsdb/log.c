/* ovsdb/log: the OVSDB standalone log file.  See log.h for the format. */
#include "ovsdb/log.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include "ds.h"
#include "json.h"
#include "ovsdb/error.h"
#include "sha1.h"
#include "vlog.h"

VLOG_DEFINE_THIS_MODULE(ovsdb_log);

/* Longest magic accepted, which bounds the header line length. */
#define LOG_MAX_MAGIC 64
/* Most decimal digits in a header's length field: enough for any length
 * up to OVSDB_LOG_MAX_RECORD and a bit beyond, so that the limit is checked
 * on a number, not on a digit count. */
#define LOG_MAX_LEN_DIGITS 10
/* Longest possible header line, '\n' included. */
#define LOG_MAX_HEADER (LOG_MAX_MAGIC + 1 + LOG_MAX_LEN_DIGITS + 1 \
                        + SHA1_HEX_DIGEST_LEN + 1)
/* Bytes read at once at the start of a record: the header and, for most
 * records, all of the data, in one system call. */
#define LOG_READ_CHUNK 4096

enum log_state {
    LOG_READ,           /* Reading records; at EOF reads return NULL. */
    LOG_BAD_TAIL,       /* Stopped at a bad tail, dropped before writing. */
    LOG_BROKEN,         /* Stopped at a bad record or an I/O error. */
    LOG_WRITE           /* Appending records. */
};

struct ovsdb_log {
    char *name;                 /* As given to ovsdb_log_open(). */
    char *file_name;            /* The file itself, symlinks resolved. */
    char *magic;                /* The magic this file's records use. */
    enum ovsdb_log_open_mode mode;
    int fd;                     /* The log file. */
    int lock_fd;                /* The lock file, or -1 if not locked. */

    enum log_state state;
    off_t offset;               /* End of the last record read or written. */
    off_t prev_offset;          /* Start of the last record read. */
    bool can_unread;            /* Did the last read return a record? */
    off_t file_size;            /* Last size seen by fstat(). */
    struct ovsdb_error *error;  /* Why, in LOG_BAD_TAIL and LOG_BROKEN. */
    char *bad_reason;           /* What is wrong with the tail, for the
                                 * warning logged when it is dropped. */
};

/* Result of reading the raw bytes of one record. */
enum log_raw {
    LOG_RAW_OK,                 /* A record with a valid header and SHA-1. */
    LOG_RAW_EOF,                /* Clean end of file. */
    LOG_RAW_BAD,                /* A bad record; see the reason. */
    LOG_RAW_IO                  /* An I/O error; see the errno. */
};

static struct ovsdb_error *log_start_writing(struct ovsdb_log *);

/* Reads up to 'n' bytes at 'offset', retrying after short reads and
 * EINTR.  Returns the number of bytes read (less than 'n' only at end of
 * file) or a negative errno. */
static ssize_t
log_pread_full(int fd, void *buf_, size_t n, off_t offset)
{
    char *buf = buf_;
    size_t done = 0;

    while (done < n) {
        ssize_t r = pread(fd, buf + done, n - done, offset + done);
        if (r < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -errno;
        } else if (r == 0) {
            break;
        }
        done += r;
    }
    return done;
}

/* Writes all of 'iov' at 'offset'.  Returns 0 or a positive errno. */
static int
log_pwritev_full(int fd, struct iovec *iov, int n_iov, off_t offset)
{
    while (n_iov > 0) {
        ssize_t r = pwritev(fd, iov, n_iov, offset);
        if (r < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno;
        } else if (r == 0) {
            return EIO;
        }
        offset += r;
        while (n_iov > 0 && (size_t) r >= iov->iov_len) {
            r -= iov->iov_len;
            iov++;
            n_iov--;
        }
        if (n_iov > 0) {
            iov->iov_base = (char *) iov->iov_base + r;
            iov->iov_len -= r;
        }
    }
    return 0;
}

/* Makes the directory entry of 'file_name' durable.  Returns 0 or an
 * errno. */
static int
log_fsync_dir(const char *file_name)
{
    char *copy = xstrdup(file_name);
    int error = 0;
    int fd;

    fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) < 0) {
        error = errno;
    }
    if (fd >= 0) {
        close(fd);
    }
    free(copy);
    return error;
}

int
ovsdb_log_parse_header(const char *line, size_t n, const char *magic,
                       size_t *header_len, size_t *data_len,
                       char sha1_hex[41], const char **why)
{
    size_t magic_len = strlen(magic);
    unsigned long long length = 0;
    size_t i, start;

    *why = NULL;
    for (i = 0; i < magic_len; i++) {
        if (i >= n) {
            return EOF;
        } else if (line[i] != magic[i]) {
            *why = "bad magic";
            return EINVAL;
        }
    }
    if (i >= n) {
        return EOF;
    } else if (line[i++] != ' ') {
        *why = "bad magic";
        return EINVAL;
    }

    for (start = i; i < n && line[i] >= '0' && line[i] <= '9'; i++) {
        if (i - start >= LOG_MAX_LEN_DIGITS) {
            *why = "record length has too many digits";
            return EINVAL;
        }
        length = length * 10 + (line[i] - '0');
    }
    if (i >= n) {
        return EOF;
    } else if (i == start || line[i++] != ' ') {
        *why = "bad record length";
        return EINVAL;
    }

    for (size_t j = 0; j < SHA1_HEX_DIGEST_LEN; j++, i++) {
        char c;

        if (i >= n) {
            return EOF;
        }
        c = line[i];
        if (c >= 'A' && c <= 'F') {
            c += 'a' - 'A';
        }
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            *why = "bad SHA-1 in record header";
            return EINVAL;
        }
        sha1_hex[j] = c;
    }
    sha1_hex[SHA1_HEX_DIGEST_LEN] = '\0';
    if (i >= n) {
        return EOF;
    } else if (line[i++] != '\n') {
        *why = "record header does not end after the SHA-1";
        return EINVAL;
    }
    *header_len = i;
    *data_len = length;
    return 0;
}

/* Refreshes 'log->file_size'.  Returns 0 or an errno. */
static int
log_refresh_size(struct ovsdb_log *log)
{
    struct stat s;

    if (fstat(log->fd, &s) < 0) {
        return errno;
    }
    log->file_size = s.st_size;
    return 0;
}

/* Returns the number of bytes in the file after 'ofs', as of the last
 * fstat(). */
static unsigned long long
log_bytes_after(const struct ovsdb_log *log, off_t ofs)
{
    return log->file_size > ofs ? log->file_size - ofs : 0;
}

/* Reads the record that starts at 'ofs' and checks its framing and SHA-1.
 * On LOG_RAW_OK stores its data (owned, NUL-terminated) in '*datap' and
 * length in '*lenp', and the offset just past it in '*endp'.  On
 * LOG_RAW_BAD stores an owned reason in '*reasonp'; on LOG_RAW_IO, an errno
 * in '*errnop'. */
static enum log_raw
log_read_raw(struct ovsdb_log *log, off_t ofs, char **datap, size_t *lenp,
             off_t *endp, char **reasonp, int *errnop)
{
    char chunk[LOG_READ_CHUNK];
    char hex[SHA1_HEX_DIGEST_LEN + 1], actual[SHA1_HEX_DIGEST_LEN + 1];
    uint8_t digest[SHA1_DIGEST_SIZE];
    size_t header_len, data_len, in_chunk;
    unsigned long long remaining;
    const char *why;
    ssize_t got;
    char *data;
    int error;

    *datap = NULL;
    if (ofs >= log->file_size) {
        error = log_refresh_size(log);
        if (error) {
            *errnop = error;
            return LOG_RAW_IO;
        } else if (ofs >= log->file_size) {
            return LOG_RAW_EOF;
        }
    }

    got = log_pread_full(log->fd, chunk, sizeof chunk, ofs);
    if (got < 0) {
        *errnop = -got;
        return LOG_RAW_IO;
    } else if (got == 0) {
        return LOG_RAW_EOF;
    }
    error = ovsdb_log_parse_header(chunk, got, log->magic, &header_len,
                                   &data_len, hex, &why);
    if (error == EOF) {
        *reasonp = xstrdup((size_t) got < sizeof chunk
                           ? "record header truncated by end of file"
                           : "record header too long");
        return LOG_RAW_BAD;
    } else if (error) {
        *reasonp = xstrdup(why);
        return LOG_RAW_BAD;
    }

    if (data_len > OVSDB_LOG_MAX_RECORD) {
        *reasonp = xasprintf("record length %zu exceeds the %u-byte limit",
                             data_len, OVSDB_LOG_MAX_RECORD);
        return LOG_RAW_BAD;
    }
    remaining = log_bytes_after(log, ofs + header_len);
    if (data_len > remaining) {
        error = log_refresh_size(log);
        if (error) {
            *errnop = error;
            return LOG_RAW_IO;
        }
        remaining = log_bytes_after(log, ofs + header_len);
        if (data_len > remaining) {
            *reasonp = xasprintf("record data truncated: header says %zu "
                                 "bytes but only %llu remain", data_len,
                                 remaining);
            return LOG_RAW_BAD;
        }
    }

    data = xmalloc(data_len + 1);
    in_chunk = MIN(data_len, (size_t) got - header_len);
    memcpy(data, chunk + header_len, in_chunk);
    if (in_chunk < data_len) {
        size_t rest = data_len - in_chunk;

        got = log_pread_full(log->fd, data + in_chunk, rest,
                             ofs + header_len + in_chunk);
        if (got < 0 || (size_t) got < rest) {
            free(data);
            if (got < 0) {
                *errnop = -got;
                return LOG_RAW_IO;
            }
            *reasonp = xstrdup("record data truncated by end of file");
            return LOG_RAW_BAD;
        }
    }
    data[data_len] = '\0';

    sha1_bytes(data, data_len, digest);
    sha1_to_hex(digest, actual);
    if (strcmp(hex, actual)) {
        *reasonp = xasprintf("record SHA-1 mismatch: header says %s but "
                             "data hashes to %s", hex, actual);
        free(data);
        return LOG_RAW_BAD;
    }

    *datap = data;
    *lenp = data_len;
    *endp = ofs + header_len + data_len;
    return LOG_RAW_OK;
}

/* Returns true if 'data' ('len' bytes) is a JSON object. */
static bool
log_is_json_object(const char *data, size_t len)
{
    struct json *json = json_from_buffer(data, len, NULL);
    bool ok = json && json->type == JSON_OBJECT;

    json_destroy(json);
    return ok;
}

/* Returns true if a valid record (header, SHA-1 and a JSON object) starts
 * anywhere after 'bad_ofs', which tells a torn tail (nothing valid follows)
 * from damage in the middle of the log.  Requiring the JSON to parse keeps
 * trivial look-alikes, such as an empty record, from counting. */
static bool
log_valid_record_follows(struct ovsdb_log *log, off_t bad_ofs)
{
    size_t magic_len = strlen(log->magic);
    size_t buf_size = 65536;
    char *buf = xmalloc(buf_size);
    off_t pos = bad_ofs + 1;
    bool found = false;

    while (!found) {
        ssize_t n = log_pread_full(log->fd, buf, buf_size, pos);
        char *p = buf;

        if (n < 0 || (size_t) n < magic_len) {
            break;
        }
        while (!found
               && (p = memmem(p, buf + n - p, log->magic, magic_len))) {
            char *data, *reason = NULL;
            size_t len;
            off_t end;
            int error;

            if (log_read_raw(log, pos + (p - buf), &data, &len, &end,
                             &reason, &error) == LOG_RAW_OK
                && log_is_json_object(data, len)) {
                found = true;
            }
            free(data);
            free(reason);
            p++;
        }
        if ((size_t) n < buf_size) {
            break;
        }
        pos += n - (magic_len - 1);
    }
    free(buf);
    return found;
}

/* Records that reading stopped at the bad record at 'ofs' for 'reason'
 * (owned), and returns the error to report. */
static struct ovsdb_error *
log_stop_at_bad_record(struct ovsdb_log *log, off_t ofs, char *reason)
{
    if (log_valid_record_follows(log, ofs)) {
        log->state = LOG_BROKEN;
        log->error = ovsdb_error(OVSDB_LOG_BAD_RECORD_TAG,
                                 "%s: bad record at offset %lld (%s), but "
                                 "valid records follow it: not a torn "
                                 "write, refusing to truncate",
                                 log->name, (long long) ofs, reason);
    } else {
        log->state = LOG_BAD_TAIL;
        log->error = ovsdb_error(OVSDB_LOG_BAD_TAIL_TAG,
                                 "%s: bad record at offset %lld (%s); no "
                                 "valid record follows", log->name,
                                 (long long) ofs, reason);
        log->bad_reason = reason;
        reason = NULL;
    }
    free(reason);
    return ovsdb_error_clone(log->error);
}

struct ovsdb_error *
ovsdb_log_read(struct ovsdb_log *log, struct json **jsonp)
{
    char *data, *reason = NULL, *parse_error;
    struct json *json;
    size_t len;
    off_t end;
    int error;

    *jsonp = NULL;
    log->can_unread = false;
    if (log->state == LOG_BAD_TAIL || log->state == LOG_BROKEN) {
        return ovsdb_error_clone(log->error);
    } else if (log->state == LOG_WRITE) {
        return NULL;
    }

    switch (log_read_raw(log, log->offset, &data, &len, &end, &reason,
                         &error)) {
    case LOG_RAW_EOF:
        return NULL;
    case LOG_RAW_IO:
        log->state = LOG_BROKEN;
        log->error = ovsdb_io_error(error, "%s: read failed at offset %lld",
                                    log->name, (long long) log->offset);
        return ovsdb_error_clone(log->error);
    case LOG_RAW_BAD:
        return log_stop_at_bad_record(log, log->offset, reason);
    case LOG_RAW_OK:
        break;
    }

    json = json_from_buffer(data, len, &parse_error);
    free(data);
    if (!json) {
        reason = xasprintf("record is not valid JSON: %s", parse_error);
        free(parse_error);
        return log_stop_at_bad_record(log, log->offset, reason);
    } else if (json->type != JSON_OBJECT) {
        json_destroy(json);
        return log_stop_at_bad_record(log, log->offset,
                                      xstrdup("record is not a JSON "
                                              "object"));
    }

    log->prev_offset = log->offset;
    log->offset = end;
    log->can_unread = true;
    *jsonp = json;
    return NULL;
}

void
ovsdb_log_unread(struct ovsdb_log *log)
{
    ASSERT(log->can_unread);
    log->offset = log->prev_offset;
    log->can_unread = false;
}

bool
ovsdb_log_has_bad_tail(const struct ovsdb_log *log)
{
    return log->state == LOG_BAD_TAIL;
}

bool
ovsdb_log_error_is_bad_tail(const struct ovsdb_error *error)
{
    return error && !strcmp(ovsdb_error_get_tag(error),
                            OVSDB_LOG_BAD_TAIL_TAG);
}

/* Returns the lock file name for 'file_name': ".NAME.~lock~" in the same
 * directory, as ovsdb-server uses. */
static char *
log_lock_name(const char *file_name)
{
    const char *slash = strrchr(file_name, '/');

    if (!slash) {
        return xasprintf(".%s.~lock~", file_name);
    }
    return xasprintf("%.*s/.%s.~lock~", (int) (slash - file_name),
                     file_name, slash + 1);
}

/* Takes the lock for 'file_name'; on success stores the lock file's
 * descriptor in '*fdp'. */
static struct ovsdb_error *
log_lock(const char *name, const char *file_name, int *fdp)
{
    char *lock_name = log_lock_name(file_name);
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
    struct ovsdb_error *error = NULL;
    int fd;

    *fdp = -1;
    fd = open(lock_name, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        error = ovsdb_io_error(errno, "%s: cannot open lock file %s",
                               name, lock_name);
        goto out;
    }
    /* An open-file-description lock conflicts with the classic fcntl()
     * locks that ovsdb-server takes, and also with a second open of the
     * same file within this process. */
    if (fcntl(fd, F_OFD_SETLK, &fl) < 0) {
        int err = errno;

        if (err == EAGAIN || err == EACCES) {
            struct flock q = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

            if (!fcntl(fd, F_OFD_GETLK, &q) && q.l_type != F_UNLCK
                && q.l_pid > 0) {
                error = ovsdb_io_error(err, "%s: database is in use: lock "
                                       "file %s is held by process %ld",
                                       name, lock_name, (long) q.l_pid);
            } else {
                /* Open-file-description locks (weft's) report no PID. */
                error = ovsdb_io_error(err, "%s: database is in use: lock "
                                       "file %s is held by another weft "
                                       "process or by another open of the "
                                       "database in this one", name,
                                       lock_name);
            }
        } else {
            error = ovsdb_io_error(err, "%s: cannot lock %s", name,
                                   lock_name);
        }
        close(fd);
        goto out;
    }
    *fdp = fd;

out:
    free(lock_name);
    return error;
}

/* Picks, from the '|'-separated 'magics', the one that the file's first
 * bytes 'buf' ('n' bytes, n > 0) begin with, or one that the bytes are a
 * prefix of (a first record torn inside its magic).  Returns an owned
 * copy, or NULL if none fits. */
static char *
log_pick_magic(const char *magics, const char *buf, size_t n)
{
    const char *p = magics;

    for (;;) {
        size_t len = strcspn(p, "|");
        size_t cmp = MIN(n, len + 1);
        char *candidate = xasprintf("%.*s ", (int) len, p);

        if (!memcmp(buf, candidate, cmp)) {
            candidate[len] = '\0';
            return candidate;
        }
        free(candidate);
        if (!p[len]) {
            return NULL;
        }
        p += len + 1;
    }
}

/* Resolves 'name' if it is a symbolic link, so that the lock file and the
 * temporary file of compaction sit beside the real file.  Returns an owned
 * path. */
static char *
log_resolve(const char *name)
{
    struct stat s;

    if (!lstat(name, &s) && S_ISLNK(s.st_mode)) {
        char *real = realpath(name, NULL);
        if (real) {
            char *copy = xstrdup(real);
            free(real);
            return copy;
        }
    }
    return xstrdup(name);
}

/* Chooses the log's magic from 'magics' and the file's first bytes. */
static struct ovsdb_error *
log_choose_magic(struct ovsdb_log *log, const char *magics)
{
    char buf[LOG_MAX_MAGIC + 1];
    ssize_t n;

    n = log_pread_full(log->fd, buf, sizeof buf, 0);
    if (n < 0) {
        return ovsdb_io_error(-n, "%s: read failed", log->name);
    } else if (n == 0) {
        size_t len = strcspn(magics, "|");
        log->magic = xmemdup0(magics, len);
        return NULL;
    }
    log->magic = log_pick_magic(magics, buf, n);
    if (!log->magic) {
        return ovsdb_error("syntax error", "%s: not an OVSDB log file: "
                           "records must begin with \"%s\"", log->name,
                           magics);
    }
    return NULL;
}

static int
log_open_flags(enum ovsdb_log_open_mode mode)
{
    switch (mode) {
    case OVSDB_LOG_READ_ONLY:
        return O_RDONLY;
    case OVSDB_LOG_READ_WRITE:
        return O_RDWR;
    case OVSDB_LOG_CREATE_EXCL:
        return O_RDWR | O_CREAT | O_EXCL;
    case OVSDB_LOG_CREATE:
        return O_RDWR | O_CREAT | O_TRUNC;
    }
    util_abort("bad ovsdb_log_open_mode %d", (int) mode);
}

struct ovsdb_error *
ovsdb_log_open(const char *name, const char *magic,
               enum ovsdb_log_open_mode mode, int locking,
               struct ovsdb_log **logp)
{
    struct ovsdb_error *error = NULL;
    struct ovsdb_log *log;
    struct stat s;
    int error_no;

    *logp = NULL;
    magic = magic ? magic : OVSDB_MAGIC;
    ASSERT(*magic);
    if (locking < 0) {
        locking = mode != OVSDB_LOG_READ_ONLY;
    }

    log = xzalloc(sizeof *log);
    log->name = xstrdup(name);
    log->file_name = log_resolve(name);
    log->mode = mode;
    log->fd = -1;
    log->lock_fd = -1;
    log->state = LOG_READ;

    if (locking) {
        error = log_lock(name, log->file_name, &log->lock_fd);
        if (error) {
            goto error;
        }
    }

    log->fd = open(log->file_name, log_open_flags(mode) | O_CLOEXEC, 0660);
    if (log->fd < 0) {
        error = ovsdb_io_error(errno, "%s: open failed", name);
        goto error;
    }
    if (fstat(log->fd, &s) < 0) {
        error = ovsdb_io_error(errno, "%s: stat failed", name);
        goto error;
    } else if (!S_ISREG(s.st_mode)) {
        error = ovsdb_error("I/O error", "%s: not a regular file", name);
        goto error;
    }
    log->file_size = s.st_size;

    if (mode == OVSDB_LOG_CREATE || mode == OVSDB_LOG_CREATE_EXCL) {
        error_no = log_fsync_dir(log->file_name);
        if (error_no) {
            error = ovsdb_io_error(error_no, "%s: syncing directory failed",
                                   name);
            goto error;
        }
    }

    error = log_choose_magic(log, magic);
    if (error) {
        goto error;
    }
    if (strlen(log->magic) > LOG_MAX_MAGIC) {
        error = ovsdb_error("I/O error", "%s: magic \"%s\" too long", name,
                            log->magic);
        goto error;
    }
    *logp = log;
    return NULL;

error:
    ovsdb_log_close(log);
    return error;
}

void
ovsdb_log_close(struct ovsdb_log *log)
{
    if (!log) {
        return;
    }
    if (log->fd >= 0) {
        close(log->fd);
    }
    if (log->lock_fd >= 0) {
        close(log->lock_fd);    /* Releases the lock. */
    }
    ovsdb_error_destroy(log->error);
    free(log->bad_reason);
    free(log->magic);
    free(log->file_name);
    free(log->name);
    free(log);
}

const char *
ovsdb_log_get_name(const struct ovsdb_log *log)
{
    return log->name;
}

const char *
ovsdb_log_get_magic(const struct ovsdb_log *log)
{
    return log->magic;
}

off_t
ovsdb_log_get_offset(const struct ovsdb_log *log)
{
    return log->offset;
}

/* Moves 'log' into LOG_WRITE, first truncating the file after the last
 * record read. */
static struct ovsdb_error *
log_start_writing(struct ovsdb_log *log)
{
    int error;

    if (log->state == LOG_WRITE) {
        return NULL;
    } else if (log->mode == OVSDB_LOG_READ_ONLY) {
        return ovsdb_io_error(EBADF, "%s: log is open read-only", log->name);
    } else if (log->state == LOG_BROKEN) {
        return ovsdb_error_wrap(ovsdb_error_clone(log->error),
                                "refusing to write");
    }

    error = log_refresh_size(log);
    if (error) {
        return ovsdb_io_error(error, "%s: stat failed", log->name);
    }
    if (log->file_size > log->offset) {
        if (ftruncate(log->fd, log->offset) < 0) {
            return ovsdb_io_error(errno, "%s: truncating to %lld bytes "
                                  "failed", log->name,
                                  (long long) log->offset);
        }
        if (log->state == LOG_BAD_TAIL) {
            VLOG_WARN("%s: dropped %lld bytes of bad log tail at offset "
                      "%lld: %s", log->name,
                      (long long) (log->file_size - log->offset),
                      (long long) log->offset, log->bad_reason);
        } else {
            VLOG_WARN("%s: discarded %lld unread bytes after offset %lld",
                      log->name, (long long) (log->file_size - log->offset),
                      (long long) log->offset);
        }
        log->file_size = log->offset;
    }
    ovsdb_error_destroy(log->error);
    log->error = NULL;
    free(log->bad_reason);
    log->bad_reason = NULL;
    log->state = LOG_WRITE;
    log->can_unread = false;
    return NULL;
}

struct ovsdb_error *
ovsdb_log_truncate_tail(struct ovsdb_log *log)
{
    return log_start_writing(log);
}

/* Appends the '\n' that ends the record data that starts at offset
 * 'start' of 'data', and the header line for that data to 'header'. */
static void
compose_header(const char *magic, struct ds *header, struct ds *data,
               size_t start)
{
    uint8_t digest[SHA1_DIGEST_SIZE];
    char hex[SHA1_HEX_DIGEST_LEN + 1];

    ds_put_char(data, '\n');
    sha1_bytes(data->string + start, data->length - start, digest);
    sha1_to_hex(digest, hex);
    ds_put_cstr(header, magic ? magic : OVSDB_MAGIC);
    ds_put_char(header, ' ');
    ds_put_decimal(header, data->length - start);
    ds_put_char(header, ' ');
    ds_put_buffer(header, hex, SHA1_HEX_DIGEST_LEN);
    ds_put_char(header, '\n');
}

void
ovsdb_log_compose_record(const struct json *json, const char *magic,
                         struct ds *header, struct ds *data)
{
    size_t start = data->length;

    json_to_ds(json, 0, data);
    compose_header(magic, header, data, start);
}

struct ovsdb_error *
ovsdb_log_write_text(struct ovsdb_log *log, struct ds *data)
{
    struct ds header = DS_EMPTY_INITIALIZER;
    struct ovsdb_error *error;
    struct iovec iov[2];
    int err;

    ASSERT(data->length && data->string[0] == '{');
    error = log_start_writing(log);
    if (error) {
        return error;
    }

    compose_header(log->magic, &header, data, 0);
    if (data->length > OVSDB_LOG_MAX_RECORD) {
        error = ovsdb_error("I/O error", "%s: %zu-byte record exceeds the "
                            "%u-byte limit", log->name, data->length,
                            OVSDB_LOG_MAX_RECORD);
        goto out;
    }

    /* One system call for the whole record: a crash leaves the record
     * whole or torn, never interleaved with anything else. */
    iov[0].iov_base = header.string;
    iov[0].iov_len = header.length;
    iov[1].iov_base = data->string;
    iov[1].iov_len = data->length;
    err = log_pwritev_full(log->fd, iov, 2, log->offset);
    if (err) {
        error = ovsdb_io_error(err, "%s: write failed at offset %lld",
                               log->name, (long long) log->offset);
        if (ftruncate(log->fd, log->offset) < 0) {
            log->state = LOG_BROKEN;
            log->error = ovsdb_io_error(errno, "%s: write failed and "
                                        "rolling back to offset %lld also "
                                        "failed", log->name,
                                        (long long) log->offset);
        }
        goto out;
    }
    log->offset += header.length + data->length;
    log->file_size = log->offset;

out:
    ds_destroy(&header);
    return error;
}

struct ovsdb_error *
ovsdb_log_write(struct ovsdb_log *log, const struct json *json)
{
    struct ds data = DS_EMPTY_INITIALIZER;
    struct ovsdb_error *error;

    ASSERT(json->type == JSON_OBJECT);
    json_to_ds(json, 0, &data);
    error = ovsdb_log_write_text(log, &data);
    ds_destroy(&data);
    return error;
}

struct ovsdb_error *
ovsdb_log_write_and_free(struct ovsdb_log *log, struct json *json)
{
    struct ovsdb_error *error = ovsdb_log_write(log, json);
    json_destroy(json);
    return error;
}

struct ovsdb_error *
ovsdb_log_commit_block(struct ovsdb_log *log)
{
    if (log->mode == OVSDB_LOG_READ_ONLY) {
        return NULL;
    } else if (log->state == LOG_BROKEN && log->error) {
        return ovsdb_error_clone(log->error);
    }
    if (fsync(log->fd) < 0) {
        /* After a failed fsync() the kernel may have dropped the dirty
         * pages, so a retry could succeed without the data being on disk:
         * never trust this file descriptor again. */
        struct ovsdb_error *error = ovsdb_io_error(errno, "%s: fsync failed",
                                                   log->name);
        if (!log->error) {
            log->error = ovsdb_error_clone(error);
        }
        log->state = LOG_BROKEN;
        return error;
    }
    return NULL;
}

struct ovsdb_error *
ovsdb_log_replace_start(struct ovsdb_log *log, struct ovsdb_log **newp)
{
    struct ovsdb_error *error;
    char *tmp_name;

    *newp = NULL;
    if (log->mode == OVSDB_LOG_READ_ONLY) {
        return ovsdb_io_error(EBADF, "%s: log is open read-only", log->name);
    }
    /* The original's lock covers the temporary file too. */
    tmp_name = xasprintf("%s.tmp", log->file_name);
    error = ovsdb_log_open(tmp_name, log->magic, OVSDB_LOG_CREATE, 0, newp);
    free(tmp_name);
    return error;
}

void
ovsdb_log_replace_abort(struct ovsdb_log *new_log)
{
    if (new_log) {
        unlink(new_log->file_name);
        ovsdb_log_close(new_log);
    }
}

struct ovsdb_error *
ovsdb_log_replace_commit(struct ovsdb_log *log, struct ovsdb_log *new_log)
{
    struct ovsdb_error *error;
    int err;

    error = ovsdb_log_commit_block(new_log);
    if (error) {
        ovsdb_log_replace_abort(new_log);
        return error;
    }
    if (rename(new_log->file_name, log->file_name) < 0) {
        error = ovsdb_io_error(errno, "%s: renaming %s over it failed",
                               log->name, new_log->file_name);
        ovsdb_log_replace_abort(new_log);
        return error;
    }
    /* The new contents are in place; if the rename is lost in a crash the
     * old file, which holds the same data, comes back. */
    err = log_fsync_dir(log->file_name);
    if (err) {
        VLOG_WARN("%s: syncing directory after compaction failed (%s)",
                  log->name, util_strerror(err));
    }

    close(log->fd);
    log->fd = new_log->fd;
    new_log->fd = -1;
    log->offset = new_log->offset;
    log->file_size = new_log->offset;
    log->state = LOG_WRITE;
    log->can_unread = false;
    ovsdb_error_destroy(log->error);
    log->error = NULL;
    free(log->bad_reason);
    log->bad_reason = NULL;
    ovsdb_log_close(new_log);
    return NULL;
}
