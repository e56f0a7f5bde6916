#!/usr/bin/env bash
# What `./build.sh dist` ships, checked as a user gets it: the library's glibc
# floor and exports, THIRD_PARTY_NOTICES against the modules compiled in and
# inside every artefact, and the C archive unpacked into a temporary prefix
# and used through pkg-config and CMake; the npm packages installed into an
# empty project, where the Node suite runs against them; the Windows C archive
# (omnirtc.dll) inspected, its examples cross-compiled, one program run under
# wine; the win_amd64 wheel's contents; the win32-x64 npm package and its addon inspected; the macOS xcframework inspected. (The manylinux wheel is installed and
# tested by the Python suite's test_wheel.py.)
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(./build.sh dist 2>&1) || { echo "$out"; echo "dist: 0 passed, 1 failed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=scripts/checks.sh
. scripts/checks.sh

# shellcheck source=scripts/dist-checks.sh
. scripts/dist-checks.sh
# shellcheck source=scripts/apt-need.sh
. scripts/apt-need.sh

# This machine's artefacts, named: dist/ holds every architecture's.
arch=$(uname -m)
version=$(scripts/version.sh)
wheel=$(dist_file wheel "$arch")
tarballs=("$(dist_file npm-main "$arch")" "$(dist_file npm "$arch")")
prefix=$(unpack_archive "$arch")
lib=$prefix/lib/libomnirtc.so.0

# every_arch_in_dist: each architecture's wheel, npm platform package and C
# archive, and the main npm package, are in dist/.
every_arch_in_dist() {
	local a kind missing=0
	for a in x86_64 aarch64 armv7l riscv64; do
		for kind in wheel npm archive; do
			[ -f "$(dist_file "$kind" "$a")" ] || { echo "no $(dist_file "$kind" "$a")"; missing=1; }
		done
	done
	[ -f "${tarballs[0]}" ] || { echo "no ${tarballs[0]}"; missing=1; }
	[ "$missing" = 0 ]
}
check "dist/ holds the wheel, the npm platform package and the C archive of x86_64, aarch64, armv7l and riscv64" every_arch_in_dist
check "the library is an $arch ELF" machine "$arch" "$lib"
check "the library needs glibc 2.17 at most" glibc_at_most 2.17 "$lib"
check "the Node addon needs glibc 2.17 at most" glibc_at_most 2.17 bindings/node/build/omnirtc.node
check "the library exports only omnirtc_* under OMNIRTC_0, SONAME libomnirtc.so.0" exports_only_the_api "$lib"

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
	cmp "$lib" "$tmp/wheel/omnirtc/libomnirtc.so" && cmp "$lib" "$tmp/npm-platform/package/libomnirtc.so.0"
}
check "LICENSE, THIRD_PARTY_NOTICES and the same library in the archive, the wheel and the npm packages" same_licences_everywhere

# Each manylinux wheel as an installer reads it (tests/dist/check_wheel.py).
linux_wheels() {
	local a
	for a in x86_64 aarch64 armv7l riscv64; do
		python3 tests/dist/check_wheel.py "$(dist_file wheel "$a")" "py3-none-$(. scripts/arch.sh "$a" && echo "$WHEEL_PLATFORM")" libomnirtc.so || return 1
	done
}
check "each manylinux wheel: its one tag, platlib, RECORD true, libomnirtc.so and no other library" linux_wheels

check "the C archive in a temporary prefix: examples/c/datachannel.c through pkg-config, shared and static" archive_example "$arch"

with_cmake() {
	cmake -S tests/dist -B "$tmp/cmake" -DCMAKE_PREFIX_PATH="$prefix" -DEXAMPLE="$PWD/examples/c/datachannel.c" \
		-DVERSION="$(scripts/version.sh | cut -d. -f1,2)" >/dev/null &&
		cmake --build "$tmp/cmake" >/dev/null &&
		readelf -d "$tmp/cmake/datachannel" | grep 'NEEDED.*libomnirtc\.so\.0' && run_example "$arch" "$tmp/cmake/datachannel" &&
		! readelf -d "$tmp/cmake/datachannel_static" | grep libomnirtc && run_example "$arch" "$tmp/cmake/datachannel_static"
}
check "the C archive in a temporary prefix: find_package(omnirtc), omnirtc::omnirtc and omnirtc::static" with_cmake

