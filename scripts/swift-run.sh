#!/usr/bin/env bash
# Runs a command in the Swift root of scripts/swift-chroot.sh (Debian trixie:
# bookworm has no Swift), against the freshly built library. As
# scripts/test-swift.sh does, the repo (and the library's directory) is
# bind-mounted into the root at its own path, with the host's /tmp, in a
# private mount namespace that ends with the command; the network namespace is
# the caller's, so a test run in a private one stays there.
# Usage: scripts/swift-run.sh CMD [ARGS...]
#   the root: OMNIRTC_SWIFT_ROOT, else /var/cache/omnirtc/trixie
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
ROOT=${OMNIRTC_SWIFT_ROOT:-/var/cache/omnirtc/trixie}
LIBDIR=$(dirname "${OMNIRTC_LIBRARY:-$REPO/build/lib/libomnirtc.so}")
exec unshare -m --propagation private bash -euc '
	ROOT=$1 REPO=$2 LIBDIR=$3
	shift 3
	mkdir -p "$ROOT$REPO" "$ROOT/proc" "$ROOT/dev" "$ROOT/tmp"
	mount --bind "$REPO" "$ROOT$REPO"
	case $LIBDIR in "$REPO"/*) ;; *) mkdir -p "$ROOT$LIBDIR" && mount --bind "$LIBDIR" "$ROOT$LIBDIR" ;; esac
	mount -t proc proc "$ROOT/proc"
	mount --rbind /dev "$ROOT/dev"
	mount --rbind /tmp "$ROOT/tmp"
	exec chroot "$ROOT" env -i HOME=/root PATH=/usr/bin:/bin:/usr/sbin:/sbin LANG=C.UTF-8 \
		PKG_CONFIG_PATH="$LIBDIR/pkgconfig" LD_LIBRARY_PATH="$LIBDIR" "$@"' swift-run "$ROOT" "$REPO" "$LIBDIR" "$@"
