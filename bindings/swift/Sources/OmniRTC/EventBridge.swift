// From the library's event queue to Swift concurrency.
//
// Each peer connection is a polled peer (omnirtc_peer_create_polled) whose
// user_data is its PeerSink, retained through Unmanaged and released when the
// drain takes the final PEER_CLOSED (or at once when creation fails). The
// library's notify only wakes the sink's drain, a task that takes the peer's
// events in batches, in order, and turns each into an AsyncStream element: no
// code of the user's runs on a library thread, and nothing blocks there.
// Backpressure is the library's byte budget: while events wait untaken it stops
// reading SCTP. The drain takes a channel's next message only when the
// channel's consumer has room for it (ChannelSink.window), so a slow
// `for await` holds back the drain, and the budget then the sender.
// Mutable state sits behind a lock, taken peer-then-channel.
import COmniRTC
import Foundation

/// A value behind a lock.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<R, E: Error>(_ body: (inout Value) throws(E) -> R) throws(E) -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

/// A stream and the continuation that feeds it.
struct Pipe<Element: Sendable>: Sendable {
    let stream: AsyncStream<Element>
    let continuation: AsyncStream<Element>.Continuation

    init(bufferingPolicy: AsyncStream<Element>.Continuation.BufferingPolicy = .unbounded) {
        (stream, continuation) = AsyncStream.makeStream(bufferingPolicy: bufferingPolicy)
    }
}

func code(_ type: omnirtc_event_type_t) -> Int32 { Int32(type.rawValue) }
func text(_ pointer: UnsafePointer<CChar>?) -> String { pointer.map { String(cString: $0) } ?? "" }

/// The notify callback of every peer connection: user_data is its PeerSink.
func peerNotifyCallback(_ userData: UnsafeMutableRawPointer?, _ peer: omnirtc_peer_t) {
    guard let userData else { return }
    // Go's synchronization already orders the sink's construction before this
    // call, but thread sanitizers cannot see through Go: the lock PeerSink.init
    // released last makes that order visible to them too (uncontended: cheap).
    PeerSink.live.withLock { _ in }
    Unmanaged<PeerSink>.fromOpaque(userData).takeUnretainedValue().wakes.continuation.yield(peer)
}

/// A peer connection's events and the state they imply.
final class PeerSink: Sendable {
    /// Sinks alive in the process, for leak tests: each is released by its PEER_CLOSED.
    static let live = Locked(0)
    /// The peer's DTLS transport, which its transceivers' senders and receivers report.
    let dtls = Locked<DtlsTransport?>(nil)

    /// Every event but a channel's own, in order: on `events` or the per-kind streams.
    let events = OrderedEvents(PeerStreams())
    /// The library's notify: the peer's queue has events (one pending wake-up is enough).
    let wakes = Pipe<omnirtc_peer_t>(bufferingPolicy: .bufferingNewest(1))
    /// Events taken per omnirtc_peer_poll_events.
    static let batch = 256
    /// Batches taken before the drain lets other tasks run (Task.yield), as
    /// Python's and Node's drains give their loop a turn: a remote that keeps
    /// the queue full must not hold a thread of the cooperative pool.
    static let turn = 16
    /// The turns the drain gave so far, for the fairness test.
    let turnsGiven = Locked(0)

    struct State: Sendable {
        var signaling = SignalingState.stable
        var gathering = IceGatheringState.new
        var iceConnection = IceConnectionState.new
        var connection = PeerConnectionState.new
        var closed = false
        var channels: [omnirtc_channel_t: ChannelSink] = [:]
        /// Events of a local channel that came before createDataChannel registered it.
        var early: [omnirtc_channel_t: [(event: DataChannelEvent, info: ChannelInfo?)]] = [:]
        var tracks: [omnirtc_track_t: TrackSink] = [:]
        var transceivers: [omnirtc_transceiver_t: TransceiverSink] = [:]
        /// How remote tracks arriving from now on are delivered (omnirtc_peer_set_track_receive).
        var trackReceive: TrackReceive?
        /// Set by close: the drain no longer waits for a consumer (the peer's pending events are dropped).
        var closing = false
        /// The SIGNALING_STATE and TRACK events streamed so far, and the
        /// description calls waiting for a number of them (SignalingBarrier.swift).
        var streamed: [StreamedCount: UInt64] = [:]
        var streamWaiters: [(count: StreamedCount, event: UInt64, waiter: CheckedContinuation<Void, Never>)] = []
    }

