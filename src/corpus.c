/*
 * corpus: counting many documents on several threads, in order; one large file on all of them.
 *
 * How it works: with N threads, N - 1 workers and the calling thread take JOBS from shared
 * state under one mutex: a job is either a whole file (the next file index, never more than
 * CORPUS_WINDOW ahead of the next index to deliver) or one chunk of a file being counted in
 * chunks; chunks are taken first, those of the lowest file index first, so a split file is
 * finished by every thread before new files are started and the reorder window stays bounded.
 * Each thread owns a scanner, a tally and read buffers (thread lifetime), counts the document
 * and freezes its tally into a slot of the window. The calling thread delivers slots in index
 * order as they complete, runs a job itself whenever the next document to deliver is not
 * ready, and sleeps only when there is no job; a worker wakes it only when it finishes that
 * very document (or publishes chunks). With one thread the same code runs without any worker
 * and nothing is ever split: the caller counts each file itself.
 *
 * Large files: a whole-file job asks source_read_or_split() to plan the file in chunks when
 * it is a regular UTF-8 file of at least CORPUS_SPLIT_MIN bytes; borders fall only at split
 * points where the scanner has no match in progress (a paragraph break, or U+3002 when no
 * pattern holds it: see source.h), so every chunk is scanned from a reset scanner and the sums
 * are exactly the counts of one scan. The planning thread publishes a struct split (the open
 * file, its borders, a tally and sums for the whole document); whoever counts a chunk adds its
 * tally and text statistics (bytes, chars, han, invalid; the first invalid offset is the least
 * over chunks, each a file offset) under the mutex, and whoever adds the last one freezes the
 * document into its slot. A read error keeps the message of the lowest failing chunk.
 * Determinism: the delivered document does not depend on the thread count or on which thread
 * counted which chunk (sums commute; agg_tally_freeze sorts). The hidden TIFA_CHUNK_BYTES=N
 * (tests) sets chunks of N bytes, files of 2N bytes or more split, split-point search windows
 * of min(N, 1 MiB).
 * Memory: per thread one 1 MiB read buffer, its decoded piece and a 64 KiB search buffer; per
 * split file being counted (at most about one per thread) one tally; never a whole file.
 * Binary files: for a file with corpus_opts.sniff set, the reader checks its first
 * WALK_SNIFF_LEN bytes for a NUL before anything else (source_read_or_split's sniff_len) and
 * the document is delivered as an error with code TIFA_ESKIP and message "binary"; the
 * commands list it as skipped. The walk used to open every file to check this, on one thread.
 * With corpus_opts.head_len, the piece callback also copies the start of the decoded text into
 * a per-worker buffer (kept across documents) that is duplicated into agg_doc.head; of a split
 * file only chunk 0 does, and chunks are never shorter than head_len.
 */
#include "tifa/corpus.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tifa/normalize.h"
#include "tifa/source.h"
#include "tifa/utf8.h"
#include "tifa/walk.h"
#include "tifa/xalloc.h"

#define CORPUS_WINDOW 64
/* Files of at least CORPUS_SPLIT_MIN bytes are split in chunks of about CORPUS_CHUNK bytes;
 * a split point is looked for up to CORPUS_SPLIT_SEARCH bytes past each nominal border. */
#define CORPUS_SPLIT_MIN (16ull << 20)
#define CORPUS_CHUNK (8ull << 20)
#define CORPUS_SPLIT_SEARCH (1ull << 20)

struct worker_ctx {
    struct ac_scanner sc;
    struct agg_tally tally;
    struct source_buf buf;
    struct sbuf head; /* the first o->head_len bytes of the document, when asked */
    size_t head_len;
};

struct slot {
    int done;
    int failed;
    struct agg_doc doc;
    struct tifa_err err;
};

/* A file counted in chunks: published in shared.splits until its last chunk is added. */
struct split {
    struct split *next; /* by file index */
    size_t idx;
    struct source_chunks chunks;
    size_t next_chunk, ndone;
    struct agg_tally acc; /* the sum of the chunks' tallies */
    uint64_t bytes, chars, han, invalid;
    long long first_invalid_off;
    char *head; /* chunk 0's head, when asked */
    size_t head_len;
    int failed;
    size_t err_chunk;
    struct tifa_err err;
};

struct job {
    struct split *sp; /* NULL: the whole file idx */
    size_t idx, k;
};

