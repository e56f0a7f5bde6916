import COmniRTC
import Foundation
import XCTest

@testable import OmniRTC

final class DataChannelTests: XCTestCase {
    func testTextAndBinaryOverChannelsWithDifferentOptions() async throws {
        let variants: [(String, DataChannelOptions)] = [
            ("reliable", DataChannelOptions()),
            ("unordered", DataChannelOptions(ordered: false)),
            ("retransmits", DataChannelOptions(ordered: false, maxRetransmits: 3)),
            ("lifetime", DataChannelOptions(maxPacketLifeTime: 500)),
            ("protocol", DataChannelOptions(protocol: "chat/1")),
        ]
        let a = try PeerConnection(configuration: loopback)
        let b = try PeerConnection(configuration: loopback)
        let negotiatedOptions = DataChannelOptions(protocol: "pre-agreed", negotiated: true, id: 40)
        var pairs: [(DataChannel, DataChannel)] = [
            (try a.createDataChannel(label: "negotiated", options: negotiatedOptions),
             try b.createDataChannel(label: "negotiated", options: negotiatedOptions))
        ]
        var local: [String: DataChannel] = [:]
        for (label, options) in variants { local[label] = try a.createDataChannel(label: label, options: options) }
        try await negotiate(a, b)

        // The remote sees every announced channel, with the options it was made with.
        let remote = try await within {
            var byLabel: [String: DataChannel] = [:]
            for await channel in b.dataChannels {
                byLabel[channel.label] = channel
                if byLabel.count == variants.count { break }
            }
            return byLabel
        }
        XCTAssertEqual(remote.count, variants.count)
        for (label, options) in variants {
            let channel = try XCTUnwrap(remote[label], label)
            XCTAssertEqual(channel.ordered, options.ordered, label)
            XCTAssertEqual(channel.maxRetransmits, options.maxRetransmits, label)
            XCTAssertEqual(channel.maxPacketLifeTime, options.maxPacketLifeTime, label)
            XCTAssertEqual(channel.protocol, options.protocol, label)
            XCTAssertFalse(channel.negotiated, label)
            pairs.append((try XCTUnwrap(local[label]), channel))
        }
        XCTAssertTrue(pairs[0].0.negotiated)
        XCTAssertEqual(pairs[0].1.id, 40)

        let bytes = Data([0, 1, 2, 0xfe, 0xff])
        for (mine, theirs) in pairs {
            try await within {
                try await mine.waitUntilOpen()
                try await theirs.waitUntilOpen()
            }
            XCTAssertEqual(mine.readyState, .open)
            XCTAssertEqual(mine.id, theirs.id)
            let text = "héllo \(mine.label) ✓"
            try mine.send(text)
            try mine.send(bytes)
            try theirs.send(bytes + bytes)
            try theirs.send(text.uppercased())
            // Unordered channels may swap two messages: compare as sets.
            let there = try await receive(2, from: theirs).map(\.description)
            let back = try await receive(2, from: mine).map(\.description)
            XCTAssertEqual(Set(there), Set([DataChannelMessage.text(text), .binary(bytes)].map(\.description)), mine.label)
            XCTAssertEqual(Set(back), Set([DataChannelMessage.binary(bytes + bytes), .text(text.uppercased())].map(\.description)), mine.label)
        }
        try await a.close()
        try await b.close()
        XCTAssertEqual(pairs[1].0.readyState, .closed)
    }

    /// The library announces a remote channel open (W3C, browsers): it can
    /// send as it arrives, and its `open` state change still follows.
    func testRemoteChannelArrivesOpen() async throws {
        let a = try PeerConnection(configuration: loopback)
        let b = try PeerConnection(configuration: loopback)
        let local = try a.createDataChannel(label: "chat")
        try await negotiate(a, b)
        let remote = try await next(b.dataChannels)
        XCTAssertEqual(remote.readyState, .open)
        try remote.send("from arrival")
        let state = try await next(remote.states)
        XCTAssertEqual(state, .open)
        let got = try await receive(1, from: local)
        XCTAssertEqual(got, [.text("from arrival")])
        try await a.close()
        try await b.close()
    }

