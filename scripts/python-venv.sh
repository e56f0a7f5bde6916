#!/usr/bin/env bash
# Makes build/venv-python (pytest, aiortc, build, wheel) unless it is there,
# for the Python tests and benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=build/venv-python
if [ ! -x "$venv/bin/pytest" ] || ! "$venv/bin/python" -c "import aiortc" 2>/dev/null; then
	echo "==> creating $venv (pytest, aiortc, build)" >&2
	python3 -m venv "$venv"
	"$venv/bin/pip" install -q --disable-pip-version-check pytest aiortc build wheel
fi
