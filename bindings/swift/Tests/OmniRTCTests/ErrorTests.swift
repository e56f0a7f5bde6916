import Foundation
import XCTest

@testable import OmniRTC

/// Bad input reaches Swift as OmniRTCError with the library's status and message.
final class ErrorTests: XCTestCase {
    /// The error `body` throws, failing the test when it throws none or another type.
    private func error(_ body: () async throws -> Void, file: StaticString = #filePath, line: UInt = #line) async
        -> OmniRTCError?
    {
        do {
            try await body()
            XCTFail("no error thrown", file: file, line: line)
        } catch let error as OmniRTCError {
            return error
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
        }
        return nil
    }

    func testUnknownConfigurationKeyIsNamed() async throws {
        var config = loopback
        config.engine.additional["noSuchSetting"] = .bool(true)
        let e = await error { _ = try PeerConnection(configuration: config) }
        guard case .invalidConfig(let message)? = e else { return XCTFail("got \(String(describing: e))") }
        XCTAssertTrue(message.contains("noSuchSetting"), message)
        XCTAssertEqual(e?.status, -4)
        XCTAssertTrue(String(describing: e!).hasPrefix("OMNIRTC_ERR_INVALID_CONFIG: "))
    }

    func testBadConfigurationValue() async throws {
        var config = loopback
        config.engine.portRange = .init(min: 50000, max: 40000)
        let e = await error { _ = try PeerConnection(configuration: config) }
        guard case .invalidConfig(let message)? = e else { return XCTFail("got \(String(describing: e))") }
        XCTAssertTrue(message.contains("portRange"), message)
    }

    func testBadSessionDescriptions() async throws {
        let pc = try PeerConnection(configuration: loopback)
        let e = await error { try await pc.setRemoteDescription(SessionDescription(type: .offer, sdp: "not sdp")) }
        guard case .invalidSDP? = e else { return XCTFail("got \(String(describing: e))") }
        XCTAssertEqual(e?.status, -5)
        XCTAssertFalse(e?.message.isEmpty ?? true)
        // An answer needs a remote offer first.
        let answer = await error { _ = try await pc.createAnswer() }
        guard case .invalidState? = answer else { return XCTFail("got \(String(describing: answer))") }
        try await pc.close()
    }

    func testBadCandidates() async throws {
        let a = try PeerConnection(configuration: loopback)
        let b = try PeerConnection(configuration: loopback)
        let early = await error { try await a.addIceCandidate(IceCandidate(candidate: "candidate:1 1 udp 1 127.0.0.1 9 typ host")) }
        guard case .invalidState? = early else { return XCTFail("got \(String(describing: early))") }
        _ = try a.createDataChannel(label: "x")
        try await b.setRemoteDescription(try await a.createOffer())
        let bad = await error { try await b.addIceCandidate(IceCandidate(candidate: "candidate:garbage", sdpMid: "0")) }
        guard case .invalidCandidate? = bad else { return XCTFail("got \(String(describing: bad))") }
        try await a.close()
        try await b.close()
    }

    func testBadChannelOptionsAreNamed() async throws {
        let pc = try PeerConnection(configuration: loopback)
        let both = await error {
            _ = try pc.createDataChannel(label: "x", options: DataChannelOptions(maxPacketLifeTime: 10, maxRetransmits: 1))
        }
        guard case .invalidArgument(let m)? = both else { return XCTFail("got \(String(describing: both))") }
        XCTAssertTrue(m.contains("maxPacketLifeTime") || m.contains("maxRetransmits"), m)
        let noID = await error { _ = try pc.createDataChannel(label: "x", options: DataChannelOptions(negotiated: true)) }
        guard case .invalidArgument(let m2)? = noID else { return XCTFail("got \(String(describing: noID))") }
        XCTAssertTrue(m2.contains("id"), m2)
        let reserved = await error {
            _ = try pc.createDataChannel(label: "x", options: DataChannelOptions(negotiated: true, id: 65535))
        }
        guard case .invalidArgument? = reserved else { return XCTFail("got \(String(describing: reserved))") }
        try await pc.close()
    }

    func testSendBeforeOpenAndTooLarge() async throws {
        let pc = try PeerConnection(configuration: loopback)
        let channel = try pc.createDataChannel(label: "x")
        let notOpen = await error { try channel.send("too early") }
        guard case .invalidState? = notOpen else { return XCTFail("got \(String(describing: notOpen))") }
        try await pc.close()

        let (a, b, sender, _) = try await connectedChannel()
        let max = try a.maxMessageSize
        let tooLarge = await error { try sender.send(Data(count: Int(max) + 1)) }
        guard case .tooLarge? = tooLarge else { return XCTFail("got \(String(describing: tooLarge))") }
        try await a.close()
        try await b.close()
    }

    func testStaleHandlesAfterClose() async throws {
        let pc = try PeerConnection(configuration: loopback)
        let channel = try pc.createDataChannel(label: "x")
        try await pc.close()
        for (name, call) in [
            ("createOffer", { _ = try await pc.createOffer() }),
            ("createDataChannel", { _ = try pc.createDataChannel(label: "late") }),
            ("restartIce", { try await pc.restartIce() }),
            ("stats", { _ = try await pc.stats() }),
            ("send", { try channel.send(Data([1])) }),
        ] as [(String, () async throws -> Void)] {
            let e = await error(call)
            guard case .invalidHandle? = e else { return XCTFail("\(name): got \(String(describing: e))") }
        }
        XCTAssertEqual(channel.readyState, .closed)
        XCTAssertEqual(channel.bufferedAmount, 0)
        XCTAssertNil(pc.localDescription)
        try await pc.close() // closing twice is fine
    }
}
