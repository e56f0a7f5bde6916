import Foundation
import XCTest

@testable import OmniRTC

/// The "jitterBuffer" interceptor from Swift: RTP sent out of order is
/// delivered in order, and inbound-rtp counts it.
final class JitterBufferTests: XCTestCase {
    static let packets = 40

    func withJitterBuffer(_ settings: JitterBufferSettings) -> Configuration {
        var config = loopback
        config.engine.interceptors = ["nack", "rtx", "stats", "jitterBuffer"]
        config.engine.jitterBuffer = settings
        return config
    }

    /// A one-packet VP8 frame numbered seq (marker set, payload type 96).
    func vp8Packet(_ seq: Int) -> Data {
        var packet = Data([0x80, UInt8(0x80 | 96)])
        withUnsafeBytes(of: UInt16(seq).bigEndian) { packet.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(seq * 3000).bigEndian) { packet.append(contentsOf: $0) }
        packet.append(contentsOf: [0, 0, 0, 0, 0x10, UInt8(seq & 0xff)])
        return packet
    }

    func testJitterBufferPutsRtpBackInOrder() async throws {
        let config = withJitterBuffer(JitterBufferSettings(targetDelayMs: 5000, maxPackets: 256))
        XCTAssertTrue(try config.json().contains(#""jitterBuffer":{"maxPackets":256,"targetDelayMs":5000}"#))
        let a = try PeerConnection(configuration: config)
        let b = try PeerConnection(configuration: config)
        b.trackReceive = .rtp
        let track = try LocalTrack(codec: "vp8", mode: .rtp)
        try a.addTransceiver(track: track, direction: .sendonly)
        try await connectMedia(a, b)
        let count = Self.packets
        let receiving = Task { () -> [Int] in
            var tracks = b.tracks.makeAsyncIterator()
            guard let remote = await tracks.next() else { return [] }
            return await collect(remote.rtpPackets, count).map { Int($0.data[2]) << 8 | Int($0.data[3]) }
        }
        // 0, 1, then pairs swapped: 3 2 5 4 … (a buffer starts at the first packet it receives).
        let order = [0, 1] + stride(from: 2, to: Self.packets, by: 2).flatMap { [$0 + 1, $0] }
        for seq in order { try track.write(rtp: vp8Packet(seq)) }
        let got = try await within(20) { await receiving.value }
        XCTAssertEqual(got, Array(0..<Self.packets))
        let report = try await b.stats()
        let inbound = try XCTUnwrap(report.stats(ofType: "inbound-rtp").first)
        XCTAssertEqual(inbound["jitterBufferEmittedCount"], .number(Double(Self.packets)))
        XCTAssertEqual(inbound["packetsDiscarded"], .number(0))
        XCTAssertEqual(inbound["jitterBufferTargetDelay"], .number(5.0 * Double(Self.packets)))
        guard case .number(let delay) = inbound["jitterBufferDelay"] else { return XCTFail("no jitterBufferDelay") }
        XCTAssertTrue(delay >= 0 && delay < 5.0 * Double(Self.packets))
        try await a.close()
        try await b.close()
        track.close()
    }

    func testBadJitterBufferOptionsAreAConfigError() {
        XCTAssertThrowsError(try PeerConnection(configuration: withJitterBuffer(JitterBufferSettings(targetDelayMs: 0)))) {
            guard case .invalidConfig(let message) = $0 as? OmniRTCError else { return XCTFail("\($0)") }
            XCTAssertTrue(message.contains("targetDelayMs"), message)
        }
        var config = loopback
        config.engine.jitterBuffer = JitterBufferSettings(maxPackets: 64)
        XCTAssertThrowsError(try PeerConnection(configuration: config)) {
            guard case .invalidConfig(let message) = $0 as? OmniRTCError else { return XCTFail("\($0)") }
            XCTAssertTrue(message.contains("interceptors"), message)
        }
    }
}