struct shared {
    const char *const *paths;
    size_t nfiles;
    const struct lexicon *lx;
    const struct ac *ac;
    const struct corpus_opts *o;
    struct source_split_opts split;
    pthread_mutex_t mu;
    pthread_cond_t cv_work, cv_done;
    size_t next_take, next_deliver;
    unsigned nidle;      /* workers waiting on cv_work for a job */
    unsigned nundecided; /* whole-file jobs running that may still publish chunks */
    struct split *splits;
    struct corpus_stats stats;
    struct slot window[CORPUS_WINDOW];
};

static void on_match(const struct ac_match *m, void *arg)
{
    agg_tally_add(arg, m->term_id);
}

static void on_piece(const char *utf8, size_t len, void *arg)
{
    struct worker_ctx *w = arg;
    if (w->head.len < w->head_len) {
        size_t take = w->head_len - w->head.len;
        if (take > len)
            take = len;
        /* pieces end on code-point boundaries; a cut inside one is moved back to a boundary */
        take = utf8_valid_prefix((const unsigned char *)utf8, take);
        sbuf_add(&w->head, utf8, take);
        if (take < len && w->head.len < w->head_len)
            w->head_len = w->head.len; /* stop here: the next piece would not follow on */
    }
    ac_scan(&w->sc, utf8, len);
}

static void worker_init(struct worker_ctx *w, const struct shared *sh)
{
    agg_tally_init(&w->tally, sh->lx->nlabels);
    ac_scanner_init(&w->sc, sh->ac, on_match, &w->tally);
    ac_scanner_no_offsets(&w->sc); /* count needs no offsets */
    source_buf_init(&w->buf);
    sbuf_init(&w->head);
    w->head_len = 0;
}

static void worker_release(struct worker_ctx *w)
{
    ac_scanner_release(&w->sc);
    agg_tally_release(&w->tally);
    source_buf_release(&w->buf);
    sbuf_release(&w->head);
}

static void tally_clear(struct agg_tally *t)
{
    for (size_t i = 0; i < t->ntouched; i++)
        t->counts[t->touched[i]] = 0;
    t->ntouched = 0;
}

/* Adds @src into @dst and clears @src. */
static void tally_move(struct agg_tally *dst, struct agg_tally *src)
{
    for (size_t i = 0; i < src->ntouched; i++) {
        uint32_t id = src->touched[i];
        if (!dst->counts[id])
            dst->touched[dst->ntouched++] = id;
        dst->counts[id] += src->counts[id];
        src->counts[id] = 0;
    }
    src->ntouched = 0;
}

/*
 * Counts file @idx into @s; with @may_split, a large UTF-8 file is planned instead and
 * returned as a new split (nothing in @s is set then).
 */
static struct split *count_one(struct worker_ctx *w, const struct shared *sh, size_t idx,
                               struct slot *s, int may_split)
{
    struct source_info info;
    struct source_chunks ch;
    tifa_err_init(&s->err);
    ac_scanner_reset(&w->sc);
    memset(&s->doc, 0, sizeof(s->doc));
    sbuf_reset(&w->head);
    w->head_len = sh->o->head_len;
    size_t sniff_len = sh->o->sniff && sh->o->sniff[idx] ? WALK_SNIFF_LEN : 0;
    int rc = source_read_or_split(sh->paths[idx], sh->o->encoding, sniff_len,
                                  may_split ? &sh->split : NULL, &w->buf, on_piece, w, &info, &ch,
                                  &s->err);
    if (rc == SOURCE_BINARY)
        rc = tifa_err_set(&s->err, TIFA_ESKIP, sh->paths[idx], 0, -1, "binary");
    if (rc == 1) {
        struct split *sp = xcalloc(1, sizeof(*sp));
        sp->idx = idx;
        sp->chunks = ch;
        agg_tally_init(&sp->acc, sh->lx->nlabels);
        sp->first_invalid_off = -1;
        tifa_err_init(&sp->err);
        return sp;
    }
    ac_scan_finish(&w->sc);
    s->doc.path = xstrdup(sh->paths[idx]);
    if (rc) {
        tally_clear(&w->tally); /* discard the partial tally */
        s->failed = 1;
        return NULL;
    }
    s->failed = 0;
    snprintf(s->doc.encoding, sizeof(s->doc.encoding), "%s", info.encoding);
    s->doc.bytes = info.bytes;
    s->doc.chars = w->sc.stats.chars;
    s->doc.han = w->sc.stats.han;
    s->doc.invalid = info.invalid;
    s->doc.first_invalid_off = info.first_invalid_off;
    agg_tally_freeze(&w->tally, sh->lx, &s->doc);
    if (sh->o->head_len) {
        s->doc.head = xstrndup(w->head.buf, w->head.len);
        s->doc.head_len = w->head.len;
    }
    return NULL;
}

