import Foundation
import XCTest

@testable import OmniRTC

/// The test media scripts/test-swift.sh made with ffmpeg (vp8.ivf, opus.ogg).
func testMedia(_ name: String) throws -> String {
    let dir = try XCTUnwrap(ProcessInfo.processInfo.environment["OMNIRTC_SWIFT_MEDIA"], "OMNIRTC_SWIFT_MEDIA is not set")
    return dir + "/" + name
}

/// Negotiates and waits until both peers are connected.
func connectMedia(_ a: PeerConnection, _ b: PeerConnection) async throws {
    try await negotiate(a, b)
    let connected = await eventually(20) { a.connectionState == .connected && b.connectionState == .connected }
    XCTAssertTrue(connected, "not connected: \(a.connectionState) \(b.connectionState)")
}

/// Sends a file's frames at real-time pace, the last one again so the jitter buffer releases it.
func play(_ frames: [MediaFrame], on track: LocalTrack) async throws {
    for frame in frames + frames.suffix(1) {
        try track.write(sample: frame.data, duration: frame.duration)
        try await Task.sleep(for: frame.duration)
    }
}

/// The first `count` items of a stream (fewer if it ends or `seconds` pass).
func collect<Element: Sendable>(_ stream: AsyncStream<Element>, _ count: Int, seconds: Double = 30) async -> [Element] {
    let got = Locked<[Element]>([])
    _ = try? await within(seconds) {
        for await item in stream {
            let n = got.withLock { g in
                g.append(item)
                return g.count
            }
            if n >= count { break }
        }
    }
    return got.withLock { $0 }
}

final class MediaTests: XCTestCase {
    func testMediaReaderReadsTheGeneratedFiles() throws {
        let ivf = try MediaReader(path: try testMedia("vp8.ivf"))
        XCTAssertEqual(ivf.info.format, "ivf")
        XCTAssertEqual(ivf.info.codec.lowercased(), "video/vp8")
        XCTAssertEqual(ivf.info.width, 320)
        let frames = Array(ivf)
        XCTAssertEqual(frames.count, 60)
        XCTAssertTrue(frames[0].keyframe)
        XCTAssertEqual(frames[0].duration, .microseconds(33_333))
        XCTAssertNil(try ivf.next())
        ivf.close()
        XCTAssertThrowsError(try ivf.next()) { XCTAssertEqual(($0 as? OmniRTCError)?.status, -2) }

        let ogg = try MediaReader(path: try testMedia("opus.ogg"))
        XCTAssertEqual(ogg.info.codec.lowercased(), "audio/opus")
        XCTAssertGreaterThanOrEqual(Array(ogg).count, 99)
    }

