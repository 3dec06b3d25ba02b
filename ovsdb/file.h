/* ovsdb/file: a database kept in a standalone OVSDB log file.
 *
 * ovsdb_file_open() reads the file (ovsdb/log.h describes the format),
 * builds the in-memory database from the schema record and by replaying
 * every transaction record, and registers an observer that appends one
 * record per committed transaction before the commit becomes visible: a
 * transaction is acknowledged only after its record is written.  A torn
 * final record (a crash in the middle of a write) is dropped with a
 * warning; other corruption is a clear error.
 *
 * The log is compacted (rewritten as one snapshot record) on demand and,
 * with ovsdb-server's policy (file.c), when it has grown large relative to
 * the last compaction, but not within 10 minutes of the last one or of
 * opening the file. */
#ifndef WEFT_OVSDB_FILE_H
#define WEFT_OVSDB_FILE_H 1

#include <stdbool.h>
#include <stdint.h>
#include "util.h"

struct ovsdb;
struct ovsdb_file;
struct ovsdb_schema;

/* Opens 'file_name' and stores the database in '*dbp' and the file (owned
 * by the database's observer list, freed with the database) in '*filep'.
 * With 'read_only' the file is neither locked nor written. */
struct ovsdb_error *ovsdb_file_open(const char *file_name, bool read_only,
                                    struct ovsdb **dbp,
                                    struct ovsdb_file **filep) WARN_UNUSED;
/* Creates a new database file holding 'schema' and no data. */
struct ovsdb_error *ovsdb_file_create(const char *file_name,
                                      const struct ovsdb_schema *)
    WARN_UNUSED;
/* Reads just the schema of 'file_name'. */
struct ovsdb_error *ovsdb_file_read_schema(const char *file_name,
                                           struct ovsdb_schema **)
    WARN_UNUSED;

struct ovsdb_error *ovsdb_file_compact(struct ovsdb_file *) WARN_UNUSED;
/* Compacts if the log has grown enough since the last compaction. */
void ovsdb_file_run(struct ovsdb_file *);
const char *ovsdb_file_get_name(const struct ovsdb_file *);
uint64_t ovsdb_file_get_size(const struct ovsdb_file *);

#endif
