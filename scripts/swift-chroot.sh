#!/usr/bin/env bash
# Makes (once) a Debian trixie root with Swift 6 (trixie's swiftlang), outside
# the repo, and prints its path. The host runs bookworm, which has no Swift;
# trixie is served by the mirror apt already uses. A root that already holds
# Swift is reused, so only the first run pays (50-130 s here, 2.6 GB).
# Usage: scripts/swift-chroot.sh [ROOT]   (default $OMNIRTC_SWIFT_ROOT or
# /var/cache/omnirtc/trixie)
set -euo pipefail
ROOT=${1:-${OMNIRTC_SWIFT_ROOT:-/var/cache/omnirtc/trixie}}
READY=$ROOT/.omnirtc-swift-ready
PACKAGES="swiftlang libc6-dev pkgconf iproute2" # the marker records them: a new one is installed once

ready() { [ "$(cat "$READY" 2>/dev/null)" = "$PACKAGES" ]; }
ready && { echo "$ROOT"; exit 0; }

# The Debian mirror of the existing apt sources (deb822 first, then classic).
mirror() {
	local m
	m=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\/debian\)\/\{0,1\}[[:space:]]*$/\1/p' \
		/etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
	[ -n "$m" ] || m=$(sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\{0,1\}\([^[:space:]]*\/debian\)\/\{0,1\}[[:space:]].*/\2/p' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -n1)
	echo "${m:-http://deb.debian.org/debian}"
}

mkdir -p "$(dirname "$ROOT")"
exec 9>"$ROOT.lock"
flock 9 # a second run waits for the first instead of bootstrapping twice
ready && { echo "$ROOT"; exit 0; }

start=$(date +%s)
if ! command -v debootstrap >/dev/null; then
	echo "installing debootstrap" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >&2 ||
		{ DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >&2; }
fi
if [ ! -f "$ROOT/.omnirtc-debootstrapped" ]; then # none yet, or one cut short: start over
	if awk -v r="$ROOT" '$2 == r || index($2, r "/") == 1 { found = 1 } END { exit !found }' /proc/self/mounts; then
		echo "$ROOT has something mounted in it: not replacing it" >&2
		exit 1
	fi
	rm -rf "$ROOT"
	echo "debootstrap trixie into $ROOT from $(mirror)" >&2
	debootstrap --variant=minbase trixie "$ROOT" "$(mirror)" >&2
	touch "$ROOT/.omnirtc-debootstrapped"
fi
echo "installing $PACKAGES in $ROOT" >&2
# /proc for the package scripts, in a private mount namespace: it cannot outlive this step.
unshare -m --propagation private sh -euc '
	mount -t proc proc "$1/proc"
	chroot "$1" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	chroot "$1" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $2
	chroot "$1" apt-get clean
	chroot "$1" swift --version' swift-chroot "$ROOT" "$PACKAGES" >&2
echo "$PACKAGES" >"$READY"
echo "Swift root ready in $(($(date +%s) - start)) s" >&2
echo "$ROOT"
