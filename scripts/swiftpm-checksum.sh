#!/usr/bin/env bash
# For a release: writes the SHA-256 of dist/OmniRTC-<version>.xcframework.zip
# (what `swift package compute-checksum` prints) into the root Package.swift's
# binaryTarget, which until then holds a placeholder (the dist suite says which).
# Usage: scripts/swiftpm-checksum.sh [PACKAGE_SWIFT]   (after ./build.sh dist)
set -euo pipefail
cd "$(dirname "$0")/.."
manifest=${1:-Package.swift}
sum=$(sha256sum "dist/OmniRTC-$(scripts/version.sh).xcframework.zip" | cut -d' ' -f1)
sed -i -E "s/(checksum: \")[0-9a-f]{64}\"/\1$sum\"/" "$manifest"
grep -q "checksum: \"$sum\"" "$manifest"
echo "$sum"
