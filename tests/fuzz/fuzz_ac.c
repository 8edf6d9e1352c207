/* fuzz_ac: differential test of the Aho-Corasick matcher against a naive matcher, in both
 * semantics. Byte 0 picks the dense budget and the piece size, byte 1 the number of patterns,
 * then each pattern is a length byte and that many letters; the rest is the text, one letter a
 * byte. The 16 letters include what the scanner must see through: case and full-width forms,
 * a compatibility ideograph, white space, CR/LF and a zero-width space. The naive side models
 * ac.h's text rules directly: dropped characters are invisible, a white-space run between two
 * ASCII letters/digits is one space, two line breaks in one run (CRLF = one) end any match. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tifa/ac.h"
#include "tifa/sbuf.h"

static const struct {
    const char *raw;
    uint32_t cp; /* normalized; 0 = dropped */
    int han;
} abc[16] = {
    {"四", 0x56DB, 1},
    {"个", 0x4E2A, 1},
    {"意", 0x610F, 1},
    {"识", 0x8BC6, 1},
    {"a", 'a', 0},
    {"B", 'b', 0},
    {"\xEF\xBD\x83", 'c', 0} /* U+FF43 */,
    {"1", '1', 0},
    {" ", ' ', 0},
    {"\n", '\n', 0},
    {"\r", '\r', 0},
    {"\xE2\x80\x8B", 0, 0} /* U+200B */,
    {"\xE3\x80\x80", ' ', 0} /* U+3000 */,
    {"\xEF\xBC\xA1", 'a', 0} /* U+FF21 */,
    {"\xEF\xA4\x80", 0x8C48, 1} /* U+F900 */,
    {"\xE8\xB1\x88", 0x8C48, 1},
};

struct unit {
    uint32_t cp; /* 0 = paragraph break: matches nothing */
    uint64_t start, end;
};

/* Turns letters into the significant units the matcher sees; appends their bytes to @raw. */
static size_t units(const uint8_t *s, size_t n, int text, struct unit *u, struct sbuf *raw)
{
    size_t nu = 0;
    int in_ws = 0, prev_alnum = 0, prev_cr = 0;
    unsigned nl = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = abc[s[i] & 15].cp;
        size_t off = raw->len;
        sbuf_addstr(raw, abc[s[i] & 15].raw);
        if (cp == ' ' || cp == '\n' || cp == '\r') {
            nl += cp == '\r' || (cp == '\n' && !prev_cr);
            prev_cr = cp == '\r';
            in_ws = 1;
        } else if (cp) {
            if (in_ws && text && nl >= 2)
                u[nu++] = (struct unit){0, off, off};
            else if (in_ws && prev_alnum && cp < 0x80)
                u[nu++] = (struct unit){' ', off, off};
            in_ws = prev_cr = 0;
            nl = 0;
            prev_alnum = cp < 0x80;
            u[nu++] = (struct unit){cp, off, raw->len};
        }
    }
    return nu;
}

