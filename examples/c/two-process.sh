#!/usr/bin/env bash
# Runs the two-process example: an offerer and an answerer that exchange their
# session descriptions through files, then ping-pong over a data channel.
# Usage: examples/c/two-process.sh PATH/TO/signaling_peer
set -euo pipefail
peer=${1:?usage: two-process.sh PATH/TO/signaling_peer}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$peer" answer "$dir" &
answerer=$!
"$peer" offer "$dir"
wait "$answerer"
