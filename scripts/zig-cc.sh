#!/usr/bin/env bash
# Prints the C compiler command that links against glibc 2.17 (CentOS 7 and
# every distribution since): zig's from PyPI, pinned, installed on first use
# into build/venv-zig. Used for libomnirtc (build.sh) and the Node addon.
# Usage: scripts/zig-cc.sh [ARCH]   ARCH as uname -m names it (default this
# machine's); scripts/arch.sh has the zig target of each.
set -euo pipefail
cd "$(dirname "$0")/.."
version=0.14.1
venv=$PWD/build/venv-zig
if [ "$("$venv/bin/python" -m ziglang version 2>/dev/null)" != "$version" ]; then
	echo "==> installing ziglang $version into $venv" >&2
	python3 -m venv "$venv"
	"$venv/bin/pip" install -q --disable-pip-version-check "ziglang==$version" >&2
fi
# shellcheck source=scripts/arch.sh
. scripts/arch.sh "${1:-$(uname -m)}"
echo "$venv/bin/python -m ziglang cc -target $ZIG_TARGET"
