#!/usr/bin/env bash
# Makes build/venv-python (pytest, aiortc, PyAV and numpy for the media extra,
# aiohttp for the server example,
# build, wheel, the pinned linters
# ruff and mypy, pycparser for scripts/gen-python-abi.py, and pdoc for
# scripts/docs.sh) unless it is there, for the Python tests, lint, the ABI
# generator, the reference and benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=build/venv-python
pinned=(ruff==0.17.5 mypy==2.4.1 pycparser==3.12 pdoc==16.0.0)
if [ ! -x "$venv/bin/pytest" ] || ! "$venv/bin/python" -c "import aiortc, av, numpy, aiohttp" 2>/dev/null; then
	echo "==> creating $venv (pytest, aiortc, av, numpy, aiohttp, build, ${pinned[*]})" >&2
	python3 -m venv "$venv"
	"$venv/bin/pip" install -q --disable-pip-version-check pytest aiortc av numpy aiohttp build wheel "${pinned[@]}"
fi
# a venv made before these were pinned, or with other versions of them
installed=$("$venv/bin/pip" freeze --disable-pip-version-check 2>/dev/null)
for pin in "${pinned[@]}"; do
	grep -qixF "$pin" <<<"$installed" || { "$venv/bin/pip" install -q --disable-pip-version-check "${pinned[@]}"; break; }
done
