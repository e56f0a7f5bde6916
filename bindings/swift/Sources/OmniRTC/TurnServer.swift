// The built-in TURN/STUN server (the "TURN server" section of omnirtc.h).
//
// Each server is a polled one (omnirtc_turn_server_start_polled) whose
// user_data is its TurnSink, retained through Unmanaged and released when the
// drain takes the final CLOSED (or at once when the start fails): as a peer's
// (EventBridge.swift), the library's notify only wakes the sink's drain, a
// task that takes the events from the library's queue in batches, in order,
// and yields them to ``TurnServer/events``; nothing blocks on a library
// thread for them. The optional credential lookup is different: the server
// needs the password to answer the request, so the C API asks for it
// synchronously, while that listener waits. No user code runs on the library
// thread: the thread starts a Task for the async closure and waits for its
// answer at most TurnServer.authTimeout (as the Node binding waits for its
// main thread), refusing the user after that.
import COmniRTC
import Foundation

/// The JSON configuration of ``TurnServer`` (the keys documented at
/// `omnirtc_turn_server_start` in omnirtc.h). Only what is set is sent, so
/// the library's defaults apply to the rest.
public struct TurnServerConfiguration: Sendable, Equatable, Codable {
    /// A socket the server listens on.
    public struct Listener: Sendable, Equatable, Codable {
        public enum Transport: String, Sendable, Codable { case udp, tcp, tls }
        public var transport: Transport
        /// "ip:port"; port 0 picks a free port (see ``TurnServer/listeners``).
        public var address: String
        /// TLS only: the PEM certificate chain and its private key.
        public var certificate: String?
        public var privateKey: String?

        public init(transport: Transport, address: String, certificate: String? = nil, privateKey: String? = nil) {
            self.transport = transport
            self.address = address
            self.certificate = certificate
            self.privateKey = privateKey
        }
    }

    /// Where relayed transport addresses live.
    public struct Relay: Sendable, Equatable, Codable {
        /// The IP put in relayed addresses: the server's address as peers reach it.
        public var address: String
        /// The local IP relay sockets bind to (default: ``address``).
        public var bindAddress: String?
        /// The relay port range (default 49152...65535).
        public var minPort: UInt16?
        public var maxPort: UInt16?

        public init(address: String, bindAddress: String? = nil, minPort: UInt16? = nil, maxPort: UInt16? = nil) {
            self.address = address
            self.bindAddress = bindAddress
            self.minPort = minPort
            self.maxPort = maxPort
        }
    }

    public var listeners: [Listener]
    /// The long-term credential realm (default "omnirtc").
    public var realm: String?
    public var relay: Relay
    /// Static long-term credentials: username to password.
    public var users: [String: String]?
    /// coturn's `use-auth-secret`: see ``TurnServer/restCredential(secret:user:ttl:)``.
    public var sharedSecret: String?
    /// The most allocations one user holds at once (0: no limit).
    public var userQuota: Int?
    /// The lifetime of an unrefreshed allocation, 1...3600 seconds.
    public var allocationLifetimeSec: Int?
    /// Further top-level keys, sent as they are: settings newer than this
    /// binding. The library rejects keys it does not know.
    public var additional: [String: JSONValue]

    public init(
        listeners: [Listener], relay: Relay, realm: String? = nil, users: [String: String]? = nil,
        sharedSecret: String? = nil, userQuota: Int? = nil, allocationLifetimeSec: Int? = nil,
        additional: [String: JSONValue] = [:]
    ) {
        self.listeners = listeners
        self.relay = relay
        self.realm = realm
        self.users = users
        self.sharedSecret = sharedSecret
        self.userQuota = userQuota
        self.allocationLifetimeSec = allocationLifetimeSec
        self.additional = additional
    }

    private typealias Key = JSONKey

