/// A peer connection's event, as ``PeerConnection/events`` delivers them: in
/// the library's order (the per-kind streams keep the order within a kind only).
/// A data channel's own events are on its ``DataChannel/events``.
public enum PeerConnectionEvent: Sendable {
    /// A local candidate to send to the remote (W3C `icecandidate`).
    case iceCandidate(IceCandidate)
    case signalingState(SignalingState)
    case iceGatheringState(IceGatheringState)
    case iceConnectionState(IceConnectionState)
    case connectionState(PeerConnectionState)
    /// A new offer is needed (W3C `negotiationneeded`).
    case negotiationNeeded
    /// The remote opened a data channel (W3C `datachannel`).
    case dataChannel(DataChannel)
    /// A remote track arrived, with its first packet (W3C `track`).
    case track(RemoteTrack)
    /// The congestion controller's new target (see ``BitrateTarget``).
    case targetBitrate(BitrateTarget)
    /// The DTLS transport's new state (W3C `RTCDtlsTransport` `statechange`).
    case dtlsTransportState(DtlsTransportState)
    /// The SCTP transport's new state (W3C `RTCSctpTransport` `statechange`).
    case sctpTransportState(SctpTransportState)
    /// ICE selected another pair (W3C `selectedcandidatepairchange`).
    case selectedCandidatePair(IceCandidatePair)
}

/// A peer connection's per-kind streams, fed by its ``OrderedEvents``.
struct PeerStreams: EventKinds {
    let iceCandidates = Pipe<IceCandidate>()
    let signalingStates = Pipe<SignalingState>()
    let gatheringStates = Pipe<IceGatheringState>()
    let iceConnectionStates = Pipe<IceConnectionState>()
    let connectionStates = Pipe<PeerConnectionState>()
    let negotiationNeeded = Pipe<Void>()
    let dataChannels = Pipe<DataChannel>()
    let tracks = Pipe<RemoteTrack>()
    let targetBitrates = Pipe<BitrateTarget>(bufferingPolicy: .bufferingNewest(64))
    let dtlsStates = Pipe<DtlsTransportState>()
    let sctpStates = Pipe<SctpTransportState>()
    let selectedCandidatePairs = Pipe<IceCandidatePair>()

    func route(_ event: PeerConnectionEvent) {
        switch event {
        case .iceCandidate(let candidate): iceCandidates.continuation.yield(candidate)
        case .signalingState(let state): signalingStates.continuation.yield(state)
        case .iceGatheringState(let state): gatheringStates.continuation.yield(state)
        case .iceConnectionState(let state): iceConnectionStates.continuation.yield(state)
        case .connectionState(let state): connectionStates.continuation.yield(state)
        case .negotiationNeeded: negotiationNeeded.continuation.yield()
        case .dataChannel(let channel): dataChannels.continuation.yield(channel)
        case .track(let track): tracks.continuation.yield(track)
        case .targetBitrate(let target): targetBitrates.continuation.yield(target)
        case .dtlsTransportState(let state): dtlsStates.continuation.yield(state)
        case .sctpTransportState(let state): sctpStates.continuation.yield(state)
        case .selectedCandidatePair(let pair): selectedCandidatePairs.continuation.yield(pair)
        }
    }

    func end() {
        iceCandidates.continuation.finish()
        signalingStates.continuation.finish()
        gatheringStates.continuation.finish()
        iceConnectionStates.continuation.finish()
        connectionStates.continuation.finish()
        negotiationNeeded.continuation.finish()
        dataChannels.continuation.finish()
        tracks.continuation.finish()
        targetBitrates.continuation.finish()
        dtlsStates.continuation.finish()
        sctpStates.continuation.finish()
        selectedCandidatePairs.continuation.finish()
    }
}
