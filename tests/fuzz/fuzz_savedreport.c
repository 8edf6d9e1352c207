/* fuzz_savedreport: the saved-report reader used by diff and merge, on arbitrary bytes. It must
 * accept or reject without crashing or leaking, and what it accepts must be consistent: every
 * count names a known term, and savedreport_term finds every term at its own index. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tifa/savedreport.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct savedreport r;
    struct tifa_err e;
    char *buf = malloc(size ? size : 1); /* exact size: ASan sees any over-read */
    memcpy(buf, data, size);
    tifa_err_init(&e);
    if (!savedreport_parse(&r, buf, size, "fuzz", &e)) {
        for (size_t t = 0; t < r.terms.n; t++)
            if (savedreport_term(&r, intern_str(&r.terms, t)) != t)
                abort();
        for (size_t d = 0; d < r.ndocs; d++)
            for (size_t c = 0; c < r.docs[d].ncounts; c++)
                if (r.docs[d].counts[c].term_id >= r.terms.n || !r.docs[d].counts[c].count)
                    abort();
    } else if (!e.code || !e.msg[0]) {
        abort(); /* a rejection must say why */
    }
    savedreport_release(&r);
    free(buf);
    return 0;
}
