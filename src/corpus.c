/*
 * corpus: counting many documents on several threads, in order.
 *
 * How it works: with N threads, N - 1 workers and the calling thread take the next file index
 * from a shared counter, but never more than CORPUS_WINDOW ahead of the next index to deliver;
 * each owns a scanner, a tally and read buffers (thread lifetime), counts the document and
 * freezes its tally into a slot of the window. The calling thread delivers slots in index
 * order as they complete, counts a document itself whenever the next one to deliver is not
 * ready, and sleeps only when the window is full; a worker wakes it only when it finishes
 * that very document.
 * With one thread the same code runs without any worker: the caller counts each file itself.
 * With corpus_opts.head_len, the piece callback also copies the start of the decoded text into
 * a per-worker buffer (kept across documents) that is duplicated into agg_doc.head.
 */
#include "tifa/corpus.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tifa/source.h"
#include "tifa/utf8.h"
#include "tifa/xalloc.h"

#define CORPUS_WINDOW 64

struct worker_ctx {
    struct ac_scanner sc;
    struct agg_tally tally;
    struct source_buf buf;
    struct sbuf head;       /* the first o->head_len bytes of the document, when asked */
    size_t head_len;
};

struct slot {
    int done;
    int failed;
    struct agg_doc doc;
    struct tifa_err err;
};

struct shared {
    const char *const *paths;
    size_t nfiles;
    const struct lexicon *lx;
    const struct ac *ac;
    const struct corpus_opts *o;
    pthread_mutex_t mu;
    pthread_cond_t cv_work, cv_done;
    size_t next_take, next_deliver;
    unsigned nidle;            /* workers waiting on cv_work for the window to move */
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
    ac_scanner_init(&w->sc, sh->ac, sh->o->mode, on_match, &w->tally);
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

static void count_one(struct worker_ctx *w, const struct shared *sh, size_t idx, struct slot *s)
{
    struct source_info info;
    tifa_err_init(&s->err);
    ac_scanner_reset(&w->sc);
    memset(&s->doc, 0, sizeof(s->doc));
    sbuf_reset(&w->head);
    w->head_len = sh->o->head_len;
    int rc = source_read(sh->paths[idx], sh->o->encoding, &w->buf, on_piece, w, &info, &s->err);
    ac_scan_finish(&w->sc);
    s->doc.path = xstrdup(sh->paths[idx]);
    if (rc) {
        /* discard the partial tally */
        for (size_t i = 0; i < w->tally.ntouched; i++)
            w->tally.counts[w->tally.touched[i]] = 0;
        w->tally.ntouched = 0;
        s->failed = 1;
        return;
    }
    s->failed = 0;
    snprintf(s->doc.encoding, sizeof(s->doc.encoding), "%s", info.encoding);
    s->doc.bytes = info.bytes;
    s->doc.chars = w->sc.stats.chars;
    s->doc.han = w->sc.stats.han;
    s->doc.invalid = info.invalid;
    s->doc.first_invalid_off = info.first_invalid_off;
    agg_tally_freeze(&w->tally, sh->lx, &s->doc);
    if (sh->o->head_len)
    {
        s->doc.head = xstrndup(w->head.buf, w->head.len);
        s->doc.head_len = w->head.len;
    }
}

static void *worker_main(void *arg)
{
    struct shared *sh = arg;
    struct worker_ctx w;
    worker_init(&w, sh);
    pthread_mutex_lock(&sh->mu);
    for (;;) {
        while (sh->next_take < sh->nfiles && sh->next_take >= sh->next_deliver + CORPUS_WINDOW) {
            sh->nidle++;
            pthread_cond_wait(&sh->cv_work, &sh->mu);
            sh->nidle--;
        }
        if (sh->next_take >= sh->nfiles)
            break;
        size_t idx = sh->next_take++;
        struct slot *s = &sh->window[idx % CORPUS_WINDOW];
        pthread_mutex_unlock(&sh->mu);
        count_one(&w, sh, idx, s);
        pthread_mutex_lock(&sh->mu);
        s->done = 1;
        /* only the delivering thread waits on cv_done, and only for next_deliver: waking it
         * for any other slot is a wasted context switch (thousands on many small files) */
        if (idx == sh->next_deliver)
            pthread_cond_signal(&sh->cv_done);
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
    if (nthreads > nfiles)
        nthreads = nfiles ? (unsigned)nfiles : 1;
    /* standard input cannot be shared out: with "-" among the inputs, one thread reads all */
    for (size_t i = 0; i < nfiles && nthreads > 1; i++)
        if (!strcmp(paths[i], "-"))
            nthreads = 1;

    if (nthreads <= 1) {
        struct worker_ctx w;
        worker_init(&w, sh);
        for (size_t i = 0; i < nfiles; i++) {
            count_one(&w, sh, i, &sh->window[0]);
            deliver(&sh->window[0], i, fn, arg);
        }
        worker_release(&w);
        free(sh);
        return 0;
    }
    /* The calling thread is one of the nthreads: it delivers what is ready and, when the next
     * document to deliver is not, counts a document itself rather than sleep. So nthreads
     * threads run on nthreads cores (no third thread waking for every file). */
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
        } else if (sh->next_take < nfiles && sh->next_take < sh->next_deliver + CORPUS_WINDOW) {
            size_t idx = sh->next_take++;
            struct slot *mine = &sh->window[idx % CORPUS_WINDOW];
            pthread_mutex_unlock(&sh->mu);
            count_one(&mw, sh, idx, mine);
            pthread_mutex_lock(&sh->mu);
            mine->done = 1;
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
    free(sh);
    return 0;
}

int corpus_build_ac(const struct lexicon *lx, struct ac **out, struct tifa_err *e)
{
    struct ac_pattern *p = xmalloc(st_mult(lx->npatterns + 1, sizeof(*p)));
    for (size_t i = 0; i < lx->npatterns; i++) {
        p[i].text = lx->patterns[i].text;
        p[i].term_id = lx->patterns[i].label_id;
    }
    int rc = ac_build(out, p, lx->npatterns, NULL, e);
    free(p);
    return rc;
}
