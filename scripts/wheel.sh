#!/usr/bin/env bash
# Builds the Python wheel with libomnirtc.so (glibc 2.17) under platlib, the
# licences in its dist-info: dist/omnirtc-<version>-py3-none-<WHEEL_PLATFORM of scripts/arch.sh>.whl.
# For windows-x86_64, omnirtc.dll (build.sh's build_windows) instead:
# dist/omnirtc-<version>-py3-none-win_amd64.whl, the same package.
# Usage: scripts/wheel.sh [ARCH|windows-x86_64]   ARCH another than this machine's: the
# library ./build.sh lib-arches built into build/arch/<ARCH> (scripts/arch.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
arch=${1:-$(uname -m)} bundled=libomnirtc.so
if [ "$arch" = windows-x86_64 ]; then
	WHEEL_PLATFORM=win_amd64 lib=build/$arch/bin/omnirtc.dll notices=build/$arch/THIRD_PARTY_NOTICES bundled=omnirtc.dll
else
	# shellcheck source=scripts/arch.sh
	. scripts/arch.sh "$arch"
	if [ "$arch" = "$(uname -m)" ]; then
		lib=${OMNIRTC_LIBRARY:-build/lib/libomnirtc.so} notices=build/THIRD_PARTY_NOTICES
	else
		lib=build/arch/$arch/lib/libomnirtc.so.0 notices=build/arch/$arch/THIRD_PARTY_NOTICES
	fi
fi
export OMNIRTC_WHEEL_PLATFORM=$WHEEL_PLATFORM # read by setup.py
venv=build/venv-wheel
# setuptools 77 for the licence files (PEP 639); auditwheel for the tests.
[ -x "$venv/bin/auditwheel" ] && "$venv/bin/python" -c "import build, wheel, setuptools as s; assert int(s.__version__.split('.')[0]) >= 77" 2>/dev/null || {
	python3 -m venv "$venv"
	"$venv/bin/pip" install -q --disable-pip-version-check -U build wheel 'setuptools>=77' auditwheel==6.8.2
}
src=build/wheel-src
rm -rf "$src" dist/omnirtc-*-"$OMNIRTC_WHEEL_PLATFORM".whl
mkdir -p "$src" dist
cp -r bindings/python/omnirtc bindings/python/pyproject.toml bindings/python/setup.py bindings/python/README.md \
	LICENSE "$notices" "$src/"
cp -L "$lib" "$src/omnirtc/$bundled"
"$venv/bin/python" -m build --wheel --no-isolation --outdir dist "$src" >/dev/null
ls dist/omnirtc-*-"$OMNIRTC_WHEEL_PLATFORM".whl
