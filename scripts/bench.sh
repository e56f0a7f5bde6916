#!/usr/bin/env bash
# ./build.sh bench: every workload through OmniRTC and through its peer in the
# same run, each in a private network namespace, printed as a Markdown table
# with ratios (ours / theirs) for BENCHMARKS.md. Also kept in build/bench.md.
#   C ABI vs native pion (bench/c, bench/pion)
#   Python vs aiortc (bench/python), Node vs node-datachannel (bench/node)
#   media: RTP through the C ABI vs native pion (bench/c/bench_media.c, bench/pion-media)
#   Chromium and Firefox to OmniRTC (C, Python, Node, Swift) vs to themselves (tests/interop)
#   the built-in TURN server vs coturn (bench_nat, as root)
#   latency: one-way delivery latency of N pairs in one process, C ABI vs
#   native pion (data channel, and with an RTP stream) and Node vs
#   node-datachannel (data channel: its polyfill has no media)
# Usage: scripts/bench.sh [c] [media] [python] [node] [interop] [nat] [latency] [idle]
#   (default: all but idle, which c covers at 1,000 and 10,000 peers)
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/bench.md
mkdir -p build/bin
: >"$out"

# run CMD... runs one workload and prints its "name value" lines.
run() { scripts/netns-run.sh "$@" 2>/dev/null || echo "failed 1"; }

# compare "OURS_CMD" "THEIRS_CMD" WORKLOAD... prints one table row per result
# of each workload, ratio = ours / theirs. The two run at once, so load from
# elsewhere hits both alike; with BENCH_SEQUENTIAL=1 one after the other,
# for workloads that a twin on the same 2 cores would disturb (latency).
compare() {
	local ours_cmd=$1 theirs_cmd=$2 workload ours theirs
	for workload in "${@:3}"; do
		# shellcheck disable=SC2086
		if [ -n "${BENCH_SEQUENTIAL:-}" ]; then
			ours=$(run $ours_cmd $workload)
			theirs=$(run $theirs_cmd $workload)
			paste <(echo "$ours") <(echo "$theirs")
		else
			paste <(run $ours_cmd $workload) <(run $theirs_cmd $workload)
		fi |
			awk -v w="$workload" '{
				r = ($4 + 0 != 0) ? sprintf("%.2fx", $2 / $4) : "-"
				printf "| %s | %s | %s | %s | %s |\n", w, $1, $2, $4, r
			}'
	done
}

# build_upstream OUT PKG builds a native pion rival on pion as released:
# go.mod without its replace of the patched copies in third_party/pion.
build_upstream() {
	sed '/^replace (/,/^)/d' go.mod >build/upstream.mod
	cp go.sum build/upstream.sum
	go build -modfile=build/upstream.mod -mod=mod -trimpath -o "$1" "$2"
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
	build_upstream build/bin/bench-pion ./bench/pion
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
	build_upstream build/bin/bench-media-pion ./bench/pion-media
	compare build/bin/bench-media-c build/bin/bench-media-pion "rtp 200000" "forward 10 5" "forward 100 5" |
		table "Media: C ABI vs native pion ($(go list -m -f '{{.Version}}' github.com/pion/webrtc/v4))" "C ABI" "pion"
	# The selective forwarder alone (core/forward): CPU per packet and
	# subscriber, layer set by the application or chosen by the policy.
	echo "### Selective forwarder: ns per packet per subscriber (core/forward BenchmarkForwardPush)"
	go test -run '^$' -bench ForwardPush -count 3 ./core/forward |
		awk 'BEGIN { print "| benchmark | ns/packet/subscriber |"; print "|---|---|" }
			/ns\/packet\/subscriber/ { print "| " $1 " | " $5 " |" }'
}

