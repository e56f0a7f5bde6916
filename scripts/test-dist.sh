#!/usr/bin/env bash
# What `./build.sh dist` ships, checked as a user gets it: the library's glibc
# floor and exports, THIRD_PARTY_NOTICES against the modules compiled in and
# inside every artefact, and the C archive unpacked into a temporary prefix
# and used through pkg-config and CMake. (The wheel and the npm packages are
# installed and tested by the Python and Node suites.)
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(./build.sh dist 2>&1) || { echo "$out"; echo "dist: 0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=scripts/checks.sh
. scripts/checks.sh

version=$(scripts/version.sh)
archive=dist/omnirtc-$version-linux-$(uname -m).tar.gz
wheel=$(ls dist/omnirtc-"$version"-py3-none-manylinux_2_17_"$(uname -m)".whl)
tarballs=(dist/omnirtc-"$version".tgz dist/omnirtc-linux-*-"$version".tgz)
tar -C "$tmp" -xzf "$archive"
prefix=$tmp/omnirtc-$version-linux-$(uname -m)

# glibc_at_most VERSION FILE: no symbol of FILE needs a newer glibc.
glibc_at_most() {
	local newest
	newest=$(objdump -T "$2" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1)
	echo "$2 needs glibc $newest"
	[ -n "$newest" ] && [ "$(printf '%s\n%s\n' "$newest" "$1" | sort -V | tail -n 1)" = "$1" ]
}
check "the library needs glibc 2.17 at most" glibc_at_most 2.17 "$prefix/lib/libomnirtc.so.0"
check "the Node addon needs glibc 2.17 at most" glibc_at_most 2.17 bindings/node/build/omnirtc.node

exports_only_the_api() {
	readelf -d "$prefix/lib/libomnirtc.so.0" | grep 'SONAME.*\[libomnirtc\.so\.0\]' || { echo "no SONAME libomnirtc.so.0"; return 1; }
	local others
	others=$(objdump -T "$prefix/lib/libomnirtc.so.0" | awk '$2 == "g" && $4 != "*UND*" && $4 != "*ABS*" { print $NF }' | grep -v '^omnirtc_')
	[ -z "$others" ] || { echo "exported besides omnirtc_*: $others"; return 1; }
	objdump -T "$prefix/lib/libomnirtc.so.0" | grep 'OMNIRTC_0 *omnirtc_peer_create$'
}
check "the library exports only omnirtc_* under OMNIRTC_0, SONAME libomnirtc.so.0" exports_only_the_api

# The modules the Go toolchain compiles into ./capi, independently of the
# `go version -m` the notices are made from.
notices_list_the_modules() {
	local want have
	want=$(go list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}} {{.Version}}{{end}}{{end}}' ./capi | sort -u)
	want=$(printf '%s\n%s' "Go $(go env GOVERSION)" "$want")
	have=$(sed -n 's/^- \([^ ]* [^ ]*\).*/\1/p' "$prefix/THIRD_PARTY_NOTICES")
	diff <(echo "$want") <(echo "$have") || return 1
	local module count
	while read -r module _; do # each has a licence text
		count=$(awk -v m="$module" '$1 == "====" && $2 == m { on = 1; next } $1 == "====" { on = 0 } on' "$prefix/THIRD_PARTY_NOTICES" | grep -ci 'permission\|redistribution\|licen[cs]e')
		[ "$count" -gt 0 ] || { echo "no licence text for $module"; return 1; }
	done <<<"$want"
}
check "THIRD_PARTY_NOTICES lists exactly the modules compiled in, each with its licence" notices_list_the_modules

same_licences_everywhere() {
	mkdir -p "$tmp/wheel" "$tmp/npm" "$tmp/npm-platform"
	python3 -m zipfile -e "$wheel" "$tmp/wheel"
	tar -C "$tmp/npm" -xzf "${tarballs[0]}"
	tar -C "$tmp/npm-platform" -xzf "${tarballs[1]}"
	local dir
	for dir in "$prefix" "$tmp/wheel/omnirtc-$version.dist-info/licenses" "$tmp/npm/package" "$tmp/npm-platform/package"; do
		cmp LICENSE "$dir/LICENSE" && cmp "$prefix/THIRD_PARTY_NOTICES" "$dir/THIRD_PARTY_NOTICES" || return 1
	done
	cmp "$prefix/lib/libomnirtc.so.0" "$tmp/wheel/omnirtc/libomnirtc.so" && cmp "$prefix/lib/libomnirtc.so.0" "$tmp/npm-platform/package/libomnirtc.so.0"
}
check "LICENSE, THIRD_PARTY_NOTICES and the same library in the archive, the wheel and the npm packages" same_licences_everywhere

# run_example BINARY: the example connects two peers (in a private network
# namespace), with no library path but what the build put into the binary.
run_example() {
	env -u LD_LIBRARY_PATH -u OMNIRTC_LIBRARY timeout 60 scripts/netns-run.sh "$1" | grep "checksum ok"
}

with_pkg_config() {
	local pc="env -u PKG_CONFIG_PATH PKG_CONFIG_LIBDIR=$prefix/lib/pkgconfig pkg-config"
	$pc --cflags --libs omnirtc | grep -- "-I$prefix/lib/pkgconfig/../../include" || { $pc --cflags --libs omnirtc; return 1; }
	# shellcheck disable=SC2046
	cc -std=c11 -O2 -o "$tmp/dc-shared" examples/c/datachannel.c $($pc --cflags --libs omnirtc) -lpthread &&
		readelf -d "$tmp/dc-shared" | grep 'NEEDED.*libomnirtc\.so\.0' && run_example "$tmp/dc-shared" || return 1
	# shellcheck disable=SC2046
	cc -std=c11 -O2 -o "$tmp/dc-static" examples/c/datachannel.c $($pc --static --cflags omnirtc) \
		"$prefix/lib/libomnirtc.a" $($pc --static --libs-only-l omnirtc | sed 's/-lomnirtc//') &&
		! readelf -d "$tmp/dc-static" | grep libomnirtc && run_example "$tmp/dc-static"
}
check "the C archive in a temporary prefix: examples/c/datachannel.c through pkg-config, shared and static" with_pkg_config

with_cmake() {
	cmake -S tests/dist -B "$tmp/cmake" -DCMAKE_PREFIX_PATH="$prefix" -DEXAMPLE="$PWD/examples/c/datachannel.c" >/dev/null &&
		cmake --build "$tmp/cmake" >/dev/null &&
		readelf -d "$tmp/cmake/datachannel" | grep 'NEEDED.*libomnirtc\.so\.0' && run_example "$tmp/cmake/datachannel" &&
		! readelf -d "$tmp/cmake/datachannel_static" | grep libomnirtc && run_example "$tmp/cmake/datachannel_static"
}
check "the C archive in a temporary prefix: find_package(omnirtc), omnirtc::omnirtc and omnirtc::static" with_cmake

checks_summary dist
