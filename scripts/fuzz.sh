#!/usr/bin/env bash
# Runs every Go fuzz target for a bounded time each (default 10s). Inputs that
# crash are saved by go test under core/testdata/fuzz/ and replayed by every
# later `go test`, so keep them as regression inputs.
# Usage: scripts/fuzz.sh [DURATION]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10s}
targets=$(grep -ho '^func Fuzz[A-Za-z0-9_]*' core/*_test.go | sed 's/^func //')
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for target in $targets; do
	echo "fuzzing $target for $duration"
	if scripts/netns-run.sh go test -run='^$' -fuzz="^${target}\$" -fuzztime="$duration" ./core/ >"$log" 2>&1; then
		tail -n 2 "$log"
	else # the whole story: a crasher's name, or the worker that hung
		tail -n 40 "$log"
		exit 1
	fi
done
