/*
 * cmd: the subcommands, their shared options, and tifa's exit statuses.
 *
 * Owns: the exit status enum (the one place it is defined), the options every counting command
 * shares (inputs, lexicon, matching, threads, --quiet) and the code that turns them into a file
 * list, a lexicon and an automaton. Must not: hold algorithms; every cmd_* function only wires
 * modules, prints messages in one voice ("tifa: ...") and picks the exit status.
 *
 * A command runs in two halves. First it parses its options (optparse) and calls cmd_setup;
 * whatever fails there is a usage error: the message, for option and argument errors a last line
 * "tifa: see 'tifa CMD --help'" (optparse_usage_error), status EXIT_USAGE and nothing on
 * stdout. Only then does it count and report.
 */
#ifndef TIFA_CMD_H
#define TIFA_CMD_H

#include <stddef.h>
#include <stdint.h>

#include "tifa/ac.h"
#include "tifa/agg.h"
#include "tifa/lexicon.h"
#include "tifa/meta.h"
#include "tifa/optparse.h"
#include "tifa/progress.h"
#include "tifa/report.h"
#include "tifa/walk.h"

struct json_t;

enum tifa_exit {
    EXIT_OK = 0,        /* every input was read */
    EXIT_DIFFERENT = 1, /* only `diff --exit-code`: some count differs */
    EXIT_USAGE = 2,     /* usage, lexicon or rule error: nothing was done */
    EXIT_PARTIAL = 3,   /* some inputs could not be read; the rest were reported */
    EXIT_SYSTEM = 4     /* system or output error (e.g. a failed write to stdout) */
};

/* The lexicon source name of terms given on the command line (common_opts.extra_terms). */
#define CMD_TERMS_ORIGIN "command line"

/* Options shared by the counting commands (count, diff, trend). */
struct common_opts {
    const char **lexicons;
    size_t nlexicons, lexicons_alloc;
    int no_builtin;
    const char **categories;
    size_t ncategories, categories_alloc;
    const char *const *extra_terms; /* terms added after the lexicons and --category, from the
                                       source CMD_TERMS_ORIGIN (kwic's literals) */
    size_t nextra_terms;
    int overlapping;
    const char *encoding;
    unsigned threads;
    struct walk_opts walk;
    const char **globs;
    size_t globs_alloc;
    const char *files_from;
    int nul_sep;
    int quiet;          /* -q: no progress line, no warnings (errors are still printed) */
    int raw;            /* --raw: files that are not text are read as text bytes */
    int bom;            /* --bom: CSV output starts with a UTF-8 byte-order mark */
    const char **metas; /* --meta FILE: metadata tables (meta.h) */
    size_t nmetas, metas_alloc;
    const char **wheres; /* --where FIELD=VALUE|FIELD~REGEX: all must hold */
    size_t nwheres, wheres_alloc;
    int script;                /* --script (enum script_mode, script.h) */
    const char *opencc_config; /* --opencc-config NAME, NULL = t2s */
    const char *output;        /* -o/--output FILE: the report goes there, atomically */
    struct resolve_opts reading; /* count's --expansions, --partial (resolve.h) */
};

void common_opts_init(struct common_opts *o);
void common_opts_release(struct common_opts *o);

/** Ids of the shared options start here; a command numbers its own from 1. */
#define COMMON_OPT_BASE 1000
/** The shared options, as optparse tables: the lexicon ones (--lexicon, --no-builtin,
 *  --category: count, diff, trend, lexicon), and those of inputs and matching (--overlapping,
 *  --encoding, -j/--threads, --hidden, --binary, --glob, --files-from, -0/--null, and
 *  -q/--quiet: count, diff, trend). */
extern const struct optparse_spec common_lexicon_opts[];
extern const struct optparse_spec common_input_opts[];
/** -o/--output FILE, which every command that writes a report takes (cmd_output_open). */
extern const struct optparse_spec common_output_opts[];
/** Their help text, for `--help` after the command's own options. */
extern const char common_opts_help[];
/**
 * Handles a shared option @id that optparse_next returned, with @p->value as its value.
 * Returns 1 if handled, 0 if @id is not a shared option, -1 on a bad value (message printed).
 */
int common_opts_handle(struct common_opts *o, int id, const struct optparse *p);

