/* Unit tests for ovsdb/log: record framing, torn tails, corruption,
 * locking and compaction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "ds.h"
#include "json.h"
#include "ovsdb/error.h"
#include "ovsdb/log.h"
#include "sha1.h"
#include "util.h"
#include "vlog.h"

/* A scratch directory per test. */
struct fixture {
    char dir[64];
    char *db;                   /* "<dir>/test.db" */
    char *copy;                 /* "<dir>/copy.db" */
};

static int
setup(void **state)
{
    struct fixture *f = xzalloc(sizeof *f);

    snprintf(f->dir, sizeof f->dir, "/tmp/weft-test-log-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    f->db = xasprintf("%s/test.db", f->dir);
    f->copy = xasprintf("%s/copy.db", f->dir);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    DIR *d = opendir(f->dir);
    struct dirent *de;

    while (d && (de = readdir(d))) {
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
            char *p = xasprintf("%s/%s", f->dir, de->d_name);
            unlink(p);
            free(p);
        }
    }
    if (d) {
        closedir(d);
    }
    rmdir(f->dir);
    free(f->db);
    free(f->copy);
    free(f);
    return 0;
}

static struct json *
make_record(int i)
{
    struct json *row = json_object_create();
    struct json *rec = json_object_create();
    char *s = xasprintf("row %d \"quoted\" \\ \n", i);

    json_object_put(row, "name", json_string_create(s));
    json_object_put(row, "n", json_integer_create(i));
    json_object_put(rec, "_date", json_integer_create(1700000000000LL + i));
    json_object_put(rec, "_is_diff", json_boolean_create(true));
    json_object_put(rec, "T", row);
    free(s);
    return rec;
}

static void
check_ok(struct ovsdb_error *error)
{
    if (error) {
        char *s = ovsdb_error_to_string_free(error);
        fail_msg("unexpected error: %s", s);
    }
}

static void
expect_error(struct ovsdb_error *error, const char *tag, const char *substr)
{
    char *s;

    assert_non_null(error);
    s = ovsdb_error_to_string(error);
    if (strcmp(ovsdb_error_get_tag(error), tag)
        || (substr && !strstr(s, substr))) {
        fail_msg("expected \"%s\" error containing \"%s\", got: %s", tag,
                 substr ? substr : "", s);
    }
    free(s);
    ovsdb_error_destroy(error);
}

/* Writes records 0..n-1 to a new 'file'; stores in 'offsets' (n + 1
 * entries, if nonnull) the offset of each record and of the end. */
static void
write_records(const char *file, int n, off_t *offsets)
{
    struct ovsdb_log *log;

    check_ok(ovsdb_log_open(file, NULL, OVSDB_LOG_CREATE_EXCL, -1, &log));
    for (int i = 0; i < n; i++) {
        if (offsets) {
            offsets[i] = ovsdb_log_get_offset(log);
        }
        check_ok(ovsdb_log_write_and_free(log, make_record(i)));
    }
    if (offsets) {
        offsets[n] = ovsdb_log_get_offset(log);
    }
    check_ok(ovsdb_log_commit_block(log));
    ovsdb_log_close(log);
}

/* Reads records from 'log', checking that they are records 0..n-1. */
static void
read_expect(struct ovsdb_log *log, int n)
{
    for (int i = 0; i < n; i++) {
        struct json *json, *expected = make_record(i);

        check_ok(ovsdb_log_read(log, &json));
        assert_non_null(json);
        assert_true(json_equal(json, expected));
        json_destroy(json);
        json_destroy(expected);
    }
}

static void
read_expect_eof(struct ovsdb_log *log)
{
    struct json *json = (struct json *) 1;

    check_ok(ovsdb_log_read(log, &json));
    assert_null(json);
}

static char *
slurp(const char *file, size_t *n)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    FILE *stream = fopen(file, "rb");
    char buf[4096];
    size_t got;

    assert_non_null(stream);
    while ((got = fread(buf, 1, sizeof buf, stream)) > 0) {
        ds_put_buffer(&ds, buf, got);
    }
    fclose(stream);
    *n = ds.length;
    return ds.string ? ds_steal_cstr(&ds) : xstrdup("");
}

