#!/usr/bin/env bash
# The Node binding's suite, against this source tree and the addon built
# here (the dist suite runs it again against the installed npm packages:
# scripts/node-installed.sh).
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/build-node-addon.sh
exec scripts/node-suite.sh node bindings/node/test/*.test.js "$@"
