import Foundation

/// A new target for what a peer sends (``PeerConnection/targetBitrates``):
/// what the application's encoder should follow.
public struct BitrateTarget: Sendable, Equatable {
    public enum Source: String, Sendable, Decodable {
        /// The "gcc" interceptor's estimate, for everything the peer sends.
        case gcc
        /// A REMB from the remote receiver ("remb" interceptor), for ``ssrcs``.
        case remb
    }
    /// Bits per second.
    public var bitrate: Int
    public var source: Source
    /// With REMB: the streams its bitrate covers together.
    public var ssrcs: [UInt32]
    /// With REMB: the mids of the transceivers sending ``ssrcs``.
    public var mids: [String]

    public init(bitrate: Int, source: Source, ssrcs: [UInt32] = [], mids: [String] = []) {
        self.bitrate = bitrate
        self.source = source
        self.ssrcs = ssrcs
        self.mids = mids
    }

    /// OMNIRTC_EVENT_TARGET_BITRATE's bits_per_second and streams_json.
    init(bitrate: Int64, json: String) {
        struct Text: Decodable {
            var source: Source
            var ssrcs: [UInt32]?
            var mids: [String]?
        }
        let text = try? JSONDecoder().decode(Text.self, from: Data(json.utf8))
        self.init(bitrate: Int(bitrate), source: text?.source ?? .gcc, ssrcs: text?.ssrcs ?? [], mids: text?.mids ?? [])
    }
}