static void
spew(const char *file, const char *data, size_t n)
{
    FILE *stream = fopen(file, "wb");

    assert_non_null(stream);
    assert_int_equal(fwrite(data, 1, n, stream), n);
    assert_int_equal(fclose(stream), 0);
}

static off_t
file_size(const char *file)
{
    struct stat s;

    assert_int_equal(stat(file, &s), 0);
    return s.st_size;
}

static void
test_round_trip(void **state)
{
    struct fixture *f = *state;
    struct ovsdb_log *log;
    off_t offsets[11];
    size_t n;
    char *contents;

    write_records(f->db, 10, offsets);
    assert_int_equal(offsets[10], file_size(f->db));

    check_ok(ovsdb_log_open(f->db, NULL, OVSDB_LOG_READ_ONLY, -1, &log));
    assert_string_equal(ovsdb_log_get_magic(log), OVSDB_MAGIC);
    read_expect(log, 10);
    assert_int_equal(ovsdb_log_get_offset(log), offsets[10]);
    read_expect_eof(log);
    read_expect_eof(log);
    expect_error(ovsdb_log_write_and_free(log, make_record(0)), "I/O error",
                 "read-only");
    ovsdb_log_close(log);

    /* The exact framing: "OVSDB JSON <len> <sha1>\n" then <len> bytes of
     * compact JSON ending in a newline that the length counts. */
    contents = slurp(f->db, &n);
    assert_true(!strncmp(contents, "OVSDB JSON ", 11));
    {
        size_t header_len, data_len;
        char hex[41];
        const char *why;

        assert_int_equal(ovsdb_log_parse_header(contents, n, OVSDB_MAGIC,
                                                &header_len, &data_len, hex,
                                                &why), 0);
        assert_int_equal(header_len + data_len, offsets[1]);
        assert_int_equal(contents[header_len + data_len - 1], '\n');
        assert_int_equal(contents[header_len], '{');
    }
    free(contents);
}

static void
test_reopen_append(void **state)
{
    struct fixture *f = *state;
    struct ovsdb_log *log;

    write_records(f->db, 3, NULL);
    check_ok(ovsdb_log_open(f->db, NULL, OVSDB_LOG_READ_WRITE, -1, &log));
    read_expect(log, 3);
    read_expect_eof(log);
    check_ok(ovsdb_log_write_and_free(log, make_record(3)));
    check_ok(ovsdb_log_write_and_free(log, make_record(4)));
    check_ok(ovsdb_log_commit_block(log));
    ovsdb_log_close(log);

    check_ok(ovsdb_log_open(f->db, NULL, OVSDB_LOG_READ_ONLY, -1, &log));
    read_expect(log, 5);
    read_expect_eof(log);
    ovsdb_log_close(log);
}

static void
test_unread(void **state)
{
    struct fixture *f = *state;
    struct ovsdb_log *log;
    struct json *a, *b;

    write_records(f->db, 3, NULL);
    check_ok(ovsdb_log_open(f->db, NULL, OVSDB_LOG_READ_WRITE, -1, &log));
    read_expect(log, 1);
    check_ok(ovsdb_log_read(log, &a));
    ovsdb_log_unread(log);
    check_ok(ovsdb_log_read(log, &b));
    assert_true(json_equal(a, b));
    json_destroy(a);
    json_destroy(b);

    /* Unread and overwrite the last record. */
    check_ok(ovsdb_log_read(log, &a));
    json_destroy(a);
    ovsdb_log_unread(log);
    check_ok(ovsdb_log_write_and_free(log, make_record(7)));
    ovsdb_log_close(log);

    check_ok(ovsdb_log_open(f->db, NULL, OVSDB_LOG_READ_ONLY, -1, &log));
    read_expect(log, 2);
    check_ok(ovsdb_log_read(log, &a));
    b = make_record(7);
    assert_true(json_equal(a, b));
    json_destroy(a);
    json_destroy(b);
    read_expect_eof(log);
    ovsdb_log_close(log);
}

