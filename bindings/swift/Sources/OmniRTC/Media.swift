import COmniRTC
import Foundation

// Media is sent and received already encoded: OmniRTC packetizes, protects
// (NACK/RTX, FlexFEC), reassembles and reports, but never encodes or decodes.

/// `audio` or `video`.
public enum MediaKind: String, Sendable, Codable { case audio, video }

/// W3C `RTCRtpTransceiverDirection`.
public enum TransceiverDirection: String, Sendable, Codable { case sendrecv, sendonly, recvonly, inactive, stopped }

/// A negotiated codec (W3C `RTCRtpCodecParameters`).
public struct RtpCodec: Sendable, Equatable, Codable {
    public var payloadType: UInt8 = 0
    /// "video/VP8", "audio/opus"…
    public var mimeType = ""
    public var clockRate: UInt32 = 0
    /// Audio channels (0 for video).
    public var channels: UInt16 = 0
    /// The fmtp line ("minptime=10;useinbandfec=1"…), "" for none.
    public var sdpFmtpLine = ""

    public init(payloadType: UInt8 = 0, mimeType: String = "", clockRate: UInt32 = 0, channels: UInt16 = 0, sdpFmtpLine: String = "") {
        (self.payloadType, self.mimeType, self.clockRate, self.channels, self.sdpFmtpLine) =
            (payloadType, mimeType, clockRate, channels, sdpFmtpLine)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        payloadType = try c.decodeIfPresent(UInt8.self, forKey: .payloadType) ?? 0
        mimeType = try c.decodeIfPresent(String.self, forKey: .mimeType) ?? ""
        clockRate = try c.decodeIfPresent(UInt32.self, forKey: .clockRate) ?? 0
        channels = try c.decodeIfPresent(UInt16.self, forKey: .channels) ?? 0
        sdpFmtpLine = try c.decodeIfPresent(String.self, forKey: .sdpFmtpLine) ?? ""
    }

    private enum CodingKeys: String, CodingKey { case payloadType, mimeType, clockRate, channels, sdpFmtpLine }
}

/// A codec for ``RtpTransceiver/setCodecPreferences(_:)``: a MIME type, and
/// optionally one fmtp variant (nil: all of them).
public struct CodecPreference: Sendable, Equatable, Encodable {
    public var mimeType: String
    public var sdpFmtpLine: String?

    public init(mimeType: String, sdpFmtpLine: String? = nil) {
        self.mimeType = mimeType
        self.sdpFmtpLine = sdpFmtpLine
    }
}

/// One encoding of a sent track (W3C `RTCRtpEncodingParameters`): several make simulcast.
public struct SendEncoding: Sendable, Equatable, Codable {
    /// The simulcast layer: one of the track's `rids`, in order.
    public var rid: String?
    /// false: what is written to this layer is dropped.
    public var active: Bool?
    /// For the application's encoder: reported back, not enforced.
    public var maxBitrate: Int?
    public var scaleResolutionDownBy: Double?
    /// W3C webrtc-svc: the layers the application's encoder is to make ("L3T3_KEY"); one the track's codec
    /// cannot send is an ``OmniRTCError/operation(_:)`` (VP9 and AV1 send every mode, VP8 and H.264 L1T1-L1T3).
    public var scalabilityMode: String?

    public init(
        rid: String? = nil, active: Bool? = nil, maxBitrate: Int? = nil, scaleResolutionDownBy: Double? = nil,
        scalabilityMode: String? = nil
    ) {
        (self.rid, self.active, self.maxBitrate, self.scaleResolutionDownBy) = (rid, active, maxBitrate, scaleResolutionDownBy)
        self.scalabilityMode = scalabilityMode
    }
}

/// One received RTP packet (receive mode ``TrackReceive/Mode/rtp``) with the SVC layer its VP9 payload
/// descriptor or AV1 Dependency Descriptor says.
public struct RTPPacket: Sendable, Equatable {
    public var data: Data
    /// Its spatial and temporal layer; nil when the packet says none (another codec, AV1 without the extension).
    public var spatialID: Int?
    public var temporalID: Int?
    /// Its frame refers to no earlier one; nil when the packet has no descriptor.
    public var keyframe: Bool?
    /// A receiver of only the lower layers can switch up to this one here; nil when the packet has no descriptor.
    public var switchPoint: Bool?
}

