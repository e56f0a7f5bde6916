import Foundation
import XCTest

@testable import OmniRTC

/// Remote candidates in the remote description (W3C webrtc-pc 4.4.1.6
/// addIceCandidate, JSEP 5.8), prohibited TCP candidates (4.4.1.6, the Fetch
/// bad ports), descriptions without media sections (JSEP 5.8) and data channel
/// ids by the DTLS role (webrtc-pc 6.2, RFC 8832 6): the scenarios of
/// bindings/node/test/w3c-candidates.test.js.
final class W3CCandidateTests: XCTestCase {
    private let host = "candidate:1 1 udp 2113937151 192.0.2.1 5000 typ host"

    /// How many times `line` is in each media section of sdp.
    private func counts(_ sdp: String?, _ line: String) -> [Int] {
        (sdp ?? "").components(separatedBy: "\r\nm=").dropFirst().map { section in
            section.components(separatedBy: "\r\n").filter { $0 == line }.count
        }
    }

    /// A peer holding the remote offer of an audio and a data section (mids "0", "1"), and the offerer.
    private func offered() async throws -> (PeerConnection, PeerConnection) {
        let offerer = try PeerConnection(configuration: loopback)
        _ = try offerer.addTransceiver(kind: .audio)
        _ = try offerer.createDataChannel(label: "data")
        let pc = try PeerConnection(configuration: loopback)
        try await pc.setRemoteDescription(try await offerer.createOffer())
        return (pc, offerer)
    }

    private func refusal(_ body: () async throws -> Void) async -> OmniRTCError? {
        do {
            try await body()
        } catch let error as OmniRTCError {
            return error
        } catch {
            XCTFail("unexpected error \(error)")
        }
        return nil
    }

    func testCandidatesGoToTheSectionOfTheirMidOrIndex() async throws {
        let (pc, offerer) = try await offered()
        try await pc.addIceCandidate(IceCandidate(candidate: host, sdpMid: "1"))
        XCTAssertEqual(counts(pc.remoteDescription?.sdp, "a=" + host), [0, 1])
        try await pc.addIceCandidate(IceCandidate(candidate: "", sdpMLineIndex: 0))
        XCTAssertEqual(counts(pc.pendingRemoteDescription?.sdp, "a=end-of-candidates"), [1, 0])
        try await pc.addIceCandidate(.endOfCandidates)
        XCTAssertEqual(counts(pc.remoteDescription?.sdp, "a=end-of-candidates"), [1, 1])
        try await pc.setLocalDescription(try await pc.createAnswer())
        XCTAssertEqual(counts(pc.currentRemoteDescription?.sdp, "a=" + host), [0, 1])
        try await pc.close()
        try await offerer.close()
    }

    func testUnknownMidOrIndexIsRefused() async throws {
        let (pc, offerer) = try await offered()
        let unknownMid = await refusal { try await pc.addIceCandidate(IceCandidate(candidate: self.host, sdpMid: "nope")) }
        guard case .invalidCandidate = unknownMid else { return XCTFail("\(String(describing: unknownMid))") }
        let unknownIndex = await refusal { try await pc.addIceCandidate(IceCandidate(candidate: self.host, sdpMLineIndex: 2)) }
        guard case .invalidCandidate = unknownIndex else { return XCTFail("\(String(describing: unknownIndex))") }
        let neither = await refusal { try await pc.addIceCandidate(IceCandidate(candidate: self.host)) }
        guard case .invalidArgument = neither else { return XCTFail("\(String(describing: neither))") }
        XCTAssertFalse(try XCTUnwrap(pc.remoteDescription).sdp.contains("192.0.2.1"))
        try await pc.close()
        try await offerer.close()
    }

    func testTcpCandidatesAtBadPortsAreNeverUsed() async throws {
        let (pc, offerer) = try await offered()
        let tcp = { (port: Int) in "candidate:\(port) 1 tcp 2105524479 127.0.0.1 \(port) typ host tcptype passive" }
        for port in [2049, 5060, 6697] { try await pc.addIceCandidate(IceCandidate(candidate: tcp(port), sdpMid: "0")) }
        try await pc.addIceCandidate(IceCandidate(candidate: tcp(8001), sdpMid: "0"))
        XCTAssertEqual(counts(pc.remoteDescription?.sdp, "a=" + tcp(2049)), [1, 0])
        // The ICE agent takes candidates in order: once it has the last one, it would have the others.
        var remote: [String] = []
        let deadline = Date().addingTimeInterval(20)
        while remote.isEmpty && Date() < deadline {
            remote = try await pc.stats().stats(ofType: "remote-candidate").map {
                "\($0["protocol"]?.string ?? "") \(Int($0["port"]?.number ?? 0))"
            }
        }
        XCTAssertEqual(remote, ["tcp 8001"])
        try await pc.close()
        try await offerer.close()
    }

    func testOfferWithoutMediaSectionsIsAnswered() async throws {
        let sdp = "v=0\r\no=- 166855176514521964 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=msid-semantic:WMS *\r\n"
        let pc = try PeerConnection(configuration: loopback)
        try await pc.setRemoteDescription(SessionDescription(type: .offer, sdp: sdp))
        XCTAssertEqual(pc.signalingState, .haveRemoteOffer)
        let answer = try await pc.createAnswer()
        XCTAssertFalse(answer.sdp.contains("\r\nm="))
        try await pc.setLocalDescription(answer)
        XCTAssertEqual(pc.signalingState, .stable)
        try await pc.close()
    }

    func testChannelIdsFollowTheDtlsRoleOnceAnAnswerSetsIt() async throws {
        let a = try PeerConnection(configuration: loopback)
        let b = try PeerConnection(configuration: loopback)
        let ofA = try a.createDataChannel(label: "a1")
        let ofB = try b.createDataChannel(label: "b1")
        XCTAssertNil(ofA.id)
        XCTAssertNil(ofB.id)
        try await a.setLocalDescription(try await a.createOffer())
        try await b.setRemoteDescription(XCTUnwrap(a.localDescription))
        XCTAssertNil(ofB.id)
        try await b.setLocalDescription(try await b.createAnswer())
        let answer = try XCTUnwrap(b.localDescription).sdp
        let answererParity: UInt16 = answer.contains("a=setup:active") ? 0 : 1 // active: the DTLS client
        XCTAssertEqual(try XCTUnwrap(ofB.id) % 2, answererParity)
        XCTAssertNil(ofA.id)
        try await a.setRemoteDescription(XCTUnwrap(b.localDescription))
        XCTAssertEqual(try XCTUnwrap(ofA.id) % 2, 1 - answererParity)
        let late = try a.createDataChannel(label: "late")
        XCTAssertEqual(try XCTUnwrap(late.id) % 2, 1 - answererParity)
        XCTAssertNotEqual(late.id, ofA.id)
        try await a.close()
        try await b.close()
    }
}