/* Cuts the last of three records at every byte and checks that the reader
 * returns the first two, reports a bad tail, and that the next write lands
 * right after the second record. */
static void
test_torn_tail_every_offset(void **state)
{
    struct fixture *f = *state;
    off_t offsets[4];
    char *contents;
    size_t n;

    write_records(f->db, 3, offsets);
    contents = slurp(f->db, &n);
    for (off_t cut = offsets[2]; cut < offsets[3]; cut++) {
        struct ovsdb_log *log;
        struct ovsdb_error *error;
        struct json *json;
        off_t new_end;

        spew(f->copy, contents, cut);
        check_ok(ovsdb_log_open(f->copy, NULL, OVSDB_LOG_READ_WRITE, -1,
                                &log));
        read_expect(log, 2);
        error = ovsdb_log_read(log, &json);
        assert_null(json);
        if (cut == offsets[2]) {
            assert_null(error);
            assert_false(ovsdb_log_has_bad_tail(log));
        } else {
            assert_true(ovsdb_log_error_is_bad_tail(error));
            assert_true(ovsdb_log_has_bad_tail(log));
            expect_error(error, OVSDB_LOG_BAD_TAIL_TAG, "offset");
            /* Reading again reports the same. */
            expect_error(ovsdb_log_read(log, &json), OVSDB_LOG_BAD_TAIL_TAG,
                         NULL);
        }
        assert_int_equal(ovsdb_log_get_offset(log), offsets[2]);
        check_ok(ovsdb_log_write_and_free(log, make_record(2)));
        new_end = ovsdb_log_get_offset(log);
        assert_int_equal(new_end, offsets[3]);
        check_ok(ovsdb_log_commit_block(log));
        ovsdb_log_close(log);
        assert_int_equal(file_size(f->copy), offsets[3]);

        check_ok(ovsdb_log_open(f->copy, NULL, OVSDB_LOG_READ_ONLY, -1,
                                &log));
        read_expect(log, 3);
        read_expect_eof(log);
        ovsdb_log_close(log);
        unlink(f->copy);
    }
    free(contents);
}

/* A torn first record (even inside the magic) leaves an empty log. */
static void
test_torn_first_record(void **state)
{
    struct fixture *f = *state;
    off_t offsets[2];
    char *contents;
    size_t n;

    write_records(f->db, 1, offsets);
    contents = slurp(f->db, &n);
    for (off_t cut = 1; cut < offsets[1]; cut += 7) {
        struct ovsdb_log *log;
        struct json *json;

        spew(f->copy, contents, cut);
        check_ok(ovsdb_log_open(f->copy, NULL, OVSDB_LOG_READ_WRITE, -1,
                                &log));
        expect_error(ovsdb_log_read(log, &json), OVSDB_LOG_BAD_TAIL_TAG,
                     NULL);
        check_ok(ovsdb_log_truncate_tail(log));
        assert_int_equal(file_size(f->copy), 0);
        ovsdb_log_close(log);
        unlink(f->copy);
    }
    free(contents);
}

/* Writes 'contents' to the copy with the byte at 'where' changed to
 * 'value' (or flipped in case, if 'value' is 0) and opens it. */
static void
damage_and_open(struct fixture *f, const char *contents, size_t n,
                off_t where, char value, struct ovsdb_log **logp)
{
    char *copy = xmemdup(contents, n);

    copy[where] = value ? value : copy[where] ^ 0x20;
    spew(f->copy, copy, n);
    free(copy);
    check_ok(ovsdb_log_open(f->copy, NULL, OVSDB_LOG_READ_WRITE, -1, logp));
}