    let state = Locked(State())

    init() { Self.live.withLock { $0 += 1 } } // after every field is set: see peerNotifyCallback
    deinit { Self.live.withLock { $0 -= 1 } }

    /// Takes the peer's events each time notify wakes it, until PEER_CLOSED.
    func drain() async {
        let events = UnsafeMutablePointer<omnirtc_event_t>.allocate(capacity: Self.batch)
        defer { events.deallocate() }
        var batches = 0
        for await peer in wakes.stream {
            // Until a poll leaves the queue empty: only that one re-arms notify.
            var count = Self.batch
            while count == Self.batch {
                batches += 1
                if batches % Self.turn == 0 {
                    turnsGiven.withLock { $0 += 1 }
                    await Task.yield()
                }
                guard omnirtc_peer_poll_events(peer, events, Self.batch, &count) == Int32(OMNIRTC_OK) else {
                    return finish() // the handle is gone: no PEER_CLOSED will come
                }
                for i in 0..<count {
                    let e = events[i] // valid until the next poll
                    if e.type == code(OMNIRTC_EVENT_PEER_CLOSED) { return finish() }
                    if e.type == code(OMNIRTC_EVENT_CHANNEL_MESSAGE),
                        let channel = state.withLock({ $0.closing ? nil : $0.channels[e.message.channel] })
                    {
                        await channel.room(for: e.message.size)
                    }
                    handle(e)
                }
            }
        }
    }

    /// The final event: the streams end and the library drops user_data.
    private func finish() {
        closed()
        wakes.continuation.finish()
        Unmanaged.passUnretained(self).release() // the reference PeerConnection.init gave the library
    }

    /// The application closes the peer: the drain stops waiting for slow
    /// consumers, so it reaches PEER_CLOSED (the events before it are dropped).
    func closing() {
        let channels = state.withLock { s in
            s.closing = true
            return Array(s.channels.values)
        }
        for channel in channels { channel.stopWaiting() }
    }

    func handle(_ e: omnirtc_event_t) {
        switch e.type {
        case code(OMNIRTC_EVENT_ICE_CANDIDATE):
            let c = e.ice_candidate
            let mid = text(c.sdp_mid)
            events.deliver(
                .iceCandidate(
                    IceCandidate(
                        candidate: text(c.candidate), sdpMid: mid.isEmpty ? nil : mid,
                        sdpMLineIndex: c.sdp_mline_index >= 0 ? c.sdp_mline_index : nil)))
        case code(OMNIRTC_EVENT_SIGNALING_STATE): signaled(e.state.value)
        case code(OMNIRTC_EVENT_ICE_GATHERING_STATE): update(e.state.value, \.gathering, PeerConnectionEvent.iceGatheringState)
        case code(OMNIRTC_EVENT_ICE_CONNECTION_STATE):
            update(e.state.value, \.iceConnection, PeerConnectionEvent.iceConnectionState)
        case code(OMNIRTC_EVENT_CONNECTION_STATE): update(e.state.value, \.connection, PeerConnectionEvent.connectionState)
        case code(OMNIRTC_EVENT_NEGOTIATION_NEEDED):
            events.deliver(.negotiationNeeded)
        case code(OMNIRTC_EVENT_DATA_CHANNEL):
            let channel = ChannelSink(handle: e.channel.channel, info: ChannelInfo(json: text(e.channel.info_json)))
            register(channel)
            events.deliver(.dataChannel(DataChannel(channel)))
        case code(OMNIRTC_EVENT_TRANSPORT_STATE), code(OMNIRTC_EVENT_SELECTED_CANDIDATE_PAIR):
            handleTransport(e)
        case code(OMNIRTC_EVENT_TRACK)...:
            handleMedia(e)
        default:
            guard let event = DataChannelEvent(e) else { return }
            let handle = withUnsafePointer(to: e) { omnirtc_event_channel_of($0) }
            // OPEN carries the channel's info: the handle may be released by the time it is taken
            let info = e.type == code(OMNIRTC_EVENT_CHANNEL_OPEN) ? ChannelInfo(json: text(e.channel.info_json)) : nil
            state.withLock { s in
                if let channel = s.channels[handle] {
                    channel.deliver(event, info: info)
                    if case .close = event { s.channels[handle] = nil }
                } else if !s.closed {
                    s.early[handle, default: []].append((event, info))
                }
            }
        }
    }

