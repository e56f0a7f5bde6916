#!/usr/bin/env bash
# Runs the Swift library peer (swift-peer/, PROTOCOL.md on stdin/stdout), or
# with --build builds it, in the Swift root of scripts/swift-chroot.sh (Debian
# trixie: bookworm has no Swift). As scripts/test-swift.sh does, the repo (and
# the library's directory) is bind-mounted into the root at its own path, in a
# private mount namespace that ends with the process; the network namespace is
# the caller's, so the peer runs in the suite's private one.
# Usage: tests/interop/swift-peer.sh [--build]
#   INTEROP_SWIFT_ROOT (else OMNIRTC_SWIFT_ROOT, else /var/cache/omnirtc/trixie)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
ROOT=${INTEROP_SWIFT_ROOT:-${OMNIRTC_SWIFT_ROOT:-/var/cache/omnirtc/trixie}}
LIBDIR=$(dirname "${OMNIRTC_LIBRARY:-$REPO/build/lib/libomnirtc.so}")
exec unshare -m --propagation private bash -euc '
	ROOT=$1 REPO=$2 LIBDIR=$3
	shift 3
	mkdir -p "$ROOT$REPO" "$ROOT/proc" "$ROOT/dev" "$ROOT/tmp"
	mount --bind "$REPO" "$ROOT$REPO"
	case $LIBDIR in "$REPO"/*) ;; *) mkdir -p "$ROOT$LIBDIR" && mount --bind "$LIBDIR" "$ROOT$LIBDIR" ;; esac
	mount -t proc proc "$ROOT/proc"
	mount --rbind /dev "$ROOT/dev"
	mount --rbind /tmp "$ROOT/tmp" # the host /tmp: the media files of cases.js are there
	package=$REPO/tests/interop/swift-peer
	if [ "${1:-}" = --build ]; then
		cmd=(swift build -c release --package-path "$package")
	else
		cmd=("$package/.build/release/swift-peer")
	fi
	exec chroot "$ROOT" env -i HOME=/root PATH=/usr/bin:/bin:/usr/sbin:/sbin LANG=C.UTF-8 \
		PKG_CONFIG_PATH="$LIBDIR/pkgconfig" LD_LIBRARY_PATH="$LIBDIR" "${cmd[@]}"' swift-peer "$ROOT" "$REPO" "$LIBDIR" "$@"