/* The document of a split whose chunks are all added (no other thread refers to it). */
static void split_finish(const struct shared *sh, struct split *sp, struct slot *s)
{
    memset(&s->doc, 0, sizeof(s->doc));
    s->doc.path = xstrdup(sh->paths[sp->idx]);
    if (sp->failed) {
        s->failed = 1;
        s->err = sp->err;
    } else {
        s->failed = 0;
        snprintf(s->doc.encoding, sizeof(s->doc.encoding), "%s", sp->chunks.encoding);
        s->doc.bytes = sp->bytes;
        s->doc.chars = sp->chars;
        s->doc.han = sp->han;
        s->doc.invalid = sp->invalid;
        s->doc.first_invalid_off = sp->first_invalid_off;
        agg_tally_freeze(&sp->acc, sh->lx, &s->doc);
        if (sh->o->head_len) {
            s->doc.head = sp->head ? sp->head : xstrndup("", 0);
            s->doc.head_len = sp->head_len;
            sp->head = NULL;
        }
    }
    free(sp->head);
    agg_tally_release(&sp->acc);
    source_chunks_release(&sp->chunks);
    free(sp);
}

/* Takes the next job, with sh->mu held; 0 when there is none now. */
static int take_job(struct shared *sh, struct job *j)
{
    for (struct split *sp = sh->splits; sp; sp = sp->next) {
        if (sp->next_chunk < sp->chunks.nchunks) {
            j->sp = sp;
            j->k = sp->next_chunk++;
            return 1;
        }
    }
    if (sh->next_take < sh->nfiles && sh->next_take < sh->next_deliver + CORPUS_WINDOW) {
        j->sp = NULL;
        j->idx = sh->next_take++;
        sh->nundecided++;
        return 1;
    }
    return 0;
}

/* Runs @j; called and returns with sh->mu held (it is released while counting). */
static void run_job(struct worker_ctx *w, struct shared *sh, const struct job *j)
{
    if (!j->sp) {
        struct slot *s = &sh->window[j->idx % CORPUS_WINDOW];
        pthread_mutex_unlock(&sh->mu);
        struct split *sp = count_one(w, sh, j->idx, s, 1);
        pthread_mutex_lock(&sh->mu);
        sh->nundecided--;
        if (sp) {
            struct split **pp = &sh->splits;
            while (*pp && (*pp)->idx < sp->idx)
                pp = &(*pp)->next;
            sp->next = *pp;
            *pp = sp;
            sh->stats.split_files++;
            sh->stats.chunks += sp->chunks.nchunks;
            if (sh->nidle)
                pthread_cond_broadcast(&sh->cv_work);
            pthread_cond_signal(&sh->cv_done); /* the calling thread may help too */
        } else {
            s->done = 1;
            /* only the delivering thread waits on cv_done, and only for next_deliver: waking
             * it for any other slot is a wasted context switch (thousands on many small files) */
            if (j->idx == sh->next_deliver)
                pthread_cond_signal(&sh->cv_done);
        }
        if (!sh->nundecided && sh->next_take >= sh->nfiles && sh->nidle)
            pthread_cond_broadcast(&sh->cv_work); /* no more jobs can appear: workers may go */
        return;
    }

    struct split *sp = j->sp;
    struct source_info info;
    struct tifa_err err;
    char *head = NULL;
    size_t head_len = 0;
    pthread_mutex_unlock(&sh->mu);
    tifa_err_init(&err);
    ac_scanner_reset(&w->sc);
    sbuf_reset(&w->head);
    w->head_len = j->k == 0 ? sh->o->head_len : 0;
    int rc =
        source_read_chunk(&sp->chunks, sh->paths[sp->idx], j->k, &w->buf, on_piece, w, &info, &err);
    ac_scan_finish(&w->sc);
    if (j->k == 0 && sh->o->head_len) {
        head = xstrndup(w->head.buf, w->head.len);
        head_len = w->head.len;
    }
    pthread_mutex_lock(&sh->mu);
    if (rc) {
        tally_clear(&w->tally);
        if (!sp->failed || j->k < sp->err_chunk) {
            sp->failed = 1;
            sp->err_chunk = j->k;
            sp->err = err;
        }
    } else {
        tally_move(&sp->acc, &w->tally);
        sp->bytes += info.bytes;
        sp->chars += w->sc.stats.chars;
        sp->han += w->sc.stats.han;
        sp->invalid += info.invalid;
        if (info.first_invalid_off >= 0 &&
            (sp->first_invalid_off < 0 || info.first_invalid_off < sp->first_invalid_off))
            sp->first_invalid_off = info.first_invalid_off;
    }
    if (head) {
        sp->head = head;
        sp->head_len = head_len;
    }
    if (++sp->ndone < sp->chunks.nchunks)
        return;
    struct split **pp = &sh->splits;
    while (*pp != sp)
        pp = &(*pp)->next;
    *pp = sp->next;
    size_t idx = sp->idx;
    struct slot *s = &sh->window[idx % CORPUS_WINDOW];
    pthread_mutex_unlock(&sh->mu);
    split_finish(sh, sp, s);
    pthread_mutex_lock(&sh->mu);
    s->done = 1;
    if (idx == sh->next_deliver)
        pthread_cond_signal(&sh->cv_done);
}