    /// Sends `file` from a to b as samples; b's frames must be the file's.
    private func sendFile(_ file: String) async throws {
        let a = try PeerConnection(configuration: loopback)
        let b = try PeerConnection(configuration: loopback)
        let reader = try MediaReader(path: try testMedia(file))
        let frames = Array(reader)
        let track = try LocalTrack(codec: reader.info.codec, streamId: "file")
        XCTAssertEqual(track.kind, file.hasSuffix(".ivf") ? .video : .audio)
        let sender = try a.addTrack(track)
        XCTAssertEqual(sender.track, track)
        try await connectMedia(a, b)
        // The remote track arrives with the first packet: collect while playing.
        let receiving = Task { () -> (RemoteTrack, [EncodedFrame])? in
            var tracks = b.tracks.makeAsyncIterator()
            guard let remote = await tracks.next() else { return nil }
            return (remote, await collect(remote.frames, frames.count))
        }
        try await play(frames, on: track)
        let result = try await within(10) { await receiving.value }
        let (remote, got) = try XCTUnwrap(result, "no remote track")
        XCTAssertEqual(remote.kind, track.kind)
        XCTAssertEqual(remote.codec.mimeType.lowercased(), reader.info.codec.lowercased())
        XCTAssertEqual(remote.codec.clockRate, track.kind == .audio ? 48000 : 90000)
        if track.kind == .audio {
            XCTAssertEqual(remote.codec.channels, 2)
            XCTAssertTrue(remote.codec.sdpFmtpLine.contains("minptime"), remote.codec.sdpFmtpLine)
        }
        XCTAssertEqual(remote.streamIds, ["file"])
        XCTAssertNil(remote.rid)
        XCTAssertEqual(remote.mid, sender.transceiver.mid)
        XCTAssertNotNil(sender.transceiver.currentDirection) // negotiated (see testRecordedRtp… for sendonly)
        XCTAssertEqual(remote.transceiver.currentDirection, .recvonly)
        if track.kind == .audio { // audio has no keyframes
            XCTAssertThrowsError(try remote.requestKeyframe()) {
                guard case .invalidState = $0 as? OmniRTCError else { return XCTFail("\($0)") }
            }
        }

        XCTAssertEqual(got.count, frames.count)
        XCTAssertEqual(got.map(\.data), frames.map(\.data), "received frames differ from the file's")
        let inbound = try await b.stats().stats(ofType: "inbound-rtp")
        XCTAssertEqual(inbound.count, 1)
        XCTAssertEqual(inbound.first?["kind"], .string(track.kind.rawValue))
        let outbound = try await a.stats().stats(ofType: "outbound-rtp")
        let codecs = try await b.stats().stats(ofType: "codec")
        XCTAssertFalse(outbound.isEmpty)
        XCTAssertFalse(codecs.isEmpty)
        if track.kind == .video {
            XCTAssertTrue(got[0].keyframe)
            XCTAssertEqual(got.map(\.keyframe), frames.map(\.keyframe))
        }
        // Timestamps advance by each frame's duration in the clock rate.
        let rate = Double(remote.codec.clockRate)
        for i in 1..<got.count {
            let step = Double(got[i].timestamp &- got[i - 1].timestamp)
            let expected = Double(frames[i - 1].duration.components.attoseconds) / 1e18 * rate
            XCTAssertEqual(step, expected, accuracy: 2, "frame \(i)")
        }
        try await a.close()
        try await b.close()
        track.close()
        XCTAssertThrowsError(try track.write(sample: frames[0].data, duration: frames[0].duration)) {
            guard case .invalidHandle = $0 as? OmniRTCError else { return XCTFail("\($0)") }
        }
    }

    func testVP8FileArrivesFrameForFrame() async throws {
        try await sendFile("vp8.ivf")
    }

    func testOpusFileArrivesPacketForPacket() async throws {
        try await sendFile("opus.ogg")
    }

    func testRecordedRtpEqualsTheSentFile() async throws {
        let a = try PeerConnection(configuration: loopback)
        let b = try PeerConnection(configuration: loopback)
        b.trackReceive = .rtp
        XCTAssertEqual(b.trackReceive, .rtp)
        let frames = Array(try MediaReader(path: try testMedia("vp8.ivf")))
        let track = try LocalTrack(codec: "vp8")
        let transceiver = try a.addTransceiver(track: track, direction: .sendonly)
        XCTAssertEqual(transceiver.direction, .sendonly)
        XCTAssertNil(transceiver.mid)
        XCTAssertNil(transceiver.currentDirection)
        try await connectMedia(a, b)
        XCTAssertEqual(transceiver.currentDirection, .sendonly)
        XCTAssertNotNil(transceiver.mid)

        let path = NSTemporaryDirectory() + "swift-record-\(getpid()).ivf"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try MediaWriter(path: path, options: .init(codec: "vp8", width: 320, height: 240))
        let recording = Task { () -> (RemoteTrack?, Int) in
            var tracks = b.tracks.makeAsyncIterator()
            guard let remote = await tracks.next() else { return (nil, 0) }
            var packets = 0
            for await packet in remote.rtpPackets {
                try writer.write(rtp: packet.data)
                packets += 1
            }
            return (remote, packets)
        }
        try await play(frames, on: track)
        try await Task.sleep(for: .milliseconds(300))
        try await b.close() // ends the remote track's streams
        let (received, packets) = try await recording.value
        let remote = try XCTUnwrap(received, "no remote track")
        XCTAssertEqual(b.transceivers, [remote.transceiver])
        XCTAssertGreaterThanOrEqual(packets, frames.count)
        try writer.close()
        try writer.close() // twice is fine
        let recorded = Array(try MediaReader(path: path))
        XCTAssertGreaterThanOrEqual(recorded.count, frames.count)
        XCTAssertEqual(recorded.prefix(frames.count).map(\.data), frames.map(\.data))
        XCTAssertTrue(remote.isEnded)
        try await a.close()
    }

