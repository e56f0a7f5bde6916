// Play a media file (VP8/VP9/AV1 IVF, Opus Ogg, H264 Annex-B) from one peer to
// another in this process, at real-time pace; the viewer collects the frames
// and checks that they are the file's.
//
//     play-file FILE
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

func run(_ path: String) async throws -> Bool {
    let config = Configuration(engine: EngineSettings(mdns: .disabled, includeLoopback: true))
    let player = try PeerConnection(configuration: config)
    let viewer = try PeerConnection(configuration: config)

    let reader = try MediaReader(path: path)
    print("file: \(reader.info.format), \(reader.info.codec)")
    let frames = Array(reader)
    reader.close()

    // The viewer keeps the frames of the first track that arrives.
    let viewing = Task { () -> [EncodedFrame] in
        var got: [EncodedFrame] = []
        for await track in viewer.tracks {
            print("viewer: \(track.kind.rawValue) track, \(track.codec.mimeType) at \(track.codec.clockRate) Hz")
            for await frame in track.frames {
                got.append(frame)
                if got.count == frames.count { break }
            }
            break
        }
        return got
    }

    let track = try LocalTrack(codec: reader.info.codec, streamId: "file")
    try player.addTransceiver(track: track, direction: .sendonly)
    let forwarding = try await connect(player, viewer)
    // The last frame again at the end, so that the viewer's jitter buffer releases it.
    for frame in frames + frames.suffix(1) {
        try track.write(sample: frame.data, duration: frame.duration)
        try await Task.sleep(for: frame.duration)
    }
    let timeout = Task {
        try await Task.sleep(for: .seconds(5))
        try await viewer.close() // ends the track's stream
    }
    let received = await viewing.value
    timeout.cancel()
    print("played \(frames.count) frames, viewer received \(received.count)")
    let intact = received.map(\.data) == frames.map(\.data)
    print(intact ? "all frames arrived intact" : "frames differ")
    try await player.close()
    try await viewer.close()
    track.close()
    for task in forwarding { await task.value }
    return intact
}

guard CommandLine.arguments.count == 2 else {
    print("usage: play-file FILE")
    exit(2)
}
exit(try await run(CommandLine.arguments[1]) ? 0 : 1)
