// W3C webrtc-pc 4.4.1.5: setLocalDescription / setRemoteDescription fire
// `signalingstatechange` before their promise resolves (and 4.4.1.6: a remote
// description's `track` events too, counted the same way). Here the events are
// a stream the drain task feeds, so the rule reads: when the async call
// returns, the signaling-state event it caused is in the events stream (on
// ``PeerConnection/events`` or ``PeerConnection/signalingStates``), and the
// ``PeerConnection/signalingState`` getter already says the same.
//
// The library numbers a peer's SIGNALING_STATE events 1, 2, ... in queue
// order, and omnirtc_peer_set_description reports the number of the last one
// queued when the call ends (an implicit rollback queues two). The call then
// waits until the drain has streamed that many: the one rule every binding
// follows, with no guess at which state to expect. Calls that overlap each
// wait for the events queued up to their end. The drain hands events on in
// order, so a data channel message before them that waits for its consumer
// (DataChannel.messages) holds the call back too.
import COmniRTC
import Foundation

/// The events description calls wait for, counted as they are streamed.
enum StreamedCount: Sendable {
    case signaling
    case tracks
}

extension PeerSink {
    /// A SIGNALING_STATE event: remembered for the getter, streamed, counted,
    /// then the description calls waiting for that many go on.
    func signaled(_ value: Int32) {
        update(value, \.signaling, PeerConnectionEvent.signalingState)
        counted(.signaling)
    }

    /// A TRACK event was streamed: the description calls waiting for that many go on.
    func trackStreamed() { counted(.tracks) }

    private func counted(_ count: StreamedCount) {
        let ready = state.withLock { s in
            s.streamed[count, default: 0] += 1
            let n = s.streamed[count, default: 0]
            let isReady = { (w: (count: StreamedCount, event: UInt64, waiter: CheckedContinuation<Void, Never>)) in
                w.count == count && w.event <= n
            }
            defer { s.streamWaiters.removeAll(where: isReady) }
            return s.streamWaiters.filter(isReady).map { $0.waiter }
        }
        for waiter in ready { waiter.resume() }
    }

    /// Returns once `event` events of `count` are streamed, or the peer closed.
    func streamed(_ count: StreamedCount, _ event: UInt64) async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let done = state.withLock { s in
                if s.closed || s.streamed[count, default: 0] >= event { return true }
                s.streamWaiters.append((count, event, waiter))
                return false
            }
            if done { waiter.resume() }
        }
    }

    /// The peer closed: no state or track event will come.
    func releaseSignalingWaiters() {
        let waiters = state.withLock { s in
            defer { s.streamWaiters = [] }
            return s.streamWaiters.map { $0.waiter }
        }
        for waiter in waiters { waiter.resume() }
    }
}

extension PeerConnection {
    /// omnirtc_peer_set_description, then the wait for the signaling-state
    /// events it queued (also when it failed: a refused remote offer may have
    /// rolled the local one back), and for the track events of the tracks a
    /// remote description announces (webrtc-pc 4.4.1.6: before it resolves).
    func describe(local: Bool, _ type: String?, _ sdp: String?) async throws(OmniRTCError) {
        var changes = omnirtc_signaling_changes_t()
        let status = omnirtc_peer_set_description(handle, local ? 1 : 0, type, sdp, &changes)
        let error = status == Int32(OMNIRTC_OK) ? nil : OmniRTCError(status: status, message: text(omnirtc_last_error()))
        await sink.streamed(.signaling, changes.last_event)
        await sink.streamed(.tracks, UInt64(changes.track_events))
        if let error { throw error }
    }
}
