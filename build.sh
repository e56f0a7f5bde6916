#!/usr/bin/env bash
# OmniRTC's single entry point.
#
#   ./build.sh demo      build everything and run the C examples
#   ./build.sh test [SUITE...]  every test suite (Go, C, Python, Node, Swift, interop,
#                        lint, ...), or the ones named, with their total
#   ./build.sh test-SUITE [ARGS]   one suite; ARGS go to scripts/test-SUITE.sh
#                        (e.g. ./build.sh test-swift --filter DataChannelTests)
#   ./build.sh bench     benchmarks (results go to BENCHMARKS.md by hand)
#   ./build.sh lib       libomnirtc.so, omnirtc.h and omnirtc.pc into build/
#   ./build.sh lib-arches [ARCH...]  the same for aarch64, armv7l, riscv64 into build/arch/<arch>
#   ./build.sh lib-windows   omnirtc.dll, its import libraries and omnirtc.h into
#                        build/windows-x86_64 (mingw-w64)
#   ./build.sh dist      into dist/, for x86_64, aarch64, armv7l and riscv64: the
#                        manylinux wheels, the npm packages, the C archives; and
#                        the wheel, npm package and C SDK zip of windows-x86_64 (omnirtc.dll);
#                        the macOS xcframework zip (arm64 + x86_64, by zig)
#   ./build.sh wheel     the Python wheel          ./build.sh npm   the npm packages
#   ./build.sh docs      the Python (pdoc), Node (TypeDoc) and C (from the header) references into build/docs/
#   ./build.sh xcframework   the macOS xcframework (zig; no iOS: needs Xcode's SDK)
#   ./build.sh soak      the long reliability soak
#
# On a fresh machine it installs what it needs (apt packages, Go modules, zig
# from PyPI for the glibc 2.17 link).
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")"
ROOT=$PWD
BUILD=$ROOT/build
export PATH="$PATH:/usr/local/go/bin:$HOME/go/bin"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# shellcheck source=scripts/apt-need.sh
. scripts/apt-need.sh

deps() {
	command -v go >/dev/null || { echo "Go is required (https://go.dev/dl)"; exit 1; }
	apt_need gcc libc6-dev pkg-config iproute2 util-linux python3-venv cmake
	say "fetching Go modules"
	go mod download
}

# cgo_cflags: the C flags of ./capi. Go's build cache does not see the header
# capi's C includes from outside its package: its hash in the C flags makes a
# changed header rebuild the C parts.
cgo_cflags() {
	echo "-O2 -g -DOMNIRTC_HEADER_SHA=$(sha256sum include/omnirtc.h | cut -c1-16)"
}

# go_build ARCH MODE OUT [LDFLAGS] builds ./capi for ARCH (uname -m's name:
# x86_64, aarch64, armv7l, riscv64; scripts/arch.sh) linked against its glibc
# floor (2.17; 2.27 for riscv64) by zig's C compiler (scripts/zig-cc.sh). zig
# links with --gc-sections, so the imports of C wrappers that no Go code calls
# are not there (res_search and getnameinfo of net's cgo resolver, the setuid
# family of runtime/cgo, clearenv): GNU ld with -Wl,--gc-sections drops the same ones.
go_build() {
	(
		# shellcheck source=scripts/arch.sh
		. scripts/arch.sh "$1"
		CGO_ENABLED=1 GOOS=linux CC="$(scripts/zig-cc.sh "$1")" CGO_CFLAGS="$(cgo_cflags)" \
			go build -buildmode="$2" -trimpath -ldflags "-s -w ${4:-}" -o "$3" ./capi
	)
}

