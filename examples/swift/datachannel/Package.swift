// swift-tools-version:6.0
// Swift examples, depending on the binding by path as an application would.
// (Its own directory: a package named like the binding's, "swift", would clash.)
import PackageDescription

let package = Package(
    name: "datachannel",
    platforms: [.macOS(.v13)],
    dependencies: [.package(path: "../../../bindings/swift")],
    targets: [
        .executableTarget(name: "datachannel", dependencies: [.product(name: "OmniRTC", package: "swift")]),
        .executableTarget(name: "signaling-peer", dependencies: [.product(name: "OmniRTC", package: "swift")]),
    ],
    swiftLanguageModes: [.v6]
)
