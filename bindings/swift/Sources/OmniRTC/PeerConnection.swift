import COmniRTC
import Foundation

/// A WebRTC peer connection (W3C `RTCPeerConnection`).
///
/// Negotiation steps are `async throws`; events are `AsyncStream`s that buffer
/// from the moment the connection is made, each meant for one consumer, and
/// end when it closes. Releasing the last reference closes the connection.
///
/// ```swift
/// let pc = try PeerConnection()
/// let chat = try pc.createDataChannel(label: "chat")
/// Task { for await candidate in pc.iceCandidates { signal(candidate) } }
/// try await pc.setLocalDescription(try await pc.createOffer())
/// ```
public final class PeerConnection: Sendable {
    let handle: omnirtc_peer_t
    let sink: PeerSink
    /// The sink's drain: ends once it took PEER_CLOSED.
    let drained: Task<Void, Never>
    /// The transports (Transports.swift); `sctp` once negotiated, then always the same.
    let transports: PeerTransports
    let sctpTransport = Locked<SctpTransport?>(nil)

    /// Creates a peer connection. Throws ``OmniRTCError/invalidConfig(_:)``
    /// (naming the key) for a configuration the library rejects.
    public init(configuration: Configuration = Configuration()) throws(OmniRTCError) {
        let json: String
        do {
            json = try configuration.json()
        } catch {
            throw .invalidArgument("configuration: \(error)")
        }
        let sink = PeerSink()
        let userData = Unmanaged.passRetained(sink)
        var handle: omnirtc_peer_t = 0
        let status = omnirtc_peer_create_polled(json, { peerNotifyCallback($0, $1) }, userData.toOpaque(), &handle)
        do {
            try check(status)
        } catch {
            userData.release() // no event will ever come
            throw error
        }
        self.handle = handle
        self.sink = sink
        let transports = PeerTransports(handle: handle, events: sink.events)
        self.transports = transports
        sink.dtls.withLock { $0 = DtlsTransport(transports) }
        drained = Task.detached { await sink.drain() } // a notify before this waits in sink.wakes
    }

    deinit {
        sink.closing()
        _ = omnirtc_peer_close(handle) // already closed: INVALID_HANDLE, nothing to do
    }

    // MARK: Events

    // Read the events either all on ``events``, in the order they happened,
    // or split over the per-kind streams below (each keeps its kind's order),
    // not both: each event is delivered once.

    /// Every event of the connection in the library's order (W3C event order):
    /// for example a remote channel's ``PeerConnectionEvent/dataChannel(_:)``
    /// after the state changes that came before it.
    public var events: AsyncStream<PeerConnectionEvent> { sink.events.all }
    /// Local candidates to send to the remote, ending with ``IceCandidate/endOfCandidates``.
    public var iceCandidates: AsyncStream<IceCandidate> { sink.events.perKind.iceCandidates.stream }
    public var connectionStates: AsyncStream<PeerConnectionState> { sink.events.perKind.connectionStates.stream }
    public var iceConnectionStates: AsyncStream<IceConnectionState> { sink.events.perKind.iceConnectionStates.stream }
    public var gatheringStates: AsyncStream<IceGatheringState> { sink.events.perKind.gatheringStates.stream }
    public var signalingStates: AsyncStream<SignalingState> { sink.events.perKind.signalingStates.stream }
    /// Data channels the remote opened.
    public var dataChannels: AsyncStream<DataChannel> { sink.events.perKind.dataChannels.stream }
    /// An element whenever a new offer is needed (a channel or an ICE restart).
    public var negotiationNeeded: AsyncStream<Void> { sink.events.perKind.negotiationNeeded.stream }

    // MARK: State

    // The library's current state, as W3C getters give it right after an
    // `await`; the events report the same changes later. Once closed, the
    // last state the events reported (`closed`, except for gathering).
    public var signalingState: SignalingState { current(omnirtc_peer_get_signaling_state, \.signaling) }
    public var iceGatheringState: IceGatheringState { current(omnirtc_peer_get_ice_gathering_state, \.gathering) }
    public var iceConnectionState: IceConnectionState {
        current(omnirtc_peer_get_ice_connection_state, \.iceConnection)
    }
    public var connectionState: PeerConnectionState { current(omnirtc_peer_get_connection_state, \.connection) }

    private func current<S: CaseIterable & Sendable>(
        _ getter: (omnirtc_peer_t, UnsafeMutablePointer<Int32>?) -> omnirtc_status_t, _ field: KeyPath<PeerSink.State, S>
    ) -> S {
        var value: Int32 = 0
        if getter(handle, &value) == 0, let state = S(library: value) { return state }
        return sink.state.withLock { $0[keyPath: field] }
    }

    public var localDescription: SessionDescription? { description(Int32(OMNIRTC_DESCRIPTION_LOCAL)) }
    public var remoteDescription: SessionDescription? { description(Int32(OMNIRTC_DESCRIPTION_REMOTE)) }
    public var currentLocalDescription: SessionDescription? { description(Int32(OMNIRTC_DESCRIPTION_CURRENT_LOCAL)) }
    public var pendingLocalDescription: SessionDescription? { description(Int32(OMNIRTC_DESCRIPTION_PENDING_LOCAL)) }
    public var currentRemoteDescription: SessionDescription? {
        description(Int32(OMNIRTC_DESCRIPTION_CURRENT_REMOTE))
    }
    public var pendingRemoteDescription: SessionDescription? {
        description(Int32(OMNIRTC_DESCRIPTION_PENDING_REMOTE))
    }

