#!/usr/bin/env bash
# The Swift binding's suite. Debian bookworm has no Swift, so this runs
# `swift build` and `swift test` (bindings/swift, then the examples/swift
# package the tests run, and the root Package.swift an app adds by URL, whose
# Linux branch builds the same sources) in a Debian trixie root made by scripts/swift-chroot.sh
# outside the repo, against the freshly built build/lib/libomnirtc.so.
#
# The repo is bind-mounted into the root at its own path, so omnirtc.pc and
# SwiftPM's absolute paths are the same inside and out; the mounts live in a
# private mount namespace (and a trap unmounts them), and everything runs in a
# private network namespace with only loopback up. Where mounting is not
# allowed (or with OMNIRTC_SWIFT_COPY=1), the repo is copied in instead: .git
# and build outputs left out, a full Swift build each time.
# The media tests' VP8 IVF and Opus Ogg are made by the host's ffmpeg into a
# temporary directory passed in as OMNIRTC_SWIFT_MEDIA, with the TURN TLS test's
# self-signed certificate (turn-cert.pem, turn-key.pem) made by the host's openssl.
# The tests then run again built with the thread sanitizer (OMNIRTC_SWIFT_TSAN=0
# skips that pass); any race it reports fails the suite.
# Usage: scripts/test-swift.sh [swift test args, e.g. --filter ErrorTests]
set -uo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
LIBDIR=$(dirname "${OMNIRTC_LIBRARY:-$REPO/build/lib/libomnirtc.so}")
[ -f "$LIBDIR/libomnirtc.so" ] || { echo "no $LIBDIR/libomnirtc.so: run ./build.sh lib"; echo "swift: 0 passed, 1 failed"; exit 1; }
ROOT=$(scripts/swift-chroot.sh) || { echo "FAIL swift: no Swift root (scripts/swift-chroot.sh)"; echo "swift: 0 passed, 1 failed"; exit 1; }

log=$(mktemp)
# The media tests' files, made here by the host's ffmpeg (installed if missing)
# and mounted (or copied) into the root at the same path: $OMNIRTC_SWIFT_MEDIA.
MEDIA=$(mktemp -d /tmp/omnirtc-swift-media.XXXXXX)
trap 'rm -f "$log"; rm -rf "$MEDIA"' EXIT
if ! command -v ffmpeg >/dev/null; then
	echo "installing ffmpeg"
	DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ffmpeg >/dev/null
fi
ffmpeg -v error -y -f lavfi -i testsrc=size=320x240:rate=30 -t 2 -c:v libvpx -b:v 500k -g 30 -f ivf "$MEDIA/vp8.ivf" &&
	ffmpeg -v error -y -f lavfi -i sine=frequency=440:duration=2 -c:a libopus -b:a 64k -ar 48000 "$MEDIA/opus.ogg" ||
	{ echo "FAIL swift: ffmpeg could not make the test media"; echo "swift: 0 passed, 1 failed"; exit 1; }
# TurnServerTests' TLS listener: a self-signed certificate for 127.0.0.1, in the same directory.
command -v openssl >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssl >/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=omnirtc-turn-test \
	-addext "subjectAltName=IP:127.0.0.1" -keyout "$MEDIA/turn-key.pem" -out "$MEDIA/turn-cert.pem" 2>/dev/null ||
	{ echo "FAIL swift: openssl could not make the TURN test certificate"; echo "swift: 0 passed, 1 failed"; exit 1; }

