/* replay: runs a libFuzzer target's LLVMFuzzerTestOneInput() on files, so
 * that the normal (gcc, optionally sanitized) build replays a fuzz corpus
 * and every saved crash input as a regression test.
 *
 * Usage: replay FILE-OR-DIRECTORY...
 *
 * A directory stands for the regular files directly inside it (sorted, dot
 * files skipped), so a meson test() can name the corpus directories.
 * Returns 0 once every input ran; a crash in the target is the failure. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads all of 'path' into a new buffer; returns 0 or a positive errno. */
static int
replay_read_file(const char *path, uint8_t **datap, size_t *sizep)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data = NULL;
    size_t size = 0, cap = 0;
    int error = 0;

    if (!f) {
        return errno;
    }
    for (;;) {
        if (size == cap) {
            cap = cap ? cap * 2 : 4096;
            data = realloc(data, cap);
            if (!data) {
                abort();
            }
        }
        size_t n = fread(data + size, 1, cap - size, f);
        size += n;
        if (n == 0) {
            error = ferror(f) ? EIO : 0;
            break;
        }
    }
    fclose(f);
    *datap = data;
    *sizep = size;
    return error;
}

static int
replay_one(const char *path)
{
    uint8_t *data = NULL;
    size_t size = 0;
    int error = replay_read_file(path, &data, &size);

    if (error) {
        fprintf(stderr, "%s: %s\n", path, strerror(error));
        free(data);
        return error;
    }
    printf("replaying %s (%zu bytes)\n", path, size);
    fflush(stdout);
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    return 0;
}

static int
replay_compare(const void *a_, const void *b_)
{
    const char *const *a = a_;
    const char *const *b = b_;
    return strcmp(*a, *b);
}

static int
replay_dir(const char *dir_name, int *n_inputs)
{
    DIR *dir = opendir(dir_name);
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    int error = 0;

    if (!dir) {
        fprintf(stderr, "%s: %s\n", dir_name, strerror(errno));
        return errno;
    }
    while ((de = readdir(dir)) != NULL) {
        if (de->d_name[0] == '.') {
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            names = realloc(names, cap * sizeof *names);
            if (!names) {
                abort();
            }
        }
        size_t len = strlen(dir_name) + strlen(de->d_name) + 2;
        names[n] = malloc(len);
        if (!names[n]) {
            abort();
        }
        snprintf(names[n++], len, "%s/%s", dir_name, de->d_name);
    }
    closedir(dir);
    if (n) {
        qsort(names, n, sizeof *names, replay_compare);
    }
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (!stat(names[i], &st) && S_ISREG(st.st_mode)) {
            error = replay_one(names[i]) ? EIO : error;
            ++*n_inputs;
        }
        free(names[i]);
    }
    free(names);
    return error;
}

int
main(int argc, char *argv[])
{
    int n_inputs = 0;
    int status = 0;

    for (int i = 1; i < argc; i++) {
        struct stat st;

        if (!stat(argv[i], &st) && S_ISDIR(st.st_mode)) {
            status |= replay_dir(argv[i], &n_inputs) != 0;
        } else {
            status |= replay_one(argv[i]) != 0;
            n_inputs++;
        }
    }
    printf("%d inputs replayed\n", n_inputs);
    return status;
}
