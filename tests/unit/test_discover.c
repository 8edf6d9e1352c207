/* Unit tests for discover: every rule of the numbering file against its own examples and
 * counterexamples; quoted spans; the corpus rules (maximal lengths, the 的 rule, --min-docs,
 * stop lists, known phrases); ordinary quantities; ranking; the reference comparison. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tifa/discover.h"
#include "tifa/text.h"
#include "tifa/xalloc.h"

/* The extraction of one document's raw text, as the consumer does it. */
static struct disc_doc *extract(const struct disc_rules *r, unsigned kinds, const char *raw)
{
    struct rule_scanner sc;
    struct sbuf norm;
    struct tifa_err e;
    tifa_err_init(&e);
    sbuf_init(&norm);
    text_normalize(raw, strlen(raw), &norm);
    rule_scanner_init(&sc, &r->rs);
    struct disc_doc *d = disc_doc_new();
    assert_int_equal(disc_extract(r, &sc, kinds, norm.buf ? norm.buf : "", norm.len, NULL, d, &e),
                     0);
    rule_scanner_release(&sc);
    sbuf_release(&norm);
    return d;
}

static const struct disc_occ *find_occ(const struct disc_doc *d, const char *phrase)
{
    size_t *i = strmap_get(&d->idx, phrase, strlen(phrase));
    return i ? &d->v[*i] : NULL;
}

static int setup(void **state)
{
    struct disc_rules *r = xmalloc(sizeof(*r));
    struct tifa_err e;
    tifa_err_init(&e);
    disc_rules_init(r);
    assert_int_equal(disc_rules_load_builtin(r, &e), 0);
    *state = r;
    return 0;
}

static int teardown(void **state)
{
    disc_rules_release(*state);
    free(*state);
    return 0;
}

/* Every rule finds its examples (with that rule) and nothing in its counterexamples. */
static void test_rules_file_examples(void **state)
{
    const struct disc_rules *r = *state;
    size_t nexamples = 0, ncounter = 0;
    assert_true(r->rs.n >= 8);
    for (uint32_t id = 0; id < r->rs.n; id++) {
        char *ex = xstrdup(r->info[id].examples);
        for (char *save = NULL, *tok = strtok_r(ex, "|", &save); tok;
             tok = strtok_r(NULL, "|", &save)) {
            char *arrow = strstr(tok, "=>");
            assert_non_null(arrow);
            *arrow = '\0';
            struct disc_doc *d = extract(r, DISC_NUMBERED, tok);
            const struct disc_occ *o = find_occ(d, arrow + 2);
            if (!o || o->kind != DISC_NUMBERED || o->rule_id != id)
                fail_msg("rule %s: '%s' should give %s", r->rs.v[id].name, tok, arrow + 2);
            disc_doc_free(d);
            nexamples++;
        }
        free(ex);
        char *cx = xstrdup(r->info[id].counterexamples);
        for (char *save = NULL, *tok = strtok_r(cx, "|", &save); tok;
             tok = strtok_r(NULL, "|", &save)) {
            struct disc_doc *d = extract(r, DISC_NUMBERED, tok);
            for (size_t i = 0; i < d->n; i++)
                if (d->v[i].rule_id == id)
                    fail_msg("rule %s: '%s' should give nothing, gave %s", r->rs.v[id].name, tok,
                             d->v[i].phrase);
            disc_doc_free(d);
            ncounter++;
        }
        free(cx);
        /* every rule has a test of each sort */
        if (!*r->info[id].examples || !*r->info[id].counterexamples)
            fail_msg("rule %s has no examples or no counterexamples", r->rs.v[id].name);
    }
    assert_true(nexamples >= 20);
    assert_true(ncounter >= 20);
}

/* Quotes give exact boundaries: a quoted numbered shape is numbered, other quoted phrases are
 * quoted, and too long or broken quotes are nothing. */