static void *worker_main(void *arg)
{
    struct shared *sh = arg;
    struct worker_ctx w;
    struct job j;
    worker_init(&w, sh);
    pthread_mutex_lock(&sh->mu);
    for (;;) {
        if (take_job(sh, &j)) {
            run_job(&w, sh, &j);
            continue;
        }
        /* no job now: done when no file is left and none being opened can still split */
        if (sh->next_take >= sh->nfiles && !sh->nundecided)
            break;
        sh->nidle++;
        pthread_cond_wait(&sh->cv_work, &sh->mu);
        sh->nidle--;
    }
    pthread_mutex_unlock(&sh->mu);
    worker_release(&w);
    return NULL;
}

static void deliver(struct slot *s, size_t idx, corpus_doc_fn *fn, void *arg)
{
    if (s->failed)
        fn(idx, NULL, &s->err, arg);
    else
        fn(idx, &s->doc, NULL, arg);
    agg_doc_release(&s->doc);
    s->done = 0;
}

/* Whether U+3002 may end a chunk: in no pattern, and a plain significant character. */
static int stop_is_split_point(const struct lexicon *lx)
{
    uint32_t stop = normalize_cp(0x3002);
    if (stop == NORM_DROP)
        return 0;
    switch (normalize_class(stop)) {
    case CC_SPACE:
    case CC_NEWLINE:
    case CC_LATIN:
    case CC_DIGIT: return 0;
    default: break;
    }
    for (size_t i = 0; i < lx->npatterns; i++) {
        const unsigned char *t = (const unsigned char *)lx->patterns[i].text;
        size_t len = strlen((const char *)t);
        for (size_t at = 0; at < len;) {
            uint32_t cp;
            int bad;
            at += utf8_decode(t + at, len - at, &cp, &bad);
            if (!bad && normalize_cp(cp) == stop)
                return 0;
        }
    }
    return 1;
}

static void split_opts_init(struct source_split_opts *so, const struct lexicon *lx,
                            const struct corpus_opts *o)
{
    so->chunk_bytes = CORPUS_CHUNK;
    so->min_bytes = CORPUS_SPLIT_MIN;
    so->search_bytes = CORPUS_SPLIT_SEARCH;
    const char *env = getenv("TIFA_CHUNK_BYTES");
    if (env && *env) {
        char *end;
        unsigned long long n = strtoull(env, &end, 10);
        if (!*end && n > 0 && n < (1ull << 40)) {
            so->chunk_bytes = n;
            so->min_bytes = 2 * n;
            so->search_bytes = n < CORPUS_SPLIT_SEARCH ? n : CORPUS_SPLIT_SEARCH;
        }
    }
    /* chunk 0 must hold the whole head (its decoded text is at least as long as its bytes) */
    if (so->chunk_bytes < (unsigned long long)o->head_len + 16)
        so->chunk_bytes = (unsigned long long)o->head_len + 16;
    so->split_after_stop = stop_is_split_point(lx);
}

