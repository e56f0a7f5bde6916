#!/usr/bin/env bash
# Runs every C example and checks what it prints. (Python, Node and Swift
# examples are run by their own suites.)
set -uo pipefail
cd "$(dirname "$0")/.."
bin=build/bin
passed=0 failed=0
expect() { # NAME PATTERN CMD...
	local name=$1 pattern=$2 out
	shift 2
	if out=$(timeout 60 scripts/netns-run.sh "$@" 2>&1) && grep -q -- "$pattern" <<<"$out"; then
		passed=$((passed + 1))
		echo "ok   $name"
	else
		failed=$((failed + 1))
		printf 'FAIL %s\n%s\n' "$name" "$out"
	fi
}
expect examples/c/datachannel "checksum ok" "$bin/datachannel"
expect examples/c/forward "small viewer, moved to h, receives: hhhhhhhhhh" "$bin/forward"
expect examples/c/two-process "offerer: done" examples/c/two-process.sh "$bin/signaling_peer"
echo "examples: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
