#!/usr/bin/env bash
# Makes (once) a Debian root outside the repo with the packages a suite needs,
# and prints its path. A root that already holds them is reused, so only the
# first run pays; a package added to the list is installed once into it.
# Another architecture than the host's is bootstrapped with --foreign and its
# second stage run under qemu-user (scripts/emu-root.sh registers it first).
# Usage: scripts/debian-root.sh SUITE DEBIAN_ARCH ROOT "PACKAGES" CHECK
#   CHECK: a command run in the root once the packages are in (prints versions)
set -euo pipefail
SUITE=$1 ARCH=$2 ROOT=$3 PACKAGES=$4 CHECK=$5
READY=$ROOT/.omnirtc-ready # records PACKAGES

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
# shellcheck source=scripts/apt-need.sh
. "$(dirname "$0")/apt-need.sh"
apt_need debootstrap >&2
if [ ! -f "$ROOT/.omnirtc-debootstrapped" ]; then # none yet, or one cut short: start over
	if awk -v r="$ROOT" '$2 == r || index($2, r "/") == 1 { found = 1 } END { exit !found }' /proc/self/mounts; then
		echo "$ROOT has something mounted in it: not replacing it" >&2
		exit 1
	fi
	rm -rf "$ROOT"
	echo "debootstrap $SUITE ($ARCH) into $ROOT from $(mirror)" >&2
	if [ "$ARCH" = "$(dpkg --print-architecture)" ]; then
		debootstrap --variant=minbase "$SUITE" "$ROOT" "$(mirror)" >&2
	else
		debootstrap --foreign --arch="$ARCH" --variant=minbase "$SUITE" "$ROOT" "$(mirror)" >&2
		echo "second stage under qemu-user" >&2
		# debootstrap mounts /proc and /sys in the root: a private mount namespace keeps them from outliving it.
		unshare -m --propagation private chroot "$ROOT" /debootstrap/debootstrap --second-stage >&2
	fi
	touch "$ROOT/.omnirtc-debootstrapped"
fi
echo "installing $PACKAGES in $ROOT" >&2
# /proc for the package scripts, in a private mount namespace: it cannot outlive this step.
unshare -m --propagation private sh -euc '
	mount -t proc proc "$1/proc"
	chroot "$1" env DEBIAN_FRONTEND=noninteractive dpkg --configure -a # finishes an install cut short
	chroot "$1" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	chroot "$1" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $2
	chroot "$1" apt-get clean
	chroot "$1" sh -c "$3"' debian-root "$ROOT" "$PACKAGES" "$CHECK" >&2
echo "$PACKAGES" >"$READY"
echo "$SUITE $ARCH root ready in $(($(date +%s) - start)) s" >&2
echo "$ROOT"
