// swift-tools-version:6.0
// The cross-language event sequence (../README.md) in Swift, on the OmniRTC
// binding by path (the directory is not named swift: that is the binding's
// package identity). Built and run in the Swift root by scripts/test-sequence.sh.
import PackageDescription

let package = Package(
    name: "sequence",
    platforms: [.macOS(.v13)],
    dependencies: [.package(path: "../../../bindings/swift")],
    targets: [
        .executableTarget(name: "sequence", dependencies: [.product(name: "OmniRTC", package: "swift")]),
    ],
    swiftLanguageModes: [.v6]
)