static void test_quoted_spans(void **state)
{
    const struct disc_rules *r = *state;
    struct disc_doc *d = extract(r, DISC_NUMBERED | DISC_QUOTED,
                                 "心怀“国之大者”，落实“十四五”规划，解决「急难愁盼」问题；"
                                 "“这是一段超过十二个字的很长很长的引语”，“一”，“乱”码。"
                                 "“学习”\n\n“贯彻”");
    const struct disc_occ *o = find_occ(d, "国之大者");
    assert_non_null(o);
    assert_int_equal(o->kind, DISC_QUOTED);
    assert_int_equal(o->quoted, 1);
    assert_non_null(o->example);
    assert_non_null(strstr(o->example, "心怀“国之大者”"));
    o = find_occ(d, "十四五");
    assert_non_null(o);
    assert_int_equal(o->kind, DISC_NUMBERED);
    assert_non_null(find_occ(d, "急难愁盼"));
    assert_non_null(find_occ(d, "学习"));
    assert_non_null(find_occ(d, "贯彻"));
    assert_null(find_occ(d, "一"));
    assert_null(find_occ(d, "乱"));
    assert_null(find_occ(d, "这是一段超过十二个字的很长很长的引语"));
    disc_doc_free(d);
}

static void add_docs(struct disc_table *t, const struct disc_rules *r, unsigned kinds,
                     const char *const *docs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct disc_doc *d = extract(r, kinds, docs[i]);
        char period[8];
        snprintf(period, sizeof(period), "%zu", 2020 - i);
        disc_table_add_doc(t, i, d, period);
        disc_doc_free(d);
    }
}

static const struct disc_cand *find_cand(const struct disc_table *t, const char *phrase)
{
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->v[i].phrase, phrase))
            return &t->v[i];
    return NULL;
}

/* Without quotes the right length wins (两个维护, not 两个维护要); 的 marks an adjective;
 * a phrase in one document is below --min-docs 2. */
static void test_corpus_rules(void **state)
{
    const struct disc_rules *r = *state;
    static const char *const docs[] = {
        "必须做到两个维护。两个维护要落到实处。两个重要的问题。",
        "坚决做到两个维护，增强八个追赶跨越的信心。还有两个重要的任务。",
        "两个维护！在九个有力有效上下功夫。",
    };
    struct disc_table t;
    disc_table_init(&t);
    add_docs(&t, r, DISC_NUMBERED, docs, 3);
    struct disc_filter f = {2, 1, NULL, r};
    disc_table_finish(&t, &f);
    const struct disc_cand *c = find_cand(&t, "两个维护");
    assert_non_null(c);
    assert_int_equal(c->count, 4);
    assert_int_equal(c->docs, 3);
    assert_int_equal(c->nfirst, 3);
    assert_string_equal(c->first_period, "2018");
    assert_null(find_cand(&t, "两个维护要")); /* one document */
    assert_null(find_cand(&t, "两个重要"));   /* always followed by 的 */
    assert_null(find_cand(&t, "九个有力有效"));
    assert_int_equal(t.n, 1);
    disc_table_release(&t);

    /* --min-docs 1: the one-document formulas come out at their full length only */
    disc_table_init(&t);
    add_docs(&t, r, DISC_NUMBERED, docs, 3);
    f.min_docs = 1;
    disc_table_finish(&t, &f);
    assert_non_null(find_cand(&t, "九个有力有效"));
    assert_null(find_cand(&t, "九个有力有"));
    assert_null(find_cand(&t, "九个有力"));
    assert_non_null(find_cand(&t, "八个追赶跨越"));
    assert_null(find_cand(&t, "两个重要"));
    /* ranked by documents, then count */
    assert_string_equal(t.v[0].phrase, "两个维护");
    disc_table_release(&t);
}

/* The ordinary quantities of the issue, in three documents each: nothing comes out. */
static void test_ordinary_quantities(void **state)
{
    const struct disc_rules *r = *state;
    static const char *const text = "在一个时期内，这是一个强烈的信号。重点抓好3个方面的工作，"
                                    "开了两个小时的会。五一假期，实行一对一帮扶，经过三个月的"
                                    "努力，第四个五年计划，一心一意谋发展，三心二意不可取，"
                                    "“五一”“七一”前后，有五个城市参加，这两个问题要解决。";
    static const char *const docs[] = {text, text, text};
    struct disc_table t;
    disc_table_init(&t);
    add_docs(&t, r, DISC_NUMBERED | DISC_QUOTED, docs, 3);
    struct disc_filter f = {1, 1, NULL, r};
    disc_table_finish(&t, &f);
    for (size_t i = 0; i < t.n; i++)
        fail_msg("an ordinary quantity came out: %s (%s)", t.v[i].phrase,
                 disc_kind_name(t.v[i].kind));
    disc_table_release(&t);
}