    private static let known: Set<String> = [
        "listeners", "realm", "relay", "users", "sharedSecret", "userQuota", "allocationLifetimeSec",
    ]

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        listeners = try c.decode([Listener].self, forKey: Key("listeners"))
        relay = try c.decode(Relay.self, forKey: Key("relay"))
        realm = try c.decodeIfPresent(String.self, forKey: Key("realm"))
        users = try c.decodeIfPresent([String: String].self, forKey: Key("users"))
        sharedSecret = try c.decodeIfPresent(String.self, forKey: Key("sharedSecret"))
        userQuota = try c.decodeIfPresent(Int.self, forKey: Key("userQuota"))
        allocationLifetimeSec = try c.decodeIfPresent(Int.self, forKey: Key("allocationLifetimeSec"))
        additional = [:]
        for key in c.allKeys where !Self.known.contains(key.stringValue) {
            additional[key.stringValue] = try c.decode(JSONValue.self, forKey: key)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(listeners, forKey: Key("listeners"))
        try c.encode(relay, forKey: Key("relay"))
        try c.encodeIfPresent(realm, forKey: Key("realm"))
        try c.encodeIfPresent(users, forKey: Key("users"))
        try c.encodeIfPresent(sharedSecret, forKey: Key("sharedSecret"))
        try c.encodeIfPresent(userQuota, forKey: Key("userQuota"))
        try c.encodeIfPresent(allocationLifetimeSec, forKey: Key("allocationLifetimeSec"))
        for (name, value) in additional.sorted(by: { $0.key < $1.key }) { try c.encode(value, forKey: Key(name)) }
    }

    /// The JSON text the library takes.
    public func json() throws -> String { try encodeJSON(self) }
}

/// One allocation, as a ``TurnServer`` event reports it.
public struct TurnAllocation: Sendable, Equatable {
    /// The authenticated user; for REST credentials the part after "expiry:".
    public var username: String
    public var realm: String
    /// The client's transport address, "ip:port".
    public var clientAddress: String
    /// The relayed transport address, "ip:port" (empty in a deletion).
    public var relayAddress: String
    /// The client-to-server transport: "UDP", or "TCP" for an allocation
    /// made over a TCP or TLS listener (TLS runs over TCP).
    public var `protocol`: String
}

/// A ``TurnServer`` event.
public enum TurnServerEvent: Sendable, Equatable {
    case allocationCreated(TurnAllocation)
    case allocationDeleted(TurnAllocation)
}

/// What the credential lookup is asked about.
public struct TurnAuthRequest: Sendable, Equatable {
    public var username: String
    public var realm: String
    /// The client's transport address, "ip:port".
    public var clientAddress: String
}

/// The server's counters (`omnirtc_turn_server_stats`).
public struct TurnServerStats: Sendable, Equatable, Decodable {
    public struct Listener: Sendable, Equatable, Decodable {
        public var transport: String
        /// The actual "ip:port" (a port 0 in the configuration is resolved).
        public var address: String
    }

    /// Allocations now.
    public var allocations: Int
    /// Allocations since the start.
    public var allocationsCreated: Int
    /// ``bytesToPeers`` + ``bytesFromPeers``: payload bytes on relay sockets.
    public var bytesRelayed: Int
    public var bytesToPeers: Int
    public var bytesFromPeers: Int
    public var authFailures: Int
    public var quotaRejections: Int
    /// Events lost because the host fell more than 4096 behind.
    public var eventsDropped: Int
    public var listeners: [Listener]
}

/// A time-limited TURN credential (coturn's REST API).
public struct TurnCredential: Sendable, Equatable {
    /// "<expiry in Unix seconds>:<user>".
    public var username: String
    /// base64(HMAC-SHA1(secret, username)).
    public var password: String
}

/// The notify callback of every TURN server: user_data is its TurnSink.
func turnNotifyCallback(_ userData: UnsafeMutableRawPointer?, _ server: omnirtc_turn_server_t) {
    guard let userData else { return }
    TurnSink.live.withLock { _ in } // orders the sink's construction for thread sanitizers (see peerNotifyCallback)
    Unmanaged<TurnSink>.fromOpaque(userData).takeUnretainedValue().wakes.continuation.yield(server)
}

/// The credential lookup of every TURN server that has one.
func turnAuthCallback(
    _ userData: UnsafeMutableRawPointer?, _ username: UnsafePointer<CChar>?, _ realm: UnsafePointer<CChar>?,
    _ client: UnsafePointer<CChar>?, _ passwordOut: UnsafeMutablePointer<CChar>?, _ capacity: Int
) -> Int32 {
    guard let userData, let passwordOut, capacity > 0 else { return 0 }
    TurnSink.live.withLock { _ in }
    let sink = Unmanaged<TurnSink>.fromOpaque(userData).takeUnretainedValue()
    guard let auth = sink.auth else { return 0 }
    let request = TurnAuthRequest(username: text(username), realm: text(realm), clientAddress: text(client))
    let answer = Locked<String?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
        let password = await auth(request)
        answer.withLock { $0 = password }
        done.signal()
    }
    guard done.wait(timeout: .now() + TurnServer.authTimeout) == .success, let password = answer.withLock({ $0 })
    else { return 0 }
    let bytes = Array(password.utf8)
    guard bytes.count < capacity, !bytes.contains(0) else { return 0 } // does not fit, or would be cut: refuse
    bytes.withUnsafeBytes { raw in
        UnsafeMutableRawPointer(passwordOut).copyMemory(from: raw.baseAddress!, byteCount: bytes.count)
    }
    passwordOut[bytes.count] = 0
    return 1
}

