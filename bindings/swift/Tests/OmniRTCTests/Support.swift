import Foundation
import XCTest

@testable import OmniRTC

/// Peers that talk over 127.0.0.1 only, without mDNS.
let loopback = Configuration(engine: EngineSettings(mdns: .disabled, includeLoopback: true))

struct Timeout: Error, CustomStringConvertible {
    let seconds: Double
    var description: String { "timed out after \(seconds) s" }
}

/// Runs body, failing with Timeout when it takes longer than `seconds`.
func within<T: Sendable>(_ seconds: Double = 30, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
            throw Timeout(seconds: seconds)
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

/// Sends each side's candidates to the other (until it closes).
func forwardCandidates(_ a: PeerConnection, _ b: PeerConnection) {
    Task { for await c in a.iceCandidates { try? await b.addIceCandidate(c) } }
    Task { for await c in b.iceCandidates { try? await a.addIceCandidate(c) } }
}

/// Offer from a, answer from b, candidates trickled both ways.
func negotiate(_ a: PeerConnection, _ b: PeerConnection) async throws {
    try await a.setLocalDescription(try await a.createOffer())
    try await b.setRemoteDescription(XCTUnwrap(a.localDescription))
    try await b.setLocalDescription(try await b.createAnswer())
    try await a.setRemoteDescription(XCTUnwrap(b.localDescription))
    forwardCandidates(a, b)
}

/// A connected pair with one channel open on both sides.
func connectedChannel(
    label: String = "test", options: DataChannelOptions = DataChannelOptions(), configuration: Configuration = loopback,
    answerer: Configuration = loopback
) async throws -> (PeerConnection, PeerConnection, DataChannel, DataChannel) {
    let a = try PeerConnection(configuration: configuration)
    let b = try PeerConnection(configuration: answerer)
    let local = try a.createDataChannel(label: label, options: options)
    try await negotiate(a, b)
    let remote = try await next(b.dataChannels)
    try await within {
        try await local.waitUntilOpen()
        try await remote.waitUntilOpen()
    }
    return (a, b, local, remote)
}

/// The next element of a stream (failing if it ends or takes over `seconds`).
func next<Element: Sendable>(_ stream: AsyncStream<Element>, seconds: Double = 30) async throws -> Element {
    try await within(seconds) {
        var iterator = stream.makeAsyncIterator()
        let element = await iterator.next()
        return try XCTUnwrap(element, "the stream ended")
    }
}

/// The next `count` messages of a channel.
func receive(_ count: Int, from channel: DataChannel, seconds: Double = 30) async throws -> [DataChannelMessage] {
    try await within(seconds) {
        var got: [DataChannelMessage] = []
        for await message in channel.messages {
            got.append(message)
            if got.count == count { break }
        }
        return got
    }
}

/// The selected candidate pair of `pc` (nominated and succeeded) and the
/// stats report it is in; waits up to `seconds` for ICE to select one.
func selectedPair(_ pc: PeerConnection, seconds: Double = 10) async throws -> (
    pair: [String: JSONValue], report: StatsReport
) {
    let deadline = Date().addingTimeInterval(seconds)
    while true {
        let report = try await pc.stats()
        let selected = report.stats(ofType: "candidate-pair").first {
            $0["nominated"] == .bool(true) && $0["state"] == .string("succeeded")
        }
        if let selected { return (selected, report) }
        guard Date() < deadline else {
            XCTFail("no selected candidate pair in \(report.entries)")
            throw Timeout(seconds: seconds)
        }
        try await Task.sleep(nanoseconds: 50_000_000)
    }
}

/// Polls until `condition` holds or `seconds` pass; returns whether it held.
func eventually(_ seconds: Double = 10, _ condition: () throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        try? await Task.sleep(nanoseconds: 50_000_000)
    }
    return try condition()
}
