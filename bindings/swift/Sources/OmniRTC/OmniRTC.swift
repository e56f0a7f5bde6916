import COmniRTC
import Foundation

/// The library as a whole.
public enum Library {
    /// The loaded libomnirtc's version ("0.1.0").
    public static var version: String { String(cString: omnirtc_version()) }

    /// Live handles, goroutines and sockets of the library, for leak checks.
    public static func debugCounters() throws(OmniRTCError) -> DebugCounters {
        let json = try callString { omnirtc_debug_counters($0) } ?? "{}"
        do {
            return try JSONDecoder().decode(DebugCounters.self, from: Data(json.utf8))
        } catch {
            throw .internal("debug counters: \(error)")
        }
    }

    /// A new DTLS certificate and key as PEM, for ``Configuration/certificates``.
    public static func generateCertificate() throws(OmniRTCError) -> String {
        try callString { omnirtc_generate_certificate($0) } ?? ""
    }

    /// Closes every peer connection. Call it before exiting while events may be in flight.
    public static func shutdown() {
        _ = omnirtc_shutdown()
    }
}

/// The library's counters (omnirtc_debug_counters).
public struct DebugCounters: Sendable, Equatable, Decodable {
    public struct Handles: Sendable, Equatable, Decodable {
        public var peer: Int
        public var channel: Int
    }

    public var handles: Handles
    public var goroutines: Int
    public var sockets: Int
    public var peers: Int
    public var queuedEvents: Int
    /// Log lines lost because the log stream's reader fell behind.
    public var logsDropped: Int?
}