/// One received frame (one packet for audio), reassembled by the jitter buffer.
public struct EncodedFrame: Sendable, Equatable {
    public var data: Data
    /// Its RTP timestamp (in the codec's clock rate).
    public var timestamp: UInt32
    /// Whether it decodes on its own (always true for audio).
    public var keyframe: Bool
    /// Received packets dropped just before it, their frame incomplete.
    public var lost: Int
}

/// A keyframe request the remote sent to a sender.
public struct KeyframeRequest: Sendable, Equatable {
    public enum Method: String, Sendable { case pli, fir }
    public var method: Method
    /// The simulcast layer asked for, "" for none.
    public var rid: String
}

/// How remote tracks are delivered (``PeerConnection/trackReceive``, ``RemoteTrack/setReceive(_:)``).
public struct TrackReceive: Sendable, Equatable, Encodable {
    public enum Mode: String, Sendable, Encodable {
        /// Whole frames on ``RemoteTrack/frames`` (the default).
        case frames
        /// RTP packets, after NACK/RTX repair, on ``RemoteTrack/rtpPackets``.
        case rtp
        /// Read and dropped.
        case none
    }

    public var mode: Mode
    /// Frames: how many packets, and how much media time, to wait for a missing one before dropping its frame.
    public var maxLate: Int?
    public var maxDelayMs: Int?

    public init(_ mode: Mode, maxLate: Int? = nil, maxDelayMs: Int? = nil) {
        (self.mode, self.maxLate, self.maxDelayMs) = (mode, maxLate, maxDelayMs)
    }

    public static let frames = TrackReceive(.frames)
    public static let rtp = TrackReceive(.rtp)
    public static let none = TrackReceive(.none)
}

/// A track this side sends, fed with encoded media: whole frames
/// (``write(sample:duration:rid:)``) or RTP packets (``write(rtp:rid:)``).
/// It belongs to no peer connection (one track may be sent on several) and
/// lives until ``close()`` or until its last reference goes.
public final class LocalTrack: Sendable, Hashable {
    /// What a track is fed with.
    public enum Mode: String, Sendable, Codable {
        /// Encoded frames, packetized by the library.
        case sample
        /// RTP packets, rewritten to the negotiated payload type and SSRC.
        case rtp
    }

    let handle: omnirtc_track_t
    public let id: String
    public let kind: MediaKind
    /// The codec's MIME type ("video/VP8").
    public let codec: String
    public let streamId: String
    public let mode: Mode
    /// Simulcast layers, [] for none.
    public let rids: [String]

    private struct Info: Decodable {
        var id: String
        var kind: MediaKind
        var codec: String
        var streamId: String?
        var mode: Mode?
        var rids: [String]?
    }

    private struct Init: Encodable {
        var codec: String
        var id: String?
        var streamId: String?
        var mode: Mode
        var rids: [String]?
    }

    /// A track of `codec`: a MIME type or name (opus, pcmu, pcma, g722, vp8,
    /// vp9, h264, h265, av1). Throws ``OmniRTCError/notSupported(_:)`` for an
    /// unknown codec, ``OmniRTCError/invalidArgument(_:)`` for a bad option.
    public init(codec: String, id: String? = nil, streamId: String? = nil, mode: Mode = .sample, rids: [String] = [])
        throws(OmniRTCError)
    {
        let json: String
        do {
            json = try encodeJSON(Init(codec: codec, id: id, streamId: streamId, mode: mode, rids: rids.isEmpty ? nil : rids))
        } catch {
            throw .invalidArgument("track options: \(error)")
        }
        var handle: omnirtc_track_t = 0
        try check(omnirtc_track_create(json, &handle))
        self.handle = handle
        let text = try? callString { omnirtc_track_get_info(handle, $0) }
        guard let text, let data = text.data(using: .utf8), let info = try? JSONDecoder().decode(Info.self, from: data) else {
            _ = omnirtc_track_close(handle)
            throw .internal("track info: \(String(describing: text))")
        }
        (self.id, self.kind, self.codec, self.streamId, self.mode, self.rids) =
            (info.id, info.kind, info.codec, info.streamId ?? "", info.mode ?? mode, info.rids ?? [])
    }

    deinit { _ = omnirtc_track_close(handle) } // already closed: INVALID_HANDLE, nothing to do

