// WHIP (RFC 9725) and WHEP signaling: the "WHIP and WHEP" section of omnirtc.h.
//
// The HTTP and SDP-fragment work is the library's. Each client session and
// server is a polled handle (omnirtc_whip_*_start with a notify callback)
// whose user_data is its WhipSink, retained through Unmanaged and released
// when the drain takes the final CLOSED (or at once when the start fails), as
// a TURN server's (TurnServer.swift). The drain hands the events, in order,
// to the session or server that owns the sink.
import COmniRTC
import Foundation

/// A WHIP or WHEP request that failed: its HTTP status (0 when no response
/// came) and the library's message.
public struct WhipError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var message: String
    public var description: String { status == 0 ? message : "HTTP \(status): \(message)" }
}

/// One event of a WHIP handle, its strings copied out of the library's batch.
struct WhipEvent: Sendable {
    var type: Int32
    var session: UInt64
    var status: Int
    var path: String
    var sdp: String
    var resource: String
    var reason: String

    init(_ e: omnirtc_whip_event_t) {
        type = e.type
        session = e.session
        status = Int(e.status)
        path = text(e.path)
        sdp = text(e.sdp)
        resource = text(e.resource)
        reason = text(e.reason)
    }

    func `is`(_ kind: omnirtc_whip_event_type) -> Bool { type == Int32(kind.rawValue) }
}

/// The notify callback of every WHIP handle: user_data is its WhipSink.
func whipNotifyCallback(_ userData: UnsafeMutableRawPointer?, _ whip: omnirtc_whip_t) {
    guard let userData else { return }
    WhipSink.live.withLock { _ in } // orders the sink's construction for thread sanitizers (see peerNotifyCallback)
    Unmanaged<WhipSink>.fromOpaque(userData).takeUnretainedValue().wakes.continuation.yield(whip)
}

/// A WHIP handle's events, handed in order to its owner's `deliver`.
final class WhipSink: Sendable {
    /// Sinks alive in the process, for leak tests: each is released by its CLOSED.
    static let live = Locked(0)
    /// The library's notify: the handle's queue has events (one pending wake-up is enough).
    let wakes = Pipe<omnirtc_whip_t>(bufferingPolicy: .bufferingNewest(1))
    let deliver: @Sendable (WhipEvent) -> Void

    init(deliver: @escaping @Sendable (WhipEvent) -> Void) {
        self.deliver = deliver
        Self.live.withLock { $0 += 1 } // after every field is set: see whipNotifyCallback
    }

    deinit { Self.live.withLock { $0 -= 1 } }

    /// Starts a handle with this sink as its user_data; start gets the notify
    /// callback and the user_data. Returns the drain, which ends after CLOSED.
    func start(
        _ start: (omnirtc_whip_notify_cb, UnsafeMutableRawPointer) -> omnirtc_status_t
    ) throws(OmniRTCError) -> Task<Void, Never> {
        let userData = Unmanaged.passRetained(self)
        do {
            try check(start({ whipNotifyCallback($0, $1) }, userData.toOpaque()))
        } catch {
            userData.release() // nothing will ever be notified
            throw error
        }
        return Task.detached { await self.drain() } // a notify before this waits in wakes
    }

    /// Takes the handle's events each time notify wakes it, until CLOSED.
    private func drain() async {
        let closed = await drainPolled(
            wakes.stream, poll: { omnirtc_whip_poll_events($0, $1, $2, $3) },
            isFinal: { $0.type == Int32(OMNIRTC_WHIP_EVENT_CLOSED.rawValue) }, deliver: { deliver(WhipEvent($0)) })
        finish(closed.map(WhipEvent.init))
    }

    /// The final event: the owner hears of it and the library drops user_data.
    private func finish(_ closed: WhipEvent?) {
        if let closed { deliver(closed) }
        wakes.continuation.finish()
        Unmanaged.passUnretained(self).release() // the reference start gave the library
    }
}

