/*
 * optparse: the command-line option parser of every subcommand (see optparse.h for the rules).
 *
 * How it works: optparse_next reads argv left to right. A word that is not an option (or any
 * word after "--") is an argument and is moved down to argv[1 + nargs], a slot of a word already
 * read, so arguments keep their order and getopt's permutation needs no copy. A long option is
 * looked up by its whole name in each table in turn, every_command_opts (-h/--help, -V/--version)
 * first; a short one by its letter, continuing in the same word ("-0j2") through p->cluster.
 * When nothing matches, every long name of the tables is scored by optparse_closeness and the
 * closest (the first on a tie) is offered.
 *
 * optparse_closeness is the optimal-string-alignment distance (Levenshtein plus swaps of
 * neighbours, so "fromat" is one edit from "format"), O(|a|·|b|) time on three rows of the table;
 * words longer than OPTPARSE_MAXLEN are never close.
 */
#include <stdio.h>
#include <string.h>

#include "tifa/optparse.h"

#define OPTPARSE_MAXLEN 64

void optparse_init(struct optparse *p, const char *cmd, int argc, char **argv,
                   const struct optparse_spec *const *tables)
{
    memset(p, 0, sizeof(*p));
    p->cmd = cmd;
    p->argc = argc;
    p->argv = argv;
    p->tables = tables;
    p->ind = 1;
}

/* The options every command has, searched before the command's tables. */
static const struct optparse_spec every_command_opts[] = {
    {OPTPARSE_HELP, 'h', "help", 0},
    {OPTPARSE_VERSION, 'V', "version", 0},
    {0, 0, NULL, 0},
};

/* Table @t of those searched, in order: every_command_opts, then the command's; NULL after. */
static const struct optparse_spec *table_at(const struct optparse *p, size_t t)
{
    return t ? p->tables[t - 1] : every_command_opts;
}

static const struct optparse_spec *find_long(const struct optparse *p, const char *name, size_t len)
{
    const struct optparse_spec *tab;
    for (size_t t = 0; (tab = table_at(p, t)); t++)
        for (const struct optparse_spec *s = tab; s->id; s++)
            if (s->long_name && strlen(s->long_name) == len && !memcmp(s->long_name, name, len))
                return s;
    return NULL;
}

static const struct optparse_spec *find_short(const struct optparse *p, char c)
{
    const struct optparse_spec *tab;
    for (size_t t = 0; (tab = table_at(p, t)); t++)
        for (const struct optparse_spec *s = tab; s->id; s++)
            if (s->short_name == c)
                return s;
    return NULL;
}

static int min3(int a, int b, int c)
{
    int m = a < b ? a : b;
    return m < c ? m : c;
}

int optparse_closeness(const char *word, const char *name)
{
    size_t la = strlen(word), lb = strlen(name);
    int rows[3][OPTPARSE_MAXLEN + 1]; /* row i of the distance table in rows[(i + 1) % 3] */
    if (la > OPTPARSE_MAXLEN || lb > OPTPARSE_MAXLEN)
        return -1;
    if (la >= 3 && la < lb && !strncmp(word, name, la))
        return 1;
    for (size_t j = 0; j <= lb; j++)
        rows[1][j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int *cur = rows[(i + 1) % 3], *prev = rows[i % 3], *prev2 = rows[(i + 2) % 3];
        cur[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int cost = word[i - 1] != name[j - 1];
            cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
            if (i > 1 && j > 1 && word[i - 1] == name[j - 2] && word[i - 2] == name[j - 1] &&
                prev2[j - 2] + 1 < cur[j])
                cur[j] = prev2[j - 2] + 1;
        }
    }
    int d = rows[(la + 1) % 3][lb];
    return d <= 2 && 3 * (size_t)d <= lb ? d : -1;
}

