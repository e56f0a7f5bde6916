#!/usr/bin/env bash
# Packs the npm tarball with the addon and libomnirtc.so inside:
# dist/omnirtc-<version>.tgz, with the licences. Installing it needs no Go and no compiler.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-node-addon.sh
stage=build/npm-stage
rm -rf "$stage" && mkdir -p "$stage/native" dist
cp -r bindings/node/lib bindings/node/index.d.ts bindings/node/README.md bindings/node/package.json \
	LICENSE build/THIRD_PARTY_NOTICES "$stage/"
cp bindings/node/build/omnirtc.node "$stage/native/"
cp -L build/lib/libomnirtc.so.0 "$stage/native/libomnirtc.so.0" # found through the addon's $ORIGIN rpath
(cd "$stage" && npm pack --silent --pack-destination ../../dist) | tail -n 1 | sed 's|^|dist/|'