/// A WHIP (publish) or WHEP (play) client session: the peer connection's
/// description offered to an endpoint, and the resource the server made.
///
/// ```swift
/// let pc = try PeerConnection()
/// _ = try pc.addTransceiver(track: camera, direction: .sendonly)
/// let session = try await WhipSession.publish(to: "http://127.0.0.1:8080/whip", peerConnection: pc, token: "secret")
/// try await session.close() // DELETE
/// ```
///
/// The session takes its peer connection: when the session ends (refused,
/// failed or closed), the library closes that peer connection, so a refused
/// publish keeps nothing open. Releasing the last reference closes the session.
public final class WhipSession: Sendable {
    struct State: Sendable {
        var connect: CheckedContinuation<String, Error>?
        var restarts: [CheckedContinuation<Void, Error>] = []
        var closed = false
    }

    let handle: omnirtc_whip_t
    let state: Locked<State>
    let drained: Task<Void, Never>
    /// The peer connection the session runs on.
    public let peerConnection: PeerConnection
    /// The session's resource URL on the server (the `Location` of its 201).
    public let resource: String

    private init(handle: omnirtc_whip_t, state: Locked<State>, drained: Task<Void, Never>, pc: PeerConnection, resource: String) {
        self.handle = handle
        self.state = state
        self.drained = drained
        peerConnection = pc
        self.resource = resource
    }

    deinit {
        _ = omnirtc_whip_close(handle) // already closed: INVALID_HANDLE, nothing to do
    }

    /// Publishes the peer connection's tracks to a WHIP endpoint, with a
    /// bearer `token`; returns once the answer is applied. With `trickle` the
    /// offer goes before ICE gathering is complete and the later candidates
    /// follow in PATCH requests. A refusal throws a ``WhipError`` carrying the
    /// HTTP status, and the peer connection is closed.
    public static func publish(
        to url: String, peerConnection: PeerConnection, token: String? = nil, trickle: Bool = false
    ) async throws -> WhipSession {
        try await connect(url, peerConnection, token, trickle)
    }

    /// Plays a WHEP endpoint into the peer connection: one without
    /// transceivers gets a receive-only audio and video one; its tracks bring
    /// the media. `token` and `trickle` as for
    /// ``publish(to:peerConnection:token:trickle:)``, and throws as it does.
    public static func play(
        from url: String, peerConnection: PeerConnection, token: String? = nil, trickle: Bool = false
    ) async throws -> WhipSession {
        if peerConnection.transceivers.isEmpty {
            _ = try peerConnection.addTransceiver(kind: .audio, direction: .recvonly)
            _ = try peerConnection.addTransceiver(kind: .video, direction: .recvonly)
        }
        return try await connect(url, peerConnection, token, trickle)
    }

    /// The options_json of omnirtc_whip_client_start_with_options.
    private struct ClientOptions: Encodable {
        var token: String
        var trickle: Bool
    }

