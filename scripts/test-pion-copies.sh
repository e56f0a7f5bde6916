#!/usr/bin/env bash
# Checks that each patched pion copy in third_party/pion is exactly its pinned
# release plus patches/<copy>.diff, so the copy and its diff cannot drift apart.
# The release is the version go.mod requires for the module it replaces (and
# third_party/pion/README.md's table must name the same); the module cache
# holds it once `go mod download` has run, after which this runs offline.
set -uo pipefail
cd "$(dirname "$0")/.."
passed=0 failed=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The files a copy keeps from its release (third_party/pion/README.md): the
# non-test Go and assembly files outside examples/ and e2e/, go.mod, go.sum and licenses.
kept_files() {
	find . -type f \( \( -name '*.go' -o -name '*.s' \) ! -name '*_test.go' ! -path './examples/*' ! -path './e2e/*' \
		-o -name go.mod -o -name go.sum -o -name 'LICENSE*' -o -path './LICENSES/*' \) -print0
}

# check COPY MODULE VERSION prints why the copy differs and fails, or passes.
check() {
	local copy=$1 module=$2 version=$3 dir expected=$work/$1
	if ! grep -q "| \`$copy\` | $module $version |" third_party/pion/README.md; then
		echo "third_party/pion/README.md does not say $copy is $module $version"
		return 1
	fi
	dir=$(go mod download -json "$module@$version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
	[ -d "$dir" ] || { echo "no source for $module@$version"; return 1; }
	mkdir -p "$expected"
	(cd "$dir" && kept_files | xargs -0 cp --parents -t "$expected") || return 1
	chmod -R u+w "$expected"
	patch -s -p1 -d "$expected" <"third_party/pion/patches/$copy.diff" || {
		echo "patches/$copy.diff does not apply to $module $version"
		return 1
	}
	find "$expected" -name '*.orig' -delete
	diff -rq "$expected" "third_party/pion/$copy" |
		sed -e "s|$expected|release+diff|g" -e "s|^Only in third_party/pion/|extra in copy: |" \
			-e "s|^Only in release+diff|missing from copy: $copy|" -e 's|: \([^ ]*\)$|/\1|' \
			-e "s|^Files release+diff/\(.*\) and .* differ$|differs from release + diff: $copy/\1|"
	[ "${PIPESTATUS[0]}" -eq 0 ]
}

# module => ./third_party/pion/<copy> in go.mod; its version from go.mod's require.
while read -r module copy version; do
	if out=$(check "$copy" "$module" "$version" 2>&1); then
		passed=$((passed + 1))
		echo "ok   $copy ($module $version + patches/$copy.diff)"
	else
		failed=$((failed + 1))
		printf 'FAIL %s\n%s\n' "$copy" "$out"
	fi
done < <(go mod edit -json | python3 -c '
import json, sys
mod = json.load(sys.stdin)
required = {r["Path"]: r["Version"] for r in mod["Require"]}
for r in mod.get("Replace") or []:
    new = r["New"]["Path"]
    if new.startswith("./third_party/pion/"):
        print(r["Old"]["Path"], new.rsplit("/", 1)[1], required[r["Old"]["Path"]])
')
echo "pion-copies: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
