// The cross-language event sequence (../../../README.md) in Swift: prints the
// events b sees, one name a line. b's connection and channel are read through
// their `events` streams, which keep the library's order across kinds.
import Foundation
import OmniRTC

/// Runs body; on an error, says so and exits (as the C program does).
@MainActor func must(_ what: String, _ body: () async throws -> Void) async {
    do {
        try await body()
    } catch {
        FileHandle.standardError.write(Data("\(what): \(error)\n".utf8))
        exit(1)
    }
}

let config = Configuration(engine: EngineSettings(mdns: .disabled, includeLoopback: true))
let a = try PeerConnection(configuration: config)
let b = try PeerConnection(configuration: config)
let channel = try a.createDataChannel(label: "chat")
let (closed, close) = AsyncStream.makeStream(of: Void.self)

Task {
    for await event in channel.events where event == .open {
        await must("send") { for i in 1...3 { try channel.send("m\(i)") } }
    }
}
Task {
    for await candidate in a.iceCandidates {
        await must("candidate to b") { try await b.addIceCandidate(candidate) }
    }
}
Task {
    for await event in b.events {
        switch event {
        case .iceCandidate(let candidate):
            await must("candidate to a") { try await a.addIceCandidate(candidate) }
        case .dataChannel(let remote):
            print("datachannel \(remote.readyState.rawValue)")
            Task {
                for await event in remote.events {
                    switch event {
                    case .open: print("open")
                    case .message(.text(let text)):
                        print("message \(text)")
                        if text == "m3" { remote.close() }
                    case .message(.binary(let data)): print("message \(data.count) bytes")
                    case .closing: print("closing")
                    case .close:
                        print("close")
                        close.yield()
                    case .bufferedAmountLow, .error: break
                    }
                }
            }
        default: break
        }
    }
}

await must("negotiate") {
    let offer = try await a.createOffer()
    try await b.setRemoteDescription(offer)
    try await a.setLocalDescription(offer)
    let answer = try await b.createAnswer()
    try await a.setRemoteDescription(answer)
    try await b.setLocalDescription(answer)
}
for await _ in closed { break }
await must("close") {
    try await a.close()
    try await b.close()
}
