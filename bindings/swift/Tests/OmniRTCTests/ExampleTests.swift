import Foundation
import XCTest

/// Runs the program in examples/swift/datachannel (built by scripts/test-swift.sh,
/// or here when it is missing) and checks what it prints.
final class ExampleTests: XCTestCase {
    private let repo = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    private func run(_ executable: String, _ arguments: [String], seconds: Double = 300) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let reading = output.fileHandleForReading
        let deadline = DispatchTime.now() + seconds
        let timer = DispatchSource.makeTimerSource()
        timer.schedule(deadline: deadline)
        timer.setEventHandler { process.terminate() }
        timer.resume()
        let data = reading.readDataToEndOfFile()
        process.waitUntilExit()
        timer.cancel()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func testDataChannelExampleRuns() throws {
        let package = repo.appendingPathComponent("examples/swift/datachannel").path
        let binary = package + "/.build/debug/datachannel"
        if !FileManager.default.isExecutableFile(atPath: binary) {
            let (status, log) = try run("/usr/bin/env", ["swift", "build", "--package-path", package])
            XCTAssertEqual(status, 0, log)
        }
        let (status, output) = try run(binary, [], seconds: 60)
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("channel chat open"), output)
        XCTAssertTrue(output.contains("echoed: hello from Swift"), output)
        XCTAssertTrue(output.contains("checksum ok (100000 bytes)"), output)
    }
}