    /// Sends one encoded frame (H264/H265: an Annex-B access unit; audio: one
    /// packet) lasting `duration`, which advances the next one's RTP timestamp.
    /// Dropped until the track is negotiated. Throws ``OmniRTCError/invalidHandle(_:)``
    /// once closed, ``OmniRTCError/invalidState(_:)`` on an RTP track,
    /// ``OmniRTCError/invalidArgument(_:)`` for empty data or an unknown rid.
    public func write(sample data: Data, duration: Duration, rid: String? = nil) throws(OmniRTCError) {
        let (seconds, attoseconds) = duration.components
        let micros = UInt64(max(0, seconds * 1_000_000 + attoseconds / 1_000_000_000_000))
        let status = data.withUnsafeBytes { omnirtc_track_write_sample(handle, rid, $0.baseAddress, $0.count, micros) }
        try check(status)
    }

    /// Sends one RTP packet; its payload type and SSRC are rewritten to the
    /// negotiated ones. Throws ``OmniRTCError/invalidArgument(_:)`` for malformed RTP.
    public func write(rtp packet: Data, rid: String? = nil) throws(OmniRTCError) {
        let status = packet.withUnsafeBytes { omnirtc_track_write_rtp(handle, rid, $0.baseAddress, $0.count) }
        try check(status)
    }

    /// Ends the track: senders send nothing more and writes throw
    /// ``OmniRTCError/invalidHandle(_:)``. Closing again does nothing.
    public func close() {
        _ = omnirtc_track_close(handle)
    }

    public static func == (a: LocalTrack, b: LocalTrack) -> Bool { a === b }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// A track the remote sends (one per simulcast layer: see ``rid``), from
/// ``PeerConnection/tracks``. Its streams end when it ends or its peer closes.
///
/// As W3C webrtc-pc 4.4.1.6 has it, it comes while the remote description
/// that announces it is set (on ``PeerConnection/tracks`` before
/// ``PeerConnection/setRemoteDescription(_:)`` returns), muted until its first
/// packet; a later description in which the remote no longer sends it mutes it
/// (it does not end: only its transceiver's stop or its peer's close ends it),
/// and one in which the remote sends it again delivers it on
/// ``PeerConnection/tracks`` again.
public final class RemoteTrack: Sendable {
    let sink: TrackSink

    init(_ sink: TrackSink) { self.sink = sink }

    private var info: RemoteTrackInfo { sink.info.withLock { $0 } }

    public var id: String { info.id }
    public var kind: MediaKind { MediaKind(rawValue: info.kind) ?? .video }
    public var streamIds: [String] { info.streamIds }
    /// The simulcast layer, nil for none.
    public var rid: String? { info.rid.isEmpty ? nil : info.rid }
    /// The received SSRC once unmuted (before: the description's first, or 0).
    public var ssrc: UInt32 { info.ssrc }
    public var mid: String? { info.mid }
    /// The codec it arrives in, once unmuted (before: the description's first).
    public var codec: RtpCodec { info.codec }
    /// W3C `muted`: true until its first packet, and while its remote does not send it.
    public var isMuted: Bool { sink.muted.withLock { $0 } }
    /// Each change of ``isMuted`` (W3C `mute` / `unmute`): false at the first
    /// packet, true when a description stops the remote sending it.
    public var muteChanges: AsyncStream<Bool> { sink.muteChanges.stream }
    /// The transceiver receiving it.
    public var transceiver: RtpTransceiver { RtpTransceiver(sink.transceiver) }
    public var isEnded: Bool { sink.ended.withLock { $0 } }

    /// Whole frames, when the track is received as frames (the default).
    public var frames: AsyncStream<EncodedFrame> { sink.frames.stream }
    /// RTP packets, when the track is received as RTP (``TrackReceive/rtp``).
    public var rtpPackets: AsyncStream<RTPPacket> { sink.rtpPackets.stream }

    /// Changes how the track is delivered, from the next packet on. To apply
    /// from the first one, set ``PeerConnection/trackReceive`` before negotiating.
    public func setReceive(_ receive: TrackReceive) throws(OmniRTCError) {
        let json: String
        do { json = try encodeJSON(receive) } catch { throw .invalidArgument("receive options: \(error)") }
        try check(omnirtc_track_set_receive(sink.handle, json))
    }

    /// Asks the sender for a keyframe: a PLI, or a FIR with `fir`. Throws
    /// ``OmniRTCError/invalidState(_:)`` for audio or a closed peer,
    /// ``OmniRTCError/invalidHandle(_:)`` once the track ended.
    public func requestKeyframe(fir: Bool = false) throws(OmniRTCError) {
        try check(omnirtc_track_request_keyframe(sink.handle, fir ? 1 : 0))
    }

