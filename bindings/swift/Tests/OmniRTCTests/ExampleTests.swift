import Foundation
import XCTest

/// Runs the programs of examples/swift/datachannel (built by scripts/test-swift.sh,
/// or here when missing) and checks what they print.
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

    /// The path of an example program, built first if it is not yet.
    private func example(_ name: String, package: String = "datachannel") throws -> String {
        let package = repo.appendingPathComponent("examples/swift/" + package).path
        let binary = package + "/.build/debug/" + name
        if !FileManager.default.isExecutableFile(atPath: binary) {
            let (status, log) = try run("/usr/bin/env", ["swift", "build", "--package-path", package])
            XCTAssertEqual(status, 0, log)
        }
        return binary
    }

    func testDataChannelExampleRuns() throws {
        let (status, output) = try run(try example("datachannel"), [], seconds: 60)
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("channel chat open"), output)
        XCTAssertTrue(output.contains("echoed: hello from Swift"), output)
        XCTAssertTrue(output.contains("checksum ok (100000 bytes)"), output)
    }

    func testPlayFileExample() throws {
        for file in ["vp8.ivf", "opus.ogg"] {
            let (status, output) = try run(try example("play-file", package: "media"), [try testMedia(file)], seconds: 60)
            XCTAssertEqual(status, 0, output)
            XCTAssertTrue(output.contains("viewer: \(file.hasSuffix("ivf") ? "video" : "audio") track"), output)
            XCTAssertTrue(output.contains("all frames arrived intact"), output)
        }
    }

    func testRecordFileExample() throws {
        for file in ["vp8.ivf", "opus.ogg"] {
            let out = NSTemporaryDirectory() + "swift-example-\(getpid())-" + file
            defer { try? FileManager.default.removeItem(atPath: out) }
            let (status, output) = try run(try example("record-file", package: "media"), [try testMedia(file), out], seconds: 60)
            XCTAssertEqual(status, 0, output)
            XCTAssertTrue(output.contains("recorded frames equal the sent ones"), output)
            XCTAssertTrue(FileManager.default.fileExists(atPath: out))
        }
    }

    func testSignalingPeersInTwoProcesses() throws {
        // Each one's stdout is the other's stdin; their stderr goes to files.
        let binary = try example("signaling-peer")
        let toAnswerer = Pipe(), toOfferer = Pipe()
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("signaling-\(getpid())")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: logs) }
        var processes: [Process] = []
        for (role, input, output) in [("answer", toAnswerer, toOfferer), ("offer", toOfferer, toAnswerer)] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = [role]
            process.standardInput = input
            process.standardOutput = output
            let log = logs.appendingPathComponent(role)
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            process.standardError = try FileHandle(forWritingTo: log)
            try process.run()
            processes.append(process)
        }
        // Only the children hold the pipes now: the offerer's exit ends the answerer's input.
        for pipe in [toAnswerer, toOfferer] {
            try pipe.fileHandleForReading.close()
            try pipe.fileHandleForWriting.close()
        }
        let timer = DispatchSource.makeTimerSource()
        timer.schedule(deadline: .now() + 60)
        timer.setEventHandler { for p in processes where p.isRunning { p.terminate() } }
        timer.resume()
        for p in processes { p.waitUntilExit() }
        timer.cancel()
        let offerLog = try String(contentsOf: logs.appendingPathComponent("offer"), encoding: .utf8)
        let answerLog = try String(contentsOf: logs.appendingPathComponent("answer"), encoding: .utf8)
        XCTAssertEqual(processes.map(\.terminationStatus), [0, 0], offerLog + answerLog)
        XCTAssertTrue(offerLog.contains("offer: got pong, done"), offerLog)
        XCTAssertTrue(answerLog.contains("answer: got ping, sending pong"), answerLog)
        XCTAssertTrue(answerLog.contains("answer: offerer gone, done"), answerLog)
    }
}