# build_lib ARCH DIR: libomnirtc.so.0 (SONAME libomnirtc.so.0, only omnirtc_*
# exported: capi/exports.map), its symlink, the header, omnirtc.pc and the
# notices into DIR.
build_lib() {
	say "building libomnirtc.so for $1 into $2"
	mkdir -p "$2/lib/pkgconfig" "$2/include"
	go_build "$1" c-shared "$2/lib/libomnirtc.so.0" \
		"-extldflags '-Wl,-soname,libomnirtc.so.0 -Wl,--version-script=$ROOT/capi/exports.map'"
	rm -f "$2"/lib/*.h
	ln -sf libomnirtc.so.0 "$2/lib/libomnirtc.so"
	cp include/omnirtc.h "$2/include/"
	sed -e "s|@PREFIX@|$2|" -e "s|@VERSION@|$(version)|" capi/omnirtc.pc.in >"$2/lib/pkgconfig/omnirtc.pc"
	scripts/notices.sh "$2/lib/libomnirtc.so.0" >"$2/THIRD_PARTY_NOTICES"
}

# build_windows DIR: omnirtc.dll for Windows x86_64 into DIR/bin, built by
# Debian's mingw-w64 and linked statically (libgcc, winpthread), so that it
# imports system DLLs only; its import libraries into DIR/lib, for mingw
# (libomnirtc.dll.a) and MSVC (omnirtc.lib, by zig's llvm-dlltool), beside
# the .def they come from (scripts/gen-def.py: the header's functions and
# nothing else); the header and the notices. Go writes a .def of its own
# exports (the ortc_go_* functions behind the header's) unless
# -Wl,--export-all-symbols is among the flags; --exclude-all-symbols, which
# GNU ld lets win, then turns automatic exports off again, leaving ours.
build_windows() {
	say "building omnirtc.dll for windows-x86_64 into $1"
	apt_need gcc-mingw-w64-x86-64 python3-pycparser
	mkdir -p "$1/bin" "$1/lib" "$1/include"
	# Debian's python3, which has its python3-pycparser (another python3 may come first on PATH)
	/usr/bin/python3 scripts/gen-def.py -o "$1/lib/omnirtc.def"
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc CGO_CFLAGS="$(cgo_cflags)" \
		go build -buildmode=c-shared -trimpath -o "$1/bin/omnirtc.dll" -ldflags "-s -w -extldflags '-static \
			-Wl,--export-all-symbols -Wl,--exclude-all-symbols $1/lib/omnirtc.def \
			-Wl,--out-implib,$1/lib/libomnirtc.dll.a -lpthread'" ./capi
	rm -f "$1"/bin/*.h
	local zig
	zig=$(scripts/zig-cc.sh)
	${zig%% cc *} dlltool -m i386:x86-64 -D omnirtc.dll -d "$1/lib/omnirtc.def" -l "$1/lib/omnirtc.lib"
	cp include/omnirtc.h "$1/include/"
	{
		scripts/notices.sh "$1/bin/omnirtc.dll"
		printf '==== mingw-w64 runtime and winpthreads (linked statically) ====\n\n'
		cat /usr/share/doc/mingw-w64-x86-64-dev/copyright
	} >"$1/THIRD_PARTY_NOTICES"
}

# lib builds this machine's library into build/, the one every test uses.
lib() {
	deps
	build_lib "$(uname -m)" "$BUILD"
}

# The other architectures dist cross-builds, each into build/arch/<arch>.
CROSS_ARCHES=(aarch64 armv7l riscv64)

# lib_arches builds the shared and static library of every architecture in
# CROSS_ARCHES (or those named) into build/arch/<arch>.
lib_arches() {
	deps
	local arch
	for arch in "${@:-${CROSS_ARCHES[@]}}"; do
		[ "$arch" != "$(uname -m)" ] || continue
		build_lib "$arch" "$BUILD/arch/$arch"
		go_build "$arch" c-archive "$BUILD/arch/$arch/lib/libomnirtc.a"
		rm -f "$BUILD/arch/$arch"/lib/*.h
	done
}

# dist puts what we publish into dist/: for this machine's architecture and
# each of CROSS_ARCHES, the wheel, the npm platform package and the C archive
# (which adds the static library); the main npm package; the wheel, the npm
# platform package and the C archive of windows-x86_64; and the macOS xcframework, zipped.
dist() {
	lib
	lib_arches
	say "building libomnirtc.a"
	go_build "$(uname -m)" c-archive "$BUILD/lib/libomnirtc.a"
	rm -f "$BUILD"/lib/*.h
	build_windows "$BUILD/windows-x86_64"
	rm -rf dist
	with_lib scripts/wheel.sh
	with_lib scripts/npm-pack.sh
	scripts/c-archive.sh
	local arch
	for arch in "${CROSS_ARCHES[@]}"; do
		[ "$arch" != "$(uname -m)" ] || continue
		say "packing $arch"
		scripts/wheel.sh "$arch"
		scripts/npm-pack.sh "$arch"
		scripts/c-archive.sh "$arch"
	done
	scripts/wheel.sh windows-x86_64
	scripts/npm-pack.sh windows-x86_64
	scripts/c-archive.sh windows-x86_64
	scripts/xcframework.sh
}

version() { scripts/version.sh; }

# with_lib CMD... runs CMD with the freshly built library on every search path.
with_lib() {
	PKG_CONFIG_PATH="$BUILD/lib/pkgconfig" LD_LIBRARY_PATH="$BUILD/lib" OMNIRTC_LIBRARY="$BUILD/lib/libomnirtc.so" "$@"
}

c_programs() {
	say "compiling C examples and tests"
	mkdir -p "$BUILD/bin"
	local cflags libs
	cflags=$(with_lib pkg-config --cflags omnirtc)
	libs=$(with_lib pkg-config --libs omnirtc)
	local src
	for src in examples/c/*.c; do
		# shellcheck disable=SC2086
		cc -std=c11 -Wall -Wextra -Werror -O2 $cflags -o "$BUILD/bin/$(basename "$src" .c)" "$src" $libs -lpthread
	done
	with_lib scripts/build-c-tests.sh "$BUILD/bin"
}

demo() {
	lib
	c_programs
	say "demo: two peers in one process"
	with_lib scripts/netns-run.sh "$BUILD/bin/datachannel"
	say "demo: two processes exchanging SDP through files"
	with_lib scripts/netns-run.sh examples/c/two-process.sh "$BUILD/bin/signaling_peer"
}

FAILED_SUITES=() # suites that failed; build.sh test runs them all, then fails

test_go() {
	say "go vet and go test -race ./core/..."
	go vet ./... || FAILED_SUITES+=(vet)
	scripts/netns-run.sh go test -race -count=1 -timeout 15m ./core/... || FAILED_SUITES+=(go)
	say "Go fuzz targets (bounded)"
	scripts/fuzz.sh "${FUZZTIME:-10s}" || FAILED_SUITES+=(fuzz)
}

# Each suite's output is kept in build/logs/ so the totals can be added up.
LOGS=$BUILD/logs

test_c() {
	c_programs
	say "C tests"
	mkdir -p "$LOGS"
	with_lib scripts/netns-run.sh scripts/test-c.sh "$BUILD/bin" | tee "$LOGS/c.log" || FAILED_SUITES+=(c)
}

run_suite() { # SUITE [ARGS for its script]: runs when its script exists; a failure is counted, not fatal
	local script=scripts/test-$1.sh
	[ -x "$script" ] || { say "no $1 suite yet"; return 0; }
	say "$1 tests"
	mkdir -p "$LOGS"
	if with_lib "$script" "${@:2}" 2>&1 | tee "$LOGS/$1.log"; then
		# dist/ is fresh: the dist-arches suite checks it without building it again
		[ "$1" != dist ] || export OMNIRTC_DIST_BUILT=1
	else
		FAILED_SUITES+=("$1")
	fi
}

# total adds up the "N passed, M failed" summary line of every suite: the
# last one of each log, since a suite may print its parts' lines before it.
total() {
	local log
	for log in "$LOGS"/*.log; do grep -Eo '[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1; done |
		awk '{p += $1; f += $3} END {printf "total: %d passed, %d failed\n", p, f}'
}

test_all() { # [SUITE...]: those only
	lib
	rm -rf "$LOGS"
	local suite suites=("$@")
	[ ${#suites[@]} -gt 0 ] || suites=(go c pion-copies lint examples dist dist-arches python node sequence swift interop nat media reliability)
	for suite in "${suites[@]}"; do
		case $suite in go) test_go ;; c) test_c ;; *) run_suite "$suite" ;; esac
	done
	total
	[ ${#FAILED_SUITES[@]} -eq 0 ] || { echo "failed suites: ${FAILED_SUITES[*]}"; exit 1; }
}

case "${1:-}" in
	deps) deps ;;
	lib) lib ;;
	lib-arches) lib_arches "${@:2}" ;;
	lib-windows) deps; build_windows "$BUILD/windows-x86_64" ;;
	demo) demo ;;
	test) test_all "${@:2}" ;;
	test-go) lib; test_go; [ ${#FAILED_SUITES[@]} -eq 0 ] ;;
	test-c) lib; test_c; [ ${#FAILED_SUITES[@]} -eq 0 ] ;;
	test-*) lib; run_suite "${1#test-}" "${@:2}"; [ ${#FAILED_SUITES[@]} -eq 0 ] ;;
	bench) lib; with_lib scripts/bench.sh "${@:2}" ;;
	soak) lib; with_lib scripts/soak.sh "${@:2}" ;;
	dist) dist ;;
	wheel) lib; with_lib scripts/wheel.sh ;;
	npm) lib; with_lib scripts/npm-pack.sh ;;
	docs) lib; with_lib scripts/docs.sh && scripts/docs-node.sh && python3 scripts/docs-c.py ;;
	xcframework) lib; scripts/xcframework.sh ;;
	*) sed -n '2,20p' "$0"; exit 2 ;;
esac
