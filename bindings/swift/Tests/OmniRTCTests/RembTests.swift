import Foundation
import XCTest

@testable import OmniRTC

/// REMB between two Swift peers: the receiver's requestBitrate is the
/// sender's BitrateTarget; errors for what cannot send one.
final class RembTests: XCTestCase {
    /// a sends a video and an audio track to b until the returned task is
    /// cancelled; b's remote tracks by kind.
    private func mediaPair(_ interceptors: [String]) async throws
        -> (PeerConnection, PeerConnection, [MediaKind: RemoteTrack], Task<Void, Error>, [LocalTrack])
    {
        var config = loopback
        config.engine.interceptors = interceptors
        let a = try PeerConnection(configuration: config)
        let b = try PeerConnection(configuration: config)
        let tracks = [try LocalTrack(codec: "vp8", id: "cam"), try LocalTrack(codec: "opus", id: "mic")]
        for track in tracks { try a.addTrack(track) }
        try await connectMedia(a, b)
        let feeding = Task {
            while !Task.isCancelled {
                for track in tracks { try track.write(sample: Data(repeating: 1, count: 300), duration: .milliseconds(20)) }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        var remote: [MediaKind: RemoteTrack] = [:]
        for track in await collect(b.tracks, 2, seconds: 10) { remote[track.kind] = track }
        XCTAssertEqual(remote.count, 2)
        // each comes muted at the description; REMB names its SSRC, known from its first packet
        let unmuted = await eventually(10) { remote.values.allSatisfy { !$0.isMuted } }
        XCTAssertTrue(unmuted)
        return (a, b, remote, feeding, tracks)
    }

    private func close(_ a: PeerConnection, _ b: PeerConnection, _ feeding: Task<Void, Error>, _ tracks: [LocalTrack]) async throws {
        feeding.cancel()
        try await a.close()
        try await b.close()
        for track in tracks { track.close() }
    }

    func testREMBFromTheReceiverIsTheSendersBitrateTarget() async throws {
        let (a, b, remote, feeding, tracks) = try await mediaPair(["nack", "rtcpReports", "remb"])
        XCTAssertTrue(a.localDescription?.sdp.contains(" goog-remb\r\n") ?? false)
        let video = try XCTUnwrap(remote[.video])
        try video.requestBitrate(500_000) // 250000 * 2: exact in REMB's 18-bit mantissa
        let target = try await next(a.targetBitrates, seconds: 10)
        let mid = try XCTUnwrap(a.transceivers.first?.mid)
        XCTAssertEqual(target, BitrateTarget(bitrate: 500_000, source: .remb, ssrcs: [video.ssrc], mids: [mid]))
        try video.requestBitrate(1_234_567) // sent as 154320 * 2^3
        let second = try await next(a.targetBitrates, seconds: 10)
        XCTAssertEqual(second.bitrate, 1_234_560)

        for bad in [0, -1] {
            XCTAssertThrowsError(try video.requestBitrate(bad)) {
                guard case .invalidArgument(let message) = $0 as? OmniRTCError else { return XCTFail("\($0)") }
                XCTAssertTrue(message.contains("positive"), message)
            }
        }
        XCTAssertThrowsError(try XCTUnwrap(remote[.audio]).requestBitrate(64_000)) {
            guard case .invalidState(let message) = $0 as? OmniRTCError else { return XCTFail("\($0)") }
            XCTAssertTrue(message.contains("video"), message)
        }
        try await close(a, b, feeding, tracks)
        XCTAssertThrowsError(try video.requestBitrate(500_000)) {
            guard case .invalidHandle = $0 as? OmniRTCError else { return XCTFail("\($0)") }
        }
    }

    func testWithoutTheREMBInterceptorNothingOffersIt() async throws {
        let (a, b, remote, feeding, tracks) = try await mediaPair(["nack", "rtcpReports"])
        XCTAssertFalse(a.localDescription?.sdp.contains("goog-remb") ?? true)
        XCTAssertThrowsError(try XCTUnwrap(remote[.video]).requestBitrate(500_000)) {
            guard case .invalidState(let message) = $0 as? OmniRTCError else { return XCTFail("\($0)") }
            XCTAssertTrue(message.contains("\"remb\""), message)
        }
        try await close(a, b, feeding, tracks)
    }
}
