// The library-side interop agent in Swift: the OmniRTC binding speaking the
// interop protocol (tests/interop/PROTOCOL.md) as JSON lines on stdin and
// stdout, like c_peer.c, python_peer.py and node-peer.js: data channels,
// media (remote tracks' frames checked and counted, files sent in real time),
// setConfiguration and DTMF.
import Foundation
import OmniRTC

// MARK: Output

let output = NSLock()

/// Writes one message to the runner as a JSON line (from any task).
func emit(_ message: [String: Any]) {
    guard var line = try? JSONSerialization.data(withJSONObject: message) else {
        FileHandle.standardError.write(Data("swift-peer: cannot encode \(message)\n".utf8))
        return
    }
    line.append(UInt8(ascii: "\n"))
    output.lock()
    FileHandle.standardOutput.write(line)
    output.unlock()
}

func orNull(_ value: Any?) -> Any { value ?? NSNull() }

// MARK: Tallies

let crcTable: [UInt32] = (0..<256).map { n in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
}

/// CRC-32 (zlib's) of bytes, continuing from crc.
func crc32(_ data: Data, _ crc: UInt32 = 0) -> UInt32 {
    var c = ~crc
    crcTable.withUnsafeBufferPointer { table in
        data.withUnsafeBytes { bytes in
            for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        }
    }
    return ~c
}

/// Count, bytes, stream CRC-32 and the order-insensitive sum of per-message CRCs.
struct Tally {
    var count = 0, bytes = 0, text = 0, binary = 0
    var crc: UInt32 = 0, sum: UInt32 = 0

    mutating func add(_ data: Data, binary isBinary: Bool) {
        count += 1
        bytes += data.count
        crc = crc32(data, crc)
        sum = sum &+ crc32(data)
        if isBinary { binary += 1 } else { text += 1 }
    }

    var result: [String: Any] {
        ["count": count, "bytes": bytes, "crc": Int(crc), "sum": Int(sum), "text": text, "binary": binary]
    }
}

let textUnit = "héllo wörld ✓ " // 14 characters, 18 UTF-8 bytes
let highWater: UInt64 = 1 << 20

/// Message i of a send: pseudo-random bytes (xorshift32), or UTF-8 text with
/// multi-byte characters, about `size` bytes.
func payload(binary: Bool, size: Int, index i: Int) -> DataChannelMessage {
    if !binary {
        let text = "\(i) " + String(repeating: textUnit, count: size / 14 + 1)
        return .text(String(text.prefix(max(1, size * 14 / 18))))
    }
    var x = 0x9E37_79B9 ^ UInt32(truncatingIfNeeded: (i + 1) &* 0x85EB_CA6B)
    if x == 0 { x = 1 }
    var bytes = [UInt8](repeating: 0, count: size)
    for k in 0..<size {
        x ^= x << 13
        x ^= x >> 17
        x ^= x << 5
        bytes[k] = UInt8(truncatingIfNeeded: x)
    }
    return .binary(Data(bytes))
}

// MARK: Media

/// The start code (00 00 01 or 00 00 00 01) at p[i]: its length, or nil.
func startCode(_ p: [UInt8], _ i: Int) -> Int? {
    if i + 2 < p.count && p[i] == 0 && p[i + 1] == 0 && p[i + 2] == 1 { return 3 }
    if i + 3 < p.count && p[i] == 0 && p[i + 1] == 0 && p[i + 2] == 0 && p[i + 3] == 1 { return 4 }
    return nil
}

/// The frames of one received track, each checked against its codec's
/// bitstream: VP8's frame tag and keyframe header (RFC 6386 9.1), H264's
/// Annex-B NAL units (a keyframe with an SPS and an IDR slice), Opus's TOC
/// byte. As python_peer.py's TrackTally and node-peer.js's.
struct TrackTally {
    let kind: String, rid: String, mimeType: String
    var frames = 0, keyframes = 0, bytes = 0, lost = 0, valid = 0, idrKeyframes = 0, width = 0, height = 0
    var ended = false