    /// A state change: remembered for the getters, then streamed.
    func update<S: CaseIterable & Sendable>(
        _ value: Int32, _ field: WritableKeyPath<State, S>, _ event: (S) -> PeerConnectionEvent
    ) {
        guard let new = S(library: value) else { return }
        state.withLock { $0[keyPath: field] = new }
        events.deliver(event(new))
    }

    /// Routes a channel's events to its sink, those that came early first.
    func register(_ channel: ChannelSink) {
        state.withLock { s in
            let early = s.early.removeValue(forKey: channel.handle) ?? []
            for (event, info) in early { channel.deliver(event, info: info) }
            if s.closed {
                channel.deliver(.close)
            } else if !early.contains(where: { if case .close = $0.event { true } else { false } }) {
                s.channels[channel.handle] = channel
            }
        }
    }

    /// The peer is closed: every state says so and every stream ends.
    func closed() {
        let channels = state.withLock { s in
            s.closed = true
            s.signaling = .closed
            s.iceConnection = .closed
            s.connection = .closed
            s.early = [:]
            defer { s.channels = [:] }
            return Array(s.channels.values)
        }
        for channel in channels { channel.deliver(.close) }
        releaseSignalingWaiters()
        closedMedia()
        events.end()
    }
}

/// What the library says about a channel (omnirtc_channel_get_info).
struct ChannelInfo: Sendable, Decodable {
    var label = ""
    var `protocol` = ""
    var id: UInt16?
    var ordered = true
    var maxPacketLifeTime: UInt16?
    var maxRetransmits: UInt16?
    var negotiated = false

    static func fetch(_ handle: omnirtc_channel_t) -> ChannelInfo? {
        guard let json = try? callString({ omnirtc_channel_get_info(handle, $0) }) else { return nil }
        return ChannelInfo(json: json)
    }

    /// The info in `json`; nil for "" (an event that carries none) or JSON that does not decode.
    init?(json: String) {
        guard !json.isEmpty, let info = try? JSONDecoder().decode(ChannelInfo.self, from: Data(json.utf8)) else {
            return nil
        }
        self = info
    }

    init() {}
}

/// A data channel's events and state. Its streams hold at most `window`
/// bytes of messages unread (and one message, however large): the drain waits
/// for room before it takes the next one from the library.
final class ChannelSink: Sendable {
    /// What a slow consumer may leave unread here; each message costs its
    /// bytes plus `messageOverhead`, as in the library's budget.
    static let window = 1 << 20
    static let messageOverhead = 64

    let handle: omnirtc_channel_t
    /// Its events in order: on `events` or the per-kind streams.
    let events = OrderedEvents(ChannelStreams())

