// swift-tools-version:6.0
// OmniRTC for Swift: async/await and AsyncStream over the C API in include/omnirtc.h.
//
// Linux: the package links the system's libomnirtc, found through pkg-config
// (`./build.sh lib` writes build/lib/pkgconfig/omnirtc.pc). Apple platforms:
// build the xcframework with `./build.sh xcframework` and replace the
// COmniRTC system library below with
//   .binaryTarget(name: "COmniRTC", path: "../../build/OmniRTC.xcframework")
import PackageDescription

let package = Package(
    name: "OmniRTC",
    platforms: [.macOS(.v13), .iOS(.v16)],
    products: [
        .library(name: "OmniRTC", targets: ["OmniRTC"]),
    ],
    targets: [
        .systemLibrary(
            name: "COmniRTC",
            pkgConfig: "omnirtc"
        ),
        .target(name: "OmniRTC", dependencies: ["COmniRTC"]),
        .testTarget(name: "OmniRTCTests", dependencies: ["OmniRTC"]),
    ],
    swiftLanguageModes: [.v6]
)
