#!/usr/bin/env bash
# The reliability suite (issue #9): hostile packets at a live pair (data
# channels and media), C ABI misuse and the C tests under AddressSanitizer,
# faults on the path (loss, reordering, duplication, delay, black hole, path
# change) and SRTP replay by the relay, and a short soak
# through C, Python and Node. Every step runs in a private network namespace.
# What each step covered is appended to build/reliability/coverage.txt.
# Usage: scripts/test-reliability.sh   (via ./build.sh test-reliability)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
out=$ROOT/build/reliability
mkdir -p "$out" "$out/asan"
export OMNIRTC_RELIABILITY_LOG=$out/coverage.txt
: >"$OMNIRTC_RELIABILITY_LOG"
passed=0 failed=0 failures=()

# step NAME LOG CMD...: one pass or fail; CMD's output goes to LOG.
step() {
	local name=$1 log=$2 start=$SECONDS
	shift 2
	if "$@" >"$log" 2>&1; then
		passed=$((passed + 1))
		echo "ok   $name ($((SECONDS - start)) s)"
	else
		failed=$((failed + 1))
		failures+=("$name")
		echo "FAIL $name"
		tail -n 30 "$log"
	fi
}

# c_counts LOG NAME: adds the "C: N passed, M failed" counts of a test-c.sh run.
c_counts() {
	local p f
	p=$(grep -Eo 'C: [0-9]+ passed' "$1" | grep -Eo '[0-9]+' || echo 0)
	f=$(grep -Eo '[0-9]+ failed' "$1" | tail -n 1 | grep -Eo '[0-9]+' || echo 1)
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$f" -eq 0 ] || failures+=("$2")
}

cflags=$(pkg-config --cflags omnirtc)
libs=$(pkg-config --libs omnirtc)
compile() { # compile OUT FLAGS SRC...
	local o=$1 extra=$2
	shift 2
	# shellcheck disable=SC2086
	cc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -g $extra $cflags -Itests/c/harness -Itests/reliability \
		-o "$o" "$@" tests/c/harness/*.c $libs -lpthread
}

echo "==> hostile packets and offers at a live pair (Go, raw spoofed UDP)"
packets=${OMNIRTC_HOSTILE_PACKETS:-20000} offers=${OMNIRTC_HOSTILE_OFFERS:-600}
media_packets=${OMNIRTC_HOSTILE_MEDIA_PACKETS:-10000}
step "hostile packets ($packets), media packets ($media_packets) and offers ($offers)" "$out/hostile.txt" \
	env OMNIRTC_HOSTILE_PACKETS="$packets" OMNIRTC_HOSTILE_OFFERS="$offers" \
	OMNIRTC_HOSTILE_MEDIA_PACKETS="$media_packets" scripts/netns-run.sh go test -count=1 \
	-run '^(TestHostilePacketsAtLivePeer|TestHostilePacketsAtLiveMediaPeer|TestMalformedSDPAtLivePeer|TestValidDatagram)$' \
	-v ./core/
grep -h 'hostile_\(media_\)\?linux_test.go.*\(hostile packets\|hostile media packets\|mutated offers\)' "$out/hostile.txt" |
	sed 's/^ *hostile_\(media_\)\?linux_test.go:[0-9]*: /hostile | /' >>"$OMNIRTC_RELIABILITY_LOG"

echo "==> fault injection (relay: loss, reordering, duplication, delay, black hole, path change, SRTP replay)"
compile "$out/test_faults" -O2 tests/reliability/test_faults.c tests/reliability/relay.c || exit 1
scripts/netns-run.sh scripts/test-c.sh "$out" | tee "$out/faults.txt"
c_counts "$out/faults.txt" faults

echo "==> C tests built with AddressSanitizer (with the media cases and their files)"
scripts/media-files.sh || exit 1
rm -f "$out"/asan/test_*
for src in tests/c/test_*.c; do
	compile "$out/asan/$(basename "$src" .c)" "-O1 -fsanitize=address -fno-omit-frame-pointer" "$src" || exit 1
done
# Go's runtime is not instrumented; leak checking at exit would report the
# runtime's own allocations, so it is off (the counters cover leaks).
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:halt_on_error=1 OMNIRTC_TEST_MEDIA=$ROOT/build/media \
	scripts/netns-run.sh scripts/test-c.sh "$out/asan" | tee "$out/asan.txt"
c_counts "$out/asan.txt" asan
echo "asan | every C test ($(grep -c '^ok' "$out/asan.txt") cases incl. misuse and security) under AddressSanitizer | no report" >>"$OMNIRTC_RELIABILITY_LOG"

echo "==> short soak: C ABI (channels, media), Python, Node"
compile "$out/soak" -O2 tests/reliability/soak.c || exit 1
step "C soak (300 cycles, 50 concurrent)" "$out/soak-c.txt" scripts/netns-run.sh "$out/soak" 300 50
step "C media soak (200 cycles, 20 concurrent)" "$out/soak-media.txt" scripts/netns-run.sh "$out/soak" 200 20 media
venv_python=python3
if scripts/python-venv.sh >/dev/null 2>&1; then venv_python=build/venv-python/bin/python; fi
step "Python soak (100 cycles, 50 concurrent)" "$out/soak-python.txt" \
	env PYTHONPATH="$ROOT/bindings/python:$ROOT/bindings/python/tests" \
	scripts/netns-run.sh "$venv_python" tests/reliability/soak.py 100 50
step "Node soak (100 cycles, 50 concurrent)" "$out/soak-node.txt" bash -c 'scripts/build-node-addon.sh >/dev/null &&
	scripts/netns-run.sh node --expose-gc tests/reliability/soak.js 100 50'
for f in c media python node; do
	sed 's/^/soak | /' "$out/soak-$f.txt" | grep 'soak\( (media)\)\?: ' >>"$OMNIRTC_RELIABILITY_LOG"
done

echo "==> what was covered"
cat "$OMNIRTC_RELIABILITY_LOG"
[ ${#failures[@]} -eq 0 ] || echo "failed: ${failures[*]}"
echo "reliability: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
