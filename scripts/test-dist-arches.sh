#!/usr/bin/env bash
# The libraries cross-built for aarch64, armv7l and riscv64 (./build.sh
# lib-arches), checked as built: the machine, the glibc floor, only omnirtc_*
# exported, SONAME; their wheels (auditwheel) and npm platform packages; and
# run: examples/c/datachannel.c, compiled by zig for the architecture against
# its C archive, connects two peers over loopback (in a private network
# namespace) under qemu-user, with Debian's cross libc as the guest's /lib.
# Usage: scripts/test-dist-arches.sh [ARCH...]
set -uo pipefail
cd "$(dirname "$0")/.."
arches=("${@:-aarch64 armv7l riscv64}")
# shellcheck disable=SC2206 # the default is one word per architecture
arches=(${arches[*]})
# shellcheck source=scripts/checks.sh
. scripts/checks.sh
out=$(./build.sh lib-arches "${arches[@]}" 2>&1) || { echo "$out"; echo "dist-arches: 0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# apt_need PKG... installs the Debian packages that are missing.
apt_need() {
	local missing=() p
	for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "installing apt packages: ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
		{ DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
}
cross_libcs=()
for arch in "${arches[@]}"; do cross_libcs+=("libc6-$(. scripts/arch.sh "$arch" && echo "$DEBIAN_ARCH")-cross"); done
apt_need qemu-user-static "${cross_libcs[@]}" >&2

# machine ARCH FILE: FILE is an ELF for ARCH.
machine() {
	local want
	case $1 in aarch64) want=AArch64 ;; armv7l) want=ARM ;; riscv64) want=RISC-V ;; esac
	readelf -h "$2" | grep -E "Machine: +$want\$" || { readelf -h "$2"; return 1; }
	[ "$1" != armv7l ] || readelf -h "$2" | grep 'hard-float ABI'
}

# glibc_at_most VERSION FILE: no symbol of FILE needs a newer glibc.
glibc_at_most() {
	local newest
	newest=$(objdump -T "$2" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1)
	echo "$2 needs glibc $newest"
	[ -n "$newest" ] && [ "$(printf '%s\n%s\n' "$newest" "$1" | sort -V | tail -n 1)" = "$1" ]
}

exports_only_the_api() {
	readelf -d "$1" | grep 'SONAME.*\[libomnirtc\.so\.0\]' || { echo "no SONAME libomnirtc.so.0"; return 1; }
	local others
	others=$(objdump -T "$1" | awk '$2 == "g" && $4 != "*UND*" && $4 != "*ABS*" { print $NF }' | grep -v '^omnirtc_')
	[ -z "$others" ] || { echo "exported besides omnirtc_*: $others"; return 1; }
	objdump -T "$1" | grep 'OMNIRTC_0 *omnirtc_peer_create$'
}

# archive_example_under_qemu ARCH: the C archive for ARCH unpacked into a
# temporary prefix; examples/c/datachannel.c compiled by zig for ARCH through
# its pkg-config, shared and static, each run by qemu-<arch>-static.
archive_example_under_qemu() {
	(
		# shellcheck source=scripts/arch.sh
		. scripts/arch.sh "$1"
		archive=$(scripts/c-archive.sh "$1" | tail -n 1) || exit 1
		tar -C "$tmp" -xzf "$archive" || exit 1
		prefix=$tmp/$(basename "$archive" .tar.gz)
		pc="env -u PKG_CONFIG_PATH PKG_CONFIG_LIBDIR=$prefix/lib/pkgconfig pkg-config"
		cc=$(scripts/zig-cc.sh "$1")
		# shellcheck disable=SC2046,SC2086 # the compiler command and pkg-config's output are words
		$cc -std=c11 -O2 -o "$tmp/dc-shared-$1" examples/c/datachannel.c $($pc --cflags --libs omnirtc) -lpthread "-Wl,-rpath,$prefix/lib" &&
			$cc -std=c11 -O2 -o "$tmp/dc-static-$1" examples/c/datachannel.c $($pc --static --cflags omnirtc) \
				"$prefix/lib/libomnirtc.a" $($pc --static --libs-only-l omnirtc | sed 's/-lomnirtc//') || exit 1
		machine "$1" "$tmp/dc-shared-$1" >/dev/null && machine "$1" "$tmp/dc-static-$1" >/dev/null || exit 1
		readelf -d "$tmp/dc-shared-$1" | grep 'NEEDED.*libomnirtc\.so\.0' && ! readelf -d "$tmp/dc-static-$1" | grep libomnirtc || exit 1
		for program in "$tmp/dc-shared-$1" "$tmp/dc-static-$1"; do
			timeout 300 scripts/netns-run.sh "qemu-$QEMU-static" -L "/usr/$TRIPLE" "$program" | grep "checksum ok" || exit 1
		done
	)
}

