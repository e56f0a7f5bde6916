#!/usr/bin/env bash
# Packs the npm packages into dist/ (manifests: scripts/npm-manifests.js):
#   omnirtc-<version>.tgz                  omnirtc, JavaScript and types
#   omnirtc-<platform>-<version>.tgz       @omnirtc/<platform>: the addon and
#                                          libomnirtc.so (glibc 2.17), or omnirtc.dll
#                                          for win32-x64, an optional dependency of omnirtc
# both with the licences; installing them needs no Go and no compiler. The
# last line printed is the main package.
# Usage: scripts/npm-pack.sh [ARCH|windows-x86_64]   ARCH another than this machine's
# (scripts/arch.sh): only its platform package, from ./build.sh lib-arches;
# windows-x86_64: only @omnirtc/win32-x64, the addon (mingw-w64) and
# omnirtc.dll, from build.sh's build_windows.
set -euo pipefail
cd "$(dirname "$0")/.."
arch=${1:-$(uname -m)}
# pack_platform NODE_ARCH NODE_PLATFORM NOTICES LIBRARY: the platform package of
# another machine, its addon built here, packed into dist/.
pack_platform() {
	scripts/build-node-addon.sh "$arch"
	local stage=build/npm-stage-$arch
	rm -rf "$stage" && mkdir -p "$stage/platform" dist
	cp "bindings/node/build/$arch/omnirtc.node" LICENSE "$3" "$4" "$stage/platform/"
	node scripts/npm-manifests.js "$stage" "$1" "$2"
	(cd "$stage/platform" && npm pack --silent --pack-destination ../../../dist) | tail -n 1 | sed 's|^|dist/|'
}
if [ "$arch" = windows-x86_64 ]; then
	# omnirtc.dll beside the addon: Node loads an addon with LoadLibraryEx's
	# LOAD_WITH_ALTERED_SEARCH_PATH (libuv's uv_dlopen), which finds its imports there first.
	pack_platform x64 win32 "build/$arch/THIRD_PARTY_NOTICES" "build/$arch/bin/omnirtc.dll"
	exit 0
elif [ "$arch" != "$(uname -m)" ]; then
	# shellcheck source=scripts/arch.sh
	. scripts/arch.sh "$arch"
	pack_platform "$NODE_ARCH" linux "build/arch/$arch/THIRD_PARTY_NOTICES" "build/arch/$arch/lib/libomnirtc.so.0"
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
