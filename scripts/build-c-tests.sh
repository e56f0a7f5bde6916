#!/usr/bin/env bash
# Compiles every tests/c/test_*.c but test_media.c (the media cases need
# generated files: scripts/test-media.sh builds and runs them) into OUT_DIR,
# against the libomnirtc that pkg-config finds (its PKG_CONFIG_* variables):
# by the host's cc for this machine, by zig's (scripts/zig-cc.sh) for ARCH.
# OUT_DIR's old test_* go first: scripts/test-c.sh runs every one there.
# Usage: scripts/build-c-tests.sh OUT_DIR [ARCH]
set -euo pipefail
cd "$(dirname "$0")/.."
out=$1 cc=cc
[ "${2:-$(uname -m)}" = "$(uname -m)" ] || cc=$(scripts/zig-cc.sh "$2")
mkdir -p "$out"
rm -f "$out"/test_*
flags=$(pkg-config --cflags --libs omnirtc)
for src in tests/c/test_*.c; do
	[ "$src" != tests/c/test_media.c ] || continue
	# shellcheck disable=SC2086 # the compiler command and pkg-config's output are words
	$cc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -g -Itests/c/harness -o "$out/$(basename "$src" .c)" \
		"$src" tests/c/harness/*.c $flags -lpthread
done
