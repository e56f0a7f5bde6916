import COmniRTC
import Foundation

/// The layer a ``Forwarder`` subscriber receives.
public struct ForwarderLayer: Sendable, Equatable, Decodable {
    /// The `temporal` that selects every temporal layer.
    public static let allTemporal = Int(OMNIRTC_TEMPORAL_ALL)
    /// The `spatial` that selects every spatial layer.
    public static let allSpatial = Int(OMNIRTC_SPATIAL_ALL)

    /// The simulcast layer; nil: for a transceiver's layers, the first whose
    /// keyframe comes, kept until set otherwise.
    public var rid: String?
    /// The highest temporal layer, 0 to 7, or ``allTemporal``.
    public var temporal: Int
    /// The highest spatial layer of an SVC stream (VP9, AV1 with the
    /// dependency descriptor), 0 to 7, or ``allSpatial``.
    public var spatial: Int
    /// In ``Forwarder/layer(of:)``: whether a packet was forwarded; until then
    /// the layer is the one asked for.
    public var started: Bool
    /// In ``Forwarder/layer(of:)``: whether the layer is chosen from the
    /// subscriber's bandwidth (``Forwarder/setAuto(_:of:)``).
    public var auto: Bool
    /// In ``Forwarder/layer(of:)``: the layer the subscriber switches to, or
    /// receives: the one chosen, or the one set.
    public var targetRID: String?
    /// The highest temporal layer of the target, or ``allTemporal``.
    public var targetTemporal: Int
    /// The highest spatial layer of the target, or ``allSpatial``.
    public var targetSpatial: Int
    /// In ``Forwarder/layer(of:)``: the latest estimated available bitrate
    /// of the peer sending the track, in bits per second; 0 before the first.
    public var estimate: Int64

    public init(rid: String? = nil, temporal: Int = ForwarderLayer.allTemporal, spatial: Int = ForwarderLayer.allSpatial) {
        (self.rid, self.temporal, self.spatial, self.started) = (rid, temporal, spatial, false)
        (self.auto, self.targetRID, self.targetTemporal, self.targetSpatial, self.estimate) =
            (false, rid, temporal, spatial, 0)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let rid = try c.decode(String.self, forKey: .rid)
        (self.rid, self.temporal, self.spatial, self.started) = (
            rid.isEmpty ? nil : rid, try c.decode(Int.self, forKey: .temporal), try c.decode(Int.self, forKey: .spatial),
            try c.decode(Bool.self, forKey: .started)
        )
        (self.auto, self.estimate) = (try c.decode(Bool.self, forKey: .auto), try c.decode(Int64.self, forKey: .estimate))
        let target = try c.nestedContainer(keyedBy: CodingKeys.self, forKey: .target)
        let targetRID = try target.decode(String.self, forKey: .rid)
        (self.targetRID, self.targetTemporal, self.targetSpatial) = (
            targetRID.isEmpty ? nil : targetRID, try target.decode(Int.self, forKey: .temporal),
            try target.decode(Int.self, forKey: .spatial)
        )
    }

    private enum CodingKeys: String, CodingKey { case rid, temporal, spatial, started, auto, target, estimate }

    /// The layer as omnirtc_forwarder_set_layer_json takes it.
    var json: String {
        struct Asked: Encodable { let rid: String, temporal: Int, spatial: Int }
        let data = try? JSONEncoder().encode(Asked(rid: rid ?? "", temporal: temporal, spatial: spatial))
        return String(decoding: data ?? Data(), as: UTF8.self) // a string and two numbers always encode
    }
}

/// Forwards what a ``RemoteTrack``, or every simulcast layer of an
/// ``RtpTransceiver``, receives to subscribers: ``LocalTrack``s of mode
/// ``LocalTrack/Mode/rtp`` sent on other peers, each with a layer of its own.
/// Each subscriber sees one continuous stream (sequence numbers, timestamps,
/// VP8 and VP9 picture ids) and switches only where it can decode: a new rid
/// or a higher spatial layer (VP9 SVC, AV1 with the dependency descriptor) at
/// the next keyframe (asked for with a PLI), a temporal or spatial layer down
/// at once, a temporal layer up at a switch point. A subscriber's keyframe request goes
/// upstream for its layer. It runs nothing of its own and lives until
/// ``close()`` or its last reference goes; every method returns at once.
public final class Forwarder: Sendable {
    let handle: omnirtc_forwarder_t

    /// Forwards one remote track. Throws ``OmniRTCError/invalidState(_:)`` if
    /// it is forwarded already.
    public init(_ track: RemoteTrack) throws(OmniRTCError) {
        var handle: omnirtc_forwarder_t = 0
        try check(omnirtc_forwarder_create(track.sink.handle, &handle))
        self.handle = handle
    }

    /// Forwards every remote track of a transceiver: the layers of a
    /// simulcast group. Throws ``OmniRTCError/invalidState(_:)`` if it is
    /// forwarded already.
    public init(_ transceiver: RtpTransceiver) throws(OmniRTCError) {
        var handle: omnirtc_forwarder_t = 0
        try check(omnirtc_forwarder_create_group(transceiver.sink.handle, &handle))
        self.handle = handle
    }

    deinit { _ = omnirtc_forwarder_free(handle) } // already closed: INVALID_HANDLE, nothing to do

    /// Forwards `layer` to `track` from that layer's next keyframe. Throws
    /// ``OmniRTCError/invalidArgument(_:)`` for a sample track, another codec,
    /// an unknown rid or a layer out of range,
    /// ``OmniRTCError/invalidState(_:)`` if the track is a subscriber already.
    public func addSubscriber(_ track: LocalTrack, layer: ForwarderLayer = ForwarderLayer()) throws(OmniRTCError) {
        try check(omnirtc_forwarder_add_subscriber_json(handle, track.handle, layer.json))
    }

    /// Chooses the layer `track` receives; it switches at the next point that allows it.
    public func setLayer(_ layer: ForwarderLayer, of track: LocalTrack) throws(OmniRTCError) {
        try check(omnirtc_forwarder_set_layer_json(handle, track.handle, layer.json))
    }

    /// Chooses the layer `track` receives from the bandwidth estimate of the
    /// peer sending it (the "gcc" interceptor's, or its receiver's REMB),
    /// never above the layer set, with hysteresis; false: back to the layer set.
    public func setAuto(_ enabled: Bool, of track: LocalTrack) throws(OmniRTCError) {
        try check(omnirtc_forwarder_set_auto(handle, track.handle, enabled ? 1 : 0))
    }

    /// The layer `track` receives now.
    public func layer(of track: LocalTrack) throws(OmniRTCError) -> ForwarderLayer {
        let json = try callString { omnirtc_forwarder_get_layer(handle, track.handle, $0) } ?? "{}"
        do { return try JSONDecoder().decode(ForwarderLayer.self, from: Data(json.utf8)) } catch {
            throw .internal("forwarder layer: \(error)")
        }
    }

    /// Stops forwarding to `track`. Throws ``OmniRTCError/invalidArgument(_:)`` if it is no subscriber.
    public func removeSubscriber(_ track: LocalTrack) throws(OmniRTCError) {
        try check(omnirtc_forwarder_remove_subscriber(handle, track.handle))
    }

    /// Stops forwarding; the subscriber tracks stay open. Closing again does nothing.
    public func close() { _ = omnirtc_forwarder_free(handle) }
}
