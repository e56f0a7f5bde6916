#!/usr/bin/env bash
# Runs a command in a private network namespace with only loopback up, so no
# packet, mDNS query or STUN request of a test can leave the machine.
# With NETNS_LAN=1 the namespace also gets a veth pair, 10.99.0.1/24 and
# 10.99.0.2/24, for peers that ignore loopback (aiortc, werift, browsers).
# Usage: [NETNS_LAN=1] scripts/netns-run.sh CMD [ARGS...]
set -euo pipefail
exec unshare -n -- bash -c '
	ip link set lo up
	if [ "${NETNS_LAN:-}" = 1 ]; then
		ip link add omni0 type veth peer name omni1
		ip addr add 10.99.0.1/24 dev omni0
		ip addr add 10.99.0.2/24 dev omni1
		ip link set omni0 up
		ip link set omni1 up
	fi
	exec "$@"' netns-run "$@"
