#!/usr/bin/env bash
# Makes (once) an emulated Debian bookworm root for ARCH outside the repo, with
# Python (venv, and pip in it) and Node (Debian's nodejs 18), and prints its
# path: the dist-arches suite installs the wheel and the npm packages of ARCH
# there and runs them under qemu-user. qemu-user-static runs the root's
# programs through binfmt_misc, registered here from Debian's own entry with
# its F flag (the interpreter is opened now, so the root needs no copy of it).
# npm is the npm registry's own package, one tarball with its dependencies
# inside, in /opt/npm: Debian's npm is some 450 packages, which take about
# 35 min to install under emulation on a 2-core machine.
# Usage: scripts/emu-root.sh ARCH [ROOT]   (ARCH as uname -m names it;
# default ROOT $OMNIRTC_EMU_ROOT or /var/cache/omnirtc/bookworm-<debian arch>)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/arch.sh
. scripts/arch.sh "$1"
ROOT=${2:-${OMNIRTC_EMU_ROOT:-/var/cache/omnirtc/bookworm-$DEBIAN_ARCH}}
NPM=10.8.2 # the newest npm for Node 18 (engines: ^18.17.0 || >=20.5.0)
# shellcheck source=scripts/apt-need.sh
. scripts/apt-need.sh
apt_need qemu-user-static >&2
binfmt=/proc/sys/fs/binfmt_misc
[ -e "$binfmt/register" ] || mount -t binfmt_misc binfmt_misc "$binfmt"
[ -e "$binfmt/qemu-$QEMU" ] || cat "/usr/lib/binfmt.d/qemu-$QEMU.conf" >"$binfmt/register"
grep -qx enabled "$binfmt/qemu-$QEMU"
scripts/debian-root.sh bookworm "$DEBIAN_ARCH" "$ROOT" "python3 python3-venv nodejs" \
	'uname -m; python3 --version; node --version' >/dev/null
exec 9>"$ROOT.lock"
flock 9 # after debian-root.sh, which takes the same lock
if [ "$(node -p "require('$ROOT/opt/npm/package.json').version" 2>/dev/null)" != "$NPM" ]; then
	echo "installing npm $NPM from the npm registry into $ROOT/opt/npm" >&2
	rm -rf "$ROOT/opt/npm" && mkdir -p "$ROOT/opt/npm"
	tarball=$(cd "$ROOT/opt" && npm pack --silent "npm@$NPM")
	tar -C "$ROOT/opt/npm" --strip-components=1 -xzf "$ROOT/opt/$tarball" && rm "$ROOT/opt/$tarball"
	printf '#!/bin/sh\nexec node /opt/npm/bin/npm-cli.js "$@"\n' >"$ROOT/usr/local/bin/npm"
	chmod +x "$ROOT/usr/local/bin/npm"
	chroot "$ROOT" npm --version >&2
fi
echo "$ROOT"
