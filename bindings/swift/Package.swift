// swift-tools-version:6.0
// OmniRTC for Swift: async/await and AsyncStream over the C API in include/omnirtc.h.
//
// Linux: COmniRTC is the system's libomnirtc, found through pkg-config
// (`./build.sh lib` writes build/lib/pkgconfig/omnirtc.pc). Apple platforms:
// OmniRTC.xcframework (./build.sh xcframework) copied beside this file, and
// COmniRTC becomes that binary target (untested: no Mac here).
import Foundation
import PackageDescription

let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
#if os(Linux)
let useXCFramework = false
#else
let useXCFramework = FileManager.default.fileExists(atPath: here.appendingPathComponent("OmniRTC.xcframework").path)
#endif

let package = Package(
    name: "OmniRTC",
    platforms: [.macOS(.v13), .iOS(.v16)],
    products: [
        .library(name: "OmniRTC", targets: ["OmniRTC"]),
    ],
    targets: [
        useXCFramework
            ? .binaryTarget(name: "COmniRTC", path: "OmniRTC.xcframework")
            : .systemLibrary(name: "COmniRTC", pkgConfig: "omnirtc"),
        .target(name: "OmniRTC", dependencies: ["COmniRTC"]),
        .testTarget(name: "OmniRTCTests", dependencies: ["OmniRTC"]),
    ],
    swiftLanguageModes: [.v6]
)