static void
test_corrupt_sha1(void **state)
{
    struct fixture *f = *state;
    struct ovsdb_log *log;
    struct json *json;
    off_t offsets[4];
    char *contents;
    size_t n;

    write_records(f->db, 3, offsets);
    contents = slurp(f->db, &n);

    /* Damage in the data of the last record: a bad tail, truncated. */
    damage_and_open(f, contents, n, offsets[3] - 5, 0, &log);
    read_expect(log, 2);
    expect_error(ovsdb_log_read(log, &json), OVSDB_LOG_BAD_TAIL_TAG,
                 "SHA-1 mismatch");
    check_ok(ovsdb_log_truncate_tail(log));
    assert_int_equal(file_size(f->copy), offsets[2]);
    ovsdb_log_close(log);

    /* Damage in the SHA-1 of the middle record ("OVSDB JSON NNN " is at
     * most 16 bytes): valid records follow, so the log refuses to
     * truncate. */
    {
        off_t where = offsets[1] + 20;
        char value = contents[where] == '0' ? '1' : '0';

        damage_and_open(f, contents, n, where, value, &log);
    }
    read_expect(log, 1);
    expect_error(ovsdb_log_read(log, &json), OVSDB_LOG_BAD_RECORD_TAG,
                 "valid records follow");
    assert_false(ovsdb_log_has_bad_tail(log));
    expect_error(ovsdb_log_write_and_free(log, json_object_create()),
                 OVSDB_LOG_BAD_RECORD_TAG, "refusing to write");
    expect_error(ovsdb_log_truncate_tail(log), OVSDB_LOG_BAD_RECORD_TAG,
                 NULL);
    ovsdb_log_close(log);
    assert_int_equal(file_size(f->copy), n);

    /* Damage in the data of the first record. */
    damage_and_open(f, contents, n, offsets[1] - 10, 0, &log);
    expect_error(ovsdb_log_read(log, &json), OVSDB_LOG_BAD_RECORD_TAG,
                 "offset 0");
    ovsdb_log_close(log);
    free(contents);
}

/* Appends 'tail' to a good three-record file and expects a bad tail whose
 * message contains 'why'. */
static void
check_bad_tail(struct fixture *f, const char *tail, size_t tail_len,
               const char *why)
{
    struct ovsdb_log *log;
    struct json *json;
    off_t offsets[4];
    char *contents, *all;
    size_t n;

    write_records(f->db, 3, offsets);
    contents = slurp(f->db, &n);
    all = xmalloc(n + tail_len);
    memcpy(all, contents, n);
    memcpy(all + n, tail, tail_len);
    spew(f->copy, all, n + tail_len);

    check_ok(ovsdb_log_open(f->copy, NULL, OVSDB_LOG_READ_WRITE, -1, &log));
    read_expect(log, 3);
    expect_error(ovsdb_log_read(log, &json), OVSDB_LOG_BAD_TAIL_TAG, why);
    check_ok(ovsdb_log_write_and_free(log, make_record(3)));
    ovsdb_log_close(log);
    check_ok(ovsdb_log_open(f->copy, NULL, OVSDB_LOG_READ_ONLY, -1, &log));
    read_expect(log, 4);
    read_expect_eof(log);
    ovsdb_log_close(log);

    unlink(f->db);
    unlink(f->copy);
    free(all);
    free(contents);
}

static void
test_garbage_header(void **state)
{
    static const char nuls[16];
    struct fixture *f = *state;

    check_bad_tail(f, "garbage", 7, "bad magic");
    check_bad_tail(f, "garbage\n", 8, "bad magic");
    check_bad_tail(f, nuls, sizeof nuls, "bad magic");
    check_bad_tail(f, "OVSDB JSON", 10, "truncated");
    check_bad_tail(f, "OVSDB JSON x", 12, "bad record length");
    check_bad_tail(f, "OVSDB JSON 12345678901 ", 23, "too many digits");
    check_bad_tail(f, "OVSDB JSON 10 zz", 16, "bad SHA-1");
    check_bad_tail(f, "OVSDB JSON 10 da39a3ee5e6b4b0d3255bfef95601890afd80709X",
                   55, "does not end");

    /* Lengths past the end of the file or the limit never allocate. */
    check_bad_tail(f, "OVSDB JSON 2000000000 "
                   "da39a3ee5e6b4b0d3255bfef95601890afd80709\n{}\n", 66,
                   "limit");
    check_bad_tail(f, "OVSDB JSON 1073741824 "
                   "da39a3ee5e6b4b0d3255bfef95601890afd80709\n{}\n", 66,
                   "only 3 remain");

    {
        struct ds header = DS_EMPTY_INITIALIZER;
        struct ds data = DS_EMPTY_INITIALIZER;
        struct json *array = json_array_create_empty();
        char *full;

        /* A record whose JSON is an array, not an object. */
        json_array_add(array, json_integer_create(1));
        ovsdb_log_compose_record(array, NULL, &header, &data);
        full = xasprintf("%s%s", ds_cstr(&header), ds_cstr(&data));
        check_bad_tail(f, full, strlen(full), "not a JSON object");
        free(full);
        json_destroy(array);
        ds_destroy(&header);
        ds_destroy(&data);
    }
}

