// From the library's threads to Swift concurrency.
//
// Each peer connection registers one PeerSink with the library as its
// user_data, retained through Unmanaged and released by the final
// PEER_CLOSED event (or at once when creation fails). The library delivers a
// peer's events (its channels' included) one at a time and in order, on its
// own threads; the sink turns each into an AsyncStream element. Nothing here
// blocks or runs user code on a library thread: yielding to a continuation
// only enqueues. Mutable state sits behind a lock, taken peer-then-channel.
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

/// A data channel event, copied out of the C struct.
enum ChannelEvent: Sendable {
    case open, bufferedAmountLow, closing, close
    case message(DataChannelMessage)
    case error(String)

    init?(_ e: omnirtc_event_t) {
        switch e.type {
        case code(OMNIRTC_EVENT_CHANNEL_OPEN): self = .open
        case code(OMNIRTC_EVENT_CHANNEL_MESSAGE):
            let bytes = UnsafeBufferPointer(start: e.data, count: e.data == nil ? 0 : e.size)
            self = .message(e.binary != 0 ? .binary(Data(bytes)) : .text(String(decoding: bytes, as: UTF8.self)))
        case code(OMNIRTC_EVENT_CHANNEL_BUFFERED_AMOUNT_LOW): self = .bufferedAmountLow
        case code(OMNIRTC_EVENT_CHANNEL_ERROR): self = .error(text(e.text))
        case code(OMNIRTC_EVENT_CHANNEL_CLOSING): self = .closing
        case code(OMNIRTC_EVENT_CHANNEL_CLOSE): self = .close
        default: return nil
        }
    }
}

func code(_ type: omnirtc_event_type_t) -> Int32 { Int32(type.rawValue) }
func text(_ pointer: UnsafePointer<CChar>?) -> String { pointer.map { String(cString: $0) } ?? "" }

/// The event callback of every peer connection: user_data is its PeerSink.
func peerEventCallback(_ userData: UnsafeMutableRawPointer?, _ event: UnsafePointer<omnirtc_event_t>?) {
    guard let userData, let event else { return }
    // Go's synchronization already orders the sink's construction before this
    // call, but thread sanitizers cannot see through Go: the lock PeerSink.init
    // released last makes that order visible to them too (uncontended: cheap).
    PeerSink.live.withLock { _ in }
    let sink = Unmanaged<PeerSink>.fromOpaque(userData)
    sink.takeUnretainedValue().handle(event.pointee)
    if event.pointee.type == code(OMNIRTC_EVENT_PEER_CLOSED) {
        sink.release() // the final event: the library drops user_data
    }
}

/// A peer connection's events and the state they imply.
final class PeerSink: Sendable {
    /// Sinks alive in the process, for leak tests: each is released by its PEER_CLOSED.
    static let live = Locked(0)

    let iceCandidates = Pipe<IceCandidate>()
    let signalingStates = Pipe<SignalingState>()
    let gatheringStates = Pipe<IceGatheringState>()
    let iceConnectionStates = Pipe<IceConnectionState>()
    let connectionStates = Pipe<PeerConnectionState>()
    let negotiationNeeded = Pipe<Void>()
    let dataChannels = Pipe<DataChannel>()
    let tracks = Pipe<RemoteTrack>()
    let targetBitrates = Pipe<BitrateTarget>(bufferingPolicy: .bufferingNewest(64))

    struct State: Sendable {
        var signaling = SignalingState.stable
        var gathering = IceGatheringState.new
        var iceConnection = IceConnectionState.new
        var connection = PeerConnectionState.new
        var closed = false
        var channels: [omnirtc_channel_t: ChannelSink] = [:]
        /// Events of a local channel that came before createDataChannel registered it.
        var early: [omnirtc_channel_t: [ChannelEvent]] = [:]
        var tracks: [omnirtc_track_t: TrackSink] = [:]
        var transceivers: [omnirtc_transceiver_t: TransceiverSink] = [:]
        /// How each remote track is delivered (omnirtc_track_set_receive), applied as it arrives.
        var trackReceive: TrackReceive?
    }

    let state = Locked(State())

    init() { Self.live.withLock { $0 += 1 } } // after every field is set: see peerEventCallback
    deinit { Self.live.withLock { $0 -= 1 } }

