import Foundation
import XCTest

@testable import OmniRTC

/// webrtc-pc 5.4 RTCDtlsTransport, 5.6 RTCIceTransport, 6.1.1
/// RTCSctpTransport and sender/receiver transport (5.2, 5.3), as Node and Python have them.
final class W3CTransportTests: XCTestCase {
    func testSctpIsNilUntilAnAnswerNegotiatedItWebrtcPc611() async throws {
        let a = try PeerConnection(configuration: loopback)
        let b = try PeerConnection(configuration: loopback)
        _ = try a.createDataChannel(label: "x")
        let transceiver = try a.addTransceiver(kind: .audio)
        XCTAssertNil(a.sctp)
        XCTAssertNil(transceiver.sender.transport)
        XCTAssertNil(transceiver.receiver.transport)
        // Descriptions without candidates: ICE never starts, every state stays at its first.
        let offer = try await a.createOffer()
        try await a.setLocalDescription(offer)
        XCTAssertNil(a.sctp, "an offer alone negotiates nothing")
        try await b.setRemoteDescription(offer)
        let answer = try await b.createAnswer()
        try await b.setLocalDescription(answer)
        try await a.setRemoteDescription(answer)
        for pc in [a, b] {
            let sctp = try XCTUnwrap(pc.sctp)
            XCTAssertTrue(pc.sctp === sctp, "the same object every time")
            XCTAssertEqual(sctp.state, .connecting)
            XCTAssertNil(sctp.maxChannels, "nil until connected")
            XCTAssertEqual(sctp.maxMessageSize, 65536)
            XCTAssertEqual(sctp.transport.state, .new)
            XCTAssertEqual(sctp.transport.remoteCertificates, [])
            XCTAssertEqual(sctp.transport.iceTransport.state, .new)
            XCTAssertEqual(sctp.transport.iceTransport.component, "rtp")
            XCTAssertNil(sctp.transport.iceTransport.selectedCandidatePair)
        }
        XCTAssertTrue(transceiver.sender.transport === a.sctp?.transport, "bundle: one DTLS transport")
        XCTAssertTrue(transceiver.receiver.transport === a.sctp?.transport)
        try await a.close()
        try await b.close()
        XCTAssertEqual(a.sctp?.state, .closed, "after close, closed")
        XCTAssertEqual(a.sctp?.transport.state, .closed)
        XCTAssertEqual(a.sctp?.transport.iceTransport.state, .closed)
    }

    func testTransportStatesAndEventsOverAConnectWebrtcPc545661() async throws {
        let a = try PeerConnection(configuration: loopback)
        let b = try PeerConnection(configuration: loopback)
        let events = a.events
        _ = try a.createDataChannel(label: "x")
        try await a.setLocalDescription(try await a.createOffer())
        try await b.setRemoteDescription(XCTUnwrap(a.localDescription))
        // From here on b takes candidates (the streams kept a's from the start): a's events until
        // SCTP is connected and gathering ended, its candidates given to b on the way.
        let collected = Task { () -> [PeerConnectionEvent] in
            var seen: [PeerConnectionEvent] = []
            var (gathered, connected) = (false, false)
            for await event in events {
                seen.append(event)
                switch event {
                case .iceCandidate(let c) where c.isEndOfCandidates: gathered = true
                case .iceCandidate(let c): try? await b.addIceCandidate(c)
                case .sctpTransportState(.connected): connected = true
                default: break
                }
                if gathered && connected { break }
            }
            return seen
        }
        try await b.setLocalDescription(try await b.createAnswer())
        try await a.setRemoteDescription(XCTUnwrap(b.localDescription))
        Task { for await c in b.iceCandidates { try? await a.addIceCandidate(c) } }
        let seen = try await within { await collected.value }
        let sent = seen.compactMap { if case .iceCandidate(let c) = $0, !c.isEndOfCandidates { c } else { nil } }
        let dtls = seen.compactMap { if case .dtlsTransportState(let s) = $0 { s } else { nil } }
        XCTAssertEqual(dtls, [.connecting, .connected])
        XCTAssertTrue(seen.contains { if case .selectedCandidatePair = $0 { true } else { false } })
        let sctp = try XCTUnwrap(a.sctp)
        XCTAssertEqual(sctp.state, .connected)
        XCTAssertEqual(sctp.maxChannels, 65535)
        XCTAssertEqual(sctp.transport.state, .connected)
        XCTAssertEqual(sctp.transport.remoteCertificates.count, 1)
        let ice = sctp.transport.iceTransport
        XCTAssertEqual(ice.role, .controlling)
        XCTAssertEqual(b.sctp?.transport.iceTransport.role, .controlled)
        let pair = try XCTUnwrap(ice.selectedCandidatePair)
        XCTAssertTrue(pair.local.candidate.hasPrefix("candidate:"))
        // 5.6 getLocalCandidates(): those sent; b's getRemoteCandidates(): those it was given.
        XCTAssertEqual(ice.localCandidates.map(\.candidate), sent.map(\.candidate))
        // b's: in a's offer (as gathered so far) or added, each once
        let remote = try XCTUnwrap(b.sctp).transport.iceTransport.remoteCandidates.map(\.candidate)
        XCTAssertEqual(remote.sorted(), sent.map(\.candidate).sorted())
        // or peer-reflexive: learnt from a check before its candidate arrived (RFC 8445 7.3.1.3),
        // which getRemoteCandidates() leaves out
        XCTAssertTrue(
            ice.remoteCandidates.contains { $0.candidate == pair.remote.candidate }
                || pair.remote.candidate.contains(" typ prflx"),
            "the pair's remote is one given or peer-reflexive: \(pair.remote.candidate)")
        try await a.close()
        try await b.close()
        XCTAssertEqual(ice.localCandidates.map(\.candidate), sent.map(\.candidate), "after close, the last ones")
    }
}