static void on_match(const struct ac_match *m, void *arg)
{
    sbuf_addf(arg, "%u:%llu-%llu;", m->pattern_id, (unsigned long long)m->start_off,
              (unsigned long long)m->end_off);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The ";"-terminated items of @s sorted, in place: a scanner without offsets may report the
 * matches of a piece's two lanes interleaved. */
static void sort_items(struct sbuf *s)
{
    size_t n = 0, k = 0;
    for (size_t i = 0; i < s->len; i++)
        n += s->buf[i] == ';';
    char **items = malloc((n + 1) * sizeof(*items));
    char *copy = malloc(s->len + 1);
    memcpy(copy, s->buf, s->len + 1);
    for (char *p = copy, *semi; (semi = strchr(p, ';')); p = semi + 1) {
        items[k++] = p;
        *semi = '\0';
    }
    qsort(items, k, sizeof(*items), cmp_str);
    sbuf_reset(s);
    for (size_t i = 0; i < k; i++)
        sbuf_addf(s, "%s;", items[i]);
    free(items);
    free(copy);
}

/* "id:start-end;" -> "id:0-0;": what a scanner without offsets reports. */
static void strip_offsets(const char *in, struct sbuf *out)
{
    for (const char *p = in; *p; p++) {
        if (*p == ':') {
            sbuf_add(out, ":0-0", 4);
            while (*p && *p != ';')
                p++;
            if (!*p)
                break;
        }
        sbuf_add(out, p, 1);
    }
}

static int at(const struct unit *t, size_t nt, size_t i, const struct unit *p, size_t pl)
{
    if (i + pl > nt)
        return 0;
    for (size_t k = 0; k < pl; k++)
        if (t[i + k].cp != p[k].cp)
            return 0;
    return 1;
}

static void naive(const struct unit *t, size_t nt, struct unit (*pu)[16], const size_t *pl,
                  size_t np, enum ac_mode mode, struct sbuf *out)
{
    for (size_t i = 0; mode == AC_OVERLAPPING && i < nt; i++) /* by end, longest first */
        for (size_t l = i + 1; l > 0; l--)
            for (size_t p = 0; p < np; p++)
                if (pl[p] == l && at(t, nt, i + 1 - l, pu[p], l))
                    sbuf_addf(out, "%zu:%llu-%llu;", p, (unsigned long long)t[i + 1 - l].start,
                              (unsigned long long)t[i].end);
    for (size_t i = 0, best = 0, bp = 0; mode == AC_LEFTMOST_LONGEST && i < nt; best = 0) {
        for (size_t p = 0; p < np; p++)
            if (pl[p] > best && at(t, nt, i, pu[p], pl[p]))
                best = pl[p], bp = p;
        if (best)
            sbuf_addf(out, "%zu:%llu-%llu;", bp, (unsigned long long)t[i].start,
                      (unsigned long long)t[i + best - 1].end);
        i += best ? best : 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t budgets[] = {1, 64, 0, 4096};
    struct ac_pattern pats[8];
    struct unit pu[8][16], *tu;
    size_t pl[8], np = 0, pos = 2;
    struct sbuf praw[8], text = SBUF_INIT;
    if (size < 2 || size > 4096)
        return 0;
    for (size_t n = 1 + data[1] % 8; n > 0 && pos < size; n--) {
        size_t len = 1 + data[pos++] % 6;
        len = len > size - pos ? size - pos : len;
        sbuf_init(&praw[np]);
        pl[np] = units(data + pos, len, 0, pu[np], &praw[np]);
        pos += len;
        if (!pl[np]) {
            sbuf_release(&praw[np]);
            continue; /* empty once normalized: ac_build would refuse it */
        }
        pats[np].text = praw[np].buf;
        pats[np].term_id = (uint32_t)np;
        np++;
    }
    tu = malloc(2 * (size - pos) * sizeof(*tu) + sizeof(*tu));
    size_t nt = units(data + pos, size - pos, 1, tu, &text);
    /* overlapping, and leftmost-longest as the DFA with restarts or (bit 5 of the first byte)
     * by candidates, what lexicons with long patterns get; two builds an input, not three,
     * because building is most of a run's time */
    struct ac *acs[2] = {NULL, NULL};
    struct tifa_err e;
    tifa_err_init(&e);
    for (int mode = 0; np && mode < 2; mode++) {
        struct ac_build_opts opts = {budgets[data[0] & 3], (enum ac_mode)mode,
                                     mode == AC_LEFTMOST_LONGEST && (data[0] & 32) ? 1 : 0};
        if (ac_build(&acs[mode], pats, np, &opts, &e))
            abort();
    }
    for (int run = 0; np && run < 4; run++) {
        int mode = run & 1, offsets = run < 2;
        const struct ac *ac = acs[mode];
        struct sbuf want = SBUF_INIT, got = SBUF_INIT;
        struct ac_scanner sc;
        naive(tu, nt, pu, pl, np, (enum ac_mode)mode, &want);
        if (!offsets) {
            struct sbuf stripped = SBUF_INIT;
            strip_offsets(want.buf, &stripped);
            sbuf_release(&want);
            want = stripped;
        }
        ac_scanner_init(&sc, ac, on_match, &got);
        if (!offsets) {
            ac_scanner_no_offsets(&sc);
            sc.lanes_min = 2; /* two lanes on every piece that has room for them */
        }
        for (size_t i = 0, piece = (data[0] >> 2) % 8, n; i < text.len; i += n) {
            n = piece ? piece : text.len;
            n = n > text.len - i ? text.len - i : n;
            while (i + n < text.len && ((unsigned char)text.buf[i + n] & 0xC0) == 0x80)
                n++;
            ac_scan(&sc, text.buf + i, n);
        }
        ac_scan_finish(&sc);
        uint64_t han = 0;
        for (size_t i = pos; i < size; i++)
            han += (uint64_t)abc[data[i] & 15].han;
        if (!offsets) {
            sort_items(&want);
            sort_items(&got);
        }
        if (strcmp(want.buf, got.buf) || sc.stats.bytes != text.len ||
            sc.stats.chars != size - pos || sc.stats.han != han)
            abort();
        ac_scanner_release(&sc);
        sbuf_release(&want);
        sbuf_release(&got);
    }
    ac_free(acs[0]);
    ac_free(acs[1]);
    for (size_t p = 0; p < np; p++)
        sbuf_release(&praw[p]);
    sbuf_release(&text);
    free(tu);
    return 0;
}
