#!/usr/bin/env bash
# Runs every C test, one process per test case, and prints a pytest-style
# summary. A test binary that cannot list its tests, or lists none, is a
# failure: a silent zero would pass. Usage: scripts/test-c.sh BIN_DIR [FILTER]
set -uo pipefail
bin=$1
filter=${2:-}
passed=0 failed=0 failures=()
for exe in "$bin"/test_*; do
	if ! names=$("$exe") || [ -z "$names" ]; then
		failed=$((failed + 1))
		failures+=("$(basename "$exe")")
		printf 'FAIL %s lists no tests\n' "$(basename "$exe")"
		continue
	fi
	for name in $names; do
		[[ -z "$filter" || "$name" == *"$filter"* ]] || continue
		start=$(date +%s%N)
		if out=$(timeout 120 "$exe" "$name" 2>&1); then
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