    func handle(_ e: omnirtc_event_t) {
        switch e.type {
        case code(OMNIRTC_EVENT_ICE_CANDIDATE):
            let mid = e.sdp_mid.map { String(cString: $0) }
            iceCandidates.continuation.yield(
                IceCandidate(
                    candidate: text(e.text), sdpMid: mid?.isEmpty == false ? mid : nil,
                    sdpMLineIndex: e.sdp_mline_index >= 0 ? e.sdp_mline_index : nil))
        case code(OMNIRTC_EVENT_SIGNALING_STATE): update(e.state, \.signaling, signalingStates)
        case code(OMNIRTC_EVENT_ICE_GATHERING_STATE): update(e.state, \.gathering, gatheringStates)
        case code(OMNIRTC_EVENT_ICE_CONNECTION_STATE): update(e.state, \.iceConnection, iceConnectionStates)
        case code(OMNIRTC_EVENT_CONNECTION_STATE): update(e.state, \.connection, connectionStates)
        case code(OMNIRTC_EVENT_NEGOTIATION_NEEDED):
            negotiationNeeded.continuation.yield()
        case code(OMNIRTC_EVENT_DATA_CHANNEL):
            let channel = ChannelSink(handle: e.channel)
            register(channel)
            dataChannels.continuation.yield(DataChannel(channel))
        case code(OMNIRTC_EVENT_PEER_CLOSED):
            closed()
        case code(OMNIRTC_EVENT_TRACK)...:
            handleMedia(e)
        default:
            guard let event = ChannelEvent(e) else { return }
            state.withLock { s in
                if let channel = s.channels[e.channel] {
                    channel.deliver(event)
                    if case .close = event { s.channels[e.channel] = nil }
                } else if !s.closed {
                    s.early[e.channel, default: []].append(event)
                }
            }
        }
    }

    /// A state change: remembered for the getters, then streamed.
    private func update<S: CaseIterable & Sendable>(_ value: Int32, _ field: WritableKeyPath<State, S>, _ pipe: Pipe<S>) {
        guard let new = S(library: value) else { return }
        state.withLock { $0[keyPath: field] = new }
        pipe.continuation.yield(new)
    }

    /// Routes a channel's events to its sink, those that came early first.
    func register(_ channel: ChannelSink) {
        state.withLock { s in
            let early = s.early.removeValue(forKey: channel.handle) ?? []
            for event in early { channel.deliver(event) }
            if s.closed {
                channel.deliver(.close)
            } else if !early.contains(where: { if case .close = $0 { true } else { false } }) {
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
        iceCandidates.continuation.finish()
        signalingStates.continuation.finish()
        gatheringStates.continuation.finish()
        iceConnectionStates.continuation.finish()
        connectionStates.continuation.finish()
        negotiationNeeded.continuation.finish()
        dataChannels.continuation.finish()
        closedMedia()
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
        return try? JSONDecoder().decode(ChannelInfo.self, from: Data(json.utf8))
    }
}

/// A data channel's events and state. Received messages are counted until the
/// application takes them from the stream: past `highWater` the channel is
/// paused (the sender then feels SCTP flow control instead of this process
/// buffering without bound), below `lowWater` it resumes.
final class ChannelSink: Sendable {
    static let highWater = 4096
    static let lowWater = 1024

    let handle: omnirtc_channel_t
    let messages = Pipe<DataChannelMessage>()
    let states = Pipe<DataChannelState>()
    let bufferedAmountLow = Pipe<Void>()
    let errors = Pipe<OmniRTCError>()

    struct State: Sendable {
        var readyState = DataChannelState.connecting
        var info = ChannelInfo()
        var lowThreshold: UInt64 = 0
        var unread = 0
        var paused = false
        var nextWaiter = 0
        var openWaiters: [Int: CheckedContinuation<Void, any Error>] = [:]
    }

    let state: Locked<State>

    init(handle: omnirtc_channel_t) {
        self.handle = handle
        var s = State()
        s.info = ChannelInfo.fetch(handle) ?? ChannelInfo()
        state = Locked(s)
    }

    /// One event, in the library's order (called with the peer's lock held).
    func deliver(_ event: ChannelEvent) {
        switch event {
        case .open:
            let info = ChannelInfo.fetch(handle) // the id is known now
            let waiters = state.withLock { s in
                s.readyState = .open
                if let info { s.info = info }
                defer { s.openWaiters = [:] }
                return s.openWaiters.values
            }
            states.continuation.yield(.open)
            for waiter in waiters { waiter.resume() }
        case .message(let message):
            state.withLock { s in
                s.unread += 1
                if s.unread >= Self.highWater && !s.paused {
                    s.paused = true
                    omnirtc_channel_set_paused(handle, 1) // under the lock: resume cannot overtake it
                }
            }
            messages.continuation.yield(message)
        case .bufferedAmountLow:
            bufferedAmountLow.continuation.yield()
        case .error(let message):
            errors.continuation.yield(.operation(message))
        case .closing:
            state.withLock { $0.readyState = .closing }
            states.continuation.yield(.closing)
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
            states.continuation.yield(.closed)
            states.continuation.finish()
            messages.continuation.finish()
            bufferedAmountLow.continuation.finish()
            errors.continuation.finish()
        }
    }

    /// The application took a message from the stream.
    func consumed() {
        state.withLock { s in
            s.unread -= 1
            if s.paused && s.unread <= Self.lowWater {
                s.paused = false
                omnirtc_channel_set_paused(handle, 0)
            }
        }
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