    mutating func add(_ frame: EncodedFrame) {
        let p = [UInt8](frame.data)
        frames += 1
        bytes += p.count
        lost += max(frame.lost, 0)
        if frame.keyframe { keyframes += 1 }
        var ok = false
        switch mimeType.lowercased() {
        case "video/vp8" where p.count >= 3:
            let tag = Int(p[0]) | Int(p[1]) << 8 | Int(p[2]) << 16
            ok = (tag >> 5) & 0x7FFFF <= p.count - 3
            if tag & 1 == 0 { // a keyframe: start code and size
                ok = ok && p.count >= 10 && p[3] == 0x9D && p[4] == 0x01 && p[5] == 0x2A
                if ok {
                    width = (Int(p[6]) | Int(p[7]) << 8) & 0x3FFF
                    height = (Int(p[8]) | Int(p[9]) << 8) & 0x3FFF
                    ok = width > 0 && height > 0
                }
            }
        case "video/h264":
            var types: [UInt8] = []
            var bad = false
            var i = 0
            while i < p.count {
                if let n = startCode(p, i) {
                    i += n
                    if i >= p.count || p[i] & 0x80 != 0 {
                        bad = true
                        break
                    }
                    types.append(p[i] & 0x1F)
                }
                i += 1
            }
            ok = !bad && !types.isEmpty && startCode(p, 0) != nil
            if frame.keyframe && types.contains(7) && types.contains(5) { idrKeyframes += 1 }
        case "audio/opus":
            ok = p.count >= 1
        default:
            break
        }
        if ok { valid += 1 }
    }

    var result: [String: Any] {
        ["kind": kind, "rid": rid, "mimeType": mimeType, "frames": frames, "keyframes": keyframes, "bytes": bytes,
         "lost": lost, "valid": valid, "idrKeyframes": idrKeyframes, "width": width, "height": height, "ended": ended]
    }
}

struct ProtocolError: Error, CustomStringConvertible {
    let description: String
}

// MARK: The agent

