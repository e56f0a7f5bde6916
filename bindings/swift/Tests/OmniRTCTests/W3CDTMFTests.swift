import Foundation
import XCTest

@testable import OmniRTC

/// A connected call: a sends an Opus track to b, fed with numbered 20 ms
/// packets until `feeding` is cancelled; `remote` is b's track.
private struct AudioCall {
    let a: PeerConnection
    let b: PeerConnection
    let sender: RtpSender
    let remote: RemoteTrack
    let feeding: Task<Void, Never>

    static func start() async throws -> AudioCall {
        let a = try PeerConnection(configuration: loopback)
        let b = try PeerConnection(configuration: loopback)
        let track = try LocalTrack(codec: "opus", id: "mic")
        let sender = try a.addTrack(track)
        try await connectMedia(a, b)
        let feeding = Task {
            var i = 0
            while !Task.isCancelled {
                try? track.write(sample: Data(String(format: "opus-%06d", i).utf8), duration: .milliseconds(20))
                i += 1
                try? await Task.sleep(for: .milliseconds(20)) // the audio's pace, not a synchronization
            }
        }
        let remote = try await next(b.tracks)
        return AudioCall(a: a, b: b, sender: sender, remote: remote, feeding: feeding)
    }

    func hangUp() async throws {
        feeding.cancel()
        try await a.close()
        try await b.close()
    }
}

/// The tones of a tone change stream up to the first "" (included).
private func toneChanges(_ stream: AsyncStream<String>, seconds: Double = 30) async throws -> [String] {
    try await within(seconds) {
        var tones: [String] = []
        for await tone in stream {
            tones.append(tone)
            if tone.isEmpty { break }
        }
        return tones
    }
}

/// webrtc-pc 7 (Peer-to-peer DTMF) in Swift: the scenarios of Node's
/// w3c-dtmf.test.js and Python's test_w3c_dtmf.py, and the tones arriving at
/// another of our peers on the remote track's ``RemoteTrack/dtmfTones``.
final class W3CDTMFTests: XCTestCase {
    func testDtmfIsAnAudioSendersOnlyWebrtcPc71() async throws {
        let pc = try PeerConnection(configuration: loopback)
        let audio = try pc.addTransceiver(kind: .audio).sender
        let video = try pc.addTransceiver(kind: .video).sender
        let dtmf = try XCTUnwrap(audio.dtmf)
        XCTAssertEqual(dtmf, audio.dtmf, "the same DTMF sender each time")
        XCTAssertNil(video.dtmf)
        try await pc.close()
    }

    func testInsertDTMFBeforeNegotiationIsInvalidStateWebrtcPc72() async throws {
        let pc = try PeerConnection(configuration: loopback)
        let dtmf = try XCTUnwrap(try pc.addTrack(LocalTrack(codec: "opus")).dtmf)
        XCTAssertFalse(dtmf.canInsertDTMF)
        XCTAssertThrowsError(try dtmf.insertDTMF("1")) {
            guard case .invalidState = $0 as? OmniRTCError else { return XCTFail("\($0)") }
        }
        XCTAssertEqual(dtmf.toneBuffer, "")
        try await pc.close()
        XCTAssertFalse(dtmf.canInsertDTMF, "a closed peer inserts nothing")
    }

    func testInsertDTMFValidatesAndReplacesTheBufferWebrtcPc72() async throws {
        let call = try await AudioCall.start()
        let dtmf = try XCTUnwrap(call.sender.dtmf)
        XCTAssertTrue(dtmf.canInsertDTMF)
        XCTAssertThrowsError(try dtmf.insertDTMF("123X")) {
            guard case .invalidCharacter = $0 as? OmniRTCError else { return XCTFail("\($0)") }
        }
        XCTAssertEqual(dtmf.toneBuffer, "", "an invalid character leaves the buffer unchanged")
        // A lasts 2 s: the replacement below comes while it plays, whatever the machine's load.
        try dtmf.insertDTMF("abcd", duration: .seconds(2), interToneGap: .milliseconds(30))
        // No event loop orders this read before the drain task, which takes
        // events on another thread as they come: A may have started already.
        XCTAssertTrue(["ABCD", "BCD"].contains(dtmf.toneBuffer), "kept upper-case: \(dtmf.toneBuffer)")
        var changes = dtmf.toneChanges.makeAsyncIterator()
        let first = await changes.next()
        XCTAssertEqual(first, "A")
        XCTAssertEqual(dtmf.toneBuffer, "BCD", "a tone leaves the buffer as it starts")
        try dtmf.insertDTMF("1#*,", duration: .milliseconds(40), interToneGap: .milliseconds(30))
        XCTAssertEqual(dtmf.toneBuffer, "1#*,", "replaces what is left after the current tone")
        try await call.hangUp()
    }

    func testToneChangesInOrderEndingWithEmptyToneWebrtcPc73() async throws {
        let call = try await AudioCall.start()
        let dtmf = try XCTUnwrap(call.sender.dtmf)
        try dtmf.insertDTMF("a", duration: .seconds(2), interToneGap: .milliseconds(30))
        var changes = dtmf.toneChanges.makeAsyncIterator()
        let first = await changes.next()
        XCTAssertEqual(first, "A")
        try dtmf.insertDTMF("1#*,9", duration: .milliseconds(40), interToneGap: .milliseconds(30))
        let rest = try await toneChanges(dtmf.toneChanges)
        XCTAssertEqual(rest, ["1", "#", "*", ",", "9", ""], "tonechange per tone, the pause included, then \"\"")
        XCTAssertEqual(dtmf.toneBuffer, "")
        try dtmf.insertDTMF("", duration: .milliseconds(40))
        XCTAssertEqual(dtmf.toneBuffer, "")
        try await call.hangUp()
    }

    func testRemoteReceivesExactlyTheTonesWithTheirDurationsWebrtcPc72Rfc4733() async throws {
        let call = try await AudioCall.start()
        let dtmf = try XCTUnwrap(call.sender.dtmf)
        try dtmf.insertDTMF("1a#", duration: .milliseconds(10), interToneGap: .zero) // clamped to 40 ms and 30 ms
        _ = try await toneChanges(dtmf.toneChanges)
        try dtmf.insertDTMF("*", duration: .milliseconds(250))
        _ = try await toneChanges(dtmf.toneChanges)
        let received = await collect(call.remote.dtmfTones, 4)
        let expected = [("1", 40), ("A", 40), ("#", 40), ("*", 250)].map { DTMFTone(tone: $0, duration: .milliseconds($1)) }
        XCTAssertEqual(received, expected)
        // The audio around them: the Opus packets only, none lost or reordered, no tone as a frame.
        try await call.hangUp()
        var numbers: [Int] = []
        for await frame in call.remote.frames {
            let text = String(decoding: frame.data, as: UTF8.self)
            guard let n = Int(text.dropFirst("opus-".count)), text.hasPrefix("opus-") else { return XCTFail("not audio: \(text)") }
            numbers.append(n)
        }
        var more: [DTMFTone] = []
        for await tone in call.remote.dtmfTones { more.append(tone) }
        XCTAssertEqual(more, [], "each tone once")
        XCTAssertFalse(numbers.isEmpty)
        XCTAssertEqual(numbers, Array(numbers.first!..<numbers.first! + numbers.count))
    }
}