    /// Sends a REMB: the most, in bits per second, this receiver wants the
    /// sender to send on this video track (needs the "remb" interceptor; a
    /// sender with it gets a ``BitrateTarget`` with source `.remb`). Throws
    /// ``OmniRTCError/invalidArgument(_:)`` for a bitrate of 0 or less,
    /// ``OmniRTCError/invalidState(_:)`` for audio, REMB not negotiated or a
    /// closed peer, ``OmniRTCError/invalidHandle(_:)`` once the track ended.
    public func requestBitrate(_ bitrate: Int) throws(OmniRTCError) {
        try check(omnirtc_track_request_bitrate(sink.handle, Int64(bitrate)))
    }
}

/// W3C `RTCRtpTransceiver`. Its state is the library's, read on each access;
/// valid while its peer connection is open.
public final class RtpTransceiver: Sendable, Hashable {
    let sink: TransceiverSink

    init(_ sink: TransceiverSink) { self.sink = sink }

    struct Info: Decodable {
        var mid: String?
        var kind: MediaKind?
        var direction: TransceiverDirection?
        var currentDirection: TransceiverDirection?
        var senderTrackId: String?
        var sendEncodings: [SendEncoding]?
        var codecs: [RtpCodec]?
        var stopped: Bool?
        var removed: Bool?
    }

    var info: Info? {
        guard let json = try? callString({ omnirtc_transceiver_get_info(sink.handle, $0) }) else { return nil }
        return try? JSONDecoder().decode(Info.self, from: Data(json.utf8))
    }

    /// The media id, nil until negotiated.
    public var mid: String? { info?.mid }
    public var kind: MediaKind? { info?.kind }
    public var direction: TransceiverDirection? { info?.direction }
    /// The direction negotiated, nil before.
    public var currentDirection: TransceiverDirection? { info?.currentDirection }
    public var sendEncodings: [SendEncoding] { info?.sendEncodings ?? [] }
    /// The codecs negotiated (or offered), in preference order.
    public var codecs: [RtpCodec] { info?.codecs ?? [] }
    /// W3C `stopped`: stop was called, or a description rejected its media section.
    public var stopped: Bool { info?.stopped ?? false }
    public var sender: RtpSender { RtpSender(sink) }

    /// W3C `setCodecPreferences`: the codecs to offer, in order ([] restores
    /// the defaults); RTX follows its codec. Applies from the next offer or
    /// answer. Throws ``OmniRTCError/invalidArgument(_:)`` for an unknown codec or one of the other kind.
    public func setCodecPreferences(_ codecs: [CodecPreference]) throws(OmniRTCError) {
        let json: String
        do { json = try encodeJSON(codecs) } catch { throw .invalidArgument("codecs: \(error)") }
        try check(omnirtc_transceiver_set_codec_preferences(sink.handle, json))
    }

    /// The W3C `direction` setter: the next offer or answer proposes
    /// `direction`, `negotiationNeeded` follows when it changed, and
    /// ``currentDirection`` changes once that is negotiated. Throws
    /// ``OmniRTCError/invalidArgument(_:)`` for `.stopped` and
    /// ``OmniRTCError/invalidState(_:)`` once the transceiver is stopped.
    public func setDirection(_ direction: TransceiverDirection) throws(OmniRTCError) {
        try check(omnirtc_transceiver_set_direction(sink.handle, direction.rawValue))
    }

    /// W3C `stop`.
    public func stop() throws(OmniRTCError) {
        try check(omnirtc_transceiver_stop(sink.handle))
    }

    public static func == (a: RtpTransceiver, b: RtpTransceiver) -> Bool { a.sink === b.sink }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(sink)) }
}

/// W3C `RTCRtpSender`: the sending half of a transceiver.
public final class RtpSender: Sendable {
    let sink: TransceiverSink

    init(_ sink: TransceiverSink) { self.sink = sink }

    /// The track it sends, nil for none.
    public var track: LocalTrack? { sink.senderTrack.withLock { $0 } }
    public var transceiver: RtpTransceiver { RtpTransceiver(sink) }

    /// The remote's keyframe requests (PLI or FIR): encode a keyframe next.
    public var keyframeRequests: AsyncStream<KeyframeRequest> { sink.keyframeRequests.stream }

