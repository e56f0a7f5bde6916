import COmniRTC
import Foundation

/// A data channel's event, as ``DataChannel/events`` delivers them: in the
/// library's order, so a message never passes the `open` before it or the
/// `close` after it (the per-kind streams keep the order within a kind only).
public enum DataChannelEvent: Sendable, Equatable {
    /// The channel opened (W3C `open`).
    case open
    /// A message arrived (W3C `message`).
    case message(DataChannelMessage)
    /// ``DataChannel/bufferedAmount`` fell to ``DataChannel/bufferedAmountLowThreshold``.
    case bufferedAmountLow
    /// The channel reported an error (a close follows).
    case error(OmniRTCError)
    /// The channel is closing (W3C `closing`).
    case closing
    /// The channel closed (W3C `close`): the last event.
    case close

    /// The channel event in `e`, copied out of the C struct; nil for other kinds.
    init?(_ e: omnirtc_event_t) {
        switch e.type {
        case code(OMNIRTC_EVENT_CHANNEL_OPEN): self = .open
        case code(OMNIRTC_EVENT_CHANNEL_MESSAGE):
            let m = e.message
            let bytes = UnsafeBufferPointer(start: m.data, count: m.data == nil ? 0 : m.size)
            self = .message(m.binary != 0 ? .binary(Data(bytes)) : .text(String(decoding: bytes, as: UTF8.self)))
        case code(OMNIRTC_EVENT_CHANNEL_BUFFERED_AMOUNT_LOW): self = .bufferedAmountLow
        case code(OMNIRTC_EVENT_CHANNEL_ERROR): self = .error(.operation(text(e.channel_error.message)))
        case code(OMNIRTC_EVENT_CHANNEL_CLOSING): self = .closing
        case code(OMNIRTC_EVENT_CHANNEL_CLOSE): self = .close
        default: return nil
        }
    }
}

/// A data channel's per-kind streams, fed by its ``OrderedEvents``.
struct ChannelStreams: EventKinds {
    let messages = Pipe<DataChannelMessage>()
    let states = Pipe<DataChannelState>()
    let bufferedAmountLow = Pipe<Void>()
    let errors = Pipe<OmniRTCError>()

    func route(_ event: DataChannelEvent) {
        switch event {
        case .open: states.continuation.yield(.open)
        case .message(let message): messages.continuation.yield(message)
        case .bufferedAmountLow: bufferedAmountLow.continuation.yield()
        case .error(let error): errors.continuation.yield(error)
        case .closing: states.continuation.yield(.closing)
        case .close: states.continuation.yield(.closed)
        }
    }

    func end() {
        states.continuation.finish()
        messages.continuation.finish()
        bufferedAmountLow.continuation.finish()
        errors.continuation.finish()
    }
}
