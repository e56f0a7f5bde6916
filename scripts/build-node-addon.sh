#!/usr/bin/env bash
# Builds the Node addon offline: N-API headers come from the node-api-headers
# npm package; the addon finds libomnirtc.so next to itself ($ORIGIN) or on the
# library path; build/constants.inc, the header's constants for its
# `constants` export, is generated from include/omnirtc.h. Linked against glibc 2.17 like the library. Output: bindings/node/build/omnirtc.node,
# or for another architecture (scripts/arch.sh), against the library of
# ./build.sh lib-arches: bindings/node/build/<ARCH>/omnirtc.node.
# For windows-x86_64 (after build.sh's build_windows), by mingw-w64 against
# omnirtc.dll's import library and one made from node-api-headers' node_api.def
# (N-API's functions are exports of node.exe): bindings/node/build/windows-x86_64/omnirtc.node,
# statically linked, so it imports KERNEL32, msvcrt, omnirtc.dll and node.exe only;
# MINGW_CROSS is the tools' prefix (empty for a Windows runner's own gcc and dlltool).
# Usage: scripts/build-node-addon.sh [ARCH|windows-x86_64]
set -euo pipefail
cd "$(dirname "$0")/../bindings/node"
arch=${1:-$(uname -m)} out=build lib=../../build/lib include=../../build/include
[ "$arch" = "$(uname -m)" ] || out=build/$arch lib=../../build/arch/$arch/lib
[ "$arch" != windows-x86_64 ] || lib=../../build/$arch/lib include=../../build/$arch/include
[ -d node_modules/node-api-headers ] || npm install --no-audit --no-fund --loglevel=error >/dev/null
mkdir -p "$out"
node ../../scripts/gen-node-constants.js ../../include/omnirtc.h >build/constants.inc
flags=(-std=c11 -O2 -Wall -Wextra -Werror -shared -I node_modules/node-api-headers/include -I "$include" -I build)
if [ "$arch" = windows-x86_64 ]; then
	mingw=${MINGW_CROSS-x86_64-w64-mingw32-}
	"${mingw}dlltool" -d node_modules/node-api-headers/def/node_api.def -l "$out/node.lib"
	"${mingw}gcc" "${flags[@]}" -static -o "$out/omnirtc.node" src/*.c \
		-L "$lib" -lomnirtc "$out/node.lib"
	exit 0
fi
# shellcheck disable=SC2046 # the compiler command is words: glibc 2.17, like the library
$(../../scripts/zig-cc.sh "$arch") "${flags[@]}" -D_GNU_SOURCE -fPIC \
	-o "$out/omnirtc.node" src/*.c -L "$lib" -lomnirtc -lpthread '-Wl,-rpath,$ORIGIN'
