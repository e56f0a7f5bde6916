#!/usr/bin/env bash
# OmniRTC's single entry point.
#
#   ./build.sh demo      build everything and run the C examples
#   ./build.sh test      every test suite (Go, C, Python, Node, Swift, interop, lint)
#   ./build.sh test-SUITE [ARGS]   one suite; ARGS go to scripts/test-SUITE.sh
#                        (e.g. ./build.sh test-swift --filter DataChannelTests)
#   ./build.sh bench     benchmarks (results go to BENCHMARKS.md by hand)
#   ./build.sh lib       libomnirtc.so, omnirtc.h and omnirtc.pc into build/
#   ./build.sh dist      into dist/: the manylinux wheel, the npm packages, the C archive
#   ./build.sh wheel     the Python wheel          ./build.sh npm   the npm packages
#   ./build.sh xcframework   Apple platforms (macOS with Xcode only)
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

# apt_need PKG... installs the Debian packages that are missing.
apt_need() {
	local missing=()
	for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
	[ ${#missing[@]} -eq 0 ] && return 0
	say "installing apt packages: ${missing[*]}"
	if [ ! -f /var/lib/apt/periodic/omnirtc-updated ] || [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v lock)" ]; then
		DEBIAN_FRONTEND=noninteractive apt-get update -qq
		mkdir -p /var/lib/apt/periodic && touch /var/lib/apt/periodic/omnirtc-updated
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

deps() {
	command -v go >/dev/null || { echo "Go is required (https://go.dev/dl)"; exit 1; }
	apt_need gcc libc6-dev pkg-config iproute2 util-linux python3-venv cmake
	say "fetching Go modules"
	go mod download
}

# go_build MODE OUT [LDFLAGS] builds ./capi linked against glibc 2.17 by zig's
# C compiler (scripts/zig-cc.sh). zig links with --gc-sections, so the imports
# of C wrappers that no Go code calls are not there (res_search and getnameinfo
# of net's cgo resolver, the setuid family of runtime/cgo, clearenv): GNU ld
# with -Wl,--gc-sections drops the same ones.
go_build() {
	CGO_ENABLED=1 CC="$(scripts/zig-cc.sh)" go build -buildmode="$1" -trimpath -ldflags "-s -w ${3:-}" -o "$2" ./capi
}

lib() {
	deps
	say "building libomnirtc.so (glibc 2.17)"
	mkdir -p "$BUILD/lib/pkgconfig" "$BUILD/include"
	go_build c-shared "$BUILD/lib/libomnirtc.so.0" \
		"-extldflags '-Wl,-soname,libomnirtc.so.0 -Wl,--version-script=$ROOT/capi/exports.map'"
	rm -f "$BUILD"/lib/*.h
	ln -sf libomnirtc.so.0 "$BUILD/lib/libomnirtc.so"
	cp include/omnirtc.h "$BUILD/include/"
	sed -e "s|@PREFIX@|$BUILD|" -e "s|@VERSION@|$(version)|" capi/omnirtc.pc.in >"$BUILD/lib/pkgconfig/omnirtc.pc"
	scripts/notices.sh "$BUILD/lib/libomnirtc.so.0" >"$BUILD/THIRD_PARTY_NOTICES"
}

# dist puts what we publish into dist/: the wheel, the npm packages and the C
# archive (which adds the static library), all from the library lib built.
dist() {
	lib
	say "building libomnirtc.a"
	go_build c-archive "$BUILD/lib/libomnirtc.a"
	rm -f "$BUILD"/lib/*.h
	rm -rf dist
	with_lib scripts/wheel.sh
	with_lib scripts/npm-pack.sh
	scripts/c-archive.sh
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
	rm -f "$BUILD"/bin/test_* # test-c.sh runs every one: none may be left from an older tree
	for src in tests/c/test_*.c; do
		# the media cases need generated files: scripts/test-media.sh builds and runs them
		[ "$src" != tests/c/test_media.c ] || continue
		# shellcheck disable=SC2086
		cc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -g $cflags -Itests/c/harness -o "$BUILD/bin/$(basename "$src" .c)" \
			"$src" tests/c/harness/*.c $libs -lpthread
	done
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
	with_lib "$script" "${@:2}" 2>&1 | tee "$LOGS/$1.log" || FAILED_SUITES+=("$1")
}

# total adds up the "N passed, M failed" summary line of every suite: the
# last one of each log, since a suite may print its parts' lines before it.
total() {
	local log
	for log in "$LOGS"/*.log; do grep -Eo '[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1; done |
		awk '{p += $1; f += $3} END {printf "total: %d passed, %d failed\n", p, f}'
}

test_all() {
	lib
	rm -rf "$LOGS"
	test_go
	test_c
	for suite in pion-copies lint examples dist python node swift interop nat media reliability; do
		run_suite "$suite"
	done
	total
	[ ${#FAILED_SUITES[@]} -eq 0 ] || { echo "failed suites: ${FAILED_SUITES[*]}"; exit 1; }
}

case "${1:-}" in
	deps) deps ;;
	lib) lib ;;
	demo) demo ;;
	test) test_all ;;
	test-go) lib; test_go; [ ${#FAILED_SUITES[@]} -eq 0 ] ;;
	test-c) lib; test_c; [ ${#FAILED_SUITES[@]} -eq 0 ] ;;
	test-*) lib; run_suite "${1#test-}" "${@:2}"; [ ${#FAILED_SUITES[@]} -eq 0 ] ;;
	bench) lib; with_lib scripts/bench.sh "${@:2}" ;;
	soak) lib; with_lib scripts/soak.sh "${@:2}" ;;
	dist) dist ;;
	wheel) lib; with_lib scripts/wheel.sh ;;
	npm) lib; with_lib scripts/npm-pack.sh ;;
	xcframework) scripts/xcframework.sh ;;
	*) sed -n '2,14p' "$0"; exit 2 ;;
esac
