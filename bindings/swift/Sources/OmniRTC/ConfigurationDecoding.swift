// The configuration as the library reports it (omnirtc_peer_get_configuration,
// W3C getConfiguration()), decoded into ``Configuration``, and
// ``PeerConnection/setConfiguration(_:)`` (webrtc-pc 4.4.1.6).
import COmniRTC
import Foundation

extension Configuration: Decodable {
    private enum Members: String, CodingKey {
        case iceServers, iceTransportPolicy, bundlePolicy, certificates, iceCandidatePoolSize, omnirtc
    }

    /// Decodes the library's JSON. `rtcpMuxPolicy` is always "require" here, so it has no member.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Members.self)
        self.init(
            iceServers: try c.decodeIfPresent([IceServer].self, forKey: .iceServers) ?? [],
            iceTransportPolicy: try c.decodeIfPresent(IceTransportPolicy.self, forKey: .iceTransportPolicy),
            bundlePolicy: try c.decodeIfPresent(BundlePolicy.self, forKey: .bundlePolicy),
            certificates: try c.decodeIfPresent([String].self, forKey: .certificates) ?? [],
            iceCandidatePoolSize: try c.decodeIfPresent(Int.self, forKey: .iceCandidatePoolSize),
            engine: try c.decodeIfPresent(EngineSettings.self, forKey: .omnirtc) ?? EngineSettings())
    }
}

extension EngineSettings: Decodable {
    private static let known: Set = [
        "portRange", "udpMuxPort", "tcpMuxPort", "networkTypes", "interfaces", "ips", "nat1to1IPs",
        "nat1to1CandidateType", "mdns", "includeLoopback", "iceDisconnectedTimeoutMs", "iceFailedTimeoutMs",
        "iceKeepaliveIntervalMs", "sctpMaxMessageSize", "udpBufferSize", "interceptors", "jitterBuffer",
    ]

    /// Decodes the `"omnirtc"` object: known keys into their members, the
    /// others into ``additional``.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: JSONKey.self)
        func take<T: Decodable>(_ name: String) throws -> T? { try c.decodeIfPresent(T.self, forKey: JSONKey(name)) }
        self.init(
            portRange: try take("portRange"), udpMuxPort: try take("udpMuxPort"), tcpMuxPort: try take("tcpMuxPort"),
            networkTypes: try take("networkTypes"), interfaces: try take("interfaces"), ips: try take("ips"),
            nat1to1IPs: try take("nat1to1IPs"), nat1to1CandidateType: try take("nat1to1CandidateType"),
            mdns: try take("mdns"), includeLoopback: try take("includeLoopback"),
            iceDisconnectedTimeoutMs: try take("iceDisconnectedTimeoutMs"), iceFailedTimeoutMs: try take("iceFailedTimeoutMs"),
            iceKeepaliveIntervalMs: try take("iceKeepaliveIntervalMs"), sctpMaxMessageSize: try take("sctpMaxMessageSize"),
            udpBufferSize: try take("udpBufferSize"), interceptors: try take("interceptors"),
            jitterBuffer: try take("jitterBuffer"))
        for key in c.allKeys where !Self.known.contains(key.stringValue) {
            additional[key.stringValue] = try c.decode(JSONValue.self, forKey: key)
        }
    }
}

extension PeerConnection {
    /// W3C `getConfiguration()`: the members as given at creation or to the
    /// last ``setConfiguration(_:)``, with the W3C defaults of those not given.
    /// Throws ``OmniRTCError/invalidHandle(_:)`` once closed.
    public var configuration: Configuration {
        get throws(OmniRTCError) {
            let json = try callString { omnirtc_peer_get_configuration(handle, $0) } ?? "{}"
            do {
                return try JSONDecoder().decode(Configuration.self, from: Data(json.utf8))
            } catch {
                throw .internal("configuration: \(error)")
            }
        }
    }

    /// W3C `setConfiguration()`: `iceServers` and `iceTransportPolicy` may
    /// change (both are used from the next gathering: ``restartIce()``).
    /// Throws ``OmniRTCError/invalidModification(_:)`` when `certificates`,
    /// `bundlePolicy`, the engine settings or, once a local description is set,
    /// `iceCandidatePoolSize` differ (default engine settings keep the current
    /// ones); ``OmniRTCError/notSupported(_:)`` for changed `caCertificates`
    /// of a server; the construction errors for a bad server
    /// (``OmniRTCError/invalidSyntax(_:)``, ``OmniRTCError/invalidAccess(_:)``);
    /// ``OmniRTCError/invalidState(_:)`` once closed. Nothing changes on error.
    public func setConfiguration(_ configuration: Configuration) throws(OmniRTCError) {
        let json: String
        do {
            json = try configuration.json()
        } catch {
            throw .invalidArgument("configuration: \(error)")
        }
        try check(omnirtc_peer_set_configuration(handle, json))
    }
}