# Windows x86_64: the C SDK zip, unpacked; what can be checked of a DLL on
# Linux, and the smoke test run under wine.
win_zip=dist/omnirtc-$version-windows-x86_64.zip
win=$tmp/omnirtc-$version-windows-x86_64
dll=$win/bin/omnirtc.dll
python3 -m zipfile -e "$win_zip" "$tmp" 2>/dev/null
apt_need gcc-mingw-w64-x86-64 python3-pycparser wine64 >/dev/null 2>&1

# The DLLs a PE file imports, the names it exports, the header's functions: sorted.
dll_imports() { x86_64-w64-mingw32-objdump -p "$1" | sed -n 's/^\tDLL Name: //p' | sort; }
dll_exports() { x86_64-w64-mingw32-objdump -p "$1" | sed -n '/^\[Ordinal\/Name Pointer\] Table/,/^$/s/^\t\[ *[0-9]*\] //p' | sort; }
header_functions() { /usr/bin/python3 scripts/gen-def.py --list | sort; }

windows_archive() {
	local want
	want=$(printf '%s\n' bin/omnirtc.dll include/omnirtc.h lib/libomnirtc.dll.a lib/omnirtc.def lib/omnirtc.lib LICENSE THIRD_PARTY_NOTICES)
	diff <(echo "$want" | sort) <(cd "$win" && find . -type f | sed 's|^\./||' | sort) &&
		x86_64-w64-mingw32-objdump -f "$dll" | grep -E 'file format pei-x86-64$' &&
		cmp include/omnirtc.h "$win/include/omnirtc.h" && cmp LICENSE "$win/LICENSE" &&
		head -n "$(wc -l <"$prefix/THIRD_PARTY_NOTICES")" "$win/THIRD_PARTY_NOTICES" | cmp - "$prefix/THIRD_PARTY_NOTICES" &&
		grep -x '==== mingw-w64 runtime and winpthreads (linked statically) ====' "$win/THIRD_PARTY_NOTICES"
}
check "the Windows C archive in dist/: bin/omnirtc.dll (PE32+ x86-64), include/, lib/ (import libraries, .def), the licences and the Linux notices plus mingw-w64's" windows_archive

# The export table is the header's functions, no more (no ortc_go_*) and no fewer.
windows_exports() {
	[ "$(header_functions | wc -l)" -gt 50 ] || { echo "too few functions in the header's list"; return 1; }
	diff <(header_functions) <(dll_exports "$dll")
}
check "omnirtc.dll exports exactly the functions of include/omnirtc.h" windows_exports

# Both import libraries name each function as __imp_<name> (and nothing else).
windows_import_libraries() {
	local implib
	for implib in "$win/lib/libomnirtc.dll.a" "$win/lib/omnirtc.lib"; do
		diff <(header_functions | sed 's/^/__imp_/') \
			<(x86_64-w64-mingw32-nm "$implib" | awk '$2 == "I" && $3 ~ /^__imp_/ { print $3 }' | sort) || { echo "in $implib"; return 1; }
	done
}
check "libomnirtc.dll.a and omnirtc.lib hold __imp_ of every function of the header, and only those" windows_import_libraries

# Statically linked (libgcc, winpthread): no DLL but Windows' own. Go's
# runtime loads the rest (ws2_32, advapi32, bcryptprimitives...) at run time.
windows_imports() {
	diff <(printf '%s\n' KERNEL32.dll msvcrt.dll) <(dll_imports "$dll")
}
check "omnirtc.dll imports KERNEL32.dll and msvcrt.dll only" windows_imports