bench_python() {
	local python=build/venv-python/bin/python
	scripts/python-venv.sh
	PYTHONPATH=$PWD/bindings/python NETNS_LAN=1 compare \
		"$python bench/python/bench.py omnirtc" "$python bench/python/bench.py aiortc" \
		"setup 20" "throughput 32" "rate 20000" "idle 200" "transcode 10" |
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

# bench_nat: the built-in TURN server vs coturn (Debian package) in the same
# namespaces (scripts/nat-lib.sh), in 3 alternating rounds (medians): 64 MiB
# between two relay-only peers, and allocations per second from 16 concurrent
# pion/turn clients (allocate + release, 1,000 a round). Needs root.
bench_nat() {
	[ "$(id -u)" = 0 ] || { echo "bench_nat: needs root (network namespaces)" >&2; return 0; }
	command -v turnserver >/dev/null ||
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends coturn >/dev/null
	local src
	for src in nat_peer turn_server; do
		# shellcheck disable=SC2046
		cc -std=c11 -O2 -Wall -Wextra -Werror $(pkg-config --cflags omnirtc) -o "build/bin/$src" "tests/nat/$src.c" \
			$(pkg-config --libs omnirtc) -lpthread
	done
	go build -trimpath -o build/bin/bench-turn ./bench/turn
	(
		BIN=$PWD/build/bin
		WORK=$(mktemp -d)
		# shellcheck source=scripts/nat-lib.sh
		source scripts/nat-lib.sh
		trap 'for p in $(jobs -p); do kill "$p" 2>/dev/null; done; wait; remove_namespaces; rm -rf "$WORK"' EXIT
		relay_topology
		local peer_a peer_b
		peer_a='{"iceServers":[{"urls":"turn:10.201.1.1:3478","username":"alice","credential":"wonder"}],"iceTransportPolicy":"relay","omnirtc":{"mdns":"disabled"}}'
		peer_b=${peer_a/10.201.1.1/10.201.2.1}
		peer_b=${peer_b/alice/bob}
		peer_b=${peer_b/wonder/builder}
		cat >"$WORK/omnirtc.json" <<JSON
{"listeners":[{"transport":"udp","address":"0.0.0.0:3478"}],"realm":"omnirtc.test",
 "relay":{"address":"10.201.1.1","bindAddress":"0.0.0.0","minPort":50000,"maxPort":59999},
 "users":{"alice":"wonder","bob":"builder"}}
JSON
		measure() { # one 64 MiB call, then bench-turn's lines
			DIR=$(mktemp -d "$WORK/call.XXXX")
			transfer a "$peer_a" b "$peer_b" $((64 << 20)) | sed -n 's/.*(\([0-9.]*\) MiB\/s).*/relayed_mib_s \1/p'
			in_ns a "$BIN/bench-turn" 10.201.1.1:3478 alice wonder 1000 16
		}
		# Rounds alternate the servers, so load from elsewhere hits both alike.
		local round coturn
		for round in 1 2 3; do
			rm -f "$WORK/stop"
			ip netns exec "${P}t" "$BIN/turn_server" "$WORK/omnirtc.json" "$WORK/stats.json" "$WORK/stop" >/dev/null &
			sleep 1
			measure >"$WORK/ours.$round"
			touch "$WORK/stop"
			wait
			ip netns exec "${P}t" turnserver -n --listening-ip=10.201.1.1 --listening-ip=10.201.2.1 --listening-port=3478 \
				--relay-ip=10.201.1.1 --min-port=50000 --max-port=59999 --lt-cred-mech --realm=omnirtc.test \
				--user=alice:wonder --user=bob:builder --no-tls --no-dtls --no-cli --no-tcp-relay \
				--pidfile="$WORK/turnserver.pid" --log-file=stdout --simple-log >"$WORK/turnserver.log" 2>&1 &
			coturn=$!
			sleep 1
			measure >"$WORK/coturn.$round"
			kill "$coturn"
			wait
		done
		median() { # FILES...: each metric's median over the rounds
			python3 -c 'import statistics, sys
values = {}
for path in sys.argv[1:]:
    for line in open(path):
        name, value = line.split()[:2]
        values.setdefault(name, []).append(float(value))
for name, vs in values.items():
    print(name, f"{statistics.median(vs):g}")' "$@"
		}
		median "$WORK"/ours.* >"$WORK/ours"
		median "$WORK"/coturn.* >"$WORK/coturn"
		paste "$WORK/ours" "$WORK/coturn" | awk '{
			r = ($4 + 0 != 0) ? sprintf("%.2fx", $2 / $4) : "-"
			printf "| relay, UDP | %s | %s | %s | %s |\n", $1, $2, $4, r
		}' | table "TURN: built-in server vs coturn $(dpkg-query -W -f '${Version}' coturn 2>/dev/null)" "omnirtc" "coturn"
	)
}

