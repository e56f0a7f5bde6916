#!/usr/bin/env bash
# Prints THIRD_PARTY_NOTICES for a built library: the Go toolchain (runtime and
# standard library) and every module `go version -m` says is compiled into it,
# each with the licence texts from its module directory (the module cache, or
# third_party/ for the patched copies that go.mod replaces).
# Usage: scripts/notices.sh build/lib/libomnirtc.so.0 >THIRD_PARTY_NOTICES
set -euo pipefail
cd "$(dirname "$0")/.."
lib=$1
info=$(go version -m "$lib")
goversion=$(sed -n '1s/^[^:]*: //p' <<<"$info")
mapfile -t modules < <(awk '$1 == "dep" { print $2 "@" $3 }' <<<"$info")

# licences DIR prints every licence file of a module directory.
licences() {
	local file
	for file in "$1"/LICENSE* "$1"/COPYING* "$1"/NOTICE* "$1"/PATENTS* "$1"/LICENSES/*; do
		[ -f "$file" ] || continue
		printf -- '--- %s\n\n' "${file#"$1"/}"
		cat "$file"
		echo
	done
}

echo "THIRD_PARTY_NOTICES for OmniRTC $(scripts/version.sh)"
echo
echo "libomnirtc is OmniRTC's own code (MIT, see LICENSE) compiled together with the"
echo "Go runtime and standard library and these Go modules:"
echo
echo "- Go $goversion (runtime and standard library)"
for m in "${modules[@]}"; do echo "- ${m%@*} ${m#*@}"; done
echo
printf '==== Go %s ====\n\n' "$goversion"
licences "$(go env GOROOT)"
for m in "${modules[@]}"; do
	dir=$(go list -m -f "{{.Dir}}" "${m%@*}")
	printf '==== %s %s ====\n\n' "${m%@*}" "${m#*@}"
	[ "${dir#"$PWD"/}" = "$dir" ] || printf '(patched copy: %s, see third_party/pion/README.md)\n\n' "${dir#"$PWD"/}"
	out=$(licences "$dir")
	[ -n "$out" ] || { echo "notices: no licence file in $dir" >&2; exit 1; }
	echo "$out"
	echo
done
