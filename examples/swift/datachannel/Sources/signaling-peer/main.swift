// One peer of a pair in two processes: `signaling-peer offer` or
// `signaling-peer answer`. Signaling is JSON lines: this process writes its
// description and candidates to stdout and reads the other's from stdin, so
// connect the two crosswise (the Swift tests do; a socket would do as well).
// Progress goes to stderr. The offerer sends "ping", the answerer replies
// "pong", and the offerer hangs up.
import Foundation
import OmniRTC

/// What travels between the two processes.
enum Signal: Codable {
    case description(SessionDescription)
    case candidate(IceCandidate)
}

/// Writes one signal per line; an actor, so lines from several tasks never interleave.
actor Outbox {
    func send(_ signal: Signal) throws {
        var line = try JSONEncoder().encode(signal)
        line.append(UInt8(ascii: "\n"))
        FileHandle.standardOutput.write(line)
    }
}

func log(_ text: String) { FileHandle.standardError.write(Data("\(CommandLine.arguments[1]): \(text)\n".utf8)) }

/// The signals on stdin, read on a thread of their own. (With read(2), not
/// readLine(): a thread blocked inside stdio would hold stdin's lock, which
/// exit() takes to flush the streams.)
func incomingSignals() -> AsyncStream<Signal> {
    AsyncStream { continuation in
        Thread.detachNewThread {
            var buffer = Data()
            while case let chunk = FileHandle.standardInput.availableData, !chunk.isEmpty {
                buffer.append(chunk)
                while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = buffer[buffer.startIndex..<newline]
                    buffer = buffer[(newline + 1)...]
                    if let signal = try? JSONDecoder().decode(Signal.self, from: line) { continuation.yield(signal) }
                }
            }
            continuation.finish()
        }
    }
}

/// Applies a signal from the other process; an offer is answered.
func handle(_ signal: Signal, _ pc: PeerConnection, _ outbox: Outbox) async throws {
    switch signal {
    case .candidate(let candidate):
        try await pc.addIceCandidate(candidate)
    case .description(let description):
        try await pc.setRemoteDescription(description)
        if description.type == .offer {
            try await pc.setLocalDescription(try await pc.createAnswer())
            try await sendDescriptionThenCandidates(pc, outbox)
        }
    }
}

/// The description first: the remote needs it before any candidate.
func sendDescriptionThenCandidates(_ pc: PeerConnection, _ outbox: Outbox) async throws {
    try await outbox.send(.description(pc.localDescription!))
    Task { for await candidate in pc.iceCandidates { try? await outbox.send(.candidate(candidate)) } }
}

/// Loopback only, no mDNS: the example stays on this machine.
let configuration = Configuration(engine: EngineSettings(mdns: .disabled, includeLoopback: true))

func offer() async throws -> Bool {
    let outbox = Outbox()
    let pc = try PeerConnection(configuration: configuration)
    let chat = try pc.createDataChannel(label: "chat")
    try await pc.setLocalDescription(try await pc.createOffer())
    try await sendDescriptionThenCandidates(pc, outbox)
    Task { for await signal in incomingSignals() { try? await handle(signal, pc, outbox) } }

    try await chat.waitUntilOpen()
    log("channel open, sending ping")
    try chat.send("ping")
    var ponged = false
    for await message in chat.messages where message == .text("pong") {
        ponged = true
        break
    }
    log(ponged ? "got pong, done" : "channel closed without a pong")
    try await pc.close()
    return ponged
}

func answer() async throws -> Bool {
    let outbox = Outbox()
    let pc = try PeerConnection(configuration: configuration)
    let echo = Task {
        for await channel in pc.dataChannels {
            for await message in channel.messages where message == .text("ping") {
                log("got ping, sending pong")
                try? channel.send("pong")
            }
        }
    }
    for await signal in incomingSignals() { try await handle(signal, pc, outbox) } // until the offerer hangs up
    try await pc.close()
    await echo.value
    log("offerer gone, done")
    return true
}

guard CommandLine.arguments.count == 2, ["offer", "answer"].contains(CommandLine.arguments[1]) else {
    FileHandle.standardError.write(Data("usage: signaling-peer offer|answer\n".utf8))
    exit(2)
}
let ok = CommandLine.arguments[1] == "offer" ? try await offer() : try await answer()
exit(ok ? 0 : 1)