    func testRtpTrackSendsTheCallersPackets() async throws {
        let a = try PeerConnection(configuration: loopback)
        let b = try PeerConnection(configuration: loopback)
        let packets = Array(try MediaReader(path: try testMedia("opus.ogg"))).map(\.data)
        let track = try LocalTrack(codec: "audio/opus", mode: .rtp)
        try a.addTransceiver(track: track, direction: .sendonly)
        try await connectMedia(a, b)
        let receiving = Task { () -> [EncodedFrame] in
            var tracks = b.tracks.makeAsyncIterator()
            guard let remote = await tracks.next() else { return [] }
            return await collect(remote.frames, packets.count)
        }
        // The caller's RTP: its own payload type (100) and SSRC, rewritten by the library.
        for (i, payload) in (packets + packets.suffix(1)).enumerated() {
            let seq = UInt16(truncatingIfNeeded: 1000 + i), ts = UInt32(truncatingIfNeeded: 5000 + 960 * i)
            var packet = Data([0x80, 100, UInt8(seq >> 8), UInt8(seq & 0xff)])
            packet.append(contentsOf: [UInt8(ts >> 24), UInt8((ts >> 16) & 0xff), UInt8((ts >> 8) & 0xff), UInt8(ts & 0xff)])
            packet.append(contentsOf: [0xde, 0xad, 0xbe, 0xef])
            packet.append(payload)
            try track.write(rtp: packet)
            try await Task.sleep(for: .milliseconds(20))
        }
        let got = try await within(10) { await receiving.value }
        XCTAssertEqual(got.map(\.data), packets)
        XCTAssertEqual(got.first?.timestamp, 5000) // timestamps are kept
        try await a.close()
        try await b.close()
        track.close()
    }

    func testSimulcastLayersArriveAsThreeTracks() async throws {
        let a = try PeerConnection(configuration: loopback)
        let b = try PeerConnection(configuration: loopback)
        let frames = Array(try MediaReader(path: try testMedia("vp8.ivf")))
        let rids = ["q", "h", "f"]
        let track = try LocalTrack(codec: "vp8", rids: rids)
        let transceiver = try a.addTransceiver(
            track: track, direction: .sendonly,
            sendEncodings: rids.map { SendEncoding(rid: $0, maxBitrate: $0 == "f" ? 2_500_000 : 300_000) })
        try await connectMedia(a, b)
        XCTAssertEqual(transceiver.currentDirection, .sendonly)
        let receiving = Task { () -> [(RemoteTrack, [EncodedFrame])] in
            let layers = await collect(b.tracks, 3)
            return await withTaskGroup(of: (RemoteTrack, [EncodedFrame]).self) { group in
                for layer in layers { group.addTask { (layer, await collect(layer.frames, 20, seconds: 10)) } }
                return await group.reduce(into: []) { $0.append($1) }
            }
        }
        // Each layer's frames end with its rid: swapped layers show.
        let tagged = { (frame: MediaFrame, rid: String) in frame.data + Data(rid.utf8) }
        for frame in frames {
            for rid in rids { try track.write(sample: tagged(frame, rid), duration: frame.duration, rid: rid) }
            try await Task.sleep(for: frame.duration)
        }
        let layers = try await within(15) { await receiving.value }
        XCTAssertEqual(Set(layers.map { $0.0.rid ?? "" }), Set(rids))
        XCTAssertEqual(Set(layers.map { $0.0.transceiver }).count, 1) // one transceiver, three layers
        for (layer, got) in layers {
            let rid = layer.rid ?? ""
            let sent = Set(frames.map { tagged($0, rid) })
            XCTAssertGreaterThanOrEqual(got.count, 10, "layer \(rid)")
            XCTAssertTrue(got.allSatisfy { sent.contains($0.data) }, "layer \(rid) has frames not sent on it")
        }
        try await a.close()
        try await b.close()
        track.close()
    }

