/* Replays fuzz inputs without libFuzzer: calls LLVMFuzzerTestOneInput of the
 * target it is linked with on every file named on the command line (a
 * directory stands for the files in it, in name order). Built by make check
 * with the ordinary compiler, and under ASan/UBSan by make check-asan, so the
 * committed corpus (tests/fuzz/corpus/<target>/) is a regression test that
 * needs no clang. A target reports a broken invariant by aborting.
 * Exit status: 0 when every input ran, 1 on an unreadable file. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return -1;
    }
    size_t cap = 4096, len = 0;
    unsigned char *buf = malloc(cap);
    size_t got;
    while (buf != NULL && (got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            unsigned char *nb = realloc(buf, cap *= 2);
            if (nb == NULL) {
                free(buf);
                buf = NULL;
            } else {
                buf = nb;
            }
        }
    }
    int bad = ferror(f) || buf == NULL;
    fclose(f);
    if (bad) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        free(buf);
        return -1;
    }
    /* an exact-size copy, so that ASan sees reads beyond the input */
    unsigned char *exact = malloc(len ? len : 1);
    if (exact == NULL) {
        free(buf);
        return -1;
    }
    memcpy(exact, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir, unsigned long *count)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "replay: cannot open directory %s\n", dir);
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            char **nn = realloc(names, cap * sizeof *names);
            if (nn == NULL)
                break;
            names = nn;
        }
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        if ((names[n] = malloc(len)) == NULL)
            break;
        snprintf(names[n], len, "%s/%s", dir, e->d_name);
        ++n;
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_names);
    int st = 0;
    for (size_t i = 0; i < n; ++i) {
        if (run_file(names[i]) != 0)
            st = -1;
        else
            ++*count;
        free(names[i]);
    }
    free(names);
    return st;
}

int main(int argc, char **argv)
{
    unsigned long count = 0;
    int st = 0;
    for (int i = 1; i < argc; ++i) {
        struct stat sb;
        if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            if (run_dir(argv[i], &count) != 0)
                st = 1;
        } else if (run_file(argv[i]) != 0) {
            st = 1;
        } else {
            ++count;
        }
    }
    printf("replay: %lu inputs, every invariant held\n", count);
    return st;
}
