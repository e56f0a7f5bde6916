import Foundation
import XCTest

@testable import OmniRTC

/// W3C webrtc-pc 4.4.1.6 for remote tracks, as the Node and Python suites'
/// w3c-remote-tracks: the track arrives while setRemoteDescription runs,
/// muted until its first packet; a description that stops the remote sending
/// mutes it, one that sends again delivers it again; the transceiver's stop
/// ends it.
final class RemoteTrackTests: XCTestCase {
    /// Writes fake VP8 frames on `track` until cancelled.
    private func feed(_ track: LocalTrack) -> Task<Void, Error> {
        Task {
            for i in 0... {
                try track.write(sample: Data([i == 0 ? 0 : 1]) + Data(repeating: UInt8(i % 256), count: 499),
                                duration: .milliseconds(33))
                try await Task.sleep(for: .milliseconds(10))
            }
        }
    }

    func testTrackArrivesBeforeSetRemoteDescriptionReturnsMuted() async throws {
        let a = try PeerConnection(configuration: loopback)
        let b = try PeerConnection(configuration: loopback)
        let track = try LocalTrack(codec: "vp8", id: "cam", streamId: "stream")
        _ = try a.addTrack(track)
        try await a.setLocalDescription(try await a.createOffer())
        try await b.setRemoteDescription(XCTUnwrap(a.localDescription))
        // close drops the events still queued: a track streamed before
        // setRemoteDescription returned is still there, buffered
        try await b.close()
        let remote = try await next(b.tracks)
        XCTAssertTrue(remote.isMuted)
        XCTAssertEqual(remote.id, "cam")
        XCTAssertEqual(remote.streamIds, ["stream"])
        try await a.close()
        track.close()
    }

    func testMutedUntilMediaThenMutedByADescriptionAndAnnouncedAgain() async throws {
        let a = try PeerConnection(configuration: loopback)
        let b = try PeerConnection(configuration: loopback)
        let track = try LocalTrack(codec: "vp8", id: "cam")
        let sender = try a.addTrack(track)
        try await connectMedia(a, b)
        let remote = try await next(b.tracks)
        let changes = Locked<[Bool]>([])
        let watching = Task { for await muted in remote.muteChanges { changes.withLock { $0.append(muted) } } }
        defer { watching.cancel() }
        let feeding = feed(track)
        defer { feeding.cancel() }
        let unmuted = await eventually(10) { changes.withLock { $0 } == [false] }
        XCTAssertTrue(unmuted, "\(changes.withLock { $0 })")
        XCTAssertFalse(remote.isMuted)
        XCTAssertEqual(remote.codec.mimeType.lowercased(), "video/vp8")

        try sender.transceiver.setDirection(.recvonly)
        try await negotiate(a, b)
        let muted = await eventually(10) { changes.withLock { $0 } == [false, true] }
        XCTAssertTrue(muted, "\(changes.withLock { $0 })")
        XCTAssertTrue(remote.isMuted)
        XCTAssertFalse(remote.isEnded)

        try sender.transceiver.setDirection(.sendrecv)
        try await negotiate(a, b)
        let again = try await next(b.tracks)
        XCTAssertTrue(again.sink === remote.sink, "the same track again")
        let unmutedAgain = await eventually(10) { changes.withLock { $0 } == [false, true, false] }
        XCTAssertTrue(unmutedAgain, "\(changes.withLock { $0 })")

        try remote.transceiver.stop()
        let ended = await eventually(10) { remote.isEnded }
        XCTAssertTrue(ended)
        try await a.close()
        try await b.close()
        track.close()
    }
}
