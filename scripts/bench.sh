#!/usr/bin/env bash
# ./build.sh bench: every workload through OmniRTC and through its peer in the
# same run, each in a private network namespace, printed as a Markdown table
# with ratios (ours / theirs) for BENCHMARKS.md. Also kept in build/bench.md.
#   C ABI vs native pion (bench/c, bench/pion)
#   Python vs aiortc (bench/python), Node vs node-datachannel (bench/node)
#   media: RTP through the C ABI vs native pion (bench/c/bench_media.c, bench/pion-media)
#   Chromium and Firefox to OmniRTC (C, Python, Node, Swift) vs to themselves (tests/interop)
# Usage: scripts/bench.sh [c] [media] [python] [node] [interop]   (default: all five)
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/bench.md
mkdir -p build/bin
: >"$out"

# run CMD... runs one workload and prints its "name value" lines.
run() { scripts/netns-run.sh "$@" 2>/dev/null || echo "failed 1"; }

# compare "OURS_CMD" "THEIRS_CMD" WORKLOAD... prints one table row per result
# of each workload, ratio = ours / theirs.
compare() {
	local ours_cmd=$1 theirs_cmd=$2 workload
	for workload in "${@:3}"; do
		# shellcheck disable=SC2086
		paste <(run $ours_cmd $workload) <(run $theirs_cmd $workload) |
			awk -v w="$workload" '{
				r = ($4 + 0 != 0) ? sprintf("%.2fx", $2 / $4) : "-"
				printf "| %s | %s | %s | %s | %s |\n", w, $1, $2, $4, r
			}'
	done
}

table() { # TITLE OURS THEIRS, then rows on stdin
	printf '\n### %s\n\n| workload | result | %s | %s | ratio (ours/theirs) |\n|---|---|---|---|---|\n' "$1" "$2" "$3"
	cat
}

bench_c() {
	local cflags libs
	cflags=$(pkg-config --cflags omnirtc)
	libs=$(pkg-config --libs omnirtc)
	# shellcheck disable=SC2086
	cc -std=c11 -O2 -Wall -Wextra -Werror $cflags -o build/bin/bench-c bench/c/bench.c $libs -lpthread
	go build -trimpath -o build/bin/bench-pion ./bench/pion
	compare build/bin/bench-c build/bin/bench-pion \
		"setup 50" "throughput 256" "rate 500000" "idle 1000" "idle 1000 mux" "idle 10000" "idle 10000 mux" |
		table "C ABI vs native pion ($(go list -m -f '{{.Version}}' github.com/pion/webrtc/v4))" "C ABI" "pion"
	# The same bulk workload with the system's socket buffers, as pion has them.
	BENCH_ENGINE=',"udpBufferSize":0' compare build/bin/bench-c build/bin/bench-pion "throughput 256" |
		sed 's/^| throughput 256 |/| throughput 256, system socket buffers |/' |
		table "C ABI on pion's socket buffers vs native pion" "C ABI" "pion"
}

# Media: RTP packets/s through the C ABI's write and read paths, and CPU per
# forwarded 2.5 Mbit/s SRTP stream (a -> b -> c in one process) at 10 and
# 100 streams, against native pion running the same workloads.
bench_media() {
	local cflags libs
	cflags=$(pkg-config --cflags omnirtc)
	libs=$(pkg-config --libs omnirtc)
	# shellcheck disable=SC2086
	cc -std=c11 -O2 -Wall -Wextra -Werror $cflags -o build/bin/bench-media-c bench/c/bench_media.c $libs -lpthread
	go build -trimpath -o build/bin/bench-media-pion ./bench/pion-media
	compare build/bin/bench-media-c build/bin/bench-media-pion "rtp 200000" "forward 10 5" "forward 100 5" |
		table "Media: C ABI vs native pion ($(go list -m -f '{{.Version}}' github.com/pion/webrtc/v4))" "C ABI" "pion"
}

bench_python() {
	local python=build/venv-python/bin/python
	scripts/python-venv.sh
	PYTHONPATH=$PWD/bindings/python NETNS_LAN=1 compare \
		"$python bench/python/bench.py omnirtc" "$python bench/python/bench.py aiortc" \
		"setup 20" "throughput 32" "rate 20000" "idle 200" |
		table "Python: omnirtc vs aiortc $("$python" -c 'import aiortc; print(aiortc.__version__)')" "omnirtc" "aiortc"
}

bench_node() {
	scripts/build-node-addon.sh
	NETNS_LAN=1 compare "node --expose-gc bench/node/bench.js omnirtc" \
		"node --expose-gc bench/node/bench.js node-datachannel" \
		"setup 20" "throughput 64" "rate 100000" "idle 200" |
		table "Node: omnirtc vs node-datachannel $(node -p 'require("./bindings/node/node_modules/node-datachannel/package.json").version')" \
			"omnirtc" "node-datachannel"
}

# Set-up time between a browser and each library peer, against two pages of
# that browser (tests/interop/bench.js); each pair of rows is one run.
bench_interop() {
	scripts/test-interop.sh --prepare >/dev/null
	local browser peer version
	for browser in chromium firefox; do
		for peer in c python node swift; do
			NETNS_LAN=1 compare "tests/interop/with-route.sh node tests/interop/bench.js $browser $peer" \
				"tests/interop/with-route.sh node tests/interop/bench.js $browser browser" "setup 20" |
				sed "s/^| setup 20 |/| setup 20, $peer |/"
		done | {
			version=$("$([ $browser = firefox ] && echo firefox-esr || echo chromium)" --version 2>/dev/null | grep -Eo '[0-9][0-9.]+[a-z]*' | head -n 1)
			table "$browser $version to OmniRTC vs $browser to $browser" "to OmniRTC" "to $browser"
		}
	done
}

printf '## %s, %s cores, `./build.sh bench`\n' "$(date -u +%Y-%m-%d)" "$(nproc)" | tee -a "$out"
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(c media python node interop)
for suite in "${suites[@]}"; do "bench_$suite" | tee -a "$out"; done
