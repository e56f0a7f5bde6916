#!/usr/bin/env bash
# ./build.sh xcframework: OmniRTC for macOS as an xcframework of one static
# library (iOS allows no shared Go library, so Apple gets -buildmode=c-archive
# everywhere), cross-built on Linux by zig (scripts/zig-cc.sh's, targets
# aarch64-macos.11.0 and x86_64-macos.11.0), the two slices joined by
# llvm-lipo; with the header and module map, the privacy manifest
# (capi/apple/PrivacyInfo.xcprivacy), LICENSE and THIRD_PARTY_NOTICES.
# Output: build/xcframework/OmniRTC.xcframework and, zipped with fixed times
# and sorted names (the same bytes every build), dist/OmniRTC-<version>.xcframework.zip,
# the archive a SwiftPM binaryTarget names (Package.swift at the root).
# iOS (device and simulator) is not built: it needs the iPhoneOS SDK of Xcode,
# which zig does not carry.
# Usage: scripts/xcframework.sh   (after ./build.sh lib, for the notices)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/apt-need.sh
. scripts/apt-need.sh && apt_need llvm-14 zip
version=$(scripts/version.sh)
out=build/xcframework
framework=$out/OmniRTC.xcframework
slice=macos-arm64_x86_64
rm -rf "$out" && mkdir -p "$framework/$slice/Headers" dist
zig=$(scripts/zig-cc.sh)
zig=${zig%% -target *}
# Go's c-archive calls `ar`; Apple's linker wants the BSD (darwin) format.
printf '#!/bin/sh\nexec /usr/lib/llvm-14/bin/llvm-ar --format=darwin "$@"\n' >"$out/ar" && chmod +x "$out/ar"

# archive GOARCH ZIG_ARCH: the static library for macOS 11 on GOARCH.
archive() {
	echo "==> macOS $1" >&2
	CGO_ENABLED=1 GOOS=darwin GOARCH=$1 CC="$zig -target $2-macos.11.0" \
		go build -buildmode=c-archive -trimpath -ldflags "-s -w -extar=$PWD/$out/ar" -o "$out/$1/libomnirtc.a" ./capi
}
archive arm64 aarch64
archive amd64 x86_64
/usr/lib/llvm-14/bin/llvm-lipo -create "$out/arm64/libomnirtc.a" "$out/amd64/libomnirtc.a" -output "$framework/$slice/libomnirtc.a"

cp include/omnirtc.h "$framework/$slice/Headers/"
# The module the Swift layer imports; Go's runtime needs these system libraries.
cat >"$framework/$slice/Headers/module.modulemap" <<'MAP'
module COmniRTC {
    header "omnirtc.h"
    link "resolv"
    link framework "CoreFoundation"
    link framework "Security"
    export *
}
MAP
cp capi/apple/PrivacyInfo.xcprivacy "$framework/$slice/"
cp LICENSE build/THIRD_PARTY_NOTICES "$framework/"
cat >"$framework/Info.plist" <<PLIST
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>AvailableLibraries</key>
	<array>
		<dict>
			<key>BinaryPath</key>
			<string>libomnirtc.a</string>
			<key>HeadersPath</key>
			<string>Headers</string>
			<key>LibraryIdentifier</key>
			<string>$slice</string>
			<key>LibraryPath</key>
			<string>libomnirtc.a</string>
			<key>SupportedArchitectures</key>
			<array>
				<string>arm64</string>
				<string>x86_64</string>
			</array>
			<key>SupportedPlatform</key>
			<string>macos</string>
		</dict>
	</array>
	<key>CFBundlePackageType</key>
	<string>XFWK</string>
	<key>XCFrameworkFormatVersion</key>
	<string>1.0</string>
</dict>
</plist>
PLIST

zip=dist/OmniRTC-$version.xcframework.zip
find "$framework" -exec touch -h -d @315576000 {} +
rm -f "$zip"
(cd "$out" && find OmniRTC.xcframework | LC_ALL=C sort | zip -qX -@ "../../$zip")
echo "$zip"
