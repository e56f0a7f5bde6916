import Foundation
import XCTest

@testable import OmniRTC

/// Negotiation beyond the first trickled offer/answer, configuration, lifecycle.
final class NegotiationTests: XCTestCase {
    /// Waits for the end of the current ICE gathering of `pc`.
    private func gatheringEnds(_ pc: PeerConnection) async throws {
        try await within { for await c in pc.iceCandidates where c.isEndOfCandidates { return } }
    }

    /// Offer/answer carrying every candidate in the SDP: no trickling.
    private func negotiateGathered(_ a: PeerConnection, _ b: PeerConnection, iceRestart: Bool = false) async throws {
        try await a.setLocalDescription(try await a.createOffer(iceRestart: iceRestart))
        try await gatheringEnds(a)
        try await b.setRemoteDescription(XCTUnwrap(a.localDescription))
        try await b.setLocalDescription(try await b.createAnswer())
        try await gatheringEnds(b)
        try await a.setRemoteDescription(XCTUnwrap(b.localDescription))
    }

    private func ping(_ from: DataChannel, _ to: DataChannel, _ text: String) async throws {
        try from.send(text)
        let got = try await receive(1, from: to)
        XCTAssertEqual(got, [.text(text)])
    }

    func testFullGatheringWithoutTrickleThenIceRestart() async throws {
        let a = try PeerConnection(configuration: loopback)
        let b = try PeerConnection(configuration: loopback)
        let local = try a.createDataChannel(label: "gathered")
        try await negotiateGathered(a, b)
        XCTAssertTrue(try XCTUnwrap(a.localDescription).sdp.contains("a=candidate:"))
        XCTAssertEqual(a.iceGatheringState, .complete)
        let remote = try await next(b.dataChannels)
        try await within { try await local.waitUntilOpen() }
        try await ping(local, remote, "before restart")

        let ufrag = { (pc: PeerConnection) in
            pc.currentLocalDescription?.sdp.split(whereSeparator: \.isNewline).first { $0.hasPrefix("a=ice-ufrag:") }
        }
        let before = ufrag(a)
        let pairsBefore = [try await selectedPair(a).pair, try await selectedPair(b).pair]
        try await a.restartIce()
        try await negotiateGathered(a, b, iceRestart: true)
        XCTAssertNotEqual(ufrag(a), before)
        try await ping(local, remote, "after restart")
        try await ping(remote, local, "and back")
        // New candidates on both sides carry the data now: a restart that
        // renewed only the credentials would keep the old pair.
        let pairsAfter = [try await selectedPair(a).pair, try await selectedPair(b).pair]
        for (old, new) in zip(pairsBefore, pairsAfter) {
            XCTAssertNotNil(new["localCandidateId"]?.string)
            XCTAssertNotEqual(new["localCandidateId"], old["localCandidateId"])
        }
        try await a.close()
        try await b.close()
    }

    func testEndOfCandidatesIsForwardedLikeTheOthers() async throws {
        let a = try PeerConnection(configuration: loopback)
        let b = try PeerConnection(configuration: loopback)
        _ = try a.createDataChannel(label: "x")
        try await a.setLocalDescription() // implicit: creates the offer
        XCTAssertEqual(a.signalingState, .haveLocalOffer)
        try await b.setRemoteDescription(XCTUnwrap(a.localDescription))
        let candidates = try await within {
            var all: [IceCandidate] = []
            for await c in a.iceCandidates {
                all.append(c)
                if c.isEndOfCandidates { break }
            }
            return all
        }
        XCTAssertGreaterThan(candidates.count, 1)
        XCTAssertTrue(candidates.dropLast().allSatisfy { $0.candidate.hasPrefix("candidate:") && $0.sdpMid != nil })
        let loopbackCandidate = try XCTUnwrap(candidates.first { $0.address == "127.0.0.1" })
        XCTAssertEqual(loopbackCandidate.type, .host)
        XCTAssertEqual(loopbackCandidate.transport, "udp")
        XCTAssertEqual(loopbackCandidate.component, 1)
        XCTAssertNotNil(loopbackCandidate.port)
        XCTAssertNotNil(loopbackCandidate.priority)
        XCTAssertNil(IceCandidate.endOfCandidates.address)
        let relay = IceCandidate(candidate: "candidate:7 1 UDP 16777215 203.0.113.9 3478 typ relay raddr 10.0.0.2 rport 5000")
        XCTAssertEqual(relay.type, .relay)
        XCTAssertEqual(relay.foundation, "7")
        XCTAssertEqual(relay.relatedAddress, "10.0.0.2")
        XCTAssertEqual(relay.relatedPort, 5000)
        XCTAssertNil(relay.tcpType)
        for c in candidates { try await b.addIceCandidate(c) }
        try await a.close()
        try await b.close()
    }

