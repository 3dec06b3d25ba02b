/* ovsdb/log: the OVSDB standalone log file, record by record.
 *
 * A database file is an append-only sequence of records, each a JSON value
 * framed by a one-line header.  The format is that of ovsdb-server 3.1's
 * standalone databases, byte for byte, so a file moves between weft-db and
 * ovsdb-server/ovsdb-tool in both directions.  This module knows the
 * framing only; what the records mean (schema, transactions) belongs to its
 * caller.  It has no policy beyond keeping the file well formed.
 *
 * Record framing (all offsets relative to the start of the record):
 *
 *     offset    size   meaning
 *     ------    ----   -------
 *     0         M      magic: "OVSDB JSON" (standalone) or "OVSDB CLUSTER"
 *     M         1      ' '
 *     M+1       D      data length L in decimal ASCII, no sign, no padding
 *     M+1+D     1      ' '
 *     M+2+D     40     SHA-1 of the L data bytes, lowercase hex (the
 *                      reader also accepts uppercase)
 *     M+42+D    1      '\n' (end of header line, H = M+43+D bytes)
 *     H         L      data: compact JSON serialization of one object,
 *                      followed by one '\n' that IS counted in L and IS
 *                      covered by the SHA-1
 *     H+L       -      next record, or end of file
 *
 * There is no file header and no padding: the file is exactly the
 * concatenation of its records.  The reader accepts any whitespace inside
 * the data (it is parsed as JSON) and requires the value to be an object;
 * the writer always produces exactly the layout above.  A record longer
 * than OVSDB_LOG_MAX_RECORD bytes is treated as corruption.
 *
 * Record contents in a standalone database (documented here because the
 * framing is useless without them; interpreted by the caller):
 *
 *     record   JSON object
 *     ------   -----------
 *     0        the database schema, as in the .ovsschema file, with its
 *              "cksum" member if the schema file had one
 *     1..n     a committed transaction:
 *                "_date":     integer, wall-clock milliseconds since epoch
 *                "_comment":  string, present only if the transaction had
 *                             "comment" operations (joined by "\n")
 *                "_is_diff":  true in every record that ovsdb-server
 *                             3.1 and "ovsdb-tool transact" write, including
 *                             the single data record of ovsdb-server's
 *                             online compaction ("_comment": "compacting
 *                             database online"); absent in the data record
 *                             written by "ovsdb-tool compact", which holds
 *                             full rows.  A reader must accept both.
 *                "<table>":   { "<row uuid>": null (row deleted)
 *                                           | { "<column>": <datum>, ... } }
 *
 * A row object names a row that was inserted or modified.  For an
 * inserted row (and for every row of a compacted record) it lists the
 * columns whose value differs from the column type's default; the rest
 * take the default.  For a modified row it lists only the columns that
 * changed, and when "_is_diff" is true a listed <datum> is not always the
 * new value:
 *
 *     column type                      logged datum      reader applies it
 *     -----------                      ------------      -----------------
 *     max 1 (scalar, or optional       the new value     replace
 *       "min 0, max 1" value)          ("b", or
 *                                      ["set",[]] when
 *                                      cleared)
 *     set, max > 1                     symmetric diff:   toggle each
 *                                      removed elements  element: remove
 *                                      + added elements  if present, else
 *                                                        add
 *     map, max > 1                     removed pairs     for each (k, v):
 *                                      (old value) +     k absent: add;
 *                                      added pairs +     old[k] == v:
 *                                      changed keys      remove; else
 *                                      (new value)       old[k] = v
 *
 * Observed with ovsdb-server 3.1: {a:1,b:2} -> {a:1,c:3} logs
 * ["map",[["b","2"],["c","3"]]]; {k:v1,z:1} -> {k:v2,z:1} logs
 * ["map",[["k","v2"]]]; a set {x,y} -> {} logs ["set",["x","y"]]; an
 * optional string "a" -> "b" logs "b".  A transaction that changes nothing
 * (a no-op update, or only a "comment") writes no record.  Datums use
 * RFC 7047 notation, so a one-element set is written as its bare atom.
 *
 * Reading.  ovsdb_log_read() returns the records in order and a null JSON
 * at the end of the file.  When a record is bad (truncated header or data,
 * malformed header, length past the end of the file or absurd, SHA-1
 * mismatch, unparsable JSON or not an object) reading stops there and the
 * error's tag says which case it is:
 *
 *   - OVSDB_LOG_BAD_TAIL_TAG: no valid record follows the bad one, as after
 *     a crash in the middle of a write.  The records before it are good;
 *     opened for writing, the log drops the tail (truncates the file at the
 *     last good record, logging a warning that names the file, the offset
 *     and the reason) before its first write, or at once with
 *     ovsdb_log_truncate_tail().
 *   - OVSDB_LOG_BAD_RECORD_TAG: a valid record follows the bad one, so the
 *     damage is not a torn write and truncating would drop committed
 *     transactions.  The log refuses to write; an operator must decide.
 *
 * I/O errors carry the "I/O error" tag and also make the log refuse to
 * write.  Every later read returns a copy of the same error.
 *
 * Writing.  ovsdb_log_write() appends one record with a single writev(2)
 * call, so a crash leaves either the whole record or a torn tail that the
 * next open detects.  A write is durable only after ovsdb_log_commit_block().
 * The first write goes right after the last record read (or before the
 * record given back with ovsdb_log_unread()) and discards whatever follows
 * it, so a log opened with OVSDB_LOG_READ_WRITE must be read to its end
 * before writing, or its unread records are lost.
 *
 * Compaction.  ovsdb_log_replace_start() creates "<file>.tmp"; the caller
 * writes the new contents there and calls ovsdb_log_replace_commit(), which
 * makes them durable, renames the temporary file over the original
 * atomically and leaves the original 'struct ovsdb_log' positioned at the
 * end of the new contents, ready for appends.
 *
 * Locking.  A log opened with locking holds an fcntl() write lock on
 * ".<file>.~lock~" in the file's directory, as ovsdb-server and ovsdb-tool
 * do, so that two processes (weft or OVS) cannot write one database.  The
 * lock is an open-file-description lock: it conflicts with ovsdb-server's
 * classic fcntl() lock, it also excludes a second open of the same file
 * within one process, and it is shared with a child across fork(), so a
 * daemon may open its databases before detaching.  The lock file is left
 * in place on close, as OVS leaves it.
 *
 * Ownership and threads: a 'struct ovsdb_log' is owned by its opener and
 * must be used by one thread at a time.  Errors returned are owned by the
 * caller. */
