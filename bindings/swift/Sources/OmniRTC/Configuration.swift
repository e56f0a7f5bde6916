import Foundation

/// A peer connection's configuration: W3C `RTCConfiguration` plus the engine
/// settings of the library's `"omnirtc"` section. Encoded to the JSON that
/// `omnirtc_peer_create` takes; only what is set is sent.
public struct Configuration: Sendable, Equatable {
    public var iceServers: [IceServer]
    public var iceTransportPolicy: IceTransportPolicy?
    public var bundlePolicy: BundlePolicy?
    /// PEM certificates with their private keys (see ``Library/generateCertificate()``),
    /// so a peer keeps its DTLS fingerprint across runs.
    public var certificates: [String]
    public var iceCandidatePoolSize: Int?
    /// Engine settings (ports, interfaces, mDNS, timeouts…).
    public var engine: EngineSettings

    public init(
        iceServers: [IceServer] = [], iceTransportPolicy: IceTransportPolicy? = nil,
        bundlePolicy: BundlePolicy? = nil, certificates: [String] = [], iceCandidatePoolSize: Int? = nil,
        engine: EngineSettings = EngineSettings()
    ) {
        self.iceServers = iceServers
        self.iceTransportPolicy = iceTransportPolicy
        self.bundlePolicy = bundlePolicy
        self.certificates = certificates
        self.iceCandidatePoolSize = iceCandidatePoolSize
        self.engine = engine
    }

    /// The JSON text the library takes.
    public func json() throws -> String { try encodeJSON(self) }
}

/// A STUN or TURN server (W3C `RTCIceServer`).
public struct IceServer: Sendable, Equatable, Codable {
    public var urls: [String]
    public var username: String?
    public var credential: String?
    /// PEM text of the certificate authorities trusted for this server's
    /// `turns:` URLs, in addition to the system's: lets a server with a private
    /// or self-signed certificate be used while verification stays on. Encoded
    /// as the library's `"omnirtc": {"caCertificates": …}` of this entry.
    public var caCertificates: String?

    public init(urls: [String], username: String? = nil, credential: String? = nil, caCertificates: String? = nil) {
        self.urls = urls
        self.username = username
        self.credential = credential
        self.caCertificates = caCertificates
    }

    private enum CodingKeys: String, CodingKey { case urls, username, credential, omnirtc }
    private enum EngineKeys: String, CodingKey { case caCertificates }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // W3C: a string or a list (getConfiguration gives them as they were given)
        urls = try (try? c.decode(String.self, forKey: .urls)).map { [$0] } ?? c.decode([String].self, forKey: .urls)
        username = try c.decodeIfPresent(String.self, forKey: .username)
        credential = try c.decodeIfPresent(String.self, forKey: .credential)
        if c.contains(.omnirtc) {
            let engine = try c.nestedContainer(keyedBy: EngineKeys.self, forKey: .omnirtc)
            caCertificates = try engine.decodeIfPresent(String.self, forKey: .caCertificates)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(urls, forKey: .urls)
        try c.encodeIfPresent(username, forKey: .username)
        try c.encodeIfPresent(credential, forKey: .credential)
        if let caCertificates {
            var engine = c.nestedContainer(keyedBy: EngineKeys.self, forKey: .omnirtc)
            try engine.encode(caCertificates, forKey: .caCertificates)
        }
    }
}

public enum IceTransportPolicy: String, Sendable, Codable { case all, relay }
public enum BundlePolicy: String, Sendable, Codable {
    case balanced
    case maxCompat = "max-compat"
    case maxBundle = "max-bundle"
}

/// The library's engine settings (the `"omnirtc"` object documented at
/// `omnirtc_peer_create` in omnirtc.h). Unset values keep the library's defaults.
public struct EngineSettings: Sendable, Equatable {
    public struct PortRange: Sendable, Equatable, Codable {
        public var min: UInt16
        public var max: UInt16
        public init(min: UInt16, max: UInt16) {
            self.min = min
            self.max = max
        }
    }

    public enum MDNS: String, Sendable, Codable { case disabled, query, gather }

    /// UDP ports for host candidates.
    public var portRange: PortRange?
    /// One shared UDP port for every peer that sets it (ICE UDP mux).
    public var udpMuxPort: UInt16?
    /// Accept ICE-TCP on this shared TCP port.
    public var tcpMuxPort: UInt16?
    /// "udp4", "udp6", "tcp4", "tcp6".
    public var networkTypes: [String]?
    /// Only gather on these interfaces.
    public var interfaces: [String]?
    /// Only gather these local addresses.
    public var ips: [String]?
    public var nat1to1IPs: [String]?
    /// "host" or "srflx".
    public var nat1to1CandidateType: String?
    public var mdns: MDNS?
    /// Gather 127.0.0.1 / ::1 candidates.
    public var includeLoopback: Bool?
    public var iceDisconnectedTimeoutMs: Int?
    public var iceFailedTimeoutMs: Int?
    public var iceKeepaliveIntervalMs: Int?
    /// The largest data channel message this peer accepts.
    public var sctpMaxMessageSize: Int?
    /// UDP socket buffer size to ask for (0: the OS default).
    public var udpBufferSize: Int?
    /// Interceptor names: "nack", "nackGenerator", "nackResponder", "rtx",
    /// "rtcpReports", "twcc", "gcc", "remb", "rembEstimator", "flexfec", "red", "ulpfec",
    /// "stats", "jitterBuffer" (see the header; "omnirtc.ulpfec" goes in ``additional``).
    public var interceptors: [String]?
    /// Options of the "jitterBuffer" interceptor.
    public var jitterBuffer: JitterBufferSettings?
    /// Further keys of the `"omnirtc"` object, sent as they are: settings newer
    /// than this binding. The library rejects keys it does not know.
    public var additional: [String: JSONValue]