/*
 * The metadata of a run (--meta, --where): the tables and every document's fields. Built by
 * cmd_meta_apply after the walk; lifetime: run.
 */
struct cmd_meta {
    struct meta m;
    int active;          /* --meta was given */
    const char **values; /* per file of the (selected) walk: m.nfields values, NULL = absent */
    size_t *rows;        /* per file: m.ntables row indices (META_NO_ROW) */
    size_t nfiles;
    size_t excluded;         /* files --where left out */
    struct note_list no_row; /* files that no table names, selected or not (text "") */
    const char *const *wheres;
    size_t nwheres;
};

/**
 * Reads the --meta tables, finds each file of @w in them, and keeps in @w only the files every
 * --where holds for (in order). Prints, unless --quiet, a warning for rows naming no input file
 * and for files no table names (the first few, then how many more; JSON lists all). Returns 0,
 * or EXIT_USAGE after printing why (a malformed table: FILE:LINE; --where without --meta, or
 * naming no field). Does nothing without --meta. Release with cmd_meta_release.
 */
int cmd_meta_apply(struct cmd_meta *cm, const struct common_opts *o, struct walk_result *w);
void cmd_meta_release(struct cmd_meta *cm);
/** The fields of file @index (cm->m.nfields values), or NULL without --meta. */
const char *const *cmd_meta_doc(const struct cmd_meta *cm, size_t index);
/** The field @name of an @option (--group-by FIELD, --date-field FIELD): its index in @cm's
 *  fields into *@field. Prints why and returns EXIT_USAGE without --meta or when no table has
 *  the field. */
int cmd_meta_field(const struct cmd_meta *cm, const char *name, const char *option, size_t *field);
/** JSON "meta" of a report: tables, fields, where, excluded, documents_without_row,
 *  rows_without_document ([{table, line, key}]); NULL without --meta. New reference. */
struct json_t *cmd_meta_json(const struct cmd_meta *cm);

/** What cmd_setup must get ready, besides checking --encoding (always). */
enum cmd_setup_need {
    SETUP_LEXICON = 1 << 0,   /* the lexicons, restricted to --category */
    SETUP_AUTOMATON = 1 << 1, /* the automaton (implies SETUP_LEXICON) */
    SETUP_INPUTS = 1 << 2     /* the arguments and --files-from walked into a file list */
};

/**
 * Everything a counting command needs before it writes a byte. Lifetime: run; owned by the
 * command, freed by cmd_setup_release.
 */
struct cmd_setup {
    struct lexicon lx;         /* SETUP_LEXICON; empty otherwise */
    struct ac *ac;             /* SETUP_AUTOMATON; NULL otherwise */
    struct resolver *resolver; /* SETUP_AUTOMATON, leftmost-longest, when the lexicon has
                                  senses with cues, abbreviations, or expansions are asked for
                                  (resolve.h); NULL otherwise */
    struct walk_result walk;   /* SETUP_INPUTS: files in path order, skipped, errors */
    struct cmd_meta meta;      /* SETUP_INPUTS: --meta and --where (walk.files is selected) */
    double lexicon_ms, automaton_ms, walk_ms; /* how long each step took (TIFA_DEBUG_TIMING) */
};

/**
 * The one set-up of count, diff, trend and lexicon: checks --encoding (iconv_open), then loads
 * the lexicons, builds the automaton and walks the inputs (@args, @nargs and --files-from) as
 * @need (enum cmd_setup_need) asks. Inputs that cannot be read are printed ("tifa: 'PATH':
 * REASON") and stay in walk.errors: they are not a failure here. Returns 0, or EXIT_USAGE after
 * printing why ("tifa: unknown encoding 'BOGUS'", "tifa: FILE:LINE: reason"). Call
 * cmd_setup_release(@s) in both cases.
 */
int cmd_setup(struct cmd_setup *s, const struct common_opts *o, unsigned need, char **args,
              size_t nargs);
void cmd_setup_release(struct cmd_setup *s);

/**
 * Unless --script keep: folds the @n terms of @v (given on the command line, e.g. kwic's) to
 * simplified as the text and user lexicons are (script.h); each changed one is replaced by a
 * new string, which *@owned (an array of *@nowned, NULL when none) holds: free each, then it.
 * Returns 0, or EXIT_USAGE after printing why (the OpenCC configuration cannot be opened).
 */
