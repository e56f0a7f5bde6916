#!/usr/bin/env bash
# What `./build.sh dist` ships for aarch64, armv7l and riscv64, checked: each
# library's machine, glibc floor, exports and SONAME; each wheel (auditwheel)
# and npm platform package; examples/c/datachannel.c, compiled by zig through
# the pkg-config of each C archive, connecting two peers over loopback (in a
# private network namespace) under qemu-user, with Debian's cross libc as the
# guest's /lib, and that check failing on a broken library. On aarch64, as a
# user gets them: in an emulated Debian bookworm arm64 root (scripts/emu-root.sh,
# made once outside the repo), the wheel installed in a fresh venv and the npm
# packages in an empty project, each running its data-channel example. armv7l
# and riscv64 have no such root: their C checks only (the root's first
# creation is the cost, see the README).
# Usage: scripts/test-dist-arches.sh [ARCH...]
set -uo pipefail
cd "$(dirname "$0")/.."
arches=("${@:-aarch64 armv7l riscv64}")
# shellcheck disable=SC2206 # the default is one word per architecture
arches=(${arches[*]})
# shellcheck source=scripts/checks.sh
. scripts/checks.sh
# OMNIRTC_DIST_BUILT=1: the dist suite of the same ./build.sh test built dist/ and passed
[ "${OMNIRTC_DIST_BUILT:-}" = 1 ] || out=$(./build.sh dist 2>&1) || { echo "$out"; echo "dist-arches: 0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=scripts/dist-checks.sh
. scripts/dist-checks.sh

# shellcheck source=scripts/apt-need.sh
. scripts/apt-need.sh
cross_libcs=()
for arch in "${arches[@]}"; do cross_libcs+=("libc6-$(. scripts/arch.sh "$arch" && echo "$DEBIAN_ARCH")-cross"); done
apt_need qemu-user-static "${cross_libcs[@]}"

# wheel_for ARCH: dist's wheel for ARCH holds its library under platlib, and
# auditwheel finds it consistent with the tag it carries.
wheel_for() {
	local wheel tag
	wheel=$(dist_file wheel "$1") tag=$(. scripts/arch.sh "$1" && echo "$WHEEL_PLATFORM")
	[[ $wheel == *-py3-none-$tag.whl ]] || { echo "$wheel is not tagged $tag"; return 1; }
	python3 -m zipfile -l "$wheel" | grep '^omnirtc/libomnirtc.so ' >/dev/null || { echo "no omnirtc/libomnirtc.so in $wheel"; return 1; }
	build/venv-wheel/bin/auditwheel show "$wheel" | tr -s ' \n' ' ' | grep "consistent with the following platform tag: \"$tag\""
}

# npm_for ARCH: dist's @omnirtc/linux-<cpu>-gnu for ARCH: os, cpu and libc
# set, the addon built for ARCH against glibc's floor, finding the library it
# carries through $ORIGIN; the main package lists it.
npm_for() {
	local cpu floor
	cpu=$(. scripts/arch.sh "$1" && echo "$NODE_ARCH") floor=$(. scripts/arch.sh "$1" && echo "$GLIBC")
	rm -rf "$tmp/npm-$1" && mkdir -p "$tmp/npm-$1" && tar -C "$tmp/npm-$1" -xzf "$(dist_file npm "$1")" || return 1
	local package=$tmp/npm-$1/package
	node -e 'const p = require(process.argv[1]); const want = { name: `@omnirtc/linux-${process.argv[2]}-gnu`, os: "linux", cpu: process.argv[2], libc: "glibc" };
		if (p.name !== want.name || p.os.join() !== want.os || p.cpu.join() !== want.cpu || p.libc.join() !== want.libc) { console.log(p); process.exit(1); }' \
		"$package/package.json" "$cpu" || return 1
	machine "$1" "$package/omnirtc.node" && glibc_at_most "$floor" "$package/omnirtc.node" &&
		readelf -d "$package/omnirtc.node" | grep 'NEEDED.*\[libomnirtc\.so\.0\]' &&
		readelf -d "$package/omnirtc.node" | grep 'RUNPATH.*\[\$ORIGIN\]' &&
		cmp "$package/libomnirtc.so.0" "build/arch/$1/lib/libomnirtc.so.0" || return 1
	tar -xzOf "$(dist_file npm-main "$1")" package/package.json | grep "\"@omnirtc/linux-$cpu-gnu\""
}

# qemu_run_fails_on_a_broken_library ARCH: run_example, the check that runs
# the C example under qemu-user, fails when the library is broken: the
# example built against a copy of ARCH's archive, whose library is then cut
# short, then replaced by another architecture's. The static example, which
# needs no library, passes the same check in the same place.
qemu_run_fails_on_a_broken_library() {
	local prefix other=armv7l
	[ "$1" != armv7l ] || other=aarch64
	prefix=$(unpack_archive "$1") && rm -rf "$tmp/broken-$1" && cp -a "$prefix" "$tmp/broken-$1" || return 1
	prefix=$tmp/broken-$1
	build_example "$1" "$prefix" "$prefix/datachannel" >/dev/null || return 1
	head -c 100000 "$prefix/lib/libomnirtc.so.0" >"$tmp/cut-short" && cp "$tmp/cut-short" "$prefix/lib/libomnirtc.so.0" || return 1
	! run_example "$1" "$prefix/datachannel-shared" || { echo "the check passed with a library cut short"; return 1; }
	cp "build/arch/$other/lib/libomnirtc.so.0" "$prefix/lib/" || return 1
	! run_example "$1" "$prefix/datachannel-shared" || { echo "the check passed with $other's library"; return 1; }
	run_example "$1" "$prefix/datachannel-static"
}

# in_emu_root ARCH SCRIPT FILE...: runs the sh SCRIPT in ARCH's emulated
# Debian root, in a private mount and network namespace (loopback only), in
# /tmp/omnirtc, a tmpfs holding copies of FILE...: nothing stays in the root.
in_emu_root() {
	local root
	root=$(scripts/emu-root.sh "$1") || return 1
	timeout 600 unshare -m -n --propagation private bash -euc '
		root=$1 script=$2
		shift 2
		ip link set lo up
		mount -t proc proc "$root/proc"
		mount --rbind /dev "$root/dev"
		mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
		mkdir "$root/tmp/omnirtc" && cp "$@" "$root/tmp/omnirtc/"
		exec chroot "$root" env -i HOME=/tmp/omnirtc PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 sh -euxc "cd /tmp/omnirtc; $script"' \
		in-emu-root "$root" "$2" "${@:3}"
}

# wheel_in_emu_root ARCH: in a fresh venv of the emulated root, pip installs
# dist's wheel (no index: it needs nothing else), and the data-channel example
# runs against it: the venv's omnirtc, on ARCH's Python.
wheel_in_emu_root() {
	local out
	out=$(in_emu_root "$1" '
		python3 -m venv venv
		venv/bin/pip install -q --no-index --no-cache-dir --disable-pip-version-check ./*.whl
		venv/bin/python -c "import omnirtc, omnirtc._native as n, platform; print(platform.machine(), omnirtc.library_version(), n.__file__)"
		venv/bin/python datachannel.py' "$(dist_file wheel "$1")" examples/python/datachannel.py 2>&1)
	echo "$out"
	grep -x "$1 $(scripts/version.sh) /tmp/omnirtc/venv/lib/python3\.[0-9]*/site-packages/omnirtc/_native\.py" <<<"$out" &&
		grep -x "alice got: echo: hello bob" <<<"$out"
}

# npm_in_emu_root ARCH: in an empty project of the emulated root, npm installs
# dist's omnirtc and ARCH's platform package from their tarballs, offline,
# and the data-channel example runs against them on ARCH's Node.
npm_in_emu_root() {
	local out
	out=$(in_emu_root "$1" '
		mkdir app && cd app && echo "{\"name\": \"app\", \"version\": \"1.0.0\"}" >package.json
		npm install --no-audit --no-fund --offline ../omnirtc-*.tgz
		cp ../datachannel.js .
		node -p "process.arch + \" \" + require(\"omnirtc\").libraryVersion() + \" \" + require.resolve(\"@omnirtc/linux-\" + process.arch + \"-gnu\")"
		node datachannel.js' "$(dist_file npm-main "$1")" "$(dist_file npm "$1")" examples/node/datachannel.js 2>&1)
	echo "$out"
	local cpu
	cpu=$(. scripts/arch.sh "$1" && echo "$NODE_ARCH")
	grep -x "$cpu $(scripts/version.sh) /tmp/omnirtc/app/node_modules/@omnirtc/linux-$cpu-gnu/omnirtc.node" <<<"$out" &&
		grep -x "alice got: echo: hello bob" <<<"$out"
}

# The architectures with an emulated root (its cost: the README).
EMU_ARCHES=(aarch64)

for arch in "${arches[@]}"; do
	lib=build/arch/$arch/lib/libomnirtc.so.0
	floor=$(. scripts/arch.sh "$arch" && echo "$GLIBC")
	check "$arch: the library is an $arch ELF" machine "$arch" "$lib"
	check "$arch: the library needs glibc $floor at most" glibc_at_most "$floor" "$lib"
	check "$arch: only omnirtc_* exported under OMNIRTC_0, SONAME libomnirtc.so.0" exports_only_the_api "$lib"
	check "$arch: its manylinux wheel, as auditwheel sees it" wheel_for "$arch"
	check "$arch: its npm platform package: os, cpu, libc, the addon for $arch, in omnirtc's optionalDependencies" npm_for "$arch"
	start=$(date +%s)
	check "$arch: its C archive in a temporary prefix: datachannel.c through pkg-config, shared and static, under qemu-user over loopback" archive_example "$arch"
	echo "     ($arch archive, examples built and run under qemu: $(($(date +%s) - start)) s)"
	check "$arch: that qemu-user check fails with the library cut short or another architecture's" qemu_run_fails_on_a_broken_library "$arch"
	[[ " ${EMU_ARCHES[*]} " == *" $arch "* ]] || continue
	start=$(date +%s)
	check "$arch: in an emulated Debian root, the wheel pip-installed in a fresh venv runs examples/python/datachannel.py over loopback" wheel_in_emu_root "$arch"
	check "$arch: in an emulated Debian root, the npm packages installed offline in an empty project run examples/node/datachannel.js over loopback" npm_in_emu_root "$arch"
	echo "     ($arch emulated root: root ready, installs and examples: $(($(date +%s) - start)) s)"
done

checks_summary dist-arches