    func testRenegotiationAddsAVideoTrackToAConnectedCall() async throws {
        let (a, b, local, remote) = try await connectedChannel(label: "call")
        let track = try LocalTrack(codec: "vp8")
        try a.addTrack(track)
        _ = try await next(a.negotiationNeeded)
        try await a.setLocalDescription(try await a.createOffer())
        try await b.setRemoteDescription(XCTUnwrap(a.localDescription))
        try await b.setLocalDescription(try await b.createAnswer())
        try await a.setRemoteDescription(XCTUnwrap(b.localDescription))
        let frames = Array(try MediaReader(path: try testMedia("vp8.ivf")).prefix(15))
        let receiving = Task { () -> [EncodedFrame] in
            var tracks = b.tracks.makeAsyncIterator()
            guard let video = await tracks.next() else { return [] }
            return await collect(video.frames, frames.count)
        }
        try await play(frames, on: track)
        let got = try await within(10) { await receiving.value }
        XCTAssertEqual(got.map(\.data), frames.map(\.data))
        try local.send("still here") // the channel kept working
        let message = try await receive(1, from: remote)
        XCTAssertEqual(message, [.text("still here")])
        try await a.close()
        try await b.close()
        track.close()
    }

    func testPLIRaisesTheKeyframeRequestStreamAndGCCATargetBitrate() async throws {
        var config = loopback
        config.engine.interceptors = ["nack", "rtx", "rtcpReports", "twcc", "gcc"]
        let a = try PeerConnection(configuration: config)
        let b = try PeerConnection(configuration: config)
        let track = try LocalTrack(codec: "video/VP8")
        let sender = try a.addTrack(track)
        try await connectMedia(a, b)
        let frames = Array(try MediaReader(path: try testMedia("vp8.ivf")))
        let feeding = Task {
            for frame in frames {
                try track.write(sample: frame.data, duration: frame.duration)
                try await Task.sleep(for: frame.duration)
            }
        }
        defer { feeding.cancel() }
        let video = try await next(b.tracks)
        // the track comes muted at the description; a keyframe request needs its first packet (its SSRC)
        let unmuted = await eventually(10) { !video.isMuted }
        XCTAssertTrue(unmuted)
        try video.requestKeyframe()
        let pli = try await next(sender.keyframeRequests)
        XCTAssertEqual(pli, KeyframeRequest(method: .pli, rid: ""))
        try video.requestKeyframe(fir: true)
        let fir = try await next(sender.keyframeRequests)
        XCTAssertEqual(fir.method, .fir)
        let target = try await next(a.targetBitrates, seconds: 15)
        XCTAssertGreaterThan(target.bitrate, 0)
        XCTAssertEqual(target.source, .gcc)
        try await a.close()
        try await b.close()
        // The stream finishes with the peer: draining it ends, or times out.
        try await within(5) { for await _ in sender.keyframeRequests {} }
        XCTAssertTrue(video.isEnded)
        track.close()
    }

