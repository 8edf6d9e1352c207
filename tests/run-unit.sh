#!/bin/sh
# run-unit.sh BIN...: runs each cmocka unit-test binary; ends with "N passed, N failed".
pass=0; fail=0
for t in "$@"; do
    if ${TIFA_UNIT_WRAP:-} "$t" >"$t.log" 2>&1; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $t"; cat "$t.log"
    fi
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
