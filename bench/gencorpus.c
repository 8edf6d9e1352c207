/*
 * gencorpus: deterministic benchmark corpora and lexicons from the sample speeches.
 *
 * How it works
 *
 * Sentences. The source files (given in the order of the command line) are cut into sentences
 * after 。！？ and at line ends (the line break itself is dropped). Each sentence remembers whether
 * a line end followed it in the source.
 *
 * Dealing. A splitmix64 generator seeded from SEED shuffles the sentence list (Fisher-Yates);
 * sentences are written in that order, and the list is shuffled again each time it runs out. A
 * sentence that ended a line is followed by "\n" when it ends with 。！？ and by "\n\n" (a
 * paragraph break) otherwise, so no formula can run across a line break: grep and rg, which
 * match line by line, then see the same matches as tifa, which skips single line breaks inside
 * a formula. File sizes are drawn uniformly from [MIN_BYTES, MAX_BYTES]; a file is closed at the
 * first sentence end at or past its size. Files go to OUT/dNNN/fNNNNNNN.txt, 1000 per folder.
 * Same arguments and same source files, same bytes.
 *
 * Trees. `tree` writes COUNT files of about BYTES bytes each (one or two sentences) for the
 * scaling rows of make bench. DEPTH 0: all of them in OUT itself, one folder of COUNT entries.
 * DEPTH D > 0: 50 files per folder, folders in chains D deep (OUT/cG/l/l/.../l, the k-th folder
 * of a chain at depth k), so a tree of a million files has 20,000 folders and paths of up to
 * 2 * D + 20 bytes.
 *
 * Terms. `terms` counts every substring of 4 to 8 Han characters (U+4E00..U+9FFF) in the
 * sources and prints the N most frequent ones (ties in byte order), leaving out those listed in
 * EXCLUDE (one per line: the built-in patterns, so the lexicon has no duplicates). `rterms`
 * prints the same strings with their characters in reverse order: an automaton of the same
 * size and alphabet whose patterns seldom occur in the text (the cost of a big lexicon apart
 * from the cost of frequent matches). `sterms` is `terms` for substrings of 2 to 4 Han characters:
 * a short, match-dense list (the cost of reporting and counting each match).
 *
 * usage: gencorpus files OUT TOTAL_BYTES MIN_BYTES MAX_BYTES SEED SOURCE...
 *        gencorpus nfiles OUT COUNT MIN_BYTES MAX_BYTES SEED SOURCE...
 *        gencorpus tree OUT COUNT BYTES DEPTH SEED SOURCE...
 *        gencorpus one FILE TOTAL_BYTES SEED SOURCE...
 *        gencorpus terms N EXCLUDE SOURCE...
 *        gencorpus rterms N EXCLUDE SOURCE...
 *        gencorpus sterms N EXCLUDE SOURCE...
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct sentence {
    const unsigned char *s;
    size_t len;
    int eol;      /* a line end followed it */
    int term;     /* it ends with 。！？ */
};

static struct sentence *sents;
static size_t nsents, sents_alloc;

static void die(const char *msg, const char *arg)
{
    fprintf(stderr, "gencorpus: %s%s%s\n", msg, arg ? " " : "", arg ? arg : "");
    exit(2);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("out of memory", NULL);
    return p;
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot open", path);
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = xrealloc(NULL, cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            buf = xrealloc(buf, cap *= 2);
    }
    fclose(f);
    *len = n;
    return buf;
}

static int is_terminator(const unsigned char *p, size_t avail)
{
    if (avail < 3)
        return 0;
    return (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x82) ||  /* 。 */
           (p[0] == 0xEF && p[1] == 0xBC && (p[2] == 0x81 || p[2] == 0x9F));  /* ！ ？ */
}

static void add_sentence(const unsigned char *s, size_t len, int eol, int term)
{
    if (!len)
        return;
    if (nsents == sents_alloc) {
        sents_alloc = sents_alloc ? 2 * sents_alloc : 1024;
        sents = xrealloc(sents, sents_alloc * sizeof(*sents));
    }
    sents[nsents].s = s;
    sents[nsents].len = len;
    sents[nsents].eol = eol;
    sents[nsents].term = term;
    nsents++;
}

static void load_sentences(char **paths, int n)
{
    for (int k = 0; k < n; k++) {
        size_t len, i = 0, start = 0;
        const unsigned char *t = slurp(paths[k], &len);  /* kept until exit */
        while (i < len) {
            if (t[i] == '\n' || t[i] == '\r') {
                int term = i - start >= 3 && is_terminator(t + i - 3, 3);
                add_sentence(t + start, i - start, 1, term);
                if (t[i] == '\r' && i + 1 < len && t[i + 1] == '\n')
                    i++;
                start = ++i;
            } else if (is_terminator(t + i, len - i)) {
                i += 3;
                int eol = i == len || t[i] == '\n' || t[i] == '\r';
                if (!eol)
                    add_sentence(t + start, i - start, 0, 1);
                else
                    continue;  /* the line end adds it, with eol set */
                start = i;
            } else {
                i++;
            }
        }
        add_sentence(t + start, len - start, 1, len - start >= 3 && is_terminator(t + len - 3, 3));
    }
    if (!nsents)
        die("no sentences in the sources", NULL);
}

