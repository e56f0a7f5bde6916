import Foundation
import XCTest

@testable import OmniRTC

/// webrtc-pc 5.2 getCapabilities(), getParameters() / setParameters(), as Node and Python have them.
final class W3CRtpParameterTests: XCTestCase {
    func testCapabilitiesListTheOfferedCodecsWebrtcPc52() throws {
        let audio = try RtpSender.capabilities(kind: .audio)
        XCTAssertTrue(audio.codecs.contains { $0.mimeType == "audio/opus" && $0.clockRate == 48000 && $0.channels == 2 })
        let video = try RtpReceiver.capabilities(kind: .video)
        for mime in ["video/VP8", "video/VP9", "video/H264", "video/AV1"] {
            XCTAssertTrue(video.codecs.contains { $0.mimeType == mime && $0.clockRate == 90000 }, mime)
        }
        XCTAssertEqual(video.codecs.filter { $0.mimeType == "video/rtx" }.count, 1)
        XCTAssertTrue(video.headerExtensions.contains { $0.uri.contains("sdes:mid") })
        XCTAssertEqual(try RtpReceiver.capabilities(kind: .audio), audio)
    }

    func testParametersTransactionAndWhatMayNotChangeWebrtcPc52() async throws {
        let pc = try PeerConnection(configuration: loopback)
        let track = try LocalTrack(codec: "vp8", rids: ["q", "f"])
        let sender = try pc.addTransceiver(
            track: track, sendEncodings: [SendEncoding(rid: "q", maxBitrate: 100_000), SendEncoding(rid: "f")]
        ).sender
        func fails(_ parameters: RtpSendParameters, _ expected: (OmniRTCError) -> Bool, _ what: String) async {
            do {
                try await sender.setParameters(parameters)
                XCTFail("\(what) was accepted")
            } catch let error as OmniRTCError {
                XCTAssertTrue(expected(error), "\(what): \(error)")
            } catch {
                XCTFail("\(what): \(error)")
            }
        }
        func isState(_ e: OmniRTCError) -> Bool { if case .invalidState = e { true } else { false } }
        func isModification(_ e: OmniRTCError) -> Bool { if case .invalidModification = e { true } else { false } }
        func isArgument(_ e: OmniRTCError) -> Bool { if case .invalidArgument = e { true } else { false } }

        await fails(RtpSendParameters(transactionId: "x", encodings: [], codecs: []), isState, "no parameters read")
        var parameters = sender.parameters
        XCTAssertFalse(parameters.transactionId.isEmpty)
        XCTAssertEqual(parameters.encodings.map(\.rid), ["q", "f"])
        XCTAssertEqual(parameters.encodings.map(\.maxBitrate), [100_000, nil])
        let read = parameters
        await Task.detached { // another task may not use them
            do {
                try await sender.setParameters(read)
                XCTFail("parameters read in another task were accepted")
            } catch let error as OmniRTCError {
                XCTAssertTrue(isState(error), "\(error)")
            } catch {
                XCTFail("\(error)")
            }
        }.value
        parameters.transactionId = "other"
        await fails(parameters, isModification, "another transactionId")
        parameters = sender.parameters
        parameters.encodings.removeLast()
        await fails(parameters, isModification, "an encoding removed")
        parameters = sender.parameters
        parameters.encodings[0].rid = "h"
        await fails(parameters, isModification, "an encoding renamed")
        parameters = sender.parameters
        parameters.codecs.append(RtpCodec(mimeType: "video/VP9"))
        await fails(parameters, isModification, "codecs changed")
        for scale in [0.5, 0, -1] { // W3C RangeError
            parameters = sender.parameters
            parameters.encodings[1].scaleResolutionDownBy = scale
            await fails(parameters, isArgument, "scaleResolutionDownBy \(scale)")
        }
        XCTAssertNil(sender.parameters.encodings[1].scaleResolutionDownBy, "nothing changed")
        parameters = sender.parameters
        parameters.encodings[1].maxBitrate = 2_500_000
        parameters.encodings[1].scaleResolutionDownBy = 2
        parameters.encodings[0].active = false
        try await sender.setParameters(parameters)
        await fails(parameters, isState, "the same parameters twice")
        let now = sender.parameters.encodings
        XCTAssertEqual(now.map(\.active), [false, true])
        XCTAssertEqual(now[1].maxBitrate, 2_500_000)
        XCTAssertEqual(now[1].scaleResolutionDownBy, 2)
        try await pc.close()
        track.close()
    }
}
