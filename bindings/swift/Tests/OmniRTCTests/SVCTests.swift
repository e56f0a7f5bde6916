import Foundation
import XCTest

@testable import OmniRTC

/// SVC from Swift (W3C webrtc-svc), as Node and Python have it: scalabilityMode in sendEncodings and parameters,
/// scalabilityModes in capabilities, and each received RTP packet's spatial and temporal layer.
final class SVCTests: XCTestCase {
    static let temporal = [0, 2, 1, 2] // L3T3's pattern of temporal layers
    static let spatial = 3

    /// One VP9 layer frame in one packet, numbered seq: a non-flexible descriptor (I L B E; P after the first
    /// picture; D above spatial layer 0).
    func vp9Packet(_ seq: Int, picture: Int, spatial: Int, temporal: Int) -> Data {
        var packet = Data([0x80, 98])
        withUnsafeBytes(of: UInt16(seq).bigEndian) { packet.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(picture * 3000).bigEndian) { packet.append(contentsOf: $0) }
        packet.append(contentsOf: [0, 0, 0, 0])
        let layer = temporal << 5 | spatial << 1 | (spatial > 0 ? 1 : 0)
        packet.append(contentsOf: [UInt8(0xac | (picture > 0 ? 0x40 : 0)), UInt8(picture), UInt8(layer), 0, 0x82])
        return packet
    }

    func testReceivedVP9PacketsCarryTheirLayers() async throws {
        let a = try PeerConnection(configuration: loopback)
        let b = try PeerConnection(configuration: loopback)
        b.trackReceive = .rtp
        let track = try LocalTrack(codec: "vp9", mode: .rtp)
        try a.addTransceiver(track: track, direction: .sendonly, sendEncodings: [SendEncoding(scalabilityMode: "L3T3")])
        try await connectMedia(a, b)
        let count = Self.temporal.count * Self.spatial
        let receiving = Task { () -> [RTPPacket] in
            var tracks = b.tracks.makeAsyncIterator()
            guard let remote = await tracks.next() else { return [] }
            return await collect(remote.rtpPackets, count)
        }
        var want: [Int: [Int?]] = [:]
        var seq = 1
        for (picture, temporal) in Self.temporal.enumerated() {
            for spatial in 0..<Self.spatial {
                try track.write(rtp: vp9Packet(seq, picture: picture, spatial: spatial, temporal: temporal))
                want[seq] = [spatial, temporal, seq == 1 ? 1 : 0, picture == 0 ? 1 : 0]
                seq += 1
            }
        }
        let packets = try await within(20) { await receiving.value }
        var got: [Int: [Int?]] = [:]
        for p in packets {
            got[Int(p.data[2]) << 8 | Int(p.data[3])] = [
                p.spatialID, p.temporalID, p.keyframe.map { $0 ? 1 : 0 }, p.switchPoint.map { $0 ? 1 : 0 },
            ]
        }
        XCTAssertEqual(got, want)
        try await a.close()
        try await b.close()
        track.close()
    }

    func testScalabilityModeIsKeptAndCheckedAgainstTheCodec() async throws {
        func isOperation(_ e: OmniRTCError) -> Bool { if case .operation = e { true } else { false } }
        let pc = try PeerConnection(configuration: loopback)
        XCTAssertThrowsError(
            try pc.addTransceiver(track: try LocalTrack(codec: "vp8"), sendEncodings: [SendEncoding(scalabilityMode: "L3T3_KEY")])
        ) { error in
            XCTAssertTrue("\(error)".contains("L3T3_KEY") && ((error as? OmniRTCError).map(isOperation) ?? false), "\(error)")
        }
        let sender = try pc.addTransceiver(
            track: try LocalTrack(codec: "vp9"), sendEncodings: [SendEncoding(scalabilityMode: "L3T3_KEY")]
        ).sender
        var parameters = sender.parameters
        XCTAssertEqual(parameters.encodings.map(\.scalabilityMode), ["L3T3_KEY"])
        parameters.encodings[0].scalabilityMode = "L2T2"
        try await sender.setParameters(parameters)
        XCTAssertEqual(sender.parameters.encodings.map(\.scalabilityMode), ["L2T2"])
        parameters = sender.parameters
        parameters.encodings[0].scalabilityMode = "L9T9"
        do {
            try await sender.setParameters(parameters)
            XCTFail("L9T9 was accepted")
        } catch let error as OmniRTCError {
            XCTAssertTrue(isOperation(error), "\(error)")
        } catch {
            XCTFail("\(error)")
        }
        try await pc.close()
    }

    func testCapabilitiesListScalabilityModes() throws {
        let video = try RtpSender.capabilities(kind: .video)
        for mime in ["video/VP9", "video/AV1"] {
            XCTAssertTrue(video.codecs.contains { $0.mimeType == mime && $0.scalabilityModes.contains("L3T3_KEY") }, mime)
        }
        XCTAssertEqual(video.codecs.first { $0.mimeType == "video/VP8" }?.scalabilityModes, ["L1T1", "L1T2", "L1T3"])
        XCTAssertTrue(try RtpSender.capabilities(kind: .audio).codecs.allSatisfy { $0.scalabilityModes.isEmpty })
    }
}
