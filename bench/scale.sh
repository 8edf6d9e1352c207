#!/usr/bin/env bash
# bench/scale.sh: how tifa's time and memory grow with the number of files (make bench runs it
# after bench/run.sh; make bench-scale runs it alone).
#
# Trees (bench/gencorpus.c `tree`, generated once into TIFA_BENCH_DIR/scale and reused): for each
# count in BENCH_SCALE_FILES (default "10000 100000 1000000"), files of about 200 bytes (a
# sentence or two of corpus/), either all in one folder ("flat") or 50 to a folder in chains of
# folders BENCH_SCALE_DEPTH deep (default 200; "nested": paths of 224 bytes on average at a
# million files). A million files take about 4 GB of disk and 40 s to generate, per shape.
#
# For each tree, taken one at a time so that it is in the page cache when measured: `find -type f`
# (the listing floor), `find | xargs cat` (the reading floor), then `tifa count -f json` with all
# cores into /dev/null, best of BENCH_SCALE_REPEAT (default 3) runs, with its peak RSS and its own
# walk time (TIFA_DEBUG_TIMING). The memory a file costs is (peak RSS - the RSS of a count of an
# empty folder) / files. The table goes to stderr and is appended to BENCH_RESULTS (default
# bench/RESULTS.md).
set -u
export LC_ALL=C

TIFA=${TIFA:-./tifa}
GENCORPUS=${GENCORPUS:-build/gencorpus}
COUNTS=${BENCH_SCALE_FILES:-10000 100000 1000000}
DEPTH=${BENCH_SCALE_DEPTH:-200}
REPEAT=${BENCH_SCALE_REPEAT:-3}
DIR=${TIFA_BENCH_DIR:-/tmp/tifa-bench}/scale
RESULTS=${BENCH_RESULTS:-bench/RESULTS.md}

skip() { echo "bench-scale: skipped: $*"; exit 0; }

[ -x "$TIFA" ] || skip "no tifa binary at $TIFA (run make)"
[ -x "$GENCORPUS" ] || skip "no corpus generator at $GENCORPUS"
ls corpus/*.txt >/dev/null 2>&1 || skip "no corpus/*.txt (run from the repository root)"
[ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1 ||
    skip "GNU time (/usr/bin/time, Debian package time) is missing"
case $DIR in
"$(pwd)"/*) skip "TIFA_BENCH_DIR must be outside the repository" ;;
esac
mkdir -p "$DIR/tmp" || skip "cannot create $DIR"
max=0
for n in $COUNTS; do [ "$n" -gt "$max" ] && max=$n; done
need_mb=$((max * 2 * 5 / 1000 + 64)) # two shapes, a 4 KB block and an inode each
avail_mb=$(df -Pm "$DIR" | awk 'NR==2 {print $4}')
[ "${avail_mb:-0}" -ge "$need_mb" ] || skip "$DIR has ${avail_mb} MB free, needs about $need_mb MB"
avail_inodes=$(df -Pi "$DIR" | awk 'NR==2 {print $4}')
case $avail_inodes in
'' | *[!0-9]*) ;; # file systems without an inode count
*) [ "$avail_inodes" -ge $((max * 2 + max / 25)) ] || skip "$DIR has $avail_inodes inodes free" ;;
esac

SOURCES=$(ls corpus/*.txt | sort)
SEED=20240101
GENSIG=$( (md5sum "$GENCORPUS"; cat $SOURCES | md5sum) | md5sum | cut -c1-12)
TMP=$DIR/tmp
cp "$TIFA" "$TMP/tifa" || skip "cannot copy $TIFA"
T=$TMP/tifa
NCPU=$(nproc 2>/dev/null || echo 1)

# time_once CMD: T_SEC (wall seconds) and T_RSS (peak RSS, KB) of one run of CMD under bash
time_once() {
    local t0=$EPOCHREALTIME
    /usr/bin/time -f "%M" -o "$TMP/time" bash -c "$1" > /dev/null 2> "$TMP/err" ||
        { echo "bench-scale: '$1' failed:" >&2; cat "$TMP/err" >&2; }
    local t1=$EPOCHREALTIME
    T_SEC=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    T_RSS=$(tail -1 "$TMP/time")
}
# best CMD: the best of REPEAT runs in B_SEC, that run's RSS in B_RSS
best() {
    B_SEC=""; B_RSS=""
    local i
    for ((i = 0; i < REPEAT; i++)); do
        time_once "$1"
        if [ -z "$B_SEC" ] || awk -v a="$T_SEC" -v b="$B_SEC" 'BEGIN { exit !(a < b) }'; then
            B_SEC=$T_SEC; B_RSS=$T_RSS
        fi
    done
}

mkdir -p "$TMP/empty"
best "$T count -f json -j$NCPU $TMP/empty"
BASE_RSS=$B_RSS

ROWS=()
for shape in flat nested; do
    for n in $COUNTS; do
        depth=0; [ $shape = nested ] && depth=$DEPTH
        tree=$DIR/$shape-$n
        stamp="$GENSIG $n 200 $depth $SEED"
        if [ ! -f "$tree.stamp" ] || [ "$(cat "$tree.stamp")" != "$stamp" ]; then
            echo "bench-scale: generating $n files, $shape" >&2
            rm -rf "$tree" "$tree.stamp"
            "$GENCORPUS" tree "$tree" "$n" 200 "$depth" $SEED $SOURCES || skip "the generator failed"
            echo "$stamp" > "$tree.stamp"
        fi
        time_once "find $tree -type f -print0 | xargs -0 cat" # warms the page cache
        best "find $tree -type f"
        find_sec=$B_SEC
        best "find $tree -type f -print0 | xargs -0 cat"
        cat_sec=$B_SEC
        best "$T count -f json -j$NCPU $tree"
        tifa_sec=$B_SEC; tifa_rss=$B_RSS
        walk_ms=$(TIFA_DEBUG_TIMING=1 "$T" count -f json -j$NCPU "$tree" 2>&1 >/dev/null |
            sed -n 's/.*walk \([0-9.]*\) ms.*/\1/p')
        row=$(awk -v n="$n" -v s="$shape" -v d="$depth" -v f="$find_sec" -v c="$cat_sec" \
            -v t="$tifa_sec" -v r="$tifa_rss" -v b="$BASE_RSS" -v w="$walk_ms" 'BEGIN {
                printf "| %d | %s | %.2f | %.0f | %.1f | %.0f | %.2f | %.2f | %.2f | %.2f |", n,
                    (d ? s " " d : s), t, n / t, r / 1024, (r - b) * 1024 / n, w / 1000, f, c,
                    t / c }')
        ROWS+=("$row")
        echo "$row" >&2
    done
done

{
    echo
    echo "### Scaling with the number of files, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo
    echo "\`tifa count -f json -j$NCPU TREE > /dev/null\`, best of $REPEAT, files of about 200 bytes" \
        "(bench/scale.sh); warm page cache. Bytes a file: (peak RSS - $((BASE_RSS / 1024)) MB of" \
        "a count of an empty folder) / files. find and cat: \`find TREE -type f\`, \`find TREE" \
        "-type f -print0 | xargs -0 cat\`, the floors of listing and reading."
    echo
    echo "| files | shape | tifa s | files/s | peak RSS MB | bytes a file | tifa's walk s | find s | find+cat s | tifa / find+cat |"
    echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${ROWS[@]}"
} | tee -a "$RESULTS" >&2
