#!/usr/bin/env bash
# Packs the C SDK: dist/omnirtc-<version>-linux-<arch>.tar.gz with the header,
# the shared and static libraries (glibc 2.17), a relocatable omnirtc.pc, a
# CMake package (find_package(omnirtc): omnirtc::omnirtc, omnirtc::static) and
# the licences. Unpack it anywhere: every path is relative to the archive.
# For windows-x86_64, dist/omnirtc-<version>-windows-x86_64.zip: the header,
# bin/omnirtc.dll, lib/ with its import libraries (libomnirtc.dll.a for
# mingw, omnirtc.lib for MSVC) and omnirtc.def, and the licences.
# Usage: scripts/c-archive.sh [ARCH|windows-x86_64]   (after ./build.sh lib
# and the c-archive build; for another architecture, after ./build.sh
# lib-arches ARCH; for Windows, after build.sh's build_windows)
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(scripts/version.sh)
arch=${1:-$(uname -m)} from=build
if [ "$arch" = windows-x86_64 ]; then
	# shellcheck source=scripts/apt-need.sh
	. scripts/apt-need.sh && apt_need zip
	name=omnirtc-$version-$arch
	stage=build/c-archive/$name
	rm -rf "$stage" && mkdir -p "$stage" dist
	from=build/$arch
	cp -r "$from/include" "$from/bin" "$from/lib" "$from/THIRD_PARTY_NOTICES" LICENSE "$stage/"
	# the same bytes every time: fixed times, sorted names, no extra fields
	find "$stage" -exec touch -h -d @315576000 {} +
	rm -f "dist/$name.zip"
	(cd build/c-archive && find "$name" | LC_ALL=C sort | zip -qX -@ "../../dist/$name.zip")
	echo "dist/$name.zip"
	exit 0
fi
[ "$arch" = "$(uname -m)" ] || from=build/arch/$arch
name=omnirtc-$version-linux-$arch
stage=build/c-archive/$name
rm -rf "$stage" && mkdir -p "$stage/include" "$stage/lib/pkgconfig" "$stage/lib/cmake/omnirtc" dist
cp include/omnirtc.h "$stage/include/"
cp "$from/lib/libomnirtc.so.0" "$from/lib/libomnirtc.a" "$stage/lib/"
ln -s libomnirtc.so.0 "$stage/lib/libomnirtc.so"
# ${pcfiledir} is lib/pkgconfig wherever the archive is unpacked.
sed -e 's|@PREFIX@|${pcfiledir}/../..|' -e "s|@VERSION@|$version|" capi/omnirtc.pc.in >"$stage/lib/pkgconfig/omnirtc.pc"
cp capi/cmake/omnirtcConfig.cmake "$stage/lib/cmake/omnirtc/"
sed "s|@VERSION@|$version|" capi/cmake/omnirtcConfigVersion.cmake.in >"$stage/lib/cmake/omnirtc/omnirtcConfigVersion.cmake"
cp LICENSE "$from/THIRD_PARTY_NOTICES" "$stage/"
tar -C build/c-archive --owner=0 --group=0 --numeric-owner --sort=name --mtime=@0 -cf - "$name" | gzip -n >"dist/$name.tar.gz"
echo "dist/$name.tar.gz"
