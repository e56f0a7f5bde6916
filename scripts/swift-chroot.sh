#!/usr/bin/env bash
# Makes (once) a Debian trixie root with Swift 6 (trixie's swiftlang), outside
# the repo, and prints its path (scripts/debian-root.sh). The host runs
# bookworm, which has no Swift; trixie is served by the mirror apt already
# uses. A root that already holds Swift is reused, so only the first run pays
# (50-130 s here, 2.6 GB).
# Usage: scripts/swift-chroot.sh [ROOT]   (default $OMNIRTC_SWIFT_ROOT or
# /var/cache/omnirtc/trixie)
set -euo pipefail
ROOT=${1:-${OMNIRTC_SWIFT_ROOT:-/var/cache/omnirtc/trixie}}
exec "$(dirname "$0")/debian-root.sh" trixie "$(dpkg --print-architecture)" "$ROOT" \
	"swiftlang libc6-dev pkgconf iproute2" "swift --version"
