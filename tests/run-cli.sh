#!/bin/sh
# run-cli.sh [PATTERN]: runs the CLI golden cases in tests/cli/NNNN-name/.
#
# A case folder holds `cmd` (a sh script run inside the folder, with `tifa` on PATH), and any of
# expected.out, expected.err, expected.rc (default 0). A case may also end with its own checks
# (jq, grep) and exit non-zero on failure; exit status 77 means "skipped" (e.g. ../shared is
# absent) and the first line it printed is shown. TIFA_GOLDEN_UPDATE=1 rewrites expected.out,
# expected.err and expected.rc from the current behaviour. TIFA_WRAP runs tifa under a wrapper
# (valgrind); TIFA selects the binary (default ./tifa).
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${TIFA:-$root/tifa}
case $bin in /*) ;; *) bin=$root/$bin ;; esac
work=$(mktemp -d "${TMPDIR:-/tmp}/tifa-cli.XXXXXX")
chmod 755 "$work"   # cases that drop privileges must still reach their scratch folders
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin"
cat > "$work/bin/tifa" <<WRAP
#!/bin/sh
exec ${TIFA_WRAP:-} "$bin" "\$@"
WRAP
chmod +x "$work/bin/tifa"
PATH=$work/bin:$PATH
ROOT=$root
DATA=$root/tests/data
SHARED=$(cd "$root/../shared" 2>/dev/null && pwd)
TIFA_BIN=$bin
export PATH ROOT DATA SHARED TIFA_BIN
pass=0; fail=0; skip=0
for dir in "$root"/tests/cli/*/; do
    name=$(basename "$dir")
    case $name in *${1:-}*) ;; *) continue ;; esac
    [ -f "$dir/cmd" ] || continue
    out=$work/$name.out; err=$work/$name.err
    (cd "$dir" && TMP=$work/$name.tmp && mkdir -p "$TMP" && export TMP && sh ./cmd) >"$out" 2>"$err"
    rc=$?
    if [ "$rc" -eq 77 ]; then
        skip=$((skip + 1)); echo "SKIP: $name: $(head -n 1 "$out")"; continue
    fi
    if [ -n "${TIFA_GOLDEN_UPDATE:-}" ]; then
        cp "$out" "$dir/expected.out"
        if [ -s "$err" ]; then cp "$err" "$dir/expected.err"; else rm -f "$dir/expected.err"; fi
        if [ "$rc" -ne 0 ]; then echo "$rc" > "$dir/expected.rc"; else rm -f "$dir/expected.rc"; fi
    fi
    want_rc=0; [ -f "$dir/expected.rc" ] && want_rc=$(cat "$dir/expected.rc")
    ok=1
    if [ "$rc" -ne "$want_rc" ]; then ok=0; echo "FAIL: $name: exit status $rc, expected $want_rc"; fi
    if [ -f "$dir/expected.out" ] && ! cmp -s "$out" "$dir/expected.out"; then
        ok=0; echo "FAIL: $name: stdout differs"; diff "$dir/expected.out" "$out" | head -n 20
    fi
    if [ -f "$dir/expected.err" ] && ! cmp -s "$err" "$dir/expected.err"; then
        ok=0; echo "FAIL: $name: stderr differs"; diff "$dir/expected.err" "$err" | head -n 20
    fi
    if [ "$ok" -eq 1 ]; then pass=$((pass + 1)); else
        fail=$((fail + 1)); [ -f "$dir/expected.err" ] || head -n 20 "$err"; fi
done
echo "cli: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
