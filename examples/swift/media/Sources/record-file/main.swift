// Record what a peer sends into a file: a player peer sends IN, a recorder
// peer writes the RTP packets it receives into OUT (same format), then reads
// OUT back and compares its frames with IN's.
//
//     record-file IN OUT
import Foundation
import OmniRTC

func connect(_ a: PeerConnection, _ b: PeerConnection) async throws -> [Task<Void, Never>] {
    try await a.setLocalDescription(try await a.createOffer())
    try await b.setRemoteDescription(a.localDescription!)
    try await b.setLocalDescription(try await b.createAnswer())
    try await a.setRemoteDescription(b.localDescription!)
    let forwarding = [
        Task { for await c in a.iceCandidates { try? await b.addIceCandidate(c) } },
        Task { for await c in b.iceCandidates { try? await a.addIceCandidate(c) } },
    ]
    while a.connectionState != .connected || b.connectionState != .connected {
        guard a.connectionState != .failed, b.connectionState != .failed else { throw OmniRTCError.operation("failed") }
        try await Task.sleep(for: .milliseconds(10))
    }
    return forwarding
}

func run(_ source: String, _ target: String) async throws -> Bool {
    let config = Configuration(engine: EngineSettings(mdns: .disabled, includeLoopback: true))
    let player = try PeerConnection(configuration: config)
    let recorder = try PeerConnection(configuration: config)
    recorder.trackReceive = .rtp // remote tracks deliver RTP packets, from the first one

    let reader = try MediaReader(path: source)
    let frames = Array(reader)
    reader.close()
    let codec = reader.info.codec
    let writer = try MediaWriter(
        path: target,
        options: .init(codec: target.hasSuffix(".ivf") ? codec.split(separator: "/").last?.lowercased() : nil))

    let recording = Task {
        for await track in recorder.tracks {
            for await packet in track.rtpPackets { try? writer.write(rtp: packet.data) }
            break
        }
    }

    let track = try LocalTrack(codec: codec)
    _ = try player.addTrack(track)
    let forwarding = try await connect(player, recorder)
    for frame in frames {
        try track.write(sample: frame.data, duration: frame.duration)
        try await Task.sleep(for: frame.duration)
    }
    try await Task.sleep(for: .milliseconds(300))
    try await recorder.close() // ends the track and its stream
    await recording.value
    try await player.close()
    track.close()
    try writer.close()
    for task in forwarding { await task.value }

    let recorded = Array(try MediaReader(path: target))
    print("sent \(frames.count) frames; \(target) holds \(recorded.count) frames")
    let same = recorded.map(\.data) == frames.prefix(recorded.count).map(\.data)
    print(same ? "recorded frames equal the sent ones" : "recorded frames differ")
    return same && recorded.count >= frames.count - 1 && !recorded.isEmpty
}

guard CommandLine.arguments.count == 3 else {
    print("usage: record-file IN OUT")
    exit(2)
}
exit(try await run(CommandLine.arguments[1], CommandLine.arguments[2]) ? 0 : 1)
