# baseline.sh: the outputs of count, diff, trend and merge in every format, -j1 and -j2, as they
# were before the pipeline became a match sink (issue 12), so that a refactoring of the pipeline
# or the reporters shows up as a difference. Sourced by tests/cli/9101 and 9102.
#
# baseline_outputs OUT SET: runs every command (cwd must be the folder holding the inputs, so
# paths in the output are relative) and writes each output to OUT/CMD.FORMAT.jN.
#   SET corpus: the sample speeches in corpus/ (run from the repository root);
#   SET public: ../shared/corpus/public (run from ../shared/corpus).
# baseline_digest OUT DIGEST REALS [J]: one line "NAME SHA256" per output into DIGEST; JSON outputs
# are hashed with every rate, share or statistic replaced by "R" (BASELINE_REALS), and those go, one
# "NAME<TAB>PATH<TAB>VALUE" line each (NAME without its .jN), into REALS, from the -jJ outputs
# only (default 1: the -j2 ones must be the same): JSON numbers may gain precision (JSON keeps
# the shortest round-trip form since issue 12; they used to be rounded), so they are compared
# numerically (baseline_reals_match), everything else byte for byte.
# To save a new baseline after an intended change (review why each output changed first), from
# the repository root with the new tifa first on PATH:
#   . tests/data/baseline/baseline.sh; d=tests/data/baseline
#   baseline_outputs /tmp/b corpus && baseline_digest /tmp/b $d/corpus.sha256 $d/corpus-reals.tsv
#   (cd ../shared/corpus && baseline_outputs /tmp/p public)
#   baseline_digest /tmp/p $d/public.sha256 /tmp/r && gzip -9n < /tmp/r > $d/public-reals.tsv.gz

baseline_outputs() {
    out=$1 set=$2
    mkdir -p "$out"
    case $set in
    corpus)
        inputs="corpus"
        a="corpus/000_34a5f8082b9599c1.txt corpus/001_b7e1111b27c7f234.txt"
        b="corpus/002_9b013bd94d37736a.txt corpus/003_445c21b2a28776a6.txt corpus/004_61d054d9d50be30d.txt"
        diff_a=corpus/000_34a5f8082b9599c1.txt diff_b=corpus ;;
    public)
        inputs="public"
        a="public/gov_work_reports" b="public/cpc_congress_reports"
        diff_a=public/gov_work_reports diff_b=public/xwlb_2012_2026 ;;
    esac
    for j in 1 2; do
        for f in table json jsonl tsv csv; do
            tifa count -j$j -f $f --glob '*.txt' $inputs > "$out/count.$f.j$j" 2>/dev/null
        done
        tifa count -j$j -f table --per-doc --glob '*.txt' $inputs > "$out/count.per-doc.j$j" 2>/dev/null
        for f in table json tsv csv; do
            tifa diff -j$j -f $f --glob '*.txt' $diff_a $diff_b > "$out/diff.$f.j$j" 2>/dev/null
        done
        for f in table json tsv csv svg; do
            tifa trend -j$j -f $f --glob '*.txt' $inputs > "$out/trend.$f.j$j" 2>/dev/null
        done
        tifa trend -j$j -f table --share --glob '*.txt' $inputs > "$out/trend.share-table.j$j" 2>/dev/null
        # shellcheck disable=SC2086
        tifa count -j$j -f json --glob '*.txt' $a > "$out/part-a.json" 2>/dev/null
        # shellcheck disable=SC2086
        tifa count -j$j -f json --glob '*.txt' $b > "$out/part-b.json" 2>/dev/null
        for f in json jsonl table tsv csv; do
            tifa merge -f $f "$out/part-a.json" "$out/part-b.json" > "$out/merge.$f.j$j" 2>/dev/null
        done
        rm -f "$out/part-a.json" "$out/part-b.json"
    done
}

# The paths of the numbers that are rates, shares or statistics (the keys that held non-integers
# in the saved outputs), whatever their value: a tiny G² rounded to 0 before is one of them.
BASELINE_REALS='def reals: paths(type == "number") | select(.[-1] as $k | ["per_10k", "a_per_10k",
    "b_per_10k", "alpha", "critical", "g2", "log_ratio", "p", "p_adjusted", "pct_diff", "share"]
    | any(.[]; . == $k));'

baseline_digest() {
    out=$1 digest=$2 reals=$3 reals_j=${4:-1}
    : > "$digest"
    : > "$reals"
    for f in "$out"/*; do
        name=$(basename "$f")
        case $name in
        *json*)
            # "settings" (added later) are left out: their fingerprint follows the lexicon, not
            # the pipeline; tests 3105-3106 check them
            h=$(jq -s -c "$BASELINE_REALS"' map(if type == "object" then del(.settings) else . end)
                | reduce reals as $p (.; setpath($p; "R"))' "$f" |
                sha256sum | cut -c1-64)
            case $name in *.j$reals_j) ;; *) echo "$name $h" >> "$digest"; continue ;; esac
            jq -s -r --arg n "${name%.j*}" "$BASELINE_REALS"' reals as $p
                | [$n, ($p | tojson), getpath($p)] | @tsv' "$f" >> "$reals" ;;
        *) h=$(sha256sum < "$f" | cut -c1-64) ;;
        esac
        echo "$name $h" >> "$digest"
    done
}

# baseline_reals_match WANT GOT: the same numbers at the same places, equal to within the old
# rounding (4 decimal places, or 12 significant digits); prints each mismatch.
baseline_reals_match() {
    awk -F '\t' 'NR == FNR { key[NR] = $1 "\t" $2; val[NR] = $3; n = NR; next }
        { m++
          if (key[m] != $1 "\t" $2) { print "place differs: " key[m] " / " $1 " " $2; bad++; next }
          d = val[m] - $3; if (d < 0) d = -d
          a = val[m] < 0 ? -val[m] : val[m]
          if (d > 0.000050001 && d > a * 1e-11) { print "number differs: " $1 " " $2 ": " val[m] " -> " $3; bad++ } }
        END { if (m != n) { print "count differs: " n " -> " m; bad++ } exit bad ? 1 : 0 }' "$1" "$2"
}

# baseline_check OUT WANT_DIGEST WANT_REALS: compares the outputs in OUT with the saved digest
# and numbers (WANT_REALS may be gzipped); prints "ok: N outputs as before" or what differs.
baseline_check() {
    out=$1 want=$2 want_reals=$3
    tmp=$out.check
    mkdir -p "$tmp"
    case $want_reals in
    *.gz) gzip -dc "$want_reals" > "$tmp/want-reals" ;;
    *) cp "$want_reals" "$tmp/want-reals" ;;
    esac
    bad=0
    for j in 1 2; do
        baseline_digest "$out" "$tmp/digest.j$j" "$tmp/reals.j$j" $j
        if ! baseline_reals_match "$tmp/want-reals" "$tmp/reals.j$j"; then
            echo "JSON numbers of the -j$j outputs differ"; bad=1
        fi
    done
    if ! diff "$want" "$tmp/digest.j1" > "$tmp/digest.diff"; then
        echo "outputs that differ:"; grep '^>' "$tmp/digest.diff" | cut -d' ' -f2; bad=1
    fi
    [ $bad -eq 0 ] && echo "ok: $(wc -l < "$want" | tr -d ' ') outputs as before"
    return $bad
}
