#!/usr/bin/env bash
# Runs the Swift library peer (swift-peer/, PROTOCOL.md on stdin/stdout), or
# with --build builds it, in the Swift root of scripts/swift-chroot.sh through
# scripts/swift-run.sh (the host's /tmp is mounted: the media files of cases.js
# are there); the network namespace is the caller's, so the peer runs in the
# suite's private one.
# Usage: tests/interop/swift-peer.sh [--build]
#   INTEROP_SWIFT_ROOT (else OMNIRTC_SWIFT_ROOT, else /var/cache/omnirtc/trixie)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
export OMNIRTC_SWIFT_ROOT=${INTEROP_SWIFT_ROOT:-${OMNIRTC_SWIFT_ROOT:-/var/cache/omnirtc/trixie}}
package=$REPO/tests/interop/swift-peer
if [ "${1:-}" = --build ]; then
	exec "$REPO/scripts/swift-run.sh" swift build --disable-build-manifest-caching -c release --package-path "$package"
fi
exec "$REPO/scripts/swift-run.sh" "$package/.build/release/swift-peer"
