#!/usr/bin/env bash
# The Python binding's suite: a venv with pytest and aiortc, then pytest in a
# private network namespace with a veth pair (aiortc ignores loopback).
set -uo pipefail
cd "$(dirname "$0")/.."
venv=build/venv-python
scripts/python-venv.sh || exit 1
# The wheel test runs offline inside the namespace: its build venv is made here,
# and pytest's wheels fetched for the fresh venv it installs the wheel into.
scripts/wheel.sh >/dev/null || exit 1
scripts/pytest-wheels.sh || exit 1
# The fault relay of tests/reliability, for the loss tests (tests/relay.py).
mkdir -p build/relay && cc -shared -fPIC -O2 -pthread -o build/relay/librelay.so tests/reliability/relay.c || exit 1
export OMNIRTC_TEST_RELAY=$PWD/build/relay/librelay.so
export PYTHONPATH=$PWD/bindings/python:$PWD/bindings/python/tests
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
NETNS_LAN=1 scripts/netns-run.sh "$venv/bin/python" -m pytest -q -p no:cacheprovider \
	bindings/python/tests examples/python "$@" | tee "$log" || status=$?
summary=$(tail -n 1 "$log")
passed=$(grep -Eo '[0-9]+ passed' <<<"$summary" | grep -Eo '[0-9]+' || true)
failed=$(grep -Eo '[0-9]+ (failed|errors?)' <<<"$summary" | awk '{n += $1} END {print n + 0}')
echo "python: ${passed:-0} passed, ${failed:-0} failed"
[ "$status" -eq 0 ] && [ "${passed:-0}" -gt 0 ]
