import Foundation
import XCTest

@testable import OmniRTC

/// WHIP and WHEP through the library's server on loopback: a publish
/// answered by the host's peer connection, an ICE restart, DELETE, trickle,
/// a WHEP viewer's offer, and refusals that leave the peer connection closed.
final class WhipTests: XCTestCase {
    /// Answers every session with a loopback peer connection (or refuses it
    /// with `refuse`) and returns the server's events, in order, as they come.
    func host(_ server: WhipServer, refuse: Int? = nil) -> AsyncStream<WhipServerEvent> {
        let (stream, seen) = AsyncStream<WhipServerEvent>.makeStream()
        Task {
            for await event in server.events {
                if case .session(let id, _, _) = event {
                    if let refuse { try server.reject(id, status: refuse, reason: "not today") } else {
                        try server.answer(id, with: PeerConnection(configuration: loopback))
                    }
                }
                seen.yield(event)
            }
            seen.finish()
        }
        return stream
    }

    func testPublishRestartIceAndDelete() async throws {
        let server = try WhipServer(configuration: WhipServerConfiguration(token: "secret"))
        let events = host(server)
        let pc = try PeerConnection(configuration: loopback)
        _ = try pc.createDataChannel(label: "whip")
        let session = try await WhipSession.publish(to: "\(server.url)/whip", peerConnection: pc, token: "secret")
        XCTAssertTrue(session.resource.hasPrefix("\(server.url)/"), session.resource)
        guard case .session(let id, let path, let sdp) = try await next(events) else {
            return XCTFail("no session event first")
        }
        XCTAssertEqual(path, "/whip")
        XCTAssertTrue(sdp.hasPrefix("v=0"))
        try await within {
            for await state in pc.connectionStates where state == .connected { return }
        }

        try await within { try await session.restartIce() }

        try await session.close() // DELETE
        let ended = try await next(events)
        XCTAssertEqual(ended, .sessionEnded(id: id, reason: "deleted"))
        let closed = await eventually { pc.connectionState == .closed }
        XCTAssertTrue(closed, "the session closed its peer connection")
        try await server.close()
        let after = try await within { await events.first { _ in true } }
        XCTAssertNil(after, "the events end with the server")
    }

    func testTricklePublishOffersBeforeGatheringCompletes() async throws {
        let server = try WhipServer(configuration: WhipServerConfiguration(token: "secret"))
        let events = host(server)
        // A STUN server that never answers (the discard port): gathering cannot complete while the session starts.
        var configuration = loopback
        configuration.iceServers = [IceServer(urls: ["stun:127.0.0.1:9"])]
        let pc = try PeerConnection(configuration: configuration)
        _ = try pc.createDataChannel(label: "whip")
        let session = try await WhipSession.publish(
            to: "\(server.url)/whip", peerConnection: pc, token: "secret", trickle: true)
        guard case .session(_, _, let sdp) = try await next(events) else {
            return XCTFail("no session event first")
        }
        XCTAssertFalse(sdp.contains("a=end-of-candidates"), sdp)
        try await within {
            for await state in pc.connectionStates where state == .connected { return }
        }
        try await session.close()
        try await server.close()
    }

    func testPlayOffersToReceiveAudioAndVideo() async throws {
        let server = try WhipServer()
        let events = host(server)
        let viewer = try PeerConnection(configuration: loopback)
        let session = try await WhipSession.play(from: "\(server.url)/whep/room", peerConnection: viewer)
        guard case .session(_, let path, let sdp) = try await next(events) else {
            return XCTFail("no session event")
        }
        XCTAssertEqual(path, "/whep/room")
        XCTAssertTrue(sdp.contains("m=audio") && sdp.contains("m=video") && sdp.contains("a=recvonly"), sdp)
        XCTAssertEqual(viewer.transceivers.map(\.direction), [.recvonly, .recvonly])
        try await session.close()
        try await server.close()
    }

    func testRefusalsThrowTheStatusAndCloseThePeerConnection() async throws {
        for (token, status) in [("wrong", 401), ("secret", 403)] {
            let server = try WhipServer(configuration: WhipServerConfiguration(token: "secret"))
            _ = host(server, refuse: 403)
            let pc = try PeerConnection(configuration: loopback)
            _ = try pc.createDataChannel(label: "whip")
            do {
                _ = try await WhipSession.publish(to: "\(server.url)/whip", peerConnection: pc, token: token)
                XCTFail("a refused publish returned")
            } catch let error as WhipError {
                XCTAssertEqual(error.status, status)
            }
            let closed = await eventually { pc.connectionState == .closed }
            XCTAssertTrue(closed, "the refused session closed its peer connection")
            try await server.close()
        }
    }

    func testServerMisuse() async throws {
        XCTAssertThrowsError(try WhipServer(json: #"{"tokn":"x"}"#)) { error in
            guard case OmniRTCError.invalidConfig(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("tokn"), message)
        }
        let server = try WhipServer()
        XCTAssertThrowsError(try server.reject(1, status: 302)) { error in
            guard case OmniRTCError.invalidArgument = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try server.answer(7, with: PeerConnection(configuration: loopback))) { error in
            guard case OmniRTCError.invalidState = error else { return XCTFail("\(error)") }
        }
        try await server.close()
        let released = await eventually { WhipSink.live.withLock { $0 } == 0 }
        XCTAssertTrue(released, "every sink released at its CLOSED")
    }
}
