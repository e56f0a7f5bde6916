import COmniRTC

/// The library's garbage collector settings (omnirtc_set_gc): Go's GOGC and
/// GOMEMLIMIT, which a Swift process cannot put in the environment of a
/// library it has already loaded.
public struct GCSettings: Sendable, Equatable {
    /// GOGC: -1 for off, else 1...1_000_000 (Go's default 100).
    public var percent: Int32
    /// GOMEMLIMIT in bytes, 0 for none.
    public var memoryLimitBytes: Int64

    public init(percent: Int32 = 100, memoryLimitBytes: Int64 = 0) {
        self.percent = percent
        self.memoryLimitBytes = memoryLimitBytes
    }
}

extension Library {
    /// The collector settings in force; setting them applies them process-wide.
    /// Throws ``OmniRTCError/invalidArgument(_:)`` for out-of-range values, which change nothing.
    public static func setGC(_ settings: GCSettings) throws(OmniRTCError) {
        try check(omnirtc_set_gc(settings.percent, settings.memoryLimitBytes))
    }

    /// The collector settings in force.
    public static func gcSettings() throws(OmniRTCError) -> GCSettings {
        var percent: Int32 = 0
        var limit: Int64 = 0
        try check(omnirtc_get_gc(&percent, &limit))
        return GCSettings(percent: percent, memoryLimitBytes: limit)
    }
}
