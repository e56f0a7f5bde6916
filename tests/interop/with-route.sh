#!/usr/bin/env bash
# Runs CMD inside a namespace made by NETNS_LAN=1 scripts/netns-run.sh after
# giving its veth a default route: Chromium gathers no candidate without one.
set -euo pipefail
ip route add default via 10.99.0.2 dev omni0
exec "$@"