/// A TURN server's events and its credential lookup.
final class TurnSink: Sendable {
    /// Sinks alive in the process, for leak tests: each is released by its CLOSED.
    static let live = Locked(0)

    let events: Pipe<TurnServerEvent>
    let auth: (@Sendable (TurnAuthRequest) async -> String?)?
    /// The library's notify: the server's queue has events (one pending wake-up is enough).
    let wakes = Pipe<omnirtc_turn_server_t>(bufferingPolicy: .bufferingNewest(1))

    init(auth: (@Sendable (TurnAuthRequest) async -> String?)?) {
        let (stream, continuation) = AsyncStream<TurnServerEvent>.makeStream(
            bufferingPolicy: .bufferingNewest(TurnServer.eventBuffer))
        events = Pipe(stream: stream, continuation: continuation)
        self.auth = auth
        Self.live.withLock { $0 += 1 } // after every field is set: see turnNotifyCallback
    }

    deinit { Self.live.withLock { $0 -= 1 } }

    /// Takes the server's events each time notify wakes it, until CLOSED.
    func drain() async {
        _ = await drainPolled(
            wakes.stream, poll: { omnirtc_turn_server_poll_events($0, $1, $2, $3) },
            isFinal: { $0.type == Int32(OMNIRTC_TURN_EVENT_CLOSED.rawValue) }
        ) { e in
            let allocation = TurnAllocation(
                username: text(e.username), realm: text(e.realm), clientAddress: text(e.client_address),
                relayAddress: text(e.relay_address), protocol: text(e.protocol))
            switch e.type {
            case Int32(OMNIRTC_TURN_EVENT_ALLOCATION_CREATED.rawValue):
                events.continuation.yield(.allocationCreated(allocation))
            case Int32(OMNIRTC_TURN_EVENT_ALLOCATION_DELETED.rawValue):
                events.continuation.yield(.allocationDeleted(allocation))
            default:
                break
            }
        }
        finish()
    }

    /// The final event: the stream ends and the library drops user_data.
    private func finish() {
        events.continuation.finish()
        wakes.continuation.finish()
        Unmanaged.passUnretained(self).release() // the reference TurnServer.init gave the library
    }
}

extension Pipe {
    init(stream: AsyncStream<Element>, continuation: AsyncStream<Element>.Continuation) {
        self.stream = stream
        self.continuation = continuation
    }
}

/// A TURN/STUN server in this process (RFC 8656, on pion/turn), so an
/// application relays its own peers without deploying coturn. Peers use it
/// like any TURN server (`turn:host:port` in ``IceServer/urls``).
///
/// ```swift
/// let server = try TurnServer(configuration: TurnServerConfiguration(
///     listeners: [.init(transport: .udp, address: "0.0.0.0:3478")],
///     relay: .init(address: "203.0.113.7"), users: ["alice": "secret"]))
/// Task { for await event in server.events { print(event) } }
/// print(try await server.stats().bytesRelayed)
/// try await server.close()
/// ```
///
/// Releasing the last reference closes the server.
public final class TurnServer: Sendable {
    /// Unread events ``events`` keeps (the newest): a server nobody watches does not grow.
    public static let eventBuffer = 4096
    /// How long a listener waits for the `auth` closure's answer, in seconds.
    public static let authTimeout: TimeInterval = 2

    let handle: omnirtc_turn_server_t
    let sink: TurnSink
    /// The sink's drain: ends once it took CLOSED.
    let drained: Task<Void, Never>
    /// The sockets it listens on, with the actual ports.
    public let listeners: [TurnServerStats.Listener]