    /// getStats at both ends of a VP8 call: every RTP entry counts what was
    /// sent, the ends agree, and the counters move as more is sent.
    func testStatsCountWhatWasSent() async throws {
        let a = try PeerConnection(configuration: loopback)
        let b = try PeerConnection(configuration: loopback)
        let track = try LocalTrack(codec: "vp8", id: "cam")
        _ = try a.addTrack(track)
        try await connectMedia(a, b)
        var written = 0
        func writeAndRead(_ n: Int) async throws -> (StatsReport, StatsReport) {
            for _ in 0..<n {
                var frame = [UInt8](repeating: UInt8(written % 256), count: 500)
                frame[0] = written == 0 ? 0 : 1 // VP8: bit 0 clear marks the keyframe
                try track.write(sample: Data(frame), duration: .milliseconds(33))
                written += 1
                try await Task.sleep(for: .milliseconds(33))
            }
            try await Task.sleep(for: .milliseconds(300)) // nothing in flight
            return (try await a.stats(), try await b.stats())
        }
        func number(_ entry: [String: JSONValue]?, _ key: String) -> Double {
            if case .number(let n)? = entry?[key] { return n }
            return -1
        }
        func string(_ entry: [String: JSONValue]?, _ key: String) -> String? {
            if case .string(let s)? = entry?[key] { return s }
            return nil
        }
        var before = (0.0, 0.0)
        for _ in 0..<2 {
            // reports come about once a second: send until both ends have new ones
            var sent = StatsReport(entries: [:]), got = StatsReport(entries: [:])
            var now = (0.0, 0.0)
            for _ in 0..<10 {
                (sent, got) = try await writeAndRead(10)
                now = (number(sent.stats(ofType: "remote-inbound-rtp").first, "roundTripTimeMeasurements"),
                       number(got.stats(ofType: "remote-outbound-rtp").first, "reportsSent"))
                if now.0 > before.0 && now.1 > before.1 { break }
            }
            XCTAssertTrue(now.0 > before.0 && now.1 > before.1, "reports \(now) after \(before)")
            before = now
            let out = sent.stats(ofType: "outbound-rtp").first, source = sent.stats(ofType: "media-source").first
            let remoteIn = sent.stats(ofType: "remote-inbound-rtp").first
            let inbound = got.stats(ofType: "inbound-rtp").first, remoteOut = got.stats(ofType: "remote-outbound-rtp").first
            XCTAssertEqual(number(out, "packetsSent"), Double(written))
            XCTAssertGreaterThanOrEqual(number(out, "bytesSent"), 500 * Double(written))
            XCTAssertEqual(number(out, "nackCount"), 0)
            XCTAssertEqual(number(source, "frames"), Double(written))
            XCTAssertEqual(string(source, "trackIdentifier"), "cam")
            XCTAssertEqual(string(sent.entries[string(out, "codecId") ?? ""], "mimeType"), "video/VP8")
            XCTAssertGreaterThan(number(remoteIn, "packetsReceived"), 0)
            XCTAssertLessThanOrEqual(number(remoteIn, "packetsReceived"), number(out, "packetsSent"))
            XCTAssertEqual(string(remoteIn, "localId"), string(out, "id"))
            XCTAssertEqual(number(inbound, "packetsReceived"), number(out, "packetsSent"))
            XCTAssertEqual(number(inbound, "bytesReceived"), number(out, "bytesSent"))
            XCTAssertEqual(number(inbound, "framesReceived"), Double(written - 1)) // the last waits for the next
            XCTAssertGreaterThan(number(inbound, "jitter"), 0)
            XCTAssertEqual(number(inbound, "nackCount"), 0)
            XCTAssertEqual(string(got.entries[string(inbound, "codecId") ?? ""], "mimeType"), "video/VP8")
            XCTAssertGreaterThan(number(remoteOut, "packetsSent"), 0)
            XCTAssertLessThanOrEqual(number(remoteOut, "packetsSent"), number(out, "packetsSent"))
            XCTAssertGreaterThan(number(remoteOut, "bytesSent"), 0)
            XCTAssertEqual(string(remoteOut, "localId"), string(inbound, "id"))
        }
        try await a.close()
        try await b.close()
        track.close()
    }