/* splitmix64 (Steele, Lea, Flood 2014): tiny, fast, fully determined by the seed. */
static uint64_t rng_state;
static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static uint64_t rng_below(uint64_t n)
{
    return n ? rng_next() % n : 0;
}

static size_t *order;
static size_t order_pos;

static const struct sentence *next_sentence(void)
{
    if (!order) {
        order = xrealloc(NULL, nsents * sizeof(*order));
        for (size_t i = 0; i < nsents; i++)
            order[i] = i;
        order_pos = nsents;
    }
    if (order_pos == nsents) {
        for (size_t i = nsents - 1; i > 0; i--) {
            size_t j = (size_t)rng_below(i + 1), tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        order_pos = 0;
    }
    return &sents[order[order_pos++]];
}

/* Writes sentences to @f until at least @want bytes; returns bytes written. */
static uint64_t write_sentences(FILE *f, uint64_t want)
{
    uint64_t n = 0;
    while (n < want) {
        const struct sentence *s = next_sentence();
        fwrite(s->s, 1, s->len, f);
        n += s->len;
        if (s->eol) {
            const char *sep = s->term ? "\n" : "\n\n";
            fputs(sep, f);
            n += strlen(sep);
        }
    }
    return n;
}

static uint64_t parse_u64(const char *s)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (!*s || *end || errno)
        die("not a number:", s);
    return v;
}

static void mkdir_ok(const char *path)
{
    if (mkdir(path, 0777) && errno != EEXIST)
        die("cannot create", path);
}

/* files: stop at TOTAL_BYTES; nfiles: stop after COUNT files. */
static int cmd_files(int argc, char **argv, int by_count)
{
    if (argc < 8)
        die("usage: gencorpus files|nfiles OUT TOTAL_BYTES|COUNT MIN_BYTES MAX_BYTES SEED SOURCE...",
            NULL);
    const char *out = argv[2];
    uint64_t total = parse_u64(argv[3]), lo = parse_u64(argv[4]), hi = parse_u64(argv[5]);
    rng_state = parse_u64(argv[6]);
    if (!lo || hi < lo)
        die("need 0 < MIN_BYTES <= MAX_BYTES", NULL);
    load_sentences(argv + 7, argc - 7);
    mkdir_ok(out);
    uint64_t done = 0;
    char path[4096];
    for (size_t k = 0; by_count ? k < total : done < total; k++) {
        if (k % 1000 == 0) {
            snprintf(path, sizeof(path), "%s/d%03zu", out, k / 1000);
            mkdir_ok(path);
        }
        snprintf(path, sizeof(path), "%s/d%03zu/f%07zu.txt", out, k / 1000, k);
        FILE *f = fopen(path, "wb");
        if (!f)
            die("cannot create", path);
        uint64_t size = lo + rng_below(hi - lo + 1);
        done += write_sentences(f, size);
        if (fclose(f))
            die("cannot write", path);
    }
    return 0;
}

static int cmd_tree(int argc, char **argv)
{
    if (argc < 8)
        die("usage: gencorpus tree OUT COUNT BYTES DEPTH SEED SOURCE...", NULL);
    const char *out = argv[2];
    uint64_t count = parse_u64(argv[3]), bytes = parse_u64(argv[4]), depth = parse_u64(argv[5]);
    rng_state = parse_u64(argv[6]);
    if (!bytes || depth > 1000)
        die("need 0 < BYTES and DEPTH <= 1000", NULL);
    load_sentences(argv + 7, argc - 7);
    mkdir_ok(out);
    static char dir[8192], path[8300];
    for (uint64_t k = 0; k < count; k++) {
        if (!depth) {
            snprintf(dir, sizeof(dir), "%s", out);
        } else if (k % 50 == 0) {
            uint64_t folder = k / 50, chain = folder / depth, level = folder % depth;
            int n = snprintf(dir, sizeof(dir), "%s/c%05llu", out, (unsigned long long)chain);
            if (level == 0)
                mkdir_ok(dir);
            for (uint64_t l = 0; l <= level; l++)
                n += snprintf(dir + n, sizeof(dir) - (size_t)n, "/l");
            mkdir_ok(dir);
        }
        snprintf(path, sizeof(path), "%s/f%07llu.txt", dir, (unsigned long long)k);
        FILE *f = fopen(path, "wb");
        if (!f)
            die("cannot create", path);
        write_sentences(f, bytes);
        if (fclose(f))
            die("cannot write", path);
    }
    return 0;
}

static int cmd_one(int argc, char **argv)
{
    if (argc < 6)
        die("usage: gencorpus one FILE TOTAL_BYTES SEED SOURCE...", NULL);
    uint64_t total = parse_u64(argv[3]);
    rng_state = parse_u64(argv[4]);
    load_sentences(argv + 5, argc - 5);
    FILE *f = fopen(argv[2], "wb");
    if (!f)
        die("cannot create", argv[2]);
    static char buf[1 << 20];
    setvbuf(f, buf, _IOFBF, sizeof(buf));
    write_sentences(f, total);
    if (fclose(f))
        die("cannot write", argv[2]);
    return 0;
}