/* Builds a record with a correct header around raw 'data'. */
static char *
raw_record(const char *data)
{
    uint8_t digest[SHA1_DIGEST_SIZE];
    char hex[SHA1_HEX_DIGEST_LEN + 1];

    sha1_bytes(data, strlen(data), digest);
    sha1_to_hex(digest, hex);
    return xasprintf("OVSDB JSON %zu %s\n%s", strlen(data), hex, data);
}

static void
test_bad_json_with_good_sha1(void **state)
{
    static const char *const bad[] = {
        "{x\n", "{\"a\": 1} {}\n", "\n", "[]\n", "\"str\"\n",
        "{\"a\": \"\\ud800\\u\"}\n",
    };
    struct fixture *f = *state;

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        char *record = raw_record(bad[i]);
        check_bad_tail(f, record, strlen(record),
                       i < 3 ? "not valid JSON" : NULL);
        free(record);
    }

    /* Whitespace around the object is fine, as is a missing newline. */
    {
        struct ovsdb_log *log;
        struct json *json;
        char *a = raw_record("  {\"a\" : 1}\n\n");
        char *b = raw_record("{}");
        char *both = xasprintf("%s%s", a, b);

        spew(f->db, both, strlen(both));
        check_ok(ovsdb_log_open(f->db, NULL, OVSDB_LOG_READ_ONLY, -1, &log));
        for (int i = 0; i < 2; i++) {
            check_ok(ovsdb_log_read(log, &json));
            assert_non_null(json);
            json_destroy(json);
        }
        read_expect_eof(log);
        ovsdb_log_close(log);
        free(a);
        free(b);
        free(both);
    }
}

/* Garbage between two good records is not a torn tail; an empty record
 * that merely looks valid after a torn tail does not count as one. */
static void
test_garbage_between_records(void **state)
{
    struct fixture *f = *state;
    struct ovsdb_log *log;
    struct json *json;
    off_t offsets[3];
    char *contents, *all, *empty;
    size_t n;

    write_records(f->db, 2, offsets);
    contents = slurp(f->db, &n);
    all = xasprintf("%.*sgarbage%s", (int) offsets[1], contents,
                    contents + offsets[1]);
    spew(f->copy, all, strlen(all));
    check_ok(ovsdb_log_open(f->copy, NULL, OVSDB_LOG_READ_WRITE, -1, &log));
    read_expect(log, 1);
    expect_error(ovsdb_log_read(log, &json), OVSDB_LOG_BAD_RECORD_TAG,
                 "bad magic");
    ovsdb_log_close(log);
    free(all);

    empty = raw_record("");
    all = xasprintf("%.*s%s", (int) offsets[2] - 5, contents, empty);
    spew(f->copy, all, strlen(all));
    check_ok(ovsdb_log_open(f->copy, NULL, OVSDB_LOG_READ_WRITE, -1, &log));
    read_expect(log, 1);
    expect_error(ovsdb_log_read(log, &json), OVSDB_LOG_BAD_TAIL_TAG, NULL);
    ovsdb_log_close(log);
    free(all);
    free(empty);
    free(contents);
}

