#!/usr/bin/env bash
# Runs Node test files with node:test in a private network namespace with a
# veth pair (node-datachannel and werift ignore loopback), after installing
# the binding's dev dependencies (offline-safe once cached), and prints
# "NAME: N passed, M failed". A failed test leaves peers open, which keep
# Node alive by design, so the runner forces exit. The package the files
# test is the environment's (bindings/node/test/package-under-test.js).
# Usage: scripts/node-suite.sh NAME FILE... [node --test options]
set -uo pipefail
cd "$(dirname "$0")/.."
for m in werift node-datachannel typescript @types/node; do # dev dependencies, once
	[ -d bindings/node/node_modules/$m ] || { (cd bindings/node && npm install --no-audit --no-fund --loglevel=error); break; }
done
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
NETNS_LAN=1 scripts/netns-run.sh node --test --test-reporter=spec --test-concurrency=1 --test-timeout=120000 --test-force-exit \
	"${@:2}" | tee "$log" || status=$?
passed=$(sed -n 's/^ℹ pass \([0-9]*\)$/\1/p' "$log")
failed=$(sed -n 's/^ℹ fail \([0-9]*\)$/\1/p' "$log")
echo "$1: ${passed:-0} passed, ${failed:-0} failed"
[ "$status" -eq 0 ] && [ "${passed:-0}" -gt 0 ]
