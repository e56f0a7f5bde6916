import Foundation
import XCTest

@testable import OmniRTC

/// A peer's drain shares the cooperative pool with the application's tasks.
final class FairnessTests: XCTestCase {
    /// A flood of events already queued in the library does not keep the
    /// drain from giving other tasks a turn (Task.yield) every `PeerSink.turn`
    /// batches of `PeerSink.batch`, as Node's and Python's drains give their
    /// event loop one. The flood waits in b's library behind a gate (a channel
    /// whose window is full), then is let go at once. This checks that the drain
    /// reaches its turns inside a flood; that Task.yield then runs other tasks is
    /// Swift's contract (before Swift 6.2 it requeues on the global executor, so
    /// a one-thread TaskExecutor shared with a ticker could not show it).
    func testAFloodOfEventsGivesOtherTasksTurns() async throws {
        let (a, b, gate, gateRemote) = try await connectedChannel(label: "gate")
        let flood = try a.createDataChannel(label: "flood")
        let floodRemote = try await next(b.dataChannels)
        try await within {
            try await flood.waitUntilOpen()
            try await floodRemote.waitUntilOpen()
        }
        // Four 256 KiB messages on the gate, unread, overfill its 1 MiB window:
        // b's drain waits at the fourth; then the flood queues in the library behind it.
        let piece = Data(count: 256 << 10)
        for _ in 0..<4 { try gate.send(piece) }
        let waiting = await eventually(30) { gateRemote.sink.state.withLock { $0.roomWaiter != nil } }
        XCTAssertTrue(waiting, "b's drain never waited at the gate")
        let count = 12_000 // 12,000 x (16 + 64) bytes: under the library's budget and the flood's window
        let text = String(repeating: "x", count: 16)
        for _ in 0..<count { try flood.send(text) }
        // b's library read every flood message (its stats count them): they
        // wait in its queue, behind the gate.
        let deadline = Date().addingTimeInterval(30)
        while try await received(b, label: "flood") < count {
            guard Date() < deadline else { throw Timeout(seconds: 30) }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        let delivered = { floodRemote.sink.state.withLock { $0.unread } / ChannelSink.cost(text.utf8.count) }
        XCTAssertEqual(delivered(), 0, "the gate let the flood through")

        let before = b.sink.turnsGiven.withLock { $0 }
        var gateMessages = gateRemote.messages.makeAsyncIterator()
        _ = await gateMessages.next() // room at the gate: the drain goes on, into the flood
        let through = await eventually(30) { delivered() == count }
        XCTAssertTrue(through, "the flood never reached the channel")
        // A drain that kept its thread would take the whole flood (47 batches) in one turn.
        let turns = b.sink.turnsGiven.withLock { $0 } - before
        XCTAssertGreaterThanOrEqual(turns, count / (PeerSink.turn * PeerSink.batch), "the drain gave \(turns) turns")
        try await a.close()
        try await b.close()
    }

    /// The messages a channel of `pc` received (W3C RTCDataChannelStats).
    private func received(_ pc: PeerConnection, label: String) async throws -> Int {
        let stats = try await pc.stats().stats(ofType: "data-channel").first { $0["label"] == .string(label) }
        guard case .number(let count) = stats?["messagesReceived"] else { return 0 }
        return Int(count)
    }
}