    /// DATA_CHANNEL and CHANNEL_OPEN carry the channel's info (info_json): a
    /// drain that takes them after the library released the channel, whose
    /// handle then answers nothing, still gives it its label and id, as
    /// Python and Node do.
    func testChannelInfoComesWithItsEventsAfterTheHandleIsReleased() throws {
        let sink = PeerSink()
        let released: omnirtc_channel_t = 0xFFFF_FFFF_FFFF_FFFE // never a handle
        func take(_ type: omnirtc_event_type_t, _ info: String) {
            info.withCString { json in
                var e = omnirtc_event_t()
                e.type = code(type)
                e.channel.channel = released
                e.channel.info_json = json
                sink.handle(e)
            }
        }
        let fields = #""label":"late","protocol":"p/1","ordered":false,"maxPacketLifeTime":null,"maxRetransmits":null,"negotiated":false"#
        take(OMNIRTC_EVENT_DATA_CHANNEL, "{\(fields),\"id\":null}")
        let channel = DataChannel(try XCTUnwrap(sink.state.withLock { $0.channels[released] }))
        XCTAssertEqual(channel.label, "late")
        XCTAssertEqual(channel.protocol, "p/1")
        XCTAssertFalse(channel.ordered)
        take(OMNIRTC_EVENT_CHANNEL_OPEN, "{\(fields),\"id\":7}")
        XCTAssertEqual(channel.id, 7)
        XCTAssertEqual(channel.label, "late")
    }

