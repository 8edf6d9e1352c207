# invariants.sh: checks shared by the invariant cases (tests/cli/07xx-*), sourced by their `cmd`.
# Each function prints one line "NAME: ok" or "NAME: FAILED ..." (details follow) and returns
# non-zero on failure, so a case's expected.out is a list of "ok" lines.

# sum_equals_totals LABEL DIR...: per-document counts add up to the totals for every term, and
# documents, bytes, chars, han, invalid and doc_freq add up too.
sum_equals_totals() {
    label=$1; shift
    tifa count -f json "$@" > "$TMP/sum.json" 2> /dev/null
    bad=$(jq -c '
        . as $r
        | ([$r.documents[].counts | to_entries[]] | group_by(.key)
           | map({key: .[0].key, value: (map(.value) | add)}) | from_entries) as $sum
        | ([$r.documents[].counts | keys[]] | group_by(.) | map({key: .[0], value: length})
           | from_entries) as $df
        | [ (if $sum != $r.totals.counts then "counts" else empty end),
            (if $df != $r.totals.doc_freq then "doc_freq" else empty end),
            (if ($r.documents | length) != $r.totals.documents then "documents" else empty end),
            (["bytes", "chars", "han", "invalid"][] as $k
             | if ([$r.documents[][$k]] | add // 0) != $r.totals[$k] then $k else empty end),
            (if ([$r.terms[].count] | add // 0) != ([$r.totals.counts[]] | add // 0)
             then "terms" else empty end) ]' "$TMP/sum.json")
    if [ "$bad" = "[]" ]; then echo "$label: ok"; else echo "$label: FAILED: $bad"; return 1; fi
}

# same_for_threads LABEL DIR...: -j1, -j2 and -j4 give byte-identical stdout and stderr, for every
# format of count, and for diff (first input against the second) and trend.
same_for_threads() {
    label=$1; shift
    fail=0
    for run in "count table" "count json" "count jsonl" "count tsv" "count csv" \
               "diff table" "diff json" "diff tsv" "diff csv" "trend table" "trend json" "trend csv"; do
        cmd=${run% *}; fmt=${run#* }
        for j in 1 2 4; do
            case $cmd in
            count) tifa count -j$j -f "$fmt" "$@" ;;
            diff) tifa diff -j$j -f "$fmt" "$1" "${2:-$1}" ;;
            trend) tifa trend -j$j -f "$fmt" "$@" ;;
            esac > "$TMP/j$j.out" 2> "$TMP/j$j.err"
            echo $? > "$TMP/j$j.rc"
        done
        for j in 2 4; do
            for x in out err rc; do
                if ! cmp -s "$TMP/j1.$x" "$TMP/j$j.$x"; then
                    echo "$label: FAILED: tifa $cmd -f $fmt: -j1 and -j$j differ ($x)"; fail=1
                fi
            done
        done
    done
    [ $fail -eq 0 ] && echo "$label: ok"
    return $fail
}

# same_as_gb18030 LABEL DIR: the corpus converted to GB18030 (iconv) counts exactly as the UTF-8
# original: documents, chars, han, invalid and counts equal, only encoding and bytes differ.
same_as_gb18030() {
    label=$1; src=$2
    rm -rf "$TMP/utf8" "$TMP/gb"
    mkdir -p "$TMP/utf8" "$TMP/gb"
    (cd "$src" && find . -type f ! -name '.*' -name '*.txt') | while IFS= read -r f; do
        mkdir -p "$TMP/utf8/$(dirname "$f")" "$TMP/gb/$(dirname "$f")"
        if iconv -f UTF-8 -t GB18030 "$src/$f" > "$TMP/gb/$f" 2> /dev/null; then
            cp "$src/$f" "$TMP/utf8/$f"
        else
            rm -f "$TMP/gb/$f"   # not valid UTF-8 to begin with: not a fair comparison
        fi
    done
    n=$(find "$TMP/utf8" -type f | wc -l)
    (cd "$TMP/utf8" && tifa count -f json . 2> /dev/null) > "$TMP/utf8.json"
    (cd "$TMP/gb" && tifa count -f json . 2> /dev/null) > "$TMP/gb.json"
    strip='del(.documents[].encoding, .documents[].bytes, .totals.bytes)'
    jq -S "$strip" "$TMP/utf8.json" > "$TMP/utf8.cmp"
    jq -S "$strip" "$TMP/gb.json" > "$TMP/gb.cmp"
    wrong=$(jq -r '[.documents[] | select(.encoding != "GB18030") | .path] | join(" ")' "$TMP/gb.json")
    if cmp -s "$TMP/utf8.cmp" "$TMP/gb.cmp" && [ -z "$wrong" ] && [ "$n" -gt 0 ]; then
        echo "$label: ok"
    else
        echo "$label: FAILED ($n files; not detected as GB18030: ${wrong:-none})"
        diff "$TMP/utf8.cmp" "$TMP/gb.cmp" | head -n 20
        return 1
    fi
}

# nothing_disappears LABEL ARG...: every input named, and every non-hidden entry found below a
# named folder (find, symlinks not followed), is in documents, skipped or errors exactly once.
nothing_disappears() {
    label=$1; shift
    want=0
    for a in "$@"; do
        if [ -d "$a" ] && [ ! -L "$a" ]; then
            n=$(find "$a" -mindepth 1 \( -name '.*' -prune \) -o \( ! -type d -print0 \) | tr -cd '\0' | wc -c)
        else
            n=1
        fi
        want=$((want + n))
    done
    tifa count -f json "$@" > "$TMP/all.json" 2> /dev/null
    got=$(jq '[.documents[].path, .skipped[].path, .errors[].path] | length' "$TMP/all.json")
    uniq=$(jq '[.documents[].path, .skipped[].path, .errors[].path] | unique | length' "$TMP/all.json")
    if [ "$got" -eq "$want" ] && [ "$uniq" -eq "$got" ]; then echo "$label: ok"; else
        echo "$label: FAILED: $want inputs, $got reported ($uniq distinct)"
        jq -c '{documents: [.documents[].path], skipped, errors}' "$TMP/all.json"
        return 1
    fi
}
