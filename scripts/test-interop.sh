#!/usr/bin/env bash
# The interop suite: OmniRTC's C API, Python, Node and Swift bindings against
# Debian's Chromium and Firefox ESR, data channels and media (tests/interop/README.md).
# Installs the browsers, ffmpeg and the suite's npm packages when missing, builds the C
# peer and the Node addon, makes the Swift root (scripts/swift-chroot.sh, once) and
# builds the Swift peer in it, then runs every case in a private network namespace
# (tests/interop/with-route.sh gives its veth the route Chromium needs).
# Usage: scripts/test-interop.sh [--prepare | node --test options]
#   --prepare installs and builds, then stops (for scripts/bench.sh).
#   INTEROP_LANGUAGES=c,python,node,swift selects the library peers.
set -uo pipefail
cd "$(dirname "$0")/.."
missing=$(for p in chromium firefox-esr ffmpeg; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
if [ -n "$missing" ]; then
	echo "==> installing" $missing
	DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null || exit 1
fi
(cd tests/interop && { [ -d node_modules/playwright-core ] && [ -d node_modules/ws ] || npm install --no-audit --no-fund --loglevel=error; }) || exit 1
scripts/build-node-addon.sh || exit 1
scripts/python-venv.sh || exit 1 # the server example's Python: PyAV, aiohttp
mkdir -p build/bin
# shellcheck disable=SC2046
cc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 $(pkg-config --cflags omnirtc) -o build/bin/interop_c_peer \
	tests/interop/c_peer.c $(pkg-config --libs omnirtc) -lpthread || exit 1
if [[ ",${INTEROP_LANGUAGES:-swift}," == *,swift,* ]]; then
	# the Swift peer runs in a Debian trixie root (bookworm has no Swift)
	INTEROP_SWIFT_ROOT=$(scripts/swift-chroot.sh) || { echo "interop: no Swift root (scripts/swift-chroot.sh)"; exit 1; }
	export INTEROP_SWIFT_ROOT
	tests/interop/swift-peer.sh --build || exit 1
fi
[ "${1:-}" = --prepare ] && exit 0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
NETNS_LAN=1 timeout 900 scripts/netns-run.sh tests/interop/with-route.sh node --test --test-reporter=spec --test-concurrency=1 --test-force-exit \
	"$@" tests/interop/interop.test.js tests/interop/server-example.test.js tests/interop/webcam-example.test.js tests/interop/red.test.js tests/interop/ulpfec.test.js tests/interop/svc.test.js tests/interop/whip-chromium.test.js | tee "$log" || status=$?
passed=$(sed -n 's/^ℹ pass \([0-9]*\)$/\1/p' "$log")
failed=$(sed -n 's/^ℹ fail \([0-9]*\)$/\1/p' "$log")
echo "interop: ${passed:-0} passed, ${failed:-0} failed"
[ "$status" -eq 0 ] && [ "${passed:-0}" -gt 0 ]
