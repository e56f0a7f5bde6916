#!/usr/bin/env bash
# The long soak (./build.sh soak): connect/exchange/close cycles with 50
# concurrent pairs through the C ABI, media cycles (a VP8 track per pair,
# a fifth as many, 20 concurrent), then through Python and Node; the debug
# counters and RSS must return to their baseline. Each runs in a private
# network namespace. Usage: scripts/soak.sh [C_CYCLES [BINDING_CYCLES]]
# (default 10000 each).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
cycles=${1:-10000}
binding_cycles=${2:-$cycles}
out=build/reliability
mkdir -p "$out"
cc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -g $(pkg-config --cflags omnirtc) -Itests/c/harness \
	-o "$out/soak" tests/reliability/soak.c tests/c/harness/*.c $(pkg-config --libs omnirtc) -lpthread
echo "==> C ABI: $cycles cycles, 50 concurrent pairs"
/usr/bin/time -f 'C soak: %e s wall, %M KiB max RSS' scripts/netns-run.sh "$out/soak" "$cycles" 50
media_cycles=$(((cycles + 4) / 5))
echo "==> C ABI media (a VP8 track per pair): $media_cycles cycles, 20 concurrent pairs"
/usr/bin/time -f 'C media soak: %e s wall, %M KiB max RSS' scripts/netns-run.sh "$out/soak" "$media_cycles" 20 media
venv_python=python3
if scripts/python-venv.sh >/dev/null 2>&1; then venv_python=build/venv-python/bin/python; fi
echo "==> Python: $binding_cycles cycles, 50 concurrent pairs"
PYTHONPATH="$ROOT/bindings/python:$ROOT/bindings/python/tests" \
	scripts/netns-run.sh "$venv_python" tests/reliability/soak.py "$binding_cycles" 50
echo "==> Node: $binding_cycles cycles, 50 concurrent pairs"
scripts/build-node-addon.sh >/dev/null
scripts/netns-run.sh node --expose-gc tests/reliability/soak.js "$binding_cycles" 50
