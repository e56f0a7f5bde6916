// Media events, from the library's event queue to Swift concurrency (see
// EventBridge.swift: the peer's drain takes them in order). A peer's remote tracks and transceivers are routed by
// handle through tables in its PeerSink's state; a remote track leaves its
// table at TRACK_ENDED, and everything ends at PEER_CLOSED.
import COmniRTC
import Foundation

/// A remote track's frames or packets waiting unread: past this many the
/// oldest are dropped, as a player that falls behind would skip them.
let mediaBufferLimit = 4096

/// A transceiver's events and the local track its sender sends.
final class TransceiverSink: Sendable {
    let handle: omnirtc_transceiver_t
    let keyframeRequests = Pipe<KeyframeRequest>(bufferingPolicy: .bufferingNewest(mediaBufferLimit))
    /// Its DTMF sender's tone changes (DTMF.swift).
    let toneChanges = Pipe<String>(bufferingPolicy: .bufferingNewest(mediaBufferLimit))
    let senderTrack: Locked<LocalTrack?>
    /// The peer's DTLS transport (sender and receiver `transport`).
    let dtls: DtlsTransport?
    /// W3C [[LastReturnedParameters]] of the sender (RtpParameters.swift).
    let lastParameters = Locked<LastParameters?>(nil)

    init(handle: omnirtc_transceiver_t, track: LocalTrack? = nil, dtls: DtlsTransport? = nil) {
        self.handle = handle
        senderTrack = Locked(track)
        self.dtls = dtls
    }

    /// The peer closed: its streams end.
    func end() {
        keyframeRequests.continuation.finish()
        toneChanges.continuation.finish()
    }
}

/// A remote track's events.
final class TrackSink: Sendable {
    let handle: omnirtc_track_t
    /// The track event's (the remote description's), then, from its unmute, the received ssrc and codec.
    let info: Locked<RemoteTrackInfo>
    let transceiver: TransceiverSink
    let frames = Pipe<EncodedFrame>(bufferingPolicy: .bufferingNewest(mediaBufferLimit))
    let rtpPackets = Pipe<RTPPacket>(bufferingPolicy: .bufferingNewest(mediaBufferLimit))
    let dtmfTones = Pipe<DTMFTone>(bufferingPolicy: .bufferingNewest(mediaBufferLimit))
    let muteChanges = Pipe<Bool>(bufferingPolicy: .bufferingNewest(mediaBufferLimit))
    let muted = Locked(true)
    let ended = Locked(false)

    init(handle: omnirtc_track_t, info: RemoteTrackInfo, transceiver: TransceiverSink) {
        self.handle = handle
        self.info = Locked(info)
        self.transceiver = transceiver
    }

    /// TRACK_MUTE or TRACK_UNMUTE: the new muted, streamed when it changed.
    func setMuted(_ value: Bool) {
        let changed = muted.withLock { m in
            defer { m = value }
            return m != value
        }
        guard changed else { return }
        if !value, let json = try? callString({ omnirtc_track_get_info(handle, $0) }),
            let received = try? JSONDecoder().decode(RemoteTrackInfo.self, from: Data(json.utf8))
        {
            info.withLock { $0 = received }
        }
        muteChanges.continuation.yield(value)
    }

    func end() {
        let was = ended.withLock { e in
            defer { e = true }
            return e
        }
        guard !was else { return }
        frames.continuation.finish()
        rtpPackets.continuation.finish()
        dtmfTones.continuation.finish()
        muteChanges.continuation.finish()
    }
}

/// What OMNIRTC_EVENT_TRACK's text says about a remote track.
struct RemoteTrackInfo: Sendable, Decodable {
    var id = ""
    var streamIds: [String] = []
    var kind = ""
    var rid = ""
    var ssrc: UInt32 = 0
    var mid: String?
    var codec = RtpCodec()

    init() {}

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id) ?? ""
        streamIds = try c.decodeIfPresent([String].self, forKey: .streamIds) ?? []
        kind = try c.decodeIfPresent(String.self, forKey: .kind) ?? ""
        rid = try c.decodeIfPresent(String.self, forKey: .rid) ?? ""
        ssrc = try c.decodeIfPresent(UInt32.self, forKey: .ssrc) ?? 0
        mid = try c.decodeIfPresent(String.self, forKey: .mid)
        codec = try c.decodeIfPresent(RtpCodec.self, forKey: .codec) ?? RtpCodec()
    }

    private enum CodingKeys: String, CodingKey { case id, streamIds, kind, rid, ssrc, mid, codec }
}