/* Known phrases (terms, aliases, expansion components) are left out unless kept, and marked. */
static void test_known(void **state)
{
    const struct disc_rules *r = *state;
    struct lexicon lx;
    struct tifa_err e;
    tifa_err_init(&e);
    lexicon_init(&lx);
    static const char tsv[] = "term\taliases\texpansion\n"
                              "四个意识\t\t政治意识|大局意识|核心意识|看齐意识\n";
    assert_int_equal(lexicon_load_buf(&lx, tsv, strlen(tsv), "t.tsv", LEX_TSV, &e), 0);
    assert_int_equal(lexicon_finish(&lx, &e), 0);
    static const char *const docs[] = {"增强“四个意识”，“大局意识”，“国之大者”。",
                                       "增强“四个意识”，“大局意识”，“国之大者”。"};
    for (int keep = 0; keep <= 1; keep++) {
        struct disc_table t;
        disc_table_init(&t);
        add_docs(&t, r, DISC_NUMBERED | DISC_QUOTED, docs, 2);
        struct disc_filter f = {2, keep, &lx, r};
        disc_table_finish(&t, &f);
        const struct disc_cand *c = find_cand(&t, "四个意识");
        if (keep) {
            assert_non_null(c);
            assert_true(c->known);
            assert_true(find_cand(&t, "大局意识")->known);
        } else {
            assert_null(c);
            assert_null(find_cand(&t, "大局意识"));
        }
        c = find_cand(&t, "国之大者");
        assert_non_null(c);
        assert_false(c->known);
        disc_table_release(&t);
    }
    lexicon_release(&lx);
}

/* Against a reference: G² and log ratio as diff computes them, new when the reference never
 * has it, falling phrases dropped, sorted by G². */
static void test_compare(void **state)
{
    const struct disc_rules *r = *state;
    static const char *const docs[] = {"“新质生产力”“新质生产力”“国之大者”“老话”",
                                       "“新质生产力”“国之大者”“老话”"};
    struct disc_table t;
    disc_table_init(&t);
    add_docs(&t, r, DISC_QUOTED, docs, 2);
    struct disc_filter f = {2, 0, NULL, r};
    disc_table_finish(&t, &f);
    assert_int_equal(t.n, 3);
    uint64_t ref[3];
    for (size_t i = 0; i < t.n; i++)
        ref[i] = !strcmp(t.v[i].phrase, "新质生产力") ? 0
                 : !strcmp(t.v[i].phrase, "国之大者") ? 1
                                                      : 50;
    disc_table_compare(&t, ref, 1000, 1000);
    assert_int_equal(t.n, 2); /* 老话 falls */
    assert_string_equal(t.v[0].phrase, "新质生产力");
    assert_true(t.v[0].is_new);
    assert_true(t.v[0].g2 > t.v[1].g2);
    assert_false(t.v[1].is_new);
    assert_int_equal(t.v[1].reference_count, 1);
    assert_true(t.v[1].log_ratio > 0);
    disc_table_release(&t);
}

/* A rules file with an error is refused with its line. */
static void test_rules_file_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"name\tscope\tregex\nx\tany\t(unclosed\n", "r.tsv:2"},
        {"name\tscope\tregex\nx\tsometimes\tabc\n", "unknown scope"},
        {"name\tscope\tregex\nx\tany\t{NOPE}abc\n", "unknown define {NOPE}"},
        {"x\tany\tabc\n", "header"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct disc_rules r;
        struct tifa_err e;
        char msg[512];
        tifa_err_init(&e);
        disc_rules_init(&r);
        assert_int_not_equal(
            disc_rules_load_buf(&r, cases[i].text, strlen(cases[i].text), "r.tsv", &e), 0);
        tifa_err_format(&e, msg, sizeof(msg));
        if (!strstr(msg, cases[i].want))
            fail_msg("'%s' should say '%s'", msg, cases[i].want);
        disc_rules_release(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rules_file_examples, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quoted_spans, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corpus_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ordinary_quantities, setup, teardown),
        cmocka_unit_test_setup_teardown(test_known, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compare, setup, teardown),
        cmocka_unit_test(test_rules_file_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
