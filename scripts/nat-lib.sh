# Shared by scripts/test-nat.sh and bench_nat in scripts/bench.sh (sourced):
# network namespaces and veth pairs named with the prefix nat<PID>, the relay
# topology, and a two-process call between nat_peer programs.
#
#   relay:  A (10.201.1.2) -- T (10.201.1.1 | 10.201.2.1) -- B (10.201.2.2)
#           T runs the TURN server and forwards nothing; A and B only reach
#           each other through relayed candidates.
#
# Needs root, BIN (where nat_peer is) and WORK (a scratch directory).
P=nat$$
NAMESPACES=()

# remove_namespaces: for the caller's EXIT trap.
remove_namespaces() {
	local ns
	for ns in "${NAMESPACES[@]}"; do ip netns del "$ns" 2>/dev/null; done
	NAMESPACES=()
}

# in_ns NS CMD...: CMD in namespace NS. Background processes are started with
# `ip netns exec` itself instead, so $! is the process and a kill reaches it.
in_ns() { local ns=$1; shift; ip netns exec "$P$ns" "$@"; }

add_ns() {
	local ns
	for ns in "$@"; do
		ip netns add "$P$ns"
		NAMESPACES+=("$P$ns")
		in_ns "$ns" ip link set lo up
	done
}

# link NS1 ADDR1 NS2 ADDR2: a veth pair between two namespaces.
link() {
	ip link add "$P$1$3" netns "$P$1" type veth peer name "$P$3$1" netns "$P$3"
	in_ns "$1" ip addr add "$2" dev "$P$1$3"
	in_ns "$3" ip addr add "$4" dev "$P$3$1"
	in_ns "$1" ip link set "$P$1$3" up
	in_ns "$3" ip link set "$P$3$1" up
}

# The relay topology, made once for the relay tests.
relay_topology() {
	add_ns t a b
	link t 10.201.1.1/24 a 10.201.1.2/24
	link t 10.201.2.1/24 b 10.201.2.2/24
	in_ns t sysctl -qw net.ipv4.ip_forward=0
}

# pair_types FILE: "local/remote protocol": candidate types of the selected
# (nominated, succeeded) candidate pair in a getStats JSON, and the local
# candidate's transport (to its TURN server for a relay candidate).
pair_types() {
	python3 - "$1" <<'PY'
import json, sys
stats = json.load(open(sys.argv[1]))
pairs = [s for s in stats.values() if s.get("type") == "candidate-pair" and s.get("nominated")
         and s.get("state") == "succeeded"]
if len(pairs) != 1:
    sys.exit(f"{len(pairs)} selected candidate pairs")
pair = pairs[0]
local, remote = stats[pair["localCandidateId"]], stats[pair["remoteCandidateId"]]
# how the local end reaches the other (its TURN server, for a relay)
print(local["candidateType"] + "/" + remote["candidateType"], local.get("relayProtocol") or local.get("protocol"))
PY
}

# transfer NS_A CONFIG_A NS_B CONFIG_B BYTES: the two peers exchange BYTES;
# prints the answerer's report. A new DIR (made here, so callers capturing the
# output in a subshell still see it) holds both stats files afterwards.
transfer() {
	ip netns exec "$P$3" timeout 120 "$BIN/nat_peer" answer "$DIR" "$4" "$5" >"$DIR/answer.log" 2>&1 &
	local answerer=$!
	if ! in_ns "$1" timeout 120 "$BIN/nat_peer" offer "$DIR" "$2" "$5" >"$DIR/offer.log" 2>&1; then
		wait "$answerer"
		cat "$DIR/offer.log" "$DIR/answer.log"
		return 1
	fi
	wait "$answerer" || { cat "$DIR/answer.log"; return 1; }
	cat "$DIR/answer.log"
}

