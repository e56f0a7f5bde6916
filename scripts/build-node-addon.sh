#!/usr/bin/env bash
# Builds the Node addon offline: N-API headers come from the node-api-headers
# npm package; the addon finds libomnirtc.so next to itself ($ORIGIN) or on the
# library path. Linked against glibc 2.17 like the library. Output: bindings/node/build/omnirtc.node
set -euo pipefail
cd "$(dirname "$0")/../bindings/node"
[ -d node_modules/node-api-headers ] || npm install --no-audit --no-fund --loglevel=error >/dev/null
mkdir -p build
# shellcheck disable=SC2046 # the compiler command is words: glibc 2.17, like the library
$(../../scripts/zig-cc.sh) -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -shared -fPIC \
	-I node_modules/node-api-headers/include -I ../../build/include \
	-o build/omnirtc.node src/*.c -L ../../build/lib -lomnirtc -lpthread '-Wl,-rpath,$ORIGIN'
