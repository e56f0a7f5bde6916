// W3C RTCIceTransport (webrtc-pc 5.6), RTCDtlsTransport (5.4) and
// RTCSctpTransport (6.1.1). One ICE and one DTLS transport carry everything
// (bundle). Their state is the library's (omnirtc_peer_get_transports), read
// on each access; once the peer is closed, the last state read with every
// transport "closed" (W3C close() fires no events). Their changes are events
// on ``PeerConnection/events`` or the per-kind streams here.
import COmniRTC
import Foundation

/// W3C `RTCIceRole`.
public enum IceRole: String, Sendable, Codable { case unknown, controlling, controlled }

/// W3C `RTCDtlsTransportState`.
public enum DtlsTransportState: String, Sendable, CaseIterable, Codable { case new, connecting, connected, closed, failed }

/// W3C `RTCSctpTransportState`.
public enum SctpTransportState: String, Sendable, CaseIterable, Codable { case connecting, connected, closed }

/// W3C `RTCIceCandidatePair`: the local and remote candidates ICE sends on.
public struct IceCandidatePair: Sendable, Equatable {
    public var local: IceCandidate
    public var remote: IceCandidate
}

/// What omnirtc_peer_get_transports says.
struct TransportsInfo: Sendable, Decodable {
    struct Ice: Sendable, Decodable {
        var state: IceConnectionState
        var gatheringState: IceGatheringState
        var role: IceRole
        var selectedPair: Pair?
        var localCandidates: [String]
        var remoteCandidates: [String]
    }
    struct Pair: Sendable, Decodable {
        var local: String
        var remote: String
    }
    struct Dtls: Sendable, Decodable {
        var state: DtlsTransportState
        var remoteCertificates: [String]
    }
    struct Sctp: Sendable, Decodable {
        var state: SctpTransportState
        var maxMessageSize: UInt64
        var maxChannels: UInt16?
    }
    var ice: Ice
    var dtls: Dtls
    var sctp: Sctp?

    static let initial = TransportsInfo(
        ice: Ice(state: .new, gatheringState: .new, role: .unknown, localCandidates: [], remoteCandidates: []),
        dtls: Dtls(state: .new, remoteCertificates: []))

    /// The same transports, closed.
    var closed: TransportsInfo {
        var info = self
        info.ice.state = .closed
        info.dtls.state = .closed
        info.sctp?.state = .closed
        return info
    }
}

extension IceConnectionState: Decodable {}
extension IceGatheringState: Decodable {}

/// A peer connection's transports: read from the library, or the last state, closed.
/// Holds the peer's event streams, not its PeerSink: the sink holds the
/// transceivers, which hold the DTLS transport.
final class PeerTransports: Sendable {
    let handle: omnirtc_peer_t
    let events: OrderedEvents<PeerStreams>
    /// The last state read; after close, what the getters report.
    private let last = Locked(TransportsInfo.initial)

    init(handle: omnirtc_peer_t, events: OrderedEvents<PeerStreams>) {
        self.handle = handle
        self.events = events
    }

    var current: TransportsInfo {
        if let json = try? callString({ omnirtc_peer_get_transports(handle, $0) }),
            let info = try? JSONDecoder().decode(TransportsInfo.self, from: Data(json.utf8))
        {
            last.withLock { $0 = info }
            return info
        }
        return last.withLock { $0 }.closed // closed: nothing more to read
    }
}

func candidateOf(_ line: String) -> IceCandidate { IceCandidate(candidate: line, sdpMLineIndex: 0) }

/// W3C `RTCIceTransport`. Its state and gathering state are the peer's ICE
/// connection and gathering states, whose changes are on
/// ``PeerConnection/iceConnectionStates`` and ``PeerConnection/gatheringStates``.
public final class IceTransport: Sendable {
    let peer: PeerTransports

    init(_ peer: PeerTransports) { self.peer = peer }