/* "tifa: unknown option '--fromat' (did you mean --format?)"; @name is the word without "--". */
static int unknown_long(const struct optparse *p, const char *name, size_t len)
{
    char word[OPTPARSE_MAXLEN + 1];
    const char *best = NULL;
    int best_d = -1;
    if (len <= OPTPARSE_MAXLEN) {
        memcpy(word, name, len);
        word[len] = '\0';
        const struct optparse_spec *tab;
        for (size_t t = 0; (tab = table_at(p, t)); t++)
            for (const struct optparse_spec *s = tab; s->id; s++) {
                int d = s->long_name ? optparse_closeness(word, s->long_name) : -1;
                if (d >= 0 && (best_d < 0 || d < best_d)) {
                    best = s->long_name;
                    best_d = d;
                }
            }
    }
    if (best)
        fprintf(stderr, "tifa: unknown option '--%.*s' (did you mean --%s?)\n", (int)len, name,
                best);
    else
        fprintf(stderr, "tifa: unknown option '--%.*s'\n", (int)len, name);
    return OPTPARSE_ERROR;
}

/* The value of option @s (p->name set): @attached ("--name=VALUE", "-xVALUE"), else the next
 * word whatever it looks like. Returns @s's id, or OPTPARSE_ERROR when argv ends first. */
static int take_value(struct optparse *p, const struct optparse_spec *s, const char *attached)
{
    if (attached) {
        p->value = attached;
    } else if (p->ind < p->argc) {
        p->value = p->argv[p->ind++];
    } else {
        fprintf(stderr, "tifa: option '%s' needs a value\n", p->name);
        return OPTPARSE_ERROR;
    }
    return s->id;
}

/* A word starting with "--" (not "--" itself). */
static int next_long(struct optparse *p, const char *word)
{
    const char *name = word + 2, *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    const struct optparse_spec *s = find_long(p, name, len);
    if (!s)
        return unknown_long(p, name, len);
    snprintf(p->name, sizeof(p->name), "--%s", s->long_name);
    if (!s->takes_value) {
        if (eq) {
            fprintf(stderr, "tifa: option '%s' takes no value\n", p->name);
            return OPTPARSE_ERROR;
        }
        return s->id;
    }
    return take_value(p, s, eq ? eq + 1 : NULL);
}

/* The next letter of a short-option cluster (p->cluster points at it). */
static int next_short(struct optparse *p)
{
    char c = *p->cluster++;
    const struct optparse_spec *s = find_short(p, c);
    if (!*p->cluster)
        p->cluster = NULL;
    if (!s) {
        fprintf(stderr, "tifa: unknown option '-%c'\n", c);
        return OPTPARSE_ERROR;
    }
    snprintf(p->name, sizeof(p->name), "-%c", c);
    if (!s->takes_value)
        return s->id;
    const char *attached = p->cluster;
    p->cluster = NULL;
    return take_value(p, s, attached);
}

int optparse_next(struct optparse *p)
{
    p->value = NULL;
    p->name[0] = '\0';
    if (p->cluster)
        return next_short(p);
    while (p->ind < p->argc) {
        char *word = p->argv[p->ind++];
        if (p->dashdash || word[0] != '-' || !word[1]) {
            p->argv[1 + p->nargs++] = word;
            continue;
        }
        if (word[1] != '-') {
            p->cluster = word + 1;
            return next_short(p);
        }
        if (!word[2]) {
            p->dashdash = 1;
            continue;
        }
        return next_long(p, word);
    }
    return OPTPARSE_END;
}

int optparse_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    if (v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

void optparse_bad_value(const struct optparse *p, const char *expected)
{
    fprintf(stderr, "tifa: invalid value '%s' for %s (%s)\n", p->value ? p->value : "", p->name,
            expected);
}

int optparse_number(const struct optparse *p, uint64_t min, uint64_t max, uint64_t *out)
{
    char expected[96];
    if (!optparse_parse_u64(p->value, min, max, out))
        return 0;
    if (max == UINT64_MAX && !min)
        snprintf(expected, sizeof(expected), "a whole number");
    else if (max == UINT64_MAX)
        snprintf(expected, sizeof(expected), "a whole number, %llu or more",
                 (unsigned long long)min);
    else
        snprintf(expected, sizeof(expected), "a whole number from %llu to %llu",
                 (unsigned long long)min, (unsigned long long)max);
    optparse_bad_value(p, expected);
    return -1;
}

void optparse_usage_error(const struct optparse *p)
{
    fprintf(stderr, "tifa: see 'tifa %s --help'\n", p->cmd);
}