    private static func connect(_ url: String, _ pc: PeerConnection, _ token: String?, _ trickle: Bool) async throws
        -> WhipSession
    {
        let options = try encodeJSON(ClientOptions(token: token ?? "", trickle: trickle))
        let state = Locked(State())
        let sink = WhipSink { event in deliver(event, to: state) }
        // The continuation is in place before the start, so CONNECTED cannot come first.
        var drained: Task<Void, Never>?
        var handle: omnirtc_whip_t = 0
        let resource = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<String, Error>) in
            state.withLock { $0.connect = continuation }
            do {
                drained = try sink.start { notify, userData in
                    omnirtc_whip_client_start_with_options(pc.handle, url, options, nil, notify, userData, &handle)
                }
            } catch {
                state.withLock { $0.connect = nil }
                continuation.resume(throwing: error)
            }
        }
        return WhipSession(handle: handle, state: state, drained: drained!, pc: pc, resource: resource)
    }

    private static func deliver(_ e: WhipEvent, to state: Locked<State>) {
        state.withLock { s in
            if e.is(OMNIRTC_WHIP_EVENT_CONNECTED) {
                s.connect?.resume(returning: e.resource)
                s.connect = nil
            } else if e.is(OMNIRTC_WHIP_EVENT_ICE_RESTARTED) {
                if !s.restarts.isEmpty { s.restarts.removeFirst().resume() }
            } else if e.is(OMNIRTC_WHIP_EVENT_ERROR) {
                let error = WhipError(status: e.status, message: e.reason)
                if let connect = s.connect {
                    connect.resume(throwing: error)
                    s.connect = nil
                } else if !s.restarts.isEmpty {
                    s.restarts.removeFirst().resume(throwing: error)
                }
            } else if e.is(OMNIRTC_WHIP_EVENT_CLOSED) {
                let error = WhipError(status: 0, message: "the session ended: \(e.reason)")
                s.connect?.resume(throwing: error)
                s.connect = nil
                for restart in s.restarts { restart.resume(throwing: error) }
                s.restarts = []
                s.closed = true
            }
        }
    }

    /// Restarts ICE through a PATCH of the resource; returns once the new
    /// credentials are negotiated. Throws a ``WhipError`` if the server
    /// refuses, ``OmniRTCError/invalidHandle(_:)`` once closed.
    public func restartIce() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            // under the lock, so the drain cannot take ICE_RESTARTED before the continuation waits
            let refused: OmniRTCError? = state.withLock { s in
                if s.closed { return .invalidHandle("the WHIP session is closed") }
                do throws(OmniRTCError) {
                    try check(omnirtc_whip_client_restart_ice(handle))
                } catch {
                    return error
                }
                s.restarts.append(continuation)
                return nil
            }
            if let refused { continuation.resume(throwing: refused) }
        }
    }

    /// Ends the session: the library closes its peer connection and DELETEs
    /// the resource in the background. Returns once the session's last event
    /// was taken. Closing again does nothing.
    public func close() async throws(OmniRTCError) {
        let status = omnirtc_whip_close(handle)
        if status != Int32(OMNIRTC_ERR_INVALID_HANDLE) { try check(status) }
        await drained.value
    }
}

/// The JSON configuration of ``WhipServer`` (the keys documented at
/// `omnirtc_whip_server_start` in omnirtc.h). Only what is set is sent.
public struct WhipServerConfiguration: Sendable, Equatable, Encodable {
    /// Where to listen, "ip:port" (default "127.0.0.1:0"; port 0 picks one).
    public var address: String?
    /// The bearer token every request must carry (none if nil).
    public var token: String?
    /// Announced to clients in `Link` headers.
    public var iceServers: [IceServer]?
    /// How long an offer waits for ``WhipServer/answer(_:with:)`` (default 10000).
    public var answerTimeoutMs: Int?

    public init(address: String? = nil, token: String? = nil, iceServers: [IceServer]? = nil, answerTimeoutMs: Int? = nil) {
        self.address = address
        self.token = token
        self.iceServers = iceServers
        self.answerTimeoutMs = answerTimeoutMs
    }
}

/// A ``WhipServer`` event.
public enum WhipServerEvent: Sendable, Equatable {
    /// An offer to answer (``WhipServer/answer(_:with:)``) or refuse
    /// (``WhipServer/reject(_:status:reason:)``): the session's id, the
    /// request path, which names the endpoint ("/whip", "/whep/room"), and
    /// the offer's SDP.
    case session(id: UInt64, path: String, sdp: String)
    /// A session ended ("deleted", "refused", "timeout", "failed", "closed");
    /// its peer connection, if any, was closed.
    case sessionEnded(id: UInt64, reason: String)
}

/// A WHIP and WHEP server on an address of this host: each offer becomes a
/// ``WhipServerEvent/session(id:path:sdp:)`` that the application answers
/// with a peer connection of its own.
///
/// ```swift
/// let server = try WhipServer(configuration: WhipServerConfiguration(token: "secret"))
/// for await event in server.events {
///     if case .session(let id, _, _) = event { try server.answer(id, with: try PeerConnection()) }
/// }
/// ```
///
/// Releasing the last reference closes the server.
public final class WhipServer: Sendable {
    /// Unread events ``events`` keeps (the newest).
    public static let eventBuffer = 4096