static void
test_not_a_log(void **state)
{
    struct fixture *f = *state;
    struct ovsdb_log *log;

    spew(f->db, "{\"this\": \"is json\"}\n", 20);
    expect_error(ovsdb_log_open(f->db, NULL, OVSDB_LOG_READ_ONLY, -1, &log),
                 "syntax error", "not an OVSDB log");
    assert_null(log);

    expect_error(ovsdb_log_open(f->copy, NULL, OVSDB_LOG_READ_ONLY, -1,
                                &log), "I/O error", "open failed");
    expect_error(ovsdb_log_open(f->dir, NULL, OVSDB_LOG_READ_ONLY, -1,
                                &log), "I/O error", NULL);

    /* An empty file is an empty log. */
    spew(f->copy, "", 0);
    check_ok(ovsdb_log_open(f->copy, NULL, OVSDB_LOG_READ_WRITE, -1, &log));
    read_expect_eof(log);
    ovsdb_log_close(log);
}

static void
test_create_modes(void **state)
{
    struct fixture *f = *state;
    struct ovsdb_log *log;

    write_records(f->db, 2, NULL);
    expect_error(ovsdb_log_open(f->db, NULL, OVSDB_LOG_CREATE_EXCL, -1,
                                &log), "I/O error", "exists");
    check_ok(ovsdb_log_open(f->db, NULL, OVSDB_LOG_CREATE, -1, &log));
    read_expect_eof(log);
    ovsdb_log_close(log);
    assert_int_equal(file_size(f->db), 0);
}

static void
test_magic(void **state)
{
    struct fixture *f = *state;
    struct ovsdb_log *log;
    struct json *json;
    char *contents;
    size_t n;

    check_ok(ovsdb_log_open(f->db, OVSDB_CLUSTER_MAGIC,
                            OVSDB_LOG_CREATE_EXCL, -1, &log));
    check_ok(ovsdb_log_write_and_free(log, make_record(0)));
    ovsdb_log_close(log);
    contents = slurp(f->db, &n);
    assert_true(!strncmp(contents, "OVSDB CLUSTER ", 14));
    free(contents);

    expect_error(ovsdb_log_open(f->db, OVSDB_MAGIC, OVSDB_LOG_READ_ONLY, -1,
                                &log), "syntax error", NULL);
    check_ok(ovsdb_log_open(f->db, OVSDB_MAGIC "|" OVSDB_CLUSTER_MAGIC,
                            OVSDB_LOG_READ_ONLY, -1, &log));
    assert_string_equal(ovsdb_log_get_magic(log), OVSDB_CLUSTER_MAGIC);
    check_ok(ovsdb_log_read(log, &json));
    assert_non_null(json);
    json_destroy(json);
    ovsdb_log_close(log);
}

static void
test_locking(void **state)
{
    struct fixture *f = *state;
    struct ovsdb_log *a, *b, *r;
    char *lock_name;

    write_records(f->db, 1, NULL);
    check_ok(ovsdb_log_open(f->db, NULL, OVSDB_LOG_READ_WRITE, -1, &a));
    lock_name = xasprintf("%s/.test.db.~lock~", f->dir);
    assert_int_equal(access(lock_name, F_OK), 0);
    free(lock_name);

    /* A second writer, even in this process, is refused. */
    expect_error(ovsdb_log_open(f->db, NULL, OVSDB_LOG_READ_WRITE, -1, &b),
                 "I/O error", "in use");
    expect_error(ovsdb_log_open(f->db, NULL, OVSDB_LOG_READ_ONLY, 1, &b),
                 "I/O error", "in use");
    /* A reader that does not lock is fine. */
    check_ok(ovsdb_log_open(f->db, NULL, OVSDB_LOG_READ_ONLY, -1, &r));
    read_expect(r, 1);
    ovsdb_log_close(r);

    /* The lock is released by close. */
    ovsdb_log_close(a);
    check_ok(ovsdb_log_open(f->db, NULL, OVSDB_LOG_READ_WRITE, -1, &b));
    ovsdb_log_close(b);
}

/* A daemon opens its databases and then forks to detach: the lock must
 * stay with the child after the parent's copy is closed. */