int cmd_fold_terms(const struct common_opts *o, char **v, size_t n, char ***owned, size_t *nowned);

/** Turns the arguments (and --files-from) into a walk result. Returns 0 or EXIT_USAGE. */
int cmd_walk_inputs(const struct common_opts *o, char **args, size_t nargs, struct walk_result *w);
/** Sets @wo to skip the files the command writes (walk_opts.skip_output): its standard output
 *  when that is a regular file (with -o, the temporary once open) and @output (-o FILE, may be
 *  NULL) when it exists; says so on stderr for each input @w skipped for that reason (call
 *  cmd_note_output_skips after the walk). */
void cmd_skip_output(struct walk_opts *wo, const char *output);
void cmd_note_output_skips(const struct walk_result *w);

/** Milliseconds on the monotonic clock (TIFA_DEBUG_TIMING). */
double cmd_now_ms(void);

struct corpus_opts;

/**
 * The human side of a run on stderr: --quiet, and the progress line (progress.h) while a
 * corpus_run or corpus_count runs. One per command, on its stack. Wiring, the same in every
 * command that runs the driver:
 *
 *     struct cmd_progress cp;
 *     cmd_progress_start(&cp, &co, 0, &copts);   // just before corpus_count / corpus_run
 *     corpus_count(..., &copts, on_doc, &run);   // on_doc: cmd_warn_invalid(&cp, doc), ...
 *     cmd_progress_end(&cp);                     // the line erased; before the report
 *
 * While it runs, whatever goes to stderr goes through cmd_warn_invalid, cmd_doc_failed or
 * cmd_progress_message, so that no message lands on the line.
 */
struct cmd_progress {
    struct progress line;
    int quiet;
};

/**
 * Decides whether the run shows the line (stderr a terminal, not --quiet, not
 * @streams_stdout with stdout a terminal too: a command that writes stdout while the run goes
 * on passes 1; TIFA_PROGRESS_DELAY_MS=N, hidden, for tests, replaces the one second the run
 * must last before it shows) and, if it does, sets @copts' progress hook to draw it.
 */
void cmd_progress_start(struct cmd_progress *cp, const struct common_opts *co, int streams_stdout,
                        struct corpus_opts *copts);

/** Prints a message line to stderr during the run: the progress line (if drawn) is erased
 *  first and drawn again after it. @cp may be NULL. Printed --quiet or not. */
