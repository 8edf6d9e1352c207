/*
 * rule: pcre2 patterns by name.
 *
 * How it works: each rule is compiled once with PCRE2_UTF | PCRE2_UCP (so \w, \d and the
 * properties are Unicode's) and JIT-compiled for complete matches (the JIT is several times
 * faster than the interpreter on the short patterns rules are; where the platform has no JIT,
 * pcre2_match interprets). rule_scan walks each rule over the text with one match data per
 * scanner, restarting after each match (one character on, past an empty one, which a compiled
 * rule cannot give: it is refused at compile time with PCRE2_INFO_MINLENGTH 0). Input is valid
 * UTF-8 (decoder output), so PCRE2_NO_UTF_CHECK saves pcre2 a pass per call. rule_match_whole
 * runs the pattern anchored at both ends (PCRE2_ANCHORED | PCRE2_ENDANCHORED, interpreted: the
 * JIT code is for unanchored matches).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "tifa/rule.h"

#include <errno.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tifa/xalloc.h"

void rule_set_init(struct rule_set *rs)
{
    memset(rs, 0, sizeof(*rs));
}

void rule_set_release(struct rule_set *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        free(rs->v[i].name);
        free(rs->v[i].regex);
        free(rs->v[i].origin);
        pcre2_code_free(rs->v[i].code);
    }
    free(rs->v);
    memset(rs, 0, sizeof(*rs));
}

/* The character (1-based) at byte @off of @s: pcre2 reports offsets in code units. */
static size_t char_at(const char *s, size_t off)
{
    size_t before = 0;
    for (size_t i = 0; i < off && s[i]; i++)
        before += ((unsigned char)s[i] & 0xC0) != 0x80;
    return before + 1;
}

int rule_set_add(struct rule_set *rs, const char *name, const char *regex, const char *origin,
                 long line, struct tifa_err *e)
{
    int code = line > 0 ? TIFA_EDATA : TIFA_EUSAGE;
    const char *file = line > 0 ? origin : NULL;
    if (!*name || strpbrk(name, "\t\r\n"))
        return tifa_err_set(e, code, file, line, -1,
                            "pattern '%s': a name must not be empty or "
                            "hold a tab or line break",
                            name);
    for (size_t i = 0; i < rs->n; i++)
        if (!strcmp(rs->v[i].name, name))
            return tifa_err_set(e, code, file, line, -1, "pattern '%s' is given twice", name);
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)regex, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP,
                                  &ec, &eo, NULL);
    if (!c) {
        PCRE2_UCHAR m[256];
        pcre2_get_error_message(ec, m, sizeof(m));
        return tifa_err_set(e, code, file, line, -1,
                            "pattern '%s': %s at character %zu of the "
                            "regex",
                            name, (const char *)m, char_at(regex, (size_t)eo));
    }
    uint32_t minlen = 0;
    pcre2_pattern_info(c, PCRE2_INFO_MINLENGTH, &minlen);
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(c, NULL);
    int empty = pcre2_match(c, (PCRE2_SPTR) "", 0, 0, 0, md, NULL) >= 0;
    pcre2_match_data_free(md);
    if (!minlen && empty) {
        pcre2_code_free(c);
        return tifa_err_set(e, code, file, line, -1, "pattern '%s' matches the empty string", name);
    }
    pcre2_jit_compile(c, PCRE2_JIT_COMPLETE); /* without a JIT, pcre2 interprets */
    ALLOC_GROW(rs->v, rs->n + 1, rs->alloc);
    struct rule *r = &rs->v[rs->n++];
    r->name = xstrdup(name);
    r->regex = xstrdup(regex);
    r->origin = xstrdup(origin ? origin : "");
    r->line = line;
    r->code = c;
    int f = pcre2_substring_number_from_name(c, (PCRE2_SPTR) "f");
    r->group = f > 0 ? f : 0;
    return 0;
}

int rule_set_load_file(struct rule_set *rs, const char *path, struct tifa_err *e)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return tifa_err_set(e, TIFA_EIO, path, 0, -1, "cannot open: %s", strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    int rc = 0;
    while (!rc && (n = getline(&line, &cap, fp)) >= 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (!n || line[0] == '#')
            continue;
        char *tab = strchr(line, '\t');
        if (!tab || !tab[1]) {
            rc = tifa_err_set(e, TIFA_EDATA, path, lineno, -1, "expected NAME<TAB>REGEX");
            break;
        }
        *tab = '\0';
        rc = rule_set_add(rs, line, tab + 1, path, lineno, e);
    }
    if (!rc && ferror(fp))
        rc = tifa_err_set(e, TIFA_EIO, path, 0, -1, "read error");
    free(line);
    fclose(fp);
    return rc;
}

void rule_scanner_init(struct rule_scanner *sc, const struct rule_set *rs)
{
    uint32_t pairs = 1;
    for (size_t i = 0; i < rs->n; i++) {
        uint32_t cap = 0;
        pcre2_pattern_info(rs->v[i].code, PCRE2_INFO_CAPTURECOUNT, &cap);
        if (cap + 1 > pairs)
            pairs = cap + 1;
    }
    sc->rs = rs;
    sc->md = pcre2_match_data_create(pairs, NULL);
}

void rule_scanner_release(struct rule_scanner *sc)
{
    pcre2_match_data_free(sc->md);
    sc->md = NULL;
}

static int match_error(const struct rule *r, int rc, struct tifa_err *e)
{
    PCRE2_UCHAR m[256];
    pcre2_get_error_message(rc, m, sizeof(m));
    return tifa_err_set(e, TIFA_ELIMIT, NULL, 0, -1, "pattern '%s': %s", r->name, (const char *)m);
}

int rule_scan(struct rule_scanner *sc, const char *text, size_t len, rule_match_fn *fn, void *arg,
              struct tifa_err *e)
{
    for (uint32_t i = 0; i < sc->rs->n; i++) {
        const struct rule *r = &sc->rs->v[i];
        for (size_t at = 0; at < len;) {
            int rc =
                pcre2_match(r->code, (PCRE2_SPTR)text, len, at, PCRE2_NO_UTF_CHECK, sc->md, NULL);
            if (rc == PCRE2_ERROR_NOMATCH)
                break;
            if (rc < 0)
                return match_error(r, rc, e);
            const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(sc->md);
            size_t end = ov[1];
            struct rule_match m = {i, 0, 0, ov[0], ov[1] - ov[0]};
            if (r->group && ov[2 * r->group] != PCRE2_UNSET) {
                m.off = ov[2 * r->group];
                m.len = ov[2 * r->group + 1] - ov[2 * r->group];
            } else {
                m.off = m.match_off;
                m.len = m.match_len;
            }
            fn(&m, arg);
            at = end > at ? end : at + 1;
            while (at < len && ((unsigned char)text[at] & 0xC0) == 0x80)
                at++;
        }
    }
    return 0;
}

int rule_match_whole(struct rule_scanner *sc, uint32_t rule_id, const char *text, size_t len,
                     struct tifa_err *e)
{
    const struct rule *r = &sc->rs->v[rule_id];
    int rc = pcre2_match(r->code, (PCRE2_SPTR)text, len, 0,
                         PCRE2_ANCHORED | PCRE2_ENDANCHORED | PCRE2_NO_UTF_CHECK, sc->md, NULL);
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    return rc < 0 ? match_error(r, rc, e) : 1;
}