    let handle: omnirtc_whip_t
    let drained: Task<Void, Never>
    let pipe: Pipe<WhipServerEvent>
    /// The peer connections answering sessions, kept alive until their session ends.
    let peers: Locked<[UInt64: PeerConnection]>
    /// The server's base URL, "http://ip:port".
    public let url: String

    /// Starts a server. Throws ``OmniRTCError/invalidConfig(_:)`` (naming the
    /// key) for a bad configuration, ``OmniRTCError/operation(_:)`` when the
    /// address cannot be listened on.
    public convenience init(configuration: WhipServerConfiguration = WhipServerConfiguration()) throws(OmniRTCError) {
        let json: String
        do {
            json = try encodeJSON(configuration)
        } catch {
            throw .invalidArgument("WHIP server configuration: \(error)")
        }
        try self.init(json: json)
    }

    /// Starts a server from the JSON text `omnirtc_whip_server_start` takes.
    public init(json: String) throws(OmniRTCError) {
        let (stream, continuation) = AsyncStream<WhipServerEvent>.makeStream(
            bufferingPolicy: .bufferingNewest(Self.eventBuffer))
        let pipe = Pipe(stream: stream, continuation: continuation)
        let peers = Locked<[UInt64: PeerConnection]>([:])
        let sink = WhipSink { e in
            if e.is(OMNIRTC_WHIP_EVENT_SESSION) {
                pipe.continuation.yield(.session(id: e.session, path: e.path, sdp: e.sdp))
            } else if e.is(OMNIRTC_WHIP_EVENT_SESSION_ENDED) {
                _ = peers.withLock { $0.removeValue(forKey: e.session) } // the library closed it
                pipe.continuation.yield(.sessionEnded(id: e.session, reason: e.reason))
            } else if e.is(OMNIRTC_WHIP_EVENT_CLOSED) {
                peers.withLock { $0 = [:] }
                pipe.continuation.finish()
            }
        }
        var handle: omnirtc_whip_t = 0
        var url: UnsafeMutablePointer<CChar>?
        drained = try sink.start { notify, userData in
            omnirtc_whip_server_start(json, nil, notify, userData, &handle, &url)
        }
        self.handle = handle
        self.url = takeString(url) ?? ""
        self.pipe = pipe
        self.peers = peers
    }

    deinit {
        _ = omnirtc_whip_close(handle)
    }

    /// Sessions offered and ended, in order; buffered from the start (the
    /// newest ``eventBuffer``), meant for one consumer; ends when the server closes.
    public var events: AsyncStream<WhipServerEvent> { pipe.stream }

    /// Answers a session with a peer connection; its remote description is
    /// the offer unless already set (a WHEP viewer's tracks are added to the
    /// transceivers the offer made). The server keeps the peer connection and
    /// closes it when the session ends. Throws
    /// ``OmniRTCError/invalidState(_:)`` when no such session waits.
    public func answer(_ session: UInt64, with peerConnection: PeerConnection) throws(OmniRTCError) {
        peers.withLock { $0[session] = peerConnection } // before: SESSION_ENDED may follow at once
        do {
            try check(omnirtc_whip_server_answer(handle, session, peerConnection.handle))
        } catch {
            _ = peers.withLock { $0.removeValue(forKey: session) }
            throw error
        }
    }

    /// Refuses a session with an HTTP status (400...599) and a reason sent to the client.
    public func reject(_ session: UInt64, status: Int = 403, reason: String = "") throws(OmniRTCError) {
        guard let code = Int32(exactly: status) else { throw .invalidArgument("status \(status) is out of range") }
        try check(omnirtc_whip_server_reject(handle, session, code, reason))
    }

    /// Stops listening and ends every session (closing their peer
    /// connections), then ends ``events``. Closing again does nothing.
    public func close() async throws(OmniRTCError) {
        let status = omnirtc_whip_close(handle)
        if status != Int32(OMNIRTC_ERR_INVALID_HANDLE) { try check(status) }
        await drained.value
    }
}