#ifndef WEFT_OVSDB_LOG_H
#define WEFT_OVSDB_LOG_H 1

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "util.h"

struct ds;
struct json;
struct ovsdb_log;

/* Magic strings that begin every record header. */
#define OVSDB_MAGIC "OVSDB JSON"           /* Standalone database. */
#define OVSDB_CLUSTER_MAGIC "OVSDB CLUSTER" /* Clustered database. */

/* Largest record data accepted when reading: anything bigger is treated as
 * corruption rather than allocated. */
#define OVSDB_LOG_MAX_RECORD (1u << 30)

/* Error tags of bad records (see "Reading" above). */
#define OVSDB_LOG_BAD_TAIL_TAG "log tail corruption"
#define OVSDB_LOG_BAD_RECORD_TAG "log corruption"

enum ovsdb_log_open_mode {
    OVSDB_LOG_READ_ONLY,        /* Existing file, read only. */
    OVSDB_LOG_READ_WRITE,       /* Existing file, read and append. */
    OVSDB_LOG_CREATE_EXCL,      /* New file; fails if it exists. */
    OVSDB_LOG_CREATE            /* New file, or an existing one emptied. */
};

/* Opens 'file_name' in 'mode'.
 *
 * 'magic' is the record magic, NULL for OVSDB_MAGIC, or several magics
 * separated by '|' ("OVSDB JSON|OVSDB CLUSTER") to accept whichever the
 * file uses; ovsdb_log_get_magic() then tells which one it is (the first,
 * for an empty file).
 *
 * 'locking' > 0 takes the lock file, 0 does not, < 0 takes it unless
 * 'mode' is OVSDB_LOG_READ_ONLY.  A lock held by another process or by
 * another open log fails with an error that says so.
 *
 * On success stores a new log in '*logp' and returns NULL; on failure
 * stores NULL and returns an owned error. */
struct ovsdb_error *ovsdb_log_open(const char *file_name, const char *magic,
                                   enum ovsdb_log_open_mode, int locking,
                                   struct ovsdb_log **logp) WARN_UNUSED;

/* Closes 'log' (NULL is allowed), releasing its lock.  Does not sync:
 * call ovsdb_log_commit_block() first for durability. */
