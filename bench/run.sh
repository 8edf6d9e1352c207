#!/usr/bin/env bash
# bench/run.sh: tifa's speed against cat, grep, ripgrep and Hyperscan on a generated corpus
# (make bench).
#
# Environment (make passes these): TIFA (binary), GENCORPUS (built from bench/gencorpus.c),
# HS_COUNT (where make builds bench/hs_count.c, default build/hs_count),
# BENCH_MB (corpus size, default 256: many files of 20-200 KB, and one single file, each that
# big), BENCH_REPEAT (tifa and cat runs, best of N, default 3), BENCH_SMALL_FILES (default
# 100000 files of 1 KB), TIFA_BENCH_DIR (scratch folder, default /tmp/tifa-bench; generated
# corpora are kept there and reused while the generator, its arguments and corpus/ are
# unchanged), BENCH_RESULTS (default bench/RESULTS.md, where the table is appended).
# Nothing is written into the repository except BENCH_RESULTS.
#
# Lexicons: "built-in" is tifa's own; "10k" is the built-in one plus the most frequent 4-8
# character Han substrings of corpus/*.txt (gencorpus terms), 10,000 patterns in all. Because the
# corpus is made of the same sentences, the 10k lexicon matches far more often than a real one:
# it is a worst case for match handling, not only for the automaton's size. "dense" is the
# built-in lexicon plus the 300 most frequent 2-4 character Han strings (gencorpus sterms): a
# short list of frequent words, whose cost is the cost of each match; the table gives the extra
# time a match against the built-in lexicon, in ns. TIFA_BASE=BINARY adds rows for another
# build (the previous landing) on the same corpus in the same run, and their ratios.
#
# grep and rg get every pattern tifa matches (terms and aliases, from `tifa lexicon --format
# tsv`), longest first; their `sort | uniq -c` counts, with aliases mapped to their terms, are
# checked against tifa's totals. The generator never lets a formula run across a line break,
# so line-based tools can see the same matches; any remaining difference (white space inside a
# formula, full-width forms that tifa normalizes) is printed, not hidden.
#
# Hyperscan: bench/hs_count.c counts the same patterns with Hyperscan and picks leftmost-longest
# matches like grep -o, in C, with 1 and NCPU threads (files dealt to threads; one file is read
# by one thread). It needs libhs (Debian package libhyperscan-dev), installed here when apt can
# get it; without it the Hyperscan rows are skipped, and the table says why. Its counts are
# checked like grep's, and its 10k-term total against tifa's.
set -u
export LC_ALL=C

TIFA=${TIFA:-./tifa}
GENCORPUS=${GENCORPUS:-build/gencorpus}
BENCH_MB=${BENCH_MB:-256}
BENCH_REPEAT=${BENCH_REPEAT:-3}
BENCH_SMALL_FILES=${BENCH_SMALL_FILES:-100000}
DIR=${TIFA_BENCH_DIR:-/tmp/tifa-bench}
RESULTS=${BENCH_RESULTS:-bench/RESULTS.md}

skip() { echo "bench: skipped: $*"; exit 0; }

[ -x "$TIFA" ] || skip "no tifa binary at $TIFA (run make)"
[ -x "$GENCORPUS" ] || skip "no corpus generator at $GENCORPUS"
ls corpus/*.txt >/dev/null 2>&1 || skip "no corpus/*.txt (run from the repository root)"
for t in md5sum awk sort uniq grep cat; do
    command -v "$t" >/dev/null || skip "$t is missing"
done
case $DIR in
"$(pwd)"|"$(pwd)"/*) skip "TIFA_BENCH_DIR must be outside the repository" ;;
esac
if ! command -v rg >/dev/null; then
    TIFA_EXTRA_DEPS=ripgrep sh scripts/deps.sh >/dev/null 2>&1 || true
fi
HAVE_RG=0; command -v rg >/dev/null && HAVE_RG=1
HS_COUNT=${HS_COUNT:-build/hs_count}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
if ! $PKG_CONFIG --exists libhs 2>/dev/null; then
    TIFA_EXTRA_DEPS=libhyperscan-dev sh scripts/deps.sh >/dev/null 2>&1 || true
fi
# make builds hs_count with this make's flags minus its jobserver, which is not passed to this
# script (make -j bench would warn "jobserver unavailable")
HS_WHY=""
if ! $PKG_CONFIG --exists libhs 2>/dev/null; then
    HS_WHY="libhs is missing and apt could not install libhyperscan-dev"
elif ! MAKEFLAGS=$(printf '%s' "${MAKEFLAGS:-}" | sed 's/ --jobserver-[a-z]*=[^ ]*//g') \
        ${MAKE:-make} -s --no-print-directory "$HS_COUNT" >&2 || [ ! -x "$HS_COUNT" ]; then
    HS_WHY="building $HS_COUNT failed"
