#!/usr/bin/env bash
# The Node suite against what dist/ ships: the main npm package and this
# machine's platform package, installed offline from their tarballs into an
# empty project in a temporary directory; bindings/node/test/*.test.js then
# run with OMNIRTC_NODE_PACKAGE naming the installed omnirtc
# (test/package-under-test.js), with no library path and no development
# addon, so the addon and libomnirtc.so.0 are the platform package's. All of
# them, but NOT_INSTALLED's.
# Usage: scripts/node-installed.sh MAIN_TARBALL PLATFORM_TARBALL DIR
set -uo pipefail
cd "$(dirname "$0")/.."

# The test files not run here, each with why.
NOT_INSTALLED=(
	# packs the tarballs from the source tree (scripts/npm-pack.sh) and
	# installs them itself, to check npm's optional-dependency handling
	package.test.js
)

main=$(realpath "$1") platform=$(realpath "$2") app=$3
mkdir -p "$app" && (
	cd "$app" && echo '{"name": "app", "version": "1.0.0", "private": true}' >package.json &&
		npm install --no-audit --no-fund --offline --loglevel=error "$platform" "$main"
) || exit 1
files=()
for file in bindings/node/test/*.test.js; do
	[[ " ${NOT_INSTALLED[*]} " == *" $(basename "$file") "* ]] || files+=("$file")
done
echo "not run against the installed package: ${NOT_INSTALLED[*]}"
env -u LD_LIBRARY_PATH -u OMNIRTC_LIBRARY -u OMNIRTC_NODE_ADDON OMNIRTC_NODE_PACKAGE="$app/node_modules/omnirtc" \
	scripts/node-suite.sh "node (installed)" "${files[@]}"
