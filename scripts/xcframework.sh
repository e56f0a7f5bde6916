#!/usr/bin/env bash
# ./build.sh xcframework: OmniRTC for Apple platforms, as an xcframework of
# static libraries (iOS allows no shared Go library: -buildmode=c-archive).
# Needs macOS with Xcode and Go. UNTESTED: the project's machines run Linux,
# where this script refuses; the Linux .so is the tested path.
#
# Slices: macOS (arm64 + x86_64), iOS devices (arm64), iOS simulator
# (arm64 + x86_64). Output: build/OmniRTC.xcframework, also copied to
# bindings/swift/OmniRTC.xcframework, which bindings/swift/Package.swift then
# uses as its COmniRTC binary target instead of the system library.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(uname -s)" != Darwin ] || ! command -v xcrun >/dev/null || ! xcrun --find xcodebuild >/dev/null 2>&1; then
	echo "xcframework: needs macOS with Xcode (xcrun, xcodebuild); this is $(uname -s). Nothing was built." >&2
	echo "On Linux use ./build.sh lib (libomnirtc.so + pkg-config) with bindings/swift." >&2
	exit 2
fi
OUT=build/xcframework
rm -rf "$OUT" build/OmniRTC.xcframework
mkdir -p "$OUT/headers"

# archive SLICE GOOS GOARCH SDK CLANG_TARGET: one static library.
archive() {
	local dir=$OUT/$1/$3
	mkdir -p "$dir"
	echo "==> $1 $3"
	CGO_ENABLED=1 GOOS=$2 GOARCH=$3 \
		CC="$(xcrun --sdk "$4" --find clang) -isysroot $(xcrun --sdk "$4" --show-sdk-path) -target $5" \
		CGO_CFLAGS="-target $5" CGO_LDFLAGS="-target $5" \
		go build -buildmode=c-archive -trimpath -ldflags "-s -w" -o "$dir/libomnirtc.a" ./capi
	rm -f "$dir"/*.h
}
archive macos darwin arm64 macosx arm64-apple-macos11
archive macos darwin amd64 macosx x86_64-apple-macos11
archive ios ios arm64 iphoneos arm64-apple-ios14
archive ios-simulator ios arm64 iphonesimulator arm64-apple-ios14-simulator
archive ios-simulator ios amd64 iphonesimulator x86_64-apple-ios14-simulator

# The module the Swift layer imports; Go's runtime needs these system libraries.
cp include/omnirtc.h "$OUT/headers/"
cat >"$OUT/headers/module.modulemap" <<'MAP'
module COmniRTC {
    header "omnirtc.h"
    link "resolv"
    link framework "CoreFoundation"
    link framework "Security"
    export *
}
MAP

args=()
for slice in macos ios ios-simulator; do
	libs=("$OUT/$slice"/*/libomnirtc.a)
	lipo -create "${libs[@]}" -output "$OUT/$slice/libomnirtc.a"
	args+=(-library "$OUT/$slice/libomnirtc.a" -headers "$OUT/headers")
done
xcodebuild -create-xcframework "${args[@]}" -output build/OmniRTC.xcframework
rm -rf bindings/swift/OmniRTC.xcframework
cp -R build/OmniRTC.xcframework bindings/swift/
echo "built build/OmniRTC.xcframework (and bindings/swift/OmniRTC.xcframework for Package.swift)"
