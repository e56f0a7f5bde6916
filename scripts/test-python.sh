#!/usr/bin/env bash
# The Python binding's suite: a venv with pytest and aiortc, then pytest in a
# private network namespace with a veth pair (aiortc ignores loopback).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=build/venv-python
if [ ! -x "$venv/bin/pytest" ] || ! "$venv/bin/python" -c "import aiortc" 2>/dev/null; then
	echo "==> creating $venv (pytest, aiortc, build)"
	python3 -m venv "$venv"
	"$venv/bin/pip" install -q --disable-pip-version-check pytest aiortc build wheel
fi
export PYTHONPATH=$PWD/bindings/python:$PWD/bindings/python/tests
NETNS_LAN=1 exec scripts/netns-run.sh "$venv/bin/python" -m pytest -q -p no:cacheprovider \
	bindings/python/tests examples/python "$@"