# Every C example built against the unpacked zip by mingw-w64, through each
# import library; the programs import omnirtc.dll and Windows' DLLs only.
windows_examples() {
	local src exe lib
	for src in examples/c/*.c tests/dist/windows_smoke.c; do
		for lib in "-L$win/lib -lomnirtc" "$win/lib/omnirtc.lib"; do
			exe=$tmp/win-$(basename "$src" .c).exe
			# shellcheck disable=SC2086 # the library's flags are words
			x86_64-w64-mingw32-gcc -std=c11 -Wall -Wextra -Werror -O2 "-I$win/include" -o "$exe" "$src" $lib -static -lpthread || return 1
			diff <(printf '%s\n' KERNEL32.dll msvcrt.dll omnirtc.dll) <(dll_imports "$exe") || { echo "imports of $exe"; return 1; }
		done
	done
}
check "examples/c/*.c cross-compile with mingw-w64 against the unpacked zip, through libomnirtc.dll.a and omnirtc.lib" windows_examples

# The win_amd64 wheel: the same package with omnirtc.dll, the zip's, in it.
# (Its loader's choice of omnirtc.dll is tested on Linux by the Python
# suite's test_loader.py; no Windows Python runs here, so it is only built.)
windows_wheel() {
	local whl=dist/omnirtc-$version-py3-none-win_amd64.whl
	python3 tests/dist/check_wheel.py "$whl" py3-none-win_amd64 omnirtc.dll || return 1
	mkdir -p "$tmp/win-wheel" && python3 -m zipfile -e "$whl" "$tmp/win-wheel" &&
		cmp "$dll" "$tmp/win-wheel/omnirtc/omnirtc.dll" &&
		cmp "$win/THIRD_PARTY_NOTICES" "$tmp/win-wheel/omnirtc-$version.dist-info/licenses/THIRD_PARTY_NOTICES" &&
		diff <(cd bindings/python && find omnirtc -name '*.py' -o -name py.typed | sort) \
			<(cd "$tmp/win-wheel" && find omnirtc -name '*.py' -o -name py.typed | sort)
}
check "the win_amd64 wheel in dist/: tag py3-none-win_amd64, platlib, RECORD true, the package's files and the zip's omnirtc.dll, with its notices" windows_wheel

# The win32-x64 npm package: the addon, built by mingw-w64 against node.exe's
# N-API (node-api-headers' node_api.def), beside the zip's omnirtc.dll. No
# Windows Node runs here (the CI definition runs it); its loader's choice of
# this package is tested by the Node suite's platform.test.js.
win_npm=$tmp/win-npm/package
mkdir -p "$tmp/win-npm" && tar -C "$tmp/win-npm" -xzf "dist/omnirtc-win32-x64-$version.tgz"
windows_npm_package() {
	diff <(printf '%s\n' LICENSE THIRD_PARTY_NOTICES omnirtc.dll omnirtc.node package.json) <(cd "$win_npm" && find . -type f | sed 's|^\./||' | sort) &&
		cmp "$dll" "$win_npm/omnirtc.dll" && cmp LICENSE "$win_npm/LICENSE" && cmp "$win/THIRD_PARTY_NOTICES" "$win_npm/THIRD_PARTY_NOTICES" &&
		tar -xzOf "${tarballs[0]}" package/package.json | node -e '
const assert = require("node:assert/strict");
const main = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
const platform = require(process.argv[1]);
assert.deepEqual([platform.name, platform.version, platform.main, platform.os, platform.cpu, platform.libc],
  ["@omnirtc/win32-x64", main.version, "omnirtc.node", ["win32"], ["x64"], undefined]);
assert.equal(main.optionalDependencies["@omnirtc/win32-x64"], main.version);
' "$win_npm/package.json"
}
check "the win32-x64 npm package in dist/: omnirtc.node and the zip's omnirtc.dll, the licences, os win32, cpu x64, an optional dependency of omnirtc" windows_npm_package

# A DLL (PE32+), statically linked: no winpthreads or libgcc DLL, only Windows'
# own, omnirtc.dll and node.exe (N-API); it exports the module's entry points.
windows_addon() {
	local addon=$win_npm/omnirtc.node
	x86_64-w64-mingw32-objdump -p "$addon" | grep -E '^Magic[[:space:]]+020b[[:space:]]+\(PE32\+\)$' &&
		x86_64-w64-mingw32-objdump -p "$addon" | sed -n '/^Characteristics/,/^$/p' | grep -x $'\tDLL' &&
		diff <(printf '%s\n' KERNEL32.dll msvcrt.dll NODE.EXE omnirtc.dll | sort) <(dll_imports "$addon") &&
		diff <(printf '%s\n' napi_register_module_v1 node_api_module_get_api_version_v1) <(dll_exports "$addon")
}
check "the win32-x64 addon: a PE32+ DLL importing KERNEL32.dll, msvcrt.dll, omnirtc.dll and NODE.EXE only, exporting napi_register_module_v1 and node_api_module_get_api_version_v1" windows_addon

# wine 8.0 (Debian 12) lacks bcryptprimitives.dll, which Go's runtime
# needs: tests/dist/bcryptprimitives.c stands in for it in the test's prefix.
windows_under_wine() {
	export WINEPREFIX=$tmp/wine WINEDEBUG=-all
	timeout 120 /usr/lib/wine/wine64 wineboot -i >/dev/null 2>&1 || { echo "wineboot failed"; return 1; }
	x86_64-w64-mingw32-gcc -shared -O2 -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" tests/dist/bcryptprimitives.c || return 1
	cp "$dll" "$tmp/"
	# built by the check before; msvcrt writes CRLF
	timeout 120 /usr/lib/wine/wine64 "$tmp/win-windows_smoke.exe" 2>&1 | tr -d '\r' | tee "$tmp/wine.log"
	grep -x "OmniRTC $version" "$tmp/wine.log" && grep -x 'windows smoke ok' "$tmp/wine.log"
}
check "under wine: tests/dist/windows_smoke.c against omnirtc.dll (Go starts, a peer makes an offer, a stale handle is refused)" windows_under_wine

# macOS: the xcframework zip (scripts/xcframework.sh), unpacked; its slice's
# archive inspected by LLVM's tools (nothing of it runs here: no Mac).
xcf_zip=dist/OmniRTC-$version.xcframework.zip
xcf=$tmp/OmniRTC.xcframework
slice=$xcf/macos-arm64_x86_64
python3 -m zipfile -e "$xcf_zip" "$tmp" 2>/dev/null

apple_xcframework() {
	local want
	want=$(printf '%s\n' Info.plist LICENSE THIRD_PARTY_NOTICES macos-arm64_x86_64/libomnirtc.a macos-arm64_x86_64/PrivacyInfo.xcprivacy \
		macos-arm64_x86_64/Headers/omnirtc.h macos-arm64_x86_64/Headers/module.modulemap)
	diff <(echo "$want" | sort) <(cd "$xcf" && find . -type f | sed 's|^\./||' | sort) &&
		cmp include/omnirtc.h "$slice/Headers/omnirtc.h" && cmp LICENSE "$xcf/LICENSE" &&
		python3 -c '
import plistlib, sys
info = plistlib.load(open(sys.argv[1], "rb"))
assert info["CFBundlePackageType"] == "XFWK", info
[lib] = info["AvailableLibraries"]
assert (lib["LibraryIdentifier"], lib["LibraryPath"], lib["HeadersPath"], lib["SupportedPlatform"], sorted(lib["SupportedArchitectures"])) == \
	("macos-arm64_x86_64", "libomnirtc.a", "Headers", "macos", ["arm64", "x86_64"]), lib
' "$xcf/Info.plist"
}
check "the xcframework zip in dist/: Info.plist (one macOS slice, arm64 + x86_64), the archive, headers and module map, the privacy manifest, the licences" apple_xcframework

# Each architecture of the universal archive: every member a Mach-O object of
# that CPU, and the header's functions defined (T), no more omnirtc_* and no fewer.
apple_slices() {
	[ "$(/usr/lib/llvm-14/bin/llvm-lipo -archs "$slice/libomnirtc.a" | tr ' ' '\n' | sort | xargs)" = "arm64 x86_64" ] || { echo "architectures: $(/usr/lib/llvm-14/bin/llvm-lipo -archs "$slice/libomnirtc.a")"; return 1; }
	local arch cpu
	for arch in arm64 x86_64; do
		cpu=$( [ $arch = arm64 ] && echo ARM64 || echo X86_64)
		llvm-objdump --macho --private-header --arch=$arch "$slice/libomnirtc.a" | awk '$1 == "MH_MAGIC_64" { n++; if ($2 != cpu || $5 != "OBJECT") bad++ } END { print n " objects, " bad+0 " not " cpu; exit !(n > 0 && bad == 0) }' cpu="$cpu" || return 1
		diff <(header_functions) <(llvm-nm --arch=$arch --defined-only "$slice/libomnirtc.a" 2>/dev/null | awk '$2 == "T" && $3 ~ /^_omnirtc_/ { print substr($3, 2) }' | sort) || { echo "in the $arch slice"; return 1; }
	done
}
check "the xcframework's archive: arm64 and x86_64 Mach-O objects, each defining exactly the functions of include/omnirtc.h" apple_slices

# Apple's required-reason APIs (its list, for the categories a C library can
# reach; the 64 and $INODE64 names are the same functions): those the archive imports are declared in PrivacyInfo.xcprivacy
# with a reason, and only those.
apple_privacy() {
	local imported declared
	imported=$(llvm-nm --undefined-only "$slice/libomnirtc.a" 2>/dev/null | awk '{ print $NF }' | sort -u | awk '
		/^_(mach_absolute_time)$/ { print "NSPrivacyAccessedAPICategorySystemBootTime" }
		/^_(stat|fstat|fstatat|lstat)(64)?(\$INODE64)?$|^_(getattrlist|getattrlistbulk|fgetattrlist|getattrlistat)$/ { print "NSPrivacyAccessedAPICategoryFileTimestamp" }
		/^_(statfs|fstatfs)(64)?(\$INODE64)?$|^_(statvfs|fstatvfs)$/ { print "NSPrivacyAccessedAPICategoryDiskSpace" }' | sort -u)
	declared=$(python3 -c '
import plistlib, sys
for api in plistlib.load(open(sys.argv[1], "rb"))["NSPrivacyAccessedAPITypes"]:
    assert api["NSPrivacyAccessedAPITypeReasons"], api
    print(api["NSPrivacyAccessedAPIType"])' "$slice/PrivacyInfo.xcprivacy" | sort) || return 1
	echo "imported: $imported"
	[ -n "$imported" ] && [ "$imported" = "$declared" ]
}
check "the xcframework's PrivacyInfo.xcprivacy declares, with a reason, each required-reason API category the archive imports, and only those" apple_privacy

# The notices are the Linux library's: the modules Go compiles in for darwin are the same.
apple_notices() {
	cmp "$prefix/THIRD_PARTY_NOTICES" "$xcf/THIRD_PARTY_NOTICES" &&
		diff <(go list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}} {{.Version}}{{end}}{{end}}' ./capi | sort -u) \
			<(CGO_ENABLED=1 GOOS=darwin GOARCH=arm64 go list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}} {{.Version}}{{end}}{{end}}' ./capi | sort -u)
}
check "the xcframework's THIRD_PARTY_NOTICES are the library's, and darwin compiles in the same modules as linux" apple_notices

# Built again from the Go build cache: the same bytes.
apple_reproducible() {
	local first
	first=$(sha256sum "$xcf_zip" | cut -d' ' -f1)
	scripts/xcframework.sh >/dev/null 2>&1 || return 1
	echo "sha256 $first"
	[ "$(sha256sum "$xcf_zip" | cut -d' ' -f1)" = "$first" ]
}
check "the xcframework zip built twice has the same SHA-256" apple_reproducible

# The root Package.swift's binaryTarget names this version's zip; its checksum
# is either that zip's SHA-256 or, before a release, the all-zero placeholder,
# and the check's output says which. scripts/swiftpm-checksum.sh, which a
# release runs, writes the zip's SHA-256 into a copy.
swiftpm_binary_target() {
	local placeholder sum
	placeholder=$(printf '0%.0s' {1..64}) sum=$(sha256sum "$xcf_zip" | cut -d' ' -f1)
	grep -F 'url: "https://github.com/omnirtc/omnirtc/releases/download/v\(version)/OmniRTC-\(version).xcframework.zip"' Package.swift &&
		grep -x "let version = \"$version\"" Package.swift || return 1
	cp Package.swift "$tmp/Package.swift"
	[ "$(scripts/swiftpm-checksum.sh "$tmp/Package.swift")" = "$sum" ] && grep -q "checksum: \"$sum\"" "$tmp/Package.swift" || return 1
	if grep -q "checksum: \"$placeholder\"" Package.swift; then
		echo "Package.swift: the checksum is the placeholder (a release sets it: scripts/swiftpm-checksum.sh)"
	else
		grep -q "checksum: \"$sum\"" Package.swift || { echo "Package.swift's checksum is neither $sum nor the placeholder"; return 1; }
		echo "Package.swift: the checksum is the zip's, $sum"
	fi
}
check "Package.swift's binaryTarget: this version's zip by url; checksum the zip's SHA-256 or the placeholder (said below); scripts/swiftpm-checksum.sh sets it" swiftpm_binary_target
swiftpm_binary_target 2>&1 | tail -n 1 | sed 's/^/     /'

# The Node suite's own summary line stays in the check's output (shown on a
# failure), with how long the install and the run took; printed after it.
node_installed() {
	local start=$SECONDS
	scripts/node-installed.sh "${tarballs[@]}" "$tmp/node-app" >"$tmp/node-installed.log" 2>&1
	local status=$?
	echo "$(grep -E '^node \(installed\): [0-9]+ passed' "$tmp/node-installed.log" | tail -n 1) in $((SECONDS - start)) s" >"$tmp/node-installed.summary"
	cat "$tmp/node-installed.log"
	return $status
}
check "the npm packages installed from dist/ into an empty project: the Node suite against them (scripts/node-installed.sh)" node_installed
sed 's/^/     /' "$tmp/node-installed.summary"

checks_summary dist
