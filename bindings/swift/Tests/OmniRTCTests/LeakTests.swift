import Foundation
import XCTest

@testable import OmniRTC

/// Closing releases every library handle and every bridge object.
final class LeakTests: XCTestCase {
    private struct Baseline {
        let counters: DebugCounters
        let sinks: Int

        static func now() throws -> Baseline {
            Baseline(counters: try Library.debugCounters(), sinks: PeerSink.live.withLock { $0 })
        }

        /// Whether everything counted is back at (or below) this baseline.
        func reached() throws -> Bool {
            let now = try Baseline.now()
            return now.counters.handles.peer <= counters.handles.peer
                && now.counters.handles.channel <= counters.handles.channel
                && now.counters.peers <= counters.peers
                && now.counters.sockets <= counters.sockets
                && now.sinks <= sinks
        }
    }

    func testClosingReleasesEveryHandle() async throws {
        let baseline = try Baseline.now()
        for round in 0..<3 {
            let (a, b, local, remote) = try await connectedChannel(label: "round \(round)")
            let extra = try a.createDataChannel(label: "negotiated", options: DataChannelOptions(negotiated: true, id: 9))
            _ = try b.createDataChannel(label: "negotiated", options: DataChannelOptions(negotiated: true, id: 9))
            try await within { try await extra.waitUntilOpen() }
            try local.send("ping")
            _ = try await receive(1, from: remote)
            let during = try Library.debugCounters()
            XCTAssertGreaterThanOrEqual(during.handles.peer, baseline.counters.handles.peer + 2)
            XCTAssertGreaterThanOrEqual(during.handles.channel, baseline.counters.handles.channel + 4)
            remote.close() // one channel closed on its own, the rest with their peers
            try await a.close()
            try await b.close()
        }
        let back = try await eventually { try baseline.reached() }
        let now = try Library.debugCounters()
        XCTAssertTrue(back, "not back to baseline: \(now), sinks \(PeerSink.live.withLock { $0 })")
    }

    func testReleasedPeerConnectionIsClosed() async throws {
        let baseline = try Baseline.now()
        do {
            let pc = try PeerConnection(configuration: loopback)
            _ = try pc.createDataChannel(label: "dropped")
            let during = try Library.debugCounters()
            XCTAssertEqual(during.handles.peer, baseline.counters.handles.peer + 1)
        }
        let back = try await eventually { try baseline.reached() }
        let now = try Library.debugCounters()
        XCTAssertTrue(back, "not back to baseline: \(now)")
    }

    func testFailedCreationReleasesItsSink() throws {
        let sinks = PeerSink.live.withLock { $0 }
        var config = loopback
        config.engine.additional["bogus"] = .number(1)
        XCTAssertThrowsError(try PeerConnection(configuration: config))
        XCTAssertEqual(PeerSink.live.withLock { $0 }, sinks)
    }
}