void ovsdb_log_close(struct ovsdb_log *log);

const char *ovsdb_log_get_name(const struct ovsdb_log *);
const char *ovsdb_log_get_magic(const struct ovsdb_log *);

/* Reads the next record into '*jsonp' (owned by the caller) and returns
 * NULL; at the end of the file stores NULL in '*jsonp'.  On a bad record or
 * an I/O error stores NULL and returns an owned error (see "Reading"). */
struct ovsdb_error *ovsdb_log_read(struct ovsdb_log *,
                                   struct json **jsonp) WARN_UNUSED;

/* Makes the next ovsdb_log_read() return the record that the previous one
 * returned again.  Valid only right after a read that returned a record. */
void ovsdb_log_unread(struct ovsdb_log *);

/* Returns true if reading stopped at a bad tail that the next write (or
 * ovsdb_log_truncate_tail()) will drop. */
bool ovsdb_log_has_bad_tail(const struct ovsdb_log *);

/* Returns true if 'error' is a bad-tail error from ovsdb_log_read(). */
bool ovsdb_log_error_is_bad_tail(const struct ovsdb_error *);

/* Switches 'log' from reading to writing now: truncates the file after the
 * last record read, logging a warning if that drops a bad tail.  Writes do
 * this themselves; calling it early removes a torn tail from the file right
 * away so that other tools can read it. */
struct ovsdb_error *ovsdb_log_truncate_tail(struct ovsdb_log *) WARN_UNUSED;

/* Appends 'json', which must be a JSON object, as one record.  Does not
 * take ownership.  On failure the file is rolled back to its previous
 * length if possible; if not, the log refuses all later writes. */
struct ovsdb_error *ovsdb_log_write(struct ovsdb_log *,
                                    const struct json *) WARN_UNUSED;
/* Same, for a record whose data, the compact JSON text of an object
 * without the final new-line, the caller already wrote to 'data'.
 * Appends that new-line to 'data'. */
struct ovsdb_error *ovsdb_log_write_text(struct ovsdb_log *, struct ds *data)
    WARN_UNUSED;
/* Same as ovsdb_log_write(), and then frees 'json'. */
struct ovsdb_error *ovsdb_log_write_and_free(struct ovsdb_log *,
                                             struct json *) WARN_UNUSED;

/* Makes every record written so far durable (fsync). */
struct ovsdb_error *ovsdb_log_commit_block(struct ovsdb_log *) WARN_UNUSED;

/* Returns the file offset just past the last record read or written. */
off_t ovsdb_log_get_offset(const struct ovsdb_log *);

/* Formats 'json' as one record with 'magic' (NULL for OVSDB_MAGIC):
 * appends the header line to 'header' and the data to 'data'. */
struct ds;
void ovsdb_log_compose_record(const struct json *, const char *magic,
                              struct ds *header, struct ds *data);

/* Parses the record header in the 'n' bytes at 'line' (which should hold
 * the first line of a record, with its '\n').  'magic' is a single magic.
 * On success returns 0 and stores the header's length including the '\n'
 * in '*header_len', the data length in '*data_len' and the SHA-1 as 40
 * NUL-terminated lowercase hex digits in 'sha1_hex'.  Returns EOF (-1) if
 * 'line' is a valid but incomplete prefix of a header, otherwise EINVAL
 * with a static explanation in '*why'.  Exposed for tests and fuzzing. */
int ovsdb_log_parse_header(const char *line, size_t n, const char *magic,
                           size_t *header_len, size_t *data_len,
                           char sha1_hex[41], const char **why);

/* Compaction (see above).  ovsdb_log_replace_start() opens a new, empty
 * temporary log "<file>.tmp" beside 'log', which must be writable, and
 * stores it in '*newp'.  ovsdb_log_replace_commit() consumes 'new_log': on
 * success 'log' now reads and appends the new file; on failure the original
 * file and 'log' are unchanged and the temporary file is removed.
 * ovsdb_log_replace_abort() discards 'new_log' and its file. */
struct ovsdb_error *ovsdb_log_replace_start(struct ovsdb_log *log,
                                            struct ovsdb_log **newp)
    WARN_UNUSED;
struct ovsdb_error *ovsdb_log_replace_commit(struct ovsdb_log *log,
                                             struct ovsdb_log *new_log)
    WARN_UNUSED;
void ovsdb_log_replace_abort(struct ovsdb_log *new_log);

#endif
