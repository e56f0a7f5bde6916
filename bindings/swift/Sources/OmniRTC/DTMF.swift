// webrtc-pc 7: RTCDTMFSender. The library keeps the tone buffer, plays it as
// RFC 4733 telephone-events and says when each tone starts
// (OMNIRTC_EVENT_DTMF_TONE_CHANGE); tones a remote sends arrive as
// OMNIRTC_EVENT_DTMF_TONE on the remote track. Both reach Swift through the
// peer's drain, in the library's order (MediaBridge.swift).
import COmniRTC
import Foundation

/// W3C `RTCDTMFSender`: an audio sender's DTMF, from ``RtpSender/dtmf``.
/// Its state is the library's, read on each access.
public final class DTMFSender: Sendable, Hashable {
    let sink: TransceiverSink

    init(_ sink: TransceiverSink) { self.sink = sink }

    /// W3C `insertDTMF`: replaces the tone buffer with `tones` ("0"-"9",
    /// "A"-"D" in either case, "#", "*", and "," for a 2 s pause). Each tone
    /// lasts `duration` (clamped to 40 ms...6 s) and tones are `interToneGap`
    /// apart (clamped to 30 ms...6 s); a call while tones play replaces what
    /// is left, after the current tone, and "" empties the buffer. Each
    /// tone's start, and the buffer running empty (""), is on ``toneChanges``.
    /// Throws ``OmniRTCError/invalidState(_:)`` when ``canInsertDTMF`` is
    /// false, ``OmniRTCError/invalidCharacter(_:)`` for another character (the
    /// buffer unchanged).
    public func insertDTMF(_ tones: String, duration: Duration = .milliseconds(100), interToneGap: Duration = .milliseconds(70))
        throws(OmniRTCError)
    {
        try check(omnirtc_transceiver_insert_dtmf(sink.handle, tones, Self.milliseconds(duration), Self.milliseconds(interToneGap)))
    }

    /// W3C `toneBuffer`: the tones not started yet ("" when the peer is gone).
    public var toneBuffer: String { state?.toneBuffer ?? "" }

    /// W3C `canInsertDTMF`: the sender sends audio to a remote that accepted telephone-event.
    public var canInsertDTMF: Bool { state?.canInsert ?? false }

    /// W3C `tonechange`: each tone as it starts, then "" when the buffer ran
    /// empty. One consumer; it ends when the peer closes.
    public var toneChanges: AsyncStream<String> { sink.toneChanges.stream }

    private var state: (toneBuffer: String, canInsert: Bool)? {
        var buffer: UnsafeMutablePointer<CChar>?
        var canInsert: Int32 = 0
        guard omnirtc_transceiver_get_dtmf(sink.handle, &buffer, &canInsert) == Int32(OMNIRTC_OK) else { return nil }
        defer { omnirtc_free(buffer) }
        return (text(buffer), canInsert != 0)
    }

    /// A duration in whole milliseconds for the library (which clamps it).
    static func milliseconds(_ d: Duration) -> UInt32 {
        let (seconds, attoseconds) = d.components
        let ms = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return UInt32(clamping: max(0, ms))
    }

    public static func == (a: DTMFSender, b: DTMFSender) -> Bool { a.sink === b.sink }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(sink)) }
}

/// A DTMF tone the remote sent as an RFC 4733 telephone-event, from
/// ``RemoteTrack/dtmfTones`` once its end arrived (not in the W3C API, which
/// has no receiving side).
public struct DTMFTone: Sendable, Equatable {
    /// "0"-"9", "A"-"D", "#" or "*".
    public var tone: String
    /// How long it lasted.
    public var duration: Duration
}

extension RtpSender {
    /// W3C `dtmf`: the sender's ``DTMFSender`` for audio, nil for video.
    public var dtmf: DTMFSender? { transceiver.kind == .audio ? DTMFSender(sink) : nil }
}

extension RemoteTrack {
    /// The DTMF tones the remote sends on this audio track, one per tone
    /// (their packets are never frames). One consumer; it ends with the track.
    public var dtmfTones: AsyncStream<DTMFTone> { sink.dtmfTones.stream }
}
