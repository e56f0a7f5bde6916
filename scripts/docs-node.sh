#!/usr/bin/env bash
# The Node binding's reference, by TypeDoc (pinned in bindings/node's
# devDependencies) from a declaration file and its JSDoc (default
# bindings/node/index.d.ts), into OUT (default build/docs/node). TypeDoc
# type-checks the declarations; any warning (a {@link} to nothing, an
# unresolvable type, a name without documentation: --validation.notDocumented,
# which also covers the properties of an inline object type) fails it. The
# lint suite's dts-docs check (scripts/check-dts-docs.js) also fails on an
# exported name or member without a comment.
#   scripts/docs-node.sh [OUT [DTS]]   (DTS with the tsconfig.json beside it)
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
out=$(realpath -m "${1:-build/docs/node}")
dts=$(realpath "${2:-bindings/node/index.d.ts}")
cd bindings/node || exit 1
[ -x node_modules/.bin/typedoc ] || npm install --no-audit --no-fund --loglevel=error >&2 || exit 1
rm -rf "$out"
node_modules/.bin/typedoc --tsconfig "$(dirname "$dts")/tsconfig.json" --entryPoints "$dts" --out "$out" \
	--name omnirtc --readme README.md --treatWarningsAsErrors --validation.notDocumented true --logLevel Warn