    public init(
        portRange: PortRange? = nil, udpMuxPort: UInt16? = nil, tcpMuxPort: UInt16? = nil,
        networkTypes: [String]? = nil, interfaces: [String]? = nil, ips: [String]? = nil,
        nat1to1IPs: [String]? = nil, nat1to1CandidateType: String? = nil, mdns: MDNS? = nil,
        includeLoopback: Bool? = nil, iceDisconnectedTimeoutMs: Int? = nil, iceFailedTimeoutMs: Int? = nil,
        iceKeepaliveIntervalMs: Int? = nil, sctpMaxMessageSize: Int? = nil, udpBufferSize: Int? = nil,
        interceptors: [String]? = nil, jitterBuffer: JitterBufferSettings? = nil,
        additional: [String: JSONValue] = [:]
    ) {
        self.portRange = portRange
        self.udpMuxPort = udpMuxPort
        self.tcpMuxPort = tcpMuxPort
        self.networkTypes = networkTypes
        self.interfaces = interfaces
        self.ips = ips
        self.nat1to1IPs = nat1to1IPs
        self.nat1to1CandidateType = nat1to1CandidateType
        self.mdns = mdns
        self.includeLoopback = includeLoopback
        self.iceDisconnectedTimeoutMs = iceDisconnectedTimeoutMs
        self.iceFailedTimeoutMs = iceFailedTimeoutMs
        self.iceKeepaliveIntervalMs = iceKeepaliveIntervalMs
        self.sctpMaxMessageSize = sctpMaxMessageSize
        self.udpBufferSize = udpBufferSize
        self.interceptors = interceptors
        self.jitterBuffer = jitterBuffer
        self.additional = additional
    }
}

/// The options of a new data channel (W3C `RTCDataChannelInit`).
public struct DataChannelOptions: Sendable, Equatable, Encodable {
    /// Deliver in order (default true).
    public var ordered: Bool
    /// Give up retransmitting after this many milliseconds (exclusive with ``maxRetransmits``).
    public var maxPacketLifeTime: UInt16?
    /// Give up after this many retransmissions (exclusive with ``maxPacketLifeTime``).
    public var maxRetransmits: UInt16?
    /// The sub-protocol name.
    public var `protocol`: String
    /// Both sides create the channel themselves with the same ``id``; no
    /// ``PeerConnection/dataChannels`` event announces it.
    public var negotiated: Bool
    /// The SCTP stream id, 0...65534 (required when ``negotiated``).
    public var id: UInt16?

    public init(
        ordered: Bool = true, maxPacketLifeTime: UInt16? = nil, maxRetransmits: UInt16? = nil,
        protocol: String = "", negotiated: Bool = false, id: UInt16? = nil
    ) {
        self.ordered = ordered
        self.maxPacketLifeTime = maxPacketLifeTime
        self.maxRetransmits = maxRetransmits
        self.protocol = `protocol`
        self.negotiated = negotiated
        self.id = id
    }
}

/// Any JSON value: for settings newer than this binding and for stats.
public enum JSONValue: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n): try c.encode(n)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// The number, if this is one.
    public var number: Double? { if case .number(let n) = self { n } else { nil } }
    /// The string, if this is one.
    public var string: String? { if case .string(let s) = self { s } else { nil } }
}

extension Configuration: Encodable {
    private enum Keys: String, CodingKey {
        case iceServers, iceTransportPolicy, bundlePolicy, certificates, iceCandidatePoolSize, omnirtc
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        if !iceServers.isEmpty { try c.encode(iceServers, forKey: .iceServers) }
        try c.encodeIfPresent(iceTransportPolicy, forKey: .iceTransportPolicy)
        try c.encodeIfPresent(bundlePolicy, forKey: .bundlePolicy)
        if !certificates.isEmpty { try c.encode(certificates, forKey: .certificates) }
        try c.encodeIfPresent(iceCandidatePoolSize, forKey: .iceCandidatePoolSize)
        if engine != EngineSettings() { try c.encode(engine, forKey: .omnirtc) }
    }
}

extension EngineSettings: Encodable {
    private typealias Key = JSONKey

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        func put<T: Encodable>(_ name: String, _ value: T?) throws {
            if let value { try c.encode(value, forKey: Key(name)) }
        }
        try put("portRange", portRange)
        try put("udpMuxPort", udpMuxPort)
        try put("tcpMuxPort", tcpMuxPort)
        try put("networkTypes", networkTypes)
        try put("interfaces", interfaces)
        try put("ips", ips)
        try put("nat1to1IPs", nat1to1IPs)
        try put("nat1to1CandidateType", nat1to1CandidateType)
        try put("mdns", mdns)
        try put("includeLoopback", includeLoopback)
        try put("iceDisconnectedTimeoutMs", iceDisconnectedTimeoutMs)
        try put("iceFailedTimeoutMs", iceFailedTimeoutMs)
        try put("iceKeepaliveIntervalMs", iceKeepaliveIntervalMs)
        try put("sctpMaxMessageSize", sctpMaxMessageSize)
        try put("udpBufferSize", udpBufferSize)
        try put("interceptors", interceptors)
        try put("jitterBuffer", jitterBuffer)
        for (name, value) in additional.sorted(by: { $0.key < $1.key }) { try put(name, value) }
    }
}

/// JSON text of a value, as the library takes it.
func encodeJSON<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