    /// W3C `replaceTrack`, without renegotiation; nil stops sending. Throws
    /// ``OmniRTCError/invalidArgument(_:)`` for a track of the other kind,
    /// ``OmniRTCError/notSupported(_:)`` for a simulcast track.
    public func replaceTrack(_ track: LocalTrack?) async throws(OmniRTCError) {
        try check(omnirtc_transceiver_replace_track(sink.handle, track?.handle ?? 0))
        sink.senderTrack.withLock { $0 = track }
    }
}

extension PeerConnection {
    /// Remote tracks as they arrive (one per simulcast layer).
    public var tracks: AsyncStream<RemoteTrack> { sink.events.perKind.tracks.stream }
    /// With the "gcc" or "remb" interceptor: new targets for the
    /// application's encoder, from GCC's estimate or the remote's REMB.
    public var targetBitrates: AsyncStream<BitrateTarget> { sink.events.perKind.targetBitrates.stream }

    /// How remote tracks arriving from now on are delivered (default: frames),
    /// from their first packet.
    public var trackReceive: TrackReceive {
        get { sink.state.withLock { $0.trackReceive } ?? .frames }
        set {
            sink.state.withLock { s in // under the lock: concurrent sets reach the library in order
                s.trackReceive = newValue
                _ = omnirtc_peer_set_track_receive(handle, try? encodeJSON(newValue)) // a closed peer: nothing to apply
            }
        }
    }

    /// W3C `addTrack`: sends `track` on a new or reusable transceiver
    /// (``negotiationNeeded`` follows). Throws ``OmniRTCError/operation(_:)``
    /// if the track is already sent here.
    @discardableResult
    public func addTrack(_ track: LocalTrack) throws(OmniRTCError) -> RtpSender {
        var handle: omnirtc_transceiver_t = 0
        try check(omnirtc_peer_add_track(self.handle, track.handle, &handle))
        return RtpSender(sink.transceiver(handle, track: track))
    }

    /// W3C `addTransceiver` with a kind.
    @discardableResult
    public func addTransceiver(
        kind: MediaKind, direction: TransceiverDirection = .sendrecv, sendEncodings: [SendEncoding] = []
    ) throws(OmniRTCError) -> RtpTransceiver {
        try addTransceiver(kind.rawValue, nil, direction, sendEncodings)
    }

    /// W3C `addTransceiver` with a track; several `sendEncodings` send simulcast
    /// (their rids must be the track's, in order).
    @discardableResult
    public func addTransceiver(
        track: LocalTrack, direction: TransceiverDirection = .sendrecv, sendEncodings: [SendEncoding] = []
    ) throws(OmniRTCError) -> RtpTransceiver {
        try addTransceiver(nil, track, direction, sendEncodings)
    }

    private struct TransceiverInit: Encodable {
        var direction: TransceiverDirection
        var sendEncodings: [SendEncoding]?
    }

    private func addTransceiver(_ kind: String?, _ track: LocalTrack?, _ direction: TransceiverDirection, _ encodings: [SendEncoding])
        throws(OmniRTCError) -> RtpTransceiver
    {
        let json: String
        do {
            json = try encodeJSON(TransceiverInit(direction: direction, sendEncodings: encodings.isEmpty ? nil : encodings))
        } catch {
            throw .invalidArgument("transceiver options: \(error)")
        }
        var handle: omnirtc_transceiver_t = 0
        try check(omnirtc_peer_add_transceiver(self.handle, kind, track?.handle ?? 0, json, &handle))
        return RtpTransceiver(sink.transceiver(handle, track: track))
    }

    /// W3C `removeTrack`: the sender stops sending (``negotiationNeeded`` follows).
    public func removeTrack(_ sender: RtpSender) throws(OmniRTCError) {
        try check(omnirtc_peer_remove_track(handle, sender.sink.handle))
        sender.sink.senderTrack.withLock { $0 = nil }
    }

    /// The transceivers this side made, and those of the remote's tracks, oldest first, without those a
    /// rollback of the remote offer that made them removed (webrtc-pc 4.4.1.6 step 9; the library says which).
    public var transceivers: [RtpTransceiver] {
        sink.state.withLock { s in s.transceivers.sorted { $0.key < $1.key }.map { RtpTransceiver($0.value) } }
            .filter { !($0.info?.removed ?? false) }
    }
}
