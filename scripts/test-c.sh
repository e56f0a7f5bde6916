#!/usr/bin/env bash
# Runs every C test, one process per test case, and prints a pytest-style
# summary. A test binary that cannot list its tests, or lists none, is a
# failure: a silent zero would pass. With FILTERs, only the cases whose
# FILE::case holds one of them run. TEST_RUNNER, if set, runs each binary
# (qemu-user for another architecture's).
# Usage: [TEST_RUNNER=CMD] scripts/test-c.sh BIN_DIR [FILTER...]
set -uo pipefail
bin=$1
filters=("${@:2}")
read -ra run <<<"${TEST_RUNNER:-}"
passed=0 failed=0 failures=()
selected() { # FILE::case
	[ ${#filters[@]} -eq 0 ] && return 0
	local filter
	for filter in "${filters[@]}"; do [[ "$1" == *"$filter"* ]] && return 0; done
	return 1
}
for exe in "$bin"/test_*; do
	if ! names=$("${run[@]}" "$exe") || [ -z "$names" ]; then
		failed=$((failed + 1))
		failures+=("$(basename "$exe")")
		printf 'FAIL %s lists no tests\n' "$(basename "$exe")"
		continue
	fi
	for name in $names; do
		selected "$(basename "$exe")::$name" || continue
		start=$(date +%s%N)
		if out=$(timeout 120 "${run[@]}" "$exe" "$name" 2>&1); then
			passed=$((passed + 1))
			printf 'ok   %-70s %dms\n' "$(basename "$exe")::$name" $((($(date +%s%N) - start) / 1000000))
		else
			failed=$((failed + 1))
			failures+=("$(basename "$exe")::$name")
			printf 'FAIL %s\n%s\n' "$(basename "$exe")::$name" "$out"
		fi
	done
done
echo "C: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
