import Foundation
import XCTest

@testable import OmniRTC

/// State getters give the library's state when the call that changed it returns.
final class StateTests: XCTestCase {
    func testSignalingStateAndDescriptionsAreCurrentAfterEachStep() async throws {
        let a = try PeerConnection(configuration: loopback)
        let b = try PeerConnection(configuration: loopback)
        let local = try a.createDataChannel(label: "state")
        let transceiver = try a.addTransceiver(kind: .audio, direction: .sendonly)
        XCTAssertNil(transceiver.currentDirection)

        try await a.setLocalDescription(try await a.createOffer())
        XCTAssertEqual(a.signalingState, .haveLocalOffer)
        XCTAssertEqual(a.pendingLocalDescription?.type, .offer)
        XCTAssertNil(a.currentLocalDescription)

        try await b.setRemoteDescription(XCTUnwrap(a.localDescription))
        XCTAssertEqual(b.signalingState, .haveRemoteOffer)
        XCTAssertEqual(b.pendingRemoteDescription?.type, .offer)

        try await b.setLocalDescription(try await b.createAnswer())
        XCTAssertEqual(b.signalingState, .stable)
        XCTAssertEqual(b.currentLocalDescription?.type, .answer)
        XCTAssertNil(b.pendingRemoteDescription)

        try await a.setRemoteDescription(XCTUnwrap(b.localDescription))
        XCTAssertEqual(a.signalingState, .stable)
        XCTAssertEqual(a.currentRemoteDescription?.type, .answer)
        XCTAssertNil(a.pendingLocalDescription)
        XCTAssertEqual(transceiver.currentDirection, .sendonly)

        // The events still come, in the order of the calls.
        let states = try await within {
            var got: [SignalingState] = []
            for await state in a.signalingStates {
                got.append(state)
                if got.count == 2 { break }
            }
            return got
        }
        XCTAssertEqual(states, [.haveLocalOffer, .stable])

        forwardCandidates(a, b)
        let remote = try await next(b.dataChannels)
        try await within { try await local.waitUntilOpen() }
        local.close()
        XCTAssertEqual(local.readyState, .closing)
        try await within { for await state in remote.states where state == .closed { return } }
        XCTAssertEqual(remote.readyState, .closed)
        try await a.close()
        XCTAssertEqual(a.signalingState, .closed)
        XCTAssertEqual(a.connectionState, .closed)
        XCTAssertEqual(a.iceConnectionState, .closed)
        try await b.close()
    }

    func testGlareIsSeenRightAfterSetLocalDescription() async throws {
        // W3C perfect negotiation finds a collision from the signaling state
        // read right after the awaited setLocalDescription.
        let a = try PeerConnection(configuration: loopback)
        let b = try PeerConnection(configuration: loopback)
        _ = try a.createDataChannel(label: "glare")
        _ = try b.createDataChannel(label: "glare")
        async let first: Void = a.setLocalDescription()
        async let second: Void = b.setLocalDescription()
        _ = try await (first, second)
        XCTAssertEqual(a.signalingState, .haveLocalOffer)
        XCTAssertEqual(b.signalingState, .haveLocalOffer)
        try await a.close()
        try await b.close()
    }
}
