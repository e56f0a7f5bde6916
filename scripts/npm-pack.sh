#!/usr/bin/env bash
# Packs the npm packages into dist/ (manifests: scripts/npm-manifests.js):
#   omnirtc-<version>.tgz                  omnirtc, JavaScript and types
#   omnirtc-<platform>-<version>.tgz       @omnirtc/<platform>: the addon and
#                                          libomnirtc.so (glibc 2.17), an optional
#                                          dependency of omnirtc
# both with the licences; installing them needs no Go and no compiler. The
# last line printed is the main package.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-node-addon.sh
stage=build/npm-stage
rm -rf "$stage" && mkdir -p "$stage/main" "$stage/platform" dist
cp -r bindings/node/lib bindings/node/index.d.ts bindings/node/README.md LICENSE build/THIRD_PARTY_NOTICES "$stage/main/"
cp bindings/node/build/omnirtc.node LICENSE build/THIRD_PARTY_NOTICES "$stage/platform/"
cp -L build/lib/libomnirtc.so.0 "$stage/platform/" # found through the addon's $ORIGIN runpath
node scripts/npm-manifests.js "$stage"
for package in platform main; do
	(cd "$stage/$package" && npm pack --silent --pack-destination ../../../dist) | tail -n 1 | sed 's|^|dist/|'
done
