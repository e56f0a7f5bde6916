#!/usr/bin/env bash
# Builds the Node addon offline: N-API headers come from the node-api-headers
# npm package; the addon finds libomnirtc.so next to itself ($ORIGIN) or on the
# library path; build/constants.inc, the header's constants for its
# `constants` export, is generated from include/omnirtc.h. Linked against glibc 2.17 like the library. Output: bindings/node/build/omnirtc.node,
# or for another architecture (scripts/arch.sh), against the library of
# ./build.sh lib-arches: bindings/node/build/<ARCH>/omnirtc.node.
# Usage: scripts/build-node-addon.sh [ARCH]
set -euo pipefail
cd "$(dirname "$0")/../bindings/node"
arch=${1:-$(uname -m)} out=build lib=../../build/lib
[ "$arch" = "$(uname -m)" ] || out=build/$arch lib=../../build/arch/$arch/lib
[ -d node_modules/node-api-headers ] || npm install --no-audit --no-fund --loglevel=error >/dev/null
mkdir -p "$out"
node ../../scripts/gen-node-constants.js ../../include/omnirtc.h >build/constants.inc
# shellcheck disable=SC2046 # the compiler command is words: glibc 2.17, like the library
$(../../scripts/zig-cc.sh "$arch") -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -shared -fPIC \
	-I node_modules/node-api-headers/include -I ../../build/include -I build \
	-o "$out/omnirtc.node" src/*.c -L "$lib" -lomnirtc -lpthread '-Wl,-rpath,$ORIGIN'