    func testReplaceTrackSwitchesTheMediaAndRemoveTrackMutesTheRemoteTrack() async throws {
        let a = try PeerConnection(configuration: loopback)
        let b = try PeerConnection(configuration: loopback)
        let first = try LocalTrack(codec: "vp8")
        let second = try LocalTrack(codec: "vp8")
        let sender = try a.addTrack(first)
        try await connectMedia(a, b)
        // Both tracks are fed all along, each frame ending with its track's
        // mark; only the one the sender holds reaches b.
        let frames = Array(try MediaReader(path: try testMedia("vp8.ivf")))
        let feeding = Task {
            for i in 0... {
                let frame = frames[i % frames.count]
                for (track, mark) in [(first, UInt8(1)), (second, UInt8(2))] {
                    try track.write(sample: frame.data + [mark], duration: frame.duration)
                }
                try await Task.sleep(for: frame.duration)
            }
        }
        defer { feeding.cancel() }
        let video = try await next(b.tracks)
        let marks = Locked<[UInt8]>([])
        let receiving = Task { for await frame in video.frames { marks.withLock { $0.append(frame.data.last ?? 0) } } }
        let fromFirst = await eventually(10) { marks.withLock { $0.contains(1) } }
        XCTAssertTrue(fromFirst, "no frame of the first track: \(marks.withLock { $0 })")

        try await sender.replaceTrack(second)
        XCTAssertEqual(sender.track, second)
        // The first track is still fed: ten frames in a row of the second
        // mean the sender switched.
        let switched = await eventually(10) { marks.withLock { Array($0.suffix(10)) == Array(repeating: 2, count: 10) } }
        XCTAssertTrue(switched, "\(marks.withLock { $0 })")

        try a.removeTrack(sender)
        XCTAssertNil(sender.track)
        _ = try await next(a.negotiationNeeded)
        try await a.setLocalDescription(try await a.createOffer())
        try await b.setRemoteDescription(XCTUnwrap(a.localDescription))
        try await b.setLocalDescription(try await b.createAnswer())
        try await a.setRemoteDescription(XCTUnwrap(b.localDescription))
        // webrtc-pc 4.4.1.6: muted, not ended (only its transceiver's stop ends it)
        let muted = await eventually(10) { video.isMuted }
        XCTAssertTrue(muted, "the remote track was not muted")
        XCTAssertFalse(video.isEnded)
        receiving.cancel()
        try await a.close()
        try await b.close()
        first.close()
        second.close()
    }

