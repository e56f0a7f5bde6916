#!/usr/bin/env bash
# Runs a command in a private network namespace with only loopback up, so no
# packet, mDNS query or STUN request of a test can leave the machine.
# Usage: scripts/netns-run.sh CMD [ARGS...]
set -euo pipefail
exec unshare -n -- bash -c 'ip link set lo up && exec "$@"' netns-run "$@"
