import Foundation
import XCTest

@testable import OmniRTC

/// webrtc-pc 4.4.1.5: signalingstatechange fires before setLocalDescription /
/// setRemoteDescription resolve. In Swift: when the async call returns, its
/// signaling-state event is in the events stream already.
final class W3CSignalingTests: XCTestCase {
    /// The signaling states among the events waiting in pc's stream (nobody reads it).
    private func streamedStates(_ pc: PeerConnection) -> [SignalingState] {
        pc.sink.events.waiting.compactMap { if case .signalingState(let s) = $0 { s } else { nil } }
    }

    func testSignalingStateEventIsStreamedWhenTheCallReturnsWebrtcPc4415() async throws {
        for _ in 0..<20 { // the drain runs on its own task: a call that returned early would show
            let a = try PeerConnection(configuration: loopback)
            let b = try PeerConnection(configuration: loopback)
            _ = try a.createDataChannel(label: "x")
            try await a.setLocalDescription(try await a.createOffer())
            XCTAssertEqual(streamedStates(a), [.haveLocalOffer])
            XCTAssertEqual(a.signalingState, .haveLocalOffer)
            try await b.setRemoteDescription(XCTUnwrap(a.localDescription))
            XCTAssertEqual(streamedStates(b), [.haveRemoteOffer])
            try await b.setLocalDescription(try await b.createAnswer())
            XCTAssertEqual(streamedStates(b), [.haveRemoteOffer, .stable])
            try await a.setRemoteDescription(XCTUnwrap(b.localDescription))
            XCTAssertEqual(streamedStates(a), [.haveLocalOffer, .stable])
            try await a.close()
            try await b.close()
        }
    }

    /// A remote offer in have-local-offer rolls back first: stable, then have-remote-offer, both streamed.
    func testImplicitRollbackStatesAreStreamedBeforeTheCallReturnsWebrtcPc4415() async throws {
        let a = try PeerConnection(configuration: loopback)
        let b = try PeerConnection(configuration: loopback)
        _ = try a.createDataChannel(label: "x")
        _ = try b.createDataChannel(label: "y")
        try await a.setLocalDescription(try await a.createOffer())
        try await b.setLocalDescription(try await b.createOffer())
        try await a.setRemoteDescription(XCTUnwrap(b.localDescription))
        XCTAssertEqual(streamedStates(a), [.haveLocalOffer, .stable, .haveRemoteOffer])
        XCTAssertEqual(a.signalingState, .haveRemoteOffer)
        try await a.close()
        try await b.close()
    }

    /// A call that fails changes nothing and streams nothing, and returns.
    func testAFailedDescriptionCallStreamsNothing() async throws {
        let a = try PeerConnection(configuration: loopback)
        do {
            try await a.setRemoteDescription(SessionDescription(type: .answer, sdp: "v=0"))
            XCTFail("an answer in stable was accepted")
        } catch {}
        XCTAssertEqual(streamedStates(a), [])
        XCTAssertEqual(a.signalingState, .stable)
        try await a.close()
    }

    /// A refused remote offer in have-local-offer: its implicit rollback
    /// stays (stable), and its events are streamed when the call throws, as
    /// omnirtc_peer_set_description reports them also for a failed call.
    func testARefusedOfferStreamsItsImplicitRollbackBeforeTheCallThrowsWebrtcPc4415() async throws {
        for _ in 0..<20 { // the drain runs on its own task: a call that threw early would show
            let a = try PeerConnection(configuration: loopback)
            let b = try PeerConnection(configuration: loopback)
            _ = try a.createDataChannel(label: "x")
            _ = try b.createDataChannel(label: "y")
            try await a.setLocalDescription(try await a.createOffer())
            let offer = try await b.createOffer()
            let noCredentials = offer.sdp.split(separator: "\r\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("a=ice-ufrag") && !$0.hasPrefix("a=ice-pwd") }.joined(separator: "\r\n")
            do {
                try await a.setRemoteDescription(SessionDescription(type: .offer, sdp: noCredentials))
                XCTFail("an offer without ICE credentials was accepted")
            } catch {}
            XCTAssertEqual(a.signalingState, .stable)
            XCTAssertEqual(streamedStates(a).first, .haveLocalOffer)
            XCTAssertEqual(streamedStates(a).last, .stable, "the rollback's stable, streamed when the call threw")
            try await a.close()
            try await b.close()
        }
    }
}