    /// W3C webrtc-pc 4.4.1.6 step 9: a rollback of a remote offer removes the
    /// transceivers it made.
    func testRollbackRemovesTheTransceiversOfTheRemoteOffer() async throws {
        let a = try PeerConnection(configuration: loopback)
        let b = try PeerConnection(configuration: loopback)
        _ = try a.createDataChannel(label: "transport")
        try a.addTransceiver(kind: .audio, direction: .sendonly)
        let offer = try await a.createOffer()
        try await b.setRemoteDescription(offer)
        XCTAssertEqual(b.transceivers.count, 1, "the offer made a transceiver")
        try await b.setLocalDescription(SessionDescription(type: .rollback, sdp: ""))
        XCTAssertEqual(b.transceivers.count, 0, "the rollback removed it")

        try await a.close()
        try await b.close()
    }

    /// W3C webrtc-pc 4.4.1.6 step 8.1.12: a section the answer rejects stops
    /// the transceiver on both sides (`stopped`, direction "stopped").
    func testARejectedSectionStopsTheTransceiver() async throws {
        let a = try PeerConnection(configuration: loopback)
        let b = try PeerConnection(configuration: loopback)
        _ = try a.createDataChannel(label: "transport") // the section that carries ICE
        let offerer = try a.addTransceiver(kind: .video, direction: .sendonly)
        try offerer.setCodecPreferences([CodecPreference(mimeType: "video/VP8")])
        let offer = try await a.createOffer()
        try await a.setLocalDescription(offer)
        // b knows no codec of the section, so its answer rejects it.
        try await b.setRemoteDescription(SessionDescription(
            type: .offer, sdp: offer.sdp.replacingOccurrences(of: "VP8/90000", with: "XV8/90000")))
        let answer = try await b.createAnswer()
        XCTAssertTrue(answer.sdp.contains("m=video 0 "), answer.sdp)
        XCTAssertFalse(offerer.stopped)
        try await b.setLocalDescription(answer)
        try await a.setRemoteDescription(answer)
        XCTAssertTrue(try XCTUnwrap(b.transceivers.first).stopped, "the answerer's transceiver")
        XCTAssertTrue(offerer.stopped, "the offerer's transceiver")
        XCTAssertEqual(offerer.direction, .stopped)
        try await a.close()
        try await b.close()
    }

    /// W3C webrtc-pc 4.4.1.6: a rollback without a pending offer is an
    /// InvalidStateError; with one, either method returns to stable and drops
    /// the pending description; a remote offer in have-local-offer rolls the
    /// local one back first.
    func testDescriptionsAndRollback() async throws {
        let rollback = SessionDescription(type: .rollback, sdp: "")
        let a = try PeerConnection(configuration: loopback)
        for local in [true, false] {
            do {
                if local { try await a.setLocalDescription(rollback) } else { try await a.setRemoteDescription(rollback) }
                XCTFail("a rollback in stable succeeded")
            } catch {
                guard case .invalidState = error else { return XCTFail("\(error)") }
            }
        }
        _ = try a.createDataChannel(label: "x")
        let offer = try await a.createOffer()
        try await a.setLocalDescription(offer)
        XCTAssertEqual(a.signalingState, .haveLocalOffer)
        XCTAssertEqual(a.pendingLocalDescription?.type, .offer)
        XCTAssertNil(a.currentLocalDescription)
        XCTAssertNil(a.remoteDescription)

        let b = try PeerConnection(configuration: loopback)
        try await b.setRemoteDescription(offer)
        XCTAssertEqual(b.signalingState, .haveRemoteOffer)
        XCTAssertEqual(b.pendingRemoteDescription, offer)
        XCTAssertNil(b.currentRemoteDescription)

        try await a.setLocalDescription(rollback)
        XCTAssertEqual(a.signalingState, .stable)
        XCTAssertNil(a.localDescription)
        XCTAssertNil(a.pendingLocalDescription)

        // b's own offer reaches a while a offers again: a rolls back and answers.
        let b2 = try PeerConnection(configuration: loopback)
        _ = try b2.createDataChannel(label: "y")
        try await b2.setLocalDescription(try await b2.createOffer())
        try await a.setLocalDescription(try await a.createOffer())
        try await a.setRemoteDescription(XCTUnwrap(b2.localDescription))
        XCTAssertEqual(a.signalingState, .haveRemoteOffer)
        XCTAssertEqual(a.remoteDescription?.type, .offer)
        XCTAssertNil(a.pendingLocalDescription)
        for pc in [a, b, b2] { try await pc.close() }
    }