    /// Starts a server. `auth`, if given, is asked for the password of a
    /// username that is neither in ``TurnServerConfiguration/users`` nor a valid
    /// REST credential; returning nil refuses the user. It runs in a Task (it
    /// may call into your actors), possibly several at once, while that
    /// listener waits: an answer later than ``authTimeout`` refuses the user.
    ///
    /// Throws ``OmniRTCError/invalidConfig(_:)`` (naming the key) for a bad
    /// configuration and ``OmniRTCError/operation(_:)`` when a listener cannot
    /// be opened (the address is in use).
    public convenience init(
        configuration: TurnServerConfiguration, auth: (@Sendable (TurnAuthRequest) async -> String?)? = nil
    ) throws(OmniRTCError) {
        let json: String
        do {
            json = try configuration.json()
        } catch {
            throw .invalidArgument("TURN server configuration: \(error)")
        }
        try self.init(json: json, auth: auth)
    }

    /// Starts a server from the JSON text `omnirtc_turn_server_start` takes.
    public init(json: String, auth: (@Sendable (TurnAuthRequest) async -> String?)? = nil) throws(OmniRTCError) {
        let sink = TurnSink(auth: auth)
        let userData = Unmanaged.passRetained(sink)
        var handle: omnirtc_turn_server_t = 0
        let status = omnirtc_turn_server_start_polled(
            json, { turnNotifyCallback($0, $1) },
            auth == nil ? nil : { turnAuthCallback($0, $1, $2, $3, $4, $5) }, userData.toOpaque(), &handle)
        do {
            try check(status)
        } catch {
            userData.release() // nothing will ever be notified
            throw error
        }
        self.handle = handle
        self.sink = sink
        drained = Task.detached { await sink.drain() } // a notify before this waits in sink.wakes
        listeners = (try? Self.stats(handle).listeners) ?? []
    }

    deinit {
        _ = omnirtc_turn_server_close(handle) // already closed: INVALID_HANDLE, nothing to do
    }

    /// Allocations created and deleted, in order. Buffered from the start
    /// (the newest ``eventBuffer``), meant for one consumer; ends when the
    /// server closes, after the deletions of the allocations it freed.
    public var events: AsyncStream<TurnServerEvent> { sink.events.stream }

    /// The server's counters. Throws ``OmniRTCError/invalidHandle(_:)`` once closed.
    public func stats() async throws(OmniRTCError) -> TurnServerStats {
        try Self.stats(handle)
    }

    private static func stats(_ handle: omnirtc_turn_server_t) throws(OmniRTCError) -> TurnServerStats {
        let json = try callString { omnirtc_turn_server_stats(handle, $0) } ?? "{}"
        do {
            return try JSONDecoder().decode(TurnServerStats.self, from: Data(json.utf8))
        } catch {
            throw .internal("TURN server stats: \(error)")
        }
    }

    /// Stops listening and frees every allocation (their deletions are
    /// reported), then ends ``events``. When it returns no more events come
    /// and no `auth` call starts (one already running is not awaited past
    /// ``authTimeout``). Closing again does nothing.
    public func close() async throws(OmniRTCError) {
        let status = omnirtc_turn_server_close(handle)
        if status != Int32(OMNIRTC_ERR_INVALID_HANDLE) { try check(status) }
        await drained.value
    }

    /// A time-limited credential for a server's
    /// ``TurnServerConfiguration/sharedSecret`` (or coturn's
    /// `use-auth-secret`), valid for `ttl` seconds from now (a negative `ttl`
    /// makes an expired one). Throws ``OmniRTCError/invalidArgument(_:)`` for
    /// a `user` containing ":".
    public static func restCredential(secret: String, user: String, ttl: TimeInterval) throws(OmniRTCError)
        -> TurnCredential
    {
        var username: UnsafeMutablePointer<CChar>?
        var password: UnsafeMutablePointer<CChar>?
        try check(omnirtc_turn_rest_credential(secret, user, Int64(ttl.rounded(.down)), &username, &password))
        return TurnCredential(username: takeString(username) ?? "", password: takeString(password) ?? "")
    }
}

/// Live TURN server handles of the library (for leak checks).
func turnServerHandleCount() throws(OmniRTCError) -> Int {
    let json = try callString { omnirtc_debug_counters($0) } ?? "{}"
    struct Counters: Decodable {
        var handles: [String: Int]
    }
    return (try? JSONDecoder().decode(Counters.self, from: Data(json.utf8)))?.handles["turnServer"] ?? 0
}