/* ---- terms: frequent Han substrings ---- */

struct gram {
    char *s;
    uint64_t count;
};

static struct gram *grams;
static size_t gcap, ngrams;

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static void gram_add(const char *s, size_t n)
{
    if ((ngrams + 1) * 2 > gcap) {
        struct gram *old = grams;
        size_t oldcap = gcap;
        gcap = gcap ? gcap * 2 : 1 << 16;
        grams = calloc(gcap, sizeof(*grams));
        if (!grams)
            die("out of memory", NULL);
        for (size_t i = 0; i < oldcap; i++) {
            if (!old[i].s)
                continue;
            size_t j = hash_bytes(old[i].s, strlen(old[i].s)) & (gcap - 1);
            while (grams[j].s)
                j = (j + 1) & (gcap - 1);
            grams[j] = old[i];
        }
        free(old);
    }
    size_t j = hash_bytes(s, n) & (gcap - 1);
    while (grams[j].s && (strlen(grams[j].s) != n || memcmp(grams[j].s, s, n)))
        j = (j + 1) & (gcap - 1);
    if (!grams[j].s) {
        grams[j].s = xrealloc(NULL, n + 1);
        memcpy(grams[j].s, s, n);
        grams[j].s[n] = 0;
        ngrams++;
    }
    grams[j].count++;
}

static int is_han3(const unsigned char *p)
{
    /* U+4E00..U+9FFF is E4 B8 80 .. E9 BF BF */
    return p[0] >= 0xE4 && p[0] <= 0xE9 && (p[0] != 0xE4 || p[1] >= 0xB8) &&
           (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80;
}

static int cmp_gram(const void *a, const void *b)
{
    const struct gram *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->s, y->s);
}

/* Prints @s (Han characters of 3 bytes each) with its characters in reverse order. */
static void put_reversed(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = n; i >= 3; i -= 3)
        fwrite(s + i - 3, 1, 3, stdout);
    putchar('\n');
}

static int cmd_terms(int argc, char **argv, int reversed, size_t minlen, size_t maxlen)
{
    if (argc < 5)
        die("usage: gencorpus terms|rterms|sterms N EXCLUDE SOURCE...", NULL);
    uint64_t want = parse_u64(argv[2]);
    size_t exlen;
    char *ex = (char *)slurp(argv[3], &exlen);
    ex = xrealloc(ex, exlen + 1);
    ex[exlen] = 0;
    for (int k = 4; k < argc; k++) {
        size_t len;
        unsigned char *t = slurp(argv[k], &len);
        size_t i = 0;
        while (i + 3 <= len) {
            if (!is_han3(t + i)) {
                i++;
                continue;
            }
            size_t j = i;
            while (j + 3 <= len && is_han3(t + j))
                j += 3;
            size_t ncp = (j - i) / 3;
            for (size_t a = 0; a < ncp; a++)
                for (size_t n = minlen; n <= maxlen && a + n <= ncp; n++)
                    gram_add((const char *)t + i + 3 * a, 3 * n);
            i = j;
        }
        free(t);
    }
    struct gram *v = xrealloc(NULL, (ngrams + 1) * sizeof(*v));
    size_t n = 0;
    for (size_t i = 0; i < gcap; i++)
        if (grams[i].s)
            v[n++] = grams[i];
    qsort(v, n, sizeof(*v), cmp_gram);
    uint64_t printed = 0;
    for (size_t i = 0; i < n && printed < want; i++) {
        /* skip exact duplicates of an excluded line */
        size_t sl = strlen(v[i].s);
        const char *p = ex;
        int dup = 0;
        while ((p = strstr(p, v[i].s)) != NULL) {
            if ((p == ex || p[-1] == '\n') && (p[sl] == '\n' || p[sl] == 0)) {
                dup = 1;
                break;
            }
            p += sl;
        }
        if (dup)
            continue;
        if (reversed)
            put_reversed(v[i].s);
        else
            puts(v[i].s);
        printed++;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "files"))
        return cmd_files(argc, argv, 0);
    if (argc >= 2 && !strcmp(argv[1], "nfiles"))
        return cmd_files(argc, argv, 1);
    if (argc >= 2 && !strcmp(argv[1], "one"))
        return cmd_one(argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "tree"))
        return cmd_tree(argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "terms"))
        return cmd_terms(argc, argv, 0, 4, 8);
    if (argc >= 2 && !strcmp(argv[1], "rterms"))
        return cmd_terms(argc, argv, 1, 4, 8);
    if (argc >= 2 && !strcmp(argv[1], "sterms"))
        return cmd_terms(argc, argv, 0, 2, 4);
    die("usage: gencorpus files|nfiles|tree|one|terms|rterms|sterms ... (see the comment at the top of bench/gencorpus.c)",
        NULL);
    return 2;
}
