import COmniRTC
import Foundation

/// The library as a whole.
public enum Library {
    /// The loaded libomnirtc's version ("0.3.0").
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

    /// Closes every peer connection and TURN server. Call it before exiting while events may be in
    /// flight: once it returns the library calls nothing back, so their last events are not delivered.
    public static func shutdown() {
        _ = omnirtc_shutdown()
    }
}

/// The library's counters (omnirtc_debug_counters).
public struct DebugCounters: Sendable, Equatable, Decodable {
    public struct Handles: Sendable, Equatable, Decodable {
        public var peer: Int
        public var channel: Int
        /// Local tracks, remote tracks, transceivers, media readers and writers (0 when absent).
        public var track: Int
        public var remoteTrack: Int
        public var transceiver: Int
        public var mediaReader: Int
        public var mediaWriter: Int

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: Key.self)
            func count(_ name: String) throws -> Int { try c.decodeIfPresent(Int.self, forKey: Key(name)) ?? 0 }
            (peer, channel) = (try count("peer"), try count("channel"))
            (track, remoteTrack, transceiver) = (try count("track"), try count("remote track"), try count("transceiver"))
            (mediaReader, mediaWriter) = (try count("media reader"), try count("media writer"))
        }

        private typealias Key = JSONKey
    }

    public var handles: Handles
    public var goroutines: Int
    public var sockets: Int
    public var peers: Int
    public var queuedEvents: Int
    /// Log lines lost because the log stream's reader fell behind.
    public var logsDropped: Int?
}
