// swift-tools-version:6.0
// Swift media examples, depending on the binding by path as an application would.
import PackageDescription

let package = Package(
    name: "media",
    platforms: [.macOS(.v13)],
    dependencies: [.package(path: "../../../bindings/swift")],
    targets: [
        .executableTarget(name: "play-file", dependencies: [.product(name: "OmniRTC", package: "swift")]),
        .executableTarget(name: "record-file", dependencies: [.product(name: "OmniRTC", package: "swift")]),
    ],
    swiftLanguageModes: [.v6]
)