    func testTransceiversReplaceRemoveAndCodecPreferences() async throws {
        let a = try PeerConnection(configuration: loopback)
        let b = try PeerConnection(configuration: loopback)
        let video = try a.addTransceiver(kind: .video, direction: .sendrecv)
        XCTAssertEqual(video.kind, .video)
        XCTAssertNil(video.sender.track)
        try video.setCodecPreferences([CodecPreference(mimeType: "video/VP9")])
        XCTAssertThrowsError(try video.setCodecPreferences([CodecPreference(mimeType: "audio/opus")])) {
            guard case .invalidArgument = $0 as? OmniRTCError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try video.setCodecPreferences([CodecPreference(mimeType: "video/nonesuch")])) {
            guard case .invalidArgument = $0 as? OmniRTCError else { return XCTFail("\($0)") }
        }
        let vp9 = try LocalTrack(codec: "vp9")
        try await video.sender.replaceTrack(vp9)
        XCTAssertEqual(video.sender.track, vp9)
        let opus = try LocalTrack(codec: "opus")
        do {
            try await video.sender.replaceTrack(opus)
            XCTFail("an audio track replaced a video one")
        } catch {
            guard case .invalidArgument = error else { return XCTFail("\(error)") }
        }
        try await connectMedia(a, b)
        let offer = try XCTUnwrap(a.localDescription?.sdp)
        let videoLine = try XCTUnwrap(offer.split(whereSeparator: \.isNewline).first { $0.hasPrefix("m=video") })
        XCTAssertTrue(offer.contains("VP9/90000"), offer)
        XCTAssertFalse(offer.contains("VP8/90000"), String(videoLine))
        XCTAssertEqual(video.codecs.first?.mimeType.lowercased(), "video/vp9")

        // Simulcast encodings are reported back.
        let layers = try LocalTrack(codec: "vp8", rids: ["q", "h", "f"])
        XCTAssertEqual(layers.rids, ["q", "h", "f"])
        let simulcast = try a.addTransceiver(
            track: layers, direction: .sendonly,
            sendEncodings: [
                SendEncoding(rid: "q", maxBitrate: 150_000, scaleResolutionDownBy: 4),
                SendEncoding(rid: "h", maxBitrate: 500_000, scaleResolutionDownBy: 2),
                SendEncoding(rid: "f", active: false, maxBitrate: 2_500_000),
            ])
        XCTAssertEqual(simulcast.sendEncodings.map(\.rid), ["q", "h", "f"])
        XCTAssertEqual(simulcast.sendEncodings.map(\.maxBitrate), [150_000, 500_000, 2_500_000])
        XCTAssertEqual(simulcast.sendEncodings.last?.active, false)

        try a.removeTrack(video.sender)
        XCTAssertNil(video.sender.track)
        XCTAssertEqual(a.transceivers, [video, simulcast])
        try await a.close()
        try await b.close()
        for t in [vp9, opus, layers] { t.close() }
    }

    func testBadMediaInputMapsToErrors() async throws {
        XCTAssertThrowsError(try LocalTrack(codec: "video/nonesuch")) {
            guard case .notSupported(let message) = $0 as? OmniRTCError else { return XCTFail("\($0)") }
            XCTAssertTrue(message.lowercased().contains("vp8"), message) // it lists the known codecs
        }
        let track = try LocalTrack(codec: "vp8")
        XCTAssertThrowsError(try track.write(sample: Data(), duration: .milliseconds(33))) {
            guard case .invalidArgument = $0 as? OmniRTCError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try track.write(rtp: Data([0x80, 96]))) {
            guard case .invalidState = $0 as? OmniRTCError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try track.write(sample: Data([1, 2, 3]), duration: .milliseconds(33), rid: "nope")) {
            guard case .invalidArgument = $0 as? OmniRTCError else { return XCTFail("\($0)") }
        }
        track.close()
        track.close() // twice is fine
        XCTAssertThrowsError(try track.write(sample: Data([1, 2, 3]), duration: .milliseconds(33))) {
            guard case .invalidHandle = $0 as? OmniRTCError else { return XCTFail("\($0)") }
        }
        let rtp = try LocalTrack(codec: "opus", mode: .rtp)
        XCTAssertEqual(rtp.mode, .rtp)
        XCTAssertThrowsError(try rtp.write(rtp: Data([1, 2, 3]))) { // malformed RTP
            guard case .invalidArgument = $0 as? OmniRTCError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try rtp.write(sample: Data([1]), duration: .milliseconds(20))) {
            guard case .invalidState = $0 as? OmniRTCError else { return XCTFail("\($0)") }
        }
        // A well-formed packet is accepted (dropped: not negotiated anywhere).
        var packet = Data([0x80, 111, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1])
        packet.append(contentsOf: [0xfc, 0xff, 0xfe])
        try rtp.write(rtp: packet)
        rtp.close()

        let pc = try PeerConnection(configuration: loopback)
        XCTAssertThrowsError(try pc.addTransceiver(track: try LocalTrack(codec: "opus"), sendEncodings: [SendEncoding(rid: "x")]))
        let opus = try LocalTrack(codec: "opus")
        try pc.addTrack(opus)
        try await pc.close()
        XCTAssertThrowsError(try pc.addTrack(try LocalTrack(codec: "vp8")))
        opus.close()

        XCTAssertThrowsError(try MediaReader(path: "/nonexistent/file.ivf")) {
            guard case .operation = $0 as? OmniRTCError else { return XCTFail("\($0)") }
        }
        let notIVF = NSTemporaryDirectory() + "swift-not-\(getpid()).ivf"
        try Data("this is not an IVF file at all, just text".utf8).write(to: URL(fileURLWithPath: notIVF))
        defer { try? FileManager.default.removeItem(atPath: notIVF) }
        XCTAssertThrowsError(try MediaReader(path: notIVF)) {
            guard case .invalidArgument = $0 as? OmniRTCError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try MediaWriter(path: NSTemporaryDirectory() + "swift-bad.ivf", options: .init(codec: "opus"))) {
            guard case .invalidArgument = $0 as? OmniRTCError else { return XCTFail("\($0)") } // IVF holds VP8, VP9, AV1
        }
        let out = NSTemporaryDirectory() + "swift-bad-\(getpid()).ogg"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let writer = try MediaWriter(path: out)
        XCTAssertThrowsError(try writer.write(rtp: Data([9, 9]))) {
            guard case .invalidArgument = $0 as? OmniRTCError else { return XCTFail("\($0)") }
        }
        try writer.close()
    }

