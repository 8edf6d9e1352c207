#!/bin/sh
# run-replay.sh DIR NAME...: reruns the seeds (tests/fuzz/corpus/NAME/) and saved crashers
# (tests/fuzz/regressions/NAME/) of each fuzz target through DIR/fuzz_NAME, a build of the target
# linked with tests/fuzz/replay.c instead of libFuzzer. Ends with "N passed, N failed".
dir=$1; shift
root=$(cd "$(dirname "$0")/.." && pwd)
pass=0; fail=0
for name in "$@"; do
    set --
    for d in "$root/tests/fuzz/corpus/$name" "$root/tests/fuzz/regressions/$name"; do
        [ -d "$d" ] && set -- "$@" "$d"
    done
    if ${TIFA_UNIT_WRAP:-} "$dir/fuzz_$name" "$@" >"$dir/fuzz_$name.log" 2>&1; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: fuzz replay $name (the input named last ran last)"; tail -n 20 "$dir/fuzz_$name.log"
    fi
done
echo "fuzz replay: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
