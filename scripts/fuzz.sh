#!/usr/bin/env bash
# Runs every Go fuzz target for a bounded time each (default 10s). Inputs that
# crash are saved by go test under core/testdata/fuzz/ and replayed by every
# later `go test`, so keep them as regression inputs.
# Usage: scripts/fuzz.sh [DURATION]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10s}
targets=$(grep -ho '^func Fuzz[A-Za-z0-9_]*' core/*_test.go | sed 's/^func //')
for target in $targets; do
	echo "fuzzing $target for $duration"
	scripts/netns-run.sh go test -run='^$' -fuzz="^${target}\$" -fuzztime="$duration" ./core/ 2>&1 | tail -n 3
done