    func testMediaHandlesAreReleasedAfterClose() async throws {
        let before = try Library.debugCounters()
        let sinks = PeerSink.live.withLock { $0 }
        for _ in 0..<2 {
            let a = try PeerConnection(configuration: loopback)
            let b = try PeerConnection(configuration: loopback)
            let track = try LocalTrack(codec: "vp8")
            try a.addTrack(track)
            try a.addTransceiver(kind: .audio, direction: .recvonly)
            try await connectMedia(a, b)
            let frames = Array(try MediaReader(path: try testMedia("vp8.ivf")).prefix(5))
            let remote = try await within { () -> RemoteTrack in
                for frame in frames {
                    try track.write(sample: frame.data, duration: frame.duration)
                    try await Task.sleep(for: frame.duration)
                }
                return try await next(b.tracks)
            }
            let reader = try MediaReader(path: try testMedia("opus.ogg"))
            let during = try Library.debugCounters()
            XCTAssertGreaterThanOrEqual(during.handles.track, before.handles.track + 1)
            XCTAssertGreaterThanOrEqual(during.handles.remoteTrack, before.handles.remoteTrack + 1)
            // a's two, and b's video one (b's audio transceiver gets a handle once it is seen)
            XCTAssertGreaterThanOrEqual(during.handles.transceiver, before.handles.transceiver + 3)
            XCTAssertGreaterThanOrEqual(during.handles.mediaReader, before.handles.mediaReader + 1)
            reader.close()
            try await a.close()
            try await b.close()
            track.close()
            XCTAssertTrue(remote.isEnded)
        }
        let back = try await eventually {
            let now = try Library.debugCounters()
            return now.handles.peer <= before.handles.peer && now.handles.track <= before.handles.track
                && now.handles.remoteTrack <= before.handles.remoteTrack
                && now.handles.transceiver <= before.handles.transceiver
                && now.handles.mediaReader <= before.handles.mediaReader
                && now.handles.mediaWriter <= before.handles.mediaWriter && now.sockets <= before.sockets
                && PeerSink.live.withLock { $0 } <= sinks
        }
        let now = try Library.debugCounters()
        XCTAssertTrue(back, "not back to baseline: \(now) from \(before)")
    }
}