    private func description(_ which: Int32) -> SessionDescription? {
        var type: UnsafeMutablePointer<CChar>?
        var sdp: UnsafeMutablePointer<CChar>?
        guard omnirtc_peer_get_description(handle, which, &type, &sdp) == 0 else { return nil }
        guard let kind = takeString(type).flatMap(SessionDescription.Kind.init(rawValue:)), let text = takeString(sdp)
        else { return nil }
        return SessionDescription(type: kind, sdp: text)
    }

    /// The largest message ``DataChannel/send(_:)-(Data)`` accepts now.
    public var maxMessageSize: UInt64 {
        get throws(OmniRTCError) {
            var size: UInt64 = 0
            try check(omnirtc_peer_get_max_message_size(handle, &size))
            return size
        }
    }

    // MARK: Negotiation

    /// Creates an offer; `iceRestart` asks for new ICE credentials.
    public func createOffer(iceRestart: Bool = false) async throws(OmniRTCError) -> SessionDescription {
        let options = iceRestart ? "{\"iceRestart\":true}" : nil
        let sdp = try callString { omnirtc_peer_create_offer(handle, options, $0) }
        return SessionDescription(type: .offer, sdp: sdp ?? "")
    }

    /// Creates an answer to the remote offer.
    public func createAnswer() async throws(OmniRTCError) -> SessionDescription {
        let sdp = try callString { omnirtc_peer_create_answer(handle, nil, $0) }
        return SessionDescription(type: .answer, sdp: sdp ?? "")
    }

    /// Applies a local description, or without one creates and applies the
    /// offer or answer the signaling state calls for. Gathering starts:
    /// candidates arrive on ``iceCandidates`` (trickle ICE). When it returns,
    /// its signaling-state event is in the event streams (SignalingBarrier.swift).
    public func setLocalDescription(_ description: SessionDescription? = nil) async throws(OmniRTCError) {
        try await describe(local: true, description?.type.rawValue, description?.sdp)
    }

    /// Applies the remote peer's description. When it returns, its
    /// signaling-state events are in the event streams.
    public func setRemoteDescription(_ description: SessionDescription) async throws(OmniRTCError) {
        try await describe(local: false, description.type.rawValue, description.sdp)
    }

    /// Adds a remote candidate; ``IceCandidate/endOfCandidates`` says no more will come.
    public func addIceCandidate(_ candidate: IceCandidate) async throws(OmniRTCError) {
        let line = candidate.isEndOfCandidates ? nil : candidate.candidate
        try check(omnirtc_peer_add_ice_candidate(handle, line, candidate.sdpMid, candidate.sdpMLineIndex ?? -1))
    }

    /// Asks for an ICE restart: ``negotiationNeeded`` follows, and the next offer has new credentials.
    public func restartIce() async throws(OmniRTCError) {
        try check(omnirtc_peer_restart_ice(handle))
    }

    /// The W3C stats report.
    public func stats() async throws(OmniRTCError) -> StatsReport {
        let json = try callString { omnirtc_peer_get_stats(handle, $0) } ?? "{}"
        do {
            return StatsReport(entries: try JSONDecoder().decode([String: [String: JSONValue]].self, from: Data(json.utf8)))
        } catch {
            throw .internal("stats: \(error)")
        }
    }

    /// Creates a data channel. Throws ``OmniRTCError/invalidArgument(_:)``
    /// (naming the option) for options the library rejects.
    public func createDataChannel(label: String, options: DataChannelOptions = DataChannelOptions()) throws(OmniRTCError)
        -> DataChannel
    {
        let json: String
        do {
            json = try encodeJSON(options)
        } catch {
            throw .invalidArgument("data channel options: \(error)")
        }
        var channel: omnirtc_channel_t = 0
        try check(omnirtc_channel_create(handle, label, json, &channel))
        let channelSink = ChannelSink(handle: channel)
        sink.register(channelSink)
        return DataChannel(channelSink)
    }

    /// Closes the connection and its channels; every event stream ends. When it
    /// returns no more events come: events not yet taken are dropped. Closing
    /// again does nothing.
    public func close() async throws(OmniRTCError) {
        sink.closing()
        let status = omnirtc_peer_close(handle)
        if status != Int32(OMNIRTC_ERR_INVALID_HANDLE) { try check(status) }
        await drained.value
    }
}

/// A W3C `RTCStatsReport`: stats dictionaries by id.
public struct StatsReport: Sendable, Equatable {
    public let entries: [String: [String: JSONValue]]

    /// The dictionaries whose "type" is `type` ("candidate-pair", "data-channel"…).
    public func stats(ofType type: String) -> [[String: JSONValue]] {
        entries.values.filter { $0["type"] == .string(type) }
    }
}
