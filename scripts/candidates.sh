#!/bin/sh
# candidates.sh SHARED_DIR [TIFA [LEXICON_OPTS...]]: the method of the lexicon's second round
# (issue 16), kept so that the next round can run it again.
#
# 1. `tifa discover --known` finds, in SHARED_DIR/corpus/public, the numbered shapes (N个X, NXNY
#    chains, plan labels ...) and the short quoted phrases that recur in at least MIN_DOCS (10)
#    documents, known to the lexicon or not.
# 2. Each candidate gets a decision: `lexicon` when the lexicon counts it (discover marks it
#    known: a term, an alias or an expansion component), `rejected` when lexicon/REJECTED.md lists
#    it with a reason, `open` otherwise (a candidate nobody has judged yet).
# 3. Recall: of the candidates judged genuine formulas (every candidate not rejected), the share
#    the lexicon counts.
#
# Prints the candidate table (TSV: phrase kind rule count doc_freq first_period first_document
# known decision) on stdout and the recall line on stderr; lexicon/candidates.tsv is its output
# for the built-in lexicon. Give LEXICON_OPTS (for example `--no-builtin --lexicon old.tsv`) to
# measure another lexicon against the same judgments. Exit status 1 when some candidate is still
# open, 2 when the corpus is missing.
set -eu
shared=$1
tifa=${2:-./tifa}
[ $# -ge 2 ] && shift 2 || shift $#
pub=$shared/corpus/public
here=$(cd "$(dirname "$0")/.." && pwd)
rejected=${REJECTED:-$here/lexicon/REJECTED.md}
min_docs=${MIN_DOCS:-10}
[ -d "$pub" ] || { echo "candidates.sh: no corpus at $pub" >&2; exit 2; }
[ -f "$rejected" ] || { echo "candidates.sh: no $rejected" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$tifa" discover -q --known --kind numbered,quoted --min-docs "$min_docs" -f tsv "$@" "$pub" > "$tmp/found.tsv"

# REJECTED.md rows are `| phrase | reason |`; the header and the rule line are not phrases.
awk -F'|' '/^\|/ { p = $2; gsub(/^[ \t]+|[ \t]+$/, "", p); if (p != "" && p != "phrase" && p !~ /^-+$/) print p }' \
    "$rejected" > "$tmp/rejected.txt"

awk -F'\t' -v OFS='\t' -v pub="$pub/" '
    FILENAME == ARGV[1] { rej[$0] = 1; next }
    FNR == 1 { for (i = 1; i <= NF; i++) col[$i] = i
               print "phrase", "kind", "rule", "count", "doc_freq", "first_period", "first_document", "known", "decision"; next }
    { first = $col["first_documents"]; sub(/\|.*/, "", first); sub(pub, "", first)
      known = $col["known"]
      decision = known == "true" ? "lexicon" : ($col["phrase"] in rej ? "rejected" : "open")
      n[decision]++
      print $col["phrase"], $col["kind"], $col["rule"], $col["count"], $col["doc_freq"], $col["first_period"], first, known, decision }
    END {
        genuine = n["lexicon"] + n["open"]
        printf "candidates in >= %d documents: %d; rejected %d; genuine %d, of which the lexicon counts %d (recall %.1f%%); open %d\n", \
            '"$min_docs"', n["lexicon"] + n["rejected"] + n["open"], n["rejected"], genuine, n["lexicon"], \
            genuine ? 100 * n["lexicon"] / genuine : 0, n["open"] > "/dev/stderr"
        if (n["open"] > 0) exit 1
    }' "$tmp/rejected.txt" "$tmp/found.tsv"
