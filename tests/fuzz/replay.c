/*
 * replay: reruns saved fuzz inputs through a fuzz target without libFuzzer (SQLite's
 * test/fuzzcheck.c does this for its corpora), so `make test` checks every crasher and seed with
 * the ordinary compiler, and `make sanitize` with ASan and UBSan.
 *
 * Usage: fuzz_NAME FILE|DIR...   Each file (each file directly in a DIR) is one input. The name
 * of each input goes to stderr before it runs, so a crash names its culprit. Prints
 * "NAME: N inputs" and exits 0; a failed invariant aborts.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tifa/sbuf.h"

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    struct sbuf sb = SBUF_INIT;
    char chunk[65536];
    size_t n;
    if (!f) {
        perror(path);
        return -1;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        sbuf_add(&sb, chunk, n);
    fclose(f);
    /* a private copy of exactly the input's size, so sanitizers see over-reads */
    uint8_t *data = malloc(sb.len ? sb.len : 1);
    memcpy(data, sb.buf, sb.len);
    fprintf(stderr, "replay %s\n", path);
    LLVMFuzzerTestOneInput(data, sb.len);
    free(data);
    sbuf_release(&sb);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    size_t count = 0;
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        DIR *d = opendir(argv[i]);
        if (!d) {
            bad |= run_file(argv[i]);
            count++;
            continue;
        }
        char **names = NULL;
        size_t nn = 0;
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            if (de->d_name[0] == '.')
                continue;
            names = realloc(names, (nn + 1) * sizeof(*names));
            if (!names)
                abort();
            struct sbuf p = SBUF_INIT;
            sbuf_addf(&p, "%s/%s", argv[i], de->d_name);
            names[nn++] = sbuf_detach(&p, NULL);
        }
        closedir(d);
        qsort(names, nn, sizeof(*names), cmp_str);
        for (size_t k = 0; k < nn; k++) {
            bad |= run_file(names[k]);
            free(names[k]);
        }
        free(names);
        count += nn;
    }
    printf("%s: %zu inputs\n", argv[0], count);
    return bad ? 1 : 0;
}
