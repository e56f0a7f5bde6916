// swift-tools-version:6.0
// The interop suite's Swift library peer (tests/interop/PROTOCOL.md over
// stdin/stdout), on the OmniRTC binding by path as an application would use it.
// Built and run inside the Swift root of scripts/swift-chroot.sh by
// scripts/test-interop.sh (swift-peer.sh runs it).
import PackageDescription

let package = Package(
    name: "swift-peer",
    platforms: [.macOS(.v13)],
    dependencies: [.package(path: "../../../bindings/swift")],
    targets: [
        .executableTarget(name: "swift-peer", dependencies: [.product(name: "OmniRTC", package: "swift")]),
    ],
    // Swift 5 mode: the protocol's messages are untyped JSON ([String: Any]),
    // which Swift 6's strict sendability checking would not let cross tasks.
    swiftLanguageModes: [.v5]
)