    public var state: IceConnectionState { peer.current.ice.state }
    public var gatheringState: IceGatheringState { peer.current.ice.gatheringState }
    /// `.unknown` until ICE starts (after both descriptions).
    public var role: IceRole { peer.current.ice.role }
    public var component: String { "rtp" }
    /// W3C `getSelectedCandidatePair()`: nil until ICE selected one.
    public var selectedCandidatePair: IceCandidatePair? {
        peer.current.ice.selectedPair.map { IceCandidatePair(local: candidateOf($0.local), remote: candidateOf($0.remote)) }
    }
    /// W3C `getLocalCandidates()`: the candidates gathered and sent on ``PeerConnection/iceCandidates``.
    public var localCandidates: [IceCandidate] { peer.current.ice.localCandidates.map(candidateOf) }
    /// W3C `getRemoteCandidates()`: the remote's, from its description and ``PeerConnection/addIceCandidate(_:)``.
    public var remoteCandidates: [IceCandidate] { peer.current.ice.remoteCandidates.map(candidateOf) }
    /// W3C `selectedcandidatepairchange`, with the new pair.
    public var selectedCandidatePairChanges: AsyncStream<IceCandidatePair> {
        peer.events.perKind.selectedCandidatePairs.stream
    }
}

/// W3C `RTCDtlsTransport`.
public final class DtlsTransport: Sendable {
    let peer: PeerTransports
    public let iceTransport: IceTransport

    init(_ peer: PeerTransports) {
        self.peer = peer
        iceTransport = IceTransport(peer)
    }

    public var state: DtlsTransportState { peer.current.dtls.state }
    /// W3C `getRemoteCertificates()`: the remote's chain, DER; empty before the handshake.
    public var remoteCertificates: [Data] { peer.current.dtls.remoteCertificates.compactMap { Data(base64Encoded: $0) } }
    /// W3C `statechange`, with the new state.
    public var states: AsyncStream<DtlsTransportState> { peer.events.perKind.dtlsStates.stream }
}

/// W3C `RTCSctpTransport`: the SCTP association the data channels share.
public final class SctpTransport: Sendable {
    let peer: PeerTransports
    public let transport: DtlsTransport

    init(_ peer: PeerTransports, _ transport: DtlsTransport) {
        self.peer = peer
        self.transport = transport
    }

    private var info: TransportsInfo.Sctp? { peer.current.sctp }
    public var state: SctpTransportState { info?.state ?? .closed }
    /// The largest message ``DataChannel/send(_:)-(Data)`` accepts now.
    public var maxMessageSize: UInt64 { info?.maxMessageSize ?? 65536 }
    /// nil until the association is connected.
    public var maxChannels: UInt16? { info?.maxChannels }
    /// W3C `statechange`, with the new state.
    public var states: AsyncStream<SctpTransportState> { peer.events.perKind.sctpStates.stream }
}

extension PeerConnection {
    /// W3C `sctp`: nil until an answer negotiated SCTP (an m=application
    /// section), then always the same object.
    public var sctp: SctpTransport? {
        sctpTransport.withLock { sctp in
            if sctp == nil, transports.current.sctp != nil, let dtls = sink.dtls.withLock({ $0 }) {
                sctp = SctpTransport(transports, dtls)
            }
            return sctp
        }
    }
}

extension PeerSink {
    /// TRANSPORT_STATE and SELECTED_CANDIDATE_PAIR, streamed.
    func handleTransport(_ e: omnirtc_event_t) {
        if e.type == code(OMNIRTC_EVENT_SELECTED_CANDIDATE_PAIR) {
            let p = e.selected_pair
            events.deliver(.selectedCandidatePair(IceCandidatePair(local: candidateOf(text(p.local)), remote: candidateOf(text(p.remote)))))
        } else if e.transport_state.transport == Int32(OMNIRTC_TRANSPORT_DTLS) {
            if let state = DtlsTransportState(library: e.transport_state.value) { events.deliver(.dtlsTransportState(state)) }
        } else if let state = SctpTransportState(library: e.transport_state.value) {
            events.deliver(.sctpTransportState(state))
        }
    }
}