# bench_latency: bench/c/bench_latency.c, bench/pion/latency.go and
# bench/node/latency.js at each N of BENCH_LATENCY_PAIRS (default 100 1000
# 5000), every stack in the same run; BENCH_SECONDS (default 20) measured
# after a 3 s warm-up; BENCH_GC="PERCENT,LIMIT" sets the Go collector of the
# C ABI (omnirtc_set_gc) and of native pion alike. One UDP socket per peer:
# 5,000 pairs are 10,000 sockets of the 20,000 files a process may open here.
bench_latency() {
	local cflags libs n
	cflags=$(pkg-config --cflags omnirtc)
	libs=$(pkg-config --libs omnirtc)
	# shellcheck disable=SC2086
	cc -std=c11 -O2 -Wall -Wextra -Werror $cflags -o build/bin/bench-latency-c bench/c/bench_latency.c $libs -lpthread
	build_upstream build/bin/bench-pion ./bench/pion
	scripts/build-node-addon.sh
	ulimit -n "$(ulimit -Hn)"
	export BENCH_SEQUENTIAL=1
	for n in ${BENCH_LATENCY_PAIRS:-100 1000 5000}; do
		compare build/bin/bench-latency-c "build/bin/bench-pion latency" "$n" "$n rtp"
	done | table "Latency: C ABI vs native pion ($(go list -m -f '{{.Version}}' github.com/pion/webrtc/v4))" "C ABI" "pion"
	for n in ${BENCH_LATENCY_PAIRS:-100 1000 5000}; do
		NETNS_LAN=1 compare "node bench/node/bench.js omnirtc latency" \
			"node bench/node/bench.js node-datachannel latency" "$n"
	done | table "Latency: Node omnirtc vs node-datachannel $(node -p 'require("./bindings/node/node_modules/node-datachannel/package.json").version')" \
		"omnirtc" "node-datachannel"
}

# bench_idle: the idle workload alone, C ABI vs native pion, at each N of
# BENCH_IDLE_PEERS (default 200 2000), with and without the UDP mux: RSS,
# goroutines, live heap and stacks per connected idle peer (issue 24). One
# after the other, so the two processes' memory does not compete.
bench_idle() {
	local cflags libs n
	cflags=$(pkg-config --cflags omnirtc)
	libs=$(pkg-config --libs omnirtc)
	# shellcheck disable=SC2086
	cc -std=c11 -O2 -Wall -Wextra -Werror $cflags -o build/bin/bench-c bench/c/bench.c $libs -lpthread
	build_upstream build/bin/bench-pion ./bench/pion
	for n in ${BENCH_IDLE_PEERS:-200 2000}; do
		BENCH_SEQUENTIAL=1 compare build/bin/bench-c build/bin/bench-pion "idle $n" "idle $n mux"
	done | table "Idle peers: C ABI vs native pion ($(go list -m -f '{{.Version}}' github.com/pion/webrtc/v4))" "C ABI" "pion"
}

printf '## %s, %s cores, `./build.sh bench`\n' "$(date -u +%Y-%m-%d)" "$(nproc)" | tee -a "$out"
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(c media python node interop nat latency)
for suite in "${suites[@]}"; do "bench_$suite" | tee -a "$out"; done
