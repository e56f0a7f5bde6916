#!/usr/bin/env bash
# What `./build.sh dist` ships for aarch64, armv7l and riscv64, checked: each
# library's machine, glibc floor, exports and SONAME; each wheel (auditwheel)
# and npm platform package; examples/c/datachannel.c and play_file.c (a VP8
# file played from one peer to another), compiled by zig through the
# pkg-config of each C archive, run over loopback (in a private network
# namespace) under qemu-user, with Debian's cross libc as the guest's /lib,
# and that check failing on a broken library. On aarch64, as a user gets
# them: in an emulated Debian bookworm arm64 root (scripts/emu-root.sh, made
# once outside the repo), the wheel installed in a fresh venv and the npm
# packages in an empty project, each running its data-channel example and a
# named subset of its binding's test suite; and a named subset of tests/c,
# built against the C archive, under qemu-user. armv7l and riscv64 have no
# such root: their C checks only (the root's first creation is the cost, see
# the README).
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

# in_emu_root ARCH SCRIPT FILE... [-- ARG...]: runs the sh SCRIPT, ARGs its
# "$@", in ARCH's emulated Debian root, in a private mount and network
# namespace (loopback only), in /tmp/omnirtc, a tmpfs holding copies of
# FILE...: nothing stays in the root.
in_emu_root() {
	local root
	root=$(scripts/emu-root.sh "$1") || return 1
	timeout 600 unshare -m -n --propagation private bash -euc '
		root=$1 script=$2 files=()
		shift 2
		while [ $# -gt 0 ] && [ "$1" != -- ]; do files+=("$1") && shift; done
		[ $# -eq 0 ] || shift
		ip link set lo up
		mount -t proc proc "$root/proc"
		mount --rbind /dev "$root/dev"
		mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
		mkdir "$root/tmp/omnirtc" && cp "${files[@]}" "$root/tmp/omnirtc/"
		exec chroot "$root" env -i HOME=/tmp/omnirtc PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 \
			sh -euxc "cd /tmp/omnirtc; $script" in-emu-root "$@"' \
		in-emu-root "$root" "$2" "${@:3}"
}

# What runs of the test suites on aarch64 under emulation, kept small (the
# README has their times): connecting, data both ways (text and binary),
# media (a video track one way, keyframe requests back), close.
# pytest node ids in bindings/python/tests:
PY_SUBSET=(
	test_datachannel.py::test_text_and_binary_both_ways
	test_datachannel.py::test_close_is_seen_by_the_other_side
	test_media.py::test_video_frames_arrive_equal_and_keyframes_are_requested
	"test_media.py::test_samples_of_more_codecs_arrive_equal[audio/PCMA]"
)
# "FILE: test name" in bindings/node/test:
NODE_SUBSET=(
	"datachannel.test.js: text and every binary type, both ways"
	"datachannel.test.js: close from either side is observed by the other"
	"media.test.js: video frames arrive equal, with keyframe flags, and PLI and FIR reach the sender"
	"media.test.js: audio/PCMA samples arrive equal"
)
# tests/c, as scripts/test-c.sh filters FILE::case (these: whole files). Left
# out for time: test_misuse*, test_lifecycle (200 connect/close cycles, 33 s
# emulated), test_bad_input, test_perf.
C_SUBSET=(
	test_datachannel:: test_channel_options:: test_negotiation:: test_security:: test_config::
	test_callbacks:: test_close_races:: test_jitter_buffer:: test_turn:: test_polled::
)

# wheel_in_emu_root ARCH: in a fresh venv of the emulated root, pip installs
# dist's wheel and build/wheelhouse's pytest (no index: nothing else), and
# the data-channel example runs against it, then PY_SUBSET of the Python
# suite, copied there with its conftest.py: `omnirtc` is the venv's, on
# ARCH's Python. The output stays in $tmp/wheel-ARCH.log for pytest_subset.
wheel_in_emu_root() {
	local tests=bindings/python/tests files
	scripts/pytest-wheels.sh || return 1
	mapfile -t files < <(for id in "${PY_SUBSET[@]}"; do echo "$tests/${id%%::*}"; done | sort -u)
	in_emu_root "$1" '
		python3 -m venv venv
		venv/bin/pip install -q --no-index --no-cache-dir --disable-pip-version-check --find-links . ./omnirtc-*.whl pytest
		venv/bin/python -c "import omnirtc, omnirtc._native as n, platform; print(platform.machine(), omnirtc.library_version(), n.__file__)"
		venv/bin/python datachannel.py
		venv/bin/python -m pytest -p no:cacheprovider -v "$@"' "$(dist_file wheel "$1")" build/wheelhouse/*.whl \
		examples/python/datachannel.py "$tests/conftest.py" "${files[@]}" -- "${PY_SUBSET[@]}" >"$tmp/wheel-$1.log" 2>&1
	cat "$tmp/wheel-$1.log"
	grep -x "$1 $(scripts/version.sh) /tmp/omnirtc/venv/lib/python3\.[0-9]*/site-packages/omnirtc/_native\.py" "$tmp/wheel-$1.log" &&
		grep -x "alice got: echo: hello bob" "$tmp/wheel-$1.log"
}

# pytest_subset ARCH: each test of PY_SUBSET passed in wheel_in_emu_root's
# run, and nothing else ran.
pytest_subset() {
	local id
	cat "$tmp/wheel-$1.log"
	for id in "${PY_SUBSET[@]}"; do grep -F "$id PASSED" "$tmp/wheel-$1.log" || return 1; done
	grep -Ex "=+ ${#PY_SUBSET[@]} passed in [0-9.]+s( \([0-9:]+\))? =+" "$tmp/wheel-$1.log"
}

# npm_in_emu_root ARCH: in an empty project of the emulated root, npm installs
# dist's omnirtc and ARCH's platform package from their tarballs, offline,
# and the data-channel example runs against them on ARCH's Node; then
# NODE_SUBSET of the Node suite, its files, helpers.js and
# package-under-test.js copied into the installed omnirtc's test/, where the
# package under test is the one above (no OMNIRTC_NODE_PACKAGE). A
# failed test leaves peers open, which keep Node alive by design, and Node
# 18 has no --test-force-exit: timeout ends the run (it takes some 15 s).
# The output stays in $tmp/npm-ARCH.log for node_subset.
npm_in_emu_root() {
	local tests=bindings/node/test entry files names=()
	mapfile -t files < <(for entry in "${NODE_SUBSET[@]}"; do echo "$tests/${entry%%: *}"; done | sort -u)
	for entry in "${NODE_SUBSET[@]}"; do
		names+=("$(sed 's/[][\\.^$*+?(){}|/]/\\&/g' <<<"${entry#*: }")")
	done
	in_emu_root "$1" '
		mkdir app && cd app && echo "{\"name\": \"app\", \"version\": \"1.0.0\"}" >package.json
		npm install --no-audit --no-fund --offline ../omnirtc-*.tgz
		cp ../datachannel.js .
		node -p "process.arch + \" \" + require(\"omnirtc\").libraryVersion() + \" \" + require.resolve(\"@omnirtc/linux-\" + process.arch + \"-gnu\")"
		node datachannel.js
		mkdir node_modules/omnirtc/test && cp ../helpers.js ../package-under-test.js ../*.test.js node_modules/omnirtc/test/
		cd node_modules/omnirtc/test
		timeout 300 node --test --test-reporter=spec --test-name-pattern="$1" ./*.test.js' "$(dist_file npm-main "$1")" "$(dist_file npm "$1")" \
		examples/node/datachannel.js "$tests/helpers.js" "$tests/package-under-test.js" "${files[@]}" -- "^($(IFS='|' && echo "${names[*]}"))\$" >"$tmp/npm-$1.log" 2>&1
	cat "$tmp/npm-$1.log"
	local cpu
	cpu=$(. scripts/arch.sh "$1" && echo "$NODE_ARCH")
	grep -x "$cpu $(scripts/version.sh) /tmp/omnirtc/app/node_modules/@omnirtc/linux-$cpu-gnu/omnirtc.node" "$tmp/npm-$1.log" &&
		grep -x "alice got: echo: hello bob" "$tmp/npm-$1.log"
}

# node_subset ARCH: each test of NODE_SUBSET passed in npm_in_emu_root's
# run, and no other (the rest are skipped: their names do not match).
node_subset() {
	local entry
	cat "$tmp/npm-$1.log"
	for entry in "${NODE_SUBSET[@]}"; do grep -F "✔ ${entry#*: } (" "$tmp/npm-$1.log" || return 1; done
	grep -x "ℹ pass ${#NODE_SUBSET[@]}" "$tmp/npm-$1.log" && grep -x "ℹ fail 0" "$tmp/npm-$1.log"
}

# c_tests_under_qemu ARCH: C_SUBSET of tests/c, built by zig for ARCH against
# its C archive (scripts/build-c-tests.sh), each case run by scripts/test-c.sh
# under qemu-user in a private network namespace; every entry of C_SUBSET
# ran a case (a renamed file would otherwise drop out unseen).
c_tests_under_qemu() {
	local prefix filter
	prefix=$(unpack_archive "$1") &&
		env -u PKG_CONFIG_PATH PKG_CONFIG_LIBDIR="$prefix/lib/pkgconfig" scripts/build-c-tests.sh "$tmp/c-tests-$1" "$1" || return 1
	env -u LD_LIBRARY_PATH -u OMNIRTC_LIBRARY TEST_RUNNER="$(qemu_for "$1")" \
		scripts/netns-run.sh scripts/test-c.sh "$tmp/c-tests-$1" "${C_SUBSET[@]}" | tee "$tmp/c-tests-$1.log" || return 1
	for filter in "${C_SUBSET[@]}"; do
		grep -qF "ok   $filter" "$tmp/c-tests-$1.log" || { echo "no case of $filter ran"; return 1; }
	done
}

# media_example ARCH: examples/c/play_file.c, built like the data-channel
# example, shared and static, plays a VP8 IVF file (30 fake frames, made by
# the Python examples' test) to a second peer, which gets every frame.
media_example() {
	local prefix
	python3 -c 'import sys; from pathlib import Path; sys.path.insert(0, "examples/python")
from test_examples import fake_vp8_ivf; fake_vp8_ivf(Path(sys.argv[1]))' "$tmp/in.ivf" &&
		prefix=$(unpack_archive "$1") && build_example "$1" "$prefix" "$tmp/play_file-$1" examples/c/play_file.c || return 1
	run_program "$1" "$tmp/play_file-$1-shared" "$tmp/in.ivf" | grep -x "all frames arrived" &&
		run_program "$1" "$tmp/play_file-$1-static" "$tmp/in.ivf" | grep -x "all frames arrived"
}

# The architectures with an emulated root (its cost: the README); the C
# tests run under qemu-user for these too.
EMU_ARCHES=(aarch64)

echo "On ${EMU_ARCHES[*]}, the subsets of the test suites run under emulation:"
printf '  python: %s\n' "${PY_SUBSET[@]}"
printf '  node: %s\n' "${NODE_SUBSET[@]}"
printf '  c: %s\n' "${C_SUBSET[@]}"

# took SINCE WHAT: prints the time WHAT took since SINCE (date +%s).
took() { echo "     ($2: $(($(date +%s) - $1)) s)"; }

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
	took "$start" "$arch archive, examples built and run under qemu"
	check "$arch: that qemu-user check fails with the library cut short or another architecture's" qemu_run_fails_on_a_broken_library "$arch"
	start=$(date +%s)
	check "$arch: play_file.c against its C archive, shared and static, plays a VP8 file to a second peer under qemu-user" media_example "$arch"
	took "$start" "$arch media example built and run under qemu"
	[[ " ${EMU_ARCHES[*]} " == *" $arch "* ]] || continue
	start=$(date +%s)
	check "$arch: in an emulated Debian root, the wheel pip-installed in a fresh venv runs examples/python/datachannel.py over loopback" wheel_in_emu_root "$arch"
	check "$arch: there, with pytest from build/wheelhouse, the Python suite's subset (${#PY_SUBSET[@]} tests) against the installed wheel" pytest_subset "$arch"
	took "$start" "$arch emulated root: root ready, venv, installs, example and Python subset"
	start=$(date +%s)
	check "$arch: in an emulated Debian root, the npm packages installed offline in an empty project run examples/node/datachannel.js over loopback" npm_in_emu_root "$arch"
	check "$arch: there, the Node suite's subset (${#NODE_SUBSET[@]} tests) from the installed omnirtc's test/, node --test" node_subset "$arch"
	took "$start" "$arch emulated root: installs, example and Node subset"
	start=$(date +%s)
	check "$arch: tests/c's subset (${C_SUBSET[*]}) built by zig against its C archive, under qemu-user" c_tests_under_qemu "$arch"
	tail -n 1 "$tmp/c-tests-$arch.log" | sed 's/^/     /'
	took "$start" "$arch C tests built and run under qemu"
done

checks_summary dist-arches
