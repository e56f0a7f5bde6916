# Sourced by the suites that check what `./build.sh dist` ships (test-dist.sh
# for this machine's artefacts, test-dist-arches.sh for the others'): where
# each artefact is in dist/, and the checks both make of it, each one a
# command for `check` (scripts/checks.sh). Needs $tmp, the suite's temporary
# directory, and the repository as the working directory.
# shellcheck shell=bash
: "${tmp:?dist-checks.sh needs the temporary directory of the suite in tmp}"

# dist_file KIND ARCH: the path in dist/ of ARCH's wheel, npm platform package
# (npm), main npm package (npm-main, the same for every ARCH) or C archive.
dist_file() {
	(
		# shellcheck source=scripts/arch.sh
		. scripts/arch.sh "$2" || exit 1
		version=$(scripts/version.sh)
		case $1 in
		wheel) echo "dist/omnirtc-$version-py3-none-$WHEEL_PLATFORM.whl" ;;
		npm) echo "dist/omnirtc-linux-$NODE_ARCH-gnu-$version.tgz" ;;
		npm-main) echo "dist/omnirtc-$version.tgz" ;;
		archive) echo "dist/omnirtc-$version-linux-$ARCH.tar.gz" ;;
		esac
	)
}

# machine ARCH FILE: FILE is an ELF for ARCH (armv7l: hard-float).
machine() {
	local want
	case $1 in x86_64) want='Advanced Micro Devices X86-64' ;; aarch64) want=AArch64 ;; armv7l) want=ARM ;; riscv64) want=RISC-V ;; esac
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

# exports_only_the_api LIB: SONAME libomnirtc.so.0, only omnirtc_* exported, under OMNIRTC_0.
exports_only_the_api() {
	readelf -d "$1" | grep 'SONAME.*\[libomnirtc\.so\.0\]' || { echo "no SONAME libomnirtc.so.0"; return 1; }
	local others
	others=$(objdump -T "$1" | awk '$2 == "g" && $4 != "*UND*" && $4 != "*ABS*" { print $NF }' | grep -v '^omnirtc_')
	[ -z "$others" ] || { echo "exported besides omnirtc_*: $others"; return 1; }
	objdump -T "$1" | grep 'OMNIRTC_0 *omnirtc_peer_create$'
}

# unpack_archive ARCH: unpacks ARCH's C archive into $tmp and prints where.
unpack_archive() {
	local archive
	archive=$(dist_file archive "$1")
	tar -C "$tmp" -xzf "$archive" && echo "$tmp/$(basename "$archive" .tar.gz)"
}

# build_example ARCH PREFIX OUT [SOURCE]: SOURCE (examples/c/datachannel.c)
# compiled for ARCH through the pkg-config of the C archive unpacked at
# PREFIX (relocatable: its paths are the prefix's), as OUT-shared and
# OUT-static: by the host's cc on this machine's architecture, by zig's
# (scripts/zig-cc.sh) for another.
build_example() {
	local pc="env -u PKG_CONFIG_PATH PKG_CONFIG_LIBDIR=$2/lib/pkgconfig pkg-config" cc=cc src=${4:-examples/c/datachannel.c}
	[ "$1" = "$(uname -m)" ] || cc=$(scripts/zig-cc.sh "$1")
	$pc --cflags --libs omnirtc | grep -- "-I$2/lib/pkgconfig/../../include" || { $pc --cflags --libs omnirtc; return 1; }
	# shellcheck disable=SC2046,SC2086 # the compiler command and pkg-config's output are words
	$cc -std=c11 -O2 -o "$3-shared" "$src" $($pc --cflags --libs omnirtc) -lpthread &&
		$cc -std=c11 -O2 -o "$3-static" "$src" $($pc --static --cflags omnirtc) \
			"$2/lib/libomnirtc.a" $($pc --static --libs-only-l omnirtc | sed 's/-lomnirtc//') || return 1
	machine "$1" "$3-shared" >/dev/null && machine "$1" "$3-static" >/dev/null &&
		readelf -d "$3-shared" | grep 'NEEDED.*libomnirtc\.so\.0' && ! readelf -d "$3-static" | grep libomnirtc
}

# qemu_for ARCH: the command that runs ARCH's programs on this machine:
# qemu-user with Debian's cross libc as the guest's /lib; nothing for this
# machine's architecture.
qemu_for() {
	# shellcheck disable=SC2016 # arch.sh's names, expanded in the subshell
	[ "$1" = "$(uname -m)" ] || (. scripts/arch.sh "$1" && echo "qemu-$QEMU-static -L /usr/$TRIPLE")
}

# run_program ARCH BINARY [ARGS...]: runs BINARY in a private network
# namespace (loopback only), with no library path but what the build put
# into it; for another architecture under qemu_for's command (given a longer
# time: it is emulated).
run_program() {
	local run=() limit=60
	read -ra run <<<"$(qemu_for "$1")"
	[ ${#run[@]} -eq 0 ] || limit=300
	env -u LD_LIBRARY_PATH -u OMNIRTC_LIBRARY timeout "$limit" scripts/netns-run.sh "${run[@]}" "${@:2}"
}

# run_example ARCH BINARY: the data-channel example connects two peers over loopback.
run_example() {
	run_program "$1" "$2" | grep "checksum ok"
}

# archive_example ARCH: ARCH's C archive unpacked into a temporary prefix;
# the example built through its pkg-config, shared and static, and each run.
archive_example() {
	local prefix
	prefix=$(unpack_archive "$1") && build_example "$1" "$prefix" "$tmp/datachannel-$1" &&
		run_example "$1" "$tmp/datachannel-$1-shared" && run_example "$1" "$tmp/datachannel-$1-static"
}
