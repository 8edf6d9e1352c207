/*
 * cmd_merge: `tifa merge [OPTIONS] REPORT...` — sums saved JSON reports into one report.
 *
 * Wiring: each argument is a report file, "-" or a folder (its *.json files); savedreport
 * parses each. The union of the terms they name becomes a small lexicon (loaded through
 * lexicon_load_buf as a JSON lexicon, so label ids work as in count), documents are sorted by
 * path and fed to the very reporter `count` uses (report.h), totals are the sums of the
 * reports' totals, and the JSON header's lexicon numbers come from the inputs (report_lexinfo):
 * terms and entries are the largest of the inputs' (exact when the shards share a lexicon),
 * sources the union in order of first appearance. So for any split of a corpus, merging the
 * parts' reports gives the whole's report apart from "command" and the order of sources.
 * --top and --min-count cut the summary ("terms", the table's rows) as in count; the totals
 * stay whole, so a cut report can still be merged or diffed (but a report names categories
 * only in "terms": the cut terms come back with an empty category, as from count --top).
 *
 * A report that cannot be read or parsed is reported ("tifa: FILE:LINE:COL: invalid JSON: ..."),
 * listed under "errors" and left out; the exit status is then 3, as for count. A sum that
 * would pass 2^63 - 1, the largest count a report can write, is refused (the file and the key
 * on stderr, nothing on stdout, status 3): a merge never prints a sum it cannot vouch for.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tifa/cmd.h"
#include "tifa/intern.h"
#include "tifa/outfile.h"
#include "tifa/report_count.h"
#include "tifa/report_json.h"
#include "tifa/savedreport.h"
#include "tifa/sbuf.h"
#include "tifa/strmap.h"
#include "tifa/xalloc.h"

static const char merge_usage[] =
    "usage: tifa merge [OPTIONS] REPORT...\n"
    "Sums saved reports of `tifa count --format json` (files, - or folders of *.json) into\n"
    "one report of the same schema: documents sorted by path, totals and counts summed.\n\n"
    "  -f, --format FMT      json (default), jsonl, table, tsv, csv, matrix or matrix-csv\n"
    "  --top N               only the N most frequent terms in the summary\n"
    "  --min-count N         only terms counted at least N times in the summary\n"
    "  --sort KEY            table: summary order count (default), term or docs\n"
    "  --force               merge reports counted with different settings (lexicon,\n"
    "                        categories, ...): recorded in the output's settings.forced\n"
    "  -o, --output FILE     write the report to FILE, replaced only once it is complete\n"
    "  --bom                 start CSV output with a UTF-8 byte-order mark (for Excel)\n"
    "  -q, --quiet           no warnings\n";

enum { OPT_FORMAT = 1, OPT_SORT, OPT_TOP, OPT_MIN_COUNT, OPT_FORCE, OPT_QUIET, OPT_BOM };

struct doc_ref {
    const struct savedreport *r;
    const struct savedreport_doc *d;
    size_t pos;
};

static int cmp_doc_ref(const void *a, const void *b)
{
    const struct doc_ref *x = a, *y = b;
    int c = strcmp(x->d->path, y->d->path);
    return c ? c : (x->pos < y->pos ? -1 : x->pos > y->pos);
}

/* The union of the reports' terms as a lexicon; label ids looked up through @ids. */
static int union_lexicon(const struct savedreport *rs, size_t nr, struct lexicon *lx,
                         struct strmap *ids)
{
    json_t *arr = json_array(); /* the lexicon's entries, one per id of @seen */
    struct intern seen;
    struct tifa_err e;
    char msg[2048];
    int rc = 0;

