// swift-tools-version:6.0
// OmniRTC for Swift, added to an app by this repository's URL:
//   .package(url: "https://github.com/omnirtc/omnirtc", from: "0.3.0")
// The sources are the binding's, bindings/swift (its own Package.swift builds
// and tests them in this repository). COmniRTC, the C library:
// - Apple platforms: the release's prebuilt OmniRTC.xcframework (macOS arm64
//   and x86_64, scripts/xcframework.sh), by url and checksum. A release uploads
//   dist/OmniRTC-<version>.xcframework.zip and sets the checksum
//   (scripts/swiftpm-checksum.sh); until then it is the placeholder below, which
//   the dist suite reports as such.
// - Linux: the system's libomnirtc through pkg-config (./build.sh lib, or the
//   C archive of a release), as bindings/swift does.
import PackageDescription

let version = "0.3.0"

#if os(Linux)
let cOmniRTC: Target = .systemLibrary(name: "COmniRTC", path: "bindings/swift/Sources/COmniRTC", pkgConfig: "omnirtc")
#else
let cOmniRTC: Target = .binaryTarget(
    name: "COmniRTC",
    url: "https://github.com/omnirtc/omnirtc/releases/download/v\(version)/OmniRTC-\(version).xcframework.zip",
    checksum: "0000000000000000000000000000000000000000000000000000000000000000"
)
#endif

let package = Package(
    name: "OmniRTC",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "OmniRTC", targets: ["OmniRTC"]),
    ],
    targets: [
        cOmniRTC,
        .target(name: "OmniRTC", dependencies: ["COmniRTC"], path: "bindings/swift/Sources/OmniRTC"),
    ],
    swiftLanguageModes: [.v6]
)
