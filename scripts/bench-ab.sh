#!/usr/bin/env bash
# Interleaved before/after rounds of the data-moving workloads of
# `./build.sh bench c node python`, each tree running its own bench sources
# against its own library (and Node addon): message rate, throughput and
# CPU (user + system of the whole bench process, set-up included) per message
# or per MiB. Prints one "round tree binding workload result value" line per
# result; BENCHMARKS.md keeps the medians and ratios. Both trees need
# `./build.sh lib` and scripts/build-node-addon.sh done.
# Usage: scripts/bench-ab.sh BEFORE_TREE AFTER_TREE [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
before=$(realpath "$1") after=$(realpath "$2") rounds=${3:-6}
python=$PWD/build/venv-python/bin/python
[ -x "$python" ] || python=/work/main/build/venv-python/bin/python
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for tree in "$before" "$after"; do
	# shellcheck disable=SC2046
	cc -std=c11 -O2 -Wall -Wextra $(PKG_CONFIG_PATH=$tree/build/lib/pkgconfig pkg-config --cflags omnirtc) \
		-o "$work/bench-c-$(basename "$tree")" "$tree/bench/c/bench.c" -L "$tree/build/lib" -lomnirtc -lpthread
done
# one TREE NAME UNITS CMD...: runs CMD in a namespace, prints its results and
# its CPU seconds per unit.
one() {
	local tree=$1 name=$2 units=$3 out
	out=$(LD_LIBRARY_PATH=$tree/build/lib OMNIRTC_LIBRARY=$tree/build/lib/libomnirtc.so PYTHONPATH=$tree/bindings/python \
		NETNS_LAN=1 /usr/bin/time -f 'cpu_s %U %S' scripts/netns-run.sh "${@:4}" 2>&1 | grep -E '^[a-z_]+ [0-9.]+' || true)
	echo "$out" | awk -v r="$round" -v t="$(basename "$tree")" -v n="$name" -v u="$units" '
		$1 == "cpu_s" { printf "%s %s %s cpu_per_unit_us %.3f\n", r, t, n, 1e6 * ($2 + $3) / u; next }
		{ printf "%s %s %s %s %s\n", r, t, n, $1, $2 }'
}
for round in $(seq 1 "$rounds"); do
	order=("$before" "$after")
	[ $((round % 2)) = 0 ] && order=("$after" "$before")
	for tree in "${order[@]}"; do
		one "$tree" "c-rate" 300000 "$work/bench-c-$(basename "$tree")" rate 300000
		one "$tree" "c-throughput" 128 "$work/bench-c-$(basename "$tree")" throughput 128
		one "$tree" "node-rate" 100000 node --expose-gc "$tree/bench/node/bench.js" omnirtc rate 100000
		one "$tree" "node-throughput" 64 node --expose-gc "$tree/bench/node/bench.js" omnirtc throughput 64
		one "$tree" "python-rate" 100000 "$python" "$tree/bench/python/bench.py" omnirtc rate 100000
		one "$tree" "python-throughput" 64 "$python" "$tree/bench/python/bench.py" omnirtc throughput 64
	done
done