    /// W3C webrtc-pc 5.4: the direction setter changes direction at once and
    /// asks for negotiation; currentDirection follows once negotiated.
    func testDirectionSetterAsksForNegotiation() async throws {
        let a = try PeerConnection(configuration: loopback)
        let b = try PeerConnection(configuration: loopback)
        let audio = try a.addTransceiver(kind: .audio, direction: .sendrecv)
        try await negotiate(a, b)
        XCTAssertEqual(audio.currentDirection, .sendonly)  // b has nothing to send
        let needed = Task { try await next(a.negotiationNeeded) }
        try audio.setDirection(.inactive)
        XCTAssertEqual(audio.direction, .inactive)
        XCTAssertEqual(audio.currentDirection, .sendonly)
        _ = try await needed.value
        XCTAssertThrowsError(try audio.setDirection(.stopped)) {
            guard case .invalidArgument = $0 as? OmniRTCError else { return XCTFail("\($0)") }
        }
        try await negotiate(a, b)
        XCTAssertEqual(audio.currentDirection, .inactive)
        try audio.stop()
        XCTAssertThrowsError(try audio.setDirection(.sendrecv)) {
            guard case .invalidState = $0 as? OmniRTCError else { return XCTFail("\($0)") }
        }
        try await a.close()
        try await b.close()
    }

    func testRenegotiationAddsAChannel() async throws {
        let (a, b, first, firstRemote) = try await connectedChannel(label: "first")
        let second = try a.createDataChannel(label: "second", options: DataChannelOptions(protocol: "p2"))
        try await a.setLocalDescription(try await a.createOffer())
        try await b.setRemoteDescription(XCTUnwrap(a.localDescription))
        try await b.setLocalDescription(try await b.createAnswer())
        try await a.setRemoteDescription(XCTUnwrap(b.localDescription))
        let secondRemote = try await next(b.dataChannels)
        XCTAssertEqual(secondRemote.label, "second")
        XCTAssertEqual(secondRemote.protocol, "p2")
        try await within { try await second.waitUntilOpen() }
        try await ping(second, secondRemote, "on the new channel")
        try await ping(first, firstRemote, "the first still works")
        let stats = try await a.stats()
        XCTAssertGreaterThanOrEqual(stats.stats(ofType: "data-channel").count, 2)
        try await a.close()
        try await b.close()
    }

