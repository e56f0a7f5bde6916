// W3C RTCRtpSender/RTCRtpReceiver.getCapabilities(), getParameters() /
// setParameters() (webrtc-pc 5.2) and sender/receiver `transport` (5.2, 5.3).
import COmniRTC
import Foundation

/// A codec a peer connection offers (W3C `RTCRtpCodec`).
public struct RtpCodecCapability: Sendable, Equatable, Decodable {
    public var mimeType: String
    public var clockRate: UInt32
    public var channels: UInt16?
    /// "" for none.
    public var sdpFmtpLine: String
    /// W3C webrtc-svc: the scalability modes it can send ("L1T3", "L3T3_KEY"…), empty for none.
    public var scalabilityModes: [String]

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        mimeType = try c.decode(String.self, forKey: .mimeType)
        clockRate = try c.decode(UInt32.self, forKey: .clockRate)
        channels = try c.decodeIfPresent(UInt16.self, forKey: .channels)
        sdpFmtpLine = try c.decodeIfPresent(String.self, forKey: .sdpFmtpLine) ?? ""
        scalabilityModes = try c.decodeIfPresent([String].self, forKey: .scalabilityModes) ?? []
    }

    private enum CodingKeys: String, CodingKey { case mimeType, clockRate, channels, sdpFmtpLine, scalabilityModes }
}

/// W3C `RTCRtpCapabilities`.
public struct RtpCapabilities: Sendable, Equatable, Decodable {
    public struct HeaderExtension: Sendable, Equatable, Decodable { public var uri: String }
    /// In preference order, "video/rtx" once.
    public var codecs: [RtpCodecCapability]
    public var headerExtensions: [HeaderExtension]
}

/// W3C `getCapabilities(kind)`: what a peer connection with the default
/// configuration offers. Senders and receivers have the same.
func rtpCapabilities(_ kind: MediaKind) throws(OmniRTCError) -> RtpCapabilities {
    let json = try callString { omnirtc_rtp_capabilities(kind.rawValue, $0) } ?? "{}"
    do {
        return try JSONDecoder().decode(RtpCapabilities.self, from: Data(json.utf8))
    } catch {
        throw .internal("capabilities: \(error)")
    }
}

/// W3C `RTCRtpSendParameters`, as ``RtpSender/parameters`` gives them.
/// Only the encodings' `active`, `maxBitrate`, `scaleResolutionDownBy` and `scalabilityMode` may change.
public struct RtpSendParameters: Sendable, Equatable {
    public var transactionId: String
    public var encodings: [SendEncoding]
    /// The negotiated codecs; read only.
    public var codecs: [RtpCodec]

    public init(transactionId: String, encodings: [SendEncoding], codecs: [RtpCodec]) {
        (self.transactionId, self.encodings, self.codecs) = (transactionId, encodings, codecs)
    }
}

/// A sender's W3C [[LastReturnedParameters]] and the task it was returned to.
struct LastParameters: Sendable {
    var parameters: RtpSendParameters
    var task: Int?
}

/// The current task's identity (nil outside one).
private func currentTask() -> Int? { withUnsafeCurrentTask { $0?.hashValue } }

extension RtpSender {
    /// W3C `getCapabilities(kind)`.
    public static func capabilities(kind: MediaKind) throws(OmniRTCError) -> RtpCapabilities { try rtpCapabilities(kind) }

    /// W3C `transport`: nil until the transceiver is negotiated (has a mid),
    /// then the peer's one DTLS transport (bundle).
    public var transport: DtlsTransport? { transceiver.mid == nil ? nil : sink.dtls }

    /// W3C `getParameters()`: the encodings and codecs, with a new
    /// `transactionId`. W3C lets ``setParameters(_:)`` take them within the
    /// task that got them; here that is the same Swift `Task`, until the next
    /// `parameters` or a `setParameters`.
    public var parameters: RtpSendParameters {
        let info = transceiver.info
        let parameters = RtpSendParameters(
            transactionId: UUID().uuidString, encodings: info?.sendEncodings ?? [], codecs: info?.codecs ?? [])
        sink.lastParameters.withLock { $0 = LastParameters(parameters: parameters, task: currentTask()) }
        return parameters
    }

    /// W3C `setParameters()`: each encoding's `active` (false stops that
    /// layer at once, true resumes it), `maxBitrate`, `scaleResolutionDownBy` and `scalabilityMode`.
    /// Throws ``OmniRTCError/invalidState(_:)`` without ``parameters`` read
    /// in this task since the last set; ``OmniRTCError/invalidModification(_:)``
    /// for another `transactionId`, other codecs, or an encoding added,
    /// removed or given another rid; ``OmniRTCError/invalidArgument(_:)``
    /// (W3C RangeError) for a `scaleResolutionDownBy` below 1; ``OmniRTCError/operation(_:)``
    /// for a `scalabilityMode` the codec cannot send.
    public func setParameters(_ parameters: RtpSendParameters) async throws(OmniRTCError) {
        guard let last = sink.lastParameters.withLock({ $0 }), last.task == currentTask() else {
            throw .invalidState("read parameters first, in the same task")
        }
        guard parameters.transactionId == last.parameters.transactionId else {
            throw .invalidModification("transactionId is not the one parameters gave last")
        }
        guard parameters.codecs == last.parameters.codecs else {
            throw .invalidModification("codecs cannot be changed by setParameters")
        }
        struct Encodings: Encodable { var encodings: [SendEncoding] }
        let json: String
        do { json = try encodeJSON(Encodings(encodings: parameters.encodings)) } catch { throw .invalidArgument("parameters: \(error)") }
        try check(omnirtc_transceiver_set_parameters(sink.handle, json))
        sink.lastParameters.withLock { $0 = nil }
    }
}

/// W3C `RTCRtpReceiver`: the receiving half of a transceiver; its tracks
/// arrive on ``PeerConnection/tracks``.
public final class RtpReceiver: Sendable {
    let sink: TransceiverSink

    init(_ sink: TransceiverSink) { self.sink = sink }

    public var transceiver: RtpTransceiver { RtpTransceiver(sink) }

    /// W3C `getCapabilities(kind)`: the same as ``RtpSender/capabilities(kind:)``.
    public static func capabilities(kind: MediaKind) throws(OmniRTCError) -> RtpCapabilities { try rtpCapabilities(kind) }

    /// W3C `transport`: as ``RtpSender/transport``.
    public var transport: DtlsTransport? { transceiver.mid == nil ? nil : sink.dtls }
}

extension RtpTransceiver {
    public var receiver: RtpReceiver { RtpReceiver(sink) }
}