    struct State: Sendable {
        var readyState = DataChannelState.connecting
        var info = ChannelInfo()
        var lowThreshold: UInt64 = 0
        /// The cost of the messages delivered and not taken from a stream yet.
        var unread = 0
        /// The drain, waiting for room for a message of this cost; nil when it does not wait.
        var roomWaiter: (cost: Int, waiter: CheckedContinuation<Void, Never>)?
        /// Closed locally or with its peer: the drain never waits here again.
        var unbounded = false
        var nextWaiter = 0
        var openWaiters: [Int: CheckedContinuation<Void, any Error>] = [:]

        func hasRoom(for cost: Int) -> Bool { unbounded || unread == 0 || unread + cost <= ChannelSink.window }
    }

    let state: Locked<State>

    /// A channel whose info is `info` (a remote's, from its DATA_CHANNEL event), else the library's now.
    init(handle: omnirtc_channel_t, info: ChannelInfo? = nil) {
        self.handle = handle
        var s = State()
        s.info = info ?? ChannelInfo.fetch(handle) ?? ChannelInfo()
        state = Locked(s)
    }

    /// One event, in the library's order (called with the peer's lock held);
    /// `info` is what an `open` carries (the id is known then).
    func deliver(_ event: DataChannelEvent, info: ChannelInfo? = nil) {
        switch event {
        case .open:
            let waiters = state.withLock { s in
                s.readyState = .open
                if let info { s.info = info }
                defer { s.openWaiters = [:] }
                return s.openWaiters.values
            }
            events.deliver(event)
            for waiter in waiters { waiter.resume() }
        case .message(let message):
            state.withLock { $0.unread += Self.cost(message.byteCount) }
            events.deliver(event)
        case .bufferedAmountLow, .error:
            events.deliver(event)
        case .closing:
            state.withLock { $0.readyState = .closing }
            events.deliver(event)
        case .close:
            let (wasClosed, waiters) = state.withLock { s in
                defer {
                    s.readyState = .closed
                    s.openWaiters = [:]
                }
                return (s.readyState == .closed, s.openWaiters.values)
            }
            guard !wasClosed else { return }
            for waiter in waiters { waiter.resume(throwing: OmniRTCError.invalidState("data channel closed before it opened")) }
            events.deliver(event)
            events.end()
        }
    }

    static func cost(_ bytes: Int) -> Int { bytes + messageOverhead }

    /// Returns once a message of `bytes` fits in the window, or nothing is unread.
    func room(for bytes: Int) async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let fits = state.withLock { s in
                if s.hasRoom(for: Self.cost(bytes)) { return true }
                s.roomWaiter = (Self.cost(bytes), waiter)
                return false
            }
            if fits { waiter.resume() }
        }
    }

    /// The application took a message from the stream: the drain may go on.
    func consumed(_ message: DataChannelMessage) {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.unread -= Self.cost(message.byteCount)
            guard let pending = s.roomWaiter, s.hasRoom(for: pending.cost) else { return nil }
            s.roomWaiter = nil
            return pending.waiter
        }
        waiter?.resume()
    }

    /// The drain no longer waits for this channel's consumer.
    func stopWaiting() {
        let waiter = state.withLock { s in
            s.unbounded = true
            defer { s.roomWaiter = nil }
            return s.roomWaiter?.waiter
        }
        waiter?.resume()
    }

    func waitUntilOpen() async throws {
        let id = state.withLock { s in
            s.nextWaiter += 1
            return s.nextWaiter
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
                let failure: (any Error)?? = state.withLock { s in
                    switch s.readyState {
                    case .open: return .some(nil)
                    case .closing, .closed: return OmniRTCError.invalidState("data channel is \(s.readyState.rawValue)")
                    case .connecting:
                        if Task.isCancelled { return CancellationError() }
                        s.openWaiters[id] = waiter
                        return nil
                    }
                }
                switch failure {
                case .some(nil): waiter.resume()
                case .some(let error?): waiter.resume(throwing: error)
                case nil: break
                }
            }
        } onCancel: {
            state.withLock { $0.openWaiters.removeValue(forKey: id) }?.resume(throwing: CancellationError())
        }
    }
}