    func testConfigurationEncodesToTheLibrarysJSON() async throws {
        let config = Configuration(
            iceServers: [
                IceServer(urls: ["stun:stun.example.org:3478"]),
                IceServer(urls: ["turn:turn.example.org?transport=tcp"], username: "u", credential: "p"),
            ],
            iceTransportPolicy: .relay, bundlePolicy: .maxBundle,
            engine: EngineSettings(portRange: .init(min: 40000, max: 40100), mdns: .disabled, interceptors: ["nack"]))
        XCTAssertEqual(
            try config.json(),
            #"{"bundlePolicy":"max-bundle","iceServers":[{"urls":["stun:stun.example.org:3478"]},"#
                + #"{"credential":"p","urls":["turn:turn.example.org?transport=tcp"],"username":"u"}],"#
                + #""iceTransportPolicy":"relay","omnirtc":{"interceptors":["nack"],"mdns":"disabled","#
                + #""portRange":{"max":40100,"min":40000}}}"#)
        XCTAssertEqual(try Configuration().json(), "{}")
        let pc = try PeerConnection(configuration: config) // the library takes it
        try await pc.close()
        XCTAssertEqual(
            try encodeJSON(DataChannelOptions(ordered: false, maxRetransmits: 2, protocol: "x", negotiated: true, id: 3)),
            #"{"id":3,"maxRetransmits":2,"negotiated":true,"ordered":false,"protocol":"x"}"#)
    }

    func testPeersSharingOneUDPMuxPort() async throws {
        // Server style: the offerers share one port (their remotes need their own:
        // a mux tells connections apart by remote address).
        var config = loopback
        config.engine.udpMuxPort = 34_567 // a private network namespace: no one else binds it
        let (a1, b1, local1, remote1) = try await connectedChannel(label: "muxed 1", configuration: config)
        let (a2, b2, local2, remote2) = try await connectedChannel(label: "muxed 2", configuration: config)
        try await ping(local1, remote1, "one")
        try await ping(local2, remote2, "two")
        for pc in [a1, a2] {
            let candidates = try await pc.stats().stats(ofType: "local-candidate")
            XCTAssertTrue(candidates.contains { $0["port"]?.number == 34_567 }, "\(candidates)")
        }
        for pc in [a1, b1, a2, b2] { try await pc.close() }
    }

    func testPersistentCertificateKeepsTheFingerprint() async throws {
        let pem = try Library.generateCertificate()
        XCTAssertTrue(pem.contains("-----BEGIN CERTIFICATE-----"))
        var config = loopback
        config.certificates = [pem]
        let fingerprint = { (config: Configuration) async throws -> String? in
            let pc = try PeerConnection(configuration: config)
            _ = try pc.createDataChannel(label: "x")
            let sdp = try await pc.createOffer().sdp
            try await pc.close()
            return sdp.split(whereSeparator: \.isNewline).first { $0.hasPrefix("a=fingerprint:") }.map(String.init)
        }
        let first = try await fingerprint(config)
        XCTAssertNotNil(first)
        let again = try await fingerprint(config)
        let other = try await fingerprint(loopback)
        XCTAssertEqual(first, again)
        XCTAssertNotEqual(first, other)
    }

    func testWaitUntilOpenIsCancellableAndFailsOnClose() async throws {
        let pc = try PeerConnection(configuration: loopback)
        let channel = try pc.createDataChannel(label: "never opens")
        let waiting = Task { try await channel.waitUntilOpen() }
        try await Task.sleep(nanoseconds: 50_000_000)
        waiting.cancel()
        do {
            try await waiting.value
            XCTFail("waitUntilOpen returned")
        } catch is CancellationError {}
        let waitingForClose = Task { try await channel.waitUntilOpen() }
        try await Task.sleep(nanoseconds: 50_000_000)
        try await pc.close()
        do {
            try await waitingForClose.value
            XCTFail("waitUntilOpen returned")
        } catch OmniRTCError.invalidState {}
    }

    func testClosingWhileMessagesFlow() async throws {
        let baseline = try Library.debugCounters().handles
        let (a, b, sender, receiver) = try await connectedChannel(label: "flood")
        let flooding = Task {
            var sent = 0
            while sent < 50_000, (try? sender.send("message \(sent)")) != nil {
                sent += 1
                if sent % 200 == 0 { try? await Task.sleep(nanoseconds: 1_000_000) }
            }
            return sent
        }
        let received = try await within {
            var count = 0
            for await _ in receiver.messages {
                count += 1
                if count == 500 { try await b.close() } // from the consumer, mid-stream
            }
            return count
        }
        XCTAssertGreaterThanOrEqual(received, 500)
        XCTAssertEqual(receiver.readyState, .closed)
        try await a.close()
        let sent = try await within { await flooding.value }
        XCTAssertGreaterThanOrEqual(sent, received)
        let back = await eventually {
            let now = try? Library.debugCounters().handles
            return now.map { $0.peer <= baseline.peer && $0.channel <= baseline.channel } ?? false
        }
        XCTAssertTrue(back)
    }
}