/* Whether any of the (few) paths is a regular file large enough to be split. */
static int any_large(const char *const *paths, size_t nfiles, unsigned long long min_bytes)
{
    for (size_t i = 0; i < nfiles; i++) {
        struct stat st;
        if (!stat(paths[i], &st) && S_ISREG(st.st_mode) &&
            (unsigned long long)st.st_size >= min_bytes)
            return 1;
    }
    return 0;
}

int corpus_count(const char *const *paths, size_t nfiles, const struct lexicon *lx,
                 const struct ac *ac, const struct corpus_opts *o, corpus_doc_fn *fn, void *arg)
{
    struct shared *sh = xcalloc(1, sizeof(*sh));
    unsigned nthreads = o->threads;
    sh->paths = paths;
    sh->nfiles = nfiles;
    sh->lx = lx;
    sh->ac = ac;
    sh->o = o;
    if (!nthreads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        nthreads = n > 0 ? (unsigned)n : 1;
    }
    /* standard input cannot be shared out: with "-" among the inputs, one thread reads all */
    for (size_t i = 0; i < nfiles && nthreads > 1; i++)
        if (!strcmp(paths[i], "-"))
            nthreads = 1;
    if (nthreads > 1)
        split_opts_init(&sh->split, lx, o);
    /* more threads than files only help to count a large file in chunks */
    if (nthreads > nfiles && !(nthreads > 1 && any_large(paths, nfiles, sh->split.min_bytes)))
        nthreads = nfiles ? (unsigned)nfiles : 1;

    if (nthreads <= 1) {
        struct worker_ctx w;
        worker_init(&w, sh);
        for (size_t i = 0; i < nfiles; i++) {
            count_one(&w, sh, i, &sh->window[0], 0);
            deliver(&sh->window[0], i, fn, arg);
        }
        worker_release(&w);
        if (o->stats)
            *o->stats = sh->stats;
        free(sh);
        return 0;
    }
    /* The calling thread is one of the nthreads: it delivers what is ready and, when the next
     * document to deliver is not, runs a job itself rather than sleep. So nthreads threads run
     * on nthreads cores (no third thread waking for every file). */
    unsigned nworkers = nthreads - 1;
    pthread_t *tids = xmalloc(st_mult(nworkers, sizeof(pthread_t)));
    pthread_mutex_init(&sh->mu, NULL);
    pthread_cond_init(&sh->cv_work, NULL);
    pthread_cond_init(&sh->cv_done, NULL);
    unsigned started = 0;
    for (unsigned t = 0; t < nworkers; t++)
        if (!pthread_create(&tids[started], NULL, worker_main, sh))
            started++;
    struct worker_ctx mw;
    struct job j;
    worker_init(&mw, sh);
    pthread_mutex_lock(&sh->mu);
    while (sh->next_deliver < nfiles) {
        struct slot *s = &sh->window[sh->next_deliver % CORPUS_WINDOW];
        if (s->done) {
            pthread_mutex_unlock(&sh->mu);
            deliver(s, sh->next_deliver, fn, arg);
            pthread_mutex_lock(&sh->mu);
            sh->next_deliver++;
            if (sh->nidle)
                pthread_cond_broadcast(&sh->cv_work);
        } else if (take_job(sh, &j)) {
            run_job(&mw, sh, &j);
        } else {
            pthread_cond_wait(&sh->cv_done, &sh->mu);
        }
    }
    pthread_mutex_unlock(&sh->mu);
    worker_release(&mw);
    for (unsigned t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    free(tids);
    pthread_mutex_destroy(&sh->mu);
    pthread_cond_destroy(&sh->cv_work);
    pthread_cond_destroy(&sh->cv_done);
    if (o->stats)
        *o->stats = sh->stats;
    free(sh);
    return 0;
}

int corpus_build_ac(const struct lexicon *lx, enum ac_mode mode, struct ac **out,
                    struct tifa_err *e)
{
    struct ac_build_opts opts = {0, mode, 0};
    struct ac_pattern *p = xmalloc(st_mult(lx->npatterns + 1, sizeof(*p)));
    for (size_t i = 0; i < lx->npatterns; i++) {
        p[i].text = lx->patterns[i].text;
        p[i].term_id = lx->patterns[i].label_id;
    }
    int rc = ac_build(out, p, lx->npatterns, &opts, e);
    free(p);
    return rc;
}