actor Agent {
    var pc: PeerConnection?
    var channels: [String: DataChannel] = [:]
    var received: [String: Tally] = [:]
    var expects: [(label: String, count: Int, id: Int)] = []
    var queued: [IceCandidate] = [] // remote candidates before the remote description
    var tail: Task<Void, Never>? // the last signaling step
    var tallies: [TrackTally] = [] // per remote track, in arrival order
    var local: [LocalTrack] = [] // per sent file
    var remoteVideo: [RemoteTrack] = []
    var targets: [[String: Any]] = [] // what each BitrateTarget carried
    var playing = true
    var perfect: (polite: Bool, explicitRollback: Bool)? // perfect-negotiation mode
    var ignoreOffer = false
    var tones: [[String: Any]] = [] // DTMF tones received on remote tracks, in order

    func peer() throws -> PeerConnection {
        guard let pc else { throw ProtocolError(description: "no peer connection: 'create' first") }
        return pc
    }

    /// Starts operation m; its reply is emitted when it is done. Signaling
    /// steps run one after another in the order they arrived.
    func dispatch(_ m: [String: Any]) {
        let id = m["id"] as? Int ?? 0
        let op = m["op"] as? String ?? ""
        let work: Task<[String: Any]?, Error>
        if op == "offer" || op == "signal" {
            let previous = tail
            work = Task {
                await previous?.value
                return try await self.run(op, m)
            }
            tail = Task { _ = await work.result }
        } else {
            work = Task { try await self.run(op, m) }
        }
        Task {
            do {
                if let reply = try await work.value { emit(reply.merging(["id": id, "ok": true]) { $1 }) }
            } catch {
                emit(["id": id, "error": "\(type(of: error)): \(error)"])
            }
        }
    }

    func run(_ op: String, _ m: [String: Any]) async throws -> [String: Any]? {
        switch op {
        case "create": return try create(m["config"] as? [String: Any] ?? [:])
        case "channel":
            let pc = try peer()
            let init_ = m["init"] as? [String: Any] ?? [:]
            let options = DataChannelOptions(
                ordered: init_["ordered"] as? Bool ?? true,
                maxPacketLifeTime: (init_["maxPacketLifeTime"] as? Int).map { UInt16($0) },
                maxRetransmits: (init_["maxRetransmits"] as? Int).map { UInt16($0) },
                protocol: init_["protocol"] as? String ?? "")
            adopt(try pc.createDataChannel(label: m["label"] as? String ?? "", options: options), remote: false)
            return [:]
        case "offer":
            let pc = try peer()
            if perfect != nil && pc.signalingState != .stable { // made on negotiationneeded: none unless stable
                emit(["ev": "skipped"])
            } else {
                try await describe(offer: true, iceRestart: m["iceRestart"] as? Bool ?? false)
            }
            return [:]
        case "perfect":
            perfect = (m["polite"] as? Bool ?? false, m["rollback"] as? String == "explicit")
            return [:]
        case "signal":
            try await signal(m)
            return [:]
        case "send": return try await send(m)
        case "expect":
            expects.append((m["label"] as? String ?? "", m["count"] as? Int ?? 0, m["id"] as? Int ?? 0))
            settle()
            return nil
        case "close":
            guard let channel = channels[m["label"] as? String ?? ""] else { throw ProtocolError(description: "no such channel") }
            channel.close()
            return [:]
        case "closePeer":
            let pc = try peer()
            playing = false
            for track in local { track.close() }
            local = []
            try await pc.close()
            return [:]
        case "state": return try state()
        case "stats":
            let report = try await peer().stats()
            let json = try JSONEncoder().encode(report.entries)
            return ["report": try JSONSerialization.jsonObject(with: json)]
        case "sendMedia": return try sendMedia(m["files"] as? [String] ?? [])
        case "tracks": return ["tracks": tallies.map(\.result)]
        case "targets": return ["targets": targets]
        case "setConfiguration":
            let pc = try peer()
            let config = m["config"] as? [String: Any] ?? [:]
            var configuration = try pc.configuration
            let servers = try JSONSerialization.data(withJSONObject: config["iceServers"] as? [[String: Any]] ?? [])
            configuration.iceServers = try JSONDecoder().decode([IceServer].self, from: servers)
            configuration.iceTransportPolicy = IceTransportPolicy(rawValue: config["iceTransportPolicy"] as? String ?? "all")
            try pc.setConfiguration(configuration)
            return [:]
        case "insertDTMF": return try await insertDTMF(m)
        case "dtmf": return ["tones": tones]
        case "requestBitrate":
            for track in remoteVideo { try track.requestBitrate(m["bitrate"] as? Int ?? 0) }
            return ["tracks": remoteVideo.count]
        default: // addMedia is the browser's
            throw ProtocolError(description: "unknown op '\(op)'")
        }
    }

    func create(_ config: [String: Any]) throws -> [String: Any] {
        // the "omnirtc" section goes to the library as it is
        let section = try JSONSerialization.data(withJSONObject: config["omnirtc"] as? [String: Any] ?? [:])
        let engine = try JSONDecoder().decode([String: JSONValue].self, from: section)
        let pc = try PeerConnection(configuration: Configuration(engine: EngineSettings(additional: engine)))
        self.pc = pc
        Task {
            for await c in pc.iceCandidates where !c.isEndOfCandidates {
                emit(["ev": "signal", "signal": ["type": "candidate", "candidate": c.candidate,
                                                 "sdpMid": orNull(c.sdpMid), "sdpMLineIndex": orNull(c.sdpMLineIndex.map { Int($0) })]])
            }
        }
        Task { for await s in pc.signalingStates { emit(["ev": "signaling", "state": s.rawValue]) } }
        Task { for await _ in pc.negotiationNeeded { emit(["ev": "negotiationneeded"]) } }
        Task { for await s in pc.iceConnectionStates { emit(["ev": "ice", "state": s.rawValue]) } }
        Task { for await s in pc.connectionStates { emit(["ev": "connection", "state": s.rawValue]) } }
        Task { for await channel in pc.dataChannels { self.adopt(channel, remote: true) } }
        pc.trackReceive = .frames // reassembled frames from the first packet
        Task { for await track in pc.tracks { self.adopt(track) } }
        Task {
            for await t in pc.targetBitrates {
                self.targets.append(["bitrate": t.bitrate, "source": t.source.rawValue, "ssrcs": t.ssrcs.map { Int($0) }, "mids": t.mids])
            }
        }
        return [:]
    }

    /// Reports a remote track and checks and counts its frames.
    func adopt(_ track: RemoteTrack) {
        let codec = track.codec
        let index = tallies.count
        tallies.append(TrackTally(kind: track.kind.rawValue, rid: track.rid ?? "", mimeType: codec.mimeType))
        if track.kind == .video { remoteVideo.append(track) }
        emit(["ev": "track", "kind": track.kind.rawValue, "rid": track.rid ?? "", "id": track.id,
              "codec": ["mimeType": codec.mimeType, "clockRate": Int(codec.clockRate), "channels": Int(codec.channels),
                        "sdpFmtpLine": codec.sdpFmtpLine, "payloadType": Int(codec.payloadType)]])
        if track.kind == .audio {
            Task { for await t in track.dtmfTones { self.tones.append(["tone": t.tone, "duration": Self.milliseconds(t.duration)]) } }
        }
        Task {
            for await frame in track.frames { self.tallies[index].add(frame) }
            self.tallies[index].ended = true // the track's end or its peer's close
        }
    }

    static func milliseconds(_ d: Duration) -> Int {
        Int(d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000)
    }

    /// insertDTMF on the first audio sender's DTMF sender; replies once its
    /// tone changes reached "".
    func insertDTMF(_ m: [String: Any]) async throws -> [String: Any] {
        let sender = try peer().transceivers.map(\.sender).first { $0.track?.kind == .audio }
        guard let dtmf = sender?.dtmf else { throw ProtocolError(description: "no audio sender") }
        let canInsert = dtmf.canInsertDTMF
        try dtmf.insertDTMF(m["tones"] as? String ?? "", duration: .milliseconds(m["duration"] as? Int ?? 100),
                            interToneGap: .milliseconds(m["interToneGap"] as? Int ?? 70))
        var changes: [String] = []
        for await tone in dtmf.toneChanges {
            changes.append(tone)
            if tone.isEmpty { break }
        }
        return ["tones": changes, "canInsertDTMF": canInsert]
    }

    /// Per file, a sample track of its codec, added and played in real time.
    func sendMedia(_ files: [String]) throws -> [String: Any] {
        let pc = try peer()
        for path in files {
            let reader = try MediaReader(path: path)
            let codec = reader.info.codec
            reader.close()
            let track = try LocalTrack(codec: codec, streamId: "omnirtc-interop")
            try pc.addTrack(track)
            local.append(track)
            Task { await self.play(path, track) }
        }
        return [:]
    }

    /// Plays a file to the track in real time, from the start again at its end,
    /// until closePeer.
    func play(_ path: String, _ track: LocalTrack) async {
        let clock = ContinuousClock()
        var due = clock.now
        do {
            while playing {
                let reader = try MediaReader(path: path)
                defer { reader.close() }
                while playing, let frame = try reader.next() {
                    try track.write(sample: frame.data, duration: frame.duration)
                    due += frame.duration > .zero ? frame.duration : .milliseconds(20)
                    try await clock.sleep(until: due)
                }
            }
        } catch {
            if playing { FileHandle.standardError.write(Data("swift-peer: playing \(path): \(error)\n".utf8)) }
        }
    }

    /// Reports a channel's events and counts its messages.
    func adopt(_ channel: DataChannel, remote: Bool) {
        let label = channel.label
        channels[label] = channel
        if remote {
            emit(["ev": "channel", "label": label, "ordered": channel.ordered, "protocol": channel.protocol,
                  "maxRetransmits": orNull(channel.maxRetransmits.map { Int($0) }),
                  "maxPacketLifeTime": orNull(channel.maxPacketLifeTime.map { Int($0) })])
        }
        Task {
            // the stream buffers from the channel's creation; a remote channel
            // may be open already
            var opened = channel.readyState == .open
            if opened { emit(["ev": "open", "label": label]) }
            for await state in channel.states {
                if state == .open && !opened {
                    opened = true
                    emit(["ev": "open", "label": label])
                }
                if state == .closed { break }
            }
            emit(["ev": "close", "label": label])
        }
        Task {
            for await message in channel.messages {
                switch message {
                case .text(let text): self.got(label, Data(text.utf8), binary: false)
                case .binary(let data): self.got(label, data, binary: true)
                }
            }
        }
    }

    func got(_ label: String, _ data: Data, binary: Bool) {
        received[label, default: Tally()].add(data, binary: binary)
        settle()
    }

    func settle() {
        expects.removeAll { e in
            let t = received[e.label, default: Tally()]
            guard t.count >= e.count else { return false }
            emit(t.result.merging(["id": e.id, "ok": true]) { $1 })
            return true
        }
    }

    func describe(offer: Bool, iceRestart: Bool = false) async throws {
        let pc = try peer()
        if perfect != nil {
            try await pc.setLocalDescription() // the implicit form, as the example
        } else {
            try await pc.setLocalDescription(offer ? try await pc.createOffer(iceRestart: iceRestart) : try await pc.createAnswer())
        }
        guard let local = pc.localDescription else { throw ProtocolError(description: "no local description") }
        emit(["ev": "signal", "signal": ["type": local.type.rawValue, "sdp": local.sdp]])
    }

    func signal(_ m: [String: Any]) async throws {
        let pc = try peer()
        let type = m["type"] as? String ?? ""
        if type == "candidate" {
            let candidate = IceCandidate(candidate: m["candidate"] as? String ?? "", sdpMid: m["sdpMid"] as? String,
                                         sdpMLineIndex: (m["sdpMLineIndex"] as? Int).map { Int32($0) })
            if pc.remoteDescription == nil {
                queued.append(candidate)
            } else {
                do { try await pc.addIceCandidate(candidate) } catch { if !ignoreOffer { throw error } }
            }
            return
        }
        guard let kind = SessionDescription.Kind(rawValue: type) else { throw ProtocolError(description: "bad type '\(type)'") }
        if let perfect {
            // W3C webrtc-pc 10.7: steps run one at a time here, so "making an
            // offer" is having one applied, a signaling state not stable.
            let collision = kind == .offer && pc.signalingState != .stable
            ignoreOffer = !perfect.polite && collision
            if ignoreOffer {
                emit(["ev": "ignored", "type": type])
                return
            }
            if collision && perfect.explicitRollback {
                try await pc.setLocalDescription(SessionDescription(type: .rollback, sdp: ""))
                emit(["ev": "rolledBack", "state": pc.signalingState.rawValue])
            }
        }
        try await pc.setRemoteDescription(SessionDescription(type: kind, sdp: m["sdp"] as? String ?? ""))
        let waiting = queued
        queued = []
        for c in waiting { try await pc.addIceCandidate(c) }
        if kind == .offer { try await describe(offer: false) }
    }

    func send(_ m: [String: Any]) async throws -> [String: Any] {
        let label = m["label"] as? String ?? ""
        guard let channel = channels[label] else { throw ProtocolError(description: "no channel '\(label)'") }
        let binary = m["binary"] as? Bool ?? true
        let size = m["size"] as? Int ?? 0
        let pace = m["pace"] as? Bool ?? false
        var sent = Tally()
        for i in 0..<(m["count"] as? Int ?? 0) {
            if pace { try await Task.sleep(nanoseconds: 2_000_000) }
            while channel.bufferedAmount > highWater { try await Task.sleep(nanoseconds: 5_000_000) }
            switch payload(binary: binary, size: size, index: i) {
            case .text(let text):
                try channel.send(text)
                sent.add(Data(text.utf8), binary: false)
            case .binary(let data):
                try channel.send(data)
                sent.add(data, binary: true)
            }
        }
        return sent.result
    }

    func state() throws -> [String: Any] {
        let pc = try peer()
        var states: [String: Any] = [:]
        for (label, channel) in channels { states[label] = channel.readyState.rawValue }
        return ["signaling": pc.signalingState.rawValue, "ice": pc.iceConnectionState.rawValue,
                "connection": pc.connectionState.rawValue,
                "maxMessageSize": (try? pc.maxMessageSize).map { Int($0) } as Any? ?? NSNull(),
                "channels": states]
    }
}

// MARK: Input

/// The lines on stdin, read on a thread of their own (read(2), not readLine():
/// a thread blocked inside stdio would hold the lock exit() takes).
func inputLines() -> AsyncStream<Data> {
    AsyncStream { continuation in
        Thread.detachNewThread {
            var buffer = Data()
            while case let chunk = FileHandle.standardInput.availableData, !chunk.isEmpty {
                buffer.append(chunk)
                while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    continuation.yield(Data(buffer[buffer.startIndex..<newline]))
                    buffer = Data(buffer[(newline + 1)...])
                }
            }
            continuation.finish()
        }
    }
}

let agent = Agent()
emit(["ev": "hello", "userAgent": "omnirtc-swift/\(Library.version)"])
for await line in inputLines() {
    guard let message = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any] else {
        FileHandle.standardError.write(Data("swift-peer: not a JSON object: \(String(decoding: line, as: UTF8.self))\n".utf8))
        continue
    }
    await agent.dispatch(message)
}
exit(0) // the end of input ends the peer, as for the other library peers
