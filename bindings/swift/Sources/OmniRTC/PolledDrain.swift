// The drain of a polled handle whose events are few (a TURN server, a WHIP
// session or server), as a peer's (EventBridge.swift): the library's notify
// only wakes it; it takes the events from the library's queue in batches, in
// order, until a poll leaves the queue empty, which re-arms notify.
import COmniRTC

/// Events taken per poll.
let polledBatch = 64

/// Takes a handle's events each time `wakes` yields it, handing each to
/// `deliver`, until the final one (for which `isFinal` holds; it comes alone
/// and last, and is returned, not delivered) or until a poll fails because the
/// handle is gone (nil: no final event will come). The strings of the
/// returned event stay valid: nothing polls the handle after it.
func drainPolled<Handle, Event>(
    _ wakes: AsyncStream<Handle>,
    poll: (Handle, UnsafeMutablePointer<Event>, Int, UnsafeMutablePointer<Int>) -> omnirtc_status_t,
    isFinal: (Event) -> Bool,
    deliver: (Event) -> Void
) async -> Event? {
    let batch = UnsafeMutablePointer<Event>.allocate(capacity: polledBatch)
    defer { batch.deallocate() }
    for await handle in wakes {
        var count = polledBatch
        while count == polledBatch {
            guard poll(handle, batch, polledBatch, &count) == Int32(OMNIRTC_OK) else { return nil }
            for i in 0..<count {
                if isFinal(batch[i]) { return batch[i] }
                deliver(batch[i]) // valid until the next poll
            }
        }
    }
    return nil
}
