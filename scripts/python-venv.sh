#!/usr/bin/env bash
# Makes build/venv-python (pytest, aiortc, build, wheel, and the pinned linters
# ruff and mypy) unless it is there, for the Python tests, lint and benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=build/venv-python
linters=(ruff==0.17.5 mypy==2.4.1)
if [ ! -x "$venv/bin/pytest" ] || ! "$venv/bin/python" -c "import aiortc" 2>/dev/null; then
	echo "==> creating $venv (pytest, aiortc, build, ${linters[*]})" >&2
	python3 -m venv "$venv"
	"$venv/bin/pip" install -q --disable-pip-version-check pytest aiortc build wheel "${linters[@]}"
fi
# a venv made before the linters were pinned, or with other versions of them
if [ "$("$venv/bin/ruff" --version 2>/dev/null)" != "ruff ${linters[0]#ruff==}" ] ||
	[ "$("$venv/bin/mypy" --version 2>/dev/null | awk '{print $2}')" != "${linters[1]#mypy==}" ]; then
	"$venv/bin/pip" install -q --disable-pip-version-check "${linters[@]}"
fi