    func testFourMebibytesArriveByteIdentical() async throws {
        let (a, b, sender, receiver) = try await connectedChannel(label: "bulk")
        let size = 4 << 20
        let payload = Data((0..<size).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) })
        let chunk = 64 << 10
        let maxMessageSize = try a.maxMessageSize
        XCTAssertGreaterThanOrEqual(maxMessageSize, UInt64(chunk))
        sender.bufferedAmountLowThreshold = 256 << 10
        XCTAssertEqual(sender.bufferedAmountLowThreshold, 256 << 10)

        let received = Task {
            var data = Data()
            for await message in receiver.messages {
                data.append(message.data)
                if data.count >= size { break }
            }
            return data
        }
        let lowEvents = try await within(120) {
            var lows = sender.bufferedAmountLow.makeAsyncIterator()
            var waited = 0
            for offset in stride(from: 0, to: size, by: chunk) {
                try sender.send(payload.subdata(in: offset..<min(offset + chunk, size)))
                if sender.bufferedAmount > 1 << 20 { // back off until the low-threshold event
                    _ = await lows.next()
                    waited += 1
                }
            }
            return waited
        }
        XCTAssertGreaterThan(lowEvents, 0, "bufferedAmountLow never fired")
        let data = try await within(120) { await received.value }
        XCTAssertEqual(data.count, size)
        XCTAssertTrue(data == payload, "payload differs")
        try await a.close()
        try await b.close()
    }

    /// The "sctp-transport" entry (issue 26) comes typed, with every figure the header names.
    func testSctpTransportStatsAreTyped() async throws {
        let (a, b, sender, receiver) = try await connectedChannel(label: "figures")
        for _ in 0..<20 { try sender.send(Data(count: 1000)) }
        _ = try await receive(20, from: receiver)
        let report = try await a.stats()
        let sctp = try XCTUnwrap(report.sctpTransport, "\(report.stats(ofType: "sctp-transport"))")
        XCTAssertEqual(.string(sctp.transportId), report.stats(ofType: "transport").first?["id"])
        for (name, value) in [
            ("congestionWindow", sctp.congestionWindow), ("receiverWindow", sctp.receiverWindow), ("mtu", sctp.mtu),
            ("slowStartThreshold", sctp.slowStartThreshold), ("localReceiverWindow", sctp.localReceiverWindow),
        ] {
            XCTAssertGreaterThan(value, 0, name)
        }
        XCTAssertGreaterThanOrEqual(sctp.smoothedRoundTripTime, 0)
        try await a.close()
        try await b.close()
    }

    /// W3C send(): OperationError when the data cannot be queued; what was queued before still arrives.
    func testSendPastTheBufferedAmountLimitThrowsAndLosesNothing() async throws {
        let (a, b, sender, receiver) = try await connectedChannel(label: "full")
        let limit = Int(DataChannel.maxBufferedAmount)
        let chunk = 64 << 10
        var sent = 0
        // Nobody reads at the receiver yet: what its library and SCTP window
        // do not take stays queued at the sender.
        var refusal: OmniRTCError?
        while sent < 4 * limit, refusal == nil {
            do {
                try sender.send(Data(repeating: UInt8(truncatingIfNeeded: sent / chunk), count: chunk))
                sent += chunk
            } catch {
                refusal = error
            }
        }
        guard case .operation(let message)? = refusal else {
            return XCTFail("\(sent) bytes queued, then \(String(describing: refusal))")
        }
        XCTAssertTrue(message.contains("bufferedAmount"), message)
        XCTAssertLessThanOrEqual(sender.bufferedAmount, UInt64(limit))
        XCTAssertTrue(sent > limit - chunk && sent < limit + (12 << 20), "\(sent) bytes sent")
        let queued = sent / chunk
        let got = try await within(120) {
            var got: [UInt8] = []
            for await message in receiver.messages {
                got.append(message.data.first ?? 0)
                if got.count == queued { break }
            }
            return got
        }
        XCTAssertEqual(got, (0..<queued).map { UInt8(truncatingIfNeeded: $0) })
        try await a.close()
        try await b.close()
    }

    func testSlowConsumerGetsALargeTransferInOrderInBoundedMemory() async throws {
        // 16 MiB: far more than the library's budget (4 MiB) and this binding's
        // window (1 MiB) hold, so a drain that took every message as it came
        // would keep most of it in the stream.
        let (a, b, sender, receiver) = try await connectedChannel(label: "slow")
        let count = 2048
        let size = 8 << 10
        let sending = Task {
            for i in 0..<count {
                var message = Data(count: size)
                message.replaceSubrange(0..<8, with: withUnsafeBytes(of: UInt64(i).bigEndian) { Data($0) })
                try sender.send(message)
                while sender.bufferedAmount > 1 << 20 { try await Task.sleep(nanoseconds: 1_000_000) }
            }
        }
        // Nobody reads yet: the drain fills the window, then waits for the consumer.
        let waiting = await eventually { receiver.sink.state.withLock { $0.roomWaiter != nil } }
        XCTAssertTrue(waiting, "the drain never waited for the consumer")
        let (order, peak) = try await within(120) {
            var order: [Int] = []
            var peak = 0
            for await message in receiver.messages {
                peak = max(peak, receiver.sink.state.withLock { $0.unread })
                order.append(message.data.prefix(8).reduce(0) { $0 << 8 | Int($1) })
                XCTAssertEqual(message.data.count, size)
                if order.count % 64 == 0 {
                    let queued = try Library.debugCounters().queuedEvents
                    XCTAssertLessThanOrEqual(queued, (4 << 20) / (size + 64) + 16, "the library's queue outgrew its budget")
                    try await Task.sleep(nanoseconds: 2_000_000) // a slow consumer
                }
                if order.count == count { break }
            }
            return (order, peak)
        }
        XCTAssertEqual(order, Array(0..<count))
        XCTAssertLessThanOrEqual(peak, ChannelSink.window, "the binding held more than its window")
        try await within { try await sending.value }
        try await a.close()
        try await b.close()
    }

    func testChannelCloseEndsItsStreamsOnBothSides() async throws {
        let (a, b, local, remote) = try await connectedChannel(label: "closing")
        local.close()
        try await within {
            var localStates: [DataChannelState] = []
            for await state in local.states { localStates.append(state) }
            XCTAssertEqual(localStates.last, .closed)
            for await _ in remote.messages {}
        }
        let remoteClosed = await eventually { remote.readyState == .closed }
        XCTAssertTrue(remoteClosed)
        XCTAssertThrowsError(try local.send("late"))
        try await a.close()
        try await b.close()
    }

    func testPeerEventsStatesAndStats() async throws {
        let a = try PeerConnection(configuration: loopback)
        let b = try PeerConnection(configuration: loopback)
        _ = try a.createDataChannel(label: "x")
        _ = try await next(a.negotiationNeeded)
        try await negotiate(a, b)
        try await within {
            for await state in a.connectionStates where state == .connected { break }
            for await state in b.iceConnectionStates where state == .connected || state == .completed { break }
            for await state in a.gatheringStates where state == .complete { break }
        }
        XCTAssertEqual(a.connectionState, .connected)
        XCTAssertEqual(a.signalingState, .stable)
        XCTAssertEqual(b.signalingState, .stable)
        XCTAssertEqual(a.currentRemoteDescription?.type, .answer)
        XCTAssertNil(a.pendingLocalDescription)

        let stats = try await a.stats()
        XCTAssertFalse(stats.stats(ofType: "candidate-pair").isEmpty)
        XCTAssertFalse(stats.stats(ofType: "peer-connection").isEmpty)

        // An ICE restart asks for negotiation and brings new credentials.
        let before = try XCTUnwrap(a.localDescription).sdp
        try await a.restartIce()
        _ = try await next(a.negotiationNeeded)
        let restarted = try await a.createOffer(iceRestart: true)
        XCTAssertNotEqual(iceUfrag(before), iceUfrag(restarted.sdp))

        try await a.close()
        XCTAssertEqual(a.connectionState, .closed)
        XCTAssertEqual(a.signalingState, .closed)
        try await a.close() // again: nothing to do
        try await b.close()
    }

    private func iceUfrag(_ sdp: String) -> String? {
        sdp.split(whereSeparator: \.isNewline).first { $0.hasPrefix("a=ice-ufrag:") }.map(String.init)
    }
}

extension DataChannelMessage: CustomStringConvertible {
    public var description: String {
        switch self {
        case .text(let s): "text(\(s))"
        case .binary(let d): "binary(\(Array(d)))"
        }
    }
}
