# bash completion for tifa(1): commands, each command's options, the values of --format (per
# command), --sort, --color and --alpha, and --category names asked of `tifa lexicon
# --categories` when completing; files and folders otherwise.
# Installed by `make install` as $(PREFIX)/share/bash-completion/completions/tifa; to try it
# from the source tree: `. completions/tifa.bash`. Keep the option lists in step with
# `tifa CMD --help` (and man/tifa.1).

_tifa_commands="count discover kwic cooc diff merge trend lexicon help"

# The options of command $1, without the shared ones it takes.
_tifa_own_opts()
{
    case $1 in
    count) echo "-f --format --per-doc --top --min-count --sort --pattern --patterns --expansions --partial --by-sense --group-by" ;;
    discover) echo "--kind --min-docs --known --rules --reference -f --format --top" ;;
    kwic) echo "-e --term --all -f --format -w --width --sentence --blocked --expansions --sort --max --sample --seed --color" ;;
    cooc) echo "-f --format --window --min-count" ;;
    diff) echo "-f --format --alpha --all --exit-code --force --correct --min-freq --a --b --color --top --min-count" ;;
    merge) echo "-f --format --sort --top --min-count --force --bom -q --quiet" ;;
    trend) echo "--period --y --date-field --group-by --key-regex --term --top --min-count --docs --rate --share -f --format" ;;
    lexicon) echo "-f --format --search --check --categories" ;;
    esac
}

# Every option of command $1: its own, the shared ones it takes, -h/--help and -V/--version.
_tifa_opts()
{
    local lexicon="--lexicon --no-builtin --category"
    local output="-o --output"
    local inputs="--overlapping --encoding -j --threads --hidden --binary --raw --bom --script --opencc-config --glob --files-from -0 --null --meta --where -q --quiet"
    case $1 in
    count | discover | kwic | cooc | diff | trend) echo "$(_tifa_own_opts "$1") $lexicon $inputs $output -h --help -V --version" ;;
    lexicon) echo "$(_tifa_own_opts "$1") $lexicon $output -h --help -V --version" ;;
    merge) echo "$(_tifa_own_opts "$1") $output -h --help -V --version" ;;
    *) echo "$(_tifa_own_opts "$1") -h --help -V --version" ;;
    esac
}

# The values of option $2 of command $1 (empty: any value, or a file for the file options).
_tifa_values()
{
    case $2 in
    -f | --format)
        case $1 in
        count) echo "table json jsonl tsv csv matrix matrix-csv" ;;
        kwic) echo "table json jsonl tsv csv" ;;
        discover) echo "table json jsonl tsv csv lexicon" ;;
        diff) echo "table json tsv csv" ;;
        cooc) echo "table json tsv csv dot" ;;
        merge) echo "json jsonl table tsv csv matrix matrix-csv" ;;
        trend) echo "table json tsv csv svg" ;;
        lexicon) echo "table json tsv" ;;
        esac
        ;;
    --sort)
        case $1 in
        kwic) echo "path left right term" ;;
        *) echo "count term docs" ;;
        esac
        ;;
    --color) echo "auto always never" ;;
    --script) echo "auto simplified traditional keep" ;;
    --opencc-config) echo "t2s tw2s hk2s" ;;
    --kind) echo "numbered quoted ngram" ;;
    --window) echo "sentence paragraph document" ;;
    --alpha) echo "0.05 0.01 0.001 0.0001" ;;
    --correct) echo "none bonferroni holm" ;;
    --period) echo "year quarter month week day" ;;
    --y) echo "count rate share docs" ;;
    --encoding) echo "UTF-8 GB18030 GBK GB2312 BIG5 BIG5-HKSCS UTF-16LE UTF-16BE UTF-32LE UTF-32BE" ;;
    --category) "$_tifa_bin" lexicon --categories 2>/dev/null | cut -f1 ;;
    esac
}

# Whether option $1 takes a value (so the next word is that value, not an argument).
_tifa_takes_value()
{
    case $1 in
    -f | --format | --top | --min-count | --sort | -e | --term | -w | --width | --max | --sample | \
        --seed | --color | --alpha | --correct | --min-freq | --period | --y | --key-regex | --search | --check | --lexicon | --category | \
        --encoding | -j | --threads | --glob | --files-from | --kind | --min-docs | --rules | \
        --reference | --pattern | --patterns | --window | -o | --output) return 0 ;;
    esac
    return 1
}

_tifa()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]} cmd="" i values
    _tifa_bin=${COMP_WORDS[0]}
    command -v "$_tifa_bin" > /dev/null 2>&1 || _tifa_bin=tifa
    COMPREPLY=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        -*) ;;
        *) cmd=${COMP_WORDS[i]}; break ;;
        esac
    done
    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "-h --help -V --version" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$_tifa_commands" -- "$cur"))
        fi
        return 0
    fi
    if [[ $cmd == help ]]; then
        [[ $cur == -* ]] || COMPREPLY=($(compgen -W "$_tifa_commands" -- "$cur"))
        return 0
    fi
    # --name=VALUE in one word (bash splits at '=' when it is in COMP_WORDBREAKS, as by default)
    if [[ $cur == --*=* ]]; then
        prev=${cur%%=*}
        cur=${cur#*=}
    elif [[ $cur == = && $prev == --* ]]; then
        cur=""
    elif [[ $prev == = && $COMP_CWORD -ge 2 ]]; then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    fi
    if _tifa_takes_value "$prev"; then
        values=$(_tifa_values "$cmd" "$prev")
        if [[ -n $values ]]; then
            COMPREPLY=($(compgen -W "$values" -- "$cur"))
            return 0
        fi
        case $prev in
        --lexicon | --check | --files-from | -o | --output) ;;
        *) return 0 ;; # a number, a term, a pattern: nothing to offer
        esac
    elif [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_tifa_opts "$cmd")" -- "$cur"))
        return 0
    fi
    compopt -o filenames 2> /dev/null
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    return 0
}

complete -F _tifa tifa
