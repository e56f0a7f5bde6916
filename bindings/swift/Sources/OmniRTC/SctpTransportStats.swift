/// W3C `RTCSctpTransportStats`, the "sctp-transport" entry of a ``StatsReport``:
/// the sending side of the data channels' SCTP association, one snapshot.
/// Members without a W3C name are ours; `omnirtc_peer_get_stats` in omnirtc.h
/// says what each counts. Sizes in bytes, counters since the association started.
public struct SctpTransportStats: Sendable, Equatable {
    /// The id of the "transport" entry the association runs over.
    public var transportId: String
    /// Seconds; 0 before a measurement.
    public var smoothedRoundTripTime: Double
    public var congestionWindow: Int
    /// The peer's receiver window.
    public var receiverWindow: Int
    public var mtu: Int
    /// DATA chunks sent and not yet acknowledged.
    public var unackData: Int
    public var slowStartThreshold: Int
    public var bytesInFlight: Int
    /// Our own receiver window, as our SACKs advertise it.
    public var localReceiverWindow: Int
    public var retransmittedChunks: Int
    public var retransmittedBytes: Int
    /// DATA chunks sent again by fast retransmission.
    public var fastRetransmissions: Int
    /// T3-rtx timer expirations.
    public var retransmissionTimeouts: Int
    /// DATA chunks RACK (RFC 8985) declared lost.
    public var rackLostChunks: Int

    /// The figures of an "sctp-transport" entry; nil if one is missing or of another type.
    init?(_ entry: [String: JSONValue]) {
        func int(_ key: String) -> Int? {
            guard case .number(let n)? = entry[key] else { return nil }
            return Int(exactly: n)
        }
        guard case .string(let transportId)? = entry["transportId"],
            case .number(let smoothedRoundTripTime)? = entry["smoothedRoundTripTime"],
            let congestionWindow = int("congestionWindow"), let receiverWindow = int("receiverWindow"),
            let mtu = int("mtu"), let unackData = int("unackData"),
            let slowStartThreshold = int("slowStartThreshold"), let bytesInFlight = int("bytesInFlight"),
            let localReceiverWindow = int("localReceiverWindow"),
            let retransmittedChunks = int("retransmittedChunks"), let retransmittedBytes = int("retransmittedBytes"),
            let fastRetransmissions = int("fastRetransmissions"),
            let retransmissionTimeouts = int("retransmissionTimeouts"), let rackLostChunks = int("rackLostChunks")
        else { return nil }
        self.transportId = transportId
        self.smoothedRoundTripTime = smoothedRoundTripTime
        self.congestionWindow = congestionWindow
        self.receiverWindow = receiverWindow
        self.mtu = mtu
        self.unackData = unackData
        self.slowStartThreshold = slowStartThreshold
        self.bytesInFlight = bytesInFlight
        self.localReceiverWindow = localReceiverWindow
        self.retransmittedChunks = retransmittedChunks
        self.retransmittedBytes = retransmittedBytes
        self.fastRetransmissions = fastRetransmissions
        self.retransmissionTimeouts = retransmissionTimeouts
        self.rackLostChunks = rackLostChunks
    }
}

extension StatsReport {
    /// The "sctp-transport" entry, typed; nil before SCTP runs.
    public var sctpTransport: SctpTransportStats? {
        stats(ofType: "sctp-transport").first.flatMap(SctpTransportStats.init)
    }
}
