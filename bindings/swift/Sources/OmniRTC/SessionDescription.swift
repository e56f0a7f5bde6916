/// An SDP offer or answer (W3C `RTCSessionDescription`). `Codable`, to travel
/// over whatever signaling the application uses.
public struct SessionDescription: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case offer, answer, pranswer, rollback }

    public var type: Kind
    public var sdp: String

    public init(type: Kind, sdp: String) {
        self.type = type
        self.sdp = sdp
    }
}

/// A local or remote ICE candidate (W3C `RTCIceCandidateInit`). The last one
/// of a gathering is ``endOfCandidates``: pass it on like the others, it tells
/// the remote that no more will come.
public struct IceCandidate: Sendable, Equatable, Codable {
    /// The candidate line ("candidate:…"), empty at the end of candidates.
    public var candidate: String
    public var sdpMid: String?
    public var sdpMLineIndex: Int32?

    public init(candidate: String, sdpMid: String? = nil, sdpMLineIndex: Int32? = nil) {
        self.candidate = candidate
        self.sdpMid = sdpMid
        self.sdpMLineIndex = sdpMLineIndex
    }

    public static let endOfCandidates = IceCandidate(candidate: "")
    public var isEndOfCandidates: Bool { candidate.isEmpty }
}

/// W3C `RTCSignalingState`.
public enum SignalingState: String, Sendable, CaseIterable {
    case stable
    case haveLocalOffer = "have-local-offer"
    case haveRemoteOffer = "have-remote-offer"
    case haveLocalPranswer = "have-local-pranswer"
    case haveRemotePranswer = "have-remote-pranswer"
    case closed
}

/// W3C `RTCIceGatheringState`.
public enum IceGatheringState: String, Sendable, CaseIterable { case new, gathering, complete }

/// W3C `RTCIceConnectionState`.
public enum IceConnectionState: String, Sendable, CaseIterable {
    case new, checking, connected, completed, disconnected, failed, closed
}

/// W3C `RTCPeerConnectionState`.
public enum PeerConnectionState: String, Sendable, CaseIterable {
    case new, connecting, connected, disconnected, failed, closed
}

/// W3C `RTCDataChannelState`.
public enum DataChannelState: String, Sendable, CaseIterable { case connecting, open, closing, closed }

extension CaseIterable {
    /// The case with the library's number for it (the C enums count in W3C order).
    init?(library value: Int32) {
        let all = Array(Self.allCases)
        guard value >= 0, Int(value) < all.count else { return nil }
        self = all[Int(value)]
    }
}

/// W3C `RTCIceCandidateType`.
public enum IceCandidateType: String, Sendable { case host, srflx, prflx, relay }

extension IceCandidate {
    // The W3C RTCIceCandidate attributes, read from the candidate line
    // ("candidate:<foundation> <component> <protocol> <priority> <address> <port> typ <type> [raddr …]").
    // Each is nil when the line lacks it (and for end of candidates).

    private var fields: [Substring] {
        let line = candidate.hasPrefix("candidate:") ? candidate.dropFirst("candidate:".count) : Substring(candidate)
        return line.split(separator: " ")
    }

    private func field(_ index: Int) -> String? {
        let fields = self.fields
        return index < fields.count ? String(fields[index]) : nil
    }

    /// The value after `name` among the extensions that follow the type.
    private func attribute(_ name: String) -> String? {
        let fields = self.fields
        guard fields.count > 8 else { return nil }
        return stride(from: 8, to: fields.count - 1, by: 2).first { fields[$0] == name }.map { String(fields[$0 + 1]) }
    }

    public var foundation: String? { field(0) }
    public var component: Int? { field(1).flatMap { Int($0) } }
    /// "udp" or "tcp".
    public var transport: String? { field(2)?.lowercased() }
    public var priority: UInt32? { field(3).flatMap { UInt32($0) } }
    public var address: String? { field(4) }
    public var port: UInt16? { field(5).flatMap { UInt16($0) } }
    public var type: IceCandidateType? { field(6) == "typ" ? field(7).flatMap(IceCandidateType.init(rawValue:)) : nil }
    public var relatedAddress: String? { attribute("raddr") }
    public var relatedPort: UInt16? { attribute("rport").flatMap { UInt16($0) } }
    /// "active", "passive" or "so" for TCP candidates.
    public var tcpType: String? { attribute("tcptype") }
}
