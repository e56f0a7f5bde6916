import COmniRTC

/// How much the engine logs (`OMNIRTC_LOG_*`), from least to most.
public enum LogLevel: Int32, Sendable, Comparable, CaseIterable {
    case error = 1, warning, info, debug, trace

    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rawValue < b.rawValue }
}

/// One line of the engine's log.
public struct LogMessage: Sendable, Equatable {
    public let level: LogLevel
    /// The subsystem: "ice", "dtls", "sctp", "omnirtc"…
    public let scope: String
    public let message: String
}

/// Where the library's log callback delivers; nil while logging is off.
private let logPipe = Locked<AsyncStream<LogMessage>.Continuation?>(nil)

private func logCallback(_ level: Int32, _ scope: UnsafePointer<CChar>?, _ message: UnsafePointer<CChar>?) {
    guard let level = LogLevel(rawValue: level) else { return }
    let line = LogMessage(level: level, scope: text(scope), message: text(message))
    logPipe.withLock { _ = $0?.yield(line) }
}

extension Library {
    /// Routes the engine's log (pion's included) at `level` or more severe to
    /// the returned stream, for peer connections created afterwards. A stream
    /// from an earlier call ends. The library drops lines rather than slow the
    /// engine, and the stream keeps the newest 10,000 unread ones.
    public static func logs(level: LogLevel) throws(OmniRTCError) -> AsyncStream<LogMessage> {
        let (stream, continuation) = AsyncStream.makeStream(of: LogMessage.self, bufferingPolicy: .bufferingNewest(10_000))
        let earlier = logPipe.withLock { pipe in
            defer { pipe = continuation }
            return pipe
        }
        earlier?.finish()
        try check(omnirtc_set_log_callback(level.rawValue, { _, level, scope, message in
            logCallback(level, scope, message)
        }, nil))
        return stream
    }

    /// Stops logging; the stream of ``logs(level:)`` ends.
    public static func stopLogs() {
        _ = omnirtc_set_log_callback(Int32(OMNIRTC_LOG_NONE), nil, nil) // returns once no callback runs
        logPipe.withLock { pipe in
            defer { pipe = nil }
            return pipe
        }?.finish()
    }
}
