#!/usr/bin/env bash
# Builds the Python wheel with libomnirtc.so inside: build/dist/omnirtc-*.whl.
set -euo pipefail
cd "$(dirname "$0")/.."
lib=${OMNIRTC_LIBRARY:-build/lib/libomnirtc.so}
venv=build/venv-wheel
[ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import build, wheel" 2>/dev/null || {
	python3 -m venv "$venv"
	"$venv/bin/pip" install -q --disable-pip-version-check build wheel setuptools
}
src=build/wheel-src
rm -rf "$src" build/dist/omnirtc-*.whl
mkdir -p "$src" build/dist
cp -r bindings/python/omnirtc bindings/python/pyproject.toml bindings/python/setup.py bindings/python/README.md "$src/"
cp -L "$lib" "$src/omnirtc/libomnirtc.so"
"$venv/bin/python" -m build --wheel --no-isolation --outdir build/dist "$src" >/dev/null
ls build/dist/omnirtc-*.whl
