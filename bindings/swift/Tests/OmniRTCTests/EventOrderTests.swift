import Foundation
import XCTest

@testable import OmniRTC

/// The combined `events` streams keep the library's order across kinds, and
/// the per-kind streams are the same events split by kind.
final class EventOrderTests: XCTestCase {
    /// webrtc-pc 6.2 (RTCDataChannel): `open` comes before the messages; a close
    /// from the remote delivers every message sent before it, then `closing`,
    /// then `close`. Only one stream of every kind can show that order.
    func testChannelEventsComeInTheLibrarysOrder() async throws {
        let a = try PeerConnection(configuration: loopback)
        let b = try PeerConnection(configuration: loopback)
        let local = try a.createDataChannel(label: "order")
        let count = 100
        let sender = Task {
            var seen: [DataChannelEvent] = []
            for await event in local.events {
                seen.append(event)
                guard event == .open else { continue }
                for i in 0..<count { try local.send("m\(i)") }
                local.close()
            }
            return seen
        }
        try await negotiate(a, b)
        let remote = try await next(b.dataChannels)
        // Read once it may have opened already: the events wait for their reader.
        let got = try await within {
            var got: [DataChannelEvent] = []
            for await event in remote.events { got.append(event) }
            return got
        }
        XCTAssertEqual(got, [.open] + (0..<count).map { .message(.text("m\($0)")) } + [.closing, .close])
        // The closing side: opened, closed by close() (no closing event there,
        // W3C 6.2 close()), with bufferedAmountLow wherever the sends drained.
        let seen = try await within { try await sender.value }.filter { $0 != .bufferedAmountLow }
        XCTAssertEqual(seen, [.open, .close])
        try await a.close()
        try await b.close()
    }

    /// Two peers connected through their `events` streams alone (as the
    /// cross-language sequence test does): webrtc-pc 4.4.1.6 sets the answerer's
    /// signaling state to have-remote-offer, then stable, before the channel is
    /// announced (6.2); the stream ends when the connection closes.
    func testPeerEventsAloneConnectTwoPeers() async throws {
        let a = try PeerConnection(configuration: loopback)
        let b = try PeerConnection(configuration: loopback)
        _ = try a.createDataChannel(label: "chat")
        try await a.setLocalDescription(try await a.createOffer())
        try await b.setRemoteDescription(XCTUnwrap(a.localDescription))
        try await b.setLocalDescription(try await b.createAnswer())
        try await a.setRemoteDescription(XCTUnwrap(b.localDescription))
        // Read only now: the events wait for their first reader, and a
        // candidate trickled before the other side's remote description
        // would be refused (and lost) by addIceCandidate.
        Task {
            for await event in a.events {
                if case .iceCandidate(let candidate) = event { try? await b.addIceCandidate(candidate) }
            }
        }
        let answerer = Task {
            var seen: [PeerConnectionEvent] = []
            for await event in b.events {
                if case .iceCandidate(let candidate) = event { try? await a.addIceCandidate(candidate) }
                seen.append(event)
            }
            return seen
        }
        let opened = await eventually(30) { b.sink.state.withLock { !$0.channels.isEmpty } }
        XCTAssertTrue(opened, "b never announced the channel")
        try await b.close()
        let seen = try await within { await answerer.value }
        let order = seen.compactMap { event -> String? in
            switch event {
            case .signalingState(let state): "signaling \(state.rawValue)"
            case .dataChannel(let channel): "datachannel \(channel.label)"
            default: nil
            }
        }
        XCTAssertEqual(order, ["signaling have-remote-offer", "signaling stable", "datachannel chat"])
        try await a.close()
    }

    /// Events delivered before anyone reads wait, in order, for the first
    /// reader, whichever way it reads; so does the end.
    func testEventsWaitForTheFirstReaderEitherWay() async throws {
        for combined in [true, false] {
            let streams = ChannelStreams()
            let events = OrderedEvents(streams)
            let sent: [DataChannelEvent] = [.open, .message(.text("one")), .bufferedAmountLow, .closing, .close]
            for event in sent { events.deliver(event) }
            events.end()
            events.deliver(.message(.text("after the end")))
            if combined {
                var got: [DataChannelEvent] = []
                for await event in events.all { got.append(event) }
                XCTAssertEqual(got, sent)
            } else {
                let kinds = events.perKind
                var states: [DataChannelState] = []
                for await state in kinds.states.stream { states.append(state) }
                var messages: [DataChannelMessage] = []
                for await message in kinds.messages.stream { messages.append(message) }
                var lows = 0
                for await _ in kinds.bufferedAmountLow.stream { lows += 1 }
                XCTAssertEqual(states, [.open, .closing, .closed])
                XCTAssertEqual(messages, [.text("one")])
                XCTAssertEqual(lows, 1)
            }
        }
    }
}
