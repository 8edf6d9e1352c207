/* fuzz_lexicon: the lexicon parsers (list, TSV, JSON, auto) on arbitrary bytes; the first byte
 * picks the format. A lexicon that loads must finish, build an automaton, and survive a round
 * trip through lexicon_write_tsv and lexicon_write_json with the same number of labels. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tifa/matcher.h"

static size_t reload(const struct sbuf *text, enum lex_format fmt)
{
    struct lexicon lx;
    struct tifa_err e;
    tifa_err_init(&e);
    lexicon_init(&lx);
    if (lexicon_load_buf(&lx, text->buf, text->len, "again", fmt, &e) || lexicon_finish(&lx, &e))
        abort();
    size_t n = lx.nlabels;
    lexicon_release(&lx);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const enum lex_format fmts[] = {LEX_AUTO, LEX_LIST, LEX_TSV, LEX_JSON};
    struct lexicon lx;
    struct tifa_err e;
    struct ac *ac;
    if (size < 1)
        return 0;
    char *buf = malloc(size - 1 ? size - 1 : 1); /* exact size: ASan sees any over-read */
    memcpy(buf, data + 1, size - 1);
    tifa_err_init(&e);
    lexicon_init(&lx);
    if (!lexicon_load_buf(&lx, buf, size - 1, "fuzz", fmts[data[0] % 4], &e) &&
        !lexicon_finish(&lx, &e) && lx.nlabels) {
        if (matcher_build(&lx, (enum ac_mode)(data[0] >> 2 & 1), &ac, &e))
            abort();
        ac_free(ac);
        struct sbuf tsv = SBUF_INIT, json = SBUF_INIT;
        lexicon_write_tsv(&lx, &tsv);
        lexicon_write_json(&lx, &json);
        if (reload(&tsv, LEX_TSV) != lx.nlabels || reload(&json, LEX_JSON) != lx.nlabels)
            abort();
        sbuf_release(&tsv);
        sbuf_release(&json);
    }
    lexicon_release(&lx);
    free(buf);
    return 0;
}
