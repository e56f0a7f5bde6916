#!/usr/bin/env bash
# Packs the npm packages into dist/ (manifests: scripts/npm-manifests.js):
#   omnirtc-<version>.tgz                  omnirtc, JavaScript and types
#   omnirtc-<platform>-<version>.tgz       @omnirtc/<platform>: the addon and
#                                          libomnirtc.so (glibc 2.17), an optional
#                                          dependency of omnirtc
# both with the licences; installing them needs no Go and no compiler. The
# last line printed is the main package.
# Usage: scripts/npm-pack.sh [ARCH]   ARCH another than this machine's
# (scripts/arch.sh): only its platform package, from ./build.sh lib-arches.
set -euo pipefail
cd "$(dirname "$0")/.."
arch=${1:-$(uname -m)}
if [ "$arch" != "$(uname -m)" ]; then
	# shellcheck source=scripts/arch.sh
	. scripts/arch.sh "$arch"
	scripts/build-node-addon.sh "$arch"
	stage=build/npm-stage-$arch
	rm -rf "$stage" && mkdir -p "$stage/platform" dist
	cp "bindings/node/build/$arch/omnirtc.node" LICENSE "build/arch/$arch/THIRD_PARTY_NOTICES" "build/arch/$arch/lib/libomnirtc.so.0" "$stage/platform/"
	node scripts/npm-manifests.js "$stage" "$NODE_ARCH"
	(cd "$stage/platform" && npm pack --silent --pack-destination ../../../dist) | tail -n 1 | sed 's|^|dist/|'
	exit 0
fi
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