# inside: runs in the new mount + network namespace, as root.
inside() {
	set -euo pipefail
	ip link set lo up
	target=$ROOT$REPO prefix=$(dirname "$LIBDIR") # prefix: build/, with lib/ and include/
	mkdir -p "$target" "$ROOT/proc" "$ROOT/dev" "$ROOT/tmp"
	trap 'umount -l "$ROOT$MEDIA" "$ROOT$prefix" "$ROOT/tmp" "$ROOT/dev" "$ROOT/proc" "$target" 2>/dev/null || true' EXIT
	mount -t proc proc "$ROOT/proc"
	mount --rbind /dev "$ROOT/dev"
	mount -t tmpfs -o mode=1777 tmpfs "$ROOT/tmp" # SwiftPM's temporary files go with it
	mkdir -p "$ROOT$MEDIA"
	mount --bind "$MEDIA" "$ROOT$MEDIA" 2>/dev/null || cp -a "$MEDIA/." "$ROOT$MEDIA/"
	if [ "${OMNIRTC_SWIFT_COPY:-}" != 1 ] && mount --bind "$REPO" "$target" 2>/dev/null; then
		[ "$prefix" = "$REPO/build" ] || { mkdir -p "$ROOT$prefix" && mount --bind "$prefix" "$ROOT$prefix"; }
	else
		if mountpoint -q "$target"; then echo "$target is a mount point: not replacing it"; exit 1; fi
		echo "copying the repo into $target (no bind mount)"
		rm -rf "$target" && mkdir -p "$target" "$ROOT$prefix"
		tar -C "$REPO" --exclude=./.git --exclude=./build --exclude=./bindings/node/node_modules \
			--exclude=./bindings/swift/.build --exclude="./examples/swift/*/.build" -cf - . | tar -C "$target" -xf -
		cp -a "$prefix/." "$ROOT$prefix/"
	fi
	chroot "$ROOT" env -i HOME=/root PATH=/usr/bin:/bin:/usr/sbin:/sbin LANG=C.UTF-8 \
		PKG_CONFIG_PATH="$LIBDIR/pkgconfig" LD_LIBRARY_PATH="$LIBDIR" OMNIRTC_REPO="$REPO" TSAN="$TSAN" \
		OMNIRTC_SWIFT_MEDIA="$MEDIA" \
		sh -euc 'cd "$OMNIRTC_REPO/bindings/swift"
			swift build --build-tests
			swift build --disable-build-manifest-caching --package-path ../../examples/swift/datachannel
			swift build --disable-build-manifest-caching --package-path ../../examples/swift/media
			swift build --disable-build-manifest-caching --package-path ../..
			swift test --skip-build "$@"
			[ "$TSAN" = 1 ] || exit 0
			echo "== the same tests under the thread sanitizer"
			swift build --build-tests --sanitize=thread --scratch-path .build/tsan
			swift test --skip-build --sanitize=thread --scratch-path .build/tsan "$@"' swift-test "$@"
}
export -f inside
TSAN=${OMNIRTC_SWIFT_TSAN:-1}
export ROOT REPO LIBDIR TSAN MEDIA
status=0
timeout 1200 unshare -m -n --propagation private bash -c 'inside "$@"' inside "$@" 2>&1 | tee "$log" || status=$?

# XCTest prints one line per test case: "Test Case '...' passed|failed (N seconds)".
# The thread-sanitizer pass counts as one more test: every case passed, no report.
plain=$(sed '/^== the same tests under the thread sanitizer/,$d' "$log")
passed=$(grep -Ec "^Test Case '.*' passed" <<<"$plain")
failed=$(grep -Ec "^Test Case '.*' failed" <<<"$plain")
if [ "$TSAN" = 1 ] && grep -q "^== the same tests under the thread sanitizer" "$log"; then
	tsan=$(sed -n '/^== the same tests under the thread sanitizer/,$p' "$log")
	if [ "$status" -eq 0 ] && ! grep -q "WARNING: ThreadSanitizer" <<<"$tsan" && ! grep -q "^Test Case '.*' failed" <<<"$tsan"; then
		passed=$((passed + 1)) && echo "ok   thread sanitizer: no data race"
	else
		failed=$((failed + 1)) && echo "FAIL thread sanitizer"
	fi
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then # a set-up or build failure, or a crash: one failure
	failed=1
	echo "FAIL swift: exit status $status before or after the test cases (see the output above)"
fi
echo "swift: ${passed:-0} passed, ${failed:-0} failed"
[ "$status" -eq 0 ] && [ "${passed:-0}" -gt 0 ] && [ "$failed" -eq 0 ]