    intern_init(&seen);
    for (size_t k = 0; k < nr; k++)
        for (size_t t = 0; t < rs[k].terms.n; t++) {
            const char *term = intern_str(&rs[k].terms, t);
            int ins;
            size_t id = intern_id(&seen, term, strlen(term), &ins);
            json_t *o = ins ? json_object() : json_array_get(arr, id);
            if (ins) {
                json_object_set_new(o, "term", json_string(term));
                json_object_set_new(o, "category", json_string(""));
                json_array_append_new(arr, o);
            }
            if (!*json_string_value(json_object_get(o, "category")))
                json_object_set_new(o, "category", json_string(rs[k].categories[t]));
        }
    intern_release(&seen);
    lexicon_init(lx);
    strmap_init(ids);
    tifa_err_init(&e);
    if (json_array_size(arr)) {
        char *text = json_dumps(arr, JSON_COMPACT);
        if (lexicon_load_buf(lx, text, strlen(text), "merge", LEX_JSON, &e) ||
            lexicon_finish(lx, &e)) {
            fprintf(stderr, "tifa: cannot merge the reports' terms: %s\n",
                    tifa_err_format(&e, msg, sizeof(msg)));
            rc = EXIT_USAGE;
        }
        free(text);
    }
    json_decref(arr);
    for (size_t id = 0; !rc && id < lx->nlabels; id++)
        strmap_put(ids, lx->labels[id].term, strlen(lx->labels[id].term), id, NULL);
    for (size_t k = 0; !rc && k < nr; k++)
        for (size_t t = 0; t < rs[k].terms.n; t++) {
            const char *term = intern_str(&rs[k].terms, t);
            const size_t *v = strmap_get(ids, term, strlen(term));
            if (v && rs[k].abbreviation[t])
                lx->labels[*v].abbreviation = 1; /* "kind": "abbreviation" stays */
        }
    return rc;
}

static void cut_to(struct sbuf *sb, size_t len)
{
    sb->len = len;
    if (sb->buf)
        sb->buf[len] = '\0';
}

/* Adds @v to *@acc; -1, leaving it, when the sum would pass the largest count a report can
 * write (a JSON integer: 2^63 - 1). */
static int add_count(uint64_t *acc, uint64_t v)
{
    if (*acc > (uint64_t)INT64_MAX || v > (uint64_t)INT64_MAX - *acc)
        return -1;
    *acc += v;
    return 0;
}

/* Adds the reading keys @src into @dst: numbers summed under equal key paths; "partial"
 * records (id, components) summed by their "sentences", kept in count's order. Returns -1 with
 * the key path in @path when a sum would overflow (add_count). */
static int sum_reading(json_t *dst, json_t *src, struct sbuf *path)
{
    size_t at = path->len;
    const char *name;
    json_t *v;
    json_object_foreach(src, name, v)
    {
        json_t *d = json_object_get(dst, name);
        cut_to(path, at);
        sbuf_addf(path, ".%s", name);
        if (json_is_integer(v)) {
            uint64_t have = json_is_integer(d) ? (uint64_t)json_integer_value(d) : 0;
            if (json_integer_value(v) < 0 || add_count(&have, (uint64_t)json_integer_value(v)))
                return -1;
            json_object_set_new(dst, name, json_integer((json_int_t)have));
        } else if (json_is_object(v)) {
            if (!json_is_object(d)) {
                d = json_object();
                json_object_set_new(dst, name, d);
            }
            if (sum_reading(d, v, path))
                return -1;
        } else if (json_is_array(v)) {
            if (!json_is_array(d)) {
                d = json_array();
                json_object_set_new(dst, name, d);
            }
            size_t i;
            json_t *rec;
            json_array_foreach(v, i, rec)
            {
                json_t *same = NULL, *x;
                size_t j;
                json_array_foreach(d, j, x)
                {
                    if (json_equal(json_object_get(x, "id"), json_object_get(rec, "id")) &&
                        json_equal(json_object_get(x, "components"),
                                   json_object_get(rec, "components")))
                        same = x;
                }
                json_int_t nv = json_integer_value(json_object_get(rec, "sentences"));
                uint64_t n = nv > 0 ? (uint64_t)nv : 0;
                if (same) {
                    json_int_t have = json_integer_value(json_object_get(same, "sentences"));
                    if (add_count(&n, have > 0 ? (uint64_t)have : 0)) {
                        sbuf_addf(path, "[%zu].sentences", i);
                        return -1;
                    }
                } else {
                    same = json_deep_copy(rec);
                    json_array_append_new(d, same);
                }
                json_object_set_new(same, "sentences", json_integer((json_int_t)n));
            }
            if (!strcmp(name, "partial"))
                report_json_sort_partial(d);
        }
    }
    cut_to(path, at);
    return 0;
}

