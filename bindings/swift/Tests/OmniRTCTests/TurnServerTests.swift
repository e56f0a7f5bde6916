import Foundation
import XCTest

@testable import OmniRTC

/// TurnServer: two peers of this process relayed through a server on loopback
/// (the suite runs in its own network namespace), its events and stats, REST
/// credentials and the auth closure, bad configurations, and its lifetime.
/// (Relaying across network namespaces is scripts/test-nat.sh.)
final class TurnServerTests: XCTestCase {
    /// Relay addresses on 127.0.0.1, as the Python and Node TURN tests do.
    static let config = TurnServerConfiguration(
        listeners: [.init(transport: .udp, address: "127.0.0.1:0")],
        relay: .init(address: "127.0.0.1", minPort: 54000, maxPort: 54999),
        users: ["alice": "wonder"], sharedSecret: "north")

    /// A peer that may only use relay candidates of `server`.
    func relayed(_ server: TurnServer, _ username: String, _ password: String) throws -> Configuration {
        let address = try XCTUnwrap(server.listeners.first?.address)
        return Configuration(
            iceServers: [IceServer(urls: ["turn:\(address)"], username: username, credential: password)],
            iceTransportPolicy: .relay, engine: EngineSettings(mdns: .disabled, includeLoopback: true))
    }

    /// The candidate types of a peer's selected pair (nominated and succeeded),
    /// and its local candidate's relayProtocol.
    func selectedTypes(_ pc: PeerConnection) async throws -> (local: String?, remote: String?, relayProtocol: String?) {
        let (pair, report) = try await selectedPair(pc)
        func type(_ key: String) -> String? {
            pair[key]?.string.flatMap { report.entries[$0]?["candidateType"]?.string }
        }
        let relayProtocol = pair["localCandidateId"]?.string.flatMap { report.entries[$0]?["relayProtocol"]?.string }
        return (type("localCandidateId"), type("remoteCandidateId"), relayProtocol)
    }

