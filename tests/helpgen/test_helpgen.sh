#!/bin/bash
# test_helpgen.sh LUARUN HELPGEN: the build-time cut of help() entries
# (cmake/helpgen.lua) reads a good page, and stops with file:line on a broken one.
set -u
luarun=$1; gen=$2; dir=$(dirname "$0"); out=${TMPDIR:-/tmp}/helpgen_test.$$.lua
pass=0; fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; fi; }

"$luarun" "$gen" "$out" "$dir/good.md" 2>/tmp/helpgen_err.$$
check "good page builds" "[ $? -eq 0 ]"
check "good page indexed" "grep -q '\[\"np.fine\"\] = {1}' '$out'"
check "good page example kept" "grep -q 'print(np.fine(1))' '$out'"

msg=$("$luarun" "$gen" "$out" "$dir/broken_heading.md" 2>&1); rc=$?
check "broken heading fails" "[ $rc -ne 0 ]"
check "broken heading named" "[[ \"\$msg\" == *'broken_heading.md:3: a heading needs a space after its #s: ##Broken heading'* ]]"

msg=$("$luarun" "$gen" "$out" "$dir/broken_code.md" 2>&1); rc=$?
check "broken page fails" "[ $rc -ne 0 ]"
check "unbalanced definition named" "[[ \"\$msg\" == *'broken_code.md:3: definition \`np.bad(a[, {opt = 1}\` has unbalanced brackets'* ]]"
check "unclosed fence named" "[[ \"\$msg\" == *'broken_code.md:5: code block never closed'* ]]"

rm -f "$out" /tmp/helpgen_err.$$
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