static void
test_lock_survives_fork(void **state)
{
    struct fixture *f = *state;
    struct ovsdb_log *a, *b;
    int pipe_fds[2], status;
    pid_t pid;

    write_records(f->db, 1, NULL);
    check_ok(ovsdb_log_open(f->db, NULL, OVSDB_LOG_READ_WRITE, -1, &a));
    assert_int_equal(pipe(pipe_fds), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (!pid) {
        char c;

        close(pipe_fds[1]);
        while (read(pipe_fds[0], &c, 1) < 0 && errno == EINTR) {
            continue;
        }
        _exit(0);
    }
    close(pipe_fds[0]);
    ovsdb_log_close(a);
    expect_error(ovsdb_log_open(f->db, NULL, OVSDB_LOG_READ_WRITE, -1, &b),
                 "I/O error", "in use");

    close(pipe_fds[1]);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    check_ok(ovsdb_log_open(f->db, NULL, OVSDB_LOG_READ_WRITE, -1, &b));
    ovsdb_log_close(b);
}

static void
test_replace(void **state)
{
    struct fixture *f = *state;
    struct ovsdb_log *log, *new_log;
    struct json *json;
    char *tmp_name = xasprintf("%s.tmp", f->db);

    write_records(f->db, 5, NULL);

    /* Abort leaves the original untouched and removes the temporary. */
    check_ok(ovsdb_log_open(f->db, NULL, OVSDB_LOG_READ_WRITE, -1, &log));
    read_expect(log, 5);
    check_ok(ovsdb_log_replace_start(log, &new_log));
    assert_int_equal(access(tmp_name, F_OK), 0);
    check_ok(ovsdb_log_write_and_free(new_log, make_record(0)));
    ovsdb_log_replace_abort(new_log);
    assert_int_not_equal(access(tmp_name, F_OK), 0);

    /* Commit: the log now holds the new contents and keeps appending. */
    check_ok(ovsdb_log_replace_start(log, &new_log));
    check_ok(ovsdb_log_write_and_free(new_log, make_record(0)));
    check_ok(ovsdb_log_write_and_free(new_log, make_record(1)));
    check_ok(ovsdb_log_replace_commit(log, new_log));
    assert_int_not_equal(access(tmp_name, F_OK), 0);
    assert_int_equal(ovsdb_log_get_offset(log), file_size(f->db));
    check_ok(ovsdb_log_write_and_free(log, make_record(2)));
    check_ok(ovsdb_log_commit_block(log));

    /* Still locked after the replacement. */
    expect_error(ovsdb_log_open(f->db, NULL, OVSDB_LOG_READ_WRITE, -1,
                                &new_log), "I/O error", "in use");
    ovsdb_log_close(log);

    check_ok(ovsdb_log_open(f->db, NULL, OVSDB_LOG_READ_ONLY, -1, &log));
    read_expect(log, 3);
    check_ok(ovsdb_log_read(log, &json));
    assert_null(json);
    ovsdb_log_close(log);

    /* A read-only log cannot be replaced. */
    check_ok(ovsdb_log_open(f->db, NULL, OVSDB_LOG_READ_ONLY, -1, &log));
    expect_error(ovsdb_log_replace_start(log, &new_log), "I/O error",
                 "read-only");
    ovsdb_log_close(log);
    free(tmp_name);
}

/* Dropping a bad tail logs a warning naming the file, offset and reason. */
static void
test_tail_warning(void **state)
{
    struct fixture *f = *state;
    char *log_file = xasprintf("%s/vlog.log", f->dir);
    struct ovsdb_log *log;
    struct json *json;
    off_t offsets[3];
    char *contents, *expected;
    size_t n;

    write_records(f->db, 2, offsets);
    contents = slurp(f->db, &n);
    spew(f->copy, contents, n - 3);
    free(contents);

    assert_int_equal(vlog_set_file(log_file), 0);
    check_ok(ovsdb_log_open(f->copy, NULL, OVSDB_LOG_READ_WRITE, -1, &log));
    read_expect(log, 1);
    expect_error(ovsdb_log_read(log, &json), OVSDB_LOG_BAD_TAIL_TAG,
                 "no valid record follows");
    check_ok(ovsdb_log_truncate_tail(log));
    ovsdb_log_close(log);
    assert_int_equal(vlog_set_file("/dev/null"), 0);

    contents = slurp(log_file, &n);
    expected = xasprintf("|WARN|%s: dropped %lld bytes of bad log tail at "
                         "offset %lld: record data truncated", f->copy,
                         (long long) (offsets[2] - offsets[1] - 3),
                         (long long) offsets[1]);
    if (!strstr(contents, expected)) {
        fail_msg("log file lacks \"%s\":\n%s", expected, contents);
    }
    free(expected);
    free(contents);
    free(log_file);
}

static void
test_parse_header(void **state OVS_UNUSED)
{
    static const char good[] =
        "OVSDB JSON 42 da39a3ee5e6b4b0d3255bfef95601890afd80709\n";
    size_t header_len, data_len;
    const char *why;
    char hex[41];

    assert_int_equal(ovsdb_log_parse_header(good, strlen(good), OVSDB_MAGIC,
                                            &header_len, &data_len, hex,
                                            &why), 0);
    assert_int_equal(header_len, strlen(good));
    assert_int_equal(data_len, 42);
    assert_string_equal(hex, "da39a3ee5e6b4b0d3255bfef95601890afd80709");

    /* Every proper prefix is incomplete, not wrong. */
    for (size_t i = 0; i < strlen(good); i++) {
        assert_int_equal(ovsdb_log_parse_header(good, i, OVSDB_MAGIC,
                                                &header_len, &data_len, hex,
                                                &why), EOF);
    }
    assert_int_equal(ovsdb_log_parse_header(good, strlen(good),
                                            OVSDB_CLUSTER_MAGIC, &header_len,
                                            &data_len, hex, &why), EINVAL);
    assert_non_null(why);
}

/* Mutates a good file at random and reads it: never a crash, and every
 * read either succeeds, ends, or reports a tagged error. */
static void
test_random_damage(void **state)
{
    struct fixture *f = *state;
    unsigned int seed = 12345;
    off_t offsets[6];
    char *contents;
    size_t n;

    write_records(f->db, 5, offsets);
    contents = slurp(f->db, &n);
    for (int iter = 0; iter < 300; iter++) {
        char *copy = xmemdup(contents, n);
        size_t len = n;
        struct ovsdb_log *log;
        struct ovsdb_error *error;
        int n_damage = 1 + rand_r(&seed) % 4;

        for (int i = 0; i < n_damage; i++) {
            copy[rand_r(&seed) % n] = rand_r(&seed);
        }
        if (rand_r(&seed) % 2) {
            len = rand_r(&seed) % n;
        }
        spew(f->copy, copy, len);
        free(copy);

        error = ovsdb_log_open(f->copy, NULL, OVSDB_LOG_READ_WRITE, -1,
                               &log);
        if (error) {
            ovsdb_error_destroy(error);
            unlink(f->copy);
            continue;
        }
        for (;;) {
            struct json *json;

            error = ovsdb_log_read(log, &json);
            if (error || !json) {
                break;
            }
            json_destroy(json);
        }
        if (!error || ovsdb_log_error_is_bad_tail(error)) {
            off_t good = ovsdb_log_get_offset(log);
            check_ok(ovsdb_log_write_and_free(log, make_record(9)));
            assert_true(ovsdb_log_get_offset(log) > good);
        }
        ovsdb_error_destroy(error);
        ovsdb_log_close(log);
        unlink(f->copy);
    }
    free(contents);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reopen_append, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unread, setup, teardown),
        cmocka_unit_test_setup_teardown(test_torn_tail_every_offset, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_torn_first_record, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_sha1, setup, teardown),
        cmocka_unit_test_setup_teardown(test_garbage_header, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_bad_json_with_good_sha1, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_garbage_between_records, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_not_a_log, setup, teardown),
        cmocka_unit_test_setup_teardown(test_create_modes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_magic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_locking, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lock_survives_fork, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_replace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tail_warning, setup, teardown),
        cmocka_unit_test(test_parse_header),
        cmocka_unit_test_setup_teardown(test_random_damage, setup, teardown),
    };

    /* Bad tails are logged at WARN; keep the console for real trouble. */
    vlog_set_level(NULL, VLF_CONSOLE, VLL_ERR);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
