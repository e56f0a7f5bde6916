import COmniRTC
import Foundation

/// A received message: text arrives as text, binary as bytes.
public enum DataChannelMessage: Sendable, Equatable {
    case text(String)
    case binary(Data)

    /// The payload as bytes (text as UTF-8).
    public var data: Data {
        switch self {
        case .text(let s): Data(s.utf8)
        case .binary(let d): d
        }
    }

    /// The payload's size in bytes.
    var byteCount: Int {
        switch self {
        case .text(let s): s.utf8.count
        case .binary(let d): d.count
        }
    }
}

/// A data channel (W3C `RTCDataChannel`). Make one with
/// ``PeerConnection/createDataChannel(label:options:)``; the remote's arrive on
/// ``PeerConnection/dataChannels``. Its events are streams, each meant for one
/// consumer; they end when the channel closes. Keep its peer connection alive
/// while you use it: releasing the ``PeerConnection`` closes its channels.
public final class DataChannel: Sendable {
    let sink: ChannelSink

    init(_ sink: ChannelSink) { self.sink = sink }

    private var info: ChannelInfo { sink.state.withLock { $0.info } }

    public var label: String { info.label }
    public var `protocol`: String { info.protocol }
    /// The SCTP stream id; nil until an answer negotiated the DTLS role (W3C
    /// webrtc-pc 6.2), asked of the library again while it is nil.
    public var id: UInt16? {
        if let id = info.id { return id }
        guard let fresh = ChannelInfo.fetch(sink.handle) else { return nil }
        sink.state.withLock { $0.info = fresh }
        return fresh.id
    }
    public var ordered: Bool { info.ordered }
    public var maxPacketLifeTime: UInt16? { info.maxPacketLifeTime }
    public var maxRetransmits: UInt16? { info.maxRetransmits }
    public var negotiated: Bool { info.negotiated }

    /// The library's state now, so it is current when the call that changed it
    /// returns; ``states`` reports the changes later. `closed` only once the
    /// channel's close was taken from the library (W3C: with the close event):
    /// the library reads `closing` until then, so a `close()` reads `closing`
    /// however fast the remote answers it.
    public var readyState: DataChannelState {
        let delivered = sink.state.withLock { $0.readyState }
        if delivered == .closed { return .closed }
        var value: Int32 = 0
        // the library releases the handle with the close it hands over
        guard omnirtc_channel_get_ready_state(sink.handle, &value) == 0 else { return .closed }
        return DataChannelState(library: value) ?? delivered
    }

    // Read the events either all on ``events``, in the order they happened,
    // or split over the per-kind streams below (each keeps its kind's order),
    // not both: each event is delivered once.

    /// Every event of the channel in the library's order: `open`, the
    /// messages, `closing`, `close` (W3C event order), with
    /// `bufferedAmountLow` and `error` where they happened. Ends after `close`.
    public var events: DataChannelEvents {
        DataChannelStream(sink: sink, stream: { $0.events.all }) { if case .message(let m) = $0 { m } else { nil } }
    }
    /// Received messages, in the order the channel delivered them.
    public var messages: DataChannelMessages {
        DataChannelStream(sink: sink, stream: { $0.events.perKind.messages.stream }) { $0 }
    }
    /// State changes after `connecting`: open, closing, closed.
    public var states: AsyncStream<DataChannelState> { sink.events.perKind.states.stream }
    /// An element each time ``bufferedAmount`` falls to ``bufferedAmountLowThreshold``.
    public var bufferedAmountLow: AsyncStream<Void> { sink.events.perKind.bufferedAmountLow.stream }
    /// Errors the channel reported (a close follows).
    public var errors: AsyncStream<OmniRTCError> { sink.events.perKind.errors.stream }

    /// Bytes queued by `send` and not yet handed to the network (0 once closed).
    public var bufferedAmount: UInt64 {
        var amount: UInt64 = 0
        return omnirtc_channel_get_buffered_amount(sink.handle, &amount) == 0 ? amount : 0
    }

    /// The most ``bufferedAmount`` may reach: a `send` that would pass it
    /// throws ``OmniRTCError/operation(_:)`` (W3C OperationError). 16 MiB, as in Chromium.
    public static let maxBufferedAmount = UInt64(OMNIRTC_MAX_BUFFERED_AMOUNT)

    /// When ``bufferedAmount`` falls to this many bytes or below,
    /// ``bufferedAmountLow`` gets an element. Default 0.
    public var bufferedAmountLowThreshold: UInt64 {
        get { sink.state.withLock { $0.lowThreshold } }
        set {
            sink.state.withLock { s in
                s.lowThreshold = newValue
                _ = omnirtc_channel_set_buffered_amount_low_threshold(sink.handle, newValue) // a closed channel keeps the value only
            }
        }
    }

    /// Sends bytes as one binary message. Never blocks: watch ``bufferedAmount``.
    /// Throws ``OmniRTCError/invalidState(_:)`` when not open,
    /// ``OmniRTCError/tooLarge(_:)`` past ``PeerConnection/maxMessageSize``.
    public func send(_ data: Data) throws(OmniRTCError) {
        let status = data.withUnsafeBytes { omnirtc_channel_send(sink.handle, $0.baseAddress, $0.count, 1) }
        try check(status)
    }

    /// Sends text as one text message.
    public func send(_ text: String) throws(OmniRTCError) {
        var text = text
        let status = text.withUTF8 { omnirtc_channel_send(sink.handle, $0.baseAddress, $0.count, 0) }
        try check(status)
    }

    /// Waits until the channel is open. Throws ``OmniRTCError/invalidState(_:)``
    /// if it closes first, `CancellationError` when the task is cancelled.
    public func waitUntilOpen() async throws {
        try await sink.waitUntilOpen()
    }

    /// Starts closing: data already sent is still delivered, then ``states``
    /// reports `closed` and the streams end. Closing again does nothing.
    public func close() {
        let wasOpen = sink.state.withLock { s in
            defer { if s.readyState != .closed { s.readyState = .closing } }
            return s.readyState != .closed
        }
        if wasOpen { _ = omnirtc_channel_close(sink.handle) } // a closed handle is fine here
        sink.stopWaiting() // its unread messages no longer hold back the peer's other events
    }
}

/// A data channel's ``DataChannel/messages`` or ``DataChannel/events``.
/// Taking a message makes room for more: a consumer that falls behind holds
/// back its peer's events (the library then stops reading, and the sender
/// feels SCTP flow control) instead of buffering without bound.
public struct DataChannelStream<Element: Sendable>: AsyncSequence, Sendable {
    let sink: ChannelSink
    /// The stream, chosen when iterated (see OrderedEvents).
    let stream: @Sendable (ChannelSink) -> AsyncStream<Element>
    /// The received message an element is, if it is one.
    let message: @Sendable (Element) -> DataChannelMessage?

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncStream<Element>.AsyncIterator
        let sink: ChannelSink
        let message: @Sendable (Element) -> DataChannelMessage?

        public mutating func next() async -> Element? {
            guard let element = await base.next() else { return nil }
            if let taken = message(element) { sink.consumed(taken) }
            return element
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: stream(sink).makeAsyncIterator(), sink: sink, message: message)
    }
}

/// The messages of a data channel, in the order it delivered them.
public typealias DataChannelMessages = DataChannelStream<DataChannelMessage>
/// Every event of a data channel, in the order it delivered them.
public typealias DataChannelEvents = DataChannelStream<DataChannelEvent>
