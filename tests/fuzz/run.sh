#!/bin/sh
# run.sh DIR SECONDS NAME...: runs each libFuzzer target DIR/fuzz_NAME for SECONDS, all at once
# (one process each), starting from its seeds and saved regressions. New corpus entries go to
# DIR/corpus/NAME (the checked-in seeds are not touched); a crash, leak, timeout or sanitizer
# report fails the run and leaves the input in DIR/artifacts/: copy it into
# tests/fuzz/regressions/NAME/ so that `make test` replays it from then on.
dir=$1; secs=$2; shift 2
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$dir/artifacts"
for name in "$@"; do
    mkdir -p "$dir/corpus/$name"
    (
        cd "$dir" || exit 1
        seeds=""
        for d in "$root/tests/fuzz/corpus/$name" "$root/tests/fuzz/regressions/$name"; do
            [ -d "$d" ] && seeds="$seeds $d"
        done
        # shellcheck disable=SC2086
        ./fuzz_"$name" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
            -artifact_prefix="artifacts/$name-" "corpus/$name" $seeds > "fuzz_$name.run.log" 2>&1
        echo $? > "fuzz_$name.rc"
    ) &
done
wait
pass=0; fail=0
for name in "$@"; do
    rc=$(cat "$dir/fuzz_$name.rc" 2>/dev/null || echo 1)
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$dir/fuzz_$name.run.log" | grep -o '[0-9]*$')
    if [ "$rc" -eq 0 ]; then
        pass=$((pass + 1)); echo "fuzz $name: ${runs:-?} runs in ${secs}s, ok"
    else
        fail=$((fail + 1)); echo "FAIL: fuzz $name (status $rc):"
        grep -E 'ERROR|SUMMARY|artifact|abort|Test unit written' "$dir/fuzz_$name.run.log" | head -n 20
        echo "  full log: $dir/fuzz_$name.run.log"
    fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