void cmd_progress_message(struct cmd_progress *cp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/** Erases the line if it was drawn; call it when the run is over, before the report. */
void cmd_progress_end(struct cmd_progress *cp);

/** Prints the one warning a document with invalid sequences gets (nothing when it has none,
 *  or with --quiet), off the progress line. @cp may be NULL (no line, not quiet). */
void cmd_warn_invalid(struct cmd_progress *cp, const struct agg_doc *doc);
/** The same for a document known by its fields (kwic's corpus_doc). */
void cmd_warn_invalid_at(struct cmd_progress *cp, const char *path, const char *encoding,
                         uint64_t invalid, long long first_off);

/** Parses the current option's value as --color WHEN: sets *@when to 0 (never), 1 (always) or
 *  -1 (auto); prints the error and returns -1 when it is none of them. */
int cmd_parse_color(const struct optparse *p, int *when);
/** Whether to colour stdout for @when: never, always, or auto = stdout is a terminal and
 *  NO_COLOR is unset or empty (https://no-color.org). */
int cmd_color_enabled(int when);

/**
 * Document @index (of @w's files) that corpus_count gave back as failed: a binary file
 * (TIFA_ESKIP) joins @w's skipped list; anything else is printed ("tifa: 'PATH': MESSAGE",
 * --quiet or not: it changes the exit status), off the progress line, and joins its errors.
 * The path is the file's whole path (err->path is cut at 1,023 bytes). @cp may be NULL. Call
 * walk_sort_notes(@w) when counting is over.
 */
void cmd_doc_failed(struct cmd_progress *cp, size_t index, const struct tifa_err *err,
                    struct walk_result *w);

/**
 * Unless @quiet, one line on stderr for the files @w skipped, by reason, when there are any:
 * "tifa: 3 files skipped as binary, 1 as pdf; --format json lists them" (the file tifa writes,
 * reason "output", has its own line). Call when reading is over.
 */
void cmd_note_skips(const struct walk_result *w, int quiet);

/** Parses a --format value among the formats of a command family (@allowed: report_count_formats,
 *  report_diff_formats, ...); prints the error, naming the allowed ones, and returns -1 when it
 *  is not one of them. */
int cmd_parse_format(const char *s, const struct report_formats *allowed, enum report_format *out);

/** Writes the UTF-8 byte-order mark before CSV output when @bom (--bom): Excel on Windows reads
 *  a CSV without one in the ANSI code page, and Chinese turns to mojibake. Call just before the
 *  first byte of the report. */
void cmd_begin_csv(int bom, enum report_format fmt);

/** Parses a --sort value (count, term, docs); prints the error and returns -1 when unknown. */
int cmd_parse_sort(const char *s, enum agg_sort *out);

/** The summary cut of --top N and --min-count N (count, merge, diff; trend's --min-count):
 *  keep the terms counted at least min_count times, then the first top of them; 0 = no cut. */
struct cmd_cut {
    size_t top;
    uint64_t min_count;
};

/**
 * Parses the current option's value as --top N (@is_top) or --min-count N into @cut: a whole
 * number, 0 meaning no cut. Prints "tifa: invalid value 'x' for --top (a whole number)" and
 * returns -1 when it is not one. Example, both options in one case:
 *
 *     case OPT_TOP:
 *     case OPT_MIN_COUNT:
 *         if (cmd_parse_cut(&p, c == OPT_TOP, &cut))
 *             goto usage;
 *         break;
 */
int cmd_parse_cut(const struct optparse *p, int is_top, struct cmd_cut *cut);

/**
 * With -o FILE (@output not NULL): opens FILE's temporary (outfile.h) and makes it standard
 * output, once per run (later calls do nothing). Returns 0, or prints "tifa: cannot write
 * 'FILE': REASON" and returns EXIT_USAGE (nothing was written). cmd_setup calls it last, so a
 * command that calls cmd_setup need not; others call it before the first byte of the report.
 */
int cmd_output_open(const char *output);

/**
 * Writes the buffered stdout and reports a write error; returns EXIT_SYSTEM or @status. With
 * -o FILE open: a run that reported (@status 0, 1 or 3) renames the finished report over FILE
 * ("tifa: error writing 'FILE': REASON" and EXIT_SYSTEM when any write, the fsync, the close or
 * the rename fails); EXIT_USAGE or EXIT_SYSTEM leaves FILE untouched. A run that ends without
 * reaching it (or a fatal signal) leaves FILE untouched too.
 */
int cmd_finish_output(int status);

/** The answer to --version (OPTPARSE_VERSION, or `tifa --version`): prints "tifa VERSION" and
 *  returns cmd_finish_output(EXIT_OK). TIFA_VERSION is defined in opt.c alone (-DTIFA_VERSION=
 *  overrides it). */
int cmd_version(void);
/** tifa's version ("0.1.0"), as cmd_version prints it and reports record it (settings.h). */
const char *cmd_version_string(void);

struct rule_set;
/** The settings (settings.h) of a run set up by cmd_setup with @o: new reference. @patterns
 *  (count's --pattern) may be NULL; @by_sense is count's --by-sense when it took effect. */
struct json_t *cmd_run_settings(const struct cmd_setup *s, const struct common_opts *o,
                                const struct rule_set *patterns, int by_sense);

/**
 * Before diff or merge reads a number: compares the settings (settings.h) of the @n reports or
 * runs named @names, @settings[i] (NULL: a report written before tifa recorded them), each
 * with the first that has settings. A report without settings gets a warning (it cannot be
 * checked; unless @quiet). When settings differ, without @force: prints "tifa: 'A' and 'B'
 * were counted differently: DIFFERENCES" and a hint, and returns EXIT_USAGE; with @force, the
 * differences are only warned about. Returns 0 otherwise, with *@out set to the settings the
 * output records (a copy of the first, its "forced" array listing what --force went past and
 * which reports had none; NULL when no input has settings; the caller decrefs it).
 */
int cmd_check_settings(struct json_t *const *settings, const char *const *names, size_t n,
                       int force, int quiet, struct json_t **out);

int cmd_count(int argc, char **argv);
int cmd_cooc(int argc, char **argv);
int cmd_kwic(int argc, char **argv);
int cmd_discover(int argc, char **argv);
int cmd_lexicon(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_trend(int argc, char **argv);

#endif
