/* fuzz_encoding: encoding detection and decoding of arbitrary bytes. The first byte picks the
 * encoding (detected, or forced) and seeds the piece sizes; the decoder must hand out valid
 * UTF-8 after every piece, and feeding in pieces must give what one feed gives. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tifa/encoding.h"
#include "tifa/utf8.h"

static const char *const forced[] = {"UTF-8", "GB18030", "BIG5", "UTF-16LE", "UTF-32BE"};

static size_t decode(const char *name, const uint8_t *in, size_t len, unsigned seed,
                     struct sbuf *out, size_t *ninvalid)
{
    struct decoder d;
    struct tifa_err e;
    tifa_err_init(&e);
    if (decoder_init(&d, name, 0, &e))
        abort();
    size_t i = 0;
    do {
        size_t n = len - i, before = out->len;
        if (seed) {
            seed = seed * 1103515245u + 12345u;
            n = 1 + (seed >> 16) % 7 < n ? 1 + (seed >> 16) % 7 : n;
        }
        decoder_feed(&d, in + i, n, i + n == len, out);
        if (!utf8_is_valid((const unsigned char *)out->buf + before, out->len - before))
            abort();
        i += n;
    } while (i < len);
    *ninvalid = d.invalid;
    if (d.invalid && (d.first_invalid_off < 0 || (size_t)d.first_invalid_off >= len))
        abort();
    decoder_release(&d);
    return out->len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct enc_guess g;
    struct sbuf whole = SBUF_INIT, pieces = SBUF_INIT;
    size_t inv1, inv2;
    if (size < 1)
        return 0;
    if (utf8_valid_prefix(data, size) != utf8_valid_prefix_scalar(data, size))
        abort();
    encoding_detect(data + 1, size - 1, 1, &g);
    if (g.bom_len > size - 1 || !g.name[0])
        abort();
    struct enc_guess half; /* an incomplete sample must not confuse detection either */
    encoding_detect(data + 1, (size - 1) / 2, 0, &half);
    const char *name = data[0] < 128 ? g.name : forced[data[0] % 5];
    size_t skip = data[0] < 128 ? g.bom_len : 0;
    decode(name, data + 1 + skip, size - 1 - skip, 0, &whole, &inv1);
    decode(name, data + 1 + skip, size - 1 - skip, data[0] | 1u, &pieces, &inv2);
    if (whole.len != pieces.len || memcmp(whole.buf, pieces.buf, whole.len) || inv1 != inv2)
        abort();
    sbuf_release(&whole);
    sbuf_release(&pieces);
    return 0;
}
