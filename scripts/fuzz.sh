#!/usr/bin/env bash
# Runs every Go fuzz target for a bounded time each (default 10s). Inputs that
# crash are saved by go test under the package's testdata/fuzz/ (core/,
# core/jitterbuffer/, ...) and replayed by every later `go test`, so keep them
# as regression inputs.
# Usage: scripts/fuzz.sh [DURATION]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10s}
# "package-directory target" per line, for core and the packages under it.
targets=$(grep -o '^func Fuzz[A-Za-z0-9_]*' --include='*_test.go' -r core | sed 's#/[^/]*_test.go:func # #' | sort -u)
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# fuzz DIR TARGET: one bounded run; its output is in $log.
fuzz() {
	scripts/netns-run.sh go test -run='^$' -fuzz="^$2\$" -fuzztime="$duration" "./$1/" </dev/null >"$log" 2>&1
}

# crashers DIR TARGET: how many inputs go test has saved for it.
crashers() {
	local dir=$1/testdata/fuzz/$2
	if [ -d "$dir" ]; then find "$dir" -type f | wc -l; else echo 0; fi
}

while read -r pkg target; do
	echo "fuzzing $target ($pkg) for $duration"
	saved=$(crashers "$pkg" "$target")
	if ! fuzz "$pkg" "$target"; then
		# Go's coordinator can fail a run at the -fuzztime deadline with a bare
		# "context deadline exceeded" and no input saved (a race between its
		# parent and child contexts, likelier on a loaded machine): that found
		# nothing, so it is run once more. A real finding saves an input.
		if [ "$(crashers "$pkg" "$target")" = "$saved" ] && grep -q '^    context deadline exceeded$' "$log"; then
			echo "$target: the fuzzer's deadline race, no input saved; running it again"
			fuzz "$pkg" "$target" || { tail -n 40 "$log"; exit 1; }
		else # the whole story: a crasher's name, or the worker that hung
			tail -n 40 "$log"
			exit 1
		fi
	fi
	tail -n 2 "$log"
done <<<"$targets"
