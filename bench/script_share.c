/*
 * script_share: prints script_trad_share (script.h) of the first SCRIPT_SAMPLE_BYTES of each
 * decoded file named on the command line, one "share<TAB>path" line each: the measurement behind
 * SCRIPT_AUTO_THRESHOLD (bench/NOTES.md). Build: make build/script_share.
 */
#include <stdio.h>
#include <string.h>

#include "tifa/sbuf.h"
#include "tifa/script.h"
#include "tifa/source.h"

static void on_piece(const char *utf8, size_t len, void *arg)
{
    struct sbuf *sample = arg;
    if (sample->len < SCRIPT_SAMPLE_BYTES)
        sbuf_add(sample, utf8, len);
}

int main(int argc, char **argv)
{
    struct tifa_err e;
    struct script_fold *f;
    struct source_buf b;
    struct sbuf sample = SBUF_INIT;
    tifa_err_init(&e);
    if (script_fold_open(&f, argc > 1 && !strncmp(argv[1], "-c", 2) ? argv[1] + 2 : NULL, &e))
        return 2;
    source_buf_init(&b);
    for (int i = 1; i < argc; i++) {
        struct source_info info;
        if (!strncmp(argv[i], "-c", 2))
            continue;
        sbuf_reset(&sample);
        if (source_read(argv[i], NULL, &b, on_piece, &sample, &info, &e)) {
            fprintf(stderr, "script_share: %s: %s\n", argv[i], e.msg);
            tifa_err_init(&e);
            continue;
        }
        printf("%.4f\t%s\n", script_trad_share(f, sample.buf, sample.len, SCRIPT_SAMPLE_BYTES),
               argv[i]);
    }
    sbuf_release(&sample);
    source_buf_release(&b);
    script_fold_close(f);
    return 0;
}
