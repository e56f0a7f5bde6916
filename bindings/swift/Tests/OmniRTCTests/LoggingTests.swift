import Foundation
import XCTest

@testable import OmniRTC

/// The engine's log as a stream.
final class LoggingTests: XCTestCase {
    func testEngineLogReachesTheStreamUntilStopped() async throws {
        let logs = try Library.logs(level: .debug)
        let (a, b, local, remote) = try await connectedChannel(label: "logged")
        try local.send("x")
        _ = try await receive(1, from: remote)
        try await a.close()
        try await b.close()
        Library.stopLogs()
        let lines = try await within {
            var lines: [LogMessage] = []
            for await line in logs { lines.append(line) } // ends: logging stopped
            return lines
        }
        XCTAssertFalse(lines.isEmpty)
        XCTAssertTrue(lines.allSatisfy { $0.level <= .debug && !$0.scope.isEmpty })
    }

    func testANewLogStreamEndsTheEarlierOne() async throws {
        let first = try Library.logs(level: .error)
        let second = try Library.logs(level: .warning)
        let firstEnded = try await within { for await _ in first {}; return true }
        XCTAssertTrue(firstEnded)
        Library.stopLogs()
        try await within { for await _ in second {} }
    }
}
