// One object's events, in the order the library delivered them, read one of
// two ways: all together on one stream (`events`, where the order between kinds
// shows), or split by kind over the per-kind streams (`messages`, `states`...).
// Every event goes through `deliver`, once; until the first reader chooses a
// way, events wait here in order, so neither way loses the early ones.
import Foundation

/// An object's per-kind streams: where each event goes when they are read.
protocol EventKinds: Sendable {
    associatedtype Event: Sendable
    /// Hands one event to its kind's stream.
    func route(_ event: Event)
    /// Ends every stream.
    func end()
}

final class OrderedEvents<Kinds: EventKinds>: Sendable {
    typealias Event = Kinds.Event

    /// Who reads: nobody yet (the events wait, and whether they ended), the
    /// combined stream, or the per-kind streams.
    private enum Reader: Sendable {
        case undecided(waiting: [Event], ended: Bool)
        case combined
        case perKind
    }

    private let combined = Pipe<Event>()
    private let kinds: Kinds
    private let reader = Locked(Reader.undecided(waiting: [], ended: false))

    init(_ kinds: Kinds) { self.kinds = kinds }

    /// One event, to whichever reader was chosen (held here until one is).
    /// The lock is held while it is handed on, so a reader chosen meanwhile
    /// still gets the events in order.
    func deliver(_ event: Event) {
        reader.withLock { r in
            guard case .undecided(var waiting, let ended) = r else { return hand(event, to: r) }
            guard !ended else { return }
            r = .combined // drops r's reference, so the append does not copy the array
            waiting.append(event)
            r = .undecided(waiting: waiting, ended: ended)
        }
    }

    /// The object closed: its streams end after the events delivered so far.
    func end() {
        reader.withLock { r in
            guard case .undecided(let waiting, _) = r else { return hand(nil, to: r) }
            r = .undecided(waiting: waiting, ended: true)
        }
    }

    /// The events waiting for a reader to be chosen (for tests).
    var waiting: [Event] {
        reader.withLock { r in
            if case .undecided(let waiting, _) = r { return waiting }
            return []
        }
    }

    /// Every event on one stream. Choosing it after ``perKind`` is a
    /// programming error (each event is read once).
    var all: AsyncStream<Event> {
        choose(.combined)
        return combined.stream
    }

    /// The per-kind streams. Choosing them after ``all`` is a programming error.
    var perKind: Kinds {
        choose(.perKind)
        return kinds
    }

    /// Chooses the reader, which takes the events waiting, in order.
    private func choose(_ way: Reader) {
        reader.withLock { r in
            switch (r, way) {
            case (.undecided(let waiting, let ended), _):
                for event in waiting { hand(event, to: way) }
                if ended { hand(nil, to: way) }
                r = way
            case (.combined, .combined), (.perKind, .perKind): break
            default:
                preconditionFailure("read an object's events either on `events` or on its per-kind streams, not both")
            }
        }
    }

    /// An event (nil: the end) to a chosen reader.
    private func hand(_ event: Event?, to reader: Reader) {
        switch (reader, event) {
        case (.combined, let event?): combined.continuation.yield(event)
        case (.combined, nil): combined.continuation.finish()
        case (.perKind, let event?): kinds.route(event)
        case (.perKind, nil): kinds.end()
        case (.undecided, _): break
        }
    }
}
