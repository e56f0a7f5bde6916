#!/usr/bin/env bash
# The cross-language event sequence (tests/sequence/README.md): the same
# scenario in C, Python, Node and Swift, each printing the events the answering
# peer sees; one test per language compares its sequence with C's. Swift is
# built and run in the Swift root (scripts/swift-chroot.sh makes it once).
set -uo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/checks.sh
. scripts/checks.sh
venv=build/venv-python
scripts/python-venv.sh >/dev/null || exit 1
scripts/build-node-addon.sh || exit 1
bin=build/bin
mkdir -p "$bin"
cc -Wall -Werror -o "$bin/sequence" tests/sequence/sequence.c $(pkg-config --cflags --libs omnirtc) -lpthread || exit 1
run() { timeout 60 scripts/netns-run.sh "$@"; }
c=$(run "$bin/sequence")
check "c prints the sequence" test -n "$c"
same_as_c() { # NAME CMD...
	local got
	got=$(run "${@:2}")
	diff <(echo "$c") <(echo "$got")
}
check python same_as_c python env PYTHONPATH=bindings/python "$venv/bin/python" tests/sequence/sequence.py
check node same_as_c node node tests/sequence/sequence.js
swift=tests/sequence/swift-sequence
if ! scripts/swift-chroot.sh >/dev/null; then
	check "swift root (scripts/swift-chroot.sh)" false
elif ! scripts/swift-run.sh swift build --disable-build-manifest-caching --package-path "$PWD/$swift"; then
	check "swift builds $swift" false
else
	check swift same_as_c swift scripts/swift-run.sh "$PWD/$swift/.build/debug/sequence"
fi
checks_summary sequence
