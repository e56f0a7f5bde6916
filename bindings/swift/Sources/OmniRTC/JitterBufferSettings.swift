/// Options of the `"jitterBuffer"` interceptor (`"omnirtc.jitterBuffer"` in
/// omnirtc.h), which puts received RTP back in sequence order. It applies
/// only with `"jitterBuffer"` in ``EngineSettings/interceptors``; unset
/// values keep the library's defaults (200 ms, 512 packets).
public struct JitterBufferSettings: Sendable, Equatable, Codable {
    /// How long a packet that follows a gap waits for a retransmission.
    public var targetDelayMs: Int?
    /// How many sequence numbers the buffer spans.
    public var maxPackets: Int?

    public init(targetDelayMs: Int? = nil, maxPackets: Int? = nil) {
        self.targetDelayMs = targetDelayMs
        self.maxPackets = maxPackets
    }
}