fi
HAVE_HS=0; [ -z "$HS_WHY" ] && HAVE_HS=1
[ $HAVE_HS = 1 ] || echo "bench: the Hyperscan rows are skipped: $HS_WHY" >&2
HAVE_GNUTIME=0
[ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1 && HAVE_GNUTIME=1
if [ $HAVE_GNUTIME = 0 ]; then
    TIFA_EXTRA_DEPS=time sh scripts/deps.sh >/dev/null 2>&1 || true
    [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1 && HAVE_GNUTIME=1
fi
[ $HAVE_GNUTIME = 1 ] || skip "GNU time (/usr/bin/time, Debian package time) is missing"
HAVE_UTF8=0; locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$' && HAVE_UTF8=1

mkdir -p "$DIR" || skip "cannot create $DIR"
avail_mb=$(df -Pm "$DIR" | awk 'NR==2 {print $4}')
need_mb=$((BENCH_MB * 2 + BENCH_SMALL_FILES * 8 / 1000 + 64))
[ "${avail_mb:-0}" -ge "$need_mb" ] || skip "$DIR has ${avail_mb} MB free, needs about $need_mb MB"

SOURCES=$(ls corpus/*.txt | sort)
BYTES=$((BENCH_MB * 1024 * 1024))
SEED=20240101
GENSIG=$( (md5sum "$GENCORPUS"; cat $SOURCES | md5sum) | md5sum | cut -c1-12)
TMP=$DIR/tmp
mkdir -p "$TMP"
# a private copy, so a rebuild in the work tree during the run cannot change what is measured
cp "$TIFA" "$TMP/tifa" || skip "cannot copy $TIFA"
TIFA=$TMP/tifa
if [ $HAVE_HS = 1 ]; then
    cp "$HS_COUNT" "$TMP/hs_count" || skip "cannot copy $HS_COUNT"
    HS_COUNT=$TMP/hs_count
fi

# ---- corpora (generated once, reused while nothing they depend on changed) ----
gen() {  # gen NAME ARGS...: runs the generator into $DIR/NAME unless its stamp matches
    local name=$1; shift
    local stamp="$GENSIG $*"
    if [ -f "$DIR/$name.stamp" ] && [ "$(cat "$DIR/$name.stamp")" = "$stamp" ]; then
        return 0
    fi
    echo "bench: generating $name ($*)" >&2
    rm -rf "${DIR:?}/$name" "$DIR/$name.stamp"
    "$GENCORPUS" "$@" $SOURCES || skip "the generator failed"
    echo "$stamp" > "$DIR/$name.stamp"
}
gen many files "$DIR/many" $BYTES 20000 200000 $SEED
gen one.txt one "$DIR/one.txt" $BYTES $SEED
gen small nfiles "$DIR/small" "$BENCH_SMALL_FILES" 1024 1024 $SEED

# Determinism: the same arguments give the same bytes (checked on a small corpus, twice).
rm -rf "$TMP/det1" "$TMP/det2"
"$GENCORPUS" files "$TMP/det1" 3000000 20000 200000 $SEED $SOURCES
"$GENCORPUS" files "$TMP/det2" 3000000 20000 200000 $SEED $SOURCES
det1=$(cd "$TMP/det1" && find . -type f | sort | xargs md5sum | md5sum)
det2=$(cd "$TMP/det2" && find . -type f | sort | xargs md5sum | md5sum)
[ "$det1" = "$det2" ] && DET=same || DET=DIFFERENT
rm -rf "$TMP/det1" "$TMP/det2"

# ---- lexicons ----
"$TIFA" lexicon --format tsv > "$TMP/lexicon.tsv" || skip "tifa lexicon failed"
# pattern<TAB>term for every term and alias, and every abbreviation (a term of its own: the
# short form as written)
awk -F'\t' 'NR > 1 && $2 != "" { print $2 "\t" $2; n = split($4, a, "|");
    for (i = 1; i <= n; i++) if (a[i] != "") print a[i] "\t" $2
    n = split($11, a, "|"); for (i = 1; i <= n; i++) if (a[i] != "") print a[i] "\t" a[i] }' "$TMP/lexicon.tsv" |
    sort -u > "$TMP/patterns.map"
cut -f1 "$TMP/patterns.map" | sort -u > "$TMP/patterns.txt"
# longest first (bytes), then byte order: rg -F prefers the first listed pattern
awk '{ print length($0) "\t" $0 }' "$TMP/patterns.txt" | sort -t "$(printf '\t')" -k1,1nr -k2 |
    cut -f2- > "$TMP/terms.txt"
NPAT=$(wc -l < "$TMP/terms.txt")
"$GENCORPUS" terms $((10000 - NPAT)) "$TMP/patterns.txt" $SOURCES > "$TMP/lex10k.txt"
LEX10K="--lexicon $TMP/lex10k.txt"
# the same substrings reversed: as big an automaton, few matches (see gencorpus.c)
"$GENCORPUS" rterms $((10000 - NPAT)) "$TMP/patterns.txt" $SOURCES > "$TMP/lex10k-rare.txt"
LEX10KR="--lexicon $TMP/lex10k-rare.txt"
cat "$TMP/terms.txt" "$TMP/lex10k.txt" > "$TMP/terms10k.txt"  # the same 10,000 patterns for Hyperscan
# match-dense: the built-in lexicon plus the 300 most frequent 2-4 character strings of the
# sources, as a user's list of short, frequent words would be (the cost of each match)
"$GENCORPUS" sterms 300 "$TMP/patterns.txt" $SOURCES > "$TMP/lex-dense.txt"
LEXDENSE="--lexicon $TMP/lex-dense.txt"

# ---- measuring ----
# time_once CMD...: sets T_SEC (wall seconds) and T_RSS (peak RSS in KB) of one run.
time_once() {
    local t0=$EPOCHREALTIME
    /usr/bin/time -f "%M" -o "$TMP/time" bash -c "$*" > "$TMP/out" 2> "$TMP/err" ||
        { echo "bench: '$*' failed:" >&2; cat "$TMP/err" >&2; }
    local t1=$EPOCHREALTIME
    T_SEC=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    T_RSS=$(tail -1 "$TMP/time")
}

# add_row LABEL BYTES SECONDS RSS_KB: one row of the table.
declare -a ROW_LABEL ROW_SEC ROW_MBS ROW_RSS
declare -A SEC
add_row() {
    local label=$1 bytes=$2 best=$3 rss=$4 mbs
    awk -v s="$best" 'BEGIN { if (s < 0.001) exit 1 }' || best=0.001
    mbs=$(awk -v b="$bytes" -v s="$best" 'BEGIN { printf "%.0f", b / 1048576 / s }')
    ROW_LABEL+=("$label"); ROW_SEC+=("$best"); ROW_MBS+=("$mbs")
    ROW_RSS+=("$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')")
    SEC[$label]=$best
    printf '  %-56s %7.2f s %7s MB/s %8s MB\n' "$label" "$best" "$mbs" "${ROW_RSS[-1]}" >&2
}

# rss_of LABEL: the peak RSS (MB) of a row
rss_of() { local i; for ((i = 0; i < ${#ROW_LABEL[@]}; i++)); do [ "${ROW_LABEL[$i]}" = "$1" ] && echo "${ROW_RSS[$i]}"; done; }

faster() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

# run_timed LABEL BYTES REPEAT CMD...: best wall time of REPEAT runs, peak RSS of that run.
run_timed() {
    local label=$1 bytes=$2 rep=$3; shift 3
    local best="" rss="" i
    for ((i = 0; i < rep; i++)); do
        time_once "$@"
        if [ -z "$best" ] || faster "$T_SEC" "$best"; then best=$T_SEC; rss=$T_RSS; fi
    done
    add_row "$label" "$bytes" "$best" "$rss"
}

# run_paired LABEL_A LABEL_B BYTES REPEAT CMD_A CMD_B: A and B in turn (A B A B ...), best of
# each, as the rows LABEL_A and LABEL_B. Taking them in turn keeps a drift of the machine's
# speed out of their ratio.
run_paired() {
    local label_a=$1 label_b=$2 bytes=$3 rep=$4 a=$5 b=$6
    local best_a="" rss_a="" best_b="" rss_b="" i
    for ((i = 0; i < rep; i++)); do
        time_once "$a"
        if [ -z "$best_a" ] || faster "$T_SEC" "$best_a"; then best_a=$T_SEC; rss_a=$T_RSS; fi
        time_once "$b"
        if [ -z "$best_b" ] || faster "$T_SEC" "$best_b"; then best_b=$T_SEC; rss_b=$T_RSS; fi
    done
    add_row "$label_a" "$bytes" "$best_a" "$rss_a"
    add_row "$label_b" "$bytes" "$best_b" "$rss_b"
}

NCPU=$(nproc)
MANY_BYTES=$(find "$DIR/many" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
ONE_BYTES=$(stat -c %s "$DIR/one.txt")
NMANY=$(find "$DIR/many" -type f | wc -l)
R=$BENCH_REPEAT

echo "bench: warming the page cache" >&2
find "$DIR/many" "$DIR/small" -type f -print0 | xargs -0 cat > /dev/null
cat "$DIR/one.txt" > /dev/null

echo "bench: $NMANY files, $((MANY_BYTES / 1048576)) MB; one file of $((ONE_BYTES / 1048576)) MB; $NCPU cores" >&2
M="$DIR/many"; O="$DIR/one.txt"; T=$TIFA
run_timed "cat, many files" "$MANY_BYTES" "$R" "find $M -type f -print0 | xargs -0 cat > /dev/null"
run_timed "cat, one file" "$ONE_BYTES" "$R" "cat $O > /dev/null"
run_timed "tifa count -j1, built-in, many files" "$MANY_BYTES" "$R" "$T count -j1 -f tsv $M"
cp "$TMP/out" "$TMP/tifa.tsv"
run_timed "tifa count -j$NCPU, built-in, many files" "$MANY_BYTES" "$R" "$T count -j$NCPU -f tsv $M"
cmp -s "$TMP/out" "$TMP/tifa.tsv" && SAMEJ=same || SAMEJ=DIFFERENT
run_timed "tifa count -j1, built-in, one file" "$ONE_BYTES" "$R" "$T count -j1 $O"
run_timed "tifa count -j$NCPU, built-in, one file" "$ONE_BYTES" "$R" "$T count -j$NCPU $O"
run_timed "tifa count -j1, 10k terms, many files" "$MANY_BYTES" "$R" "$T count -j1 $LEX10K $M"
M10K=$(tail -1 "$TMP/out" | sed -n 's/.* \([0-9]*\) matches.*/\1/p')
run_timed "tifa count -j$NCPU, 10k terms, many files" "$MANY_BYTES" "$R" "$T count -j$NCPU $LEX10K $M"
run_timed "tifa count -j1, 10k terms, one file" "$ONE_BYTES" "$R" "$T count -j1 $LEX10K $O"
run_timed "tifa count -j1, 10k rare terms, many files" "$MANY_BYTES" "$R" "$T count -j1 $LEX10KR $M"
M10KR=$(tail -1 "$TMP/out" | sed -n 's/.* \([0-9]*\) matches.*/\1/p')
run_timed "tifa count --overlapping -j1, built-in, many files" "$MANY_BYTES" "$R" \
    "$T count --overlapping -j1 $M"
run_timed "tifa count -j1, dense 300 terms, many files" "$MANY_BYTES" "$R" "$T count -j1 $LEXDENSE $M"
MDENSE=$(tail -1 "$TMP/out" | sed -n 's/.* \([0-9]*\) matches.*/\1/p')
run_timed "tifa count -j1, dense 300 terms, one file" "$ONE_BYTES" "$R" "$T count -j1 $LEXDENSE $O"
MDENSE_ONE=$(tail -1 "$TMP/out" | sed -n 's/.* \([0-9]*\) matches.*/\1/p')
# the cost of a match: the dense lexicon and the built-in one in turn, on the one file
run_paired "dense: tifa count -j1, dense 300 terms, one file" "dense: tifa count -j1, built-in, one file" \
    "$ONE_BYTES" $((2 * R)) "$T count -j1 $LEXDENSE $O" "$T count -j1 $O"
MBUILTIN_ONE=$(tail -1 "$TMP/out" | sed -n 's/.* \([0-9]*\) matches.*/\1/p') # B ran last
# kwic against count in the same run, taken in turn: every built-in term's every match as jsonl,
# and one rare term (what a reader asks for most) against the regex concordance a user would
# otherwise run with rg
KRARE=一府一委两院
KW1="kwic: tifa kwic --all -f jsonl -j1, many files"; KC1="kwic: tifa count -f json -j1, many files"
run_paired "$KW1" "$KC1" "$MANY_BYTES" $((2 * R)) "$T kwic --all -f jsonl -j1 $M" "$T count -f json -j1 $M"
KWN="kwic: tifa kwic --all -f jsonl -j$NCPU, many files"; KCN="kwic: tifa count -f json -j$NCPU, many files"
run_paired "$KWN" "$KCN" "$MANY_BYTES" $((2 * R)) "$T kwic --all -f jsonl -j$NCPU $M" "$T count -f json -j$NCPU $M"
KWR="kwic: tifa kwic -j$NCPU $KRARE, many files"; KCR="kwic rare: tifa count -f json -j$NCPU, many files"
run_paired "$KWR" "$KCR" "$MANY_BYTES" $((2 * R)) "$T kwic -j$NCPU $KRARE $M" "$T count -f json -j$NCPU $M"
NKWIC=$("$T" kwic --all -f jsonl "$M" | wc -l)
NKWIC_RARE=$("$T" kwic -f jsonl "$KRARE" "$M" | wc -l)
if [ $HAVE_RG = 1 ]; then
    run_timed "rg -o '.{0,15}$KRARE.{0,15}' (a regex concordance)" "$MANY_BYTES" 1 \
        "rg -o --no-ignore --hidden '.{0,15}$KRARE.{0,15}' $M"
fi

# reading (issue 15): count as it reads shared labels and abbreviations against count with a
# lexicon that has no cues (nothing to read), and count --expansions against count, each pair
# taken in turn; on the generated files (every one holds 六个必须坚持, so every one is read) and
# on ../shared/corpus/public (real text)
"$T" lexicon --format tsv | awk -F'\t' 'BEGIN { OFS = "\t" } NR > 1 { $10 = "" } { print }' > "$TMP/nocues.tsv"
RDN="reading: tifa count -j1 -f json, lexicon without cues, many files"
RDY="reading: tifa count -j1 -f json, many files"
run_paired "$RDY" "$RDN" "$MANY_BYTES" $((2 * R)) "$T count -j1 -f json $M" \
    "$T count -j1 -f json --no-builtin --lexicon $TMP/nocues.tsv $M"
RDX="reading: tifa count -j1 -f json --expansions, many files"
run_paired "$RDX" "reading: tifa count -j1 -f json (again), many files" "$MANY_BYTES" $((2 * R)) \
    "$T count -j1 -f json --expansions $M" "$T count -j1 -f json $M"
# the floor of any one-scan --expansions: one overlapping scan (no offsets, the fastest kind) of
# every string a reading looks for or count counts (terms, aliases, abbreviations, blockers, cues,
# components), counted, against count. Strings equal once normalized (互联网+, 互联网＋) are one
# pattern: the duplicates tifa reports are dropped (a few rounds).
awk -F'\t' 'NR > 1 { for (f = 2; f <= 11; f++) if (f != 3 && f != 6 && f != 7 && f != 8) {
    n = split($f, a, "|"); for (i = 1; i <= n; i++) if (a[i] != "") print a[i] } }' "$TMP/lexicon.tsv" |
    sort -u > "$TMP/every-string.txt"
for _ in 1 2 3 4 5 6 7 8 9 10; do
    dup=$("$T" lexicon --check "$TMP/every-string.txt" 2>&1 |
        sed -n 's/.*every-string\.txt:\([0-9]*\): duplicate.*/\1/p' | head -1)
    [ -n "$dup" ] || break
    sed -i "${dup}d" "$TMP/every-string.txt"
done
RDF="reading: tifa count -j1 -f json --overlapping, every string of the lexicon, many files"
run_paired "$RDF" "reading: tifa count -j1 -f json (a third time), many files" "$MANY_BYTES" $((2 * R)) \
    "$T count -j1 -f json --overlapping --no-builtin --lexicon $TMP/every-string.txt $M" "$T count -j1 -f json $M"
if [ -d ../shared/corpus/public ]; then
    RP=../shared/corpus/public
    RP_BYTES=$(find "$RP" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
    RPY="reading: tifa count -j1 -f json, public"; RPN="reading: tifa count -j1 -f json, lexicon without cues, public"
    run_paired "$RPY" "$RPN" "$RP_BYTES" $((2 * R)) "$T count -j1 -f json $RP" \
        "$T count -j1 -f json --no-builtin --lexicon $TMP/nocues.tsv $RP"
    RPX="reading: tifa count -j1 -f json --expansions, public"
    run_paired "$RPX" "reading: tifa count -j1 -f json (again), public" "$RP_BYTES" $((2 * R)) \
        "$T count -j1 -f json --expansions $RP" "$T count -j1 -f json $RP"
fi

# discover: 100 MB of the many files (numbered + quoted + ngram), one core and all; and a
# pcre2 pattern in count against count alone (taken in turn), and against the grep pipeline a
# user would otherwise run for the same pattern
find "$M" -type f -printf '%s %p\n' | sort -k2 | awk '{ s += $1; print $2; if (s >= 100 * 1048576) exit }' > "$TMP/d100.list"
D100_BYTES=$(xargs -d '\n' stat -c %s < "$TMP/d100.list" | awk '{ s += $1 } END { print s }')
DS1="discover: tifa discover -j1 -f json, $((D100_BYTES / 1048576)) MB"
run_timed "$DS1" "$D100_BYTES" 1 "$T discover -j1 -f json --files-from $TMP/d100.list"
NDISC=$(jq '.totals.candidates' "$TMP/out" 2>/dev/null)
DISC_NGRAM=$(TIFA_DEBUG_TIMING=1 "$T" discover --kind ngram -j1 -f json --files-from "$TMP/d100.list" 2>&1 >/dev/null | sed -n 's/^tifa: ngram: //p')
DSN="discover: tifa discover -j$NCPU -f json, $((D100_BYTES / 1048576)) MB"
run_timed "$DSN" "$D100_BYTES" 1 "$T discover -j$NCPU -f json --files-from $TMP/d100.list"
if [ -d ../shared/corpus/public ]; then
    PUB=../shared/corpus/public
    PUB_BYTES=$(find "$PUB" -type f -name '*.txt' -printf '%s\n' | awk '{ s += $1 } END { print s }')
    DSP="discover: tifa discover -j1 -f json, ../shared/corpus/public (real text)"
    run_timed "$DSP" "$PUB_BYTES" 1 "$T discover -j1 -f json $PUB"
    NDISC_PUB=$(jq '.totals.candidates' "$TMP/out" 2>/dev/null)
fi
PAT='n=(?<![一二三四五六七八九十])[两三四五六七八九十]个\p{sc:Han}{2,4}'
PC="pattern: tifa count -j1 --pattern N个X, many files"; PN="pattern: tifa count -j1, many files"
run_paired "$PC" "$PN" "$MANY_BYTES" $((2 * R)) "$T count -j1 -f tsv --pattern '$PAT' $M" "$T count -j1 -f tsv $M"
if [ $HAVE_RG = 1 ]; then
    run_timed "pattern: rg -oP N个X | sort | uniq -c" "$MANY_BYTES" 1 \
        "rg -oPN --no-filename --no-ignore --hidden '(?<![一二三四五六七八九十])[两三四五六七八九十]个\p{Han}{2,4}' $M | sort | uniq -c"
fi

# Traditional script (issue 18): about 8 MB of the many files converted once to traditional with
# OpenCC's CLI (opencc -c s2t; skipped without it), counted (auto folds them) against the same
# files in simplified, and the simplified files with --script keep taken in turn with auto: what
# auto's sample costs where nothing is folded.
TRAD_WHY=""
if command -v opencc > /dev/null; then
    TR=$DIR/trad
    find "$M" -type f -printf '%s %p\n' | sort -k2 | awk '{ s += $1; print $2; if (s >= 8 * 1048576) exit }' > "$TMP/trad.list"
    if [ ! -f "$TR/.done" ] || ! cmp -s "$TMP/trad.list" "$TR/.done"; then
        echo "bench: converting $(wc -l < "$TMP/trad.list") files to traditional (opencc -c s2t)" >&2
        rm -rf "$TR"; mkdir -p "$TR"
        i=0
        while read -r f; do i=$((i + 1)); opencc -c s2t -i "$f" -o "$TR/$i.txt"; done < "$TMP/trad.list"
        cp "$TMP/trad.list" "$TR/.done"
    fi
    TRAD_BYTES=$(find "$TR" -type f -name '*.txt' -printf '%s\n' | awk '{ s += $1 } END { print s }')
    TA="script: tifa count -j1, $((TRAD_BYTES / 1048576)) MB simplified (auto)"
    TK="script: tifa count -j1 --script keep, the same files"
    run_paired "$TA" "$TK" "$TRAD_BYTES" $((2 * R)) "$T count -j1 -f tsv --files-from $TMP/trad.list" \
        "$T count -j1 -f tsv --script keep --files-from $TMP/trad.list"
    TT="script: tifa count -j1, the same in traditional (folded)"
    run_timed "$TT" "$TRAD_BYTES" 1 "$T count -j1 -f tsv $TR"
else
    TRAD_WHY="no opencc command (Debian package opencc) to make the traditional text"
    echo "bench: the traditional-script rows are skipped: $TRAD_WHY" >&2
fi

# TIFA_BASE=BINARY: the same rows for another build (the previous landing), in this same run,
# each taken in turn with this build's (run_paired) and twice as many times
if [ -n "${TIFA_BASE:-}" ] && [ -x "$TIFA_BASE" ]; then
    B=$TIFA_BASE
    pair_base() { run_paired "paired: $1" "base: $1" "$2" $((2 * R)) "$3" "$4"; }
    pair_base "tifa count -j1, built-in, many files" "$MANY_BYTES" "$T count -j1 -f tsv $M" \
        "$B count -j1 -f tsv $M"
    pair_base "tifa count -j1, built-in, one file" "$ONE_BYTES" "$T count -j1 $O" "$B count -j1 $O"
    pair_base "tifa count -j1, 10k terms, many files" "$MANY_BYTES" "$T count -j1 $LEX10K $M" \
        "$B count -j1 $LEX10K $M"
    pair_base "tifa count -j1, dense 300 terms, many files" "$MANY_BYTES" \
        "$T count -j1 $LEXDENSE $M" "$B count -j1 $LEXDENSE $M"
    pair_base "tifa count -j1, dense 300 terms, one file" "$ONE_BYTES" "$T count -j1 $LEXDENSE $O" \
        "$B count -j1 $LEXDENSE $O"
fi

# the user's alternatives, once each, on the many files
ALT=()
run_timed "grep -o -F -f | sort | uniq -c (LC_ALL=C)" "$MANY_BYTES" 1 \
    "grep -rhoF -f $TMP/terms.txt $M | sort | uniq -c"
cp "$TMP/out" "$TMP/grep.C.txt"; ALT+=("grep -o -F -f | sort | uniq -c (LC_ALL=C)")
if [ $HAVE_UTF8 = 1 ]; then
    run_timed "grep -o -F -f | sort | uniq -c (C.UTF-8)" "$MANY_BYTES" 1 \
        "export LC_ALL=C.UTF-8; grep -rhoF -f $TMP/terms.txt $M | sort | uniq -c"
    ALT+=("grep -o -F -f | sort | uniq -c (C.UTF-8)")
fi
if [ $HAVE_RG = 1 ]; then
    run_timed "rg -o -F -f | sort | uniq -c (longest first)" "$MANY_BYTES" 1 \
        "rg -oFN --no-filename --no-ignore --hidden -f $TMP/terms.txt $M | sort | uniq -c"
    cp "$TMP/out" "$TMP/rg.txt"; ALT+=("rg -o -F -f | sort | uniq -c (longest first)")
fi

# Hyperscan in C, leftmost-longest, best of R like tifa (the 10k-term row: one run, it is slow)
HS="hyperscan leftmost-longest"
if [ $HAVE_HS = 1 ]; then
    H="$HS_COUNT"; HT="$TMP/terms.txt"
    run_timed "$HS -j1, built-in, many files" "$MANY_BYTES" "$R" "$H -j1 $HT $M"
    cp "$TMP/out" "$TMP/hs.txt"
    run_timed "$HS -j$NCPU, built-in, many files" "$MANY_BYTES" "$R" "$H -j$NCPU $HT $M"
    cmp -s "$TMP/out" "$TMP/hs.txt" && HS_SAMEJ=same || HS_SAMEJ=DIFFERENT
    run_timed "$HS -j1, built-in, one file" "$ONE_BYTES" "$R" "$H -j1 $HT $O"
    run_timed "$HS -j$NCPU, built-in, one file" "$ONE_BYTES" "$R" "$H -j$NCPU $HT $O"
    run_timed "$HS -j1, 10k terms, many files" "$MANY_BYTES" 1 "$H -j1 $TMP/terms10k.txt $M"
    H10K=$(awk -F'\t' '{ s += $1 } END { print s + 0 }' "$TMP/out")
fi

# ---- start-up, build, small files ----
E="$TMP/empty.txt"; : > "$E"
# start-up: the best of 100 runs (each includes fork and exec from bash)
STARTUP_MS=""
for ((i = 0; i < 100; i++)); do
    t0=$EPOCHREALTIME; "$T" count "$E" > /dev/null; t1=$EPOCHREALTIME
    STARTUP_MS=$(awk -v a="$t0" -v b="$t1" -v m="$STARTUP_MS" \
        'BEGIN { d = (b - a) * 1e3; printf "%.2f", (m == "" || d < m) ? d : m }')
done
timing() { TIFA_DEBUG_TIMING=1 "$T" count "$@" "$E" 2>&1 >/dev/null | sed -n 's/.*automaton \([0-9.]*\) ms.*/\1/p'; }
best_timing() { local b="" x i; for ((i = 0; i < 5; i++)); do x=$(timing "$@");
    if [ -z "$b" ] || awk -v a="$x" -v c="$b" 'BEGIN { exit !(a < c) }'; then b=$x; fi; done; echo "$b"; }
BUILD_BUILTIN_MS=$(best_timing)
BUILD_10K_MS=$(best_timing $LEX10K)
SMALL_BYTES=$(find "$DIR/small" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
NSMALL=$(find "$DIR/small" -type f | wc -l)
run_timed "tifa count -j1, built-in, $NSMALL files of 1 KB" "$SMALL_BYTES" 1 "$T count -j1 $DIR/small"
run_timed "tifa count -j$NCPU, built-in, $NSMALL files of 1 KB" "$SMALL_BYTES" 1 "$T count -j$NCPU $DIR/small"
FPS1=$(awk -v n="$NSMALL" -v s="${SEC["tifa count -j1, built-in, $NSMALL files of 1 KB"]}" 'BEGIN { printf "%.0f", n / s }')
FPSN=$(awk -v n="$NSMALL" -v s="${SEC["tifa count -j$NCPU, built-in, $NSMALL files of 1 KB"]}" 'BEGIN { printf "%.0f", n / s }')

# ---- counts: tifa against grep and rg on the built-in patterns ----
# tifa's per-document TSV summed by term; the tools' "count pattern" mapped to terms. The tools
# count letter for letter, so tifa counts here with the lexicon without cues: nothing is read
# (a resolved 六个必须 would count under 六个必须坚持), every occurrence counts as written.
"$T" count -j1 -f tsv --no-builtin --lexicon "$TMP/nocues.tsv" "$M" |
    awk -F'\t' 'NR > 1 { c[$2] += $3 } END { for (t in c) print t "\t" c[t] }' |
    sort > "$TMP/counts.tifa"
tool_counts() {
    awk -v map="$TMP/patterns.map" 'BEGIN { FS = "\t"; while ((getline l < map) > 0) {
            split(l, f, "\t"); term[f[1]] = f[2] } FS = " " }
        { n = $1; sub(/^ *[0-9]+[ \t]/, ""); t = ($0 in term) ? term[$0] : "?" $0; c[t] += n }
        END { for (t in c) print t "\t" c[t] }' "$1" | sort
}
compare() {  # compare NAME FILE: prints "equal" or the number of terms that differ
    tool_counts "$2" > "$TMP/counts.$1"
    if cmp -s "$TMP/counts.tifa" "$TMP/counts.$1"; then
        echo "equal ($(wc -l < "$TMP/counts.tifa") terms)"
    else
        local n; n=$(diff "$TMP/counts.tifa" "$TMP/counts.$1" | grep -c '^[<>]')
        echo "DIFFER on $n lines (diff $TMP/counts.tifa $TMP/counts.$1)"
    fi
}
CMP_GREP=$(compare grep "$TMP/grep.C.txt")
CMP_RG="not run"; [ $HAVE_RG = 1 ] && CMP_RG=$(compare rg "$TMP/rg.txt")
CMP_HS="not run ($HS_WHY)"
if [ $HAVE_HS = 1 ]; then
    CMP_HS=$(compare hs "$TMP/hs.txt")
    [ "$H10K" = "${M10K:-?}" ] && CMP_HS10K="equal" || CMP_HS10K="DIFFERENT"
    CMP_HS10K="$CMP_HS10K (tifa ${M10K:-?}, hyperscan $H10K)"
fi

# ---- the table ----
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
CAT_MANY=${SEC["cat, many files"]}; CAT_ONE=${SEC["cat, one file"]}
J1="tifa count -j1, built-in, many files"; JN="tifa count -j$NCPU, built-in, many files"
O1="tifa count -j1, built-in, one file"; ON="tifa count -j$NCPU, built-in, one file"
K1="tifa count -j1, 10k terms, many files"
K1R="tifa count -j1, 10k rare terms, many files"
{
    echo
    echo "## $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$( [ -n "$(git status --porcelain -- src include 2>/dev/null)" ] && echo ' (with uncommitted changes)')"
    echo
    echo "$NCPU cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(uname -sr);" \
        "$NMANY files of 20-200 KB ($((MANY_BYTES / 1048576)) MB) and one file of $((ONE_BYTES / 1048576)) MB;" \
        "$NPAT built-in patterns; best of $R runs for tifa$( [ $HAVE_HS = 1 ] && echo ", hyperscan")" \
        "and cat, one run for grep and rg$( [ $HAVE_HS = 1 ] && echo " and hyperscan's 10k-term row")."
    echo
    echo "| what | seconds | MB/s | share of cat's speed | peak RSS (MB) |"
    echo "|---|---:|---:|---:|---:|"
    for ((i = 0; i < ${#ROW_LABEL[@]}; i++)); do
        l=${ROW_LABEL[$i]}
        case $l in *"one file"*) c=$CAT_ONE ;; *) c=$CAT_MANY ;; esac
        case $l in *"of 1 KB"*) share="" ;; *) share=$(ratio "$c" "${ROW_SEC[$i]}") ;; esac
        echo "| \`$l\` | ${ROW_SEC[$i]} | ${ROW_MBS[$i]} | $share | ${ROW_RSS[$i]} |"
    done
    echo
    for a in "${ALT[@]}"; do
        echo "- tifa -j1 is $(ratio "${SEC[$a]}" "${SEC[$J1]}")x and tifa -j$NCPU $(ratio "${SEC[$a]}" "${SEC[$JN]}")x as fast as \`$a\`"
    done
    if [ $HAVE_HS = 1 ]; then
        echo "- tifa against \`$HS\`, the same thread count on both sides: many files, tifa -j1 is" \
            "$(ratio "${SEC["$HS -j1, built-in, many files"]}" "${SEC[$J1]}")x as fast as hyperscan -j1 and" \
            "tifa -j$NCPU $(ratio "${SEC["$HS -j$NCPU, built-in, many files"]}" "${SEC[$JN]}")x as fast as hyperscan -j$NCPU;" \
            "one file $(ratio "${SEC["$HS -j1, built-in, one file"]}" "${SEC[$O1]}")x (-j1) and" \
            "$(ratio "${SEC["$HS -j$NCPU, built-in, one file"]}" "${SEC[$ON]}")x (-j$NCPU; hyperscan reads one file on one thread);" \
            "10k terms, many files, -j1: $(ratio "${SEC["$HS -j1, 10k terms, many files"]}" "${SEC[$K1]}")x"
    else
        echo "- Hyperscan rows skipped: $HS_WHY"
    fi
    echo "- scaling on $NCPU cores: many files $(ratio "${SEC[$J1]}" "${SEC[$JN]}")x, one file $(ratio "${SEC[$O1]}" "${SEC[$ON]}")x"
    MBUILTIN=$(awk -F'\t' '{ s += $2 } END { print s }' "$TMP/counts.tifa")
    echo "- 10k-term lexicon: $(ratio "${SEC[$K1]}" "${SEC[$J1]}")x the time of the built-in one (-j1, many files);" \
        "matches: built-in one per $(awk -v b="$MANY_BYTES" -v m="$MBUILTIN" 'BEGIN { printf "%.0f", b / (m ? m : 1) }') bytes," \
        "10k one per $(awk -v b="$MANY_BYTES" -v m="${M10K:-0}" 'BEGIN { printf "%.0f", b / (m ? m : 1) }') bytes"
    echo "- 10k rare terms (the same substrings reversed: as big an automaton, few matches):" \
        "$(ratio "${SEC[$K1R]}" "${SEC[$J1]}")x the time of the built-in lexicon (-j1, many files);" \
        "one match per $(awk -v b="$MANY_BYTES" -v m="${M10KR:-0}" 'BEGIN { printf "%.0f", b / (m ? m : 1) }') bytes"
    D1="tifa count -j1, dense 300 terms, many files"; DO1="tifa count -j1, dense 300 terms, one file"
    echo "- dense lexicon (built-in + 300 short frequent terms): ${MDENSE:-?} matches, one per" \
        "$(awk -v b="$MANY_BYTES" -v m="${MDENSE:-0}" 'BEGIN { printf "%.0f", b / (m ? m : 1) }') bytes;" \
        "$(ratio "${SEC[$D1]}" "${SEC[$J1]}")x the time of the built-in lexicon;" \
        "the extra time a match, the two lexicons taken in turn on the one file:" \
        "$(awk -v d="${SEC["dense: $DO1"]}" -v b="${SEC["dense: $O1"]}" -v m="${MDENSE_ONE:-0}" \
            -v n="${MBUILTIN_ONE:-0}" 'BEGIN { printf "%.1f", (m > n ? (d - b) * 1e9 / (m - n) : 0) }') ns" \
        "(${MDENSE_ONE:-?} against ${MBUILTIN_ONE:-?} matches)"
    echo "- kwic, every built-in term as jsonl ($NKWIC records): $(ratio "${SEC[$KW1]}" "${SEC[$KC1]}")x the time" \
        "of count -f json with -j1, $(ratio "${SEC[$KWN]}" "${SEC[$KCN]}")x with -j$NCPU; one rare term" \
        "($KRARE, $NKWIC_RARE records): $(ratio "${SEC[$KWR]}" "${SEC[$KCR]}")x (-j$NCPU)$( [ $HAVE_RG = 1 ] &&
            echo "; rg's regex concordance of it takes $(ratio "${SEC["rg -o '.{0,15}$KRARE.{0,15}' (a regex concordance)"]}" "${SEC[$KWR]}")x kwic's time")"
    if [ -n "${TIFA_BASE:-}" ] && [ -x "$TIFA_BASE" ]; then
        echo "- the extra time a match for TIFA_BASE, from its rows above: $(awk -v d="${SEC["base: $DO1"]}" \
            -v b="${SEC["base: $O1"]}" -v m="${MDENSE_ONE:-0}" -v n="${MBUILTIN_ONE:-0}" \
            'BEGIN { printf "%.1f", (m > n ? (d - b) * 1e9 / (m - n) : 0) }') ns"
        for l in "$J1" "$O1" "$K1" "$D1" "$DO1"; do
            echo "- \`$l\`, taken in turn with TIFA_BASE ($TIFA_BASE): this build takes" \
                "$(ratio "${SEC["paired: $l"]}" "${SEC["base: $l"]}")x its time"
        done
    fi
    echo "- reading (senses, abbreviations; issue 15), taken in turn with a count whose lexicon has no cues:" \
        "$(ratio "${SEC[$RDY]}" "${SEC[$RDN]}")x the time on the generated files (every one is read)$( [ -n "${RPY:-}" ] &&
            echo ", $(ratio "${SEC[$RPY]}" "${SEC[$RPN]}")x on ../shared/corpus/public")"
    echo "- count --expansions, taken in turn with count: $(ratio "${SEC[$RDX]}" "${SEC["reading: tifa count -j1 -f json (again), many files"]}")x the time" \
        "on the generated files$( [ -n "${RPX:-}" ] &&
            echo ", $(ratio "${SEC[$RPX]}" "${SEC["reading: tifa count -j1 -f json (again), public"]}")x on ../shared/corpus/public")"
    echo "- the floor of a count --expansions in one scan (an overlapping count of every string of the lexicon," \
        "$(wc -l < "$TMP/every-string.txt") patterns), taken in turn with count: $(ratio "${SEC[$RDF]}" "${SEC["reading: tifa count -j1 -f json (a third time), many files"]}")x the time on the generated files"
    echo "- discover on $((D100_BYTES / 1048576)) MB of the many files (all three kinds, $NDISC candidates):" \
        "$(awk -v s="${SEC[$DS1]}" -v b="$D100_BYTES" 'BEGIN { printf "%.1f", s * 104857600 / b }') s per 100 MB on one core," \
        "$(ratio "${SEC[$DS1]}" "${SEC[$DSN]}")x faster with -j$NCPU; peak RSS $(awk -v r="$(rss_of "$DS1")" -v b="$D100_BYTES" 'BEGIN { printf "%.1f", r * 1048576 / b }') bytes per input byte;" \
        "the n-gram miner: $DISC_NGRAM"
    if [ -n "${DSP:-}" ]; then
        echo "- discover on ../shared/corpus/public ($((PUB_BYTES / 1048576)) MB of real text, $NDISC_PUB candidates):" \
            "$(awk -v s="${SEC[$DSP]}" -v b="$PUB_BYTES" 'BEGIN { printf "%.1f", s * 104857600 / b }') s per 100 MB on one core"
    fi
    echo "- count --pattern (one N个X regex), taken in turn with count alone: $(ratio "${SEC[$PC]}" "${SEC[$PN]}")x the time," \
        "$(awk -v a="${SEC[$PC]}" -v b="${SEC[$PN]}" -v m="$MANY_BYTES" 'BEGIN { printf "%.1f", (a - b) * 1e3 / (m / 1048576) }') ms per MB more$( [ $HAVE_RG = 1 ] &&
            echo "; rg -oP | sort | uniq -c of the same regex takes $(ratio "${SEC["pattern: rg -oP N个X | sort | uniq -c"]}" "${SEC[$PC]}")x tifa's time")"
    if [ -z "$TRAD_WHY" ]; then
        echo "- traditional script (issue 18): the folded text is read at" \
            "$(awk -v b="$TRAD_BYTES" -v s="${SEC[$TT]}" 'BEGIN { printf "%.1f", b / 1048576 / s }') MB/s on one core" \
            "(OpenCC), $(ratio "${SEC[$TT]}" "${SEC[$TA]}")x the time of the simplified text; on simplified text" \
            "auto takes $(ratio "${SEC[$TA]}" "${SEC[$TK]}")x the time of --script keep (its sample)"
    else
        echo "- traditional-script rows skipped: $TRAD_WHY"
    fi
    echo "- automaton build: built-in $BUILD_BUILTIN_MS ms, 10k terms $BUILD_10K_MS ms; start-up (count on an empty file, best of 100) $STARTUP_MS ms"
    echo "- $NSMALL files of 1 KB: $FPS1 files/s with -j1, $FPSN files/s with -j$NCPU"
    echo "- counts on the built-in patterns: grep $CMP_GREP; rg $CMP_RG; hyperscan $CMP_HS$(
        [ $HAVE_HS = 1 ] && echo "; 10k-term total matches, hyperscan and tifa: $CMP_HS10K")"
    echo "- output of -j1 and -j$NCPU: tifa $SAMEJ$( [ $HAVE_HS = 1 ] && echo ", hyperscan $HS_SAMEJ");" \
        "corpus generator run twice: $DET bytes"
} > "$TMP/table.md"
cat "$TMP/table.md"
if [ ! -f "$RESULTS" ]; then
    printf '# make bench results\n\nAppended by bench/run.sh, newest last. Compare ratios, not seconds: the machines are shared.\n' > "$RESULTS"
fi
cat "$TMP/table.md" >> "$RESULTS"
echo "bench: appended to $RESULTS" >&2