# wheel_for ARCH: scripts/wheel.sh's wheel for ARCH holds its library under
# platlib, and auditwheel finds it consistent with the tag it carries.
wheel_for() {
	local wheel tag
	wheel=$(scripts/wheel.sh "$1" | tail -n 1) || return 1
	tag=$(. scripts/arch.sh "$1" && echo "$WHEEL_PLATFORM")
	[[ $wheel == *-py3-none-$tag.whl ]] || { echo "$wheel is not tagged $tag"; return 1; }
	python3 -m zipfile -l "$wheel" | grep '^omnirtc/libomnirtc.so ' >/dev/null || { echo "no omnirtc/libomnirtc.so in $wheel"; return 1; }
	build/venv-wheel/bin/auditwheel show "$wheel" | tr -s ' \n' ' ' | grep "consistent with the following platform tag: \"$tag\""
}

# npm_for ARCH: scripts/npm-pack.sh's @omnirtc/linux-<cpu>-gnu for ARCH: os,
# cpu and libc set, the addon built for ARCH against glibc's floor, finding
# the library it carries through $ORIGIN; the main package lists it.
npm_for() {
	local cpu tarball floor
	cpu=$(. scripts/arch.sh "$1" && echo "$NODE_ARCH") floor=$(. scripts/arch.sh "$1" && echo "$GLIBC")
	tarball=$(scripts/npm-pack.sh "$1" | tail -n 1) || return 1
	rm -rf "$tmp/npm-$1" && mkdir -p "$tmp/npm-$1" && tar -C "$tmp/npm-$1" -xzf "$tarball" || return 1
	local package=$tmp/npm-$1/package
	node -e 'const p = require(process.argv[1]); const want = { name: `@omnirtc/linux-${process.argv[2]}-gnu`, os: "linux", cpu: process.argv[2], libc: "glibc" };
		if (p.name !== want.name || p.os.join() !== want.os || p.cpu.join() !== want.cpu || p.libc.join() !== want.libc) { console.log(p); process.exit(1); }' \
		"$package/package.json" "$cpu" || return 1
	machine "$1" "$package/omnirtc.node" && glibc_at_most "$floor" "$package/omnirtc.node" &&
		readelf -d "$package/omnirtc.node" | grep 'NEEDED.*\[libomnirtc\.so\.0\]' &&
		readelf -d "$package/omnirtc.node" | grep 'RUNPATH.*\[\$ORIGIN\]' &&
		cmp "$package/libomnirtc.so.0" "build/arch/$1/lib/libomnirtc.so.0" || return 1
	mkdir -p "$tmp/stage/main" "$tmp/stage/platform" && node scripts/npm-manifests.js "$tmp/stage" &&
		grep "\"@omnirtc/linux-$cpu-gnu\"" "$tmp/stage/main/package.json"
}

for arch in "${arches[@]}"; do
	dir=build/arch/$arch
	lib=$dir/lib/libomnirtc.so.0
	floor=$(. scripts/arch.sh "$arch" && echo "$GLIBC")
	check "$arch: the library is an $arch ELF" machine "$arch" "$lib"
	check "$arch: the library needs glibc $floor at most" glibc_at_most "$floor" "$lib"
	check "$arch: only omnirtc_* exported under OMNIRTC_0, SONAME libomnirtc.so.0" exports_only_the_api "$lib"
	check "$arch: its manylinux wheel, as auditwheel sees it" wheel_for "$arch"
	check "$arch: its npm platform package: os, cpu, libc, the addon for $arch, in omnirtc's optionalDependencies" npm_for "$arch"
	start=$(date +%s)
	check "$arch: its C archive in a temporary prefix: datachannel.c through pkg-config, shared and static, under qemu-user over loopback" archive_example_under_qemu "$arch"
	echo "     ($arch archive, examples built and run under qemu: $(($(date +%s) - start)) s)"
done

checks_summary dist-arches
