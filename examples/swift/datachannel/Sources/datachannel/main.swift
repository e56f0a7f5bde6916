// Two peer connections in one process: the offerer opens a channel, the
// answerer echoes what it gets, the offerer checks that everything came back.
// Signaling is direct here; in an application the descriptions and candidates
// (both Codable) travel over your own channel.
import Foundation
import OmniRTC

// Trickle ICE: each side's candidates go to the other.
func forwardCandidates(from: PeerConnection, to: PeerConnection) -> Task<Void, Never> {
    Task { for await candidate in from.iceCandidates { try? await to.addIceCandidate(candidate) } }
}

func run() async throws -> Bool {
    // Loopback only, no mDNS: the example stays on this machine.
    let config = Configuration(engine: EngineSettings(mdns: .disabled, includeLoopback: true))
    let offerer = try PeerConnection(configuration: config)
    let answerer = try PeerConnection(configuration: config)

    // The answerer echoes every message on every channel the offerer opens.
    let echo = Task {
        for await channel in answerer.dataChannels {
            Task {
                for await message in channel.messages {
                    switch message {
                    case .text(let text): try? channel.send(text)
                    case .binary(let data): try? channel.send(data)
                    }
                }
            }
        }
    }

    let chat = try offerer.createDataChannel(label: "chat")
    try await offerer.setLocalDescription(try await offerer.createOffer())
    try await answerer.setRemoteDescription(offerer.localDescription!)
    try await answerer.setLocalDescription(try await answerer.createAnswer())
    try await offerer.setRemoteDescription(answerer.localDescription!)
    let forwarding = [forwardCandidates(from: offerer, to: answerer), forwardCandidates(from: answerer, to: offerer)]

    try await chat.waitUntilOpen()
    print("channel \(chat.label) open")

    let payload = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    try chat.send("hello from Swift")
    try chat.send(payload)

    var replies = chat.messages.makeAsyncIterator()
    guard case .text(let greeting)? = await replies.next() else { fatalError("no text reply") }
    print("echoed: \(greeting)")
    guard case .binary(let bytes)? = await replies.next() else { fatalError("no binary reply") }
    print(bytes == payload ? "checksum ok (\(bytes.count) bytes)" : "checksum MISMATCH")

    try await offerer.close()
    try await answerer.close()
    for task in forwarding { await task.value }
    await echo.value
    return bytes == payload
}

exit(try await run() ? 0 : 1)