extension PeerSink {
    /// The sink of a transceiver handle, made the first time it is seen.
    func transceiver(_ handle: omnirtc_transceiver_t, track: LocalTrack? = nil) -> TransceiverSink {
        state.withLock { s in
            if let sink = s.transceivers[handle] {
                if let track { sink.senderTrack.withLock { $0 = track } }
                return sink
            }
            let sink = TransceiverSink(handle: handle, track: track, dtls: dtls.withLock { $0 })
            s.transceivers[handle] = sink
            if s.closed { sink.end() }
            return sink
        }
    }

    /// One media event (type 40 and up).
    func handleMedia(_ e: omnirtc_event_t) {
        switch e.type {
        case code(OMNIRTC_EVENT_TRACK):
            // muted until its first packet; announced again (the same sink) when its remote sends it again
            let t = e.track
            let info = (try? JSONDecoder().decode(RemoteTrackInfo.self, from: Data(text(t.info_json).utf8))) ?? RemoteTrackInfo()
            let made = TrackSink(handle: t.track, info: info, transceiver: transceiver(t.transceiver))
            let (track, closed) = state.withLock { s in
                let track = s.tracks[t.track] ?? made
                if !s.closed { s.tracks[t.track] = track }
                return (track, s.closed)
            }
            if closed { track.end() }
            events.deliver(.track(RemoteTrack(track)))
            trackStreamed()
        case code(OMNIRTC_EVENT_TRACK_MUTE), code(OMNIRTC_EVENT_TRACK_UNMUTE):
            let muted = e.type == code(OMNIRTC_EVENT_TRACK_MUTE)
            state.withLock { $0.tracks[e.track_mute.track] }?.setMuted(muted)
        case code(OMNIRTC_EVENT_TRACK_FRAME):
            let f = e.frame
            guard let track = state.withLock({ $0.tracks[f.track] }) else { return }
            let bytes = UnsafeBufferPointer(start: f.data, count: f.data == nil ? 0 : f.size)
            track.frames.continuation.yield(
                EncodedFrame(data: Data(bytes), timestamp: f.rtp_timestamp, keyframe: f.keyframe != 0, lost: Int(f.packets_dropped)))
        case code(OMNIRTC_EVENT_TRACK_RTP):
            let p = e.rtp
            guard let track = state.withLock({ $0.tracks[p.track] }) else { return }
            let known = { (v: Int32) -> Int? in v < 0 ? nil : Int(v) }
            track.rtpPackets.continuation.yield(
                RTPPacket(
                    data: Data(UnsafeBufferPointer(start: p.data, count: p.data == nil ? 0 : p.size)),
                    spatialID: known(Int32(p.spatial_id)), temporalID: known(Int32(p.temporal_id)),
                    keyframe: known(p.keyframe).map { $0 == 1 }, switchPoint: known(p.switch_point).map { $0 == 1 }))
        case code(OMNIRTC_EVENT_TRACK_ENDED):
            state.withLock { $0.tracks.removeValue(forKey: e.track_ended.track) }?.end()
        case code(OMNIRTC_EVENT_KEYFRAME_REQUEST):
            let k = e.keyframe_request
            let request = KeyframeRequest(method: k.kind == Int32(OMNIRTC_KEYFRAME_FIR) ? .fir : .pli, rid: text(k.rid))
            transceiver(k.transceiver).keyframeRequests.continuation.yield(request)
        case code(OMNIRTC_EVENT_TARGET_BITRATE):
            let b = e.target_bitrate
            events.deliver(.targetBitrate(BitrateTarget(bitrate: b.bits_per_second, json: text(b.streams_json))))
        case code(OMNIRTC_EVENT_DTMF_TONE_CHANGE):
            let c = e.dtmf_tone_change
            transceiver(c.transceiver).toneChanges.continuation.yield(text(c.tone))
        case code(OMNIRTC_EVENT_DTMF_TONE):
            let t = e.dtmf_tone
            guard let track = state.withLock({ $0.tracks[t.track] }) else { return }
            track.dtmfTones.continuation.yield(DTMFTone(tone: text(t.tone), duration: .milliseconds(t.duration_ms)))
        default:
            break
        }
    }

    /// The peer closed: every remote track, keyframe and tone change stream ends.
    func closedMedia() {
        let (tracks, transceivers) = state.withLock { s in
            defer { s.tracks = [:] }
            return (Array(s.tracks.values), Array(s.transceivers.values))
        }
        for track in tracks { track.end() }
        for transceiver in transceivers { transceiver.end() }
    }
}