    /// Connects two peers with `config`, passes data both ways and checks the
    /// pair is relay/relay on both sides (over `relayProtocol`, when given).
    /// Returns the bytes sent.
    func relayedExchange(_ config: Configuration, relayProtocol: String? = nil) async throws -> Int {
        let (a, b, local, remote) = try await connectedChannel(label: "relayed", configuration: config, answerer: config)
        let chunk = Data((0..<16_384).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        for _ in 0..<8 { try local.send(chunk) }
        try remote.send("back through the relay")
        let got = try await receive(8, from: remote)
        XCTAssertEqual(got, Array(repeating: .binary(chunk), count: 8))
        let back = try await receive(1, from: local)
        XCTAssertEqual(back, [.text("back through the relay")])
        for pc in [a, b] {
            let pair = try await selectedTypes(pc)
            XCTAssertEqual(pair.local, "relay")
            XCTAssertEqual(pair.remote, "relay")
            if let relayProtocol { XCTAssertEqual(pair.relayProtocol, relayProtocol) }
        }
        try await a.close()
        try await b.close()
        return 8 * chunk.count + 22
    }

    /// Whether a relay-only peer with these credentials gathers any relay candidate.
    func gathersRelay(_ config: Configuration) async throws -> Bool {
        let pc = try PeerConnection(configuration: config)
        _ = try pc.createDataChannel(label: "x")
        try await pc.setLocalDescription(try await pc.createOffer())
        let candidates = try await within {
            var lines: [IceCandidate] = []
            for await c in pc.iceCandidates {
                if c.isEndOfCandidates { break }
                lines.append(c)
            }
            return lines
        }
        try await pc.close()
        return candidates.contains { $0.candidate.contains("typ relay") }
    }

    /// Every event until the stream ends.
    func allEvents(_ server: TurnServer) async throws -> [TurnServerEvent] {
        try await within {
            var events: [TurnServerEvent] = []
            for await event in server.events { events.append(event) }
            return events
        }
    }

    func testPeersRelayThroughTheServer() async throws {
        let server = try TurnServer(configuration: Self.config)
        XCTAssertEqual(server.listeners.count, 1)
        XCTAssertTrue(server.listeners[0].address.hasPrefix("127.0.0.1:"), "\(server.listeners)")
        XCTAssertNotEqual(server.listeners[0].address, "127.0.0.1:0")
        let sent = try await relayedExchange(try relayed(server, "alice", "wonder"))
        let stats = try await server.stats()
        XCTAssertGreaterThanOrEqual(stats.allocationsCreated, 2)
        // Each message crosses two relay sockets: from A's allocation to B's, then to B.
        XCTAssertGreaterThanOrEqual(stats.bytesRelayed, sent, "\(stats)")
        XCTAssertEqual(stats.bytesRelayed, stats.bytesToPeers + stats.bytesFromPeers)
        XCTAssertEqual(stats.authFailures, 0)
        try await server.close()
        let events = try await allEvents(server)
        let created = events.compactMap { if case .allocationCreated(let a) = $0 { a } else { nil } }
        let deleted = events.compactMap { if case .allocationDeleted(let a) = $0 { a } else { nil } }
        XCTAssertGreaterThanOrEqual(created.count, 2)
        XCTAssertEqual(deleted.count, created.count, "\(events)")
        for allocation in created {
            XCTAssertEqual(allocation.username, "alice")
            XCTAssertEqual(allocation.realm, "omnirtc")
            XCTAssertEqual(allocation.protocol, "UDP")
            XCTAssertTrue(allocation.relayAddress.hasPrefix("127.0.0.1:54"), allocation.relayAddress)
            XCTAssertTrue(allocation.clientAddress.hasPrefix("127.0.0.1:"), allocation.clientAddress)
        }
        XCTAssertEqual(Set(deleted.map(\.clientAddress)), Set(created.map(\.clientAddress)))
        try await server.close() // idempotent
        do {
            _ = try await server.stats()
            XCTFail("stats of a closed server")
        } catch {
            XCTAssertEqual(error.status, OmniRTCError.invalidHandle("").status)
        }
    }

    func testAllocationsAreCountedWhileTheyLive() async throws {
        let server = try TurnServer(configuration: Self.config)
        let config = try relayed(server, "alice", "wonder")
        let (a, b, _, _) = try await connectedChannel(label: "live", configuration: config, answerer: config)
        let during = try await server.stats()
        XCTAssertGreaterThanOrEqual(during.allocations, 2)
        let events = server.events
        let first = try await within(10) { // no event must fail the test, not hang it
            var iterator = events.makeAsyncIterator()
            return await iterator.next()
        }
        guard case .allocationCreated(let allocation)? = first else { return XCTFail("first event: \(String(describing: first))") }
        XCTAssertEqual(allocation.username, "alice")
        try await a.close()
        try await b.close()
        try await server.close()
    }

    func testWrongCredentialsGetNoRelayAndNoConnection() async throws {
        let server = try TurnServer(configuration: Self.config)
        let wrong = try relayed(server, "alice", "not-wonder")
        let gathered = try await gathersRelay(wrong)
        XCTAssertFalse(gathered, "a relay candidate with a wrong password")
        let unknown = try await gathersRelay(try relayed(server, "mallory", "x"))
        XCTAssertFalse(unknown, "a relay candidate for an unknown user")
        let stats = try await server.stats()
        XCTAssertGreaterThan(stats.authFailures, 0, "\(stats)")
        XCTAssertEqual(stats.allocationsCreated, 0)

        // Two such peers never connect: relay-only, they have no candidate at all.
        let a = try PeerConnection(configuration: wrong)
        let b = try PeerConnection(configuration: wrong)
        _ = try a.createDataChannel(label: "never")
        try await negotiate(a, b)
        let connected = await eventually(3) { a.connectionState == .connected || b.connectionState == .connected }
        XCTAssertFalse(connected)
        try await a.close()
        try await b.close()
        try await server.close()
        let events = try await allEvents(server)
        XCTAssertEqual(events, [])
    }

    func testRestCredentialsAndAuthClosure() async throws {
        let store = CredentialStore()
        let server = try TurnServer(configuration: Self.config) { request in
            await store.password(for: request) // an actor: the closure runs in a Task, not on a library thread
        }
        let rest = try TurnServer.restCredential(secret: "north", user: "dave", ttl: 600)
        XCTAssertTrue(rest.username.hasSuffix(":dave"), rest.username)
        let expiry = try XCTUnwrap(Int(rest.username.dropLast(5)))
        XCTAssertEqual(Double(expiry), Date().timeIntervalSince1970 + 600, accuracy: 5)
        _ = try await relayedExchange(try relayed(server, rest.username, rest.password))
        _ = try await relayedExchange(try relayed(server, "carol", "from-swift"))
        let carol = await store.asked.filter { $0.username == "carol" }
        XCTAssertFalse(carol.isEmpty)
        XCTAssertEqual(carol.first?.realm, "omnirtc")
        XCTAssertTrue(carol.first?.clientAddress.hasPrefix("127.0.0.1:") == true)

        let expired = try TurnServer.restCredential(secret: "north", user: "erin", ttl: -60)
        let expiredRelays = try await gathersRelay(try relayed(server, expired.username, expired.password))
        XCTAssertFalse(expiredRelays)
        let refused = try await gathersRelay(try relayed(server, "frank", "anything"))
        XCTAssertFalse(refused, "the closure said no to frank")
        let askedFrank = await store.asked.contains { $0.username == "frank" }
        XCTAssertTrue(askedFrank)
        try await server.close()
        let events = try await allEvents(server)
        let users = Set(events.compactMap { if case .allocationCreated(let a) = $0 { a.username } else { nil } })
        XCTAssertEqual(users, ["dave", "carol"])

        XCTAssertThrowsError(try TurnServer.restCredential(secret: "north", user: "a:b", ttl: 60)) { error in
            guard case .invalidArgument = error as? OmniRTCError else { return XCTFail("\(error)") }
        }
    }

    func testSlowAuthClosureRefusesTheUser() async throws {
        let calls = Locked(0)
        let server = try TurnServer(configuration: Self.config) { _ in
            calls.withLock { $0 += 1 }
            try? await Task.sleep(nanoseconds: UInt64((TurnServer.authTimeout + 1) * 1e9))
            return "too-late"
        }
        let started = Date()
        let relays = try await gathersRelay(try relayed(server, "gina", "too-late"))
        XCTAssertFalse(relays, "an answer after authTimeout still let the user in")
        XCTAssertGreaterThan(calls.withLock { $0 }, 0)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), TurnServer.authTimeout - 0.1)
        let stats = try await server.stats()
        XCTAssertEqual(stats.allocationsCreated, 0)
        try await server.close()
    }

    func testTcpListenerAndUserQuota() async throws {
        var config = Self.config
        config.listeners = [.init(transport: .tcp, address: "127.0.0.1:0")]
        config.userQuota = 1
        let server = try TurnServer(configuration: config)
        XCTAssertEqual(server.listeners.map(\.transport), ["tcp"])
        var overTCP = try relayed(server, "alice", "wonder")
        overTCP.iceServers[0].urls = ["turn:\(server.listeners[0].address)?transport=tcp"]

        // alice may hold one allocation: a first peer gets it, a second one is refused while it lives.
        let first = try PeerConnection(configuration: overTCP)
        _ = try first.createDataChannel(label: "first")
        try await first.setLocalDescription(try await first.createOffer())
        let relay = try await within {
            for await c in first.iceCandidates where c.candidate.contains("typ relay") { return c }
            return IceCandidate.endOfCandidates
        }
        XCTAssertTrue(relay.candidate.contains("typ relay"), "no relay candidate over TCP")
        let second = try await gathersRelay(overTCP)
        XCTAssertFalse(second, "a second allocation over alice's quota of 1")
        let stats = try await server.stats()
        XCTAssertEqual(stats.allocations, 1, "\(stats)")
        XCTAssertGreaterThan(stats.quotaRejections, 0, "\(stats)")
        try await first.close()
        try await server.close()
        let events = try await allEvents(server)
        guard case .allocationCreated(let allocation)? = events.first else { return XCTFail("\(events)") }
        XCTAssertEqual(allocation.username, "alice")
        XCTAssertEqual(allocation.protocol, "TCP") // the listener's transport
        XCTAssertEqual(events.count, 2, "\(events)") // created, then deleted (by the peer or by close)
    }

    /// A TLS listener with a self-signed certificate for 127.0.0.1, made at
    /// test time by scripts/test-swift.sh (openssl on the host) in $OMNIRTC_SWIFT_MEDIA.
    func testTurnsWithAPrivateCA() async throws {
        let dir = try XCTUnwrap(ProcessInfo.processInfo.environment["OMNIRTC_SWIFT_MEDIA"], "OMNIRTC_SWIFT_MEDIA is not set")
        let certificate = try String(contentsOfFile: dir + "/turn-cert.pem", encoding: .utf8)
        let key = try String(contentsOfFile: dir + "/turn-key.pem", encoding: .utf8)
        var config = Self.config
        config.listeners = [.init(transport: .tls, address: "127.0.0.1:0", certificate: certificate, privateKey: key)]
        let server = try TurnServer(configuration: config)
        XCTAssertEqual(server.listeners.map(\.transport), ["tls"])
        var untrusted = try relayed(server, "alice", "wonder")
        untrusted.iceServers[0].urls = ["turns:\(server.listeners[0].address)?transport=tcp"]

        // Without the CA the server's certificate is refused: no relay candidate.
        let relaysUntrusted = try await gathersRelay(untrusted)
        XCTAssertFalse(relaysUntrusted, "a relay through an untrusted turns: server")

        var trusted = untrusted
        trusted.iceServers[0].caCertificates = certificate
        // Encoded under the entry's "omnirtc" object, and decoded back.
        let json = try trusted.json()
        let entry = try XCTUnwrap(
            (JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["iceServers"] as? [[String: Any]])
        XCTAssertEqual((entry.first?["omnirtc"] as? [String: String])?["caCertificates"], certificate)
        XCTAssertEqual(try JSONDecoder().decode(IceServer.self, from: JSONEncoder().encode(trusted.iceServers[0])),
                       trusted.iceServers[0])
        let plain = try JSONSerialization.jsonObject(with: JSONEncoder().encode(untrusted.iceServers[0])) as? [String: Any]
        XCTAssertNotNil(plain)
        XCTAssertNil(plain?["omnirtc"], "no \"omnirtc\" object without caCertificates")

        _ = try await relayedExchange(trusted, relayProtocol: "tls")
        try await server.close()
        let events = try await allEvents(server)
        let created = events.compactMap { if case .allocationCreated(let a) = $0 { a } else { nil } }
        XCTAssertGreaterThanOrEqual(created.count, 2, "\(events)")
        XCTAssertTrue(created.allSatisfy { $0.protocol == "TCP" }, "\(created)") // TLS runs over TCP
    }

    func testBadConfiguration() async throws {
        var config = Self.config
        config.additional["listen"] = .bool(true)
        XCTAssertThrowsError(try TurnServer(configuration: config)) { error in
            guard case .invalidConfig(let message) = error as? OmniRTCError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("listen"), message)
        }
        XCTAssertThrowsError(try TurnServer(json: #"{"listeners":[],"relay":{"address":"127.0.0.1"}}"#)) { error in
            guard case .invalidConfig(let message) = error as? OmniRTCError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("listeners"), message)
        }
        XCTAssertThrowsError(try TurnServer(json: "{not json")) { error in
            guard case .invalidConfig = error as? OmniRTCError else { return XCTFail("\(error)") }
        }
        var lifetime = Self.config
        lifetime.allocationLifetimeSec = 4000
        XCTAssertThrowsError(try TurnServer(configuration: lifetime)) { error in
            guard case .invalidConfig(let message) = error as? OmniRTCError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("allocationLifetimeSec"), message)
        }

        // The configuration is Codable: unknown keys survive a round trip (and the library names them).
        let json = #"{"listeners":[{"transport":"tcp","address":"127.0.0.1:0"}],"relay":{"address":"127.0.0.1"},"# +
            #""realm":"r","userQuota":2,"future":{"x":1}}"#
        let decoded = try JSONDecoder().decode(TurnServerConfiguration.self, from: Data(json.utf8))
        XCTAssertEqual(decoded.listeners, [.init(transport: .tcp, address: "127.0.0.1:0")])
        XCTAssertEqual(decoded.realm, "r")
        XCTAssertEqual(decoded.userQuota, 2)
        XCTAssertEqual(decoded.additional, ["future": .object(["x": .number(1)])])
        let again = try JSONDecoder().decode(TurnServerConfiguration.self, from: Data(try decoded.json().utf8))
        XCTAssertEqual(again, decoded)
        XCTAssertThrowsError(try TurnServer(configuration: decoded)) { error in
            guard case .invalidConfig(let message) = error as? OmniRTCError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("future"), message)
        }

        // A listener on an address in use: an operation error, and no server.
        let server = try TurnServer(configuration: Self.config)
        var taken = Self.config
        taken.listeners = [.init(transport: .udp, address: server.listeners[0].address)]
        XCTAssertThrowsError(try TurnServer(configuration: taken)) { error in
            guard case .operation = error as? OmniRTCError else { return XCTFail("\(error)") }
        }
        try await server.close()
    }

    /// The events come from the library's queue (omnirtc_turn_server_poll_events):
    /// a close queues every deletion and CLOSED at once; all of them arrive,
    /// each after its creation, and the stream ends with nothing after.
    func testEventsInOrderFromTheLibraryQueueNoneLostNothingAfterClose() async throws {
        let server = try TurnServer(configuration: Self.config)
        let config = try relayed(server, "alice", "wonder")
        var peers: [PeerConnection] = []
        for _ in 0..<6 {
            let pc = try PeerConnection(configuration: config)
            _ = try pc.createDataChannel(label: "x")
            try await pc.setLocalDescription(try await pc.createOffer())
            peers.append(pc)
        }
        let count = peers.count
        try await within {
            while try await server.stats().allocations < count { await Task.yield() }
        }
        try await server.close() // returns once the drain took CLOSED
        for pc in peers { try await pc.close() }
        let events = try await allEvents(server)
        var created: [String] = []
        var deleted = 0
        for event in events {
            switch event {
            case .allocationCreated(let a): created.append(a.clientAddress)
            case .allocationDeleted(let a):
                XCTAssertTrue(created.contains(a.clientAddress), "\(a) before its creation")
                deleted += 1
            }
        }
        XCTAssertGreaterThanOrEqual(created.count, peers.count)
        XCTAssertEqual(deleted, created.count)
        XCTAssertEqual(events.count, 2 * created.count)
    }

    func testClosingReturnsToBaseline() async throws {
        let handles = try turnServerHandleCount()
        let sinks = TurnSink.live.withLock { $0 }
        let sockets = try Library.debugCounters().sockets
        do {
            let server = try TurnServer(configuration: Self.config)
            XCTAssertEqual(try turnServerHandleCount(), handles + 1)
            _ = try await relayedExchange(try relayed(server, "alice", "wonder"))
            try await server.close()
            XCTAssertEqual(try turnServerHandleCount(), handles)
        }
        do {
            let dropped = try TurnServer(configuration: Self.config) { _ in nil }
            XCTAssertEqual(try turnServerHandleCount(), handles + 1)
            _ = dropped.listeners
        } // released: closed
        XCTAssertThrowsError(try TurnServer(json: #"{"bogus":1}"#)) // a failed start releases its sink
        let back = await eventually {
            (try? turnServerHandleCount()) == handles && TurnSink.live.withLock { $0 } <= sinks
                && ((try? Library.debugCounters().sockets) ?? .max) <= sockets
        }
        let now = (handles: try turnServerHandleCount(), sinks: TurnSink.live.withLock { $0 },
                   sockets: try Library.debugCounters().sockets)
        XCTAssertTrue(back, "not back to baseline: \(now), was \((handles, sinks, sockets))")
    }
}

/// Passwords behind an actor, as an application's credential store might be.
actor CredentialStore {
    private(set) var asked: [TurnAuthRequest] = []

    func password(for request: TurnAuthRequest) -> String? {
        asked.append(request)
        return request.username == "carol" ? "from-swift" : nil
    }
}