static size_t label_of(const struct strmap *ids, const struct savedreport *r, size_t term_id)
{
    const char *t = intern_str(&r->terms, term_id);
    const size_t *v = strmap_get(ids, t, strlen(t));
    if (v)
        return *v;
    BUG("term '%s' missing from the merged lexicon", t);
}

static void add_source(const char ***v, size_t *n, size_t *alloc, const char *s)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*v)[i], s))
            return;
    ALLOC_GROW(*v, *n + 1, *alloc);
    (*v)[(*n)++] = s;
}

int cmd_merge(int argc, char **argv)
{
    static const char *const json_glob[] = {"*.json"};
    static const struct optparse_spec merge_opts[] = {
        {OPT_FORMAT, 'f', "format", 1}, {OPT_SORT, 0, "sort", 1},
        {OPT_TOP, 0, "top", 1},         {OPT_MIN_COUNT, 0, "min-count", 1},
        {OPT_FORCE, 0, "force", 0},     {OPT_QUIET, 'q', "quiet", 0},
        {OPT_BOM, 0, "bom", 0},         {0, 0, NULL, 0},
    };
    const struct optparse_spec *const tables[] = {merge_opts, common_output_opts, NULL};
    struct common_opts co; /* -o alone */
    struct optparse p;
    enum report_format fmt = FMT_JSON;
    enum agg_sort sort = AGG_SORT_COUNT;
    struct cmd_cut cut = {0, 0};
    int c, status = EXIT_OK, force = 0, quiet = 0, bom = 0;

    common_opts_init(&co);
    optparse_init(&p, "merge", argc, argv, tables);
    while ((c = optparse_next(&p)) != OPTPARSE_END) {
        switch (c) {
        case OPT_FORMAT:
            if (cmd_parse_format(p.value, &report_count_formats, &fmt))
                goto usage;
            break;
        case OPT_SORT:
            if (cmd_parse_sort(p.value, &sort))
                goto usage;
            break;
        case OPT_TOP:
        case OPT_MIN_COUNT:
            if (cmd_parse_cut(&p, c == OPT_TOP, &cut))
                goto usage;
            break;
        case OPT_FORCE: force = 1; break;
        case OPT_QUIET: quiet = 1; break;
        case OPT_BOM: bom = 1; break;
        case OPTPARSE_HELP: fputs(merge_usage, stdout); return cmd_finish_output(EXIT_OK);
        case OPTPARSE_VERSION: return cmd_version();
        default:
            if (common_opts_handle(&co, c, &p) == 1)
                break;
            goto usage;
        }
    }
    if (!p.nargs) {
        fprintf(stderr, "tifa: merge needs at least one report\n");
        goto usage;
    }

    struct walk_opts wo = {.globs = json_glob, .nglobs = 1};
    struct walk_result w;
    struct note_list errors = NOTE_LIST_INIT, skipped = NOTE_LIST_INIT;
    walk_result_init(&w);
    cmd_skip_output(&wo, co.output);
    for (size_t i = 1; i <= p.nargs; i++)
        walk_add_arg(&w, p.argv[i], &wo);
    walk_finish(&w);
    cmd_note_output_skips(&w);
    if ((status = cmd_output_open(co.output)) != 0) {
        walk_result_release(&w);
        return status;
    }
    for (size_t i = 0; i < w.errors.n; i++) {
        fprintf(stderr, "tifa: '%s': %s\n", w.errors.v[i].path, w.errors.v[i].text);
        note_list_add(&errors, w.errors.v[i].path, w.errors.v[i].text);
        status = EXIT_PARTIAL;
    }

    struct savedreport *rs = xcalloc(w.nfiles + 1, sizeof(*rs));
    char **rpath = xcalloc(w.nfiles + 1, sizeof(*rpath)); /* the file of rs[k] */
    struct pathlist_cursor cur;
    pathlist_cursor_init(&cur, &w.files);
    size_t nr = 0, ndocs = 0;
    json_t *settings = NULL; /* what the output records */
    for (size_t i = 0; i < w.nfiles; i++) {
        struct tifa_err e;
        char msg[2048];
        tifa_err_init(&e);
        const char *path = pathlist_get(&cur, i, NULL);
        if (savedreport_load(&rs[nr], path, &e)) {
            fprintf(stderr, "tifa: %s\n", tifa_err_format(&e, msg, sizeof(msg)));
            /* the message without the path prefix, as count's "errors" hold it */
            e.path[0] = '\0';
            if (e.line > 0 && e.col > 0)
                snprintf(msg, sizeof(msg), "line %ld, column %ld: %s", e.line, e.col, e.msg);
            else
                snprintf(msg, sizeof(msg), "%s", e.msg);
            note_list_add(&errors, path, msg);
            status = EXIT_PARTIAL;
            continue;
        }
        ndocs += rs[nr].ndocs;
        rpath[nr++] = xstrdup(path);
    }

    struct lexicon lx;
    struct strmap ids;
    if (union_lexicon(rs, nr, &lx, &ids)) {
        status = EXIT_USAGE;
        goto done;
    }
    /* reports counted differently are not summed in silence (settings.h) */
    {
        json_t **ss = xcalloc(nr + 1, sizeof(*ss));
        for (size_t k = 0; k < nr; k++)
            ss[k] = rs[k].settings;
        int rc = cmd_check_settings(ss, (const char *const *)rpath, nr, force, quiet, &settings);
        free(ss);
        if (rc) {
            status = rc;
            goto done;
        }
    }

    /* header: lexicon numbers and sources from the inputs */
    struct report_lexinfo li = {0, 0, NULL, 0};
    const char **sources = NULL;
    size_t nsources = 0, sources_alloc = 0;
    for (size_t k = 0; k < nr; k++) {
        if (rs[k].lexicon_terms > li.terms)
            li.terms = rs[k].lexicon_terms;
        if (rs[k].lexicon_entries > li.entries)
            li.entries = rs[k].lexicon_entries;
        for (size_t s = 0; s < rs[k].nsources; s++)
            add_source(&sources, &nsources, &sources_alloc, rs[k].sources[s]);
    }
    li.sources = sources;
    li.nsources = nsources;

    /* totals: the sums of the reports' totals */
    struct agg_total tot;
    struct sbuf over = SBUF_INIT; /* the key whose sum overflows */
    size_t over_at = 0;
    agg_total_init(&tot, lx.nlabels);
    for (size_t k = 0; k < nr && !over.len; k++) {
        over_at = k;
        if (add_count(&tot.documents, rs[k].documents))
            sbuf_addstr(&over, "totals.documents");
        else if (add_count(&tot.bytes, rs[k].bytes))
            sbuf_addstr(&over, "totals.bytes");
        else if (add_count(&tot.chars, rs[k].chars))
            sbuf_addstr(&over, "totals.chars");
        else if (add_count(&tot.han, rs[k].han))
            sbuf_addstr(&over, "totals.han");
        else if (add_count(&tot.invalid, rs[k].invalid))
            sbuf_addstr(&over, "totals.invalid");
        for (size_t t = 0; t < rs[k].terms.n && !over.len; t++) {
            size_t id = label_of(&ids, &rs[k], t);
            if (add_count(&tot.counts[id], rs[k].counts[t]))
                sbuf_addf(&over, "totals.counts[\"%s\"]", lx.labels[id].term);
            else if (add_count(&tot.doc_freq[id], rs[k].doc_freq[t]))
                sbuf_addf(&over, "totals.doc_freq[\"%s\"]", lx.labels[id].term);
        }
        for (size_t s = 0; s < rs[k].skipped.n; s++)
            note_list_add(&skipped, rs[k].skipped.v[s].path, rs[k].skipped.v[s].text);
        for (size_t s = 0; s < rs[k].errors.n; s++)
            note_list_add(&errors, rs[k].errors.v[s].path, rs[k].errors.v[s].text);
    }
    note_list_sort(&skipped);
    note_list_sort(&errors);

    /* documents in path order */
    struct doc_ref *refs = xmalloc(st_mult(ndocs + 1, sizeof(*refs)));
    size_t nref = 0;
    for (size_t k = 0; k < nr; k++)
        for (size_t i = 0; i < rs[k].ndocs; i++, nref++) {
            refs[nref].r = &rs[k];
            refs[nref].d = &rs[k].docs[i];
            refs[nref].pos = nref;
        }
    qsort(refs, nref, sizeof(*refs), cmp_doc_ref);

    json_t *read = NULL;
    for (size_t k = 0; k < nr && !over.len; k++) {
        if (!rs[k].reading)
            continue;
        if (!read)
            read = json_object();
        sbuf_addstr(&over, "totals");
        if (sum_reading(read, rs[k].reading, &over))
            over_at = k;
        else
            sbuf_reset(&over);
    }
    if (over.len) {
        /* a report vouches for every sum it prints: none is printed rather than a wrong one */
        fprintf(stderr,
                "tifa: %s: %s: the sum with the reports before it passes 9223372036854775807, "
                "the largest count a report holds; nothing merged\n",
                rpath[over_at], over.buf);
        status = EXIT_PARTIAL;
        outfile_discard(); /* -o FILE keeps its last report rather than an empty one */
        json_decref(read);
        free(refs);
        agg_total_release(&tot);
        free(sources);
        sbuf_release(&over);
        goto done;
    }
    sbuf_release(&over);
    struct report rep;
    report_init(&rep, stdout, report_count_ops(fmt), &lx, "merge");
    rep.totals_read_json = read;
    rep.settings = settings;
    rep.lexinfo = &li;
    rep.sort = sort;
    rep.top = cut.top;
    rep.min_count = cut.min_count;
    cmd_begin_csv(bom, fmt);
    report_begin(&rep);
    for (size_t i = 0; i < nref; i++) {
        const struct savedreport_doc *sd = refs[i].d;
        struct agg_doc doc;
        memset(&doc, 0, sizeof(doc));
        doc.path = sd->path;
        snprintf(doc.encoding, sizeof(doc.encoding), "%s", sd->encoding);
        snprintf(doc.format, sizeof(doc.format), "%s", sd->format);
        snprintf(doc.script, sizeof(doc.script), "%s", sd->script);
        doc.bytes = sd->bytes;
        doc.chars = sd->chars;
        doc.han = sd->han;
        doc.invalid = sd->invalid;
        doc.first_invalid_off = -1;
        doc.counts = xmalloc(st_mult(sd->ncounts + 1, sizeof(*doc.counts)));
        for (size_t k = 0; k < sd->ncounts; k++) {
            doc.counts[k].label_id = (uint32_t)label_of(&ids, refs[i].r, sd->counts[k].term_id);
            doc.counts[k].count = sd->counts[k].count;
        }
        doc.ncounts = sd->ncounts;
        doc.read_json = sd->reading;
        agg_counts_sort(doc.counts, doc.ncounts, &lx);
        report_document(&rep, &doc);
        free(doc.counts);
    }
    report_end(&rep, &tot, &skipped, &errors);
    json_decref(read);
    free(refs);
    agg_total_release(&tot);
    free(sources);
done:
    json_decref(settings);
    strmap_release(&ids);
    lexicon_release(&lx);
    for (size_t k = 0; k < nr; k++)
        savedreport_release(&rs[k]);
    free(rs);
    for (size_t k = 0; k < nr; k++)
        free(rpath[k]);
    free(rpath);
    pathlist_cursor_release(&cur);
    note_list_release(&errors);
    note_list_release(&skipped);
    walk_result_release(&w);
    return cmd_finish_output(status);
usage:
    optparse_usage_error(&p);
    return EXIT_USAGE;
}
