#!/usr/bin/env bash
# NAT traversal suite, as root: network namespaces and veth pairs made here
# (names prefixed nat<PID>, removed by a trap), the built-in TURN/STUN server
# in one namespace, peers in others with no route between them.
#
#   relay:  A -- T (TURN server, forwards nothing) -- B   (scripts/nat-lib.sh)
#   nat:    A (10.201.3.2) -- R (NAT, masquerade) -- W (STUN, router) -- B
#
# Usage: scripts/test-nat.sh [FILTER]   (run by ./build.sh test-nat)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/build/bin
filter=${1:-}
passed=0 failed=0

if [ "$(id -u)" != 0 ]; then
	echo "nat: needs root (network namespaces)"
	echo "nat: 0 passed, 1 failed"
	exit 1
fi
need=()
command -v nft >/dev/null || need+=(nftables)
command -v openssl >/dev/null || need+=(openssl)
command -v ip >/dev/null || need+=(iproute2)
if [ ${#need[@]} -gt 0 ]; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null ||
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }
fi

mkdir -p "$BIN"
for src in tests/nat/*.c; do
	# shellcheck disable=SC2046
	cc -std=c11 -Wall -Wextra -Werror -O2 $(pkg-config --cflags omnirtc) -o "$BIN/$(basename "$src" .c)" "$src" \
		$(pkg-config --libs omnirtc) -lpthread || { echo "nat: 0 passed, 1 failed"; exit 1; }
done

# The Node addon, for the server started from Node.
scripts/build-node-addon.sh || { echo "nat: 0 passed, 1 failed"; exit 1; }

WORK=$(mktemp -d)
# shellcheck source=scripts/nat-lib.sh
source scripts/nat-lib.sh
cleanup() {
	local pid
	for pid in $(jobs -p); do kill "$pid" 2>/dev/null; done
	wait 2>/dev/null
	remove_namespaces
	rm -rf "$WORK" 2>/dev/null || { sleep 0.5; rm -rf "$WORK"; }
}
trap cleanup EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=omnirtc-turn-test \
	-addext "subjectAltName=IP:10.201.1.1,IP:10.201.2.1" -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
SECRET=nat-suite-secret

# server_config FILE [EXTRA_JSON]: the TURN server's configuration.
server_config() {
	python3 - "$1" "$WORK/cert.pem" "$WORK/key.pem" "$SECRET" "${2:-{\}}" <<'PY'
import json, sys
path, cert, key, secret, extra = sys.argv[1:]
config = {
    "listeners": [
        {"transport": "udp", "address": "0.0.0.0:3478"},
        {"transport": "tcp", "address": "0.0.0.0:3478"},
        {"transport": "tls", "address": "0.0.0.0:5349",
         "certificate": open(cert).read(), "privateKey": open(key).read()},
    ],
    "realm": "omnirtc.test",
    "relay": {"address": "10.201.1.1", "bindAddress": "0.0.0.0", "minPort": 50000, "maxPort": 50999},
    "users": {"alice": "wonder", "bob": "builder"},
    "sharedSecret": secret,
    "userQuota": 2,
}
config.update(json.loads(extra))
open(path, "w").write(json.dumps(config))
PY
}

# peer_config URL USER PASSWORD [POLICY]: a peer's RTCConfiguration.
peer_config() {
	python3 - "$1" "$2" "$3" "${4:-relay}" "$WORK/cert.pem" <<'PY'
import json, sys
url, user, password, policy, cert = sys.argv[1:]
server = {"urls": url, "username": user, "credential": password}
if url.startswith("turns:"):
    server["omnirtc"] = {"caCertificates": open(cert).read()}
print(json.dumps({"iceServers": [server], "iceTransportPolicy": policy,
                  "omnirtc": {"mdns": "disabled"}}))
PY
}

# start_server KIND NS [EXTRA_JSON]: a TURN server program (c, python, node) in
# namespace NS; waits until it writes its stats. STATS is its stats file.
start_server() {
	local kind=$1 ns=$2 dir
	dir=$(mktemp -d "$WORK/server.XXXX")
	server_config "$dir/config.json" "${3:-}"
	STATS=$dir/stats.json STOP=$dir/stop
	case $kind in
	c) ip netns exec "$P$ns" "$BIN/turn_server" "$dir/config.json" "$STATS" "$STOP" >"$dir/log" 2>&1 & ;;
	python) ip netns exec "$P$ns" env PYTHONPATH="$ROOT/bindings/python" python3 tests/nat/turn_server.py \
		"$dir/config.json" "$STATS" "$STOP" >"$dir/log" 2>&1 & ;;
	node) ip netns exec "$P$ns" node tests/nat/turn_server.js "$dir/config.json" "$STATS" "$STOP" >"$dir/log" 2>&1 & ;;
	esac
	SERVER_PID=$! SERVER_LOG=$dir/log
	for _ in $(seq 300); do [ -s "$STATS" ] && return 0; kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.05; done
	echo "TURN server ($kind) did not start:"; cat "$dir/log"
	return 1
}

stop_server() {
	touch "$STOP"
	wait "$SERVER_PID"
}

# stat KEY: a number from the server's last stats.
stat() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$STATS" "$1"; }

MiB16=$((16 << 20))

# relay_call URL_A URL_B PROTOCOL: 16 MiB relay/relay between A and B through
# the server running in T, each reaching it over PROTOCOL (udp, tcp, tls).
relay_call() {
	local before out
	before=$(stat bytesRelayed)
	DIR=$(mktemp -d "$WORK/call.XXXX")
	out=$(transfer a "$(peer_config "$1" alice wonder)" b "$(peer_config "$2" bob builder)" $MiB16) || return 1
	echo "$out"
	grep -q "received $MiB16 bytes intact" <<<"$out" || return 1
	local offer answer
	offer=$(pair_types "$DIR/offer.stats") && answer=$(pair_types "$DIR/answer.stats") || return 1
	echo "selected pairs: offerer $offer, answerer $answer"
	[ "$offer" = "relay/relay $3" ] && [ "$answer" = "relay/relay $3" ] || return 1
	sleep 0.3
	local relayed=$(($(stat bytesRelayed) - before))
	echo "server relayed $relayed bytes"
	[ "$relayed" -ge $((2 * MiB16)) ]
}

test_relay_udp() { relay_call turn:10.201.1.1:3478 turn:10.201.2.1:3478 udp; }
test_relay_tcp() { relay_call "turn:10.201.1.1:3478?transport=tcp" "turn:10.201.2.1:3478?transport=tcp" tcp; }
test_relay_tls() { relay_call "turns:10.201.1.1:5349?transport=tcp" "turns:10.201.2.1:5349?transport=tcp" tls; }

test_tls_untrusted() { # without its CA the self-signed server is not trusted: no relay
	local config out
	config=$(peer_config "turns:10.201.1.1:5349?transport=tcp" alice wonder |
		python3 -c 'import json,sys; c=json.load(sys.stdin); del c["iceServers"][0]["omnirtc"]; print(json.dumps(c))')
	out=$(gather_relays a "$config" 1) || return 1
	echo "turns: without caCertificates: $out"
	[ "$out" = "relay 0 srflx 0" ]
}

# gather_relays NS CONFIG COUNT: "relay N srflx M" from COUNT peers gathering.
gather_relays() { in_ns "$1" timeout 60 "$BIN/nat_peer" gather "$WORK" "$2" "$3"; }

# expect_gather USER PASSWORD COUNT RELAYS [COUNTER]: COUNT peers in A using
# the UDP listener get RELAYS relay candidates in all, and the server's stats
# COUNTER grows.
expect_gather() {
	local before=0 out
	[ -z "${5:-}" ] || before=$(stat "$5")
	out=$(gather_relays a "$(peer_config turn:10.201.1.1:3478 "$1" "$2")" "$3") || return 1
	echo "$3 peer(s) of $1: $out${5:+; $5 $before -> $(stat "$5")}"
	[ "$out" = "relay $4 srflx 0" ] || return 1
	[ -z "${5:-}" ] || [ "$(stat "$5")" -gt "$before" ]
}

test_wrong_password() { expect_gather alice wrong 1 0 authFailures; }

rest_credential() { # TTL_SECONDS USER: "username password", as coturn's use-auth-secret
	python3 -c 'import base64,hashlib,hmac,sys,time
u="%d:%s" % (int(time.time()) + int(sys.argv[2]), sys.argv[3])
print(u, base64.b64encode(hmac.new(sys.argv[1].encode(), u.encode(), hashlib.sha1).digest()).decode())' \
		"$SECRET" "$1" "$2"
}

test_rest_credentials() {
	local good expired
	read -r -a good <<<"$(rest_credential 600 dave)"
	read -r -a expired <<<"$(rest_credential -60 dave)"
	expect_gather "${good[0]}" "${good[1]}" 1 1 && expect_gather "${expired[0]}" "${expired[1]}" 1 0 authFailures
}

test_user_quota() { expect_gather bob builder 3 2 quotaRejections; } # quota 2

# udp_drops NS: UDP datagrams namespace NS dropped on a full receive buffer.
udp_drops() {
	ip netns exec "$P$1" awk '$1 == "Udp:" && !n++ { for (i = 1; i <= NF; i++) if ($i == "RcvbufErrors") c = i; next }
		$1 == "Udp:" { print $c }' /proc/net/snmp
}

test_flood() {
	# 100,000 bad requests over 5 s (garbage, unauthenticated and wrongly
	# signed Allocates) from B while A and B relay 4 MiB.
	local failures_before drops_before
	failures_before=$(stat authFailures)
	drops_before=$(udp_drops t)
	ip netns exec "${P}b" python3 tests/nat/flood.py 10.201.2.1 3478 100000 >"$WORK/flood.log" 2>&1 &
	local flooder=$! out
	DIR=$(mktemp -d "$WORK/call.XXXX")
	out=$(transfer a "$(peer_config turn:10.201.1.1:3478 alice wonder)" b \
		"$(peer_config turn:10.201.2.1:3478 bob builder)" $((4 << 20)))
	local status=$?
	wait "$flooder" || { cat "$WORK/flood.log"; return 1; }
	cat "$WORK/flood.log"
	echo "$out"
	sleep 0.3
	echo "authFailures: $failures_before -> $(stat authFailures)"
	echo "datagrams the server's namespace dropped on full receive buffers: $(($(udp_drops t) - drops_before))"
	[ $status -eq 0 ] && grep -q "intact" <<<"$out" && [ "$(stat authFailures)" -gt $((failures_before + 1000)) ]
}

server_from() { # KIND: the UDP relay test with the server started from Python or Node
	stop_server
	start_server "$1" t || return 1
	test_relay_udp && released # before the stop: stats stop with the server
	local status=$?
	stop_server || status=1
	grep -q "allocation-created" "$SERVER_LOG" || { echo "no allocation event from the $1 server:"; cat "$SERVER_LOG"; status=1; }
	return $status
}
test_server_python() { server_from python; }
test_server_node() { server_from node; }

# ICE-TCP between namespaces: T accepts on a shared TCP port (passive
# candidates), A connects (active); 16 MiB over host/host TCP.
test_ice_tcp() {
	local out offer answer
	DIR=$(mktemp -d "$WORK/call.XXXX")
	out=$(transfer a '{"omnirtc":{"mdns":"disabled","networkTypes":["tcp4"]}}' \
		t '{"omnirtc":{"mdns":"disabled","networkTypes":["tcp4"],"tcpMuxPort":3479}}' $MiB16) || { echo "$out"; return 1; }
	echo "$out"
	offer=$(pair_types "$DIR/offer.stats") && answer=$(pair_types "$DIR/answer.stats") || return 1
	echo "selected pairs: offerer $offer, answerer $answer"
	# An active candidate is signaled with the discard port 9 (RFC 6544), so
	# the passive end learns the real one as peer-reflexive.
	[ "$offer" = "host/host tcp" ] && [ "$answer" = "host/prflx tcp" ]
}

# A behind a masquerading NAT in R reaches B through the srflx candidate it
# learned from the built-in STUN server in W (the "internet" router). B
# accepts only answers to what it sent (a stateful firewall), so A's checks
# from its host socket, which the NAT maps to another port, are dropped: only
# the srflx path, which B's own checks opened, connects.
test_nat_srflx() {
	add_ns n r w c
	link n 10.201.3.2/24 r 10.201.3.1/24
	link r 10.201.4.2/24 w 10.201.4.1/24
	link w 10.201.5.1/24 c 10.201.5.2/24
	in_ns n ip route add default via 10.201.3.1
	in_ns r ip route add default via 10.201.4.1
	in_ns c ip route add default via 10.201.5.1
	in_ns r sysctl -qw net.ipv4.ip_forward=1
	in_ns w sysctl -qw net.ipv4.ip_forward=1
	in_ns r nft -f - <<NFT || return 1
table ip nat {
	chain postrouting {
		type nat hook postrouting priority srcnat;
		oifname "${P}rw" masquerade
	}
}
# Like a home router: nothing unsolicited reaches R itself from outside (a
# probe for a mapping that does not exist yet must not leave a conntrack entry
# that the mapping then collides with).
table inet firewall {
	chain input {
		type filter hook input priority filter; policy accept;
		iifname "${P}rw" ct state != established,related drop
	}
}
NFT
	in_ns c nft -f - <<NFT || return 1
table inet firewall {
	chain input {
		type filter hook input priority filter; policy drop;
		iifname "lo" accept
		ct state established,related accept
	}
}
NFT
	local saved=("$STATS" "$STOP" "$SERVER_PID" "$SERVER_LOG") status=0 a_config b_config out types
	start_server c w || return 1
	a_config='{"iceServers":[{"urls":"stun:10.201.4.1:3478"}],"omnirtc":{"mdns":"disabled"}}'
	b_config='{"iceServers":[{"urls":"stun:10.201.5.1:3478"}],"omnirtc":{"mdns":"disabled"}}'
	DIR=$(mktemp -d "$WORK/call.XXXX")
	if out=$(transfer n "$a_config" c "$b_config" $MiB16); then
		echo "$out"
		types=$(pair_types "$DIR/answer.stats") || status=1
		echo "B's selected pair: $types; A's: $(pair_types "$DIR/offer.stats")"
		grep -q ' 10.201.4.2 .* typ srflx' "$DIR/offer.sdp" || status=1
		[ "$types" = "host/srflx udp" ] && [ "$(pair_types "$DIR/offer.stats")" = "srflx/host udp" ] || status=1
	else
		echo "$out"
		status=1
	fi
	stop_server
	STATS=${saved[0]} STOP=${saved[1]} SERVER_PID=${saved[2]} SERVER_LOG=${saved[3]}
	return $status
}

# released: every allocation the test's peers made is gone once they have
# closed (each sends a deallocating Refresh); one left would count against
# its user's quota in a later test. Polled: stats are written every 100 ms.
released() {
	local left
	for _ in $(seq 50); do
		left=$(stat allocations)
		[ "$left" -eq 0 ] && return 0
		sleep 0.1
	done
	echo "$left allocation(s) outlived their closed peers; server log:"
	tail -n 20 "$SERVER_LOG"
	return 1
}

run() { # NAME: runs test_NAME, counting the result
	[[ -z "$filter" || "$1" == *"$filter"* ]] || return 0
	local log=$WORK/test.log start=$SECONDS
	# In this shell, not a subshell: a test may replace the running server.
	if "test_$1" >"$log" 2>&1 && released >>"$log" 2>&1; then
		passed=$((passed + 1))
		printf 'ok   nat::%s (%ds)\n' "$1" $((SECONDS - start))
		sed 's/^/     /' "$log"
	else
		failed=$((failed + 1))
		printf 'FAIL nat::%s\n' "$1"
		cat "$log"
		# An allocation left behind would fail every later test's released
		# too: the next test gets a fresh server.
		if [ "$(stat allocations)" != 0 ] && kill -0 "$SERVER_PID" 2>/dev/null; then
			stop_server
			start_server c t || true
		fi
	fi
}

relay_topology
# The C server serves the tests up to server_python, which replaces it.
if start_server c t; then
	for t in relay_udp relay_tcp relay_tls tls_untrusted wrong_password rest_credentials user_quota flood ice_tcp nat_srflx server_python server_node; do
		run "$t"
	done
else
	failed=$((failed + 1))
fi
echo "nat: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
